"""Snapshots: the immutable body and the vote ids of each official recompute."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import Any

import psycopg

from arena.adapters.postgres.base import (
    CONNECT_TIMEOUT_S,
    iso_fields,
    iso_from_timestamp,
    timestamp_from_iso,
)
from arena.adapters.postgres.votes import CAST_ORDER
from arena.domain.vote_ids import NewestVotes, pack_vote_ids, unpack_vote_ids
from arena.ports import VoteBatch

BATCH = 10_000  # votes a snapshot reads at a time (and tells its progress after)
SNAPSHOT_LOCK = 0x6172656E6153  # advisory lock key ("arenaS"): one automatic snapshot at a time


class Snapshots:
    def save_snapshot(
        self, snapshot_id: str, created_at: str, votes: int, sha256: str, body: str,
        vote_ids: Sequence[int],
    ) -> None:  # fmt: skip
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO snapshots (id, created_at, votes, vote_set_sha256, body, vote_ids) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [snapshot_id, timestamp_from_iso(created_at), votes, sha256, body,
                 pack_vote_ids(vote_ids)],
            )  # fmt: skip
            self._log(conn, "snapshot_created", None, None, {"id": snapshot_id, "votes": votes})

    def snapshots(self) -> list[dict[str, Any]]:
        """id, created_at, votes, vote_set_sha256 of every snapshot, oldest first."""
        return [iso_fields(row, "created_at") for row in self._dicts(
            "SELECT id, created_at, votes, vote_set_sha256 FROM snapshots ORDER BY seq"
        )]  # fmt: skip

    def snapshot_body(self, snapshot_id: str) -> str | None:
        row = self._one("SELECT body FROM snapshots WHERE id = %s", [snapshot_id])
        return row[0] if row else None

    def snapshot_vote_ids(self, snapshot_id: str) -> set[int]:
        row = self._one("SELECT vote_ids FROM snapshots WHERE id = %s", [snapshot_id])
        return set(unpack_vote_ids(bytes(row[0])).tolist()) if row else set()

    def votes_after_snapshot(self, limit: int) -> tuple[int, str | None]:
        """How many counted votes are newer than the latest snapshot's newest vote (every
        counted vote before the first snapshot), at most `limit`, and when the first was cast."""
        after = self._newest_snapshot_vote()
        rows = self._all(
            "SELECT created_at FROM counting_votes WHERE id > %s ORDER BY id LIMIT %s",
            [after, max(0, limit)],
        )
        return len(rows), (iso_from_timestamp(rows[0][0]) if rows else None)

    def _newest_snapshot_vote(self) -> int:
        row = self._one("SELECT id FROM snapshots ORDER BY seq DESC LIMIT 1")
        if row is None:
            return 0
        return self._newest_votes.of(row[0], lambda: bytes(self._one(
            "SELECT vote_ids FROM snapshots WHERE id = %s", [row[0]]
        )[0]))  # fmt: skip

    @cached_property
    def _newest_votes(self) -> NewestVotes:
        return NewestVotes()

    @contextmanager
    def snapshot_lock(self) -> Iterator[bool]:
        """True while this process holds the one lock on automatic snapshots (a session advisory
        lock on a connection of its own: a killed process's connection lets go of it); False if
        another has it."""
        with psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S) as conn:
            held = conn.execute("SELECT pg_try_advisory_lock(%s)", [SNAPSHOT_LOCK]).fetchone()[0]
            yield bool(held)

    def snapshot_vote_batches(self) -> Iterator[VoteBatch]:
        """Every vote that counts, as columns, in cast order: the vote-time index read in
        order (times are stored cut to the millisecond), ties by battle id in code point order
        (the "C" collation), through a server-side cursor."""
        with self._connection() as conn:
            models = dict(conn.execute("SELECT id, name FROM models").fetchall())
            with conn.transaction(), conn.cursor(name="snapshot_votes") as cursor:
                cursor.execute(
                    "SELECT v.id, v.battle_id, v.model_a_id, v.model_b_id, v.verdict, "
                    "v.voter_id, v.source LIKE 'import:%', "
                    "COALESCE(NULLIF(v.language, ''), 'other'), v.is_coding, v.is_long_query, "
                    "v.is_multi_turn, v.turns, "
                    "round(extract(epoch FROM v.created_at) * 1000)::bigint, "
                    "v.style_a::text, v.style_b::text FROM counting_votes v "
                    f"ORDER BY {CAST_ORDER}"
                )
                while rows := cursor.fetchmany(BATCH):
                    columns = list(zip(*rows, strict=True))
                    yield VoteBatch(*columns[:4], models, *columns[4:])
