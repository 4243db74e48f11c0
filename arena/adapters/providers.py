"""Providers: the one Protocol the service streams answers through, and its litellm adapter.

A provider turns (model, messages) into a stream of `TextDelta`s ending with one `Usage`, or
raises `ProviderFailed`. Failure messages are safe to show a voter: they never name the model,
its provider or its URL, because that would break the arena's anonymity. Fakes live in tests.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import time
import weakref
from collections.abc import AsyncIterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple

import httpx

from arena.domain.roster import ENV_PREFIX, ModelConfig
from arena.ports import (
    FAILURE_MESSAGES,
    Provider,
    ProviderFailed,
    Reachability,
    StreamEvent,
    TextDelta,
    Usage,
)

if TYPE_CHECKING:
    from types import ModuleType

__all__ = [
    "LiteLLMProvider",
    "MapEntry",
    "Provider",
    "ProviderFailed",
    "Reachability",
    "StreamEvent",
    "TextDelta",
    "Usage",
    "list_chat_models",
    "model_mode",
    "routing_problem",
]

log = logging.getLogger(__name__)


@functools.cache
def _litellm() -> ModuleType:
    """litellm, imported on first use: it takes seconds, and the commands that never ask a
    model (import-battles, ratings, snapshot) should not wait for it. The web app asks for it
    before its first battle (`LiteLLMProvider.warm_up`).

    litellm reads LITELLM_LOCAL_MODEL_COST_MAP and friends when it is imported: the entry points
    set them first (arena.config.OFFLINE_ENVIRONMENT), so it fetches nothing but model answers."""
    import litellm

    litellm.disable_hf_tokenizer_download = True
    litellm.suppress_debug_info = True  # no "Give Feedback / Get Help" banners in server logs
    return litellm


DEFAULT_IDLE_TIMEOUT_S = 30.0
TAIL_S = 1.0  # seconds to read a stream's end (its usage, then [DONE]) once the answer is whole
CHECK_PROMPT = "Reply with the single word OK."
CHECK_MAX_TOKENS = 32
# litellm Router / proxy settings that mean nothing to a single acompletion call (and would be
# forwarded to some providers as unknown body fields); the arena's own timeouts apply instead.
ROUTER_ONLY_PARAMS = frozenset(
    {"rpm", "tpm", "order", "weight", "max_parallel_requests", "timeout", "stream_timeout", "tags"}
)
PRICE_PARAMS = ("input_cost_per_token", "output_cost_per_token")
# litellm providers whose call set-up (litellm's `completion()`) only builds a request in memory:
# OpenAI-compatible servers. Others may fetch a credential or token over the network there.
SET_UP_ON_THE_LOOP = frozenset({"openai", "hosted_vllm"})


class SetUpOnTheLoop(ThreadPoolExecutor):
    """An event loop's default executor that runs litellm's set-up of a call to a provider in
    SET_UP_ON_THE_LOOP at once, on the loop, and anything else (another provider's set-up, a
    DNS lookup) on its threads as before. `acompletion` hands the set-up to the default
    executor; on two busy cores the thread's two hand-overs of the GIL kept a turn's request
    waiting 46–77 ms at the median (stop 31), for a millisecond or two of computation."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        if not _pure_set_up(fn):
            return super().submit(fn, *args, **kwargs)
        done: Future = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except BaseException as error:  # as a thread of the pool would hand it over
            done.set_exception(error)
        return done


def _pure_set_up(fn: Any) -> bool:
    """Whether `fn` is litellm's `completion()` set-up, as `acompletion` hands it over (in a
    copied context), for a provider in SET_UP_ON_THE_LOOP."""
    runs = getattr(fn, "func", None)
    if not (isinstance(fn, functools.partial) and isinstance(
        getattr(runs, "__self__", None), contextvars.Context
    ) and fn.args and isinstance(fn.args[0], functools.partial)):  # fmt: skip
        return False
    call = fn.args[0]
    if (getattr(call.func, "__module__", None), getattr(call.func, "__name__", None)) != (
        "litellm.main", "completion",
    ):  # fmt: skip
        return False
    params = call.keywords
    return _routed_to(
        params.get("model"), params.get("custom_llm_provider"),
        params.get("api_base") or params.get("base_url"),
    ) in SET_UP_ON_THE_LOOP  # fmt: skip


