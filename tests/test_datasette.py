"""The database read in Datasette: deploy/datasette-metadata.json describes every table, view and
column of a new database (and nothing else), and a real arena database served by Datasette shows
the leaderboard and the battles as plain rows, with those descriptions."""

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from datasette.app import Datasette

from arena.adapters.sqlite import SqliteStore
from arena.adapters.sqlite.schema import MIGRATIONS
from arena.domain.battle import Mode
from arena.views import Voter
from tests.conftest import collect
from tests.schema_versions import sqlite_at, voted_battle

METADATA = Path(__file__).parent.parent / "deploy" / "datasette-metadata.json"


def load_metadata() -> dict:
    return json.loads(METADATA.read_text(encoding="utf-8"))


def described_tables() -> dict[str, dict]:
    return load_metadata()["databases"]["arena"]["tables"]


def test_the_metadata_describes_exactly_the_tables_views_and_columns_of_a_new_database(tmp_path):
    store = SqliteStore(tmp_path / "arena.db")
    try:
        names = [*store.db.table_names(), *store.db.view_names()]
        schema = {name: [c.name for c in store.db[name].columns] for name in names}
    finally:
        store.close()
    schema = {name: columns for name, columns in schema.items() if not name.startswith("sqlite_")}
    described = described_tables()
    assert sorted(described) == sorted(schema), "tables or views missing from one side"
    for name, columns in schema.items():
        assert sorted(described[name]["columns"]) == sorted(columns), name


def test_every_description_is_written():
    metadata = load_metadata()
    assert metadata["title"] and metadata["description"]
    for name, table in described_tables().items():
        assert table["title"].strip() and table["description"].strip(), name
        for column, text in table["columns"].items():
            assert text.strip(), f"{name}.{column}"


def test_a_database_from_before_the_views_shows_its_votes_in_them_once_opened(tmp_path):
    """Version 8 → 10 on a database with data: the views read what was there, the index on
    votes (voter_id) alone is gone, and the snapshot's battles are its packed vote ids."""
    path = tmp_path / "arena.db"
    db = sqlite_utils.Database(path)
    with db.conn:
        sqlite_at(db, 8)
        db["battles"].insert(voted_battle("b1"))
        db["votes"].insert({"battle_id": "b1", "voter_id": "v1", "model_a_id": 1, "model_b_id": 2,
                            "verdict": "b_better", "counted": 1, "anonymous": 1,
                            "created_at": "2027-01-15T08:00:00.000+00:00"})  # fmt: skip
        board = {"category": "overall", "votes": 1, "rows": [{"model": "beta", "rating": 1010.0}]}
        db["snapshots"].insert({"id": "s1", "created_at": "2027-01-15T09:00:00.000+00:00",
                                "votes": 1, "vote_set_sha256": "0" * 64,
                                "body": json.dumps({"boards": {"overall": board}})})  # fmt: skip
        db["snapshot_battles"].insert({"snapshot_id": "s1", "battle_id": "b1"})
    assert "idx_votes_voter_id" in {index.name for index in db["votes"].indexes}
    db.close()

    store = SqliteStore(path)
    try:
        assert store.schema_version() == len(MIGRATIONS)
        [battle] = store.db.query("SELECT model_a, model_b, winner, counting FROM battles_readable")
        assert battle == {"model_a": "alpha", "model_b": "beta", "winner": "beta", "counting": 1}
        [row] = store.db.query("SELECT snapshot_id, category, model, rating FROM leaderboard")
        assert row == {
            "snapshot_id": "s1",
            "category": "overall",
            "model": "beta",
            "rating": 1010.0,
        }
        assert "idx_votes_voter_id" not in {index.name for index in store.db["votes"].indexes}
        # version 10: the snapshot's battles became its packed vote ids, and it stays immutable
        assert store.snapshot_vote_ids("s1") == {1}
        assert "snapshot_battles" not in store.db.table_names()
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            store.db.execute("UPDATE snapshots SET votes = 2")
    finally:
        store.close()


