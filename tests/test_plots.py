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
