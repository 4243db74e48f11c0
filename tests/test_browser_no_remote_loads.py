"""A real browser shows hostile answers and a hostile prompt, votes, and fetches nothing from
anywhere else: every vector points at a local "pixel server" that counts the requests it gets.
The page's own headers forbid third-party loads and framing."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from playwright.sync_api import expect

from arena.bootstrap import create_arena
from arena.config import Settings
from arena.web.app import WebServer, build_app
from tests.conftest import OPEN_GATES, FakeProvider, roster_yaml

pytestmark = [pytest.mark.slow, pytest.mark.browser]

GIF = bytes.fromhex(
    "47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b"
)
SETTLE_MS = 2_000  # time for lazy images, posters, fonts and diagrams to ask for their resources


class PixelServer:
    """A tracking pixel on 127.0.0.1: serves a 1×1 GIF to any request and remembers each one."""

    def __init__(self):
        self.requests: list[str] = []
        requests = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                requests.append(f"{self.command} {self.path} (from {self.headers.get('Referer')})")
                self.send_response(200)
                self.send_header("Content-Type", "image/gif")
                self.send_header("Content-Length", str(len(GIF)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(GIF)

            do_GET = do_POST = do_HEAD = do_OPTIONS = _answer

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()


def hostile_answer(pixel: str, who: str) -> str:
    """An answer using every way Markdown or HTML has to fetch something or restyle the page."""
    p = f"{pixel}/{who}"
    return f"""Here is my answer, with **bold** words.

![markdown image]({p}/markdown-image.gif "title")

![reference image][logo]

[logo]: {p}/reference-image.gif

<img src="{p}/img-src.gif" alt="img">
<IMG SRC={p}/img-upper.gif>
<img srcset="{p}/img-srcset.gif 1x, {p}/img-srcset-2x.gif 2x" alt="srcset">
<picture><source srcset="{p}/picture-source.gif"><img alt="picture"></picture>
<div style="background:url({p}/style-background.gif); position:fixed; inset:0">covering div</div>
<span style="background-image:url('{p}/span-style.gif')">span</span>
<link rel="stylesheet" href="{p}/link-stylesheet.css">
<iframe src="{p}/iframe.html"></iframe>
<video poster="{p}/video-poster.gif" src="{p}/video.mp4" controls></video>
<audio src="{p}/audio.mp3" autoplay></audio>
<object data="{p}/object.svg"></object>
<embed src="{p}/embed.svg">
<input type="image" src="{p}/input-image.gif">
<table background="{p}/table-background.gif"><tr><td>cell</td></tr></table>
<svg><image href="{p}/svg-image.gif" width="10" height="10"/></svg>
<style>@import url({p}/style-import.css); body {{ background: url({p}/style-body.gif) }}</style>

A line with a kept tag<br>and a formula $$\\includegraphics{{{p}/katex.gif}}$$.

Inline code is shown, not rendered: `<img src="{p}/inline-code.gif">`.

```mermaid
graph TD
  A["<img src='{p}/mermaid-label.gif'>"] --> B
  style A fill:url({p}/mermaid-style.gif)
```

1. A step with code in a list:

   ```html
   <img src="{p}/code-in-list.gif">
   ```

