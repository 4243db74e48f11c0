"""`import-battles` at scale: battle files read as columns give exactly what the per-row reader
gives, and the import runs near a bare SQLite insert with fewer bytes per battle. The full
benchmark (1M battles): bench/import_battles.py."""

import hashlib
import time
from datetime import datetime
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from arena.formats import battle_columns
from arena.formats.battle_columns import ImportedBattles, read_battle_columns
from arena.formats.battle_data import BattleFileError, read_battle_file
from arena.ports import Coded
from bench.import_battles import bare_insert_seconds, write_files
from tests.test_layouts import DATA

SHORT_BATTLES = 20_000
# Before the columnar path: ~150× the bare insert and ~730 bytes per battle.
MAX_RATIO = 40
MAX_BYTES_PER_BATTLE = 710


def assert_same(columns: ImportedBattles, rows: ImportedBattles) -> None:
    for name in ImportedBattles.__dataclass_fields__:
        got, expected = getattr(columns, name), getattr(rows, name)
        if isinstance(got, np.ndarray):
            assert np.array_equal(got, expected, equal_nan=got.dtype.kind == "f"), name
        elif isinstance(got, Coded):  # each battle's value; the values distinct
            assert list(got) == list(expected), name
            assert len(set(got.values)) == len(got.values), name
        else:
            assert got == expected, name


def read_both(path, *, skip: bool):
    skipped = [], []
    if not skip:
        try:
            read_battle_file(path)
        except BattleFileError as error:
            with pytest.raises(BattleFileError) as caught:
                read_battle_columns(path)
            assert caught.value.problems == error.problems
            return None
    columns = read_battle_columns(path, on_bad_row=lambda *bad: skipped[0].append(bad))
    rows = read_battle_file(path, on_bad_row=lambda *bad: skipped[1].append(bad))
    assert skipped[0] == skipped[1]
    assert_same(columns, ImportedBattles.from_votes(rows))
    return columns


MESSY = """model_a,model_b,winner,judge,language,turn,tstamp,anony,is_code,question_id
alpha,beta,model_a,u1,English,1,1700000000.5,true,false,
 alpha,beta,tie,u1,zh-CN,2,2024-01-01T00:00:00,1,0,
alpha,alpha,model_b,u2,,,,,,
alpha,beta,nonsense,u2,,,,,,
beta,gamma,TIE (BOTHBAD), u3 ,Russian,,1e3,no,yes,
beta,gamma,model_b,u3,,0,,,,
beta,gamma,model_b,u3,,,not a time,,,
gamma,beta,model_a,,,,-1e400,maybe,,
gamma,beta,model_a,7,,,,,,q9
gamma,beta,model_a,7,,,,,,q9
alpha,beta,model_a,u1,English,1,1700000000.5,true,false,
"""


@pytest.mark.parametrize("skip", [False, True])
def test_a_messy_table_reads_as_columns_exactly_as_row_by_row(tmp_path, skip):
    path = tmp_path / "messy.csv"
    path.write_text(MESSY, encoding="utf-8")
    read_both(path, skip=skip)
    unique = tmp_path / "unique.csv"  # no repeated question_id: the columnar path itself
    unique.write_text(MESSY.replace(",q9\n", ",q10\n", 1), encoding="utf-8")
    columns = read_both(unique, skip=True)
    assert columns.battle_id[0] == columns.battle_id[0] and len(set(columns.battle_id)) == len(
        columns
    ), "identical rows without question_id get distinct ids"


@pytest.mark.parametrize(
    "name",
    [
        "battle_data_lmarena_sample.csv",
        "layout_arena_rank_pairs.csv",
        "layout_arena_rank_pairs.parquet",
        "layout_fastchat_clean_battle.parquet",
        "layout_fastchat_clean_battle.json",
        "layout_lmarena_55k.csv",
        "layout_lmarena_100k.parquet",
        "layout_lmarena_140k.parquet",
    ],
)
def test_every_layout_reads_as_columns_exactly_as_row_by_row(name):
    read_both(DATA / name, skip=True)


