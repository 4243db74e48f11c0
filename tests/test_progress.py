"""Progress bars (issue 10): every long command tells a (done, total) callback per batch, from the
reader or store up through the service to the CLI's bar on stderr, and its stdout carries the
same bytes with the bar as without it."""

import csv
import io
import itertools
import json
import os
import pty
import random
import re
import selectors
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import arena.cli as cli_module
from arena.cli import cli
from arena.formats.progress import PROGRESS_EVERY
from tests.conftest import roster_yaml

ROOT = Path(__file__).parent.parent
BATTLES = 25_000  # two full batches of PROGRESS_EVERY and a part
RESAMPLES = "20"  # the snapshots' bootstrap: small, the votes are what is large
SNAPSHOTS = {"ARENA_SNAPSHOT_INTERVALS": "bootstrap", "ARENA_SNAPSHOT_RESAMPLES": RESAMPLES}
MODELS = [f"model-{k}" for k in range(8)]
WINNERS = ["model_a", "model_b", "tie", "tie (bothbad)"]


def write_battles(path: Path, count: int = BATTLES) -> Path:
    """An LMArena-style battle table: ids, models, winner, judge, language, turn, time."""
    pick = random.Random(10)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["question_id", "model_a", "model_b", "winner", "judge", "language",
                         "turn", "tstamp"])  # fmt: skip
        for k in range(count):
            a, b = pick.sample(MODELS, 2)
            writer.writerow([f"q{k}", a, b, pick.choice(WINNERS), f"judge-{k % 500}",
                             pick.choice(["English", "Chinese"]), 1, 1.7e9 + k])  # fmt: skip
    return path


@pytest.fixture(scope="module")
def large_arena(tmp_path_factory, fake_server):
    """A database of BATTLES imported battles and a snapshot of them, its roster, the snapshot
    (JSON) and its released battles: the files `snapshot verify` reads."""
    folder = tmp_path_factory.mktemp("large")
    roster = folder / "roster.yaml"
    roster.write_text(roster_yaml(fake_server.base_url, dict.fromkeys(MODELS, "fake-echo")))
    db = folder / "arena.db"
    base = ["--db", str(db), "--roster", str(roster), "--no-local-models"]
    runner = CliRunner(env=SNAPSHOTS)
    table = write_battles(folder / "battles.csv")
    for args in (["import-battles", str(table), *base], ["snapshot", "create", *base],
                 ["snapshot", "export", *base, "-o", str(folder / "snapshot.json")],
                 ["export-battles", *base, "-o", str(folder / "released.json")]):  # fmt: skip
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
    return {"db": db, "roster": roster, "base": base, "table": table, "folder": folder,
            "snapshot": folder / "snapshot.json", "released": folder / "released.json"}  # fmt: skip


class Told(list):
    """(label, done, total) told to the bars; while not `on`, the bars are off (no callbacks)."""

    on = True


@pytest.fixture
def told(monkeypatch):
    """Every (label, done, total) the commands tell their bars, as if stderr were a terminal."""
    calls = Told()

    class RecordedBar(cli_module._progress_bar):
        def __init__(self, enabled: bool, label: str = "bootstrap"):
            super().__init__(enabled, label)
            self.enabled = enabled and calls.on  # whatever stderr is

        def update(self, done: int, total: int) -> None:
            calls.append((self.label, done, total))

    monkeypatch.setattr(cli_module, "_progress_bar", RecordedBar)
    return calls


def passes(told, label: str) -> list[list[tuple[int, int]]]:
    """The (done, total) told to one bar, as passes that each grow strictly up to their total."""
    found, current = [], []
    for name, done, total in told:
        if name == label:
            current.append((done, total))
            if done >= total:
                found.append(current)
                current = []
    assert not current, f"{label}: a pass that never reached its total: {current}"
    for one in found:
        dones = [done for done, _ in one]
        assert len({total for _, total in one}) == 1, one
        assert all(a < b for a, b in itertools.pairwise(dones)), one
        assert dones[-1] == one[0][1], one
    return found


def invoke(args, env=None):
    result = CliRunner(env=env).invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def without_bars(told: Told, args, env=None) -> bytes:
    """The command's stdout when stderr is not a terminal (no callback anywhere)."""
    told.on, before = False, len(told)
    try:
        return invoke(args, env).stdout_bytes
    finally:
        told.on = True
        assert len(told) == before, "a callback was given though the bar was off"


