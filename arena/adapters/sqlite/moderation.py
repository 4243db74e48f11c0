"""Detection flags and voter quarantines."""

from __future__ import annotations

from typing import Any


class Moderation:
    def add_flags(self, flags: list[dict[str, Any]]) -> None:
        with self.transaction() as conn:
            for flag in flags:
                conn.execute(
                    "INSERT INTO flags (kind, subject, test, statistic, p_value, evidence, "
                    "snapshot_id, created_at) VALUES (:kind, :subject, :test, :statistic, "
                    ":p_value, :evidence, :snapshot_id, :created_at)",
                    {**flag, "created_at": self._now()},
                )

    def flags(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM flags ORDER BY id DESC"))

    def quarantine(self, voter_id: str, reason: str, evidence: str) -> bool:
        """Quarantine a voter's votes (kept, excluded from snapshots); False if already."""
        with self.transaction() as conn:
            active = conn.execute(
                "SELECT 1 FROM quarantines WHERE voter_id = ? AND released_at IS NULL", [voter_id]
            ).fetchone()
            if active:
                return False
            conn.execute(
                "INSERT OR IGNORE INTO voters (id, ip_hash, created_at) VALUES (?, NULL, ?)",
                [voter_id, self._now()],
            )
            conn.execute(
                "INSERT INTO quarantines (voter_id, reason, evidence, created_at) VALUES (?, ?, ?, ?)",
                [voter_id, reason, evidence, self._now()],
            )
            self._log(conn, "voter_quarantined", None, voter_id, {"reason": reason})
            return True

    def release_quarantine(self, voter_id: str, reason: str) -> bool:
        """Lift a voter's quarantine (its votes count again from the next snapshot)."""
        with self.transaction() as conn:
            changed = conn.execute(
                "UPDATE quarantines SET released_at = ?, released_reason = ? "
                "WHERE voter_id = ? AND released_at IS NULL",
                [self._now(), reason, voter_id],
            ).rowcount
            if changed:
                self._log(conn, "voter_released", None, voter_id, {"reason": reason})
            return bool(changed)

    def quarantines(self, *, active_only: bool = True) -> list[dict[str, Any]]:
        where = "WHERE q.released_at IS NULL" if active_only else ""
        return list(self.db.query(
            "SELECT q.*, (SELECT COUNT(*) FROM votes v WHERE v.voter_id = q.voter_id "
            f"AND v.counted = 1) AS votes FROM quarantines q {where} ORDER BY q.id"
        ))  # fmt: skip
