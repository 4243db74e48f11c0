"""Maximum-likelihood Bradley–Terry strengths by exact Newton steps on aggregated pair counts, and
cheap refits from a nearby fit that reuse its inverse Hessian (refine_strengths).

Strengths θ are natural log-odds: P(i beats j) = 1 / (1 + exp(θ_j − θ_i)). A draw counts as half
a win for each side. With `l2` = 0 the gauge is Σθ = 0; with `l2` > 0 the loss gains (l2/2)·|θ|²,
which keeps θ finite for undefeated models and split comparison graphs. With `tie` = (i, j) the
fit is constrained to θ_i = θ_j; the gradient left at that optimum tells how many votes it would
take for j and i to draw level (see tie_votes).
"""

import numpy as np
from scipy.linalg import cho_factor, cho_solve
from scipy.special import expit

MAX_ITERATIONS = 200
MAX_CHORD_STEPS = 30  # fixed-Hessian steps a refit may take before it is left to fit_strengths
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
    # −log σ(d) = log(1 + e^(−|d|)) + max(−d, 0), finite for any d; −log σ(−d) = −log σ(d) + d
    # (one exp and one log per pair: refits evaluate this at every step)
    softplus = np.log1p(np.exp(-np.abs(d))) + np.maximum(-d, 0.0)
    loss = totals @ softplus + (totals - scores) @ d
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
    tie: tuple[int, int] | None = None,
) -> np.ndarray:
    """θ [n_models] maximising the likelihood of pair scores [P] out of totals [P].

    Newton's method with step halving; exact maximum likelihood when l2 = 0 and a finite optimum
    exists (see ratings.graph.has_finite_optimum), otherwise the l2-penalised optimum. start:
    θ [n_models] to begin from (a warm start: a nearby optimum converges in a few steps).
    tie = (i, j): the maximum subject to θ_i = θ_j (start is moved onto that line first).
    """
    theta = np.zeros(n_models) if start is None else np.array(start, dtype=float)
    if tie is not None:
        theta[list(tie)] = theta[list(tie)].mean()
    if l2 == 0.0:
        theta -= theta.mean()
    loss = negative_log_likelihood(theta, first, second, scores, totals, l2)
    for _ in range(MAX_ITERATIONS):
        g = gradient(theta, first, second, scores, totals, l2)
        factor = gauged_factor(hessian(theta, first, second, totals, l2), l2)
        step = cho_solve(factor, g)
        if tie is not None:
            step = _keep_tied(step, factor, tie)
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


def refine_strengths(
    first: np.ndarray,
    second: np.ndarray,
    scores: np.ndarray,
    totals: np.ndarray,
    start: np.ndarray,
    inverse: np.ndarray,
    l2: float = 0.0,
    tie: tuple[int, int] | None = None,
) -> np.ndarray | None:
    """The optimum fit_strengths finds for these counts, l2 and tie, reached from `start` [n] by
    steps that all use one inverse Hessian [n, n] (of a nearby fit; gauged when l2 = 0), or None
    when the steps stop shrinking or do not settle within MAX_CHORD_STEPS.

    A refit after a few votes changed costs one gradient and one [n, n] product per step, no
    factorisation: the steps shrink by about the relative change of the Hessian each time.
    """
    theta = np.array(start, dtype=float)
    towards = None
    if tie is not None:
        theta[list(tie)] = theta[list(tie)].mean()
        towards = inverse[:, tie[0]] - inverse[:, tie[1]]
    previous = np.inf
    for _ in range(MAX_CHORD_STEPS):
        step = inverse @ gradient(theta, first, second, scores, totals, l2)
        if tie is not None:
            step -= (step[tie[0]] - step[tie[1]]) / (towards[tie[0]] - towards[tie[1]]) * towards
        size = np.max(np.abs(step), initial=0.0)
        if not size < previous:
            return None
        theta += step
        if size < STEP_TOLERANCE:
            return theta
        previous = size
    return None


def _keep_tied(step: np.ndarray, factor, tie: tuple[int, int]) -> np.ndarray:
    """The Newton step [n] that leaves θ_i − θ_j unchanged: the solution of the bordered (KKT)
    system, step − (uᵀ·step / uᵀH⁻¹u)·H⁻¹u with u = e_i − e_j. It still lowers the loss."""
    u = np.zeros(len(step))
    u[tie[0]], u[tie[1]] = 1.0, -1.0
    towards = cho_solve(factor, u)
    return step - (u @ step) / (u @ towards) * towards


def tie_votes(
    theta: np.ndarray,
    first: np.ndarray,
    second: np.ndarray,
    scores: np.ndarray,
    totals: np.ndarray,
    tie: tuple[int, int],
    l2: float = 0.0,
) -> float:
    """Wins of i over j (real-valued) that make θ_i = θ_j the unconstrained optimum, given
    θ [n] = fit_strengths(..., tie=(i, j)).

    At that optimum the gradient g is a multiple of e_i − e_j (Lagrange); k extra wins of i over
    j add k·(1 − ½)·(e_i − e_j) to it (the two are level, so each win is worth ½), hence
    k = g_j − g_i. Negative when i is already level or ahead without help.
    """
    g = gradient(theta, first, second, scores, totals, l2)
    return float(g[tie[1]] - g[tie[0]])
