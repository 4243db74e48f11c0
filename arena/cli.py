"""The maintainers' command line (click). Each command's docstring is its help, with an example."""

from __future__ import annotations

import asyncio
import csv
import itertools
import json
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack, contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from arena.config import SettingsError, load_settings, misspelt_settings
from arena.domain.roster import RosterError
from arena.rankings import CATEGORIES
from arena.version import package_version


def settings_options(command: Callable) -> Callable:
    """Options shared by every command that opens the arena."""
    for option in reversed(
        (
            click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
                         help="SQLite file [env ARENA_DB_PATH; default data/arena.db]"),
            click.option("--roster", "roster_path", type=click.Path(exists=True, dir_okay=False,
                         path_type=Path), help="litellm proxy config YAML with a model_list "
                         "[env ARENA_ROSTER_PATH; default: detect from API keys + local models]"),
            click.option("--local-models/--no-local-models", default=None,
                         help="serve the offline SmolLM2 models [default: on]"),
            click.option("--setting", "setting", type=(str, str), multiple=True,
                         metavar="NAME VALUE", help="any setting by name, e.g. --setting "
                         "pow_bits 20 (repeatable; every setting: docs/settings.md)"),
        )
    ):  # fmt: skip
        command = option(command)
    return command


LOW_PRIORITY = 10  # niceness of `snapshot create --low-priority`'s recompute (0 normal, 19 lowest)

json_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
    help="a table to read, or JSON for scripts",
)  # fmt: skip


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


skip_bad_rows_option = click.option(
    "--skip-bad-rows", is_flag=True,
    help="leave out bad rows (self-battles, unknown winners, missing models), listing each",
)  # fmt: skip


def _settings(setting: tuple[tuple[str, str], ...] = (), **overrides: Any):
    """Defaults → ARENA_* environment → `--setting NAME VALUE` → the command's own flags."""
    named = {name.strip().lower().replace("-", "_"): value for name, value in setting}
    for line in misspelt_settings():
        click.echo(f"Warning: {line}", err=True)
    try:
        return load_settings(**named).with_overrides(**overrides)
    except SettingsError as error:
        raise click.UsageError(str(error)) from None


def _points(value: float) -> float:
    """A tolerance in rating points: finite, 0 or more (NaN would accept any difference)."""
    if not (math.isfinite(value) and value >= 0):
        raise click.BadParameter(f"must be a number of rating points, 0 or more, not {value}")
    return value


@contextmanager
def _open(settings, *, start_local_models: bool, creates: bool = False):
    """The arena of `settings`; an unusable roster file or a database that cannot be opened is
    one `Error:` line, not a traceback. Only a command that `creates` it (serve, models,
    import-battles) makes a new SQLite file: any other reads or changes an arena that exists,
    and a mistyped --db made an empty one and answered from it ("no counted votes", [])."""
    from arena.bootstrap import create_arena
    from arena.service import StoreUnavailable

    path = settings.sqlite_path
    if not creates and path is not None and not path.exists():
        raise click.ClickException(
            f"there is no arena database at {path} (serve or import-battles makes one)"
        )
    with ExitStack() as stack:
        try:
            arena = stack.enter_context(
                create_arena(settings, start_local_models=start_local_models)
            )
        except (RosterError, StoreUnavailable) as error:
            raise click.ClickException(str(error)) from None
        yield arena


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=package_version(), prog_name="arena")
def cli() -> None:
    """arena: a self-hostable, blind pairwise voting arena for language models.

    Every setting can also be given as an ARENA_* environment variable (see README).

    Example: python -m arena serve --port 7860
    """


@cli.command()
@settings_options
@click.option("--host", help="address to bind [env ARENA_HOST; default 127.0.0.1]")
@click.option("--port", type=int, help="port to listen on [env ARENA_PORT; default 7860]")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="worker processes, on ports PORT+1 … PORT+N behind nginx on PORT "
              "(docs/deploy.md)")  # fmt: skip
def serve(workers: int, **overrides: Any) -> None:
    """Start the web app (arena, side-by-side, direct chat, leaderboard).

    With no roster, every provider whose API key is set is used, plus an Ollama server on
    localhost if it answers, plus two offline SmolLM2 configurations served by llama.cpp.
    With --workers N, N processes of the app share the database behind nginx; a worker that
    dies is restarted.

    Example: python -m arena serve --db data/arena.db --port 7860
    """
    from arena.web.app import WebServer, build_app, settle_heap

    settings = _settings(**overrides)
    if workers > 1:
        from arena.web.workers import WorkersError, serve_workers

        try:
            serve_workers(settings, workers, say=click.echo)
        except WorkersError as error:
            raise click.ClickException(str(error)) from None
        return
    # Ctrl-C and `kill` both stop cleanly (local model servers closed, database closed), also
    # when started as a background job, which inherits SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    from arena.web.workers import port_problem

    problem = port_problem(settings.host, settings.port)
    if problem:  # before the models start: uvicorn's own error came after them, as a traceback
        raise click.ClickException(problem)
    with _open(settings, start_local_models=True, creates=True) as arena:
        server = WebServer(build_app(arena), host=settings.host, port=settings.port).start()
        settle_heap()
        names = ", ".join(arena.model_names())
        click.echo(f"arena: {len(arena.model_names())} models ({names})")
        click.echo(f"arena: serving on {server.url}  (Ctrl-C stops)")
        try:
            server.wait()
        except KeyboardInterrupt:
            click.echo("arena: stopping")
        finally:
            server.stop()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@cli.command()
