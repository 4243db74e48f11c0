"""The official Bradley–Terry leaderboard: ratings on the Chatbot Arena scale with 95% intervals,
rank (UB) and provisional flags, for all votes or for every category in one run.

rating = 400·θ/ln 10 + 1000, θ the maximum-likelihood log-odds strength; ties and both_bad are
half a win for each side; ratings average 1000 unless an anchor pins one model's rating.
"""

import contextlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ratings.bt_bootstrap import bootstrap_strengths, process_pool
from ratings.bt_newton import fit_strengths
from ratings.bt_reweighted import fit_reweighted
from ratings.bt_sandwich import Z_95, sandwich_covariance
from ratings.graph import comparison_components, has_finite_optimum
from ratings.matches import Matches
from ratings.pair_counts import PairCounts, cell_of_rows, count_pairs, restrict_to_active
from ratings.ranking import rank_lower_bound, rank_upper_bound

SCALE = 400.0 / math.log(10.0)  # rating points per unit of log-odds strength
BASE_RATING = 1000.0  # mean rating when no anchor is given
MIN_VOTES = 100  # fewer votes than this and a model's row is flagged provisional
REGULARIZED_L2 = 1.0  # ridge used only when no finite ML optimum exists (a N(0, 1) prior on θ)
CI_METHODS = ("bootstrap", "sandwich", "reweighted")
RESAMPLE_METHODS = ("multinomial", "bayesian", "voters")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BTRow:
    """One leaderboard line. rating, lower, upper in rating points; lower/upper bound a 95% CI."""

    model: str
    rating: float
    lower: float
    upper: float
    rank_ub: int
    votes: int
    provisional: bool
    rank_lb: int  # the worst place the intervals allow: ranks rank_ub … rank_lb


@dataclass(frozen=True, eq=False)
class BTLeaderboard:
    """A fitted leaderboard over the m models that have votes.

    rows: sorted by rating, best first. models: the m names, in the order of every array below.
    ratings, lower, upper: float [m] rating points; votes: int [m].
    bootstrap_ratings: float [resamples, m] rating points, or None for closed-form intervals.
    components: groups of model names linked by votes, largest first; ratings in different
    groups are not comparable. l2: 0.0 for exact maximum likelihood, else the ridge that kept
    ratings finite (see `warnings`). pairs: the vote counts the fit used, over `models`.
    """

    rows: tuple[BTRow, ...]
    models: tuple[str, ...]
    ratings: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    votes: np.ndarray
    bootstrap_ratings: np.ndarray | None
    components: tuple[tuple[str, ...], ...]
    l2: float
    ci: str
    n_votes: int
    pairs: PairCounts
    anchor: tuple[str, float] | None
    warnings: tuple[str, ...]

    def row(self, model: str) -> BTRow:
        """The row of one model (KeyError if it has no votes here)."""
        for row in self.rows:
            if row.model == model:
                return row
        raise KeyError(model)


def fit_bradley_terry(
    matches: Matches,
    *,
    anchor: tuple[str, float] | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
    ci: str = "bootstrap",
    resample: str = "multinomial",
    min_votes: int = MIN_VOTES,
    workers: int = 1,
    progress: Progress | None = None,
) -> BTLeaderboard:
    """Leaderboard of all votes in `matches`.

    anchor: (model, rating) pins that model's rating; otherwise ratings average 1000.
    ci: "bootstrap" (percentile intervals of `bootstrap` resamples, seeded by `seed`),
    "sandwich" (closed form, fast) or "reweighted" (LMArena's official method since July 2025:
    each vote weighted by 1 / max(votes of its pair, 50), and the sandwich interval of that
    weighted fit; the ratings change too, to those of a board where every pair met equally
    often; see ratings.bt_reweighted). resample: "multinomial" draws votes from the aggregated
    counts; "bayesian" weights every vote by an Exp(1) draw (Rubin's Bayesian bootstrap, about
    4x cheaper to draw); "voters" draws whole voters (needs matches.voter). workers > 1 runs
    the bootstrap in that many processes with identical results. progress(done, total) is
    called as resamples finish.
    """
    return fit_categories(
        matches,
        {"all": None},
        anchor=anchor,
        bootstrap=bootstrap,
        seed=seed,
        ci=ci,
        resample=resample,
        min_votes=min_votes,
        workers=workers,
        progress=progress,
    )["all"]


