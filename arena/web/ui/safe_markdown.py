"""Makes a prompt or an answer safe to show in a gr.Chatbot: once rendered, nothing in it may load
a resource from another site or restyle the page.

gr.Chatbot renders Markdown (marked with GFM, `$$` formulas with KaTeX, ```mermaid diagrams) and
then runs an allow-list sanitiser that removes scripts but keeps `<img src>`, `srcset`, `style=`,
`<style>`, `<video poster>`, `<svg><image href>` and Markdown images: each is a tracking beacon
(the browser calls another site as soon as the answer is shown) or a way to restyle the page.

The choice, prose: raw HTML is shown as typed, as Chatbot Arena shows it. Every `<` that could
open a tag, a comment or a declaration becomes `&lt;`, except a few inline tags without
attributes that models write in table cells and formulas (`<br>`, `<b>`, `<sub>`…, `KEPT_TAGS`;
they can neither load nor restyle) and `<https://…>` autolinks. An image keeps its alt text and
becomes a link to the same address (`![cat](u)` shows "!cat", linked to u; reference images
alike): nothing is fetched unless the reader clicks. CSS `url(…)`, `@import`, `style=`, `srcset=`
and `poster=` act only inside a tag, so with the tag shown as text they are plain text.

Code: what is displayed and not rendered keeps its text exactly. A fenced block stays where it
is when it sits at column 0 of the top level, where marked and CommonMark agree on where it
ends; one inside a list or a quote is moved to column 0 (its list item keeps its marker), so
that no reader can take its content for prose. An indented block, and an inline code span, is
kept as typed when its text would read the same as prose; otherwise the block becomes a fenced
one and the span a `<code>` element whose markup characters are entities, which looks the same
and leaves a parser nothing to read. ```mermaid blocks are shown as code (a diagram can load
images and stylesheets). A fence is lengthened (fences are not displayed) when a line inside
could end it early in marked; in prose, runs of three backticks or tildes are escaped, and so is
the `[` of a link reference definition, whose title marked lets run on over following lines.

The structure is read with markdown-it (CommonMark) on the text as the frontend will see it:
`inspect.cleandoc`, which gr.Chatbot applies to every message, then `$$…$$` formulas set aside
with the frontend's own pattern (they are HTML-escaped and shown by KaTeX with `trust: false`,
so `\\includegraphics` and `\\href` do nothing). Prose is escaped line by line, so no escape can
move a line into or out of a list, a quote or a paragraph. Where CommonMark and marked could
still disagree, the page's Content-Security-Policy is the guarantee against loads; this
function also keeps the page's look, which the policy cannot.
"""

import functools
import inspect
import re
import string

from markdown_it import MarkdownIt

# Kept as HTML: inline tags without attributes, which can neither load nor restyle anything.
KEPT_TAGS = ("br", "b", "strong", "i", "em", "u", "s", "del", "ins", "sub", "sup", "kbd", "code")

_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table").disable(["inline", "text_join"])
_FORMULA = re.compile(r"\$\$[\s\S]+?\$\$")  # the frontend's pattern for its `$$` delimiters
_KEPT_TAG = re.compile(rf"</?(?:{'|'.join(KEPT_TAGS)})[ \t]*/?>", re.IGNORECASE)
_AUTOLINK = re.compile(
    r"<(?:(?:https?|ftp|mailto):[^\s<>`\"'\\\x00-\x1f]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)>"
)
_MARKUP_START = re.compile(r"[A-Za-z/!?]")  # after `<`: a tag, a comment or a declaration
_LINE_PREFIX = re.compile(r"[\s>*+\-.)0-9]*")  # quote and list markers before a tag
# The start of a link reference definition (or of a label going on to the next line): marked
# lets its label, address or title run on over following lines, swallowing a fence line too.
_DEFINITION = re.compile(r"([\s>*+\-.)0-9]*)\[(?=(?:\\.|[^\[\]\\])*(?:\]:|$))")
_LIST_MARKER = re.compile(r"(?:^|\s)(?:[-+*]|\d{1,9}[.)])(?:\s|$)")
_OTHER_MARKUP = re.compile(r"!\[|```mermaid|^\s*(?:```|~~~)", re.MULTILINE)  # or a fence
_PUNCTUATION = re.compile(f"[{re.escape(string.punctuation)}]")
_MERMAID_FENCE = re.compile(r"(```)(?=mermaid)")
_PRIVATE_USE = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE))  # for formula placeholders
_ROUNDS = 6  # two in practice: one that escapes, one that finds nothing left to do
_NEUTRAL = {"<": "&lt;", "!": "&#33;"}  # shown as typed, read as neither a tag nor an image
# Inside a `<code>` element, the characters Markdown or the `$$` pairing could act on.
_CODE_ENTITIES = re.compile(r"[&<>\\`*_\[\]!~|$@]|:(?=//)|(?<=www)\.", re.IGNORECASE)


