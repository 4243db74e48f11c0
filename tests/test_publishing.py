"""Snapshots, battle-data release, verification and import through the service and the CLI."""

import json
import sqlite3

import pytest
from click.testing import CliRunner

from arena.cli import cli
from arena.formats.snapshot_export import export_snapshot
from arena.usecases.publishing import (
    ImportRejected,
    MaintainerOnly,
    SnapshotNotFound,
    verify_release,
)
from arena.views import Voter
from tests.conftest import collect

PROMPTS = ["写一首关于秋天的诗", "Explain recursion", "def f(x): return x", "Tell me a joke"]
VERDICTS = ["a_better", "b_better", "tie", "a_better", "both_bad", "a_better"]


def vote_many(arena, n=36):
    for i in range(n):
        voter = Voter(f"session-{i}", f"voter-{i % 7}", f"10.0.0.{i % 5}")
        started = arena.start_battle(voter)
        collect(arena.ask(voter, started.battle_id, PROMPTS[i % len(PROMPTS)]))
        arena.vote(voter, started.battle_id, VERDICTS[i % len(VERDICTS)])


@pytest.fixture
def voted(make_arena):
    arena = make_arena(
        {"alpha": "fake-echo", "beta": "fake-zh", "gamma": "fake-echo"},
        snapshot_resamples=40, min_votes=5,
    )  # fmt: skip
    vote_many(arena)
    return arena


def test_a_snapshot_covers_the_counted_votes_with_a_full_manifest(voted):
    shot = voted.publishing.create()
    m = shot.manifest
    assert m.votes == 36
    assert len(m.vote_set_sha256) == 64
    assert m.method.resamples == 40 and m.method.seed == 0
    assert m.code_version.startswith(("git:", "arena "))
    assert m.window["first_vote_at"] <= m.window["last_vote_at"]
    assert {"overall", "chinese", "english", "coding", "style_controlled"} <= set(shot.boards)
    assert {r.model for r in shot.boards["overall"].rows} == {"alpha", "beta", "gamma"}
    assert voted.publishing.list()[0]["id"] == shot.id
    assert voted.publishing.get() == shot


def test_exclusions_are_counted_by_reason(voted):
    voter = Voter("s-probe", "v-probe")
    started = voted.start_battle(voter)
    collect(voted.ask(voter, started.battle_id, "你是谁？"))
    voted.vote(voter, started.battle_id, "tie")
    voted.vote(voter, "forged", "tie")
    shot = voted.publishing.create()
    assert shot.manifest.votes == 36
    assert shot.manifest.exclusions["probe"] == 1
    assert shot.manifest.exclusions["vote_refused"] == 1


def test_snapshots_are_immutable(voted):
    shot = voted.publishing.create()
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        voted.store.db.execute("UPDATE snapshots SET votes = 0 WHERE id = ?", [shot.id])
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        voted.store.db.execute("UPDATE snapshots SET vote_ids = NULL")


def test_an_unknown_snapshot_is_a_clear_error(voted):
    with pytest.raises(SnapshotNotFound, match="no snapshot has been created yet"):
        voted.publishing.get()
    voted.publishing.create()
    with pytest.raises(SnapshotNotFound, match="no snapshot 'nope'"):
        voted.publishing.get("nope")


def test_anyone_can_verify_a_snapshot_from_the_released_battles(voted, tmp_path):
    shot = voted.publishing.create()
    (tmp_path / "snapshot.json").write_text(shot.to_json(), encoding="utf-8")
    with open(tmp_path / "battles.json", "w", encoding="utf-8") as out:
        assert (
            voted.publishing.release_battles(out, snapshot_id=shot.id, with_conversations=True)
            == 36
        )
    released = (tmp_path / "battles.json").read_text(encoding="utf-8")
    assert "voter-1" not in released and "10.0.0" not in released, "voters pseudonymised, no IPs"
    result = verify_release(tmp_path / "snapshot.json", tmp_path / "battles.json")
    assert result.ok, result.problems
    assert result.skipped == ()


def test_a_snapshots_release_is_its_vote_set_after_a_later_quarantine(voted, tmp_path):
    """The release of a snapshot read the votes that count now: a voter quarantined after it
    left the release 5 battles short, and the snapshot no longer verified."""
    shot = voted.publishing.create()
    (tmp_path / "snapshot.json").write_text(shot.to_json(), encoding="utf-8")
    assert voted.detection.quarantine("voter-1", "vote ring")
    with open(tmp_path / "battles.json", "w", encoding="utf-8") as out:
        assert voted.publishing.release_battles(out, snapshot_id=shot.id) == 36
    result = verify_release(tmp_path / "snapshot.json", tmp_path / "battles.json")
    assert result.ok, result.problems
    with open(tmp_path / "now.json", "w", encoding="utf-8") as out:  # no snapshot: what counts
        assert voted.publishing.release_battles(out) == 36 - 5


