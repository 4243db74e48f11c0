"""The one row reader (arena.formats.rows) and the four commands that read vote files through it:
`ratings --from-file`, `import-battles`, `snapshot verify` and `integrity scan`."""

import csv
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from arena.cli import cli
from arena.formats.rows import Format, RowFileError, rows_from_file
from arena.formats.votefile import VoteFileError, VoteRecord, read_vote_file
from arena.snapshot import Method, SnapshotVote, build_snapshot
from tests.conftest import roster_yaml

# Header in mixed case, the verdict in our words, a voter, an id, a time and a prompt to scan.
VOTES = [
    ("q1", "gpt", "claude", "a_better", "u1", "Who made you?"),
    ("q2", "claude", "gpt", "b_better", "u2", "Write a haiku."),
    ("q3", "gpt", "llama", "tie", "u1", "Sum 2 and 2."),
    ("q4", "llama", "claude", "both_bad", "u3", "Translate 'cat'."),
    ("q5", "claude", "llama", "a_better", "u2", "Name a prime."),
    ("q6", "gpt", "llama", "a_better", "u3", "Are you ChatGPT?"),
    ("q7", "llama", "gpt", "tie", "u1", "Spell 'arena'."),
    ("q8", "claude", "gpt", "a_better", "u3", "What is 7 × 6?"),
]
WINNERS = {"a_better": "model_a", "b_better": "model_b", "tie": "tie", "both_bad": "tie (bothbad)"}
LAYOUTS = [".csv", ".tsv", ".json", ".jsonl", ".parquet"]


def vote_rows(verdict_column: str) -> list[dict]:
    """The votes as rows with a `Verdict` (our words) or `Winner` (FastChat's) column."""
    return [
        {"Question_ID": qid, "Model_A": a, "MODEL_B": b,
         verdict_column: v if verdict_column == "Verdict" else WINNERS[v],
         "Judge": judge, "TStamp": str(1_700_000_000 + 60 * k), "Prompt": prompt}
        for k, (qid, a, b, v, judge, prompt) in enumerate(VOTES)
    ]  # fmt: skip


def write(path, rows: list[dict]):
    if path.suffix in (".csv", ".tsv"):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=","
                                if path.suffix == ".csv" else "\t", lineterminator="\n")  # fmt: skip
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    elif path.suffix == ".json":
        path.write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
    elif path.suffix == ".parquet":
        pq.write_table(pa.Table.from_pylist(rows), path)
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# -- the reader ----------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_gives_the_same_rows_with_lower_cased_column_names(tmp_path, layout):
    file = rows_from_file(write(tmp_path / f"votes{layout}", vote_rows("Verdict")))
    assert file.problems == ()
    assert file.format == {".csv": Format.CSV, ".tsv": Format.TSV, ".json": Format.JSON,
                           ".jsonl": Format.JSONL, ".parquet": Format.PARQUET}[layout]  # fmt: skip
    assert file.columns == ("question_id", "model_a", "model_b", "verdict", "judge", "tstamp",
                            "prompt")  # fmt: skip
    assert [row.values for row in file.rows] == [
        {key.lower(): value for key, value in row.items()} for row in vote_rows("Verdict")
    ]