@functools.lru_cache(maxsize=256)  # every streamed update shows the earlier turns again
def to_safe_markdown(text: str) -> str:
    """The Markdown to give gr.Chatbot for `text`, a prompt or an answer, complete or partial."""
    text = _as_chatbot_stores(text.replace("\r\n", "\n").replace("\r", "\n"))
    # Moving a block out of a list changes how the lines after it are read: go round again
    # until a round changes nothing, so the text returned is the text that was checked.
    current = text
    for _ in range(_ROUNDS):
        safer = _safe_round(current)
        if safer is None:
            break
        if (safer := _as_chatbot_stores(safer)) == current:
            return current
        current = safer
    # Not expected: every `<` and `!` shown as typed, code included.
    return _MERMAID_FENCE.sub(r"\1 ", text.replace("<", "&lt;").replace("!", "&#33;"))


@functools.lru_cache(maxsize=256)
def to_verbatim_markdown(text: str) -> str:
    """The Markdown that gr.Chatbot shows as exactly `text`: the voter's prompt, as typed. Every
    ASCII punctuation mark becomes a numeric character reference (Markdown, HTML, `$$` formulas
    and bare links all start with one), the indentation of a line becomes no-break spaces
    (indentation would make code), and line breaks stay line breaks."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.expandtabs(4).rstrip()
        body = line.lstrip()
        escaped = _PUNCTUATION.sub(lambda m: f"&#{ord(m.group(0))};", body)
        lines.append("&nbsp;" * (len(line) - len(body)) + escaped)
    return _as_chatbot_stores("\n".join(lines))


def _safe_round(text: str) -> str | None:
    formulas: list[str] = []
    used = set(text)
    marker = next((chr(c) for block in _PRIVATE_USE for c in block if chr(c) not in used), None)
    if marker is None:
        return None

    def set_aside(match: re.Match) -> str:
        formulas.append(match.group(0))
        return f"{marker}{len(formulas) - 1}{marker}"

    lines = _FORMULA.sub(set_aside, text).split("\n")
    safe = "\n".join(_safe_lines(lines))
    return re.sub(f"{marker}(\\d+){marker}", lambda m: formulas[int(m.group(1))], safe)


def _safe_lines(lines: list[str]) -> list[str]:
    code: dict[int, str] = {}  # line number -> what to write there instead of escaped prose
    for token in _PARSER.parse("\n".join(lines)):
        if token.type in ("fence", "code_block") and token.map:
            code.update(_code_block(lines, token))
    return [code[n] if n in code else _safe_inline(line) for n, line in enumerate(lines)]


def _code_block(lines: list[str], token) -> dict[int, str]:
    """A code block's lines as they must be written, its text unchanged."""
    first, end = token.map
    content = token.content.split("\n") if token.content else []
    if token.content.endswith("\n"):
        content.pop()  # each line ends with a newline, except a last line at the very end
    if token.type == "code_block":
        if _is_harmless_as_prose(token.content):
            return {n: lines[n] for n in range(first, end)}
        fence = "`" * max([3, *(len(run) + 1 for run in re.findall("`+", token.content))])
        written = dict(enumerate(content, start=first))
        written[first] = f"{fence}\n{written[first]}"
        written[first + len(content) - 1] += f"\n{fence}"
        return written
    marker, length = token.markup[0], len(token.markup)
    at = lines[first].index(token.markup)
    # Only the info string's first word is used, as a class name; a fence line right after a
    # paragraph is read as prose by marked when nothing follows it, or when a lone `$$` does.
    info = _safe_inline(lines[first][at + length :]).replace("$", "&#36;")
    if marker == "`" and info.startswith("mermaid"):
        info = " " + info  # still code, no longer a diagram
    anchored = token.level == 0 and at == 0
    # marked ends a fence at a line starting with the fence then any ` and ~; CommonMark only
    # at one of the fence's character: a fence longer than any such run ends in both at once.
    runs = (len(m.group(1)) + 1 for line in content if (m := re.match(f" *({marker}+)", line)))
    fence = marker * max([length, *runs])
    # Moved out of a list item, the item keeps its marker on a line of its own.
    marker_line = (
        lines[first][:at].rstrip() + "\n" if _LIST_MARKER.search(lines[first][:at]) else ""
    )
    written = {first: marker_line + fence + info}
    if anchored:
        written.update((n, lines[n]) for n in range(first + 1, first + 1 + len(content)))
    else:
        written.update(enumerate(content, start=first + 1))
    if end == first + len(content) + 2:  # closed
        written[end - 1] = fence
    elif not anchored:  # it ended with its list or quote: close it where it now stands
        written[first + len(content)] += f"\n{fence}"
    return written