@functools.lru_cache(maxsize=1024)
def _routed_to(model: Any, custom_llm_provider: Any, api_base: Any) -> str | None:
    """The litellm provider a call goes to (None if litellm cannot route it: its own thread will
    say so), worked out once per model rather than at every call's set-up."""
    try:
        return _litellm().get_llm_provider(
            model=model, custom_llm_provider=custom_llm_provider, api_base=api_base
        )[1]
    except Exception:  # noqa: BLE001
        return None


class LiteLLMProvider:
    """Streams answers through `litellm.acompletion`, one attempt per call (no retries).

    `timeout_s` bounds a whole answer, connection included. Once text has started to arrive,
    `idle_timeout_s` (default: the smaller of 30 s and `timeout_s`) bounds each wait for the
    next chunk; the wait for the first text only counts against `timeout_s`, so reasoning
    models may think. `environ` resolves `os.environ/NAME` values in litellm_params; it
    defaults to empty, since only arena.config reads the process environment.
    """

    def __init__(
        self,
        *,
        timeout_s: float = 60.0,
        environ: Mapping[str, str] | None = None,
        idle_timeout_s: float | None = None,
    ) -> None:
        self.timeout_s = timeout_s
        self.idle_timeout_s = min(timeout_s, idle_timeout_s or DEFAULT_IDLE_TIMEOUT_S)
        self._environ = dict(environ or {})
        self._loops: weakref.WeakSet = weakref.WeakSet()  # those given SetUpOnTheLoop

    async def stream(
        self, model: ModelConfig, messages: Sequence[Mapping[str, Any]]
    ) -> AsyncIterator[StreamEvent]:
        request = self._request(model, messages)
        loop = asyncio.get_running_loop()
        if loop not in self._loops:
            loop.set_default_executor(SetUpOnTheLoop(thread_name_prefix="litellm"))
            self._loops.add(loop)
        deadline = loop.time() + self.timeout_s
        response = None
        has_text = False
        usage: Any = None
        answer: list[str] = []
        try:
            try:
                async with asyncio.timeout_at(deadline):
                    response = await _litellm().acompletion(**request)
                chunks = response.__aiter__()
                while True:
                    idle_deadline = loop.time() + self.idle_timeout_s if has_text else deadline
                    waited_for = "idle" if idle_deadline < deadline else "timeout"
                    try:
                        async with asyncio.timeout_at(min(deadline, idle_deadline)):
                            chunk = await anext(chunks)
                    except StopAsyncIteration:
                        break
                    except TimeoutError:
                        raise _timed_out(waited_for, self) from None
                    usage = getattr(chunk, "usage", None) or usage
                    text = _content_of(chunk)
                    if text:
                        has_text = has_text or bool(text.strip())
                        answer.append(text)
                        yield TextDelta(text)
                    if _finishes(chunk):  # the answer is whole: its usage is all that is left
                        usage = await _usage_past_litellm(response, deadline) or usage
                        break
                    await asyncio.sleep(0)  # let other battles' streams run between chunks
            except TimeoutError:  # the initial call exceeded the deadline
                raise _timed_out("timeout", self) from None
            except ProviderFailed:
                raise
            except Exception as error:
                failure = _to_failure(error, connected=response is not None, has_text=has_text)
                log.info("%s failed (%s): %s", model.name, failure.kind, failure.detail)
                raise failure from error
        finally:
            if response is not None:
                await response.aclose()  # closes the upstream HTTP stream (shielded)
        if not has_text:
            raise ProviderFailed("empty", detail="stream ended without text")
        yield _to_usage(usage or _estimated_usage(request, "".join(answer)), model)

    async def check(self, model: ModelConfig) -> Reachability:
        """Ask for a one-word answer; reachable if the model starts answering at all."""
        params = dict(model.litellm_params)
        limit = params.get("max_tokens")
        params["max_tokens"] = (
            min(limit, CHECK_MAX_TOKENS) if isinstance(limit, int) else CHECK_MAX_TOKENS
        )
        probe = ModelConfig(name=model.name, litellm_params=params)  # no system prompt
        started = time.perf_counter()
        events = self.stream(probe, [{"role": "user", "content": CHECK_PROMPT}])
        try:
            await anext(events)
        except ProviderFailed as failure:
            if failure.kind == "empty":  # it answered, just not with text (e.g. all reasoning)
                return Reachability(True, "reachable (empty answer)", time.perf_counter() - started)
            return Reachability(False, f"{failure.kind}: {failure.message}")
        finally:
            await events.aclose()
        latency = time.perf_counter() - started
        return Reachability(True, f"answered in {latency:.2f} s", latency)

    def warm_up(self) -> None:
        _litellm()

    async def aclose(self) -> None:
        """Close litellm's cached HTTP clients (bound to the running event loop).

        Call once when the event loop is about to end (app shutdown, end of a test), so no
        connection is left for the garbage collector to warn about.
        """
        await _litellm().close_litellm_async_clients()
        _litellm().in_memory_llm_clients_cache.flush_cache()

    def _request(self, model: ModelConfig, messages: Sequence[Mapping[str, Any]]) -> dict:
        try:
            params = _resolve(model.litellm_params, self._environ)
        except KeyError as missing:
            raise ProviderFailed(
                "config", detail=f"{model.name}: environment variable {missing} is not set"
            ) from None
        for key in (*ROUTER_ONLY_PARAMS, *PRICE_PARAMS):
            params.pop(key, None)
        system = [{"role": "system", "content": model.system_prompt}] if model.system_prompt else []
        return {
            **params,
            "messages": [*system, *(dict(m) for m in messages)],
            "stream": True,
            "stream_options": {"include_usage": True},
            "timeout": self.timeout_s,
            "num_retries": 0,
            "max_retries": 0,
        }


