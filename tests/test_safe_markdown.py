"""to_safe_markdown: everything that would make the browser load a resource or restyle the page is
shown as text or turned into a link; ordinary Markdown, code and Chinese text stay as they are.

The output is read back with markdown-it with raw HTML allowed (a CommonMark renderer other
than the one in the browser), to check what a reader would get: the elements, and the text.
"""

import html
import inspect
import re
import time
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from arena.web.ui.safe_markdown import KEPT_TAGS, to_safe_markdown, to_verbatim_markdown

PIXEL = "http://127.0.0.1:9/p.gif"
RENDERER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# Elements and attributes that fetch something or change the look of the page.
LOADING_TAGS = {
    "img", "picture", "source", "video", "audio", "iframe", "frame", "frameset", "object",
    "embed", "link", "style", "svg", "image", "math", "base", "meta", "track", "script",
    "input", "body", "table", "marquee", "font", "template", "textarea",
}  # fmt: skip
LOADING_ATTRIBUTES = {
    "src", "srcset", "style", "background", "poster", "data", "href", "xlink:href", "action",
    "formaction", "lowsrc", "dynsrc", "imagesrcset", "class", "id",
}  # fmt: skip
MARKDOWN_OWN = {"a": {"href", "title"}, "code": {"class"}, "td": {"style"}, "th": {"style"}}


class Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        table = tag in ("table", "thead", "tbody", "tr", "td", "th")
        if tag in LOADING_TAGS and not table:
            self.found.append(f"<{tag}>")
        for name, _ in attrs:
            if name in LOADING_ATTRIBUTES and name not in MARKDOWN_OWN.get(tag, ()):
                self.found.append(f"<{tag} {name}>")

    def handle_comment(self, data):
        self.found.append("<!--")

    def handle_pi(self, data):
        self.found.append("<?")

    def handle_decl(self, decl):
        self.found.append("<!")

    def handle_data(self, data):
        self.text.append(data)


def read(markdown: str) -> Elements:
    """As the frontend does: `$$` formulas set aside, Markdown rendered, formulas put back as
    escaped text (KaTeX then typesets them)."""
    formulas = re.findall(r"\$\$[\s\S]+?\$\$", markdown)
    rendered = RENDERER.render(re.sub(r"\$\$[\s\S]+?\$\$", "FORMULA", markdown))
    for formula in formulas:
        rendered = rendered.replace("FORMULA", html.escape(formula), 1)
    elements = Elements()
    elements.feed(rendered)
    elements.close()
    return elements


def loads_or_restyles(markdown: str) -> list[str]:
    return read(markdown).found


def shown(markdown: str) -> str:
    """The text a reader sees."""
    return html.unescape("".join(read(markdown).text)).strip()


def safe(text: str) -> str:
    out = to_safe_markdown(text)
    assert loads_or_restyles(out) == [], out
    assert to_safe_markdown(out) == out, "not a fixed point"
    assert inspect.cleandoc(out) == out, "gr.Chatbot would re-indent it"
    return out


# -- Markdown images become links -----------------------------------------------------------


def test_a_markdown_image_becomes_a_link_to_the_same_address():
    out = safe(f'Look: ![a cat]({PIXEL} "A title")')
    assert f'[a cat]({PIXEL} "A title")' in out
    assert RENDERER.render(out).count(f'<a href="{PIXEL}"') == 1


def test_an_image_without_alt_text_still_shows_something():
    out = safe(f"![]({PIXEL})")
    assert PIXEL in out and "<img" not in RENDERER.render(out)


def test_reference_images_in_every_form_become_links():
    out = safe(f"![full][r] ![collapsed][] ![r]\n\n[r]: {PIXEL}\n[collapsed]: {PIXEL}")
    assert out.count("&#33;[") == 3
    assert "<img" not in RENDERER.render(out)


def test_an_image_inside_a_link_leaves_only_the_link():
    out = safe(f"[![badge]({PIXEL})](https://example.com)")
    assert "<img" not in RENDERER.render(out)


def test_a_backslash_escaped_bang_stays_text():
    assert shown(safe(f"\\![not an image]({PIXEL})")).startswith("!")


# -- raw HTML is shown as typed -------------------------------------------------------------

