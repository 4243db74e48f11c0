"""One chat panel for all three modes: the anonymous arena, named side-by-side and direct chat.

The panel only calls the service (class Arena); it never touches the store or the providers.
Handlers take their inputs as a dict and return dicts keyed by component (no positional tuples).
Each event is also a Gradio API endpoint (docs/api.md); Gradio passes its inputs as keywords, so
the API names every parameter (`prompt`, `solution`…) instead of numbering it.

Nothing the server owns is taken from the browser: the battle id, the proof-of-work challenge
and the language live in server-side State; the chat transcripts are outputs only, rendered from
what the service streamed; the voter is the signed cookie the edge middleware vouched for.
"""

import asyncio
import functools
import inspect
import logging
import math
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import Any

import gradio as gr

from arena.domain.battle import BattleRuleBroken, Mode, Side
from arena.domain.verdicts import FEEDBACK_VERDICTS, Feedback, Verdict
from arena.i18n import DEFAULT_LANGUAGE, failure_text, feedback_text, translate
from arena.service import Arena, Proof, StoreFailed
from arena.views import InvalidInput, ModelCard, Receipt, TurnView, Voter
from arena.web.edge import VOTER_COOKIE
from arena.web.shared_page import page_path
from arena.web.ui.safe_markdown import to_safe_markdown, to_verbatim_markdown
from arena.web.ui.texts import Texts

log = logging.getLogger(__name__)
STREAMS = "model_streams"  # one concurrency group for every event that streams model answers
COUNTDOWNS = "vote_countdowns"  # waits until a vote would count: no limit, they mostly sleep
MAX_COUNTDOWN_S = 600.0  # a countdown gives up after this long (a misconfiguration)
WRITES = "writes"  # one concurrency group for every event that writes a vote
CLEARS = "clears"  # Clear and New round: one short write each, after the stream has stopped


@dataclass(frozen=True)
class PanelState:
    battle_id: str | None = None
    voter_id: str | None = None  # whose battle: the state is shown to that voter only
    turns: int = 0
    locked: bool = False  # voted, void or cleared: only "New round" goes on
    challenge: str = ""  # the proof-of-work challenge issued with this battle
    voting: bool = False  # the answers are complete and the vote buttons shown
    # What the status shows, kept free of any language so a language switch can say it again:
    # ready | cleared | streaming | answers | failed | receipt
    shows: str = "ready"
    warnings: tuple[tuple[str, str], ...] = ()  # (reason, evidence) above the vote prompt
    failed: tuple[tuple[str, str], ...] = ()  # (side, error) of each failed side
    receipt: Receipt | None = None  # the last vote's receipt (its cards once stored)
    shared: str = ""  # the public page's id once the voter shared the battle
    view: TurnView | None = None  # the battle's last complete view: its notes are said again
    said_in: str = ""  # the language a finished turn's status was said in ("": none since)


@dataclass
class Session:
    """Per-page values shared by every panel: the UI language (server-side State)."""

    language: gr.State


