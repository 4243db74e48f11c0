"""The text columns that cross the snapshot port without a Python object per vote (arena/ports.py):
Lines (UTF-8 values end to end), Coded (codes into distinct values), PaddedLines (a table of
byte strings joined by numpy). What they give must equal what Python's own str operations do."""

import numpy as np
import pytest

from arena.ports import Coded, Lines, PaddedLines

VALUES = ["b1", "", "héllo", "東京", "b1", "a-much-longer-battle-id", "z"]


def joined(values) -> bytes:
    return "".join(v + "\n" for v in values).encode("utf-8")


def test_lines_hold_each_value_and_give_the_bytes_the_hash_takes():
    lines = Lines.of(VALUES)
    assert list(lines) == VALUES and lines[-1] == "z"
    assert lines.tobytes() == joined(VALUES)
    assert list(lines[2:5]) == VALUES[2:5] and lines[2:5].tobytes() == joined(VALUES[2:5])
    assert list(lines[5:2]) == [] and list(lines[::3]) == VALUES[::3]


def test_a_value_with_a_line_break_is_refused():
    with pytest.raises(ValueError, match="line break"):
        Lines.of(["a", "b\nc"])
    with pytest.raises(ValueError, match="line break"):
        Coded.of(["a", "b\nc"]).joined()


@pytest.mark.parametrize("chunk", [1, 2, 3, 1 << 18])
def test_take_gathers_any_order_with_repeats_across_chunks(chunk):
    lines = Lines.of(VALUES)
    order = np.array([6, 0, 0, 3, 5, 1, 2, 4, 3])
    taken = lines.take(order, chunk=chunk)
    assert list(taken) == [VALUES[i] for i in order]
    assert taken.tobytes() == joined(VALUES[i] for i in order)


def test_take_of_one_width_values_keeps_them_whole():
    ids = [f"id-{k:04d}" for k in range(50)]
    order = np.random.default_rng(1).permutation(50)
    assert list(Lines.of(ids).take(order)) == [ids[i] for i in order]


def test_fixed_width_values_compare_as_python_compares_the_text():
    values = ["b", "ab", "a", "abc", "é", "z", "東", "a\u00ff", "a\u0100"]
    lines = Lines.of(values)
    fixed = lines.fixed(np.arange(len(values)))
    assert [values[i] for i in np.argsort(fixed, kind="stable")] == sorted(values)
    ordered = Lines.of(sorted(values))
    assert ordered.in_order(np.arange(len(values) - 1))
    assert not lines.in_order(np.arange(len(values) - 1))
    assert lines.in_order(np.array([], dtype=np.int64))


def test_coded_joins_as_the_values_would():
    coded = Coded.of(VALUES)
    assert coded.values == ("b1", "", "héllo", "東京", "a-much-longer-battle-id", "z")
    assert list(coded) == VALUES and coded.joined() == joined(VALUES)
    assert list(coded[1:3]) == VALUES[1:3]


def test_padded_lines_join_with_numpy_and_fall_back_to_python_for_long_strings():
    short = [b"a\n", b"\n", b"xyz\n"]
    table = PaddedLines(short)
    codes = np.array([2, 0, 1, 2, 0])
    assert table.joined(codes) == b"".join(short[i] for i in codes)
    table.extend([b"wider one\n"])  # the table grows wider
    assert table.joined(np.array([3, 1, 0])) == b"wider one\n\na\n"
    same = PaddedLines([b"aa\n", b"bb\n"])  # one width: no mask needed
    assert same.joined(np.array([1, 1, 0])) == b"bb\nbb\naa\n"
    long = PaddedLines([b"x" * 100 + b"\n", b"y\n"])  # wider than the table allows
    assert long.joined(np.array([1, 0, 1])) == b"y\n" + b"x" * 100 + b"\ny\n"
