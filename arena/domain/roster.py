"""The model roster as data: which models can meet in a battle, how each is called and labelled.

Plain values, no I/O: reading a roster from a litellm config, from the environment's keys or
the offline default is `arena.adapters.roster`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from arena.domain.text import name_fault

LOCAL_MODELS = frozenset({"smollm2"})  # weights `local_models.LocalModelServers` can serve
ENV_PREFIX = "os.environ/"  # litellm's spelling for "read this value from the environment"
MAX_OLLAMA_MODELS = 4  # a local Ollama with dozens of pulled models should not flood the arena
OLLAMA_PROBE_TIMEOUT_S = 0.5
# litellm `mode`s (model_info.mode, or litellm's model map) that acompletion can answer with;
# other modes (embedding, image_generation, audio_speech, rerank, ...) cannot meet in a battle
CHAT_MODES = frozenset({"chat", "responses", "completion"})


class RosterError(ValueError):
    """A roster file or entry is unusable; the message names the file, entry and key."""


class ModelNotFound(KeyError):
    """No model of that name in the roster."""

    def __str__(self) -> str:  # KeyError would repr() the message, quotes and all
        return str(self.args[0]) if self.args else "model not found"


class FrozenParams(Mapping[str, Any]):
    """A read-only copy of litellm_params (top level). Pickles and deep-copies like a dict."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] = ()) -> None:
        object.__setattr__(self, "_data", dict(data))

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("litellm_params are read-only; use dataclasses.replace")

    def __reduce__(self) -> tuple[Any, ...]:  # __setattr__ is blocked, so rebuild via __init__
        return (FrozenParams, (self._data,))

    def __repr__(self) -> str:
        return repr(self._data)


_LINK = re.compile(r"https?://[^\s<>()\[\]\\\"'`]+")  # nothing Markdown could read as markup


@dataclass(frozen=True)
class ModelConfig:
    """One roster entry: a litellm deployment plus the labels shown after the vote."""

    name: str  # litellm `model_name`; the id stored in the DB and revealed after the vote
    litellm_params: Mapping[str, Any] = field(hash=False)  # "os.environ/NAME" values kept as-is
    display_name: str = ""  # defaults to name
    organisation: str = ""
    licence: str = ""
    link: str = ""  # a page about the model (http or https), linked from the reveal
    system_prompt: str | None = None
    weight: float = 1.0  # relative sampling weight for pairing
    anonymous_only: bool = False  # never offered in named side-by-side or direct chat
    local_model: str | None = None  # served by our own llama.cpp server (api_base set at start)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("a model needs a non-empty name")
        if name_fault(self.name):
            raise ValueError(f"model {self.name!r}: its name {name_fault(self.name)}")
        model = (
            self.litellm_params.get("model") if isinstance(self.litellm_params, Mapping) else None
        )
        if not isinstance(model, str) or not model.strip():
            raise ValueError(f"model {self.name!r}: litellm_params needs a 'model' string")
        if not math.isfinite(self.weight) or self.weight <= 0:
            raise ValueError(f"model {self.name!r}: weight must be a positive number")
        if self.local_model is not None and self.local_model not in LOCAL_MODELS:
            known = ", ".join(sorted(LOCAL_MODELS))
            raise ValueError(f"model {self.name!r}: unknown local_model (known: {known})")
        object.__setattr__(self, "litellm_params", FrozenParams(self.litellm_params))
        if self.link and not _LINK.fullmatch(self.link):
            raise ValueError(f"model {self.name!r}: link must be an http(s) address, "
                             f"got {self.link!r}")  # fmt: skip
        if not self.display_name:
            object.__setattr__(self, "display_name", self.name)

    @property
    def is_local(self) -> bool:
        return self.local_model is not None


@dataclass(frozen=True)
class Roster:
    """The models of one arena, in a fixed order; names are unique.

    `environ` holds the roster file's `environment_variables:` block: values the providers
    resolve `os.environ/NAME` references from, for this arena only (never put in os.environ).
    It may hold keys, so it is left out of repr()."""

    models: tuple[ModelConfig, ...]
    environ: Mapping[str, str] = field(default_factory=dict, repr=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "models", tuple(self.models))
        object.__setattr__(self, "environ", FrozenParams(self.environ))
        seen: set[str] = set()
        for model in self.models:
            if model.name in seen:
                raise ValueError(f"model {model.name!r} appears twice in the roster")
            seen.add(model.name)

    def get(self, name: str) -> ModelConfig:
        for model in self.models:
            if model.name == name:
                return model
        known = ", ".join(self.names) or "none"
        raise ModelNotFound(f"no model named {name!r} in the roster (known: {known})")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(model.name for model in self.models)

    @property
    def named(self) -> tuple[ModelConfig, ...]:
        """Models that may be offered by name (side-by-side, direct chat)."""
        return tuple(model for model in self.models if not model.anonymous_only)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self) -> Iterator[ModelConfig]:
        return iter(self.models)

    def __len__(self) -> int:
        return len(self.models)

    def __add__(self, other: Roster) -> Roster:
        """Both rosters' models and environments; a name already present keeps its first entry."""
        return Roster(
            first_of_each_name(self.models + other.models), {**other.environ, **self.environ}
        )


# -- loading a litellm proxy config ----------------------------------------------------------


def first_of_each_name(models: tuple[ModelConfig, ...]) -> tuple[ModelConfig, ...]:
    seen: set[str] = set()
    kept = []
    for model in models:
        if model.name not in seen:
            seen.add(model.name)
            kept.append(model)
    return tuple(kept)
