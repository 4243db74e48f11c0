"""The votes that count as VotePairs, for both store adapters: one SQL expression packs a vote's
two model ids and its verdict into one integer (a single column a row is the cheapest fetch),
and one function unpacks a stream of them into arrays."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from arena.domain.verdicts import Verdict
from arena.ports import VotePairs

ID_BITS = 30  # model ids below 2**30: two of them and a verdict code fit in 62 bits
_VERDICT_CODE = " ".join(f"WHEN '{v.value}' THEN {k}" for k, v in enumerate(Verdict))
# (the same text for SQLite and PostgreSQL; multiples rather than shifts, which SQLite gives one
# precedence with |)
# in cast order, each adapter's CAST_ORDER (vote time in ms, then battle id by code point)
COUNTED_PAIRS_SQL = (
    f"SELECT (CAST(v.model_a_id AS BIGINT) * {2**ID_BITS} + v.model_b_id) * 4 "
    f"+ CASE v.verdict {_VERDICT_CODE} END FROM counting_votes v ORDER BY {{cast_order}}"
)


def vote_pairs(rows: Iterable[Sequence[int]], models: Mapping[int, str]) -> VotePairs:
    """The VotePairs of the rows of COUNTED_PAIRS_SQL, read as they come."""
    packed = np.fromiter((row[0] for row in rows), dtype=np.int64)
    pair = packed >> 2
    return VotePairs(
        model_a=pair >> ID_BITS,
        model_b=pair & (2**ID_BITS - 1),
        verdict=(packed & 3).astype(np.int8),
        models=models,
    )
