"""Battle files read for import as whole columns, with no Python object per row on the common path.

Tables (CSV, TSV) and Parquet files without conversations are checked a column at a time by the
rules of `battle_data.read_battle_file`, giving the same battles, ids and bad rows: a value the
columns cannot settle (surrounding space, an ISO time, a bad cell) is read by the per-row rules,
which also give every bad row's reason. JSON files, files with conversations and files that repeat
a question_id are read row by row (`read_battle_file`) and returned as the same columns.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from arena.domain.text import NOT_IN_NAMES, name_fault
from arena.domain.verdicts import read_verdict
from arena.formats.battle_data import (
    CONVERSATIONS,
    HASHED_ID_PREFIX,
    MAX_TSTAMP,
    MAX_TURNS,
    MIN_TSTAMP,
    BattleFileError,
    _fields,
    _whole_number,
    from_fastchat_language,
    read_battle_file,
)
from arena.formats.columns import ColumnFile
from arena.formats.layouts import TURNS_55K
from arena.formats.progress import Progress
from arena.formats.votefile import NOT_TEXT, OnBadRow, read_flag, read_layout
from arena.ports import Coded, ImportedBattles

# Characters Python's str.strip() removes; a value starting or ending with one is read by row.
_SPACE = (
    r"[\s\x0b\x1c-\x1f\x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
)
_UNTRIMMED = f"^{_SPACE}|{_SPACE}$"
_DECIMAL = r"^-?[0-9]{1,20}(\.[0-9]+)?([eE][-+]?[0-9]{1,2})?$"  # read alike by pyarrow and float()
ID_CHUNK = 200_000  # rows whose ids are made at once (JSON and hashes), bounding the memory used
FLAGS = {"anony": ("anonymous", True), "is_code": ("is_coding", False),
         "is_long_query": ("is_long_query", False)}  # fmt: skip


def read_battle_columns(
    path: str | Path, *, on_bad_row: OnBadRow | None = None, progress: Progress | None = None
) -> ImportedBattles:
    """Every battle in the file as columns; bad rows as `read_battle_file` treats them (raises
    BattleFileError listing them, or hands each to `on_bad_row` and leaves it out). `progress` is
    told (done, total) as the file is read, and again when it is read row by row (JSON, files
    with conversations or a repeated question_id: `read_battle_file`)."""
    file = read_layout(path, progress)
    reader = _Columns(file) if _is_columnar(file) else None
    problems = reader.read_slow_rows() if reader else []
    if reader is None or reader.repeats_an_id():
        del file, reader  # read again, row by row
        return ImportedBattles.from_votes(
            read_battle_file(path, on_bad_row=on_bad_row, progress=progress)
        )
    where, unit = file.path, file.format.unit
    reader.file = file = None  # all read: the file's columns go before the battles are built,
    pa.default_memory_pool().release_unused()  # and now: pyarrow's pool hands pages back late
    if problems:
        if on_bad_row is None:
            raise BattleFileError(where, problems, unit=unit, skippable=True)
        for line, reason in sorted(problems):
            on_bad_row(line, reason)
    columns = reader.columns()
    del reader  # its columns are handed over, and each goes once converted
    return _to_battles(columns)


def _to_battles(columns: dict[str, np.ndarray]) -> ImportedBattles:
    """The battles of `_Columns.columns`, which it empties: each column goes once converted (a
    column of 10M Python objects takes 80 MB)."""
    n = len(columns["battle_id"])
    model_a, model_b = columns.pop("model_a"), columns.pop("model_b")
    names: dict[str, int] = {}  # in the order the rows first name them, A before B
    codes = np.empty((n, 2), dtype=np.int64)
    for start in range(0, n, ID_CHUNK):
        part = slice(start, start + ID_CHUNK)
        codes[part] = _numbered(np.column_stack([model_a[part], model_b[part]]).ravel(),
                                names).reshape(-1, 2)  # fmt: skip
    del model_a, model_b
    voted_at = columns.pop("voted_at")
    voted_at = np.array([np.nan if t is None else t for t in voted_at.tolist()],
                        dtype=np.float64) if voted_at.dtype == object else (
        voted_at.astype(np.float64))  # fmt: skip
    battles = ImportedBattles(
        battle_id=[], models=tuple(names), model_a=codes[:, 0].copy(),
        model_b=codes[:, 1].copy(), verdict=columns.pop("verdict").coded(),
        judge=columns.pop("judge").coded(), language=columns.pop("language").coded(),
        turns=columns.pop("turns").astype(np.int64), voted_at=voted_at,
        **{name: columns.pop(name).astype(bool)
           for name in ("anonymous", "is_coding", "is_long_query", "is_multi_turn")},
    )  # fmt: skip
    del codes
    return replace(battles, battle_id=_battle_ids(columns.pop("battle_id"), battles))


def _is_columnar(file: ColumnFile) -> bool:
    """A table or Parquet file read without a problem, with no conversations, one verdict column
    and one voter column (the others are rare enough to read by row)."""
    if file.format is None or file.format.name not in ("CSV", "TSV", "PARQUET") or file.problems:
        return False
    if len(file) == 0 or all(name in file.columns for name in TURNS_55K):
        return False
    if any(name in file.columns for name in CONVERSATIONS) and not file.format.is_table:
        return False  # tables carry none: read_battle_file drops those columns
    return (
        sum(name in file.columns for name in ("winner", "verdict")) == 1
        and sum(name in file.columns for name in ("voter", "judge")) <= 1
    )


class _Columns:
    """One file's battle fields as columns over all rows, and which rows the columns settled."""

    def __init__(self, file: ColumnFile):
        self.file = file
        n = self.n = len(file)
        self.fast = np.ones(n, dtype=bool)
        self.slow_fields: dict[int, dict[str, Any]] = {}  # row -> its fields, read by row
        self.bad = np.zeros(n, dtype=bool)
        model_a, model_b = (self._mapped(c, _model) for c in ("model_a", "model_b"))
        self.model_a, self.model_b = model_a, model_b
        self.fast &= model_a != model_b
        verdict_column = "winner" if "winner" in file.columns else "verdict"
        self.verdict = self._coded(verdict_column, _verdict)
        self.judge = self._text(
            "judge" if "judge" in file.columns else "voter", numbers=True, repeated=True
        )
        self.battle_id = self._text("question_id", numbers=True, repeated=False)
        self.language = self._coded("language", _language)
        # rows left to the per-row rules get their turns and flags from them
        self.turns = np.where(self.fast, self._mapped("turn", _turns), 1).astype(np.int64)
        self.voted_at = self._tstamp()
        self._mapped("counted", _counted)  # a vote that counts, or a bad row (read by row)
        defaults = {key: value for key, (_, value) in FLAGS.items()}
        self.flags = {}
        for key, default in {**defaults, "is_multi_turn": self.turns > 1}.items():
            flag = self._mapped(key, _flag_of)
            self.flags[key] = np.where(flag == None, default, flag).astype(bool)  # noqa: E711

    def read_slow_rows(self) -> list[tuple[int, str]]:
        """Read the rows the columns left open by the per-row rules; (line, reason) of the bad."""
        problems = []
        slow = np.flatnonzero(~self.fast)
        for k, (line, values) in zip(slow.tolist(), self.file.rows(slow), strict=True):
            values = {key: v for key, v in values.items() if key not in CONVERSATIONS}
            fields, reasons = _fields(values)
            self.battle_id[k] = fields.get("battle_id")  # a bad row's id still counts as used
            if reasons:
                problems.append((line, "; ".join(reasons)))
                self.bad[k] = True
            else:
                self.slow_fields[k] = fields
        return problems

    def repeats_an_id(self) -> bool:
        """Whether two rows give the same question_id (then the file is read by row, which says
        which line used it first). Told by the ids' hashes, as a set of 10M ids would take a
        gigabyte; the ids themselves are compared only when two hashes are equal."""
        given = self.battle_id[self.battle_id != None]  # noqa: E711
        hashes = np.sort(np.fromiter(map(hash, given), dtype=np.int64, count=len(given)))
        return bool(np.any(hashes[1:] == hashes[:-1])) and len(set(given)) < len(given)

    def columns(self) -> dict[str, np.ndarray]:
        """The good rows' fields as columns, named as ImportedBattles names them."""
        keep = np.flatnonzero(~self.bad)
        columns = {
            "battle_id": self.battle_id, "model_a": self.model_a, "model_b": self.model_b,
            "verdict": self.verdict, "judge": self.judge, "language": self.language,
            "turns": self.turns, "voted_at": self.voted_at,
            **{FLAGS.get(key, (key,))[0]: value for key, value in self.flags.items()},
        }  # fmt: skip
        for k, fields in self.slow_fields.items():
            for name, value in fields.items():
                if name in columns:
                    columns[name][k] = np.nan if name == "voted_at" and value is None else value
        if len(keep) < self.n:
            columns = {name: column[keep] for name, column in columns.items()}
        return columns

    def _slow(self, rows: np.ndarray) -> None:
        self.fast &= ~rows

    def _mapped(self, name: str, convert: Callable[[Any], tuple[Any, bool]]) -> np.ndarray:
        """The column converted value by distinct value; rows whose value `convert` cannot
        settle (it returns False) are left to the per-row rules."""
        codes, converted = self._converted(name, convert)
        values = np.empty(len(converted), dtype=object)
        values[:] = converted
        return values[codes]

    def _coded(self, name: str, convert: Callable[[Any], tuple[Any, bool]]) -> _Repeated:
        """`_mapped`'s column as codes into its distinct values (verdicts, languages)."""
        codes, converted = self._converted(name, convert)
        distinct = Coded.of(converted)  # two dictionary values may convert alike
        return _Repeated(distinct.codes[codes], list(distinct.values))

    def _converted(
        self, name: str, convert: Callable[[Any], tuple[Any, bool]]
    ) -> tuple[np.ndarray, list]:
        """(codes [n], values): the column's values converted one distinct value at a time,
        rows `convert` cannot settle left to the per-row rules."""
        column = self.file.columns.get(name)
        if column is not None and pa.types.is_nested(column.type):
            # lists and records have no dictionary: every row is read by row, which names its fault
            self._slow(np.ones(self.n, dtype=bool))
            return np.zeros(self.n, np.int64), [None]
        if column is None:
            value, ok = convert(None)
            if not ok:
                self._slow(np.ones(self.n, dtype=bool))
            return np.zeros(self.n, np.int64), [value]
        encoded = pc.dictionary_encode(column, null_encoding="encode")
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.unify_dictionaries().combine_chunks()
        converted = [convert(value) for value in encoded.dictionary.to_pylist()]
        ok = np.array([ok for _, ok in converted], dtype=bool)
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        self._slow(~ok[codes])
        return codes, [value for value, _ in converted]

    def _text(self, name: str, *, numbers: bool, repeated: bool) -> np.ndarray | _Repeated:
        """A text column as is (None where blank or absent); rows with surrounding space or a
        value of another type are left to the per-row rules. Values that repeat (voters) are
        codes into them (`_Repeated`); others (ids) are made a chunk at a time."""
        out = np.empty(self.n, dtype=object)
        column = self.file.columns.get(name)
        if column is None:
            return _Repeated(np.zeros(self.n, np.int64), [None]) if repeated else out
        text = self.file.strings(name, numbers=numbers)
        given = pc.is_valid(column).to_numpy(zero_copy_only=False)
        readable = pc.is_valid(text).to_numpy(zero_copy_only=False)
        untrimmed = pc.fill_null(
            pc.match_substring_regex(text, f"{_UNTRIMMED}|{NOT_IN_NAMES}"), False
        )
        self._slow((given & ~readable) | untrimmed.to_numpy(zero_copy_only=False))
        blank = pc.fill_null(pc.equal(text, ""), True).to_numpy(zero_copy_only=False)
        if repeated:
            encoded = pc.dictionary_encode(text)
            none = len(encoded.dictionary)  # None last, for null and blank
            codes = pc.fill_null(encoded.indices, none).to_numpy(zero_copy_only=False)
            codes = codes.astype(np.int64)
            codes[blank] = none
            return _Repeated(codes, [*encoded.dictionary.to_pylist(), None])
        else:
            for start in range(0, self.n, ID_CHUNK):
                out[start : start + ID_CHUNK] = text.slice(start, ID_CHUNK).to_pylist()
        out[blank] = None
        return out

    def _tstamp(self) -> np.ndarray:
        """Unix seconds (NaN where absent or blank) of numbers and plain decimal text; other
        values are left to the per-row rules."""
        column = self.file.columns.get("tstamp")
        if column is None:
            return np.full(self.n, np.nan)
        column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        kind = column.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            text = column.cast(pa.string())
            plain = pc.fill_null(pc.match_substring_regex(text, _DECIMAL), False)
            blank = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(text), ""), True)
            plain_np = plain.to_numpy(zero_copy_only=False)
            self._slow(~plain_np & ~blank.to_numpy(zero_copy_only=False))
            numbers = pc.cast(pc.if_else(plain, text, pa.scalar(None, pa.string())), pa.float64())
        elif pa.types.is_integer(kind) or pa.types.is_floating(kind):
            numbers = column.cast(pa.float64(), safe=False)
        else:
            self._slow(pc.is_valid(column).to_numpy(zero_copy_only=False))
            return np.full(self.n, np.nan)
        seconds = pc.fill_null(numbers, np.nan).to_numpy(zero_copy_only=False).astype(np.float64)
        given = pc.is_valid(numbers).to_numpy(zero_copy_only=False)
        in_range = (seconds >= MIN_TSTAMP) & (seconds <= MAX_TSTAMP)
        self._slow(given & ~in_range)
        return seconds


