"""`SqliteStore(":memory:")` is one throwaway database, the same for every thread."""

import threading

from arena.adapters.sqlite import SqliteStore


def test_an_in_memory_store_is_the_same_database_on_every_thread():
    store = SqliteStore(":memory:")
    store.ensure_models(
        [{"name": "alpha", "display_name": "Alpha", "organisation": "", "licence": ""}]
    )
    seen = []
    thread = threading.Thread(target=lambda: seen.append([m.name for m in store.models()]))
    thread.start()
    thread.join()
    assert seen == [["alpha"]]


def test_an_in_memory_store_leaves_nothing_behind():
    store = SqliteStore(":memory:")
    folder = store.path.parent
    assert folder.exists()
    store.close()
    del store
    import gc

    gc.collect()
    assert not folder.exists()
