"""Vote files: the columns every vote file shares, from the one reader (`arena.formats.columns`).

Columns (any letter case): model_a, model_b, the verdict as `winner` (FastChat's `model_a`,
`model_b`, `tie`, `tie (bothbad)`) or `verdict` (our words; either column takes either spelling)
or LMArena's 0/1 columns (`arena.formats.layouts`), and optionally the voter as `voter` or
`judge`; other columns are ignored. Every bad row is reported at once, with its line, or skipped
and handed to `on_bad_row`. `read_vote_columns` checks whole columns (no Python object per row)
and asks `read_vote` only why the bad rows are bad; battle files read the same columns.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from arena.domain.text import NOT_IN_NAMES, is_text, json_type, name_fault, shown
from arena.domain.verdicts import FILE_WORDS, read_verdict
from arena.formats.columns import ColumnFile, _column, columns_from_file, is_parquet
from arena.formats.layouts import ALIASES, WINNER_FLAGS, to_vote_layout
from arena.formats.progress import Progress
from arena.formats.rows import RowFileError
from arena.rankings import VERDICTS, VoteColumns

VERDICT_COLUMNS = ("winner", "verdict")  # either will do; given both, they must agree
# a table's header must name these (the verdict as winner, verdict or LMArena's 0/1 columns)
VOTE_COLUMNS = ("model_a", "model_b", (*VERDICT_COLUMNS, WINNER_FLAGS[0]))
# Called with (line, reason) for each bad row skipped; without one, a bad row rejects the file.
OnBadRow = Callable[[int, str], None]
VOTER_COLUMNS = ("voter", "judge")  # the first one with a value
# all we use (a battle's id under each layout's name: a repeated one is a bad row)
# A row whose `anony` is false is a named battle: stored, never rated. One whose `counted` is
# false (a file of export-votes, which holds every battle) is a bad row: the file says it does
# not count, and no reader can keep why.
FLAG_COLUMNS = ("anony", "counted")
VOTE_READ = {"model_a", "model_b", *VERDICT_COLUMNS, *WINNER_FLAGS, *VOTER_COLUMNS, "question_id",
             *FLAG_COLUMNS, "reason",
             *(theirs for theirs, ours in ALIASES.items()
               if ours in ("question_id", *FLAG_COLUMNS))}  # fmt: skip
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})
NOT_TEXT = "{} is not valid Unicode text (it holds a lone surrogate)"


@dataclass(frozen=True)
class VoteRecord:
    """One vote from a file; verdict is one of our four verdict words."""

    model_a: str
    model_b: str
    verdict: str
    voter: str | None = None


class VoteFileError(RowFileError):
    """A vote file that cannot be read; `problems` holds (line, reason) for every bad row."""


def read_vote_file(path: str | Path) -> list[VoteRecord]:
    """All votes in the file, in file order; raises VoteFileError listing every bad row."""
    file = read_layout(path, wanted=VOTE_READ)
    problems = list(file.problems)
    records = []
    for line, values in file.rows():
        record, reasons = read_vote(values)
        if reasons:
            problems.append((line, "; ".join(reasons)))
        else:
            records.append(record)
    if problems:
        raise VoteFileError(file.path, problems, unit=_unit(file), skippable=False)
    return records


def read_layout(
    path: str | Path, progress: Progress | None = None, wanted: Collection[str] | None = None
) -> ColumnFile:
    """The file's columns under FastChat's names, whatever public layout it is in; `progress`
    and `wanted` as in `columns_from_file`."""
    return to_vote_layout(columns_from_file(path, required=VOTE_COLUMNS, progress=progress,
                                            wanted=wanted))  # fmt: skip


def read_vote_columns(
    path: str | Path, *, on_bad_row: OnBadRow | None = None, progress: Progress | None = None
) -> VoteColumns:
    """Votes from a CSV/TSV/JSON/JSONL/Parquet file in any public layout, checked and numbered
    column by column. VoteFileError lists every bad row, unless `on_bad_row` takes them.
    `progress` is told (done, total) as the file is read (`columns_from_file`)."""
    file = read_layout(path, progress, _columns_to_read(path))
    n = len(file)
    # models as codes into one list of trimmed names (-1: none); text is handled per distinct value
    names: dict[str, int] = {}
    model_a, model_b = (_name_codes(file.strings(c), names) for c in ("model_a", "model_b"))
    good = (model_a >= 0) & (model_b >= 0) & (model_a != model_b)
    verdict = np.full(n, -1, dtype=np.int8)
    for column in VERDICT_COLUMNS:
        if column in file.columns:
            code, given = _verdict_codes(file, column)
            good &= ~given | (code >= 0)
            good &= (verdict < 0) | ~given | (code == verdict)  # both given: they agree
            verdict = np.where(verdict < 0, code, verdict)
    good &= verdict >= 0
    _, voter_good = _voters(file)  # checked, not kept: rankings from a file never need voters
    good &= voter_good
    ids = _id_problems(file)
    anony, counted = (_flag_codes(file, column) for column in FLAG_COLUMNS)
    good &= (counted != 0) & (counted != -2)  # read_vote says why
    ids |= {int(row): f"anony must be true or false, not {shown(value)}" for row, value in
            zip(np.flatnonzero(anony == -2).tolist(), _raw(file, "anony", anony == -2),
                strict=True)}  # fmt: skip
    good[list(ids)] = False
    _report_bad_rows(file, np.flatnonzero(~good), on_bad_row, ids)
    good &= anony != 0  # a named battle: not bad, not rated (stored, were it imported)
    model_a, model_b = model_a[good], model_b[good]
    # number the models as they are first met, a1 b1 a2 b2 …: the order votes were cast in
    sides = np.empty(2 * len(model_a), dtype=np.int64)
    sides[0::2], sides[1::2] = model_a, model_b
    order = pc.dictionary_encode(pa.array(sides)).dictionary.to_numpy()  # as first met
    renumber = np.zeros(len(names), dtype=np.int32)
    renumber[order] = np.arange(len(order), dtype=np.int32)
    listed = list(names)
    count = len(model_a)
    return VoteColumns(
        models=tuple(listed[k] for k in order), model_a=renumber[model_a],
        model_b=renumber[model_b], verdict=verdict[good], voter=None,
        language=np.broadcast_to(np.array("other", dtype=object), count),  # one, not n
        is_coding=np.zeros(count, bool), is_long_query=np.zeros(count, bool),
        is_multi_turn=np.zeros(count, bool), has_categories=False,
    )  # fmt: skip


def _columns_to_read(path: str | Path) -> set[str]:
    """VOTE_READ, less the voter columns that can only hold text, so there is next to nothing
    to check (and they are the widest columns): a CSV/TSV table's (its cells are text pyarrow
    decoded as UTF-8; a JSON file is read whole whatever is wanted, and its voters checked) and
    a Parquet file's typed as text or integers. A NUL or a line break in such a voter is left
    unread: rankings keep no voter, and import-battles, which does, refuses it."""
    if not is_parquet(path):
        return VOTE_READ - set(VOTER_COLUMNS)
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError):
        return VOTE_READ  # the reader says what is wrong with the file
    typed = {_column(f.name) for f in schema if pa.types.is_string(f.type)
             or pa.types.is_large_string(f.type) or pa.types.is_integer(f.type)}  # fmt: skip
    return VOTE_READ - (typed & set(VOTER_COLUMNS))


def _name_codes(text: pa.Array, names: dict[str, int]) -> np.ndarray:
    """int64 [n]: each row's trimmed text as a code into `names` (added to as new names come),
    -1 for none or blank. Trimmed once per distinct value: a column holds few."""
    encoded = pc.dictionary_encode(text)
    trimmed = pc.utf8_trim_whitespace(encoded.dictionary).to_pylist()
    code_of = np.array([names.setdefault(t, len(names)) if t and not name_fault(t) else -1
                        for t in trimmed] + [-1])  # fmt: skip
    index = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    return code_of[index]


def _verdict_codes(file: ColumnFile, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Each row's verdict code into VERDICTS (-1 where unknown), and whether the row gives one."""
    encoded = pc.dictionary_encode(file.strings(column))  # few distinct words: work on those
    words = pc.utf8_lower(pc.utf8_trim_whitespace(encoded.dictionary))
    word = pc.fill_null(pc.index_in(words, value_set=pa.array(FILE_WORDS)), -1).to_numpy(
        zero_copy_only=False
    )
    code_of_word = np.array([VERDICTS.index(read_verdict(w).value) for w in FILE_WORDS] + [-1])
    code_of_value = np.append(code_of_word[word], -1)
    index = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    return code_of_value[index].astype(np.int8), _present(file, column)


