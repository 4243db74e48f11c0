"""Automatic snapshots do not slow voting: vote latency through the JSON API while snapshots are
made back to back beside the server (its own `snapshot schedule` process, as `serve` runs it),
against the same votes without them, in the same run.

    .venv/bin/python bench/auto_snapshot.py [--rate 200] [--seconds 5]

Back to back is the worst case: the server starts at most one automatic snapshot at a time, and
at most one an hour (issue #12). The goal is the vote latency goal of issue #8, p99 ≤ 50 ms,
with the snapshots running.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.arena_process import (  # noqa: E402
    OPEN_GATES,
    AppProcess,
    FakeProviderProcess,
    child_environ,
    write_roster,
)
from bench.reliability_latency import (  # noqa: E402
    P99_GOAL_MS,
    Fired,
    _fire,
    _prepare_battles,
    percentile,
)
from bench.reliability_report import Figure, all_met, context, goal, render  # noqa: E402


@contextmanager
def snapshots_back_to_back(settings: Mapping[str, str]) -> Iterator[list[float]]:
    """The server's own `snapshot schedule` process, told to make a snapshot whenever a new vote
    counts (one vote, a gap of 0.36 s, a look every 0.2 s): snapshots back to back while the
    block runs. Yields after its first snapshot (its start-up, once per server, is over), with
    the seconds between its snapshots so far and to come."""
    every = {"ARENA_SNAPSHOT_EVERY_VOTES": "1", "ARENA_SNAPSHOT_EVERY_HOURS": "0.0001"}
    process = subprocess.Popen(
        [sys.executable, "-m", "arena", "snapshot", "schedule", "--every", "0.2"],
        env=child_environ({**settings, **every}), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    made: list[float] = []
    first = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("snapshot "):
                made.append(time.perf_counter())
                first.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    took: list[float] = []
    try:
        if not first.wait(120):
            raise RuntimeError("`snapshot schedule` made no snapshot in 120 s")
        yield took
    finally:
        process.terminate()
        process.wait(30)
        reader.join(5)
        took.extend(b - a for a, b in zip(made, made[1:], strict=False))


@dataclass
class VotesBesideSnapshots:
    rate: float
    warmup: int
    alone: Fired  # the reference: the same server's votes with no snapshot running
    beside: Fired  # votes while snapshot processes run back to back
    took: list[float]  # seconds each snapshot made during them took

    def figures(self) -> list[Figure]:
        alone, beside = self.alone.after(self.warmup), self.beside.after(self.warmup)
        a50, a99 = percentile(alone, 0.5), percentile(alone, 0.99)
        b50, b99 = percentile(beside, 0.5), percentile(beside, 0.99)
        errors = sum(self.alone.errors.values()) + sum(self.beside.errors.values())
        refused = self.alone.refused + self.beside.refused
        return [
            context("offered rate; votes per half (+ warm-up)",
                    f"{self.rate:g}/s; {len(alone)} (+{self.warmup})"),
            context("reference: vote latency p50 / p99 alone", f"{a50:.1f} / {a99:.1f} ms"),
            context("vote latency p50 with snapshots running", f"{b50:.1f} ms"),
            goal("vote latency p99 with snapshots running", f"{b99:.1f} ms",
                 f"≤ {P99_GOAL_MS:g} ms", b99 <= P99_GOAL_MS),
            context("p99 with / p99 alone", f"{b99 / a99:.2f}x"),
            context("snapshots made while the votes came (seconds apart)",
                    f"{len(self.took)} ({', '.join(f'{s:.1f}' for s in self.took)})"),
            goal("vote errors; receipts with stored=false", f"{errors}; {refused}", "= 0; 0",
                 errors == 0 and refused == 0),
        ]  # fmt: skip


def measure(
    folder: Path, *, rate: float, seconds: float, voters: int = 50, warmup: int = 100
) -> VotesBesideSnapshots:
    """Answer 2 × (rate × seconds + warmup) battles, then fire half their votes at `rate` alone
    and the other half while snapshots are made back to back."""
    per_half = int(rate * seconds) + warmup
    with FakeProviderProcess(folder) as fake:
        roster = write_roster(folder / "roster.yaml", fake.base_url,
                              {"alpha": "fake-echo", "beta": "fake-echo"})  # fmt: skip
        settings = {**OPEN_GATES, "ARENA_ROSTER_PATH": str(roster), "ARENA_UI_UPDATE_S": "0.02"}
        with AppProcess(folder, settings) as app:
            ready = _prepare_battles(app.url, voters, 2 * per_half)
            first, second = ready[: len(ready) // 2], ready[len(ready) // 2 :]
            time.sleep(1.0)  # let the last streams' work settle
            asyncio.run(_fire(app.url, first, rate, "health"))  # warms the same path
            # the votes cast alone first: the snapshots then read every one of them
            alone = asyncio.run(_fire(app.url, first, rate, "vote"))
            with snapshots_back_to_back(app.settings) as took:
                beside = asyncio.run(_fire(app.url, second, rate, "vote"))
    return VotesBesideSnapshots(rate, warmup, alone, beside, took)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0, help="votes per second")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds of votes per half")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="arena-auto-snapshot-") as folder:
        figures = measure(Path(folder), rate=args.rate, seconds=args.seconds).figures()
    print(render("Votes while snapshots are made beside the server", figures), flush=True)
    return 0 if all_met(figures) else 1


if __name__ == "__main__":
    sys.exit(main())
