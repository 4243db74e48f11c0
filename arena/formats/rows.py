"""Row files as Python rows, each with its line: the view of `columns` that per-row checks use.

One reader underneath (`arena.formats.columns`: CSV, TSV, a JSON array, JSON lines, Parquet), so
`rows_from_file` and the columnar vote path never disagree. Column names are lower-cased (`Model_A`
is `model_a`). What cannot be read is reported as (line, reason), never raised halfway, so a caller
can add its own per-row problems and report them all at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arena.formats.columns import Format, Required, columns_from_file
from arena.formats.progress import Progress

LISTED_PROBLEMS = 20  # problems spelled out in an error message; all are in `.problems`


@dataclass(frozen=True)
class Row:
    line: int  # the line the row starts on, from 1 (a Parquet file's row number)
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
            raise (error or RowFileError)(self.path, self.problems, unit=_unit(self.format))
        return self


class RowFileError(ValueError):
    """A file that cannot be used; `problems` holds (line, reason) for every bad part, by line.
    `unit` is what the numbers count ("line", or "row" in Parquet); `skippable` says whether
    every problem is a bad row that could be left out (rather than a file that cannot be read)."""

    consequence = ""  # what the caller did about it, e.g. ", nothing imported"

    def __init__(self, path: str | Path, problems: Iterable[tuple[int, str]], *,
                 unit: str = "line", skippable: bool = False):  # fmt: skip
        self.path = Path(path)
        self.problems = tuple(sorted(problems, key=lambda problem: problem[0]))
        self.unit = unit
        self.skippable = skippable
        super().__init__(self.report(self.consequence))

    def report(self, consequence: str) -> str:
        """The problems, listed, after the file's name and `consequence` (", nothing imported")."""
        unit = self.unit
        listed = [f"  {unit} {line}: {reason}" for line, reason in self.problems[:LISTED_PROBLEMS]]
        if len(self.problems) > LISTED_PROBLEMS:
            listed.append(f"  … and {len(self.problems) - LISTED_PROBLEMS} more")
        return f"{self.path}: {len(self.problems)} problem(s){consequence}\n" + "\n".join(listed)


def rows_from_file(
    path: str | Path, *, required: Required = (), progress: Progress | None = None
) -> RowFile:
    """Every row of the file, in file order, and every problem met reading it (see
    `arena.formats.columns.columns_from_file` for formats, how they are told apart and what
    `progress` is told)."""
    file = columns_from_file(path, required=required, progress=progress)
    rows = tuple(Row(line, values) for line, values in file.rows())
    return RowFile(file.path, file.format, tuple(file.columns), rows, file.problems)


def _unit(shape: Format | None) -> str:
    return shape.unit if shape is not None else "line"


__all__ = ["Format", "Row", "RowFile", "RowFileError", "rows_from_file"]
