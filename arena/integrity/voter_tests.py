"""Per-voter anomaly tests against the last published snapshot's ratings (Elo scale): the Chatbot
Arena paper's sequential Fisher test, a likelihood z-score, and per-model favouritism; and the
same tests with the votes of one network (a pseudonymised IP, a /24 or /48 prefix) taken as one
voter, which no rotation of cookies escapes.

Every test is Bonferroni-corrected over everything it tested (voters × checkpoints, voters, or
voter–model pairs), so `alpha` bounds the chance that the test flags any honest voter at all.
Votes on models missing from the snapshot are skipped; ties and both_bad carry no evidence.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import chdtrc, ndtr

from arena.integrity.votes import VoteRecord, normal_density, win_probability, winner_loser

DEFAULT_ALPHA = 0.05  # family-wise error per test over the whole population
MIN_LIKELIHOOD_VOTES = 20  # decisive votes before the normal approximation is trusted
MIN_MODEL_VOTES = 10  # decisive votes with one model before favouritism is tested
FISHER, LIKELIHOOD, FAVOURITISM = "fisher", "likelihood", "favouritism"


@dataclass(frozen=True)
class VoterFlag:
    """One test that found a voter improbable under the snapshot's Bradley–Terry model.

    statistic: Fisher's X² at the flagged checkpoint, the likelihood z, or the favoured model's
    observed win rate. p_value: the raw p-value; tests: the Bonferroni family it belongs to. A
    voter is flagged when p_value × tests < alpha (pass alpha=inf to see every tested voter).
    """

    voter_id: str
    test: str
    statistic: float
    p_value: float
    evidence: str
    tests: int = 1

    @property
    def adjusted_p_value(self) -> float:
        return min(1.0, self.p_value * self.tests)


def checkpoints(n_votes: int) -> list[int]:
    """1, 2, 4, … up to n_votes, plus n_votes itself when it is not a power of two."""
    points = [2**k for k in range(int(math.log2(n_votes)) + 1)] if n_votes > 0 else []
    if n_votes > 0 and points[-1] != n_votes:
        points.append(n_votes)
    return points


def vote_p_value(vote, ratings: Mapping[str, float]) -> float:
    """The paper's per-vote p-value: P(the lower-rated model wins) when it won, else 1.

    Valid under the model (P(p ≤ x) ≤ x) and conservative: expected outcomes and ties give 1.
    """
    decided = winner_loser(vote)
    if decided is None:
        return 1.0
    winner, loser = decided
    p_win = win_probability(ratings[winner], ratings[loser])
    return p_win if p_win < 0.5 else 1.0


def _by_voter(votes: Iterable, ratings: Mapping[str, float]) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for vote in votes:
        if vote.model_a in ratings and vote.model_b in ratings:
            grouped[vote.voter_id].append(vote)
    for voter_votes in grouped.values():
        voter_votes.sort(key=lambda v: v.timestamp)
    return grouped


def vote_p_interval(vote, ratings: Mapping[str, float]) -> tuple[float, float]:
    """(lower, upper) of the per-vote p-value's support: the randomised p-value that would make
    the discrete one exactly uniform is uniform on this interval. An upset with probability q:
    (0, q]; the expected winner: (q, 1]; a tie or both_bad: (0, 1]."""
    decided = winner_loser(vote)
    if decided is None:
        return 0.0, 1.0
    winner, loser = decided
    p_win = win_probability(ratings[winner], ratings[loser])
    return (0.0, p_win) if p_win < 0.5 else (1.0 - p_win, 1.0)


def lancaster_term(lower: float, upper: float) -> float:
    """E[−2 log P] for P uniform on (lower, upper]: Lancaster's (1949) mean-value χ² for a discrete
    p-value, 2 − 2·(u log u − l log l)/(u − l). Exactly 2 on average under the null."""

    def x_log_x(x: float) -> float:
        return x * math.log(x) if x > 0 else 0.0

    return 2.0 - 2.0 * (x_log_x(upper) - x_log_x(lower)) / (upper - lower)


def fisher_flags(
    votes: Iterable, ratings: Mapping[str, float], *, alpha: float = DEFAULT_ALPHA
) -> list[VoterFlag]:
    """Chiang et al. 2024 §5.1: Fisher's X² = −2 Σ log p_i over a voter's first j votes (in time
    order), compared with χ²(2j) at every checkpoint j = 1, 2, 4, …, n.

    p_i is the paper's per-vote p-value (`vote_p_value`); because it is discrete (an expected
    outcome gives p = 1 and would add 2 degrees of freedom but nothing to X², leaving the test
    almost powerless), each −2 log p_i is replaced by Lancaster's mean-value term, which keeps
    the null mean at 2 per vote with a smaller variance than χ²(2), so χ²(2j) stays conservative.
    """
    per_voter = _by_voter(votes, ratings)
    tests = sum(len(checkpoints(len(v))) for v in per_voter.values())
    flags = []
    for voter_id, voter_votes in per_voter.items():
        intervals = [vote_p_interval(v, ratings) for v in voter_votes]
        statistic = np.cumsum([lancaster_term(lo, up) for lo, up in intervals])
        raw, j = min(
            (float(chdtrc(2 * j, statistic[j - 1])), j) for j in checkpoints(len(intervals))
        )
        if raw * tests < alpha:
            upsets = sum(lo == 0.0 and up < 0.5 for lo, up in intervals[:j])
            flags.append(
                VoterFlag(
                    voter_id, FISHER, float(statistic[j - 1]), raw,
                    f"after {j} votes: {upsets} upsets by the lower-rated model, "
                    f"X²={statistic[j - 1]:.1f} on {2 * j} df", tests,
                )
            )  # fmt: skip
    return flags


def log_likelihood_terms(probabilities: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, variance and third central moment [n] of log P(outcome) for decisive votes whose
    winner had win probability p. The outcome is Bernoulli(p), log P takes log p or log(1−p):
    mean p log p + (1−p) log(1−p), variance p(1−p)·L², third moment p(1−p)(1−2p)·L³,
    L = log(p/(1−p))."""
    p = np.clip(probabilities, 1e-12, 1 - 1e-12)
    spread = np.log(p / (1 - p))
    mean = p * np.log(p) + (1 - p) * np.log1p(-p)
    variance = p * (1 - p) * spread**2
    third = p * (1 - p) * (1 - 2 * p) * spread**3
    return mean, variance, third


