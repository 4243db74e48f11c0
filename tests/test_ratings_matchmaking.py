import numpy as np
import pytest

from ratings import Skill, TrueSkillParams, match_quality, pair_probabilities
from ratings.matchmaking import information_gain

SKILLS = [Skill(25, 8.3), Skill(30, 1.0), Skill(29, 1.2), Skill(10, 1.0), Skill(24, 5.0)]


@pytest.mark.parametrize("policy", ["uniform", "weighted", "uncertainty"])
def test_pair_probabilities_cover_every_unordered_pair_and_sum_to_one(policy):
    probs = pair_probabilities(SKILLS, policy, floor=0.1, weights=[1, 2, 3, 4, 5])
    assert len(probs.probability) == 10
    assert set(zip(probs.first.tolist(), probs.second.tolist(), strict=True)) == {
        (i, j) for i in range(5) for j in range(i + 1, 5)
    }
    assert probs.probability.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("floor", [0.0, 0.05, 0.3, 1.0])
def test_every_pair_keeps_at_least_its_floor_share(floor):
    probs = pair_probabilities(SKILLS, "uncertainty", floor=floor)
    assert probs.probability.min() >= floor / 10 - 1e-15
    if floor == 1.0:
        np.testing.assert_allclose(probs.probability, 0.1)


def test_uncertainty_prefers_pairs_that_teach_the_most():
    probs = pair_probabilities(SKILLS, "uncertainty", floor=0.0)
    pairs = list(zip(probs.first.tolist(), probs.second.tolist(), strict=True))
    assert 0 in pairs[int(np.argmax(probs.probability))]  # the model with the widest belief
    assert probs.probability[pairs.index((1, 3))] < 0.02  # settled and far apart


def test_weighted_policy_is_proportional_to_the_product_of_weights():
    probs = pair_probabilities(SKILLS, "weighted", floor=0.0, weights=[1, 1, 1, 1, 2])
    by_pair = dict(
        zip(
            zip(probs.first.tolist(), probs.second.tolist(), strict=True),
            probs.probability,
            strict=True,
        )
    )
    assert by_pair[(0, 4)] == pytest.approx(2 * by_pair[(0, 1)])


def test_unknown_policy_and_missing_weights_are_rejected():
    with pytest.raises(ValueError, match="policy"):
        pair_probabilities(SKILLS, "random")
    with pytest.raises(ValueError, match="weight"):
        pair_probabilities(SKILLS, "weighted")


def test_match_quality_is_trueskills_own():
    params = TrueSkillParams(draw_probability=0.1)
    assert match_quality(params, Skill(25, 25 / 3), Skill(25, 25 / 3)) == pytest.approx(
        0.447, abs=1e-3
    )
    env = params.environment()
    expected = env.quality_1vs1(env.create_rating(30, 2), env.create_rating(20, 4))
    assert match_quality(params, Skill(30, 2), Skill(20, 4)) == pytest.approx(expected)


def test_information_gain_shrinks_as_beliefs_settle():
    params = TrueSkillParams()
    wide = information_gain(params, 25, 8, 25, 8)
    narrow = information_gain(params, 25, 1, 25, 1)
    assert wide > narrow > 0


def test_the_sample_helper_draws_a_listed_pair():
    probs = pair_probabilities(SKILLS, "uniform")
    i, j = probs.sample(np.random.default_rng(0))
    assert 0 <= i < j < 5
