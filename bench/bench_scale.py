"""Issue 10's goals at arena scale, in one run: each maintainer command against the floor it is
measured by, on the same battles.

Usage: python bench/bench_scale.py --battles 1000000 [--out bench/out/scale] [--skip import ...]

One battle file (FastChat's clean_battle columns model_a, model_b, winner, judge, tstamp; 300
models whose popularity is skewed as in bench/generate_votes.py, outcomes drawn from
Bradley–Terry strengths, 20% ties and 8% both bad) is written as CSV and as Parquet. Then, every
measurement in a child process of its own (wall time, and its peak resident memory from
os.wait4):

| stage | command | floor (same run) | goal |
| ratings | `arena ratings --from-file F --method bt` (default; 1,000 resamples) | pandas read + group of F | ≤ 2×, ≤ 1.5 GB |
| trueskill | `arena ratings --from-file F --method trueskill` | `trueskill.rate_1vs1` loop | ≥ 50×, equal |
| import | `arena import-battles F` into a fresh SQLite file | (absolute) | ≥ 100k battles/s |
| snapshot | `arena snapshot create` on the imported database, then again without its column copy of the votes | bare GROUP BY of its votes | ≤ 2×, ≤ 1.5 GB |

The package loop runs the first `--loop-battles` battles and is extrapolated linearly; equality
is checked on that prefix at full precision (`--format json` does not round) against the
command run on a file of the prefix alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE)]

from generate_votes import draw_chunk  # noqa: E402

STAGES = ("ratings", "trueskill", "import", "snapshot")
CHUNK = 1_000_000  # battles generated and written at a time
WINNER = {"a_better": "model_a", "b_better": "model_b", "tie": "tie", "both_bad": "tie (bothbad)"}
START = 1_700_000_000.0  # unix seconds of the first battle
GB = 2**30


@dataclass(frozen=True)
class Measure:
    """One child process: wall seconds, peak resident bytes, what it printed on stdout."""

    seconds: float
    peak_bytes: int
    stdout: str

    def __str__(self) -> str:
        return f"{self.seconds:8.1f} s, peak {self.peak_bytes / 2**20:6,.0f} MiB"


def write_battles(n: int, folder: Path, *, models: int = 300, seed: int = 20240501) -> dict:
    """The same n battles as battles.csv and battles.parquet in `folder`."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0.0, 0.8, size=models)
    popularity = rng.lognormal(0.0, 1.0, size=models)
    popularity /= popularity.sum()
    names = np.array([f"model-{k:03d}" for k in range(models)], dtype=object)
    paths = {"csv": folder / "battles.csv", "parquet": folder / "battles.parquet"}
    schema = pa.schema([("model_a", pa.string()), ("model_b", pa.string()),
                        ("winner", pa.string()), ("judge", pa.string()),
                        ("tstamp", pa.float64())])  # fmt: skip
    with (
        pq.ParquetWriter(paths["parquet"], schema) as parquet,
        pa_csv.CSVWriter(paths["csv"], schema) as csv,
    ):
        clock = START
        for first in range(0, n, CHUNK):
            size = min(CHUNK, n - first)
            a, b, verdict, voter, _, _ = draw_chunk(rng, size, theta, popularity, max(n // 20, 1))
            tstamp = clock + np.round(np.cumsum(rng.exponential(0.5, size)), 3)
            clock = float(tstamp[-1])
            winner = np.vectorize(WINNER.get, otypes=[object])(verdict)
            table = pa.table({
                "model_a": pa.array(names[a], pa.string()),
                "model_b": pa.array(names[b], pa.string()),
                "winner": pa.array(winner, pa.string()),
                "judge": pa.array(np.char.add("arena_user_", voter.astype(str)).astype(object)),
                "tstamp": pa.array(tstamp),
            }, schema=schema)  # fmt: skip
            parquet.write_table(table)
            csv.write_table(table)
    return paths


def child(argv: list[str], *, env: dict | None = None, cwd: Path = ROOT) -> Measure:
    """Run argv; its wall time and the peak memory it printed. Fails loudly if it fails."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env={**os.environ, **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{out.decode()}{err.decode()}")
    peak = _peak_of(err)
    return Measure(seconds, peak, out.decode())


def _peak_of(stderr: bytes) -> int:
    """The peak RSS the child printed last on stderr (see `python_child`)."""
    for line in reversed(stderr.decode().splitlines()):
        if line.startswith("PEAK_RSS "):
            return int(line.split()[1])
    return 0


# The peak is VmHWM, which exec resets; ru_maxrss would start at the parent's size at fork.
PEAK_WRAPPER = textwrap.dedent("""
    import atexit, re, runpy, sys
    def peak():
        status = open("/proc/self/status").read()
        kib = int(re.search(r"VmHWM:\\s+(\\d+) kB", status)[1])
        print("PEAK_RSS", kib * 1024, file=sys.stderr)
    atexit.register(peak)
    sys.argv = sys.argv[1:]
    if sys.argv[0] == "-c":
        code = sys.argv.pop(1)
        sys.argv[0] = "-c"
        exec(compile(code, "<bench>", "exec"), {"__name__": "__main__"})
    else:
        runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
""")


def python_child(*argv: str, env: dict | None = None) -> Measure:
    """A Python child (`-c code` or a module name and its arguments) reporting its own peak RSS."""
    return child([sys.executable, "-c", PEAK_WRAPPER, *argv], env=env)


def arena(*argv: str, db: Path | None = None) -> Measure:
    env = {"ARENA_LOCAL_MODELS": "false", "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    if db is not None:
        env["ARENA_DB_PATH"] = str(db)
    return python_child("arena", *argv, env=env)


PANDAS_GROUP = """
import sys, pandas as pd
path = sys.argv[1]
columns = ["model_a", "model_b", "winner"]
if path.endswith(".parquet"):
    frame = pd.read_parquet(path, columns=columns)
    frame = frame.astype("category")
else:
    frame = pd.read_csv(path, usecols=columns, dtype="category", engine="pyarrow")
print(len(frame.groupby(columns, observed=True).size()))
"""

SQL_GROUP = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT model_a_id, model_b_id, verdict, count(*) FROM votes "
                  "GROUP BY model_a_id, model_b_id, verdict").fetchall()
print(len(rows))
"""

TRUESKILL_LOOP = """
import json, sys, time
import pyarrow.parquet as pq
from ratings.trueskill_ratings import TrueSkillParams
table = pq.read_table(sys.argv[1], columns=["model_a", "model_b", "winner"])
a, b, w = (table.column(k).to_pylist() for k in range(3))
env = TrueSkillParams().environment()
skills = {}
start = time.perf_counter()
for first, second, winner in zip(a, b, w):
    if winner == "model_b":
        first, second = second, first
    x = skills.get(first) or env.create_rating()
    y = skills.get(second) or env.create_rating()
    skills[first], skills[second] = env.rate_1vs1(x, y, drawn=winner.startswith("tie"))
print(json.dumps({"seconds": time.perf_counter() - start,
                  "skills": {m: [s.mu, s.sigma] for m, s in skills.items()}}))
"""


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


RATINGS_CONFIGS = {  # what `ratings --from-file --method bt` is run with ({} the resamples)
    "the default (sandwich intervals)": [],
    "bootstrap ({} resamples), 1 process": ["--bootstrap", "{}", "--workers", "1"],
    "bootstrap ({} resamples), 2 processes": ["--bootstrap", "{}", "--workers", "2"],
}


def stage_ratings(paths: dict, resamples: int) -> None:
    for kind, path in paths.items():
        floor = python_child("-c", PANDAS_GROUP, str(path))
        print(f"pandas read+group {kind:>7}: {floor}", flush=True)
        for name, options in RATINGS_CONFIGS.items():
            options = [o.format(resamples) for o in options]
            run = arena("ratings", "--from-file", str(path), "--method", "bt", "--format", "json",
                        *options)  # fmt: skip
            ratio = run.seconds / floor.seconds
            print(f"  ratings --from-file {kind:>7} bt, {name.format(resamples)}: {run}; "
                  f"{ratio:.2f}× pandas (goal ≤ 2×: {verdict(ratio <= 2)}; ≤ 1.5 GB: "
                  f"{verdict(run.peak_bytes <= 1.5 * GB)})", flush=True)  # fmt: skip


def stage_trueskill(paths: dict, n: int, loop_battles: int, folder: Path) -> None:
    path = paths["parquet"]
    prefix = folder / "prefix.parquet"
    k = min(loop_battles, n)
    pq.write_table(pq.read_table(path).slice(0, k), prefix)
    loop = json.loads(python_child("-c", TRUESKILL_LOOP, str(prefix),
                                   env={"PYTHONPATH": str(ROOT)}).stdout)  # fmt: skip
    ours = json.loads(arena("ratings", "--from-file", str(prefix), "--method", "trueskill",
                            "--format", "json").stdout)  # fmt: skip
    rows = ours["categories"]["overall"]["trueskill"]
    d_mu = max(abs(r["mu"] - loop["skills"][r["model"]][0]) for r in rows)
    d_sigma = max(abs(r["sigma"] - loop["skills"][r["model"]][1]) for r in rows)
    full = arena("ratings", "--from-file", str(path), "--method", "trueskill", "--format", "json")
    per_battle = loop["seconds"] / k
    ratio = per_battle * n / full.seconds
    print(
        f"trueskill --from-file parquet: {full}; package loop {loop['seconds']:.1f} s on the "
        f"first {k:,} battles, extrapolated {per_battle * n:,.0f} s; {ratio:.1f}× faster "
        f"(goal ≥ 50×: {verdict(ratio >= 50)}); on the prefix max |Δμ| {d_mu:.1e}, "
        f"max |Δσ| {d_sigma:.1e} (equal: {verdict(max(d_mu, d_sigma) < 1e-9)})",
        flush=True,
    )


def stage_import(paths: dict, n: int, folder: Path, formats: list[str]) -> Path:
    db = None
    for kind, path in paths.items():
        if kind not in formats:
            continue
        db = folder / f"arena-{kind}.db"
        for leftover in folder.glob(db.name + "*"):
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        run = arena("import-battles", str(path), db=db)
        rate = n / run.seconds
        copy = sum(f.stat().st_size for f in copy_folder(db).rglob("*") if f.is_file())
        print(
            f"import-battles {kind:>7}: {run}; {rate:,.0f} battles/s (goal ≥ 100,000/s: "
            f"{verdict(rate >= 100_000)}); {db.stat().st_size / n:,.0f} B/battle in the "
            f"database, {copy / n:,.0f} B/battle in its column copy of the votes",
            flush=True,
        )
    return db


def copy_folder(db: Path) -> Path:
    """The column copy of the votes the SQLite store keeps beside `db` (vote_copy.py)."""
    return db.with_name(db.name + ".vote-copy")


def stage_snapshot(db: Path, resamples: int) -> None:
    """`snapshot create` as an import leaves the database (its column copy of the votes up to
    date), then once more without the copy (a database an older version made: the snapshot
    makes the copy first), each against the floor measured just before it."""
    for case in ("copy up to date", "no copy yet"):
        if case == "no copy yet":
            shutil.rmtree(copy_folder(db), ignore_errors=True)
        floor = python_child("-c", SQL_GROUP, str(db))
        run = arena("snapshot", "create", db=db)
        ratio = run.seconds / floor.seconds
        print(f"snapshot create ({case}): {run}; bare GROUP BY {floor}; {ratio:.2f}× (goal ≤ "
              f"2×: {verdict(ratio <= 2)}; ≤ 1.5 GB: {verdict(run.peak_bytes <= 1.5 * GB)})",
              flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--battles", type=int, default=1_000_000)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--loop-battles", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=None, help="folder for the files [temp]")
    parser.add_argument("--skip", nargs="*", default=[], choices=STAGES)
    parser.add_argument("--db", type=Path, default=None,
                        help="with --skip import: the database (of the same battles) to snapshot")  # fmt: skip
    parser.add_argument(
        "--import-formats",
        nargs="+",
        default=["csv", "parquet"],
        choices=["csv", "parquet"],
        help="files to import (the last is snapshot)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="arena-scale-") as temp:
        folder = args.out or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        paths = write_battles(args.battles, folder)
        print(f"{args.battles:,} battles × 300 models written as CSV "
              f"({paths['csv'].stat().st_size / 2**20:,.0f} MiB) and Parquet "
              f"({paths['parquet'].stat().st_size / 2**20:,.0f} MiB) in "
              f"{time.perf_counter() - start:.0f} s", flush=True)  # fmt: skip
        if "ratings" not in args.skip:
            stage_ratings(paths, args.resamples)
        if "trueskill" not in args.skip:
            stage_trueskill(paths, args.battles, args.loop_battles, folder)
        db = args.db
        if "import" not in args.skip:
            db = stage_import(paths, args.battles, folder, args.import_formats)
        if "snapshot" not in args.skip and db is not None:
            stage_snapshot(db, args.resamples)


if __name__ == "__main__":
    main()
