"""Ranking snapshots: an immutable, verifiable record of one official recompute.

A snapshot pins the exact vote set (count and a SHA-256 over the canonical vote columns), the
method and its parameters, the code version, and the results (Bradley–Terry with 95% CIs and
rank (UB) per category, the style-controlled board, TrueSkill, pair matrices per category).
Anyone holding the released battle data can recompute the hash and the ratings (`verify_snapshot`).

The vote set is read as columns (`read_vote_set`): no Python object per vote. Its hash, format
2 (`VoteSetHash`): the votes in cast order (vote time in whole milliseconds, then battle id by
code point); per canonical field one SHA-256 over its values in that order (text fields: each
value's UTF-8 followed by a line feed; flags: one byte 0 or 1; turns and voted_at, in
milliseconds: little-endian int64); the vote set's SHA-256 is that of the compact JSON
`{"fields":{name: hex, ...},"format":2,"votes":n}` (keys sorted). Format 1 (snapshots made
before it): SHA-256 over the canonical JSON rows, sorted (`vote_set_hash`); still verified.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from arena.domain.clock import from_iso, to_iso
from arena.domain.text import JSON_ESCAPED, json_type
from arena.domain.voters import is_unknown_voter
from arena.ports import Coded, Lines, PaddedLines, VoteBatch
from arena.rankings import CATEGORIES, VoteColumns, rank_votes
from ratings import (
    VERDICTS,
    BTLeaderboard,
    Matches,
    TrueSkillParams,
    find_disagreements,
    fit_style_control,
    pair_matrices,
)

FORMAT_VERSION = 2  # of the vote-set hash; 1 is still verified
CANONICAL_FIELDS = (
    "battle_id", "model_a", "model_b", "verdict", "judge", "language", "is_coding",
    "is_long_query", "is_multi_turn", "turns", "voted_at",
)  # fmt: skip
STYLE_BOARD = "style_controlled"
# the overall board refitted with LMArena's inverse-frequency weights and their sandwich
# interval, beside the plain one it is compared with (when the snapshot's own is not that)
REWEIGHTED_BOARD = "overall_reweighted"
# boards fitted on the overall board's votes: their pairs are overall's (no matrices of their own)
SAME_VOTES_AS_OVERALL = ("overall", STYLE_BOARD, REWEIGHTED_BOARD)
# Boards every snapshot has had since a date (ISO, UTC): one made before it verifies without.
BOARDS_SINCE = {REWEIGHTED_BOARD: "2026-12-03T13:14:47+00:00"}
NOISE_Z = 1.96  # a rating change is "beyond noise" when |Δ| / √(se₁² + se₂²) exceeds this


@dataclass(frozen=True, slots=True)  # slots: a snapshot holds one per counted vote
class SnapshotVote:
    """One vote of the set, with only what the released battle data carries."""

    battle_id: str
    model_a: str
    model_b: str
    verdict: str
    judge: str  # pseudonymous voter id (as released)
    language: str
    is_coding: bool
    is_long_query: bool
    is_multi_turn: bool
    turns: int
    voted_at: float  # unix seconds
    style_a: tuple[int, ...] | None = None  # StyleFeatures.as_tuple() summed over the turns
    style_b: tuple[int, ...] | None = None

    def canonical(self) -> str:
        """The CANONICAL_FIELDS as one compact JSON array (ensure_ascii off), flags as 0/1,
        voted_at rounded to the millisecond; written out field by field, as json.dumps would
        (tests hold the two equal), because it runs once per vote in every snapshot."""
        voted_at = round(self.voted_at, 3)
        return (
            f"[{_json_text(self.battle_id)},{_json_text(self.model_a)},"
            f"{_json_text(self.model_b)},{_json_text(self.verdict)},{_json_text(self.judge)},"
            f"{_json_text(self.language)},{int(self.is_coding)},{int(self.is_long_query)},"
            f"{int(self.is_multi_turn)},{self.turns if type(self.turns) is int else json.dumps(self.turns)},"
            f"{float.__repr__(voted_at) if type(voted_at) is float and math.isfinite(voted_at) else json.dumps(voted_at)}]"
        )  # fmt: skip


_JSON_ESCAPED = re.compile(JSON_ESCAPED)


def _json_text(text: str) -> str:
    """json.dumps(text, ensure_ascii=False), without its call overhead for text needing no
    escape (nearly all of it)."""
    if _JSON_ESCAPED.search(text) is None:
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)


TEXT_FIELDS = ("battle_id", "model_a", "model_b", "verdict", "judge", "language")
FLAG_FIELDS = ("is_coding", "is_long_query", "is_multi_turn")
VERDICT_CODES = {v: i for i, v in enumerate(VERDICTS)}


class VoteSetHash:
    """The vote set's SHA-256, format 2 (see the module's docstring), fed a batch at a time in
    cast order; `update` takes each text field's values joined as the format hashes them (each
    value's UTF-8 and a line feed: Lines.tobytes, Coded.joined). A batch is hashed on a thread
    of its own while the next is read (hashlib lets go of the GIL): the batch before it is
    waited for first, so batches are hashed in order and at most one waits."""

    def __init__(self) -> None:
        self.votes = 0
        self._fields = {name: hashlib.sha256() for name in CANONICAL_FIELDS}
        self._hashing: threading.Thread | None = None
        self._failed: list[Exception] = []

    def update(self, n: int, text: Mapping[str, bytes], flags: Mapping[str, np.ndarray],
               turns: np.ndarray, voted_ms: np.ndarray) -> None:  # fmt: skip
        if n == 0:
            return
        data = [(name, text[name], True) for name in TEXT_FIELDS]
        data += [(name, flags[name].astype(np.uint8).tobytes(), False) for name in FLAG_FIELDS]
        data += [("turns", turns.astype("<i8").tobytes(), False),
                 ("voted_at", voted_ms.astype("<i8").tobytes(), False)]  # fmt: skip
        self._wait()
        self._hashing = threading.Thread(target=self._feed, args=(n, data), daemon=True)
        self._hashing.start()
        self.votes += n

    def _feed(self, n: int, data: list[tuple[str, bytes, bool]]) -> None:
        try:
            for name, values, lines in data:
                if lines and values.count(b"\n") != n:
                    raise ValueError(f"a {name} holds a line break: it cannot be hashed")
                self._fields[name].update(values)
        except Exception as error:  # noqa: BLE001 - raised again in the reading thread
            self._failed.append(error)

    def _wait(self) -> None:
        if self._hashing is not None:
            self._hashing.join()
            self._hashing = None
        if self._failed:
            raise self._failed[0]

    def hexdigest(self) -> str:
        self._wait()
        header = {"fields": {name: h.hexdigest() for name, h in self._fields.items()},
                  "format": 2, "votes": self.votes}  # fmt: skip
        text = json.dumps(header, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, eq=False)
class SnapshotColumns:
    """A snapshot's vote set in cast order, as arrays: the engine's VoteColumns (models
    numbered by first appearance, voters by their released judge), each vote's time in
    milliseconds, turns and style features ([n, 4], None unless every vote has both), the
    store's vote ids (empty for votes read from a file), and the format-2 hash."""

    votes: VoteColumns
    voted_ms: np.ndarray  # int64 [n]
    turns: np.ndarray  # int32 [n]
    style_a: np.ndarray | None
    style_b: np.ndarray | None
    vote_ids: np.ndarray  # int64 [n] or [0]
    sha256: str
    # bool [n]: the votes whose voter is a placeholder (imported without a judge), or None
    no_voter: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.voted_ms)

    @classmethod
    def from_votes(cls, votes: Sequence[SnapshotVote]) -> SnapshotColumns:
        """The columns of SnapshotVotes given in any order (released data, tests)."""
        ordered = sorted(votes, key=lambda v: (_ms(v.voted_at), v.battle_id))
        names = list(dict.fromkeys(m for v in ordered for m in (v.model_a, v.model_b)))
        ids = {name: k for k, name in enumerate(names)}
        style = lambda s: None if s is None else json.dumps(list(s))  # noqa: E731
        batch = VoteBatch(
            vote_id=(), battle_id=[v.battle_id for v in ordered],
            model_a=[ids[v.model_a] for v in ordered], model_b=[ids[v.model_b] for v in ordered],
            models=dict(enumerate(names)), verdict=[v.verdict for v in ordered],
            voter_id=[v.judge for v in ordered], imported=[True] * len(ordered),
            language=[v.language for v in ordered], is_coding=[v.is_coding for v in ordered],
            is_long_query=[v.is_long_query for v in ordered],
            is_multi_turn=[v.is_multi_turn for v in ordered], turns=[v.turns for v in ordered],
            voted_ms=[_ms(v.voted_at) for v in ordered],
            style_a=[style(v.style_a) for v in ordered], style_b=[style(v.style_b) for v in ordered],
        )  # fmt: skip
        return read_vote_set([batch], judge=lambda voter, imported: voter)