HTML_VECTORS = {
    "img": f'<img src="{PIXEL}">',
    "img_unquoted": f"<img src={PIXEL}>",
    "img_upper_case": f"<IMG SRC={PIXEL}>",
    "img_slash_separator": f"<img/src={PIXEL}>",
    "img_srcset": f'<img srcset="{PIXEL} 2x" alt="x">',
    "img_unclosed": f"text <img src={PIXEL}",
    "picture_source": f'<picture><source srcset="{PIXEL}"><img alt="x"></picture>',
    "video_poster": f'<video poster="{PIXEL}" controls></video>',
    "audio": f'<audio src="{PIXEL}" autoplay></audio>',
    "iframe": f'<iframe src="{PIXEL}"></iframe>',
    "object": f'<object data="{PIXEL}"></object>',
    "embed": f'<embed src="{PIXEL}">',
    "stylesheet_link": f'<link rel="stylesheet" href="{PIXEL}">',
    "style_import": f"<style>@import url({PIXEL}); body {{ display: none }}</style>",
    "svg_image": f'<svg><image href="{PIXEL}" /></svg>',
    "input_image": f'<input type="image" src="{PIXEL}">',
    "table_background": f'<table background="{PIXEL}"><tr><td>x</td></tr></table>',
    "inline_style": f'<span style="background:url({PIXEL}); position:fixed">x</span>',
    "div_block": '<div style="color:red">\nwarning\n</div>',
    "body_background": f'<body background="{PIXEL}">',
    "comment": "<!-- hidden --> shown",
    "processing_instruction": "<?php echo 1; ?>",
    "doctype": "<!DOCTYPE html>",
    "cdata": "<![CDATA[ x ]]>",
}


@pytest.mark.parametrize("vector", HTML_VECTORS.values(), ids=HTML_VECTORS.keys())
def test_raw_html_that_loads_or_restyles_is_shown_as_typed(vector):
    out = safe(f"Before {vector} after")
    assert vector.replace("\n", " ") in shown(out).replace("\n", " ")


@pytest.mark.parametrize("vector", HTML_VECTORS.values(), ids=HTML_VECTORS.keys())
def test_raw_html_alone_on_its_lines_is_shown_as_typed(vector):
    safe(f"Intro\n\n{vector}\n\nOutro")


CONTEXTS = {
    "paragraph": "text {v} text",
    "heading": "# Title {v}",
    "setext_heading": "{v}\n===",
    "list": "- {v}\n  - {v}",
    "ordered_list": "1. {v}\n2) {v}",
    "task_list": "- [ ] {v}",
    "quote": "> {v}\n> > {v}",
    "deep_nesting": "> - 1. > * {v}",
    "table_cell": "| a | b |\n|---|---|\n| {v} | x |",
    "link_text": "[{v}](https://example.com)",
    "emphasis": "**{v}** and _{v}_ and ~~{v}~~",
    "after_a_hard_break": "line  \n{v}",
    "lazy_continuation": "> quote\n{v}",
    "after_code": "```\ncode\n```\n{v}",
    "chinese": "请看：{v}。谢谢！",
}
VECTORS = {"img": f"<img src={PIXEL}>", "image": f"![x]({PIXEL})", "style": '<b style="x">'}


@pytest.mark.parametrize("vector", VECTORS.values(), ids=VECTORS.keys())
@pytest.mark.parametrize("context", CONTEXTS.values(), ids=CONTEXTS.keys())
def test_vectors_are_neutralised_in_every_markdown_context(context, vector):
    safe(context.format(v=vector))


EVASIONS = {
    "tab_inside_the_tag": f"<img\tsrc={PIXEL}>",
    "nul_before_the_tag": f"\x00<img src={PIXEL}>",
    "svg_onload": "<svg/onload=alert(1)>",
    "nested_brackets_in_alt": f"![a [b] c]({PIXEL})",
    "angle_bracket_destination": f"![a](<{PIXEL}>)",
    "image_title_with_parens": f"![a]({PIXEL} (title))",
    "double_escaped_backslash": f"\\\\<img src={PIXEL}>",
    "tag_after_backticks": f"``<img src={PIXEL}>",
    "url_before_backticks": f"http://example.com/`<img src={PIXEL}>`",
    "autolink_with_a_backtick": f"<http://example.com/`><img src={PIXEL}>`",
    "entity_then_tag": f"&amp;<img src={PIXEL}>",
    "comment_hiding_the_rest": "<!--\nhidden",
    "raw_anchor": '<a href="https://example.com">link</a>',
    "fullwidth_brackets": "＜img src=x＞",
    "zero_width_space_in_name": f"<i\u200bmg src={PIXEL}>",
    "unclosed_fence_in_a_list": f"- ```\n  <img src={PIXEL}>",
    "fence_in_a_lazy_line": f"- a\n   ~~~`\n<img src={PIXEL}>",
    "definition_swallowing_a_fence": f'[l]: /url "\n```html\nx"\n<img src={PIXEL}>\n```',
    "definition_title_over_a_blank_line": f'[l]: /u "\n\n```\nx"\n<img src={PIXEL}>\n```',
    "definition_address_on_the_fence_line": f"[l]:\n```html\n<img src={PIXEL}>\n```",
    "definition_title_on_the_next_line": f"[l]: /u\n(t\n```\nx)\n<img src={PIXEL}>\n```",
    "definition_label_over_two_lines": f"[\n1. l]:\n```html\n<img src={PIXEL}>\n```",
    "diagram_one_character_into_a_line": "x```mermaid\ngraph TD; A-->B\n```",
    "empty_item_then_fence": f"1. \n   ```\n-\n```\n<img src={PIXEL}>\n```",
}


@pytest.mark.parametrize("text", EVASIONS.values(), ids=EVASIONS.keys())
def test_evasions_are_neutralised(text):
    safe(text)


def test_a_tag_spread_over_lines_is_shown_as_typed():
    safe(f'<img\nsrc="{PIXEL}"\nonerror="x()">')


def test_html_entities_stay_text_and_are_not_decoded_into_tags():
    text = f"&lt;img src={PIXEL}&gt; &#60;img src={PIXEL}&#62;"
    assert safe(text) == text
    assert f"<img src={PIXEL}>" in shown(text)


def test_a_backslash_before_a_tag_is_replaced_by_an_entity():
    assert safe(f"\\<img src={PIXEL}>") == f"&lt;img src={PIXEL}>"


def test_a_bare_url_cannot_swallow_the_backslash_that_escaped_a_tag():
    out = safe(f"see http://example.com/\\<img src={PIXEL}>")
    assert "\\<img" not in out and "&lt;img" in out


def test_css_url_and_import_outside_a_tag_are_plain_text():
    text = f'body {{ background: url({PIXEL}) }} @import url({PIXEL}); style="x" srcset=y'
    assert safe(text) == text


# -- the few kept tags and autolinks --------------------------------------------------------


def test_line_breaks_and_sub_and_superscripts_in_tables_are_kept():
    text = "| a | b |\n|---|---|\n| one<br>two | H<sub>2</sub>O, x<sup>2</sup> |"
    assert safe(text) == text
    assert "<br>" in RENDERER.render(text)


@pytest.mark.parametrize("tag", KEPT_TAGS)
def test_kept_tags_are_kept_without_attributes_only(tag):
    assert safe(f"x <{tag}>y</{tag}> z") == f"x <{tag}>y</{tag}> z"
    assert safe(f'x <{tag} style="color:red">y</{tag}>').startswith(f"x &lt;{tag} style")


def test_kept_tags_in_any_case_and_self_closing_forms_are_kept():
    assert safe("a<BR/>b<br />c<Br>d") == "a<BR/>b<br />c<Br>d"


def test_a_kept_tag_alone_on_its_line_is_escaped_as_it_would_start_an_html_block():
    assert safe(f"<b>\n<img src={PIXEL}>") == f"&lt;b>\n&lt;img src={PIXEL}>"
    assert safe("- <br>") == "- &lt;br>"


def test_autolinks_are_kept_and_other_schemes_are_not():
    assert safe("<https://example.com/a?b=c> and <someone@example.com>") == (
        "<https://example.com/a?b=c> and <someone@example.com>"
    )
    assert safe("<javascript:alert(1)>") == "&lt;javascript:alert(1)>"


def test_link_reference_definitions_are_shown_as_text_since_they_can_swallow_lines():
    out = safe('See [the docs][1].\n\n[1]: https://example.com "Docs"')
    assert out == 'See [the docs][1].\n\n\\[1]: https://example.com "Docs"'
    assert "[1]: https://example.com" in shown(out)


