"""Fuzzing the file readers (vote files, battle files, litellm roster YAML): any bytes in, valid
rows or the reader's own error with a specific message out. bench/fuzz.py runs these longer."""

import csv
import io
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arena.adapters.roster import Roster, RosterError, load_roster
from arena.domain.verdicts import Verdict
from arena.formats.battle_data import ROLES, BattleFileError, ImportedVote, read_battle_file
from arena.formats.votefile import VoteFileError, VoteRecord, read_vote_file

# Few examples in `make test` (seconds); bench/fuzz.py runs the same properties with thousands.
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VERDICTS = {v.value for v in Verdict}
# Exception names that must never reach a user: an error of this kind is a reader bug.
LEAKED_ERRORS = ("Traceback", "KeyError", "TypeError", "AttributeError", "UnicodeDecodeError",
                 "UnicodeEncodeError", "JSONDecodeError", "RecursionError", "OverflowError")  # fmt: skip


# -- inputs ------------------------------------------------------------------------------------

# Text with the characters readers trip on: lone surrogates, NUL, BOM, line and paragraph
# separators (str.splitlines splits on them, JSON does not), CR, tabs, quotes, delimiters.
AWKWARD = ["\ud800", "\udfff", "\x00", "\ufeff", "\u2028", "\x85", "\r", "\t", '"', ",", "\n", " "]
texts = st.text(max_size=12) | st.lists(
    st.sampled_from(AWKWARD) | st.text(max_size=3), max_size=6
).map("".join)
names = st.sampled_from(["gpt-x", "llama-y", " gpt-x ", "", "  ", "a", "A", "模型", "gpt-x\ud800"])
winner_words = st.sampled_from(
    ["model_a", "model_b", "tie", "tie (bothbad)", "a_better", "b_better", "both_bad", "TIE ",
     "A wins", "", "none", "tie(bothbad)"]
)  # fmt: skip
numbers = (
    st.integers()
    | st.integers(min_value=10**300, max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0, 1, -1, 2**63, 1e308, 1717171717.125, -62135596800.5, 253402300800])
)
scalars = st.none() | st.booleans() | numbers | texts
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)  # fmt: skip
times = st.sampled_from(
    ["2024-01-01T00:00:00Z", "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "soon",
     "1e400", "nan", "-inf", "2024-02-30", "  1717171717  "]
)  # fmt: skip
flags = st.sampled_from([True, False, 0, 1, 2, "true", "FALSE", "yes", "maybe", ""])
messages = st.fixed_dictionaries(
    {}, optional={"role": st.sampled_from(sorted(ROLES)) | json_values, "content": json_values}
)
conversations = st.lists(messages | json_values, max_size=3) | json_values
# one value per column: a plausible one, or anything at all
COLUMNS = {
    "model_a": names | json_values,
    "model_b": names | json_values,
    "winner": winner_words | json_values,
    "verdict": winner_words | json_values,
    "judge": names | json_values,
    "voter": names | json_values,
    "question_id": st.sampled_from(["q1", "q1", "q2", " "]) | json_values,
    "language": st.sampled_from(["English", "zh-Hant", "Russian", ""]) | json_values,
    "turn": st.sampled_from([1, 2, "3", "1.0", 0, "zero", 10**9]) | numbers | json_values,
    "tstamp": times | numbers | json_values,
    "anony": flags | json_values,
    "is_code": flags,
    "is_long_query": flags,
    "is_multi_turn": flags,
    "conversation_a": conversations,
    "conversation_b": conversations,
}
REQUIRED = ("model_a", "model_b", "winner")
near_valid_rows = st.fixed_dictionaries(
    {key: COLUMNS[key] for key in REQUIRED},
    optional={key: value for key, value in COLUMNS.items() if key not in REQUIRED},
)
rows = near_valid_rows | st.fixed_dictionaries({}, optional=COLUMNS) | json_values
SUFFIXES = [".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".txt", ""]


def to_json_array(items: list, indent: int | None = None, ascii: bool = True) -> str:
    return json.dumps(items, indent=indent, ensure_ascii=ascii)  # ascii: "\ud800" as an escape


def to_json_lines(items: list, ascii: bool = True) -> str:
    return "".join(json.dumps(item, ensure_ascii=ascii) + "\n" for item in items)


def to_table(items: list, delimiter: str) -> str:
    header = sorted({key for item in items if isinstance(item, dict) for key in item}) or ["x"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for item in items:
        if isinstance(item, dict):
            writer.writerow(["" if item.get(k) is None else str(item[k]) for k in header])
        else:
            writer.writerow([str(item)])
    return out.getvalue()


@st.composite
def vote_files(draw) -> tuple[str, bytes]:
    """(file name suffix, bytes): structured-but-wrong rows in any layout, or junk."""
    kind = draw(st.sampled_from(["array", "lines", "csv", "tsv"] * 2 + ["junk text", "junk bytes"]))
    items = draw(st.lists(rows, min_size=1, max_size=5))
    ascii = draw(st.booleans())
    if kind == "array":
        text = to_json_array(items, draw(st.sampled_from([None, 2])), ascii)
    elif kind == "lines":
        text = to_json_lines(items, ascii)
    elif kind in ("csv", "tsv"):
        text = to_table(items, "," if kind == "csv" else "\t")
    elif kind == "junk text":
        fragments = st.sampled_from(
            ["[", "]", "{", "}", ",", ":", '"', "\n", "model_a", "model_b,winner", "[" * 3000,
             "9" * 5000, "NaN", "\\ud800", "\x00", "\ufeff", "\u2028"]
        )  # fmt: skip
        text = "".join(draw(st.lists(fragments | texts, max_size=12)))
    else:
        return draw(st.sampled_from(SUFFIXES)), draw(st.binary(max_size=200))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = ("\ufeff" if draw(st.booleans()) else "") + text
    raw = data.encode("utf-8", "surrogatepass")  # a surrogate in a CSV cell: not UTF-8 bytes
    if raw and draw(st.integers(0, 3)) == 0:  # damage: cut short, or one byte changed
        cut = draw(st.integers(0, len(raw) - 1))
        raw = raw[:cut] if draw(st.booleans()) else raw[:cut] + bytes([draw(st.integers(0, 255))])
    suffix = {"array": ".json", "lines": ".jsonl", "csv": ".csv", "tsv": ".tsv"}.get(kind, "")
    return draw(st.sampled_from([suffix, *SUFFIXES])), raw


@st.composite
def valid_votes(draw) -> list[tuple[str, str, str]]:
    """Well-formed (model_a, model_b, FastChat winner) rows with arbitrary names a store can
    keep (encodable, no NUL or line break: a name with one is a bad row, tests/test_cli.py)."""
    name = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00\n\r"),
                   min_size=1, max_size=10).filter(lambda text: text == text.strip() and text)  # fmt: skip
    pairs = st.tuples(name, name).filter(lambda pair: pair[0] != pair[1])
    winner = st.sampled_from(["model_a", "model_b", "tie", "tie (bothbad)"])
    votes = st.tuples(pairs, winner).map(lambda t: (*t[0], t[1]))
    return draw(st.lists(votes, min_size=1, max_size=5))


ROSTER_TOKENS = [
    "model_list:", "\n", "\n  - ", "model_name: ", "litellm_params: ", "model_info: ", "model: ",
    "weight: ", "mode: ", "openai/gpt-x", "{", "}", "[", "]", ", ", ": ", "&a ", "*a", "!!binary ",
    "!!python/object:os.system ", "2024-13-45", "0x1F", ".nan", "1" * 5000, '"\\ud800"', "? ",
    "|\n  ", "'", '"', "\t", "[" * 2000, "~", "!!set {a}", "{mode: [1]}", "%TAG ! x\n---\n",
]  # fmt: skip
roster_values = json_values | st.dates() | st.sampled_from(["os.environ/KEY", "*", "a*"])
litellm_params = st.builds(
    lambda model, extra: {**extra, **model},
    st.fixed_dictionaries({}, optional={"model": st.just("openai/gpt-x") | names | roster_values}),
    st.dictionaries(texts | numbers, roster_values, max_size=2),
)
OUR_KEYS = ["display_name", "weight", "mode", "anonymous_only", "local_model", "system_prompt",
            "licence"]  # fmt: skip
model_info = st.dictionaries(
    st.sampled_from(OUR_KEYS),
    roster_values | st.sampled_from(["embedding", "smollm2", 1e400, 10**400, 0.5, True]),
    max_size=3,
)
ENTRY_KEYS = {
    "model_name": names | roster_values,
    "litellm_params": litellm_params | roster_values,
    "model_info": model_info | roster_values,
    "weight": numbers,
    "display_name": names | roster_values,
}
roster_entries = (
    st.fixed_dictionaries(
        {"model_name": names, "litellm_params": litellm_params},
        optional={"model_info": model_info, "weight": numbers, "anonymous_only": flags},
    )
    | st.fixed_dictionaries({}, optional=ENTRY_KEYS)
    | roster_values
)


@st.composite
def roster_files(draw) -> bytes:
    """A litellm proxy config: entries with wrong types and values, or YAML junk, or bytes."""
    kind = draw(st.sampled_from(["entries", "entries", "junk yaml", "junk bytes"]))
    if kind == "entries":
        document = {"model_list": draw(st.lists(roster_entries, max_size=4))}
        if draw(st.booleans()):
            document = draw(st.sampled_from([document, document["model_list"], None, 7]))
        text = yaml.safe_dump(document, allow_unicode=draw(st.booleans()))
    elif kind == "junk yaml":
        text = "".join(draw(st.lists(st.sampled_from(ROSTER_TOKENS) | texts, max_size=14)))
    else:
        return draw(st.binary(max_size=200))
    return (("\ufeff" if draw(st.booleans()) else "") + text).encode("utf-8", "surrogatepass")


# -- the properties, shared with bench/fuzz.py ------------------------------------------------


def assert_specific(problems: tuple[tuple[int, str], ...], message: str) -> None:
    """A reader error names at least one line and reason, and leaks no Python internals."""
    assert problems, message
    for line, reason in problems:
        assert isinstance(line, int) and line >= 1, (line, reason)
        assert isinstance(reason, str) and reason.strip(), (line, reason)
    message.encode("utf-8")  # printable
    for leaked in LEAKED_ERRORS:
        assert leaked not in message, message


def is_text(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def reasons(problems: tuple[tuple[int, str], ...]) -> list[str]:
    return [reason for _, joined in problems for reason in joined.split("; ")]


def check_vote_file(path: Path) -> list[str]:
    """Read a vote file; the outcome (["rows"] or every reason given) if the property holds."""
    try:
        records = read_vote_file(path)
    except VoteFileError as error:
        assert_specific(error.problems, str(error))
        return reasons(error.problems)
    for record in records:
        assert isinstance(record, VoteRecord)
        for name in (record.model_a, record.model_b):
            assert is_text(name) and name == name.strip() and name, record
        assert record.model_a != record.model_b, record
        assert record.verdict in VERDICTS, record
        assert record.voter is None or is_text(record.voter), record
    return ["rows"]


def check_battle_file(path: Path) -> list[str]:
    """Read a battle file; the outcome (["rows"] or every reason given) if the property holds."""
    try:
        votes = read_battle_file(path)
    except BattleFileError as error:
        assert_specific(error.problems, str(error))
        return reasons(error.problems)
    ids = [vote.battle_id for vote in votes]
    assert len(ids) == len(set(ids)), ids
    for vote in votes:
        assert isinstance(vote, ImportedVote)
        for name in (vote.model_a, vote.model_b):
            assert is_text(name) and name == name.strip() and name, vote
        assert vote.model_a != vote.model_b, vote
        assert vote.verdict in VERDICTS, vote
        assert is_text(vote.battle_id) and vote.battle_id, vote
        assert vote.judge is None or is_text(vote.judge), vote
        assert vote.language in ("en", "zh", "other"), vote
        assert type(vote.turns) is int and 1 <= vote.turns <= 2**63 - 1, vote
        if vote.voted_at is not None:
            assert math.isfinite(vote.voted_at), vote
            datetime.fromtimestamp(vote.voted_at, UTC)  # the store keeps it as an ISO time
        for flag in (vote.anonymous, vote.is_coding, vote.is_long_query, vote.is_multi_turn):
            assert type(flag) is bool, vote
        for conversation in (vote.conversation_a, vote.conversation_b):
            for message in conversation or []:
                assert message["role"] in ROLES and is_text(message["content"]), vote
    return ["rows"]


def check_roster_file(path: Path) -> list[str]:
    """Load a roster file; the outcome (["roster"] or the message) if the property holds."""
    try:
        roster = load_roster(path)
    except RosterError as error:
        message = str(error)
        assert message.startswith(str(path)) and message[len(str(path)) :].strip(": "), message
        for leaked in LEAKED_ERRORS:
            assert leaked not in message, message
        return [message[len(str(path)) :].lstrip(": ")]
    assert isinstance(roster, Roster) and len(roster) >= 1
    assert len(set(roster.names)) == len(roster.names)
    for model in roster:
        assert is_text(model.name) and model.name.strip(), model
        assert is_text(model.litellm_params["model"]), model
        assert all(is_text(key) for key in model.litellm_params), model
        assert math.isfinite(model.weight) and model.weight > 0, model
        for label in (model.display_name, model.organisation, model.licence):
            assert is_text(label), model
    return ["roster"]


@contextmanager
def reporting(**drawn) -> Iterator[None]:
    """Fail with the drawn input in the message. Hypothesis prints it too, but schemathesis (once
    imported, as tests/test_fuzz_api.py does) silences Hypothesis's example printer."""
    try:
        yield
    except Exception as error:
        shown = ", ".join(f"{name}={value!r:.1500}" for name, value in drawn.items())
        raise AssertionError(f"{type(error).__name__}: {error}\n  input: {shown}") from error


# -- tests -------------------------------------------------------------------------------------


@FUZZ
@given(file=vote_files())
def test_a_vote_file_of_any_bytes_gives_valid_rows_or_a_vote_file_error(tmp_path, file):
    suffix, raw = file
    path = tmp_path / f"votes{suffix}"
    path.write_bytes(raw)
    with reporting(suffix=suffix, raw=raw):
        check_vote_file(path)


@FUZZ
@given(file=vote_files())
def test_a_battle_file_of_any_bytes_gives_valid_rows_or_a_battle_file_error(tmp_path, file):
    suffix, raw = file
    path = tmp_path / f"battles{suffix}"
    path.write_bytes(raw)
    with reporting(suffix=suffix, raw=raw):
        check_battle_file(path)


@FUZZ
@given(raw=roster_files())
def test_a_roster_file_of_any_bytes_gives_a_roster_or_a_roster_error(tmp_path, raw):
    path = tmp_path / "roster.yaml"
    path.write_bytes(raw)
    with reporting(raw=raw):
        check_roster_file(path)


@FUZZ
@given(votes=valid_votes(), layout=st.sampled_from([".csv", ".json", ".jsonl", ".tsv"]))
def test_well_formed_files_with_any_model_names_read_back_unchanged(tmp_path, votes, layout):
    items = [{"model_a": a, "model_b": b, "winner": w} for a, b, w in votes]
    text = {
        ".csv": to_table(items, ","),
        ".tsv": to_table(items, "\t"),
        ".json": to_json_array(items, 2, ascii=False),
        ".jsonl": to_json_lines(items, ascii=False),
    }[layout]
    path = tmp_path / f"votes{layout}"
    path.write_text(text, encoding="utf-8", newline="")
    expected = [(a, b, str(Verdict(to_verdict(w)))) for a, b, w in votes]
    with reporting(votes=votes, layout=layout):
        read = read_battle_file(path)
        assert [(v.model_a, v.model_b, v.verdict) for v in read] == expected
        assert [(r.model_a, r.model_b, r.verdict) for r in read_vote_file(path)] == expected


def to_verdict(winner: str) -> str:
    return {"model_a": "a_better", "model_b": "b_better", "tie (bothbad)": "both_bad"}.get(
        winner, winner
    )


# -- regressions: one example per crash the fuzzing found --------------------------------------


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


ROW = b'{"model_a": "a", "model_b": "b", "winner": "tie"'
ENTRY = "model_list:\n  - model_name: m\n    litellm_params: {model: a/b%s}\n"


def test_a_cell_beyond_the_stdlib_csv_field_limit_is_read(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_bytes(b'model_a,model_b,winner\n"' + b"x" * 200_000 + b'",b,tie\n')
    assert read_vote_file(path) == [VoteRecord("x" * 200_000, "b", "tie")]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        pytest.param("votes.csv", b"model_a,model_b,winner\n\xff,b,tie\n", "line 2: not UTF-8 text",
                     id="bytes that are not UTF-8"),
        pytest.param("votes.json", b"[" * 100_000, "nested too deeply", id="deep nesting"),
        pytest.param("votes.json", b"[" + ROW + b', "x": ' + b"9" * 5000 + b"}]", "too many digits",
                     id="a 5000-digit number"),
        pytest.param("votes.jsonl", ROW.replace(b'"a"', b'"a\\ud800"') + b"}\n", "lone surrogate",
                     id="a lone surrogate in a name"),
        pytest.param("votes.json", b'[{"model_a": {"x": 1}, "model_b": "b", "winner": "tie"}]',
                     "model_a must be a string, not an object", id="an object as a model name"),
        pytest.param("votes.jsonl", ROW + b', "judge": [1]}\n', "judge must be a string, not a list",
                     id="a list as the judge"),
    ],
)  # fmt: skip
def test_vote_file_crashes_found_by_fuzzing_are_specific_errors(tmp_path, name, data, reason):
    with pytest.raises(VoteFileError, match=reason):
        read_vote_file(write(tmp_path, name, data))


def test_a_vote_file_line_separator_inside_a_name_stays_in_the_name(tmp_path):
    # (a carriage return or a line feed in one makes the row bad: tests/test_cli.py)
    rows = [{"model_a": "a\u2028b", "model_b": "c\x85d", "winner": "tie"}]
    for name, text in [
        ("v.jsonl", to_json_lines(rows, ascii=False)),
        ("v.csv", to_table(rows, ",")),
    ]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8", newline="")
        assert read_vote_file(path) == [VoteRecord("a\u2028b", "c\x85d", "tie")]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b"[" * 100_000, "nested too deeply", id="deep nesting"),
        pytest.param(b"[" + ROW + b', "x": ' + b"9" * 5000 + b"}]", "too many digits",
                     id="a 5000-digit number"),
        pytest.param(b"[" + ROW + b', "tstamp": 1' + b"0" * 400 + b"}]",
                     "tstamp must be unix seconds", id="a tstamp beyond any float"),
        pytest.param(b"[" + ROW + b', "tstamp": "0001-01-01T00:00:00+01:00"}]',
                     "in the years 1 to 9999", id="an ISO tstamp before year 1 in UTC"),
        pytest.param(b"[" + ROW + b', "tstamp": 1e300}]', "in the years 1 to 9999",
                     id="a tstamp beyond year 9999"),
        pytest.param(b"[" + ROW + b', "turn": 1e300}]', "turn must be at most",
                     id="a turn beyond an SQLite integer"),
        pytest.param(b"[" + ROW.replace(b'"a"', b'"a\\ud800"') + b"}]",
                     "model_a is not valid Unicode", id="a lone surrogate in a name"),
        pytest.param(b"[" + ROW + b', "question_id": "q\\udfff"}]',
                     "question_id is not valid Unicode", id="a lone surrogate in the id"),
        pytest.param(b"[" + ROW + b', "conversation_a": [{"role": "user", "content": "\\ud800"}]}]',
                     r"conversation_a\[0\] content is not valid Unicode",
                     id="a lone surrogate in a message"),
        pytest.param(b"[" + ROW + b', "conversation_a": [{"role": ["user"]}]}]',
                     r"has role \['user'\]", id="a list as a role"),
    ],
)  # fmt: skip
def test_battle_file_crashes_found_by_fuzzing_are_specific_errors(tmp_path, data, reason):
    with pytest.raises(BattleFileError, match=reason):
        read_battle_file(write(tmp_path, "battles.json", data))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param(b"model_list: \xff\n", r"line 1: not UTF-8 text", id="not UTF-8"),
        pytest.param(b"model_list: " + b"[" * 1000, r"nested too deeply", id="deep nesting"),
        pytest.param(b"model_list:\n  - {model_name: m, created: 2024-13-45}\n",
                     r"not readable YAML: month must be in 1..12", id="an impossible date"),
        pytest.param((ENTRY % "" + "    weight: 1" + "0" * 400).encode(),
                     r"'weight' must be a positive", id="a weight beyond any float"),
        pytest.param((ENTRY % "").replace("m\n", '"m\\ud800"\n').encode(),
                     r"'model_name' .* not valid", id="a lone surrogate in the name"),
        pytest.param((ENTRY % ', api_key: "\\udfff"').encode(),
                     r"api_key is not valid Unicode text", id="a lone surrogate in a param"),
        pytest.param((ENTRY % ", 1: x").encode(), r"key 1 is not a string",
                     id="a number as a param name"),
        pytest.param((ENTRY % ", l: &l [1, *l]").encode(), r"l\[1\] contains itself",
                     id="a list that contains itself"),
    ],
)  # fmt: skip
def test_roster_crashes_found_by_fuzzing_are_roster_errors(tmp_path, text, reason):
    with pytest.raises(RosterError, match=reason):
        load_roster(write(tmp_path, "roster.yaml", text))


def test_a_roster_entry_with_an_unhashable_mode_is_still_a_chat_model(tmp_path):
    text = (ENTRY % "").replace("a/b", "openai/b")  # a model litellm can route
    path = write(tmp_path, "roster.yaml", (text + "    model_info: {mode: [1]}\n").encode())
    assert load_roster(path).names == ("m",)
