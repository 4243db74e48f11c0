"""Votes aggregated into unordered pair counts, the sufficient statistics of Bradley–Terry.

Cost after this step grows with the number of model pairs, not votes. Sides are forgotten:
a vote "A beat B" and the same vote with sides swapped land in the same cell.
"""

from dataclasses import dataclass

import numpy as np

from ratings.matches import Matches
from ratings.outcomes import A_BETTER, B_BETTER

FIRST_WON, SECOND_WON, DRAWN = range(3)  # columns of PairCounts.cells
_DENSE_LIMIT = 20_000_000  # above this many (pair, outcome) keys, aggregate by sorting instead


@dataclass(frozen=True, eq=False)
class PairCounts:
    """Vote counts for the P model pairs that met at least once.

    first, second: int32 [P] model indices with first < second, sorted by (first, second).
    cells: float64 [P, 3] votes where first won, second won, and drawn (tie or both_bad).
    """

    n_models: int
    first: np.ndarray
    second: np.ndarray
    cells: np.ndarray

    @property
    def totals(self) -> np.ndarray:
        """float64 [P] votes per pair."""
        return self.cells.sum(axis=1)

    @property
    def scores(self) -> np.ndarray:
        """float64 [P] points of `first`: wins plus half the draws."""
        return self.cells[:, FIRST_WON] + 0.5 * self.cells[:, DRAWN]

    def votes_per_model(self) -> np.ndarray:
        """float64 [n_models] votes each model took part in."""
        totals = self.totals
        return np.bincount(self.first, totals, self.n_models) + np.bincount(
            self.second, totals, self.n_models
        )


def count_pairs(matches: Matches, mask: np.ndarray | None = None) -> PairCounts:
    """Aggregate the rows of `matches` (optionally only where the boolean mask [n] is true)."""
    n = len(matches.models)
    rows = _selected(matches, mask)
    pair_key, outcome = _pair_outcome(matches, rows)
    weights = matches.count[rows].astype(np.float64)
    if 3 * n * n <= _DENSE_LIMIT:
        dense = np.bincount(pair_key * 3 + outcome, weights, 3 * n * n).reshape(n * n, 3)
        keys = np.flatnonzero(dense.any(axis=1))
        cells = dense[keys]
    else:
        keys, inverse = np.unique(pair_key, return_inverse=True)
        cells = np.zeros((len(keys), 3))
        np.add.at(cells, (inverse, outcome), weights)
    return PairCounts(
        n_models=n,
        first=(keys // n).astype(np.int32),
        second=(keys % n).astype(np.int32),
        cells=cells,
    )


def cell_of_rows(matches: Matches, pairs: PairCounts, mask: np.ndarray | None = None) -> np.ndarray:
    """int64 [rows selected by mask]: flat index into pairs.cells ([P, 3] raveled) of each row."""
    pair_key, outcome = _pair_outcome(matches, _selected(matches, mask))
    known = pairs.first.astype(np.int64) * pairs.n_models + pairs.second
    return np.searchsorted(known, pair_key) * 3 + outcome


def restrict_to_active(pairs: PairCounts) -> tuple[PairCounts, np.ndarray]:
    """The counts renumbered over the m models with votes, and their original indices int [m]."""
    active = np.flatnonzero(pairs.votes_per_model() > 0)
    new_index = np.full(pairs.n_models, -1, dtype=np.int32)
    new_index[active] = np.arange(len(active), dtype=np.int32)
    compact = PairCounts(len(active), new_index[pairs.first], new_index[pairs.second], pairs.cells)
    return compact, active


def _selected(matches: Matches, mask: np.ndarray | None) -> np.ndarray | slice:
    if mask is None:
        return slice(None)
    mask = np.asarray(mask, dtype=bool)
    if mask.shape != (len(matches),):
        raise ValueError(f"mask has shape {mask.shape}, expected ({len(matches)},)")
    return mask


def _pair_outcome(matches: Matches, rows) -> tuple[np.ndarray, np.ndarray]:
    """Per selected row: pair key first·n + second (int64) and outcome column (FIRST_WON, ...)."""
    a, b, verdict = matches.model_a[rows], matches.model_b[rows], matches.verdict[rows]
    first = np.minimum(a, b).astype(np.int64)
    second = np.maximum(a, b).astype(np.int64)
    a_is_first = a < b
    a_won, b_won = verdict == A_BETTER, verdict == B_BETTER
    outcome = np.full(len(a), DRAWN, dtype=np.int64)
    outcome[(a_won & a_is_first) | (b_won & ~a_is_first)] = FIRST_WON
    outcome[(a_won & ~a_is_first) | (b_won & a_is_first)] = SECOND_WON
    return first * len(matches.models) + second, outcome
