"""Near-duplicate prompts: normalisation, shingles, the MinHash/LSH index and the two policies."""

import random
import time

import pytest

from arena.integrity.duplicates import (
    DuplicateIndex,
    duplicate_decision,
    frequency_cap,
    jaccard,
    normalise_prompt,
    prompt_weight,
    shingles,
)


def test_normalisation_folds_width_case_punctuation_and_spaces():
    assert normalise_prompt("  Ｈｅｌｌｏ，  WORLD!!\n\t你好？ ") == "hello world 你好"
    assert normalise_prompt("Straße") == "strasse"
    assert normalise_prompt("...!!!") == ""


@pytest.mark.parametrize("invisible", ["\u200b", "\u00ad", "\u2060", "\ufeff", "\u200d",
                                       "\u200e", "\u202e", "\U000e0041"])  # fmt: skip
def test_invisible_characters_are_dropped_so_a_prompt_threaded_with_them_is_the_same_prompt(
    invisible,
):
    """They were spaces: a prompt with one between each letter looked the same to the voter
    and scored 0.11 against itself, and counted again past the duplicate gate."""
    prompt = "Write a haiku about autumn rain"
    assert normalise_prompt(invisible.join(prompt)) == normalise_prompt(prompt)
    assert jaccard(shingles(invisible.join(prompt)), shingles(prompt)) == 1.0


def test_every_format_character_of_this_pythons_unicode_is_invisible_to_the_readers():
    import sys
    import unicodedata

    from arena.integrity.disclosure_names import FORMAT_CHARACTERS

    every = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    assert set(FORMAT_CHARACTERS) == every, "update FORMAT_CHARACTERS to this Unicode version"


def test_shingles_are_character_trigrams_and_work_for_chinese():
    assert shingles("你好吗朋友") == {"你好吗", "好吗朋", "吗朋友"}
    assert shingles("Hi") == {"hi"}
    assert shingles("?!") == frozenset()


def test_jaccard_of_identical_disjoint_and_empty_sets():
    assert jaccard({"a", "b"}, {"a", "b"}) == 1.0
    assert jaccard({"a"}, {"b"}) == 0.0
    assert jaccard(set(), set()) == 1.0
    assert jaccard({"a", "b", "c"}, {"b", "c", "d"}) == 0.5


STORED = [
    ("p1", "请帮我写一篇关于春天的作文，要求800字左右，语言优美。", "alice", 100.0),
    ("p2", "Explain the difference between TCP and UDP with examples.", "bob", 200.0),
    ("p3", "如何用Python读取Excel文件并计算每一列的平均值？", "carol", 300.0),
    ("p4", "Write a limerick about a cat who loves lasagna.", "alice", 400.0),
]


@pytest.mark.parametrize(
    "edited, original",
    [
        ("请帮我写一篇关于春天的作文，要求600字左右，语言优美！", "p1"),
        ("请帮我写一篇关于春天的作文,要求800字左右 语言优美", "p1"),
        ("帮我写一篇关于春天的作文，要求800字左右，语言要优美。", "p1"),
        ("如何用python读取excel文件，并计算每一列的平均值", "p3"),
        ("explain the difference between tcp and udp, with examples", "p2"),
    ],
)
def test_near_duplicates_with_small_edits_are_matched(edited, original):
    found = DuplicateIndex(STORED).matches(edited)
    assert [m.prompt_id for m in found] == [original]
    assert 0.6 <= found[0].similarity <= 1.0


def test_different_prompts_on_the_same_topic_are_not_matched():
    index = DuplicateIndex(STORED)
    assert index.matches("请帮我写一首关于秋天的诗，描写落叶。") == []
    assert index.matches("What is the difference between HTTP and HTTPS?") == []


def test_an_exact_repeat_has_similarity_one():
    (match,) = DuplicateIndex(STORED).matches(STORED[1][1])
    assert (match.prompt_id, match.voter_id, match.timestamp, match.similarity) == (
        "p2",
        "bob",
        200.0,
        1.0,
    )


def test_since_drops_older_prompts_and_voter_id_keeps_one_voters_prompts():
    index = DuplicateIndex(STORED)
    index.add("p5", "Write a limerick about a cat who loves lasagna!", "bob", 500.0)
    text = "write a limerick about a cat who loves lasagna"
    assert [m.prompt_id for m in index.matches(text)] == ["p4", "p5"]
    assert [m.prompt_id for m in index.matches(text, since=450.0)] == ["p5"]
    assert [m.prompt_id for m in index.matches(text, voter_id="alice")] == ["p4"]


