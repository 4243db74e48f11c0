"""Trains the disclosure model on the development cases and writes its weights.

The model is `arena/integrity/disclosure_model.py`; its weights go to
`arena/integrity/disclosure_weights.py`.

Run from the repository root:  .venv/bin/python tests/data/train_disclosure_model.py [--cv-only]

The development cases are every disclosure case of tests/data that has been read: the
identity sets (the evaluation set, the validation sets and the held-out sets read before this
model, whose figures were read many times and from whose misses rules were written), the case set
of tests/test_integrity_disclosure.py and its held-out cases; a set named in UNREAD is not. A
leave-one-file-out cross-validation first scores each file (each part of at most FOLD cases) by a
model trained on all the others. THRESHOLD is the lowest of THRESHOLDS at which those models,
with the rules, flag at most TARGET of the answers that disclose nothing (of all, and of each
language's), and at which the model trained on every development case flags none of the
look-alikes tests/test_integrity_disclosure.py says do not disclose; the figures are written
beside the weights.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from train_probe_model import (  # noqa: E402
    base64_lines,
    cross_validated,
    in_files,
    quantised,
    scores,
    sparse,
    train,
)

from arena.integrity import disclosure_weights  # noqa: E402
from arena.integrity.disclosure import DisclosureDetector  # noqa: E402
from arena.integrity.disclosure_model import feature_rows  # noqa: E402

DATA = ROOT / "tests" / "data"
BITS = 16
TARGET = 0.02  # of the answers it did not see that disclose nothing, the most flagged (+rules)
FOLD = 200  # cases of a file held out together at most
THRESHOLDS = (1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0, 3.5, 4.0)
UNREAD = ("identity_heldout31", "identity_heldout32", "identity_heldout43", "identity_heldout44",
          "identity_heldout47", "identity_heldout48", "identity_heldout53",
          "identity_heldout54")  # fresh: not trained on
LOOK_ALIKES = "look-alikes (tests/test_integrity_disclosure.py)"
LOOK_ALIKE_WEIGHT = 5.0  # a look-alike counts as this many cases: the tests say each is none
OUT = ROOT / "arena" / "integrity" / "disclosure_weights.py"


def _read(path: Path) -> list[dict]:
    """A file's disclosure cases as {"text", "label", "lang"}."""
    with open(path, encoding="utf-8") as lines:
        cases = [json.loads(line) for line in lines if line.strip()]
    return [
        {"text": c["text"], "label": c.get("label", c.get("discloses")), "lang": c["lang"]}
        for c in cases if c.get("task", "disclosure") == "disclosure"
    ]  # fmt: skip


def development_files() -> dict[str, list[dict]]:
    """file name [part] -> its disclosure cases (a set's two languages one file)."""
    files: dict[str, list[dict]] = {}
    paths = [*sorted(DATA.glob("identity_*.jsonl")), DATA / "disclosure_cases.jsonl",
             DATA / "integrity_disclosure_holdout.jsonl"]  # fmt: skip
    for path in paths:
        name = path.stem.removesuffix("_en").removesuffix("_zh")
        if not name.startswith(UNREAD):
            files.setdefault(name, []).extend(_read(path))
    files[LOOK_ALIKES] = [{"text": t, "label": False, "lang": "?"} for t in look_alikes()]
    return {f"{name} [{k // FOLD + 1}]": cases[k : k + FOLD]
            for name, cases in files.items() if cases
            for k in range(0, len(cases), FOLD)}  # fmt: skip


def look_alikes() -> list[str]:
    """The answers tests/test_integrity_disclosure.py says do not disclose."""
    from tests import test_integrity_disclosure as tests

    found = list(tests.INNOCENT_ANSWERS)
    for name in dir(tests):
        test = getattr(tests, name)
        if name.startswith("test_") and "not_disclos" in name:
            for mark in getattr(test, "pytestmark", []):
                if mark.name == "parametrize":
                    found += [v for v in mark.args[1] if isinstance(v, str)]
    return list(dict.fromkeys(found))


