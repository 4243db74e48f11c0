"""Battle-data files in FastChat's `clean_battle` layout: releasing our battles, importing anyone's.

A release is the JSON array FastChat's analysis scripts load as is, with voters replaced by keyed
pseudonyms and no IP data. Import reads that layout, JSON lines, or LMArena-style CSV/TSV tables,
and reports every malformed row by line so the store can write all or nothing. Field mappings and
choices: docs/battle_data.md. Stdlib only.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from arena.domain.battle import Verdict
from arena.domain.text import decode_json, is_text, json_lines, json_type, shown, skip_space

# our verdict word -> FastChat's `winner`
WINNERS = {
    Verdict.A_BETTER.value: "model_a",
    Verdict.B_BETTER.value: "model_b",
    Verdict.TIE.value: "tie",
    Verdict.BOTH_BAD.value: "tie (bothbad)",
}
# any accepted `winner` spelling (FastChat's or ours) -> our verdict word
VERDICTS = {**{winner: verdict for verdict, winner in WINNERS.items()}, **{v: v for v in WINNERS}}
# our language code -> the detector's English name FastChat stores
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese", "other": "unknown"}
JUDGE_PREFIX = "voter"
HASHED_ID_PREFIX = "row_"  # battle ids made up for rows without a question_id
ROLES = frozenset({"user", "assistant", "system"})
REQUIRED_COLUMNS = ("model_a", "model_b", "winner")
# table columns read; any other column is ignored (tables carry no conversations)
TABLE_COLUMNS = REQUIRED_COLUMNS + (
    "question_id",
    "judge",
    "language",
    "turn",
    "tstamp",
    "anony",
    "is_code",
    "is_long_query",
    "is_multi_turn",
)
LISTED_PROBLEMS = 20  # problems spelled out in the error message; all are in `.problems`
MAX_TURNS = 1_000_000  # far beyond any chat; keeps `turn` an SQLite integer
# tstamp range: the times a datetime (and so the store's ISO column) can hold, years 1 to 9999
MIN_TSTAMP = datetime(1, 1, 1, tzinfo=UTC).timestamp()
MAX_TSTAMP = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


@dataclass(frozen=True)
class BattleRecord:
    """One counted battle as the store gives it; `voter_id` and `ip_hash` are never released."""

    battle_id: str
    model_a: str
    model_b: str
    verdict: str  # a_better | b_better | tie | both_bad
    voter_id: str
    ip_hash: str | None
    turns: int
    anonymous: bool
    language: str  # "zh" | "en" | "other", or a FastChat name from imported data
    is_coding: bool
    is_long_query: bool
    is_multi_turn: bool
    voted_at: float  # unix seconds
    conversation_a: list[dict] | None = None  # [{"role": "user"|"assistant", "content": str}, …]
    conversation_b: list[dict] | None = None
    judge: str | None = None  # an already-released pseudonym (imported data): released as is


@dataclass(frozen=True)
class ImportedVote:
    """One battle read from a file, in our words: verdict word and language code."""

    battle_id: str  # question_id, or "row_" + a hash of the row when there is none
    model_a: str
    model_b: str
    verdict: str
    judge: str | None
    language: str  # "zh" | "en" | "other"
    turns: int
    voted_at: float | None
    anonymous: bool
    is_coding: bool
    is_long_query: bool
    is_multi_turn: bool
    conversation_a: list[dict] | None
    conversation_b: list[dict] | None


class BattleFileError(ValueError):
    """A battle file that cannot be imported; `problems` holds (line, reason) for every bad row."""

    def __init__(self, path: str | Path, problems: Iterable[tuple[int, str]]):
        self.path = Path(path)
        self.problems = tuple(sorted(problems, key=lambda problem: problem[0]))
        listed = [f"  line {line}: {reason}" for line, reason in self.problems[:LISTED_PROBLEMS]]
        if len(self.problems) > LISTED_PROBLEMS:
            listed.append(f"  … and {len(self.problems) - LISTED_PROBLEMS} more")
        super().__init__(
            f"{self.path}: {len(self.problems)} problem(s), nothing imported\n" + "\n".join(listed)
        )


# Release


def pseudonymise(value: str, release_key: bytes, prefix: str) -> str:
    """`<prefix>_` + 16 hex digits of HMAC-SHA256(release_key, prefix NUL value).

    Stable for one key, unlinkable to the value without it, and different for the same value
    under another prefix (so a voter id and, say, an IP hash never share a pseudonym).
    """
    if not release_key:
        raise ValueError("release_key is empty: pseudonyms would be hashes anyone can recompute")
    digest = hmac.new(release_key, f"{prefix}\0{value}".encode(), hashlib.sha256).hexdigest()
    return f"{prefix}_{digest[:16]}"


def to_fastchat_language(language: str) -> str:
    """Our code as FastChat's name: en -> English, zh -> Chinese, other/empty -> unknown; any other
    value (a name carried over from imported data, e.g. "Russian") is kept as it is."""
    code = from_fastchat_language(language)
    if code != "other":
        return LANGUAGE_NAMES[code]
    name = language.strip()
    return "unknown" if name.lower() in ("", "other", "unknown") else name


def from_fastchat_language(name: str | None) -> str:
    """FastChat's language name (or an ISO code) as ours: "en", "zh" or "other"."""
    key = (name or "").strip().lower().replace("_", "-")
    if key in ("en", "english") or key.startswith(("en-", "english")):
        return "en"
    if key in ("zh", "chinese") or key.startswith(("zh-", "chinese")):
        return "zh"
    return "other"


