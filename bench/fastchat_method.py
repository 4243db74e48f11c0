"""FastChat's Bradley–Terry method, re-implemented from its description for comparison.

As described for FastChat's leaderboard: count unique (model_a, model_b, outcome) rows of the
battles (outcome 1, ½, 0 for A wins, tie, B wins), fit log-strengths with scipy's L-BFGS-B
(gradient tolerance 1e-6, at most 100 iterations) on the count-weighted logistic loss in base 10,
then bootstrap by drawing multinomial counts over the unique rows and refitting each draw from
zero in a process pool. rating = 400·θ + 1000.
"""

import math
import multiprocessing
import os
from functools import partial

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

ALPHA = math.log(10.0)  # logits are in base-10 units, so 400·θ is on the Elo scale


def unique_rows(model_a, model_b, verdict):
    """Unique (a, b, outcome) rows [U, 2], labels [U] and occurrence counts [U]."""
    outcome = np.where(verdict == 0, 2, np.where(verdict == 1, 0, 1))
    schedule = np.column_stack([model_a, model_b, outcome]).astype(np.int32)
    rows, counts = np.unique(schedule, axis=0, return_counts=True)
    return rows[:, :2], rows[:, 2] / 2.0, counts.astype(np.float64)


def loss_and_gradient(theta, pairs, labels, weights):
    logits = ALPHA * (theta[pairs[:, 0]] - theta[pairs[:, 1]])
    p = expit(logits)
    eps = 1e-300
    loss = -np.sum(weights * (labels * np.log(p + eps) + (1 - labels) * np.log(1 - p + eps)))
    per_row = -ALPHA * (labels - p) * weights
    grad = np.bincount(pairs[:, 0], per_row, len(theta)) - np.bincount(
        pairs[:, 1], per_row, len(theta)
    )
    return loss, grad


def fit(weights, pairs, labels, n_models):
    result = minimize(
        loss_and_gradient,
        np.zeros(n_models),
        args=(pairs, labels, weights),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 100, "gtol": 1e-6},
    )
    return result.x


def ratings(model_a, model_b, verdict, n_models):
    """Point estimate: ratings [n_models]."""
    pairs, labels, counts = unique_rows(model_a, model_b, verdict)
    return 400.0 * fit(counts, pairs, labels, n_models) + 1000.0


def bootstrap(model_a, model_b, verdict, n_models, resamples, seed=0, processes=None):
    """Bootstrap ratings [resamples, n_models], fitted in a pool of processes (all cores)."""
    pairs, labels, counts = unique_rows(model_a, model_b, verdict)
    total = counts.sum()
    draws = np.random.default_rng(seed).multinomial(int(total), counts / total, size=resamples)
    job = partial(fit, pairs=pairs, labels=labels, n_models=n_models)
    with multiprocessing.Pool(processes or os.cpu_count()) as pool:  # default start, as FastChat
        thetas = list(pool.imap_unordered(job, draws / total))
    return 400.0 * np.array(thetas) + 1000.0
