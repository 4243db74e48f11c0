"""Style-controlled Bradley–Terry: ratings with answer style (length, markdown) held equal.

Logistic model per vote: logit P(A beats B) = θ_A − θ_B + β·x, where x are the normalised style
differences (a − b) / (a + b + 1) of the two answers, standardised over the votes. Intervals
are sandwich (closed form); the raw, style-blind ratings come from the same votes.
"""

from dataclasses import dataclass

import numpy as np
from scipy.linalg import LinAlgError, cho_factor, cho_solve

from ratings.bradley_terry import BASE_RATING, MIN_VOTES, REGULARIZED_L2, SCALE
from ratings.bt_newton import fit_strengths as fit_raw_strengths
from ratings.bt_newton import laplacian
from ratings.bt_sandwich import Z_95
from ratings.graph import has_finite_optimum
from ratings.matches import Matches
from ratings.outcomes import SCORE_A
from ratings.pair_counts import count_pairs, restrict_to_active
from ratings.ranking import rank_lower_bound, rank_upper_bound
from ratings.style_features import STYLE_FEATURE_NAMES

MAX_ITERATIONS = 100
STEP_TOLERANCE = 1e-10  # log-odds
COLLINEAR_RIDGE = 1e-6  # ridge on the style block, relative to the Hessian diagonal, when singular


@dataclass(frozen=True)
class StyleRow:
    """One line: raw_rating ignores style; rating, lower, upper (95%) hold style equal."""

    model: str
    raw_rating: float
    rating: float
    lower: float
    upper: float
    rank_ub: int
    votes: int
    provisional: bool
    rank_lb: int  # the worst place the intervals allow: ranks rank_ub … rank_lb


@dataclass(frozen=True, eq=False)
class StyleControlResult:
    """Style-controlled leaderboard over the m models with votes.

    rows: best controlled rating first. raw_ratings, ratings, lower, upper: float [m] rating
    points in `models` order. coefficients, coefficient_se: float [k] log-odds per standard
    deviation of each normalised style difference (positive: voters favour more of it);
    feature_mean, feature_std [k]: the standardisation used.
    """

    rows: tuple[StyleRow, ...]
    models: tuple[str, ...]
    raw_ratings: np.ndarray
    ratings: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    feature_names: tuple[str, ...]
    coefficients: np.ndarray
    coefficient_se: np.ndarray
    feature_mean: np.ndarray
    feature_std: np.ndarray


