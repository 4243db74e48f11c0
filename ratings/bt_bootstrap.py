"""Bootstrap resamples of Bradley–Terry strengths, solved in vectorised batches.

Each batch of resampled pair counts is solved together, warm-started at the full-data estimate:
fixed-Hessian Newton steps (the full-data Hessian is factored once) sped up by Anderson mixing,
with an exact per-resample Newton fit for any resample that does not settle.
"""

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor

import numpy as np
from scipy.linalg import cho_solve
from scipy.sparse import csr_matrix

from ratings.bt_newton import fit_strengths, gauged_factor, hessian
from ratings.graph import has_finite_optimum
from ratings.pair_counts import DRAWN, FIRST_WON, PairCounts

BATCH = 16  # resamples solved together; keeps the [pairs, batch] work arrays cache-sized
TOLERANCE = 1e-5  # largest remaining Newton step accepted, in log-odds (≈ 0.002 rating points)
MAX_STEPS = 40  # accelerated fixed-Hessian steps before a resample falls back to exact Newton
ANDERSON_DEPTH = 5  # past steps mixed into each new one
DRIFT_CHECK = 3.0  # log-odds a resample may move before its optimum is checked to be finite
DEGENERATE_L2 = 1.0  # ridge for a resample with no finite optimum (e.g. one model never lost)
# (the same value as bradley_terry.REGULARIZED_L2, which imports this module)

Progress = Callable[[int, int], None]


