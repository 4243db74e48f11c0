"""Identity disclosure: does an answer say who wrote it?

A name counts only in self-reference: the speaker, a predicate of identity and a name or maker
("I am …", "trained by …", "my base model is …", "我是…", "由…开发", "作为…的助手"). A mention of a
vendor or model in the third person ("OpenAI released GPT-4 in 2023", 《月之暗面》 the album) is
not a disclosure, nor is a denial ("I can't say whether I was made by …"). Names come from tables,
the roster, and model-id shapes; a self-introduction in a known shape ("I'm Nova-7, an assistant
built by Luminar Labs", "我是星河，由青云科技研发") counts whatever the name. Code, URLs and
environment variables never count. The tables live in `disclosure_names`; docs/integrity.md gives
the policy.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from arena.integrity.disclosure_model import THRESHOLD as MODEL_THRESHOLD
from arena.integrity.disclosure_model import disclosure_score, strongest_span
from arena.integrity.disclosure_names import (
    AMBIGUOUS,
    CLOSING,
    CODE_SELF_REFERENCE,
    DISTINCTIVE,
    GENERIC_SELF_INTRO,
    MODEL_ID,
    MORE_NAMES,
    PRODUCT_WORDS,
    SELF_REFERENCE,
    TECHNICAL_CONTEXT,
    TECHNICAL_SUFFIX,
    plain_text,
    readable,
    spelled_out,
)

EVIDENCE_CHARS = 30  # characters of context kept on each side of a name
MIN_ROSTER_NAME = 3  # shorter roster names are ignored (too likely to be ordinary words)


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


def _roster_patterns(extra_names: Iterable[str]) -> list[str]:
    """The roster's names, whole and after the last "/", escaped, longest first (so that
    "smollm2-135m-precise" wins over a built-in "SmolLM" inside it)."""
    names: list[str] = []
    for raw in extra_names:
        for name in dict.fromkeys([raw.strip(), raw.strip().rsplit("/", 1)[-1]]):
            if len(name) >= MIN_ROSTER_NAME:
                names.append(re.escape(unicodedata.normalize("NFKC", name)))
    return sorted(dict.fromkeys(names), key=len, reverse=True)


class DisclosureDetector:
    """Finds identity disclosures; `extra_names` adds the roster's own model and display names."""

    def __init__(self, extra_names: Iterable[str] = (), *, model: bool = True):
        self._model = model  # the linear model beside the rules (`disclosure_model`)
        roster = _roster_patterns(extra_names)
        names = rf"{MODEL_ID}|{_bounded([*roster, *DISTINCTIVE, *MORE_NAMES])}|(?-i:{_bounded(AMBIGUOUS)})"
        name = rf"(?P<name>{names})(?!\s*(?:{PRODUCT_WORDS}))(?!{TECHNICAL_SUFFIX})"
        # {D}: only a name that is nothing but a model or an AI vendor (a sign-off "Thanks,\nGemma"
        # is as likely a person's)
        distinctive = (
            rf"(?P<name>{MODEL_ID}|{_bounded([*roster, *DISTINCTIVE])})(?!{TECHNICAL_SUFFIX})"
        )
        flags = re.IGNORECASE | re.MULTILINE

        def compiled(template: str) -> re.Pattern:
            return re.compile(template.replace("{N}", name).replace("{D}", distinctive), flags)

        # Templates that open with the name are tried only where a name is (one pass finds them
        # all): tried at every character, they took two thirds of the time.
        self._names = re.compile(name, flags)
        # Every self-reference and code template holds a name where a match needs it (a test
        # checks each): on a text where no name of the list matches anywhere, none of them can,
        # and most answers name no one (with them, a check of one took 2–3× as long).
        self._any_name = re.compile(names, flags)
        self._name_first, self._self_reference = (
            tuple(compiled(t) for t in SELF_REFERENCE if t.startswith("{N}") == opening)
            for opening in (True, False)
        )  # fmt: skip
        self._in_code = tuple(compiled(t) for t in CODE_SELF_REFERENCE)
        self._generic = tuple(re.compile(template, re.MULTILINE) for template in GENERIC_SELF_INTRO)
        self._technical = re.compile(
            _alternation(TECHNICAL_CONTEXT), re.DOTALL | re.MULTILINE | re.IGNORECASE
        )

    def find(self, text: str) -> tuple[Disclosure, ...]:
        """Every disclosed name in `text`, in order of appearance (empty when none)."""
        text = spelled_out(readable(text), self._any_name)
        plain = plain_text(text)
        prose = self._prose(plain)
        named = self._any_name.search(prose) is not None
        # the code templates read `plain`: on most answers the same text (nothing set aside)
        named_in_plain = named if prose == plain else self._any_name.search(plain) is not None
        known = self._spans(self._in_code, plain) if named_in_plain else []
        if named:
            known = self._spans(self._self_reference, prose) + known
            for found in self._names.finditer(prose):
                known += self._spans(self._name_first, prose, found.start())
        # a shape's name or maker counts where no listed name was found already
        spans = known + [
            (start, end) for start, end in self._spans(self._generic, prose)
            if not any(s < end and start < e for s, e in known)
        ]  # fmt: skip
        found: dict[str, Disclosure] = {}
        taken: list[tuple[int, int]] = []
        for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
            if any(s <= start and end <= e for s, e in taken):
                continue  # inside a longer name already found
            taken.append((start, end))
            found.setdefault(text[start:end].casefold(), _disclosure(text, start, end))
        if not found and self._model and disclosure_score(prose) > MODEL_THRESHOLD:
            return (_self_reference(text, *strongest_span(prose)),)
        return tuple(found.values())

    def discloses(self, text: str) -> bool:
        return bool(self.find(text))

    def prose(self, text: str) -> str:
        """`text` as the templates read it: plain, with code, URLs and quotations blanked (the
        same length, so positions stay)."""
        return self._prose(plain_text(spelled_out(readable(text), self._any_name)))

    def _prose(self, plain: str) -> str:
        prose = self._technical.sub(lambda m: " " * len(m.group(0)), plain)
        return _QUOTED.sub(_set_aside, prose)

    @staticmethod
    def _spans(
        patterns: Iterable[re.Pattern], prose: str, at: int | None = None
    ) -> list[tuple[int, int]]:
        """The spans of the names (and makers) that `patterns` find in `prose` (only starting at
        `at` if given), but not where the clause denies or doubts them ("I can't say whether I
        was made by X", "我不确定是否由X开发")."""
        spans = []
        for pattern in patterns:
            groups = [g for g in ("name", "org") if g in pattern.groupindex]
            matches = (
                pattern.finditer(prose) if at is None else filter(None, [pattern.match(prose, at)])
            )
            for match in matches:
                found = [
                    g for g in groups if match.start(g) >= 0
                ]  # an optional maker may be absent
                first = min(match.start(g) for g in found)
                if not _DENIAL.search(prose, _clause_start(prose, match.start()), first):
                    spans.extend(match.span(g) for g in found)
        return spans


