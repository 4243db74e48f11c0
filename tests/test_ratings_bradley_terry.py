import math
import random

import numpy as np
import pytest

from ratings import fit_bradley_terry, fit_categories, matches_from_arrays, matches_from_records
from ratings.bradley_terry import SCALE
from ratings.bt_newton import gradient

# Wikipedia, "Bradley–Terry model", worked example: (winner, loser, games)
WIKIPEDIA_GAMES = [
    ("A", "B", 2),
    ("B", "A", 3),
    ("A", "D", 1),
    ("D", "A", 4),
    ("B", "C", 5),
    ("C", "B", 3),
    ("C", "D", 1),
    ("D", "C", 3),
]
WIKIPEDIA_STRENGTHS = {"A": 0.640, "B": 1.043, "C": 0.660, "D": 2.270}  # geometric mean 1


def wikipedia_matches(shuffle_seed=None):
    records = []
    for winner, loser, games in WIKIPEDIA_GAMES:
        records += [(winner, loser, "a_better")] * games
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(records)
    return matches_from_records(records)


def simulated(n_votes=20_000, n_models=12, seed=1, tie_rate=0.28, spread=0.5):
    """Votes whose expected score for side A is exactly σ(θ_a − θ_b), ties counting half."""
    rng = np.random.default_rng(seed)
    theta = np.clip(rng.normal(0, spread, n_models), -0.8, 0.8)
    a = rng.integers(0, n_models, n_votes)
    b = (a + rng.integers(1, n_models, n_votes)) % n_models
    p = 1 / (1 + np.exp(theta[b] - theta[a]))
    win_given_decisive = (p - 0.5 * tie_rate) / (1 - tie_rate)
    tie = rng.random(n_votes) < tie_rate
    verdict = np.where(
        tie, rng.choice([2, 3], n_votes), np.where(rng.random(n_votes) < win_given_decisive, 0, 1)
    )
    names = [f"m{i:02d}" for i in range(n_models)]
    return matches_from_arrays(names, a, b, verdict), theta


def by_model(board):
    return dict(zip(board.models, board.ratings, strict=True))


def test_wikipedia_worked_example_strengths_are_reproduced():
    board = fit_bradley_terry(wikipedia_matches(), ci="sandwich")
    strengths = {m: math.exp((r - 1000) / SCALE) for m, r in by_model(board).items()}
    for model, expected in WIKIPEDIA_STRENGTHS.items():
        assert strengths[model] == pytest.approx(expected, abs=1e-3)
    assert board.l2 == 0.0
    assert np.mean(board.ratings) == pytest.approx(1000.0)


def test_the_fit_is_the_exact_maximum_of_the_likelihood():
    matches, _ = simulated(5_000, 8)
    board = fit_bradley_terry(matches, ci="sandwich")
    pairs = board.pairs
    theta = (board.ratings - 1000) / SCALE
    g = gradient(theta, pairs.first, pairs.second, pairs.scores, pairs.totals)
    assert np.abs(g).max() < 1e-8


def test_shuffling_the_vote_order_changes_nothing():
    one = fit_bradley_terry(wikipedia_matches(), bootstrap=200, seed=3)
    other = fit_bradley_terry(wikipedia_matches(shuffle_seed=99), bootstrap=200, seed=3)
    np.testing.assert_allclose(other.ratings, one.ratings, atol=1e-9)
    np.testing.assert_allclose(other.lower, one.lower, atol=1e-6)
    np.testing.assert_allclose(other.upper, one.upper, atol=1e-6)


def test_swapping_sides_and_inverting_verdicts_changes_nothing():
    matches, _ = simulated(3_000, 6, seed=5)
    inverted = np.array([1, 0, 2, 3])[matches.verdict]
    swapped = matches_from_arrays(matches.models, matches.model_b, matches.model_a, inverted)
    one = fit_bradley_terry(matches, bootstrap=100, seed=2)
    other = fit_bradley_terry(swapped, bootstrap=100, seed=2)
    np.testing.assert_allclose(other.ratings, one.ratings, atol=1e-9)
    np.testing.assert_allclose(other.upper, one.upper, atol=1e-6)


def test_an_anchor_pins_that_models_rating():
    board = fit_bradley_terry(wikipedia_matches(), anchor=("B", 1200.0), bootstrap=100)
    assert by_model(board)["B"] == pytest.approx(1200.0)
    assert board.row("B").lower == pytest.approx(1200.0)
    free = fit_bradley_terry(wikipedia_matches(), ci="sandwich")
    gaps = by_model(board)["D"] - by_model(board)["A"], by_model(free)["D"] - by_model(free)["A"]
    assert gaps[0] == pytest.approx(gaps[1])


def test_an_undefeated_model_gets_a_finite_top_rating_and_a_warning():
    records = [("champ", "x", "a_better")] * 5 + [("x", "y", "a_better"), ("y", "x", "tie")]
    records += [("y", "champ", "b_better")] * 3
    board = fit_bradley_terry(matches_from_records(records), bootstrap=200)
    assert np.isfinite(board.ratings).all() and np.isfinite(board.lower).all()
    assert np.isfinite(board.upper).all()
    assert board.rows[0].model == "champ"
    assert board.l2 > 0
    assert any("never lost" in w for w in board.warnings)


