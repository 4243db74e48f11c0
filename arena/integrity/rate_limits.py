"""Rate limits on battles and counted votes, per voter cookie and per salted IP hash.

Pure: the caller reads the recent timestamps from storage and passes them in with `now`; windows
slide (the last 60 s, the last 24 h), so there is no day boundary or time zone to agree on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from arena.domain.reasons import Reason

MINUTE = 60.0
DAY = 86_400.0


@dataclass(frozen=True)
class Limits:
    battles_per_minute_voter: int = 6  # a battle takes well over 10 s to read and judge
    battles_per_minute_ip: int = 30  # one IP may be a campus or office NAT
    counted_votes_per_day_voter: int = 100
    counted_votes_per_day_ip: int = 500
    min_seconds_to_vote: float = 3.0  # after the slower answer finished streaming

    def __post_init__(self):
        for name in (
            "battles_per_minute_voter",
            "battles_per_minute_ip",
            "counted_votes_per_day_voter",
            "counted_votes_per_day_ip",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        if self.min_seconds_to_vote < 0:
            raise ValueError("min_seconds_to_vote must be >= 0")


@dataclass(frozen=True)
class VoterActivity:
    """What the caller knows about one voter and its IP hash, as Unix timestamps in seconds.

    Timestamps older than the window are ignored, so passing a superset is fine.
    """

    battle_starts_voter: Sequence[float] = ()  # battles this voter cookie started
    battle_starts_ip: Sequence[float] = ()  # battles started from this IP hash (all cookies)
    counted_votes_voter: Sequence[float] = ()  # votes of this cookie that counted
    counted_votes_ip: Sequence[float] = ()  # counted votes from this IP hash
    answers_finished_at: float | None = None  # when the slower answer of this battle finished


def _in_window(times: Sequence[float], now: float, window: float) -> list[float]:
    return [t for t in times if now - window < t <= now]


def check_battle(activity: VoterActivity, limits: Limits, now: float) -> Reason | None:
    """None if a new battle may start at `now`, else the limit it would break."""
    if (
        len(_in_window(activity.battle_starts_voter, now, MINUTE))
        >= limits.battles_per_minute_voter
    ):
        return Reason.BATTLES_PER_MINUTE_VOTER
    if len(_in_window(activity.battle_starts_ip, now, MINUTE)) >= limits.battles_per_minute_ip:
        return Reason.BATTLES_PER_MINUTE_IP
    return None


def check_vote(activity: VoterActivity, limits: Limits, now: float) -> Reason | None:
    """None if a vote cast at `now` may count, else why not (the vote is stored, not counted).

    A vote before the answers finished, or too soon after to have read them, is VOTE_TOO_SOON.
    """
    wait = seconds_until_vote(activity, limits, now)
    if wait is None or wait > 0:
        return Reason.VOTE_TOO_SOON
    if (
        len(_in_window(activity.counted_votes_voter, now, DAY))
        >= limits.counted_votes_per_day_voter
    ):
        return Reason.VOTES_PER_DAY_VOTER
    if len(_in_window(activity.counted_votes_ip, now, DAY)) >= limits.counted_votes_per_day_ip:
        return Reason.VOTES_PER_DAY_IP
    return None


def seconds_until_vote(activity: VoterActivity, limits: Limits, now: float) -> float | None:
    """How long until a vote is no longer too soon (0.0: now); None while the answers stream.
    The one rule check_vote applies and the page counts down."""
    if activity.answers_finished_at is None:
        return None
    return max(0.0, activity.answers_finished_at + limits.min_seconds_to_vote - now)


def seconds_until_battle(activity: VoterActivity, limits: Limits, now: float) -> float:
    """How long to wait before check_battle allows a battle (0.0 if it does now)."""
    wait = 0.0
    for times, limit in (
        (activity.battle_starts_voter, limits.battles_per_minute_voter),
        (activity.battle_starts_ip, limits.battles_per_minute_ip),
    ):
        recent = sorted(_in_window(times, now, MINUTE))
        if len(recent) < limit:
            continue
        if limit == 0:
            return math.inf
        # The window must drop its len - limit + 1 oldest starts; the last of those leaves at t + 60.
        wait = max(wait, recent[len(recent) - limit] + MINUTE - now)
    return wait