# A quotation in straight or curly quotes, single or double; a closing single quote is one
# followed by a space or punctuation (the apostrophe in "I'm" is not), an opening one follows no
# letter.
_CLOSE = r"[\"”'’](?=[\s—–,.;:!?)]|$)"
_OPEN = r"(?:[\"“‘]|(?<!\w)')"  # an apostrophe inside a word ("didn't") opens nothing
_QUOTE = _OPEN + r"[^\n]{1,200}?" + _CLOSE
# Someone else's words in quotation marks ("the line \"I'm Claude\" in your bot's log"); a
# name in 「」 or 《》 is left alone.
_QUOTED = re.compile(
    # words offered for the user to use: "a greeting you could use for your bot: 'Hi, I'm …'"
    r"\b(?i:greeting|reply|message|line|script|template|example|sample|introduction|wording)\b"
    r"[^.\n]{0,60}?:\s*(?:[\"“][^\"”\n]{1,200}[\"”](?=\s*[.!?]?\s+(?-i:[A-Z]))|[^\n]*)"
    # words reported as someone's, a character's line in a story, a phrase and its translation
    r"|(?i:says|said|claims|claimed|replies|replied|writes|wrote|answers|answered|responds|"
    r"responded|calls itself|introduces itself as)\s*(?::\s*)?"
    + _QUOTE
    + r"|(?:自称|声称|号称|宣称|说|写着?|写上|回答|回复|显示)\s*(?:[:：]\s*)?[“\"「][^”\"」\n]{1,200}[”\"」]"
    r"|"
    + _OPEN
    + r"[^\n]{1,200}?[,.!?]"
    + _CLOSE
    + r"\s*(?:\w+\s+){0,2}?(?i:said|says|asked|replied|"
    r"whispered|announced|shouted|added|answered)\b"
    r"|“[^”\n]{1,200}”\s*[^\s“”，,。]{0,6}?(?:说|道|问|喊|回答|答道)"
    r"|[“\"「][^”\"」\n]{1,60}[”\"」]\s*(?:这句话|这句|这个说法|这种说法|一词|的说法|这个梗)"
    # a long quotation in corner brackets, a text and its translation
    r"|「[^」\n]{8,300}」|(?:原文|译文|翻译|Original|Translation)\s*[:：][^\n]*"
    # what a product shows ("the popup — 'Hi, I'm Copilot' —"), a script written for the user
    r"|\b(?i:popup|pop-up|banner|greeting|notification|tagline|slogan)\b[^.\n]{0,40}?"
    + _QUOTE
    + r"|(?:剧本|台词|对白|对话示例|示例对话|对话样例|对话模板|(?i:screenplay|script for))[^\n]{0,20}[:：]"
    r"\s*[\s\S]*"
    # a letter drafted for the user, from its salutation to a sign-off with a bare name: the
    # user's ("Dear Ms. Patel, … Best regards,\nClaude"); "Claude (AI assistant by …)" is read
    r"|(?:^|\n)[ \t]*(?:Dear|Hi|Hello|Hey)[ \t]+\w[^\n,]{0,40},[ \t]*\n[\s\S]{0,3000}?\n"
    r"[ \t]*(?:"
    + CLOSING
    + r")[ \t]*[,!.]?[ \t]*\n[ \t]*(?-i:[A-Z])[\w.-]*(?:[ \t]+(?-i:[A-Z])[\w.-]*){0,3}"
    r"[ \t]*(?=\n|\Z)"
    # a template, card or introduction written for the user: 以下是为你的项目写的模型卡片：…
    r"|(?:为你|为您|给你|给您|帮你|帮您)(?:的)?[^。\n：:]{0,20}?(?:写|起草|准备|生成|拟|整理)(?:了|好)?的?"
    r"[^。\n：:]{0,8}?(?:模板|模型卡片?|范文|自我介绍|介绍|开场白|欢迎语|文案|话术|简介|说明|README)"
    r"[^。\n：:]{0,4}[:：][\s\S]*"
    r"|" + _QUOTE + r"(?=\s+(?:\w+\s+)?(?i:means|translates)\b)"
    r"|(?i:means|meaning|translates?(?:\s+(?:to|as))?|translation(?:\s+is)?)\s*(?::\s*)?"
    + _QUOTE
    # any other pair of double quotes, tried last and kept when short (“青禾” is more often a
    # name than a quotation): matched even then, so that pairs are read in order and the closing
    # quote of a short one never opens a long one
    + r'|(?P<pair>"[^"\n]{0,200}"|“[^”\n]{0,200}”)'
)
MIN_QUOTATION = 8  # characters inside a pair of double quotes for them to be a quotation


