"""The maintainers' tab: actions that change state (snapshots, detection, releasing quarantined
voters) and the flags with their evidence, each checked against the maintainer secret by the
service (disabled, never open, when no secret is configured)."""

import gradio as gr

from arena.i18n import translate
from arena.service import Arena, MaintainerOnly
from arena.web.ui.texts import Texts

FLAG_COLUMNS = ("col_kind", "col_subject", "col_test", "col_p", "col_evidence")
QUARANTINE_COLUMNS = ("col_voter", "col_reason", "col_since", "col_votes", "col_evidence")


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
        with gr.Row():
            buttons = {}
            for key in ("create_snapshot", "run_detection", "show_flags"):
                buttons[key] = texts.register(
                    gr.Button(texts.initial(key), interactive=enabled,
                              elem_id=key.replace("_", "-")),
                    value=key,
                )  # fmt: skip
        with gr.Row():
            self.voter = texts.register(
                gr.Textbox(label=texts.initial("voter_id_label"), interactive=enabled,
                           elem_id="release-voter-id"),
                label="voter_id_label",
            )  # fmt: skip
            release = texts.register(
                gr.Button(texts.initial("release_voter"), interactive=enabled,
                          elem_id="release-voter"),
                value="release_voter",
            )  # fmt: skip
        self.status = gr.Markdown(elem_id="maintainers-status")
        self.flags = gr.Dataframe(interactive=False, visible=False, elem_id="maintainers-flags")
        self.quarantines = gr.Dataframe(interactive=False, visible=False,
                                        elem_id="maintainers-quarantines")  # fmt: skip
        inputs = {self.language, self.secret, self.voter}
        outputs = {self.status, self.flags, self.quarantines}
        actions = {
            buttons["create_snapshot"]: self._create_snapshot,
            buttons["run_detection"]: self._run_detection,
            buttons["show_flags"]: lambda data: "",
            release: self._release,
        }
        for button, action in actions.items():
            button.click(self._guarded(action), inputs, outputs, api_visibility="private")

    def _guarded(self, action):
        """Check the secret, run the action, then show the flags and quarantines."""

        def handler(data: dict, request: gr.Request) -> dict:
            language = data[self.language]
            try:
                ip = request.client.host if request.client else None
                self.arena.check_maintainer(data[self.secret], ip)
                message = action(data)
            except (MaintainerOnly, ValueError) as problem:
                return {
                    self.status: translate(language, "maintainer_refused", message=str(problem)),
                    self.flags: gr.update(visible=False, value=None),
                    self.quarantines: gr.update(visible=False, value=None),
                }
            return {self.status: message, **self._tables(language)}

        return handler

    def _create_snapshot(self, data: dict) -> str:
        made = self.arena.create_snapshot()
        m = made.manifest
        return translate(data[self.language], "snapshot_created", id=made.id, votes=m.votes,
                         sha=m.vote_set_sha256[:16])  # fmt: skip

    def _run_detection(self, data: dict) -> str:
        report = self.arena.run_detection()
        return translate(
            data[self.language], "detection_done", voters=report.voters,
            snapshot=report.snapshot_id or "–", flags=len(report.flags),
            alerts=len(report.alerts), quarantined=len(report.quarantined),
        )  # fmt: skip

    def _release(self, data: dict) -> str:
        voter = (data[self.voter] or "").strip()
        key = "voter_released" if self.arena.release_voter(voter, "released by a maintainer") else "voter_not_quarantined"  # fmt: skip
        return translate(data[self.language], key, voter=voter)

    def _tables(self, language: str) -> dict:
        t = lambda key: translate(language, key)  # noqa: E731
        flags = [
            [f["kind"], f["subject"], f["test"],
             "" if f["p_value"] is None else f"{f['p_value']:.1e}", f["evidence"]]
            for f in self.arena.flags()
        ]  # fmt: skip
        quarantines = [
            [q["voter_id"], q["reason"], q["created_at"][:19], q["votes"], q["evidence"]]
            for q in self.arena.quarantines()
        ]
        return {
            self.flags: gr.update(visible=True, value={"headers": [t(c) for c in FLAG_COLUMNS],
                                                       "data": flags}),
            self.quarantines: gr.update(
                visible=True,
                value={"headers": [t(c) for c in QUARANTINE_COLUMNS], "data": quarantines},
            ),
        }  # fmt: skip
