"""Integrity checks, all pure (no I/O): identity disclosure in answers, probes in prompts,
near-duplicate prompts, rate limits, proof of work, per-voter and cohort anomaly tests, the
manipulation audit of a board and best-of-N transparency. The caller reads storage and passes
plain values in; every result is a frozen record. The audit (which fits boards with `ratings`) is
imported on its own, `from arena.integrity.audit import …`, so serving votes never loads it."""

from arena.integrity.cohorts import CohortAlert, monitor_cohorts
from arena.integrity.disclosure import (
    DetectorScore,
    Disclosure,
    DisclosureDetector,
    detector_for,
    evaluate_detector,
    find_disclosures,
)
from arena.integrity.duplicates import (
    DuplicateIndex,
    DuplicateMatch,
    duplicate_decision,
    normalise_prompt,
    prompt_weight,
)
from arena.integrity.probes import find_probes
from arena.integrity.proof_of_work import (
    SOLVER_JS,
    Challenge,
    issue_challenge,
    solve,
    verify_solution,
)
from arena.integrity.rate_limits import (
    Limits,
    VoterActivity,
    check_battle,
    check_vote,
    seconds_until_vote,
)
from arena.integrity.transparency import Variant, best_of_n_flags, organisation_reports
from arena.integrity.voter_tests import VoterFlag, flag_networks, flag_voters
from arena.integrity.votes import VoteRecord

__all__ = [
    "SOLVER_JS",
    "Challenge",
    "CohortAlert",
    "DetectorScore",
    "Disclosure",
    "DisclosureDetector",
    "DuplicateIndex",
    "DuplicateMatch",
    "Limits",
    "Variant",
    "VoteRecord",
    "VoterActivity",
    "VoterFlag",
    "best_of_n_flags",
    "check_battle",
    "check_vote",
    "seconds_until_vote",
    "duplicate_decision",
    "detector_for",
    "evaluate_detector",
    "find_disclosures",
    "find_probes",
    "flag_networks",
    "flag_voters",
    "issue_challenge",
    "monitor_cohorts",
    "normalise_prompt",
    "organisation_reports",
    "prompt_weight",
    "solve",
    "verify_solution",
]
