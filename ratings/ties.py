"""Ties modelled instead of split: Davidson's (1970) extension of Bradley–Terry, for the audit
probe that asks whether a board's order depends on the tie convention.

P(i beats j) = e^θi / D, P(tie) = ν·e^((θi+θj)/2) / D, D = e^θi + e^θj + ν·e^((θi+θj)/2).
With ν = 0 it is Bradley–Terry without ties. Fitted by maximum likelihood on aggregated pair
counts (first's wins, second's wins, ties), the gauge Σθ = 0, ν through its logarithm; a small
ridge keeps θ finite where a model never lost or never won.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

RIDGE = 1e-6  # (RIDGE/2)·|θ|² added to the loss: negligible where the optimum is finite


def fit_davidson(
    first: np.ndarray, second: np.ndarray, cells: np.ndarray, n: int
) -> tuple[np.ndarray, float]:
    """(θ [n], ν) for pair counts: first < second, cells [P, 3] of first's wins, second's wins
    and ties."""
    wins, losses, ties = (cells[:, k].astype(np.float64) for k in range(3))
    total = wins + losses + ties

    def loss_and_gradient(x: np.ndarray) -> tuple[float, np.ndarray]:
        theta, log_nu = x[:n], x[n]
        d = 0.5 * (theta[first] - theta[second])  # log of each side's share against the mean
        # log D − (θi+θj)/2 = log(e^d + e^−d + ν), computed stably
        top = np.maximum(np.abs(d), log_nu)
        log_d = top + np.log(np.exp(d - top) + np.exp(-d - top) + np.exp(log_nu - top))
        loss = -(wins @ d - losses @ d + ties.sum() * log_nu - total @ log_d)
        loss += 0.5 * RIDGE * theta @ theta
        p_first = np.exp(d - log_d)
        p_second = np.exp(-d - log_d)
        p_tie = np.exp(log_nu - log_d)
        # ∂loss/∂d per pair; d moves θ_first by +½ and θ_second by −½
        dd = -(wins - losses) + total * (p_first - p_second)
        grad = np.bincount(first, 0.5 * dd, n) - np.bincount(second, 0.5 * dd, n)
        grad += RIDGE * theta
        d_nu = -ties.sum() + total @ p_tie
        return float(loss), np.append(grad, d_nu)

    share = ties.sum() / max(total.sum(), 1.0)
    start = np.append(np.zeros(n), np.log(max(share, 1e-6) / max(1 - share, 1e-6) * 2))
    found = minimize(loss_and_gradient, start, jac=True, method="L-BFGS-B",
                     options={"maxiter": 2000, "gtol": 1e-9})  # fmt: skip
    theta = found.x[:n] - found.x[:n].mean()
    return theta, float(np.exp(found.x[n]))
