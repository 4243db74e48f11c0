"""The single wiring point: settings in, a ready Arena out (store, roster, provider, pairing,
local model servers). Everything else receives its collaborators from here."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from arena.adapters.copy import (
    CopyRefused,
    copy_secrets_file,
    copy_sqlite_to_postgres,
    refuse_unless_ready,
)
from arena.adapters.local_models import LocalModelServers
from arena.adapters.postgres import PostgresStore
from arena.adapters.providers import LiteLLMProvider, Provider
from arena.adapters.roster import Roster, detect_roster, load_roster
from arena.adapters.server_secrets import ServerSecrets, load_secrets
from arena.adapters.sqlite import SqliteStore
from arena.config import Settings, provider_environ
from arena.domain.pairing import Pairing
from arena.ports import Store, StoreUnavailable
from arena.service import Arena
from arena.usecases.detection import Detection
from arena.usecases.gatekeeper import Gatekeeper
from arena.usecases.publishing import Publishing
from ratings.trueskill_ratings import TrueSkillParams


def open_store(settings: Settings, clock: Callable[[], float] = time.time) -> Store:
    """The store `settings` name: PostgreSQL for a postgresql:// `database_url`, else the SQLite
    file (`db_path`, or a sqlite:/// URL's path)."""
    path = settings.sqlite_path
    if path is None:
        return PostgresStore(settings.database_url, clock=clock)
    return SqliteStore(path, clock=clock)


def open_secrets(settings: Settings, store: Store) -> ServerSecrets:
    """The deployment's secrets file (created 0600 on first start); secrets an old database kept
    in its `meta` table move into it, then leave the database."""
    legacy = store.legacy_secrets()
    found = load_secrets(settings.secrets_file, legacy, has_voters=store.has_voters())
    if legacy:
        store.drop_legacy_secrets()
    return found


def build_roster(settings: Settings, environ: Mapping[str, str]) -> Roster:
    if settings.roster_path is not None:
        return load_roster(settings.roster_path)
    return detect_roster(
        environ, ollama_url=settings.ollama_url, include_local=settings.local_models
    )


@contextmanager
def create_arena(
    settings: Settings,
    *,
    environ: Mapping[str, str] | None = None,
    roster: Roster | None = None,
    provider: Provider | None = None,
    start_local_models: bool = True,
    clock: Callable[[], float] = time.time,
) -> Iterator[Arena]:
    """Wire an Arena; local llama.cpp servers and the database close when the block ends.

    `clock` (Unix seconds) stamps everything stored and drives the rate limits; simulations
    pass a simulated one."""
    environ = provider_environ(environ)
    roster = roster if roster is not None else build_roster(settings, environ)
    # the roster file's environment_variables, for this arena's providers only (as litellm's
    # proxy does, they win over the process environment)
    environ = {**environ, **roster.environ}
    servers = LocalModelServers(roster)
    store = open_store(settings, clock)
    try:
        try:
            secrets = open_secrets(settings, store)
            if start_local_models:
                roster = servers.start()
            trueskill = TrueSkillParams()
            publishing = Publishing(
                settings=settings,
                store=store,
                roster=roster,
                trueskill=trueskill,
                release_key=secrets.release_key.encode(),
                clock=clock,
            )
            arena = Arena(
                settings=settings,
                store=store,
                provider=provider or LiteLLMProvider(timeout_s=settings.timeout_s, environ=environ),
                roster=roster,
                pairing=Pairing(
                    settings.pairing, floor=settings.pairing_floor, rng=random.Random(settings.seed)
                ),
                trueskill=trueskill,
                gatekeeper=Gatekeeper(
                    settings, store, clock, proof_secret=secrets.proof_of_work.encode()
                ),
                publishing=publishing,
                detection=Detection(store, publishing, clock),
                secrets=secrets,
            )
            arena.sweep_dead_streams()  # streams that died with an earlier process
        except store.failures as error:  # the first writes (a read-only file, a full disk)
            raise StoreUnavailable(f"the database cannot be written: {error}") from None
        try:
            yield arena
        finally:
            arena.close()
    finally:
        servers.close()
        store.close()


def copy_database(
    settings: Settings, to_url: str, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Copy this deployment's SQLite database into the empty PostgreSQL database at `to_url`
    (same ids, times and snapshots, one transaction), with the same secrets; returns the rows
    copied per table, telling `progress` (rows copied, total) as it goes. Raises CopyRefused
    before writing anything it cannot finish."""
    target_settings = settings.with_overrides(database_url=to_url)
    path = settings.sqlite_path
    if path is None or target_settings.sqlite_path is not None:
        raise CopyRefused("copy-db copies a SQLite database into a PostgreSQL one")
    if not path.exists():
        raise CopyRefused(f"there is no SQLite database at {path}")
    target = PostgresStore(to_url)  # StoreUnavailable before anything is written
    try:
        source = SqliteStore(path)
        try:
            refuse_unless_ready(source, target)  # before the secrets file is written
            open_secrets(settings, source)  # secrets an old database still holds move out first
            copy_secrets_file(settings.secrets_file, target_settings.secrets_file)
            return copy_sqlite_to_postgres(source, target, progress)
        finally:
            source.close()
    finally:
        target.close()