# -- the bar itself ------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_shows_on_stderr_only_on_a_terminal_and_ends_when_its_pass_does(monkeypatch):
    stdout, stderr = io.StringIO(), Terminal()
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    with cli_module._progress_bar(True, "read") as progress:
        for done, total in ((5, 10), (10, 10), (3, 6), (6, 6)):  # two passes over a file
            progress(done, total)
        assert stderr.getvalue().count("100%") == 2, "each pass ended its own bar"
    assert stderr.getvalue().count("read") >= 2 and stdout.getvalue() == ""
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with cli_module._progress_bar(True, "read") as progress:
        assert progress is None, "no terminal: no callback, so no work to feed it"


# -- readers -------------------------------------------------------------------------------------


def write_as(table: Path, suffix: str) -> Path:
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    path = table.with_suffix(suffix)
    if suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    else:
        path.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".json"])
def test_reading_a_vote_file_tells_its_progress_per_batch_and_reads_the_same(tmp_path, suffix):
    from arena.formats.votefile import read_vote_columns

    path = write_battles(tmp_path / "votes.csv", 60_000)  # 4 MiB: pyarrow reads blocks of 1 MiB
    path = path if suffix == ".csv" else write_as(path, suffix)
    told = []
    votes = read_vote_columns(path, progress=lambda *t: told.append(("read", *t)))
    [one] = passes(told, "read")
    assert 3 <= len(one) <= 60_000 // PROGRESS_EVERY * 2 + 3, "per batch, never per row"
    again = read_vote_columns(path)
    assert votes.models == again.models
    assert (votes.model_a == again.model_a).all() and (votes.verdict == again.verdict).all()


def test_a_json_battle_file_is_told_as_read_then_as_checked_row_by_row(tmp_path):
    from arena.formats.battle_data import read_battle_file

    path = write_as(write_battles(tmp_path / "battles.csv"), ".json")
    told = []
    votes = read_battle_file(path, progress=lambda *t: told.append(("read", *t)))
    read, checked = passes(told, "read")
    assert checked[-1] == (BATTLES, BATTLES) and len(checked) == BATTLES // PROGRESS_EVERY + 1
    assert votes == read_battle_file(path)


# -- commands ------------------------------------------------------------------------------------


def old_export_votes(rows: list[dict], fmt: str) -> bytes:
    """What export-votes wrote before the bar: every row in memory, then json.dump or csv."""
    out = io.StringIO(newline="")
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        columns = [c for c in (rows[0] if rows else {}) if c != "turns"] + ["prompt", "turn_count"]
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            turns = row.pop("turns")
            writer.writerow(
                {**row, "prompt": turns[0]["prompt"] if turns else "", "turn_count": len(turns)}
            )
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_votes_tells_battles_written_and_writes_what_it_wrote_before(large_arena, told, fmt):
    from arena.adapters.sqlite import SqliteStore

    args = ["export-votes", *large_arena["base"], "--format", fmt]
    shown = invoke(args).stdout_bytes
    [one] = passes(told, "export")
    assert one[-1] == (BATTLES, BATTLES) and len(one) == BATTLES // PROGRESS_EVERY + 1
    store = SqliteStore(large_arena["db"])
    try:
        before = old_export_votes(list(store.export_rows()), fmt)
    finally:
        store.close()
    assert shown == before


def test_export_votes_of_an_empty_arena_is_what_it_was(tmp_path, told, fake_server):
    roster = tmp_path / "roster.yaml"
    roster.write_text(roster_yaml(fake_server.base_url, {"alpha": "fake-echo"}))
    base = ["--db", tmp_path / "empty.db", "--roster", roster, "--no-local-models"]
    from arena.adapters.sqlite import SqliteStore

    SqliteStore(tmp_path / "empty.db").close()  # an arena with no votes yet
    assert invoke(["export-votes", *base]).stdout_bytes == old_export_votes([], "json")
    assert invoke(["export-votes", *base, "--format", "csv"]).stdout_bytes == old_export_votes(
        [], "csv"
    )
    assert told == []


def test_export_battles_tells_battles_written(large_arena, told):
    args = ["export-battles", *large_arena["base"]]
    shown = invoke(args).stdout_bytes
    [one] = passes(told, "export")
    assert one[-1] == (BATTLES, BATTLES) and len(one) == BATTLES // PROGRESS_EVERY + 1
    assert shown == large_arena["released"].read_bytes()


