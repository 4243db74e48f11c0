"""Settings: declared once (name, default, help), built once from defaults → env vars → CLI flags.

This is the only module that reads os.environ. Every setting `x` can be set with the environment
variable `ARENA_X`; provider API keys are read from the environment as litellm names them.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PAIRING_POLICIES = ("uniform", "weighted", "uncertainty")
# The Bradley–Terry 95% interval schemes (arena.rankings passes them to ratings/ as `ci`).
INTERVALS = ("sandwich", "bootstrap", "reweighted")
SQLITE_URL = "sqlite:///"  # sqlite:///data/arena.db (relative), sqlite:////srv/arena.db (absolute)
POSTGRES_URLS = ("postgresql://", "postgres://")
# Offline by default: no analytics, no hub downloads, litellm's cost map from the installed
# package. Applied by the entry points (`python -m arena`, app.py) before gradio or litellm is
# imported; importing the package itself changes nothing.
OFFLINE_ENVIRONMENT = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS": "True",
    "HF_HUB_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_defaults() -> None:
    """Set each OFFLINE_ENVIRONMENT variable the environment does not set already."""
    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    db_path: Path = _setting(
        Path("data/arena.db"), "SQLite file holding battles and votes (database_url unset)"
    )
    database_url: str = _setting(
        "", "where battles and votes live: postgresql://… or sqlite:///PATH; unset: db_path"
    )
    secrets_path: Path | None = _setting(
        None, "JSON file (mode 0600) with the server's secrets; unset: <db>.secrets.json beside "
        "the SQLite file, or arena.secrets.json in db_path's folder for PostgreSQL",
    )  # fmt: skip
    roster_path: Path | None = _setting(
        None, "litellm proxy config (model_list YAML); unset: detect providers from API keys"
    )
    host: str = _setting("127.0.0.1", "address the web server binds to")
    trusted_proxies: str = _setting(
        "", "comma-separated proxy addresses or networks whose X-Forwarded-For is believed"
    )
    trusted_identity_header: str = _setting(
        "",
        "header in which an SSO proxy among trusted_proxies names the signed-in user (e.g. "
        "X-Forwarded-User); the voter is then the user",
    )
    port: int = _setting(7860, "port the web server listens on")
    local_models: bool = _setting(True, "serve the offline SmolLM2 models with llama.cpp")
    ollama_url: str = _setting("http://127.0.0.1:11434", "Ollama server probed when detecting")
    max_turns: int = _setting(10, "turns a voter may take in one battle before voting")
    max_prompt_chars: int = _setting(4000, "longest prompt accepted, in characters")
    timeout_s: float = _setting(60.0, "seconds a model may take for one whole answer")
    pairing: str = _setting("uncertainty", "pairing policy: uniform, weighted or uncertainty")
    pairing_floor: float = _setting(
        0.3, "share of pair probability spread uniformly so every pair keeps being sampled"
    )
    concurrency: int = _setting(8, "battles streamed at once; further voters wait in a queue")
    ui_update_s: float = _setting(0.1, "seconds between streamed UI updates")
    stream_grace_s: float = _setting(
        30.0, "seconds past timeout_s after which a stream whose process died is abandoned"
    )
    ip_salt: str | None = _setting(None, "salt for hashing IPs; unset: generated once per DB")
    maintainer_secret: str | None = _setting(
        None, "secret for maintainer actions; unset: maintainer actions are disabled"
    )
    snapshot_intervals: str = _setting(
        "sandwich",
        "snapshot 95% intervals: sandwich (closed form), bootstrap (snapshot_resamples multinomial"
        " resamples) or reweighted (LMArena's inverse-frequency-weighted fit; its ratings differ)",
    )
    snapshot_resamples: int = _setting(
        1000, "bootstrap resamples for snapshot intervals (snapshot_intervals=bootstrap)"
    )
    snapshot_every_votes: int = _setting(
        100, "new counted votes after which the server creates a snapshot by itself (0: off)"
    )
    snapshot_every_hours: float = _setting(
        6.0, "hours after the latest snapshot at which the server creates one by itself if any "
        "new vote counts (0: off)",
    )  # fmt: skip
    min_votes: int = _setting(100, "votes below which a model is listed as provisional")
    anchor: str | None = _setting(
        None, "pin one model's rating in snapshots, as NAME=RATING (unset: mean rating 1000)"
    )
    terms_required: bool = _setting(
        True, "voters accept the terms notice before their first battle (recorded with the voter)"
    )
    terms_text: str | None = _setting(
        None, "the terms notice voters accept (Markdown); unset: the built-in one, in the voter's "
        "language, saying that prompts and votes may be published",
    )  # fmt: skip
    battles_per_minute_voter: int = _setting(6, "battles one voter may start per minute")
    battles_per_minute_ip: int = _setting(30, "battles one IP may start per minute")
    votes_per_day_voter: int = _setting(100, "counted votes per voter per day")
    votes_per_day_ip: int = _setting(500, "counted votes per IP per day")
    min_seconds_to_vote: float = _setting(
        3.0, "seconds between both answers finishing and a vote that counts"
    )
    pow_bits: int = _setting(
        16, "proof-of-work difficulty for voters without history (leading zero bits; 0: off)"
    )
    duplicate_votes: int = _setting(
        1, "counted votes one voter may cast on the same or a near-duplicate prompt"
    )
    prompt_cap: int = _setting(
        50, "counted votes one prompt may collect across all voters (later ones do not count)"
    )
    duplicate_window_days: float = _setting(30.0, "days back the duplicate-prompt check looks")
    seed: int | None = _setting(None, "random seed for pairing and side order (tests only)")

    @property
    def anchor_pin(self) -> tuple[str, float] | None:
        """The anchor as (model, rating), or None."""
        if self.anchor is None:
            return None
        name, _, value = self.anchor.rpartition("=")
        return name, float(value)

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file the store lives in (`db_path`, or a sqlite:/// URL's path); None when
        `database_url` names a PostgreSQL database."""
        if not self.database_url:
            return self.db_path
        if self.database_url.startswith(SQLITE_URL):
            return Path(self.database_url.removeprefix(SQLITE_URL))
        return None

    @property
    def secrets_file(self) -> Path:
        """Where the server's secrets live: `secrets_path`, or `arena.db` -> `arena.secrets.json`
        beside the SQLite file. A PostgreSQL database has no file to sit beside: its secrets are
        `arena.secrets.json` in db_path's folder (`data/`), where a SQLite arena copied into it
        (`copy-db`) keeps its own by default."""
        if self.secrets_path is not None:
            return self.secrets_path
        path = self.sqlite_path
        if path is None:
            return self.db_path.parent / "arena.secrets.json"
        return path.with_name(f"{path.stem}.secrets.json")

    @property
    def trusted_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        """`trusted_proxies` parsed: the peers whose X-Forwarded-For header is believed."""
        return tuple(
            ipaddress.ip_network(part.strip(), strict=False)
            for part in self.trusted_proxies.split(",")
            if part.strip()
        )

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given settings replaced; `None` values mean "not given"."""
        given = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(given) - {f.name for f in fields(self)}
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        if "db_path" in given and "database_url" not in given:
            # Two names of one thing, where the data lives: the later layer's wins (`--db FILE`
            # under ARENA_DATABASE_URL opened the URL's database); within a layer, the URL.
            given["database_url"] = ""
        return _validated(replace(self, **{k: _coerce(k, v) for k, v in given.items()}))


class SettingsError(ValueError):
    pass


def describe_settings() -> list[tuple[str, str, Any, str]]:
    """(setting, env var, default, help) for every setting, for docs and `--help`."""
    return [(f.name, env_name(f.name), f.default, f.metadata["help"]) for f in fields(Settings)]


def env_name(setting: str) -> str:
    return f"ARENA_{setting.upper()}"


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Defaults, then ARENA_* environment variables, then explicit overrides (CLI flags)."""
    environ = os.environ if environ is None else environ
    from_env = {}
    for f in fields(Settings):
        name = env_name(f.name)
        if name in environ:
            try:
                from_env[f.name] = _coerce(f.name, environ[name])
            except SettingsError:
                raise SettingsError(
                    f"{name}={environ[name]!r} is not a valid {_TYPES[f.name]}"
                ) from None
    return Settings().with_overrides(**from_env).with_overrides(**overrides)