@settings_options
@click.option("--check/--no-check", default=True, help="call each model to see if it answers")
@json_option
def models(check: bool, fmt: str, **overrides: Any) -> None:
    """List the roster and whether each model is reachable.

    Example: python -m arena models --roster litellm_config.yaml
    """
    settings = _settings(**overrides)
    with _open(settings, start_local_models=check, creates=True) as arena:
        if not arena.model_names():
            click.echo("Error: no models in the roster: set a provider's API key, give --roster "
                       "FILE, or turn the local models on (ARENA_LOCAL_MODELS=true)", err=True)  # fmt: skip
            sys.exit(1)
        if not check:
            if fmt == "json":
                _echo_json([{"name": name} for name in arena.model_names()])
                return
            for name in arena.model_names():
                click.echo(name)
            return

        async def check(progress):
            try:
                return await arena.check_models(progress=progress)
            finally:
                await arena.aclose()

        with _progress_bar(True, "check") as progress:
            statuses = asyncio.run(check(progress))
    if fmt == "json":
        _echo_json([asdict(status) for status in statuses])
        sys.exit(0 if all(s.reachable for s in statuses) else 1)
    width = max(len(s.name) for s in statuses)
    for status in statuses:
        mark = "reachable  " if status.reachable else "UNREACHABLE"
        click.echo(f"{status.name:<{width}}  {mark}  {status.organisation}  {status.detail}")
    if not all(s.reachable for s in statuses):
        sys.exit(1)


@cli.command()
@settings_options
@click.option(
    "--method",
    type=click.Choice(["bt", "trueskill", "both"]),
    default="both",
    show_default=True,
    help="Bradley–Terry with 95% CIs, TrueSkill replay, or both",
)
@click.option(
    "--bootstrap",
    type=click.IntRange(min=0),
    default=None,
    help="bootstrap resamples for the BT intervals; given alone, it asks for bootstrap "
    "intervals (0: sandwich) [default: ARENA_SNAPSHOT_RESAMPLES, 1000]",
)
@click.option(
    "--intervals",
    type=click.Choice(["bootstrap", "sandwich", "reweighted"]),
    default=None,
    help="BT 95% intervals: bootstrap resamples, the closed-form sandwich, or LMArena's "
    "inverse-frequency reweighted fit with its sandwich (changes the ratings too) "
    "[default: as snapshots, ARENA_SNAPSHOT_INTERVALS (sandwich); bootstrap with --bootstrap N]",
)
@click.option(
    "--category",
    "categories",
    multiple=True,
    type=click.Choice(CATEGORIES),
    help="rank only this category's votes (repeatable) [default: overall]",
)
@click.option(
    "--from-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="rank a CSV/TSV/JSON/JSONL/Parquet vote file (model_a, model_b, winner) instead of the DB",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="output format",
)
@click.option("--seed", type=int, default=0, show_default=True, help="bootstrap random seed")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="processes for the bootstrap (the same result; 2 on two cores halves it)",
)
@click.option(
    "--min-votes",
    type=click.IntRange(min=0),
    default=None,
    help="models with fewer votes are marked provisional [env ARENA_MIN_VOTES; default 100]",
)
@skip_bad_rows_option
def ratings(
    method,
    bootstrap,
    intervals,
    categories,
    from_file,
    fmt,
    seed,
    workers,
    min_votes,
    skip_bad_rows,
    **overrides,
) -> None:
    """Rank the stored votes (or a vote file) with Bradley–Terry and/or TrueSkill.

    Ranking the database also recomputes the live TrueSkill table from every counted vote, in
    the order cast. A vote file's `winner` is model_a, model_b, tie or tie (bothbad) (FastChat /
    LMArena spelling); other columns are ignored; malformed rows are reported by line. CSV
    columns are model,rating,lower,upper,rank_ub,votes (bt) or model,mu,sigma,conservative,votes
    (trueskill).

    --intervals reweighted is LMArena's official method since July 2025: every vote weighs
    1 / max(votes of its model pair, 50), so each pair counts as if all pairs had met equally
    often, and the intervals are that fit's sandwich (closed form, milliseconds). Its ratings
    differ from the plain fit's (docs/ratings.md).

    Example: python -m arena ratings --method bt --bootstrap 1000 --category chinese --format csv
    """
    from arena.formats.votefile import VoteFileError, read_vote_columns
    from arena.rankings import RankingError, rank_votes

    categories = categories or ("overall",)
    skipped = _SkippedRows(from_file)
    if fmt == "csv" and (method == "both" or len(categories) > 1):
        raise click.UsageError(
            "--format csv needs one --method (bt or trueskill) and one --category"
        )
    settings = _settings(min_votes=min_votes, **overrides)
    if bootstrap and intervals in ("sandwich", "reweighted"):  # its resamples went unused
        raise click.UsageError(f"--bootstrap {bootstrap} asks for bootstrap intervals; "
                               f"--intervals {intervals} takes no resamples")  # fmt: skip
    if intervals is None:  # the official board's method, unless resamples are asked for
        if bootstrap is None:
            intervals = settings.snapshot_intervals
        else:
            intervals = "bootstrap" if bootstrap > 0 else "sandwich"
    if bootstrap is None:
        bootstrap = settings.snapshot_resamples
    options = dict(method=method, categories=categories, bootstrap=bootstrap,
                   intervals=intervals, seed=seed, min_votes=settings.min_votes,
                   workers=workers)  # fmt: skip
    resampling = intervals == "bootstrap"
    try:
        with _progress_bar(method != "trueskill" and resampling) as progress:
            if from_file is not None:
                votes = _read_shown(read_vote_columns, from_file, skipped.append_if(skip_bad_rows))
                skipped.report("votes")
                result = rank_votes(votes, progress=progress, **options)
            else:
                with _open(settings, start_local_models=False) as arena:
                    result = arena.rank(progress=progress, **options)
                    if method != "bt":
                        arena.recompute_ratings()
    except VoteFileError as error:
        raise click.ClickException(_rejected(error)) from None
    except RankingError as error:
        raise click.UsageError(str(error)) from None
    _print_rankings(result, categories, fmt)


