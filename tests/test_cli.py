import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
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


def all_commands(group=cli, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from all_commands(command, (*prefix, name))


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    assert set(cli.commands) >= REQUIRED
    for path, command in all_commands():
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Example: python -m arena" in result.output, path
        assert (command.help or "").strip(), path


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path, _ in all_commands():
        assert f"python -m arena {' '.join(path)}" in readme, path


@pytest.fixture
def voted_db(tmp_path, fake_server, make_arena):
    """A database with one counted anonymous vote and one named vote, and its roster file."""
    from arena.domain.battle import Mode
    from arena.views import Voter

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


def test_ratings_ranks_the_stored_votes_and_recomputes_the_live_table(voted_db):
    db, roster = voted_db
    args = ["ratings", "--db", str(db), "--roster", str(roster), "--bootstrap", "50"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "== overall ==" in result.output
    assert "alpha" in result.output and "beta" in result.output
    as_json = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    assert as_json["votes"] == 1  # the named vote is never ranked
    assert {r["model"] for r in as_json["categories"]["overall"]["trueskill"]} == {"alpha", "beta"}


def test_ratings_filters_by_category(voted_db):
    db, roster = voted_db
    base = ["ratings", "--db", str(db), "--roster", str(roster), "--format", "json",
            "--bootstrap", "20"]  # fmt: skip
    chinese = json.loads(CliRunner().invoke(cli, [*base, "--category", "chinese"]).output)
    assert chinese["categories"]["chinese"]["bt"], "the one counted vote was in Chinese"
    english = CliRunner().invoke(cli, [*base, "--category", "english"])
    assert english.exit_code == 0, english.output
    assert json.loads(english.output)["categories"]["english"]["bt"] == []


FASTCHAT_VOTES = """model_a,model_b,winner,judge,extra
gpt,claude,model_a,u1,x
claude,gpt,model_b,u2,x
gpt,llama,tie,u1,x
llama,claude,tie (bothbad),u3,x
claude,llama,model_a,u2,x
gpt,llama,model_a,u3,x
"""


def test_ratings_from_a_fastchat_csv_prints_exactly_the_documented_columns(tmp_path):
    votes = tmp_path / "votes.csv"
    votes.write_text(FASTCHAT_VOTES, encoding="utf-8")
    bt = CliRunner().invoke(cli, ["ratings", "--from-file", str(votes), "--method", "bt",
                                  "--format", "csv", "--bootstrap", "100"])  # fmt: skip
    assert bt.exit_code == 0, bt.output
    rows = list(csv.DictReader(io.StringIO(bt.output)))
    assert list(rows[0]) == ["model", "rating", "lower", "upper", "rank_ub", "votes"]
    assert rows[0]["model"] == "gpt"  # won 3.5 of its 4 votes
    assert {r["model"]: int(r["votes"]) for r in rows} == {"gpt": 4, "claude": 4, "llama": 4}
    ts = CliRunner().invoke(cli, ["ratings", "--from-file", str(votes), "--method", "trueskill",
                                  "--format", "csv"])  # fmt: skip
    assert ts.exit_code == 0, ts.output
    assert ts.output.splitlines()[0] == "model,mu,sigma,conservative,votes"


def test_ratings_from_a_json_file(tmp_path):
    votes = tmp_path / "votes.json"
    votes.write_text(json.dumps([
        {"model_a": "x", "model_b": "y", "winner": "model_a"},
        {"model_a": "y", "model_b": "x", "winner": "tie"},
    ]), encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(cli, ["ratings", "--from-file", str(votes), "--format", "json",
                                      "--bootstrap", "10"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["votes"] == 2


def test_malformed_vote_file_rows_are_reported_by_line(tmp_path):
    votes = tmp_path / "bad.csv"
    votes.write_text("model_a,model_b,winner\nx,y,model_a\nx,x,tie\nx,y,draw\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ratings", "--from-file", str(votes)])
    assert result.exit_code == 1
    assert "line 3" in result.output and "line 4" in result.output
    assert "draw" in result.output


def test_csv_output_needs_one_method_and_one_category(tmp_path):
    votes = tmp_path / "votes.csv"
    votes.write_text(FASTCHAT_VOTES, encoding="utf-8")
    result = CliRunner().invoke(cli, ["ratings", "--from-file", str(votes), "--format", "csv"])
    assert result.exit_code == 2
    assert "--format csv needs one --method" in result.output


def test_vote_files_cannot_be_ranked_by_category(tmp_path):
    votes = tmp_path / "votes.csv"
    votes.write_text(FASTCHAT_VOTES, encoding="utf-8")
    result = CliRunner().invoke(cli, ["ratings", "--from-file", str(votes), "--category", "coding"])
    assert result.exit_code == 2
    assert "vote files carry no categories" in result.output


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


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_starts_the_app_and_stops_cleanly_on_a_signal(tmp_path, stop):
    process = subprocess.Popen(
        [sys.executable, "-m", "arena", "serve", "--port", "0", "--db", str(tmp_path / "a.db")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        url = None
        for line in process.stdout:
            if "serving on" in line:
                url = line.split("serving on ")[1].split()[0]
                break
        assert url, "the server never said where it listens"
        health = httpx.get(f"{url}/api/health", timeout=10).json()
        assert health == {"status": "ok", "models": 2}, "the two offline SmolLM2 configurations"
        process.send_signal(stop)
        rest = process.communicate(timeout=30)[0]
    finally:
        process.kill()
    assert process.returncode == 0
    assert "arena: stopping" in rest
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/api/health", timeout=2)
    # Nothing it started outlives it: its automatic snapshots' schedule stops with it.
    deadline = time.monotonic() + 5
    while (left := _processes_using(tmp_path / "a.db")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"still running after the server stopped: {left}"


def _processes_using(db: Path) -> list[str]:
    """The command lines of live processes whose environment names `db` as their database."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if f"ARENA_DB_PATH={db}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return found


def test_any_setting_can_be_given_by_name_on_the_command_line(monkeypatch):
    from arena.cli import _settings

    monkeypatch.setenv("ARENA_POW_BITS", "12")
    settings = _settings(setting=(("pow_bits", "20"), ("trusted-proxies", "127.0.0.1")))
    assert settings.pow_bits == 20, "--setting wins over the environment"
    assert settings.trusted_proxies == "127.0.0.1"
    assert _settings(setting=(("pow_bits", "20"),), port=9000).port == 9000
    assert _settings(setting=(("port", "8000"),), port=9000).port == 9000, "a flag wins"
    result = CliRunner().invoke(cli, ["serve", "--setting", "no_such_thing", "1"])
    assert result.exit_code == 2 and "unknown setting(s): no_such_thing" in result.output


def test_arena_min_votes_reaches_the_ratings_command(voted_db, monkeypatch):
    """Regression: `ratings` had its own --min-votes default of 100 and never read the setting."""
    db, roster = voted_db
    monkeypatch.setenv("ARENA_MIN_VOTES", "0")
    result = CliRunner().invoke(cli, ["ratings", "--db", str(db), "--roster", str(roster),
                                      "--method", "bt", "--bootstrap", "5", "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(_bt_rows(json.loads(result.output)))
    assert rows and all(row["provisional"] is False for row in rows), rows


def _bt_rows(payload):
    if isinstance(payload, dict):
        for value in payload.values():
            yield from _bt_rows(value)
    elif isinstance(payload, list):
        for item in payload:
            if isinstance(item, dict) and "rating" in item:
                yield item
            else:
                yield from _bt_rows(item)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("model_list: [\n  - oops\n", "not valid YAML"),
        ('model_list:\n  - {model_name: "*", litellm_params: {model: "openai/*"}}\n',
         "only wildcard entries"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("command", [["models", "--no-check"], ["serve", "--port", "0"]])
def test_an_unusable_roster_file_is_one_error_line_not_a_traceback(tmp_path, text, reason, command):
    roster = tmp_path / "roster.yaml"
    roster.write_text(text, encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "-m", "arena", *command, "--roster", str(roster),
         "--db", str(tmp_path / "a.db")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith(f"Error: {roster}:") and reason in lines[-1], result.stderr
    assert "Traceback" not in result.stderr


def test_models_snapshot_list_and_changes_print_json_for_scripts(voted_db):
    db, roster = voted_db
    common = ["--db", str(db), "--roster", str(roster)]
    runner = CliRunner(env={"ARENA_SNAPSHOT_RESAMPLES": "30"})

    def as_json(*args):
        result = runner.invoke(cli, [*args, *common, "--format", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    assert as_json("models", "--no-check") == [{"name": "alpha"}, {"name": "beta"}]
    assert runner.invoke(cli, ["snapshot", "create", *common]).exit_code == 0
    [listed] = as_json("snapshot", "list")
    assert listed["votes"] == 1 and len(listed["vote_set_sha256"]) == 64
    changes = as_json("snapshot", "changes")
    assert sorted(c["model"] for c in changes) == ["alpha", "beta"]
    assert {c["status"] for c in changes} == {"new"} and changes[0]["old_rank"] is None


def test_ratings_json_carries_full_precision_and_equals_the_trueskill_package_loop(tmp_path):
    from ratings.trueskill_ratings import TrueSkillParams

    votes = tmp_path / "votes.csv"
    votes.write_text(FASTCHAT_VOTES, encoding="utf-8")
    result = CliRunner().invoke(cli, ["ratings", "--from-file", str(votes), "--method", "both",
                                      "--format", "json", "--bootstrap", "20"])  # fmt: skip
    assert result.exit_code == 0, result.output
    board = json.loads(result.output)["categories"]["overall"]
    env = TrueSkillParams().environment()  # the package itself, with the arena's settings
    skills = {m: env.create_rating() for m in ("gpt", "claude", "llama")}
    for line in FASTCHAT_VOTES.splitlines()[1:]:
        a, b, winner = line.split(",")[:3]
        if winner == "model_b":
            a, b = b, a
        skills[a], skills[b] = env.rate_1vs1(skills[a], skills[b], drawn=winner.startswith("tie"))
    for row in board["trueskill"]:
        assert row["mu"] == pytest.approx(skills[row["model"]].mu, rel=1e-13, abs=1e-13)
        assert row["sigma"] == pytest.approx(skills[row["model"]].sigma, rel=1e-13, abs=1e-13)
    ratings = [row["rating"] for row in board["bt"]]
    assert any(round(r, 2) != r for r in ratings)  # not rounded to the table's precision


def test_ratings_with_two_bootstrap_workers_prints_exactly_what_one_does(tmp_path):
    votes = tmp_path / "votes.csv"
    header, *rows = FASTCHAT_VOTES.splitlines(keepends=True)
    votes.write_text(header + "".join(rows * 20), encoding="utf-8")
    outputs = [
        CliRunner().invoke(cli, ["ratings", "--from-file", str(votes), "--method", "bt",
                                 "--format", "json", "--bootstrap", "64", "--workers", workers])
        for workers in ("1", "2")
    ]  # fmt: skip
    assert [o.exit_code for o in outputs] == [0, 0], outputs[1].output
    assert outputs[0].output == outputs[1].output


def test_models_with_an_empty_roster_says_so_instead_of_a_traceback(tmp_path, monkeypatch):
    """No key, no roster file and the local models off: nothing to list (it used to crash on
    max() of nothing)."""
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "DEEPSEEK_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(
        cli, ["models", "--db", str(tmp_path / "m.db")], env={"ARENA_LOCAL_MODELS": "false"}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "no models" in result.output.lower(), result.output


def test_importing_battles_leaves_scipy_stats_unloaded(tmp_path):
    """scipy.stats takes 0.6 s to import, on every command that loaded the integrity package:
    only detection's favouritism test needs it, and it loads it when it runs."""
    import os
    import subprocess
    import sys

    battles = tmp_path / "battles.csv"
    battles.write_text("model_a,model_b,winner,judge,tstamp\nalpha,beta,model_a,u1,1700000000\n")
    script = (
        "import sys\nfrom arena.cli import cli\n"
        f"cli(['import-battles', {str(battles)!r}], standalone_mode=False)\n"
        "print('scipy.stats' in sys.modules, 'scipy.integrate' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARENA_")}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=tmp_path,
                         env={**env, "ARENA_DB_PATH": str(tmp_path / "a.db"),
                              "ARENA_LOCAL_MODELS": "false"})  # fmt: skip
    assert "imported 1 battles" in out.stdout
    assert out.stdout.split()[-2:] == ["False", "False"]


@pytest.mark.parametrize("command", [["ratings"], ["snapshot", "list"], ["export-battles"],
                                     ["integrity", "flags"], ["snapshot", "create"]])  # fmt: skip
def test_a_command_on_a_database_that_does_not_exist_says_so_and_makes_none(tmp_path, command):
    """A mistyped --db made an empty database there and answered from it: "no counted votes",
    an empty list, an empty release."""
    typo = tmp_path / "typo.db"
    result = CliRunner().invoke(cli, [*command, "--db", str(typo)],
                                env={"ARENA_LOCAL_MODELS": "false"})  # fmt: skip
    assert result.exit_code == 1, result.output
    assert f"Error: there is no arena database at {typo}" in result.output
    assert list(tmp_path.iterdir()) == []


def test_quarantining_a_voter_the_arena_never_saw_or_without_a_reason_is_refused(voted_db):
    """A mistyped voter id was "quarantined" (and listed with 0 votes), and so was a voter
    quarantined with an empty reason."""
    db, roster = voted_db
    common = ["--db", str(db), "--roster", str(roster)]
    unknown = CliRunner().invoke(cli, ["integrity", "quarantine", "nosuchvoter", "--reason",
                                       "vote ring", *common])  # fmt: skip
    assert unknown.exit_code == 1, unknown.output
    assert "Error: there is no voter 'nosuchvoter'" in unknown.output
    blank = CliRunner().invoke(cli, ["integrity", "quarantine", "v", "--reason", " ", *common])
    known = CliRunner().invoke(cli, ["integrity", "quarantine", "v", "--reason", "ring", *common])
    assert known.exit_code == 0 and "v: quarantined" in known.output
    assert blank.exit_code == 1 and "Error: say why the voter is quarantined" in blank.output


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_skip_bad_rows_skips_a_value_that_is_no_row_in_every_reader(tmp_path, suffix):
    """A JSON array's value that is no object could not be skipped ("line 3: a row must be an
    object"), and in JSON lines it could only when another row was bad as well."""
    rows = [{"model_a": "alpha", "model_b": "beta", "winner": "model_a"}, [1, 2],
            {"model_a": "beta", "model_b": "gamma", "winner": "tie"}]  # fmt: skip
    path = tmp_path / f"votes{suffix}"
    if suffix == ".json":
        path.write_text("[\n" + ",\n".join(json.dumps(r) for r in rows) + "\n]\n")
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    line = 3 if suffix == ".json" else 2
    runner = CliRunner()
    ranked = runner.invoke(cli, ["ratings", "--from-file", str(path), "--skip-bad-rows",
                                 "--min-votes", "1"])  # fmt: skip
    assert ranked.exit_code == 0, ranked.output
    assert f"line {line}: a row must be an object" in ranked.output
    imported = runner.invoke(cli, ["import-battles", str(path), "--skip-bad-rows", "--db",
                                   str(tmp_path / "a.db")], env={"ARENA_LOCAL_MODELS": "false"})  # fmt: skip
    assert imported.exit_code == 0, imported.output
    assert f"line {line}: a row must be an object" in imported.output
    assert "imported 2 battles" in imported.output
    refused = runner.invoke(cli, ["ratings", "--from-file", str(path)])
    assert refused.exit_code == 1 and "--skip-bad-rows" in refused.output


@pytest.mark.parametrize(("column", "row"), [
    ("model_a", 'q2,"al\npha",beta,model_a,u2'), ("model_b", 'q2,alpha,"be\rta",model_a,u2'),
    ("judge", 'q2,alpha,beta,model_a,"u\n2"'), ("question_id", '"q\n2",alpha,beta,model_a,u2'),
])  # fmt: skip
def test_a_name_or_id_with_a_line_break_is_a_bad_row_in_every_reader(tmp_path, column, row):
    """import-battles stored a model name, judge or question_id with a line break inside, and
    every snapshot of the database failed from then on ("a text value holds a line break": a
    snapshot hashes each name as a line)."""
    path = tmp_path / "votes.csv"
    path.write_text("question_id,model_a,model_b,winner,judge\nq1,alpha,beta,tie,u1\n"
                    f"{row}\nq3,beta,alpha,model_b,u3\n", encoding="utf-8", newline="")  # fmt: skip
    runner, env = CliRunner(), {"ARENA_LOCAL_MODELS": "false"}
    commands = [["import-battles", str(path), "--db", str(tmp_path / "a.db")]]
    if column != "judge":  # a table's voters ratings never reads: it keeps none (votefile.py)
        commands.append(["ratings", "--from-file", str(path), "--min-votes", "1"])
    for command in commands:
        refused = runner.invoke(cli, command, env=env)
        assert refused.exit_code == 1, refused.output
        assert f"line 3: {column} holds a line break" in refused.output
    skipped = runner.invoke(cli, [*commands[0], "--skip-bad-rows"], env=env)
    assert skipped.exit_code == 0 and "imported 2 battles" in skipped.output, skipped.output
    made = runner.invoke(cli, ["snapshot", "create", "--db", str(tmp_path / "a.db")], env=env)
    assert made.exit_code == 0, made.output


def test_a_database_file_that_cannot_be_opened_is_one_error_line(tmp_path):
    """A --db that is no SQLite file, or under a file instead of a folder, was a traceback
    (sqlite3.DatabaseError, FileExistsError) from every command."""
    votes = tmp_path / "votes.csv"
    votes.write_text("model_a,model_b,winner\nx,y,model_a\n", encoding="utf-8")
    text = tmp_path / "notes.db"
    text.write_text("these are my notes, not a database\n" * 20, encoding="utf-8")
    runner, env = CliRunner(), {"ARENA_LOCAL_MODELS": "false"}
    every = (["import-battles", str(votes)], ["ratings"], ["snapshot", "list"])
    for db, says, commands in ((text, "file is not a database", every),
                               (votes / "arena.db", "votes.csv", every[:1])):  # fmt: skip
        for command in commands:
            result = runner.invoke(cli, [*command, "--db", str(db)], env=env)
            assert result.exit_code == 1, result.output
            assert result.output.startswith(f"Error: cannot open the SQLite database {db}")
            assert says in result.output and "Traceback" not in result.output
    assert text.read_text(encoding="utf-8").startswith("these are my notes")


def test_a_database_that_cannot_be_written_at_start_is_one_error_line(tmp_path, monkeypatch):
    """A read-only file (its owner another user) failed every command, read-only ones too,
    with a traceback from the first write at start ("attempt to write a readonly database")."""
    import sqlite3

    from arena.adapters.sqlite import SqliteStore

    votes = tmp_path / "votes.csv"
    votes.write_text("model_a,model_b,winner\nx,y,model_a\n", encoding="utf-8")
    runner, env = CliRunner(), {"ARENA_LOCAL_MODELS": "false"}
    db = str(tmp_path / "arena.db")
    assert runner.invoke(cli, ["import-battles", str(votes), "--db", db], env=env).exit_code == 0

    def read_only(self, *args, **kwargs):  # what a file of another owner, mode 444, answers
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(SqliteStore, "ensure_models", read_only)
    result = runner.invoke(cli, ["ratings", "--db", db], env=env)
    assert result.exit_code == 1, result.output
    assert result.output == ("Error: the database cannot be written: attempt to write a readonly "
                             "database\n")  # fmt: skip


def test_a_repeated_question_id_is_a_bad_row_to_ratings_as_to_import(tmp_path):
    """import-battles skipped a row that repeated an earlier row's question_id and ratings
    --from-file counted it: the same file, two boards."""
    path = tmp_path / "votes.csv"
    path.write_text("question_id,model_a,model_b,winner\nq1,alpha,beta,model_a\n"
                    "q2,beta,gamma,tie\nq1,gamma,alpha,model_b\n")  # fmt: skip
    runner = CliRunner()
    for command in (["ratings", "--from-file", str(path), "--min-votes", "1"],
                    ["import-battles", str(path), "--db", str(tmp_path / "a.db")]):  # fmt: skip
        refused = runner.invoke(cli, command, env={"ARENA_LOCAL_MODELS": "false"})
        assert refused.exit_code == 1, refused.output
        assert "line 4: question_id 'q1' already used on line 2" in refused.output
        skipped = runner.invoke(cli, [*command, "--skip-bad-rows"],
                                env={"ARENA_LOCAL_MODELS": "false"})  # fmt: skip
        assert skipped.exit_code == 0 and "skipped 1 bad rows" in skipped.output, skipped.output


@pytest.mark.parametrize(("column", "row"), [
    ("model_a", "q2,al\x00pha,beta,model_a,u2"), ("judge", "q2,alpha,beta,model_a,u\x002"),
    ("question_id", "q\x002,alpha,beta,model_a,u2"),
])  # fmt: skip
def test_a_name_or_id_with_a_nul_is_a_bad_row_in_every_reader(tmp_path, column, row):
    """PostgreSQL keeps no NUL: a name with one became U+FFFD there, so two names became one
    after copy-db (the copy failed) and a snapshot no longer verified across the two stores."""
    path = tmp_path / "votes.csv"
    path.write_text("question_id,model_a,model_b,winner,judge\nq1,alpha,beta,tie,u1\n"
                    f"{row}\nq3,beta,alpha,model_b,u3\n", encoding="utf-8")  # fmt: skip
    runner = CliRunner()
    commands = [["import-battles", str(path), "--db", str(tmp_path / "a.db")]]
    if column != "judge":  # a table's voters ratings never reads: it keeps none (votefile.py)
        commands.append(["ratings", "--from-file", str(path), "--min-votes", "1"])
    for command in commands:
        refused = runner.invoke(cli, command, env={"ARENA_LOCAL_MODELS": "false"})
        assert refused.exit_code == 1, refused.output
        assert f"line 3: {column} holds a NUL character" in refused.output


def test_a_misspelt_setting_in_the_environment_is_a_warning_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "arena", "ratings", "--db", str(tmp_path / "none.db")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "ARENA_MIN_VOTE": "50"},
    )  # fmt: skip
    assert (
        "Warning: ARENA_MIN_VOTE is not a setting and is ignored; did you mean ARENA_MIN_VOTES?"
        in result.stderr.splitlines()
    ), result.stderr
