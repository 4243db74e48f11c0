import pytest

import ratings
from ratings.outcomes import (
    SCORE_A,
    UnknownVerdict,
    from_fastchat_winner,
    swap_verdict,
    to_verdict_code,
    to_verdict_codes,
)


def test_verdicts_are_the_four_words_in_order():
    assert ratings.VERDICTS == ("a_better", "b_better", "tie", "both_bad")


def test_fastchat_winner_spelling_maps_onto_our_verdicts():
    assert [from_fastchat_winner(w) for w in ("model_a", "model_b", "tie", "tie (bothbad)")] == [
        "a_better",
        "b_better",
        "tie",
        "both_bad",
    ]


def test_an_unknown_fastchat_winner_raises_rather_than_becoming_a_tie():
    with pytest.raises(UnknownVerdict, match="tie \\(bothbad\\)"):
        from_fastchat_winner("bothbad")


@pytest.mark.parametrize("word", ["A", "draw", "", None, "model_a"])
def test_an_unknown_verdict_raises_a_value_error_naming_the_valid_words(word):
    with pytest.raises(UnknownVerdict, match="a_better, b_better, tie, both_bad") as raised:
        to_verdict_code(word)
    assert isinstance(raised.value, ValueError)


def test_codes_index_into_the_verdict_tuple():
    codes = to_verdict_codes(["tie", "a_better", "both_bad", "b_better"])
    assert [ratings.VERDICTS[c] for c in codes] == ["tie", "a_better", "both_bad", "b_better"]


def test_ties_and_both_bad_are_half_a_win_for_side_a():
    assert list(SCORE_A) == [1.0, 0.0, 0.5, 0.5]


def test_swapping_sides_exchanges_only_the_decisive_verdicts():
    assert [swap_verdict(v) for v in ratings.VERDICTS] == [
        "b_better",
        "a_better",
        "tie",
        "both_bad",
    ]