def _read_shown(read: Callable, path: Path, on_bad_row) -> Any:
    """`read(path, on_bad_row=on_bad_row)` with a progress bar on stderr as the file is read."""
    with _progress_bar(True, "read") as progress:
        return read(path, on_bad_row=on_bad_row, progress=progress)


class _SkippedRows:
    """The bad rows `--skip-bad-rows` left out, reported on stderr (by row number in Parquet)."""

    def __init__(self, file: Path | None):
        from arena.formats.columns import position_word

        self.unit = position_word(file) if file else "line"
        self.rows: list[tuple[int, str]] = []

    def append_if(self, wanted: bool):
        return self.append if wanted else None

    def append(self, line: int, reason: str) -> None:
        self.rows.append((line, reason))

    def report(self, what: str) -> None:
        if self.rows:
            click.echo(f"skipped {len(self.rows)} bad rows, kept the other {what}:", err=True)
            for line, reason in self.rows:
                click.echo(f"  {self.unit} {line}: {reason}", err=True)


def _rejected(error) -> str:
    """A rejected file's report, ending with how to leave its bad rows out when that can be."""
    if not getattr(error, "skippable", False):
        return str(error)
    return f"{error}\nRun again with --skip-bad-rows to leave the bad rows out"


def _at_low_priority(work: Callable[[], Any]) -> Any:
    """`work()` in a thread of its own at niceness LOW_PRIORITY (on Linux a thread has its own),
    so that the rest of this process (the write after it, which holds the database's writers'
    lock) keeps the normal priority: a write at a low one could wait for the CPU while votes
    wait for it."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            if sys.platform.startswith("linux"):  # elsewhere the id would name a process
                me = threading.get_native_id()
                niceness = max(LOW_PRIORITY, os.getpriority(os.PRIO_PROCESS, me))
                os.setpriority(os.PRIO_PROCESS, me, niceness)
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
            outcome["error"] = error

    # a daemon: a stop (SIGTERM) in the middle of a recompute does not wait for its end
    thread = threading.Thread(target=run, name="low-priority", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


class _progress_bar:
    """A click progress bar on stderr fed by the engine's (done, total) callback. A bar ends when
    done reaches total, so the next stage's bar (or the next pass over a file) starts below it."""

    def __init__(self, enabled: bool, label: str = "bootstrap"):
        self.enabled = enabled and sys.stderr.isatty()
        self.label = label
        self.bar = None

    def __enter__(self):
        return self.update if self.enabled else None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)
        if done >= total:
            self.bar, bar = None, self.bar
            bar.__exit__(None, None, None)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _bt_rows(board) -> list[dict]:
    """Rows at full precision (JSON keeps them so; CSV rounds, see CSV_DIGITS)."""
    return [
        {"model": r.model, "rating": float(r.rating), "lower": float(r.lower),
         "upper": float(r.upper), "rank_ub": r.rank_ub, "rank_lb": r.rank_lb, "votes": r.votes,
         "provisional": r.provisional}
        for r in board.rows
    ]  # fmt: skip


