"""Detection flags, voter quarantines and cohort quarantines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from arena.adapters.cohort_reviews import CohortReviews
from arena.adapters.postgres.base import iso_fields
from arena.domain.cohorts import CohortStatus
from arena.domain.vote_ids import pack_vote_ids, unpack_vote_ids


class Moderation(CohortReviews):
    def add_flags(self, flags: list[dict[str, Any]]) -> None:
        with self.transaction() as conn, conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO flags (kind, subject, test, statistic, p_value, evidence, "
                "snapshot_id, created_at) VALUES (%(kind)s, %(subject)s, %(test)s, "
                "%(statistic)s, %(p_value)s, %(evidence)s, %(snapshot_id)s, %(created_at)s)",
                [{**flag, "created_at": self._now()} for flag in flags],
            )

    def flags(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Stored flags (of one `kind`, or all), newest first."""
        where = "WHERE kind = %s" if kind else ""
        return [iso_fields(row, "created_at") for row in self._dicts(
            "SELECT id, kind, subject, test, statistic, p_value, evidence, snapshot_id, "
            f"created_at FROM flags {where} ORDER BY id DESC", [kind] if kind else [],
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

    def quarantine_cohort(
        self, test: str, model: str, statistic: float, evidence: str, vote_ids: Sequence[int]
    ) -> int:
        """Keep a cohort's votes out of counting, pending review; the new quarantine's id."""
        ids = sorted({int(i) for i in vote_ids})
        if not ids:
            raise ValueError("a cohort quarantine needs votes: it was given no votes")
        with self.transaction() as conn:
            voters = conn.execute(
                "SELECT COUNT(DISTINCT voter_id) FROM votes WHERE id = ANY(%s)", [ids]
            ).fetchone()[0]
            cohort = conn.execute(
                "INSERT INTO cohort_quarantines (test, model, statistic, evidence, votes, voters, "
                "vote_ids, status, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "RETURNING id",
                [test, model, statistic, evidence, len(ids), voters, pack_vote_ids(ids),
                 CohortStatus.PENDING.value, self._now()],
            ).fetchone()[0]  # fmt: skip
            conn.execute(
                "INSERT INTO cohort_quarantined_votes (vote_id, quarantine_id) "
                "SELECT unnest(%s::bigint[]), %s",
                [ids, cohort],
            )
            self._log(conn, "cohort_quarantined", None, None,
                      {"id": cohort, "model": model, "votes": len(ids)})  # fmt: skip
            return cohort

    def _review_cohort(
        self, quarantine_id: int, status: str, allowed: list[str], reason: str
    ) -> bool:
        with self.transaction() as conn:
            changed = conn.execute(
                "UPDATE cohort_quarantines SET status = %s, reviewed_at = %s, review_reason = %s "
                "WHERE id = %s AND status = ANY(%s)",
                [status, self._now(), reason, quarantine_id, allowed],
            ).rowcount
            if not changed:
                return False
            if status == CohortStatus.RELEASED:
                conn.execute(
                    "DELETE FROM cohort_quarantined_votes WHERE quarantine_id = %s",
                    [quarantine_id],
                )
            self._log(conn, f"cohort_{status}", None, None, {"id": quarantine_id, "reason": reason})
            return True

    def cohort_quarantines(self, *, active_only: bool = True) -> list[dict[str, Any]]:
        """Cohort quarantines (pending or confirmed ones, or all), oldest first."""
        where = f"WHERE status != '{CohortStatus.RELEASED}'" if active_only else ""
        return [iso_fields(row, "created_at", "reviewed_at") for row in self._dicts(
            "SELECT id, test, model, statistic, evidence, votes, voters, status, created_at, "
            f"reviewed_at, review_reason FROM cohort_quarantines {where} ORDER BY id"
        )]  # fmt: skip

    def cohort_quarantine_vote_ids(self, quarantine_id: int) -> list[int]:
        """The ids of the votes a cohort quarantine holds or held, sorted."""
        row = self._dicts("SELECT vote_ids FROM cohort_quarantines WHERE id = %s", [quarantine_id])
        return unpack_vote_ids(bytes(row[0]["vote_ids"])).tolist() if row else []
