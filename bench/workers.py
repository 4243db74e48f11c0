"""Capacity of `serve --workers N` behind nginx: how many battles stream at once while the
voters' p95 inter-token gap stays within 1.5× the provider's own gap, with 1 and with 2 workers.

    .venv/bin/python bench/workers.py                 # about 8 minutes
    .venv/bin/python bench/workers.py --gap 0.1 --seconds 5 --keep

One `serve --workers 2` and two nginx in front of it: one sends every voter to worker 1 (the
1-worker figure), the other spreads voters over both, so both figures come from the same run,
processes and machine; the two searches take turns level by level, so a busier minute of the
shared machine falls on both. The fake provider streams each answer word by word, one word every
`--gap` seconds. Each simulated voter streams turn after turn through the JSON API; a token's gap
is the time since the previous token of the same side became visible to the voter, and for a
turn's first token the time since the voter asked for the turn (or for the battle it opens): the
provider too waits a gap before its first word, and a worker that answers late, or whose
connections queue, keeps its voters waiting as surely as one that stalls mid-answer. Tokens that
arrive together count one gap and zeros. The battles at
once are raised until the p95 gap exceeds the goal, then bisected. Each level also reports the
CPU of everything that shares the machine (workers, voters, fake provider, nginx, the machine as
a whole) and how long the workers' threads waited for a core. Exits 1 when a goal is missed.

Beside the arena's workers, in the same run and level by level in turn, two reference workers
(bench/reference_worker.py: one event loop relaying the provider's words, `--reference-burn` ms
of CPU per word, no threads and no database) behind nginx of their own: their ratio is what the
machine and the harness allow a worker with a cost per battle like ours, and ours is printed
against it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import aiohttp  # noqa: E402
import httpx  # noqa: E402

from bench.arena_client import varied_prompt  # noqa: E402
from bench.arena_process import (  # noqa: E402
    OPEN_GATES,
    FakeProviderProcess,
    cpu_seconds,
    machine_busy_seconds,
    tree_cpu_seconds,
    waited_seconds,
    write_roster,
)
from bench.reference_worker import WorkerPair  # noqa: E402
from bench.reliability_latency import percentile  # noqa: E402
from bench.reliability_report import Figure, all_met, context, goal, render  # noqa: E402
from bench.workers_process import NginxProcess, WorkersProcess, free_ports  # noqa: E402

GAP_GOAL = 1.5  # p95 inter-token gap, as a multiple of the provider's own gap
# The voters (this process) and the fake provider stand for browsers and model servers on other
# machines: they run ahead of the app's processes, so that their own delays on the shared cores
# are not counted as the workers'. nginx and the workers run at the normal priority.
HARNESS_NICE = -5
RATIO_GOAL = 1.8  # capacity with 2 workers over capacity with 1


@dataclass(frozen=True)
class Level:
    """One load level: `battles` voters streaming at once for the measured window."""

    battles: int
    gaps: int  # token gaps measured
    p50_s: float
    p95_s: float
    turns: int  # turns finished in the window
    errors: int  # turns that failed (HTTP error, a side's error, a stream cut short)
    first_p95_s: float = 0.0  # p95 of the waits for a turn's first word (counted in the gaps)
    error_kinds: tuple[str, ...] = ()  # "what went wrong: how often"
    worker_cores: tuple[float, ...] = ()  # CPU each worker used over the level, in cores
    worker_turns: tuple[int, ...] = ()  # turns nginx sent to each worker
    worker_waits: tuple[float, ...] = ()  # s/s each worker's live threads waited for a core
    client_cores: float = 0.0  # CPU this benchmark's own voters used
    provider_cores: float = 0.0  # CPU the fake provider used
    nginx_cores: float = 0.0  # CPU nginx (master and workers) used
    machine_cores: float = 0.0  # CPU every process on the machine used (busy cores)

    def is_within(self, gap_s: float) -> bool:
        return self.errors == 0 and self.gaps > 0 and self.p95_s <= GAP_GOAL * gap_s

    def text(self) -> str:
        return f"{self.battles}: p95 {self.p95_s * 1000:.0f} ms" + (
            f" ({self.errors} errors: {', '.join(self.error_kinds)})" if self.errors else ""
        )

    def cpu_text(self) -> str:
        cores = " + ".join(f"{c:.2f}" for c in self.worker_cores)
        waits = " + ".join(f"{w * 1000:.0f}" for w in self.worker_waits)
        turns = " + ".join(map(str, self.worker_turns))
        return (f"workers {cores} cores for {turns} turns (their threads waited {waits} ms a "
                f"second for a core), voters (this process) "
                f"{self.client_cores:.2f}, provider {self.provider_cores:.2f}, nginx "
                f"{self.nginx_cores:.2f}; machine {self.machine_cores:.2f} busy")  # fmt: skip


@dataclass
class CapacityResult:
    gap_s: float
    provider_p95_s: float  # the provider's own gap, streamed from it directly
    levels: dict[int, list[Level]] = field(default_factory=dict)  # workers -> levels tried
    restarts: list[str] = field(default_factory=list)  # the supervisor's lines on dead workers
    load: tuple[float, float] = (0.0, 0.0)  # machine load average before and after
    harness_nice: int = 0  # the voters' and the fake provider's priority
    reference_burn_ms: float | None = None  # the reference workers' CPU per provider word
    reference: dict[int, list[Level]] = field(default_factory=dict)  # the same, for them

    def reference_result(self) -> CapacityResult:
        """The reference workers' levels as a result of their own."""
        return replace(self, levels=self.reference, reference={}, reference_burn_ms=None)

    def capacity(self, workers: int) -> int:
        return self.top(workers).battles if self.top(workers) else 0

    def top(self, workers: int) -> Level | None:
        """The level with the most battles within the goal."""
        good = [lv for lv in self.levels.get(workers, []) if lv.is_within(self.gap_s)]
        return max(good, key=lambda lv: lv.battles, default=None)

    def is_capped(self, workers: int) -> bool:
        """No level tried went beyond the goal: the capacity is at least the largest tried."""
        return all(lv.is_within(self.gap_s) for lv in self.levels.get(workers, []))

    @property
    def ratio(self) -> float:
        one = self.capacity(1)
        return self.capacity(2) / one if one else 0.0

    def figures(self) -> list[Figure]:
        limit_ms = GAP_GOAL * self.gap_s * 1000
        figures = [
            context("provider gap (fake, per word)", f"{self.gap_s * 1000:.0f} ms"),
            context("provider's own p95 gap, streamed directly", f"{self.provider_p95_s * 1000:.0f} ms"),
            context("gap allowed (p95)", f"{limit_ms:.0f} ms ({GAP_GOAL:g}× the provider's)"),
            context("voters and fake provider run at", f"nice {self.harness_nice}"
                    + ("" if self.harness_nice else " (a higher priority was refused)")),
        ]  # fmt: skip
        for workers, levels in sorted(self.levels.items()):
            figures.append(context(f"{workers} worker(s): battles at once tried",
                                   ", ".join(lv.text() for lv in levels)))  # fmt: skip
            at_least = "≥ " if self.is_capped(workers) else ""
            figures.append(context(f"capacity with {workers} worker(s)",
                                   f"{at_least}{self.capacity(workers)} battles at once"))  # fmt: skip
            top = self.top(workers)
            if top is not None:
                figures.append(context(f"CPU at capacity, {workers} worker(s)", top.cpu_text()))
            if top is not None and sum(top.worker_cores):
                # Near equal for 1 and 2 workers: the ratio follows the CPU they were given.
                figures.append(context(f"battles per busy worker core, {workers} worker(s)",
                                       f"{top.battles / sum(top.worker_cores):.1f}"))  # fmt: skip
        if self.is_capped(1) or self.is_capped(2):
            figures.append(context("capacity, 2 workers / 1 worker",
                                   "not measured: a search stopped within the goal"))  # fmt: skip
        else:
            figures.append(goal("capacity, 2 workers / 1 worker", f"{self.ratio:.2f}×",
                                f"≥ {RATIO_GOAL:g}×", self.ratio >= RATIO_GOAL))  # fmt: skip
        if self.reference_burn_ms is not None:
            figures.extend(self._reference_figures())
        figures.append(goal("workers that died during the run", str(len(self.restarts)), "= 0",
                            not self.restarts))  # fmt: skip
        figures.append(context("machine load average (1 min) before / after",
                               f"{self.load[0]:.1f} / {self.load[1]:.1f} on {os.cpu_count()} cores"))  # fmt: skip
        return figures

    def _reference_figures(self) -> list[Figure]:
        """The reference workers' capacities (bench/reference_worker.py), and ours against
        theirs: what the machine and the harness allow a worker of one event loop and no
        threads, with the same voters, nginx and provider, measured level by level in turn."""
        them = self.reference_result()
        name = f"reference worker ({self.reference_burn_ms:g} ms of CPU per provider word)"
        figures = [context(f"{name}: capacity with 1 / 2", f"{them.capacity(1)} / "
                           f"{them.capacity(2)} battles at once")]  # fmt: skip
        for workers in (1, 2):
            top = them.top(workers)
            if top is not None and sum(top.worker_cores):
                figures.append(context(f"reference, battles per busy worker core, {workers}",
                                       f"{top.battles / sum(top.worker_cores):.1f}"))  # fmt: skip
        if them.is_capped(1) or them.is_capped(2) or not them.ratio:
            figures.append(context("reference ratio, 2 workers / 1 worker", "not measured"))
        else:
            figures.append(context("reference ratio, 2 workers / 1 worker", f"{them.ratio:.2f}×"))
            figures.append(context("our ratio / the reference's", f"{self.ratio / them.ratio:.2f}"))
        return figures


