"""The PostgreSQL connections: a pool, one connection per thread for the length of a transaction
(nested blocks join it), migrations at open, the event log's writer, and the clock and the time
formats every timestamp goes through (callers get what the SQLite store returns)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg.rows import dict_row
from psycopg.types.string import StrBinaryDumper, StrDumperUnknown
from psycopg_pool import ConnectionPool

from arena.adapters.postgres.schema import LEGACY_SECRETS, MIGRATIONS
from arena.ports import StoreUnavailable, usable_schema_version

POOL_SIZE = 10  # connections per process; a transaction holds one until it ends
CONNECT_TIMEOUT_S = 10
MIGRATION_LOCK = 0x6172656E61  # advisory lock key ("arena"): one process migrates at a time


class PostgresBase:
    """Connections, transactions and migrations of one PostgreSQL database.

    SQLite's `BEGIN IMMEDIATE` makes every read-then-write step exclusive; here the steps that
    need it lock what they read instead: a battle loaded or voted on inside a transaction is
    locked until it ends, the gates lock the voter and the IP they count, and the live board
    locks the models it rates. Unique indexes settle the rest (one vote per battle, one use per
    proof, one active quarantine per voter)."""

    # Write transactions one process runs at once. PostgreSQL takes many, but each waits for
    # the GIL between its statements while holding row locks, so more at once only lengthen
    # them: at 100 votes/s through one process, 4 at once gave p99 108 ms, 1 gave 26 ms.
    # Workers add writers.
    writers = 1
    failures = (psycopg.OperationalError,)  # the server restarted, stopped, or is out of space

    def __init__(
        self, url: str, clock: Callable[[], float] = time.time, *, pool_size: int = POOL_SIZE
    ):
        self.url = url
        self.clock = clock  # every timestamp written comes from here (simulations pass their own)
        self._local = threading.local()
        # One plain connection first: an unreachable server is its own error, not a pool timeout.
        try:
            psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S).close()
        except psycopg.Error as error:
            reason = " ".join(str(error).split())
            password = urlsplit(url).password
            if password:  # a malformed URL can be quoted whole
                reason = reason.replace(password, "***")
            raise StoreUnavailable(f"cannot open the PostgreSQL database: {reason}") from None
        # each connection checked as it is handed out: after a restart of the server the pool
        # held only dead ones, and the calls that drew them failed (a stream's turn was lost)
        self._pool = ConnectionPool(
            url, min_size=1, max_size=pool_size, open=False, configure=_configure,
            kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S},
            check=ConnectionPool.check_connection,
        )  # fmt: skip
        self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
        try:
            self._migrate()
        except BaseException:
            self._pool.close()
            raise

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        """BEGIN … COMMIT on this thread's connection, rolled back on any exception. Nested
        blocks join the outer transaction, so a service can make several calls one atomic step."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        with self._pool.connection() as conn:
            self._local.conn = conn
            try:
                with conn.transaction():
                    yield conn
            finally:
                self._local.conn = None

    @contextmanager
    def without_waiting(self) -> Iterator[bool]:
        """Declined (False): every call waits on the network; the caller uses a thread."""
        yield False

    def _in_transaction(self) -> bool:
        return getattr(self._local, "conn", None) is not None

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        """The transaction's connection, or a pooled one (autocommit) for one group of reads."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        with self._pool.connection() as conn:
            yield conn

    def _all(self, sql: str, params: Sequence[Any] | dict = ()) -> list[tuple]:
        with self._connection() as conn:
            return conn.execute(sql, params).fetchall()

    def _one(self, sql: str, params: Sequence[Any] | dict = ()) -> tuple | None:
        with self._connection() as conn:
            return conn.execute(sql, params).fetchone()

    def _dicts(self, sql: str, params: Sequence[Any] | dict = ()) -> list[dict[str, Any]]:
        with self._connection() as conn, conn.cursor(row_factory=dict_row) as cursor:
            return cursor.execute(sql, params).fetchall()

    def close(self) -> None:
        self._pool.close()

    def _migrate(self) -> None:
        with self.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_LOCK])
            version = self.schema_version()
            for number, migration in enumerate(MIGRATIONS, start=1):
                if number > version:
                    migration(conn)
                    self._set_meta("schema_version", str(number))

    def schema_version(self) -> int:
        has_meta = self._one("SELECT to_regclass('meta') IS NOT NULL")[0]
        row = self._one("SELECT value FROM meta WHERE key = 'schema_version'") if has_meta else None
        return usable_schema_version(row[0] if row else None, len(MIGRATIONS), has_meta=has_meta)

    def _set_meta(self, key: str, value: str) -> None:
        with self._connection() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    def legacy_secrets(self) -> dict[str, str]:
        """Secrets that SQLite databases before the secrets file kept in `meta` (a copied
        database may carry them)."""
        keys = list(LEGACY_SECRETS)
        return dict(self._all("SELECT key, value FROM meta WHERE key = ANY(%s)", [keys]))

    def drop_legacy_secrets(self) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key = ANY(%s)", [list(LEGACY_SECRETS)])

    def _now(self) -> datetime:
        return to_timestamp(self.clock())

    def _log(
        self,
        conn: psycopg.Connection,
        kind: str,
        battle_id: str | None,
        voter_id: str | None,
        detail: dict,
    ) -> None:
        conn.execute(
            "INSERT INTO events (ts, kind, battle_id, voter_id, detail) "
            "VALUES (%s, %s, %s, %s, %s::jsonb)",
            [self._now(), kind, battle_id, voter_id, to_json(detail)],
        )

    def _lock(self, conn: psycopg.Connection, space: int, key: str) -> None:
        """Hold an advisory lock on (space, key) until the transaction ends; outside one, none."""
        if self._in_transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [space, key])


def _configure(conn: psycopg.Connection) -> None:
    conn.execute("SET TIME ZONE 'UTC'")
    conn.adapters.register_dumper(str, _NulSafeText)
    conn.adapters.register_dumper(str, _NulSafeBinary)


class _NulSafeText(StrDumperUnknown):
    """PostgreSQL text cannot hold NUL (SQLite can): a model's answer or an imported
    conversation with one is stored with U+FFFD in its place instead of failing the write."""

    def dump(self, obj: str) -> Any:
        return super().dump(obj.replace("\x00", "\ufffd"))


class _NulSafeBinary(StrBinaryDumper):
    def dump(self, obj: str) -> Any:
        return super().dump(obj.replace("\x00", "\ufffd"))


# -- what callers see: the SQLite store's shapes ---------------------------------------------
def to_timestamp(seconds: float) -> datetime:
    """Unix seconds as a UTC time cut to the millisecond, as SQLite's ISO text stores it."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def timestamp_from_iso(text: str) -> datetime:
    """The ISO text callers pass (`since`, a snapshot's time) as a time to compare with."""
    return datetime.fromisoformat(text)


def iso_from_timestamp(moment: datetime | None) -> str | None:
    """'2026-01-01T12:00:00.123+00:00', as the SQLite store returns its timestamps."""
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="milliseconds")


def unix_from_timestamp(moment: datetime) -> float:
    return moment.timestamp()


def iso_fields(row: dict[str, Any], *names: str) -> dict[str, Any]:
    """The row with its timestamp columns as ISO text."""
    for name in names:
        row[name] = iso_from_timestamp(row[name])
    return row


def to_json(value: Any) -> str:
    """JSON text for a jsonb column (which refuses \\u0000: NUL becomes U+FFFD first)."""
    return json.dumps(_without_nul(value), ensure_ascii=False, default=str)


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nul(v) for v in value]
    return value


def to_json_list(value: Any) -> str | None:
    return None if value is None else json.dumps(list(value))