class ChatPanel:
    def __init__(self, arena: Arena, texts: Texts, session: Session, mode: Mode):
        self.arena = arena
        self.texts = texts
        self.session = session
        self.mode = mode
        self.sides = (Side.A,) if mode is Mode.DIRECT else (Side.A, Side.B)
        self._build()

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        t = self.texts
        self.state = gr.State(PanelState())
        self.pickers: dict[Side, gr.Dropdown] = {}
        if self.mode is not Mode.ANONYMOUS:
            intro = "direct_intro" if self.mode is Mode.DIRECT else "side_by_side_intro"
            t.register(gr.Markdown(t.initial(intro)), value=intro)
            choices = self.arena.named_models()
            with gr.Row():
                for i, side in enumerate(self.sides):
                    key = (
                        "choose_model"
                        if self.mode is Mode.DIRECT
                        else f"choose_model_{side.lower()}"
                    )
                    default = choices[i] if len(choices) > i else None
                    self.pickers[side] = t.register(
                        gr.Dropdown(choices=choices, value=default, label=t.initial(key)), label=key
                    )
        self.chats: dict[Side, gr.Chatbot] = {}
        with gr.Row():
            for side in self.sides:
                key = _side_name(self.mode, side)
                self.chats[side] = t.register(
                    gr.Chatbot(
                        label=t.initial(key),
                        height=420,
                        sanitize_html=True,
                        render_markdown=True,
                        elem_id=f"{self.mode}-chat-{side.lower()}",
                        elem_classes="answer",
                        feedback_options=None,
                        buttons=["copy_all"],
                    ),
                    label=key,
                )
        # Markdown labels are never shown; they name the outputs in the API.
        self.revealed = gr.Markdown(
            visible=False, label="revealed", elem_id=f"{self.mode}-revealed"
        )
        self.vote_buttons: dict[Verdict, gr.Button] = {}
        if self.mode is not Mode.DIRECT:
            with gr.Row(elem_classes="vote-row"):  # on a phone: a 2×2 grid kept in reach
                for verdict in Verdict:
                    self.vote_buttons[verdict] = t.register(
                        gr.Button(
                            t.initial(verdict.value),
                            visible=False,
                            elem_id=f"{self.mode}-vote-{verdict.value}",
                        ),
                        value=verdict.value,
                    )
            # Until a vote would count: "you can vote in 3 s" beside the disabled buttons.
            self.vote_wait = gr.Markdown("", visible=False, label="vote_wait",
                                         elem_id=f"{self.mode}-vote-wait")  # fmt: skip
            # Optional words on what made the better answer better, sent with an A or B vote.
            self.feedback = t.register(
                gr.CheckboxGroup(choices=_feedback_choices(DEFAULT_LANGUAGE), value=[],
                                 label=t.initial("feedback_label"), info=t.initial("feedback_info"),
                                 visible=False, elem_id=f"{self.mode}-feedback"),
                label="feedback_label", info="feedback_info",
            )  # fmt: skip
            # After a stored vote: the voter may share the battle (a public, read-only page).
            self.share = t.register(
                gr.Button(t.initial("share"), visible=False, elem_id=f"{self.mode}-share"),
                value="share",
            )
        self.status = gr.Markdown(t.initial("status_ready"), label="status",
                                  elem_id=f"{self.mode}-status")  # fmt: skip
        with gr.Row():
            self.prompt = t.register(
                gr.Textbox(
                    label=t.initial("prompt_label"),
                    placeholder=t.initial("prompt_placeholder"),
                    scale=5,
                    elem_id=f"{self.mode}-prompt",
                ),
                label="prompt_label",
                placeholder="prompt_placeholder",
            )
            self.send = t.register(
                gr.Button(
                    t.initial("send"), variant="primary", scale=1, elem_id=f"{self.mode}-send"
                ),
                value="send",
            )
        with gr.Row(elem_classes="action-row"):
            self.regenerate = t.register(
                gr.Button(t.initial("regenerate"), elem_id=f"{self.mode}-regenerate"),
                value="regenerate",
            )
            self.clear = t.register(
                gr.Button(t.initial("clear"), elem_id=f"{self.mode}-clear"), value="clear"
            )
            self.new_round = t.register(
                gr.Button(t.initial("new_round"), elem_id=f"{self.mode}-new-round"),
                value="new_round",
            )
        # Proof of work (voters without history): the server sends a challenge when the battle
        # starts; the browser solves it while the voter reads and sends the answer with the vote.
        # An API client does the same with arena.integrity.proof_of_work.solve (docs/api.md).
        self.challenge = gr.Textbox(visible=False, label="challenge",
                                    elem_id=f"{self.mode}-challenge")  # fmt: skip
        self.solution = gr.Textbox("", visible=False, label="solution",
                                   elem_id=f"{self.mode}-solution")  # fmt: skip
        bits = self.arena.settings.pow_bits
        self.challenge.change(
            None, [self.challenge], [self.solution], api_visibility="private",
            js=f"async (token) => token ? String(await solveArenaChallenge(token, {bits})) : ''",
        )  # fmt: skip
        self._wire()

    def _wire(self) -> None:
        outputs = {
            self.state,
            self.prompt,
            self.status,
            self.revealed,
            *self.chats.values(),
            *self.vote_buttons.values(),
            *self.pickers.values(),
            self.challenge,
        }
        if self.vote_buttons:
            outputs |= {self.vote_wait, self.feedback, self.share}
        models = {_side_name(self.mode, side): picker for side, picker in self.pickers.items()}
        # Every stream of model answers shares one limit; voters beyond it see their place.
        streams = dict(concurrency_id=STREAMS, concurrency_limit=self.arena.settings.concurrency)
        # Send, by button or by Enter: one endpoint.
        streaming = [
            self._listen([self.send.click, self.prompt.submit], "send",
                         self._guarded_stream(self._on_send), {"prompt": self.prompt, **models},
                         outputs, **streams),
            self._listen([self.regenerate.click], "regenerate",
                         self._guarded_stream(self._on_regenerate), {}, outputs, **streams),
        ]  # fmt: skip
        if self.vote_buttons:
            streaming += self._wire_countdown(streaming)  # Clear and New round stop them too
        # Votes and abandons write: as many at once as the store takes (SQLite: one), the rest
        # wait in Gradio's queue rather than in threads fighting over the database lock.
        writes = dict(concurrency_id=WRITES, concurrency_limit=self.arena.concurrent_writes)
        # Clear and New round end the answers being streamed: the page stops listening to them
        # (cancels) and the service stops both models (Arena.abandon).
        # Each chat's own clear icon (Gradio has no way to hide it) is the same action.
        chat_clears = [chat.clear for chat in self.chats.values()]
        # They wait (briefly) for the stopped stream's last update: not in the writes' queue,
        # where they would hold up everyone's votes meanwhile.
        clears = dict(concurrency_id=CLEARS, concurrency_limit=None)
        self._listen([self.clear.click, *chat_clears], "clear", self._guarded(self._on_clear), {},
                     outputs, cancels=streaming, **clears)  # fmt: skip
        self._listen([self.new_round.click], "new_round", self._guarded(self._on_new_round), {},
                     outputs, cancels=streaming, **clears)  # fmt: skip
        for verdict, button in self.vote_buttons.items():
            inputs = {"solution": self.solution}
            if verdict in FEEDBACK_VERDICTS:
                inputs["feedback"] = self.feedback
            self._listen([button.click], f"vote_{verdict.value}",
                         self._guarded(self._vote_handler(verdict)), inputs,
                         outputs, **writes)  # fmt: skip
        if self.vote_buttons:
            self._listen([self.share.click], "share", self._guarded(self._on_share), {}, outputs,
                         **writes)  # fmt: skip

    def _wire_countdown(self, streaming: list) -> list:
        """After the answers the vote buttons stay disabled, counting down, until a vote would
        count (the minimum time to read, then the browser's proof of work); then they open.
        Returns the countdown events."""
        countdown = {self.state, self.session.language}
        opening = {self.state, self.session.language, self.solution}
        outputs = {self.status, self.vote_wait, *self.vote_buttons.values()}
        # "multiple": a new battle's countdown starts even while the last one's is ending.
        private = dict(api_visibility="private", concurrency_id=COUNTDOWNS,
                       concurrency_limit=None, show_progress="hidden", trigger_mode="multiple")  # fmt: skip
        counting = []
        for event in streaming:
            counting.append(event.then(self._guarded_stream(self._count_down), countdown,
                                       outputs, **private))  # fmt: skip
            counting[-1].then(self._guarded(self._open_votes), opening, outputs, **private)
        self.solution.change(self._guarded(self._open_votes), opening, outputs, **private)
        return counting

    def _listen(self, triggers: list, action: str, handler: Callable, inputs: dict[str, Any],
                outputs: set, **queueing: Any) -> Any:  # fmt: skip
        """The endpoint `/{mode}_{action}`, its parameters named as the keys of `inputs`. The
        panel's State (battle, challenge, language) goes along server-side, never a parameter."""
        named = {"state": self.state, "language": self.session.language, **inputs}
        return gr.on(triggers, _by_component(handler, named), inputs_kwargs=named, outputs=outputs,
              api_name=f"{self.mode.value}_{action}", api_description=_DESCRIPTIONS[action],
              **queueing)  # fmt: skip

    # -- what a handler's failure shows ------------------------------------------------------
    def _failure(self, data: dict, error: Exception) -> dict:
        """A refusal (the voter's input, a battle's rule) said as its reason; the database that
        cannot serve the call (a full disk, a dropped server) one log line and "try again", as
        the JSON API's 503; anything else logged with its traceback and never shown. Called in
        the `except` block that caught `error`."""
        language = data.get(self.session.language) or DEFAULT_LANGUAGE
        if isinstance(error, InvalidInput | BattleRuleBroken):
            return {self.status: _problem_text(language, error)}
        if isinstance(error, StoreFailed):
            log.warning("storage failed in the %s panel: %s", self.mode.value, error)
            return {self.status: translate(language, "error_storage")}
        log.exception("unexpected error in the %s panel", self.mode.value)
        return {self.status: translate(language, "error_unexpected")}

    def _guarded(self, handler: Callable[[dict, gr.Request], dict]):
        @functools.wraps(handler)
        def guarded(data: dict, request: gr.Request) -> dict:
            try:
                return handler(data, request)
            except Exception as error:
                return self._failure(data, error)

        return guarded

    def _guarded_stream(self, handler: Callable[[dict, gr.Request], AsyncIterator[dict]]):
        @functools.wraps(handler)
        async def guarded(data: dict, request: gr.Request) -> AsyncIterator[dict]:
            try:
                async for update in handler(data, request):
                    yield update
            except Exception as error:
                yield self._failure(data, error)

        return guarded

    # -- handlers --------------------------------------------------------------------------
    async def _on_send(self, data: dict, request: gr.Request) -> AsyncIterator[dict]:
        # what the status says next is this handler's: the countdown after it says nothing again
        state, language = replace(data[self.state], said_in=""), data[self.session.language]
        if state.locked:
            yield {self.state: state, self.status: translate(language, "status_locked")}
            return
        voter = self._voter(request)
        try:
            if state.battle_id is None:
                chosen = tuple(data[p] for p in self.pickers.values() if data[p])
                started = await self.arena.in_store(
                    self.arena.start_battle, voter, mode=self.mode, models=chosen
                )
                state = replace(state, battle_id=started.battle_id, voter_id=voter.voter_id,
                                challenge=started.challenge or "")  # fmt: skip
                yield {self.state: state, self.challenge: started.challenge or ""}
            stream = await self.arena.in_store(
                self.arena.ask, voter, state.battle_id, data[self.prompt]
            )
        except (InvalidInput, BattleRuleBroken) as problem:
            yield {self.state: state, self.status: _problem_text(language, problem)}
            return
        state = replace(state, turns=state.turns + 1, voting=False, shows="streaming")
        yield {
            self.state: state,
            self.prompt: "",
            self.status: self._status_text(language, state),
            **self._picker_updates(interactive=False),
            **self._vote_updates(visible=False),
        }
        async for update in self._stream(stream, state, language):
            yield update

    async def _on_regenerate(self, data: dict, request: gr.Request) -> AsyncIterator[dict]:
        state, language = replace(data[self.state], said_in=""), data[self.session.language]
        if state.battle_id is None or state.locked:
            said = "status_locked" if state.locked else "status_ready"
            yield {self.state: state, self.status: translate(language, said)}
            return
        voter = self._voter(request)
        try:
            stream = await self.arena.in_store(self.arena.regenerate, voter, state.battle_id)
        except (InvalidInput, BattleRuleBroken) as problem:
            yield {self.state: state, self.status: _problem_text(language, problem)}
            return
        state = replace(state, voting=False, shows="streaming")
        yield {
            self.state: state,
            self.status: self._status_text(language, state),
            **self._vote_updates(visible=False),
        }
        async for update in self._stream(stream, state, language):
            yield update

    async def _stream(
        self, stream: AsyncIterator[TurnView], state: PanelState, language: str
    ) -> AsyncIterator[dict]:
        view = None
        try:
            async for view in stream:
                yield self._chat_updates(view, language)
        except BattleRuleBroken as problem:
            yield {self.status: _problem_text(language, problem)}
            return
        if view is None or not view.done:  # stopped (Clear, New round, the voter left)
            return
        can_vote = view.can_vote and self.mode is not Mode.DIRECT
        state = replace(state, view=view, said_in=language)
        if view.failed_sides:
            failed = tuple((side.value, view.sides[side].error or "") for side in view.failed_sides)
            state = replace(state, locked=True, shows="failed", failed=failed)
        else:
            warnings = tuple((r.value, "; ".join(view.evidence)) for r in view.warnings)
            state = replace(state, voting=can_vote, shows="answers", warnings=warnings)
        update = {
            **self._chat_updates(view, language),
            self.state: state,
            self.status: self._status_text(language, state),
            **self._vote_updates(visible=can_vote, interactive=False),
        }
        if can_vote:  # the countdown, a chained event, fills it from the rule
            update[self.vote_wait] = gr.update(visible=True, value="")
        yield update

    def _status_text(self, language: str, state: PanelState) -> str:
        """What the status says for the panel's state, in `language` (all it shows is kept in
        the state, so a language switch says it again in the other language)."""
        if state.shows == "receipt" and state.receipt is not None:
            text = _receipt_text(language, state.receipt)
            if state.shared:
                url = page_path(state.shared)
                text += "\n\n" + translate(language, "share_link", url=url)
            return text
        if state.shows == "failed" and len(state.failed) > 1:  # the status names every side
            errors = {f"error_{side.lower()}": failure_text(language, error)
                      for side, error in state.failed}  # fmt: skip
            return translate(language, "sides_failed", **errors)
        if state.shows == "failed":
            side, error = state.failed[0]
            return translate(language, "side_failed", side=side,
                             error=failure_text(language, error))  # fmt: skip
        if state.shows != "answers":
            return translate(language, f"status_{state.shows}")
        lines = [translate(language, f"warning_{reason}", evidence=evidence)
                 for reason, evidence in state.warnings]  # fmt: skip
        if self.mode is Mode.DIRECT:
            lines.append(translate(language, "status_ready"))
        elif state.turns >= self.arena.settings.max_turns:
            lines.append(translate(language, "status_turn_limit",
                                   limit=self.arena.settings.max_turns))  # fmt: skip
        else:
            lines.append(translate(language, "status_vote"))
        return "\n\n".join(lines)

    def owned(self, state: PanelState, request: gr.Request) -> PanelState:
        """`state` if it is this request's voter's, else a fresh one: a page's session hash is
        no secret (it travels in URLs), and another voter who sends it gets nothing of it."""
        if state.voter_id is None:
            return state
        try:
            voter_id = request_voter(self.arena, request).voter_id
        except InvalidInput:
            voter_id = None
        return state if voter_id == state.voter_id else PanelState()

    def in_language(self, state: PanelState, language: str, *, chats: bool = True) -> dict:
        """Everything the panel shows that depends on the language, said again in `language`
        from its state: the status (a receipt too), the revealed names, the chat labels (names
        included) and the notes inside the chats. For the page's language switch and its first
        load. `chats=False`: the transcripts on screen are already in `language` (a vote)."""
        update = {self.status: self._status_text(language, state)}
        receipt = state.receipt if state.receipt is not None and state.receipt.stored else None
        # while a turn streams its chats are the stream's (state.view is the turn before)
        said = chats and state.view is not None and state.shows != "streaming"
        transcripts = self._chat_updates(state.view, language) if said else {}
        for side, chat in self.chats.items():
            key = _side_name(self.mode, side)
            name = f": {receipt.cards[side].display_name}" if receipt else ""
            update[chat] = gr.update(label=translate(language, key) + name)
            if chat in transcripts:
                update[chat]["value"] = transcripts[chat]
        if self.vote_buttons:
            update[self.feedback] = gr.update(choices=_feedback_choices(language))
        if receipt is not None:
            update[self.revealed] = gr.update(value=translate(
                language, "revealed", model_a=_card_text(receipt.cards[Side.A]),
                model_b=_card_text(receipt.cards[Side.B])))  # fmt: skip
        return update

    async def _count_down(self, data: dict, request: gr.Request) -> AsyncIterator[dict]:
        """Each second until a vote on the battle would count (Arena.seconds_until_vote_counts,
        the rule the vote is judged by, asked once): how long, beside the buttons. _open_votes
        asks again and opens them. It only writes that line: a tick that comes late (after Clear
        or a vote) changes nothing seen."""
        state, language = data[self.state], data[self.session.language]
        # A finished turn said its last status in the language its stream started in; this runs
        # after it with the page's language now: after a switch while the answers streamed, said
        # again. (A generator that yields nothing blanks its outputs.)
        again = state.said_in not in ("", language)
        yield {self.vote_wait: gr.skip(),
               **({self.status: self._status_text(language, state)} if again else {})}  # fmt: skip
        if not state.voting or state.locked or state.battle_id is None:
            return
        voter = self._voter(request)
        wait = await self.arena.in_store(
            self.arena.seconds_until_vote_counts, voter, state.battle_id
        )
        ends = time.monotonic() + min(wait or 0.0, MAX_COUNTDOWN_S)
        while (left := ends - time.monotonic()) > 0:
            yield {self.vote_wait: _wait_text(language, left)}
            await asyncio.sleep(left - math.ceil(left) + 1.0)  # to the next whole second

    def _open_votes(self, data: dict, request: gr.Request) -> dict:
        """Enable the vote buttons once a vote would count: the time to read has passed and the
        browser has solved its proof of work (if the battle came with a challenge)."""
        state, language = data[self.state], data[self.session.language]
        if not state.voting or state.locked or state.battle_id is None:
            return {self.vote_wait: gr.skip()}  # nothing to open ({} would be one value)
        wait = self.arena.seconds_until_vote_counts(self._voter(request), state.battle_id)
        if wait is None or wait > 0:
            return {self.vote_wait: gr.skip()}  # still counting down: it opens them at its end
        if state.challenge and not data[self.solution]:
            return {self.vote_wait: translate(language, "vote_wait_proof")}
        return {
            self.vote_wait: "",
            **{button: gr.update(interactive=True) for button in self.vote_buttons.values()},
        }

    def _voter(self, request: gr.Request) -> Voter:
        return request_voter(self.arena, request)

    def _vote_handler(self, verdict: Verdict):
        def on_vote(data: dict, request: gr.Request) -> dict:
            return self._on_vote(verdict, data, request)

        return on_vote

    def _on_vote(self, verdict: Verdict, data: dict, request: gr.Request) -> dict:
        state, language = data[self.state], data[self.session.language]
        voter = self._voter(request)
        proof = Proof(challenge=state.challenge, solution=data[self.solution])
        feedback = data.get(self.feedback) if verdict in FEEDBACK_VERDICTS else None
        receipt = self.arena.vote(voter, state.battle_id or "", verdict.value, proof, feedback)
        state = replace(state, shows="receipt", receipt=receipt)
        if receipt.stored:
            state = replace(state, locked=True, voting=False)
        update = {self.state: state, **self.in_language(state, language, chats=False),
                  **self._vote_updates(visible=False)}  # fmt: skip
        if receipt.stored:
            update[self.revealed] = {**update[self.revealed], "visible": True}
            update[self.share] = gr.update(visible=True, interactive=True)
        return update

    def _on_share(self, data: dict, request: gr.Request) -> dict:
        """The voter shares the battle just voted on: its public page's link in the status."""
        state, language = data[self.state], data[self.session.language]
        if state.battle_id is None or state.receipt is None or not state.receipt.stored:
            return {self.status: translate(language, "error_battle_not_voted")}
        share_id = self.arena.share_battle(self._voter(request), state.battle_id)
        state = replace(state, shared=share_id)
        return {self.state: state, self.status: self._status_text(language, state),
                self.share: gr.update(visible=False)}  # fmt: skip

    def _on_clear(self, data: dict, request: gr.Request) -> dict:
        state, language = data[self.state], data[self.session.language]
        if state.battle_id is not None and not state.locked:
            try:
                self.arena.abandon(self._voter(request), state.battle_id)
            except BattleRuleBroken as problem:
                return {self.status: _problem_text(language, problem)}
        return self._fresh(language, "cleared")

    def _on_new_round(self, data: dict, request: gr.Request) -> dict:
        state, language = data[self.state], data[self.session.language]
        if state.battle_id is not None and not state.locked:
            self.arena.abandon(self._voter(request), state.battle_id)
        return self._fresh(language, "ready")

    # -- updates ---------------------------------------------------------------------------
    def _fresh(self, language: str, shows: str) -> dict:
        fresh = PanelState(shows=shows)
        update = {
            **self.in_language(fresh, language),  # the status and the chats' plain labels
            self.state: fresh,
            self.challenge: "",
            self.revealed: gr.update(visible=False, value=""),
            self.prompt: "",
            **self._vote_updates(visible=False),
            **self._picker_updates(interactive=True),
        }
        for chat in self.chats.values():
            update[chat] = {**update[chat], "value": []}
        return update

    def _chat_updates(self, view: TurnView, language: str) -> dict:
        """Both transcripts, rendered from the service's view of the battle (never from what the
        browser holds): the finished turns, then the turn being streamed."""
        update = {}
        for side, chat in self.chats.items():
            shown = view.sides[side]
            text = shown.text
            if shown.stopped:
                text = f"{text}\n\n{translate(language, 'side_stopped')}"
            elif shown.error:
                text = f"{text}\n\n⚠️ {failure_text(language, shown.error)}"
            text = to_safe_markdown(text)  # the whole message, notes included
            messages = []
            for prompt, answers in view.earlier:
                messages += [_user(prompt), _assistant(answers.get(side, ""))]
            update[chat] = [*messages, _user(view.prompt), {"role": "assistant", "content": text}]
        return update

    def _vote_updates(self, *, visible: bool, interactive: bool | None = None) -> dict:
        update = {"visible": visible} if interactive is None else {
            "visible": visible, "interactive": interactive}  # fmt: skip
        updates = {button: gr.update(**update) for button in self.vote_buttons.values()}
        if self.vote_buttons:
            updates[self.vote_wait] = gr.update(visible=visible)
            updates[self.feedback] = gr.update(visible=visible, value=[])
            updates[self.share] = gr.update(visible=False)
        return updates

    def _picker_updates(self, *, interactive: bool) -> dict:
        return {picker: gr.update(interactive=interactive) for picker in self.pickers.values()}


