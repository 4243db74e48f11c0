"""Snapshots: the immutable body and the battle ids of each official recompute."""

from __future__ import annotations

from typing import Any

from arena.adapters.postgres.base import iso_fields, timestamp_from_iso


class Snapshots:
    def save_snapshot(
        self, snapshot_id: str, created_at: str, votes: int, sha256: str, body: str,
        battle_ids: list[str],
    ) -> None:  # fmt: skip
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO snapshots (id, created_at, votes, vote_set_sha256, body) "
                "VALUES (%s, %s, %s, %s, %s)",
                [snapshot_id, timestamp_from_iso(created_at), votes, sha256, body],
            )
            with (
                conn.cursor() as cursor,
                cursor.copy("COPY snapshot_battles (snapshot_id, battle_id) FROM STDIN") as copy,
            ):
                for battle_id in battle_ids:
                    copy.write_row((snapshot_id, battle_id))
            self._log(conn, "snapshot_created", None, None, {"id": snapshot_id, "votes": votes})

    def snapshots(self) -> list[dict[str, Any]]:
        """id, created_at, votes, vote_set_sha256 of every snapshot, oldest first."""
        return [iso_fields(row, "created_at") for row in self._dicts(
            "SELECT id, created_at, votes, vote_set_sha256 FROM snapshots ORDER BY seq"
        )]  # fmt: skip

    def snapshot_body(self, snapshot_id: str) -> str | None:
        row = self._one("SELECT body FROM snapshots WHERE id = %s", [snapshot_id])
        return row[0] if row else None

    def snapshot_battle_ids(self, snapshot_id: str) -> set[str]:
        return {row[0] for row in self._all(
            "SELECT battle_id FROM snapshot_battles WHERE snapshot_id = %s", [snapshot_id]
        )}  # fmt: skip
