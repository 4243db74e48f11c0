"""Rate limits: battles per minute and counted votes per day, per voter and per IP hash."""

import pytest

from arena.domain.reasons import Reason
from arena.integrity.rate_limits import (
    Limits,
    VoterActivity,
    check_battle,
    check_vote,
    seconds_until_battle,
    seconds_until_vote,
)

NOW = 1_700_000_000.0
LIMITS = Limits(
    battles_per_minute_voter=3,
    battles_per_minute_ip=5,
    counted_votes_per_day_voter=4,
    counted_votes_per_day_ip=6,
    min_seconds_to_vote=3.0,
)


def test_a_fresh_voter_may_start_a_battle():
    assert check_battle(VoterActivity(), LIMITS, NOW) is None


def test_the_fourth_battle_within_a_minute_is_refused_for_the_voter():
    activity = VoterActivity(battle_starts_voter=[NOW - 50, NOW - 30, NOW - 1])
    assert check_battle(activity, LIMITS, NOW) == Reason.BATTLES_PER_MINUTE_VOTER


def test_battles_older_than_a_minute_no_longer_count():
    activity = VoterActivity(battle_starts_voter=[NOW - 60, NOW - 30, NOW - 1])
    assert check_battle(activity, LIMITS, NOW) is None


def test_many_cookies_behind_one_ip_hit_the_ip_limit():
    activity = VoterActivity(
        battle_starts_voter=[NOW - 5], battle_starts_ip=[NOW - i for i in range(5)]
    )
    assert check_battle(activity, LIMITS, NOW) == Reason.BATTLES_PER_MINUTE_IP


def test_the_wait_until_the_next_battle_is_when_enough_old_starts_leave_the_window():
    activity = VoterActivity(battle_starts_voter=[NOW - 50, NOW - 30, NOW - 1])
    wait = seconds_until_battle(activity, LIMITS, NOW)
    assert wait == pytest.approx(10.0)
    assert check_battle(activity, LIMITS, NOW + wait) is None
    assert check_battle(activity, LIMITS, NOW + wait - 0.5) == Reason.BATTLES_PER_MINUTE_VOTER
    assert seconds_until_battle(VoterActivity(), LIMITS, NOW) == 0.0


def test_a_limit_of_zero_blocks_for_ever():
    limits = Limits(battles_per_minute_voter=0)
    assert check_battle(VoterActivity(), limits, NOW) == Reason.BATTLES_PER_MINUTE_VOTER
    assert seconds_until_battle(VoterActivity(), limits, NOW) == float("inf")


def test_a_vote_before_the_answers_finished_or_too_soon_after_is_too_soon():
    assert check_vote(VoterActivity(), LIMITS, NOW) == Reason.VOTE_TOO_SOON
    soon = VoterActivity(answers_finished_at=NOW - 2.9)
    assert check_vote(soon, LIMITS, NOW) == Reason.VOTE_TOO_SOON
    assert check_vote(VoterActivity(answers_finished_at=NOW - 3.0), LIMITS, NOW) is None


@pytest.mark.parametrize("ago", [0.0, 0.5, 2.9, 3.0, 10.0])
def test_the_wait_until_a_vote_counts_is_the_rule_check_vote_applies(ago):
    """The page counts down with seconds_until_vote; check_vote refuses by the same rule."""
    activity = VoterActivity(answers_finished_at=NOW - ago)
    wait = seconds_until_vote(activity, LIMITS, NOW)
    assert wait == pytest.approx(max(0.0, 3.0 - ago))
    assert (check_vote(activity, LIMITS, NOW) is Reason.VOTE_TOO_SOON) == (wait > 0)
    assert check_vote(activity, LIMITS, NOW + wait) is None


def test_before_the_answers_finished_the_wait_is_unknown():
    assert seconds_until_vote(VoterActivity(), LIMITS, NOW) is None


def test_the_fifth_counted_vote_in_24_hours_does_not_count_for_the_voter():
    activity = VoterActivity(
        counted_votes_voter=[NOW - 80_000, NOW - 3_600, NOW - 60, NOW - 10],
        answers_finished_at=NOW - 20,
    )
    assert check_vote(activity, LIMITS, NOW) == Reason.VOTES_PER_DAY_VOTER
    assert check_vote(activity, LIMITS, NOW + 6_400.1) is None  # the oldest left the window


def test_the_ip_daily_limit_applies_across_cookies():
    activity = VoterActivity(
        counted_votes_voter=[NOW - 10], counted_votes_ip=[NOW - i * 100 for i in range(6)],
        answers_finished_at=NOW - 20,
    )  # fmt: skip
    assert check_vote(activity, LIMITS, NOW) == Reason.VOTES_PER_DAY_IP


def test_timestamps_in_the_future_are_ignored():
    activity = VoterActivity(battle_starts_voter=[NOW + 1, NOW + 2, NOW + 3])
    assert check_battle(activity, LIMITS, NOW) is None


def test_negative_limits_are_rejected():
    with pytest.raises(ValueError):
        Limits(counted_votes_per_day_ip=-1)
    with pytest.raises(ValueError):
        Limits(min_seconds_to_vote=-0.5)
