"""`copy-db`: a SQLite arena moved into PostgreSQL keeps every id, time, vote, quarantine and
snapshot — the boards, the vote-set hash and the published snapshots' verification included."""

import json
from contextlib import contextmanager

import pytest
from click.testing import CliRunner

from arena.bootstrap import create_arena
from arena.cli import cli
from arena.domain.battle import Mode
from arena.views import Voter
from tests.conftest import collect

PROMPTS = ["写一首关于秋天的诗", "Explain recursion", "def f(x): return x", "Tell me a joke"]
VERDICTS = ["a_better", "b_better", "tie", "a_better", "both_bad", "a_better"]


@pytest.fixture
def open_arena(make_roster, fake_provider):
    roster = make_roster({"alpha": "fake-echo", "beta": "fake-zh", "gamma": "fake-echo"})

    @contextmanager
    def open_(settings):
        with create_arena(settings, roster=roster, provider=fake_provider,
                          start_local_models=False) as arena:  # fmt: skip
            yield arena

    return open_


def fill(arena) -> None:
    """Counted votes from several voters, an uncounted probe, a named battle, a quarantined
    voter with counted votes, and a snapshot."""
    for i in range(30):
        voter = Voter(f"session-{i}", f"voter-{i % 5}", f"10.0.0.{i % 4}")
        started = arena.start_battle(voter)
        collect(arena.ask(voter, started.battle_id, PROMPTS[i % len(PROMPTS)]))
        assert arena.vote(voter, started.battle_id, VERDICTS[i % len(VERDICTS)]).counted
    prober = Voter("s-probe", "prober", "10.0.0.9")
    started = arena.start_battle(prober)
    collect(arena.ask(prober, started.battle_id, "你是谁？"))
    assert not arena.vote(prober, started.battle_id, "tie").counted
    named = arena.start_battle(prober, mode=Mode.NAMED, models=("alpha", "beta"))
    collect(arena.ask(prober, named.battle_id, "hello"))
    arena.vote(prober, named.battle_id, "b_better")
    assert arena.quarantine_voter("voter-3", "vote ring")
    # what detection does for a cohort of new voters, done through the store (no clock to wait)
    cohort = arena.store.quarantine_cohort("new_voter_win_shift", "alpha", 5.1, "evidence", [1, 2])
    assert arena.confirm_cohort_quarantine(cohort, "one ring")
    arena.store.quarantine_cohort("new_voter_win_shift", "beta", -4.2, "evidence", [2, 3])
    arena.recompute_ratings()
    arena.create_snapshot()


def state(arena) -> dict:
    """Everything a caller can read, and a new snapshot's hash and boards."""
    shot = arena.create_snapshot()
    return {
        "sha256": shot.manifest.vote_set_sha256,
        "votes": shot.manifest.votes,
        "exclusions": shot.manifest.exclusions,
        "boards": shot.boards,
        "leaderboard": arena.leaderboard(),
        "export": list(arena.export_votes()),
        "quarantines": arena.quarantines(active_only=False),
        "cohort_quarantines": [
            (q, arena.store.cohort_quarantine_vote_ids(q["id"]))
            for q in arena.cohort_quarantines(active_only=False)
        ],
        "models": arena.store.models(),
        "events": [e for e in arena.store.events() if e["kind"] != "snapshot_created"],
    }


def test_a_copied_arena_is_the_same_arena_on_postgres(settings, postgres_url, open_arena,
                                                      tmp_path):  # fmt: skip
    sqlite = settings.with_overrides(db_path=tmp_path / "old.db")
    with open_arena(sqlite) as arena:
        fill(arena)
        old = arena.snapshot()
        before = state(arena)
        snapshots = arena.snapshots()

    result = CliRunner().invoke(cli, ["copy-db", "--db", str(sqlite.db_path), "--to", postgres_url])
    assert result.exit_code == 0, result.output
    assert "votes" in result.output and "copied" in result.output

    postgres = sqlite.with_overrides(database_url=postgres_url)
    assert postgres.secrets_file != sqlite.secrets_file
    # where the copy's secrets are, whole: an arena started from another folder looked in its
    # own data/ and, finding none, made new ones (now refused: tests/test_server_secrets.py)
    assert f"ARENA_SECRETS_PATH={postgres.secrets_file.resolve()}" in result.output
    secrets = [json.loads(s.secrets_file.read_text()) for s in (sqlite, postgres)]
    assert secrets[0] == secrets[1], "the copy keeps the original's secrets"
    with open_arena(postgres) as arena:
        assert type(arena.store).__name__ == "PostgresStore"
        assert arena.snapshots() == snapshots
        assert arena.snapshot(old.id).to_json() == old.to_json()
        (tmp_path / "snapshot.json").write_text(arena.snapshot(old.id).to_json(), encoding="utf-8")
        with open(tmp_path / "battles.json", "w", encoding="utf-8") as out:
            arena.release_battles(out, snapshot_id=old.id, with_conversations=True)
        after = state(arena)
        for key in before:
            assert after[key] == before[key], key

        voter = Voter("s-new", "voter-new", "10.0.0.77")
        started = arena.start_battle(voter)
        collect(arena.ask(voter, started.battle_id, "a new question after the move"))
        assert arena.vote(voter, started.battle_id, "a_better").counted
        voted = sum(row["verdict"] is not None for row in before["export"])
        assert list(arena.store.snapshot_vote_rows())[-1]["vote_id"] == voted + 1, "ids continue"

    verified = CliRunner().invoke(cli, ["snapshot", "verify", str(tmp_path / "snapshot.json"),
                                        "--battles", str(tmp_path / "battles.json")])  # fmt: skip
    assert verified.exit_code == 0, verified.output
    assert "NOT verified" not in verified.output and "verified" in verified.output


