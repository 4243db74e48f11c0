"""Attack simulation: honest voters and vote-rigging attackers driven through the real ingestion
path (Arena.start_battle → ask → vote: pairing, streaming, gates, store), then detection and
snapshots; prints a Markdown table of how far each attack moved its target with and without the
defences.

    .venv/bin/python bench/attack_simulation.py --quick     # small grid, about 1.5 minutes
    .venv/bin/python bench/attack_simulation.py --jobs 2    # full grid, about 19 minutes

Protocol per scenario: the honest phase (shared, run once and copied) ends with snapshot S0; in
the attack window honest traffic goes on while the attacker plays its budget; then detection runs
(voter tests against S0, cohort monitors, quarantine) and snapshot S1 is published. "Open" ranks
every stored vote with the gates' decisions and quarantine ignored. docs/attack_simulation.md
explains the method and the grid.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from arena.config import apply_offline_defaults  # noqa: E402

apply_offline_defaults()  # before litellm is imported (through arena.bootstrap)

from arena.bootstrap import create_arena  # noqa: E402
from arena.config import Settings  # noqa: E402
from arena.domain.roster import ModelConfig, Roster  # noqa: E402
from arena.integrity import solve  # noqa: E402
from arena.integrity.cohorts import PREFIX_BURST  # noqa: E402
from arena.rankings import Rankings, VoteColumns, rank_votes  # noqa: E402
from arena.service import Arena  # noqa: E402
from arena.usecases.detection import DetectionReport  # noqa: E402
from bench.attack_actors import (  # noqa: E402
    EPOCH,
    HOUR,
    Attack,
    Attacker,
    Population,
    SimClock,
    Tally,
    honest_sessions,
    play,
    session_actors,
)
from bench.attack_provider import SimulatedProvider  # noqa: E402
from bench.attack_report import POW_BITS, render_report  # noqa: E402
from bench.attack_voters import STRATEGIES, Prompts, World, make_world, public_rival, rank_of  # noqa: E402


@dataclass(frozen=True)
class SimConfig:
    seed: int = 1
    n_models: int = 20
    gap: float = 20.0  # true rating points between neighbours
    target_rank: int = 11
    resamples: int = 50  # bootstrap resamples for snapshots and the comparison boards
    population: Population = field(default_factory=Population)


@dataclass(frozen=True)
class Standing:
    """The target on one board: rank by rating (1 = best), rank (UB), rating."""

    rank: int
    rank_ub: int
    rating: float


@dataclass(frozen=True)
class Base:
    """The shared honest phase: its database file, S0 and what the scenarios need to go on."""

    db_path: Path
    target: str
    s0: dict[str, float]  # S0 overall ratings
    s0_target: Standing
    resume_at: float  # simulated time when the honest phase ended
    honest_voters: int
    careless: frozenset[str]
    votes: int
    seconds: float


@dataclass(frozen=True)
class Outcome:
    attack: Attack
    accounts: int
    battles: int
    refused_starts: int
    votes_cast: int
    votes_counted: int
    votes_quarantined: int  # counted attacker votes detection left out (voter or cohort)
    votes_held: int  # of those, held by a cohort quarantine (the voter not quarantined)
    accounts_quarantined: int
    watched_cast: int  # attacker votes in battles of the attacked model (target; rival too)
    watched_in_s1: int  # of those, counting in S1
    not_counted: dict[str, int]  # gate reason -> attacker votes stored but not counted
    honest_voters: int
    honest_flagged: int
    careless_flagged: int
    alerts_final: tuple[str, ...]  # kinds raised by the detection run at the end
    target_alert_hours: dict[str, int]  # kind -> hourly detection runs naming the attacked model
    cohort_quarantines: int  # made by the hourly runs and the last one, all pending
    honest_held: int  # counted votes of honest voters (not quarantined) held by them
    honest_counted: int  # counted votes of honest voters in the window
    s0: Standing
    open: Standing  # every stored vote, no gates, no quarantine
    gated: Standing  # counted votes (gates on), no quarantine
    defended: Standing  # S1: gates and quarantine
    seconds: float

    @property
    def neutralised(self) -> int:
        """Attacker votes that do not reach S1: stored but not counted, or quarantined."""
        return self.votes_cast - self.votes_counted + self.votes_quarantined


# -- wiring ----------------------------------------------------------------------------------------
def roster_for(world: World) -> Roster:
    return Roster(
        models=tuple(
            ModelConfig(name=m, litellm_params={"model": "openai/sim"}, organisation=f"Lab {i % 7}")
            for i, m in enumerate(world.models)
        )
    )


def defended_settings(config: SimConfig, db_path: Path) -> Settings:
    """The arena's defaults (rate limits, daily caps, minimum time to vote, duplicate prompts,
    uncertainty pairing) except proof of work (off: its cost is reported apart) and a small
    bootstrap."""
    return Settings(
        db_path=db_path, local_models=False, seed=config.seed, ui_update_s=0.0, pow_bits=0,
        snapshot_resamples=config.resamples,
        # every simulated voter, attacker or not, would click "I agree" once: it measures nothing
        terms_required=False, snapshot_every_votes=0, snapshot_every_hours=0,
    )  # fmt: skip


def copy_database(source: Path, target: Path) -> None:
    """The honest phase's database, and its secrets file: without it the copy got new secrets,
    so every IP hash of the attack window differed from the honest phase's."""
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")
    secrets = source.with_name(f"{source.stem}.secrets.json")
    shutil.copy(secrets, target.with_name(f"{target.stem}.secrets.json"))


