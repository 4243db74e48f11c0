"""Fast exact TrueSkill replay of a vote history, equal to a `trueskill.rate_1vs1` loop.

The votes run in order through a compiled loop (ratings/trueskill_kernel.py).
"""

from array import array
from collections.abc import Iterable, Mapping, Sequence
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
    return replay_named(
        params, np.frombuffer(a, np.int32), np.frombuffer(b, np.int32),
        np.frombuffer(code, np.int8), dict(enumerate(names)),
    )  # fmt: skip


def replay_named(
    params: TrueSkillParams,
    model_a: np.ndarray,
    model_b: np.ndarray,
    verdict: np.ndarray,
    names: Mapping[int, str],
) -> TrueSkillReplay:
    """Replay votes whose sides are keys of `names` (small non-negative integers, such as
    database ids), in order; the result lists the models that appear, sorted by name.

    model_a, model_b: int [n]; verdict: int [n] codes into VERDICTS."""
    a, b = np.asarray(model_a, dtype=np.int64), np.asarray(model_b, dtype=np.int64)
    same = np.flatnonzero(a == b)
    if len(same):
        raise ValueError(f"record {same[0]} has model {names[int(a[same[0]])]!r} on both sides")
    size = int(max(a.max(initial=-1), b.max(initial=-1))) + 1
    present = np.flatnonzero(np.bincount(a, minlength=size) + np.bincount(b, minlength=size))
    listed = sorted(names[k] for k in present.tolist())
    order = {name: i for i, name in enumerate(listed)}
    renumber = np.zeros(size, dtype=np.int32)
    renumber[present] = [order[names[k]] for k in present.tolist()]
    return replay(params, renumber[a], renumber[b], verdict, len(listed), listed)


def _tally(a, b, code, n) -> tuple[np.ndarray, ...]:
    votes = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    a_won, b_won = code == A_BETTER, code == B_BETTER
    wins = np.bincount(a[a_won], minlength=n) + np.bincount(b[b_won], minlength=n)
    losses = np.bincount(b[a_won], minlength=n) + np.bincount(a[b_won], minlength=n)
    return votes, wins, votes - wins - losses, losses
