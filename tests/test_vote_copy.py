"""The SQLite store's column copy of the countable votes (arena/adapters/sqlite/vote_copy.py):
what a snapshot reads must always be exactly the votes that count now, in cast order, whatever
happened since the copy was made (new votes, older imported battles, quarantines and releases,
another database at the same path, a damaged copy)."""

import json
import shutil

import pytest

import arena.adapters.sqlite.vote_copy as vote_copy
from arena.adapters.sqlite import SqliteStore
from arena.domain.clock import from_iso
from arena.snapshot import read_vote_set
from tests.contract.helpers import START, Clock, answered_turn, cast, new_battle, vote
from tests.contract.test_battles import imported as imported_vote


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def store(tmp_path, clock):
    opened = SqliteStore(tmp_path / "arena.db", clock=clock)
    yield opened
    opened.close()


def read(store) -> list[tuple]:
    """(vote id, battle id, verdict, voter, ms) of each vote the snapshot reads, in order."""
    out = []
    for batch in store.snapshot_vote_batches():
        for i in range(len(batch)):
            out.append((int(batch.vote_id[i]), batch.battle_id[i], batch.verdict[i],
                        batch.voter_id[i], int(batch.voted_ms[i])))  # fmt: skip
    return out


def counting(store) -> list[tuple]:
    """The same, from the counting_votes view (the one definition), in cast order."""
    rows = store.db.execute(
        "SELECT id, battle_id, verdict, voter_id, created_at FROM counting_votes"
    ).fetchall()
    rows = [(i, b, v, voter, round(from_iso(at) * 1000)) for i, b, v, voter, at in rows]
    return sorted(rows, key=lambda r: (r[4], r[1].encode("utf-8")))


def play(store, clock, battle_id: str, voter="v1", verdict="a_better", counted=True) -> None:
    new_battle(store, battle_id, voter=voter)
    store.save_turn(battle_id, answered_turn(0))
    cast(store, vote(battle_id, verdict, counted, voter=voter))
    clock.advance(1.0)


def imported(battle_id: str, at: float) -> tuple:
    return (imported_vote(battle_id, voted_at=at, conversation=False), None, None)


def manifest(store) -> dict:
    return json.loads((store.vote_copy().folder / vote_copy.MANIFEST).read_text())


def range_reads(store) -> list[str]:
    """The statements that read votes from SQLite into the copy during one snapshot read."""
    sent: list[str] = []
    store.db.conn.set_trace_callback(sent.append)
    try:
        read(store)
    finally:
        store.db.conn.set_trace_callback(None)
    return [sql for sql in sent if "group_concat" in sql]


def test_the_copy_is_made_once_and_read_again_without_sqlite(store, clock):
    for k in range(5):
        play(store, clock, f"b{k}", voter=f"v{k % 2}")
    play(store, clock, "uncounted", counted=False)
    assert read(store) == counting(store) and len(counting(store)) == 5
    assert len(manifest(store)["segments"]) == 1
    assert range_reads(store) == []  # nothing new: every vote comes from the copy


def test_new_votes_become_a_new_segment_and_only_they_are_read(store, clock):
    for k in range(3):
        play(store, clock, f"b{k}")
    read(store)
    for k in range(3, 6):
        play(store, clock, f"b{k}")
    reads = range_reads(store)
    assert len(reads) >= 1
    assert [s["votes"] for s in manifest(store)["segments"]] == [3, 3]
    assert read(store) == counting(store)


def test_older_imported_battles_are_merged_into_cast_order(store, clock):
    for k in range(3):
        play(store, clock, f"b{k}")
    read(store)
    store.import_votes([imported("old-1", START - 100.0), imported("old-0", START - 100.0)],
                       source="import:old.json")  # fmt: skip
    got = read(store)
    assert [r[1] for r in got[:2]] == ["old-0", "old-1"]  # one millisecond: by battle id
    assert got == counting(store)
    assert len(manifest(store)["segments"]) == 1


def test_quarantines_and_releases_act_at_once_without_copying_again(store, clock):
    for k in range(6):
        play(store, clock, f"b{k}", voter=f"v{k % 3}")
    read(store)
    store.quarantine("v1", "ring", "")
    cohort = store.quarantine_cohort("new_voter_win_shift", "alpha", 3.0, "{}",
                                     [counting(store)[0][0]])  # fmt: skip
    got = read(store)
    assert got == counting(store) and len(got) == 3  # 2 of v1's, then one held by the cohort
    store.release_quarantine("v1", "cleared")
    store.release_cohort_quarantine(cohort, "cleared")
    assert read(store) == counting(store) and len(counting(store)) == 6
    assert range_reads(store) == []


def test_a_copy_of_another_database_at_the_same_path_is_made_again(tmp_path, clock):
    first = SqliteStore(tmp_path / "arena.db", clock=clock)
    for k in range(4):
        play(first, clock, f"first-{k}")
    read(first)
    first.close()
    other = SqliteStore(tmp_path / "other.db", clock=clock)
    for k in range(4):
        play(other, clock, f"other-{k}", verdict="tie")
    other.close()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"arena.db{suffix}").unlink(missing_ok=True)
    shutil.copy(tmp_path / "other.db", tmp_path / "arena.db")
    reopened = SqliteStore(tmp_path / "arena.db", clock=clock)
    got = read(reopened)
    assert [r[1] for r in got] == [f"other-{k}" for k in range(4)]
    assert got == counting(reopened)
    reopened.close()


@pytest.mark.parametrize("damage", ["segment removed", "file cut short", "other format"])
def test_a_damaged_copy_is_made_again(store, clock, damage):
    for k in range(4):
        play(store, clock, f"b{k}")
    read(store)
    folder = store.vote_copy().folder
    segment = folder / manifest(store)["segments"][0]["file"]
    if damage == "segment removed":
        shutil.rmtree(segment)
    elif damage == "file cut short":
        data = (segment / "vote_id.npy").read_bytes()
        (segment / "vote_id.npy").write_bytes(data[:-8])
    else:
        (folder / vote_copy.MANIFEST).write_text(json.dumps(manifest(store) | {"format": 0}))
    assert read(store) == counting(store)
    assert len(range_reads(store)) == 0  # made again once, then read from the copy


def test_small_segments_beyond_the_limit_are_made_one(store, clock, monkeypatch):
    monkeypatch.setattr(vote_copy, "MAX_SMALL", 2)
    for round_ in range(5):  # a snapshot after each vote: a small segment each time
        play(store, clock, f"b{round_}")
        read(store)
        assert len(manifest(store)["segments"]) <= 3
    assert read(store) == counting(store)
    assert len(list(store.vote_copy().folder.glob("votes-*"))) == len(manifest(store)["segments"])


def test_many_new_votes_are_copied_a_segment_at_a_time(store, clock, monkeypatch):
    """What one refresh holds in memory is one segment: 7 new votes, 3 ids a segment."""
    monkeypatch.setattr(vote_copy, "SEGMENT", 3)
    monkeypatch.setattr(vote_copy, "RANGE", 2)
    monkeypatch.setattr(vote_copy, "SMALL", 0)  # no segment is small: none is merged
    play(store, clock, "live")
    store.import_votes([imported(f"i{k}", START + 10.0 + k) for k in range(7)],
                       source="import:new.json")  # fmt: skip
    assert [s["votes"] for s in manifest(store)["segments"]] == [3, 3, 2]  # ids 1–3, 4–6, 7–8
    assert read(store) == counting(store) and len(counting(store)) == 8


