"""The Bradley–Terry interval schemes side by side: time, coverage, and agreement with the default
(multinomial bootstrap) intervals.

    .venv/bin/python bench/bench_intervals.py                  # 1M votes × 300 models, 200 boards
    .venv/bin/python bench/bench_intervals.py --votes 100000 --replications 50

Schemes: the multinomial bootstrap (default), the Bayesian bootstrap, the plain sandwich, and
"reweighted" (LMArena's inverse-frequency weighted fit with its sandwich, ratings/bt_reweighted.py).

1. Time: one `fit_bradley_terry` each (aggregation, fit, intervals, rank) on `--votes` votes ×
   `--models` models drawn in memory like bench/generate_votes.py, and its ratio to the
   multinomial bootstrap's. Agreement: |Δ lower|, |Δ upper| (and |Δ rating|) against the
   multinomial bootstrap's board, in rating points; the multinomial bootstrap with another seed
   gives the Monte Carlo noise those differences should be read against.
2. Coverage: `--replications` smaller boards (`--sim-models` models, `--sim-votes` votes, pairs
   skewed by popularity as in generate_votes.py), each interval checked against the true
   rating. Ties here count half of the Bradley–Terry win probability, as in
   tests/test_ratings_coverage.py, so the true strengths are what every scheme estimates
   (generate_votes.py's fixed 28% of non-decisive votes would shrink the fitted strengths
   towards 0 and no interval would cover its strengths).
One BLAS thread, as in bench_ratings.py: on two shared cores, threads cost more than they give.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads BLAS

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from generate_votes import draw_chunk  # noqa: E402

from ratings import Matches, fit_bradley_terry, matches_from_arrays  # noqa: E402
from ratings.bradley_terry import SCALE  # noqa: E402
from ratings.graph import has_finite_optimum  # noqa: E402
from ratings.pair_counts import count_pairs  # noqa: E402

# name: fit_bradley_terry options (resamples added for the bootstrap schemes)
SCHEMES = {
    "multinomial bootstrap": {"ci": "bootstrap", "resample": "multinomial"},
    "bayesian bootstrap": {"ci": "bootstrap", "resample": "bayesian"},
    "sandwich": {"ci": "sandwich"},
    "reweighted": {"ci": "reweighted"},
}
REFERENCE = "multinomial bootstrap"
TIE_RATE = 0.28  # as generate_votes.py: ties + both_bad


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--models", type=int, default=300)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--sim-models", type=int, default=20)
    parser.add_argument("--sim-votes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20240501)
    return parser.parse_args()


def draw_votes(n_votes: int, n_models: int, seed: int) -> Matches:
    """n_votes single votes shaped like the benchmark's votes table (bench/generate_votes.py)."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0.0, 0.8, size=n_models)
    popularity = rng.lognormal(0.0, 1.0, size=n_models)
    popularity /= popularity.sum()
    a, b, verdict, *_ = draw_chunk(rng, n_votes, theta, popularity, max(1, n_votes // 20))
    return matches_from_arrays([f"model-{i:03d}" for i in range(n_models)], a, b, verdict)


def simulate_board(rng: np.random.Generator, n_models: int, n_votes: int):
    """Votes with popularity-skewed pairs whose expected score for side A is σ(θ_a − θ_b), ties
    counting half; and the true ratings [n_models] on the board's scale (mean 1000)."""
    theta = np.clip(rng.normal(0.0, 0.5, n_models), -1.0, 1.0)
    popularity = rng.lognormal(0.0, 1.0, n_models)
    popularity /= popularity.sum()
    a = rng.choice(n_models, n_votes, p=popularity)
    b = rng.choice(n_models, n_votes, p=popularity)
    while (clash := a == b).any():
        b[clash] = rng.choice(n_models, int(clash.sum()), p=popularity)
    p = 1.0 / (1.0 + np.exp(theta[b] - theta[a]))
    win_given_decisive = (p - 0.5 * TIE_RATE) / (1.0 - TIE_RATE)
    tie = rng.random(n_votes) < TIE_RATE
    verdict = np.where(tie, 2, np.where(rng.random(n_votes) < win_given_decisive, 0, 1))
    matches = matches_from_arrays([f"m{i}" for i in range(n_models)], a, b, verdict)
    return matches, SCALE * (theta - theta.mean()) + 1000.0


def fit(matches: Matches, scheme: str, resamples: int, seed: int = 0):
    return fit_bradley_terry(matches, bootstrap=resamples, seed=seed, **SCHEMES[scheme])


def timed(call, *args, **kwargs):
    """(call(*args, **kwargs), seconds it took)."""
    began = time.perf_counter()
    result = call(*args, **kwargs)
    return result, time.perf_counter() - began


def large_board(args) -> None:
    matches = draw_votes(args.votes, args.models, args.seed)
    print(f"{args.votes:,} votes × {args.models} models, {args.resamples:,} resamples, 1 process")
    boards, seconds = {}, {}
    for scheme in SCHEMES:
        boards[scheme], seconds[scheme] = timed(fit, matches, scheme, args.resamples)
    noise, noise_s = timed(fit, matches, REFERENCE, args.resamples, seed=1)
    reference = boards[REFERENCE]
    print(f"  {'scheme':<32}{'time':>9}{'speed-up':>10}   median half-width")
    for scheme, board in boards.items():
        ratio = seconds[REFERENCE] / seconds[scheme]
        half = np.median((board.upper - board.lower) / 2)
        print(f"  {scheme:<32}{seconds[scheme]:8.2f}s{ratio:9.1f}x   {half:6.2f} points")
    print(f"\n  against the {REFERENCE} (seed 0), rating points: median / max")
    print(f"  {'':<32}{'|Δ lower|':>16}{'|Δ upper|':>16}{'|Δ rating|':>16}")
    for scheme, board in [(f"{REFERENCE}, seed 1", noise), *boards.items()]:
        if board is reference:
            continue
        cells = [
            np.abs(board.lower - reference.lower),
            np.abs(board.upper - reference.upper),
            np.abs(board.ratings - reference.ratings),
        ]
        print(f"  {scheme:<32}" + "".join(f"{np.median(d):8.2f} /{d.max():6.2f}" for d in cells))
    print(f"  ({REFERENCE} with seed 1 took {noise_s:.2f} s: the Monte Carlo noise row)")


def coverage(args) -> None:
    rng = np.random.default_rng(args.seed + 1)
    hits = {scheme: [] for scheme in SCHEMES}
    widths = {scheme: [] for scheme in SCHEMES}
    seconds = dict.fromkeys(SCHEMES, 0.0)
    skipped = 0
    for k in range(args.replications):
        matches, truth = simulate_board(rng, args.sim_models, args.sim_votes)
        pairs = count_pairs(matches)
        finite = np.all(pairs.votes_per_model() > 0) and has_finite_optimum(
            pairs.first, pairs.second, pairs.scores, pairs.totals, args.sim_models
        )
        if not finite:  # ratings of a ridge fit are not the ML estimate the intervals are about
            skipped += 1
            continue
        for scheme in SCHEMES:
            board, took = timed(fit, matches, scheme, args.resamples, seed=k)
            seconds[scheme] += took
            hits[scheme].append((board.lower <= truth) & (truth <= board.upper))
            widths[scheme].append((board.upper - board.lower) / 2)
    boards = args.replications - skipped
    print(
        f"\ncoverage of the true rating: {boards} boards × {args.sim_models} models, "
        f"{args.sim_votes:,} votes each ({skipped} boards without a finite fit left out)"
    )
    for scheme, checks in hits.items():
        checks = np.concatenate(checks)
        half = np.median(np.concatenate(widths[scheme]))
        print(
            f"  {scheme:<24}{100 * checks.mean():6.1f}%  median half-width {half:5.1f} points, "
            f"{seconds[scheme] / boards * 1000:7.1f} ms a board"
        )
    se = np.sqrt(0.95 * 0.05 / (boards * args.sim_models))
    print(f"  (one standard error of a coverage near 95%: {100 * se:.2f} points)")


def main() -> None:
    args = parse_args()
    large_board(args)
    coverage(args)


if __name__ == "__main__":
    main()
