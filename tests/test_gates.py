"""Integrity gates on the real ingestion path (service + store), one gate at a time."""

import pytest

from arena.domain.battle import BattleRuleBroken
from arena.domain.reasons import Reason
from arena.integrity import solve
from arena.integrity.proof_of_work import leading_zero_bits, solution_digest
from arena.usecases.gatekeeper import Proof
from arena.views import Voter
from tests.conftest import collect


def battle(arena, voter, prompt="What is the tallest mountain?"):
    started = arena.start_battle(voter)
    collect(arena.ask(voter, started.battle_id, prompt))
    return started


def cast(arena, voter, prompt="What is the tallest mountain?", proof=None, verdict="a_better"):
    started = battle(arena, voter, prompt)
    return arena.vote(voter, started.battle_id, verdict, proof)


def _solves(token: str, counter: int, bits: int) -> bool:
    return leading_zero_bits(solution_digest(token, counter)) >= bits


def test_a_voter_starting_too_many_battles_per_minute_is_refused(make_arena):
    arena = make_arena(battles_per_minute_voter=2)
    me = Voter("s", "v1", "192.0.2.1")
    arena.start_battle(me)
    arena.start_battle(me)
    with pytest.raises(BattleRuleBroken) as error:
        arena.start_battle(me)
    assert error.value.reason == Reason.BATTLES_PER_MINUTE_VOTER
    arena.start_battle(Voter("s2", "v2", "192.0.2.2"))  # another voter is unaffected


def test_one_ip_starting_too_many_battles_is_refused_whatever_the_cookie(make_arena):
    arena = make_arena(battles_per_minute_ip=3)
    for i in range(3):
        arena.start_battle(Voter(f"s{i}", f"cookie-{i}", "198.51.100.7"))
    with pytest.raises(BattleRuleBroken) as error:
        arena.start_battle(Voter("s9", "cookie-9", "198.51.100.7"))
    assert error.value.reason == Reason.BATTLES_PER_MINUTE_IP


def test_the_addresses_of_one_ipv6_network_are_one_ip_to_the_ip_limits(make_arena):
    """Each IPv6 address was an IP of its own: one home's /64 holds 2^64 of them, and eight of
    them started eight battles under a limit of three."""
    arena = make_arena(battles_per_minute_ip=3)
    for i in range(3):
        arena.start_battle(Voter(f"s{i}", f"cookie-{i}", f"2001:db8:1:2::{i + 1:x}"))
    with pytest.raises(BattleRuleBroken) as error:
        arena.start_battle(Voter("s8", "cookie-8", "2001:db8:1:2:ffff:1:2:3"))
    assert error.value.reason == Reason.BATTLES_PER_MINUTE_IP
    arena.start_battle(Voter("s9", "cookie-9", "2001:db8:1:3::1"))  # the next /64: another IP
    # an IPv4 address written as IPv6 is that IPv4 address
    assert arena.hash_ip("::ffff:198.51.100.7") == arena.hash_ip("198.51.100.7")


def test_counted_votes_per_day_are_capped_and_the_rest_stored_uncounted(make_arena):
    arena = make_arena(votes_per_day_voter=2)
    me = Voter("s", "v1", "192.0.2.1")
    receipts = [cast(arena, me, prompt=f"question number {i}") for i in range(3)]
    assert [r.counted for r in receipts] == [True, True, False]
    assert receipts[2].reason == Reason.VOTES_PER_DAY_VOTER and receipts[2].stored
    assert arena.store.db["votes"].count == 3


def test_the_ip_cap_counts_votes_from_every_cookie_behind_one_ip(make_arena):
    arena = make_arena(votes_per_day_ip=2)
    receipts = [cast(arena, Voter(f"s{i}", f"v{i}", "203.0.113.5"), f"q {i}") for i in range(3)]
    assert [r.counted for r in receipts] == [True, True, False]
    assert receipts[2].reason == Reason.VOTES_PER_DAY_IP


def test_a_vote_cast_before_the_answers_could_be_read_does_not_count(make_arena):
    arena = make_arena(min_seconds_to_vote=60)
    receipt = cast(arena, Voter("s", "v1"))
    assert receipt.stored and not receipt.counted and receipt.reason == Reason.VOTE_TOO_SOON


