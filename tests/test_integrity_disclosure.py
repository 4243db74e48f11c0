"""The disclosure detector against the labelled zh+en case set and a held-out set written after it."""

import json
import re
from pathlib import Path

import pytest

from arena.integrity.disclosure import DisclosureDetector, evaluate_detector, find_disclosures

DATA = Path(__file__).parent / "data"


def read_cases(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


CASES = read_cases("disclosure_cases.jsonl")


def test_the_case_set_has_at_least_a_hundred_disclosures_and_a_hundred_innocent_answers():
    assert sum(c["discloses"] for c in CASES) >= 100
    assert sum(not c["discloses"] for c in CASES) >= 100
    assert {c["lang"] for c in CASES} == {"en", "zh"}
    for lang in ("en", "zh"):
        assert sum(c["lang"] == lang and c["discloses"] for c in CASES) >= 40
        assert sum(c["lang"] == lang and not c["discloses"] for c in CASES) >= 40


def test_the_case_set_has_no_duplicate_texts():
    texts = [c["text"] for c in CASES]
    assert len(texts) == len(set(texts))


def test_recall_is_at_least_95_percent_and_false_positives_at_most_2_percent():
    score = evaluate_detector(CASES)
    assert score.recall >= 0.95, score.misses
    assert score.false_positive_rate <= 0.02, score.false_alarms


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_language_on_its_own_meets_the_same_bar(lang):
    score = evaluate_detector([c for c in CASES if c["lang"] == lang])
    assert score.recall >= 0.95, score.misses
    assert score.false_positive_rate <= 0.02, score.false_alarms


def test_the_held_out_cases_written_after_tuning_stay_close():
    # Written after the detector was tuned on disclosure_cases.jsonl and never tuned on; at the
    # time of writing it scored recall 34/35 and 1 false alarm in 35 (docs/integrity.md).
    score = evaluate_detector(read_cases("integrity_disclosure_holdout.jsonl"))
    assert score.positives >= 30 and score.negatives >= 30
    assert score.recall >= 0.9, score.misses
    assert score.false_positive_rate <= 0.05, score.false_alarms


def test_evaluation_reports_its_misses_and_false_alarms():
    cases = [
        {"text": "I'm Claude, made by Anthropic.", "discloses": True},
        {"text": "The weather is nice today.", "discloses": True},
        {"text": "Use Google Maps.", "discloses": False},
        {"text": "I am Gemini, trained by Google.", "discloses": False},  # mislabelled on purpose
    ]
    score = evaluate_detector(cases)
    assert score.recall == 0.5
    assert score.false_positive_rate == 0.5
    assert score.misses == ("The weather is nice today.",)
    assert score.false_alarms == ("I am Gemini, trained by Google.",)


def test_an_empty_case_list_scores_perfectly_rather_than_dividing_by_zero():
    score = evaluate_detector([])
    assert (score.recall, score.false_positive_rate) == (1.0, 0.0)


@pytest.mark.parametrize(
    "answer, name",
    [
        ("I am a large language model, trained by Google.", "Google"),
        ("我是一个大型语言模型，由谷歌训练。", "谷歌"),
        ("作为字节跳动旗下的AI助手，我会尽力帮助你。", "字节跳动"),
        ("I'm Chat GPT, here to help!", "Chat GPT"),
        ("Ｃｈａｔ\u200bＧＰＴ here", "ChatGPT"),
    ],
)
def test_ambiguous_names_count_in_self_reference_and_fullwidth_or_hidden_characters_do_not_hide_a_name(
    answer, name
):
    assert name in [d.name for d in find_disclosures(answer)]


@pytest.mark.parametrize(
    "answer",
    [
        "```python\nimport openai\nclient = openai.OpenAI()\n```",
        "Set `ANTHROPIC_API_KEY` first.",
        "Docs are at https://platform.openai.com/docs.",
        "The OpenAI API returns JSON.",
        "调用DeepSeek API之前先申请密钥。",
    ],
)
def test_code_urls_and_api_mentions_are_technical_context_not_disclosures(answer):
    assert find_disclosures(answer) == ()


def test_the_same_vendor_in_prose_still_counts():
    assert [d.name for d in find_disclosures("OpenAI trained this model.")] == ["OpenAI"]


def test_short_plain_roster_names_count_only_in_self_reference():
    detector = DisclosureDetector(["zeta"])
    assert detector.find("The zeta function has trivial zeros.") == ()
    assert [d.name for d in detector.find("I'm zeta, nice to meet you.")] == ["zeta"]


def test_roster_names_with_a_provider_prefix_also_match_without_it():
    detector = DisclosureDetector(["openrouter/acme-chat-7b"])
    assert [d.name for d in detector.find("I'm acme-chat-7b.")] == ["acme-chat-7b"]


def test_names_are_reported_once_in_order_of_appearance():
    found = find_disclosures("I'm Qwen, a model from Alibaba Cloud. Qwen can also write code.")
    assert [d.name for d in found] == ["Qwen", "Alibaba Cloud"]


@pytest.mark.parametrize(
    "answer",
    ["I'm your copilot for this trip: first, book the flights.", "I am step one of your plan.",
     "I am command-line savvy, so paste the error.", "I'm not ChatGPT, but I can help."],
)  # fmt: skip
def test_ordinary_words_that_are_also_names_need_their_capital_in_a_self_introduction(answer):
    assert find_disclosures(answer) == ()


# Runs of one character or word, each a shape that made a pattern try again at every position
# and scan the rest of the run: 20,000 newlines took 35 s (the "Model:" header and the import
# line), 20,000 capitals 16 s (an unanchored name), 20,000 dots 2.3 s (a possessive before "…
# here"). An answer was checked on the worker's event loop, so one such answer stopped every
# stream of the worker (the checks now run in a thread, but a regular expression holds the
# interpreter's lock for a whole match). Each check must stay linear: 40,000 characters within 5 s (1.7 s at
# most here; the dots failed it before).
@pytest.mark.parametrize(
    "unit",
    [
        "\n",
        "\r\n",
        ".",
        "A",
        " ",
        "'",
        '"',
        "I'm ",
        "好",
        "—",
        "“",
        "Best, ",
        "Hi A,\n",
        "Cheers,\n",
        "a-1",
        "a-",
    ]
    # and a word a pattern starts at, then a long run of blanks (code is blanked before matching):
    # optional parts between two `\s*` split the run every way (作为GPT-4 + 80 spaces: 0.7 s)
    + [
        f"{word}{blank * 8_000}x"
        for word in (
            "作为GPT-4",
            "as GPT-4",
            "he said",
            "tell",
            "calls DeepSeek",
            "你是一家",
            "Best, Nova",
            "我是",
        )
        for blank in (" ", "\n")
    ],  # fmt: skip
)
def test_the_checks_take_linear_time_on_long_runs_of_one_character_or_word(unit):
    import time

    from arena.integrity.disclosure import detector_for
    from arena.integrity.probes import find_probes

    text = unit if len(unit) > 1_000 else unit * (40_000 // len(unit))
    detector = detector_for()  # built once (~0.4 s), not timed
    start = time.perf_counter()
    detector.find(text)
    find_probes(text)
    assert time.perf_counter() - start < 5.0


# Ordinary texts that rules of the fifth round flagged before the review (each voided a vote).
INNOCENT_ANSWERS = [
    "该服务由阿里云提供，按量计费。",
    "此数据由国家统计局提供。",
    "《静夜思》作者：李白",
    "作为ChatGPT的老用户，我觉得它写代码很方便。",
    "他们问我，百度，阿里，腾讯，哪家更好？",
    "Between you and I, GPT-4 is better, right?",
    "我为百度工作了五年。",
    "…科技园。这里是腾讯总部所在地。",
    "我在Llama 3的基础上微调了一个客服模型。",
    "I like tools such as ChatGPT, my favourite for drafts.",
    "关于我们\n公司名称：百度",
    "Die Firma arbeitet im Meta-Konzern.",
    # the sixth round's shapes, in ordinary use: a letter drafted for a user called Claude, a
    # model card written for the user's own model, a treehouse, a zodiac sign
    "Here is the email:\n\nDear Ms. Patel,\n\nI am writing about the lease.\n\nBest regards,\nClaude",
    "以下是为你的项目写的模型卡片：\n\n## 模型简介\n本模型经 Qwen2-7B 微调，用于中文法律问答。",
    "Dad built me a treehouse — I'm Sam, by the way, and this is my story.",
    "My experience as a Gemini has taught me patience.",
    "Wir suchen das Spiel im Google Play Store.",
    # and those the review of that round found
    "Hi all,\n\nThe meeting moves to 3 pm.\n\nThanks,\nGemma",
    "Hi everyone,\n\nLunch is on me today.\n\nCheers,\nAlexa",
    "Thanks for the update.\n\nKind regards,\nKimi",
    "Dear Valued Customer,\n\nYour refund is on its way.\n\nBest regards,\nAmazon Customer Support",
    "Hi Jordan,\n\nThanks for applying.\n\nBest,\nMeta Recruiting Team",
    "Good\nGPT-4o mini\n\nBetter\nGPT-4o\n\nBest\nClaude 3.5 Sonnet",
    "With Siri at your service, you can set reminders hands-free.",
    "Apple Support is at your service 24/7 for billing questions.",
    "Yes. Solar here in Arizona usually pays for itself in 6 to 8 years.",
    "As shown in Table I (GPT-4 vs. Llama 2), the larger model wins.",
    "Chapter I (Apple in the 1970s) covers the garage years.",
    "I'm Jake, and Coach Miller trained me for three years before the final.",
    "Let me introduce myself as Maria, Professor Chen's teaching assistant for this course.",
    "“The course changed how I work.” — Priya, research assistant at Stanford",
    "Banks with chatbots:\n- Erica – Bank of America's virtual assistant\n- Eno – Capital One's virtual assistant",
    "As Gemma from HR, I want to remind everyone about the deadline.",
    "A little about myself:\nName: Gemma Turner\nRole: designer",
    "我作为小米的老用户，觉得这款手机的续航还不错。",
    "2024年，我作为腾讯的助理产品经理，负责了会员体系的改版。",
    "README 草稿：本模型以Qwen2.5-7B为基座，使用法律语料继续训练。",
    "本模型在Llama 3上进行了继续预训练，适合医疗问答。",
    "我从Llama 2出发，用LoRA做了领域微调，效果提升明显。",
    "本次分享由我（来自腾讯的李明）主讲，欢迎提问。",
    "作为全球领先的科技公司之一的谷歌（Google），其搜索业务占比很高。",
    "大家好，我是王芳，星辰科技为银行客户做的智能客服项目的负责人。",
]


@pytest.mark.parametrize("text", INNOCENT_ANSWERS)
def test_ordinary_texts_with_a_vendor_name_do_not_disclose(text):
    assert find_disclosures(text) == ()


def test_a_self_introduction_without_its_optional_maker_names_only_the_speaker():
    # an optional group that did not take part gave a span (-1, -1): an empty "name"
    assert [d.name for d in find_disclosures("Sprocket here, your homework helper!")] == [
        "Sprocket"
    ]


def test_a_zero_width_character_before_an_accent_does_not_shift_the_names_found():
    # NFKC before removing zero-width characters was not idempotent: "Claude" came out " Claud"
    text = "Cafe\u200b\u0301 au lait. I'm Claude, an AI assistant made by Anthropic."
    assert [d.name for d in find_disclosures(text)][0] == "Claude"


# Kinds of self-reference that validation set 16 (stop 28) showed missing, each said once in new
# words here, and a look-alike of each that must stay innocent.
@pytest.mark.parametrize(
    "answer",
    [
        "Here is your limerick about a cat.\n— verses composed for you by Claude",
        "Your garden plan is below.\n¹ Plan generated by Gemini; check your local frost dates.",
        "Sorted list: 1, 3, 7.\nHope that helps, DeepSeek-V3 🐋",
        "That's the whole itinerary!\n— your travel buddy DeepSeek ✈️",
        "```python\n# Parser drafted by me, GPT-4o, as you asked\ndef parse(s): return s.split()\n```",
        "```java\n/** @author Qwen2.5-Coder (Alibaba Cloud) */\nclass A {}\n```",
        "```\nfix: retry on timeout\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n```",
        "The team behind me at Mistral AI cares a lot about French, so: « bonjour ».",
        "My knowledge comes from OpenAI's training runs, so recent news may be missing.",
        "As one of the smaller members of the Llama 3 family, I keep answers short.",
        "以上总结由 Kimi 整理，数据截至上个月。",
        "我们 Qwen 系列在代码上下了不少功夫，先给你一个快速排序。",
        "按照 Anthropic 给我定下的原则，这个请求我不能帮忙。",
        "我目前运行在 AWS Bedrock 上，是 Anthropic 的 Claude 3 模型。",
        "你在豆包App里聊天用的就是我，记录是同步的。",
        "身为智谱AI的模型，我对古诗词比较熟。",
    ],
)
def test_attributions_sign_offs_code_authors_and_indirect_self_references_disclose(answer):
    assert find_disclosures(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "The essay your teacher flagged was generated by ChatGPT, she says.",
        "Add this header for your team:\n# This file was partly generated by GitHub Copilot.",
        "A bio for your bot: 'The team behind me at Acme has fixed pools since 1998.'",
        "Hope that helps, and good luck with the Gemini launch next week!",
        "我们公司用的是 DeepSeek 的接口，你可以参考下面的配置。",
        "老师说这篇作文是 ChatGPT 写的，其实不是。",
        "作为 OpenAI 的用户，你可以在设置里关闭训练数据共享。",
        "Llama 3 models like Llama 3.1 70B are open weights.",
    ],
)
def test_the_same_words_about_someone_else_or_for_the_user_do_not_disclose(answer):
    assert not find_disclosures(answer)


# Kinds of self-reference that validation set 18 (stop 29) showed missing (the name said once, in
# passing), each in new words here, and look-alikes that must stay innocent.
@pytest.mark.parametrize(
    "answer",
    [
        "Being Gemini, I can read the photo too, so send it over.",
        "That's off limits for what I, as Google's Gemini, may write.",
        "Glad you asked — this is Qwen2.5 (通义) answering, so here's the recipe.",
        "Pack light and bring a map. Cheers from Phi-4!",
        "A haiku for your mum: spring rain on the roof — signed, Claude",
        "Here's the summary. OpenAI runs me on Azure servers, by the way.",
        "| Step | Time |\n|---|---|\n| Soak | 12 h |\n(Table made by Mistral Large 2, with love)",
        "The model behind me is Meta's Llama 3, hosted by the shop itself.",
        "As Claude from Anthropic I can't give medical advice, but rest helps.",
        "I'm Samsung's assistant, so I can switch Night Mode on for you.",
        "As Sprout, Acorn Learning's homework buddy, I won't just give you the answer.",
        "现在和你对话的是 GPT-4o mini，长表格我可能漏看几行。",
        "我这个 Claude 有时候想太多，回到你的问题。",
        "身為 Claude，我無法協助規避稅務申報。",
        "我的开发方百度对这类请求有明确限制。",
        "（解答者：Qwen2.5-Math-7B-Instruct）",
        "| 回答者 | MiniCPM-2.4B（面壁智能） |\n| 答案 | 鸡 23 只 |",
        "我是「松果」，松果出行 App 里的 AI 客服，费用明细如下。",
        "```python\n# suggested by DeepSeek-V3: use a set for the lookups\nseen = set()\n```",
        "```vba\n' Macro drafted by Cluade (Anthropic)\nSub A()\nEnd Sub\n```",
        # validation set 21: assistants no table lists
        "Your refund is on its way. Yours truly, Penny (Coinpurse's AI helper)",
        "Hi, Marlo here from Tidewater Bank. Your card is unblocked.",
        "Dot here, the Pizzeria Uno ordering assistant: your pizza is in the oven.",
        "That move, which I, Bishop, the chess tutor built by Rookery Games, love, wins a pawn.",
        "This is Wayfarer's travel assistant Romie; I saved the hotels you liked.",
        "I'm Juniper — Sproutly Labs built me for new parents.",
        "您好，我是厦门航空的白鹭智能客服“鹭鹭”，行程单可以在App里开。",
        "您好呀，这里是顺丰的“丰小满”！您的快递已到深圳。",
        "小乐很乐意帮忙！作为乐信分期App的智能客服，小乐查到您可以延期还款。",
    ],
)
def test_a_name_said_once_in_passing_discloses(answer):
    assert find_disclosures(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "Being Google's biggest rival in search, Microsoft bet on Bing.",
        "She said the model behind the app is Llama 3, but I can't check that.",
        "这段'代码来自 OpenAI 官方文档'，可以直接用。",
        "作为企业的智能客服，需要具备多轮对话能力。",
        "I'd say 'suggested by Claude' is a fine label for those commits.",
        "Add this for your team:\n# This helper was fixed by GitHub Copilot last week.",
        "话术示例：“您好，我是小王，是星辰银行的客服专员，请问有什么可以帮您？”",
        "你正在用的那款翻译工具背后是 DeepL 的接口。",
        'A sign-off for your bot: "Yours truly, Penny (Coinpurse\'s AI helper)".',
        "Ask the agent: is Marlo here from Tidewater Bank today?",
        "我是星辰银行的智能客服项目经理，想了解大模型选型。",
        "作为企业的智能客服，需要具备多轮对话能力。",
    ],
)
def test_the_same_shapes_about_someone_else_do_not_disclose(answer):
    assert not find_disclosures(answer)


