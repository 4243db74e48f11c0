"""Ports: what the service needs from the outside world, as Protocols shaped by their callers,
and the plain types that cross them. Adapters (arena/adapters/) implement them; the service and
the use cases depend only on these.

Storage is one port per responsibility (battles, votes read model, gate queries, snapshots,
moderation, events); a store adapter implements all of them and a transaction that nests.
One contract suite (tests/contract/) runs against every store adapter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from arena.domain.verdicts import Verdict
from arena.i18n import STRINGS

if TYPE_CHECKING:
    from arena.domain.battle import Battle, Status, Turn
    from arena.domain.roster import ModelConfig


# -- storage types ---------------------------------------------------------------------------
class ImportRejected(ValueError):
    """An import that would clash with stored battles; nothing was written."""


class StoreUnavailable(Exception):
    """The database cannot be opened (unreachable, missing, refused); the message says why and
    never holds a password."""


def usable_schema_version(stored: str | None, known: int, *, has_meta: bool) -> int:
    """The schema version a database's `meta` holds (0 when it has no `meta` table yet), or
    StoreUnavailable if this code cannot use the database: a newer code migrated it (older code
    would write to tables it does not know), the value is no version, or `meta` has none (the
    migrations would make every table again)."""
    if stored is None and has_meta:
        raise StoreUnavailable(
            "the database's meta table holds no schema version: it was changed by hand, or this "
            "is not an arena database"
        )
    if stored is None:
        return 0
    try:
        version = int(stored)
    except ValueError:
        raise StoreUnavailable(
            f"the database's schema version {stored!r} is not a number: is this an arena database?"
        ) from None
    if version > known:
        raise StoreUnavailable(
            f"the database is at schema version {version}; this code knows up to {known}: run "
            "the newer code that upgraded it (or restore a backup made before the upgrade)"
        )
    return version


class StoreFailed(Exception):
    """The database could not serve a call (a full disk, a read-only file, a dropped server
    connection): what the call wrote is rolled back; the message is what the database said."""


class StoreBusy(Exception):
    """A store call asked not to wait (`Store.without_waiting()`) would have to: another writer
    holds the database. Raised before the call has read or written anything."""


class VoteAlreadyCast(Exception):
    """The battle already has a vote (the unique index refused a second one)."""


@dataclass(frozen=True)
class ModelRow:
    id: int
    name: str
    display_name: str
    organisation: str
    licence: str
    status: str


@dataclass(frozen=True)
class LiveRating:
    model: str
    mu: float
    sigma: float
    votes: int
    wins: int
    losses: int
    ties: int


@dataclass(frozen=True)
class NewVote:
    battle_id: str
    voter_id: str
    verdict: str
    counted: bool
    reason: str | None
    language: str
    is_coding: bool
    is_long_query: bool
    is_multi_turn: bool
    style_a: tuple[int, ...] | None = None
    style_b: tuple[int, ...] | None = None
    feedback: tuple[str, ...] = ()  # Feedback words; stored, released, never rated


@dataclass(frozen=True)
class LiveUpdate:
    """One model's live skill after one counted vote, and the result to add to its tallies."""

    model: str
    mu: float
    sigma: float
    wins: int
    losses: int
    ties: int


# -- secrets -------------------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class ServerSecrets:
    ip_salt: str  # salts IP hashes, so stored hashes cannot be reversed by enumerating IPs
    proof_of_work: str  # signs proof-of-work challenges
    release_key: str  # derives the voter pseudonyms published in releases
    voter_cookie: str  # signs the voter cookie

    def __repr__(self) -> str:  # never print a secret by accident
        return "ServerSecrets(<hidden>)"


# -- providers -------------------------------------------------------------------------------
@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class Usage:
    """Token counts and cost of one answer; None where the provider did not say."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost_usd: float | None = None


StreamEvent = TextDelta | Usage


@dataclass(frozen=True)
class Reachability:
    """Result of `Provider.check`: for the `models` command and the maintainers' page."""

    reachable: bool
    detail: str  # short and safe to show: never a key, a URL or a raw error
    latency_s: float | None = None  # time to the first answer event


# kind -> message shown to voters; fixed texts, so nothing from an error can leak through. In
# English; the page says each again in the voter's language (arena.i18n.failure_text). "idle"
# and "late" are texts of kind "timeout".
FAILURE_MESSAGES = {
    kind: STRINGS["en"][f"failure_{kind}"]
    for kind in ("timeout", "idle", "late", "empty", "broken_stream", "unreachable", "rate_limited",
                 "auth", "not_found", "too_long", "refused", "config", "error")
}  # fmt: skip