class _Voter:
    """One simulated voter: its own cookie, one battle at a time, turn after turn. On aiohttp,
    whose C line reader costs the shared machine less than httpx: the voters run beside the
    workers they measure, and every core they take is one the workers lose."""

    def __init__(self, session: aiohttp.ClientSession, number: int, words: int) -> None:
        self.session, self.number, self.words = session, number, words
        self.battle_id: str | None = None
        self.turns_in_battle = 0
        self.prompts = 0

    async def stream_turn(self, gaps: list[float], window: tuple[float, float],
                          firsts: list[float]) -> str:  # fmt: skip
        """Stream one turn, adding the gaps of tokens that arrived inside `window` (and the
        waits for each side's first word to `firsts` as well); "" if the turn went well, else
        what went wrong."""
        asked = time.perf_counter()  # the voter waits from here for the turn's first word
        if self.battle_id is None or self.turns_in_battle >= 10:
            async with self.session.post("/api/battles", json={}) as answer:
                if answer.status != 201:
                    return f"start: HTTP {answer.status}"
                self.battle_id, self.turns_in_battle = (await answer.json())["battle_id"], 0
        self.prompts += 1
        prompt = varied_prompt(self.number * 10_000 + self.prompts, self.words)
        counts: dict[str, int] = {}
        last: dict[str, float] = {}
        final = None
        async with self.session.post(f"/api/battles/{self.battle_id}/turns",
                                     json={"prompt": prompt}) as answer:  # fmt: skip
            if answer.status != 200:
                await answer.read()
                self.battle_id = None
                return f"turn: HTTP {answer.status}"
            previous = b""
            async for line in answer.content:  # one JSON line at a time
                if not line.strip() or line == previous:  # an update with nothing new
                    continue
                previous = line
                now = time.perf_counter()
                final = json.loads(line)
                for side, shown in (final.get("sides") or {}).items():
                    count = len(shown["text"].split())
                    new = count - counts.get(side, 0)
                    if new <= 0:
                        continue
                    if window[0] <= now <= window[1]:
                        gaps.append(now - last.get(side, asked))
                        gaps.extend([0.0] * (new - 1))
                        if side not in last:
                            firsts.append(now - asked)
                    counts[side], last[side] = count, now
        self.turns_in_battle += 1
        if not (final and final.get("done")):
            return "turn: stream ended early"
        return "" if final.get("can_vote") else f"turn: failed {final.get('failed_sides')}"


