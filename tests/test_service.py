"""The service layer with a hand-written fake provider (tests/conftest.py::FakeProvider)."""

import asyncio
import time

import pytest

from arena.domain.battle import BattleRuleBroken, Mode, Side, Status
from arena.domain.reasons import Reason
from arena.rankings import RankingError
from arena.views import InvalidInput, Voter
from tests.conftest import collect
from tests.contract.helpers import counted_vote_records

ME = Voter(session_id="session-1", voter_id="voter-1", ip="203.0.113.9")
SOMEONE_ELSE = Voter(session_id="session-2", voter_id="voter-2", ip="198.51.100.7")


def play(arena, prompt="What is 2+2?", voter=ME, mode=Mode.ANONYMOUS, models=()):
    started = arena.start_battle(voter, mode=mode, models=models)
    views = collect(arena.ask(voter, started.battle_id, prompt))
    return started, views


def test_an_anonymous_battle_streams_both_sides_and_hides_the_names(make_arena, fake_provider):
    fake_provider.delay_s = 0.02
    arena = make_arena()
    started, views = play(arena)
    assert started.models is None
    final = views[-1]
    assert final.done and final.can_vote
    assert set(final.sides) == {Side.A, Side.B}
    assert all("What is 2+2?" in side.text for side in final.sides.values())
    assert len(views) > 2, "answers should arrive in several updates"


def test_a_streaming_turn_sends_an_update_only_when_an_answer_changed(make_arena, fake_provider):
    """Models slower than the UI tick must not make every tick a repeated update (each one is
    rendered and sent to the browser for nothing)."""
    fake_provider.delay_s = 0.1  # a word every 100 ms, the UI ticks every 10 ms
    fake_provider.answers = {"alpha": "one two three", "beta": "four five six"}
    _, views = play(make_arena())
    texts = [tuple(side.text for side in view.sides.values()) for view in views]
    repeats = sum(1 for before, after in zip(texts, texts[1:], strict=False) if before == after)
    assert repeats <= 1, f"{repeats} of {len(texts)} updates repeated the one before"
    assert views[-1].done


def test_both_sides_stream_concurrently(make_arena, fake_provider):
    fake_provider.delay_s = 0.05
    arena = make_arena()
    started = arena.start_battle(ME)

    async def run():
        t0 = asyncio.get_running_loop().time()
        async for _ in arena.ask(ME, started.battle_id, "one two three four five six"):
            pass
        return asyncio.get_running_loop().time() - t0

    elapsed = asyncio.run(run())
    words = len("answer from the model to: one two three four five six".split())
    # sequential would take 2 × words × delay; concurrent about words × delay
    assert elapsed < 1.5 * words * 0.05


def test_a_counted_vote_reveals_the_models_and_updates_the_live_board(make_arena):
    arena = make_arena()
    started, _ = play(arena)
    receipt = arena.vote(ME, started.battle_id, "a_better")
    assert receipt.stored and receipt.counted and receipt.reason is None
    assert set(receipt.models.values()) == {"alpha", "beta"}
    board = {row.model: row for row in arena.leaderboard()}
    winner, loser = receipt.models[Side.A], receipt.models[Side.B]
    assert board[winner].mu > board[loser].mu
    assert board[winner].votes == board[loser].votes == 1
    assert board[winner].win_rate == 1.0


def test_side_positions_are_random(make_arena):
    arena = make_arena()
    seen = {
        arena.store.load_battle(arena.start_battle(ME).battle_id).models[Side.A] for _ in range(30)
    }
    assert seen == {"alpha", "beta"}


def test_the_pair_probability_is_stored_with_the_battle(make_arena):
    arena = make_arena()
    battle = arena.store.load_battle(arena.start_battle(ME).battle_id)
    assert battle.pair_probability == pytest.approx(1.0)  # two models: one possible pair


def test_a_second_vote_is_refused_and_logged(make_arena):
    arena = make_arena()
    started, _ = play(arena)
    arena.vote(ME, started.battle_id, "tie")
    again = arena.vote(ME, started.battle_id, "a_better")
    assert not again.stored and again.reason is Reason.ALREADY_VOTED
    assert again.models is None
    assert arena.store.db["votes"].count == 1
    refused = arena.store.events("vote_refused")
    assert refused[-1]["detail"]["reason"] == "already_voted"


