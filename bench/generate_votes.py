"""Synthetic arena votes written to a real SQLite file, shaped like the arena's votes table.

Usage: python bench/generate_votes.py --votes 1000000 --models 300 --out bench/out/votes.sqlite

True strengths are drawn once (seeded) and saved in the `true_strengths` table so benchmarks
and simulations can check recovered ratings against them.
"""

import argparse
import math
import sqlite3
import time
from pathlib import Path

import numpy as np

LANGUAGES = ("en", "zh", "es", "ru", "de", "ja", "fr", "ko")
LANGUAGE_SHARES = (0.55, 0.15, 0.07, 0.06, 0.05, 0.05, 0.04, 0.03)
TIE_RATE = 0.20  # plain ties; with BOTH_BAD_RATE about 28% of votes are not a win
BOTH_BAD_RATE = 0.08
CHUNK = 200_000  # rows generated and inserted per batch, bounds memory at any N

SCHEMA = """
CREATE TABLE models(id INTEGER PRIMARY KEY, name TEXT UNIQUE);
CREATE TABLE true_strengths(model_id INTEGER PRIMARY KEY, theta REAL);
CREATE TABLE votes(
    id INTEGER PRIMARY KEY, battle_id TEXT, voter_id TEXT,
    model_a_id INTEGER, model_b_id INTEGER, verdict TEXT,
    counted INTEGER, anonymous INTEGER, language TEXT,
    is_coding INTEGER, is_long_query INTEGER, is_multi_turn INTEGER,
    created_at TEXT
);
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=1_000_000, help="number of votes N")
    parser.add_argument("--models", type=int, default=300, help="number of models M")
    parser.add_argument("--voters", type=int, default=0, help="distinct voters (0: N/20)")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--out", type=Path, default=Path("bench/out/votes.sqlite"))
    return parser.parse_args()


def draw_chunk(rng: np.random.Generator, n: int, theta, popularity, n_voters: int):
    """One batch of votes as numpy arrays; pair frequency is skewed by model popularity."""
    m = len(theta)
    a = rng.choice(m, size=n, p=popularity)
    b = rng.choice(m, size=n, p=popularity)
    clash = a == b
    while clash.any():  # redraw self-pairs until every battle has two distinct models
        b[clash] = rng.choice(m, size=int(clash.sum()), p=popularity)
        clash = a == b
    p_a = 1.0 / (1.0 + np.exp(theta[b] - theta[a]))
    u = rng.random(n)
    decisive = 1.0 - TIE_RATE - BOTH_BAD_RATE
    verdict = np.where(
        u < decisive * p_a,
        "a_better",
        np.where(u < decisive, "b_better", np.where(u < decisive + TIE_RATE, "tie", "both_bad")),
    )
    voter = (n_voters * rng.random(n) ** 2).astype(np.int64)  # low ids vote far more often
    language = rng.choice(len(LANGUAGES), size=n, p=LANGUAGE_SHARES)
    flags = rng.random((n, 5)) < np.array([0.98, 0.9, 0.2, 0.15, 0.1])
    return a, b, verdict, voter, language, flags


def write_votes(path: Path, n_votes: int, n_models: int, n_voters: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    theta = rng.normal(0.0, 0.8, size=n_models)  # logit scale: sd 0.8 is about 140 rating points
    popularity = rng.lognormal(0.0, 1.0, size=n_models)
    popularity /= popularity.sum()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.executescript(SCHEMA)
    db.executemany(
        "INSERT INTO models(id, name) VALUES (?, ?)",
        ((i + 1, f"model-{i:03d}") for i in range(n_models)),
    )
    db.executemany(
        "INSERT INTO true_strengths VALUES (?, ?)",
        ((i + 1, float(t)) for i, t in enumerate(theta)),
    )
    start = 1_700_000_000
    seconds_per_vote = 30 * 86_400 / max(n_votes, 1)  # spread over thirty days
    for first in range(0, n_votes, CHUNK):
        n = min(CHUNK, n_votes - first)
        a, b, verdict, voter, language, flags = draw_chunk(rng, n, theta, popularity, n_voters)
        ids = range(first + 1, first + n + 1)
        battle_hex = rng.integers(0, 2**63, size=n)
        seconds = start + (np.arange(first + 1, first + n + 1) * seconds_per_vote).astype(np.int64)
        created = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
        rows = (
            (
                vote_id,
                f"{int(battle_hex[k]):016x}",
                f"voter-{int(voter[k])}",
                int(a[k]) + 1,
                int(b[k]) + 1,
                str(verdict[k]),
                int(flags[k, 0]),
                int(flags[k, 1]),
                LANGUAGES[int(language[k])],
                int(flags[k, 2]),
                int(flags[k, 3]),
                int(flags[k, 4]),
                f"{created[k]}Z",
            )
            for k, vote_id in enumerate(ids)
        )
        db.executemany("INSERT INTO votes VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.commit()
    db.close()


def main() -> None:
    args = parse_args()
    n_voters = args.voters or max(1, math.ceil(args.votes / 20))
    began = time.perf_counter()
    write_votes(args.out, args.votes, args.models, n_voters, args.seed)
    took = time.perf_counter() - began
    print(f"wrote {args.votes:,} votes, {args.models} models, {n_voters:,} voters to {args.out}")
    print(f"in {took:.1f} s")


if __name__ == "__main__":
    main()