def _trueskill_rows(result) -> list[dict]:
    order = sorted(range(len(result.models)), key=lambda i: -result.conservative[i])
    return [
        {"model": result.models[i], "mu": float(result.mu[i]), "sigma": float(result.sigma[i]),
         "conservative": float(result.conservative[i]), "votes": int(result.votes[i])}
        for i in order
        if result.votes[i] > 0
    ]  # fmt: skip


def _rounded(row: dict) -> dict:
    return {k: round(v, CSV_DIGITS[k]) if k in CSV_DIGITS else v for k, v in row.items()}


def _print_rankings(result, categories, fmt: str) -> None:
    tables = {
        category: {
            "bt": _bt_rows(result.bt[category]) if result.bt else None,
            "trueskill": _trueskill_rows(result.trueskill[category]) if result.trueskill else None,
        }
        for category in categories
    }
    if fmt == "json":
        click.echo(json.dumps({"votes": result.votes, "categories": tables}, indent=1))
        return
    if fmt == "csv":
        (table,) = tables.values()
        rows = table["bt"] if table["bt"] is not None else table["trueskill"]
        columns = BT_CSV if table["bt"] is not None else TRUESKILL_CSV
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore",
                                lineterminator="\n")  # fmt: skip
        writer.writeheader()
        writer.writerows(_rounded(row) for row in rows)
        return
    for category, table in tables.items():
        click.echo(f"== {category} ==")
        if table["bt"] is not None:
            click.echo(f"{'rank':>4}  {'model':<32} {'rating':>8}  {'95% CI':>17} {'votes':>7}")
            for r in table["bt"]:
                mark = "  provisional" if r["provisional"] else ""
                ci = f"{r['lower']:.1f}–{r['upper']:.1f}"
                click.echo(f"{r['rank_ub']:>4}  {r['model']:<32} {r['rating']:8.1f}  {ci:>17} "
                           f"{r['votes']:>7}{mark}")  # fmt: skip
        if table["trueskill"] is not None:
            click.echo(f"{'model':<32} {'mu':>8} {'sigma':>7} {'mu-3s':>8} {'votes':>7}")
            for r in table["trueskill"]:
                click.echo(f"{r['model']:<32} {r['mu']:8.3f} {r['sigma']:7.3f} "
                           f"{r['conservative']:8.3f} {r['votes']:>7}")  # fmt: skip


BT_CSV = ["model", "rating", "lower", "upper", "rank_ub", "votes"]
TRUESKILL_CSV = ["model", "mu", "sigma", "conservative", "votes"]
CSV_DIGITS = {"rating": 2, "lower": 2, "upper": 2, "mu": 4, "sigma": 4, "conservative": 4}


@cli.command("export-votes")
@settings_options
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
              show_default=True, help="JSON keeps every turn; CSV has one row per battle")  # fmt: skip
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="file to write [default: standard output]")  # fmt: skip
def export_votes(fmt: str, output, **overrides: Any) -> None:
    """Export battles and their votes (verdict, counted, reason) as JSON or CSV.

    Example: python -m arena export-votes --format csv -o votes.csv
    """
    settings = _settings(**overrides)
    with (
        _progress_bar(True, "export") as progress,
        _open(settings, start_local_models=False) as arena,
    ):
        rows = iter(arena.export_votes(progress=progress))  # each row read as it is written
        if fmt == "json":
            _write_json_array(rows, output)
            return
        first = next(rows, None)
        columns = [c for c in (first or {}) if c != "turns"] + ["prompt", "turn_count"]
        writer = csv.DictWriter(output, fieldnames=columns)
        writer.writeheader()
        for row in itertools.chain([first] if first else [], rows):
            turns = row.pop("turns")
            writer.writerow(
                {**row, "prompt": turns[0]["prompt"] if turns else "", "turn_count": len(turns)}
            )


def _write_json_array(rows: Iterable[dict], output) -> None:
    """What `json.dump(list(rows), output, ensure_ascii=False, indent=1)` and a newline write,
    a row at a time: a large arena's rows are never all in memory."""
    before = "[\n "
    for row in rows:
        output.write(before + json.dumps(row, ensure_ascii=False, indent=1).replace("\n", "\n "))
        before = ",\n "
    output.write("[]\n" if before == "[\n " else "\n]\n")


@cli.group()
def snapshot() -> None:
    """Official leaderboard snapshots: create, list, show changes, export, verify.

    Example: python -m arena snapshot create
    """


@snapshot.command("create")
@settings_options
@click.option(
    "--if-due",
    is_flag=True,
    help="only if the schedule (snapshot_every_votes, snapshot_every_hours) calls for "
    "one and no other process is making one (the web server runs this by itself)",
)
@click.option("--low-priority", is_flag=True,
              help="recompute at a low CPU priority, so that a server on the same machine keeps "
              "its speed (the short write that follows runs at the normal one)")  # fmt: skip
