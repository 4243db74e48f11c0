import re

from arena.domain.reasons import Reason
from arena.domain.verdicts import Verdict
from arena.i18n import LANGUAGES, STRINGS, failure_text, language_from_header, translate
from arena.ports import FAILURE_MESSAGES

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_language_has_exactly_the_same_keys():
    english = set(STRINGS["en"])
    for language in LANGUAGES:
        assert set(STRINGS[language]) == english, language


def test_translations_use_the_same_placeholders():
    for key, text in STRINGS["en"].items():
        assert set(PLACEHOLDER.findall(STRINGS["zh"][key])) == set(PLACEHOLDER.findall(text)), key


def test_every_verdict_and_reason_has_a_label():
    for verdict in Verdict:
        assert translate("zh", verdict.value)
    for reason in Reason:
        assert translate("zh", f"reason_{reason.value}")
        assert translate("en", f"reason_{reason.value}")


def test_chinese_strings_are_chinese():
    assert translate("zh", "tie") != translate("en", "tie")
    assert "平局" in translate("zh", "tie")


def test_the_browser_language_chooses_the_default():
    assert language_from_header("zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert language_from_header("en-US,en;q=0.9") == "en"
    assert language_from_header("fr-FR,zh-TW;q=0.5") == "zh"
    assert language_from_header(None) == "en"


def test_every_failure_message_is_said_again_in_each_language():
    """Regression: a failed model's message reached a Chinese page in English."""
    for kind, english in FAILURE_MESSAGES.items():
        message = english.format(seconds="30")
        assert failure_text("en", message) == message
        chinese = failure_text("zh", message)
        assert chinese == translate("zh", f"failure_{kind}", seconds="30") != message
        assert not re.search("[A-Za-z]", chinese), chinese
    assert failure_text("zh", "an answer's own text") == "an answer's own text"


def test_when_both_models_failed_the_status_says_both_in_each_language():
    """The status named Model A alone while both chats showed an error (which side fails
    first is a race: the first failure stops the other side, so a page test cannot choose)."""
    from types import SimpleNamespace

    from arena.domain.battle import Mode
    from arena.web.ui.chat_panel import ChatPanel, PanelState

    panel = SimpleNamespace(mode=Mode.ANONYMOUS)
    error, empty = STRINGS["en"]["failure_error"], STRINGS["en"]["failure_empty"]
    both = PanelState(shows="failed", failed=(("A", error), ("B", empty)))
    said = {lang: ChatPanel._status_text(panel, lang, both) for lang in ("en", "zh")}
    assert said["en"].startswith("⚠️ Both models failed (A: ")
    assert said["zh"].startswith("⚠️ 两个模型都出错了（A：")
    for lang in ("en", "zh"):
        assert STRINGS[lang]["failure_error"] in said[lang]
        assert STRINGS[lang]["failure_empty"] in said[lang]
    one = PanelState(shows="failed", failed=(("A", error),))
    assert ChatPanel._status_text(panel, "en", one).startswith("⚠️ Model A failed: ")
