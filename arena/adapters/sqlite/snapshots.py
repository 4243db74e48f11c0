"""Snapshots: the immutable body and the battle ids of each official recompute."""

from __future__ import annotations

from typing import Any


class Snapshots:
    def save_snapshot(
        self, snapshot_id: str, created_at: str, votes: int, sha256: str, body: str,
        battle_ids: list[str],
    ) -> None:  # fmt: skip
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO snapshots (id, created_at, votes, vote_set_sha256, body) "
                "VALUES (?, ?, ?, ?, ?)",
                [snapshot_id, created_at, votes, sha256, body],
            )
            conn.executemany(
                "INSERT INTO snapshot_battles (snapshot_id, battle_id) VALUES (?, ?)",
                ((snapshot_id, b) for b in battle_ids),
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

    def snapshot_battle_ids(self, snapshot_id: str) -> set[str]:
        return {row[0] for row in self.db.execute(
            "SELECT battle_id FROM snapshot_battles WHERE snapshot_id = ?", [snapshot_id]
        )}  # fmt: skip