def snapshot_create(if_due: bool, low_priority: bool, **overrides: Any) -> None:
    """Recompute BT with 95% CIs, rank (UB), every category, style control and TrueSkill over the
    counted anonymous votes and store an immutable snapshot with its manifest.

    Example: python -m arena snapshot create --db data/arena.db
    """
    settings = _settings(**overrides)
    with (
        _progress_bar(not if_due, "read") as reading,
        _progress_bar(not if_due) as progress,
        _open(settings, start_local_models=False) as arena,
    ):
        try:
            recompute_in = _at_low_priority if low_priority else None
            if if_due:
                made = arena.create_snapshot_if_due(recompute_in=recompute_in)
            else:
                made = arena.create_snapshot(
                    progress=progress, reading=reading, recompute_in=recompute_in
                )
        except ValueError as error:
            raise click.ClickException(str(error)) from None
    if made is None:
        click.echo(f"no snapshot is due (snapshot_every_votes={settings.snapshot_every_votes}, "
                   f"snapshot_every_hours={settings.snapshot_every_hours})")  # fmt: skip
        return
    m = made.manifest
    click.echo(f"snapshot {m.snapshot_id}: {m.votes} votes, sha256 {m.vote_set_sha256}")
    click.echo(f"boards: {', '.join(made.boards)}")


@snapshot.command("schedule")
@settings_options
@click.option("--every", "every_s", type=click.FloatRange(min=0.1), default=60.0,
              show_default=True, help="seconds between two looks at the schedule")  # fmt: skip
@click.option("--stop-with", "server_pid", type=int, hidden=True,
              help="the server that started it: stop when that process is gone")  # fmt: skip
def snapshot_schedule(every_s: float, server_pid: int | None, **overrides: Any) -> None:
    """Create snapshots by the schedule (snapshot_every_votes, snapshot_every_hours) until
    stopped: every --every seconds, one if it is due and no other process is making one. The
    recompute runs at a low CPU priority, the short write at the normal one. The web server
    runs this beside itself; it stops when the process that started it ends.

    Example: python -m arena snapshot schedule --db data/arena.db
    """
    settings = _settings(**overrides)
    signal.signal(signal.SIGTERM, _interrupt)
    # The server names itself: asked only now, after the imports, the parent may already be
    # gone (a server stopped during them), and the schedule would wait for init to end.
    parent = server_pid or os.getppid()
    with _open(settings, start_local_models=False) as arena:
        try:
            while os.getppid() == parent:  # a server killed outright leaves no schedule behind
                try:
                    made = arena.create_snapshot_if_due(recompute_in=_at_low_priority)
                except ValueError as error:
                    click.echo(f"no snapshot: {error}", err=True)
                    made = None
                if made is not None:
                    m = made.manifest
                    click.echo(f"snapshot {m.snapshot_id}: {m.votes} votes, "
                               f"sha256 {m.vote_set_sha256}")  # fmt: skip
                deadline = time.monotonic() + every_s
                while time.monotonic() < deadline and os.getppid() == parent:
                    time.sleep(min(1.0, every_s))
        except KeyboardInterrupt:
            pass


@snapshot.command("list")
@settings_options
@json_option
def snapshot_list(fmt: str, **overrides: Any) -> None:
    """List snapshots, newest first, with vote counts and vote-set hashes.

    Example: python -m arena snapshot list
    """
    with _open(_settings(**overrides), start_local_models=False) as arena:
        rows = arena.snapshots()
    if fmt == "json":
        _echo_json(rows)
        return
    for row in rows:
        click.echo(f"{row['id']}  {row['created_at']}  {row['votes']:>8} votes  "
                   f"{row['vote_set_sha256'][:16]}")  # fmt: skip


@snapshot.command("changes")
@settings_options
@click.argument("snapshot_id", required=False)
@click.option("--category", default="overall", show_default=True, help="board to compare")
@json_option
def snapshot_changes(snapshot_id, category, fmt: str, **overrides: Any) -> None:
    """What changed since the previous snapshot: every model's rank and rating change, whether
    it is beyond noise (|Δ| / √(se₁² + se₂²) > 1.96), and new, missing or retired models.

    Example: python -m arena snapshot changes --category chinese
    """
    from arena.service import SnapshotNotFound, UnknownCategory

    with _open(_settings(**overrides), start_local_models=False) as arena:
        try:
            changes = arena.snapshot_changes(snapshot_id, category)
        except (SnapshotNotFound, UnknownCategory) as error:
            raise click.ClickException(str(error)) from None
    if fmt == "json":
        _echo_json([asdict(c) for c in changes])
        return
    for c in changes:
        move = "" if c.rating_change is None else f"{c.rating_change:+8.1f}  z={c.z:+.2f}"
        noise = "  beyond noise" if c.beyond_noise else ""
        retired = "  retired" if c.retired else ""
        ranks = f"{c.old_rank or '-'} -> {c.new_rank or '-'}"
        click.echo(f"{c.model:<32} {c.status:<8} {ranks:<10} {move}{noise}{retired}")


