"""Feedback with the vote (stored, released, never rated) and sharing a voted battle (a public,
read-only page with nothing about the voter): the service, the JSON API, the page and the
browser, in English and Chinese."""

import io
import json
import re

import httpx
import pytest
from playwright.sync_api import expect

from arena.domain.battle import BattleRuleBroken
from arena.domain.reasons import Reason
from arena.domain.verdicts import Feedback
from arena.i18n import STRINGS
from arena.views import InvalidInput, Voter
from tests.conftest import ARTIFACTS, IN_EACH_LANGUAGE, collect, open_page, serve_fake_app

VOTER = Voter("s1", "voter-1", "10.0.0.1")
HTML_PROMPT = '<img src=x onerror="alert(1)"> & is 2 < 3?'


def _answered(arena, voter=VOTER, prompt="Name a river."):
    started = arena.start_battle(voter)
    collect(arena.ask(voter, started.battle_id, prompt))
    return started.battle_id


# -- feedback ------------------------------------------------------------------------------
def test_feedback_is_stored_with_the_vote_once_each_in_one_order_and_on_the_receipt(make_arena):
    arena = make_arena()
    battle = _answered(arena)
    receipt = arena.vote(VOTER, battle, "a_better", None, ["safer", "more_accurate", "safer"])
    assert receipt.counted and receipt.feedback == (Feedback.ACCURATE, Feedback.SAFER)
    [row] = arena.publishing.store.snapshot_vote_rows()
    assert json.loads(row["feedback"]) == ["more_accurate", "safer"]


@pytest.mark.parametrize(("verdict", "feedback", "problem"), [
    ("a_better", ["faster"], "unknown feedback 'faster'"),
    ("a_better", "safer", "must be a list"),
    ("b_better", [{"safer": 1}], "unknown feedback"),
    ("a_better", ["safer"] * 7, "at most 6"),
    ("a_better", ["safer"] * 13, "at most 6"),
    ("tie", ["safer"], "give it with a_better or b_better"),
    ("both_bad", ["more_accurate"], "give it with a_better or b_better"),
])  # fmt: skip
def test_feedback_that_is_not_one_of_the_words_refuses_the_vote_and_stores_nothing(
    make_arena, verdict, feedback, problem
):
    arena = make_arena()
    battle = _answered(arena)
    with pytest.raises(InvalidInput, match=problem) as refused:
        arena.vote(VOTER, battle, verdict, None, feedback)
    assert refused.value.code == "feedback_invalid"
    assert list(arena.publishing.store.snapshot_vote_rows()) == []
    assert arena.vote(VOTER, battle, verdict).stored  # the same vote without it goes through


def test_feedback_never_changes_a_rating(make_arena, tmp_path):
    """The same votes with and without feedback: the same live board and the same snapshot."""
    boards = []
    for n, words in enumerate(([], ["more_accurate", "better_written", "safer"])):
        arena = make_arena(db_path=tmp_path / f"arena-{n}.db")
        for i, verdict in enumerate(["a_better", "b_better", "a_better", "a_better"]):
            voter = Voter(f"s{i}", f"voter-{i}", "10.0.0.1")
            battle = _answered(arena, voter, f"question {i}")
            arena.vote(voter, battle, verdict, None, words)
        snapshot = arena.create_snapshot()
        live = [(r.model, round(r.mu, 9), round(r.sigma, 9)) for r in arena.leaderboard()]
        boards.append((live, json.dumps(snapshot.boards, default=str, sort_keys=True)))
    assert boards[0] == boards[1]


def test_a_release_carries_each_votes_feedback(make_arena):
    arena = make_arena()
    first = _answered(arena)
    arena.vote(VOTER, first, "b_better", None, ["more_helpful", "more_concise"])
    second = _answered(arena, prompt="Name a lake.")
    arena.vote(VOTER, second, "tie")
    out = io.StringIO()
    assert arena.release_battles(out) == 2
    released = {b["question_id"]: b["feedback"] for b in json.loads(out.getvalue())}
    assert released == {first: ["more_helpful", "more_concise"], second: []}


