"""Fuzzing the JSON API with schemathesis: every operation /api/openapi.json lists, against the real
app (uvicorn, litellm, the fake OpenAI server); no 5xx, no traceback or exception name in a body.
bench/fuzz.py runs the same loop with thousands of requests."""

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from arena.adapters.roster import load_roster
from arena.bootstrap import create_arena
from arena.config import Settings
from arena.web.app import WebServer, build_app
from tests.conftest import OPEN_GATES, roster_yaml

pytestmark = pytest.mark.slow

SECRET = "fuzz-maintainer-secret"
MODELS = {"alpha": "fake-echo", "beta": "fake-zh"}
TIMEOUT_S = 30
# Words that only an unhandled exception puts in a response body.
LEAKS = ("Traceback", 'File "', "Internal Server Error", "KeyError", "TypeError", "ValueError",
         "AttributeError", "IndexError", "UnicodeEncodeError", "UnicodeDecodeError",
         "RecursionError", "OverflowError", "AssertionError", "RuntimeError", "sqlite3",
         "OperationalError", "IntegrityError", "JSONDecodeError")  # fmt: skip
# generated: anything the schema allows; negative: what it forbids; as_voter: generated, sent with
# the voter cookie, a real battle or snapshot id in the path and the maintainer secret.
FLAVORS = ("as_voter", "generated", "negative")


@dataclass(frozen=True)
class Outcome:
    operation: str
    flavor: str
    status: int | None
    label: str  # the error the API answered with, ids and echoed values blanked out
    problem: str | None = None  # a 5xx, a leaked traceback, a dropped connection…
    request: str = ""


# -- the app ----------------------------------------------------------------------------------


@contextmanager
def served_app(folder: Path, fake_base_url: str) -> Iterator[str]:
    """The real app on a free port, its roster on the fake OpenAI server; yields its base URL."""
    roster = folder / "roster.yaml"
    roster.write_text(roster_yaml(fake_base_url, MODELS), encoding="utf-8")
    options = {**OPEN_GATES, "ui_update_s": 0.02, "seed": 3, "snapshot_resamples": 20}
    config = Settings(db_path=folder / "arena.db", local_models=False, maintainer_secret=SECRET,
                      **options)  # fmt: skip
    with create_arena(config, roster=load_roster(roster), start_local_models=False) as arena:
        server = WebServer(build_app(arena), host="127.0.0.1", port=0).start()
        try:
            yield server.url
        finally:
            server.stop()