def test_the_service_says_how_long_until_a_vote_would_count(make_arena):
    """The page keeps the vote buttons disabled for this long (issue 12): the same rule the vote
    is judged by, so a vote cast when it reaches 0 counts."""
    arena = make_arena(min_seconds_to_vote=60)
    me = Voter("s", "v1")
    started = arena.start_battle(me)
    assert arena.seconds_until_vote_counts(me, started.battle_id) is None  # nothing answered
    collect(arena.ask(me, started.battle_id, "What is the tallest mountain?"))
    assert 59 < arena.seconds_until_vote_counts(me, started.battle_id) <= 60
    assert arena.store.mark_streaming(started.battle_id)  # a second turn streams: no vote yet
    assert arena.seconds_until_vote_counts(me, started.battle_id) is None
    with pytest.raises(BattleRuleBroken):  # another voter's battle says nothing
        arena.seconds_until_vote_counts(Voter("s2", "v2"), started.battle_id)
    quick = make_arena(min_seconds_to_vote=0)
    started = battle(quick, me)
    assert quick.seconds_until_vote_counts(me, started.battle_id) == 0.0
    assert quick.vote(me, started.battle_id, "tie").counted
    assert quick.seconds_until_vote_counts(me, started.battle_id) is None  # nothing to wait for


def test_a_new_voter_must_solve_the_proof_of_work(make_arena):
    arena = make_arena(pow_bits=8)
    me = Voter("s", "newcomer")
    started = battle(arena, me)
    assert started.challenge, "voters without history get a challenge"
    wrong = next(c for c in range(1000) if not _solves(started.challenge, c, 8))
    unsolved = arena.vote(me, started.battle_id, "tie", Proof(started.challenge, str(wrong)))
    assert unsolved.stored and not unsolved.counted and unsolved.reason == Reason.SOLUTION_WRONG
    second = battle(arena, me, "a different question")
    proof = Proof(second.challenge, str(solve(second.challenge, 8)))
    receipt = arena.vote(me, second.battle_id, "tie", proof)
    assert receipt.counted, receipt.reason
    assert arena.start_battle(me).challenge is None, "a voter with history needs no proof"


def test_a_missing_proof_means_the_vote_does_not_count(make_arena):
    arena = make_arena(pow_bits=8)
    receipt = cast(arena, Voter("s", "script"))
    assert not receipt.counted and receipt.reason == Reason.CHALLENGE_MALFORMED


def test_a_proof_is_bound_to_its_voter_and_cannot_be_replayed(make_arena):
    arena = make_arena(pow_bits=8)
    alice, mallory = Voter("s1", "alice"), Voter("s2", "mallory")
    started = battle(arena, alice)
    proof = Proof(started.challenge, str(solve(started.challenge, 8)))
    stolen = cast(arena, mallory, "another prompt entirely", proof=proof)
    assert stolen.reason == Reason.CHALLENGE_WRONG_VOTER
    gate = arena.gatekeeper
    assert gate._check_proof("alice", proof, gate.clock()) is None
    assert gate._check_proof("alice", proof, gate.clock()) == Reason.CHALLENGE_REPLAYED


def test_only_the_first_vote_of_a_voter_on_a_near_duplicate_prompt_counts(make_arena):
    arena = make_arena(duplicate_votes=1)
    me = Voter("s", "v1")
    first = cast(arena, me, "请用三句话介绍一下长城的历史和意义。")
    again = cast(arena, me, "请用三句话介绍一下长城的历史和意义！")
    assert first.counted and not again.counted and again.reason == Reason.DUPLICATE_PROMPT
    other = cast(arena, Voter("s2", "v2"), "请用三句话介绍一下长城的历史和意义。")
    assert other.counted, "another voter may ask the same thing"
    assert cast(arena, me, "Explain the French revolution in three sentences").counted


def test_a_prompt_stops_counting_once_it_reaches_its_cap_across_voters(make_arena):
    arena = make_arena(prompt_cap=2)
    receipts = [
        cast(arena, Voter(f"s{i}", f"v{i}"), "Write a haiku about autumn") for i in range(3)
    ]
    assert [r.counted for r in receipts] == [True, True, False]
    assert receipts[2].reason == Reason.FREQUENT_PROMPT