# -- sharing -------------------------------------------------------------------------------
def test_a_voter_shares_a_voted_battle_and_its_page_shows_it_without_the_voter(make_arena):
    arena = make_arena()
    battle = _answered(arena, prompt=HTML_PROMPT)
    with pytest.raises(InvalidInput, match="only a battle with a stored vote") as early:
        arena.share_battle(VOTER, battle)
    assert early.value.code == "battle_not_voted"
    arena.vote(VOTER, battle, "b_better", None, ["safer"])
    share_id = arena.share_battle(VOTER, battle)
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", share_id)
    assert arena.share_battle(VOTER, battle) == share_id  # asked again: the same page
    shared = arena.shared_battle(share_id)
    loaded = arena.publishing.store.load_battle(battle)
    assert shared.turns == ((HTML_PROMPT, {s: a.text for s, a in loaded.turns[0].answers.items()}),)
    assert {s: c.name for s, c in shared.cards.items()} == loaded.models
    assert shared.verdict == "b_better" and shared.feedback == (Feedback.SAFER,)
    # the page's own random id may hold "s1" by chance (it once did: 'ZMus1WUDbJn8WKBC')
    shown = repr(shared).replace(share_id, "<share id>")
    assert VOTER.voter_id not in shown and VOTER.session_id not in shown and battle not in shown


def test_only_the_battles_own_voter_can_share_it(make_arena):
    arena = make_arena()
    battle = _answered(arena)
    arena.vote(VOTER, battle, "tie")
    stranger = Voter("s2", "voter-2", "10.0.0.2")
    with pytest.raises(BattleRuleBroken) as refused:
        arena.share_battle(stranger, battle)
    assert refused.value.reason is Reason.NOT_YOUR_BATTLE
    with pytest.raises(BattleRuleBroken):
        arena.share_battle(VOTER, "no-such-battle")


@pytest.mark.parametrize("share_id", ["", "x" * 15, "x" * 17, "../../etc/passwd", None, 42,
                                      "AAAAAAAAAAAAAAAA"])  # fmt: skip
def test_an_id_that_names_no_shared_battle_shows_nothing(make_arena, share_id):
    assert make_arena().shared_battle(share_id) is None


@pytest.fixture(scope="module")
def open_app(tmp_path_factory, fake_server):
    yield from serve_fake_app(tmp_path_factory, fake_server, "sharing")


def _api_battle(client: httpx.Client, prompt: str) -> str:
    battle = client.post("/api/battles").json()["battle_id"]
    with client.stream("POST", f"/api/battles/{battle}/turns", json={"prompt": prompt}) as lines:
        views = [json.loads(line) for line in lines.iter_lines() if line]
    assert views[-1]["done"] and views[-1]["can_vote"]
    return battle


def test_the_json_api_votes_with_feedback_and_shares_the_battle(open_app):
    _, server = open_app
    with httpx.Client(base_url=server.url, timeout=30) as client:
        battle = _api_battle(client, HTML_PROMPT)
        wrong = client.post(f"/api/battles/{battle}/vote",
                            json={"verdict": "a_better", "feedback": ["faster"]})  # fmt: skip
        assert wrong.status_code == 422
        early = client.post(f"/api/battles/{battle}/share")
        assert early.status_code == 400 and early.json()["detail"]["reason"] == "battle_not_voted"
        receipt = client.post(f"/api/battles/{battle}/vote",
                              json={"verdict": "a_better", "feedback": ["more_helpful"]}).json()  # fmt: skip
        assert receipt["counted"] and receipt["feedback"] == ["more_helpful"]
        shared = client.post(f"/api/battles/{battle}/share")
        assert shared.status_code == 201
        url = shared.json()["url"]
        assert url == f"/battle/{shared.json()['share_id']}"
        with httpx.Client(base_url=server.url, timeout=30) as stranger:  # another voter
            refused = stranger.post(f"/api/battles/{battle}/share")
            assert refused.status_code == 404
            assert refused.json()["detail"]["reason"] == "not_your_battle"
            seen = stranger.get(f"/api/shared/{shared.json()['share_id']}").json()
            page = stranger.get(url, headers={"accept-language": "zh-CN"})
            assert stranger.get("/api/shared/AAAAAAAAAAAAAAAA").status_code == 404
    assert seen["turns"][0]["prompt"] == HTML_PROMPT
    assert seen["verdict"] == "a_better" and seen["feedback"] == ["more_helpful"]
    assert set(seen) == {"share_id", "turns", "models", "verdict", "feedback"}
    assert set(seen["models"]) == {"A", "B"} and "voter" not in json.dumps(seen)
    assert all(set(turn) == {"prompt", "answers"} for turn in seen["turns"])
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "content-security-policy" in page.headers
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; is 2 &lt; 3?" in page.text
    assert "<img" not in page.text
    assert STRINGS["zh"]["shared_title"] in page.text and "理由：更有帮助" in page.text
    missing = httpx.get(f"{server.url}/battle/AAAAAAAAAAAAAAAA?lang=en")
    assert missing.status_code == 404 and STRINGS["en"]["shared_not_found"] in missing.text