class Client:
    """A voter of the API (its cookie), used to make real battles and snapshots to fuzz."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.get(f"{base_url}/api/health", timeout=TIMEOUT_S)  # the edge sets the cookie
        self.cookies = dict(self.session.cookies)

    def battle(self, answered: bool) -> str:
        started = self.session.post(f"{self.base_url}/api/battles", timeout=TIMEOUT_S)
        started.raise_for_status()
        battle_id = started.json()["battle_id"]
        if answered:
            url = f"{self.base_url}/api/battles/{battle_id}/turns"
            turn = self.session.post(url, json={"prompt": "Name three rivers"}, timeout=TIMEOUT_S)
            turn.raise_for_status()
        return battle_id

    def snapshot(self) -> str:
        """A snapshot over a few counted votes, so the read endpoints have data to show."""
        for verdict in ("a_better", "b_better", "tie"):
            battle_id = self.battle(answered=True)
            url = f"{self.base_url}/api/battles/{battle_id}/vote"
            self.session.post(url, json={"verdict": verdict}, timeout=TIMEOUT_S).raise_for_status()
        made = self.session.post(
            f"{self.base_url}/api/snapshots",
            headers={"Authorization": f"Bearer {SECRET}"},
            timeout=TIMEOUT_S,
        )
        made.raise_for_status()
        return made.json()["id"]


# -- the fuzz loop, shared with bench/fuzz.py -------------------------------------------------


def fuzz_api(base_url: str, examples: int, record: Callable[[Outcome], None]) -> None:
    """Run `examples` generated requests per operation and flavor; `record` gets each outcome."""
    client = Client(base_url)
    snapshot_id = client.snapshot()
    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json")
    for result in schema.get_all_operations():
        try:
            operation = result.ok()
        except Exception as error:  # an operation schemathesis cannot read: report, go on
            record(Outcome("?", "schema", None, "unreadable", f"schema: {error}"))
            continue
        for flavor in FLAVORS:
            fuzz_operation(operation, flavor, examples, client, snapshot_id, record)


def fuzz_operation(operation, flavor, examples, client, snapshot_id, record) -> None:
    mode = GenerationMode.NEGATIVE if flavor == "negative" else GenerationMode.POSITIVE
    extra = {"headers": {"authorization": f"Bearer {SECRET}"}} if flavor == "as_voter" else {}
    strategy = operation.as_strategy(generation_mode=mode, **extra)

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=strategy)
    def run(case) -> None:
        cookies = None
        if flavor == "as_voter":
            cookies = client.cookies
            for name in re.findall(r"{(\w+)}", operation.path):
                if name == "battle_id":
                    answered = operation.path.endswith("/vote")
                    case.path_parameters[name] = client.battle(answered=answered)
                elif name == "snapshot_id":
                    case.path_parameters[name] = snapshot_id
        record(call(case, operation.label, flavor, cookies))

    with suppress(Unsatisfiable):  # nothing to vary (no parameters to break in negative mode)
        run()


def call(case, operation: str, flavor: str, cookies: dict | None) -> Outcome:
    request = describe(case)
    try:
        response = case.call(cookies=cookies, timeout=TIMEOUT_S)
    except requests.RequestException as error:
        return Outcome(operation, flavor, None, "no answer", f"{type(error).__name__}", request)
    status, body = response.status_code, response.text
    label = f"{status} {error_label(body)}" if status >= 400 else f"{status}"
    problem = None
    if status >= 500:
        problem = f"HTTP {status}: {body[:300]}"
    else:
        leaked = [word for word in LEAKS if word in body and word not in request]
        if leaked:
            problem = f"HTTP {status} body names {', '.join(leaked)}: {body[:300]}"
        elif "application/x-ndjson" in str(response.headers.get("content-type")):
            label = f"{status} " + stream_label(body)
    return Outcome(operation, flavor, status, label, problem, request)


def describe(case) -> str:
    parts = [f"{case.method} {case.formatted_path}"]
    for name in ("query", "headers", "cookies", "body"):
        value = getattr(case, name, None)
        if value not in (None, {}, "") and type(value).__name__ != "NotSet":
            parts.append(f"{name}={value!r}")
    return " ".join(parts)[:2000]


def error_label(body: str) -> str:
    """The API's error in a few words: its reason, message or validation error types, with
    quoted values (ids, echoed input) blanked so equal errors count once."""
    try:
        detail = json.loads(body).get("detail", body)
    except (ValueError, AttributeError):
        detail = body
    if isinstance(detail, dict):
        detail = detail.get("reason") or detail.get("message") or detail
    if isinstance(detail, list):  # FastAPI's validation errors
        detail = ", ".join(
            sorted(
                {
                    f"{e.get('type')} at {'.'.join(map(str, e.get('loc', ())[:2]))}"
                    for e in detail
                    if isinstance(e, dict)
                }
            )  # fmt: skip
        )
    return re.sub(r"'[^']*'|\"[^\"]*\"", "…", str(detail))[:120]


def stream_label(body: str) -> str:
    """A streamed turn: "answered", or the error its last line carries."""
    lines = [line for line in body.splitlines() if line.strip()]
    try:
        last = json.loads(lines[-1]) if lines else {}
    except ValueError:
        return "stream: unreadable last line"
    if "error" in last:
        return f"stream error {last['error'].get('reason')}"
    return "stream answered" if last.get("done") else "stream unfinished"


# -- test -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, fake_server) -> Iterator[str]:
    with served_app(tmp_path_factory.mktemp("fuzz-api"), fake_server.base_url) as url:
        yield url


def test_every_api_operation_answers_fuzzed_requests_without_5xx_or_tracebacks(base_url):
    outcomes: list[Outcome] = []
    fuzz_api(base_url, examples=5, record=outcomes.append)
    operations = {o.operation for o in outcomes}
    assert {"GET /api/health", "POST /api/snapshots"} <= operations, operations
    problems = [f"{o.operation} [{o.flavor}] {o.problem}\n    {o.request}" for o in outcomes
                if o.problem]  # fmt: skip
    assert not problems, "\n".join(problems)
