"""Snapshots: the immutable body and the vote ids of each official recompute."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

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
        """Every vote that counts, as columns, in cast order: the vote-time index read in
        order (times are stored as ISO text to the millisecond, one format), ties by battle id
        (SQLite compares text by its UTF-8 bytes: code point order)."""
        models = dict(self.db.execute("SELECT id, name FROM models").fetchall())
        cursor = self.db.execute(
            "SELECT v.id, v.battle_id, v.model_a_id, v.model_b_id, v.verdict, v.voter_id, "
            "v.source LIKE 'import:%', COALESCE(NULLIF(v.language, ''), 'other'), v.is_coding, "
            "v.is_long_query, v.is_multi_turn, v.turns, "
            "CAST(round((julianday(v.created_at) - 2440587.5) * 86400000.0) AS INTEGER), "
            "v.style_a, v.style_b FROM counting_votes v ORDER BY v.created_at, v.battle_id"
        )
        while rows := cursor.fetchmany(BATCH):
            columns = list(zip(*rows, strict=True))
            yield VoteBatch(*columns[:4], models, *columns[4:])
