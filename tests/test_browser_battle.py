"""The voter's battle in a real browser (Debian's chromium + playwright) against the real app,
the real litellm path and the fake OpenAI-compatible server, in English and in Chinese."""

import re
import time

import pytest
from playwright.sync_api import expect

from arena.i18n import STRINGS
from tests.conftest import ARTIFACTS, open_page, serve_fake_app
from tests.fake_openai import FakeOpenAIServer

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LOCALES = [("en-US", "Clear", "New round", "abandoned"), ("zh-CN", "清除", "新一轮", "放弃")]
CHAT_CLEAR = re.compile("^(Clear|清空对话)$")  # Gradio's own label for the chat's 🗑 icon
LONG_PROMPT = " ".join(f"word{i}" for i in range(60))  # echoed a word every 0.25 s: ~16 s


@pytest.fixture(scope="module")
def slow_app(tmp_path_factory):
    """The app on two models whose answers arrive a word every 0.25 s."""
    with FakeOpenAIServer(chunk_delay=0.25) as fake:
        for arena, server in serve_fake_app(tmp_path_factory, fake, "slow"):
            yield arena, server, fake


def _ask(page, prompt: str) -> None:
    page.locator("#anonymous-prompt textarea").fill(prompt)
    page.locator("#anonymous-send").click()


def _bot_text(page) -> str:
    return " ".join(
        t for s in "ab" for t in page.locator(f"#anonymous-chat-{s} .bot").all_inner_texts()
    )


