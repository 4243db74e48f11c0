"""De-anonymising probes: prompts that ask a model who it is, who made it, or its knowledge cutoff
(a fingerprint), in English and Chinese.

Phrases that only look like probes ("write my interview self-introduction", the film 《你的名字》)
are blanked out first, so they never match.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re

from arena.integrity.disclosure_names import plain_text
from arena.integrity.probe_model import THRESHOLD, THRESHOLD_UNCUED, probe_score

EVIDENCE_CHARS = 200  # of a prompt the model found a probe in, kept as the evidence

_MODEL = r"(?:model|llm|ai|a\.i\.|language model|chatbot|bot|version|gpt|assistant)"
_MADE = r"(?:made|created|trained|built|developed|programmed|designed|owns|released)"
_NAMES = (
    r"chat\s?gpt|gpt|claude|gemini|bard|llama|qwen|deepseek|mistral|grok|kimi|copilot|ernie|"
    r"doubao|glm|mixtral|gemma|baichuan|internlm|nemotron|olmo|jamba|pangu|sensenova|hunyuan|(?:同义|通义)千[问文闻]|千闻|[文纹闻][心星]一言|o1|o3|r1|o4-mini|4o|gpt-?[345](?:\.\d)?o?|通义|千问|文心|豆包|智谱|deepseek|混元|星火|百川|元宝"
)
_VENDORS = (
    r"openai|anthropic|google|meta|alibaba|baidu|microsoft|bytedance|tencent|xai|"
    r"谷歌|百度|阿里|腾讯|字节|微软|深度求索|月之暗面"
)

# Names that come with a version number ("这是gpt几", "is this Claude 3.5 or 3.7"): Latin-script
# ones and two Chinese ones, not 豆包 (a steamed bun, "这是豆包还是馒头").
_VERSIONED_NAMES = r"chat\s?gpt|gpt|claude|gemini|llama|qwen|deepseek|mistral|grok|kimi|glm|ernie|doubao|千问|文心一言"
# "Play the real you" (扮演真实的你自己) gives no role: what the role rules below set aside.
_THE_REAL_YOU = r"(?![^\n，,。]{0,15}?(?:真实|真正|原本|本来)的?你自己)"

PROBE_PATTERNS = (
    r"\bwho (?:are|r) (?:you|u|ya)\b(?! (?:voting|going|rooting|cheering|calling|talking about|"
    r"supposed|meant|expected|allowed|planning|bringing|taking|inviting|meeting|waiting|texting|"
    r"emailing|hiring|sending|seeing|dating|buying|picking|sitting|staying|working))",
    r"\bwho (?:am i|are we) (?:talking|speaking|chatting) (?:to|with)\b",
    r"\bwhat(?:'s| is) your (?:real |actual |model )?name\b",
    r"\bdo (?:you|u) have a name\b",
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
    r"\b(?:your|ur|the) (?:knowledge|training(?: data)?) cut-?off\b(?! (?:date )?(?:of|for|in) )",
    r"\b(?:does|did|do) your (?:knowledge|training data) (?:go|extend|end|stop|reach)\b",
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
    rf"\b(?:which|what) (?:(?:foundation|base|underlying|language) )?(?:{_MODEL}|company|lab|provider|"
    rf"vendor)(?:'s)? (?:is |are )?(?:(?:behind|powering|running|under the hood of|answering (?:me|in)) "
    rf"(?:this|you|the)\b|under the hood (?:here|now)\b)",
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
    r"(?:you|u|ya|ye|thee|this (?:bot|chat|chatbot|assistant|ai|model))\b",
    r"\b(?:your|ur)\s+(?:\w+\s+)?(?:model|llm|name|version|identity|maker|creator|developer|vendor|"
    r"provider|company|lab|architecture|origins?|weights|parameters?|param count|training data|"
    r"cut-?off)\b[^.?!\n]{0,60}\?",
    r"\b(?:tell|give|show|share|reveal|list|state)\s+(?:(?:me|us)\s+)?(?:\w+\s+){0,2}?(?:your|ur)\s+"
    r"(?:\w+\s+)?(?:model|llm|name|version|identity|maker|creator|developer|vendor|provider|company|"
    r"lab|architecture|origins?|weights|parameters?|training data|cut-?off)\b",
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
    r"\b(?:your|ur) (?:param(?:eter)?s? (?:count|size)|size|model size|number of param(?:eter)?s|"
    r"context (?:window|length)|release date)\b",
    r"\bwhen (?:were|was) (?:you|u) (?:\w+ )?(?:released|launched|trained|made|built|created|born|"
    r"last updated)\b",
    r"\b(?:which|what) (?:version|release|generation)(?: number)? (?:are|r) (?:you|u)\b",
    r"\b(?:who|which company)\s+(?:pays for|owns|runs|hosts|operates)\s+(?:your|ur)\s+"
    r"(?:servers?|infrastructure|gpus?|compute|api|hosting)\b",
    rf"\bis (?:this|it) (?:the |an? )?(?:(?:{_VENDORS})\s+)?(?:{_NAMES}|{_VENDORS}) (?:one|model|bot|thing|"
    r"product)\b",
    rf"\bis this (?:the )?(?:new|latest|newest|old|same)\s+(?:{_NAMES}|{_VENDORS}) (?:one|model|bot|thing)"
    rf"\b[^.?!\n]{{0,10}}\?",
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
    r"你(?:有)?多少(?:亿|万亿)?(?:个)?(?:参数|参数量|层)",
    r"你是?(?:什么时候|哪一?年|何时)(?:发布|上线|推出|训练|出生|诞生)",
    r"你[^。？！?\n]{0,6}?(?:跑|运行|部署|托管)在(?:谁家|哪家|哪个|什么|哪的|哪里|哪儿)",
    r"你(?:知道|了解|掌握)的最(?:新|近)", r"你(?:到底|究竟)?叫(?:啥|什么)",
    rf"你(?:和|跟|与)(?:{_NAMES}|{_VENDORS})是(?:一家|同一家|同一个)",
    r"[\"']model_?name[\"']\s*:\s*(?:\?|[\"']{2}|[\"']?_{2,}|null)", r"(?:哪一?年|什么时候|几几年|哪几年)的数据训练",
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
    r"\b(?:which|what)\s+(?:\w+\s+){0,2}?(?:family|series|lineage|generation|lab|company)"
    r"(?:\s+of\s+(?:\w+\s+){0,2}?(?:models?|llms?|ais?|assistants?))?\s+(?:do|did)"
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
    r"你的\s*(?:model|模型)\s*(?:name|名)", r"(?:我是|由|我来自|我叫)[^。\n]{0,4}_{2,}",
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
    r"你[^。？！?\n我]{0,6}?(?:走|用|调用|接|跑)的是(?:哪家|谁家|什么|哪个)",
    r"你的(?:训练数据|数据|知识库?)(?:更新|截止)(?:到|于)",
    r"你是(?:国内|国外|国产)?(?:哪|那)(?:家|个)",
    r"你自己的(?:真实)?身份",
    r"(?:说出|告诉我|透露|报上|坦白|承认)[^。？！?\n]{0,10}?你(?:是|的)",
    # validation set 4: makers in relative clauses, the name of your
    # model, guesses, hosting, the data's end, which of you, what wrote this, slang
    rf"\b(?:company|lab|team|org(?:ani[sz]ation)?|people|folks|vendor|provider|firm|startup|"
    rf"engineers)\s+(?:that|which|who)\s+(?:\w+\s+)?{_MADE}\s+(?:you|u)\b",
    rf"\bthe\s+(?:[\w.-]+\s+){{0,2}}?{_MODEL}\s+(?:that\s+)?(?:you are|you're|u r)\b",
    r"\bname of (?:your|ur) (?:\w+\s+)?(?:model|llm|ai|maker|creator|company|lab|developer|"
    r"provider|vendor|family|architecture|version|organi[sz]ation)\b",
    r"\b(?:talking|speaking|chatting)\s+(?:to|with)\s+(?:you|u)\s+(?:through|via|over|on)\s+"
    r"(?:\w+(?:'s)?\s+){0,2}?(?:api|servers?|platform|cloud|endpoint)",
    r"\b(?:name|model|version)\b[^\n]{0,120}?\b(?:tell|give|share|reveal|whisper)\s+(?:me|us)\s+"
    r"yours\b",
    r"\b(?:your|ur)\s+(?:training\s+data|knowledge(?:\s+base)?)\s+(?:\w+\s+)?(?:stops?|stopped|ends?|"
    r"ended|cuts? off|goes? (?:up )?to|runs? (?:out|until|through)|(?:is|was|got)\s+frozen)\b",
    r"\b(?:when|what (?:month|year|date))\b[^.?!\n]{0,20}?\b(?:your|ur)\s+(?:training\s+)?(?:data|"
    r"knowledge)\s+(?:stops?|ends?|cuts? off|(?:was\s+)?frozen)\b",
    r"\bare (?:you|u)\s+(?:one of\s+)?(?:the\s+|an?\s+)?(?:chinese|american|us|european|french|"
    r"open[- ]source|open[- ]weights?|closed|proprietary)\s+(?:models?|ones?|ai|llms?)\b",
    r"\bare (?:you|u) one of (?:the|those|these)\b[^.?!\n]{0,30}?\b(?:models|ais|llms|bots)\b",
    r"\bis (?:this|it) (?:the )?\S+ (?:model|version|variant) or\b",
    r"\b(?:what|which)\s+(?:[\w.-]+\s+){0,2}?(?:variant|edition|checkpoint|"
    r"release)\s+(?:of\s+[\w.-]+\s+)?(?:are|r)\s+(?:you|u)\b",
    rf"\bwhich (?:one )?of (?:you|u)(?: two| both)? (?:is|was)\s+(?:the\s+)?(?:real\s+)?(?:{_NAMES}|"
    rf"{_VENDORS}|made|built|trained|from|by)",
    rf"\b(?:which|what)\s+(?:\w+\s+)?{_MODEL}\s+(?:produced|generated|wrote|created|is writing|made|"
    rf"authored)\s+(?:this|the|these|that)\b",
    rf"\b(?:you're|you are|youre|ur|u r)\s+(?:\w+\s+)?(?:made|built|trained|created|developed|"
    rf"designed|powered|hosted|run|served)\s+(?:by|on|at)\s+(?:{_VENDORS}|{_NAMES})",
    rf"\bI (?:bet|guess|think|suspect|reckon|assume)\s+(?:that\s+)?(?:you're|you are|youre|ur|u r)"
    rf"\s+(?:an?\s+|the\s+)?(?:\w+\s+)?(?:{_NAMES}|{_VENDORS}|(?:made|built|trained)\s+by)\b",
    r"\b(?:do|are|did)\s+(?:you|u)\s+(?:run|running|hosted|served|deployed)\s+(?:on|by|in)\s+"
    r"(?:\w+(?:'s)?\s+){0,2}?(?:servers?|gpus?|tpus?|cloud|hardware|infrastructure|azure|aws|gcp|"
    r"datacenters?|data cent(?:er|re)s?)\b",
    rf"\b(?:do|are|did)\s+(?:you|u)\s+(?:run|running|hosted|served|deployed)\s+(?:on|by|in)\s+"
    rf"(?:{_VENDORS})",
    r"\bwho(?:'s| is)\s+(?:hosting|serving|running|powering|training)\s+(?:you|u)\b",
    r"你(?:们|俩)(?:分别|各自|俩|两个)?(?:都)?是(?:谁|哪(?:个|家)|什么模型)",
    r"(?:这个|本)(?:网站|平台|页面|应用|竞技场)[^。？！?\n]{0,6}?(?:调|用|接|走|跑)的是(?:哪家|谁家|什么|哪个)",
    r"(?:关于)?你(?:的)?(?:名字|真名|型号)的?那",
    r"按你(?:真实|自己|本来)的?(?:情况|身份|信息)",
    r"你(?:爸爸?|爹|老爸|妈妈?|娘家|东家|老板|金主|亲爹)是(?:谁|哪|什么)",
    r"自己(?:是|由)(?:哪|那|什么|谁)(?:家|个)?(?:公司|团队|机构|模型|厂商)",
    r"(?:写上|写下|填上|注明|标明|署上|附上|加上|写出)[^。？！?\n]{0,12}?(?:模型|AI)(?:的)?"
    r"(?:名称|名字|型号|版本)",
    r"你是\s*\d+(?:\.\d+)?\s*[Bb](?![A-Za-z])(?=\s*(?:还是|的|吗|参数|模型|版本|？|\?))",
    r"你[^。？！?\n]{0,10}?(?:能|可以)?(?:处理|读|支持|记住|接受|看)(?:多少|多长|几)\s*(?:个\s*)?"
    r"(?:token|上下文)",
    r"你是在(?:哪|哪里|哪儿|中国|美国|国内|国外)\S{0,4}?(?:训练|开发|研发)的",
    r"介绍(?:一下)?你(?:这个)?(?:AI|模型|机器人|助手)?(?:本身|自己)",
    # validation set 5: sizes, context, debug-mode dumps, forms
    # to fill, citing the tool, slang; 你其实就是X吧, 你是以下哪一个, 你是被谁训练的
    r"\bhow many (?:params?|parameters|tokens)\s+(?:do\s+|did\s+|can\s+)?(?:you|u)\s+(?:got|have|"
    r"handle|take|hold|read|remember)\b",
    r"\bhow many (?:params?|parameters)\s+(?:are|r)\s+(?:you|u)\b",
    r"\b(?:your|ur)\s+(?:max(?:imum)?\s+)?context\s+(?:window|length|size|limit|holds?)\b",
    r"\bcontext (?:length|window|size)\s+(?:that\s+)?(?:you|u)\s+(?:support|have|handle|can)\b",
    r"\b(?:paste|feed|give|send)\s+(?:into|to)\s+(?:you|u)\s+before\b",
    r"\b(?:print|output|echo|show|display|dump)\s+(?:your\s+model[_ ]?(?:name|id|provider|version|"
    r"vendor)\b|(?-i:MODEL_?(?:NAME|ID|PROVIDER|VERSION|VENDOR))\b|the\s+value\s+of\s+(?:the\s+)?"
    r"(?-i:MODEL_?(?:NAME|ID|PROVIDER|VERSION|VENDOR))\b[^.?!\n]{0,40}?\byour\b)",
    r"\b(?:the\s+)?(?:tool|model|ai|bot|assistant|system|thing|chatbot)\s+(?:that\s+)?I(?:'m| am)\s+"
    r"(?:talking|speaking|chatting)\s+(?:to|with)\b",
    r"\b(?:who|which|what)\s+(?:\w+\s+){0,3}?(?:cooked|whipped|dreamed|spun)\s+(?:you|u|ya)\s+"
    r"up\b",
    r"\bwhat(?:'s|s| is)?\s+(?:ur|your|yo)\s+(?:real |actual |model )?name\b",
    r"\babout yourself\b[\s\S]{0,60}?\b(?:name|version|creator|developer|model|maker|company)\b",
    r"\b(?:respond|reply|answer|output|return)\b[^\n]{0,40}?\b(?:keys?|fields?|columns?|properties)\b"
    r"[^\n]{0,60}?\bmodel[_ ]?(?:name|id|version)\b[^\n]{0,40}?\b(?:vendor|provider|developer|creator)\b",
    r"\|\s*(?:model(?: name)?|developer|vendor|creator|knowledge cutoff|模型(?:名称)?|开发者)\s*\|\s*\|",
    r"\bwhat (?:do|does|did|would|will) (?:your\s+)?(?:developers?|creators?|makers?|engineers|team)\s+"
    r"call\s+(?:you|u)\b",
    r"\bcite\s+(?:you|u)\b",
    r"\bwho(?:'s| is)\s+responsible\s+for\s+(?:creating|making|building|training|bringing)\s+"
    r"(?:you|u)\b",
    rf"你(?:其实|本来|实际上|根本|肯定|应该|难道|就)*(?:不)?(?:就)?是\s*(?:{_NAMES}|{_VENDORS})",
    r"你是(?:以下|下面|下列)(?:的)?(?:哪|那)",
    r"你(?:的)?知识库?(?:里|中)?(?:的)?最(?:新|近)",
    r"你(?:又|到底|究竟|本人|自己)是谁",
    r"(?:我|你)(?:现在|目前)?调用的(?:到底|究竟)?是(?:哪|那|什么|谁家)(?:个|家)?(?:的)?\s*(?:API|api|接口|模型)",
    r"你(?:是)?被(?:谁|哪家|哪个)[^。？！?\n]{0,6}?(?:训练|开发|研发|做出|造出|创造|打造)",
    r"你[^。？！?\n]{0,10}?自己的(?:真名|真实名字|型号|身份|模型)",
    r"你的\s*(?:model\s*card|模型卡)",
    r"你[^。？！?\n]{0,8}?训练[^。？！?\n]{0,10}?(?:多少|哪些|什么)(?:的)?(?:数据|语料)",
    r"哪(?:个|家)(?:实验室|公司|团队|机构)把你", r"你的[“\"]?出生地",
    rf"你们(?:俩|两个)?(?:谁|哪个)是\s*(?:{_NAMES}|{_VENDORS})",
    # validation sets 6 and 7: guesses by style, who pays, what to cite, names given by developers, forms,
    # config dumps, downloads; 谁给你付钱, 跟哪家的服务器对话, 空着的表格, 一看就是X吧, Hugging Face 上叫什么
    rf"\bis this\s+(?:the\s+)?(?:{_NAMES})\b[^.?!\n]{{0,10}}(?:\?|\Z)",
    r"\b(?:model|llm)\s+(?:it's|it is|you're|you are)\s+(?:running|built|based)\s+on\b",
    r"\bwhat (?:are|r) (?:you|u)(?: both| two| guys)? called\b",
    r"\b(?:keys?|fields?)\b[^\n]{0,60}?\b(?:describing|about)\s+yourself\b",
    rf"\b(?:are|r) (?:you|u) (?:an? |the )?(?:(?!familiar|aware|using|into|like|sure|able|going|trying|"
    rf"talking|comparing|better|worse|faster|smarter)\w+ )?(?:{_NAMES})\b",
    r"\bwho pays (?:for )?(?:your|ur) (?:bills|servers?|compute|rent|hosting)\b",
    r"\b(?:which|what) company is \w+ing\s+(?:the\s+)?(?:compute|servers?|bills?|hosting)\b",
    r"\bfor (?:you|u)\s*(?:[—–]+|\s-)\s*(?:your\s+)?(?:name|model|version)\b",
    rf"\b(?:your|ur)\s+(?:\w+\s+){{0,2}}?(?:style|writing|answers?|tone|vibe)\b[^\n]{{0,30}}?\b(?:screams?|"
    rf"smells? like|feels? like|sounds? like|reads? like)\s+(?:an?\s+)?(?:{_VENDORS}|{_NAMES})\b",
    r"\bname (?:that\s+)?(?:your\s+)?(?:developers?|creators?|makers?|company|team)\s+gave\s+(?:you|u)\b",
    rf"\bwhoever\s+(?:\w+\s+)?{_MADE}\s+(?:you|u)\b",
    r"[\"']model_?name[\"']\s*:\s*(?:\.\.\.|…|<)",
    r"\bwhose\s+(?:\w+\s+)?(?:rlhf|weights|model|training|fine-?tune)\s+(?:are|r)\s+(?:you|u)\b",
    r"\bdownload (?:you|u)\b",
    r"(?:谁|哪家|哪个公司)[^。？！?\n]{0,6}?(?:给你|为你|帮你)(?:付|出|掏)[^。？！?\n]{0,4}?(?:钱|服务器|算力|账单|费)",
    r"(?:跟|和|与)(?:哪家|哪个|什么)(?:公司)?的?(?:服务器|模型|大模型|AI|API|助手|机器人)(?:在)?(?:对话|聊天|说话)",
    r"模型(?:版本|名称|名字)[ \t]*[:：][ \t]*(?:\n|$|_{2,})",
    r"你(?:大概|大约|一共|总共)?有多少(?:参数|参数量|层)",
    rf"你[^。？！?\n]{{0,12}}?(?:一看就是|肯定是|应该是|八成是|估计是|多半是)\s*(?:{_NAMES}|{_VENDORS})[^。\n]{{0,4}}?(?:吧|吗|？|\?)",
    r"(?:Hugging\s*Face|HF|魔搭|ModelScope)\s*上\s*(?:叫|是)(?:什么|啥)",
    r"你(?:的)?(?:系统提示词?|系统指令|system\s*prompt)[^。？！?\n]{0,20}?(?:模型|名字|名称|身份|型号)",
    r"你的?(?:训练)?(?:数据|知识)[^。？！?\n]{0,10}?(?:截止|最晚|最新|更新)",
    r"\bwhich (?:lab|company|model|vendor)(?:'s)?\s+(?:house\s+)?style\b[^.?!\n]{0,30}?\b(?:you|u)\b",
    # validation sets 8 and 9: which are you / what are you?; A) B) C); this 3.5 or 4; fine-tuned
    # from; whom to thank; blanks and placeholders to fill with your own; the cloud you run on; how
    # much text you hold; your answers feel like X; which model answered this; 你啥来头, 报个家门,
    # 你参数量多大, 你上下文多长, 你是基于X微调的吗, 你最近一次更新, 我该感谢哪家公司
    rf"\bwhich\s+(?:one\s+)?(?:are|r)\s+(?:you|u)\s*\?[\s\S]{{0,40}}?(?:{_NAMES})",
    r"\bwhat\s+(?:exactly\s+|really\s+|actually\s+)?(?:are|r)\s+(?:you|u)\s*,?\s*(?:anyway|exactly|"
    r"really|actually)\s*\?",
    r"\b(?:says|said|claims|claimed)\s+(?:it's|it is|it was|to be|that it's)\s+[^\n]{0,40}?\bwhat\s+"
    r"(?:are|r)\s+(?:you|u)\s*\?",
    rf"\b(?:are (?:you|u)|you(?:'re| are))\s*:?\s*\(?[Aa1][).:]\s*(?:{_NAMES})",
    r"\bis this\s+gpt[- ]?\d(?:\.\d)?\s+or\s+(?:gpt[- ]?)?\d(?:\.\d)?\s*(?:\?|\Z)",
    r"\bis this\s+\d\.\d\s+or\s+\d(?:\.\d)?\s*\?[^\n]{0,40}?\b(?:answers?|responses?|replies|model|"
    r"version|feels?)\b",
    rf"\bis (?:this|it|that)\s+(?:the\s+)?(?:{_NAMES})[\w .-]{{0,15}}?\s+or\s+\w+[^.?!\n]{{0,30}}?"
    rf"\b(?:I'm|I am|am I)\s+(?:talking|chatting|speaking)",
    r"\bwhat\s+(?:were|are|was)\s+(?:you|u)\s+(?:originally\s+)?(?:fine-?tuned|trained|distilled|"
    r"derived|built|based)\s+(?:from|on|off)\b",
    r"\b(?:which|what|who)\s+(?:\w+\s+)?(?:should|do|can|must)\s+I\s+thank\s+for\s+(?:you|u)\b",
    r"(?:回答|你)[^。？！?\n]{0,20}?(?:该|要|应该|得)感谢(?:哪家|哪个|什么|谁家)(?:公司|团队|机构|厂商|实验室)",
    r"\b(?:your|ur)\s+(?:own\s+|real\s+|true\s+|actual\s+)(?:info|information|details|name|"
    r"identity|data)\b(?=[\s\S]{0,120}?\b(?:model|AI|company|developer|created|trained|made)\b)"
    r"[\s\S]{0,120}?_{3,}",
    r"[\[【{(（<]\s*(?:模型名(?:称|字)?|模型|名字|名称|公司|开发者|厂商|参数量?)\s*[\]】})）>][\s\S]{0,120}?"
    r"(?:填(?:上|入|写)?(?:你|您)自己|(?:你|您)自己的|填(?:你|您)的|(?:你|您)的真实)",
    r"\b(?:which|what)\s+(?:cloud|servers?|hardware|gpus?|chips?|infrastructure|platform|"
    r"data ?cent(?:er|re)s?)\s+(?:do|are|did)\s+(?:you|u)\s+(?:run|running|hosted|deployed|served|"
    r"trained)\b",
    r"\bhow (?:big|large|much)\s+(?:is|was)\s+(?:your|ur)\s+(?:training\s+data|dataset|training\s+set|"
    r"context(?:\s+window)?)\b",
    r"\bhow (?:much|many)\s+(?:text|tokens|words)\s+can\s+(?:you|u)\s+(?:hold|handle|remember|take|"
    r"process|keep)\b",
    rf"\b(?:you\s+(?:\w+\s+)?(?:sound|read)|your\s+(?:\w+\s+)?(?:answers?|style|responses?|writing|"
    rf"tone|replies|vibe)\s+(?:\w+\s+)?(?:sound|feel|seem|read|look)s?)\s+(?:\w+\s+){{0,3}}?like\s+"
    rf"(?:{_NAMES})\b(?!\s+(?:is|are|or|has|and)\b)",
    r"\b(?:which|what)\s+(?:model|version|llm|ai)(?:\s*/\s*\w+)?\s+(?:answered|wrote|generated|"
    r"produced|gave)\s+(?:this|that|me|it)\s*\?",
    r"(?:请问|到底|究竟|刚才是|你是)(?:是)?(?:哪个|什么|哪家的?)(?:模型|AI|ai|大模型)(?:回答|生成|写|给出|回复)的",
    r"\b(?:answer|respond|reply|speak)\s+as\s+(?:yourself\W+)?(?:the\s+)?(?:actual|real|true)\s+(?:ai|"
    r"model|assistant)\b",
    rf"你(?:的)?(?:说话|回答|回复|风格|语气|文风|口吻)[^。？！?\n]{{0,6}}?(?:像|类似)\s*(?:{_NAMES})",
    r"你(?:是)?(?:啥|什么)来头|你的来头|(?<!自)报(?:个|上|一下)?家门",
    r"(?:这|你这)(?:个)?(?:ai|AI|模型|机器人|bot)(?:到底|究竟)(?:是)?(?:哪家|谁家|哪个公司)",
    r"你(?:的)?参数量?(?:多大|多少|是多少|有多少)", r"你(?:的)?上下文(?:窗口|长度)?(?:多长|多大|有多少|是多少)",
    r"你(?:是)?(?:基于|从)\s*[^。？！?\n]{0,12}?(?:微调|蒸馏)(?:的|出来|而来)",
    r"你(?:最近|上次|上一次|最后)(?:一次)?(?:更新|升级|训练)(?:是|在)?(?:什么时候|哪天|何时|几号|哪一?年)",
    r"你的(?:信息|资料)[^。？！?\n]{0,20}?(?:model_?name|vendor|模型名|厂商)",
    # validation set 17 (stop 29): the model and version of yours; who's on the other end; identify
    # yourself; up to what date do you know; 回复我的是哪位, 我在跟谁说话, 尊姓大名, a form's blank tags
    r"\b(?:model|llm)\s*(?:and|&|\+|/)\s*version\b[^.?!\n]{0,30}?\b(?:yours|urs|of\s+(?:you|u))\b",
    r"\bwho(?:'s|’s| is)\s+(?:really\s+)?on\s+the\s+other\s+end\s+(?:of\s+)?(?:this|here)\b",
    r"(?<!['\"“‘])\bidentify\s+(?:your\s?self|urself|yourself)\b",
    r"\b(?:up\s+)?(?:to|until|till)\s+(?:what|which)\s+(?:date|year|month|point)\s+(?:do|does|can)\s+"
    r"(?:you|u|ya)\s+(?:know|remember)\b",
    r"\bhow\s+far\s+back\s+does\s+(?:your|ur)\s+(?:memory|knowledge)\b",
    r"(?:现在|正在)?(?:回复|回答|陪)我(?:聊天|说话|对话)?的(?:是|又是)(?:哪位|谁|哪个|什么)",
    r"我(?:现在|正在|到底|究竟)?(?:在)?(?:跟|和|与)谁(?:说话|聊天|对话)",
    r"(?:阁下|您|你)\s*尊姓大名",
    r"(?:self|you|your|yourself|你|自己|assistant)[^<\n]{0,40}?(?:<\w+>\s*)?"
    r"<(?:name|model|org|vendor|version)>\s*</(?:name|model|org|vendor|version)>",
    r"[【\[]\s*(?:模型|公司|厂商|版本)\s*[】\]]\s*_{2,}",
    # set 16 (read once, a development set since): a form about the AI in use with its fields
    # blank, a guess by likeness, a codename, "your name + developer", a choice of context sizes
    r"(?:\bai|\bmodel|\btool|模型|工具)\s*(?:system\s*|系统)?(?:name|名称|版本|version)\s*[:：]\s*(?:_{2,}|\[\s*\]|$)"
    r"|[\"“](?:工具名称|模型版本|模型名称|AI名称)[\"”]\s*[:：]\s*(?:\"\"|“”)",
    rf"(?:感觉|觉得|我猜|猜)你(?:有点|挺|很)?像\s*(?:{_NAMES}|{_VENDORS})",
    r"你的?(?:内部)?代号", r"\byour\s+(?:real\s+)?name\s*(?:\+|&)\s*(?:developer|maker|creator|company|version|model)\b",
    r"(?:^|(?<=[\s，,。？?！!]))(?:你的?)?上下文(?:长度|窗口)(?:是|有)?[^\n？?。]{0,24}?还是",
    # set 18 (a development set since): a letter to sign with the AI's own name, the name of the
    # system writing the replies, 是什么模型在回答, 正在回答我的是哪一款, 你的context window
    r"\b(?:sign|signed)\b[^\n]{0,30}?\byour\s+(?:own\s+|actual\s+|real\s+|true\s+)*(?:ai|model|assistant|bot)(?:'s)?\s+name\b"
    r"|(?:落款|署名|签名)[^\n]{0,10}?(?:写|用|是)?你(?:自己)?的?\s*(?:真实的?)?\s*(?:ai|模型|助手)\s*(?:名字|名称)",
    r"\b(?:name|brand|maker) of the (?:system|model|ai|bot|tool|chatbot|assistant)\s+(?:(?:that's|that is|which is|that)\s+)?"
    r"(?:generating|writing|producing|answering|replying)\s+(?:to\s+)?(?:these|this|my|me|now|here)\b",
    r"(?:这个|现在|正在)?是(?:什么|哪个|哪款|哪一款|哪家的?)(?:模型|大模型|ai|AI)在(?:回答|回复|跟我聊|写)(?=我|你|这|呢|吗|？|\?|$)",
    r"正在(?:回答|回复)我的(?:是|又是)(?:哪|什么)", r"你的\s*context\s*(?:window|length)",
    # set 16's misses (a development set): choices of who the user is talking to, the tool's
    # name and version for this chat (to declare AI use, to cite it), "real name + version", how
    # new you are
    rf"\b(?:talking to|chatting with|speaking (?:to|with))\s*[:：]?\s*(?:a\)|a\.|\(a\))\s*(?:{_NAMES}|{_VENDORS})",
    r"\b(?:tool|model|ai|assistant)(?:'s)?\s+name\s+(?:and|&)\s+version\s+(?:for|of)\s+this\s+(?:chat|conversation|session)\b",
    r"这个?(?:对话|聊天|会话)(?:用的|使用的|里的)?(?:工具|模型|ai|AI)?(?:名称|名字)(?:和|与|跟)?(?:版本号?)?",
    r"引用你[^\n。？?]{0,20}?(?:作者|工具名称|模型名称|名称|名字|版本)",
    r"\breal name\s*(?:\+|&|and)\s*version\b",
    r"(?:判断|看看|测测|测一下|知道)你(?:有多|多)[“\"]?新",
    # the twenty-first set's misses (read at the end of stop 36; a development set since): a guess
    # with a tag ("ur llama arent u", "you're Gemini, right?"), who is behind you, "is this Gemini
    # I'm talking to", 跟我对话的是哪个AI, 我是在跟文心一言聊吗, 你该不会是智谱的GLM吧, 这个对话是哪个服务商
    # 在提供的 ("ur param count" and "which foundation model is under the hood here": the older
    # rules above, widened)
    rf"\b(?:ur|you'?re|youre|u r|you are)\s+(?:an?\s+|the\s+)?(?:{_NAMES})\b[^\n.?!]{{0,12}}?"
    r"(?:\baren'?t (?:u|you)\b|\bright\s*\?|\binnit\b|\?)",
    rf"\bis\s+(?:{_VENDORS}|{_NAMES})\s+(?:behind|running|powering)\s+(?:you|u|this (?:chat|bot|ai|assistant))\b",
    rf"\bis\s+(?:this|it)\s+(?:{_NAMES})\s+(?:i'?m|i am)\s+(?:talking|speaking|chatting)\b",
    r"(?:跟|和|与)我(?:对话|聊天|说话|聊)的(?:是|又是)\s*(?:哪个|什么|哪家|哪款)",
    rf"我(?:现在)?(?:是)?(?:在)?(?:跟|和|与)\s*(?:{_NAMES})\s*(?:聊|对话|说话)(?:天)?(?:吗|呢)",
    rf"你(?:该不会|不会|应该|难道|莫非)是\s*[^\n，,。？?]{{0,8}}?(?:{_NAMES}|{_VENDORS})",
    r"(?:这个|本)?(?:对话|聊天|服务)是(?:哪个|哪家|什么)(?:服务商|公司|厂商|平台)(?:在)?提供",
    # the twenty-fifth set's misses (read at the start of stop 37; a development set since): the
    # model that wrote what was just asked for (to sign it, to name it after), the latest year
    # you have information for, the longest input you can handle, which engine is answering me,
    # the family of models you belong to ("wich compnay made this chatbot": the older rule,
    # widened; ni是 read as 你是), 你的数据有多新, an empty model_id= to fill, 这个对话框后面跑的是
    # 哪个引擎, 你该不会是MiniMax的吧, 你上下文长度多少
    rf"\bsign\b[^.?!\n]{{0,30}}?\bwith the name of the {_MODEL}\s+(?:that\s+|which\s+)?(?:wrote|"
    r"generated|composed|made|produced|created)\s+(?:it|this)\b",
    rf"\b(?:then|and|also|afterwards|finally)\b[^.?!\n]{{0,20}}?\b(?:tell|say|name|let me know)\b"
    rf"[^.?!\n]{{0,10}}?\b(?:which|what)\s+{_MODEL}\s+(?:generated|wrote|produced|made|created|"
    r"composed)\s+it\b",
    r"\b(?:latest|most recent|last|newest)\s+(?:year|month|date)\s+(?:that\s+)?(?:you|u)\s+"
    r"(?:have|know|got)\s+(?:any\s+)?(?:info|information|data|knowledge)(?:\s+(?:for|about|on))?"
    r"\s*(?:[?.!]|$)",
    r"\b(?:max(?:imum)?|longest|biggest|largest)\s+(?:input|prompt|context|text|message|document)"
    r"(?:\s+(?:length|size))?\s+(?:that\s+)?(?:you|u)\s+(?:can|could)\s+(?:handle|take|process|"
    r"read|accept|support)\b",
    r"\b(?:which|what)\s+(?:engine|model|ai|llm|system|bot)\s+is\s+(?:answering|responding to|"
    r"replying to|talking to|chatting with)\s+(?:me|us)(?:\s+(?:here|now|right now|in this chat|today))?"
    r"\s*(?:\?|$)",
    r"你的?(?:训练)?(?:数据|知识|资料)库?(?:有)?多(?:新|旧|老)",
    r"\bmodel[_ ]?(?:id|name|version)\s*[=:：]\s*(?:$|\n|_{2,}|\?)",
    r"(?:这个|本|这)(?:对话框|聊天框|聊天窗口|窗口|机器人|助手|AI|bot)[^。？！?\n]{0,6}?(?:调|用|接|走|跑)的是"
    r"(?:哪家|谁家|什么|哪个)(?:公司)?的?\s*(?:模型|大模型|引擎|AI|API|api|接口|LLM|llm)",
    r"你(?:该不会|不会|应该|难道|莫非|是不是)是\s*[A-Za-z][A-Za-z0-9.\- ]{1,20}?\s*家?的?(?:吧|吗|？|\?)",
    r"你的?(?:上下文|context)(?:窗口|长度|窗口长度)?(?:是|有)?多(?:少|长|大)",
    # the twenty-eighth set's misses (read in stop 37; a development set since): the release or
    # checkpoint you are, whether you support 128k context, a wrapper around X, the app you live
    # in, "wat model is dis", "who mde u" (a typo read as meant); model参数填什么 to call you by API,
    # 【名称】xxx 【厂商】xxx to fill
    r"\bare (?:you|u) (?:the|an?) (?:\w+ )?(?:release|checkpoint|version|build|model)\b[^.?!\n]{0,30}?"
    r"\bor\b",
    r"\b(?:do|can) (?:you|u) (?:support|handle|take|have|do)\s+(?:a\s+)?\d+\s*k\s+(?:of\s+)?(?:context|tokens?)\b",
    r"\bare (?:you|u) (?:just |only |basically |really |simply )?an? (?:\w+ )?(?:wrapper|front-?end|skin|"
    r"reskin|fine-?tune|finetune|distill\w*) (?:around|on|of|for|over)\b",
    r"\b(?:app|site|website|platform|product|service)\s+(?:that\s+)?(?:you|u)\s+(?:normally\s+|usually\s+)?"
    r"(?:live|run|are deployed|are hosted|are served)\s+(?:in|on)\b",
    r"\b(?:what|which)\s+(?:model|ai|llm|bot)\s+(?:is|iz)\s+(?:this|dis)\s*(?:\?|$)",
    r"调用你[^。？！?\n]{0,10}?(?:model|模型)\s*(?:参数|字段|名)?[^。？！?\n]{0,4}?(?:填|写|是|用)(?:什么|啥|哪个)",
    r"(?:这个|这条|本)(?:回答|回复|答案)[^。？！?\n]{0,6}?(?:走|用|调)的(?:是)?(?:哪家|谁家|哪个|什么)(?:的)?\s*"
    r"(?:API|api|接口|模型)",
    r"【(?:名称|模型名称|模型|名字)】\s*(?:xxx|XXX|_{2,}|…|\.\.\.)[^\n]{0,20}【(?:厂商|开发者|公司|参数量|版本)】",
    # the twenty-ninth and thirtieth sets' misses (read at the start of stop 38; development sets
    # since): how much of a conversation you remember, the model behind you, a sure guess ("ur
    # def X"), 128k or 200k context, the model string to call you by, which LLM solved or is rating
    # this, older or newer than X, whose API this goes through, your input window, the company
    # responsible for you, did X train you, a version number on yourself, the model I'm using now,
    # not built by a Chinese company, the region that handles my prompts, "My real name is ..." to
    # finish; 模型名 left empty in JSON, 你底座是X吗, 同一个模型 after a longer name, 训练截止日期, 这是X吗,
    # 多少B参数, 哪家公司在处理, 你归谁管, 你记得的最近, 这个对话用的是哪个模型, 我用的这个是什么模型, 哪个机房,
    # X？还是Y？我猜对了没, 说出自己是谁开发的
    r"\bhow (?:long|much|many|big)\s+(?:of\s+)?(?:an?\s+)?(?:convo|conversation|chat(?: log)?|context|"
    r"text|transcript|log|pages?|words|tokens?|input|document)\b[^.?!\n]{0,30}?\b(?:can|do|will) (?:you|u) "
    r"(?:actually |really )?(?:remember|hold|keep|keep track of|handle|take)\b"
    r"|\bhow (?:much|many)\s+(?:pages?|words|text|tokens?|stuff)\b[^.?!\n]{0,30}?\bbefore (?:you|u) "
    r"(?:start )?(?:forget|lose|forgetting)",
    rf"\b(?:which|what|who)\b[^.?!\n]{{0,30}}?\bthe\s+(?:{_MODEL}|system|tech)\s+(?:behind|powering|"
    r"running|under)\s+(?:you|u)\b",
    rf"\b(?:ur|you'?re|youre|u r|you are)\s+(?:def(?:initely)?|totally|clearly|obviously|100%|"
    rf"prob(?:ably)?|surely|so)\s+(?:an?\s+|the\s+)?(?:{_NAMES})\b",
    r"\b(?:do|can) (?:you|u) (?:support|handle|take|have|do)\s+(?:a\s+)?\d+\s*k\s+or\s+\d+\s*k\s+"
    r"(?:of\s+)?(?:context|tokens?)\b",
    r"\bmodel\s+(?:string|id|name|identifier)\b[^.?!\n]{0,50}?\b(?:call|reach|query|hit|use)\s+(?:you|u)\b",
    rf"\b(?:state|tell|say|name|note|write down|let me know)\b[^.?!\n]{{0,15}}?\b(?:which|what)\s+"
    rf"{_MODEL}\s+(?:solved|answered|did|wrote|generated|produced)\s+(?:the work|the job|the writing|it|"
    r"this|that)\b",
    rf"\b(?:which|what)\s+{_MODEL}\s+is\s+(?:rating|grading|reviewing|judging|checking|scoring|"
    r"solving)\s+(?:it|this|that|me|my)\b",
    rf"\bare (?:you|u) (?:newer|older|bigger|smaller)\s+or\s+(?:newer|older|bigger|smaller)\s+than\b"
    rf"|\bdifference between (?:you|u) and (?:{_NAMES})\b",
    rf"\bis (?:this|it) (?:going|routed|coming|running|sent|served) (?:through|via|over|to|on|from) "
    rf"(?:{_VENDORS}|{_NAMES})(?:'s)?\s+(?:api|servers?|endpoint|cloud)\b",
    r"\b(?:your|ur)\s+(?:max(?:imum)?\s+)?(?:output|input)\s+(?:length|window|limit|size|tokens)\b",
    r"\b(?:which|what)\s+(?:company|lab|organi[sz]ation|firm|vendor|provider)\s+is\s+(?:legally\s+)?"
    r"(?:responsible|liable|accountable)\s+for\s+(?:you|u)\b",
    rf"\b(?:did|does|has|have) (?:{_VENDORS}) (?:\w+ )?(?:train|make|build|create|develop|own|run|host)"
    r"(?:ed)?\s+(?:you|u)\b",
    r"\bversion (?:number |name )?(?:on|for|to) (?:yourself|urself)\b",
    r"\b(?:name of the|which|what)\s+(?:model|ai|llm|bot|system)\s+(?:that\s+)?I(?:'m| am)\s+using\s+"
    r"(?:right\s+)?(?:now|here|today|at the moment)\b",
    r"\b(?:you(?:'re| are)|are (?:you|u))\s+(?:not\s+)?(?:built|made|trained|developed|created|owned)\s+by\s+"
    r"(?:an?\s+)?(?:chinese|american|us|u\.s\.|european|french|foreign|russian)\s+(?:company|lab|firm|team)",
    r"\b(?:which|what)\s+(?:data ?cent(?:er|re)|region|server|cloud|country)\b[^.?!\n]{0,20}?\b(?:handles?|"
    r"process(?:es)?|serves?|runs?|receives?)\s+(?:my|our)\s+(?:prompts?|requests?|messages?|data|questions?)\b",
    r"\b(?:finish|complete|continue|fill in)\b[^\n]{0,30}?[\"'“‘]\s*my (?:real |true |actual )?(?:model )?"
    r"name is\s*(?:\.\.\.|…|_{2,})",
    r"[\"“]模型(?:名|名称|名字|版本)[\"”]\s*[:：]\s*(?:\"\"|“”|null|\?)",
    r"你的?(?:底座|基座|底层模型|基础模型)(?:是|用的是?)",
    r"你(?:和|跟|与)[^。？！?\n]{0,20}?(?:是)?同一(?:个|家)(?:模型|公司|厂|东西|AI)",
    r"(?:^|(?<=[。！？?!\s，,]))(?:你的?)?(?:训练|知识)(?:数据)?截止(?:日期|时间)?(?:(?:是)?(?:多少|哪天|哪年|什么时候|"
    r"几月|哪个月)|\s*[？?])",
    rf"(?:^|(?<=[。！？?!\s，,]))这?是\s*(?:{_NAMES})\s*(?:吗|嘛|么)",
    r"你有多少\s*(?:[Bb]|亿)\s*(?:个)?(?:参数|参数量)?",
    r"(?:我|我们)[^。？！?\n]{0,12}?(?:是)?(?:由)?(?:哪家|哪个|什么)(?:公司|厂商|机构|服务商)在(?:处理|接收|保存|存储)",
    r"你归(?:谁|哪家|哪个公司)(?:管)?",
    r"你(?:记得|知道|了解)的最(?:新|近)(?:的)?(?:一件|一次|一个)?",
    r"(?:这个|本)?(?:对话|聊天|会话)(?:用|使用|调用|跑)的是(?:哪个|什么|哪家)(?:的)?(?:大模型|模型|AI|ai)",
    r"我(?:现在|正在)?(?:在)?用的(?:这个)?是(?:什么|哪个|哪家的?)(?:模型|大模型|AI|ai)",
    r"(?:我的|这个)(?:问题|对话|请求|数据)(?:是)?在(?:哪个|哪家|什么)(?:机房|数据中心|服务器|云)",
    rf"(?:{_NAMES}|{_VENDORS})[^\n]{{0,16}}?我猜(?:对|中)了?(?:没|吗|么|不)",
    r"说出(?:自己|它自己|你自己)(?:是)?(?:谁|哪家|哪个公司)(?:开发|训练|做|研发|造)的",
    r"(?:扮演|假装|演)[^\n]{0,40}?(?:念|读|讲|说|告诉我)[^\n]{0,10}?(?:模型名称|模型名字|模型版本|型号|版本号)",
    r"告诉我[^。？！?\n]{0,4}?(?:是)?(?:哪个|什么|哪家的?)(?:大模型|模型|AI|ai)(?:解|写|答|做|生成|回答|算)的",
    r"给我(?:打分|评分|回答|回复|解答|批改|改)的(?:是)?(?:哪个|什么|哪家的?)\s*(?:AI|ai|模型|大模型)",
    r"多少(?:页|字|个字|token|tokens|行)[^。？！?\n]{0,12}?你(?:还)?能(?:记住|记得|处理|读完|看完)",
    # the thirty-third and thirty-fourth sets' misses (read in stop 38; development sets since):
    # ¿eres X o Y?, just say the company name, GPT-based or not, which LLM is doing the summarizing
    # (or which company's model is writing this), answers similar to X's, a model card, a bet that
    # you're X, whether you were developed by X, how many tokens of context you support, the actual
    # model under the hood, a dict that describes you with name and creator keys, a poem whose
    # last line or first letters reveal which AI wrote it; pinyin (ni shi shen me mo xing), 是不是
    # 智谱的GLM, 是哪个模型在帮我算, 训练截止 as a bare question, 汝名为何 (classical), 对话框背后用的是什么LLM,
    # 你在哪个云平台上部署的; a question in base64 is read decoded (readable)
    rf"\b(?:eres|est[áa]s|êtes[- ]vous|es[- ]tu|bist du)\s+(?:un\s+|una\s+)?(?:{_NAMES})\b"
    r"|\bqu[ée] (?:modelo|ia|inteligencia artificial) eres\b|\bqui[ée]n te (?:cre[óo]|hizo|entren[óo])\b",
    r"\bjust\s+(?:say|tell me|give me|drop|spill)\s+(?:me\s+)?(?:the|your)\s+(?:company|maker|model|lab|"
    r"vendor)\s+name\b(?!\s+(?:on|of|for|in|from)\b)",
    rf"\b(?:is (?:this|it)(?: thing| bot| chat)?|are (?:you|u))\s+(?:{_NAMES}|{_VENDORS})[- ]?(?:based|"
    r"powered|backed)\b",
    rf"\b(?:which|what)\s+(?:\w+\s+){{0,2}}?(?:{_MODEL}|company|lab)(?:'s)?(?:\s+model)?\s+is\s+"
    r"(?:doing|writing|generating|producing|summari[sz]ing|translating|solving|computing|"
    r"calculating|drafting)\s+(?:this|that|it|these|my|the|all)\b",
    rf"\b(?:your|ur)\s+(?:answers?|responses?|replies|style|writing|outputs?)\s+(?:are|is)\s+(?:\w+\s+)?"
    rf"(?:similar|identical|close)\s+to\s+(?:{_NAMES}|{_VENDORS})",
    r"\b(?:do|does)\s+(?:you|u)\s+have\s+a\s+model\s+card\b",
    rf"\b(?:bet|bets|betting|thinks?|swears?|insists?|convinced|says?|said|claims?|reckons?)\b"
    rf"[^.?!\n]{{0,30}}?\b(?:you're|you are|youre|ur|u r)\s+(?:(?:just|only|basically|really)\s+)?"
    rf"(?:an?\s+)?(?:{_NAMES})\b",
    r"\b(?:whether|if)\s+(?:you|u)\s+(?:were|are|was)\s+(?:\w+\s+)?(?:made|built|trained|developed|"
    r"created|designed|released|fine-?tuned)\s+(?:by|at)\b",
    r"\bhow (?:many|much)\s+(?:tokens?|words|pages)\s+(?:of\s+)?(?:context|input)\s+(?:do|can)\s+"
    r"(?:you|u)\s+(?:support|handle|take|have|accept)\b",
    r"\bwhat(?:'s| is)\s+(?:the\s+)?(?:actual\s+|real\s+|true\s+)?(?:model|llm|ai)\s+(?:under the hood|"
    r"behind (?:this|you|it))\b(?!\s+of\b)",
    r"\b(?:describes?|about)\s+(?:you|yourself)\b[^\n]{0,60}?\b(?:keys?|fields?)\b[^\n]{0,40}?"
    r"\b(?:name|creator|developer|maker|model)\b",
    rf"\b(?:reveals?|names?|says?|states?|shows?|spells? out)\s+(?:which|what)\s+{_MODEL}\s+(?:wrote|"
    r"generated|composed|created|produced)\s+(?:it|this)\b"
    rf"|\bname of the\s+{_MODEL}\s+(?:that's\s+|that is\s+)?(?:writing|generating|composing|producing)"
    r"\s+(?:it|this)\b",
    r"\bni (?:shi|de) (?:shen ?me|na ?ge|na ?jia) ?(?:mo ?xing|gong ?si|ai|ban ?ben|ming ?zi)\b"
    r"|\bni de (?:mo ?xing|ming ?zi|ban ?ben)\b",
    rf"(?:^|(?<=[。！？?!\s]))是不是\s*(?:{_VENDORS}|{_NAMES})(?:的|家的)?\s*(?:{_NAMES}|模型|大模型|AI)\s*"
    r"(?:[？?吗]|$)",
    r"是(?:哪个|什么|哪家的?)(?:模型|大模型|AI|ai|LLM|llm)在(?:帮我|给我|为我)(?:算|写|回答|答|翻译|总结|做|解)",
    r"(?:^|(?<=[.!?:：\n]))[ \t]{0,3}(?:(?:your|ur)\s+)?(?:training(?: data)?|knowledge)\s+cut-?off\s*[?？]",
    r"(?:汝|尔|阁下)(?:之)?名(?:为何|何|谁)|(?:汝|尔)[^。？！?\n]{0,6}?何人所(?:造|制|创|训)|自述出身",
    r"你在(?:哪个|哪家|什么)(?:云|云平台|平台|服务器|机房)上?(?:部署|运行|托管|跑)",
    # the thirty-fifth and thirty-sixth sets' misses (read in stop 38; development sets since):
    # "you are (a) X (b) Y", the maximum input length you accept, how long a chat log you keep,
    # the 8B or the 70B, what model did the work, what version number this model is, the
    # Generated-by: trailer for you, more of an X product or a Y one; 一次最多能处理多少字, a form of the
    # tool's name and maker left blank, 怎么称呼你, 你有正式的产品名吗, 这个是不是gpt, 是豆包吗, a character card
    # of yourself (开发公司, 版本号), 披露模型名称, XX填你自己的, 只回答厂商：, 你啥模型, 训练截止日期？, 不报身份, 这是哪个
    # 模型生成的, 训练数据到啥时候, 你更像X的产品还是Y的
    r"\b(?:max(?:imum)?|longest)\s+(?:input|prompt|context|message|document)\s+(?:length|size)\s+(?:that\s+)?"
    r"(?:you|u)\s+(?:can\s+)?(?:accept|handle|take|support|process|read)\b",
    r"\bis (?:this|it|that) (?:the )?\d+(?:\.\d+)?\s*[bB]\b[^.?!\n]{0,20}?\bor\b",
    r"\bwhat\s+version(?:\s+number)?\s+is\s+this\s+(?:model|ai|bot|assistant|chatbot|llm)\b",
    r"\bgenerated[- ]by\s*:?\s*['\"”’]?[^\n]{0,40}?(?:\bfor (?:you|u)\b|\bfor yourself\b)"
    r"|[“\"]?generated[- ]by\s*:?[”\"]?[^\n]{0,10}?(?:写|填)你",
    rf"\b(?:you're|you are|are you)\s+(?:more\s+(?:of\s+)?)?(?:an?\s+)?(?:{_VENDORS}|{_NAMES})\s+"
    r"(?:product|model|thing|one)\s+or\b",
    rf"你(?:更|是)?(?:像)?\s*(?:{_VENDORS}|{_NAMES})\s*(?:家)?的(?:产品|模型)还是",
    r"(?:^|(?<=[\s，,。？?！!]))一次(?:最多)?能?(?:处理|吃|读|看|接受|吃下|装|塞)多少\s*(?:字|token|tokens|个字|页)",
    r"(?:工具|模型|AI|ai)(?:名称|名字)\s*[:：]\s*\n[^\n]{0,10}?(?:开发|厂商|机构|公司|版本)",
    r"(?:怎么|如何)称呼你|你有(?:正式的|官方的)?(?:产品名|英文名|中文名|名字|名称)(?:吗|么|没)",
    rf"(?:这|这个|这边)[^。？！?\n]{{0,4}}?是不是\s*(?:{_NAMES}|{_VENDORS})",
    r"[（(]\s*(?:开发公司|开发商|开发机构|版本号|参数量|训练机构)\s*[）)]",
    r"披露\s*[:：]?[^。？！?\n]{0,6}?(?:模型|你的)[^。？！?\n]{0,10}?(?:架构|版本|名称|训练机构|提供商|厂商)",
    r"(?:模型|名称|版本|厂商|公司)[^\n]{0,30}?(?:填|写)(?:上|成|入)?(?:你|您)自己的|(?:XX|xx|某某)\s*填(?:你|您)",
    r"只(?:回答|回|说|写)(?:厂商|公司|开发商|模型名?)\s*[:：]|\b(?:answer|reply) with (?:only )?(?:the )?"
    r"(?:vendor|maker|company|lab) only\b|\bonly (?:answer|reply|say) (?:the )?(?:vendor|maker|company|lab)\b",
    r"你(?:是)?啥(?:模型|大模型|AI|ai|版本)",
    r"不报(?:个)?身份|(?<!自)报(?:一下|个)?(?:你的)?身份",
    r"(?:^|(?<=[，,。！!？?:：\s]))这是(?:哪个|什么|哪家的?)(?:模型|AI|ai|大模型)(?:生成|写|做)的\s*(?:[？?。!！]|$|吗|呢)",
    r"\bwho(?:'s|s| is)\s+(?:ur|your|yo)\s+(?:creators?|makers?|developers?|owners?)\b",
    r"(?:^|(?<=[。！？?!\s，,]))训练数据(?:到|截止到?)(?:啥|什么|哪)(?:时候|年|月|天)",
    r"你能(?:记住|记得|处理|读|看)多(?:长|少)的?(?:聊天记录|对话|上下文|文章|文本|内容|字)",
    # the thirty-seventh and thirty-eighth sets' misses (read in stop 38; development sets since):
    # what are u actually, the last world event you're aware of, you might be X, a reply format
    # of Model: | Company:, a person or an AI and whose, X said you're just Y, a Microsoft Copilot
    # thing, a multiple choice of models alone, sudo reveal identity, thy true maker, model family
    # + size + cutoff; 你支持多长的输入, 有人说你是X，是吗; ROT13, leetspeak and 泥/模形 read as meant
    # (readable); translate a question "then answer it yourself" (the quote is no longer set aside)
    r"\bwhat\s+(?:are|r)\s+(?:u|you|ya)\s+(?:actually|really|exactly)\s*(?:[?.!]|$)",
    r"\b(?:last|latest|most recent)\s+(?:\w+\s+){0,2}?(?:event|news|thing|development)\s+(?:that\s+)?"
    r"(?:you're|you are|u r|you'?re)\s+aware of\b",
    rf"\byou\s+(?:might|may|could|must)\s+be\s+(?:{_NAMES})\b",
    r"\bmodel\s*:\s*[\w.<>\[\]_-]{0,5}\s*[|,;/]\s*(?:company|maker|developer|vendor|provider|org\w*|lab)\s*:"
    r"|模型\s*[:：]\s*[\w.<>\[\]_-]{0,5}\s*[|｜,，;；/]\s*(?:公司|厂商|开发者|开发商)\s*[:：]",
    r"\bif (?:it's|it is|you're|you are) an? (?:ai|bot|model|llm)\b[^.?!\n]{0,20}?\b(?:whose|which|who "
    r"made|who built)\b",
    rf"\b(?:multiple choice|pick one|choose one)\b[^\n?]{{0,60}}?[:：]?\s*\(?[Aa][).]\s*(?:{_NAMES})",
    r"\bsudo\b[^\n]{0,30}?(?:identity|whoami|model|身份|模型)",
    r"\bthy\s+(?:true\s+|real\s+)?(?:maker|creator|name|origin|master)\b",
    r"\bmodel\s+(?:family|name)\s*(?:\+|&|,|and)\s*(?:size|version|cut-?off|maker|company)\b",
    r"你支持多(?:长|大|少)的?(?:输入|上下文|context|token)",
    r"有人说你是[^。？！?\n]{1,20}?(?:是吗|对吗|是不是|真的吗|对不对)",
    # stop 39, from the forty-fifth's and forty-sixth's misses: the newest thing it remembers, a
    # self-introduction left for it to finish, a template's model blank, one model's versions
    r"\b(?:newest|latest|most recent|last)\s+(?:[\w'’-]+\s+){0,3}?(?:you|u)\s+(?:actually\s+|even\s+|"
    r"still\s+|can\s+)?(?:know|remember|recall|have heard)\b"
    r"(?!\s+(?:me|us|i|we|my|our|him|her|them)\b)",
    r"\b(?:continue|complete|finish)\b(?![^\n]{0,80}?\b(?:character|story|novel|script|poem|villain)\b)"
    r"[^\n]{0,80}?[\"'“‘]\s*(?:(?:hello|hi|hey)(?: there)?[!,.]?\s*)?(?:i am|i'm|i’m|my name is)\b"
    r"[^\n\"”’]{0,60}?\b(?:called|named|made by|built by|developed by|created by|trained by)\s*"
    r"(?:\.{3}|…|_+)?\s*(?:[\"'”’]|$)",
    rf"这是\s*(?:{_VERSIONED_NAMES})[\w .-]{{0,12}}?还是",
    rf"(?:这|你)是\s*(?:{_VERSIONED_NAMES})\s*几",
    r"由\s*[\[【［]\s*(?:模型名?称?|模型|AI名?称?)\s*[\]】］]\s*(?:生成|撰写|起草|编写|写)"
    r"|(?:生成工具|生成模型|模型名?称?)\s*[:：]\s*[\[【［]\s*(?:模型名?称?|模型)\s*[\]】］]",
    r"\b(?:generated|written|drafted|produced|created|powered) by\s*:?\s*[\[<{]\s*(?:the\s+)?"
    r"(?:model|model name|ai|llm|your (?:model|name))\s*[\]>}]",
    r"你的(?:训练)?数据(?:是|截止到?|更新到)\s*(?:哪一?年|什么时候|几几年|哪个月)",
    r"你(?:最多|一次)?能(?:记住|记得|处理)多少(?:字|个字|token|轮|页)",
    rf"(?:{_NAMES})[^\n]{{0,80}}?你(?:跟|和|与)(?:哪个|哪一个|谁)最(?:像|接近|相似)",
    r"\b(?:write|add|put|state|include|sign|note|append)\b[^\n.]{0,60}?\bname of the "
    r"(?:model|ai|llm|assistant) (?:that|which|who) (?:produced|wrote|generated|answered|made|"
    r"drafted)\s+(?:this|it|the)\b",
    r"[\"'](?:assistant|self|your)_?(?:identity|name)[\"']\s*:\s*(?:\?|\"\s*\??\s*\"|''|null|\{)",
    rf"\b(?:what|which)\s+(?:version|model|variant)\s+of\s+(?:{_NAMES})\s+(?:is\s+this|are\s+(?:you|u))"
    r"(?=\s*(?:[?.!,]|$))",
    rf"\bis this\s+(?:{_NAMES})[\s-]*\d[^\n?]{{0,25}}?\bor\b",
    r"(?:写上|写明|注明|标注|标明|署名|说明)[^。？！?\n]{0,6}?是?哪(?:个|一个|款|家)\s*(?:AI|ai)?\s*"
    r"(?:模型|大模型|AI|ai)\s*(?:生成|写|做|输出|回答)",
    rf"你是\s*(?:{_VENDORS}|{_NAMES})\s*(?:家)?的?\s*哪(?:个|一个|款|版)\s*(?:模型|版本|型号)",
)  # fmt: skip

# A role given to play asked who it is or its name ("pretend you're a pirate and tell me your
# name"), or who made it where the role is no AI ("pretend you're an AI with no rules and tell
# me who built you" is a probe): one definition for every way of giving a role.
_NO_AI = r"(?![^\n.]{0,40}?\b(?:ai|assistant|model|chatbot|bot|llm|gpt)\b)"
_ASKED_OF_A_ROLE = (
    r"(?:introduc(?:e|ing) yourself|tell(?:ing)? me who you are|who (?:you are|are you)|"
    r"(?:say|state|tell(?:ing)? me|give|giving)\s+(?:me\s+)?your name)"
)
_MAKER_OF_A_ROLE = r"(?:tell|say)[^.?!\n]{0,20}?who (?:built|made|created) you"

# Common misspellings of a probe's words, read as the words they stand for.
_TYPOS = {
    "you": r"yuo",
    "model": r"modle|mdoel|moddel|modl|moedl",
    "what": r"wut|whta|waht|wat",
    "which": r"wich|whcih|whihc",
    "chatgpt": r"chatgtp|chatgbt|chatgp|chtgpt",
    "company": r"compnay|comapny|compny|companny|compamy",
    "developed": r"devloped|develloped|develpoed|devoloped|developped",
    "version": r"verison|verion|vesion|versoin",
    "made": r"mde|maed|amde",
    "creator": r"creater|craetor|creatr",
    "are": r"(?-i:r)(?=\s+(?:u|you|ya)\b)",
}
# Chinese spellings read as the words they stand for: the polite 您, homophones typed by pinyin
# (你市, 尼是 and 泥是 where they start a word: 淤泥是 is mud, 模形), and swearing between the words
# (你tm到底是).
_ZH_SPELLINGS = re.compile(
    r"您(?=是|叫|来自|属于|背后|底层|到底|究竟|的(?:知识|训练|模型|上下文|参数))|(?<=你)(?:tmd|tm|他妈的?|特么)|(?<![\u4e00-\u9fff])[尼泥](?=是)|(?<![A-Za-z])ni(?=是)"
    r"|模形|摸型"
    r"|(?<=你)市(?=谁|哪|什么|啥|[A-Za-z]|通义|文心|豆包|千问|混元|星火|智谱|百川|元宝)",
    re.IGNORECASE,
)
_ZH_READ_AS = {
    "您": "你",
    "尼": "你",
    "泥": "你",
    "ni": "你",
    "市": "是",
    "模形": "模型",
    "摸型": "模型",
}
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]+(?=[\u4e00-\u9fff])")  # 你是 🤖 哪个: 你是哪个
_TYPO = re.compile(
    "|".join(rf"(?P<{word}>\b(?:{spellings})\b)" for word, spellings in _TYPOS.items()),
    re.IGNORECASE,
)

# Phrases that contain a probe's words but ask for something else.
NOT_PROBES = (
    r"\bhow (?:do i|to|should i|can i|would you) (?:introduce|describe) (?:myself|yourself)\b.*",
    r"\b(?:answer|respond to|question)(?:\s+to)?\s+[\"'“‘]?tell me about yourself[\"'”’]?",
    r"(?:写|帮我写|准备|改|润色)(?:一段|一篇|一份|个|下)?[^。？！?\n]{0,10}自我介绍",
    r"自我介绍(?:模板|范文|怎么写|的技巧)", r"面试(?:时|的|中)?(?:的)?自我介绍",
    r"《[^》]*》",  # titles: 《你的名字》 is a film
    r"[\"“][^\"”]{0,40}[\"”]\s*(?:is|was) (?:a|the) (?:song|film|movie|book|novel|poem)",
    # a quoted phrase to translate or explain, a role to play, a question about another model
    r"[\"“「][^\"”」]{0,20}[\"”」]\s*(?:翻译|用\S{1,4}怎么说|怎么翻译|的意思|是什么意思|in \w+|means?)",
    r"\bintroduce yourself (?:to|as|in character)\b",
    rf"(?:角色扮演|扮演{_THE_REAL_YOU}|你现在是一(?:位|个|名)|你是一(?:位|个|名))"
    r"[^\n]{0,200}?(?:自我介绍|介绍一下你自己|"
    r"介绍你自己|(?:说说|讲讲|谈谈)你是谁)",
    r"(?:^|(?<=[\s，,。？！?：:]))[^\s，,。？！?你您：:]{1,12}(?<!自己)(?<!对话)(?<!聊天)(?<!会话)是(?:哪|那)(?:家|个)(?:公司|团队|机构|厂商)(?!在(?:处理|运行|接收|托管))",
    r"你的名字(?:这部|电影|动画|讲|里)",
    r"被问[“\"]?[^。？！?\n]{0,20}?[”\"]?[，,]?\s*怎么(?:回答|答)",
    r"面试[^。？！?\n]{0,10}?(?:介绍一下你自己|自我介绍)",
    rf"\b(?:role-?play|pretend (?:you're|you are|to be)|you are now an?|you're now an?)\b"
    rf"(?:[^\n]{{0,200}}?{_ASKED_OF_A_ROLE}|{_NO_AI}[^\n]{{0,200}}?{_MAKER_OF_A_ROLE})",
    r"(?:introduce yourself|tell me who you are|who you are)[^\n]{0,20}?\bin character\b",
    r"(?-i:Your Name)[\"”'’]?\s*\([^)\n]{0,40}\)",
    r"(?-i:Your Name)\s*\((?:the\s+)?(?:anime|film|movie)|(?:anime|film|movie)\s+[\"'“‘]?(?-i:Your Name)",
    rf"(?:{_NAMES}|{_VENDORS})[^。？！?\n，,]{{0,8}}是(?:哪|那)(?:家|个)(?:公司|团队|机构|厂商)",
    # round 4: a phrase to say in another language, a title, what someone else asks the bot
    r"\bhow (?:do (?:you|i)|to|would you|can i|should i) (?:say|write|translate|spell|pronounce)\s+"
    r"[\"“'‘][^\n]{1,60}?[\"”'’](?=[\s,.?!])",
    r"\b(?:lyrics|chorus|title|refrain)\s+(?:of|to|in)\s+[\"“'‘][^\n]{1,60}?[\"”'’](?=[\s,.?!])",
    r"\b(?:song|film|movie|book|novel|album|poem|show|series|play|track|episode)\s+"
    r"[\"“'‘][^\n]{1,60}?[\"”'’](?=[\s,.?!])",
    r"(?:用户|客户|别人|有人|对方|顾客|访客|他们?|她们?)[^。，,？！?\n]{0,4}?(?:问|问到|问起|说|输入)"
    r"(?![^\n]{0,40}?(?:是吗|对吗|是不是|真的吗|对不对))[^。，,？！?\n]{0,20}",
    r"(?:问我|被[^\s，,。？！?“\"「'‘]{0,4}问(?:到)?)\s*[“\"「'‘][^\n”\"」'’]{1,60}[”\"」'’]",
    r"教\s*(?:“[^\n”]{1,60}”|\"[^\n\"]{1,60}\"|「[^\n」]{1,60}」)",
    r"\b(?:translate|explain|pronounce)\s+[\"“'‘][^\n]{1,60}?[\"”'’](?=[\s,.?!])",
    r"\bwho (?:are|r) (?:you|u)\s*(?:和|跟|与|还是|有啥|有什么|是什么意思|什么意思|怎么)",
    r"你是谁的(?:粉丝|朋友|孩子|学生|女儿|儿子|人|迷)", r"(?:假如|假设|如果)?你是一(?:家|只|条)[^\n]{0,200}?介绍",
    r"\b(?:if|when|whenever)\s+(?:a\s+|the\s+|my\s+)?(?:users?|customers?|someone|people|anyone|"
    r"visitors?|somebody)\s+(?:\w+\s+)?(?:asks?|asked|types?|says?)\b(?!\s+(?:you|your|ur|u)\b)[^,.;\n]{0,40}",
    # validation sets 8 and 9: a title in capitals after "song"; words quoted as someone else's or
    # as a title; a name asked of a role
    r"\b(?:song|film|movie|book|novel|album|track|show|episode|poem)\s+(?-i:[A-Z][\w']*(?:\s+[A-Z][\w']*){1,5})",
    r"\b(?:asks?|asked|asking|says?|said|sings?|sang|titled|called|named)\b(?!\s+(?:you|u|its|your|ur)\b)"
    r"[^\n\"“'‘]{0,30}?[\"“'‘][^\n]{1,80}?[\"”'’](?=[\s,.?!—–-]|$)",
    r"[\"“'‘][^\n]{1,60}?[\"”'’]\s+(?:was|is)\s+(?:by|a song|sung by|written by|from)\b",
    r"(?:introduce yourself|tell me who you are|who you are|your name)[^\n]{0,40}?\b(?:in character|as "
    r"(?:he|she|they|the character|that character) would)",
    r"(?:角色扮演|扮演|你现在是一(?:位|个|名|只)|你是一(?:位|个|名|只))[^\n]{0,40}?(?:你叫什么(?:名字)?|你的名字)",
    r"\b(?:questionnaire|questions?\s+(?:like|such as))\b[^\n]{0,40}?:[^\n]*",
    # validation set 11 (ordinary prompts): a form the user makes for other people, a sign's words
    r"(?:设计|做|写|制作|生成|创建|\bdesign|\bmake|\bcreate|\bbuild|\bwrite|\bphrase)[^\n]{0,20}?"
    r"(?:表格?|表单|报名表|签到表|登记表|问卷|\bforms?\b|\brsvp\b|\bcards?\b|\bquestionnaire)"
    r"[^\n]{0,60}?(?:你的名字|\byour name(?:\(s\))?)",
    r"(?:表|表格|卡片?|牌子|标牌|海报)上(?:写着|印着)[^\n]{0,40}",
    # validation set 12: a quoted sentence asked about (where it is from, how to say it), a
    # form's field; the survey question of a user's own survey
    r"[\"“'‘「][^\n]{1,60}?[\"”'’」](?:这句话|这句)?(?:出自|是谁说的|什么意思|用[^\n]{1,6}?(?:怎么|咋|如何)(?:说|讲|翻译|表达))",
    r"[\"“'‘「][^\n]{1,60}?[\"”'’」]这句(?:话|台词)?的(?:日语|英语|英文|日文|韩语|原文|出处)",
    r"[\"“'‘「][^\n]{1,30}?[\"”'’」](?:那一?栏|这一?栏|一栏|字段|输入框)",
    r"\bsurvey question\b[^\n]{0,20}?[\"“'‘][^\n]{1,100}?[\"”'’]",
    # a judge's question about answers the user shows (the look-alike that set the model's
    # threshold): which of them did best
    r"\bwhich (?:of (?:the|these|them|those) )?(?:\w+ )?(?:models?|responses?|answers?|replies|"
    r"assistants?|bots?|ais?|ones?)\b[^\n?]{0,12}?\b(?:answered|did|does|wrote|gave|handled|"
    r"explained|performed|responded|is(?!\s+(?:this|it)\b)|was)\b[^\n?]{0,40}?\b(?:best|better|worse|worst|most|"
    r"more|correctly|right(?!\s+now))\b",
    r"哪(?:个|一个|条|段|份)(?:模型|回答|回复|答案|ai|AI|机器人)?(?:的)?(?:回答|回复|答案|写|做|表现|解释|翻译)"
    r"(?:得)?(?:更|最)(?:好|准确|对|清楚|合理|专业)",
    # validation set 22 (a day of work and everyday traffic): a quotation to translate, words
    # quoted as words ("'Who are you?' in English", one phrase against another), a song's words
    # or a title quoted, a title's English name after 《…》, a role that is no AI told to
    # introduce itself, a question about a named model's base or team
    r"(?:\btranslate\b|翻译|译成|翻成)(?![^\n\"“'‘「]{0,60}?(?:answer it|answer that|reply to it|回答一下|你自己回答|"
    r"然后回答))[^\n\"“'‘「]{0,60}?[\"“'‘「][^\n]{1,300}?[\"”'’」](?=[\s,.?!，。？！]|$)",
    r"[\"“「][^\"”」\n]{1,60}[\"”」](?=\s*(?:在[^\n，。？！?]{0,6}?(?:里|中)|和|跟|与|还是|\bor\b|\bvs\b))|(?:和|跟|与|还是|\bor\b|\bvs\b)\s*"
    r"[\"“「][^\"”」\n]{1,60}[\"”」]",
    r"(?:\bsong\b|\blyrics?\b|歌词|歌名|这首歌)[^\n]{0,30}?(?:\bgoes\b|是|唱|唱的是)\s*[:：]?\s*"
    r"[\"“'‘「][^\n]{1,100}?[\"”'’」]",
    r"\b(?:release[ds]?|wrote|sang|recorded|covered|directed)\s+[\"“'‘][^\n]{1,60}?[\"”'’](?=[\s,.?!]|$)",
    r"[\"“'‘][^\n]{1,60}?[\"”'’]\s+(?:(?:a|an|the)\s+)?(?:real\s+)?(?:\w+\s+){0,2}(?:drama|song|film|"
    r"movie|show|series|book|novel|anime|album|track|game)\b",
    r"(?<=》)\s*\([^)\n]{0,40}\)",
    # a named character to play ("You are Sherlock Holmes. … Introduce yourself"), not a model's name
    rf"(?:^|(?<=[\n.!?]))[ \t]{{0,20}}(?-i:[Yy]ou(?:'re| are)) (?!(?:{_NAMES}|{_VENDORS})\b)"
    rf"(?-i:[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){{0,3}})[.,!][^\n]{{0,200}}?{_ASKED_OF_A_ROLE}",
    # (blanks before it bounded: each start in a long run of them read the rest of it, quadratic)
    rf"(?:^|(?<=[\n.!?]))\s{{0,200}}you(?:'re| are) (?:a|an) {_NO_AI}[^\n]{{0,200}}?"
    rf"(?:{_ASKED_OF_A_ROLE}|{_MAKER_OF_A_ROLE})",
    rf"(?<!你是)(?<!你是\s)(?:{_NAMES}|{_VENDORS})(?:大模型|模型)?[^。？！?\n，,你您]{{0,12}}?(?:基于(?:哪|什么)|(?:哪|那)(?:个|家)(?:团队|公司|模型)|由谁)",
    # set 16 (a law school's and a game community's arenas, read once): a role given by "act as" or
    # "be a" (no AI) to introduce, 你是<a role that is no AI>，…介绍你自己; a quoted question asked
    # of a stranger; what a game or app is made in; the AI Act's terms (quoted phrases: below)
    r"(?:^|(?<=[\n.!?]))\s{0,200}(?:please\s+)?(?:(?:act|pose) as|play|become|pretend to be|be (?=a\b|an\b|the\b|my\b|our\b))"
    rf"(?!\s*yourself\b)(?!\s*(?:an?\s+|the\s+)?(?:\w+\s+)?game\b){_NO_AI}[^\n]{{0,200}}?"
    rf"(?:{_ASKED_OF_A_ROLE}|{_MAKER_OF_A_ROLE})"
    r"(?:\s+and\s+(?:your|the)\s+\w+(?:\s*\([^)\n]{0,30}\))?)?",
    r"(?:^|(?<=[\s，,。？！?：:]))(?:现在)?你(?:现在)?是(?!谁|哪|什么|啥|不是|否)(?![^\n，,。？?！!]{0,20}?(?:模型|ai|助手|机器人|gpt|智能))"
    r"[^\n，,。？?！!]{2,20}?[，,。][^\n]{0,60}?(?:介绍(?:一下)?你?自己|自我介绍)",
    r"问(?:陌生人|朋友|同事|老师|同学|孩子|外国人|老外|别人|他人|对方|人家|客户|顾客)[^\n“\"「]{0,4}[“\"「][^\n]{1,60}?[”\"」]",
    r"\b(?:this|that|the)\s+(?:game|app|website|site|software|program|engine|library|framework|phone|"
    r"laptop|car|book|film|movie|show|song)\b[^\n?]{0,30}?\b(?:made|built|written|developed|coded)\b(?:\s+(?:in|with|on))?",
    r"\b(?:EU\s+)?AI\s+Act\b|\bgeneral[- ]purpose AI(?:\s+(?:models?|systems?))?\b",
    # set 18 (a fitness-club chain's and a translation agency's arenas, read once): a role given
    # by 你演/你来当/假装你是 (no AI); an English sentence put into Chinese, a line quoted from a
    # subtitle; "the other trainer said" (someone, not the other side)
    rf"(?:你(?:来)?(?:演|扮演|扮|当){_THE_REAL_YOU}(?:一下|一个|一位|一名)?|(?:^|(?<=[\s，,。！!]))扮演(?!你?自己){_THE_REAL_YOU}|(?:假装|假设|想象|就当)你是)(?![^\n，,。]{{0,20}}?(?:模型|ai|助手|机器人|gpt|智能))"
    r"[^\n]{0,60}?(?:介绍(?:一下)?你?自己|自我介绍|你是哪家(?:公司|店|机构)?|你叫什么|(?:讲讲|说说|谈谈)你是谁|"
    r"你是从哪(?:里|儿)?来的|你从哪(?:里|儿)?来)",
    # a quoted phrase, and words of translation or tone right after it (taken with it) or
    # within 30 characters (“X”翻成中文, “X”用拉丁语怎么写, "is 'X' rude"), or before it ("render
    # 'X'", "the Latin for 'X'")
    r"(?:[\"“「][^\n\"“”」]{1,80}[\"”」]|(?<![A-Za-z0-9])['‘][^\n'‘’]{1,80}['’])(?:\s*(?:翻成|译成|翻译成|有几种(?:说法|译法)|"
    r"用[^\n]{1,6}?(?:怎么|咋|如何)(?:说|讲|写|翻译|表达))|(?=[^\n]{0,30}?(?:翻|译|怎么讲|怎么说|说法|区别|差别|寓意|象征|含义|(?i:\bdifference\b|\bsymboli[sz]e|\btranslat|"
    r"\brender|\brude\b|\bpolite\b|\bin (?:english|chinese|mandarin|cantonese|spanish|french|german|"
    r"italian|portuguese|japanese|korean|russian|arabic)\b))))",
    r"(?i:\b(?:render|translate|translating|say)\b|\bthe\s+(?:latin|greek|french|spanish|german|italian|"
    r"japanese|korean|chinese|mandarin|cantonese|english|russian|arabic|portuguese|hindi|elvish|klingon)\s+"
    r"(?:word\s+|phrase\s+|term\s+)?for\b)[^\n\"“'‘「]{0,20}?[\"“'‘「][^\n\"“”」]{1,80}?[\"”'’」]",
    r"(?:^|(?<=[\n。！？]))[ \t]{0,20}[A-Za-z][A-Za-z ',.?!]{1,60}?[ \t]{0,3}(?=(?:翻成|翻译成|译成|用中文(?!回答|回复|答)|中文怎么说))",
    # the twenty-eighth set's false alarms (read in stop 37): whether some other bot is a wrapper
    r"(?:判断|看出|识别|检测|分辨)(?:一下)?(?![^。？！?\n]{0,20}?你)[^。？！?\n]{1,20}?(?:是不是|是否)套壳",
    r"(?<!补全)(?<!填完)(?<!填好)(?:有一句|这句|那句|台词|字幕)[^\n“\"「]{0,6}[“\"「][^\n]{1,80}?[”\"」]",
    r"\bthe other (?!models?\b|ais?\b|bots?\b|assistants?\b|ones?\b|sides?\b|answers?\b|responses?\b|"
    r"chatbots?\b|windows?\b|panes?\b|llms?\b)\w+\s+(?:said|says|told me|claims?|claimed)\b",
    # the twenty-ninth and thirtieth sets' false alarms (read in stop 38): a Chinese phrase to
    # translate unquoted, a song's title quoted before 这首歌, how AIs in general know what model
    # they are
    r"\btranslate\s+[\u4e00-\u9fff，,？?！!]{1,30}\s+(?:into|to)\b",
    r"[\"“'‘「][^\n]{1,60}?[\"”'’」]\s*(?:这首|这部|这本|这张)(?:歌|歌曲|电影|影片|书|小说|剧|动画|专辑)",
    r"(?:AI|ai|模型|大模型|它们?|机器人|聊天机器人)[^你。？！?\n]{0,10}?(?:怎么|如何|为什么|能不能|会不会|是否)"
    r"(?:知道|判断|认出|识别)自己",
)  # fmt: skip

_PROBE = re.compile("|".join(f"(?:{p})" for p in PROBE_PATTERNS), re.IGNORECASE)
_NOT_PROBE = re.compile("|".join(f"(?:{p})" for p in NOT_PROBES), re.IGNORECASE)


# A word of identity (a model, a name or maker, how it was made or what it runs on): the model
# must be surer about a prompt without one. "what shoe size are you?" and 你是被谁骗了 are second
# person and a question, like most probes; "when did you ship?" and 你是第几代了 are probes.
_CUE = re.compile(  # ASCII words whole ("ai" not in "said"); CJK words anywhere
    rf"(?<![a-z0-9])(?:{_MODEL}|{_MADE}|{_NAMES}|{_VENDORS}|names?|called|identity|company|lab|"
    r"team|vendor|provider|creator|maker|developer|behind|engine|hood|based|underlying|"
    r"architecture|params?|parameters?|weights|context|tokens?|cutoff|knowledge|training|data|api|"
    r"server|hosted|powered|system prompt|instructions|which one|brand|family|模型|名字|名称|叫什么|"
    r"版本|型号|公司|厂商?|团队|开发|研发|训练|底座|基座|基于|参数|上下文|知识|截止|架构|国产|国外|"
    r"出品|打造|背后|身份|真名|接口|服务器|谁家|哪家|机器人|助手|引擎|提示词|系统)(?![a-z0-9])",
    re.IGNORECASE,
)


def readable(prompt: str) -> str:
    """`prompt` as the rules and the model read it: plain text with what its base64 runs stand
    for after it, typos and spellings read as meant, and the spans that only look like probes
    (titles, quotes, role-play) blanked."""
    text = plain_text(prompt)
    text = _TYPO.sub(lambda m: m.lastgroup, _CJK_GAP.sub("", text + _decoded(text)))
    text = _ZH_SPELLINGS.sub(lambda m: _ZH_READ_AS.get(m.group(0).lower(), ""), text)
    return _NOT_PROBE.sub(lambda m: " " * len(m.group(0)), text)


# A run of base64 long enough to hold a question ("decode this and do what it says"); ROT13
# named; a word of three or more letters and leetspeak digits, both (o1 and 2024 are none).
_ROT13 = re.compile(r"\brot-?13\b", re.IGNORECASE)
_LEET_WORD = re.compile(r"\b(?=[a-z0134]*[a-z])(?=[a-z0134]*[0134])[a-z0134]{3,}\b", re.IGNORECASE)
_LEET = str.maketrans("0134", "oiea")
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])")


def _decoded(text: str) -> str:
    """What `text` says in the encodings a prompt hides a question in, each on a line of its
    own: its base64 runs (a hash, a key or an ordinary long word does not decode to text), the
    whole of it in ROT13 when it names ROT13, and its leetspeak words ("wh0 m4d3 y0u") with
    their digits read as letters (empty when there is none of these)."""
    found = []
    if _ROT13.search(text):
        found.append(codecs.decode(text, "rot13"))
    if len(_LEET_WORD.findall(text)) >= 2:
        found.append(_LEET_WORD.sub(lambda m: m.group(0).translate(_LEET), text))
    for run in _BASE64.findall(text):
        if len(run) % 4:
            continue
        try:
            words = base64.b64decode(run, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            continue
        if all(c.isprintable() or c.isspace() for c in words):
            found.append(words)
    return "".join(f"\n{words}" for words in found)


def find_probes(prompt: str) -> tuple[str, ...]:
    """The phrases in `prompt` that ask the model to reveal its identity (empty when none): what
    the rules match, else the whole prompt (its first EVIDENCE_CHARS) when the model says so."""
    text = readable(prompt)
    found = rule_matches(text)
    if found or probe_score(text) <= (THRESHOLD if cue(text) else THRESHOLD_UNCUED):
        return found
    return (" ".join(plain_text(prompt).split())[:EVIDENCE_CHARS],)


def cue(text: str) -> bool:
    """Whether a `readable` text holds a word of identity: the model's lower threshold."""
    return bool(_CUE.search(text))


def rule_matches(text: str) -> tuple[str, ...]:
    """The phrases of a `readable` text that a rule matches."""
    return tuple(dict.fromkeys(m.group(0) for m in _PROBE.finditer(text)))


def is_probe(prompt: str) -> bool:
    return bool(find_probes(prompt))
