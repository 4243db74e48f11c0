"""Many workers behind nginx: `serve --workers N` runs N whole `python -m arena serve` processes,
worker i on port PORT+i (nginx listens on PORT), restarts one that dies and stops them all on
SIGTERM or Ctrl-C. `nginx_config` writes the matching nginx site (docs/deploy.md).

Workers share nothing but the database and the secrets file: every decision that must hold
across them (rate limits, single votes, spent proofs, duplicate prompts, the voter cookie's key)
reads those. Gradio keeps a page's session in one worker's memory, so nginx keeps each voter on
one worker (a consistent hash of the signed voter cookie).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from arena.config import Settings, to_environ
from arena.web.edge import VOTER_COOKIE

ROOT = Path(__file__).resolve().parent.parent.parent  # the project folder: `-m arena` there
POLL_S = 0.2  # how often the supervisor looks at its workers
STABLE_S = 30.0  # a worker that ran this long before dying is restarted at once
MAX_BACKOFF_S = 30.0  # the longest wait before restarting a worker that keeps dying
START_TIMEOUT_S = 180.0  # a worker loads gradio, the roster and perhaps local models
START_ATTEMPTS = 3  # launches of a worker that exits while the workers start, before giving up
STOP_TIMEOUT_S = 30.0  # SIGTERM, then SIGKILL after this long
_PR_SET_PDEATHSIG = 1  # Linux prctl: the signal a child gets when its parent dies


class WorkersError(RuntimeError):
    """The workers cannot be started as asked (no fixed port, a worker that never came up)."""


def worker_ports(base_port: int, workers: int) -> list[int]:
    """The workers' ports: PORT+1 … PORT+N (PORT is nginx's)."""
    return [base_port + i for i in range(1, workers + 1)]


@dataclass
class Worker:
    """One worker process: its number (1…N), port, process, and how often it died quickly."""

    number: int
    port: int
    process: subprocess.Popen | None = None
    started_at: float = 0.0  # time.monotonic() of the last launch
    restart_at: float | None = None  # when a dead worker is due to be launched again
    quick_deaths: int = 0
    starts: int = 0


@dataclass
class Supervisor:
    """Starts the workers, restarts any that dies (logged through `say`), stops them all."""

    settings: Settings
    workers: int
    say: Callable[[str], None] = print
    python: str = sys.executable
    pool: list[Worker] = field(default_factory=list, init=False)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise WorkersError("--workers must be at least 1")
        if self.settings.port == 0:
            raise WorkersError(
                "--workers needs a fixed --port (nginx's; workers use the next ones)"
            )
        self.pool = [Worker(number, port) for number, port
                     in enumerate(worker_ports(self.settings.port, self.workers), start=1)]  # fmt: skip

    def start(self, timeout_s: float = START_TIMEOUT_S) -> Supervisor:
        """Launch every worker, then wait until each accepts connections. A port another
        process holds is an error before any launch: that process's answers looked like the
        worker's, and the worker, dying at once, was restarted forever."""
        for worker in self.pool:
            problem = port_problem(self.settings.host, worker.port)
            if problem:
                raise WorkersError(f"worker {worker.number}: {problem}")
        for worker in self.pool:
            self._launch(worker)
        deadline = time.monotonic() + timeout_s
        for worker in self.pool:
            while not _accepts(self.settings.host, worker.port) and not self._stopping.is_set():
                if worker.process.poll() is not None:
                    code = _exit_text(worker.process.returncode)
                    if worker.starts >= START_ATTEMPTS:
                        self.stop()
                        raise WorkersError(f"worker {worker.number} exited with {code} while "
                                           f"starting, {worker.starts} times")  # fmt: skip
                    # e.g. workers creating a new database at once: the next try finds it made
                    self.say(f"arena: worker {worker.number} exited with {code} while starting")
                    self._launch(worker)
                if time.monotonic() > deadline:
                    self.stop()
                    raise WorkersError(f"worker {worker.number} did not start in {timeout_s:g} s")
                time.sleep(POLL_S)
        return self

    def run(self) -> None:
        """Watch the workers until `request_stop`; a dead one is restarted (at once if it had
        been up STABLE_S, else after a back-off doubling up to MAX_BACKOFF_S)."""
        while not self._stopping.wait(POLL_S):
            now = time.monotonic()
            for worker in self.pool:
                if worker.restart_at is not None:
                    if now >= worker.restart_at:
                        self._launch(worker)
                    continue
                code = worker.process.poll()
                if code is None:
                    continue
                up_s = now - worker.started_at
                worker.quick_deaths = 0 if up_s >= STABLE_S else worker.quick_deaths + 1
                delay = 0.0 if not worker.quick_deaths else min(MAX_BACKOFF_S,
                                                                2.0 ** (worker.quick_deaths - 1))  # fmt: skip
                self.say(f"arena: worker {worker.number} (pid {worker.process.pid}, port "
                         f"{worker.port}) exited with {_exit_text(code)} after {up_s:.0f} s; "
                         f"restarting in {delay:g} s")  # fmt: skip
                worker.restart_at = now + delay

    def request_stop(self) -> None:
        self._stopping.set()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """SIGTERM every worker, SIGKILL those still running after `timeout_s`."""
        self._stopping.set()
        running = [w.process for w in self.pool if w.process and w.process.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + timeout_s
        for process in running:
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)

    def _launch(self, worker: Worker) -> None:
        environ = to_environ(replace(self.settings, port=worker.port))
        paths = [str(ROOT), *filter(None, [environ.get("PYTHONPATH")])]
        environ["PYTHONPATH"] = os.pathsep.join(paths)
        worker.process = subprocess.Popen(
            [self.python, "-m", "arena", "serve"],
            env=environ,
            process_group=0,  # Ctrl-C reaches the supervisor only; it stops the workers
            preexec_fn=_die_with_parent,
        )
        worker.started_at = time.monotonic()
        worker.restart_at = None
        worker.starts += 1
        again = " again" if worker.starts > 1 else ""
        self.say(f"arena: worker {worker.number} started{again} (pid {worker.process.pid}, "
                 f"port {worker.port})")  # fmt: skip


