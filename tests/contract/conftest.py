"""The contract suite's fixture: every test here runs once per store adapter (`store` is
parametrised over "sqlite" and "postgres"), on a clock the test moves by hand."""

import pytest

from arena.adapters.postgres import PostgresStore
from arena.adapters.sqlite import SqliteStore
from tests.contract.helpers import START, Clock

BACKENDS = ("sqlite", "postgres")


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path, clock):
    """A new, migrated store: a SQLite file, or the session's PostgreSQL database emptied."""
    if request.param == "sqlite":
        opened = SqliteStore(tmp_path / "store.db", clock=clock)
    else:
        opened = PostgresStore(request.getfixturevalue("postgres_url"), clock=clock)
    yield opened
    opened.close()
