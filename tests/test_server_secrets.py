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


def test_an_empty_object_is_filled_in_not_a_start_that_never_ends(tmp_path):
    """`{}` (an existing file with nothing in it) made load_secrets try to create the file,
    fail because it exists, and call itself until RecursionError."""
    path = tmp_path / "s.json"
    path.write_text("{}")
    made = load_secrets(path)
    assert json.loads(path.read_text()) == {
        "ip_salt": made.ip_salt, "proof_of_work": made.proof_of_work,
        "release_key": made.release_key, "voter_cookie": made.voter_cookie,
    }  # fmt: skip


def test_a_database_with_voters_is_not_given_new_secrets_behind_its_back(
    settings, make_roster, fake_provider
):
    """A missing secrets file beside a database that has voters was made anew without a word:
    every voter signed out, every IP hash and released pseudonym changed (the documented move
    to PostgreSQL did it: the secrets file stayed beside the SQLite file)."""
    roster = make_roster({"alpha": "fake-echo", "beta": "fake-zh"})
    with create_arena(settings, roster=roster, provider=fake_provider,
                      start_local_models=False) as arena:  # fmt: skip
        arena.accept_terms(Voter("s", "v", "203.0.113.1"), arena.terms("en").sha256)
    settings.secrets_file.unlink()
    opening = create_arena(settings, roster=roster, provider=fake_provider,
                           start_local_models=False)  # fmt: skip
    with pytest.raises(SecretsFileError, match="holds voters but the secrets file") as refused:
        opening.__enter__()
    assert str(settings.secrets_file) in str(refused.value)
    assert not settings.secrets_file.exists()
    settings.secrets_file.write_text("{}")  # the operator's choice: start over with new ones
    with create_arena(settings, roster=roster, provider=fake_provider,
                      start_local_models=False):  # fmt: skip
        pass
    assert set(json.loads(settings.secrets_file.read_text())) == {
        "ip_salt",
        "proof_of_work",
        "release_key",
        "voter_cookie",
    }


def test_a_secrets_file_that_cannot_be_used_is_one_error_line(tmp_path):
    from click.testing import CliRunner

    from arena.cli import cli

    runner = CliRunner()
    db = tmp_path / "arena.db"
    (tmp_path / "v.csv").write_text("model_a,model_b,winner\nx,y,model_a\n")
    assert runner.invoke(cli, ["import-battles", str(tmp_path / "v.csv"), "--db", str(db)],
                         env={"ARENA_LOCAL_MODELS": "false"}).exit_code == 0  # fmt: skip
    (tmp_path / "arena.secrets.json").write_text('{"ip_salt": ')
    result = runner.invoke(cli, ["ratings", "--db", str(db)], env={"ARENA_LOCAL_MODELS": "false"})
    assert result.exit_code == 1 and result.output.startswith("Error: cannot read the secrets")
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit


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
