"""Short form of bench/store_backends.py: every part on both stores, tiny sizes; the outcome
only, never speed figures."""

import re

from bench import store_backends
from tests.postgres import SERVER_URL


def test_every_part_runs_on_both_stores_and_they_hold_the_same_votes(monkeypatch, capsys):
    monkeypatch.setattr(store_backends, "ADMIN_URL", SERVER_URL)

    code = store_backends.main(["--votes", "200", "--rate", "20", "--seconds", "1",
                                "--snapshot-votes", "3000", "--models", "6"])  # fmt: skip
    printed = capsys.readouterr().out

    assert code == 0, printed
    assert re.search(r"sqlite .* errors 0\n", printed) and re.search(
        r"postgres .* errors 0\n", printed
    )
    for backend in ("sqlite", "postgres"):
        assert f"  {backend}\n" in printed, f"the latency part ran on {backend}"
        assert re.search(rf"{backend} +import .* votes 3,000\n", printed)
    assert "same vote-set sha256 on both: True" in printed
