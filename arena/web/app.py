"""The web server: the edge middleware, JSON API routes, then the Gradio UI mounted at `/`, served
by uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import os
import subprocess
import sys
import threading
import time
import traceback
from typing import Any

import gradio as gr
import uvicorn
from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.requests import Request
from starlette.routing import Mount

from arena.config import to_environ
from arena.integrity.proof_of_work import SOLVER_JS
from arena.service import Arena, StoreFailed
from arena.web.api import build_api, invalid_request, storage_failed
from arena.web.edge import Edge
from arena.web.shared_page import build_pages
from arena.web.ui import build_ui

log = logging.getLogger(__name__)


class _OneLineTraceback:
    """What Gradio's queue and routes see as the `traceback` module: its `print_exc` (called
    for every event Gradio refuses: a value outside a component's choices, too few inputs,
    junk any client can send) logs one line instead of printing a whole traceback to stderr.
    Our own handlers log their unexpected errors with the traceback (ChatPanel._failure)."""

    def print_exc(self, *args: Any, **kwargs: Any) -> None:
        error = sys.exc_info()[1]
        log.warning("gradio refused an event: %s: %.200s", type(error).__name__, error)

    def __getattr__(self, name: str) -> Any:
        return getattr(traceback, name)


def _gradio_refusals_in_one_line() -> None:
    import gradio.queueing
    import gradio.route_utils
    import gradio.routes

    for module in (gradio.queueing, gradio.routes, gradio.route_utils):
        if getattr(module, "traceback", None) is traceback:
            module.traceback = _OneLineTraceback()


CSS = """
#anonymous-revealed, #named-revealed { font-size: 1.1em; }
#page-title h1 { word-break: keep-all; overflow-wrap: normal; }
/* Gradio's footer follows the browser's language; #page-footer says it in the page's. */
footer { display: none !important; }
#page-footer { text-align: center; font-size: 0.9em; opacity: 0.75; }
/* A phone (390 px wide): the title above the language switch, each answer a third of the
   screen, the four vote buttons a 2×2 grid held at the bottom of the screen while they show,
   the three actions on one line. */
@media (max-width: 640px) {
  #page-header { flex-direction: column; }
  #page-title h1 { font-size: 1.5em; }
  .answer { height: 34vh !important; max-height: 34vh !important; }
  .vote-row { display: grid !important; grid-template-columns: 1fr 1fr; gap: 6px;
              position: sticky; bottom: 0; z-index: 20; padding: 6px 0;
              background: var(--background-fill-primary); }
  .vote-row button { min-width: 0 !important; }
  .action-row { flex-wrap: nowrap !important; }
  .action-row button { min-width: 0 !important; padding-left: 4px; padding-right: 4px; }
}
"""
# Requests larger than this (or than a prompt of max_prompt_chars needs) are refused, 413, before
# they are read: a 150 MB JSON value was read and parsed whole.
MIN_BODY_LIMIT = 1 << 20
QUEUE_POLL_S = 0.01  # how often an idle Gradio queue looks for a new job
SWEEP_EVERY_S = 30.0  # how often dead streams are looked for (more often with a shorter grace)
SNAPSHOT_CHECK_S = 60.0  # how often a server's `snapshot schedule` looks whether one is due
SCHEDULE_STOP_S = 5.0  # a schedule still running this long after SIGTERM is killed
# System fonts: the default theme would load its fonts from a third-party site.
THEME = gr.themes.Default(
    font=["ui-sans-serif", "system-ui", "sans-serif"],
    font_mono=["ui-monospace", "Consolas", "monospace"],
)


def settle_heap() -> None:
    """For a long-lived server, once it has started: what startup made (Gradio, litellm and its
    cost map, the app) is moved out of the garbage collector's sight. A full pass then visits
    only what serving made since: it took up to 400 ms with every stream of the worker frozen
    behind it, one every few seconds under load."""
    gc.collect()
    gc.freeze()


def build_app(arena: Arena) -> FastAPI:
    arena.warm_up()  # the first voter does not wait for the provider library to load
    app = FastAPI(title="Arena", docs_url="/api/docs", openapi_url="/api/openapi.json",
                  redoc_url=None)  # fmt: skip
    app.include_router(build_api(arena))  # routes beside the UI must exist before mounting it
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StoreFailed, storage_failed)
    app.include_router(build_pages(arena))
    background: dict[str, asyncio.Task] = {}
    app.router.on_startup.append(functools.partial(_start_sweeper, arena, background))
    app.router.on_startup.append(functools.partial(_start_snapshots, arena, background))
    app.router.on_shutdown.append(functools.partial(_stop_background, background))
    app.router.on_shutdown.append(arena.aclose)
    _gradio_refusals_in_one_line()
    demo = build_ui(arena)
    demo.queue(default_concurrency_limit=16)  # model streams have their own, shared limit
    # Gradio's queue looks for new jobs every millisecond even when idle (8% of a core per
    # process here, paid by every worker of `serve --workers`); every 10 ms is plenty for clicks.
    if hasattr(getattr(demo, "_queue", None), "sleep_when_free"):
        demo._queue.sleep_when_free = max(demo._queue.sleep_when_free, QUEUE_POLL_S)
    app = gr.mount_gradio_app(
        app,
        demo,
        path="/",
        css=CSS,
        theme=THEME,
        footer_links=["api"],
        head=f"<script>{SOLVER_JS}</script>",
        show_error=False,  # unexpected errors are logged, never sent to the browser
        allowed_paths=[],
        blocked_paths=[str(p.resolve()) for p in _private_paths(arena)],
        max_file_size="1kb",  # the arena takes no uploads (the edge refuses them anyway)
        enable_monitoring=False,  # its default, None, told anyone every event's use and timing
    )
    # Mounted, not launched: without this Gradio skips its checks on which files a request may
    # make it copy and serve (the file-read hole of issue #8).
    demo.has_launched = True
    gradio_app = next(r.app for r in app.routes if isinstance(r, Mount) and r.app is not app)
    gradio_app.add_exception_handler(KeyError, _unknown_event)
    app.add_middleware(
        Edge,
        trusted_proxies=arena.settings.trusted_networks,
        read_voter=arena.voter_from_token,
        new_voter=arena.new_voter,
        identity_header=arena.settings.trusted_identity_header or None,
        user_voter=arena.voter_for_user,
        # the largest request: a prompt of max_prompt_chars, each escaped as \uXXXX, and more
        max_body_bytes=max(MIN_BODY_LIMIT, 8 * arena.settings.max_prompt_chars),
    )
    return app


async def _unknown_event(request: Request, error: KeyError) -> JSONResponse:
    """A queue request naming an event (`fn_index`) the page does not have: 422, one log line.
    Gradio looks the number up unchecked, and any client could make it answer 500."""
    if not request.url.path.endswith("/queue/join"):
        raise error  # not a client's event number: a server bug, logged with its traceback
    log.info("unknown event on %s: %s", request.url.path, error)
    return JSONResponse({"detail": "unknown event"}, status_code=422)


def _private_paths(arena: Arena) -> list:
    """The database's folder, the secrets file and the roster: never served, whatever asks."""
    paths = [arena.settings.db_path.parent, arena.settings.secrets_file]
    if arena.settings.roster_path is not None:
        paths.append(arena.settings.roster_path)
    return paths


