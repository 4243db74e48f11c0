"""Any store: the read-only views a person browses the database with (Datasette, a SQL shell),
`leaderboard` and `battles_readable`, give the same plain rows on every store."""

import json
from dataclasses import asdict
from datetime import datetime

import psycopg
from psycopg.rows import dict_row

from arena.adapters.sqlite import SqliteStore
from arena.domain.battle import Mode
from arena.domain.clock import to_iso
from arena.ports import Store
from arena.snapshot import Board, BoardRow
from tests.contract.helpers import START, cast, new_battle, vote


def read_view(store: Store, view: str) -> list[dict]:
    """Every row of a view in its own order, values as SQLite gives them (0/1, ISO times)."""
    if isinstance(store, SqliteStore):
        rows = list(store.db.query(f"SELECT * FROM {view}"))
    else:
        with psycopg.connect(store.url) as conn, conn.cursor(row_factory=dict_row) as cursor:
            rows = cursor.execute(f"SELECT * FROM {view}").fetchall()
    return [{k: _as_sqlite(v) for k, v in row.items()} for row in rows]


def _as_sqlite(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return to_iso(value.timestamp())
    return value


def row(model: str, rating: float, rank_ub: int, votes: int, provisional=False) -> BoardRow:
    return BoardRow(model, rating, rating - 30.5, rating + 29.25, rank_ub, votes, provisional,
                    organisation="Org", licence="MIT")  # fmt: skip


def body(**boards: tuple[BoardRow, ...]) -> str:
    """A snapshot body as `Snapshot.to_json` writes one (only the boards matter here)."""
    return json.dumps(
        {"manifest": {}, "boards": {
            name: asdict(Board(name, sum(r.votes for r in rows) // 2, rows))
            for name, rows in boards.items()
        }},  # fmt: skip
        ensure_ascii=False, indent=1,
    )  # fmt: skip


def test_the_leaderboard_is_the_latest_snapshots_boards_as_rows(store):
    assert read_view(store, "leaderboard") == []
    new_battle(store)
    old = body(overall=(row("beta", 1010.0, 1, 3), row("alpha", 990.0, 1, 3)))
    store.save_snapshot("s-old", to_iso(START), 3, "a" * 64, old, [1])
    new = body(
        overall=(row("alpha", 1012.5, 1, 4), row("beta", 987.5, 1, 4), row("新", 900.0, 3, 1, True)),
        chinese=(row("新", 1000.0, 1, 1, True),),
        coding=(),
    )  # fmt: skip
    # named to sort before the old one: "latest" is the order made, not the id
    store.save_snapshot("s-aaa", to_iso(START + 60), 4, "b" * 64, new, [1])

    common = {"snapshot_id": "s-aaa", "snapshot_created_at": to_iso(START + 60)}
    shown = read_view(store, "leaderboard")
    assert shown == [
        {**common, "category": "overall", "category_votes": 4, "rank_ub": 1, "model": "alpha",
         "rating": 1012.5, "lower": 982.0, "upper": 1041.75, "votes": 4, "provisional": 0,
         "organisation": "Org", "licence": "MIT", "status": "active"},
        {**common, "category": "overall", "category_votes": 4, "rank_ub": 1, "model": "beta",
         "rating": 987.5, "lower": 957.0, "upper": 1016.75, "votes": 4, "provisional": 0,
         "organisation": "Org", "licence": "MIT", "status": "active"},
        {**common, "category": "overall", "category_votes": 4, "rank_ub": 3, "model": "新",
         "rating": 900.0, "lower": 869.5, "upper": 929.25, "votes": 1, "provisional": 1,
         "organisation": "Org", "licence": "MIT", "status": "active"},
        {**common, "category": "chinese", "category_votes": 0, "rank_ub": 1, "model": "新",
         "rating": 1000.0, "lower": 969.5, "upper": 1029.25, "votes": 1, "provisional": 1,
         "organisation": "Org", "licence": "MIT", "status": "active"},
    ]  # fmt: skip
    assert all(isinstance(r["rating"], float) for r in shown)


def test_battles_readable_names_models_verdicts_and_why_a_vote_does_not_count(store, clock):
    new_battle(store, "b1")
    new_battle(store, "b2", models=("beta", "gamma"))
    new_battle(store, "n1", Mode.NAMED)
    new_battle(store, "q1", voter="q")
    clock.advance(1.5)
    cast(store, vote("b1", language="zh", is_coding=True))
    cast(store, vote("b2", "b_better", counted=False), models=("beta", "gamma"))
    cast(store, vote("n1", "tie", counted=False, reason="named_battle", is_multi_turn=True))
    cast(store, vote("q1", "both_bad", voter="q", is_long_query=True))
    store.quarantine("q", "vote ring", "")

    common = {"created_at": to_iso(START + 1.5), "source": "arena", "anonymous": 1}
    flags = {"language": "en", "is_coding": 0, "is_long_query": 0, "is_multi_turn": 0}
    assert read_view(store, "battles_readable") == [
        {**common, **flags, "vote_id": 1, "battle_id": "b1", "model_a": "alpha",
         "model_b": "beta", "verdict": "a_better", "winner": "alpha", "counted": 1,
         "reason": None, "voter_quarantined": 0, "counting": 1, "language": "zh",
         "is_coding": 1, "voter_id": "v1"},
        {**common, **flags, "vote_id": 2, "battle_id": "b2", "model_a": "beta",
         "model_b": "gamma", "verdict": "b_better", "winner": "gamma", "counted": 0,
         "reason": "probe", "voter_quarantined": 0, "counting": 0, "voter_id": "v1"},
        {**common, **flags, "vote_id": 3, "battle_id": "n1", "model_a": "alpha",
         "model_b": "beta", "verdict": "tie", "winner": None, "counted": 0,
         "reason": "named_battle", "anonymous": 0, "voter_quarantined": 0, "counting": 0,
         "is_multi_turn": 1, "voter_id": "v1"},
        {**common, **flags, "vote_id": 4, "battle_id": "q1", "model_a": "alpha",
         "model_b": "beta", "verdict": "both_bad", "winner": None, "counted": 1,
         "reason": None, "voter_quarantined": 1, "counting": 0, "is_long_query": 1,
         "voter_id": "q"},
    ]  # fmt: skip


def test_battles_readable_counts_exactly_the_votes_the_rankings_read(store):
    """`counting` is the one definition (the counting_votes view), never a second copy of it."""
    for n, voter in enumerate(("v1", "v1", "q", "q")):
        new_battle(store, f"b{n}", voter=voter)
        cast(store, vote(f"b{n}", voter=voter, counted=n != 1))
    store.quarantine("q", "vote ring", "")
    counting = [r for r in read_view(store, "battles_readable") if r["counting"]]
    assert len(counting) == len(store.counted_vote_pairs().as_tuples()) == 1
    assert store.release_quarantine("q", "false positive")
    counting = [r for r in read_view(store, "battles_readable") if r["counting"]]
    assert len(counting) == len(store.counted_vote_pairs().as_tuples()) == 3