@pytest.mark.parametrize("button", ["clear", "new-round"])
@pytest.mark.parametrize(("locale", "clear", "new_round", "abandoned"), LOCALES)
def test_clear_or_new_round_while_streaming_stops_both_answers_and_leaves_a_working_battle(
    slow_app, browser, locale, clear, new_round, abandoned, button
):
    """Regression: the old answers kept arriving after Clear or New round, the vote buttons came
    back seconds later, and the vote and the next prompt were refused (the stream wrote the old
    battle back into the page)."""
    arena, server, fake = slow_app
    context, page = open_page(browser, server, locale)
    expect(page.locator("#anonymous-clear")).to_contain_text(clear, timeout=30_000)
    expect(page.locator("#anonymous-new-round")).to_contain_text(new_round)
    _ask(page, LONG_PROMPT)
    expect(page.locator("#anonymous-chat-a .bot").last).to_contain_text("word1", timeout=30_000)
    old_battle = arena.store.db.execute(
        "SELECT id FROM battles ORDER BY rowid DESC LIMIT 1"
    ).fetchone()[0]
    page.locator(f"#anonymous-{button}").click()

    # Both answers are gone at once and stay gone: nothing of the old stream arrives.
    expect(page.locator("#anonymous-chat-a .bot")).to_have_count(0, timeout=5_000)
    if button == "clear":
        expect(page.locator("#anonymous-status")).to_contain_text(abandoned)
    page.wait_for_timeout(2_000)
    assert _bot_text(page).strip() == ""
    expect(page.locator("#anonymous-vote-a_better")).to_be_hidden()
    battle = arena.store.load_battle(old_battle)
    assert battle.status.value == "abandoned" and not battle.streaming
    # The provider's streams were closed long before their ~16 s answers could finish.
    streams = [r for r in fake.chat_requests if LONG_PROMPT in str(r.body)][-2:]
    assert len(streams) == 2
    assert [fake.wait_for_outcome(r, timeout=5) for r in streams] == ["client_disconnected"] * 2

    # A fresh battle works: answers, vote buttons, a counted vote.
    _ask(page, "hi")
    vote = page.locator("#anonymous-vote-tie")
    expect(vote).to_be_visible(timeout=30_000)
    vote.click()
    expect(page.locator("#anonymous-revealed")).to_be_visible(timeout=30_000)
    newest = arena.store.db.execute(
        "SELECT battle_id, counted FROM votes ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert newest[0] != old_battle and newest[1] == 1
    context.close()


@pytest.fixture(scope="module")
def gated_app(tmp_path_factory, fake_server):
    """Real gates: 3 s to read the answers, a proof of work solved by the page."""
    yield from serve_fake_app(tmp_path_factory, fake_server, "gated", min_seconds_to_vote=3.0,
                              pow_bits=12)  # fmt: skip


@pytest.mark.parametrize(("locale", "counting"), [("en-US", "you can vote in"),
                                                  ("zh-CN", "秒后可以投票")])  # fmt: skip
def test_the_vote_buttons_stay_disabled_with_a_countdown_until_a_vote_would_count(
    gated_app, browser, locale, counting
):
    """Regression: a vote within the minimum time was silently not counted (and the names were
    revealed anyway); the buttons were enabled the moment the answers were complete."""
    arena, server = gated_app
    context, page = open_page(browser, server, locale)
    _ask(page, f"Name three rivers ({locale}).")
    buttons = [page.locator(f"#anonymous-vote-{v}") for v in ("a_better", "b_better", "tie",
                                                               "both_bad")]  # fmt: skip
    expect(buttons[0]).to_be_visible(timeout=30_000)
    for button in buttons:
        expect(button).to_be_disabled()
    wait = page.locator("#anonymous-vote-wait")  # beside the buttons
    expect(wait).to_contain_text(counting)
    shown = page.evaluate("performance.now()")
    for button in buttons:
        expect(button).to_be_enabled(timeout=10_000)
    waited_s = (page.evaluate("performance.now()") - shown) / 1000
    expect(wait).not_to_contain_text(counting)
    assert waited_s > 0.5, f"the buttons opened after {waited_s:.1f} s of the 3 s"
    buttons[2].click()
    expect(page.locator("#anonymous-revealed")).to_be_visible(timeout=30_000)
    counted, reason = arena.store.db.execute(
        "SELECT counted, reason FROM votes ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert counted == 1, reason
    context.close()


@pytest.mark.parametrize(("locale", "abandoned"), [("en-US", "abandoned"), ("zh-CN", "放弃")])
def test_a_chats_own_clear_icon_clears_the_battle_as_the_clear_button_does(
    gated_app, browser, locale, abandoned
):
    """Regression: each chat's own 🗑 icon cleared that side only, in the browser, and the two
    transcripts then disagreed with the server's. Now it is the Clear button's action."""
    arena, server = gated_app
    context, page = open_page(browser, server, locale)
    _ask(page, f"Name two lakes ({locale}).")
    expect(page.locator("#anonymous-vote-tie")).to_be_visible(timeout=30_000)
    battle_id = arena.store.db.execute(
        "SELECT id FROM battles ORDER BY rowid DESC LIMIT 1"
    ).fetchone()[0]
    own_clear = page.locator("#anonymous-chat-b").get_by_role("button", name=CHAT_CLEAR)
    own_clear.click()
    for side in "ab":  # both sides, not only the one whose icon was pressed
        expect(page.locator(f"#anonymous-chat-{side} .bot")).to_have_count(0, timeout=10_000)
    expect(page.locator("#anonymous-status")).to_contain_text(abandoned)
    expect(page.locator("#anonymous-vote-tie")).to_be_hidden()
    assert arena.store.load_battle(battle_id).status.value == "abandoned"
    _ask(page, f"Name two seas ({locale}).")
    expect(page.locator("#anonymous-vote-tie")).to_be_enabled(timeout=30_000)
    context.close()


VERBATIM = '<img src="/nothing.png"> **bold** <b>tag</b> $$x^2$$\n# not a heading\n1. not a list'


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_voters_prompt_is_shown_as_typed(gated_app, browser, locale):
    """Regression: a prompt that looked like HTML or Markdown was rendered (a broken image, bold
    text, a heading) instead of showing the text the voter wrote."""
    _, server = gated_app
    context, page = open_page(browser, server, locale)
    _ask(page, VERBATIM)
    expect(page.locator("#anonymous-vote-tie")).to_be_visible(timeout=30_000)
    for side in "ab":
        prompt = page.locator(f"#anonymous-chat-{side} .user").last
        assert " ".join(prompt.inner_text().split()) == " ".join(VERBATIM.split())
        for element in ("img", "b", "strong", "h1", "ol", "li", ".katex"):
            expect(prompt.locator(element)).to_have_count(0)
    context.close()


@pytest.fixture(scope="module")
def open_app(tmp_path_factory, fake_server):
    """No gate in the way: a vote counts as soon as the answers are complete."""
    yield from serve_fake_app(tmp_path_factory, fake_server, "open")


def _english_left(text: str) -> list[str]:
    """Pieces of the English table (up to a placeholder) that differ from the Chinese table and
    are still in `text`."""
    pieces = set()
    for key, english in STRINGS["en"].items():
        piece = re.sub(r"^[^A-Za-z]+|[^A-Za-z.]+$", "", english.split("{")[0])
        if len(piece) >= 8 and piece not in STRINGS["zh"][key]:
            pieces.add(piece)
    return sorted(p for p in pieces if p in text)


def test_a_language_switch_while_the_answers_stream_is_heard_when_they_end(slow_app, browser):
    """The stream said its last status in the language it started in: switched to 简体中文
    mid-answer, the page's buttons spoke Chinese and the status "Both answers are complete"."""
    _, server, _ = slow_app
    context, page = open_page(browser, server, "en-US")
    _ask(page, "Tell me a long story about the sea and the ships on it")
    expect(page.locator("#anonymous-chat-a .bot").first).to_be_visible(timeout=30_000)
    page.locator("#language-switch").get_by_text("简体中文").click()
    expect(page.locator("#anonymous-vote-tie")).to_be_enabled(timeout=60_000)
    expect(page.locator("#anonymous-status")).to_contain_text("两个回答都已完成", timeout=10_000)
    assert _english_left(page.locator("#anonymous-status").inner_text()) == []
    context.close()


def test_a_refusal_after_a_language_switch_is_not_said_over_by_the_last_turns_status(
    open_app, browser
):
    """The countdown after a send says a finished turn's status again in the page's language;
    after a switch, a send the arena refused (an empty prompt) had its refusal said over."""
    _, server = open_app
    context, page = open_page(browser, server, "en-US")
    _ask(page, "Which is larger, a lake or a sea?")
    expect(page.locator("#anonymous-vote-tie")).to_be_enabled(timeout=30_000)
    page.locator("#language-switch").get_by_text("简体中文").click()
    status = page.locator("#anonymous-status")
    expect(status).to_contain_text("两个回答都已完成", timeout=10_000)
    _ask(page, "")
    expect(status).to_contain_text(STRINGS["zh"]["error_prompt_empty"], timeout=10_000)
    page.wait_for_timeout(1500)  # the countdown after the send has run by now
    expect(status).to_contain_text(STRINGS["zh"]["error_prompt_empty"])
    context.close()


@pytest.mark.parametrize("first", ["en-US", "zh-CN"])
def test_switching_language_after_a_vote_says_everything_again_and_keeps_the_names(
    open_app, browser, first
):
    """Regression: after a switch to 简体中文 the receipt on screen stayed English, every chat
    tab said "Type a prompt to start a battle.", and the chat labels lost the revealed names."""
    arena, server = open_app
    context, page = open_page(browser, server, first)
    if first == "zh-CN":  # the first load speaks the browser's language on every tab
        for tab, mode in (("竞技场", "anonymous"), ("并排", "named"), ("单模型", "direct")):
            page.get_by_role("tab", name=re.compile(tab)).click()
            expect(page.locator(f"#{mode}-status")).to_contain_text("输入一个问题")
        page.get_by_role("tab", name=re.compile("竞技场")).click()
    _ask(page, "Which is larger, a lake or a sea?")
    expect(page.locator("#anonymous-vote-tie")).to_be_enabled(timeout=30_000)
    page.locator("#anonymous-vote-tie").click()
    expect(page.locator("#anonymous-revealed")).to_be_visible(timeout=30_000)
    names = [m.display_name for m in arena.roster.models]
    for language, receipt, model_a in (("简体中文", "回执", "模型 A"), ("English", "Receipt",
                                                                      "Model A")):  # fmt: skip
        page.locator("#language-switch").get_by_text(language).click()
        expect(page.locator("#anonymous-status")).to_contain_text(receipt)
        expect(page.locator("#anonymous-revealed")).to_contain_text(model_a)
        for side in "ab":  # the chat labels keep the names
            label = page.locator(f"#anonymous-chat-{side}").get_by_text(re.compile(": "))
            expect(label.first).to_contain_text(re.compile("|".join(map(re.escape, names))))
        if language == "简体中文":
            assert _english_left(page.locator("#anonymous-status").inner_text()) == []
            assert _english_left(page.locator("#anonymous-revealed").inner_text()) == []
    context.close()


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` (or inside it) has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"!!document.activeElement.closest({selector!r})"):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


@pytest.mark.parametrize(("locale", "names"), [
    ("en-US", ("A is better", "B is better", "Tie", "Both are bad")),
    ("zh-CN", ("A 更好", "B 更好", "平局", "都不好")),
])  # fmt: skip
def test_a_battle_can_be_played_with_the_keyboard_alone(open_app, browser, locale, names):
    """Every step of a battle by keyboard (Tab, typing, Enter): the prompt, the vote, a new
    round; the vote buttons have accessible names in the page's language."""
    arena, server = open_app
    context, page = open_page(browser, server, locale)
    expect(page.locator("#anonymous-send")).to_be_visible(timeout=30_000)
    _tab_to(page, "#anonymous-prompt")
    page.keyboard.type("Which river is longest?")
    page.keyboard.press("Enter")
    for name in names:
        expect(page.get_by_role("button", name=re.compile(re.escape(name)))).to_be_enabled(
            timeout=30_000
        )
    _tab_to(page, "#anonymous-vote-tie")
    page.keyboard.press("Enter")
    expect(page.locator("#anonymous-revealed")).to_be_visible(timeout=30_000)
    assert (
        arena.store.db.execute("SELECT verdict FROM votes ORDER BY id DESC LIMIT 1").fetchone()[0]
        == "tie"
    )
    _tab_to(page, "#anonymous-new-round")
    page.keyboard.press("Enter")
    expect(page.locator("#anonymous-revealed")).to_be_hidden(timeout=30_000)
    context.close()


@pytest.mark.parametrize(("locale", "tabs"), [
    ("en-US", ("Arena", "Side-by-side", "Direct chat", "Leaderboard", "Maintainers")),
    ("zh-CN", ("竞技场", "并排对比", "单模型对话", "排行榜", "维护")),
])  # fmt: skip
def test_on_a_phone_the_battle_fits_one_hand(open_app, browser, locale, tabs):
    """Regression (390×844): the title broke mid-word, the tabs hid behind "…", and the two
    answers took two screens with the vote buttons below them."""
    _, server = open_app
    context = browser.new_context(locale=locale, viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)  # fmt: skip
    page = context.new_page()
    page.goto(server.url)
    title = page.locator("#page-title h1")
    expect(title).to_be_visible(timeout=30_000)
    box = title.bounding_box()
    for _ in range(50):  # None while the first load says the title again in the page's language
        if box is not None:
            break
        page.wait_for_timeout(100)
        box = title.bounding_box()
    assert box["width"] > 300 and box["height"] < 120, box  # a line or two, not a word a line
    for tab in tabs:
        expect(page.get_by_role("tab", name=re.compile(tab))).to_be_visible()
    _ask(page, "Write a haiku about rain")
    expect(page.locator("#anonymous-vote-tie")).to_be_enabled(timeout=30_000)
    page.evaluate("document.querySelector('#anonymous-chat-a').scrollIntoView({block: 'start'})")
    seen = [page.locator("#anonymous-chat-a"), page.locator("#anonymous-chat-b"),
            *(page.locator(f"#anonymous-vote-{v}") for v in ("a_better", "b_better", "tie",
                                                              "both_bad"))]  # fmt: skip
    for element in seen:  # both answers and every vote button on one screen
        box = element.bounding_box()
        assert box["y"] >= -1 and box["y"] + box["height"] <= 844, box
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"browser-phone-{locale}.png"))
    context.close()


@pytest.mark.parametrize(("locale", "tab", "empty", "plot_empty", "when"), [
    ("en-US", "Leaderboard", "No official leaderboard yet", "first snapshot",
     "when the counted votes reach 1, or 6 hours after"),
    ("zh-CN", "排行榜", "还没有正式排行榜", "第一个快照", "计入的投票达到 1 张时"),
])  # fmt: skip
def test_the_leaderboard_of_a_fresh_install_says_what_will_fill_it_and_fills_by_itself(
    tmp_path_factory, fake_server, browser, monkeypatch, locale, tab, empty, plot_empty, when
):
    """Regression: the empty board had only a command-line hint and four blank plots, and stayed
    empty until a maintainer ran `snapshot create`. Now it says when the first snapshot comes,
    and the server makes it by itself (in a process of its own) once it is due."""
    monkeypatch.setattr("arena.web.app.SNAPSHOT_CHECK_S", 0.5)
    for arena, server in serve_fake_app(tmp_path_factory, fake_server, f"fresh-{locale}",
                                        snapshot_every_votes=1, snapshot_every_hours=6):  # fmt: skip
        context, page = open_page(browser, server, locale)
        page.get_by_role("tab", name=re.compile(tab)).click()
        expect(page.get_by_text(re.compile(empty)).first).to_be_visible(timeout=30_000)
        expect(page.get_by_text(re.compile(when)).first).to_be_visible()
        for plot in ("ratings", "history", "win-rate", "battles"):  # not blank: what fills them
            expect(page.locator(f"#plot-{plot}")).to_contain_text(plot_empty)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"browser-leaderboard-fresh-{locale}.png"),
                        full_page=True)  # fmt: skip
        page.get_by_role("tab", name=re.compile("Arena|竞技场")).click()
        _ask(page, "Name a colour.")
        expect(page.locator("#anonymous-vote-a_better")).to_be_enabled(timeout=30_000)
        page.locator("#anonymous-vote-a_better").click()
        expect(page.locator("#anonymous-revealed")).to_be_visible(timeout=30_000)
        deadline = time.monotonic() + 60
        while not arena.snapshots() and time.monotonic() < deadline:
            time.sleep(0.5)
        [made] = arena.snapshots()
        assert made["votes"] == 1
        page.reload()
        page.get_by_role("tab", name=re.compile(tab)).click()
        expect(page.get_by_text(re.compile(empty))).to_have_count(0, timeout=30_000)
        expect(page.locator("#plot-ratings")).not_to_contain_text(plot_empty)
        board = page.locator("#leaderboard-official")
        for model in arena.roster.models:
            expect(board).to_contain_text(model.name)
        context.close()


@pytest.fixture(scope="module")
def failing_app(tmp_path_factory, fake_server):
    """Side B's model fails at once (HTTP 500): side A's answer is stopped half-way."""
    yield from serve_fake_app(tmp_path_factory, fake_server, "failing",
                              models={"alpha": "fake-echo", "beta": "fake-error"})  # fmt: skip


def test_the_notes_inside_the_chats_and_the_footer_follow_the_language_switch(failing_app, browser):
    """Regression: after a switch the chats kept "(stopped because the other model failed)"
    in the language of the stream, and Gradio's footer spoke the browser's language."""
    _, server = failing_app
    context, page = open_page(browser, server, "en-US")
    footer = page.locator("#page-footer")
    expect(footer).to_contain_text("Gradio endpoints", timeout=30_000)
    assert not page.locator("footer").first.is_visible()  # Gradio's own: hidden
    _ask(page, LONG_PROMPT)
    stopped = {language: STRINGS[language]["side_stopped"] for language in ("en", "zh")}
    chats = page.locator("#anonymous-chat-a, #anonymous-chat-b")
    expect(chats.filter(has_text=stopped["en"])).to_have_count(1, timeout=30_000)
    page.locator("#language-switch").get_by_text("简体中文").click()
    expect(chats.filter(has_text=stopped["zh"])).to_have_count(1, timeout=30_000)
    expect(chats.filter(has_text=stopped["en"])).to_have_count(0)
    failed = {language: STRINGS[language]["failure_error"] for language in ("en", "zh")}
    for shown in (page.locator("#anonymous-status"), chats.filter(has_text="⚠️")):
        expect(shown).to_contain_text(failed["zh"])
        expect(shown).not_to_contain_text(failed["en"])
    expect(footer).to_contain_text("Gradio 端点")
    page.locator("#language-switch").get_by_text("English").click()
    expect(chats.filter(has_text=stopped["en"])).to_have_count(1, timeout=30_000)
    described = [page.request.get(server.url + link.get_attribute("href")).text()
                 for link in footer.get_by_role("link").all()]  # fmt: skip
    assert len(described) == 2 and "/api/battles" in described[0]
    assert "/anonymous_send" in described[1]
    context.close()