def test_copy_db_copies_every_table_of_the_sqlite_schema(tmp_path):
    """A table added by a migration and forgotten here would be lost on the move."""
    from arena.adapters.copy import TABLES
    from arena.adapters.sqlite import SqliteStore

    store = SqliteStore(tmp_path / "schema.db")
    try:
        tables = {row[0] for row in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )}  # fmt: skip
    finally:
        store.close()
    assert tables - {"meta"} == set(TABLES)


def test_copy_db_refuses_a_target_that_is_not_empty(settings, postgres_url, open_arena):
    with open_arena(settings) as arena:
        arena.start_battle(Voter("s", "v", "10.0.0.1"))
    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["copy-db", "--db", str(settings.db_path), "--to", postgres_url]
        ).exit_code
        == 0
    )
    secrets = settings.db_path.parent / "other" / "secrets.json"
    again = runner.invoke(cli, ["copy-db", "--db", str(settings.db_path), "--to", postgres_url],
                          env={"ARENA_SECRETS_PATH": str(secrets)})  # fmt: skip
    assert again.exit_code == 1
    assert "not empty" in again.output
    assert not secrets.exists(), "refused before anything is written, the secrets file too"


def test_copy_db_refuses_what_it_cannot_copy(settings, tmp_path, postgres_url):
    runner = CliRunner()
    missing = runner.invoke(
        cli, ["copy-db", "--db", str(tmp_path / "none.db"), "--to", postgres_url]
    )
    assert missing.exit_code == 1 and "no SQLite database" in missing.output
    not_postgres = runner.invoke(cli, ["copy-db", "--to", "sqlite:///other.db"])
    assert not_postgres.exit_code == 1 and "into a PostgreSQL one" in not_postgres.output
    wrong = runner.invoke(cli, ["copy-db", "--to", "mysql://root:secret@db/arena"])
    assert wrong.exit_code != 0 and "secret" not in wrong.output


def test_a_database_that_cannot_be_opened_is_one_error_line_and_writes_nothing(
    settings, open_arena, tmp_path
):
    """An unreachable or missing PostgreSQL database was psycopg's traceback, and copy-db had
    already written the target's secrets file."""
    with open_arena(settings) as arena:
        arena.start_battle(Voter("s", "v", "10.0.0.1"))
    missing = "postgresql://postgres@127.0.0.1:5432/arena_no_such_database"
    runner = CliRunner()
    ratings = runner.invoke(cli, ["ratings"], env={"ARENA_DATABASE_URL": missing,
                                                  "ARENA_LOCAL_MODELS": "false"})  # fmt: skip
    assert ratings.exit_code == 1, ratings.output
    assert "Error: cannot open the PostgreSQL database:" in ratings.output
    assert 'database "arena_no_such_database" does not exist' in ratings.output
    secrets = tmp_path / "fresh" / "secrets.json"
    for to in (missing, "postgresql://postgres@127.0.0.1:1/arena"):
        copied = runner.invoke(cli, ["copy-db", "--db", str(settings.db_path), "--to", to],
                               env={"ARENA_SECRETS_PATH": str(secrets)})  # fmt: skip
        assert copied.exit_code == 1, copied.output
        assert "Error: cannot open the PostgreSQL database:" in copied.output
        assert not secrets.exists(), "nothing written for a copy that cannot be made"
