"""Runs PyPI's arena-rank inside bench/.venv-arena-rank (see setup_arena_rank.sh) on aggregated
counts and prints a JSON line of timings; called by bench_ratings.py as a subprocess.

Usage: .venv-arena-rank/bin/python arena_rank_runner.py COUNTS.npz RESAMPLES OUT.npz
COUNTS.npz holds model_a, model_b [U] int, outcome [U] (1, 0.5, 0 for side A) and count [U].
"""

import json
import multiprocessing
import resource
import sys
import time


def main() -> None:
    # jax is not fork-safe: arena-rank's bootstrap pool must spawn its workers
    multiprocessing.set_start_method("spawn", force=True)
    import jax.numpy as jnp
    import numpy as np
    from arena_rank.models.bradley_terry import BradleyTerry
    from arena_rank.utils.data_utils import PairDataset

    counts_path, resamples, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    data = np.load(counts_path)
    n_models = int(data["n_models"])
    counts = jnp.array(data["count"], dtype=jnp.float64)

    def dataset():
        return PairDataset(
            competitors=[str(i) for i in range(n_models)],
            pairs=jnp.array(np.column_stack([data["model_a"], data["model_b"]]), dtype=jnp.int32),
            outcomes=jnp.array(data["outcome"], dtype=jnp.float64),
            counts=counts,
            weights=jnp.ones_like(counts),
            opt_weights=counts,
        )

    began = time.perf_counter()
    point = BradleyTerry(n_competitors=n_models)
    sandwich = point.compute_ratings_and_cis(dataset(), ci_method="sandwich")
    sandwich_s = time.perf_counter() - began

    began = time.perf_counter()
    boot_model = BradleyTerry(n_competitors=n_models)
    boot = boot_model.compute_ratings_and_cis(
        dataset(), ci_method="bootstrap", num_bootstrap=resamples, n_jobs=2
    )
    bootstrap_s = time.perf_counter() - began
    np.savez(
        out_path,
        ratings=np.asarray(sandwich["ratings"]),
        lower=np.asarray(boot["rating_lower"]),
        upper=np.asarray(boot["rating_upper"]),
    )
    print(
        json.dumps(
            {
                "fit_and_sandwich_s": sandwich_s,
                "bootstrap_s": bootstrap_s,
                "resamples": resamples,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "peak_rss_workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
