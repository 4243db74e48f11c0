"""Davidson's tie model (ratings/ties.py): it recovers the strengths and tie parameter it was
drawn from, and without ties it is Bradley–Terry."""

import numpy as np

from ratings.bt_newton import fit_strengths
from ratings.ties import fit_davidson


def drawn(theta, nu, votes_per_pair, seed=0):
    rng = np.random.default_rng(seed)
    n = len(theta)
    first, second, cells = [], [], []
    for i in range(n):
        for j in range(i + 1, n):
            share = np.array([np.exp(theta[i]), np.exp(theta[j]),
                              nu * np.exp((theta[i] + theta[j]) / 2)])  # fmt: skip
            cells.append(rng.multinomial(votes_per_pair, share / share.sum()))
            first.append(i)
            second.append(j)
    return np.array(first), np.array(second), np.array(cells, dtype=float)


def test_davidson_recovers_the_strengths_and_tie_parameter_it_was_drawn_from():
    theta = np.array([-1.0, -0.3, 0.2, 1.1])
    first, second, cells = drawn(theta, 0.8, 20_000)
    fitted, nu = fit_davidson(first, second, cells, 4)
    assert np.max(np.abs(fitted - (theta - theta.mean()))) < 0.03
    assert abs(nu - 0.8) < 0.03


def test_without_ties_davidson_is_bradley_terry():
    first, second, cells = drawn(np.array([0.5, 0.0, -0.7]), 0.0, 400, seed=3)
    assert cells[:, 2].sum() == 0
    fitted, nu = fit_davidson(first, second, cells, 3)
    bt = fit_strengths(first, second, cells[:, 0], cells[:, :2].sum(axis=1), 3)
    assert np.max(np.abs(fitted - bt)) < 1e-3 and nu < 1e-3
