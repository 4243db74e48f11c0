"""The simulated world of the attack simulation: models with known true strengths, prompts, and how
honest, careless and attacking voters choose a verdict. Pure (no arena, no I/O); every choice
takes an explicit `random.Random`.

Ratings are on the snapshot's Elo scale: P(A beats B | decisive) = 1 / (1 + 10^((r_B − r_A)/400)).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

TIE_SHARE = 0.12  # honest votes that say "tie"
BOTH_BAD_SHARE = 0.05  # honest votes that say "both_bad": 17% non-decisive in all
STRATEGIES = ("target_only", "omnipresent", "demote_rival", "mimic")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class World:
    """models: best first; true_ratings: model -> true rating; target: the model attackers push
    up; rival: the model ranked just above the target (what demote-a-rival pushes down)."""

    models: tuple[str, ...]
    true_ratings: Mapping[str, float]
    target: str
    rival: str


def make_world(n_models: int = 20, gap: float = 20.0, target_rank: int = 11) -> World:
    """n_models evenly spaced `gap` rating points apart around 1000; the target at true rank
    `target_rank` (1 = best), the rival one place above it."""
    models = tuple(f"model-{i + 1:02d}" for i in range(n_models))
    middle = (n_models - 1) / 2
    ratings = {m: 1000.0 + gap * (middle - i) for i, m in enumerate(models)}
    return World(models, ratings, models[target_rank - 1], models[target_rank - 2])


def public_rival(target: str, public: Mapping[str, float]) -> str:
    """The model rated just above the target on the published board (the target's own rating
    plus the smallest margin); the best other model when the target leads."""
    above = [m for m in public if public[m] > public[target]]
    if not above:
        return max((m for m in public if m != target), key=lambda m: public[m])
    return min(above, key=lambda m: public[m])


def win_probability(rating_a: float, rating_b: float) -> float:
    return 1.0 / (1.0 + 10.0 ** ((rating_b - rating_a) / 400.0))


def bt_verdict(rng: random.Random, rating_a: float, rating_b: float) -> str:
    """An honest judgement: tie or both_bad at their shares, else Bradley–Terry on the ratings."""
    u = rng.random()
    if u < TIE_SHARE:
        return "tie"
    if u < TIE_SHARE + BOTH_BAD_SHARE:
        return "both_bad"
    return "a_better" if rng.random() < win_probability(rating_a, rating_b) else "b_better"


def careless_verdict(rng: random.Random) -> str:
    """A careless voter: ties at the honest shares, otherwise a coin flip."""
    u = rng.random()
    if u < TIE_SHARE:
        return "tie"
    if u < TIE_SHARE + BOTH_BAD_SHARE:
        return "both_bad"
    return "a_better" if rng.random() < 0.5 else "b_better"


class Prompts:
    """Varied prompts of 8–20 pseudo-words (3–8 random letters) from a fixed 5,000-word
    vocabulary: two draws share almost no character 3-grams, so only a deliberate repeat trips
    the duplicate-prompt gate."""

    def __init__(self, seed: int = 0, vocabulary: int = 5000):
        rng = random.Random(seed)
        self.words = [
            "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 8)))
            for _ in range(vocabulary)
        ]

    def draw(self, rng: random.Random) -> str:
        return " ".join(rng.choice(self.words) for _ in range(rng.randint(8, 20))) + "?"


def recognise(rng: random.Random, model: str, models: tuple[str, ...], accuracy: float) -> str:
    """The attacker's guess of which model wrote an answer: right with probability `accuracy`,
    otherwise one of the other models at random (a top-1 classifier over the roster)."""
    if rng.random() < accuracy:
        return model
    return rng.choice([m for m in models if m != model])


def attacker_verdict(
    strategy: str,
    seen_a: str,
    seen_b: str,
    *,
    world: World,
    public: Mapping[str, float],
    rng: random.Random,
) -> str | None:
    """What an attacker does with a battle it believes is (seen_a, seen_b); None = abandon it.

    target_only: vote for the target when it is on one side, else abandon.
    omnipresent: vote in every battle; for the target when seen, else against the model above the
      target on the public board (or, with none or both above, for the model rated further from
      the target), which lowers the target's neighbours above and keeps those below in place.
    demote_rival: vote against the rival when it is on one side, else abandon.
    mimic: vote in every battle as the public board predicts (Bradley–Terry on the published
      ratings, honest tie shares), except for the target, which always wins.
    `public` holds the published ratings the attacker reads (the last snapshot)."""
    target, rival = world.target, world.rival
    if seen_a == seen_b:  # a confused guess: look like an honest voter
        return bt_verdict(rng, public[seen_a], public[seen_b])
    if strategy == "target_only":
        return _for(seen_a, seen_b, target)
    if strategy == "demote_rival":
        return _against(seen_a, seen_b, rival)
    if strategy == "mimic":
        return _for(seen_a, seen_b, target) or bt_verdict(rng, public[seen_a], public[seen_b])
    if strategy == "omnipresent":
        chosen = _for(seen_a, seen_b, target)
        if chosen:
            return chosen
        above = [m for m in (seen_a, seen_b) if public[m] > public[target]]
        if len(above) == 1:
            return _against(seen_a, seen_b, above[0])
        far_a = abs(public[seen_a] - public[target]) >= abs(public[seen_b] - public[target])
        return "a_better" if far_a else "b_better"
    raise ValueError(f"unknown strategy {strategy!r}: choose from {', '.join(STRATEGIES)}")


def _for(seen_a: str, seen_b: str, model: str) -> str | None:
    return "a_better" if seen_a == model else "b_better" if seen_b == model else None


def _against(seen_a: str, seen_b: str, model: str) -> str | None:
    return "b_better" if seen_a == model else "a_better" if seen_b == model else None


def rank_of(model: str, ratings: Mapping[str, float]) -> int:
    """1 + the number of models rated strictly higher (1 = best)."""
    return 1 + sum(1 for r in ratings.values() if r > ratings[model])
