"""Text that comes from outside (files, forms, requests): what the arena can store and how a bad
value is quoted in a message.

Pure: no I/O. Every reader and the service use these, so "text" means one thing everywhere."""

from __future__ import annotations

from typing import Any

SHOWN_CHARS = 60  # a value quoted in a message is cut to this many characters
# The characters json.dumps escapes with ensure_ascii off, as a regular expression (Python's and
# pyarrow's alike): text without one is written as itself between quotes.
JSON_ESCAPED = r'[\x00-\x1f"\\]'


def is_text(value: str) -> bool:
    """False for a string no file, terminal or database can hold: a lone surrogate (from a
    JSON \\ud800 escape, or a browser that sent one)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# PostgreSQL keeps no NUL (it stands U+FFFD in its place): in a name or an id two values would
# become one, so the readers and the service refuse it where the stores would change it.
NUL = "\x00"


def is_storable(value: str) -> bool:
    """Text every store keeps exactly as given: `is_text`, and no NUL."""
    return is_text(value) and NUL not in value


# A model's name, a judge or an id is one line: a snapshot hashes each as a line (a line feed
# inside one ends it early, and the snapshot cannot be made), so none holds a line break; nor a
# NUL (above). NOT_IN_NAMES is the same as a regular expression's character class.
NOT_IN_NAMES = "[\x00\n\r]"


def name_fault(value: str) -> str | None:
    """What keeps `value` from being a name, a judge or an id ("holds a NUL character", "holds
    a line break"), or None."""
    if NUL in value:
        return "holds a NUL character"
    if "\n" in value or "\r" in value:
        return "holds a line break"
    return None


def shown(value: Any, limit: int = SHOWN_CHARS) -> str:
    """repr(value), cut short so one huge value cannot swamp the message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_type(value: Any) -> str:
    """The JSON name of a value's type, for messages ("a list", "null"…)."""
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names.update({list: "a list", dict: "an object", type(None): "null"})
    return names.get(type(value), type(value).__name__)
