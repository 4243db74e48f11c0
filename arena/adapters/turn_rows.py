"""Battles and turns as store rows, for both store adapters: a Turn to its row and back, a
battles row to a Battle, imported battles (columns) as the rows both stores write."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np

from arena.domain.battle import Answer, Battle, Mode, Side, Status, Turn
from arena.domain.reasons import Reason
from arena.domain.voters import unknown_voter
from arena.ports import Coded, ImportRejected

if TYPE_CHECKING:
    from arena.ports import ImportedBattles


def turn_from_row(
    row: dict[str, Any], sides: tuple[Side, ...], disclosures: Sequence[str], probe: Sequence[str]
) -> Turn:
    """A Turn from a `turns` row; `disclosures` and `probe` already decoded from JSON."""
    answers = {}
    for side in sides:
        s = side.value.lower()
        text, error = row[f"answer_{s}"], row[f"error_{s}"]
        answers[side] = Answer(
            text=text or "",
            error=error,
            latency_s=row[f"latency_{s}_s"],
            prompt_tokens=row[f"prompt_tokens_{s}"],
            completion_tokens=row[f"completion_tokens_{s}"],
            cost_usd=row[f"cost_{s}_usd"],
            complete=error is None,
        )
    return Turn(
        index=row["idx"],
        prompt=row["prompt"],
        answers=answers,
        disclosures=tuple(disclosures),
        probe=tuple(probe),
    )


def turn_texts(
    conversation_a: list | None, conversation_b: list | None
) -> list[tuple[str, str, str]]:
    """(prompt, answer A, answer B) per turn from two role/content conversations."""

    def pairs(conversation):
        out, prompt = [], None
        for message in conversation or []:
            if message.get("role") == "user":
                prompt = str(message.get("content", ""))
            elif message.get("role") == "assistant" and prompt is not None:
                out.append((prompt, str(message.get("content", ""))))
                prompt = None
        return out

    a, b = pairs(conversation_a), pairs(conversation_b)
    return [(pa, aa, ab) for (pa, aa), (_, ab) in zip(a, b, strict=False)]


def turn_to_row(battle_id: str, turn: Turn) -> dict[str, Any]:
    """The `turns` row of a turn, without its JSON columns and time (each store writes those
    in its own types)."""
    a, b = turn.answers.get(Side.A, Answer()), turn.answers.get(Side.B)
    return {
        "battle_id": battle_id,
        "idx": turn.index,
        "prompt": turn.prompt,
        "answer_a": a.text,
        "error_a": a.error,
        "latency_a_s": a.latency_s,
        "prompt_tokens_a": a.prompt_tokens,
        "completion_tokens_a": a.completion_tokens,
        "cost_a_usd": a.cost_usd,
        "answer_b": b.text if b else None,
        "error_b": b.error if b else None,
        "latency_b_s": b.latency_s if b else None,
        "prompt_tokens_b": b.prompt_tokens if b else None,
        "completion_tokens_b": b.completion_tokens if b else None,
        "cost_b_usd": b.cost_usd if b else None,
    }


def battle_from_row(
    row: dict[str, Any], models: dict[Side, str], turns: tuple[Turn, ...]
) -> Battle:
    """A Battle from its `battles` row (with the model names resolved) and its turns."""
    return Battle(
        id=row["id"],
        session_id=row["session_id"],
        voter_id=row["voter_id"],
        mode=Mode(row["mode"]),
        models=models,
        status=Status(row["status"]),
        turns=turns,
        max_turns=row["max_turns"],
        pair_probability=row["pair_probability"],
        streaming=row["streaming_since"] is not None,
    )


def iso_times(seconds: np.ndarray, now: str) -> list[str]:
    """Unix seconds as `arena.domain.clock.to_iso` writes them (ISO 8601, UTC, milliseconds), a
    batch at once; NaN (no time given) as `now`. Like `datetime.fromtimestamp`, rounds to the
    nearest microsecond (half to even), then keeps the milliseconds."""
    given, millis = unix_millis(seconds)
    text = np.char.add(np.datetime_as_string(millis.astype("datetime64[ms]")), "+00:00")
    return np.where(given, text, now).tolist()


def unix_millis(seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(given, millis): where a time is given (not NaN), and the Unix milliseconds `iso_times`
    writes of it (0 where none is given)."""
    given = ~np.isnan(seconds)
    whole = np.trunc(np.where(given, seconds, 0.0))
    micro = np.rint((np.where(given, seconds, 0.0) - whole) * 1e6)
    whole += np.where(micro >= 1e6, 1.0, 0.0) - np.where(micro < 0, 1.0, 0.0)
    micro += np.where(micro < 0, 1e6, 0.0) - np.where(micro >= 1e6, 1e6, 0.0)
    return given, whole.astype(np.int64) * 1000 + micro.astype(np.int64) // 1000


