"""The model roster: which models can meet in a battle, how litellm calls each, how each is labelled.

A roster comes from one of three places: a litellm proxy config (`load_roster`), the API keys
present in an environment (`detect_roster`), or the offline default (`local_roster`). It never
reads os.environ: callers pass the environment in, and `os.environ/NAME` values stay references
that the provider resolves at call time, so key values never enter a roster.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import yaml

from arena.adapters.providers import MapEntry, list_chat_models, model_mode, routing_problem
from arena.domain.roster import (
    CHAT_MODES,
    ENV_PREFIX,
    LOCAL_MODELS,
    MAX_OLLAMA_MODELS,
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
    "link": (str,),
    "system_prompt": (str, type(None)),
    "weight": (int, float),
    "anonymous_only": (bool,),
    "local_model": (str, type(None)),
}


def load_roster(path: str | Path) -> Roster:
    """Read a litellm proxy config (`model_list:` YAML) into a Roster.

    Other top-level keys (`litellm_settings`, `router_settings`, ...) and unknown `model_info`
    fields are ignored, so an existing proxy config loads unchanged; `environment_variables:`
    becomes the roster's `environ`. Our optional keys are read from `model_info` or from the
    entry's top level. A `model_name` listed twice (litellm's load balancing) keeps its first
    entry; later ones are skipped with a warning. Wildcard entries (`openai/*`) and models that
    are not chat models (by `model_info.mode`, else litellm's model map) are skipped with a
    notice; a file left with none, or with a model litellm cannot route, is a RosterError.
    """
    path = Path(path)
    document = _read_yaml(path)
    if not isinstance(document, Mapping) or "model_list" not in document:
        raise RosterError(f"{path}: expected a mapping with a top-level 'model_list:' key")
    entries = document["model_list"]
    if not isinstance(entries, list) or not entries:
        raise RosterError(f"{path}: 'model_list' must be a non-empty list of models")
    environ = _environment_variables(document.get("environment_variables"), path)

    models: list[ModelConfig] = []
    wildcards: list[str] = []
    unroutable: list[str] = []
    for index, entry in enumerate(entries):
        where = f"model_list[{index}]"
        model = _entry_to_model(entry, f"{path}: {where}")
        if model is None:
            continue
        where = f"{where} ({model.name})"
        litellm_model = model.litellm_params["model"]
        if "*" in model.name or "*" in litellm_model:
            wildcards.append(f"{where}: {litellm_model}")
            log.warning(
                "%s: %s: wildcard entry left out: it routes any model name, and an arena needs "
                "each model listed by name",
                path,
                where,
            )
            continue
        if model.name in (m.name for m in models):
            log.warning(
                "%s: %s is listed again (litellm load balancing); the arena keeps the first entry",
                path,
                where,
            )
            continue
        not_chat = _not_chat(entry, litellm_model)
        if not_chat:
            log.warning("%s: %s: %s; not a chat model, left out", path, where, not_chat)
            continue
        problem = routing_problem(litellm_model, model.litellm_params.get("custom_llm_provider"))
        if problem:
            unroutable.append(f"{where}: {litellm_model} ({problem})")
            continue
        models.append(model)
    if unroutable:
        raise RosterError(
            f"{path}: litellm cannot route {'; '.join(unroutable)}. Give the model a provider "
            "prefix litellm knows (openai/, anthropic/, ...) or set custom_llm_provider"
        )
    if not models and wildcards:
        raise RosterError(
            f"{path}: only wildcard entries ({'; '.join(wildcards)}): list each model the "
            "arena should offer by name, e.g. model_name: gpt-4o with model: openai/gpt-4o"
        )
    if not models:
        raise RosterError(f"{path}: 'model_list' has no chat models")
    return Roster(tuple(models), environ)


def _read_yaml(path: Path) -> Any:
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
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:  # one line: the problem and where, not PyYAML's excerpt
        mark = error.problem_mark
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise RosterError(f"{path}: not valid YAML{at}: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise RosterError(f"{path}: not valid YAML: {error}") from None
    except RecursionError:
        raise RosterError(f"{path}: not readable YAML: nested too deeply") from None
    except ValueError as error:  # a well-formed scalar PyYAML cannot build: 2024-13-45, 10**5000
        raise RosterError(f"{path}: not readable YAML: {error}") from None


def _environment_variables(block: object, path: Path) -> dict[str, str]:
    """litellm's top-level `environment_variables:` (NAME: value), as strings."""
    if block is None:
        return {}
    if not isinstance(block, Mapping):
        raise RosterError(f"{path}: 'environment_variables' must be a mapping of NAME: value")
    environ = {}
    for name, value in block.items():
        if not isinstance(name, str) or not is_text(name) or not name.strip():
            raise RosterError(f"{path}: 'environment_variables' has a name {shown(name)}")
        if isinstance(value, Mapping | list) or (isinstance(value, str) and not is_text(value)):
            raise RosterError(f"{path}: 'environment_variables.{name}' must be a plain value")
        environ[name] = "" if value is None else str(value)
    return environ


def _not_chat(entry: Mapping, model: str) -> str | None:
    """Why the entry is not a chat model (by `model_info.mode` if it gives one, else by litellm's
    model map), or None: a chat model, or one the map does not know."""
    info = entry.get("model_info") or {}
    if isinstance(info.get("mode"), str):
        return f"model_info.mode is {info['mode']!r}" if info["mode"] not in CHAT_MODES else None
    mode = model_mode(model)
    return None if mode is None or mode in CHAT_MODES else f"litellm's model map says mode {mode!r}"


def _entry_to_model(entry: object, where: str) -> ModelConfig:
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


class Family(NamedTuple):
    """A line of models of one maker, as litellm's model map names them at one provider."""

    pattern: str  # matches a whole model id; group "v" (optional) holds its version
    organisation: str  # who made the model (not who serves it)
    licence: str  # licence of the weights; "proprietary" for closed models


class ProviderRow(NamedTuple):
    """One hosted provider: the keys that enable it and the model families offered there."""

    env_keys: tuple[str, ...]  # litellm's variable first, then the aliases it (or we) accept
    provider: str  # litellm's provider: the model prefix and the map's `litellm_provider`
    families: tuple[Family, ...]  # the first family with a model in the map is offered
    host: str = ""  # a service running other makers' models: shown after the model id
    extra: tuple[tuple[str, Any], ...] = ()  # further litellm_params
    fallback: str = ""  # model id when litellm's map lists none (it lists no OpenRouter model)


_V = r"(?P<v>\d+(?:\.\d+)?)"  # 4, 4.7, 4.10
# One row per provider, in the order detection offers them. Each family's pattern picks one
# line of a provider's models (mid-priced where there is a choice); `newest_model` picks the
# newest of that line in litellm's bundled map, so upgrading litellm upgrades the arena.
PROVIDERS: tuple[ProviderRow, ...] = (
    ProviderRow(("OPENAI_API_KEY",), "openai",
                (Family(rf"gpt-{_V}-mini", "OpenAI", "proprietary"),),
                extra=(("reasoning_effort", "low"),)),
    ProviderRow(("ANTHROPIC_API_KEY",), "anthropic",
                (Family(r"claude-sonnet-(?P<v>\d+(?:-\d+)?)", "Anthropic", "proprietary"),)),
    ProviderRow(("GEMINI_API_KEY", "GOOGLE_API_KEY"), "gemini",
                (Family(rf"gemini-{_V}-flash", "Google", "proprietary"),)),
    # "-latest" is Mistral's own name for the newest medium model
    ProviderRow(("MISTRAL_API_KEY",), "mistral",
                (Family(r"mistral-medium-latest", "Mistral AI", "proprietary"),)),
    ProviderRow(("DEEPSEEK_API_KEY",), "deepseek",
                (Family(rf"deepseek-v{_V}-flash", "深度求索 / DeepSeek", "MIT"),)),
    ProviderRow(("DASHSCOPE_API_KEY",), "dashscope",
                (Family(r"qwen(?P<v>[\d.]*)-plus", "阿里巴巴 / Alibaba", "proprietary"),)),
    ProviderRow(("ZAI_API_KEY", "ZHIPUAI_API_KEY"), "zai",
                (Family(rf"glm-{_V}", "智谱 / Zhipu AI", "MIT"),)),
    ProviderRow(("MOONSHOT_API_KEY",), "moonshot",
                (Family(rf"kimi-k{_V}", "月之暗面 / Moonshot AI", "Modified MIT"),)),
    # one-digit minors: xAI's "4.20" came before 4.3
    ProviderRow(("XAI_API_KEY",), "xai",
                (Family(r"grok-(?P<v>\d(?:\.\d)?)", "xAI", "proprietary"),)),
    ProviderRow(("COHERE_API_KEY", "CO_API_KEY"), "cohere_chat",
                (Family(r"command-a-(?P<v>\d\d-\d{4})", "Cohere", "CC-BY-NC-4.0"),)),
    ProviderRow(("VOLCENGINE_API_KEY", "ARK_API_KEY"), "volcengine",
                (Family(r"doubao-seed-(?P<v>\d+-\d+)-pro-(?P<date>\d{6})",
                        "字节跳动 / ByteDance", "proprietary"),)),
    ProviderRow(("MINIMAX_API_KEY",), "minimax",
                (Family(rf"MiniMax-M{_V}", "MiniMax", "MIT"),)),
    # Tencent's TokenHub: Hunyuan once litellm's map lists it; until then, the DeepSeek it serves
    ProviderRow(("TENCENT_API_KEY",), "tencent",
                (Family(rf"hunyuan-{_V}(?:-[a-z]+)?", "腾讯 / Tencent", "proprietary"),
                 Family(rf"deepseek-v{_V}-flash", "深度求索 / DeepSeek", "MIT")),
                host="Tencent"),
    ProviderRow(("GROQ_API_KEY",), "groq",
                (Family(r"openai/gpt-oss-120b", "OpenAI", "Apache-2.0"),), host="Groq"),
    ProviderRow(("CEREBRAS_API_KEY",), "cerebras",
                (Family(rf"qwen-{_V}-\d+b", "阿里巴巴 / Alibaba", "Apache-2.0"),), host="Cerebras"),
    ProviderRow(("TOGETHERAI_API_KEY", "TOGETHER_API_KEY", "TOGETHER_AI_API_KEY"), "together_ai",
                (Family(rf"deepseek-ai/DeepSeek-V{_V}-Flash", "深度求索 / DeepSeek", "MIT"),),
                host="Together"),
    ProviderRow(("OPENROUTER_API_KEY", "OR_API_KEY"), "openrouter",
                (Family(r"meta-llama/llama-3\.3-70b-instruct", "Meta",
                        "Llama 3.3 Community License"),),
                host="OpenRouter", fallback="meta-llama/llama-3.3-70b-instruct"),
)  # fmt: skip


def newest_model(
    row: ProviderRow, entries: Iterable[tuple[str, str | None]], *, today: date | None = None
) -> tuple[str, Family] | None:
    """The newest model of the row's first family that has one among `entries` (model id,
    deprecation date or None), with that family; None if no family has one.

    Newest means the highest version: the numbers of the pattern's named groups (`v`, then any
    other, e.g. a release date), compared number by number (4.10 > 4.9; a month-year version
    03-2025 counts as year, then month). A family without a version group names one model.
    Models deprecated before `today` (default: the current date) are never chosen; litellm's
    map has no release dates, so the name is all there is to go on.
    """
    today = today or date.today()
    usable = [
        model for model, deprecated in entries if not deprecated or deprecated > today.isoformat()
    ]
    for family in row.families:
        found = [(m, re.fullmatch(family.pattern, m)) for m in usable]
        versions = [(_version(match), model) for model, match in found if match]
        if versions:
            return max(versions, key=lambda pair: (pair[0], -len(pair[1]), pair[1]))[1], family
    return None


def _version(match: re.Match) -> tuple[int, ...]:
    numbers: list[int] = []
    for text in match.groupdict(default="").values():
        parts = [int(p) for p in re.findall(r"\d+", text)]
        if re.fullmatch(r"\d\d-\d{4}", text):  # month-year: 03-2025
            parts.reverse()
        numbers += parts
    return tuple(numbers)


def detect_roster(
    environ: Mapping[str, str],
    *,
    ollama_url: str = "http://127.0.0.1:11434",
    include_local: bool = True,
) -> Roster:
    """A roster from what this machine can reach, in a fixed order.

    First one model per provider with a key set (non-empty) in `environ`, in `PROVIDERS` order:
    the newest of its family in litellm's bundled model map, with `api_key: os.environ/KEY`
    naming the first of the provider's variables that is set (never the key itself); then up
    to a few models of an Ollama server at `ollama_url` if it answers quickly (`ollama_url=""`
    skips the probe); then the offline SmolLM2 pair unless `include_local` is false.
    """
    models = []
    for row in PROVIDERS:
        key = next((k for k in row.env_keys if environ.get(k, "").strip()), None)
        if key is not None:
            model = _provider_model(row, key)
            if model is not None:
                models.append(model)
    if ollama_url:
        models.extend(probe_ollama(ollama_url))
    roster = Roster(first_of_each_name(tuple(models)))
    return roster + local_roster() if include_local else roster


def _provider_model(row: ProviderRow, key: str) -> ModelConfig | None:
    entries: tuple[MapEntry, ...] = list_chat_models(row.provider)
    chosen = newest_model(row, entries)
    if chosen is None and row.fallback:
        chosen = row.fallback, row.families[0]
    if chosen is None:
        log.warning("%s is set, but litellm's model map lists no %s model to offer; write a "
                    "roster file to use %s", key, row.provider, row.provider)  # fmt: skip
        return None
    model_id, family = chosen
    short = model_id.rsplit("/", 1)[-1]
    host = row.host
    return ModelConfig(
        name=f"{short.lower()}-{host.lower()}" if host else short,
        litellm_params={
            "model": f"{row.provider}/{model_id}",
            "api_key": ENV_PREFIX + key,
            **dict(row.extra),
        },
        display_name=f"{short} ({host})" if host else short,
        organisation=family.organisation,
        licence=family.licence,
    )


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
    labels = {
        "organisation": "Hugging Face",
        "licence": "Apache-2.0",
        "local_model": "smollm2",
        "link": "https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct",
    }
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
