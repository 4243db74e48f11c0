"""The terms a voter accepts before a first battle: the service refuses a battle before them,
records the acceptance with the voter, and the JSON API and the page both ask for it."""

import hashlib
import re

import httpx
import pytest
from playwright.sync_api import expect

from arena.domain.battle import BattleRuleBroken
from arena.domain.reasons import Reason
from arena.i18n import STRINGS
from arena.views import InvalidInput, Voter
from tests.conftest import ARTIFACTS, IN_EACH_LANGUAGE, collect, open_page, serve_fake_app

VOTER = Voter("s1", "voter-1", "10.0.0.1")


def test_no_battle_before_the_voter_accepts_the_terms(make_arena):
    arena = make_arena(terms_required=True)
    with pytest.raises(BattleRuleBroken) as refused:
        arena.start_battle(VOTER)
    assert refused.value.reason is Reason.TERMS_NOT_ACCEPTED
    assert not arena.has_accepted_terms(VOTER)
    arena.accept_terms(VOTER, arena.terms("zh").sha256)  # accepted as shown, in Chinese
    assert arena.has_accepted_terms(VOTER)
    started = arena.start_battle(VOTER)
    collect(arena.ask(VOTER, started.battle_id, "hello"))
    assert arena.vote(VOTER, started.battle_id, "tie").stored


def test_the_built_in_terms_say_prompts_and_votes_may_be_published_in_each_language(make_arena):
    arena = make_arena(terms_required=True)
    english, chinese = arena.terms("en"), arena.terms("zh")
    assert "may be published" in english.text and "公开发布" in chinese.text
    assert english.sha256 == hashlib.sha256(english.text.encode()).hexdigest()
    assert english.sha256 != chinese.sha256 and english.required


def test_accepting_the_same_terms_again_writes_nothing(make_arena):
    arena = make_arena(terms_required=True)
    for _ in range(3):
        arena.accept_terms(VOTER, arena.terms("en").sha256)
    assert len(arena.publishing.store.events("terms_accepted")) == 1


def test_one_network_making_too_many_new_voters_a_minute_is_refused(make_arena):
    """Every acceptance by a new cookie wrote a voters row, unthrottled: a script that dropped
    its cookie at each POST /api/terms grew the database by a row a request."""
    arena = make_arena(terms_required=True, battles_per_minute_ip=3)
    store, sha256 = arena.publishing.store, arena.terms("en").sha256
    now = [1_800_000_000.0]
    store.clock = lambda: now[0]
    for i in range(3):
        arena.accept_terms(Voter(f"s{i}", f"new-{i}", "198.51.100.7"), sha256)
    with pytest.raises(BattleRuleBroken) as refused:
        arena.accept_terms(Voter("s3", "new-3", "198.51.100.7"), sha256)
    assert refused.value.reason is Reason.NEW_VOTERS_PER_MINUTE_IP
    assert not store.has_voter("new-3")  # nothing written
    arena.accept_terms(Voter("s0", "new-0", "198.51.100.7"), sha256)  # accepted already
    arena.accept_terms(Voter("s4", "new-4", "203.0.113.9"), sha256)  # another IP
    now[0] += 61
    arena.accept_terms(Voter("s3", "new-3", "198.51.100.7"), sha256)  # a minute later
    assert store.has_voter("new-3")


def test_terms_that_are_not_the_current_ones_are_refused(make_arena):
    arena = make_arena(terms_required=True)
    for wrong in ("0" * 64, "", None, 42):
        with pytest.raises(InvalidInput, match="not the current terms"):
            arena.accept_terms(VOTER, wrong)
    assert not arena.has_accepted_terms(VOTER)


