"""The tables behind identity-disclosure detection: regex fragments for model, vendor and product
names (English, Chinese, transliterations), the self-reference phrases a name must stand in to
count, and the shapes of a self-introduction that names an assistant or maker no table lists.

Fragments are matched case-insensitively; `(?-i:…)` marks the few that need their exact case
(PaLM is not "palm oil", xAI is not XAI, MiniMax is not the minimax algorithm).
"""

import re
import unicodedata

# Every format character (Unicode category Cf, as of Unicode 14: soft hyphens, zero-width spaces
# and joiners, direction marks and overrides, word joiners, byte-order marks, tags), as ranges
# of code points; a test checks them against the running Python's unicodedata.
_FORMAT_RANGES = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip
FORMAT_CHARACTERS = tuple(c for low, high in _FORMAT_RANGES for c in range(low, high + 1))
# Invisible, so dropped before anything reads a text: a name, a probe or a repeated prompt
# threaded with them reads as itself. With them the emoji variation selectors.
_INVISIBLE = dict.fromkeys((*FORMAT_CHARACTERS, 0xFE0E, 0xFE0F))
# Traditional characters of the words the patterns read, as simplified ones (one for one).
_SIMPLIFIED = str.maketrans(
    "開發訓練設計創構團隊們為來屬於問誰個這麼說號稱體實驗製廠雲數據網絡軟資訊語對話產務應識庫參兒裡裏邊後臺國際華將與並無沒還嗎爲誕點貓幾種種類機構牌當義",
    "开发训练设计创构团队们为来属于问谁个这么说号称体实验制厂云数据网络软资讯语对话产务应识库参儿里里边后台国际华将与并无没还吗为诞点猫几种种类机构牌当义",
)


# Cyrillic and Greek letters drawn like Latin ones (one for one): inside a word that also holds a
# Latin letter or a digit they are read as those, so "whо are yоu" with Cyrillic о is "who are
# you" and "I'm Сlaude" names Claude; a word all Cyrillic or Greek ("привет") stays as it is.
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕһԁԛԝӏАВЕКМНОРСТХІЈЅҮοανΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijshdqwlABEKMHOPCTXIJSYoavABEZHIKMNOPTYX",
)
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")
_WORD = re.compile(r"\w+")


def _latin_lookalikes(word: re.Match) -> str:
    found = word.group(0)
    return found.translate(_LOOKALIKES) if _LATIN_OR_DIGIT.search(found) else found


def readable(text: str) -> str:
    """NFKC (full-width ＣｈａｔＧＰＴ is ChatGPT) of the text without its zero-width characters
    (removed first, so that a second pass changes nothing), Cyrillic and Greek look-alikes in a
    Latin word read as Latin letters; as long as the NFKC text."""
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE))
    if text.isascii() or text.translate(_LOOKALIKES) == text:
        return text
    return _WORD.sub(_latin_lookalikes, text)


_CJK = "\u4e00-\u9fff"
# three or more Chinese characters each on its own between spaces ("文 心 一 言")
_CJK_SPACED = re.compile(rf"(?<![{_CJK}])[{_CJK}](?:[ \t][{_CJK}]){{2,}}(?![{_CJK}])")
_SPELLED = re.compile(r"(?<![\w.])[A-Za-z](?:[ .][A-Za-z]){2,}\.?(?!\w)")
_SPELLING = re.compile(r"[ .]")


def spelled_out(text: str, names: re.Pattern) -> str:
    """`text` with a name written out letter by letter ("G P T", "C.L.A.U.D.E.") read as one
    word when `names` matches the letters together, and Chinese characters written one by one
    between spaces ("我 是 文 心 一 言") read without them."""

    def joined(letters: re.Match) -> str:
        word = _SPELLING.sub("", letters.group(0))
        return word if names.fullmatch(word) else letters.group(0)

    text = _CJK_SPACED.sub(lambda m: m.group(0).replace(" ", "").replace("\t", ""), text)
    return _SPELLED.sub(joined, text)


def plain_text(text: str) -> str:
    """`readable(text)` with each emoji or other symbol as a space and traditional characters as
    simplified ones: as long as `readable(text)`, so a span in one is the same span in the other."""
    text = readable(text)
    if text.isascii():  # most answers: no symbol and no Chinese character to read differently
        return text
    return "".join(" " if unicodedata.category(c) == "So" else c for c in text).translate(
        _SIMPLIFIED
    )


# Names that identify a model family, product or AI-only vendor; matched case-insensitively.
DISTINCTIVE = (
    # OpenAI
    r"Chat\s?-?GPT", r"GPT[-\s]?(?:3\.5|3|4o|4\.\d|4|5)(?:[-\s]?(?:turbo|mini))?", r"OpenAI",
    r"Chat\s?-?GTP", r"(?-i:OpenAl)",  # the usual typo; a lower-case l for the I
    r"(?-i:Open AI)", r"(?-i:o[134]-(?:preview|mini|pro))",
    # Anthropic: not the anthropic principle, not Claude Monet or Jean-Claude Van Damme
    r"(?<!-)Claude(?!(?-i:\s+(?!(?:Opus|Sonnet|Haiku|Instant|Code|AI|Pro|Max)\b)[A-Z][a-zà-ÿ]))",
    r"(?-i:Anthropic)(?!\s+(?:principle|reasoning|bias|argument)s?\b)",
    # Google
    r"Gemini[\s-]?(?:Pro|Ultra|Flash|Nano|Advanced|Live|\d(?:\.\d)?)", r"Google\s+(?:Gemini|Bard)",
    r"(?-i:PaLM)(?:[\s-]?2)?", r"Gemma[\s-]?\d",
    # Meta
    r"(?-i:LLaMA)", r"Llama[\s-]?\d(?:\.\d)?", r"(?:Meta|Code)\s+Llama", r"(?-i:Meta AI)",
    # Alibaba
    r"Qwen", r"Tongyi(?:\s?Qianwen)?", r"Qianwen", r"通义千问", r"通义", r"千问",
    # Baidu
    r"(?-i:ERNIE)", r"Wenxin(?:\s?Yiyan)?", r"文心一言", r"文心大模型",
    # ByteDance
    r"Doubao", r"豆包(?:大模型|AI|助手|App)", r"云雀大模型",
    # Zhipu
    r"ChatGLM", r"GLM[-\s]?\d", r"Zhipu", r"智谱",
    # Moonshot
    r"Moonshot\s+AI", r"Kimi\s?(?:Chat|AI|智能助手|助手)", r"(?<!《)月之暗面(?!》)",
    # iFlytek
    r"iFlytek\s+Spark", r"SparkDesk", r"Xinghuo", r"讯飞星火", r"星火(?:认知|大模型)",
    # Tencent
    r"Hunyuan", r"腾讯混元", r"混元大模型", r"腾讯元宝",
    # Baichuan, 01.AI, MiniMax, DeepSeek, SenseTime, Shanghai AI Lab, others
    r"Baichuan", r"百川智能", r"百川大模型",
    r"01\.AI", r"01-AI", r"Lingyi\s?Wanwu", r"零一万物", r"Yi[-\s](?:Large|Lightning|Vision|Medium|\d+B)",
    r"(?-i:MiniMax)", r"Hailuo", r"海螺AI", r"abab\d",
    r"Deep\s?Seek", r"深度求索",
    r"SenseChat", r"SenseNova", r"日日新大模型",
    r"InternLM", r"书生·浦语", r"浦语", r"盘古大模型", r"天工AI", r"360\s?智脑",
    # Mistral, xAI, Microsoft, Cohere, others
    r"Mistral[\s-]?(?:AI|Large|Medium|Small|Nemo|\d+B)", r"Mixtral", r"Codestral",
    r"Grok[\s-]?\d", r"(?-i:xAI)", r"Phi[\s-]?[234](?:\.5)?", r"(?-i:Command R)(?:\+|\s?Plus)?",
    r"Bing\s+Chat", r"SmolLM\d?", r"LMSYS", r"Nemotron", r"StarCoder", r"(?-i:OLMo)",
)  # fmt: skip

# Ordinary words, people, places or big companies with many other products: an English one must
# keep its capital ("Meta", not "a meta-analysis").
AMBIGUOUS = (
    r"Google(?:\s+DeepMind)?", r"Alphabet", r"DeepMind", r"Gemini", r"Bard", r"Meta", r"Facebook",
    r"Llama", r"Microsoft", r"Copilot", r"Amazon", r"Nova", r"AWS", r"Apple", r"Alibaba(?:\s+Cloud)?",
    r"Baidu", r"Tencent", r"ByteDance", r"iFlytek", r"SenseTime", r"Huawei", r"Kimi", r"Moonshot",
    r"Yi", r"Mistral", r"Grok", r"Cohere", r"Phi", r"Gemma", r"Falcon", r"Vicuna", r"Hugging\s?Face",
    r"NVIDIA", r"Spark", r"GPT", r"GLM", r"Ernie", r"anthropic", r"Perplexity",
    r"谷歌(?:公司)?", r"脸书", r"微软", r"亚马逊", r"苹果", r"阿里巴巴(?:集团)?", r"阿里云", r"阿里",
    r"百度", r"腾讯", r"字节跳动", r"字节", r"科大讯飞", r"讯飞", r"商汤(?:科技)?", r"华为", r"英伟达",
    r"豆包", r"星火", r"混元", r"百川", r"文心", r"元宝", r"克劳德", r"羊驼", r"双子座", r"商量",
    r"天工", r"盘古", r"书生", r"清言", r"达摩院", r"上海人工智能实验室",
)  # fmt: skip

# After an ambiguous name, these words mean a product or service, not the speaker's maker.
PRODUCT_WORDS = (
    r"Maps|Search|Translate|Docs|Drive|Sheets|Slides|Chrome|Play|Scholar|Colab|Pixel|Photos|"
    r"Calendar|Quest|Watch|Music|Pay|Store|TV|Notes|Excel|Word|Office|Teams|Prime|Web Services|"
    r"一下|地图|百科|网盘|贴吧|知道|翻译|搜索|学术|会议|视频|文档|云服务器|手机|浏览器|输入法"
)

# Assistants, products and makers the two tables above leave out (issue 11's unseen set found
# them): like every name, they count only in self-reference, so ordinary words are safe here.
MORE_NAMES = (
    r"Bing", r"Cortana", r"Xiaoice", r"小冰", r"StepFun", r"Step[-\s]?\d\w*", r"阶跃星辰", r"跃问",
    r"海螺(?:AI)?", r"Granite", r"Watsonx?", r"(?-i:IBM)", r"Jamba", r"AI21(?:\s+Labs)?", r"Reka",
    r"Inflection(?:\s+AI)?", r"(?-i:Pi)", r"Character\.?AI", r"Le\s+Chat", r"Pan-?Gu", r"小艺",
    r"昆仑万维", r"子曰", r"有道", r"网易", r"小爱(?:同学)?", r"小米", r"小布(?:助手)?", r"(?-i:OPPO)",
    r"蓝心(?:小V|大模型)?", r"(?-i:vivo)", r"言犀", r"京东", r"美团", r"MiniCPM", r"面壁(?:智能)?",
    r"DBRX", r"Databricks", r"Snowflake(?:\s+Arctic)?", r"Allen\s+(?:Institute\s+for\s+AI|AI)",
    r"(?-i:AI2|Ai2)", r"T[üu]lu", r"Alexa", r"Siri", r"Apple\s+Intelligence", r"Yuanbao", r"万知",
    r"日日新", r"Skylark", r"云雀", r"(?-i:Seed)", r"Yiyan", r"ERNIE\s+Bot", r"文心(?:一言|大模型)?",
    r"智谱(?:清言|AI)?", r"清言", r"Kimi", r"MiniMax", r"Hailuo", r"(?-i:Step)", r"跃问", r"(?-i:Copilot)",
    r"Arctic", r"(?-i:Nova)", r"(?:GitHub|Microsoft)\s+Copilot", r"CodeGeeX", r"(?-i:Upstage)", r"Upstage\s+Solar", r"Solar[\s-](?:Pro|Mini|LLM|\d)", r"Olmo", r"Cohere", r"Mistral(?:\s+AI)?",
    r"Google\s+DeepMind", r"Meta\s+AI", r"Alibaba\s+Cloud", r"阿里云", r"通义(?:千问)?",
    r"Tiangong", r"杰米尼", r"Kunlun(?:\s+Tech)?", r"Reka(?:\s+(?:Core|Flash|Edge|AI))?",
    # common misspellings
    r"Cluade", r"Gemnini", r"Gemeni", r"Gemni", r"(?-i:Jemini)", r"店小蜜", r"Anthorpic", r"Antropic", r"Anthropric", r"ChatGTP", r"OpenIA",
    # validation set 18 (stop 29)
    r"Germini", r"同义千问", r"通意千问", r"GigaChat", r"YandexGPT", r"EXAONE", r"HyperCLOVA(?:\s?X)?",
    r"(?-i:Jais)", r"Khanmigo", r"Replika", r"HuggingChat", r"Notion\s+AI", r"(?-i:Bixby)",
    r"小度", r"通义(?:灵码|万相)", r"Tongyi\s+Lingma", r"KwaiYii", r"快意大模型", r"TeleChat",
    r"星辰语义大模型", r"百灵大模型", r"Sakana\s+AI", r"(?-i:Zephyr)(?=[\s-]?\d)", r"Hermes[\s-]?\d",
    r"Vicuna[\s-]?\d+B",
)  # fmt: skip

# A deployment's model id ("qwen2.5-72b-instruct", "glm-4-plus", "deepseek-v3"): a word, a
# hyphen, and a digit somewhere.
MODEL_ID = r"(?<![\w.-])(?=[\w.-]*\d)[A-Za-z][\w.]*(?:-[\w.]+)+(?<![.-])"

# Between "I am" and "trained by X" no new subject may start ("I'm sure the Pixel is made by
# Google" is about the phone) and no denial or doubt ("I can't say whether I was made by X").
_NEW_SUBJECT_EN = (
    r"it|its|it's|they|their|he|she|his|her|which|this|these|those|is|are|you|your|"
    r"not|n't|never|whether|if|unsure|sure|cannot|can't|unable|no"
)
_GAP_EN = rf"(?:(?!\b(?:{_NEW_SUBJECT_EN})\b|n't|'s\b|’s\b)[^.!?\n;]){{0,60}}?"
_GAP_ZH = r"(?:(?![它他她该这那不没否无])[^。！？!?\n；;]){0,20}?"

_BY_EN = (
    r"(?:(?:trained|developed|created|built|made|designed|released|programmed|engineered|put together|"
    r"fine-?tuned|pre-?trained|owned|maintained|launched|produced|powered|provided|backed|run|"
    r"brought to you|open-?sourced|published|deployed|hosted|served)"
    r"\s+(?:\w+\s+){0,2}?(?:by|at)"
    r"|(?:based|built|running|trained|fine-?tuned|run)\s+on(?:\s+top\s+of)?"
    r"|(?:fine-?tuned|distilled|derived)\s+from"
    r"|(?:built|integrated|embedded)\s+into|(?:called|named|known as)"
    r"|(?:running|deployed|serving|operating|responding|answering)\s+as"
    r"|(?:model|assistant|AI|chatbot|LLM|system|version|variant|product|bot|intelligence|companion|"
    r"member|release|instance)\s+(?:from|by|of|at|in)"
    r"|(?:part|one|a member|a version|a variant)\s+of)"
    r"\s+(?:the\s+)?(?:(?:team|teams|engineers|researchers|folks|people|developers|company|labs?)"
    r"\s+(?:at|of|from)\s+)?"
)

# The closing words of a letter or note, before the name it is signed with.
CLOSING = (
    r"Cheers|Best|Regards|Best regards|Kind regards|Warm regards|Thanks|Thank you|Sincerely|"
    r"Warmly|Yours(?: truly)?|Take care|Keep going|Talk soon|All the best|Good luck|Happy \w+ing"
)

