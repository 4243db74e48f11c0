"""The leaderboard tab's figures and what they are drawn from (issue 12: the history plot)."""

from dataclasses import replace

from arena.web.ui import plots
from arena.web.ui.leaderboard_panel import snapshots_up_to
from tests.test_snapshot import simulate, snapshot_of


def _at(snapshot, created_at: str):
    return replace(snapshot, manifest=replace(snapshot.manifest, created_at=created_at))


def test_the_history_axis_shows_dates_even_with_one_snapshot():
    """Regression: with one snapshot the axis ticked in milliseconds around a single point."""
    one = _at(snapshot_of(simulate(400)), "2026-11-22T08:30:00.000+00:00")
    figure = plots.rating_history([one], "overall", "history", "rating")
    axis = figure.layout.xaxis
    assert axis.type == "date" and axis.tickformat == "%Y-%m-%d"
    low, high = axis.range
    assert low[:10] <= "2026-11-21" and high[:10] >= "2026-11-23", axis.range  # a day each side


def test_the_history_ends_at_the_picked_snapshot():
    """Regression: picking an older snapshot still showed the newer ones."""
    listed = [  # as Arena.snapshots() lists them: newest first
        {"id": "c", "created_at": "2026-11-24T00:00:00.000+00:00"},
        {"id": "b", "created_at": "2026-11-23T00:00:00.000+00:00"},
        {"id": "a", "created_at": "2026-11-22T00:00:00.000+00:00"},
    ]
    assert snapshots_up_to(listed, "2026-11-23T00:00:00.000+00:00") == ["a", "b"]
    assert snapshots_up_to(listed, "2026-11-24T00:00:00.000+00:00") == ["a", "b", "c"]


def test_the_history_spans_its_snapshots_with_dates():
    base = snapshot_of(simulate(400))
    older = _at(base, "2026-11-01T00:00:00.000+00:00")
    newer = _at(base, "2026-11-20T00:00:00.000+00:00")
    figure = plots.rating_history([older, newer], "overall", "history", "评分")
    assert figure.layout.xaxis.type == "date" and figure.layout.yaxis.title.text == "评分"
    assert {x for trace in figure.data for x in trace.x} == {older.manifest.created_at,
                                                            newer.manifest.created_at}  # fmt: skip


# -- the heatmaps follow the picked category (issue 12) ------------------------------------------


def _with_an_english_only_model():
    """A snapshot where zeta met alpha in English only: on the English board, not the Chinese."""
    votes = simulate(400)
    zeta = [replace(v, battle_id=f"z{k}", model_a="zeta", model_b="alpha", language="en")
            for k, v in enumerate(votes[:40])]  # fmt: skip
    return snapshot_of(votes + zeta), votes + zeta


def _drawn(figure) -> dict[tuple[str, str], object]:
    """The heatmap's cells: (row model, column model) -> value."""
    (trace,) = figure.data
    return {(row, column): value for row, values in zip(trace.y, trace.z, strict=True)
            for column, value in zip(trace.x, values, strict=True)}  # fmt: skip


def test_the_heatmaps_draw_the_picked_categorys_models_and_counts():
    snapshot, votes = _with_an_english_only_model()
    for category, language in (("chinese", "zh"), ("english", "en")):
        kept = [v for v in votes if v.language == language]
        figure = plots.heatmap(snapshot, category, "battles", "battles")
        assert set(figure.data[0].x) == {m for v in kept for m in (v.model_a, v.model_b)}
        cells = _drawn(figure)
        for a, b in (("alpha", "beta"), ("gamma", "delta")):
            met = sum({v.model_a, v.model_b} == {a, b} for v in kept)
            assert cells[a, b] == cells[b, a] == met, (category, a, b)
    assert "zeta" in plots.heatmap(snapshot, "english", "win_rate", "w").data[0].x
    assert "zeta" not in plots.heatmap(snapshot, "chinese", "win_rate", "w").data[0].x
    overall = _drawn(plots.heatmap(snapshot, "overall", "battles", "battles"))
    assert overall["alpha", "zeta"] == 40


def test_an_older_snapshot_draws_the_overall_heatmaps_and_says_so_in_every_category():
    from functools import partial

    from arena.i18n import translate
    from arena.web.ui.leaderboard_panel import LeaderboardPanel

    snapshot, _ = _with_an_english_only_model()
    older = replace(snapshot, category_matrices={})  # made before they were kept
    assert _drawn(plots.heatmap(older, "chinese", "battles", "b")) == _drawn(
        plots.heatmap(snapshot, "overall", "battles", "b")
    )
    for language in ("en", "zh"):
        t = partial(translate, language)
        note = LeaderboardPanel._heatmap_note(older, "chinese", t)
        assert t("category_overall") in note
        assert LeaderboardPanel._heatmap_note(snapshot, "chinese", t) == ""