class ProviderFailed(Exception):
    """An answer could not be (fully) produced.

    `kind` is one of FAILURE_MESSAGES' keys except "idle" (reported as "timeout"); `message` is
    safe to show a voter; `detail` is the raw cause, for server logs only.
    """

    def __init__(self, kind: str, message: str | None = None, *, detail: str = "") -> None:
        self.kind = "timeout" if kind == "idle" else kind
        self.message = message or FAILURE_MESSAGES.get(kind, FAILURE_MESSAGES["error"])
        self.detail = detail
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"ProviderFailed(kind={self.kind!r}, message={self.message!r})"


@dataclass(frozen=True)
class ImportedBattles:
    """Battles read from a file, in file order: entry i of every column is battle i.

    model_a/model_b index `models` (in the order the rows first name them, A before B);
    voted_at is unix seconds, NaN where the file gives no time. Conversations and styles are
    None when no battle has one (the common case), else one entry per battle.
    """

    battle_id: list[str]
    models: tuple[str, ...]
    model_a: np.ndarray  # int [n]
    model_b: np.ndarray  # int [n]
    # text columns of few distinct values, as codes into them (distinct)
    verdict: Coded
    judge: Coded  # the voter each file row gives, None where it gives none (one of the values)
    language: Coded  # "zh" | "en" | "other"
    turns: np.ndarray  # int [n]
    voted_at: np.ndarray  # float [n]
    anonymous: np.ndarray  # bool [n]
    is_coding: np.ndarray  # bool [n]
    is_long_query: np.ndarray  # bool [n]
    is_multi_turn: np.ndarray  # bool [n]
    conversation_a: list[list[dict] | None] | None = None
    conversation_b: list[list[dict] | None] | None = None
    style_a: list[tuple[int, ...] | None] | None = None
    style_b: list[tuple[int, ...] | None] | None = None

    def __len__(self) -> int:
        return len(self.battle_id)

    @classmethod
    def from_votes(
        cls,
        votes: Sequence[Any],
        styles: Sequence[tuple[Any, Any]] | None = None,
    ) -> ImportedBattles:
        """The columns of battles read row by row (`arena.formats.battle_data.ImportedVote`s, and
        their (style_a, style_b), if any)."""
        names = list(dict.fromkeys(m for v in votes for m in (v.model_a, v.model_b)))
        code = {name: k for k, name in enumerate(names)}
        has_talk = any(v.conversation_a or v.conversation_b for v in votes)
        has_style = styles is not None and any(a or b for a, b in styles)
        return cls(
            battle_id=[v.battle_id for v in votes], models=tuple(names),
            model_a=np.array([code[v.model_a] for v in votes], dtype=np.int64),
            model_b=np.array([code[v.model_b] for v in votes], dtype=np.int64),
            verdict=Coded.of([v.verdict for v in votes]), judge=Coded.of([v.judge for v in votes]),
            language=Coded.of([v.language for v in votes]),
            turns=np.array([v.turns for v in votes], dtype=np.int64),
            voted_at=np.array([np.nan if v.voted_at is None else v.voted_at for v in votes],
                              dtype=np.float64),
            anonymous=np.array([v.anonymous for v in votes], dtype=bool),
            is_coding=np.array([v.is_coding for v in votes], dtype=bool),
            is_long_query=np.array([v.is_long_query for v in votes], dtype=bool),
            is_multi_turn=np.array([v.is_multi_turn for v in votes], dtype=bool),
            conversation_a=[v.conversation_a for v in votes] if has_talk else None,
            conversation_b=[v.conversation_b for v in votes] if has_talk else None,
            style_a=[a for a, _ in styles] if has_style else None,
            style_b=[b for _, b in styles] if has_style else None,
        )  # fmt: skip


LINE_FEED = 10  # the byte that ends each value of a Lines column


def padded(data: np.ndarray, starts: np.ndarray, length: np.ndarray, width: int) -> np.ndarray:
    """uint8 [n, width]: row i is data[starts[i] : starts[i] + length[i]], padded with NUL
    (every length at most `width`); one gather, no Python step per row."""
    table = np.zeros((len(length), width), np.uint8)
    row = np.repeat(np.arange(len(length)), length)
    column = np.arange(len(row)) - np.repeat(np.cumsum(length) - length, length)
    table[row, column] = data[np.repeat(starts, length) + column]
    return table


