"""A cohort quarantine's status: detection makes it pending; a maintainer's review confirms it
(its votes stay out) or releases it (they count again, and are never held again)."""

from __future__ import annotations

from enum import StrEnum


class CohortStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    RELEASED = "released"


# The statuses a review may move a quarantine from, by the status it moves it to.
REVIEWABLE_FROM = {
    CohortStatus.CONFIRMED: (CohortStatus.PENDING,),
    CohortStatus.RELEASED: (CohortStatus.PENDING, CohortStatus.CONFIRMED),
}
