"""SQLite's planner and log after an import: statistics that say every battle has one status led
it to scan every battle for the ended ones; none at all, to sort every vote for the replay."""

from pathlib import Path

import pytest

from arena.adapters.sqlite import SqliteStore
from tests.contract.helpers import cast, new_battle, vote


def planned(store, call, reading: str) -> tuple[object, list[tuple[str, list[str]]]]:
    """What call() returns, and (statement, query plan) of each statement it sent that holds
    `reading` (at least one)."""
    sent: list[str] = []
    store.db.conn.set_trace_callback(sent.append)
    try:
        result = call()
    finally:
        store.db.conn.set_trace_callback(None)
    reads = [sql for sql in sent if reading in sql]
    assert reads, sent
    return result, [
        (sql, [row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}")]) for sql in reads
    ]


def test_exclusion_counts_find_ended_battles_through_the_status_index_after_analyze(tmp_path):
    store = SqliteStore(tmp_path / "store.db")
    for k in range(40):
        new_battle(store, f"b{k}")
        cast(store, vote(f"b{k}"))
    store.db.execute("ANALYZE")
    counts, plans = planned(store, store.exclusion_counts, "FROM battles")
    for sql, plan in plans:
        assert not any(line.startswith("SCAN battles") for line in plan), (sql, plan)
    assert counts["battle_abandoned"] == counts["battle_void"] == 0
    store.close()


def test_a_bulk_import_leaves_statistics_so_the_live_replay_reads_votes_in_cast_order(
    tmp_path, monkeypatch
):
    # Without statistics the planner took the `counted` index for the counting votes and then
    # sorted them all: 4× slower than reading them in order (seen at 1M imported). The replay
    # reads cast order (stop 32): along the time index, ties sorted by battle id.
    from arena.adapters.sqlite import battles as sqlite_battles
    from arena.adapters.sqlite.votes import CAST_ORDER
    from arena.adapters.vote_pairs import COUNTED_PAIRS_SQL
    from tests.contract.test_battles import imported

    monkeypatch.setattr(sqlite_battles, "REBUILD_AT_LEAST", 50)
    store = SqliteStore(tmp_path / "store.db")
    rows = [(imported(f"i{k}", judge=f"judge-{k % 7}", conversation=False), None, None)
            for k in range(200)]  # fmt: skip
    store.import_votes(rows, source="import:many")
    analysed = {r[0] for r in store.db.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}
    assert "votes" in analysed  # (battles: an import writes no battles row)
    replay = COUNTED_PAIRS_SQL.format(cast_order=CAST_ORDER)
    plan = [row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {replay}")]
    assert "SCAN v USING INDEX idx_votes_created_at" in plan, plan
    assert not any("TEMP B-TREE FOR ORDER BY" in line for line in plan), plan
    assert len(store.counted_vote_pairs()) == 200
    store.close()


def test_an_import_leaves_the_write_ahead_log_empty(tmp_path):
    # reads of pages still in the log go through its index: the replay after an import of 1M
    # battles took 3.5 s instead of 0.5 s
    from tests.contract.test_battles import imported

    SqliteStore(tmp_path / "store.db").close()
    store = SqliteStore(tmp_path / "store.db")  # a file made before: the import keeps the log
    store.import_votes([(imported("i1", conversation=False), None, None)], source="import:one")
    assert (tmp_path / "store.db-wal").stat().st_size == 0
    assert len(store.counted_vote_pairs()) == 1
    store.close()


def journal_during_import(store, during=lambda: None, prefix="i") -> tuple[str, bool]:
    """(the journal mode of the import's connection, whether a rollback journal beside the file
    held its writes), looked at each time the import reports progress (then `during()`)."""
    from arena.ports import ImportedBattles
    from tests.contract.test_battles import imported

    seen: list[tuple[str, bool]] = []

    def look(done, total):
        journal = store.path.with_name(store.path.name + "-journal")
        seen.append((store.db.execute("PRAGMA journal_mode").fetchone()[0], journal.exists()))
        during()

    rows = [imported(f"{prefix}{k}", conversation=k % 2 == 0) for k in range(5)]
    battles = ImportedBattles.from_votes(rows, [(None, None)] * len(rows))
    store.import_battles(battles, source="import:five", progress=look)
    assert seen
    return seen[-1]


def test_an_import_that_seeds_a_new_file_writes_each_page_once_then_turns_back_to_the_log(
    tmp_path,
):
    # through the write-ahead log every page of an import is written twice, into the log and
    # then into the file: 3.5 of 18 s at 1M battles
    store = SqliteStore(tmp_path / "store.db")
    assert journal_during_import(store) == ("delete", True)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(store.counted_vote_pairs()) == 5
    assert len(store.load_battle("i0").turns) == 1
    store.close()
    again = SqliteStore(tmp_path / "store.db")
    assert again.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert len(again.counted_vote_pairs()) == 5
    again.close()


def test_an_import_into_a_file_made_before_or_holding_battles_keeps_the_log(tmp_path):
    # a file that workers may serve: they read it while the import writes
    SqliteStore(tmp_path / "old.db").close()
    old = SqliteStore(tmp_path / "old.db")
    assert journal_during_import(old) == ("wal", False)
    old.close()
    used = SqliteStore(tmp_path / "used.db")
    new_battle(used, "b1")
    assert journal_during_import(used) == ("wal", False)
    assert used.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    used.close()
    # seeded by an import, it holds votes and no battle (an imported battle has no row): the
    # next import, even by the same process, writes through the log
    seeded = SqliteStore(tmp_path / "seeded.db")
    assert journal_during_import(seeded) == ("delete", True)
    assert journal_during_import(seeded, prefix="k") == ("wal", False)
    assert len(seeded.counted_vote_pairs()) == 10
    seeded.close()


def test_an_import_while_another_connection_reads_a_new_file_keeps_the_log(tmp_path):
    import sqlite3
    import time

    store = SqliteStore(tmp_path / "store.db")
    reader = sqlite3.connect(tmp_path / "store.db", isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0
    counted: list[int] = []

    def read_then_end():  # its snapshot, then the end of its transaction
        counted.append(reader.execute("SELECT COUNT(*) FROM votes").fetchone()[0])
        if reader.in_transaction:
            reader.execute("COMMIT")

    started = time.monotonic()
    assert journal_during_import(store, read_then_end) == ("wal", False)
    assert time.monotonic() - started < 2  # the log kept at once, not after the busy timeout
    assert counted[0] == 0
    assert reader.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 5
    reader.close()
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


def test_the_models_with_votes_are_found_by_look_ups_not_by_reading_every_vote(tmp_path):
    # a UNION of both sides' ids read every index entry: 1.3 s of each 10M-vote snapshot
    store = SqliteStore(tmp_path / "store.db")
    for k in range(30):  # delta only ever on side B, and only in uncounted votes
        new_battle(store, f"b{k}", models=("alpha", "beta") if k % 3 else ("gamma", "delta"))
        cast(store, vote(f"b{k}", counted=k % 3 != 0))
    new_battle(store, "unvoted", models=("alpha", "epsilon"))
    store.db.execute("ANALYZE")
    found, plans = planned(store, store.models_with_votes, "FROM votes")
    for sql, plan in plans:
        assert not any(line.startswith(("SCAN v", "SCAN votes")) for line in plan), (sql, plan)
        assert not any("INDEX idx_votes_counted" in line and "SCAN" in line for line in plan), plan
    assert found == ["alpha", "beta", "delta", "gamma"]
    store.close()


def test_the_quarantined_votes_are_counted_from_the_quarantined_voters(tmp_path):
    # `voter_id IN (SELECT … FROM quarantines)` had the planner read every vote
    store = SqliteStore(tmp_path / "store.db")
    for k in range(40):
        new_battle(store, f"b{k}", voter=f"v{k % 2}")
        cast(store, vote(f"b{k}", counted=k % 4 != 0, voter=f"v{k % 2}"))
    store.quarantine("v1", "ring", "")
    store.db.execute("ANALYZE")
    counts, plans = planned(store, store.exclusion_counts, "quarantines")
    for sql, plan in plans:
        assert not any(line.startswith(("SCAN votes", "SCAN v ")) or line == "SCAN v"
                       for line in plan), (sql, plan)  # fmt: skip
    assert counts["probe"] == 10 and counts["quarantined"] == 20  # v1: every odd battle
    store.close()


def test_every_index_of_the_votes_has_statistics_after_analyze(tmp_path):
    """An index ANALYZE leaves without a row in sqlite_stat1 (an empty partial index) makes
    `PRAGMA optimize`, run at every close, analyze all the votes again: 2.3 s at 10M."""
    store = SqliteStore(tmp_path / "store.db")
    for k in range(10):
        new_battle(store, f"b{k}")
        cast(store, vote(f"b{k}"))
    store.db.execute("ANALYZE")
    indexes = {r[0] for r in store.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'votes'"
    )}  # fmt: skip
    analysed = {r[0] for r in store.db.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'votes'")}
    assert indexes <= analysed, indexes - analysed
    store.close()


def test_a_commit_that_fails_leaves_no_transaction_open(tmp_path):
    # COMMIT itself can fail (a full disk; here a reader that holds the file past the busy
    # timeout, under a rollback journal): the transaction was left open on the connection,
    # holding SQLite's write lock, and every later call of that connection joined it.
    import sqlite3

    from tests.contract.helpers import new_battle

    store = SqliteStore(tmp_path / "store.db")
    store.db.execute("PRAGMA journal_mode = DELETE")  # the only connection: allowed
    store.db.execute("PRAGMA busy_timeout = 100")
    reader = sqlite3.connect(tmp_path / "store.db", timeout=0.1, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM models").fetchone()  # a read held open
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        new_battle(store, "b1")
    assert not store.db.conn.in_transaction
    reader.execute("COMMIT")
    reader.close()
    new_battle(store, "b2")  # the connection writes again, on its own transaction
    assert [r[0] for r in store.db.execute("SELECT id FROM battles")] == ["b2"]
    store.close()


def bulk_import(store, monkeypatch) -> list[str]:
    """The statements sent by an import of 200 battles into `store`, enough to rebuild its
    indexes."""
    from arena.adapters.sqlite import battles as sqlite_battles
    from tests.contract.test_battles import imported

    monkeypatch.setattr(sqlite_battles, "REBUILD_AT_LEAST", 50)
    rows = [(imported(f"i{k}", conversation=False), None, None) for k in range(200)]
    sent: list[str] = []
    store.db.conn.set_trace_callback(sent.append)
    try:
        store.import_votes(rows, source="import:many")
    finally:
        store.db.conn.set_trace_callback(None)
    return sent


def test_a_bulk_import_rebuilds_the_full_indexes_and_keeps_the_partial_ones(tmp_path, monkeypatch):
    # An imported battle has no IP, never streams and ended in a vote: none belongs in the partial
    # indexes, so dropping and rebuilding them only scanned the battles (0.65 s of a 1M import).
    # They stay, and still index the live battles they hold.
    store = SqliteStore(tmp_path / "store.db")
    new_battle(store, "live")  # open, unvoted: in the index of unvoted battles
    sent = bulk_import(store, monkeypatch)
    dropped = {sql.split('"')[1] for sql in sent if sql.startswith("DROP INDEX")}
    partial = {name for name, sql in store.db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'"
    )}  # fmt: skip
    assert partial and not dropped & partial
    assert "idx_votes_battle_id" in dropped  # the full ones are still rebuilt
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    unvoted = store.db.execute(
        "SELECT id FROM battles INDEXED BY idx_battles_unvoted_status WHERE status <> 'voted'"
    ).fetchall()
    assert unvoted == [("live",)]
    store.close()


def test_the_indexes_an_import_drops_are_built_with_a_small_cache_which_is_put_back_after(
    tmp_path, monkeypatch
):
    # SQLite's sorter sorts up to the page cache's size at once: with the import's 256 MB cache
    # the four votes indexes of 10M battles took 53 s to build, with 4 MB 18 s (1M: 3.4 -> 1.6 s)
    from arena.adapters.sqlite import battles as sqlite_battles

    store = SqliteStore(tmp_path / "store.db")
    before = store.db.execute("PRAGMA cache_size").fetchone()[0]
    sent = bulk_import(store, monkeypatch)
    built = [k for k, sql in enumerate(sent) if sql.startswith("CREATE") and " INDEX " in sql]
    assert len(built) >= 4
    pragmas = [sql for sql in sent[: built[0]] if sql.startswith("PRAGMA cache_size =")]
    assert pragmas[-1] == f"PRAGMA cache_size = {-sqlite_battles.REBUILD_CACHE_KIB}"
    assert sqlite_battles.REBUILD_CACHE_KIB <= 8 * 1024
    assert store.db.execute("PRAGMA cache_size").fetchone()[0] == before
    store.close()


def test_a_seeding_import_killed_midway_leaves_an_empty_arena_in_the_log_mode(tmp_path):
    # the process dies with its writes in the file and the rollback journal beside it: the
    # next open rolls them back and turns the file to WAL again
    import subprocess
    import sys

    killed = (
        "import os, sys\n"
        "from arena.adapters.sqlite import SqliteStore\n"
        "from tests.test_sqlite_plans import journal_during_import\n"
        "store = SqliteStore(sys.argv[1])\n"
        "journal_during_import(store, lambda: os._exit(3))\n"
    )
    path = tmp_path / "store.db"
    root = Path(__file__).parent.parent
    died = subprocess.run([sys.executable, "-c", killed, str(path)], cwd=root, check=False)
    assert died.returncode == 3
    assert path.with_name("store.db-journal").exists()  # a hot journal
    store = SqliteStore(path)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()
    again = SqliteStore(path)  # a file made before: imported again through the log
    assert journal_during_import(again) == ("wal", False)
    assert len(again.counted_vote_pairs()) == 5
    again.close()


def test_a_battle_is_looked_up_by_id_in_both_halves_of_every_battle(tmp_path):
    """Since schema 18 a battle is read from the battles rows and the imported votes
    (EVERY_BATTLE): the id reaches both halves, a look-up each, never a scan of either."""
    from tests.contract.test_battles import imported

    store = SqliteStore(tmp_path / "store.db")
    new_battle(store, "b1")
    store.import_votes([(imported(f"i{k}"), None, None) for k in range(3)], source="import:x")
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    assert store.load_battle("b1").session_id == "s1"
    assert store.load_battle("i2").session_id == "import:x"
    store.db.conn.set_trace_callback(None)
    reads = [sql for sql in statements if "UNION ALL" in sql]
    assert len(reads) == 2
    for sql in reads:
        plan = [row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}")]
        assert "SEARCH battles USING INDEX sqlite_autoindex_battles_1 (id=?)" in plan, plan
        assert "SEARCH v USING INDEX idx_votes_battle_id (battle_id=?)" in plan, plan
        assert not any(line.startswith(("SCAN battles", "SCAN v")) for line in plan), plan
    store.close()