# -- the conditions of both stores' partial indexes of battles ----------------------------------
# A store reads a partial index only for a query whose WHERE clause states the index's own
# condition (SQLite; PostgreSQL with its parameters unknown), so each query says it too.

UNVOTED = "status <> 'voted'"  # the index of unvoted battles (schema 16)
# the index of battles by voter (schema 17): a battle started here, not an imported one (whose
# session is its source, "import:<file>")
STARTED_HERE = "substr(session_id, 1, 7) <> 'import:'"


# -- every battle --------------------------------------------------------------------------------
# Since schema 18 an imported battle has no `battles` row: its vote row holds every value the row
# held (import-battles wrote each one from its vote, 3.7 of 13 s and 220 B a battle at 1M). A
# reader of battles that may meet an imported one reads this instead: the `battles` rows (those
# started here, and imported ones stored before schema 18), then each vote without a battle row
# as the battle it closed. Parenthesise it as a FROM item: SQLite pushes a WHERE on `id` into
# both halves (a look-up each, not a scan; a plan test); PostgreSQL reads it for one battle only
# when the battles table has none (its battles row is read first, with its lock).
EVERY_BATTLE = (
    "SELECT id, session_id, voter_id, mode, anonymous, model_a_id, model_b_id, status, "
    "pair_probability, max_turns, created_at, ended_at, ip_hash, ip_prefix_hash, streaming_since "
    "FROM battles UNION ALL "
    "SELECT v.battle_id, v.source, v.voter_id, "
    f"CASE WHEN v.anonymous THEN '{Mode.ANONYMOUS.value}' ELSE '{Mode.NAMED.value}' END, "
    f"v.anonymous, v.model_a_id, v.model_b_id, '{Status.VOTED.value}', NULL, v.turns, "
    "v.created_at, v.created_at, NULL, NULL, NULL FROM votes v "
    "WHERE NOT EXISTS (SELECT 1 FROM battles o WHERE o.id = v.battle_id)"
)


# -- imported battles -------------------------------------------------------------------------


def small_values(battles: ImportedBattles, first: Any, rows: slice = slice(None)) -> np.ndarray:
    """Each battle's small values in one integer: `first` (0 or 1) + 2 is_coding + 4 is_long_query
    + 8 is_multi_turn + 16 turns (at least one), of `rows`. The column copy keeps votes so, with
    `first` whether the vote was imported (vote_copy.py); the SQLite import binds them so, with
    `first` the vote's anonymity (PACKED_VOTE_VALUES)."""
    return (np.asarray(first, np.int64) + 2 * battles.is_coding[rows]
            + 4 * battles.is_long_query[rows] + 8 * battles.is_multi_turn[rows]
            + 16 * np.maximum(battles.turns[rows], 1))  # fmt: skip


IMPORT_CHUNK = 100_000  # battles per executemany/COPY batch: progress is told after each
Progress = Callable[[int, int], None]  # (battles stored, total)
EXPORT_PROGRESS_EVERY = 10_000  # battles exported between two progress reports