def test_the_copy_hashes_as_the_rows_do(store, clock):
    """A snapshot read through the copy and one read from the rows the store gives one by one
    (snapshot_vote_rows, what `snapshot verify` compares with) hash alike."""
    from arena.snapshot import SnapshotColumns, SnapshotVote

    for k in range(6):
        play(store, clock, f"b{k}", voter=f"v{k % 2}", verdict=("a_better", "tie")[k % 2])
    store.import_votes([imported("old", START - 50.0)], source="import:old.json")
    through_copy = read_vote_set(store.snapshot_vote_batches(), judge=lambda v, i: v)
    rows = [SnapshotVote(
        battle_id=r["battle_id"], model_a=r["model_a"], model_b=r["model_b"],
        verdict=r["verdict"], judge=r["voter_id"], language=r["language"] or "other",
        is_coding=bool(r["is_coding"]), is_long_query=bool(r["is_long_query"]),
        is_multi_turn=bool(r["is_multi_turn"]), turns=r["turns"],
        voted_at=from_iso(r["created_at"]),
    ) for r in store.snapshot_vote_rows()]  # fmt: skip
    assert through_copy.sha256 == SnapshotColumns.from_votes(rows).sha256
    assert len(through_copy) == 7


def test_an_import_leaves_the_copy_up_to_date(store, clock):
    play(store, clock, "live")
    store.import_votes([imported(f"i{k}", START + 10.0 + k) for k in range(5)],
                       source="import:new.json")  # fmt: skip
    assert manifest(store)["upto"] == store.db.execute("SELECT max(id) FROM votes").fetchone()[0]
    assert range_reads(store) == []  # the snapshot after it reads only the copy
    assert read(store) == counting(store) and len(counting(store)) == 6


def test_segments_share_one_table_of_voters(store, clock):
    """A voter's judge is worked out once per snapshot however many segments hold its votes:
    each segment's codes index the start of the last segment's table."""
    for k in range(4):
        play(store, clock, f"a{k}", voter=f"v{k % 2}")
    read(store)
    for k in range(4):
        play(store, clock, f"b{k}", voter=f"v{(k % 3) + 1}")  # v1, v2 and v3 (new)
    batches = list(store.snapshot_vote_batches())
    assert len(manifest(store)["segments"]) == 2 and len(batches) == 2
    assert batches[0].voter_id.values is batches[1].voter_id.values
    assert batches[1].voter_id.values == ("v0", "v1", "v2", "v3")
    assert read(store) == counting(store)


def test_an_import_stands_when_its_votes_cannot_be_copied_and_the_snapshot_says_why(store):
    """A judge with a line break cannot be hashed: the import is stored all the same (it was
    committed), and reading the votes for a snapshot names the column and the votes."""
    store.import_votes([(imported_vote("x1", judge="two\nlines", conversation=False), None,
                         None)], source="import:bad.json")  # fmt: skip
    assert store.db.execute("SELECT count(*) FROM votes").fetchone()[0] == 1
    with pytest.raises(ValueError, match="voter_id of the votes with ids 1 to 1 holds a line"):
        read(store)


def view_pairs(store) -> list[tuple]:
    """(model_a, model_b, verdict) of each vote of the counting_votes view, in cast order."""
    rows = store.db.execute(
        "SELECT v.battle_id, v.created_at, ma.name, mb.name, v.verdict FROM counting_votes v "
        "JOIN models ma ON ma.id = v.model_a_id JOIN models mb ON mb.id = v.model_b_id"
    ).fetchall()
    rows.sort(key=lambda r: (round(from_iso(r[1]) * 1000), r[0].encode("utf-8")))
    return [r[2:] for r in rows]


def statements(store, read) -> list[str]:
    sent: list[str] = []
    store.db.conn.set_trace_callback(sent.append)
    try:
        read()
    finally:
        store.db.conn.set_trace_callback(None)
    return sent


def test_the_live_board_replays_the_copy_which_agrees_with_the_view_through_every_change(
    store, clock
):
    for k in range(6):
        play(store, clock, f"b{k}", voter=f"v{k % 3}", verdict=("a_better", "tie")[k % 2])
    assert store.counted_vote_pairs().as_tuples() == view_pairs(store) and len(view_pairs(store))
    sent = statements(store, store.counted_vote_pairs)  # nothing new: no vote is read again
    assert not [s for s in sent if "group_concat" in s or "counting_votes" in s], sent
    store.quarantine("v1", "ring", "")
    cohort = store.quarantine_cohort("new_voter_win_shift", "alpha", 3.0, "{}",
                                     [counting(store)[0][0]])  # fmt: skip
    assert store.counted_vote_pairs().as_tuples() == view_pairs(store)
    assert len(view_pairs(store)) == 3
    store.import_votes([imported("old-1", START - 100.0), imported("old-0", START - 100.0)],
                       source="import:old.json")  # fmt: skip
    assert store.counted_vote_pairs().as_tuples() == view_pairs(store)
    store.release_quarantine("v1", "cleared")
    store.release_cohort_quarantine(cohort, "cleared")
    assert store.counted_vote_pairs().as_tuples() == view_pairs(store)
    assert len(view_pairs(store)) == 8


