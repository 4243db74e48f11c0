import random
from dataclasses import replace

import pytest

from arena.snapshot import (
    STYLE_BOARD,
    Method,
    ModelInfo,
    Snapshot,
    SnapshotVote,
    build_snapshot,
    diff_snapshots,
    verify_snapshot,
    vote_set_hash,
)

STRENGTH = {"alpha": 1.0, "beta": 0.5, "gamma": 0.0, "delta": -0.8}
FAST = Method(resamples=50, min_votes=30)


def simulate(n=1500, seed=1, strengths=STRENGTH, with_style=True) -> list[SnapshotVote]:
    rng = random.Random(seed)
    names = list(strengths)
    votes = []
    for i in range(n):
        a, b = rng.sample(names, 2)
        p = 1 / (1 + pow(10, (strengths[b] - strengths[a])))
        r = rng.random()
        verdict = "tie" if r < 0.2 else "a_better" if r < 0.2 + 0.8 * p else "b_better"
        votes.append(SnapshotVote(
            battle_id=f"b{i:05d}", model_a=a, model_b=b, verdict=verdict, judge=f"voter_{i % 97}",
            language=rng.choice(["zh", "en", "other"]), is_coding=rng.random() < 0.3,
            is_long_query=rng.random() < 0.2, is_multi_turn=rng.random() < 0.1, turns=1,
            voted_at=1_700_000_000 + i * 1.5,
            style_a=(rng.randint(10, 300), rng.randint(0, 2), rng.randint(0, 5), rng.randint(0, 3)) if with_style else None,
            style_b=(rng.randint(10, 300), rng.randint(0, 2), rng.randint(0, 5), rng.randint(0, 3)) if with_style else None,
        ))  # fmt: skip
    return votes


def snapshot_of(votes, snapshot_id="snap-1", method=FAST, models=None) -> Snapshot:
    return build_snapshot(
        votes, snapshot_id=snapshot_id, created_at="2026-11-22T00:00:00+00:00", method=method,
        models=models or {m: ModelInfo("Org", "MIT") for m in STRENGTH},
        filters={"anonymous": True, "counted": True}, exclusions={"probe": 3},
        code_version="test",
    )  # fmt: skip


@pytest.fixture(scope="module")
def votes():
    return simulate()


@pytest.fixture(scope="module")
def snapshot(votes):
    return snapshot_of(votes)


def test_the_vote_set_hash_ignores_order(votes):
    shuffled = votes[:]
    random.Random(3).shuffle(shuffled)
    assert vote_set_hash(shuffled) == vote_set_hash(votes)


def test_the_vote_set_hash_changes_with_any_vote(votes):
    tampered = [replace(votes[0], verdict="b_better" if votes[0].verdict != "b_better" else "tie")]
    assert vote_set_hash(tampered + votes[1:]) != vote_set_hash(votes)


def test_a_snapshot_ranks_the_true_order_and_lists_every_category(snapshot):
    overall = snapshot.boards["overall"]
    assert [r.model for r in overall.rows] == ["alpha", "beta", "gamma", "delta"]
    assert {"overall", "chinese", "english", "coding", "long_query", "multi_turn",
            "exclude_ties", STYLE_BOARD} <= set(snapshot.boards)  # fmt: skip
    assert snapshot.manifest.votes == 1500
    assert snapshot.manifest.exclusions == {"probe": 3}
    assert all(r.lower <= r.rating <= r.upper for r in overall.rows)
    assert set(snapshot.boards[STYLE_BOARD].coefficients) == {
        "length",
        "headers",
        "list_items",
        "bold",
    }


def test_a_snapshot_round_trips_through_json(snapshot):
    again = Snapshot.from_json(snapshot.to_json())
    assert again == snapshot


def test_verification_accepts_the_released_votes_in_any_order(snapshot, votes):
    result = verify_snapshot(snapshot, list(reversed(votes)))
    assert result.ok, result.problems
    assert result.max_rating_difference <= 0.01


def test_verification_fails_when_one_vote_is_tampered_with(snapshot, votes):
    flipped = {"a_better": "b_better", "b_better": "a_better", "tie": "a_better"}
    tampered = [replace(votes[10], verdict=flipped[votes[10].verdict]), *votes[:10], *votes[11:]]
    result = verify_snapshot(snapshot, tampered)
    assert not result.ok
    assert "SHA-256 mismatch" in result.problems[0]


def test_verification_fails_when_a_vote_is_missing(snapshot, votes):
    result = verify_snapshot(snapshot, votes[1:])
    assert not result.ok
    assert any("1499 votes given" in p for p in result.problems)


