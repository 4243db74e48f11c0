"""The one reader of row files, as columns: CSV, TSV, a JSON array, JSON lines and Parquet.

pyarrow reads tables (every cell as text) and Parquet with no Python object per row. JSON is
decoded by the stdlib into columns of Python values: pyarrow's JSON reader takes no top-level
array, refuses a column whose values change type, and names no line. Column names are matched
without regard to case or surrounding space. Each row keeps where it came from (`lines`): its line
in a text file, its row number in Parquet. What cannot be read is reported as (line, reason).
Progress is told as the text is read (bytes of a table, lines of JSON); Parquet is read at once.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Collection, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from arena.domain.text import is_text
from arena.formats.json_text import KeysGivenTwice, json_array, json_lines, skip_space
from arena.formats.progress import PROGRESS_EVERY, Progress

BLOCK_BYTES = 1 << 20  # pyarrow's CSV block; a record longer than one is read with larger ones

# A required column: one name, or a tuple of names any one of which will do (the first is shown).
Required = Sequence[str | tuple[str, ...]]
Column = pa.ChunkedArray | np.ndarray  # pyarrow for tables and Parquet; Python values for JSON
PARQUET_MAGIC = b"PAR1"
HEADER_BYTES = 1 << 20  # a table's header must start and end in its first MiB
_ABSENT = object()  # a key a JSON row does not have (unlike null)


class Format(StrEnum):
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"  # one JSON array of objects
    JSONL = "jsonl"  # one JSON object per line
    PARQUET = "parquet"

    @property
    def is_table(self) -> bool:
        return self in (Format.CSV, Format.TSV)

    @property
    def unit(self) -> str:
        """What a row's place is counted in: a line of text, or a Parquet row."""
        return "row" if self is Format.PARQUET else "line"


