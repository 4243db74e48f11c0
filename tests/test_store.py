"""What only the SQLite store has: a file in WAL mode with foreign keys on, and readable names.
Everything a store must do is in the contract suite (tests/contract/), run against every store."""

from tests.contract.helpers import new_battle


def test_the_database_uses_wal_and_foreign_keys(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_the_database_opens_with_readable_names(store):
    new_battle(store)
    fks = {fk.column: fk.other_table for fk in store.db["battles"].foreign_keys}
    assert fks == {"voter_id": "voters", "model_a_id": "models", "model_b_id": "models"}
