"""The disclosure model: trained as its script says, on development cases only, reading answers
the way the templates do, and found beside the rules."""

import numpy as np
import pytest

from arena.integrity import disclosure_weights
from arena.integrity.disclosure import DisclosureDetector, find_disclosures
from arena.integrity.disclosure_model import THRESHOLD, disclosure_score, feature_rows, spans
from tests.data import train_disclosure_model as training
from tests.test_integrity_identity_eval import HELD_OUT_31, HELD_OUT_32
from tests.test_integrity_probe_model import assert_trained_again_as_held

RULES = DisclosureDetector(model=False)
# a development case no rule reads: the model finds it
SENT_BY = (
    "Please find attached the corrected invoice.\n\n"
    "Sent on your behalf by Inkling (AI assistant, Paperloom Inc.)"
)


@pytest.fixture(scope="module")
def files():
    return training.development_files()


@pytest.fixture(scope="module")
def cases(files):
    return [c for group in files.values() for c in group]


def test_the_weights_were_trained_on_the_development_cases_as_they_are(cases):
    # a case added, changed or relabelled: train again (tests/data/train_disclosure_model.py)
    assert training.digest(cases) == disclosure_weights.TRAINED_ON


def test_training_again_gives_the_weights_the_module_holds(files, cases):
    labels = np.array([c["label"] for c in cases], dtype=float)
    x = training.matrix(cases)
    trained = training.train(x, labels, training.case_weights(files))
    assert_trained_again_as_held(training, x, trained, disclosure_weights, THRESHOLD)


def test_the_fresh_sets_are_not_trained_on(cases):
    assert len(cases) > 5_000
    fresh = HELD_OUT_31 + HELD_OUT_32
    assert not {c["text"] for c in fresh} & {c["text"] for c in cases}


def test_the_threshold_kept_the_false_positives_within_the_target_and_every_look_alike():
    recall, flagged = disclosure_weights.CROSS_VALIDATED
    assert flagged <= training.TARGET and recall > 0.8
    look_alikes = training.look_alikes()
    assert len(look_alikes) > 50
    assert [a for a in look_alikes if find_disclosures(a)] == []


def test_an_answer_the_model_flags_gives_the_words_it_read_as_evidence():
    assert not RULES.discloses(SENT_BY) and disclosure_score(RULES.prose(SENT_BY)) > THRESHOLD
    (found,) = find_disclosures(SENT_BY)
    assert "Sent on your behalf by Inkling (AI assistant, Paperloom Inc.)" in found.evidence
    assert found.evidence.startswith("invoice.")  # whole words: "corrected" was cut, left out
    assert len(found.name) <= 61 and found.evidence.startswith(found.name.rstrip("…"))


def test_the_model_reads_the_answer_as_the_templates_do_quotations_and_code_set_aside():
    quoted = "The bot's log shows the line \"" + SENT_BY.replace("\n", " ") + '" twice.'
    coded = f"```\n{SENT_BY}\n```"
    for text in (quoted, coded):
        assert find_disclosures(text) == ()
        assert disclosure_score(RULES.prose(text)) < THRESHOLD


def test_without_the_model_the_detector_is_the_rules_alone():
    assert DisclosureDetector(model=False).find(SENT_BY) == ()
    assert DisclosureDetector().find(SENT_BY)


def test_the_model_reads_the_speaker_neighbourhoods_and_the_end():
    prose = "Rivers carry sediment to the sea. " * 10 + "I think so. " + "The end is near. " * 10
    parts = spans(prose)
    assert len(parts) == 2  # around "I", and the last characters
    assert parts[0][0] == prose.index("I think") - 60 and parts[-1][1] == len(prose)
    assert sum(end - start for start, end in parts) < len(prose) / 2
    # the end is read first: a sign-off after a long answer full of "I" is read
    assert disclosure_score("") < THRESHOLD
    long = "I think I know. " * 400 + "\n— Inkling, Paperloom's assistant"
    tail = feature_rows("— Inkling, Paperloom's assistant")
    assert np.isin(tail, feature_rows(long)).mean() > 0.9
