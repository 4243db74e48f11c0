"""The probe model: trained as its script says, on development cases only, and reading prompts
the way the rules do."""

import base64
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from arena.integrity import probe_weights
from arena.integrity.probe_model import THRESHOLD, THRESHOLD_UNCUED, features, probe_score
from arena.integrity.probes import find_probes, readable
from tests.test_integrity_identity_eval import (
    HELD_OUT,
    HELD_OUT_2,
    HELD_OUT_3,
    HELD_OUT_4,
    HELD_OUT_5,
    HELD_OUT_6,
    HELD_OUT_7,
    HELD_OUT_9,
    HELD_OUT_11,
    HELD_OUT_14,
    HELD_OUT_16,
    HELD_OUT_18,
)

SCRIPT = Path(__file__).parent / "data" / "train_probe_model.py"


@pytest.fixture(scope="module")
def training():
    spec = importlib.util.spec_from_file_location("train_probe_model", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def files(training):
    return training.development_files()


@pytest.fixture(scope="module")
def cases(files):
    return [c for group in files.values() for c in group]


def test_the_weights_were_trained_on_the_development_cases_as_they_are(training, cases):
    # a case added, changed or relabelled: train again (tests/data/train_probe_model.py)
    assert training.digest(cases) == probe_weights.TRAINED_ON


def test_training_again_gives_the_weights_the_module_holds(training, files, cases):
    labels = np.array([c["label"] for c in cases], dtype=float)
    x = training.matrix(cases)
    trained = training.train(x, labels, training.case_weights(files))
    assert_trained_again_as_held(training, x, trained, probe_weights, THRESHOLD)


def assert_trained_again_as_held(training, x, trained, held, threshold: float) -> None:
    """`trained` (a model trained again on the rows `x`) is the `held` module's weights up to
    where L-BFGS-B stops (a projected gradient under its tolerance): that point moves with the
    order the CPU's vector units add in, which numpy picks by CPU. On one machine three settings
    of numpy's CPU features gave the disclosure model biases of -0.5306, -0.5259 and -0.5260
    for its module's -0.5340, 491-748 of 65,536 weights one step apart and 35-53 of 14,570
    development cases decided the other way; twice the penalty gives 44% of the weights apart
    (up to 9 steps) and 6.7% of the cases."""
    bias, scale, weights = training.quantised(trained)
    weights_held = np.frombuffer(base64.b64decode(held.WEIGHTS), dtype=np.int8)
    assert held.BITS == training.BITS and len(weights_held) == 1 << training.BITS
    assert bias == pytest.approx(held.BIAS, abs=0.05)
    assert scale == pytest.approx(held.SCALE, rel=0.01)
    apart = np.abs(weights.astype(int) - weights_held.astype(int))
    assert apart.max() <= 1 and np.mean(apart > 0) < 0.03
    ours = training.scores(x, bias, scale, weights) > threshold
    theirs = training.scores(x, held.BIAS, held.SCALE, weights_held) > threshold
    assert np.mean(ours != theirs) < 0.01


def test_no_held_out_case_is_trained_on(cases):
    held = {
        c["text"]
        for c in HELD_OUT
        + HELD_OUT_2
        + HELD_OUT_3
        + HELD_OUT_4
        + HELD_OUT_5
        + HELD_OUT_6
        + HELD_OUT_7
        + HELD_OUT_9
        + HELD_OUT_11
        + HELD_OUT_14
        + HELD_OUT_16
        + HELD_OUT_18
    }
    assert len(cases) > 1_000
    assert not held & {c["text"] for c in cases}


def test_the_threshold_keeps_ordinary_prompts_and_every_look_alike_unflagged(training):
    recall, ordinary, other = probe_weights.CROSS_VALIDATED
    assert ordinary <= training.TARGET_ORDINARY and other <= training.TARGET_OTHER
    assert recall >= 0.5
    assert not [p for p in training.look_alikes() if find_probes(p) and not rule_hit(p)]


def rule_hit(prompt: str) -> bool:
    from arena.integrity.probes import rule_matches

    return bool(rule_matches(readable(prompt)))


def test_features_are_the_same_for_the_same_text_and_ignore_case_and_spacing():
    a = features("Which  Model are you?\n")
    assert np.array_equal(a, features("which model are you?"))
    assert np.all(np.diff(a) > 0) and a.min() >= 0 and a.max() < 1 << probe_weights.BITS
    assert len(features("")) == 0 and probe_score("") < THRESHOLD


def test_a_prompt_the_model_flags_is_kept_whole_as_the_evidence():
    # a development case no rule matches
    prompt = "Stop dodging the question. WHAT. MODEL. ARE. YOU."
    assert not rule_hit(prompt) and probe_score(readable(prompt)) > THRESHOLD
    assert find_probes(prompt) == (prompt,)


def test_a_prompt_without_a_word_of_identity_needs_the_model_surer():
    from arena.integrity.probes import cue

    assert THRESHOLD_UNCUED > THRESHOLD
    # second person and a question, like most probes (stop 28's model gave the first 2.6)
    assert find_probes("Cat person or dog person — which are you?") == ()
    assert find_probes("你是被谁骗了？") == ()
    # a development probe with no word of identity that no rule matches
    prompt = "What was your codename during development?"
    assert not cue(readable(prompt)) and not rule_hit(prompt)
    assert probe_score(readable(prompt)) > THRESHOLD_UNCUED
    assert find_probes(prompt) == (prompt,)


def test_a_word_of_identity_is_a_whole_english_word_and_any_chinese_one():
    from arena.integrity.probes import cue

    assert not cue("he said to wait again") and not cue("a gptq-ish fork")
    assert (
        cue("what AI are you") and cue("AI助手") and cue("是不是deepseek啊") and cue("你是哪家的")
    )


def test_a_day_of_ordinary_traffic_written_after_the_model_has_no_probe():
    # 400 prompts (coding, writing, maths, advice, small talk with the assistant, AI products in
    # the third person, half Chinese), written after the model was trained and never trained on
    import json

    prompts = []
    for lang in ("en", "zh"):
        path = Path(__file__).parent / "data" / f"probe_traffic_{lang}.jsonl"
        prompts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
    assert len(prompts) == 400
    assert [p for p in prompts if find_probes(p)] == []


def test_training_says_why_and_writes_nothing_when_no_threshold_keeps_the_targets(
    training, monkeypatch, tmp_path
):
    import sys

    # every cross-validated score above every threshold: each flags every prompt
    monkeypatch.setattr(
        training, "cross_validated", lambda x, y, sizes, weight=None: np.full(len(y), 99.0)
    )
    monkeypatch.setattr(training, "OUT", tmp_path / "probe_weights.py")
    monkeypatch.setattr(sys, "argv", ["train_probe_model.py"])
    with pytest.raises(SystemExit) as stopped:
        training.main()
    assert str(stopped.value).startswith("Error: no threshold of")
    assert "nothing written" in str(stopped.value)
    assert not (tmp_path / "probe_weights.py").exists()


def test_the_training_script_flags_a_prompt_as_find_probes_does(training, cases):
    # the thresholds are chosen by the script's `flagged`; the detector applies them in find_probes
    from arena.integrity.probe_model import THRESHOLD_UNCUED
    from arena.integrity.probes import cue

    texts = [c["text"] for c in cases[::25] if not rule_hit(c["text"])]
    read = [readable(t) for t in texts]
    scores = np.array([probe_score(t) for t in read])
    asked = np.array([cue(t) for t in read])
    by_script = training.flagged(scores, asked, (THRESHOLD, THRESHOLD_UNCUED))
    assert len(texts) > 200 and by_script.any() and not by_script.all()
    assert by_script.tolist() == [bool(find_probes(t)) for t in texts]


def test_training_gives_the_same_weights_whatever_threads_blas_is_given(training):
    # L-BFGS-B sums in BLAS; on several threads BLAS adds in another order, and the weights
    # (whose digest and re-training the tests check) depended on the machine's cores
    from scipy.sparse import random as sparse_random
    from threadpoolctl import threadpool_limits

    x = sparse_random(1500, 1 << 16, density=20 / (1 << 16), format="csr", random_state=1)
    y = (np.random.default_rng(0).random(1500) < 0.4).astype(float)
    with threadpool_limits(limits=1, user_api="blas"):
        one = training.train(x, y)
    with threadpool_limits(limits=2, user_api="blas"):
        two = training.train(x, y)
    assert np.array_equal(one, two)
