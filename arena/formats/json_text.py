"""JSON text as values with the line each starts on: a top-level array or JSON lines. Whatever
is not JSON is reported as (line, reason) in `problems`, never raised. Stdlib only."""

from __future__ import annotations

import json
from typing import Any

from arena.formats.progress import PROGRESS_EVERY, Progress


class KeysGivenTwice(dict):
    """A JSON object that gives a key more than once (the last value is kept, as `json` does;
    `twice` names the key): a reader reports it rather than read one of the values."""

    twice: str = ""


def _object(pairs: list[tuple[str, Any]]) -> dict:
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    seen: set[str] = set()
    repeated = KeysGivenTwice(value)
    repeated.twice = next(key for key, _ in pairs if key in seen or seen.add(key))
    return repeated


def json_array(
    text: str, problems: list, progress: Progress | None = None
) -> list[tuple[int, Any]]:
    """Elements of the top-level JSON array, each with the line its first character is on.
    `progress` is told (line reached, lines in the text) every PROGRESS_EVERY elements."""
    lines = _LineCounter(text)
    total = text.count("\n") + 1 if progress is not None else 0
    decoder = json.JSONDecoder(object_pairs_hook=_object)
    rows = []
    position = skip_space(text, skip_space(text, 0) + 1)  # just past "["
    while not text.startswith("]", position):
        value, end, reason = decode_json(decoder, text, position)
        if reason is not None:
            problems.append((lines.line_of(end), reason))
            return rows
        rows.append((lines.line_of(position), value))
        if progress is not None and len(rows) % PROGRESS_EVERY == 0:
            progress(rows[-1][0], total)
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
    if progress is not None:
        progress(total, total)
    return rows


def json_lines(
    text: str, problems: list[tuple[int, str]], progress: Progress | None = None
) -> list[tuple[int, Any]]:
    """(line number, value) of every non-blank line of JSON lines; a bad line's reason goes
    into `problems`. Splits on \\n only: JSON text may hold U+2028 or U+0085 inside a string.
    `progress` is told (line reached, lines in the text) every PROGRESS_EVERY lines."""
    decoder = json.JSONDecoder(object_pairs_hook=_object)
    rows = []
    split = text.split("\n")
    for number, line in enumerate(split, start=1):
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number, len(split))
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
    if progress is not None:
        progress(len(split), len(split))
    if problems and not rows and len(split) > 1:
        _one_value_over_lines(text, decoder, problems)
    return rows


def _one_value_over_lines(text: str, decoder: json.JSONDecoder, problems: list) -> None:
    """A JSON-lines text none of whose lines is a value, that is one value over many lines (a
    pretty-printed object): one problem that says so, instead of one "not valid JSON" a line."""
    start = skip_space(text, 0)
    value, end, reason = decode_json(decoder, text, start)
    if reason is None and skip_space(text, end) == len(text):
        kind = "object" if isinstance(value, dict) else "value"
        why = (f"the file is one JSON {kind} over many lines: give a JSON array of rows, or one "
               "row a line (JSON lines)")  # fmt: skip
        problems[:] = [(text.count("\n", 0, start) + 1, why)]


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
