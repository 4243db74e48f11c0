"""The SQLite store (sqlite-utils): one file, WAL, atomic writes; the only code that writes SQL for it.

One class per responsibility, composed here. A vote and its live rating update commit together
(the service drives the transaction); a unique index on votes.battle_id refuses a second vote.
"""

from arena.adapters.sqlite.base import SqliteBase
from arena.adapters.sqlite.battles import Battles
from arena.adapters.sqlite.events import Events
from arena.adapters.sqlite.gates import GateQueries
from arena.adapters.sqlite.moderation import Moderation
from arena.adapters.sqlite.schema import SCHEMA_VERSION
from arena.adapters.sqlite.snapshots import Snapshots
from arena.adapters.sqlite.votes import Votes

__all__ = ["SCHEMA_VERSION", "SqliteStore"]


class SqliteStore(Battles, Votes, Snapshots, GateQueries, Moderation, Events, SqliteBase):
    """Battles, turns, votes, voters, models, live ratings, snapshots, moderation and the event
    log in one SQLite file."""
