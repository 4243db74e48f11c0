"""Newton fits on pair counts: the fit held to a tie (and the votes it says a tie costs), and cheap
refits from a nearby fit that reuse its inverse Hessian."""

import math

import numpy as np

from ratings.bt_newton import fit_strengths, gauged_factor, hessian, refine_strengths, tie_votes
from tests.simulated import simulated_pairs


def with_wins(pairs, winner: int, loser: int, k: float):
    """Scores and totals [P] after k extra wins of `winner` over `loser` (their pair has met)."""
    cell = (pairs.first == min(winner, loser)) & (pairs.second == max(winner, loser))
    assert cell.sum() == 1
    return pairs.scores + cell * k * (winner < loser), pairs.totals + cell * k


def fitted_gap(pairs, winner: int, loser: int, k: float) -> float:
    """θ_loser − θ_winner after k extra wins of winner over loser."""
    scores, totals = with_wins(pairs, winner, loser, k)
    theta = fit_strengths(pairs.first, pairs.second, scores, totals, pairs.n_models)
    return theta[loser] - theta[winner]


def test_the_votes_a_tie_costs_are_exactly_where_the_order_of_the_pair_flips():
    pairs = simulated_pairs()
    theta = fit_strengths(pairs.first, pairs.second, pairs.scores, pairs.totals, pairs.n_models)
    lower, upper = np.argsort(theta)[[2, 5]]
    arrays = (pairs.first, pairs.second, pairs.scores, pairs.totals)
    tied = fit_strengths(*arrays, pairs.n_models, tie=(lower, upper))
    assert abs(tied[lower] - tied[upper]) < 1e-12
    k = tie_votes(tied, *arrays, (lower, upper))
    assert k > 1
    assert abs(fitted_gap(pairs, lower, upper, k)) < 1e-9  # real-valued wins: exactly level
    assert fitted_gap(pairs, lower, upper, math.floor(k)) > 0
    assert fitted_gap(pairs, lower, upper, math.ceil(k)) < 0
    np.testing.assert_allclose(
        tied,
        fit_strengths(
            pairs.first, pairs.second, *with_wins(pairs, lower, upper, k), pairs.n_models
        ),
    )


def test_a_refit_from_a_nearby_fit_reaches_the_same_optimum_without_factorising():
    pairs = simulated_pairs(seed=1)
    theta = fit_strengths(pairs.first, pairs.second, pairs.scores, pairs.totals, pairs.n_models)
    h = gauged_factor(hessian(theta, pairs.first, pairs.second, pairs.totals), 0.0)[0]
    inverse = np.linalg.inv(np.tril(h) @ np.tril(h).T)
    scores, totals = with_wins(pairs, 3, 4, 12.0)
    refit = refine_strengths(pairs.first, pairs.second, scores, totals, theta, inverse)
    exact = fit_strengths(pairs.first, pairs.second, scores, totals, pairs.n_models)
    np.testing.assert_allclose(refit - refit.mean(), exact, atol=1e-10)


def test_a_refit_gives_up_rather_than_answer_when_its_steps_stop_shrinking():
    pairs = simulated_pairs(seed=2)
    theta = fit_strengths(pairs.first, pairs.second, pairs.scores, pairs.totals, pairs.n_models)
    h = hessian(theta, pairs.first, pairs.second, pairs.totals) + np.eye(pairs.n_models)
    overshooting = 3.0 * np.linalg.inv(h)  # steps three times too long: they oscillate and grow
    scores, totals = with_wins(pairs, 3, 4, 12.0)
    assert refine_strengths(pairs.first, pairs.second, scores, totals, theta, overshooting) is None