def test_a_disconnected_comparison_graph_is_reported_with_its_components():
    records = [("a", "b", "a_better"), ("b", "a", "tie"), ("c", "d", "b_better"), ("d", "c", "tie")]
    records += [("e", "c", "tie"), ("a", "b", "b_better")]
    board = fit_bradley_terry(matches_from_records(records), ci="sandwich")
    assert board.components == (("c", "d", "e"), ("a", "b"))
    assert any("unconnected" in w for w in board.warnings)
    assert np.isfinite(board.ratings).all()


def test_models_with_few_votes_are_provisional():
    board = fit_bradley_terry(wikipedia_matches(), ci="sandwich", min_votes=10)
    assert {r.model: r.provisional for r in board.rows} == {
        "A": False,
        "B": False,
        "C": False,
        "D": True,
    }
    assert {r.model: r.votes for r in board.rows} == {"A": 10, "B": 13, "C": 12, "D": 9}


def test_bootstrap_is_reproducible_with_a_seed_and_reports_progress():
    seen = []
    matches, _ = simulated(2_000, 5)
    one = fit_bradley_terry(
        matches, bootstrap=50, seed=11, progress=lambda d, t: seen.append((d, t))
    )
    two = fit_bradley_terry(matches, bootstrap=50, seed=11)
    three = fit_bradley_terry(matches, bootstrap=50, seed=12)
    np.testing.assert_array_equal(one.bootstrap_ratings, two.bootstrap_ratings)
    assert not np.array_equal(one.bootstrap_ratings, three.bootstrap_ratings)
    assert seen[-1] == (50, 50) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_worker_processes_give_the_same_bootstrap_as_one_process():
    matches, _ = simulated(2_000, 5)
    one = fit_bradley_terry(matches, bootstrap=64, seed=4)
    two = fit_bradley_terry(matches, bootstrap=64, seed=4, workers=2)
    np.testing.assert_allclose(two.bootstrap_ratings, one.bootstrap_ratings, atol=1e-9)


def test_voter_resampling_widens_intervals_when_voters_are_partisan():
    rng = np.random.default_rng(0)
    n = 4_000
    a = rng.integers(0, 4, n)
    b = (a + rng.integers(1, 4, n)) % 4
    voter = rng.integers(0, 40, n)
    fan_of = voter % 4  # each voter always picks their favourite model when it is shown
    verdict = np.where(a == fan_of, 0, np.where(b == fan_of, 1, rng.integers(0, 3, n)))
    matches = matches_from_arrays(["w", "x", "y", "z"], a, b, verdict, voter=voter)
    votes = fit_bradley_terry(matches, bootstrap=200)
    voters = fit_bradley_terry(matches, bootstrap=200, resample="voters")
    assert np.mean(voters.upper - voters.lower) > 1.5 * np.mean(votes.upper - votes.lower)


def test_resampling_voters_needs_voter_ids():
    with pytest.raises(ValueError, match="voter"):
        fit_bradley_terry(wikipedia_matches(), resample="voters")


def test_sandwich_and_bootstrap_intervals_agree_on_plenty_of_data():
    matches, _ = simulated(30_000, 6)
    boot = fit_bradley_terry(matches, bootstrap=400)
    sand = fit_bradley_terry(matches, ci="sandwich")
    np.testing.assert_allclose(sand.upper - sand.lower, boot.upper - boot.lower, rtol=0.15)


def test_categories_are_masks_fitted_in_one_run():
    matches, _ = simulated(6_000, 6)
    coding = np.arange(len(matches)) % 3 == 0
    boards = fit_categories(matches, {"overall": None, "coding": coding}, ci="sandwich")
    alone = fit_bradley_terry(matches.select(coding), ci="sandwich")
    np.testing.assert_allclose(boards["coding"].ratings, alone.ratings, atol=1e-9)
    assert boards["overall"].n_votes == len(matches)
    assert boards["coding"].n_votes == coding.sum()


def test_rows_are_sorted_best_first_with_rank_from_the_intervals():
    matches, theta = simulated(40_000, 6, spread=0.6)
    board = fit_bradley_terry(matches, ci="sandwich")
    ratings = [r.rating for r in board.rows]
    assert ratings == sorted(ratings, reverse=True)
    best = board.rows[0]
    assert best.rank_ub == 1
    for place, row in enumerate(board.rows, start=1):
        above = sum(other.lower > row.upper for other in board.rows)
        assert row.rank_ub == 1 + above
        below = sum(other.upper < row.lower for other in board.rows)
        assert row.rank_lb == len(board.rows) - below
        assert row.rank_ub <= place <= row.rank_lb
    assert best.model == f"m{int(np.argmax(theta)):02d}"
