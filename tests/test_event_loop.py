"""A worker's event loop is never held up. Every stream of a worker shares its one loop: a store
call made on it (a read, a write queued behind another worker's transaction) or a full garbage
collection over everything startup made stalls every answer that worker is streaming, and so do
the disclosure and probe checks of a finished turn. A store call runs on the loop only when the
store holds the database for it without waiting (a SQLite file on this host, its writers' lock
free), else on the service's store threads, in order per stream; the checks in a thread. Watched
on the real app, through the JSON API and the Gradio API, on SQLite and on PostgreSQL, at the
one door each store's calls go through (`SqliteBase.db`, the pool's `connection()`)."""

import asyncio
import json
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

import anyio
import httpx
import pytest
from psycopg_pool import ConnectionPool

from arena import service
from arena.adapters.sqlite.base import SqliteBase
from arena.domain.battle import Status
from arena.integrity.disclosure import DisclosureDetector
from arena.views import Voter
from tests.conftest import serve_fake_app
from tests.postgres import throwaway_database

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory, fake_server):
    if request.param == "sqlite":
        yield from serve_fake_app(tmp_path_factory, fake_server, "event_loop", ui_update_s=0.02)
        return
    with throwaway_database() as url:
        yield from serve_fake_app(tmp_path_factory, fake_server, "event_loop_pg",
                                  ui_update_s=0.02, database_url=url)  # fmt: skip


@pytest.fixture
def off_loop() -> list[str]:
    """Where a SQLite store was reached from a thread with no event loop (a short stack each):
    a call handed to a thread, although the store could have taken it on the loop."""
    return []


@pytest.fixture
def on_loop(monkeypatch, off_loop) -> list[str]:
    """Where the database was reached from a thread running an event loop (a short stack each)."""
    found: list[str] = []

    def stack() -> str:
        frames = traceback.extract_stack(limit=9)[:-3]
        return " <- ".join(f"{f.name} ({Path(f.filename).name}:{f.lineno})"
                           for f in reversed(frames))  # fmt: skip

    def note() -> bool:
        """Records a call from a thread running an event loop; False on any other thread."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return False  # a thread with no event loop: where a call that may wait belongs
        found.append(stack())
        return True

    sqlite_door, postgres_door = SqliteBase.db, ConnectionPool.connection

    def sqlite_watched(store: SqliteBase):
        # a call the store took without waiting may run on the loop; any other call is noted
        if not store.holds_without_waiting and not note():
            where = stack()
            if "sweep_dead_streams" not in where:  # the periodic sweep's own thread
                off_loop.append(where)
        return sqlite_door.fget(store)

    def postgres_watched(pool: ConnectionPool, *args, **kwargs):
        note()
        return postgres_door(pool, *args, **kwargs)

    monkeypatch.setattr(SqliteBase, "db", property(sqlite_watched))
    monkeypatch.setattr(ConnectionPool, "connection", postgres_watched)
    # and the checks of a finished turn: tens of milliseconds of regular expressions on a long
    # answer (seconds, before their patterns were made linear, on a crafted one)
    find, find_probes = DisclosureDetector.find, service.find_probes

    def find_watched(detector: DisclosureDetector, text: str):
        note()
        return find(detector, text)

    def find_probes_watched(prompt: str):
        note()
        return find_probes(prompt)

    monkeypatch.setattr(DisclosureDetector, "find", find_watched)
    monkeypatch.setattr(service, "find_probes", find_probes_watched)
    return found


def test_a_battle_through_the_json_api_never_waits_on_the_database_on_the_loop(
    served, on_loop, off_loop
):
    arena, server = served
    with httpx.Client(base_url=server.url, timeout=30) as client:
        battle_id = client.post("/api/battles", json={}).json()["battle_id"]
        for prompt in ("Name three rivers", "And two lakes"):
            with client.stream("POST", f"/api/battles/{battle_id}/turns",
                               json={"prompt": prompt}) as answer:  # fmt: skip
                lines = [json.loads(line) for line in answer.iter_lines() if line.strip()]
            assert lines[-1]["done"] and lines[-1]["can_vote"], lines[-1]
        voted = client.post(f"/api/battles/{battle_id}/vote", json={"verdict": "tie"})
        assert voted.json()["stored"], voted.text
        shared = client.post(f"/api/battles/{battle_id}/share")
        assert shared.status_code == 201
        assert client.get(f"/api/shared/{shared.json()['share_id']}").status_code == 200
        assert client.get("/api/terms").status_code == 200
        refused = client.post(f"/api/battles/{battle_id}/turns", json={"prompt": "more?"})
        assert refused.status_code == 409, "a turn after the vote is refused, from a thread too"
    assert on_loop == [], "\n".join(on_loop)
    # Nothing else wrote meanwhile: every call was made at once on the loop, none handed to a
    # thread (a hand-over costs the loop two of the GIL). PostgreSQL's all go to threads.
    if isinstance(arena.store, SqliteBase):
        assert off_loop == [], "\n".join(off_loop)


def test_a_battle_through_the_gradio_api_never_waits_on_the_database_on_the_loop(served, on_loop):
    _, server = served
    played = subprocess.run(
        [sys.executable, "examples/play_battle.py", server.url, "Name three rivers",
         "--verdict", "a_better", "--wait", "0", "--accept-terms"],
        capture_output=True, text=True, timeout=180, cwd=ROOT,
    )  # fmt: skip
    assert played.returncode == 0, played.stdout + played.stderr
    assert 'You said: "Name three rivers"' in played.stdout
    assert on_loop == [], "\n".join(on_loop)


# `serve` as it runs, in a process of its own, up to the point where it waits: then the heap is
# checked instead of waiting. A full collection with startup's objects in sight took 100–400 ms,
# every stream of the worker stopped behind it.
SERVE_AND_WEIGH_THE_HEAP = """
import gc, json, sys, time
from arena.cli import cli
from arena.web import app

