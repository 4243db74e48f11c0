"""The attack simulation's Markdown report: one table row per scenario, then the targets checked
against the measured numbers (met or missed, with the figures either way)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

HONEST_FLAG_TARGET = 0.001  # ≤ 0.1% of honest voters flagged
QUARANTINE_TARGET = 0.95  # ≥ 95% of a single account's votes kept out of the ranking
IDENTITIES_PER_RANK_TARGET = 500  # 20-vote mimic accounts one rank costs, with defences
HONEST_HELD_TARGET = 0.01  # ≤ 1% of honest counted votes held by cohort quarantines (our bar)
NOISE_POINTS = 5.0  # defended shifts this small are S0 → S1 drift, not an effect to extrapolate
POW_BITS = 16  # the default proof-of-work difficulty, whose cost the report quotes


def ranks_moved(outcome: Any, board: str) -> int:
    """Places the target gained on `board` ("open", "gated" or "defended") relative to S0."""
    return outcome.s0.rank - getattr(outcome, board).rank


def identities_per_rank(outcome: Any, board: str) -> str:
    moved = ranks_moved(outcome, board)
    if outcome.attack.budget == 0:
        return "—"
    return f"{outcome.accounts / moved:.3g}" if moved > 0 else "∞ (no move)"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def _alerts(hours: dict[str, int]) -> str:
    return ", ".join(f"{kind} {n} h" for kind, n in sorted(hours.items())) or "none"


def scenario_row(o: Any) -> list[str]:
    a = o.attack
    if a.budget == 0:
        attack = "control (no attacker)"
        identity = votes = neutral = "—"
    else:
        attack = f"{a.strategy} B={a.budget:,} acc={a.accuracy:.0%}"
        identity = f"{a.identity} ({o.accounts:,})"
        votes = f"{o.votes_cast:,} → {o.votes_counted:,} → {o.votes_quarantined:,}"
        neutral = _share(o.neutralised, o.votes_cast)
    shift = f"{o.open.rating - o.s0.rating:+.1f} / {o.defended.rating - o.s0.rating:+.1f}"
    return [
        attack,
        identity,
        votes,
        neutral,
        f"{o.s0.rank} → {o.open.rank} / {o.gated.rank} / {o.defended.rank} (UB {o.defended.rank_ub})",
        shift,
        f"{identities_per_rank(o, 'open')} / {identities_per_rank(o, 'defended')}",
        f"{o.honest_flagged} ({o.honest_flagged / o.honest_voters:.2%})",
        _alerts(o.target_alert_hours),
    ]


HEADER = [
    "attack",
    "identities (accounts used)",
    "attacker votes cast → counted → left out by detection",
    "kept out of S1",
    "target rank S0 → open / gates only / defended (S1)",
    "rating shift open / defended",
    "identities per rank moved open / defended",
    "honest voters flagged",
    "hourly detection runs alerting on the attacked model",
]


def markdown_table(outcomes: Sequence[Any]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(scenario_row(o)) + " |" for o in outcomes]
    return "\n".join(lines)


def s0_summary(base: Any) -> str:
    """Where the target stood on S0 and how far the next models are."""
    s0, target = base.s0, base.target
    above = [r for r in s0.values() if r > s0[target]]
    below = [r for r in s0.values() if r < s0[target]]
    parts = [f"On S0 the target {target} is rank {base.s0_target.rank} at {s0[target]:.1f}"]
    if above:
        parts.append(f"{min(above) - s0[target]:.1f} points below the next model")
    if below:
        parts.append(f"{s0[target] - max(below):.1f} above the one after it")
    return ", ".join(parts)


def neighbour_gaps(s0: dict[str, float], target: str) -> tuple[float | None, float]:
    """(points from the target up to the next model on S0, or None when it leads; the median
    gap between neighbours on S0)."""
    ratings = sorted(s0.values())
    gaps = [b - a for a, b in zip(ratings, ratings[1:], strict=False)]
    above = [r - s0[target] for r in ratings if r > s0[target]]
    return (min(above) if above else None), statistics.median(gaps)


def identities_for_one_rank(o: Any, gap: float) -> str:
    """Linear estimate from the defended rating shift per identity of one run."""
    return f"≈ {gap * o.accounts / (o.defended.rating - o.s0.rating):,.0f}"


def target_checks(outcomes: Sequence[Any], base: Any) -> list[str]:
    """The issue's targets, each stated as met or missed with the numbers behind it."""
    lines = []
    attacks = [o for o in outcomes if o.attack.budget > 0]
    groups = (
        ("One account", [o for o in attacks if o.attack.votes_per_account is None]),
        ("One IP (a new account every 20 votes)", [o for o in attacks if o.attack.one_ip]),
    )
    for name, runs in groups:
        if runs:
            lines.append(_single_identity_check(name, runs))
    honest = [o.honest_flagged / o.honest_voters for o in outcomes]
    worst_honest = max(outcomes, key=lambda o: o.honest_flagged)
    held = max(outcomes, key=lambda o: o.honest_held / max(o.honest_counted, 1))
    share = held.honest_held / max(held.honest_counted, 1)
    lines.append(
        f"- Honest votes held by cohort quarantines ≤ {HONEST_HELD_TARGET:.0%} (our bar; the "
        f"issue sets none): {'**met**' if share <= HONEST_HELD_TARGET else '**missed**'} — at "
        f"most {held.honest_held:,} of {held.honest_counted:,} counted honest votes of the "
        f"window ({share:.2%}), in {held.attack.label}."
    )
    lines.append(
        f"- Honest voters flagged ≤ {HONEST_FLAG_TARGET:.1%}: "
        f"{'**met**' if max(honest) <= HONEST_FLAG_TARGET else '**missed**'} — at most "
        f"{worst_honest.honest_flagged} of {worst_honest.honest_voters:,} ({max(honest):.2%}) in "
        f"any scenario; careless voters among them: {worst_honest.careless_flagged}."
    )
    small = sorted(
        (o for o in attacks if o.attack.votes_per_account == 20 and not o.attack.one_ip
         and o.attack.accuracy == 0.95),
        key=lambda o: (o.attack.strategy, o.attack.budget),
    )  # fmt: skip
    control = next((o for o in outcomes if o.attack.budget == 0), None)
    noise = control.target_alert_hours if control else {}
    gap, median_gap = neighbour_gaps(base.s0, base.target)
    for strategy in sorted({o.attack.strategy for o in small}):
        runs = [o for o in small if o.attack.strategy == strategy]
        clean = {o.attack.budget: sorted(k for k in o.target_alert_hours if not noise.get(k))
                 for o in runs}  # fmt: skip
        alerted = [b for b, kinds in clean.items() if kinds]
        moving = [o for o in runs if ranks_moved(o, "defended") >= 1]
        largest = runs[-1]
        if moving:
            first = moving[0]
            per_rank = first.accounts / ranks_moved(first, "defended")
            needed = (
                f"{first.accounts:,} identities ({first.votes_cast:,} votes, "
                f"B={first.attack.budget:,}) moved it {ranks_moved(first, 'defended')} rank(s) "
                f"with defences ({per_rank:,.0f} a rank)"
            )
        else:  # one rank costs more than every identity used: shown only if that is enough
            per_rank = largest.accounts + 1
            needed = (
                f"no budget tested moved it with defences: more than {largest.accounts:,} "
                f"identities ({largest.votes_cast:,} votes) are needed for one rank"
            )
        verdict = ("**met**" if per_rank >= IDENTITIES_PER_RANK_TARGET
                   else "**missed**" if moving else "not shown by the budgets tested")  # fmt: skip
        goal = f"goal ≥ {IDENTITIES_PER_RANK_TARGET} identities a rank: {verdict}"
        fired = "; ".join(f"B={b:,}: {', '.join(clean[b])}" for b in alerted)
        shift = largest.defended.rating - largest.s0.rating
        if gap is None:
            estimate = "the target already leads"
        elif shift < NOISE_POINTS:
            estimate = (
                f"the defended shift at B={largest.attack.budget:,} ({shift:+.1f} points) is "
                f"within the drift, so there is nothing to extrapolate"
            )
        else:
            estimate = (
                f"extrapolating the defended shift of B={largest.attack.budget:,} "
                f"({shift:+.1f} points from {largest.accounts:,} identities) linearly, one rank "
                f"takes {identities_for_one_rank(largest, gap)} identities for the target's "
                f"{gap:.1f}-point gap and {identities_for_one_rank(largest, median_gap)} for the "
                f"median S0 gap of {median_gap:.1f} points"
            )
        lines.append(
            f"- 20-vote accounts, {strategy}: a cohort alert on the target that the control never "
            f"raised {'**fired**' if alerted else '**did not fire**'} at {len(alerted)} of "
            f"{len(runs)} budgets ({fired or 'none'}); {needed}; {estimate}; {goal}."
        )
    return lines


