"""Any store: the votes table carries no index another one makes redundant, and every query that
reads votes by voter still finds them through an index (the plans of the statements the store
really sends, captured as it runs them)."""

import json
import re
from collections.abc import Iterator

import psycopg
import pytest

from arena.adapters.sqlite import SqliteStore
from arena.domain.clock import to_iso
from arena.ports import Store
from tests.contract.helpers import START, cast, new_battle, vote


def index_columns(store: Store, table: str) -> dict[str, tuple[tuple[str, ...], bool]]:
    """name -> (columns in order, unique) of every index on `table`."""
    if isinstance(store, SqliteStore):
        return {
            name: (tuple(c[2] for c in store.db.execute(f"PRAGMA index_info('{name}')")), bool(u))
            for _, name, u, *_ in store.db.execute(f"PRAGMA index_list('{table}')")
        }  # fmt: skip
    with psycopg.connect(store.url) as conn:
        return {name: (tuple(columns), unique) for name, columns, unique in conn.execute(
            "SELECT i.relname, array_agg(a.attname ORDER BY k.n), x.indisunique FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k (attnum, n) "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
            "WHERE t.relname = %s AND t.relnamespace = current_schema()::regnamespace "
            "GROUP BY i.relname, x.indisunique", [table],
        )}  # fmt: skip


@pytest.mark.parametrize("table", ["votes", "battles", "events", "quarantines", "voters",
                                   "turns", "models", "snapshots"])  # fmt: skip
def test_no_index_is_a_leftmost_prefix_of_another(store, table):
    """Such an index answers nothing the longer one cannot, and every write pays to update it.
    (A unique index stays: it enforces a rule, e.g. one vote per battle.)"""
    indexes = index_columns(store, table)
    redundant = [
        (name, longer)
        for name, (columns, unique) in indexes.items()
        for longer, (other, _) in indexes.items()
        if not unique and longer != name and other[: len(columns)] == columns
    ]
    assert redundant == []


def test_votes_keep_the_index_that_serves_reads_by_voter(store):
    assert ("voter_id", "counted", "created_at") in {
        c for c, _ in index_columns(store, "votes").values()
    }


@pytest.fixture
def sent(store, monkeypatch) -> Iterator[list[tuple[str, object]]]:
    """Every statement the store sends while the test runs, with its parameters."""
    statements: list[tuple[str, object]] = []
    if isinstance(store, SqliteStore):
        store.db.conn.set_trace_callback(lambda sql: statements.append((sql, ())))
        yield statements
        store.db.conn.set_trace_callback(None)
        return
    execute = psycopg.Cursor.execute

    def recording(cursor, query, params=None, **options):
        text = query if isinstance(query, str) else query.as_string(cursor.connection)
        statements.append((text, params))
        return execute(cursor, query, params, **options)

    monkeypatch.setattr(psycopg.Cursor, "execute", recording)
    yield statements


def test_every_read_of_votes_by_voter_uses_an_index_on_voter(store, sent):
    new_battle(store)
    cast(store, vote())
    store.quarantine("v1", "vote ring", "")
    sent.clear()
    store.counted_vote_times("v1", "iphash", to_iso(START - 60))
    store.has_counted_votes("v1")
    store.quarantines(active_only=False)
    store.exclusion_counts()
    by_voter = [(sql, params) for sql, params in sent
                if re.search(r"\b(FROM|JOIN) votes\b", sql) and "voter_id" in sql.split("WHERE", 1)[-1]]  # fmt: skip
    assert len(by_voter) >= 4, sent
    for sql, params in by_voter:
        conditions = votes_index_conditions(store, sql, params)
        assert conditions, sql
        assert all(re.search(r"\bvoter_id ?= ?", c) for c in conditions), (sql, conditions)


def votes_index_conditions(store: Store, sql: str, params) -> list[str]:
    """The index condition of each read of the votes table in the plan of `sql`, "" for a read
    without one (a scan). PostgreSQL is told not to scan tables, so that a dozen rows still show
    which index it would use."""
    if isinstance(store, SqliteStore):
        plan = [row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}")]
        reads = [line for line in plan if re.match(r"(SCAN|SEARCH) (votes|v)\b", line)]
        return [line.partition(" (")[2] if line.startswith("SEARCH") else "" for line in reads]
    with psycopg.connect(store.url) as conn:
        conn.execute("SET enable_seqscan = off")
        [[plan]] = conn.execute(f"EXPLAIN (FORMAT JSON) {sql}", params).fetchall()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return [node.get("Index Cond", node.get("Recheck Cond", "")) for node in _nodes(plan[0]["Plan"])
            if node.get("Relation Name") == "votes"]  # fmt: skip


def _nodes(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)
