"""TrueSkill for the live arena: an explicit parameter object and the per-vote update.

Named so it never shadows the `trueskill` package, which does the math here through an explicit
`trueskill.TrueSkill` environment (never the package's global one). A tie and "both bad" are both
draws. Fast replay of many votes lives in ratings.trueskill_replay.
"""

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
    """Skills of sides A and B after one vote (UnknownVerdict for a word not in VERDICTS)."""
    code = to_verdict_code(verdict)
    env = params.environment()
    ra, rb = env.create_rating(a.mu, a.sigma), env.create_rating(b.mu, b.sigma)
    if code == A_BETTER:
        ra, rb = trueskill.rate_1vs1(ra, rb, env=env)
    elif code == B_BETTER:
        rb, ra = trueskill.rate_1vs1(rb, ra, env=env)
    else:
        ra, rb = trueskill.rate_1vs1(ra, rb, drawn=True, env=env)
    return Skill(ra.mu, ra.sigma), Skill(rb.mu, rb.sigma)
