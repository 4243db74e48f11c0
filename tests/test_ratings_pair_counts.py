import numpy as np

from ratings import matches_from_records
from ratings.pair_counts import cell_of_rows, count_pairs, restrict_to_active


def test_votes_collapse_into_unordered_pair_cells_whatever_the_side():
    matches = matches_from_records(
        [
            ("a", "b", "a_better"),
            ("b", "a", "b_better"),  # a won again, from side B
            ("b", "a", "a_better"),  # b won
            ("a", "b", "tie"),
            ("b", "a", "both_bad"),
            ("c", "b", "a_better"),
        ]
    )
    pairs = count_pairs(matches)
    assert pairs.first.tolist() == [0, 1]
    assert pairs.second.tolist() == [1, 2]
    assert pairs.cells.tolist() == [[2, 1, 2], [0, 1, 0]]
    assert pairs.scores.tolist() == [3.0, 0.0]
    assert pairs.votes_per_model().tolist() == [5, 6, 1]


def test_grouped_rows_count_as_many_votes_and_masks_filter_rows():
    from ratings import matches_from_arrays

    matches = matches_from_arrays(["a", "b"], [0, 0, 1], [1, 1, 0], [0, 2, 0], count=[4, 3, 2])
    assert count_pairs(matches).cells.tolist() == [[4, 2, 3]]
    assert count_pairs(matches, np.array([True, False, True])).cells.tolist() == [[4, 2, 0]]


def test_each_row_knows_its_cell_and_models_without_votes_drop_out():
    matches = matches_from_records(
        [("a", "c", "b_better"), ("c", "a", "tie")], models=["a", "b", "c"]
    )
    pairs = count_pairs(matches)
    assert cell_of_rows(matches, pairs).tolist() == [1, 2]
    compact, active = restrict_to_active(pairs)
    assert active.tolist() == [0, 2]
    assert (compact.first.tolist(), compact.second.tolist()) == ([0], [1])
