"""Any store: immutable snapshots and the votes each one counted."""

import pytest

from arena.domain.clock import to_iso
from tests.contract.helpers import (
    INTEGRITY_ERRORS,
    START,
    cast,
    execute_raw,
    new_battle,
    reopen,
    scalar,
    vote,
)


def test_snapshots_are_listed_oldest_first_with_their_votes(store):
    store.save_snapshot("s-zz", "2027-01-15T08:00:00.000+00:00", 2, "ab" * 32, '{"a": 1}', [7, 3])
    store.save_snapshot("s-aa", "2027-01-16T09:30:00.125+00:00", 1, "cd" * 32, '{"b": 2}', [3])
    assert store.snapshots() == [
        {"id": "s-zz", "created_at": "2027-01-15T08:00:00.000+00:00", "votes": 2,
         "vote_set_sha256": "ab" * 32},
        {"id": "s-aa", "created_at": "2027-01-16T09:30:00.125+00:00", "votes": 1,
         "vote_set_sha256": "cd" * 32},
    ]  # fmt: skip
    assert store.snapshot_body("s-zz") == '{"a": 1}'
    assert store.snapshot_body("nope") is None
    assert store.snapshot_vote_ids("s-zz") == {3, 7}
    assert store.snapshot_vote_ids("nope") == set()
    assert [e["detail"] for e in store.events("snapshot_created")] == [
        {"id": "s-zz", "votes": 2}, {"id": "s-aa", "votes": 1},
    ]  # fmt: skip


def test_a_large_vote_set_is_stored_in_a_few_bytes_not_a_row_per_vote(store):
    ids = list(range(1, 1_000_001))
    del ids[5_000:5_100]  # quarantined votes leave holes
    store.save_snapshot("big", "2027-01-15T08:00:00.000+00:00", len(ids), "ef" * 32, "{}", ids)
    assert store.snapshot_vote_ids("big") == set(ids)
    stored = scalar(store, "SELECT length(vote_ids) FROM snapshots WHERE id = 'big'")
    assert stored < 20_000


def test_a_snapshot_body_is_kept_byte_for_byte(store):
    body = '{"z": 1,   "a": [1.0, 2.50], "名": "值"}\n'
    store.save_snapshot("s1", "2027-01-15T08:00:00.000+00:00", 0, "0" * 64, body, [])
    assert store.snapshot_body("s1") == body


def test_snapshots_are_immutable(store):
    store.save_snapshot("s1", "2027-01-15T08:00:00.000+00:00", 1, "0" * 64, "{}", [1])
    for statement in ("UPDATE snapshots SET votes = 0", "DELETE FROM snapshots",
                      "UPDATE snapshots SET vote_ids = NULL"):  # fmt: skip
        with pytest.raises(INTEGRITY_ERRORS, match="immutable"):
            execute_raw(store, statement)
    assert store.snapshots()[0]["votes"] == 1 and store.snapshot_vote_ids("s1") == {1}


def _vote_at(store, clock, battle_id, counted=True):
    new_battle(store, battle_id)
    cast(store, vote(battle_id, counted=counted))
    clock.advance(60)


def test_votes_newer_than_the_latest_snapshot_are_counted_up_to_a_limit(store, clock):
    """What decides an automatic snapshot: the counted votes cast after the latest snapshot's
    newest vote (all of them before the first), at most `limit`, and when the first was cast."""
    assert store.votes_after_snapshot(limit=10) == (0, None)
    for n in range(3):
        _vote_at(store, clock, f"b{n}")
    _vote_at(store, clock, "uncounted", counted=False)
    assert store.votes_after_snapshot(limit=10) == (3, to_iso(START))
    assert store.votes_after_snapshot(limit=2) == (2, to_iso(START))
    first_two = [r["vote_id"] for r in store.snapshot_vote_rows()][:2]
    store.save_snapshot("s1", to_iso(clock()), 2, "0" * 64, "{}", first_two)
    assert store.votes_after_snapshot(limit=10) == (1, to_iso(START + 120))
    _vote_at(store, clock, "b3")
    assert store.votes_after_snapshot(limit=10) == (2, to_iso(START + 120))


def test_one_process_at_a_time_holds_the_snapshot_lock(store):
    """The lock automatic snapshots take, so that several workers make one snapshot, not one
    each: a second connection (another worker) cannot take it until it is let go."""
    other = reopen(store)
    try:
        with store.snapshot_lock() as held:
            assert held
            with other.snapshot_lock() as also:
                assert not also
        with other.snapshot_lock() as now_free:
            assert now_free
    finally:
        other.close()
