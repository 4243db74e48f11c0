"""SQLite's planner and log after an import: statistics that say every battle has one status led
it to scan every battle for the ended ones; none at all, to sort every vote for the replay."""

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


def test_a_bulk_import_leaves_statistics_so_the_live_replay_reads_votes_in_stored_order(
    tmp_path, monkeypatch
):
    # Without statistics the planner takes the `counted` index for the counting votes and then
    # sorts them all by id: 4× slower than reading the table in order (seen at 1M imported).
    from arena.adapters.sqlite import battles as sqlite_battles
    from arena.adapters.vote_pairs import COUNTED_PAIRS_SQL
    from tests.contract.test_battles import imported

    monkeypatch.setattr(sqlite_battles, "REBUILD_AT_LEAST", 50)
    store = SqliteStore(tmp_path / "store.db")
    rows = [(imported(f"i{k}", judge=f"judge-{k % 7}", conversation=False), None, None)
            for k in range(200)]  # fmt: skip
    store.import_votes(rows, source="import:many")
    analysed = {r[0] for r in store.db.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}
    assert {"battles", "votes"} <= analysed
    plan = [row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {COUNTED_PAIRS_SQL}")]
    assert not any("TEMP B-TREE" in line for line in plan), plan
    assert len(store.counted_vote_pairs()) == 200
    store.close()


def test_an_import_leaves_the_write_ahead_log_empty(tmp_path):
    # reads of pages still in the log go through its index: the replay after an import of 1M
    # battles took 3.5 s instead of 0.5 s
    from tests.contract.test_battles import imported

    store = SqliteStore(tmp_path / "store.db")
    store.import_votes([(imported("i1", conversation=False), None, None)], source="import:one")
    assert (tmp_path / "store.db-wal").stat().st_size == 0
    assert len(store.counted_vote_pairs()) == 1
    store.close()


def test_an_import_puts_back_the_connections_cache_threads_and_foreign_keys(tmp_path):
    from tests.contract.test_battles import imported

    store = SqliteStore(tmp_path / "store.db")
    settings = ("cache_size", "threads", "foreign_keys")

    def read():
        return [store.db.execute(f"PRAGMA {name}").fetchone()[0] for name in settings]

    before = read()
    store.import_votes([(imported("i1", conversation=False), None, None)], source="import:one")
    assert read() == before and before[2] == 1
    store.close()