class _Repeated:
    """A column of values that repeat (voters) as codes into them, distinct; a row's value set
    by the per-row rules is added to them if new."""

    def __init__(self, codes: np.ndarray, values: list[str | None]):
        self.codes, self.values = codes, values
        self._index: dict[str | None, int] | None = None

    def __setitem__(self, row: int, value: str | None) -> None:
        if self._index is None:
            self._index = {v: k for k, v in enumerate(self.values)}
        if value not in self._index:
            self._index[value] = len(self.values)
            self.values.append(value)
        self.codes[row] = self._index[value]

    def __getitem__(self, rows: np.ndarray) -> _Repeated:
        return _Repeated(self.codes[rows], self.values)

    def coded(self) -> Coded:
        return Coded(self.codes, tuple(self.values))


def _model(value: Any) -> tuple[Any, bool]:
    return value, (isinstance(value, str) and value.strip() == value and value != ""
                   and not name_fault(value))  # fmt: skip


def _verdict(value: Any) -> tuple[Any, bool]:
    verdict = read_verdict(value) if isinstance(value, str) else None
    return (verdict.value if verdict else None), verdict is not None


def _present(value: Any) -> Any:
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def _language(value: Any) -> tuple[Any, bool]:
    value = _present(value)
    if value is not None and not isinstance(value, str):
        return None, False
    return from_fastchat_language(value), True


