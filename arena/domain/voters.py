"""The voter of a vote the arena cannot attribute: an imported battle whose file names no judge.

Such votes are stored under one placeholder voter per source file; they count, but no test of
voters (a snapshot's top voters and drop-one-voter probes, the detection of rigging voters)
treats the placeholder as one person who cast them all. Pure: no I/O.
"""

from __future__ import annotations

UNKNOWN = ":unknown"


def unknown_voter(source: str) -> str:
    """The placeholder voter of the battles imported from `source` (`import:<file>`) that name
    no judge."""
    return f"{source}{UNKNOWN}"


def is_unknown_voter(voter_id: str) -> bool:
    """Whether `voter_id` (or its released judge: imported votes keep theirs) is a placeholder."""
    return voter_id.startswith("import:") and voter_id.endswith(UNKNOWN)