async def _run_level(url: str, battles: int, *, warmup_s: float, seconds: float, words: int,
                     first_voter: int) -> Level:  # fmt: skip
    """`battles` voters stream turns through `url` at once; gaps measured after `warmup_s`."""
    sessions = [
        aiohttp.ClientSession(base_url=url, timeout=aiohttp.ClientTimeout(total=60),
                              cookie_jar=aiohttp.CookieJar(unsafe=True))  # cookies of 127.0.0.1
        for _ in range(battles)
    ]  # fmt: skip
    voters = [_Voter(s, first_voter + i, words) for i, s in enumerate(sessions)]
    start = time.perf_counter()
    window = (start + warmup_s, start + warmup_s + seconds)
    gaps: list[float] = []
    firsts: list[float] = []
    turns, errors = [0], Counter()

    async def keep_streaming(voter: _Voter) -> None:
        # The starts spread over the first half of the warm-up: every voter streams through
        # the whole measured window, at any number of battles.
        await asyncio.sleep((voter.number % battles) / battles * warmup_s / 2)
        while time.perf_counter() < window[1]:
            try:
                problem = await voter.stream_turn(gaps, window, firsts)
            except (aiohttp.ClientError, TimeoutError) as error:
                problem = type(error).__name__
            if time.perf_counter() > window[1] + 1.0:
                continue
            if problem:
                errors[problem] += 1
            else:
                turns[0] += 1

    try:
        await asyncio.gather(*(keep_streaming(v) for v in voters))
    finally:
        for session in sessions:
            await session.close()
    ordered = sorted(gaps)
    return Level(battles=battles, gaps=len(gaps),
                 p50_s=percentile(ordered, 0.5) if gaps else 0.0,
                 p95_s=percentile(ordered, 0.95) if gaps else 0.0,
                 first_p95_s=percentile(sorted(firsts), 0.95) if firsts else 0.0,
                 turns=turns[0], errors=errors.total(),
                 error_kinds=tuple(f"{k}: {n}" for k, n in errors.most_common()))  # fmt: skip


