"""The whole service on PostgreSQL, wired by create_arena from a postgresql:// database_url:
battle → vote → quarantine → snapshot → release, and the secrets file it keeps."""

import pytest

from arena.bootstrap import create_arena
from arena.domain.battle import Status
from arena.domain.reasons import Reason
from arena.views import Voter
from tests.conftest import collect

ME = Voter(session_id="session-1", voter_id="voter-1", ip="203.0.113.9")
OTHER = Voter(session_id="session-2", voter_id="voter-2", ip="198.51.100.7")


@pytest.fixture
def arena(make_arena, postgres_url):
    return make_arena(database_url=postgres_url, snapshot_resamples=20, min_votes=1)


def play(arena, voter, verdict="a_better", prompt="What is 2+2?"):
    started = arena.start_battle(voter)
    collect(arena.ask(voter, started.battle_id, prompt))
    return started.battle_id, arena.vote(voter, started.battle_id, verdict)


def test_an_arena_on_postgres_votes_quarantines_and_snapshots(arena, settings):
    assert type(arena.store).__name__ == "PostgresStore"
    battle_id, receipt = play(arena, ME)
    assert receipt.stored and receipt.counted
    assert arena.vote(ME, battle_id, "tie").reason is Reason.ALREADY_VOTED
    assert arena.store.load_battle(battle_id).status is Status.VOTED
    for n in range(3):
        assert play(arena, OTHER, "b_better", f"question {n}")[1].counted
    assert sum(row.votes for row in arena.leaderboard()) == 2 * 4

    assert arena.quarantine_voter("voter-2", "vote ring")
    assert sum(row.votes for row in arena.leaderboard()) == 2 * 1, "the live board drops them"
    shot = arena.create_snapshot()
    assert shot.manifest.votes == 1
    assert shot.manifest.exclusions["quarantined"] == 3
    assert arena.snapshot().id == shot.id and arena.snapshots()[0]["id"] == shot.id

    assert arena.release_voter("voter-2", "false positive")
    again = arena.create_snapshot()
    assert again.manifest.votes == 4
    assert [s["id"] for s in arena.snapshots()] == [again.id, shot.id]
    assert settings.secrets_file.parent == settings.db_path.parent
    assert (settings.db_path.parent / "arena.secrets.json").exists(), "no file to sit beside"
    assert not settings.db_path.exists(), "no SQLite file was made"


def test_a_second_arena_on_the_same_database_sees_the_votes(
    arena, settings, postgres_url, make_roster, fake_provider
):
    play(arena, ME)
    roster = make_roster({"alpha": "fake-echo", "beta": "fake-zh"})
    shared = settings.with_overrides(database_url=postgres_url)
    with create_arena(
        shared, roster=roster, provider=fake_provider, start_local_models=False
    ) as other:
        assert [row.votes for row in other.leaderboard()] == [1, 1]
        assert other.hash_ip("203.0.113.9") == arena.hash_ip("203.0.113.9"), "one secrets file"
