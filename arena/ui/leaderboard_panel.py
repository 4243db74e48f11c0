"""The leaderboard tab: live TrueSkill ratings from the service (the official Bradley–Terry board
comes with snapshots)."""

import gradio as gr

from arena.i18n import translate
from arena.service import Arena
from arena.ui.texts import Texts

COLUMNS = (
    "col_rank", "col_model", "col_organisation", "col_conservative", "col_mu", "col_sigma",
    "col_votes", "col_win_rate",
)  # fmt: skip


class LeaderboardPanel:
    def __init__(self, arena: Arena, texts: Texts, language: gr.State):
        self.arena = arena
        self.language = language
        texts.register(gr.Markdown(texts.initial("leaderboard_intro")), value="leaderboard_intro")
        self.table = gr.Dataframe(
            headers=[texts.initial(c) for c in COLUMNS],
            interactive=False,
            elem_id="leaderboard-live",
        )
        self.empty = gr.Markdown(visible=False)
        self.refresh = texts.register(gr.Button(texts.initial("refresh")), value="refresh")
        self.refresh.click(
            self.render, {self.language}, {self.table, self.empty}, api_name="leaderboard"
        )

    def render(self, data: dict) -> dict:
        language = data[self.language]
        rows = [
            [
                rank,
                row.display_name,
                row.organisation,
                round(row.conservative, 2),
                round(row.mu, 2),
                round(row.sigma, 2),
                row.votes,
                f"{row.win_rate:.0%}",
            ]
            for rank, row in enumerate(self.arena.leaderboard(), start=1)
        ]
        headers = [translate(language, c) for c in COLUMNS]
        return {
            self.table: gr.update(value={"headers": headers, "data": rows}),
            self.empty: gr.update(visible=not rows, value=translate(language, "no_votes_yet")),
        }
