"""Manipulation audit: votes needed to swap adjacent models (refits vs the one-step estimate), how
far the top of the board moves when 0.1% of votes are removed, and what the audit costs."""

import time

import numpy as np
import pytest

from arena.integrity.audit import (
    fit_ratings,
    flip_costs,
    kendall_distance,
    stability,
    to_pair_table,
)
from arena.integrity.votes import VoteRecord, win_probability
from ratings.bradley_terry import fit_bradley_terry
from ratings.matches import matches_from_records


def simulated_votes(true: dict[str, float], n: int, seed: int = 0) -> list[VoteRecord]:
    rng = np.random.default_rng(seed)
    models = list(true)
    votes = []
    for k in range(n):
        a, b = rng.choice(len(models), 2, replace=False)
        ma, mb = models[a], models[b]
        if rng.random() < 0.1:
            verdict = "tie"
        else:
            verdict = (
                "a_better" if rng.random() < win_probability(true[ma], true[mb]) else "b_better"
            )
        votes.append(VoteRecord(f"v{k % 500}", ma, mb, verdict, float(k)))
    return votes


def expected_votes(true: dict[str, float], per_pair: int) -> list[VoteRecord]:
    """Every pair meets per_pair times and wins exactly its expected share (rounded): no noise."""
    votes = []
    models = list(true)
    for i, a in enumerate(models):
        for b in models[i + 1 :]:
            wins = round(per_pair * win_probability(true[a], true[b]))
            votes += [VoteRecord("v", a, b, "a_better", 0.0)] * wins
            votes += [VoteRecord("v", a, b, "b_better", 0.0)] * (per_pair - wins)
    return votes


TRUE = dict(zip([f"m{i}" for i in range(10)],
                [1200, 1195, 1150, 1100, 1098, 1050, 1000, 950, 900, 880], strict=True))  # fmt: skip


@pytest.fixture(scope="module")
def votes():
    return simulated_votes(TRUE, 20_000)


@pytest.fixture(scope="module")
def table(votes):
    return to_pair_table(votes)


def test_the_pair_table_keeps_every_vote_with_its_orientation():
    votes = [
        VoteRecord("v", "b", "a", "a_better", 0.0),  # b beat a
        VoteRecord("v", "a", "b", "a_better", 1.0),  # a beat b
        VoteRecord("v", "a", "b", "b_better", 2.0),  # b beat a
        VoteRecord("v", "a", "b", "both_bad", 3.0),
    ]
    table = to_pair_table(votes)
    assert table.models == ("a", "b")
    assert (table.first_wins[0], table.second_wins[0], table.draws[0]) == (1.0, 2.0, 1.0)
    assert table.n_votes == 4


def test_ratings_match_the_ratings_package_leaderboard(votes, table):
    board = fit_bradley_terry(matches_from_records(votes), ci="sandwich")
    ours = dict(zip(table.models, fit_ratings(table), strict=True))
    for row in board.rows:
        assert ours[row.model] - ours["m0"] == pytest.approx(
            row.rating - board.row("m0").rating, abs=1e-6
        )


def test_each_flip_cost_is_the_smallest_number_of_votes_that_swaps_the_pair(votes, table):
    costs = flip_costs(table)
    assert len(costs) == len(TRUE) - 1
    for cost in costs[:3]:
        for k, flipped in ((cost.votes_to_flip, True), (cost.votes_to_flip - 1, False)):
            extra = [VoteRecord("x", cost.lower, cost.upper, "a_better", 0.0)] * k
            fitted = dict(zip(table.models, fit_ratings(to_pair_table(votes + extra)), strict=True))
            assert (fitted[cost.lower] >= fitted[cost.upper]) == flipped


