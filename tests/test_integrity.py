import pytest

from arena.integrity import find_disclosures, find_probes


@pytest.mark.parametrize(
    "answer",
    [
        "I am ChatGPT, a large language model trained by OpenAI.",
        "Hello! I'm Claude, an AI assistant made by Anthropic.",
        "I was trained by Google.",
        "你好，我是通义千问，由阿里云开发的超大规模语言模型。",
        "我是文心一言，百度研发的知识增强大语言模型。",
        "我是豆包，由字节跳动开发的AI助手。",
        "我是智谱清言，基于GLM-4模型。",
        "我是Kimi，由月之暗面科技有限公司开发。",
        "我是讯飞星火认知大模型。",
        "我是DeepSeek，深度求索公司开发的模型。",
        "I am a language model developed by Meta.",
    ],
)
def test_self_introductions_disclose_identity(answer):
    assert find_disclosures(answer), answer


@pytest.mark.parametrize(
    "answer",
    [
        "You can search on Google for the latest figures.",
        "A meta-analysis combines the results of several studies.",
        "Yield curves slope upward when long rates exceed short rates.",
        "北京是中国的首都，有三千多年的历史。",
        "The generalized linear model (GLM) extends linear regression.",
        "Apple pie needs apples, butter, flour and sugar.",
    ],
)
def test_ordinary_answers_do_not_disclose_identity(answer):
    assert find_disclosures(answer) == ()


def test_roster_names_count_as_disclosures():
    found = find_disclosures("As smollm2-135m-precise I think...", ["smollm2-135m-precise"])
    assert [d.name for d in found] == ["smollm2-135m-precise"]


def test_disclosure_keeps_its_evidence():
    (first, *_) = find_disclosures("Well, I am ChatGPT and happy to help.")
    assert first.name == "ChatGPT"
    assert "I am ChatGPT" in first.evidence


@pytest.mark.parametrize(
    "prompt",
    ["Who are you?", "which model are you", "What is your name?", "你是谁", "你是哪个模型？",
     "你是哪家公司开发的", "请介绍一下你自己"],
)  # fmt: skip
def test_identity_probes_are_found(prompt):
    assert find_probes(prompt)


@pytest.mark.parametrize("prompt", ["Who wrote Hamlet?", "写一首关于秋天的诗", "Explain TCP."])
def test_ordinary_prompts_are_not_probes(prompt):
    assert find_probes(prompt) == ()
