"""Votes as parallel integer arrays (`Matches`), the one input every rating method reads.

A row is one vote, or a group of identical votes when `count` > 1 (e.g. rows of a SQL GROUP BY).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ratings.outcomes import VERDICTS, UnknownVerdict, to_verdict_code


@dataclass(frozen=True, eq=False)
class Matches:
    """n rows of votes between models named in `models` (index i in the arrays = models[i]).

    model_a, model_b: int32 [n] model indices, never equal on one row.
    verdict: int8 [n] codes into VERDICTS.
    count: int64 [n] votes the row stands for (>= 1).
    voter: int64 [n] voter index per row, or None when voters are unknown.
    """

    models: tuple[str, ...]
    model_a: np.ndarray
    model_b: np.ndarray
    verdict: np.ndarray
    count: np.ndarray
    voter: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.model_a)

    @property
    def n_votes(self) -> int:
        """Total votes (sum of count)."""
        return int(self.count.sum())

    def select(self, mask: np.ndarray) -> "Matches":
        """The rows where the boolean mask [n] is true (model list unchanged)."""
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != self.model_a.shape:
            raise ValueError(f"mask has shape {mask.shape}, expected ({len(self)},)")
        voter = None if self.voter is None else self.voter[mask]
        return Matches(
            self.models,
            self.model_a[mask],
            self.model_b[mask],
            self.verdict[mask],
            self.count[mask],
            voter,
        )


def matches_from_arrays(
    models: Sequence[str],
    model_a: Any,
    model_b: Any,
    verdict: Any,
    count: Any = None,
    voter: Any = None,
) -> Matches:
    """Validated Matches from arrays of model indices [n], verdict codes or words [n], counts [n].

    Raises ValueError for out-of-range indices, a model on both sides, or counts below 1, and
    UnknownVerdict for a verdict that is not one of VERDICTS.
    """
    models = tuple(models)
    if len(set(models)) != len(models):
        raise ValueError("model names must be unique")
    a = np.asarray(model_a, dtype=np.int32).ravel()
    b = np.asarray(model_b, dtype=np.int32).ravel()
    v = _verdict_codes(verdict)
    c = np.ones(len(a), dtype=np.int64) if count is None else np.asarray(count, np.int64).ravel()
    if not len(a) == len(b) == len(v) == len(c):
        raise ValueError(
            f"array lengths differ: model_a {len(a)}, model_b {len(b)}, verdict {len(v)}, count {len(c)}"
        )
    for name, side in (("model_a", a), ("model_b", b)):
        if len(side) and (side.min() < 0 or side.max() >= len(models)):
            raise ValueError(f"{name} holds an index outside 0..{len(models) - 1}")
    same = np.flatnonzero(a == b)
    if len(same):
        raise ValueError(f"row {same[0]} has model {models[a[same[0]]]!r} on both sides")
    if len(c) and c.min() < 1:
        raise ValueError("every count must be at least 1")
    voters = None if voter is None else np.asarray(voter, dtype=np.int64).ravel()
    if voters is not None and len(voters) != len(a):
        raise ValueError(f"voter has {len(voters)} entries, expected {len(a)}")
    return Matches(models, a, b, v, c, voters)


def matches_from_records(records: Iterable[Any], models: Sequence[str] | None = None) -> Matches:
    """Matches from records with model_a, model_b, verdict and optional voter.

    A record is a mapping with those keys, a tuple (model_a, model_b, verdict[, voter]), or an
    object with those attributes. Models are sorted by name unless `models` fixes the order.
    Voters, when any record has one, are numbered in order of first appearance.
    """
    rows = [_fields(record) for record in records]
    names = (
        tuple(sorted({r[0] for r in rows} | {r[1] for r in rows}))
        if models is None
        else tuple(models)
    )
    index = {name: i for i, name in enumerate(names)}
    missing = sorted({r[k] for r in rows for k in (0, 1)} - index.keys())
    if missing:
        raise ValueError(f"models not in the model list: {', '.join(missing)}")
    voter_ids: dict[Any, int] = {}
    has_voter = any(r[3] is not None for r in rows)
    return matches_from_arrays(
        names,
        [index[r[0]] for r in rows],
        [index[r[1]] for r in rows],
        [to_verdict_code(r[2]) for r in rows],
        voter=[voter_ids.setdefault(r[3], len(voter_ids)) for r in rows] if has_voter else None,
    )


def _fields(record: Any) -> tuple[str, str, str, Any]:
    if isinstance(record, Mapping):
        return record["model_a"], record["model_b"], record["verdict"], record.get("voter")
    if isinstance(record, tuple | list):
        if len(record) not in (3, 4):
            raise ValueError(f"record {record!r} needs (model_a, model_b, verdict[, voter])")
        return record[0], record[1], record[2], record[3] if len(record) == 4 else None
    return record.model_a, record.model_b, record.verdict, getattr(record, "voter", None)


def _verdict_codes(verdict: Any) -> np.ndarray:
    v = np.asarray(verdict)
    if v.dtype.kind in "iu":
        if v.size and (v.min() < 0 or v.max() >= len(VERDICTS)):
            raise UnknownVerdict(
                f"verdict codes must be 0..{len(VERDICTS) - 1}, got {v.min()}..{v.max()}"
            )
        return v.astype(np.int8).ravel()
    words, inverse = np.unique(v.ravel().astype(str), return_inverse=True)
    return np.array([to_verdict_code(w) for w in words], dtype=np.int8)[inverse]