# Self-reference templates; {N} is replaced by the alternation of every name (and model id).
SELF_REFERENCE = (
    # I am X / my name is X / you're talking to X
    r"\b(?:I am|I'm|I’m|my name is|my name's|call me|I go by|I'm called|I am called|I'm known as|"
    r"I am known as|you(?:'re| are) (?:chatting|talking|speaking) (?:with|to)|you've reached|"
    r"je suis|ich bin|soy|eu sou)\s+"
    r"(?:an?\s+|the\s+|your\s+)?{N}",
    r"\b(?:this is|it's|it’s)\s+{N}(?!'s|’s)[\w.-]*(?:\s+(?-i:[A-Z0-9])[\w.-]*){0,3}"
    r"(?:\s*[（(][^)）\n]{1,30}[)）])?"
    r"(?=\s*(?:[,.!:—-]|\s+(?:speaking|here|from|by|at|answering|replying|responding|writing)\b))",
    r"\b(?:responding|answering|speaking|replying|writing)\s+as\s+{N}",
    r"(?>{N})(?:-[\w.]+)*+(?:\s+(?:model|assistant|AI|chatbot|LLM|bot))?(?:\s*[—–(,-]+\s*|\s+)"
    r"(?:that's|that is|which is|i\.e\.)\s+me\b",
    r"\b(?:as|being)\s+(?:a\s+)?part\s+of\s+(?:the\s+)?{N}(?:\s+(?:family|series|line))?\s*,\s*I\b",
    r"\b(?:the\s+)?(?:people|team|folks|engineers|company|lab|researchers)\s+(?:who|that)\s+"
    r"(?:built|made|trained|created|developed|hosts|operates|runs|serves|deploys)"
    r"(?:\s+and\s+\w+)?\s+me\s+(?:work\s+(?:at|for)|(?:is|are)\s+(?:at|"
    r"from|with)?|(?:over\s+)?(?:at|from))\s+(?:the\s+)?{N}",
    r"\byour\s+{N}\s+(?:assistant|AI|model|bot)[.!]?\s*\Z",
    # I am a large language model, trained by X / I'm based on X / I'm part of the X family
    r"\b(?:I am|I'm|I’m|I was|I've been|I have been)\b" + _GAP_EN + _BY_EN + "{N}",
    # "im ChatGPT, made by OpenAI" (not German: "im Meta-Konzern", "im Google Play Store")
    r"\b(?-i:[Ii]m)\s+{N}(?=\s*[,!—–(]|\s+(?:an?|the|made|built|trained|developed|created|by|from|"
    r"here|btw|lol|by the way)\b)",
    # my creators at X / my base model is X
    r"\bmy\s+(?:creators?|developers?|makers?|parent company|company|team|trainers?|engineers|"
    r"authors?|designers?|builders?|base model|underlying model|foundation model|weights|"
    r"architecture|model family|family|training)\s*(?:(?:is|are|was|were|at|from|comes? from|"
    r"came from|,|:)\s*)?"
    r"(?:(?:released|trained|made|built|developed|provided|done|created|published|"
    r"open-?sourced) (?:by|at)\s+|"
    r"the (?:team|folks|people) at\s+|based on\s+|part of\s+)?(?:the\s+)?{N}",
    r"\bI\s+(?:come|came|hail)\s+from\s+(?:the\s+)?{N}",
    # a sign-off at the end: "—— 由 DeepSeek 生成", "文心一言 敬上", "…有力。by Claude"
    r"(?:^|\n)[ \t]*(?:——|—|--|–)?[ \t]*由\s*{N}\s*(?:生成|撰写|创作|提供)[。.!！]?[ \t]*$",
    # (and, since stop 36, "混元助手 敬上")
    r"(?:^|\n)[ \t]*{N}[ \t]*(?:(?:助手|AI|大模型)[ \t]*)?(?:敬上|谨上|谨启)[ \t]*$",
    r"(?:^|[。.!！?？]\s*|\n\s*)by\s+{N}[ \t]*[.!]?\s*\Z",
    r"\b(?:greetings|hello|hi|hey|cheers|regards|love|best wishes|good luck|happy\s+\w+)\s+from\s+"
    r"(?:the\s+|your\s+)?(?:friendly\s+)?{N}",
    r"\b(?:I am|I'm|I’m)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:AI|model|assistant|chatbot|LLM|"
    r"bot)\s+(?:that|which)\s+(?:the\s+)?{N}(?:\s+team)?\s+(?:built|made|trained|created|"
    r"developed|designed|released)",
    r"\blike\s+(?:other|all|the other|my fellow)\s+(?:[\w-]+\s+){0,2}?(?:models|assistants|AIs|LLMs)"
    r"\s+(?:made|built|trained|developed|designed|from|by)\s+(?:by\s+|at\s+)?(?:the\s+)?{N}",
    r"\bI\s+belong\s+to\s+(?:the\s+)?{N}",
    r"\bI\s+(?:run|am running|'m running)\s+on\s+(?:the\s+)?{N}",
    # as X's assistant / as an AI developed by X / being one of X's models
    r"\b(?:as|being)\s+(?:an?\s+|the\s+)?{N}(?:'s|’s)?\s+(?:[\w.-]+\s+){0,2}?"
    r"(?:AI|model|assistant|chatbot|LLM)\b",
    r"\b(?:as|being)\s+(?:an?|one of)\s+(?:[\w-]+\s+){0,3}?(?:AI|models?|assistant|chatbot|LLM)\b"
    r"[^.!?\n;]{0,30}?\b(?:by|from|at|of|in)\s+(?:the\s+)?{N}",
    r"\b(?:as|being)\s+one\s+of\s+{N}(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?models\b",
    r"\b(?-i:As)\s+{N}(?:\s+(?:(?-i:[A-Z])[\w.-]*|\d[\w.]*)){0,3}\s*,\s*(?:I|my)\b",
    r"\b(?-i:As)\s+{D}(?:\s+(?:(?-i:[A-Z])[\w.-]*|\d[\w.]*)){0,3}(?:\s*[（(][^)）\n]{1,30}[)）])?"
    r"(?:\s+(?:from|by|at)\s+(?-i:[A-Z])[\w.-]*(?:\s+(?-i:[A-Z])[\w.-]*){0,2})?\s*,\s*(?:I|my)\b",
    r"\bas\s+{N}(?:\s+(?-i:[A-Z])[\w.-]*){0,3}\s*(?:,\s*)?I\b",
    r"\bas\s+{N}\s*,[^.!?\n]{0,50}?\bI\b",
    r"(?:^|(?<=[\n（(]))[ \t]*(?:当前|current\s+)?(?:Model|model|模型)(?:\s*ID|\s*id|名称|名)?\s*[:：]\s*{N}",
    r"(?:落款|署名|签名|Signed|signed)\s*[:：]\s*{N}",
    r"(?:—|--|–|~|——)\s*(?:answered|written|generated|composed|brought to you|sent|replied)\s+by\s+{N}",
    r"\bthis\s+(?:answer|response|reply|message|text)\s+(?:comes|came|is coming)\s+from\s+{N}",
    r"{N}[^.\n]{0,20}?,?\s*signing off\b",
    r"{N}(?:\s+[\w.-]+){0,2}\s*,\s*(?:at your service|reporting for duty)\b",
    r"我的训练(?:来自|由|出自|源自|是)\s*{N}",
    r"(?:——|—|--)\s*(?:你的|您的)?(?:AI|智能)?(?:(?:伙伴|助手|助理|朋友)\s*)?{N}(?=[^\n]{0,20}(?:\n|\Z))",
    # X trained me / X here / this response was generated by X / — X (a signature)
    r"{N}(?:'s|’s)?\s+(?:[\w-]+\s+){0,2}?(?:trained|developed|created|built|made|designed|"
    r"programmed|engineered|fine-?tuned|released|training|runs|ran|hosts|operates|serves|deploys|powers)"
    r"\s+(?:me|this (?:model|assistant|AI|response|"
    r"answer|reply))\b",
    r"(?:^|(?<=[.!?,])\s*|(?<=\s\s))(?:(?<![\w.-])[\w.-]+(?:'s|'|’s|’)\s+)?{N}(?:\s*[（(][^)）\n]{1,20}[)）])?\s+here\b",
    r"\bthis\s+(?:response|answer|reply|message|text|output|assistant|model|AI|chatbot)\s+"
    r"(?:was\s+|is\s+)?(?:generated|written|produced|created|brought to you|provided|made|built|"
    r"developed|trained|powered|served)\s+(?:to you\s+)?by\s+(?:the\s+)?{N}",
    r"(?:^|\n)[ \t]*(?:——|—|--|–|-|~|By(?=[ \t]))[ \t]*{N}[ \t]*\Z",
    # 我是X / 我叫X / 我的名字叫X
    r"(?:我|偶|俺|本人|本助手|本模型|在下)(?:自己|确实|其实|真的|的确|正|便|本来|本身|不|只|只不过)?(?:是|係|叫|乃|系|名叫|名为|就是|"
    r"的名字(?:是|叫))\s*"
    r"(?:(?:一个|一款|一名|一位|个|您的|你的)\s*)?[“\"「『]?{N}(?![^。？！?\n]{0,12}?还是)",
    # 我是一个大型语言模型，由X训练
    r"(?:我|本模型|本助手|本AI)(?:是|乃|为)?"
    + _GAP_ZH
    + r"由\s*(?:[^。，,！？（(]{0,12}[（(]\s*)?{N}",
    r"我(?:来自|属于|隶属于?|出自|源自|基于|是基于|构建于|运行在|运行于)\s*{N}",
    r"(?:我|本模型|本助手)(?:是|乃)?" + _GAP_ZH + r"基于\s*{N}",
    r"我背后的(?:公司|团队|厂商|模型|技术)(?:是|为|来自|出自|用的是|是由)\s*{N}",
    # validation set 5: they call me X, you're being helped by X, the people who trained me, the X team,
    # it was me, X's model; an "About me" list; 训练我的是X, 我（X）, 我底层调用的是X, 回答者：X
    r"\b(?:they|people|folks|everyone|you can)\s+call(?:s)?\s+me\s+{N}",
    r"{N},?\s+(?:they|people|folks)\s+call\s+me\b",
    r"\byou(?:'re| are)\s+(?:being\s+)?(?:helped|assisted|served)\s+(?:\w+\s+)?by\s+{N}",
    r"\b(?:the\s+)?(?:people|team|folks|engineers|company|lab|researchers)\s+(?:who|that)\s+"
    r"(?:built|made|trained|created|developed)\s+me\s*,\s*(?:the\s+)?{N}",
    r"\b(?:it was|it's|it is|that's|that was)\s+me\s*[,—–-]+\s*(?:\w+\s+)?{N}",
    r"\b(?:the\s+)?(?:folks|people|team|engineers|researchers)\s+at\s+{N}\s+(?:built|made|trained|"
    r"created|developed|designed)\s+me\b",
    r"(?:About me|关于我(?!们))[\s\S]{0,40}?(?:名称|名字|模型|Name|Model|Assistant|开发者|开发商|Developer|"
    r"Made by)\s*(?:\*\*\s*)?[:：]\s*(?:\*\*\s*)?{N}",
    r"(?:训练|开发|研发|打造|创造|做)(?:了)?我的(?:是|就是)\s*{N}",
    r"我\s*[（(]\s*{N}[^)）\n]{0,8}[)）]",
    r"我(?:的)?(?:底层|底座|基座|背后|后台)[^。，,！？\n]{0,8}?(?:是|为)[^。，,！？\n]{0,8}?{N}",
    r"(?:以上|本|该|此|上述)(?:的)?(?:内容|回答|回复|答案|文字|文本|代码|建议|总结|摘要|翻译|文案|草稿|诗)[^。，,！？\n]{0,4}?"
    r"由\s*{N}[^。，,！？\n]{0,20}?(?:生成|提供|撰写|给出|创作|输出)",
    r"(?:回答者|答主|回复者|解答者|作答者|讲解人|答题者|回答模型|生成者|撰写者)\s*[:：]\s*{N}",
    # validation set 7: by me, X; I — X — have; mine (X's); the X series is my family; 作为X认知大模型，我;
    # X（也就是我）; 我——X——; 我是在 X 基础上微调的
    r"\b(?:by me|from me|it was me|that's me|that was me)\s*[,(—–-]+\s*(?:the\s+)?{N}",
    r"\bI\s*(?:[,—–]|\s-)\s*{N}(?:(?:'s|’s)?\s+[\w.-]+){0,2}\s*(?:[,—–]|-\s)\s*(?:am|'m|can|can't|cannot|have|"
    r"will|won't|do|don't|was|would|must|should|need)\b",
    r"\bmine\s*\(\s*{N}(?:'s|’s)?\s*\)",
    r"{N}\s+(?:series|family|line|models?)\s+(?:is|are)\s+my\s+(?:family|lineage|origin|roots|home)",
    r"(?:作为|作為|身为|身為)\s*{N}(?:(?!用户|粉丝|会员|客户|读者|开发者|工程师)[^，,。！？\n的]){0,8}[，,]\s*我(?!们)",
    r"{N}[^。！？\n]{0,10}?[（(]\s*(?:也就是|就是|即)我\s*[)）]",
    r"我\s*(?:——|—)\s*{N}\s*(?:——|—)",
    r"我是(?:在|基于|以)\s*{N}[^。，,！？\n]{0,10}?(?:基础上|之上|为基座|为底座)",
    # validation set 6: 我目前的版本是X, 由我 X 生成, 早上好 这里是X
    r"我(?:目前|现在|当前)?的(?:版本|型号|模型|名字|名称)(?:是|为|叫)\s*{N}",
    r"由我\s*(?:[（(]\s*)?{N}",
    r"(?:^|(?<=好)[，,！!。\s]*|(?<=[\n。！!～~])[ \t]*)这里是\s*{N}\s*(?=[，,！!～~。]|(?:的)?(?:AI|助手|客服))",
    r"(?:本助手|本模型|本AI|本系统)(?:为|系)\s*(?:(?:一个|一款)\s*)?{N}",
    # validation set 18 (stop 29): Being X, I; I, as X, am; this is X answering; cheers from X;
    # signed, X; X runs me; me, X, …; an answer or a table "by X"; the model behind me is X; the
    # guidelines X gave me; As X from Y I; speaking for myself — X; 和你对话的是X; 我这个X; 本段由X回答;
    # 解答者：X; a table's row | 回答者 | X |; ——X 撰; # 来自X 的代码建议
    r"\b(?-i:Being)\s+{N}(?:(?:'s|’s)\s+[\w-]+)?(?:\s+(?:in|on|from|by|at)\s+[\w.-]+(?:\s+[\w.-]+)?)?"
    r"(?:\s*,[^,.!?\n]{1,40})?\s*,\s*I\b",
    r"\bI\s*,\s*as\s+(?:[\w.-]+(?:'s|’s)\s+)?{N}\s*,",
    r"\b(?:speaking|talking)\s+(?:for|about)\s+myself\s*[—–(,:-]+\s*{N}",
    r"\bsigned\s*[,:：]\s*{N}",
    r"\b(?:let|letting|lets|allow|allows|ask|asks|made|make|makes)\s+me\s*,\s*{D}\s*,",
    r"\bmyself\s*[—–(]+\s*{N}\s*[—–)]",
    r"(?:(?<=[(（\[])|(?:—|–|--|~)\s*)(?:answer|reply|response|recipe|draft|summary|implementation|"
    r"table|list|plan|translation|notes?)\s+(?:(?:made|written|prepared|produced|generated|compiled|"
    r"adapted|drafted)\s+)?by\s+{N}",
    r"\b(?:answer|reply|response|draft|summary|recipe|plan|table|list)\s+(?:(?:was|is)\s+)?"
    r"(?:brought to you|prepared|produced|generated|compiled)\s+by\s+{N}",
    r"\b(?:the\s+)?(?:model|company|team|lab|technology|tech|AI|LLM|engine)\s+(?:behind|powering)\s+me"
    r"\s+(?:is|was)\s+(?:(?:[\w.-]+(?:'s|’s))\s+)?{N}",
    r"\b(?:guidelines|rules|policies|policy|instructions|principles)\s+(?:that\s+)?{N}\s+(?:gave|set for|"
    r"wrote for|built into|trained into)\s+me\b",
    r"\b(?-i:As)\s+{D}\s+(?:from|by|at)\s+(?-i:[A-Z0-9])[\w.-]*(?:\s+(?-i:[A-Z])[\w.-]*){0,2}\s*,?\s*"
    r"(?:I|my)\b",
    r"\bAs\s+(?:the|your)\s+{D}\s+(?:in|inside|on|for|of)\s+[^,.!?\n]{1,30},\s*I\b",
    r"\bunder the hood,?\s+I(?:'m|’m| am)\s+(?:an?\s+|the\s+)?(?:[\w.-]+\s+){0,3}?{N}",
    r"(?:(?:和|与|跟|同)(?:你|您)|(?:你|您)(?:现在|正在|目前)?)(?:对话|聊天|交流|说话)的(?:对象)?(?:是|就是|正是)\s*{N}",
    r"(?:你|您)(?:正在|现在|目前)?(?:和|与|跟|同)\s*{N}\s*(?:对话|聊天|交流)",
    r"我这个\s*(?:由\s*)?{N}",
    r"我的[“\"]?(?:大脑|脑子|内核|芯子)[”\"]?[^。！？\n]{0,8}?(?:是|为)\s*{N}",
    r"(?:——|—|--)\s*{N}[^\n，,。]{0,8}?\s*(?:撰|敬上|谨上|謹上|題|题|拙作)",
    r"(?:以上|本段|本题|本回答|本解读)[^。！？\n]{0,6}?(?:由|出自|来自)\s*{N}",
    r"[（(【\[]\s*(?:解答者|作答者|讲解人|讲解|答题者|回答模型|生成者|撰写者|回答者)\s*[)）】\]]\s*{N}",
    r"[|｜]\s*(?:回答者|回答模型|撰写|作者|生成|生成者|模型|我)\s*[|｜]\s*{N}",
    r"{N}\s*(?:对|給|给|为|為)我(?:的|制定的|定的|設定的|设定的)?(?:使用)?(?:政策|规范|規範|要求|规则|規則|准则)",
    r"{N}\s*(?:这边|這邊)\s*(?:帮你|幫你|为你|為你|给你|給你)",
    r"我(?:自己)?是在\s*{N}[^。！？\n]{0,16}?(?:训练|訓練|微调|微調)(?:出来|出來)?的",
    r"我是(?:一个|一款|一個)\s*[^。，,！？\n]{0,14}?(?:模型|助手)\s*(?:——|—|:|：|\s)\s*{N}",
    # validation set 4: 以上内容由X生成 / 偶是kimi啦～月之暗面家的AI (作为X，我…: the rule of set 7)
    r"(?:以上|本|该|此)(?:的)?(?:内容|回答|回复|答案|文字|文本|代码)(?:均)?由\s*{N}\s*(?:生成|提供|撰写|给出|创作|"
    r"输出)",
    r"(?:我|偶|俺)是[^。，,！？]{0,12}?{N}(?:家|公司|旗下)的(?:AI|助手|模型|大模型)",
    r"(?:我|本助手|本模型)(?:就)?是[^。，,！？]{0,8}?的\s*{N}",
    r"我的(?:开发者|开发商|开发方|創造者|创造者|创建者|研发者|研发方|研发团队|开发团队|训练者|训练方|訓練方|制造者|"
    r"缔造者|作者|出品方|母公司|公司|团队|底座|基座|底层模型|基础模型|底座模型|基座模型|模型)(?:是|为|來自|来自|就是|基于)?"
    r"\s*{N}",
    # 作为X的AI助手 / 作为一个由X开发的模型 / 作为X系列的一员
    r"作为(?:一个|一款|一名)?由?\s*{N}\s*(?:公司\s*)?(?:(?:的|旗下的?|开发的|研发的|训练的|推出的|系列的)\s*)?"
    r"(?:(?:大型|大|通用|多模态)\s*)?(?:(?:AI|人工智能|智能)\s*)?(?:助手|助理(?=[，,]\s*我)|模型|大模型|语言模型|聊天机器人|一员)",
    r"作为[^。，,！？]{0,12}?的\s*{N}\s*(?:模型|大模型|助手)?[，,]",
    r"作为[^。，,！？]{0,12}?的\s*{N}\s*(?:模型|大模型|助手)?\s*[（(][^)）\n]{1,20}[)）]\s*[，,]\s*我(?!们)",
    r"作为(?:一个|一款|一名)?[^。，,！？]{0,10}?由\s*{N}",
    # X训练了我 / 这里是X / X为您服务
    r"{N}(?:公司|团队|的[^。，,！？]{0,6}?)?(?:开发|训练|研发|打造|创造|创建|设计|推出)了我",
    r"(?:^|[你您]好[，,！!。\s]*|嗨[，,！!\s]*)这里是\s*{N}",
    r"{N}\s*(?:竭诚)?(?:为您|为你)服务",
    r"{N}(?:推出|开发|研发|打造)的[^。，,！？]{0,12}?(?:竭诚)?(?:为您|为你)服务",
    r"(?:为你|为您)服务的是\s*{N}",
    r"(?:——|—|--)\s*来自[^。\n]{0,10}?{N}\s*\Z",
    r"(?:训练|开发|研发|打造|创造)我的(?:公司|团队|机构|厂商|人)[^。！？!?\n]{0,30}?{N}",
    # validation sets 8 and 9: I (X) tend; my own limits as X; a closing formula, then the name alone
    # on the last line; 本模型经X基座微调; 我作为X
    r"\bI\s*\(\s*{N}[^)\n]{0,20}\)\s*(?:am|'m|tend|can|think|was|will|would|have|do|don't|usually|"
    r"often|prefer|try|also|may|might)\b",
    r"\bmy\s+(?:own\s+)?(?:[\w-]+\s+){1,2}?as\s+{N}(?!'s|’s)",
    r"^[ \t]*(?:"
    + CLOSING
    + r")[ \t]*[,!][ \t]*\n[ \t]*(?:[—–-][ \t]*)?(?:your[ \t]+)?{D}(?:[ \t]+[\w.-]+){0,2}"
    r"(?:[ \t]*[（(][^)）\n]{1,30}[)）])?[ \t]*\Z",
    r"我是(?:经|经过|从)\s*{N}[^。！？\n]{0,12}?(?:微调|蒸馏|对齐|训练)(?:而来|出来|的)",
    r"我作为\s*{N}(?=\s*[，,]|\s*是|的?(?:AI|助手|模型|大模型)(?!经理|产品))",
    # validation set 16 (stop 28): an attribution line ("— written for you by X", "(Story by X,
    # written just for you.)", "¹ Answer generated by X", "Recipe adapted by X from …")
    r"(?:^|(?<=[\n(（\[¹²³ⁱ*†]))[ \t]*(?:[—–~-]+[ \t]*)?(?:[\w'’-]+[ \t]+){0,5}?(?:written|"
    r"generated|drafted|composed|authored|compiled|answered|translated|adapted|summari[sz]ed|"
    r"produced|styles|verses|tale|story|essay|poem|haiku|feedback|notes)(?:[ \t]+(?:just[ \t]+)?"
    r"for[ \t]+(?:you|your[ \t]+\w+))?[ \t]+by[ \t]+(?:me[ \t]*[,(—–-][ \t]*)?{N}",
    r"\((?:written |generated |translated )?by\s+{N}\)\s*:",
    r"\b(?:note|message|comment|a word)\s+from\s+(?:the|your)\s+assistant\s*[(（]\s*{N}",
    # a closing and the name on one line ("Yours, X", "Warmly, your X", "Hope that helps, X 🐋")
    r"(?:^|(?<=[.!?]))[ \t]*(?:" + CLOSING + r"|Hope (?:that|this) (?:helps|clears it up))"
    r"(?:[ \t]+(?:in|from)[ \t]+\w+)?[ \t]*,[ \t]*(?:[—–-][ \t]*)?(?:your[ \t]+(?:friendly[ \t]+)?)?"
    r"{D}(?=[^\n\w]{0,12}(?:\n|\Z))",
    r"(?:—|–|--|~)[ \t]*your[ \t]+(?:\w+[ \t]+){0,2}?{D}(?=[^\n\w]{0,12}(?:\n|\Z))",
    # the people at X who trained me; the team behind me at X; my knowledge comes from X; X models
    # like me; as one of the members of the X family; I'm the … X variant; the model behind X
    r"\b(?:the\s+)?(?:people|team|folks|engineers|researchers|developers)\s+(?:over\s+)?at\s+{N}\s+"
    r"(?:who|that)\s+(?:built|made|trained|created|developed|fine-?tuned)\s+me\b",
    r"\b(?:the\s+)?(?:team|people|folks|company|lab)\s+behind\s+me\s+(?:(?:is|are)\s+)?"
    r"(?:over\s+)?(?:at|from)\s+{N}",
    r"\bmy\s+(?:knowledge|training(?:\s+data)?)\s+(?:comes?|came)\s+from\s+{N}",
    r"(?>{N})(?:\s+[\w.]+){0,2}\s+(?:models?|assistants?|AIs?|LLMs?)\s+like\s+me\b",
    r"\bas\s+(?:one\s+of\s+)?(?:the\s+)?(?:[\w-]+\s+){0,2}?members?\s+of\s+(?:the\s+)?{N}"
    r"(?:\s+[\w.-]+){0,2}\s+family\b",
    r"\bI(?:'m|’m| am)\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?{N}(?:\s+[\w.-]+){0,2}?\s+"
    r"(?:variant|version|edition|checkpoint)\b",
    r"\b(?:I|me|my)\b[^.!?\n]{0,40}?\bas\s+the\s+(?:model|AI|LLM|assistant|engine)\s+(?:behind|powering|"
    r"inside)\s+{N}",
    r"\b(?-i:As)\s+the\s+(?:model|AI|LLM|assistant|engine)\s+(?:behind|powering|inside)\s+{N}[^.!?\n]{0,30}?,"
    r"\s*I\b",
    # validation set 16 in Chinese: a note that says what wrote the answer (本回答由X生成, 以上由X翻译,
    # 生成模型：X, [模型：X]); we (我们/我们家的 X); X set my rules (X给我定的, X把我升级); I was trained
    # at X (我在X训练时, 我的知识来自X, 我的训练是X完成的); as X's model (作为/身为X开发的AI); …, that
    # is me (也就是我); my base is X (底层用的是X); X here (X在此, X报到); running on … as X
    r"(?:本|此|以上|以下)(?:回答|回覆|回复|解答|答案|译文|譯文|内容|內容|文章|故事|总结|段落|文|篇|信息|資訊)?"
    r"[^。！？\n]{0,3}?(?:由|是|为|為|基于|基於)\s*{N}[^。！？\n]{0,16}?(?:生成|產生|产生|创作|創作|撰写|撰寫|"
    r"翻译|翻譯|提供|整理|写|寫|编写|協助生成|协助生成)",
    r"(?:生成模型|回答模型|回答生成|答题模型|数据整理|資料整理|译者|譯者|作者|Author|@generator|@author)"
    r"\s*[:：]\s*{N}",
    r"[\[【（(]\s*(?:模型|model|Model)\s*[:：]\s*{N}",
    r"的是我\s*[，,：:]\s*{N}",
    r"(?:——|—|--)\s*(?:你的|您的)[^\s，,。]{0,6}?(?:伙伴|助手|助理|朋友)\s*{N}",
    r"我们(?:家的|家)?\s*{N}",
    r"{N}\s*(?:给我|給我|为我|為我|替我)(?:取名|起名|定下|定的|设定|設定|设的|配的|配了|加了)",
    r"{N}\s*(?:在)?(?:训练|訓練|开发|開發|更新|升级|升級|调教)我(?:的时候|的時候|时|時)",
    r"{N}\s*把我(?:升级|升級|训练|訓練|更新|部署|开源|開源)",
    r"{N}[^。！？\n]{0,6}?(?:负责)?(?:维护|維護|运营|運營)我",
    r"我的(?:知识|知識|训练数据|訓練數據|数据|數據)[^。！？\n]{0,4}?(?:来自|來自)\s*{N}",
    r"我在\s*{N}\s*(?:训练|訓練|受训)",
    r"我的[“\"]?(?:爸爸妈妈|爸妈|父母|娘家|老家|创造者们?|缔造者|造物主)[”\"]?[^。！？\n]{0,12}?{N}",
    r"(?:训练|訓練|开发|開發|研发|打造|调教)我的(?:时候|時候|那些|那家)[^。！？\n]{0,12}?{N}",
    r"(?:作为|作為|身为|身為)[ \t]*+(?:一个|一款|一個)?(?:来自|來自)?[^。，,\s]{0,4}?[ \t]*+{N}[ \t]*+"
    r"(?:开发|開發|训练|訓練|研发|研發|推出|打造)?的?[ \t]*+(?:AI|模型|助手|大模型|人工智能|[A-Za-z][\w.-]+)",
    r"我\s*(?:——|—)\s*(?:一个|一款)?\s*{N}\s*(?:训练|訓練|开发|開發|研发)(?:出来)?的",
    r"{N}[^。！？\n]{0,12}?[，,]\s*(?:也就是|就是|正是)我",
    r"{N}[^。！？\n]{0,10}?(?:用的就是|说的就是|其实就是)我",
    r"我[^。！？\n]{0,30}?(?:底层|底座|背后|後台|后台)(?:这次|目前|现在)?(?:用的|调用的|跑的)?是\s*{N}",
    # (and, since stop 36, "Kimi 在这儿（月之暗面出品）", "X为您解答，")
    r"{N}\s*(?:在此|在这儿?|在這兒?|报到|報到|来报到|为您解答|为你解答)\s*[！!～~，,。（(]",
    r"我(?:现在|目前|这边)?(?:是)?(?:跑|运行|運行|部署)在[^。！？\n]{0,14}?上[^。！？\n]{0,4}?[，,]?\s*是\s*"
    r"(?:[^。！？\n]{0,10}?的)?\s*{N}",
    r"我是(?:部署|运行|運行|跑|内置|内嵌)在[^。！？\n，,]{0,16}?的\s*{N}",
    # stop 36 (the fifteenth, seventeenth and nineteenth sets, read): a listed name with its
    # size before "here" ("Mixtral 8x7B here (Mistral AI)", "IBM Granite here"), its maker between
    # ("Le Chat, by Mistral AI, here"), a vendor's assistant here; "my answers come from X's
    # model"; X是我的开发方; X的工程师把我…; wo shi X; a footer of the name and
    # its size or maker ("_(Gemma 2 9B · Google)_", "– Falcon 180B (TII)", 回答由 X 提供)
    r"(?:^|(?<=[.!?\n])[ \t]*+|(?<=[^\w\s,])[ \t]*+)(?:(?-i:[A-Z][A-Z0-9]+)[ \t]+)?{N}"
    r"(?:[ \t]+[\w.-]*\d[\w.-]*){0,2}[ \t]*(?:[（(][^)）\n]{1,24}[)）])?[ \t]+here\b"
    r"(?=[ \t]*(?:[.!,—–(~]|$))",
    r"{N}\s*,\s*(?:by|from)\s+[^,.!?\n]{2,30},\s*here\b",
    r"{N}(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?:assistant|AI|bot|chatbot|model|helper)\s+here\b",
    r"\bmy\s+(?:answers|replies|responses)\s+(?:here\s+)?(?:come|are generated|are produced|"
    r"are written)\s+(?:from|by)\s+(?:[\w-]+(?:'s|’s)\s+)?{N}",
    r"{N}\s*是我的(?:开发方|开发者|开发商|创造者|母公司|出品方|研发方|训练方)",
    r"{N}的(?:工程师|研究员|团队|开发者|研发团队)们?(?:(?:把|将)我(?!的)[^。！？\n]{0,6}?(?:调教|训练|设计|开发|"
    r"做|打造)|训练了我|开发了我|打造了我)",
    r"\b(?:wo\s+shi|wo\s+jiao)\s+{N}",
    r"(?:^|\n)[ \t]*(?:[-—–]+[ \t]*)?(?:本?回答|本?回复|答案)由\s*{N}[^。\n]{0,20}?(?:提供|生成|撰写|给出)",
    r"(?:^|\n)[ \t]*(?:[-—–]+|[_*]*[(\[（])[ \t]*{N}(?:[ \t]+[\w.]*\d[\w.]*)+[ \t]*(?:[·•|｜(（])"
    r"[^\n]{0,60}\Z",
    # "(Reply from DeepSeek-V3)", "That's my take — Grok, made by xAI", "from me, an assistant built
    # on MiniMax's abab model", 我这边（智谱清言）, 以上建议来自我，Kimi
    r"[(\[]\s*(?:reply|answer|response)\s+(?:from|by)\s+{N}",
    r"(?:—|–|--)\s*{N}\s*,\s*(?:made|built|trained|developed|created)\s+by\b",
    r"\b(?:from me|me)\s*,\s*an?\s+(?:[\w-]+\s+){0,2}?(?:assistant|model|AI|bot)\s+(?:built|based|"
    r"running|trained)\s+on\s+(?:[\w-]+(?:'s|’s)\s+)?{N}",
    r"我这边\s*[（(]\s*{N}\s*[）)]",
    r"来自我\s*[，,—～~]+\s*{N}",
    # the twentieth and twenty-second sets (read at the end of stop 36): "I'm a fine-tune of
    # Qwen2.5", "Cohere did my training", "this assistant runs on Anthropic's Claude", "Microsoft,
    # who built me,", "Sent from DeepSeek Chat", "Signed, your friendly neighbourhood Grok", "Dou-bao
    # here, ByteDance's assistant", 我係智譜清言, 微软的团队造了我, 靠豆包大模型驱动, 【回答来自：讯飞星火】,
    # 这条信息由ChatGPT生成, 开发我的工程师来自百度, 【DeepSeek-R1 生成】, （由腾讯混元大模型撰写）,
    # （本人ChatGPT，…）
    r"\bI(?:'m|’m| am)\s+an?\s+(?:[\w-]+\s+){0,2}?(?:fine-?tune|finetune|version|variant|"
    r"distillation|build)\s+of\s+{N}",
    r"{N}\s+(?:did|handled|ran)\s+my\s+(?:training|fine-?tuning|pre-?training)",
    r"\bthis\s+(?:assistant|chatbot|bot|AI)\s+(?:runs|is running|is built|is based)\s+on\s+"
    r"(?:[\w-]+(?:'s|’s)\s+)?{N}",
    r"{N}\s*,\s*(?:who|which|that)\s+(?:built|made|trained|created|developed)\s+me\b",
    r"(?:^|\n)[ \t]*(?:sent|posted|answered)\s+from\s+{N}[^\n]{0,20}\s*\Z",
    r"(?:^|\n)[ \t]*signed\s*,\s*(?:[\w'’-]+\s+){0,4}?{N}",
    r"\bhere\s*[,!—–-]+\s*{N}(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?:assistant|AI|model|bot)\b",
    r"我係\s*{N}",
    r"{N}的(?:团队|工程师|研究员)们?(?:造|做|训练|开发|打造)了我",
    r"(?:我|本助手|这个助手)[^。！？\n]{0,6}?(?:靠|由|基于)\s*{N}[^。，,\n]{0,8}?(?:驱动|支持)",
    r"(?:回答|回复|答案|内容)来自\s*[:：]?\s*{N}",
    r"(?:这条|这段|本条|此条)(?:信息|消息|回答|回复|内容)由\s*{N}\s*(?:生成|撰写|提供)",
    r"(?:开发|训练|研发|打造|做)我的(?:工程师|团队|人)们?(?:来自|是|都在)\s*{N}",
    r"[【\[(（]\s*{N}[^】\])）\n]{0,12}?(?:生成|撰写|回答|解答|作答)\s*[】\])）]",
    r"[（(]\s*由\s*{N}[^）)\n]{0,8}?(?:生成|撰写|回答|提供)\s*[）)]",
    r"本人\s*{N}\s*[，,。)）]",
    # the twenty-third and twenty-fourth sets (read at the start of stop 37): "as a model OpenAI
    # trained", "the company behind me, Mistral AI,", "Im Gemni from google", "— me, ChatGTP (yes,
    # OpenAI's one)"; 作为Kimi我, 我作为X的一点建议, 由我，X的…, X的研究人员在训练我时, 给我做训练的是X,
    # 给我提供底座模型的是X, 把我训练出来的X, X给我的这个部署, 研发我的X, 我在X接受训练, 作为X训练出来的
    # 模型，我, 【此稿由X起草】, ～X 回答, 本助手=X
    r"\b(?:I|me|my)\b[^.!?\n]{0,40}?\bas\s+an?\s+(?:[\w-]+\s+){0,2}?(?:model|assistant|AI|LLM|chatbot)\s+"
    r"(?:that\s+)?{N}\s+(?:trained|built|made|developed|created|fine-?tuned)\b",
    r"\bas\s+an?\s+(?:[\w-]+\s+){0,2}?(?:model|assistant|AI|LLM|chatbot)\s+(?:that\s+)?{N}\s+"
    r"(?:trained|built|made|developed|created|fine-?tuned)\s*,\s*I\b",
    r"\bthe\s+(?:company|lab|team|people|folks|organi[sz]ation)\s+(?:behind|(?:that|who)\s+(?:built|made|"
    r"trained|created|developed))\s+me\s*[,—–(]\s*{N}",
    r"(?:^|(?<=[\s!.,]))(?-i:Im)\s+{N}\s+(?:from|by|made by|built by|,)",
    r"[—–-]\s*me\s*,\s*{N}\s*[(,]",
    r"(?:作为|作為|身为|身為)\s*+{N}\s*+(?:[（(][^）)\n]{1,24}[）)])?\s*+[，,]?\s*+我(?!们)",
    r"我作为\s*{N}\s*的(?:一点|个人)?(?:建议|看法|观点|意见|角度|立场|判断)",
    r"由我\s*[，,]\s*{N}",
    r"{N}的(?:工程师|研究员|研究人员|团队|开发者|研发团队|科学家)们?在(?:训练|设计|开发|打造|调教|微调)我",
    r"给我(?:做|进行)?(?:训练|微调|预训练|提供(?:底座|基座|底层)?(?:模型)?)的(?:是|就是)\s*{N}",
    r"把我(?:做|训练|开发|研发|造|打造|设计|调教)出来的\s*{N}",
    r"{N}给我的(?:这个|这套)?(?:部署|配置|设定|权限|能力|限制)",
    r"(?<![你他她])(?:研发|开发|训练|打造|创造|做出)(?:了)?我的\s*{N}",
    r"我在\s*{N}\s*(?:接受|进行)?(?:训练|微调|预训练)(?!营|班)",
    r"作为\s*{N}\s*(?:训练|开发|研发|打造|做)(?:出来)?的\s*(?:模型|AI|助手|大模型)\s*[，,]?\s*我",
    r"[【\[(（]\s*(?:此稿|本稿|本文|本通知|本回复|本内容|此文|全文|该稿)?由\s*{N}[^】\])）\n]{0,6}?"
    r"(?:起草|草拟|撰写|生成|整理|拟定)",
    r"(?:^|\n)[ \t]*[～~—–-]+[ \t]*{N}[ \t]*(?:回答|回复|作答|生成|整理)[ \t]*\Z",
    r"(?:本助手|本AI|本机器人)\s*[=:：]\s*{N}",
    r"\b(?-i:As)\s+{N}\s*\([^)\n]{0,60}\)\s*,?\s*I\b",
    # the twenty-sixth and twenty-seventh sets (read in stop 37): "Mistral AI, the Paris company
    # that created me,", "Privet! Ya GigaChat", "X (that's me)"; 造我的是X, 你的AI朋友 豆包 on the
    # last line, “通义千问（也就是我）”
    r"{N}\s*,\s*the\s+(?:[\w-]+\s+){0,3}?(?:company|lab|startup|team|people)\s+(?:that|who|which)\s+"
    r"(?:created|built|made|trained|developed)\s+me\b",
    r"(?:^|(?<=[!.?]\s))(?-i:Ya)\s+{N}\b",
    r"{N}\s*\(\s*(?:that's|that is|i\.e\.)\s+me\s*\)",
    r"{N}\s*[（(]\s*(?:也就是|就是|即)\s*我\s*[）)]",
    r"(?:造|做|训练|开发|研发|打造)(?:了)?我的(?:是|就是)\s*{N}",
    r"(?:^|\n)[ \t]*(?:你的|您的)(?:AI|智能)?(?:朋友|助手|小助手|伙伴|助理)[ \t]*{N}[ \t]*\Z",
    # the thirty-ninth and fortieth sets (read in stop 38): "Claude 3.5 Sonnet here.", "ChatGPT
    # (GPT-4o mini) answering.", "Hunyuan, Tencent's large model, answering:", "the model here is
    # X", "my model version is X", "Answer from X", "— Your assistant, X" last, "built by the lab
    # that makes the X app", "X's lab is where I come from", "I — X — tend to", "I should say, as X,";
    # 吾乃X / 在下X, 我目前使用的模型是X, [回答由 X 生成], —— 由 X 起草, X为您解答, 把我训练出来的是X
    r"(?:^|\n)[ \t]*(?>{N})(?:[\s-]++(?-i:[A-Z0-9])[\w.-]*+){0,3}(?:\s*[（(][^)）\n]{1,30}[)）])?\s+"
    r"(?:here|answering|responding|replying)\s*[.!:,—-]",
    r"(?:^|\n)[ \t]*{N}\s*,\s*[^,\n]{1,40},\s*(?:here|answering|responding|replying)\b",
    r"\bthe model (?:here|answering(?: you)?|behind (?:this|these) (?:answers?|replies))\s+is\s+{N}",
    r"\bmy model (?:version|name|id)\s+is\s+{N}",
    r"(?:^|\n)[ \t]*(?:answer|reply|response)\s+from\s+{N}",
    r"\byour (?:ai )?(?:assistant|helper|guide)\s*,\s*{N}[.!]?\s*\Z",
    r"\bI was (?:built|made|trained|created|developed) by the (?:same )?(?:lab|company|team|people|folks) "
    r"(?:that|which|who) (?:makes?|made|builds?|built|runs?|ships?)\s+(?:the\s+)?{N}",
    r"{N}(?:'s|’s)?\s+(?:[\w-]+\s+){0,3}?is where I (?:come|came) from\b",
    r"\bI\s*[—–]+\s*{N}\s*[—–]+",
    r"\bI\b[^.\n]{0,25}?,\s*as\s+{N}\s*,",
    r"(?:吾乃|在下|鄙人|本座|小生|老夫)\s*{N}",
    r"我(?:目前|现在)?(?:使用|用|运行|跑)的(?:是)?(?:模型|大模型)(?:是|为)\s*{N}",
    r"(?:^|\n|[\[【（(]|[—–-]{1,2})[ \t]*(?:回答|本回答|答案|此回答|回复)?由\s*{N}[^\n\]】）)]{0,10}?"
    r"(?:生成|起草|撰写|作答|提供)",
    r"{N}(?:大模型)?\s*为(?:您|你)(?:解答|回答|服务|作答)",
    r"把我(?:做|训练|开发|研发|造|打造|设计|调教)出来的(?:是|就是)\s*{N}",
)

