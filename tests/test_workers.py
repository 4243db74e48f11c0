"""`serve --workers 2` behind nginx, as real processes against the fake provider: the limits,
the single vote and dead streams hold across workers, and nginx routes around a killed worker.
Run on SQLite (one file in WAL mode) and, when a server answers on 127.0.0.1:5432, PostgreSQL."""

import asyncio
import contextlib
import json
import secrets
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from aiohttp import web

from arena.web.edge import VOTER_COOKIE
from bench.arena_client import varied_prompt
from bench.arena_process import OPEN_GATES, FakeProviderProcess, open_read_only, write_roster
from bench.workers_process import NginxProcess, WorkersProcess, nginx_binary
from tests.postgres import throwaway_database

pytestmark = pytest.mark.slow

BATTLES_PER_MINUTE = 4
TIMEOUT_S, GRACE_S = 3.0, 1.0  # a dead stream is abandoned ≈ 4 s after it began
SETTINGS = {
    **OPEN_GATES,
    "ARENA_BATTLES_PER_MINUTE_VOTER": str(BATTLES_PER_MINUTE),
    "ARENA_DUPLICATE_VOTES": "1",
    "ARENA_TIMEOUT_S": str(TIMEOUT_S),
    "ARENA_STREAM_GRACE_S": str(GRACE_S),
    "ARENA_UI_UPDATE_S": "0.02",
}


class Deployment:
    """Two workers and nginx; `rows` reads the shared database whichever store it is."""

    def __init__(self, workers: WorkersProcess, nginx: NginxProcess, database_url: str | None):
        self.workers, self.nginx, self.database_url = workers, nginx, database_url

    def voter(self, base_url: str | None = None, cookie: str | None = None) -> httpx.Client:
        client = httpx.Client(base_url=base_url or self.nginx.url, timeout=30)
        if cookie:
            client.cookies.set(VOTER_COOKIE, cookie)
        return client

    def rows(self, sql: str, *params) -> list[tuple]:
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                return conn.execute(sql.replace("?", "%s"), params).fetchall()
        connection = open_read_only(self.workers.folder / "arena.db")
        try:
            return connection.execute(sql, params).fetchall()
        except sqlite3.OperationalError:  # a checkpoint under way: read again
            time.sleep(0.1)
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def deployment(request, tmp_path_factory):
    if nginx_binary() is None:
        pytest.fail("nginx is not installed (make apt-test installs it)")
    folder = tmp_path_factory.mktemp(f"workers-{request.param}")
    settings = dict(SETTINGS)
    with contextlib.ExitStack() as stack:
        if request.param == "postgres":
            settings["ARENA_DATABASE_URL"] = stack.enter_context(throwaway_database())
        with FakeProviderProcess(folder, chunk_delay=0.02) as fake:
            roster = write_roster(folder / "roster.yaml", fake.base_url,
                                  {"alpha": "fake-echo", "beta": "fake-echo"})  # fmt: skip
            settings["ARENA_ROSTER_PATH"] = str(roster)
            with WorkersProcess(folder, settings, workers=2) as workers:
                nginx = NginxProcess(folder / "nginx", workers=2, base_port=workers.port,
                                     listen_port=workers.port)  # fmt: skip
                with nginx:
                    yield Deployment(workers, nginx, settings.get("ARENA_DATABASE_URL"))
            assert workers.process.returncode == 0, "SIGTERM stops the supervisor cleanly"


def answered_battle(client: httpx.Client, prompt: str) -> str:
    started = client.post("/api/battles", json={})
    assert started.status_code == 201, started.text
    battle_id = started.json()["battle_id"]
    with client.stream("POST", f"/api/battles/{battle_id}/turns", json={"prompt": prompt}) as turn:
        assert turn.status_code == 200
        lines = [line for line in turn.iter_lines() if line.strip()]
    assert '"done": true' in lines[-1] and '"can_vote": true' in lines[-1], lines[-1]
    return battle_id


