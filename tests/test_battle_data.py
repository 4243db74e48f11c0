import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from arena.formats.battle_data import (
    BattleFileError,
    BattleRecord,
    ImportedVote,
    pseudonymise,
    read_battle_file,
    to_clean_battle,
    write_clean_battles,
)

DATA = Path(__file__).parent / "data"
KEY = b"release-key-2024-please-rotate"
OTHER_KEY = b"another-release-key"

RECORDS = [
    BattleRecord(
        battle_id="b-001",
        model_a="gpt-x",
        model_b="llama-y",
        verdict="a_better",
        voter_id="cookie-7f3e2a",
        ip_hash="iphash-91c0",
        turns=1,
        anonymous=True,
        language="en",
        is_coding=False,
        is_long_query=False,
        is_multi_turn=False,
        voted_at=1717171717.125,
        conversation_a=[
            {"role": "user", "content": "Name a prime."},
            {"role": "assistant", "content": "7"},
        ],
        conversation_b=[
            {"role": "user", "content": "Name a prime."},
            {"role": "assistant", "content": "9"},
        ],
    ),
    BattleRecord(
        battle_id="b-002",
        model_a="qwen-z",
        model_b="gpt-x",
        verdict="both_bad",
        voter_id="cookie-7f3e2a",
        ip_hash="iphash-91c0",
        turns=2,
        anonymous=True,
        language="zh",
        is_coding=True,
        is_long_query=True,
        is_multi_turn=True,
        voted_at=1717171800.0,
        conversation_a=[
            {"role": "user", "content": "用 Python 写一个快速排序。"},
            {"role": "assistant", "content": "```python\ndef 排序(xs): ...\n```"},
            {"role": "user", "content": "再解释一下。"},
            {"role": "assistant", "content": "选一个基准，分成两半，递归。"},
        ],
        conversation_b=[
            {"role": "user", "content": "用 Python 写一个快速排序。"},
            {"role": "assistant", "content": "好的。"},
            {"role": "user", "content": "再解释一下。"},
            {"role": "assistant", "content": "不知道。"},
        ],
    ),
    BattleRecord(
        battle_id="b-003",
        model_a="llama-y",
        model_b="qwen-z",
        verdict="tie",
        voter_id="cookie-0000aa",
        ip_hash=None,
        turns=1,
        anonymous=True,
        language="other",
        is_coding=False,
        is_long_query=False,
        is_multi_turn=False,
        voted_at=1717172000.5,
        conversation_a=[{"role": "user", "content": "¿Qué hora es?"}],
        conversation_b=None,
    ),
    BattleRecord(
        battle_id="b-004",
        model_a="gpt-x",
        model_b="qwen-z",
        verdict="b_better",
        voter_id="cookie-1234bb",
        ip_hash="iphash-5555",
        turns=1,
        anonymous=False,
        language="en",
        is_coding=False,
        is_long_query=True,
        is_multi_turn=False,
        voted_at=1717173000.0,
    ),
]


