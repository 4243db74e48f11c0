"""Automatic snapshots: the schedule (snapshot_every_votes, snapshot_every_hours), one snapshot
however many workers ask at once, `snapshot create --if-due`, and the web server making them in
a background process."""

import threading

import pytest
from click.testing import CliRunner

from arena.adapters.sqlite import SqliteStore
from arena.bootstrap import create_arena
from arena.cli import cli
from arena.config import SettingsError, load_settings
from arena.usecases.publishing import AUTO_SNAPSHOT_GAP_S, SnapshotSchedule
from arena.views import Voter
from tests.conftest import collect
from tests.contract.helpers import START, Clock

HOUR = 3600.0


def test_votes_trigger_a_snapshot_once_enough_new_ones_count():
    rule = SnapshotSchedule(every_votes=3, every_hours=0)
    assert not rule.due(new_votes=2, first_new_vote_at=0, last_snapshot_at=None, now=10)
    assert rule.due(new_votes=3, first_new_vote_at=0, last_snapshot_at=None, now=10)


def test_hours_trigger_a_snapshot_only_when_a_new_vote_counts():
    rule = SnapshotSchedule(every_votes=0, every_hours=6)
    later = 7 * HOUR
    assert not rule.due(new_votes=0, first_new_vote_at=None, last_snapshot_at=0, now=later)
    assert rule.due(new_votes=1, first_new_vote_at=later - 5, last_snapshot_at=0, now=later)
    assert not rule.due(new_votes=1, first_new_vote_at=0, last_snapshot_at=2 * HOUR, now=later)


def test_before_the_first_snapshot_the_hours_count_from_the_first_counted_vote():
    rule = SnapshotSchedule(every_votes=0, every_hours=6)
    assert not rule.due(new_votes=5, first_new_vote_at=HOUR, last_snapshot_at=None, now=6 * HOUR)
    assert rule.due(new_votes=5, first_new_vote_at=HOUR, last_snapshot_at=None, now=7 * HOUR)


def test_a_fast_arena_gets_at_most_one_automatic_snapshot_an_hour():
    rule = SnapshotSchedule(every_votes=10, every_hours=6)
    assert rule.gap_s == AUTO_SNAPSHOT_GAP_S == HOUR
    assert not rule.due(new_votes=10_000, first_new_vote_at=1, last_snapshot_at=0, now=HOUR - 1)
    assert rule.due(new_votes=10_000, first_new_vote_at=1, last_snapshot_at=0, now=HOUR)
    assert SnapshotSchedule(every_votes=10, every_hours=0.25).gap_s == 900


def test_zero_turns_each_trigger_off():
    off = SnapshotSchedule(every_votes=0, every_hours=0)
    assert not off.on
    assert not off.due(new_votes=10**6, first_new_vote_at=0, last_snapshot_at=None, now=10**9)


@pytest.mark.parametrize("name", ["snapshot_every_votes", "snapshot_every_hours"])
def test_a_negative_schedule_is_refused_with_its_name(name):
    with pytest.raises(SettingsError, match=name):
        load_settings({f"ARENA_{name.upper()}": "-1"})


@pytest.fixture
def clock():
    return Clock(START)


@pytest.fixture
def open_arena(settings, make_roster, fake_provider, clock):
    """open_arena(**settings) -> an Arena on the test's database and clock; several calls are
    several workers on one database."""
    opened = []

    def open_one(**overrides):
        context = create_arena(
            settings.with_overrides(**overrides), roster=make_roster({"alpha": "fake-echo",
            "beta": "fake-zh"}), provider=fake_provider, start_local_models=False, clock=clock,
        )  # fmt: skip
        opened.append(context)
        return context.__enter__()

    yield open_one
    for context in opened:
        context.__exit__(None, None, None)


def vote_n(arena, n, clock, start=0):
    for i in range(start, start + n):
        voter = Voter(f"s{i}", f"voter-{i}", f"10.0.0.{i % 200}")
        battle = arena.start_battle(voter)
        collect(arena.ask(voter, battle.battle_id, f"prompt number {i}"))
        arena.vote(voter, battle.battle_id, "a_better")
        clock.advance(1)


def test_the_service_makes_a_snapshot_when_due_and_not_before(open_arena, clock):
    arena = open_arena(snapshot_every_votes=3, snapshot_every_hours=0)
    vote_n(arena, 2, clock)
    assert not arena.snapshot_due() and arena.create_snapshot_if_due() is None
    vote_n(arena, 1, clock, start=2)
    assert arena.snapshot_due()
    made = arena.create_snapshot_if_due()
    assert made is not None and made.manifest.votes == 3
    assert [s["id"] for s in arena.snapshots()] == [made.id]
    vote_n(arena, 3, clock, start=3)
    assert not arena.snapshot_due(), "within the hour after the last one"
    clock.advance(HOUR)
    second = arena.create_snapshot_if_due()
    assert second is not None and second.manifest.votes == 6
    assert not arena.snapshot_due()