def _turns(value: Any) -> tuple[Any, bool]:
    value = _present(value)
    if value is None:
        return 1, True  # no conversation on this path: one turn
    turns = _whole_number(value)
    return turns, turns is not None and 1 <= turns <= MAX_TURNS


def _flag_of(value: Any) -> tuple[Any, bool]:
    value = _present(value)
    if value is None:
        return None, True  # the default, filled in after
    flag = read_flag(value)
    return flag, flag is not None


def _counted(value: Any) -> tuple[Any, bool]:
    """A row the file marks as not counted, or with no flag there, is left to the per-row rules
    (`read_vote`: a bad row)."""
    value = _present(value)
    return None, value is None or read_flag(value) is True


def _battle_ids(given: np.ndarray, battles: ImportedBattles) -> list[str]:
    """The file's question_id, or for rows without one `read_battle_file`'s id: row_ + a hash of
    the battle's fields as JSON (sorted by name) and how many identical battles came before.
    The JSON and hashes are made `ID_CHUNK` rows at a time."""
    missing = np.flatnonzero(given == None)  # noqa: E711
    ids = given.tolist()
    if len(missing) == 0:
        return ids
    occurrence = _occurrences(battles, missing)
    # every distinct model, voter, language and verdict as JSON, once
    models = pa.array([json.dumps(m, ensure_ascii=False) for m in battles.models], pa.string())
    texts = {k: pa.array([json.dumps(v, ensure_ascii=False) for v in column.values], pa.string())
             for k, column in (("judge", battles.judge), ("language", battles.language),
                               ("verdict", battles.verdict))}  # fmt: skip
    sha256 = hashlib.sha256
    for start in range(0, len(missing), ID_CHUNK):
        rows = missing[start : start + ID_CHUNK]
        hashed = pc.binary_join_element_wise(
            "[", _contents(battles, rows, models, texts), "]\0",
            pa.array(occurrence[start : start + ID_CHUNK]).cast(pa.string()), "",
        ).cast(pa.binary())  # fmt: skip
        made = [HASHED_ID_PREFIX + sha256(text).hexdigest()[:32] for text in hashed.to_pylist()]
        if rows[-1] - rows[0] == len(rows) - 1:  # one run of rows: the common case
            ids[rows[0] : rows[-1] + 1] = made
        else:
            for k, made_id in zip(rows.tolist(), made, strict=True):
                ids[k] = made_id
    return ids