async def _start_sweeper(arena: Arena, tasks: dict) -> None:
    # A dead stream is abandoned at most one grace period late (every worker sweeps them all).
    every_s = max(0.5, min(SWEEP_EVERY_S, arena.settings.stream_grace_s))

    async def sweep_forever() -> None:
        while True:
            await asyncio.sleep(every_s)
            try:
                await run_in_threadpool(arena.sweep_dead_streams)
            except Exception:  # a failed sweep is retried next time; the server keeps serving
                log.exception("sweeping dead streams failed")

    tasks["sweeper"] = asyncio.create_task(sweep_forever())


async def _start_snapshots(arena: Arena, tasks: dict) -> None:
    """Automatic snapshots: `snapshot schedule` in a process of its own beside this server
    (started again if it dies). It looks every SNAPSHOT_CHECK_S whether one is due and
    recomputes at a low CPU priority, so that a snapshot neither holds this server's event loop
    nor slows its votes. Every worker has one; the store's snapshot lock lets one make it."""
    if not (arena.settings.snapshot_every_votes or arena.settings.snapshot_every_hours):
        return

    async def schedule_forever() -> None:
        while True:
            await _run_schedule(arena)
            await asyncio.sleep(SNAPSHOT_CHECK_S)  # it died: started again after a pause

    tasks["snapshots"] = asyncio.create_task(schedule_forever())


async def _run_schedule(arena: Arena) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "arena", "snapshot", "schedule", "--every", str(SNAPSHOT_CHECK_S),
        "--stop-with", str(os.getpid()),
        env=to_environ(arena.settings), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        async for line in process.stdout:
            log.info("automatic snapshots: %s", line.decode(errors="replace").rstrip())
        await process.wait()
    except asyncio.CancelledError:  # the server is stopping: so does its schedule
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), SCHEDULE_STOP_S)
        except TimeoutError:
            process.kill()
            await process.wait()
        raise
    log.error("automatic snapshots stopped (exit %s); starting again", process.returncode)


async def _stop_background(tasks: dict) -> None:
    for task in tasks.values():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    tasks.clear()


class WebServer:
    """uvicorn in a background thread (tests, and `serve` waits on it)."""

    def __init__(self, app: Any, *, host: str, port: int):
        # proxy_headers off: uvicorn would believe X-Forwarded-For from 127.0.0.1; the edge
        # middleware decides the client address from ARENA_TRUSTED_PROXIES instead.
        config = uvicorn.Config(
            app, host=host, port=port, log_level="warning", lifespan="on", proxy_headers=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="arena-web", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.servers[0].sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    def start(self, timeout_s: float = 30.0) -> WebServer:
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the web server did not start")
            time.sleep(0.05)
        return self

    def wait(self) -> None:
        while self._thread.is_alive():
            self._thread.join(0.5)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
