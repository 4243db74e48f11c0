"""The real app (`python -m arena serve`) and the fake OpenAI-compatible provider as separate
processes on 127.0.0.1, for the reliability benchmarks: start, wait until ready, kill -9, stop.

Each process logs to a file in the run's folder; `cpu_seconds` reads a process's user + system
CPU time from /proc, so a benchmark can charge CPU to the app alone.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"  # the benchmarks never talk to anything else
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Every integrity gate open, as tests/conftest.py OPEN_GATES: load runs measure the path, not the
# rate limits. Values are ARENA_* environment variables.
OPEN_GATES = {
    "ARENA_MIN_SECONDS_TO_VOTE": "0",
    "ARENA_POW_BITS": "0",
    "ARENA_DUPLICATE_VOTES": "1000000",
    "ARENA_PROMPT_CAP": "1000000",
    "ARENA_BATTLES_PER_MINUTE_VOTER": "1000000",
    "ARENA_BATTLES_PER_MINUTE_IP": "1000000",
    "ARENA_VOTES_PER_DAY_VOTER": "1000000",
    "ARENA_VOTES_PER_DAY_IP": "1000000",
    "ARENA_TERMS_REQUIRED": "false",
    # no automatic snapshot process beside the app, unless a benchmark asks for one
    "ARENA_SNAPSHOT_EVERY_VOTES": "0",
    "ARENA_SNAPSHOT_EVERY_HOURS": "0",
    "ARENA_TRUSTED_PROXIES": HOST,  # clients may give each voter its own X-Forwarded-For
}


def stop_process(process: subprocess.Popen | None) -> None:
    """SIGTERM, then SIGKILL after 10 s, if still running."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process (threads included), from /proc/<pid>/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the name in (…) may hold spaces
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime (fields 14, 15)


def waited_seconds(pid: int) -> float:
    """Seconds the live threads of `pid` have waited, runnable, for a core (their schedstat: on
    a busy machine, the latency no profile of the process shows)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[1])
        except (OSError, IndexError):
            continue  # the thread ended meanwhile
    return total / 1e9


def tree_cpu_seconds(pid: int) -> float:
    """`cpu_seconds` of `pid` and its live children (nginx's master and its workers)."""
    total = cpu_seconds(pid)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if int(text[text.rindex(")") + 2 :].split()[1]) == pid:
            with suppress(OSError):  # the child ended meanwhile
                total += cpu_seconds(int(stat.parent.name))
    return total


def machine_busy_seconds() -> float:
    """CPU seconds every core of the machine spent busy since boot (all processes, /proc/stat;
    time a shared VM's host gave to others, steal, counts as busy: the cores were not ours)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def child_environ(extra: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without any ARENA_* setting, offline defaults, then `extra`."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ARENA_")}
    environ.update(
        LITELLM_LOCAL_MODEL_COST_MAP="True",
        HF_HUB_OFFLINE="1",
        GRADIO_ANALYTICS_ENABLED="False",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    environ.update(extra)
    return environ


def write_roster(path: Path, base_url: str, models: Mapping[str, str]) -> Path:
    """The tests' roster (tests/conftest.py), each model's system prompt naming it."""
    from tests.conftest import roster_yaml

    path.write_text(roster_yaml(base_url, models, system_prompts=True), encoding="utf-8")
    return path


class FakeProviderProcess:
    """tests/fake_openai.py in its own process (so its threads never compete with the client's)."""

    def __init__(
        self,
        folder: Path,
        *,
        fault_rate: float = 0.0,
        seed: int = 0,
        chunk_delay: float = 0.0,
        slow_delay: float = 30.0,
        nice: int = 0,
    ) -> None:
        """`nice`: the process's scheduling priority (negative: ahead of the app's processes; a
        benchmark's stand-in for a provider on machines of its own)."""
        self.nice = nice
        self.args = [
            "--fault-rate", str(fault_rate), "--seed", str(seed),
            "--chunk-delay", str(chunk_delay), "--slow-delay", str(slow_delay),
        ]  # fmt: skip
        self.log_path = folder / "fake_provider.log"
        self.process: subprocess.Popen | None = None
        self.base_url = ""

    def start(self, timeout_s: float = 20.0) -> FakeProviderProcess:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [*(["nice", "-n", str(self.nice)] if self.nice else []), PYTHON, "-m",
                 "tests.fake_openai", *self.args],  # fmt: skip
                cwd=ROOT, env=child_environ({}), stdout=subprocess.PIPE, stderr=log,
            )  # fmt: skip
        deadline = time.monotonic() + timeout_s
        line = b""
        while not line and time.monotonic() < deadline and self.process.poll() is None:
            line = self.process.stdout.readline()
        if not line:
            self.stop()
            raise RuntimeError(f"the fake provider did not start; see {self.log_path}")
        self.base_url = json.loads(line)["base_url"]
        return self

    def requests(self) -> list[dict[str, Any]]:
        """Every chat request it received: model, behaviour, outcome, system, prompt."""
        url = self.base_url.removesuffix("/v1") + "/fake/requests"
        return httpx.get(url, timeout=30).json()["requests"]

    def stop(self) -> None:
        stop_process(self.process)

    def __enter__(self) -> FakeProviderProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class AppProcess:
    """`python -m arena serve` on a fixed port; `settings` are ARENA_* environment variables.

    The port stays the same across restarts, so clients keep their base URL (and cookies)."""

    def __init__(self, folder: Path, settings: Mapping[str, str], *, port: int = 0) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.settings = {
            "ARENA_HOST": HOST,
            "ARENA_PORT": str(self.port),
            "ARENA_LOCAL_MODELS": "false",
            "ARENA_DB_PATH": str(folder / "arena.db"),
            **settings,
        }
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.launched_at = 0.0  # time.time() when the current process was launched
        self.ready_s: list[float] = []  # launch to first healthy answer, per start

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def db_path(self) -> Path:
        return Path(self.settings["ARENA_DB_PATH"])

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout_s: float = 120.0) -> AppProcess:
        """Launch and wait until GET /api/health answers ok."""
        self.starts += 1
        log = open(self.folder / f"app-{self.starts:02d}.log", "wb")  # noqa: SIM115
        self.launched_at = time.time()
        started = time.monotonic()
        self.process = subprocess.Popen(
            [PYTHON, "-m", "arena", "serve"], cwd=ROOT, env=child_environ(self.settings),
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        deadline = started + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited with {self.process.returncode}: {self.log}")
            if self.is_healthy():
                self.ready_s.append(time.monotonic() - started)
                return self
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"the app did not become healthy in {timeout_s:g} s: {self.log}")

    @property
    def log(self) -> Path:
        return self.folder / f"app-{self.starts:02d}.log"

    def is_healthy(self) -> bool:
        try:
            answer = httpx.get(f"{self.url}/api/health", timeout=2.0)
        except httpx.HTTPError:
            return False
        return answer.status_code == 200 and answer.json().get("status") == "ok"

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """kill -9: no shutdown handler runs."""
        if self.is_running():
            os.kill(self.process.pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait(30)

    def stop(self, timeout_s: float = 30.0) -> int | None:
        """SIGTERM (a clean stop), kill -9 after `timeout_s`; returns the exit code."""
        if self.is_running():
            self.process.terminate()
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.kill()
        return None if self.process is None else self.process.returncode

    def __enter__(self) -> AppProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def open_read_only(path: Path) -> sqlite3.Connection:
    """The app's database, read-only (safe while the app runs; sees committed WAL data)."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
