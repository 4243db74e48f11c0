"""SQLite databases made by earlier versions, opened by this one (the views' and snapshots'
migrations are tested with Datasette, in test_datasette.py)."""

import sqlite_utils

from arena.adapters.sqlite import SqliteStore
from arena.adapters.sqlite.schema import MIGRATIONS
from tests.schema_versions import sqlite_at, voted_battle


def test_a_version_10_database_gives_each_vote_its_battles_turns_when_opened(tmp_path):
    """Version 11: an arena vote keeps the turns its battle stored, an imported one the turns
    its file gave (`max_turns`), and `counting_votes` shows the new column."""
    path = tmp_path / "arena.db"
    db = sqlite_utils.Database(path)
    with db.conn:
        sqlite_at(db, 10)
        for battle, max_turns, source in (("b1", 5, "arena"), ("i1", 3, "import:old.json")):
            db["battles"].insert(voted_battle(battle, max_turns=max_turns))
            db["votes"].insert({"battle_id": battle, "voter_id": "v1", "model_a_id": 1,
                                "model_b_id": 2, "verdict": "a_better", "counted": 1,
                                "anonymous": 1, "source": source})  # fmt: skip
        db["turns"].insert_all([{"battle_id": "b1", "idx": idx, "prompt": "hi"}
                                for idx in (0, 1)])  # fmt: skip
    db.close()

    store = SqliteStore(path)
    try:
        assert store.schema_version() == len(MIGRATIONS) >= 11
        stored = store.db.execute("SELECT battle_id, turns FROM votes ORDER BY id").fetchall()
        counting = store.db.execute(
            "SELECT battle_id, turns FROM counting_votes ORDER BY id"
        ).fetchall()
        assert stored == counting == [("b1", 2), ("i1", 3)]
        assert store.db.execute("SELECT count(*) FROM battles_readable").fetchone()[0] == 2
        assert {r["battle_id"]: r["turns"] for r in store.snapshot_vote_rows()} == {
            "b1": 2, "i1": 3,
        }  # fmt: skip
    finally:
        store.close()


def test_a_version_11_database_keeps_counting_its_votes_and_can_quarantine_a_cohort(tmp_path):
    """Version 12: `counting_votes` also leaves out the votes of active cohort quarantines;
    the votes of a database made before count as they did, and `battles_readable` still reads."""
    path = tmp_path / "arena.db"
    db = sqlite_utils.Database(path)
    with db.conn:
        sqlite_at(db, 11)
        for battle in ("b1", "b2"):
            db["votes"].insert({"battle_id": battle, "voter_id": "v1", "model_a_id": 1,
                                "model_b_id": 2, "verdict": "a_better", "counted": 1,
                                "anonymous": 1, "source": "arena", "turns": 1})  # fmt: skip
    db.close()

    store = SqliteStore(path)
    try:
        assert store.schema_version() == len(MIGRATIONS) >= 12
        assert store.counting_vote_count() == 2
        store.quarantine_cohort("new_voter_win_shift", "alpha", 4.2, "", [1])
        assert store.counting_vote_count() == 1
        counting = dict(store.db.execute("SELECT battle_id, counting FROM battles_readable"))
        assert counting == {"b1": 0, "b2": 1}
    finally:
        store.close()


def test_a_version_16_database_indexes_only_the_battles_started_here_by_voter(tmp_path):
    """Version 17: the index of battles by voter leaves out imported battles, and a voter's
    battle starts leave them out too (a judge of an imported file may share a voter's id)."""
    path = tmp_path / "arena.db"
    db = sqlite_utils.Database(path)
    with db.conn:
        sqlite_at(db, 16)
        for battle, session in (("b1", "s1"), ("i1", "import:old.json")):
            db["battles"].insert(
                voted_battle(
                    battle,
                    session_id=session,
                    max_turns=1,
                    created_at="2026-12-06T00:00:00.000+00:00",
                )
            )
    db.close()

    store = SqliteStore(path)
    try:
        assert store.schema_version() == len(MIGRATIONS) >= 17
        since = "2026-12-05T00:00:00.000+00:00"
        assert len(store.battle_start_times("v1", None, since)[0]) == 1
        held = store.db.execute(
            "SELECT count(*) FROM battles INDEXED BY idx_battles_voter_id_created_at "
            "WHERE voter_id = 'v1' AND substr(session_id, 1, 7) <> 'import:'"
        ).fetchone()[0]
        assert held == 1
    finally:
        store.close()


def test_a_version_17_database_keeps_its_battles_and_votes_and_no_longer_ties_votes_to_battles(
    tmp_path,
):
    """Version 18: votes and turns no longer reference battles (an imported battle has no
    battles row since), the rows stored before stay, an imported battle with a battles row
    reads once, and the file passes SQLite's integrity and foreign-key checks."""
    path = tmp_path / "arena.db"
    db = sqlite_utils.Database(path)
    with db.conn:
        sqlite_at(db, 17)
        db["battles"].insert(
            voted_battle(
                "i1",
                session_id="import:old.json",
                max_turns=1,
                created_at="2026-12-06T00:00:00.000+00:00",
            )
        )
        db["votes"].insert({"battle_id": "i1", "voter_id": "v1", "model_a_id": 1,
                            "model_b_id": 2, "verdict": "a_better", "counted": 1,
                            "anonymous": 1, "source": "import:old.json", "turns": 1,
                            "created_at": "2026-12-06T00:00:00.000+00:00"})  # fmt: skip
    references = {"votes": ["battles", "models", "models", "voters"],
                  "turns": ["battles"]}  # fmt: skip
    assert {t: sorted(r[2] for r in db.execute(f"PRAGMA foreign_key_list({t})"))
            for t in references} == references  # fmt: skip
    db.close()

    store = SqliteStore(path)
    try:
        assert store.schema_version() == len(MIGRATIONS) >= 18
        assert {t: sorted(r[2] for r in store.db.execute(f"PRAGMA foreign_key_list({t})"))
                for t in references} == {"votes": ["models", "models", "voters"], "turns": []}  # fmt: skip
        assert store.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert [r["battle_id"] for r in store.export_rows()] == ["i1"]
        assert store.load_battle("i1").session_id == "import:old.json"
    finally:
        store.close()
    reopened = sqlite_utils.Database(path)  # another connection reads the new declaration
    assert "REFERENCES" not in reopened["turns"].schema
    reopened.close()
