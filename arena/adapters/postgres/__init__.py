"""The PostgreSQL store (psycopg 3, pooled): the same ports as the SQLite store, for several
workers or hosts sharing one database; the only code that writes SQL for it.

One class per responsibility, composed here, with the SQLite package's module names. Callers
cannot tell the stores apart: one contract suite (tests/contract/) runs against both.
"""

from arena.adapters.postgres.base import PostgresBase
from arena.adapters.postgres.battles import Battles
from arena.adapters.postgres.events import Events
from arena.adapters.postgres.gates import GateQueries
from arena.adapters.postgres.moderation import Moderation
from arena.adapters.postgres.schema import SCHEMA_VERSION
from arena.adapters.postgres.snapshots import Snapshots
from arena.adapters.postgres.votes import Votes

__all__ = ["SCHEMA_VERSION", "PostgresStore"]


class PostgresStore(Battles, Votes, Snapshots, GateQueries, Moderation, Events, PostgresBase):
    """Battles, turns, votes, voters, models, live ratings, snapshots, moderation and the event
    log in one PostgreSQL database."""
