"""Any store: models, voters, battles and their turns, streams, export and import."""

import json
from dataclasses import replace

import pytest

from arena.adapters.postgres import battles as postgres_battles
from arena.adapters.sqlite import battles as sqlite_battles
from arena.domain.battle import Answer, Battle, Mode, Side, Status, Turn
from arena.domain.clock import to_iso
from arena.formats.battle_data import ImportedVote
from arena.ports import ImportRejected, ModelRow, VoteAlreadyCast
from tests.contract.helpers import (
    START,
    add_models,
    answered_turn,
    cast,
    count_rows,
    new_battle,
    rows_of,
    scalar,
    vote,
)


def test_a_battle_round_trips_with_its_turns(store):
    new_battle(store)
    turn = Turn(
        index=0, prompt="hi",
        answers={Side.A: Answer("hello", complete=True, latency_s=0.5, completion_tokens=1),
                 Side.B: Answer("yo", complete=True)},
        disclosures=("A: ChatGPT",),
    )  # fmt: skip
    store.save_turn("b1", turn)
    loaded = store.load_battle("b1")
    assert loaded.models == {Side.A: "alpha", Side.B: "beta"}
    assert loaded.turns[0].answers[Side.A].text == "hello"
    assert loaded.turns[0].answers[Side.A].completion_tokens == 1
    assert loaded.turns[0].disclosures == ("A: ChatGPT",)
    assert loaded.turns == (turn,)
    assert loaded.mode is Mode.ANONYMOUS and loaded.status is Status.OPEN
    assert loaded.pair_probability == 1.0


def test_saving_a_turn_again_replaces_it(store):
    new_battle(store)
    for text in ("first", "second"):
        store.save_turn("b1", Turn(0, "hi", {Side.A: Answer(text, complete=True),
                                            Side.B: Answer("b", complete=True)}))  # fmt: skip
    assert [t.answers[Side.A].text for t in store.load_battle("b1").turns] == ["second"]


def test_a_failed_answer_and_a_probe_round_trip(store):
    new_battle(store)
    turn = Turn(0, "你是谁？", {Side.A: Answer("部分", error="timeout", cost_usd=0.25),
                               Side.B: Answer("ok", complete=True, prompt_tokens=7)},
                probe=("identity",))  # fmt: skip
    store.save_turn("b1", turn)
    assert store.load_battle("b1").turns == (turn,)


def test_a_direct_battle_has_one_model(store):
    add_models(store, "alpha")
    store.ensure_voter("v1", None)
    store.create_battle(Battle(id="d1", session_id="s1", voter_id="v1", mode=Mode.DIRECT,
                               models={Side.A: "alpha"}))  # fmt: skip
    store.save_turn("d1", Turn(0, "hi", {Side.A: Answer("hello", complete=True)}))
    loaded = store.load_battle("d1")
    assert loaded.models == {Side.A: "alpha"}
    assert set(loaded.turns[0].answers) == {Side.A}
    assert loaded.pair_probability is None


def test_an_unknown_battle_loads_as_none_and_an_unknown_model_is_refused(store):
    assert store.load_battle("nope") is None
    add_models(store, "alpha")
    store.ensure_voter("v1", None)
    with pytest.raises(KeyError):
        store.create_battle(Battle(id="b1", session_id="s", voter_id="v1", mode=Mode.ANONYMOUS,
                                   models={Side.A: "alpha", Side.B: "nobody"}))  # fmt: skip
    assert store.load_battle("b1") is None


def test_models_are_added_once_and_their_descriptions_refreshed(store):
    add_models(store, "alpha", "beta")
    store.ensure_models([{"name": "alpha", "display_name": "Alpha 2", "organisation": "New",
                          "licence": "Apache-2.0"}])  # fmt: skip
    add_models(store, "beta", "gamma")
    assert store.models() == [
        ModelRow(1, "alpha", "Alpha 2", "New", "Apache-2.0", "active"),
        ModelRow(2, "beta", "Beta", "Org", "MIT", "active"),
        ModelRow(3, "gamma", "Gamma", "Org", "MIT", "active"),
    ]


