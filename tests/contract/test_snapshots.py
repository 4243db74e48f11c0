"""Any store: immutable snapshots and the votes each one counted."""

import pytest

from tests.contract.helpers import INTEGRITY_ERRORS, execute_raw, scalar


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
