"""Battle categories, assigned deterministically when the vote is cast and stored with it.

Rules (documented in docs/categories.md):
- language: "zh" when at least 30% of the letters in the prompts are CJK ideographs; "en" when
  at least 70% of the letters are ASCII and (for 4+ words) some common English word appears;
  else "other" (so mixed text goes by its dominant script);
- coding: a fenced code block, code-like text (def/class/import/#include/SELECT…, or a line
  ending in `;` or `{`), or a programming word in English or Chinese (python, algorithm,
  function, debug, sort…; 代码, 编程, 函数, 算法, 排序, 程序, 调试…) in any prompt;
- long query: the prompts total at least 500 characters (CJK) / 100 words (otherwise);
- multi-turn: more than one turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LONG_QUERY_CJK_CHARS = 500
LONG_QUERY_WORDS = 100
CJK_SHARE_FOR_ZH = 0.3
ASCII_SHARE_FOR_EN = 0.7

_ENGLISH_WORDS = frozenset(
    "the a an is are was be to of and or in on for with what how why who which you i it this "
    "that can do does write explain me my your please give tell".split()
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_CODE = re.compile(
    r"```|^\s*(?:def |class |import |from \S+ import|#include|function |public |fn |let |const |var |"
    r"SELECT |INSERT |CREATE TABLE|package |using namespace)|[;{]\s*$"
    r"|\b(?:python|javascript|typescript|java|c\+\+|c#|rust|golang|sql|bash|shell script|regex|"
    r"html|css|algorithm|function|code|script|compile|debug|bug|api|json|array|recursion|"
    r"sort(?:ing)?)\b"
    r"|编程|代码|函数|算法|排序|程序|脚本|正则|编译|调试|数组|递归|接口",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Categories:
    language: str  # "zh" | "en" | "other"
    is_coding: bool
    is_long_query: bool
    is_multi_turn: bool


def detect_language(text: str) -> str:
    letters = _LETTER.findall(text)
    if not letters:
        return "other"
    cjk = sum(1 for ch in letters if _CJK.match(ch))
    if cjk / len(letters) >= CJK_SHARE_FOR_ZH:
        return "zh"
    ascii_letters = sum(1 for ch in letters if ch.isascii())
    if ascii_letters / len(letters) < ASCII_SHARE_FOR_EN:
        return "other"
    words = re.findall(r"\w+", text.lower())
    # Latin-script text in another language (Spanish, German…) has few English function words.
    if len(words) >= 4 and not any(w in _ENGLISH_WORDS for w in words):
        return "other"
    return "en"


def categorize(prompts: list[str]) -> Categories:
    text = "\n".join(prompts)
    language = detect_language(text)
    if language == "zh":
        long_query = (
            len(_CJK.findall(text)) + len(re.findall(r"[A-Za-z]+", text)) >= LONG_QUERY_CJK_CHARS
        )
    else:
        long_query = len(text.split()) >= LONG_QUERY_WORDS
    return Categories(
        language=language,
        is_coding=bool(_CODE.search(text)),
        is_long_query=long_query,
        is_multi_turn=len(prompts) > 1,
    )
