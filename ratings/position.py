"""The position effect: how much more often the answer shown on the left (side A) wins than the
two models' strengths say, as a Bradley–Terry covariate (LMArena added it in May 2026).

P(A beats B) = σ(θ_A − θ_B + h): h is the left side's advantage in log-odds, estimated with the
strengths held at the board's (sides are drawn at random, so h and θ are nearly independent) by
Newton's method on the ordered pair counts, with a sandwich 95% interval; a tie or "both bad"
is half a win for each side, as on the board.
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from ratings.bt_sandwich import Z_95
from ratings.outcomes import A_BETTER, B_BETTER


@dataclass(frozen=True)
class PositionEffect:
    """log_odds (h) with its 95% interval [lower, upper]; votes; left_share: the left side's
    points (wins plus half the draws) per vote."""

    log_odds: float
    lower: float
    upper: float
    votes: int
    left_share: float


def position_effect(
    model_a: np.ndarray, model_b: np.ndarray, verdict: np.ndarray, strengths: np.ndarray
) -> PositionEffect:
    """h for votes (model_a on the left; int [n] indices into `strengths`, natural log-odds)."""
    a, b = np.asarray(model_a, dtype=np.int64), np.asarray(model_b, dtype=np.int64)
    code = np.asarray(verdict)
    if len(a) == 0:
        return PositionEffect(0.0, 0.0, 0.0, 0, 0.0)
    n = len(strengths)
    key = a * n + b
    won = np.bincount(key, code == A_BETTER, n * n)
    lost = np.bincount(key, code == B_BETTER, n * n)
    drawn = np.bincount(key, minlength=n * n) - won - lost
    cells = np.flatnonzero(won + lost + drawn)
    won, lost, drawn = won[cells], lost[cells], drawn[cells]
    gap = (strengths[cells // n] - strengths[cells % n]).astype(np.float64)
    total = won + lost + drawn
    points = won + 0.5 * drawn
    share = float(points.sum() / total.sum())
    if share in (0.0, 1.0):  # one side took every point: no finite estimate
        edge = math.inf if share else -math.inf
        return PositionEffect(edge, -math.inf, math.inf, int(total.sum()), share)
    h = 0.0
    for _ in range(100):
        p = expit(gap + h)
        gradient = float(np.sum(points - total * p))
        curvature = float(np.sum(total * p * (1 - p)))
        if curvature <= 0.0:  # every vote certain under the strengths: nothing to learn h from
            break
        step = max(-1.0, min(1.0, gradient / curvature))  # damped: far from 0 the curve is flat
        h += step
        if abs(step) < 1e-12:
            break
    p = expit(gap + h)
    curvature = float(np.sum(total * p * (1 - p)))
    meat = float(np.sum(won * (1 - p) ** 2 + lost * p**2 + drawn * (0.5 - p) ** 2))
    half = Z_95 * math.sqrt(meat) / curvature if curvature > 0.0 else math.inf
    return PositionEffect(h, h - half, h + half, int(total.sum()), share)
