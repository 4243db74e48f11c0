"""A worker's event loop never waits on the database. Every stream of a worker shares its one
loop: a store call made on it (a read, a write queued behind another worker's transaction)
stalls every answer that worker is streaming. Store calls run in threads; the loop only moves
tokens. Watched on the real app, through the JSON API and the Gradio API, at the one door every
SQLite call goes through (`SqliteBase.db`)."""

import asyncio
import json
import subprocess
import sys
import traceback
from pathlib import Path

import httpx
import pytest

from arena.adapters.sqlite.base import SqliteBase
from tests.conftest import serve_fake_app

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def served(tmp_path_factory, fake_server):
    yield from serve_fake_app(tmp_path_factory, fake_server, "event_loop", ui_update_s=0.02)


@pytest.fixture
def on_loop(monkeypatch) -> list[str]:
    """Where the database was reached from a thread running an event loop (a short stack each)."""
    found: list[str] = []
    door = SqliteBase.db

    def watched(store: SqliteBase):
        if asyncio._get_running_loop() is not None:
            frames = traceback.extract_stack(limit=8)[:-1]
            found.append(" <- ".join(f"{f.name} ({Path(f.filename).name}:{f.lineno})"
                                     for f in reversed(frames)))  # fmt: skip
        return door.fget(store)

    monkeypatch.setattr(SqliteBase, "db", property(watched))
    return found


def test_a_battle_through_the_json_api_reaches_the_database_only_from_threads(served, on_loop):
    _, server = served
    with httpx.Client(base_url=server.url, timeout=30) as client:
        battle_id = client.post("/api/battles", json={}).json()["battle_id"]
        for prompt in ("Name three rivers", "And two lakes"):
            with client.stream("POST", f"/api/battles/{battle_id}/turns",
                               json={"prompt": prompt}) as answer:  # fmt: skip
                lines = [json.loads(line) for line in answer.iter_lines() if line.strip()]
            assert lines[-1]["done"] and lines[-1]["can_vote"], lines[-1]
        voted = client.post(f"/api/battles/{battle_id}/vote", json={"verdict": "tie"})
        assert voted.json()["stored"], voted.text
        assert client.post(f"/api/battles/{battle_id}/share").status_code == 201
        refused = client.post(f"/api/battles/{battle_id}/turns", json={"prompt": "more?"})
        assert refused.status_code == 409, "a turn after the vote is refused, from a thread too"
    assert on_loop == [], "\n".join(on_loop)


def test_a_battle_through_the_gradio_api_reaches_the_database_only_from_threads(served, on_loop):
    _, server = served
    played = subprocess.run(
        [sys.executable, "examples/play_battle.py", server.url, "Name three rivers",
         "--verdict", "a_better", "--wait", "0", "--accept-terms"],
        capture_output=True, text=True, timeout=180, cwd=ROOT,
    )  # fmt: skip
    assert played.returncode == 0, played.stdout + played.stderr
    assert 'You said: "Name three rivers"' in played.stdout
    assert on_loop == [], "\n".join(on_loop)