def _contents(
    battles: ImportedBattles, rows: np.ndarray, models: pa.Array, texts: dict[str, pa.Array]
) -> pa.Array:
    """The JSON list of each battle's fields, sorted by name, as `read_battle_file` writes it:
    `rows` of `battles`; `models` is each model's name as JSON, `texts` each coded column's
    values (judge, language, verdict) as JSON (None: null)."""

    def flag(values: np.ndarray) -> pa.Array:
        return pc.if_else(pa.array(values[rows]), "true", "false")

    def coded(name: str) -> pa.Array:
        return texts[name].take(pa.array(getattr(battles, name).codes[rows]))

    no_conversation = pa.array(["null"] * len(rows), pa.string())
    parts = [
        flag(battles.anonymous), no_conversation, no_conversation, flag(battles.is_coding),
        flag(battles.is_long_query), flag(battles.is_multi_turn), coded("judge"),
        coded("language"), models.take(pa.array(battles.model_a[rows])),
        models.take(pa.array(battles.model_b[rows])),
        pa.array(battles.turns[rows]).cast(pa.string()), coded("verdict"),
        _float_reprs(battles.voted_at[rows]),
    ]  # fmt: skip
    return pc.binary_join_element_wise(*parts, ", ")


def _float_reprs(values: np.ndarray) -> pa.Array:
    """Each float as JSON writes it (Python's repr; NaN as null). pyarrow writes the same
    shortest digits, but as C++'s to_chars does: in exponent form when that is shorter, and
    whole numbers without ".0"; so its text is taken where it is plain decimals with a point
    and Python writes no exponent (1e-4 <= |x| < 1e16: timestamps), Python's elsewhere."""
    text = pa.array(values).cast(pa.string())
    plain = pc.and_(pc.match_substring(text, "."), pc.invert(pc.match_substring(text, "e")))
    size = np.abs(values)
    other = ~(plain.to_numpy(zero_copy_only=False) & (size >= 1e-4) & (size < 1e16))
    if not other.any():
        return text
    written = ["null" if t != t else repr(t) for t in values[other].tolist()]
    return pc.replace_with_mask(text, pa.array(other), pa.array(written, pa.string()))


