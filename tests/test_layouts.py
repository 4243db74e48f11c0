"""Every public vote layout imports through the one reader, and bad rows are skipped only when
asked for: FastChat clean_battle, LMArena's 55k/100k/140k releases, arena-rank's PairDataset."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from arena.cli import cli
from arena.formats.battle_data import BattleFileError, read_battle_file
from arena.formats.votefile import VoteFileError, read_vote_columns
from tests.conftest import roster_yaml

DATA = Path(__file__).parent / "data"
MODELS = [("gpt-4", "claude-2"), ("claude-2", "llama-2-70b"), ("llama-2-70b", "gpt-4"),
          ("gpt-4", "llama-2-70b")]  # fmt: skip
FOUR_VERDICTS = ["a_better", "b_better", "tie", "both_bad"]
# file -> the verdicts it holds (the 55k release has one tie column for both kinds of tie)
LAYOUTS = {
    "layout_fastchat_clean_battle.json": FOUR_VERDICTS,
    "layout_fastchat_clean_battle.parquet": FOUR_VERDICTS,
    "layout_lmarena_55k.csv": ["a_better", "b_better", "tie", "tie"],
    "layout_lmarena_55k.parquet": ["a_better", "b_better", "tie", "tie"],
    "layout_lmarena_100k.parquet": FOUR_VERDICTS,
    "layout_lmarena_100k.jsonl": FOUR_VERDICTS,
    "layout_lmarena_140k.parquet": FOUR_VERDICTS,
    "layout_arena_rank_pairs.parquet": FOUR_VERDICTS,
    "layout_arena_rank_pairs.csv": FOUR_VERDICTS,
}
WITH_CONVERSATIONS = [name for name in LAYOUTS if "arena_rank" not in name]


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def common(tmp_path) -> list[str]:
    roster = tmp_path / "roster.yaml"
    roster.write_text(roster_yaml("http://127.0.0.1:9/v1", {"gpt": "fake-echo"}), encoding="utf-8")
    return ["--db", str(tmp_path / "arena.db"), "--roster", str(roster), "--no-local-models"]


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_layout_reads_as_the_same_battles(name):
    votes = read_battle_file(DATA / name)
    assert [(v.model_a, v.model_b) for v in votes] == MODELS
    assert [v.verdict for v in votes] == LAYOUTS[name]


@pytest.mark.parametrize("name", WITH_CONVERSATIONS)
def test_every_layout_with_conversations_gives_plain_role_and_content_messages(name):
    first = read_battle_file(DATA / name)[0]
    assert first.conversation_a == [{"role": "user", "content": "What is 2+2?"},
                                    {"role": "assistant", "content": "4"}]  # fmt: skip
    assert first.conversation_b[1] == {"role": "assistant", "content": "Four, I think."}


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_layout_reads_as_vote_columns(name):
    votes = read_vote_columns(DATA / name)
    assert len(votes) == 4
    pairs = [
        (votes.models[a], votes.models[b])
        for a, b in zip(votes.model_a, votes.model_b, strict=True)
    ]
    assert pairs == MODELS


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_layout_imports_and_ranks_from_the_command_line(name, common):
    imported = invoke("import-battles", str(DATA / name), *common)
    assert imported.exit_code == 0, imported.output
    assert "imported 4 battles" in imported.output
    ranked = invoke(
        "ratings", "--from-file", str(DATA / name), "--method", "bt", "--format", "json"
    )
    assert ranked.exit_code == 0, ranked.output
    assert json.loads(ranked.output)["votes"] == 4


@pytest.mark.parametrize("name", [n for n in LAYOUTS if n.endswith(".parquet")])
def test_a_parquet_files_dictionary_encoded_text_reads_as_plain_text(name, tmp_path):
    """pandas writes a `category` column as a dictionary; ratings --from-file read none of its
    values ("not a vote" on every row) while import-battles read them."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(DATA / name)
    encoded = pa.table({
        column: pc.dictionary_encode(values) if pa.types.is_string(values.type) else values
        for column, values in zip(table.column_names, table.columns, strict=True)
    })  # fmt: skip
    assert any(pa.types.is_dictionary(t) for t in encoded.schema.types)
    path = tmp_path / name
    pq.write_table(encoded, path)
    votes = read_vote_columns(path)
    assert [(votes.models[a], votes.models[b]) for a, b in zip(votes.model_a, votes.model_b,
                                                               strict=True)] == MODELS  # fmt: skip
    assert read_battle_file(path) == read_battle_file(DATA / name)


def test_ratings_from_a_file_leave_out_its_named_battles_as_the_database_does(tmp_path, common):
    """`ratings --from-file` counted the battles a FastChat file marks `anony: false`; the same
    file imported gave a board without them (they are stored as named battles)."""
    path = tmp_path / "votes.json"
    rows = [{"model_a": a, "model_b": b, "winner": w, "anony": k % 3 != 0}
            for k, (a, b, w) in enumerate([("x", "y", "model_a"), ("y", "z", "model_a"),
                                            ("z", "x", "tie"), ("x", "z", "model_b")] * 6)]  # fmt: skip
    path.write_text(json.dumps(rows), encoding="utf-8")
    from_file = invoke("ratings", "--from-file", str(path), "--format", "json", "--min-votes", "1")
    assert from_file.exit_code == 0, from_file.output
    assert invoke("import-battles", str(path), *common).exit_code == 0
    stored = invoke("ratings", *common[:2], "--format", "json", "--min-votes", "1")
    assert stored.exit_code == 0, stored.output
    assert json.loads(from_file.output)["votes"] == 16 == json.loads(stored.output)["votes"]
    boards = [json.loads(result.output)["categories"]["overall"] for result in (from_file, stored)]
    assert boards[0]["bt"] == boards[1]["bt"]


def test_a_vote_the_file_marks_as_not_counted_is_a_bad_row_to_every_reader(tmp_path, common):
    """A file of export-votes holds every battle, with `counted` and its `reason`: read again,
    its uncounted votes were rated by ratings --from-file and stored as counted by
    import-battles."""
    path = tmp_path / "votes.csv"
    path.write_text("battle_id,model_a,model_b,verdict,anonymous,counted,reason\n"
                    "b1,x,y,a_better,1,1,\nb2,y,x,tie,1,0,probe\nb3,x,y,b_better,1,1,\n"
                    "b4,x,y,a_better,0,0,named_battle\n", encoding="utf-8")  # fmt: skip
    for command in (["ratings", "--from-file", str(path), "--min-votes", "1"],
                    ["import-battles", str(path), *common]):  # fmt: skip
        refused = invoke(*command)
        assert refused.exit_code == 1, refused.output
        assert "line 3: counted is false (reason 'probe')" in refused.output
        assert "line 5: counted is false (reason 'named_battle')" in refused.output
    assert invoke("import-battles", str(path), "--skip-bad-rows", *common).exit_code == 0
    exported = json.loads(invoke("export-votes", *common).output)
    assert sorted((row["battle_id"], row["counted"]) for row in exported) == [
        ("b1", 1),
        ("b3", 1),
    ]  # the file's own ids, kept


def test_a_flag_that_is_not_true_or_false_is_a_bad_row_to_every_reader(tmp_path, common):
    path = tmp_path / "votes.csv"
    path.write_text("model_a,model_b,winner,anony\nx,y,model_a,true\ny,x,tie,maybe\n",
                    encoding="utf-8")  # fmt: skip
    for command in (["ratings", "--from-file", str(path)], ["import-battles", str(path), *common]):
        refused = invoke(*command)
        assert refused.exit_code == 1, refused.output
        assert "line 3: anony must be true or false, not 'maybe'" in refused.output


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_a_table_row_with_more_cells_than_the_header_is_a_bad_row(tmp_path, common, suffix):
    """Its extra cells were dropped: an unquoted comma in "Llama 2,70B" read as model_b "70B",
    and the row's real model_b was lost."""
    sep = "," if suffix == ".csv" else "\t"
    rows = [["winner", "model_a", "model_b"], ["model_a", "x", "y"],
            ["model_b", "Llama 2", "70B", "claude-2"], ["tie", "y", "x", ""]]  # fmt: skip
    path = tmp_path / f"votes{suffix}"
    path.write_text("".join(sep.join(row) + "\n" for row in rows), encoding="utf-8")
    for command in (["ratings", "--from-file", str(path), "--min-votes", "1"],
                    ["import-battles", str(path), *common]):  # fmt: skip
        refused = invoke(*command)
        assert refused.exit_code == 1, refused.output
        assert "line 3: 4 cells where the header has 3" in refused.output
        assert "line 4" not in refused.output  # an empty cell more is nothing more
        skipped = invoke(*command, "--skip-bad-rows")
        assert skipped.exit_code == 0 and "skipped 1 bad rows" in skipped.output, skipped.output
    assert "imported 2 battles" in skipped.output