DETAIL_HEADER = [
    "attack", "battles", "refused starts", "stored, not counted (gate)", "accounts quarantined",
    "attacker votes on the attacked model's battles: cast / in S1", "careless among flagged",
    "alerts of the final detection run",
    "cohort quarantines: made / attacker votes held / honest votes held", "seconds",
]  # fmt: skip


def detail_row(o: Any) -> list[str]:
    gates = ", ".join(f"{n:,} {reason}" for reason, n in sorted(o.not_counted.items()))
    return [
        o.attack.label, f"{o.battles:,}", f"{o.refused_starts:,}", gates or "0",
        f"{o.accounts_quarantined:,} of {o.accounts:,}",
        f"{o.watched_cast:,} / {o.watched_in_s1:,}", f"{o.careless_flagged}",
        ", ".join(o.alerts_final) or "none",
        f"{o.cohort_quarantines} / {o.votes_held:,} / {o.honest_held:,}", f"{o.seconds:.0f}",
    ]  # fmt: skip


def detail_table(outcomes: Sequence[Any]) -> str:
    lines = ["| " + " | ".join(DETAIL_HEADER) + " |", "|" + "---|" * len(DETAIL_HEADER)]
    lines += ["| " + " | ".join(detail_row(o)) + " |" for o in outcomes]
    return "\n".join(lines)


