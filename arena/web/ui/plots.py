"""Plotly figures for the leaderboard tab, built from snapshots (no data access of their own)."""

from datetime import datetime, timedelta

import plotly.graph_objects as go

from arena.snapshot import Snapshot

HEIGHT = 420


def empty(message: str) -> go.Figure:
    """A figure with nothing to draw yet: `message` where the plot will be."""
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper",
                          yref="paper", font={"size": 16})  # fmt: skip
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    figure.update_layout(height=HEIGHT // 2, margin={"t": 20, "b": 20})
    return figure


def rating_whiskers(snapshot: Snapshot, category: str, title: str, axis: str) -> go.Figure:
    """Each model's rating with its 95% interval, best first."""
    rows = snapshot.boards[category].rows
    figure = go.Figure(
        go.Scatter(
            x=[r.model for r in rows],
            y=[r.rating for r in rows],
            mode="markers",
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [r.upper - r.rating for r in rows],
                "arrayminus": [r.rating - r.lower for r in rows],
            },  # fmt: skip
            marker={"size": 9},
        )
    )
    figure.update_layout(title=title, height=HEIGHT, yaxis_title=axis, margin={"t": 50})
    return figure


def heatmap(snapshot: Snapshot, category: str, key: str, title: str) -> go.Figure:
    """Pairwise matrix of a category's votes: `win_rate` (row beats column) or `battles`; the
    overall one for a snapshot made before matrices were kept per category."""
    matrices = snapshot.matrices_of(category)
    if matrices is None:
        matrices = snapshot.matrices
    values = [
        [None if i == j else value for j, value in enumerate(row)]  # a model never meets itself
        for i, row in enumerate(matrices[key])
    ]
    figure = go.Figure(
        go.Heatmap(
            z=values,
            x=matrices["models"],
            y=matrices["models"],
            colorscale="RdBu" if key == "win_rate" else "Blues",
            text=[
                ["" if v is None else f"{v:.2f}" if key == "win_rate" else str(v) for v in row]
                for row in values
            ],  # fmt: skip
            texttemplate="%{text}",
            hoverongaps=False,
        )
    )
    figure.update_layout(title=title, height=HEIGHT, yaxis_autorange="reversed", margin={"t": 50})
    return figure


def rating_history(snapshots: list[Snapshot], category: str, title: str, axis: str) -> go.Figure:
    """Every model's rating across snapshots (oldest first)."""
    figure = go.Figure()
    models = sorted(
        {r.model for s in snapshots if category in s.boards for r in s.boards[category].rows}
    )
    for model in models:
        points = [
            (s.manifest.created_at, row.rating)
            for s in snapshots
            if category in s.boards and (row := s.boards[category].row(model)) is not None
        ]
        figure.add_trace(go.Scatter(x=[p[0] for p in points], y=[p[1] for p in points],
                                    mode="lines+markers", name=model))  # fmt: skip
    figure.update_layout(title=title, height=HEIGHT, yaxis_title=axis, margin={"t": 50})
    # Dates on the axis, in every language; at least a day either side of the snapshots, so
    # one snapshot is a point on a calendar and not at the centre of millisecond ticks.
    times = [datetime.fromisoformat(s.manifest.created_at) for s in snapshots]
    if times:
        low, high = min(times) - timedelta(days=1), max(times) + timedelta(days=1)
        figure.update_xaxes(type="date", tickformat="%Y-%m-%d", hoverformat="%Y-%m-%d %H:%M",
                            range=[low.isoformat(), high.isoformat()])  # fmt: skip
    return figure
