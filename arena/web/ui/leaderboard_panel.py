"""The leaderboard tab: the official board of a snapshot (category selector, snapshot picker, what
changed, plots) and the live TrueSkill board beside it, with disagreements flagged."""

import gradio as gr

from arena.i18n import method_text, translate
from arena.service import Arena, SnapshotNotFound
from arena.snapshot import Snapshot, board_tiers, live_disagreements
from arena.web.ui import plots
from arena.web.ui.texts import Texts

BOARD_COLUMNS = ("col_rank_ub", "col_rank_range", "col_tier", "col_model", "col_rating", "col_ci", "col_votes",
                 "col_organisation", "col_licence", "col_note")  # fmt: skip
CHANGE_COLUMNS = ("col_model", "col_status", "col_rank_change", "col_rating_change",
                  "col_significant")  # fmt: skip
LIVE_COLUMNS = ("col_rank", "col_model", "col_organisation", "col_conservative", "col_mu",
                "col_sigma", "col_votes", "col_win_rate", "col_disagrees")  # fmt: skip


class LeaderboardPanel:
    def __init__(self, arena: Arena, texts: Texts, language: gr.State):
        self.arena = arena
        self.language = language
        texts.register(gr.Markdown(texts.initial("official_intro")), value="official_intro")
        with gr.Row():
            self.picker = texts.register(
                gr.Dropdown(label=texts.initial("snapshot_label"), choices=[], elem_id="snapshot-picker"),
                label="snapshot_label",
            )  # fmt: skip
            self.category = texts.register(
                gr.Dropdown(label=texts.initial("category_label"), choices=[],
                            elem_id="category-picker"),
                label="category_label",
            )  # fmt: skip
        self.summary = gr.Markdown(elem_id="snapshot-summary")
        self.board = gr.Dataframe(interactive=False, elem_id="leaderboard-official", wrap=True)
        with gr.Row():
            self.whiskers = gr.Plot(elem_id="plot-ratings")
            self.history = gr.Plot(elem_id="plot-history")
        with gr.Row():
            self.win_rate = gr.Plot(elem_id="plot-win-rate")
            self.battles = gr.Plot(elem_id="plot-battles")
        texts.register(gr.Markdown(texts.initial("changes_title")), value="changes_title")
        self.changes = gr.Dataframe(interactive=False, elem_id="snapshot-changes")
        texts.register(gr.Markdown(texts.initial("live_title")), value="live_title")
        self.live = gr.Dataframe(interactive=False, elem_id="leaderboard-live")
        self.refresh = texts.register(gr.Button(texts.initial("refresh")), value="refresh")
        inputs = {self.language, self.picker, self.category}
        for event in (self.picker.input, self.category.input, self.refresh.click):
            event(self.render, inputs, self.outputs, api_visibility="private")

    @property
    def outputs(self) -> set:
        return {self.picker, self.category, self.summary, self.board, self.whiskers, self.history,
                self.win_rate, self.battles, self.changes, self.live}  # fmt: skip

    def _first_snapshot_when(self, t) -> str:
        """When the first snapshot will come, from the schedule the server runs by."""
        votes = self.arena.settings.snapshot_every_votes
        hours = f"{self.arena.settings.snapshot_every_hours:g}"
        if votes and self.arena.settings.snapshot_every_hours:
            return t("snapshot_when_both", votes=votes, hours=hours)
        if votes:
            return t("snapshot_when_votes", votes=votes)
        if self.arena.settings.snapshot_every_hours:
            return t("snapshot_when_hours", hours=hours)
        return t("snapshot_when_maintainer")

    def render(self, data: dict) -> dict:
        """Everything in the tab for a language, a snapshot id (None: latest) and a category."""
        language = data[self.language]
        t = lambda key, **v: translate(language, key, **v)  # noqa: E731
        listed = self.arena.snapshots()
        try:
            snapshot = self.arena.snapshot(data.get(self.picker) or None)
        except SnapshotNotFound:
            snapshot = None
        live = self.arena.leaderboard()
        if snapshot is None:
            return {
                self.picker: gr.update(choices=[], value=None),
                self.category: gr.update(choices=[], value=None),
                self.summary: t("no_snapshot_yet", when=self._first_snapshot_when(t)),
                self.board: _table([], BOARD_COLUMNS, t),
                self.changes: _table([], CHANGE_COLUMNS, t),
                self.live: _table(self._live_rows(live, set(), t), LIVE_COLUMNS, t),
                **{  # a blank plot says what will fill it
                    plot: plots.empty(t("plot_empty"))
                    for plot in (self.whiskers, self.history, self.win_rate, self.battles)
                },
            }
        category = data.get(self.category)
        category = category if category in snapshot.boards else "overall"
        board = snapshot.boards[category]
        flagged = live_disagreements(
            snapshot.boards["overall"], [(r.model, r.mu, r.sigma) for r in live]
        )
        history = [
            self.arena.snapshot(i) for i in snapshots_up_to(listed, snapshot.manifest.created_at)
        ]
        m = snapshot.manifest
        note = self._heatmap_note(snapshot, category, t)
        return {
            self.picker: gr.update(choices=[s["id"] for s in listed], value=snapshot.id),
            self.category: gr.update(
                choices=[(t(f"category_{c}"), c) for c in snapshot.boards], value=category
            ),
            self.summary: t(
                "snapshot_summary",
                votes=board.votes,
                first=m.window["first_vote_at"][:16],
                last=m.window["last_vote_at"][:16],
                sha=m.vote_set_sha256[:16],
                code=m.code_version[:16],
                intervals=method_text(
                    language,
                    ci=m.method.ci,
                    resamples=m.method.resamples,
                    anchor=m.method.anchor,
                )["intervals"],
            )
            + self._position_line(snapshot, t),  # fmt: skip
            self.board: _table(self._board_rows(snapshot, category, t), BOARD_COLUMNS, t),
            self.changes: _table(self._change_rows(snapshot, category, t), CHANGE_COLUMNS, t),
            self.live: _table(self._live_rows(live, flagged, t), LIVE_COLUMNS, t),
            self.whiskers: plots.rating_whiskers(
                snapshot, category, t("plot_ratings"), t("axis_rating")
            ),
            self.history: plots.rating_history(
                history, category, t("plot_history"), t("axis_rating")
            ),
            self.win_rate: plots.heatmap(snapshot, category, "win_rate", t("plot_win_rate") + note),
            self.battles: plots.heatmap(snapshot, category, "battles", t("plot_battles") + note),
        }

    @staticmethod
    def _heatmap_note(snapshot: Snapshot, category: str, t) -> str:
        """What the heatmaps' titles add: nothing, or the overall board's name when a snapshot
        made before matrices were kept per category has only overall's to draw."""
        return "" if snapshot.matrices_of(category) is not None else f" · {t('category_overall')}"

    @staticmethod
    def _position_line(snapshot: Snapshot, t) -> str:
        """The left side's advantage, or nothing for a snapshot made before it was measured."""
        p = snapshot.position
        if not p.get("votes") or None in (p["log_odds"], p["lower"], p["upper"]):
            return ""  # none measured, or one side took every point (no finite estimate)
        return t("position_summary", log_odds=p["log_odds"], lower=p["lower"], upper=p["upper"],
                 share=100 * p["left_share"])  # fmt: skip

    @staticmethod
    def _board_rows(snapshot: Snapshot, category: str, t) -> list[list]:
        rows = []
        tier = board_tiers(snapshot.boards[category])
        for r in snapshot.boards[category].rows:
            notes = [t("note_provisional")] * r.provisional + [t("note_retired")] * (
                r.status == "retired"
            )
            rank = "–" if r.provisional else r.rank_ub  # provisional: shown, not ranked
            span = "–" if r.provisional or not r.rank_lb else f"{r.rank_ub}–{r.rank_lb}"
            rows.append([rank, span, tier.get(r.model, "–"), r.model, round(r.rating, 1),
                         f"{r.lower:.1f} – {r.upper:.1f}", r.votes, r.organisation, r.licence,
                         ", ".join(notes)])  # fmt: skip
        return rows

    def _change_rows(self, snapshot: Snapshot, category: str, t) -> list[list]:
        rows = []
        for c in self.arena.snapshot_changes(snapshot.id, category):
            ranks = f"{c.old_rank or '–'} → {c.new_rank or '–'}"
            delta = "" if c.rating_change is None else f"{c.rating_change:+.1f}"
            rows.append([c.model, t(f"status_{c.status}"), ranks, delta,
                         t("yes") if c.beyond_noise else t("no")])  # fmt: skip
        return rows

    @staticmethod
    def _live_rows(live, flagged: set[str], t) -> list[list]:
        return [
            [rank, r.model, r.organisation, round(r.conservative, 2), round(r.mu, 2),
             round(r.sigma, 2), r.votes, f"{r.win_rate:.0%}",
             t("note_disagrees") if r.model in flagged else ""]
            for rank, r in enumerate(live, start=1)
        ]  # fmt: skip


def snapshots_up_to(listed: list[dict], created_at: str) -> list[str]:
    """The ids of the snapshots up to one created at `created_at`, oldest first (`listed`:
    newest first, as Arena.snapshots gives them): the history of a picked snapshot."""
    return [s["id"] for s in reversed(listed) if s["created_at"] <= created_at]


def _table(rows: list[list], columns: tuple[str, ...], t) -> dict:
    return gr.update(value={"headers": [t(c) for c in columns], "data": rows})
