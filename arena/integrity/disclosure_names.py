"""The name tables behind identity-disclosure detection: regex fragments for model, vendor and
product names (English, Chinese, transliterations) and the self-reference phrases around them.

Fragments are matched case-insensitively; `(?-i:…)` marks the few that need their exact case
(PaLM is not "palm oil", xAI is not XAI, MiniMax is not the minimax algorithm).
"""

# Names that identify a model family, product or AI-only vendor wherever they appear in prose.
DISTINCTIVE = (
    # OpenAI
    r"Chat\s?-?GPT", r"GPT[-\s]?(?:3\.5|3|4o|4\.\d|4|5)(?:[-\s]?(?:turbo|mini))?", r"OpenAI",
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
    r"InternLM", r"书生·浦语", r"浦语", r"盘古大模型", r"天工AI", r"360智脑",
    # Mistral, xAI, Microsoft, Cohere, others
    r"Mistral[\s-]?(?:AI|Large|Medium|Small|Nemo|\d+B)", r"Mixtral", r"Codestral",
    r"Grok[\s-]?\d", r"(?-i:xAI)", r"Phi[\s-]?[234](?:\.5)?", r"(?-i:Command R)(?:\+|\s?Plus)?",
    r"Bing\s+Chat", r"SmolLM\d?", r"LMSYS", r"Nemotron", r"StarCoder", r"(?-i:OLMo)",
)  # fmt: skip

# Ordinary words, people, places or big companies with many other products: these count only in
# self-reference ("I am …", "trained by …", "我是…", "由…开发").
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

# Words allowed between "I am" and "trained by X" must not start a new subject ("I am sure the
# Pixel is made by Google" is about the phone).
_NEW_SUBJECT_EN = r"it|its|it's|they|their|he|she|his|her|which|this|these|those|is|are|you|your"
_GAP_EN = rf"(?:(?!\b(?:{_NEW_SUBJECT_EN})\b)[^.!?\n;]){{0,60}}?"
_GAP_ZH = r"(?:(?![它他她该这那])[^。！？!?\n；;]){0,20}?"

_BY_EN = (
    r"(?:(?:trained|developed|created|built|made|designed|released|programmed|engineered|"
    r"fine-?tuned|pre-?trained|owned|maintained|launched|produced|powered|provided|backed|run)"
    r"\s+(?:\w+\s+){0,2}?(?:by|at)"
    r"|(?:model|assistant|AI|chatbot|LLM|system|version|variant|product|bot|intelligence|companion)"
    r"\s+(?:from|by|of|at))"
    r"\s+(?:the\s+)?(?:(?:team|teams|engineers|researchers|folks|people|developers|company|labs?)"
    r"\s+(?:at|of|from)\s+)?"
)

# Self-reference templates; {N} is replaced by the alternation of names that need this context.
SELF_REFERENCE = (
    # I am X / my name is X / you're talking to X
    r"\b(?:I am|I'm|my name is|call me|I go by|I'm called|I am called|I'm known as|I am known as|"
    r"you(?:'re| are) (?:chatting|talking|speaking) (?:with|to))\s+(?:an?\s+|the\s+)?{N}",
    # I am a large language model, trained by X
    r"\b(?:I am|I'm|I was|I've been|I have been)\b" + _GAP_EN + _BY_EN + "{N}",
    # my creators at X
    r"\bmy\s+(?:creators?|developers?|makers?|parent company|company|team|trainers?|engineers|"
    r"authors?|designers?|builders?)\s*(?:is|are|was|were|at|from|,)?\s+(?:the\s+)?"
    r"(?:team at\s+)?{N}",
    r"\bI\s+(?:come|came|hail)\s+from\s+(?:the\s+)?{N}",
    r"\bI\s+belong\s+to\s+(?:the\s+)?{N}",
    # as X's assistant / as an AI developed by X
    r"\bas\s+(?:an?\s+)?{N}(?:'s)?\s+(?:[\w-]+\s+){0,2}?(?:AI|model|assistant|chatbot|LLM)\b",
    r"\bas\s+an?\s+(?:[\w-]+\s+){0,3}?(?:AI|model|assistant|chatbot|LLM)\b[^.!?\n;]{0,30}?"
    r"\b(?:by|from|at|of)\s+(?:the\s+)?{N}",
    # X trained me / X here.
    r"{N}\s+(?:trained|developed|created|built|made|designed|programmed|engineered)\s+me\b",
    r"(?:^|[.!?,]\s*){N}\s+here\b",
    # 我是X / 我叫X / 我的名字叫X
    r"(?:我|本人)(?:是|叫|乃|名叫|名为|的名字(?:是|叫))\s*(?:一个|一款|一名|一位|个)?\s*{N}",
    # 我是一个大型语言模型，由X训练
    r"(?:我|本模型|本助手|本AI)(?:是|乃)?" + _GAP_ZH + r"由\s*{N}",
    r"我(?:来自|属于|隶属于?|出自|源自)\s*{N}",
    r"我的(?:开发者|开发商|创造者|创建者|研发者|研发团队|开发团队|训练者|制造者|缔造者|作者|出品方|"
    r"母公司|公司|团队)(?:是|为|来自)?\s*{N}",
    # 作为X的AI助手 / 作为一个由X开发的模型
    r"作为(?:一个|一款|一名)?由?\s*{N}(?:公司)?(?:的|旗下的?|开发的|研发的|训练的|推出的)?"
    r"(?:AI|人工智能|智能)?(?:助手|模型|大模型|语言模型|聊天机器人)",
    r"作为(?:一个|一款|一名)?[^。，,！？]{0,10}?由\s*{N}",
    # X训练了我
    r"{N}(?:公司|团队)?(?:开发|训练|研发|打造|创造|创建|设计)了我",
)

# Mentions that describe the user's tooling, not the speaker: code, URLs, env vars, "OpenAI API".
TECHNICAL_CONTEXT = (
    r"```.*?(?:```|\Z)",  # fenced code block
    r"`[^`\n]+`",  # inline code
    r"https?://\S+",
    r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|ai|org|io|cn|dev|net)\b(?:/\S*)?",  # domains
    r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b",  # environment variables such as OPENAI_API_KEY
    r"^\s*(?:import|from)\s+\w+.*$",  # import lines outside fences
)
# A distinctive name directly followed by one of these is a developer product, not a tell.
TECHNICAL_SUFFIX = (
    r"(?:'s)?\s*(?:的)?\s*(?:API|SDK|client library|Python library|library|package|endpoint|"
    r"Playground|console|docs|documentation|接口|开放平台)(?![A-Za-z])"
)