@pytest.fixture
def voted(make_arena):
    """An arena with twelve counted votes, one probe (stored, not counted), one side-by-side
    vote and a snapshot of the counted ones."""
    arena = make_arena(
        {"alpha": "fake-echo", "beta": "fake-zh", "gamma": "fake-echo"},
        snapshot_resamples=20, min_votes=3,
    )  # fmt: skip
    verdicts = ["a_better", "b_better", "tie", "both_bad"]
    prompts = ["Explain recursion, take {}", "写一首关于秋天的诗，第{}首"]
    for i in range(12):
        voter = Voter(f"session-{i}", f"voter-{i % 4}", f"10.0.0.{i % 3}")
        started = arena.start_battle(voter)
        collect(arena.ask(voter, started.battle_id, prompts[i % 2].format(i)))
        arena.vote(voter, started.battle_id, verdicts[i % 4])
    prober = Voter("session-probe", "voter-probe")
    started = arena.start_battle(prober)
    collect(arena.ask(prober, started.battle_id, "你是谁？"))
    arena.vote(prober, started.battle_id, "a_better")
    named = arena.start_battle(prober, mode=Mode.NAMED, models=("alpha", "gamma"))
    collect(arena.ask(prober, named.battle_id, "Write a haiku"))
    arena.vote(prober, named.battle_id, "b_better")
    arena.publishing.create()
    return arena


def browse(database: Path, *paths: str) -> list:
    """GET each path from Datasette serving `database` with the project's metadata; the JSON of
    .json paths, the text of the others."""

    async def get_all():
        datasette = Datasette([str(database)], metadata=load_metadata())
        await datasette.invoke_startup()
        responses = [await datasette.client.get(path) for path in paths]
        assert [r.status_code for r in responses] == [200] * len(paths), paths
        pairs = zip(responses, paths, strict=True)
        return [r.json() if ".json" in path else r.text for r, path in pairs]

    return asyncio.run(get_all())


def test_datasette_serves_the_latest_leaderboard_as_rows(voted, settings):
    shot = voted.publishing.get()
    [rows] = browse(settings.db_path, "/arena/leaderboard.json?_shape=array&_size=max")
    assert {row["snapshot_id"] for row in rows} == {shot.id}
    published = [
        (name, r.model, r.rating, r.lower, r.upper, r.rank_ub, r.votes, int(r.provisional))
        for name, board in shot.boards.items()
        for r in board.rows
    ]
    shown = [
        (r["category"], r["model"], r["rating"], r["lower"], r["upper"], r["rank_ub"],
         r["votes"], r["provisional"])
        for r in rows
    ]  # fmt: skip
    assert shown == published
    assert {"overall", "chinese", "english", "coding"} <= {r["category"] for r in rows}
    overall = [r for r in rows if r["category"] == "overall"]
    assert {r["model"] for r in overall} == {"alpha", "beta", "gamma"}
    assert {(r["organisation"], r["licence"]) for r in overall} == {("Test Org", "MIT")}
    assert overall[0]["category_votes"] == 12


def test_datasette_serves_every_vote_with_names_and_why_it_does_not_count(voted, settings):
    [rows] = browse(settings.db_path, "/arena/battles_readable.json?_shape=array&_size=max")
    assert len(rows) == 14
    counting = [r for r in rows if r["counting"]]
    assert len(counting) == 12
    assert all({r["model_a"], r["model_b"]} <= {"alpha", "beta", "gamma"} for r in rows)
    for row in counting:
        winner = {"a_better": row["model_a"], "b_better": row["model_b"]}.get(row["verdict"])
        assert row["winner"] == winner
        assert row["counted"] == 1 and row["reason"] is None and row["anonymous"] == 1
    probe, named = rows[-2:]
    assert (probe["counted"], probe["reason"], probe["counting"]) == (0, "probe", 0)
    assert (named["model_a"], named["model_b"], named["winner"]) == ("alpha", "gamma", "gamma")
    assert (named["anonymous"], named["reason"], named["counting"]) == (0, "named_battle", 0)


def test_datasette_shows_the_descriptions_of_views_and_columns(voted, settings):
    tables = described_tables()
    leaderboard, battles, metadata = browse(
        settings.db_path, "/arena/leaderboard", "/arena/battles_readable", "/-/metadata.json"
    )
    for page, name in ((leaderboard, "leaderboard"), (battles, "battles_readable")):
        assert escape(tables[name]["title"]) in page
        assert escape(tables[name]["description"]) in page
        for text in tables[name]["columns"].values():
            assert escape(text) in page, text
    served = metadata["databases"]["arena"]["tables"]["leaderboard"]
    assert {key: served[key] for key in tables["leaderboard"]} == tables["leaderboard"]


def escape(text: str) -> str:
    """As Jinja writes text into HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        "'", "&#39;").replace('"', "&#34;")  # fmt: skip