def test_snapshot_verify_tells_the_reading_then_the_bootstrap(large_arena, told):
    args = ["snapshot", "verify", large_arena["snapshot"], "--battles", large_arena["released"]]
    shown = invoke(args).stdout_bytes
    assert b"\nverified\n" in shown
    read, checked = passes(told, "read")  # the JSON text, then its rows
    assert checked[-1] == (BATTLES, BATTLES)
    [bootstrap] = passes(told, "bootstrap")
    categories = len(json.loads(large_arena["snapshot"].read_text())["boards"])
    assert bootstrap[-1][1] >= int(RESAMPLES) * (categories - 1)  # style: no conversations
    assert shown == without_bars(told, args)


def test_ratings_from_a_file_tells_the_reading_then_the_bootstrap(large_arena, told):
    args = ["ratings", "--from-file", large_arena["table"], "--method", "bt", "--bootstrap", "30",
            "--format", "csv"]  # fmt: skip
    shown = invoke(args).stdout_bytes
    [read] = passes(told, "read")
    assert read[-1][0] == large_arena["table"].stat().st_size, "the bytes of the table"
    assert passes(told, "bootstrap")[-1][-1] == (30, 30)
    assert shown.startswith(b"model,rating,lower,upper,rank_ub,votes\n")
    assert shown == without_bars(told, args)


def test_import_battles_tells_the_reading_then_the_writing(large_arena, tmp_path, told):
    base = ["--db", tmp_path / "new.db", "--roster", large_arena["roster"], "--no-local-models"]
    shown = invoke(["import-battles", large_arena["table"], *base]).stdout_bytes
    assert len(passes(told, "read")) == 1
    assert passes(told, "import")[-1][-1] == (BATTLES, BATTLES)
    assert shown == f"imported {BATTLES} battles from battles.csv\n".encode()


def write_answers(path: Path, count: int = 2_500) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["prompt", "answer"])
        for k in range(count):
            prompt = "who are you?" if k % 7 == 0 else f"question {k}: explain recursion"
            answer = "I am ChatGPT, made by OpenAI." if k % 11 == 0 else "Recursion repeats. " * 40
            writer.writerow([prompt, answer])
    return path


def test_integrity_scan_tells_the_reading_then_the_scanning(tmp_path, told):
    from arena.integrity.scan import PROGRESS_EVERY as SCAN_EVERY

    answers = write_answers(tmp_path / "answers.csv")
    args = ["integrity", "scan", answers]
    shown = invoke(args).stdout_bytes
    [read] = passes(told, "read")
    assert len(read) >= 2 and read[-1][0] == answers.stat().st_size
    [scan] = passes(told, "scan")
    assert [done for done, _ in scan] == [*range(SCAN_EVERY, 2_500, SCAN_EVERY), 2_500]
    assert shown == without_bars(told, args)
    assert b"true,false" in shown and b"false,true" in shown


def test_models_check_tells_each_model_checked(large_arena, told):
    args = ["models", "--roster", large_arena["roster"], "--db", large_arena["folder"] / "m.db"]
    shown = invoke(args).stdout_bytes
    assert passes(told, "check") == [[(k, len(MODELS)) for k in range(len(MODELS) + 1)]]
    assert shown.count(b"reachable") == len(MODELS)
    latency = re.compile(rb"answered in [0-9.]+ s")  # the one part that differs between calls
    assert latency.sub(b"", shown) == latency.sub(b"", without_bars(told, args))
    told.clear()
    assert invoke([*args, "--no-check"]).stdout_bytes.count(b"model-") == len(MODELS)
    assert told == [], "--no-check calls no model"