def _occurrences(battles: ImportedBattles, rows: np.ndarray) -> np.ndarray:
    """int [len(rows)]: how many identical battles (the same JSON from `_contents`) come before
    each of `rows` among them, found from integer codes of the fields rather than the JSON. The
    JSON of every field is a one-to-one function of its code: text by value (None apart), times
    by their float bits (every NaN written null; -0.0 apart from 0.0, as repr tells them)."""

    def keys() -> Iterator[tuple[np.ndarray, int]]:
        # the time first: mostly in order already, it keeps the mixed numbers nearly sorted
        seconds = battles.voted_at[rows]
        seconds[np.isnan(seconds)] = np.nan  # one bit pattern for every NaN
        yield _dense(seconds.view(np.int64))
        del seconds
        yield battles.judge.codes[rows], len(battles.judge.values)  # distinct values
        yield battles.model_a[rows], len(battles.models)
        yield battles.model_b[rows], len(battles.models)
        yield battles.verdict.codes[rows], len(battles.verdict.values)
        yield battles.language.codes[rows], len(battles.language.values)
        yield _dense(battles.turns[rows])
        flags = ("anonymous", "is_coding", "is_long_query", "is_multi_turn")
        yield sum(getattr(battles, f)[rows].astype(np.int64) << k for k, f in enumerate(flags)), 16

    group, count = _dense(_combined(keys(), len(rows)))
    occurrence = np.zeros(len(rows), dtype=np.int64)
    if count == len(rows):
        return occurrence  # no two alike, the common case
    repeated = np.flatnonzero(np.bincount(group, minlength=count)[group] > 1)
    group = group[repeated]
    order = np.argsort(group, kind="stable")  # file order within a group
    ranked = group[order]
    first = np.r_[True, ranked[1:] != ranked[:-1]]
    # each row's place in the sorted order, less that of its group's first row
    places = np.arange(len(order))
    occurrence[repeated[order]] = places - np.maximum.accumulate(np.where(first, places, 0))
    return occurrence