def test_starting_a_battle_is_logged_with_its_mode(store):
    new_battle(store)
    store.ensure_voter("v1", "another ip")  # a known voter is left as it is
    [event] = store.events("battle_started")
    assert event == {"id": 1, "ts": to_iso(START), "kind": "battle_started", "battle_id": "b1",
                     "voter_id": "v1", "detail": {"mode": "anonymous"}}  # fmt: skip


def test_an_open_battle_closes_once_with_an_event(store):
    new_battle(store)
    assert store.set_battle_status("b1", Status.VOID, detail={"side": "A"})
    assert not store.set_battle_status("b1", Status.ABANDONED)
    assert store.load_battle("b1").status is Status.VOID
    assert [e["detail"] for e in store.events("battle_void")] == [{"side": "A"}]
    assert store.events("battle_abandoned") == []


def test_one_turn_streams_at_a_time(store):
    new_battle(store)
    assert store.mark_streaming("b1")
    assert store.load_battle("b1").streaming
    assert not store.mark_streaming("b1"), "another turn is streaming"
    store.save_turn("b1", answered_turn())
    assert not store.load_battle("b1").streaming
    assert store.mark_streaming("b1")
    store.set_battle_status("b1", Status.ABANDONED)
    assert not store.load_battle("b1").streaming
    assert not store.mark_streaming("b1"), "a closed battle streams no more"


def test_streams_that_died_are_abandoned(store, clock):
    new_battle(store, "b1")
    new_battle(store, "b2")
    new_battle(store, "b3")
    store.mark_streaming("b1")
    clock.advance(100)
    store.mark_streaming("b2")
    assert store.abandon_dead_streams(START + 100) == ["b1"], "b2 began exactly at the cutoff"
    assert [store.load_battle(b).status for b in ("b1", "b2", "b3")] == [
        Status.ABANDONED, Status.OPEN, Status.OPEN,
    ]  # fmt: skip
    assert [e["detail"] for e in store.events("battle_abandoned")] == [{"stream_died": True}]
    assert store.abandon_dead_streams(START + 100) == []


def test_export_lists_every_battle_with_its_vote_and_turns(store, clock):
    new_battle(store, "b1")
    store.save_turn("b1", answered_turn())
    clock.advance(2.5)
    cast(store, vote("b1", counted=False))
    clock.advance(1)
    new_battle(store, "b2", Mode.NAMED)
    voted, open_ = store.export_rows()
    assert voted == {
        "battle_id": "b1", "mode": "anonymous", "anonymous": 1, "status": "voted",
        "model_a": "alpha", "model_b": "beta", "pair_probability": 1.0, "voter_id": "v1",
        "created_at": to_iso(START), "verdict": "a_better", "counted": 0, "reason": "probe",
        "language": "en", "voted_at": to_iso(START + 2.5),
        "turns": [{"idx": 0, "prompt": "hi", "answer_a": "hello", "answer_b": "yo",
                   "error_a": None, "error_b": None}],
    }  # fmt: skip
    assert open_["battle_id"] == "b2" and open_["anonymous"] == 0 and open_["turns"] == []
    assert (open_["verdict"], open_["counted"], open_["voted_at"]) == (None, None, None)


def imported(battle_id, model_a="alpha", model_b="beta", *, judge="judge-1", anonymous=True,
             voted_at=START - 86_400, conversation=True) -> ImportedVote:  # fmt: skip
    talk = [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]
    return ImportedVote(
        battle_id=battle_id, model_a=model_a, model_b=model_b, verdict="a_better", judge=judge,
        language="en", turns=1, voted_at=voted_at, anonymous=anonymous, is_coding=False,
        is_long_query=False, is_multi_turn=False, conversation_a=talk if conversation else None,
        conversation_b=talk if conversation else None,
    )  # fmt: skip