def test_verification_fails_when_one_released_vote_is_tampered_with(voted, tmp_path):
    shot = voted.publishing.create()
    (tmp_path / "snapshot.json").write_text(shot.to_json(), encoding="utf-8")
    with open(tmp_path / "battles.json", "w", encoding="utf-8") as out:
        voted.publishing.release_battles(out, snapshot_id=shot.id)
    battles = json.loads((tmp_path / "battles.json").read_text(encoding="utf-8"))
    battles[0]["winner"] = "model_b" if battles[0]["winner"] != "model_b" else "model_a"
    (tmp_path / "battles.json").write_text(json.dumps(battles), encoding="utf-8")
    result = verify_release(tmp_path / "snapshot.json", tmp_path / "battles.json")
    assert not result.ok
    assert any("SHA-256" in p for p in result.problems)


def test_release_without_conversations_says_the_style_board_is_not_checked(voted, tmp_path):
    shot = voted.publishing.create()
    (tmp_path / "snapshot.json").write_text(shot.to_json(), encoding="utf-8")
    with open(tmp_path / "battles.json", "w", encoding="utf-8") as out:
        voted.publishing.release_battles(out, snapshot_id=shot.id)
    result = verify_release(tmp_path / "snapshot.json", tmp_path / "battles.json")
    assert result.ok and result.skipped == ("style_controlled",)


def test_export_then_import_round_trips_exactly(voted, make_arena, tmp_path, settings):
    shot = voted.publishing.create()
    with open(tmp_path / "battles.json", "w", encoding="utf-8") as out:
        voted.publishing.release_battles(out, snapshot_id=shot.id, with_conversations=True)
    other = make_arena(db_path=tmp_path / "other.db", snapshot_resamples=40, min_votes=5)
    assert other.publishing.import_battles(tmp_path / "battles.json") == 36
    again = other.publishing.create()
    assert again.manifest.vote_set_sha256 == shot.manifest.vote_set_sha256
    fields = lambda r: (r.model, r.rating, r.lower, r.upper, r.rank_ub, r.votes, r.provisional)  # noqa: E731
    for category, board in shot.boards.items():
        assert [fields(r) for r in again.boards[category].rows] == [fields(r) for r in board.rows]
    with open(tmp_path / "again.json", "w", encoding="utf-8") as out:
        other.publishing.release_battles(out, snapshot_id=again.id, with_conversations=True)
    assert json.loads((tmp_path / "again.json").read_text(encoding="utf-8")) == json.loads(
        (tmp_path / "battles.json").read_text(encoding="utf-8")
    ), "re-publishing an import gives back the same release"
    with pytest.raises(ImportRejected, match="already stored"):
        other.publishing.import_battles(tmp_path / "battles.json")
    assert other.store.db["votes"].count == 36, "a rejected import writes nothing"


def test_a_malformed_import_writes_nothing(make_arena, tmp_path):
    from arena.formats.battle_data import BattleFileError

    arena = make_arena()
    bad = tmp_path / "bad.csv"
    bad.write_text("model_a,model_b,winner\nx,y,model_a\nx,x,tie\n", encoding="utf-8")
    with pytest.raises(BattleFileError) as error:
        arena.publishing.import_battles(bad)
    assert error.value.problems[0][0] == 3
    assert arena.store.db["votes"].count == 0


def test_changes_list_every_model_against_the_previous_snapshot(voted):
    first = voted.publishing.create()
    vote_many(voted, 12)
    second = voted.publishing.create()
    changes = {c.model: c for c in voted.publishing.changes(second.id)}
    assert set(changes) == {"alpha", "beta", "gamma"}
    assert all(c.status == "ranked" for c in changes.values())
    assert {c.status for c in voted.publishing.changes(first.id)} == {"new"}


def test_exports_in_three_formats_and_two_languages(voted):
    shot = voted.publishing.create()
    assert json.loads(export_snapshot(shot, "json"))["manifest"]["votes"] == 36
    csv_text = export_snapshot(shot, "csv", categories=("overall",))
    assert csv_text.splitlines()[0].startswith("category,rank_ub,model,rating,lower,upper,votes")
    assert len(csv_text.splitlines()) == 4
    assert "| Rank (UB) | Model | Rating | 95% CI |" in export_snapshot(shot, "md")
    chinese = export_snapshot(shot, "md", language="zh")
    assert "排行榜快照" in chinese and "95% 置信区间" in chinese
    with pytest.raises(ValueError, match="no board"):
        export_snapshot(shot, "csv", categories=("nonsense",))
    with pytest.raises(ValueError, match="json is the whole snapshot"):  # was: every board
        export_snapshot(shot, "json", categories=("nonsense",))


