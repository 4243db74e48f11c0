"""A closed SQLite store leaves one complete file: nothing of it is left in a log that a thread
of its own copies back later (a copy of the file alone, as a backup or a template, would miss
it)."""

import shutil
import sqlite3

from arena.adapters.sqlite import SqliteStore, base


def test_a_store_closed_while_its_checkpoint_thread_runs_leaves_a_complete_file(tmp_path):
    store = SqliteStore(tmp_path / "a.db")
    store.ensure_models([{"name": f"m{k}", "display_name": f"m{k}", "organisation": "",
                          "licence": ""} for k in range(3)])  # fmt: skip
    for _ in range(base.CHECKPOINT_EVERY + 5):  # enough commits to start a checkpoint thread
        with store.transaction() as conn:
            conn.execute("UPDATE models SET display_name = display_name || '.'")
    store.close()
    assert not (tmp_path / "a.db-wal").exists()
    shutil.copy(tmp_path / "a.db", tmp_path / "copy.db")
    copy = sqlite3.connect(tmp_path / "copy.db")
    [(dots,)] = copy.execute("SELECT length(display_name) - 2 FROM models WHERE name = 'm0'")
    assert dots == base.CHECKPOINT_EVERY + 5
