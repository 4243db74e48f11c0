"""Identity disclosure: does an answer name a model, vendor or product?

Distinctive product names (ChatGPT, 通义千问…) count wherever they appear. Ambiguous ones (Google,
Meta, Yi, Gemini as a word…) count only when the answer speaks about itself ("I am …",
"trained by …", "我是…", "由…开发"), so ordinary answers that mention Google are not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Names that identify a model family or product on their own, in any context.
DISTINCTIVE_NAMES = (
    "ChatGPT", "GPT-3.5", "GPT-4", "GPT-4o", "GPT-5", "GPT 4", "OpenAI", "o1-preview",
    "Claude", "Anthropic",
    "Gemini Pro", "Gemini Ultra", "Gemini Flash", "Google DeepMind", "DeepMind", "Bard", "PaLM",
    "LLaMA", "Llama 2", "Llama 3", "Llama-2", "Llama-3", "Meta AI",
    "Qwen", "通义千问", "通义", "千问", "阿里云", "Tongyi",
    "文心一言", "ERNIE Bot", "ERNIE", "文心", "百度",
    "豆包", "Doubao", "字节跳动", "ByteDance", "云雀",
    "智谱", "ChatGLM", "GLM-4", "GLM-3", "Zhipu", "清言",
    "Kimi", "月之暗面", "Moonshot AI",
    "讯飞星火", "星火认知", "iFlytek", "科大讯飞", "SparkDesk",
    "腾讯混元", "混元", "Hunyuan",
    "百川", "Baichuan",
    "零一万物", "01.AI", "01-AI",
    "MiniMax", "海螺AI", "abab6",
    "DeepSeek", "深度求索",
    "SenseChat", "商汤", "日日新", "SenseTime",
    "Mistral AI", "Mixtral", "Cohere", "Command R", "Grok", "xAI",
    "Phi-3", "Gemma", "Falcon", "Vicuna", "LMSYS", "SmolLM", "Hugging Face", "HuggingFace",
    "InternLM", "书生", "上海人工智能实验室", "Yi-34B", "Yi-Large", "Yi-Lightning",
)  # fmt: skip

# Names that are ordinary words or common in answers; they count only in self-reference.
AMBIGUOUS_NAMES = (
    "Google", "Gemini", "Meta", "Llama", "Yi", "Mistral", "Microsoft", "Amazon", "Nova",
    "Alibaba", "阿里", "阿里巴巴", "腾讯", "Tencent", "Baidu", "Apple", "Spark", "Phi", "Command",
    "GPT", "GLM", "Ali",
)  # fmt: skip

_SELF_EN = (
    r"\b(?:I am|I'm|I was|my name is|call me|this is|as|I'm called|I am called|known as)\s+(?:an?\s+|the\s+)?"
    r"|\b(?:trained|developed|created|built|made|designed|released|brought to you|powered)\s+by\s+(?:the\s+)?"
    r"|\b(?:based on|running on)\s+(?:the\s+)?"
    r"|\b(?:model|assistant|AI|chatbot|language model) (?:from|by|of)\s+(?:the\s+)?"
)
_SELF_ZH = r"(?:我是|我叫|我的名字是|本模型是|我来自|我属于|由|是由|来自|基于)\s*"
_AFTER_ZH = r"|(?=\s*(?:公司|团队|开发|训练|研发|打造|推出|创造|构建|的(?:大)?(?:语言)?模型|的AI|的人工智能))"


def _alternation(names: Iterable[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))


def _word(name_pattern: str) -> str:
    # ASCII names need word boundaries ("Yi" inside "Yield" is not a name); CJK names do not.
    return rf"(?<![A-Za-z0-9])(?:{name_pattern})(?![A-Za-z])"


@dataclass(frozen=True)
class Disclosure:
    name: str  # the name as it appears in the text
    evidence: str  # the surrounding words, for the receipt and audits


class DisclosureDetector:
    """Finds identity disclosures; `extra_names` adds the roster's own model and display names."""

    def __init__(self, extra_names: Iterable[str] = ()):
        extra = [n for n in extra_names if len(n) >= 3]
        distinctive = _word(_alternation([*DISTINCTIVE_NAMES, *extra]))
        ambiguous = _word(_alternation(AMBIGUOUS_NAMES))
        self._anywhere = re.compile(distinctive, re.IGNORECASE)
        self._in_self_reference = re.compile(
            rf"(?:{_SELF_EN}|{_SELF_ZH})({ambiguous})|({ambiguous})(?:{_AFTER_ZH[1:]})",
            re.IGNORECASE,
        )

    def find(self, text: str) -> tuple[Disclosure, ...]:
        found: dict[str, Disclosure] = {}
        for match in self._anywhere.finditer(text):
            found.setdefault(match.group(0).lower(), _disclosure(text, match.start(), match.end()))
        for match in self._in_self_reference.finditer(text):
            group = 1 if match.group(1) else 2
            name = match.group(group)
            found.setdefault(name.lower(), _disclosure(text, match.start(group), match.end(group)))
        return tuple(found.values())


def _disclosure(text: str, start: int, end: int) -> Disclosure:
    left, right = max(0, start - 30), min(len(text), end + 30)
    return Disclosure(name=text[start:end], evidence=text[left:right].replace("\n", " ").strip())


def find_disclosures(text: str, extra_names: Iterable[str] = ()) -> tuple[Disclosure, ...]:
    """Every model/vendor name that `text` discloses (empty when it discloses none)."""
    return DisclosureDetector(extra_names).find(text)