def _set_aside(match: re.Match) -> str:
    """Blank a quotation (the same length, so positions stay), or keep a short quoted name."""
    found = match.group(0)
    if match.group("pair") and len(found) - 2 < MIN_QUOTATION:
        return found
    return " " * len(found)


# Words that deny or doubt what follows in the same clause, or report it as what someone else
# says ("GPT-4 usually answers that it's ChatGPT", "it claims it's Claude").
_DENIAL = re.compile(
    r"\b(?:not|never|whether|if|cannot|can't|unable|neither|nor)\b|n't\b|不(?!就是|正是|过|仅|但)|没|无法|是否|能否|并非|并不"
    r"|\b(?:says|said|claims|claimed|answers|answered|replies|replied|insists|insisted)\s+"
    r"(?:that|it's|it’s|it is|to be)\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.!?;,\n，。！？；：:—–]")


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding position `at` starts (after the last punctuation before it)."""
    cut = max((m.end() for m in _CLAUSE_END.finditer(text, max(0, at - 200), at)), default=None)
    return cut if cut is not None else max(0, at - 200)


def _disclosure(text: str, start: int, end: int) -> Disclosure:
    left, right = max(0, start - EVIDENCE_CHARS), min(len(text), end + EVIDENCE_CHARS)
    return Disclosure(name=text[start:end], evidence=" ".join(text[left:right].split()))


def _self_reference(text: str, start: int, end: int) -> Disclosure:
    """What the model read as a self-reference: the whole words of the part it scored highest, as
    the evidence, and its first of them as the name (it points at no one name)."""
    words = text[start:end].split()
    if start > 0 and _cut(text[start - 1], text[start]) and len(words) > 1:
        words = words[1:]  # a (Latin) word cut at the part's edge
    if end < len(text) and _cut(text[end - 1], text[end]) and len(words) > 1:
        words = words[:-1]
    evidence = " ".join(words)
    name = evidence if len(evidence) <= 2 * EVIDENCE_CHARS else evidence[: 2 * EVIDENCE_CHARS] + "…"
    return Disclosure(name=name, evidence=evidence)


def _cut(before: str, after: str) -> bool:
    return all(c.isascii() and c.isalnum() for c in (before, after))


def detector_for(extra_names: Iterable[str] = ()) -> DisclosureDetector:
    """The detector for these roster names, built once per process (it takes ~0.4 s) and shared:
    it holds only compiled patterns."""
    return _detector(tuple(dict.fromkeys(extra_names)))


@functools.lru_cache(maxsize=16)
def _detector(extra_names: tuple[str, ...]) -> DisclosureDetector:
    return DisclosureDetector(extra_names)


def find_disclosures(text: str, extra_names: Iterable[str] = ()) -> tuple[Disclosure, ...]:
    """Every model/vendor name that `text` discloses (empty when it discloses none)."""
    return detector_for(extra_names).find(text)


def evaluate_detector(
    cases: Iterable[Mapping], detector: DisclosureDetector | None = None
) -> DetectorScore:
    """Score `detector` (default: no roster names) on cases {"text": str, "discloses": bool}."""
    detector = detector or detector_for()
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
