"""The PostgreSQL schema: migrations numbered like SQLite's (version n means the same tables and
rules on both), in native types: identity ids, booleans, `timestamptz`, `jsonb`. Append only."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import psycopg.sql

from arena.adapters.turn_rows import STARTED_HERE, UNVOTED
from arena.domain.verdicts import Verdict
from arena.domain.vote_ids import pack_vote_ids

IDENTITY = "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"


def _create_v1(conn: psycopg.Connection) -> None:
    conn.execute("CREATE TABLE meta (key text PRIMARY KEY, value text)")
    conn.execute(
        f"CREATE TABLE models (id {IDENTITY}, name text NOT NULL, display_name text, "
        "organisation text, licence text, status text NOT NULL DEFAULT 'active', "
        "created_at timestamptz)"
    )
    conn.execute("CREATE UNIQUE INDEX idx_models_name ON models (name)")
    conn.execute("CREATE TABLE voters (id text PRIMARY KEY, ip_hash text, created_at timestamptz)")
    conn.execute("CREATE INDEX idx_voters_ip_hash ON voters (ip_hash)")
    conn.execute(
        "CREATE TABLE battles (id text PRIMARY KEY, session_id text NOT NULL, "
        "voter_id text NOT NULL REFERENCES voters (id), mode text NOT NULL, "
        "anonymous boolean NOT NULL, model_a_id bigint NOT NULL REFERENCES models (id), "
        "model_b_id bigint REFERENCES models (id), status text NOT NULL, "
        "pair_probability double precision, max_turns bigint, created_at timestamptz, "
        "ended_at timestamptz)"
    )
    conn.execute("CREATE INDEX idx_battles_voter_id ON battles (voter_id)")
    conn.execute("CREATE INDEX idx_battles_status ON battles (status)")
    conn.execute(
        f"CREATE TABLE turns (id {IDENTITY}, battle_id text NOT NULL REFERENCES battles (id), "
        "idx bigint NOT NULL, prompt text NOT NULL, answer_a text, answer_b text, error_a text, "
        "error_b text, latency_a_s double precision, latency_b_s double precision, "
        "prompt_tokens_a bigint, completion_tokens_a bigint, prompt_tokens_b bigint, "
        "completion_tokens_b bigint, cost_a_usd double precision, cost_b_usd double precision, "
        "disclosures jsonb, probe jsonb, created_at timestamptz)"
    )
    conn.execute("CREATE UNIQUE INDEX idx_turns_battle_id_idx ON turns (battle_id, idx)")
    conn.execute(
        f"CREATE TABLE votes (id {IDENTITY}, battle_id text NOT NULL REFERENCES battles (id), "
        "voter_id text NOT NULL REFERENCES voters (id), "
        "model_a_id bigint NOT NULL REFERENCES models (id), "
        "model_b_id bigint NOT NULL REFERENCES models (id), verdict text NOT NULL, "
        "counted boolean NOT NULL, reason text, anonymous boolean, language text, "
        "is_coding boolean, is_long_query boolean, is_multi_turn boolean, "
        "source text DEFAULT 'arena', created_at timestamptz)"
    )
    conn.execute("CREATE UNIQUE INDEX idx_votes_battle_id ON votes (battle_id)")
    conn.execute(
        "CREATE INDEX idx_votes_counted_model_a_id_model_b_id "
        "ON votes (counted, model_a_id, model_b_id)"
    )
    conn.execute("CREATE INDEX idx_votes_voter_id ON votes (voter_id)")
    conn.execute(
        "CREATE TABLE live_ratings (model_id bigint PRIMARY KEY REFERENCES models (id), "
        "mu double precision, sigma double precision, votes bigint, wins bigint, "
        "losses bigint, ties bigint, updated_at timestamptz)"
    )
    conn.execute(
        f"CREATE TABLE events (id {IDENTITY}, ts timestamptz NOT NULL, kind text NOT NULL, "
        "battle_id text, voter_id text, detail jsonb)"
    )
    conn.execute("CREATE INDEX idx_events_kind ON events (kind)")
    # One function behind every "this table never changes" rule; restrict_violation is an
    # integrity error, as SQLite's RAISE(ABORT) in a trigger is.
    conn.execute(
        "CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; END $$"
    )
    _refuse(conn, "events_append_only", "UPDATE", "events", "the event log is append-only")
    _refuse(conn, "events_no_delete", "DELETE", "events", "the event log is append-only")


def _refuse(conn: psycopg.Connection, name: str, action: str, table: str, message: str) -> None:
    """A trigger that aborts every `action` (UPDATE or DELETE) on `table` with `message`."""
    conn.execute(
        f"CREATE TRIGGER {name} BEFORE {action} ON {table} FOR EACH ROW "
        f"EXECUTE FUNCTION refuse_change('{message}')"
    )


def _add_snapshots_v2(conn: psycopg.Connection) -> None:
    """Style features per vote and immutable snapshots. `seq` keeps the order snapshots were
    made in (SQLite's rowid); the body stays text, byte for byte as published."""
    conn.execute("ALTER TABLE votes ADD COLUMN style_a jsonb, ADD COLUMN style_b jsonb")
    conn.execute(
        "CREATE TABLE snapshots (id text PRIMARY KEY, "
        "seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE, created_at timestamptz NOT NULL, "
        "votes bigint NOT NULL, vote_set_sha256 text NOT NULL, body text NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE snapshot_battles (snapshot_id text REFERENCES snapshots (id), "
        "battle_id text REFERENCES battles (id), PRIMARY KEY (snapshot_id, battle_id))"
    )
    for table in ("snapshots", "snapshot_battles"):
        for action in ("UPDATE", "DELETE"):
            name = f"{table}_immutable_{action.lower()}"
            _refuse(conn, name, action, table, "snapshots are immutable")


def _add_integrity_v3(conn: psycopg.Connection) -> None:
    """IP hashes per battle, spent proofs, detection flags and reversible quarantines. One
    active quarantine per voter is a unique index here: concurrent writers cannot add two."""
    conn.execute("ALTER TABLE battles ADD COLUMN ip_hash text, ADD COLUMN ip_prefix_hash text")
    conn.execute("CREATE INDEX idx_battles_ip_hash ON battles (ip_hash)")
    conn.execute("CREATE TABLE proofs_used (challenge_id text PRIMARY KEY, used_at timestamptz)")
    conn.execute(
        f"CREATE TABLE flags (id {IDENTITY}, kind text NOT NULL, subject text NOT NULL, "
        "test text NOT NULL, statistic double precision, p_value double precision, "
        "evidence text, snapshot_id text, created_at timestamptz NOT NULL)"
    )
    conn.execute(
        f"CREATE TABLE quarantines (id {IDENTITY}, "
        "voter_id text NOT NULL REFERENCES voters (id), reason text NOT NULL, evidence text, "
        "created_at timestamptz NOT NULL, released_at timestamptz, released_reason text)"
    )
    conn.execute("CREATE INDEX idx_quarantines_voter_id ON quarantines (voter_id)")
    conn.execute(
        "CREATE UNIQUE INDEX idx_quarantines_active ON quarantines (voter_id) "
        "WHERE released_at IS NULL"
    )


def _index_gate_queries_v4(conn: psycopg.Connection) -> None:
    """The gates' "this voter's / this IP's battles and counted votes since T"."""
    conn.execute("CREATE INDEX idx_battles_voter_id_created_at ON battles (voter_id, created_at)")
    conn.execute("CREATE INDEX idx_battles_ip_hash_created_at ON battles (ip_hash, created_at)")
    conn.execute(
        "CREATE INDEX idx_votes_voter_id_counted_created_at "
        "ON votes (voter_id, counted, created_at)"
    )


def _track_streams_v5(conn: psycopg.Connection) -> None:
    """`streaming_since`: set while a turn streams, so streams that died can be abandoned."""
    conn.execute("ALTER TABLE battles ADD COLUMN streaming_since timestamptz")
    conn.execute(
        "CREATE INDEX idx_battles_status_streaming_since ON battles (status, streaming_since)"
    )
    conn.execute("CREATE INDEX idx_events_kind_ts ON events (kind, ts)")


def _define_counting_votes_v6(conn: psycopg.Connection) -> None:
    """The one definition of a vote that counts: anonymous, counted, voter not quarantined."""
    conn.execute(
        "CREATE VIEW counting_votes AS SELECT v.* FROM votes v "
        "WHERE v.counted AND v.anonymous AND NOT EXISTS (SELECT 1 FROM quarantines q "
        "WHERE q.voter_id = v.voter_id AND q.released_at IS NULL)"
    )
    conn.execute(
        "CREATE INDEX idx_quarantines_voter_id_released_at ON quarantines (voter_id, released_at)"
    )


def _index_votes_by_time_v7(conn: psycopg.Connection) -> None:
    """Every vote's gates read the votes stored since the last one (the duplicate-prompt index)."""
    conn.execute("CREATE INDEX idx_votes_created_at ON votes (created_at)")


def _stamp_vote_transactions_v8(conn: psycopg.Connection) -> None:
    """`votes.txid`: the transaction that wrote each vote, so a reader can ask exactly for the
    votes committed since its last read (ids and times are taken before commit, in any order)."""
    conn.execute("ALTER TABLE votes ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id()")
    conn.execute("CREATE INDEX idx_votes_txid ON votes (txid)")


def _add_readable_views_v9(conn: psycopg.Connection) -> None:
    """SQLite's version 9 here too: the `leaderboard` view (the latest snapshot's boards as
    rows), `battles_readable` (every vote with its models' names) and the REDUNDANT_V9 indexes
    dropped (e.g. votes (voter_id), which (voter_id, counted, created_at) serves). The body is
    read as `json`, not `jsonb`, to keep the boards in the order they were published."""
    conn.execute(
        "CREATE VIEW leaderboard AS SELECT s.id AS snapshot_id, "
        "s.created_at AS snapshot_created_at, b.key AS category, "
        "(b.value ->> 'votes')::bigint AS category_votes, "
        "(r.value ->> 'rank_ub')::bigint AS rank_ub, r.value ->> 'model' AS model, "
        "(r.value ->> 'rating')::double precision AS rating, "
        "(r.value ->> 'lower')::double precision AS lower, "
        "(r.value ->> 'upper')::double precision AS upper, "
        "(r.value ->> 'votes')::bigint AS votes, "
        "(r.value ->> 'provisional')::boolean AS provisional, "
        "r.value ->> 'organisation' AS organisation, r.value ->> 'licence' AS licence, "
        "r.value ->> 'status' AS status FROM snapshots s "
        "CROSS JOIN LATERAL json_each(s.body::json -> 'boards') WITH ORDINALITY "
        "AS b (key, value, board_order) "
        "CROSS JOIN LATERAL json_array_elements(b.value -> 'rows') WITH ORDINALITY "
        "AS r (value, row_order) "
        "WHERE s.seq = (SELECT max(seq) FROM snapshots) ORDER BY b.board_order, r.row_order"
    )
    conn.execute(
        "CREATE VIEW battles_readable AS SELECT v.id AS vote_id, v.battle_id, v.created_at, "
        "ma.name AS model_a, mb.name AS model_b, v.verdict, "
        f"CASE v.verdict WHEN '{Verdict.A_BETTER}' THEN ma.name "
        f"WHEN '{Verdict.B_BETTER}' THEN mb.name END AS winner, "
        "v.counted, v.reason, v.anonymous, "
        "EXISTS (SELECT 1 FROM quarantines q WHERE q.voter_id = v.voter_id "
        "AND q.released_at IS NULL) AS voter_quarantined, "
        "EXISTS (SELECT 1 FROM counting_votes c WHERE c.id = v.id) AS counting, "
        "v.language, v.is_coding, v.is_long_query, v.is_multi_turn, v.source, v.voter_id "
        "FROM votes v JOIN models ma ON ma.id = v.model_a_id "
        "JOIN models mb ON mb.id = v.model_b_id ORDER BY v.id"
    )
    for index in REDUNDANT_V9:
        conn.execute(f"DROP INDEX {index}")


def _pack_snapshot_votes_v10(conn: psycopg.Connection) -> None:
    """SQLite's version 10 here too: `snapshots.vote_ids` (the ids packed by
    arena.domain.vote_ids) replaces `snapshot_battles`, a row per counted battle per snapshot."""
    conn.execute("ALTER TABLE snapshots ADD COLUMN vote_ids bytea")
    conn.execute("DROP TRIGGER snapshots_immutable_update ON snapshots")
    for (snapshot_id,) in conn.execute("SELECT id FROM snapshots").fetchall():
        ids = [row[0] for row in conn.execute(
            "SELECT v.id FROM snapshot_battles s JOIN votes v ON v.battle_id = s.battle_id "
            "WHERE s.snapshot_id = %s", [snapshot_id],
        )]  # fmt: skip
        conn.execute("UPDATE snapshots SET vote_ids = %s WHERE id = %s",
                     [pack_vote_ids(ids), snapshot_id])  # fmt: skip
    _refuse(conn, "snapshots_immutable_update", "UPDATE", "snapshots", "snapshots are immutable")
    conn.execute("DROP TABLE snapshot_battles")


def _store_vote_turns_v11(conn: psycopg.Connection) -> None:
    """SQLite's version 11 here too: `votes.turns`, the number of turns of the vote's battle,
    stored with the vote (a vote closes its battle, so the number is final) instead of worked
    out per vote by every snapshot's read. Existing votes are filled in as it was worked out
    (VOTE_TURNS_V11: an arena battle's turn rows, an imported battle's `max_turns`).
    `counting_votes` was expanded from `v.*` when it was made: it is made again, with the same
    definition, to show the new column (`battles_readable` reads it, so it is replaced, not
    dropped). No trigger guards `votes`; `txid` keeps the transaction that inserted each."""
    conn.execute("ALTER TABLE votes ADD COLUMN turns bigint")
    conn.execute(f"UPDATE votes AS v SET turns = {VOTE_TURNS_V11}")
    conn.execute(
        "CREATE OR REPLACE VIEW counting_votes AS SELECT v.* FROM votes v "
        "WHERE v.counted AND v.anonymous AND NOT EXISTS (SELECT 1 FROM quarantines q "
        "WHERE q.voter_id = v.voter_id AND q.released_at IS NULL)"
    )


def _add_cohort_quarantines_v12(conn: psycopg.Connection) -> None:
    """SQLite's version 12 here too: `cohort_quarantines` (the record of each, every vote id
    packed) and `cohort_quarantined_votes` (a row per vote of an active one), which
    `counting_votes` now leaves out (same columns: the view is replaced, not dropped)."""
    conn.execute(
        f"CREATE TABLE cohort_quarantines (id {IDENTITY}, test text NOT NULL, "
        "model text NOT NULL, statistic double precision, evidence text, "
        "votes bigint NOT NULL, voters bigint NOT NULL, vote_ids bytea NOT NULL, "
        "status text NOT NULL, created_at timestamptz NOT NULL, reviewed_at timestamptz, "
        "review_reason text)"
    )
    conn.execute(
        "CREATE TABLE cohort_quarantined_votes (vote_id bigint NOT NULL, "
        "quarantine_id bigint NOT NULL REFERENCES cohort_quarantines (id), "
        "PRIMARY KEY (vote_id, quarantine_id))"
    )
    conn.execute(
        "CREATE OR REPLACE VIEW counting_votes AS SELECT v.* FROM votes v "
        "WHERE v.counted AND v.anonymous AND NOT EXISTS (SELECT 1 FROM quarantines q "
        "WHERE q.voter_id = v.voter_id AND q.released_at IS NULL) AND NOT EXISTS "
        "(SELECT 1 FROM cohort_quarantined_votes c WHERE c.vote_id = v.id)"
    )


def _split_counting_votes_v13(conn: psycopg.Connection) -> None:
    """SQLite's version 13 here too: `counting_votes` as `countable_votes` (counted and
    anonymous when stored) minus `held_votes` (the ids a quarantine keeps out now)."""
    conn.execute(
        "CREATE VIEW countable_votes AS SELECT v.* FROM votes v WHERE v.counted AND v.anonymous"
    )
    conn.execute(
        "CREATE VIEW held_votes AS SELECT v.id FROM quarantines q "
        "JOIN votes v ON v.voter_id = q.voter_id WHERE q.released_at IS NULL "
        "UNION ALL SELECT vote_id FROM cohort_quarantined_votes"
    )
    conn.execute(
        "CREATE OR REPLACE VIEW counting_votes AS SELECT v.* FROM countable_votes v "
        "WHERE NOT EXISTS (SELECT 1 FROM held_votes h WHERE h.id = v.id)"
    )


def _record_terms_v14(conn: psycopg.Connection) -> None:
    """SQLite's version 14 here too: when each voter accepted the terms, and which text."""
    conn.execute("ALTER TABLE voters ADD COLUMN terms_accepted_at timestamptz, "
                 "ADD COLUMN terms_sha256 text")  # fmt: skip


def _add_feedback_and_shares_v15(conn: psycopg.Connection) -> None:
    """SQLite's version 15 here too: the feedback words with a vote, and the shared battles.
    The views over `votes` are made again so that they show the new column."""
    conn.execute("ALTER TABLE votes ADD COLUMN feedback jsonb")
    conn.execute(
        "CREATE TABLE shared_battles (id text PRIMARY KEY, "
        "battle_id text NOT NULL UNIQUE REFERENCES battles(id), shared_at timestamptz NOT NULL)"
    )
    conn.execute(
        "CREATE OR REPLACE VIEW countable_votes AS "
        "SELECT v.* FROM votes v WHERE v.counted AND v.anonymous"
    )
    conn.execute(
        "CREATE OR REPLACE VIEW counting_votes AS SELECT v.* FROM countable_votes v "
        "WHERE NOT EXISTS (SELECT 1 FROM held_votes h WHERE h.id = v.id)"
    )


def _index_live_battles_only_v16(conn: psycopg.Connection) -> None:
    """SQLite's version 16 here too: battles indexed by IP only where they have one, by
    `streaming_since` only while a turn streams, by status only where it is not `voted`; no
    index of voters by IP (no query reads one). An imported battle takes none of their room."""
    conn.execute("DROP INDEX idx_battles_ip_hash_created_at")
    conn.execute("DROP INDEX idx_battles_status_streaming_since")
    conn.execute("DROP INDEX idx_voters_ip_hash")
    conn.execute(
        "CREATE INDEX idx_battles_ip_hash_created_at ON battles (ip_hash, created_at) "
        "WHERE ip_hash IS NOT NULL"
    )
    conn.execute(
        "CREATE INDEX idx_battles_streaming_since ON battles (streaming_since) "
        "WHERE streaming_since IS NOT NULL"
    )
    conn.execute(f"CREATE INDEX idx_battles_unvoted_status ON battles (status) WHERE {UNVOTED}")


def _index_live_voters_battles_v17(conn: psycopg.Connection) -> None:
    """SQLite's version 17 here too: battles indexed by voter only where they were started here
    (an imported battle was never started in this arena; the gates count a voter's starts)."""
    conn.execute("DROP INDEX idx_battles_voter_id_created_at")
    conn.execute(
        "CREATE INDEX idx_battles_voter_id_created_at ON battles (voter_id, created_at) "
        f"WHERE {STARTED_HERE}"
    )


def _imported_battles_in_their_votes_v18(conn: psycopg.Connection) -> None:
    """SQLite's version 18 here too: votes and turns no longer reference battles, for an
    imported battle has no battles row from now on (its vote row holds every value of it)."""
    for table in ("votes", "turns"):
        for (name,) in conn.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
            "AND confrelid = 'battles'::regclass", [table],
        ).fetchall():  # fmt: skip
            conn.execute(
                psycopg.sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                    psycopg.sql.Identifier(table), psycopg.sql.Identifier(name)
                )
            )


