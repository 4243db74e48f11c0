"""The edge of the server, attacked from outside: forged files, forged forwarding headers, forged
voter cookies, guessed maintainer secrets, and the headers every response carries."""

import asyncio
import ipaddress
import json
import re
import tempfile
import uuid
from pathlib import Path

import httpx
import pytest

from arena.bootstrap import create_arena
from arena.web.app import WebServer, build_app
from arena.web.edge import CONTENT_SECURITY_POLICY, VOTER_COOKIE, Edge, client_address
from tests.conftest import OPEN_GATES, roster_yaml

MODELS = {"alpha": "fake-echo", "beta": "fake-echo"}
LOCAL = [ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/8")]


# -- the client address ----------------------------------------------------------------------
def test_forwarded_for_is_ignored_from_a_peer_that_is_not_a_trusted_proxy():
    assert client_address("203.0.113.5", ["198.51.100.1"], ()) == "203.0.113.5"
    assert client_address("127.0.0.1", ["198.51.100.1"], ()) == "127.0.0.1"


def test_a_trusted_proxy_reports_the_nearest_untrusted_address():
    assert client_address("127.0.0.1", ["198.51.100.1"], LOCAL) == "198.51.100.1"
    # a client may prepend anything; only what our proxies appended is believed
    chain = ["6.6.6.6, 198.51.100.1, 10.1.2.3"]
    assert client_address("127.0.0.1", chain, LOCAL) == "198.51.100.1"
    assert client_address("127.0.0.1", ["not-an-ip"], LOCAL) == "127.0.0.1"
    assert client_address("127.0.0.1", [], LOCAL) == "127.0.0.1"


def _through_edge(headers: list[tuple[bytes, bytes]], peer="127.0.0.1", trusted=(),
                  identity_header=None):  # fmt: skip
    """One request through the middleware; returns (scope seen by the app, response headers)."""
    seen, sent = {}, {}

    async def app(scope, receive, send):
        seen.update(scope)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def send(message):
        if message["type"] == "http.response.start":
            sent["headers"] = message["headers"]

    edge = Edge(app, trusted_proxies=trusted, read_voter=lambda t: t[3:] if t and t.startswith("ok-") else None,
                new_voter=lambda: ("fresh", "ok-fresh"), identity_header=identity_header,
                user_voter=lambda user: (f"user-{user}", f"ok-user-{user}"))  # fmt: skip
    scope = {"type": "http", "path": "/", "headers": headers, "client": (peer, 5000),
             "scheme": "http"}  # fmt: skip
    asyncio.run(edge(scope, None, send))
    return seen, dict(sent["headers"]) | {
        b"all-set-cookie": [v for k, v in sent["headers"] if k == b"set-cookie"]
    }


def test_forwarding_headers_never_reach_the_app_and_cannot_choose_the_address():
    seen, _ = _through_edge([(b"x-forwarded-for", b"1.2.3.4"), (b"x-real-ip", b"1.2.3.4")])
    assert seen["client"][0] == "127.0.0.1"
    assert not {b"x-forwarded-for", b"x-real-ip"} & {k for k, _ in seen["headers"]}
    trusted, _ = _through_edge([(b"x-forwarded-for", b"1.2.3.4")], trusted=LOCAL)
    assert trusted["client"][0] == "1.2.3.4"


def test_a_forged_voter_cookie_is_replaced_by_a_new_voter_before_the_app_sees_it():
    seen, sent = _through_edge([(b"cookie", f"theme=dark; {VOTER_COOKIE}=forged".encode())])
    cookie = dict(seen["headers"])[b"cookie"].decode()
    assert (
        f"{VOTER_COOKIE}=ok-fresh" in cookie and "forged" not in cookie and "theme=dark" in cookie
    )
    (set_cookie,) = sent[b"all-set-cookie"]
    assert set_cookie.startswith(f"{VOTER_COOKIE}=ok-fresh;".encode())
    assert b"HttpOnly" in set_cookie and b"SameSite=Lax" in set_cookie


def test_a_valid_voter_cookie_is_kept_and_not_set_again():
    seen, sent = _through_edge([(b"cookie", f"{VOTER_COOKIE}=ok-me".encode())])
    assert dict(seen["headers"])[b"cookie"] == f"{VOTER_COOKIE}=ok-me".encode()
    assert sent[b"all-set-cookie"] == []


@pytest.mark.parametrize("other", ['theme={"dark":true}', "name=Ada Lovelace", "x=a\\b",
                                   "lang=中文", 'q="unterminated'])  # fmt: skip
def test_a_valid_voter_cookie_is_read_beside_any_other_cookie(other):
    """Python's SimpleCookie gave up on the whole header at a cookie it could not parse (a
    quote, a space, non-ASCII), and the voter became a new one at every request: a cookie
    any page of the same site sets locked its visitors out of their battles."""
    header = f"{other}; {VOTER_COOKIE}=ok-me".encode()
    seen, sent = _through_edge([(b"cookie", header)])
    assert _voter_seen(seen) == "me"
    assert sent[b"all-set-cookie"] == []


# -- a trusted SSO proxy's identity header (ARENA_TRUSTED_IDENTITY_HEADER) -------------------------
SSO = {"identity_header": "X-Forwarded-User", "trusted": LOCAL}


def _voter_seen(seen) -> str:
    cookie = dict(seen["headers"])[b"cookie"].decode()
    return cookie.split(f"{VOTER_COOKIE}=ok-", 1)[1].split(";")[0]


def test_behind_a_trusted_sso_proxy_the_voter_is_the_signed_in_user_in_every_browser():
    first, sent = _through_edge([(b"x-forwarded-user", b"ada@example.com")], **SSO)
    assert _voter_seen(first) == "user-ada@example.com"
    assert sent[b"all-set-cookie"][0].startswith(
        f"{VOTER_COOKIE}=ok-user-ada@example.com;".encode()
    )
    # another browser, or a cookie of an earlier anonymous voter: still the same voter
    other, _ = _through_edge([(b"cookie", f"{VOTER_COOKIE}=ok-someone".encode()),
                              (b"x-forwarded-user", b"ada@example.com")], **SSO)  # fmt: skip
    assert _voter_seen(other) == "user-ada@example.com"
    # the header is consumed at the edge: nothing downstream can read or re-interpret it
    assert b"x-forwarded-user" not in {k for k, _ in first["headers"]}


def test_an_identity_header_from_anyone_but_a_trusted_proxy_is_ignored_and_dropped():
    spoofed, _ = _through_edge([(b"x-forwarded-user", b"ada@example.com")], peer="203.0.113.9",
                               **SSO)  # fmt: skip
    assert _voter_seen(spoofed) == "fresh"
    assert b"x-forwarded-user" not in {k for k, _ in spoofed["headers"]}


def test_without_the_setting_an_identity_header_means_nothing():
    seen, _ = _through_edge([(b"x-forwarded-user", b"ada@example.com")], trusted=LOCAL)
    assert _voter_seen(seen) == "fresh"


@pytest.mark.parametrize("values", [[b""], [b"   "], [b"ada@example.com", b"eve@example.com"]])
def test_an_empty_or_repeated_identity_header_names_no_user(values):
    seen, _ = _through_edge([(b"x-forwarded-user", v) for v in values], **SSO)
    assert _voter_seen(seen) == "fresh"


# -- the real app over HTTP --------------------------------------------------------------------
def _serve(tmp_path_factory, fake_server, **gates):
    from arena.adapters.roster import load_roster
    from arena.config import Settings

    folder = tmp_path_factory.mktemp("edge")
    (folder / "roster.yaml").write_text(roster_yaml(fake_server.base_url, MODELS), encoding="utf-8")
    canary = f"canary-{uuid.uuid4().hex}"
    (folder / "private.txt").write_text(canary, encoding="utf-8")
    settings = Settings(**{**OPEN_GATES, **gates},
        db_path=folder / "arena.db", local_models=False, ui_update_s=0.02, seed=3,
        maintainer_secret="s3cret",
    )  # fmt: skip
    with create_arena(
        settings, roster=load_roster(folder / "roster.yaml"), start_local_models=False
    ) as arena:
        server = WebServer(build_app(arena), host="127.0.0.1", port=0).start()
        yield arena, server, folder, canary
        server.stop()


@pytest.fixture(scope="module")
def served(tmp_path_factory, fake_server):
    """The app with tight per-voter and per-IP battle limits."""
    yield from _serve(
        tmp_path_factory, fake_server, battles_per_minute_ip=4, battles_per_minute_voter=3
    )


@pytest.fixture(scope="module")
def open_app(tmp_path_factory, fake_server):
    """The app with every gate open."""
    yield from _serve(tmp_path_factory, fake_server)


def _forged(path: str, component_type: str):
    """A forged file value for one input: inside a chat history for a chatbot, bare otherwise."""
    file_data = {"path": path, "orig_name": "x.txt", "meta": {"_type": "gradio.FileData"}}
    if component_type == "chatbot":  # a message whose content is a file part
        return [{"role": "user", "content": [{"type": "file", "file": file_data}]}]
    return file_data


def _forged_inputs(path: str, types: list[str]) -> list[list]:
    """Every input forged; and forged only where a file could hide (plain text elsewhere, so
    the handler runs and would echo what it received)."""
    texts = {"textbox", "dropdown", "radio", "button", "markdown", "number", "checkbox"}
    return [
        [_forged(path, t) for t in types],
        ["hello" if t in texts else _forged(path, t) for t in types],
    ]


def _run_event(url: str, fn_index: int, data: list, session: str, client: httpx.Client) -> str:
    joined = client.post(f"{url}/gradio_api/queue/join", json={
        "data": data, "fn_index": fn_index, "session_hash": session, "event_data": None,
        "trigger_id": None,
    })  # fmt: skip
    if joined.status_code != 200:
        return joined.text
    with client.stream(
        "GET", f"{url}/gradio_api/queue/data", params={"session_hash": session}, timeout=30
    ) as events:
        text = ""
        for line in events.iter_lines():
            text += line + "\n"
            if "process_completed" in line or "session_not_found" in line:
                break
    return text


@pytest.mark.slow
def test_forged_file_paths_sent_to_every_endpoint_are_never_served(open_app):
    """Regression for the critical hole: a FileData with path=/etc/passwd (or the database) sent
    as a component value was copied into Gradio's cache and served without authentication."""
    arena, server, folder, canary = open_app
    config = httpx.get(f"{server.url}/config").json()
    types = {c["id"]: c["type"] for c in config["components"]}
    targets = ["/etc/passwd", str(folder / "private.txt"), str(arena.settings.secrets_file)]
    responses, session = [], uuid.uuid4().hex[:11]
    with httpx.Client(timeout=30) as client:
        for dependency in config["dependencies"]:
            for path in targets:
                for data in _forged_inputs(path, [types[i] for i in dependency["inputs"]]):
                    responses.append(
                        _run_event(server.url, dependency["id"], data, session, client)
                    )
        said = "\n".join(responses)
        served_urls = set(re.findall(r"/gradio_api/file=[^\"\s]+", said))
        for path in [*targets, *re.findall(r'"path":\s*"([^"]+)"', said)]:
            served_urls.add(f"/gradio_api/file={path}")
        bodies = [client.get(f"{server.url}{u}") for u in served_urls]
    everything = "\n".join(responses) + "\n".join(b.text for b in bodies)
    assert canary not in everything
    assert "root:x:0:0" not in everything
    assert all(b.status_code in (403, 404) for b in bodies), [
        (b.url, b.status_code) for b in bodies
    ]
    cached = Path(tempfile.gettempdir()) / "gradio"
    if cached.exists():  # nothing was copied into Gradio's cache either
        for file in cached.rglob("*"):
            if file.is_file() and file.stat().st_size < 1_000_000:
                assert canary.encode() not in file.read_bytes(), file


@pytest.mark.slow
def test_uploads_and_remote_fetches_are_refused(served):
    _, server, _, _ = served
    upload = httpx.post(f"{server.url}/gradio_api/upload", files={"files": ("a.txt", b"hi")})
    assert upload.status_code == 403
    remote = httpx.get(f"{server.url}/gradio_api/file=https://example.com/pixel.gif")
    assert remote.status_code == 403


@pytest.mark.slow
def test_every_response_carries_the_security_headers(served):
    _, server, _, _ = served
    for path in ("/", "/api/health", "/config", "/api/no-such-thing"):
        headers = httpx.get(f"{server.url}{path}").headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
    assert (
        "http" not in CONTENT_SECURITY_POLICY
        and "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    )


@pytest.mark.slow
def test_a_browser_keeps_one_voter_and_its_per_voter_limit_across_requests(served):
    arena, server, _, _ = served
    with httpx.Client(base_url=server.url) as browser:
        browser.get("/")  # the page load sets the cookie
        token = browser.cookies[VOTER_COOKIE]
        ids = [browser.post("/api/battles", json={}) for _ in range(4)]
    assert [r.status_code for r in ids] == [201, 201, 201, 429]
    assert ids[3].json()["detail"]["reason"] == "battles_per_minute_voter"
    voters = {arena.store.load_battle(r.json()["battle_id"]).voter_id for r in ids[:3]}
    assert voters == {arena.voter_from_token(token)}


@pytest.mark.slow
def test_a_spoofed_forwarded_for_does_not_escape_the_per_ip_limit(served):
    """Regression: uvicorn believed X-Forwarded-For from 127.0.0.1, so one client behind a
    same-host tunnel could be many IPs."""
    arena, server, _, _ = served
    statuses = []
    for i in range(8):  # a new cookie and a new claimed address every time
        headers = {"X-Forwarded-For": f"198.51.100.{i}", "X-Real-IP": f"198.51.100.{i}"}
        with httpx.Client(base_url=server.url) as client:
            statuses.append(client.post("/api/battles", json={}, headers=headers).status_code)
    assert statuses.count(201) <= 4 and statuses[-1] == 429, statuses


@pytest.mark.slow
def test_guessing_the_maintainer_secret_is_throttled_per_ip(served):
    _, server, _, _ = served
    url = f"{server.url}/api/snapshots"
    wrong = [httpx.post(url, headers={"Authorization": f"Bearer guess-{i}"}) for i in range(5)]
    assert [r.status_code for r in wrong] == [403] * 5
    right = httpx.post(url, headers={"Authorization": "Bearer s3cret"})
    assert right.status_code == 429 and "wait a minute" in right.json()["detail"]


@pytest.fixture(scope="module")
def secret_app(tmp_path_factory, fake_server):
    """The app with no wrong secret tried from this host yet (the others' tests try some)."""
    yield from _serve(tmp_path_factory, fake_server)


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer  "])
def test_the_authorization_scheme_is_read_in_any_case(secret_app, scheme):
    """RFC 9110: the scheme is case-insensitive; "bearer s3cret" was a wrong secret, and used up
    one of the five tries a minute."""
    _, server, _, _ = secret_app
    answer = httpx.post(f"{server.url}/api/snapshots", timeout=60,
                        headers={"Authorization": f"{scheme} s3cret"})  # fmt: skip
    assert answer.status_code in (201, 409), answer.text  # made, or nothing to rank yet


@pytest.mark.slow
def test_a_battle_and_a_vote_through_the_json_api(open_app):
    arena, server, _, _ = open_app
    with httpx.Client(base_url=server.url, timeout=30) as voter:
        voter.get("/api/health")
        battle = voter.post("/api/battles", json={}).json()
        with voter.stream("POST", f"/api/battles/{battle['battle_id']}/turns",
                          json={"prompt": "Name a river"}) as streamed:  # fmt: skip
            lines = [json.loads(line) for line in streamed.iter_lines() if line]
        assert lines[-1]["done"] and lines[-1]["can_vote"]
        assert "Name a river" in lines[-1]["sides"]["A"]["text"]
        receipt = voter.post(f"/api/battles/{battle['battle_id']}/vote", json={"verdict": "tie"})
        assert receipt.status_code == 200 and receipt.json()["counted"]
        assert {m["display_name"] for m in receipt.json()["models"].values()} == {"Alpha", "Beta"}
        bad = voter.post(
            f"/api/battles/{battle['battle_id']}/turns",
            content=b'{"prompt": "\\ud800 a lone surrogate"}',
            headers={"Content-Type": "application/json"},
        )
        assert bad.status_code == 400 and bad.json()["detail"]["reason"] == "text_invalid"
        other = httpx.post(f"{server.url}/api/battles/{battle['battle_id']}/vote",
                           json={"verdict": "tie"})  # fmt: skip
        assert other.json()["stored"] is False and other.json()["reason"] == "not_your_battle"


@pytest.mark.slow
def test_every_stream_of_model_answers_shares_one_concurrency_limit(open_app):
    from arena.web.ui import build_ui

    arena, _, _, _ = open_app
    fns = build_ui(arena).fns.values()
    streaming = [fn for fn in fns if str(fn.api_name).endswith(("_send", "_regenerate"))]
    assert len(streaming) >= 6  # send (button and Enter) and regenerate in three panels
    assert {fn.concurrency_id for fn in streaming} == {"model_streams"}
    assert {fn.concurrency_limit for fn in streaming} == {arena.settings.concurrency}


@pytest.mark.slow
def test_junk_on_gradio_routes_is_one_log_line_and_never_a_traceback(open_app, capfd):
    import logging

    _, server, _, _ = open_app
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    loggers = [logging.getLogger(name) for name in ("uvicorn.error", "arena.web.edge", "gradio")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            unknown = client.get("/gradio_api/queue/data", params={"session_hash": "nope"})
            junk = client.post("/gradio_api/queue/join",
                               json={"data": [], "fn_index": 9999, "session_hash": "x"})  # fmt: skip
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    assert unknown.status_code == 200 and "session_not_found" in unknown.text
    assert junk.status_code == 422 and "Traceback" not in junk.text  # a client's mistake, not a 500
    assert not [r for r in records if r.exc_info], [r.getMessage() for r in records]
    # values Gradio itself refuses (a feedback word outside the choices, too few inputs): it
    # printed a whole traceback for each, to stderr, for any client that sent one
    with httpx.Client(base_url=server.url, timeout=30) as client:
        config = client.get("/config").json()
        vote = next(
            d for d in config["dependencies"] if d.get("api_name") == "anonymous_vote_a_better"
        )
        for data in ([None, None, "", ["bribed"]], []):
            _run_event(server.url, vote["id"], data, f"junk{len(data)}", client)
    printed = capfd.readouterr().err
    assert "Traceback" not in printed, printed


def test_no_route_tells_strangers_how_the_app_is_used(open_app):
    """Gradio's /monitoring/summary gave anyone the count and timing of every event (the votes
    by verdict, the maintainer's actions); FastAPI's /redoc served a page its own CSP broke."""
    _, server, _, _ = open_app
    with httpx.Client(base_url=server.url, timeout=10) as client:
        for path in ("/monitoring/summary", "/monitoring", "/redoc", "/docs"):
            answer = client.get(path)
            assert answer.status_code in (403, 404), (path, answer.status_code)
            assert "anonymous_vote" not in answer.text and "redoc" not in answer.text.lower()
        assert client.get("/api/docs").status_code == 200  # the JSON API's own page stays


def test_a_database_that_cannot_write_is_one_503_and_the_connection_lives_on(open_app, monkeypatch):
    """A full disk made every write a plain-text 500 whose connection the worker then reset,
    so nginx (max_fails=1, keep-alive) took every worker out, and reads got 502 too."""
    import sqlite3

    arena, server, _, _ = open_app

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    with httpx.Client(base_url=server.url, timeout=10) as client:
        monkeypatch.setattr(arena.store, "create_battle", full)
        refused = client.post("/api/battles")
        assert refused.status_code == 503
        assert refused.json()["detail"]["reason"] == "storage_unavailable"
        assert client.get("/api/health").status_code == 200  # the same connection, kept
        monkeypatch.undo()
        assert client.post("/api/battles").status_code == 201


@pytest.fixture(scope="module")
def sso_app(tmp_path_factory, fake_server):
    """The app behind an SSO proxy on this host that names the user in X-Forwarded-User."""
    yield from _serve(
        tmp_path_factory, fake_server, battles_per_minute_voter=3, trusted_proxies="127.0.0.1",
        trusted_identity_header="X-Forwarded-User",
    )  # fmt: skip


@pytest.mark.slow
def test_behind_sso_one_person_in_two_browsers_is_one_voter_with_one_battle_limit(sso_app):
    arena, server, _, _ = sso_app
    statuses, voters = [], set()
    for _browser in range(2):  # no cookie shared between them
        with httpx.Client(base_url=server.url,
                          headers={"X-Forwarded-User": "grace@example.com"}) as client:  # fmt: skip
            for _ in range(2):
                response = client.post("/api/battles", json={})
                statuses.append(response.status_code)
                if response.status_code == 201:
                    voters.add(arena.store.load_battle(response.json()["battle_id"]).voter_id)
    assert statuses == [201, 201, 201, 429]
    assert voters == {arena.voter_for_user("grace@example.com")[0]}
    with httpx.Client(base_url=server.url, headers={"X-Forwarded-User": "alan@example.com"}) as c:
        other = c.post("/api/battles", json={})
    assert other.status_code == 201
    assert arena.store.load_battle(other.json()["battle_id"]).voter_id not in voters


def test_a_users_voter_id_is_stable_keyed_and_does_not_carry_the_name():
    from arena.integrity.voter_tokens import read_voter_token, voter_token_for_user

    voter, token = voter_token_for_user(b"key-1", "ada@example.com")
    assert voter_token_for_user(b"key-1", "ada@example.com") == (voter, token)
    assert voter_token_for_user(b"key-1", "eve@example.com")[0] != voter
    assert voter_token_for_user(b"key-2", "ada@example.com")[0] != voter
    assert read_voter_token(b"key-1", token) == voter
    assert "ada" not in token and "example" not in voter


# -- what a client sends: its size, its encoding, its echo -----------------------------------
@pytest.mark.slow
def test_a_body_larger_than_any_request_needs_is_refused_before_it_is_read(open_app):
    """A 150 MB JSON value was read and parsed whole (3.5 s) before its 422; a 30 MB prompt
    before its 400."""
    _, server, _, _ = open_app
    with httpx.Client(base_url=server.url, timeout=30) as client:
        huge = client.post("/api/terms", content=b'{"sha256": "' + b"a" * 3_000_000 + b'"}',
                           headers={"content-type": "application/json"})  # fmt: skip
        assert huge.status_code == 413, huge.text[:200]
        assert len(huge.content) < 200

        def chunks():
            yield b'{"sha256": "'
            for _ in range(300):
                yield b"a" * 10_000
            yield b'"}'

        streamed = client.post("/api/terms", content=chunks(),
                               headers={"content-type": "application/json"})  # fmt: skip
        assert streamed.status_code == 413, streamed.text[:200]
        battle = client.post("/api/battles", json={}).json()["battle_id"]
        fine = client.post(f"/api/battles/{battle}/turns", json={"prompt": "字" * 4000})
        assert fine.status_code == 200, "the longest prompt allowed still fits"


@pytest.mark.slow
@pytest.mark.parametrize("body", [
    '{"verdict": "\\ud800"}', '{"verdict": "tie", "proof": {"challenge": "\\udfff", "solution": "1"}}',
    '{"verdict": "a_better", "feedback": ["\\ud800"]}', '{"\\ud800": 1}', '{"verdict": "' + "x" * 50_000 + '"}',
    "not json", '{"verdict": ',
])  # fmt: skip
def test_a_malformed_request_is_one_short_4xx_that_echoes_nothing(open_app, body):
    """A lone surrogate in a checked field was a 500 (FastAPI's 422 could not encode the input
    it echoed), and a 10 MB value came back whole in the 422."""
    _, server, _, _ = open_app
    with httpx.Client(base_url=server.url, timeout=30) as client:
        answer = client.post("/api/battles/x/vote", content=body.encode(),
                             headers={"content-type": "application/json"})  # fmt: skip
    assert answer.status_code == 422, answer.text[:300]
    assert len(answer.content) < 1_000, "nothing of the input is echoed"
    detail = answer.json()["detail"]
    assert detail["reason"] == "invalid_request" and detail["message"]


@pytest.mark.slow
def test_a_refused_vote_on_a_battle_id_no_battle_could_have_writes_nothing(open_app):
    """Each refused vote logged its battle id whole: 60 KB ids filled the database at 3 MB/s."""
    arena, server, folder, _ = open_app
    before = arena.store.events("vote_refused")
    with httpx.Client(base_url=server.url, timeout=30) as client:
        answer = client.post(f"/api/battles/{'y' * 60_000}/vote", json={"verdict": "tie"})
    assert answer.status_code == 400, answer.text[:200]
    assert answer.json()["detail"]["reason"] == "battle_id_invalid"
    assert len(answer.content) < 1_000
    assert arena.store.events("vote_refused") == before
