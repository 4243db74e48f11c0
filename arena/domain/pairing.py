"""Which two models meet next, and with what probability.

Policies: "uniform" (every pair alike), "weighted" (pair weight = product of the models' sampling
weights) and "uncertainty" (pairs whose outcome would teach the ratings most, from
`ratings.matchmaking`, mixed with a uniform floor so every pair keeps being sampled). The chosen
pair's probability is stored with the battle; which model sits on side A is a fair coin.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ratings.matchmaking import pair_probabilities
from ratings.trueskill_ratings import Skill, TrueSkillParams


class NotEnoughModels(Exception):
    """A battle needs two distinct models."""


@dataclass(frozen=True)
class Candidate:
    name: str
    weight: float = 1.0


@dataclass(frozen=True)
class PairChoice:
    model_a: str
    model_b: str
    probability: float  # probability of this unordered pair under the policy


class Pairing:
    def __init__(self, policy: str, *, floor: float, rng: random.Random):
        self.policy = policy
        self.floor = floor
        self.rng = rng

    def probabilities(
        self, candidates: Sequence[Candidate], skills: Mapping[str, Skill]
    ) -> dict[tuple[str, str], float]:
        """Probability of each unordered pair (names in candidate order); sums to 1."""
        names = [c.name for c in candidates]
        if len(set(names)) < 2:
            raise NotEnoughModels("the roster needs at least two models for a battle")
        default = TrueSkillParams().initial()
        probs = pair_probabilities(
            [skills.get(n, default) for n in names],
            policy=self.policy,
            floor=self.floor,
            weights=[c.weight for c in candidates],
        )
        return {
            (names[i], names[j]): float(p)
            for i, j, p in zip(probs.first, probs.second, probs.probability, strict=True)
        }

    def choose(self, candidates: Sequence[Candidate], skills: Mapping[str, Skill]) -> PairChoice:
        probs = self.probabilities(candidates, skills)
        pairs = list(probs)
        pair = self.rng.choices(pairs, weights=[probs[p] for p in pairs])[0]
        model_a, model_b = pair if self.rng.random() < 0.5 else pair[::-1]
        return PairChoice(model_a=model_a, model_b=model_b, probability=probs[pair])
