import numpy as np

from ratings.bt_bootstrap import BATCH, bootstrap_strengths
from ratings.bt_newton import fit_strengths
from ratings.pair_counts import DRAWN, FIRST_WON
from tests.simulated import simulated_pairs


def sparse_pairs(seed=0, n_models=30, n_votes=900):
    """Few votes per pair: the hard case for fixed-Hessian steps."""
    return simulated_pairs(seed, n_models, n_votes, tie_share=0.25)


def test_batched_resamples_match_an_exact_newton_fit_of_each_resample():
    pairs = sparse_pairs()
    theta = fit_strengths(pairs.first, pairs.second, pairs.scores, pairs.totals, pairs.n_models)
    resampled = bootstrap_strengths(pairs, theta, 0.0, BATCH, seed=5)
    # redraw the same multinomial resamples the first batch used
    rng = np.random.default_rng(np.random.SeedSequence(5).spawn(1)[0])
    cells = pairs.cells.ravel()
    nonzero = np.flatnonzero(cells)
    drawn = np.zeros((BATCH, len(cells)))
    drawn[:, nonzero] = rng.multinomial(int(cells.sum()), cells[nonzero] / cells.sum(), size=BATCH)
    drawn = drawn.reshape(BATCH, -1, 3)
    compared = 0
    for b in range(BATCH):
        scores = drawn[b, :, FIRST_WON] + 0.5 * drawn[b, :, DRAWN]
        totals = drawn[b].sum(axis=1)
        exact = fit_strengths(pairs.first, pairs.second, scores, totals, pairs.n_models, 0.0, theta)
        if np.isfinite(exact).all() and np.abs(exact).max() < 10:
            # compare in the sum-zero gauge
            np.testing.assert_allclose(
                resampled[b] - resampled[b].mean(), exact - exact.mean(), atol=1e-5
            )
            compared += 1
    assert compared >= BATCH // 2


def test_every_resample_comes_back_finite_even_when_some_model_loses_every_resampled_vote():
    pairs = sparse_pairs(seed=3, n_models=40, n_votes=400)
    theta = fit_strengths(
        pairs.first, pairs.second, pairs.scores, pairs.totals, pairs.n_models, 1.0
    )
    resampled = bootstrap_strengths(pairs, theta, 1.0, 3 * BATCH, seed=1)
    assert np.isfinite(resampled).all()
    assert np.abs(resampled).max() < 20
