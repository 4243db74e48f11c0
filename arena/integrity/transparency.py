"""Transparency about selective publication: how many variants each organisation has had tested,
and whether a published variant's lead is within what best-of-N selection alone would produce.

If an organisation tests N variants of equal skill and publishes the best, the published rating is
inflated on average by σ·E[max of N standard normals] (σ the rating's standard error); see Singh
et al. 2025, "The Leaderboard Illusion". Ratings are in rating points.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from scipy.special import ndtr

from arena.integrity.votes import normal_density
from ratings.bt_sandwich import Z_95  # a 95% interval is rating ± 1.96 σ


@dataclass(frozen=True)
class Variant:
    """One model variant that was tested; `published` is False for private or retracted ones.

    lower, upper: its 95% interval; rating: its point estimate."""

    model: str
    organisation: str
    rating: float
    lower: float
    upper: float
    published: bool = True

    @property
    def standard_error(self) -> float:
        return (self.upper - self.lower) / (2.0 * Z_95)


@dataclass(frozen=True)
class OrganisationReport:
    organisation: str
    variants_tested: int
    variants_published: int
    best_model: str  # the best published variant ("" when none is published)
    inflation: float  # expected best-of-N inflation of that variant's rating, rating points


@dataclass(frozen=True)
class BestOfNFlag:
    model: str
    organisation: str
    variants_tested: int
    lead: float  # over the next published model on the board, rating points
    inflation: float
    evidence: str


@lru_cache(maxsize=256)
def expected_max_normal(n: int) -> float:
    """E[max of n independent N(0, 1)] = ∫ x·n·φ(x)·Φ(x)^(n−1) dx (0 for n = 1)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    if n == 1:
        return 0.0
    from scipy import integrate  # here: it takes 0.2 s to import, and most commands never ask

    value, _ = integrate.quad(
        lambda x: x * n * normal_density(x) * ndtr(x) ** (n - 1),
        -12.0,
        12.0,
        limit=200,
    )
    return float(value)


def group_by_organisation(variants: Iterable[Variant]) -> dict[str, tuple[Variant, ...]]:
    """Variants per organisation (names compared as given), best rating first."""
    groups: dict[str, list[Variant]] = defaultdict(list)
    for variant in variants:
        groups[variant.organisation].append(variant)
    return {
        org: tuple(sorted(group, key=lambda v: (-v.rating, v.model)))
        for org, group in sorted(groups.items())
    }


def best_of_n_inflation(variants: Iterable[Variant]) -> float:
    """σ·E[max Z_N] for an organisation's N tested variants, σ their median standard error.

    An upper bound of the selection bias: variants of unequal skill inflate the best one less.
    """
    group = list(variants)
    if len(group) < 2:
        return 0.0
    errors = sorted(v.standard_error for v in group)
    middle = len(errors) // 2
    sigma = errors[middle] if len(errors) % 2 else (errors[middle - 1] + errors[middle]) / 2
    return sigma * expected_max_normal(len(group))


def organisation_reports(variants: Iterable[Variant]) -> list[OrganisationReport]:
    """One line per organisation, most variants tested first."""
    reports = []
    for org, group in group_by_organisation(variants).items():
        published = [v for v in group if v.published]
        reports.append(
            OrganisationReport(
                organisation=org,
                variants_tested=len(group),
                variants_published=len(published),
                best_model=published[0].model if published else "",
                inflation=best_of_n_inflation(group),
            )
        )
    return sorted(reports, key=lambda r: (-r.variants_tested, r.organisation))


def best_of_n_flags(variants: Iterable[Variant]) -> list[BestOfNFlag]:
    """Each organisation's best published variant whose lead over the next published model below
    it (from any organisation) is no larger than its best-of-N inflation (N ≥ 2 tested)."""
    variants = list(variants)
    board = sorted((v for v in variants if v.published), key=lambda v: (-v.rating, v.model))
    flags = []
    for org, group in group_by_organisation(variants).items():
        published = [v for v in group if v.published]
        if len(group) < 2 or not published:
            continue
        best = published[0]
        position = board.index(best)
        if position + 1 >= len(board):
            continue
        following = board[position + 1]
        lead = best.rating - following.rating
        inflation = best_of_n_inflation(group)
        if lead <= inflation:
            flags.append(
                BestOfNFlag(
                    best.model, org, len(group), lead, inflation,
                    f"{org} tested {len(group)} variants; {best.model} leads {following.model} by "
                    f"{lead:.1f} points, within the {inflation:.1f} points expected from picking "
                    f"the best of {len(group)} (σ ≈ {inflation / expected_max_normal(len(group)):.1f})",
                )
            )  # fmt: skip
    return flags


def selection_adjusted_rating(variant: Variant, variants_tested: int) -> float:
    """The variant's rating minus the best-of-N inflation for N tested variants of its σ."""
    if variants_tested < 1 or not math.isfinite(variant.rating):
        raise ValueError("variants_tested must be at least 1 and the rating finite")
    return variant.rating - variant.standard_error * expected_max_normal(variants_tested)
