"""The server's secrets live in a 0600 file beside the database, never in the database."""

import json
import stat

import pytest

from arena.adapters.server_secrets import SecretsFileError, load_secrets
from arena.adapters.sqlite import SqliteStore
from arena.bootstrap import create_arena
from arena.views import Voter
from tests.conftest import collect


def test_a_new_secrets_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "arena.secrets.json"
    found = load_secrets(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["voter_cookie"] == found.voter_cookie
    assert load_secrets(path) == found, "created once, then read"
    assert "hidden" in repr(found) and found.ip_salt not in repr(found)


def test_a_loosened_secrets_file_is_tightened_again(tmp_path):
    path = tmp_path / "s.json"
    load_secrets(path)
    path.chmod(0o644)
    load_secrets(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_broken_secrets_file_is_an_error_not_a_new_set_of_secrets(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("not json")
    with pytest.raises(SecretsFileError, match="cannot read"):
        load_secrets(path)
    path.write_text('["a list"]')
    with pytest.raises(SecretsFileError, match="JSON object"):
        load_secrets(path)


def _every_text_in(db_path) -> str:
    store = SqliteStore(db_path)
    try:
        texts = []
        for table in store.db.table_names():
            for row in store.db.execute(f"SELECT * FROM [{table}]").fetchall():
                texts += [str(value) for value in row]
        return "\n".join(texts)
    finally:
        store.close()


def test_the_database_holds_no_secret_after_votes(settings, make_roster, fake_provider):
    roster = make_roster({"alpha": "fake-echo", "beta": "fake-zh"})
    with create_arena(
        settings.with_overrides(pow_bits=4), roster=roster, provider=fake_provider,
        start_local_models=False,
    ) as arena:  # fmt: skip
        me = Voter("s", "v", "203.0.113.1")
        started = arena.start_battle(me)
        collect(arena.ask(me, started.battle_id, "hello"))
        arena.vote(me, started.battle_id, "tie")
    secrets = json.loads(settings.secrets_file.read_text())
    assert set(secrets) == {"ip_salt", "proof_of_work", "release_key", "voter_cookie"}
    everything = _every_text_in(settings.db_path)
    for name, value in secrets.items():
        assert value not in everything, f"{name} is in the database"


def test_an_old_database_moves_its_secrets_to_the_file_and_keeps_its_ip_hashes(
    settings, make_roster, fake_provider
):
    old = SqliteStore(settings.db_path)
    with old.transaction() as conn:  # what schema v4 databases held in `meta`
        for key in ("ip_salt", "proof_of_work_secret", "release_key"):
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [key, f"old-{key}"])
    old.close()
    roster = make_roster({"alpha": "fake-echo", "beta": "fake-zh"})
    with create_arena(
        settings, roster=roster, provider=fake_provider, start_local_models=False
    ) as arena:
        salted = arena.hash_ip("203.0.113.1")
    moved = json.loads(settings.secrets_file.read_text())
    assert moved["ip_salt"] == "old-ip_salt" and moved["release_key"] == "old-release_key"
    assert moved["proof_of_work"] == "old-proof_of_work_secret"
    assert "old-" not in _every_text_in(settings.db_path)
    import hashlib

    assert salted == hashlib.sha256(b"old-ip_salt:203.0.113.1").hexdigest()[:24]
