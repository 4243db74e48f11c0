"""The short form of bench/bench_scale.py (issue 10's goals at scale; full run: docs/performance.md)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_bench_scale_prints_every_goal_with_its_ratio_and_trueskill_equals_the_package(tmp_path):
    done = subprocess.run(
        [sys.executable, "bench/bench_scale.py", "--battles", "3000", "--resamples", "20",
         "--loop-battles", "1000", "--out", str(tmp_path), "--import-formats", "parquet"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert len(re.findall(r"ratings --from-file .* ([\d.]+)× pandas \(goal ≤ 2×", out)) == 6
    assert re.search(r"trueskill --from-file parquet: .* ([\d.]+)× faster \(goal ≥ 50×", out)
    assert "(equal: met)" in out  # full precision: the JSON output is not rounded
    assert re.search(r"import-battles parquet: .* ([\d,]+) battles/s .* (\d+) B/battle", out)
    for case in ("copy up to date", "no copy yet"):
        assert re.search(rf"snapshot create \({case}\): .* ([\d.]+)× \(goal ≤ 2×", out), case
    assert re.search(r"B/battle in its column copy of the votes", out)
