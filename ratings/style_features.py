"""Answer style measurements that style control holds equal: length and markdown use.

Stdlib only, so the arena can measure each answer as it is stored.
"""

import re
from dataclasses import dataclass

STYLE_FEATURE_NAMES = ("length", "headers", "list_items", "bold")

_FENCED_CODE = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_HEADER = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\S", re.MULTILINE)
_BOLD = re.compile(r"\*\*[^*\n]+?\*\*|__[^_\n]+?__")
# Han ideographs (with extensions and compatibility forms), Hiragana and Katakana
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")


@dataclass(frozen=True)
class StyleFeatures:
    """Style of one answer. length: characters for CJK text, else words; the rest are counts
    of markdown headers, list items and bold spans outside fenced code blocks."""

    length: int
    headers: int
    list_items: int
    bold: int

    def as_tuple(self) -> tuple[int, int, int, int]:
        """Values in STYLE_FEATURE_NAMES order."""
        return (self.length, self.headers, self.list_items, self.bold)


def is_cjk_text(text: str) -> bool:
    """True when CJK characters outnumber the words of the rest of the text."""
    cjk = len(_CJK.findall(text))
    return cjk > 0 and cjk >= len(_CJK.sub(" ", text).split())


def style_features(text: str) -> StyleFeatures:
    """Measure one answer (any str; empty text measures all zeros)."""
    length = len("".join(text.split())) if is_cjk_text(text) else len(text.split())
    prose = _FENCED_CODE.sub("", text)
    return StyleFeatures(
        length=length,
        headers=len(_HEADER.findall(prose)),
        list_items=len(_LIST_ITEM.findall(prose)),
        bold=len(_BOLD.findall(prose)),
    )
