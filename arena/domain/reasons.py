"""Why a vote (or a battle start) was refused or left out of the rankings: the one `Reason`.

Each value is what the database stores (`votes.reason`, the `reason` of a `vote_refused` event)
and the `reason_<value>` key the UI translates. Pure: no I/O.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    # -- refused: nothing is stored in `votes` (the attempt is logged as an event) -------------
    BATTLE_NOT_FOUND = "battle_not_found"
    NOT_YOUR_BATTLE = "not_your_battle"
    ALREADY_VOTED = "already_voted"
    BATTLE_CLOSED = "battle_closed"  # abandoned, or the turn limit is reached
    ANSWERS_INCOMPLETE = "answers_incomplete"  # still streaming
    NO_TURNS = "no_turns"
    NOT_VOTABLE = "not_votable"  # a direct chat
    BATTLES_PER_MINUTE_VOTER = "battles_per_minute_voter"  # a battle start refused
    BATTLES_PER_MINUTE_IP = "battles_per_minute_ip"
    TERMS_NOT_ACCEPTED = "terms_not_accepted"  # no battle before the voter accepts the terms
    NEW_VOTERS_PER_MINUTE_IP = "new_voters_per_minute_ip"  # a first acceptance of the terms
    # -- stored, not counted: the vote is kept with this reason and rated nowhere --------------
    SIDE_FAILED = "side_failed"
    NAMED_BATTLE = "named_battle"  # side-by-side with known names
    IDENTITY_DISCLOSED = "identity_disclosed"  # an answer named its model or vendor
    PROBE = "probe"  # the prompt asked a model who it is
    VOTE_TOO_SOON = "vote_too_soon"  # before the answers were finished or could have been read
    VOTES_PER_DAY_VOTER = "votes_per_day_voter"
    VOTES_PER_DAY_IP = "votes_per_day_ip"
    CHALLENGE_MALFORMED = "challenge_malformed"  # proof of work missing or unreadable
    CHALLENGE_BAD_SIGNATURE = "challenge_bad_signature"
    CHALLENGE_EXPIRED = "challenge_expired"
    CHALLENGE_NOT_YET_VALID = "challenge_not_yet_valid"  # issued in the future: clock skew
    CHALLENGE_WRONG_VOTER = "challenge_wrong_voter"
    CHALLENGE_REPLAYED = "challenge_replayed"
    SOLUTION_WRONG = "solution_wrong"
    DUPLICATE_PROMPT = "duplicate_prompt"  # the voter already voted on this (near-)same prompt
    FREQUENT_PROMPT = "frequent_prompt"  # the prompt has collected its cap of counted votes


REFUSALS = frozenset(
    {
        Reason.BATTLE_NOT_FOUND,
        Reason.NOT_YOUR_BATTLE,
        Reason.ALREADY_VOTED,
        Reason.BATTLE_CLOSED,
        Reason.ANSWERS_INCOMPLETE,
        Reason.NO_TURNS,
        Reason.NOT_VOTABLE,
        Reason.BATTLES_PER_MINUTE_VOTER,
        Reason.BATTLES_PER_MINUTE_IP,
        Reason.TERMS_NOT_ACCEPTED,
        Reason.NEW_VOTERS_PER_MINUTE_IP,
    }
)
STORED_NOT_COUNTED = frozenset(Reason) - REFUSALS
# Stored, not counted, and still evidence about the voter: a daily cap keeps a vote from
# counting, but it was cast as blind as a counted one (a disclosure, a probe or a named battle
# was not).
CAPPED = frozenset({Reason.VOTES_PER_DAY_VOTER, Reason.VOTES_PER_DAY_IP})


def is_refusal(reason: Reason | str) -> bool:
    """True if nothing is stored for an action refused for this reason."""
    return reason in REFUSALS


def is_stored_not_counted(reason: Reason | str) -> bool:
    """True if a vote with this reason is kept but counts towards no rating."""
    return reason in STORED_NOT_COUNTED