def standing(ratings: dict[str, float], rank_ub: dict[str, int], model: str) -> Standing:
    return Standing(rank_of(model, ratings), rank_ub[model], ratings[model])


def snapshot_standing(snapshot, model: str) -> tuple[Standing, dict[str, float]]:
    rows = snapshot.boards["overall"].rows
    ratings = {r.model: r.rating for r in rows}
    return standing(ratings, {r.model: r.rank_ub for r in rows}, model), ratings


def bt_standing(rankings: Rankings, model: str) -> Standing:
    board = rankings.bt["overall"]
    ratings = {r.model: r.rating for r in board.rows}
    return standing(ratings, {r.model: r.rank_ub for r in board.rows}, model)


def all_stored_votes(arena: Arena) -> VoteColumns:
    """Every stored anonymous vote, counted or not and quarantined or not: the board an arena
    without gates and without detection would have published."""
    return VoteColumns.from_rows(
        (r["model_a"], r["model_b"], r["verdict"], r["voter_id"], r["language"], False, False,
         False)
        for r in arena.export_votes()
        if r["verdict"] is not None and r["anonymous"] and r["mode"] == "anonymous"
    )  # fmt: skip


# -- the two phases ----------------------------------------------------------------------------
def build_base(config: SimConfig, workdir: Path, log: Callable[[str], None] = print) -> Base:
    """Run the honest sessions that start before S0 through the arena, publish S0, close."""
    began = time.perf_counter()
    world = make_world(config.n_models, config.gap, config.target_rank)
    population = config.population
    plans = honest_sessions(population, config.seed)
    before = [p for p in plans if p.start < population.s0_time]
    db_path = workdir / "base.db"
    clock = SimClock(EPOCH)
    prompts = Prompts(config.seed)
    tally = Tally()
    settings = defended_settings(config, db_path)
    with create_arena(settings, roster=roster_for(world), provider=SimulatedProvider(world.models),
                      start_local_models=False, clock=clock) as arena:  # fmt: skip
        asyncio.run(_play_and_close(arena, clock, session_actors(before, world, prompts,
                                                                 config.seed), tally))  # fmt: skip
        clock.advance_to(population.s0_time)
        s0_target, s0 = snapshot_standing(arena.publishing.create(), world.target)
    careless = frozenset(p.voter.voter_id for p in plans if p.careless)
    seconds = time.perf_counter() - began
    votes = sum(1 for _, r in tally.receipts if r.stored)
    log(f"honest phase: {votes} votes in {seconds:.0f} s ({votes / seconds:.0f} votes/s)")
    return Base(db_path=db_path, target=world.target, s0=s0, s0_target=s0_target, resume_at=clock.now,
                honest_voters=population.voters, careless=careless, votes=votes,
                seconds=seconds)  # fmt: skip


async def _play_and_close(arena: Arena, clock: SimClock, actors: Iterable, tally: Tally,
                          hourly: Callable[[], None] | None = None) -> None:  # fmt: skip
    try:
        await play(arena, clock, actors, tally, hourly)
    finally:
        await arena.aclose()