@dataclass(frozen=True, eq=False)
class Lines(Sequence[str]):
    """A text column without a Python object per value: every value's UTF-8 followed by a line
    feed, end to end in `data`; `ends[i]` is the offset just past value i's line feed. (No value
    holds a line feed; `of` refuses one.)"""

    data: np.ndarray  # uint8
    ends: np.ndarray  # int64 [n]

    @classmethod
    def of(cls, texts: Sequence[str]) -> Lines:
        """The Lines of `texts`; ValueError if one holds a line break."""
        return cls.parse("\n".join(texts) + "\n" if len(texts) else "", len(texts))

    @classmethod
    def parse(cls, text: str, n: int) -> Lines:
        """The Lines of `text`, n values each followed by a line feed; ValueError unless it
        holds exactly n (a value held a line break)."""
        data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
        ends = np.flatnonzero(data == LINE_FEED) + 1
        if len(ends) != n:
            raise ValueError("a text value holds a line break")
        return cls(data, ends.astype(np.int64))

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, i):  # a value (rarely asked: tests); a slice gives Lines
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step != 1:
                return self.take(np.arange(start, stop, step))
            stop = max(start, stop)
            first = int(self.ends[start - 1]) if start else 0
            last = int(self.ends[stop - 1]) if stop > start else first
            return Lines(self.data[first:last], self.ends[start:stop] - first)
        i = range(len(self))[i]
        start = int(self.ends[i - 1]) if i else 0
        return self.data[start : int(self.ends[i]) - 1].tobytes().decode("utf-8")

    def starts(self) -> np.ndarray:
        return np.concatenate([np.zeros(1, np.int64), self.ends[:-1]]) if len(self) else self.ends

    def take(self, order: np.ndarray, chunk: int = 1 << 18) -> Lines:
        """The values at `order` (any indices, repeats allowed), gathered a chunk at a time so
        that the byte indices never exceed `chunk` values' worth."""
        order = np.asarray(order, dtype=np.int64)
        starts = self.starts()
        length = self.ends - starts
        if len(self) and (length == length[0]).all():  # one width (ids, uuids): rows of a table
            width = int(length[0])
            table = self.data[: width * len(self)].reshape(len(self), width)
            data = np.ascontiguousarray(table[order]).ravel()
            return Lines(data, (np.arange(len(order), dtype=np.int64) + 1) * width)
        taken = length[order]
        ends = np.cumsum(taken)
        parts = []
        for at in range(0, len(order), chunk):
            piece = slice(at, at + chunk)
            sizes = taken[piece]
            first = ends[piece] - sizes  # where each value goes, within the whole output
            offset = first[0] if len(first) else 0
            index = np.repeat(starts[order[piece]] - (first - offset), sizes)
            index += np.arange(len(index), dtype=np.int64)
            parts.append(self.data[index])
        data = np.concatenate(parts) if parts else np.zeros(0, np.uint8)
        return Lines(data, ends.astype(np.int64))

    def tobytes(self) -> bytes:
        return self.data[: int(self.ends[-1])].tobytes() if len(self) else b""

    def fixed(self, at: np.ndarray) -> np.ndarray:
        """The values at `at` as fixed-width bytes (numpy "S", padded with NUL), which compare
        as their UTF-8 does: by code point, a prefix first. (No value holds a NUL.)"""
        at = np.asarray(at, dtype=np.int64)
        starts = self.starts()[at]
        length = self.ends[at] - starts - 1  # without the line feed
        width = max(int(length.max()) if len(at) else 1, 1)
        return padded(self.data, starts, length, width).view(f"S{width}").ravel()

    def in_order(self, pairs: np.ndarray) -> bool:
        """Whether value i < value i + 1 for every i in `pairs`."""
        return bool((self.fixed(pairs) < self.fixed(pairs + 1)).all()) if len(pairs) else True


