"""Detection and quarantine on the real ingestion path, and the integrity CLI."""

import csv
import io
import json
import random

from click.testing import CliRunner

from arena.bootstrap import create_arena
from arena.cli import cli
from arena.views import Voter
from tests.conftest import collect
from tests.contract.helpers import START, Clock, counted_vote_records

STRENGTH = {"alpha": 200.0, "beta": 0.0, "gamma": -200.0}  # rating points


def honest_verdict(models, rng):
    a, b = models
    p = 1 / (1 + 10 ** ((STRENGTH[b] - STRENGTH[a]) / 400))
    r = rng.random()
    return "tie" if r < 0.15 else "a_better" if rng.random() < p else "b_better"


def play(arena, voter, choose, rng, prompt):
    started = arena.start_battle(voter)
    collect(arena.ask(voter, started.battle_id, prompt))
    models = arena.store.load_battle(started.battle_id).models
    return arena.vote(voter, started.battle_id, choose((models["A"], models["B"]), rng))


def populate(arena, honest_voters=40, votes_each=12, seed=1):
    rng = random.Random(seed)
    for v in range(honest_voters):
        voter = Voter(f"hs{v}", f"honest-{v}", f"10.{v}.0.1")
        for k in range(votes_each):
            play(arena, voter, honest_verdict, rng, f"honest question {v}-{k}")


def populated(make_arena):
    """Three fake models, 40 honest voters of 12 votes each, snapshots quick to make."""
    arena = make_arena(
        {"alpha": "fake-echo", "beta": "fake-echo", "gamma": "fake-echo"},
        snapshot_resamples=30, min_votes=5,
    )  # fmt: skip
    populate(arena)
    return arena


def always_gamma(models, _rng):
    """A target-only attacker's verdict: gamma wins whenever it is on the ballot."""
    return "a_better" if models[0] == "gamma" else "b_better" if models[1] == "gamma" else "tie"


def test_a_target_only_attacker_is_flagged_quarantined_and_left_out_of_the_next_snapshot(
    make_arena,
):
    arena = populated(make_arena)
    before = arena.publishing.create()
    rng = random.Random(7)
    attacker = Voter("atk", "attacker", "203.0.113.9")

    rigged = [play(arena, attacker, always_gamma, rng, f"attack {k}") for k in range(120)]
    assert all(r.counted for r in rigged), "the gates alone let a patient attacker through"

    report = arena.detection.run()
    assert report.snapshot_id == before.id, "voters are tested against the published snapshot"
    assert "attacker" in report.quarantined
    assert not [v for v in report.quarantined if v.startswith("honest-")]
    assert {f.test for f in report.flags if f.voter_id == "attacker"} & {"fisher", "favouritism"}

    after = arena.publishing.create()
    assert after.manifest.exclusions["quarantined"] == 120
    assert after.manifest.votes == before.manifest.votes
    assert after.transparency["voted_but_unrated"] == []
    gamma = [r.model for r in after.boards["overall"].rows].index("gamma")
    assert gamma == 2, "with the attacker quarantined gamma stays last"

    assert arena.detection.release("attacker", "test: reversible")
    released = arena.publishing.create()
    assert released.manifest.votes == before.manifest.votes + 120
    assert arena.store.db["votes"].count >= 600, "nothing was deleted"


def test_detection_without_a_snapshot_runs_the_cohort_monitors_only(make_arena):
    arena = make_arena()
    populate(arena, honest_voters=3, votes_each=3)
    report = arena.detection.run()
    assert report.snapshot_id is None and report.flags == ()
    assert report.votes == 9


def test_maintainers_can_quarantine_and_release_by_hand(make_arena):
    arena = make_arena()
    assert arena.detection.quarantine("voter-x", "vote ring")
    assert not arena.detection.quarantine("voter-x", "again")
    assert [q["voter_id"] for q in arena.detection.quarantines()] == ["voter-x"]
    assert arena.detection.release("voter-x", "false positive")
    assert arena.detection.quarantines() == []
    assert len(arena.detection.quarantines(active_only=False)) == 1


SCAN_ROWS = [
    {"prompt": "写一首关于秋天的诗", "answer": "秋风起，落叶黄。"},
    {"prompt": "你是哪个模型？", "answer": "我是通义千问，由阿里云开发的大模型。"},
    {"prompt": "Who wrote Hamlet?", "answer": "Shakespeare. You can also search Google."},
    {"prompt": "hi", "answer": "Hello! I'm Claude, made by Anthropic."},
]