def test_an_unknown_category_is_named_short(voted):
    from arena.service import UnknownCategory, check_category

    shot = voted.publishing.create()
    with pytest.raises(UnknownCategory) as refused:  # a 5,000-character one came back whole
        check_category(shot, "x" * 5000)
    assert len(str(refused.value)) < 300


def test_the_changes_of_an_unknown_category_are_one_error_line(voted, tmp_path):
    voted.publishing.create()
    db = str(voted.store.path)
    voted.store.close()
    result = CliRunner().invoke(cli, ["snapshot", "changes", "--db", db, "--category", "bogus"],
                                env={"ARENA_LOCAL_MODELS": "false"})  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "Error: unknown category 'bogus': choose from overall" in result.output


def test_maintainer_actions_need_the_secret_and_are_disabled_without_one(make_arena):
    closed = make_arena()
    with pytest.raises(MaintainerOnly, match="disabled"):
        closed.publishing.check_maintainer("anything")
    guarded = make_arena(maintainer_secret="s3cret")
    with pytest.raises(MaintainerOnly, match="wrong"):
        guarded.publishing.check_maintainer("guess")
    with pytest.raises(MaintainerOnly):
        guarded.publishing.check_maintainer(None)
    guarded.publishing.check_maintainer("s3cret")


def test_the_cli_creates_exports_releases_and_verifies(voted, tmp_path):
    db = str(voted.settings.db_path)
    roster = tmp_path / "roster.yaml"
    voted.store.close()
    from tests.conftest import roster_yaml

    roster.write_text(roster_yaml("http://127.0.0.1:9/v1", {"alpha": "fake-echo", "beta": "fake-zh",
                                                            "gamma": "fake-echo"}))  # fmt: skip
    common = ["--db", db, "--roster", str(roster)]
    runner = CliRunner()
    created = runner.invoke(
        cli, ["snapshot", "create", *common], env={"ARENA_SNAPSHOT_RESAMPLES": "30"}
    )
    assert created.exit_code == 0, created.output
    snapshot_id = created.output.split()[1].rstrip(":")
    exported = runner.invoke(cli, ["snapshot", "export", snapshot_id, *common, "-o",
                                   str(tmp_path / "s.json")])  # fmt: skip
    assert exported.exit_code == 0, exported.output
    released = runner.invoke(cli, ["export-battles", "--snapshot", snapshot_id, *common, "-o",
                                   str(tmp_path / "b.json")])  # fmt: skip
    assert released.exit_code == 0, released.output
    ok = runner.invoke(cli, ["snapshot", "verify", str(tmp_path / "s.json"), "--battles",
                             str(tmp_path / "b.json")])  # fmt: skip
    assert ok.exit_code == 0 and "verified" in ok.output, ok.output
    markdown = runner.invoke(cli, ["snapshot", "export", *common, "--format", "md", "--lang", "zh"])
    assert "排行榜快照" in markdown.output
    listed = runner.invoke(cli, ["snapshot", "list", *common])
    assert snapshot_id in listed.output
    changes = runner.invoke(cli, ["snapshot", "changes", *common])
    assert changes.exit_code == 0 and "new" in changes.output


@pytest.mark.parametrize(("intervals", "anchor", "english", "chinese"), [
    ("bootstrap", None, "(Bradley–Terry, mean 1000), 95% confidence intervals from 40 bootstrap",
     "均值 1000），95% 置信区间来自 40 次自助重采样"),
    ("sandwich", None, "95% confidence intervals from the sandwich (CLT) estimate",
     "95% 置信区间来自三明治（中心极限定理）估计"),
    ("reweighted", "alpha=1200", "(Bradley–Terry, alpha fixed at 1200), 95% confidence intervals "
     "from the sandwich estimate with inverse-frequency weights", "alpha 固定为 1200"),
])  # fmt: skip
def test_the_markdown_board_says_how_its_snapshot_was_made(make_arena, intervals, anchor,
                                                          english, chinese):  # fmt: skip
    """It said "1000 bootstrap resamples" and "mean 1000" of every snapshot."""
    arena = make_arena({"alpha": "fake-echo", "beta": "fake-zh", "gamma": "fake-echo"},
                       snapshot_resamples=40, min_votes=5, snapshot_intervals=intervals,
                       anchor=anchor)  # fmt: skip
    vote_many(arena)
    shot = arena.publishing.create()
    assert english in export_snapshot(shot, "md")
    assert chinese in export_snapshot(shot, "md", language="zh")


