"""`arena import-battles` of a FastChat-layout CSV and Parquet file into a fresh SQLite file, against
a bare `executemany` INSERT of the same three columns into an empty table, measured in the same run.

Usage: python bench/import_battles.py --battles 1000000 [--out bench/out/import]

Prints battles/s of an import that seeds a new file (CSV, Parquet) and of one into a file made
before (Parquet; it writes through the write-ahead log, as workers may serve it), the ratio to
the bare insert, the peak memory of the import (its process's ru_maxrss) and bytes per stored
battle (database file size / battles). Goal (issue 10): ≥ 100k battles/s. The files have FastChat's columns model_a, model_b, winner, judge, tstamp over 100
models, and no question_id: every battle's id is made from its row.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
GOAL_PER_SECOND = 100_000
WINNERS = ("model_a", "model_b", "tie", "tie (bothbad)")
WINNER_SHARES = (0.4, 0.32, 0.2, 0.08)
START = 1_700_000_000.0  # unix seconds of the first battle


@dataclass(frozen=True)
class Run:
    """One import: wall seconds of the whole command, its peak memory, the database's size."""

    file: str
    battles: int
    seconds: float
    peak_bytes: int
    db_bytes: int

    @property
    def per_second(self) -> float:
        return self.battles / self.seconds

    @property
    def bytes_per_battle(self) -> float:
        return self.db_bytes / self.battles


def battle_table(n: int, *, models: int = 100, voters: int = 0, seed: int = 20240501) -> pa.Table:
    """n battles in FastChat's clean_battle columns (no self-battles, no question_id)."""
    rng = np.random.default_rng(seed)
    names = np.array([f"model-{k:03d}" for k in range(models)], dtype=object)
    a = rng.integers(0, models, n)
    b = (a + rng.integers(1, models, n)) % models  # never the same model on both sides
    winner = rng.choice(np.array(WINNERS, dtype=object), size=n, p=WINNER_SHARES)
    judge = rng.integers(0, voters or max(n // 20, 1), n)
    tstamp = START + np.round(np.cumsum(rng.exponential(0.5, n)), 3)
    return pa.table({
        "model_a": pa.array(names[a], pa.string()),
        "model_b": pa.array(names[b], pa.string()),
        "winner": pa.array(winner, pa.string()),
        "judge": pa.array(np.char.add("arena_user_", judge.astype(str)).astype(object)),
        "tstamp": pa.array(tstamp),
    })  # fmt: skip


def write_files(n: int, folder: Path) -> dict[str, Path]:
    """The same battles as battles.csv and battles.parquet in `folder`."""
    table = battle_table(n)
    paths = {"csv": folder / "battles.csv", "parquet": folder / "battles.parquet"}
    pa_csv.write_csv(table, paths["csv"])
    pq.write_table(table, paths["parquet"])
    return paths


def bare_insert_seconds(path: Path, folder: Path) -> float:
    """Seconds to executemany-INSERT the file's model_a, model_b, winner into an empty SQLite
    table in one transaction (the rows already in memory as tuples): the floor."""
    table = pq.read_table(path, columns=["model_a", "model_b", "winner"])
    rows = list(zip(*(table.column(k).to_pylist() for k in range(3)), strict=True))
    db = folder / "bare.db"
    db.unlink(missing_ok=True)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE votes (model_a TEXT, model_b TEXT, winner TEXT)")
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO votes VALUES (?, ?, ?)", rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def import_run(
    path: Path, folder: Path, battles: int, *, progress: bool = False, made_before: bool = False
) -> Run:
    """`python -m arena import-battles` of the file into a new database (which it seeds, writing
    each page once through a rollback journal), or into an empty one `made_before` by another
    process (which a worker may serve: the import writes through the log), in a child process
    whose own peak memory os.wait4 reports."""
    kind = path.suffix.lstrip(".") + (" into a file made before" if made_before else "")
    db = folder / f"arena-{kind.replace(' ', '-')}.db"
    for leftover in folder.glob(db.name + "*"):  # the database, its log, its vote copy
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    env = {**os.environ, "ARENA_DB_PATH": str(db), "ARENA_LOCAL_MODELS": "false",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    if made_before:
        subprocess.run([sys.executable, "-c", "import sys; from arena.adapters.sqlite import "
                        "SqliteStore; SqliteStore(sys.argv[1]).close()", str(db)],
                       env=env, check=True)  # fmt: skip
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "arena", "import-battles", str(path)], cwd=folder, env=env,
        stdout=subprocess.PIPE, stderr=None if progress else subprocess.PIPE,
    )  # fmt: skip
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    output = child.stdout.read().decode()
    error = b"" if progress else child.stderr.read()
    child.stdout.close()
    if child.stderr:
        child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0 or f"imported {battles} battles" not in output:
        raise RuntimeError(f"import failed ({child.returncode}): {output}{error.decode()}")
    return Run(kind, battles, seconds, usage.ru_maxrss * 1024, db.stat().st_size)


def measure(n: int, folder: Path, *, progress: bool = False) -> tuple[float, list[Run]]:
    """Bare-insert seconds and one import run per file format into a new file, and one of the
    Parquet file into a file made before, on n battles."""
    paths = write_files(n, folder)
    bare = bare_insert_seconds(paths["parquet"], folder)
    runs = [import_run(p, folder, n, progress=progress) for p in paths.values()]
    return bare, [*runs, import_run(paths["parquet"], folder, n, made_before=True)]


def report(n: int, bare: float, runs: list[Run]) -> None:
    print(f"bare executemany INSERT of 3 columns: {n / bare:,.0f} rows/s ({bare:.2f} s)")
    for run in runs:
        met = "met" if run.per_second >= GOAL_PER_SECOND else "NOT met"
        print(
            f"import-battles {run.file}: {run.per_second:,.0f} battles/s ({run.seconds:.2f} s)"
            f", {run.seconds / bare:.1f}× the bare insert, peak {run.peak_bytes / 2**20:,.0f} MiB,"
            f" {run.bytes_per_battle:,.0f} B/battle; goal ≥ {GOAL_PER_SECOND:,}/s {met}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--battles", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None, help="folder for the files [temp]")
    parser.add_argument("--progress", action="store_true", help="show the import's progress bar")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="arena-import-") as temp:
        folder = args.out or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        bare, runs = measure(args.battles, folder, progress=args.progress)
        report(args.battles, bare, runs)


if __name__ == "__main__":
    main()