def test_diff_reports_new_missing_and_changes_beyond_noise(snapshot, votes):
    later_strength = {**STRENGTH, "delta": 2.0, "epsilon": 0.0}
    later_strength.pop("gamma")
    more = [replace(v, battle_id="c" + v.battle_id)
            for v in simulate(4000, seed=9, strengths=later_strength)]  # fmt: skip
    roster = {m: ModelInfo() for m in ["alpha", "beta", "delta", "epsilon"]}
    later = snapshot_of(votes + more, "snap-2", models=roster)
    changes = {c.model: c for c in diff_snapshots(snapshot, later)}
    assert changes["epsilon"].status == "new"
    assert changes["gamma"].status == "ranked" and changes["gamma"].retired
    assert changes["delta"].beyond_noise and changes["delta"].rating_change > 0
    assert changes["alpha"].old_rank == 1
    assert set(changes) == {"alpha", "beta", "gamma", "delta", "epsilon"}, "none dropped"


def test_a_model_missing_from_a_later_snapshot_is_listed_as_missing(snapshot, votes):
    without_delta = [v for v in votes if "delta" not in (v.model_a, v.model_b)]
    later = snapshot_of(without_delta, "snap-3")
    changes = {c.model: c for c in diff_snapshots(snapshot, later)}
    assert changes["delta"].status == "missing"


def test_models_no_longer_in_the_roster_are_marked_retired(votes):
    shot = snapshot_of(votes, models={m: ModelInfo() for m in ["alpha", "beta", "gamma"]})
    assert shot.boards["overall"].row("delta").status == "retired"


def test_an_empty_vote_set_is_refused():
    with pytest.raises(ValueError, match="no counted votes"):
        snapshot_of([])


def test_live_trueskill_disagreeing_beyond_uncertainty_is_flagged(snapshot):
    from arena.snapshot import live_disagreements

    board = snapshot.boards["overall"]
    agreeing = [("alpha", 30, 1), ("beta", 27, 1), ("gamma", 24, 1), ("delta", 20, 1)]
    assert live_disagreements(board, agreeing) == set()
    reversed_top = [("alpha", 20, 0.5), ("beta", 30, 0.5), ("gamma", 24, 8), ("delta", 20, 8)]
    assert live_disagreements(board, reversed_top) == {"alpha", "beta"}
    uncertain = [("alpha", 20, 8), ("beta", 30, 8)]
    assert live_disagreements(board, uncertain) == set()


def test_every_snapshot_carries_a_manipulation_audit(snapshot):
    audit = snapshot.audit
    pairs = [(c["upper"], c["lower"]) for c in audit["flip_costs"]]
    assert pairs == [("alpha", "beta"), ("beta", "gamma"), ("gamma", "delta")]
    assert all(c["votes_to_flip"] > 0 for c in audit["flip_costs"])
    assert set(audit["stability"]) == {"adversarial", "random"}
    assert audit["stability"]["adversarial"]["removed"] == 2  # ceil(0.1% of 1500)
    assert Snapshot.from_json(snapshot.to_json()).audit == audit


def test_transparency_counts_variants_per_organisation_and_flags_best_of_n(votes):
    org = {"alpha": ModelInfo("Acme"), "beta": ModelInfo("Acme"), "gamma": ModelInfo("Acme"),
           "delta": ModelInfo("Other")}  # fmt: skip
    shot = snapshot_of(votes, models=org)
    reports = {r["organisation"]: r for r in shot.transparency["organisations"]}
    assert reports["Acme"]["variants_tested"] == 3 and reports["Other"]["variants_tested"] == 1
    assert reports["Acme"]["inflation"] > 0 and reports["Other"]["inflation"] == 0
    flagged = {f["model"] for f in shot.transparency["best_of_n_flags"]}
    lead = shot.boards["overall"].rows[0].rating - shot.boards["overall"].rows[1].rating
    assert ("alpha" in flagged) == (lead <= reports["Acme"]["inflation"])


def canonical_by_definition(vote: SnapshotVote) -> str:
    """The canonical row as the format defines it: the CANONICAL_FIELDS as one compact JSON
    array (ensure_ascii off), flags as 0/1, voted_at rounded to the millisecond."""
    import json

    from arena.snapshot import CANONICAL_FIELDS

    values = [getattr(vote, f) for f in CANONICAL_FIELDS]
    values[-1] = round(vote.voted_at, 3)
    values[6:9] = [int(v) for v in values[6:9]]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def test_the_canonical_row_is_exactly_its_json_definition_for_any_text():
    rng = random.Random(5)
    alphabet = ['"', "\\", "\n", "\t", "\x00", "\x1f", "\x7f", "é", "秋", "😀", "\u2028", "a", " "]
    for _ in range(3000):
        text = lambda: "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))  # noqa: E731
        vote = SnapshotVote(
            battle_id=text(), model_a=text(), model_b=text(), verdict=text(), judge=text(),
            language=text(), is_coding=rng.random() < 0.5, is_long_query=rng.random() < 0.5,
            is_multi_turn=rng.random() < 0.5, turns=rng.choice([0, 1, 7, None]),
            voted_at=rng.choice([1_700_000_000, 1_700_000_000.5, rng.uniform(0, 2e9), 0.1 + 0.2]),
        )  # fmt: skip
        assert vote.canonical() == canonical_by_definition(vote)
