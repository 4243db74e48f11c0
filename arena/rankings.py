"""Ranking votes with the ratings engine: stored votes (through the service) or a vote file.

Turns vote rows into the engine's arrays, applies the category filters, and returns the
Bradley–Terry boards and/or TrueSkill replays. Behind `python -m arena ratings` and snapshots.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from arena.config import INTERVALS  # the engine's `ci` options, by the same names
from ratings import (
    VERDICTS,
    BTLeaderboard,
    Matches,
    TrueSkillParams,
    TrueSkillReplay,
    fit_categories,
    matches_from_arrays,
    replay,
)

METHODS = ("bt", "trueskill", "both")
TIE_CODES = (VERDICTS.index("tie"), VERDICTS.index("both_bad"))


@dataclass(frozen=True, eq=False)
class VoteColumns:
    """n votes in the order cast. model_a/model_b: int [n] indices into `models`; verdict: int [n]
    codes into VERDICTS; voter: int [n] or None; language: str [n]; flags: bool [n] each."""

    models: tuple[str, ...]
    model_a: np.ndarray
    model_b: np.ndarray
    verdict: np.ndarray
    voter: np.ndarray | None
    language: np.ndarray
    is_coding: np.ndarray
    is_long_query: np.ndarray
    is_multi_turn: np.ndarray
    has_categories: bool = True

    def __len__(self) -> int:
        return len(self.model_a)

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence], *, has_categories: bool = True) -> VoteColumns:
        """Rows of (model_a, model_b, verdict, voter, language, is_coding, is_long_query,
        is_multi_turn); model names and voters are numbered in order of appearance."""
        models: dict[str, int] = {}
        voters: dict[object, int] = {}
        code = {v: i for i, v in enumerate(VERDICTS)}
        cols: list[list] = [[] for _ in range(8)]
        for a, b, verdict, voter, language, coding, long_query, multi_turn in rows:
            cols[0].append(models.setdefault(a, len(models)))
            cols[1].append(models.setdefault(b, len(models)))
            cols[2].append(code[verdict])
            cols[3].append(voters.setdefault(voter, len(voters)))
            cols[4].append(language or "other")
            cols[5].append(bool(coding))
            cols[6].append(bool(long_query))
            cols[7].append(bool(multi_turn))
        return cls(
            models=tuple(models),
            model_a=np.asarray(cols[0], dtype=np.int32),
            model_b=np.asarray(cols[1], dtype=np.int32),
            verdict=np.asarray(cols[2], dtype=np.int8),
            voter=np.asarray(cols[3], dtype=np.int64) if None not in voters else None,
            language=np.asarray(cols[4], dtype=object),
            is_coding=np.asarray(cols[5], dtype=bool),
            is_long_query=np.asarray(cols[6], dtype=bool),
            is_multi_turn=np.asarray(cols[7], dtype=bool),
            has_categories=has_categories,
        )

    def matches(self) -> Matches:
        return matches_from_arrays(self.models, self.model_a, self.model_b, self.verdict,
                                   voter=self.voter)  # fmt: skip


# Category name -> the votes it keeps (None: all). The arena assigns languages and flags when the
# vote is cast (arena.domain.categories); these filters only read them.
CATEGORY_FILTERS: dict[str, Callable[[VoteColumns], np.ndarray | None]] = {
    "overall": lambda v: None,
    "chinese": lambda v: v.language == "zh",
    "english": lambda v: v.language == "en",
    "coding": lambda v: v.is_coding,
    "long_query": lambda v: v.is_long_query,
    "multi_turn": lambda v: v.is_multi_turn,
    "exclude_ties": lambda v: ~np.isin(v.verdict, TIE_CODES),
}
CATEGORIES = tuple(CATEGORY_FILTERS)


class RankingError(ValueError):
    """A ranking request that cannot be done as asked; the message says why."""


@dataclass(frozen=True)
class Rankings:
    """Per category: a Bradley–Terry board and/or a TrueSkill replay (None if not asked for)."""

    votes: int
    bt: dict[str, BTLeaderboard] | None
    trueskill: dict[str, TrueSkillReplay] | None


def rank_votes(
    votes: VoteColumns,
    *,
    method: str = "both",
    categories: Sequence[str] = ("overall",),
    bootstrap: int = 1000,
    intervals: str | None = None,
    seed: int = 0,
    min_votes: int = 100,
    anchor: tuple[str, float] | None = None,
    trueskill: TrueSkillParams | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
) -> Rankings:
    """intervals: the BT 95% intervals, "bootstrap" (`bootstrap` resamples), "sandwich" or
    "reweighted" (LMArena's inverse-frequency-weighted fit and its sandwich interval; its ratings
    differ too). None keeps the older rule: bootstrap, or sandwich when bootstrap is 0.
    workers > 1 runs the bootstrap in that many processes (identical results)."""
    if method not in METHODS:
        raise RankingError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if intervals is None:
        intervals = "bootstrap" if bootstrap > 0 else "sandwich"
    if intervals not in INTERVALS:
        raise RankingError(f"intervals must be one of {', '.join(INTERVALS)}, not {intervals!r}")
    if intervals == "bootstrap" and bootstrap < 1:
        raise RankingError("bootstrap intervals need at least one resample")
    unknown = [c for c in categories if c not in CATEGORY_FILTERS]
    if unknown:
        raise RankingError(f"unknown category {unknown[0]!r}: choose from {', '.join(CATEGORIES)}")
    if not votes.has_categories and any(c != "overall" for c in categories):
        raise RankingError("vote files carry no categories: only 'overall' can be ranked")
    if len(votes) == 0:
        raise RankingError("there are no counted votes to rank")
    masks = {c: CATEGORY_FILTERS[c](votes) for c in categories}
    bt = ts = None
    if method in ("bt", "both"):
        bt = fit_categories(
            votes.matches(), masks, bootstrap=max(bootstrap, 1), ci=intervals, seed=seed,
            min_votes=min_votes, anchor=anchor, progress=progress, workers=workers,
        )  # fmt: skip
    if method in ("trueskill", "both"):
        params = trueskill or TrueSkillParams()
        ts = {}
        for name, mask in masks.items():
            keep = np.ones(len(votes), dtype=bool) if mask is None else mask
            ts[name] = replay(
                params, votes.model_a[keep], votes.model_b[keep], votes.verdict[keep],
                len(votes.models), models=votes.models,
            )  # fmt: skip
    return Rankings(votes=len(votes), bt=bt, trueskill=ts)
