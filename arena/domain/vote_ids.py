"""A snapshot's vote set as ids packed into a few bytes, the same on every store."""

import zlib
from collections.abc import Callable, Iterable

import numpy as np

VOTE_IDS_FORMAT = b"\x01"  # first byte of a packed vote id list: its layout


def pack_vote_ids(ids: Iterable[int]) -> bytes:
    """The ids of a snapshot's votes as a few bytes: sorted, as gaps between neighbours
    (little-endian int64), zlib-compressed. Counted votes are nearly consecutive, so 10M ids
    take kilobytes, where a row per vote took hundreds of megabytes."""
    given = ids if isinstance(ids, np.ndarray) else np.fromiter(ids, dtype=np.int64)
    # a stable (radix) sort: np.unique's quicksort took 11 s on 10M ids read in cast order
    # (nearly sorted already), this takes a few hundredths
    ordered = np.sort(given.astype(np.int64), kind="stable")
    ordered = (
        ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered
    )
    gaps = np.diff(ordered, prepend=np.int64(0)).astype("<i8")
    return VOTE_IDS_FORMAT + zlib.compress(gaps.tobytes(), 6)


def unpack_vote_ids(data: bytes) -> np.ndarray:
    """int64 [n], sorted: the ids pack_vote_ids packed."""
    if data[:1] != VOTE_IDS_FORMAT:
        raise ValueError("not a packed vote id list")
    return np.cumsum(np.frombuffer(zlib.decompress(data[1:]), dtype="<i8")).astype(np.int64)


class NewestVotes:
    """The newest vote id of each snapshot, unpacked once per snapshot (a snapshot never
    changes, so this cache is never stale)."""

    def __init__(self) -> None:
        self._by_snapshot: dict[str, int] = {}

    def of(self, snapshot_id: str, packed: Callable[[], bytes]) -> int:
        if snapshot_id not in self._by_snapshot:
            ids = unpack_vote_ids(packed())
            self._by_snapshot[snapshot_id] = int(ids[-1]) if len(ids) else 0
        return self._by_snapshot[snapshot_id]
