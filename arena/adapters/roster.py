"""The model roster: which models can meet in a battle, how litellm calls each, how each is labelled.

A roster comes from one of three places: a litellm proxy config (`load_roster`), the API keys
present in an environment (`detect_roster`), or the offline default (`local_roster`). It never
reads os.environ: callers pass the environment in, and `os.environ/NAME` values stay references
that the provider resolves at call time, so key values never enter a roster.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import yaml

from arena.domain.roster import (
    ENV_PREFIX,
    LOCAL_MODELS,
    MAX_OLLAMA_MODELS,
    NON_CHAT_MODES,
    OLLAMA_PROBE_TIMEOUT_S,
    ModelConfig,
    ModelNotFound,
    Roster,
    RosterError,
    first_of_each_name,
)
from arena.domain.text import is_text, shown

__all__ = [
    "LOCAL_MODELS",
    "ModelConfig",
    "ModelNotFound",
    "Roster",
    "RosterError",
    "detect_roster",
    "load_roster",
    "local_roster",
]

log = logging.getLogger(__name__)


_OUR_KEYS: dict[str, tuple[type, ...]] = {
    "display_name": (str,),
    "organisation": (str,),
    "licence": (str,),
    "system_prompt": (str, type(None)),
    "weight": (int, float),
    "anonymous_only": (bool,),
    "local_model": (str, type(None)),
}


def load_roster(path: str | Path) -> Roster:
    """Read a litellm proxy config (`model_list:` YAML) into a Roster.

    Other top-level keys (`litellm_settings`, `router_settings`, ...) and unknown `model_info`
    fields are ignored, so an existing proxy config loads unchanged. Our optional keys are
    read from `model_info` or from the entry's top level. A `model_name` listed twice (litellm's
    load balancing) keeps its first entry; later ones are skipped with a warning. Entries whose
    `model_info.mode` is not chat (embeddings, images, ...) and wildcard names are skipped.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise RosterError(f"{path}: cannot read the roster file ({error.strerror})") from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise RosterError(f"{path}: line {line}: not UTF-8 text") from None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RosterError(f"{path}: not valid YAML: {error}") from error
    except RecursionError:
        raise RosterError(f"{path}: not readable YAML: nested too deeply") from None
    except ValueError as error:  # a well-formed scalar PyYAML cannot build: 2024-13-45, 10**5000
        raise RosterError(f"{path}: not readable YAML: {error}") from None
    if not isinstance(document, Mapping) or "model_list" not in document:
        raise RosterError(f"{path}: expected a mapping with a top-level 'model_list:' key")
    entries = document["model_list"]
    if not isinstance(entries, list) or not entries:
        raise RosterError(f"{path}: 'model_list' must be a non-empty list of models")

    models: list[ModelConfig] = []
    for index, entry in enumerate(entries):
        model = _entry_to_model(entry, f"{path}: model_list[{index}]")
        if model is None:
            continue
        if model.name in (m.name for m in models):
            log.warning(
                "%s: model_list[%d]: %r is listed again (litellm load balancing); "
                "the arena keeps the first entry",
                path,
                index,
                model.name,
            )
            continue
        models.append(model)
    if not models:
        raise RosterError(f"{path}: 'model_list' has no chat models")
    return Roster(tuple(models))


def _entry_to_model(entry: object, where: str) -> ModelConfig | None:
    if not isinstance(entry, Mapping):
        raise RosterError(f"{where}: expected a mapping with model_name and litellm_params")
    name = entry.get("model_name")
    if not isinstance(name, str) or not name.strip():
        raise RosterError(f"{where}: missing key 'model_name' (a non-empty string)")
    if not is_text(name):
        raise RosterError(f"{where}: 'model_name' {shown(name)} is not valid Unicode text")
    where = f"{where} ({name})"
    params = entry.get("litellm_params")
    if not isinstance(params, Mapping):
        raise RosterError(f"{where}: missing key 'litellm_params' (a mapping)")
    unusable = _unusable_value(params)
    if unusable:
        raise RosterError(f"{where}: 'litellm_params' {unusable}")
    model = params.get("model")
    if not isinstance(model, str) or not model.strip():
        raise RosterError(f"{where}: missing key 'litellm_params.model' (e.g. openai/gpt-4o)")
    info = entry.get("model_info") or {}
    if not isinstance(info, Mapping):
        raise RosterError(f"{where}: 'model_info' must be a mapping")

    if "*" in name:
        log.warning("%s: wildcard model names are not arena models; skipped", where)
        return None
    if isinstance(info.get("mode"), str) and info["mode"] in NON_CHAT_MODES:
        log.info("%s: mode %r is not a chat model; skipped", where, info["mode"])
        return None

    ours: dict[str, Any] = {}
    for key, types in _OUR_KEYS.items():
        if key in info and key in entry and info[key] != entry[key]:
            raise RosterError(f"{where}: '{key}' is set differently in model_info and the entry")
        if key in info or key in entry:
            value = info[key] if key in info else entry[key]
            if not isinstance(value, types) or (key == "weight" and isinstance(value, bool)):
                wanted = " or ".join("null" if t is type(None) else t.__name__ for t in types)
                raise RosterError(f"{where}: '{key}' must be {wanted}, got {shown(value)}")
            if isinstance(value, str) and not is_text(value):
                raise RosterError(f"{where}: '{key}' {shown(value)} is not valid Unicode text")
            ours[key] = _weight(value, where) if key == "weight" else value
    try:
        return ModelConfig(name=name, litellm_params=dict(params), **ours)
    except ValueError as error:
        raise RosterError(f"{where}: {error}") from error


