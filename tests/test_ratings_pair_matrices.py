import numpy as np
import pytest

from ratings import fit_bradley_terry, matches_from_records, pair_matrices


def test_matrices_count_battles_win_rates_and_expected_wins():
    records = [("a", "b", "a_better")] * 3 + [("b", "a", "tie"), ("b", "c", "a_better")]
    records += [("c", "b", "both_bad"), ("a", "c", "b_better"), ("c", "a", "b_better")]
    board = fit_bradley_terry(matches_from_records(records), ci="sandwich")
    mats = pair_matrices(board)
    i = {m: k for k, m in enumerate(mats.models)}
    assert mats.battles[i["a"], i["b"]] == 4 == mats.battles[i["b"], i["a"]]
    assert mats.win_rate[i["a"], i["b"]] == pytest.approx(3.5 / 4)
    assert mats.win_rate[i["b"], i["a"]] == pytest.approx(0.5 / 4)
    assert mats.win_rate[i["c"], i["b"]] == pytest.approx(0.5 / 2)
    np.testing.assert_allclose(mats.expected + mats.expected.T, 1.0 + np.diag([np.nan] * 3))
    assert mats.average_win_rate[i[board.rows[0].model]] == np.nanmax(mats.average_win_rate)
    assert np.isnan(mats.win_rate[i["a"], i["a"]])