def test_the_live_board_is_not_read_inside_another_transaction(store, clock):
    play(store, clock, "b0")
    with store.transaction(), pytest.raises(RuntimeError, match="transaction of their own"):
        store.counted_vote_pairs()


def copy_on_disk(store) -> tuple[dict, dict[str, bytes]]:
    """The manifest and every file of every segment of the copy."""
    folder = store.vote_copy().folder
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.glob("votes-*/*"))}
    return manifest(store), files


def varied_imports(start: float) -> list[tuple]:
    """Imported votes of every kind a copy tells apart: measured or not, named, without a
    time or a judge, in each language, with 0 to 3 turns and each flag."""
    from dataclasses import replace

    rows = []
    for k in range(9):
        vote = replace(
            imported_vote(f"imp-{k}", judge=None if k == 4 else f"judge-{k % 3}",
                          voted_at=None if k == 6 else start + k // 2, conversation=False,
                          anonymous=k != 2),
            language=("en", "zh", "other")[k % 3], turns=k % 4,
            verdict=("a_better", "b_better", "tie", "both_bad")[k % 4],
            is_coding=bool(k & 1), is_long_query=bool(k & 2), is_multi_turn=bool(k & 4),
        )  # fmt: skip
        rows.append((vote, (k, 1, 0, 2) if k % 3 == 0 else None, (0, k, 0, 1) if k == 3 else None))
    return rows


@pytest.mark.parametrize("when", ["after the live votes", "before them (merged)"])
def test_an_import_is_copied_from_memory_exactly_as_it_would_be_read_back(store, clock, when):
    for k in range(3):
        play(store, clock, f"live-{k}", voter=f"v{k}")
    read(store)  # the live votes copied: the import's refresh reads nothing back
    folder = store.vote_copy().folder
    shutil.copytree(folder, folder.with_name("before"))
    start = START + 100.0 if when.startswith("after") else START - 100.0
    sent = statements(store, lambda: store.import_votes(varied_imports(start),
                                                         source="import:varied.json"))  # fmt: skip
    assert not [s for s in sent if "group_concat" in s]
    from_memory = copy_on_disk(store)
    shutil.rmtree(folder)
    shutil.copytree(folder.with_name("before"), folder)
    store.vote_copy().refresh(store.db.conn)  # the same refresh, reading SQLite
    assert copy_on_disk(store) == from_memory
    assert read(store) == counting(store) and len(counting(store)) == 3 + 8


def test_an_import_straddling_segments_and_votes_not_yet_copied_is_copied_exactly(
    store, clock, monkeypatch
):
    monkeypatch.setattr(vote_copy, "SEGMENT", 4)
    monkeypatch.setattr(vote_copy, "RANGE", 3)
    monkeypatch.setattr(vote_copy, "SMALL", 0)
    for k in range(3):  # never copied before the import: read back from SQLite with it
        play(store, clock, f"live-{k}", voter=f"v{k}")
    clock.advance(1000.0)  # the vote without a time is stamped now: after every other
    store.import_votes(varied_imports(START + 100.0), source="import:varied.json")
    from_memory = copy_on_disk(store)
    assert len(from_memory[0]["segments"]) == 3  # ids 1–4 (3 live, 1 imported), 5–8, 9–12
    shutil.rmtree(store.vote_copy().folder)
    store.vote_copy().refresh(store.db.conn)  # no copy before the import: all read back
    again = copy_on_disk(store)
    assert again[0] == from_memory[0]
    assert [k for k in again[1] if again[1][k] != from_memory[1].get(k)] == []
    assert read(store) == counting(store)
