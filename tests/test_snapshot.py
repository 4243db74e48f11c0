import itertools
import json
import random
from dataclasses import replace

import pytest

from arena.ports import VoteBatch
from arena.snapshot import (
    STYLE_BOARD,
    Method,
    ModelInfo,
    Snapshot,
    SnapshotColumns,
    SnapshotVote,
    build_snapshot,
    diff_snapshots,
    read_vote_set,
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


def test_every_board_row_carries_its_rank_range_around_its_place(snapshot):
    for board in snapshot.boards.values():
        for place, row in enumerate(board.rows, start=1):
            assert 1 <= row.rank_ub <= place <= row.rank_lb <= len(board.rows)


def test_a_snapshot_made_before_rank_ranges_still_loads_without_one(snapshot):
    body = json.loads(snapshot.to_json())
    for board in body["boards"].values():
        for row in board["rows"]:
            del row["rank_lb"]
    old = Snapshot.from_json(json.dumps(body))
    assert {r.rank_lb for b in old.boards.values() for r in b.rows} == {0}


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


def _edited(snapshot: Snapshot, edit) -> Snapshot:
    body = json.loads(snapshot.to_json())
    edit(body)
    return Snapshot.from_json(json.dumps(body))


def _overall_row(body, model):
    return next(r for r in body["boards"]["overall"]["rows"] if r["model"] == model)


# A snapshot that hides a board, a model or its TrueSkill table, or misstates a row's votes,
# provisional mark or rank range, "verified": only the published rows' ratings, intervals and
# best ranks were compared.
EDITS = {
    "board dropped": (lambda b: b["boards"].pop("chinese"),
                      "board 'chinese' is missing from the snapshot"),
    "model dropped": (lambda b: b["boards"]["overall"]["rows"].pop(2),
                      "overall: gamma is missing from the published board"),
    "board votes": (lambda b: b["boards"]["overall"].update(votes=1),
                    "overall: recomputed board votes 1500, published 1"),
    "row votes": (lambda b: _overall_row(b, "beta").update(votes=99999),
                  "overall: beta: recomputed votes"),
    "provisional": (lambda b: _overall_row(b, "beta").update(provisional=True),
                    "overall: beta: recomputed provisional False, published True"),
    "rank range": (lambda b: _overall_row(b, "alpha").update(rank_lb=4),
                   "overall: alpha: recomputed rank_lb 1, published 4"),
    "best rank": (lambda b: _overall_row(b, "alpha").update(rank_ub=3),
                  "overall: alpha: recomputed rank_ub 1, published 3"),
    "rating": (lambda b: _overall_row(b, "alpha").update(rating=_overall_row(b, "alpha")["rating"] + 1),
               "overall: alpha: recomputed rating"),
    "TrueSkill mu": (lambda b: b["trueskill"][0].update(mu=99.0),
                     "TrueSkill: alpha: recomputed mu"),
    "TrueSkill row dropped": (lambda b: b["trueskill"].pop(),
                              "TrueSkill: delta is missing from the published table"),
    "TrueSkill row added": (lambda b: b["trueskill"].append({**b["trueskill"][0], "model": "zeta"}),
                            "TrueSkill: zeta has no votes in the given data"),
}  # fmt: skip


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_verification_fails_on_a_snapshot_that_hides_or_misstates_anything(snapshot, votes, edit):
    change, problem = EDITS[edit]
    result = verify_snapshot(_edited(snapshot, change), votes)
    assert not result.ok
    assert any(p.startswith(problem) for p in result.problems), result.problems


def test_a_snapshot_made_before_a_board_existed_verifies_without_it(snapshot, votes):
    """storage.md promises that an old snapshot still verifies: one made before
    overall_reweighted (2026-12-03) failed with "board 'overall_reweighted' is missing"."""

    def older(body):
        body["boards"].pop("overall_reweighted")
        body["manifest"]["created_at"] = "2026-12-01T10:00:00.000+00:00"

    result = verify_snapshot(_edited(snapshot, older), votes)
    assert result.ok, result.problems
    assert "overall_reweighted" in result.skipped

    def newer(body):
        body["boards"].pop("overall_reweighted")
        body["manifest"]["created_at"] = "2026-12-04T10:00:00.000+00:00"

    made_since = verify_snapshot(_edited(snapshot, newer), votes)
    assert "board 'overall_reweighted' is missing from the snapshot" in made_since.problems


@pytest.mark.parametrize("tolerance", [float("nan"), -0.1, float("inf")])
def test_verification_refuses_a_tolerance_that_checks_nothing(snapshot, votes, tolerance):
    with pytest.raises(ValueError, match="tolerance must be a number of rating points, 0 or more"):
        verify_snapshot(snapshot, votes, tolerance=tolerance)


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


def test_a_provisional_model_is_listed_as_provisional_without_a_rank(snapshot, votes):
    """Shown unranked on the board (fewer than min_votes), so never "ranked 1 → 1"."""

    def zeta(n, prefix):  # zeta's votes, each won against alpha
        return [replace(v, battle_id=f"{prefix}{k}", model_a="zeta", model_b="alpha",
                        verdict="a_better") for k, v in enumerate(votes[:n])]  # fmt: skip

    few = snapshot_of(votes + zeta(5, "z"), "snap-few")
    assert few.boards["overall"].row("zeta").provisional
    changes = {c.model: c for c in diff_snapshots(snapshot, few)}
    assert changes["zeta"].status == "new" and changes["zeta"].new_rank is None
    many = snapshot_of(votes + zeta(5, "z") + zeta(60, "y"), "snap-many")
    assert not many.boards["overall"].row("zeta").provisional
    changes = {c.model: c for c in diff_snapshots(few, many)}
    assert changes["zeta"].status == "ranked" and changes["zeta"].old_rank is None
    assert changes["zeta"].new_rank == many.boards["overall"].row("zeta").rank_ub
    again = {c.model: c for c in diff_snapshots(few, few)}
    assert again["zeta"].status == "provisional"
    assert (again["zeta"].old_rank, again["zeta"].new_rank) == (None, None)


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


# -- the vote-set hash, format 2: columns, no object per vote ------------------------------------


def hash_v2_by_definition(votes) -> str:
    """Format 2 as the module's docstring defines it, written out plainly."""
    import hashlib
    import json
    import struct

    ordered = sorted(votes, key=lambda v: (round(round(v.voted_at, 3) * 1000), v.battle_id))
    fields = {}
    for name in ("battle_id", "model_a", "model_b", "verdict", "judge", "language"):
        fields[name] = hashlib.sha256(
            "".join(getattr(v, name) + "\n" for v in ordered).encode()
        ).hexdigest()
    for name in ("is_coding", "is_long_query", "is_multi_turn"):
        fields[name] = hashlib.sha256(bytes(int(getattr(v, name)) for v in ordered)).hexdigest()
    fields["turns"] = hashlib.sha256(
        b"".join(struct.pack("<q", v.turns) for v in ordered)
    ).hexdigest()
    fields["voted_at"] = hashlib.sha256(b"".join(
        struct.pack("<q", round(round(v.voted_at, 3) * 1000)) for v in ordered
    )).hexdigest()  # fmt: skip
    header = json.dumps({"fields": fields, "format": 2, "votes": len(ordered)}, sort_keys=True,
                        separators=(",", ":"))  # fmt: skip
    return hashlib.sha256(header.encode()).hexdigest()


def test_a_new_snapshot_hashes_its_votes_by_format_2(votes, snapshot):
    assert snapshot.manifest.format_version == 2
    assert snapshot.manifest.vote_set_sha256 == hash_v2_by_definition(votes)
    assert snapshot.manifest.vote_set_sha256 != vote_set_hash(votes)  # format 1 differs


def test_the_format_2_hash_holds_for_any_text_and_ignores_order():
    rng = random.Random(7)
    alphabet = 'aZ0 "\\/\t\u00e9\u4e2d\U0001f600\u2028\x7f\x01'
    votes = [
        SnapshotVote(battle_id="".join(rng.choices(alphabet, k=6)) + str(i),
                     model_a="".join(rng.choices(alphabet, k=4)), model_b="m-b",
                     verdict=rng.choice(["a_better", "b_better", "tie", "both_bad"]),
                     judge="".join(rng.choices(alphabet, k=5)), language="zh",
                     is_coding=rng.random() < 0.5, is_long_query=False, is_multi_turn=True,
                     turns=rng.randint(1, 9), voted_at=1_700_000_000 + rng.randint(0, 5) / 1000)
        for i in range(300)
    ]  # fmt: skip
    expected = hash_v2_by_definition(votes)
    assert SnapshotColumns.from_votes(votes).sha256 == expected
    assert SnapshotColumns.from_votes(list(reversed(votes))).sha256 == expected


@pytest.mark.parametrize("field", ["battle_id", "model_a", "verdict", "judge", "language",
                                   "is_coding", "turns", "voted_at"])  # fmt: skip
def test_the_format_2_hash_changes_with_any_field_of_any_vote(votes, field):
    changed = {"battle_id": "b-other", "model_a": "omega", "verdict": "both_bad",
               "judge": "someone", "language": "xx", "is_coding": not votes[7].is_coding,
               "turns": 5, "voted_at": votes[7].voted_at + 0.001}[field]  # fmt: skip
    tampered = votes[:7] + [replace(votes[7], **{field: changed})] + votes[8:]
    assert SnapshotColumns.from_votes(tampered).sha256 != SnapshotColumns.from_votes(votes).sha256


def batch_of(votes, start, stop):
    """One VoteBatch of the votes [start, stop) of a cast-ordered list, as a store gives it."""
    part = votes[start:stop]
    names = sorted({m for v in votes for m in (v.model_a, v.model_b)})
    ids = {name: 100 + k for k, name in enumerate(names)}
    return VoteBatch(
        vote_id=list(range(start, stop)), battle_id=[v.battle_id for v in part],
        model_a=[ids[v.model_a] for v in part], model_b=[ids[v.model_b] for v in part],
        models={k: name for name, k in ids.items()}, verdict=[v.verdict for v in part],
        voter_id=[v.judge for v in part], imported=[1] * len(part),
        language=[v.language for v in part], is_coding=[v.is_coding for v in part],
        is_long_query=[v.is_long_query for v in part],
        is_multi_turn=[v.is_multi_turn for v in part], turns=[v.turns for v in part],
        voted_ms=[round(v.voted_at * 1000) for v in part],
        style_a=[None if v.style_a is None else str(list(v.style_a)) for v in part],
        style_b=[None if v.style_b is None else str(list(v.style_b)) for v in part],
    )  # fmt: skip


def test_reading_the_votes_in_batches_gives_the_same_set_however_they_are_cut(votes):
    whole = SnapshotColumns.from_votes(votes)
    cuts = [0, 1, 2, 500, 501, 1499, 1500]
    read = read_vote_set((batch_of(votes, a, b) for a, b in itertools.pairwise(cuts)),
                         judge=lambda voter, imported: voter)  # fmt: skip
    assert read.sha256 == whole.sha256
    assert read.vote_ids.tolist() == list(range(len(votes)))
    assert read.votes.models == whole.votes.models
    for name in ("model_a", "model_b", "verdict", "voter", "language", "is_coding"):
        assert (getattr(read.votes, name) == getattr(whole.votes, name)).all(), name
    assert (read.style_a == whole.style_a).all() and (read.turns == whole.turns).all()


def test_reading_refuses_votes_out_of_cast_order(votes):
    swapped = votes[:10] + [votes[11], votes[10]] + votes[12:20]
    with pytest.raises(ValueError, match="cast order"):
        read_vote_set([batch_of(swapped, 0, 20)], judge=lambda voter, imported: voter)
    with pytest.raises(ValueError, match="cast order"):  # across two batches too
        read_vote_set([batch_of(swapped, 0, 11), batch_of(swapped, 11, 20)],
                      judge=lambda voter, imported: voter)  # fmt: skip
    same_ms = [replace(v, voted_at=votes[0].voted_at) for v in votes[:3]]
    with pytest.raises(ValueError, match="cast order"):  # a tie in time goes by battle id
        read_vote_set([batch_of(list(reversed(same_ms)), 0, 3)], judge=lambda v, i: v)


def test_a_battle_id_with_a_line_break_cannot_be_hashed(votes):
    with pytest.raises(ValueError, match="line break"):
        SnapshotColumns.from_votes([replace(votes[0], battle_id="b\nx"), *votes[1:5]])


def test_a_judge_is_asked_once_per_voter_with_whether_the_vote_was_imported(votes):
    asked = []

    def judge(voter, imported):
        asked.append((voter, imported))
        return f"j-{voter}"

    read = read_vote_set([batch_of(votes, 0, 700), batch_of(votes, 700, 1500)], judge=judge)
    assert sorted(asked) == sorted({(v.judge, True) for v in votes})
    assert len(set(read.votes.voter.tolist())) == len({v.judge for v in votes})


def test_a_format_1_snapshot_still_verifies_by_its_own_hash(votes, snapshot):
    old_manifest = replace(snapshot.manifest, format_version=1,
                           vote_set_sha256=vote_set_hash(votes))  # fmt: skip
    old = replace(snapshot, manifest=old_manifest)
    assert verify_snapshot(old, votes).ok
    assert not verify_snapshot(old, votes[1:]).ok
    again = Snapshot.from_json(old.to_json())
    assert again.manifest.format_version == 1 and verify_snapshot(again, votes).ok


def test_a_batch_mixing_imported_and_arena_votes_asks_each_judge_with_its_own_source(votes):
    batch = batch_of(votes, 0, 40)
    flags = [k % 3 == 0 for k in range(40)]
    mixed = replace(batch, voter_id=["same"] * 40, imported=flags)
    read = read_vote_set([mixed], judge=lambda voter, imported: f"{voter}-{imported}")
    assert read.votes.voter.tolist() == [0 if f else 1 for f in flags]  # first vote imported
    assert read.sha256 != read_vote_set([replace(mixed, imported=[True] * 40)],
                                        judge=lambda v, i: f"{v}-{i}").sha256  # fmt: skip


def test_the_leaderboard_shows_the_rank_range_beside_rank_ub_and_none_for_provisional(snapshot):
    from functools import partial

    from arena.i18n import translate
    from arena.snapshot import board_tiers
    from arena.web.ui.leaderboard_panel import BOARD_COLUMNS, LeaderboardPanel

    t = partial(translate, "en")
    assert BOARD_COLUMNS[:3] == ("col_rank_ub", "col_rank_range", "col_tier")
    assert (t("col_rank_range"), translate("zh", "col_rank_range")) == ("Rank range", "排名范围")
    rows = LeaderboardPanel._board_rows(snapshot, "overall", t)
    tiers = board_tiers(snapshot.boards["overall"])
    for shown, row in zip(rows, snapshot.boards["overall"].rows, strict=True):
        expected = "–" if row.provisional else f"{row.rank_ub}–{row.rank_lb}"
        assert shown[:4] == ["–" if row.provisional else row.rank_ub, expected,
                             tiers.get(row.model, "–"), row.model]  # fmt: skip


def test_the_audit_reports_the_tiers_the_board_collapses_to_with_its_bar(snapshot):
    report = snapshot.audit["tiers"]
    assert report["alpha"] == 0.05 and "family-wise" in report["bar"]
    ranked = [r.model for r in snapshot.boards["overall"].rows if not r.provisional]
    assert [m for tier in report["tiers"] for m in tier] == ranked
    # four models 100+ points apart on 1,500 votes: every neighbour is told apart
    assert len(report["tiers"]) == len(ranked) == 4


def test_every_snapshot_reports_the_left_sides_advantage_with_its_interval(snapshot):
    p = snapshot.position
    assert p["votes"] == snapshot.manifest.votes
    assert p["lower"] <= p["log_odds"] <= p["upper"] and 0 <= p["left_share"] <= 1
    body = json.loads(snapshot.to_json())
    del body["position"]
    assert Snapshot.from_json(json.dumps(body)).position == {}  # made before it was measured


def test_the_leaderboard_summary_states_the_position_effect_in_both_languages(snapshot):
    from functools import partial

    from arena.i18n import translate
    from arena.web.ui.leaderboard_panel import LeaderboardPanel

    english = LeaderboardPanel._position_line(snapshot, partial(translate, "en"))
    chinese = LeaderboardPanel._position_line(snapshot, partial(translate, "zh"))
    assert f"{snapshot.position['log_odds']:+.3f} log-odds" in english
    assert f"{snapshot.position['log_odds']:+.3f} 对数几率" in chinese
    older = replace(snapshot, position={})
    assert LeaderboardPanel._position_line(older, partial(translate, "en")) == ""


def test_every_snapshot_sets_the_reweighted_overall_board_beside_the_plain_one(snapshot, votes):
    from arena.rankings import rank_votes
    from arena.snapshot import REWEIGHTED_BOARD, SnapshotColumns

    board = snapshot.boards[REWEIGHTED_BOARD]
    assert {r.model for r in board.rows} == {r.model for r in snapshot.boards["overall"].rows}
    direct = rank_votes(SnapshotColumns.from_votes(votes).votes, method="bt",
                        intervals="reweighted", min_votes=snapshot.manifest.method.min_votes,
                        anchor=snapshot.manifest.method.anchor).bt["overall"]  # fmt: skip
    for row in board.rows:
        (same,) = [r for r in direct.rows if r.model == row.model]
        assert abs(row.rating - same.rating) < 1e-3 and abs(row.upper - same.upper) < 1e-3


def test_the_audit_probes_state_their_bars_and_flag_what_crosses_them(snapshot):
    probes = snapshot.audit["probes"]
    ranked = {r.model for r in snapshot.boards["overall"].rows}
    # coverage: every pair of the four models met; no pair below a tenth of the median
    coverage = probes["coverage"]
    assert coverage["pairs_met"] == coverage["pairs_possible"] == 6 and coverage["flagged"] == []
    # top voters: each model's share of votes from its 5 most active voters, flagged above 20%
    top = probes["top_voters"]
    assert set(top["share"]) == ranked and top["bar"] == 0.2
    assert all(0 < share <= 1 for share in top["share"].values())
    assert top["flagged"] == sorted(m for m, share in top["share"].items() if share > 0.2)
    # ties: places by rating with ties as half wins against the board without ties
    ties = probes["ties"]
    assert set(ties["moved"]) <= ranked and ties["bar"] == 1
    # and against Davidson's model of ties, with its fitted tie parameter
    assert set(ties["modelled"]) <= ranked and ties["tie_parameter"] > 0
    # intransitivity: cycles against boards drawn from the fit, flagged below p = 0.05
    cycles = probes["intransitivity"]
    assert cycles["bar"] == 0.05 and cycles["draws"] == 100
    assert cycles["flagged"] == (cycles["p_value"] < 0.05) and 0 < cycles["p_value"] <= 1
    # one voter: the largest change leaving out one of the most active voters makes
    drop = probes["drop_one_voter"]
    assert drop["model"] in ranked and drop["checked"] >= 1 and drop["votes"] >= 1
    assert drop["flagged"] == bool(drop["moved"]) and set(drop["moved"]) <= ranked


def test_top_voter_share_and_coverage_flag_a_concentrated_model():
    from arena.rankings import VoteColumns
    from arena.snapshot import audit_probes

    rows = [("a", "b", "a_better", f"v{k % 40}", "en", False, False, False) for k in range(400)]
    rows += [("a", "c", "b_better", f"v{k % 40}", "en", False, False, False) for k in range(400)]
    rows += [("c", "d", "a_better", "one-fan", "en", False, False, False) for _ in range(300)]
    rows += [("b", "d", "tie", f"v{k}", "en", False, False, False) for k in range(3)]
    places = {"a": 1, "b": 2, "c": 3, "d": 4}
    probes = audit_probes(VoteColumns.from_rows(rows), places, places)
    assert "d" in probes["top_voters"]["flagged"] and "a" not in probes["top_voters"]["flagged"]
    assert probes["coverage"]["flagged"] == [["b", "d"]]  # 3 votes against a median of 350


def test_the_drop_one_voter_probe_names_a_fan_whose_votes_decide_a_place():
    from arena.rankings import VoteColumns
    from arena.snapshot import audit_probes

    rows = []
    for k in range(600):  # a crowd: a above b above c, each pair 60–40
        first, second = [("a", "b"), ("b", "c"), ("a", "c")][k % 3]
        verdict = "a_better" if (k // 3) % 5 < 3 else "b_better"
        rows.append((first, second, verdict, f"v{k % 60}", "en", False, False, False))
    rows += [("c", "a", "a_better", "fan", "en", False, False, False)] * 150
    places = {"c": 1, "a": 2, "b": 3}
    drop = audit_probes(VoteColumns.from_rows(rows), places, places)["drop_one_voter"]
    assert drop["flagged"] and drop["votes"] == 150 and drop["model"] in ("a", "c")
    assert drop["moved"]["c"] == [1, 3], "first with the fan, last without"
    assert abs(drop["shift"]) > 20, "rating points"


# -- pair matrices per category (issue 12: the heatmaps follow the picked category) -------------

IN_CATEGORY = {
    "chinese": lambda v: v.language == "zh",
    "english": lambda v: v.language == "en",
    "coding": lambda v: v.is_coding,
    "long_query": lambda v: v.is_long_query,
    "multi_turn": lambda v: v.is_multi_turn,
    "exclude_ties": lambda v: v.verdict not in ("tie", "both_bad"),
}


def pair_counts(votes, models) -> tuple[list[list[int]], list[list[float | None]]]:
    """Battles and win rates (row beats column, a tie or both_bad half) counted vote by vote."""
    at = {model: k for k, model in enumerate(models)}
    battles = [[0] * len(models) for _ in models]
    points = [[0.0] * len(models) for _ in models]
    for v in votes:
        a, b = at[v.model_a], at[v.model_b]
        battles[a][b] += 1
        battles[b][a] += 1
        won = {"a_better": 1.0, "b_better": 0.0}.get(v.verdict, 0.5)
        points[a][b] += won
        points[b][a] += 1 - won
    win_rate = [[p / n if n else None for p, n in zip(*row, strict=True)]
                for row in zip(points, battles, strict=True)]  # fmt: skip
    return battles, win_rate


def test_a_snapshot_carries_each_categorys_pair_matrices_counted_from_its_own_votes(
    snapshot, votes
):
    for category, keep in IN_CATEGORY.items():
        kept = [v for v in votes if keep(v)]
        matrices = snapshot.matrices_of(category)
        models = matrices["models"]
        assert set(models) == {m for v in kept for m in (v.model_a, v.model_b)}, category
        battles, win_rate = pair_counts(kept, models)
        assert matrices["battles"] == battles, category
        assert sum(map(sum, battles)) == 2 * snapshot.boards[category].votes
        for row, expected in zip(matrices["win_rate"], win_rate, strict=True):
            assert row == pytest.approx(expected, abs=1e-4), category
    assert snapshot.matrices_of("chinese")["battles"] != snapshot.matrices["battles"]
    # the overall board and the boards refitted on its votes draw the overall pairs
    for category in ("overall", STYLE_BOARD, "overall_reweighted"):
        assert snapshot.matrices_of(category) == snapshot.matrices
    again = Snapshot.from_json(snapshot.to_json())
    assert again.matrices_of("english") == snapshot.matrices_of("english")


def test_a_snapshot_made_before_per_category_matrices_still_loads_and_verifies(snapshot, votes):
    body = json.loads(snapshot.to_json())
    del body["category_matrices"]  # an old body: only the overall matrices
    old = Snapshot.from_json(json.dumps(body))
    assert old.matrices == snapshot.matrices and old.matrices_of("overall") == snapshot.matrices
    assert old.matrices_of("chinese") is None, "none kept: not the overall ones in disguise"
    result = verify_snapshot(old, list(reversed(votes)))
    assert result.ok, result.problems


def test_the_verify_command_passes_a_snapshot_made_before_per_category_matrices(
    make_arena, tmp_path
):
    from click.testing import CliRunner

    from arena.cli import cli
    from tests.test_publishing import vote_many

    arena = make_arena({"alpha": "fake-echo", "beta": "fake-zh", "gamma": "fake-echo"},
                       snapshot_resamples=40, min_votes=5)  # fmt: skip
    vote_many(arena)
    shot = arena.create_snapshot()
    body = json.loads(shot.to_json())
    del body["category_matrices"]
    (tmp_path / "snapshot.json").write_text(json.dumps(body, ensure_ascii=False), "utf-8")
    with open(tmp_path / "battles.json", "w", encoding="utf-8") as out:
        arena.publishing.release_battles(out, snapshot_id=shot.id, with_conversations=True)
    verified = CliRunner().invoke(cli, ["snapshot", "verify", str(tmp_path / "snapshot.json"),
                                        "--battles", str(tmp_path / "battles.json")])  # fmt: skip
    assert verified.exit_code == 0 and "verified" in verified.output, verified.output
