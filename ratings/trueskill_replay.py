"""Fast exact TrueSkill replay of a vote history: the closed-form 1-vs-1 update, vectorised.

Votes run in waves in which each model appears at most once, so every model sees its votes in
the original order and the result equals a `trueskill.rate_1vs1` loop (to rounding). The normal
cdf/pdf mirror the package's default backend (its erfc approximation) operation by operation.
"""

import math
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ratings.matches import matches_from_records
from ratings.outcomes import A_BETTER, B_BETTER, VERDICTS
from ratings.trueskill_ratings import Skill, TrueSkillParams

_SQRT2 = math.sqrt(2)
_CHUNK = 1_000_000  # votes converted to Python ints at a time while scheduling waves
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


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
    var = np.full(n_models, float(params.sigma) ** 2)
    clipped = _run_waves(params, a, b, code, mu, var)
    names = tuple(models) if models is not None else tuple(str(i) for i in range(n_models))
    return TrueSkillReplay(names, mu, np.sqrt(var), *counts, clipped=clipped)


def replay_records(params: TrueSkillParams, records: Iterable[Any]) -> TrueSkillReplay:
    """Replay records (model_a, model_b, verdict) given as tuples, dicts or objects, in order."""
    matches = matches_from_records(records)
    return replay(
        params,
        matches.model_a,
        matches.model_b,
        matches.verdict,
        len(matches.models),
        matches.models,
    )


def wave_numbers(first: np.ndarray, second: np.ndarray, n_models: int) -> np.ndarray:
    """int [n]: the earliest wave (from 1) of each vote such that a model's votes keep their order."""
    last = [0] * n_models
    waves = array("q")  # 8 bytes a vote, where a list of Python ints would take 36
    append = waves.append
    for start in range(0, len(first), _CHUNK):
        stop = start + _CHUNK
        for i, j in zip(first[start:stop].tolist(), second[start:stop].tolist(), strict=True):
            wave = (last[i] if last[i] > last[j] else last[j]) + 1
            last[i] = last[j] = wave
            append(wave)
    return np.frombuffer(waves, dtype=np.int64)


def _run_waves(params, a, b, code, mu, var) -> int:
    """Apply every vote to mu, var [n_models] in place, wave by wave; returns the clipped count.

    Per wave the update runs on whole arrays. numpy's per-call cost, not arithmetic, dominates,
    so decisive votes and draws share one evaluation: each vote is a truncated normal between
    two points A > B (B = −∞ for a decisive vote), which gives the package's formulas for both.
    """
    if len(a) == 0:
        return 0
    waves = wave_numbers(a, b, len(mu))
    order = np.argsort(waves, kind="stable")
    sizes = np.bincount(waves)[1:]  # every wave from 1 to the last holds at least one vote
    del waves
    a, b, code = a[order], b[order], code[order]
    del order
    # the package rates (winner, loser), or (a, b) for a draw
    b_won = code == B_BETTER
    first, second = np.where(b_won, b, a), np.where(b_won, a, b)
    is_draw = (code != A_BETTER) & ~b_won
    del a, b, code, b_won
    ends = np.cumsum(sizes)
    starts = ends - sizes
    # models of each wave as one slice [2·start, 2·end): its first sides, then its second sides
    models_of = np.empty(2 * len(first), dtype=np.int32)
    vote = np.arange(len(first))
    models_of[np.repeat(starts, sizes) + vote] = first
    models_of[np.repeat(ends, sizes) + vote] = second
    del vote
    bounds = [*starts.tolist(), len(first)]
    # per vote constants: is draw, is decisive, q (+1 decisive, −1 draw), B's push
    draw_flag = is_draw.astype(np.float32)
    decisive_flag = 1 - draw_flag
    q = (1 - 2 * is_draw.astype(np.int8)).astype(np.int8)
    push = np.where(is_draw, 0.0, _FAR)
    # numpy scalars: mixing them with arrays is cheaper per call than mixing Python floats
    f64 = np.float64
    tau2, two_beta2, margin = f64(params.tau**2), f64(2 * params.beta**2), f64(params.draw_margin())
    one, zero, minus_one, w_max = f64(1.0), f64(0.0), f64(-1.0), f64(_W_MAX)
    raw_w = np.empty(len(first))
    sqrt, copysign, fmin, fmax, empty = np.sqrt, np.copysign, np.fmin, np.fmax, np.empty
    subtract, add, negative = np.subtract, np.add, np.negative
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        n = hi - lo
        models = models_of[2 * lo : 2 * hi]
        m = mu[models]
        v2 = var[models]
        v2 += tau2
        sides = v2.reshape(2, n)
        c2 = sides[0] + sides[1]
        c2 += two_beta2
        c = sqrt(c2)
        t = m[:n] - m[n:]
        t /= c
        eps = margin / c
        dq = q[lo:hi]
        sign = copysign(one, t * draw_flag[lo:hi] + decisive_flag[lo:hi])  # draws: sign of t
        u = sign * t
        points = empty(2 * n)
        a, b = points[:n], points[n:]
        subtract(u, eps, out=a)
        a *= dq
        add(eps, u, out=b)
        b += push[lo:hi]
        negative(b, out=b)
        cdf, pdf = _cdf_pdf(points)
        denom = cdf[:n] - cdf[n:]
        pdf_a, pdf_b = pdf[:n], pdf[n:]
        ratio = pdf_a - pdf_b  # minus the truncated-normal ratio: v = q·sign·ratio
        ratio /= denom
        v = ratio * dq
        v *= sign
        w = a * pdf_a
        w -= b * pdf_b
        w /= denom
        w += ratio * ratio
        raw_w[lo:hi] = w
        w = fmax(fmin(w, w_max), zero)  # fmin also maps NaN to _W_MAX
        step = sides / c
        step *= v
        step[1] *= minus_one  # the first model gains what the second loses
        m += step.ravel()
        mu[models] = m
        shrink = sides / c2
        shrink *= w
        subtract(one, shrink, out=shrink)
        shrink *= sides
        var[models] = shrink.ravel()
    return int((~((raw_w > 0.0) & (raw_w < 1.0))).sum())


