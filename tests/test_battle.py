import pytest

from arena.domain.battle import Answer, Battle, BattleRuleBroken, Mode, Side, Status, Turn
from arena.domain.reasons import Reason


def make_battle(**changes) -> Battle:
    values = dict(
        id="b1", session_id="s1", voter_id="v1", mode=Mode.ANONYMOUS,
        models={Side.A: "alpha", Side.B: "beta"}, max_turns=2,
    )  # fmt: skip
    values.update(changes)
    return Battle(**values)


def done(text="ok") -> Answer:
    return Answer(text=text, complete=True)


def complete_turn(index=0, **changes) -> Turn:
    values = dict(index=index, prompt=f"q{index}", answers={Side.A: done("a"), Side.B: done("b")})
    values.update(changes)
    return Turn(**values)


def test_a_complete_battle_can_be_voted_by_its_own_session():
    make_battle(turns=(complete_turn(),)).check_can_vote("s1")


def test_another_session_cannot_vote():
    with pytest.raises(BattleRuleBroken) as error:
        make_battle(turns=(complete_turn(),)).check_can_vote("someone-else")
    assert error.value.reason is Reason.NOT_YOUR_BATTLE


def test_a_battle_cannot_be_voted_twice():
    with pytest.raises(BattleRuleBroken) as error:
        make_battle(turns=(complete_turn(),), status=Status.VOTED).check_can_vote("s1")
    assert error.value.reason is Reason.ALREADY_VOTED


def test_no_vote_before_anything_was_asked():
    with pytest.raises(BattleRuleBroken) as error:
        make_battle().check_can_vote("s1")
    assert error.value.reason is Reason.NO_TURNS


def test_no_vote_while_an_answer_is_incomplete():
    turn = complete_turn(answers={Side.A: done(), Side.B: Answer(text="partial")})
    with pytest.raises(BattleRuleBroken) as error:
        make_battle(turns=(turn,)).check_can_vote("s1")
    assert error.value.reason is Reason.ANSWERS_INCOMPLETE


def test_abandoned_battles_refuse_votes_and_prompts():
    battle = make_battle(turns=(complete_turn(),), status=Status.ABANDONED)
    with pytest.raises(BattleRuleBroken):
        battle.check_can_vote("s1")
    with pytest.raises(BattleRuleBroken):
        battle.check_can_ask()


def test_turn_limit_stops_further_prompts_but_allows_regenerate():
    battle = make_battle(turns=(complete_turn(0), complete_turn(1)))
    with pytest.raises(BattleRuleBroken) as error:
        battle.check_can_ask()
    assert "turn limit" in error.value.message
    battle.check_can_ask(regenerate=True)


def test_regenerate_needs_a_turn():
    with pytest.raises(BattleRuleBroken) as error:
        make_battle().check_can_ask(regenerate=True)
    assert error.value.reason is Reason.NO_TURNS


def test_a_failed_side_makes_the_vote_uncountable():
    turn = complete_turn(answers={Side.A: done(), Side.B: Answer(error="timeout")})
    assert make_battle(turns=(turn,)).uncounted_reason() is Reason.SIDE_FAILED


def test_identity_disclosure_and_probes_make_the_vote_uncountable():
    assert make_battle(turns=(complete_turn(disclosures=("A: ChatGPT",)),)).uncounted_reason() is (
        Reason.IDENTITY_DISCLOSED
    )
    assert make_battle(turns=(complete_turn(probe=("who are you",)),)).uncounted_reason() is (
        Reason.PROBE
    )


def test_named_battles_are_never_counted():
    battle = make_battle(mode=Mode.NAMED, turns=(complete_turn(),))
    assert battle.uncounted_reason() is Reason.NAMED_BATTLE


def test_a_clean_anonymous_battle_counts():
    assert make_battle(turns=(complete_turn(),)).uncounted_reason() is None


def test_each_side_sees_only_its_own_answers_in_history():
    battle = make_battle(turns=(complete_turn(0), complete_turn(1)))
    assert battle.history(Side.A) == [
        {"role": "user", "content": "q0"},
        {"role": "assistant", "content": "a"},
        {"role": "user", "content": "q1"},
        {"role": "assistant", "content": "a"},
    ]
    assert [m["content"] for m in battle.history(Side.B) if m["role"] == "assistant"] == ["b", "b"]


def test_with_turn_replaces_a_turn_of_the_same_index():
    battle = make_battle(turns=(complete_turn(0),))
    regenerated = battle.with_turn(complete_turn(0, prompt="again"))
    assert [t.prompt for t in regenerated.turns] == ["again"]


def test_direct_chats_cannot_be_voted():
    battle = make_battle(mode=Mode.DIRECT, models={Side.A: "alpha"}, turns=())
    with pytest.raises(BattleRuleBroken) as error:
        battle.check_can_vote("s1")
    assert error.value.reason is Reason.NOT_VOTABLE