@pytest.mark.parametrize(
    "odd",
    [
        {"winner": pa.array([["model_a"], ["tie"], ["model_b"]])},  # a list: no dictionary
        {"language": pa.array([{"x": 1}, {"x": 2}, None])},  # a record
        {"language": pa.array([b"en", b"zh", None])},  # bytes: no JSON of their own
        {"winner": pa.array([b"model_a", b"tie", b"nonsense"])},
        {"judge": pa.array([[1], [2], [3]])},
        {"language": pa.array([datetime(2024, 1, 1), None, None])},  # no JSON of its own
        {"winner": pa.array([Decimal("1"), Decimal("0"), Decimal("0.5")])},
    ],
)
@pytest.mark.parametrize("skip", [False, True])
def test_parquet_columns_of_any_type_read_as_row_by_row_with_their_reasons(tmp_path, odd, skip):
    """A Parquet column of lists or records stopped the import with a traceback (pyarrow has no
    dictionary of them); the per-row reader names each row's fault."""
    table = {"model_a": ["alpha", "beta", "gamma"], "model_b": ["beta", "gamma", "alpha"],
             "winner": ["model_a", "tie", "model_b"], "judge": ["u1", "u2", None],
             "language": ["English", None, "zh"]} | odd  # fmt: skip
    path = tmp_path / "odd.parquet"
    pq.write_table(pa.table(table), path)
    read_both(path, skip=skip)


def test_a_cell_larger_than_a_read_block_is_read(tmp_path):
    """A cell over ~2 MB (a pasted document as the prompt) straddled two of pyarrow's 1 MiB
    blocks: the whole file was "line 1: not a readable CSV table"."""
    path = tmp_path / "long.csv"
    long_prompt = "word " * 700_000  # 3.5 MB
    path.write_text(
        "model_a,model_b,winner,prompt\nalpha,beta,model_a,short\n"
        f'beta,alpha,tie,"{long_prompt}"\nalpha,beta,model_b,short again\n',
        encoding="utf-8",
    )
    columns = read_both(path, skip=False)
    assert len(columns) == 3


def test_a_large_table_and_parquet_file_read_alike(tmp_path):
    paths = write_files(5_000, tmp_path)
    csv, parquet = (read_both(paths[k], skip=False) for k in ("csv", "parquet"))
    assert_same(csv, parquet)
    assert csv.conversation_a is None, "no conversations: nothing per battle besides columns"


def test_an_import_runs_near_a_bare_insert_and_stores_few_bytes_per_battle(tmp_path, make_arena):
    paths = write_files(SHORT_BATTLES, tmp_path)
    bare = bare_insert_seconds(paths["parquet"], tmp_path)
    arena = make_arena(db_path=tmp_path / "arena.db")
    told = []
    start = time.perf_counter()
    count = arena.publishing.import_battles(paths["parquet"], progress=lambda *t: told.append(t))
    seconds = time.perf_counter() - start
    assert count == SHORT_BATTLES and told[-1] == (SHORT_BATTLES, SHORT_BATTLES)
    arena.store.close()
    size = (tmp_path / "arena.db").stat().st_size
    print(f"{seconds / bare:.1f}× the bare insert, {size / SHORT_BATTLES:.0f} B/battle")
    assert seconds / bare <= MAX_RATIO, f"{seconds:.2f} s, {seconds / bare:.0f}× the bare insert"
    assert size / SHORT_BATTLES <= MAX_BYTES_PER_BATTLE, f"{size / SHORT_BATTLES:.0f} B/battle"


