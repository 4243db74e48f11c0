"""End to end: the real app (FastAPI + Gradio under uvicorn) with litellm calling a fake
OpenAI-compatible server, driven over HTTP by gradio_client; and what goes over the wire."""

import json

import httpx
import pytest
from gradio_client import Client

from arena.bootstrap import create_arena
from arena.web.app import WebServer, build_app
from tests.conftest import OPEN_GATES, roster_yaml

pytestmark = pytest.mark.slow

# Distinctive names that could not appear in an answer by accident.
MODELS = {"zebra-oracle-7": "fake-echo", "quokka-sage-3": "fake-echo"}


class WireRecorder:
    """ASGI middleware keeping every response body byte the server sends to any client."""

    def __init__(self, app):
        self.app = app
        self.sent = bytearray()

    async def __call__(self, scope, receive, send):
        async def recording_send(message):
            if message["type"] == "http.response.body":
                self.sent += message.get("body", b"")
            await send(message)

        await self.app(scope, receive, recording_send)

    def mark(self) -> int:
        return len(self.sent)

    def since(self, mark: int) -> str:
        return bytes(self.sent[mark:]).decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def served(tmp_path_factory, fake_server):
    from arena.adapters.roster import load_roster
    from arena.config import Settings

    folder = tmp_path_factory.mktemp("web")
    (folder / "roster.yaml").write_text(roster_yaml(fake_server.base_url, MODELS), encoding="utf-8")
    settings = Settings(
        **OPEN_GATES, db_path=folder / "arena.db", local_models=False, ui_update_s=0.02, seed=3
    )
    with create_arena(
        settings, roster=load_roster(folder / "roster.yaml"), start_local_models=False
    ) as arena:
        recorder = WireRecorder(build_app(arena))
        server = WebServer(recorder, host="127.0.0.1", port=0).start()
        yield arena, server, recorder
        server.stop()


def send(client: Client, prompt: str):
    """Ask in the arena tab (parameters by name: docs/api.md; all else is server-side)."""
    return client.predict(prompt=prompt, api_name="/anonymous_send")


def vote(client: Client, verdict: str, solution: str = ""):
    return client.predict(solution=solution, api_name=f"/anonymous_vote_{verdict}")


def test_a_battle_and_a_vote_through_the_real_app(served):
    arena, server, _ = served
    client = Client(server.url, verbose=False)
    chat_a, chat_b, *_ = send(client, "Name three rivers")
    assert "Name three rivers" in json.dumps(chat_a) and "Name three rivers" in json.dumps(chat_b)
    result = vote(client, "a_better")
    text = json.dumps(result, ensure_ascii=False)
    assert "Receipt" in text and "counts" in text
    assert "Zebra-Oracle-7" in text and "Quokka-Sage-3" in text, "the reveal shows display names"
    assert sum(r.votes for r in arena.leaderboard()) >= 2


def test_no_model_name_goes_over_the_wire_before_the_vote(served, fake_server):
    _, server, recorder = served
    client = Client(server.url, verbose=False)
    mark = recorder.mark()
    send(client, "Tell me about the moon")
    before_vote = recorder.since(mark)
    assert "Tell me about the moon" in before_vote, "the recorder saw the battle's traffic"
    for name in MODELS:
        assert name not in before_vote and name.title() not in before_vote
    assert fake_server.base_url not in before_vote, "the provider's address leaked"
    assert "fake-echo" not in before_vote, "the provider's model id leaked"
    mark = recorder.mark()
    vote(client, "tie")
    after_vote = recorder.since(mark)
    assert all(name.title() in after_vote for name in MODELS), "revealed by display name"


def test_a_page_session_hash_held_by_another_voter_shows_them_nothing(served):
    """A session hash is no secret (it travels in URLs: /gradio_api/queue/data?session_hash=…):
    another voter who sent the page's language switch under it got the page's transcript."""
    _, server, _ = served
    victim = Client(server.url, verbose=False)
    send(victim, "my secret medical question about X")
    with httpx.Client(base_url=server.url, timeout=30) as stranger:  # a cookie of its own
        config = stranger.get("/config").json()
        switch = next(c["id"] for c in config["components"]
                      if c.get("props", {}).get("elem_id") == "language-switch")  # fmt: skip
        event = next(d for d in config["dependencies"] if [switch, "input"] in d["targets"])
        joined = stranger.post("/gradio_api/queue/join", json={
            "data": ["zh"] + [None] * (len(event["inputs"]) - 1), "fn_index": event["id"],
            "session_hash": victim.session_hash, "event_data": None, "trigger_id": None,
        })  # fmt: skip
        assert joined.status_code == 200, joined.text
        with stranger.stream("GET", "/gradio_api/queue/data",
                             params={"session_hash": victim.session_hash}) as events:  # fmt: skip
            done = next(json.loads(line[5:]) for line in events.iter_lines()
                        if line.startswith("data:") and "process_completed" in line)  # fmt: skip
    assert done["success"], done
    assert "secret medical" not in json.dumps(done, ensure_ascii=False)


def test_a_database_that_cannot_write_tells_the_voter_to_try_again(served, monkeypatch, caplog):
    """A full disk showed the voter "something went wrong on our side" and logged a traceback;
    the JSON API says the same failure as a 503 `storage_unavailable`."""
    import sqlite3

    arena, server, _ = served

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(arena.store, "create_battle", full)
    client = Client(server.url, verbose=False)
    shown = json.dumps(send(client, "Hello there"), ensure_ascii=False)
    assert "The database cannot serve this right now" in shown, shown
    assert "went wrong on our side" not in shown
    assert "Traceback" not in caplog.text
    monkeypatch.undo()
    chat_a, *_ = send(client, "Hello again")
    assert "Hello again" in json.dumps(chat_a)


