"""Provider faults: the real app against a fake provider that fails a share of its calls (HTTP
500, no answer, slow first token, stall mid-answer, dropped connection, empty answer). The app
must keep serving, void every battle with a failed side, count no vote on a void battle, and tell
the voter which side failed, and why.

    .venv/bin/python bench/reliability.py faults
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.arena_client import VERDICTS, ApiRefused, ArenaClient, varied_prompt, voter_ip
from bench.arena_process import (
    OPEN_GATES,
    AppProcess,
    FakeProviderProcess,
    open_read_only,
    write_roster,
)
from bench.reliability_report import Figure, context, goal

MODELS = {"kestrel": "fake-flaky", "marmot": "fake-flaky"}


@dataclass
class BattleSeen:
    """One battle as the voter saw it, then as the database and the fake provider saw it."""

    battle_id: str
    prompt: str
    seconds: float = 0.0
    final: dict | None = None  # the last NDJSON line of the turn
    receipt: dict | None = None
    error: str | None = None  # the client's error, if the turn or the vote broke
    status: str | None = None  # battles.status
    counted_votes: int = 0
    faulted: set[str] = field(default_factory=set)  # sides whose request the fake made fail
    fake: dict[str, str] = field(default_factory=dict)  # side -> "behaviour/outcome" at the fake
    problems: list[str] = field(default_factory=list)

    @property
    def failed_sides(self) -> set[str]:
        return set((self.final or {}).get("failed_sides") or [])


@dataclass
class FaultResult:
    battles: list[BattleSeen]
    fault_rate: float
    behaviours: Counter
    health_checks: int
    health_failures: int
    slowest_health_ms: float
    app_alive: bool
    timeout_s: float
    seconds: float
    warmup: list[BattleSeen] = field(default_factory=list)  # the first wave, while the app is cold

    def figures(self) -> list[Figure]:
        every = [*self.warmup, *self.battles]
        failed = [b for b in every if b.failed_sides]
        faulted = [b for b in self.battles if b.faulted]
        client_errors = [b for b in every if b.error]
        not_void = [b for b in failed if b.status != "void"]
        counted = sum(b.counted_votes for b in every if b.status == "void")
        untold = [b for b in self.battles if _told_problems(b)]
        cold = sum(len(b.failed_sides - b.faulted) for b in self.warmup)
        slowest = max(b.seconds for b in self.battles)
        calls = sum(self.behaviours.values())
        faults = calls - self.behaviours.get("ok", 0)
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.behaviours.items()) if k != "ok")
        return [
            context("battles (one turn each)", f"{len(self.battles)}"),
            context("provider calls failed by the fake",
                    f"{faults}/{calls} ({faults / max(calls, 1):.0%}; "
                    f"set to {self.fault_rate:.0%})"),
            context("faults drawn", kinds or "-"),
            context("battles with a faulted side / shown failed",
                    f"{len(faulted)} / {sum(1 for b in self.battles if b.failed_sides)}"),
            goal("health checks failed", f"{self.health_failures}/{self.health_checks}", "= 0",
                 self.health_failures == 0 and self.app_alive),
            context("slowest health answer", f"{self.slowest_health_ms:.0f} ms"),
            goal("turns or votes that broke on the client", f"{len(client_errors)}", "= 0",
                 not client_errors),
            goal("failed battles not void", f"{len(not_void)}", "= 0", not not_void),
            goal("counted votes on void battles", f"{counted}", "= 0", counted == 0),
            goal("battles where the voter was told wrong", f"{len(untold)}", "= 0", not untold),
            context("warm-up: healthy sides timed out on a cold app",
                    f"{cold} of {2 * len(self.warmup)} sides in the first {len(self.warmup)} "
                    "battles (not checked)"),
            context("slowest turn", f"{slowest:.1f} s (ARENA_TIMEOUT_S {self.timeout_s:g})"),
        ]  # fmt: skip

    def problems(self) -> list[str]:
        """Everything the checks found wrong, per battle (warm-up: only what is not about
        telling the voter)."""
        every = [*self.warmup, *self.battles]
        found = [f"{b.battle_id}: {p}" for b in self.warmup for p in b.problems]
        found += [
            f"{b.battle_id}: {p}" for b in self.battles for p in (*b.problems, *_told_problems(b))
        ]
        found += [
            f"{b.battle_id}: shown failed but {b.status}"
            for b in every
            if b.failed_sides and b.status != "void"
        ]
        found += [
            f"{b.battle_id}: {b.counted_votes} counted vote(s) on a void battle"
            for b in every
            if b.status == "void" and b.counted_votes
        ]
        return found  # fmt: skip


def _told_problems(b: BattleSeen) -> list[str]:
    """What the final view got wrong about which side failed (empty when right)."""
    if b.final is None:
        return []
    problems = []
    sides = b.final.get("sides", {})
    failed = b.failed_sides
    if b.faulted and not failed:
        problems.append(f"sides {sorted(b.faulted)} faulted, failed_sides is empty")
    for side in sorted(failed - b.faulted):
        error = sides.get(side, {}).get("error")
        problems.append(
            f"side {side} shown failed ({error!r}) but the fake served it as "
            f"{b.fake.get(side)} (behaviour/outcome), turn {b.seconds:.1f} s"
        )
    for side in failed:
        if not (sides.get(side, {}).get("error") or "").strip():
            problems.append(f"failed side {side} has no error text")
    for side in b.faulted - failed:
        if not sides.get(side, {}).get("stopped"):
            problems.append(f"faulted side {side} neither failed nor stopped")
    if bool(b.final.get("can_vote")) == bool(failed):
        problems.append(f"can_vote={b.final.get('can_vote')} with failed_sides {sorted(failed)}")
    return problems


class HealthWatch:
    """Polls GET /api/health every `every_s` while the battles run."""

    def __init__(self, url: str, every_s: float = 0.25) -> None:
        self.url, self.every_s = url, every_s
        self.checks = self.failures = 0
        self.slowest_ms = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="health", daemon=True)

    def __enter__(self) -> HealthWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        with httpx.Client(timeout=5) as http:
            while not self._stop.wait(self.every_s):
                started = time.perf_counter()
                try:
                    answer = http.get(f"{self.url}/api/health")
                    ok = answer.status_code == 200 and answer.json().get("status") == "ok"
                except httpx.HTTPError:
                    ok = False
                self.slowest_ms = max(self.slowest_ms, (time.perf_counter() - started) * 1000)
                self.checks += 1
                self.failures += not ok


def _play(client: ArenaClient, seen: BattleSeen, verdict: str) -> None:
    started = time.perf_counter()
    try:
        battle = client.start_battle()
        seen.battle_id = battle.battle_id
        seen.final = client.ask(battle.battle_id, seen.prompt).final
        seen.seconds = time.perf_counter() - started
        seen.receipt = client.vote(battle, verdict)  # also on failed battles: must not count
    except (ApiRefused, httpx.HTTPError) as error:
        seen.seconds = time.perf_counter() - started
        seen.error = f"{type(error).__name__}: {error}"[:300]


def _join_database(db_path: Path, battles: list[BattleSeen], requests: list[dict]) -> None:
    """Fill in each battle's status, counted votes and faulted sides (from the fake's log)."""
    behaviour = {
        (r["system"], r["prompt"]): (r["behaviour"], r["outcome"])
        for r in requests
        if r.get("system")
    }
    conn = open_read_only(db_path)
    try:
        for b in battles:
            row = conn.execute(
                "SELECT b.status, ma.name, mb.name FROM battles b "
                "JOIN models ma ON ma.id = b.model_a_id JOIN models mb ON mb.id = b.model_b_id "
                "WHERE b.id = ?", [b.battle_id],
            ).fetchone()  # fmt: skip
            if row is None:
                b.problems.append("battle not in the database")
                continue
            b.status = row[0]
            b.counted_votes = conn.execute(
                "SELECT count(*) FROM votes WHERE battle_id = ? AND counted = 1", [b.battle_id]
            ).fetchone()[0]
            for side, model in (("A", row[1]), ("B", row[2])):
                drawn, outcome = behaviour.get((f"roster model {model}", b.prompt), (None, None))
                b.fake[side] = f"{drawn}/{outcome}"
                if drawn not in (None, "ok"):
                    b.faulted.add(side)
            if not b.failed_sides and b.final is not None and b.status == "void":
                b.problems.append("void in the database but no side shown failed")
    finally:
        conn.close()


def run_faults(
    folder: Path,
    *,
    battles: int = 100,
    fault_rate: float = 0.3,
    concurrency: int = 4,
    timeout_s: float = 2.0,
    seed: int = 1,
) -> FaultResult:
    """`battles` one-turn battles, `concurrency` at a time, each voted on (failed ones too),
    after a first wave of `concurrency` warm-up battles whose attribution is not checked: on a
    cold app, litellm's first calls can outlast a short ARENA_TIMEOUT_S by themselves."""
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    fake = FakeProviderProcess(folder, fault_rate=fault_rate, seed=seed, chunk_delay=0.002,
                               slow_delay=max(30.0, 10 * timeout_s))  # fmt: skip
    with fake:
        roster = write_roster(folder / "roster.yaml", fake.base_url, MODELS)
        settings = {**OPEN_GATES, "ARENA_ROSTER_PATH": str(roster),
                    "ARENA_TIMEOUT_S": f"{timeout_s:g}", "ARENA_UI_UPDATE_S": "0.05"}  # fmt: skip
        with AppProcess(folder, settings) as app:
            warmup = [BattleSeen("", varied_prompt(-1 - n)) for n in range(concurrency)]
            seen = [BattleSeen("", varied_prompt(n)) for n in range(battles)]
            clients = [
                ArenaClient(app.url, timeout_s=10 * timeout_s + 30, ip=voter_ip(i))
                for i in range(concurrency)
            ]

            def play(n: int) -> None:
                _play(clients[n % concurrency], seen[n], VERDICTS[n % 4])

            with HealthWatch(app.url) as health, ThreadPoolExecutor(concurrency) as pool:
                list(
                    pool.map(_play, clients, warmup, [VERDICTS[i % 4] for i in range(concurrency)])
                )
                list(pool.map(play, range(battles)))
            for client in clients:
                client.close()
            alive = app.is_running() and app.is_healthy()
        requests = fake.requests()
    _join_database(app.db_path, [b for b in [*warmup, *seen] if b.battle_id], requests)
    return FaultResult(
        battles=seen, fault_rate=fault_rate,
        behaviours=Counter(r["behaviour"] for r in requests if r.get("behaviour")),
        health_checks=health.checks, health_failures=health.failures,
        slowest_health_ms=health.slowest_ms, app_alive=alive, timeout_s=timeout_s,
        seconds=time.monotonic() - started, warmup=warmup,
    )  # fmt: skip
