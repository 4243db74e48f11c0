"""Text that comes from outside (files, forms, requests): what the arena can store, how a bad
value is quoted in a message, and a JSON value read without letting its errors escape.

Pure: no I/O. Every reader and the service use these, so "text" means one thing everywhere."""

from __future__ import annotations

import json
from typing import Any

SHOWN_CHARS = 60  # a value quoted in a message is cut to this many characters


def is_text(value: str) -> bool:
    """False for a string no file, terminal or database can hold: a lone surrogate (from a
    JSON \\ud800 escape, or a browser that sent one)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(value: Any, limit: int = SHOWN_CHARS) -> str:
    """repr(value), cut short so one huge value cannot swamp the message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_type(value: Any) -> str:
    """The JSON name of a value's type, for messages ("a list", "null"…)."""
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names.update({list: "a list", dict: "an object", type(None): "null"})
    return names.get(type(value), type(value).__name__)


def skip_space(text: str, position: int) -> int:
    """The first position at or after `position` that is not JSON white space."""
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


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


def json_lines(text: str, problems: list[tuple[int, str]]) -> list[tuple[int, Any]]:
    """(line number, value) of every non-blank line of JSON lines; a bad line's reason goes
    into `problems`. Splits on \n only: JSON text may hold U+2028 or U+0085 inside a string."""
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