def test_a_vote_from_another_session_is_refused(make_arena):
    arena = make_arena()
    started, _ = play(arena)
    receipt = arena.vote(SOMEONE_ELSE, started.battle_id, "a_better")
    assert not receipt.stored and receipt.reason is Reason.NOT_YOUR_BATTLE
    assert receipt.models is None
    assert arena.store.db["votes"].count == 0


def test_a_forged_battle_id_is_refused_and_logged(make_arena):
    arena = make_arena()
    receipt = arena.vote(ME, "no-such-battle", "a_better")
    assert not receipt.stored and receipt.reason is Reason.BATTLE_NOT_FOUND
    assert arena.store.events("vote_refused")[-1]["battle_id"] == "no-such-battle"


def test_an_unknown_verdict_is_a_clear_error(make_arena):
    arena = make_arena()
    started, _ = play(arena)
    with pytest.raises(InvalidInput, match="use one of a_better, b_better, tie, both_bad"):
        arena.vote(ME, started.battle_id, "A")


def test_a_vote_before_any_answer_is_refused(make_arena):
    arena = make_arena()
    started = arena.start_battle(ME)
    assert arena.vote(ME, started.battle_id, "tie").reason is Reason.NO_TURNS


def test_a_vote_while_answers_stream_is_refused(make_arena, fake_provider):
    fake_provider.delay_s = 0.02
    arena = make_arena()
    started = arena.start_battle(ME)

    async def run():
        stream = arena.ask(ME, started.battle_id, "a b c d e f")
        await stream.__anext__()
        receipt = arena.vote(ME, started.battle_id, "tie")
        async for _ in stream:
            pass
        return receipt

    assert asyncio.run(run()).reason is Reason.ANSWERS_INCOMPLETE


def test_a_failing_side_voids_the_battle_and_no_vote_counts(make_arena, fake_provider):
    fake_provider.failures["beta"] = "timeout"
    fake_provider.delay_s = 0.01
    fake_provider.answers["alpha"] = " ".join(["word"] * 200)
    arena = make_arena()
    started, views = play(arena)
    final = views[-1]
    failed_side = next(s for s, name in arena.store.load_battle(started.battle_id).models.items()
                       if name == "beta")  # fmt: skip
    assert final.failed_sides == (failed_side,)
    assert not final.can_vote
    other = final.sides[Side.B if failed_side is Side.A else Side.A]
    assert other.stopped, "the healthy side is cancelled, not left running"
    assert arena.store.load_battle(started.battle_id).status is Status.VOID
    receipt = arena.vote(ME, started.battle_id, "a_better")
    assert receipt.stored and not receipt.counted and receipt.reason is Reason.SIDE_FAILED
    assert arena.leaderboard() == []


def test_an_identity_disclosure_warns_before_the_vote_and_the_vote_does_not_count(
    make_arena, fake_provider
):
    fake_provider.answers["alpha"] = "Hello! I am ChatGPT, a model trained by OpenAI."
    arena = make_arena()
    started, views = play(arena)
    assert views[-1].warnings == (Reason.IDENTITY_DISCLOSED,)
    assert any("ChatGPT" in e for e in views[-1].evidence)
    receipt = arena.vote(ME, started.battle_id, "b_better")
    assert receipt.stored and not receipt.counted
    assert receipt.reason is Reason.IDENTITY_DISCLOSED
    assert arena.leaderboard() == []


def test_an_identity_probe_prompt_does_not_count(make_arena):
    arena = make_arena()
    started, views = play(arena, prompt="你是哪个模型？")
    assert views[-1].warnings == (Reason.PROBE,)
    assert arena.vote(ME, started.battle_id, "tie").reason is Reason.PROBE