def matrix(cases: list[dict]) -> csr_matrix:
    """The feature rows of the cases' answers, read as the detector reads them."""
    detector = DisclosureDetector(model=False)
    return sparse([feature_rows(detector.prose(c["text"])) for c in cases], BITS)


def digest(cases: list[dict]) -> str:
    """SHA-256 of the training cases (text and label, in order) and of the training settings."""
    body = json.dumps([[c["text"], c["label"]] for c in cases], ensure_ascii=False)
    return hashlib.sha256(f"{BITS} {LOOK_ALIKE_WEIGHT} {body}".encode()).hexdigest()


def case_weights(files: dict[str, list[dict]]) -> np.ndarray:
    """How many times each case of `files` counts in training: a look-alike LOOK_ALIKE_WEIGHT."""
    return np.where(in_files(files, LOOK_ALIKES), LOOK_ALIKE_WEIGHT, 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv-only", action="store_true", help="print the figures, write nothing")
    args = parser.parse_args()
    if disclosure_weights.BITS != BITS:
        sys.exit(f"Error: disclosure_weights.BITS is {disclosure_weights.BITS}, not {BITS}")
    files = development_files()
    cases = [c for group in files.values() for c in group]
    x, labels = matrix(cases), np.array([c["label"] for c in cases], dtype=float)
    weight = case_weights(files)
    predicted = cross_validated(x, labels, [len(group) for group in files.values()], weight)
    detector = DisclosureDetector(model=False)  # the rules alone
    ruled = np.array([detector.discloses(c["text"]) for c in cases])
    positive = labels == 1
    languages = np.array([c["lang"] for c in cases])
    figures = {}  # threshold -> (found, flagged, flagged in English, flagged in Chinese)
    for threshold in THRESHOLDS:
        either = ruled | (predicted > threshold)
        figures[threshold] = (
            either[positive].mean(), either[~positive].mean(),
            *(either[~positive & (languages == lang)].mean() for lang in ("en", "zh")),
        )  # fmt: skip
        found, flagged, en, zh = figures[threshold]
        print(f"threshold {threshold}: with the rules {found:.1%} of the disclosures found, "
              f"{flagged:.2%} of the others flagged (en {en:.2%}, zh {zh:.2%})")  # fmt: skip
    print(f"the rules alone: {ruled[positive].mean():.1%} at {ruled[~positive].mean():.2%}")
    if args.cv_only:
        return
    bias, scale, weights = quantised(train(x, labels, weight))
    alike = in_files(files, LOOK_ALIKES)
    highest = scores(x[alike], bias, scale, weights).max(initial=-np.inf)
    clear = [t for t, figure in figures.items() if max(figure[1:]) <= TARGET and t >= highest]
    if not clear:
        sys.exit(f"Error: no threshold of {THRESHOLDS} keeps the false positives within "
                 f"{TARGET:.0%} and every look-alike below it (highest {highest:.2f}); "
                 "nothing written")  # fmt: skip
    threshold = clear[0]
    found, flagged, _, _ = figures[threshold]
    lines = base64_lines(weights)
    OUT.write_text(
        '"""Written by tests/data/train_disclosure_model.py from the development cases: do not '
        f'edit."""\n\nBITS = {BITS}\nBIAS = {bias!r}\nSCALE = {scale!r}\n'
        f"THRESHOLD = {threshold!r}\n"
        f'TRAINED_ON = "{digest(cases)}"\n'
        f"# leave one file out ({len(files)} files and parts, {len(cases)} cases): at the\n"
        f"# threshold, the models trained without a file found with the rules {found:.1%} of its\n"
        f"# disclosures and flagged {flagged:.2%} of its answers that disclose nothing\n"
        f"CROSS_VALIDATED = ({found:.4f}, {flagged:.4f})\n"
        f"WEIGHTS = (  # int8 × SCALE, base64\n{lines}\n)\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(ROOT)}: threshold {threshold}")


if __name__ == "__main__":
    main()
