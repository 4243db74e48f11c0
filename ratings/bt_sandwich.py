"""Closed-form (sandwich) covariance of Bradley–Terry strengths: the fast path for intervals.

Cov(θ) ≈ H⁻¹ C H⁻¹, with H the Hessian of the loss and C the observed covariance of the
per-vote gradients, summed over pair-outcome cells. Robust to ties and to model misfit. With
per-vote weights (an M-estimator such as ratings.bt_reweighted's) H carries the weight once and
C twice, the weights being taken as fixed.
"""

import numpy as np
from scipy.linalg import cho_solve

from ratings.bt_newton import gauged_factor, hessian, laplacian
from ratings.pair_counts import DRAWN, FIRST_WON, SECOND_WON, PairCounts

Z_95 = 1.959963984540054  # two-sided 95% normal quantile


def sandwich_covariance(
    pairs: PairCounts, theta: np.ndarray, l2: float = 0.0, weights: np.ndarray | None = None
) -> np.ndarray:
    """Covariance [n, n] of θ [n] (log-odds²); with l2 = 0 it is that of θ − mean(θ).

    weights: weight of each vote of a pair [P] when θ maximises the weighted likelihood
    (None: every vote weighs 1).
    """
    p = 1.0 / (1.0 + np.exp(theta[pairs.second] - theta[pairs.first]))
    cells = pairs.cells
    # squared gradient of one vote is (y − p)² with y = 1, 0 or ½ for the first model's result
    spread = (
        cells[:, FIRST_WON] * (1.0 - p) ** 2
        + cells[:, SECOND_WON] * p**2
        + cells[:, DRAWN] * (0.5 - p) ** 2
    )
    totals = pairs.totals
    if weights is not None:
        spread = spread * weights**2
        totals = totals * weights
    meat = laplacian(pairs.first, pairs.second, spread, pairs.n_models)
    bread = cho_solve(
        gauged_factor(hessian(theta, pairs.first, pairs.second, totals, l2), l2),
        np.eye(pairs.n_models),
    )
    return bread @ meat @ bread
