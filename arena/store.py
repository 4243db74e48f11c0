"""SQLite storage with sqlite-utils: schema and migrations, atomic writes. The only module that writes SQL.

One connection per thread, WAL, a busy timeout, and `BEGIN IMMEDIATE` for every read-then-write
transaction. A vote and its live rating update commit together or not at all; a unique index on
votes.battle_id makes a second vote on a battle impossible.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from arena.battle import Answer, Battle, Mode, Side, Status, Turn

BUSY_TIMEOUT_MS = 10_000


class ImportRejected(ValueError):
    """An import that would clash with stored battles; nothing was written."""


class VoteAlreadyCast(Exception):
    """The battle already has a vote (the unique index refused a second one)."""


@dataclass(frozen=True)
class ModelRow:
    id: int
    name: str
    display_name: str
    organisation: str
    licence: str
    status: str


@dataclass(frozen=True)
class LiveRating:
    model: str
    mu: float
    sigma: float
    votes: int
    wins: int
    losses: int
    ties: int


@dataclass(frozen=True)
class NewVote:
    battle_id: str
    voter_id: str
    verdict: str
    counted: bool
    reason: str | None
    language: str
    is_coding: bool
    is_long_query: bool
    is_multi_turn: bool
    style_a: tuple[int, ...] | None = None
    style_b: tuple[int, ...] | None = None


# A rating update: (mu_a, sigma_a), (mu_b, sigma_b) -> the same after the vote.
RateFn = Callable[
    [tuple[float, float], tuple[float, float]], tuple[tuple[float, float], tuple[float, float]]
]


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
    its voter not in an active quarantine. The live board, `arena ratings`, snapshots and
    detection all read this view (four queries used to decide it, and disagreed)."""
    db.execute(
        "CREATE VIEW counting_votes AS SELECT v.* FROM votes v "
        "WHERE v.counted = 1 AND v.anonymous = 1 AND NOT EXISTS (SELECT 1 FROM quarantines q "
        "WHERE q.voter_id = v.voter_id AND q.released_at IS NULL)"
    )
    db["quarantines"].create_index(["voter_id", "released_at"])


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
)
SCHEMA_VERSION = len(MIGRATIONS)


