"""`python -m arena serve --workers N` and nginx in front of it, as separate processes on
127.0.0.1 (tests/test_workers.py and bench/workers.py): start, wait until ready, kill one
worker, read which worker nginx chose for each request, stop.
"""

from __future__ import annotations

import getpass
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from arena.web.workers import nginx_config, standalone_nginx_config, worker_ports
from bench.arena_process import HOST, PYTHON, ROOT, child_environ, stop_process

_STARTED = re.compile(r"arena: worker (\d+) started(?: again)? \(pid (\d+), port (\d+)\)")


def nginx_binary() -> str | None:
    """nginx on PATH, or Debian's /usr/sbin/nginx (not on a normal user's PATH)."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def ephemeral_ports_start() -> int:
    """The first port the kernel gives outgoing connections (Linux: ip_local_port_range)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default


def free_ports(count: int) -> int:
    """A port P with P … P+count-1 all free on 127.0.0.1 (for nginx and its workers), below the
    ports the kernel gives outgoing connections: a killed worker's port, taken meanwhile as the
    own port of some connection (a database pool's, nginx's), kept its restart from listening
    for as long as that connection lived (a test waited 60 s for it and failed)."""
    rng, below = random.Random(), max(ephemeral_ports_start(), 30_000) - count
    for _ in range(200):
        base = rng.randrange(20_000, below)
        sockets = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind((HOST, port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError(f"no {count} consecutive free ports")


def accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1.0):
            return True
    except OSError:
        return False


class WorkersProcess:
    """The supervisor `serve --workers N --port P` (workers on P+1 … P+N); `settings` are ARENA_*
    environment variables. Its output is kept in `lines` (and its log file)."""

    def __init__(
        self, folder: Path, settings: Mapping[str, str], *, workers: int, port: int = 0
    ) -> None:
        self.folder = folder
        self.workers = workers
        self.port = port or free_ports(workers + 1)
        self.settings = {
            "ARENA_HOST": HOST,
            "ARENA_LOCAL_MODELS": "false",
            "ARENA_DB_PATH": str(folder / "arena.db"),
            **settings,
        }
        self.process: subprocess.Popen | None = None
        self.lines: list[str] = []
        self._reader: threading.Thread | None = None

    @property
    def worker_ports(self) -> list[int]:
        return worker_ports(self.port, self.workers)

    def worker_url(self, number: int) -> str:
        return f"http://{HOST}:{self.worker_ports[number - 1]}"

    def start(self, timeout_s: float = 120.0) -> WorkersProcess:
        """Launch and wait until every worker answers GET /api/health."""
        command = [PYTHON, "-m", "arena", "serve", "--workers", str(self.workers),
                   "--port", str(self.port)]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=child_environ(self.settings), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )  # fmt: skip
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout_s
        while not all(self.is_healthy(n) for n in range(1, self.workers + 1)):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the workers did not start:\n" + "".join(self.lines[-40:]))
            time.sleep(0.2)
        return self

    def _read(self) -> None:
        with open(self.folder / "workers.log", "a", encoding="utf-8") as log:
            for line in self.process.stdout:
                self.lines.append(line)
                log.write(line)
                log.flush()

    def is_healthy(self, number: int) -> bool:
        try:
            answer = httpx.get(f"{self.worker_url(number)}/api/health", timeout=2.0)
        except httpx.HTTPError:
            return False
        return answer.status_code == 200 and answer.json().get("status") == "ok"

    def worker_pid(self, number: int) -> int:
        """The pid of worker `number`'s latest launch, from the supervisor's log."""
        found = [int(m[2]) for m in map(_STARTED.search, self.lines) if m and int(m[1]) == number]
        if not found:
            raise RuntimeError(f"worker {number} was never started")
        return found[-1]

    def starts(self, number: int) -> int:
        return sum(1 for m in map(_STARTED.search, self.lines) if m and int(m[1]) == number)

    def kill_worker(self, number: int) -> int:
        """kill -9 one worker; returns its pid."""
        pid = self.worker_pid(number)
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self, timeout_s: float = 40.0) -> int | None:
        """SIGTERM the supervisor (it stops its workers); kill -9 the group after `timeout_s`."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        if self._reader is not None:
            self._reader.join(5)
        return self.process.returncode

    def __enter__(self) -> WorkersProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class NginxProcess:
    """nginx as the current user, every file under `folder`, in front of `workers` workers on
    ports base_port+1 …, listening on `listen_port`. `upstreams()` reads which worker took each
    request from its access log."""

    def __init__(self, folder: Path, *, workers: int, base_port: int, listen_port: int) -> None:
        self.folder = folder
        self.listen_port = listen_port
        self.site = nginx_config(workers, base_port, f"{HOST}:{listen_port}", host=HOST)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.listen_port}"

    def start(self, timeout_s: float = 20.0) -> NginxProcess:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (make apt-test installs it)")
        self.folder.mkdir(parents=True, exist_ok=True)
        user = getpass.getuser() if os.geteuid() == 0 else None  # root: workers stay root
        config = self.folder / "nginx.conf"
        config.write_text(standalone_nginx_config(self.site, self.folder, user=user))
        with open(self.folder / "stderr.log", "wb") as errors:
            self.process = subprocess.Popen(
                [binary, "-p", str(self.folder), "-c", str(config),
                 "-g", f"daemon off; pid {self.folder}/nginx.pid;"],
                stdout=subprocess.DEVNULL, stderr=errors,
            )  # fmt: skip
        deadline = time.monotonic() + timeout_s
        while not accepts(self.listen_port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                errors = (self.folder / "stderr.log").read_text(errors="replace")
                raise RuntimeError(f"nginx did not start: {errors}")
            time.sleep(0.05)
        return self

    def upstreams(self) -> list[tuple[str, str, int, str]]:
        """(method, path, status, upstream addresses tried) per request, in order."""
        path = self.folder / "access.log"
        rows = []
        for line in path.read_text().splitlines() if path.exists() else []:
            method, uri, status, upstream = line.split(" ", 3)
            rows.append((method, uri, int(status), upstream))
        return rows

    def stop(self) -> None:
        stop_process(self.process)

    def __enter__(self) -> NginxProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
