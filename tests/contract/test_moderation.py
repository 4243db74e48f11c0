"""Any store: detection flags and reversible quarantines."""

from arena.domain.clock import to_iso
from tests.contract.helpers import START, cast, new_battle, vote

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