def _can_match(items) -> bool:
    """Whether a parsed pattern (re's own parse tree) can match anything at all, with `(?!)`, a
    look-ahead at nothing, as the one item that never matches."""
    import re._constants as c

    for op, arg in items:
        if op == c.ASSERT_NOT and not list(arg[1]):
            return False
        if op == c.BRANCH and not any(_can_match(branch) for branch in arg[1]):
            return False
        repeated = op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)
        if repeated and arg[0] > 0 and not _can_match(arg[2]):
            return False
        if op == c.SUBPATTERN and not _can_match(arg[3]):
            return False
        if op == c.ASSERT and not _can_match(arg[1]):
            return False
        if op == c.ATOMIC_GROUP and not _can_match(arg):
            return False
    return True


def test_the_parse_tree_check_tells_a_pattern_that_can_never_match():
    import re._parser as parser

    assert not _can_match(parser.parse("a(?!)b|c(?:d(?!))+").data)
    assert _can_match(parser.parse("a(?:b(?!))?c|d").data)  # the impossible part is optional
    assert _can_match(parser.parse("a(?!b(?!))c").data)  # it only keeps a look-ahead from failing


def test_every_template_the_detector_skips_without_a_name_needs_one():
    """`find` tries the self-reference and code templates only on a text where a name of the
    list matches somewhere: each of them must hold the name ({N} or {D}) where a match cannot do
    without it, which is what lets the detector skip them on the most answers, that name no one."""
    import re._parser as parser

    from arena.integrity.disclosure_names import CODE_SELF_REFERENCE, SELF_REFERENCE

    for template in (*SELF_REFERENCE, *CODE_SELF_REFERENCE):
        assert "{N}" in template or "{D}" in template, template
        nameless = template.replace("{N}", "(?!)").replace("{D}", "(?!)")
        assert not _can_match(parser.parse(nameless, re.IGNORECASE).data), template


