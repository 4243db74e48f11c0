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


def test_a_new_file_opens_while_another_connection_writes_to_it(tmp_path):
    # Two workers started on a new file: one turns it to WAL and migrates it while the other
    # opens it. Turning a file to WAL upgrades a read to a write, and SQLite answers "database
    # is locked" at once, without waiting the busy timeout, when another connection is writing:
    # the second worker died at start with a traceback (1 run in ~30 of `serve --workers 4`).
    import sqlite3
    import threading

    from arena.adapters.sqlite import SqliteStore

    path = tmp_path / "arena.db"
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("CREATE TABLE other (x)")  # a file still in its rollback journal
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO other VALUES (1)")  # another connection writing
    timer = threading.Timer(0.3, lambda: writer.execute("COMMIT"))
    timer.start()
    try:
        store = SqliteStore(path)  # waits for the writer, as the busy timeout promises
    finally:
        timer.join()
        writer.close()
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version() > 0
    store.close()
