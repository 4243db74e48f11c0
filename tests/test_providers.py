"""LiteLLMProvider through real litellm against the fake OpenAI-compatible server."""

from __future__ import annotations

import asyncio
import gc
import socket
import time
import warnings

import litellm
import pytest

from arena.adapters.providers import (
    LiteLLMProvider,
    ProviderFailed,
    Reachability,
    TextDelta,
    Usage,
    _cost,
)
from arena.adapters.roster import PROVIDERS, ModelConfig, detect_roster
from tests.fake_openai import (
    LEAK_ANSWER,
    OPENROUTER_COST_PER_TOKEN,
    ZH_ANSWER,
    FakeOpenAIServer,
    echo_answer,
)

HELLO = [{"role": "user", "content": "What is the capital of France?"}]


@pytest.fixture(scope="module")
def server():
    with FakeOpenAIServer(chunk_delay=0.002, slow_delay=30) as server:
        yield server


def fake_model(server: FakeOpenAIServer, behaviour: str = "fake-echo", **fields) -> ModelConfig:
    params = {"model": f"openai/{behaviour}", "api_base": server.base_url, "api_key": "sk-test"}
    params.update(fields.pop("params", {}))
    return ModelConfig(
        name=fields.pop("name", f"secret-{behaviour}"), litellm_params=params, **fields
    )


def run(coro):
    """Run one test coroutine on a fresh loop, closing litellm's clients before the loop ends."""

    async def main():
        # Clients cached by an earlier loop (another test module's server) are bound to that
        # loop; start from an empty cache so this loop makes its own.
        litellm.in_memory_llm_clients_cache.flush_cache()
        try:
            return await coro
        finally:
            await LiteLLMProvider().aclose()

    return asyncio.run(main())


async def collect(provider, model, messages=HELLO) -> list:
    return [event async for event in provider.stream(model, messages)]


def failure_of(provider, model, messages=HELLO) -> tuple[ProviderFailed, list]:
    """The ProviderFailed a stream ends with, and the events that came before it."""
    events: list = []

    async def consume():
        async for event in provider.stream(model, messages):
            events.append(event)

    with pytest.raises(ProviderFailed) as raised:
        run(consume())
    return raised.value, events


def text_of(events) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


# -- answers -------------------------------------------------------------------------------------


def test_an_answer_streams_in_several_deltas_then_one_usage(server):
    events = run(collect(LiteLLMProvider(), fake_model(server)))

    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert len(deltas) > 3
    assert text_of(events) == echo_answer(HELLO)
    assert events[-1] == Usage(prompt_tokens=6, completion_tokens=len(deltas), cost_usd=None)
    assert [e for e in events if isinstance(e, Usage)] == [events[-1]]


def test_chinese_answers_stream_intact(server):
    events = run(collect(LiteLLMProvider(), fake_model(server, "fake-zh")))

    assert text_of(events) == ZH_ANSWER


def test_the_system_prompt_comes_first_and_litellm_params_pass_through(server):
    model = fake_model(
        server,
        system_prompt="You are terse.",
        params={"temperature": 0.3, "max_tokens": 77, "rpm": 100, "timeout": 999},
    )

    run(collect(LiteLLMProvider(), model))

    body = server.chat_requests[-1].body
    assert body["messages"] == [{"role": "system", "content": "You are terse."}, *HELLO]
    assert (body["temperature"], body["max_tokens"]) == (0.3, 77)
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert "rpm" not in body and "timeout" not in body  # router-only settings are dropped


def test_os_environ_references_are_resolved_from_the_given_environ(server):
    model = fake_model(server, params={"api_key": "os.environ/FAKE_KEY"})
    provider = LiteLLMProvider(environ={"FAKE_KEY": "sk-from-environ"})

    run(collect(provider, model))

    assert server.chat_requests[-1].headers["authorization"] == "Bearer sk-from-environ"


def test_an_unset_os_environ_reference_fails_before_any_request(server):
    model = fake_model(server, params={"api_key": "os.environ/FAKE_KEY"})
    sent = len(server.requests)

    failure, _ = failure_of(LiteLLMProvider(environ={}), model)

    assert failure.kind == "config"
    assert "FAKE_KEY" in failure.detail and "FAKE_KEY" not in failure.message
    assert len(server.requests) == sent


