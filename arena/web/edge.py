"""What the server decides about a request before any handler sees it (ASGI middleware).

- The client's address: the TCP peer, or the X-Forwarded-For address a *trusted* proxy reports
  (`ARENA_TRUSTED_PROXIES`); forwarding headers from anyone else are dropped, so nothing later
  (uvicorn, Gradio, our handlers) can be fooled by them.
- The voter: a signed, HttpOnly `arena_voter` cookie. A missing or forged one is replaced by a
  new voter's before the request goes on, and set on the response. Behind an SSO proxy
  (`ARENA_TRUSTED_IDENTITY_HEADER`), the user it names is the voter, in every browser; the
  header is believed only from a trusted proxy and removed before anything else sees it.
- Routes the arena does not offer: Gradio's file upload (the arena takes no files) and its
  fetching of remote URLs through `/file=`.
- How much a request may send: a body past `max_body_bytes` is refused (413) before anything
  reads it, whether its length is declared or it comes in chunks.
- Security headers on every response: a Content-Security-Policy that allows nothing from other
  sites, no framing, no MIME sniffing, no referrer to other sites.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from ipaddress import IPv4Network, IPv6Network
from typing import Any

from starlette.requests import cookie_parser

log = logging.getLogger(__name__)

VOTER_COOKIE = "arena_voter"
VOTER_COOKIE_MAX_AGE_S = 2 * 365 * 86_400
FORWARDING_HEADERS = {b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host",
                      b"x-forwarded-port", b"x-real-ip", b"forwarded"}  # fmt: skip

# Gradio evaluates `js=` event code with `new Function` (hence 'unsafe-eval') and inlines its
# config and styles; everything comes from this origin, images may be data:/blob: URLs.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]
Network = IPv4Network | IPv6Network


def client_address(
    peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[Network]
) -> str | None:
    """The client's IP: the peer itself, unless the peer is a trusted proxy; then the nearest
    address in X-Forwarded-For (read right to left) that is not itself a trusted proxy."""
    if peer is None or not _is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            address = str(ipaddress.ip_address(hop))
        except ValueError:
            return peer  # a malformed chain: believe only the proxy itself
        if not _is_trusted(address, trusted):
            return address
    return peer


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def _voter_token(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The voter cookie's value, read as the app reads cookies (Starlette's parser: each cookie
    on its own, so one the site's other pages set that SimpleCookie could not parse, with a
    quote, a space or non-ASCII, no longer hides it)."""
    for name, value in headers:
        if name == b"cookie":
            token = cookie_parser(value.decode("latin-1")).get(VOTER_COOKIE)
            if token is not None:
                return token
    return None


def _without_voter_cookie(cookie_header: bytes) -> bytes:
    parts = [p for p in cookie_header.split(b";") if p.strip() and
             p.strip().split(b"=", 1)[0] != VOTER_COOKIE.encode()]  # fmt: skip
    return b";".join(parts)