```html
<link rel="stylesheet" href="{p}/code-block.css">
<img src="{p}/code-block.gif">
```
"""


@pytest.fixture(scope="module")
def pixel():
    with PixelServer() as server:
        yield server


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory, fake_server, pixel):
    from arena.adapters.roster import load_roster

    folder = tmp_path_factory.mktemp("no-remote-loads")
    (folder / "roster.yaml").write_text(
        roster_yaml(fake_server.base_url, {"alpha": "fake-echo", "beta": "fake-echo"}),
        encoding="utf-8",
    )
    provider = FakeProvider(answers={name: hostile_answer(pixel.origin, name)
                                     for name in ("alpha", "beta")})  # fmt: skip
    settings = Settings(**OPEN_GATES, db_path=folder / "arena.db", local_models=False)
    with create_arena(
        settings, roster=load_roster(folder / "roster.yaml"), provider=provider,
        start_local_models=False,
    ) as arena:  # fmt: skip
        server = WebServer(build_app(arena), host="127.0.0.1", port=0).start()
        yield server
        server.stop()


# Every attribute that makes the browser fetch something and points at the pixel server, on any
# element of the page; plain links are fine (a Markdown image becomes one: nothing is fetched
# until the reader clicks).
REFERENCES_JS = """(origin) => {
  const fetching = ['src', 'srcset', 'poster', 'data', 'background', 'style', 'href',
                    'xlink:href', 'action', 'formaction', 'imagesrcset', 'lowsrc', 'dynsrc'];
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (!fetching.includes(attr.name) || !attr.value.includes(origin)) continue;
      if (el.tagName === 'A' && attr.name === 'href') continue;
      found.push(`<${el.tagName.toLowerCase()} ${attr.name}="${attr.value.slice(0, 80)}">`);
    }
    if (el.tagName === 'STYLE' && el.textContent.includes(origin)) found.push('<style>');
  }
  return found;
}"""


def test_hostile_answers_and_prompt_make_the_browser_fetch_nothing_from_elsewhere(
    hostile_app, pixel, browser
):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    elsewhere: list[str] = []  # every request the page makes to another origin than the app's
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(
        (hostile_app.url, "data:", "blob:")) else None)  # fmt: skip
    page.goto(hostile_app.url)
    prompt = (
        f"Please answer. ![prompt image]({pixel.origin}/prompt/markdown-image.gif) "
        f'<img src="{pixel.origin}/prompt/img-src.gif"> '
        f'<span style="background:url({pixel.origin}/prompt/style.gif)">x</span>'
    )
    page.locator("#anonymous-prompt textarea").fill(prompt)
    page.locator("#anonymous-send").click()

    vote = page.locator("#anonymous-vote-a_better")
    expect(vote).to_be_visible(timeout=30_000)
    for side in ("a", "b"):
        answer = page.locator(f"#anonymous-chat-{side} .bot").last
        expect(answer).to_contain_text("Here is my answer", timeout=30_000)
        expect(answer).to_contain_text("covering div")  # the tag is shown as typed
        expect(answer.locator("strong").first).to_have_text("bold")  # Markdown still renders
        prompt_shown = page.locator(f"#anonymous-chat-{side} .user").last
        expect(prompt_shown).to_contain_text("Please answer.")
    page.wait_for_timeout(SETTLE_MS)
    references = page.evaluate(REFERENCES_JS, pixel.origin)
    vote.click()
    expect(page.locator("#anonymous-revealed")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(SETTLE_MS)
    context.close()

    assert pixel.requests == [], (
        f"{len(pixel.requests)} requests reached the pixel server:\n" + "\n".join(pixel.requests)
    )
    assert references == [], "elements still point at the pixel server:\n" + "\n".join(references)
    assert elsewhere == [], "the page asked other sites for:\n" + "\n".join(elsewhere)


def test_an_image_that_slipped_through_is_blocked_by_the_page_policy(hostile_app, pixel, browser):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(hostile_app.url)
    expect(page.locator("#anonymous-send")).to_be_visible(timeout=30_000)
    before = len(pixel.requests)
    page.evaluate(
        """(origin) => {
            const img = document.createElement('img');
            img.src = origin + '/slipped/img.gif';
            document.body.appendChild(img);
            const div = document.createElement('div');
            div.setAttribute('style', `background:url(${origin}/slipped/style.gif)`);
            div.textContent = 'x';
            document.body.appendChild(div);
        }""",
        pixel.origin,
    )
    page.wait_for_timeout(SETTLE_MS)
    context.close()
    assert pixel.requests[before:] == [], "the page policy let these through:\n" + "\n".join(
        pixel.requests[before:]
    )


# A source-expression that names no other site: keywords, hashes and nonces, and the schemes
# that carry their content inline.
OWN_SOURCES = re.compile(
    r"'(?:self|none|unsafe-inline|unsafe-eval|wasm-unsafe-eval|strict-dynamic|unsafe-hashes)'"
    r"|'(?:nonce|sha256|sha384|sha512)-[^']+'|data:|blob:"
)
FETCH_DIRECTIVES = {
    "default-src", "script-src", "script-src-elem", "script-src-attr", "style-src",
    "style-src-elem", "style-src-attr", "img-src", "font-src", "connect-src", "media-src",
    "object-src", "frame-src", "child-src", "worker-src", "manifest-src", "prefetch-src",
}  # fmt: skip


def test_the_page_sends_headers_that_forbid_third_party_loads_and_framing(hostile_app):
    response = httpx.get(hostile_app.url + "/", timeout=30)
    headers = response.headers
    policy = headers.get("content-security-policy")
    assert policy, f"no Content-Security-Policy among {sorted(headers)}"
    directives = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *sources = part.split()
        directives[name.lower()] = sources
    assert "default-src" in directives, policy
    for name, sources in directives.items():
        if name in FETCH_DIRECTIVES:
            others = [s for s in sources if not OWN_SOURCES.fullmatch(s)]
            assert others == [], f"{name} lets the page load from {others}"
    framing_denied = headers.get("x-frame-options", "").upper() == "DENY" or (
        directives.get("frame-ancestors") == ["'none'"]
    )
    assert framing_denied, "neither X-Frame-Options: DENY nor frame-ancestors 'none'"
    assert headers.get("x-content-type-options", "").lower() == "nosniff"
    assert headers.get("referrer-policy"), "no Referrer-Policy"
