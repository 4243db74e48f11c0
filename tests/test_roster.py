"""The roster: litellm proxy configs, provider detection from API keys, the offline default."""

from __future__ import annotations

import copy
import json
import pickle
import re
import socket
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from arena.adapters.roster import (
    PROVIDERS,
    ModelConfig,
    ModelNotFound,
    Roster,
    RosterError,
    detect_roster,
    load_roster,
    local_roster,
)

DOCS = Path(__file__).resolve().parent.parent / "docs" / "models.md"

# A litellm proxy config as people write them, with settings the arena does not use.
PROXY_CONFIG = """\
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
      temperature: 0.7
    model_info:
      id: gpt-4o-primary
      mode: chat
      organisation: OpenAI
      licence: proprietary
  - model_name: gpt-4o            # a second deployment: litellm load-balances, we keep the first
    litellm_params:
      model: azure/gpt-4o-eu
      api_base: os.environ/AZURE_API_BASE
      api_key: os.environ/AZURE_API_KEY
      rpm: 600
  - model_name: text-embedding
    litellm_params:
      model: openai/text-embedding-3-small
    model_info:
      mode: embedding
  - model_name: qwen-local
    litellm_params:
      model: openai/qwen2.5-7b-instruct
      api_base: http://127.0.0.1:8000/v1
      api_key: none
      max_tokens: 512
    model_info:
      id: qwen-1
      display_name: Qwen 2.5 7B Instruct
      organisation: 阿里巴巴 / Alibaba
      licence: Apache-2.0
      weight: 0.5
    anonymous_only: true

litellm_settings:
  drop_params: true
  num_retries: 2
  success_callback: ["langfuse"]
router_settings:
  routing_strategy: simple-shuffle
  redis_host: os.environ/REDIS_HOST
general_settings:
  master_key: sk-1234
  database_url: os.environ/DATABASE_URL
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def entry(**fields: str) -> str:
    """A one-model config whose entry is given as YAML lines under `- `."""
    lines = "\n".join(f"    {key}: {value}" for key, value in fields.items())
    return "model_list:\n  -\n" + lines + "\n"


# -- loading a litellm proxy config ------------------------------------------------------------


def test_an_existing_litellm_proxy_config_loads_unchanged(tmp_path, caplog):
    roster = load_roster(write(tmp_path, PROXY_CONFIG))

    assert roster.names == ("gpt-4o", "qwen-local")
    gpt = roster.get("gpt-4o")
    assert gpt.litellm_params == {
        "model": "openai/gpt-4o",
        "api_key": "os.environ/OPENAI_API_KEY",
        "temperature": 0.7,
    }
    assert (gpt.display_name, gpt.organisation, gpt.licence) == ("gpt-4o", "OpenAI", "proprietary")
    assert (gpt.weight, gpt.anonymous_only, gpt.system_prompt) == (1.0, False, None)
    assert "listed again" in caplog.text  # the duplicate deployment was reported, not lost silently


def test_our_keys_are_read_from_model_info_and_from_the_entry_top_level(tmp_path):
    qwen = load_roster(write(tmp_path, PROXY_CONFIG)).get("qwen-local")

    assert qwen.display_name == "Qwen 2.5 7B Instruct"
    assert qwen.organisation == "阿里巴巴 / Alibaba"
    assert qwen.licence == "Apache-2.0"
    assert qwen.weight == 0.5
    assert qwen.anonymous_only is True  # given at the entry's top level
    assert qwen.litellm_params["max_tokens"] == 512


def test_a_system_prompt_and_local_model_can_be_set(tmp_path):
    text = entry(
        model_name="tiny",
        litellm_params="{model: openai/smollm2-135m-instruct, temperature: 0.2}",
        model_info="{system_prompt: Be brief., local_model: smollm2}",
    )
    tiny = load_roster(write(tmp_path, text)).get("tiny")

    assert tiny.system_prompt == "Be brief."
    assert tiny.local_model == "smollm2"
    assert tiny.is_local


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("model_list: [\n  - oops", r"not valid YAML"),
        ("litellm_settings: {}\n", r"top-level 'model_list:'"),
        ("model_list: []\n", r"non-empty list"),
        ("model_list:\n  - just-a-string\n", r"model_list\[0\]: expected a mapping"),
        (entry(litellm_params="{model: openai/x}"), r"model_list\[0\]: missing key 'model_name'"),
        (entry(model_name="m"), r"model_list\[0\] \(m\): missing key 'litellm_params'"),
        (
            entry(model_name="m", litellm_params="{api_base: http://x}"),
            r"model_list\[0\] \(m\): missing key 'litellm_params.model'",
        ),
        (
            entry(model_name="m", litellm_params="{model: a/b}", model_info="[1]"),
            r"'model_info' must be a mapping",
        ),
        (
            entry(model_name="m", litellm_params="{model: a/b}", model_info="{weight: heavy}"),
            r"\(m\): 'weight' must be int or float, got 'heavy'",
        ),
        (
            entry(model_name="m", litellm_params="{model: a/b}", model_info="{weight: 0}"),
            r"\(m\): .*weight must be a positive number",
        ),
        (
            entry(model_name="m", litellm_params="{model: a/b}", anonymous_only="maybe"),
            r"'anonymous_only' must be bool",
        ),
        (
            entry(model_name="m", litellm_params="{model: a/b}", model_info="{local_model: gpt2}"),
            r"unknown local_model",
        ),
        (
            entry(
                model_name="m",
                litellm_params="{model: a/b}",
                model_info="{licence: MIT}",
                licence="Apache-2.0",
            ),
            r"'licence' is set differently in model_info and the entry",
        ),
        (
            entry(model_name="m", litellm_params="{model: a/b}", model_info="{mode: embedding}"),
            r"no chat models",
        ),
    ],
)
def test_bad_configs_fail_with_a_message_naming_file_entry_and_key(tmp_path, text, expected):
    path = write(tmp_path, text)

    with pytest.raises(RosterError, match=expected) as raised:
        load_roster(path)

    assert str(path) in str(raised.value)


def test_a_missing_file_is_a_roster_error(tmp_path):
    with pytest.raises(RosterError, match="cannot read"):
        load_roster(tmp_path / "nope.yaml")


def test_the_full_example_in_docs_models_md_loads(tmp_path):
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
    assert blocks, "docs/models.md should contain a ```yaml example"

    roster = load_roster(write(tmp_path, blocks[0]))

    assert len(roster) >= 4
    assert any(m.local_model for m in roster)
    assert any(m.anonymous_only for m in roster)


# -- the roster and its models -----------------------------------------------------------------


def test_unknown_model_names_raise_model_not_found_with_a_clear_message():
    roster = local_roster()

    with pytest.raises(ModelNotFound) as raised:
        roster.get("gpt-9")

    assert isinstance(raised.value, KeyError)
    assert str(raised.value).startswith("no model named 'gpt-9' in the roster (known: smollm2")


def test_a_roster_refuses_two_models_with_one_name():
    model = ModelConfig("a", {"model": "openai/a"})

    with pytest.raises(ValueError, match="appears twice"):
        Roster((model, model))


def test_model_configs_are_frozen_hashable_and_copyable():
    model = ModelConfig("a", {"model": "openai/a", "temperature": 0.5})

    assert model.display_name == "a"
    with pytest.raises(TypeError):
        model.litellm_params["temperature"] = 1.0  # type: ignore[index]
    assert hash(model) == hash(replace(model))
    assert copy.deepcopy(model) == model
    assert pickle.loads(pickle.dumps(model)) == model
    assert dict(model.litellm_params) == {"model": "openai/a", "temperature": 0.5}


def test_model_configs_validate_their_fields():
    with pytest.raises(ValueError, match="'model' string"):
        ModelConfig("a", {"api_base": "http://x"})
    with pytest.raises(ValueError, match="weight"):
        ModelConfig("a", {"model": "x/y"}, weight=float("nan"))


def test_named_models_leave_out_anonymous_only_ones():
    roster = Roster(
        (
            ModelConfig("open", {"model": "x/a"}),
            ModelConfig("secret", {"model": "x/b"}, anonymous_only=True),
        )
    )

    assert [m.name for m in roster.named] == ["open"]


# -- the offline default -------------------------------------------------------------------------


def test_the_local_roster_has_two_honestly_labelled_smollm2_configurations():
    precise, creative = local_roster().models

    assert precise.name != creative.name
    assert precise.litellm_params["model"] == creative.litellm_params["model"]
    assert precise.litellm_params["temperature"] < creative.litellm_params["temperature"]
    assert precise.system_prompt and creative.system_prompt
    assert precise.system_prompt != creative.system_prompt
    for model in (precise, creative):
        assert model.local_model == "smollm2"
        assert (model.organisation, model.licence) == ("Hugging Face", "Apache-2.0")
        assert "SmolLM2 135M" in model.display_name
        assert model.litellm_params["max_tokens"] <= 256
        assert model.litellm_params["max_retries"] == 0
        assert "api_base" not in model.litellm_params  # filled in when the server starts


# -- detecting providers -------------------------------------------------------------------------


def test_every_provider_with_a_key_gets_one_model_referring_to_the_key_by_name():
    environ = {
        "DEEPSEEK_API_KEY": "sk-deepseek-SECRET",
        "OPENAI_API_KEY": "sk-openai-SECRET",
        "ANTHROPIC_API_KEY": "",  # set but empty: not a key
        "PATH": "/usr/bin",
    }

    roster = detect_roster(environ, ollama_url="", include_local=False)

    assert roster.names == ("gpt-5.4-mini", "deepseek-v4-flash")  # the table's order
    assert roster.get("gpt-5.4-mini").litellm_params["api_key"] == "os.environ/OPENAI_API_KEY"
    assert roster.get("deepseek-v4-flash").organisation == "深度求索 / DeepSeek"
    assert "SECRET" not in repr(roster)


def test_all_keys_give_one_model_per_provider_in_a_stable_order():
    environ = {row.env_key: "k" for row in PROVIDERS}

    first = detect_roster(environ, ollama_url="", include_local=False)
    again = detect_roster(dict(reversed(environ.items())), ollama_url="", include_local=False)

    assert first.names == again.names == tuple(row.name for row in PROVIDERS)
    assert all(m.organisation and m.licence for m in first)
    assert len({row.env_key for row in PROVIDERS}) == len(PROVIDERS)


def test_with_no_keys_the_offline_models_remain():
    assert detect_roster({}, ollama_url="").names == local_roster().names
    assert detect_roster({}, ollama_url="", include_local=False).names == ()


class _FakeOllama(BaseHTTPRequestHandler):
    status = 200
    tags = ["qwen2.5:7b", "llama3.2:3b", "gemma3:4b", "phi4:14b", "mistral:7b", "llama3.2:3b"]

    def do_GET(self):
        body = json.dumps({"models": [{"name": t, "size": 1} for t in self.tags]}).encode()
        if self.path != "/api/tags" or self.status != 200:
            body = b"{}"
        self.send_response(self.status if self.path == "/api/tags" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def ollama():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOllama)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    _FakeOllama.status = 200


def test_an_answering_ollama_server_adds_a_few_of_its_models_sorted(ollama):
    roster = detect_roster({}, ollama_url=ollama, include_local=False)

    assert roster.names == (
        "ollama/gemma3:4b",
        "ollama/llama3.2:3b",
        "ollama/mistral:7b",
        "ollama/phi4:14b",
    )
    gemma = roster.get("ollama/gemma3:4b")
    assert gemma.litellm_params == {"model": "ollama_chat/gemma3:4b", "api_base": ollama}
    assert gemma.display_name == "gemma3:4b (Ollama)"


def test_providers_come_before_ollama_and_local_models(ollama):
    roster = detect_roster({"GROQ_API_KEY": "k"}, ollama_url=ollama)

    assert roster.names[0] == "gpt-oss-120b-groq"
    assert roster.names[1].startswith("ollama/")
    assert roster.names[-2:] == local_roster().names


def test_an_ollama_server_that_errors_adds_nothing(ollama):
    _FakeOllama.status = 500

    assert detect_roster({}, ollama_url=ollama, include_local=False).names == ()


def test_no_ollama_server_adds_nothing_quickly():
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()

    roster = detect_roster({}, ollama_url=f"http://127.0.0.1:{port}", include_local=False)

    assert roster.names == ()
    assert time.monotonic() - started < 1.0
