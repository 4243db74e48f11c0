"""Cohort monitors on a simulated week of steady traffic, then with one attack added at a time."""

from dataclasses import replace

import numpy as np
import pytest

from arena.integrity.cohorts import (
    NEW_VOTER_SHARE,
    NEW_VOTER_WIN_SHIFT,
    PREFIX_BURST,
    QUARANTINING,
    VELOCITY,
    cohort_vote_ids,
    first_seen_times,
    monitor_cohorts,
    new_voter_share,
    new_voter_win_shift,
    prefix_bursts,
    two_proportion_z,
    vote_velocity,
)
from arena.integrity.votes import VoteRecord, win_probability

HOUR = 3600.0
NOW = 1_700_000_000.0
MODELS = [f"model-{i}" for i in range(10)]
RATINGS = dict(zip(MODELS, np.linspace(900.0, 1200.0, 10), strict=True))


def steady_week(seed: int = 0, per_hour: float = 40.0) -> tuple[list[VoteRecord], dict]:
    """Eight days of honest votes: 1,500 established voters, a trickle of new ones, 300 prefixes."""
    rng = np.random.default_rng(seed)
    n = rng.poisson(per_hour * 24 * 8)
    times = np.sort(rng.uniform(NOW - 8 * 24 * HOUR, NOW, n))
    first_seen = {f"old-{i}": NOW - 90 * 24 * HOUR for i in range(1500)}
    votes = []
    for k, t in enumerate(times):
        if rng.random() < 0.1:
            voter = f"new-{k}"
            first_seen[voter] = t
        else:
            voter = f"old-{rng.integers(1500)}"
        a, b = rng.choice(10, 2, replace=False)
        p = win_probability(RATINGS[MODELS[a]], RATINGS[MODELS[b]])
        verdict = "tie" if rng.random() < 0.1 else ("a_better" if rng.random() < p else "b_better")
        prefix = f"prefix-{rng.integers(300)}"
        votes.append(VoteRecord(voter, MODELS[a], MODELS[b], verdict, float(t), "", prefix))
    return votes, first_seen


def sybil_votes(target: str, n: int, *, prefix: str, minutes: float = 50.0, seed: int = 1):
    """n fresh cookies from one prefix, each voting once for `target` in the last `minutes`."""
    rng = np.random.default_rng(seed)
    votes = []
    for k in range(n):
        opponent = MODELS[(MODELS.index(target) + 1 + rng.integers(9)) % 10]
        t = NOW - rng.uniform(0, minutes * 60)
        votes.append(VoteRecord(f"sybil-{k}", target, opponent, "a_better", t, "", prefix))
    return votes


@pytest.fixture(scope="module")
def week():
    return steady_week()


def test_a_steady_week_raises_no_alert(week):
    votes, first_seen = week
    assert monitor_cohorts(votes, now=NOW, first_seen=first_seen) == []


def test_a_burst_of_votes_on_one_model_raises_a_velocity_alert(week):
    votes, _ = week
    alerts = vote_velocity(votes + sybil_votes("model-2", 60, prefix="p-x"), now=NOW)
    strongest = max(alerts, key=lambda a: a.statistic)
    # Its opponents also meet more often than usual, but far less than the target.
    assert (strongest.kind, strongest.subject) == (VELOCITY, "model-2")
    assert strongest.statistic >= 2 * max(a.statistic for a in alerts if a is not strongest)


def test_a_burst_from_one_prefix_names_the_prefix_and_the_model_it_favoured(week):
    votes, _ = week
    (alert,) = prefix_bursts(votes + sybil_votes("model-4", 25, prefix="p-attack"), now=NOW)
    assert (alert.kind, alert.subject) == (PREFIX_BURST, "p-attack")
    assert "25 of 25 went to model-4" in alert.evidence


def test_fresh_cookies_voting_for_one_model_raise_new_voter_share_and_win_shift(week):
    votes, first_seen = week
    sybils = sybil_votes("model-1", 80, prefix="p-y", minutes=20 * 60)
    seen = {**first_seen, **first_seen_times(sybils)}
    share = new_voter_share(votes + sybils, now=NOW, first_seen=seen)
    assert [(a.kind, a.subject) for a in share] == [(NEW_VOTER_SHARE, "model-1")]
    shift = new_voter_win_shift(votes + sybils, now=NOW, first_seen=seen)
    assert [(a.kind, a.subject) for a in shift] == [(NEW_VOTER_WIN_SHIFT, "model-1")]
    assert shift[0].statistic > 4.0


def test_everything_together_sorts_the_strongest_alert_first(week):
    votes, first_seen = week
    sybils = sybil_votes("model-1", 80, prefix="p-y", minutes=50)
    alerts = monitor_cohorts(
        votes + sybils, now=NOW, first_seen={**first_seen, **first_seen_times(sybils)}
    )
    assert {a.kind for a in alerts} == {
        VELOCITY,
        PREFIX_BURST,
        NEW_VOTER_SHARE,
        NEW_VOTER_WIN_SHIFT,
    }
    assert [abs(a.statistic) for a in alerts] == sorted(
        (abs(a.statistic) for a in alerts), reverse=True
    )


