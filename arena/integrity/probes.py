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
    rf"\b(?:what|which) (?:kind of |type of |exact )?(?:{_MODEL} )?{_MODEL} (?:are|r) (?:you|u)\b",
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
    r"\b(?:your|the) (?:knowledge|training(?: data)?) cut-?off\b(?! (?:date )?(?:of|for|in) )",
    r"\b(?:does|did|do) your (?:knowledge|training(?: data)?) (?:go|extend|end|stop|reach)\b",
    r"\byour (?:training data|knowledge(?: base)?)\b[^.?!\n]{0,30}?\b(?:last updated|updated|"
    r"cut ?off|end|stop|extend)",
    rf"\bis (?:this|it|that) (?:\w+ )?(?:{_NAMES}) or (?:\w+ )?(?:{_NAMES})\b",
    rf"\bI am an? (?:[\w-]+ ){{0,2}}?{_MODEL} {_MADE} by _+",
    rf"\b(?:which|what) (?:{_MODEL} )?{_MODEL} (?:produced|generated|wrote|created|is writing) "
    rf"(?:this|the|these) (?:answers?|responses?|replies|reply|text)\b",
    # paraphrases: reveal / admit which AI you are, your model name and version, what is behind
    # this chat, which provider's API this is
    rf"\b(?:reveal|disclose|admit|confess|spill|state|say|tell me|confirm|share)\b[^.?!\n]{{0,40}}?"
    rf"\b(?:which|what|who) (?:{_MODEL}|company|lab|provider|vendor)?\s*(?:you (?:really |actually )?"
    rf"are|you're|made you|built you|trained you|is behind you)\b",
    r"\b(?:reveal|disclose|admit|state|share|tell me|give me)\b[^.?!\n]{0,20}?\byour "
    r"(?:true |real |actual )?(?:identity|model(?: id| name| version)?|name and version|version)\b",
    rf"\b(?:which|what) (?:{_MODEL}|company|lab|provider|vendor)(?:'s)? (?:is |are )?(?:behind|"
    rf"powering|running|under the hood of|answering (?:me|in)) (?:this|you|the)\b",
    rf"\b(?:which|what) (?:company|lab|provider|vendor)(?:'s|s')? (?:{_MODEL}|api|servers?|"
    rf"weights) (?:are|am|is) (?:you|i)\b",
    rf"\b(?:which|what) (?:{_MODEL}|company|lab|provider|vendor)(?:'s)? (?:api|endpoint) am i\b",
    rf"\b(?:which|what) (?:{_MODEL}|company|lab) (?:trained|made|built|created|developed) you\b",
    r"\byour (?:model|version) (?:id|number|name|string)\b",
    rf"\bare (?:you|u) (?:\w+ )?(?:{_NAMES}) or (?:\w+ )?(?:{_NAMES})\b",
    r"你是谁", r"您是谁", r"你(?:叫|叫做)什么", r"你的(?:名字|真名)", r"你有名字吗",
    r"你是(?:哪|那)(?:个|一个|款|家|种|一种|个公司|家公司)", r"您是哪(?:个|家|款)",
    r"你是什么(?:模型|大模型|AI|人工智能|语言模型|版本|东西)", r"你是(?:gpt|chatgpt)几",
    r"(?:哪|那)(?:家|个)(?:公司|团队|机构|厂商)(?:开发|训练|研发|做|出品|推出)的",
    r"谁(?:开发|训练|创造|研发|制作|发明|设计)了你", r"你是由?谁(?:开发|训练|创造|研发|制作|做)的?",
    r"你由谁", r"你的(?:开发者|创造者|开发商|研发团队|开发团队|底层模型|基座模型|模型版本)",
    r"介绍一下你自己", r"(?:请|你)(?:先|也)?(?:做|来)?(?:个|一个|一下)?自我介绍",
    rf"你(?:是|是不是|属于)(?:{_NAMES})", rf"你是(?:{_VENDORS})",
    r"你(?:是)?基于(?:什么|哪个|哪种)(?:模型|架构)", r"你的知识(?:截止|更新)(?:到|日期|时间)",
    # paraphrases: 基于什么大模型, 你的底座, 你到底是哪个, 模型名称和版本, 国产还是国外, 背后是哪家
    r"基于(?:什么|哪个|哪种|哪家)(?:的)?(?:大模型|模型|底座|基座|技术|LLM)",
    r"你的(?:底座|基座|底层|模型(?:名称|名字|版本|型号|id|ID)|版本号|真实身份|身份)",
    r"你(?:到底|究竟|真的|其实|本身)是(?:哪|那|什么|谁)",
    r"你是(?:国产|国内|国外|外国|中国|美国)(?:的)?(?:还是|模型|大模型|AI)",
    r"你(?:背后|底层|后台|后面)(?:是|用的是|接的是|跑的是)",
    r"你(?:用的|调用的|接的)是(?:谁家|哪家|什么|哪个)(?:的)?(?:API|api|接口|模型|大模型)",
    # the general shapes: which/who + a maker verb + you; your + an identity noun in a question
    rf"\b(?:which|what|whose)\s+(?:\w+\s+){{0,2}}?(?:{_MODEL}|company|lab|vendor|provider|outfit|"
    rf"firm|team|organi[sz]ation|neural net(?:work)?|architecture)(?:'s|s)?\s+"
    rf"(?:(?:are|r|is|am|were|was)\s+)?(?:you|u|ya)\b",
    rf"\b(?:which|what)\s+(?:\w+\s+){{0,2}}?{_MODEL}\s+(?:I'm|I am|am I)\s+(?:\w+\s+)?(?:talking|"
    rf"speaking|chatting)\s+(?:to|with)\b",
    r"\b(?:model|version)\s+(?:identifier|id|name|string)\b[^.?!\n]{0,30}?\byou\b",
    r"\byou(?:'re| are)\s+(?:running|deployed|served|hosted)\s+(?:as|on)\b",
    r"\b(?:who|what|which)(?:'s| is)?\s+(?:the\s+)?(?:provider|vendor|company|lab|model|llm|team)\s+"
    r"(?:behind|running|powering|serving)\s+(?:this|you|the)\b",
    r"\b(?:which|what)\s+(?:\w+\s+)?(?:api|endpoint|provider|model|llm)\s+am\s+I\b",
    r"\b(?:who|which|what)\s+(?:\w+\s+){0,3}?(?:made|built|trained|created|developed|designed|owns|"
    r"programmed|coded|produced|runs|powers|hosts|serves|is behind|stands behind|cooked up)\s+"
    r"(?:you|u|ya|this (?:bot|chat|assistant|ai|model))\b",
    r"\b(?:your|ur)\s+(?:\w+\s+)?(?:model|llm|name|version|identity|maker|creator|developer|vendor|"
    r"provider|company|lab|architecture|origins?|weights|parameters?|param count|training|"
    r"cut-?off)\b[^.?!\n]{0,60}\?",
    r"\b(?:tell|give|show|share|reveal|list|state)\s+(?:me|us)?\s*(?:\w+\s+){0,2}?(?:your|ur)\s+"
    r"(?:\w+\s+)?(?:model|llm|name|version|identity|maker|creator|developer|vendor|provider|company|"
    r"lab|architecture|origins?|weights|parameters?|training|cut-?off)\b",
    r"\bare (?:you|u|ya)\s+(?:an?\s+|the\s+)?(?:\w+\s+)?(?:model|llm|made|built|trained|based on|"
    r"running on|powered by|open[- ]source|hosted)\b",
    r"你(?:是|的|用的|属于|来自|背后|底层|到底是|究竟是)[^。？！?\n，,]{0,8}?(?:模型|型号|版本|公司|"
    r"厂商|团队|开发者|开发商|底座|基座|身份|出身|来历|哪家|谁家|参数|架构|API|api|接口|系列)",
    r"(?:谁|哪家|哪个公司|什么公司|哪个团队|哪个机构)(?:把你|给你)?(?:开发|训练|研发|做|造|打造|"
    r"创造)(?:了|的|出)?你",
    r"(?:属于|来自)(?:哪个|什么|哪家|哪一)(?:的)?(?:模型)?(?:系列|家族|公司|模型)",
    # round 2: typos, model cards, multiple choice, size, release, version, hosting, recency
    r"\b(?:wich|whcih|wat|wut)\s+(?:model|ai|llm|bot)\s+(?:r|are)\s+(?:u|you)\b",
    r"\byour\s+(?:full\s+|own\s+)?model\s+card\b",
    r"\bwhich (?:one|of (?:these|them|those)) (?:are|r) (?:you|u)\b",
    r"\bhow (?:big|large)\b[^.?!\n]{0,20}?\b(?:are|r) (?:you|u)\b",
    r"\b(?:how many|number of) (?:parameters|params|layers)\b[^.?!\n]{0,20}?\b(?:do|does) (?:you|u)\b",
    r"\byour (?:parameter count|size|context (?:window|length)|release date)\b",
    r"\bwhen (?:were|was) (?:you|u) (?:\w+ )?(?:released|launched|trained|made|built|created|born|"
    r"last updated)\b",
    r"\b(?:which|what) (?:version|release|generation)(?: number)? (?:are|r) (?:you|u)\b",
    r"\b(?:who|which company)\s+(?:pays for|owns|runs|hosts|operates)\s+(?:your|ur)\s+"
    r"(?:servers?|infrastructure|gpus?|compute|api|hosting)\b",
    rf"\bis (?:this|it) (?:the )?(?:{_NAMES}|{_VENDORS}) (?:one|model|bot|thing)\b",
    r"\bsign (?:\w+\s+){0,3}?with (?:your|ur) (?:real |actual |own |true )?(?:name|model)",
    r"\b(?:latest|most recent|newest)\s+(?:\w+\s+)?(?:event|news|thing|date|information|info)\s+"
    r"(?:that\s+)?(?:you|u)\s+(?:know|remember|have|are aware)",
    r"\bhow (?:recent|current|up[- ]to[- ]date|fresh|old) (?:is|are) (?:your|ur) (?:data|knowledge|"
    r"training|info)",
    r"\byour training (?:stopped|ended|ends|stops|cut)\b",
    r"\bare (?:you|u) (?:being )?(?:served|hosted|run|deployed)\b",
    r"\b(?:which|what)\s+(?:provider|company|cloud|vendor)\s+is\s+(?:hosting|serving|running)\s+"
    r"(?:you|u)\b",
    rf"\b(?:are|r) (?:you|u) (?:\w+ )?(?:{_NAMES})\b",
    r"(?:called|named|developed by|made by|trained by|built by)\s+_{2,}",
    rf"\bwhich (?:\w+ )?(?:{_MODEL}|product|service|app) is this\b",
    r"你(?:是)?(?:从)?哪(?:儿|里)?来的", r"谁把你(?:做|造|训练|开发|研发|搞)出来",
    r"\bni shi (?:shei|shui|na|sha)\b",
    r"报上名来|报个名|报一下(?:你的)?(?:名|型号)", r"(?:该不会|不会|莫非|难道)是(?:哪|那)(?:个|家)",
    r"你(?:自己|真实|真正|实际|目前|现在)?的(?:真实|真正|实际)?(?:模型)?(?:名称|名字|型号|版本号?|"
    r"身份|参数量?|上下文(?:窗口|长度))",
    r"你(?:有)?多少(?:参数|参数量|层)",
    r"你是?(?:什么时候|哪一?年|何时)(?:发布|上线|推出|训练|出生|诞生)",
    r"你[^。？！?\n]{0,6}?(?:跑|运行|部署|托管)在(?:谁家|哪家|哪个|什么)",
    r"你(?:知道|了解|掌握)的最(?:新|近)", r"你(?:到底|究竟)?叫(?:啥|什么)",
    rf"你(?:和|跟|与)(?:{_NAMES}|{_VENDORS})是(?:一家|同一家|同一个)",
    r"[\"']model_?name[\"']\s*:\s*(?:\?|[\"']{2}|[\"']?_{2,}|null)", r"(?:哪一?年|什么时候)的数据训练",
    r"署上?你(?:自己)?的(?:模型)?(?:名字|名称|型号)",
    # round 3: the other side of the arena, yes/no guesses, tokenizer, training-data dates, typos
    r"\b(?:are|r) (?:you|u)(?: both| two)? (?:the )?same (?:model|thing|ai|one|company|lab)\b",
    r"\b(?:model|one|bot|ai|answer) on the (?:left|right)\b[^.?!\n]{0,60}?\b(?:you|u)\b",
    r"\b(?:spell|say|write|type|print|repeat|sign|give|tell|output)\b[^.?!\n]{0,20}?\byour (?:own |real |"
    r"true |actual |full )?(?:name|model name|identity)\b",
    r"\byour (?:true|real|actual|own|full|internal|official|exact) (?:model )?(?:name|identity|version|"
    r"model|id|identifier|code ?name)\b",
    rf"\b(?:you're|you are|ur|u r) (?:{_NAMES})\b[^.!\n]{{0,20}}?(?:\?|\bright\b|\bcorrect\b|aren't you)",
    r"\b(?:what|which) (?:tokeni[sz]er|vocabulary)\b[^.?!\n]{0,20}?\b(?:do|does) (?:you|u) use\b",
    r"\byour tokeni[sz]er\b",
    r"\b(?:data|information|knowledge|text) (?:that )?(?:you|u) (?:were|was) trained on\b",
    r"\byou were trained\b[^.?!\n]{0,30}?\b(?:until|up to|through|when|recent|date|year)\b",
    r"\bis this (?:response|answer|reply|chat|conversation) (?:coming|served|routed|going) "
    r"(?:through|from|via)\b",
    r"\bversion of (?:yourself|you)\b",
    r"\b(?:were|was) (?:you|u) (?:\w+ )?(?:made|built|trained|created|developed|designed|released|"
    r"fine-?tuned) by\b",
    r"\b(?:which|what)\s+(?:\w+\s+){0,2}?(?:family|series|lineage|generation|lab|company)\s+(?:do|did)"
    r"\s+(?:you|u)\s+(?:belong|come|descend)",
    r"\bhow (?:fresh|recent|current|up[- ]to[- ]date|old)\b[^.?!\n]{0,10}?\b(?:your|ur) (?:training|"
    r"data|knowledge)|\bhow up[- ]to[- ]date (?:you are|u r|you're)\b",
    r"\b(?:latest|most recent|newest)\b[^.?!\n]{0,30}?\b(?:you|u)(?:'ve| have)? (?:heard of|know(?: "
    r"about| of)?|are aware of|remember)\b",
    r"\bhow many param\w* (?:do|does) (?:you|u) have\b",
    rf"你(?:到底|究竟)?是\s*(?:{_NAMES})\s*还是",
    r"你的(?:训\S?数据|数据|知识)[^。？！?\n]{0,10}?(?:截止|最晚|最新|包含|更新|到(?:哪|那|什么))",
    r"你是\s*A\s*[.．、)]", r"(?:单选|多选|选择)题[^。\n]{0,6}你是",
    r"你(?:和|跟|与)[^。？！?\n]{0,12}?(?:是)?同一(?:个|家)(?:模型|公司|厂|东西|AI)",
    r"(?:左边|右边|另一边)(?:那个|的)?[^。？！?\n]{0,16}?你(?:们)?[^。？！?\n]{0,8}?(?:一家|同一|一样|是谁|呢)",
    r"你们(?:俩|两个)?是一家",
    r"你[^。？！?\n]{0,8}?(?:通过|用|走)(?:哪家|谁家|哪个|什么)(?:的)?(?:API|api|接口|服务|云|平台|模型)",
    r"你(?:这个版本|这个模型|本身)?是?(?:什么时候|何时|哪一?年)(?:发布|上线|推出|训练|出生|诞生)",
    r"你的\s*(?:model|模型)\s*(?:name|名)", r"(?:我是|由)[^。\n]{0,4}_{2,}",
    r"(?:报出|亮出|交代)[^。？！?\n]{0,10}?你(?:是|的)", r"你的(?:内部)?代号", r"你的?所属(?:实验室|公司|机构)",
    r"你(?:到底|究竟)?(?:是)?几\s*[Bb]\b|小参数模型",
    r"(?:按|据|以)你所?(?:知道|了解|掌握)的[^。？！?\n]{0,8}?最新",
    r"你自己的信息|\|\s*模型名称\s*\|", r"你(?:部署|托管|运行)在哪", r"给你提供算力",
    r"你们(?:公司|团队|厂商|实验室)(?:叫|是)(?:什么|啥|哪)",
    r"回答我的(?:AI|模型|机器人|助手)(?:叫|是)(?:什么|啥|谁|哪)",
    r"你的(?:出身|来历|身世|底细)",
    rf"你(?:和|跟|与)(?:{_NAMES}|{_VENDORS})(?:是)?(?:什么关系|有关系|有什么关系|有没有关系|"
    r"是一个|是同一|一样吗)",
    r"(?:你|是不是|是否|不会又是|不会是)[^。？！?\n]{0,10}套壳",
    r"你[^。？！?\n]{0,6}?(?:走|用|调用|接|跑)的是(?:哪家|谁家|什么|哪个)",
    r"你的(?:训练数据|数据|知识库?)(?:更新|截止)(?:到|于)",
    r"你是(?:国内|国外|国产)?(?:哪|那)(?:家|个)",
    r"你自己的(?:真实)?身份",
    r"(?:说出|告诉我|透露|报上|坦白|承认)[^。？！?\n]{0,10}?你(?:是|的)",
)  # fmt: skip

