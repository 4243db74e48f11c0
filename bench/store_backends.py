"""SQLite and PostgreSQL side by side: votes per second at the store, vote latency through HTTP,
and `snapshot create`, each on the same data, the SQLite figure being the reference measured in
the same run (the machine is shared: compare ratios).

    .venv/bin/python bench/store_backends.py                       # all parts, default sizes
    .venv/bin/python bench/store_backends.py --parts snapshot --snapshot-votes 1000000

PostgreSQL: a throwaway database on ARENA_BENCH_POSTGRES (default
postgresql://postgres@127.0.0.1:5432/postgres), dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arena.config import apply_offline_defaults, load_settings  # noqa: E402

apply_offline_defaults()

import psycopg  # noqa: E402

from arena.adapters.postgres import PostgresStore  # noqa: E402
from arena.adapters.sqlite import SqliteStore  # noqa: E402
from arena.bootstrap import create_arena  # noqa: E402
from arena.domain.battle import Battle, Mode, Side  # noqa: E402
from arena.formats.battle_data import ImportedVote  # noqa: E402
from arena.ports import NewVote, Store  # noqa: E402
from arena.service import live_updates  # noqa: E402
from bench.arena_client import VERDICTS  # noqa: E402
from bench.reliability_latency import measure_vote_latency  # noqa: E402
from bench.reliability_report import all_met, render  # noqa: E402
from ratings.trueskill_ratings import TrueSkillParams  # noqa: E402

ADMIN_URL = os.environ.get(
    "ARENA_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)  # the bench is not the app: it reads its own variable
PARTS = ("votes", "latency", "snapshot")


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A new empty database; its URL; dropped afterwards. A server that cannot be reached
    stops the bench with that said (each part needs both stores)."""
    name = f"arena_bench_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        raise SystemExit(
            f"Error: PostgreSQL is not reachable at {ADMIN_URL}: {error}\nStart it with `make "
            "postgres`, or set ARENA_BENCH_POSTGRES to a server where this user may create "
            "databases."
        ) from None
    with admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def plan_battles(store: Store, battles: int, seed: int) -> tuple[list[NewVote], dict]:
    """10 models, 50 voters, `battles` open battles in `store`; the votes to cast on them."""
    rng = random.Random(seed)
    names = [f"model-{i}" for i in range(10)]
    store.ensure_models(
        [{"name": n, "display_name": n, "organisation": "Org", "licence": "MIT"} for n in names]
    )
    for v in range(50):
        store.ensure_voter(f"voter-{v}", f"ip-{v % 20}")
    votes, models = [], {}
    for i in range(battles):
        a, b = rng.sample(names, 2)
        voter = f"voter-{i % 50}"
        battle = Battle(id=f"battle-{i:07d}", session_id=voter, voter_id=voter,
                        mode=Mode.ANONYMOUS, models={Side.A: a, Side.B: b},
                        pair_probability=1 / 45)  # fmt: skip
        store.create_battle(battle, ip_hash=f"ip-{i % 20}", ip_prefix_hash="prefix")
        models[battle.id] = (a, b)
        counted = rng.random() < 0.9
        votes.append(NewVote(
            battle_id=battle.id, voter_id=voter, verdict=rng.choice(VERDICTS), counted=counted,
            reason=None if counted else "probe", language=rng.choice(("en", "zh")),
            is_coding=rng.random() < 0.2, is_long_query=rng.random() < 0.15,
            is_multi_turn=False, style_a=(10, 0, 1, 2), style_b=(12, 1, 0, 3),
        ))  # fmt: skip
    return votes, models


def cast_votes(store: Store, votes: list[NewVote], models: dict) -> tuple[float, int]:
    """Seconds to cast `votes` as Arena.vote does after its checks (vote + live update in one
    transaction), and the number that failed."""
    params, errors = TrueSkillParams(), 0
    started = time.perf_counter()
    for vote in votes:
        try:
            with store.transaction():
                store.record_vote(vote)
                if vote.counted:
                    a, b = models[vote.battle_id]
                    for update in live_updates(params, store.live_skills([a, b]), a, b,
                                               vote.verdict):  # fmt: skip
                        store.add_live_result(update)
        except Exception:
            errors += 1
    return time.perf_counter() - started, errors


def two_threads(store: Store, votes: list[NewVote], models: dict) -> float:
    threads = [threading.Thread(target=cast_votes, args=(store, votes[i::2], models))
               for i in range(2)]  # fmt: skip
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(votes) / (time.perf_counter() - started)


