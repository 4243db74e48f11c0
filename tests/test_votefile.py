import json

import pytest

from arena.formats.votefile import VoteFileError, VoteRecord, read_vote_file

EXPECTED = [
    VoteRecord("gpt-x", "llama-y", "a_better", None),
    VoteRecord("llama-y", "gpt-x", "b_better", None),
    VoteRecord("gpt-x", "mistral-z", "tie", None),
    VoteRecord("mistral-z", "llama-y", "both_bad", None),
]
WINNERS = ["model_a", "model_b", "tie", "tie (bothbad)"]
PAIRS = [
    ("gpt-x", "llama-y"),
    ("llama-y", "gpt-x"),
    ("gpt-x", "mistral-z"),
    ("mistral-z", "llama-y"),
]


def rows():
    return [
        {"model_a": a, "model_b": b, "winner": w, "question_id": str(k)}
        for k, ((a, b), w) in enumerate(zip(PAIRS, WINNERS, strict=True))
    ]


def test_csv_with_fastchat_winners_and_extra_columns_is_read(tmp_path):
    path = tmp_path / "votes.csv"
    lines = ["question_id,model_a,model_b,winner,language"]
    lines += [f"{r['question_id']},{r['model_a']},{r['model_b']},{r['winner']},en" for r in rows()]
    path.write_text("\n".join(lines) + "\n")
    assert read_vote_file(path) == EXPECTED


def test_a_json_array_is_read(tmp_path):
    path = tmp_path / "votes.json"
    path.write_text(json.dumps(rows(), indent=2))
    assert read_vote_file(path) == EXPECTED


def test_json_lines_are_read_and_blank_lines_skipped(tmp_path):
    path = tmp_path / "votes.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows()) + "\n\n")
    assert read_vote_file(path) == EXPECTED


def test_our_verdict_words_and_a_judge_or_voter_column_are_accepted(tmp_path):
    path = tmp_path / "votes.jsonl"
    path.write_text(
        json.dumps({"model_a": "a", "model_b": "b", "winner": "both_bad", "judge": "j1"})
        + "\n"
        + json.dumps({"model_a": "a", "model_b": "b", "verdict": "a_better", "voter": "v7"})
        + "\n"
    )
    assert read_vote_file(path) == [
        VoteRecord("a", "b", "both_bad", "j1"),
        VoteRecord("a", "b", "a_better", "v7"),
    ]


def test_every_malformed_csv_row_is_listed_with_its_line_and_reason(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text(
        "model_a,model_b,winner\n"
        "a,b,model_a\n"
        "a,,model_b\n"  # line 3: empty model_b
        "a,a,tie\n"  # line 4: same model
        "a,b,A wins\n"  # line 5: unknown winner
        "a,b\n"  # line 6: missing winner
        "c,d,tie (bothbad)\n"
    )
    with pytest.raises(VoteFileError) as raised:
        read_vote_file(path)
    problems = dict(raised.value.problems)
    assert sorted(problems) == [3, 4, 5, 6]
    assert "empty model_b" in problems[3]
    assert "same model 'a' on both sides" in problems[4]
    assert "unknown winner 'A wins'" in problems[5]
    assert "missing column winner" in problems[6]
    assert "line 5: unknown winner" in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_a_csv_header_without_the_needed_columns_is_reported_once(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text("model_a,opponent,result\na,b,model_a\n")
    with pytest.raises(VoteFileError, match="line 1: header lacks column\\(s\\) model_b, winner"):
        read_vote_file(path)


def test_json_array_problems_carry_the_line_each_element_starts_on(tmp_path):
    path = tmp_path / "votes.json"
    path.write_text(
        '[\n  {"model_a": "a", "model_b": "b", "winner": "tie"},\n'
        '  {"model_a": "a", "winner": "tie"},\n'
        '  "not an object"\n]\n'
    )
    with pytest.raises(VoteFileError) as raised:
        read_vote_file(path)
    assert raised.value.problems == (
        (3, "missing column model_b"),
        (4, "a row must be an object with model_a, model_b and winner"),
    )


def test_broken_json_lines_are_reported_by_line(tmp_path):
    path = tmp_path / "votes.jsonl"
    path.write_text('{"model_a": "a", "model_b": "b", "winner": "tie"}\n{"model_a": \n')
    with pytest.raises(VoteFileError) as raised:
        read_vote_file(path)
    assert [line for line, _ in raised.value.problems] == [2]


def test_columns_a_vote_file_does_not_read_still_count_for_the_line_numbers(tmp_path):
    """A vote file's unused columns are not made (tstamp, notes…), yet a bad row's line is
    counted over every column: a note with line breaks inside its quotes moves later lines."""
    path = tmp_path / "votes.csv"
    path.write_text(
        "model_a,model_b,winner,note\n"
        'a,b,model_a,"one\ntwo\nthree"\n'  # lines 2-4
        "a,b,A wins,plain\n"  # line 5: unknown winner
        ",,,only a note\n"  # line 6: not blank, though blank in every column read
        "c,d,tie,\n"
    )
    with pytest.raises(VoteFileError) as raised:
        read_vote_file(path)
    assert dict(raised.value.problems).keys() == {5, 6}
    assert "line 5: unknown winner" in str(raised.value)
    assert "empty model_a" in dict(raised.value.problems)[6]
