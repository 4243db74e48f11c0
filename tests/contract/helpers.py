"""What the contract tests build stores' contents with, and the few looks under the ports they
need (row counts, table names, a statement the database must refuse), one per backend."""

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import sql

from arena.adapters.postgres import PostgresStore
from arena.adapters.sqlite import SqliteStore
from arena.domain.battle import Answer, Battle, Mode, Side, Turn
from arena.domain.clock import from_iso, to_iso
from arena.ports import LiveUpdate, NewVote, Store

START = 1_800_000_000.0  # 2027-01-15T08:00:00Z
# What each backend raises when a trigger or a constraint refuses a statement.
INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg.IntegrityError)


class Clock:
    """Unix seconds that move only when a test moves them."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def stored(seconds: float) -> float:
    """A time as the stores give it back: cut to the millisecond."""
    return from_iso(to_iso(seconds))


# -- building contents through the ports -------------------------------------------------------
def add_models(store: Store, *names: str) -> None:
    store.ensure_models(
        [
            {"name": n, "display_name": n.title(), "organisation": "Org", "licence": "MIT"}
            for n in names
        ]
    )


def new_battle(
    store: Store, battle_id="b1", mode=Mode.ANONYMOUS, *, voter="v1", ip_hash="iphash",
    ip_prefix_hash=None, models=("alpha", "beta"),
) -> Battle:  # fmt: skip
    add_models(store, *models)
    store.ensure_voter(voter, ip_hash)
    battle = Battle(
        id=battle_id, session_id="s1", voter_id=voter, mode=mode,
        models=dict(zip((Side.A, Side.B), models, strict=False)), pair_probability=1.0,
    )  # fmt: skip
    store.create_battle(battle, ip_hash=ip_hash, ip_prefix_hash=ip_prefix_hash)
    return battle


def answered_turn(index=0, prompt="hi", a="hello", b="yo") -> Turn:
    return Turn(index, prompt, {Side.A: Answer(a, complete=True), Side.B: Answer(b, complete=True)})


def vote(battle_id="b1", verdict="a_better", counted=True, *, voter="v1", **fields) -> NewVote:
    values = dict(
        battle_id=battle_id, voter_id=voter, verdict=verdict, counted=counted,
        reason=None if counted else "probe", language="en", is_coding=False,
        is_long_query=False, is_multi_turn=False,
    )  # fmt: skip
    return NewVote(**{**values, **fields})


def plus_one(a, b):
    a = a or (25.0, 8.0)
    b = b or (25.0, 8.0)
    return (a[0] + 1, a[1]), (b[0] - 1, b[1])


def cast(store: Store, new_vote: NewVote, rate=plus_one, models=("alpha", "beta")) -> None:
    """What the service does for a vote: store it and, if it counts, update the live board, in
    one transaction."""
    with store.transaction():
        store.record_vote(new_vote)
        if new_vote.counted:
            skills = store.live_skills(list(models))
            (mu_a, sigma_a), (mu_b, sigma_b) = rate(skills.get(models[0]), skills.get(models[1]))
            win, loss, tie = {"a_better": (1, 0, 0), "b_better": (0, 1, 0)}.get(
                new_vote.verdict, (0, 0, 1)
            )
            store.add_live_result(LiveUpdate(models[0], mu_a, sigma_a, win, loss, tie))
            store.add_live_result(LiveUpdate(models[1], mu_b, sigma_b, loss, win, tie))


def at_once(n: int, action: Callable[[int], object]) -> list:
    """Run action(0) … action(n-1) in n threads released together; their results (or errors)."""
    results: list = [None] * n
    start = threading.Barrier(n)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = action(i)
        except Exception as error:  # returned, so the test can count them
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


# -- looking under the ports (tests only) ------------------------------------------------------
def reopen(store: Store, clock=None) -> Store:
    """A second store on the same database."""
    if isinstance(store, SqliteStore):
        return SqliteStore(store.path, clock=clock or store.clock)
    return PostgresStore(store.url, clock=clock or store.clock)


def execute_raw(store: Store, statement: str) -> None:
    """Run one statement outside the ports (what a bug or a hand in a database shell could do)."""
    if isinstance(store, SqliteStore):
        store.db.execute(statement)
        return
    with psycopg.connect(store.url, autocommit=True) as conn:
        conn.execute(statement)


def scalar(store: Store, statement: str) -> Any:
    """The one value one statement returns, read outside the ports."""
    if isinstance(store, SqliteStore):
        return store.db.execute(statement).fetchone()[0]
    with psycopg.connect(store.url) as conn:
        return conn.execute(statement).fetchone()[0]


def rows_of(store: Store, statement: str) -> list[tuple]:
    """Every row one statement returns, read outside the ports."""
    if isinstance(store, SqliteStore):
        return [tuple(row) for row in store.db.execute(statement).fetchall()]
    with psycopg.connect(store.url) as conn:
        return [tuple(row) for row in conn.execute(statement).fetchall()]


def count_rows(store: Store, table: str) -> int:
    if isinstance(store, SqliteStore):
        return store.db[table].count
    statement = sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table))
    with psycopg.connect(store.url) as conn:
        return conn.execute(statement).fetchone()[0]


def table_names(store: Store) -> set[str]:
    if isinstance(store, SqliteStore):
        return set(store.db.table_names())
    with psycopg.connect(store.url) as conn:
        return {row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )}  # fmt: skip


def counted_vote_records(store) -> list[dict[str, Any]]:
    """The voter evidence records of the votes that count, as detection reads them (without
    the `counted` mark)."""
    return [{k: v for k, v in record.items() if k != "counted"}
            for record in store.voter_evidence_records() if record["counted"]]  # fmt: skip
