"""Load (c): the app's CPU time per streamed token (the JSON API's streamed turn), against bare
`litellm.acompletion(stream=True)` on the same fake provider in a process of its own, same run.

    .venv/bin/python bench/reliability.py load --parts cpu
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.arena_client import ArenaClient
from bench.arena_process import (
    OPEN_GATES,
    PYTHON,
    ROOT,
    AppProcess,
    FakeProviderProcess,
    child_environ,
    cpu_seconds,
    write_roster,
)
from bench.reliability_report import Figure, context, goal

CPU_RATIO_GOAL = 1.25


@dataclass
class CpuResult:
    turns: int
    app_cpu_s: float
    app_tokens: int
    bare_cpu_s: float
    bare_tokens: int
    idle_cpu_per_s: float  # the app's CPU use while idle, for context
    window_s: float  # wall time of the measured turns
    failed_turns: int = 0

    @property
    def app_us_per_token(self) -> float:
        return self.app_cpu_s / self.app_tokens * 1e6

    @property
    def bare_us_per_token(self) -> float:
        return self.bare_cpu_s / self.bare_tokens * 1e6

    def figures(self) -> list[Figure]:
        ratio = self.app_us_per_token / self.bare_us_per_token
        busy_cpu_s = self.app_cpu_s - self.idle_cpu_per_s * self.window_s
        busy_ratio = busy_cpu_s / self.app_tokens * 1e6 / self.bare_us_per_token
        return [
            context("app: streamed turns (2 sides each)", f"{self.turns}"),
            context("app: tokens streamed", f"{self.app_tokens:,}"),
            context("app: server CPU per token", f"{self.app_us_per_token:.0f} µs"),
            context("reference: bare litellm CPU per token", f"{self.bare_us_per_token:.0f} µs"),
            goal("app / bare litellm", f"{ratio:.2f}x", f"≤ {CPU_RATIO_GOAL:g}x",
                 ratio <= CPU_RATIO_GOAL),
            context("app CPU while idle", f"{self.idle_cpu_per_s * 1000:.0f} ms/s"),
            context("app / bare, the idle CPU taken out", f"{busy_ratio:.2f}x"),
            goal("failed turns", f"{self.failed_turns}", "= 0", self.failed_turns == 0),
        ]  # fmt: skip


def _prompt(words: int, n: int) -> str:
    return " ".join(f"w{n}x{i}" for i in range(words))


def measure_cpu_per_token(
    folder: Path,
    *,
    turns: int = 40,
    concurrency: int = 4,
    words: int = 100,
    chunk_delay: float = 0.005,
    warmup: int = 4,
) -> CpuResult:
    """Server CPU time over `turns` streamed turns (battles created beforehand) per token, vs a
    separate process streaming the same requests with bare litellm, 2 streams per turn."""
    folder.mkdir(parents=True, exist_ok=True)
    with FakeProviderProcess(folder, chunk_delay=chunk_delay) as fake:
        roster = write_roster(folder / "roster.yaml", fake.base_url,
                              {"alpha": "fake-echo", "beta": "fake-echo"})  # fmt: skip
        settings = {**OPEN_GATES, "ARENA_ROSTER_PATH": str(roster)}
        with AppProcess(folder, settings) as app:
            clients = [ArenaClient(app.url) for _ in range(concurrency)]
            _stream_turns(app.pid, clients, warmup, words, 10_000)  # imports, connection pools
            idle_before = cpu_seconds(app.pid)
            time.sleep(2.0)
            idle_per_s = (cpu_seconds(app.pid) - idle_before) / 2.0
            streamed = _stream_turns(app.pid, clients, turns, words, 0)
            for client in clients:
                client.close()
        bare = _bare_litellm(fake.base_url, streams=2 * turns, concurrency=2 * concurrency,
                             words=words, warmup=2 * warmup)  # fmt: skip
    return CpuResult(
        turns=turns, app_cpu_s=streamed.cpu_s, app_tokens=streamed.tokens,
        bare_cpu_s=bare["cpu_s"], bare_tokens=bare["tokens"], idle_cpu_per_s=idle_per_s,
        window_s=streamed.wall_s, failed_turns=streamed.failed,
    )  # fmt: skip


@dataclass(frozen=True)
class Streamed:
    tokens: int
    failed: int
    cpu_s: float  # the app's CPU time over the turns
    wall_s: float


def _stream_turns(
    pid: int, clients: list[ArenaClient], count: int, words: int, offset: int
) -> Streamed:
    """`count` turns of new battles (started before the clock runs), one client per thread."""
    battles = [(clients[i % len(clients)], clients[i % len(clients)].start_battle().battle_id)
               for i in range(count)]  # fmt: skip

    def one(i: int) -> int:
        client, battle_id = battles[i]
        result = client.ask(battle_id, _prompt(words, offset + i))
        sides = result.final["sides"].values()
        return -1 if result.failed_sides else sum(len(s["text"].split()) for s in sides)

    before, started = cpu_seconds(pid), time.perf_counter()
    with ThreadPoolExecutor(len(clients)) as pool:
        tokens = list(pool.map(one, range(count)))
    cpu_s, wall_s = cpu_seconds(pid) - before, time.perf_counter() - started
    return Streamed(sum(t for t in tokens if t > 0), sum(1 for t in tokens if t < 0), cpu_s, wall_s)


def _bare_litellm(base_url: str, *, streams: int, concurrency: int, words: int, warmup: int):
    command = [
        PYTHON, "-m", "bench.reliability_cpu", "bare-litellm", base_url,
        str(streams), str(concurrency), str(words), str(warmup),
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=ROOT, env=child_environ({}), capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"the bare litellm reference failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


async def _bare_streams(base_url: str, streams: int, concurrency: int, words: int, offset: int):
    """Stream `streams` answers with litellm.acompletion (as the app's provider calls it)."""
    import litellm

    semaphore = asyncio.Semaphore(concurrency)

    async def one(i: int) -> int:
        async with semaphore:
            response = await litellm.acompletion(
                model="openai/fake-echo", api_base=base_url, api_key="sk-bench",
                messages=[{"role": "system", "content": "roster model alpha"},
                          {"role": "user", "content": _prompt(words, offset + i // 2)}],
                stream=True, stream_options={"include_usage": True}, timeout=60,
                num_retries=0, max_retries=0,
            )  # fmt: skip
            text = []
            async for chunk in response:
                if chunk.choices and chunk.choices[0].delta.content:
                    text.append(chunk.choices[0].delta.content)
            return len("".join(text).split())

    return sum(await asyncio.gather(*(one(i) for i in range(streams))))


def _bare_main(argv: list[str]) -> None:
    """In its own process: warm up, then CPU time of `streams` bare litellm streams."""
    base_url, streams, concurrency, words, warmup = argv
    streams, concurrency, words, warmup = int(streams), int(concurrency), int(words), int(warmup)

    async def run() -> dict:
        await _bare_streams(base_url, warmup, concurrency, words, 10_000)
        before = time.process_time()
        tokens = await _bare_streams(base_url, streams, concurrency, words, 0)
        return {"cpu_s": time.process_time() - before, "tokens": tokens}

    print(json.dumps(asyncio.run(run())))


if __name__ == "__main__" and sys.argv[1:2] == ["bare-litellm"]:
    _bare_main(sys.argv[2:])
