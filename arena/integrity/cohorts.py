"""Cohort monitors over recent votes: a model's vote velocity, its share of votes from new voters,
bursts from one IP prefix, and its win rate among new versus established voters.

Each monitor compares the latest window with a baseline and returns CohortAlert records for a
maintainer to look at; none of them changes a vote. One kind, the new-voter win shift, ties a
cohort of voters to a model's outcome: `cohort_vote_ids` names the votes it implicates, which
detection quarantines pending a maintainer's review. Times are Unix seconds, windows in hours.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from arena.domain.verdicts import score_a

HOUR = 3600.0
DEFAULT_Z = 4.0  # one-sided normal tail 3e-5: about one false alert a year per hourly monitor
BASELINE_HOURS = 7 * 24  # the week before the window
NEW_VOTER_HOURS = 24.0  # a voter first seen less than this before a vote is "new" at that vote
COHORT_WINDOW_HOURS = 24.0  # the window of the two new-voter monitors
MIN_COHORT_VOTES = 20  # votes each side of a proportion test needs
MIN_ACTIVE_WINDOWS = 6  # windows a prefix must have voted in to be its own baseline
POOLED_QUANTILE = 0.999  # a quiet prefix's window must exceed this share of active windows
VELOCITY, NEW_VOTER_SHARE, PREFIX_BURST, NEW_VOTER_WIN_SHIFT = (
    "velocity",
    "new_voter_share",
    "prefix_burst",
    "new_voter_win_shift",
)
# The alerts whose cohort is quarantined (pending review) when they fire: a new-voter cohort that
# scores a model differently from established voters in the same window. Velocity, the share of
# new voters and prefix bursts also follow a launch or a link shared in public, so they stay
# alerts for a maintainer to read.
QUARANTINING = frozenset({NEW_VOTER_WIN_SHIFT})


@dataclass(frozen=True)
class CohortAlert:
    kind: str  # one of the four monitor names above
    subject: str  # a model name, or an IP-prefix hash for prefix_burst
    statistic: float  # a z-score
    evidence: str


def _window_counts(
    times_by_key: Mapping[str, list[float]], now: float, window_hours: float, baseline_hours: float
) -> dict[str, tuple[int, float, float]]:
    """Per key: (votes in the window, mean and variance of counts per window-length bin over the
    baseline before it)."""
    return {key: (current, float(history.mean()), float(history.var()))
            for key, (current, history) in _histories(
                times_by_key, now, window_hours, baseline_hours).items()}  # fmt: skip


def _histories(
    times_by_key: Mapping[str, list[float]], now: float, window_hours: float, baseline_hours: float
) -> dict[str, tuple[int, np.ndarray]]:
    """Per key: (votes in the window, counts per window-length bin over the baseline)."""
    width = window_hours * HOUR
    bins = max(1, int(baseline_hours / window_hours))
    edges = now - width - width * np.arange(bins, -1, -1)
    result = {}
    for key, times in times_by_key.items():
        t = np.asarray(times)
        current = int(np.sum((t > now - width) & (t <= now)))
        result[key] = (current, np.histogram(t, bins=edges)[0])
    return result


def _burst_z(current: int, mean: float, variance: float) -> float:
    # Poisson at least (variance ≥ mean), and never below one vote² so a silent baseline does not
    # turn two votes into an alarm.
    return (current - mean) / math.sqrt(max(variance, mean, 1.0))


def vote_velocity(
    votes: Iterable,
    *,
    now: float,
    window_hours: float = 1.0,
    baseline_hours: float = BASELINE_HOURS,
    z: float = DEFAULT_Z,
) -> list[CohortAlert]:
    """Models whose votes in the last window exceed their baseline rate by z standard deviations
    (counts per window over the baseline period; variance at least the mean, as for Poisson)."""
    times: dict[str, list[float]] = defaultdict(list)
    for vote in votes:
        times[vote.model_a].append(vote.timestamp)
        times[vote.model_b].append(vote.timestamp)
    alerts = []
    for model, (current, mean, variance) in _window_counts(
        times, now, window_hours, baseline_hours
    ).items():
        score = _burst_z(current, mean, variance)
        if score >= z:
            alerts.append(
                CohortAlert(
                    VELOCITY, model, score,
                    f"{current} votes in the last {window_hours:g} h vs {mean:.1f} ± "
                    f"{math.sqrt(variance):.1f} per {window_hours:g} h over the previous "
                    f"{baseline_hours:g} h",
                )
            )  # fmt: skip
    return alerts


def prefix_bursts(
    votes: Iterable,
    *,
    now: float,
    window_hours: float = 1.0,
    baseline_hours: float = BASELINE_HOURS,
    z: float = DEFAULT_Z,
) -> list[CohortAlert]:
    """IP prefixes (caller-hashed, e.g. /24 or /48) whose votes in the last window exceed their
    baseline by z; the evidence names the model the burst voted for most.

    A prefix's baseline is its own history when it was active in at least MIN_ACTIVE_WINDOWS
    windows of the baseline period. A quieter one (a home connection: one person's evening of
    voting is its only activity) is measured against the windows in which any prefix voted at
    all, the arena's own record of what one prefix does: it must also exceed their
    POOLED_QUANTILE (counts per window are heavy-tailed, so a z-score alone would flag every
    sitting)."""
    votes = list(votes)
    times: dict[str, list[float]] = defaultdict(list)
    for vote in votes:
        if vote.ip_prefix_hash:
            times[vote.ip_prefix_hash].append(vote.timestamp)
    histories = _histories(times, now, window_hours, baseline_hours)
    active = np.concatenate([h[h > 0] for _, h in histories.values()] or [np.zeros(0)])
    pooled = (float(active.mean()), float(active.var())) if len(active) else (0.0, 0.0)
    ceiling = float(np.quantile(active, POOLED_QUANTILE)) if len(active) else 0.0
    alerts = []
    for prefix, (current, history) in histories.items():
        own = int(np.count_nonzero(history)) >= MIN_ACTIVE_WINDOWS
        mean, variance = (float(history.mean()), float(history.var())) if own else pooled
        score = _burst_z(current, mean, variance)
        if score < z or (not own and current <= ceiling):
            continue
        winners = Counter(
            _winner(v)
            for v in votes
            if v.ip_prefix_hash == prefix and now - window_hours * HOUR < v.timestamp <= now
        )
        winners.pop(None, None)
        favourite = ""
        if winners:
            model, won = winners.most_common(1)[0]
            favourite = f"; {won} of {current} went to {model}"
        alerts.append(
            CohortAlert(
                PREFIX_BURST, prefix, score,
                f"{current} votes in the last {window_hours:g} h vs {mean:.1f} per "
                f"{window_hours:g} h {'before' if own else 'from an active prefix'}{favourite}",
            )
        )  # fmt: skip
    return alerts


def _winner(vote) -> str | None:
    s = score_a(vote.verdict)
    return vote.model_a if s == 1.0 else vote.model_b if s == 0.0 else None


def first_seen_times(votes: Iterable) -> dict[str, float]:
    """Earliest vote per voter among `votes` (pass all-time first-seen times when you have them)."""
    first: dict[str, float] = {}
    for vote in votes:
        if vote.voter_id not in first or vote.timestamp < first[vote.voter_id]:
            first[vote.voter_id] = vote.timestamp
    return first


def _is_new(vote, first_seen: Mapping[str, float], new_voter_hours: float) -> bool:
    return vote.timestamp - first_seen.get(vote.voter_id, vote.timestamp) < new_voter_hours * HOUR


def two_proportion_z(successes_1: float, n_1: int, successes_2: float, n_2: int) -> float:
    """z of p₁ − p₂ with the pooled standard error (0.0 when it is undefined)."""
    if n_1 == 0 or n_2 == 0:
        return 0.0
    pooled = (successes_1 + successes_2) / (n_1 + n_2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_1 + 1 / n_2))
    return 0.0 if se == 0 else (successes_1 / n_1 - successes_2 / n_2) / se


def new_voter_share(
    votes: Sequence,
    *,
    now: float,
    first_seen: Mapping[str, float] | None = None,
    window_hours: float = COHORT_WINDOW_HOURS,
    new_voter_hours: float = NEW_VOTER_HOURS,
    min_votes: int = MIN_COHORT_VOTES,
    z: float = DEFAULT_Z,
) -> list[CohortAlert]:
    """Models whose votes in the window come from new voters more often than the other models'
    votes do (two-proportion z-test, model vs the rest)."""
    first_seen = first_seen if first_seen is not None else first_seen_times(votes)
    new: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for vote in votes:
        if not now - window_hours * HOUR < vote.timestamp <= now:
            continue
        is_new = _is_new(vote, first_seen, new_voter_hours)
        for model in (vote.model_a, vote.model_b):
            total[model] += 1
            new[model] += is_new
    all_new, all_total = sum(new.values()), sum(total.values())
    alerts = []
    for model, n in total.items():
        rest_n, rest_new = all_total - n, all_new - new[model]
        if n < min_votes or rest_n < min_votes:
            continue
        score = two_proportion_z(new[model], n, rest_new, rest_n)
        if score >= z:
            alerts.append(
                CohortAlert(
                    NEW_VOTER_SHARE, model, score,
                    f"{new[model]} of {n} votes from new voters vs {rest_new} of {rest_n} "
                    f"for the other models in the last {window_hours:g} h",
                )
            )  # fmt: skip
    return alerts


def new_voter_win_shift(
    votes: Sequence,
    *,
    now: float,
    first_seen: Mapping[str, float] | None = None,
    window_hours: float = COHORT_WINDOW_HOURS,
    new_voter_hours: float = NEW_VOTER_HOURS,
    min_votes: int = MIN_COHORT_VOTES,
    z: float = DEFAULT_Z,
) -> list[CohortAlert]:
    """Models whose score (wins + ½ ties) among new voters differs from that among established
    voters in the same window by |z| ≥ z (two-proportion z-test)."""
    first_seen = first_seen if first_seen is not None else first_seen_times(votes)
    points: dict[tuple[str, bool], list[float]] = defaultdict(list)
    for vote in votes:
        if not now - window_hours * HOUR < vote.timestamp <= now:
            continue
        is_new = _is_new(vote, first_seen, new_voter_hours)
        s = score_a(vote.verdict)
        points[vote.model_a, is_new].append(s)
        points[vote.model_b, is_new].append(1.0 - s)
    alerts = []
    for model in sorted({m for m, _ in points}):
        fresh, settled = points.get((model, True), []), points.get((model, False), [])
        if len(fresh) < min_votes or len(settled) < min_votes:
            continue
        score = two_proportion_z(sum(fresh), len(fresh), sum(settled), len(settled))
        if abs(score) >= z:
            alerts.append(
                CohortAlert(
                    NEW_VOTER_WIN_SHIFT, model, score,
                    f"scores {sum(fresh) / len(fresh):.0%} over {len(fresh)} votes of new voters "
                    f"vs {sum(settled) / len(settled):.0%} over {len(settled)} of established ones",
                )
            )  # fmt: skip
    return alerts


def monitor_cohorts(
    votes: Sequence, *, now: float, first_seen: Mapping[str, float] | None = None
) -> list[CohortAlert]:
    """All four monitors with their defaults, strongest alerts first."""
    votes = list(votes)
    first_seen = first_seen if first_seen is not None else first_seen_times(votes)
    alerts = [
        *vote_velocity(votes, now=now),
        *prefix_bursts(votes, now=now),
        *new_voter_share(votes, now=now, first_seen=first_seen),
        *new_voter_win_shift(votes, now=now, first_seen=first_seen),
    ]
    return sorted(alerts, key=lambda a: (-abs(a.statistic), a.kind, a.subject))


def cohort_vote_ids(
    votes: Iterable,
    alert: CohortAlert,
    *,
    now: float,
    first_seen: Mapping[str, float],
    window_hours: float = COHORT_WINDOW_HOURS,
    new_voter_hours: float = NEW_VOTER_HOURS,
) -> list[int]:
    """The ids of the votes a model's alert implicates, sorted: cast in the alert's window by a
    voter new at that vote, in a battle of the alert's model (the cohort its test compared), that
    moved the model the way the test saw the cohort move it: a win for the model when new voters
    score it higher than established ones, a loss when lower. A tie, or a vote the other way, is
    no part of the shift: held too, it only held honest new voters' votes (a rigged cohort votes
    its model up or down, and mimics vote honestly elsewhere)."""
    model = alert.subject
    pushed = 1.0 if alert.statistic > 0 else 0.0
    return sorted(
        vote.vote_id
        for vote in votes
        if model in (vote.model_a, vote.model_b)
        and now - window_hours * HOUR < vote.timestamp <= now
        and _is_new(vote, first_seen, new_voter_hours)
        and _score_of(model, vote) == pushed
    )


def _score_of(model: str, vote) -> float:
    """What the vote gave `model`: 1 a win, 0 a loss, ½ a tie."""
    s = score_a(vote.verdict)
    return s if vote.model_a == model else 1.0 - s
