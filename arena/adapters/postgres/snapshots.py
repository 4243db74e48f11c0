"""Snapshots: the immutable body and the vote ids of each official recompute."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from arena.adapters.postgres.base import iso_fields, timestamp_from_iso
from arena.domain.vote_ids import pack_vote_ids, unpack_vote_ids


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
