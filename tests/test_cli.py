import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from arena.cli import cli
from tests.conftest import collect, roster_yaml

ROOT = Path(__file__).parent.parent
REQUIRED = {"serve", "models", "ratings", "export-votes"}


def test_python_dash_m_arena_help_lists_the_commands():
    result = subprocess.run(
        [sys.executable, "-m", "arena", "--help"], cwd=ROOT, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for command in REQUIRED:
        assert command in result.stdout


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    assert set(cli.commands) >= REQUIRED
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Example: python -m arena" in result.output, name
        assert (command.help or "").strip(), name


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"python -m arena {name}" in readme, name


@pytest.fixture
def voted_db(tmp_path, fake_server, make_arena):
    """A database with one counted anonymous vote and one named vote, and its roster file."""
    from arena.battle import Mode
    from arena.service import Voter

    arena = make_arena(db_path=tmp_path / "cli.db")
    me = Voter("s", "v", "10.0.0.1")
    for mode, models, verdict in ((Mode.ANONYMOUS, (), "a_better"),
                                  (Mode.NAMED, ("alpha", "beta"), "tie")):  # fmt: skip
        started = arena.start_battle(me, mode=mode, models=models)
        collect(arena.ask(me, started.battle_id, "你好，世界"))
        arena.vote(me, started.battle_id, verdict)
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        roster_yaml(fake_server.base_url, {"alpha": "fake-echo", "beta": "fake-zh"}),
        encoding="utf-8",
    )
    arena.store.close()
    return tmp_path / "cli.db", roster


def test_export_votes_writes_json_with_turns(voted_db):
    db, roster = voted_db
    result = CliRunner().invoke(cli, ["export-votes", "--db", str(db), "--roster", str(roster)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["mode"] for r in rows] == ["anonymous", "named"]
    assert rows[0]["counted"] == 1 and rows[1]["counted"] == 0
    assert rows[1]["reason"] == "named_battle"
    assert rows[0]["turns"][0]["prompt"] == "你好，世界"


def test_export_votes_writes_csv(voted_db):
    db, roster = voted_db
    result = CliRunner().invoke(
        cli, ["export-votes", "--db", str(db), "--roster", str(roster), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 2
    assert {"battle_id", "model_a", "model_b", "verdict", "counted", "reason", "prompt"} <= set(
        rows[0]
    )


def test_ratings_recomputes_trueskill_from_the_stored_votes(voted_db):
    db, roster = voted_db
    result = CliRunner().invoke(cli, ["ratings", "--db", str(db), "--roster", str(roster)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert {line.split()[0] for line in lines[1:]} == {"alpha", "beta"}


def test_models_reports_reachability_through_litellm(voted_db, tmp_path, fake_server):
    _, roster = voted_db
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        roster_yaml(fake_server.base_url, {"alpha": "fake-echo", "gamma": "fake-error"}),
        encoding="utf-8",
    )
    good = CliRunner().invoke(
        cli, ["models", "--roster", str(roster), "--db", str(tmp_path / "m.db")]
    )
    assert good.exit_code == 0, good.output
    assert good.output.count("reachable") == 2
    bad = CliRunner().invoke(
        cli, ["models", "--roster", str(broken), "--db", str(tmp_path / "m.db")]
    )
    assert bad.exit_code == 1
    assert "gamma" in bad.output and "UNREACHABLE" in bad.output


def test_a_bad_setting_is_a_clear_usage_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ARENA_PAIRING", "sometimes")
    result = CliRunner().invoke(cli, ["ratings", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "pairing must be one of" in result.output
