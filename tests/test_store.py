import sqlite3
import threading

import pytest

from arena.adapters.sqlite import SCHEMA_VERSION, SqliteStore
from arena.domain.battle import Answer, Battle, Mode, Side, Status, Turn
from arena.ports import LiveRating, LiveUpdate, NewVote, VoteAlreadyCast


def add_models(store: SqliteStore, *names: str) -> None:
    store.ensure_models(
        [
            {"name": n, "display_name": n.title(), "organisation": "Org", "licence": "MIT"}
            for n in names
        ]
    )


def new_battle(store: SqliteStore, battle_id="b1", mode=Mode.ANONYMOUS) -> Battle:
    add_models(store, "alpha", "beta")
    store.ensure_voter("v1", "iphash")
    battle = Battle(
        id=battle_id, session_id="s1", voter_id="v1", mode=mode,
        models={Side.A: "alpha", Side.B: "beta"}, pair_probability=1.0,
    )  # fmt: skip
    store.create_battle(battle)
    return battle


def vote(battle_id="b1", verdict="a_better", counted=True) -> NewVote:
    return NewVote(
        battle_id=battle_id, voter_id="v1", verdict=verdict, counted=counted,
        reason=None if counted else "probe", language="en", is_coding=False,
        is_long_query=False, is_multi_turn=False,
    )  # fmt: skip


def plus_one(a, b):
    a = a or (25.0, 8.0)
    b = b or (25.0, 8.0)
    return (a[0] + 1, a[1]), (b[0] - 1, b[1])


def cast(store: SqliteStore, new_vote: NewVote, rate=plus_one) -> None:
    """What the service does for a vote: store it and, if it counts, update the live board, in
    one transaction."""
    with store.transaction():
        store.record_vote(new_vote)
        if new_vote.counted:
            skills = store.live_skills(["alpha", "beta"])
            (mu_a, sigma_a), (mu_b, sigma_b) = rate(skills.get("alpha"), skills.get("beta"))
            win, loss, tie = {"a_better": (1, 0, 0), "b_better": (0, 1, 0)}.get(
                new_vote.verdict, (0, 0, 1)
            )
            store.add_live_result(LiveUpdate("alpha", mu_a, sigma_a, win, loss, tie))
            store.add_live_result(LiveUpdate("beta", mu_b, sigma_b, loss, win, tie))


def test_a_new_database_is_at_the_current_schema_version(store):
    assert store.schema_version() == SCHEMA_VERSION
    assert {"models", "voters", "battles", "turns", "votes", "live_ratings", "events"} <= set(
        store.db.table_names()
    )


def test_reopening_a_database_keeps_its_data_and_does_not_migrate_again(tmp_path):
    first = SqliteStore(tmp_path / "a.db")
    add_models(first, "alpha")
    first.close()
    again = SqliteStore(tmp_path / "a.db")
    assert [m.name for m in again.models()] == ["alpha"]
    assert again.schema_version() == SCHEMA_VERSION


def test_the_database_uses_wal_and_foreign_keys(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_battle_round_trips_with_its_turns(store):
    new_battle(store)
    turn = Turn(
        index=0, prompt="hi",
        answers={Side.A: Answer("hello", complete=True, latency_s=0.5, completion_tokens=1),
                 Side.B: Answer("yo", complete=True)},
        disclosures=("A: ChatGPT",),
    )  # fmt: skip
    store.save_turn("b1", turn)
    loaded = store.load_battle("b1")
    assert loaded.models == {Side.A: "alpha", Side.B: "beta"}
    assert loaded.turns[0].answers[Side.A].text == "hello"
    assert loaded.turns[0].answers[Side.A].completion_tokens == 1
    assert loaded.turns[0].disclosures == ("A: ChatGPT",)


def test_saving_a_turn_again_replaces_it(store):
    new_battle(store)
    for text in ("first", "second"):
        store.save_turn("b1", Turn(0, "hi", {Side.A: Answer(text, complete=True),
                                            Side.B: Answer("b", complete=True)}))  # fmt: skip
    assert [t.answers[Side.A].text for t in store.load_battle("b1").turns] == ["second"]


def test_a_counted_vote_updates_both_live_ratings_in_the_same_transaction(store):
    new_battle(store)
    cast(store, vote())
    ratings = {r.model: r for r in store.live_ratings()}
    assert ratings["alpha"].mu == 26.0 and ratings["alpha"].wins == 1
    assert ratings["beta"].mu == 24.0 and ratings["beta"].losses == 1
    assert store.load_battle("b1").status is Status.VOTED


def test_an_uncounted_vote_is_stored_but_rates_nothing(store):
    new_battle(store)
    cast(store, vote(counted=False))
    assert store.live_ratings() == []
    row = next(store.db.query("SELECT counted, reason FROM votes"))
    assert row == {"counted": 0, "reason": "probe"}


def test_a_second_vote_on_a_battle_is_impossible_and_changes_nothing(store):
    new_battle(store)
    cast(store, vote())
    with pytest.raises(VoteAlreadyCast):
        cast(store, vote(verdict="b_better"))
    assert store.db["votes"].count == 1
    assert {r.model: r.mu for r in store.live_ratings()} == {"alpha": 26.0, "beta": 24.0}


def test_a_failing_rating_update_leaves_no_vote_behind(store):
    new_battle(store)

    def broken(a, b):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cast(store, vote(), broken)
    assert store.db["votes"].count == 0
    assert store.load_battle("b1").status is Status.OPEN


def test_concurrent_votes_on_one_battle_store_exactly_one(tmp_path):
    store = SqliteStore(tmp_path / "c.db")
    new_battle(store)
    outcomes = []

    def cast_one(verdict):
        try:
            cast(store, vote(verdict=verdict))
            outcomes.append("stored")
        except VoteAlreadyCast:
            outcomes.append("refused")

    threads = [threading.Thread(target=cast_one, args=(v,)) for v in ["a_better", "b_better"] * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused"] * 7 + ["stored"]
    assert store.db["votes"].count == 1


def test_the_event_log_is_append_only(store):
    store.log_event("test", battle_id="b1", reason="x")
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("DELETE FROM events")
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("UPDATE events SET kind = 'y'")
    assert store.events("test")[0]["detail"] == {"reason": "x"}


def test_replace_live_ratings_swaps_the_table(store):
    new_battle(store)
    cast(store, vote())
    store.replace_live_ratings([LiveRating("beta", 30.0, 2.0, 1, 1, 0, 0)])
    assert [(r.model, r.mu) for r in store.live_ratings()] == [("beta", 30.0)]


def test_counted_votes_lists_only_counted_anonymous_votes_in_order(store):
    new_battle(store, "b1")
    new_battle(store, "b2")
    new_battle(store, "b3", mode=Mode.NAMED)
    cast(store, vote("b1", "b_better"))
    cast(store, vote("b2", counted=False))
    cast(store, vote("b3", "tie"))  # named: anonymous = 0
    assert list(store.counted_votes()) == [("alpha", "beta", "b_better")]


def test_the_database_opens_with_readable_names(store):
    new_battle(store)
    fks = {fk.column: fk.other_table for fk in store.db["battles"].foreign_keys}
    assert fks == {"voter_id": "voters", "model_a_id": "models", "model_b_id": "models"}