def test_uncounted_votes_do_not_make_a_snapshot_due(open_arena, clock):
    arena = open_arena(snapshot_every_votes=1, snapshot_every_hours=0, min_seconds_to_vote=60)
    vote_n(arena, 3, clock)  # each vote comes a second after its answers: too soon to count
    assert arena.export_votes() and not arena.snapshot_due()


def test_many_workers_asking_at_once_make_one_snapshot(open_arena, clock):
    workers = [open_arena(snapshot_every_votes=2, snapshot_every_hours=0) for _ in range(4)]
    vote_n(workers[0], 2, clock)
    made, start = [], threading.Barrier(len(workers))

    def ask(arena):
        start.wait()
        made.append(arena.create_snapshot_if_due())

    threads = [threading.Thread(target=ask, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(m is not None for m in made) == 1, made
    assert len(workers[1].snapshots()) == 1


def test_a_worker_makes_none_while_another_process_holds_the_lock(open_arena, clock):
    arena, other = open_arena(snapshot_every_votes=1), open_arena(snapshot_every_votes=1)
    vote_n(arena, 1, clock)
    with other.publishing.store.snapshot_lock() as held:
        assert held
        assert arena.snapshot_due() and arena.create_snapshot_if_due() is None
    assert arena.create_snapshot_if_due() is not None


def test_snapshot_create_if_due_says_what_it_did(open_arena, clock, settings):
    arena = open_arena(snapshot_every_votes=2, snapshot_every_hours=0)
    vote_n(arena, 1, clock)
    environ = {"ARENA_DB_PATH": str(settings.db_path), "ARENA_LOCAL_MODELS": "false",
               "ARENA_ROSTER_PATH": str(settings.db_path.parent / "roster.yaml"),
               "ARENA_SNAPSHOT_EVERY_VOTES": "1", "ARENA_SNAPSHOT_EVERY_HOURS": "0"}  # fmt: skip
    runner = CliRunner()
    first = runner.invoke(cli, ["snapshot", "create", "--if-due"], env=environ)
    assert first.exit_code == 0, first.output
    assert "snapshot " in first.output and "1 votes" in first.output
    again = runner.invoke(cli, ["snapshot", "create", "--if-due"], env=environ)
    assert again.exit_code == 0, again.output
    assert (
        again.output.strip() == "no snapshot is due (snapshot_every_votes=1, "
        "snapshot_every_hours=0.0)"
    )
    assert len(arena.snapshots()) == 1


def test_a_low_priority_recompute_runs_niced_and_the_write_does_not():
    """The recompute of an automatic snapshot runs at niceness LOW_PRIORITY in a thread of its
    own; the caller's thread (which then writes, holding the writers' lock) keeps its own."""
    import os
    import threading

    from arena.cli import LOW_PRIORITY, _at_low_priority

    def niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = niceness()
    assert _at_low_priority(niceness) == max(before, LOW_PRIORITY)
    assert niceness() == before
    with pytest.raises(ZeroDivisionError):
        _at_low_priority(lambda: 1 / 0)


def test_the_schedule_stops_when_the_server_that_started_it_dies(settings, make_roster):
    """A `snapshot schedule` whose parent (the web server) is killed outright does not live on
    with the old code and settings: it sees its parent gone and exits."""
    import os
    import subprocess
    import sys
    import time

    make_roster({"alpha": "fake-echo", "beta": "fake-zh"})
    SqliteStore(settings.db_path).close()  # the server made the database before the schedule
    environ = {**os.environ, "ARENA_DB_PATH": str(settings.db_path),
               "ARENA_LOCAL_MODELS": "false",
               "ARENA_ROSTER_PATH": str(settings.db_path.parent / "roster.yaml")}  # fmt: skip
    parent = subprocess.Popen(  # stands in for the server: starts the schedule, then dies
        ["sh", "-c", f"{sys.executable} -m arena snapshot schedule --every 0.2 & echo $!; "
         "sleep 8"], env=environ, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    child = int(parent.stdout.readline())
    time.sleep(6)  # started, importing or looping
    assert _alive(child), "the schedule runs while its server does"
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 15
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    from pathlib import Path

    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return False
    return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited
