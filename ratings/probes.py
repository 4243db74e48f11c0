"""Two leaderboard audit probes on a fitted Bradley–Terry board: intransitivity beyond what the
fitted model produces on the same comparison budget, and the largest shift from dropping one
voter. Both work on aggregated counts; strengths θ are natural log-odds.

Intransitivity: each pair that met points from the model that won more of its decisive votes to
the other (a draw, or an even split, points nowhere); the cycles of three models among those
arrows are counted (trace(A³) / 3). The same count is drawn again `draws` times from
Bradley–Terry fitted to the decisive votes, each pair's decisive votes resampled as binomials,
and the observed count is compared with those draws (a one-sided Monte Carlo p-value).

Dropping one voter: the change of θ when one voter's votes are removed is, to first order, one
Newton step from the full fit, −H⁻¹g_v (H the information of every vote, g_v the voter's share of
the score); it is worked out for the `candidates` most active voters at once, and the voter with
the largest shift on a ranked model is then refitted exactly without its votes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import cho_solve
from scipy.special import expit

from ratings.bradley_terry import REGULARIZED_L2
from ratings.bt_newton import fit_strengths, gauged_factor, hessian
from ratings.graph import has_finite_optimum

DRAWS = 100  # resampled boards the observed cycle count is compared with


@dataclass(frozen=True)
class Intransitivity:
    """cycles: three-model cycles of majority preferences among the pairs that met; expected
    and upper: their mean and 95th percentile over boards drawn from the fitted model with the
    same votes per pair; p_value: the share of drawn boards with as many cycles (one-sided)."""

    cycles: int
    expected: float
    upper: float
    p_value: float
    draws: int


def _cycles(first: np.ndarray, second: np.ndarray, margin: np.ndarray, n: int) -> np.ndarray:
    """Three-cycles per board of the majority tournament; margin [P] or [D, P]: first's wins
    minus its losses on each pair (> 0: first points at second, < 0: the other way)."""
    margin = np.atleast_2d(margin)
    counts = np.empty(len(margin), dtype=np.int64)
    for k, row in enumerate(margin):
        a = np.zeros((n, n), dtype=np.float32)  # exact: path counts stay far below 2^24
        a[first[row > 0], second[row > 0]] = 1.0
        a[second[row < 0], first[row < 0]] = 1.0
        counts[k] = round(float(np.vdot(a @ a, a.T)) / 3.0)  # trace(A³) / 3
    return counts


def intransitivity(
    first: np.ndarray, second: np.ndarray, cells: np.ndarray, n: int, draws: int = DRAWS,
    seed: int = 0,
) -> Intransitivity:  # fmt: skip
    """The probe for the pair counts of n models (as ratings.pair_counts.PairCounts: first <
    second, cells [P, 3] of first's wins, second's wins, draws)."""
    wins, losses = cells[:, 0], cells[:, 1]
    observed = int(_cycles(first, second, wins - losses, n)[0])
    decisive = (wins + losses).astype(np.int64)
    met = decisive > 0  # the arrows and the fit use decisive votes only: draws point nowhere
    theta = fit(first[met], second[met], wins[met], decisive[met].astype(np.float64), n)
    p = expit(theta[first] - theta[second])
    rng = np.random.default_rng(seed)
    drawn_wins = rng.binomial(decisive, p, size=(draws, len(p)))
    drawn = _cycles(first, second, 2 * drawn_wins - decisive, n)
    return Intransitivity(
        cycles=observed,
        expected=float(drawn.mean()),
        upper=float(np.quantile(drawn, 0.95)),
        p_value=float((1 + np.count_nonzero(drawn >= observed)) / (1 + draws)),
        draws=draws,
    )


@dataclass(frozen=True)
class VoterDrop:
    """The most influential voter among `checked` (the most active ones): `voter` (its code),
    its `votes`, the largest change of a ranked model's strength without them (`shift`, log-odds,
    exact refit) and that `model`; `places`: the ranked models whose place changes, each
    (place with the voter, place without)."""

    checked: int
    voter: int
    votes: int
    shift: float
    model: int
    places: dict[int, tuple[int, int]]


def drop_one_voter(
    model_a: np.ndarray,
    model_b: np.ndarray,
    score_a: np.ndarray,
    voter: np.ndarray,
    ranked: np.ndarray,
    candidates: int = 200,
) -> VoterDrop | None:
    """The probe for votes (model indices, side A's points 1, ½ or 0, voter codes ≥ 0, or -1
    for a vote of no known voter: it is fitted, never dropped) of the n = len(ranked) models;
    ranked: bool [n], the models whose shift and place count. None without votes, ranked models
    or known voters."""
    n = len(ranked)
    if len(voter) == 0 or not ranked.any():
        return None
    a, b = np.asarray(model_a, dtype=np.int32), np.asarray(model_b, dtype=np.int32)
    first, second = np.minimum(a, b), np.maximum(a, b)
    score_a = np.asarray(score_a, dtype=np.float32)
    points = np.where(a == first, score_a, np.float32(1.0) - score_a)  # first's points
    del a, b, score_a
    key = first * np.int32(n) + second  # n ≤ 46,340 models: fits int32
    dense_totals = np.bincount(key, minlength=n * n)
    pairs = np.flatnonzero(dense_totals)
    totals = dense_totals[pairs].astype(np.float64)
    scores = np.bincount(key, points, n * n)[pairs]
    cell = np.full(n * n, -1, dtype=np.int32)
    cell[pairs] = np.arange(len(pairs), dtype=np.int32)
    pf, ps = pairs // n, pairs % n
    l2 = _l2(pf, ps, scores, totals, n)
    theta = fit_strengths(pf, ps, scores, totals, n, l2)
    factor = gauged_factor(hessian(theta, pf, ps, totals, l2), l2)

    known = voter >= 0
    if not known.any():
        return None
    per_voter = np.bincount(voter[known])
    top = np.argsort(per_voter, kind="stable")[::-1][:candidates]
    top = top[per_voter[top] > 0]
    column = np.full(len(per_voter) + 1, -1)  # and -1 (no voter) -> the last: never a column
    column[top] = np.arange(len(top))
    mine = column[voter] >= 0
    residual = points[mine] - expit(theta[first[mine]] - theta[second[mine]])
    g = np.zeros((n, len(top)))
    np.add.at(g, (first[mine], column[voter[mine]]), residual)
    np.add.at(g, (second[mine], column[voter[mine]]), -residual)
    step = -cho_solve(factor, g)  # [n, candidates]: θ without each voter, to first order
    step -= step.mean(axis=0)
    worst = int(np.argmax(np.abs(step[ranked]).max(axis=0)))
    chosen = int(top[worst])

    out = voter == chosen
    kept = np.bincount(cell[key[out]], minlength=len(pairs)).astype(np.float64)
    kept_points = np.bincount(cell[key[out]], points[out], minlength=len(pairs))
    left = totals - kept > 0
    without = fit(pf[left], ps[left], (scores - kept_points)[left], (totals - kept)[left], n,
                  start=theta)  # fmt: skip
    change = (without - without.mean()) - (theta - theta.mean())
    change[~ranked] = 0.0
    model = int(np.argmax(np.abs(change)))
    before, after = _places(theta, ranked), _places(without, ranked)
    places = {m: (before[m], after[m]) for m in before if before[m] != after[m]}
    return VoterDrop(checked=len(top), voter=chosen, votes=int(per_voter[chosen]),
                     shift=float(change[model]), model=model, places=places)  # fmt: skip


def fit(
    first: np.ndarray, second: np.ndarray, scores: np.ndarray, totals: np.ndarray, n: int,
    start: np.ndarray | None = None,
) -> np.ndarray:  # fmt: skip
    """θ as the board fits it: exact maximum likelihood where it is finite, else the ridge the
    board uses (REGULARIZED_L2)."""
    l2 = _l2(first, second, scores, totals, n)
    return fit_strengths(first, second, scores, totals, n, l2, start=start)


def _l2(first, second, scores, totals, n) -> float:
    return 0.0 if has_finite_optimum(first, second, scores, totals, n) else REGULARIZED_L2


def _places(theta: np.ndarray, ranked: np.ndarray) -> dict[int, int]:
    """Each ranked model's place by strength (1 = strongest)."""
    order = [int(m) for m in np.argsort(-theta, kind="stable") if ranked[m]]
    return {m: k for k, m in enumerate(order, start=1)}
