"""What the gates ask before a vote counts: recent battles and votes, spent proofs, voted prompts."""

from __future__ import annotations

import sqlite3

from arena.adapters.turn_rows import STARTED_HERE
from arena.domain.clock import from_iso


class GateQueries:
    def battle_start_times(
        self, voter_id: str, ip_hash: str | None, since: str
    ) -> tuple[list, list]:
        """Unix times of battles started here since `since` (ISO) by this voter and by this IP
        hash (an imported battle was not started here)."""

        def times(column: str, value: str | None) -> list[float]:
            if value is None:
                return []
            return [from_iso(row[0]) for row in self.db.execute(
                f"SELECT created_at FROM battles WHERE {column} = ? AND created_at >= ? "
                f"AND {STARTED_HERE}",
                [value, since],
            )]  # fmt: skip

        return times("voter_id", voter_id), times("ip_hash", ip_hash)

    def counted_vote_times(
        self, voter_id: str, ip_hash: str | None, since: str
    ) -> tuple[list, list]:
        """Unix times of counted votes since `since` by this voter and from this IP hash."""
        voter = [from_iso(r[0]) for r in self.db.execute(
            "SELECT created_at FROM votes WHERE voter_id = ? AND counted = 1 AND created_at >= ?",
            [voter_id, since],
        )]  # fmt: skip
        ip = [] if ip_hash is None else [from_iso(r[0]) for r in self.db.execute(
            # CROSS JOIN keeps this IP's battles as the outer loop (SQLite honours the order),
            # so the query reads that IP's history, never every counted vote.
            "SELECT v.created_at FROM battles b CROSS JOIN votes v ON v.battle_id = b.id "
            "WHERE b.ip_hash = ? AND v.counted = 1 AND v.created_at >= ?", [ip_hash, since],
        )]  # fmt: skip
        return voter, ip

    def has_counted_votes(self, voter_id: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM votes WHERE voter_id = ? AND counted = 1 LIMIT 1", [voter_id]
        ).fetchone()
        return row is not None

    def answers_finished_at(self, battle_id: str) -> float | None:
        row = self.db.execute(
            "SELECT created_at FROM turns WHERE battle_id = ? ORDER BY idx DESC LIMIT 1",
            [battle_id],
        ).fetchone()
        return from_iso(row[0]) if row else None

    def use_proof(self, challenge_id: str) -> bool:
        """Record a spent proof-of-work challenge; True if it had been spent before."""
        try:
            self.db.execute(
                "INSERT INTO proofs_used (challenge_id, used_at) VALUES (?, ?)",
                [challenge_id, self._now()],
            )
        except sqlite3.IntegrityError:
            return True
        return False

    def voted_prompts(
        self, since: str, cursor: object = None
    ) -> tuple[list[tuple[str, str, str, float, bool]], object]:
        """Anonymous votes from `since` on with their first prompt; the cursor is the last vote
        id read. Writers take the database lock in turn and ids grow inside it, so ids are
        in commit order: "id > cursor" is exactly the votes committed since."""
        after = cursor if isinstance(cursor, int) else 0
        rows = self.db.execute(
            "SELECT v.id, v.battle_id, t.prompt, v.voter_id, v.created_at, v.counted FROM votes v "
            "JOIN turns t ON t.battle_id = v.battle_id AND t.idx = 0 "
            "WHERE v.anonymous = 1 AND v.created_at >= ? AND v.id > ? ORDER BY v.id",
            [since, after],
        ).fetchall()
        last = max((row[0] for row in rows), default=after)
        return [(r[1], r[2], r[3], from_iso(r[4]), bool(r[5])) for r in rows], last