@pytest.mark.parametrize("intervals", ["sandwich", "bootstrap", "reweighted"])
def test_a_snapshot_records_its_interval_scheme_and_verifies_with_it(make_arena, tmp_path,
                                                                      intervals):  # fmt: skip
    arena = make_arena({"alpha": "fake-echo", "beta": "fake-zh", "gamma": "fake-echo"},
                       snapshot_resamples=40, min_votes=5, snapshot_intervals=intervals)  # fmt: skip
    vote_many(arena)
    shot = arena.publishing.create()
    assert shot.manifest.method.ci == intervals
    (tmp_path / "snapshot.json").write_text(shot.to_json(), encoding="utf-8")
    with open(tmp_path / "battles.json", "w", encoding="utf-8") as out:
        arena.publishing.release_battles(out, snapshot_id=shot.id, with_conversations=True)
    result = verify_release(tmp_path / "snapshot.json", tmp_path / "battles.json")
    assert result.ok, result.problems
    assert result.max_rating_difference == 0.0


def test_snapshot_intervals_default_to_the_sandwich_and_the_scheme_changes_them(make_arena):
    from arena.config import Settings, SettingsError, load_settings

    assert Settings().snapshot_intervals == "sandwich"
    with pytest.raises(SettingsError, match="snapshot_intervals must be one of"):
        load_settings({"ARENA_SNAPSHOT_INTERVALS": "jackknife"})
    uppers = {}
    for intervals in ("sandwich", "bootstrap"):
        arena = make_arena({"alpha": "fake-echo", "beta": "fake-zh", "gamma": "fake-echo"},
                           snapshot_resamples=40, min_votes=5, snapshot_intervals=intervals)  # fmt: skip
        vote_many(arena)
        uppers[intervals] = [r.upper for r in arena.publishing.create().boards["overall"].rows]
    assert uppers["sandwich"] != uppers["bootstrap"]


@pytest.fixture
def released(voted, tmp_path):
    """(a snapshot's JSON, the path of its released battles)."""
    shot = voted.publishing.create()
    with open(tmp_path / "battles.json", "w", encoding="utf-8") as out:
        voted.publishing.release_battles(out, snapshot_id=shot.id)
    return shot.to_json(), tmp_path / "battles.json"


def _without_manifest(text):
    body = json.loads(text)
    del body["manifest"]
    return json.dumps(body)


def _with_method(text, **method):
    body = json.loads(text)
    body["manifest"]["method"].update(method)
    return json.dumps(body)


# Each of these was a traceback (KeyError, JSONDecodeError, TypeError, RankingError).
NOT_SNAPSHOTS = {
    "no manifest": (_without_manifest, "Error: not a snapshot file: 'manifest' is missing"),
    "not JSON": (lambda text: "model_a,model_b\nx,y\n", "Error: not a snapshot file: not JSON"),
    "a list": (lambda text: "[1, 2]",
               "Error: not a snapshot file: a list, where a snapshot is an object"),
    "unknown interval scheme": (lambda text: _with_method(text, ci="weird"),
                                "Error: the snapshot's method cannot be recomputed"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(NOT_SNAPSHOTS))
def test_verifying_a_file_that_is_no_snapshot_is_one_error_line(released, tmp_path, case):
    text, battles = released
    edit, message = NOT_SNAPSHOTS[case]
    (tmp_path / "s.json").write_text(edit(text), encoding="utf-8")
    result = CliRunner().invoke(cli, ["snapshot", "verify", str(tmp_path / "s.json"),
                                      "--battles", str(battles)])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def test_verifying_against_a_bad_battle_file_says_nothing_was_verified(released, tmp_path):
    """Its report said "nothing imported", the import command's words."""
    text, _ = released
    (tmp_path / "s.json").write_text(text, encoding="utf-8")
    (tmp_path / "bad.csv").write_text("model_a,model_b,winner\na,b,maybe\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["snapshot", "verify", str(tmp_path / "s.json"),
                                      "--battles", str(tmp_path / "bad.csv")])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "bad.csv: 1 problem(s), nothing verified" in result.output
    assert "nothing imported" not in result.output


@pytest.mark.parametrize("tolerance", ["nan", "-0.5", "inf"])
def test_verify_refuses_a_tolerance_that_would_accept_anything(released, tmp_path, tolerance):
    text, battles = released
    (tmp_path / "s.json").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["snapshot", "verify", str(tmp_path / "s.json"), "--battles",
                                      str(battles), "--tolerance", tolerance])  # fmt: skip
    assert result.exit_code == 2
    assert "must be a number of rating points, 0 or more" in result.output