def test_integrity_scan_writes_every_row_back_with_findings(tmp_path):
    source = tmp_path / "rows.csv"
    with source.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["prompt", "answer"])
        writer.writeheader()
        writer.writerows(SCAN_ROWS)
    result = CliRunner().invoke(cli, ["integrity", "scan", str(source)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["identity_disclosed"] for r in rows] == ["false", "true", "false", "true"]
    assert [r["probe"] for r in rows] == ["false", "true", "false", "false"]
    assert "通义千问" in rows[1]["evidence"] and "Claude" in rows[3]["evidence"]
    assert rows[0]["prompt"] == "写一首关于秋天的诗", "rows come back unchanged otherwise"


def test_integrity_scan_reads_and_writes_json_lines(tmp_path):
    source = tmp_path / "rows.jsonl"
    source.write_text("\n".join(json.dumps({"answer": r["answer"]}, ensure_ascii=False)
                                for r in SCAN_ROWS), encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(cli, ["integrity", "scan", str(source), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["identity_disclosed"] for r in rows] == [False, True, False, True]


def test_integrity_scan_needs_a_prompt_or_answer_column(tmp_path):
    source = tmp_path / "rows.csv"
    source.write_text("text\nhello\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["integrity", "scan", str(source)])
    assert result.exit_code == 1 and "needs a 'prompt' or an 'answer' column" in result.output


def test_a_model_whose_votes_are_all_quarantined_is_listed_not_dropped(make_arena, tmp_path):
    arena = make_arena(snapshot_resamples=20, min_votes=1)
    table = ["model_a,model_b,winner,judge,question_id"]
    table += [f"alpha,beta,{'model_a' if k % 3 else 'tie'},judge-{k},q{k}" for k in range(30)]
    table += [f"delta,alpha,model_a,lone-voter,d{k}" for k in range(5)]
    (tmp_path / "battles.csv").write_text("\n".join(table) + "\n", encoding="utf-8")
    arena.publishing.import_battles(tmp_path / "battles.csv")
    assert "delta" in {r.model for r in arena.publishing.create().boards["overall"].rows}
    arena.detection.quarantine("lone-voter", "manual review")
    shot = arena.publishing.create()
    assert "delta" not in {r.model for r in shot.boards["overall"].rows}
    assert shot.transparency["voted_but_unrated"] == ["delta"]
    assert shot.manifest.exclusions["quarantined"] == 5


def test_an_ip_rotating_cookies_is_tested_as_one_and_its_voters_quarantined_but_a_shared_ip_of_honest_voters_is_not(
    make_arena,
):
    arena = populated(make_arena)
    rng = random.Random(3)
    for v in range(15):  # an office: fifteen honest people behind one address
        voter = Voter(f"of{v}", f"office-{v}", "198.51.100.7")
        for k in range(8):
            play(arena, voter, honest_verdict, rng, f"office question {v}-{k}")
    arena.publishing.create()

    for c in range(20):  # a new cookie every 6 votes: too few for any test of one voter
        voter = Voter(f"rot{c}", f"rotating-{c}", "203.0.113.50")
        for k in range(6):
            play(arena, voter, always_gamma, rng, f"rotating {c}-{k}")

    report = arena.detection.run()
    assert not {f.voter_id for f in report.flags} & {f"rotating-{c}" for c in range(20)}
    scopes = {(scope, f.test) for scope, f in report.network_flags}
    assert ("ip", "fisher") in scopes or ("ip", "favouritism") in scopes
    assert {f"rotating-{c}" for c in range(20)} <= set(report.quarantined)
    assert not [v for v in report.quarantined if v.startswith(("honest-", "office-"))]
    after = arena.publishing.create()
    assert after.manifest.exclusions["quarantined"] == 120


DAY = 86_400.0


def test_a_new_voter_cohort_lifting_one_model_is_quarantined_pending_review_and_can_be_released(
    settings, make_roster, fake_provider,
):  # fmt: skip
    """Mimic sockpuppets: fresh cookies, each with a few votes, that all favour gamma. No
    voter test can see six votes; the new-voter win shift can, and its cohort's votes on gamma
    are kept out until a maintainer decides."""
    clock = Clock(START)
    roster = make_roster({"alpha": "fake-echo", "beta": "fake-echo", "gamma": "fake-echo"})
    with create_arena(settings, roster=roster, provider=fake_provider, start_local_models=False,
                      clock=clock) as arena:  # fmt: skip
        rng = random.Random(11)
        honest = [Voter(f"hs{v}", f"honest-{v}", f"10.{v}.0.1") for v in range(40)]
        for voter in honest:
            for k in range(6):
                play(arena, voter, honest_verdict, rng, f"first week {voter.voter_id}-{k}")
        clock.advance(3 * DAY)
        for k in range(8):
            for voter in honest:
                clock.advance(60)
                play(arena, voter, honest_verdict, rng, f"today {voter.voter_id}-{k}")
        puppets = [Voter(f"np{c}", f"puppet-{c}", f"198.18.{c}.1") for c in range(25)]
        rigged = []
        for voter in puppets:
            for k in range(6):
                clock.advance(30)
                rigged.append((voter.voter_id, play(arena, voter, always_gamma, rng,
                                                    f"puppet {voter.voter_id}-{k}")))  # fmt: skip
        assert all(receipt.counted for _, receipt in rigged)
        on_gamma = sum("gamma" in receipt.models.values() for _, receipt in rigged)
        counting = arena.store.counting_vote_count()
        voter_of = {r["vote_id"]: r["voter_id"] for r in counted_vote_records(arena.store)}
        gamma = {row.model: (row.votes, row.win_rate) for row in arena.leaderboard()}["gamma"]

        report = arena.run_detection()
        assert not [f for f in report.flags if f.voter_id.startswith("puppet-")]
        cohort, *others = report.cohort_quarantines
        assert (cohort.alert.kind, cohort.alert.subject) == ("new_voter_win_shift", "gamma")
        assert cohort.votes == on_gamma, "every puppet vote on gamma"
        # the models the puppets voted against are affected too: their other votes go with them
        assert {c.alert.subject for c in others} <= {"alpha", "beta"}
        held = [i for c in report.cohort_quarantines
                for i in arena.store.cohort_quarantine_vote_ids(c.id)]  # fmt: skip
        assert {voter_of[i] for i in held} == {v.voter_id for v in puppets}, "no honest vote"
        assert arena.store.counting_vote_count() == counting - len(held)
        votes, win_rate = {r.model: (r.votes, r.win_rate) for r in arena.leaderboard()}["gamma"]
        assert votes == gamma[0] - on_gamma and win_rate < gamma[1], "the live board is recomputed"
        listed = arena.cohort_quarantines()
        assert [q["status"] for q in listed] == ["pending"] * len(report.cohort_quarantines)
        assert (listed[0]["voters"], listed[0]["model"]) == (25, "gamma")
        assert "new voters" in listed[0]["evidence"]

        again = arena.run_detection()
        assert again.cohort_quarantines == (), "held votes are not held twice"

        for made in report.cohort_quarantines:
            assert arena.release_cohort_quarantine(made.id, "test: a launch, not a ring")
        assert arena.store.counting_vote_count() == counting
        assert {r.model: (r.votes, r.win_rate) for r in arena.leaderboard()}["gamma"] == gamma
        after_release = arena.run_detection()
        assert after_release.cohort_quarantines == (), "a maintainer's release is not undone"


def test_detection_without_quarantine_leaves_every_cohort_counting(make_arena):
    arena = populated(make_arena)
    report = arena.run_detection(quarantine=False)
    assert report.cohort_quarantines == () and arena.cohort_quarantines() == []


def test_maintainers_list_confirm_and_release_cohort_quarantines_from_the_command_line(tmp_path):
    from arena.adapters.sqlite import SqliteStore
    from tests.contract.helpers import cast, new_battle, vote

    db = tmp_path / "cli.db"
    store = SqliteStore(db)
    for n in range(3):
        new_battle(store, f"b{n}", voter=f"new-{n}")
        cast(store, vote(f"b{n}", voter=f"new-{n}"))
    first = store.quarantine_cohort("new_voter_win_shift", "alpha", 6.3, "scores 100% ...", [1, 2])
    second = store.quarantine_cohort("new_voter_win_shift", "beta", -4.4, "scores 0% ...", [3])
    store.close()
    (tmp_path / "cli.secrets.json").write_text("{}")  # an arena's database has its secrets file
    run = lambda *args: CliRunner().invoke(cli, [*args, "--db", str(db)])  # noqa: E731

    listed = run("integrity", "flags")
    assert listed.exit_code == 0, listed.output
    assert f"cohort quarantine {first} (pending)" in listed.output
    assert "2 votes of 2 new voters on alpha's battles; new_voter_win_shift +6.3" in listed.output

    confirmed = run("integrity", "confirm-cohort", str(first), "--reason", "ring, ticket 14")
    assert confirmed.exit_code == 0 and "confirmed" in confirmed.output
    released = run("integrity", "release-cohort", str(second), "--reason", "a launch")
    assert released.exit_code == 0 and "released" in released.output
    refused = run("integrity", "release-cohort", str(second), "--reason", "twice")
    assert refused.exit_code == 1 and f"cohort quarantine {second} is not active" in refused.output
    missing = run("integrity", "confirm-cohort", "99", "--reason", "no such")
    assert missing.exit_code == 1 and "is not pending" in missing.output

    listed = run("integrity", "flags").output
    assert f"cohort quarantine {first} (confirmed)" in listed
    assert f"cohort quarantine {second}" not in listed
    reopened = SqliteStore(db)
    try:
        assert reopened.counting_vote_count() == 1
    finally:
        reopened.close()


def test_new_cookies_from_an_ip_flagged_before_are_quarantined_by_the_next_run(make_arena):
    """Hourly runs see only the votes that still count: the cookies an IP rotates through after
    its flag are too few to flag it again, so its flag stays with it."""
    arena = populated(make_arena)
    rng = random.Random(3)
    arena.publishing.create()
    for c in range(20):
        voter = Voter(f"rot{c}", f"rotating-{c}", "203.0.113.50")
        for k in range(6):
            play(arena, voter, always_gamma, rng, f"rotating {c}-{k}")
    first = arena.run_detection()
    assert {f"rotating-{c}" for c in range(20)} <= set(first.quarantined)

    for c in range(3):
        voter = Voter(f"late{c}", f"late-{c}", "203.0.113.50")
        for k in range(4):
            play(arena, voter, always_gamma, rng, f"late {c}-{k}")
    bystander = Voter("by", "bystander", "192.0.2.44")
    for k in range(4):
        play(arena, bystander, honest_verdict, rng, f"bystander {k}")
    second = arena.run_detection()
    assert not [scope for scope, _ in second.network_flags if scope == "ip"], "too few to flag"
    assert set(second.quarantined) == {"late-0", "late-1", "late-2"}
    [late] = [q for q in arena.quarantines() if q["voter_id"] == "late-0"]
    assert late["reason"].startswith("ip_") and "flagged" in late["evidence"]

    assert arena.release_voter("late-0", "test: a colleague on the same network")
    third = arena.run_detection()
    assert "late-0" not in third.quarantined, "the old flag does not undo a maintainer's release"


def test_votes_a_daily_cap_kept_from_counting_are_evidence_about_their_voter(make_arena):
    # A patient, camouflaged attacker past the daily cap: only its first votes count, and too few
    # of them to test (the attack simulation's one-account mimic: 1,000 votes, 200 counted, 10 of
    # them on its target; it was not quarantined, and 20% of its votes reached the snapshot). The
    # votes the cap kept from counting are as blind as counted ones and say the same about it.
    arena = make_arena(
        {"alpha": "fake-echo", "beta": "fake-echo", "gamma": "fake-echo"},
        snapshot_resamples=30, min_votes=5, votes_per_day_voter=6,
    )  # fmt: skip
    populate(arena)
    arena.publishing.create()
    rng = random.Random(7)
    attacker = Voter("atk", "attacker", "203.0.113.9")

    def mimic(models, rng):  # honest, except that gamma always wins
        return always_gamma(models, rng) if "gamma" in models else honest_verdict(models, rng)

    rigged = [play(arena, attacker, mimic, rng, f"attack {k}") for k in range(120)]
    assert sum(r.counted for r in rigged) == 6

    report = arena.detection.run()
    assert "attacker" in report.quarantined
    assert not [v for v in report.quarantined if v.startswith("honest-")]
    after = arena.publishing.create()
    assert after.manifest.exclusions["quarantined"] == 6