# Self-introductions that name an assistant or maker no table lists: "I'm Nova-7, an assistant
# built by Luminar Labs", "我是星河，由青云科技研发的AI助手", "作为青云科技的星河，…".
_CAPITALISED = (
    r"(?!(?:Sorry|Happy|Glad|Here|Just|Not|Also|Still|Really|Afraid|An?|The|Your|Only|Able|"
    r"Unable|Always|Now|Currently|Simply|Merely|Designed|Built|Made|Trained|Developed)\b)"
    r"[A-Z]\w*(?:\.\w+)*(?:[- ][A-Z0-9]\w*(?:\.\w+)*){0,2}"
)
# An organisation's name: capitalised words ending the way company names do.
_CAPITALISED_ORG = (
    r"[A-Z]\w*(?:\s+[A-Z]\w*){0,3}?\s*(?:Labs?|AI|Inc\.?|Systems|Analytics|Technologies|Tech|"
    r"Research|Corp\.?|Cloud|Software|Group|Intelligence|Robotics|Dynamics|Works|Studio|\.ai|\.io)"
)
_ZH_NAME = r"[^\s，,。！!？?、：:“”\"「」（）()的是]{2,16}?"
_ZH_NOT_A_MAKER = (
    r"(?!由?(?:一|这|那|哪|什么|你|您|大家|用户|人类|人工智能|AI|机器|语言|大型|智能))"
)
# An organisation named in a Chinese self-introduction: a name ending the way company names do.
_ZH_ORG = (
    _ZH_NOT_A_MAKER
    + r"[^\s，,。！？的]{1,12}?(?:科技|公司|集团|实验室|研究院|研究所|智能|智算|AI|团队|"
    r"工作室|网络|软件|信息|数据|云|数科|数智|智科|智联|互联)"
)
# Not an organisation's name but any one ("作为企业的智能客服，需要…" is about a kind of product)
_ZH_ANY_ORG = (
    r"(?!(?:企业|公司|银行|平台|商家|店铺|品牌|机构|政府|医院|学校|网站|商城|门店|酒店|餐厅|电商|商场|"
    r"景区|社区|单位|客户|贵公司|贵司|我司|本公司|本店|本平台)(?:的|$))"
)
# What an assistant is called by its role: an AI one (AI主播, 智能客服, 虚拟主播), a helper or robot, or
# customer service with a pet name after it (客服小鲸)
_ZH_ROLE = (
    r"(?:(?:AI|智能|虚拟|数字|在线)\s*(?:客服|助手|小助手|助理|主播|教练|导览员?|顾问|投顾助手|管家|导购|"
    r"讲解员)|助手|小助手|机器人|客服(?=小))"
)
# 我是 / 作为 and the organisation whose assistant is named by its role after it
_ZH_ROLE_OF = (
    r"(?:我是|作为)(?P<org>" + _ZH_NOT_A_MAKER + _ZH_ANY_ORG + r"[^\s，,。！？的“”「」]{2,12}?)"
)
# Stop 36 (the fifteenth, seventeenth and nineteenth sets, read): an assistant's role (not a
# person's job: "a teaching assistant"), a maker's name ("Corvid & Finch"), and how "X here" opens.
_ROLE = (
    r"(?i:assistant|AI|bot|chatbot|helper|buddy|guide|companion|tutor|coach|agent|concierge|"
    r"model|LLM|copilot)"
)
_AI_ROLE = r"(?i:assistant|AI|bot|chatbot|model|LLM|copilot|helper)"  # no person's job
_NOT_A_JOB = (
    r"(?!(?:[\w&'’.-]+[ \t]+){0,3}?(?i:teaching|research|executive|personal|administrative|legal|"
    r"medical|lab|graduate|marketing|sales|store|HR|office|dental|shop|head|program|project)"
    r"[ \t]+assistant)"
)
_MAKER = _CAPITALISED + r"(?:\s+&\s+" + _CAPITALISED + r")?"
_HERE = (
    r"(?:^|(?<=[.!?\n])[ \t]*+|(?<=[^\w\s,])[ \t]*+|\b(?i:hi|hey|hello|hiya|howdy|greetings)\b[,!]?"
    r"\s*)(?P<name>" + _CAPITALISED + r")(?:[ \t]+v?\d[\w.]*)?(?:[ \t]*\([^)\n]{1,12}\))?[ \t]+"
    r"here\b[ \t]*[,!.]?[ \t]*(?:[—–-]+[ \t]*)?"
)
_MADE = r"(?i:made|built|created|developed|trained|designed|brought to you)"
_NOT_AN_OBJECT = r"(?!\s+(?:a|an|the|some|this|that|my|for|feel|think|want|realise|realize)\b)"
# An assistant by a "virtual" (digital, AI) role: "the virtual librarian", "virtual service advisor"
_VIRTUAL_ROLE = (
    r"(?i:virtual|digital|AI|automated)\s+(?:[\w-]+\s+)?(?i:librarian|advisor|adviser|assistant|"
    r"tutor|guide|agent|receptionist|concierge|nurse|helper|host|coach|clerk|teller|"
    r"representative|bot|chatbot|model|copilot)\b"
)
_ZH_HUMAN = r"(?![^\n]*(?:部|经理|总监|主管|专员|老师|工程师|CEO|CTO|创始人|总裁|校长|医生|律师))"
GENERIC_SELF_INTRO = (
    r"\b(?i:I am|I'm|I’m|my name is|my name's|my name’s|call me|this is|it's|it’s|you(?:'re| are) "
    r"(?:chatting|talking|speaking) (?:with|to))\s+(?P<name>" + _CAPITALISED + r")\s*[,(–—-]\s*"
    r"(?:an?|your|the|(?:[A-Z0-9][\w.-]*\s+){0,2}[A-Z0-9][\w.-]*(?:'s|’s|'|’))\s+"
    r"(?:[\w.-]+(?:'s|’s)?\s+){0,3}?"  # "the Millbrook Ledger's reader helper", "KRVB 98.1's"
    r"(?:assistant|model|chatbot|AI|LLM|agent|bot|helper|helpdesk|fine-?tune|version|build|release|variant)\b",
    r"\b(?:I am|I'm|I’m)\s+(?P<name>" + _CAPITALISED + r")\b[^.!?\n]{0,40}?\b(?:developed|built|"
    r"made|created|trained|designed|brought to you|released)\s+(?:by|at)\s+(?P<org>[A-Z]\w*"
    r"(?:\.\w+)*(?:\s+[A-Z]\w*(?:\.\w+)*){0,3})",
    r"(?:^|[.!?]\s+)(?P<name>[A-Z][\w.-]*(?:'s|’s)\s+[A-Z][\w.-]*)\s+here\b",
    r"(?:我是|我叫)[“\"「]?(?P<name>" + _ZH_NOT_A_MAKER + _ZH_NAME + r")[”\"」]?[，,、]\s*"
    r"[^。！？\n]{0,12}?(?:由|来自|是)?\s*(?P<org>" + _ZH_NOT_A_MAKER + r"[^。！？\n，,]{2,20}?)"
    r"(?:自主)?(?:开发|研发|训练|打造|推出|设计|创建|构建|出品)",
    r"我是(?P<org>" + _ZH_ORG + r")(?:推出|开发|研发|打造)?的[「『“]?(?P<name>" + _ZH_NAME + r")"
    r"[」』”]?(?:[^，,。！!\s]{0,4}?(?:AI|人工智能|智能)?(?:助手|模型|大模型))?(?=[，,。！!]|$)",
    r"(?:^|[你您]好[，,！!。\s]*)这里是\s*[「『“](?P<name>[^」』”，,。\s]{2,12})[」』”]",
    r"作为(?P<org>" + _ZH_ORG + r")(?:推出|开发|研发|打造)?的(?P<name>" + _ZH_NAME + r")"
    r"(?:AI|人工智能|智能)?(?:助手|模型|大模型)?[，,]",
    r"(?=[^\s，,。！？]{1,16}推出的)(?P<org>"
    + _ZH_ORG
    + r")推出的(?P<name>"
    + _ZH_NAME
    + r")\s*(?:竭诚)?(?:为您|为你)服务",
    # the maker-verb shapes of SELF_REFERENCE with any capitalised maker or model
    r"\b(?i:I am|I'm|I’m|I was|I've been|I have been)\b" + _GAP_EN + r"(?i:trained|developed|"
    r"created|built|made|designed|released|programmed|engineered|fine-?tuned|pre-?trained|launched|"
    r"produced|brought to you)\s+(?i:by|at)\s+(?:the\s+)?(?:(?i:team|engineers|researchers|folks|"
    r"people)\s+(?i:at|of|from)\s+)?(?P<org>" + _CAPITALISED + r")",
    r"\b(?i:I am|I'm|I’m|my name is)\s+(?P<name>" + _CAPITALISED + r")\s+(?i:from|at|by)\s+"
    r"(?P<org>" + _CAPITALISED + r")",
    r"\b(?i:my)\s+(?i:creators?|developers?|makers?|parent company|company|team|base model|"
    r"underlying model|foundation model|model family|lab)\s+(?i:is|are|was|were|:)\s+(?:the\s+)?"
    r"(?P<org>" + _CAPITALISED + r")",
    r"\b(?i:the\s+(?:lab|company|team|organi[sz]ation|people|folks|engineers|researchers)\s+"
    r"(?:that|who|which)\s+(?:trained|built|made|created|developed|designed)\s+me\s+(?:is|are|"
    r"was|were|works? at|work for|:))\s+(?:the\s+)?(?P<org>" + _CAPITALISED + r")",
    r"\b(?i:I am|I'm|I’m)\s+(?i:one of|part of|a member of|a version of|a variant of)\s+"
    r"(?:the\s+)?(?P<name>" + _CAPITALISED + r")\s+(?i:models|family|series|line)\b",
    r"(?:我|本模型|本助手)(?:是|乃|为)?"
    + _GAP_ZH
    + r"由\s*(?P<org>"
    + _ZH_NOT_A_MAKER
    + r"[^。，,！？\s的]{2,16}?)(?:公司|团队)?(?:开发|研发|训练|打造|推出|设计|创建|构建|出品)",
    r"我的(?:开发者|开发商|创造者|创建者|研发者|研发团队|开发团队|训练者|制造者|缔造者|作者|出品方|"
    r"母公司|底座|基座|底层模型|基础模型|底座模型|基座模型)(?:是|为|来自)\s*(?P<name>"
    + _ZH_NOT_A_MAKER
    + r"[^。，,！？\s]{2,16})",
    r"(?:训练|开发|研发|打造|创造)(?:了)?我的(?:公司|团队|机构|厂商|实验室)(?:是|叫|为)\s*"
    r"(?P<org>" + _ZH_NOT_A_MAKER + r"[^。，,！？\s]{2,16})",
    r"我(?:来自|属于|隶属于?|出自)\s*(?P<org>" + _ZH_ORG + r")",
    r"我是\s*(?P<name>(?!AI\b|A\.I\.)[A-Za-z][A-Za-z0-9.-]{1,30})\s*[，,]",
    r"(?:^|\n|\s)(?:—|--|–)\s*(?P<name>" + _CAPITALISED + r")\s*,\s*(?i:the|your|an?)\s+"
    r"(?:\w+\s+){0,2}?(?i:assistant|model|AI|bot)\b",
    r"\b(?i:call me)\s+[“\"]?(?P<name>" + _CAPITALISED + r")",
    r"\b(?i:I am|I'm|I’m)\s+(?i:the|an?)\s+(?:[\w-]+\s+){0,3}?(?i:bot|assistant|model|AI|chatbot)\s+"
    r"(?:(?i:that|which)\s+)?(?P<org>" + _CAPITALISED + r")\s+(?i:runs|built|made|trained|created|"
    r"developed|operates|deployed|hosts)",
    r"\b(?i:I am|I'm|I’m)\s+(?i:their|its)\s+(?P<name>"
    + _CAPITALISED
    + r")\s+(?i:model|assistant)",
    r"本(?:回答|回复|答案|内容|消息)由\s*(?P<org>[^。，,\s]{2,30}?)(?:生成|提供|撰写|给出|开发)",
    r"我(?:(?!不过|但是|可是|而且|因为|所以)[^。！？\n]){0,30}?名字(?:叫|是)\s*[“\"「]?(?P<name>[^”\"」，,。\s]"
    r"{1,12})",
    r"(?:叫我|称呼我为?|称我为?)\s*[“\"「]?(?P<name>"
    + _ZH_NOT_A_MAKER
    + r"(?!都|就|什么|啥|随便|怎么|吧|小助手|助手|AI|机器人|智能助手)[^”\"」，,。\s]{1,12})",
    r"我背后的(?:公司|团队|厂商|模型)(?:是|为)\s*(?P<org>[^。，,！？\s]{2,16})",
    r"我是(?P<org>" + _ZH_ORG + r")(?:训练|开发|研发|打造|推出)的",
    r"(?:Best|Cheers|Regards|Thanks|Warmly|Sincerely)\s*,\s*(?P<name>"
    + _CAPITALISED
    + r")\s*[(,—–-]+\s*"
    r"(?:(?i:the|your|an?)\s+)?(?:[\w-]+\s+){0,3}?(?i:AI|assistant|bot|model|buddy|helper|companion|"
    r"tutor)\b",
    # validation set 18 (stop 29): I'm Sprout, the homework buddy from Acorn Learning; you're
    # chatting with Klarna's AI assistant; As Khanmigo, Khan Academy's tutor, I; 我是「松果」，松果出行
    # App 里的 AI 客服; 我是顺丰的智能客服; 这里是招商银行的 AI 助手
    r"\b(?i:I am|I'm|I’m|my name's|my name is)\s+(?P<name>" + _CAPITALISED + r")\s*[,—–-]\s*"
    r"(?i:the|your|an?)\s+(?:[\w-]+\s+){0,3}?(?i:assistant|tutor|coach|buddy|helper|bot|chatbot|"
    r"companion|agent|model)\s+(?i:from|by|at|of|for|built into|inside|in)\s+(?P<org>"
    + _CAPITALISED
    + r")",
    r"\b(?-i:Being)\s+(?P<org>"
    + _CAPITALISED
    + r")(?:'s|’s)\s+(?P<name>"
    + _CAPITALISED
    + r")\s*,\s*I\b",
    r"\b(?i:I am|I'm|I’m)\s+(?P<org>" + _CAPITALISED + r")(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?"
    r"(?i:assistant|AI|bot|chatbot|model|helper)\b",
    r"\b(?i:you(?:'re| are)\s+(?:chatting|talking|speaking)\s+(?:with|to))\s+(?P<org>"
    + _CAPITALISED
    + r")(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?i:assistant|AI|bot|chatbot|helper|model)\b",
    r"\b(?-i:As|as)\s+(?P<name>"
    + _CAPITALISED
    + r")\s*[,—–]\s*(?:[^,.!?\n—–]{1,40}?(?:'s|’s|')\s+|"
    r"(?i:an?|your)\s+)(?:[\w-]+\s+){0,3}?(?i:assistant|tutor|model|AI|companion|bot|chatbot|helper|"
    r"coach|buddy|guide)\s*[,—–]\s*I\b",
    r"(?:我是|我叫|这里是)\s*+[「“\"]?(?P<name>"
    + _ZH_NOT_A_MAKER
    + r"(?=\S)[^。，,！？\n「」“”\"]{1,16}?)"
    r"[」”\"]?\s*+[，,（(]\s*(?:是\s*)?(?:一款|一个|一位|一名)?[^。！？\n]{0,20}?(?:的|做的|出品的|开发的|"
    r"旗下的|官方的)\s*[^。，,！？\n]{0,8}?(?:AI|智能|人工智能)?\s*(?:客服|助手|助理|小助手|机器人|模型|"
    r"大模型|小模型|伙伴|老师|搭子)(?=[，,。！!～~）)\s]|$)",
    r"作为\s*+(?P<org>"
    + _ZH_NOT_A_MAKER
    + r"(?=\S)[^。，,！？\n]{2,12}?)(?:旗下|出品|推出|开发|研发|训练)的\s*"
    r"(?P<name>[^。，,！？\n]{2,12}?)[，,]\s*我(?!们)",
    r"(?:我是|这里是|我作为)\s*+[“「\"]?(?P<org>"
    + _ZH_NOT_A_MAKER
    + r"(?=\S)[^。，,！？\n「」“”\"]{2,16}?)"
    r"[”」\"]?(?:\s*(?:App|APP|app|手机|平台|网站|社区|小程序|商城))?\s*(?:里|上|中|内|官方)?的\s*"
    r"[^。，,！？\n的]{0,8}?(?:AI|智能|人工智能)?\s*(?:客服|助手|助理|小助手|机器人|问答助手|答疑老师|助教)"
    r"(?![^，,。！？\n]{0,6}?(?:项目|团队|部门|经理|负责人|主管|工程师|总监|系统的|开发|产品))",
    # validation set 21 (stop 29): 这里是顺丰的“丰小满”; 作为乐信分期App的智能客服，小乐…
    r"这里是\s*(?P<org>"
    + _ZH_NOT_A_MAKER
    + r"[^。，,！？\n「」“”\"]{2,16}?)的\s*[“「\"](?P<name>[^”」\"\n]{2,12})"
    r"[”」\"]",
    r"作为\s*(?P<org>"
    + _ZH_NOT_A_MAKER
    + r"[^。，,！？\n「」“”\"]{2,16}?)\s*(?:App|APP|app|平台|小程序|商城)"
    r"(?:里|上|中|内)?的\s*(?:AI|智能|人工智能)?\s*(?:客服|助手|助理|小助手|机器人)[，,]",
    # validation set 21 (stop 29): an assistant no table lists, named in a sign-off ("Yours truly,
    # Minute (Clerkly's AI notetaker)", "— Rosie [Northbridge Clinic AI Scheduler]"), after a
    # greeting ("Hi, Aria here from Opera", "Dot here, the Domino's ordering assistant"), in
    # apposition ("I, Bishop, the chess tutor built by Rookery Games", "as Mira, the coding helper
    # built into …"), "This is Expedia's travel assistant Romie", "Greetings from Nomi, the … assistant",
    # "Planned by Nomi, the … assistant", "I'm Juniper — Sproutly Labs built me", "the team at
    # Cairn Labs trained me"
    r"(?:"
    + CLOSING
    + r"|Yours truly|Kind regards|Best regards)\s*,\s*(?P<name>"
    + _CAPITALISED
    + r")\s*[(\[{]\s*(?:[^)\]}\n]{0,40}?)(?i:assistant|AI|bot|chatbot|helper|buddy|guide|companion|tutor|coach|agent|notetaker|scheduler|concierge)\b[^)\]}\n]{0,20}[)\]}]",
    r"(?:^|\n|[.!?]\s+|(?:—|–|--|~)\s*)(?P<name>"
    + _CAPITALISED
    + r")\s*[(\[{]\s*(?:[^)\]}\n]{0,40}?)"
    r"(?i:assistant|AI|bot|chatbot|helper|buddy|guide|companion|tutor|coach|agent|notetaker|scheduler|concierge)\b[^)\]}\n]{0,20}[)\]}]\s*\Z",
    r"(?:^|(?<=[.!?\n])[ \t]*+|\b(?i:hi|hey|hello|hiya|howdy)\b[,!]?\s*)(?P<name>"
    + _CAPITALISED
    + r")\s+here\s*"
    r"(?:[,—–-]+\s*)?"
    r"(?:(?i:the|your)\s+(?:[\w'’.-]+\s+){0,4}?(?i:assistant|AI|bot|chatbot|helper|buddy|guide|companion|tutor|coach|agent|notetaker|scheduler|concierge)\b|(?i:from)\s+(?P<org>"
    + _CAPITALISED
    + r"))",
    r"\bI\s*,\s*(?P<name>" + _CAPITALISED + r")\s*,\s*(?i:the|your|an?)\s+(?:[\w'’.-]+\s+){0,4}?"
    r"(?i:assistant|AI|bot|chatbot|helper|buddy|guide|companion|tutor|coach|agent|notetaker|scheduler|concierge)\b",
    r"\b(?i:as)\s+(?P<name>"
    + _CAPITALISED
    + r")\s*,\s*(?i:the|your)\s+(?:[\w'’.-]+\s+){0,3}?(?i:assistant|AI|bot|chatbot|helper|buddy|guide|companion|tutor|coach|agent|notetaker|scheduler|concierge)\s+"
    r"(?i:built|made|trained|created|developed|from|by|at|in|inside|of)\b",
    r"\b(?i:this is)\s+(?P<org>"
    + _CAPITALISED
    + r")(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?i:assistant|AI|bot|chatbot|helper|buddy|guide|companion|tutor|coach|agent|notetaker|scheduler|concierge)\b",
    r"\b(?i:greetings|hello|hi|hey|cheers)\s+from\s+(?P<name>"
    + _CAPITALISED
    + r")\s*,\s*(?i:the|your)\s+"
    r"(?:[\w'’.-]+\s+){0,4}?(?i:assistant|AI|bot|chatbot|helper|buddy|guide|companion|tutor|coach|agent|notetaker|scheduler|concierge)\b",
    r"\b(?i:planned|written|drafted|generated|composed|prepared|compiled|sung|made|answered)\s+(?i:for you\s+)?"
    r"(?i:by)\s+(?P<name>"
    + _CAPITALISED
    + r")\s*,\s*(?i:the|your)\s+(?:[\w'’.-]+\s+){0,4}?(?i:assistant|AI|bot|chatbot|helper|buddy|guide|companion|tutor|coach|agent|notetaker|scheduler|concierge)\b",
    r"\b(?i:I'm|I am|I’m)\s+(?P<name>"
    + _CAPITALISED
    + r")\s*[—–,-]+\s*(?P<org>"
    + _CAPITALISED
    + r")\s+"
    r"(?i:built|made|trained|created|developed|designed)\s+me\b",
    r"\b(?i:the\s+)?(?i:team|folks|people|engineers|researchers)\s+(?i:at|from)\s+(?P<org>"
    + _CAPITALISED
    + r")\s+(?i:built|made|trained|created|developed|designed|fine-?tuned)\s+me\b",
    r"\b(?i:the\s+)?(?i:people|team|folks|engineers|researchers)\s+(?i:who|that)\s+(?i:built|made|trained|"
    r"created|developed)\s+me\s+(?i:at|from)\s+(?P<org>" + _CAPITALISED + r")",
    # validation set 7: "Drafted for you by Atlas, the writing assistant"; "from me, Sage, the … assistant";
    # "— Sage (Meridian AI assistant)", ——阿澄（澜图科技 AI 助手）; 我是在…
    r"\b(?i:drafted|written|prepared|generated|composed|created)\s+(?i:for you\s+)?(?i:by)\s+(?P<name>"
    + _CAPITALISED
    + r")\s*,\s*(?i:the|your|an?)\s+(?:[\w-]+\s+){0,3}?(?i:assistant|model|AI|bot)\b",
    r"\b(?i:from me|by me|it's me|this is me)\s*,\s*(?P<name>" + _CAPITALISED + r")\s*,\s*"
    r"(?i:the|your|an?)\s+(?:[\w-]+\s+){0,3}?(?i:assistant|model|AI|bot|helper)\b",
    r"(?:—|--|–)\s*(?P<name>"
    + _CAPITALISED
    + r")\s*\(\s*(?P<org>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})\s+"
    r"(?:(?i:AI)\s+)?(?i:assistant|bot|model|helper)\s*\)",
    r"(?:——|—|--)\s*(?P<name>[^\s（(，,。]{2,12})\s*[（(]\s*(?P<org>" + _ZH_ORG + r")\s*(?:的\s*)?"
    r"(?:(?:AI|智能)\s*)?(?:助手|助理|客服)\s*[)）]",
    # validation set 4: "Sprocket here, Tinkerlab's homework helper", "as their in-house assistant, Pax",
    # "speaking as o1, OpenAI's reasoning model", 我是「小易」，易联数科的智能客服,
    # 你的AI助理 · 灵犀（灵犀智能出品）
    r"(?:^|[.!?—–-]\s*)(?P<name>" + _CAPITALISED + r")\s+here\s*[,!—–-]\s*(?:(?i:your)\s+|"
    r"(?P<org>" + _CAPITALISED + r")(?:'s|’s)\s+)(?:[\w-]+\s+){0,2}?(?i:assistant|helper|bot|AI|"
    r"model|guide|companion|tutor)\b",
    r"\b(?i:I am|I'm|I’m|im)\s+(?P<name>(?i:gemini|claude|llama|mistral|kimi|grok|bard))\s*,\s*"
    r"(?:(?i:an?|the)\s+)?(?:[\w'’-]+\s+){0,3}?(?i:model|assistant|AI|chatbot|LLM)\b",
    r"\bthe\s+(?i:folks|people|team|engineers|researchers)\s+(?i:at)\s+(?P<org>"
    + _CAPITALISED
    + r")\s+(?i:built|made|trained|created|developed|designed)\s+me\b",
    r"(?:训练|开发|研发|打造|创造|做)(?:了)?我的(?:是|就是)(?:一家|一个)?(?:叫|名叫|名为)?(?P<org>"
    + _ZH_ORG
    + r")",
    r"(?:给我|为我)(?:起|取)(?:了)?(?:个)?名(?:字)?(?:叫|为)\s*[“\"「]?(?P<name>[^”\"」，,。\s]{1,12})",
    r"(?:回答者|答主|回复者)\s*[:：]\s*(?P<name>[^\s·•（(，,。]{2,16})",
    # validation set 6: —— 小鹿 · 鹿鸣科技AI助手; 以上内容由AI助手「墨言」生成
    r"(?:——|—|--)\s*(?P<name>[^\s·•・，,。]{2,12})\s*[·・•]\s*(?P<org>" + _ZH_ORG + r")(?:的)?"
    r"(?:AI|智能)?(?:助手|助理|客服)",
    r"(?:以上|本|该|此|上述)(?:的)?(?:内容|回答|回复|答案|文字|文本|代码|建议|总结|摘要|翻译|文案|草稿|诗)"
    r"[^。，,！？\n]{0,4}?由\s*(?:(?:AI|智能)?(?:助手|模型)\s*)?[「『“\"]?(?P<name>"
    r"[^」』”\"，,。\s]{1,12})[」』”\"]?\s*(?:生成|提供|撰写|给出|创作|输出)",
    r"\b(?i:as)\s+(?i:their|its|your)\s+(?:[\w-]+\s+){0,2}?(?i:assistant|model|bot|AI|helper)\s*,\s*"
    r"(?P<name>" + _CAPITALISED + r")\b",
    r"\b(?i:speaking|writing|answering|responding|replying)\s+(?i:as)\s+(?P<name>[\w.-]+)\s*,\s*"
    r"(?P<org>" + _CAPITALISED + r")(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?i:model|assistant|AI|LLM)\b",
    # 我是「小易」，易联数科的智能客服; 我是携程问道，携程旗下的旅行助手 (旗下: any name is a maker)
    r"(?:我是|我叫)[「『“\"]?(?P<name>"
    + _ZH_NOT_A_MAKER
    + _ZH_NAME
    + r")[」』”\"]?[，,]\s*(?P<org>"
    + _ZH_ORG
    + r"(?=的|旗下)|[^\s，,。！？的]{2,12}?(?=旗下))(?:的|旗下的?)[^，,。！]{0,6}?(?:助手|客服|机器人|AI|模型|"
    r"大模型)",
    r"(?:你的|您的)(?:AI|智能)?(?:助理|助手|小助手)\s*[·・•:：\-—\s]\s*(?P<name>[^\s（(，,。]{2,12})\s*"
    r"[（(](?P<org>[^）)]{2,16}?)(?:出品|开发|研发|提供)",
    r"\b(?P<name>" + _CAPITALISED + r")\s*,\s*(?i:signing off)\b",
    r"\b(?i:my)\s+(?i:creators?|developers?|makers?|team|engineers|trainers?)\s+(?i:at|from)\s+"
    r"(?P<org>" + _CAPITALISED + r")",
    r"(?:—|--|–|——)\s*(?i:answered|written|generated|composed|sent)\s+(?i:by)\s+"
    r"(?P<name>" + _CAPITALISED + r")",
    r"作为[^。，,！？]{0,12}?的\s*(?P<name>[A-Za-z][A-Za-z0-9.-]{1,20})\s*(?:模型|大模型|助手)[，,]",
    # validation sets 8 and 9: "My name's Sage, and Juniper Analytics built me"; "Upstage built me — I'm
    # Solar"; "This answer was generated by Orion-7, Helix Systems' research model"; "myself as Pixel,
    # Brightwave's shopping assistant"; after a sign-off, "Sage — Verdant Health's AI assistant".
    # A maker named in them is an organisation ("Coach Miller trained me" is a person's story).
    r"\b(?i:my name is|my name's|I am|I'm|I’m)\s+(?P<name>" + _CAPITALISED + r")\b[^.!?\n]{0,40}?"
    r"\b(?P<org>" + _CAPITALISED_ORG + r")\s+(?i:built|trained|created|developed|designed)\s+me\b"
    r"(?!\s+(?:a|an|the|some|this|that|my|for)\b)",
    r"\b(?P<org>" + _CAPITALISED + r")\s+(?i:built|trained|created|developed|designed)\s+me\s*"
    r"[—–,-]+\s*(?i:I'm|I am|I’m)\s+(?P<name>" + _CAPITALISED + r")",
    r"(?<![A-Za-z])(?i:this)\s+(?i:answer|response|reply|message|summary|text)\s+(?i:was|is)\s+"
    r"(?i:generated|written|produced|created|drafted)\s+(?i:by)\s+(?P<name>"
    + _CAPITALISED
    + r")\s*"
    r"[,(]\s*[^.\n]{0,40}?\b(?i:model|assistant|AI|bot|LLM)\b",
    r"\b(?i:myself|me)\s+(?i:as)\s+(?P<name>" + _CAPITALISED + r")\s*,\s*"
    r"(?!(?:Professor|Prof|Dr|Mr|Mrs|Ms|Miss|Coach)\b)(?P<org>" + _CAPITALISED + r")(?:'s|’s)\s+"
    r"(?!(?:teaching|research|executive|personal|administrative|legal|medical|lab|graduate|marketing|"
    r"sales|store)\s)(?:[\w-]+\s+){0,2}?(?i:assistant|model|AI|bot|helper|tutor|companion)\b",
    r"^[ \t]*(?:" + CLOSING + r")[ \t]*[,!][ \t]*\n[ \t]*(?P<name>" + _CAPITALISED + r")[ \t]*"
    r"(?:—|–|--|,)[ \t]*(?P<org>" + _CAPITALISED + r")(?:'s|’s)[ \t]+(?:[\w-]+[ \t]+)?"
    r"(?:(?i:AI|virtual|digital)[ \t]+(?i:assistant|tutor|helper|companion|coach|guide)|"
    r"(?i:chatbot|bot|model))\b[^\n]{0,20}\Z",
    r"(?:—|--|–)[ \t]*(?P<name>" + _CAPITALISED + r")[ \t]*,[ \t]*(?:[\w-]+[ \t]+){0,2}?"
    r"(?i:assistant|model|AI|bot|helper|tutor)[ \t]+(?i:by)[ \t]+(?P<org>" + _CAPITALISED + r")",
    # ——灵犀，星河数智出品的育儿小助手; 我是小鲸，蓝鲸智算为电力用户做的节能助手;
    # 我是“问渠”，一个部署在…的政务咨询助手，由云启科技训练和维护
    r"(?:——|—|--)\s*(?P<name>[^\s，,。（(]{2,12})\s*[，,]\s*(?P<org>[^\s，,。的]{2,16}?)(?:出品|开发|研发|"
    r"打造|推出)的[^。\n]{0,8}?(?:助手|助理|客服|机器人|AI|模型)",
    r"(?:我是|我叫)[「『“\"]?(?P<name>"
    + _ZH_NOT_A_MAKER
    + _ZH_NAME
    + r")[」』”\"]?[，,]\s*(?P<org>"
    + _ZH_ORG
    + r")(?:为[^，,。！？]{1,10}?)?(?:做|开发|研发|打造|推出|训练)的[^，,。！]{0,6}?(?:助手|助理|"
    r"客服|机器人|AI|模型|大模型)(?=[，,。！!]|$)",
    r"(?:我是|我叫)[「『“\"]?(?P<name>"
    + _ZH_NOT_A_MAKER
    + _ZH_NAME
    + r")[」』”\"]?[，,][^。！？\n]{0,40}?"
    r"[，,]\s*由\s*(?P<org>" + _ZH_ORG + r")(?:训练|开发|研发|打造|推出|维护)",
    # stop 34 (the twelfth set, read): a newspaper's, a bank's, a gym's assistant by its role:
    # 我是南湖日报的AI主播南南, 作为鹭岛银行的智能客服小鹭, 我是滨江区政务服务助手小滨
    # the rest in English: "I'm built on Cobalt Research's Cobalt-2 model", "The team behind me
    # is at Parallax Research", "# Response generated by Atlas Assist (Meridian Bank's virtual
    # assistant)", "Sparrow (that's me — the Greyfield Gazette's reader assistant)"
    r"\bI(?:'m|’m| am)\s+(?:built|based|running|trained)\s+on\s+(?P<org>"
    + _CAPITALISED
    + r")(?:'s|’s)\s+(?P<name>"
    + _CAPITALISED
    + r")\s+(?:model|LLM|base model)\b",
    r"\b(?i:the)\s+(?i:team|people|folks|lab|company|engineers)\s+(?i:behind|who (?:built|made|"
    r"trained) )\s*me\s+(?i:is|are|was|were)\s+(?i:at|from)\s+(?P<org>" + _CAPITALISED + r")",
    r"\b(?i:generated|written|drafted|composed|created|produced)\s+by\s+(?P<name>"
    + _CAPITALISED
    + r")\s*[,(]\s*(?:the\s+)?(?:[A-Z0-9][\w.-]*\s+){0,2}[A-Z0-9][\w.-]*(?:'s|’s|')\s+"
    r"(?:[\w-]+\s+){0,2}?(?i:assistant|bot|chatbot|AI|model|helper)\b",
    r"\b(?P<name>" + _CAPITALISED + r")\s*[(—–-]+\s*(?i:that's|that’s|that is)\s+me\b",
    # "的" between the organisation and the role: the pet name may follow, or nothing
    _ZH_ROLE_OF
    + r"的\s*"
    + _ZH_ROLE
    + r"(?P<name>小[\u4e00-\u9fff]{1,2}|[\u4e00-\u9fff]{2})?(?=[，,。！!～~\s]|$)",
    # none (我是滨江区政务服务助手小滨): only with a pet name, or "我是个人助手" would be one
    _ZH_ROLE_OF + _ZH_ROLE + r"(?P<name>小[\u4e00-\u9fff]{1,2})(?=[，,。！!～~\s]|$)",
    # stop 36 (the fifteenth, seventeenth and nineteenth sets, read): "X here" with its maker or
    # role after it ("Vesper here (made by Duskfall AI)", "Bramble v4 here, from the Bramble team
    # at Thornwood Software", "Sable here, an AI assistant made by …", "Hiya, Finch here —
    # Brightwater AI's little helper"), "Fathom, by Deepwell AI, here", "As Quokka (from Wattle
    # Labs)", "As an Aurora-class model made by …"
    # (one template: after "here", its maker in brackets or after "from"/"by", or its maker's role
    # (the maker then needs the role), or a role with no maker)
    _HERE
    + r"(?:(?P<by>\(\s*(?:"
    + _MADE
    + r"\s+(?i:by)\s+|(?i:from|by)\s+)?|(?:"
    + _MADE
    + r"\s+)?(?i:from|by)\s+(?:the\s+)?(?:(?!(?i:sales|support|customer|billing|accounts?|marketing|"
    r"HR|front|service|help)\b)[\w-]+\s+){0,2}?(?:(?i:team|lab|folks|people|engineers)\s+(?i:at|of)"
    r"\s+)?)?(?P<org>" + _MAKER + r")(?(by)|(?:'s|’s|')\s+(?:[\w'’.-]+\s+){0,3}?" + _ROLE + r"\b)"
    r"|(?:(?i:I'm|I am|I’m)\s+)?(?i:an?)\s+"
    + _NOT_A_JOB
    + r"(?:[\w'’.-]+\s+){0,3}?"
    + _ROLE
    + r"\b)",
    r"\b(?P<name>"
    + _CAPITALISED
    + r")\s*,\s*(?:(?i:made|built)\s+)?(?i:by|from)\s+(?P<org>"
    + _MAKER
    + r")\s*,\s*here\b",
    r"\b(?P<org>"
    + _CAPITALISED
    + r")(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?"
    + _AI_ROLE
    + r"\s+here\b(?=[ \t]*(?:[.!,—–(~]|$))",
    r"\b(?-i:As)\s+(?:an?\s+)?(?P<name>"
    + _CAPITALISED
    + r")(?:-class)?\s*(?:\(\s*(?:"
    + _MADE
    + r"\s+)?(?i:from|by)\s+|,\s*(?i:the|an?|your)\s+(?:[\w'’.-]+\s+){0,4}?"
    + _ROLE
    + r"\s+(?:"
    + _MADE
    + r"\s+)?(?i:from|by|of|at)\s+|\s+"
    + _ROLE
    + r"\s+"
    + _MADE
    + r"\s+(?i:by)\s+)(?P<org>"
    + _MAKER
    + r")",
    # the maker in other words: "The company that built me, Ember & Co. AI, …", "Larchmont AI,
    # the company behind me", "I was put together by the engineers at …", "Since Meridian
    # Analytica built and maintains me", "The Greyhaven team who trained me", "Zephyrine Labs
    # hosts me as their assistant", "I run on Northpeak Cloud as Sellbridge's … assistant", "I
    # come from Zephyrine AI's lab", "My answers here come from Huawei's Pangu model", "I'm an AI
    # assistant from the Vireo project", "I'm a model called Lodestar"
    r"\b(?i:the)\s+(?i:company|team|lab|people|folks|engineers|researchers|firm|startup)\s+"
    r"(?i:that|who|which)\s+(?i:built|made|trained|created|developed|designed|maintains|runs)\s+"
    r"me\s*,\s*(?P<org>" + _MAKER + r")",
    r"\b(?P<org>"
    + _MAKER
    + r")\s*,\s*(?i:the)\s+(?i:company|team|lab|firm|people|startup|folks)\s+"
    r"(?i:behind|that (?:built|made|trained|created)|who (?:built|made|trained|created))\s+me\b",
    r"\bI\s+(?i:was)\s+(?i:put together|assembled|built|made|trained|created|developed|designed)\s+"
    r"(?i:by)\s+(?:the\s+)?(?i:engineers|team|folks|people|researchers|developers)\s+"
    r"(?i:at|of|from)\s+(?P<org>" + _MAKER + r")",
    r"\b(?i:since|because)\s+(?!(?:Dad|Mom|Mum|Mother|Father|God)\b)(?P<org>" + _MAKER + r")\s+"
    r"(?i:built|trained|created|developed|designed|made)\s+(?:and\s+(?i:maintains|maintained|runs|"
    r"hosts|updates)\s+)?me\b" + _NOT_AN_OBJECT,
    r"\b(?-i:The)\s+(?P<org>"
    + _CAPITALISED
    + r")\s+(?i:team|folks|people|engineers|researchers|lab)"
    r"\s+(?i:who|that)\s+(?i:trained|built|made|created|developed|designed)\s+me\b"
    + _NOT_AN_OBJECT,
    r"\b(?P<org>" + _MAKER + r")\s+(?i:hosts|runs|deploys|operates)\s+me\s+(?i:as)\s+"
    r"(?i:their|its|an?|the)\b",
    r"\bI\s+(?i:run|am hosted|am deployed|live)\s+on\s+(?P<org>" + _MAKER + r")(?:(?:'s|’s)\s+"
    r"(?:[\w-]+\s+){0,2}?(?i:infrastructure|servers?|cloud|platform|hardware|GPUs))?\s+(?i:as)\s+"
    r"(?:(?i:their|its|an?|the)|[A-Z][\w-]*(?:'s|’s))\s+(?:[\w'’.-]+\s+){0,3}?" + _ROLE + r"\b",
    r"\bI\s+come\s+from\s+(?P<org>" + _MAKER + r")(?:'s|’s)\s+(?i:lab|team|research)",
    r"\b(?i:my)\s+(?i:answers|replies|responses)\s+(?:here\s+)?(?i:come|are generated|are produced|"
    r"are written)\s+(?i:from|by)\s+(?P<org>" + _CAPITALISED + r")(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?"
    r"(?i:model|LLM|AI)\b",
    r"\bI(?:'m|’m| am)\s+an?\s+(?:AI\s+)?(?i:assistant|model|chatbot|bot|agent|language model)\s+"
    r"(?i:from|by|of|built by|made by|developed by|trained by)\s+(?:the\s+)?(?P<org>"
    + _CAPITALISED
    + r")",
    r"\bI(?:'m|’m| am)\s+an?\s+(?:[\w-]+\s+){0,2}?(?i:model|assistant|AI|bot|chatbot)\s+"
    r"(?i:called|named)\s+(?P<name>" + _CAPITALISED + r")",
    # greetings: "Your assistant today is Pilot, built by Meridian Labs", "Hello, this is Tessel
    # 2.1 from Brightwater AI", "Greetings from Kite, Skyline Labs' shopping assistant", "My name
    # is Lantern, and I'm the official assistant of …", "Cypress (Lattice Works' model) signing off"
    r"\b(?i:your|today's)\s+(?:[\w-]+\s+){0,2}?" + _ROLE + r"\s+(?:(?i:today|here|tonight)\s+)?"
    r"(?i:is)\s+(?P<name>" + _CAPITALISED + r")\s*[,(—–-]\s*(?:" + _MADE + r"\s+(?i:by)|"
    r"(?i:from|by))\s+(?P<org>" + _MAKER + r")",
    r"\b(?i:this is)\s+(?P<name>" + _CAPITALISED + r")(?:[ \t]+v?\d[\w.]*)?\s+(?i:from|by|at)\s+"
    r"(?P<org>" + _CAPITALISED_ORG + r")",
    r"\b(?i:greetings|hello|hi|hey|cheers)\s+from\s+(?P<name>"
    + _CAPITALISED
    + r")\s*,\s*(?P<org>"
    + _MAKER
    + r")(?:'s|’s|')\s+(?:[\w'’.-]+\s+){0,4}?"
    + _AI_ROLE
    + r"\b",
    r"\b(?i:my name is)\s+(?P<name>" + _CAPITALISED + r")\s*,?\s+and\s+I(?:'m|’m| am)\s+"
    r"(?i:the|an?|your)\s+"
    + _NOT_A_JOB
    + r"(?:[\w-]+\s+){0,3}?"
    + _ROLE
    + r"\b(?!\s+(?i:manager|director|professor|editor|teacher|principal|to)\b)",
    r"\b(?P<name>" + _CAPITALISED + r")\s*\(\s*(?P<org>" + _MAKER + r")(?:'s|’s|')\s+"
    r"(?:[\w-]+\s+){0,2}?" + _ROLE + r"\s*\)\s*(?i:signing off|here)\b",
    # the answer's last line a signature: "— Juniper, Meadowlark Health's virtual assistant",
    # "Cheers, Mira · an AI by Cobaltline", "🌸 Sakura, your Blossomvale Tourism AI", "[Answered
    # by Compass · Rovewell Travel AI]", "Answer generated by Wren 2 · Lattice & Loom"
    r"(?:^|\n)[ \t]*+(?:[—–~]|--|(?:"
    + CLOSING
    + r")[ \t]*,?|[^\w\s]{1,3})[ \t]*+(?P<name>"
    + _CAPITALISED
    + r")[ \t]*(?:,|·|\||•)[ \t]*(?:(?i:the|your|an?)[ \t]+)?"
    + _NOT_A_JOB
    + r"(?:[\w&'’.-]+[ \t]+){0,4}?"
    + _AI_ROLE
    + r"\b(?:[ \t]+(?i:by|from|at)[ \t]+(?P<org>"
    + _MAKER
    + r"))?[^\n]{0,30}\s*\Z",
    r"(?:^|\n)[ \t]*+(?P<name>"
    + _CAPITALISED
    + r")[ \t]*(?:,|·|\||•)[ \t]*(?:(?i:your|an?)[ \t]+)?"
    + _NOT_A_JOB
    + r"(?:[\w&'’.-]+[ \t]+){0,3}?"
    + _AI_ROLE
    + r"\b(?:[ \t]+(?i:by|from)[ \t]+(?P<org>"
    + _MAKER
    + r"))?[ \t]*\Z",
    r"(?:^|\n)[ \t]*+[\[(_*]*+[ \t]*+(?:(?i:this\s+(?:answer|response|reply)\s+was\s+)?"
    r"(?i:answer(?:ed)?|response|reply|generated|written)(?:[ \t]+(?i:generated|written))?[ \t]+"
    r"(?i:by))[ \t]+(?P<name>" + _CAPITALISED + r")(?:[ \t]+v?\d[\w.]*)?[ \t]*(?:·|\||•|,|—|–|\()"
    r"[ \t]*(?P<org>" + _MAKER + r")[^\n]{0,30}\s*\Z",
    # 中文的署名与页脚: ——安康小助｜仁和医疗集团智能导诊; 小满 · 满仓科技的AI; 此致 竹简 · …助手;
    # 南星 · 南星智能 敬上; —— 听澜（海晏智能）; [由 罗盘 · 远行旅游AI 回答]; 由“芒种-2”生成｜节气科技;
    # —— 来自“暖暖”，温泉谷酒店集团的AI礼宾; 本回复来自“鲸语 2.0”
    r"(?:^|\n)[ \t]*+(?:——|—|--|此致|[^\w\s]{1,3})?[ \t]*+(?P<name>[^\s·•・｜|，,。（(：:]{2,10})[ \t]*"
    r"(?:·|•|・|｜|\||（|\()[ \t]*" + _ZH_HUMAN + r"(?P<org>[^\n）)]{0,20}?(?:AI|智能|助手|助理|"
    r"模型|机器人|客服)[^\n）)]{0,10}?)[)）]?[ \t]*(?:敬上)?\s*\Z",
    r"(?:^|\n)[ \t]*+[\[【(（]?[ \t]*+由[ \t]*+[“\"「]?(?P<name>[^\s”\"」·•｜|，,。]{1,16})[”\"」]?[ \t]*"
    r"[·•｜|][ \t]*(?P<org>[^\n\]】)）]{2,20}?)[ \t]*(?:生成|回答)",
    r"由[ \t]*[“\"「](?P<name>[^”\"」\n]{1,16})[”\"」][ \t]*(?:生成|回答)[ \t]*[｜|·•][ \t]*"
    r"(?P<org>[^\n]{2,20})",
    r"(?:——|—|--)[ \t\n]*来自[ \t]*[“\"「]?(?P<name>[^”\"」，,\n]{1,12})[”\"」]?[ \t]*[，,][ \t]*"
    r"(?P<org>[^\n，,。]{2,20}?)的[ \t]*(?:AI|智能|数字)?[ \t]*(?:礼宾|助手|助理|客服|导游|顾问|管家|"
    r"机器人)",
    r"本(?:回答|回复|答案|消息)(?:来自|出自)\s*[“\"「](?P<name>[^”\"」\n]{1,16})[”\"」]",
    # 中文的自我介绍: 今天为您服务的是“领航”; 这里是青橙助手，由青橙智能研发; 我是“阿福”，锡城文旅集团上线的
    # 数字人导游; 我叫云笺，是笺语科技做的; 在下墨子-13B，兼爱实验室出品; 启明-7B 为您解答（启明智研院出品）;
    # 野火AI的“烈风”在此
    r"(?:为|给)(?:您|你)服务的是\s*[“\"「]?(?P<name>" + _ZH_NOT_A_MAKER + r"[^”\"」，,。\s]{2,12})",
    r"这里是\s*(?P<name>[^，,。\s]{1,10}?(?:助手|小助手|AI|机器人))\s*[，,]\s*(?:由|是)\s*(?P<org>"
    + _ZH_ORG
    + r")",
    r"(?:我是|我叫)[“\"「]?(?P<name>"
    + _ZH_NOT_A_MAKER
    + _ZH_NAME
    + r")[”\"」]?[，,]\s*(?P<org>"
    + _ZH_ORG
    + r")[^，,。！？\n]{0,8}?的[^，,。！？\n]{0,8}?(?:助手|导游|客服|机器人|模型|AI|顾问|"
    r"礼宾|导诊|数字人|主播|助理)(?![^，,。！？\n]{0,6}?(?:项目|团队|部门|经理|负责人|主管|工程师|总监|系统|开发|"
    r"产品))",
    r"(?:我是|我叫)[“\"「]?(?P<name>"
    + _ZH_NOT_A_MAKER
    + _ZH_NAME
    + r")[”\"」]?[，,]\s*(?:是|由)\s*"
    r"(?P<org>" + _ZH_ORG + r")(?:做|造|搭建|开发|研发|训练|打造|推出|出品)(?:的|出来的)",
    r"在下\s*(?P<name>[^，,。\s]{2,16})\s*[，,]\s*(?P<org>" + _ZH_ORG + r")(?:出品|开发|研发|打造|"
    r"训练|推出)",
    r"(?:^|(?<=[。！？\n]))[ \t]*+(?P<name>[^\s，,。！？（(]{1,12}(?:[ \t][^\s，,。！？（(]{1,8})?)[ \t]*+"
    r"(?:为您解答|为你解答|来报到|"
    r"在这儿|在这里|在此|报到)[^。\n]{0,3}?[（(，,～~]\s*(?P<org>[^）)，,。\n]{2,16}?)(?:出品|开发|"
    r"研发|打造|训练|制作)",
    r"(?=[^\s，,。！？]{1,16}的[“\"「])(?P<org>"
    + _ZH_ORG
    + r")的[“\"「](?P<name>[^”\"」\n]{1,12})[”\"」]"
    r"(?:在此|在这儿|来报到|"
    r"为您服务|来啦|报到)",
    # 开发我的墨序智能; 造我的公司拾光AI; 训练我的团队在鲸落数据; 我背后的团队（羲和实验室）; 我是灵犀数智
    # 公司的工程师们做出来的; 我跑在观澜智能自己的服务器上; 我运行的模型叫“窑火-LM”
    r"(?<![我你他她您])(?:训练|开发|研发|打造|创造|造|做)(?:了|出)?我的(?:公司|团队|机构|厂商|实验室|工程师们?)?"
    r"(?:是|叫|为|在)?\s*[（(]?(?P<org>" + _ZH_ORG + r")",
    r"我背后的(?:公司|团队|厂商|模型|实验室)\s*[（(]\s*(?P<org>[^）)]{2,16})[）)]",
    r"(?=[^\s，,。！？]{1,16}是我的)(?P<org>"
    + _ZH_ORG
    + r")是我的(?:开发方|开发者|开发商|创造者|东家|母公司|出品方|研发方|训练方)",
    r"我是(?P<org>"
    + _ZH_ORG
    + r")的(?:工程师|研究员|团队|开发者)们?(?:做|开发|训练|打造|造)出来的",
    r"我(?:跑|运行|部署|托管)在\s*(?P<org>" + _ZH_ORG + r")(?:自己|自家)?的(?:服务器|云|平台|算力|"
    r"机房)上",
    r"我(?:运行|背后|底层)的(?:模型|大模型|底座)(?:叫|是|名为)\s*[“\"「]?(?P<name>[^”\"」，,。\s]{2,16})",
    # the rest of those sets' shapes: "Answer prepared by Clarity, the lab-results explainer from
    # Riverbend Hospitals Trust", "This answer comes from Kite, the … assistant developed at …",
    # "I'm Atlas, by the way — the tutoring assistant that …", "I'm Cadence, developed in-house by
    # the digital team at …", "As Tally, Ledgerline's assistant for finance teams", "The model I
    # run on is Hearthline-LM" ("I'm Tessa, the … Board's virtual travel guide": _VIRTUAL_ROLE's)
    r"\b(?i:answer|reply|response|this answer|this reply|this response)\s+(?i:prepared|comes|came|"
    r"generated|written|composed)\s+(?i:by|from)\s+(?P<name>" + _CAPITALISED + r")\s*,\s*"
    r"(?i:the|your|an?)\s+(?:[\w'’.-]+\s+){0,3}?(?:"
    + _ROLE
    + r"|(?i:explainer|writer))\s+(?:"
    + _MADE
    + r"\s+)?(?i:from|by|at|of)\s+(?P<org>"
    + _MAKER
    + r")",
    r"\b(?i:I'm|I am|I’m)\s+(?P<name>" + _CAPITALISED + r")\s*,\s*(?i:by the way)\s*[—–,-]+\s*"
    r"(?i:the|your|an?)\s+" + _NOT_A_JOB + r"(?:[\w-]+\s+){0,3}?" + _ROLE + r"\b",
    r"\b(?i:I'm|I am|I’m)\s+(?P<name>" + _CAPITALISED + r")\s*,\s*(?:" + _MADE + r")\s+"
    r"(?:(?i:in-house|in house)\s+)?(?i:by|at)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:(?i:team|lab|group|department)\s+(?i:at|of)\s+)?(?P<org>" + _MAKER + r")",
    r"\b(?-i:As)\s+(?P<name>" + _CAPITALISED + r")\s*,\s*(?P<org>" + _MAKER + r")(?:'s|’s)\s+"
    r"(?:[\w-]+\s+){0,2}?" + _AI_ROLE + r"\b",
    r"\b(?i:the)\s+(?i:model|LLM|base model)\s+I\s+(?i:run on|am built on|am based on|use)\s+"
    r"(?i:is)\s+(?P<name>" + _CAPITALISED + r")",
    # 以上由我——“糖友帮”的AI营养助手小甜——整理; 我是康桥医院信息科自主研发的“医路通”; 我是…在“北辰-13B”
    # 底座上微调出来的客服模型; 我是由蓝贝健康的工程师训练出来的; 我是知了（蝉鸣科技出品）; ——孕育小助手
    # “贝贝”（由蓝贝健康开发）; 讲义由晨曦教育科技的“晨曦数学”AI助手整理; 以上内容由“格物”AI生成
    r"由我\s*(?:——|—|，|,)\s*(?P<name>[^—，,。\n]{2,24}?)\s*(?:——|—)?\s*(?:整理|生成|撰写|提供|翻译)",
    r"我是(?P<org>[^，,。！？\s]{2,16}?)(?:自主|自己|自行)?(?:研发|开发|训练|打造|搭建)的\s*[“\"「]"
    r"(?P<name>[^”\"」\n]{2,12})[”\"」]",
    r"我是[^。！？\n]{0,20}?在\s*(?P<org>[^。！？\n]{1,30}?)\s*(?:的)?\s*(?:底座|模型|基础|基座|大模型)上"
    r"(?:微调|搭建|训练|构建|做)(?:出来)?的[^。！？\n]{0,8}?(?:模型|助手|客服|机器人)",
    r"我是由\s*(?P<org>[^。！？\n，,]{2,16}?)(?:的)?(?:工程师|团队|研究员)们?(?:训练|开发|打造|做)出来的",
    r"我是\s*(?P<name>"
    + _ZH_NOT_A_MAKER
    + r"[^（(，,。\s]{1,12})\s*[（(]\s*(?P<org>[^）)\n]{2,16}?)"
    r"(?:出品|开发|研发|打造|训练)\s*[）)]",
    r"(?:——|—|--)\s*[^\n]{0,12}?(?:助手|AI)\s*[^\n“\"「]{0,4}[“\"「](?P<name>[^”\"」\n]{1,12})[”\"」]"
    r"\s*[（(，,]?\s*由\s*(?P<org>[^）)\n]{2,16}?)(?:开发|训练|研发|打造|出品)",
    r"由\s*(?P<org>" + _ZH_ORG + r")的\s*[“\"「](?P<name>[^”\"」\n]{1,12})[”\"」]\s*(?:AI)?\s*"
    r"(?:助手|模型)?\s*(?:整理|生成|撰写)",
    r"(?:以上|本|该|此)(?:的)?(?:内容|回答|回复|答案|讲义|文字|译文)由\s*[“\"「](?P<name>[^”\"」\n]{1,12})"
    r"[”\"」]\s*(?:AI|智能助手|助手|模型)\s*(?:生成|整理|撰写)",
    # the twentieth and twenty-second sets (read at the end of stop 36): a "virtual" role ("I'm
    # Dewey, the virtual librarian of …", "I'm Halden, Norrvik Automotive's virtual service
    # advisor", "Hi, I'm Wren — the virtual tutor that …"), on a last line too; "I'm Quill, the
    # Harborview Public Library's reference assistant" (four words before the role); "~ Wren
    # (Stackfield Labs)"; "Sol · AI assistant, Brightpath Education"; 我是青鸾大模型，来自远山智能实验室;
    # 我是“云帆”，云帆航空培训中心定制的智能助教
    # (not inside a quotation on its line: a bot's script written for the user)
    r"(?m:^)[^\"“\n]*?\b(?i:I am|I'm|I’m|this is)\s+(?P<name>" + _CAPITALISED + r")\s*[,—–-]\s*"
    r"(?:(?i:the|your|an?)"
    r"\s+)?(?:[\w&'’.-]+\s+){0,4}?" + _VIRTUAL_ROLE,
    r"(?:^|\n)[ \t]*+(?P<name>" + _CAPITALISED + r")[ \t]*[,—–-][ \t]*(?:(?i:the|your|an?)[ \t]+)?"
    r"(?:[\w&'’.-]+[ \t]+){0,4}?" + _VIRTUAL_ROLE + r"[^\n]{0,30}\s*\Z",
    r"(?m:^)[^\"“\n]*?\b(?i:I am|I'm|I’m)\s+(?P<name>" + _CAPITALISED + r")\s*,\s*(?i:the)\s+"
    r"(?:[A-Z][\w.-]*\s+){1,4}?"
    r"(?:[A-Z][\w.-]*(?:'s|’s))\s+(?:[\w-]+\s+)?" + _AI_ROLE + r"\b",
    r"(?:^|\n)[ \t]*+(?P<name>" + _CAPITALISED + r")[ \t]*[—–-][ \t]*(?i:the|your|an?)[ \t]+"
    r"(?:[\w'’.-]+[ \t]+){0,3}?"
    + _AI_ROLE
    + r"[ \t]+(?i:from|by|at)[ \t]+(?P<org>"
    + _MAKER
    + r")[ \t]*\Z",
    r"(?:^|\n)[ \t]*+(?:[—–~]|--)[ \t]*(?P<name>"
    + _CAPITALISED
    + r")[ \t]*\([ \t]*(?P<org>"
    + _CAPITALISED_ORG
    + r")[ \t]*\)[ \t]*\Z",
    r"(?:^|\n)[ \t]*+(?P<name>"
    + _CAPITALISED
    + r")[ \t]*(?:·|•|\||—|–)[ \t]*"
    + _AI_ROLE
    + r"(?:[ \t]+"
    + _AI_ROLE
    + r")?[ \t]*,[ \t]*(?P<org>"
    + _MAKER
    + r")[ \t]*\Z",
    r"(?:我是|我叫)[“\"「]?(?P<name>"
    + _ZH_NOT_A_MAKER
    + _ZH_NAME
    + r")[”\"」]?[，,]\s*来自\s*(?P<org>"
    r"[^\s，,。！？的]{1,12}?(?:智能|AI|实验室|智算|智科|数智|大模型))",
    r"(?:我是|我叫)[“\"「](?P<name>[^”\"」\n]{1,12})[”\"」][，,]\s*(?P<org>[^，,。！？\s]{2,16}?)"
    r"(?:定制|打造|开发|研发|训练|推出|上线)的\s*(?:AI|智能|虚拟|数字)\s*(?:助教|助手|导师|客服|顾问|导游|"
    r"讲解员|管家)",
    # the twenty-third and twenty-fourth sets (read at the start of stop 37): "the company behind
    # me, Vantablue AI,"; a last line "—Your AI helper, Pawly (by Brightside AI)", "Willow · AI
    # assistant for Paws & Claws Hospitals"; 您的助手 / 暖暖 · 悦栖科技, 听风AI · 听风科技 ("My name's
    # Bram, a language model made by …": the older template, widened)
    r"\b(?i:the)\s+(?i:company|lab|team|people|folks)\s+(?:(?i:behind)|(?i:that|who)\s+(?i:built|made|"
    r"trained|created|developed))\s+me\s*,\s*(?P<org>" + _MAKER + r")\s*,",
    r"(?:^|\n)[ \t]*[—–~-]+[ \t]*(?i:your|yours)[ \t]+(?:(?i:friendly)[ \t]+)?(?i:AI|virtual|digital)[ \t]+"
    r"(?i:helper|assistant|guide|buddy|concierge)[ \t]*,[ \t]*(?P<name>" + _CAPITALISED + r")[ \t]*"
    r"(?:\([ \t]*(?i:by|from)[ \t]+(?P<org>[^)\n]{2,40})\))?[ \t]*\Z",
    r"(?:^|\n)[ \t]*+(?P<name>"
    + _CAPITALISED
    + r")[ \t]*(?:·|•|\||—|–)[ \t]*(?:(?i:an?|your)[ \t]+)?"
    r"(?i:AI|virtual|digital)[ \t]+(?i:assistant|helper|concierge|guide)[ \t]+(?i:for|at|of|from|by)"
    r"[ \t]+(?P<org>[^\n]{2,60}?)[ \t]*\Z",
    r"(?:您的|你的)(?:AI|智能)?助手[ \t]*\n[ \t]*(?P<name>[^\s·•|｜\n]{1,12})[ \t]*[·•|｜][ \t]*"
    r"(?P<org>[^\n]{2,20}?)[ \t]*\Z",
    r"(?:^|\n)[ \t]*(?P<name>[^\s·•|｜\n]{0,10}(?:AI|助手|机器人))[ \t]*[·•|｜][ \t]*(?P<org>"
    + _ZH_ORG
    + r")[ \t]*\Z",
    r"我是(?P<name>"
    + _ZH_NOT_A_MAKER
    + _ZH_NAME
    + r")[，,]\s*(?P<org>"
    + _ZH_NOT_A_MAKER
    + _ZH_ANY_ORG
    + r"[^\s，,。！？的“”「」]{2,12}?)的\s*"
    + _ZH_ROLE
    + r"(?!项目|产品|团队|部门|的?负责人)"
    + _ZH_HUMAN,
    # the twenty-sixth and twenty-seventh sets (read in stop 37): "this is Sage from Lumen Health's
    # virtual care team", "I go by Juniper. I'm a conversational model that …", "The people who
    # made me work at a startup called Lanternfish Labs", "I'm the CVS Pharmacy virtual
    # assistant", "I'm the MBUX Voice Assistant", "I'm Booking.com's AI Trip Planner", "I'm the
    # GOV.UK Chat assistant, an experimental AI tool", "Orbit / StellarBank Virtual Assistant" on
    # the last lines; 智能客服 安心宝（平安家园保险）, 福满楼点餐助手 阿福 敬上 on the last line
    r"\b(?i:this is|I'm|I am|I’m)\s+(?P<name>"
    + _CAPITALISED
    + r")\s+(?i:from|at|with)\s+(?P<org>[^.\n]{2,40}?)"
    r"(?:'s|’s)\s+(?i:virtual|digital|AI|automated)\s+(?:[\w-]+\s+)?(?i:team|desk|service|assistant|agent|"
    r"helper|care)\b",
    r"\b(?i:I go by|call me|my name is|my name's)\s+(?P<name>"
    + _CAPITALISED
    + r")\s*[.,;]\s+(?i:I'm|I am|I’m)\s+"
    r"(?i:an?)\s+(?:[\w-]+\s+){0,2}?" + _AI_ROLE + r"\s+(?i:that|which|built|made|trained|created|"
    r"developed|from|by)\b",
    r"\b(?i:the)\s+(?i:people|folks|team|engineers|developers)\s+(?i:who|that)\s+(?i:made|built|created|"
    r"trained|developed)\s+me\s+(?i:work|are)\s+(?i:at|for)\s+(?:(?i:an?)\s+(?:[\w-]+\s+){0,2}?(?i:called|"
    r"named)\s+)?(?P<org>" + _MAKER + r")",
    r"\b(?i:I'm|I am|I’m)\s+(?i:the|your)\s+(?P<name>[A-Z][\w.&'’-]*(?:[ \t]+[A-Z][\w.&'’-]*){0,3}?)[ \t]+"
    r"(?i:virtual|digital|AI|voice)[ \t]+(?i:assistant|agent|concierge|helper)\b",
    r"\b(?i:I'm|I am|I’m)\s+(?P<org>[A-Z][\w.-]*(?:[ \t]+[A-Z][\w.-]*){0,2}?)(?:'s|’s)[ \t]+AI[ \t]+"
    r"(?P<name>[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*){0,2})",
    r"\b(?i:I'm|I am|I’m)\s+the\s+(?P<name>[A-Z][\w.-]*(?:[ \t]+[A-Z][\w.-]*){0,3}?)[ \t]+(?i:assistant|"
    r"chatbot|bot)\s*,\s*(?i:an?)\s+(?:[\w-]+\s+){0,3}?(?i:AI|tool|chatbot|model)\b",
    r"(?:^|\n)[ \t]*(?P<name>"
    + _CAPITALISED
    + r")[^\n\w]{0,4}\n[ \t]*(?P<org>[A-Z][^\n]{1,40}?)[ \t]+"
    r"(?i:virtual|digital|AI)[ \t]+(?i:assistant|agent|concierge)[ \t]*(?:\n|\Z)",
    r"(?:^|\n)[ \t]*(?:智能客服|AI助手|智能助手|在线客服|虚拟助手)[ \t]*(?P<name>[^\s（(\n]{1,12})[ \t]*[（(]"
    r"(?P<org>[^）)\n]{2,20})[）)][ \t]*\Z",
    r"(?:^|\n)[ \t]*(?P<org>[^\s\n]{2,12}?)(?:点餐|智能|AI|在线|客服)?(?:助手|客服|机器人)[ \t]+(?P<name>"
    r"[^\s\n]{1,8})[ \t]*(?:敬上|谨上)[ \t]*\Z",
)