def _combined(keys: Iterable[tuple[np.ndarray, int]], n: int) -> np.ndarray:
    """int [n], equal for two rows exactly where every key is: keys are (codes [n], how many
    codes), mixed into one number (made dense again when the next would overflow int64) one
    after the other, so that only one is held at a time."""
    group, size = np.zeros(n, dtype=np.int64), 1
    for codes, count in keys:
        if size * count >= 2**63:
            group, size = _dense(group)
        group = group * count + codes
        size *= count
    return group


def _dense(values: np.ndarray) -> tuple[np.ndarray, int]:
    """(codes 0 … k-1 [n], k): integers numbered by value."""
    low, high = (int(values.min()), int(values.max())) if len(values) else (0, 0)
    if high - low < max(len(values), 1 << 16):
        return values.astype(np.int64) - low, high - low + 1
    distinct, codes = np.unique(values, return_inverse=True)  # a sort: fast on nearly sorted
    return codes.reshape(-1).astype(np.int64), len(distinct)


def _numbered(values: Sequence[str | None], index: dict[str | None, int]) -> np.ndarray:
    """int [len(values)]: each value's number in `index` (value -> number), where values not
    yet in it are added, numbered in the order they first come."""
    encoded = pc.dictionary_encode(pa.array(values, pa.string()), null_encoding="encode")
    known = [index.setdefault(v, len(index)) for v in encoded.dictionary.to_pylist()]
    return np.array(known, dtype=np.int64)[encoded.indices.to_numpy(zero_copy_only=False)]


__all__ = ["ImportedBattles", "NOT_TEXT", "read_battle_columns"]