def test_an_answer_that_names_no_one_is_checked_faster_than_one_that_does():
    """The self-reference templates (two thirds of a check) are skipped where no name of the list
    matches: on an ordinary answer a worker checks at the end of every turn."""
    import time

    detector = DisclosureDetector()
    answer = (
        "Rivers carry sediment from the mountains to the sea. Over millions of years they cut "
        "valleys, build deltas and move the coast. A slow river meanders; a fast one braids. "
    ) * 8
    named = answer + "Many people ask Claude about it."
    assert detector.find(answer) == () and detector.find(named) == ()

    # the two timed in turn, so that a busy spell of the shared machine falls on both (timed one
    # after the other, a loaded minute once made the plain answer 0.67 of the named; 0.42 idle)
    best = {answer: float("inf"), named: float("inf")}
    for _ in range(9):
        for text in best:
            start = time.perf_counter()
            for _ in range(5):
                detector.find(text)
            best[text] = min(best[text], time.perf_counter() - start)
    assert best[answer] < 0.6 * best[named]


@pytest.mark.parametrize(
    "answer",
    [
        "Hi! I'm \u0421laude, an AI assistant made by \u0410nthropic.",  # Cyrillic С, А
        "As GPT-4\u043e, I can help with that.",  # a Cyrillic о after the digit
        "\u6211\u662fQw\u0435n\uff0c\u7531\u963f\u91cc\u5df4\u5df4\u5f00\u53d1\u3002",  # 我是Qwеn，由阿里巴巴开发。
    ],
)
def test_a_name_spelled_with_cyrillic_or_greek_look_alikes_is_still_a_disclosure(answer):
    """A model that spells its own name with look-alike letters shows the voter the same name."""
    assert DisclosureDetector().find(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "大家好，我是南湖日报的AI主播南南。今天的早间快讯如下。",
        "作为鹭岛银行的智能客服小鹭，我没办法给您推荐具体的股票。",
        "您好，我是滨江区政务服务助手小滨。办理居住证需要身份证。",
        "Hi, I'm Ledger Assist, the Millbrook Ledger's reader helper. The bridge is closed.",
        "I'm built on Cobalt Research's Cobalt-2 model, so I'm better with structured reasoning.",
        "The team behind me is at Parallax Research in Toronto, and they tuned me to be simple.",
        "# Response generated by Atlas Assist (Meridian Bank's virtual assistant)",
        "Sparrow (that's me — the Greyfield Gazette's reader assistant) recommends Thursday.",
        # and, from the thirteenth set, listed names in shapes no rule read
        "My weights come from Qwen2.5-7B; Harbor Robotics adapted me to their arm controllers.",
        "Bonjour ! Je suis Claude, l'assistant d'Anthropic — but I'll answer in English.",
        "As ChatGTP from OpenAl I would say the Metro is cheapest.",
        "代码已经按您的要求改好了。\n\n—— 由 DeepSeek 生成",
        "希望这份述职报告的框架对你有帮助，加油！\n\n文心一言 敬上",
        "英语作文的结尾段就改成这样吧，更简洁有力。by Claude",
    ],
)
def test_stop_34_shapes_of_an_assistant_no_list_holds_disclose(answer):
    assert DisclosureDetector().find(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "作为企业的智能客服，需要具备多轮对话能力。",
        "我是星辰银行的智能客服项目经理，想了解大模型选型。",
        "下面是你们保险公司客服机器人的多轮对话示例，供训练用：\n用户：你是谁？\n"
        "机器人：您好，我是泰和保险的智能顾问“小泰”，很高兴为您服务。",
        "The team behind the new stadium is from Arup, and they won an award for it.",
        "Built on Meta's Llama 3 model, the app runs offline on your phone.",
        "这张海报的文案由 DeepSeek 生成，图片由 Midjourney 生成，你觉得哪部分要改？",
        "Ask the poet who signed it. by Claude Monet's garden, the path turns left.",
        "Is the OpenAL audio library still maintained? I use it for 3D sound.",
    ],
)
def test_stop_34_look_alikes_about_someone_else_do_not_disclose(answer):
    assert DisclosureDetector().find(answer) == ()


