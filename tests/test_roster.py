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
import yaml

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


def test_a_link_to_the_models_page_is_read_for_the_reveal(tmp_path):
    text = entry(model_name="m", litellm_params="{model: openai/m}",
                 model_info="{link: 'https://example.org/models/m', licence: MIT}")  # fmt: skip
    model = load_roster(write(tmp_path, text)).get("m")
    assert (model.link, model.licence) == ("https://example.org/models/m", "MIT")


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
        (
            entry(
                model_name="m",
                litellm_params="{model: a/b}",
                model_info="{link: 'javascript:alert(1)'}",
            ),  # fmt: skip
            r"\(m\): .*link must be an http\(s\) address",
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


@pytest.mark.parametrize("name", ["al\npha", "al\rpha", "al\x00pha"])
def test_a_models_name_is_one_line_without_a_nul(tmp_path, name):
    """A roster name with a line feed was served, and its first counted vote stopped every
    snapshot ("a text value holds a line break": a snapshot hashes each name as a line)."""
    with pytest.raises(ValueError, match="holds a (line break|NUL character)"):
        ModelConfig(name, {"model": "openai/a"})
    path = tmp_path / "roster.yaml"
    path.write_text(yaml.safe_dump({"model_list": [
        {"model_name": name, "litellm_params": {"model": "openai/a"}},
        {"model_name": "beta", "litellm_params": {"model": "openai/b"}},
    ]}), encoding="utf-8")  # fmt: skip
    with pytest.raises(RosterError, match="holds a (line break|NUL character)"):
        load_roster(path)


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
    environ = {key: "k" for row in PROVIDERS for key in row.env_keys}

    first = detect_roster(environ, ollama_url="", include_local=False)
    again = detect_roster(dict(reversed(environ.items())), ollama_url="", include_local=False)

    assert first.names == again.names
    assert len(first) == len(PROVIDERS)
    assert [m.litellm_params["model"].split("/")[0] for m in first] == [
        row.provider for row in PROVIDERS
    ]
    assert all(m.organisation and m.licence for m in first)
    keys = [key for row in PROVIDERS for key in row.env_keys]
    assert len(set(keys)) == len(keys)


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


# -- the ecosystem edges of a litellm proxy config -----------------------------------------------


def test_the_environment_variables_block_is_kept_for_the_providers_not_put_in_os_environ(
    tmp_path,
):
    import os

    text = PROXY_CONFIG + "environment_variables:\n  OPENAI_API_KEY: sk-from-the-file\n  N: 3\n"

    roster = load_roster(write(tmp_path, text))

    assert roster.environ == {"OPENAI_API_KEY": "sk-from-the-file", "N": "3"}
    assert os.environ.get("OPENAI_API_KEY") != "sk-from-the-file"
    assert "sk-from-the-file" not in repr(roster)
    assert (roster + local_roster()).environ == roster.environ


def test_an_environment_variables_block_that_is_not_a_mapping_of_names_is_refused(tmp_path):
    text = PROXY_CONFIG + "environment_variables: [OPENAI_API_KEY]\n"

    with pytest.raises(RosterError, match="'environment_variables' must be a mapping"):
        load_roster(write(tmp_path, text))


WILDCARDS = """\
model_list:
  - model_name: "*"
    litellm_params:
      model: "*"
  - model_name: openai-any
    litellm_params:
      model: openai/*
      api_key: os.environ/OPENAI_API_KEY
"""


def test_wildcard_entries_are_left_out_with_a_notice_naming_the_entry(tmp_path, caplog):
    text = WILDCARDS + "  - model_name: gpt-4o\n    litellm_params: {model: openai/gpt-4o}\n"

    roster = load_roster(write(tmp_path, text))

    assert roster.names == ("gpt-4o",)
    assert "model_list[0] (*)" in caplog.text
    assert "model_list[1] (openai-any): wildcard" in caplog.text


def test_a_file_of_only_wildcards_is_refused_naming_them(tmp_path):
    with pytest.raises(RosterError) as raised:
        load_roster(write(tmp_path, WILDCARDS))

    message = str(raised.value)
    assert "only wildcard entries" in message
    assert "model_list[0] (*)" in message and "model_list[1] (openai-any)" in message
    assert "\n" not in message


def test_non_chat_models_are_left_out_by_litellms_model_map_when_mode_is_absent(tmp_path, caplog):
    text = (
        "model_list:\n"
        "  - {model_name: chat, litellm_params: {model: openai/gpt-4o}}\n"
        "  - {model_name: embed, litellm_params: {model: openai/text-embedding-3-small}}\n"
        "  - {model_name: speech, litellm_params: {model: openai/tts-1}}\n"
        "  - {model_name: pro, litellm_params: {model: openai/gpt-5.5-pro}}\n"  # Responses API
        "  - {model_name: mine, litellm_params: {model: openai/my-own, api_base: 'http://x'}}\n"
    )

    roster = load_roster(write(tmp_path, text))

    assert roster.names == ("chat", "pro", "mine")  # unknown to the map: kept
    assert "(embed): litellm's model map says mode 'embedding'" in caplog.text
    assert "(speech): litellm's model map says mode 'audio_speech'" in caplog.text


def test_models_litellm_cannot_route_are_named_at_load(tmp_path):
    text = (
        "model_list:\n"
        "  - {model_name: good, litellm_params: {model: openai/gpt-4o}}\n"
        "  - {model_name: typo, litellm_params: {model: opnai/gpt-4o}}\n"
        "  - {model_name: bare, litellm_params: {model: my-model}}\n"
        "  - {model_name: custom, litellm_params: {model: my-model, custom_llm_provider: openai}}\n"
    )

    with pytest.raises(RosterError) as raised:
        load_roster(write(tmp_path, text))

    message = str(raised.value)
    assert "litellm cannot route" in message
    assert "model_list[1] (typo): opnai/gpt-4o" in message
    assert "model_list[2] (bare): my-model" in message
    assert "(good)" not in message and "(custom)" not in message


# -- detecting providers: aliases and the newest model of litellm's map --------------------------


def detected(environ: dict[str, str]) -> dict[str, str]:
    """litellm model -> the variable its api_key refers to."""
    roster = detect_roster(environ, ollama_url="", include_local=False)
    return {m.litellm_params["model"]: m.litellm_params["api_key"] for m in roster}


def test_zhipu_keys_work_under_both_names_and_litellms_own_name_wins():
    assert list(detected({"ZHIPUAI_API_KEY": "k"}).values()) == ["os.environ/ZHIPUAI_API_KEY"]
    assert list(detected({"ZAI_API_KEY": "k"}).values()) == ["os.environ/ZAI_API_KEY"]
    both = detected({"ZHIPUAI_API_KEY": "k", "ZAI_API_KEY": "k"})
    assert list(both.values()) == ["os.environ/ZAI_API_KEY"]
    assert list(both)[0].startswith("zai/glm-")


@pytest.mark.parametrize(
    ("variable", "prefix"),
    [
        ("VOLCENGINE_API_KEY", "volcengine/doubao-"),
        ("ARK_API_KEY", "volcengine/doubao-"),
        ("MINIMAX_API_KEY", "minimax/MiniMax-"),
        ("TENCENT_API_KEY", "tencent/"),
        ("GOOGLE_API_KEY", "gemini/gemini-"),
        ("CO_API_KEY", "cohere_chat/command-"),
        ("OR_API_KEY", "openrouter/"),
        ("TOGETHER_API_KEY", "together_ai/"),
    ],
)
def test_the_key_names_litellm_accepts_each_enable_their_provider(variable, prefix):
    found = detected({variable: "k"})

    assert len(found) == 1
    model, key = next(iter(found.items()))
    assert model.startswith(prefix) and key == ENV_REF + variable


ENV_REF = "os.environ/"


def test_each_provider_offers_the_newest_model_of_its_family_in_litellms_map():
    import litellm

    roster = detect_roster(
        {key: "k" for row in PROVIDERS for key in row.env_keys}, ollama_url="", include_local=False
    )
    models = {m.litellm_params["model"] for m in roster}

    # litellm 1.106.2's map, by the documented rule (highest version of the row's family)
    assert {
        "openai/gpt-5.4-mini",
        "anthropic/claude-sonnet-5-5",
        "gemini/gemini-3.8-flash",
        "zai/glm-5.3",
        "moonshot/kimi-k3",
        "xai/grok-4.7",
        "dashscope/qwen3.7-plus",
        "volcengine/doubao-seed-2-1-pro-260915",
        "minimax/MiniMax-M3",
    } <= models
    for model in roster:
        name = model.litellm_params["model"]
        if not name.startswith("openrouter/"):  # litellm's map lists no OpenRouter models
            info = litellm.get_model_info(name)
            assert info["mode"] == "chat", name


def test_newest_means_the_highest_version_of_the_family_never_a_deprecated_one():
    from datetime import date

    from arena.adapters.roster import Family, ProviderRow, newest_model

    row = ProviderRow(("K",), "acme", (Family(r"acme-(?P<v>\d+(?:\.\d+)?)-chat", "Acme", "MIT"),))
    entries = [
        ("acme-4.9-chat", None),
        ("acme-4.10-chat", None),  # 4.10 > 4.9: versions compare number by number
        ("acme-5-chat", "2020-01-01"),  # deprecated
        ("acme-4.11-chat-preview", None),  # not the family: the pattern must match whole
    ]

    assert newest_model(row, entries, today=date(2026, 1, 1)) == ("acme-4.10-chat", row.families[0])
    assert newest_model(row, entries, today=date(2019, 1, 1))[0] == "acme-5-chat"