# The trueskill package's erfc approximation (Numerical Recipes' erfcc): erfc(z) for z >= 0 is
# t·exp(−z² + Σ_k C_k t^k), t = 1/(1 + z/2).
_ERFC_COEFFICIENTS = np.array(
    [
        -1.26551223,
        1.00002368,
        0.37409196,
        0.09678418,
        -0.18628806,
        0.27886807,
        -1.13520398,
        1.48851587,
        -0.82215223,
        0.17087277,
    ]
)
_FAR = 1e150  # stands in for infinity; its square still fits a float
_W_MAX = 1.0 - 1e-12  # where the package would raise FloatingPointError, replay clips w here
_HALF, _ONE = np.float64(0.5), np.float64(1.0)
_POWERS = np.arange(1.0, 10.0)
_T_SCALE = np.float64(0.5 / _SQRT2)
_INV_SQRT_2PI_F = np.float64(_INV_SQRT_2PI)


def _cdf_pdf(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The package's default-backend normal cdf and pdf at x.

    cdf(x) = erfc(−x/√2)/2 with its erfc approximation; the shared x²/2 saves numpy calls.
    """
    half_square = x * x
    half_square *= _HALF
    pdf = np.exp(-half_square)
    pdf *= _INV_SQRT_2PI_F
    t = np.abs(x)
    t *= _T_SCALE
    t += _ONE
    np.reciprocal(t, out=t)
    powers = np.exp(np.multiply.outer(np.log(t), _POWERS))  # t¹ … t⁹, fewer calls than Horner
    tail = powers @ _ERFC_COEFFICIENTS[1:]
    tail -= half_square
    tail += _ERFC_COEFFICIENTS[0]
    np.exp(tail, out=tail)
    tail *= t
    tail *= _HALF  # the lower tail: cdf for x <= 0
    cdf = _ONE - tail
    np.copyto(cdf, tail, where=x <= 0)
    return cdf, pdf


def _tally(a, b, code, n) -> tuple[np.ndarray, ...]:
    votes = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    a_won, b_won = code == A_BETTER, code == B_BETTER
    wins = np.bincount(a[a_won], minlength=n) + np.bincount(b[b_won], minlength=n)
    losses = np.bincount(b[a_won], minlength=n) + np.bincount(a[b_won], minlength=n)
    return votes, wins, votes - wins - losses, losses
