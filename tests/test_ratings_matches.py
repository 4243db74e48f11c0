from dataclasses import dataclass

import numpy as np
import pytest

from ratings import UnknownVerdict, matches_from_arrays, matches_from_records


@dataclass(frozen=True)
class Vote:
    model_a: str
    model_b: str
    verdict: str
    voter: str | None = None


def test_records_may_be_dicts_tuples_or_objects_and_models_are_sorted_by_name():
    matches = matches_from_records(
        [
            {"model_a": "zeta", "model_b": "alpha", "verdict": "a_better"},
            ("alpha", "mid", "tie"),
            Vote("mid", "zeta", "both_bad"),
        ]
    )
    assert matches.models == ("alpha", "mid", "zeta")
    assert matches.model_a.tolist() == [2, 0, 1]
    assert matches.model_b.tolist() == [0, 1, 2]
    assert matches.verdict.tolist() == [0, 2, 3]
    assert matches.count.tolist() == [1, 1, 1]
    assert matches.voter is None


def test_voters_are_numbered_in_order_of_first_appearance():
    matches = matches_from_records(
        [("a", "b", "tie", "v9"), ("a", "b", "tie", "v1"), ("b", "a", "tie", "v9")]
    )
    assert matches.voter.tolist() == [0, 1, 0]


def test_an_unknown_verdict_in_a_record_raises():
    with pytest.raises(UnknownVerdict):
        matches_from_records([("a", "b", "A is better")])


def test_a_model_on_both_sides_is_rejected():
    with pytest.raises(ValueError, match="both sides"):
        matches_from_records([("a", "a", "tie")])


def test_arrays_accept_verdict_words_and_counts_and_check_ranges():
    matches = matches_from_arrays(["x", "y"], [0, 1], [1, 0], ["tie", "b_better"], count=[5, 2])
    assert matches.verdict.tolist() == [2, 1]
    assert matches.n_votes == 7
    with pytest.raises(ValueError, match="outside"):
        matches_from_arrays(["x", "y"], [0], [2], [0])
    with pytest.raises(ValueError, match="at least 1"):
        matches_from_arrays(["x", "y"], [0], [1], [0], count=[0])
    with pytest.raises(UnknownVerdict):
        matches_from_arrays(["x", "y"], [0], [1], [7])


def test_select_keeps_the_model_list_and_the_masked_rows():
    matches = matches_from_records([("a", "b", "tie", "u"), ("b", "c", "a_better", "w")])
    picked = matches.select(np.array([False, True]))
    assert picked.models == ("a", "b", "c")
    assert picked.model_a.tolist() == [1]
    assert picked.voter.tolist() == [1]