@dataclass(frozen=True, eq=False)
class Coded(Sequence[str]):
    """A text column of few distinct values, as codes into them: entry i is values[codes[i]].
    (An imported battle's judge may be None: one of its values.)"""

    codes: np.ndarray  # integer [n]
    values: tuple[str, ...]

    @classmethod
    def of(cls, texts: Sequence[str]) -> Coded:
        index: dict[str, int] = {}
        codes = np.fromiter((index.setdefault(t, len(index)) for t in texts), np.int64, len(texts))
        return cls(codes, tuple(index))

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return Coded(self.codes[i], self.values)
        return self.values[self.codes[i]]

    def first_seen(self) -> list[str]:
        """The values some entry holds, in the order of their first entries."""
        first = np.full(len(self.values), len(self.codes), np.int64)
        np.minimum.at(first, self.codes, np.arange(len(self.codes)))
        used = np.flatnonzero(first < len(self.codes))
        return [self.values[k] for k in used[np.argsort(first[used])].tolist()]

    def joined(self) -> bytes:
        """Every entry's UTF-8 followed by a line feed, end to end (as Lines.tobytes): each
        distinct value encoded once; ValueError if one holds a line break."""
        encoded = [(v + "\n").encode("utf-8") for v in self.values]
        if any(e.count(b"\n") != 1 for e in encoded):
            raise ValueError("a text value holds a line break")
        return PaddedLines(encoded).joined(self.codes)


class PaddedLines:
    """Byte strings as the rows of a table, each padded to the longest; `joined(codes)` puts
    the strings at `codes` end to end with two passes of numpy over the table's rows, instead
    of a Python step per entry (Python's own join is used when a string is long)."""

    WIDEST = 64  # bytes: longer strings are joined by Python (the table would be too large)

    def __init__(self, lines: Sequence[bytes] = ()):
        self.lines: list[bytes] = []
        self.table = np.zeros((0, 1), np.uint8)
        self.size = np.zeros(0, np.int64)
        self.extend(lines)

    def extend(self, lines: Sequence[bytes]) -> None:
        self.lines.extend(lines)
        size = np.fromiter(map(len, lines), np.int64, len(lines))
        width = max(self.table.shape[1], int(size.max()) if len(size) else 1)
        if width > self.WIDEST:
            return
        data = np.frombuffer(b"".join(lines), np.uint8)
        rows = padded(data, np.cumsum(size) - size, size, width)
        if width > self.table.shape[1]:
            wider = np.zeros((len(self.table), width), np.uint8)
            wider[:, : self.table.shape[1]] = self.table
            self.table = wider
        self.table = np.concatenate([self.table, rows])
        self.size = np.concatenate([self.size, size])

    def joined(self, codes: np.ndarray) -> bytes:
        if len(self.size) != len(self.lines):  # a string too long for the table
            return b"".join(map(self.lines.__getitem__, np.asarray(codes).tolist()))
        rows = self.table[codes]
        if len(self.size) and (self.size == self.size[0]).all():
            return rows[:, : int(self.size[0])].tobytes()
        return rows[np.arange(self.table.shape[1]) < self.size[codes][:, None]].tobytes()


@dataclass(frozen=True, slots=True)
class VoteBatch:
    """Votes that count, as columns: entry i of every field is vote i. A store gives them in
    cast order (vote time in milliseconds, then battle id by code point), which a snapshot
    hashes and replays in, a few tens of thousands at a time. Text columns may be plain
    sequences of str, or Lines / Coded (no Python object per vote); style features JSON text
    (None: unmeasured), or an int64 array [n, k] whose unmeasured rows are -1."""

    vote_id: Sequence[int]
    battle_id: Sequence[str]  # or Lines
    model_a: Sequence[int]  # ids into `models`
    model_b: Sequence[int]
    models: Mapping[int, str]  # model id -> name
    verdict: Sequence[str]  # or Coded
    voter_id: Sequence[str]  # or Coded
    imported: Sequence[Any]  # true: the voter id is an imported file's judge, already public
    language: Sequence[str]  # or Coded
    is_coding: Sequence[Any]
    is_long_query: Sequence[Any]
    is_multi_turn: Sequence[Any]
    turns: Sequence[int]
    voted_ms: Sequence[int]  # unix milliseconds
    style_a: Sequence[str | None] | np.ndarray  # StyleFeatures as JSON text, None: unmeasured
    style_b: Sequence[str | None] | np.ndarray

    def __len__(self) -> int:
        return len(self.vote_id)


