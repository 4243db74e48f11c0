"""Short forms of the ratings engine's benchmarks (bench/bench_ratings.py, bench_intervals.py,
bench_audit.py; the CPU part of reliability.py is in test_reliability.py): tiny sizes, each run as a
maintainer runs it, so that a benchmark that no longer runs is found here and not on the day its
figures are needed. What they print is checked, never how fast."""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def run(*args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


def test_bench_ratings_fits_every_category_and_its_trueskill_replay_equals_the_package(tmp_path):
    votes = tmp_path / "votes.sqlite"
    run("bench/generate_votes.py", "--votes", "20000", "--models", "20", "--out", str(votes))
    # arena-rank needs its own environment (bench/setup_arena_rank.sh): the stage is left out
    run("bench/bench_ratings.py", "--db", str(votes), "--resamples", "20",
        "--reference-resamples", "4", "--trueskill-loop-votes", "2000", "--skip", "arena_rank",
        "--out", str(tmp_path))  # fmt: skip
    figures = json.loads((tmp_path / "bench_votes.json").read_text())

    counted = figures["scan"]["votes"]
    assert 19_000 < counted < 20_000, "about 2% of the generated votes are not counted"
    for name in ("ours_multinomial_w1", "ours_multinomial_w2", "ours_bayesian_w1"):
        assert set(figures[name]["category_s"]) >= {"overall", "chinese", "english", "coding"}
    assert figures["fastchat"]["resamples_measured"] == 4
    assert figures["trueskill"]["votes"] == counted
    assert figures["trueskill"]["max_abs_diff_mu"] < 1e-9
    assert figures["trueskill"]["max_abs_diff_sigma"] < 1e-9


def test_bench_intervals_gives_every_scheme_a_coverage():
    out = run("bench/bench_intervals.py", "--votes", "20000", "--models", "20",
              "--resamples", "20", "--replications", "3", "--sim-votes", "2000")  # fmt: skip
    for scheme in ("multinomial bootstrap", "bayesian bootstrap", "sandwich", "reweighted"):
        found = re.search(rf"^  {scheme} +([\d.]+)% +median half-width +([\d.]+) points", out, re.M)
        assert found, scheme
        assert 0 <= float(found[1]) <= 100 and float(found[2]) > 0


def test_bench_audit_times_the_audit_against_a_plain_fit():
    out = run("bench/bench_audit.py", "--votes", "20000", "--models", "20",
              "--before-pairs", "0")  # fmt: skip
    assert "20,000 votes, 20 models" in out
    assert re.search(
        r"after: +flip costs [\d.]+ s \+ stability [\d.]+ s = [\d.]+ s = [\d.]+x a plain fit", out
    )
