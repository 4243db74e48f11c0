"""Reading vote files for the CLI: CSV, a JSON array, or JSON lines with FastChat/LMArena columns.

Columns: model_a, model_b, winner (`model_a`, `model_b`, `tie`, `tie (bothbad)`, or one of our
verdict words; a `verdict` column may stand in for `winner`), optional `judge` or `voter`; other
columns are ignored. Every malformed row is reported at once, with its line number. Stdlib only.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arena.domain.battle import Verdict
from arena.domain.text import decode_json, is_text, json_lines, json_type, shown, skip_space
from arena.rankings import VoteColumns

# FastChat / LMArena `winner` spelling -> our verdict word
FASTCHAT_WINNERS = {
    "model_a": Verdict.A_BETTER,
    "model_b": Verdict.B_BETTER,
    "tie": Verdict.TIE,
    "tie (bothbad)": Verdict.BOTH_BAD,
}
VOTER_COLUMNS = ("voter", "judge")  # first one present wins


@dataclass(frozen=True)
class VoteRecord:
    """One vote from a file; verdict is one of our four verdict words."""

    model_a: str
    model_b: str
    verdict: str
    voter: str | None = None


class VoteFileError(ValueError):
    """A vote file that cannot be read; `problems` holds (line number, reason) for every bad row."""

    def __init__(self, path: Path, problems: list[tuple[int, str]]):
        self.path = path
        self.problems = tuple(problems)
        lines = "\n".join(f"  line {line}: {reason}" for line, reason in self.problems)
        super().__init__(f"{path}: {len(self.problems)} malformed row(s)\n{lines}")


def read_vote_file(path: str | Path) -> list[VoteRecord]:
    """All votes in the file, in file order; raises VoteFileError listing every malformed row."""
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise VoteFileError(
            path, [(raw.count(b"\n", 0, error.start) + 1, "not UTF-8 text")]
        ) from None
    problems: list[tuple[int, str]] = []
    rows = _rows(path, text, problems)
    records = []
    for line, row in rows:
        record = _record(row, problems, line)
        if record is not None:
            records.append(record)
    if problems:
        raise VoteFileError(path, sorted(problems))
    return records


def _rows(path: Path, text: str, problems: list) -> list[tuple[int, Any]]:
    """(line number, raw row) pairs, in the format the name or, failing that, the content says."""
    suffix = path.suffix.lower()
    start = text.lstrip()[:1]
    if suffix in (".jsonl", ".ndjson") or (suffix != ".csv" and start == "{"):
        return json_lines(text, problems)
    if suffix == ".json" or start == "[":
        return _json_array(text, problems)
    return _csv_rows(text, problems)


def _csv_rows(text: str, problems: list) -> list[tuple[int, Any]]:
    # newline="": only \r and \n end a line, so a U+2028 inside a name stays in its cell
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    try:
        header = reader.fieldnames or []
        lacking = [c for c in ("model_a", "model_b") if c not in header]
        if "winner" not in header and "verdict" not in header:
            lacking.append("winner")
        if lacking:
            problems.append((1, f"header lacks column(s) {', '.join(lacking)}"))
            return []
        for row in reader:
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue  # blank line
            rows.append((reader.line_num, row))
    except csv.Error as error:
        # the inner reader's count: DictReader updates its own only after a whole row
        problems.append((reader.reader.line_num, f"not a readable CSV table ({error})"))
    return rows


def _json_array(text: str, problems: list) -> list[tuple[int, Any]]:
    """Elements of a top-level JSON array, each with the line it starts on."""
    decoder = json.JSONDecoder()
    position = skip_space(text, 0)
    if text[position : position + 1] != "[":
        problems.append((_line_of(text, position), "expected a JSON array or JSON lines"))
        return []
    position = skip_space(text, position + 1)
    rows = []
    while position < len(text) and text[position] != "]":
        value, end, reason = decode_json(decoder, text, position)
        if reason is not None:
            problems.append((_line_of(text, end), reason))
            return rows
        rows.append((_line_of(text, position), value))
        position = skip_space(text, end)
        if text[position : position + 1] == ",":
            position = skip_space(text, position + 1)
    if text[position : position + 1] != "]":
        problems.append((_line_of(text, position), "the JSON array is not closed"))
    return rows


def _record(row: Any, problems: list, line: int) -> VoteRecord | None:
    if not isinstance(row, dict):
        problems.append((line, "a row must be an object with model_a, model_b and winner"))
        return None
    reasons = []
    models = []
    for column in ("model_a", "model_b"):
        value = row.get(column)
        if value is None:
            reasons.append(f"missing column {column}")
        elif not isinstance(value, str):
            reasons.append(f"{column} must be a string, not {json_type(value)}")
        elif not value.strip():
            reasons.append(f"empty {column}")
        elif not is_text(value):
            reasons.append(f"{column} is not valid Unicode text (it holds a lone surrogate)")
        models.append(value.strip() if isinstance(value, str) else "")
    winner = row.get("winner", row.get("verdict"))
    verdict = None
    if winner is None:
        reasons.append("missing column winner")
    else:
        verdict = _verdict(winner.strip()) if isinstance(winner, str) else None
        if verdict is None:
            reasons.append(
                f"unknown winner {shown(winner)} (expected model_a, model_b, tie, tie (bothbad) "
                "or a_better, b_better, both_bad)"
            )
    if models[0] and models[0] == models[1]:
        reasons.append(f"same model {shown(models[0])} on both sides")
    column, voter = next(
        ((c, row[c]) for c in VOTER_COLUMNS if row.get(c) not in (None, "")), (None, None)
    )
    if voter is not None and (not isinstance(voter, str | int) or isinstance(voter, bool)):
        reasons.append(f"{column} must be a string, not {json_type(voter)}")
    elif isinstance(voter, str) and not is_text(voter):
        reasons.append(f"{column} is not valid Unicode text (it holds a lone surrogate)")
    if reasons:
        problems.append((line, "; ".join(reasons)))
        return None
    return VoteRecord(models[0], models[1], verdict, None if voter is None else str(voter))


def _verdict(winner: str) -> str | None:
    if winner in FASTCHAT_WINNERS:
        return str(FASTCHAT_WINNERS[winner])
    if winner in {v.value for v in Verdict}:
        return winner
    return None


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def read_vote_columns(path: str | Path) -> VoteColumns:
    """Votes from a CSV/JSON/JSONL file (FastChat/LMArena columns); VoteFileError lists bad rows."""
    records = read_vote_file(path)
    return VoteColumns.from_rows(
        ((r.model_a, r.model_b, r.verdict, r.voter, None, False, False, False) for r in records),
        has_categories=False,
    )
