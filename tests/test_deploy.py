"""The multi-worker recipe without the app: the shipped nginx site is the generated one and nginx
accepts it; the supervisor starts workers on PORT+1 …, restarts one that dies, stops them all.
(tests/test_workers.py runs the real app behind nginx.)"""

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from arena.config import Settings
from arena.web.workers import (
    Supervisor,
    WorkersError,
    nginx_config,
    standalone_nginx_config,
    worker_ports,
)
from bench.workers_process import free_ports, nginx_binary

ROOT = Path(__file__).parent.parent


def test_the_shipped_nginx_site_is_the_generated_one():
    shipped = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert shipped == nginx_config(2, 7860, "80")


def test_the_nginx_site_keeps_a_voter_on_one_worker_and_streams_unbuffered():
    site = nginx_config(3, 9000, "127.0.0.1:9000")

    assert "map $cookie_arena_voter $arena_sticky" in site
    assert '"" $remote_addr;' in site, "no cookie yet: the client address"
    assert "hash $arena_sticky consistent;" in site
    assert [p for p in (9001, 9002, 9003) if f"server 127.0.0.1:{p} " in site] == [9001, 9002, 9003]
    for line in ("proxy_buffering off;", "proxy_set_header X-Forwarded-For $remote_addr;",
                 "proxy_set_header Upgrade $http_upgrade;", "proxy_next_upstream error timeout"):  # fmt: skip
        assert line in site


def test_the_json_api_goes_to_the_least_busy_worker_not_a_sticky_one():
    """The API keeps nothing in a worker's memory: its streams spread by open connections
    (hashing a few dozen voters' cookies put twice as many turns on one worker as the other)."""
    site = nginx_config(2, 9000, "127.0.0.1:9000")
    api = site[site.index("upstream arena_api {") :]
    assert "least_conn;" in api[: api.index("}")]
    assert "location /api/ {\n        proxy_pass http://arena_api;" in site
    assert "location / {\n        proxy_pass http://arena_workers;" in site
    assert site.count("proxy_buffering off;") == 2


def test_nginx_accepts_the_generated_configuration(tmp_path):
    binary = nginx_binary()
    if binary is None:
        pytest.fail("nginx is not installed (make apt-test installs it)")
    config = tmp_path / "nginx.conf"
    config.write_text(standalone_nginx_config(nginx_config(2, 7860, "127.0.0.1:7860"), tmp_path))
    checked = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(config), "-g", f"pid {tmp_path}/nginx.pid;"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr


def test_a_port_another_process_holds_is_one_error_before_anything_starts(tmp_path):
    """`serve` on a port in use printed uvicorn's error and a traceback; with --workers the
    supervisor took the other process's answers for its worker's, said "2 workers serving",
    and restarted the worker (which died at once) forever."""
    import socket

    from click.testing import CliRunner

    from arena.cli import cli

    base = free_ports(3)
    holder = socket.socket()
    holder.bind(("127.0.0.1", base + 1))
    holder.listen()
    try:
        settings = Settings(db_path=tmp_path / "arena.db", port=base, local_models=False)
        with pytest.raises(WorkersError, match=f"worker 1: cannot listen on 127.0.0.1:{base + 1}"):
            Supervisor(settings, 2, say=lambda line: None).start()
        single = CliRunner().invoke(cli, ["serve", "--port", str(base + 1), "--db",
                                          str(tmp_path / "arena.db"), "--no-local-models"])  # fmt: skip
        assert single.exit_code == 1
        assert (
            single.output
            == f"Error: cannot listen on 127.0.0.1:{base + 1}: Address already in use\n"
        )
    finally:
        holder.close()
    assert not (tmp_path / "arena.db").exists()  # nothing was started


def test_workers_listen_on_the_ports_after_nginx_s():
    assert worker_ports(7860, 3) == [7861, 7862, 7863]


def test_workers_need_a_fixed_port():
    with pytest.raises(WorkersError, match="fixed --port"):
        Supervisor(Settings(port=0), 2)