def at_once(calls: list) -> list:
    """Run the calls in threads released together; their results in order."""
    gate = threading.Barrier(len(calls))

    def run(call):
        gate.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_a_voters_battle_limit_holds_across_both_workers_and_nginx(deployment):
    with deployment.voter() as first:
        assert first.post("/api/battles", json={}).status_code == 201  # the cookie, via nginx
        cookie = first.cookies[VOTER_COOKIE]
    urls = [deployment.workers.worker_url(1), deployment.workers.worker_url(2),
            deployment.nginx.url] * 3  # fmt: skip
    clients = [deployment.voter(url, cookie) for url in urls]

    statuses = at_once([lambda c=c: c.post("/api/battles", json={}).status_code for c in clients])

    assert sorted(statuses) == [201] * (BATTLES_PER_MINUTE - 1) + [429] * (
        9 - BATTLES_PER_MINUTE + 1
    )
    for client in clients:
        client.close()


def test_one_battle_voted_on_both_workers_at_once_stores_exactly_one_vote(deployment):
    with deployment.voter() as voter:
        battles = [answered_battle(voter, varied_prompt(100 + i)) for i in range(3)]
        cookie = voter.cookies[VOTER_COOKIE]
    sides = [deployment.voter(deployment.workers.worker_url(n), cookie) for n in (1, 2)]

    for battle_id in battles:
        path = f"/api/battles/{battle_id}/vote"
        receipts = at_once(
            [lambda c=c, p=path: c.post(p, json={"verdict": "tie"}).json() for c in sides]
        )

        assert sorted(r["stored"] for r in receipts) == [False, True], receipts
        assert [r["reason"] for r in receipts if not r["stored"]] == ["already_voted"]
        stored = deployment.rows("SELECT COUNT(*) FROM votes WHERE battle_id = ?", battle_id)
        assert stored == [(1,)]
    for client in sides:
        client.close()


def test_a_prompt_counted_on_one_worker_is_a_duplicate_on_the_other(deployment):
    with deployment.voter() as voter:
        voter.post("/api/battles", json={})  # only for the cookie
        cookie = voter.cookies[VOTER_COOKIE]
    one, two = (deployment.voter(deployment.workers.worker_url(n), cookie) for n in (1, 2))

    def vote(client, prompt):
        battle_id = answered_battle(client, prompt)
        return client.post(f"/api/battles/{battle_id}/vote", json={"verdict": "a_better"}).json()

    assert vote(two, varied_prompt(200))["counted"]  # worker 2 has read the votes so far
    assert vote(one, "Explain the French revolution in three sentences.")["counted"]
    again = vote(two, "Explain the French revolution in three sentences!")

    assert not again["counted"] and again["reason"] == "duplicate_prompt"
    one.close()
    two.close()


