"""Transparency: variants per organisation and best-of-N selection flags."""

import numpy as np
import pytest

from arena.integrity.transparency import (
    Variant,
    best_of_n_flags,
    best_of_n_inflation,
    expected_max_normal,
    group_by_organisation,
    organisation_reports,
    selection_adjusted_rating,
)


def variant(model, org, rating, half_width=10.0, published=True):
    return Variant(model, org, rating, rating - half_width, rating + half_width, published)


@pytest.mark.parametrize(
    "n, expected",
    [(1, 0.0), (2, 1 / np.sqrt(np.pi)), (3, 1.5 / np.sqrt(np.pi)), (5, 1.16296), (10, 1.53875)],
)
def test_expected_maximum_of_normals_matches_the_published_table(n, expected):
    assert expected_max_normal(n) == pytest.approx(expected, abs=1e-4)


def test_expected_maximum_matches_a_simulation_for_27_variants():
    rng = np.random.default_rng(0)
    simulated = rng.standard_normal((200_000, 27)).max(axis=1).mean()
    assert expected_max_normal(27) == pytest.approx(simulated, abs=0.01)


def test_a_95_percent_interval_gives_the_standard_error():
    assert variant("m", "o", 1000.0, half_width=19.6).standard_error == pytest.approx(
        10.0, rel=1e-3
    )


def test_best_of_n_inflation_is_sigma_times_the_expected_maximum():
    group = [variant(f"v{i}", "acme", 1000.0 + i, half_width=19.6) for i in range(10)]
    assert best_of_n_inflation(group) == pytest.approx(10.0 * 1.53875, rel=1e-3)
    assert best_of_n_inflation(group[:1]) == 0.0


def test_selection_bias_in_a_simulated_organisation_matches_the_inflation():
    rng = np.random.default_rng(1)
    sigma, n = 8.0, 12
    best = (1200.0 + sigma * rng.standard_normal((50_000, n))).max(axis=1)
    group = [variant(f"v{i}", "acme", 1200.0, half_width=sigma * 1.959964) for i in range(n)]
    assert best.mean() - 1200.0 == pytest.approx(best_of_n_inflation(group), rel=0.02)


def test_reports_count_every_tested_variant_and_name_the_best_published_one():
    variants = [
        variant("acme-1", "Acme", 1250.0, published=False),
        variant("acme-2", "Acme", 1240.0),
        variant("acme-3", "Acme", 1200.0, published=False),
        variant("solo", "Solo Labs", 1230.0),
    ]
    acme, solo = organisation_reports(variants)
    assert (acme.organisation, acme.variants_tested, acme.variants_published) == ("Acme", 3, 1)
    assert acme.best_model == "acme-2"
    assert acme.inflation == pytest.approx(10 / 1.959964 * 1.5 / np.sqrt(np.pi), rel=1e-3)
    assert (solo.variants_tested, solo.inflation) == (1, 0.0)
    assert list(group_by_organisation(variants)) == ["Acme", "Solo Labs"]


def test_a_lead_within_the_inflation_is_flagged_and_a_clear_lead_is_not():
    private = [variant(f"meta-{i}", "Meta", 1190.0, published=False) for i in range(26)]
    tight = [*private, variant("meta-final", "Meta", 1240.0), variant("rival", "Other", 1230.0)]
    (flag,) = best_of_n_flags(tight)
    assert (flag.model, flag.organisation, flag.variants_tested) == ("meta-final", "Meta", 27)
    assert flag.lead == pytest.approx(10.0)
    assert flag.inflation > 10.0
    assert "tested 27 variants" in flag.evidence
    clear = [*private, variant("meta-final", "Meta", 1300.0), variant("rival", "Other", 1230.0)]
    assert best_of_n_flags(clear) == []


def test_an_organisation_with_one_variant_is_never_flagged():
    variants = [variant("a", "A", 1201.0), variant("b", "B", 1200.0)]
    assert best_of_n_flags(variants) == []


def test_the_selection_adjusted_rating_subtracts_the_inflation():
    v = variant("m", "o", 1300.0, half_width=19.6)
    assert selection_adjusted_rating(v, 2) == pytest.approx(
        1300.0 - 10.0 / np.sqrt(np.pi), rel=1e-4
    )
    assert selection_adjusted_rating(v, 1) == 1300.0
