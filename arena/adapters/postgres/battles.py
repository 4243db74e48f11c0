"""Battles, their turns, models and voters; battle export and import (COPY for bulk rows)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from arena.adapters.postgres.base import iso_fields, to_json, to_json_list, to_timestamp
from arena.adapters.turn_rows import (
    EVERY_BATTLE,
    IMPORT_CHUNK,
    ImportedRows,
    Progress,
    battle_from_row,
    rejected_import,
    repeated_ids,
    turn_from_row,
    turn_to_row,
)
from arena.domain.battle import Battle, Side, Status, Turn
from arena.ports import ModelRow

if TYPE_CHECKING:
    from arena.ports import ImportedBattles

EXPORT_TURNS_BATCH = 500  # battles whose turns one export query reads
# The columns an import fills, in the order of its rows.
IMPORTED_TURN = "battle_id, idx, prompt, answer_a, answer_b, disclosures, probe, created_at"
IMPORTED_VOTE = ("battle_id, voter_id, model_a_id, model_b_id, verdict, counted, reason, "
                 "anonymous, language, is_coding, is_long_query, is_multi_turn, style_a, style_b, "
                 "source, created_at, turns")  # fmt: skip


class Battles:
    def ensure_models(self, models: list[dict[str, str]]) -> None:
        """Insert models not yet known (by name) and refresh their descriptive fields. Known
        ones are updated, not upserted: an upsert would spend an id on every start."""
        with self.transaction() as conn:
            for m in models:
                row = {**m, "now": self._now()}
                changed = conn.execute(
                    "UPDATE models SET display_name = %(display_name)s, "
                    "organisation = %(organisation)s, licence = %(licence)s WHERE name = %(name)s",
                    row,
                ).rowcount
                if not changed:
                    conn.execute(
                        "INSERT INTO models (name, display_name, organisation, licence, status, "
                        "created_at) VALUES (%(name)s, %(display_name)s, %(organisation)s, "
                        "%(licence)s, 'active', %(now)s) ON CONFLICT (name) DO UPDATE SET "
                        "display_name = excluded.display_name, "
                        "organisation = excluded.organisation, licence = excluded.licence",
                        row,
                    )

    def models(self) -> list[ModelRow]:
        return [ModelRow(**row) for row in self._dicts(
            "SELECT id, name, display_name, organisation, licence, status FROM models ORDER BY id"
        )]  # fmt: skip

    def model_id(self, name: str) -> int:
        row = self._one("SELECT id FROM models WHERE name = %s", [name])
        if row is None:
            raise KeyError(f"unknown model {name!r}")
        return row[0]

    def ensure_voter(self, voter_id: str, ip_hash: str | None) -> None:
        with self._connection() as conn:
            conn.execute(
                "INSERT INTO voters (id, ip_hash, created_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (id) DO NOTHING",
                [voter_id, ip_hash, self._now()],
            )

    def has_voter(self, voter_id: str) -> bool:
        return self._one("SELECT 1 FROM voters WHERE id = %s", [voter_id]) is not None

    def has_voters(self) -> bool:
        return self._one("SELECT 1 FROM voters LIMIT 1") is not None

    def accept_terms(self, voter_id: str, ip_hash: str | None, sha256: str) -> None:
        """Record that the voter accepted the terms whose text hashes to `sha256`, now (the
        voter is created if new; a later acceptance, of a changed text, replaces it)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO voters (id, ip_hash, created_at, terms_accepted_at, terms_sha256) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET "
                "terms_accepted_at = excluded.terms_accepted_at, "
                "terms_sha256 = excluded.terms_sha256",
                [voter_id, ip_hash, self._now(), self._now(), sha256],
            )
            self._log(conn, "terms_accepted", None, voter_id,
                      {"sha256": sha256, "ip_hash": ip_hash or ""})  # fmt: skip

    def accepted_terms(self, voter_id: str) -> str | None:
        """The SHA-256 of the terms the voter accepted last, or None."""
        row = self._one("SELECT terms_sha256 FROM voters WHERE id = %s", [voter_id])
        return row[0] if row else None

    def share_battle(self, battle_id: str, share_id: str) -> str | None:
        """The id of the battle's public page: the one it has, or `share_id` from now on;
        None if the battle has no vote (there is nothing to share)."""
        with self.transaction() as conn:
            inserted = conn.execute(
                "INSERT INTO shared_battles (id, battle_id, shared_at) "
                "SELECT %s, battle_id, %s FROM votes WHERE battle_id = %s "
                "ON CONFLICT (battle_id) DO NOTHING RETURNING id",
                [share_id, self._now(), battle_id],
            ).fetchone()
            if inserted is not None:
                self._log(conn, "battle_shared", battle_id, None, {})
                return share_id
            row = conn.execute(
                "SELECT id FROM shared_battles WHERE battle_id = %s", [battle_id]
            ).fetchone()
        return row[0] if row else None

    def shared_battle(self, share_id: str) -> dict[str, Any] | None:
        """The battle a public page shows, with its vote: battle_id, verdict, feedback (a
        list of words); None for an unknown id."""
        row = self._one(
            "SELECT s.battle_id, v.verdict, v.feedback FROM shared_battles s "
            "JOIN votes v ON v.battle_id = s.battle_id WHERE s.id = %s", [share_id],
        )  # fmt: skip
        if row is None:
            return None
        return {"battle_id": row[0], "verdict": row[1], "feedback": list(row[2] or [])}

    def create_battle(
        self, battle: Battle, *, ip_hash: str | None = None, ip_prefix_hash: str | None = None
    ) -> None:
        ids = {side: self.model_id(name) for side, name in battle.models.items()}
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO battles (id, session_id, voter_id, mode, anonymous, model_a_id, "
                "model_b_id, status, pair_probability, max_turns, created_at, ip_hash, "
                "ip_prefix_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    battle.id,
                    battle.session_id,
                    battle.voter_id,
                    battle.mode.value,
                    battle.is_anonymous,
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
        """The battle with its turns. Read inside a transaction, it stays locked until the
        transaction ends: a vote reads the battle, checks it, then writes it."""
        lock = " FOR NO KEY UPDATE OF b" if self._in_transaction() else ""
        named = (
            "SELECT b.*, ma.name AS model_a, mb.name AS model_b FROM {} b "
            "JOIN models ma ON ma.id = b.model_a_id LEFT JOIN models mb ON mb.id = b.model_b_id "
            "WHERE b.id = %s"
        )
        rows = self._dicts(named.format("battles") + lock, [battle_id])
        if not rows:  # an imported battle, then: its vote row (nothing to lock, a vote is final)
            rows = self._dicts(named.format(f"({EVERY_BATTLE})"), [battle_id])
        if not rows:
            return None
        row = rows[0]
        models = {Side.A: row["model_a"]}
        if row["model_b"] is not None:
            models[Side.B] = row["model_b"]
        turns = tuple(
            _turn(t, tuple(models))
            for t in self._dicts(
                "SELECT * FROM turns WHERE battle_id = %s ORDER BY idx", [battle_id]
            )
        )
        return battle_from_row(row, models, turns)

    def save_turn(self, battle_id: str, turn: Turn) -> None:
        """Insert the turn, or replace the turn with the same index (regenerate)."""
        row = {
            **turn_to_row(battle_id, turn),
            "disclosures": to_json(list(turn.disclosures)),
            "probe": to_json(list(turn.probe)),
            "created_at": self._now(),
        }
        columns = ", ".join(row)
        values = ", ".join(
            f"%({k})s::jsonb" if k in {"disclosures", "probe"} else f"%({k})s" for k in row
        )
        updates = ", ".join(f"{k} = excluded.{k}" for k in row if k not in {"battle_id", "idx"})
        with self.transaction() as conn:
            conn.execute(
                f"INSERT INTO turns ({columns}) VALUES ({values}) "
                f"ON CONFLICT (battle_id, idx) DO UPDATE SET {updates}",
                row,
            )
            conn.execute("UPDATE battles SET streaming_since = NULL WHERE id = %s", [battle_id])

    def set_battle_status(
        self, battle_id: str, status: Status, *, detail: dict | None = None
    ) -> bool:
        """Close an open battle (abandoned, void) with an event; a closed one stays as it is.
        Returns whether the battle was open."""
        with self.transaction() as conn:
            changed = conn.execute(
                "UPDATE battles SET status = %s, ended_at = %s, streaming_since = NULL "
                "WHERE id = %s AND status = 'open'",
                [status.value, self._now(), battle_id],
            ).rowcount
            if changed:
                self._log(conn, f"battle_{status.value}", battle_id, None, detail or {})
        return bool(changed)

    def mark_streaming(self, battle_id: str) -> bool:
        """Claim an open, idle battle for a turn that starts streaming (cleared by save_turn or
        a status change). False if it is closed or another turn streams."""
        with self.transaction() as conn:
            return bool(conn.execute(
                "UPDATE battles SET streaming_since = %s "
                "WHERE id = %s AND status = 'open' AND streaming_since IS NULL",
                [self._now(), battle_id],
            ).rowcount)  # fmt: skip

    def abandon_dead_streams(self, started_before: float) -> list[str]:
        """Open battles whose turn began streaming before `started_before` and never finished:
        abandoned, each with an event."""
        with self.transaction() as conn:
            ids = [row[0] for row in conn.execute(
                "SELECT id FROM battles WHERE status = 'open' AND streaming_since IS NOT NULL "
                "AND streaming_since < %s ORDER BY streaming_since, id COLLATE \"C\"",
                [to_timestamp(started_before)],
            )]  # fmt: skip
            for battle_id in ids:
                self.set_battle_status(battle_id, Status.ABANDONED, detail={"stream_died": True})
        return ids

    def export_rows(self, progress: Progress | None = None) -> Iterator[dict[str, Any]]:
        """Every battle with its vote (if any), turns as a JSON list, model names resolved;
        `progress` is told (battles handed out, total) after each batch."""
        battles = self._dicts(
            "SELECT b.id AS battle_id, b.mode, b.anonymous::int AS anonymous, b.status, "
            "ma.name AS model_a, mb.name AS model_b, b.pair_probability, b.voter_id, "
            "b.created_at, v.verdict, v.counted::int AS counted, v.reason, v.language, "
            "v.created_at AS voted_at "
            f"FROM ({EVERY_BATTLE}) b JOIN models ma ON ma.id = b.model_a_id "
            "LEFT JOIN models mb ON mb.id = b.model_b_id LEFT JOIN votes v ON v.battle_id = b.id "
            'ORDER BY b.created_at, b.id COLLATE "C"'
        )
        for start in range(0, len(battles), EXPORT_TURNS_BATCH):
            batch = battles[start : start + EXPORT_TURNS_BATCH]
            turns: dict[str, list[dict[str, Any]]] = {row["battle_id"]: [] for row in batch}
            for t in self._dicts(
                "SELECT battle_id, idx, prompt, answer_a, answer_b, error_a, error_b FROM turns "
                "WHERE battle_id = ANY(%s) ORDER BY battle_id, idx",
                [list(turns)],
            ):
                turns[t.pop("battle_id")].append(t)
            for row in batch:
                row["turns"] = turns[row["battle_id"]]
                yield iso_fields(row, "created_at", "voted_at")
            if progress is not None:
                progress(start + len(batch), len(battles))

    def import_votes(self, rows: list[tuple[Any, Any, Any]], *, source: str) -> None:
        """Insert imported battles with their votes, all or nothing. rows: (ImportedVote,
        style_a, style_b). Raises ImportRejected if any battle id is already stored."""
        from arena.ports import ImportedBattles

        battles = ImportedBattles.from_votes([r[0] for r in rows], [r[1:] for r in rows])
        self.import_battles(battles, source=source)

    def import_battles(
        self, battles: ImportedBattles, *, source: str, progress: Progress | None = None
    ) -> None:
        """Insert imported battles (columns) with their votes by COPY in one transaction, all or
        nothing, telling `progress` (battles stored, total). Raises ImportRejected if any
        battle id is already stored or repeated."""
        with self.transaction() as conn:
            ids = battles.battle_id
            stored = {
                r[0]
                for start in range(0, len(ids), IMPORT_CHUNK)
                for r in conn.execute(
                    "SELECT id FROM battles WHERE id = ANY(%s) "
                    "UNION SELECT battle_id FROM votes WHERE battle_id = ANY(%s)",
                    [ids[start : start + IMPORT_CHUNK]] * 2,
                )
            }  # a batch at a time: not one array parameter holding every id
            clashes = [i for i in ids if i in stored]
            repeated = repeated_ids(ids)
            if clashes or repeated:
                raise rejected_import(clashes, repeated)
            now = self._now()
            model_ids = self._import_models(conn, list(battles.models))
            rows = ImportedRows(
                battles, source, np.array([model_ids[m] for m in battles.models] or [0]),
                lambda seconds: [now if t != t else to_timestamp(t) for t in seconds.tolist()],
                bool,
            )  # fmt: skip
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO voters (id, ip_hash, created_at) VALUES (%s, NULL, %s) "
                    "ON CONFLICT (id) DO NOTHING",
                    [(judge, now) for judge in rows.voters()],
                )
            total = len(ids)
            for start in range(0, max(total, 1), IMPORT_CHUNK):
                chunk = slice(start, start + IMPORT_CHUNK)
                _copy(conn, "turns", IMPORTED_TURN,
                      ((*t[:5], "[]", "[]", t[5]) for t in rows.turns(chunk)))  # fmt: skip
                _copy(conn, "votes", IMPORTED_VOTE, rows.votes(chunk, to_json_list))
                if progress is not None and total:
                    progress(min(start + IMPORT_CHUNK, total), total)
            self._log(conn, "battles_imported", None, None, {"source": source, "battles": total})

    def _import_models(self, conn, names: list[str]) -> dict[str, int]:
        """Ids of the models named; unknown ones are added as retired, in the order given (the
        order the rows first name them, as SQLite numbers them)."""
        known = dict(conn.execute("SELECT name, id FROM models WHERE name = ANY(%s)", [names]))
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO models (name, display_name, organisation, licence, status, "
                "created_at) VALUES (%s, %s, '', '', 'retired', %s) ON CONFLICT (name) DO NOTHING",
                [(name, name, self._now()) for name in names if name not in known],
            )
        return dict(conn.execute("SELECT name, id FROM models WHERE name = ANY(%s)", [names]))


def _copy(conn, table: str, columns: str, rows: Iterable[tuple]) -> None:
    """COPY rows in (the bulk path: tens of thousands of rows in a second or two)."""
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _turn(row: dict[str, Any], sides: tuple[Side, ...]) -> Turn:
    return turn_from_row(row, sides, row["disclosures"] or [], row["probe"] or [])
