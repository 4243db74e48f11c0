"""The one reader of row files: CSV, TSV, a JSON array or JSON lines, each row with its line.

Column names are matched without regard to case or surrounding space (`Model_A` is `model_a`).
Whatever cannot be read as a row is reported as (line, reason), never raised halfway, so a caller
can add its own per-row problems and report them all at once. Stdlib only.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

LISTED_PROBLEMS = 20  # problems spelled out in an error message; all are in `.problems`
# A required column: one name, or a tuple of names any one of which will do (the first is shown).
Required = Sequence[str | tuple[str, ...]]


class Format(StrEnum):
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"  # one JSON array of objects
    JSONL = "jsonl"  # one JSON object per line

    @property
    def is_table(self) -> bool:
        return self in (Format.CSV, Format.TSV)


@dataclass(frozen=True)
class Row:
    line: int  # the line the row starts on, from 1
    values: dict[str, Any]  # by lower-cased column name; a table row has every header column


@dataclass(frozen=True)
class RowFile:
    """What a file holds: its rows, and (line, reason) for every part that is not a row."""

    path: Path
    format: Format | None  # None when the file is not text at all, or empty
    columns: tuple[str, ...]  # a table's header; for JSON, every key in order of appearance
    rows: tuple[Row, ...]
    problems: tuple[tuple[int, str], ...]

    def check(self, error: type[RowFileError] | None = None) -> RowFile:
        """This file, or `error` (RowFileError by default) if it has problems."""
        if self.problems:
            raise (error or RowFileError)(self.path, self.problems)
        return self


class RowFileError(ValueError):
    """A file that cannot be used; `problems` holds (line, reason) for every bad part, by line."""

    consequence = ""  # what the caller did about it, e.g. ", nothing imported"

    def __init__(self, path: str | Path, problems: Iterable[tuple[int, str]]):
        self.path = Path(path)
        self.problems = tuple(sorted(problems, key=lambda problem: problem[0]))
        listed = [f"  line {line}: {reason}" for line, reason in self.problems[:LISTED_PROBLEMS]]
        if len(self.problems) > LISTED_PROBLEMS:
            listed.append(f"  … and {len(self.problems) - LISTED_PROBLEMS} more")
        super().__init__(
            f"{self.path}: {len(self.problems)} problem(s){self.consequence}\n" + "\n".join(listed)
        )


def rows_from_file(path: str | Path, *, required: Required = ()) -> RowFile:
    """Every row of the file, in file order, and every problem met reading it.

    The format is the name's (.csv, .tsv) or else the content's: `[` a JSON array, `{` JSON lines,
    anything else a table (tab-separated if its first line holds a tab). A table whose header
    lacks a `required` column gives that one problem and no rows.
    """
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return RowFile(path, None, (), (), ((line, "not UTF-8 text"),))
    if skip_space(text, 0) == len(text):
        return RowFile(path, None, (), (), ((1, "the file is empty"),))
    problems: list[tuple[int, str]] = []
    shape = _format(path, text)
    if shape.is_table:
        columns, read = _table_rows(text, shape, required, problems)
    else:
        read = _array_rows(text, problems) if shape is Format.JSON else json_lines(text, problems)
        columns, read = _objects(read, required, problems)
    rows = tuple(Row(line, values) for line, values in read)
    return RowFile(path, shape, columns, rows, tuple(sorted(problems, key=lambda p: p[0])))


def _format(path: Path, text: str) -> Format:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return Format.CSV
    if suffix in (".tsv", ".tab"):
        return Format.TSV
    first = text[skip_space(text, 0)]
    if first == "[":
        return Format.JSON
    if first == "{" or suffix in (".json", ".jsonl", ".ndjson"):
        return Format.JSONL
    return Format.TSV if "\t" in text.lstrip().split("\n", 1)[0] else Format.CSV


def _table_rows(
    text: str, shape: Format, required: Required, problems: list
) -> tuple[tuple[str, ...], list[tuple[int, dict]]]:
    # newline="": only \r and \n end a line, so a U+2028 inside a cell stays in it
    delimiter = "\t" if shape is Format.TSV else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows = []
    end_of_previous = 0
    try:
        for cells in reader:
            start, end_of_previous = end_of_previous + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # blank line
            if header is None:
                header = [_column(cell) for cell in cells]
                reason = _header_problem(header, required)
                if reason:
                    problems.append((start, reason))
                    return tuple(header), []
                continue
            # A short row has no value (None) in its last columns; an empty cell is "".
            padded = cells + [None] * (len(header) - len(cells))
            rows.append((start, {n: v for n, v in zip(header, padded, strict=False) if n}))
    except csv.Error as error:
        problems.append((reader.line_num, f"not a readable {shape.name} table ({error})"))
    return tuple(header or ()), rows


def _header_problem(header: list[str], required: Required) -> str | None:
    named = [name for name in header if name]
    twice = sorted({name for name in named if named.count(name) > 1})
    if twice:
        return f"column(s) {', '.join(twice)} named twice in the header"
    lacking = [_names(need)[0] for need in required if not set(_names(need)) & set(header)]
    return f"header lacks column(s) {', '.join(lacking)}" if lacking else None


def _objects(
    read: list[tuple[int, Any]], required: Required, problems: list
) -> tuple[tuple[str, ...], list[tuple[int, dict]]]:
    """JSON values as rows: objects with their keys lower-cased; anything else is a problem."""
    needs = [_names(need)[0] for need in required]
    shape = "a row must be an object" + (f" with {_listed(needs)}" if needs else "")
    columns: dict[str, None] = {}
    rows = []
    for line, value in read:
        if not isinstance(value, dict):
            problems.append((line, shape))
            continue
        values: dict[str, Any] = {}
        for key, cell in value.items():
            name = _column(key)
            if name in values:
                problems.append((line, f"column {name} given twice (letter case differs)"))
                break
            values[name] = cell
        else:
            columns.update(dict.fromkeys(values))
            rows.append((line, values))
    return tuple(columns), rows


def _array_rows(text: str, problems: list) -> list[tuple[int, Any]]:
    """Elements of the top-level JSON array, each with the line its first character is on."""
    lines = _LineCounter(text)
    decoder = json.JSONDecoder()
    rows = []
    position = skip_space(text, skip_space(text, 0) + 1)  # just past "["
    while not text.startswith("]", position):
        value, end, reason = decode_json(decoder, text, position)
        if reason is not None:
            problems.append((lines.line_of(end), reason))
            return rows
        rows.append((lines.line_of(position), value))
        position = skip_space(text, end)
        if text.startswith(",", position):
            position = skip_space(text, position + 1)
            if text.startswith("]", position):
                problems.append((lines.line_of(position), "a comma before the closing ]"))
        elif not text.startswith("]", position):
            reason = "expected , or ]" if position < len(text) else "the JSON array is not closed"
            problems.append((lines.line_of(position), reason))
            return rows
    position = skip_space(text, position + 1)
    if position < len(text):
        problems.append((lines.line_of(position), "text after the closing ]"))
    return rows


def json_lines(text: str, problems: list[tuple[int, str]]) -> list[tuple[int, Any]]:
    """(line number, value) of every non-blank line of JSON lines; a bad line's reason goes
    into `problems`. Splits on \\n only: JSON text may hold U+2028 or U+0085 inside a string."""
    decoder = json.JSONDecoder()
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        start = skip_space(line, 0)
        if start == len(line):
            continue
        value, end, reason = decode_json(decoder, line, start)
        if reason is None and skip_space(line, end) < len(line):
            reason = "not valid JSON (extra data after the value)"
        if reason is None:
            rows.append((number, value))
        else:
            problems.append((number, reason))
    return rows


def decode_json(decoder: json.JSONDecoder, text: str, position: int) -> tuple[Any, int, str | None]:
    """(value, end, None) for the JSON value at `position`, or (None, where, why not)."""
    try:
        value, end = decoder.raw_decode(text, position)
    except json.JSONDecodeError as error:
        return None, error.pos, f"not valid JSON ({error.msg})"
    except RecursionError:
        return None, position, "not readable JSON (nested too deeply)"
    except ValueError:  # an integer of more digits than Python converts
        return None, position, "not readable JSON (a number with too many digits)"
    return value, end, None


def skip_space(text: str, position: int) -> int:
    """The first position at or after `position` that is not JSON white space."""
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _column(name: str) -> str:
    return name.strip().lower()


def _names(need: str | tuple[str, ...]) -> tuple[str, ...]:
    return (need,) if isinstance(need, str) else need


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class _LineCounter:
    """Line numbers of positions in a text, counting on from the last position asked about, so
    numbering every element of a large array stays linear."""

    def __init__(self, text: str):
        self.text = text
        self.position = 0
        self.line = 1

    def line_of(self, position: int) -> int:
        if position < self.position:
            self.position, self.line = 0, 1
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line


__all__ = ["Format", "Row", "RowFile", "RowFileError", "rows_from_file"]