def test_imported_battles_arrive_with_their_votes(store):
    add_models(store, "alpha", "beta")
    rows = [
        (imported("i1"), (10, 0, 1, 0), (3, 0, 0, 0)),
        (imported("i2", "gamma", "alpha", judge=None, conversation=False), None, None),
        (imported("i3", anonymous=False, voted_at=None), None, None),
    ]
    store.import_votes(rows, source="import:old.json")
    assert [(m.name, m.status) for m in store.models()] == [
        ("alpha", "active"), ("beta", "active"), ("gamma", "retired"),
    ]  # fmt: skip
    assert store.counted_vote_pairs().as_tuples() == [
        ("alpha", "beta", "a_better"), ("gamma", "alpha", "a_better"),
    ]  # fmt: skip
    first, second = list(store.snapshot_vote_rows())
    assert (first["source"], first["voter_id"], first["turns"]) == ("import:old.json", "judge-1", 1)
    assert (first["style_a"], first["style_b"]) == ("[10, 0, 1, 0]", "[3, 0, 0, 0]")
    assert first["created_at"] == to_iso(START - 86_400)
    assert second["voter_id"] == "import:old.json:unknown", "no judge in the file"
    assert (second["turns"], second["style_a"]) == (1, None), "the turns its file said"
    assert store.load_battle("i1").turns[0].answers[Side.B].text == "4"
    assert store.load_battle("i3").status is Status.VOTED
    assert store.exclusion_counts()["named_battle"] == 1
    named = next(r for r in store.export_rows() if r["battle_id"] == "i3")
    assert named["voted_at"] == to_iso(START), "no time in the file: stamped now"
    assert [e["detail"] for e in store.events("battles_imported")] == [
        {"source": "import:old.json", "battles": 3}
    ]
    # the voter tests read them, marked: the cohort monitors watch only the votes cast here
    assert [(r["vote_id"], r["imported"]) for r in store.voter_evidence_records()] == [
        (1, True), (2, True),
    ]  # fmt: skip


def test_an_import_in_several_batches_gives_each_battle_its_own_values(store, monkeypatch):
    """Rows are built a batch (IMPORT_CHUNK) at a time: each battle still gets its own voter,
    models, mode, time and turns, whichever batch it falls in."""
    for module in (sqlite_battles, postgres_battles):
        monkeypatch.setattr(module, "IMPORT_CHUNK", 2)
    add_models(store, "alpha", "beta")
    rows = [
        (imported("i0", judge="judge-0", voted_at=START + 10), (1, 0, 0, 0), None),
        (imported("i1", "beta", "gamma", anonymous=False, conversation=False), None, None),
        (imported("i2", judge=None, voted_at=None), None, None),
        (replace(imported("i3", "gamma", "alpha", conversation=False), turns=4), None, None),
        (imported("i4", judge="judge-0", voted_at=START + 40), None, None),
    ]
    store.import_votes(rows, source="import:batches")
    exported = {r["battle_id"]: r for r in store.export_rows()}
    assert [(b, r["model_a"], r["model_b"], r["voter_id"], r["mode"], r["reason"], r["voted_at"])
            for b, r in sorted(exported.items())] == [
        ("i0", "alpha", "beta", "judge-0", "anonymous", None, to_iso(START + 10)),
        ("i1", "beta", "gamma", "judge-1", "named", "named_battle", to_iso(START - 86_400)),
        ("i2", "alpha", "beta", "import:batches:unknown", "anonymous", None, to_iso(START)),
        ("i3", "gamma", "alpha", "judge-1", "anonymous", None, to_iso(START - 86_400)),
        ("i4", "alpha", "beta", "judge-0", "anonymous", None, to_iso(START + 40)),
    ]  # fmt: skip
    assert [len(exported[b]["turns"]) for b in ("i0", "i1", "i2", "i3", "i4")] == [1, 0, 1, 0, 1]
    assert {r["battle_id"]: (r["turns"], r["style_a"]) for r in store.snapshot_vote_rows()} == {
        "i0": (1, "[1, 0, 0, 0]"), "i2": (1, None), "i3": (4, None), "i4": (1, None),
    }  # fmt: skip
    assert count_rows(store, "voters") == 3


