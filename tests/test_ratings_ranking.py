import numpy as np

from ratings.ranking import rank_lower_bound, rank_upper_bound


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


def test_the_worst_rank_is_the_number_of_models_not_surely_below():
    lower = np.array([1100.0, 1080.0, 1050.0, 990.0, 900.0])
    upper = np.array([1150.0, 1120.0, 1095.0, 1060.0, 1000.0])
    # a: b, c, d reach above 1100? upper 1120, 1095, 1060: only b; e's 1000 is below: 2.
    # b: a, c (1095 ≥ 1080) can be above, d's 1060 and e's 1000 cannot: 3.
    # c: a, b, d (1060 ≥ 1050): 4. d: a, b, c, e (1000 ≥ 990): 5. e: everyone: 5.
    assert rank_lower_bound(lower, upper).tolist() == [2, 3, 4, 5, 5]
    # every model's range holds its rank (UB) and its place by rating
    assert all(rank_upper_bound(lower, upper) <= rank_lower_bound(lower, upper))


def test_touching_intervals_leave_both_models_both_places():
    assert rank_lower_bound(np.array([10.0, 5.0]), np.array([12.0, 10.0])).tolist() == [2, 2]


def test_tiers_split_only_where_adjacent_models_are_separated_with_family_wise_confidence():
    from ratings.ranking import tiers

    # se 10 each (half-width 19.6): adjacent gaps of 100 separate, gaps of 20 do not
    ratings = np.array([1300.0, 1280.0, 1180.0, 1160.0, 1140.0])
    lower, upper = ratings - 19.6, ratings + 19.6
    assert tiers(ratings, lower, upper).tolist() == [1, 1, 2, 2, 2]
    # the bar is family-wise: a gap that one test at 95% would separate (z 2.0 > 1.64) is not
    # enough for four tests at once (Bonferroni: z > 2.24 needed)
    gap = 2.0 * 10 * np.sqrt(2)
    close = np.array([1000.0, 1000.0 - gap, 1000.0 - gap - 200, 800 - gap - 200, 600 - gap - 200])
    assert tiers(close, close - 19.6, close + 19.6).tolist() == [1, 1, 2, 3, 4]
    assert tiers(np.array([]), np.array([]), np.array([])).tolist() == []