def run_scenario(config: SimConfig, base: Base, attack: Attack, workdir: Path) -> Outcome:
    """Copy the honest phase, play the attack window (honest sessions and the attacker), run
    detection, publish S1, and measure the target on every board."""
    began = time.perf_counter()
    world = make_world(config.n_models, config.gap, config.target_rank)
    population = config.population
    plans = [p for p in honest_sessions(population, config.seed) if p.start >= population.s0_time]
    db_path = workdir / f"scenario-{uuid.uuid4().hex}.db"
    copy_database(base.db_path, db_path)
    clock = SimClock(base.resume_at)
    prompts = Prompts(config.seed)
    actors: list = session_actors(plans, world, prompts, config.seed)
    attacker = None
    if attack.budget > 0:
        attacker = Attacker(attack=attack, start=base.resume_at + HOUR,
                            end=population.end_time - HOUR, world=world, public=dict(base.s0),
                            rng=random.Random(f"attack-{config.seed}-{attack}"),
                            prompts=Prompts(config.seed + 1))  # fmt: skip
        actors.append(attacker)
    tally = Tally()
    settings = defended_settings(config, db_path)
    reports: list[DetectionReport] = []  # one an hour, as `arena integrity detect` by cron
    with create_arena(settings, roster=roster_for(world), provider=SimulatedProvider(world.models),
                      start_local_models=False, clock=clock) as arena:  # fmt: skip
        asyncio.run(_play_and_close(arena, clock, actors, tally,
                                    lambda: reports.append(arena.run_detection())))  # fmt: skip
        clock.advance_to(population.end_time)
        report = arena.run_detection()
        reports.append(report)
        s1_target, _ = snapshot_standing(arena.publishing.create(), world.target)
        counting = {row["battle_id"] for row in arena.store.snapshot_vote_rows()}
        cohorts = arena.cohort_quarantines()
        gated = bt_standing(
            arena.rank(method="bt", bootstrap=config.resamples, min_votes=0), world.target
        )
        opened = bt_standing(
            rank_votes(all_stored_votes(arena), method="bt", bootstrap=config.resamples,
                       min_votes=0), world.target,
        )  # fmt: skip
        quarantined = {q["voter_id"] for q in arena.detection.quarantines()}
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    attackers = set(attacker.voters) if attacker else set()
    mine = [r for voter, r in tally.receipts if voter in attackers]
    flagged = {f.voter_id for f in report.flags}
    honest_flagged = {v for v in flagged if v.startswith("honest-")}
    watched = {world.target}
    if attack.strategy == "demote_rival":
        watched.add(public_rival(world.target, base.s0))
    on_watched = [(voter, r) for voter, r in tally.receipts
                  if voter in attackers and r.stored and watched & set(r.models.values())]  # fmt: skip
    honest_counted = [(voter, r) for voter, r in tally.receipts
                      if voter.startswith("honest-") and r.counted]  # fmt: skip
    return Outcome(
        attack=attack,
        accounts=len(attackers),
        battles=attacker.started if attacker else 0,
        refused_starts=sum(tally.refused_starts.values()),
        votes_cast=sum(r.stored for r in mine),
        votes_counted=sum(r.counted for r in mine),
        votes_quarantined=sum(r.counted and r.battle_id not in counting for r in mine),
        votes_held=sum(
            r.counted and r.battle_id not in counting and voter not in quarantined
            for voter, r in tally.receipts
            if voter in attackers
        ),  # fmt: skip
        accounts_quarantined=len(attackers & quarantined),
        watched_cast=len(on_watched),
        watched_in_s1=sum(r.counted and r.battle_id in counting for _, r in on_watched),
        not_counted=dict(Counter(r.reason.value for r in mine if r.stored and not r.counted)),
        honest_voters=base.honest_voters,
        honest_flagged=len(honest_flagged),
        careless_flagged=len(honest_flagged & base.careless),
        alerts_final=tuple(sorted({a.kind for a in report.alerts})),
        target_alert_hours=alert_hours(reports[:-1], watched),
        cohort_quarantines=len(cohorts),
        honest_held=sum(
            r.battle_id not in counting for voter, r in honest_counted if voter not in quarantined
        ),  # fmt: skip
        honest_counted=len(honest_counted),
        s0=base.s0_target,
        open=opened,
        gated=gated,
        defended=s1_target,
        seconds=time.perf_counter() - began,
    )


def alert_hours(reports: list[DetectionReport], watched: set[str]) -> dict[str, int]:
    """Per alert kind, the hourly detection runs that named a watched model (a prefix burst
    counts when most of its wins went to one)."""
    hours: Counter = Counter()
    for report in reports:
        hours.update({a.kind for a in report.alerts
                      if a.subject in watched
                      or (a.kind == PREFIX_BURST
                          and any(f"went to {m}" in a.evidence for m in watched))})  # fmt: skip
    return dict(hours)