@snapshot.command("export")
@settings_options
@click.argument("snapshot_id", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "md"]),
    default="json",
    show_default=True,
    help="json: the whole snapshot; csv/md: the boards",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="language of the Markdown report",
)
@click.option("--category", "categories", multiple=True, help="boards to include [default: all]")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="file to write [default: standard output]")  # fmt: skip
def snapshot_export(snapshot_id, fmt, lang, categories, output, **overrides: Any) -> None:
    """Export a snapshot (default: the latest) as JSON, CSV or Markdown (English or Chinese).

    Example: python -m arena snapshot export --format md --lang zh -o leaderboard.md
    """
    from arena.formats.snapshot_export import export_snapshot
    from arena.service import SnapshotNotFound

    with _open(_settings(**overrides), start_local_models=False) as arena:
        try:
            chosen = arena.snapshot(snapshot_id)
            output.write(export_snapshot(chosen, fmt, language=lang, categories=categories))
        except (SnapshotNotFound, ValueError) as error:
            raise click.ClickException(str(error)) from None


@snapshot.command("verify")
@click.argument("snapshot_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--battles",
    "battles_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="the released battle data (export-battles output)",
)
@click.option("--tolerance", type=float, default=0.01, show_default=True,
              callback=lambda ctx, param, value: _points(value),
              help="largest accepted rating difference, in rating points")  # fmt: skip
def snapshot_verify(snapshot_file, battles_file, tolerance) -> None:
    """Recompute a published snapshot from the released battle data alone: the vote-set SHA-256
    and every board's ratings must match. Exits 1 if they do not.

    Example: python -m arena snapshot verify snapshot.json --battles battles.json
    """
    from arena.formats.battle_data import BattleFileError
    from arena.rankings import RankingError
    from arena.service import verify_release
    from arena.snapshot import SnapshotFileError

    try:
        with _progress_bar(True, "read") as reading, _progress_bar(True) as progress:
            result = verify_release(
                snapshot_file, battles_file, tolerance=tolerance, reading=reading, progress=progress
            )
    except BattleFileError as error:  # its own report says "nothing imported"
        raise click.ClickException(error.report(", nothing verified")) from None
    except SnapshotFileError as error:
        raise click.ClickException(str(error)) from None
    except RankingError as error:  # the snapshot's method is none this code knows
        raise click.ClickException(f"the snapshot's method cannot be recomputed: {error}") from None
    click.echo(f"votes: {result.votes}")
    click.echo(f"sha256: expected {result.expected_sha256}")
    click.echo(f"        actual   {result.actual_sha256}")
    click.echo(f"max rating difference: {result.max_rating_difference:.6f} "
               f"(tolerance {result.tolerance})")  # fmt: skip
    for board in result.skipped:
        click.echo(f"not checked: {board} ({result.why_skipped(board)})")
    for problem in result.problems:
        click.echo(f"FAIL: {problem}")
    click.echo("verified" if result.ok else "NOT verified")
    if not result.ok:
        sys.exit(1)


@cli.command("export-battles")
@settings_options
@click.option("--snapshot", "snapshot_id", help="release exactly this snapshot's vote set")
@click.option(
    "--conversations/--no-conversations",
    default=False,
    show_default=True,
    help="include prompts and answers",
)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="file to write [default: standard output]")  # fmt: skip
def export_battles(snapshot_id, conversations, output, **overrides: Any) -> None:
    """Release the counted anonymous battles in FastChat's clean_battle JSON layout, voters
    pseudonymised (judge), no IPs, conversations only when asked for.

    Example: python -m arena export-battles --snapshot 20261122T120000Z-1a2b3c4d -o battles.json
    """
    from arena.service import SnapshotNotFound

    with (
        _progress_bar(True, "export") as progress,
        _open(_settings(**overrides), start_local_models=False) as arena,
    ):
        try:
            count = arena.release_battles(
                output,
                snapshot_id=snapshot_id,
                with_conversations=conversations,
                progress=progress,
            )
        except SnapshotNotFound as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"released {count} battles", err=True)


@cli.command("import-battles")
@settings_options
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@skip_bad_rows_option
def import_battles(file, skip_bad_rows, **overrides: Any) -> None:
    """Import FastChat clean_battle JSON or an LMArena-style table (model_a, model_b, winner
    [, judge, language, turn, tstamp]) as imported votes, then recompute the live TrueSkill
    board. Malformed rows are reported by line and nothing is written.

    Example: python -m arena import-battles clean_battle_20240814.json
    """
    from arena.formats.battle_data import BattleFileError
    from arena.service import ImportRejected

    skipped = _SkippedRows(file)
    settings = _settings(**overrides)
    with (
        _progress_bar(True, "read") as reading,
        _progress_bar(True, "import") as progress,
        _open(settings, start_local_models=False, creates=True) as arena,
    ):
        try:  # the live board then includes them
            count = arena.import_battles(
                file,
                on_bad_row=skipped.append_if(skip_bad_rows),
                progress=progress,
                reading=reading,
            )
        except BattleFileError as error:
            raise click.ClickException(_rejected(error)) from None
        except ImportRejected as error:
            raise click.ClickException(str(error)) from None
    skipped.report("battles")
    click.echo(f"imported {count} battles from {file.name}")