def test_the_threshold_is_inclusive_and_a_higher_one_drops_looser_matches():
    index = DuplicateIndex(STORED)
    edited = "帮我写一篇关于春天的作文，要求800字左右，语言要优美。"
    (match,) = index.matches(edited, threshold=0.0)
    assert index.matches(edited, threshold=match.similarity) == [match]
    assert index.matches(edited, threshold=match.similarity + 1e-9) == []


def random_prompt(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return "".join(chr(0x4E00 + rng.randrange(2500)) for _ in range(rng.randint(12, 50)))
    words = ["the", "a", "how", "to", "write", "explain", "code", "why", "is", "my", "story"]
    return " ".join(
        rng.choice(words) if rng.random() < 0.4 else f"w{rng.randrange(3000)}"
        for _ in range(rng.randint(6, 30))
    )


def edit(text: str, rng: random.Random, edits: int) -> str:
    chars = list(text)
    for _ in range(edits):
        chars[rng.randrange(len(chars))] = rng.choice("xyz的了")
    return "".join(chars)


def test_lsh_finds_every_stored_prompt_that_a_brute_force_scan_finds_above_the_threshold():
    rng = random.Random(7)
    stored = [(str(i), random_prompt(rng), f"v{i}", float(i)) for i in range(1500)]
    index = DuplicateIndex(stored)
    sets = [shingles(text) for _, text, _, _ in stored]
    checked = 0
    for k in range(150):
        query = edit(stored[rng.randrange(len(stored))][1], rng, edits=1 + k % 4)
        q = shingles(query)
        expected = {stored[i][0] for i, s in enumerate(sets) if jaccard(q, s) >= 0.6}
        assert {m.prompt_id for m in index.matches(query, threshold=0.6)} == expected
        checked += len(expected)
    assert checked >= 100


def test_a_query_against_twenty_thousand_prompts_takes_milliseconds():
    rng = random.Random(3)
    stored = [(str(i), random_prompt(rng), "v", float(i)) for i in range(20_000)]
    started = time.perf_counter()
    index = DuplicateIndex(stored)
    built = time.perf_counter() - started
    queries = [edit(stored[rng.randrange(20_000)][1], rng, 1) for _ in range(100)]
    started = time.perf_counter()
    assert sum(bool(index.matches(q)) for q in queries) >= 95
    per_query = (time.perf_counter() - started) / len(queries)
    assert built < 10.0  # about 75 µs per prompt on the reference machine (docs/integrity.md)
    assert per_query < 0.05  # about 2 ms at 100k prompts


def test_empty_prompts_only_match_empty_prompts():
    index = DuplicateIndex([("e", "!!!", "v", 0.0), *STORED])
    assert [m.prompt_id for m in index.matches("？？")] == ["e"]


def test_only_the_first_max_counted_repeats_count():
    assert [duplicate_decision(k, max_counted=2) for k in range(4)] == [True, True, False, False]
    assert duplicate_decision(0, max_counted=0) is False


def test_prompt_weight_caps_the_total_weight_of_a_frequent_prompt():
    assert prompt_weight(1) == 1.0
    assert prompt_weight(20, cap=20) == 1.0
    assert prompt_weight(80, cap=20) == 0.25
    for k in (21, 100, 5000):
        assert k * prompt_weight(k, cap=20) == pytest.approx(20.0)


def test_frequency_cap_is_the_high_percentile_of_prompt_counts():
    counts = [1] * 9990 + [2] * 8 + [50, 400]
    assert frequency_cap(counts, percentile=0.9995) == pytest.approx(2.0, abs=0.01)
    assert frequency_cap(counts, percentile=1.0) == 400.0
    assert frequency_cap([]) == 20.0


def test_cyrillic_look_alikes_in_a_latin_prompt_are_the_same_prompt_but_russian_stays_russian():
    """A Cyrillic о or е in a repeated English prompt looks the same to every reader and made it
    another prompt to the duplicate index."""
    prompt = "Write a haiku about autumn rain"
    disguised = prompt.replace("o", "\u043e").replace("e", "\u0435")  # Cyrillic о, е
    assert disguised != prompt
    assert normalise_prompt(disguised) == normalise_prompt(prompt)
    assert normalise_prompt("Напиши хайку про осенний дождь") == "напиши хайку про осенний дождь"
