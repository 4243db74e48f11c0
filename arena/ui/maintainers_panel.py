"""The maintainers' tab: actions that change state, each checked against the maintainer secret
by the service (disabled, never open, when no secret is configured)."""

import gradio as gr

from arena.i18n import translate
from arena.publishing import MaintainerOnly
from arena.service import Arena
from arena.ui.texts import Texts


class MaintainersPanel:
    def __init__(self, arena: Arena, texts: Texts, language: gr.State):
        self.arena = arena
        self.language = language
        enabled = bool(arena.settings.maintainer_secret)
        intro = "maintainers_intro" if enabled else "maintainers_disabled"
        texts.register(gr.Markdown(texts.initial(intro), elem_id="maintainers-intro"), value=intro)
        self.secret = texts.register(
            gr.Textbox(label=texts.initial("maintainer_secret"), type="password",
                       interactive=enabled, elem_id="maintainer-secret"),
            label="maintainer_secret",
        )  # fmt: skip
        self.create = texts.register(
            gr.Button(texts.initial("create_snapshot"), interactive=enabled,
                      elem_id="create-snapshot"),
            value="create_snapshot",
        )  # fmt: skip
        self.status = gr.Markdown(elem_id="maintainers-status")
        self.create.click(
            self.on_create, {self.language, self.secret}, {self.status}, api_name=False
        )

    def on_create(self, data: dict) -> dict:
        language = data[self.language]
        try:
            self.arena.publishing.check_maintainer(data[self.secret])
            made = self.arena.publishing.create()
        except (MaintainerOnly, ValueError) as problem:
            return {self.status: translate(language, "maintainer_refused", message=str(problem))}
        m = made.manifest
        return {
            self.status: translate(
                language, "snapshot_created", id=made.id, votes=m.votes, sha=m.vote_set_sha256[:16]
            )
        }
