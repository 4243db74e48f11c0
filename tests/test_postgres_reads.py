"""PostgreSQL: reads that must see every other worker's commits exactly once, whatever order
the commits land in."""

import pytest

from arena.adapters.postgres import PostgresStore
from arena.domain.clock import to_iso
from tests.contract.helpers import START, Clock, answered_turn, cast, new_battle, vote


@pytest.fixture
def clock():
    return Clock(START)


@pytest.fixture
def workers(postgres_url, clock):
    """Two stores on one database: two workers."""
    opened = [PostgresStore(postgres_url, clock=clock) for _ in range(2)]
    yield opened
    for store in opened:
        store.close()


def test_a_vote_that_commits_after_a_later_one_is_still_read_once(workers, clock):
    """Worker A stamps its vote first and commits it last. Worker B's duplicate index has
    meanwhile read B's own later vote: the next read must still bring A's vote (a window of
    "the last second again" missed it once the commit came more than a second late)."""
    a, b = workers
    for battle_id in ("b1", "b2"):
        new_battle(a, battle_id)
        a.save_turn(battle_id, answered_turn(0, f"prompt {battle_id}"))
    rows, cursor = b.voted_prompts(to_iso(START))
    assert rows == []
    with a.transaction():
        a.record_vote(vote("b1"))  # stamped at START, not committed yet
        clock.advance(5)
        cast(b, vote("b2"))
        rows, cursor = b.voted_prompts(to_iso(START), cursor)
        assert [row[0] for row in rows] == ["b2"]
    rows, cursor = b.voted_prompts(to_iso(START), cursor)
    assert [(row[0], row[3]) for row in rows] == [("b1", START)]
    assert b.voted_prompts(to_iso(START), cursor)[0] == []


def test_the_duplicate_gate_sees_a_vote_another_worker_committed_late(workers, clock, tmp_path):
    """The same through the gate: worker B's duplicate index refreshed while worker A's vote was
    still open; once A commits, B must refuse A's voter a second vote on the same prompt."""
    from arena.config import Settings
    from arena.domain.reasons import Reason
    from arena.usecases.gatekeeper import Gatekeeper
    from tests.conftest import OPEN_GATES

    a, b = workers
    settings = Settings(db_path=tmp_path / "unused.db", **{**OPEN_GATES, "duplicate_votes": 1})
    gate = Gatekeeper(settings, b, clock, proof_secret=b"secret")
    for battle_id, voter, prompt in (("b1", "v1", "tell me a story about the sea"),
                                     ("b2", "v2", "something else entirely"),
                                     ("b3", "v1", "tell me a story about the sea"),
                                     ("b4", "v3", "a third prompt, unlike the others")):  # fmt: skip
        new_battle(a, battle_id, voter=voter)
        a.save_turn(battle_id, answered_turn(0, prompt))
    with a.transaction():
        a.record_vote(vote("b1", voter="v1"))  # stamped now, committed last
        clock.advance(5)
        cast(b, vote("b2", voter="v2"))
        assert gate.check_vote(b.load_battle("b4"), "v3", None, None) is None  # index refreshed
    clock.advance(1)
    assert gate.check_vote(b.load_battle("b3"), "v1", None, None) is Reason.DUPLICATE_PROMPT


def test_connections_the_server_dropped_are_replaced_not_handed_out(postgres_url, clock):
    """After a restart of PostgreSQL the pool handed out its dead connections: the next calls
    failed ("terminating connection due to administrator command") and cut the streams that
    made them."""
    import psycopg

    store = PostgresStore(postgres_url, clock=clock)
    try:
        assert store.models() == []
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            dropped = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()[0]
        assert dropped >= 1
        for _ in range(3):  # every connection the pool holds
            assert store.models() == []
    finally:
        store.close()
