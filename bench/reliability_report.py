"""How the reliability benchmarks print their figures: each value with its goal beside it and
whether the goal was met; figures without a goal are context (references, counts)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: str  # formatted for reading, units included
    goal: str = ""  # e.g. "= 0", "≥ 3,000/s"; empty: no goal (a reference or a count)
    met: bool | None = None  # None when there is no goal


def goal(name: str, value: str, wanted: str, met: bool) -> Figure:
    return Figure(name, value, wanted, bool(met))


def context(name: str, value: str) -> Figure:
    return Figure(name, value)


def render(title: str, figures: list[Figure]) -> str:
    """A plain-text table: name, value, goal, met/missed."""
    width = max(len(f.name) for f in figures)
    value_width = min(28, max(len(f.value) for f in figures))
    lines = [title, "-" * len(title)]
    for f in figures:
        verdict = "" if f.met is None else ("met" if f.met else "MISSED")
        wanted = f"(goal {f.goal}: {verdict})" if f.goal else ""
        lines.append(f"{f.name:<{width}}  {f.value:<{value_width}}  {wanted}".rstrip())
    return "\n".join(lines)


def counts_text(counts: dict[str, int]) -> str:
    """ "3 (ConnectError: 2, HTTP 500: 1)", or "0"."""
    total = sum(counts.values())
    if not total:
        return "0"
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return f"{total} (" + ", ".join(f"{k}: {v}" for k, v in ordered) + ")"


def all_met(figures: list[Figure]) -> bool:
    return all(f.met is not False for f in figures)