# A vote's turns as snapshots worked them out before version 11 (and version 11 stored them).
VOTE_TURNS_V11 = (
    "CASE WHEN v.source = 'arena' "
    "THEN (SELECT COUNT(*) FROM turns t WHERE t.battle_id = v.battle_id) "
    "ELSE (SELECT b.max_turns FROM battles b WHERE b.id = v.battle_id) END"
)

# Keys of the `meta` rows that held secrets in SQLite databases before the secrets file.
LEGACY_SECRETS = ("ip_salt", "proof_of_work_secret", "release_key")

# Migration n takes the schema from version n-1 to n, as SQLite's migration n does.
# Indexes whose columns begin another index on the same table (e.g. votes (voter_id) beside
# (voter_id, counted, created_at)): the longer one answers every query, so they only cost writes.
REDUNDANT_V9 = ("idx_votes_voter_id", "idx_battles_voter_id", "idx_battles_ip_hash",
                "idx_battles_status", "idx_events_kind", "idx_quarantines_voter_id")  # fmt: skip

MIGRATIONS: tuple[Callable[[psycopg.Connection], None], ...] = (
    _create_v1,
    _add_snapshots_v2,
    _add_integrity_v3,
    _index_gate_queries_v4,
    _track_streams_v5,
    _define_counting_votes_v6,
    _index_votes_by_time_v7,
    _stamp_vote_transactions_v8,
    _add_readable_views_v9,
    _pack_snapshot_votes_v10,
    _store_vote_turns_v11,
    _add_cohort_quarantines_v12,
    _split_counting_votes_v13,
    _record_terms_v14,
    _add_feedback_and_shares_v15,
    _index_live_battles_only_v16,
    _index_live_voters_battles_v17,
    _imported_battles_in_their_votes_v18,
)
SCHEMA_VERSION = len(MIGRATIONS)