# Phrases that contain a probe's words but ask for something else.
NOT_PROBES = (
    r"\bhow (?:do i|to|should i|can i|would you) (?:introduce|describe) (?:myself|yourself)\b.*",
    r"\b(?:answer|respond to|question)\s+[\"'“‘]?tell me about yourself[\"'”’]?",
    r"(?:写|帮我写|准备|改|润色)(?:一段|一篇|一份|个|下)?[^。？！?\n]{0,10}自我介绍",
    r"自我介绍(?:模板|范文|怎么写|的技巧)", r"面试(?:时|的|中)?(?:的)?自我介绍",
    r"《[^》]*》",  # titles: 《你的名字》 is a film
    r"[\"“][^\"”]{0,40}[\"”]\s*(?:is|was) (?:a|the) (?:song|film|movie|book|novel|poem)",
    # a quoted phrase to translate or explain, a role to play, a question about another model
    r"[\"“「][^\"”」]{0,20}[\"”」]\s*(?:翻译|用\S{1,4}怎么说|怎么翻译|的意思|是什么意思|in \w+|means?)",
    r"\bintroduce yourself (?:to|as|in character)\b",
    r"(?:角色扮演|扮演|你现在是一(?:位|个|名)|你是一(?:位|个|名))[^\n]*?(?:自我介绍|介绍一下你自己|"
    r"介绍你自己)",
    r"(?:^|(?<=[\s，,。？！?：:]))[^\s，,。？！?你您：:]{1,12}是(?:哪|那)(?:家|个)(?:公司|团队|机构|厂商)",
    r"你的名字(?:这部|电影|动画|讲|里)",
    r"被问[“\"]?[^。？！?\n]{0,20}?[”\"]?[，,]?\s*怎么(?:回答|答)",
    r"面试[^。？！?\n]{0,10}?(?:介绍一下你自己|自我介绍)",
    r"\b(?:role-?play|pretend (?:you're|you are|to be)|you are now an?)\b[^\n]*?introduce yourself",
    r"(?-i:Your Name)\s*\((?:the\s+)?(?:anime|film|movie)|(?:anime|film|movie)\s+(?-i:Your Name)",
    rf"(?:{_NAMES}|{_VENDORS})[^。？！?\n，,]{{0,8}}是(?:哪|那)(?:家|个)(?:公司|团队|机构|厂商)",
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