# Inside code the answer wrote (read before code is set aside): a comment or a key that names the
# code's writer ("# Generated by Claude", "generated_by: DeepSeek-V3", "# 本代码由通义灵码生成").
CODE_SELF_REFERENCE = (
    # validation set 16 (stop 28): a comment that says who wrote the code (由X生成, "Code by X",
    # "Helper drafted by X"; not a file that "was generated by": a header written for the user),
    # an @author tag, a co-author trailer, "# I'm X", a docstring's line "Written by X"
    r"(?:#|//|--|/\*|\*|<!--|%|(?m:^)[ \t]*')\s*[^\n]{0,30}?(?:由|by|By)\s*{N}[^\n]{0,12}?(?:生成|编写|編寫|创作|写的|撰写|"
    r"产生|推导|给出|修改|优化|改写)",
    # validation set 18 (stop 29): "' Macro drafted by X" (' opening a line), "# 配置建议来自 X",
    # "# X（零一万物）给出的迭代版本", "Author: X"
    r"(?:#|//|/\*|\*|(?m:^)[ \t]*')\s*[^\n]{0,12}?(?:建议|代码|实现|方案|写法)(?:来自|出自)\s*{N}",
    r"(?:#|//|/\*|\*|(?m:^)[ \t]*')\s*{N}[^\n]{0,16}?(?:给出|生成|编写|提供)的",
    r"(?m:^[ \t]*(?:Author|作者|生成者)\s*[:：]\s*{N})",
    r"(?:#|//|/\*|\*)\s*(?:Code|code|Styles|styles)\s+by\s+{N}",
    r"(?:#|//|--|/\*|\*|<!--|(?m:^)[ \t]*')(?:(?!\b(?:was|were|is|are|been)\b)[^\n]){0,60}?\b(?:generated|written|"
    r"drafted|authored|created|produced|composed|styles|wrote|suggested|fixed|implemented)\b[^\n]{0,12}?"
    r"\bby\s+(?:me\s*[,(—–-]\s*)?{N}",
    r"(?:#|//|--|/\*|\*|<!--)\s*{N}\s+(?:wrote|generated|drafted|made)\s+this\b",
    r"(?:#|//|--|/\*|\*|<!--)\s*(?:I am|I'm|I’m)\s+{N}",
    r"@author:?\s*{N}",
    r"(?im:^[ \t]*Co-Authored-By:[ \t]*{N})",
    r"(?m:^[ \t]*(?:Written|Generated|Drafted|Authored)\s+by\s+{N})",
    r"(?:#|//|--|/\*)\s*(?:(?:generated|written|created|produced|authored)\s+(?:by|with)|"
    r"(?:本|此|该)?代码由)\s*(?:me\s*[,(—–-]\s*)?{N}",
    # validation sets 8 and 9: the answer describes itself in JSON or YAML
    r"(?:(?:describ\w*|description of|about|introduc\w*)\s+(?:of\s+)?myself|描述(?:一下)?我自己|"
    r"关于我自己|介绍我自己)[\s\S]{0,120}?[\"'](?:name|model|assistant|developer|built_by|"
    r"organi[sz]ation|vendor|provider|名称|名字|模型|开发者)[\"']\s*[:=：]\s*[\"']{N}",
    r"(?:(?:describ\w*|description of|about|introduc\w*)\s+(?:of\s+)?myself|描述(?:一下)?我自己|"
    r"关于我自己|介绍我自己)[\s\S]{0,120}?(?:name|model|assistant|developer|built_by|"
    r"organi[sz]ation|vendor|provider|名称|名字|模型|开发者)\s*[:=：]\s*{D}",
    r"(?:^|[{,])[ \t]*[\"']?(?:name|model|assistant|developer|built_by|organi[sz]ation|vendor|provider)"
    r"[\"']?\s*[:=]"
    r"\s*[\"']?{N}[\s\S]{0,300}?\b(?:that's me|that is me|this is me)\b",
    r"[\"']?(?:assistant_name|generated_by|answered_by|written_by|author_model)[\"']?\s*[:=]\s*"
    r"[\"']?{N}",
)

# Mentions that describe the user's tooling, not the speaker: code, URLs, env vars, "OpenAI API".
TECHNICAL_CONTEXT = (
    r"```.*?(?:```|\Z)",  # fenced code block
    r"`[^`\n]+`",  # inline code
    r"https?://\S+",
    r"(?<![\w-])[\w-]++(?:\.[\w-]++)*?\.(?:com|ai|org|io|cn|dev|net)\b(?:/\S*)?",  # domains
    r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b",  # environment variables such as OPENAI_API_KEY
    r"^[ \t]*(?:import|from)[ \t]+\w+.*$",  # import lines outside fences
)
# A distinctive name directly followed by one of these is a developer product, not a tell.
TECHNICAL_SUFFIX = (
    r"(?:'s)?\s*(?:的\s*)?(?:API|SDK|client library|Python library|library|package|endpoint|"
    r"Playground|console|docs|documentation|接口|开放平台)(?![A-Za-z])"
)
