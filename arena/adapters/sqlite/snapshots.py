"""Snapshots: the immutable body and the vote ids of each official recompute."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from arena.adapters.sqlite.schema import SCHEMA_VERSION
from arena.adapters.sqlite.vote_copy import VoteCopy
from arena.domain.vote_ids import NewestVotes, pack_vote_ids, unpack_vote_ids
from arena.ports import VoteBatch


class Snapshots:
    def save_snapshot(
        self, snapshot_id: str, created_at: str, votes: int, sha256: str, body: str,
        vote_ids: Sequence[int],
    ) -> None:  # fmt: skip
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO snapshots (id, created_at, votes, vote_set_sha256, body, vote_ids) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [snapshot_id, created_at, votes, sha256, body, pack_vote_ids(vote_ids)],
            )
            self._log(conn, "snapshot_created", None, None, {"id": snapshot_id, "votes": votes})

    def snapshots(self) -> list[dict[str, Any]]:
        """id, created_at, votes, vote_set_sha256 of every snapshot, oldest first."""
        return list(self.db.query(
            "SELECT id, created_at, votes, vote_set_sha256 FROM snapshots ORDER BY rowid"
        ))  # fmt: skip

    def snapshot_body(self, snapshot_id: str) -> str | None:
        row = self.db.execute("SELECT body FROM snapshots WHERE id = ?", [snapshot_id]).fetchone()
        return row[0] if row else None

    def snapshot_vote_ids(self, snapshot_id: str) -> set[int]:
        row = self.db.execute(
            "SELECT vote_ids FROM snapshots WHERE id = ?", [snapshot_id]
        ).fetchone()
        return set(unpack_vote_ids(row[0]).tolist()) if row else set()

    def votes_after_snapshot(self, limit: int) -> tuple[int, str | None]:
        """How many counted votes are newer than the latest snapshot's newest vote (every
        counted vote before the first snapshot), at most `limit`, and when the first was cast."""
        after = self._newest_snapshot_vote()
        rows = self.db.execute(
            "SELECT created_at FROM counting_votes WHERE id > ? ORDER BY id LIMIT ?",
            [after, max(0, limit)],
        ).fetchall()
        return len(rows), (rows[0][0] if rows else None)

    def _newest_snapshot_vote(self) -> int:
        row = self.db.execute("SELECT id FROM snapshots ORDER BY rowid DESC LIMIT 1").fetchone()
        if row is None:
            return 0
        return self._newest_votes.of(row[0], lambda: self.db.execute(
            "SELECT vote_ids FROM snapshots WHERE id = ?", [row[0]]
        ).fetchone()[0])  # fmt: skip

    @cached_property
    def _newest_votes(self) -> NewestVotes:
        return NewestVotes()

    @contextmanager
    def snapshot_lock(self) -> Iterator[bool]:
        """True while this process holds the one lock on automatic snapshots (a lock file beside
        the database, in the kernel: a killed process lets go of it); False if another has it."""
        fd = os.open(self.path.with_name(self.path.name + "-snapshot-lock"),
                     os.O_RDWR | os.O_CREAT, 0o600)  # fmt: skip
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def snapshot_vote_batches(self) -> Iterator[VoteBatch]:
        """Every vote that counts, as columns, in cast order, from the column copy kept beside
        the database file (vote_copy.py), brought up to date first."""
        conn = self.db.conn
        if conn.in_transaction:
            raise RuntimeError("snapshot votes are read in a transaction of their own")
        yield from self.vote_copy().batches(conn)

    def vote_copy(self) -> VoteCopy:
        return VoteCopy(self.path.with_name(self.path.name + ".vote-copy"), SCHEMA_VERSION)
