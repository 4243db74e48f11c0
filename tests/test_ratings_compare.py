import numpy as np

from ratings import TrueSkillReplay, find_disagreements, fit_bradley_terry, matches_from_records


def board_with_a_clear_order():
    records = [("top", "mid", "a_better")] * 60 + [("mid", "top", "a_better")] * 20
    records += [("mid", "low", "a_better")] * 60 + [("low", "mid", "a_better")] * 20
    records += [("top", "low", "a_better")] * 30 + [("low", "top", "a_better")] * 5
    return fit_bradley_terry(matches_from_records(records), ci="sandwich")


def skills(mu, sigma):
    n = len(mu)
    zeros = np.zeros(n, dtype=int)
    return TrueSkillReplay(
        ("low", "mid", "top"), np.array(mu), np.array(sigma), zeros, zeros, zeros, zeros, 0
    )


def test_confident_opposite_orders_are_reported():
    board = board_with_a_clear_order()
    found = find_disagreements(board, skills([20.0, 35.0, 25.0], [1.0, 1.0, 1.0]))
    assert [(d.bt_winner, d.trueskill_winner) for d in found] == [("top", "mid")]
    assert found[0].bt_z > 1.96 and found[0].trueskill_z > 1.96


def test_opposite_orders_within_trueskill_uncertainty_are_not_reported():
    board = board_with_a_clear_order()
    assert find_disagreements(board, skills([20.0, 26.0, 25.0], [1.0, 3.0, 3.0])) == ()


def test_agreeing_orders_are_not_reported():
    board = board_with_a_clear_order()
    assert find_disagreements(board, skills([10.0, 20.0, 30.0], [1.0, 1.0, 1.0])) == ()
