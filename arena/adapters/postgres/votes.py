"""Votes and the live board; the read model of votes that count (the `counting_votes` view).
Booleans are returned as 0/1 and times as ISO text or Unix seconds, as SQLite returns them."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from arena.adapters.postgres.base import (
    iso_fields,
    iso_from_timestamp,
    to_json,
    to_json_list,
    unix_from_timestamp,
)
from arena.adapters.turn_rows import UNVOTED
from arena.adapters.vote_pairs import COUNTED_PAIRS_SQL, vote_pairs
from arena.domain.reasons import CAPPED
from arena.ports import LiveRating, LiveUpdate, NewVote, VoteAlreadyCast, VotePairs

# The order votes were cast in, as every replay and a snapshot read them: the time (stored cut to
# the millisecond), then the battle id by code point (the "C" collation).
CAST_ORDER = 'v.created_at, v.battle_id COLLATE "C"'


class Votes:
    def record_vote(self, vote: NewVote) -> None:
        """Store the vote, with its battle's number of turns (final: the vote closes it), and
        close the battle. Raises VoteAlreadyCast if the battle has a vote already; then nothing
        is written. The battle stays locked until the caller's transaction ends (a second vote
        on it waits, then is refused). The two models are locked only by the live update that
        follows (`live_skills`), a few statements before the commit: votes on the same popular
        models queue behind that, not behind each other's whole vote."""
        with self.transaction() as conn:
            battle = conn.execute(
                "SELECT model_a_id, model_b_id, anonymous, "
                "EXISTS (SELECT 1 FROM votes v WHERE v.battle_id = b.id), "
                "(SELECT COUNT(*) FROM turns t WHERE t.battle_id = b.id) FROM battles b "
                "WHERE b.id = %s FOR NO KEY UPDATE OF b",
                [vote.battle_id],
            ).fetchone()
            if battle is None:
                voted = "SELECT 1 FROM votes WHERE battle_id = %s"  # an imported battle's vote
                if conn.execute(voted, [vote.battle_id]).fetchone():
                    raise VoteAlreadyCast(vote.battle_id)
                raise KeyError(f"no battle {vote.battle_id!r}")
            model_a_id, model_b_id, anonymous, voted, turns = battle
            if voted:
                raise VoteAlreadyCast(vote.battle_id)
            now = self._now()
            detail = {"verdict": vote.verdict, "counted": vote.counted, "reason": vote.reason}
            inserted = conn.execute(  # the vote, the battle closed and the event: one round trip
                "WITH v AS (INSERT INTO votes (battle_id, voter_id, model_a_id, model_b_id, "
                "verdict, counted, reason, anonymous, language, is_coding, is_long_query, "
                "is_multi_turn, style_a, style_b, source, created_at, turns, feedback) VALUES "
                "(%(battle)s, %(voter)s, %(a)s, %(b)s, %(verdict)s, %(counted)s, %(reason)s, "
                "%(anonymous)s, %(language)s, %(coding)s, %(long)s, %(multi)s, "
                "%(style_a)s::jsonb, %(style_b)s::jsonb, 'arena', %(now)s, %(turns)s, "
                "%(feedback)s::jsonb) "
                "ON CONFLICT (battle_id) DO NOTHING "
                "RETURNING id), "
                # a void battle stays void: its failure is what the vote recorded
                "closed AS (UPDATE battles SET status = 'voted', ended_at = %(now)s "
                "WHERE id = %(battle)s AND status = 'open' AND EXISTS (SELECT 1 FROM v)), "
                "logged AS (INSERT INTO events (ts, kind, battle_id, voter_id, detail) "
                "SELECT %(now)s, 'vote', %(battle)s, %(voter)s, %(detail)s::jsonb FROM v) "
                "SELECT id FROM v",
                {"battle": vote.battle_id, "voter": vote.voter_id, "a": model_a_id,
                 "b": model_b_id, "verdict": vote.verdict, "counted": vote.counted,
                 "reason": vote.reason, "anonymous": anonymous, "language": vote.language,
                 "coding": vote.is_coding, "long": vote.is_long_query,
                 "multi": vote.is_multi_turn, "style_a": to_json_list(vote.style_a),
                 "style_b": to_json_list(vote.style_b), "now": now, "detail": to_json(detail),
                 "turns": turns, "feedback": to_json_list(vote.feedback or None)},
            ).fetchone()  # fmt: skip
            if inserted is None:  # a vote written without the battle's lock (an import, a copy)
                raise VoteAlreadyCast(vote.battle_id)

    def live_skills(self, models: list[str]) -> dict[str, tuple[float, float]]:
        """(mu, sigma) on the live board of those of `models` that have one. Inside a
        transaction the models stay locked until it ends, so two votes on the same model rate
        one after the other (no update is lost)."""
        with self._connection() as conn:
            if self._in_transaction():  # locked first, read after: a read that waited on the
                # lock in the same statement would still see the ratings from before the wait
                conn.execute("SELECT id FROM models WHERE name = ANY(%s) ORDER BY id "
                             "FOR NO KEY UPDATE", [list(models)])  # fmt: skip
            return {row[0]: (row[1], row[2]) for row in conn.execute(
                "SELECT m.name, r.mu, r.sigma FROM live_ratings r JOIN models m "
                "ON m.id = r.model_id WHERE m.name = ANY(%s)", [list(models)],
            )}  # fmt: skip

    def add_live_result(self, update: LiveUpdate) -> None:
        """One model's new skill after one counted vote, with its win/loss/tie added."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO live_ratings (model_id, mu, sigma, votes, wins, losses, ties, "
                "updated_at) SELECT id, %s, %s, 1, %s, %s, %s, %s FROM models WHERE name = %s "
                "ON CONFLICT (model_id) DO UPDATE SET mu = excluded.mu, sigma = excluded.sigma, "
                "votes = live_ratings.votes + 1, wins = live_ratings.wins + excluded.wins, "
                "losses = live_ratings.losses + excluded.losses, "
                "ties = live_ratings.ties + excluded.ties, updated_at = excluded.updated_at",
                [update.mu, update.sigma, update.wins, update.losses, update.ties, self._now(),
                 update.model],
            )  # fmt: skip

    def live_ratings(self) -> list[LiveRating]:
        return [LiveRating(**row) for row in self._dicts(
            "SELECT m.name AS model, r.mu, r.sigma, r.votes, r.wins, r.losses, r.ties "
            "FROM live_ratings r JOIN models m ON m.id = r.model_id "
            "ORDER BY r.mu - 3 * r.sigma DESC"
        )]  # fmt: skip

    def replace_live_ratings(self, ratings: list[LiveRating]) -> None:
        """Swap the whole live table for a recomputed one, atomically."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM live_ratings")
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO live_ratings (model_id, mu, sigma, votes, wins, losses, ties, "
                    "updated_at) SELECT id, %s, %s, %s, %s, %s, %s, %s FROM models WHERE name = %s",
                    [(r.mu, r.sigma, r.votes, r.wins, r.losses, r.ties, self._now(), r.model)
                     for r in ratings],
                )  # fmt: skip
            self._log(conn, "ratings_recomputed", None, None, {"models": len(ratings)})

    def counted_vote_pairs(self) -> VotePairs:
        """Every vote that counts, in the order stored, as columns (through a server-side
        cursor: the rows are not all held at once)."""
        with self._connection() as conn:
            models = dict(conn.execute("SELECT id, name FROM models").fetchall())
            with conn.transaction(), conn.cursor(name="counted_pairs") as cursor:
                cursor.execute(COUNTED_PAIRS_SQL.format(cast_order=CAST_ORDER))
                return vote_pairs(cursor, models)

    def counted_vote_rows(self) -> Iterator[tuple]:
        """(model_a, model_b, verdict, voter_id, language, is_coding, is_long_query,
        is_multi_turn) of every vote that counts, in the order cast."""
        yield from self._all(
            "SELECT ma.name, mb.name, v.verdict, v.voter_id, v.language, v.is_coding::int, "
            "v.is_long_query::int, v.is_multi_turn::int FROM counting_votes v "
            "JOIN models ma ON ma.id = v.model_a_id JOIN models mb ON mb.id = v.model_b_id "
            f"ORDER BY {CAST_ORDER}"
        )

    def snapshot_vote_rows(self, of: Collection[int] | None = None) -> Iterator[dict[str, Any]]:
        """Every vote that counts, with what a snapshot and its release need, in the order cast;
        or the votes `of` (a snapshot's vote ids), whether they count now or not."""
        votes, params = ("counting_votes", []) if of is None else (
            "(SELECT * FROM votes WHERE id = ANY(%s))", [sorted(of)],
        )  # fmt: skip
        yield from (iso_fields(row, "created_at") for row in self._dicts(
            "SELECT v.id AS vote_id, v.battle_id, ma.name AS model_a, mb.name AS model_b, "
            "v.verdict, v.voter_id, v.language, v.is_coding::int AS is_coding, "
            "v.is_long_query::int AS is_long_query, v.is_multi_turn::int AS is_multi_turn, "
            # `turns`: stored with the vote (an imported one's are the turns its file said)
            "v.created_at, v.style_a::text AS style_a, v.style_b::text AS style_b, v.source, "
            "v.turns, v.feedback::text AS feedback "
            f"FROM {votes} v JOIN models ma ON ma.id = v.model_a_id "
            "JOIN models mb ON mb.id = v.model_b_id ORDER BY v.id",
            params,
        ))  # fmt: skip

    def counting_vote_count(self) -> int:
        """How many votes count (as many as snapshot_vote_rows gives)."""
        return int(self._one("SELECT count(*) FROM counting_votes")[0])

    def voter_evidence_records(self) -> list[dict[str, Any]]:
        """Every vote that counts and every anonymous vote a daily cap kept from counting (the
        voter tests' evidence), of voters no quarantine holds, in the order cast: voter, models,
        verdict, time (ISO `created_at` and Unix `timestamp`, both as the SQLite store gives
        them), IP hashes, `counted`, which marks the votes that count, and `imported`, those a
        file brought (import-battles)."""
        return [
            {
                **row,
                "created_at": iso_from_timestamp(row["created_at"]),
                "timestamp": unix_from_timestamp(row["created_at"]),
                "imported": bool(row["imported"]),
            }
            for row in self._dicts(
                "SELECT v.id AS vote_id, v.voter_id, ma.name AS model_a, mb.name AS model_b, "
                "v.verdict, v.created_at, b.ip_hash, b.ip_prefix_hash, v.counted, "
                "v.source <> 'arena' AS imported FROM votes v "
                "LEFT JOIN battles b ON b.id = v.battle_id "
                "JOIN models ma ON ma.id = v.model_a_id JOIN models mb ON mb.id = v.model_b_id "
                "WHERE v.anonymous AND (v.counted OR v.reason = ANY(%s)) "
                "AND NOT EXISTS (SELECT 1 FROM held_votes h WHERE h.id = v.id) ORDER BY v.id",
                [[reason.value for reason in sorted(CAPPED)]],
            )
        ]

    def models_with_votes(self) -> list[str]:
        """Every model that ever received a vote (counted or not, quarantined or not)."""
        return [row[0] for row in self._all(
            "SELECT name COLLATE \"C\" FROM models WHERE id IN (SELECT model_a_id FROM votes "
            "UNION SELECT model_b_id FROM votes) ORDER BY 1"
        )]  # fmt: skip

    def exclusion_counts(self) -> dict[str, int]:
        """Votes and battles left out of rankings, by reason."""
        with self._connection() as conn:
            counts = dict(conn.execute(
                "SELECT COALESCE(reason, 'named_battle') AS reason, COUNT(*) AS n FROM votes "
                "WHERE NOT counted OR NOT anonymous GROUP BY 1"
            ).fetchall())  # fmt: skip
            for status in ("abandoned", "void"):
                counts[f"battle_{status}"] = conn.execute(
                    f"SELECT COUNT(*) FROM battles WHERE {UNVOTED} AND status = %s "
                    "AND mode = 'anonymous'",
                    [status],
                ).fetchone()[0]
            counts["quarantined"] = conn.execute(
                "SELECT COUNT(*) FROM votes WHERE counted AND anonymous AND voter_id IN "
                "(SELECT voter_id FROM quarantines WHERE released_at IS NULL)"
            ).fetchone()[0]
            counts["cohort_quarantined"] = conn.execute(
                "SELECT COUNT(DISTINCT vote_id) FROM cohort_quarantined_votes"
            ).fetchone()[0]
            counts["vote_refused"] = conn.execute(
                "SELECT COUNT(*) FROM events WHERE kind = 'vote_refused'"
            ).fetchone()[0]
        return counts