@pytest.mark.parametrize("measured", [True, False], ids=["with styles", "without styles"])
def test_each_imported_vote_keeps_its_own_flags_language_turns_and_source(store, measured):
    """Every stored value of an imported vote is its own battle's, each flag in its own column,
    and the source is stored as given (quotes and all)."""
    add_models(store, "alpha", "beta")
    flags = ("is_coding", "is_long_query", "is_multi_turn")
    rows = []
    for k in range(8):
        vote = replace(
            imported(f"i{k}", conversation=False), language=("en", "zh", "other")[k % 3],
            turns=k % 4, anonymous=k != 5, verdict=("a_better", "tie", "b_better")[k % 3],
            **{flag: bool(k >> n & 1) for n, flag in enumerate(flags)},
        )  # fmt: skip
        rows.append((vote, (k, 0, 1, 0) if measured else None, None))
    source = 'import:it\'s "odd"; -- .json'
    store.import_votes(rows, source=source)
    stored = [
        (*row[:6], *(int(flag) for flag in row[6:9]), *row[9:11],
         *(json.loads(style) if isinstance(style, str) else style for style in row[11:]))
        for row in rows_of(store, "SELECT battle_id, verdict, counted, reason, anonymous, "
                                  "language, is_coding, is_long_query, is_multi_turn, turns, "
                                  "source, style_a, style_b FROM votes ORDER BY id")
    ]  # fmt: skip
    assert stored == [
        (f"i{k}", ("a_better", "tie", "b_better")[k % 3], k != 5,
         None if k != 5 else "named_battle", k != 5, ("en", "zh", "other")[k % 3],
         k & 1, k >> 1 & 1, k >> 2 & 1, max(k % 4, 1), source,
         [k, 0, 1, 0] if measured else None, None)
        for k in range(8)
    ]  # fmt: skip


def test_an_import_that_clashes_writes_nothing(store):
    store.import_votes([(imported("i1"), None, None)], source="import:a")
    with pytest.raises(ImportRejected, match="1 battle id.* already stored: i1"):
        store.import_votes([(imported("i9"), None, None), (imported("i1"), None, None)],
                           source="import:b")  # fmt: skip
    with pytest.raises(ImportRejected, match="repeated in the file: i7"):
        store.import_votes([(imported("i7"), None, None), (imported("i7"), None, None)],
                           source="import:c")  # fmt: skip
    assert [count_rows(store, t) for t in ("battles", "votes", "turns")] == [0, 1, 1]
    assert store.load_battle("i9") is None


def test_an_import_that_clashes_with_a_battle_started_here_writes_nothing(store):
    """A battle started here and not voted on has no vote: its id is found among the battles."""
    new_battle(store, "b1")
    for rows in ([imported("b1")], [imported(f"i{k}") for k in range(3)] + [imported("b1")]):
        with pytest.raises(ImportRejected, match="1 battle id.* already stored: b1"):
            store.import_votes([(vote, None, None) for vote in rows], source="import:x")
    assert [count_rows(store, t) for t in ("battles", "votes", "turns")] == [1, 0, 0]
    assert store.load_battle("b1").status is Status.OPEN


def test_an_imported_battle_is_its_vote_row_and_reads_as_the_battle_it_was(store):
    """No battles row for an imported battle (schema 18): its vote holds every value, and it
    loads, exports and refuses a second vote as the battle the vote closed."""
    add_models(store, "alpha", "beta")
    rows = [(replace(imported("i1"), turns=2), None, None),
            (imported("i2", anonymous=False, conversation=False), None, None)]  # fmt: skip
    store.import_votes(rows, source="import:old.json")
    assert count_rows(store, "battles") == 0
    first, named = store.load_battle("i1"), store.load_battle("i2")
    assert first == Battle(
        id="i1", session_id="import:old.json", voter_id="judge-1", mode=Mode.ANONYMOUS,
        models={Side.A: "alpha", Side.B: "beta"}, status=Status.VOTED, turns=first.turns,
        max_turns=2, pair_probability=None,
    )  # fmt: skip
    assert [t.prompt for t in first.turns] == ["2+2?"]
    assert (named.mode, named.status, named.max_turns, named.turns) == (
        Mode.NAMED, Status.VOTED, 1, ()
    )  # fmt: skip
    exported = {r["battle_id"]: r for r in store.export_rows()}
    assert [(r["mode"], r["status"], r["voter_id"], r["created_at"], r["voted_at"])
            for r in exported.values()] == [
        ("anonymous", "voted", "judge-1", to_iso(START - 86_400), to_iso(START - 86_400)),
        ("named", "voted", "judge-1", to_iso(START - 86_400), to_iso(START - 86_400)),
    ]  # fmt: skip
    with pytest.raises(VoteAlreadyCast):
        cast(store, vote("i1"))
    assert count_rows(store, "votes") == 2


