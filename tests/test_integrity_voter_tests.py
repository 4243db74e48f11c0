"""Per-voter tests against snapshot ratings: honest simulated voters pass, attackers are flagged."""

import math

import numpy as np
import pytest

from arena.integrity.voter_tests import (
    FAVOURITISM,
    FISHER,
    LIKELIHOOD,
    checkpoints,
    favouritism_flags,
    fisher_flags,
    flag_voters,
    likelihood_flags,
    lower_tail,
    vote_p_value,
)
from arena.integrity.votes import VoteRecord, win_probability

MODELS = [f"model-{i:02d}" for i in range(12)]
RATINGS = dict(zip(MODELS, np.linspace(850.0, 1250.0, len(MODELS)), strict=True))


def honest_votes(rng, voter: str, n: int, start: float = 0.0) -> list[VoteRecord]:
    """Votes drawn from the snapshot's own BT model; 10% ties and 5% both_bad."""
    votes = []
    for k in range(n):
        a, b = rng.choice(len(MODELS), 2, replace=False)
        model_a, model_b = MODELS[a], MODELS[b]
        u = rng.random()
        if u < 0.10:
            verdict = "tie"
        elif u < 0.15:
            verdict = "both_bad"
        elif rng.random() < win_probability(RATINGS[model_a], RATINGS[model_b]):
            verdict = "a_better"
        else:
            verdict = "b_better"
        votes.append(VoteRecord(voter, model_a, model_b, verdict, start + k, ip_hash="ip-" + voter))
    return votes


def attacker_votes(rng, voter: str, target: str, n: int, *, against: bool = False):
    """Battles that include `target`; the attacker always votes for it (or against it)."""
    others = [m for m in MODELS if m != target]
    votes = []
    for k in range(n):
        opponent = others[rng.integers(len(others))]
        target_on_a = rng.random() < 0.5
        model_a, model_b = (target, opponent) if target_on_a else (opponent, target)
        target_wins = not against
        verdict = "a_better" if target_on_a == target_wins else "b_better"
        votes.append(VoteRecord(voter, model_a, model_b, verdict, 10_000.0 + k))
    return votes


@pytest.fixture(scope="module")
def population():
    rng = np.random.default_rng(20240521)
    return [v for i in range(2000) for v in honest_votes(rng, f"honest-{i:04d}", 20)]


def test_the_elo_win_probability_matches_the_published_formula():
    assert win_probability(1400.0, 1000.0) == pytest.approx(10 / 11)
    assert win_probability(1000.0, 1000.0) == 0.5


def test_at_most_one_in_a_thousand_honest_voters_is_flagged(population):
    flagged = {f.voter_id for f in flag_voters(population, RATINGS)}
    assert len(flagged) <= 2, flagged


def test_a_target_only_attacker_is_flagged_by_favouritism_and_fisher(population):
    rng = np.random.default_rng(1)
    target = "model-03"  # rated 959: most opponents are stronger
    votes = population + attacker_votes(rng, "attacker", target, 200)
    flags = [f for f in flag_voters(votes, RATINGS) if f.voter_id == "attacker"]
    tests = {f.test: f for f in flags}
    assert {FAVOURITISM, FISHER} <= set(tests)
    assert target in tests[FAVOURITISM].evidence and "for" in tests[FAVOURITISM].evidence
    assert tests[FAVOURITISM].statistic == 1.0
    assert tests[FISHER].adjusted_p_value < 1e-6
    assert flags == sorted(flags, key=lambda f: f.adjusted_p_value)


def test_a_voter_who_always_votes_against_the_leader_is_flagged_for_it(population):
    rng = np.random.default_rng(2)
    votes = population + attacker_votes(rng, "hater", "model-11", 60, against=True)
    (flag,) = [f for f in favouritism_flags(votes, RATINGS) if f.voter_id == "hater"]
    assert flag.statistic == 0.0
    assert "against model-11" in flag.evidence


def test_a_voter_who_clicks_at_random_is_flagged_by_the_likelihood_z_score(population):
    rng = np.random.default_rng(3)
    votes = []
    for k in range(400):
        a, b = rng.choice(len(MODELS), 2, replace=False)
        verdict = "a_better" if rng.random() < 0.5 else "b_better"
        votes.append(VoteRecord("clicker", MODELS[a], MODELS[b], verdict, float(k)))
    flags = likelihood_flags(population + votes, RATINGS)
    assert [f.voter_id for f in flags] == ["clicker"]
    assert flags[0].statistic < -4.0


def test_an_honest_voter_with_many_votes_is_not_flagged():
    rng = np.random.default_rng(4)
    votes = honest_votes(rng, "regular", 500)
    assert flag_voters(votes, RATINGS) == []


def test_the_per_vote_p_value_is_the_upset_probability_or_one():
    upset = VoteRecord("v", "model-00", "model-11", "a_better", 0.0)
    assert vote_p_value(upset, RATINGS) == pytest.approx(win_probability(850.0, 1250.0))
    expected = VoteRecord("v", "model-00", "model-11", "b_better", 0.0)
    assert vote_p_value(expected, RATINGS) == 1.0
    assert vote_p_value(VoteRecord("v", "model-00", "model-11", "tie", 0.0), RATINGS) == 1.0


def test_the_per_vote_p_values_are_valid_under_the_model():
    rng = np.random.default_rng(5)
    votes = honest_votes(rng, "v", 20_000)
    p = np.array([vote_p_value(v, RATINGS) for v in votes])
    for x in (0.05, 0.1, 0.2, 0.3, 0.45):
        assert np.mean(p <= x) <= x + 0.01


def test_checkpoints_are_powers_of_two_and_the_last_vote():
    assert checkpoints(0) == []
    assert checkpoints(1) == [1]
    assert checkpoints(8) == [1, 2, 4, 8]
    assert checkpoints(20) == [1, 2, 4, 8, 16, 20]


def test_fisher_bonferroni_counts_every_checkpoint_of_every_voter():
    rng = np.random.default_rng(6)
    votes = honest_votes(rng, "a", 20) + honest_votes(rng, "b", 8)
    flags = fisher_flags(votes, RATINGS, alpha=math.inf)
    assert {f.tests for f in flags} == {6 + 4}
    assert all(0.0 < f.p_value <= 1.0 for f in flags)


def test_votes_on_models_missing_from_the_snapshot_are_ignored():
    votes = [
        VoteRecord("new", "brand-new-model", "model-00", "a_better", float(k)) for k in range(50)
    ]
    assert flag_voters(votes, RATINGS) == []


def test_the_skew_correction_never_makes_the_lower_tail_smaller_than_the_normal_one():
    from scipy import stats

    for z in (-5.0, -3.0, -1.0, 0.0, 2.0):
        for skew in (-0.5, -0.1, 0.0, 0.1, 0.5):
            assert lower_tail(z, skew) >= stats.norm.cdf(z)
    assert lower_tail(-4.0, -0.3) > 2 * stats.norm.cdf(-4.0)


def test_likelihood_needs_enough_decisive_votes():
    votes = [VoteRecord("few", "model-00", "model-11", "a_better", float(k)) for k in range(19)]
    assert likelihood_flags(votes, RATINGS) == []
    votes.append(VoteRecord("few", "model-00", "model-11", "a_better", 19.0))
    assert [f.test for f in likelihood_flags(votes, RATINGS)] == [LIKELIHOOD]