@pytest.mark.slow
@pytest.mark.browser
@IN_EACH_LANGUAGE
def test_a_voter_adds_feedback_shares_the_battle_and_anyone_opens_its_page(
    open_app, browser, locale, language
):
    arena, server = open_app
    texts = STRINGS[language]
    context, page = open_page(browser, server, locale)
    page.locator("#anonymous-prompt textarea").fill(HTML_PROMPT)
    page.locator("#anonymous-send").click()
    expect(page.locator("#anonymous-vote-a_better")).to_be_enabled(timeout=30_000)
    feedback = page.locator("#anonymous-feedback")
    expect(feedback).to_contain_text(texts["feedback_info"][:12])
    for word in ("more_accurate", "safer"):
        feedback.get_by_label(texts[f"feedback_{word}"], exact=True).check()
    page.locator("#anonymous-vote-a_better").click()
    status = page.locator("#anonymous-status")
    said = texts["receipt_feedback"].split("{")[0]
    expect(status).to_contain_text(said, timeout=30_000)
    expect(status).to_contain_text(texts["feedback_more_accurate"])
    expect(feedback).to_be_hidden()
    share = page.locator("#anonymous-share")
    expect(share).to_have_text(texts["share"])
    share.click()
    link = status.locator("a[href^='/battle/']")
    expect(link).to_be_visible(timeout=30_000)
    expect(share).to_be_hidden()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"browser-shared-link-{locale}.png"))
    other = "English" if language == "zh" else "简体中文"
    page.locator("#language-switch").get_by_text(other).click()  # the link is said again
    expect(status.locator("a[href^='/battle/']")).to_be_visible()
    href = link.get_attribute("href")
    shared_vote = arena.publishing.store.shared_battle(href.rsplit("/", 1)[1])
    [receipt] = [r for r in arena.publishing.store.snapshot_vote_rows()
                 if r["battle_id"] == shared_vote["battle_id"]]  # fmt: skip
    assert json.loads(receipt["feedback"]) == ["more_accurate", "safer"]
    reader = browser.new_context(locale=locale, viewport={"width": 390, "height": 844})
    shared = reader.new_page()  # anyone: another browser, another voter
    shared.goto(server.url + href)
    expect(shared.locator("h1")).to_have_text(texts["shared_title"])
    expect(shared.locator(".prompt")).to_have_text(HTML_PROMPT)
    expect(shared.locator("#verdict")).to_contain_text(texts["a_better"])
    expect(shared.locator("#feedback")).to_contain_text(texts["feedback_safer"])
    names = [m.display_name for m in arena.roster.models]
    for side in "AB":
        expect(shared.locator(".model").nth("AB".index(side))).to_contain_text(
            re.compile("|".join(map(re.escape, names)))
        )
    assert shared.locator("img").count() == 0
    shared.screenshot(path=str(ARTIFACTS / f"browser-shared-page-{locale}.png"), full_page=True)
    reader.close()
    context.close()


@pytest.fixture(scope="module")
def reading_app(tmp_path_factory, fake_server):
    """A vote counts only 30 s after the answers."""
    yield from serve_fake_app(tmp_path_factory, fake_server, "reading", min_seconds_to_vote=30.0)


def test_the_json_apis_last_line_says_how_long_until_a_vote_would_count(open_app, reading_app):
    """Regression: a script saw `can_vote` and voted at once, uncounted (too_fast), with no
    way to know the wait the page counts down."""
    waits = []
    for _, server in (open_app, reading_app):
        with httpx.Client(base_url=server.url, timeout=30) as client:
            battle = client.post("/api/battles").json()["battle_id"]
            response = client.post(f"/api/battles/{battle}/turns", json={"prompt": "hi"})
            views = [json.loads(line) for line in response.text.splitlines()]
        assert all("vote_counts_in_s" not in v for v in views[:-1])
        waits.append(views[-1]["vote_counts_in_s"])
    assert waits[0] == 0.0 and 25.0 < waits[1] <= 30.0