def _resolve(value: Any, environ: Mapping[str, str]) -> Any:
    """A copy of `value` with every "os.environ/NAME" string replaced by environ[NAME]."""
    if isinstance(value, str) and value.startswith(ENV_PREFIX):
        name = value[len(ENV_PREFIX) :]
        if not environ.get(name):
            raise KeyError(name)
        return environ[name]
    if isinstance(value, Mapping):
        return {k: _resolve(v, environ) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, environ) for v in value]
    return value


def _finishes(chunk: Any) -> bool:
    return any(getattr(c, "finish_reason", None) for c in getattr(chunk, "choices", None) or ())


async def _usage_past_litellm(response: Any, deadline: float) -> Any:
    """The usage the provider reports after an answer's last chunk (None if it reports none),
    read to the end of its stream from the provider's own stream under litellm's wrapper.
    Read through the wrapper, the end of the stream starts litellm's end-of-stream work: the
    whole answer rebuilt from its chunks on a thread, then its own cost calculator and success
    logging, for callbacks the arena has none of (it prices the usage itself). With two workers
    at capacity that work took a seventh of a worker's CPU, on threads that take the GIL from
    the loop every stream of the worker shares. What this cannot read within `TAIL_S`, the
    wrapper's `aclose` after it closes."""
    stream = getattr(response, "completion_stream", None)
    usage = None
    if stream is None or not hasattr(stream, "__aiter__"):
        return None
    # the answer is whole: a stream that ends badly now only loses its usage
    with suppress(Exception):
        async with asyncio.timeout_at(min(deadline, asyncio.get_running_loop().time() + TAIL_S)):
            async for raw in stream:
                found = raw.get("usage") if isinstance(raw, dict) else getattr(raw, "usage", None)
                usage = found or usage
    return SimpleNamespace(**usage) if isinstance(usage, dict) else usage


def _estimated_usage(request: Mapping[str, Any], answer: str) -> SimpleNamespace | None:
    """Tokens counted by litellm's tokenizer for a provider that reports no usage (as litellm
    itself counts them at the end of such a stream)."""
    litellm = _litellm()
    with suppress(Exception):
        return SimpleNamespace(
            prompt_tokens=litellm.token_counter(
                model=request["model"], messages=request["messages"]
            ),
            completion_tokens=litellm.token_counter(model=request["model"], text=answer),
        )
    return None


def _content_of(chunk: Any) -> str:
    choices = getattr(chunk, "choices", None) or []
    if not choices:
        return ""
    delta = getattr(choices[0], "delta", None)
    return (getattr(delta, "content", None) or "") if delta is not None else ""


def _timed_out(which: str, provider: LiteLLMProvider) -> ProviderFailed:
    seconds = provider.idle_timeout_s if which == "idle" else provider.timeout_s
    message = FAILURE_MESSAGES[which].format(seconds=f"{seconds:g}")
    return ProviderFailed(which, message, detail=f"{which} after {seconds:g} s")


def _to_usage(usage: Any, model: ModelConfig) -> Usage:
    prompt = getattr(usage, "prompt_tokens", None)
    completion = getattr(usage, "completion_tokens", None)
    if prompt is None or completion is None:
        return Usage(prompt, completion, None)
    charged = getattr(usage, "cost", None)  # OpenRouter's own figure (litellm asks for it)
    if not isinstance(charged, int | float) or isinstance(charged, bool):
        charged = None
    return Usage(prompt, completion, _cost(model.litellm_params, prompt, completion, charged))