def test_a_quote_never_closed_is_an_error_not_the_rest_of_the_file_in_one_cell(tmp_path, common):
    path = tmp_path / "votes.csv"
    path.write_text('model_a,model_b,winner,judge\nx,y,model_a,"weird user\ny,x,tie,u2\n'
                    "x,y,model_b,u3\n", encoding="utf-8")  # fmt: skip
    for command in (["ratings", "--from-file", str(path), "--min-votes", "1"],
                    ["import-battles", str(path), *common]):  # fmt: skip
        for more in ([], ["--skip-bad-rows"]):  # not a row: the rows after it are unknown
            refused = invoke(*command, *more)
            assert refused.exit_code == 1, refused.output
            assert "line 2: a quote opened on this line is never closed" in refused.output


def test_the_140k_timestamp_and_id_are_kept():
    first = read_battle_file(DATA / "layout_lmarena_140k.parquet")[0]
    assert first.battle_id == "01950000-aaaa"
    assert first.voted_at == 1_743_508_800.0  # 2025-04-01T12:00:00Z


SELF_BATTLE = "model_a,model_b,winner\ngpt,claude,model_a\ngpt,gpt,tie\nclaude,gpt,model_b\n"


def test_a_self_battle_rejects_the_file_naming_the_line_and_the_flag(tmp_path, common):
    path = tmp_path / "votes.csv"
    path.write_text(SELF_BATTLE, encoding="utf-8")
    for command in (["import-battles", str(path), *common], ["ratings", "--from-file", str(path)]):
        result = invoke(*command)
        assert result.exit_code == 1, result.output
        assert "line 3: same model 'gpt' on both sides" in result.output
        assert result.output.rstrip().endswith("--skip-bad-rows to leave the bad rows out")
        assert "Traceback" not in result.output
    exported = invoke("export-votes", *common)
    assert json.loads(exported.output) == []


def test_skip_bad_rows_imports_the_good_rows_and_reports_every_skipped_one(tmp_path, common):
    path = tmp_path / "votes.csv"
    path.write_text(SELF_BATTLE + "a,,model_a\nb,c,won\n", encoding="utf-8")
    result = invoke("import-battles", str(path), "--skip-bad-rows", *common)
    assert result.exit_code == 0, result.output
    assert "imported 2 battles" in result.output
    assert "skipped 3 bad rows" in result.output
    assert "line 3: same model 'gpt' on both sides" in result.output
    assert "line 5: empty model_b" in result.output
    assert "line 6: unknown winner 'won'" in result.output
    ranked = invoke("ratings", "--from-file", str(path), "--skip-bad-rows", "--format", "json")
    assert ranked.exit_code == 0, ranked.output
    assert "line 3: same model 'gpt' on both sides" in ranked.stderr
    assert json.loads(ranked.stdout)["votes"] == 2


