"""`arena ratings --intervals`: which Bradley–Terry intervals (and, for reweighted, ratings)."""

import json

import pytest
from click.testing import CliRunner

from arena.cli import cli
from arena.rankings import VoteColumns, rank_votes
from ratings import fit_bradley_terry, matches_from_records

# x and y met 150 times, the other pairs far less: reweighting moves the ratings
PAIRS = (  # model_a, model_b, model_a won, model_b won, ties
    ("x", "y", 80, 45, 25),
    ("y", "z", 12, 6, 2),
    ("x", "z", 10, 15, 5),  # z beats x but loses to y, who loses to x: no BT fits all three
)
WINNER = {"a_better": "model_a", "b_better": "model_b", "tie": "tie"}


def vote_records():
    for a, b, a_won, b_won, ties in PAIRS:
        for verdict, times in (("a_better", a_won), ("b_better", b_won), ("tie", ties)):
            yield from [(a, b, verdict)] * times


@pytest.fixture
def vote_file(tmp_path):
    path = tmp_path / "votes.csv"
    lines = ["model_a,model_b,winner"] + [f"{a},{b},{WINNER[v]}" for a, b, v in vote_records()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def bt_board(vote_file, *options):
    result = CliRunner().invoke(
        cli, ["ratings", "--from-file", str(vote_file), "--method", "bt", "--format", "json",
              *options],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["categories"]["overall"]["bt"]
    return {row["model"]: row for row in rows}


def test_intervals_reweighted_prints_lmarenas_reweighted_ratings_and_intervals(vote_file):
    rows = bt_board(vote_file, "--intervals", "reweighted")
    expected = fit_bradley_terry(matches_from_records(list(vote_records())), ci="reweighted")
    plain = fit_bradley_terry(matches_from_records(list(vote_records())), ci="sandwich")
    for k, model in enumerate(expected.models):
        assert rows[model]["rating"] == pytest.approx(expected.ratings[k], abs=1e-9)
        assert rows[model]["lower"] == pytest.approx(expected.lower[k], abs=0.01)
        assert rows[model]["upper"] == pytest.approx(expected.upper[k], abs=0.01)
    assert max(abs(expected.ratings - plain.ratings)) > 10.0


def test_intervals_sandwich_and_bootstrap_0_are_the_same_plain_sandwich(vote_file):
    assert bt_board(vote_file, "--intervals", "sandwich") == bt_board(vote_file, "--bootstrap", "0")


def test_bootstrap_intervals_with_no_resamples_are_a_usage_error(vote_file):
    result = CliRunner().invoke(cli, ["ratings", "--from-file", str(vote_file), "--method", "bt",
                                      "--intervals", "bootstrap", "--bootstrap", "0"])  # fmt: skip
    assert result.exit_code == 2
    assert "at least one resample" in result.output


@pytest.mark.parametrize("intervals", ["sandwich", "reweighted"])
def test_resamples_with_intervals_that_take_none_are_a_usage_error(vote_file, intervals):
    """--bootstrap 50 --intervals sandwich printed sandwich intervals and said nothing."""
    result = CliRunner().invoke(cli, ["ratings", "--from-file", str(vote_file), "--method", "bt",
                                      "--intervals", intervals, "--bootstrap", "50"])  # fmt: skip
    assert result.exit_code == 2
    assert f"--intervals {intervals} takes no resamples" in result.output


@pytest.mark.parametrize(
    ("options", "ci"),
    [
        ({}, "bootstrap"),
        ({"bootstrap": 0}, "sandwich"),
        ({"intervals": "sandwich"}, "sandwich"),
        ({"intervals": "reweighted", "bootstrap": 0}, "reweighted"),
    ],
)
def test_rank_votes_maps_intervals_to_the_engines_ci(options, ci):
    rows = [(a, b, v, None, "en", False, False, False) for a, b, v in vote_records()]
    result = rank_votes(VoteColumns.from_rows(rows), method="bt", **{"bootstrap": 20, **options})
    assert result.bt["overall"].ci == ci


def test_ratings_by_default_uses_the_official_boards_intervals(vote_file, monkeypatch):
    """One default for one concept: `ratings` computes intervals as snapshots do
    (ARENA_SNAPSHOT_INTERVALS, sandwich unless set); --bootstrap N alone asks for resamples."""
    sandwich = bt_board(vote_file, "--intervals", "sandwich")
    bootstrap = bt_board(vote_file, "--intervals", "bootstrap", "--bootstrap", "60")
    assert sandwich != bootstrap
    assert bt_board(vote_file) == sandwich
    assert bt_board(vote_file, "--bootstrap", "60") == bootstrap
    monkeypatch.setenv("ARENA_SNAPSHOT_INTERVALS", "bootstrap")
    monkeypatch.setenv("ARENA_SNAPSHOT_RESAMPLES", "60")
    assert bt_board(vote_file) == bootstrap