_DESCRIPTIONS = {  # what each endpoint does, shown by the API docs and Client.view_api()
    "send": "Send a prompt; the first one starts the battle (anonymous: with a proof-of-work "
    "challenge when the vote will need one). The answers stream in.",
    "regenerate": "Ask again for the last turn's answers.",
    "clear": "Give the battle up (stored as abandoned, never rated) and start afresh.",
    "new_round": "Start afresh after a vote (an unfinished battle is abandoned).",
    "share": "Share the battle just voted on: its public page's link (prompts, answers, models "
    "and verdict; nothing about the voter) is added to the status.",
    **{f"vote_{v.value}": f"Vote {v.value}, with the proof-of-work solution if a challenge was "
       "returned" + (" and optional feedback words" if v in FEEDBACK_VERDICTS else "") +
       "; returns the receipt and, when the vote is stored, the models." for v in Verdict},
}  # fmt: skip


def _side_name(mode: Mode, side: Side) -> str:
    """`model` in direct chat, `model_a`/`model_b` otherwise: the API name of the side's model
    picker and the text key of its chat's label."""
    return "model" if mode is Mode.DIRECT else f"model_{side.lower()}"


def _by_component(handler: Callable, inputs: dict[str, Any]) -> Callable:
    """Gradio calls with one keyword per named input (the API's parameter names); the panel's
    handlers take one dict keyed by component. Not functools.wraps: Gradio reads this signature
    (through __wrapped__ it would see the handler's single `data` and number the parameters)."""
    if inspect.isasyncgenfunction(handler):

        async def streaming(request: gr.Request, **values: Any) -> AsyncIterator[dict]:
            async for update in handler({inputs[k]: v for k, v in values.items()}, request):
                yield update

        return streaming

    def calling(request: gr.Request, **values: Any) -> dict:
        return handler({inputs[k]: v for k, v in values.items()}, request)

    return calling