def _voters(file: ColumnFile) -> tuple[pa.Array | None, np.ndarray]:
    """Each row's voter (the first of voter, judge with a value; null for none), and which rows'
    voters are usable."""
    good = np.ones(len(file), dtype=bool)
    voter = None
    for column in VOTER_COLUMNS:
        if column not in file.columns:
            continue
        text = pc.utf8_trim_whitespace(file.strings(column, numbers=True))
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        given = _present(file, column) & ~(pc.is_null(text).to_numpy(zero_copy_only=False) &
                                           _blank_text(file, column))  # fmt: skip
        readable = pc.is_valid(text).to_numpy(zero_copy_only=False) & ~_not_names(text)
        if voter is None:
            good &= ~given | readable
            voter = text
        else:
            use = pc.is_null(voter).to_numpy(zero_copy_only=False)
            good &= ~(use & given) | readable
            voter = pc.if_else(pa.array(use), text, voter)
    return voter, good


def _present(file: ColumnFile, column: str) -> np.ndarray:
    """Rows with a value (not null, not missing) in the column."""
    values = file.columns[column]
    if isinstance(values, np.ndarray):
        return np.array([v is not None and isinstance(v, str | int | float | bool | list | dict)
                         for v in values.tolist()], dtype=bool)  # fmt: skip
    return pc.is_valid(values).to_numpy(zero_copy_only=False)


