import numpy as np

from ratings.ranking import rank_upper_bound


def test_rank_is_one_plus_the_models_whose_lower_bound_beats_my_upper_bound():
    #            a       b       c       d      e
    lower = np.array([1100.0, 1080.0, 1050.0, 990.0, 900.0])
    upper = np.array([1150.0, 1120.0, 1095.0, 1060.0, 1000.0])
    # a: nobody above. b: a's lower 1100 is below b's upper 1120, so still 1.
    # c: a's 1100 > 1095, so 2. d: a's 1100 and b's 1080 > 1060, so 3.
    # e: a, b and c (1050) are above 1000, d's 990 is not, so 4.
    assert rank_upper_bound(lower, upper).tolist() == [1, 1, 2, 3, 4]


def test_touching_intervals_do_not_separate_models():
    assert rank_upper_bound(np.array([10.0, 5.0]), np.array([12.0, 10.0])).tolist() == [1, 1]
