"""The battle domain: sides, modes, turns and the rules a battle follows.

Plain Python (stdlib only): no storage, no providers, no UI. The service layer loads a Battle,
asks it what is allowed, and stores the outcome. Verdicts and reasons have their own modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from arena.domain.reasons import Reason
from arena.domain.verdicts import Verdict  # noqa: F401  re-exported beside the battle's types


class Side(StrEnum):
    A = "A"
    B = "B"


class Mode(StrEnum):
    ANONYMOUS = "anonymous"  # the arena: names hidden until the vote; the only mode that is rated
    NAMED = "named"  # side-by-side with models the user picked; stored, never rated
    DIRECT = "direct"  # one chosen model, no vote


class Status(StrEnum):
    OPEN = "open"  # answers may still be asked for
    VOTED = "voted"
    ABANDONED = "abandoned"  # the voter pressed Clear or left; never rated
    VOID = "void"  # a side failed: no countable vote


class BattleRuleBroken(Exception):
    """An action the battle's rules do not allow; `reason` says which rule."""

    def __init__(self, reason: Reason, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Answer:
    text: str = ""
    error: str | None = None  # a message safe to show the voter
    latency_s: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost_usd: float | None = None
    complete: bool = False

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass(frozen=True)
class Turn:
    index: int
    prompt: str
    answers: dict[Side, Answer] = field(default_factory=dict)
    disclosures: tuple[str, ...] = ()  # identity evidence found in the answers ("A: ChatGPT")
    probe: tuple[str, ...] = ()  # de-anonymising phrases found in the prompt

    @property
    def is_complete(self) -> bool:
        return bool(self.answers) and all(a.complete or a.failed for a in self.answers.values())

    @property
    def failed_sides(self) -> tuple[Side, ...]:
        return tuple(s for s, a in sorted(self.answers.items()) if a.failed)


@dataclass(frozen=True)
class Battle:
    id: str
    session_id: str
    voter_id: str
    mode: Mode
    models: dict[Side, str]  # side -> model name (one side only in direct chat)
    status: Status = Status.OPEN
    turns: tuple[Turn, ...] = ()
    max_turns: int = 10
    pair_probability: float | None = None
    streaming: bool = False  # a turn is being streamed right now (by any worker)

    @property
    def sides(self) -> tuple[Side, ...]:
        return tuple(sorted(self.models))

    @property
    def is_anonymous(self) -> bool:
        return self.mode is Mode.ANONYMOUS

    @property
    def last_turn(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def history(self, side: Side) -> list[dict[str, str]]:
        """The conversation as seen by one side's model, in chat-message form."""
        messages: list[dict[str, str]] = []
        for turn in self.turns:
            answer = turn.answers.get(side)
            messages.append({"role": "user", "content": turn.prompt})
            if answer is not None and answer.complete:
                messages.append({"role": "assistant", "content": answer.text})
        return messages

    def check_can_ask(self, *, regenerate: bool = False) -> None:
        if self.status is not Status.OPEN:
            raise BattleRuleBroken(Reason.BATTLE_CLOSED, f"this battle is {self.status.value}")
        if self.streaming:
            raise BattleRuleBroken(Reason.ANSWERS_INCOMPLETE, "the answers are still streaming")
        if regenerate:
            if not self.turns:
                raise BattleRuleBroken(Reason.NO_TURNS, "there is no turn to regenerate")
            return
        if self.turns and not self.turns[-1].is_complete:
            raise BattleRuleBroken(Reason.ANSWERS_INCOMPLETE, "the answers are still streaming")
        if len(self.turns) >= self.max_turns:
            raise BattleRuleBroken(
                Reason.BATTLE_CLOSED, f"the turn limit ({self.max_turns}) is reached: vote now"
            )

    def check_served_to(self, session_id: str, voter_id: str | None = None) -> None:
        """Raise BattleRuleBroken unless this page session (and voter) was served the battle."""
        if session_id != self.session_id or (voter_id is not None and voter_id != self.voter_id):
            raise BattleRuleBroken(Reason.NOT_YOUR_BATTLE, "this battle was not served to you")

    def check_can_vote(self, session_id: str, voter_id: str | None = None) -> None:
        """Raise BattleRuleBroken when a vote must be refused (nothing is stored for it)."""
        self.check_served_to(session_id, voter_id)
        if self.mode is Mode.DIRECT:
            raise BattleRuleBroken(Reason.NOT_VOTABLE, "a direct chat has nothing to vote on")
        if self.status is Status.VOTED:
            raise BattleRuleBroken(Reason.ALREADY_VOTED, "this battle has already been voted on")
        if self.status is Status.ABANDONED:
            raise BattleRuleBroken(Reason.BATTLE_CLOSED, "this battle was abandoned")
        if self.streaming:
            raise BattleRuleBroken(
                Reason.ANSWERS_INCOMPLETE, "wait until both answers are complete"
            )
        if not self.turns:
            raise BattleRuleBroken(Reason.NO_TURNS, "ask something before voting")
        if not self.turns[-1].is_complete:
            raise BattleRuleBroken(
                Reason.ANSWERS_INCOMPLETE, "wait until both answers are complete"
            )

    def uncounted_reason(self) -> Reason | None:
        """Why a vote on this battle, once accepted, must not count towards the ratings."""
        if self.status is Status.VOID or any(t.failed_sides for t in self.turns):
            return Reason.SIDE_FAILED
        if self.mode is not Mode.ANONYMOUS:
            return Reason.NAMED_BATTLE
        if any(t.disclosures for t in self.turns):
            return Reason.IDENTITY_DISCLOSED
        if any(t.probe for t in self.turns):
            return Reason.PROBE
        return None

    def with_turn(self, turn: Turn) -> Battle:
        """The battle with `turn` added, or replacing the turn of the same index (regenerate)."""
        kept = tuple(t for t in self.turns if t.index != turn.index)
        return replace(self, turns=(*kept, turn))
