"""Any store: detection flags and reversible quarantines."""

import pytest

from arena.domain.clock import to_iso
from tests.contract.helpers import START, cast, counted_vote_records, new_battle, vote

VOTER_FLAG = {"kind": "voter", "subject": "v1", "test": "fisher", "statistic": 31.5,
              "p_value": 1e-6, "evidence": "12 of 12 for beta", "snapshot_id": "s1"}  # fmt: skip
COHORT_FLAG = {"kind": "cohort", "subject": "net-1", "test": "burst", "statistic": 4.0,
               "p_value": None, "evidence": "40 votes in 5 min", "snapshot_id": None}  # fmt: skip


def test_flags_are_listed_newest_first(store, clock):
    store.add_flags([VOTER_FLAG])
    clock.advance(60)
    store.add_flags([COHORT_FLAG])
    store.add_flags([])
    assert store.flags() == [
        {"id": 2, **COHORT_FLAG, "created_at": to_iso(START + 60)},
        {"id": 1, **VOTER_FLAG, "created_at": to_iso(START)},
    ]
    assert [f["id"] for f in store.flags("cohort")] == [2]


def test_a_quarantine_is_taken_once_and_released_once(store, clock):
    new_battle(store)
    cast(store, vote())
    assert store.quarantine("v1", "vote ring", "evidence")
    assert not store.quarantine("v1", "again", "")
    active = {"id": 1, "voter_id": "v1", "reason": "vote ring", "evidence": "evidence",
              "created_at": to_iso(START), "released_at": None, "released_reason": None,
              "votes": 1}  # fmt: skip
    assert store.quarantines() == [active]
    clock.advance(3600)
    assert store.release_quarantine("v1", "false positive")
    assert not store.release_quarantine("v1", "twice")
    assert store.quarantines() == []
    assert store.quarantines(active_only=False) == [
        {**active, "released_at": to_iso(START + 3600), "released_reason": "false positive"}
    ]
    moderated = [(e["kind"], e["voter_id"], e["detail"]) for e in store.events()]
    assert moderated[-2:] == [
        ("voter_quarantined", "v1", {"reason": "vote ring"}),
        ("voter_released", "v1", {"reason": "false positive"}),
    ]
    assert store.quarantine("v1", "back again", "")
    assert [q["id"] for q in store.quarantines(active_only=False)] == [1, 2]


def test_an_unknown_voter_can_be_quarantined(store):
    assert store.quarantine("never-seen", "pre-emptive", "")
    assert store.quarantines()[0]["votes"] == 0
    assert not store.release_quarantine("someone-else", "not quarantined")


def _three_votes(store) -> list[int]:
    for n in range(3):
        new_battle(store, f"b{n}", voter=f"v{n}")
        cast(store, vote(f"b{n}", voter=f"v{n}"))
    return [row["vote_id"] for row in counted_vote_records(store)]


def test_a_cohort_quarantine_keeps_its_votes_out_until_a_maintainer_releases_it(store, clock):
    ids = _three_votes(store)
    cohort = store.quarantine_cohort("new_voter_win_shift", "alpha", 4.5, "2 votes", ids[:2])
    assert store.counting_vote_count() == 1
    assert [r["voter_id"] for r in counted_vote_records(store)] == ["v2"]
    assert store.exclusion_counts()["cohort_quarantined"] == 2
    pending = {"id": cohort, "test": "new_voter_win_shift", "model": "alpha", "statistic": 4.5,
               "evidence": "2 votes", "votes": 2, "voters": 2, "status": "pending",
               "created_at": to_iso(START), "reviewed_at": None, "review_reason": None}  # fmt: skip
    assert store.cohort_quarantines() == [pending]
    clock.advance(3600)
    assert store.release_cohort_quarantine(cohort, "a launch, not a ring")
    assert not store.release_cohort_quarantine(cohort, "twice")
    assert not store.confirm_cohort_quarantine(cohort, "too late")
    assert store.counting_vote_count() == 3
    assert store.exclusion_counts()["cohort_quarantined"] == 0
    assert store.cohort_quarantines() == []
    assert store.cohort_quarantines(active_only=False) == [
        {**pending, "status": "released", "reviewed_at": to_iso(START + 3600),
         "review_reason": "a launch, not a ring"}
    ]  # fmt: skip
    assert store.cohort_quarantine_vote_ids(cohort) == ids[:2], "the record keeps its votes"
    moderated = [(e["kind"], e["detail"]) for e in store.events()][-2:]
    assert moderated == [
        ("cohort_quarantined", {"id": cohort, "model": "alpha", "votes": 2}),
        ("cohort_released", {"id": cohort, "reason": "a launch, not a ring"}),
    ]


def test_a_confirmed_cohort_quarantine_stays_and_can_still_be_released(store):
    ids = _three_votes(store)
    cohort = store.quarantine_cohort("new_voter_win_shift", "beta", -5.0, "", ids[1:])
    assert store.confirm_cohort_quarantine(cohort, "one ring, ticket 7")
    assert not store.confirm_cohort_quarantine(cohort, "twice")
    assert [q["status"] for q in store.cohort_quarantines()] == ["confirmed"]
    assert store.counting_vote_count() == 1
    assert store.release_cohort_quarantine(cohort, "appeal upheld")
    assert store.counting_vote_count() == 3


def test_a_vote_in_two_cohort_quarantines_counts_again_only_when_both_are_released(store):
    ids = _three_votes(store)
    first = store.quarantine_cohort("new_voter_win_shift", "alpha", 4.5, "", ids[:2])
    second = store.quarantine_cohort("new_voter_win_shift", "beta", 4.5, "", ids[1:2])
    assert store.release_cohort_quarantine(first, "alpha's launch")
    assert store.counting_vote_count() == 2
    assert store.release_cohort_quarantine(second, "beta's too")
    assert store.counting_vote_count() == 3


def test_an_empty_cohort_or_an_unknown_one_is_refused(store):
    _three_votes(store)
    assert not store.release_cohort_quarantine(99, "no such quarantine")
    assert not store.confirm_cohort_quarantine(99, "no such quarantine")
    with pytest.raises(ValueError, match="no votes"):
        store.quarantine_cohort("new_voter_win_shift", "alpha", 4.5, "", [])
    assert store.cohort_quarantines(active_only=False) == []
