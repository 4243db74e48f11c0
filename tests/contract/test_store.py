"""Any store: its schema version, reopening, transactions that nest, old in-database secrets."""

import pytest

from arena.adapters.postgres import SCHEMA_VERSION as POSTGRES_VERSION
from arena.adapters.sqlite import SCHEMA_VERSION
from arena.domain.battle import Status
from tests.contract.helpers import add_models, execute_raw, new_battle, reopen, table_names


def test_both_stores_number_their_schema_alike():
    assert POSTGRES_VERSION == SCHEMA_VERSION


def test_a_new_database_is_at_the_current_schema_version(store):
    assert store.schema_version() == SCHEMA_VERSION
    assert {"models", "voters", "battles", "turns", "votes", "live_ratings", "events"} <= (
        table_names(store)
    )


def test_reopening_a_database_keeps_its_data_and_does_not_migrate_again(store):
    add_models(store, "alpha")
    store.close()
    again = reopen(store)
    try:
        assert [m.name for m in again.models()] == ["alpha"]
        assert again.schema_version() == SCHEMA_VERSION
    finally:
        again.close()


@pytest.mark.parametrize(("value", "says"), [
    (str(SCHEMA_VERSION + 1), f"schema version {SCHEMA_VERSION + 1}; this code knows up to "
                              f"{SCHEMA_VERSION}"),
    ("abc", "schema version 'abc' is not a number"),
    (None, "meta table holds no schema version"),
])  # fmt: skip
def test_a_database_of_a_newer_or_unreadable_schema_is_refused_before_anything_is_written(
    store, value, says
):
    """Older code opened a database a newer one had migrated, and wrote to it (snapshot
    create stored a snapshot); an unreadable version was a ValueError traceback, and a missing
    one ran the migrations again into "table already exists"."""
    from arena.ports import StoreUnavailable

    execute_raw(store, f"UPDATE meta SET value = '{value}' WHERE key = 'schema_version'" if value
                else "DELETE FROM meta WHERE key = 'schema_version'")  # fmt: skip
    store.close()
    try:
        with pytest.raises(StoreUnavailable, match=says):
            reopen(store)
    finally:  # the PostgreSQL database is the session's
        execute_raw(store, "DELETE FROM meta WHERE key = 'schema_version'")
        execute_raw(store, f"INSERT INTO meta (key, value) VALUES ('schema_version', "
                           f"'{SCHEMA_VERSION}')")  # fmt: skip


def test_a_transaction_commits_every_call_in_it_or_none(store):
    new_battle(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.log_event("inside")
        with store.transaction():  # a nested block joins the outer transaction
            store.set_battle_status("b1", Status.VOID)
        raise RuntimeError("the outer block fails after the inner one finished")
    assert store.events("inside") == []
    assert store.load_battle("b1").status is Status.OPEN

    with store.transaction():
        store.log_event("inside")
        with store.transaction():
            store.set_battle_status("b1", Status.VOID)
    assert len(store.events("inside")) == 1
    assert store.load_battle("b1").status is Status.VOID


def test_secrets_an_old_database_kept_can_be_read_then_dropped(store):
    assert store.legacy_secrets() == {}
    execute_raw(store, "INSERT INTO meta (key, value) VALUES ('ip_salt', 'old salt')")
    assert store.legacy_secrets() == {"ip_salt": "old salt"}
    store.drop_legacy_secrets()
    assert store.legacy_secrets() == {}
    assert store.schema_version() == SCHEMA_VERSION


def test_a_call_without_waiting_runs_whole_or_is_left_to_a_thread(store):
    """`without_waiting()` says whether a call may run where it must not wait (a worker's event
    loop): a SQLite file on this host, its writers' lock free, takes the call and keeps that lock
    to the end, across the call's transactions and reads; PostgreSQL, a network away, declines
    every call (False), and the caller runs it on a thread."""
    from arena.adapters.sqlite import SqliteStore

    with store.without_waiting() as at_once:
        if at_once:
            new_battle(store)
            store.mark_streaming("b1")
            store.log_event("inside")
    assert at_once is isinstance(store, SqliteStore)
    if at_once:
        assert store.load_battle("b1").streaming and len(store.events("inside")) == 1
