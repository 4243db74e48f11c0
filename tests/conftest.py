"""Shared fixtures: temporary databases (SQLite files, a throwaway PostgreSQL database), a fake
OpenAI-compatible server, a hand-written fake provider, rosters pointing at them, wired arenas."""

# Offline before anything imports gradio or litellm (what the entry points apply).
from arena.config import apply_offline_defaults  # noqa: E402

apply_offline_defaults()

import asyncio  # noqa: E402
import threading  # noqa: E402
from collections.abc import AsyncIterator, Mapping, Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from arena.adapters.sqlite import SqliteStore  # noqa: E402
from arena.config import Settings  # noqa: E402
from tests.fake_openai import FakeOpenAIServer  # noqa: E402

ARTIFACTS = Path(__file__).parent / "artifacts"

# Integrity gates wide open, for tests about everything else (gate tests turn them back on),
# and no automatic snapshots: no `snapshot schedule` process beside every test app (the tests of
# automatic snapshots turn them on).
OPEN_GATES = dict(
    min_seconds_to_vote=0.0, pow_bits=0, duplicate_votes=10**6, prompt_cap=10**6,
    battles_per_minute_voter=10**6, battles_per_minute_ip=10**6, votes_per_day_voter=10**6,
    votes_per_day_ip=10**6, terms_required=False, snapshot_every_votes=0, snapshot_every_hours=0,
)  # fmt: skip


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        db_path=tmp_path / "arena.db", local_models=False, seed=7, ui_update_s=0.01, timeout_s=5.0,
        **OPEN_GATES,
    )  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    store = SqliteStore(tmp_path / "store.db")
    yield store
    store.close()


@pytest.fixture(scope="session")
def postgres_database():
    """URL of a throwaway PostgreSQL database for this session, dropped at its end (see
    tests/postgres.py: the server comes from ARENA_TEST_DATABASE_URL; unreachable, tests fail)."""
    from tests.postgres import throwaway_database

    with throwaway_database() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_database: str) -> str:
    """The session's PostgreSQL database, emptied for this test."""
    from tests.postgres import empty_database

    empty_database(postgres_database)
    return postgres_database


@pytest.fixture(scope="session")
def fake_server() -> FakeOpenAIServer:
    with FakeOpenAIServer(chunk_delay=0.005, slow_delay=30) as server:
        yield server


def roster_yaml(base_url: str, models: Mapping[str, str], *, system_prompts: bool = False) -> str:
    """A litellm proxy config: our model name -> the fake server's behaviour. With
    `system_prompts`, each model's system prompt names it, so the fake server's request log tells
    which model a request came from."""
    lines = ["model_list:"]
    for name, behaviour in models.items():
        lines += [
            f"  - model_name: {name}",
            "    litellm_params:",
            f"      model: openai/{behaviour}",
            f"      api_base: {base_url}",
            "      api_key: sk-test",
            "      max_retries: 0",
            "    model_info:",
            f"      display_name: {name.title()}",
            "      organisation: Test Org",
            "      licence: MIT",
        ]
        if system_prompts:
            lines.append(f"      system_prompt: 'roster model {name}'")
    return "\n".join(lines) + "\n"


@pytest.fixture
def make_roster(tmp_path: Path, fake_server: FakeOpenAIServer):
    """make_roster({"alpha": "fake-echo", "beta": "fake-zh"}) -> a Roster loaded from YAML."""
    from arena.adapters.roster import load_roster

    def make(models: Mapping[str, str]):
        path = tmp_path / "roster.yaml"
        path.write_text(roster_yaml(fake_server.base_url, models), encoding="utf-8")
        return load_roster(path)

    return make


