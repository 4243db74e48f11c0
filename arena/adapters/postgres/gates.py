"""What the gates ask before a vote counts: recent battles and votes, spent proofs and voted
prompts."""

from __future__ import annotations

from arena.adapters.postgres.base import timestamp_from_iso, unix_from_timestamp
from arena.adapters.turn_rows import STARTED_HERE

# Advisory lock spaces: a vote's gates lock its voter and its IP until the vote commits, so two
# concurrent votes cannot both pass a limit that only one of them may use.
VOTER_LOCK, IP_LOCK = 1, 2


class GateQueries:
    def battle_start_times(
        self, voter_id: str, ip_hash: str | None, since: str
    ) -> tuple[list, list]:
        """Unix times of battles started here since `since` (ISO) by this voter and by this IP
        hash (an imported battle was not started here).
        In a transaction, the voter and the IP stay locked until it ends (the battle it lets in
        is created in it): concurrent starts on several workers cannot all pass the limit."""

        def times(conn, column: str, value: str | None, space: int) -> list[float]:
            if value is None:
                return []
            self._lock(conn, space, value)
            return [unix_from_timestamp(row[0]) for row in conn.execute(
                f"SELECT created_at FROM battles WHERE {column} = %s AND created_at >= %s "
                f"AND {STARTED_HERE} ORDER BY created_at",
                [value, timestamp_from_iso(since)],
            )]  # fmt: skip

        with self._connection() as conn:
            return (times(conn, "voter_id", voter_id, VOTER_LOCK),
                    times(conn, "ip_hash", ip_hash, IP_LOCK))  # fmt: skip

    def counted_vote_times(
        self, voter_id: str, ip_hash: str | None, since: str
    ) -> tuple[list, list]:
        """Unix times of counted votes since `since` by this voter and from this IP hash."""
        with self._connection() as conn:
            self._lock(conn, VOTER_LOCK, voter_id)
            voter = [unix_from_timestamp(r[0]) for r in conn.execute(
                "SELECT created_at FROM votes WHERE voter_id = %s AND counted "
                "AND created_at >= %s ORDER BY created_at",
                [voter_id, timestamp_from_iso(since)],
            )]  # fmt: skip
            if ip_hash is None:
                return voter, []
            self._lock(conn, IP_LOCK, ip_hash)
            ip = [unix_from_timestamp(r[0]) for r in conn.execute(
                "SELECT v.created_at FROM battles b JOIN votes v ON v.battle_id = b.id "
                "WHERE b.ip_hash = %s AND v.counted AND v.created_at >= %s ORDER BY v.created_at",
                [ip_hash, timestamp_from_iso(since)],
            )]  # fmt: skip
        return voter, ip

    def has_counted_votes(self, voter_id: str) -> bool:
        row = self._one("SELECT 1 FROM votes WHERE voter_id = %s AND counted LIMIT 1", [voter_id])
        return row is not None

    def answers_finished_at(self, battle_id: str) -> float | None:
        row = self._one(
            "SELECT created_at FROM turns WHERE battle_id = %s ORDER BY idx DESC LIMIT 1",
            [battle_id],
        )
        return unix_from_timestamp(row[0]) if row else None

    def use_proof(self, challenge_id: str) -> bool:
        """Record a spent proof-of-work challenge; True if it had been spent before. A conflict
        writes nothing and leaves the caller's transaction usable."""
        row = self._one(
            "INSERT INTO proofs_used (challenge_id, used_at) VALUES (%s, %s) "
            "ON CONFLICT (challenge_id) DO NOTHING RETURNING 1",
            [challenge_id, self._now()],
        )
        return row is None

    def voted_prompts(
        self, since: str, cursor: object = None
    ) -> tuple[list[tuple[str, str, str, float, bool]], object]:
        """Anonymous votes from `since` on with their first prompt. Identity values are taken
        at insert, not at commit, so neither ids nor times say what committed since the last
        read. Each vote keeps the id of the transaction that wrote it (`txid`); the cursor is
        the oldest transaction still running when the last read's snapshot was taken (every
        older one had ended, so all its votes were seen) and the votes seen that are not older
        than it. One statement, one snapshot: its rows and its horizon agree."""
        horizon, seen = cursor if isinstance(cursor, tuple) else (None, ())
        rows = self._all(
            "SELECT h.xmin::text, v.id, v.txid::text, v.battle_id, t.prompt, v.voter_id, "
            "v.created_at, v.counted "
            "FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) h LEFT JOIN "
            "(votes v JOIN turns t ON t.battle_id = v.battle_id AND t.idx = 0) "
            "ON v.anonymous AND v.created_at >= %s "
            "AND (%s::xid8 IS NULL OR v.txid >= %s::xid8) AND v.id <> ALL(%s::bigint[]) "
            "ORDER BY v.created_at, v.id",
            [timestamp_from_iso(since), horizon, horizon, [vote_id for vote_id, _ in seen]],
        )
        xmin = int(rows[0][0])
        found = [row for row in rows if row[1] is not None]
        still_open = tuple((vote_id, txid) for vote_id, txid in seen if txid >= xmin) + tuple(
            (row[1], int(row[2])) for row in found if int(row[2]) >= xmin
        )
        return [
            (row[3], row[4], row[5], unix_from_timestamp(row[6]), bool(row[7])) for row in found
        ], (str(xmin), still_open)
