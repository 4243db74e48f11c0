"""What the faces receive from the service, and what they pass in: plain frozen values.

The UI, the JSON API and the CLI import these (and `arena.service.Arena`); nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from arena.domain.battle import Mode, Side
from arena.domain.reasons import Reason
from arena.domain.verdicts import Feedback, Verdict


class InvalidInput(ValueError):
    """A request the arena cannot take as given (empty or too long prompt, unknown verdict…).

    `code` names the condition (the UI translates `error_<code>`); `values` fill its message."""

    def __init__(self, code: str, message: str, **values: Any):
        super().__init__(message)
        self.code = code
        self.message = message
        self.values = values


@dataclass(frozen=True)
class Voter:
    """Who is acting: the browser session, the pseudonymous voter id, and the raw client IP (hashed
    by the service before anything is stored)."""

    session_id: str
    voter_id: str
    ip: str | None = None


@dataclass(frozen=True)
class Terms:
    """The notice a voter accepts before a first battle: its text (Markdown), the SHA-256 of
    that text (what an acceptance names and the voter's record keeps), and whether battles
    need it."""

    text: str
    sha256: str
    required: bool


@dataclass(frozen=True)
class BattleStarted:
    battle_id: str
    mode: Mode
    models: dict[Side, str] | None  # only for named battles and direct chat
    challenge: str | None = None  # proof of work to solve before voting (voters without history)


@dataclass(frozen=True)
class SideView:
    text: str
    done: bool
    error: str | None = None  # safe to show: never names the model
    stopped: bool = False  # cancelled because the other side failed


@dataclass(frozen=True)
class TurnView:
    """What the voter sees while a turn streams, and at its end."""

    battle_id: str
    sides: dict[Side, SideView]
    done: bool
    failed_sides: tuple[Side, ...] = ()
    warnings: tuple[Reason, ...] = ()  # the vote will not count, told before the vote
    evidence: tuple[str, ...] = ()
    prompt: str = ""  # the prompt of the turn being streamed
    earlier: tuple[tuple[str, dict[Side, str]], ...] = ()  # finished turns: (prompt, answers)

    @property
    def can_vote(self) -> bool:
        return self.done and not self.failed_sides


@dataclass(frozen=True)
class ModelCard:
    """What the voter learns about a model once the vote reveals it."""

    name: str
    display_name: str
    organisation: str
    licence: str
    link: str = ""  # the roster's page about the model (http or https), or ""

    @property
    def label(self) -> str:
        """How the reveal names the model: display name (organisation · licence), plain text."""
        about = " · ".join(part for part in (self.organisation, self.licence) if part)
        return self.display_name + (f" ({about})" if about else "")


@dataclass(frozen=True)
class Receipt:
    battle_id: str
    verdict: Verdict | None
    stored: bool  # False: refused, nothing stored in votes (the attempt is in the event log)
    counted: bool
    reason: Reason | None
    message: str
    models: dict[Side, str] | None = None  # revealed only with a stored vote
    cards: dict[Side, ModelCard] | None = None  # the same models, described
    feedback: tuple[Feedback, ...] = ()  # stored with the vote


@dataclass(frozen=True)
class SharedBattle:
    """A battle its voter chose to share, as its public page shows it: the prompts and both
    answers of each turn, the two models, the verdict and the feedback; nothing about the
    voter (no voter id, session, address or time)."""

    share_id: str
    turns: tuple[tuple[str, dict[Side, str]], ...]  # (prompt, answers by side) per turn
    cards: dict[Side, ModelCard]
    verdict: Verdict
    feedback: tuple[Feedback, ...] = ()


@dataclass(frozen=True)
class LeaderboardRow:
    model: str
    display_name: str
    organisation: str
    mu: float
    sigma: float
    conservative: float
    votes: int
    win_rate: float  # wins + half the ties, over votes


@dataclass(frozen=True)
class ModelStatus:
    name: str
    display_name: str
    organisation: str
    reachable: bool
    detail: str