# -- the grid ------------------------------------------------------------------------------------
BUDGETS = (300, 1_000, 3_000, 10_000)


def grid(quick: bool = False) -> list[Attack]:
    """Every dimension covered without the 144-cell cross product (see docs/attack_simulation.md):
    the control; each strategy × budget with one account at 95%; target-only with 100- and
    20-vote accounts and mimic with 20-vote accounts across budgets; 20-vote accounts behind one
    IP; and an accuracy sweep (80%, 100%) at 3,000 battles. Quick: one or two cells of each."""
    if quick:
        return [
            Attack(), Attack("target_only", 300), Attack("target_only", 1_000),
            Attack("mimic", 1_000), Attack("target_only", 1_000, votes_per_account=20),
            Attack("mimic", 1_000, votes_per_account=20),
            Attack("mimic", 1_000, votes_per_account=20, one_ip=True),
            Attack("target_only", 1_000, 0.80, votes_per_account=20),
        ]  # fmt: skip
    cells = [Attack()]
    cells += [Attack(s, b) for s in STRATEGIES for b in BUDGETS]
    cells += [Attack("target_only", b, votes_per_account=n) for n in (100, 20) for b in BUDGETS]
    cells += [Attack("mimic", b, votes_per_account=20) for b in BUDGETS]
    cells += [Attack(s, b, votes_per_account=20, one_ip=True)
              for s in ("target_only", "mimic") for b in BUDGETS[-2:]]  # fmt: skip
    for accuracy in (0.80, 1.00):
        cells += [Attack("target_only", 3_000, accuracy),
                  Attack("target_only", 3_000, accuracy, votes_per_account=20),
                  Attack("mimic", 3_000, accuracy, votes_per_account=20)]  # fmt: skip
    return cells


def quick_config(seed: int) -> SimConfig:
    return SimConfig(seed=seed, population=Population(voters=400, prefixes=300))


def proof_of_work_seconds(bits: int = POW_BITS, trials: int = 8) -> float:
    """Median CPU seconds to solve one challenge at `bits` (one per new account, not per vote)."""
    times = []
    for i in range(trials):
        began = time.perf_counter()
        solve(f"attack-simulation-{i}", bits)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def run_grid(
    config: SimConfig,
    attacks: list[Attack],
    *,
    jobs: int = 1,
    workdir: Path | None = None,
    log: Callable[[str], None] = print,
) -> tuple[Base, list[Outcome]]:
    """The honest phase once, then every scenario from a copy of it (`jobs` processes)."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        base = build_base(config, Path(tmp), log)
        outcomes: list[Outcome] = []
        if jobs <= 1:
            for attack in attacks:
                outcomes.append(run_scenario(config, base, attack, Path(tmp)))
                log(_progress(outcomes[-1], len(outcomes), len(attacks)))
        else:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(jobs, mp_context=context) as pool:
                futures = [pool.submit(run_scenario, config, base, a, Path(tmp)) for a in attacks]
                for future in futures:
                    outcomes.append(future.result())
                    log(_progress(outcomes[-1], len(outcomes), len(attacks)))
    return base, outcomes


def _progress(outcome: Outcome, done: int, total: int) -> str:
    return (f"[{done}/{total}] {outcome.attack.label}: rank {outcome.s0.rank} -> open "
            f"{outcome.open.rank}, S1 {outcome.defended.rank}; {outcome.votes_cast} votes, "
            f"{outcome.neutralised} neutralised; {outcome.seconds:.0f} s")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="400 honest voters, a small grid")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="scenarios run in parallel")
    parser.add_argument("--resamples", type=int, default=50, help="bootstrap resamples")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "attack.md")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="run only the scenarios whose label holds TEXT (repeatable; the "
                             "control always runs)")  # fmt: skip
    args = parser.parse_args(argv)
    config = quick_config(args.seed) if args.quick else SimConfig(seed=args.seed)
    config = replace(config, resamples=args.resamples)
    began = time.perf_counter()
    attacks = [a for a in grid(args.quick)
               if not args.only or a.budget == 0 or any(t in a.label for t in args.only)]  # fmt: skip
    base, outcomes = run_grid(config, attacks, jobs=args.jobs,
                              log=lambda line: print(line, file=sys.stderr, flush=True))  # fmt: skip
    report = render_report(config, base, outcomes, pow_seconds=proof_of_work_seconds(),
                           wall_seconds=time.perf_counter() - began, jobs=args.jobs)  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
