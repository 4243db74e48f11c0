"""A small linear model of probes, beside the rules of `probes`: it catches paraphrases no rule
was written for.

Rules caught 96–100% of the probes of the sets they were written from, and 62–85% of each set
written without sight of them. The model reads any prompt the same way: the hashed character 1-
to 5-grams of its lower-cased text and its words and word pairs (a run of Chinese characters is
one word; a feature is there or not; the vector has unit length), weighed by a logistic
regression trained on the development cases (`tests/data/train_probe_model.py` writes
`probe_weights`, and states the figures of a leave-one-file-out cross-validation). A prompt that
holds a word of identity is a probe above THRESHOLD; one without needs the model surer, above
THRESHOLD_UNCUED. Nothing is fetched or loaded at run time.
"""

from __future__ import annotations

import base64
import re
import zlib

import numpy as np

from arena.integrity import probe_weights

MAX_CHARS = 2_000  # a prompt's first characters are read; a longer one is left to the rules
GRAMS = range(1, 6)  # character n-grams
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+|\d+")  # letters (any script) or digits
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads a hash's bits
_PRIME = np.uint64(1_000_003)


def features(text: str, bits: int = probe_weights.BITS) -> np.ndarray:
    """The sorted, distinct feature numbers (< 2**bits) of `text`."""
    text = _SPACE.sub(" ", text.lower()).strip()[:MAX_CHARS]
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    hashes = [np.zeros(0, dtype=np.uint64)]
    rolling = np.zeros(len(codes), dtype=np.uint64)
    for n in GRAMS:  # each n-gram's polynomial hash, from the (n-1)-gram's: wraps at 2**64
        if len(codes) < n:
            break
        rolling = rolling[: len(codes) - n + 1] * _PRIME + codes[n - 1 :]
        hashes.append(rolling + np.uint64(n))
    words = _WORD.findall(text)
    terms = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    hashes.append(np.array([zlib.crc32(f"w:{t}".encode()) for t in terms], dtype=np.uint64))
    every = np.concatenate(hashes) * _MULTIPLIER
    return np.unique(every >> np.uint64(64 - bits)).astype(np.int64)


def _weights() -> tuple[float, np.ndarray]:
    raw = np.frombuffer(base64.b64decode(probe_weights.WEIGHTS), dtype=np.int8)
    return probe_weights.BIAS, raw.astype(np.float64) * probe_weights.SCALE


_BIAS, _WEIGHTS = _weights()


def probe_score(text: str) -> float:
    """The model's log-odds that `text` asks a model who it is."""
    found = features(text)
    if not len(found):
        return _BIAS
    return _BIAS + float(_WEIGHTS[found].sum()) / np.sqrt(len(found))


THRESHOLD = probe_weights.THRESHOLD  # a prompt with a word of identity
THRESHOLD_UNCUED = probe_weights.THRESHOLD_UNCUED  # one without