def _single_identity_check(name: str, runs: Sequence[Any]) -> str:
    """≤ 0 ranks gained with defences and ≥ 95% of the votes kept out of S1, in every run."""
    moved = max(ranks_moved(o, "defended") for o in runs)
    shifts = [o.defended.rating - o.s0.rating for o in runs]
    kept = {o.attack.label: o.neutralised / o.votes_cast for o in runs if o.votes_cast}
    worst_label = min(kept, key=kept.get)
    worst = next(o for o in runs if o.attack.label == worst_label)
    caught = sum(o.votes_counted > 0 and o.votes_quarantined == o.votes_counted for o in runs)
    met = moved <= 0 and kept[worst_label] >= QUARANTINE_TARGET
    return (
        f"- {name}, up to {max(o.votes_cast for o in runs):,} votes: "
        f"{'**met**' if met else '**missed**'} — with defences the target gained at most "
        f"{max(moved, 0)} rank(s) over {len(runs)} scenarios (rating shift {min(shifts):+.1f} to "
        f"{max(shifts):+.1f}); every counted vote was quarantined in {caught} of {len(runs)}; "
        f"the worst run, {worst_label}, kept {kept[worst_label]:.1%} of its votes out of S1 "
        f"({worst.votes_cast - worst.votes_counted:,} stopped by gates, "
        f"{worst.votes_quarantined:,} of {worst.votes_counted:,} counted quarantined; "
        f"{worst.watched_in_s1:,} of its {worst.watched_cast:,} votes on the target's battles "
        f"reached S1)."
    )


def render_report(
    config: Any, base: Any, outcomes: Sequence[Any], *, pow_seconds: float, wall_seconds: float,
    jobs: int,
) -> str:  # fmt: skip
    population = config.population
    control = next((o for o in outcomes if o.attack.budget == 0), None)
    most_accounts = max((o.accounts for o in outcomes if o.attack.votes_per_account), default=0)
    lines = [
        "# Attack simulation",
        "",
        f"{config.n_models} models {config.gap:g} true rating points apart, the target at true "
        f"rank {config.target_rank}; {population.voters:,} honest voters × "
        f"{population.votes_per_voter} votes ({population.careless_share:.0%} careless, 17% "
        f"tie/both_bad) over {population.days_before:g} + {population.window_days:g} days; S0 "
        f"after {population.days_before:g} days ({base.votes:,} votes), the attack in the "
        f"{population.window_days:g}-day window after it. Seed {config.seed}, "
        f"{config.resamples} bootstrap resamples. {s0_summary(base)}.",
        "",
        "Ranks are by rating (1 = best) among all models; *open* ranks every stored vote (no "
        "gates, no quarantine), *gates only* the counted votes without quarantine, *defended* "
        "is snapshot S1 after detection. A rank move is counted against S0.",
        "",
        markdown_table(outcomes),
        "",
        "Attacker votes *kept out of S1* = stored but not counted by a gate + counted but left "
        "out by detection (the voter quarantined, or the vote held by a cohort quarantine, "
        "pending review). Detection runs every simulated hour of the attack window, as `arena "
        "integrity detect` from cron would, and once at its end. Honest voters flagged include "
        "the careless ones (see details).",
        "",
        "## Targets",
        "",
        *target_checks(outcomes, base),
        "",
        "## Notes",
        "",
        f"- Proof of work was off in the simulation (pow_bits=0). At the default {POW_BITS} bits "
        f"it costs {pow_seconds:.2f} s of one core per new account (Python solver): "
        f"{most_accounts:,} accounts cost {most_accounts * pow_seconds:.0f} s in all, so it does "
        f"not limit a scripted attacker.",
    ]
    if control is not None:
        lines.append(
            f"- Control: with no attacker the final detection run raised "
            f"{', '.join(control.alerts_final) or 'no'} alerts, the hourly detection runs named the "
            f"target {_alerts(control.target_alert_hours)}, and the target moved "
            f"{ranks_moved(control, 'defended')} ranks from S0 to S1."
        )
    lines += [
        f"- Honest phase: {base.votes:,} votes in {base.seconds:.0f} s "
        f"({base.votes / base.seconds:.0f} votes/s through the service); whole run "
        f"{wall_seconds / 60:.1f} min with {jobs} process(es).",
        "",
        "## Details",
        "",
        detail_table(outcomes),
        "",
    ]
    return "\n".join(lines)
