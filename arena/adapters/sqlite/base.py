"""The SQLite connection: one per thread, WAL, a busy timeout, `BEGIN IMMEDIATE` transactions that
nest, migrations at open, the event log's writer and the clock every timestamp comes from."""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import sqlite3
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from arena.adapters.sqlite.schema import LEGACY_SECRETS, MIGRATIONS
from arena.domain.clock import to_iso
from arena.ports import StoreBusy, StoreUnavailable, usable_schema_version

BUSY_TIMEOUT_MS = 10_000
# Every this many write transactions of a process, the write-ahead log is copied back into the
# database, in a thread of its own, outside the writers' lock.
CHECKPOINT_EVERY = 200


def _use_wal(conn: sqlite3.Connection) -> None:
    """PRAGMA journal_mode = WAL, waiting out another connection's write for up to the busy
    timeout. Turning a file to WAL upgrades a read to a write, and there SQLite answers "database
    is locked" at once, without calling its busy handler, while another connection writes: two
    workers started on a new file, one migrating it while the other opened it, and the second
    died. (A file already in WAL takes no write: the pragma then changes nothing.)"""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


class _ThreadHandles:
    """What one thread holds open of the file: its connection and its descriptor of the writers'
    lock file. Closed by the store's `close()`, or when the thread ends and its locals go: a
    server's thread pools let idle threads end (anyio's after 10 s), and each such thread's
    descriptors stayed open until the worker ran out of them."""

    def __init__(self) -> None:
        self.db: sqlite_utils.Database | None = None
        self.writer: int | None = None
        self._closing = threading.Lock()

    def close(self) -> None:
        with self._closing:
            db, self.db = self.db, None
            writer, self.writer = self.writer, None
        if db is not None:
            db.conn.close()
        if writer is not None:
            os.close(writer)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at the interpreter's end: the OS closes them
            self.close()