def misspelt_settings(environ: Mapping[str, str] | None = None) -> list[str]:
    """One line for each ARENA_* variable that is no setting but a typo of one (a letter or two
    missing, extra, wrong or swapped; one in a name of five letters or fewer), which would
    otherwise leave its setting at the default without a word: the name, and the setting it is
    close to. Other ARENA_* variables (a test suite's own) are left alone."""
    environ = os.environ if environ is None else environ
    settings = [f.name.upper() for f in fields(Settings)]
    lines = []
    for name in sorted(k for k in environ if k.startswith("ARENA_")):
        typed = name.removeprefix("ARENA_")
        if typed in settings:
            continue
        typos, close = min((_typos(typed, setting), setting) for setting in settings)
        if typos <= (1 if len(typed) <= 5 else 2):
            lines.append(f"{name} is not a setting and is ignored; did you mean ARENA_{close}?")
    return lines


def _typos(a: str, b: str) -> int:
    """Letters missing, extra, wrong or swapped (two side by side) between `a` and `b`."""
    before, row = None, list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            best = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                best = min(best, before[j - 2] + 1)
            current.append(best)
        before, row = row, current
    return row[-1]


def to_environ(settings: Settings, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a child process that loads exactly `settings` (the workers of
    `serve --workers`): `environ` (default: this process's) without its ARENA_* variables, then
    one ARENA_* variable per setting that is set."""
    environ = os.environ if environ is None else environ
    child = {k: v for k, v in environ.items() if not k.startswith("ARENA_")}
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if value is not None:
            child[env_name(f.name)] = str(value).lower() if isinstance(value, bool) else str(value)
    return child


def provider_environ(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The process environment, for resolving `os.environ/NAME` keys in the roster."""
    return dict(os.environ if environ is None else environ)


_TYPES = {f.name: f.type for f in fields(Settings)}


def _coerce(name: str, value: Any) -> Any:
    kind = _TYPES[name]
    if not isinstance(value, str):
        return Path(value) if "Path" in kind and value is not None else value
    try:
        if kind.startswith("bool"):
            if value.lower() in {"1", "true", "yes", "on"}:
                return True
            if value.lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(value)
        if kind.startswith("int"):
            return int(value)
        if kind.startswith("float"):
            return float(value)
        if "Path" in kind:
            return Path(value)
    except ValueError:
        raise SettingsError(f"setting {name}: {value!r} is not a valid {kind}") from None
    return value


# Numbers that may be negative; every other number setting is finite and 0 or more.
SIGNED = frozenset({"seed"})


def _validated(settings: Settings) -> Settings:
    for f in fields(settings):
        value = getattr(settings, f.name)
        if f.name in SIGNED or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if not math.isfinite(value):
            raise SettingsError(f"{f.name} must be a finite number, not {value}")
        if value < 0:
            raise SettingsError(f"{f.name} must be at least 0")
    url = settings.database_url
    if url and not url.startswith((SQLITE_URL, *POSTGRES_URLS)):
        # the URL itself is not repeated: it may hold a password
        raise SettingsError("database_url must start with postgresql://, postgres:// or sqlite:///")
    if url.startswith(POSTGRES_URLS):
        try:
            urlsplit(url).port  # noqa: B018 (parsed to validate: a bracket, a port out of range)
        except ValueError:
            raise SettingsError("database_url is not a valid URL") from None
    if settings.port > 65535:
        raise SettingsError("port must be at most 65535")
    if settings.pairing not in PAIRING_POLICIES:
        raise SettingsError(
            f"pairing must be one of {', '.join(PAIRING_POLICIES)}, not {settings.pairing!r}"
        )
    if not 0.0 <= settings.pairing_floor <= 1.0:
        raise SettingsError("pairing_floor must be between 0 and 1")
    for name in ("max_turns", "max_prompt_chars", "concurrency", "duplicate_votes", "prompt_cap"):
        if getattr(settings, name) < 1:
            raise SettingsError(f"{name} must be at least 1")
    if settings.anchor is not None:
        name, _, value = settings.anchor.rpartition("=")
        try:
            float(value)
        except ValueError:
            name = ""
        if not name:
            raise SettingsError(f"anchor must look like NAME=RATING, not {settings.anchor!r}")
    if settings.snapshot_intervals not in INTERVALS:
        raise SettingsError(f"snapshot_intervals must be one of {', '.join(INTERVALS)}, "
                            f"not {settings.snapshot_intervals!r}")  # fmt: skip
    if settings.snapshot_resamples < 1:
        raise SettingsError("snapshot_resamples must be at least 1")
    if not 0 <= settings.pow_bits <= 28:
        raise SettingsError("pow_bits must be between 0 and 28")
    for name in ("timeout_s", "ui_update_s"):
        if getattr(settings, name) <= 0:
            raise SettingsError(f"{name} must be positive")
    header = settings.trusted_identity_header
    if header and not re.fullmatch(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+", header):
        raise SettingsError(f"trusted_identity_header {header!r} is not a header name")
    if header and not settings.trusted_proxies.strip():
        raise SettingsError(
            "trusted_identity_header needs trusted_proxies: the header is believed only from them"
        )
    try:
        settings.trusted_networks  # noqa: B018 (parsed to validate)
    except ValueError:
        raise SettingsError(
            f"trusted_proxies must be comma-separated IP addresses or networks, "
            f"not {settings.trusted_proxies!r}"
        ) from None
    return settings