FAKE_WORKER = """\
import os, signal, socket, sys, time
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(os.environ["ARENA_PORT"])))
listener.listen()
while True:
    time.sleep(1)
"""


def test_the_supervisor_restarts_a_worker_that_dies_and_stops_them_all(tmp_path):
    """`python -m arena serve` replaced by a stand-in that only listens on ARENA_PORT."""
    stand_in = tmp_path / "python"
    stand_in.write_text(f"#!/bin/sh\nexec {sys.executable} -c '{FAKE_WORKER}'\n")
    stand_in.chmod(0o755)
    said: list[str] = []
    base = free_ports(3)
    supervisor = Supervisor(Settings(port=base), 2, say=said.append, python=str(stand_in))
    supervisor.start(timeout_s=20)
    watching = threading.Thread(target=supervisor.run)
    watching.start()
    try:
        first = supervisor.pool[0].process
        first.kill()
        deadline = time.monotonic() + 10
        while supervisor.pool[0].starts < 2:
            assert time.monotonic() < deadline, said
            time.sleep(0.05)
    finally:
        supervisor.request_stop()
        watching.join(10)
        supervisor.stop()

    assert [w.port for w in supervisor.pool] == [base + 1, base + 2]
    assert any("worker 1" in line and "SIGKILL" in line and "restarting" in line for line in said)
    assert supervisor.pool[0].process.pid != first.pid
    assert all(w.process.poll() is not None for w in supervisor.pool), "all stopped"
    assert supervisor.pool[1].starts == 1, "the other worker kept running"


def test_a_worker_that_keeps_failing_to_start_is_given_up_after_three_tries(tmp_path):
    stand_in = tmp_path / "python"
    stand_in.write_text("#!/bin/sh\nexit 1\n")
    stand_in.chmod(0o755)
    said: list[str] = []
    supervisor = Supervisor(Settings(port=free_ports(2)), 1, say=said.append, python=str(stand_in))

    with pytest.raises(WorkersError, match="3 times"):
        supervisor.start(timeout_s=20)
    assert sum("exited with code 1 while starting" in line for line in said) == 2


def test_workers_that_answer_503_stay_in_nginx_s_rotation(tmp_path):
    """While the shared database cannot serve (a full disk, PostgreSQL down), every worker
    answers 503 storage_unavailable. nginx counted each 503 as a failed worker (max_fails=1)
    and took them all out: for 5 s even the pages and reads that need no database got 502."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import httpx

    from bench.workers_process import NginxProcess

    class StandIn(BaseHTTPRequestHandler):
        """A worker whose database cannot serve: every read of it and every write a 503."""

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            self._answer(503 if self.path.startswith("/api/leaderboard") else 200)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._answer(503)

        def _answer(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    base = free_ports(3)
    workers = [ThreadingHTTPServer(("127.0.0.1", base + k), StandIn) for k in (1, 2)]
    for worker in workers:
        threading.Thread(target=worker.serve_forever, daemon=True).start()
    nginx = NginxProcess(tmp_path / "nginx", workers=2, base_port=base, listen_port=base)
    try:
        nginx.start()
        with httpx.Client(base_url=nginx.url, timeout=10) as client:
            for _ in range(4):
                assert client.post("/api/battles", json={}).status_code == 503
                assert client.post("/gradio_api/queue/join", json={}).status_code == 503
                assert client.get("/api/leaderboard").status_code == 503
            assert client.get("/api/health").status_code == 200
            assert client.get("/").status_code == 200
    finally:
        nginx.stop()
        for worker in workers:
            worker.shutdown()
            worker.server_close()


def test_the_benchmark_s_worker_ports_are_below_the_kernel_s_outgoing_ports():
    """A killed worker's port, taken meanwhile as an outgoing connection's own port (the
    database pool's), kept the restarted worker from listening for a minute."""
    from bench.workers_process import ephemeral_ports_start

    start = ephemeral_ports_start()
    assert 1024 < start <= 65535
    for _ in range(50):
        base = free_ports(3)
        assert base >= 20_000 and base + 2 < start