def _weight(value: int | float, where: str) -> float:
    try:
        return float(value)
    except OverflowError:  # an integer beyond any float
        raise RosterError(f"{where}: 'weight' must be a positive number, got a huge one") from None


def _unusable_value(
    value: Any, path: str = "", within: frozenset[int] = frozenset(), checked: set | None = None
) -> str | None:
    """Why litellm could not take `value` as call arguments (a non-string key, text with a lone
    surrogate from a YAML "\\ud800" escape, a YAML alias that contains itself), or None.
    `within` holds the containers around `value`; `checked`, those already found usable (YAML
    aliases may repeat one container many times)."""
    if isinstance(value, str):
        return None if is_text(value) else f"{path or 'value'} is not valid Unicode text"
    checked = set() if checked is None else checked
    if not isinstance(value, Mapping | list) or id(value) in checked:
        return None
    if id(value) in within:
        return f"{path} contains itself"
    items = value.items() if isinstance(value, Mapping) else enumerate(value)
    for key, item in items:
        if isinstance(value, Mapping) and (not isinstance(key, str) or not is_text(key)):
            return f"key {shown(key)}{' in ' + path if path else ''} is not a string"
        where = f"{path}[{key}]" if isinstance(value, list) else f"{path}.{key}" if path else key
        problem = _unusable_value(item, where, within | {id(value)}, checked)
        if problem:
            return problem
    checked.add(id(value))
    return None


# -- detecting providers from API keys -------------------------------------------------------


class ProviderRow(NamedTuple):
    """One hosted provider: the key that enables it and the one model the arena offers there."""

    env_key: str  # the variable litellm reads for this provider
    name: str  # model_name in the roster
    model: str  # litellm model string
    display_name: str
    organisation: str  # who made the model (not who serves it)
    licence: str  # licence of the weights; "proprietary" for closed models
    extra: tuple[tuple[str, Any], ...] = ()  # further litellm_params


# Models picked from litellm's bundled cost map (so cost is reported), mid-priced and current.
PROVIDERS: tuple[ProviderRow, ...] = (
    ProviderRow("OPENAI_API_KEY", "gpt-5.4-mini", "openai/gpt-5.4-mini", "GPT-5.4 mini",
                "OpenAI", "proprietary", (("reasoning_effort", "low"),)),
    ProviderRow("ANTHROPIC_API_KEY", "claude-sonnet-4-6", "anthropic/claude-sonnet-4-6",
                "Claude Sonnet 4.6", "Anthropic", "proprietary"),
    ProviderRow("GEMINI_API_KEY", "gemini-3.5-flash", "gemini/gemini-3.5-flash",
                "Gemini 3.5 Flash", "Google", "proprietary"),
    ProviderRow("MISTRAL_API_KEY", "mistral-medium", "mistral/mistral-medium-latest",
                "Mistral Medium", "Mistral AI", "proprietary"),
    ProviderRow("DEEPSEEK_API_KEY", "deepseek-v4-flash", "deepseek/deepseek-v4-flash",
                "DeepSeek V4 Flash", "深度求索 / DeepSeek", "MIT"),
    ProviderRow("DASHSCOPE_API_KEY", "qwen-plus", "dashscope/qwen-plus",
                "Qwen Plus", "阿里巴巴 / Alibaba", "proprietary"),
    ProviderRow("ZAI_API_KEY", "glm-4.7", "zai/glm-4.7",
                "GLM-4.7", "智谱 / Zhipu AI", "MIT"),
    ProviderRow("MOONSHOT_API_KEY", "kimi-k2.6", "moonshot/kimi-k2.6",
                "Kimi K2.6", "月之暗面 / Moonshot AI", "Modified MIT"),
    ProviderRow("XAI_API_KEY", "grok-4.3", "xai/grok-4.3", "Grok 4.3", "xAI", "proprietary"),
    ProviderRow("COHERE_API_KEY", "command-a", "cohere_chat/command-a-03-2025",
                "Command A", "Cohere", "CC-BY-NC-4.0"),
    ProviderRow("GROQ_API_KEY", "gpt-oss-120b-groq", "groq/openai/gpt-oss-120b",
                "gpt-oss-120b (Groq)", "OpenAI", "Apache-2.0"),
    ProviderRow("CEREBRAS_API_KEY", "qwen-3-32b-cerebras", "cerebras/qwen-3-32b",
                "Qwen3 32B (Cerebras)", "阿里巴巴 / Alibaba", "Apache-2.0"),
    ProviderRow("TOGETHERAI_API_KEY", "qwen3-next-80b-together",
                "together_ai/Qwen/Qwen3-Next-80B-A3B-Instruct",
                "Qwen3-Next 80B A3B (Together)", "阿里巴巴 / Alibaba", "Apache-2.0"),
    ProviderRow("OPENROUTER_API_KEY", "llama-3.3-70b-openrouter",
                "openrouter/meta-llama/llama-3.3-70b-instruct",
                "Llama 3.3 70B (OpenRouter)", "Meta", "Llama 3.3 Community License"),
)  # fmt: skip