def serve_workers(settings: Settings, workers: int, say: Callable[[str], None] = print) -> None:
    """`serve --workers N`: supervise N workers until SIGTERM or Ctrl-C, then stop them all."""
    supervisor = Supervisor(settings, workers, say=say)
    stop = lambda signum, frame: supervisor.request_stop()  # noqa: E731
    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        supervisor.start()
        ports = worker_ports(settings.port, workers)
        say(f"arena: {workers} workers serving on http://{settings.host}:{ports[0]}…{ports[-1]}; "
            f"put nginx on port {settings.port} in front (docs/deploy.md)  (Ctrl-C stops)")  # fmt: skip
        supervisor.run()
        say("arena: stopping")
    finally:
        supervisor.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def port_problem(host: str, port: int) -> str | None:
    """Why nothing could listen on `host:port` now (another process holds it, the address is
    none of this machine's), or None. Port 0 (any free one) has none."""
    if port == 0:
        return None
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as error:
            return f"cannot listen on {host}:{port}: {error.strerror or error}"
    return None


def _accepts(host: str, port: int) -> bool:
    address = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    try:
        with socket.create_connection((address, port), timeout=1.0):
            return True
    except OSError:
        return False


def _exit_text(code: int) -> str:
    if code < 0:
        with contextlib.suppress(ValueError):
            return signal.Signals(-code).name
    return f"code {code}"


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the supervisor dies, even by SIGKILL (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


# -- nginx ------------------------------------------------------------------------------------


_PROXY_SETTINGS = """\
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $arena_connection;
        proxy_set_header Host $host;
        # Replace, never append, what the client sent: the arena believes it from this proxy only.
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        # Answers stream (Gradio's server-sent events, the API's JSON lines): no buffering.
        proxy_buffering off;
        proxy_cache off;
        proxy_read_timeout 300s;
        proxy_send_timeout 300s;
        # A worker that refuses or drops the connection is skipped for fail_timeout; requests not
        # yet sent to it go to a live one (nginx never resends a POST the worker has received).
        # Not a 503: every worker answers one while the database they share cannot serve, and
        # counted as failures they were all taken out (reads that need no database got 502).
        proxy_next_upstream error timeout http_502;
        proxy_next_upstream_tries 3;
        proxy_connect_timeout 2s;
"""  # both locations: headers, streaming, failover


def nginx_config(
    workers: int, base_port: int, listen: str = "80", *, host: str = "127.0.0.1"
) -> str:
    """An nginx site (an `http {}` block's contents, e.g. /etc/nginx/conf.d/arena.conf) in front
    of `serve --workers N --port PORT`: one upstream of the N workers, each voter kept on one
    worker by a consistent hash of the signed voter cookie (the client address before it has
    one), answers streamed unbuffered, a dead worker's requests passed to a live one."""
    servers = "\n".join(
        f"    server {host}:{port} max_fails=1 fail_timeout=5s;"
        for port in worker_ports(base_port, workers)
    )
    proxy = _PROXY_SETTINGS
    return f"""\
# nginx in front of `python -m arena serve --workers {workers} --port {base_port}` (docs/deploy.md).
# The arena must trust this proxy's X-Forwarded-For: ARENA_TRUSTED_PROXIES={host}

# Sticky sessions: Gradio keeps a page's session (and its event stream) in one worker's memory.
# Hash on the signed voter cookie; before the first answer sets it, on the client address.
map $cookie_{VOTER_COOKIE} $arena_sticky {{
    "" $remote_addr;
    default $cookie_{VOTER_COOKIE};
}}

# WebSocket upgrades pass through; other requests keep the upstream connection alive.
map $http_upgrade $arena_connection {{
    "" "";
    default upgrade;
}}

upstream arena_workers {{
    hash $arena_sticky consistent;
{servers}
    keepalive 32;
}}

# The JSON API keeps nothing in a worker's memory (battles, limits and votes are in the
# database): each request goes to the worker with the fewest open ones, so streams spread
# evenly (hashing 28 voters' cookies put 96 turns on one worker and 46 on the other).
upstream arena_api {{
    least_conn;
{servers}
    keepalive 32;
}}

server {{
    listen {listen};
    client_max_body_size 64k;  # prompts and votes only: the arena takes no uploads

    location / {{
        proxy_pass http://arena_workers;
{proxy}    }}

    location /api/ {{
        proxy_pass http://arena_api;
{proxy}    }}
}}
"""


def standalone_nginx_config(site: str, prefix: Path, *, user: str | None = None) -> str:
    """A whole nginx.conf around `site` for an unprivileged nginx whose every file lives under
    `prefix` (tests and benchmarks): run it with
    `nginx -p PREFIX -c PREFIX/nginx.conf -g 'daemon off; pid PREFIX/nginx.pid;'`.
    `user`: the worker processes' user when nginx is started as root."""
    indented = "\n".join(f"    {line}" if line else "" for line in site.splitlines())
    user_line = f"user {user};\n" if user else ""
    return f"""\
{user_line}worker_processes 1;
error_log {prefix}/error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    log_format arena_upstreams '$request_method $uri $status $upstream_addr';
    access_log {prefix}/access.log arena_upstreams;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;

{indented}
}}
"""
