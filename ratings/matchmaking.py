"""Which pair of models should meet next: TrueSkill match quality, expected information gain,
and the sampling probability of every unordered pair under a pairing policy."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr

from ratings.trueskill_ratings import Skill, TrueSkillParams

POLICIES = ("uniform", "weighted", "uncertainty")


@dataclass(frozen=True, eq=False)
class PairProbabilities:
    """Sampling distribution over the P = n(n−1)/2 unordered pairs of n models.

    first, second: int [P] model indices with first < second; probability: float [P], sums to 1.
    """

    first: np.ndarray
    second: np.ndarray
    probability: np.ndarray

    def sample(self, rng: np.random.Generator) -> tuple[int, int]:
        """One pair (first, second) drawn with these probabilities."""
        k = rng.choice(len(self.probability), p=self.probability)
        return int(self.first[k]), int(self.second[k])


def match_quality(params: TrueSkillParams, a: Skill, b: Skill) -> float:
    """TrueSkill's 1-vs-1 match quality (0..1, high when the outcome is most uncertain)."""
    env = params.environment()
    return float(
        env.quality_1vs1(env.create_rating(a.mu, a.sigma), env.create_rating(b.mu, b.sigma))
    )


def information_gain(
    params: TrueSkillParams,
    mu_a: ArrayLike,
    sigma_a: ArrayLike,
    mu_b: ArrayLike,
    sigma_b: ArrayLike,
) -> np.ndarray:
    """Expected drop in entropy (nats) of the two skill beliefs after one vote, per pair.

    Arguments are floats or equal-shape arrays (TrueSkill points). Averages, over the outcomes
    A wins, B wins and draw (TrueSkill's own probabilities), the Gaussian entropy reduction
    ½·ln(σ²_before/σ²_after) of both models.
    """
    var_a = np.asarray(sigma_a, float) ** 2 + params.tau**2
    var_b = np.asarray(sigma_b, float) ** 2 + params.tau**2
    c2 = 2 * params.beta**2 + var_a + var_b
    c = np.sqrt(c2)
    t = (np.asarray(mu_a, float) - np.asarray(mu_b, float)) / c
    eps = params.draw_margin() / c
    gain = np.zeros(np.broadcast(t, eps).shape)
    for p, w in (_decisive(t, eps), _decisive(-t, eps), _drawn(t, eps)):
        drop = -0.5 * (np.log1p(-var_a / c2 * w) + np.log1p(-var_b / c2 * w))
        gain += p * drop
    return gain


def pair_probabilities(
    skills: Sequence[Skill],
    policy: str = "uncertainty",
    floor: float = 0.1,
    *,
    weights: Sequence[float] | None = None,
    params: TrueSkillParams | None = None,
) -> PairProbabilities:
    """Probability of each unordered pair of the n models whose skills are given.

    policy "uniform": every pair alike; "weighted": pair ∝ weights[i]·weights[j] (per-model
    weights, e.g. to favour new models); "uncertainty": pair ∝ information_gain. floor in [0, 1]
    is the share of probability spread uniformly first, so every pair keeps at least floor/P.
    """
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {POLICIES}, got {policy!r}")
    if not 0.0 <= floor <= 1.0:
        raise ValueError("floor must be between 0 and 1")
    n = len(skills)
    if n < 2:
        raise ValueError("pairing needs at least two models")
    first, second = np.triu_indices(n, k=1)
    if policy == "uniform":
        score = np.ones(len(first))
    elif policy == "weighted":
        if weights is None or len(weights) != n:
            raise ValueError("policy 'weighted' needs one weight per model")
        w = np.asarray(weights, dtype=float)
        if (w < 0).any():
            raise ValueError("weights must not be negative")
        score = w[first] * w[second]
    else:
        mu = np.array([s.mu for s in skills])
        sigma = np.array([s.sigma for s in skills])
        score = information_gain(
            params or TrueSkillParams(), mu[first], sigma[first], mu[second], sigma[second]
        )
    uniform = np.full(len(first), 1.0 / len(first))
    total = score.sum()
    shaped = score / total if total > 0 else uniform
    return PairProbabilities(first, second, floor * uniform + (1.0 - floor) * shaped)


def _decisive(t, eps):
    """P(first side wins) and the variance factor w for that outcome (standard TrueSkill)."""
    x = t - eps
    p = ndtr(x)
    v = np.exp(-0.5 * x * x) / np.sqrt(2 * np.pi) / np.maximum(p, 1e-300)
    return p, np.clip(v * (v + x), 0.0, 1.0)


def _drawn(t, eps):
    a, b = eps - np.abs(t), -eps - np.abs(t)
    p = ndtr(a) - ndtr(b)
    pdf_a, pdf_b = (np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi) for z in (a, b))
    safe = np.maximum(p, 1e-300)
    v = (pdf_b - pdf_a) / safe
    return p, np.clip(v * v + (a * pdf_a - b * pdf_b) / safe, 0.0, 1.0)
