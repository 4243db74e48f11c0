"""Vote files: the columns every vote file shares, read from the rows of `arena.formats.rows`.

Columns (any letter case): model_a, model_b, the verdict as `winner` (FastChat's `model_a`,
`model_b`, `tie`, `tie (bothbad)`) or `verdict` (our words; either column takes either spelling),
and optionally the voter as `voter` or `judge`; other columns are ignored. Every bad row is
reported at once, with its line. Battle files (`battle_data`) read the same columns this way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arena.domain.text import is_text, json_type, shown
from arena.domain.verdicts import FILE_WORDS, read_verdict
from arena.formats.rows import RowFileError, rows_from_file
from arena.rankings import VoteColumns

VERDICT_COLUMNS = ("winner", "verdict")  # either will do; given both, they must agree
VOTE_COLUMNS = ("model_a", "model_b", VERDICT_COLUMNS)  # a table's header must name these
VOTER_COLUMNS = ("voter", "judge")  # the first one with a value
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
    file = rows_from_file(path, required=VOTE_COLUMNS)
    problems = list(file.problems)
    records = []
    for row in file.rows:
        record, reasons = read_vote(row.values)
        if reasons:
            problems.append((row.line, "; ".join(reasons)))
        else:
            records.append(record)
    if problems:
        raise VoteFileError(file.path, problems)
    return records


def read_vote_columns(path: str | Path) -> VoteColumns:
    """Votes from a CSV/TSV/JSON/JSONL file (FastChat/LMArena columns); VoteFileError lists bad
    rows."""
    records = read_vote_file(path)
    return VoteColumns.from_rows(
        ((r.model_a, r.model_b, r.verdict, r.voter, None, False, False, False) for r in records),
        has_categories=False,
    )


def read_vote(values: Mapping[str, Any]) -> tuple[VoteRecord | None, list[str]]:
    """The vote in one row (columns lower-cased) and no reasons, or None and every reason the row
    is not a vote. A missing or null value is a missing column."""
    reasons: list[str] = []
    models = [_model(values.get(column), column, reasons) for column in ("model_a", "model_b")]
    if models[0] and models[0] == models[1]:
        reasons.append(f"same model {shown(models[0])} on both sides")
    verdict = _verdict(values, reasons)
    voter = _voter(values, reasons)
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
    return str(voter).strip()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
