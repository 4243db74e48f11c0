"""Battles, their turns, models and voters; battle export and import."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from arena.adapters.sqlite.base import _json_or_none
from arena.adapters.turn_rows import battle_from_row, turn_from_row, turn_texts, turn_to_row
from arena.domain.battle import Battle, Side, Status, Turn
from arena.domain.clock import to_iso
from arena.domain.reasons import Reason
from arena.ports import ImportRejected, ModelRow


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
        self.db.execute(
            "INSERT INTO voters (id, ip_hash, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT(id) DO NOTHING",
            [voter_id, ip_hash, self._now()],
        )

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
        with self.transaction() as conn:
            ids = [row[0] for row in conn.execute(
                "SELECT id FROM battles WHERE status = 'open' AND streaming_since IS NOT NULL "
                "AND streaming_since < ?", [to_iso(started_before)],
            )]  # fmt: skip
            for battle_id in ids:
                self.set_battle_status(battle_id, Status.ABANDONED, detail={"stream_died": True})
        return ids

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
                when = self._now() if vote.voted_at is None else to_iso(vote.voted_at)
                conn.execute(
                    "INSERT INTO battles (id, session_id, voter_id, mode, anonymous, model_a_id, "
                    "model_b_id, status, pair_probability, max_turns, created_at, ended_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 'voted', NULL, ?, ?, ?)",
                    [vote.battle_id, source, judge, "anonymous" if vote.anonymous else "named",
                     int(vote.anonymous), *model_ids, max(vote.turns, 1), when, when],
                )  # fmt: skip
                for idx, (prompt, answer_a, answer_b) in enumerate(
                    turn_texts(vote.conversation_a, vote.conversation_b)
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
                     None if vote.anonymous else Reason.NAMED_BATTLE.value, int(vote.anonymous),
                     vote.language, int(vote.is_coding), int(vote.is_long_query),
                     int(vote.is_multi_turn), _json_or_none(style_a), _json_or_none(style_b),
                     source, when],
                )  # fmt: skip
            self._log(
                conn, "battles_imported", None, None, {"source": source, "battles": len(rows)}
            )
