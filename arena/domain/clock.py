"""Times as the store writes them: ISO 8601 in UTC with milliseconds, from and to Unix seconds."""

from __future__ import annotations

from datetime import UTC, datetime


def to_iso(seconds: float) -> str:
    """Unix seconds as the store's timestamp text, e.g. 2024-01-01T00:00:00.000+00:00."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds")


def from_iso(text: str) -> float:
    """The store's timestamp text (any ISO 8601 time with a zone) as Unix seconds."""
    return datetime.fromisoformat(text).timestamp()
