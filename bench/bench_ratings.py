"""Benchmark of the official recompute against FastChat's method and arena-rank, plus TrueSkill
replay against the trueskill package loop, all on one SQLite votes file.

Usage:
    python bench/generate_votes.py --votes 1000000 --models 300 --out bench/out/votes_1m.sqlite
    bash bench/setup_arena_rank.sh            # once, for the arena-rank comparison
    python bench/bench_ratings.py --db bench/out/votes_1m.sqlite

Each measurement runs in its own fresh process so its peak RSS is its own. The reference methods
are slow: they run `--reference-resamples` resamples and their bootstrap time is extrapolated
linearly to `--resamples`; the TrueSkill package loop runs the first `--trueskill-loop-votes`
votes and is extrapolated linearly to all votes. The output says so wherever it applies.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from votes_db import CATEGORY_COLUMNS, grouped_counts, model_names, raw_votes  # noqa: E402

ARENA_RANK_PYTHON = HERE / ".venv-arena-rank" / "bin" / "python"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--reference-resamples", type=int, default=40)
    parser.add_argument("--trueskill-loop-votes", type=int, default=200_000)
    parser.add_argument(
        "--configs",
        nargs="+",
        default=["multinomial:1", "multinomial:2", "bayesian:1", "bayesian:2"],
        help="our bootstrap runs as resample:workers",
    )
    parser.add_argument("--skip", nargs="*", default=[], help="stages to skip")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    return parser.parse_args()


def peak_rss_mb() -> tuple[float, float]:
    """(this process, largest finished child) peak resident memory in MB."""
    return (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    )


def stage_scan(args) -> dict:
    began = time.perf_counter()
    grouped = grouped_counts(args.db)
    took = time.perf_counter() - began
    return {
        "scan_s": took,
        "grouped_rows": len(grouped["count"]),
        "votes": int(grouped["count"].sum()),
    }


def stage_ours(args, resample: str, workers: str) -> dict:
    from ratings import fit_categories, matches_from_arrays
    from ratings.bt_newton import gradient

    began = time.perf_counter()
    grouped = grouped_counts(args.db)
    scan_s = time.perf_counter() - began
    names, _ = model_names(args.db)
    matches = matches_from_arrays(
        names, grouped["model_a"], grouped["model_b"], grouped["verdict"], grouped["count"]
    )
    categories = {"overall": None} | {name: grouped[name] for name in CATEGORY_COLUMNS}
    finished = []  # when each category's last resample came back: per-category times

    def progress(done: int, total: int) -> None:
        if done % args.resamples == 0:
            finished.append(time.perf_counter())

    began = time.perf_counter()
    boards = fit_categories(
        matches,
        categories,
        bootstrap=args.resamples,
        seed=0,
        resample=resample,
        workers=int(workers),
        progress=progress,
    )
    compute_s = time.perf_counter() - began
    timings = dict(zip(categories, np.diff([began, *finished]), strict=True))
    began = time.perf_counter()
    fit_categories(matches, categories, ci="sandwich")
    sandwich_s = time.perf_counter() - began
    overall = boards["overall"]
    theta = (overall.ratings - 1000.0) / (400.0 / np.log(10.0))
    pairs = overall.pairs
    score = gradient(theta, pairs.first, pairs.second, pairs.scores, pairs.totals)
    index = [names.index(m) for m in overall.models]
    ratings = np.full(len(names), np.nan)
    ratings[index] = overall.ratings
    np.savez(args.out / "ours_overall.npz", ratings=ratings)
    _save_ordered_counts(args.out / "counts_overall.npz", grouped, len(names))
    self_mb, children_mb = peak_rss_mb()
    return {
        "resample": resample,
        "workers": int(workers),
        "scan_s": scan_s,
        "compute_s": compute_s,
        "category_s": timings,
        "category_votes": {n: b.n_votes for n, b in boards.items()},
        "sandwich_all_categories_s": sandwich_s,
        "max_abs_score_votes": float(np.abs(score).max()),
        "peak_rss_mb": self_mb,
        "peak_rss_workers_mb": children_mb,
    }


def _save_ordered_counts(path: Path, grouped: dict, n_models: int) -> None:
    """Unique (model_a, model_b, outcome) rows with counts, the input arena-rank aggregates to."""
    outcome2 = np.where(grouped["verdict"] == 0, 2, np.where(grouped["verdict"] == 1, 0, 1))
    key = (grouped["model_a"].astype(np.int64) * n_models + grouped["model_b"]) * 3 + outcome2
    counts = np.bincount(key, grouped["count"], n_models * n_models * 3)
    cells = np.flatnonzero(counts)
    np.savez(
        path,
        model_a=cells // 3 // n_models,
        model_b=cells // 3 % n_models,
        outcome=(cells % 3) / 2.0,
        count=counts[cells],
        n_models=n_models,
    )


def stage_fastchat(args) -> dict:
    import fastchat_method

    began = time.perf_counter()
    votes = raw_votes(args.db)
    load_s = time.perf_counter() - began
    names, _ = model_names(args.db)
    began = time.perf_counter()
    ratings = fastchat_method.ratings(
        votes["model_a"], votes["model_b"], votes["verdict"], len(names)
    )
    point_s = time.perf_counter() - began
    began = time.perf_counter()
    fastchat_method.bootstrap(
        votes["model_a"], votes["model_b"], votes["verdict"], len(names), args.reference_resamples
    )
    boot_s = time.perf_counter() - began
    np.savez(args.out / "fastchat_overall.npz", ratings=ratings)
    self_mb, children_mb = peak_rss_mb()
    return {
        "load_raw_votes_s": load_s,
        "point_s": point_s,
        "bootstrap_measured_s": boot_s,
        "resamples_measured": args.reference_resamples,
        "total_extrapolated_s": point_s + boot_s * args.resamples / args.reference_resamples,
        "peak_rss_mb": self_mb,
        "peak_rss_workers_mb": children_mb,
    }


def stage_trueskill(args) -> dict:
    import trueskill

    from ratings import TrueSkillParams, replay

    votes = raw_votes(args.db)
    names, _ = model_names(args.db)
    params = TrueSkillParams()
    a, b, v = votes["model_a"], votes["model_b"], votes["verdict"]
    began = time.perf_counter()
    full = replay(params, a, b, v, len(names))
    replay_s = time.perf_counter() - began
    k = min(args.trueskill_loop_votes, len(a))
    began = time.perf_counter()
    prefix = replay(params, a[:k], b[:k], v[:k], len(names))
    replay_prefix_s = time.perf_counter() - began
    env = params.environment()
    skills = [env.create_rating() for _ in names]
    began = time.perf_counter()
    for i, j, code in zip(a[:k].tolist(), b[:k].tolist(), v[:k].tolist(), strict=True):
        if code == 0:
            skills[i], skills[j] = trueskill.rate_1vs1(skills[i], skills[j], env=env)
        elif code == 1:
            skills[j], skills[i] = trueskill.rate_1vs1(skills[j], skills[i], env=env)
        else:
            skills[i], skills[j] = trueskill.rate_1vs1(skills[i], skills[j], drawn=True, env=env)
    loop_s = time.perf_counter() - began
    mu = np.array([s.mu for s in skills])
    sigma = np.array([s.sigma for s in skills])
    self_mb, _ = peak_rss_mb()
    busiest = np.bincount(np.r_[a, b], minlength=len(names)).max()
    return {
        "votes": len(a),
        "busiest_model_votes": int(busiest),
        "replay_s": replay_s,
        "replay_clipped": full.clipped,
        "loop_votes": k,
        "replay_prefix_s": replay_prefix_s,
        "loop_prefix_s": loop_s,
        "loop_extrapolated_s": loop_s * len(a) / k,
        "max_abs_diff_mu": float(np.abs(prefix.mu - mu).max()),
        "max_abs_diff_sigma": float(np.abs(prefix.sigma - sigma).max()),
        "peak_rss_mb": self_mb,
    }


def stage_arena_rank(args) -> dict:
    if not ARENA_RANK_PYTHON.exists():
        return {"skipped": "run bench/setup_arena_rank.sh first"}
    result = subprocess.run(
        [
            str(ARENA_RANK_PYTHON),
            str(HERE / "arena_rank_runner.py"),
            str(args.out / "counts_overall.npz"),
            str(args.reference_resamples),
            str(args.out / "arena_rank_overall.npz"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    report["total_extrapolated_s"] = (
        report["fit_and_sandwich_s"]
        + report["bootstrap_s"] * args.resamples / args.reference_resamples
    )
    return report


def run_stage(args, stage: str, *extra: str) -> dict:
    command = [sys.executable, __file__, "--db", str(args.db), "--stage", stage]
    command += ["--resamples", str(args.resamples), "--out", str(args.out)]
    command += ["--reference-resamples", str(args.reference_resamples)]
    command += ["--trueskill-loop-votes", str(args.trueskill_loop_votes), *extra]
    print(f"... {stage} {' '.join(extra)}", flush=True)
    # one BLAS thread per process for every method: on 2 shared cores, BLAS threads that spin
    # while waiting for a core cost far more than they give on 300x300 matrices
    env = os.environ | {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"stage {stage} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def max_diff(path: Path, exact: np.ndarray) -> float:
    ratings = np.load(path)["ratings"]
    both = np.isfinite(exact) & np.isfinite(ratings)
    centred = ratings[both] - ratings[both].mean() - (exact[both] - exact[both].mean())
    return float(np.abs(centred).max())


def report(args, results: dict) -> None:
    scan = results["scan"]["scan_s"]
    votes = results["scan"]["votes"]
    n_models = len(model_names(args.db)[0])
    n_cat = 1 + len(CATEGORY_COLUMNS)
    print(
        f"\n{votes:,} counted votes, {n_models} models, {args.resamples} resamples, "
        f"{n_cat} categories (overall + {', '.join(CATEGORY_COLUMNS)})"
    )
    print(
        f"reading + grouping (one SQL GROUP BY on integer columns, {results['scan']['grouped_rows']:,} rows): {scan:.1f} s"
    )
    exact = np.load(args.out / "ours_overall.npz")["ratings"]
    for key in [k for k in results if k.startswith("ours")]:
        r = results[key]
        overall = r["category_s"]["overall"]
        print(
            f"\nours, resample={r['resample']}, workers={r['workers']}: BT + {args.resamples} bootstrap + rank UB, every category "
            f"{r['compute_s']:.1f} s (overall alone {overall:.1f} s); sandwich, every category "
            f"{r['sandwich_all_categories_s']:.2f} s"
        )
        print("  per category: " + ", ".join(f"{n} {s:.1f} s" for n, s in r["category_s"].items()))
        print(
            f"  scan + compute = {r['scan_s'] + r['compute_s']:.1f} s = "
            f"{(r['scan_s'] + r['compute_s']) / scan:.2f}x the bare grouped scan; compute alone "
            f"{r['compute_s'] / scan:.2f}x"
        )
        print(
            f"  peak RSS {r['peak_rss_mb']:.0f} MB (largest worker {r['peak_rss_workers_mb']:.0f} MB); "
            f"exact Newton solution: max |score equation| {r['max_abs_score_votes']:.1e} votes"
        )
    ours1 = results.get("ours_multinomial_w1")
    if "fastchat" in results:
        f = results["fastchat"]
        diff = max_diff(args.out / "fastchat_overall.npz", exact)
        print(
            "\nFastChat's method (re-implemented; L-BFGS, multinomial bootstrap, 2 processes), overall only:"
        )
        print(
            f"  point fit {f['point_s']:.1f} s; bootstrap {f['bootstrap_measured_s']:.1f} s for "
            f"{f['resamples_measured']} resamples, EXTRAPOLATED linearly to {args.resamples}: "
            f"total {f['total_extrapolated_s']:.0f} s (raw-vote load {f['load_raw_votes_s']:.1f} s not included)"
        )
        print(
            f"  peak RSS {f['peak_rss_mb']:.0f} MB (largest worker {f['peak_rss_workers_mb']:.0f} MB); "
            f"max |rating - exact| {diff:.3f}"
        )
        if ours1:
            print(
                f"  ours (1 process) is {f['total_extrapolated_s'] / ours1['category_s']['overall']:.0f}x faster "
                f"on overall; doing all {n_cat} categories ours is {f['total_extrapolated_s'] / ours1['compute_s']:.1f}x "
                f"faster than FastChat's overall alone"
            )
    if "arena_rank" in results and "skipped" not in results["arena_rank"]:
        a = results["arena_rank"]
        diff = max_diff(args.out / "arena_rank_overall.npz", exact)
        print("\narena-rank 0.1.1 (own venv, jax, spawn pool of 2), overall only:")
        print(
            f"  fit + sandwich {a['fit_and_sandwich_s']:.1f} s; bootstrap {a['bootstrap_s']:.1f} s for "
            f"{a['resamples']} resamples, EXTRAPOLATED linearly to {args.resamples}: total "
            f"{a['total_extrapolated_s']:.0f} s"
        )
        print(
            f"  peak RSS {a['peak_rss_mb']:.0f} MB (largest worker {a['peak_rss_workers_mb']:.0f} MB); "
            f"max |rating - exact| {diff:.3f}"
        )
        if ours1:
            print(
                f"  ours (1 process) is {a['total_extrapolated_s'] / ours1['category_s']['overall']:.0f}x faster on overall"
            )
    if "trueskill" in results:
        t = results["trueskill"]
        print(
            f"\nTrueSkill replay of {t['votes']:,} votes: {t['replay_s']:.1f} s "
            f"({t['replay_clipped']} votes clipped; the busiest model is in "
            f"{t['busiest_model_votes']:,} votes)"
        )
        print(
            f"  trueskill.rate_1vs1 loop: {t['loop_prefix_s']:.1f} s for the first {t['loop_votes']:,} votes, "
            f"EXTRAPOLATED linearly: {t['loop_extrapolated_s']:.0f} s -> replay is "
            f"{t['loop_extrapolated_s'] / t['replay_s']:.0f}x faster "
            f"(same prefix: {t['loop_prefix_s'] / t['replay_prefix_s']:.0f}x)"
        )
        print(
            f"  max |difference| on that prefix: mu {t['max_abs_diff_mu']:.1e}, sigma {t['max_abs_diff_sigma']:.1e}"
        )


def main() -> None:
    args = parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.stage:
        stage, *options = args.stage.split(":")
        stages = {
            "scan": stage_scan,
            "ours": stage_ours,
            "fastchat": stage_fastchat,
            "trueskill": stage_trueskill,
            "arena_rank": stage_arena_rank,
        }
        print(json.dumps(stages[stage](args, *options)))
        return
    results = {"scan": run_stage(args, "scan")}
    for config in args.configs:
        resample, workers = config.split(":")
        results[f"ours_{resample}_w{workers}"] = run_stage(args, f"ours:{resample}:{workers}")
    for stage in ("fastchat", "arena_rank", "trueskill"):
        if stage not in args.skip:
            results[stage] = run_stage(args, stage)
    name = args.out / f"bench_{args.db.stem}.json"
    name.write_text(json.dumps(results, indent=2))
    report(args, results)
    print(f"\nraw figures: {name}")


if __name__ == "__main__":
    main()