def test_a_second_vote_gets_a_refusal_receipt(served):
    _, server, _ = served
    client = Client(server.url, verbose=False)
    send(client, "Hello there")
    vote(client, "b_better")
    again = json.dumps(vote(client, "tie"), ensure_ascii=False)
    assert "battle is over" in again or "refused" in again


def test_the_json_api_serves_the_live_leaderboard(served):
    _, server, _ = served
    health = httpx.get(f"{server.url}/api/health").json()
    assert health == {"status": "ok", "models": 2}
    board = httpx.get(f"{server.url}/api/leaderboard/live").json()
    assert board["method"] == "trueskill"
    for row in board["rows"]:
        assert {"model", "mu", "sigma", "conservative", "votes", "win_rate"} <= set(row)


def test_state_changing_endpoints_are_disabled_without_a_maintainer_secret(served):
    _, server, _ = served
    response = httpx.post(f"{server.url}/api/snapshots", headers={"Authorization": "Bearer x"})
    assert response.status_code == 403
    assert "disabled" in response.json()["detail"]


@pytest.fixture(scope="module")
def guarded(tmp_path_factory, fake_server):
    from arena.adapters.roster import load_roster
    from arena.config import Settings

    folder = tmp_path_factory.mktemp("guarded")
    (folder / "roster.yaml").write_text(roster_yaml(fake_server.base_url, MODELS), encoding="utf-8")
    settings = Settings(**OPEN_GATES,
        db_path=folder / "arena.db", local_models=False, ui_update_s=0.02, seed=5,
        maintainer_secret="s3cret", snapshot_resamples=30, min_votes=1,
    )  # fmt: skip
    with create_arena(
        settings, roster=load_roster(folder / "roster.yaml"), start_local_models=False
    ) as arena:
        server = WebServer(build_app(arena), host="127.0.0.1", port=0).start()
        for verdict in ("a_better", "tie", "b_better", "a_better"):
            client = Client(server.url, verbose=False)
            send(client, "写一个冒泡排序")
            vote(client, verdict)
        yield server
        server.stop()


def test_only_the_maintainer_secret_creates_a_snapshot_over_http(guarded):
    url = f"{guarded.url}/api/snapshots"
    assert httpx.post(url).status_code == 403
    assert httpx.post(url, headers={"Authorization": "Bearer guess"}).status_code == 403
    assert httpx.get(f"{guarded.url}/api/leaderboard").status_code == 404, "no snapshot yet"
    created = httpx.post(url, headers={"Authorization": "Bearer s3cret"}, timeout=60)
    assert created.status_code == 201, created.text
    snapshot_id = created.json()["id"]
    assert created.json()["manifest"]["votes"] == 4

    listed = httpx.get(url).json()["snapshots"]
    assert listed[0]["id"] == snapshot_id
    full = httpx.get(f"{url}/{snapshot_id}").json()
    assert full["manifest"]["vote_set_sha256"] == listed[0]["vote_set_sha256"]
    board = httpx.get(f"{guarded.url}/api/leaderboard", params={"category": "coding"}).json()
    assert board["snapshot_id"] == snapshot_id and board["votes"] == 4
    assert {r["model"] for r in board["rows"]} == set(MODELS)
    chinese = httpx.get(f"{guarded.url}/api/leaderboard", params={"category": "chinese"}).json()
    assert chinese["votes"] == 4
    bad = httpx.get(f"{guarded.url}/api/leaderboard", params={"category": "poetry"})
    assert bad.status_code == 400 and "choose from" in bad.json()["detail"]
    assert httpx.get(f"{url}/no-such-snapshot").status_code == 404
    nope = httpx.get(f"{url}/{snapshot_id}/changes", params={"category": "nope"})
    assert nope.status_code == 400 and "choose from" in nope.json()["detail"], "as the leaderboard"
    changes = httpx.get(f"{url}/{snapshot_id}/changes").json()["changes"]
    assert {c["status"] for c in changes} == {"new"}


def test_votes_through_the_json_api_run_one_at_a_time_on_sqlite(served, monkeypatch):
    """SQLite takes one writer: votes sent at once wait in the app's queue, not in 40 threads
    fighting over the database lock (at 200 votes/s that fight made the p99 seconds)."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    arena, server, _ = served
    clients = [httpx.Client(base_url=server.url, timeout=30) for _ in range(8)]
    battles = []
    for client in clients:
        battle_id = client.post("/api/battles").json()["battle_id"]
        with client.stream("POST", f"/api/battles/{battle_id}/turns", json={"prompt": "hi"}) as r:
            assert r.status_code == 200 and r.read()
        battles.append((client, battle_id))
    running, most = [0], [0]
    lock = threading.Lock()
    real_vote = arena.vote

    def counting_vote(*args, **kwargs):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.05)  # long enough for the others to arrive meanwhile
            return real_vote(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(arena, "vote", counting_vote)
    with ThreadPoolExecutor(len(battles)) as pool:
        answers = list(pool.map(
            lambda b: b[0].post(f"/api/battles/{b[1]}/vote", json={"verdict": "tie"}), battles
        ))  # fmt: skip
    for client in clients:
        client.close()
    assert [a.status_code for a in answers] == [200] * len(battles)
    assert all(a.json()["stored"] for a in answers)
    assert most[0] == 1, f"{most[0]} votes ran at once"
    assert arena.concurrent_writes == 1