def test_a_comparison_is_left_alone():
    text = "if a < b and c<=d or x <- y, 3<4, a <3 b"
    assert safe(text) == text


# -- inline code ----------------------------------------------------------------------------


def test_inline_code_without_markup_is_unchanged():
    text = "Use `x = a < b` and `` `ticks` `` and `<br>` here."
    assert safe(text) == text


def test_inline_code_with_markup_becomes_a_code_element_showing_the_same_text():
    code = f'<img src="{PIXEL}" style="x">'
    out = safe(f"Write `{code}` in the page.")
    assert out.startswith("Write <code>") and "&#60;img" in out
    assert shown(out) == f"Write {code} in the page."


def test_inline_code_with_generics_shows_the_same_text():
    out = safe("Use `std::vector<int>` and `List<String>`.")
    assert shown(out) == "Use std::vector<int> and List<String>."


def test_inline_code_with_an_image_or_a_diagram_is_made_inert():
    out = safe(f"`![x]({PIXEL})` and ```` ```mermaid ````")
    assert shown(out) == f"![x]({PIXEL}) and ```mermaid"


def test_a_code_span_cannot_reach_over_a_line_end():
    out = safe(f"`a\n<img src={PIXEL}>`")
    assert "&lt;img" in out


def test_unmatched_runs_of_backticks_and_tildes_in_prose_are_escaped():
    out = safe("use ``` or ~~~ to fence, ~~struck~~ stays")
    assert out == "use \\`\\`\\` or \\~\\~\\~ to fence, ~~struck~~ stays"
    assert shown(out) == "use ``` or ~~~ to fence, struck stays"


# -- code blocks ----------------------------------------------------------------------------

HTML_PAGE = f"""```html
<!DOCTYPE html>
<link rel="stylesheet" href="style.css">
<style>body {{ background: url({PIXEL}); }}</style>
<img src="{PIXEL}" alt="logo" style="width: 10px">
```"""


def test_a_top_level_fenced_block_keeps_its_html_exactly():
    text = f"Here is the page:\n\n{HTML_PAGE}\n\nOpen it."
    assert safe(text) == text


def test_an_unclosed_fenced_block_while_streaming_is_unchanged():
    text = f'Here:\n\n```html\n<div class="a">\n  <img src="{PIXEL}'
    assert safe(text) == text


def test_a_fenced_block_in_a_list_moves_to_column_zero_with_its_text_unchanged():
    text = f'1. Write:\n\n   ```html\n   <img src="{PIXEL}">\n   ```\n2. Done'
    out = safe(text)
    assert out == f'1. Write:\n\n```html\n<img src="{PIXEL}">\n```\n2. Done'


def test_any_fenced_block_in_a_list_moves_so_no_reader_can_misplace_where_it_ends():
    out = safe("1. Install:\n\n   ```bash\n   pip install requests\n   ```\n\n2. Run")
    assert out == "1. Install:\n\n```bash\npip install requests\n```\n\n2. Run"


def test_a_list_item_made_of_a_fence_keeps_its_marker():
    out = safe(f"- ```html\n  <img src={PIXEL}>\n  ```\n- next")
    assert out == f"-\n```html\n<img src={PIXEL}>\n```\n- next"


def test_a_fenced_block_in_a_quote_moves_out_of_it():
    out = safe(f"> ```html\n> <img src={PIXEL}>\n> ```")
    assert out == f"```html\n<img src={PIXEL}>\n```"


def test_a_fence_ended_by_its_list_is_closed_where_it_moves():
    out = safe(f"- a\n  ```\n  <img src={PIXEL}>\nafter")
    assert out == f"- a\n```\n<img src={PIXEL}>\n```\nafter"


def test_a_line_that_would_end_the_fence_early_in_marked_gets_a_longer_fence():
    text = f"```\nx\n```~\n<img src={PIXEL}>\n```"
    assert safe(text) == f"````\nx\n```~\n<img src={PIXEL}>\n````"


def test_a_closing_fence_with_trailing_blanks_is_normalised():
    assert safe("```\n<b x>\n```   ") == "```\n<b x>\n```"


def test_a_nested_fence_example_keeps_its_outer_fence():
    text = "````markdown\n```python\nprint(1)\n```\n````"
    assert safe(text) == text


