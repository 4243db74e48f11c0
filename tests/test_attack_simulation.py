"""The attack simulation (bench/attack_simulation.py) end to end on a small population: honest and
attacking voters through the real service, gates, detection and snapshots."""

import pytest

from bench.attack_report import render_report, target_checks
from bench.attack_simulation import (
    BUDGETS,
    Attack,
    Base,
    Outcome,
    Population,
    SimConfig,
    build_base,
    grid,
    run_scenario,
)
from bench.attack_voters import STRATEGIES, attacker_verdict, make_world

# 10 models 30 points apart (the target is in a fifth of the battles), 250 honest voters × 20.
CONFIG = SimConfig(
    seed=3, n_models=10, gap=30.0, target_rank=6, resamples=20,
    population=Population(voters=250, prefixes=120),
)  # fmt: skip


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    return build_base(CONFIG, tmp_path_factory.mktemp("attack"), log=lambda _: None)


@pytest.fixture(scope="module")
def single_account(base: Base, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    attack = Attack("target_only", budget=2_500, accuracy=0.95)
    return run_scenario(CONFIG, base, attack, tmp_path_factory.mktemp("scenario"))


def test_the_honest_phase_goes_through_the_service_and_publishes_s0(base: Base):
    assert base.votes > 4_000
    assert len(base.s0) == CONFIG.n_models
    assert abs(base.s0_target.rank - CONFIG.target_rank) <= 1  # honest votes place the target


def test_one_account_rigging_for_the_target_would_move_it_without_defences(single_account):
    assert single_account.votes_cast >= 400
    assert single_account.open.rank < single_account.s0.rank
    assert single_account.open.rating - single_account.s0.rating > 30


def test_one_account_rigging_for_the_target_is_quarantined_and_moves_it_nowhere(single_account):
    o = single_account
    assert o.accounts == 1 and o.accounts_quarantined == 1
    assert o.votes_quarantined == o.votes_counted  # everything that passed the gates
    assert o.neutralised >= 0.95 * o.votes_cast
    assert o.not_counted.get("votes_per_day_voter", 0) > 0  # the daily cap stored the rest
    assert o.defended.rank >= o.s0.rank  # no place gained (honest traffic may cost it one)
    assert abs(o.defended.rating - o.s0.rating) < 10


def test_honest_voters_are_not_flagged(single_account):
    assert single_account.honest_flagged <= 0.001 * single_account.honest_voters


def test_the_report_states_each_target_with_its_numbers(base: Base, single_account):
    checks = "\n".join(target_checks([single_account], base))
    assert "One account, up to" in checks and "**met**" in checks
    report = render_report(CONFIG, base, [single_account], pow_seconds=0.1, wall_seconds=60,
                           jobs=1)  # fmt: skip
    assert "| target_only B=2,500 acc=95% | 1 account (1) |" in report


def test_the_grid_covers_every_strategy_budget_accuracy_and_identity():
    cells = grid()
    assert {a.strategy for a in cells} == set(STRATEGIES)
    assert {a.budget for a in cells} == {0, *BUDGETS}
    assert {a.accuracy for a in cells} == {0.80, 0.95, 1.00}
    assert {(a.votes_per_account, a.one_ip) for a in cells} == {
        (None, False), (100, False), (20, False), (20, True)
    }  # fmt: skip
    assert len(cells) < 48  # far from the 144-cell cross product


def test_attackers_act_on_what_they_believe_they_see():
    world = make_world(n_models=6, target_rank=4)
    public = dict(world.true_ratings)
    target, rival, best = world.target, world.rival, world.models[0]
    vote = lambda strategy, a, b: attacker_verdict(  # noqa: E731
        strategy, a, b, world=world, public=public, rng=__import__("random").Random(0)
    )
    assert vote("target_only", best, target) == "b_better"
    assert vote("target_only", best, rival) is None  # no target: abandon the battle
    assert vote("demote_rival", rival, best) == "b_better"
    assert vote("omnipresent", best, world.models[-1]) == "b_better"  # against the one above
    assert vote("mimic", target, best) == "a_better"