def style_covariates(
    features_a: np.ndarray, features_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardised normalised differences x [n, k] from features [n, k] of answers A and B.

    Returns (x, mean [k], std [k]); a constant column gets std 1 so it stays zero.
    """
    a = np.asarray(features_a, dtype=float)
    b = np.asarray(features_b, dtype=float)
    ratio = (a - b) / (a + b + 1.0)
    mean = ratio.mean(axis=0)
    std = ratio.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return (ratio - mean) / std, mean, std


def fit_style_control(
    matches: Matches,
    features_a: np.ndarray,
    features_b: np.ndarray,
    *,
    feature_names: tuple[str, ...] = STYLE_FEATURE_NAMES,
    min_votes: int = MIN_VOTES,
) -> StyleControlResult:
    """Fit on every row of `matches`; features_a, features_b [len(matches), k] per row's answers
    (e.g. StyleFeatures.as_tuple() of each answer). Ratings average 1000."""
    x, mean, std = style_covariates(features_a, features_b)
    if x.shape != (len(matches), len(feature_names)):
        raise ValueError(f"features must have shape ({len(matches)}, {len(feature_names)})")
    pairs, active = restrict_to_active(count_pairs(matches))
    # A feature that never varies (say, no answer has headers) carries no information and would
    # make the Hessian singular: fit without it and report its coefficient as 0 (se 0).
    varying = np.flatnonzero(x.std(axis=0) > 0)
    n_features, x = x.shape[1], x[:, varying]
    m, k = len(active), x.shape[1]
    index = np.full(len(matches.models), -1)
    index[active] = np.arange(m)
    a, b = index[matches.model_a], index[matches.model_b]
    y = SCORE_A[matches.verdict]
    c = matches.count.astype(float)
    finite = has_finite_optimum(pairs.first, pairs.second, pairs.scores, pairs.totals, m)
    l2 = 0.0 if finite else REGULARIZED_L2
    params = _newton(a, b, x, y, c, m, l2)
    hess, meat = _curvature(params, a, b, x, y, c, m, l2)
    inverse = cho_solve(_factor(hess, m, l2), np.eye(m + k))
    cov = inverse @ meat @ inverse
    theta, beta = params[:m], params[m:]
    ratings = SCALE * theta + BASE_RATING
    half = Z_95 * SCALE * np.sqrt(np.maximum(np.diag(cov)[:m], 0.0))
    raw_theta = fit_raw_strengths(pairs.first, pairs.second, pairs.scores, pairs.totals, m, l2)
    raw = SCALE * raw_theta + BASE_RATING
    votes = np.rint(pairs.votes_per_model()).astype(int)
    lower, upper = ratings - half, ratings + half
    ranks = rank_upper_bound(lower, upper)
    worst = rank_lower_bound(lower, upper)
    models = tuple(matches.models[i] for i in active)
    rows = tuple(
        StyleRow(
            models[i],
            float(raw[i]),
            float(ratings[i]),
            float(lower[i]),
            float(upper[i]),
            int(ranks[i]),
            int(votes[i]),
            bool(votes[i] < min_votes),
            int(worst[i]),
        )
        for i in sorted(range(m), key=lambda i: (-ratings[i], models[i]))
    )
    return StyleControlResult(
        rows=rows,
        models=models,
        raw_ratings=raw,
        ratings=ratings,
        lower=lower,
        upper=upper,
        feature_names=tuple(feature_names),
        coefficients=_spread(beta, varying, n_features),
        coefficient_se=_spread(np.sqrt(np.maximum(np.diag(cov)[m:], 0.0)), varying, n_features),
        feature_mean=mean,
        feature_std=std,
    )


def _spread(values: np.ndarray, columns: np.ndarray, k: int) -> np.ndarray:
    """values [len(columns)] placed at `columns` of a zero vector [k]."""
    out = np.zeros(k)
    out[columns] = values
    return out


def _newton(a, b, x, y, c, m, l2) -> np.ndarray:
    """Parameters [m + k] (θ then β) maximising the weighted log-likelihood, Newton with halving."""
    params = np.zeros(m + x.shape[1])
    loss = _loss(params, a, b, x, y, c, m, l2)
    for _ in range(MAX_ITERATIONS):
        hess, _ = _curvature(params, a, b, x, y, c, m, l2, with_meat=False)
        step = cho_solve(_factor(hess, m, l2), _gradient(params, a, b, x, y, c, m, l2))
        for _halving in range(40):
            candidate = params + step
            new_loss = _loss(candidate, a, b, x, y, c, m, l2)
            if new_loss <= loss + 1e-12 * abs(loss):
                break
            step *= 0.5
        params, loss = candidate, new_loss
        if np.max(np.abs(step)) < STEP_TOLERANCE:
            break
    return params


def _logits(params, a, b, x, m) -> np.ndarray:
    return params[a] - params[b] + x @ params[m:]


def _loss(params, a, b, x, y, c, m, l2) -> float:
    z = _logits(params, a, b, x, m)
    ll = c @ (y * -np.logaddexp(0.0, -z) + (1.0 - y) * -np.logaddexp(0.0, z))
    return float(-ll + 0.5 * l2 * params[:m] @ params[:m])


def _gradient(params, a, b, x, y, c, m, l2) -> np.ndarray:
    r = c * (y - 1.0 / (1.0 + np.exp(-_logits(params, a, b, x, m))))
    g_theta = np.bincount(a, r, m) - np.bincount(b, r, m) - l2 * params[:m]
    return np.concatenate([g_theta, x.T @ r])


def _curvature(params, a, b, x, y, c, m, l2, with_meat: bool = True):
    """Hessian of the loss [m + k, m + k] and, if asked, the summed outer products of per-vote
    gradients (the sandwich's meat)."""
    p = 1.0 / (1.0 + np.exp(-_logits(params, a, b, x, m)))
    hess = _block(a, b, x, c * p * (1.0 - p), m)
    hess[:m, :m] += l2 * np.eye(m)
    meat = _block(a, b, x, c * (y - p) ** 2, m) if with_meat else None
    return hess, meat


def _block(a, b, x, w, m) -> np.ndarray:
    """Σ_votes w·v·vᵀ with v = (e_a − e_b, x) [m + k]."""
    k = x.shape[1]
    out = np.empty((m + k, m + k))
    out[:m, :m] = laplacian(a, b, w, m)
    wx = w[:, None] * x
    cross = np.zeros((k, m))
    for j in range(k):
        cross[j] = np.bincount(a, wx[:, j], m) - np.bincount(b, wx[:, j], m)
    out[:m, m:] = cross.T
    out[m:, :m] = cross
    out[m:, m:] = x.T @ wx
    return out


def _factor(hess: np.ndarray, m: int, l2: float):
    """Cholesky factor with the θ-block gauge (Σθ = 0) added when l2 = 0.

    When a style feature is a fixed function of which models meet (say, one model always
    answers with headers), models and style cannot be told apart and the Hessian is singular;
    a ridge of COLLINEAR_RIDGE × the mean diagonal on the style block then picks the smallest
    style effect that fits, instead of failing.
    """
    hess = hess.copy()
    if l2 == 0.0:
        hess[:m, :m] += np.full((m, m), max(np.trace(hess[:m, :m]) / m, 1.0) / m)
    try:
        return cho_factor(hess, lower=True, check_finite=False)
    except LinAlgError:
        ridge = COLLINEAR_RIDGE * max(float(np.mean(np.diag(hess))), 1.0)
        hess[m:, m:] += ridge * np.eye(hess.shape[0] - m)
        return cho_factor(hess, lower=True, check_finite=False)