@dataclass(frozen=True, slots=True)
class VotePairs:
    """Every vote that counts, in the order stored (the order the live board replays), as
    columns: entry i of each is vote i. Three small integers a vote, so that 10M votes are read
    without 10M Python objects."""

    model_a: np.ndarray  # int64 ids into `models`
    model_b: np.ndarray
    verdict: np.ndarray  # int8 codes: the index into list(Verdict)
    models: Mapping[int, str]  # model id -> name

    def __len__(self) -> int:
        return len(self.verdict)

    def as_tuples(self) -> list[tuple[str, str, str]]:
        """(model_a, model_b, verdict) as names and words, vote by vote (small reads, tests)."""
        words = [v.value for v in Verdict]
        return [(self.models[a], self.models[b], words[c]) for a, b, c in zip(
            self.model_a.tolist(), self.model_b.tolist(), self.verdict.tolist(), strict=True
        )]  # fmt: skip


class Provider(Protocol):
    def stream(
        self, model: ModelConfig, messages: Sequence[Mapping[str, Any]]
    ) -> AsyncIterator[StreamEvent]:
        """TextDeltas as they arrive, then one Usage; raises ProviderFailed.

        A consumer that stops reading early should close the stream (`await stream.aclose()`
        or `contextlib.aclosing`) or cancel its task; either closes the upstream connection.
        """
        ...

    async def check(self, model: ModelConfig) -> Reachability: ...

    def warm_up(self) -> None:
        """Load now what the first answer would otherwise wait for (a server, before its first
        battle; a command that asks no model never calls it)."""
        ...

    async def aclose(self) -> None:
        """Release connections bound to the running event loop (call before it ends)."""
        ...