def full_collection_s():
    started = time.perf_counter()
    gc.collect()
    return time.perf_counter() - started

before = full_collection_s()  # everything imported: what `serve` starts from
def weigh(server):
    print(json.dumps({"frozen": gc.get_freeze_count(), "before_s": before,
                      "after_s": min(full_collection_s() for _ in range(3))}))
app.WebServer.wait = weigh
cli(["serve", "--port", "0", "--roster", sys.argv[1], "--db", sys.argv[2]], standalone_mode=False)
"""


def test_a_served_worker_keeps_what_startup_made_out_of_full_collections(tmp_path, fake_server):
    from bench.arena_process import child_environ, write_roster

    roster = write_roster(tmp_path / "roster.yaml", fake_server.base_url, {"alpha": "fake-echo"})
    served = subprocess.run(
        [sys.executable, "-c", SERVE_AND_WEIGH_THE_HEAP, str(roster), str(tmp_path / "a.db")],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
        env=child_environ({"ARENA_LOCAL_MODELS": "false"}),
    )  # fmt: skip
    assert served.returncode == 0, served.stdout + served.stderr
    heap = json.loads(served.stdout.strip().splitlines()[-1])
    assert heap["frozen"] > 100_000, heap
    assert heap["after_s"] < heap["before_s"] / 4, heap


def test_a_voter_who_leaves_while_a_failed_turn_is_saved_leaves_it_void(
    make_arena, fake_provider, monkeypatch
):
    """Regression: the abandonment written when the voter leaves raced the turn's save in
    another thread; with the save slow to start (a busy machine, a queued writer), the battle
    ended abandoned and the failure that voids it was lost. A stream's writes run in order."""
    fake_provider.failures["alpha"] = "error"  # either side: alpha plays in every battle
    arena = make_arena({"alpha": "fake-echo", "beta": "fake-echo"})
    voter = Voter(session_id="s1", voter_id="v1", ip="203.0.113.9")
    started = arena.start_battle(voter)
    save_turn = arena.store.save_turn

    def slow_save_turn(*args, **kwargs):
        time.sleep(0.5)
        return save_turn(*args, **kwargs)

    monkeypatch.setattr(arena.store, "save_turn", slow_save_turn)

    async def leave_during_the_save() -> None:
        stream = await asyncio.to_thread(arena.ask, voter, started.battle_id, "one two")

        async def read() -> None:
            async for _ in stream:
                pass

        async with anyio.create_task_group() as group:  # cancels as Starlette does: again and
            group.start_soon(read)  # again, at every await, until the stream is gone
            await anyio.sleep(0.25)  # the side failed; the turn is being saved
            group.cancel_scope.cancel()
        # The writes go on after the stream is gone, as they do in a server's loop.
        await asyncio.gather(*(asyncio.all_tasks() - {asyncio.current_task()}))

    asyncio.run(leave_during_the_save())
    battle = arena.store.load_battle(started.battle_id)
    assert battle.status is Status.VOID, battle.status
    assert len(battle.turns) == 1 and not battle.streaming


def test_a_store_call_runs_on_the_loop_when_free_and_on_a_thread_while_another_worker_writes(
    make_arena, fake_provider, tmp_path
):
    """`Arena.in_store`: with the database free, the call is made on the loop (a thread would
    cost the loop two hand-overs of the GIL); while another worker holds it, on a store thread,
    and the loop runs on meanwhile."""
    from arena.adapters.sqlite import SqliteStore

    arena = make_arena({"alpha": "fake-echo", "beta": "fake-echo"})
    voter = Voter(session_id="s1", voter_id="v1", ip="203.0.113.9")
    other = SqliteStore(arena.store.path)  # another worker on the same file
    threads: list[str] = []

    def where(battle_id: str) -> str:  # a write: it waits for the other worker's to end
        threads.append(threading.current_thread().name)
        arena.store.log_event("looked", battle_id=battle_id)
        return arena.store.load_battle(battle_id).status.value

    async def run() -> tuple[int, float]:
        started = await arena.in_store(arena.start_battle, voter)
        assert await arena.in_store(where, started.battle_id) == "open"
        ticks, holding, done = [0], threading.Event(), threading.Event()

        def hold() -> None:
            with other.transaction():
                holding.set()
                done.wait(5)
            other.close()  # this thread's connection: a store keeps one per thread

        holder = threading.Thread(target=hold)
        holder.start()
        await asyncio.to_thread(holding.wait, 5)

        async def tick() -> None:
            while not done.is_set():
                ticks[0] += 1
                await asyncio.sleep(0.01)

        ticker = asyncio.ensure_future(tick())
        asyncio.get_running_loop().call_later(0.3, done.set)
        began = time.perf_counter()
        assert await arena.in_store(where, started.battle_id) == "open"
        waited = time.perf_counter() - began
        await ticker
        holder.join()
        return ticks[0], waited

    ticks, waited = asyncio.run(run())
    other.close()
    assert threads[0] == "MainThread", threads
    assert threads[1].startswith("arena-store"), threads
    assert waited >= 0.25 and ticks >= 15, (waited, ticks)
