"""Load (b): vote latency through the HTTP JSON API at a fixed offered rate (open loop), against
GET /api/health on the same schedule in the same run; battles are answered beforehand.

    .venv/bin/python bench/reliability.py load --parts latency
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.arena_client import VERDICTS, ArenaClient, varied_prompt, voter_ip
from bench.arena_process import (
    OPEN_GATES,
    AppProcess,
    FakeProviderProcess,
    cpu_seconds,
    write_roster,
)
from bench.reliability_report import Figure, context, counts_text, goal
from bench.workers_process import NginxProcess, WorkersProcess

P99_GOAL_MS = 50.0


@dataclass
class Fired:
    """Requests sent on an open-loop schedule: t0 + i / rate, whatever the earlier answers do."""

    latencies_ms: list[float]  # in send order
    lags_ms: list[float]  # how late each send was against its schedule
    errors: dict[str, int]
    refused: int  # answered 200 but not as wanted (a receipt with stored=false)
    sent_s: float

    def after(self, warmup: int) -> list[float]:
        return sorted(self.latencies_ms[warmup:])


def percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class LatencyResult:
    offered_per_s: float
    warmup: int
    votes: Fired
    health: Fired  # the reference: GET /api/health on the same schedule, just before
    prepare_s: float
    vote_cpu_s: float = 0.0  # the app's CPU time while the votes were fired
    health_cpu_s: float = 0.0

    @property
    def latencies_ms(self) -> list[float]:
        return self.votes.after(self.warmup)

    def figures(self) -> list[Figure]:
        votes, health = self.latencies_ms, self.health.after(self.warmup)
        p50, p90, p99 = (percentile(votes, q) for q in (0.5, 0.9, 0.99))
        h50, h99 = percentile(health, 0.5), percentile(health, 0.99)
        errors = sum(self.votes.errors.values())
        achieved = len(self.votes.latencies_ms) / self.votes.sent_s
        return [
            context("offered (achieved) rate", f"{self.offered_per_s:.0f} ({achieved:.0f})/s"),
            context("votes measured (+ warm-up)", f"{len(votes)} (+{self.warmup})"),
            context("vote latency p50 / p90", f"{p50:.1f} / {p90:.1f} ms"),
            goal("vote latency p99", f"{p99:.1f} ms", f"≤ {P99_GOAL_MS:g} ms", p99 <= P99_GOAL_MS),
            context("vote latency max", f"{votes[-1]:.1f} ms"),
            context("reference: GET /api/health p50 / p99", f"{h50:.1f} / {h99:.1f} ms"),
            context("vote p99 / health p99", f"{p99 / h99:.1f}x"),
            context("app CPU per vote / per health check",
                    f"{self.vote_cpu_s / len(self.votes.latencies_ms) * 1000:.1f} / "
                    f"{self.health_cpu_s / len(self.health.latencies_ms) * 1000:.1f} ms"),
            context("max lag behind the send schedule", f"{max(self.votes.lags_ms):.1f} ms"),
            goal("vote errors (HTTP or transport)", counts_text(self.votes.errors), "= 0", errors == 0),
            goal("receipts with stored=false", f"{self.votes.refused}", "= 0",
                 self.votes.refused == 0),
            context("preparing the battles", f"{self.prepare_s:.1f} s"),
        ]  # fmt: skip


def _prepare_battles(
    url: str, voters: int, battles: int, workers: int = 8
) -> list[tuple[ArenaClient, str]]:
    """`battles` answered battles spread over `voters` clients (each its own IP), ready for a
    vote; `workers` threads stream turns at once."""
    workers = min(workers, voters)
    clients = [ArenaClient(url, ip=voter_ip(i)) for i in range(voters)]
    ready: list[tuple[ArenaClient, str]] = []
    lock = threading.Lock()

    def prepare(worker: int) -> None:
        own = clients[worker::workers]  # a client is used by one thread only
        for k, n in enumerate(range(worker, battles, workers)):
            client = own[k % len(own)]
            battle = client.start_battle()
            result = client.ask(battle.battle_id, varied_prompt(n))
            if result.can_vote:
                with lock:
                    ready.append((client, battle.battle_id))

    with ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(prepare, i) for i in range(workers)]:
            future.result()
    return ready


async def _fire(url: str, ready: list[tuple[ArenaClient, str]], rate: float, what: str) -> Fired:
    """One request per battle at t0 + i/rate, from each battle's own voter (cookie and address):
    `what` is "vote" (POST its vote) or "health" (GET /api/health, the reference)."""
    clients: dict[int, httpx.AsyncClient] = {}
    for client, _ in ready:
        if id(client) not in clients:
            clients[id(client)] = httpx.AsyncClient(
                base_url=url, cookies=client.http.cookies, headers=client.http.headers, timeout=30
            )
    fired = Fired([0.0] * len(ready), [0.0] * len(ready), {}, 0, 0.0)

    async def one(i: int, client: httpx.AsyncClient, battle_id: str) -> None:
        started = time.perf_counter()
        try:
            if what == "vote":
                body = {"verdict": VERDICTS[i % 4], "proof": None}
                answer = await client.post(f"/api/battles/{battle_id}/vote", json=body)
            else:
                answer = await client.get("/api/health")
            fired.latencies_ms[i] = (time.perf_counter() - started) * 1000
            if answer.status_code != 200:
                kind = f"HTTP {answer.status_code}"
                fired.errors[kind] = fired.errors.get(kind, 0) + 1
            elif what == "vote" and not answer.json().get("stored"):
                fired.refused += 1
        except httpx.HTTPError as error:
            fired.latencies_ms[i] = (time.perf_counter() - started) * 1000
            kind = type(error).__name__
            fired.errors[kind] = fired.errors.get(kind, 0) + 1

    tasks = []
    t0 = time.perf_counter() + 0.05
    for i, (client, battle_id) in enumerate(ready):
        due = t0 + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        fired.lags_ms[i] = max(0.0, (time.perf_counter() - due) * 1000)
        tasks.append(asyncio.create_task(one(i, clients[id(client)], battle_id)))
    fired.sent_s = time.perf_counter() - t0
    await asyncio.gather(*tasks)
    for client in clients.values():
        await client.aclose()
    return fired


def measure_vote_latency(
    folder: Path,
    *,
    rate: float = 200.0,
    seconds: float = 5.0,
    voters: int = 50,
    warmup: int = 100,
    settings: Mapping[str, str] | None = None,
    workers: int = 1,
) -> LatencyResult:
    """Pre-create answered battles, then fire GET /api/health (the reference) and then the
    battles' votes at `rate` for `seconds` each. `settings`: more ARENA_* variables for the app
    (e.g. ARENA_DATABASE_URL). `workers` > 1: `serve --workers N` behind nginx (the CPU figures
    are then the workers' together)."""
    folder.mkdir(parents=True, exist_ok=True)
    count = int(rate * seconds) + warmup
    with FakeProviderProcess(folder) as fake:
        roster = write_roster(folder / "roster.yaml", fake.base_url,
                              {"alpha": "fake-echo", "beta": "fake-echo"})  # fmt: skip
        app_settings = {**OPEN_GATES, "ARENA_ROSTER_PATH": str(roster),
                        "ARENA_UI_UPDATE_S": "0.02", **(settings or {})}  # fmt: skip
        with ExitStack() as stack:
            if workers == 1:
                app = stack.enter_context(AppProcess(folder, app_settings))
                url, pids = app.url, [app.pid]
            else:
                served = stack.enter_context(WorkersProcess(folder, app_settings, workers=workers))
                nginx = stack.enter_context(NginxProcess(folder / "nginx", workers=workers,
                                                         base_port=served.port,
                                                         listen_port=served.port))  # fmt: skip
                url = nginx.url
                pids = [served.worker_pid(n) for n in range(1, workers + 1)]

            def cpu_now() -> float:
                return sum(cpu_seconds(pid) for pid in pids)

            started = time.perf_counter()
            ready = _prepare_battles(url, voters, count)
            prepare_s = time.perf_counter() - started
            time.sleep(1.0)  # let the last streams' work settle
            cpu = [cpu_now()]
            health = asyncio.run(_fire(url, ready, rate, "health"))
            cpu.append(cpu_now())
            votes = asyncio.run(_fire(url, ready, rate, "vote"))
            cpu.append(cpu_now())
            for client in {id(c): c for c, _ in ready}.values():
                client.close()
    return LatencyResult(offered_per_s=rate, warmup=warmup, votes=votes, health=health,
                         prepare_s=prepare_s, vote_cpu_s=cpu[2] - cpu[1],
                         health_cpu_s=cpu[1] - cpu[0])  # fmt: skip
