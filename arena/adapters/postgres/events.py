"""The append-only event log."""

from __future__ import annotations

from typing import Any

from arena.adapters.postgres.base import iso_fields, to_timestamp


class Events:
    def log_event(
        self, kind: str, *, battle_id: str | None = None, voter_id: str | None = None, **detail: Any
    ) -> None:
        with self.transaction() as conn:
            self._log(conn, kind, battle_id, voter_id, detail)

    def count_events(self, kind: str, *, since: float, ip_hash: str | None = None) -> int:
        """Events of one kind since a time (Unix seconds), optionally those of one IP hash."""
        sql = "SELECT COUNT(*) FROM events WHERE kind = %s AND ts >= %s"
        params: list[Any] = [kind, to_timestamp(since)]
        if ip_hash is not None:
            sql += " AND detail->>'ip_hash' = %s"
            params.append(ip_hash)
        return self._one(sql, params)[0]

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE kind = %s", [kind]) if kind else ("", [])
        return [
            {**iso_fields(row, "ts"), "detail": row["detail"] or {}}
            for row in self._dicts(
                f"SELECT id, ts, kind, battle_id, voter_id, detail FROM events {where} ORDER BY id",
                params,
            )
        ]
