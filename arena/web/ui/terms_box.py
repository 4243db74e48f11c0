"""The terms notice above the tabs: shown until the voter accepts it (the service refuses a
battle before that), in the page's language, with one "I agree" button."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import gradio as gr

from arena.domain.battle import BattleRuleBroken
from arena.i18n import translate
from arena.service import Arena
from arena.views import InvalidInput
from arena.web.ui.chat_panel import WRITES, request_voter
from arena.web.ui.texts import Texts


class TermsBox:
    def __init__(self, arena: Arena, texts: Texts, language: gr.State):
        self.arena = arena
        self.language = language
        self.sha256 = gr.State("")  # the hash of the text on this page: what "I agree" accepts
        with gr.Group(visible=False, elem_id="terms") as self.box:
            self.text = gr.Markdown(label="terms", elem_id="terms-text")
            self.accept = texts.register(
                gr.Button(texts.initial("terms_accept"), variant="primary", elem_id="terms-accept"),
                value="terms_accept",
            )

    @property
    def outputs(self) -> set:
        return {self.box, self.text, self.sha256}

    def wire(self, statuses: Iterable[Any]) -> None:
        """The button; on acceptance each chat panel's status says a battle can start."""
        self.statuses = list(statuses)
        self.accept.click(
            self._on_accept, [self.language, self.sha256], [*self.outputs, *self.statuses],
            api_name="accept_terms", concurrency_id=WRITES,
            api_description="accept the terms notice shown on the page (in its language) for "
            "this voter; no battle starts before",
        )  # fmt: skip

    def shown(self, language: str, request: gr.Request) -> dict:
        """The notice in `language`, visible unless this voter accepted it (or none is needed)."""
        terms = self.arena.terms(language)
        try:
            accepted = self.arena.has_accepted_terms(request_voter(self.arena, request))
        except InvalidInput:  # no voter cookie yet: the notice shows; accepting says why not
            accepted = not terms.required
        return {self.box: gr.update(visible=not accepted), self.text: terms.text,
                self.sha256: terms.sha256}  # fmt: skip

    def _on_accept(self, language: str, sha256: str, request: gr.Request) -> dict:
        # A script's session never loaded the page: it accepts the current text in the
        # session's language (English), the one GET /api/terms shows.
        sha256 = sha256 or self.arena.terms(language).sha256
        try:
            self.arena.accept_terms(request_voter(self.arena, request), sha256)
        except (InvalidInput, BattleRuleBroken) as problem:  # the text changed since the page
            # loaded (the new one shows), or too many new voters from this network this minute
            shown = self.shown(language, request)
            key = (f"error_{problem.code}" if isinstance(problem, InvalidInput)
                   else f"reason_{problem.reason}")  # fmt: skip
            return {**shown, self.text: f"⚠️ {translate(language, key)}\n\n{shown[self.text]}"}
        accepted = translate(language, "terms_accepted")
        return {self.box: gr.update(visible=False), **{s: accepted for s in self.statuses}}