class Edge:
    """The ASGI middleware in front of the whole app (JSON API and Gradio alike).

    `read_voter(token) -> voter id | None` and `new_voter() -> (voter id, token)` come from the
    service, which holds the signing key."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        trusted_proxies: Sequence[Network],
        read_voter: Callable[[str | None], str | None],
        new_voter: Callable[[], tuple[str, str]],
        identity_header: str | None = None,
        user_voter: Callable[[str], tuple[str, str]] | None = None,
        max_body_bytes: int | None = None,
    ):
        self.app = app
        self.max_body = max_body_bytes
        self.trusted = tuple(trusted_proxies)
        self.read_voter = read_voter
        self.new_voter = new_voter
        self.identity_header = identity_header.lower().encode() if identity_header else None
        self.user_voter = user_voter

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        scope, new_token = self._checked_scope(scope)
        if scope["type"] == "http" and _is_refused_route(scope):
            await _refuse(send)
            return
        if scope["type"] == "http" and self.max_body is not None:
            declared = _declared_length(scope["headers"])
            if declared is None:  # sent in chunks: read (up to the limit) before the app does
                receive = await _read_at_most(receive, self.max_body)
            if receive is None or (declared or 0) > self.max_body:
                await _refuse(send, status=413, detail="request too large")
                return

        progress = {"started": False, "finished": False}

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body"):
                progress["finished"] = True
            if message["type"] == "http.response.start":
                progress["started"] = True
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in {name for name, _ in SECURITY_HEADERS}]  # fmt: skip
                headers += SECURITY_HEADERS
                if new_token is not None:
                    headers.append((b"set-cookie", self._cookie(new_token, scope)))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as error:
            client_error = _client_error(error)
            if client_error is None and "/gradio_api/" in scope.get("path", ""):
                # Gradio's own routes trip over junk the client sent (an unknown fn_index, a
                # malformed payload); our handlers' errors never escape this far.
                client_error = f"400 {type(error).__name__}"
            if client_error is None:
                raise  # a server bug: uvicorn logs it with its traceback
            # A client's mistake found after the response began (e.g. Gradio's stream for an
            # unknown session): one log line, no traceback; the connection just ends.
            log.info("client error on %s: %s", scope.get("path"), client_error)
            if scope["type"] != "http" or progress["finished"]:
                return
            if progress["started"]:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            else:
                await _refuse(send, status=int(client_error.split()[0]))

    def _checked_scope(self, scope: Scope) -> tuple[Scope, str | None]:
        headers: list[tuple[bytes, bytes]] = list(scope.get("headers", []))
        peer, port = scope.get("client") or (None, 0)
        trusted_peer = peer is not None and _is_trusted(peer, self.trusted)
        forwarded = [v.decode("latin-1") for k, v in headers if k == b"x-forwarded-for"]
        ip = client_address(peer, forwarded, self.trusted)
        scheme = scope.get("scheme", "http")
        if trusted_peer:
            for k, v in headers:
                if k == b"x-forwarded-proto" and v.decode("latin-1").strip() in ("http", "https"):
                    scheme = v.decode("latin-1").strip()
        user = self._signed_in_user(headers) if trusted_peer else None
        # Forwarding and identity headers are consumed here: nothing downstream may
        # re-interpret them.
        headers = [(k, v) for k, v in headers
                   if k not in FORWARDING_HEADERS and k != self.identity_header]  # fmt: skip

        token = _voter_token(headers)
        new_token = None
        if user is not None and self.user_voter is not None:
            voter, user_token = self.user_voter(user)
            if self.read_voter(token) != voter:
                token = new_token = user_token
        elif self.read_voter(token) is None:
            _, token = self.new_voter()
            new_token = token
        cookies = [_without_voter_cookie(v) for k, v in headers if k == b"cookie"]
        cookies = [c for c in cookies if c.strip()]
        cookies.append(f"{VOTER_COOKIE}={token}".encode())
        headers = [(k, v) for k, v in headers if k != b"cookie"]
        headers.append((b"cookie", b"; ".join(cookies)))
        scope = {**scope, "headers": headers, "client": (ip, port) if ip else None}
        if scope["type"] == "http":
            scope["scheme"] = scheme
        return scope, new_token

    def _signed_in_user(self, headers: list[tuple[bytes, bytes]]) -> str | None:
        """The user the identity header names: one non-empty value, else nobody (a repeated
        header may hold a value the client sent beside the proxy's)."""
        if self.identity_header is None:
            return None
        values = [v for k, v in headers if k == self.identity_header]
        if len(values) != 1:
            return None
        user = values[0].decode("utf-8", "replace").strip()
        return user or None

    def _cookie(self, token: str, scope: Scope) -> bytes:
        secure = "; Secure" if scope.get("scheme") == "https" else ""
        return (
            f"{VOTER_COOKIE}={token}; Path=/; Max-Age={VOTER_COOKIE_MAX_AGE_S}; HttpOnly; "
            f"SameSite=Lax{secure}"
        ).encode()


def _client_error(error: BaseException) -> str | None:
    """'404 Not Found' if the error (or its cause) is an HTTP 4xx raised for the client."""
    for candidate in (error, error.__cause__, error.__context__):
        status = getattr(candidate, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            return f"{status} {getattr(candidate, 'detail', '')}".strip()
    return None


def _declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    """The Content-Length a request declares (the largest, if repeated), or None. The server
    holds a body to its declared length."""
    lengths = [v for k, v in headers if k == b"content-length"]
    try:
        return max(int(v) for v in lengths) if lengths else None
    except ValueError:
        return None


async def _read_at_most(receive: Callable, limit: int) -> Callable | None:
    """A body sent without its length, read whole if it is at most `limit` bytes: a `receive`
    that gives it again and then what the client sends next (its disconnect); None if larger."""
    held, seen = [], 0
    while True:
        message = await receive()
        held.append(message)
        if message["type"] != "http.request":
            break
        seen += len(message.get("body", b""))
        if seen > limit:
            return None
        if not message.get("more_body"):
            break

    async def again() -> dict:
        return held.pop(0) if held else await receive()

    return again


def _is_refused_route(scope: Scope) -> bool:
    path: str = scope.get("path", "")
    if path.rstrip("/").endswith("/upload") and "/gradio_api/" in path:
        return True  # the arena takes no files
    if "/file=" in path:
        target = path.split("/file=", 1)[1].lower()
        return target.startswith(("http:", "https:", "//")) or "://" in target
    return "/proxy=" in path


async def _refuse(send: Callable, status: int = 403, detail: str = "not available") -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})
