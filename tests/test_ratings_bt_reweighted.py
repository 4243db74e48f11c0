"""Inverse-frequency reweighting (ci="reweighted"): LMArena's numbers, what it changes, coverage."""

import numpy as np
import pytest

from ratings import fit_bradley_terry, matches_from_arrays, matches_from_records
from ratings.bradley_terry import SCALE
from ratings.bt_reweighted import MIN_PAIR_VOTES, inverse_frequency_weights
from ratings.bt_sandwich import Z_95

# Five models, nine of the ten pairs met, 20 to 420 votes a pair (three below MIN_PAIR_VOTES).
GOLDEN_TABLE = (  # model_a, model_b, votes model_a won, votes model_b won, ties
    ("alpha", "beta", 120, 80, 40),
    ("alpha", "gamma", 30, 12, 8),
    ("alpha", "delta", 10, 4, 6),
    ("alpha", "epsilon", 5, 2, 3),
    ("beta", "gamma", 60, 55, 25),
    ("beta", "delta", 9, 9, 2),
    ("gamma", "delta", 200, 150, 70),
    ("gamma", "epsilon", 40, 30, 10),
    ("delta", "epsilon", 70, 40, 30),
)
GOLDEN_MODELS = ("alpha", "beta", "delta", "epsilon", "gamma")
# arena-rank 0.1.1 from PyPI (bench/setup_arena_rank.sh), jax 0.8.1, numpy 2.3.3, run once on
# GOLDEN_TABLE expanded to one row per vote (winner "model_a" / "model_b" / "tie"):
#     dataset = PairDataset.from_pandas(df, reweighted=True)      # or reweighted=False
#     out = BradleyTerry(n_competitors=5).compute_ratings_and_cis(dataset, ci_method="sandwich")
#     out["ratings"], np.sqrt(out["variances"])                    # models in GOLDEN_MODELS order
ARENA_RANK_REWEIGHTED = {
    "ratings": (1088.6884565058963, 1009.8840831868511, 981.9225735458693, 930.4679752326258,
                989.0369115287575),
    "se": (19.9242699295053, 17.466909893945587, 15.881905523396386, 20.103144698767867,
           13.040022980889194),
}  # fmt: skip
ARENA_RANK_PLAIN = {
    "ratings": (1085.02626051992, 1019.6367350549448, 971.6745653839043, 921.1634458569633,
                1002.4989931842675),
    "se": (17.22404761493972, 15.338822855351024, 12.60757302905985, 18.876185563847798,
           11.097003233196775),
}  # fmt: skip
# arena-rank adds a ridge to its Hessian's diagonal before inverting it (1e-5 with weights,
# 1e-5·votes without), which shrinks its standard errors by ~2e-5 (reweighted) and ~2.4e-4
# (plain) relative to the exact sandwich; with that ridge added ours reproduce its errors to
# 1.2e-7. Its L-BFGS ratings are within 3e-5 rating points of our Newton solution.
RATING_TOLERANCE = 1e-4  # rating points


def golden_matches(repeat=()):
    """GOLDEN_TABLE as one record per vote; the pairs in `repeat` have their votes three times."""
    records = []
    for a, b, a_won, b_won, ties in GOLDEN_TABLE:
        times = 3 if (a, b) in repeat else 1
        records += [(a, b, "a_better")] * a_won * times + [(a, b, "b_better")] * b_won * times
        records += [(a, b, "tie")] * ties * times
    return matches_from_records(records)


def standard_errors(board):
    return (board.upper - board.ratings) / Z_95


def test_reweighted_ratings_and_standard_errors_equal_arena_ranks():
    board = fit_bradley_terry(golden_matches(), ci="reweighted")
    assert board.models == GOLDEN_MODELS and board.ci == "reweighted"
    expected = ARENA_RANK_REWEIGHTED
    assert board.ratings == pytest.approx(expected["ratings"], abs=RATING_TOLERANCE)
    assert standard_errors(board) == pytest.approx(expected["se"], rel=5e-5)


def test_plain_sandwich_equals_arena_ranks_unweighted_sandwich():
    board = fit_bradley_terry(golden_matches(), ci="sandwich")
    assert board.ratings == pytest.approx(ARENA_RANK_PLAIN["ratings"], abs=RATING_TOLERANCE)
    assert standard_errors(board) == pytest.approx(ARENA_RANK_PLAIN["se"], rel=5e-4)


def test_reweighting_moves_the_ratings_of_an_unevenly_sampled_board():
    plain = fit_bradley_terry(golden_matches(), ci="sandwich")
    reweighted = fit_bradley_terry(golden_matches(), ci="reweighted")
    assert np.max(np.abs(reweighted.ratings - plain.ratings)) > 10.0


def test_each_vote_weighs_one_over_its_pairs_votes_floored_at_fifty_scaled_to_the_votes():
    totals = np.array([10.0, MIN_PAIR_VOTES, 200.0, 400.0])
    weights = inverse_frequency_weights(totals)
    assert weights @ totals == pytest.approx(totals.sum())
    # pairs of 10 and 50 votes weigh the same per vote; a pair of 400 votes as much as one of 200
    assert weights[0] == pytest.approx(weights[1])
    assert weights[2] * 200 == pytest.approx(weights[3] * 400)
    assert weights[1] * 50 == pytest.approx(weights[2] * 200)


