"""Why an integrity check refused a battle, a vote or a proof of work: one word per refusal,
shared by `rate_limits` and `proof_of_work` and shown (translated) to the voter."""

from enum import StrEnum


class Reason(StrEnum):
    BATTLES_PER_MINUTE_VOTER = "battles_per_minute_voter"
    BATTLES_PER_MINUTE_IP = "battles_per_minute_ip"
    VOTES_PER_DAY_VOTER = "votes_per_day_voter"
    VOTES_PER_DAY_IP = "votes_per_day_ip"
    VOTE_TOO_SOON = "vote_too_soon"  # voted before the answers could have been read
    ANSWERS_NOT_FINISHED = "answers_not_finished"
    CHALLENGE_MALFORMED = "challenge_malformed"
    CHALLENGE_BAD_SIGNATURE = "challenge_bad_signature"
    CHALLENGE_EXPIRED = "challenge_expired"
    CHALLENGE_NOT_YET_VALID = "challenge_not_yet_valid"  # issued in the future: clock skew
    CHALLENGE_WRONG_VOTER = "challenge_wrong_voter"
    CHALLENGE_REPLAYED = "challenge_replayed"
    SOLUTION_WRONG = "solution_wrong"
    DUPLICATE_PROMPT = "duplicate_prompt"  # the voter already voted on this (near-)same prompt
    FREQUENT_PROMPT = "frequent_prompt"  # the prompt has collected its cap of counted votes