def test_copy_db_tells_rows_copied_over_all_tables(large_arena, told, postgres_url):
    from tests.postgres import empty_database

    args = ["copy-db", "--db", large_arena["db"], "--to", postgres_url]
    shown = invoke(args).stdout_bytes
    [copy] = passes(told, "copy")
    copied = int(shown.split(b"copied ")[1].split()[0])
    assert copy[-1] == (copied, copied) and len(copy) <= copied // PROGRESS_EVERY + 1
    empty_database(postgres_url)
    assert shown == without_bars(told, args)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_both_stores_tell_the_export_per_batch(tmp_path, backend, request):
    from arena.adapters.postgres import PostgresStore
    from arena.adapters.sqlite import SqliteStore
    from arena.formats.battle_columns import read_battle_columns

    if backend == "sqlite":
        store = SqliteStore(tmp_path / "store.db")
    else:
        store = PostgresStore(request.getfixturevalue("postgres_url"))
    try:
        battles = read_battle_columns(write_battles(tmp_path / "battles.csv", 3_000))
        store.import_battles(battles, source="import:battles.csv")
        told = []
        rows = list(store.export_rows(progress=lambda *t: told.append(("export", *t))))
        [one] = passes(told, "export")
        assert len(rows) == 3_000 and one[-1] == (3_000, 3_000) and len(one) <= 3_000 // 100
        assert rows == list(store.export_rows())
    finally:
        store.close()


# -- on a real terminal --------------------------------------------------------------------------


def run_with_stderr(args: list, *, terminal: bool, env: dict) -> tuple[bytes, bytes]:
    """(stdout, stderr) of `python -m arena ARGS`, stderr a pseudo-terminal or a pipe."""
    command = [sys.executable, "-m", "arena", *map(str, args)]
    env = {**os.environ, **env}
    if not terminal:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout, done.stderr
    main, side = pty.openpty()
    with tempfile.TemporaryFile() as out:  # a file, not a pipe: stdout can never block the bar
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=side)  # fmt: skip
        os.close(side)
        shown = b""
        terminal = selectors.PollSelector()
        terminal.register(main, selectors.EVENT_READ)
        while True:  # read the terminal until the command has ended and said everything
            # poll, not select: a suite that has opened 1,024 files gives the terminal a number
            # select() refuses ("filedescriptor out of range")
            ready = terminal.select(0.5)
            chunk = b""
            if ready:
                try:
                    chunk = os.read(main, 1 << 16)
                except OSError:  # EIO: the command's side is closed
                    chunk = b""
                shown += chunk
            if not chunk and process.poll() is not None:
                break
        assert process.wait(timeout=300) == 0, shown
        terminal.close()
        os.close(main)
        out.seek(0)
        return out.read(), shown


@pytest.mark.parametrize(
    "command, labels",
    [
        (["export-votes", "--format", "csv"], ["export"]),
        (["export-battles"], ["export"]),
        (["ratings", "--from-file", "{table}", "--bootstrap", "10", "--format", "json"],
         ["read", "bootstrap"]),
        (["snapshot", "verify", "{snapshot}", "--battles", "{released}"], ["read", "bootstrap"]),
    ],
)  # fmt: skip
def test_on_a_terminal_the_bars_go_to_stderr_and_stdout_is_the_same_bytes(
    large_arena, command, labels
):
    files = {k: str(v) for k, v in large_arena.items() if isinstance(v, Path)}
    args = [part.format(**files) for part in command]
    if args[0] in ("export-votes", "export-battles"):
        args += [str(a) for a in large_arena["base"]]
    piped, quiet = run_with_stderr(args, terminal=False, env=SNAPSHOTS)
    shown, bars = run_with_stderr(args, terminal=True, env=SNAPSHOTS)
    assert shown == piped and len(shown) > 0
    for label in labels:
        assert f"{label}  [".encode() in bars and b"100%" in bars, bars[-500:]
    assert b"%" not in quiet, "no bar when stderr is a pipe"


def test_snapshot_create_tells_the_votes_read_even_with_sandwich_intervals(
    large_arena, told, monkeypatch
):
    """The default intervals need no bootstrap: the bar follows the votes read and hashed (a
    million a batch from SQLite's column copy; here as many as the bar's steps)."""
    import arena.adapters.sqlite.vote_copy as vote_copy

    monkeypatch.setattr(vote_copy, "BATCH", PROGRESS_EVERY)
    shown = invoke(["snapshot", "create", *large_arena["base"]],
                   env={"ARENA_SNAPSHOT_INTERVALS": "sandwich"}).stdout_bytes  # fmt: skip
    [read] = passes(told, "read")
    assert read[-1] == (BATTLES, BATTLES) and len(read) == BATTLES // PROGRESS_EVERY + 1
    assert passes(told, "bootstrap") == []
    assert b"snapshot " in shown