def even_matches(votes_per_pair, seed=0, n_models=6):
    """Every pair of n_models met exactly votes_per_pair times, Bradley–Terry outcomes."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 0.6, n_models)
    first, second = np.triu_indices(n_models, 1)
    a, b = np.repeat(first, votes_per_pair), np.repeat(second, votes_per_pair)
    p = 1 / (1 + np.exp(theta[b] - theta[a]))
    verdict = np.where(rng.random(len(a)) < 0.2, 2, np.where(rng.random(len(a)) < p, 0, 1))
    return matches_from_arrays([f"m{i}" for i in range(n_models)], a, b, verdict)


@pytest.mark.parametrize("votes_per_pair", [20, 80])  # below and above MIN_PAIR_VOTES
def test_with_every_pair_met_equally_often_reweighting_changes_nothing(votes_per_pair):
    matches = even_matches(votes_per_pair)
    plain = fit_bradley_terry(matches, ci="sandwich")
    reweighted = fit_bradley_terry(matches, ci="reweighted")
    assert reweighted.ratings == pytest.approx(plain.ratings, abs=1e-9)
    assert reweighted.lower == pytest.approx(plain.lower, abs=1e-9)
    assert reweighted.upper == pytest.approx(plain.upper, abs=1e-9)


def test_sampling_a_well_met_pair_more_often_leaves_the_reweighted_ratings_where_they_were():
    matches = golden_matches()
    # gamma vs delta's 420 votes three times over: the same shares, thrice the count
    tripled = golden_matches(repeat={("gamma", "delta")})
    once = fit_bradley_terry(matches, ci="reweighted")
    thrice = fit_bradley_terry(tripled, ci="reweighted")
    assert thrice.ratings == pytest.approx(once.ratings, abs=1e-8)
    plain_once = fit_bradley_terry(matches, ci="sandwich")
    plain_thrice = fit_bradley_terry(tripled, ci="sandwich")
    assert np.max(np.abs(plain_thrice.ratings - plain_once.ratings)) > 1.0


def test_an_anchor_pins_the_reweighted_board_too():
    board = fit_bradley_terry(golden_matches(), ci="reweighted", anchor=("gamma", 1200.0))
    free = fit_bradley_terry(golden_matches(), ci="reweighted")
    gamma = board.models.index("gamma")
    assert board.ratings[gamma] == board.lower[gamma] == board.upper[gamma] == 1200.0
    assert board.ratings - 1200.0 == pytest.approx(free.ratings - free.ratings[gamma])


# Coverage, in the style of test_ratings_coverage.py but with pair frequencies skewed by model
# popularity as in the arena, where reweighting matters. Bradley–Terry holds in the simulation,
# so the reweighted fit targets the same true ratings as the plain one. Measured over 10,000
# intervals each (seed 1): plain sandwich 95.3%, reweighted 95.2%, the reweighted intervals ~6%
# wider. 100 boards × 10 models = 1,000 intervals per test: the 93–97% band is about ±3 SE.
SIMULATIONS = 100
MODELS = 10
VOTES = 2_500
TIE_RATE = 0.28


def simulate_skewed(rng):
    """Votes whose expected score for side A is σ(θ_a − θ_b), ties counting half; each side drawn
    with probability ∝ a lognormal(0, 1) popularity: pairs meet from once to several hundred
    times, a third of them at least MIN_PAIR_VOTES times."""
    theta = np.clip(rng.normal(0, 0.5, MODELS), -0.8, 0.8)
    popularity = rng.lognormal(0.0, 1.0, MODELS)
    popularity /= popularity.sum()
    a = rng.choice(MODELS, VOTES, p=popularity)
    b = rng.choice(MODELS, VOTES, p=popularity)
    while (clash := a == b).any():
        b[clash] = rng.choice(MODELS, int(clash.sum()), p=popularity)
    p = 1 / (1 + np.exp(theta[b] - theta[a]))
    win_given_decisive = (p - 0.5 * TIE_RATE) / (1 - TIE_RATE)
    tie = rng.random(VOTES) < TIE_RATE
    verdict = np.where(tie, 2, np.where(rng.random(VOTES) < win_given_decisive, 0, 1))
    matches = matches_from_arrays([f"m{i}" for i in range(MODELS)], a, b, verdict)
    return matches, SCALE * (theta - theta.mean()) + 1000.0


def skewed_coverage(ci: str, seed: int) -> float:
    rng = np.random.default_rng(seed)
    hits = []
    for _ in range(SIMULATIONS):
        matches, truth = simulate_skewed(rng)
        board = fit_bradley_terry(matches, ci=ci)
        assert len(board.models) == MODELS and board.l2 == 0.0
        hits += list((board.lower <= truth) & (truth <= board.upper))
    return float(np.mean(hits))


def test_reweighted_intervals_cover_the_true_rating_about_95_percent_of_the_time():
    assert 0.93 <= skewed_coverage("reweighted", seed=2028) <= 0.97


def test_sandwich_intervals_cover_the_true_rating_about_95_percent_of_the_time_on_skewed_pairs():
    assert 0.93 <= skewed_coverage("sandwich", seed=2027) <= 0.97