def test_a_maintainers_new_text_must_be_accepted_again(make_arena, settings):
    first = make_arena(terms_required=True, terms_text="Votes are CC-BY 4.0.")
    assert first.terms("en").text == first.terms("zh").text == "Votes are CC-BY 4.0."
    first.accept_terms(VOTER, first.terms("en").sha256)
    assert first.has_accepted_terms(VOTER)
    changed = make_arena(terms_required=True, terms_text="Votes are CC0.")  # same database
    assert not changed.has_accepted_terms(VOTER)
    with pytest.raises(BattleRuleBroken):
        changed.start_battle(VOTER)


def test_an_arena_without_required_terms_starts_battles_at_once(make_arena):
    arena = make_arena(terms_required=False)
    assert arena.has_accepted_terms(VOTER) and not arena.terms("en").required
    assert arena.start_battle(VOTER).battle_id


@pytest.fixture(scope="module")
def terms_app(tmp_path_factory, fake_server):
    yield from serve_fake_app(tmp_path_factory, fake_server, "terms", terms_required=True)


def test_the_json_api_asks_for_the_terms_before_a_battle(terms_app):
    _, server = terms_app
    with httpx.Client(base_url=server.url, timeout=30) as client:
        shown = client.get("/api/terms", params={"lang": "zh"}).json()
        assert shown["required"] and not shown["accepted"] and "公开发布" in shown["text"]
        refused = client.post("/api/battles")
        assert refused.status_code == 403
        assert refused.json()["detail"]["reason"] == "terms_not_accepted"
        wrong = client.post("/api/terms", json={"sha256": "0" * 64})
        assert wrong.status_code == 400 and wrong.json()["detail"]["reason"] == "terms_changed"
        assert client.post("/api/terms", json={"sha256": shown["sha256"]}).json() == {
            "accepted": True
        }
        assert client.get("/api/terms").json()["accepted"]
        assert client.post("/api/battles").status_code == 201


@pytest.fixture(scope="module")
def crowded_app(tmp_path_factory, fake_server):
    yield from serve_fake_app(
        tmp_path_factory, fake_server, "crowded", terms_required=True, battles_per_minute_ip=2
    )


def test_the_json_api_says_429_when_one_network_makes_too_many_new_voters(crowded_app):
    arena, server = crowded_app
    sha256 = arena.terms("en").sha256
    answers = []
    for _ in range(3):  # each client a new cookie, as a script that drops it
        with httpx.Client(base_url=server.url, timeout=30) as client:
            answers.append(client.post("/api/terms", json={"sha256": sha256}))
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].json()["detail"] == {
        "reason": "new_voters_per_minute_ip",
        "message": STRINGS["en"]["reason_new_voters_per_minute_ip"],
    }
    assert len(arena.publishing.store.events("terms_accepted")) == 2


@pytest.mark.slow
@pytest.mark.browser
@IN_EACH_LANGUAGE
def test_the_page_shows_the_terms_until_the_voter_agrees_and_remembers_it(
    terms_app, browser, locale, language
):
    arena, server = terms_app
    texts = STRINGS[language]
    context, page = open_page(browser, server, locale)
    notice = page.locator("#terms-accept")
    expect(notice).to_be_visible(timeout=30_000)
    expect(page.locator("#terms-text")).to_contain_text(re.compile(
        "may be published" if language == "en" else "公开发布"))  # fmt: skip
    page.locator("#anonymous-prompt textarea").fill("Name a river.")
    page.locator("#anonymous-send").click()
    expect(page.locator("#anonymous-status")).to_contain_text(
        texts["reason_terms_not_accepted"][:20], timeout=30_000
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"browser-terms-{locale}.png"))
    page.locator("#terms-accept").click()
    expect(notice).to_be_hidden(timeout=30_000)
    page.locator("#anonymous-send").click()
    expect(page.locator("#anonymous-vote-tie")).to_be_enabled(timeout=30_000)
    page.reload()  # recorded with the voter: not asked again
    expect(page.locator("#anonymous-prompt textarea")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1000)
    expect(notice).to_be_hidden()
    context.close()
