"""Where TrueSkill and Bradley–Terry disagree: pairs of models the two methods order
differently, each beyond its own uncertainty."""

import math
from dataclasses import dataclass

import numpy as np

from ratings.bradley_terry import BTLeaderboard
from ratings.bt_sandwich import Z_95
from ratings.trueskill_replay import TrueSkillReplay


@dataclass(frozen=True)
class Disagreement:
    """BT puts `bt_winner` above `trueskill_winner`; TrueSkill the reverse.

    bt_gap: rating points (> 0); bt_z: that gap over its standard error (from the 95% intervals).
    trueskill_gap: μ points (> 0) in TrueSkill's favour; trueskill_z: gap / √(σ₁² + σ₂²).
    """

    bt_winner: str
    trueskill_winner: str
    bt_gap: float
    bt_z: float
    trueskill_gap: float
    trueskill_z: float


def find_disagreements(
    board: BTLeaderboard, skills: TrueSkillReplay, z: float = Z_95
) -> tuple[Disagreement, ...]:
    """Pairs of models in both results that the methods order oppositely with both |z| >= z.

    BT standard errors are read off the 95% intervals as (upper − lower) / (2·1.96).
    Sorted by the weaker of the two z values, strongest disagreement first.
    """
    common = [m for m in board.models if m in skills.models]
    bt_index = {m: i for i, m in enumerate(board.models)}
    ts_index = {m: i for i, m in enumerate(skills.models)}
    se = (board.upper - board.lower) / (2 * Z_95)
    found = []
    for k, a in enumerate(common):
        for b in common[k + 1 :]:
            i, j = bt_index[a], bt_index[b]
            bt_gap = board.ratings[i] - board.ratings[j]
            bt_z = bt_gap / max(math.hypot(se[i], se[j]), 1e-12)
            p, q = ts_index[a], ts_index[b]
            ts_gap = skills.mu[p] - skills.mu[q]
            ts_z = ts_gap / math.hypot(skills.sigma[p], skills.sigma[q])
            if np.sign(bt_gap) * np.sign(ts_gap) < 0 and min(abs(bt_z), abs(ts_z)) >= z:
                winner, loser = (a, b) if bt_gap > 0 else (b, a)
                found.append(
                    Disagreement(winner, loser, abs(bt_gap), abs(bt_z), abs(ts_gap), abs(ts_z))
                )
    return tuple(sorted(found, key=lambda d: -min(d.bt_z, d.trueskill_z)))