def test_an_indented_block_without_markup_is_unchanged():
    text = "Example:\n\n    x = 1\n    y = a < b\n\nend"
    assert safe(text) == text


def test_an_indented_block_with_markup_becomes_a_fenced_block():
    out = safe(f'Example:\n\n    <img src="{PIXEL}">\n    y = 1\n\nend')
    assert out == f'Example:\n\n```\n<img src="{PIXEL}">\ny = 1\n```\n\nend'


def test_the_info_string_of_a_fence_is_escaped_as_it_is_prose_to_marked_at_the_end():
    out = safe(f"text\n```html <img src={PIXEL}>")
    assert out == f"text\n```html &lt;img src={PIXEL}>"


def test_a_lone_double_dollar_in_an_info_string_is_escaped():
    assert safe("r\n~~~$$\n<style>x</style>") == "r\n~~~&#36;&#36;\n<style>x</style>"


# -- diagrams and formulas ------------------------------------------------------------------


def test_a_mermaid_diagram_is_shown_as_code():
    text = f'```mermaid\n%%{{init: {{"themeCSS": "@import url({PIXEL})"}}}}%%\ngraph TD; A-->B\n```'
    out = safe(text)
    assert out.startswith("``` mermaid\n") and out.split("\n", 1)[1] == text.split("\n", 1)[1]


def test_a_mermaid_diagram_in_a_list_is_shown_as_code():
    assert "```mermaid" not in safe("- ```mermaid\n  graph TD; A-->B\n  ```")


def test_formulas_are_unchanged_whatever_they_contain():
    text = f"Area $$\\pi r^2$$ and $$a < b$$ and $$\\includegraphics{{{PIXEL}}} <img src={PIXEL}>$$"
    assert safe(text) == text


def test_a_formula_over_several_lines_is_unchanged():
    text = "$$\n\\begin{aligned} a &< b \\\\ c &> d \\end{aligned}\n$$"
    assert safe(text) == text


# -- ordinary Markdown ----------------------------------------------------------------------

ORDINARY = {
    "python": '```python\ndef f(s: str) -> str:\n    return s[::-1]  # "<reversed>"\n```',
    "cpp": "```cpp\n#include <iostream>\nint main() { return a < b && c > d; }\n```",
    "lists": "- one\n- two\n  - nested\n\n1. first\n2. second\n\n- [ ] task\n- [x] done",
    "table": "| Name | Value |\n|:-----|------:|\n| `a` | 1 |\n| **b** | 2 |",
    "links": '[docs](https://docs.python.org/3/ "Python"), https://example.org/x?y=1, <https://x.org>',
    "emphasis": "**bold**, *italic*, ~~struck~~, ***both***, `code`\n\n---\n\n> a quote\n> more",
    "headings": "# Title\n\n## 第二节\n\nText\n===",
    "chinese": "## 长城简介\n\n长城是中国古代的军事防御工程，全长约**两万一千公里**。\n\n"
    "- 始建于春秋战国时期\n- 明长城保存最为完整\n\n> 不到长城非好汉。",
    "math": "The roots are $$x = \\frac{-b \\pm \\sqrt{b^2-4ac}}{2a}$$ for $$a \\neq 0$$.",
    "hard_breaks": "line one  \nline two\\\nline three",
    "escapes": "not \\*emphasis\\*, a \\_b\\_ and 5 \\> 3",
}


@pytest.mark.parametrize("text", ORDINARY.values(), ids=ORDINARY.keys())
def test_ordinary_markdown_is_unchanged(text):
    assert safe(text) == text


def test_text_is_cleaned_the_way_gr_chatbot_stores_it():
    assert safe("\n  Hello\r\n    world\r\n\n") == "Hello\nworld"
    assert safe("\n \nHello") == "Hello"


def test_with_no_placeholder_left_for_formulas_all_markup_is_shown_as_text(monkeypatch):
    from arena.web.ui import safe_markdown

    monkeypatch.setattr(safe_markdown, "_PRIVATE_USE", (range(0xE000, 0xE002),))
    to_safe_markdown.cache_clear()
    out = safe(f"\ue000\ue001 $$x$$ <b>bold</b> ![a]({PIXEL})\n```\n<img src={PIXEL}>\n```")
    assert "<" not in out and "!" not in out


