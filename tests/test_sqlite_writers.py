"""SQLite: writers in several workers (or threads) queue for the file in the kernel and start as
soon as the one before commits, instead of polling with SQLite's busy handler, whose back-off
sleeps reach 100 ms a try while the lock stands free (two workers at 200 votes/s: p99 2 s)."""

import threading
import time

import pytest

from arena.adapters.sqlite import SqliteStore
from arena.ports import StoreBusy


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
    did, after 1,000 pages, and with another worker reading it did so at every commit). Every
    CHECKPOINT_EVERY write transactions a thread of its own copies it back; the commits between
    copy nothing (a first version, deciding by the log file's size, copied at every commit once
    the file had grown: a checkpoint leaves the file as long as it was)."""
    from arena.adapters.sqlite.base import CHECKPOINT_EVERY

    store = SqliteStore(tmp_path / "a.db")
    assert store.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    reader = SqliteStore(tmp_path / "a.db")  # another worker, reading between the writes
    database = tmp_path / "a.db"
    chunk = "x" * 20_000
    written = iter(range(10**6))

    def write() -> None:
        n = next(written)
        with store.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [f"k{n}", chunk])
        assert reader.db.execute("SELECT count(*) FROM meta WHERE key = ?", [f"k{n}"]).fetchone()

    def size_after_the_checkpoint() -> int:
        time.sleep(0.05)
        while store._checkpointing.locked():
            time.sleep(0.01)
        return database.stat().st_size

    start = size_after_the_checkpoint()
    for _ in range(CHECKPOINT_EVERY - 2):  # the migrations made the first write transaction
        write()
    assert size_after_the_checkpoint() == start, "copied back before its turn"
    write()
    copied = size_after_the_checkpoint()
    assert copied >= start + (CHECKPOINT_EVERY - 1) * len(chunk), "the log was copied back"
    for _ in range(10):
        write()
    assert size_after_the_checkpoint() == copied, "a commit between checkpoints copied"
    assert reader.db.execute("SELECT count(*) FROM meta WHERE key LIKE 'k%'").fetchone()[0] == (
        CHECKPOINT_EVERY + 9
    )
    for opened in (store, reader):
        opened.close()


def test_opening_a_current_database_and_a_sweep_that_finds_nothing_take_no_writers_lock(tmp_path):
    """Regression: every process that opened the store (a snapshot process beside the server,
    each CLI command) and every sweep of dead streams (every 30 s in every worker) took the
    writers' lock to write nothing. A low-priority process waiting for the CPU with the lock
    held made the votes behind it wait ~120 ms (bench/auto_snapshot.py)."""
    first = SqliteStore(tmp_path / "a.db")
    done: list[float] = []
    with first.transaction():  # another process's writer holds the lock throughout

        def open_and_sweep() -> None:
            started = time.perf_counter()
            other = SqliteStore(tmp_path / "a.db")
            assert other.abandon_dead_streams(time.time()) == []
            done.append(time.perf_counter() - started)
            other.close()

        worker = threading.Thread(target=open_and_sweep)
        worker.start()
        worker.join(5)
        assert done and done[0] < 2, "waited for the writers' lock"
    first.close()


def test_a_call_without_waiting_is_declined_whole_while_another_worker_writes(tmp_path):
    """A worker's event loop makes a store call itself only if it need not wait: while another
    worker holds the file, `without_waiting()` declines at once, before the call has read or
    written anything, and the caller hands the call to a thread that may wait."""
    store, other = SqliteStore(tmp_path / "a.db"), SqliteStore(tmp_path / "a.db")
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with other.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('other', '1')")
            holding.set()
            done.wait(5)
        other.close()  # this thread's connection: a store keeps one per thread

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(5)
    ran, started = [], time.perf_counter()
    with pytest.raises(StoreBusy), store.without_waiting():
        ran.append(True)
    declined_ms = (time.perf_counter() - started) * 1000
    done.set()
    holder.join()
    assert ran == [] and declined_ms < 20, f"declined after {declined_ms:.0f} ms"
    with store.without_waiting() as at_once:  # free again: the call runs here
        assert at_once
        store.ensure_voter("v1", None)
    assert store.db.execute("SELECT count(*) FROM voters").fetchone()[0] == 1
    for opened in (store, other):
        opened.close()


def test_a_call_without_waiting_keeps_other_writers_out_until_it_ends(tmp_path):
    """The call holds the writers' lock from its first read to its end, across its own
    transactions: no other writer can come between, so nothing it does can find the file busy
    (and it never has to be declined half-way, with something already written)."""
    store, other = SqliteStore(tmp_path / "a.db"), SqliteStore(tmp_path / "a.db")
    other_wrote_at, ended_at = [0.0], [0.0]
    asked = threading.Event()

    def write() -> None:
        asked.set()
        with other.transaction() as conn:
            other_wrote_at[0] = time.perf_counter()
            conn.execute("INSERT INTO meta (key, value) VALUES ('other', '1')")
        other.close()  # this thread's connection

    writer = threading.Thread(target=write)
    with store.without_waiting() as at_once:
        assert at_once and store.holds_without_waiting
        with store.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('first', '1')")
        writer.start()
        asked.wait(5)
        time.sleep(0.1)  # the other writer is waiting now, and must go on waiting
        with store.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('second', '2')")
        ended_at[0] = time.perf_counter()
    assert not store.holds_without_waiting
    writer.join()
    assert other_wrote_at[0] >= ended_at[0]
    for opened in (store, other):
        opened.close()
