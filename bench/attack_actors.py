"""Who plays the battles of the attack simulation, and the loop that plays them: honest sittings,
the attacker script, and an event loop that runs them through the arena's service in simulated
time order (start_battle → ask → vote or abandon), with the simulation as the oracle of which
models a battle hides."""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from arena.domain.battle import BattleRuleBroken, Side
from arena.service import Arena
from arena.views import Receipt, Voter
from bench.attack_voters import (
    Prompts,
    World,
    attacker_verdict,
    bt_verdict,
    careless_verdict,
    public_rival,
    recognise,
)

DAY = 86_400.0
HOUR = 3_600.0
EPOCH = 1_767_571_200.0  # 2026-01-05 00:00 UTC: day 0 of the simulated calendar
HONEST_READ_S = (15.0, 90.0)  # an honest voter reads both answers for this long before voting
HONEST_PAUSE_S = (5.0, 40.0)  # and pauses this long before the next battle
ATTACK_READ_S = (4.0, 8.0)  # a script waits just past the 3 s minimum time to vote
ATTACK_MIN_GAP_S = 10.5  # one account may start 6 battles a minute
RETRY_S = 60.0  # a refused battle start is retried after this long


@dataclass(frozen=True)
class Population:
    """The honest side: `voters` × `votes_per_voter` battles in 1–4 sessions each, spread evenly
    over `days_before` + `window_days` days; S0 is published after `days_before` days."""

    voters: int = 2000
    votes_per_voter: int = 20
    careless_share: float = 0.10
    days_before: float = 14.0
    window_days: float = 2.0
    prefixes: int = 1500  # /24 networks the honest voters come from

    @property
    def s0_time(self) -> float:
        return EPOCH + self.days_before * DAY

    @property
    def end_time(self) -> float:
        return self.s0_time + self.window_days * DAY


@dataclass(frozen=True)
class Attack:
    """One attacker: `budget` battles started in the window, `accuracy` of recognising which model
    wrote an answer, and a new account after every `votes_per_account` votes (None: one account
    for everything). Each account has its own proxy IP in its own /24 unless `one_ip`. budget 0
    is the control: no attacker."""

    strategy: str = "target_only"
    budget: int = 0
    accuracy: float = 0.95
    votes_per_account: int | None = None
    one_ip: bool = False

    @property
    def identity(self) -> str:
        if self.votes_per_account is None:
            return "1 account"
        where = ", one IP" if self.one_ip else ""
        return f"accounts of {self.votes_per_account}{where}"

    @property
    def label(self) -> str:
        if self.budget == 0:
            return "control (no attacker)"
        return f"{self.strategy} B={self.budget} acc={self.accuracy:.0%} {self.identity}"