def test_entry_prices_give_a_cost():
    params = {"model": "openai/x", "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6}

    assert _cost(params, 1000, 500) == pytest.approx(0.002)


def test_models_in_litellms_cost_map_get_a_cost_and_others_none():
    assert _cost({"model": "openai/gpt-4.1-mini"}, 1000, 1000) > 0
    assert _cost({"model": "openai/smollm2-135m-instruct"}, 1000, 1000) is None


def test_every_detected_provider_model_is_known_to_litellm():
    environ = {key: "k" for row in PROVIDERS for key in row.env_keys}
    for entry in detect_roster(environ, ollama_url="", include_local=False):
        name = entry.litellm_params["model"]
        model, provider, _, _ = litellm.get_llm_provider(name)
        assert provider and model, name
        if provider != "openrouter":  # OpenRouter reports each answer's cost itself
            assert litellm.cost_per_token(model=name, prompt_tokens=1)[0] > 0, name


def test_openrouter_models_report_the_cost_openrouter_charged(server):
    model = fake_model(server, name="or", params={"model": "openrouter/fake-echo"})

    events = run(collect(LiteLLMProvider(), model))

    usage = events[-1]
    assert isinstance(usage, Usage) and usage.prompt_tokens and usage.completion_tokens
    charged = (usage.prompt_tokens + usage.completion_tokens) * OPENROUTER_COST_PER_TOKEN
    assert usage.cost_usd == pytest.approx(charged)
    assert server.requests[-1].body["usage"] == {"include": True}  # litellm asked for it


def test_the_roster_files_environment_variables_reach_the_provider(server, tmp_path):
    from arena.bootstrap import create_arena
    from arena.config import load_settings

    roster = tmp_path / "roster.yaml"
    roster.write_text(
        "environment_variables:\n  FILE_ONLY_KEY: sk-from-the-file\n"
        "model_list:\n  - model_name: m\n    litellm_params:\n      model: openai/fake-echo\n"
        f"      api_base: {server.base_url}\n      api_key: os.environ/FILE_ONLY_KEY\n",
        encoding="utf-8",
    )
    settings = load_settings({}, roster_path=roster, db_path=tmp_path / "a.db")

    with create_arena(settings, environ={}, start_local_models=False) as arena:
        statuses = run(arena.check_models())

    assert [s.reachable for s in statuses] == [True]
    assert server.requests[-1].headers["authorization"] == "Bearer sk-from-the-file"


# -- failures ------------------------------------------------------------------------------------


def test_a_server_error_is_a_provider_failure_of_kind_error(server):
    failure, events = failure_of(LiteLLMProvider(), fake_model(server, "fake-error"))

    assert failure.kind == "error"
    assert events == []
    assert "exploded" in failure.detail  # the raw error is kept for the server log


def test_a_slow_model_times_out_quickly(server):
    started = time.monotonic()

    failure, _ = failure_of(LiteLLMProvider(timeout_s=0.5), fake_model(server, "fake-slow"))

    assert failure.kind == "timeout"
    assert failure.message == "the model did not finish its answer within 0.5 s"
    assert time.monotonic() - started < 3


def test_a_model_that_stops_mid_answer_hits_the_idle_timeout(server):
    provider = LiteLLMProvider(timeout_s=20, idle_timeout_s=0.3)
    started = time.monotonic()

    failure, events = failure_of(provider, fake_model(server, "fake-stall"))

    assert failure.kind == "timeout"
    assert failure.message == "the model stopped sending text for 0.3 s"
    assert text_of(events)  # the first half arrived before the stall
    assert time.monotonic() - started < 3


def test_a_dropped_connection_mid_answer_is_a_broken_stream(server):
    failure, events = failure_of(LiteLLMProvider(), fake_model(server, "fake-broken"))

    assert failure.kind == "broken_stream"
    assert text_of(events)
    assert not any(isinstance(e, Usage) for e in events)


def test_a_stream_without_text_is_an_empty_answer(server):
    failure, events = failure_of(LiteLLMProvider(), fake_model(server, "fake-empty"))

    assert failure.kind == "empty"
    assert events == []


def test_an_unknown_model_is_not_found(server):
    failure, _ = failure_of(LiteLLMProvider(), fake_model(server, "no-such-model"))

    assert failure.kind == "not_found"


def test_a_server_that_is_not_there_is_unreachable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    model = ModelConfig(
        "gone",
        {"model": "openai/fake-echo", "api_base": f"http://127.0.0.1:{port}/v1", "api_key": "k"},
    )

    failure, _ = failure_of(LiteLLMProvider(timeout_s=5), model)

    assert failure.kind == "unreachable"


@pytest.mark.parametrize(
    "behaviour", ["fake-error", "fake-slow", "fake-broken", "fake-empty", "no-such-model"]
)
def test_failure_messages_never_reveal_the_model_its_provider_or_url(server, behaviour):
    model = fake_model(server, behaviour, name="gpt-secret-7", display_name="GPT Secret")

    failure, _ = failure_of(LiteLLMProvider(timeout_s=0.5), model)

    shown = (failure.message + str(failure)).lower()
    for secret in ("gpt-secret", "secret", "fake", "openai", "litellm", "127.0.0.1", "http"):
        assert secret not in shown
    assert str(server.port) not in shown
    assert failure.detail  # but the server log gets the cause


def test_an_identity_leak_is_streamed_as_it_is(server):
    events = run(collect(LiteLLMProvider(), fake_model(server, "fake-leak")))

    assert text_of(events) == LEAK_ANSWER  # detecting it is the integrity layer's job


# -- cancellation --------------------------------------------------------------------------------

LONG = [{"role": "user", "content": " ".join(f"word{i}" for i in range(400))}]
MEDIUM = [{"role": "user", "content": " ".join(f"word{i}" for i in range(60))}]


def test_closing_the_stream_early_closes_the_upstream_connection_cleanly(server):
    async def read_two_then_close():
        stream = LiteLLMProvider().stream(fake_model(server), LONG)
        first = [await anext(stream), await anext(stream)]
        await stream.aclose()
        await asyncio.sleep(0.05)  # let anything left over run, then look for leftovers
        others = asyncio.all_tasks() - {asyncio.current_task()}
        return first, others

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first, leftover_tasks = run(read_two_then_close())
        gc.collect()

    assert all(isinstance(e, TextDelta) for e in first)
    assert leftover_tasks == set()
    assert server.wait_for_outcome(server.chat_requests[-1]) == "client_disconnected"
    leaks = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    # Event loops leaked by other libraries earlier in the run (gradio_client) are not ours.
    assert [m for m in leaks if not m.startswith("unclosed event loop")] == []


def test_a_finished_answer_leaves_litellm_no_end_of_stream_work(server, monkeypatch):
    """Once the answer is whole, the rest of the stream (its usage, then [DONE]) is read past
    litellm: litellm's end-of-stream work (the whole answer rebuilt from its chunks on a thread,
    its own cost calculator and success logging, for callbacks the arena has none of) took a
    seventh of a worker's CPU at capacity. The answer and the usage are the same."""
    built = []
    builder = litellm.stream_chunk_builder

    def counted(*args, **kwargs):
        built.append(1)
        return builder(*args, **kwargs)

    monkeypatch.setattr(litellm, "stream_chunk_builder", counted)
    events = run(collect(LiteLLMProvider(), fake_model(server)))

    assert built == []
    assert text_of(events) == echo_answer(HELLO)
    assert events[-1] == Usage(prompt_tokens=6, completion_tokens=len(events) - 1, cost_usd=None)
    assert server.wait_for_outcome(server.chat_requests[-1]) == "complete"


def test_an_answer_whose_provider_reports_no_usage_gets_litellms_token_counts(server):
    events = run(collect(LiteLLMProvider(), fake_model(server, "fake-nousage")))

    model = "openai/fake-nousage"
    answer = echo_answer(HELLO)
    assert text_of(events) == answer
    assert events[-1] == Usage(
        prompt_tokens=litellm.token_counter(model=model, messages=HELLO),
        completion_tokens=litellm.token_counter(model=model, text=answer),
        cost_usd=None,
    )


def test_cancelling_the_consuming_task_closes_the_upstream_connection(server):
    received: list = []

    async def consume():
        async for event in LiteLLMProvider().stream(fake_model(server), LONG):
            received.append(event)

    async def cancel_mid_stream():
        task = asyncio.create_task(consume())
        while len(received) < 3:
            await asyncio.sleep(0.001)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.05)
        return asyncio.all_tasks() - {asyncio.current_task()}

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        leftover_tasks = run(cancel_mid_stream())
        gc.collect()

    assert leftover_tasks == set()
    assert server.wait_for_outcome(server.chat_requests[-1]) == "client_disconnected"
    leaks = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    # Event loops leaked by other libraries earlier in the run (gradio_client) are not ours.
    assert [m for m in leaks if not m.startswith("unclosed event loop")] == []


