"""Fast exact TrueSkill replay of a vote history, equal to a `trueskill.rate_1vs1` loop.

The votes run in order through a compiled loop (ratings/trueskill_kernel.py).
"""

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ratings.matches import _fields
from ratings.outcomes import A_BETTER, B_BETTER, VERDICTS, to_verdict_code
from ratings.trueskill_ratings import Skill, TrueSkillParams


@dataclass(frozen=True, eq=False)
class TrueSkillReplay:
    """Skills after replaying n votes over `models` (arrays [n_models] in that order).

    mu, sigma: float TrueSkill points. votes, wins, ties, losses: int counts (ties include
    both_bad). clipped: votes so improbable that the package would raise FloatingPointError;
    replay clips the variance factor there instead.
    """

    models: tuple[str, ...]
    mu: np.ndarray
    sigma: np.ndarray
    votes: np.ndarray
    wins: np.ndarray
    ties: np.ndarray
    losses: np.ndarray
    clipped: int

    @property
    def conservative(self) -> np.ndarray:
        """float [n_models]: mu − 3·sigma."""
        return self.mu - 3.0 * self.sigma

    def skill(self, model: str) -> Skill:
        i = self.models.index(model)
        return Skill(float(self.mu[i]), float(self.sigma[i]))


def replay(
    params: TrueSkillParams,
    model_a: np.ndarray,
    model_b: np.ndarray,
    verdict: np.ndarray,
    n_models: int,
    models: Sequence[str] | None = None,
) -> TrueSkillReplay:
    """Replay votes in order from every model at params' prior.

    model_a, model_b: int [n] model indices (< n_models); verdict: int [n] codes into VERDICTS.
    """
    a = np.asarray(model_a, dtype=np.int32)
    b = np.asarray(model_b, dtype=np.int32)
    code = np.asarray(verdict, dtype=np.int8)
    if not len(a) == len(b) == len(code):
        raise ValueError("model_a, model_b and verdict must have the same length")
    if len(code) and (code.min() < 0 or code.max() >= len(VERDICTS)):
        raise ValueError(f"verdict codes must be 0..{len(VERDICTS) - 1}")
    counts = _tally(a, b, code, n_models)
    mu = np.full(n_models, float(params.mu))
    sigma = np.full(n_models, float(params.sigma))
    from ratings.trueskill_kernel import replay_votes  # numba loads only when a replay runs

    clipped = replay_votes(
        a, b, code, mu, sigma, float(params.tau) ** 2, 2 * float(params.beta) ** 2,
        float(params.draw_margin()),
    )  # fmt: skip
    names = tuple(models) if models is not None else tuple(str(i) for i in range(n_models))
    return TrueSkillReplay(names, mu, sigma, *counts, clipped=clipped)


def replay_records(params: TrueSkillParams, records: Iterable[Any]) -> TrueSkillReplay:
    """Replay records (model_a, model_b, verdict) given as tuples, dicts or objects, in order;
    models in the result sorted by name. Records stream: each is kept as 9 bytes, not as itself
    (a live table rebuilt from 10M stored votes)."""
    names: dict[str, int] = {}
    a, b, code = array("i"), array("i"), array("b")
    for record in records:
        model_a, model_b, verdict, _ = _fields(record)
        a.append(names.setdefault(model_a, len(names)))
        b.append(names.setdefault(model_b, len(names)))
        code.append(to_verdict_code(verdict))
    first, second = np.frombuffer(a, np.int32), np.frombuffer(b, np.int32)
    same = np.flatnonzero(first == second)
    listed = sorted(names)
    if len(same):
        raise ValueError(
            f"record {same[0]} has model {list(names)[first[same[0]]]!r} on both sides"
        )
    renumber = np.zeros(len(names), dtype=np.int32)
    renumber[[names[name] for name in listed]] = np.arange(len(listed), dtype=np.int32)
    return replay(params, renumber[first], renumber[second], np.frombuffer(code, np.int8),
                  len(listed), listed)  # fmt: skip


def _tally(a, b, code, n) -> tuple[np.ndarray, ...]:
    votes = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    a_won, b_won = code == A_BETTER, code == B_BETTER
    wins = np.bincount(a[a_won], minlength=n) + np.bincount(b[b_won], minlength=n)
    losses = np.bincount(b[a_won], minlength=n) + np.bincount(a[b_won], minlength=n)
    return votes, wins, votes - wins - losses, losses
