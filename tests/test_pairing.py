import random
from collections import Counter

import pytest

from arena.domain.pairing import Candidate, NotEnoughModels, Pairing
from ratings.trueskill_ratings import Skill

MODELS = [Candidate("a"), Candidate("b"), Candidate("c", weight=2.0)]


def test_uniform_gives_every_pair_the_same_probability():
    probs = Pairing("uniform", floor=0.0, rng=random.Random(1)).probabilities(MODELS, {})
    assert probs == pytest.approx(dict.fromkeys(probs, 1 / 3))


def test_weighted_follows_the_product_of_sampling_weights():
    probs = Pairing("weighted", floor=0.0, rng=random.Random(1)).probabilities(MODELS, {})
    assert probs[("a", "b")] == pytest.approx(1 / 5)
    assert probs[("a", "c")] == pytest.approx(2 / 5)


def test_uncertainty_prefers_uncertain_pairs_but_keeps_every_pair_possible():
    skills = {"a": Skill(25, 1), "b": Skill(25, 1), "c": Skill(25, 8)}
    probs = Pairing("uncertainty", floor=0.3, rng=random.Random(1)).probabilities(MODELS, skills)
    assert sum(probs.values()) == pytest.approx(1.0)
    assert probs[("a", "c")] > probs[("a", "b")]
    assert min(probs.values()) >= 0.3 / 3 - 1e-12


def test_choices_follow_the_probabilities_and_sides_are_a_fair_coin():
    pairing = Pairing("weighted", floor=0.0, rng=random.Random(5))
    draws = [pairing.choose(MODELS, {}) for _ in range(6000)]
    pairs = Counter(frozenset((d.model_a, d.model_b)) for d in draws)
    assert pairs[frozenset("ac")] / 6000 == pytest.approx(0.4, abs=0.03)
    a_first = sum(1 for d in draws if d.model_a == "a") / sum(
        1 for d in draws if "a" in (d.model_a, d.model_b)
    )
    assert a_first == pytest.approx(0.5, abs=0.04)
    assert all(d.model_a != d.model_b for d in draws)


def test_the_chosen_pair_carries_its_probability():
    choice = Pairing("weighted", floor=0.0, rng=random.Random(2)).choose(MODELS, {})
    expected = {frozenset("ab"): 0.2, frozenset("ac"): 0.4, frozenset("bc"): 0.4}
    assert choice.probability == pytest.approx(
        expected[frozenset((choice.model_a, choice.model_b))]
    )


def test_one_model_is_not_enough():
    with pytest.raises(NotEnoughModels):
        Pairing("uniform", floor=0.0, rng=random.Random(1)).choose([Candidate("a")], {})