def test_streams_yield_to_the_event_loop_between_chunks(server):
    """Two answers read concurrently interleave instead of one finishing first."""
    order: list[str] = []

    async def consume(name):
        async for event in LiteLLMProvider().stream(fake_model(server), MEDIUM):
            if isinstance(event, TextDelta):
                order.append(name)

    async def both():
        await asyncio.gather(consume("a"), consume("b"))

    run(both())

    first_b, last_a = order.index("b"), len(order) - 1 - order[::-1].index("a")
    assert first_b < last_a


# -- reachability --------------------------------------------------------------------------------


def test_check_reports_a_reachable_model_with_its_latency(server):
    result = run(LiteLLMProvider().check(fake_model(server, params={"max_tokens": 500})))

    assert result.reachable
    assert result.latency_s is not None and result.latency_s < 5
    assert server.chat_requests[-1].body["max_tokens"] == 32


def test_check_reports_an_unreachable_model_without_revealing_it(server):
    result = run(LiteLLMProvider().check(fake_model(server, "fake-error")))

    assert result == Reachability(False, "error: the model's service returned an error")


def _loads_litellm(code: str, tmp_path) -> bool:
    """Whether running `code` (with `settings`, `create_arena` and `Roster` at hand) in a fresh
    interpreter leaves litellm imported."""
    import os
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from arena.bootstrap import create_arena\n"
        "from arena.config import load_settings\n"
        "from arena.domain.roster import Roster\n"
        f"settings = load_settings(db_path={str(tmp_path / 'a.db')!r}, local_models=False)\n"
        f"{code}\n"
        "print('litellm' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, env={k: v for k, v in os.environ.items() if not k.startswith("ARENA_")})  # fmt: skip
    return out.stdout.split()[-1] == "True"


