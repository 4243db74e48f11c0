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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from arena.domain.text import JSON_ESCAPED
from arena.domain.verdicts import read_verdict
from arena.formats.battle_data import (
    CONVERSATIONS,
    HASHED_ID_PREFIX,
    MAX_TSTAMP,
    MAX_TURNS,
    MIN_TSTAMP,
    BattleFileError,
    _fields,
    _flag,
    _whole_number,
    from_fastchat_language,
    read_battle_file,
)
from arena.formats.columns import ColumnFile
from arena.formats.layouts import TURNS_55K
from arena.formats.progress import Progress
from arena.formats.votefile import NOT_TEXT, OnBadRow, read_layout
from arena.ports import ImportedBattles

# Characters Python's str.strip() removes; a value starting or ending with one is read by row.
_SPACE = (
    r"[\s\x0b\x1c-\x1f\x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
)
_UNTRIMMED = f"^{_SPACE}|{_SPACE}$"
_DECIMAL = r"^-?[0-9]{1,20}(\.[0-9]+)?([eE][-+]?[0-9]{1,2})?$"  # read alike by pyarrow and float()
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
    if not _is_columnar(file):
        return ImportedBattles.from_votes(
            read_battle_file(path, on_bad_row=on_bad_row, progress=progress)
        )
    reader = _Columns(file)
    problems = reader.read_slow_rows()
    if reader.repeats_an_id():
        return ImportedBattles.from_votes(
            read_battle_file(path, on_bad_row=on_bad_row, progress=progress)
        )
    if problems:
        unit = file.format.unit
        if on_bad_row is None:
            raise BattleFileError(file.path, problems, unit=unit, skippable=True)
        for line, reason in sorted(problems):
            on_bad_row(line, reason)
    return reader.battles()


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
        self.verdict = self._mapped(verdict_column, _verdict)
        self.judge = self._text("judge" if "judge" in file.columns else "voter", numbers=True)
        self.battle_id = self._text("question_id", numbers=True)
        self.language = self._mapped("language", _language)
        turns = self._mapped("turn", _turns)
        self.voted_at = self._tstamp()
        self.flags = {key: self._mapped(key, _flag_of) for key in (*FLAGS, "is_multi_turn")}
        default = np.where(self.fast, turns, 1).astype(np.int64) > 1
        multi = self.flags["is_multi_turn"]
        self.flags["is_multi_turn"] = np.where(multi == None, default, multi)  # noqa: E711
        for key, (_, value) in FLAGS.items():
            self.flags[key] = np.where(self.flags[key] == None, value, self.flags[key])  # noqa: E711
        self.turns = turns

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
        which line used it first)."""
        ids = [i for i in self.battle_id.tolist() if i is not None]
        return len(set(ids)) < len(ids)

    def battles(self) -> ImportedBattles:
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
        columns = {name: column[keep] for name, column in columns.items()}
        names = list(dict.fromkeys(np.column_stack(
            [columns["model_a"], columns["model_b"]]).ravel().tolist()))  # fmt: skip
        codes = pc.index_in(
            pa.array(np.concatenate([columns["model_a"], columns["model_b"]]), pa.string()),
            value_set=pa.array(names, pa.string()),
        )
        codes = codes.to_numpy(zero_copy_only=False).astype(np.int64)
        voted_at = np.array([np.nan if t is None else t for t in columns["voted_at"].tolist()],
                            dtype=np.float64) if columns["voted_at"].dtype == object else (
            columns["voted_at"].astype(np.float64))  # fmt: skip
        battles = ImportedBattles(
            battle_id=[], models=tuple(names), model_a=codes[: len(keep)],
            model_b=codes[len(keep):], verdict=columns["verdict"].tolist(),
            judge=columns["judge"].tolist(), language=columns["language"].tolist(),
            turns=columns["turns"].astype(np.int64), voted_at=voted_at,
            anonymous=columns["anonymous"].astype(bool),
            is_coding=columns["is_coding"].astype(bool),
            is_long_query=columns["is_long_query"].astype(bool),
            is_multi_turn=columns["is_multi_turn"].astype(bool),
        )  # fmt: skip
        battles.battle_id.extend(_battle_ids(columns["battle_id"], battles))
        return battles

    def _slow(self, rows: np.ndarray) -> None:
        self.fast &= ~rows

    def _mapped(self, name: str, convert: Callable[[Any], tuple[Any, bool]]) -> np.ndarray:
        """The column converted value by distinct value; rows whose value `convert` cannot
        settle (it returns False) are left to the per-row rules."""
        column = self.file.columns.get(name)
        if column is None:
            value, ok = convert(None)
            if not ok:
                self._slow(np.ones(self.n, dtype=bool))
            out = np.empty(self.n, dtype=object)
            out[:] = [value] * self.n
            return out
        encoded = pc.dictionary_encode(column, null_encoding="encode")
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.unify_dictionaries().combine_chunks()
        converted = [convert(value) for value in encoded.dictionary.to_pylist()]
        values = np.empty(len(converted), dtype=object)
        values[:] = [value for value, _ in converted]
        ok = np.array([ok for _, ok in converted], dtype=bool)
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        self._slow(~ok[indices])
        return values[indices]

    def _text(self, name: str, *, numbers: bool) -> np.ndarray:
        """A text column as is (None where blank or absent); rows with surrounding space or a
        value of another type are left to the per-row rules."""
        out = np.empty(self.n, dtype=object)
        column = self.file.columns.get(name)
        if column is None:
            return out
        text = self.file.strings(name, numbers=numbers)
        given = pc.is_valid(column).to_numpy(zero_copy_only=False)
        readable = pc.is_valid(text).to_numpy(zero_copy_only=False)
        untrimmed = pc.fill_null(pc.match_substring_regex(text, _UNTRIMMED), False)
        self._slow((given & ~readable) | untrimmed.to_numpy(zero_copy_only=False))
        blank = pc.fill_null(pc.equal(text, ""), True).to_numpy(zero_copy_only=False)
        out[:] = text.to_pylist()
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


def _model(value: Any) -> tuple[Any, bool]:
    return value, isinstance(value, str) and value.strip() == value and value != ""


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
    flag = _flag(value)
    return flag, flag is not None


def _battle_ids(given: np.ndarray, battles: ImportedBattles) -> list[str]:
    """The file's question_id, or for rows without one `read_battle_file`'s id: row_ + a hash of
    the battle's fields as JSON (sorted by name) and how many identical battles came before."""
    missing = np.flatnonzero(given == None)  # noqa: E711
    ids = given.tolist()
    if len(missing) == 0:
        return ids
    take = pa.array(missing)
    models = pa.array([json.dumps(m, ensure_ascii=False) for m in battles.models], pa.string())

    def flag(values: np.ndarray) -> pa.Array:
        return pa.array(np.where(values[missing], "true", "false").astype(object), pa.string())

    def quoted(values: list) -> pa.Array:
        text = pa.array(values, pa.string()).take(take)
        escaped = pc.fill_null(pc.match_substring_regex(text, JSON_ESCAPED), False)
        joined = pc.binary_join_element_wise('"', text, '"', "")
        if pc.any(escaped).as_py():
            dumped = [json.dumps(v, ensure_ascii=False) for v in text.filter(escaped).to_pylist()]
            joined = pc.replace_with_mask(joined, escaped, pa.array(dumped, pa.string()))
        return pc.fill_null(joined, "null")

    seconds = battles.voted_at[missing]
    parts = [
        flag(battles.anonymous), pa.array(["null"] * len(missing)),
        pa.array(["null"] * len(missing)), flag(battles.is_coding),
        flag(battles.is_long_query), flag(battles.is_multi_turn), quoted(battles.judge),
        quoted(battles.language), models.take(pa.array(battles.model_a[missing])),
        models.take(pa.array(battles.model_b[missing])),
        pa.array(battles.turns[missing]).cast(pa.string()), quoted(battles.verdict),
        pa.array(["null" if t != t else repr(t) for t in seconds.tolist()], pa.string()),
    ]  # fmt: skip
    content = pc.binary_join_element_wise(*parts, ", ")
    groups = pc.dictionary_encode(content).indices.to_numpy(zero_copy_only=False)
    order = np.argsort(groups, kind="stable")
    ranked = groups[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    occurrence = np.empty(len(groups), dtype=np.int64)
    occurrence[order] = np.arange(len(groups)) - np.repeat(starts, np.diff(np.r_[starts,
                                                                            len(groups)]))  # fmt: skip
    hashed = pc.binary_join_element_wise("[", content, "]\0", pa.array(occurrence).cast(
        pa.string()), "").cast(pa.binary())  # fmt: skip
    sha256 = hashlib.sha256
    for k, text in zip(missing.tolist(), hashed.to_pylist(), strict=True):
        ids[k] = HASHED_ID_PREFIX + sha256(text).hexdigest()[:32]
    return ids


__all__ = ["ImportedBattles", "NOT_TEXT", "read_battle_columns"]
