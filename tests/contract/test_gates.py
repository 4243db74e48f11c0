"""Any store: what the gates read before a vote counts."""

from arena.domain.battle import Mode
from arena.domain.clock import to_iso
from tests.contract.helpers import START, answered_turn, cast, new_battle, stored, vote


def test_battle_start_times_are_read_per_voter_and_per_ip(store, clock):
    new_battle(store, "b1", voter="v1", ip_hash="ip-1")
    clock.advance(30.5)
    new_battle(store, "b2", voter="v2", ip_hash="ip-1")
    assert store.battle_start_times("v1", "ip-1", to_iso(START)) == (
        [START], [START, stored(START + 30.5)],
    )  # fmt: skip
    assert store.battle_start_times("v1", "ip-1", to_iso(START + 10)) == ([], [START + 30.5])
    assert store.battle_start_times("v2", None, to_iso(START)) == ([START + 30.5], [])


def test_a_voters_battle_starts_leave_out_imported_battles(store, clock):
    # an imported battle was not started here, whoever its judge was and whenever it was voted
    from tests.contract.test_battles import imported

    new_battle(store, "b1", voter="v1", ip_hash="ip-1")
    store.import_votes([(imported("i1", judge="v1", voted_at=START + 1), None, None)],
                       source="import:mine.json")  # fmt: skip
    assert store.battle_start_times("v1", "ip-1", to_iso(START)) == ([START], [START])


def test_counted_vote_times_leave_out_uncounted_votes(store, clock):
    new_battle(store, "b1", ip_hash="ip-1")
    new_battle(store, "b2", ip_hash="ip-1")
    new_battle(store, "b3", voter="v2", ip_hash="ip-1")
    clock.advance(5)
    cast(store, vote("b1"))
    clock.advance(1)
    cast(store, vote("b2", counted=False))
    cast(store, vote("b3", voter="v2"))
    assert store.counted_vote_times("v1", "ip-1", to_iso(START)) == (
        [START + 5], [START + 5, START + 6],
    )  # fmt: skip
    assert store.counted_vote_times("v1", None, to_iso(START + 5.5)) == ([], [])
    assert store.counted_vote_times("v1", "ip-1", to_iso(START + 5.5)) == ([], [START + 6])


def test_a_voter_has_counted_votes_once_one_counted(store):
    new_battle(store, "b1")
    new_battle(store, "b2")
    assert not store.has_counted_votes("v1")
    cast(store, vote("b1", counted=False))
    assert not store.has_counted_votes("v1")
    cast(store, vote("b2"))
    assert store.has_counted_votes("v1")


def test_answers_finished_when_the_last_turn_was_saved(store, clock):
    new_battle(store)
    assert store.answers_finished_at("b1") is None
    store.save_turn("b1", answered_turn(0))
    clock.advance(7.25)
    store.save_turn("b1", answered_turn(1, "again"))
    assert store.answers_finished_at("b1") == START + 7.25


def test_a_proof_is_spent_once(store):
    assert store.use_proof("c1") is False
    assert store.use_proof("c1") is True
    assert store.use_proof("c2") is False


def test_a_spent_proof_leaves_the_transaction_usable(store):
    store.use_proof("c1")
    new_battle(store)
    with store.transaction():
        assert store.use_proof("c1") is True
        cast(store, vote())
    assert len(store.counted_vote_pairs().as_tuples()) == 1


def test_voted_prompts_list_anonymous_votes_with_their_first_prompt(store, clock):
    new_battle(store, "b1")
    new_battle(store, "b2")
    new_battle(store, "n1", Mode.NAMED)
    for battle_id, prompt in (("b1", "first"), ("b2", "second"), ("n1", "named")):
        store.save_turn(battle_id, answered_turn(0, prompt))
        store.save_turn(battle_id, answered_turn(1, "later"))
    clock.advance(3)
    cast(store, vote("b2", counted=False))
    clock.advance(3)
    cast(store, vote("b1"))
    cast(store, vote("n1"))
    assert store.voted_prompts(to_iso(START))[0] == [
        ("b2", "second", "v1", START + 3, False),
        ("b1", "first", "v1", START + 6, True),
    ]
    assert store.voted_prompts(to_iso(START + 4))[0] == [("b1", "first", "v1", START + 6, True)]


def test_voted_prompts_after_a_cursor_are_only_the_votes_stored_since(store, clock):
    """Every vote's gates bring the duplicate index up to date: they must read the votes stored
    since their last read, not the last second's again (at 200 votes/s that was 200 rows and
    half of a vote's CPU)."""
    for battle_id in ("b1", "b2", "b3"):
        new_battle(store, battle_id)
        store.save_turn(battle_id, answered_turn(0, f"prompt {battle_id}"))
    cast(store, vote("b1"))
    first, cursor = store.voted_prompts(to_iso(START))
    assert [row[0] for row in first] == ["b1"]
    assert store.voted_prompts(to_iso(START), cursor)[0] == []
    cast(store, vote("b2"))
    cast(store, vote("b3", counted=False))
    rows, cursor = store.voted_prompts(to_iso(START), cursor)
    assert [(row[0], row[4]) for row in rows] == [("b2", True), ("b3", False)]
    assert store.voted_prompts(to_iso(START), cursor)[0] == []
