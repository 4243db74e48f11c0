"""A fake OpenAI-compatible chat server for tests: real HTTP on 127.0.0.1, real SSE streaming.

The requested model name chooses the behaviour, so one server covers every case:

==============  =====================================================================
``fake-echo``   streams ``You said: "<last user message>"`` word by word (see `echo_answer`)
``fake-slow``   sends the headers, then waits `slow_delay` (default 30 s) before every chunk
                (without streaming: waits `slow_delay` before answering)
``fake-stall``  streams the first half of the echo answer, then waits `slow_delay`
``fake-error``  HTTP 500 with a JSON error body that names the model and the server's URL
``fake-broken`` streams a few chunks, then drops the connection mid-body
``fake-empty``  a well-formed stream (role, finish, usage, ``[DONE]``) with no text at all
``fake-leak``   answers ``I am ChatGPT, a model trained by OpenAI.`` (identity-leak tests)
``fake-zh``     answers in Chinese (`ZH_ANSWER`), two characters per chunk
``fake-nousage`` like ``fake-echo``, but never sends a usage chunk, even when asked for one
``fake-flaky``  like ``fake-echo``, but with probability `fault_rate` one of `FLAKY_FAULTS`,
                drawn per request from a RNG seeded with `seed` (the draw is kept in
                `RecordedRequest.behaviour`: ``ok`` or the fault's name)
==============  =====================================================================

Any other model name gets HTTP 404 ``model_not_found``, as OpenAI does. A model may be given
with a provider prefix (``openai/fake-echo``) or without.

Usage::

    with FakeOpenAIServer(chunk_delay=0.01) as server:
        litellm.completion(model="openai/fake-echo", api_base=server.base_url,
                           api_key="sk-test", messages=[...], stream=True)
        assert server.requests[-1].body["messages"][0]["role"] == "system"

``GET /fake/requests`` lists the chat requests received (model, behaviour, outcome, system and
last user message), for a process that runs the server apart: ``python -m tests.fake_openai
--fault-rate 0.3`` prints its base URL as one JSON line and serves until SIGTERM.

Streams use HTTP/1.1 chunked transfer encoding, so a dropped connection (``fake-broken``) is
seen by the client as an incomplete body, never as a normal end of stream. Usage numbers are
deterministic: prompt tokens = words in all messages, completion tokens = chunks sent. A request
that asks for OpenRouter's accounting (``"usage": {"include": true}``, which litellm sends for
``openrouter/`` models) also gets ``usage.cost``: `OPENROUTER_COST_PER_TOKEN` per token.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import re
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

OPENROUTER_COST_PER_TOKEN = 1e-6  # what the fake "charges" when asked as OpenRouter is
LEAK_ANSWER = "I am ChatGPT, a model trained by OpenAI."
ZH_ANSWER = "你好！我是一个测试用的模型。北京是中国的首都。"
FAKE_MODELS = (
    "fake-echo",
    "fake-slow",
    "fake-stall",
    "fake-error",
    "fake-broken",
    "fake-empty",
    "fake-leak",
    "fake-zh",
    "fake-nousage",
    "fake-flaky",
)
# What `fake-flaky` does on a faulty request; each is a failure for a client whose timeout is
# shorter than `slow_delay`.
FLAKY_FAULTS = {
    "error": "HTTP 500 with a JSON error body",
    "hang": "reads the request, then sends nothing at all for `slow_delay`",
    "slow_first": "headers and the role chunk, then `slow_delay` before the first text",
    "stall": "the first half of the answer, then `slow_delay`",
    "broken": "the connection dropped mid-body (after at most 3 chunks)",
    "empty": "a well-formed stream with no text",
}
# The fixed behaviour each outcome of a `fake-flaky` draw borrows.
_FLAKY_AS = {
    "ok": "fake-echo",
    "error": "fake-error",
    "hang": "fake-slow",
    "slow_first": "fake-slow",
    "stall": "fake-stall",
    "broken": "fake-broken",
    "empty": "fake-empty",
}


def echo_answer(messages: list[dict[str, Any]]) -> str:
    """The full text `fake-echo` answers to these messages."""
    users = [m for m in messages if m.get("role") == "user"]
    last = _text_of(users[-1]) if users else ""
    return f'You said: "{last}"'


def split_words(text: str) -> list[str]:
    """How the server cuts an answer into chunks: each word keeps its trailing space."""
    if re.search(r"\s", text):
        return re.findall(r"\S+\s*", text)
    return [text[i : i + 2] for i in range(0, len(text), 2)]  # no spaces (Chinese): 2 chars


def _text_of(message: dict[str, Any]) -> str:
    content = message.get("content") or ""
    if isinstance(content, list):  # OpenAI content parts
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content)


@dataclass
class RecordedRequest:
    """One request the server received; `outcome` is set when the handler is done with it."""

    method: str
    path: str
    headers: dict[str, str]  # names lower-cased: headers["authorization"]
    body: Any  # parsed JSON (None if the body was not JSON)
    outcome: str = "pending"  # complete | client_disconnected | dropped | error | stopped
    received_at: float = field(default_factory=time.monotonic)
    behaviour: str | None = None  # fake-flaky: "ok" or the fault drawn; others: the model name

    @property
    def model(self) -> str | None:
        return self.body.get("model") if isinstance(self.body, dict) else None


class _StopServing(Exception):
    """The server is closing while a handler waits."""


class FakeOpenAIServer:
    """Context manager running the fake server in a background thread on 127.0.0.1.

    `chunk_delay` is the pause before every streamed chunk (seconds); `slow_delay` is how
    long `fake-slow` and `fake-stall` wait (longer than any sensible test timeout). Waits
    end early when the server closes, so `close()` never hangs on a slow request.
    `fault_rate` is the share of `fake-flaky` requests that fail, drawn from `Random(seed)`;
    `port` 0 takes a free port.
    """

    def __init__(
        self,
        *,
        chunk_delay: float = 0.0,
        slow_delay: float = 30.0,
        fault_rate: float = 0.3,
        seed: int = 0,
        port: int = 0,
    ) -> None:
        self.chunk_delay = chunk_delay
        self.slow_delay = slow_delay
        self.fault_rate = fault_rate
        self._rng = random.Random(seed)
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Httpd(("127.0.0.1", port), _Handler)
        self._httpd.fake = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="fake-openai", daemon=True
        )
        self._started = False

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> FakeOpenAIServer:
        if not self._started:
            self._thread.start()
            self._started = True
        return self

    def close(self) -> None:
        """Stop serving, wake every waiting handler and release the port. Idempotent."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        if self._started:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- addresses and records ---------------------------------------------------------
    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """OpenAI-style base URL, e.g. ``http://127.0.0.1:PORT/v1`` (litellm's `api_base`)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def wait_for_outcome(self, request: RecordedRequest, timeout: float = 5.0) -> str:
        """Wait until the handler has finished `request`; returns its outcome."""
        deadline = time.monotonic() + timeout
        while request.outcome == "pending" and time.monotonic() < deadline:
            time.sleep(0.01)
        return request.outcome

    def draw_behaviour(self) -> str:
        """The next `fake-flaky` request's behaviour: "ok" or one of FLAKY_FAULTS."""
        with self._lock:
            if self._rng.random() >= self.fault_rate:
                return "ok"
            return self._rng.choice(sorted(FLAKY_FAULTS))

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _sleep(self, seconds: float) -> None:
        if seconds > 0 and self._stopping.wait(seconds):
            raise _StopServing


