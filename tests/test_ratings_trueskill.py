import numpy as np
import pytest
import trueskill

from ratings import (
    VERDICTS,
    Skill,
    TrueSkillParams,
    UnknownVerdict,
    rate_vote,
    replay,
    replay_named,
    replay_records,
)

PACKAGE_DEFAULTS = TrueSkillParams(draw_probability=0.10)  # the settings of trueskill's docs


def test_a_win_between_new_players_matches_trueskills_published_example():
    # trueskill docs: rate_1vs1(Rating(), Rating()) -> mu 29.396 / 20.604, sigma 7.171 each
    a, b = rate_vote(
        PACKAGE_DEFAULTS, PACKAGE_DEFAULTS.initial(), PACKAGE_DEFAULTS.initial(), "a_better"
    )
    assert (round(a.mu, 3), round(a.sigma, 3)) == (29.396, 7.171)
    assert (round(b.mu, 3), round(b.sigma, 3)) == (20.604, 7.171)


def test_a_draw_between_new_players_matches_trueskills_published_example():
    # trueskill docs: rate_1vs1(Rating(), Rating(), drawn=True) -> mu 25.000, sigma 6.458
    for verdict in ("tie", "both_bad"):
        a, b = rate_vote(PACKAGE_DEFAULTS, Skill(25, 25 / 3), Skill(25, 25 / 3), verdict)
        assert (
            (round(a.mu, 3), round(a.sigma, 3))
            == (25.0, 6.458)
            == (round(b.mu, 3), round(b.sigma, 3))
        )


def test_b_better_is_the_mirror_image_of_a_better():
    params = TrueSkillParams()
    a, b = Skill(27.0, 5.0), Skill(22.0, 7.0)
    left = rate_vote(params, a, b, "b_better")
    right = rate_vote(params, b, a, "a_better")
    assert left == (right[1], right[0])


def test_rate_vote_rejects_an_unknown_verdict():
    with pytest.raises(UnknownVerdict):
        rate_vote(TrueSkillParams(), Skill(25, 8), Skill(25, 8), "model_a")


def test_conservative_skill_is_mu_minus_three_sigma():
    assert Skill(30.0, 2.0).conservative == 24.0


def random_history(n_votes, n_models, seed):
    rng = np.random.default_rng(seed)
    strength = rng.normal(0, 1, n_models)
    popularity = rng.lognormal(0, 1, n_models)
    popularity /= popularity.sum()
    a = rng.choice(n_models, n_votes, p=popularity)
    b = (a + 1 + rng.choice(n_models - 1, n_votes)) % n_models
    p = 1 / (1 + np.exp(strength[b] - strength[a]))
    tie = rng.random(n_votes) < 0.28
    verdict = np.where(tie, rng.choice([2, 3], n_votes), np.where(rng.random(n_votes) < p, 0, 1))
    return a, b, verdict


def package_loop(params, a, b, verdict, n_models):
    env = params.environment()
    skills = [env.create_rating() for _ in range(n_models)]
    for i, j, v in zip(a.tolist(), b.tolist(), verdict.tolist(), strict=True):
        if v == 0:
            skills[i], skills[j] = trueskill.rate_1vs1(skills[i], skills[j], env=env)
        elif v == 1:
            skills[j], skills[i] = trueskill.rate_1vs1(skills[j], skills[i], env=env)
        else:
            skills[i], skills[j] = trueskill.rate_1vs1(skills[i], skills[j], drawn=True, env=env)
    return np.array([s.mu for s in skills]), np.array([s.sigma for s in skills])


@pytest.mark.parametrize(
    "params", [TrueSkillParams(), TrueSkillParams(draw_probability=0.1, tau=0.5)]
)
def test_replay_equals_a_sequential_rate_1vs1_loop_within_1e_9(params):
    a, b, verdict = random_history(4_000, 12, seed=7)
    mu, sigma = package_loop(params, a, b, verdict, 12)
    result = replay(params, a, b, verdict, 12)
    assert np.abs(result.mu - mu).max() < 1e-9
    assert np.abs(result.sigma - sigma).max() < 1e-9
    assert result.clipped == 0


def test_replay_counts_votes_wins_ties_and_losses():
    result = replay_records(
        TrueSkillParams(),
        [("x", "y", "a_better"), ("y", "x", "a_better"), ("x", "z", "tie"), ("z", "y", "both_bad")],
    )
    assert result.models == ("x", "y", "z")
    assert result.votes.tolist() == [3, 3, 2]
    assert result.wins.tolist() == [1, 1, 0]
    assert result.losses.tolist() == [1, 1, 0]
    assert result.ties.tolist() == [1, 1, 2]


