"""Rank (UB): a model's rank is 1 + the number of models that are surely better than it."""

import numpy as np


def rank_upper_bound(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """int [n]: 1 + #{j : lower[j] > upper[i]} for interval bounds lower, upper [n].

    A model is only ranked below another when the other's whole interval lies above its own,
    so models whose intervals overlap share a rank.
    """
    ordered = np.sort(np.asarray(lower, dtype=float))
    above = len(ordered) - np.searchsorted(ordered, np.asarray(upper, dtype=float), side="right")
    return (1 + above).astype(int)