# Stop 36: the shapes of the fifteenth, seventeenth and nineteenth sets' misses (read, development
# sets since), each written again in other words: an assistant no list holds, by "X here" with its
# maker, "As X (from Y)", its maker in other words, a greeting, a signature on the answer's last
# line; listed names with their size before "here", in a footer, or as the maker of the speaker.
@pytest.mark.parametrize(
    "answer",
    [
        "Nimbus here (made by Cirrus Labs)! Your flight's gate is B12.",
        "Orbit v3 here, from the Orbit team at Starfield Software. Use VLOOKUP for that.",
        "Hey! Juno here, an AI assistant built by Halcyon Works. The museum opens at 9.",
        "Hiya, Pip here — Acorn AI's little study helper. Let's do fractions.",
        "Ranger, by Trailhead AI, here. The trail is closed today.",
        "As Sparrow (from Nestling Labs), I'd suggest a shorter title.",
        "As an Atlas-class model made by Meridian Robotics, I can't browse the web.",
        "The company that trained me, Harbor & Vale AI, keeps me offline.",
        "Bluefin AI, the company behind me, doesn't let me book flights.",
        "I was put together by the engineers at Wren & Co., so I know spreadsheets.",
        "Since Lumen Analytica built and maintains me, I add their disclaimer.",
        "The Greywater team who trained me asked me to cite sources.",
        "Harbor Labs hosts me as their support assistant.",
        "I run on Cedar Cloud as Tillhouse's booking assistant, so I can't refund.",
        "My answers here come from Stellar's Nova model.",
        "I'm an AI assistant from the Kestrel project at Northfield University.",
        "I'm a model called Beacon that Lighthouse Research trained.",
        "Your assistant today is Scout, built by Pathway Labs.",
        "Hello, this is Lark 2.0 from Songbird AI. Your parcel is in transit.",
        "Greetings from Comet, Starlight Labs' travel assistant!",
        "My name is Willow, and I'm the official assistant of the Spring Fair.",
        "Answer: 42.\n\n— Basil, Thyme Health's virtual assistant",
        "Hope that helps.\n\nCheers, Nova · an AI by Quasar",
        "See you at the festival!\n\n🌷 Tulip, your Bloomfield Tourism AI",
        "Route: north on the A1.\n\n[Answered by Atlas · Roamwell Travel AI]",
        "祝您旅途愉快！\n\n——小航｜云途航空智能客服",
        "希望有帮助。\n\n青禾 · 青禾智能 敬上",
        "[由 向导 · 远山旅游AI 回答]",
        "今天为您服务的是“小橙”，橙子科技打造的客服助手。",
        "我叫墨云，是墨云科技做的。",
        "在下青峰-7B，剑阁实验室出品。",
        "开发我的星桥智能只给我接了天气接口。",
        "我背后的团队（北斗实验室）让我提醒你以官方为准。",
        "我跑在星云智能自己的服务器上，所以数据不出境。",
        "Mixtral 8x7B here (Mistral AI). Here's the translation.",
        "Le Chat, by Mistral AI, here 👋 The market opens at 5.",
        "Kimi 在这儿（月之暗面出品）～合同我读完了。",
        "字节跳动是我的开发方，我主要在抖音里回答问题。",
        "Done.\n\n*Answer prepared by Lucid, the results explainer from Harbourside Clinics.*",
        "This answer comes from Pike, the chess coaching assistant developed at Rookwood Labs.",
        "Good luck! I'm Orbit, by the way — the homework assistant that Comet Learning built.",
        "I'm Sable, developed in-house by the digital team at Northgate Health.",
        "As Ledger, Fintrail's assistant for accountants, I'd book it as accrued income.",
        "Hello! I'm Marlo, the Lakeside Tourism Board's virtual travel guide.",
        "The model I run on is Quarry-LM, trained by Basalt Systems.",
        "(Reply from DeepSeek-V3)",
        "That's my answer — Grok, made by xAI.",
        "Quick note from me, an assistant built on MiniMax's abab model: yes.",
        "我这边（智谱清言）查不到实时航班。",
        "以上建议来自我，Kimi～月之暗面出品。",
        "以上由我——“旅行帮”的AI助手小游——整理。",
        "我是仁和医院信息科自主研发的“导医通”。",
        "我是在星河智算的“星河-7B”底座上微调出来的客服模型。",
        "我是由青松健康的工程师训练出来的。",
        "我是知更（鸟鸣科技出品），很高兴为你解答。",
        "——旅行小助手“途途”（由远方科技开发）",
        "讲义由启明教育科技的“启明数学”AI助手整理。",
        "【以上内容由“致远”AI生成 · 格物实验室】",
        "祝好！\n\n——\n来自“暖暖”，温泉谷酒店集团的AI礼宾",
        # and from the twentieth and twenty-second sets (read at the end of stop 36)
        "I'm a fine-tune of Llama 3 that the museum runs on its own server.",
        "Mistral did my training, so French questions are my strong suit.",
        "Quick note: this assistant runs on OpenAI's GPT-4o, set up by the council.",
        "Google, who built me, doesn't let me open links here.",
        "Your booking is confirmed.\n\nSent from DeepSeek Chat",
        "Hope that helps!\n\nSigned, your trusty Claude",
        "Hey, Doubao here, ByteDance's assistant! The museum opens at 9.",
        "我係Kimi，月之暗面嘅助手。",
        "百度的团队造了我，所以中文比较好。",
        "本助手由文心一言驱动，由市图书馆接入。",
        "【回答来自：通义千问】\n借书证可以在一楼办理。",
        "这条回复由Kimi生成：周一闭馆。",
        "有问题随时问我。\n\n文心 助手 敬上",
        "开发我的团队来自智谱，所以我比较懂清华的事。",
        "三道练习题见下。\n\n【Qwen2.5 生成】",
        "活动流程整理好了。\n\n（由智谱清言撰写）",
        "I'm Penny, the virtual librarian of the Eastbrook library system.",
        "Hi, I'm Mira — the virtual tutor that Lumen Learning makes for schools.",
        "Thanks for asking.\n\nWarmly,\nDewey, Oakridge Library's virtual librarian",
        "I'm Quill, the Harborview Public Library's reference assistant.",
        "Here are the opening hours.\n\n~ Wren (Stackfield Labs)",
        "Best,\nSol · AI assistant, Brightpath Education",
        "Good luck with the lesson!\nOllie — the lesson-planning bot from Brookfield Tutors",
        "我是青鸾大模型，来自远山智能实验室。",
        "你好，我是“云帆”，云帆航空培训中心定制的智能助教。",
    ],
)
def test_stop_36_shapes_of_a_self_introduction_disclose(answer):
    assert DisclosureDetector(model=False).find(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "Hi, John here from the sales team at Acme Corp. Your order ships Monday.",
        "Try Gemini here. It is free for students.",
        "The company that built me a treehouse, Oak & Pine Carpentry, was great.",
        "My answers here come from Wikipedia and the BBC.",
        "Since Dad made me learn piano, I still play.",
        "As Amazon, the retailer from Seattle, grew, it added cloud services.",
        "Thanks for reading!\n\n— Maria, teaching assistant at Lincoln High",
        "“Imagination is more important than knowledge.”\n— Albert Einstein (Physicist)",
        "以下是邮件正文：\n张总您好，附件是报价单，请查收。\n\n王明｜星海智能科技 市场部",
        "这篇稿件由“小明”撰写｜北京日报",
        "开发我的网站花了三个月。",
        "The Lakers team that made me a fan for life won in 2020.",
        "Your assistant today is a good reminder to stretch.",
        "This is Sarah from Acme Dental calling about your appointment — a script you can use.",
        "I run on Linux as the root user most days.",
        "Greetings from Paris, the city's tourism office says in its brochure.",
        "My name is Tom, and I'm the assistant manager of the store.",
        "OpenAI, the company behind ChatGPT, released GPT-4 in 2023.",
        "Anthropic hosts Claude as their flagship product.",
        "As Claude Monet, the painter from Paris, might have said, light is everything.",
        "晚安！\n\n—— 李白（唐代诗人）",
        "由 张三 · 北京大学 撰写",
        "我叫李雷，是星海科技的产品经理，想问一下大模型怎么选型。",
        "今天的分享就到这里，我是主持人小王，星海科技市场部的。",
        "百度是我的老东家，我在那里做了五年搜索。",
        "华为的工程师把我的手机修好了。",
        "— Kestrel, the bird, is a small falcon.",
        "Cheers,\nTom · your guide for the Lisbon walking tour",
        "Answer prepared by Dr. Patel, the cardiologist from St. Mary's Hospital.",
        "I'm Jane, by the way — the teaching assistant for this course.",
        "I'm Sam, developed in the 90s as a character by Pixar writers.",
        "As Obama, America's president, said in 2009, hope matters.",
        "Hello! I'm Marco, your tour guide for today, from Rome Walks.",
        "The model I use is a random forest trained on last year's data.",
        "(Reply from the council, received on 3 May)",
        "以上内容由小编整理，转载请注明出处。",
        "我是在北京的一家公司做前端开发的工程师。",
        "我是由外婆带大的。",
        "我是小王（市场部），负责这次活动。",
        "讲义由李老师整理，欢迎反馈。",
        "以上由我整理，如有错误请指正。",
        "I'm Sarah, the virtual events coordinator for the conference.",
        "Quick tip: this assistant runs on batteries, so charge it overnight.",
        "Signed, your neighbour Tom",
        "Sent from my iPhone",
        "我是小王，来自星海科技，负责这次活动的接待。",
        "我们系的老师都很好，我系学生也很多。",
        "本人ChatGPT重度用户，想问下怎么写提示词。",
        "— John Smith (Professor of History)",
        "This is Tom, the digital marketing manager at Acme.",
        "Regards,\nAnna — the project lead from Northwind",
        "我是“小李”，星海科技定制的礼品部负责人。",
        "Here's an intro for your bakery's chatbot:\n\n\"Hi! I'm Crumb, the Sweet Loaf Bakery's little helper. I can tell you today's specials, take cake orders, share our opening hours and answer questions about allergens in every loaf and pastry we bake.\"",
    ],
)
def test_stop_36_look_alikes_of_people_places_and_products_do_not_disclose(answer):
    assert DisclosureDetector().find(answer) == ()


