"""Detection after votes arrive: per-voter tests against the last published snapshot, cohort
monitors, reversible quarantine of flagged voters (their votes are kept and excluded from the
next snapshot, with the reason), and cohort quarantines: the votes of a new-voter cohort that
an alert of arena.integrity.cohorts.QUARANTINING implicates, kept out pending a maintainer's
review. Reads the store; decides with arena.integrity."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from arena.domain.cohorts import CohortStatus
from arena.domain.voters import is_unknown_voter
from arena.integrity import (
    CohortAlert,
    VoteRecord,
    VoterFlag,
    flag_networks,
    flag_voters,
    monitor_cohorts,
)
from arena.integrity.cohorts import QUARANTINING, cohort_vote_ids, first_seen_times
from arena.ports import Store
from arena.usecases.publishing import Publishing, SnapshotNotFound

DEFAULT_ALPHA = 0.05  # family-wise, per test (Bonferroni over checkpoints and voters)


@dataclass(frozen=True)
class CohortQuarantine:
    """A cohort quarantine a detection run made: its id, the alert, the votes it holds."""

    id: int
    alert: CohortAlert
    votes: int


@dataclass(frozen=True)
class DetectionReport:
    snapshot_id: str | None  # the published ratings the voters were tested against
    votes: int
    voters: int
    flags: tuple[VoterFlag, ...]
    alerts: tuple[CohortAlert, ...]
    quarantined: tuple[str, ...]  # voters newly quarantined by this run
    # ("ip" | "prefix", flag whose voter_id is the network's hash): the votes of one network
    # tested as one voter's
    network_flags: tuple[tuple[str, VoterFlag], ...] = ()
    cohort_quarantines: tuple[CohortQuarantine, ...] = ()  # made by this run, pending review


class Detection:
    def __init__(
        self, store: Store, publishing: Publishing, clock: Callable[[], float] = time.time
    ):
        self.store = store
        self.publishing = publishing
        self.clock = clock

    def run(self, *, quarantine: bool = True, alpha: float = DEFAULT_ALPHA) -> DetectionReport:
        """Test every voter's counted votes, and those a daily cap kept from counting, against
        the latest snapshot's overall ratings (not the current, possibly contaminated data),
        run the cohort monitors (on the counted votes cast here, not imported), store the flags,
        quarantine flagged voters, and quarantine the cohorts that QUARANTINING alerts implicate
        (pending review; never votes a maintainer released before)."""
        # The voter tests also read the votes a daily cap kept from counting: a patient attacker's
        # counted votes alone can be too few to test (docs/attack_simulation.md). One read: the
        # votes that count are those of the evidence marked `counted`.
        # a placeholder (imported without a judge) is no voter, and its votes no one's traffic
        rows = [r for r in self.store.voter_evidence_records()
                if not is_unknown_voter(r["voter_id"])]  # fmt: skip
        evidence = [
            VoteRecord(
                voter_id=r["voter_id"], model_a=r["model_a"], model_b=r["model_b"],
                verdict=r["verdict"], timestamp=r["timestamp"], ip_hash=r["ip_hash"] or "",
                ip_prefix_hash=r["ip_prefix_hash"] or "", vote_id=r["vote_id"],
            )
            for r in rows
        ]  # fmt: skip
        records = [record for record, row in zip(evidence, rows, strict=True) if row["counted"]]
        # The cohort monitors watch this arena's traffic: an imported vote was cast elsewhere
        # (one without a time is stored at the import's hour: a file was a burst on every model)
        traffic = [record for record, row in zip(evidence, rows, strict=True)
                   if row["counted"] and not row["imported"]]  # fmt: skip
        try:
            snapshot = self.publishing.get()
        except SnapshotNotFound:
            snapshot = None
        flags: list[VoterFlag] = []
        networks: list[tuple[str, VoterFlag]] = []
        if snapshot is not None:
            ratings = {row.model: row.rating for row in snapshot.boards["overall"].rows}
            known = [v for v in evidence if v.model_a in ratings and v.model_b in ratings]
            flags = flag_voters(known, ratings, alpha=alpha)
            networks = flag_networks(known, ratings, alpha=alpha)
        now = self.clock()
        first_seen = first_seen_times(traffic)
        alerts = monitor_cohorts(traffic, now=now, first_seen=first_seen)
        snapshot_id = snapshot.id if snapshot else None
        self.store.add_flags(
            [{"kind": "voter", "subject": f.voter_id, "test": f.test, "statistic": f.statistic,
              "p_value": f.adjusted_p_value, "evidence": f.evidence, "snapshot_id": snapshot_id}
             for f in flags]
            + [{"kind": "cohort", "subject": a.subject, "test": a.kind, "statistic": a.statistic,
                "p_value": None, "evidence": a.evidence, "snapshot_id": snapshot_id}
               for a in alerts]
            + [{"kind": scope, "subject": f.voter_id, "test": f.test, "statistic": f.statistic,
                "p_value": f.adjusted_p_value, "evidence": f.evidence, "snapshot_id": snapshot_id}
               for scope, f in networks]
        )  # fmt: skip
        newly = []
        cohorts = self._quarantine_cohorts(traffic, alerts, now, first_seen) if quarantine else []
        if quarantine:
            by_voter: dict[str, list[VoterFlag]] = {}
            for flag in flags:
                by_voter.setdefault(flag.voter_id, []).append(flag)
            # An IP's votes that fail together quarantine every voter who cast them from it (a
            # prefix holds too many people for that: its flags wait for a maintainer). The flag
            # stays with the IP: a later run sees only the votes that still count, and the
            # cookies it rotates through next are too few to flag it again. A voter a maintainer
            # released is not caught again by that old flag.
            released = {q["voter_id"] for q in self.store.quarantines(active_only=False)
                        if q["released_at"] is not None}  # fmt: skip
            voters_of_ip: dict[str, set[str]] = {}
            for r in records:
                voters_of_ip.setdefault(r.ip_hash, set()).add(r.voter_id)
            ip_flags = {}  # IP hash -> its latest stored flag (this run's are stored above)
            for stored in self.store.flags("ip"):  # newest first
                ip_flags.setdefault(stored["subject"], stored)
            for ip_hash, flag in ip_flags.items():
                when = flag["created_at"][:16].replace("T", " ")
                note = (f"votes from IP {ip_hash[:12]}…, flagged {when} when taken together: "
                        f"{flag['evidence']}")  # fmt: skip
                for voter_id in sorted(voters_of_ip.get(ip_hash, set()) - released):
                    by_voter.setdefault(voter_id, []).append(
                        VoterFlag(voter_id, f"ip_{flag['test']}", flag["statistic"],
                                  flag["p_value"], note)
                    )  # fmt: skip
            for voter_id, found in by_voter.items():
                reason = "+".join(sorted({f.test for f in found}))
                evidence = " | ".join(f.evidence for f in found)
                if self.store.quarantine(voter_id, reason, evidence):
                    newly.append(voter_id)
        return DetectionReport(
            snapshot_id=snapshot_id,
            votes=len(records),
            voters=len({r.voter_id for r in records}),
            flags=tuple(flags),
            alerts=tuple(alerts),
            quarantined=tuple(newly),
            network_flags=tuple(networks),
            cohort_quarantines=tuple(cohorts),
        )

    def _quarantine_cohorts(
        self, records: list[VoteRecord], alerts: list[CohortAlert], now: float,
        first_seen: dict[str, float],
    ) -> list[CohortQuarantine]:  # fmt: skip
        """A cohort quarantine per QUARANTINING alert whose cohort has votes left once those a
        maintainer already released are taken out (a release is a decision, not to be undone
        by the next run)."""
        acting = [a for a in alerts if a.kind in QUARANTINING]
        if not acting:
            return []
        taken = {  # votes released by a maintainer, then those held by this run
            vote_id
            for q in self.store.cohort_quarantines(active_only=False)
            if q["status"] == CohortStatus.RELEASED
            for vote_id in self.store.cohort_quarantine_vote_ids(q["id"])
        }
        made = []
        for alert in acting:
            ids = [i for i in cohort_vote_ids(records, alert, now=now, first_seen=first_seen)
                   if i not in taken]  # fmt: skip
            if ids:
                cohort = self.store.quarantine_cohort(
                    alert.kind, alert.subject, alert.statistic, alert.evidence, ids
                )
                made.append(CohortQuarantine(cohort, alert, len(ids)))
                taken.update(ids)  # a vote in two models' cohorts is held by the first
        return made

    def quarantine(self, voter_id: str, reason: str, evidence: str = "") -> bool:
        """A maintainer quarantines a voter by hand; False if already quarantined."""
        return self.store.quarantine(voter_id, reason, evidence)

    def release(self, voter_id: str, reason: str) -> bool:
        """Reverse a quarantine: the voter's votes count again from the next snapshot."""
        return self.store.release_quarantine(voter_id, reason)

    def confirm_cohort(self, quarantine_id: int, reason: str) -> bool:
        """A maintainer keeps a pending cohort quarantine; False unless it is pending."""
        return self.store.confirm_cohort_quarantine(quarantine_id, reason)

    def release_cohort(self, quarantine_id: int, reason: str) -> bool:
        """A maintainer lets a cohort's votes count again; False unless it is active."""
        return self.store.release_cohort_quarantine(quarantine_id, reason)

    def cohort_quarantines(self, *, active_only: bool = True) -> list[dict]:
        return self.store.cohort_quarantines(active_only=active_only)

    def flags(self) -> list[dict]:
        return self.store.flags()

    def quarantines(self, *, active_only: bool = True) -> list[dict]:
        return self.store.quarantines(active_only=active_only)