@dataclass
class Search:
    """The battles at once to try next through one nginx: raised by half from `start` until the
    p95 gap exceeds the goal, then bisected `refine` times between the last level within it and
    the first beyond."""

    start: int
    max_battles: int
    refine: int
    good: int = 0  # the most battles within the goal so far
    bad: int | None = None  # the fewest beyond it
    tried: int | None = None
    bisections: int = 0

    def next(self) -> int | None:
        if self.bad is None:
            battles = (
                self.start if self.tried is None else max(self.tried + 2, int(self.tried * 1.5))
            )
            return battles if battles <= self.max_battles else None
        if self.bisections >= self.refine or self.bad - self.good <= max(2, self.good // 10):
            return None
        return (self.good + self.bad) // 2

    def record(self, battles: int, within: bool) -> None:
        if self.bad is not None:
            self.bisections += 1
        if within:
            self.good = battles
        else:
            self.bad = battles
        self.tried = battles


def measure_level(
    nginx: NginxProcess, battles: int, *, warmup_s: float, seconds: float, words: int,
    first_voter: int, workers: dict[int, int], provider_pid: int | None = None,
) -> Level:  # fmt: skip
    """`battles` voters streaming through `nginx`, with the CPU of everything on the machine:
    `workers` (port -> pid) and the fake provider (`provider_pid`)."""
    cpu = [cpu_seconds(pid) for pid in workers.values()]
    waited = [waited_seconds(pid) for pid in workers.values()]
    provider = cpu_seconds(provider_pid) if provider_pid else 0.0
    proxy, machine = tree_cpu_seconds(nginx.process.pid), machine_busy_seconds()
    logged = len(nginx.upstreams())
    own, wall = time.process_time(), time.monotonic()
    with _priority(HARNESS_NICE):  # the voters only: what this thread starts later inherits it
        level = asyncio.run(_run_level(nginx.url, battles, warmup_s=warmup_s, seconds=seconds,
                                       words=words, first_voter=first_voter))  # fmt: skip
    wall = time.monotonic() - wall
    served = [u.split(", ")[-1] for _, path, _, u in nginx.upstreams()[logged:]
              if path.endswith("/turns")]  # fmt: skip
    return replace(
        level,
        worker_cores=tuple((cpu_seconds(pid) - before) / wall
                           for pid, before in zip(workers.values(), cpu, strict=True)),
        worker_waits=tuple((waited_seconds(pid) - before) / wall
                           for pid, before in zip(workers.values(), waited, strict=True)),
        worker_turns=tuple(served.count(f"127.0.0.1:{port}") for port in workers),
        client_cores=(time.process_time() - own) / wall,
        provider_cores=(cpu_seconds(provider_pid) - provider) / wall if provider_pid else 0.0,
        nginx_cores=(tree_cpu_seconds(nginx.process.pid) - proxy) / wall,
        machine_cores=(machine_busy_seconds() - machine) / wall,
    )  # fmt: skip


@contextlib.contextmanager
def _priority(nice: int) -> Iterator[int]:
    """This thread (the voters' event loop, and the threads it starts) at `nice`, put back after;
    yields the priority it got (0 where raising it is not allowed)."""
    thread = threading.get_native_id()
    before = os.getpriority(os.PRIO_PROCESS, thread)
    try:
        os.setpriority(os.PRIO_PROCESS, thread, nice)
    except PermissionError:
        nice = before
    try:
        yield nice
    finally:
        with contextlib.suppress(PermissionError):
            os.setpriority(os.PRIO_PROCESS, thread, before)


def provider_gap(base_url: str, gap_s: float, words: int, streams: int = 2) -> float:
    """p95 gap between the fake provider's own chunks, streamed from it directly."""

    async def one(client: httpx.AsyncClient, n: int, gaps: list[float]) -> None:
        body = {"model": "fake-echo", "stream": True,
                "messages": [{"role": "user", "content": varied_prompt(n, words)}]}  # fmt: skip
        last = None
        async with client.stream("POST", f"{base_url}/chat/completions", json=body) as answer:
            async for line in answer.aiter_lines():
                if line.startswith("data: {") and '"content"' in line:
                    now = time.perf_counter()
                    if last is not None:
                        gaps.append(now - last)
                    last = now

    async def run() -> list[float]:
        gaps: list[float] = []
        async with httpx.AsyncClient(timeout=60) as client:
            await asyncio.gather(*(one(client, n, gaps) for n in range(streams)))
        return sorted(gaps)

    return percentile(asyncio.run(run()), 0.95)


def measure_capacity(
    folder: Path, *, gap_s: float = 0.1, start: int = 4, max_battles: int = 300,
    warmup_s: float = 3.0, seconds: float = 5.0, words: int = 12, refine: int = 2, say=print,
    reference_burn_ms: float | None = None,
) -> CapacityResult:  # fmt: skip
    """Start the fake provider, `serve --workers 2` and two nginx (1 and 2 upstreams); find the
    capacity through each. With `reference_burn_ms`, also two reference workers
    (bench/reference_worker.py) behind two nginx of their own, their levels taken in turn with
    the arena's."""
    folder.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    with FakeProviderProcess(folder, chunk_delay=gap_s, nice=HARNESS_NICE) as fake:
        roster = write_roster(folder / "roster.yaml", fake.base_url,
                              {"alpha": "fake-echo", "beta": "fake-echo"})  # fmt: skip
        settings = {
            **OPEN_GATES,
            "ARENA_ROSTER_PATH": str(roster),
            "ARENA_CONCURRENCY": "100000",  # no queue: every battle streams at once
            "ARENA_UI_UPDATE_S": str(round(gap_s / 5, 4)),  # updates well inside a token's gap
        }
        result = CapacityResult(
            gap_s=gap_s,
            provider_p95_s=provider_gap(fake.base_url, gap_s, words),
            harness_nice=os.getpriority(os.PRIO_PROCESS, fake.process.pid),
            reference_burn_ms=reference_burn_ms,
        )
        with contextlib.ExitStack() as stack:
            workers = stack.enter_context(WorkersProcess(folder, settings, workers=2))
            fleets = {"arena": (workers, result.levels)}
            if reference_burn_ms is not None:
                pair = stack.enter_context(WorkerPair(fake.base_url, reference_burn_ms))
                fleets["reference"] = (pair, result.reference)
            for number in (1, 2):  # one turn each first: lazy imports, connection pools
                asyncio.run(_run_level(workers.worker_url(number), 2, warmup_s=0.0, seconds=0.1,
                                       words=words, first_voter=number * 100))  # fmt: skip
            ports = free_ports(2 * len(fleets))
            proxies = {
                (kind, count): stack.enter_context(NginxProcess(
                    folder / f"nginx-{kind}-{count}", workers=count, base_port=fleet.port,
                    listen_port=ports + 2 * k + count - 1,
                ))
                for k, (kind, (fleet, _)) in enumerate(fleets.items()) for count in (1, 2)
            }  # fmt: skip
            searches = {key: Search(start, max_battles, refine) for key in proxies}
            # The searches take turns, level by level, so that all see the machine as it is at
            # that time (a busier minute would otherwise fall on one of them only).
            while any(search.next() is not None for search in searches.values()):
                for (kind, count), search in searches.items():
                    battles = search.next()
                    if battles is None:
                        continue
                    fleet, levels = fleets[kind]
                    tried = levels.setdefault(count, [])
                    level = measure_level(
                        proxies[kind, count], battles, warmup_s=warmup_s, seconds=seconds,
                        words=words, first_voter=10_000 * count + 1000 * len(tried),
                        workers={fleet.worker_ports[n - 1]: fleet.worker_pid(n)
                                 for n in range(1, count + 1)},
                        provider_pid=fake.process.pid,
                    )  # fmt: skip
                    search.record(battles, level.is_within(gap_s))
                    tried.append(level)
                    say(f"  {'' if kind == 'arena' else kind + ', '}{count} worker(s), "
                        f"{level.text()}  (p50 {level.p50_s * 1000:.0f} ms, first words' p95 "
                        f"{level.first_p95_s * 1000:.0f} ms, {level.gaps} gaps, "
                        f"{level.turns} turns; {level.cpu_text()})")  # fmt: skip
                    time.sleep(1.0)  # let the cancelled streams end
            result.restarts = [line.strip() for line in workers.lines if "exited with" in line]
    result.load = (load_before, os.getloadavg()[0])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gap", type=float, default=0.1, help="provider's seconds per word")
    parser.add_argument("--start", type=int, default=4, help="battles at once, first level")
    parser.add_argument("--max-battles", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per level")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--words", type=int, default=12, help="words per prompt (answer ≈ +2)")
    parser.add_argument(
        "--reference-burn",
        type=float,
        default=1.0,
        help="the reference workers' ms of CPU per provider word (0: none)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="arena-workers-"))
    started = time.monotonic()
    try:
        result = measure_capacity(folder, gap_s=args.gap, start=args.start,
                                  max_battles=args.max_battles, warmup_s=args.warmup,
                                  seconds=args.seconds, words=args.words,
                                  reference_burn_ms=args.reference_burn or None)  # fmt: skip
    finally:
        if args.keep:
            print(f"working files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    figures = result.figures()
    for line in result.restarts:
        print(f"  DIED: {line}")
    print(render("Capacity behind nginx: battles at once within the gap goal", figures))
    print(f"({time.monotonic() - started:.0f} s)")
    return 0 if all_met(figures) else 1


if __name__ == "__main__":
    sys.exit(main())
