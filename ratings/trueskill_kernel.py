"""The TrueSkill replay loop, compiled: every vote in order through the closed-form 1-vs-1
update of `rate_vote`, with the package's own v/w functions and its default backend's normal
cdf/pdf (its erfc approximation, operation by operation), so a replay equals a
`trueskill.rate_1vs1` loop to rounding.

numba is the one compiled dependency of `ratings/`: numpy's per-call cost held a vectorised
replay (votes in waves, a model at most once per wave) to ~40x the package loop at 10M votes, short
of the 50x asked; compiled, a vote costs tens of nanoseconds. The machine code is cached on disk
beside this file, so only the first replay on a machine compiles (~2 s).
"""

import math

from numba import njit

from ratings.outcomes import A_BETTER, B_BETTER

_W_MAX = 1.0 - 1e-12  # where the package raises FloatingPointError, replay clips w here
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_SQRT2 = math.sqrt(2)


@njit(cache=True, inline="always")
def _erfc(x: float) -> float:
    """The trueskill package's erfc (Numerical Recipes' erfcc), its own operations in its order."""
    z = abs(x)
    t = 1.0 / (1.0 + z / 2.0)
    r = t * math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (
        0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (
            0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
                -0.82215223 + t * 0.17087277)))))))))  # fmt: skip
    return 2.0 - r if x < 0 else r


@njit(cache=True, inline="always")
def _cdf(x: float) -> float:
    return 0.5 * _erfc(-x / _SQRT2)


@njit(cache=True, inline="always")
def _pdf(x: float) -> float:
    return _INV_SQRT_2PI * math.exp(-(x**2 / 2))


@njit(cache=True, nogil=True)
def replay_votes(a, b, code, mu, sigma, tau2, two_beta2, margin) -> int:
    """Apply votes (a, b, code) [n] in order to mu, sigma [n_models] in place; returns how many
    votes had w outside (0, 1), where the package would raise and replay clips instead."""
    clipped = 0
    for k in range(len(code)):
        if code[k] == B_BETTER:  # the package rates (winner, loser), or (a, b) for a draw
            first, second = b[k], a[k]
        else:
            first, second = a[k], b[k]
        drawn = code[k] != A_BETTER and code[k] != B_BETTER
        var1 = sigma[first] ** 2 + tau2  # the dynamics factor: skills drift before each game
        var2 = sigma[second] ** 2 + tau2
        c2 = var1 + var2 + two_beta2
        c = math.sqrt(c2)
        t, eps = (mu[first] - mu[second]) / c, margin / c
        if drawn:
            x, y = eps - abs(t), -eps - abs(t)
            denom = _cdf(x) - _cdf(y)
            v = (_pdf(y) - _pdf(x)) / denom if denom else x
            v_signed = -v if t < 0 else v
            w = v * v + (x * _pdf(x) - y * _pdf(y)) / denom if denom else math.nan
            v = v_signed
        else:
            x = t - eps
            denom = _cdf(x)
            v = _pdf(x) / denom if denom else -x
            w = v * (v + x)
        if not 0 < w < 1:
            clipped += 1
            w = _W_MAX if not w <= _W_MAX else max(w, 0.0)  # NaN counts as w_max
        mu[first] += var1 / c * v
        mu[second] -= var2 / c * v
        sigma[first] = math.sqrt(var1 * (1 - var1 / c2 * w))
        sigma[second] = math.sqrt(var2 * (1 - var2 / c2 * w))
    return clipped