def honest_sittings(days: int = 8, per_day: int = 6, seed: int = 3) -> list[VoteRecord]:
    """One person at a time voting 20–40 times within an hour, from a prefix of their own that
    is otherwise quiet, a few times a day; the last one inside the latest hour."""
    rng = np.random.default_rng(seed)
    votes = []
    starts = list(NOW - rng.uniform(2 * HOUR, days * 24 * HOUR, days * per_day)) + [
        NOW - 0.9 * HOUR
    ]
    for k, start in enumerate(starts):
        for _ in range(rng.integers(20, 41)):
            a, b = rng.choice(10, 2, replace=False)
            verdict = ("a_better", "b_better", "tie")[rng.integers(3)]
            t = float(start + rng.uniform(0, 0.85 * HOUR))
            votes.append(
                VoteRecord(f"sitter-{k}", MODELS[a], MODELS[b], verdict, t, "", f"home-{k}")
            )
    return votes


def test_an_honest_sitting_from_a_quiet_prefix_is_measured_against_the_arenas_prefixes(week):
    # Regression (attack simulation control): a quiet /24 has no history of its own, so one
    # person's evening of voting was a burst. With too little history a prefix is measured
    # against the pooled rate of active prefixes, sittings included.
    votes, _ = week
    sittings = honest_sittings()
    assert prefix_bursts(votes + sittings, now=NOW) == []
    attack = sybil_votes("model-4", 150, prefix="p-attack")
    (alert,) = prefix_bursts(votes + sittings + attack, now=NOW)
    assert alert.subject == "p-attack" and "150 of 150 went to model-4" in alert.evidence


def test_a_silent_baseline_needs_more_than_a_couple_of_votes_to_alarm():
    quiet = [VoteRecord("v", "model-0", "model-1", "tie", NOW - 60, "", "p") for _ in range(3)]
    assert vote_velocity(quiet, now=NOW) == []
    assert prefix_bursts(quiet, now=NOW) == []


def test_first_seen_defaults_to_the_earliest_vote_given():
    votes = [VoteRecord("a", "m", "n", "tie", 5.0), VoteRecord("a", "m", "n", "tie", 2.0)]
    assert first_seen_times(votes) == {"a": 2.0}


def test_two_proportion_z_matches_a_hand_computation():
    # p1 = 0.6 (60/100), p2 = 0.4 (40/100), pooled 0.5, se = sqrt(0.25 * 0.02) = 0.0707
    assert two_proportion_z(60, 100, 40, 100) == pytest.approx(2.828, abs=1e-3)
    assert two_proportion_z(0, 0, 5, 10) == 0.0
    assert two_proportion_z(10, 10, 10, 10) == 0.0


def shift_on_model_3(week):
    """(the week's votes, 40 sybil votes for model-3 from new voters, first-seen times, the
    win-shift alert they raise on model-3), every vote with an id."""
    votes, seen = week
    votes = [replace(v, vote_id=k) for k, v in enumerate(votes, start=1)]
    sybils = [replace(v, vote_id=10**6 + k)
              for k, v in enumerate(sybil_votes("model-3", 40, prefix="p-y"))]  # fmt: skip
    seen = {**seen, **first_seen_times(sybils)}
    everything = votes + sybils
    [alert] = [a for a in new_voter_win_shift(everything, now=NOW, first_seen=seen)
               if a.subject == "model-3"]  # fmt: skip
    return votes, sybils, seen, alert


def test_a_win_shift_implicates_the_new_voters_votes_on_its_model_in_its_window(week):
    votes, sybils, seen, alert = shift_on_model_3(week)
    everything = votes + sybils
    assert alert.kind in QUARANTINING
    implicated = cohort_vote_ids(everything, alert, now=NOW, first_seen=seen)
    assert {v.vote_id for v in sybils} <= set(implicated)
    honest = [v for v in votes if v.vote_id in set(implicated)]
    assert honest, "new honest voters on model-3 that day are in the cohort too"
    assert all(v.voter_id.startswith("new-") and "model-3" in (v.model_a, v.model_b)
               and v.timestamp > NOW - 24 * HOUR for v in honest)  # fmt: skip
    assert len(honest) < 0.02 * len(votes), "and nothing else"
    assert implicated == sorted(implicated)


def test_a_win_shift_holds_only_the_votes_that_moved_its_model_its_way(week):
    """The sybils vote model-3 up: their cohort is the new voters' wins for model-3, not the
    honest new voters' losses and ties on it, which only pulled the other way."""
    votes, sybils, seen, alert = shift_on_model_3(week)
    everything = votes + sybils
    implicated = set(cohort_vote_ids(everything, alert, now=NOW, first_seen=seen))
    assert {v.vote_id for v in sybils} <= implicated
    other_way = [v for v in votes if v.voter_id.startswith("new-") and v.timestamp > NOW - 24 * HOUR
                 and "model-3" in (v.model_a, v.model_b) and _won("model-3", v) < 1.0]  # fmt: skip
    assert other_way, "honest new voters voted model-3 down or even that day"
    assert not implicated & {v.vote_id for v in other_way}
    down = replace(alert, statistic=-alert.statistic)  # a cohort that voted it down: its losses
    held = set(cohort_vote_ids(everything, down, now=NOW, first_seen=seen))
    assert held and not held & {v.vote_id for v in sybils}
    assert all(_won("model-3", v) == 0.0 for v in everything if v.vote_id in held)


def _won(model, vote) -> float:
    s = {"a_better": 1.0, "b_better": 0.0}.get(vote.verdict, 0.5)
    return s if vote.model_a == model else 1.0 - s