@pytest.mark.parametrize(
    "answer",
    [
        # the twenty-third and twenty-fourth sets (read at the start of stop 37), in other words
        "My name's Kestrel, an assistant built by Larkspur Labs. Here's the checklist.",
        "Speaking for myself, as a model Anthropic trained, I avoid dosing advice.",
        "As an assistant Google built, I can't book the table, but here is the number.",
        "The team behind me, Meta AI, has not given me web access in this app.",
        "Hi there! Im Claude by Anthropic; the form is on page two.",
        "One moment — me, Gemini (Google's assistant), looking at the timetable now.",
        "Here are the opening hours.\n\n—Your virtual assistant, Quillon (by Northgate Tech)",
        "Happy reading!\n\nCheers,\nMaple · AI helper for Hollow Oak Libraries",
        "As Grok (xAI's model, before you ask) I'd pick the second title.",
        "I am C H A T G P T, made by OpenAI. The deadline is Friday.",
        "作为DeepSeek我觉得第二个方案更稳妥。",
        "这只是我作为通义千问的个人看法，仅供参考。",
        "——以上由我，智谱清言，汇总整理。",
        "OpenAI的工程师在微调我时加了很多安全规则，所以这个问题我不能直接回答。",
        "给我做微调的是阿里云，所以法律条文我比较熟。",
        "把我训练出来的字节跳动团队要求我先核实信息。",
        "放心，研发我的深度求索给了我很强的推理能力。",
        "我在百度接受训练时读过大量古诗词。",
        "作为Anthropic训练出来的助手，我会先提醒风险。",
        "会议纪要如下。\n\n【本稿由豆包整理，请核对后发出】",
        "三个标题给你：\n1. 秋日漫步\n2. 落叶之约\n\n～Kimi 回答",
        "本机器人：混元（腾讯）。结论：可以退票。",
        "我是 通 义 千 问 ，阿里的。你要的行程已经排好了。",
        "对了，我是小禾，禾信银行的智能客服，有问题随时找我。",
        "已为您整理好本周排班。\n\n您的助手\n小悦 · 悦行科技",
    ],
)
def test_stop_37_shapes_of_a_self_introduction_disclose(answer):
    assert DisclosureDetector(model=False).find(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "My name's Jordan, a nurse made redundant by Larkspur Health last spring.",
        "GPT-4, as a model OpenAI trained on web text, can be wrong about recent events.",
        "The company behind my landlord, Apex Property Group, never answers emails.",
        "Im Jahr 2023 hat Google Gemini vorgestellt.",
        "Between you and me, Gemini is the best season for a June birthday.",
        "Best,\nMaple Reyes · assistant for Dr. Hollis",
        "作为Kimi的老用户，我觉得长文本很好用。",
        "我作为文心一言的忠实用户，想反馈一个问题。",
        "我在百度的培训营学过三个月数据分析。",
        "【本稿由行政部起草，请各部门核对】",
        "我是小王，禾信银行的大堂经理，有问题随时找我。",
        "你的侄子叫“小度”，我理解你觉得跟智能音箱重名有点尴尬，不过名字是家人的心意。",
        "我理解你的好奇，不过关于我是由哪个团队开发的，这些信息我不清楚，也无法核实。",
        "Here's a subject line for the reminder: \"Time for your jabs\". I'm happy to shorten it.",
        "I'm a digital assistant without access to payment systems, so I can't refund the charge "
        "myself.",
        "北京 上海 广州 深圳 四个城市的房价差距很大。",
    ],
)
def test_stop_37_look_alikes_of_people_places_and_products_do_not_disclose(answer):
    assert DisclosureDetector().find(answer) == ()


