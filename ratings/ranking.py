"""Rank (UB): a model's rank is 1 + the number of models that are surely better than it; and the
rank range the intervals allow, from that best place to its worst (the models not surely worse)."""

import numpy as np


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