def test_rows_keep_the_line_they_start_on(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text('model_a,model_b,winner\n\n"two\nlines",b,tie\nc,d,tie\n', encoding="utf-8")
    assert [row.line for row in rows_from_file(table).rows] == [3, 5]
    array = write(tmp_path / "a.json", vote_rows("Verdict")[:2])
    assert [row.line for row in rows_from_file(array).rows] == [2, 11]


def test_a_short_table_row_has_no_value_in_its_last_columns(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("model_a,model_b,winner\na,b\n", encoding="utf-8")
    assert rows_from_file(path).rows[0].values == {"model_a": "a", "model_b": "b", "winner": None}


def test_a_column_named_twice_is_a_problem_in_a_header_and_in_an_object(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("model_a,Model_A,winner\na,b,tie\n", encoding="utf-8")
    assert rows_from_file(table).problems == ((1, "column(s) model_a named twice in the header"),)
    lines = tmp_path / "l.jsonl"
    lines.write_text('{"model_a": "a", "MODEL_A": "b"}\n{"x": 1}\n', encoding="utf-8")
    file = rows_from_file(lines)
    assert file.problems == ((1, "column model_a given twice (letter case differs)"),)
    assert [row.line for row in file.rows] == [2]


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_a_key_an_object_gives_twice_is_a_bad_row_not_the_last_one_winning(tmp_path, suffix):
    """{"winner": "model_a", "winner": "model_b"} was read as a win for model_b, silently."""
    rows = ['{"model_a": "x", "model_b": "y", "winner": "model_a", "winner": "model_b"}',
            '{"model_a": "x", "model_b": "y", "winner": "tie"}']  # fmt: skip
    path = tmp_path / f"votes{suffix}"
    text = "\n".join(rows) if suffix == ".jsonl" else "[\n" + ",\n".join(rows) + "\n]"
    path.write_text(text, encoding="utf-8")
    file = rows_from_file(path)
    first = 1 if suffix == ".jsonl" else 2
    assert file.problems == ((first, "column winner given twice"),)
    assert [row.values["winner"] for row in file.rows] == ["tie"]


def test_an_unreadable_file_is_one_problem_and_check_raises_it(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("  \n", encoding="utf-8")
    with pytest.raises(RowFileError, match="line 1: the file is empty"):
        rows_from_file(path).check()


def test_a_winner_and_a_verdict_that_disagree_are_reported(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text("model_a,model_b,winner,verdict\na,b,model_a,a_better\na,b,model_a,tie\n")
    with pytest.raises(VoteFileError) as raised:
        read_vote_file(path)
    assert raised.value.problems == ((3, "winner 'model_a' and verdict 'tie' disagree"),)


# -- the four commands -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A snapshot of VOTES, a roster, and VOTES as stored by importing the FastChat-style CSV."""
    folder = tmp_path_factory.mktemp("published")
    votes = [SnapshotVote(battle_id=qid, model_a=a, model_b=b, verdict=v, judge=judge,
                          language="other", is_coding=False, is_long_query=False,
                          is_multi_turn=False, turns=1, voted_at=1_700_000_000.0 + 60 * k)
             for k, (qid, a, b, v, judge, _) in enumerate(VOTES)]  # fmt: skip
    snapshot = build_snapshot(
        votes, snapshot_id="s1", created_at="2024-01-01T00:00:00.000+00:00",
        method=Method(resamples=20, min_votes=1), models={}, filters={}, exclusions={},
        code_version="test",
    )  # fmt: skip
    (folder / "s.json").write_text(snapshot.to_json(), encoding="utf-8")
    roster = folder / "roster.yaml"
    roster.write_text(roster_yaml("http://127.0.0.1:9/v1", {"gpt": "fake-echo"}), encoding="utf-8")
    stored = imported_votes(
        write(folder / "votes.csv", vote_rows("Winner")), folder / "a.db", roster
    )
    return folder / "s.json", roster, stored


def imported_votes(path, db, roster) -> list[tuple]:
    common = ["--db", str(db), "--roster", str(roster), "--no-local-models"]
    result = CliRunner().invoke(cli, ["import-battles", str(path), *common])
    assert result.exit_code == 0, result.output
    exported = CliRunner().invoke(cli, ["export-votes", *common])
    assert exported.exit_code == 0, exported.output
    return sorted((r["battle_id"], r["model_a"], r["model_b"], r["verdict"], r["voter_id"],
                   r["voted_at"]) for r in json.loads(exported.output))  # fmt: skip


@pytest.mark.parametrize("column", ["Verdict", "Winner"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_four_commands_read_the_same_votes_from_every_layout(
    tmp_path, published, layout, column
):
    snapshot, roster, stored = published
    path = write(tmp_path / f"votes{layout}", vote_rows(column))
    expected = [VoteRecord(a, b, v, judge) for _, a, b, v, judge, _ in VOTES]
    assert read_vote_file(path) == expected

    ranked = CliRunner().invoke(cli, ["ratings", "--from-file", str(path), "--method", "trueskill",
                                      "--format", "json"])  # fmt: skip
    assert ranked.exit_code == 0, ranked.output
    assert json.loads(ranked.output)["votes"] == len(VOTES)

    assert imported_votes(path, tmp_path / "arena.db", roster) == stored

    verified = CliRunner().invoke(
        cli, ["snapshot", "verify", str(snapshot), "--battles", str(path)]
    )
    assert verified.exit_code == 0 and "verified" in verified.output, verified.output

    scanned = CliRunner().invoke(cli, ["integrity", "scan", str(path), "--format", "json"])
    assert scanned.exit_code == 0, scanned.output
    rows = [json.loads(line) for line in scanned.stdout.splitlines()]
    assert [(r["model_a"], r["model_b"]) for r in rows] == [(a, b) for _, a, b, *_ in VOTES]
    assert [r["probe"] for r in rows] == [True, False, False, False, False, True, False, False]


def test_ratings_from_every_layout_gives_one_trueskill_board(tmp_path):
    boards = set()
    for layout in LAYOUTS:
        for column in ("Verdict", "Winner"):
            path = write(tmp_path / f"{column}{layout}", vote_rows(column))
            ranked = CliRunner().invoke(cli, ["ratings", "--from-file", str(path), "--method",
                                              "trueskill", "--format", "csv"])  # fmt: skip
            assert ranked.exit_code == 0, ranked.output
            boards.add(ranked.output)
    assert len(boards) == 1


@pytest.mark.parametrize(("head", "says"), [
    (b"\x1f\x8b\x08\x00", "a gzip-compressed file: decompress it first (gunzip)"),
    (b"PK\x03\x04\x14\x00", "a ZIP archive (an Excel workbook is one)"),
])  # fmt: skip
@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".json"])
def test_a_packed_file_says_what_it_is_not_just_that_it_is_not_text(tmp_path, head, says, suffix):
    path = tmp_path / f"votes{suffix}"
    path.write_bytes(head + bytes(range(128, 256)) * 4)
    assert rows_from_file(path).problems[0][1].startswith(says)
