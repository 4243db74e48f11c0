"""Databases as an earlier release left them: made by the first `version` migrations only and
stamped with that version, with the two models (alpha, beta) and the voter (v1) every such
test's rows refer to. The test adds its rows, then opens the database with this release's
store, which migrates it."""

import psycopg
import sqlite_utils

from arena.adapters.postgres.schema import MIGRATIONS as POSTGRES_MIGRATIONS
from arena.adapters.sqlite.schema import MIGRATIONS as SQLITE_MIGRATIONS


def sqlite_at(db: sqlite_utils.Database, version: int) -> None:
    for migration in SQLITE_MIGRATIONS[:version]:
        migration(db)
    db["meta"].insert({"key": "schema_version", "value": str(version)})
    db["models"].insert_all([{"id": 1, "name": "alpha"}, {"id": 2, "name": "beta"}])
    db["voters"].insert({"id": "v1"})


def voted_battle(battle_id: str, **fields) -> dict:
    """A battles row as an earlier release stored it: v1's voted anonymous battle between alpha
    and beta, with `fields` set or added (session, max_turns, created_at…)."""
    return {"id": battle_id, "session_id": "s1", "voter_id": "v1", "mode": "anonymous",
            "anonymous": 1, "model_a_id": 1, "model_b_id": 2, "status": "voted", **fields}  # fmt: skip


def postgres_at(conn: psycopg.Connection, version: int) -> None:
    for migration in POSTGRES_MIGRATIONS[:version]:
        migration(conn)
    conn.execute("INSERT INTO meta (key, value) VALUES (%s, %s)", ["schema_version", str(version)])
    conn.execute("INSERT INTO models (name) VALUES ('alpha'), ('beta')")
    conn.execute("INSERT INTO voters (id) VALUES ('v1')")
