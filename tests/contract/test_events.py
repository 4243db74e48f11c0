"""Any store: the append-only event log, which is also the window of per-IP limits."""

from pathlib import Path

import pytest

from arena.domain.clock import to_iso
from tests.contract.helpers import INTEGRITY_ERRORS, START, execute_raw


def test_the_event_log_is_append_only(store):
    store.log_event("test", battle_id="b1", reason="x")
    with pytest.raises(INTEGRITY_ERRORS, match="append-only"):
        execute_raw(store, "DELETE FROM events")
    with pytest.raises(INTEGRITY_ERRORS, match="append-only"):
        execute_raw(store, "UPDATE events SET kind = 'y'")
    assert store.events("test")[0]["detail"] == {"reason": "x"}


def test_events_are_listed_in_order_with_their_detail(store, clock):
    store.log_event("a", battle_id="b1", voter_id="v1", ip_hash="h1", n=1)
    clock.advance(10)
    store.log_event("b", reason="中文", path=Path("a/b"), nothing=None)
    assert store.events() == [
        {"id": 1, "ts": to_iso(START), "kind": "a", "battle_id": "b1", "voter_id": "v1",
         "detail": {"ip_hash": "h1", "n": 1}},
        {"id": 2, "ts": to_iso(START + 10), "kind": "b", "battle_id": None, "voter_id": None,
         "detail": {"reason": "中文", "path": "a/b", "nothing": None}},
    ]  # fmt: skip
    assert [e["id"] for e in store.events("b")] == [2]
    assert store.events("none") == []


def test_events_are_counted_by_kind_time_and_ip_hash(store, clock):
    store.log_event("refused", ip_hash="h1")
    clock.advance(10)
    store.log_event("refused", ip_hash="h2")
    store.log_event("refused")
    store.log_event("other", ip_hash="h1")
    assert store.count_events("refused", since=START) == 3
    assert store.count_events("refused", since=START + 5) == 2
    assert store.count_events("refused", since=START, ip_hash="h1") == 1
    assert store.count_events("refused", since=START + 5, ip_hash="h1") == 0
    assert store.count_events("refused", since=START + 10, ip_hash="h2") == 1
    assert store.count_events("refused", since=START + 10.001) == 0