def _safe_inline(line: str) -> str:
    """One line of prose with what could load or restyle shown as text, inline code kept."""
    out: list[str] = []
    i = 0
    if definition := _DEFINITION.match(line):  # its title or address may run over the next lines
        out.append(definition.group(1) + "\\[")
        i = definition.end()
    while i < len(line):
        char = line[i]
        if char == "\\" and _is_markup(line, i + 1):
            out.append(_NEUTRAL[line[i + 1]])  # no backslash: a bare URL before it may eat one
            i += 2
        elif char == "\\":
            out.append(line[i : i + 2])  # an escaped character stays as typed
            i += 2
        elif char == "`":
            run = len(line) - i - len(line[i:].lstrip("`"))
            close = next((m.start() for m in re.finditer("`+", line[i + run :])
                          if len(m.group(0)) == run), None)  # fmt: skip
            if close is None:  # literal backticks: three could open a fence
                out.append(line[i : i + run] if run < 3 else "\\`" * run)
                i += run
                continue
            end = i + run + close + run
            span = line[i:end]
            out.append(span if _is_harmless_as_prose(span) else _code_element(span[run:-run]))
            i = end
        elif char == "<" and (kept := _KEPT_TAG.match(line, i) or _AUTOLINK.match(line, i)):
            if _starts_html_block(line, i, kept.end()):
                out.append("&lt;")
                i += 1
            else:
                out.append(kept.group(0))
                i = kept.end()
        elif _is_markup(line, i):
            out.append(_NEUTRAL[char])
            i += 1
        elif line.startswith("~~~", i):  # literal tildes: three could open a fence
            run = len(line) - i - len(line[i:].lstrip("~"))
            out.append("\\~" * run)
            i += run
        else:
            out.append(char)
            i += 1
    return _MERMAID_FENCE.sub(r"\1 ", "".join(out))


def _is_markup(text: str, at: int) -> bool:
    """Whether text[at] opens a tag, a comment or a declaration (`<`), or an image (`!`)."""
    if text.startswith("<", at):
        return bool(_MARKUP_START.match(text, at + 1))
    return text.startswith("![", at)


def _is_harmless_as_prose(code: str) -> bool:
    """Whether code would show the same if a renderer read it as prose: no tag, comment or
    declaration other than the kept ones, no image, no diagram, no fence."""
    for match in re.finditer("<", code):
        start = match.start()
        if not _MARKUP_START.match(code, start + 1):
            continue
        kept = _KEPT_TAG.match(code, start) or _AUTOLINK.match(code, start)
        if not kept or _starts_html_block(code, start, kept.end()):
            return False
    return not _OTHER_MARKUP.search(code)


def _starts_html_block(text: str, start: int, end: int) -> bool:
    """A tag alone on its line opens a raw HTML block, where Markdown and escapes stop."""
    line_start = text.rfind("\n", 0, start) + 1
    if not _LINE_PREFIX.fullmatch(text, line_start, start):
        return False
    line_end = text.find("\n", end)
    return not text[end : len(text) if line_end < 0 else line_end].strip()


def _code_element(code: str) -> str:
    """Inline code as a `<code>` element: the same look, and nothing for a parser to read."""
    if code.startswith(" ") and code.endswith(" ") and code.strip(" "):
        code = code[1:-1]  # as a code span drops one space on each side
    return "<code>" + _CODE_ENTITIES.sub(lambda m: f"&#{ord(m.group(0))};", code) + "</code>"


def _as_chatbot_stores(text: str) -> str:
    """gr.Chatbot stores `inspect.cleandoc(text)`; a few rounds reach the text it keeps."""
    while (cleaned := inspect.cleandoc(text)) != text:
        text = cleaned
    return text
