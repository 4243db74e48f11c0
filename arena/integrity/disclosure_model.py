"""A small linear model of self-reference, beside the rules of `disclosure`: it reads the
shapes no template was written for ("the folks who trained me sit in Hangzhou", 我背后是一家做跨境
物流的公司的团队).

Rules found 52–87% of the disclosures of each set written without sight of them. The model reads
only the neighbourhood of the speaker: WINDOW characters either side of each first-person word
or sign-off mark, and an answer's last SIGN_OFF characters (a long answer's other paragraphs say
nothing of who wrote it), as the probe model reads a prompt (`probe_model.features`: hashed
character 1- to 5-grams, words and word pairs), weighed by a logistic regression trained on the
development cases (`tests/data/train_disclosure_model.py` writes `disclosure_weights` and the
figures of a leave-one-file-out cross-validation). It reads the answer as the templates do, with
code, URLs and quotations blanked. An answer is a disclosure above THRESHOLD. Nothing is fetched
or loaded at run time.
"""

from __future__ import annotations

import base64
import re

import numpy as np

from arena.integrity import disclosure_weights
from arena.integrity.probe_model import features

WINDOW = 60  # characters read on each side of a first-person word
SIGN_OFF = 80  # an answer's last characters, read whole: a signature has no "I"
_SPEAKER = re.compile(
    r"\b(?:i|i'm|im|i've|i'd|i'll|me|my|myself|mine|we|we're|our|us)\b|我|本助手|本模型|咱"
    r"|\bthis (?:answer|reply|response|message)\b|\bgenerated\b|\bsigned\b|—|--",
    re.IGNORECASE,
)


def spans(prose: str) -> list[tuple[int, int]]:
    """The (start, end) of the parts of `prose` the model reads, in order, overlaps merged."""
    found = [(max(0, m.start() - WINDOW), m.end() + WINDOW) for m in _SPEAKER.finditer(prose)]
    found.append((max(0, len(prose) - SIGN_OFF), len(prose)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, min(end, len(prose))))
    return merged


def feature_rows(prose: str) -> np.ndarray:
    """The sorted, distinct feature numbers of the parts of `prose` the model reads, joined by
    " | " and read as one text (one pass, not one a part), the answer's last SIGN_OFF characters
    first: `features` reads the first 2,000 characters, and a sign-off is at the end (in a long
    answer full of "I" the parts merge into one)."""
    parts = [prose[max(0, len(prose) - SIGN_OFF) :]]
    parts += [prose[start:end] for start, end in spans(prose)]
    return features(" | ".join(parts), disclosure_weights.BITS)


def _weights() -> tuple[float, np.ndarray]:
    raw = np.frombuffer(base64.b64decode(disclosure_weights.WEIGHTS), dtype=np.int8)
    return disclosure_weights.BIAS, raw.astype(np.float64) * disclosure_weights.SCALE


_BIAS, _WEIGHTS = _weights()
THRESHOLD = disclosure_weights.THRESHOLD


def disclosure_score(prose: str) -> float:
    """The model's log-odds that `prose` (an answer as `DisclosureDetector.prose` gives it) says
    who wrote it."""
    found = feature_rows(prose)
    if len(found) == 0:
        return _BIAS
    return float(_BIAS + _WEIGHTS[found].sum() / np.sqrt(len(found)))


def strongest_span(prose: str) -> tuple[int, int]:
    """Of the parts the model reads, the one it scores highest on its own: the evidence."""
    return max(spans(prose), key=lambda span: disclosure_score(prose[span[0] : span[1]]))
