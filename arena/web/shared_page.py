"""The public page of a shared battle, `/battle/{share_id}`: one small HTML page, read-only.

It shows what the voter chose to share (Arena.shared_battle): each turn's prompt and both
answers exactly as written (escaped, never rendered as HTML or Markdown), the two models as the
reveal describes them, the verdict and the feedback. Nothing about the voter. The language is
`?lang=` if given, else the browser's."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from arena.i18n import LANGUAGES, feedback_text, language_from_header, translate
from arena.service import Arena
from arena.views import ModelCard, SharedBattle

PATH = "/battle/{share_id}"  # the one spelling of a shared battle's address


def page_path(share_id: str) -> str:
    """Where the public page of the battle shared as `share_id` is served."""
    return PATH.format(share_id=share_id)


STYLE = """
body { font-family: ui-sans-serif, system-ui, sans-serif; max-width: 980px; margin: 2em auto;
       padding: 0 1em; color: #1f2937; line-height: 1.5; }
.turn { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; margin-bottom: 1.5em; }
.prompt, .answer { white-space: pre-wrap; overflow-wrap: anywhere; border-radius: 8px;
                   padding: 0.75em; margin: 0; font: inherit; }
.prompt { background: #eef2ff; grid-column: 1 / -1; }
.answer { background: #f3f4f6; }
.model { font-weight: 600; }
nav { margin-bottom: 1em; }
@media (max-width: 640px) { .turn { grid-template-columns: 1fr; } }
"""


def build_pages(arena: Arena) -> APIRouter:
    router = APIRouter()

    @router.get(PATH, response_class=HTMLResponse)
    async def shared_battle(share_id: str, request: Request, lang: str = Query("")) -> HTMLResponse:
        """A shared battle's public page (404 for an id that names none)."""
        language = lang if lang in LANGUAGES else language_from_header(
            request.headers.get("accept-language")
        )  # fmt: skip
        battle = await arena.in_store(arena.shared_battle, share_id)
        if battle is None:
            body = f"<p>{escape(translate(language, 'shared_not_found'))}</p>"
            return HTMLResponse(_page(language, share_id, body), status_code=404)
        return HTMLResponse(_page(language, share_id, _battle_html(battle, language)))

    return router


def _page(language: str, share_id: str, body: str) -> str:
    title = escape(translate(language, "shared_title"))
    switch = " · ".join(
        f'<a href="{escape(page_path(share_id))}?lang={code}" hreflang="{code}">{escape(name)}</a>'
        for code, name in LANGUAGES.items()
        if code != language
    )
    arena = escape(translate(language, "shared_to_arena"))
    return (
        f'<!doctype html><html lang="{"zh-CN" if language == "zh" else "en"}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{title}</title><style>{STYLE}</style></head><body>"
        f'<nav><a href="/">{arena}</a> · {switch}</nav><h1>{title}</h1>{body}</body></html>'
    )


def _battle_html(battle: SharedBattle, language: str) -> str:
    parts = [f"<p>{escape(translate(language, 'shared_intro'))}</p>"]
    sides = sorted(battle.cards)
    for n, (prompt, answers) in enumerate(battle.turns, start=1):
        parts.append(f"<h2>{escape(translate(language, 'shared_turn', turn=n))}</h2>")
        parts.append('<section class="turn">')
        parts.append(f'<pre class="prompt" aria-label="{escape(translate(language, "shared_prompt"))}">'
                     f"{escape(prompt)}</pre>")  # fmt: skip
        for side in sides:
            label = translate(language, f"model_{side.lower()}")
            parts.append(
                f'<div><p class="model">{escape(label)}: '
                f"{_card_html(battle.cards[side])}</p>"
                f'<pre class="answer" id="answer-{side.lower()}-{n}">'
                f"{escape(answers.get(side, ''))}</pre></div>"
            )
        parts.append("</section>")
    verdict = translate(language, battle.verdict.value)
    parts.append(f'<p id="verdict"><strong>{escape(translate(language, "shared_verdict", verdict=verdict))}'
                 "</strong></p>")  # fmt: skip
    if battle.feedback:
        feedback = feedback_text(language, battle.feedback)
        parts.append(f'<p id="feedback">{escape(translate(language, "shared_feedback", feedback=feedback))}</p>')  # fmt: skip
    return "".join(parts)


def _card_html(card: ModelCard) -> str:
    text = escape(card.label)
    if card.link:  # the roster only keeps http(s) links
        return f'{text} <a href="{escape(card.link)}" rel="noopener nofollow">↗</a>'
    return text