def read_vote_set(
    batches: Iterable[VoteBatch], judge: Callable[[str, bool], str]
) -> SnapshotColumns:
    """The vote set of batches given in cast order (ValueError otherwise), hashed as it is read.
    `judge(voter_id, imported)` is a voter's released pseudonym, asked once per voter. Text
    columns given as Lines and Coded are read without a Python object per vote; plain
    sequences are turned into those first."""
    digest = VoteSetHash()
    model_code = np.full(0, -1, dtype=np.int64)  # store model id -> code (first appearance)
    names: list[str] = []
    judges = _Judges(judge)
    languages: dict[str, int] = {}
    parts: dict[str, list[np.ndarray]] = {name: [] for name in (
        "vote_id", "model_a", "model_b", "verdict", "voter", "language", *FLAG_FIELDS, "turns",
        "voted_ms", "style_a", "style_b")}  # fmt: skip
    has_style = True
    last: tuple[int, str] | None = None
    for batch in batches:
        n = len(batch.battle_id)
        if n == 0:
            continue
        battle_ids = batch.battle_id if isinstance(batch.battle_id, Lines) else Lines.of(batch.battle_id)  # fmt: skip
        ms = np.asarray(batch.voted_ms, dtype=np.int64)
        last = _check_cast_order(ms, battle_ids, last)
        a, b, model_code = _model_codes(batch, model_code, names)
        verdicts = _coded(batch.verdict)
        try:
            verdict = np.array([VERDICT_CODES[v] for v in verdicts.values], np.int8)[verdicts.codes]
        except KeyError as error:
            raise ValueError(f"unknown verdict {error.args[0]!r}") from None
        judge_text, voter = judges.read(batch)
        language = _coded(batch.language)
        for value in language.values:
            languages.setdefault(value, len(languages))
        flags = {name: np.asarray(getattr(batch, name), dtype=bool) for name in FLAG_FIELDS}
        turns = np.asarray(batch.turns, dtype=np.int64)
        model_names = tuple(names)
        digest.update(n, {
            "battle_id": battle_ids.tobytes(), "model_a": Coded(a, model_names).joined(),
            "model_b": Coded(b, model_names).joined(), "verdict": verdicts.joined(),
            "judge": judge_text, "language": language.joined(),
        }, flags, turns, ms)  # fmt: skip
        parts["vote_id"].append(np.asarray(batch.vote_id, dtype=np.int64))
        parts["model_a"].append(a)
        parts["model_b"].append(b)
        parts["verdict"].append(verdict)
        parts["voter"].append(voter)
        parts["language"].append(
            np.array([languages[v] for v in language.values], np.int16)[language.codes]
        )
        for name in FLAG_FIELDS:
            parts[name].append(flags[name])
        parts["turns"].append(turns.astype(np.int32))
        parts["voted_ms"].append(ms)
        if has_style:
            styles = [_styles(batch.style_a), _styles(batch.style_b)]
            has_style = styles[0] is not None and styles[1] is not None
            if has_style:
                parts["style_a"].append(styles[0])
                parts["style_b"].append(styles[1])
            else:  # one vote without them: no style board, let the earlier batches' go
                parts["style_a"].clear()
                parts["style_b"].clear()
    dtypes = {"vote_id": np.int64, "model_a": np.int32, "model_b": np.int32, "verdict": np.int8,
              "voter": np.int32, "language": np.int16, "turns": np.int32, "voted_ms": np.int64,
              **dict.fromkeys(FLAG_FIELDS, bool)}  # fmt: skip
    # one column at a time, its parts let go as it is joined: the peak is the set plus one part
    joined = {name: _joined(parts.pop(name), dtype) for name, dtype in dtypes.items()}
    styles = [_joined(parts.pop(side), np.int64) if has_style and len(joined["voted_ms"]) else None
              for side in ("style_a", "style_b")]  # fmt: skip
    language_names = np.asarray(list(languages) or ["other"], dtype=object)
    return SnapshotColumns(
        votes=VoteColumns(
            models=tuple(names), model_a=joined["model_a"], model_b=joined["model_b"],
            verdict=joined["verdict"], voter=joined["voter"],
            language=language_names[joined.pop("language")],
            is_coding=joined["is_coding"], is_long_query=joined["is_long_query"],
            is_multi_turn=joined["is_multi_turn"],
        ),
        voted_ms=joined["voted_ms"], turns=joined["turns"], style_a=styles[0], style_b=styles[1],
        vote_ids=joined["vote_id"], sha256=digest.hexdigest(),
        no_voter=judges.placeholders(joined["voter"]),
    )  # fmt: skip