def detect_roster(
    environ: Mapping[str, str],
    *,
    ollama_url: str = "http://127.0.0.1:11434",
    include_local: bool = True,
) -> Roster:
    """A roster from what this machine can reach, in a fixed order.

    First one model per provider whose API key is set (non-empty) in `environ`, in `PROVIDERS`
    order, with `api_key: os.environ/KEY` (never the key itself); then up to a few models of an
    Ollama server at `ollama_url` if it answers quickly (`ollama_url=""` skips the probe);
    then the offline SmolLM2 pair unless `include_local` is false.
    """
    models = [
        ModelConfig(
            name=row.name,
            litellm_params={
                "model": row.model,
                "api_key": ENV_PREFIX + row.env_key,
                **dict(row.extra),
            },
            display_name=row.display_name,
            organisation=row.organisation,
            licence=row.licence,
        )
        for row in PROVIDERS
        if environ.get(row.env_key, "").strip()
    ]
    if ollama_url:
        models.extend(probe_ollama(ollama_url))
    roster = Roster(first_of_each_name(tuple(models)))
    return roster + local_roster() if include_local else roster


def probe_ollama(url: str, *, timeout_s: float = OLLAMA_PROBE_TIMEOUT_S) -> tuple[ModelConfig, ...]:
    """One entry per model pulled into the Ollama server at `url` (sorted, at most a few).

    Returns nothing if the server does not answer within `timeout_s` or answers nonsense.
    """
    base = url.rstrip("/")
    try:
        # trust_env=False: no proxy variables, and this module never reads the environment
        with httpx.Client(timeout=timeout_s, trust_env=False) as client:
            response = client.get(f"{base}/api/tags")
            response.raise_for_status()
            tags = response.json().get("models", [])
        names = sorted({t["name"] for t in tags if isinstance(t, dict) and t.get("name")})
    except (httpx.HTTPError, ValueError, AttributeError, TypeError) as error:
        log.debug("no Ollama server at %s: %s", base, error)
        return ()
    return tuple(
        ModelConfig(
            name=f"ollama/{tag}",
            litellm_params={"model": f"ollama_chat/{tag}", "api_base": base},
            display_name=f"{tag} (Ollama)",
        )
        for tag in names[:MAX_OLLAMA_MODELS]
    )


# -- the offline default ---------------------------------------------------------------------

SMOLLM2_MODEL = "openai/smollm2-135m-instruct"  # served by llama.cpp's OpenAI-compatible server
SMOLLM2_MAX_TOKENS = 256  # SmolLM2-135M tends to loop; cap its answers


def local_roster() -> Roster:
    """Two honestly-labelled configurations of the same SmolLM2-135M-Instruct weights.

    They differ only in temperature and system prompt, which is enough for a working offline
    arena (and for tests) without pretending to be two different models.
    """
    common = {"max_tokens": SMOLLM2_MAX_TOKENS, "max_retries": 0}
    labels = {"organisation": "Hugging Face", "licence": "Apache-2.0", "local_model": "smollm2"}
    return Roster(
        (
            ModelConfig(
                name="smollm2-135m-precise",
                litellm_params={"model": SMOLLM2_MODEL, "temperature": 0.2, **common},
                display_name="SmolLM2 135M Instruct · precise (T=0.2)",
                system_prompt=(
                    "You are a concise, factual assistant. Answer in a few short sentences. "
                    "If you do not know, say so."
                ),
                **labels,
            ),
            ModelConfig(
                name="smollm2-135m-creative",
                litellm_params={"model": SMOLLM2_MODEL, "temperature": 0.9, **common},
                display_name="SmolLM2 135M Instruct · creative (T=0.9)",
                system_prompt=(
                    "You are a playful, imaginative assistant. Answer with vivid ideas and "
                    "examples, in one short paragraph."
                ),
                **labels,
            ),
        )
    )