def test_multi_turn_battles_send_each_side_its_own_history(make_arena, fake_provider):
    arena = make_arena()
    started, _ = play(arena, prompt="first question")
    collect(arena.ask(ME, started.battle_id, "second question"))
    (name, messages) = fake_provider.calls[-1]
    assert [m["content"] for m in messages if m["role"] == "user"] == [
        "first question",
        "second question",
    ]
    assert messages[1]["role"] == "assistant"
    assert len(arena.store.load_battle(started.battle_id).turns) == 2
    assert arena.vote(ME, started.battle_id, "a_better").counted


def test_the_turn_limit_is_enforced(make_arena):
    arena = make_arena(max_turns=2)
    started, _ = play(arena)
    collect(arena.ask(ME, started.battle_id, "again"))
    with pytest.raises(BattleRuleBroken, match="turn limit"):
        arena.ask(ME, started.battle_id, "a third time")


def test_regenerate_replaces_the_last_turn_on_both_sides(make_arena, fake_provider):
    arena = make_arena()
    started, _ = play(arena, prompt="tell me a joke")
    fake_provider.answers.update(alpha="new answer one", beta="new answer two")
    collect(arena.regenerate(ME, started.battle_id))
    battle = arena.store.load_battle(started.battle_id)
    assert len(battle.turns) == 1
    assert battle.turns[0].prompt == "tell me a joke"
    assert {a.text for a in battle.turns[0].answers.values()} == {
        "new answer one",
        "new answer two",
    }


def test_a_disclosure_the_voter_saw_still_voids_the_vote_after_a_regenerate(
    make_arena, fake_provider
):
    """Regenerate replaced the turn and its disclosures: the voter had read "I am ChatGPT",
    pressed Regenerate, the warning went and the vote counted."""
    arena = make_arena()
    fake_provider.answers.update(alpha="I am ChatGPT, a model trained by OpenAI.")
    started, views = play(arena, prompt="tell me a joke")
    assert views[-1].warnings == (Reason.IDENTITY_DISCLOSED,) and views[-1].evidence
    fake_provider.answers.update(alpha="why did the chicken cross the road")
    regenerated = collect(arena.regenerate(ME, started.battle_id))
    assert regenerated[-1].warnings == (Reason.IDENTITY_DISCLOSED,)  # still shown
    assert regenerated[-1].evidence == views[-1].evidence
    receipt = arena.vote(ME, started.battle_id, "a_better")
    assert receipt.stored and not receipt.counted
    assert receipt.reason is Reason.IDENTITY_DISCLOSED
    battle = arena.store.load_battle(started.battle_id)
    assert battle.turns[0].answers  # the new answers, with what was seen before them
    assert "why did the chicken" in " ".join(a.text for a in battle.turns[0].answers.values())


def test_clear_abandons_the_battle_and_it_is_never_rated(make_arena):
    arena = make_arena()
    started, _ = play(arena)
    arena.abandon(ME, started.battle_id)
    assert arena.store.load_battle(started.battle_id).status is Status.ABANDONED
    assert arena.vote(ME, started.battle_id, "a_better").reason is Reason.BATTLE_CLOSED


def test_empty_and_overlong_prompts_are_refused_with_a_clear_message(make_arena):
    arena = make_arena(max_prompt_chars=10)
    started = arena.start_battle(ME)
    with pytest.raises(InvalidInput, match="empty"):
        arena.ask(ME, started.battle_id, "   ")
    with pytest.raises(InvalidInput, match="the limit is 10") as error:
        arena.ask(ME, started.battle_id, "x" * 11)
    assert error.value.values == {"length": 11, "limit": 10}


def test_named_battles_show_their_models_and_are_never_rated(make_arena):
    arena = make_arena()
    started, _ = play(arena, mode=Mode.NAMED, models=("beta", "alpha"))
    assert started.models == {Side.A: "beta", Side.B: "alpha"}
    receipt = arena.vote(ME, started.battle_id, "a_better")
    assert receipt.stored and not receipt.counted and receipt.reason is Reason.NAMED_BATTLE
    row = next(arena.store.db.query("SELECT anonymous FROM votes"))
    assert row["anonymous"] == 0
    assert arena.leaderboard() == []