def _coded(texts: Sequence[str]) -> Coded:
    return texts if isinstance(texts, Coded) else Coded.of(texts)


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    """The parts as one array of `dtype`, emptying the list as it goes."""
    shape = parts[0].shape[1:] if parts else ()
    out = np.empty((sum(len(p) for p in parts), *shape), dtype=dtype)
    at = 0
    parts.reverse()
    while parts:
        part = parts.pop()
        out[at : at + len(part)] = part
        at += len(part)
    return out


def _model_codes(
    batch: VoteBatch, code: np.ndarray, names: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes of the batch's model_a and model_b, each model numbered by first appearance (A
    before B) and its name appended to `names`; `code` maps store ids to codes (-1: unseen)."""
    ids = np.stack([np.asarray(batch.model_a, dtype=np.int64),
                    np.asarray(batch.model_b, dtype=np.int64)], axis=1).ravel()  # fmt: skip
    if len(code) <= ids.max():
        code = np.concatenate([code, np.full(int(ids.max()) + 1 - len(code), -1, np.int64)])
    unseen = ids[code[ids] < 0]
    if len(unseen):
        values, first = np.unique(unseen, return_index=True)
        for model in values[np.argsort(first)].tolist():
            code[model] = len(names)
            names.append(batch.models[model])
    codes = code[ids].astype(np.int32)
    return codes[0::2], codes[1::2], code


class _Judges:
    """Each voter's released judge, asked of `judge` once per (voter, imported), and numbered
    by first appearance. Batches whose voters are coded into one table of values (a store's
    slices of one set) share what was worked out per voter: only new voters cost Python."""

    def __init__(self, judge: Callable[[str, bool], str]):
        self.judge = judge
        self.of: dict[tuple[str, bool], str] = {}  # (voter, imported) -> judge
        self.codes: dict[str, int] = {}  # judge -> code (first appearance)
        self.values: tuple[str, ...] | None = None  # the voter table the arrays below are for
        self.code = np.zeros(0, np.int64)  # key (voter code × 2 + imported) -> judge code, -1
        self.line = np.zeros(0, np.int64)  # key -> row of `lines`
        self.lines = PaddedLines()  # each judge's UTF-8 and a line feed

    def placeholders(self, voter: np.ndarray) -> np.ndarray | None:
        """bool [n]: which of the `voter` codes are placeholders (`is_unknown_voter`), or None
        when none is."""
        unknown = [code for text, code in self.codes.items() if is_unknown_voter(text)]
        return np.isin(voter, unknown) if unknown else None

    def read(self, batch: VoteBatch) -> tuple[bytes, np.ndarray]:
        """The batch's judges, joined as the hash takes them, and their codes."""
        voters = _coded(batch.voter_id)
        if voters.values is not self.values:
            self.values = voters.values
            self.code = np.full(2 * len(voters.values), -1, np.int64)
            self.line = np.zeros(len(self.code), np.int64)
            self.lines = PaddedLines()
        key = voters.codes.astype(np.int64) * 2 + np.asarray(batch.imported, dtype=bool)
        new = key[self.code[key] < 0]
        if len(new):
            found, first = np.unique(new, return_index=True)
            found = found[np.argsort(first, kind="stable")]  # by first appearance
            lines = []
            for k in found.tolist():
                pair = (voters.values[k // 2], bool(k % 2))
                if pair not in self.of:
                    self.of[pair] = self.judge(*pair)
                text = self.of[pair]
                if "\n" in text:
                    raise ValueError("a judge holds a line break: it cannot be hashed")
                self.code[k] = self.codes.setdefault(text, len(self.codes))
                lines.append((text + "\n").encode("utf-8"))
            self.line[found] = np.arange(len(found)) + len(self.lines.lines)
            self.lines.extend(lines)
        return self.lines.joined(self.line[key]), self.code[key]


def _ms(seconds: float) -> int:
    """Unix seconds as whole milliseconds, rounded as the canonical rows round them."""
    return round(round(seconds, 3) * 1000)


def _check_cast_order(
    ms: np.ndarray, battle_ids: Lines, last: tuple[int, str] | None
) -> tuple[int, str]:
    """ValueError unless the batch continues the cast order after `last` (time, battle id)."""
    step = np.diff(ms)
    if (
        (last is not None and last >= (int(ms[0]), battle_ids[0]))
        or (step < 0).any()
        or not battle_ids.in_order(np.flatnonzero(step == 0))
    ):
        raise ValueError("votes are not in cast order (time in ms, then battle id)")
    return int(ms[-1]), battle_ids[len(battle_ids) - 1]


def _styles(styles: Sequence[str | None] | np.ndarray) -> np.ndarray | None:
    """[n, k] int64 of style features given as JSON arrays or as such an array (unmeasured
    rows -1); None if any is unmeasured."""
    if isinstance(styles, np.ndarray):
        return None if (styles < 0).any() else styles.astype(np.int64, copy=False)
    if any(t is None or t == "" for t in styles):
        return None
    values = np.asarray(json.loads("[" + ",".join(styles) + "]"), dtype=np.int64)
    return values.reshape(len(styles), -1)


@dataclass(frozen=True)
class Method:
    model: str = "bradley-terry"
    scale: str = "rating = 400·θ/ln 10 + 1000; mean 1000 unless anchored"
    tie_rule: str = "tie and both_bad count as half a win for each side"
    anchor: tuple[str, float] | None = None
    ci: str = "bootstrap"  # the 95% intervals: bootstrap (resamples), sandwich or reweighted
    resamples: int = 1000
    seed: int = 0
    min_votes: int = 100
    trueskill: dict = field(default_factory=lambda: asdict(TrueSkillParams()))


class SnapshotFileError(ValueError):
    """A file given as a snapshot that is none (not JSON, a field missing or of the wrong shape)."""


@dataclass(frozen=True)
class Manifest:
    snapshot_id: str
    created_at: str
    window: dict  # {"first_vote_at": iso, "last_vote_at": iso}
    votes: int
    vote_set_sha256: str
    canonical_fields: tuple[str, ...]
    filters: dict  # which votes were selected
    exclusions: dict  # reason -> votes left out
    method: Method
    code_version: str
    format_version: int = FORMAT_VERSION


@dataclass(frozen=True)
class BoardRow:
    model: str
    rating: float
    lower: float
    upper: float
    rank_ub: int
    votes: int
    provisional: bool
    organisation: str = ""
    licence: str = ""
    status: str = "active"  # active | retired
    # the worst place the intervals allow: the rank range is rank_ub … rank_lb (0: a snapshot
    # made before rank ranges were recorded)
    rank_lb: int = 0


@dataclass(frozen=True)
class Board:
    category: str
    votes: int
    rows: tuple[BoardRow, ...]
    components: tuple[tuple[str, ...], ...] = ()  # > 1 group: ratings across groups not comparable
    coefficients: dict | None = None  # style-controlled board: feature -> log-odds per SD

    def row(self, model: str) -> BoardRow | None:
        return next((r for r in self.rows if r.model == model), None)


@dataclass(frozen=True)
class TrueSkillRow:
    model: str
    mu: float
    sigma: float
    conservative: float
    votes: int


@dataclass(frozen=True)
class Snapshot:
    manifest: Manifest
    boards: dict[str, Board]
    trueskill: tuple[TrueSkillRow, ...]
    disagreements: tuple[dict, ...]
    matrices: dict  # overall: models, battles [m][m], win_rate [m][m] (None where never met)
    audit: dict = field(default_factory=dict)  # manipulation audit of the overall board
    transparency: dict = field(default_factory=dict)  # variants per organisation, best-of-N
    # the left side's advantage: log_odds with its 95% interval, votes, left_share ({} in
    # snapshots made before it was measured)
    position: dict = field(default_factory=dict)
    # category -> its votes' matrices, as `matrices`, for each board fitted on votes of its own
    # (not overall's: SAME_VOTES_AS_OVERALL); {} in snapshots made before they were kept
    category_matrices: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.manifest.snapshot_id

    def matrices_of(self, category: str) -> dict | None:
        """The pair matrices of a category's votes; None where the snapshot has none for it (made
        before they were kept per category, or no such board)."""
        if category in SAME_VOTES_AS_OVERALL:
            return self.matrices
        return self.category_matrices.get(category)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        """The snapshot a `to_json` text holds; SnapshotFileError, saying what is wrong, for any
        other text."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise SnapshotFileError(f"not a snapshot file: not JSON ({error})") from None
        if not isinstance(data, dict):
            raise SnapshotFileError(
                f"not a snapshot file: {json_type(data)}, where a snapshot is an object"
            )
        try:
            return cls._from_dict(data)
        except KeyError as error:
            raise SnapshotFileError(f"not a snapshot file: {error} is missing") from None
        except (TypeError, AttributeError, ValueError) as error:
            raise SnapshotFileError(
                f"not a snapshot file: a field has the wrong shape ({error})"
            ) from None

    @classmethod
    def _from_dict(cls, data: dict) -> Snapshot:
        manifest = dict(data["manifest"])
        method = dict(manifest.pop("method"))
        if method.get("anchor") is not None:
            method["anchor"] = tuple(method["anchor"])
        manifest["canonical_fields"] = tuple(manifest["canonical_fields"])
        boards = {
            name: Board(
                category=b["category"],
                votes=b["votes"],
                rows=tuple(BoardRow(**r) for r in b["rows"]),
                components=tuple(tuple(c) for c in b["components"]),
                coefficients=b["coefficients"],
            )
            for name, b in data["boards"].items()
        }
        return cls(
            manifest=Manifest(**manifest, method=Method(**method)),
            boards=boards,
            trueskill=tuple(TrueSkillRow(**r) for r in data["trueskill"]),
            disagreements=tuple(data["disagreements"]),
            matrices=data["matrices"],
            audit=data.get("audit", {}),
            transparency=data.get("transparency", {}),
            position=data.get("position", {}),
            category_matrices=data.get("category_matrices", {}),
        )


@dataclass(frozen=True)
class ModelInfo:
    organisation: str = ""
    licence: str = ""
    status: str = "active"


def vote_set_hash(votes: Sequence[SnapshotVote]) -> str:
    """The format-1 hash (snapshots made before format 2): SHA-256 over the canonical rows,
    sorted (input order does not matter)."""
    digest = hashlib.sha256()
    for line in sorted(v.canonical() for v in votes):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def compute_results(
    votes: SnapshotColumns,
    method: Method,
    models: Mapping[str, ModelInfo],
    progress=None,
) -> tuple[dict[str, Board], tuple[TrueSkillRow, ...], tuple[dict, ...], dict]:
    """Every board of a snapshot from its vote set (deterministic for a given set and method):
    (boards, TrueSkill, disagreements, pair matrices of each category fitted on its own votes)."""
    columns = votes.votes
    result = rank_votes(
        columns, method="bt", categories=CATEGORIES, bootstrap=method.resamples,
        intervals=method.ci, seed=method.seed, min_votes=method.min_votes, anchor=method.anchor,
        progress=progress,
    )  # fmt: skip
    # TrueSkill is published for the overall board only: one replay, not one per category
    replayed = rank_votes(
        columns, method="trueskill", trueskill=TrueSkillParams(**method.trueskill)
    )
    info = lambda name: models.get(name, ModelInfo(status="retired"))  # noqa: E731
    boards = {}
    for category, board in result.bt.items():
        boards[category] = Board(
            category=category,
            votes=int(board.n_votes),
            rows=tuple(_board_row(r, info(r.model)) for r in board.rows),  # fmt: skip
            components=tuple(board.components),
        )
    style = _style_board(votes, columns.matches(), method, info)
    if style is not None:
        boards[STYLE_BOARD] = style
    if method.ci != "reweighted":
        weighted = rank_votes(
            columns, method="bt", intervals="reweighted", min_votes=method.min_votes,
            anchor=method.anchor,
        ).bt["overall"]  # fmt: skip
        boards[REWEIGHTED_BOARD] = Board(
            category=REWEIGHTED_BOARD, votes=int(weighted.n_votes),
            rows=tuple(_board_row(r, info(r.model)) for r in weighted.rows),
            components=tuple(weighted.components),
        )  # fmt: skip
    overall_ts = replayed.trueskill["overall"]
    trueskill = tuple(
        TrueSkillRow(model=overall_ts.models[i], mu=_r(overall_ts.mu[i]),
                     sigma=_r(overall_ts.sigma[i]), conservative=_r(overall_ts.conservative[i]),
                     votes=int(overall_ts.votes[i]))
        for i in np.argsort(-overall_ts.conservative)
        if overall_ts.votes[i] > 0
    )  # fmt: skip
    disagreements = tuple(
        {k: (_r(v) if isinstance(v, float) else v) for k, v in asdict(d).items()}
        for d in find_disagreements(result.bt["overall"], overall_ts)
    )
    matrices = {category: _matrices(board) for category, board in result.bt.items()}
    return boards, trueskill, disagreements, matrices


def _matrices(board: BTLeaderboard) -> dict:
    """A board's pair matrices as a snapshot keeps them: models, battles [m][m], win_rate
    [m][m] (None where never met)."""
    matrices = pair_matrices(board)
    return {
        "models": list(matrices.models),
        "battles": matrices.battles.astype(int).tolist(),
        "win_rate": [[None if math.isnan(x) else _r(x) for x in row] for row in matrices.win_rate],
    }


def build_snapshot(
    votes: SnapshotColumns | Sequence[SnapshotVote],
    *,
    snapshot_id: str,
    created_at: str,
    method: Method,
    models: Mapping[str, ModelInfo],
    filters: dict,
    exclusions: dict,
    code_version: str,
    voted_models: Sequence[str] = (),
    progress=None,
) -> Snapshot:
    """`votes`: the vote set as read by read_vote_set (or SnapshotVotes, in any order).
    `voted_models`: every model that ever received a vote; those without a counted vote in
    this set are listed (never silently dropped)."""
    if not isinstance(votes, SnapshotColumns):
        votes = SnapshotColumns.from_votes(votes)
    if not len(votes):
        raise ValueError("there are no counted votes: nothing to snapshot")
    # the manipulation audit needs no board: it runs on a thread of its own while the boards
    # are fitted (numpy lets go of the GIL in its loops: on two cores, ~2 s less at 10M votes)
    with ThreadPoolExecutor(max_workers=1) as pool:
        audited = pool.submit(manipulation_audit, votes.votes)
        boards, trueskill, disagreements, matrices = compute_results(
            votes, method, models, progress
        )
        audit = audited.result()
    overall_matrices = matrices.pop("overall")
    manifest = Manifest(
        snapshot_id=snapshot_id,
        created_at=created_at,
        window={
            "first_vote_at": to_iso(int(votes.voted_ms[0]) / 1000),
            "last_vote_at": to_iso(int(votes.voted_ms[-1]) / 1000),
        },
        votes=len(votes),
        vote_set_sha256=votes.sha256,
        canonical_fields=CANONICAL_FIELDS,
        filters=filters,
        exclusions=exclusions,
        method=method,
        code_version=code_version,
    )
    return Snapshot(
        manifest, boards, trueskill, disagreements, overall_matrices,
        audit=audit | {
            "tiers": tier_report(boards["overall"]),
            "probes": audit_probes(votes.votes, _places(boards["overall"]),
                                   _places(boards.get("exclude_ties")),
                                   ranked=_ranked(boards["overall"]), no_voter=votes.no_voter),
        },  # fmt: skip
        transparency=transparency_report(boards["overall"], voted_models),
        position=position_report(votes.votes, boards["overall"]),
        category_matrices=matrices,
    )  # fmt: skip


def position_report(votes: VoteColumns, overall: Board) -> dict:
    """How much the side shown on the left (A) wins beyond the two models' overall strengths:
    a Bradley–Terry covariate in log-odds, with its 95% interval (ratings/position.py)."""
    from ratings.bradley_terry import SCALE
    from ratings.position import position_effect

    rating = {r.model: r.rating for r in overall.rows}
    strengths = np.array([rating.get(m, 0.0) / SCALE for m in votes.models])
    effect = position_effect(votes.model_a, votes.model_b, votes.verdict, strengths)
    return {k: _finite(v) if isinstance(v, float) else v for k, v in asdict(effect).items()}


TIER_ALPHA = 0.05  # family-wise: the chance that any tier boundary of a board is wrong


def board_tiers(board: Board) -> dict[str, int]:
    """The tier of each ranked (not provisional) model of a board, best first: a new tier starts
    where adjacent models are separated with family-wise confidence 1 − TIER_ALPHA
    (ratings.ranking.tiers)."""
    from ratings.ranking import tiers

    rows = [r for r in board.rows if not r.provisional]
    found = tiers(np.array([r.rating for r in rows]), np.array([r.lower for r in rows]),
                  np.array([r.upper for r in rows]), TIER_ALPHA)  # fmt: skip
    return {r.model: int(t) for r, t in zip(rows, found, strict=True)}


def tier_report(board: Board) -> dict:
    """The tiers the board collapses to, and the bar that separates them."""
    groups: dict[int, list[str]] = {}
    for model, tier in board_tiers(board).items():
        groups.setdefault(tier, []).append(model)
    return {
        "alpha": TIER_ALPHA,
        "bar": "adjacent ranked models separated at family-wise 95% (one-sided Bonferroni over "
        "the adjacent pairs; each gap's se from the two 95% intervals, taken as independent)",
        "tiers": [groups[t] for t in sorted(groups)],
    }


COVERAGE_BAR = 0.1  # a pair met fewer than this share of the median pair's votes is flagged
TOP_VOTERS, TOP_VOTER_BAR = 5, 0.2  # a model with > 20% of its votes from 5 voters is flagged
TIE_BAR = 1  # a model whose place moves more than this when ties are dropped is listed
CYCLE_BAR = 0.05  # intransitivity is flagged when so few boards drawn from the fit have as many
DROP_VOTERS = 200  # the most active voters the drop-one-voter probe weighs


def _places(board: Board | None) -> dict[str, int]:
    """Each model's place by rating on a board (1 = best); empty when there is no board."""
    return {r.model: k for k, r in enumerate(board.rows, start=1)} if board else {}


def _ranked(board: Board) -> list[str]:
    """The models a board ranks (not provisional)."""
    return [r.model for r in board.rows if not r.provisional]


def audit_probes(
    votes: VoteColumns, places: Mapping[str, int], no_tie_places: Mapping[str, int],
    ranked: Sequence[str] = (), no_voter: np.ndarray | None = None,
) -> dict:  # fmt: skip
    """Five leaderboard audit probes, each with its stated bar: pairs the arena rarely showed
    (coverage), models whose votes come mostly from a few voters, models whose place depends on
    how ties are counted (`places`: by rating with ties as half wins; `no_tie_places`: on the
    board without ties, or by Davidson's tie model: `modelled`), cycles of preference beyond
    what the fitted model draws, and the
    largest change one voter's votes make to the `ranked` models (default: every placed one)."""
    models, m = votes.models, len(votes.models)
    first = np.minimum(votes.model_a, votes.model_b).astype(np.int32)
    second = np.maximum(votes.model_a, votes.model_b).astype(np.int32)
    met = np.bincount(first * np.int32(m) + second, minlength=m * m)
    del first, second
    keys = np.flatnonzero(met)
    median = float(np.median(met[keys])) if len(keys) else 0.0
    voted = np.flatnonzero(met.reshape(m, m).sum(axis=0) + met.reshape(m, m).sum(axis=1))
    coverage = {
        "bar": COVERAGE_BAR, "pairs_possible": len(voted) * (len(voted) - 1) // 2,
        "pairs_met": len(keys), "median_votes_per_pair": median,
        "flagged": sorted(sorted([models[k // m], models[k % m]]) for k in keys
                          if met[k] < COVERAGE_BAR * median),
    }  # fmt: skip
    share: dict[str, float] = {}
    # the voter tests see the votes of known voters only: a placeholder is no one (`no_voter`)
    known = None if no_voter is None else ~no_voter
    if votes.voter is not None and len(votes) and (known is None or known.any()):
        # votes per (model, voter), both sides at once; then each model's TOP_VOTERS largest
        voter, model_a, model_b = (
            (votes.voter, votes.model_a, votes.model_b) if known is None
            else (votes.voter[known], votes.model_a[known], votes.model_b[known])
        )  # fmt: skip
        span = int(voter.max()) + 1
        kind = np.int32 if m * span < 2**31 else np.int64  # half the memory at 10M votes
        voter = voter.astype(kind)
        keys, counts = np.unique(np.concatenate([
            model_a.astype(kind) * kind(span) + voter,
            model_b.astype(kind) * kind(span) + voter,
        ]), return_counts=True)  # fmt: skip
        del model_a, model_b
        del voter
        bounds = np.searchsorted(keys, np.arange(m + 1, dtype=np.int64) * span)  # keys sorted
        del keys
        for k in voted.tolist():
            group = counts[bounds[k] : bounds[k + 1]]
            if not len(group):
                continue  # no vote of a known voter
            top = (
                np.partition(group, -TOP_VOTERS)[-TOP_VOTERS:] if len(group) > TOP_VOTERS else group
            )
            share[models[k]] = round(float(top.sum() / group.sum()), 4)
    moved = {model: [place, no_tie_places[model]] for model, place in places.items()
             if model in no_tie_places and abs(place - no_tie_places[model]) > TIE_BAR}  # fmt: skip
    pairs = _pair_cells(votes)
    modelled, nu = _ties_modelled(pairs, models, places)
    return {
        "coverage": coverage,
        "top_voters": {"bar": TOP_VOTER_BAR, "voters": TOP_VOTERS, "share": share,
                       "flagged": sorted(k for k, v in share.items() if v > TOP_VOTER_BAR)},
        "ties": {"bar": TIE_BAR, "moved": moved, "modelled": modelled, "tie_parameter": nu},
        "intransitivity": _intransitivity(pairs, m),
        "drop_one_voter": _drop_one_voter(votes, set(ranked or places), no_voter),
    }  # fmt: skip


def _pair_cells(votes: VoteColumns) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first, second, cells [P, 3]) of the pairs that met (first < second): first's wins,
    second's wins, and draws (tie or both_bad)."""
    from ratings.outcomes import A_BETTER, B_BETTER

    m = len(votes.models)
    first = np.minimum(votes.model_a, votes.model_b).astype(np.int32)
    second = np.maximum(votes.model_a, votes.model_b).astype(np.int32)
    key = first * np.int32(m) + second
    first_won = np.where(votes.model_a == first, votes.verdict == A_BETTER,
                         votes.verdict == B_BETTER)  # fmt: skip
    second_won = np.where(votes.model_a == first, votes.verdict == B_BETTER,
                          votes.verdict == A_BETTER)  # fmt: skip
    del first, second
    totals = np.bincount(key, minlength=m * m)
    cells = np.column_stack([np.bincount(key, first_won, m * m), np.bincount(key, second_won, m * m),
                             totals]).astype(np.float64)  # fmt: skip
    del key, first_won, second_won
    pairs = np.flatnonzero(totals)
    cells = cells[pairs]
    cells[:, 2] -= cells[:, 0] + cells[:, 1]
    return pairs // m, pairs % m, cells


def _intransitivity(pairs: tuple[np.ndarray, np.ndarray, np.ndarray], m: int) -> dict:
    """Three-model cycles of majority preference against boards drawn from the fitted model
    (ratings.probes.intransitivity), flagged when fewer than CYCLE_BAR of those have as many."""
    from ratings.probes import intransitivity

    found = intransitivity(*pairs, m)
    return asdict(found) | {"bar": CYCLE_BAR, "flagged": found.p_value < CYCLE_BAR}


def _ties_modelled(
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray], models: Sequence[str],
    places: Mapping[str, int],
) -> tuple[dict[str, list[int]], float]:  # fmt: skip
    """The placed models whose place moves more than TIE_BAR when ties are modelled (Davidson)
    instead of split, each [place, modelled place]; and the fitted tie parameter ν."""
    from ratings.ties import fit_davidson

    theta, nu = fit_davidson(*pairs, len(models))
    order = sorted((m for m in places if m in models), key=lambda m: -theta[models.index(m)])
    modelled = {m: k for k, m in enumerate(order, start=1)}
    moved = {m: [places[m], modelled[m]] for m in order if abs(places[m] - modelled[m]) > TIE_BAR}
    return moved, round(nu, 4)


def _drop_one_voter(votes: VoteColumns, ranked: set[str], no_voter: np.ndarray | None) -> dict:
    """The voter (among the DROP_VOTERS most active) whose votes move a ranked model most
    (ratings.probes.drop_one_voter), flagged when leaving them out changes a ranked place."""
    from ratings.bradley_terry import SCALE
    from ratings.outcomes import SCORE_A
    from ratings.probes import drop_one_voter

    bar = "leaving one voter's votes out changes the place of a ranked model"
    mask = np.array([m in ranked for m in votes.models], dtype=bool)
    if votes.voter is None or not len(votes):
        return {"bar": bar, "flagged": False, "checked": 0}
    voter = votes.voter if no_voter is None else np.where(no_voter, -1, votes.voter)
    found = drop_one_voter(votes.model_a, votes.model_b, SCORE_A[votes.verdict], voter,
                           mask, candidates=DROP_VOTERS)  # fmt: skip
    if found is None:
        return {"bar": bar, "flagged": False, "checked": 0}
    names = votes.models
    return {
        "bar": bar, "flagged": bool(found.places), "checked": found.checked,
        "votes": found.votes, "model": names[found.model],
        "shift": round(float(found.shift * SCALE), 2),
        "moved": {names[m]: list(places) for m, places in sorted(found.places.items())},
    }  # fmt: skip


def manipulation_audit(votes: VoteColumns, top_k: int = 5) -> dict:
    """For each adjacent pair on the overall board, the one-sided votes (lower beats upper) that
    would flip their order; and how the top-k changes when 0.1% of the votes are removed,
    adversarially (those that most help the leader) or at random."""
    from arena.integrity.audit import flip_costs, pair_table_from_codes, stability

    table = pair_table_from_codes(votes.models, votes.model_a, votes.model_b, votes.verdict)
    if len(table.models) < 2:
        return {}
    k = min(top_k, len(table.models))
    return {
        "flip_costs": [
            asdict(c) | {"approx_votes": _finite(c.approx_votes)} for c in flip_costs(table)
        ],  # fmt: skip
        "stability": {
            mode: {
                k_: _finite(v) if isinstance(v, float) else v
                for k_, v in asdict(stability(table, k=k, mode=mode)).items()
            }
            for mode in ("adversarial", "random")
        },  # fmt: skip
    }


def transparency_report(overall: Board, voted_models: Sequence[str] = ()) -> dict:
    """Variants tested per organisation and best-of-N selection flags (every model with votes
    counts as a tested variant, retired ones included), and the models that received votes but
    have none counted in this snapshot (all uncounted or quarantined)."""
    from arena.integrity import Variant, best_of_n_flags, organisation_reports

    variants = [
        Variant(model=r.model, organisation=r.organisation or "(unknown)", rating=r.rating,
                lower=r.lower, upper=r.upper, published=r.status != "retired")
        for r in overall.rows
    ]  # fmt: skip
    return {
        "organisations": [{k: _finite(v) if isinstance(v, float) else v for k, v in
                           asdict(r).items()} for r in organisation_reports(variants)],
        "best_of_n_flags": [{k: _finite(v) if isinstance(v, float) else v for k, v in
                             asdict(f).items()} for f in best_of_n_flags(variants)],
        "voted_but_unrated": sorted(set(voted_models) - {r.model for r in overall.rows}),
    }  # fmt: skip


def _finite(x: float) -> float | None:
    """JSON has no infinity: None stands for "unbounded"."""
    return None if math.isinf(x) or math.isnan(x) else round(float(x), 4)


@dataclass(frozen=True)
class Verification:
    ok: bool
    expected_sha256: str
    actual_sha256: str
    votes: int
    max_rating_difference: float
    tolerance: float
    problems: tuple[str, ...]
    skipped: tuple[str, ...] = ()  # boards not checked: see `why_skipped`

    def why_skipped(self, board: str) -> str:
        """Why a board was not checked: the release has no answers for it, or the snapshot was
        made before every snapshot had it."""
        if board in BOARDS_SINCE:
            return f"the snapshot was made before {BOARDS_SINCE[board][:10]}, when it came"
        return "the release has no conversations"


def verify_snapshot(
    snapshot: Snapshot, votes: Sequence[SnapshotVote], *, tolerance: float = 0.01, progress=None
) -> Verification:
    """Recompute the vote-set hash and every board from released votes; compare. `progress` is
    told (resamples done, total) as the bootstrap runs."""
    if not (math.isfinite(tolerance) and tolerance >= 0):
        raise ValueError(f"tolerance must be a number of rating points, 0 or more, not {tolerance}")
    problems = []
    columns = SnapshotColumns.from_votes(votes)
    actual = columns.sha256 if snapshot.manifest.format_version >= 2 else vote_set_hash(votes)
    if actual != snapshot.manifest.vote_set_sha256:
        problems.append("the vote set differs from the snapshot's (SHA-256 mismatch)")
    if len(votes) != snapshot.manifest.votes:
        problems.append(f"{len(votes)} votes given, the snapshot has {snapshot.manifest.votes}")
    worst = 0.0
    skipped = []
    if votes:
        models = {r.model: ModelInfo(r.organisation, r.licence, r.status)
                  for b in snapshot.boards.values() for r in b.rows}  # fmt: skip
        boards, trueskill, _, _ = compute_results(
            columns, snapshot.manifest.method, models, progress
        )
        # What the votes give and the snapshot leaves out is as wrong as what it misstates,
        # unless the snapshot was made before such a board existed.
        made = from_iso(snapshot.manifest.created_at)
        for name in (name for name in boards if name not in snapshot.boards):
            if name in BOARDS_SINCE and made < from_iso(BOARDS_SINCE[name]):
                skipped.append(name)
            else:
                problems.append(f"board {name!r} is missing from the snapshot")
        for name, published in snapshot.boards.items():
            if name not in boards:
                if name == STYLE_BOARD:  # needs the answers: released without conversations
                    skipped.append(name)
                else:
                    problems.append(f"board {name!r} cannot be recomputed from the given data")
                continue
            again = boards[name]
            if published.votes != again.votes:
                problems.append(f"{name}: recomputed board votes {again.votes}, "
                                f"published {published.votes}")  # fmt: skip
            shown = {row.model for row in published.rows}
            problems += [f"{name}: {row.model} is missing from the published board"
                         for row in again.rows if row.model not in shown]  # fmt: skip
            for row in published.rows:
                fresh = again.row(row.model)
                if fresh is None:
                    problems.append(f"{name}: {row.model} has no votes in the given data")
                    continue
                worst = max(worst, *(abs(getattr(row, f) - getattr(fresh, f))
                                     for f in ("rating", "lower", "upper")))  # fmt: skip
                problems += _differences(f"{name}: {row.model}", row, fresh, tolerance,
                                         numbers=("rating", "lower", "upper"),
                                         exact=("rank_ub", "votes", "provisional",
                                                *(("rank_lb",) if row.rank_lb else ())))  # fmt: skip
        published_ts = {row.model: row for row in snapshot.trueskill}
        fresh_ts = {row.model: row for row in trueskill}
        problems += [f"TrueSkill: {model} is missing from the published table"
                     for model in fresh_ts if model not in published_ts]  # fmt: skip
        for model, row in published_ts.items():
            if model not in fresh_ts:
                problems.append(f"TrueSkill: {model} has no votes in the given data")
                continue
            problems += _differences(
                f"TrueSkill: {model}",
                row,
                fresh_ts[model],
                tolerance,
                numbers=("mu", "sigma", "conservative"),
                exact=("votes",),
            )
    return Verification(
        ok=not problems,
        expected_sha256=snapshot.manifest.vote_set_sha256,
        actual_sha256=actual,
        votes=len(votes),
        max_rating_difference=worst,
        tolerance=tolerance,
        problems=tuple(problems),
        skipped=tuple(skipped),
    )


def _differences(
    what: str, published: Any, fresh: Any, tolerance: float, *, numbers: Sequence[str],
    exact: Sequence[str],
) -> list[str]:  # fmt: skip
    """A problem for each field of a published row that its recomputed row does not match:
    `numbers` within `tolerance`, `exact` equal."""

    def shown(value: Any) -> str:
        return f"{value:.2f}" if isinstance(value, float) else str(value)

    return [f"{what}: recomputed {field} {shown(getattr(fresh, field))}, "
            f"published {shown(getattr(published, field))}"
            for field in (*numbers, *exact)
            if (abs(getattr(published, field) - getattr(fresh, field)) > tolerance
                if field in numbers else getattr(published, field) != getattr(fresh, field))]  # fmt: skip


@dataclass(frozen=True)
class ModelChange:
    model: str
    status: str  # new | ranked | provisional (was there; still unranked) | missing
    retired: bool  # no longer in the roster; its votes still count
    old_rank: int | None
    new_rank: int | None
    old_rating: float | None
    new_rating: float | None
    rating_change: float | None
    z: float | None  # change over √(se_old² + se_new²), se from each 95% interval
    beyond_noise: bool


def diff_snapshots(
    old: Snapshot | None, new: Snapshot, category: str = "overall"
) -> tuple[ModelChange, ...]:
    """Rank and rating change of every model since `old`; none is silently dropped."""
    new_board = new.boards.get(category, Board(category, 0, ()))
    old_board = old.boards.get(category, Board(category, 0, ())) if old else Board(category, 0, ())
    changes = []
    for row in new_board.rows:
        before = old_board.row(row.model)
        retired = row.status == "retired"
        # a provisional model is shown unranked: it has no rank, before or now
        status = "new" if before is None else "provisional" if row.provisional else "ranked"
        if before is None:
            changes.append(ModelChange(row.model, status, retired, None, _rank(row), None,
                                       row.rating, None, None, False))  # fmt: skip
            continue
        delta = row.rating - before.rating
        se = math.hypot(_se(row), _se(before))
        z = delta / se if se > 0 else 0.0
        changes.append(ModelChange(row.model, status, retired, _rank(before), _rank(row),
                                   before.rating, row.rating, _r(delta), _r(z),
                                   abs(z) > NOISE_Z))  # fmt: skip
    for row in old_board.rows:
        if new_board.row(row.model) is None:
            changes.append(ModelChange(row.model, "missing", row.status == "retired",
                                       _rank(row), None, row.rating, None, None, None,
                                       False))  # fmt: skip
    return tuple(changes)


def _rank(row: BoardRow) -> int | None:
    """A row's rank (UB) as the board shows it: none while it is provisional."""
    return None if row.provisional else row.rank_ub


def live_disagreements(
    board: Board, live: Sequence[tuple[str, float, float]], z: float = NOISE_Z
) -> set[str]:
    """Models that this BT board and live TrueSkill (model, mu, sigma) order oppositely, each
    method's gap beyond `z` of its own uncertainty."""
    flagged = set()
    skills = {model: (mu, sigma) for model, mu, sigma in live}
    rows = [r for r in board.rows if r.model in skills]
    for i, upper in enumerate(rows):
        for lower in rows[i + 1 :]:
            bt_z = (upper.rating - lower.rating) / max(math.hypot(_se(upper), _se(lower)), 1e-9)
            (mu_u, s_u), (mu_l, s_l) = skills[upper.model], skills[lower.model]
            ts_z = (mu_l - mu_u) / max(math.hypot(s_u, s_l), 1e-9)
            if bt_z > z and ts_z > z:
                flagged |= {upper.model, lower.model}
    return flagged


def _style_board(votes: SnapshotColumns, matches: Matches, method: Method, info) -> Board | None:
    """Bradley–Terry with style covariates; None unless every vote has both answers' features."""
    if votes.style_a is None or votes.style_b is None:
        return None
    style = fit_style_control(matches, votes.style_a.astype(float), votes.style_b.astype(float),
                              min_votes=method.min_votes)  # fmt: skip
    return Board(
        category=STYLE_BOARD,
        votes=len(votes),
        rows=tuple(_board_row(r, info(r.model)) for r in style.rows),  # fmt: skip
        coefficients={
            name: {"coefficient": _r(c), "se": _r(se)}
            for name, c, se in zip(
                style.feature_names, style.coefficients, style.coefficient_se, strict=True
            )
        },
    )


def _board_row(row, info: ModelInfo) -> BoardRow:
    """A snapshot row from an engine row (BTRow or StyleRow: the same eight fields)."""
    return BoardRow(
        model=row.model, rating=_r(row.rating), lower=_r(row.lower), upper=_r(row.upper),
        rank_ub=int(row.rank_ub), votes=int(row.votes), provisional=bool(row.provisional),
        organisation=info.organisation, licence=info.licence, status=info.status,
        rank_lb=int(row.rank_lb),
    )  # fmt: skip


def _se(row: BoardRow) -> float:
    return (row.upper - row.lower) / (2 * NOISE_Z)


def _r(x: float) -> float:
    return round(float(x), 4)