class SqliteBase:
    """Connections, transactions and migrations of one SQLite file."""

    # One writer at a time holds the file; a second one waits in SQLite's busy handler, which
    # sleeps with back-off, and (with the GIL) slows the writer it waits for.
    writers = 1
    failures = (sqlite3.OperationalError,)  # a full disk, a read-only file, an I/O error

    def __init__(self, path: str | Path, clock: Callable[[], float] = time.time):
        self._throwaway = None
        if str(path) == ":memory:":
            # A throwaway database every thread can see: SQLite's own ":memory:" is private to
            # one connection, and this store has one connection per thread.
            self._throwaway = tempfile.TemporaryDirectory(prefix="arena-memory-")
            path = Path(self._throwaway.name) / "arena.db"
        self.path = Path(path)
        self.clock = clock  # every timestamp written comes from here (simulations pass their own)
        self._local = threading.local()
        self._every_thread: weakref.WeakSet[_ThreadHandles] = weakref.WeakSet()
        self._registering = threading.Lock()  # guards `_every_thread`
        self._commits = itertools.count(1)  # this process's write transactions
        self._checkpointing = threading.Lock()  # held while a checkpoint thread runs
        # Made by this store: until it holds a battle, no worker serves it (see _bulk_writes).
        self._new_file = not self.path.exists()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._migrate()
        except (OSError, sqlite3.DatabaseError) as error:  # no SQLite file, a read-only one…
            self.close()
            raise StoreUnavailable(
                f"cannot open the SQLite database {self.path}: {error}"
            ) from None

    @property
    def db(self) -> sqlite_utils.Database:
        handles = self._handles()
        if handles.db is None:
            # Not bound to this thread: `close()` closes every thread's connection from its own.
            conn = sqlite3.connect(
                str(self.path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            # No checkpoint inside a commit (SQLite's default after 1,000 pages): it ran while
            # the committing writer held the file, and with another worker's readers in the log
            # it came back at every commit; two workers' votes queued for seconds behind it.
            conn.execute("PRAGMA wal_autocheckpoint = 0")
            conn.execute("PRAGMA foreign_keys = ON")
            handles.db = sqlite_utils.Database(conn)
        return handles.db

    def _handles(self) -> _ThreadHandles:
        """This thread's connection and descriptor, known to the store so that `close()` can
        close them."""
        handles = getattr(self._local, "handles", None)
        if handles is None:
            handles = self._local.handles = _ThreadHandles()
            with self._registering:
                self._every_thread.add(handles)
        return handles

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception, a failed COMMIT's too (it left
        the transaction open, holding the write lock). Nested blocks join the outer
        transaction, so a service can make several store calls one atomic step.

        Writers first queue on an exclusive lock of the file `<database>-writer`, in the kernel:
        the next one wakes the moment the one before releases it. SQLite's own wait (the busy
        timeout) polls with sleeps of up to 100 ms while the database stands free; with two
        workers at 200 votes/s that made the p99 2 s. A killed process's lock goes with it."""
        conn = self.db.conn
        if conn.in_transaction:
            yield conn
            return
        held = self.holds_without_waiting  # the lock is the block's, to its end
        writer = self._writer_file()
        if not held:
            fcntl.flock(writer, fcntl.LOCK_EX)
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # the block raised, or COMMIT itself failed
                    conn.execute("ROLLBACK")
                raise
        finally:
            if not held:
                fcntl.flock(writer, fcntl.LOCK_UN)
        if next(self._commits) % CHECKPOINT_EVERY == 0:
            self._checkpoint_soon()

    @contextmanager
    def without_waiting(self) -> Iterator[bool]:
        """Calls that must not wait (a worker's event loop makes them): the writers' lock taken
        at once for the whole block, reads and transactions alike, so that no other writer can
        come between and nothing inside can find the file busy; `StoreBusy` at once, before
        anything is read or written, while another writer holds it. A read or write of a few
        pages in the operating system's cache takes a fraction of a millisecond; a thread to
        make it in costs the loop two hand-overs of the GIL, tens of milliseconds on a busy
        machine (stop 31: a turn's claim took 35–50 ms at the median that way). Nested blocks
        join the outer one."""
        if self.holds_without_waiting:
            yield True
            return
        writer = self._writer_file()
        try:
            fcntl.flock(writer, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreBusy("another writer holds the database") from None
        self._local.holding = True
        try:
            yield True
        finally:
            self._local.holding = False
            fcntl.flock(writer, fcntl.LOCK_UN)

    @property
    def holds_without_waiting(self) -> bool:
        """Whether this thread is inside `without_waiting()`, holding the writers' lock."""
        return getattr(self._local, "holding", False)

    def _checkpoint_soon(self) -> None:
        """Copy the log back into the database in a thread of its own, so the writer that
        asked (a vote, waited for by the next) does not also wait for its fsync. One at a time;
        PASSIVE: it waits for no reader or writer, and what it cannot copy yet, a later one
        will. (Decided by a count of commits, not the log file's size: a checkpoint leaves the
        file as long as it was.)"""
        if not self._checkpointing.acquire(blocking=False):
            return

        def checkpoint() -> None:
            try:
                conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                finally:
                    conn.close()
            except sqlite3.Error:
                pass  # the next one copies what this one could not
            finally:
                self._checkpointing.release()

        threading.Thread(target=checkpoint, name="sqlite-checkpoint", daemon=True).start()

    def _writer_file(self) -> int:
        """This thread's descriptor of the writers' lock file (one per thread, so that threads
        queue on it too: a lock on one descriptor does not exclude the same descriptor)."""
        handles = self._handles()
        if handles.writer is None:
            path = self.path.with_name(self.path.name + "-writer")
            handles.writer = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        return handles.writer

    def close(self) -> None:
        """Close every thread's connection and descriptor (a thread that uses the store
        afterwards opens new ones). Call it once the store's other threads are idle."""
        # A checkpoint thread still connected would keep the log alive past this close: wait for
        # it, so that the last connection closing copies everything back into the one file.
        if self._checkpointing.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            self._checkpointing.release()
        own = getattr(self._local, "handles", None)
        if own is not None and own.db is not None:
            try:  # keeps the planner's statistics current; skipped if another worker writes
                own.db.conn.execute("PRAGMA busy_timeout = 200")
                own.db.conn.execute("PRAGMA optimize")
            except sqlite3.OperationalError:
                pass
        with self._registering:
            every = list(self._every_thread)
        for handles in every:
            handles.close()

    def _migrate(self) -> None:
        if self.schema_version() == len(MIGRATIONS):  # up to date: no writers' lock taken
            return
        with self.transaction():
            version = self.schema_version()
            for number, migration in enumerate(MIGRATIONS, start=1):
                if number > version:
                    migration(self.db)
                    self._set_meta("schema_version", str(number))

    def schema_version(self) -> int:
        has_meta = "meta" in self.db.table_names()
        row = self.db.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'"
        ).fetchone() if has_meta else None  # fmt: skip
        return usable_schema_version(row[0] if row else None, len(MIGRATIONS), has_meta=has_meta)

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def legacy_secrets(self) -> dict[str, str]:
        """Secrets that databases before the secrets file kept in `meta` (moved out at start)."""
        return dict(self.db.execute(
            f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' * len(LEGACY_SECRETS))})",
            LEGACY_SECRETS,
        ).fetchall())  # fmt: skip

    def drop_legacy_secrets(self) -> None:
        """Delete the old in-database secrets, once the secrets file holds them."""
        with self.transaction() as conn:
            conn.execute(
                f"DELETE FROM meta WHERE key IN ({', '.join('?' * len(LEGACY_SECRETS))})",
                LEGACY_SECRETS,
            )

    def _now(self) -> str:
        return to_iso(self.clock())

    def _log(
        self,
        conn: sqlite3.Connection,
        kind: str,
        battle_id: str | None,
        voter_id: str | None,
        detail: dict,
    ) -> None:
        conn.execute(
            "INSERT INTO events (ts, kind, battle_id, voter_id, detail) VALUES (?, ?, ?, ?, ?)",
            [
                self._now(),
                kind,
                battle_id,
                voter_id,
                json.dumps(detail, ensure_ascii=False, default=str),
            ],
        )


def _json_or_none(value: Any) -> str | None:
    return None if value is None else json.dumps(list(value))
