"""The one verdict vocabulary (arena.domain.verdicts) and the one Reason (arena.domain.reasons)."""

import pytest

from arena.domain.reasons import REFUSALS, STORED_NOT_COUNTED, Reason, is_refusal
from arena.domain.verdicts import (
    FASTCHAT_WINNERS,
    Verdict,
    from_winner,
    read_verdict,
    score_a,
    to_fastchat_winner,
    win_loss_tie,
)
from ratings import outcomes


def test_side_a_scores_one_zero_or_a_half():
    assert [score_a(v) for v in Verdict] == [1.0, 0.0, 0.5, 0.5]
    assert score_a("both_bad") == 0.5
    with pytest.raises(ValueError, match="unknown verdict 'draw'"):
        score_a("draw")


def test_each_verdict_is_exactly_one_of_a_win_a_loss_or_a_tie_for_side_a():
    assert [win_loss_tie(v) for v in Verdict] == [(1, 0, 0), (0, 1, 0), (0, 0, 1), (0, 0, 1)]


def test_fastchat_winners_map_both_ways():
    assert [to_fastchat_winner(v) for v in Verdict] == [
        "model_a",
        "model_b",
        "tie",
        "tie (bothbad)",
    ]
    assert all(from_winner(to_fastchat_winner(v)) is v for v in Verdict)
    with pytest.raises(ValueError, match="unknown winner 'a_better'"):
        from_winner("a_better")  # our word is not FastChat's


def test_a_file_may_spell_a_verdict_either_way_in_any_case():
    assert read_verdict(" Model_A ") is Verdict.A_BETTER
    assert read_verdict("TIE (BothBad)") is Verdict.BOTH_BAD
    assert read_verdict("b_better") is Verdict.B_BETTER
    assert read_verdict("draw") is None


def test_ratings_spells_verdicts_scores_and_winners_as_the_arena_does():
    # ratings imports no arena code, so it keeps its own copy: the two must not drift apart
    assert tuple(v.value for v in Verdict) == outcomes.VERDICTS
    assert list(outcomes.SCORE_A) == [score_a(v) for v in outcomes.VERDICTS]
    assert {w: v.value for v, w in FASTCHAT_WINNERS.items()} == outcomes.FASTCHAT_WINNERS
    for verdict in Verdict:
        assert outcomes.from_fastchat_winner(to_fastchat_winner(verdict)) == verdict.value


# -- reasons -------------------------------------------------------------------------------------


def test_every_reason_is_either_a_refusal_or_stored_but_not_counted():
    assert set(Reason) == REFUSALS | STORED_NOT_COUNTED
    assert not REFUSALS & STORED_NOT_COUNTED
    assert is_refusal(Reason.ALREADY_VOTED) and not is_refusal(Reason.PROBE)
    assert is_refusal("battle_not_found")


def test_the_refusals_come_first_in_the_enum_as_its_comments_say():
    order = list(Reason)
    assert order[: len(REFUSALS)] == [r for r in order if r in REFUSALS]


def test_the_stored_reason_words_never_change():
    # databases hold these in votes.reason and in vote_refused events: renaming one orphans rows
    assert {r.value for r in REFUSALS} == {
        "battle_not_found", "not_your_battle", "already_voted", "battle_closed",
        "answers_incomplete", "no_turns", "not_votable", "battles_per_minute_voter",
        "battles_per_minute_ip", "terms_not_accepted", "new_voters_per_minute_ip",
    }  # fmt: skip
    assert {r.value for r in STORED_NOT_COUNTED} == {
        "side_failed", "named_battle", "identity_disclosed", "probe", "vote_too_soon",
        "votes_per_day_voter", "votes_per_day_ip", "challenge_malformed",
        "challenge_bad_signature", "challenge_expired", "challenge_not_yet_valid",
        "challenge_wrong_voter", "challenge_replayed", "solution_wrong", "duplicate_prompt",
        "frequent_prompt",
    }  # fmt: skip
