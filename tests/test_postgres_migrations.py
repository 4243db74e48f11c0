"""PostgreSQL databases made by earlier versions, opened by this one."""

import psycopg
import pytest

from arena.adapters.postgres import PostgresStore
from arena.adapters.postgres.schema import MIGRATIONS
from tests.postgres import throwaway_database
from tests.schema_versions import postgres_at


@pytest.fixture
def postgres_url():
    """A database of its own, with no schema yet (the shared one is migrated already)."""
    with throwaway_database() as url:
        yield url


def test_a_version_9_database_packs_its_snapshots_battles_into_vote_ids_when_opened(
    postgres_url,
):
    with psycopg.connect(postgres_url) as conn:
        postgres_at(conn, 9)
        for battle in ("b1", "b2", "b3"):
            conn.execute(
                "INSERT INTO battles (id, session_id, voter_id, mode, anonymous, model_a_id, "
                "model_b_id, status) VALUES (%s, 's1', 'v1', 'anonymous', true, 1, 2, 'voted')",
                [battle],
            )
            conn.execute(
                "INSERT INTO votes (battle_id, voter_id, model_a_id, model_b_id, verdict, "
                "counted, anonymous) VALUES (%s, 'v1', 1, 2, 'a_better', true, true)",
                [battle],
            )
        conn.execute(
            "INSERT INTO snapshots (id, created_at, votes, vote_set_sha256, body) "
            "VALUES ('s1', now(), 2, repeat('0', 64), '{}')"
        )
        conn.execute("INSERT INTO snapshot_battles VALUES ('s1', 'b1'), ('s1', 'b3')")
    store = PostgresStore(postgres_url)
    try:
        assert store.schema_version() == len(MIGRATIONS) >= 10
        assert store.snapshot_vote_ids("s1") == {1, 3}
        with psycopg.connect(postgres_url) as conn:
            assert conn.execute("SELECT to_regclass('snapshot_battles')").fetchone()[0] is None
        with pytest.raises(psycopg.Error, match="immutable"), psycopg.connect(postgres_url) as c:
            c.execute("UPDATE snapshots SET votes = 3")
    finally:
        store.close()


def test_a_version_10_database_gives_each_vote_its_battles_turns_when_opened(postgres_url):
    """Version 11: an arena vote keeps the turns its battle stored, an imported one the turns
    its file gave (`max_turns`), and `counting_votes` shows the new column."""
    with psycopg.connect(postgres_url) as conn:
        postgres_at(conn, 10)
        for battle, max_turns, source in (("b1", 5, "arena"), ("i1", 3, "import:old.json")):
            conn.execute(
                "INSERT INTO battles (id, session_id, voter_id, mode, anonymous, model_a_id, "
                "model_b_id, status, max_turns) "
                "VALUES (%s, 's1', 'v1', 'anonymous', true, 1, 2, 'voted', %s)",
                [battle, max_turns],
            )
            conn.execute(
                "INSERT INTO votes (battle_id, voter_id, model_a_id, model_b_id, verdict, "
                "counted, anonymous, source) VALUES (%s, 'v1', 1, 2, 'a_better', true, true, %s)",
                [battle, source],
            )
        for idx in (0, 1):
            conn.execute("INSERT INTO turns (battle_id, idx, prompt) VALUES ('b1', %s, 'hi')",
                         [idx])  # fmt: skip
    store = PostgresStore(postgres_url)
    try:
        assert store.schema_version() == len(MIGRATIONS) >= 11
        with psycopg.connect(postgres_url) as conn:
            stored = conn.execute("SELECT battle_id, turns FROM votes ORDER BY id").fetchall()
            counting = conn.execute(
                "SELECT battle_id, turns FROM counting_votes ORDER BY id"
            ).fetchall()
            readable = conn.execute("SELECT count(*) FROM battles_readable").fetchone()[0]
        assert stored == counting == [("b1", 2), ("i1", 3)]
        assert readable == 2
        assert {r["battle_id"]: r["turns"] for r in store.snapshot_vote_rows()} == {
            "b1": 2, "i1": 3,
        }  # fmt: skip
    finally:
        store.close()


def test_a_version_11_database_keeps_counting_its_votes_and_can_quarantine_a_cohort(
    postgres_url,
):
    """Version 12: `counting_votes` also leaves out the votes of active cohort quarantines;
    the votes of a database made before count as they did, and `battles_readable` still reads."""
    with psycopg.connect(postgres_url) as conn:
        postgres_at(conn, 11)
        for battle in ("b1", "b2"):
            conn.execute(
                "INSERT INTO battles (id, session_id, voter_id, mode, anonymous, model_a_id, "
                "model_b_id, status, max_turns) "
                "VALUES (%s, 's1', 'v1', 'anonymous', true, 1, 2, 'voted', 1)",
                [battle],
            )
            conn.execute(
                "INSERT INTO votes (battle_id, voter_id, model_a_id, model_b_id, verdict, "
                "counted, anonymous, source, turns) "
                "VALUES (%s, 'v1', 1, 2, 'a_better', true, true, 'arena', 1)",
                [battle],
            )
    store = PostgresStore(postgres_url)
    try:
        assert store.schema_version() == len(MIGRATIONS) >= 12
        assert store.counting_vote_count() == 2
        store.quarantine_cohort("new_voter_win_shift", "alpha", 4.2, "", [1])
        assert store.counting_vote_count() == 1
        with psycopg.connect(postgres_url) as conn:
            counting = dict(conn.execute("SELECT battle_id, counting FROM battles_readable"))
        assert counting == {"b1": False, "b2": True}
    finally:
        store.close()


def test_a_version_16_database_indexes_only_the_battles_started_here_by_voter(postgres_url):
    """Version 17: the index of battles by voter leaves out imported battles, and a voter's
    battle starts leave them out too (a judge of an imported file may share a voter's id)."""
    with psycopg.connect(postgres_url) as conn:
        postgres_at(conn, 16)
        for battle, session in (("b1", "s1"), ("i1", "import:old.json")):
            conn.execute(
                "INSERT INTO battles (id, session_id, voter_id, mode, anonymous, model_a_id, "
                "model_b_id, status, max_turns, created_at) VALUES (%s, %s, 'v1', 'anonymous', "
                "true, 1, 2, 'voted', 1, '2026-12-06T00:00:00+00:00')",
                [battle, session],
            )
    store = PostgresStore(postgres_url)
    try:
        assert store.schema_version() == len(MIGRATIONS) >= 17
        since = "2026-12-05T00:00:00.000+00:00"
        assert len(store.battle_start_times("v1", None, since)[0]) == 1
        with psycopg.connect(postgres_url) as conn:
            [[predicate]] = conn.execute(
                "SELECT pg_get_expr(x.indpred, x.indrelid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE i.relname = 'idx_battles_voter_id_created_at'"
            ).fetchall()
        assert "import:" in predicate
    finally:
        store.close()


def test_a_version_17_database_no_longer_ties_votes_and_turns_to_battles(postgres_url):
    """Version 18, as SQLite's: votes and turns keep their other references, not battles'."""
    with psycopg.connect(postgres_url) as conn:
        postgres_at(conn, 17)
    store = PostgresStore(postgres_url)
    try:
        assert store.schema_version() == len(MIGRATIONS) >= 18
        with psycopg.connect(postgres_url) as conn:
            references = conn.execute(
                "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid::regclass::text IN ('votes', 'turns') "
                "ORDER BY 1, 2"
            ).fetchall()
        assert references == [("votes", "models"), ("votes", "models"), ("votes", "voters")]
    finally:
        store.close()
