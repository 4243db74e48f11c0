"""Any store: votes, the live board, and the read model of the votes that count."""

import pytest

from arena.domain.battle import Mode, Status
from arena.domain.clock import to_iso
from arena.ports import LiveRating, VoteAlreadyCast
from tests.contract.helpers import (
    START,
    answered_turn,
    cast,
    count_rows,
    counted_vote_records,
    new_battle,
    scalar,
    stored,
    vote,
)


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
    [row] = store.export_rows()
    assert {k: row[k] for k in ("counted", "reason")} == {"counted": 0, "reason": "probe"}


def test_a_second_vote_on_a_battle_is_impossible_and_changes_nothing(store):
    new_battle(store)
    cast(store, vote())
    with pytest.raises(VoteAlreadyCast):
        cast(store, vote(verdict="b_better"))
    assert count_rows(store, "votes") == 1
    assert {r.model: r.mu for r in store.live_ratings()} == {"alpha": 26.0, "beta": 24.0}


def test_a_failing_rating_update_leaves_no_vote_behind(store):
    new_battle(store)

    def broken(a, b):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cast(store, vote(), broken)
    assert count_rows(store, "votes") == 0
    assert store.load_battle("b1").status is Status.OPEN


def test_a_vote_on_an_unknown_battle_is_refused(store):
    with pytest.raises(KeyError):
        store.record_vote(vote("nope"))


def test_a_void_battle_stays_void_when_voted_on(store):
    new_battle(store)
    store.set_battle_status("b1", Status.VOID)
    cast(store, vote(counted=False))
    assert store.load_battle("b1").status is Status.VOID
    assert [e["detail"] for e in store.events("vote")] == [
        {"verdict": "a_better", "counted": False, "reason": "probe"}
    ]


def test_replace_live_ratings_swaps_the_table(store):
    new_battle(store)
    cast(store, vote())
    store.replace_live_ratings([LiveRating("beta", 30.0, 2.0, 1, 1, 0, 0)])
    assert [(r.model, r.mu) for r in store.live_ratings()] == [("beta", 30.0)]
    assert [e["detail"] for e in store.events("ratings_recomputed")] == [{"models": 1}]


def test_the_live_board_is_ordered_by_its_lower_bound(store):
    new_battle(store)
    store.replace_live_ratings([LiveRating("alpha", 30.0, 5.0, 3, 2, 1, 0),  # 15
                                LiveRating("beta", 20.0, 1.0, 3, 1, 2, 0)])  # 17  # fmt: skip
    assert store.live_ratings() == [LiveRating("beta", 20.0, 1.0, 3, 1, 2, 0),
                                    LiveRating("alpha", 30.0, 5.0, 3, 2, 1, 0)]  # fmt: skip


def test_live_skills_lists_only_models_on_the_board(store):
    new_battle(store)
    assert store.live_skills(["alpha", "beta"]) == {}
    cast(store, vote())
    assert store.live_skills(["alpha", "nobody"]) == {"alpha": (26.0, 8.0)}
    assert store.live_skills([]) == {}


def test_counted_votes_lists_only_counted_anonymous_votes_in_order(store):
    new_battle(store, "b1")
    new_battle(store, "b2")
    new_battle(store, "b3", mode=Mode.NAMED)
    cast(store, vote("b1", "b_better"))
    cast(store, vote("b2", counted=False))
    cast(store, vote("b3", "tie"))  # named: anonymous = 0
    assert store.counted_vote_pairs().as_tuples() == [("alpha", "beta", "b_better")]


def test_counted_vote_pairs_carry_every_verdict_and_both_model_ids_in_the_order_stored(store):
    verdicts = ["both_bad", "a_better", "tie", "b_better"]
    for k, verdict in enumerate(verdicts):
        new_battle(store, f"b{k}", models=("beta", "alpha") if k % 2 else ("alpha", "beta"))
        cast(store, vote(f"b{k}", verdict))
    pairs = store.counted_vote_pairs()
    ids = {name: i for i, name in pairs.models.items()}
    assert pairs.model_a.tolist() == [ids["alpha"], ids["beta"]] * 2
    assert pairs.model_b.tolist() == [ids["beta"], ids["alpha"]] * 2
    assert pairs.verdict.dtype.kind == "i" and len(pairs) == 4
    assert [t[2] for t in pairs.as_tuples()] == verdicts


def test_counted_vote_rows_give_categories_as_0_and_1(store):
    new_battle(store, "b1")
    new_battle(store, "b2")
    cast(store, vote("b1", language="zh", is_coding=True))
    cast(store, vote("b2", "tie", is_long_query=True, is_multi_turn=True))
    assert list(store.counted_vote_rows()) == [
        ("alpha", "beta", "a_better", "v1", "zh", 1, 0, 0),
        ("alpha", "beta", "tie", "v1", "en", 0, 1, 1),
    ]