def to_clean_battle(
    record: BattleRecord, *, release_key: bytes, with_conversations: bool
) -> dict[str, Any]:
    """One battle in FastChat's clean_battle layout (key order as FastChat writes it), plus our
    category flags under keys FastChat ignores. Conversations only when asked for."""
    if record.verdict not in WINNERS:
        raise ValueError(f"battle {record.battle_id}: unknown verdict {record.verdict!r}")
    battle: dict[str, Any] = {
        "question_id": record.battle_id,
        "model_a": record.model_a,
        "model_b": record.model_b,
        "winner": WINNERS[record.verdict],
        "judge": record.judge or pseudonymise(record.voter_id, release_key, JUDGE_PREFIX),
    }
    if with_conversations:
        for key, messages in (
            ("conversation_a", record.conversation_a),
            ("conversation_b", record.conversation_b),
        ):
            conversation, problem = _conversation(messages, key)
            if problem:
                raise ValueError(f"battle {record.battle_id}: {problem}")
            battle[key] = conversation
    battle.update(
        turn=record.turns,
        anony=record.anonymous,
        language=to_fastchat_language(record.language),
        tstamp=record.voted_at,
        is_code=record.is_coding,
        is_long_query=record.is_long_query,
        is_multi_turn=record.is_multi_turn,
    )
    return battle


def write_clean_battles(
    records: Iterable[BattleRecord],
    out: TextIO,
    *,
    release_key: bytes,
    with_conversations: bool = False,
) -> int:
    """Write the battles as one JSON array (two-space indent, UTF-8 text kept as is, like
    FastChat's releases), one record at a time; returns how many were written."""
    pseudonymise("", release_key, JUDGE_PREFIX)  # refuse an empty key even for no records
    count = 0
    out.write("[")
    for record in records:
        battle = to_clean_battle(
            record, release_key=release_key, with_conversations=with_conversations
        )
        text = json.dumps(battle, ensure_ascii=False, indent=2, allow_nan=False)
        out.write(("\n  " if count == 0 else ",\n  ") + text.replace("\n", "\n  "))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


# Import


def read_battle_file(path: str | Path) -> list[ImportedVote]:
    """Every battle in the file, in file order; raises BattleFileError listing every bad row.

    Formats: a JSON array (FastChat's clean_battle files), JSON lines, or a CSV/TSV table with
    header model_a, model_b, winner[, judge, language, turn, tstamp, question_id, …].
    """
    path = Path(path)
    problems: list[tuple[int, str]] = []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise BattleFileError(path, [(line, "not UTF-8 text")]) from error
    votes = []
    first_line_of_id: dict[str, int] = {}
    hashed_ids_seen: dict[str, int] = {}
    for line, row in _rows(path, text, problems):
        fields, reasons = _fields(row)
        battle_id = fields.pop("battle_id", None)
        if battle_id is not None:
            if battle_id in first_line_of_id:
                first = first_line_of_id[battle_id]
                reasons.append(f"question_id {battle_id!r} already used on line {first}")
            else:
                first_line_of_id[battle_id] = line
        if reasons:
            problems.append((line, "; ".join(reasons)))
            continue
        if battle_id is None:
            battle_id = _hashed_id(fields, hashed_ids_seen)
        votes.append(ImportedVote(battle_id=battle_id, **fields))
    if problems:
        raise BattleFileError(path, problems)
    return votes