def test_tens_of_thousands_of_battles_import_in_one_go(store):
    rows = [(imported(f"i{n}", voted_at=START + n), (n, 0, 0, 0), None) for n in range(20_000)]
    store.import_votes(rows, source="import:big")
    assert count_rows(store, "votes") == 20_000 and count_rows(store, "turns") == 20_000
    last = list(store.snapshot_vote_rows())[-1]
    assert (last["battle_id"], last["vote_id"]) == ("i19999", 20_000)
    assert last["style_a"] == "[19999, 0, 0, 0]"


def test_an_answer_with_a_nul_character_is_stored_and_the_rest_of_it_kept(store):
    """A model may send U+0000; PostgreSQL text cannot hold it, SQLite can: either way the
    write succeeds and the text around it survives."""
    new_battle(store)
    answer = Answer("before\x00after", complete=True)
    store.save_turn("b1", Turn(0, "hi", {Side.A: answer, Side.B: Answer("b", complete=True)},
                               disclosures=("A: x\x00y",)))  # fmt: skip
    store.log_event("test", battle_id="b1", note="nul\x00here")
    text = store.load_battle("b1").turns[0].answers[Side.A].text
    assert text.startswith("before") and text.endswith("after") and len(text) == 12
    assert store.events("test")[0]["detail"]["note"] in {"nul\x00here", "nul\ufffdhere"}


def test_an_imported_battle_without_conversations_keeps_its_number_of_turns(store):
    """A table row says `turn: 2` but carries no conversation: its release and snapshot must
    still say 2 turns, or `snapshot verify` of the released file cannot match the hash."""
    add_models(store, "alpha", "beta")
    vote = replace(imported("i1", conversation=False), turns=2)
    store.import_votes([(vote, None, None), (imported("i2"), None, None)], source="import:t")
    assert {r["battle_id"]: r["turns"] for r in store.snapshot_vote_rows()} == {"i1": 2, "i2": 1}


def test_an_imported_vote_stores_the_turns_its_battle_keeps(store):
    """An imported vote keeps the turns its battle keeps as `max_turns` (at least one), with
    or without conversations: what its snapshot rows say."""
    add_models(store, "alpha", "beta")
    rows = [(replace(imported("i1", conversation=False), turns=3), None, None),
            (imported("i2"), None, None),
            (replace(imported("i3", conversation=False), turns=0), None, None)]  # fmt: skip
    store.import_votes(rows, source="import:t")
    turns = {battle: scalar(store, f"SELECT turns FROM votes WHERE battle_id = '{battle}'")
             for battle in ("i1", "i2", "i3")}  # fmt: skip
    assert turns == {"i1": 3, "i2": 1, "i3": 1}
    assert {b: store.load_battle(b).max_turns for b in ("i1", "i2", "i3")} == turns
    assert [r["turns"] for r in store.snapshot_vote_rows()] == [3, 1, 1]


def test_the_terms_a_voter_accepted_are_recorded_with_the_voter(store, clock):
    assert store.accepted_terms("v1") is None
    store.ensure_voter("v1", "iphash")
    assert store.accepted_terms("v1") is None
    store.accept_terms("v1", "iphash", "a" * 64)
    assert store.accepted_terms("v1") == "a" * 64
    clock.advance(60)
    store.accept_terms("v1", "iphash", "b" * 64)  # the maintainer changed the text
    assert store.accepted_terms("v1") == "b" * 64
    store.accept_terms("new-voter", None, "a" * 64)  # accepting first creates the voter
    assert store.accepted_terms("new-voter") == "a" * 64
    assert [e["detail"]["sha256"] for e in store.events("terms_accepted")] == [
        "a" * 64,
        "b" * 64,
        "a" * 64,
    ]


def test_a_voter_is_known_once_seen(store):
    assert not store.has_voter("v1") and not store.has_voters()
    store.ensure_voter("v1", "iphash")
    assert store.has_voter("v1") and not store.has_voter("v2") and store.has_voters()
