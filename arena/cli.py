"""The maintainers' command line (click). Each command's docstring is its help, with an example."""

from __future__ import annotations

import asyncio
import csv
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from arena.config import SettingsError, load_settings


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
        )
    ):  # fmt: skip
        command = option(command)
    return command


def _settings(**overrides: Any):
    try:
        return load_settings(**overrides)
    except SettingsError as error:
        raise click.UsageError(str(error)) from None


def _open(settings, *, start_local_models: bool):
    from arena.bootstrap import create_arena

    return create_arena(settings, start_local_models=start_local_models)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=None, version="0.1.0", prog_name="arena")
def cli() -> None:
    """arena: a self-hostable, blind pairwise voting arena for language models.

    Every setting can also be given as an ARENA_* environment variable (see README).

    Example: python -m arena serve --port 7860
    """


@cli.command()
@settings_options
@click.option("--host", help="address to bind [env ARENA_HOST; default 127.0.0.1]")
@click.option("--port", type=int, help="port to listen on [env ARENA_PORT; default 7860]")
def serve(**overrides: Any) -> None:
    """Start the web app (arena, side-by-side, direct chat, leaderboard).

    With no roster, every provider whose API key is set is used, plus an Ollama server on
    localhost if it answers, plus two offline SmolLM2 configurations served by llama.cpp.

    Example: python -m arena serve --db data/arena.db --port 7860
    """
    from arena.web import WebServer, build_app

    settings = _settings(**overrides)
    with _open(settings, start_local_models=True) as arena:
        server = WebServer(build_app(arena), host=settings.host, port=settings.port).start()
        names = ", ".join(arena.roster.names)
        click.echo(f"arena: {len(arena.roster.models)} models ({names})")
        click.echo(f"arena: serving on {server.url}  (Ctrl-C stops)")
        try:
            server.wait()
        except KeyboardInterrupt:
            click.echo("arena: stopping")
        finally:
            server.stop()


@cli.command()
@settings_options
@click.option("--check/--no-check", default=True, help="call each model to see if it answers")
def models(check: bool, **overrides: Any) -> None:
    """List the roster and whether each model is reachable.

    Example: python -m arena models --roster litellm_config.yaml
    """
    settings = _settings(**overrides)
    with _open(settings, start_local_models=check) as arena:
        if not check:
            for name in arena.roster.names:
                click.echo(name)
            return

        async def check():
            try:
                return await arena.check_models()
            finally:
                await arena.aclose()

        statuses = asyncio.run(check())
    width = max(len(s.name) for s in statuses)
    for status in statuses:
        mark = "reachable  " if status.reachable else "UNREACHABLE"
        click.echo(f"{status.name:<{width}}  {mark}  {status.organisation}  {status.detail}")
    if not all(s.reachable for s in statuses):
        sys.exit(1)


@cli.command()
@settings_options
def ratings(**overrides: Any) -> None:
    """Recompute live TrueSkill ratings from every stored, counted vote (in the order cast).

    Example: python -m arena ratings --db data/arena.db
    """
    settings = _settings(**overrides)
    with _open(settings, start_local_models=False) as arena:
        rows = arena.recompute_ratings()
    click.echo(f"{'model':<32} {'mu':>8} {'sigma':>7} {'mu-3s':>8} {'votes':>6}")
    for r in rows:
        click.echo(f"{r.model:<32} {r.mu:8.3f} {r.sigma:7.3f} {r.conservative:8.3f} {r.votes:6d}")


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
    with _open(settings, start_local_models=False) as arena:
        rows = list(arena.export_votes())
    if fmt == "json":
        json.dump(rows, output, ensure_ascii=False, indent=1)
        output.write("\n")
        return
    columns = [c for c in (rows[0] if rows else {}) if c != "turns"] + ["prompt", "turn_count"]
    writer = csv.DictWriter(output, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        turns = row.pop("turns")
        writer.writerow(
            {**row, "prompt": turns[0]["prompt"] if turns else "", "turn_count": len(turns)}
        )