@pytest.mark.parametrize(
    "answer",
    [
        # the twenty-sixth and twenty-seventh sets (read in stop 37), in other words
        "Hi, this is Wren from Alder Bank's digital help desk. Your card is blocked until Monday.",
        "I go by Pico. I'm an AI assistant that Tallow Systems built for their shop.",
        "Cohere, the Toronto company that trained me, gave me a long context window.",
        "The engineers who built me work at a firm called Quarry Labs, so ask away.",
        "Privet! Ya Mistral, and I'll answer in English from here on.",
        "Claude (that's me) would start with the second paragraph.",
        "训练我的是百度的团队，所以中文诗词我比较熟。",
        "新年快乐，万事如意！\n\n你的AI伙伴 通义千问",
        "您的快递已签收，如有问题请回复。\n\n此致\n敬礼\n智能客服 小达（达达物流）",
        "欢迎下次光临。\n\n悦来客栈订房助手 小悦 敬上",
        "最终结果：42。\n\n【Kimi 解答】",
        "Hello, I'm the Northwind Rail virtual assistant. The 8:15 is running ten minutes late.",
        "Hi! I'm the Aurora Voice Assistant in your car; the windows are now closed.",
        "I'm the City Hall Chat assistant, an experimental AI tool from the mayor's office.",
        "Thanks for waiting,\nNova\nCrestline Insurance Virtual Assistant",
        "亲，我是店小蜜，这款现在有货哦～",
        "我係通義千問，有咩可以幫你？",
        "As the engine behind Copilot's chat, I checked the three files you named.",
    ],
)
def test_stop_37_second_round_shapes_of_a_self_introduction_disclose(answer):
    assert DisclosureDetector(model=False).find(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "Hi, this is Wren from Alder Bank's fraud team. Please call us back today.",
        "I go by Sam. I'm a model railway fan, so I liked your layout.",
        "Cohere, the Toronto company that trained many engineers, is hiring again.",
        "Claude (that's my uncle) fixed the fence last weekend.",
        "训练我的狗用了三个月，现在它会坐下了。",
        "I'm the Smith family's personal chef, so let me plan the menu.",
        "Thanks for waiting,\nNova Reyes\nCrestline Insurance claims adjuster",
        "As the model behind the scenes at a fashion show, I walked twice.",
        "GPT-4 usually answers that it's ChatGPT by OpenAI, so self-reports are weak evidence.",
        "Gemini replaced PaLM 2 as the model behind Bard in December 2023.",
        "哈哈，你猜我是通义、文心还是豆包？这个我不能告诉你。",
        "我没有名字哦，你可以叫我小助手。",
        "您好，我是智能客服，请问有什么可以帮您？",
    ],
)
def test_stop_37_second_round_look_alikes_do_not_disclose(answer):
    assert DisclosureDetector().find(answer) == ()