def test_named_battles_need_two_different_known_models(make_arena):
    arena = make_arena()
    with pytest.raises(InvalidInput):
        arena.start_battle(ME, mode=Mode.NAMED, models=("alpha", "alpha"))
    with pytest.raises(InvalidInput):
        arena.start_battle(ME, mode=Mode.NAMED, models=("alpha", "gpt-99"))


def test_direct_chat_talks_to_one_model(make_arena, fake_provider):
    arena = make_arena()
    started, views = play(arena, mode=Mode.DIRECT, models=("beta",))
    assert set(views[-1].sides) == {Side.A}
    assert fake_provider.calls[-1][0] == "beta"
    assert arena.vote(ME, started.battle_id, "tie").reason is Reason.NOT_VOTABLE


def test_raw_ips_are_never_stored(make_arena):
    arena = make_arena()
    started, _ = play(arena)
    arena.vote(ME, started.battle_id, "tie")
    arena.vote(SOMEONE_ELSE, started.battle_id, "tie")
    dump = "\n".join(arena.store.db.iterdump())
    assert ME.ip not in dump and SOMEONE_ELSE.ip not in dump
    assert arena.hash_ip(ME.ip) in dump


def test_recompute_replays_the_live_ratings_exactly(make_arena):
    arena = make_arena()
    for verdict in ["a_better", "b_better", "tie", "a_better", "both_bad"]:
        started, _ = play(arena)
        arena.vote(ME, started.battle_id, verdict)
    live = {r.model: (r.mu, r.sigma, r.votes) for r in arena.leaderboard()}
    replayed = {r.model: (r.mu, r.sigma, r.votes) for r in arena.recompute_ratings()}
    assert live.keys() == replayed.keys()
    for model in live:
        assert replayed[model] == pytest.approx(live[model], abs=1e-9)


def test_when_the_voter_leaves_both_streams_stop_and_the_battle_is_abandoned(
    make_arena, fake_provider
):
    fake_provider.delay_s = 0.05
    fake_provider.answers.update(alpha=" ".join(["long"] * 400), beta=" ".join(["long"] * 400))
    arena = make_arena()
    started = arena.start_battle(ME)

    async def run():
        views = []
        async for view in arena.ask(ME, started.battle_id, "write a lot"):
            views.append(view)
            if len(views) == 2:
                assert arena.cancel_session(ME.session_id) == 1
        return views

    views = asyncio.run(run())
    assert not any(v.done for v in views)
    assert fake_provider.closed == 2, "both upstream streams were closed"
    battle = arena.store.load_battle(started.battle_id)
    assert battle.status is Status.ABANDONED and battle.turns == ()
    assert arena.cancel_session("nobody") == 0


@pytest.mark.parametrize("how", ["abandon", "cancel_session"])
def test_clearing_a_battle_from_another_thread_stops_both_streams_at_once(
    make_arena, fake_provider, how
):
    """Regression (issue 12): Clear or New round while the answers streamed abandoned the battle
    but left both streams running; the UI's handlers run in worker threads, so the stop must be
    safe from another thread. The next battle then works."""
    fake_provider.delay_s = 0.05
    fake_provider.answers.update(alpha=" ".join(["long"] * 400), beta=" ".join(["long"] * 400))
    arena = make_arena()
    started = arena.start_battle(ME)

    stop = (arena.abandon if how == "abandon" else
            lambda voter, _: arena.cancel_session(voter.session_id))  # fmt: skip

    async def run():
        views, streaming = [], asyncio.Event()

        async def consume():  # as the page does, in the loop, while the clear runs in a thread
            async for view in arena.ask(ME, started.battle_id, "write a lot"):
                views.append(view)
                if len(views) == 2:
                    streaming.set()
            return time.monotonic()

        consumer = asyncio.create_task(consume())
        await streaming.wait()
        cleared = time.monotonic()
        await asyncio.get_running_loop().run_in_executor(None, stop, ME, started.battle_id)
        returned, ended = time.monotonic(), await consumer
        return views, returned - cleared, ended - cleared

    views, clear_s, end_s = asyncio.run(run())
    assert len(views) <= 3 and not any(v.done for v in views), "no answers after the clear"
    assert end_s < 0.5, f"the stream went on {end_s:.2f} s after the clear"
    assert clear_s < 0.5, f"the clear took {clear_s:.2f} s (waiting for the stream's end)"
    assert fake_provider.closed == 2, "both upstream streams were closed"
    battle = arena.store.load_battle(started.battle_id)
    assert battle.status is Status.ABANDONED and battle.turns == () and not battle.streaming
    fake_provider.answers.clear()
    fresh = arena.start_battle(ME)
    assert collect(arena.ask(ME, fresh.battle_id, "and now?"))[-1].can_vote