def rejected_import(clashes: list[str], repeated: list[str]) -> ImportRejected:
    """The refusal of an import whose battle ids are already stored (or else repeated)."""
    shown = ", ".join((clashes or repeated)[:5])
    return ImportRejected(
        f"{len(clashes) or len(repeated)} battle id(s) already "
        f"{'stored' if clashes else 'repeated in the file'}: {shown}; nothing imported"
    )


def repeated_ids(ids: Sequence[str]) -> list[str]:
    """The ids given more than once, sorted. Told by their hashes first, as a set of 10M ids
    would take a gigabyte; the ids themselves are counted only when two hashes are equal."""
    hashes = np.sort(np.fromiter(map(hash, ids), dtype=np.int64, count=len(ids)))
    if not np.any(hashes[1:] == hashes[:-1]):
        return []
    return sorted(i for i, n in Counter(ids).items() if n > 1)


class ImportedRows:
    """The battles, votes and turns rows of imported battles, built from their columns a batch
    (`chunk`) at a time, so that no row value is held for every battle at once. `times` gives
    the stored times (text or datetime) of a batch's unix seconds (NaN: none given), `flags`
    turns numpy booleans into the store's type (int for SQLite, bool for PostgreSQL)."""

    def __init__(self, battles: ImportedBattles, source: str, model_ids: np.ndarray,
                 times: Callable[[np.ndarray], list], flags: type) -> None:  # fmt: skip
        self.source = source
        self.columns = battles
        self.unknown = unknown_voter(source)
        self.model_ids = model_ids
        self.to_times = times
        self.to_flags = flags
        self._batch: tuple[tuple[int, int], _Batch] | None = None
        # the voter each battle is stored under: the file's judge, or the unknown voter
        self.voter = Coded(battles.judge.codes,
                           tuple(judge or self.unknown for judge in battles.judge.values))  # fmt: skip
        # each coded column's codes and values (as objects), a batch's rows taken by code
        coded = {"voter": self.voter, "verdict": battles.verdict, "language": battles.language}
        self._texts = {k: (column.codes, _objects(column.values)) for k, column in coded.items()}

    @property
    def measured(self) -> bool:
        """Whether any battle's style was measured (`packed_votes` then gives the styles)."""
        return self.columns.style_a is not None or self.columns.style_b is not None

    def voters(self) -> list[str]:
        """Every voter id, once, in the order the battles first give it."""
        return list(dict.fromkeys(self.voter.first_seen()))

    def votes(self, chunk: slice, to_json: Callable[[Any], Any]) -> Iterator[tuple]:
        """(battle_id, voter_id, model_a_id, model_b_id, verdict, counted, reason, anonymous,
        language, is_coding, is_long_query, is_multi_turn, style_a, style_b, source,
        created_at, turns): `turns` as the battle's `max_turns`"""
        c, b = self.columns, self._values(chunk)
        styles = [repeat(None, len(b.turns)) if s is None else map(to_json, s[chunk])
                  for s in (c.style_a, c.style_b)]  # fmt: skip
        return zip(c.battle_id[chunk], b.judges, b.model_a, b.model_b, b.verdicts,
                   b.anonymous, b.reason, b.anonymous, b.languages, *b.flags, *styles,
                   repeat(self.source), b.times, b.turns)  # fmt: skip

    def packed_votes(self, chunk: slice, to_json: Callable[[Any], Any]) -> Iterator[tuple]:
        """(battle_id, voter_id, model_a_id, model_b_id, verdict, language, small, created_at,
        style_a, style_b): the votes' values with the small ones packed into one integer
        (`small`: anonymous + 2 is_coding + 4 is_long_query + 8 is_multi_turn + 16 turns), for
        a statement that unpacks them (`PACKED_VOTE_VALUES`). SQLite binds each value of each
        row on its own: ten a vote instead of seventeen take half the time. No style column
        when no battle was measured."""
        c, b = self.columns, self._values(chunk)
        small = small_values(c, c.anonymous[chunk], chunk).tolist()
        styles = [] if not self.measured else [
            repeat(None, len(small)) if s is None else map(to_json, s[chunk])
            for s in (c.style_a, c.style_b)
        ]  # fmt: skip
        return zip(c.battle_id[chunk], b.judges, b.model_a, b.model_b, b.verdicts,
                   b.languages, small, b.times, *styles, strict=True)  # fmt: skip

    def turns(self, chunk: slice) -> list[tuple]:
        """(battle_id, idx, prompt, answer_a, answer_b, created_at) of battles with a
        conversation; none on the common path."""
        c = self.columns
        if c.conversation_a is None:
            return []
        return [
            (battle_id, idx, prompt, answer_a, answer_b, when)
            for battle_id, talk_a, talk_b, when in zip(
                c.battle_id[chunk], c.conversation_a[chunk], c.conversation_b[chunk],
                self._values(chunk).times, strict=True,
            )
            for idx, (prompt, answer_a, answer_b) in enumerate(turn_texts(talk_a, talk_b))
        ]  # fmt: skip

    def _values(self, chunk: slice) -> _Batch:
        """The row values of one batch, kept until another batch is asked for (a batch's
        battles, votes and turns are written one after another)."""
        key = chunk.indices(len(self.columns))[:2]
        if self._batch is None or self._batch[0] != key:
            self._batch = None  # let the previous batch go before building this one
            self._batch = (key, self._build(chunk))
        return self._batch[1]

    def _text(self, name: str, chunk: slice) -> list[str]:
        codes, values = self._texts[name]
        return values[codes[chunk]].tolist()

    def _build(self, chunk: slice) -> _Batch:
        c = self.columns
        anonymous = c.anonymous[chunk]
        return _Batch(
            judges=self._text("voter", chunk),
            verdicts=self._text("verdict", chunk),
            languages=self._text("language", chunk),
            model_a=self.model_ids[c.model_a[chunk]].tolist(),
            model_b=self.model_ids[c.model_b[chunk]].tolist(),
            times=self.to_times(c.voted_at[chunk]),
            anonymous=anonymous.astype(self.to_flags).tolist(),
            flags=[
                getattr(c, name)[chunk].astype(self.to_flags).tolist()
                for name in ("is_coding", "is_long_query", "is_multi_turn")
            ],
            reason=_REASONS[anonymous.astype(np.intp)].tolist(),
            turns=np.maximum(c.turns[chunk], 1).tolist(),
        )


