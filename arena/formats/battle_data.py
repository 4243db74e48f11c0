"""Battle-data files in FastChat's `clean_battle` layout: releasing our battles, importing anyone's.

A release is the JSON array FastChat's analysis scripts load as is, with voters replaced by keyed
pseudonyms and no IP data. Import reads any file and public layout the one reader takes
(`arena.formats.columns`, `arena.formats.layouts`), the vote columns as `votefile` does, and reports
every malformed row by line so the store can write all or nothing (or skips them when asked).
Field mappings and choices: docs/battle_data.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from arena.domain.text import is_text, json_type, name_fault, shown
from arena.domain.verdicts import to_fastchat_winner
from arena.formats.layouts import TURNS_55K, conversations_55k, to_messages
from arena.formats.progress import Progress, tell_progress
from arena.formats.rows import RowFileError
from arena.formats.votefile import NOT_TEXT, OnBadRow, read_flag, read_layout, read_vote

# our language code -> the detector's English name FastChat stores
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese", "other": "unknown"}
JUDGE_PREFIX = "voter"
HASHED_ID_PREFIX = "row_"  # battle ids made up for rows without a question_id
ROLES = frozenset({"user", "assistant", "system"})
CONVERSATIONS = ("conversation_a", "conversation_b")  # read from JSON only: tables carry none
MAX_TURNS = 1_000_000  # far beyond any chat; keeps `turn` an SQLite integer
# tstamp range: the times a datetime (and so the store's ISO column) can hold, years 1 to 9999
MIN_TSTAMP = datetime(1, 1, 1, tzinfo=UTC).timestamp()
MAX_TSTAMP = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()


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
    feedback: tuple[str, ...] = ()  # the voter's Feedback words (released; never rated)


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


class BattleFileError(RowFileError):
    """A battle file that cannot be imported; `problems` holds (line, reason) for every bad row."""

    consequence = ", nothing imported"


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
    category flags and the voter's feedback words under keys FastChat ignores. Conversations
    only when asked for."""
    try:
        winner = to_fastchat_winner(record.verdict)
    except ValueError as error:
        raise ValueError(f"battle {record.battle_id}: {error}") from None
    battle: dict[str, Any] = {
        "question_id": record.battle_id,
        "model_a": record.model_a,
        "model_b": record.model_b,
        "winner": winner,
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
        feedback=list(record.feedback),
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


def read_battle_file(
    path: str | Path, *, on_bad_row: OnBadRow | None = None, progress: Progress | None = None
) -> list[ImportedVote]:
    """Every battle in the file, in file order; raises BattleFileError listing every bad row, or
    hands each to `on_bad_row` (line, reason) and leaves it out. `progress` is told (done, total)
    twice over: as the file is read (`columns_from_file`), then as its rows are checked.

    Formats: a JSON array (FastChat's clean_battle files), JSON lines, Parquet, or a CSV/TSV table
    with header model_a, model_b, winner (or verdict)[, judge, language, turn, tstamp, …], in any
    layout of `arena.formats.layouts` (FastChat, LMArena 55k/100k/140k, arena-rank).
    """
    file = read_layout(path, progress)
    unit = file.format.unit if file.format is not None else "line"
    problems = list(file.problems)
    votes = []
    first_line_of_id: dict[str, int] = {}
    hashed_ids_seen: dict[str, int] = {}
    is_55k = all(name in file.columns for name in TURNS_55K)
    for line, values in tell_progress(file.rows(), len(file), progress):
        if file.format.is_table:
            values = {k: v for k, v in values.items() if k not in CONVERSATIONS}
        if is_55k and not any(key in values for key in CONVERSATIONS):
            values.update(zip(CONVERSATIONS, conversations_55k(values), strict=True))
        fields, reasons = _fields(values)
        battle_id = fields.pop("battle_id", None)
        if battle_id is not None:
            if battle_id in first_line_of_id:
                first = first_line_of_id[battle_id]
                reasons.append(f"question_id {battle_id!r} already used on {unit} {first}")
            else:
                first_line_of_id[battle_id] = line
        if reasons:
            problems.append((line, "; ".join(reasons)))
            continue
        if battle_id is None:
            battle_id = _hashed_id(fields, hashed_ids_seen)
        votes.append(ImportedVote(battle_id=battle_id, **fields))
    if problems:
        skippable = file.only_bad_rows()
        if on_bad_row is None or not skippable:
            raise BattleFileError(file.path, problems, unit=unit, skippable=skippable)
        for line, reason in sorted(problems):
            on_bad_row(line, reason)
    return votes


def _fields(row: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """ImportedVote fields from one row (plus `battle_id` when the row names one), and the
    reasons the row is bad. Absent values (missing key, null, empty table cell) take defaults."""

    def present(key: str) -> Any:
        value = row.get(key)
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    vote, reasons = read_vote(row)
    fields: dict[str, Any] = {}
    if vote is not None:
        fields.update(model_a=vote.model_a, model_b=vote.model_b, verdict=vote.verdict,
                      judge=vote.voter)  # fmt: skip

    question_id = present("question_id")
    if isinstance(question_id, str) and not is_text(question_id):
        reasons.append(NOT_TEXT.format("question_id"))
    elif isinstance(question_id, str) and (fault := name_fault(question_id.strip())):
        reasons.append(f"question_id {fault}")
    elif isinstance(question_id, str | int) and not isinstance(question_id, bool):
        fields["battle_id"] = str(question_id).strip()
    elif question_id is not None:
        reasons.append(f"question_id must be a string, not {json_type(question_id)}")

    language = present("language")
    if language is not None and not isinstance(language, str):
        reasons.append(f"language must be a string, not {json_type(language)}")
    fields["language"] = from_fastchat_language(language if isinstance(language, str) else None)

    for key in CONVERSATIONS:
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
        flag = default if value is None else read_flag(value)
        if flag is None:
            reasons.append(f"{key} must be true or false, not {shown(value)}")
        fields[names.get(key, key)] = flag
    return fields, reasons


def _conversation(value: Any, name: str) -> tuple[list[dict] | None, str | None]:
    """The conversation as plain {"role", "content"} messages, or why it is not one."""
    value = to_messages(value)
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
            return None, NOT_TEXT.format(f"{name}[{index}] content")
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
    if isinstance(value, datetime):  # a Parquet timestamp
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return moment.timestamp()
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