def bootstrap_strengths(
    pairs: PairCounts,
    theta: np.ndarray,
    l2: float,
    resamples: int,
    seed: int,
    progress: Progress | None = None,
    voters: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    workers: int = 1,
    scheme: str = "multinomial",
    pool: Executor | None = None,
) -> np.ndarray:
    """Strengths θ [resamples, n] refitted on resampled data.

    pairs: counts over n models, all with votes; theta [n]: full-data estimate; l2: its ridge.
    scheme "multinomial": each resample draws N votes from the [P, 3] count cells.
    "bayesian": Rubin's Bayesian bootstrap, every vote weighted by an Exp(1) draw; a cell's
    weight is then Gamma(count) (cheaper to draw than a multinomial, and never degenerate).
    "voters": whole voters drawn with replacement carry all their votes; needs
    voters = (cell [rows], count [rows], voter [rows]), cell indexing pairs.cells raveled.
    Batch k always uses the k-th child of SeedSequence(seed), so results do not depend on
    `workers` (processes). With workers > 1 the batches run in `pool` (see process_pool), or
    in a pool made for this call.
    """
    if (scheme == "voters") != (voters is not None):
        raise ValueError("voter data goes with scheme 'voters' and only with it")
    seeds = np.random.SeedSequence(seed).spawn((resamples + BATCH - 1) // BATCH)
    sizes = [min(BATCH, resamples - k * BATCH) for k in range(len(seeds))]
    jobs = list(zip(seeds, sizes, strict=True))
    if workers <= 1:
        solver = _BatchSolver(pairs, theta, l2)
        parts = (_solve_jobs(solver, pairs, [job], voters, scheme) for job in jobs)
    else:
        # a few tasks per process: data is pickled once per task, progress still moves
        bounds = np.linspace(0, len(jobs), min(len(jobs), 4 * workers) + 1).astype(int)
        tasks = [jobs[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
        own_pool = pool is None
        pool = process_pool(workers) if own_pool else pool
        parts = (
            pool.submit(_solve_batches, pairs, theta, l2, task, voters, scheme) for task in tasks
        )
        parts = (future.result() for future in list(parts))
    out = np.empty((resamples, pairs.n_models))
    done = 0
    try:
        for part in parts:
            out[done : done + len(part)] = part
            done += len(part)
            if progress is not None:
                progress(done, resamples)
    finally:
        if workers > 1 and own_pool:
            pool.shutdown(cancel_futures=True)
    return out


def process_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes for bootstrap batches; spawned, so safe beside threads (e.g. a server)."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))


def _solve_batches(pairs, theta, l2, jobs, voters, scheme) -> np.ndarray:
    """θ [sum of sizes, n] for batches given as (SeedSequence, size) jobs."""
    return _solve_jobs(_BatchSolver(pairs, theta, l2), pairs, jobs, voters, scheme)


def _solve_jobs(solver, pairs, jobs, voters, scheme) -> np.ndarray:
    cells = pairs.cells.ravel()
    # multinomial draws cover only non-empty cells (an empty cell costs a draw, stays empty)
    drawn_cells = np.flatnonzero(cells) if voters is None else np.arange(len(cells))
    to_scores, to_totals = _cell_sums(drawn_cells, len(pairs.first))
    total = int(cells.sum())
    results = []
    for child, size in jobs:
        rng = np.random.default_rng(child)
        if scheme == "multinomial":
            drawn = rng.multinomial(total, cells[drawn_cells] / total, size=size)
        elif scheme == "bayesian":
            drawn = rng.standard_gamma(cells[drawn_cells], size=(size, len(drawn_cells)))
        else:
            drawn = _draw_voters(rng, size, len(cells), *voters)
        by_cell = np.ascontiguousarray(drawn.T, dtype=np.float64)  # [cells, size]
        results.append(solver.solve(to_scores @ by_cell, to_totals @ by_cell).T)
    return np.concatenate(results)


def _cell_sums(cells: np.ndarray, n_pairs: int) -> tuple[csr_matrix, csr_matrix]:
    """Sparse [P, len(cells)] maps from drawn cell counts to pair scores and pair totals."""
    pair, kind = cells // 3, cells % 3
    points = np.where(kind == FIRST_WON, 1.0, np.where(kind == DRAWN, 0.5, 0.0))
    columns = np.arange(len(cells))
    shape = (n_pairs, len(cells))
    return (
        csr_matrix((points, (pair, columns)), shape=shape),
        csr_matrix((np.ones(len(cells)), (pair, columns)), shape=shape),
    )


def _draw_voters(rng, size, n_cells, cell, count, voter) -> np.ndarray:
    """[size, n_cells] vote counts after drawing as many voters as there are, with replacement."""
    voter_ids, dense_voter = np.unique(voter, return_inverse=True)
    n_voters = len(voter_ids)
    drawn = np.empty((size, n_cells))
    for b in range(size):
        times = np.bincount(rng.integers(0, n_voters, n_voters), minlength=n_voters)
        drawn[b] = np.bincount(cell, count * times[dense_voter], n_cells)
    return drawn


class _BatchSolver:
    """Solves the likelihood equations for many resampled score/total columns at once."""

    def __init__(self, pairs: PairCounts, theta: np.ndarray, l2: float):
        self.pairs, self.first, self.second = pairs, pairs.first, pairs.second
        self._ridge: _BatchSolver | None = None  # built on first need, for degenerate resamples
        self.theta, self.l2, self.n = theta, l2, pairs.n_models
        factor = gauged_factor(hessian(theta, pairs.first, pairs.second, pairs.totals, l2), l2)
        # an explicit inverse turns each step's solve into one matrix product
        self.inverse = cho_solve(factor, np.eye(self.n), check_finite=False)
        p = len(pairs.first)
        # incidence [n, P]: +1 at first, −1 at second, so incidence @ r scatters pair residuals
        self.incidence = csr_matrix(
            (
                np.r_[np.ones(p), -np.ones(p)],
                (np.r_[pairs.first, pairs.second], np.r_[np.arange(p), np.arange(p)]),
            ),
            shape=(self.n, p),
        )

    def solve(self, scores: np.ndarray, totals: np.ndarray) -> np.ndarray:
        """θ [n, B] for scores and totals [P, B]."""
        x = np.repeat(self.theta[:, None], scores.shape[1], axis=1)
        past_x: list[np.ndarray] = []
        past_f: list[np.ndarray] = []
        for _ in range(MAX_STEPS):
            f = self._step(x, scores, totals)
            moving = np.abs(f).max(axis=0) >= TOLERANCE
            if not moving.any():
                return self._repair(x + f, scores, totals, moving)
            past_x = [*past_x[-ANDERSON_DEPTH:], x]
            past_f = [*past_f[-ANDERSON_DEPTH:], f]
            x = x + f
            if len(past_f) > 1:
                x[:, moving] = _anderson(past_x, past_f, moving)
        return self._repair(x, scores, totals, moving)

    def _repair(self, x, scores, totals, unsettled) -> np.ndarray:
        """Fix the resamples that did not settle, or that have no finite optimum.

        Where a resample has no finite optimum (say a model that never lost), fixed-Hessian steps
        shrink as strengths run off towards infinity and can look settled; only resamples that
        drifted far are checked, since checking is a graph search. Those are re-solved, as a
        batch, with the DEGENERATE_L2 ridge; anything still unsettled gets an exact Newton fit.
        """
        suspects = np.abs(x - self.theta[:, None]).max(axis=0) > DRIFT_CHECK
        degenerate = np.zeros(x.shape[1], dtype=bool)
        if self.l2 < DEGENERATE_L2:
            for b in np.flatnonzero(suspects):
                degenerate[b] = not self._finite(scores[:, b], totals[:, b])
        if degenerate.any():
            if self._ridge is None:
                self._ridge = _BatchSolver(self.pairs, self.theta, DEGENERATE_L2)
            x[:, degenerate] = self._ridge.solve(scores[:, degenerate], totals[:, degenerate])
        for b in np.flatnonzero(unsettled & ~degenerate):
            l2 = self.l2 if self._finite(scores[:, b], totals[:, b]) else DEGENERATE_L2
            x[:, b] = fit_strengths(
                self.first, self.second, scores[:, b], totals[:, b], self.n, l2, self.theta
            )
        return x

    def _finite(self, scores: np.ndarray, totals: np.ndarray) -> bool:
        if self.l2 > 0:
            return True
        present = totals > 0
        return has_finite_optimum(
            self.first[present], self.second[present], scores[present], totals[present], self.n
        )

    def _step(self, x, scores, totals) -> np.ndarray:
        """Fixed-Hessian Newton step [n, B] from x [n, B]."""
        d = np.take(x, self.first, axis=0)
        d -= np.take(x, self.second, axis=0)
        d *= 0.5
        np.tanh(d, out=d)  # σ(z) = (1 + tanh(z/2)) / 2, and tanh is vectorised where exp is not
        d += 1.0
        d *= -0.5
        d *= totals
        d += scores  # residual S − N·σ(θ_first − θ_second)
        g = self.incidence @ d
        if self.l2:
            g -= self.l2 * x
        return self.inverse @ g


def _anderson(past_x: list, past_f: list, columns: np.ndarray) -> np.ndarray:
    """Anderson-mixed next iterate [n, c] for the selected columns.

    Picks γ minimising |f_k − ΔF·γ| and returns x_k + f_k − (ΔX + ΔF)·γ, where ΔX, ΔF hold the
    differences of successive iterates and steps; this is GMRES on the linearised equations.
    """
    xs = np.stack([x[:, columns] for x in past_x], axis=2)  # [n, c, k + 1]
    fs = np.stack([f[:, columns] for f in past_f], axis=2)
    dx, df = np.diff(xs, axis=2), np.diff(fs, axis=2)  # [n, c, k]
    gram = np.einsum("nck,ncl->ckl", df, df)
    ridge = 1e-10 * np.trace(gram, axis1=1, axis2=2) + 1e-300
    gram += ridge[:, None, None] * np.eye(df.shape[2])
    gamma = np.linalg.solve(gram, np.einsum("nck,nc->ck", df, fs[:, :, -1])[:, :, None])[:, :, 0]
    return xs[:, :, -1] + fs[:, :, -1] - np.einsum("nck,ck->nc", dx + df, gamma)
