"""Snapshots: the immutable body and the vote ids of each official recompute."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from arena.domain.vote_ids import pack_vote_ids, unpack_vote_ids
from arena.ports import VoteBatch

BATCH = 10_000  # votes a snapshot reads at a time (and tells its progress after)


class Snapshots:
    def save_snapshot(
        self, snapshot_id: str, created_at: str, votes: int, sha256: str, body: str,
        vote_ids: Sequence[int],
    ) -> None:  # fmt: skip
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO snapshots (id, created_at, votes, vote_set_sha256, body, vote_ids) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [snapshot_id, created_at, votes, sha256, body, pack_vote_ids(vote_ids)],
            )
            self._log(conn, "snapshot_created", None, None, {"id": snapshot_id, "votes": votes})

    def snapshots(self) -> list[dict[str, Any]]:
        """id, created_at, votes, vote_set_sha256 of every snapshot, oldest first."""
        return list(self.db.query(
            "SELECT id, created_at, votes, vote_set_sha256 FROM snapshots ORDER BY rowid"
        ))  # fmt: skip

    def snapshot_body(self, snapshot_id: str) -> str | None:
        row = self.db.execute("SELECT body FROM snapshots WHERE id = ?", [snapshot_id]).fetchone()
        return row[0] if row else None

    def snapshot_vote_ids(self, snapshot_id: str) -> set[int]:
        row = self.db.execute(
            "SELECT vote_ids FROM snapshots WHERE id = ?", [snapshot_id]
        ).fetchone()
        return set(unpack_vote_ids(row[0]).tolist()) if row else set()

    def snapshot_vote_batches(self) -> Iterator[VoteBatch]:
        """Every vote that counts, as columns, in cast order. The vote-time index is read in
        order (times are stored as ISO text to the millisecond, one format), and the votes of
        one millisecond put in battle-id order here (Python compares text by code point); the
        votes of a batch's last millisecond wait for the next batch, which may hold more.
        Small values travel packed into two integers a row (each column a row costs the fetch
        ~0.1 µs): both model ids in one, the flags and turns in the other."""
        models = dict(self.db.execute("SELECT id, name FROM models").fetchall())
        cursor = self.db.execute(
            # (SQLite gives << and | one precedence: sums of multiples say what they mean)
            "SELECT v.id, v.battle_id, v.model_a_id * 4294967296 + v.model_b_id, v.verdict, "
            "v.voter_id, (v.source LIKE 'import:%') + 2 * COALESCE(v.is_coding, 0) "
            "+ 4 * COALESCE(v.is_long_query, 0) + 8 * COALESCE(v.is_multi_turn, 0) "
            "+ 16 * v.turns, COALESCE(NULLIF(v.language, ''), 'other'), "
            "CAST(round((julianday(v.created_at) - 2440587.5) * 86400000.0) AS INTEGER), "
            "v.style_a, v.style_b FROM counting_votes v ORDER BY v.created_at"
        )
        held: list[tuple] = []
        while rows := cursor.fetchmany(BATCH):
            rows = held + rows if held else rows
            last, cut = rows[-1][_MS], len(rows)
            while cut and rows[cut - 1][_MS] == last:
                cut -= 1
            if cut == 0:  # one millisecond so far: read on
                held = rows
                continue
            held = rows[cut:]
            yield _batch(rows[:cut], models)
        if held:
            yield _batch(held, models)


_MS = 7  # the vote time's position in the snapshot query's rows


def _batch(rows: list[tuple], models: dict[int, str]) -> VoteBatch:
    """The VoteBatch of rows of the snapshot query, the votes of each millisecond by battle id."""
    (vote_id, battle_id, pair, verdict, voter_id, small, language, voted_ms, style_a,
     style_b) = map(list, zip(*rows, strict=True))  # fmt: skip
    ms = np.asarray(voted_ms, dtype=np.int64)
    for start, stop in _runs(ms):
        order = sorted(range(start, stop), key=battle_id.__getitem__)
        if order != list(range(start, stop)):
            for column in (vote_id, battle_id, pair, verdict, voter_id, small, language,
                           voted_ms, style_a, style_b):  # fmt: skip
                column[start:stop] = [column[i] for i in order]
    pair = np.asarray(pair, dtype=np.int64)
    small = np.asarray(small, dtype=np.int64)
    return VoteBatch(
        vote_id=vote_id, battle_id=battle_id, model_a=pair >> 32, model_b=pair & 0xFFFFFFFF,
        models=models, verdict=verdict, voter_id=voter_id, imported=(small & 1).astype(bool),
        language=language, is_coding=(small & 2).astype(bool),
        is_long_query=(small & 4).astype(bool), is_multi_turn=(small & 8).astype(bool),
        turns=small >> 4, voted_ms=voted_ms, style_a=style_a, style_b=style_b,
    )  # fmt: skip


def _runs(ms: np.ndarray) -> Iterator[tuple[int, int]]:
    """(start, stop) of each run of two or more equal neighbours."""
    tied = np.flatnonzero(ms[1:] == ms[:-1])
    if len(tied) == 0:
        return
    breaks = np.flatnonzero(np.diff(tied) > 1)
    starts = np.concatenate([tied[:1], tied[breaks + 1]])
    ends = np.concatenate([tied[breaks], tied[-1:]]) + 2
    yield from zip(starts.tolist(), ends.tolist(), strict=True)
