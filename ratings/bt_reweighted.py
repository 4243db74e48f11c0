"""Inverse-frequency reweighting, LMArena's official Bradley–Terry fit since July 2025 (arena-rank's
`PairDataset.from_pandas(..., reweighted=True)`): every vote of a model pair weighs
1 / max(votes of that pair, MIN_PAIR_VOTES), so each well-sampled pair counts as much as any other.

The weighted fit estimates the strengths as if all pairs had been compared equally often. When
Bradley–Terry holds, that is the same target as the plain fit, reached with more noise; when it
does not (preferences that depend on the opponent), the two targets differ and so do the ratings.
"""

import numpy as np

from ratings.bt_newton import fit_strengths
from ratings.pair_counts import PairCounts

MIN_PAIR_VOTES = 50  # arena-rank's min_pair_count: a rarer pair is not scaled up to full weight


def inverse_frequency_weights(totals: np.ndarray) -> np.ndarray:
    """Weight of one vote of each pair [P], given the pairs' vote counts totals [P] (all > 0).

    Proportional to 1 / max(total, MIN_PAIR_VOTES), scaled so that the weighted votes add up to
    the votes (Σ weight·total = Σ total): the l2 ridge, when one is needed, then weighs as much
    against the data as in the plain fit. Neither the fit nor its sandwich covariance depends on
    that scale (arena-rank leaves the weights unscaled).
    """
    raw = 1.0 / np.maximum(totals, MIN_PAIR_VOTES)
    return raw * (totals.sum() / (raw @ totals))


def fit_reweighted(pairs: PairCounts, l2: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Strengths θ [n_models] (log-odds) maximising the inverse-frequency-weighted likelihood,
    and the per-vote weights [P] used (for ratings.bt_sandwich.sandwich_covariance)."""
    weights = inverse_frequency_weights(pairs.totals)
    theta = fit_strengths(
        pairs.first,
        pairs.second,
        weights * pairs.scores,
        weights * pairs.totals,
        pairs.n_models,
        l2,
    )
    return theta, weights
