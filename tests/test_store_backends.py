"""Short form of bench/store_backends.py: every part on both stores, tiny sizes; the outcome
only, never speed figures."""

import re

import pytest

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


def test_an_unreachable_postgresql_is_said_so_before_any_part_runs(monkeypatch, capsys):
    monkeypatch.setattr(store_backends, "ADMIN_URL", "postgresql://postgres@127.0.0.1:1/postgres")

    with pytest.raises(SystemExit) as stopped:
        store_backends.main(["--parts", "votes", "--votes", "10"])

    message = str(stopped.value)
    assert "PostgreSQL is not reachable at postgresql://postgres@127.0.0.1:1/postgres" in message
    assert "ARENA_BENCH_POSTGRES" in message and "make postgres" in message
    assert "== votes" not in capsys.readouterr().out, "nothing measured on SQLite alone"
