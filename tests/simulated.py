"""Simulated votes for the ratings tests: models with normal strengths, Bradley–Terry outcomes."""

import numpy as np

from ratings import matches_from_arrays
from ratings.pair_counts import count_pairs, restrict_to_active


def simulated_pairs(seed=0, n_models=8, n_votes=2_000, tie_share=0.2):
    """Pair counts of `n_votes` simulated votes among `n_models` (a tie with `tie_share`)."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 0.7, n_models)
    a = rng.integers(0, n_models, n_votes)
    b = (a + rng.integers(1, n_models, n_votes)) % n_models
    p = 1 / (1 + np.exp(theta[b] - theta[a]))
    verdict = np.where(rng.random(n_votes) < tie_share, 2, np.where(rng.random(n_votes) < p, 0, 1))
    matches = matches_from_arrays([str(i) for i in range(n_models)], a, b, verdict)
    pairs, _ = restrict_to_active(count_pairs(matches))
    return pairs
