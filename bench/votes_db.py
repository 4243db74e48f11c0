"""Reading the benchmark's SQLite votes table into numpy: the grouped scan and the raw vote list."""

import sqlite3
from pathlib import Path

import numpy as np

from ratings import VERDICTS

# Each verdict word as its ratings code (its index in VERDICTS), -1 for anything else.
VERDICT_CODE_SQL = (
    "CASE verdict "
    + " ".join(f"WHEN '{word}' THEN {code}" for code, word in enumerate(VERDICTS))
    + " ELSE -1 END"
)
# The category columns the leaderboard filters on, grouped as integers next to the models.
CATEGORY_COLUMNS = {
    "english": "language = 'en'",
    "chinese": "language = 'zh'",
    "coding": "is_coding",
    "long_query": "is_long_query",
    "multi_turn": "is_multi_turn",
}
GROUPED_SQL = (
    f"SELECT model_a_id, model_b_id, {VERDICT_CODE_SQL}, "
    + ", ".join(CATEGORY_COLUMNS.values())
    + ", COUNT(*) FROM votes WHERE counted = 1 GROUP BY 1, 2, 3, "
    + ", ".join(str(k) for k in range(4, 4 + len(CATEGORY_COLUMNS)))
)
FETCH = 200_000  # rows per fetchmany: keeps Python tuples from piling up


def model_names(db: Path) -> tuple[list[str], dict[int, int]]:
    """Model names by index, and the map from SQLite model id to that index."""
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT id, name FROM models ORDER BY id").fetchall()
    return [name for _, name in rows], {model_id: k for k, (model_id, _) in enumerate(rows)}


def grouped_counts(db: Path) -> dict[str, np.ndarray]:
    """One GROUP BY over integer columns: model_a, model_b, verdict, category flags, count [rows]."""
    _, index = model_names(db)
    lookup = np.full(max(index) + 1, -1, dtype=np.int32)
    lookup[list(index)] = list(index.values())
    con = sqlite3.connect(db)
    cursor = con.execute(GROUPED_SQL)
    parts = []
    while chunk := cursor.fetchmany(FETCH):
        parts.append(np.array(chunk, dtype=np.int64))
    con.close()
    table = np.concatenate(parts) if parts else np.zeros((0, 4 + len(CATEGORY_COLUMNS)), np.int64)
    out = {
        "model_a": lookup[table[:, 0]],
        "model_b": lookup[table[:, 1]],
        "verdict": table[:, 2].astype(np.int8),
        "count": table[:, -1],
    }
    for k, name in enumerate(CATEGORY_COLUMNS):
        out[name] = table[:, 3 + k].astype(bool)
    return out


def raw_votes(db: Path, limit: int | None = None) -> dict[str, np.ndarray]:
    """Counted votes in id (time) order: model_a, model_b, verdict code [n]."""
    _, index = model_names(db)
    lookup = np.full(max(index) + 1, -1, dtype=np.int32)
    lookup[list(index)] = list(index.values())
    sql = f"SELECT model_a_id, model_b_id, {VERDICT_CODE_SQL} FROM votes WHERE counted = 1 ORDER BY id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    con = sqlite3.connect(db)
    cursor = con.execute(sql)
    parts = []
    while chunk := cursor.fetchmany(FETCH):
        parts.append(np.array(chunk, dtype=np.int32))
    con.close()
    table = np.concatenate(parts) if parts else np.zeros((0, 3), np.int32)
    return {
        "model_a": lookup[table[:, 0]],
        "model_b": lookup[table[:, 1]],
        "verdict": table[:, 2].astype(np.int8),
    }