def _user(prompt: str) -> dict[str, Any]:
    """The voter's prompt, shown exactly as typed (answers are Markdown: models write it)."""
    return {"role": "user", "content": to_verbatim_markdown(prompt)}


def _assistant(answer: str) -> dict[str, Any]:
    return {"role": "assistant", "content": to_safe_markdown(answer)}


def _feedback_choices(language: str) -> list[tuple[str, str]]:
    """The feedback boxes: each word's label in `language`, its value the word itself."""
    return [(translate(language, f"feedback_{word.value}"), word.value) for word in Feedback]


def _wait_text(language: str, wait: float) -> str:
    return translate(language, "vote_wait_in", seconds=math.ceil(wait))


def _card_text(card: ModelCard) -> str:
    """The model as the reveal names it: display name (organisation · licence) and a link to
    its page. The roster's labels are shown as text, never read as Markdown."""
    text = to_verbatim_markdown(card.label)
    return f"{text} [↗]({card.link})" if card.link else text


def _problem_text(language: str, problem: InvalidInput | BattleRuleBroken) -> str:
    if isinstance(problem, InvalidInput):
        key = f"error_{problem.code}"
        try:
            return translate(language, key, **problem.values)
        except KeyError:
            log.warning("no translation for %s", key)
            return translate(language, "error_unexpected")
    return "⛔ " + translate(language, f"reason_{problem.reason}")


def _receipt_text(language: str, receipt: Receipt) -> str:
    values = {
        "verdict": translate(language, receipt.verdict.value) if receipt.verdict else "",
        "battle": receipt.battle_id[:8],
        "reason": translate(language, f"reason_{receipt.reason}") if receipt.reason else "",
    }
    if not receipt.stored:
        return translate(language, "receipt_refused", **values)
    key = "receipt_counted" if receipt.counted else "receipt_not_counted"
    text = translate(language, key, **values)
    if receipt.feedback:
        feedback = feedback_text(language, receipt.feedback)
        text += " " + translate(language, "receipt_feedback", feedback=feedback)
    return text


def request_voter(arena: Arena, request: gr.Request) -> Voter:
    """Who acts: this page's session, the voter the signed cookie names (checked again by the
    service), and the client address the edge middleware decided."""
    token = (getattr(request, "cookies", None) or {}).get(VOTER_COOKIE)
    voter_id = arena.voter_from_token(token)
    if voter_id is None:
        raise InvalidInput("voter_invalid", "no valid voter cookie")
    ip = request.client.host if request.client else None
    return Voter(session_id=request.session_hash or "", voter_id=voter_id, ip=ip)