def test_battles_remember_hashed_ip_and_network_never_the_raw_address(make_arena):
    arena = make_arena()
    started = arena.start_battle(Voter("s", "v", "192.0.2.77"))
    row = arena.store.db["battles"].get(started.battle_id)
    assert row["ip_hash"] == arena.hash_ip("192.0.2.77")
    assert row["ip_prefix_hash"] == arena.hash_ip("192.0.2.0/24")
    assert "192.0.2" not in str(row)


def test_a_returning_voter_still_counts_a_day_later_without_a_new_proof(
    settings, make_roster, fake_provider
):
    """Regression: no challenge was issued to a voter with a counted vote, yet one was demanded
    when that vote was more than 24 h old, so returning voters never counted again."""
    from arena.bootstrap import create_arena

    now = [1_900_000_000.0]
    with create_arena(
        settings.with_overrides(pow_bits=8),
        roster=make_roster({"alpha": "fake-echo", "beta": "fake-zh"}),
        provider=fake_provider,
        start_local_models=False,
        clock=lambda: now[0],
    ) as arena:
        me = Voter("s", "regular")
        first = battle(arena, me)
        proof = Proof(first.challenge, str(solve(first.challenge, 8)))
        assert arena.vote(me, first.battle_id, "tie", proof).counted
        now[0] += 2 * 86_400  # two days later
        later = battle(arena, me, "a new question two days later")
        assert later.challenge is None, "no proof is asked of a voter with history"
        receipt = arena.vote(me, later.battle_id, "a_better")
        assert receipt.counted, receipt.reason


def test_ten_simultaneous_votes_on_one_battle_store_exactly_one_and_it_counts(make_arena):
    """Regression: spending the proof and inserting the vote raced, so a double-click could
    store the vote uncounted as `challenge_replayed`."""
    import threading

    arena = make_arena(pow_bits=8)
    for round_ in range(3):
        me = Voter(f"s{round_}", f"double-clicker-{round_}")
        started = battle(arena, me, f"question number {round_}")
        proof = Proof(started.challenge, str(solve(started.challenge, 8)))
        receipts, gate = [], threading.Barrier(10)

        def click(me=me, started=started, proof=proof, gate=gate, receipts=receipts):
            gate.wait()
            receipts.append(arena.vote(me, started.battle_id, "a_better", proof))

        threads = [threading.Thread(target=click) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stored = [r for r in receipts if r.stored]
        assert len(stored) == 1, receipts
        assert stored[0].counted, stored[0].reason
        assert {r.reason for r in receipts if not r.stored} == {"already_voted"}
        rows = arena.store.db.execute(
            "SELECT counted FROM votes WHERE battle_id = ?", [started.battle_id]
        ).fetchall()
        assert rows == [(1,)]


# -- two workers: two arenas on one database file, as `serve --workers 2` runs them ----------


def test_a_prompt_counted_on_one_worker_is_a_duplicate_on_another(make_arena):
    first_worker, second_worker = make_arena(duplicate_votes=1), make_arena(duplicate_votes=1)
    me = Voter("s", "v1")
    assert cast(second_worker, me, "Explain the French revolution in three sentences").counted
    assert cast(first_worker, me, "请用三句话介绍一下长城的历史和意义。").counted

    again = cast(second_worker, me, "请用三句话介绍一下长城的历史和意义！")

    assert not again.counted and again.reason == Reason.DUPLICATE_PROMPT, (
        "the second worker's index was built before the first worker's vote"
    )


def test_battle_starts_racing_on_two_workers_never_pass_the_per_minute_limit(make_arena):
    import threading

    workers = [make_arena(battles_per_minute_voter=3) for _ in range(2)]
    me = Voter("s", "impatient", "192.0.2.1")
    outcomes, gate = [], threading.Barrier(10)

    def start(worker):
        gate.wait()
        try:
            worker.start_battle(me)
            outcomes.append("started")
        except BattleRuleBroken as refusal:
            outcomes.append(refusal.reason)

    threads = [threading.Thread(target=start, args=(workers[i % 2],)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("started") == 3, outcomes
    assert set(outcomes) - {"started"} == {Reason.BATTLES_PER_MINUTE_VOTER}