def test_a_worker_killed_mid_stream_leaves_its_battle_abandoned_and_nginx_serves_on(deployment):
    workers, nginx = deployment.workers, deployment.nginx
    dead_address = f"127.0.0.1:{workers.worker_ports[0]}"
    # Voters whose cookie nginx keeps on worker 1 (the UI's pages are sticky; the JSON API goes
    # to the least busy worker): after the kill they must be moved.
    moved, tries = [], 0
    while len(moved) < 3:
        tries += 1
        assert tries < 100, "nginx never chose worker 1"
        with deployment.voter(workers.worker_url(2)) as minted:
            minted.get("/api/health")
            cookie = minted.cookies[VOTER_COOKIE]
        logged = len(nginx.upstreams())
        with deployment.voter(cookie=cookie) as probe:
            probe.get("/config")
        while len(nginx.upstreams()) == logged:  # nginx logs just after it answers
            time.sleep(0.01)
        if nginx.upstreams()[-1][3] == dead_address:
            moved.append(cookie)
    victim = deployment.voter(workers.worker_url(1))
    battle_id = victim.post("/api/battles", json={}).json()["battle_id"]
    long_prompt = " ".join(varied_prompt(300 + i) for i in range(8))  # ≈ 2 s of streaming
    seen_before_kill = 0
    killed_at = time.monotonic()

    turn = victim.stream("POST", f"/api/battles/{battle_id}/turns", json={"prompt": long_prompt})
    with pytest.raises(httpx.HTTPError), turn as streaming:
        for line in streaming.iter_lines():
            if line.strip() and seen_before_kill == 0:
                seen_before_kill += 1
                workers.kill_worker(1)
                killed_at = time.monotonic()
    victim.close()

    for n, cookie in enumerate(moved):  # nginx passes worker 1's voters to worker 2
        with deployment.voter(cookie=cookie) as voter:
            battle = answered_battle(voter, varied_prompt(400 + n))
            receipt = voter.post(f"/api/battles/{battle}/vote", json={"verdict": "tie"}).json()
            assert receipt["stored"], receipt
        with deployment.voter(cookie=cookie) as voter:  # its sticky pages: on the live worker
            assert voter.get("/config").status_code == 200
    pages = [upstream for _, path, _, upstream in nginx.upstreams() if path == "/config"]
    assert all(not u.endswith(dead_address) for u in pages[-3:]), pages[-3:]
    tried = [upstream for _, path, _, upstream in nginx.upstreams() if path == "/api/battles"]
    assert all(not u.endswith(dead_address) for u in tried[-3:]), tried[-3:]

    deadline = killed_at + TIMEOUT_S + GRACE_S + 10
    while time.monotonic() < deadline:
        status = deployment.rows("SELECT status FROM battles WHERE id = ?", battle_id)
        if status == [("abandoned",)]:
            break
        time.sleep(0.25)
    assert status == [("abandoned",)], "the dead worker's stream was swept by the live one"
    assert time.monotonic() - killed_at > TIMEOUT_S, "not before its answer could have ended"
    (detail,) = deployment.rows(
        "SELECT detail FROM events WHERE battle_id = ? AND kind = 'battle_abandoned'", battle_id
    )
    assert "stream_died" in str(detail)
    assert seen_before_kill == 1

    deadline = time.monotonic() + 60
    while not (workers.starts(1) == 2 and workers.is_healthy(1)):
        assert time.monotonic() < deadline, "".join(workers.lines[-20:])
        time.sleep(0.25)
    assert any("worker 1" in line and "SIGKILL" in line for line in workers.lines)


def test_the_capacity_benchmark_in_short_prints_its_figures(tmp_path):
    from bench.reliability_report import render
    from bench.workers import measure_capacity

    result = measure_capacity(tmp_path, gap_s=0.1, start=3, max_battles=3, warmup_s=1.0,
                              seconds=1.5, words=6, refine=0, reference_burn_ms=1.0)  # fmt: skip
    print(render("Capacity behind nginx (short form, 3 battles at once)", result.figures()))

    assert result.restarts == []
    for workers, level in [(n, lv) for levels in (result.levels, result.reference)
                           for n, (lv,) in sorted(levels.items())]:  # fmt: skip
        assert level.errors == 0 and level.gaps > 0, level
        assert len(level.worker_cores) == workers
        # Everything that shares the machine with the workers is measured beside them.
        assert level.provider_cores > 0 and level.client_cores > 0, level
        assert level.machine_cores >= sum(level.worker_cores) + level.provider_cores - 0.05, level
    assert sorted(result.reference) == [1, 2]
    assert any(f.name.startswith("reference worker (1 ms") for f in result.figures())


def test_the_capacity_search_raises_by_half_then_bisects():
    from bench.workers import Search

    search, tried = Search(start=4, max_battles=300, refine=2), []
    while (battles := search.next()) is not None:
        tried.append(battles)
        search.record(battles, within=battles <= 50)
    assert tried == [4, 6, 9, 13, 19, 28, 42, 63, 52, 47]
    assert (search.good, search.bad) == (47, 52)


def test_the_capacity_search_stops_at_its_ceiling_within_the_goal():
    from bench.workers import Search

    search, tried = Search(start=3, max_battles=3, refine=2), []
    while (battles := search.next()) is not None:
        tried.append(battles)
        search.record(battles, within=True)
    assert tried == [3] and search.bad is None


