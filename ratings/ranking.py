"""Rank (UB): a model's rank is 1 + the number of models that are surely better than it; and the
rank range the intervals allow, from that best place to its worst (the models not surely worse)."""

import numpy as np
from scipy.special import ndtri  # the normal quantile: scipy.stats takes 0.7 s to import

from ratings.bt_sandwich import Z_95


def rank_upper_bound(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """int [n]: 1 + #{j : lower[j] > upper[i]} for interval bounds lower, upper [n].

    A model is only ranked below another when the other's whole interval lies above its own,
    so models whose intervals overlap share a rank.
    """
    ordered = np.sort(np.asarray(lower, dtype=float))
    above = len(ordered) - np.searchsorted(ordered, np.asarray(upper, dtype=float), side="right")
    return (1 + above).astype(int)


def rank_lower_bound(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """int [n]: n - #{j : upper[j] < lower[i]}, the worst place model i can hold: every model
    whose interval reaches above its lower bound may be ahead of it. With `rank_upper_bound`, the
    rank range ("2, range 1–7") beside rank (UB)."""
    lower = np.asarray(lower, dtype=float)
    below = np.searchsorted(np.sort(np.asarray(upper, dtype=float)), lower, side="left")
    return (len(lower) - below).astype(int)


def tiers(
    ratings: np.ndarray, lower: np.ndarray, upper: np.ndarray, alpha: float = 0.05
) -> np.ndarray:
    """int [n]: the tier of each model, for models sorted best first. A new tier starts below a
    model when the rating gap to the next is positive with family-wise confidence 1 − alpha over
    the n − 1 adjacent pairs (one-sided Bonferroni: gap > z_{1 − alpha/(n−1)} · se of the gap,
    each se from its 95% interval, the two taken as independent)."""
    ratings = np.asarray(ratings, dtype=float)
    if len(ratings) == 0:
        return np.zeros(0, dtype=int)
    se = (np.asarray(upper, dtype=float) - np.asarray(lower, dtype=float)) / (2 * Z_95)
    z = ndtri(1 - alpha / max(len(ratings) - 1, 1))
    separated = ratings[:-1] - ratings[1:] > z * np.hypot(se[:-1], se[1:])
    return np.concatenate([[1], 1 + np.cumsum(separated)]).astype(int)