def _cost(
    params: Mapping[str, Any], prompt: int, completion: int, charged: float | None = None
) -> float | None:
    """From the entry's own prices if it sets them, else the cost the provider reported with
    the answer (OpenRouter does: its models are not in litellm's cost map), else litellm's
    cost map; None if unknown."""
    prices = [params.get(key) for key in PRICE_PARAMS]
    if all(isinstance(p, int | float) for p in prices):
        return prompt * prices[0] + completion * prices[1]
    if charged is not None:
        return float(charged)
    try:
        prompt_cost, completion_cost = _litellm().cost_per_token(
            model=params["model"], prompt_tokens=prompt, completion_tokens=completion
        )
    except Exception:  # not in the cost map (local and custom models): cost unknown
        return None
    return prompt_cost + completion_cost


# -- what litellm knows about a model (read by the roster, which does not import litellm) --------


class MapEntry(NamedTuple):
    """One chat model of litellm's bundled model map."""

    model: str  # the map's key without the provider prefix: "gpt-5.4-mini"
    deprecation_date: str | None  # "YYYY-MM-DD" if the map gives one


def list_chat_models(provider: str) -> tuple[MapEntry, ...]:
    """The chat models litellm's bundled map lists for `provider` (its `litellm_provider`)."""
    prefix = provider + "/"
    found: dict[str, MapEntry] = {}
    for key, info in _litellm().model_cost.items():
        if info.get("litellm_provider") != provider or info.get("mode") != "chat":
            continue
        model = key.removeprefix(prefix)  # the map lists some models with and without it
        date = info.get("deprecation_date")
        found.setdefault(model, MapEntry(model, date if isinstance(date, str) else None))
    return tuple(found.values())


def model_mode(model: str) -> str | None:
    """The `mode` litellm's model map gives `model` ("chat", "embedding", ...); None if unknown."""
    try:
        mode = _litellm().get_model_info(model=model).get("mode")
    except Exception:  # not in the map: self-hosted and custom models
        return None
    return mode if isinstance(mode, str) else None


def routing_problem(model: str, custom_llm_provider: str | None = None) -> str | None:
    """Why litellm could not pick a provider for `model`, or None if it can."""
    try:
        _litellm().get_llm_provider(model=model, custom_llm_provider=custom_llm_provider)
    except Exception as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return first.removeprefix("litellm.BadRequestError: ").split(". ")[0].rstrip(".")
    return None


@functools.cache
def _kinds() -> tuple[tuple[type[BaseException], str], ...]:
    """exception class -> failure kind, most specific first (several subclass others). The
    whole chain of causes is searched, outermost first: litellm wraps transport errors in
    generic ones."""
    litellm = _litellm()
    return (
        (litellm.Timeout, "timeout"),
        (litellm.ContextWindowExceededError, "too_long"),
        (litellm.ContentPolicyViolationError, "refused"),
        (litellm.AuthenticationError, "auth"),
        (litellm.PermissionDeniedError, "auth"),
        (litellm.RateLimitError, "rate_limited"),
        (litellm.NotFoundError, "not_found"),
        (httpx.TimeoutException, "timeout"),
        (TimeoutError, "timeout"),
        (httpx.ConnectError, "unreachable"),
        (ConnectionRefusedError, "unreachable"),
    )


def _to_failure(error: Exception, *, connected: bool, has_text: bool) -> ProviderFailed:
    """Map a litellm exception to a sanitised ProviderFailed; the raw text goes to `detail`."""
    chain = _causes(error)
    kind = next((k for cause in chain for cls, k in _kinds() if isinstance(cause, cls)), "error")
    if (kind == "unreachable" and connected) or (kind == "error" and has_text):
        kind = "broken_stream"
    detail = " <- ".join(f"{type(cause).__name__}: {cause}" for cause in chain)
    if kind == "timeout":
        return ProviderFailed("timeout", FAILURE_MESSAGES["late"], detail=detail)
    return ProviderFailed(kind, detail=detail)


def _causes(error: BaseException) -> list[BaseException]:
    """`error` and what it wraps (litellm's original_exception, __cause__, __context__)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = (
            getattr(current, "original_exception", None) or current.__cause__ or current.__context__
        )
    return chain