def test_snapshot_vote_rows_carry_what_a_snapshot_needs(store, clock):
    new_battle(store)
    store.save_turn("b1", answered_turn(0))
    store.save_turn("b1", answered_turn(1, "more"))
    clock.advance(4.2)
    cast(store, vote(style_a=(120, 1, 3, 0), style_b=(80, 0, 0, 2), is_multi_turn=True,
                     feedback=("more_accurate", "safer")))  # fmt: skip
    assert list(store.snapshot_vote_rows()) == [{
        "vote_id": 1, "battle_id": "b1", "model_a": "alpha", "model_b": "beta",
        "verdict": "a_better", "voter_id": "v1", "language": "en", "is_coding": 0,
        "is_long_query": 0, "is_multi_turn": 1, "created_at": to_iso(START + 4.2),
        "style_a": "[120, 1, 3, 0]", "style_b": "[80, 0, 0, 2]", "source": "arena", "turns": 2,
        "feedback": '["more_accurate", "safer"]',
    }]  # fmt: skip


def test_snapshot_vote_rows_of_given_ids_read_them_whether_they_count_now_or_not(store):
    """A snapshot's release reads its own vote ids: a voter quarantined after the snapshot still
    has those votes in it."""
    for battle, voter in (("b1", "v1"), ("b2", "v2"), ("b3", "v1")):
        new_battle(store, battle, voter=voter)
        cast(store, vote(battle, voter=voter))
    store.quarantine("v1", "vote ring", "")
    assert [r["battle_id"] for r in store.snapshot_vote_rows()] == ["b2"]
    assert [r["battle_id"] for r in store.snapshot_vote_rows(of={3, 1})] == ["b1", "b3"]
    assert list(store.snapshot_vote_rows(of=set())) == []


def test_a_vote_without_feedback_stores_none(store):
    new_battle(store)
    cast(store, vote())
    [row] = store.snapshot_vote_rows()
    assert row["feedback"] is None


def test_a_battle_can_be_shared_only_once_voted_and_keeps_one_page(store, clock):
    new_battle(store)
    assert store.share_battle("b1", "first-id") is None  # no vote yet: nothing to share
    assert store.shared_battle("first-id") is None
    cast(store, vote(verdict="b_better", feedback=("more_helpful",)))
    assert store.share_battle("b1", "first-id") == "first-id"
    assert store.share_battle("b1", "second-id") == "first-id"  # asked again: the same page
    assert store.shared_battle("second-id") is None
    assert store.shared_battle("first-id") == {
        "battle_id": "b1", "verdict": "b_better", "feedback": ["more_helpful"],
    }  # fmt: skip
    assert store.share_battle("no-such-battle", "third-id") is None
    assert [e["battle_id"] for e in store.events("battle_shared")] == ["b1"]


def test_a_vote_stores_the_turns_its_battle_ended_with(store):
    """The vote closes its battle: the battle's turns are final, so the vote keeps their number
    (a snapshot reads it rather than counting every battle's turns)."""
    new_battle(store)
    store.save_turn("b1", answered_turn(0))
    store.save_turn("b1", answered_turn(1, "more"))
    store.save_turn("b1", answered_turn(1, "regenerated"))  # replaces turn 1: still 2 turns
    new_battle(store, "b2")
    cast(store, vote())
    cast(store, vote("b2", counted=False))
    assert scalar(store, "SELECT turns FROM votes WHERE battle_id = 'b1'") == 2
    assert scalar(store, "SELECT turns FROM votes WHERE battle_id = 'b2'") == 0
    assert [r["turns"] for r in store.snapshot_vote_rows()] == [2]


def test_counted_vote_records_give_unix_times_and_ip_hashes(store, clock):
    new_battle(store, ip_hash="ip-1", ip_prefix_hash="net-1")
    clock.advance(1.23456)
    cast(store, vote())
    assert counted_vote_records(store) == [{
        "vote_id": 1, "voter_id": "v1", "model_a": "alpha", "model_b": "beta", "verdict": "a_better",
        "created_at": to_iso(START + 1.23456), "ip_hash": "ip-1", "ip_prefix_hash": "net-1",
        "imported": False, "timestamp": stored(START + 1.23456),
    }]  # fmt: skip
    assert counted_vote_records(store)[0]["timestamp"] == START + 1.234