def _blank_text(file: ColumnFile, column: str) -> np.ndarray:
    text = pc.utf8_trim_whitespace(file.strings(column))
    return pc.fill_null(pc.equal(text, ""), False).to_numpy(zero_copy_only=False)


def _id_problems(file: ColumnFile) -> dict[int, str]:
    """{row: reason} of the rows whose question_id cannot be an id or repeats an earlier row's, as
    `read_battle_file` says it (a battle is known by its id: import-battles refused them as bad
    rows, and ratings --from-file counted them again)."""
    if "question_id" not in file.columns:
        return {}
    ids = pc.utf8_trim_whitespace(file.strings("question_id", numbers=True))
    nul = _not_names(ids)
    problems = {int(row): f"question_id {name_fault(ids[int(row)].as_py())}"
                for row in np.flatnonzero(nul)}  # fmt: skip
    encoded = pc.dictionary_encode(pc.if_else(pc.or_(pc.equal(ids, ""), pa.array(nul)), None, ids))
    code = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(code >= 0)
    first = np.full(len(encoded.dictionary), -1, dtype=np.int64)
    _, at = np.unique(code[rows], return_index=True)
    first[code[rows[at]]] = rows[at]
    again = rows[first[code[rows]] != rows]
    if not len(again):
        return problems
    words, lines, unit = encoded.dictionary.to_pylist(), file.lines, _unit(file)
    return problems | {int(row): f"question_id {words[code[row]]!r} already used on {unit} "
                                 f"{lines[first[code[row]]]}" for row in again}  # fmt: skip


def _not_names(text: pa.Array) -> np.ndarray:
    """Which values cannot be a name, a judge or an id (`name_fault`)."""
    return pc.fill_null(pc.match_substring_regex(text, NOT_IN_NAMES), False).to_numpy(
        zero_copy_only=False
    )


def _report_bad_rows(file: ColumnFile, bad: np.ndarray, on_bad_row: OnBadRow | None,
                     more: dict[int, str] | None = None) -> None:  # fmt: skip
    problems = list(file.problems)
    for row, (line, values) in zip(bad.tolist(), file.rows(bad), strict=True):
        _, reasons = read_vote(values)
        reasons += [more[row]] if more and row in more else []
        problems.append((line, "; ".join(reasons) or "not a vote"))
    if not problems:
        return
    skippable = file.only_bad_rows()
    if on_bad_row is None or not skippable:
        raise VoteFileError(file.path, problems, unit=_unit(file), skippable=skippable)
    for line, reason in sorted(problems):
        on_bad_row(line, reason)


def _unit(file: ColumnFile) -> str:
    return file.format.unit if file.format is not None else "line"


