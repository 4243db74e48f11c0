"""The measured reliability benchmarks: crash durability, provider faults and load, each against
the real app started as a separate process on 127.0.0.1; prints every figure with its goal.

    .venv/bin/python bench/reliability.py all            # everything, about 10 minutes
    .venv/bin/python bench/reliability.py crash --kills 5
    .venv/bin/python bench/reliability.py load --parts store latency

Exits 1 when a goal is missed. Working files (databases, app logs) go to a temporary folder,
kept with --keep. Speed goals are ratios to a reference measured in the same run where they can
be (the machine is shared); the vote latency goal is absolute.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from bench.reliability_cpu import measure_cpu_per_token  # noqa: E402
from bench.reliability_crash import run_crash  # noqa: E402
from bench.reliability_faults import run_faults  # noqa: E402
from bench.reliability_latency import measure_vote_latency  # noqa: E402
from bench.reliability_report import Figure, all_met, render  # noqa: E402
from bench.reliability_store import measure_store  # noqa: E402

LOAD_PARTS = ("store", "latency", "cpu")


def crash(args: argparse.Namespace, folder: Path) -> list[Figure]:
    print(f"crash: {args.kills} × kill -9 under {args.threads} voting clients", flush=True)
    result = run_crash(folder / "crash", kills=args.kills, threads=args.threads, seed=args.seed,
                       log=lambda line: print(line, flush=True))  # fmt: skip
    for battle_id in result.lost[:10]:
        print(f"  LOST: battle {battle_id}")
    figures = result.figures()
    print(render("Crash durability", figures), "\n", flush=True)
    return figures


def faults(args: argparse.Namespace, folder: Path) -> list[Figure]:
    print(
        f"faults: {args.battles} battles, {args.fault_rate:.0%} of provider calls fail", flush=True
    )
    result = run_faults(folder / "faults", battles=args.battles, fault_rate=args.fault_rate,
                        seed=args.seed)  # fmt: skip
    for problem in result.problems()[:20]:
        print(f"  PROBLEM: {problem}")
    for battle in [b for b in result.battles if b.error][:10]:
        print(f"  CLIENT ERROR: {battle.battle_id or '(no battle)'}: {battle.error}")
    figures = result.figures()
    print(render("Provider faults", figures), "\n", flush=True)
    return figures


def load(args: argparse.Namespace, folder: Path) -> list[Figure]:
    figures: list[Figure] = []
    if "store" in args.parts:
        print(f"load (a): {args.store_votes:,} votes into the store", flush=True)
        part = measure_store(folder / "store", votes=args.store_votes, seed=args.seed).figures()
        print(render("Load (a): votes per second the store takes", part), "\n", flush=True)
        figures += part
    if "latency" in args.parts:
        print(f"load (b): votes over HTTP at {args.rate:g}/s for {args.seconds:g} s", flush=True)
        part = measure_vote_latency(
            folder / "latency", rate=args.rate, seconds=args.seconds, workers=args.workers
        )
        part = part.figures()
        print(render("Load (b): vote latency through the JSON API", part), "\n", flush=True)
        figures += part
    if "cpu" in args.parts:
        print(f"load (c): CPU per streamed token over {args.turns} turns", flush=True)
        part = measure_cpu_per_token(folder / "cpu", turns=args.turns).figures()
        print(render("Load (c): CPU time per streamed token", part), "\n", flush=True)
        figures += part
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmark", choices=("crash", "faults", "load", "all"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    parser.add_argument("--kills", type=int, default=20, help="crash: kill -9 count")
    parser.add_argument("--threads", type=int, default=3, help="crash: voting client threads")
    parser.add_argument("--battles", type=int, default=100, help="faults: battles")
    parser.add_argument("--fault-rate", type=float, default=0.3, help="faults: share of calls")
    parser.add_argument("--parts", nargs="+", choices=LOAD_PARTS, default=list(LOAD_PARTS))
    parser.add_argument("--store-votes", type=int, default=20_000, help="load (a): votes")
    parser.add_argument("--rate", type=float, default=200.0, help="load (b): votes per second")
    parser.add_argument("--seconds", type=float, default=5.0, help="load (b): seconds of votes")
    parser.add_argument("--workers", type=int, default=1,
                        help="load (b): serve --workers N behind nginx")  # fmt: skip
    parser.add_argument("--turns", type=int, default=40, help="load (c): streamed turns")
    args = parser.parse_args(argv)
    chosen = ("crash", "faults", "load") if args.benchmark == "all" else (args.benchmark,)
    folder = Path(tempfile.mkdtemp(prefix="arena-reliability-"))
    started = time.monotonic()
    figures: list[Figure] = []
    try:
        for name in chosen:
            before = os.getloadavg()[0]
            figures += {"crash": crash, "faults": faults, "load": load}[name](args, folder)
            print(
                f"{name}: machine load average (1 min) {before:.1f} before, "
                f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores\n",
                flush=True,
            )
    finally:
        if args.keep:
            print(f"working files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    missed = [f.name for f in figures if f.met is False]
    print(
        f"{len(figures) - len(missed)} figures met or informational, {len(missed)} missed "
        f"({time.monotonic() - started:.0f} s)" + (f": {', '.join(missed)}" if missed else "")
    )
    return 0 if all_met(figures) else 1


if __name__ == "__main__":
    sys.exit(main())
