"""SQLite's planner after ANALYZE: an import runs it, and statistics that say every battle has
one status led it to scan every battle for the ended ones."""

from arena.adapters.sqlite import SqliteStore
from tests.contract.helpers import cast, new_battle, vote


def test_exclusion_counts_find_ended_battles_through_the_status_index_after_analyze(tmp_path):
    store = SqliteStore(tmp_path / "store.db")
    for k in range(40):
        new_battle(store, f"b{k}")
        cast(store, vote(f"b{k}"))
    store.db.execute("ANALYZE")
    sent: list[str] = []
    store.db.conn.set_trace_callback(sent.append)
    counts = store.exclusion_counts()
    store.db.conn.set_trace_callback(None)
    reads = [sql for sql in sent if "FROM battles" in sql]
    assert reads, sent
    for sql in reads:
        plan = [row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}")]
        assert not any(line.startswith("SCAN battles") for line in plan), (sql, plan)
    assert counts["battle_abandoned"] == counts["battle_void"] == 0
    store.close()
