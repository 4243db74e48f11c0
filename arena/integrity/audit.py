"""Manipulation audit of a Bradley–Terry board: how many one-sided votes would swap each adjacent
pair, and how much the top of the board moves when 0.1% of votes are removed, adversarially or at
random. Every fit is the Newton fit of `ratings` on the aggregated pair counts, with the ridge
`ratings.fit_bradley_terry` would use, never on per-vote arrays; the flip search, which used to
refit hundreds of times, makes one warm-started fit per pair (a flip changes one cell).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter

import numpy as np

from arena.domain.verdicts import score_a
from ratings import VERDICTS
from ratings.bradley_terry import BASE_RATING, REGULARIZED_L2
from ratings.bt_newton import fit_strengths, refine_strengths, tie_votes
from ratings.graph import has_finite_optimum
from ratings.pair_counts import FIRST_WON, SECOND_WON, PairCounts, restrict_to_active

SCALE = 400.0 / math.log(10.0)  # rating points per unit of log-odds, as in ratings/
DEFAULT_FRACTION = 0.001  # share of votes removed by the stability check
MAX_FLIP_VOTES = 10_000_000  # above this, a pair counts as unflippable
NEAR_WHOLE = 1e-6  # relative distance of the tie point to a whole vote count checked by refits


@dataclass(frozen=True, eq=False)
class PairTable:
    """Votes aggregated over the P model pairs that met; first < second index into `models`.

    first_wins, second_wins, draws: float [P] vote counts (tie and both_bad are draws).
    """

    models: tuple[str, ...]
    first: np.ndarray
    second: np.ndarray
    first_wins: np.ndarray
    second_wins: np.ndarray
    draws: np.ndarray

    @property
    def scores(self) -> np.ndarray:
        return self.first_wins + 0.5 * self.draws

    @property
    def totals(self) -> np.ndarray:
        return self.first_wins + self.second_wins + self.draws

    @property
    def n_votes(self) -> int:
        return int(round(float(self.totals.sum())))


def to_pair_table(votes: Iterable) -> PairTable:
    """Aggregate vote records (model_a, model_b, verdict) into a PairTable."""
    # one C-level pass over the votes; Python then sees each distinct (a, b, verdict) once
    return _pair_table(Counter(map(attrgetter("model_a", "model_b", "verdict"), votes)))


def pair_table_from_codes(
    models: Sequence[str], model_a: np.ndarray, model_b: np.ndarray, verdict: np.ndarray
) -> PairTable:
    """The PairTable of votes given as arrays: model_a/model_b index `models`, verdict indexes
    ratings.VERDICTS (as in arena.rankings.VoteColumns); counted with numpy, no object per vote."""
    m, v = max(len(models), 1), len(VERDICTS)
    # in place, and 32-bit when the keys fit: one array of keys alive, not four of 64 bits
    keys = model_a.astype(np.int32 if m * m * v < 2**31 else np.int64)
    keys *= m
    keys += model_b
    keys *= v
    keys += verdict
    tally = np.bincount(keys, minlength=m * m * v)
    del keys
    distinct = np.flatnonzero(tally)
    n = tally[distinct]
    a, rest = np.divmod(distinct, m * v)
    b, code = np.divmod(rest, v)
    return _pair_table({(models[i], models[j], VERDICTS[k]): c for i, j, k, c in
                        zip(a.tolist(), b.tolist(), code.tolist(), n.tolist(), strict=True)})  # fmt: skip


def _pair_table(tally: Mapping[tuple[str, str, str], int]) -> PairTable:
    """The PairTable of vote counts by (model_a, model_b, verdict)."""
    counts: dict[tuple[str, str], list[float]] = {}
    for (a, b, verdict), n in tally.items():
        cell = counts.setdefault((min(a, b), max(a, b)), [0.0, 0.0, 0.0])
        points = score_a(verdict)  # ValueError for an unknown verdict
        if points == 0.5:
            cell[2] += n
        elif (points == 1.0) == (a < b):
            cell[0] += n
        else:
            cell[1] += n
    models = tuple(sorted({m for pair in counts for m in pair}))
    index = {m: i for i, m in enumerate(models)}
    pairs = sorted(counts)
    cells = np.array([counts[p] for p in pairs]).reshape(-1, 3)
    return PairTable(
        models,
        np.array([index[a] for a, _ in pairs], dtype=np.int64),
        np.array([index[b] for _, b in pairs], dtype=np.int64),
        cells[:, 0],
        cells[:, 1],
        cells[:, 2],
    )


def fit_ratings(table: PairTable) -> np.ndarray:
    """Ratings [m] in rating points, in the order of table.models (only differences matter)."""
    return SCALE * _fit(table)[0]


def _active_counts(table: PairTable) -> tuple[PairCounts, np.ndarray, float]:
    """The table's whole-vote counts over the models that have votes, their indices [m_active]
    into table.models, and the ridge `ratings.fit_bradley_terry` would fit them with."""
    cells = np.rint(np.stack([table.first_wins, table.second_wins, table.draws], axis=1))
    met = cells.sum(axis=1) > 0
    counts = PairCounts(len(table.models), table.first[met], table.second[met], cells[met])
    pairs, active = restrict_to_active(counts)
    finite = has_finite_optimum(pairs.first, pairs.second, pairs.scores, pairs.totals, len(active))
    return pairs, active, 0.0 if finite else REGULARIZED_L2


def _fit(table: PairTable) -> tuple[np.ndarray, float]:
    """Log-odds strengths [m] (mean 0) and the L2 ridge the fit needed (0.0: exact maximum
    likelihood; ratings/ adds one when no finite maximum exists).

    A model left without votes sits BASE_RATING points below the rest, where reading the
    leaderboard of `ratings.fit_bradley_terry` (which omits it) put it; the strengths go through
    that leaderboard's rating arithmetic too, so exact ties come out as they always did.
    """
    pairs, active, l2 = _active_counts(table)
    theta = np.zeros(len(table.models))
    if len(active) == 0:
        return theta, 0.0
    fitted = fit_strengths(pairs.first, pairs.second, pairs.scores, pairs.totals, len(active), l2)
    theta[active] = (SCALE * fitted + BASE_RATING) / SCALE
    return theta - theta.mean(), l2


def _information(table: PairTable, theta: np.ndarray, l2: float) -> np.ndarray:
    """Fisher information [m, m] of the strengths: the Laplacian of pair weights N·p·(1−p), plus
    the ridge, plus the all-ones direction when there is no ridge (it fixes the free shift)."""
    m = len(table.models)
    p = 1.0 / (1.0 + np.exp(theta[table.second] - theta[table.first]))
    weight = table.totals * p * (1 - p)
    h = np.zeros((m, m))
    np.add.at(h, (table.first, table.second), -weight)
    np.add.at(h, (table.second, table.first), -weight)
    h[np.diag_indices(m)] = -h.sum(axis=1)
    return h + l2 * np.eye(m) + (np.full((m, m), 1.0 / m) if l2 == 0.0 else 0.0)


@dataclass(frozen=True)
class FlipCost:
    """Votes of `lower` beating `upper` (added to their direct pair) that would put `lower` level
    with or above `upper`. gap in rating points; votes_to_flip from refits (exact, integer);
    approx_votes from the closed-form one-step estimate (inf when it saturates)."""

    upper: str
    lower: str
    gap: float
    votes_to_flip: int
    approx_votes: float


def _with_extra_wins(table: PairTable, winner: int, loser: int, k: float) -> PairTable:
    first, second = min(winner, loser), max(winner, loser)
    hit = np.flatnonzero((table.first == first) & (table.second == second))
    if len(hit) == 0:
        table = replace(
            table,
            first=np.append(table.first, first),
            second=np.append(table.second, second),
            first_wins=np.append(table.first_wins, 0.0),
            second_wins=np.append(table.second_wins, 0.0),
            draws=np.append(table.draws, 0.0),
        )
        hit = np.array([len(table.first) - 1])
    column = "first_wins" if winner == first else "second_wins"
    values = getattr(table, column).copy()
    values[hit] += k
    return replace(table, **{column: values})


def _approx_flip_votes(inverse: np.ndarray, theta: np.ndarray, upper: int, lower: int) -> float:
    """One Newton step from the fit with k extra wins of `lower` over `upper`, solved for k.

    With u = e_lower − e_upper, R = uᵀH⁺u (effective resistance of the Fisher information graph,
    `inverse` [m, m] = H⁺) and p = P(lower beats upper): the step moves uᵀθ by
    k(1−p)R / (1 + k p(1−p) R) (Sherman–Morrison); it must cover the gap d = θ_upper − θ_lower,
    so k = d / ((1−p) R (1 − d p)).
    """
    resistance = float(inverse[lower, lower] + inverse[upper, upper] - 2 * inverse[lower, upper])
    d = float(theta[upper] - theta[lower])
    p = 1.0 / (1.0 + math.exp(d))
    if d <= 0:
        return 0.0
    if d * p >= 1.0:
        return math.inf
    return d / ((1 - p) * resistance * (1 - d * p))


def flip_costs(table: PairTable) -> list[FlipCost]:
    """For every adjacent pair on the board (best first): votes needed to swap it."""
    if len(table.models) < 2:
        return []
    theta, l2 = _fit(table)
    counts = _active_counts(table)
    inverse = np.linalg.inv(_information(table, theta, l2))  # one inverse serves every pair
    order = sorted(range(len(table.models)), key=lambda i: (-theta[i], table.models[i]))
    costs = []
    for upper, lower in zip(order, order[1:], strict=False):
        approx = _approx_flip_votes(inverse, theta, upper, lower)
        exact = (
            0
            if theta[lower] >= theta[upper]
            else _flip_votes(table, counts, theta, inverse, upper, lower)
        )
        costs.append(
            FlipCost(
                upper=table.models[upper],
                lower=table.models[lower],
                gap=float(SCALE * (theta[upper] - theta[lower])),
                votes_to_flip=exact if exact <= _search_ceiling(approx) else MAX_FLIP_VOTES,
                approx_votes=approx,
            )
        )
    return costs


def _flip_votes(
    table: PairTable,
    counts: tuple[PairCounts, np.ndarray, float],
    theta: np.ndarray,
    inverse: np.ndarray,
    upper: int,
    lower: int,
) -> int:
    """Smallest integer k ≥ 1 with θ_lower ≥ θ_upper after k extra wins of lower over upper.

    The gap shrinks strictly as k grows (each win moves it by −(1−p)·uᵀH⁻¹u < 0), so the answer
    is the tie point k* rounded up: one fit of the table's counts constrained to θ_lower =
    θ_upper gives k* (ratings.bt_newton.tie_votes). It starts where one Newton step from the fit
    `theta` [m] (information inverse [m, m]) puts the tie, and reuses that inverse unless it
    stalls. Only when k* lies within rounding of a whole number do refits at the neighbouring
    counts decide, from scratch like the search by refits this replaces: there the two strengths
    can come out exactly equal, which only the same arithmetic reproduces.
    """
    pairs, active, l2 = _counts_once_beaten(table, counts, upper, lower)
    where = np.full(len(table.models), -1)
    where[active] = np.arange(len(active))
    tie = (int(where[lower]), int(where[upper]))
    towards = inverse[:, lower] - inverse[:, upper]
    start = theta - (theta[lower] - theta[upper]) / (towards[lower] - towards[upper]) * towards
    arrays = (pairs.first, pairs.second, pairs.scores, pairs.totals)
    tied = None
    if len(active) == len(theta):  # `inverse` is over these models; a poor match only gives up
        tied = refine_strengths(*arrays, start, inverse, l2, tie)
    if tied is None:
        tied = fit_strengths(*arrays, len(active), l2, start[active], tie=tie)
    k_star = tie_votes(tied, *arrays, tie, l2)
    votes = max(1, math.ceil(k_star))
    if abs(k_star - round(k_star)) > NEAR_WHOLE * max(1.0, abs(k_star)):
        return votes

    def flipped(k: int) -> bool:
        refit = _fit(_with_extra_wins(table, lower, upper, float(k)))[0]
        return refit[lower] >= refit[upper]

    while votes > 1 and flipped(votes - 1):
        votes -= 1
    while not flipped(votes):
        votes += 1
    return votes


def _counts_once_beaten(
    table: PairTable, counts: tuple[PairCounts, np.ndarray, float], upper: int, lower: int
) -> tuple[PairCounts, np.ndarray, float]:
    """The table's counts (as _active_counts) over the models active, and with the ridge needed,
    once `lower` has beaten `upper` at least once; the same for every k ≥ 1 extra wins."""
    pairs, active, l2 = counts
    if l2 == 0.0 and np.isin([lower, upper], active).all():
        return counts  # one more edge leaves a strongly connected graph strongly connected
    pairs, active, l2 = _active_counts(_with_extra_wins(table, lower, upper, 1.0))
    winner, loser = np.searchsorted(active, lower), np.searchsorted(active, upper)
    cell = (pairs.first == min(winner, loser)) & (pairs.second == max(winner, loser))
    cells = pairs.cells.copy()
    cells[cell, FIRST_WON if winner < loser else SECOND_WON] -= 1.0  # take that win back
    return PairCounts(pairs.n_models, pairs.first, pairs.second, cells), active, l2


def _search_ceiling(guess: float) -> int:
    """Counts above this are reported as MAX_FLIP_VOTES: the first count ≥ MAX_FLIP_VOTES that a
    search doubling from the one-step guess tries (the audit first counted flips by that search,
    and its reports keep meaning the same)."""
    high = max(1, math.ceil(guess)) if math.isfinite(guess) else 1
    while high < MAX_FLIP_VOTES:
        high *= 2
    return high


@dataclass(frozen=True)
class StabilityReport:
    """How the board changes when `removed` votes are taken out.

    mode: "adversarial" (the votes that most help the leader) or "random" (means over `trials`).
    top_k_overlap: |top-k before ∩ after| / k. kendall_distance: share of model pairs whose order
    flips (0 = same ranking). leader_changed: share of trials in which #1 changed. lead_before,
    lead_after: rating points between the original #1 and #2, before and after (mean).
    """

    mode: str
    removed: int
    k: int
    trials: int
    top_k_overlap: float
    kendall_distance: float
    leader_changed: float
    lead_before: float
    lead_after: float


def kendall_distance(before: np.ndarray, after: np.ndarray) -> float:
    """Share of pairs (i, j) ordered differently by two rating vectors [m] (ties count as half)."""
    m = len(before)
    if m < 2:
        return 0.0
    i, j = np.triu_indices(m, 1)
    product = np.sign(before[i] - before[j]) * np.sign(after[i] - after[j])
    return float(np.mean(np.where(product < 0, 1.0, np.where(product == 0, 0.5, 0.0))))


def _top(theta: np.ndarray, k: int) -> set[int]:
    return set(np.argsort(-theta, kind="stable")[:k].tolist())


def _compare(before: np.ndarray, after: np.ndarray, k: int) -> tuple[float, float, bool, float]:
    overlap = len(_top(before, k) & _top(after, k)) / k
    first, second = np.argsort(-before, kind="stable")[:2]
    lead = SCALE * float(after[first] - after[second])
    changed = int(np.argmax(before)) != int(np.argmax(after))
    return overlap, kendall_distance(before, after), changed, lead


def _without(table: PairTable, first_wins, second_wins, draws) -> PairTable:
    return replace(
        table,
        first_wins=table.first_wins - first_wins,
        second_wins=table.second_wins - second_wins,
        draws=table.draws - draws,
    )


def removal_for_leader(table: PairTable, theta: np.ndarray, l2: float, n_remove: int) -> PairTable:
    """The table minus the n_remove votes whose removal most lowers the leader's lead over #2,
    by first-order influence: removing one vote moves θ by H⁻¹·Δg, Δg its lost score residual."""
    m = len(table.models)
    leader, second = np.argsort(-theta, kind="stable")[:2]
    h = _information(table, theta, l2)
    direction = np.zeros(m)
    direction[leader], direction[second] = 1.0, -1.0
    w = np.linalg.solve(h, direction)  # d(lead)/d(g) for a gradient change g
    p = 1.0 / (1.0 + np.exp(theta[table.second] - theta[table.first]))  # P(first wins)
    spread = w[table.first] - w[table.second]
    # Removing a vote changes the residual of `first` by −(outcome − p): −(1−p), +p or −(½−p).
    per_vote = np.stack([-(1 - p) * spread, p * spread, (p - 0.5) * spread], axis=1)
    available = np.stack([table.first_wins, table.second_wins, table.draws], axis=1)
    removed = np.zeros_like(available)
    left = n_remove
    for flat in np.argsort(per_vote, axis=None, kind="stable"):
        if left <= 0 or per_vote.flat[flat] >= 0:
            break
        take = min(left, available.flat[flat])
        removed.flat[flat] = take
        left -= take
    return _without(table, removed[:, 0], removed[:, 1], removed[:, 2])


def _random_removal(table: PairTable, n_remove: int, rng: np.random.Generator) -> PairTable:
    cells = np.rint(np.stack([table.first_wins, table.second_wins, table.draws], axis=1))
    counts = cells.astype(np.int64).ravel()
    removed = rng.multivariate_hypergeometric(counts, min(n_remove, int(counts.sum())))
    removed = removed.reshape(-1, 3).astype(float)
    return _without(table, removed[:, 0], removed[:, 1], removed[:, 2])


def stability(
    table: PairTable,
    *,
    k: int = 5,
    fraction: float = DEFAULT_FRACTION,
    mode: str = "adversarial",
    trials: int = 20,
    seed: int = 0,
) -> StabilityReport:
    """Remove ⌈fraction · votes⌉ votes (adversarially, or at random `trials` times with `seed`),
    refit, and compare the boards.

    Each refit starts from scratch: in a small table two models can be exactly level, which the
    Kendall distance and top-k count, and only the same arithmetic reproduces it (a warm start
    would save about two Newton steps of ~21 fits).
    """
    if mode not in ("adversarial", "random"):
        raise ValueError(f"mode must be 'adversarial' or 'random', got {mode!r}")
    k = min(k, len(table.models))
    n_remove = math.ceil(fraction * table.n_votes)
    theta, l2 = _fit(table)
    if mode == "adversarial":
        trials = 1
        results = [_compare(theta, _fit(removal_for_leader(table, theta, l2, n_remove))[0], k)]
    else:
        rng = np.random.default_rng(seed)
        results = [
            _compare(theta, _fit(_random_removal(table, n_remove, rng))[0], k)
            for _ in range(trials)
        ]
    overlap, distance, changed, lead_after = (
        float(np.mean(column)) for column in zip(*results, strict=True)
    )
    first, second = np.argsort(-theta, kind="stable")[:2]
    lead_before = SCALE * float(theta[first] - theta[second])
    return StabilityReport(
        mode, n_remove, k, trials, overlap, distance, changed, lead_before, lead_after
    )
