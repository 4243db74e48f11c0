"""The vote record the integrity checks read, the Elo-scale win probability they test against,
and the normal density their tails use.

Any object with these attribute names works; VoteRecord is the plain frozen form for tests and
callers that build records themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from arena.domain.verdicts import score_a

ELO_BASE = 10.0
ELO_SCALE = 400.0
_SQRT_2PI = math.sqrt(2 * math.pi)


@dataclass(frozen=True)
class VoteRecord:
    voter_id: str
    model_a: str
    model_b: str
    verdict: str  # a_better | b_better | tie | both_bad
    timestamp: float  # Unix seconds
    ip_hash: str = ""
    ip_prefix_hash: str = ""  # coarse network prefix (e.g. /24 or /48), hashed by the caller
    vote_id: int = 0  # the store's id of the vote (0: not stored)


def win_probability(rating: float, opponent: float) -> float:
    """P(a model rated `rating` beats one rated `opponent`) = 1 / (1 + 10^((opponent − rating)/400))."""
    return 1.0 / (1.0 + ELO_BASE ** ((opponent - rating) / ELO_SCALE))


def normal_density(x: float) -> float:
    """φ(x), the standard normal density (its tail Φ is scipy.special.ndtr)."""
    return math.exp(-x * x / 2) / _SQRT_2PI


def winner_loser(vote) -> tuple[str, str] | None:
    """(winner, loser) of a decisive vote; None for a tie or both_bad."""
    s = score_a(vote.verdict)
    if s == 1.0:
        return vote.model_a, vote.model_b
    if s == 0.0:
        return vote.model_b, vote.model_a
    return None