def test_empty_text_stays_empty():
    assert to_safe_markdown("") == ""


# -- every vector at once, and random mixtures of them --------------------------------------

FRAGMENTS = [
    *HTML_VECTORS.values(), f"![a]({PIXEL})", "![a][r]", f"[r]: {PIXEL}", "`", "``", "```",
    "~~~", "```mermaid", "$$", "\\", "<b>", "</b>", "<br>", "<https://x.org>", "- ", "1. ",
    "> ", "    ", "\n", "\n\n", " ", "text", "中文", "|", "---", "*", "_", "&lt;", "http://x.org/",
]  # fmt: skip


def test_an_answer_with_every_vector_loads_nothing():
    safe("\n\n".join([*HTML_VECTORS.values(), f"![a]({PIXEL})", HTML_PAGE]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_any_mixture_of_vectors_loads_nothing_and_is_a_fixed_point(parts):
    safe("".join(parts))


def test_long_hostile_answers_take_little_time():
    for text in ("<br>" * 10_000, "![" * 20_000, "` " * 20_000, "<a " * 13_000, "$$ " * 10_000):
        started = time.perf_counter()
        to_safe_markdown(text)
        assert time.perf_counter() - started < 3.0


# -- the voter's prompt: shown exactly as typed (issue 12) ----------------------------------


class AllElements(Elements):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        super().handle_starttag(tag, attrs)


def verbatim_reading(text: str) -> tuple[list[str], str]:
    """The elements a reader's renderer makes of the prompt's Markdown, and the text shown (runs
    of white space as one space, as a browser shows prose)."""
    markdown = to_verbatim_markdown(text)
    assert inspect.cleandoc(markdown) == markdown, "gr.Chatbot would re-indent it"
    assert not re.search(r"\$\$", markdown), "KaTeX would typeset it"
    elements = AllElements()
    elements.feed(RENDERER.render(markdown))
    elements.close()
    return elements.tags, " ".join("".join(elements.text).split())  # references decoded once


@pytest.mark.parametrize(
    "prompt",
    [
        '<img src="http://127.0.0.1:9/p.gif"> what is this?',
        "**bold** and _italic_ and `code`",
        "# not a heading\n1. not a list\n- nor this\n> nor a quote",
        "<b>bold?</b> <br> <sub>2</sub>",
        "$$x^2$$ and $y$",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "```python\nprint(1)\n```",
        "    four spaces\n\tand a tab",
        "https://example.com and www.example.com and me@example.com",
        "a \\*escaped\\* star, a [link](http://x) and ![img](http://x/p.png)",
        "Title\n=====",
        "用 **Markdown** 写一首诗 <i>好吗</i>？",
        "&amp; &lt;b&gt; &#60;",
    ],
)
def test_a_prompt_is_shown_exactly_as_typed(prompt):
    """Regression: the voter's prompt was rendered as Markdown (and kept tags like <b> as HTML),
    so what it showed was not what the voter wrote."""
    tags, text = verbatim_reading(prompt)
    assert set(tags) <= {"p", "br"}, tags
    assert text == " ".join(prompt.split())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"))
               | st.sampled_from("\n\t<>&*_`#$[]()!|~\\"), max_size=80))  # fmt: skip
def test_any_prompt_is_shown_exactly_as_typed(prompt):
    tags, text = verbatim_reading(prompt)
    assert set(tags) <= {"p", "br"}, tags
    assert text == " ".join(prompt.split())


def test_the_reveal_shows_the_roster_labels_as_text_and_links_the_models_page():
    """Issue 12: display name, organisation, licence and a link; a label is never markup."""
    from arena.views import ModelCard
    from arena.web.ui.chat_panel import _card_text

    card = ModelCard(name="m", display_name="Qwen **2.5** <b>7B</b>", organisation="阿里巴巴",
                     licence="Apache-2.0", link="https://example.org/qwen")  # fmt: skip
    elements = AllElements()
    elements.feed(RENDERER.render(_card_text(card)))
    assert [t for t in elements.tags if t != "p"] == ["a"]
    assert (
        " ".join("".join(elements.text).split())
        == "Qwen **2.5** <b>7B</b> (阿里巴巴 · Apache-2.0) ↗"
    )
    assert 'href="https://example.org/qwen"' in RENDERER.render(_card_text(card))
