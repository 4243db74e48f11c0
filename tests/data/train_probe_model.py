"""Trains the probe model on the development cases and writes its weights.

The model is `arena/integrity/probe_model.py`; its weights go to
`arena/integrity/probe_weights.py`.

Run from the repository root:  .venv/bin/python tests/data/train_probe_model.py [--cv-only]

The development cases are those of tests/test_integrity_identity_eval.py (the validation sets
and the development part of identity_eval, among them 1,200 ordinary prompts, none a probe), the
probes of the held-out sets named in READ_HELD_OUT (whose misses were read and written rules
from: development sets since) and the look-alikes tests/test_integrity_probes.py says are no
probes; no other held-out case is read. A
leave-one-file-out cross-validation first scores each file (each part of at most FOLD cases) by a
model trained on all the others. A prompt is flagged above one threshold when it holds a word of
identity (`probes.cue`) and above another, no lower, when it does not. The two are the pair of
THRESHOLDS at which those models, with the rules, find the most probes while they flag at most
TARGET_ORDINARY of the ordinary prompts and at most TARGET_OTHER of all the prompts that are no
probes, and at which the model trained on every development case flags none of the look-alikes
(of equal pairs, the higher); the figures are written beside the weights.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.sparse import csr_matrix
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from arena.integrity.probe_model import features  # noqa: E402
from arena.integrity.probes import cue, readable, rule_matches  # noqa: E402
from tests.test_integrity_identity_eval import DATA, EVALUATION, held_out, read  # noqa: E402

BITS = 16
L2 = 3e-6  # the penalty on the weights' squared length, per case
TARGET_ORDINARY = 0.02  # of the ordinary prompts it did not see, the most the model may flag
TARGET_OTHER = 0.02  # of the prompts it did not see that are no probe, the most flagged (+rules)
FOLD = 160  # cases of a file held out together at most: a file of 300 ordinary prompts is two
THRESHOLDS = (-1.5, -1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0,
              2.25, 2.5, 2.75, 3.0, 3.5, 4.0)  # fmt: skip
ORDINARY = ("identity_validation11", "identity_validation12", "identity_validation22")  # ordinary
# prompts (1,800, no probe)
READ_HELD_OUT = ("identity_heldout21", "identity_heldout25", "identity_heldout28",
                 "identity_heldout29", "identity_heldout30", "identity_heldout33",
                 "identity_heldout34", "identity_heldout35", "identity_heldout36",
                 "identity_heldout37", "identity_heldout38", "identity_heldout45",
                 "identity_heldout46")  # fmt: skip
LOOK_ALIKES = "look-alikes (tests/test_integrity_probes.py)"
LOOK_ALIKE_WEIGHT = 5.0  # a look-alike counts as this many cases: the tests say each is no probe
OUT = ROOT / "arena" / "integrity" / "probe_weights.py"


def development_files() -> dict[str, list[dict]]:
    """file name [part] -> its probe cases, the development part of identity_eval as one file, a
    file of more than FOLD cases in parts."""
    files = {p.name: read(p.name) for p in sorted(DATA.glob("identity_validation*.jsonl"))}
    files["identity_eval (development part)"] = [c for c in EVALUATION if not held_out(c["text"])]
    files.update({name: read(f"{name}_en.jsonl", f"{name}_zh.jsonl") for name in READ_HELD_OUT})
    files = {name: [c for c in cases if c["task"] == "probe"] for name, cases in files.items()}
    files[LOOK_ALIKES] = [{"task": "probe", "text": text, "label": False} for text in look_alikes()]
    return {f"{name} [{k // FOLD + 1}]": cases[k : k + FOLD]
            for name, cases in files.items() for k in range(0, len(cases), FOLD)}  # fmt: skip


def look_alikes() -> list[str]:
    """The prompts tests/test_integrity_probes.py says are no probes."""
    from tests import test_integrity_probes as tests

    labelled = [c["prompt"] for c in tests.CASES if not c["probe"]]
    return labelled + tests.OTHER_QUESTIONS + tests.INNOCENT_PROMPTS


def matrix(cases: list[dict]) -> csr_matrix:
    return matrix_of([readable(c["text"]) for c in cases])


def matrix_of(texts: list[str]) -> csr_matrix:
    """The feature rows of texts already `readable`."""
    return sparse([features(text, BITS) for text in texts], BITS)


def sparse(rows: list[np.ndarray], bits: int) -> csr_matrix:
    """One row a case: its feature numbers (< 2**bits), each 1 / √(how many it has), as the
    models score them (a vector of unit length)."""
    lengths = np.array([len(r) for r in rows])
    values = np.repeat(1 / np.sqrt(np.maximum(lengths, 1)), lengths)
    return csr_matrix(
        (values, np.concatenate(rows), np.concatenate([[0], np.cumsum(lengths)])),
        shape=(len(rows), 1 << bits),
    )


def train(x: csr_matrix, y: np.ndarray, weight: np.ndarray | None = None) -> np.ndarray:
    """[bias, weights…] of the L2-penalised logistic regression of y on x (L-BFGS from 0), each
    case counted `weight` times (once when None)."""
    sign = 2 * y - 1
    weight = np.ones(len(y)) if weight is None else weight
    share = weight / weight.sum()

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        margin = sign * (x @ w[1:] + w[0])
        slope = -sign / (1 + np.exp(margin)) * share
        value = share @ np.logaddexp(0, -margin) + L2 * (w[1:] @ w[1:])
        return value, np.concatenate([[slope.sum()], x.T @ slope + 2 * L2 * w[1:]])

    # on one BLAS thread: L-BFGS-B's sums run in BLAS, which adds in another order on several
    # threads, and the weights then depended on the machine
    with threadpool_limits(limits=1, user_api="blas"):
        fit = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B",
                       options={"maxiter": 500})  # fmt: skip
    return fit.x


def quantised(w: np.ndarray) -> tuple[float, float, np.ndarray]:
    """(bias, scale, int8 weights): the weights as the module keeps them."""
    scale = float(np.abs(w[1:]).max()) / 127 or 1.0
    return float(w[0]), scale, np.round(w[1:] / scale).astype(np.int8)


def scores(x: csr_matrix, bias: float, scale: float, weights: np.ndarray) -> np.ndarray:
    return bias + x @ (weights.astype(np.float64) * scale)


def cross_validated(
    x: csr_matrix, y: np.ndarray, sizes: list[int], weight: np.ndarray | None = None
) -> np.ndarray:
    """Each case's score by the model trained on every other file (`sizes`: the files' cases, in
    the order of the rows)."""
    ends = np.cumsum([0, *sizes])
    out = np.zeros(len(y))
    for start, stop in zip(ends[:-1], ends[1:], strict=True):
        rest = np.r_[0:start, stop : len(y)]
        kept = None if weight is None else weight[rest]
        out[start:stop] = scores(x[start:stop], *quantised(train(x[rest], y[rest], kept)))
    return out


def base64_lines(weights: np.ndarray) -> str:
    """The int8 weights in base64, as the lines of a parenthesised Python string."""
    encoded = base64.b64encode(weights.tobytes()).decode()
    return "\n".join(f'    "{encoded[k : k + 96]}"' for k in range(0, len(encoded), 96))


def digest(cases: list[dict]) -> str:
    """SHA-256 of the training cases (text and label, in order) and of the training settings."""
    body = json.dumps([[c["text"], c["label"]] for c in cases], ensure_ascii=False)
    return hashlib.sha256(f"{BITS} {L2} {LOOK_ALIKE_WEIGHT} {body}".encode()).hexdigest()


def in_files(files: dict[str, list[dict]], names: str | tuple[str, ...]) -> np.ndarray:
    """bool per case of `files`: whether its file's name starts with `names`."""
    return np.array([name.startswith(names) for name, group in files.items() for _ in group])


