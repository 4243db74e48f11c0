"""Detection flags and voter quarantines."""

from __future__ import annotations

from typing import Any

from arena.adapters.postgres.base import iso_fields


class Moderation:
    def add_flags(self, flags: list[dict[str, Any]]) -> None:
        with self.transaction() as conn, conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO flags (kind, subject, test, statistic, p_value, evidence, "
                "snapshot_id, created_at) VALUES (%(kind)s, %(subject)s, %(test)s, "
                "%(statistic)s, %(p_value)s, %(evidence)s, %(snapshot_id)s, %(created_at)s)",
                [{**flag, "created_at": self._now()} for flag in flags],
            )

    def flags(self) -> list[dict[str, Any]]:
        return [iso_fields(row, "created_at") for row in self._dicts(
            "SELECT id, kind, subject, test, statistic, p_value, evidence, snapshot_id, "
            "created_at FROM flags ORDER BY id DESC"
        )]  # fmt: skip

    def quarantine(self, voter_id: str, reason: str, evidence: str) -> bool:
        """Quarantine a voter's votes (kept, excluded from snapshots); False if already. The
        unique index on active quarantines settles two moderators acting at once."""
        with self.transaction() as conn:
            active = conn.execute(
                "SELECT 1 FROM quarantines WHERE voter_id = %s AND released_at IS NULL",
                [voter_id],
            ).fetchone()
            if active:
                return False
            conn.execute(
                "INSERT INTO voters (id, ip_hash, created_at) VALUES (%s, NULL, %s) "
                "ON CONFLICT (id) DO NOTHING",
                [voter_id, self._now()],
            )
            added = conn.execute(
                "INSERT INTO quarantines (voter_id, reason, evidence, created_at) "
                "VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (voter_id) WHERE released_at IS NULL DO NOTHING RETURNING id",
                [voter_id, reason, evidence, self._now()],
            ).fetchone()
            if added is None:
                return False
            self._log(conn, "voter_quarantined", None, voter_id, {"reason": reason})
            return True

    def release_quarantine(self, voter_id: str, reason: str) -> bool:
        """Lift a voter's quarantine (its votes count again from the next snapshot)."""
        with self.transaction() as conn:
            changed = conn.execute(
                "UPDATE quarantines SET released_at = %s, released_reason = %s "
                "WHERE voter_id = %s AND released_at IS NULL",
                [self._now(), reason, voter_id],
            ).rowcount
            if changed:
                self._log(conn, "voter_released", None, voter_id, {"reason": reason})
            return bool(changed)

    def quarantines(self, *, active_only: bool = True) -> list[dict[str, Any]]:
        where = "WHERE q.released_at IS NULL" if active_only else ""
        return [iso_fields(row, "created_at", "released_at") for row in self._dicts(
            "SELECT q.id, q.voter_id, q.reason, q.evidence, q.created_at, q.released_at, "
            "q.released_reason, (SELECT COUNT(*) FROM votes v WHERE v.voter_id = q.voter_id "
            f"AND v.counted) AS votes FROM quarantines q {where} ORDER BY q.id"
        )]  # fmt: skip
