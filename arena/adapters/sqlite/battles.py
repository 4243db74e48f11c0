"""Battles, their turns, models and voters; battle export and import."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

import numpy as np

from arena.adapters.sqlite.base import _json_or_none, _use_wal
from arena.adapters.sqlite.vote_copy import Stored
from arena.adapters.turn_rows import (
    EVERY_BATTLE,
    EXPORT_PROGRESS_EVERY,
    IMPORT_CHUNK,
    PACKED_VOTE_VALUES,
    UNVOTED,
    ImportedRows,
    Progress,
    battle_from_row,
    iso_times,
    rejected_import,
    repeated_ids,
    small_values,
    turn_from_row,
    turn_to_row,
    unix_millis,
)
from arena.domain.battle import Battle, Side, Status, Turn
from arena.domain.clock import from_iso, to_iso
from arena.ports import ModelRow

if TYPE_CHECKING:
    from arena.ports import ImportedBattles

IMPORT_SORT_THREADS = 2  # helper threads for the sorts of an index rebuild
IMPORT_CACHE_KIB = 256 * 1024  # page cache while importing: the indexes of ~1M battles
# Page cache while the dropped indexes are built again. SQLite's sorter holds up to the cache's
# size in memory and sorts it as one list; in pieces of a few MB (sorted on the sort threads,
# then merged) it sorts 2-3x faster: 10M battles' four votes indexes 53 -> 18 s, 1M 3.4 -> 1.6 s.
REBUILD_CACHE_KIB = 4 * 1024
REBUILD_AT_LEAST = 10_000  # battles an import must bring to rebuild the indexes (see below)


class Battles:
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
        with self.transaction() as conn:  # a write: in the writers' queue like every other
            conn.execute(
                "INSERT INTO voters (id, ip_hash, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO NOTHING",
                [voter_id, ip_hash, self._now()],
            )

    def has_voter(self, voter_id: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM voters WHERE id = ?", [voter_id]).fetchone() is not None
        )

    def has_voters(self) -> bool:
        return self.db.execute("SELECT 1 FROM voters LIMIT 1").fetchone() is not None

    def accept_terms(self, voter_id: str, ip_hash: str | None, sha256: str) -> None:
        """Record that the voter accepted the terms whose text hashes to `sha256`, now (the
        voter is created if new; a later acceptance, of a changed text, replaces it)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO voters (id, ip_hash, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO NOTHING", [voter_id, ip_hash, self._now()],
            )  # fmt: skip
            conn.execute(
                "UPDATE voters SET terms_accepted_at = ?, terms_sha256 = ? WHERE id = ?",
                [self._now(), sha256, voter_id],
            )
            self._log(conn, "terms_accepted", None, voter_id,
                      {"sha256": sha256, "ip_hash": ip_hash or ""})  # fmt: skip

    def accepted_terms(self, voter_id: str) -> str | None:
        """The SHA-256 of the terms the voter accepted last, or None."""
        row = self.db.execute("SELECT terms_sha256 FROM voters WHERE id = ?", [voter_id]).fetchone()
        return row[0] if row else None

    def share_battle(self, battle_id: str, share_id: str) -> str | None:
        """The id of the battle's public page: the one it has, or `share_id` from now on;
        None if the battle has no vote (there is nothing to share)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO shared_battles (id, battle_id, shared_at) "
                "SELECT ?, battle_id, ? FROM votes WHERE battle_id = ? "
                "ON CONFLICT(battle_id) DO NOTHING", [share_id, self._now(), battle_id],
            )  # fmt: skip
            row = conn.execute(
                "SELECT id FROM shared_battles WHERE battle_id = ?", [battle_id]
            ).fetchone()
            if row is not None and row[0] == share_id:
                self._log(conn, "battle_shared", battle_id, None, {})
        return row[0] if row else None

    def shared_battle(self, share_id: str) -> dict[str, Any] | None:
        """The battle a public page shows, with its vote: battle_id, verdict, feedback (a
        list of words); None for an unknown id."""
        row = self.db.execute(
            "SELECT s.battle_id, v.verdict, v.feedback FROM shared_battles s "
            "JOIN votes v ON v.battle_id = s.battle_id WHERE s.id = ?", [share_id],
        ).fetchone()  # fmt: skip
        if row is None:
            return None
        return {"battle_id": row[0], "verdict": row[1], "feedback": json.loads(row[2] or "[]")}

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
            f"SELECT b.*, ma.name AS model_a, mb.name AS model_b FROM ({EVERY_BATTLE}) b "
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
            turn_from_row(
                t,
                tuple(models),
                json.loads(t["disclosures"] or "[]"),
                json.loads(t["probe"] or "[]"),
            )
            for t in self.db.query(
                "SELECT * FROM turns WHERE battle_id = ? ORDER BY idx", [battle_id]
            )
        )
        return battle_from_row(row, models, turns)

    def save_turn(self, battle_id: str, turn: Turn) -> None:
        """Insert the turn, or replace the turn with the same index (regenerate)."""
        row = {
            **turn_to_row(battle_id, turn),
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
        dead = (
            "SELECT id FROM battles WHERE status = 'open' AND streaming_since IS NOT NULL "
            "AND streaming_since < ?"
        )
        # Looked for first without the writers' lock: most sweeps find none and write nothing
        # (a sweep is every 30 s in every worker, and at start in every process).
        if self.db.execute(dead + " LIMIT 1", [to_iso(started_before)]).fetchone() is None:
            return []
        with self.transaction() as conn:
            ids = [row[0] for row in conn.execute(dead, [to_iso(started_before)])]
            for battle_id in ids:
                self.set_battle_status(battle_id, Status.ABANDONED, detail={"stream_died": True})
        return ids

    def export_rows(self, progress: Progress | None = None) -> Iterator[dict[str, Any]]:
        """Every battle with its vote (if any), turns as a JSON list, model names resolved;
        `progress` is told (battles handed out, total) every EXPORT_PROGRESS_EVERY battles."""
        total = self.db.execute(
            f"SELECT COUNT(*) FROM ({EVERY_BATTLE})"
        ).fetchone()[0] if progress else 0  # fmt: skip
        for done, row in enumerate(self.db.query(
            "SELECT b.id AS battle_id, b.mode, b.anonymous, b.status, ma.name AS model_a, "
            "mb.name AS model_b, b.pair_probability, b.voter_id, b.created_at, "
            "v.verdict, v.counted, v.reason, v.language, v.created_at AS voted_at "
            f"FROM ({EVERY_BATTLE}) b JOIN models ma ON ma.id = b.model_a_id "
            "LEFT JOIN models mb ON mb.id = b.model_b_id LEFT JOIN votes v ON v.battle_id = b.id "
            "ORDER BY b.created_at, b.id"
        ), start=1):  # fmt: skip
            row["turns"] = [
                {k: t[k] for k in ("idx", "prompt", "answer_a", "answer_b", "error_a", "error_b")}
                for t in self.db.query(
                    "SELECT * FROM turns WHERE battle_id = ? ORDER BY idx", [row["battle_id"]]
                )
            ]
            yield row
            if progress is not None and (done % EXPORT_PROGRESS_EVERY == 0 or done == total):
                progress(done, total)

    def import_votes(self, rows: list[tuple[Any, Any, Any]], *, source: str) -> None:
        """Insert imported battles with their votes, all or nothing. rows: (ImportedVote,
        style_a, style_b). Raises ImportRejected if any battle id is already stored."""
        from arena.ports import ImportedBattles

        battles = ImportedBattles.from_votes([r[0] for r in rows], [r[1:] for r in rows])
        self.import_battles(battles, source=source)

    def import_battles(
        self, battles: ImportedBattles, *, source: str, progress: Progress | None = None
    ) -> None:
        """Insert imported battles (columns) with their votes in one transaction, all or nothing,
        telling `progress` (battles stored, total) as it goes. Raises ImportRejected if any
        battle id is already stored or repeated."""
        ids = battles.battle_id
        repeated = repeated_ids(ids)
        if repeated:
            raise rejected_import(self._stored_ids(ids), repeated)
        with self._bulk_writes() as conn:
            conn.execute("SAVEPOINT import_battles")
            try:
                new_votes = self._insert_imported(conn, battles, source, progress)
            except sqlite3.IntegrityError:
                conn.execute("ROLLBACK TO import_battles")
                clashes = self._stored_ids(ids)
                if not clashes:
                    raise
                raise rejected_import(clashes, []) from None
            conn.execute("RELEASE import_battles")
            self._log(conn, "battles_imported", None, None, {"source": source, "battles": len(ids)})
        if not self.db.conn.in_transaction:  # the votes are stored: copy them for snapshots
            # the import stands if it cannot: the next snapshot makes the copy, or says why not
            with suppress(OSError, ValueError):
                self.vote_copy().refresh(self.db.conn, new_votes)

    @contextmanager
    def _bulk_writes(self) -> Iterator[sqlite3.Connection]:
        """One transaction with a cache large enough to hold the indexes it grows, sorts for the
        indexes it rebuilds on two threads (10M battles: an index in 12 s instead of 20 s), and
        without per-row foreign-key look-ups (the import writes every parent row before its
        children). Each setting is put back after it, and the log is emptied: until then every
        read of the written pages (the live board's replay, next) looks each one up in the log's
        index, 5× slower. (TRUNCATE waits for readers up to the busy timeout, then gives up.)

        A database this store made and that holds no battle yet (an arena seeded from a file)
        is written through a rollback journal instead, then turned back to WAL: each page is
        written once, into the file, not into the log and then again into the file (1M
        battles: 0.5 s instead of 3.5 s). No worker serves such a file; one that opens it
        meanwhile waits for the import, up to its busy timeout."""
        conn = self.db.conn
        outermost = not conn.in_transaction  # foreign_keys cannot change inside a transaction
        cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        threads = conn.execute("PRAGMA threads").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
        conn.execute(f"PRAGMA threads = {IMPORT_SORT_THREADS}")
        seeding = outermost and self._new_file and _journal_for_seeding(conn)
        if outermost:
            conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with self.transaction() as conn:
                yield conn
        finally:
            conn.execute(f"PRAGMA cache_size = {cache}")
            conn.execute(f"PRAGMA threads = {threads}")
            if outermost:
                conn.execute("PRAGMA foreign_keys = ON")
            if seeding:  # else the next connection opened turns it back (the import stands)
                with suppress(sqlite3.OperationalError):
                    _use_wal(conn)
        if outermost and not seeding:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _stored_ids(self, ids: list[str]) -> list[str]:
        """The ids already stored (as a battle's or an imported vote's), in the order given."""
        stored: set[str] = set()
        for k in range(0, len(ids), 450):  # SQLite's limit on bound values is 999 by default
            chunk = ids[k : k + 450]
            marks = ", ".join("?" * len(chunk))
            stored.update(r[0] for r in self.db.execute(
                f"SELECT id FROM battles WHERE id IN ({marks}) "
                f"UNION SELECT battle_id FROM votes WHERE battle_id IN ({marks})", chunk * 2
            ))  # fmt: skip
        return [i for i in ids if i in stored]

    def _insert_imported(
        self, conn: sqlite3.Connection, battles: ImportedBattles, source: str,
        progress: Progress | None,
    ) -> Stored | None:  # fmt: skip
        """Write the battles, votes and turns; the votes as the column copy holds them (None if
        they did not get the ids after the last one stored, one after another)."""
        now = self._now()
        conn.executemany(
            "INSERT INTO models (name, display_name, organisation, licence, status, created_at) "
            "VALUES (?, ?, '', '', 'retired', ?) ON CONFLICT(name) DO NOTHING",
            [(name, name, now) for name in battles.models],
        )
        known = dict(conn.execute("SELECT name, id FROM models").fetchall())
        model_ids = np.array([known[name] for name in battles.models] or [0], dtype=np.int64)
        rows = ImportedRows(battles, source, model_ids, lambda s: iso_times(s, now), int)
        total = len(battles)
        stored = conn.execute("SELECT coalesce(max(id), 0) FROM votes").fetchone()[0]
        rebuilt = _indexes_to_rebuild(conn, total, stored)
        for name, _ in rebuilt:
            conn.execute(f'DROP INDEX "{name}"')
        conn.executemany(
            "INSERT INTO voters (id, ip_hash, created_at) VALUES (?, NULL, ?) "
            "ON CONFLICT(id) DO NOTHING",
            [(judge, now) for judge in rows.voters()],
        )
        insert_votes = (
            "INSERT INTO votes (battle_id, voter_id, model_a_id, model_b_id, verdict, counted, "
            "reason, anonymous, language, is_coding, is_long_query, is_multi_turn, style_a, "
            "style_b, source, created_at, turns) VALUES (" + PACKED_VOTE_VALUES.format(
                styles="?9, ?10" if rows.measured else "NULL, NULL",
                source=conn.execute("SELECT quote(?)", [source]).fetchone()[0],
            ) + ")"
        )  # fmt: skip
        for start in range(0, total, IMPORT_CHUNK):
            chunk = slice(start, start + IMPORT_CHUNK)
            conn.executemany(insert_votes, rows.packed_votes(chunk, _json_or_none))
            conn.executemany(
                "INSERT INTO turns (battle_id, idx, prompt, answer_a, answer_b, disclosures, "
                "probe, created_at) VALUES (?, ?, ?, ?, ?, '[]', '[]', ?)",
                rows.turns(chunk),
            )
            if progress is not None:
                progress(min(start + IMPORT_CHUNK, total), total)
        # No battles row: the vote holds every value of its battle (EVERY_BATTLE). The votes'
        # unique index of battle ids catches an id stored with a vote (here, or when it is built
        # again); a stored battle that has none is one of the unvoted, found through their index.
        if rebuilt:
            conn.execute(f"PRAGMA cache_size = {-REBUILD_CACHE_KIB}")  # _bulk_writes puts it back
        for _, sql in rebuilt:
            conn.execute(sql)
        if conn.execute(
            f"SELECT 1 FROM battles b INDEXED BY idx_battles_unvoted_status WHERE {UNVOTED} "
            "AND EXISTS (SELECT 1 FROM votes v WHERE v.battle_id = b.id AND v.id > ?) LIMIT 1",
            [stored],
        ).fetchone():  # fmt: skip
            raise sqlite3.IntegrityError("an imported battle id is a stored battle's")
        if rebuilt:  # a quarter of the votes or more are new: what the planner knew is stale
            conn.execute("ANALYZE votes")
        if conn.execute("SELECT max(id) FROM votes").fetchone()[0] != stored + total:
            return None
        given, millis = unix_millis(battles.voted_at)
        imported = conn.execute("SELECT ? LIKE 'import:%'", [source]).fetchone()[0]
        return Stored(
            after=stored, countable=battles.anonymous.astype(bool), battle_id=battles.battle_id,
            pair=model_ids[battles.model_a] * 2**32 + model_ids[battles.model_b],
            verdict=battles.verdict, voter=rows.voter, small=small_values(battles, imported),
            language=battles.language,
            voted_ms=np.where(given, millis, round(from_iso(now) * 1000)),
            style_a=battles.style_a, style_b=battles.style_b,
        )  # fmt: skip


def _indexes_to_rebuild(conn: sqlite3.Connection, count: int, stored: int) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the votes and turns indexes that an import of `count` battles
    into a file of `stored` votes had better drop and build again after its inserts: all of them
    when it adds at least a quarter of the votes stored (a sorted build is many times faster than
    as many inserts into a dozen indexes in random order, and packs the pages full), else none.
    The primary keys' own indexes stay; battles' are untouched (an import writes no battles
    row)."""
    if count < REBUILD_AT_LEAST or count * 4 < stored:
        return []
    return conn.execute(
        "SELECT m.name, m.sql FROM sqlite_master m "
        "JOIN pragma_index_list(m.tbl_name) i ON i.name = m.name "
        "WHERE m.type = 'index' AND m.tbl_name IN ('votes', 'turns') "
        "AND m.sql IS NOT NULL AND NOT i.partial ORDER BY m.name"
    ).fetchall()


def _journal_for_seeding(conn: sqlite3.Connection) -> bool:
    """Turn a file that holds no battle yet (nor a vote: an imported battle has no battles row)
    to a rollback journal, if no other connection has it open in a transaction: SQLite refuses
    then, at once (its busy handler is not called), and the import keeps the log."""
    if conn.execute(
        "SELECT EXISTS (SELECT 1 FROM battles) OR EXISTS (SELECT 1 FROM votes)"
    ).fetchone()[0]:  # fmt: skip
        return False
    try:
        return conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    except sqlite3.OperationalError:
        return False