def released(records, tmp_path, *, key=KEY, with_conversations=True, name="release.json"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8") as out:
        write_clean_battles(records, out, release_key=key, with_conversations=with_conversations)
    return path


def expected_vote(record: BattleRecord, *, with_conversations: bool) -> ImportedVote:
    return ImportedVote(
        battle_id=record.battle_id,
        model_a=record.model_a,
        model_b=record.model_b,
        verdict=record.verdict,
        judge=pseudonymise(record.voter_id, KEY, "voter"),
        language=record.language,
        turns=record.turns,
        voted_at=record.voted_at,
        anonymous=record.anonymous,
        is_coding=record.is_coding,
        is_long_query=record.is_long_query,
        is_multi_turn=record.is_multi_turn,
        conversation_a=record.conversation_a if with_conversations else None,
        conversation_b=record.conversation_b if with_conversations else None,
    )


def problems_of(path) -> dict[int, str]:
    with pytest.raises(BattleFileError) as raised:
        read_battle_file(path)
    return dict(raised.value.problems)


# Release


def test_a_release_with_conversations_reads_back_as_the_same_battles(tmp_path):
    path = released(RECORDS, tmp_path, with_conversations=True)
    assert read_battle_file(path) == [
        expected_vote(record, with_conversations=True) for record in RECORDS
    ]


def test_a_release_without_conversations_omits_them_and_reads_back_the_rest(tmp_path):
    path = released(RECORDS, tmp_path, with_conversations=False)
    battles = json.loads(path.read_text(encoding="utf-8"))
    assert all("conversation_a" not in b and "conversation_b" not in b for b in battles)
    assert read_battle_file(path) == [
        expected_vote(record, with_conversations=False) for record in RECORDS
    ]


def test_a_battle_is_released_in_fastchat_field_order_and_spelling():
    battle = to_clean_battle(RECORDS[0], release_key=KEY, with_conversations=True)
    assert list(battle) == [
        "question_id", "model_a", "model_b", "winner", "judge", "conversation_a",
        "conversation_b", "turn", "anony", "language", "tstamp",
        "is_code", "is_long_query", "is_multi_turn", "feedback",
    ]  # fmt: skip
    assert battle["question_id"] == "b-001"
    assert battle["winner"] == "model_a"
    assert battle["judge"] == pseudonymise("cookie-7f3e2a", KEY, "voter")
    assert battle["turn"] == 1
    assert battle["anony"] is True
    assert battle["language"] == "English"
    assert battle["tstamp"] == 1717171717.125


def test_each_verdict_is_released_as_fastchats_winner():
    winners = {
        verdict: to_clean_battle(
            replace(RECORDS[0], verdict=verdict), release_key=KEY, with_conversations=False
        )["winner"]
        for verdict in ("a_better", "b_better", "tie", "both_bad")
    }
    assert winners == {
        "a_better": "model_a",
        "b_better": "model_b",
        "tie": "tie",
        "both_bad": "tie (bothbad)",
    }


def test_languages_are_released_as_fastchat_names():
    def language(code):
        record = replace(RECORDS[0], language=code)
        return to_clean_battle(record, release_key=KEY, with_conversations=False)["language"]

    assert [language(c) for c in ("en", "zh", "other", "", "English", "Chinese", "Russian")] == [
        "English", "Chinese", "unknown", "unknown", "English", "Chinese", "Russian",
    ]  # fmt: skip


def test_a_record_with_an_unknown_verdict_is_refused():
    with pytest.raises(ValueError, match="unknown verdict 'A wins'"):
        to_clean_battle(
            replace(RECORDS[0], verdict="A wins"), release_key=KEY, with_conversations=False
        )


def test_raw_voter_ids_and_ip_hashes_never_appear_in_a_release(tmp_path):
    text = released(RECORDS, tmp_path).read_text(encoding="utf-8")
    for record in RECORDS:
        assert record.voter_id not in text
        if record.ip_hash:
            assert record.ip_hash not in text
    assert all(set(battle) & {"ip", "ip_hash", "voter_id"} == set() for battle in json.loads(text))


def test_chinese_text_is_written_as_is_and_not_escaped(tmp_path):
    text = released(RECORDS, tmp_path).read_text(encoding="utf-8")
    assert "用 Python 写一个快速排序。" in text
    assert "\\u" not in text


def test_write_clean_battles_returns_the_count_and_writes_an_empty_array_for_no_records():
    out = io.StringIO()
    assert write_clean_battles(RECORDS, out, release_key=KEY) == len(RECORDS)
    assert len(json.loads(out.getvalue())) == len(RECORDS)
    empty = io.StringIO()
    assert write_clean_battles([], empty, release_key=KEY) == 0
    assert json.loads(empty.getvalue()) == []


def test_pseudonyms_are_stable_for_one_key_and_differ_across_keys():
    first = pseudonymise("cookie-7f3e2a", KEY, "voter")
    assert first == pseudonymise("cookie-7f3e2a", KEY, "voter")
    assert first != pseudonymise("cookie-7f3e2a", OTHER_KEY, "voter")
    assert first != pseudonymise("cookie-0000aa", KEY, "voter")
    assert first.startswith("voter_") and len(first) == len("voter_") + 16
    int(first.removeprefix("voter_"), 16)


def test_the_same_value_gets_different_pseudonyms_under_different_prefixes():
    voter, ip = pseudonymise("x", KEY, "voter"), pseudonymise("x", KEY, "ip")
    assert voter.removeprefix("voter_") != ip.removeprefix("ip_")


def test_two_releases_with_the_same_key_link_a_voter_and_different_keys_do_not(tmp_path):
    def judges(key, name):
        path = released(RECORDS[:1], tmp_path, key=key, name=name)
        return {b["judge"] for b in json.loads(path.read_text(encoding="utf-8"))}

    assert judges(KEY, "one.json") == judges(KEY, "two.json")
    assert judges(KEY, "one.json").isdisjoint(judges(OTHER_KEY, "three.json"))


def test_an_empty_release_key_is_refused_even_with_nothing_to_write():
    with pytest.raises(ValueError, match="release_key is empty"):
        write_clean_battles([], io.StringIO(), release_key=b"")


# Import


def test_a_hand_written_fastchat_release_is_read_and_its_extra_fields_ignored():
    votes = read_battle_file(DATA / "battle_data_fastchat_sample.json")
    assert [(v.model_a, v.model_b, v.verdict) for v in votes] == [
        ("chatglm-6b", "koala-13b", "b_better"),
        ("oasst-pythia-12b", "alpaca-13b", "both_bad"),
        ("vicuna-13b", "gpt-3.5-turbo-0613", "a_better"),
        ("claude-1", "vicuna-13b", "tie"),
        ("gpt-3.5-turbo-0613", "claude-1", "a_better"),
    ]
    assert [v.language for v in votes] == ["en", "zh", "en", "other", "other"]
    assert [v.judge for v in votes] == [
        "arena_user_973", "arena_user_973", "arena_user_4410", "arena_user_88", "arena_user_88",
    ]  # fmt: skip
    first, chinese, coding, russian, _ = votes
    assert first.battle_id == "58210e39b3fd4441a2bd4a518bb44c2d"
    assert first.voted_at == 1682351591.1322
    assert first.conversation_a[0] == {
        "role": "user",
        "content": "What is the difference between OpenCL and CUDA?",
    }  # num_tokens dropped: only role and content are kept
    assert chinese.conversation_a[1]["content"] == "长城是中国古代修建的军事防御工程。"
    assert (coding.turns, coding.is_multi_turn, coding.is_coding) == (2, True, True)
    assert (first.turns, first.is_multi_turn, first.is_coding, first.is_long_query) == (
        1, False, False, False,
    )  # fmt: skip
    assert russian.anonymous is False and first.anonymous is True


def test_an_lmarena_style_csv_is_read_with_defaults_for_empty_cells():
    votes = read_battle_file(DATA / "battle_data_lmarena_sample.csv")
    assert votes[0] == ImportedVote(
        battle_id="8b1b7b1e2c4d4f6a9e0c1d2b3a4f5e6d",
        model_a="gpt-4-0613",
        model_b="llama-2-70b-chat",
        verdict="a_better",
        judge="arena_user_12",
        language="en",
        turns=1,
        voted_at=1700000000.5,
        anonymous=True,
        is_coding=False,
        is_long_query=False,
        is_multi_turn=False,
        conversation_a=None,
        conversation_b=None,
    )
    assert (votes[1].verdict, votes[1].language, votes[1].turns) == ("both_bad", "zh", 2)
    assert (votes[1].is_multi_turn, votes[1].is_coding) == (True, True)
    last = votes[2]
    assert (last.verdict, last.judge, last.language, last.voted_at, last.anonymous) == (
        "b_better", None, "other", None, False,
    )  # fmt: skip


def test_a_minimal_table_without_ids_gets_stable_distinct_ids_for_repeated_rows(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text("model_a,model_b,winner\na,b,model_a\na,b,model_a\nb,a,tie\n")
    votes = read_battle_file(path)
    ids = [v.battle_id for v in votes]
    assert len(set(ids)) == 3 and all(i.startswith("row_") for i in ids)
    assert [v.battle_id for v in read_battle_file(path)] == ids
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text("model_a,model_b,winner\nb,a,tie\na,b,model_a\na,b,model_a\n")
    assert sorted(v.battle_id for v in read_battle_file(shuffled)) == sorted(ids)
    assert votes[0].judge is None and votes[0].voted_at is None and votes[0].anonymous


def test_a_tsv_table_with_our_verdict_words_is_read(tmp_path):
    path = tmp_path / "votes.tsv"
    path.write_text(
        "model_a\tmodel_b\twinner\tturn\tlanguage\n"
        "a\tb\ta_better\t1\ten\n"
        "b, c\ta\tboth_bad\t3\tzh\n"
    )
    votes = read_battle_file(path)
    assert [(v.model_a, v.verdict, v.turns, v.language) for v in votes] == [
        ("a", "a_better", 1, "en"),
        ("b, c", "both_bad", 3, "zh"),
    ]


def test_json_lines_are_read_and_blank_lines_skipped(tmp_path):
    path = released(RECORDS, tmp_path)
    lines = "\n\n".join(json.dumps(b, ensure_ascii=False) for b in json.loads(path.read_text()))
    jsonl = tmp_path / "release.jsonl"
    jsonl.write_text(lines + "\n", encoding="utf-8")
    assert read_battle_file(jsonl) == read_battle_file(path)


def test_a_dot_json_file_holding_json_lines_is_read_by_its_content(tmp_path):
    path = tmp_path / "train.json"  # what a Hugging Face dataset export looks like
    path.write_text('{"model_a": "a", "model_b": "b", "winner": "tie", "question_id": "q1"}\n')
    assert [v.battle_id for v in read_battle_file(path)] == ["q1"]


def test_an_iso_time_is_accepted_for_tstamp(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text("model_a,model_b,winner,tstamp\na,b,tie,2024-01-01T00:00:00Z\n")
    assert read_battle_file(path)[0].voted_at == 1704067200.0


def test_a_missing_turn_is_counted_from_the_conversation(tmp_path):
    row = {
        "model_a": "a",
        "model_b": "b",
        "winner": "model_a",
        "conversation_a": [
            {"role": "user", "content": "1"},
            {"role": "assistant", "content": "2"},
            {"role": "user", "content": "3"},
            {"role": "assistant", "content": "4"},
        ],
    }
    path = tmp_path / "votes.jsonl"
    path.write_text(json.dumps(row) + "\n")
    vote = read_battle_file(path)[0]
    assert (vote.turns, vote.is_multi_turn) == (2, True)


# Import errors


def test_every_bad_object_in_a_pretty_printed_array_is_reported_at_the_line_it_starts(tmp_path):
    path = tmp_path / "battles.json"
    path.write_text(
        "[\n"  # 1
        "  {\n"  # 2: good
        '    "model_a": "a",\n'
        '    "model_b": "b",\n'
        '    "winner": "model_a"\n'
        "  },\n"
        "  {\n"  # 7: same model on both sides
        '    "model_a": "a",\n'
        '    "model_b": "a",\n'
        '    "winner": "tie"\n'
        "  },\n"
        '  {"model_a": "a", "model_b": "b", "winner": "A wins"},\n'  # 12
        "  {\n"  # 13: non-numeric turn and tstamp, model_b missing
        '    "model_a": "a",\n'
        '    "winner": "tie",\n'
        '    "turn": "two",\n'
        '    "tstamp": "yesterday"\n'
        "  },\n"
        "  {\n"  # 19: conversation of the wrong shape
        '    "model_a": "a",\n'
        '    "model_b": "b",\n'
        '    "winner": "tie",\n'
        '    "conversation_a": [["user", "hi"]]\n'
        "  },\n"
        '  {"model_a": 7, "model_b": "", "winner": "tie"},\n'  # 25
        '  "not an object"\n'  # 26
        "]\n"
    )
    problems = problems_of(path)
    assert sorted(problems) == [7, 12, 13, 19, 25, 26]
    assert "same model 'a' on both sides" in problems[7]
    assert "unknown winner 'A wins'" in problems[12]
    assert "missing column model_b" in problems[13]
    assert "turn must be a whole number" in problems[13]
    assert "tstamp must be unix seconds" in problems[13]
    assert "conversation_a[0] must be an object with role and content" in problems[19]
    assert "model_a must be a string, not a number" in problems[25]
    assert "empty model_b" in problems[25]
    assert "must be an object" in problems[26]


def test_every_bad_csv_row_is_reported_with_the_line_its_record_starts(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text(
        "model_a,model_b,winner,turn,tstamp,question_id\n"
        "a,b,model_a,1,1700000000,q1\n"
        "a,,model_b,1,,q2\n"  # 3: empty model_b
        '"multi\n'  # 4: a quoted cell spanning lines 4-5, then a bad turn
        'line",b,tie,zero,,q3\n'
        "\n"
        "a,b,tie (bothbad),1,soon,q4\n"  # 7: bad tstamp
        "a,b\n"  # 8: missing winner
        "c,d,tie,1,,q1\n"  # 9: duplicate question_id
        "e,f,tie,1,,q5\n"
    )
    problems = problems_of(path)
    assert sorted(problems) == [3, 4, 7, 8, 9]
    assert "empty model_b" in problems[3]
    assert "turn must be a whole number of at least 1, not 'zero'" in problems[4]
    assert "tstamp must be unix seconds or an ISO 8601 time, not 'soon'" in problems[7]
    assert "missing column winner" in problems[8]
    assert "question_id 'q1' already used on line 2" in problems[9]


def test_a_table_header_without_required_columns_is_one_problem_on_its_line(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text("\nmodel_a,model_b,result\na,b,model_a\n")
    assert problems_of(path) == {2: "header lacks column(s) winner"}


def test_bad_json_lines_are_reported_and_the_other_lines_still_checked(tmp_path):
    path = tmp_path / "votes.jsonl"
    path.write_text(
        '{"model_a": "a", "model_b": "b", "winner": "tie"}\n'
        '{"model_a": "a", "model_b": "b", "winner": \n'
        '{"model_a": "a", "model_b": "b", "winner": "tie", "anony": "maybe"}\n'
        '{"model_a": "a", "model_b": "b", "winner": "tie", "conversation_b": "hello"}\n'
    )
    problems = problems_of(path)
    assert sorted(problems) == [2, 3, 4]
    assert "not valid JSON" in problems[2]
    assert "anony must be true or false, not 'maybe'" in problems[3]
    assert "conversation_b must be a list of role/content messages" in problems[4]


def test_messages_need_a_known_role_and_text_content(tmp_path):
    def problem(message):
        path = tmp_path / "one.jsonl"
        row = {"model_a": "a", "model_b": "b", "winner": "tie", "conversation_a": [message]}
        path.write_text(json.dumps(row) + "\n")
        return problems_of(path)[1]

    assert "has role 'bot'" in problem({"role": "bot", "content": "hi"})
    assert "content must be text, not a list" in problem({"role": "user", "content": ["hi"]})
    assert "has role None" in problem({"content": "hi"})


def test_a_broken_json_array_is_reported_where_it_breaks(tmp_path):
    path = tmp_path / "battles.json"
    path.write_text(
        "[\n"
        '  {"model_a": "a", "model_b": "b", "winner": "tie"}\n'
        '  {"model_a": "a", "model_b": "b", "winner": "tie"}\n'
        "]\n"
    )
    assert problems_of(path) == {3: "expected , or ]"}
    path.write_text('[\n  {"model_a": "a", "model_b": "b", "winner": "tie"},\n')
    assert 3 in problems_of(path)


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "battles.json"
    path.write_text("")
    assert problems_of(path) == {1: "the file is empty"}


@pytest.mark.parametrize(
    ("name", "text", "problems"),
    [
        ("battles.csv", "model_a,model_b,winner\n", {1: "a header and no rows after it"}),
        ("battles.tsv", "\nmodel_a\tmodel_b\twinner\n\n", {2: "a header and no rows after it"}),
        ("battles.json", " [ ]\n", {1: "an empty JSON array: no rows"}),
        (
            "battles.csv",
            "model_a;model_b;winner\na;b;tie\n",
            {1: "header lacks column(s) model_a, model_b, winner (the header is one column, "
                "'model_a;model_b;winner': separate the columns with commas, or with tabs in a "
                ".tsv file)"},
        ),
        (
            "battles.json",
            '\n{\n  "model_a": "a",\n  "model_b": "b",\n  "winner": "tie"\n}\n',
            {2: "the file is one JSON object over many lines: give a JSON array of rows, or one "
                "row a line (JSON lines)"},
        ),
    ],
)  # fmt: skip
def test_a_file_without_rows_or_in_a_shape_no_reader_takes_says_so_in_one_line(
    tmp_path, name, text, problems
):
    """A header alone was "imported 0 battles" and "no counted votes to rank"; a semicolon file
    lacked every column without a word on why; a pretty-printed object was one "not valid
    JSON" a line."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert problems_of(path) == problems


def test_nothing_is_returned_when_any_row_is_bad(tmp_path):
    path = released(RECORDS, tmp_path)
    battles = json.loads(path.read_text(encoding="utf-8"))
    battles[-1]["winner"] = "nobody"
    path.write_text(json.dumps(battles, ensure_ascii=False, indent=2), encoding="utf-8")
    with pytest.raises(BattleFileError) as raised:
        read_battle_file(path)
    assert len(raised.value.problems) == 1


def test_the_error_message_lists_the_first_twenty_problems_and_counts_the_rest(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text("model_a,model_b,winner\n" + "a,a,tie\n" * 25)
    with pytest.raises(BattleFileError) as raised:
        read_battle_file(path)
    error = raised.value
    assert [line for line, _ in error.problems] == list(range(2, 27))
    message = str(error)
    assert "25 problem(s)" in message
    assert "line 21:" in message and "line 22:" not in message
    assert message.endswith("… and 5 more")
    assert isinstance(error, ValueError)