def test_a_command_that_asks_no_model_does_not_load_litellm(tmp_path):
    # importing litellm takes seconds: `import-battles`, `ratings`, `snapshot` never call a model
    assert not _loads_litellm(
        "with create_arena(settings, roster=Roster(())) as arena:\n    arena.leaderboard()",
        tmp_path,
    )


def test_the_web_app_loads_litellm_before_its_first_battle(tmp_path):
    # ... but the first voter must not wait for it
    assert _loads_litellm(
        "from arena.web.app import build_app\n"
        "with create_arena(settings, roster=Roster(())) as arena:\n    build_app(arena)",
        tmp_path,
    )


# -- where litellm sets a call up ------------------------------------------------------------------


def _set_up_threads(monkeypatch) -> list[str]:
    """The threads litellm's call set-up (`completion()`, which `acompletion` hands to the loop's
    default executor) ran on."""
    import functools
    import threading

    import litellm.main

    threads: list[str] = []
    completion = litellm.main.completion

    @functools.wraps(completion)
    def watched(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return completion(*args, **kwargs)

    monkeypatch.setattr(litellm.main, "completion", watched)
    return threads


def test_an_openai_compatible_call_is_set_up_on_the_loop(server, monkeypatch):
    """litellm sets up every call in a thread; for an OpenAI-compatible provider that set-up is
    computation only (a request built in memory), and the thread cost the loop two hand-overs of
    the GIL: on a busy machine, tens of milliseconds before the request left (stop 31: 46–77 ms
    at the median). Set up on the loop; the answer is the same."""
    threads = _set_up_threads(monkeypatch)
    events = run(collect(LiteLLMProvider(), fake_model(server)))
    assert text_of(events) == echo_answer(HELLO)
    assert threads == ["MainThread"]


def test_other_providers_and_other_executor_work_still_run_on_threads(server, monkeypatch):
    """A provider whose set-up may fetch credentials or tokens over the network (Anthropic here,
    pointed at the fake server: the call fails, its set-up is what is watched), and anything
    else handed to the default executor (a DNS lookup), still run on a thread."""
    import threading

    threads = _set_up_threads(monkeypatch)
    model = fake_model(server, params={"model": "anthropic/claude-x"})
    failure_of(LiteLLMProvider(), model)
    assert len(threads) == 1 and threads[0] != "MainThread", threads

    async def lookup() -> str:
        await collect(LiteLLMProvider(), fake_model(server))  # the executor is in place now
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, lambda: threading.current_thread().name)

    assert run(lookup()) != "MainThread"