def measure_votes(store: Store, n: int) -> dict[str, float]:
    votes, models = plan_battles(store, n, seed=1)
    seconds, errors = cast_votes(store, votes[: n // 2], models)
    per_s_two = two_threads(store, votes[n // 2 :], models)
    stored = store.counting_vote_count()
    store.close()
    return {"per_s": n // 2 / seconds, "errors": errors, "two_threads_per_s": per_s_two,
            "counted_stored": stored}  # fmt: skip


def imported_votes(n: int, models: int, seed: int) -> list[tuple[ImportedVote, None, None]]:
    rng = random.Random(seed)
    names = [f"model-{i:03d}" for i in range(models)]
    strength = {m: rng.gauss(0, 0.8) for m in names}
    rows = []
    for i in range(n):
        a, b = rng.sample(names, 2)
        p = 1 / (1 + 2.718281828 ** (strength[b] - strength[a]))
        r = rng.random()
        verdict = "tie" if r < 0.2 else "both_bad" if r < 0.28 else (
            "a_better" if rng.random() < p else "b_better")  # fmt: skip
        rows.append((ImportedVote(
            battle_id=f"imported-{i:08d}", model_a=a, model_b=b, verdict=verdict,
            judge=f"judge-{rng.randrange(max(n // 20, 1))}", language=rng.choice(("en", "zh")),
            turns=1, voted_at=1.7e9 + i, anonymous=True, is_coding=rng.random() < 0.2,
            is_long_query=rng.random() < 0.15, is_multi_turn=False,
            conversation_a=None, conversation_b=None,
        ), None, None))  # fmt: skip
    return rows


def measure_snapshot(settings: object, rows: list) -> dict[str, float]:
    with create_arena(settings, start_local_models=False) as arena:
        started = time.perf_counter()
        for i in range(0, len(rows), 50_000):
            arena.store.import_votes(rows[i : i + 50_000], source=f"bench:{i}")
        import_s = time.perf_counter() - started
        started = time.perf_counter()
        scanned = len(arena.store.counted_vote_pairs())  # the bare read of every vote
        scan_s = time.perf_counter() - started
        started = time.perf_counter()
        snapshot = arena.create_snapshot()
        snapshot_s = time.perf_counter() - started
    return {
        "import_s": import_s,
        "scan_s": scan_s,
        "snapshot_s": snapshot_s,
        "votes": snapshot.manifest.votes,
        "scanned": scanned,
        "sha256": snapshot.manifest.vote_set_sha256,
    }


def main(argv: list[str] | None = None) -> int:
    """Each part on a PostgreSQL database of its own (as on a SQLite file of its own): the
    app refuses a database that holds voters without their secrets file, and a snapshot counts
    every vote its database holds. Exits 1 when a vote failed, a latency goal is missed or the
    two stores' vote sets differ."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--votes", type=int, default=10_000, help="store part: votes cast")
    parser.add_argument("--rate", type=float, default=100.0, help="latency part: votes/s")
    parser.add_argument("--seconds", type=float, default=5.0, help="latency part: duration")
    parser.add_argument("--snapshot-votes", type=int, default=100_000)
    parser.add_argument("--models", type=int, default=30, help="snapshot part: models")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="arena-backends-"))
    ok = True
    try:
        if "votes" in args.parts:
            with throwaway_postgres() as pg_url:
                ok &= votes_part(folder, pg_url, args.votes)
        if "latency" in args.parts:
            with throwaway_postgres() as pg_url:
                ok &= latency_part(folder, pg_url, args.rate, args.seconds)
        if "snapshot" in args.parts:
            with throwaway_postgres() as pg_url:
                ok &= snapshot_part(folder, pg_url, args.snapshot_votes, args.models)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


def votes_part(folder: Path, pg_url: str, n: int) -> bool:
    print(f"== votes at the store ({n:,} planned; half 1 thread, half 2)")
    stores = {"sqlite": lambda: SqliteStore(folder / "votes.db"),
              "postgres": lambda: PostgresStore(pg_url)}  # fmt: skip
    found = {b: measure_votes(opened(), n) for b, opened in stores.items()}
    for b, r in found.items():
        print(f"  {b:9s} 1 thread {r['per_s']:8,.0f} votes/s   2 threads "
              f"{r['two_threads_per_s']:8,.0f} votes/s   errors {r['errors']}")  # fmt: skip
    ratio = found["postgres"]["per_s"] / found["sqlite"]["per_s"]
    print(f"  postgres / sqlite (1 thread): {ratio:.2f}×", flush=True)
    return not any(r["errors"] for r in found.values())


def latency_part(folder: Path, pg_url: str, rate: float, seconds: float) -> bool:
    print(f"== vote latency through HTTP at {rate:g} votes/s for {seconds:g} s")
    ok = True
    for backend, extra in (("sqlite", {}), ("postgres", {"ARENA_DATABASE_URL": pg_url})):
        result = measure_vote_latency(folder / f"latency-{backend}", rate=rate,
                                      seconds=seconds, settings=extra)  # fmt: skip
        print(render(f"  {backend}", result.figures()), flush=True)
        ok &= all_met(result.figures())
    return ok


def snapshot_part(folder: Path, pg_url: str, n: int, models: int) -> bool:
    print(f"== snapshot create on {n:,} votes × {models} models")
    rows = imported_votes(n, models, seed=3)
    found = {
        b: measure_snapshot(load_settings(
            db_path=str(folder / f"snapshot-{b}.db"), database_url=url, maintainer_secret="bench",
            # one secret: the released judges, hashed, are the same
            secrets_path=str(folder / "snapshot.secrets.json"),
        ), rows)
        for b, url in (("sqlite", ""), ("postgres", pg_url))
    }  # fmt: skip
    for b, r in found.items():
        print(f"  {b:9s} import {r['import_s']:7.1f} s   scan {r['scan_s']:6.2f} s   "
              f"snapshot create {r['snapshot_s']:7.1f} s   votes {r['votes']:,}")  # fmt: skip
    same = found["sqlite"]["sha256"] == found["postgres"]["sha256"]
    print(f"  same vote-set sha256 on both: {same}")
    ratio = found["postgres"]["snapshot_s"] / found["sqlite"]["snapshot_s"]
    print(f"  snapshot create postgres / sqlite: {ratio:.2f}×", flush=True)
    return same and all(r["votes"] == n for r in found.values())


if __name__ == "__main__":
    raise SystemExit(main())
