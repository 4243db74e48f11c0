"""Maximum-likelihood Bradley–Terry strengths by exact Newton steps on aggregated pair counts.

Strengths θ are natural log-odds: P(i beats j) = 1 / (1 + exp(θ_j − θ_i)). A draw counts as half
a win for each side. With `l2` = 0 the gauge is Σθ = 0; with `l2` > 0 the loss gains (l2/2)·|θ|²,
which keeps θ finite for undefeated models and split comparison graphs.
"""

import numpy as np
from scipy.linalg import cho_factor, cho_solve
from scipy.special import expit

MAX_ITERATIONS = 200
STEP_TOLERANCE = 1e-10  # stop when no strength moves more than this (log-odds units)


def negative_log_likelihood(
    theta: np.ndarray,
    first: np.ndarray,
    second: np.ndarray,
    scores: np.ndarray,
    totals: np.ndarray,
    l2: float = 0.0,
) -> float:
    """Loss at θ [n]: −Σ_pairs [S·log σ(d) + (N−S)·log σ(−d)] + (l2/2)|θ|², d = θ_first − θ_second."""
    d = theta[first] - theta[second]
    # −log σ(d) = log(1 + e^(−d)), via logaddexp to stay finite for large |d|
    loss = scores @ np.logaddexp(0.0, -d) + (totals - scores) @ np.logaddexp(0.0, d)
    return float(loss + 0.5 * l2 * theta @ theta)


def gradient(
    theta: np.ndarray,
    first: np.ndarray,
    second: np.ndarray,
    scores: np.ndarray,
    totals: np.ndarray,
    l2: float = 0.0,
) -> np.ndarray:
    """Ascent direction [n]: −∂loss/∂θ."""
    residual = scores - totals * expit(theta[first] - theta[second])
    n = len(theta)
    return np.bincount(first, residual, n) - np.bincount(second, residual, n) - l2 * theta


def hessian(
    theta: np.ndarray, first: np.ndarray, second: np.ndarray, totals: np.ndarray, l2: float = 0.0
) -> np.ndarray:
    """∂²loss/∂θ² [n, n]: the Laplacian of pair weights N·p·(1−p), plus l2 on the diagonal."""
    n = len(theta)
    p = expit(theta[first] - theta[second])
    weight = totals * p * (1.0 - p)
    return laplacian(first, second, weight, n) + l2 * np.eye(n)


def laplacian(first: np.ndarray, second: np.ndarray, weight: np.ndarray, n: int) -> np.ndarray:
    """Weighted graph Laplacian [n, n] of edges (first[p], second[p]) with weight[p]."""
    off = np.bincount(first.astype(np.int64) * n + second, weight, n * n).reshape(n, n)
    off = off + off.T
    return np.diag(off.sum(axis=1)) - off


def gauged_factor(h: np.ndarray, l2: float) -> tuple[np.ndarray, bool]:
    """Cholesky factor of h, adding the all-ones direction when l2 = 0 (h is then singular along it).

    Solving with it gives the minimum-norm Newton step, which keeps Σθ unchanged.
    """
    if l2 == 0.0:
        n = len(h)
        h = h + np.full((n, n), max(np.trace(h) / n, 1.0) / n)
    return cho_factor(h, lower=True, check_finite=False)


def fit_strengths(
    first: np.ndarray,
    second: np.ndarray,
    scores: np.ndarray,
    totals: np.ndarray,
    n_models: int,
    l2: float = 0.0,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """θ [n_models] maximising the likelihood of pair scores [P] out of totals [P].

    Newton's method with step halving; exact maximum likelihood when l2 = 0 and a finite optimum
    exists (see ratings.graph.has_finite_optimum), otherwise the l2-penalised optimum.
    """
    theta = np.zeros(n_models) if start is None else np.array(start, dtype=float)
    if l2 == 0.0:
        theta -= theta.mean()
    loss = negative_log_likelihood(theta, first, second, scores, totals, l2)
    for _ in range(MAX_ITERATIONS):
        g = gradient(theta, first, second, scores, totals, l2)
        step = cho_solve(gauged_factor(hessian(theta, first, second, totals, l2), l2), g)
        for _halving in range(40):
            candidate = theta + step
            new_loss = negative_log_likelihood(candidate, first, second, scores, totals, l2)
            if new_loss <= loss + 1e-12 * abs(loss):
                break
            step *= 0.5
        theta, loss = candidate, new_loss
        if np.max(np.abs(step), initial=0.0) < STEP_TOLERANCE:
            break
    return theta