class ColumnFile:
    """What a file holds: its columns (lower-cased names, file order) and (line, reason) for
    every part that is not a row. `lines[i]` is where row i starts (a Parquet row's number)."""

    def __init__(self, path: Path, format: Format | None, columns: dict[str, Column],
                 problems: Sequence[tuple[int, str]], lines: Any = (),
                 bad_row_lines: Collection[int] = ()):  # fmt: skip
        self.path = path
        self.format = format
        self.columns = columns
        self.problems = tuple(sorted(problems, key=lambda problem: problem[0]))
        self._lines = lines  # an array, or a function computing it when first asked
        # lines of problems that are one row each, the file around them read (a JSON value
        # that is no object, or repeats a key)
        self.bad_row_lines = frozenset(bad_row_lines)

    def only_bad_rows(self) -> bool:
        """Whether every problem the reader met is one bad row, the rest of the file read, so
        that leaving the rows out (--skip-bad-rows) leaves every other row as the file gave it:
        any problem of a JSON-lines file that has rows, and a JSON value that is no object or
        repeats a key. The one rule of every reader."""
        if self.format is Format.JSONL and len(self) > 0:
            return True
        return all(line in self.bad_row_lines for line, _ in self.problems)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    @property
    def lines(self) -> np.ndarray:
        if callable(self._lines):
            self._lines = self._lines()
        return np.asarray(self._lines, dtype=np.int64)

    def strings(self, name: str, *, numbers: bool = False) -> pa.Array:
        """The column's text values, null where a row has none or a value that is not text (with
        `numbers`, integers count as text); all null for a column the file lacks."""
        column = self.columns.get(name)
        if column is None:
            return pa.nulls(len(self), pa.string())
        if isinstance(column, np.ndarray):
            return pa.array([_text(v, numbers) for v in column.tolist()], pa.string())
        column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            return column.cast(pa.string())
        if numbers and pa.types.is_integer(column.type):
            return column.cast(pa.string())
        return pa.nulls(len(self), pa.string())

    def rows(self, indices: Sequence[int] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
        """(line, values by column) of every row, or of the rows at `indices`; a JSON row has
        only its own keys, a table row has every column (None where a short row has no cell)."""
        picked = np.arange(len(self)) if indices is None else np.asarray(indices, dtype=np.int64)
        values = {name: _values(column, picked) for name, column in self.columns.items()}
        lines = self.lines[picked].tolist() if len(picked) else []
        for k, line in enumerate(lines):
            row = {name: column[k] for name, column in values.items()}
            yield line, {name: v for name, v in row.items() if v is not _ABSENT}


def is_parquet(path: str | Path, head: bytes | None = None) -> bool:
    """Whether the reader takes `path` for Parquet: by its name, or by its magic bytes (`head`,
    the file's first bytes, if already read)."""
    path = Path(path)
    if path.suffix.lower() in (".parquet", ".pq"):
        return True
    if head is None:
        with open(path, "rb") as file:
            head = file.read(len(PARQUET_MAGIC))
    return head.startswith(PARQUET_MAGIC)


def position_word(path: str | Path) -> str:
    """How the reader names a row's place in `path`: "row" (from 1) in Parquet, else "line"."""
    return "row" if is_parquet(path) else "line"


def columns_from_file(
    path: str | Path,
    *,
    required: Required = (),
    progress: Progress | None = None,
    wanted: Collection[str] | None = None,
) -> ColumnFile:
    """Every column of the file (only the `wanted` ones, if given, of a Parquet file or a CSV/TSV
    table: the others are never made), and every problem met reading it.

    The format is the name's (.csv, .tsv, .parquet) or else the content's: Parquet's magic bytes,
    `[` a JSON array, `{` JSON lines, anything else a table (tab-separated if its first line holds
    a tab). A table whose header lacks a `required` column gives that one problem and no rows.
    `progress` is told (done, total) as a table's bytes are parsed (from pyarrow's reading
    thread, while this one waits) or as a JSON text's lines are decoded and made into columns.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if is_parquet(path):
        return _parquet(path, required, wanted)
    if suffix in (".csv", ".tsv", ".tab") and _has_text(path):  # pyarrow checks the UTF-8
        shape = Format.CSV if suffix == ".csv" else Format.TSV
        return _table(path, shape, required, progress, wanted)  # read as it is parsed
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _empty(path, None, _line_of_byte(raw, error.start), _not_text(raw))
    if skip_space(text, 0) == len(text):
        return _empty(path, None, 1, "the file is empty")
    shape = _format(path, text)
    if shape.is_table:
        del text, raw  # the table is read from the file
        return _table(path, shape, required, progress, wanted)
    problems: list[tuple[int, str]] = []
    # Decoding and making columns cost about the same: each pass is told as half of the lines.
    lines = text.count("\n") + 1 if progress is not None else 0
    decoded = None if progress is None else (lambda line, _: progress(line, 2 * lines))
    read = (json_array if shape is Format.JSON else json_lines)(text, problems, decoded)
    if not read and not problems:
        return _empty(path, shape, 1, "an empty JSON array: no rows")
    gathered = None if progress is None else (lambda line: progress(lines + line, 2 * lines))
    file = _objects(path, shape, read, required, problems, gathered)
    if progress is not None:
        progress(2 * lines, 2 * lines)
    return file


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


def _empty(path: Path, shape: Format | None, line: int, reason: str) -> ColumnFile:
    return ColumnFile(path, shape, {}, [(line, reason)])


# -- Parquet ---------------------------------------------------------------------------------


def _parquet(path: Path, required: Required, wanted: Collection[str] | None) -> ColumnFile:
    try:
        names = None
        if wanted is not None:
            names = [name for name in pq.read_schema(path).names if _column(name) in wanted]
        table = pq.read_table(path, columns=names)
    except (pa.ArrowException, OSError) as error:
        return _empty(path, Format.PARQUET, 1, f"not a readable Parquet file ({error})")
    header = [_column(name) for name in table.column_names]
    reason = _header_problem(header, required)
    if reason:
        return _empty(path, Format.PARQUET, 1, reason)
    columns = {name: _decoded(table.column(k)) for k, name in enumerate(header) if name}
    return ColumnFile(path, Format.PARQUET, columns, [], np.arange(1, table.num_rows + 1))


def _decoded(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A dictionary-encoded column (pandas writes its `category` so) as its values' own type:
    every reader then sees plain text or numbers."""
    if pa.types.is_dictionary(column.type):
        return column.cast(column.type.value_type)
    return column


# -- CSV and TSV -----------------------------------------------------------------------------


def _has_text(path: Path) -> bool:
    """Whether the file holds anything but white space (read a block at a time)."""
    with open(path, "rb") as file:
        while block := file.read(HEADER_BYTES):
            if block.strip():
                return True
    return False


def _table(path: Path, shape: Format, required: Required, progress: Progress | None = None,
           wanted: Collection[str] | None = None) -> ColumnFile:  # fmt: skip
    """A CSV/TSV table read from the file as pyarrow parses it (the bytes are never all held);
    with `wanted`, only those columns are made. Every column is read again only when needed:
    to tell whether a row blank in the wanted ones is blank, and for records' line numbers."""
    delimiter = "\t" if shape is Format.TSV else ","
    with open(path, "rb") as file:
        head = file.read(HEADER_BYTES)
    try:
        header, header_line = _header(head, delimiter)
    except UnicodeDecodeError as error:
        return _empty(path, None, _line_of_byte(head, error.start), _not_text(head))
    if header is None:
        return _empty(path, shape, header_line, f"not a readable {shape.name} table (no header)")
    header = [_column(cell) for cell in header]
    reason = _header_problem(header, required)
    if reason and len(header) == 1 and any(mark in header[0] for mark in ";|"):
        reason += (f" (the header is one column, {header[0]!r}: separate the columns with "
                   "commas, or with tabs in a .tsv file)")  # fmt: skip
    if reason:
        return _empty(path, shape, header_line, reason)
    read = None if wanted is None else [k for k, name in enumerate(header) if name in wanted]
    try:
        table, long, quotes = _records(path, delimiter, len(header), progress, read)
    except pa.ArrowInvalid as error:
        if "UTF8" in str(error):
            raw = path.read_bytes()
            return _empty(path, None, _line_of_byte(raw, _first_bad_byte(raw)), _not_text(raw))
        return _empty(path, shape, header_line, f"not a readable {shape.name} table ({error})")
    unclosed = _unclosed_quote(path, delimiter, quotes)
    if unclosed is not None:
        return _empty(path, shape, unclosed, "a quote opened on this line is never closed: the "
                      "rest of the file would be one cell")  # fmt: skip
    blank = _blank_rows(table)
    if read is not None and blank[int(np.argmin(blank)) + 1 :].any():
        blank = _blank_rows(_records(path, delimiter, len(header))[0])  # blank in every column?
    first = int(np.argmin(blank))  # the header's record
    keep = np.flatnonzero(~blank)
    keep = keep[keep > first]

    def record_lines() -> np.ndarray:  # only when asked for: most files are read without one
        every = table if read is None else _records(path, delimiter, len(header))[0]
        return _record_lines(path.read_bytes(), _embedded_breaks(every))

    # a record with more cells than the header is a bad row (an unquoted comma in a name), not
    # its first cells
    long = {record: cells for record, cells in long.items() if record > first}
    problems = []
    if long:
        at = record_lines()
        problems = [(int(at[record]), f"{cells} cells where the header has {len(header)}")
                    for record, cells in long.items()]  # fmt: skip
        keep = keep[~np.isin(keep, list(long))]

    def lines() -> np.ndarray:
        return record_lines()[keep]

    if len(keep) == 0 and not problems:
        return _empty(path, shape, header_line, "a header and no rows after it")

    contiguous = len(keep) == 0 or keep[-1] - keep[0] == len(keep) - 1
    data = table.slice(int(keep[0]), len(keep)) if len(keep) and contiguous else table.take(keep)
    columns = {name: data.column(f"c{k}") for k, name in enumerate(header)
               if name and (read is None or k in read)}  # fmt: skip
    return ColumnFile(path, shape, columns, problems, lines, [line for line, _ in problems])


def _unclosed_quote(path: Path, delimiter: str, quotes: int) -> int | None:
    """The line of a quoted cell the file never closes (pyarrow reads the rest of the file into
    it, every row after it lost), or None. Told by the count of the file's `quotes` first (as
    pyarrow read it): even in a file whose quoted cells all close (two each, and a quote inside
    one written twice); only an odd count is read again, by Python's csv reader, which says
    where the last record began."""
    if quotes % 2 == 0:
        return None
    with open(path, encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        start = 1
        try:
            for _ in reader:
                start = reader.line_num + 1
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                return start
    return None


def _records(path: Path, delimiter: str, width: int, progress: Progress | None = None,
             read: list[int] | None = None) -> tuple[pa.Table, dict[int, int], int]:  # fmt: skip
    """Every record in file order, empty lines left out: the valid rows and the rows of another
    number of cells (numbered by pyarrow when there are any), short ones padded with nulls; of
    the `read` columns only, if given. And {record: its cells} of the records with more cells
    than `width`, one past it not blank (the record's first `width` are in the table); and the
    quote characters in the file."""
    table, invalid, quotes = _read_csv(path, delimiter, width, progress, read)
    if not invalid:
        return table, {}, quotes
    number = np.arange(1, table.num_rows + len(invalid) + 1)
    is_invalid = np.isin(number, [n for n, _ in invalid])
    parsed = [_cells(t, delimiter) for _, t in invalid]
    cells = list(zip(*((c + [None] * width)[:width] for c in parsed), strict=True))
    if read is not None:
        cells = [cells[k] for k in read]
    extra = pa.table([pa.array(c, pa.string()) for c in cells], names=table.column_names)
    order = np.empty(len(number), dtype=np.int64)
    order[~is_invalid] = np.arange(table.num_rows)
    order[is_invalid] = table.num_rows + np.arange(len(invalid))
    long = {int(at): len(c) for at, c in zip(np.flatnonzero(is_invalid).tolist(), parsed,
                                             strict=True)
            if len(c) > width and any(cell.strip() for cell in c[width:])}  # fmt: skip
    return pa.concat_tables([table, extra]).take(order), long, quotes


def _header(raw: bytes, delimiter: str) -> tuple[list[str] | None, int]:
    """The first row with a non-blank cell, and the line it starts on."""
    prefix = codecs.getincrementaldecoder("utf-8-sig")().decode(raw[:HEADER_BYTES])
    reader = csv.reader(io.StringIO(prefix, newline=""), delimiter=delimiter)
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                return cells, start
    except csv.Error:
        pass
    return None, end + 1


def _read_csv(path: Path, delimiter: str, width: int, progress: Progress | None = None,
              read: list[int] | None = None) -> tuple[pa.Table, list[tuple[int, str]], int]:  # fmt: skip
    """Every record of `width` cells as text columns c0… (only the `read` ones, if given);
    (record number, text) of the others, read again on one thread when there are any, so that
    pyarrow numbers them; and the quote characters in the file, counted as pyarrow reads it.
    `progress` is told the bytes pyarrow has taken, block by block, as it parses them."""
    names = [f"c{k}" for k in range(width)]
    included = names if read is None else [names[k] for k in read]
    size = path.stat().st_size
    block = BLOCK_BYTES
    threads = True
    while True:
        invalid: list[tuple[int, str]] = []

        def keep_aside(row, invalid=invalid) -> str:
            invalid.append((row.number, row.text))
            return "skip"

        try:
            with open(path, "rb") as file:
                reading = _Reading(file, size, progress)
                table = pa_csv.read_csv(
                    reading,
                    read_options=pa_csv.ReadOptions(column_names=names, use_threads=threads,
                                                    block_size=block),
                    parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                                      invalid_row_handler=keep_aside),
                    convert_options=pa_csv.ConvertOptions(
                        column_types=dict.fromkeys(included, pa.string()),
                        include_columns=included, strings_can_be_null=False,
                        quoted_strings_can_be_null=False),
                )  # fmt: skip
        except pa.ArrowInvalid as error:
            # a record longer than a block (a pasted document in one cell): larger blocks
            if "straddl" not in str(error) or block > size:
                raise
            block *= 8
            continue
        if not invalid or threads is False:
            return table, invalid, reading.quotes
        threads = False


class _Reading(io.RawIOBase):
    """An open file counting the quote characters it hands pyarrow (one pass for the table and
    `_unclosed_quote`) and telling `progress`, if given, (bytes read, `size`) at every read:
    pyarrow reads a table in blocks of a MiB as it parses, so a read is a batch, never a row."""

    def __init__(self, file: BinaryIO, size: int, progress: Progress | None):
        self.file = file
        self.size = size
        self.position = 0
        self.progress = progress
        self.quotes = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        block = self.file.read(-1 if size is None else size)
        if block:  # pyarrow reads once more at the end, to find nothing
            self.position += len(block)
            self.quotes += block.count(b'"')
            if self.progress is not None:
                self.progress(min(self.position, self.size), self.size)
        return block

    def readinto(self, buffer) -> int:
        block = self.read(len(buffer))
        buffer[: len(block)] = block
        return len(block)


def _cells(text: str, delimiter: str) -> list[str]:
    """The cells of one record pyarrow set aside (a blank one: no cell)."""
    cells = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    return cells if any(c.strip() for c in cells) else []


def _blank_rows(table: pa.Table) -> np.ndarray:
    blank = np.ones(table.num_rows, dtype=bool)
    for column in table.columns:
        trimmed = pc.utf8_trim_whitespace(column)
        blank &= pc.fill_null(pc.equal(trimmed, ""), True).to_numpy(zero_copy_only=False)
    return blank


def _embedded_breaks(table: pa.Table) -> np.ndarray:
    """Line breaks inside each record's cells (\\r\\n, \\r or \\n), so its next record's line."""
    total = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        counts = [pc.count_substring(column, s) for s in ("\n", "\r", "\r\n")]
        counts = [pc.fill_null(c, 0).to_numpy(zero_copy_only=False) for c in counts]
        total += counts[0] + counts[1] - counts[2]
    return total


def _record_lines(raw: bytes, embedded: np.ndarray) -> np.ndarray:
    """The line each record starts on, given the line breaks inside each; pyarrow skips empty
    lines between records."""
    data = np.frombuffer(raw, dtype=np.uint8)
    newline, carriage = data == 10, data == 13
    breaks = np.flatnonzero(newline | (carriage & ~np.append(newline[1:], False)))
    starts = np.concatenate(([0], breaks + 1))[: len(breaks)]
    lengths = breaks - starts
    empty = (lengths == 0) | ((lengths == 1) & carriage[starts] & newline[breaks])
    empty_lines = np.flatnonzero(empty) + 1
    if len(empty_lines) == 0:
        return 1 + np.concatenate(([0], np.cumsum(1 + embedded)[:-1])).astype(np.int64)
    empty_set = set(empty_lines.tolist())
    lines, line = [], 1
    for inside in embedded.tolist():
        while line in empty_set:
            line += 1
        lines.append(line)
        line += 1 + inside
    return np.asarray(lines, dtype=np.int64)


def _first_bad_byte(raw: bytes) -> int:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return 0


# The first bytes of files people give for a table that are none: what to do instead.
_PACKED = {b"\x1f\x8b": "a gzip-compressed file: decompress it first (gunzip)",
           b"PK\x03\x04": "a ZIP archive (an Excel workbook is one): unpack it, or save the "
                           "sheet as CSV"}  # fmt: skip


def _not_text(head: bytes) -> str:
    """Why bytes that are not UTF-8 cannot be read, said as helpfully as their start allows."""
    return next((why for magic, why in _PACKED.items() if head.startswith(magic)),
                "not UTF-8 text")  # fmt: skip


def _line_of_byte(raw: bytes, position: int) -> int:
    return raw.count(b"\n", 0, position) + 1


# -- JSON --------------------------------------------------------------------------------------


def _objects(path: Path, shape: Format, read: list[tuple[int, Any]], required: Required,
             problems: list, progress: Callable[[int], None] | None = None) -> ColumnFile:  # fmt: skip
    """JSON values as rows: objects with their keys lower-cased; anything else is a problem.
    `progress` is told the line reached every PROGRESS_EVERY values."""
    needs = [_names(need)[0] for need in required]
    expected = "a row must be an object" + (f" with {_listed(needs)}" if needs else "")
    names: dict[str, None] = {}
    rows, lines, bad_rows = [], [], []
    for k, (line, value) in enumerate(read, start=1):
        if progress is not None and k % PROGRESS_EVERY == 0:
            progress(line)
        if not isinstance(value, dict):
            problems.append((line, expected))
            bad_rows.append(line)
            continue
        if isinstance(value, KeysGivenTwice):
            problems.append((line, f"column {_column(value.twice)} given twice"))
            bad_rows.append(line)
            continue
        values: dict[str, Any] = {}
        for key, cell in value.items():
            name = _column(key)
            if name in values:
                problems.append((line, f"column {name} given twice (letter case differs)"))
                bad_rows.append(line)
                break
            values[name] = cell
        else:
            names.update(dict.fromkeys(values))
            rows.append(values)
            lines.append(line)
    columns = {}
    for name in names:
        column = np.empty(len(rows), dtype=object)
        column[:] = [row.get(name, _ABSENT) for row in rows]
        columns[name] = column
    return ColumnFile(path, shape, columns, problems, np.asarray(lines, dtype=np.int64), bad_rows)


# -- shared --------------------------------------------------------------------------------------


def _header_problem(header: list[str], required: Required) -> str | None:
    named = [name for name in header if name]
    twice = sorted({name for name in named if named.count(name) > 1})
    if twice:
        return f"column(s) {', '.join(twice)} named twice in the header"
    lacking = [_names(need)[0] for need in required if not set(_names(need)) & set(header)]
    return f"header lacks column(s) {', '.join(lacking)}" if lacking else None


def _values(column: Column, picked: np.ndarray) -> list:
    if isinstance(column, np.ndarray):
        return column[picked].tolist()
    return column.take(pa.array(picked, pa.int64())).to_pylist()


def _text(value: Any, numbers: bool) -> str | None:
    if isinstance(value, str):
        return value if is_text(value) else None  # a lone surrogate: the row checks name it
    if numbers and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _column(name: str) -> str:
    return name.strip().lower()


def _names(need: str | tuple[str, ...]) -> tuple[str, ...]:
    return (need,) if isinstance(need, str) else need


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


__all__ = ["Column", "ColumnFile", "Format", "Required", "columns_from_file"]