def test_the_reference_workers_burn_spends_cpu_not_wall_time():
    """Regression: the reference worker's per-word cost was a busy loop until a wall-clock
    moment, so a worker that lost its core mid-burn spent less CPU on that word. Two reference
    workers on two shared cores lose theirs more often than one, and so were cheaper per battle
    (52.5 battles per busy core against 46.5 with one): their ratio, the yardstick of ours, was
    flattered. Here a second thread takes the GIL half the time; the burn must still cost its
    CPU."""
    from bench.reference_worker import _burn

    stop = threading.Event()

    def compete() -> None:
        while not stop.is_set():
            pass

    rival = threading.Thread(target=compete)
    rival.start()
    try:
        before = time.thread_time()
        _burn(0.05)
        spent = time.thread_time() - before
    finally:
        stop.set()
        rival.join()
    assert spent >= 0.048, f"{spent * 1000:.1f} ms of CPU for a 50 ms burn"


class _StandInApi:
    """The JSON API's battle and turn exchange on 127.0.0.1, in a thread of its own: every turn
    answers its first word after `first_s`, then one word every `gap_s`; `asked` holds the
    moment (perf_counter) each voter's first turn arrived."""

    def __init__(self, *, first_s: float, gap_s: float, words: int = 4) -> None:
        self.first_s, self.gap_s, self.words = first_s, gap_s, words
        self.asked: dict[str, float] = {}
        self.url = ""

    async def _battle(self, request: web.Request) -> web.Response:
        return web.json_response({"battle_id": secrets.token_hex(8)}, status=201)

    async def _turn(self, request: web.Request) -> web.StreamResponse:
        self.asked.setdefault(request.match_info["battle"], time.perf_counter())
        answer = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
        await answer.prepare(request)
        text = []
        for k in range(self.words):
            await asyncio.sleep(self.first_s if k == 0 else self.gap_s)
            text.append(f"w{k}")
            sides = {side: {"text": " ".join(text)} for side in ("a", "b")}
            await answer.write(json.dumps({"sides": sides}).encode() + b"\n")
        done = {"sides": sides, "done": True, "can_vote": True}
        await answer.write(json.dumps(done).encode() + b"\n")
        return answer

    def __enter__(self) -> "_StandInApi":
        app = web.Application()
        app.router.add_post("/api/battles", self._battle)
        app.router.add_post("/api/battles/{battle}/turns", self._turn)
        self.loop, started = asyncio.new_event_loop(), threading.Event()

        def serve() -> None:
            asyncio.set_event_loop(self.loop)
            self.runner = web.AppRunner(app)
            self.loop.run_until_complete(self.runner.setup())
            self.loop.run_until_complete(web.TCPSite(self.runner, "127.0.0.1", 0).start())
            self.url = "http://{}:{}".format(*self.runner.addresses[0])
            started.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()
        assert started.wait(10)
        return self

    def __exit__(self, *exc_info: object) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def test_the_capacity_voters_count_the_wait_for_a_turns_first_word_as_a_gap():
    """A worker that answers a turn's first word late keeps its voters waiting as surely as one
    that stalls mid-answer; the benchmark once counted only the gaps after the first word."""
    from bench.workers import _run_level

    with _StandInApi(first_s=0.4, gap_s=0.05) as api:
        level = asyncio.run(_run_level(api.url, 2, warmup_s=0.0, seconds=1.5, words=4,
                                       first_voter=0))  # fmt: skip
    assert level.errors == 0 and level.turns >= 2, level
    # Per turn and side: one wait of 0.4 s, three gaps of 0.05 s; the p95 is a first word's.
    assert level.p95_s >= 0.35, level
    assert 0.03 <= level.p50_s <= 0.1, level


def test_the_capacity_voters_all_stream_before_the_measured_window_opens():
    """At 40 battles the voters once started 50 ms apart, the last 2 s in: a level's window
    opened with part of its load not yet streaming. They start within the warm-up's first half."""
    from bench.workers import _run_level

    with _StandInApi(first_s=0.05, gap_s=0.05) as api:
        level = asyncio.run(_run_level(api.url, 40, warmup_s=1.0, seconds=0.5, words=4,
                                       first_voter=0))  # fmt: skip
    assert level.errors == 0, level
    assert len(api.asked) == 40
    # from the first voter's start (setting up 40 sessions takes a busy machine a while), the
    # last starts within half the warm-up, with as much again for the machine's delays (50 ms
    # apart, the last started 1.95 s after the first)
    asked = api.asked.values()
    assert max(asked) - min(asked) <= 0.5 + 0.5