# Rows without a question_id, identical in pairs and triples far apart, each differing from the
# first in one field: absent and blank judges and times, 0.0 and -0.0, text that JSON escapes,
# numbers written two ways, a judge the per-row rules trim; a few rows name their question_id.
IDENTICAL_ROWS = (
    "model_a,model_b,winner,judge,language,turn,tstamp,anony,is_code,is_long_query,"
    "is_multi_turn,question_id\n"
    """alpha,beta,model_a,u1,English,1,1700000000.5,true,false,false,false,
alpha,beta,model_a,u1,English,1,1700000000.5,true,false,false,false,
alpha,beta,model_a,,English,1,,true,false,false,false,
alpha,beta,model_a,,English,1,,true,false,false,false,q1
alpha,beta,tie,u1,English,1,0.0,true,false,false,false,
alpha,beta,tie,u1,English,1,-0.0,true,false,false,false,
alpha,beta,tie,u1,English,1,0,true,false,false,false,
alpha,beta,tie,u1,English,1,-0,true,false,false,false,
"mo""del\\x",бета,tie (bothbad),"say ""hi"" \\	ünï 🎉",Chinese,3,1e-7,false,true,true,true,
"mo""del\\x",бета,tie (bothbad),"say ""hi"" \\	ünï 🎉",Chinese,3,1e-7,false,true,true,true,
alpha,beta,model_a,u1,English,1,1700000000.5,false,false,false,false,
alpha,beta,model_a,u1,English,1,1700000000.5,true,true,false,false,
alpha,beta,model_a,u1,English,1,1700000000.5,true,false,true,false,
alpha,beta,model_a,u1,English,1,1700000000.5,true,false,false,true,
alpha,beta,model_a,u2,English,1,1700000000.5,true,false,false,false,
alpha,beta,model_a,u1,Chinese,1,1700000000.5,true,false,false,false,
alpha,beta,model_a,u1,English,2,1700000000.5,true,false,false,false,
alpha,beta,model_b,u1,English,1,1700000000.5,true,false,false,false,
beta,alpha,model_a,u1,English,1,1700000000.5,true,false,false,false,
alpha,beta,model_a,u1,English,1,1700000000.25,true,false,false,false,
alpha,beta,model_a,null,English,1,,true,false,false,false,
alpha,beta,model_a,,English,1,,true,false,false,false,
alpha,beta,model_a,,English,1, ,true,false,false,false,
alpha,beta,model_a,u1,English,1,1700000000.5,true,false,false,false,q2
alpha,beta,model_a,u1,English,1,1700000000.5,true,false,false,false,
alpha,beta,model_a, u1 ,English,1,1700000000.5,true,false,false,false,
alpha,beta,model_a,7,,,,,,,,
alpha,beta,model_a,7,,,,,,,,
"""
)
# sha256 of the ids above, one a line, as both readers made them before ids were made in chunks
IDENTICAL_ROWS_IDS = "fd4261cac56951cc8b0945390f210b2cd432b93117d287706c95ccc63c3a0029"


@pytest.mark.parametrize("chunk", [2, 5, battle_columns.ID_CHUNK])
def test_identical_battles_without_a_question_id_keep_the_ids_they_always_had(
    tmp_path, monkeypatch, chunk
):
    """Ids made a few rows at a time (`chunk`) are those made for the whole file at once."""
    monkeypatch.setattr(battle_columns, "ID_CHUNK", chunk)
    path = tmp_path / "identical.csv"
    path.write_text(IDENTICAL_ROWS, encoding="utf-8")
    columns = read_both(path, skip=False)
    assert len(set(columns.battle_id)) == len(columns) == 28
    assert columns.battle_id[3] == "q1" and columns.battle_id[23] == "q2"
    digest = hashlib.sha256("\n".join(columns.battle_id).encode()).hexdigest()
    assert digest == IDENTICAL_ROWS_IDS