def test_a_bad_parquet_row_is_named_by_its_row_number(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "votes.parquet"
    rows = [{"model_a": "a", "model_b": "b", "winner": "model_a"},
            {"model_a": "a", "model_b": "a", "winner": "tie"}]  # fmt: skip
    pq.write_table(pa.Table.from_pylist(rows), path)
    with pytest.raises(VoteFileError, match="row 2: same model 'a' on both sides"):
        read_vote_columns(path)
    with pytest.raises(BattleFileError, match="row 2: same model 'a' on both sides"):
        read_battle_file(path)
    skipped = []
    assert len(read_vote_columns(path, on_bad_row=lambda *bad: skipped.append(bad))) == 1
    assert skipped == [(2, "same model 'a' on both sides")]


def test_a_parquet_file_by_its_content_is_reported_by_row_as_by_its_name(tmp_path):
    """The skipped-rows report says "row" for Parquet by the reader's own rule (name or magic
    bytes), not a second guess from the name: a Parquet download saved as `.dat` said "line"."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "votes.dat"
    rows = [{"model_a": "a", "model_b": "b", "winner": "model_a"},
            {"model_a": "a", "model_b": "a", "winner": "tie"}]  # fmt: skip
    pq.write_table(pa.Table.from_pylist(rows), path)
    ranked = invoke("ratings", "--from-file", str(path), "--skip-bad-rows", "--format", "json")
    assert ranked.exit_code == 0, ranked.output
    assert "row 2: same model 'a' on both sides" in ranked.stderr


def test_the_column_reader_equals_the_row_reader_on_a_messy_file(tmp_path):
    """Padded and repeated names, winners in any case, blank, unknown and self-battle rows: the
    columns (models numbered as first met, A before B) say what the row reader says."""
    import csv
    import random

    from arena.rankings import VERDICTS

    rng = random.Random(3)
    names = ["gpt", " gpt", "gpt ", "Claude", "claude", "通义", " 通义 ", "", "x"]
    winners = ["model_a", "MODEL_B", " tie ", "tie (bothbad)", "Tie", "draw", "", "a_better"]
    path = tmp_path / "messy.csv"
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["model_a", "model_b", "winner", "judge"])
        for k in range(3000):
            writer.writerow(
                [rng.choice(names), rng.choice(names), rng.choice(winners), f"u{k % 50}"]
            )
    skipped = []
    columns = read_vote_columns(path, on_bad_row=lambda line, reason: skipped.append(line))
    good = [(r.model_a, r.model_b, r.verdict) for r in _rows_that_are_votes(path)]
    assert len(columns) == len(good) and len(skipped) + len(good) == 3000
    assert [(columns.models[a], columns.models[b], VERDICTS[v]) for a, b, v in
            zip(columns.model_a, columns.model_b, columns.verdict, strict=True)] == good  # fmt: skip
    first_met = list(dict.fromkeys(m for a, b, _ in good for m in (a, b)))
    assert list(columns.models) == first_met


def _rows_that_are_votes(path):
    from arena.formats.votefile import read_layout, read_vote

    for _, values in read_layout(path).rows():
        record, reasons = read_vote(values)
        if not reasons:
            yield record


def test_a_parquet_vote_file_is_checked_alike_whether_its_judges_are_read_or_not(tmp_path):
    """A typed text or integer judge column holds only valid voters, so the column reader may
    leave it unread; a judge column of another type (lists) is still read and its rows reported."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    base = {"model_a": ["a", "b", "a"], "model_b": ["b", "c", "c"],
            "winner": ["model_a", "tie", "model_b"]}  # fmt: skip
    read = {}
    for name, judge in (("text", pa.array(["u1", None, " "])), ("number", pa.array([1, 2, 3])),
                        ("none", None)):  # fmt: skip
        path = tmp_path / f"{name}.parquet"
        pq.write_table(pa.table({**base, **({"judge": judge} if judge is not None else {})}), path)
        votes = read_vote_columns(path)
        read[name] = (votes.models, votes.model_a.tolist(), votes.model_b.tolist(),
                      votes.verdict.tolist())  # fmt: skip
    assert read["text"] == read["number"] == read["none"]
    lists = tmp_path / "lists.parquet"
    pq.write_table(pa.table({**base, "judge": pa.array([["u1"], ["u2"], ["u3"]])}), lists)
    skipped = []
    read_vote_columns(lists, on_bad_row=lambda line, reason: skipped.append(line))
    assert skipped == [1, 2, 3]


def test_the_55k_flags_read_alike_as_words_of_any_case_from_csv_and_json(tmp_path):
    """ "True"/"False" as text: a CSV's were read, a JSON file's rejected as an unknown winner."""
    rows = [("x", "y", "True", "False", "False"), ("y", "x", "false", "TRUE", "false")]
    header = ("model_a", "model_b", "winner_model_a", "winner_model_b", "winner_tie")
    table = tmp_path / "votes.csv"
    table.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    lines = tmp_path / "votes.jsonl"
    lines.write_text("\n".join(json.dumps(dict(zip(header, r, strict=True))) for r in rows),
                     encoding="utf-8")  # fmt: skip
    for path in (table, lines):
        assert [v.verdict for v in read_battle_file(path)] == ["a_better", "b_better"], path
