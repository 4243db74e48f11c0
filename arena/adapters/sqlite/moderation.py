"""Detection flags, voter quarantines and cohort quarantines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from arena.adapters.cohort_reviews import CohortReviews
from arena.domain.cohorts import CohortStatus
from arena.domain.vote_ids import pack_vote_ids, unpack_vote_ids


class Moderation(CohortReviews):
    def add_flags(self, flags: list[dict[str, Any]]) -> None:
        with self.transaction() as conn:
            for flag in flags:
                conn.execute(
                    "INSERT INTO flags (kind, subject, test, statistic, p_value, evidence, "
                    "snapshot_id, created_at) VALUES (:kind, :subject, :test, :statistic, "
                    ":p_value, :evidence, :snapshot_id, :created_at)",
                    {**flag, "created_at": self._now()},
                )

    def flags(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Stored flags (of one `kind`, or all), newest first."""
        where = "WHERE kind = ?" if kind else ""
        return list(self.db.query(f"SELECT * FROM flags {where} ORDER BY id DESC",
                                  [kind] if kind else []))  # fmt: skip

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

    def quarantine_cohort(
        self, test: str, model: str, statistic: float, evidence: str, vote_ids: Sequence[int]
    ) -> int:
        """Keep a cohort's votes out of counting, pending review; the new quarantine's id."""
        ids = sorted({int(i) for i in vote_ids})
        if not ids:
            raise ValueError("a cohort quarantine needs votes: it was given no votes")
        with self.transaction() as conn:
            cohort = conn.execute(
                "INSERT INTO cohort_quarantines (test, model, statistic, evidence, votes, voters, "
                "vote_ids, status, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)",
                [
                    test,
                    model,
                    statistic,
                    evidence,
                    len(ids),
                    pack_vote_ids(ids),
                    CohortStatus.PENDING.value,
                    self._now(),
                ],
            ).lastrowid
            conn.executemany(
                "INSERT INTO cohort_quarantined_votes (vote_id, quarantine_id) VALUES (?, ?)",
                [(i, cohort) for i in ids],
            )
            conn.execute(
                "UPDATE cohort_quarantines SET voters = (SELECT COUNT(DISTINCT v.voter_id) "
                "FROM cohort_quarantined_votes c JOIN votes v ON v.id = c.vote_id "
                "WHERE c.quarantine_id = ?) WHERE id = ?",
                [cohort, cohort],
            )
            self._log(conn, "cohort_quarantined", None, None,
                      {"id": cohort, "model": model, "votes": len(ids)})  # fmt: skip
            return cohort

    def _review_cohort(
        self, quarantine_id: int, status: str, allowed: list[str], reason: str
    ) -> bool:
        with self.transaction() as conn:
            changed = conn.execute(
                "UPDATE cohort_quarantines SET status = ?, reviewed_at = ?, review_reason = ? "
                f"WHERE id = ? AND status IN ({', '.join('?' * len(allowed))})",
                [status, self._now(), reason, quarantine_id, *allowed],
            ).rowcount
            if not changed:
                return False
            if status == CohortStatus.RELEASED:
                conn.execute(
                    "DELETE FROM cohort_quarantined_votes WHERE quarantine_id = ?", [quarantine_id]
                )
            self._log(conn, f"cohort_{status}", None, None, {"id": quarantine_id, "reason": reason})
            return True

    def cohort_quarantines(self, *, active_only: bool = True) -> list[dict[str, Any]]:
        """Cohort quarantines (pending or confirmed ones, or all), oldest first."""
        where = f"WHERE status != '{CohortStatus.RELEASED}'" if active_only else ""
        return list(self.db.query(
            "SELECT id, test, model, statistic, evidence, votes, voters, status, created_at, "
            f"reviewed_at, review_reason FROM cohort_quarantines {where} ORDER BY id"
        ))  # fmt: skip

    def cohort_quarantine_vote_ids(self, quarantine_id: int) -> list[int]:
        """The ids of the votes a cohort quarantine holds or held, sorted."""
        row = self.db.execute(
            "SELECT vote_ids FROM cohort_quarantines WHERE id = ?", [quarantine_id]
        ).fetchone()
        return unpack_vote_ids(row[0]).tolist() if row else []