def fit_categories(
    matches: Matches,
    categories: Mapping[str, np.ndarray | None],
    *,
    anchor: tuple[str, float] | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
    ci: str = "bootstrap",
    resample: str = "multinomial",
    min_votes: int = MIN_VOTES,
    workers: int = 1,
    progress: Progress | None = None,
) -> dict[str, BTLeaderboard]:
    """One leaderboard per category; a category is a boolean mask [len(matches)] (None: all rows).

    Options as in fit_bradley_terry; every category uses the same seed, and progress counts
    resamples over all categories.
    """
    if ci not in CI_METHODS:
        raise ValueError(f"ci must be one of {CI_METHODS}, got {ci!r}")
    if resample not in RESAMPLE_METHODS:
        raise ValueError(f"resample must be one of {RESAMPLE_METHODS}, got {resample!r}")
    if ci == "bootstrap" and bootstrap < 1:
        raise ValueError("bootstrap intervals need at least one resample")
    if resample == "voters" and matches.voter is None:
        raise ValueError("resample='voters' needs matches with voter ids")
    if anchor is not None and anchor[0] not in matches.models:
        raise ValueError(f"anchor model {anchor[0]!r} is not among the models")
    boards = {}
    total = bootstrap * len(categories) if ci == "bootstrap" else 0
    parallel = workers > 1 and ci == "bootstrap"
    # one pool for every category: starting worker processes costs about a second each
    with process_pool(workers) if parallel else contextlib.nullcontext() as pool:
        for k, (name, mask) in enumerate(categories.items()):
            report = None
            if progress is not None and total:

                def report(done: int, _: int, before: int = k * bootstrap) -> None:
                    progress(before + done, total)

            options = (anchor, bootstrap, seed, ci, resample, min_votes, workers, pool)
            boards[name] = _fit_one(matches, mask, *options, report)
    return boards


def _fit_one(
    matches, mask, anchor, bootstrap, seed, ci, resample, min_votes, workers, pool, report
):
    all_pairs = count_pairs(matches, mask)
    pairs, active = restrict_to_active(all_pairs)
    models = tuple(matches.models[i] for i in active)
    m = len(models)
    warnings: list[str] = []
    if m == 0:
        return _empty_board(ci, anchor)
    finite = has_finite_optimum(pairs.first, pairs.second, pairs.scores, pairs.totals, m)
    l2 = 0.0 if finite else REGULARIZED_L2
    components = tuple(
        tuple(models[i] for i in group)
        for group in comparison_components(pairs.first, pairs.second, m)
    )
    if len(components) > 1:
        warnings.append(
            f"votes split the models into {len(components)} unconnected groups; "
            "ratings are only comparable within a group"
        )
    if not finite:
        warnings.append(
            "no finite maximum-likelihood ratings (a model never lost or never won against some "
            f"group); ratings use an L2 penalty of {REGULARIZED_L2} on log-odds strengths"
        )
    weights = None
    if ci == "reweighted":
        theta, weights = fit_reweighted(pairs, l2)
    else:
        theta = fit_strengths(pairs.first, pairs.second, pairs.scores, pairs.totals, m, l2)
    pin = None if anchor is None or anchor[0] not in models else models.index(anchor[0])
    if anchor is not None and pin is None:
        warnings.append(f"anchor model {anchor[0]!r} has no votes here; ratings average 1000")

    def to_rating(strengths: np.ndarray) -> np.ndarray:
        if pin is None:
            return SCALE * strengths + BASE_RATING
        return SCALE * (strengths - strengths[..., [pin]]) + anchor[1]

    ratings = to_rating(theta)
    samples = None
    if ci == "bootstrap":
        voters = None
        if resample == "voters":
            rows = slice(None) if mask is None else np.asarray(mask, dtype=bool)
            voters = (
                cell_of_rows(matches, all_pairs, mask),
                matches.count[rows].astype(np.float64),
                matches.voter[rows],
            )
        strengths = bootstrap_strengths(
            pairs, theta, l2, bootstrap, seed, report, voters, workers, resample, pool
        )
        if l2 == 0.0:
            strengths -= strengths.mean(axis=1, keepdims=True)
        samples = to_rating(strengths)
        lower, upper = np.quantile(samples, [0.025, 0.975], axis=0)
    else:
        cov = sandwich_covariance(pairs, theta, l2, weights)
        var = np.diag(cov).copy()
        if pin is not None:
            var = var + cov[pin, pin] - 2.0 * cov[:, pin]
        half = Z_95 * SCALE * np.sqrt(np.maximum(var, 0.0))
        lower, upper = ratings - half, ratings + half
    votes = np.rint(pairs.votes_per_model()).astype(np.int64)
    ranks = rank_upper_bound(lower, upper)
    worst = rank_lower_bound(lower, upper)
    order = sorted(range(m), key=lambda i: (-ratings[i], models[i]))
    rows = tuple(
        BTRow(
            models[i],
            float(ratings[i]),
            float(lower[i]),
            float(upper[i]),
            int(ranks[i]),
            int(votes[i]),
            bool(votes[i] < min_votes),
            int(worst[i]),
        )
        for i in order
    )
    return BTLeaderboard(
        rows=rows,
        models=models,
        ratings=ratings,
        lower=lower,
        upper=upper,
        votes=votes,
        bootstrap_ratings=samples,
        components=components,
        l2=l2,
        ci=ci,
        n_votes=int(pairs.totals.sum()),
        pairs=pairs,
        anchor=anchor,
        warnings=tuple(warnings),
    )


def _empty_board(ci: str, anchor) -> BTLeaderboard:
    nothing = np.zeros(0)
    return BTLeaderboard(
        rows=(),
        models=(),
        ratings=nothing,
        lower=nothing,
        upper=nothing,
        votes=np.zeros(0, dtype=np.int64),
        bootstrap_ratings=None,
        components=(),
        l2=0.0,
        ci=ci,
        n_votes=0,
        pairs=PairCounts(0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros((0, 3))),
        anchor=anchor,
        warnings=("no votes",),
    )
