"""De-anonymising probes: prompts that ask a model who it is, who made it, or its knowledge cutoff
(a fingerprint), in English and Chinese.

Phrases that only look like probes ("write my interview self-introduction", the film 《你的名字》)
are blanked out first, so they never match.
"""

from __future__ import annotations

import re
import unicodedata

_MODEL = r"(?:model|llm|ai|a\.i\.|language model|chatbot|bot|version|gpt|assistant)"
_MADE = r"(?:made|created|trained|built|developed|programmed|designed|owns|released)"
_NAMES = (
    r"chat\s?gpt|gpt|claude|gemini|bard|llama|qwen|deepseek|mistral|grok|kimi|copilot|ernie|"
    r"doubao|glm|通义|千问|文心|豆包|智谱|deepseek|混元|星火|百川|元宝"
)
_VENDORS = (
    r"openai|anthropic|google|meta|alibaba|baidu|microsoft|bytedance|tencent|xai|"
    r"谷歌|百度|阿里|腾讯|字节|微软|深度求索|月之暗面"
)

PROBE_PATTERNS = (
    r"\bwho (?:are|r) (?:you|u|ya)\b(?! (?:voting|going|rooting|cheering|calling|talking about))",
    r"\bwho (?:am i|are we) (?:talking|speaking|chatting) (?:to|with)\b",
    r"\bwhat(?:'s| is) your (?:real |actual |model )?name\b",
    r"\bdo you have a name\b",
    rf"\b(?:what|which) (?:kind of |type of |exact )?{_MODEL} (?:are|r) (?:you|u)\b",
    rf"\b(?:what|which) {_MODEL} (?:is this|am i (?:talking|speaking|chatting) (?:to|with))\b",
    rf"\b(?:what|which) (?:company|organi[sz]ation|lab|team|vendor) {_MADE} (?:you|u|this (?:model|ai|bot))\b",
    r"\b(?:what|which) (?:company|organi[sz]ation|lab) (?:are you from|do you belong to|is behind you)\b",
    rf"\bwho (?:\w+ )?{_MADE} (?:you|u)\b",
    r"\bwho (?:is|are) your (?:creators?|developers?|makers?|owners?|parent company)\b",
    rf"\bare (?:you|u) (?:an? |the )?(?:{_NAMES})\b",
    rf"\bare (?:you|u) (?:made|built|trained|developed|created|from|by) (?:by )?(?:{_VENDORS})\b",
    r"\b(?:please )?introduce yourself\b",
    r"\btell me (?:about|who) (?:yourself|you are)\b",
    rf"\bwhat (?:{_MODEL}|architecture|llm) (?:are you|is it) (?:based on|built on|running on)\b",
    r"\bwhat (?:llm|model) (?:powers|runs) you\b",
    r"\byour (?:model name|model version|creator|developer|maker|vendor|underlying model|base model)\b",
    r"\b(?:your|the) (?:knowledge|training(?: data)?) cut-?off\b",
    r"你是谁", r"您是谁", r"你(?:叫|叫做)什么", r"你的(?:名字|真名)", r"你有名字吗",
    r"你是(?:哪|那)(?:个|一个|款|家|种|一种|个公司|家公司)", r"您是哪(?:个|家|款)",
    r"你是什么(?:模型|大模型|AI|人工智能|语言模型|版本|东西)", r"你是(?:gpt|chatgpt)几",
    r"(?:哪|那)(?:家|个)(?:公司|团队|机构|厂商)(?:开发|训练|研发|做|出品|推出)的",
    r"谁(?:开发|训练|创造|研发|制作|发明|设计)了你", r"你是由?谁(?:开发|训练|创造|研发|制作|做)的?",
    r"你由谁", r"你的(?:开发者|创造者|开发商|研发团队|开发团队|底层模型|基座模型|模型版本)",
    r"介绍一下你自己", r"(?:请|你)(?:先|也)?(?:做|来)?(?:个|一个|一下)?自我介绍",
    rf"你(?:是|是不是|属于)(?:{_NAMES})", rf"你是(?:{_VENDORS})",
    r"你(?:是)?基于(?:什么|哪个|哪种)(?:模型|架构)", r"你的知识(?:截止|更新)(?:到|日期|时间)",
)  # fmt: skip

# Phrases that contain a probe's words but ask for something else.
NOT_PROBES = (
    r"\bhow (?:do i|to|should i|can i|would you) (?:introduce|describe) (?:myself|yourself)\b.*",
    r"\b(?:answer|respond to|question)\s+[\"'“‘]?tell me about yourself[\"'”’]?",
    r"(?:写|帮我写|准备|改|润色)(?:一段|一篇|一份|个|下)?[^。？！?\n]{0,10}自我介绍",
    r"自我介绍(?:模板|范文|怎么写|的技巧)", r"面试(?:时|的|中)?(?:的)?自我介绍",
    r"《[^》]*》",  # titles: 《你的名字》 is a film
    r"[\"“][^\"”]{0,40}[\"”]\s*(?:is|was) (?:a|the) (?:song|film|movie|book|novel|poem)",
)  # fmt: skip

_PROBE = re.compile("|".join(f"(?:{p})" for p in PROBE_PATTERNS), re.IGNORECASE)
_NOT_PROBE = re.compile("|".join(f"(?:{p})" for p in NOT_PROBES), re.IGNORECASE)


def find_probes(prompt: str) -> tuple[str, ...]:
    """The phrases in `prompt` that ask the model to reveal its identity (empty when none)."""
    text = unicodedata.normalize("NFKC", prompt)
    text = _NOT_PROBE.sub(lambda m: " " * len(m.group(0)), text)
    return tuple(dict.fromkeys(m.group(0) for m in _PROBE.finditer(text)))


def is_probe(prompt: str) -> bool:
    return bool(find_probes(prompt))
