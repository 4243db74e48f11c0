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
from tests.contract.helpers import START, cast, new_battle, scalar, vote


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
        conditions = index_conditions(store, sql, params)
        assert conditions, sql
        assert all(re.search(r"\bvoter_id ?= ?", c) for c in conditions), (sql, conditions)


def index_conditions(store: Store, sql: str, params, table: str = "votes") -> list[str]:
    """The index condition of each read of `table` in the plan of `sql`, "" for a read
    without one (a scan). PostgreSQL is told not to scan tables, so that a dozen rows still show
    which index it would use."""
    if isinstance(store, SqliteStore):
        plan = [row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}")]
        reads = [line for line in plan if re.match(rf"(SCAN|SEARCH) ({table}|{table[0]})\b", line)]
        return [line.partition(" (")[2] if line.startswith("SEARCH") else "" for line in reads]
    with psycopg.connect(store.url) as conn:
        conn.execute("SET enable_seqscan = off")
        [[plan]] = conn.execute(f"EXPLAIN (FORMAT JSON) {sql}", params).fetchall()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return [node.get("Index Cond", node.get("Recheck Cond", "")) for node in _nodes(plan[0]["Plan"])
            if node.get("Relation Name") == table]  # fmt: skip


def _nodes(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


def index_predicates(store: Store, table: str) -> dict[str, str]:
    """name -> WHERE clause ('' for none) of every index on `table`."""
    if isinstance(store, SqliteStore):
        found = {name: re.search(r"\bWHERE\b(.*)$", sql or "", re.S | re.I)
                 for name, sql in store.db.execute(
                     "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                     [table])}  # fmt: skip
        return {name: match[1].strip() if match else "" for name, match in found.items()}
    with psycopg.connect(store.url) as conn:
        return {name: where or "" for name, where in conn.execute(
            "SELECT i.relname, pg_get_expr(x.indpred, x.indrelid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname = %s AND t.relnamespace = current_schema()::regnamespace", [table],
        )}  # fmt: skip


def index_rows(store: Store, table: str) -> dict[tuple[str, ...], int]:
    """columns -> how many rows of `table` each index holds: the rows its WHERE clause keeps."""
    columns = index_columns(store, table)
    return {columns[name][0]: scalar(store, f"SELECT COUNT(*) FROM {table} WHERE {where or 'TRUE'}")
            for name, where in index_predicates(store, table).items()}  # fmt: skip


def imported_and_live(store: Store) -> None:
    """Three imported battles with their votes, and a live battle with its vote."""
    from tests.contract.test_battles import imported

    store.import_votes([(imported(f"i{k}", conversation=False), None, None) for k in range(3)],
                       source="import:three")  # fmt: skip
    new_battle(store, "live", ip_hash="iphash")
    cast(store, vote("live"))


def test_imported_battles_take_no_room_in_the_indexes_of_live_battles(store):
    """An imported battle has no IP, never streams, ended in a vote and was not started here:
    the per-IP and per-voter gates, the sweep of dead streams and the count of unvoted battles
    never look for it. Indexed all the same, those indexes took 3.9 of the 25 s an import of 1M
    battles took (the voter's 1.3 s of it, and 55 MB). Since schema 18 it has no battles row
    at all: its vote holds it."""
    imported_and_live(store)
    new_battle(store, "open", ip_hash="iphash")
    held = {columns[0]: rows for columns, rows in index_rows(store, "battles").items()}
    assert held == {"id": 2, "voter_id": 2, "ip_hash": 2, "streaming_since": 0, "status": 1}
    assert store.mark_streaming("open")
    assert index_rows(store, "battles")[("streaming_since",)] == 1


def test_the_reads_of_live_battles_use_their_partial_indexes(store, sent):
    """A partial index serves only a query whose condition implies the index's: each read of
    battles by IP, of streaming battles and of unvoted ones still goes through an index."""
    imported_and_live(store)
    sent.clear()
    store.battle_start_times("v1", "iphash", to_iso(START - 60))
    store.counted_vote_times("v1", "iphash", to_iso(START - 60))
    store.abandon_dead_streams(START)
    store.exclusion_counts()
    reads = [(sql, params) for sql, params in sent if re.search(r"\b(FROM|JOIN) battles\b", sql)
             and re.search(r"ip_hash =|voter_id =|streaming_since <|status IN|status = %s", sql)]  # fmt: skip
    assert len(reads) >= 5, sent
    for sql, params in reads:
        conditions = index_conditions(store, sql, params, "battles")
        assert conditions and all(conditions), (sql, conditions)


def test_no_index_holds_rows_without_its_first_column(store):
    """No query looks a NULL up through an index, yet each row whose first indexed column is
    NULL cost the index an entry (an imported battle and its voter have no IP)."""
    imported_and_live(store)
    columns = {table: index_columns(store, table) for table in STORED_TABLES}
    holding_null = {
        (table, name): held
        for table in STORED_TABLES
        for name, where in index_predicates(store, table).items()
        if (held := scalar(store, f"SELECT COUNT(*) FROM {table} WHERE ({where or 'TRUE'}) "
                                 f"AND {columns[table][name][0][0]} IS NULL"))
    }  # fmt: skip
    assert holding_null == {}


STORED_TABLES = ("votes", "battles", "turns", "voters", "models", "events", "quarantines")