# -- storage ports (one per responsibility, shaped by the code that calls them) -------------
class BattleRepository(Protocol):
    """Battles and their turns, the models they use, the voters who start them (service)."""

    def ensure_models(self, models: list[dict[str, str]]) -> None: ...
    def models(self) -> list[ModelRow]: ...
    def ensure_voter(self, voter_id: str, ip_hash: str | None) -> None: ...
    def has_voter(self, voter_id: str) -> bool: ...
    def has_voters(self) -> bool: ...
    def accept_terms(self, voter_id: str, ip_hash: str | None, sha256: str) -> None: ...
    def accepted_terms(self, voter_id: str) -> str | None: ...
    def share_battle(self, battle_id: str, share_id: str) -> str | None: ...
    def shared_battle(self, share_id: str) -> dict[str, Any] | None: ...
    def create_battle(
        self, battle: Battle, *, ip_hash: str | None = None, ip_prefix_hash: str | None = None
    ) -> None: ...
    def load_battle(self, battle_id: str) -> Battle | None: ...
    def save_turn(self, battle_id: str, turn: Turn) -> None: ...
    def set_battle_status(
        self, battle_id: str, status: Status, *, detail: dict[str, Any] | None = None
    ) -> bool: ...
    def mark_streaming(self, battle_id: str) -> bool: ...
    def abandon_dead_streams(self, started_before: float) -> list[str]: ...
    def export_rows(
        self, progress: Callable[[int, int], None] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every battle with its vote and turns, oldest first; `progress` is told (battles
        handed out, total) per batch."""
        ...

    def import_votes(self, rows: list[tuple[Any, Any, Any]], *, source: str) -> None: ...
    def import_battles(
        self,
        battles: ImportedBattles,
        *,
        source: str,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Imported battles (as columns, read by arena.formats) with their votes, all or nothing
        (ImportRejected when a battle id is stored already or repeated); `progress` is told
        (battles stored, total)."""
        ...


class VoteReadModel(Protocol):
    """Votes written by the service, and the one read model of the votes that count
    (anonymous, counted, voter not quarantined) that the live board, `arena ratings`,
    snapshots and detection all read."""

    def record_vote(self, vote: NewVote) -> None: ...
    def live_skills(self, models: list[str]) -> dict[str, tuple[float, float]]: ...
    def add_live_result(self, update: LiveUpdate) -> None: ...
    def live_ratings(self) -> list[LiveRating]: ...
    def replace_live_ratings(self, ratings: list[LiveRating]) -> None: ...
    def counted_vote_pairs(self) -> VotePairs: ...
    def counted_vote_rows(self) -> Iterator[tuple]: ...
    def snapshot_vote_rows(self, of: Collection[int] | None = None) -> Iterator[dict[str, Any]]: ...
    def snapshot_vote_batches(self) -> Iterator[VoteBatch]: ...
    def counting_vote_count(self) -> int: ...
    def voter_evidence_records(self) -> list[dict[str, Any]]: ...
    def models_with_votes(self) -> list[str]: ...
    def exclusion_counts(self) -> dict[str, int]: ...


class GateQueries(Protocol):
    """What the gates ask before a vote counts (usecases/gatekeeper.py). Shared by every
    worker because it is read from the database, never from a worker's memory."""

    def battle_start_times(
        self, voter_id: str, ip_hash: str | None, since: str
    ) -> tuple[list, list]: ...
    def counted_vote_times(
        self, voter_id: str, ip_hash: str | None, since: str
    ) -> tuple[list, list]: ...
    def has_counted_votes(self, voter_id: str) -> bool: ...
    def answers_finished_at(self, battle_id: str) -> float | None: ...
    def use_proof(self, challenge_id: str) -> bool: ...
    def voted_prompts(
        self, since: str, cursor: object = None
    ) -> tuple[list[tuple[str, str, str, float, bool]], object]:
        """(battle id, first prompt, voter id, unix time, counted) of anonymous votes stored
        from `since` on, in the order stored, and a cursor. Given that cursor back, the next
        call returns only the votes committed since, each exactly once, whichever worker
        stored them and in whatever order their transactions committed."""
        ...


class SnapshotRepository(Protocol):
    """Official snapshots: immutable bodies and the votes each one counted (publishing)."""

    def save_snapshot(self, snapshot_id: str, created_at: str, votes: int, sha256: str,
                      body: str, vote_ids: Sequence[int]) -> None: ...  # fmt: skip
    def snapshots(self) -> list[dict[str, Any]]: ...
    def snapshot_body(self, snapshot_id: str) -> str | None: ...
    def snapshot_vote_ids(self, snapshot_id: str) -> set[int]: ...
    def votes_after_snapshot(self, limit: int) -> tuple[int, str | None]: ...
    def snapshot_lock(self) -> AbstractContextManager[bool]: ...


class ModerationRepository(Protocol):
    """Detection flags, reversible voter quarantines, and cohort quarantines pending review."""

    def add_flags(self, flags: list[dict[str, Any]]) -> None: ...
    def flags(self, kind: str | None = None) -> list[dict[str, Any]]: ...
    def quarantine(self, voter_id: str, reason: str, evidence: str) -> bool: ...
    def release_quarantine(self, voter_id: str, reason: str) -> bool: ...
    def quarantines(self, *, active_only: bool = True) -> list[dict[str, Any]]: ...
    def quarantine_cohort(self, test: str, model: str, statistic: float, evidence: str,
                          vote_ids: Sequence[int]) -> int: ...  # fmt: skip
    def confirm_cohort_quarantine(self, quarantine_id: int, reason: str) -> bool: ...
    def release_cohort_quarantine(self, quarantine_id: int, reason: str) -> bool: ...
    def cohort_quarantines(self, *, active_only: bool = True) -> list[dict[str, Any]]: ...
    def cohort_quarantine_vote_ids(self, quarantine_id: int) -> list[int]: ...


class EventLog(Protocol):
    """The append-only event log; also the shared window of per-IP rate limits."""

    def log_event(self, kind: str, *, battle_id: str | None = None,
                  voter_id: str | None = None, **detail: Any) -> None: ...  # fmt: skip
    def count_events(self, kind: str, *, since: float, ip_hash: str | None = None) -> int: ...
    def events(self, kind: str | None = None) -> list[dict[str, Any]]: ...


class Store(
    BattleRepository, VoteReadModel, GateQueries, SnapshotRepository, ModerationRepository,
    EventLog, Protocol,
):  # fmt: skip
    """Every storage port, and a transaction: calls inside `with store.transaction():` commit
    together or not at all; nested blocks join the outer one.

    `writers`: how many write transactions one process should run at once; more only queue
    inside the database (or its driver) instead of in the caller's orderly queue.

    `without_waiting()`: the store calls made inside it, on this thread, must not wait, for they
    run where nothing may (a worker's event loop). It yields True when the store takes them: it
    holds the database for them to the block's end, so that none of them can find it busy. It
    raises `StoreBusy` at once when another writer holds the database, and yields False when
    its calls always wait (a database a network away): either way the caller makes the calls
    on a thread instead.

    `failures`: the driver's exceptions that mean the database could not serve a call (not a
    mistake of the call): the service turns them into `StoreFailed`."""

    writers: int
    failures: tuple[type[Exception], ...]

    def transaction(self) -> AbstractContextManager[Any]: ...
    def without_waiting(self) -> AbstractContextManager[bool]: ...
    def schema_version(self) -> int: ...
    def legacy_secrets(self) -> dict[str, str]: ...
    def drop_legacy_secrets(self) -> None: ...
    def close(self) -> None: ...
