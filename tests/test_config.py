from pathlib import Path

import pytest

from arena.config import (
    Settings,
    SettingsError,
    describe_settings,
    env_name,
    load_settings,
    misspelt_settings,
    to_environ,
)


def test_defaults_need_no_environment():
    settings = load_settings({})
    assert settings == Settings()
    assert settings.db_path == Path("data/arena.db")
    assert settings.max_turns == 10


def test_environment_overrides_defaults_and_flags_override_environment():
    settings = load_settings({"ARENA_PORT": "9000", "ARENA_MAX_TURNS": "3"}, port=9100)
    assert settings.port == 9100
    assert settings.max_turns == 3


def test_booleans_and_paths_are_parsed_from_the_environment():
    settings = load_settings({"ARENA_LOCAL_MODELS": "false", "ARENA_DB_PATH": "/tmp/x.db"})
    assert settings.local_models is False
    assert settings.db_path == Path("/tmp/x.db")


def test_bad_values_name_the_variable():
    with pytest.raises(SettingsError, match="ARENA_PORT"):
        load_settings({"ARENA_PORT": "eighty"})


def test_unknown_pairing_policy_is_refused():
    with pytest.raises(SettingsError, match="pairing must be one of"):
        load_settings({"ARENA_PAIRING": "random"})


def test_a_child_process_environment_loads_exactly_the_same_settings():
    settings = load_settings(
        {"ARENA_PORT": "9001", "ARENA_LOCAL_MODELS": "false", "ARENA_TIMEOUT_S": "0.5",
         "ARENA_ANCHOR": "alpha=1000", "ARENA_SEED": "3"}
    )  # fmt: skip
    child = to_environ(settings, {"PATH": "/bin", "ARENA_PORT": "1", "ARENA_UNKNOWN": "x"})

    assert load_settings(child) == settings
    assert child["PATH"] == "/bin" and "ARENA_UNKNOWN" not in child
    assert "ARENA_IP_SALT" not in child, "settings left unset stay unset"


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().port = 1


def test_every_setting_has_help_and_is_documented_in_docs_settings():
    readme = (Path(__file__).parent.parent / "docs" / "settings.md").read_text(encoding="utf-8")
    for name, env, _default, help_text in describe_settings():
        assert help_text
        assert env == env_name(name)
        assert env in readme, f"{env} is not documented in docs/settings.md"


def test_a_trusted_identity_header_needs_trusted_proxies_and_a_header_name():
    with pytest.raises(SettingsError, match="trusted_identity_header needs trusted_proxies"):
        load_settings({"ARENA_TRUSTED_IDENTITY_HEADER": "X-Forwarded-User"})
    with pytest.raises(SettingsError, match="not a header name"):
        load_settings({"ARENA_TRUSTED_IDENTITY_HEADER": "X User:", "ARENA_TRUSTED_PROXIES": "::1"})
    settings = load_settings({"ARENA_TRUSTED_IDENTITY_HEADER": "X-Auth-Request-Email",
                              "ARENA_TRUSTED_PROXIES": "127.0.0.1"})  # fmt: skip
    assert settings.trusted_identity_header == "X-Auth-Request-Email"


def test_a_later_layer_naming_the_sqlite_file_beats_an_earlier_database_url():
    """`--db FILE` under ARENA_DATABASE_URL wrote to the URL's database, not the file named."""
    env = {"ARENA_DATABASE_URL": "sqlite:////x/env.db"}
    assert load_settings(env, db_path="/x/flag.db").sqlite_path == Path("/x/flag.db")
    assert load_settings(env).sqlite_path == Path("/x/env.db")
    # within one layer, as before, the URL wins; and a later URL beats an earlier file
    both = {**env, "ARENA_DB_PATH": "/x/path.db"}
    assert load_settings(both).sqlite_path == Path("/x/env.db")
    later_url = load_settings({"ARENA_DB_PATH": "/x/path.db"}, database_url="sqlite:////x/u.db")
    assert later_url.sqlite_path == Path("/x/u.db")
    # and the workers of `serve --workers` open the same file
    flagged = load_settings(env, db_path="/x/flag.db")
    assert load_settings(to_environ(flagged, {})).sqlite_path == Path("/x/flag.db")


def test_a_bad_value_names_where_it_was_given():
    with pytest.raises(SettingsError, match=r"^ARENA_POW_BITS='abc' is not a valid int"):
        load_settings({"ARENA_POW_BITS": "abc"})
    with pytest.raises(SettingsError, match=r"^setting pow_bits: 'abc' is not a valid int"):
        load_settings({}, pow_bits="abc")


def test_a_range_error_names_only_the_setting_that_is_out_of_range():
    with pytest.raises(SettingsError, match=r"^min_votes must be at least 0$"):
        load_settings({}, min_votes=-5)
    with pytest.raises(SettingsError, match=r"^snapshot_resamples must be at least 1$"):
        load_settings({}, snapshot_resamples=0)


@pytest.mark.parametrize(("variable", "value", "says"), [
    ("ARENA_TIMEOUT_S", "inf", "timeout_s must be a finite number"),
    ("ARENA_TIMEOUT_S", "nan", "timeout_s must be a finite number"),
    ("ARENA_STREAM_GRACE_S", "nan", "stream_grace_s must be a finite number"),
    ("ARENA_MIN_SECONDS_TO_VOTE", "-1", "min_seconds_to_vote must be at least 0"),
    ("ARENA_MIN_SECONDS_TO_VOTE", "nan", "min_seconds_to_vote must be a finite number"),
    ("ARENA_UI_UPDATE_S", "0", "ui_update_s must be positive"),
    ("ARENA_UI_UPDATE_S", "nan", "ui_update_s must be a finite number"),
    ("ARENA_SNAPSHOT_EVERY_HOURS", "nan", "snapshot_every_hours must be a finite number"),
    ("ARENA_DUPLICATE_WINDOW_DAYS", "-inf", "duplicate_window_days must be a finite number"),
    ("ARENA_PORT", "70000", "port must be at most 65535"),
    ("ARENA_DATABASE_URL", "postgresql://[bad", "database_url is not a valid URL"),
    ("ARENA_DATABASE_URL", "postgresql://u:pw@h:99999/d", "database_url is not a valid URL"),
])  # fmt: skip
def test_every_number_is_checked_once_for_the_range_it_can_mean(variable, value, says):
    """inf and nan timeouts ended in OverflowError and ValueError tracebacks at the first
    stream, a negative vote wait in rate_limits' own ValueError, nan passed silently (a vote
    wait nothing is ever past), and a malformed database URL was a ValueError traceback."""
    with pytest.raises(SettingsError, match=says) as refused:
        load_settings({variable: value})
    assert "pw" not in str(refused.value)  # a URL's password is never repeated


def test_a_variable_that_nearly_spells_a_setting_is_named_with_the_setting_it_is_close_to():
    """ARENA_MIN_VOTE=50 left min_votes at its default without a word."""
    environ = {"ARENA_MIN_VOTE": "50", "ARENA_PROT": "9000", "ARENA_PORT": "1",
               "ARENA_TEST_DATABASE_URL": "postgresql://x", "ARENA_UNKNOWN": "x"}  # fmt: skip
    assert misspelt_settings(environ) == [
        "ARENA_MIN_VOTE is not a setting and is ignored; did you mean ARENA_MIN_VOTES?",
        "ARENA_PROT is not a setting and is ignored; did you mean ARENA_PORT?",
    ]
    assert misspelt_settings({"ARENA_MIN_VOTES": "50"}) == []