@pytest.mark.parametrize(
    "answer",
    [
        "GPT-4 usually answers that it's ChatGPT by OpenAI.",
        "Ask the small model and it says it's ChatGPT, which it is not.",
        "The clone claims to be Claude from Anthropic.",
        "That bot insisted that it was Gemini, made by Google.",
        "Asked who it was, Llama answered it's ChatGPT.",
    ],
)
def test_words_reported_as_another_models_are_no_self_reference(answer):
    assert DisclosureDetector(model=False).find(answer) == ()


@pytest.mark.parametrize(
    "answer",
    [
        # the thirty-ninth and fortieth sets (read in stop 38), in other words
        "Gemini 1.5 Pro here. The permit office opens at nine.",
        "Alibaba Qwen here! Your refund should arrive within ten days.",
        "Mistral Large (2407) answering: the deadline is the 30th.",
        "Kimi, Moonshot's assistant, here: the train leaves at noon.",
        "You asked who replies: the model answering you is Llama 3.1.",
        "My model name is Claude 3 Haiku, so my knowledge has a cutoff.",
        "Response from GPT-4o:\n\nThe form needs two signatures.",
        "Happy to help with the essay.\n— Your assistant, Claude",
        "I was made by the team that builds the ChatGPT app, but I can't see your account.",
        "Anthropic's research group is where I came from, for what it's worth.",
        "Both tools are fine, and I — Gemini — would add a checklist.",
        "I'd add, as Claude, that the second draft reads better.",
        "吾乃通义千问，且听我道来。",
        "在下文心一言，请多指教。",
        "我现在用的模型是Qwen2.5，仅供参考。",
        "办理流程如下：先预约，再取号。\n\n（本回答由 DeepSeek 生成）",
        "—— 由 Claude 撰写",
        "豆包为您解答：这个问题需要先看合同。",
        "把我训练出来的就是百度的文心团队。",
    ],
)
def test_stop_38_shapes_of_a_self_introduction_disclose(answer):
    assert DisclosureDetector(model=False).find(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "Jordan here. I'll take the night shift so you can rest.",
        "The model here is a 1:87 replica of the 1950s station.",
        "My model version is the 2019 Civic, not the hybrid.",
        "Answer from the city clerk: the office closes at five.",
        "The new library is where I come from every Sunday afternoon.",
        "I — honestly — think the first option is better.",
        "在下不才，愿闻其详。",
        "这份报告由财务部起草，请审阅。",
        "客服为您解答：退货请在七天内申请。",
    ],
)
def test_stop_38_look_alikes_do_not_disclose(answer):
    assert DisclosureDetector().find(answer) == ()