def _rows(path: Path, text: str, problems: list) -> list[tuple[int, Any]]:
    """(line the row starts on, raw row) pairs, in the format the extension or content says."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return _table_rows(text, "\t" if suffix == ".tsv" else ",", problems)
    start = skip_space(text, 0)
    first = text[start : start + 1]
    if not first:
        problems.append((1, "the file is empty"))
        return []
    if first == "[":
        return _array_rows(text, problems)
    if first == "{" or suffix in (".json", ".jsonl", ".ndjson"):
        return json_lines(text, problems)
    header = text.split("\n", 1)[0]
    return _table_rows(text, "\t" if "\t" in header else ",", problems)


def _table_rows(text: str, delimiter: str, problems: list) -> list[tuple[int, Any]]:
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
                header = [cell.strip() for cell in cells]
                lacking = [column for column in REQUIRED_COLUMNS if column not in header]
                if lacking:
                    problems.append((start, f"header lacks column(s) {', '.join(lacking)}"))
                    return []
                continue
            # A short row lacks its last columns; an empty cell is an empty value.
            named = zip(header, cells, strict=False)
            row = {name: cell.strip() for name, cell in named if name in TABLE_COLUMNS}
            rows.append((start, row))
    except csv.Error as error:
        problems.append((reader.line_num, f"not a readable table ({error})"))
    if header is None and not problems:
        problems.append((1, "no header row (model_a, model_b, winner, …)"))
    return rows


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


def _fields(row: Any) -> tuple[dict[str, Any], list[str]]:
    """ImportedVote fields from one raw row (plus `battle_id` when the row names one), and the
    reasons the row is bad. Absent values (missing key, null, empty table cell) take defaults."""
    if not isinstance(row, dict):
        return {}, ["a battle must be an object with model_a, model_b and winner"]
    reasons: list[str] = []
    fields: dict[str, Any] = {}

    def present(key: str) -> Any:
        value = row.get(key)
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    for side in ("model_a", "model_b"):
        value = row.get(side)
        if side not in row:
            reasons.append(f"missing column {side}")
        elif not isinstance(value, str):
            reasons.append(f"{side} must be a string, not {json_type(value)}")
        elif not value.strip():
            reasons.append(f"empty {side}")
        elif not is_text(value):
            reasons.append(_NOT_TEXT.format(side))
        fields[side] = value.strip() if isinstance(value, str) else ""
    if fields["model_a"] and fields["model_a"] == fields["model_b"]:
        reasons.append(f"same model {shown(fields['model_a'])} on both sides")

    winner = row.get("winner")
    if "winner" not in row:
        reasons.append("missing column winner")
    elif isinstance(winner, str) and not winner.strip():
        reasons.append("empty winner")
    elif not isinstance(winner, str) or winner.strip().lower() not in VERDICTS:
        reasons.append(
            f"unknown winner {shown(winner)} (expected model_a, model_b, tie, tie (bothbad) "
            "or a_better, b_better, both_bad)"
        )
    else:
        fields["verdict"] = VERDICTS[winner.strip().lower()]

    question_id = present("question_id")
    if isinstance(question_id, str) and not is_text(question_id):
        reasons.append(_NOT_TEXT.format("question_id"))
    elif isinstance(question_id, str | int) and not isinstance(question_id, bool):
        fields["battle_id"] = str(question_id).strip()
    elif question_id is not None:
        reasons.append(f"question_id must be a string, not {json_type(question_id)}")

    judge = present("judge")
    if judge is not None and (not isinstance(judge, str | int) or isinstance(judge, bool)):
        reasons.append(f"judge must be a string, not {json_type(judge)}")
    elif isinstance(judge, str) and not is_text(judge):
        reasons.append(_NOT_TEXT.format("judge"))
    fields["judge"] = None if judge is None else str(judge).strip()

    language = present("language")
    if language is not None and not isinstance(language, str):
        reasons.append(f"language must be a string, not {json_type(language)}")
    fields["language"] = from_fastchat_language(language if isinstance(language, str) else None)

    for key in ("conversation_a", "conversation_b"):
        fields[key], problem = _conversation(present(key), key)
        if problem:
            reasons.append(problem)

    turn = present("turn")
    if turn is None:
        user_turns = sum(m["role"] == "user" for m in fields["conversation_a"] or [])
        fields["turns"] = max(user_turns, 1)
    else:
        fields["turns"] = _whole_number(turn)
        if fields["turns"] is None or fields["turns"] < 1:
            reasons.append(f"turn must be a whole number of at least 1, not {shown(turn)}")
        elif fields["turns"] > MAX_TURNS:
            reasons.append(f"turn must be at most {MAX_TURNS:,}, not {shown(turn)}")

    tstamp = present("tstamp")
    fields["voted_at"] = None if tstamp is None else _unix_seconds(tstamp)
    if tstamp is not None and fields["voted_at"] is None:
        reasons.append(f"tstamp must be unix seconds or an ISO 8601 time, not {shown(tstamp)}")
    elif fields["voted_at"] is not None and not MIN_TSTAMP <= fields["voted_at"] <= MAX_TSTAMP:
        reasons.append(f"tstamp must be a time in the years 1 to 9999, not {shown(tstamp)}")

    defaults = {
        "anony": True,  # files without the column are the anonymous battles used for rating
        "is_code": False,
        "is_long_query": False,
        "is_multi_turn": isinstance(fields["turns"], int) and fields["turns"] > 1,
    }
    names = {"anony": "anonymous", "is_code": "is_coding"}
    for key, default in defaults.items():
        value = present(key)
        flag = default if value is None else _flag(value)
        if flag is None:
            reasons.append(f"{key} must be true or false, not {shown(value)}")
        fields[names.get(key, key)] = flag
    return fields, reasons


def _conversation(value: Any, name: str) -> tuple[list[dict] | None, str | None]:
    """The conversation as plain {"role", "content"} messages, or why it is not one."""
    if value is None:
        return None, None
    if not isinstance(value, list):
        return None, f"{name} must be a list of role/content messages, not {json_type(value)}"
    messages = []
    for index, message in enumerate(value):
        if not isinstance(message, dict):
            return None, f"{name}[{index}] must be an object with role and content"
        role, content = message.get("role"), message.get("content")
        if not isinstance(role, str) or role not in ROLES:
            return None, (
                f"{name}[{index}] has role {shown(role)} (expected user, assistant or system)"
            )
        if not isinstance(content, str):
            return None, f"{name}[{index}] content must be text, not {json_type(content)}"
        if not is_text(content):
            return None, _NOT_TEXT.format(f"{name}[{index}] content")
        messages.append({"role": role, "content": content})
    return messages, None


def _hashed_id(fields: dict[str, Any], seen: dict[str, int]) -> str:
    """A battle id for a row without question_id: the hash of its battle plus how many identical
    battles came before it in the file, so re-reading a file gives the same ids and repeated rows
    (common in tables without ids) still get distinct ones."""
    content = json.dumps([fields[key] for key in sorted(fields)], ensure_ascii=False)
    occurrence = seen.get(content, 0)
    seen[content] = occurrence + 1
    digest = hashlib.sha256(f"{content}\0{occurrence}".encode()).hexdigest()
    return HASHED_ID_PREFIX + digest[:32]


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _unix_seconds(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            seconds = float(value)
        except OverflowError:  # an integer beyond any float
            return None
        return seconds if math.isfinite(seconds) else None
    if not isinstance(value, str):
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)  # a time without zone is read as UTC
        try:
            return moment.timestamp()
        except OverflowError:
            return None
    return seconds if math.isfinite(seconds) else None


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        return True if word in _TRUE else False if word in _FALSE else None
    return None


_NOT_TEXT = "{} is not valid Unicode text (it holds a lone surrogate)"


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
