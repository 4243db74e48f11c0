"""A closed SQLite store leaves one complete file: nothing of it is left in a log that a thread
of its own copies back later (a copy of the file alone, as a backup or a template, would miss
it)."""

import gc
import os
import shutil
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

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


def _open_files_under(folder) -> list[str]:
    """The files under `folder` this process holds a descriptor of (each once per descriptor)."""
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except FileNotFoundError:  # the descriptor listdir itself used
            continue
        if target.startswith(str(folder)):
            held.append(target)
    return sorted(held)


def _write_once(store: SqliteStore) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE models SET display_name = display_name || '.'")


def test_a_thread_that_ends_leaves_no_descriptor_of_the_store_open(tmp_path):
    """A server's thread pools let idle threads end (anyio's after 10 s): each one that had made
    a store call left its descriptor of the writers' lock open, and a long-running worker ran
    out of descriptors."""
    store = SqliteStore(tmp_path / "a.db")
    store.ensure_models([{"name": "m", "display_name": "m", "organisation": "", "licence": ""}])
    held = []
    for threads in (5, 20):
        for _ in range(threads):
            thread = threading.Thread(target=_write_once, args=(store,))
            thread.start()
            thread.join()
        gc.collect()
        held.append(_open_files_under(tmp_path))
    # SQLite itself keeps a closed connection's descriptor of the database for reuse while
    # another connection of the process holds a lock on the file: one, however many threads.
    assert held[0] == held[1]
    assert held[1].count(str(tmp_path / "a.db-writer")) == 1  # the main thread's
    store.close()


def test_closing_a_store_closes_what_its_other_threads_opened(tmp_path):
    """`close()` closed only the calling thread's connection: the store threads' stayed open,
    and a test suite that opens a store per test went past 1,024 descriptors."""
    store = SqliteStore(tmp_path / "a.db")
    store.ensure_models([{"name": "m", "display_name": "m", "organisation": "", "licence": ""}])
    with ThreadPoolExecutor(max_workers=2) as pool:  # threads alive when the store closes
        list(pool.map(lambda _: _write_once(store), range(4)))
        store.close()
        assert _open_files_under(tmp_path) == []
    assert not (tmp_path / "a.db-wal").exists()
