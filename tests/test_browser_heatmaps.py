"""The leaderboard's heatmaps in a real browser: picking a category redraws the win-rate and
battle-count heatmaps from that category's votes (issue 12), in English and in Chinese."""

import re

import pytest
from playwright.sync_api import expect

from arena.views import Voter
from tests.conftest import collect, serve_fake_app

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PROMPTS = [
    "写一首关于秋天的诗",
    "用一句话解释递归",
    "Explain recursion",
    "讲个笑话",
    "Tell me a joke",
]

# the battles the heatmap draws: each pair's count once (the matrix is symmetric, no diagonal)
DRAWN_BATTLES = """() => {
    const plot = document.querySelector('#plot-battles .js-plotly-plot');
    if (!plot || !plot.data || !plot.data.length) return null;
    const cells = plot.data[0].z.flat().filter((n) => n !== null);
    return cells.reduce((a, b) => a + b, 0) / 2;
}"""


@pytest.fixture(scope="module")
def voted_app(tmp_path_factory, fake_server):
    """The app with votes in Chinese and in English and one snapshot of them."""
    for arena, server in serve_fake_app(tmp_path_factory, fake_server, "heatmaps",
                                        snapshot_resamples=30, min_votes=2):  # fmt: skip
        for i, prompt in enumerate(PROMPTS * 2):
            voter = Voter(f"session-{i}", f"voter-{i}", f"10.0.0.{i}")
            started = arena.start_battle(voter)
            collect(arena.ask(voter, started.battle_id, prompt))
            arena.vote(voter, started.battle_id, ["a_better", "b_better", "tie"][i % 3])
        arena.create_snapshot()
        yield arena, server


@pytest.mark.parametrize(("locale", "tab", "category", "label"), [
    ("en-US", "Leaderboard", "english", "English"),
    ("zh-CN", "排行榜", "chinese", "中文"),
])  # fmt: skip
def test_picking_a_category_redraws_the_battle_heatmap_from_its_votes(
    voted_app, browser, locale, tab, category, label
):
    """Regression: the heatmaps drew the overall board's pairs whatever the category."""
    arena, server = voted_app
    snapshot = arena.snapshot()
    overall, picked = snapshot.boards["overall"].votes, snapshot.boards[category].votes
    assert (overall, picked) == (10, 4 if category == "english" else 6)
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    page.goto(server.url)
    page.get_by_role("tab", name=re.compile(tab)).click()
    expect(page.locator("#plot-battles .js-plotly-plot")).to_have_count(1, timeout=30_000)
    page.wait_for_function(f"({DRAWN_BATTLES})() === {overall}", timeout=30_000)

    page.locator("#category-picker input").click()
    page.get_by_role("option", name=label, exact=True).click()
    expect(page.locator("#snapshot-summary")).to_contain_text(str(picked), timeout=30_000)
    page.wait_for_function(f"({DRAWN_BATTLES})() === {picked}", timeout=30_000)
    win_rate_models = page.evaluate(
        "() => document.querySelector('#plot-win-rate .js-plotly-plot').data[0].x"
    )
    assert sorted(win_rate_models) == sorted(r.model for r in snapshot.boards[category].rows)
    context.close()
