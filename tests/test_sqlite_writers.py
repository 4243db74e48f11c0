"""SQLite: writers in several workers (or threads) queue for the file in the kernel and start as
soon as the one before commits, instead of polling with SQLite's busy handler, whose back-off
sleeps reach 100 ms a try while the lock stands free (two workers at 200 votes/s: p99 2 s)."""

import threading
import time

from arena.adapters.sqlite import SqliteStore


def test_a_waiting_writer_starts_as_soon_as_the_writer_before_commits(tmp_path):
    first, second = SqliteStore(tmp_path / "a.db"), SqliteStore(tmp_path / "a.db")  # 2 workers
    holding, committed_at, started_at = threading.Event(), [0.0], [0.0]

    def hold_then_commit():
        with first.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('first', '1')")
            holding.set()
            time.sleep(0.24)
            committed_at[0] = time.perf_counter()  # the commit follows at once

    def wait_then_write():
        holding.wait()
        with second.transaction() as conn:
            started_at[0] = time.perf_counter()
            conn.execute("INSERT INTO meta (key, value) VALUES ('second', '2')")

    threads = [threading.Thread(target=hold_then_commit), threading.Thread(target=wait_then_write)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    late_ms = (started_at[0] - committed_at[0]) * 1000
    assert late_ms < 40, f"the second writer started {late_ms:.0f} ms after the first committed"
    for store in (first, second):
        store.close()


def test_no_commit_checkpoints_and_the_log_is_still_copied_back(tmp_path):
    """A commit never copies the write-ahead log back while it holds the file (SQLite's default
    did, after 1,000 pages, and with another worker reading it did so at every commit); the
    writer that makes the log long does it after its commit, so the log stays short."""
    from arena.adapters.sqlite.base import CHECKPOINT_BYTES

    store = SqliteStore(tmp_path / "a.db")
    assert store.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    reader = SqliteStore(tmp_path / "a.db")  # another worker, reading between the writes
    chunk = "x" * 100_000
    for n in range(120):  # 12 MB through the log
        with store.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [f"k{n}", chunk])
        assert reader.db.execute("SELECT count(*) FROM meta WHERE key = ?", [f"k{n}"]).fetchone()
    wal = tmp_path / "a.db-wal"
    assert wal.stat().st_size <= CHECKPOINT_BYTES + 2 * len(chunk)
    assert reader.db.execute("SELECT count(*) FROM meta WHERE key LIKE 'k%'").fetchone()[0] == 120
    for opened in (store, reader):
        opened.close()
