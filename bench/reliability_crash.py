"""Crash durability: a steady stream of votes from a few client threads while the real app is
killed with SIGKILL and restarted, again and again; then every vote a client was told is stored
must be in the database, the database must pass `PRAGMA integrity_check`, and no battle may stay
marked as streaming once a restart could see that its stream died.

    .venv/bin/python bench/reliability.py crash
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from arena.domain.clock import to_iso
from bench.arena_client import VERDICTS, ApiRefused, ArenaClient, varied_prompt, voter_ip
from bench.arena_process import (
    OPEN_GATES,
    AppProcess,
    FakeProviderProcess,
    open_read_only,
    write_roster,
)
from bench.reliability_report import Figure, context, counts_text, goal


def stream_grace_s(wanted: float | None) -> tuple[float, dict[str, str]]:
    """How long past the answer timeout the app waits before calling a stream dead, and the
    environment that sets it (`ARENA_STREAM_GRACE_S`; the default when `wanted` is None)."""
    from arena.config import Settings

    if wanted is None:
        return Settings().stream_grace_s, {}
    return wanted, {"ARENA_STREAM_GRACE_S": f"{wanted:g}"}


@dataclass
class Acknowledged:
    """A vote a client was told is stored (a receipt with stored=true)."""

    battle_id: str
    verdict: str
    counted: bool


@dataclass
class CrashResult:
    kills: int
    restarts_healthy: int
    acknowledged: list[Acknowledged]
    votes_in_db: int
    lost: list[str]  # acknowledged battle ids with no vote row
    mismatched: list[str]  # vote rows whose verdict or counted differ from the receipt
    integrity: str
    foreign_key_errors: int
    stuck_at_restarts: list[int]  # per restart: streams dead for longer than the grace, still open
    stuck_at_end: int | None  # after a restart once every dead stream was past the grace
    dead_streams_abandoned: int  # battles abandoned with detail stream_died
    client_errors: Counter = field(default_factory=Counter)
    ready_s: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def figures(self) -> list[Figure]:
        unacknowledged = self.votes_in_db - len(self.acknowledged) + len(self.lost)
        stuck = sum(self.stuck_at_restarts)
        ready = sorted(self.ready_s)
        return [
            context("kill -9 while voting", f"{self.kills}"),
            goal("restarts that came back healthy", f"{self.restarts_healthy}/{self.kills}",
                 "all", self.restarts_healthy == self.kills),
            context("receipts with stored=true", f"{len(self.acknowledged)}"),
            context("votes in the database", f"{self.votes_in_db}"),
            context("stored votes never acknowledged (killed mid-reply)", f"{unacknowledged}"),
            goal("acknowledged votes lost", f"{len(self.lost)}", "= 0", not self.lost),
            goal("votes differing from their receipt", f"{len(self.mismatched)}", "= 0",
                 not self.mismatched),
            goal("PRAGMA integrity_check", self.integrity, "= ok", self.integrity == "ok"),
            goal("PRAGMA foreign_key_check rows", f"{self.foreign_key_errors}", "= 0",
                 self.foreign_key_errors == 0),
            goal("dead streams left open at restarts", f"{stuck}", "= 0", stuck == 0),
            goal("battles still streaming after the final restart",
                 "n/a" if self.stuck_at_end is None else f"{self.stuck_at_end}", "= 0",
                 self.stuck_at_end == 0),
            context("battles abandoned as dead streams", f"{self.dead_streams_abandoned}"),
            context("client errors (expected while down)", counts_text(self.client_errors)),
            context("restart to healthy, median / max",
                    f"{ready[len(ready) // 2]:.1f} / {ready[-1]:.1f} s" if ready else "-"),
            context("run time", f"{self.seconds:.0f} s"),
        ]  # fmt: skip


class Voters:
    """Client threads voting in a loop: start a battle, stream a turn, vote; keep receipts."""

    def __init__(self, url: str, threads: int) -> None:
        self.url = url
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.receipts: list[Acknowledged] = []
        self.errors: Counter = Counter()
        self.threads = [
            threading.Thread(target=self._run, args=(i,), name=f"voter-{i}", daemon=True)
            for i in range(threads)
        ]

    def start(self) -> Voters:
        for thread in self.threads:
            thread.start()
        return self

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def count(self) -> int:
        with self.lock:
            return len(self.receipts)

    def _run(self, index: int) -> None:
        n = 0
        with ArenaClient(self.url, timeout_s=20, ip=voter_ip(index)) as client:
            while not self.stop.is_set():
                n += 1
                try:
                    battle = client.start_battle()
                    turn = client.ask(battle.battle_id, varied_prompt(index * 1_000_000 + n))
                    if not turn.can_vote:
                        self._error(f"turn failed: {turn.failed_sides}")
                        continue
                    verdict = VERDICTS[n % 4]
                    receipt = client.vote(battle, verdict)
                    if receipt.get("stored"):
                        with self.lock:
                            self.receipts.append(
                                Acknowledged(
                                    battle.battle_id, verdict, bool(receipt.get("counted"))
                                )
                            )
                    else:
                        self._error(f"refused: {receipt.get('reason')}")
                except ApiRefused as refusal:
                    self._error(f"HTTP {refusal.status} {refusal.reason or ''}".strip())
                    self.stop.wait(0.05)
                except httpx.HTTPError as error:
                    self._error(type(error).__name__)
                    self.stop.wait(0.2)  # the app is down: do not spin while it starts

    def _error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] += 1


def _has_streaming_column(conn: sqlite3.Connection) -> bool:
    return any(row[1] == "streaming_since" for row in conn.execute("PRAGMA table_info(battles)"))


def count_dead_streams(db_path: Path, started_before: float | None) -> int | None:
    """Open battles marked as streaming (since before `started_before`, if given); None when the
    schema has no streaming mark."""
    conn = open_read_only(db_path)
    try:
        if not _has_streaming_column(conn):
            return None
        sql = "SELECT count(*) FROM battles WHERE status = 'open' AND streaming_since IS NOT NULL"
        if started_before is None:
            return conn.execute(sql).fetchone()[0]
        before = [to_iso(started_before)]
        return conn.execute(sql + " AND streaming_since < ?", before).fetchone()[0]
    finally:
        conn.close()


def check_database(db_path: Path, receipts: list[Acknowledged]) -> dict:
    """Lost and mismatched votes, integrity and foreign keys, read-only."""
    conn = open_read_only(db_path)
    try:
        stored = {
            row[0]: (row[1], bool(row[2]))
            for row in conn.execute("SELECT battle_id, verdict, counted FROM votes")
        }
        lost = [r.battle_id for r in receipts if r.battle_id not in stored]
        mismatched = [
            r.battle_id
            for r in receipts
            if r.battle_id in stored and stored[r.battle_id] != (r.verdict, r.counted)
        ]
        integrity = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        foreign = len(conn.execute("PRAGMA foreign_key_check").fetchall())
        abandoned = conn.execute(
            "SELECT count(*) FROM events WHERE kind = 'battle_abandoned' "
            "AND detail LIKE '%stream_died%'"
        ).fetchone()[0]
    finally:
        conn.close()
    return dict(votes_in_db=len(stored), lost=lost, mismatched=mismatched, integrity=integrity,
                foreign_key_errors=foreign, dead_streams_abandoned=abandoned)  # fmt: skip


def run_crash(
    folder: Path,
    *,
    kills: int = 20,
    threads: int = 3,
    up_s: tuple[float, float] = (2.0, 5.0),
    timeout_s: float = 3.0,
    grace_s: float | None = None,
    seed: int = 1,
    log=print,
) -> CrashResult:
    """Kill the app `kills` times while `threads` voters vote; each kill comes after a random
    `up_s` of voting (and at least one new receipt). Then a final restart once every dead stream
    is past the app's grace (`grace_s` where the app lets it be set), and the checks."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    app_grace, grace_setting = stream_grace_s(grace_s)
    grace = timeout_s + app_grace
    started = time.monotonic()
    with FakeProviderProcess(folder, chunk_delay=0.003) as fake:
        roster = write_roster(folder / "roster.yaml", fake.base_url,
                              {"alpha": "fake-echo", "beta": "fake-echo"})  # fmt: skip
        settings = {**OPEN_GATES, "ARENA_ROSTER_PATH": str(roster), **grace_setting,
                    "ARENA_TIMEOUT_S": f"{timeout_s:g}", "ARENA_UI_UPDATE_S": "0.02"}  # fmt: skip
        app = AppProcess(folder, settings).start()
        voters = Voters(app.url, threads).start()
        stuck_at_restarts: list[int] = []
        healthy = 0
        last_kill = time.time()
        try:
            for k in range(kills):
                before = voters.count()
                deadline = time.monotonic() + 15
                time.sleep(rng.uniform(*up_s))
                while voters.count() == before and time.monotonic() < deadline:
                    time.sleep(0.05)
                app.kill()
                last_kill = time.time()
                try:
                    app.start()
                except RuntimeError as error:
                    log(f"  restart {k + 1} failed: {error}")
                    break
                healthy += 1
                stuck = count_dead_streams(app.db_path, app.launched_at - grace)
                stuck_at_restarts.append(stuck or 0)
                log(
                    f"  kill {k + 1}/{kills}: {voters.count()} receipts so far, "
                    f"back in {app.ready_s[-1]:.1f} s, dead streams left open: {stuck}"
                )
        finally:
            voters.finish()
        # Every stream killed so far is dead; once the grace has passed, a restart must close it.
        wait = last_kill + grace + 1.0 - time.time()
        app.stop()
        if wait > 0:
            log(f"  waiting {wait:.0f} s so that the last dead streams are past the grace")
            time.sleep(wait)
        stuck_at_end = None
        try:
            app.start()
            stuck_at_end = count_dead_streams(app.db_path, None)
        finally:
            app.stop()
    checks = check_database(app.db_path, voters.receipts)
    return CrashResult(
        kills=kills, restarts_healthy=healthy, acknowledged=voters.receipts,
        stuck_at_restarts=stuck_at_restarts, stuck_at_end=stuck_at_end,
        client_errors=voters.errors, ready_s=app.ready_s[1:],
        seconds=time.monotonic() - started, **checks,
    )  # fmt: skip