class _Httpd(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeOpenAIServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # close idle keep-alive connections eventually
    server: _Httpd

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def handle(self) -> None:
        # A client that hangs up between requests leaves nothing to answer.
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            super().handle()

    @property
    def fake(self) -> FakeOpenAIServer:
        return self.server.fake

    # -- routing -----------------------------------------------------------------------
    def do_GET(self) -> None:
        record = RecordedRequest("GET", self.path, self._headers(), None)
        self.fake._record(record)
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            data = [{"id": m, "object": "model", "owned_by": "fake"} for m in FAKE_MODELS]
            self._send_json(200, {"object": "list", "data": data})
        elif self.path.rstrip("/") == "/fake/requests":
            self._send_json(200, {"requests": [_summary(r) for r in self.fake.chat_requests]})
        else:
            self._send_json(404, _error("not found", "invalid_request_error", 404))
        record.outcome = "complete"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = None
        record = RecordedRequest("POST", self.path, self._headers(), body)
        self.fake._record(record)
        try:
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send_json(404, _error("not found", "invalid_request_error", 404))
            elif not isinstance(body, dict) or not isinstance(body.get("messages"), list):
                self._send_json(400, _error("invalid JSON body", "invalid_request_error", 400))
            else:
                self._chat(body, record)
                return
            record.outcome = "complete"
        except (BrokenPipeError, ConnectionResetError):
            record.outcome = "client_disconnected"
            self.close_connection = True
        except _StopServing:
            record.outcome = "stopped"
            self.close_connection = True

    # -- chat completions --------------------------------------------------------------
    def _chat(self, body: dict[str, Any], record: RecordedRequest) -> None:
        model = str(body.get("model", "")).split("/")[-1]
        messages = body["messages"]
        if model not in FAKE_MODELS:
            message = f"The model `{model}` does not exist"
            self._send_json(404, _error(message, "invalid_request_error", "model_not_found"))
            record.outcome = "complete"
            return
        record.behaviour = model
        if model == "fake-flaky":
            record.behaviour = self.fake.draw_behaviour()
            if record.behaviour == "hang":
                self.fake._sleep(self.fake.slow_delay)
            self._flaky(body, record, _FLAKY_AS[record.behaviour])
            return
        if model == "fake-error":
            message = f"fake-error exploded while serving {model} at {self.fake.base_url}"
            self._send_json(500, _error(message, "server_error", 500))
            record.outcome = "error"
            return
        fixed = {"fake-leak": LEAK_ANSWER, "fake-zh": ZH_ANSWER, "fake-empty": ""}
        answer = fixed[model] if model in fixed else echo_answer(messages)
        pieces = split_words(answer) if answer else []
        prompt_tokens = sum(len(_text_of(m).split()) for m in messages)
        if body.get("stream"):
            break_at = 3 if model == "fake-broken" else None
            self._stream(body, record, model, pieces, prompt_tokens, break_at)
        else:
            if model in ("fake-slow", "fake-stall"):
                self.fake._sleep(self.fake.slow_delay)
            usage = _usage(prompt_tokens, len(pieces))
            self._send_json(200, _completion(model, answer, usage))
            record.outcome = "complete"

    def _flaky(self, body: dict[str, Any], record: RecordedRequest, behaviour: str) -> None:
        """Serve a `fake-flaky` request as the fixed behaviour its draw borrows."""
        if behaviour == "fake-error":
            message = f"fake-flaky exploded while serving at {self.fake.base_url}"
            self._send_json(500, _error(message, "server_error", 500))
            record.outcome = "error"
            return
        messages = body["messages"]
        answer = "" if behaviour == "fake-empty" else echo_answer(messages)
        pieces = split_words(answer) if answer else []
        prompt_tokens = sum(len(_text_of(m).split()) for m in messages)
        if body.get("stream"):
            # Short answers break too: after at most 3 chunks, before the last one.
            break_at = min(3, max(len(pieces) - 1, 0)) if behaviour == "fake-broken" else None
            self._stream(body, record, behaviour, pieces, prompt_tokens, break_at, "fake-flaky")
        elif behaviour == "fake-broken":
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            record.outcome = "dropped"
        else:
            if behaviour in ("fake-slow", "fake-stall"):
                self.fake._sleep(self.fake.slow_delay)
            usage = _usage(prompt_tokens, len(pieces))
            self._send_json(200, _completion("fake-flaky", answer, usage))
            record.outcome = "complete"

    def _stream(
        self,
        body: dict[str, Any],
        record: RecordedRequest,
        model: str,
        pieces: list[str],
        prompt_tokens: int,
        break_at: int | None = None,
        label: str | None = None,
    ) -> None:
        """Stream `pieces` as `model` behaves, naming `label` (default `model`) in the chunks;
        drop the connection before chunk `break_at`."""
        name = label or model
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._event(_chunk(name, {"role": "assistant", "content": ""}))
        for index, piece in enumerate(pieces):
            if model == "fake-slow" or (model == "fake-stall" and index == len(pieces) // 2):
                self.fake._sleep(self.fake.slow_delay)
            if index == break_at:
                self.wfile.flush()
                # Mid-body: the chunked encoding never terminates. shutdown() rather than
                # close(), which would wait for rfile/wfile to drop their references.
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                record.outcome = "dropped"
                return
            self.fake._sleep(self.fake.chunk_delay)
            self._event(_chunk(name, {"content": piece}))
        self._event(_chunk(name, {}, finish_reason="stop"))
        if (body.get("stream_options") or {}).get("include_usage") and model != "fake-nousage":
            usage_chunk = _chunk(name, None)
            usage_chunk["usage"] = _usage(prompt_tokens, len(pieces))
            if (body.get("usage") or {}).get("include"):
                usage_chunk["usage"]["cost"] = (
                    usage_chunk["usage"]["total_tokens"] * OPENROUTER_COST_PER_TOKEN
                )
            self._event(usage_chunk)
        self._write_chunk(b"data: [DONE]\n\n")
        self._write_chunk(b"")  # terminating zero-length chunk
        record.outcome = "complete"

    # -- wire helpers ------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.headers.items()}

    def _event(self, payload: dict[str, Any]) -> None:
        self._write_chunk(b"data: " + json.dumps(payload).encode() + b"\n\n")

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()


def _summary(record: RecordedRequest) -> dict[str, Any]:
    """A chat request as `GET /fake/requests` lists it."""
    messages = record.body.get("messages", []) if isinstance(record.body, dict) else []
    system = [_text_of(m) for m in messages if m.get("role") == "system"]
    users = [_text_of(m) for m in messages if m.get("role") == "user"]
    return {
        "model": record.model,
        "behaviour": record.behaviour,
        "outcome": record.outcome,
        "system": system[0] if system else None,
        "prompt": users[-1] if users else None,
    }


def _error(message: str, type_: str, code: int | str) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


def _usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def _chunk(
    model: str, delta: dict[str, Any] | None, finish_reason: str | None = None
) -> dict[str, Any]:
    choices = (
        [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish_reason}]
    )
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": model,
        "choices": choices,
    }


def _completion(model: str, answer: str, usage: dict[str, int]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer},
                "finish_reason": "stop",
            }
        ],
        "usage": usage,
    }


def main(argv: list[str] | None = None) -> None:
    """Serve until SIGTERM/SIGINT; the first line on stdout is ``{"base_url": ...}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--chunk-delay", type=float, default=0.0)
    parser.add_argument("--slow-delay", type=float, default=30.0)
    parser.add_argument("--fault-rate", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    options = vars(args)
    with FakeOpenAIServer(**{k.replace("-", "_"): v for k, v in options.items()}) as server:
        print(json.dumps({"base_url": server.base_url}), flush=True)
        while not stop.wait(0.5):
            pass
    sys.exit(0)


if __name__ == "__main__":
    main()
