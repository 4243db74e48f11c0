"""Head-to-head views of a leaderboard: battle counts, observed win rates, and the win
probabilities its ratings predict."""

from dataclasses import dataclass

import numpy as np

from ratings.bradley_terry import SCALE, BTLeaderboard
from ratings.pair_counts import FIRST_WON, SECOND_WON


@dataclass(frozen=True, eq=False)
class PairMatrices:
    """Square [m, m] matrices over `models` (row model against column model).

    battles: votes between the two. win_rate: share of those votes the row model won, a tie or
    both_bad counting half; NaN where they never met. expected: P(row beats column) from the
    ratings. average_win_rate [m]: mean of `expected` against every other model, i.e. the win
    rate against an opponent drawn uniformly.
    """

    models: tuple[str, ...]
    battles: np.ndarray
    win_rate: np.ndarray
    expected: np.ndarray
    average_win_rate: np.ndarray


def pair_matrices(board: BTLeaderboard) -> PairMatrices:
    """Matrices for the models of a fitted leaderboard."""
    pairs, m = board.pairs, len(board.models)
    battles = np.zeros((m, m))
    points = np.zeros((m, m))
    totals = pairs.totals
    battles[pairs.first, pairs.second] = totals
    battles[pairs.second, pairs.first] = totals
    points[pairs.first, pairs.second] = pairs.scores
    points[pairs.second, pairs.first] = pairs.cells[:, SECOND_WON] + 0.5 * (
        totals - pairs.cells[:, FIRST_WON] - pairs.cells[:, SECOND_WON]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        win_rate = np.where(battles > 0, points / battles, np.nan)
    strength = board.ratings / SCALE
    expected = 1.0 / (1.0 + np.exp(strength[None, :] - strength[:, None]))
    np.fill_diagonal(expected, np.nan)
    average = np.nanmean(expected, axis=1) if m > 1 else np.full(m, np.nan)
    return PairMatrices(board.models, battles, win_rate, expected, average)