@cli.group()
def integrity() -> None:
    """Integrity tools: scan data for identity leaks and probes, detect and quarantine voters.

    Example: python -m arena integrity detect
    """


@integrity.command("scan")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="output format (json: JSON lines)",
)
@click.option("--name", "names", multiple=True, help="extra model names to look for (repeatable)")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="file to write [default: standard output]")  # fmt: skip
def integrity_scan(file: Path, fmt: str, names, output) -> None:
    """Run the identity-disclosure and probe detectors over a CSV or JSONL file with columns
    `prompt` and/or `answer`; write every row back with identity_disclosed, probe (true/false)
    and the matched evidence.

    Example: python -m arena integrity scan battles.csv --format json -o scanned.jsonl
    """
    from arena.integrity.scan import SCAN_COLUMNS, scan_rows

    rows = _read_table(file)
    if not rows:
        raise click.ClickException(f"{file}: no rows")
    if not {"prompt", "answer"} & set(rows[0]):
        raise click.ClickException(f"{file}: needs a 'prompt' or an 'answer' column")
    with _progress_bar(True, "scan") as progress:
        scanned = list(scan_rows(rows, names, progress))
    if fmt == "json":
        for row in scanned:
            output.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        columns = [*rows[0], *SCAN_COLUMNS]
        writer = csv.DictWriter(output, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({**r, "identity_disclosed": str(r["identity_disclosed"]).lower(),
                          "probe": str(r["probe"]).lower()} for r in scanned)  # fmt: skip
    found = sum(r["identity_disclosed"] for r in scanned), sum(r["probe"] for r in scanned)
    click.echo(f"{len(scanned)} rows: {found[0]} identity disclosures, {found[1]} probes", err=True)


def _read_table(path: Path) -> list[dict]:
    from arena.formats.rows import RowFileError, rows_from_file

    try:
        with _progress_bar(True, "read") as progress:
            return [row.values for row in rows_from_file(path, progress=progress).check().rows]
    except RowFileError as error:
        raise click.ClickException(str(error)) from None


@integrity.command("detect")
@settings_options
@click.option("--quarantine/--no-quarantine", default=True, show_default=True,
              help="quarantine the flagged voters")  # fmt: skip
def integrity_detect(quarantine: bool, **overrides: Any) -> None:
    """Test every voter against the latest snapshot (Fisher's method over per-vote p-values,
    likelihood z-score, favouritism), and the votes of each IP and network prefix as one voter's;
    run the cohort monitors, store the flags, and quarantine flagged voters and every voter of a
    flagged IP (their votes are kept and left out of the next snapshot). A new-voter win shift on
    a model quarantines its cohort: the votes new voters cast on that model's battles in the
    last day, kept out pending review (integrity confirm-cohort / release-cohort). Run it
    hourly (cron) on a public arena.

    Example: python -m arena integrity detect
    """
    with _open(_settings(**overrides), start_local_models=False) as arena:
        report = arena.run_detection(quarantine=quarantine)
    click.echo(f"tested {report.voters} voters, {report.votes} votes, against snapshot "
               f"{report.snapshot_id or '(none yet: voter tests need a snapshot)'}")  # fmt: skip
    for flag in report.flags:
        click.echo(f"voter  {flag.voter_id:<24} {flag.test:<12} p={flag.adjusted_p_value:.2e}  "
                   f"{flag.evidence}")  # fmt: skip
    for scope, flag in report.network_flags:
        click.echo(f"{scope:<6} {flag.voter_id[:24]:<24} {flag.test:<12} "
                   f"p={flag.adjusted_p_value:.2e}  {flag.evidence}")  # fmt: skip
    for alert in report.alerts:
        click.echo(f"cohort {alert.kind:<24} {alert.subject:<12} {alert.statistic:+.1f}  "
                   f"{alert.evidence}")  # fmt: skip
    for cohort in report.cohort_quarantines:
        click.echo(f"cohort quarantine {cohort.id}: {cohort.votes} votes of new voters on "
                   f"{cohort.alert.subject}'s battles, pending review")  # fmt: skip
    click.echo(f"newly quarantined: {len(report.quarantined)}")


@integrity.command("quarantine")
@settings_options
@click.argument("voter_id")
@click.option("--reason", required=True, help="why, kept with the quarantine")
def integrity_quarantine(voter_id: str, reason: str, **overrides: Any) -> None:
    """Quarantine a voter by hand: its votes are kept but count nowhere (live board, ratings,
    the next snapshot, detection) until released.

    Example: python -m arena integrity quarantine 3f2a-voter --reason "vote ring, ticket 12"
    """
    from arena.views import InvalidInput

    with _open(_settings(**overrides), start_local_models=False) as arena:
        try:
            done = arena.quarantine_voter(voter_id, reason)
        except InvalidInput as problem:
            raise click.ClickException(problem.message) from None
    click.echo(f"{voter_id}: {'quarantined' if done else 'already quarantined'}")


@integrity.command("release")
@settings_options
@click.argument("voter_id")
@click.option("--reason", required=True, help="why the quarantine is lifted")
def integrity_release(voter_id: str, reason: str, **overrides: Any) -> None:
    """Lift a voter's quarantine: its votes count again everywhere (the live board at once).

    Example: python -m arena integrity release 3f2a-voter --reason "false positive"
    """
    with _open(_settings(**overrides), start_local_models=False) as arena:
        done = arena.release_voter(voter_id, reason)
    if not done:
        raise click.ClickException(f"{voter_id} is not quarantined")
    click.echo(f"{voter_id}: released")


@integrity.command("confirm-cohort")
@settings_options
@click.argument("quarantine_id", type=int)
@click.option("--reason", required=True, help="what the review found, kept with it")
def integrity_confirm_cohort(quarantine_id: int, reason: str, **overrides: Any) -> None:
    """Keep a pending cohort quarantine after review: its votes stay out of every board.

    Example: python -m arena integrity confirm-cohort 3 --reason "one ring, ticket 14"
    """
    _review_cohort(quarantine_id, reason, overrides, confirm=True)


@integrity.command("release-cohort")
@settings_options
@click.argument("quarantine_id", type=int)
@click.option("--reason", required=True, help="what the review found, kept with it")
def integrity_release_cohort(quarantine_id: int, reason: str, **overrides: Any) -> None:
    """Release a cohort quarantine: its votes count again everywhere (the live board at once)
    and no later detection run holds them again.

    Example: python -m arena integrity release-cohort 3 --reason "a launch, not a ring"
    """
    _review_cohort(quarantine_id, reason, overrides, confirm=False)


def _review_cohort(quarantine_id: int, reason: str, overrides: dict, *, confirm: bool) -> None:
    with _open(_settings(**overrides), start_local_models=False) as arena:
        review = arena.confirm_cohort_quarantine if confirm else arena.release_cohort_quarantine
        done = review(quarantine_id, reason)
    if not done:
        state = "pending" if confirm else "active"
        raise click.ClickException(f"cohort quarantine {quarantine_id} is not {state}")
    click.echo(f"cohort quarantine {quarantine_id}: {'confirmed' if confirm else 'released'}")


@integrity.command("flags")
@settings_options
def integrity_flags(**overrides: Any) -> None:
    """List stored flags (voter tests and cohort alerts, newest first), active quarantines and
    active cohort quarantines with their evidence.

    Example: python -m arena integrity flags
    """
    with _open(_settings(**overrides), start_local_models=False) as arena:
        flags, quarantines = arena.flags(), arena.quarantines()
        cohorts = arena.cohort_quarantines()
    for f in flags:
        click.echo(f"{f['created_at'][:19]}  {f['kind']:<6} {f['subject']:<24} {f['test']:<20} "
                   f"{f['evidence']}")  # fmt: skip
    for q in quarantines:
        click.echo(f"quarantined {q['voter_id']} since {q['created_at'][:19]} ({q['reason']}, "
                   f"{q['votes']} votes)")  # fmt: skip
    for c in cohorts:
        click.echo(f"cohort quarantine {c['id']} ({c['status']}) since {c['created_at'][:19]}: "
                   f"{c['votes']} votes of {c['voters']} new voters on {c['model']}'s battles; "
                   f"{c['test']} {c['statistic']:+.1f}: {c['evidence']}")  # fmt: skip


@cli.command("copy-db")
@settings_options
@click.option("--to", "to_url", required=True, metavar="URL",
              help="the empty PostgreSQL database to copy into, postgresql://USER@HOST/NAME")  # fmt: skip
def copy_db(to_url: str, **overrides: Any) -> None:
    """Copy the SQLite database into an empty PostgreSQL database: every table with the same
    ids, times and snapshots, in one transaction, and the same secrets file. Then start the
    arena with ARENA_DATABASE_URL set to that URL.

    Example: python -m arena copy-db --db data/arena.db --to postgresql://arena@localhost/arena
    """
    from arena.bootstrap import CopyRefused, copy_database
    from arena.service import StoreUnavailable

    settings = _settings(**overrides)
    try:
        with _progress_bar(True, "copy") as progress:
            copied = copy_database(settings, to_url, progress)
    except (CopyRefused, SettingsError, StoreUnavailable) as error:
        raise click.ClickException(str(error)) from None
    for table, rows in copied.items():
        click.echo(f"{table:<18} {rows:>10} rows")
    secrets = settings.with_overrides(database_url=to_url).secrets_file.resolve()
    click.echo(f"copied {sum(copied.values())} rows; now start the arena with "
               f"ARENA_DATABASE_URL set to the copy and ARENA_SECRETS_PATH={secrets} (its "
               "secrets, the original's)")  # fmt: skip