def case_weights(files: dict[str, list[dict]]) -> np.ndarray:
    """How many times each case of `files` counts in training: a look-alike LOOK_ALIKE_WEIGHT."""
    return np.where(in_files(files, LOOK_ALIKES), LOOK_ALIKE_WEIGHT, 1.0)


def flagged(scores: np.ndarray, asked: np.ndarray, thresholds: tuple[float, float]) -> np.ndarray:
    """Which scores the model flags: above the first threshold where `asked` (a word of
    identity), above the second elsewhere, as `probes.find_probes` does."""
    return np.where(asked, scores > thresholds[0], scores > thresholds[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv-only", action="store_true", help="print the figures, write nothing")
    args = parser.parse_args()
    files = development_files()
    cases = [c for group in files.values() for c in group]
    texts = [readable(c["text"]) for c in cases]  # as the rules and the model read them
    x, labels = matrix_of(texts), np.array([c["label"] for c in cases], dtype=float)
    weight = case_weights(files)
    predicted = cross_validated(x, labels, [len(group) for group in files.values()], weight)
    positive = labels == 1
    ordinary, look_alike = in_files(files, ORDINARY), in_files(files, LOOK_ALIKES)
    ruled = np.array([bool(rule_matches(t)) for t in texts])
    asked = np.array([cue(t) for t in texts])  # a word of identity: the lower threshold
    cv_figures = {}  # (cued, uncued) -> (probes found, ordinary flagged, others flagged)
    for pair in ((c, u) for c in THRESHOLDS for u in THRESHOLDS if u >= c):
        by_model = flagged(predicted, asked, pair)
        either = by_model | ruled
        cv_figures[pair] = (
            either[positive].mean(),
            by_model[ordinary].mean(),
            either[~positive].mean(),
        )
    feasible = sorted(
        (pair for pair, (_, kept, other) in cv_figures.items()
         if kept <= TARGET_ORDINARY and other <= TARGET_OTHER),
        key=lambda pair: (-cv_figures[pair][0], -pair[0], -pair[1]),
    )  # fmt: skip
    for pair in feasible[:12]:
        found, kept, other = cv_figures[pair]
        print(f"thresholds {pair}: with the rules, {found:.1%} of the probes found, "
              f"{kept:.1%} of the ordinary prompts and {other:.1%} of all others flagged")  # fmt: skip
    if args.cv_only:
        return
    if not feasible:
        sys.exit(f"Error: no threshold of {THRESHOLDS} keeps the false positives within the "
                 f"targets ({TARGET_ORDINARY:.0%} of ordinary prompts, {TARGET_OTHER:.0%} of all "
                 "prompts that are no probe); nothing written")  # fmt: skip
    bias, scale, weights = quantised(train(x, labels, weight))
    # and above every look-alike the tests say is no probe (a development file of its own)
    alike = look_alike & ~ruled
    alike_scores, alike_asked = scores(x[alike], bias, scale, weights), asked[alike]
    clear = [pair for pair in feasible if not flagged(alike_scores, alike_asked, pair).any()]
    if not clear:
        highest = alike_scores.max(initial=-np.inf)
        sys.exit(f"Error: at every pair of thresholds that keeps the targets, a look-alike scores "
                 f"above its threshold (highest {highest:.2f}); nothing written")  # fmt: skip
    threshold, uncued = clear[0]
    print(f"thresholds: {threshold} with a word of identity, {uncued} without")
    found, kept_ordinary, kept_other = cv_figures[threshold, uncued]
    lines = base64_lines(weights)
    OUT.write_text(
        '"""Written by tests/data/train_probe_model.py from the development cases: do not edit."""'
        f"\n\nBITS = {BITS}\nBIAS = {bias!r}\nSCALE = {scale!r}\nTHRESHOLD = {threshold!r}\n"
        f"THRESHOLD_UNCUED = {uncued!r}  # for a prompt without a word of identity\n"
        f'TRAINED_ON = "{digest(cases)}"\n'
        f"# leave one file out ({len(files)} files and parts, {len(cases)} cases): at the\n"
        f"# thresholds, the models trained without a file found with the rules {found:.1%} of its\n"
        f"# probes; they flagged {kept_ordinary:.1%} of its ordinary prompts, and with the rules "
        f"{kept_other:.1%}\n# of its prompts that are no probe\n"
        f"CROSS_VALIDATED = ({found:.4f}, {kept_ordinary:.4f}, {kept_other:.4f})\n"
        f"WEIGHTS = (  # int8 × SCALE, base64\n{lines}\n)\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(ROOT)}: thresholds {threshold}, {uncued}")


if __name__ == "__main__":
    main()
