"""The public vote layouts, read as the columns our vote and battle readers use.

- FastChat `clean_battle`: model_a, model_b, winner (model_a, model_b, tie, tie (bothbad)), judge,
  conversation_a/b as lists of {role, content}, turn, anony, language, tstamp, question_id.
- LMArena `arena-human-preference-55k`: id, model_a, model_b, prompt, response_a, response_b (JSON
  lists of strings, one per turn), the winner as 0/1 columns winner_model_a, winner_model_b,
  winner_tie (one tie column for both kinds of tie).
- LMArena `-100k`: FastChat's columns with each conversation as a JSON string.
- LMArena `-140k`: id, winner (both_bad for both bad), timestamp, and message content as a list
  of parts ({type: text, text}; other parts, such as images, are left out).
- arena-rank `PairDataset.from_pandas`: model_a, model_b, winner (model_a, model_b, tie, both_bad).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from arena.domain.verdicts import FASTCHAT_WINNERS, Verdict
from arena.formats.columns import ColumnFile

WINNER_FLAGS = ("winner_model_a", "winner_model_b", "winner_tie")  # the 55k release's winner
FLAG_WINNERS = (FASTCHAT_WINNERS[Verdict.A_BETTER], FASTCHAT_WINNERS[Verdict.B_BETTER],
                FASTCHAT_WINNERS[Verdict.TIE])  # fmt: skip
# the 55k and 140k names for FastChat's, and those of export-votes (a file of it read again
# keeps its battles' ids, anonymity, times and voters)
ALIASES = {"id": "question_id", "timestamp": "tstamp", "battle_id": "question_id",
           "anonymous": "anony", "voted_at": "tstamp", "voter_id": "judge"}  # fmt: skip
TURNS_55K = ("prompt", "response_a", "response_b")


def to_vote_layout(file: ColumnFile) -> ColumnFile:
    """The file with FastChat's column names: `winner` from the 55k flag columns (a row whose
    flags are not exactly one 1 keeps them, as text, so it is reported as an unknown winner),
    `question_id` and `tstamp` from the 140k `id` and `timestamp`. Other columns as they are."""
    columns = dict(file.columns)
    if not {"winner", "verdict"} & set(columns) and WINNER_FLAGS[0] in columns:
        columns["winner"] = _winner_from_flags(file)
    for theirs, ours in ALIASES.items():
        if theirs in columns and ours not in columns:
            columns[ours] = columns.pop(theirs)
    return ColumnFile(file.path, file.format, columns, file.problems, lambda: file.lines,
                      file.bad_row_lines)  # fmt: skip


def _winner_from_flags(file: ColumnFile) -> pa.Array:
    flags = [_is_one(file, name) for name in WINNER_FLAGS]
    ones = sum(flag.astype(np.int8) for flag in flags)
    chosen = np.select(flags, FLAG_WINNERS, default="")
    winner = pa.array(chosen.astype(object), pa.string())
    bad = np.flatnonzero(ones != 1)
    if len(bad) == 0:
        return winner
    shown = [file.strings(name, numbers=True).take(pa.array(bad)).to_pylist()
             for name in WINNER_FLAGS]  # fmt: skip
    described = np.asarray(chosen, dtype=object)
    for k, values in zip(bad.tolist(), zip(*shown, strict=True), strict=True):
        described[k] = ", ".join(f"{n} {v}" for n, v in zip(WINNER_FLAGS, values, strict=True))
    return pa.array(described, pa.string())


def _is_one(file: ColumnFile, name: str) -> np.ndarray:
    column = file.columns.get(name)
    if column is None:
        return np.zeros(len(file), dtype=bool)
    if isinstance(column, np.ndarray):  # JSON values
        return np.array([v is True or (type(v) in (int, float) and v == 1) or
                         (isinstance(v, str) and v.strip().lower() in ("1", "1.0", "true"))
                         for v in column.tolist()], dtype=bool)  # fmt: skip
    if (
        pa.types.is_boolean(column.type)
        or pa.types.is_integer(column.type)
        or pa.types.is_floating(column.type)
    ):
        return pc.fill_null(pc.equal(column.cast(pa.float64()), 1.0), False).to_numpy(
            zero_copy_only=False
        )
    text = pc.utf8_lower(pc.utf8_trim_whitespace(column.cast(pa.string())))
    is_one = pc.is_in(text, value_set=pa.array(["1", "1.0", "true"]))
    return pc.fill_null(is_one, False).to_numpy(zero_copy_only=False)


def conversations_55k(values: dict[str, Any]) -> tuple[Any, Any]:
    """(conversation_a, conversation_b) from a 55k row's prompt and responses: JSON lists of one
    string per turn (null for a turn without an answer), as user/assistant messages."""
    turns = [_json_list(values.get(name)) for name in TURNS_55K]
    if any(turn is None for turn in turns):
        return None, None
    prompts, answers_a, answers_b = turns
    return tuple(
        [m for prompt, answer in zip(prompts, answers, strict=False)
         for m in ({"role": "user", "content": prompt or ""},
                   {"role": "assistant", "content": answer or ""})]
        for answers in (answers_a, answers_b)
    )  # fmt: skip


def to_messages(value: Any) -> Any:
    """A conversation as FastChat's messages: a JSON string (100k) decoded, message content given
    as a list of parts (140k) joined into its text. Anything else is returned as it is."""
    if isinstance(value, str):
        decoded = _json_list(value)
        value = decoded if decoded is not None else value
    if not isinstance(value, list):
        return value
    return [_message(message) for message in value]


def _message(message: Any) -> Any:
    if not isinstance(message, dict) or not isinstance(message.get("content"), list):
        return message
    parts = message["content"]
    if not all(isinstance(part, dict) for part in parts):
        return message
    text = "".join(p["text"] for p in parts if p.get("type") == "text" and isinstance(
        p.get("text"), str))  # fmt: skip
    return {"role": message.get("role"), "content": text}


def _json_list(value: Any) -> list | None:
    if isinstance(value, list):
        return value
    if not isinstance(value, str):
        return None
    try:
        decoded = json.loads(value)
    except (ValueError, RecursionError):
        return None
    return decoded if isinstance(decoded, list) else None
