"""Votes and the live board; the read model of votes that count (the `counting_votes` view)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator
from typing import Any

from arena.adapters.sqlite.base import _json_or_none
from arena.adapters.turn_rows import UNVOTED
from arena.domain.clock import from_iso
from arena.domain.reasons import CAPPED, Reason
from arena.ports import LiveRating, LiveUpdate, NewVote, VoteAlreadyCast, VotePairs

# The order votes were cast in, as every replay reads them (TrueSkill depends on it): the time in
# milliseconds (the ISO text, always written to the millisecond, sorts as the time does), then
# the battle id by code point, as a snapshot orders them (vote_copy.py). By insertion, votes of
# one millisecond or an import without times replayed in another order than the snapshot's.
CAST_ORDER = "v.created_at, v.battle_id"


class Votes:
    def record_vote(self, vote: NewVote) -> None:
        """Store the vote, with its battle's number of turns (final: the vote closes it), and
        close the battle. Raises VoteAlreadyCast if the battle has a vote already; then nothing
        is written. The caller's transaction also holds the live update."""
        with self.transaction() as conn:
            battle = conn.execute(
                "SELECT model_a_id, model_b_id, anonymous, "
                "(SELECT COUNT(*) FROM turns t WHERE t.battle_id = b.id) FROM battles b "
                "WHERE b.id = ?",
                [vote.battle_id],
            ).fetchone()
            if battle is None:
                voted = "SELECT 1 FROM votes WHERE battle_id = ?"  # an imported battle's vote
                if conn.execute(voted, [vote.battle_id]).fetchone():
                    raise VoteAlreadyCast(vote.battle_id)
                raise KeyError(f"no battle {vote.battle_id!r}")
            model_a_id, model_b_id, anonymous, turns = battle
            try:
                conn.execute(
                    "INSERT INTO votes (battle_id, voter_id, model_a_id, model_b_id, verdict, "
                    "counted, reason, anonymous, language, is_coding, is_long_query, is_multi_turn, "
                    "style_a, style_b, source, created_at, turns, feedback) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'arena', ?, ?, ?)",
                    [vote.battle_id, vote.voter_id, model_a_id, model_b_id, vote.verdict,
                     int(vote.counted), vote.reason, anonymous, vote.language, int(vote.is_coding),
                     int(vote.is_long_query), int(vote.is_multi_turn),
                     _json_or_none(vote.style_a), _json_or_none(vote.style_b), self._now(),
                     turns, _json_or_none(vote.feedback or None)],
                )  # fmt: skip
            except sqlite3.IntegrityError as error:
                if "votes.battle_id" in str(error):
                    raise VoteAlreadyCast(vote.battle_id) from None
                raise
            conn.execute(  # a void battle stays void: its failure is what the vote recorded
                "UPDATE battles SET status = 'voted', ended_at = ? WHERE id = ? AND status = 'open'",
                [self._now(), vote.battle_id],
            )
            self._log(conn, "vote", vote.battle_id, vote.voter_id,
                      {"verdict": vote.verdict, "counted": vote.counted, "reason": vote.reason})  # fmt: skip

    def live_skills(self, models: list[str]) -> dict[str, tuple[float, float]]:
        """(mu, sigma) on the live board of those of `models` that have one."""
        marks = ", ".join("?" * len(models))
        return {row[0]: (row[1], row[2]) for row in self.db.execute(
            "SELECT m.name, r.mu, r.sigma FROM live_ratings r JOIN models m ON m.id = r.model_id "
            f"WHERE m.name IN ({marks})", list(models),
        )}  # fmt: skip

    def add_live_result(self, update: LiveUpdate) -> None:
        """One model's new skill after one counted vote, with its win/loss/tie added."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO live_ratings (model_id, mu, sigma, votes, wins, losses, ties, updated_at) "
                "SELECT id, ?, ?, 1, ?, ?, ?, ? FROM models WHERE name = ? "
                "ON CONFLICT(model_id) DO UPDATE SET "
                "mu = excluded.mu, sigma = excluded.sigma, votes = votes + 1, "
                "wins = wins + excluded.wins, losses = losses + excluded.losses, "
                "ties = ties + excluded.ties, updated_at = excluded.updated_at",
                [update.mu, update.sigma, update.wins, update.losses, update.ties, self._now(),
                 update.model],
            )  # fmt: skip

    def live_ratings(self) -> list[LiveRating]:
        return [
            LiveRating(**row)
            for row in self.db.query(
                "SELECT m.name AS model, r.mu, r.sigma, r.votes, r.wins, r.losses, r.ties "
                "FROM live_ratings r JOIN models m ON m.id = r.model_id ORDER BY r.mu - 3 * r.sigma DESC"
            )
        ]

    def replace_live_ratings(self, ratings: list[LiveRating]) -> None:
        """Swap the whole live table for a recomputed one, atomically."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM live_ratings")
            for r in ratings:
                conn.execute(
                    "INSERT INTO live_ratings (model_id, mu, sigma, votes, wins, losses, ties, updated_at) "
                    "SELECT id, ?, ?, ?, ?, ?, ?, ? FROM models WHERE name = ?",
                    [r.mu, r.sigma, r.votes, r.wins, r.losses, r.ties, self._now(), r.model],
                )
            self._log(conn, "ratings_recomputed", None, None, {"models": len(ratings)})

    def counted_vote_pairs(self) -> VotePairs:
        """Every vote that counts, in cast order, as columns: from the column copy of the votes
        that snapshots read (vote_copy.py), brought up to date first. Reading them through SQL
        cost ~2.5 µs a vote (a live board recomputed over 1M votes: 2.5 s); the copy ~0.02."""
        conn = self.db.conn
        if conn.in_transaction:
            raise RuntimeError("the counted votes are read in a transaction of their own")
        return self.vote_copy().pairs(conn)

    def counted_vote_rows(self) -> Iterator[tuple]:
        """(model_a, model_b, verdict, voter_id, language, is_coding, is_long_query,
        is_multi_turn) of every vote that counts, in the order cast."""
        yield from self.db.execute(
            "SELECT ma.name, mb.name, v.verdict, v.voter_id, v.language, v.is_coding, "
            "v.is_long_query, v.is_multi_turn FROM counting_votes v "
            "JOIN models ma ON ma.id = v.model_a_id JOIN models mb ON mb.id = v.model_b_id "
            f"ORDER BY {CAST_ORDER}"
        )

    def snapshot_vote_rows(self, of: Collection[int] | None = None) -> Iterator[dict[str, Any]]:
        """Every vote that counts, with what a snapshot and its release need, in the order cast
        (streamed: a snapshot keeps only its own record of each); or the votes `of` (a
        snapshot's vote ids), whether they count now or not: a snapshot stays what it was."""
        votes, params = ("counting_votes", []) if of is None else (
            "(SELECT * FROM votes WHERE id IN (SELECT value FROM json_each(?)))",
            [json.dumps(sorted(of))],
        )  # fmt: skip
        yield from self.db.query(
            "SELECT v.id AS vote_id, v.battle_id, ma.name AS model_a, mb.name AS model_b, "
            "v.verdict, v.voter_id, v.language, v.is_coding, v.is_long_query, v.is_multi_turn, "
            # `turns`: stored with the vote (an imported one's are the turns its file said)
            "v.created_at, v.style_a, v.style_b, v.source, v.turns, v.feedback "
            f"FROM {votes} v JOIN models ma ON ma.id = v.model_a_id "
            "JOIN models mb ON mb.id = v.model_b_id ORDER BY v.id",
            params,
        )  # fmt: skip

    def counting_vote_count(self) -> int:
        """How many votes count (as many as snapshot_vote_rows gives)."""
        return int(self.db.execute("SELECT count(*) FROM counting_votes").fetchone()[0])

    def voter_evidence_records(self) -> list[dict[str, Any]]:
        """Every vote that counts and every anonymous vote a daily cap kept from counting (the
        voter tests' evidence), of voters no quarantine holds, in the order cast: voter, models,
        verdict, time (ISO `created_at` and Unix `timestamp`), IP hashes, `counted`, which
        marks the votes that count, and `imported`, those a file brought (import-battles)."""
        capped = [reason.value for reason in sorted(CAPPED)]
        return [
            {
                **row,
                "counted": bool(row["counted"]),
                "imported": bool(row["imported"]),
                "timestamp": from_iso(row["created_at"]),
            }  # fmt: skip
            for row in self.db.query(
                "SELECT v.id AS vote_id, v.voter_id, ma.name AS model_a, mb.name AS model_b, "
                "v.verdict, v.created_at, b.ip_hash, b.ip_prefix_hash, v.counted, "
                "v.source <> 'arena' AS imported FROM votes v "
                "LEFT JOIN battles b ON b.id = v.battle_id "
                "JOIN models ma ON ma.id = v.model_a_id JOIN models mb ON mb.id = v.model_b_id "
                f"WHERE v.anonymous = 1 AND (v.counted = 1 OR v.reason IN "
                f"({', '.join('?' * len(capped))})) AND v.id NOT IN (SELECT id FROM held_votes) "
                "ORDER BY v.id",
                capped,
            )
        ]

    def models_with_votes(self) -> list[str]:
        """Every model that ever received a vote (counted or not, quarantined or not)."""
        return [row[0] for row in self.db.execute(
            # a look-up or two per model in the covering (counted, model_a_id, model_b_id)
            # index (counted is 0 or 1): a join on `id IN (a, b)` read every vote row (1 s a
            # million votes), a UNION of both sides every index entry (1.3 s at 10M)
            "SELECT name FROM models m WHERE EXISTS (SELECT 1 FROM votes v "
            "WHERE v.counted IN (0, 1) AND v.model_a_id = m.id) OR EXISTS (SELECT 1 FROM votes v "
            "WHERE v.counted IN (0, 1) AND v.model_a_id IN (SELECT id FROM models) "
            "AND v.model_b_id = m.id) ORDER BY name"
        )]  # fmt: skip

    def exclusion_counts(self) -> dict[str, int]:
        """Votes and battles left out of rankings, by reason."""
        counts = {
            row["reason"]: row["n"]
            for row in self.db.query(
                "SELECT COALESCE(reason, ?) AS reason, COUNT(*) AS n FROM votes "
                "WHERE counted = 0 OR anonymous = 0 GROUP BY 1",
                [Reason.NAMED_BATTLE.value],
            )
        }
        # the index of unvoted battles, named: an import's statistics say every battle has one
        # status (voted), and the planner then scanned every battle (0.8 s a status at 10M)
        ended = dict(self.db.execute(
            "SELECT status, COUNT(*) FROM battles INDEXED BY idx_battles_unvoted_status "
            f"WHERE {UNVOTED} AND status IN ('abandoned', 'void') AND mode = 'anonymous' "
            "GROUP BY status"
        ).fetchall())  # fmt: skip
        for status in ("abandoned", "void"):
            counts[f"battle_{status}"] = ended.get(status, 0)
        counts["quarantined"] = self.db.execute(
            # from the few quarantined voters to their votes (CROSS JOIN keeps that order):
            # `voter_id IN (…)` had the planner read every vote
            "SELECT COUNT(*) FROM (SELECT DISTINCT voter_id FROM quarantines "
            "WHERE released_at IS NULL) q CROSS JOIN votes v ON v.voter_id = q.voter_id "
            "WHERE v.counted = 1 AND v.anonymous = 1"
        ).fetchone()[0]
        counts["cohort_quarantined"] = self.db.execute(
            "SELECT COUNT(DISTINCT vote_id) FROM cohort_quarantined_votes"
        ).fetchone()[0]
        counts["vote_refused"] = self.db.execute(
            "SELECT COUNT(*) FROM events WHERE kind = 'vote_refused'"
        ).fetchone()[0]
        return counts