@dataclass
class FakeProvider:
    """A hand-written provider: answers from a script per model name, no network."""

    answers: dict[str, str] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # model name -> ProviderFailed kind
    delay_s: float = 0.0
    calls: list[tuple[str, list]] = field(default_factory=list)
    closed: int = 0  # streams that ended, normally or not (an upstream call closed cleanly)

    async def stream(self, model, messages: Sequence[Mapping[str, str]]) -> AsyncIterator:
        from arena.adapters.providers import ProviderFailed, TextDelta, Usage

        self.calls.append((model.name, list(messages)))
        text = self.answers.get(model.name, f"answer from the model to: {messages[-1]['content']}")
        try:
            for i, word in enumerate(text.split(" ")):
                await asyncio.sleep(self.delay_s)
                if model.name in self.failures and i == 1:
                    raise ProviderFailed(self.failures[model.name], "the model did not answer")
                yield TextDelta(word if i == 0 else " " + word)
            yield Usage(prompt_tokens=3, completion_tokens=len(text.split()), cost_usd=None)
        finally:
            self.closed += 1

    async def check(self, model):
        from arena.adapters.providers import Reachability

        return Reachability(reachable=model.name not in self.failures, detail="fake", latency_s=0.0)

    def warm_up(self) -> None:
        pass

    async def aclose(self) -> None:
        pass


def serve_fake_app(tmp_path_factory, fake_server, name, *, provider=None, models=None, **gates):
    """The real app served on two fake-echo models of `fake_server` (or `models`: name →
    behaviour; answers from `provider` if given), with `gates` over OPEN_GATES: yields (arena,
    server) until the test module ends."""
    from arena.adapters.roster import load_roster
    from arena.bootstrap import create_arena
    from arena.config import Settings
    from arena.web.app import WebServer, build_app

    folder = tmp_path_factory.mktemp(name)
    (folder / "roster.yaml").write_text(
        roster_yaml(fake_server.base_url, models or {"alpha": "fake-echo", "beta": "fake-echo"}),
        encoding="utf-8",
    )
    settings = Settings(**{**OPEN_GATES, **gates}, db_path=folder / "arena.db", local_models=False,
                        roster_path=folder / "roster.yaml")  # fmt: skip
    with create_arena(
        settings, roster=load_roster(folder / "roster.yaml"), provider=provider,
        start_local_models=False,
    ) as arena:  # fmt: skip
        server = WebServer(build_app(arena), host="127.0.0.1", port=0).start()
        yield arena, server
        server.stop()


@pytest.fixture
def fake_provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def make_arena(settings: Settings, make_roster, fake_provider):
    """make_arena(models, provider=None, **setting_overrides) -> a wired Arena (closed after)."""
    from arena.bootstrap import create_arena

    opened = []

    def make(models=None, *, provider=None, **overrides):
        roster = make_roster(models or {"alpha": "fake-echo", "beta": "fake-zh"})
        context = create_arena(
            settings.with_overrides(**overrides),
            roster=roster,
            provider=provider if provider is not None else fake_provider,
            start_local_models=False,
        )
        opened.append(context)
        return context.__enter__()

    yield make
    for context in opened:
        context.__exit__(None, None, None)


def collect(stream) -> list:
    """Run an async stream of views to the end, in a worker thread (so it also works where an
    event loop is already running, as under playwright's sync API); returns every view."""
    outcome: dict = {}

    async def drain():
        return [view async for view in stream]

    def run():
        try:
            outcome["views"] = asyncio.run(drain())
        except BaseException as error:  # re-raised in the caller's thread
            outcome["error"] = error

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["views"]


CHROMIUM = "/usr/bin/chromium"  # Debian's package, installed by `make test`; never downloaded
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


# A browser test in each page language: (the browser's locale, the language it gets).
IN_EACH_LANGUAGE = pytest.mark.parametrize(("locale", "language"),
                                           [("en-US", "en"), ("zh-CN", "zh")])  # fmt: skip


def open_page(browser, server, locale: str, viewport=(1280, 1000)):
    """A new browser context (a new voter) on the arena's page, in `locale`: (context, page)."""
    context = browser.new_context(locale=locale,
                                  viewport={"width": viewport[0], "height": viewport[1]})  # fmt: skip
    page = context.new_page()
    page.goto(server.url)
    return context, page


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for the browser tests (playwright's sync API)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
