"""TrueSkill for the live arena: an explicit parameter object and the per-vote update.

Named so it never shadows the `trueskill` package, which does the math here through an explicit
`trueskill.TrueSkill` environment (never the package's global one). A tie and "both bad" are both
draws. Fast replay of many votes lives in ratings.trueskill_replay.
"""

import functools
import math
from dataclasses import dataclass

import trueskill

from ratings.outcomes import A_BETTER, B_BETTER, to_verdict_code

DEFAULT_MU = 25.0
DEFAULT_SIGMA = DEFAULT_MU / 3  # prior uncertainty: μ ± 3σ spans 0..50
DEFAULT_BETA = DEFAULT_SIGMA / 2  # skill gap giving ~76% win chance
DEFAULT_TAU = DEFAULT_SIGMA / 100  # drift added before each vote, keeps σ from collapsing
# About 28% of arena votes are a tie or "both bad"; TrueSkill's draw_probability is the draw
# chance of two equal players, and the arena mostly pairs models of similar skill, so we use the
# observed share itself.
DEFAULT_DRAW_PROBABILITY = 0.28


@dataclass(frozen=True)
class TrueSkillParams:
    """TrueSkill settings, in TrueSkill points (μ starts at 25)."""

    mu: float = DEFAULT_MU
    sigma: float = DEFAULT_SIGMA
    beta: float = DEFAULT_BETA
    tau: float = DEFAULT_TAU
    draw_probability: float = DEFAULT_DRAW_PROBABILITY

    def environment(self) -> trueskill.TrueSkill:
        """A fresh explicit trueskill environment with these settings."""
        return trueskill.TrueSkill(
            mu=self.mu,
            sigma=self.sigma,
            beta=self.beta,
            tau=self.tau,
            draw_probability=self.draw_probability,
        )

    def draw_margin(self) -> float:
        """Performance gap below which a 1-vs-1 vote is a draw (the package's own formula)."""
        return trueskill.calc_draw_margin(self.draw_probability, 2, env=self.environment())

    def initial(self) -> "Skill":
        """The skill of a model that has no votes yet."""
        return Skill(self.mu, self.sigma)


@dataclass(frozen=True)
class Skill:
    """A model's TrueSkill belief: mean mu and standard deviation sigma (TrueSkill points)."""

    mu: float
    sigma: float

    @property
    def conservative(self) -> float:
        """mu − 3·sigma: a skill the model very likely exceeds; what leaderboards sort by."""
        return self.mu - 3.0 * self.sigma


def rate_vote(params: TrueSkillParams, a: Skill, b: Skill, verdict: str) -> tuple[Skill, Skill]:
    """Skills of sides A and B after one vote (UnknownVerdict for a word not in VERDICTS).

    The 1-vs-1 update in closed form, with the package's own v/w functions and normal
    approximations: equal to `trueskill.rate_1vs1` (the tests hold it to 1e-12), without building
    its factor graph on every vote (it was about half the cost of storing a vote)."""
    code = to_verdict_code(verdict)
    if code == B_BETTER:
        new_b, new_a = _rate_1vs1(params, b, a, drawn=False)
    else:
        new_a, new_b = _rate_1vs1(params, a, b, drawn=code != A_BETTER)
    return new_a, new_b


@functools.lru_cache(maxsize=8)
def _environment(params: TrueSkillParams) -> tuple[trueskill.TrueSkill, float]:
    return params.environment(), params.draw_margin()


def _rate_1vs1(params: TrueSkillParams, first: Skill, second: Skill, *, drawn: bool):
    """(first, second) after `first` beat `second`, or after a draw. Units: TrueSkill points."""
    env, margin = _environment(params)
    var1 = first.sigma**2 + params.tau**2  # the dynamics factor: skills drift before each game
    var2 = second.sigma**2 + params.tau**2
    c2 = var1 + var2 + 2 * params.beta**2
    c = math.sqrt(c2)
    t, eps = (first.mu - second.mu) / c, margin / c
    if drawn:
        v, w = env.v_draw(t, eps), env.w_draw(t, eps)
    else:
        v, w = env.v_win(t, eps), env.w_win(t, eps)
    return (
        Skill(first.mu + var1 / c * v, math.sqrt(var1 * (1 - var1 / c2 * w))),
        Skill(second.mu - var2 / c * v, math.sqrt(var2 * (1 - var2 / c2 * w))),
    )
