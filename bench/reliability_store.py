"""Load (a): votes per second the store takes, `SqliteStore.record_vote` with the live TrueSkill
update, against bare sqlite3 INSERTs of the same rows measured in the same run.

    .venv/bin/python bench/reliability.py load --parts store
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from arena.adapters.sqlite import SqliteStore
from arena.domain.battle import Battle, Mode, Side
from arena.ports import NewVote
from arena.service import live_updates
from bench.arena_client import VERDICTS
from bench.reliability_report import Figure, context, goal
from ratings.trueskill_ratings import TrueSkillParams

STORE_GOAL_PER_S = 3_000
VOTE_COLUMNS = (
    "battle_id, voter_id, model_a_id, model_b_id, verdict, counted, reason, anonymous, language, "
    "is_coding, is_long_query, is_multi_turn, style_a, style_b, source, created_at"
)


@dataclass
class StoreResult:
    votes: int
    store_s: float
    bare_s: float
    errors: int
    stored: int  # vote rows found afterwards
    unrated_s: float = 0.0  # record_vote of the same votes without the live rating update
    two_threads_per_s: float | None = None
    two_thread_errors: int = 0

    @property
    def store_per_s(self) -> float:
        return self.votes / self.store_s

    @property
    def bare_per_s(self) -> float:
        return self.votes / self.bare_s

    def figures(self) -> list[Figure]:
        figures = [
            goal(
                "store.record_vote, 1 thread",
                f"{self.store_per_s:,.0f} votes/s",
                f"≥ {STORE_GOAL_PER_S:,}/s",
                self.store_per_s >= STORE_GOAL_PER_S,
            ),
            context("reference: bare sqlite3 INSERT", f"{self.bare_per_s:,.0f} votes/s"),
            context("store / bare", f"{self.store_per_s / self.bare_per_s:.2f}x"),
            context("record_vote without the live rating update",
                    f"{self.votes / self.unrated_s:,.0f} votes/s"),
            goal("store errors", f"{self.errors}", "= 0", self.errors == 0),
            goal("votes stored / votes sent", f"{self.stored}/{self.votes}", "all",
                 self.stored == self.votes),
        ]  # fmt: skip
        if self.two_threads_per_s is not None:
            figures += [
                context("store.record_vote, 2 threads", f"{self.two_threads_per_s:,.0f} votes/s"),
                goal("store errors, 2 threads", f"{self.two_thread_errors}", "= 0",
                     self.two_thread_errors == 0),
            ]  # fmt: skip
        return figures


def _prepared_store(path: Path, battles: int, seed: int) -> list[NewVote]:
    """A database with 10 models, 50 voters and `battles` open battles; the votes to cast."""
    rng = random.Random(seed)
    store = SqliteStore(path)
    names = [f"model-{i}" for i in range(10)]
    store.ensure_models(
        [{"name": n, "display_name": n, "organisation": "Org", "licence": "MIT"} for n in names]
    )
    for v in range(50):
        store.ensure_voter(f"voter-{v}", f"ip-{v % 20}")
    votes = []
    for i in range(battles):
        a, b = rng.sample(names, 2)
        voter = f"voter-{i % 50}"
        battle = Battle(
            id=f"battle-{i:07d}", session_id=voter, voter_id=voter, mode=Mode.ANONYMOUS,
            models={Side.A: a, Side.B: b}, pair_probability=1 / 45,
        )  # fmt: skip
        store.create_battle(battle, ip_hash=f"ip-{i % 20}", ip_prefix_hash="prefix")
        counted = rng.random() < 0.9
        votes.append(
            NewVote(
                battle_id=battle.id, voter_id=voter, verdict=rng.choice(VERDICTS),
                counted=counted, reason=None if counted else "probe",
                language=rng.choice(("en", "zh")), is_coding=rng.random() < 0.2,
                is_long_query=rng.random() < 0.15, is_multi_turn=False,
                style_a=(10, 0, 1, 2), style_b=(12, 1, 0, 3),
            )
        )  # fmt: skip
    store.close()
    return votes


def _bare_rows(path: Path, votes: list[NewVote]) -> list[tuple]:
    """The rows record_vote would insert, with model ids looked up beforehand."""
    conn = sqlite3.connect(path)
    models = {
        row[0]: (row[1], row[2], row[3])
        for row in conn.execute("SELECT id, model_a_id, model_b_id, anonymous FROM battles")
    }
    conn.close()
    now = "2026-01-01T00:00:00.000+00:00"
    return [
        (v.battle_id, v.voter_id, *models[v.battle_id][:2], v.verdict, int(v.counted), v.reason,
         models[v.battle_id][2], v.language, int(v.is_coding), int(v.is_long_query),
         int(v.is_multi_turn), json.dumps(v.style_a), json.dumps(v.style_b), "arena", now)
        for v in votes
    ]  # fmt: skip


def _time_store(
    store: SqliteStore, votes: list[NewVote], params: TrueSkillParams | None
) -> tuple[float, int]:
    """Seconds to record `votes` one by one (rated with `params` if given), and errors."""
    errors = 0
    models = {b: (a, m) for b, a, m in store.db.execute(
        "SELECT b.id, ma.name, mb.name FROM battles b JOIN models ma ON ma.id = b.model_a_id "
        "JOIN models mb ON mb.id = b.model_b_id")}  # fmt: skip
    started = time.perf_counter()
    for vote in votes:
        try:
            with store.transaction():  # what Arena.vote does after its checks
                store.record_vote(vote)
                if vote.counted and params:
                    a, b = models[vote.battle_id]
                    for update in live_updates(
                        params, store.live_skills([a, b]), a, b, vote.verdict
                    ):
                        store.add_live_result(update)
        except Exception:
            errors += 1
    return time.perf_counter() - started, errors


def _time_bare(conn: sqlite3.Connection, rows: list[tuple]) -> float:
    marks = ", ".join("?" * len(rows[0]))
    sql = f"INSERT INTO votes ({VOTE_COLUMNS}) VALUES ({marks})"
    started = time.perf_counter()
    for row in rows:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(sql, row)
        conn.execute("COMMIT")
    return time.perf_counter() - started


def bare_connection(path: Path) -> sqlite3.Connection:
    """A connection set up as the store's (WAL, synchronous NORMAL, foreign keys, autocommit)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def measure_store(
    folder: Path, *, votes: int = 20_000, seed: int = 1, two_threads: bool = True
) -> StoreResult:
    """record_vote (with the live TrueSkill update) vs bare INSERTs of the same rows, one
    transaction each, alternating halves so that load on the machine hits both alike; then
    record_vote without the rating update, and from two threads, for context."""
    folder.mkdir(parents=True, exist_ok=True)
    template = folder / "template.db"
    planned = _prepared_store(template, votes, seed)
    store_path, bare_path = folder / "store.db", folder / "bare.db"
    shutil.copy(template, store_path)
    shutil.copy(template, bare_path)
    rows = _bare_rows(template, planned)
    params = TrueSkillParams()
    store = SqliteStore(store_path)
    conn = bare_connection(bare_path)
    half = votes // 2
    store_s = bare_s = 0.0
    errors = 0
    for part in (slice(0, half), slice(half, votes)):
        bare_s += _time_bare(conn, rows[part])
        seconds, failed = _time_store(store, planned[part], params)
        store_s, errors = store_s + seconds, errors + failed
    conn.close()
    stored = store.db.execute("SELECT count(*) FROM votes").fetchone()[0]
    store.close()
    shutil.copy(template, folder / "unrated.db")
    unrated = SqliteStore(folder / "unrated.db")
    unrated_s, _ = _time_store(unrated, planned, None)
    unrated.close()
    result = StoreResult(votes=votes, store_s=store_s, bare_s=bare_s, errors=errors, stored=stored,
                         unrated_s=unrated_s)  # fmt: skip
    if two_threads:
        result.two_threads_per_s, result.two_thread_errors = _two_threads(
            folder, template, planned, params
        )
    return result


def _two_threads(
    folder: Path, template: Path, planned: list[NewVote], params: TrueSkillParams
) -> tuple[float, int]:
    path = folder / "store2.db"
    shutil.copy(template, path)
    store = SqliteStore(path)
    outcomes: list[tuple[float, int]] = []

    def work(part: list[NewVote]) -> None:
        outcomes.append(_time_store(store, part, params))

    threads = [threading.Thread(target=work, args=(planned[i::2],)) for i in range(2)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    store.close()
    return len(planned) / elapsed, sum(e for _, e in outcomes)
