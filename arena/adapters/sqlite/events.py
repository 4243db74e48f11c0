"""The append-only event log."""

from __future__ import annotations

import json
from typing import Any

from arena.domain.clock import to_iso


class Events:
    def log_event(
        self, kind: str, *, battle_id: str | None = None, voter_id: str | None = None, **detail: Any
    ) -> None:
        with self.transaction() as conn:
            self._log(conn, kind, battle_id, voter_id, detail)

    def count_events(self, kind: str, *, since: float, ip_hash: str | None = None) -> int:
        """Events of one kind since a time (Unix seconds), optionally those of one IP hash."""
        sql = "SELECT COUNT(*) FROM events WHERE kind = ? AND ts >= ?"
        params: list[Any] = [kind, to_iso(since)]
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
