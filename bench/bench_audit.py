"""The manipulation audit (flip costs of every adjacent pair, stability under 0.1% removal) timed
against one plain Bradley–Terry fit of the same votes, before and after its refits moved to pair
counts with a warm start.

    .venv/bin/python bench/bench_audit.py                          # 100k and 1M votes, 300 models
    .venv/bin/python bench/bench_audit.py --votes 100000 --models 100 --before-pairs 0

"After" is arena/integrity/audit.py as it is in the working tree; "before" is the same file at
`--before-rev` (the last version that refitted each bisection step from scratch through
`fit_bradley_terry`), run against today's ratings/. Before is slow: its flip search runs on
`--before-pairs` adjacent pairs spread over the board and is extrapolated linearly to all of
them (the output says so); 0 skips it. Votes are drawn in memory like bench/generate_votes.py.
One BLAS thread, as in bench_ratings.py: on two shared cores, threads cost more than they give.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads BLAS

import argparse  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from generate_votes import draw_chunk  # noqa: E402

from arena.integrity import audit as after  # noqa: E402
from ratings import Matches, fit_bradley_terry, matches_from_arrays  # noqa: E402
from ratings.pair_counts import count_pairs  # noqa: E402

BEFORE_REV = "0816f77"  # audit.py before its refits used pair counts and a warm start


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--models", type=int, default=300)
    parser.add_argument("--before-rev", default=BEFORE_REV)
    parser.add_argument("--before-pairs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=20240501)
    return parser.parse_args()


def load_audit(rev: str) -> types.ModuleType:
    """arena/integrity/audit.py as of git revision `rev`, as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{rev}:arena/integrity/audit.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType(f"audit_{rev}")
    sys.modules[module.__name__] = module  # dataclasses look their module up by name
    exec(compile(source, f"{rev}:arena/integrity/audit.py", "exec"), module.__dict__)
    return module


def draw_votes(n_votes: int, n_models: int, seed: int) -> Matches:
    """n_votes single votes (count 1 each) shaped like the benchmark's votes table."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0.0, 0.8, size=n_models)
    popularity = rng.lognormal(0.0, 1.0, size=n_models)
    popularity /= popularity.sum()
    a, b, verdict, *_ = draw_chunk(rng, n_votes, theta, popularity, max(1, n_votes // 20))
    return matches_from_arrays([f"model-{i:03d}" for i in range(n_models)], a, b, verdict)


def pair_table(module: types.ModuleType, matches: Matches):
    """The audit's PairTable of `matches`, aggregated with numpy (to_pair_table loops in Python)."""
    pairs = count_pairs(matches)
    used = np.flatnonzero(pairs.votes_per_model() > 0)
    index = np.full(len(matches.models), -1, dtype=np.int64)
    index[used] = np.arange(len(used))
    return module.PairTable(
        tuple(matches.models[i] for i in used),
        index[pairs.first],
        index[pairs.second],
        *pairs.cells.T.copy(),
    )


def timed(run) -> tuple[float, object]:
    began = time.perf_counter()
    result = run()
    return time.perf_counter() - began, result


def stability_both(module: types.ModuleType, table) -> None:
    module.stability(table, mode="adversarial")
    module.stability(table, mode="random")


def measure_after(table) -> dict:
    flip_s, costs = timed(lambda: after.flip_costs(table))
    stability_s, _ = timed(lambda: stability_both(after, table))
    return {"flip_s": flip_s, "stability_s": stability_s, "costs": costs}


def measure_before(before: types.ModuleType, table, n_pairs: int) -> dict:
    """The old flip search on n_pairs adjacent pairs spread over the board, extrapolated."""
    theta, l2 = before._fit(table)
    order = sorted(range(len(table.models)), key=lambda i: (-theta[i], table.models[i]))
    adjacent = list(zip(order, order[1:], strict=False))
    picked = np.unique(np.linspace(0, len(adjacent) - 1, n_pairs).astype(int))
    began = time.perf_counter()
    found = {}
    for k in picked:
        upper, lower = adjacent[k]
        guess = before._approx_flip_votes(table, theta, l2, upper, lower)
        found[(upper, lower)] = before._exact_flip_votes(table, upper, lower, guess)
    sampled_s = time.perf_counter() - began
    stability_s, _ = timed(lambda: stability_both(before, table))
    return {
        "flip_s": sampled_s * len(adjacent) / len(picked),
        "stability_s": stability_s,
        "pairs": len(picked),
        "of": len(adjacent),
        "found": found,
    }


def same_counts(table, costs, found: dict) -> bool:
    """Whether the new flip costs equal the old search's on every pair it ran."""
    index = {name: i for i, name in enumerate(table.models)}
    ours = {(index[c.upper], index[c.lower]): c.votes_to_flip for c in costs}
    return all(ours[pair] == votes for pair, votes in found.items())


def run_size(args, before, n_votes: int) -> None:
    matches = draw_votes(n_votes, args.models, args.seed)
    plain_s = min(
        timed(lambda: fit_bradley_terry(matches, ci="sandwich", min_votes=0))[0] for _ in range(3)
    )
    table = pair_table(after, matches)
    new = measure_after(table)
    new_s = new["flip_s"] + new["stability_s"]
    print(f"\n{n_votes:,} votes, {len(table.models)} models, {len(table.first):,} pairs met")
    print(f"  one plain fit (fit_bradley_terry, sandwich, from the vote arrays): {plain_s:.3f} s")
    print(
        f"  after:  flip costs {new['flip_s']:.2f} s + stability {new['stability_s']:.2f} s"
        f" = {new_s:.2f} s = {new_s / plain_s:.0f}x a plain fit"
    )
    if before is None:
        return
    old_table = pair_table(before, matches)
    old = measure_before(before, old_table, args.before_pairs)
    old_s = old["flip_s"] + old["stability_s"]
    print(
        f"  before: flip costs {old['flip_s']:.1f} s (measured on {old['pairs']} of {old['of']}"
        f" pairs, extrapolated linearly) + stability {old['stability_s']:.2f} s"
        f" = {old_s:.1f} s = {old_s / plain_s:.0f}x a plain fit"
    )
    agree = "yes" if same_counts(table, new["costs"], old["found"]) else "NO"
    print(f"  speed-up {old_s / new_s:.0f}x; the same votes to flip on the pairs both ran: {agree}")


def main() -> None:
    args = parse_args()
    before = load_audit(args.before_rev) if args.before_pairs > 0 else None
    print(f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, before = {args.before_rev}")
    for n_votes in args.votes:
        run_size(args, before, n_votes)


if __name__ == "__main__":
    main()