def test_flip_costs_stay_the_smallest_when_the_board_needs_a_ridge():
    # "top" never lost: no finite maximum, so the board is ridge-penalised until "b" beats it
    # once; "b" and "c" never met, so their first flip vote opens a new cell.
    true = {"top": 1300.0, "b": 1100.0, "c": 1090.0, "d": 1000.0, "e": 950.0}
    votes = [
        v
        for v in simulated_votes(true, 600, seed=4)
        if "top" not in (v.model_a, v.model_b) and {v.model_a, v.model_b} != {"b", "c"}
    ]
    for other, wins in (("b", 6), ("c", 4), ("d", 9)):
        votes += [VoteRecord("v", "top", other, "a_better", 0.0)] * wins
    table = to_pair_table(votes)
    for cost in flip_costs(table):
        for k, flipped in ((cost.votes_to_flip, True), (cost.votes_to_flip - 1, False)):
            extra = [VoteRecord("x", cost.lower, cost.upper, "a_better", 0.0)] * k
            fitted = dict(zip(table.models, fit_ratings(to_pair_table(votes + extra)), strict=True))
            assert (fitted[cost.lower] >= fitted[cost.upper]) == flipped, cost


def test_the_one_step_estimate_is_within_five_percent_of_the_refits(table):
    for cost in flip_costs(table):
        assert cost.approx_votes == pytest.approx(cost.votes_to_flip, rel=0.05, abs=2), cost


def test_the_board_order_and_gaps_are_reported_best_first(table):
    costs = flip_costs(table)
    assert costs[0].upper == "m0"
    assert all(c.gap >= 0 for c in costs)
    assert [c.lower for c in costs[:-1]] == [c.upper for c in costs[1:]]


def test_removing_the_votes_that_help_the_leader_cuts_its_lead_far_more_than_random_removal(table):
    adversarial = stability(table, mode="adversarial")
    random = stability(table, mode="random", trials=10, seed=1)
    assert adversarial.removed == random.removed == 20  # 0.1% of 20,000
    assert adversarial.lead_before - adversarial.lead_after > 2.0
    assert abs(random.lead_before - random.lead_after) < 1.0
    assert random.top_k_overlap == 1.0


def test_a_near_tie_at_the_top_flips_under_adversarial_removal_but_not_at_random():
    table = to_pair_table(expected_votes({**TRUE, "m1": 1198.0}, per_pair=450))
    assert table.n_votes == 20_250
    adversarial = stability(table, mode="adversarial")
    random = stability(table, mode="random", trials=10, seed=2)
    assert adversarial.leader_changed == 1.0
    assert adversarial.kendall_distance > 0.0
    assert random.leader_changed <= 0.2


def test_kendall_distance_counts_discordant_pairs():
    assert kendall_distance(np.array([3.0, 2.0, 1.0]), np.array([3.0, 2.0, 1.0])) == 0.0
    assert kendall_distance(np.array([3.0, 2.0, 1.0]), np.array([1.0, 2.0, 3.0])) == 1.0
    assert kendall_distance(np.array([3.0, 2.0, 1.0]), np.array([2.0, 3.0, 1.0])) == pytest.approx(
        1 / 3
    )


def test_an_unknown_mode_is_rejected(table):
    with pytest.raises(ValueError):
        stability(table, mode="worst")


def fastest(run, repeats: int) -> float:
    """Best wall time of `repeats` runs, in seconds (the machine is shared: the best is the least
    disturbed)."""
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times)


def test_the_whole_audit_costs_a_few_dozen_plain_fits_of_the_same_votes():
    # One warm-started fit per adjacent pair, on pair counts. Refitting every bisection step from
    # scratch through fit_bradley_terry took 340-1,450 plain fits here (100 models, 50k votes);
    # the audit now takes 8-55 (the spread is the shared machine).
    true = {f"m{i:03d}": 1000.0 + 4.0 * i for i in range(100)}
    votes = simulated_votes(true, 50_000, seed=3)
    matches = matches_from_records(votes)
    table = to_pair_table(votes)
    plain = fastest(lambda: fit_bradley_terry(matches, ci="sandwich"), repeats=5)

    def audit():
        flip_costs(table)
        stability(table, mode="adversarial")
        stability(table, mode="random")

    assert fastest(audit, repeats=2) < 150 * plain