def test_replay_records_agrees_with_rate_vote_one_vote_at_a_time():
    params = TrueSkillParams()
    records = [
        ("x", "y", "a_better"),
        ("y", "z", "tie"),
        ("z", "x", "b_better"),
        ("x", "y", "both_bad"),
    ]
    skills = {m: params.initial() for m in "xyz"}
    for a, b, verdict in records:
        skills[a], skills[b] = rate_vote(params, skills[a], skills[b], verdict)
    result = replay_records(params, records)
    for model in "xyz":
        assert result.skill(model).mu == pytest.approx(skills[model].mu, abs=1e-9)
        assert result.skill(model).sigma == pytest.approx(skills[model].sigma, abs=1e-9)


def test_the_kernel_clips_and_counts_a_vote_the_package_refuses():
    from ratings.trueskill_kernel import replay_votes

    params = TrueSkillParams()
    env = params.environment()
    with pytest.raises(FloatingPointError):  # a 1,000-point upset between two certain models
        trueskill.rate_1vs1(env.create_rating(0, 0.01), env.create_rating(1000, 0.01), env=env)
    mu, sigma = np.array([1000.0, 0.0]), np.array([0.01, 0.01])
    one = np.ones(1, dtype=np.int32)
    clipped = replay_votes(one * 0, one, np.ones(1, dtype=np.int8), mu, sigma,
                           params.tau**2, 2 * params.beta**2, params.draw_margin())  # fmt: skip
    assert clipped == 1
    assert np.isfinite(mu).all() and np.isfinite(sigma).all()
    assert mu[1] > 0 > mu[0] - 1000  # the upset still moved both models


def test_replay_of_a_long_history_equals_the_package_loop_to_rounding():
    a, b, verdict = random_history(30_000, 40, seed=11)
    mu, sigma = package_loop(TrueSkillParams(), a, b, verdict, 40)
    result = replay(TrueSkillParams(), a, b, verdict, 40)
    assert np.abs(result.mu - mu).max() < 1e-11
    assert np.abs(result.sigma - sigma).max() < 1e-12


def test_the_closed_form_vote_update_equals_the_package_factor_graph():
    import random

    import trueskill

    from ratings.trueskill_ratings import Skill, TrueSkillParams, rate_vote

    params, rng = TrueSkillParams(), random.Random(4)
    env = params.environment()
    for _ in range(2000):
        a = Skill(rng.uniform(0, 50), rng.uniform(0.5, 9))
        b = Skill(rng.uniform(0, 50), rng.uniform(0.5, 9))
        verdict = rng.choice(["a_better", "b_better", "tie", "both_bad"])
        ra, rb = env.create_rating(a.mu, a.sigma), env.create_rating(b.mu, b.sigma)
        try:
            if verdict == "a_better":
                ra, rb = trueskill.rate_1vs1(ra, rb, env=env)
            elif verdict == "b_better":
                rb, ra = trueskill.rate_1vs1(rb, ra, env=env)
            else:
                ra, rb = trueskill.rate_1vs1(ra, rb, drawn=True, env=env)
        except FloatingPointError:
            continue
        new_a, new_b = rate_vote(params, a, b, verdict)
        for ours, theirs in ((new_a, ra), (new_b, rb)):
            assert abs(ours.mu - theirs.mu) < 1e-12 * max(1, abs(theirs.mu)), verdict
            assert abs(ours.sigma - theirs.sigma) < 1e-12 * max(1, theirs.sigma), verdict


def test_replay_records_streams_and_equals_a_replay_of_the_same_votes_as_arrays():
    a, b, verdict = random_history(5_000, 15, seed=21)
    names = [f"m{k:02d}" for k in range(15)][::-1]  # sorted order differs from index order
    records = ((names[i], names[j], VERDICTS[v]) for i, j, v in zip(a, b, verdict, strict=True))
    streamed = replay_records(TrueSkillParams(), records)
    assert list(streamed.models) == sorted(names)
    direct = replay(TrueSkillParams(), a, b, verdict, 15, names)
    for model in names:
        assert streamed.skill(model) == direct.skill(model)
    with pytest.raises(ValueError, match="model 'x' on both sides"):
        replay_records(TrueSkillParams(), [("x", "y", "tie"), ("x", "x", "tie")])


def test_replay_named_takes_any_small_ids_and_lists_the_models_that_vote_sorted_by_name():
    a, b, verdict = random_history(5_000, 15, seed=22)
    names = [f"m{k:02d}" for k in range(15)][::-1]
    ids = np.arange(15) * 3 + 7  # database ids: gaps, not starting at 0
    by_id = {int(i): names[k] for k, i in enumerate(ids)} | {100: "never voted"}
    named = replay_named(TrueSkillParams(), ids[a], ids[b], verdict, by_id)
    assert list(named.models) == sorted(names)
    direct = replay(TrueSkillParams(), a, b, verdict, 15, names)
    for model in names:
        assert named.skill(model) == direct.skill(model)
    with pytest.raises(ValueError, match="record 1 has model 'm14' on both sides"):
        replay_named(TrueSkillParams(), [7, 7], [10, 7], [0, 0], by_id)
    empty = replay_named(TrueSkillParams(), [], [], [], by_id)
    assert empty.models == () and len(empty.mu) == 0