def read_vote(values: Mapping[str, Any]) -> tuple[VoteRecord | None, list[str]]:
    """The vote in one row (columns lower-cased) and no reasons, or None and every reason the row
    is not a vote. A missing or null value is a missing column."""
    reasons: list[str] = []
    models = [_model(values.get(column), column, reasons) for column in ("model_a", "model_b")]
    if models[0] and models[0] == models[1]:
        reasons.append(f"same model {shown(models[0])} on both sides")
    verdict = _verdict(values, reasons)
    voter = _voter(values, reasons)
    counted = values.get("counted")
    if not _blank(counted) and read_flag(counted) is None:
        reasons.append(f"counted must be true or false, not {shown(counted)}")
    elif not _blank(counted) and not read_flag(counted):
        reasons.append(f"counted is false (reason {shown(values.get('reason'))}): the file says "
                       "this vote does not count")  # fmt: skip
    if reasons:
        return None, reasons
    return VoteRecord(models[0], models[1], verdict, voter), []


def _model(value: Any, column: str, reasons: list[str]) -> str:
    if value is None:
        reasons.append(f"missing column {column}")
    elif not isinstance(value, str):
        reasons.append(f"{column} must be a string, not {json_type(value)}")
    elif not value.strip():
        reasons.append(f"empty {column}")
    elif not is_text(value):
        reasons.append(NOT_TEXT.format(column))
    elif fault := name_fault(value.strip()):
        reasons.append(f"{column} {fault}")
    else:
        return value.strip()
    return ""


def _verdict(values: Mapping[str, Any], reasons: list[str]) -> str | None:
    given = [(c, values[c]) for c in VERDICT_COLUMNS if values.get(c) is not None]
    if not given:
        reasons.append("missing column winner")
        return None
    verdicts = []
    for column, word in given:
        if isinstance(word, str) and not word.strip():
            reasons.append(f"empty {column}")
            return None
        verdict = read_verdict(word) if isinstance(word, str) else None
        if verdict is None:
            expected = ", ".join(FILE_WORDS)
            reasons.append(f"unknown {column} {shown(word)} (expected one of {expected})")
            return None
        verdicts.append(verdict)
    if len(set(verdicts)) > 1:
        (first, a), (second, b) = given
        reasons.append(f"{first} {shown(a)} and {second} {shown(b)} disagree")
        return None
    return verdicts[0].value


def _voter(values: Mapping[str, Any], reasons: list[str]) -> str | None:
    column, voter = next(
        ((c, values[c]) for c in VOTER_COLUMNS if not _blank(values.get(c))), (None, None)
    )
    if voter is None:
        return None
    if not isinstance(voter, str | int) or isinstance(voter, bool):
        reasons.append(f"{column} must be a string, not {json_type(voter)}")
    elif isinstance(voter, str) and not is_text(voter):
        reasons.append(NOT_TEXT.format(column))
    elif isinstance(voter, str) and (fault := name_fault(voter.strip())):
        reasons.append(f"{column} {fault}")
    return str(voter).strip()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_flag(value: Any) -> bool | None:
    """A flag's value (true/false, 1/0, yes/no in any case), or None if it is none of them."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        return True if word in _TRUE else False if word in _FALSE else None
    return None


def _flag_codes(file: ColumnFile, column: str) -> np.ndarray:
    """int8 [n]: each row's flag in `column`, 1 true, 0 false, -1 none given, -2 not a flag;
    read once per distinct value."""
    values = file.columns.get(column)
    if values is None:
        return np.full(len(file), -1, dtype=np.int8)
    if isinstance(values, np.ndarray):
        return np.array([_flag_code(v) for v in values.tolist()], dtype=np.int8)
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    encoded = pc.dictionary_encode(values)
    codes = np.array([_flag_code(v) for v in encoded.dictionary.to_pylist()] + [-1], np.int8)
    return codes[pc.fill_null(encoded.indices, len(encoded.dictionary)).to_numpy(
        zero_copy_only=False)]  # fmt: skip


def _raw(file: ColumnFile, column: str, rows: np.ndarray) -> list:
    """The column's values at `rows` (a mask) as the file gives them."""
    picked = np.flatnonzero(rows)
    return [values.get(column) for _, values in file.rows(picked)] if len(picked) else []


def _flag_code(value: Any) -> int:
    if _blank(value) or not isinstance(value, str | int | float | bool | list | dict):
        return -1  # none given (a JSON row without the key holds a marker of its own)
    flag = read_flag(value)
    return -2 if flag is None else int(flag)
