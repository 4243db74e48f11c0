"""A throwaway PostgreSQL database for one test session, emptied before each test that uses it.

The server is ARENA_TEST_DATABASE_URL (default: the local `postgres` superuser, which
`make test` starts). Unreachable, the PostgreSQL tests fail with that said: they never skip."""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

SERVER_URL = os.environ.get(
    "ARENA_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def throwaway_database(server_url: str = SERVER_URL) -> Iterator[str]:
    """CREATE DATABASE arena_test_<random>, yield its URL, DROP it at the end."""
    name = f"arena_test_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(server_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        problem = str(error)
    else:
        problem = None
    if problem is not None:
        pytest.fail(
            f"PostgreSQL is not reachable at {server_url}: {problem}\n"
            "Start it with `make postgres` (make test does), or point ARENA_TEST_DATABASE_URL "
            "at a server where this user may create databases.",
            pytrace=False,
        )
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlsplit(server_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def empty_database(url: str) -> None:
    """Every table emptied and every id sequence restarted; the schema and its version kept
    (so each test starts from a new, migrated database without migrating again)."""
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename <> 'meta'"
        )]  # fmt: skip
        if tables:
            conn.execute(
                sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
                    sql.SQL(", ").join(map(sql.Identifier, tables))
                )
            )
            conn.execute("DELETE FROM meta WHERE key <> 'schema_version'")