def favouring_m1(path, *, judges: int = 0, seed: int = 5):
    """600 battles of four models in which m1 wins every battle it is in, as a CSV file at
    `path`; with `judges`, a judge column of that many judges."""
    import random

    rng = random.Random(seed)
    models = ["m1", "m2", "m3", "m4"]
    lines = ["model_a,model_b,winner" + (",judge" if judges else "")]
    for _ in range(600):
        a, b = rng.sample(models, 2)
        winner = (
            "model_a" if a == "m1" else "model_b" if b == "m1" else rng.choice(["tie", "model_a"])
        )
        lines.append(f"{a},{b},{winner}" + (f",judge_{rng.randrange(judges)}" if judges else ""))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_battles_without_a_judge_have_no_voter_to_the_audits(tmp_path):
    """A file without a judge column (the arena-rank, 55k and 140k layouts) was stored as one
    voter: the snapshot's audit flagged every model as voted for by one voter (share 1.0) and
    "dropped that voter" with every vote."""
    import json

    from click.testing import CliRunner

    from arena.cli import cli

    votes = favouring_m1(tmp_path / "votes.csv")
    runner, env = CliRunner(), {"ARENA_LOCAL_MODELS": "false"}
    db = ["--db", str(tmp_path / "arena.db")]
    assert runner.invoke(cli, ["import-battles", str(votes), *db], env=env).exit_code == 0
    made = runner.invoke(cli, ["snapshot", "create", *db, "--setting", "min_votes", "1"], env=env)
    assert made.exit_code == 0, made.output
    out = tmp_path / "snapshot.json"
    assert runner.invoke(cli, ["snapshot", "export", *db, "-o", str(out)], env=env).exit_code == 0
    probes = json.loads(out.read_text(encoding="utf-8"))["audit"]["probes"]
    assert probes["top_voters"]["flagged"] == [] and probes["top_voters"]["share"] == {}
    assert probes["drop_one_voter"]["checked"] == 0 and not probes["drop_one_voter"]["flagged"]
    # nor to the detection: 600 votes "in the last hour" (an import's) were a velocity alert on
    # every model, and one "voter" who favours m1 was tested as a voter
    detected = runner.invoke(cli, ["integrity", "detect", *db], env=env)
    assert detected.exit_code == 0, detected.output
    assert "tested 0 voters, 0 votes" in detected.output
    assert runner.invoke(cli, ["integrity", "flags", *db], env=env).output.strip() == ""


def test_an_imported_file_is_no_traffic_to_the_cohort_monitors(tmp_path):
    """A judged file without times was stored at the import's hour: the next detection saw 600
    votes of 30 new voters "in the last hour" on every model, a velocity and new-voter alert on
    each, and a win shift among those new voters would have held the imported votes. The
    monitors watch the votes cast in this arena; the voter tests still read imported ones."""
    from click.testing import CliRunner

    from arena.cli import cli

    votes = favouring_m1(tmp_path / "votes.csv", judges=30, seed=7)
    runner, env = CliRunner(), {"ARENA_LOCAL_MODELS": "false"}
    db = ["--db", str(tmp_path / "arena.db")]
    assert runner.invoke(cli, ["import-battles", str(votes), *db], env=env).exit_code == 0
    detected = runner.invoke(cli, ["integrity", "detect", *db], env=env)
    assert detected.exit_code == 0, detected.output
    assert "tested 30 voters, 600 votes" in detected.output
    flags = runner.invoke(cli, ["integrity", "flags", *db], env=env).output
    assert "cohort" not in flags and "velocity" not in flags, flags


def test_times_are_written_into_the_hashed_ids_as_python_writes_them():
    """The ids of battles without a question_id hash each time as `read_battle_file` writes it
    (repr); the columns take pyarrow's text where it is the same: every kind of float here."""
    rng = np.random.default_rng(11)
    values = np.concatenate([
        rng.integers(0, 2**63, 50_000, dtype=np.int64).view(np.float64),  # any bits
        10.0 ** rng.uniform(-7, 18, 50_000) * rng.choice([-1.0, 1.0], 50_000),
        *(1.6e9 + rng.uniform(0, 1e8, 10_000).round(d) for d in range(8)),  # timestamps
        *(rng.uniform(0, 1, 5_000).round(d) for d in range(1, 17)),
        [np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-4, 9.999e-5, 1e16, 1e15, 1e15 + 0.5,
         1700000000.0, 5e-324, 1.7976931348623157e308],
    ])  # fmt: skip
    expected = ["null" if t != t else repr(t) for t in values.tolist()]
    assert battle_columns._float_reprs(values).to_pylist() == expected