class Store:
    """Battles, turns, votes, voters, models, live ratings and the event log in one SQLite file."""

    def __init__(self, path: str | Path, clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self.clock = clock  # every timestamp written comes from here (simulations pass their own)
        self._local = threading.local()
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._migrate()

    # -- connections and transactions ------------------------------------------------------
    @property
    def db(self) -> sqlite_utils.Database:
        db = getattr(self._local, "db", None)
        if db is None:
            conn = sqlite3.connect(
                str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            db = self._local.db = sqlite_utils.Database(conn)
        return db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception. Nested blocks join the outer
        transaction, so a service can make several store calls one atomic step."""
        conn = self.db.conn
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.execute("PRAGMA optimize")  # keeps the planner's statistics current
            db.conn.close()
            self._local.db = None

    def _migrate(self) -> None:
        with self.transaction():
            version = self.schema_version()
            for number, migration in enumerate(MIGRATIONS, start=1):
                if number > version:
                    migration(self.db)
                    self._set_meta("schema_version", str(number))

    def schema_version(self) -> int:
        if "meta" not in self.db.table_names():
            return 0
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def legacy_secrets(self) -> dict[str, str]:
        """Secrets that databases before the secrets file kept in `meta` (moved out at start)."""
        return dict(self.db.execute(
            f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' * len(LEGACY_SECRETS))})",
            LEGACY_SECRETS,
        ).fetchall())  # fmt: skip

    def drop_legacy_secrets(self) -> None:
        """Delete the old in-database secrets, once the secrets file holds them."""
        with self.transaction() as conn:
            conn.execute(
                f"DELETE FROM meta WHERE key IN ({', '.join('?' * len(LEGACY_SECRETS))})",
                LEGACY_SECRETS,
            )

    # -- models and voters -----------------------------------------------------------------
    def ensure_models(self, models: list[dict[str, str]]) -> None:
        """Insert models not yet known (by name) and refresh their descriptive fields."""
        with self.transaction() as conn:
            for m in models:
                conn.execute(
                    "INSERT INTO models (name, display_name, organisation, licence, status, created_at) "
                    "VALUES (:name, :display_name, :organisation, :licence, 'active', :now) "
                    "ON CONFLICT(name) DO UPDATE SET display_name = excluded.display_name, "
                    "organisation = excluded.organisation, licence = excluded.licence",
                    {**m, "now": self._now()},
                )

    def models(self) -> list[ModelRow]:
        return [ModelRow(**row) for row in self.db.query(
            "SELECT id, name, display_name, organisation, licence, status FROM models ORDER BY id"
        )]  # fmt: skip

    def model_id(self, name: str) -> int:
        row = self.db.execute("SELECT id FROM models WHERE name = ?", [name]).fetchone()
        if row is None:
            raise KeyError(f"unknown model {name!r}")
        return row[0]

    def ensure_voter(self, voter_id: str, ip_hash: str | None) -> None:
        self.db.execute(
            "INSERT INTO voters (id, ip_hash, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT(id) DO NOTHING",
            [voter_id, ip_hash, self._now()],
        )

    # -- battles and turns -----------------------------------------------------------------
    def create_battle(
        self, battle: Battle, *, ip_hash: str | None = None, ip_prefix_hash: str | None = None
    ) -> None:
        ids = {side: self.model_id(name) for side, name in battle.models.items()}
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO battles (id, session_id, voter_id, mode, anonymous, model_a_id, "
                "model_b_id, status, pair_probability, max_turns, created_at, ip_hash, "
                "ip_prefix_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    battle.id,
                    battle.session_id,
                    battle.voter_id,
                    battle.mode.value,
                    int(battle.is_anonymous),
                    ids[Side.A],
                    ids.get(Side.B),
                    battle.status.value,
                    battle.pair_probability,
                    battle.max_turns,
                    self._now(),
                    ip_hash,
                    ip_prefix_hash,
                ],
            )
            self._log(conn, "battle_started", battle.id, battle.voter_id, {"mode": battle.mode})

    def load_battle(self, battle_id: str) -> Battle | None:
        rows = list(self.db.query(
            "SELECT b.*, ma.name AS model_a, mb.name AS model_b FROM battles b "
            "JOIN models ma ON ma.id = b.model_a_id LEFT JOIN models mb ON mb.id = b.model_b_id "
            "WHERE b.id = ?", [battle_id],
        ))  # fmt: skip
        if not rows:
            return None
        row = rows[0]
        models = {Side.A: row["model_a"]}
        if row["model_b"] is not None:
            models[Side.B] = row["model_b"]
        turns = tuple(
            _turn_from_row(t, tuple(models))
            for t in self.db.query(
                "SELECT * FROM turns WHERE battle_id = ? ORDER BY idx", [battle_id]
            )
        )
        return Battle(
            id=row["id"],
            session_id=row["session_id"],
            voter_id=row["voter_id"],
            mode=Mode(row["mode"]),
            models=models,
            status=Status(row["status"]),
            turns=turns,
            max_turns=row["max_turns"],
            pair_probability=row["pair_probability"],
            streaming=row["streaming_since"] is not None,
        )

    def save_turn(self, battle_id: str, turn: Turn) -> None:
        """Insert the turn, or replace the turn with the same index (regenerate)."""
        a, b = turn.answers.get(Side.A, Answer()), turn.answers.get(Side.B)
        row = {
            "battle_id": battle_id,
            "idx": turn.index,
            "prompt": turn.prompt,
            "answer_a": a.text,
            "error_a": a.error,
            "latency_a_s": a.latency_s,
            "prompt_tokens_a": a.prompt_tokens,
            "completion_tokens_a": a.completion_tokens,
            "cost_a_usd": a.cost_usd,
            "answer_b": b.text if b else None,
            "error_b": b.error if b else None,
            "latency_b_s": b.latency_s if b else None,
            "prompt_tokens_b": b.prompt_tokens if b else None,
            "completion_tokens_b": b.completion_tokens if b else None,
            "cost_b_usd": b.cost_usd if b else None,
            "disclosures": json.dumps(list(turn.disclosures), ensure_ascii=False),
            "probe": json.dumps(list(turn.probe), ensure_ascii=False),
            "created_at": self._now(),
        }
        columns = ", ".join(row)
        updates = ", ".join(f"{k} = excluded.{k}" for k in row if k not in {"battle_id", "idx"})
        with self.transaction() as conn:
            conn.execute(
                f"INSERT INTO turns ({columns}) VALUES ({', '.join(':' + k for k in row)}) "
                f"ON CONFLICT(battle_id, idx) DO UPDATE SET {updates}",
                row,
            )
            conn.execute("UPDATE battles SET streaming_since = NULL WHERE id = ?", [battle_id])

    def set_battle_status(
        self, battle_id: str, status: Status, *, detail: dict | None = None
    ) -> bool:
        """Close an open battle (abandoned, void) with an event; a closed one stays as it is.
        Returns whether the battle was open."""
        with self.transaction() as conn:
            changed = conn.execute(
                "UPDATE battles SET status = ?, ended_at = ?, streaming_since = NULL "
                "WHERE id = ? AND status = 'open'",
                [status.value, self._now(), battle_id],
            ).rowcount
            if changed:
                self._log(conn, f"battle_{status.value}", battle_id, None, detail or {})
        return bool(changed)

    def mark_streaming(self, battle_id: str) -> bool:
        """Claim an open, idle battle for a turn that starts streaming (cleared by save_turn or
        a status change). False if it is closed or another turn streams: one stream at a time,
        across every worker."""
        with self.transaction() as conn:
            return bool(conn.execute(
                "UPDATE battles SET streaming_since = ? "
                "WHERE id = ? AND status = 'open' AND streaming_since IS NULL",
                [self._now(), battle_id],
            ).rowcount)  # fmt: skip

    def abandon_dead_streams(self, started_before: float) -> list[str]:
        """Open battles whose turn began streaming before `started_before` and never finished
        (its process died, or the voter's connection did): abandoned, each with an event."""
        with self.transaction() as conn:
            ids = [row[0] for row in conn.execute(
                "SELECT id FROM battles WHERE status = 'open' AND streaming_since IS NOT NULL "
                "AND streaming_since < ?", [_iso_from_unix(started_before)],
            )]  # fmt: skip
            for battle_id in ids:
                self.set_battle_status(battle_id, Status.ABANDONED, detail={"stream_died": True})
        return ids

    # -- votes and live ratings ------------------------------------------------------------
    def record_vote(self, vote: NewVote, rate: RateFn | None) -> None:
        """Store the vote, close the battle and (if counted) update both live ratings, atomically.

        Raises VoteAlreadyCast if the battle has a vote already; then nothing is written."""
        with self.transaction() as conn:
            battle = conn.execute(
                "SELECT model_a_id, model_b_id, anonymous FROM battles WHERE id = ?",
                [vote.battle_id],
            ).fetchone()
            if battle is None:
                raise KeyError(f"no battle {vote.battle_id!r}")
            model_a_id, model_b_id, anonymous = battle
            try:
                conn.execute(
                    "INSERT INTO votes (battle_id, voter_id, model_a_id, model_b_id, verdict, "
                    "counted, reason, anonymous, language, is_coding, is_long_query, is_multi_turn, "
                    "style_a, style_b, source, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'arena', ?)",
                    [
                        vote.battle_id,
                        vote.voter_id,
                        model_a_id,
                        model_b_id,
                        vote.verdict,
                        int(vote.counted),
                        vote.reason,
                        anonymous,
                        vote.language,
                        int(vote.is_coding),
                        int(vote.is_long_query),
                        int(vote.is_multi_turn),
                        _json_or_none(vote.style_a),
                        _json_or_none(vote.style_b),
                        self._now(),
                    ],
                )
            except sqlite3.IntegrityError as error:
                if "votes.battle_id" in str(error):
                    raise VoteAlreadyCast(vote.battle_id) from None
                raise
            conn.execute(  # a void battle stays void: its failure is what the vote recorded
                "UPDATE battles SET status = 'voted', ended_at = ? WHERE id = ? AND status = 'open'",
                [self._now(), vote.battle_id],
            )
            if vote.counted and rate is not None:
                self._apply_rating(conn, model_a_id, model_b_id, vote.verdict, rate)
            self._log(
                conn,
                "vote",
                vote.battle_id,
                vote.voter_id,
                {"verdict": vote.verdict, "counted": vote.counted, "reason": vote.reason},
            )

    def _apply_rating(
        self, conn: sqlite3.Connection, a_id: int, b_id: int, verdict: str, rate: RateFn
    ) -> None:
        current = {
            row[0]: (row[1], row[2])
            for row in conn.execute(
                "SELECT model_id, mu, sigma FROM live_ratings WHERE model_id IN (?, ?)",
                [a_id, b_id],
            )
        }
        new_a, new_b = rate(current.get(a_id), current.get(b_id))
        outcome = {"a_better": (1, 0, 0), "b_better": (0, 1, 0)}.get(verdict, (0, 0, 1))
        for model_id, (mu, sigma), (win, loss, tie) in (
            (a_id, new_a, outcome),
            (b_id, new_b, (outcome[1], outcome[0], outcome[2])),
        ):
            conn.execute(
                "INSERT INTO live_ratings (model_id, mu, sigma, votes, wins, losses, ties, updated_at) "
                "VALUES (?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT(model_id) DO UPDATE SET "
                "mu = excluded.mu, sigma = excluded.sigma, votes = votes + 1, "
                "wins = wins + excluded.wins, losses = losses + excluded.losses, "
                "ties = ties + excluded.ties, updated_at = excluded.updated_at",
                [model_id, mu, sigma, win, loss, tie, self._now()],
            )

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

    def counted_votes(self) -> Iterator[tuple[str, str, str]]:
        """(model_a, model_b, verdict) of every vote that counts, in the order cast."""
        yield from self.db.execute(
            "SELECT ma.name, mb.name, v.verdict FROM counting_votes v "
            "JOIN models ma ON ma.id = v.model_a_id JOIN models mb ON mb.id = v.model_b_id "
            "ORDER BY v.id"
        )

    def counted_vote_rows(self) -> Iterator[tuple]:
        """(model_a, model_b, verdict, voter_id, language, is_coding, is_long_query,
        is_multi_turn) of every vote that counts, in the order cast."""
        yield from self.db.execute(
            "SELECT ma.name, mb.name, v.verdict, v.voter_id, v.language, v.is_coding, "
            "v.is_long_query, v.is_multi_turn FROM counting_votes v "
            "JOIN models ma ON ma.id = v.model_a_id JOIN models mb ON mb.id = v.model_b_id "
            "ORDER BY v.id"
        )

    def export_rows(self) -> Iterator[dict[str, Any]]:
        """Every battle with its vote (if any), turns as a JSON list, model names resolved."""
        for row in self.db.query(
            "SELECT b.id AS battle_id, b.mode, b.anonymous, b.status, ma.name AS model_a, "
            "mb.name AS model_b, b.pair_probability, b.voter_id, b.created_at, "
            "v.verdict, v.counted, v.reason, v.language, v.created_at AS voted_at "
            "FROM battles b JOIN models ma ON ma.id = b.model_a_id "
            "LEFT JOIN models mb ON mb.id = b.model_b_id LEFT JOIN votes v ON v.battle_id = b.id "
            "ORDER BY b.created_at, b.id"
        ):
            row["turns"] = [
                {k: t[k] for k in ("idx", "prompt", "answer_a", "answer_b", "error_a", "error_b")}
                for t in self.db.query(
                    "SELECT * FROM turns WHERE battle_id = ? ORDER BY idx", [row["battle_id"]]
                )
            ]
            yield row

    # -- imported battles ------------------------------------------------------------------
    def import_votes(self, rows: list[tuple[Any, Any, Any]], *, source: str) -> None:
        """Insert imported battles with their votes, all or nothing. rows: (ImportedVote,
        style_a, style_b). Raises ImportRejected if any battle id is already stored."""
        with self.transaction() as conn:
            ids = [vote.battle_id for vote, _, _ in rows]
            duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
            clashes = [
                i for i in ids if conn.execute("SELECT 1 FROM battles WHERE id = ?", [i]).fetchone()
            ]
            if clashes or duplicates:
                shown = ", ".join((clashes or duplicates)[:5])
                raise ImportRejected(
                    f"{len(clashes) or len(duplicates)} battle id(s) already "
                    f"{'stored' if clashes else 'repeated in the file'}: {shown}; nothing imported"
                )
            for vote, style_a, style_b in rows:
                model_ids = []
                for name in (vote.model_a, vote.model_b):
                    conn.execute(
                        "INSERT INTO models (name, display_name, organisation, licence, status, "
                        "created_at) VALUES (?, ?, '', '', 'retired', ?) ON CONFLICT(name) DO NOTHING",
                        [name, name, self._now()],
                    )
                    model_ids.append(
                        conn.execute("SELECT id FROM models WHERE name = ?", [name]).fetchone()[0]
                    )
                judge = vote.judge or f"{source}:unknown"
                conn.execute(
                    "INSERT INTO voters (id, ip_hash, created_at) VALUES (?, NULL, ?) "
                    "ON CONFLICT(id) DO NOTHING",
                    [judge, self._now()],
                )
                when = _iso_from_unix(vote.voted_at)
                conn.execute(
                    "INSERT INTO battles (id, session_id, voter_id, mode, anonymous, model_a_id, "
                    "model_b_id, status, pair_probability, max_turns, created_at, ended_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 'voted', NULL, ?, ?, ?)",
                    [vote.battle_id, source, judge, "anonymous" if vote.anonymous else "named",
                     int(vote.anonymous), *model_ids, max(vote.turns, 1), when, when],
                )  # fmt: skip
                for idx, (prompt, answer_a, answer_b) in enumerate(
                    _turn_texts(vote.conversation_a, vote.conversation_b)
                ):
                    conn.execute(
                        "INSERT INTO turns (battle_id, idx, prompt, answer_a, answer_b, "
                        "disclosures, probe, created_at) VALUES (?, ?, ?, ?, ?, '[]', '[]', ?)",
                        [vote.battle_id, idx, prompt, answer_a, answer_b, when],
                    )
                conn.execute(
                    "INSERT INTO votes (battle_id, voter_id, model_a_id, model_b_id, verdict, "
                    "counted, reason, anonymous, language, is_coding, is_long_query, is_multi_turn, "
                    "style_a, style_b, source, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [vote.battle_id, judge, *model_ids, vote.verdict, int(vote.anonymous),
                     None if vote.anonymous else "named_battle", int(vote.anonymous),
                     vote.language, int(vote.is_coding), int(vote.is_long_query),
                     int(vote.is_multi_turn), _json_or_none(style_a), _json_or_none(style_b),
                     source, when],
                )  # fmt: skip
            self._log(
                conn, "battles_imported", None, None, {"source": source, "battles": len(rows)}
            )

    # -- snapshots -------------------------------------------------------------------------
    def snapshot_vote_rows(self) -> list[dict[str, Any]]:
        """Every vote that counts, with what a snapshot and its release need."""
        return list(self.db.query(
            "SELECT v.id AS vote_id, v.battle_id, ma.name AS model_a, mb.name AS model_b, "
            "v.verdict, v.voter_id, v.language, v.is_coding, v.is_long_query, v.is_multi_turn, "
            "v.created_at, v.style_a, v.style_b, v.source, "
            "(SELECT COUNT(*) FROM turns t WHERE t.battle_id = v.battle_id) AS turns "
            "FROM counting_votes v JOIN models ma ON ma.id = v.model_a_id "
            "JOIN models mb ON mb.id = v.model_b_id ORDER BY v.id"
        ))  # fmt: skip

    def models_with_votes(self) -> list[str]:
        """Every model that ever received a vote (counted or not, quarantined or not)."""
        return [row[0] for row in self.db.execute(
            "SELECT DISTINCT m.name FROM models m JOIN votes v "
            "ON m.id IN (v.model_a_id, v.model_b_id) ORDER BY m.name"
        )]  # fmt: skip

    def exclusion_counts(self) -> dict[str, int]:
        """Votes and battles left out of rankings, by reason."""
        counts = {
            row["reason"]: row["n"]
            for row in self.db.query(
                "SELECT COALESCE(reason, 'named_battle') AS reason, COUNT(*) AS n FROM votes "
                "WHERE counted = 0 OR anonymous = 0 GROUP BY 1"
            )
        }
        for status in ("abandoned", "void"):
            n = self.db.execute(
                "SELECT COUNT(*) FROM battles WHERE status = ? AND mode = 'anonymous'", [status]
            ).fetchone()[0]
            counts[f"battle_{status}"] = n
        counts["quarantined"] = self.db.execute(
            "SELECT COUNT(*) FROM votes WHERE counted = 1 AND anonymous = 1 AND voter_id IN "
            "(SELECT voter_id FROM quarantines WHERE released_at IS NULL)"
        ).fetchone()[0]
        counts["vote_refused"] = self.db.execute(
            "SELECT COUNT(*) FROM events WHERE kind = 'vote_refused'"
        ).fetchone()[0]
        return counts

    def save_snapshot(
        self, snapshot_id: str, created_at: str, votes: int, sha256: str, body: str,
        battle_ids: list[str],
    ) -> None:  # fmt: skip
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO snapshots (id, created_at, votes, vote_set_sha256, body) "
                "VALUES (?, ?, ?, ?, ?)",
                [snapshot_id, created_at, votes, sha256, body],
            )
            conn.executemany(
                "INSERT INTO snapshot_battles (snapshot_id, battle_id) VALUES (?, ?)",
                ((snapshot_id, b) for b in battle_ids),
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

    def snapshot_battle_ids(self, snapshot_id: str) -> set[str]:
        return {row[0] for row in self.db.execute(
            "SELECT battle_id FROM snapshot_battles WHERE snapshot_id = ?", [snapshot_id]
        )}  # fmt: skip

    # -- integrity: gates -------------------------------------------------------------------
    def battle_start_times(
        self, voter_id: str, ip_hash: str | None, since: str
    ) -> tuple[list, list]:
        """Unix times of battles started since `since` (ISO) by this voter and by this IP hash."""

        def times(column: str, value: str | None) -> list[float]:
            if value is None:
                return []
            return [_unix(row[0]) for row in self.db.execute(
                f"SELECT created_at FROM battles WHERE {column} = ? AND created_at >= ?",
                [value, since],
            )]  # fmt: skip

        return times("voter_id", voter_id), times("ip_hash", ip_hash)

    def counted_vote_times(
        self, voter_id: str, ip_hash: str | None, since: str
    ) -> tuple[list, list]:
        """Unix times of counted votes since `since` by this voter and from this IP hash."""
        voter = [_unix(r[0]) for r in self.db.execute(
            "SELECT created_at FROM votes WHERE voter_id = ? AND counted = 1 AND created_at >= ?",
            [voter_id, since],
        )]  # fmt: skip
        ip = [] if ip_hash is None else [_unix(r[0]) for r in self.db.execute(
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
        return _unix(row[0]) if row else None

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

    def voted_prompts(self, since: str) -> list[tuple[str, str, str, float, bool]]:
        """(battle id, first prompt, voter id, unix time, counted) of voted anonymous battles."""
        return [
            (row[0], row[1], row[2], _unix(row[3]), bool(row[4]))
            for row in self.db.execute(
                "SELECT v.battle_id, t.prompt, v.voter_id, v.created_at, v.counted FROM votes v "
                "JOIN turns t ON t.battle_id = v.battle_id AND t.idx = 0 "
                "WHERE v.anonymous = 1 AND v.created_at >= ? ORDER BY v.id",
                [since],
            )
        ]

    # -- integrity: detection and quarantine ------------------------------------------------
    def counted_vote_records(self) -> list[dict[str, Any]]:
        """Every vote that counts, with voter, models, verdict, time and IP hashes."""
        return [
            {**row, "timestamp": _unix(row.pop("created_at"))}
            for row in self.db.query(
                "SELECT v.voter_id, ma.name AS model_a, mb.name AS model_b, v.verdict, "
                "v.created_at, b.ip_hash, b.ip_prefix_hash FROM counting_votes v "
                "JOIN battles b ON b.id = v.battle_id "
                "JOIN models ma ON ma.id = v.model_a_id JOIN models mb ON mb.id = v.model_b_id "
                "ORDER BY v.id"
            )
        ]

    def add_flags(self, flags: list[dict[str, Any]]) -> None:
        with self.transaction() as conn:
            for flag in flags:
                conn.execute(
                    "INSERT INTO flags (kind, subject, test, statistic, p_value, evidence, "
                    "snapshot_id, created_at) VALUES (:kind, :subject, :test, :statistic, "
                    ":p_value, :evidence, :snapshot_id, :created_at)",
                    {**flag, "created_at": self._now()},
                )

    def flags(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM flags ORDER BY id DESC"))

    def quarantine(self, voter_id: str, reason: str, evidence: str) -> bool:
        """Quarantine a voter's votes (kept, excluded from snapshots); False if already."""
        with self.transaction() as conn:
            active = conn.execute(
                "SELECT 1 FROM quarantines WHERE voter_id = ? AND released_at IS NULL", [voter_id]
            ).fetchone()
            if active:
                return False
            conn.execute(
                "INSERT OR IGNORE INTO voters (id, ip_hash, created_at) VALUES (?, NULL, ?)",
                [voter_id, self._now()],
            )
            conn.execute(
                "INSERT INTO quarantines (voter_id, reason, evidence, created_at) VALUES (?, ?, ?, ?)",
                [voter_id, reason, evidence, self._now()],
            )
            self._log(conn, "voter_quarantined", None, voter_id, {"reason": reason})
            return True

    def release_quarantine(self, voter_id: str, reason: str) -> bool:
        """Lift a voter's quarantine (its votes count again from the next snapshot)."""
        with self.transaction() as conn:
            changed = conn.execute(
                "UPDATE quarantines SET released_at = ?, released_reason = ? "
                "WHERE voter_id = ? AND released_at IS NULL",
                [self._now(), reason, voter_id],
            ).rowcount
            if changed:
                self._log(conn, "voter_released", None, voter_id, {"reason": reason})
            return bool(changed)

    def quarantines(self, *, active_only: bool = True) -> list[dict[str, Any]]:
        where = "WHERE q.released_at IS NULL" if active_only else ""
        return list(self.db.query(
            "SELECT q.*, (SELECT COUNT(*) FROM votes v WHERE v.voter_id = q.voter_id "
            f"AND v.counted = 1) AS votes FROM quarantines q {where} ORDER BY q.id"
        ))  # fmt: skip

    # -- event log -------------------------------------------------------------------------
    def log_event(
        self, kind: str, *, battle_id: str | None = None, voter_id: str | None = None, **detail: Any
    ) -> None:
        with self.transaction() as conn:
            self._log(conn, kind, battle_id, voter_id, detail)

    def count_events(self, kind: str, *, since: float, ip_hash: str | None = None) -> int:
        """Events of one kind since a time (Unix seconds), optionally those of one IP hash."""
        sql = "SELECT COUNT(*) FROM events WHERE kind = ? AND ts >= ?"
        params: list[Any] = [kind, _iso_from_unix(since)]
        if ip_hash is not None:
            sql += " AND json_extract(detail, '$.ip_hash') = ?"
            params.append(ip_hash)
        return self.db.execute(sql, params).fetchone()[0]

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE kind = ?", [kind]) if kind else ("", [])
        return [
            {**row, "detail": json.loads(row["detail"] or "{}")}
            for row in self.db.query(f"SELECT * FROM events {where} ORDER BY id", params)
        ]

    def _now(self) -> str:
        return _iso_from_unix(self.clock())

    def _log(
        self,
        conn: sqlite3.Connection,
        kind: str,
        battle_id: str | None,
        voter_id: str | None,
        detail: dict,
    ) -> None:
        conn.execute(
            "INSERT INTO events (ts, kind, battle_id, voter_id, detail) VALUES (?, ?, ?, ?, ?)",
            [
                self._now(),
                kind,
                battle_id,
                voter_id,
                json.dumps(detail, ensure_ascii=False, default=str),
            ],
        )


def _unix(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def _iso_from_unix(seconds: float | None) -> str:
    if seconds is None:
        seconds = time.time()
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds")


def _turn_texts(
    conversation_a: list | None, conversation_b: list | None
) -> list[tuple[str, str, str]]:
    """(prompt, answer A, answer B) per turn from two role/content conversations."""

    def pairs(conversation):
        out, prompt = [], None
        for message in conversation or []:
            if message.get("role") == "user":
                prompt = str(message.get("content", ""))
            elif message.get("role") == "assistant" and prompt is not None:
                out.append((prompt, str(message.get("content", ""))))
                prompt = None
        return out

    a, b = pairs(conversation_a), pairs(conversation_b)
    return [(pa, aa, ab) for (pa, aa), (_, ab) in zip(a, b, strict=False)]


def _json_or_none(value: Any) -> str | None:
    return None if value is None else json.dumps(list(value))


def _turn_from_row(row: dict[str, Any], sides: tuple[Side, ...]) -> Turn:
    answers = {}
    for side in sides:
        s = side.value.lower()
        text, error = row[f"answer_{s}"], row[f"error_{s}"]
        answers[side] = Answer(
            text=text or "",
            error=error,
            latency_s=row[f"latency_{s}_s"],
            prompt_tokens=row[f"prompt_tokens_{s}"],
            completion_tokens=row[f"completion_tokens_{s}"],
            cost_usd=row[f"cost_{s}_usd"],
            complete=error is None,
        )
    return Turn(
        index=row["idx"],
        prompt=row["prompt"],
        answers=answers,
        disclosures=tuple(json.loads(row["disclosures"] or "[]")),
        probe=tuple(json.loads(row["probe"] or "[]")),
    )
