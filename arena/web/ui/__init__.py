"""The Gradio UI: arena, side-by-side, direct chat and leaderboard tabs, in English and Chinese."""

import gradio as gr

from arena.domain.battle import Mode
from arena.i18n import DEFAULT_LANGUAGE, LANGUAGES, language_from_header
from arena.service import Arena
from arena.web.ui.chat_panel import ChatPanel, Session
from arena.web.ui.leaderboard_panel import LeaderboardPanel
from arena.web.ui.maintainers_panel import MaintainersPanel
from arena.web.ui.terms_box import TermsBox
from arena.web.ui.texts import Texts

__all__ = ["build_ui"]


def build_ui(arena: Arena) -> gr.Blocks:
    texts = Texts()
    with gr.Blocks(title="Arena") as demo:
        session = Session(language=gr.State(DEFAULT_LANGUAGE))
        with gr.Row(elem_id="page-header"):
            title = texts.register(gr.Markdown(texts.initial("title"), elem_id="page-title"),
                                   value="title")  # fmt: skip
            switch = texts.register(
                gr.Radio(
                    choices=[(name, code) for code, name in LANGUAGES.items()],
                    value=DEFAULT_LANGUAGE,
                    label=texts.initial("language"),
                    elem_id="language-switch",
                    scale=0,
                    min_width=220,
                ),
                label="language",
            )
        texts.register(gr.Markdown(texts.initial("intro")), value="intro")
        terms = TermsBox(arena, texts, session.language)
        with gr.Tabs(overflow_behavior="wrap"):  # every tab in sight on a phone, no "…" menu
            with gr.Tab(texts.initial("tab_arena"), id="arena") as tab:
                texts.register(tab, label="tab_arena")
                panels = [ChatPanel(arena, texts, session, Mode.ANONYMOUS)]
            with gr.Tab(texts.initial("tab_side_by_side"), id="side-by-side") as tab:
                texts.register(tab, label="tab_side_by_side")
                panels.append(ChatPanel(arena, texts, session, Mode.NAMED))
            with gr.Tab(texts.initial("tab_direct"), id="direct") as tab:
                texts.register(tab, label="tab_direct")
                panels.append(ChatPanel(arena, texts, session, Mode.DIRECT))
            with gr.Tab(texts.initial("tab_leaderboard"), id="leaderboard") as tab:
                texts.register(tab, label="tab_leaderboard")
                leaderboard = LeaderboardPanel(arena, texts, session.language)
            with gr.Tab(texts.initial("tab_maintainers"), id="maintainers") as maintainers_tab:
                texts.register(maintainers_tab, label="tab_maintainers")
                MaintainersPanel(arena, texts, session.language)
            board_inputs = {session.language, leaderboard.picker, leaderboard.category}
            tab.select(
                leaderboard.render, board_inputs, leaderboard.outputs, api_visibility="private"
            )
        # Gradio's own footer speaks the browser's language, not the page's (hidden by CSS):
        # ours says the same in the language picked.
        texts.register(gr.Markdown(texts.initial("footer"), elem_id="page-footer"), value="footer")
        del title

        def said_again(data: dict, language: str, request: gr.Request) -> dict:
            """What the chat panels show, said again in `language` from their states (after
            the texts: a chat's label keeps the revealed name), to their own voter only."""
            return {k: v for panel in panels for k, v in panel.in_language(
                panel.owned(data[panel.state], request), language).items()}  # fmt: skip

        def on_load(data: dict, request: gr.Request) -> dict:
            language = language_from_header(request.headers.get("accept-language"))
            return texts.updates_with(language, {session.language: language},
                                      {switch: gr.update(value=language)},
                                      said_again(data, language, request),
                                      terms.shown(language, request))  # fmt: skip

        def on_switch(data: dict, request: gr.Request) -> dict:
            language = data[switch]
            board = leaderboard.render({**data, session.language: language})
            return texts.updates_with(language, {session.language: language}, board,
                                      said_again(data, language, request),
                                      terms.shown(language, request))  # fmt: skip

        terms.wire(panel.status for panel in panels)
        panel_states = {panel.state for panel in panels}
        said = {
            c for panel in panels for c in (panel.status, panel.revealed, *panel.chats.values())
        }
        load_outputs = {session.language, *texts.components, *said, *terms.outputs}
        demo.load(on_load, panel_states, load_outputs, api_visibility="private")
        switch.input(
            on_switch, {switch, leaderboard.picker, leaderboard.category, *panel_states},
            load_outputs | leaderboard.outputs, api_visibility="private",
        )  # fmt: skip

        def on_leave(request: gr.Request) -> None:
            arena.cancel_session(request.session_hash or "")

        demo.unload(on_leave)
    return demo
