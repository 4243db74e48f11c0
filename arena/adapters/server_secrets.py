"""The server's own secrets, kept in a file readable by its owner only (mode 0600), never in the
database: a database file is shared, backed up and opened in Datasette; the secrets must not be.

One JSON object per deployment: the IP-hash salt, the proof-of-work signing key, the key behind
released voter pseudonyms and the key that signs voter cookies. Missing ones are generated once.
Databases from before schema v5 kept the first three in their `meta` table: `load_secrets` takes
them over (the caller then deletes them from the database).
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path

from arena.ports import ServerSecrets, StoreUnavailable

# Names as stored in the file (and, for the first three, in the `meta` table of old databases).
LEGACY_NAMES = {"ip_salt": "ip_salt", "proof_of_work": "proof_of_work_secret",
                "release_key": "release_key"}  # fmt: skip


class SecretsFileError(StoreUnavailable):
    """The secrets file cannot be used (unreadable, not JSON, wrong shape), or is missing beside
    a database that has voters: the deployment cannot start."""


def load_secrets(
    path: Path, legacy: Mapping[str, str] | None = None, *, has_voters: bool = False
) -> ServerSecrets:
    """Read the secrets file, creating it (mode 0600) or adding what it lacks.

    `legacy` holds values found in an old database's `meta` table; they are kept (so existing IP
    hashes and pseudonyms stay valid) unless the file already has the secret. A database that
    `has_voters` is never given a new file: new secrets would sign every voter out and change
    every IP hash and released pseudonym, so the operator restores the file, or writes `{}`
    there to start over."""
    exists = path.exists()
    if not exists and has_voters and not legacy:
        raise SecretsFileError(
            f"the database holds voters but the secrets file {path} does not exist: new secrets "
            "would sign every voter out and change every IP hash and released pseudonym. Restore "
            "the file (or set ARENA_SECRETS_PATH to where it is); to start over with new "
            f"secrets, write {{}} into {path}"
        )
    stored = _read(path)
    found = dict(stored)
    for name in (f.name for f in fields(ServerSecrets)):
        if name not in found:
            old = (legacy or {}).get(LEGACY_NAMES.get(name, ""))
            found[name] = old or secrets.token_hex(32)
    if found != stored and not _write(path, found, create=not exists):
        return load_secrets(path, legacy)  # another process created it first: use theirs
    elif stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)  # tightened if someone loosened it
    return ServerSecrets(**{f.name: found[f.name] for f in fields(ServerSecrets)})


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SecretsFileError(f"cannot read the secrets file {path}: {error}") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in data.items()
    ):
        raise SecretsFileError(f"the secrets file {path} must be a JSON object of strings")
    return data


def _write(path: Path, values: dict[str, str], *, create: bool) -> bool:
    """Write atomically: a 0600 temporary file beside it, then moved into place. Creating, it
    never replaces a file another worker made meanwhile (returns False then)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(values, handle, indent=2, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temporary, 0o600)
    if not create:
        os.replace(temporary, path)
        return True
    try:
        os.link(temporary, path)  # fails if the file exists: the first creator wins
    except FileExistsError:
        return False
    finally:
        temporary.unlink()
    return True


__all__ = ["ServerSecrets", "SecretsFileError", "load_secrets"]