def _objects(values: Sequence[Any]) -> np.ndarray:
    """The values as a numpy array of objects (taken by code, then listed)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


@dataclass(frozen=True, slots=True)
class _Batch:
    """One batch of imported battles' row values, each a list over its battles."""

    judges: list[str]
    verdicts: list[str]
    languages: list[str]
    model_a: list[int]
    model_b: list[int]
    times: list
    anonymous: list
    flags: list[list]  # is_coding, is_long_query, is_multi_turn
    reason: list[str | None]
    turns: list[int]


# The votes' columns from `ImportedRows.packed_votes`' values, numbered as it gives them (?9 and
# ?10 the styles; NULL when none was measured); {source} the import's source as an SQL literal.
PACKED_VOTE_VALUES = (
    "?1, ?2, ?3, ?4, ?5, ?7 & 1, CASE ?7 & 1 WHEN 1 THEN NULL ELSE "
    f"'{Reason.NAMED_BATTLE.value}' END, ?7 & 1, ?6, (?7 >> 1) & 1, (?7 >> 2) & 1, "
    "(?7 >> 3) & 1, {styles}, {source}, ?8, ?7 >> 4"
)
_REASONS = np.array([Reason.NAMED_BATTLE.value, None], dtype=object)  # by anonymous (0, 1)
