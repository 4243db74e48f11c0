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
