"""The web server: JSON API routes first, then the Gradio UI mounted at `/`, served by uvicorn."""

from __future__ import annotations

import threading
import time
from typing import Any

import gradio as gr
import uvicorn
from fastapi import FastAPI

from arena.api import build_api
from arena.integrity.proof_of_work import SOLVER_JS
from arena.service import Arena
from arena.ui import build_ui

CSS = """
#anonymous-revealed, #named-revealed { font-size: 1.1em; }
"""


def build_app(arena: Arena) -> FastAPI:
    app = FastAPI(title="Arena", docs_url="/api/docs", openapi_url="/api/openapi.json")
    app.include_router(build_api(arena))  # routes beside the UI must exist before mounting it
    app.router.on_shutdown.append(arena.aclose)
    demo = build_ui(arena)
    demo.queue(default_concurrency_limit=arena.settings.concurrency)
    return gr.mount_gradio_app(
        app, demo, path="/", css=CSS, footer_links=["api"], head=f"<script>{SOLVER_JS}</script>"
    )


class WebServer:
    """uvicorn in a background thread (tests, and `serve` waits on it)."""

    def __init__(self, app: Any, *, host: str, port: int):
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
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