def lower_tail(z: float, skewness: float) -> float:
    """P(Z ≤ z) for a standardised sum: the larger of the normal value and its one-term Edgeworth
    correction Φ(z) − φ(z)·γ/6·(z² − 1), so skew never makes the test less conservative."""
    normal = float(ndtr(z))
    edgeworth = normal - normal_density(z) * skewness / 6.0 * (z * z - 1.0)
    return min(1.0, max(normal, edgeworth))


def likelihood_flags(
    votes: Iterable,
    ratings: Mapping[str, float],
    *,
    alpha: float = DEFAULT_ALPHA,
    min_votes: int = MIN_LIKELIHOOD_VOTES,
) -> list[VoterFlag]:
    """z = (Σ log P(observed winner) − Σ mean) / √Σ variance over a voter's decisive votes; a
    voter whose choices the model finds too unlikely (z far below 0) is flagged. One-sided p-value
    from `lower_tail`; voters with fewer than min_votes decisive votes are not tested."""
    per_voter = {}
    for voter_id, voter_votes in _by_voter(votes, ratings).items():
        decided = [d for d in map(winner_loser, voter_votes) if d is not None]
        if len(decided) >= min_votes:
            per_voter[voter_id] = decided
    flags = []
    for voter_id, decided in per_voter.items():
        p_winner = np.array([win_probability(ratings[w], ratings[lo]) for w, lo in decided])
        mean, variance, third = log_likelihood_terms(p_winner)
        observed = float(np.sum(np.log(p_winner)))
        if variance.sum() <= 0:
            continue
        z = (observed - float(mean.sum())) / math.sqrt(float(variance.sum()))
        skewness = float(third.sum()) / float(variance.sum()) ** 1.5
        raw = lower_tail(z, skewness)
        if raw * len(per_voter) < alpha:
            flags.append(
                VoterFlag(
                    voter_id, LIKELIHOOD, z, raw,
                    f"{len(decided)} decisive votes: log-likelihood {observed:.1f} vs expected "
                    f"{mean.sum():.1f} ± {math.sqrt(variance.sum()):.1f}", len(per_voter),
                )
            )  # fmt: skip
    return flags