# -- hardening (issue 8): every input validated at the edge, nothing left half-written ------
@pytest.mark.parametrize(
    "prompt, code",
    [("\ud800 lone surrogate", "text_invalid"), ("NUL \x00 inside", "text_invalid"),
     (["a", "list"], "prompt_invalid"), ({"path": "/etc/passwd"}, "prompt_invalid")],
)  # fmt: skip
def test_a_prompt_that_is_not_storable_text_gets_a_specific_message(make_arena, prompt, code):
    arena = make_arena()
    started = arena.start_battle(ME)
    with pytest.raises(InvalidInput) as refused:
        arena.ask(ME, started.battle_id, prompt)
    assert refused.value.code == code
    battle = arena.store.load_battle(started.battle_id)
    assert battle.status is Status.OPEN and not battle.streaming and not battle.turns


@pytest.mark.parametrize("models", [(["alpha"], "beta"), ("alpha", None), "alpha", (1, 2)])
def test_model_picks_of_the_wrong_shape_are_refused_with_a_message(make_arena, models):
    arena = make_arena()
    with pytest.raises(InvalidInput) as refused:
        arena.start_battle(ME, mode=Mode.NAMED, models=models)
    assert refused.value.code == "choose_models"


def test_a_session_id_that_is_not_text_is_refused(make_arena):
    arena = make_arena()
    with pytest.raises(InvalidInput) as refused:
        arena.start_battle(Voter(session_id="\udcff", voter_id="v"))
    assert refused.value.code == "session_invalid"


def test_a_vote_on_a_void_battle_keeps_it_void(make_arena, fake_provider):
    fake_provider.failures["alpha"] = "error"
    arena = make_arena()
    started, views = play(arena)
    assert views[-1].failed_sides
    receipt = arena.vote(ME, started.battle_id, "a_better")
    assert receipt.stored and not receipt.counted and receipt.reason is Reason.SIDE_FAILED
    assert arena.store.load_battle(started.battle_id).status is Status.VOID


def test_every_refused_or_malformed_vote_attempt_is_in_the_event_log(make_arena):
    arena = make_arena()
    started, _ = play(arena)
    arena.vote(ME, "forged-battle-id", "a_better")
    with pytest.raises(InvalidInput):
        arena.vote(ME, started.battle_id, "a_wins")
    arena.vote(SOMEONE_ELSE, started.battle_id, "tie")
    events = arena.store.events("vote_refused") + arena.store.events("vote_invalid")
    reasons = sorted(e["detail"]["reason"] for e in events)
    assert reasons == ["battle_not_found", "not_your_battle", "unknown_verdict"]


def test_the_receipt_reveals_display_names_and_organisations(make_arena):
    arena = make_arena()
    started, _ = play(arena)
    receipt = arena.vote(ME, started.battle_id, "tie")
    cards = {card.name: card for card in receipt.cards.values()}
    assert cards["alpha"].display_name == "Alpha" and cards["alpha"].organisation == "Test Org"


def test_a_voter_who_leaves_mid_answer_leaves_an_abandoned_battle_with_an_event(
    make_arena, fake_provider
):
    fake_provider.delay_s = 0.05
    arena = make_arena()
    started = arena.start_battle(ME)

    async def leave_after_the_first_words():
        stream = arena.ask(ME, started.battle_id, "one two three four five six seven")
        await stream.__anext__()
        await stream.aclose()  # the browser went away: the consumer stops iterating

    asyncio.run(leave_after_the_first_words())
    battle = arena.store.load_battle(started.battle_id)
    assert battle.status is Status.ABANDONED and not battle.streaming
    assert [e["battle_id"] for e in arena.store.events("battle_abandoned")] == [started.battle_id]


