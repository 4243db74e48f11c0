"""Short forms of the reliability benchmarks (bench/reliability.py): the real app as a separate
process, killed, fed failing providers and loaded; the invariants only, never speed figures."""

from collections import Counter

import httpx
import pytest

from bench.auto_snapshot import measure as measure_votes_beside_snapshots
from bench.reliability_cpu import measure_cpu_per_token
from bench.reliability_crash import run_crash
from bench.reliability_faults import run_faults
from bench.reliability_latency import measure_vote_latency
from bench.reliability_store import measure_store
from tests.fake_openai import FLAKY_FAULTS, FakeOpenAIServer


def test_the_flaky_fake_fails_the_share_of_calls_it_is_told_with_every_fault():
    draws = [FakeOpenAIServer(fault_rate=0.3, seed=5).draw_behaviour for _ in range(2)]
    first, second = ([draw() for _ in range(3000)] for draw in draws)

    assert first == second, "the same seed draws the same faults"
    counts = Counter(first)
    assert 0.27 < 1 - counts["ok"] / 3000 < 0.33
    assert set(counts) == {"ok", *FLAKY_FAULTS}


def test_the_fake_lists_what_it_did_with_each_request():
    body = {"model": "openai/fake-flaky", "stream": True,
            "messages": [{"role": "system", "content": "you are x"},
                         {"role": "user", "content": "hello there"}]}  # fmt: skip
    with FakeOpenAIServer(fault_rate=1.0, seed=1, slow_delay=0.5) as server:
        try:
            answer = httpx.post(f"{server.base_url}/chat/completions", json=body, timeout=0.2)
            text = answer.text if answer.status_code == 200 else ""
        except httpx.HTTPError:
            text = ""
        listed = httpx.get(server.base_url.removesuffix("/v1") + "/fake/requests").json()

    assert 'You said: "hello there"' not in text, "fault_rate 1: every call fails"
    (request,) = listed["requests"]
    assert request["system"] == "you are x" and request["prompt"] == "hello there"
    assert request["behaviour"] in FLAKY_FAULTS


def test_the_store_takes_every_vote_from_one_and_from_two_threads(tmp_path):
    result = measure_store(tmp_path, votes=300)

    assert result.errors == 0 and result.two_thread_errors == 0
    assert result.stored == 300


@pytest.mark.slow
def test_no_acknowledged_vote_is_lost_when_the_app_is_killed(tmp_path):
    result = run_crash(
        tmp_path,
        kills=2,
        threads=2,
        up_s=(0.5, 1.0),
        timeout_s=2.0,
        grace_s=1.0,
        log=lambda _: None,
    )

    assert result.restarts_healthy == 2
    assert result.acknowledged, "votes went through between the kills"
    assert result.lost == [] and result.mismatched == []
    assert result.integrity == "ok" and result.foreign_key_errors == 0
    assert result.stuck_at_restarts == [0, 0]
    assert result.stuck_at_end == 0, "a stream killed with its process stayed open"


@pytest.mark.slow
def test_failing_providers_void_their_battles_and_the_voter_is_told_which_side(tmp_path):
    result = run_faults(tmp_path, battles=20, fault_rate=0.3, timeout_s=1.0, seed=2)

    failed = [b for b in result.battles if b.failed_sides]
    assert failed, "some provider calls failed"
    assert result.health_failures == 0 and result.app_alive
    assert [b.error for b in result.battles if b.error] == []
    assert result.problems() == []
    assert all(b.status == "void" for b in failed)
    assert sum(b.counted_votes for b in result.battles if b.status == "void") == 0
    for battle in failed:
        for side in battle.failed_sides:
            assert battle.final["sides"][side]["error"]


@pytest.mark.slow
def test_votes_at_a_fixed_rate_over_http_are_all_stored(tmp_path):
    result = measure_vote_latency(tmp_path, rate=60, seconds=1.0, voters=4, warmup=10)

    assert result.votes.errors == {} and result.votes.refused == 0
    assert len(result.latencies_ms) == 60


def test_votes_are_all_stored_while_snapshots_are_made_beside_the_server(tmp_path):
    """Short form of bench/auto_snapshot.py: snapshot processes run back to back (at the
    priority the server gives its automatic ones) while votes come at a fixed rate."""
    result = measure_votes_beside_snapshots(tmp_path, rate=60, seconds=1.0, voters=4, warmup=10)
    assert result.took, "a snapshot was made while the votes came"
    assert result.alone.errors == {} and result.beside.errors == {}
    assert result.alone.refused == 0 and result.beside.refused == 0
    assert len(result.beside.latencies_ms) == 70


def test_the_cpu_part_of_the_reliability_benchmark_streams_every_turn(tmp_path):
    result = measure_cpu_per_token(tmp_path, turns=6, concurrency=2, words=20, warmup=2)

    assert result.failed_turns == 0
    assert result.app_tokens > 6 * 2 * 20, "two sides of about 20 words each, every turn"
    assert result.bare_tokens == result.app_tokens, "bare litellm streamed the same answers"
    assert result.app_cpu_s > 0 and result.bare_cpu_s > 0
