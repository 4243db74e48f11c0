"""The service layer: class Arena, the one API that the UI, the JSON API and the CLI call.

It receives its collaborators (store, provider, roster, pairing, settings) from bootstrap, applies
the battle rules, streams both sides concurrently and turns votes into receipts.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import ipaddress
import logging
import re
import secrets
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from arena.config import Settings
from arena.domain.battle import Answer, Battle, BattleRuleBroken, Mode, Side, Status, Turn
from arena.domain.categories import categorize
from arena.domain.pairing import Candidate, Pairing
from arena.domain.reasons import REFUSALS, Reason
from arena.domain.roster import Roster
from arena.domain.text import is_storable
from arena.domain.verdicts import (
    FEEDBACK_VERDICTS,
    Feedback,
    Verdict,
    to_feedback,
    win_loss_tie,
)
from arena.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from arena.integrity.disclosure import DisclosureDetector, detector_for
from arena.integrity.probes import find_probes
from arena.integrity.voter_tokens import (
    issue_voter_token,
    read_voter_token,
    voter_token_for_user,
)
from arena.ports import (
    LiveRating,
    LiveUpdate,
    NewVote,
    Provider,
    ProviderFailed,
    ServerSecrets,
    Store,
    StoreBusy,
    StoreFailed,
    StoreUnavailable,
    TextDelta,
    Usage,
    VoteAlreadyCast,
)
from arena.rankings import Rankings, VoteColumns, rank_votes
from arena.snapshot import ModelChange, Snapshot
from arena.usecases.detection import Detection, DetectionReport
from arena.usecases.gatekeeper import Gatekeeper, Proof
from arena.usecases.publishing import (  # re-exported: the faces' errors and the offline check
    ImportRejected,
    MaintainerOnly,
    Publishing,
    SnapshotNotFound,
    UnknownCategory,
    check_category,
    verify_release,
)
from arena.views import (
    BattleStarted,
    InvalidInput,
    LeaderboardRow,
    ModelCard,
    ModelStatus,
    Receipt,
    SharedBattle,
    SideView,
    Terms,
    TurnView,
    Voter,
)
from ratings import style_features
from ratings.trueskill_ratings import Skill, TrueSkillParams, rate_vote
from ratings.trueskill_replay import replay_named

STOPPED_MESSAGE = "stopped because the other side failed"
MAX_PROOF_CHARS = 512  # a proof-of-work token or counter is far shorter
STOP_WAIT_S = 2.0  # how long a clear waits for the stopped stream's last view
SHARE_ID_BYTES = 12  # a shared battle's page id: 96 random bits, 16 URL-safe characters
# The longest battle id a vote may name (ours are 32 hex digits): a longer one was logged whole
# with its refusal, 60 KB a request.
MAX_BATTLE_ID_CHARS = 64
SHARE_ID = re.compile(r"[A-Za-z0-9_-]{16}")
MAINTAINER_FAILURES_PER_MINUTE = 5  # wrong maintainer secrets one IP may send per minute


@dataclass
class _Stream:
    """A turn being streamed: whose it is, its two side tasks, and whether the voter left."""

    session_id: str
    loop: asyncio.AbstractEventLoop | None = None  # the loop the side tasks run on
    tasks: tuple[asyncio.Task, ...] = ()
    changed: asyncio.Event | None = None  # set to wake the turn's loop at once
    left: bool = False
    ended: threading.Event = field(default_factory=threading.Event)  # no more views will come
    writing: asyncio.Future | None = None  # the stream's latest store write (they run in order)

    def stop(self) -> None:
        """Stop both sides now, from any thread (the UI's handlers run in worker threads): no
        more views, and the battle is left abandoned."""
        self.left = True
        for task in self.tasks:
            if self.loop is None or self.loop.is_closed():
                continue
            self.loop.call_soon_threadsafe(task.cancel)
        if self.changed is not None and self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.changed.set)  # no wait for the next update

    def wait_ended(self, timeout_s: float) -> None:
        """From another thread: wait until the stream has sent its last view, so an answer
        that says "cleared" comes after it, never before (in the stream's own loop: no wait)."""
        try:
            if asyncio.get_running_loop() is self.loop:
                return
        except RuntimeError:
            pass  # no loop in this thread: a worker thread
        if self.loop is not None:  # its tasks started: it ends within moments
            self.ended.wait(timeout_s)


class Arena:
    def __init__(
        self,
        *,
        settings: Settings,
        store: Store,
        provider: Provider,
        roster: Roster,
        pairing: Pairing,
        trueskill: TrueSkillParams,
        gatekeeper: Gatekeeper,
        publishing: Publishing,
        detection: Detection,
        secrets: ServerSecrets,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.settings = settings
        self.store = store
        self.provider = provider
        self.roster = roster
        self.pairing = pairing
        self.trueskill = trueskill
        self.gatekeeper = gatekeeper
        self.publishing = publishing
        self.detection = detection
        self.clock = clock
        self._streams: dict[str, _Stream] = {}  # battle id -> its running stream
        self._streaming_lock = threading.Lock()
        # One limit for every model stream of this process (UI and API alike); a threading
        # semaphore, polled, so it holds across the event loops of tests and servers.
        self._stream_slots = threading.BoundedSemaphore(settings.concurrency)
        self._ip_salt = settings.ip_salt or secrets.ip_salt
        self._cookie_key = secrets.voter_cookie.encode()
        # The store's calls from the faces' event loops that would wait (another writer holds
        # the database, or it is a network away) run here, as many at once as the store takes
        # writers: apart from the threads litellm starts its calls on, so a write queued behind
        # another worker's never holds up a model call.
        self._store_threads = ThreadPoolExecutor(store.writers, thread_name_prefix="arena-store")
        self._writes: set[asyncio.Future] = set()  # streams' writes still running (kept alive)
        store.ensure_models(
            [
                {
                    "name": m.name,
                    "display_name": m.display_name,
                    "organisation": m.organisation,
                    "licence": m.licence,
                }
                for m in roster.models
            ]
        )

    # -- voters ----------------------------------------------------------------------------
    def new_voter(self) -> tuple[str, str]:
        """A new voter: (voter id, signed token for the voter cookie)."""
        return issue_voter_token(self._cookie_key)

    @property
    def concurrent_writes(self) -> int:
        """How many writing calls (start a battle, vote, abandon) a face should run at once in
        this process; the rest wait their turn in the face's queue (see the store's `writers`)."""
        return self.store.writers

    def voter_for_user(self, user: str) -> tuple[str, str]:
        """The voter of a user a trusted SSO proxy signed in: (voter id, signed token)."""
        return voter_token_for_user(self._cookie_key, user)

    def voter_from_token(self, token: object) -> str | None:
        """The voter id behind a cookie token, or None if it is missing or forged."""
        return read_voter_token(self._cookie_key, token)

    def check_maintainer(self, secret: object, ip: str | None = None) -> None:
        """Raise MaintainerOnly unless `secret` is the maintainer secret. Wrong guesses are
        logged per IP hash; past MAINTAINER_FAILURES_PER_MINUTE a minute, even the right secret
        is refused until the minute has passed (so guessing costs a minute per few tries)."""
        ip_hash = self.hash_ip(ip)
        since = self.store.clock() - 60
        refused = None
        with self.store.transaction():  # counted and logged in one step, across all workers
            if (
                self.store.count_events("maintainer_refused", since=since, ip_hash=ip_hash or "")
                >= MAINTAINER_FAILURES_PER_MINUTE
            ):
                raise MaintainerOnly(
                    "too many wrong maintainer secrets: wait a minute", throttled=True
                )
            try:
                self.publishing.check_maintainer(secret if isinstance(secret, str) else None)
            except MaintainerOnly as error:
                self.store.log_event("maintainer_refused", ip_hash=ip_hash or "")
                refused = error
        if refused is not None:
            raise refused

    # -- the terms a voter accepts before a first battle ------------------------------------
    def terms(self, language: str) -> Terms:
        """The terms notice in `language` (the maintainer's own text, if set, in every one)."""
        texts = self._terms_texts()
        text = texts.get(language) or texts[DEFAULT_LANGUAGE]
        return Terms(text=text, sha256=_sha256(text), required=self.settings.terms_required)

    def accept_terms(self, voter: Voter, sha256: object) -> None:
        """Record that the voter accepted the terms whose text hashes to `sha256`; a hash of no
        current text (the maintainer changed it since the page loaded) is refused. A cookie's
        first acceptance makes a voter: one IP makes at most `battles_per_minute_ip` a minute
        (a script that drops its cookie at each request wrote a voter row a request)."""
        voter = _checked_voter(voter)
        if sha256 not in self._terms_hashes():
            raise InvalidInput("terms_changed", "these are not the current terms: reload the page")
        ip_hash = self.hash_ip(voter.ip)
        with self.store.transaction():  # counted and written in one step, across all workers
            accepted = self.store.accepted_terms(voter.voter_id)
            if accepted == sha256:
                return  # accepted already: nothing is written again
            if (
                accepted is None
                and ip_hash is not None
                and self.store.count_events(
                    "terms_accepted", since=self.store.clock() - 60, ip_hash=ip_hash
                )
                >= self.settings.battles_per_minute_ip
            ):
                raise BattleRuleBroken(
                    Reason.NEW_VOTERS_PER_MINUTE_IP, translate(DEFAULT_LANGUAGE,
                    "reason_new_voters_per_minute_ip"),
                )  # fmt: skip
            self.store.accept_terms(voter.voter_id, ip_hash, str(sha256))

    def has_accepted_terms(self, voter: Voter) -> bool:
        """Whether the voter accepted the current terms (always, when they are not required)."""
        if not self.settings.terms_required:
            return True
        return self.store.accepted_terms(_checked_voter(voter).voter_id) in self._terms_hashes()

    def _terms_texts(self) -> dict[str, str]:
        custom = self.settings.terms_text
        return {lang: custom or translate(lang, "terms_text") for lang in LANGUAGES}

    def _terms_hashes(self) -> set[str]:
        return {_sha256(text) for text in self._terms_texts().values()}

    def start_battle(
        self, voter: Voter, *, mode: Mode = Mode.ANONYMOUS, models: tuple[str, ...] = ()
    ) -> BattleStarted:
        """Open a battle. Anonymous: the pairing policy picks the models. Named: `models` gives
        both. Direct: `models` gives one. Refused until the voter accepts the terms. Writes the
        store: a face calls it through `in_store`, never on its event loop directly."""
        voter = _checked_voter(voter)
        if not self.has_accepted_terms(voter):
            raise BattleRuleBroken(
                Reason.TERMS_NOT_ACCEPTED, "accept the terms before your first battle"
            )
        ip_hash = self.hash_ip(voter.ip)
        self.store.ensure_voter(voter.voter_id, ip_hash)
        probability = None
        if mode is Mode.ANONYMOUS:
            choice = self.pairing.choose(
                [Candidate(m.name, m.weight) for m in self.roster.models], self._skills()
            )
            names = {Side.A: choice.model_a, Side.B: choice.model_b}
            probability = choice.probability
        else:
            names = self._chosen_models(mode, models)
        battle = Battle(
            id=uuid.uuid4().hex,
            session_id=voter.session_id,
            voter_id=voter.voter_id,
            mode=mode,
            models=names,
            max_turns=self.settings.max_turns,
            pair_probability=probability,
        )
        with self.store.transaction():  # checked and created in one step, across all workers
            refusal = self.gatekeeper.check_start(voter.voter_id, ip_hash)
            if refusal is not None:
                raise BattleRuleBroken(refusal, "too many battles started: wait a minute")
            self.store.create_battle(
                battle, ip_hash=ip_hash, ip_prefix_hash=self.hash_ip(_ip_prefix(voter.ip))
            )
        shown = None if mode is Mode.ANONYMOUS else dict(names)
        challenge = self.gatekeeper.challenge(voter.voter_id) if mode is Mode.ANONYMOUS else None
        return BattleStarted(battle_id=battle.id, mode=mode, models=shown, challenge=challenge)

    def ask(self, voter: Voter, battle_id: str, prompt: str) -> AsyncIterator[TurnView]:
        """Send a new prompt to both sides; yields views while they stream. Reads and claims
        the battle in the database, so a face calls it through `in_store`, never on its
        event loop directly (the stream returned makes its own store calls the same way)."""
        prompt = self._checked_prompt(prompt)
        battle = self._own_battle(_checked_voter(voter), battle_id)
        battle.check_can_ask()
        return self._stream_turn(battle, Turn(index=len(battle.turns), prompt=prompt))

    def regenerate(self, voter: Voter, battle_id: str) -> AsyncIterator[TurnView]:
        """Redo the last turn on both sides (before the vote). What the voter has seen stays
        seen: the replaced answers' disclosures are kept with the new turn (they void the vote
        as before, and the warning stays). Like `ask`, a face calls it through `in_store`."""
        battle = self._own_battle(_checked_voter(voter), battle_id)
        battle.check_can_ask(regenerate=True)
        last = battle.turns[-1]
        battle = replace(battle, turns=battle.turns[:-1])
        seen = Turn(index=last.index, prompt=last.prompt, disclosures=last.disclosures)
        return self._stream_turn(battle, seen)

    def seconds_until_vote_counts(self, voter: Voter, battle_id: str) -> float | None:
        """How long this voter should wait before a vote on this battle can count: the minimum
        time to read the answers (the page counts it down with the vote buttons disabled).
        None when there is nothing to wait for: answers stream, or the battle is over
        (voted, cleared, void); 0.0 when a vote may count now."""
        battle = self._own_battle(_checked_voter(voter), battle_id)
        if battle.status is not Status.OPEN or battle.streaming:
            return None
        return self.gatekeeper.seconds_until_vote(battle.id)

    def abandon(self, voter: Voter, battle_id: str) -> None:
        """The voter cleared the battle: stored as abandoned, never rated; its answers, if they
        are still streaming in this process, stop at once."""
        battle = self._own_battle(_checked_voter(voter), battle_id)
        if battle.status is Status.OPEN:
            self.store.set_battle_status(battle_id, Status.ABANDONED)
        with self._streaming_lock:
            stream = self._streams.get(battle_id)
        if stream is not None:
            stream.stop()
            stream.wait_ended(STOP_WAIT_S)

    def _stream_turn(self, battle: Battle, turn: Turn) -> AsyncIterator[TurnView]:
        # Claimed in the database before anything streams: one stream per battle across workers.
        if not self.store.mark_streaming(battle.id):
            raise BattleRuleBroken(Reason.ANSWERS_INCOMPLETE, "the answers are still streaming")
        stream = _Stream(session_id=battle.session_id)
        with self._streaming_lock:
            self._streams[battle.id] = stream
        return self._streamed_turn(battle, turn, stream)

    async def _streamed_turn(
        self, battle: Battle, turn: Turn, stream: _Stream
    ) -> AsyncIterator[TurnView]:
        finished = False
        try:
            async with self._stream_slot():
                async for view in self._run_sides(battle, turn, stream):
                    finished = view.done  # the turn is saved before its final view
                    yield view
            finished = True
        finally:
            with self._streaming_lock:
                self._streams.pop(battle.id, None)
            stream.ended.set()
            if not finished:  # the consumer went away or something broke: never left open
                await asyncio.shield(self._write(stream, battle.id, self._left, battle.id))

    @contextlib.asynccontextmanager
    async def _stream_slot(self) -> AsyncIterator[None]:
        while not self._stream_slots.acquire(blocking=False):
            await asyncio.sleep(0.02)
        try:
            yield
        finally:
            self._stream_slots.release()

    def sweep_dead_streams(self) -> list[str]:
        """Abandon open battles whose stream died with its process (crash, kill -9) or its
        connection: those streaming longer than any answer may take. Run at start and then
        periodically; returns the battle ids abandoned."""
        cutoff = self.store.clock() - self.settings.timeout_s - self.settings.stream_grace_s
        return self.store.abandon_dead_streams(cutoff)

    def cancel_session(self, session_id: str) -> int:
        """The voter's browser went away: stop its streams (both sides) and abandon those
        battles. Returns how many streams were stopped."""
        with self._streaming_lock:
            streams = [s for s in self._streams.values() if s.session_id == session_id]
        for stream in streams:
            stream.stop()
        return len(streams)

    async def _run_sides(
        self, battle: Battle, turn: Turn, stream: _Stream
    ) -> AsyncIterator[TurnView]:
        sides = battle.sides
        texts: dict[Side, list[str]] = {s: [] for s in sides}
        answers: dict[Side, Answer] = {}
        changed = asyncio.Event()

        async def run(side: Side) -> None:
            model = self.roster.get(battle.models[side])
            messages = [*battle.history(side), {"role": "user", "content": turn.prompt}]
            started, usage = self.clock(), None
            try:
                async for event in self.provider.stream(model, messages):
                    if isinstance(event, TextDelta):
                        texts[side].append(event.text)
                        changed.set()
                    elif isinstance(event, Usage):
                        usage = event
                answers[side] = Answer(
                    text="".join(texts[side]),
                    latency_s=self.clock() - started,
                    prompt_tokens=usage.prompt_tokens if usage else None,
                    completion_tokens=usage.completion_tokens if usage else None,
                    cost_usd=usage.cost_usd if usage else None,
                    complete=True,
                )
            except ProviderFailed as failure:
                answers[side] = Answer(
                    text="".join(texts[side]),
                    error=failure.message,
                    latency_s=self.clock() - started,
                )
            changed.set()

        tasks = {side: asyncio.create_task(run(side)) for side in sides}
        stream.loop, stream.tasks = asyncio.get_running_loop(), tuple(tasks.values())
        stream.changed = changed
        stopped: set[Side] = set()
        try:
            while not all(task.done() for task in tasks.values()):
                if stream.left:  # stopped before its tasks could be cancelled
                    break
                try:
                    await asyncio.wait_for(changed.wait(), timeout=self.settings.ui_update_s)
                except TimeoutError:
                    continue  # nothing new: no update to render and send
                changed.clear()
                if any(a.failed for a in answers.values()):
                    for side, task in tasks.items():
                        if not task.done():
                            task.cancel()
                            stopped.add(side)
                    await asyncio.gather(*tasks.values(), return_exceptions=True)
                    break
                if not stream.left:
                    yield self._view(battle, turn, texts, answers, stopped)
                await asyncio.sleep(self.settings.ui_update_s)
        finally:
            for task in tasks.values():
                task.cancel()
            await asyncio.gather(*tasks.values(), return_exceptions=True)
        if stream.left or len(answers) + len(stopped) < len(sides):
            # The voter left mid-answer: nothing to rate.
            await asyncio.shield(self._write(stream, battle.id, self._left, battle.id))
            return
        for side in stopped:
            answers[side] = Answer(text="".join(texts[side]), error=STOPPED_MESSAGE)
        turn = await asyncio.shield(
            self._checked_and_saved(stream, battle.id, replace(turn, answers=answers))
        )
        yield self._final_view(battle.with_turn(turn), turn, stopped)

    def _checked_and_saved(self, stream: _Stream, battle_id: str, turn: Turn) -> asyncio.Future:
        """The finished turn checked for disclosures and probes in a thread (on a long answer,
        tens of milliseconds of regular expressions that would stop every stream of the worker),
        then saved: one write of the stream, in its place from the start, so that an abandonment
        that follows comes after the save. The caller shields it: a voter who leaves meanwhile
        does not lose the turn. Resolves to the checked turn."""
        checking = asyncio.ensure_future(asyncio.to_thread(self._checked_turn, turn))

        async def save() -> Turn:
            checked = await checking
            await self.in_store(self._save_turn, battle_id, checked)
            return checked

        return self._in_stream_order(stream, battle_id, "_save_turn", save)

    async def in_store(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """`call(*args, **kwargs)`, a call of this service that reads or writes the store, made
        so that a face's event loop, which every stream of the process shares, never waits on
        the database: on the loop itself when the store takes it without waiting (a SQLite
        file whose writers' lock is free: a fraction of a millisecond), else on the service's
        store threads, awaited."""
        try:
            try:
                with self.store.without_waiting() as at_once:
                    if at_once:
                        return call(*args, **kwargs)
            except StoreBusy:
                pass  # another writer holds the database: wait for it on a thread
            loop = asyncio.get_running_loop()
            call = functools.partial(call, *args, **kwargs)
            return await loop.run_in_executor(self._store_threads, call)
        except self.store.failures as error:
            raise StoreFailed(str(error)) from error

    def _write(
        self, stream: _Stream, battle_id: str, call: Callable[..., Any], *args: Any
    ) -> asyncio.Future:
        """`call(*args)` through `in_store`, after the stream's earlier writes, as a task of
        its own: a turn cancelled meanwhile (the voter left) does not wait for it, and it still
        finishes (a save, then the abandonment it may find the battle already void of). A
        failure is logged with the battle."""
        return self._in_stream_order(
            stream, battle_id, call.__name__, lambda: self.in_store(call, *args)
        )

    def _in_stream_order(
        self, stream: _Stream, battle_id: str, name: str, work: Callable[[], Awaitable[Any]]
    ) -> asyncio.Future:
        """`work()` as a task of its own, started after the stream's earlier writes finish (or
        fail) and before any later one; a failure is logged with the battle and `name`."""
        before = stream.writing

        async def in_order() -> Any:
            if before is not None:
                await asyncio.wait([before])  # done or failed: this one comes after it
            return await work()

        task = stream.writing = asyncio.ensure_future(in_order())
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)
        task.add_done_callback(functools.partial(_log_failed_write, battle_id, name))
        return task

    def _save_turn(self, battle_id: str, turn: Turn) -> None:
        """The turn and, if a side failed, the battle void: one transaction."""
        with self.store.transaction():
            self.store.save_turn(battle_id, turn)
            if turn.failed_sides:
                failed = [s.value for s in turn.failed_sides]
                self.store.set_battle_status(battle_id, Status.VOID, detail={"failed": failed})

    def _left(self, battle_id: str) -> None:
        """The voter left mid-answer (or the stream broke): the battle is abandoned."""
        self.store.set_battle_status(battle_id, Status.ABANDONED, detail={"voter_left": True})

    def _checked_turn(self, turn: Turn) -> Turn:
        evidence = tuple(
            f"{side.value}: {d.name}"
            for side, answer in sorted(turn.answers.items())
            for d in self._detector().find(answer.text)
        )
        seen = tuple(dict.fromkeys((*turn.disclosures, *evidence)))  # and those seen before
        return replace(turn, disclosures=seen, probe=find_probes(turn.prompt))

    def _view(
        self, battle: Battle, turn: Turn, texts: dict, answers: dict[Side, Answer],
        stopped: set[Side],
    ) -> TurnView:  # fmt: skip
        sides = {
            side: SideView(
                text="".join(parts),
                done=side in answers,
                error=answers[side].error if side in answers else None,
                stopped=side in stopped,
            )
            for side, parts in texts.items()
        }
        return TurnView(
            battle_id=battle.id, sides=sides, done=False, prompt=turn.prompt,
            earlier=_earlier(battle, turn),
        )  # fmt: skip

    def _final_view(self, battle: Battle, turn: Turn, stopped: set[Side]) -> TurnView:
        failed = tuple(s for s in turn.failed_sides if s not in stopped)
        sides = {
            side: SideView(
                text=answer.text,
                done=True,
                error=answer.error,
                stopped=side in stopped,
            )
            for side, answer in turn.answers.items()
        }
        reason = battle.uncounted_reason()
        warnings = () if reason in (None, Reason.NAMED_BATTLE) else (reason,)
        evidence = tuple(e for t in battle.turns for e in (*t.disclosures, *t.probe))
        return TurnView(
            battle_id=battle.id,
            sides=sides,
            done=True,
            failed_sides=failed,
            warnings=warnings,
            evidence=evidence,
            prompt=turn.prompt,
            earlier=_earlier(battle, turn),
        )

    # -- votes -----------------------------------------------------------------------------
    def vote(
        self,
        voter: Voter,
        battle_id: str,
        verdict: str,
        proof: Proof | None = None,
        feedback: object = None,
    ) -> Receipt:
        """Cast a vote. Refused votes store nothing in `votes` but are logged with their reason;
        accepted votes are stored, counted or not, and reveal the models. `feedback`: optional
        Feedback words on what made the better answer better (A or B votes only), stored with
        the vote and never rated.

        Everything from reading the battle to storing the vote (and spending the proof of work)
        is one transaction: of two votes on one battle at once, exactly one is stored, and the
        one stored is judged as if it had been alone."""
        voter = _checked_voter(voter)
        battle_id = battle_id if isinstance(battle_id, str) and is_storable(battle_id) else ""
        if len(battle_id) > MAX_BATTLE_ID_CHARS:  # no battle has one: refused, nothing logged
            raise InvalidInput(
                "battle_id_invalid", f"a battle id has at most {MAX_BATTLE_ID_CHARS} characters"
            )
        if not isinstance(verdict, str) or verdict not in set(Verdict):
            words = ", ".join(v.value for v in Verdict)
            self._log_invalid_vote(voter, battle_id, "unknown_verdict")
            shown = verdict if isinstance(verdict, str) and is_storable(verdict) else "?"
            raise InvalidInput(
                "unknown_verdict", f"unknown verdict {shown[:40]!r}: use one of {words}"
            )
        verdict = Verdict(verdict)
        try:
            feedback_words = to_feedback(feedback, verdict)
        except ValueError as problem:
            self._log_invalid_vote(voter, battle_id, "feedback_invalid")
            raise InvalidInput("feedback_invalid", str(problem)) from None
        proof = _checked_proof(proof)
        try:
            with self.store.transaction():
                battle = self.store.load_battle(battle_id) if battle_id else None
                receipt = self._vote_in_transaction(
                    voter, battle, battle_id, verdict, proof, feedback_words
                )
        except VoteAlreadyCast:
            refusal = BattleRuleBroken(Reason.ALREADY_VOTED, "already voted")
            return self._refuse(voter, battle_id, verdict, refusal)
        return receipt

    def _log_invalid_vote(self, voter: Voter, battle_id: str, reason: str) -> None:
        """A vote refused before its battle was read (nothing stored in votes): the event log."""
        self.store.log_event("vote_invalid", battle_id=battle_id or None, voter_id=voter.voter_id,
                             reason=reason, ip_hash=self.hash_ip(voter.ip))  # fmt: skip

    def _vote_in_transaction(
        self,
        voter: Voter,
        battle: Battle | None,
        battle_id: str,
        verdict: Verdict,
        proof: Proof | None,
        feedback: tuple[Feedback, ...],
    ) -> Receipt:
        try:
            if battle is None:
                raise BattleRuleBroken(Reason.BATTLE_NOT_FOUND, "there is no such battle")
            battle.check_can_vote(voter.session_id, voter.voter_id)
        except BattleRuleBroken as refusal:
            return self._refuse(voter, battle_id, verdict, refusal)
        reason = battle.uncounted_reason() or self.gatekeeper.check_vote(
            battle, voter.voter_id, self.hash_ip(voter.ip), proof
        )
        counted = reason is None
        categories = categorize([t.prompt for t in battle.turns])
        style = {side: _style_of(battle, side) for side in (Side.A, Side.B)}
        vote = NewVote(
            battle_id=battle_id,
            voter_id=voter.voter_id,
            verdict=verdict.value,
            counted=counted,
            reason=reason.value if reason else None,
            language=categories.language,
            is_coding=categories.is_coding,
            is_long_query=categories.is_long_query,
            is_multi_turn=categories.is_multi_turn,
            style_a=style[Side.A],
            style_b=style[Side.B],
            feedback=tuple(f.value for f in feedback),
        )
        self.store.record_vote(vote)
        if counted:
            self._rate_live(battle.models[Side.A], battle.models[Side.B], verdict)
        message = (
            "your vote counts"
            if counted
            else f"your vote is recorded but not counted: {reason.value}"
        )
        return Receipt(
            battle_id=battle_id,
            verdict=verdict,
            stored=True,
            counted=counted,
            reason=reason,
            message=message,
            models=dict(battle.models),
            cards={side: self._card(name) for side, name in battle.models.items()},
            feedback=feedback,
        )

    # -- shared battles --------------------------------------------------------------------
    def share_battle(self, voter: Voter, battle_id: str) -> str:
        """The id of the public page of a battle this voter voted on (asked again: the same
        id). Sharing is the voter's choice; the page shows the prompts, both answers, the two
        models and the verdict, and nothing about the voter."""
        voter = _checked_voter(voter)
        battle = self._own_battle(voter, battle_id)
        share_id = self.store.share_battle(battle.id, secrets.token_urlsafe(SHARE_ID_BYTES))
        if share_id is None:
            raise InvalidInput("battle_not_voted", "only a battle with a stored vote can be shared")
        return share_id

    def shared_battle(self, share_id: object) -> SharedBattle | None:
        """What the public page of a shared battle shows; None for an id that names none."""
        if not isinstance(share_id, str) or not SHARE_ID.fullmatch(share_id):
            return None
        shared = self.store.shared_battle(share_id)
        battle = self.store.load_battle(shared["battle_id"]) if shared else None
        if shared is None or battle is None:
            return None
        verdict = Verdict(shared["verdict"])
        return SharedBattle(
            share_id=share_id,
            turns=tuple(
                (turn.prompt, {side: answer.text for side, answer in turn.answers.items()})
                for turn in battle.turns
            ),
            cards={side: self._card(name) for side, name in battle.models.items()},
            verdict=verdict,  # the stored words; never a reason for the page to fail
            feedback=tuple(f for f in Feedback if f.value in shared["feedback"])
            if verdict in FEEDBACK_VERDICTS
            else (),
        )

    def _card(self, name: str) -> ModelCard:
        model = next((m for m in self.roster.models if m.name == name), None)
        if model is None:  # retired or imported: what the store knows
            row = next((m for m in self.store.models() if m.name == name), None)
            return ModelCard(name=name, display_name=(row.display_name if row else None) or name,
                             organisation=(row.organisation if row else None) or "",
                             licence=(row.licence if row else None) or "")  # fmt: skip
        return ModelCard(name=name, display_name=model.display_name or name,
                         organisation=model.organisation or "", licence=model.licence or "",
                         link=model.link)  # fmt: skip

    def _refuse(
        self, voter: Voter, battle_id: str, verdict: Verdict, refusal: BattleRuleBroken
    ) -> Receipt:
        assert refusal.reason in REFUSALS
        self.store.log_event(
            "vote_refused",
            battle_id=battle_id,
            voter_id=voter.voter_id,
            reason=refusal.reason,
            verdict=verdict,
            ip_hash=self.hash_ip(voter.ip),
        )
        return Receipt(
            battle_id=battle_id,
            verdict=verdict,
            stored=False,
            counted=False,
            reason=Reason(refusal.reason),
            message=f"vote refused: {refusal.message}",
        )

    def _rate_live(self, model_a: str, model_b: str, verdict: Verdict) -> None:
        """The live TrueSkill update of one counted vote, in the vote's transaction."""
        skills = self.store.live_skills([model_a, model_b])
        for update in live_updates(self.trueskill, skills, model_a, model_b, verdict):
            self.store.add_live_result(update)

    # -- ratings and models ----------------------------------------------------------------
    def leaderboard(self) -> list[LeaderboardRow]:
        """Live TrueSkill board, best conservative rating (mu − 3σ) first."""
        by_name = {m.name: m for m in self.store.models()}
        rows = []
        for r in self.store.live_ratings():
            model = by_name[r.model]
            rows.append(
                LeaderboardRow(
                    model=r.model,
                    display_name=model.display_name or r.model,
                    organisation=model.organisation or "",
                    mu=r.mu,
                    sigma=r.sigma,
                    conservative=r.mu - 3 * r.sigma,
                    votes=r.votes,
                    win_rate=(r.wins + 0.5 * r.ties) / r.votes if r.votes else 0.0,
                )
            )
        return rows

    def recompute_ratings(self) -> list[LeaderboardRow]:
        """Replay TrueSkill over every counted vote in the order cast and replace the live table."""
        votes = self.store.counted_vote_pairs()
        result = replay_named(
            self.trueskill, votes.model_a, votes.model_b, votes.verdict, votes.models
        )
        self.store.replace_live_ratings(
            [
                LiveRating(
                    model=name,
                    mu=float(result.mu[i]),
                    sigma=float(result.sigma[i]),
                    votes=int(result.votes[i]),
                    wins=int(result.wins[i]),
                    losses=int(result.losses[i]),
                    ties=int(result.ties[i]),
                )
                for i, name in enumerate(result.models)
            ]
        )
        return self.leaderboard()

    # -- moderation: every change to who counts recomputes the live board -------------------
    def run_detection(self, *, quarantine: bool = True) -> DetectionReport:
        """Test every voter against the last snapshot; flagged voters and the cohorts of
        confirmed cohort alerts are quarantined (unless `quarantine=False`) and the live board is
        recomputed without them."""
        report = self.detection.run(quarantine=quarantine)
        if quarantine and (report.quarantined or report.cohort_quarantines):
            self.recompute_ratings()
        return report

    def quarantine_voter(self, voter_id: str, reason: str, evidence: str = "") -> bool:
        """Keep a voter's votes out of every board from now on; False if already so. A voter
        the arena has never seen (a mistyped id) and a quarantine without a reason are refused:
        both were "quarantined"."""
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidInput("reason_missing", "say why the voter is quarantined")
        if not isinstance(voter_id, str) or not self.store.has_voter(voter_id):
            raise InvalidInput("voter_not_found", f"there is no voter {str(voter_id)[:64]!r}")
        done = self.detection.quarantine(voter_id, reason, evidence)
        if done:
            self.recompute_ratings()
        return done

    def release_voter(self, voter_id: str, reason: str) -> bool:
        """Let a quarantined voter's votes count again everywhere; False if not quarantined."""
        done = self.detection.release(voter_id, reason)
        if done:
            self.recompute_ratings()
        return done

    def confirm_cohort_quarantine(self, quarantine_id: int, reason: str) -> bool:
        """Keep a pending cohort quarantine's votes out after review; False unless pending."""
        return self.detection.confirm_cohort(quarantine_id, reason)

    def release_cohort_quarantine(self, quarantine_id: int, reason: str) -> bool:
        """Let a cohort quarantine's votes count again everywhere; False unless active."""
        done = self.detection.release_cohort(quarantine_id, reason)
        if done:
            self.recompute_ratings()
        return done

    def cohort_quarantines(self, *, active_only: bool = True) -> list[dict[str, Any]]:
        """Cohort quarantines (pending and confirmed ones, or all) with their evidence."""
        return self.detection.cohort_quarantines(active_only=active_only)

    def flags(self) -> list[dict[str, Any]]:
        """Detection flags with their evidence, newest first."""
        return self.detection.flags()

    def quarantines(self, *, active_only: bool = True) -> list[dict[str, Any]]:
        """Quarantined voters (active ones, or every quarantine ever) with their vote counts."""
        return self.detection.quarantines(active_only=active_only)

    # -- official snapshots and battle data -------------------------------------------------
    def create_snapshot(
        self,
        progress: Callable[[int, int], None] | None = None,
        reading: Callable[[int, int], None] | None = None,
        *,
        recompute_in: Callable[[Callable[[], Any]], Any] | None = None,
    ) -> Snapshot:
        """Recompute every official board over the votes that count and store an immutable,
        verifiable snapshot; `reading` follows the votes read, `progress` the bootstrap.
        `recompute_in` runs the recompute (reads only: e.g. at a low priority); the write is
        done here."""
        return self.publishing.create(progress=progress, reading=reading,
                                      recompute_in=recompute_in)  # fmt: skip

    def snapshot_due(self) -> bool:
        """Whether the schedule (snapshot_every_votes, snapshot_every_hours) calls for a
        snapshot now (cheap: two small reads)."""
        return self.publishing.due()

    def create_snapshot_if_due(
        self, *, recompute_in: Callable[[Callable[[], Any]], Any] | None = None
    ) -> Snapshot | None:
        """A new snapshot if one is due and no other process is making one, else None."""
        return self.publishing.create_if_due(recompute_in=recompute_in)

    def snapshots(self) -> list[dict[str, Any]]:
        """Every snapshot, newest first: id, created_at, votes, vote_set_sha256."""
        return self.publishing.list()

    def snapshot(self, snapshot_id: str | None = None) -> Snapshot:
        """One snapshot (the latest when `snapshot_id` is None); SnapshotNotFound otherwise."""
        return self.publishing.get(snapshot_id)

    def snapshot_changes(
        self, snapshot_id: str | None = None, category: str = "overall"
    ) -> tuple[ModelChange, ...]:
        """Every model's rank and rating change since the snapshot before this one."""
        return self.publishing.changes(snapshot_id, category)

    def release_battles(
        self,
        out: TextIO,
        *,
        snapshot_id: str | None = None,
        with_conversations: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Write the counted anonymous battles (of one snapshot, or all) in FastChat's
        clean_battle layout, voters pseudonymised; the number written. `progress` is told
        (battles written, total) as they are written."""
        return self.publishing.release_battles(
            out, snapshot_id=snapshot_id, with_conversations=with_conversations, progress=progress
        )

    def import_battles(
        self,
        path: str | Path,
        *,
        on_bad_row: Callable[[int, str], None] | None = None,
        progress: Callable[[int, int], None] | None = None,
        reading: Callable[[int, int], None] | None = None,
    ) -> int:
        """Import a battle file as imported votes (all or nothing, or without the bad rows, each
        handed to `on_bad_row`), then recompute the live board so it includes them; the number
        imported. `progress` is told (battles stored, total) as they are written, `reading`
        (done, total) as the file is read."""
        count = self.publishing.import_battles(
            path, on_bad_row=on_bad_row, progress=progress, reading=reading
        )
        self.recompute_ratings()
        return count

    def model_names(self) -> list[str]:
        """Every model of the roster, in roster order."""
        return list(self.roster.names)

    def rank(self, **options: Any) -> Rankings:
        """Bradley–Terry and/or TrueSkill over every counted anonymous vote; options as in
        `arena.rankings.rank_votes` (method, categories, bootstrap, seed, min_votes, progress)."""
        votes = VoteColumns.from_rows(self.store.counted_vote_rows())
        return rank_votes(votes, trueskill=self.trueskill, **options)

    def named_models(self) -> list[str]:
        """Models a user may pick by name (side-by-side and direct chat)."""
        return [m.name for m in self.roster.models if not m.anonymous_only]

    async def check_models(
        self, progress: Callable[[int, int], None] | None = None
    ) -> list[ModelStatus]:
        """Call every model of the roster at once; `progress` is told (models checked, models)
        as each check ends."""
        models = self.roster.models
        ended = 0

        async def check(model):
            nonlocal ended
            reached = await self.provider.check(model)
            ended += 1
            if progress is not None:
                progress(ended, len(models))
            return reached

        if progress is not None:
            progress(0, len(models))  # the bar shows at once: a check may wait for its timeout
        checks = await asyncio.gather(*(check(m) for m in models))
        return [
            ModelStatus(
                name=m.name,
                display_name=m.display_name,
                organisation=m.organisation,
                reachable=c.reachable,
                detail=c.detail,
            )
            for m, c in zip(models, checks, strict=True)
        ]

    def warm_up(self) -> None:
        """Load what the first battle would otherwise wait for (the web app, before it serves)."""
        self.provider.warm_up()
        self._detector()

    def _detector(self) -> DisclosureDetector:
        """The disclosure detector for this roster: built (~0.3 s) on first use and shared, so
        that commands that never check an answer do not pay for it."""
        return detector_for(_roster_names(self.roster))

    async def aclose(self) -> None:
        """Release the provider's connections; call in the event loop that used them, at its end."""
        await self.provider.aclose()

    def close(self) -> None:
        """Wait for the store calls still running on the service's threads (before the store
        closes)."""
        self._store_threads.shutdown(wait=True)

    def export_votes(
        self, progress: Callable[[int, int], None] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every battle with its vote (if any) and turns, oldest first, read as it is consumed;
        `progress` is told (battles read, total) per batch."""
        return self.store.export_rows(progress=progress)

    def hash_ip(self, ip: str | None) -> str | None:
        """The salted hash of an address, as every per-IP limit and test sees it: an IPv6
        address by its /64 (one home or host has all of them), an IPv4 one written as IPv6 as
        itself."""
        if not ip or not isinstance(ip, str) or not is_storable(ip):
            return None
        return hashlib.sha256(f"{self._ip_salt}:{_one_ip(ip)}".encode()).hexdigest()[:24]

    # -- helpers ---------------------------------------------------------------------------
    def _own_battle(self, voter: Voter, battle_id: object) -> Battle:
        is_id = isinstance(battle_id, str) and is_storable(battle_id)
        battle = self.store.load_battle(battle_id) if is_id else None
        if battle is None:
            raise BattleRuleBroken(Reason.BATTLE_NOT_FOUND, "there is no such battle")
        battle.check_served_to(voter.session_id, voter.voter_id)
        return battle

    def _checked_prompt(self, prompt: object) -> str:
        if prompt is None:
            prompt = ""
        if not isinstance(prompt, str):
            raise InvalidInput("prompt_invalid", "the prompt must be text")
        if not is_storable(prompt):
            raise InvalidInput("text_invalid", "the prompt contains characters that are not text")
        prompt = prompt.strip()
        if not prompt:
            raise InvalidInput("prompt_empty", "the prompt is empty")
        limit = self.settings.max_prompt_chars
        if len(prompt) > limit:
            raise InvalidInput(
                "prompt_too_long",
                f"the prompt has {len(prompt)} characters; the limit is {limit}",
                length=len(prompt),
                limit=limit,
            )
        return prompt

    def _chosen_models(self, mode: Mode, models: object) -> dict[Side, str]:
        wanted = 1 if mode is Mode.DIRECT else 2
        code = "choose_model" if wanted == 1 else "choose_models"
        if not isinstance(models, tuple | list) or not all(isinstance(m, str) for m in models):
            raise InvalidInput(code, f"choose {wanted} different model(s)")
        models = tuple(models)
        if len(models) != wanted or (wanted == 2 and models[0] == models[1]):
            raise InvalidInput(code, f"choose {wanted} different model(s)")
        allowed = set(self.named_models())
        for name in models:
            if name not in allowed:
                raise InvalidInput(code, "that model cannot be chosen by name")
        return dict(zip((Side.A, Side.B), models, strict=False))

    def _skills(self) -> dict[str, Skill]:
        return {r.model: Skill(mu=r.mu, sigma=r.sigma) for r in self.store.live_ratings()}


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _checked_voter(voter: Voter) -> Voter:
    """The session id arrives from the client side of the web framework: text or refused. An
    address that is not text is no address (the IP limits then do not apply to it)."""
    if voter.ip is not None and not (isinstance(voter.ip, str) and is_storable(voter.ip)):
        voter = replace(voter, ip=None)
    if not isinstance(voter.session_id, str) or not is_storable(voter.session_id):
        raise InvalidInput("session_invalid", "this page's session is not valid: reload the page")
    if not isinstance(voter.voter_id, str) or not voter.voter_id or not is_storable(voter.voter_id):
        raise InvalidInput("voter_invalid", "this browser has no valid voter id: reload the page")
    return voter


def _checked_proof(proof: object) -> Proof | None:
    """A proof of work as sent, or None when it is not two short texts (counted as missing)."""
    if not isinstance(proof, Proof):
        return None
    if not all(
        isinstance(part, str) and len(part) <= MAX_PROOF_CHARS and is_storable(part)
        for part in (proof.challenge, proof.solution)
    ):
        return None
    return proof


def _log_failed_write(battle_id: str, what: str, task: asyncio.Future) -> None:
    if not task.cancelled() and task.exception() is not None:
        logging.getLogger(__name__).error(
            "battle %s: %s failed: %r", battle_id, what, task.exception()
        )


def _earlier(battle: Battle, current: Turn) -> tuple[tuple[str, dict[Side, str]], ...]:
    """The battle's finished turns before `current`, as the voter saw them."""
    return tuple(
        (t.prompt, {side: a.text for side, a in t.answers.items()})
        for t in battle.turns
        if t.index < current.index
    )


def _skill(value: tuple[float, float] | None, params: TrueSkillParams) -> Skill:
    return params.initial() if value is None else Skill(mu=value[0], sigma=value[1])


def _one_ip(ip: str) -> str:
    """What counts as one IP: an IPv4 address (also when written as IPv6), an IPv6 /64, or the
    text as given (a network, from _ip_prefix)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6 and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _ip_prefix(ip: str | None) -> str | None:
    """The /24 (IPv4) or /48 (IPv6) network of an address, for burst detection."""
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    bits = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{bits}", strict=False))


def _style_of(battle: Battle, side: Side) -> tuple[int, ...] | None:
    """Style features of one side's answers, summed over the turns (None for direct chat)."""
    if side not in battle.models:
        return None
    total = [0, 0, 0, 0]
    for turn in battle.turns:
        for i, value in enumerate(style_features(turn.answers[side].text).as_tuple()):
            total[i] += value
    return tuple(total)


def _roster_names(roster: Roster) -> list[str]:
    names: list[str] = []
    for model in roster.models:
        names += [model.name, model.display_name]
    return names


__all__ = [
    "Arena",
    "MaintainerOnly",
    "Proof",
    "ImportRejected",
    "SnapshotNotFound",
    "StoreFailed",
    "StoreUnavailable",
    "UnknownCategory",
    "check_category",
    "live_updates",
    "verify_release",
]


def live_updates(
    params: TrueSkillParams,
    skills: dict[str, tuple[float, float]],
    model_a: str,
    model_b: str,
    verdict: Verdict | str,
) -> tuple[LiveUpdate, LiveUpdate]:
    """Both models' live board rows after one counted vote; `skills` holds the (mu, sigma) of
    those that have one (the others start from the prior)."""
    verdict = Verdict(verdict)
    new_a, new_b = rate_vote(params, _skill(skills.get(model_a), params),
                             _skill(skills.get(model_b), params), verdict.value)  # fmt: skip
    win, loss, tie = win_loss_tie(verdict)
    return (LiveUpdate(model_a, new_a.mu, new_a.sigma, win, loss, tie),
            LiveUpdate(model_b, new_b.mu, new_b.sigma, loss, win, tie))  # fmt: skip
