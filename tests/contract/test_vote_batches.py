"""`snapshot_vote_batches`: the votes that count as columns, in cast order (vote time in ms,
then battle id by code point), the same votes and values `snapshot_vote_rows` gives."""

import json

import numpy as np

from arena.domain.battle import Mode
from arena.domain.clock import from_iso
from arena.formats.battle_data import ImportedVote
from tests.contract.helpers import START, answered_turn, cast, new_battle, vote


def style_text(style) -> str | None:
    """A vote's style as the JSON text stored, whether a batch gives it as text or as an array
    row (unmeasured: -1)."""
    if isinstance(style, np.ndarray):
        return None if (style < 0).any() else json.dumps(style.tolist())
    return style


def flattened(store) -> list[dict]:
    rows = []
    for batch in store.snapshot_vote_batches():
        for i in range(len(batch)):
            rows.append({
                "vote_id": batch.vote_id[i], "battle_id": batch.battle_id[i],
                "model_a": batch.models[batch.model_a[i]],
                "model_b": batch.models[batch.model_b[i]], "verdict": batch.verdict[i],
                "voter_id": batch.voter_id[i], "imported": bool(batch.imported[i]),
                "language": batch.language[i], "is_coding": int(batch.is_coding[i]),
                "is_long_query": int(batch.is_long_query[i]),
                "is_multi_turn": int(batch.is_multi_turn[i]), "turns": batch.turns[i],
                "voted_ms": batch.voted_ms[i], "style_a": style_text(batch.style_a[i]),
                "style_b": style_text(batch.style_b[i]),
            })  # fmt: skip
    return rows


def test_vote_batches_give_the_counting_votes_in_cast_order(store, clock):
    # stored in the order z, y, x, w: x and y in the same millisecond, w (imported) the earliest
    for battle_id in ("z", "y", "x", "named", "quarantined", "uncounted"):
        new_battle(store, battle_id, Mode.NAMED if battle_id == "named" else Mode.ANONYMOUS,
                   voter="q" if battle_id == "quarantined" else "v1")  # fmt: skip
    store.save_turn("y", answered_turn(0))
    store.save_turn("y", answered_turn(1, "more"))
    cast(store, vote("z", language="zh", is_coding=True, style_a=(1, 2, 3, 4),
                     style_b=(5, 6, 7, 8)))  # fmt: skip
    clock.advance(0.0004)  # the same millisecond once cut
    cast(store, vote("y", "tie", is_multi_turn=True))
    cast(store, vote("x", "b_better", is_long_query=True))
    cast(store, vote("named"))
    cast(store, vote("quarantined", voter="q"))
    cast(store, vote("uncounted", counted=False))
    store.quarantine("q", "ring", "")
    store.import_votes([(ImportedVote(
        battle_id="w", model_a="beta", model_b="gamma", verdict="both_bad", judge="judge-7",
        language="other", turns=3, voted_at=START - 60.0, anonymous=True, is_coding=False,
        is_long_query=False, is_multi_turn=True, conversation_a=None, conversation_b=None,
    ), None, None)], source="import:old.json")  # fmt: skip

    got = flattened(store)
    assert [r["battle_id"] for r in got] == ["w", "x", "y", "z"]
    rows = {r["battle_id"]: r for r in store.snapshot_vote_rows()}
    for r in got:
        row = rows[r["battle_id"]]
        assert r["voted_ms"] == round(from_iso(row["created_at"]) * 1000)
        assert r["imported"] == row["source"].startswith("import:")
        for name in ("vote_id", "model_a", "model_b", "verdict", "voter_id", "is_coding",
                     "is_long_query", "is_multi_turn", "turns"):  # fmt: skip
            assert r[name] == row[name], name
        assert r["language"] == (row["language"] or "other")
        assert r["style_a"] == row["style_a"] and r["style_b"] == row["style_b"]
    assert got[0]["imported"] and got[0]["turns"] == 3 and got[0]["voter_id"] == "judge-7"
    assert got[2]["turns"] == 2 and got[3]["style_a"] == "[1, 2, 3, 4]"


def test_no_votes_no_batches(store):
    new_battle(store)
    assert list(store.snapshot_vote_batches()) == []


def test_votes_of_one_millisecond_come_by_battle_id_across_batch_boundaries(
    store, clock, monkeypatch
):
    """Batches of 2: a millisecond's votes span several batches and are stored in the reverse
    of battle-id order; they still come out by battle id, none lost or repeated."""
    import arena.adapters.postgres.snapshots as postgres_snapshots
    import arena.adapters.sqlite.vote_copy as vote_copy

    monkeypatch.setattr(vote_copy, "BATCH", 2)
    monkeypatch.setattr(vote_copy, "RANGE", 3)  # ids read from SQLite three at a time
    monkeypatch.setattr(postgres_snapshots, "BATCH", 2)
    order = ["a0", "t6", "t5", "t4", "t3", "t2", "t1", "t0", "z0", "z1"]
    for battle_id in order:
        new_battle(store, battle_id)
    cast(store, vote("a0"))
    clock.advance(1.0)
    for battle_id in order[1:8]:  # seven votes in one millisecond
        cast(store, vote(battle_id, "tie"))
    clock.advance(1.0)
    cast(store, vote("z1"))
    cast(store, vote("z0"))
    got = flattened(store)
    assert [r["battle_id"] for r in got] == ["a0", *sorted(order[1:8]), "z0", "z1"]
    assert [r["verdict"] for r in got] == ["a_better", *["tie"] * 7, "a_better", "a_better"]
    assert len({r["vote_id"] for r in got}) == 10
