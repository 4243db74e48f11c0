"""Simulation: 95% intervals should hold the true rating about 95% of the time."""

import numpy as np

from ratings import fit_bradley_terry, matches_from_arrays
from ratings.bradley_terry import SCALE

SIMULATIONS = 100
MODELS = 10
VOTES = 2_500
TIE_RATE = 0.28


def simulate(rng):
    """Votes whose expected score for side A is exactly σ(θ_a − θ_b), ties counting half."""
    theta = np.clip(rng.normal(0, 0.5, MODELS), -0.8, 0.8)
    a = rng.integers(0, MODELS, VOTES)
    b = (a + rng.integers(1, MODELS, VOTES)) % MODELS
    p = 1 / (1 + np.exp(theta[b] - theta[a]))
    win_given_decisive = (p - 0.5 * TIE_RATE) / (1 - TIE_RATE)
    tie = rng.random(VOTES) < TIE_RATE
    decisive = np.where(rng.random(VOTES) < win_given_decisive, 0, 1)
    verdict = np.where(tie, 2, decisive)
    matches = matches_from_arrays([f"m{i}" for i in range(MODELS)], a, b, verdict)
    return matches, SCALE * (theta - theta.mean()) + 1000.0


def coverage(ci: str, seed: int, resample: str = "multinomial") -> float:
    rng = np.random.default_rng(seed)
    hits = []
    for k in range(SIMULATIONS):
        matches, truth = simulate(rng)
        board = fit_bradley_terry(matches, ci=ci, bootstrap=1000, seed=k, resample=resample)
        hits += list((board.lower <= truth) & (truth <= board.upper))
    return float(np.mean(hits))


# 1,000 interval checks each: one standard error of the coverage is about 0.7 points, so the
# 93–97% band is about ±3 standard errors around 95%.


def test_bootstrap_intervals_cover_the_truth_about_95_percent_of_the_time():
    assert 0.93 <= coverage("bootstrap", seed=2024) <= 0.97


def test_bayesian_bootstrap_intervals_cover_the_truth_about_95_percent_of_the_time():
    assert 0.93 <= coverage("bootstrap", seed=2026, resample="bayesian") <= 0.97


def test_sandwich_intervals_cover_the_truth_about_95_percent_of_the_time():
    assert 0.93 <= coverage("sandwich", seed=2025) <= 0.97
