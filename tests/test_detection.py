"""Detection and quarantine on the real ingestion path, and the integrity CLI."""

import csv
import io
import json
import random

from click.testing import CliRunner

from arena.cli import cli
from arena.views import Voter
from tests.conftest import collect

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
