import numpy as np

from ratings import fit_style_control, matches_from_arrays, style_features
from ratings.bradley_terry import SCALE
from ratings.style_control import style_covariates


def test_english_length_counts_words_and_markdown_elements():
    text = "# Title\n\nSome **bold** text and __more__.\n\n- one\n- two\n1. three\n```\n# not a header\n- nor a list\n```\n"
    f = style_features(text)
    assert (f.headers, f.list_items, f.bold) == (1, 3, 2)
    assert f.length == len(text.split())


def test_chinese_length_counts_characters_not_words():
    f = style_features("你好，世界！这是一个测试。")
    assert f.length == 13
    mixed = style_features("这是中文回答，其中有 code 一词。")
    assert mixed.length == len("这是中文回答，其中有code一词。")


def test_a_few_chinese_words_in_english_text_still_count_words():
    assert style_features("The word 你好 means hello in Chinese").length == 7


def test_empty_text_measures_nothing():
    assert style_features("").as_tuple() == (0, 0, 0, 0)


def test_style_control_recovers_a_planted_length_effect():
    rng = np.random.default_rng(1)
    n, m = 60_000, 8
    theta = rng.normal(0, 0.5, m)
    theta -= theta.mean()
    verbosity = np.linspace(-0.8, 0.8, m)  # some models write much longer answers
    a = rng.integers(0, m, n)
    b = (a + rng.integers(1, m, n)) % m
    length_a = np.exp(5 + verbosity[a] + rng.normal(0, 0.4, n)).round()
    length_b = np.exp(5 + verbosity[b] + rng.normal(0, 0.4, n)).round()
    other = rng.poisson(2, (n, 3))
    features_a = np.column_stack([length_a, other])
    features_b = np.column_stack([length_b, rng.poisson(2, (n, 3))])
    x, _, _ = style_covariates(features_a, features_b)
    planted = np.array([0.5, 0.0, 0.0, 0.0])
    p = 1 / (1 + np.exp(-(theta[a] - theta[b] + x @ planted)))
    verdict = np.where(rng.random(n) < p, 0, 1)
    matches = matches_from_arrays([f"m{i}" for i in range(m)], a, b, verdict)
    result = fit_style_control(matches, features_a, features_b)
    assert abs(result.coefficients[0] - 0.5) < 4 * result.coefficient_se[0]
    assert np.abs(result.coefficients[1:]).max() < 0.05
    controlled = (result.ratings - 1000) / SCALE
    raw = (result.raw_ratings - 1000) / SCALE
    assert np.abs(controlled - theta).max() < 0.06
    assert np.abs(raw - theta).max() > 3 * np.abs(controlled - theta).max()
    assert all(r.lower < r.rating < r.upper for r in result.rows)


def test_a_feature_that_never_varies_is_reported_as_zero_not_a_crash():
    import numpy as np

    from ratings import fit_style_control, matches_from_arrays

    rng = np.random.default_rng(4)
    n = 600
    a = rng.integers(0, 3, n)
    b = (a + rng.integers(1, 3, n)) % 3
    verdict = rng.choice(["a_better", "b_better", "tie"], n)
    matches = matches_from_arrays(("x", "y", "z"), a, b, verdict)
    features_a = np.column_stack([rng.integers(10, 300, n), np.zeros(n), np.zeros(n), np.zeros(n)])
    features_b = np.column_stack([rng.integers(10, 300, n), np.zeros(n), np.zeros(n), np.zeros(n)])
    result = fit_style_control(matches, features_a, features_b)
    assert list(result.coefficients[1:]) == [0.0, 0.0, 0.0]
    assert list(result.coefficient_se[1:]) == [0.0, 0.0, 0.0]
    assert result.coefficient_se[0] > 0
    assert np.all(np.isfinite(result.ratings))


def test_with_no_varying_feature_the_controlled_board_equals_the_raw_one():
    import numpy as np

    from ratings import fit_style_control, matches_from_arrays

    rng = np.random.default_rng(5)
    n = 400
    a = rng.integers(0, 3, n)
    b = (a + rng.integers(1, 3, n)) % 3
    matches = matches_from_arrays(("x", "y", "z"), a, b, rng.choice(["a_better", "tie"], n))
    same = np.full((n, 4), 7)
    result = fit_style_control(matches, same, same)
    assert not result.coefficients.any()
    assert np.allclose(result.ratings, result.raw_ratings, atol=1e-6)


def test_style_collinear_with_a_model_is_fitted_instead_of_failing():
    import numpy as np

    from ratings import fit_style_control, matches_from_arrays

    rng = np.random.default_rng(6)
    n = 500
    a = rng.integers(0, 3, n)
    b = (a + rng.integers(1, 3, n)) % 3
    matches = matches_from_arrays(("x", "y", "z"), a, b, rng.choice(["a_better", "b_better"], n))
    style_of_model = np.array([[40, 1, 2, 0], [5, 0, 0, 0], [2, 0, 0, 0]])  # x always uses headers
    result = fit_style_control(matches, style_of_model[a], style_of_model[b])
    assert np.all(np.isfinite(result.ratings)) and np.all(np.isfinite(result.coefficients))
    assert np.allclose(result.ratings.mean(), 1000.0)
