import pytest

from arena.domain.categories import categorize, detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("请解释一下量子纠缠", "zh"),
        ("请解释一下 Python 的 GIL 是什么", "zh"),
        ("What is the capital of France?", "en"),
        ("Hola, ¿cómo estás? Qué tal el día", "other"),
        ("Привет, как дела?", "other"),
        ("12345", "other"),
    ],
)
def test_language_is_detected_from_the_prompt(text, language):
    assert detect_language(text) == language


def test_code_is_detected_in_fenced_blocks_and_code_like_prompts():
    assert categorize(["Fix this:\n```\nprint(1\n```"]).is_coding
    assert categorize(["def f(x):\n    return x"]).is_coding
    assert categorize(["用 Python 写一个快速排序"]).is_coding
    assert categorize(["写一个冒泡排序"]).is_coding
    assert categorize(["Write a sorting algorithm in any language"]).is_coding
    assert not categorize(["Tell me a joke about cats"]).is_coding


def test_long_queries_count_words_in_english_and_characters_in_chinese():
    assert categorize(["word " * 120]).is_long_query
    assert not categorize(["word " * 50]).is_long_query
    assert categorize(["长" * 600]).is_long_query
    assert not categorize(["长" * 100]).is_long_query


def test_multi_turn_means_more_than_one_prompt():
    assert categorize(["a", "b"]).is_multi_turn
    assert not categorize(["a"]).is_multi_turn