def favouritism_flags(
    votes: Iterable,
    ratings: Mapping[str, float],
    *,
    alpha: float = DEFAULT_ALPHA,
    min_model_votes: int = MIN_MODEL_VOTES,
) -> list[VoterFlag]:
    """For every voter and model with ≥ min_model_votes decisive votes involving the model: a
    two-sided binomial test of the model's wins against the mean of its win probabilities.

    The binomial with the mean probability is conservative for the Poisson-binomial truth (same
    mean, larger variance). A voter is flagged once, for its most significant model.
    """
    from scipy.stats import binomtest  # here: scipy.stats takes 0.6 s to import, for every command

    wins: dict[tuple[str, str], list[tuple[bool, float]]] = defaultdict(list)
    for voter_id, voter_votes in _by_voter(votes, ratings).items():
        for vote in voter_votes:
            decided = winner_loser(vote)
            if decided is None:
                continue
            winner, loser = decided
            p = win_probability(ratings[winner], ratings[loser])
            wins[voter_id, winner].append((True, p))
            wins[voter_id, loser].append((False, 1.0 - p))
    tested = {key: outcomes for key, outcomes in wins.items() if len(outcomes) >= min_model_votes}
    best: dict[str, VoterFlag] = {}
    for (voter_id, model), outcomes in tested.items():
        won = sum(w for w, _ in outcomes)
        n = len(outcomes)
        expected = float(np.mean([p for _, p in outcomes]))
        raw = float(binomtest(won, n, expected).pvalue)
        if raw * len(tested) < alpha and (voter_id not in best or raw < best[voter_id].p_value):
            direction = "for" if won / n > expected else "against"
            best[voter_id] = VoterFlag(
                voter_id, FAVOURITISM, won / n, raw,
                f"votes {direction} {model}: won {won} of {n} decisive votes, expected "
                f"{expected:.0%}", len(tested),
            )  # fmt: skip
    return list(best.values())


def flag_voters(
    votes: Sequence,
    ratings: Mapping[str, float],
    *,
    alpha: float = DEFAULT_ALPHA,
    min_votes: int = MIN_LIKELIHOOD_VOTES,
    min_model_votes: int = MIN_MODEL_VOTES,
) -> list[VoterFlag]:
    """All three tests; flags sorted by adjusted p-value (a voter may appear once per test)."""
    votes = list(votes)
    flags = [
        *fisher_flags(votes, ratings, alpha=alpha),
        *likelihood_flags(votes, ratings, alpha=alpha, min_votes=min_votes),
        *favouritism_flags(votes, ratings, alpha=alpha, min_model_votes=min_model_votes),
    ]
    return sorted(flags, key=lambda f: (f.adjusted_p_value, f.p_value, f.voter_id, f.test))


NETWORK_SCOPES = (("ip", "ip_hash"), ("prefix", "ip_prefix_hash"))  # scope, VoteRecord field


def flag_networks(
    votes: Sequence, ratings: Mapping[str, float], **options: float
) -> list[tuple[str, VoterFlag]]:
    """(scope, flag) for every pseudonymised IP ("ip") and network prefix ("prefix") whose votes,
    taken together as one voter's, fail a test of `flag_voters` (which takes `options`); each
    scope is its own Bonferroni family, and a flag's voter_id holds the network's hash. Votes
    without the field are left out."""
    found = []
    for scope, field in NETWORK_SCOPES:
        keyed = [VoteRecord(getattr(v, field), v.model_a, v.model_b, v.verdict, v.timestamp)
                 for v in votes if getattr(v, field, "")]  # fmt: skip
        found += [(scope, flag) for flag in flag_voters(keyed, ratings, **options)]
    return found
