"""What both stores share about a maintainer's review of a cohort quarantine: the public
methods, which statuses each may move it from (arena.domain.cohorts). Each store supplies
`_review_cohort` in its own SQL."""

from __future__ import annotations

from arena.domain.cohorts import REVIEWABLE_FROM, CohortStatus


class CohortReviews:
    def confirm_cohort_quarantine(self, quarantine_id: int, reason: str) -> bool:
        """A maintainer keeps a pending cohort quarantine; False unless it is pending."""
        return self._review(quarantine_id, CohortStatus.CONFIRMED, reason)

    def release_cohort_quarantine(self, quarantine_id: int, reason: str) -> bool:
        """A maintainer lets a cohort's votes count again; False unless it is active."""
        return self._review(quarantine_id, CohortStatus.RELEASED, reason)

    def _review(self, quarantine_id: int, status: CohortStatus, reason: str) -> bool:
        allowed = [s.value for s in REVIEWABLE_FROM[status]]
        return self._review_cohort(quarantine_id, status.value, allowed, reason)

    def _review_cohort(
        self, quarantine_id: int, status: str, allowed: list[str], reason: str
    ) -> bool:
        """Move the quarantine to `status` if it is in one of `allowed` (a release deletes its
        rows of held votes), and log it; False if it was not."""
        raise NotImplementedError
