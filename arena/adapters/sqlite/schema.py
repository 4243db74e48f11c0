"""The SQLite schema: migrations (append only; never edit a released one) and its version."""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlite_utils

from arena.adapters.turn_rows import STARTED_HERE, UNVOTED
from arena.domain.verdicts import Verdict
from arena.domain.vote_ids import pack_vote_ids


def _create_v1(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["models"].create(
        {
            "id": int,
            "name": str,
            "display_name": str,
            "organisation": str,
            "licence": str,
            "status": str,
            "created_at": str,
        },
        pk="id",
        not_null={"name", "status"},
        defaults={"status": "active"},
    )
    db["models"].create_index(["name"], unique=True)
    db["voters"].create({"id": str, "ip_hash": str, "created_at": str}, pk="id")
    db["voters"].create_index(["ip_hash"])
    db["battles"].create(
        {
            "id": str,
            "session_id": str,
            "voter_id": str,
            "mode": str,
            "anonymous": int,
            "model_a_id": int,
            "model_b_id": int,
            "status": str,
            "pair_probability": float,
            "max_turns": int,
            "created_at": str,
            "ended_at": str,
        },
        pk="id",
        not_null={"session_id", "voter_id", "mode", "anonymous", "model_a_id", "status"},
        foreign_keys=[
            ("voter_id", "voters", "id"),
            ("model_a_id", "models", "id"),
            ("model_b_id", "models", "id"),
        ],
    )
    db["battles"].create_index(["voter_id"])
    db["battles"].create_index(["status"])
    db["turns"].create(
        {
            "id": int,
            "battle_id": str,
            "idx": int,
            "prompt": str,
            "answer_a": str,
            "answer_b": str,
            "error_a": str,
            "error_b": str,
            "latency_a_s": float,
            "latency_b_s": float,
            "prompt_tokens_a": int,
            "completion_tokens_a": int,
            "prompt_tokens_b": int,
            "completion_tokens_b": int,
            "cost_a_usd": float,
            "cost_b_usd": float,
            "disclosures": str,
            "probe": str,
            "created_at": str,
        },
        pk="id",
        not_null={"battle_id", "idx", "prompt"},
        foreign_keys=[("battle_id", "battles", "id")],
    )
    db["turns"].create_index(["battle_id", "idx"], unique=True)
    db["votes"].create(
        {
            "id": int,
            "battle_id": str,
            "voter_id": str,
            "model_a_id": int,
            "model_b_id": int,
            "verdict": str,
            "counted": int,
            "reason": str,
            "anonymous": int,
            "language": str,
            "is_coding": int,
            "is_long_query": int,
            "is_multi_turn": int,
            "source": str,
            "created_at": str,
        },
        pk="id",
        not_null={"battle_id", "voter_id", "model_a_id", "model_b_id", "verdict", "counted"},
        foreign_keys=[
            ("battle_id", "battles", "id"),
            ("voter_id", "voters", "id"),
            ("model_a_id", "models", "id"),
            ("model_b_id", "models", "id"),
        ],
        defaults={"source": "arena"},
    )
    db["votes"].create_index(["battle_id"], unique=True)
    db["votes"].create_index(["counted", "model_a_id", "model_b_id"])
    db["votes"].create_index(["voter_id"])
    db["live_ratings"].create(
        {
            "model_id": int,
            "mu": float,
            "sigma": float,
            "votes": int,
            "wins": int,
            "losses": int,
            "ties": int,
            "updated_at": str,
        },
        pk="model_id",
        foreign_keys=[("model_id", "models", "id")],
    )
    db["events"].create(
        {"id": int, "ts": str, "kind": str, "battle_id": str, "voter_id": str, "detail": str},
        pk="id",
        not_null={"ts", "kind"},
    )
    db["events"].create_index(["kind"])
    db.execute(
        "CREATE TRIGGER events_append_only BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
        "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END"
    )


def _add_snapshots_v2(db: sqlite_utils.Database) -> None:
    """Style features per vote (for the style-controlled board) and immutable snapshots."""
    db["votes"].add_column("style_a", str)  # JSON [length, headers, list_items, bold], all turns
    db["votes"].add_column("style_b", str)
    db["snapshots"].create(
        {"id": str, "created_at": str, "votes": int, "vote_set_sha256": str, "body": str},
        pk="id",
        not_null={"created_at", "votes", "vote_set_sha256", "body"},
    )
    db["snapshot_battles"].create(
        {"snapshot_id": str, "battle_id": str},
        pk=("snapshot_id", "battle_id"),
        foreign_keys=[("snapshot_id", "snapshots", "id"), ("battle_id", "battles", "id")],
    )
    for table in ("snapshots", "snapshot_battles"):
        for action in ("UPDATE", "DELETE"):
            _refuse(db, table, action)


def _refuse(db: sqlite_utils.Database, table: str, action: str) -> None:
    """A trigger that aborts every `action` (UPDATE or DELETE) on a snapshot table."""
    db.execute(
        f"CREATE TRIGGER {table}_immutable_{action.lower()} BEFORE {action} ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END"
    )


def _add_integrity_v3(db: sqlite_utils.Database) -> None:
    """Where each battle came from (salted IP and /24-prefix hashes), used proof-of-work
    challenges, flags from detection runs, and reversible quarantines."""
    db["battles"].add_column("ip_hash", str)
    db["battles"].add_column("ip_prefix_hash", str)
    db["battles"].create_index(["ip_hash"])
    db["proofs_used"].create({"challenge_id": str, "used_at": str}, pk="challenge_id")
    db["flags"].create(
        {
            "id": int,
            "kind": str,  # voter | cohort
            "subject": str,  # voter id, model or IP-prefix hash
            "test": str,
            "statistic": float,
            "p_value": float,
            "evidence": str,
            "snapshot_id": str,
            "created_at": str,
        },
        pk="id",
        not_null={"kind", "subject", "test", "created_at"},
    )
    db["quarantines"].create(
        {
            "id": int,
            "voter_id": str,
            "reason": str,
            "evidence": str,
            "created_at": str,
            "released_at": str,
            "released_reason": str,
        },
        pk="id",
        not_null={"voter_id", "reason", "created_at"},
        foreign_keys=[("voter_id", "voters", "id")],
    )
    db["quarantines"].create_index(["voter_id"])


def _index_gate_queries_v4(db: sqlite_utils.Database) -> None:
    """The gates ask "this voter's / this IP's battles and counted votes since T" on every
    battle and vote: index them by (who, when) so they never scan the history."""
    db["battles"].create_index(["voter_id", "created_at"])
    db["battles"].create_index(["ip_hash", "created_at"])
    db["votes"].create_index(["voter_id", "counted", "created_at"])


def _track_streams_v5(db: sqlite_utils.Database) -> None:
    """`streaming_since`: set while a turn streams, cleared when it is saved. A battle whose
    stream died with its process (kill -9, crash) is found by it and abandoned."""
    db["battles"].add_column("streaming_since", str)
    db["battles"].create_index(["status", "streaming_since"])
    db["events"].create_index(["kind", "ts"])


def _define_counting_votes_v6(db: sqlite_utils.Database) -> None:
    """One definition of a vote that counts, in the database itself: anonymous, counted, and
    its voter not in an active quarantine (since version 12: nor the vote in an active cohort
    quarantine). The live board, `arena ratings`, snapshots and
    detection all read this view (four queries used to decide it, and disagreed)."""
    db.execute(
        "CREATE VIEW counting_votes AS SELECT v.* FROM votes v "
        "WHERE v.counted = 1 AND v.anonymous = 1 AND NOT EXISTS (SELECT 1 FROM quarantines q "
        "WHERE q.voter_id = v.voter_id AND q.released_at IS NULL)"
    )
    db["quarantines"].create_index(["voter_id", "released_at"])


def _index_votes_by_time_v7(db: sqlite_utils.Database) -> None:
    """Every vote's gates read the votes stored since the last one (the duplicate-prompt index
    is brought up to date from them, whichever worker stored them): index votes by time, so that
    read never scans the history."""
    db["votes"].create_index(["created_at"])


def _nothing_v8(db: sqlite_utils.Database) -> None:
    """Nothing here: PostgreSQL's version 8 stamps each vote with its transaction, so readers
    can ask for the votes committed since their last read. SQLite needs no column for that:
    its writers take turns, so vote ids already grow in commit order."""


def _add_readable_views_v9(db: sqlite_utils.Database) -> None:
    """What Datasette, sqlite-utils or a SQL shell shows without decoding JSON: `leaderboard`,
    the boards of the latest snapshot as rows (its body is one JSON document), and
    `battles_readable`, every vote with its models' names, its winner and whether it counts.

    Also drops the indexes REDUNDANT_V9 names (one on votes, three on battles, one each on events
    and quarantines): a longer index begins with the same column and serves every query that used
    them, so they only slowed each vote's and battle's insert."""
    db.execute(
        "CREATE VIEW leaderboard AS SELECT s.id AS snapshot_id, "
        "s.created_at AS snapshot_created_at, b.key AS category, "
        "json_extract(b.value, '$.votes') AS category_votes, "
        "json_extract(r.value, '$.rank_ub') AS rank_ub, "
        "json_extract(r.value, '$.model') AS model, "
        "json_extract(r.value, '$.rating') AS rating, "
        "json_extract(r.value, '$.lower') AS lower, "
        "json_extract(r.value, '$.upper') AS upper, "
        "json_extract(r.value, '$.votes') AS votes, "
        "json_extract(r.value, '$.provisional') AS provisional, "
        "json_extract(r.value, '$.organisation') AS organisation, "
        "json_extract(r.value, '$.licence') AS licence, "
        "json_extract(r.value, '$.status') AS status "
        "FROM snapshots s, json_each(s.body, '$.boards') b, json_each(b.value, '$.rows') r "
        # the latest snapshot: the one stored last, as the official board (publishing) takes it
        "WHERE s.rowid = (SELECT max(rowid) FROM snapshots) "
        "ORDER BY b.id, r.key"  # the body's order: boards as published, rows by rating
    )
    db.execute(
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
        db.execute(f"DROP INDEX {index}")


def _pack_snapshot_votes_v10(db: sqlite_utils.Database) -> None:
    """A snapshot's vote set moves from `snapshot_battles`, a row per counted battle per
    snapshot (10M rows for one snapshot of 10M votes), into its own row: `vote_ids`, the ids
    packed by arena.domain.vote_ids (kilobytes). Snapshots stay immutable: the trigger is
    lifted only while the column is filled in."""
    db.execute("ALTER TABLE snapshots ADD COLUMN vote_ids BLOB")
    db.execute("DROP TRIGGER snapshots_immutable_update")
    for (snapshot_id,) in db.execute("SELECT id FROM snapshots").fetchall():
        ids = [row[0] for row in db.execute(
            "SELECT v.id FROM snapshot_battles s JOIN votes v ON v.battle_id = s.battle_id "
            "WHERE s.snapshot_id = ?", [snapshot_id],
        )]  # fmt: skip
        db.execute("UPDATE snapshots SET vote_ids = ? WHERE id = ?",
                   [pack_vote_ids(ids), snapshot_id])  # fmt: skip
    _refuse(db, "snapshots", "UPDATE")
    for action in ("update", "delete"):
        db.execute(f"DROP TRIGGER snapshot_battles_immutable_{action}")
    db.execute("DROP TABLE snapshot_battles")


def _store_vote_turns_v11(db: sqlite_utils.Database) -> None:
    """`votes.turns`: the number of turns of the vote's battle, stored with the vote (a vote
    closes its battle, so the number is final). Snapshots used to work it out per vote when
    reading, with a subquery over `turns` or `battles` each (2.5 s of a snapshot's read at 1M
    votes). Existing votes are filled in as it was worked out: an arena battle's turn rows,
    an imported battle's `max_turns` (the turns its file gave; its conversations may be
    absent). No trigger guards `votes`, and `counting_votes` (`v.*`) shows the new column as
    it is."""
    db.execute("ALTER TABLE votes ADD COLUMN turns INTEGER")
    db.execute(f"UPDATE votes AS v SET turns = {VOTE_TURNS_V11}")


def _add_cohort_quarantines_v12(db: sqlite_utils.Database) -> None:
    """Cohort quarantines: the votes of a new-voter cohort that a detection run implicated,
    kept out of counting until a maintainer confirms or releases them. `cohort_quarantines` is
    the record (the alert, its evidence, the status, the review, and every vote id packed by
    arena.domain.vote_ids); `cohort_quarantined_votes` holds a row per vote of an active one
    (pending or confirmed) and is what `counting_votes` leaves out, through its primary key."""
    db.execute(
        "CREATE TABLE cohort_quarantines (id INTEGER PRIMARY KEY, test TEXT NOT NULL, "
        "model TEXT NOT NULL, statistic REAL, evidence TEXT, votes INTEGER NOT NULL, "
        "voters INTEGER NOT NULL, vote_ids BLOB NOT NULL, status TEXT NOT NULL, "
        "created_at TEXT NOT NULL, reviewed_at TEXT, review_reason TEXT)"
    )
    db.execute(
        "CREATE TABLE cohort_quarantined_votes (vote_id INTEGER NOT NULL, "
        "quarantine_id INTEGER NOT NULL REFERENCES cohort_quarantines (id), "
        "PRIMARY KEY (vote_id, quarantine_id))"
    )
    db.execute("DROP VIEW counting_votes")  # battles_readable reads it by name: made again here
    db.execute(
        "CREATE VIEW counting_votes AS SELECT v.* FROM votes v "
        "WHERE v.counted = 1 AND v.anonymous = 1 AND NOT EXISTS (SELECT 1 FROM quarantines q "
        "WHERE q.voter_id = v.voter_id AND q.released_at IS NULL) AND NOT EXISTS "
        "(SELECT 1 FROM cohort_quarantined_votes c WHERE c.vote_id = v.id)"
    )


def _split_counting_votes_v13(db: sqlite_utils.Database) -> None:
    """`counting_votes` in two named parts, so that the snapshot's column copy of the votes
    (vote_copy.py) reads each apart under the one definition: `countable_votes`, what a vote
    was when stored (counted and anonymous; never changes after), and `held_votes`, the ids a
    quarantine keeps out now (an active voter quarantine, a cohort quarantine; an id once per
    hold). A vote counts when it is countable and not held."""
    db.execute(
        "CREATE VIEW countable_votes AS SELECT v.* FROM votes v "
        "WHERE v.counted = 1 AND v.anonymous = 1"
    )
    db.execute(
        "CREATE VIEW held_votes AS SELECT v.id FROM quarantines q "
        "JOIN votes v ON v.voter_id = q.voter_id WHERE q.released_at IS NULL "
        "UNION ALL SELECT vote_id FROM cohort_quarantined_votes"
    )
    db.execute("DROP VIEW counting_votes")  # battles_readable reads it by name: made again here
    db.execute(
        "CREATE VIEW counting_votes AS SELECT v.* FROM countable_votes v "
        "WHERE v.id NOT IN (SELECT id FROM held_votes)"
    )


def _record_terms_v14(db: sqlite_utils.Database) -> None:
    """The terms each voter accepted before a first battle: when, and the SHA-256 of the
    notice's text as shown (the maintainer's own, or the built-in one in the voter's language)."""
    db.execute("ALTER TABLE voters ADD COLUMN terms_accepted_at TEXT")
    db.execute("ALTER TABLE voters ADD COLUMN terms_sha256 TEXT")


def _add_feedback_and_shares_v15(db: sqlite_utils.Database) -> None:
    """`votes.feedback`: the words a voter added on what made the better answer better (a
    JSON list; NULL for none). `shared_battles`: the battles their voters chose to share, by
    the unguessable id of each one's public page (one page per battle)."""
    db.execute("ALTER TABLE votes ADD COLUMN feedback TEXT")
    db.execute(
        "CREATE TABLE shared_battles (id TEXT PRIMARY KEY, "
        "battle_id TEXT NOT NULL UNIQUE REFERENCES battles(id), shared_at TEXT NOT NULL)"
    )


# A vote's turns as snapshots worked them out before version 11 (and version 11 stored them).
VOTE_TURNS_V11 = (
    "CASE WHEN v.source = 'arena' "
    "THEN (SELECT COUNT(*) FROM turns t WHERE t.battle_id = v.battle_id) "
    "ELSE (SELECT b.max_turns FROM battles b WHERE b.id = v.battle_id) END"
)

# Indexes whose columns begin another index on the same table (e.g. votes (voter_id) beside
# (voter_id, counted, created_at)): the longer one answers every query, so they only cost writes.
REDUNDANT_V9 = ("idx_votes_voter_id", "idx_battles_voter_id", "idx_battles_ip_hash",
                "idx_battles_status", "idx_events_kind", "idx_quarantines_voter_id")  # fmt: skip


def _index_live_battles_only_v16(db: sqlite_utils.Database) -> None:
    """Each index holds only the rows its queries look up. An imported battle has no IP, never
    streams and ended in a vote, yet the per-IP and (status, streaming_since) indexes held an
    entry for each: 2.6 of the 25 s an import of 1M battles took. Now battles are indexed by IP
    only where they have one, by `streaming_since` only while a turn streams (the sweep of
    dead streams), and by status only where it is not `voted` (the counts of abandoned and void
    battles). The index of voters by IP goes: no query reads voters by IP."""
    db.execute("DROP INDEX idx_battles_ip_hash_created_at")
    db.execute("DROP INDEX idx_battles_status_streaming_since")
    db.execute("DROP INDEX idx_voters_ip_hash")
    db.execute(
        "CREATE INDEX idx_battles_ip_hash_created_at ON battles (ip_hash, created_at) "
        "WHERE ip_hash IS NOT NULL"
    )
    db.execute(
        "CREATE INDEX idx_battles_streaming_since ON battles (streaming_since) "
        "WHERE streaming_since IS NOT NULL"
    )
    db.execute(f"CREATE INDEX idx_battles_unvoted_status ON battles (status) WHERE {UNVOTED}")


def _index_live_voters_battles_v17(db: sqlite_utils.Database) -> None:
    """Battles are indexed by voter only where they were started here: the gates count a voter's
    recent battle starts, and an imported battle was never started in this arena (1.3 of the 15
    s an import of 1M battles took was that index's rebuild, 55 MB its size)."""
    db.execute("DROP INDEX idx_battles_voter_id_created_at")
    db.execute(
        "CREATE INDEX idx_battles_voter_id_created_at ON battles (voter_id, created_at) "
        f"WHERE {STARTED_HERE}"
    )


# A column's reference to battles as sqlite-utils declares it: `"battle_id" TEXT NOT NULL
# REFERENCES "battles"("id")`.
BATTLE_REFERENCE = re.compile(r'\s+REFERENCES\s+"?battles"?\s*\(\s*"?id"?\s*\)', re.IGNORECASE)


def _imported_battles_in_their_votes_v18(db: sqlite_utils.Database) -> None:
    """Votes and turns no longer reference battles: an imported battle has no battles row from
    now on, its vote row holds every value of it (`EVERY_BATTLE`; writing the rows took 3.7 of
    the 13 s an import of 1M battles took, and 220 B a battle). SQLite cannot drop a foreign
    key; a change of a table's declaration that leaves its stored rows as they are is written
    into the schema table instead, the procedure SQLite documents for it (ALTER TABLE, section
    7: writable_schema, then a new schema version)."""
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    try:
        for table in ("votes", "turns"):
            sql = db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
            ).fetchone()[0]  # fmt: skip
            db.execute(
                "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                [BATTLE_REFERENCE.sub("", sql), table],
            )
        db.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")


# Keys of the `meta` rows that held secrets before they moved to the secrets file.
LEGACY_SECRETS = ("ip_salt", "proof_of_work_secret", "release_key")

# Migration n takes the schema from version n-1 to n. Append; never edit a released one.
MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    _create_v1,
    _add_snapshots_v2,
    _add_integrity_v3,
    _index_gate_queries_v4,
    _track_streams_v5,
    _define_counting_votes_v6,
    _index_votes_by_time_v7,
    _nothing_v8,
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