def test_voter_evidence_records_add_the_votes_a_daily_cap_kept_from_counting(store):
    # counted; kept out by a daily cap (evidence); a probe and a named battle (not evidence)
    for battle_id, voter in (("b1", "v1"), ("b2", "v1"), ("b3", "v1"), ("b5", "v2")):
        new_battle(store, battle_id, voter=voter)
    new_battle(store, "b4", Mode.NAMED)
    cast(store, vote("b1"))
    cast(store, vote("b2", counted=False, reason="votes_per_day_voter"))
    cast(store, vote("b3", counted=False, reason="probe"))
    cast(store, vote("b4", counted=False, reason="votes_per_day_voter"))
    cast(store, vote("b5", counted=False, reason="votes_per_day_ip", voter="v2"))
    assert [r["vote_id"] for r in counted_vote_records(store)] == [1]
    assert [r["vote_id"] for r in store.voter_evidence_records()] == [1, 2, 5]
    assert [r["counted"] for r in store.voter_evidence_records()] == [True, False, False]
    capped = store.voter_evidence_records()[1]
    assert {k: capped[k] for k in ("voter_id", "model_a", "model_b", "verdict", "ip_hash")} == {
        "voter_id": "v1", "model_a": "alpha", "model_b": "beta", "verdict": "a_better",
        "ip_hash": "iphash",
    }  # fmt: skip
    store.quarantine("v2", "vote ring", "evidence")  # a held voter's votes are no evidence
    assert [r["vote_id"] for r in store.voter_evidence_records()] == [1, 2]


def test_models_with_votes_include_uncounted_ones(store):
    new_battle(store, "b1", models=("gamma", "alpha"))
    new_battle(store, "b2", models=("beta", "delta"))
    cast(store, vote("b1", counted=False), models=("gamma", "alpha"))
    assert store.models_with_votes() == ["alpha", "gamma"]


def test_exclusions_are_counted_by_reason(store):
    for battle_id in ("b1", "b2", "b3", "b4", "b5"):
        new_battle(store, battle_id, voter="q" if battle_id == "b5" else "v1")
    new_battle(store, "n1", Mode.NAMED)
    cast(store, vote("b1", counted=False))
    cast(store, vote("n1", "tie"))
    store.set_battle_status("b2", Status.ABANDONED)
    store.set_battle_status("b3", Status.VOID)
    cast(store, vote("b4"))
    cast(store, vote("b5", voter="q"))
    store.quarantine("q", "ring", "")
    store.log_event("vote_refused", battle_id="forged")
    assert store.exclusion_counts() == {
        "probe": 1, "named_battle": 1, "battle_abandoned": 1, "battle_void": 1,
        "quarantined": 1, "vote_refused": 1, "cohort_quarantined": 0,
    }  # fmt: skip


def test_a_quarantined_voters_votes_leave_every_read_of_counting_votes_and_come_back(store):
    """The one definition of a vote that counts: anonymous, counted, voter not quarantined."""
    new_battle(store, "h1")
    cast(store, vote("h1"))
    for n in range(3):
        new_battle(store, f"q{n}", voter="q", ip_hash="ip-q")
        cast(store, vote(f"q{n}", "b_better", voter="q"))
    new_battle(store, "q3", voter="q")
    cast(store, vote("q3", voter="q", counted=False))

    def reads():
        return (
            len(store.counted_vote_pairs().as_tuples()),
            sorted({row[3] for row in store.counted_vote_rows()}),
            [row["battle_id"] for row in store.snapshot_vote_rows()],
            sorted({row["voter_id"] for row in counted_vote_records(store)}),
            store.counting_vote_count(),
        )

    everyone = (4, ["q", "v1"], ["h1", "q0", "q1", "q2"], ["q", "v1"], 4)
    assert reads() == everyone
    assert store.quarantine("q", "vote ring", "3 votes for beta")
    assert reads() == (1, ["v1"], ["h1"], ["v1"], 1)
    assert store.has_counted_votes("q"), "the votes are kept"
    assert store.release_quarantine("q", "false positive")
    assert reads() == everyone


def test_every_replay_reads_the_votes_in_cast_order_as_a_snapshot_does(store, clock):
    """Votes of one millisecond (an import without times gives every vote the same one) were
    replayed in the order stored, and a snapshot, which orders them by battle id, replayed
    another: TrueSkill boards that differ."""
    for battle in ("b3", "b1", "b2"):  # stored in this order, all at one time
        new_battle(store, battle, models=("alpha", "beta"))
    clock.advance(1.0)
    for battle, verdict in (("b3", "a_better"), ("b1", "b_better"), ("b2", "tie")):
        cast(store, vote(battle, verdict))
    clock.advance(1.0)
    new_battle(store, "b0")
    cast(store, vote("b0", "a_better"))  # later: last, whatever its id
    order = ["b_better", "tie", "a_better", "a_better"]  # b1, b2, b3, then b0
    assert [row[2] for row in store.counted_vote_rows()] == order
    pairs = store.counted_vote_pairs()
    assert [("a_better", "b_better", "tie", "both_bad")[v] for v in pairs.verdict] == order
    batches = store.snapshot_vote_batches()
    assert [b.battle_id[k] for b in batches for k in range(len(b))] == ["b1", "b2", "b3", "b0"]
