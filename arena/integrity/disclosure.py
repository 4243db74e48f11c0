"""Identity disclosure: does an answer name a model, vendor or product that could reveal who wrote it?

Distinctive names (ChatGPT, 通义千问, DeepSeek…) count anywhere in prose; ambiguous ones (Google,
Meta, Yi, 百度, 豆包…) only when the answer speaks about itself ("I am …", "trained by …", "我是…",
"由…开发"). Code, URLs, environment variables and "<vendor> API" phrases are technical context and
never count. The name tables live in `disclosure_names`; docs/integrity.md gives the policy.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from arena.integrity.disclosure_names import (
    AMBIGUOUS,
    DISTINCTIVE,
    PRODUCT_WORDS,
    SELF_REFERENCE,
    TECHNICAL_CONTEXT,
    TECHNICAL_SUFFIX,
)

EVIDENCE_CHARS = 30  # characters of context kept on each side of a name
MIN_ROSTER_NAME = 3  # shorter roster names are ignored (too likely to be ordinary words)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


@dataclass(frozen=True)
class Disclosure:
    name: str  # the name as it appears in the (NFKC-normalised) text
    evidence: str  # the surrounding words, for the receipt and audits


@dataclass(frozen=True)
class DetectorScore:
    """How a detector does on labelled cases: recall over disclosing cases, false-positive rate
    over the others, and the texts it got wrong."""

    recall: float
    false_positive_rate: float
    positives: int
    negatives: int
    misses: tuple[str, ...]  # disclosing texts it did not flag
    false_alarms: tuple[str, ...]  # innocent texts it flagged


def _alternation(patterns: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _bounded(patterns: Iterable[str]) -> str:
    """One alternation; Latin names need word edges ("Yi" inside "Yield" is not a name) but may be
    followed by digits ("Qwen2"); Chinese names need none ("智谱AI")."""
    patterns = list(patterns)
    latin = [p for p in patterns if p.isascii()]
    chinese = [p for p in patterns if not p.isascii()]
    parts = []
    if latin:
        parts.append(rf"(?<![A-Za-z0-9])(?:{_alternation(latin)})(?![A-Za-z])")
    if chinese:
        parts.append(_alternation(chinese))
    return "|".join(parts) or "(?!)"


def _is_distinctive_roster_name(name: str) -> bool:
    """Roster names like "gpt-4o-mini" identify a model; short plain words like "phi" do not."""
    return len(name) >= 6 or any(c.isdigit() or c in "-_/." for c in name)


def _roster_patterns(extra_names: Iterable[str]) -> tuple[list[str], list[str]]:
    distinctive: list[str] = []
    ambiguous: list[str] = []
    for raw in extra_names:
        for name in dict.fromkeys([raw.strip(), raw.strip().rsplit("/", 1)[-1]]):
            if len(name) < MIN_ROSTER_NAME:
                continue
            escaped = re.escape(unicodedata.normalize("NFKC", name))
            (distinctive if _is_distinctive_roster_name(name) else ambiguous).append(escaped)
    # Longest first, so "smollm2-135m-precise" wins over a built-in "SmolLM" inside it.
    return sorted(distinctive, key=len, reverse=True), ambiguous


class DisclosureDetector:
    """Finds identity disclosures; `extra_names` adds the roster's own model and display names."""

    def __init__(self, extra_names: Iterable[str] = ()):
        roster_distinctive, roster_ambiguous = _roster_patterns(extra_names)
        anywhere = _bounded([*roster_distinctive, *DISTINCTIVE])
        self._anywhere = re.compile(rf"(?:{anywhere})(?!{TECHNICAL_SUFFIX})", re.IGNORECASE)
        # Ambiguous English names must keep their capital ("Meta", not "a meta-analysis").
        ambiguous = rf"(?-i:{_bounded(AMBIGUOUS)})|{_bounded(roster_ambiguous)}"
        name = rf"(?P<name>{ambiguous})(?!\s*(?:{PRODUCT_WORDS}))"
        self._self_reference = tuple(
            re.compile(template.replace("{N}", name), re.IGNORECASE | re.MULTILINE)
            for template in SELF_REFERENCE
        )
        self._technical = re.compile(
            _alternation(TECHNICAL_CONTEXT), re.DOTALL | re.MULTILINE | re.IGNORECASE
        )

    def find(self, text: str) -> tuple[Disclosure, ...]:
        """Every disclosed name in `text`, in order of appearance (empty when none)."""
        text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
        prose = self._technical.sub(lambda m: " " * len(m.group(0)), text)
        spans: list[tuple[int, int]] = [m.span() for m in self._anywhere.finditer(prose)]
        for pattern in self._self_reference:
            for match in pattern.finditer(prose):
                start, end = match.span("name")
                if not any(s < end and start < e for s, e in spans):
                    spans.append((start, end))
        found: dict[str, Disclosure] = {}
        for start, end in sorted(spans):
            found.setdefault(text[start:end].casefold(), _disclosure(text, start, end))
        return tuple(found.values())

    def discloses(self, text: str) -> bool:
        return bool(self.find(text))


def _disclosure(text: str, start: int, end: int) -> Disclosure:
    left, right = max(0, start - EVIDENCE_CHARS), min(len(text), end + EVIDENCE_CHARS)
    return Disclosure(name=text[start:end], evidence=" ".join(text[left:right].split()))


def find_disclosures(text: str, extra_names: Iterable[str] = ()) -> tuple[Disclosure, ...]:
    """Every model/vendor name that `text` discloses (empty when it discloses none)."""
    return DisclosureDetector(extra_names).find(text)


def evaluate_detector(
    cases: Iterable[Mapping], detector: DisclosureDetector | None = None
) -> DetectorScore:
    """Score `detector` (default: no roster names) on cases {"text": str, "discloses": bool}."""
    detector = detector or DisclosureDetector()
    misses: list[str] = []
    false_alarms: list[str] = []
    positives = negatives = 0
    for case in cases:
        flagged = detector.discloses(case["text"])
        if case["discloses"]:
            positives += 1
            if not flagged:
                misses.append(case["text"])
        else:
            negatives += 1
            if flagged:
                false_alarms.append(case["text"])
    return DetectorScore(
        recall=1.0 - len(misses) / positives if positives else 1.0,
        false_positive_rate=len(false_alarms) / negatives if negatives else 0.0,
        positives=positives,
        negatives=negatives,
        misses=tuple(misses),
        false_alarms=tuple(false_alarms),
    )