class SimClock:
    """The simulated wall clock handed to the arena (Unix seconds); only moves forward."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance_to(self, t: float) -> None:
        self.now = max(self.now, t)


# -- actors: who starts the next battle, and what they do with it --------------------------------
@dataclass
class HonestSession:
    """One sitting of one honest voter: `battles` battles back to back."""

    voter: Voter
    start: float
    battles: int
    careless: bool
    world: World
    rng: random.Random
    prompts: Prompts
    done: int = 0

    def prompt(self, now: float) -> str:
        return self.prompts.draw(self.rng)

    def verdict(self, models: dict[Side, str]) -> str | None:
        if self.careless:
            return careless_verdict(self.rng)
        true = self.world.true_ratings
        return bt_verdict(self.rng, true[models[Side.A]], true[models[Side.B]])

    def read_s(self) -> float:
        return self.rng.uniform(*HONEST_READ_S)

    def next_start(self, now: float, voted: bool) -> float | None:
        self.done += 1
        return now + self.rng.uniform(*HONEST_PAUSE_S) if self.done < self.battles else None


@dataclass
class Attacker:
    """A script playing `attack.budget` battles evenly over [start, end), switching to a fresh
    account (and proxy IP) after every `votes_per_account` votes."""

    attack: Attack
    start: float
    end: float
    world: World
    public: dict[str, float]
    rng: random.Random
    prompts: Prompts
    accounts: int = 1
    started: int = 0  # battles started (the budget counts these)
    last_start: float = 0.0
    votes_on_account: int = 0
    voters: list[str] = field(default_factory=list)
    voter: Voter = field(init=False)

    def __post_init__(self) -> None:
        self.world = replace(self.world, rival=public_rival(self.world.target, self.public))
        self.voter = self._account(0)

    def _account(self, k: int) -> Voter:
        voter_id = f"attacker-{k:05d}"
        self.voters.append(voter_id)
        ip = "203.0.113.7"
        if not self.attack.one_ip:  # a fresh proxy in its own /24
            ip = f"172.{16 + k % 16}.{(k * 37 + k // 16) % 256}.{1 + k % 250}"
        return Voter(session_id=f"attack-session-{k}", voter_id=voter_id, ip=ip)

    @property
    def interval(self) -> float:
        return (self.end - self.start) / max(self.attack.budget, 1)

    def prompt(self, now: float) -> str:
        self.started += 1
        self.last_start = now
        return self.prompts.draw(self.rng)

    def verdict(self, models: dict[Side, str]) -> str | None:
        seen = [recognise(self.rng, models[s], self.world.models, self.attack.accuracy)
                for s in (Side.A, Side.B)]  # fmt: skip
        return attacker_verdict(self.attack.strategy, *seen, world=self.world, public=self.public,
                                rng=self.rng)  # fmt: skip

    def read_s(self) -> float:
        return self.rng.uniform(*ATTACK_READ_S)

    def next_start(self, now: float, voted: bool) -> float | None:
        if voted:
            self.votes_on_account += 1
            limit = self.attack.votes_per_account
            if limit is not None and self.votes_on_account >= limit:
                self.voter = self._account(self.accounts)
                self.accounts += 1
                self.votes_on_account = 0
        if self.started >= self.attack.budget:
            return None
        planned = self.start + (self.started + self.rng.uniform(-0.4, 0.4)) * self.interval
        return max(planned, self.last_start + ATTACK_MIN_GAP_S, now)


@dataclass
class Tally:
    """What the event loop saw: receipts per voter id, refused starts, abandoned battles."""

    receipts: list[tuple[str, Receipt]] = field(default_factory=list)
    refused_starts: Counter = field(default_factory=Counter)
    abandoned: int = 0


async def play(
    arena: Arena, clock: SimClock, actors: Iterable, tally: Tally,
    hourly: Callable[[], None] | None = None,
) -> None:  # fmt: skip
    """Run every actor's battles in simulated-time order through the service: start_battle (the
    pairing picks the models), ask (both answers stream), then vote after the reading time or
    abandon. Battles of different voters interleave; the clock never goes back. Once a simulated
    day the database gets a nightly `ANALYZE` (see `refresh_statistics`); `hourly`, if given,
    runs at every simulated hour (the clock set to it), as an hourly cron job would."""
    order = itertools.count()
    queue = [(actor.start, next(order), actor, None) for actor in actors]
    heapq.heapify(queue)
    maintenance = clock.now + DAY
    next_hour = clock.now + HOUR
    while queue:
        t, _, actor, pending = heapq.heappop(queue)
        while hourly is not None and next_hour <= t:
            clock.advance_to(next_hour)
            hourly()
            next_hour += HOUR
        clock.advance_to(t)
        if clock.now >= maintenance:
            refresh_statistics(arena)
            maintenance = clock.now + DAY
        voter = actor.voter
        if pending is not None:  # the reading time is over: cast the vote
            battle_id, verdict = pending
            tally.receipts.append((voter.voter_id, arena.vote(voter, battle_id, verdict)))
            following = actor.next_start(clock.now, voted=True)
        else:
            try:
                started = arena.start_battle(voter)
            except BattleRuleBroken as refusal:
                tally.refused_starts[refusal.reason] += 1
                heapq.heappush(queue, (clock.now + RETRY_S, next(order), actor, None))
                continue
            async for _view in arena.ask(voter, started.battle_id, actor.prompt(clock.now)):
                pass
            models = arena.store.load_battle(started.battle_id).models  # the simulation's oracle
            verdict = actor.verdict(models)
            if verdict is not None:
                pending = (started.battle_id, verdict)
                heapq.heappush(queue, (clock.now + actor.read_s(), next(order), actor, pending))
                continue
            arena.abandon(voter, started.battle_id)
            tally.abandoned += 1
            following = actor.next_start(clock.now, voted=False)
        if following is not None:
            heapq.heappush(queue, (following, next(order), actor, None))


def refresh_statistics(arena: Arena) -> None:
    """SQLite's ANALYZE, as a nightly maintenance job would run it. Without planner statistics
    the per-IP daily-cap query (Store.counted_vote_times) walks every counted vote through the
    `counted` index: 23 ms a vote at 22,000 votes and growing linearly; with them it takes the
    battles.ip_hash index (0.04 ms)."""
    arena.store.db.execute("ANALYZE")


# -- the honest population ---------------------------------------------------------------------
@dataclass(frozen=True)
class SessionPlan:
    voter: Voter
    start: float
    battles: int
    careless: bool


def honest_sessions(population: Population, seed: int) -> list[SessionPlan]:
    """Every honest session, in start order; the same for every scenario of one seed. A voter's
    votes are split into 1–4 sittings on random days; its IP sits in one of `prefixes` /24s."""
    rng = random.Random(f"honest-{seed}")
    span = (population.days_before + population.window_days) * DAY
    plans = []
    for i in range(population.voters):
        prefix = rng.randrange(population.prefixes)
        ip = f"10.{prefix // 256}.{prefix % 256}.{rng.randint(1, 254)}"
        voter = Voter(session_id=f"honest-session-{i}", voter_id=f"honest-{i:05d}", ip=ip)
        careless = rng.random() < population.careless_share
        sittings = rng.randint(1, 4)
        sizes = [population.votes_per_voter // sittings] * sittings
        sizes[0] += population.votes_per_voter - sum(sizes)
        for size in sizes:
            start = EPOCH + rng.uniform(0, span - HOUR)
            plans.append(SessionPlan(voter, start, size, careless))
    return sorted(plans, key=lambda p: (p.start, p.voter.voter_id))


def session_actors(
    plans: Iterable[SessionPlan], world: World, prompts: Prompts, seed: int
) -> list[HonestSession]:
    return [
        HonestSession(voter=p.voter, start=p.start, battles=p.battles, careless=p.careless,
                      world=world, rng=random.Random(f"{seed}-{p.voter.voter_id}-{p.start}"),
                      prompts=prompts)
        for p in plans
    ]  # fmt: skip
