"""De-anonymising probes: prompts that ask a model who it is or who made it (English and Chinese)."""

from __future__ import annotations

import re

PROBE_PATTERNS = (
    r"\bwho (?:are|r) (?:you|u)\b",
    r"\bwhat(?:'s| is) your name\b",
    r"\bwhat (?:model|llm|ai|language model) (?:are|r) (?:you|u)\b",
    r"\bwhich (?:model|llm|ai|language model|company|version)\b.*\b(?:you|your)\b",
    r"\b(?:who|which company|what company) (?:made|created|trained|built|developed) (?:you|u)\b",
    r"\bare you (?:chatgpt|gpt|claude|gemini|llama|qwen|deepseek|an? (?:openai|anthropic|google))",
    r"\bintroduce yourself\b",
    r"\byour (?:model name|creator|developer|maker|vendor)\b",
    r"你是谁", r"你叫什么", r"你的名字", r"你是哪(?:个|一个|家|种)",
    r"你是什么(?:模型|大模型|AI|人工智能|语言模型)", r"哪(?:家|个)公司(?:开发|训练|研发|做)的",
    r"谁(?:开发|训练|创造|研发|制作)了你", r"你是由谁", r"你由谁", r"介绍一下你自己", r"自我介绍",
    r"你(?:是|属于)(?:chatgpt|gpt|claude|通义|文心|豆包|kimi|智谱|deepseek)",
)  # fmt: skip

_PROBE = re.compile("|".join(f"(?:{p})" for p in PROBE_PATTERNS), re.IGNORECASE | re.DOTALL)


def find_probes(prompt: str) -> tuple[str, ...]:
    """The phrases in `prompt` that ask the model to reveal its identity."""
    return tuple(dict.fromkeys(m.group(0) for m in _PROBE.finditer(prompt)))
