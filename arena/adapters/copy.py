"""`copy-db`: a SQLite database copied into an empty PostgreSQL one, table by table in id order
with the same ids, times and snapshot bodies, in one transaction (a failure leaves the target
empty); and the secrets file that goes with it."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from arena.adapters.postgres import PostgresStore
from arena.adapters.postgres.schema import LEGACY_SECRETS
from arena.adapters.sqlite import SqliteStore

# Parents before children (foreign keys); `meta` is handled apart (the target has its version).
TABLES = ("models", "voters", "battles", "turns", "votes", "live_ratings", "events", "snapshots",
          "proofs_used", "flags", "quarantines", "cohort_quarantines",
          "cohort_quarantined_votes", "shared_battles")  # fmt: skip
IDENTITY_TABLES = ("models", "turns", "votes", "events", "flags", "quarantines",
                   "cohort_quarantines")  # fmt: skip
PROGRESS_EVERY = 10_000  # rows copied between two progress reports


class CopyRefused(ValueError):
    """The copy cannot start (nothing was written): a target that is not empty, schemas at
    different versions, secrets that disagree."""


def refuse_unless_ready(source: SqliteStore, target: PostgresStore) -> None:
    """CopyRefused unless `target` is empty and at `source`'s schema version: asked before the
    copy writes anything, its secrets file included (and the emptiness again in its
    transaction)."""
    if source.schema_version() != target.schema_version():
        raise CopyRefused(
            f"the databases are at schema versions {source.schema_version()} and "
            f"{target.schema_version()}: upgrade the older one first"
        )
    with target.transaction() as conn:
        _refuse_unless_empty(conn)


def _refuse_unless_empty(conn) -> None:
    filled = [t for t in TABLES if conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()]
    if filled:
        raise CopyRefused(
            f"the target database is not empty ({', '.join(filled)} hold rows): "
            "copy into a new, empty database"
        )


def copy_sqlite_to_postgres(
    source: SqliteStore,
    target: PostgresStore,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Every row of `source` into the empty `target`; returns the rows copied per table.

    The source is read inside one of its write transactions, so no vote lands half-way; the
    values go in as SQLite holds them (0/1, ISO text, JSON text) and PostgreSQL parses them
    into its booleans, timestamps and jsonb. `progress` is told (rows copied, rows in all
    tables) every PROGRESS_EVERY rows and after the last."""
    refuse_unless_ready(source, target)
    copied = {}
    with source.transaction(), target.transaction() as conn:
        _refuse_unless_empty(conn)  # again: another process may have written meanwhile
        total = done = 0
        if progress is not None:
            total = sum(source.db.execute(f"SELECT COUNT(*) FROM [{t}]").fetchone()[0]
                        for t in TABLES)  # fmt: skip
        for table in TABLES:
            columns = _shared_columns(source, conn, table)
            names = ", ".join(columns)
            rows = source.db.execute(f"SELECT {names} FROM [{table}] ORDER BY rowid")
            with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                copied[table] = 0
                for row in rows:
                    copy.write_row(row)
                    copied[table] += 1
                    done += 1
                    if progress is not None and done % PROGRESS_EVERY == 0:
                        progress(done, total)
        if progress is not None and done % PROGRESS_EVERY:
            progress(done, total)
        for table in IDENTITY_TABLES:  # new rows continue after the copied ids
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table} "
                "HAVING MAX(id) IS NOT NULL"
            )
        skipped = ("schema_version", *LEGACY_SECRETS)
        for key, value in source.db.execute("SELECT key, value FROM meta ORDER BY key"):
            if key not in skipped:
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
                    [key, value],
                )
    return copied


def _shared_columns(source: SqliteStore, conn, table: str) -> list[str]:
    """The source table's columns, in its order; refused if the target lacks one of them."""
    wanted = list(source.db[table].columns_dict)
    present = {row[0] for row in conn.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s", [table],
    )}  # fmt: skip
    missing = [c for c in wanted if c not in present]
    if missing:
        raise CopyRefused(f"the target's {table} table has no column {', '.join(missing)}")
    return wanted


def copy_secrets_file(source: Path, target: Path) -> None:
    """Give the copied database the secrets of the original (IP hashes, voter pseudonyms and
    cookies stay valid): the target file is created with mode 0600, or must already match."""
    if source.resolve() == target.resolve():
        return
    secrets = json.loads(source.read_text(encoding="utf-8"))
    if target.exists():
        if json.loads(target.read_text(encoding="utf-8")) != secrets:
            raise CopyRefused(
                f"{target} already holds other secrets than {source}: move it away, or point "
                "secrets_path at the original"
            )
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(secrets, handle, indent=2, sort_keys=True)
