"""Any store under threads (as under several workers): one vote per battle, one use per proof,
no live rating update lost, one active quarantine per voter."""

from arena.ports import VoteAlreadyCast
from tests.contract.helpers import at_once, cast, count_rows, new_battle, vote

THREADS = 10


def test_concurrent_votes_on_one_battle_store_exactly_one(store):
    new_battle(store)
    verdicts = ["a_better", "b_better"] * (THREADS // 2)
    outcomes = at_once(THREADS, lambda i: cast(store, vote(verdict=verdicts[i])))
    assert sum(o is None for o in outcomes) == 1, outcomes
    assert all(isinstance(o, VoteAlreadyCast) for o in outcomes if o is not None), outcomes
    assert count_rows(store, "votes") == 1
    assert [r.votes for r in store.live_ratings()] == [1, 1]


def test_concurrent_uses_of_one_proof_find_exactly_one_unspent(store):
    outcomes = at_once(THREADS, lambda i: store.use_proof("challenge"))
    assert sorted(outcomes) == [False] + [True] * (THREADS - 1)


def test_concurrent_votes_on_the_same_models_lose_no_rating_update(store):
    for n in range(THREADS):
        new_battle(store, f"b{n}")
    at_once(THREADS, lambda i: cast(store, vote(f"b{i}")))
    ratings = {r.model: (r.mu, r.votes, r.wins) for r in store.live_ratings()}
    assert ratings == {"alpha": (25.0 + THREADS, THREADS, THREADS),
                       "beta": (25.0 - THREADS, THREADS, 0)}  # fmt: skip


def test_concurrent_quarantines_of_one_voter_take_one(store):
    new_battle(store)
    outcomes = at_once(THREADS, lambda i: store.quarantine("v1", f"moderator {i}", ""))
    assert sorted(outcomes) == [False] * (THREADS - 1) + [True]
    assert len(store.quarantines()) == 1