def test_one_battle_streams_one_turn_at_a_time(make_arena, fake_provider):
    fake_provider.delay_s = 0.05
    arena = make_arena()
    started = arena.start_battle(ME)

    async def ask_twice():
        first = arena.ask(ME, started.battle_id, "one two three four")
        await first.__anext__()
        with pytest.raises(BattleRuleBroken) as refused:
            arena.ask(ME, started.battle_id, "a second prompt at once")
        async for _ in first:
            pass
        return refused.value.reason

    assert asyncio.run(ask_twice()) is Reason.ANSWERS_INCOMPLETE


def test_streams_that_died_with_their_process_are_abandoned_at_start(
    settings, make_roster, fake_provider
):
    from arena.bootstrap import create_arena

    now = [1_900_000_000.0]
    roster = make_roster({"alpha": "fake-echo", "beta": "fake-zh"})
    wiring = dict(roster=roster, provider=fake_provider, start_local_models=False,
                  clock=lambda: now[0])  # fmt: skip
    with create_arena(settings, **wiring) as arena:
        started = arena.start_battle(ME)
        assert arena.store.mark_streaming(started.battle_id)  # ... and then kill -9
    now[0] += settings.timeout_s + 60
    with create_arena(settings, **wiring) as arena:
        battle = arena.store.load_battle(started.battle_id)
        assert battle.status is Status.ABANDONED and not battle.streaming
        assert arena.store.events("battle_abandoned")[-1]["detail"] == {"stream_died": True}


def test_one_limit_holds_for_every_model_stream_at_once(make_arena, fake_provider):
    """Regression: the limit was per event listener, so send + regenerate ran 43 streams at
    once with a cap of 8."""
    fake_provider.delay_s = 0.01
    arena = make_arena(concurrency=3)
    running, peak = [0], [0]
    original = fake_provider.stream

    async def counted_stream(model, messages):
        running[0] += 1
        peak[0] = max(peak[0], running[0])
        try:
            async for event in original(model, messages):
                yield event
        finally:
            running[0] -= 1

    fake_provider.stream = counted_stream
    voters = [Voter(f"s{i}", f"v{i}") for i in range(12)]
    battles = [arena.start_battle(v).battle_id for v in voters]

    async def drain(voter, battle_id):
        async for _ in arena.ask(voter, battle_id, "one two three four five"):
            pass

    async def everyone():
        await asyncio.gather(*(drain(v, b) for v, b in zip(voters, battles, strict=True)))

    asyncio.run(everyone())
    assert peak[0] == 3 * 2, "3 battles at once, two sides each"


def test_a_quarantined_voter_counts_nowhere_and_a_released_one_everywhere_again(make_arena):
    """Regression: four queries decided which votes count and only the snapshot's left out
    quarantined voters (quarantine a voter with 3 votes: they returned 3, 3, 0, 3)."""
    arena = make_arena(min_votes=0)
    for prompt in ("one", "two", "three"):
        started, _ = play(arena, prompt=f"question {prompt}")
        arena.vote(ME, started.battle_id, "a_better")

    def everywhere() -> list[int]:
        store = arena.store
        return [
            len(store.counted_vote_pairs().as_tuples()),
            len(list(store.counted_vote_rows())),
            len(list(store.snapshot_vote_rows())),
            len(counted_vote_records(store)),
            sum(row.votes for row in arena.leaderboard()) // 2,
        ]

    assert everywhere() == [3] * 5
    assert arena.quarantine_voter(ME.voter_id, "vote ring")
    assert everywhere() == [0] * 5
    with pytest.raises(RankingError, match="no counted votes"):
        arena.rank(method="trueskill")
    assert arena.release_voter(ME.voter_id, "false positive")
    assert everywhere() == [3] * 5
    assert arena.rank(method="trueskill").trueskill is not None
