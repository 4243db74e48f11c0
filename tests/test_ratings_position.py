"""The position (left-side) effect: a Bradley–Terry covariate for the side shown on the left."""

import math

import numpy as np

from ratings.outcomes import A_BETTER, B_BETTER, TIE
from ratings.position import position_effect


def test_one_pair_of_equal_models_gives_the_closed_form_log_odds_and_sandwich_interval():
    a, b = np.zeros(100, dtype=int), np.ones(100, dtype=int)
    verdict = np.array([A_BETTER] * 70 + [B_BETTER] * 30)
    effect = position_effect(a, b, verdict, np.zeros(2))
    assert math.isclose(effect.log_odds, math.log(70 / 30), rel_tol=1e-9)
    half = 1.959963984540054 * math.sqrt(1 / 21)  # meat 21 over a curvature of 21, squared
    assert math.isclose(effect.upper - effect.log_odds, half, rel_tol=1e-6)
    assert math.isclose(effect.log_odds - effect.lower, half, rel_tol=1e-6)
    assert (effect.votes, effect.left_share) == (100, 0.7)


def test_a_draw_is_half_a_win_for_each_side():
    a, b = np.zeros(100, dtype=int), np.ones(100, dtype=int)
    verdict = np.array([A_BETTER] * 50 + [B_BETTER] * 30 + [TIE] * 20)
    effect = position_effect(a, b, verdict, np.zeros(2))
    assert math.isclose(effect.log_odds, math.log(60 / 40), rel_tol=1e-9)


def _simulated(h: float, n: int = 60_000, seed: int = 4):
    """Decisive votes only: a draw, scored half a win, pulls h towards 0 (as it pulls strengths)."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 0.6, 8)
    a = rng.integers(0, 8, n)
    b = (a + rng.integers(1, 8, n)) % 8
    left = rng.random(n) < 1 / (1 + np.exp(-(theta[a] - theta[b] + h)))
    verdict = np.where(left, A_BETTER, B_BETTER)
    return a, b, verdict, theta


def test_a_simulated_left_side_advantage_is_recovered_within_its_interval():
    a, b, verdict, theta = _simulated(0.15, seed=5)
    effect = position_effect(a, b, verdict, theta)
    assert effect.lower < 0.15 < effect.upper
    assert effect.lower > 0.05  # and it is told apart from no effect


def test_without_a_side_effect_the_interval_holds_zero():
    a, b, verdict, theta = _simulated(0.0, seed=6)
    effect = position_effect(a, b, verdict, theta)
    assert effect.lower < 0.0 < effect.upper


def test_no_votes_give_no_effect_and_no_interval():
    effect = position_effect(np.zeros(0, int), np.zeros(0, int), np.zeros(0, int), np.zeros(2))
    assert (effect.votes, effect.log_odds, effect.lower, effect.upper) == (0, 0.0, 0.0, 0.0)


def test_when_one_side_takes_every_point_the_effect_is_unbounded_not_an_error():
    a, b = np.zeros(3, dtype=int), np.ones(3, dtype=int)
    effect = position_effect(a, b, np.array([A_BETTER] * 3), np.array([0.0, 5.0]))
    assert (effect.log_odds, effect.lower, effect.upper) == (math.inf, -math.inf, math.inf)
    assert effect.left_share == 1.0


def test_strengths_so_far_apart_that_every_vote_is_certain_give_no_interval_not_an_error():
    a, b = np.array([0, 0, 1]), np.array([1, 1, 0])
    effect = position_effect(a, b, np.array([A_BETTER, B_BETTER, A_BETTER]), np.array([900.0, 0.0]))
    assert math.isinf(effect.upper) and math.isinf(effect.lower) and effect.votes == 3
