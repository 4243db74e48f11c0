"""The capacity benchmark's reference worker: the JSON API's battle and turn exchange and nothing
else, to tell what the machine and the harness allow from what the arena's workers reach.

    python bench/reference_worker.py --port 8001 --provider http://127.0.0.1:9000/v1 --burn 1.0

One process, one event loop, no threads, no database: `POST /api/battles` hands out an id;
`POST /api/battles/{id}/turns` streams the prompt to the provider for sides A and B at once and
relays both answers as JSON lines as the arena does (the text so far of each side, then a last
line with `done` and `can_vote`), one line per provider word. Each word the provider sends costs
`--burn` ms of CPU, spent in a busy loop, so that its CPU per battle can be set near a real
worker's: its capacity with 1 and 2 processes is then what an ideal worker with that cost would
reach on the same machine, through the same nginx, against the same voters and provider.
`WorkerPair` runs two of them on consecutive ports, as `serve --workers 2` does.
"""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.arena_process import HOST, PYTHON, stop_process  # noqa: E402
from bench.workers_process import accepts, free_ports  # noqa: E402

SIDES = ("a", "b")


def _burn(seconds: float) -> None:
    """Spend `seconds` of CPU on this thread (the stand-in for a real worker's per-word work):
    of this thread's CPU time, not of the clock's, so that a worker that loses its core mid-burn
    still pays the whole cost, as a real worker's work does."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def make_app(provider: str, burn_s: float):
    """The aiohttp application: `provider` is the fake provider's base URL (…/v1)."""
    import asyncio

    from aiohttp import ClientSession, ClientTimeout, TCPConnector, web

    async def battle(request: web.Request) -> web.Response:
        return web.json_response({"battle_id": secrets.token_hex(16)}, status=201)

    async def turn(request: web.Request) -> web.StreamResponse:
        prompt = (await request.json())["prompt"]
        answer = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
        await answer.prepare(request)
        texts = dict.fromkeys(SIDES, "")

        def line(**extra) -> bytes:
            sides = {side: {"text": text} for side, text in texts.items()}
            return json.dumps({"sides": sides, **extra}).encode() + b"\n"

        async def side(name: str) -> None:
            body = {"model": "fake-echo", "stream": True,
                    "messages": [{"role": "user", "content": prompt}]}  # fmt: skip
            async with request.app["client"].post(f"{provider}/chat/completions", json=body) as r:
                async for event in r.content:
                    if not event.startswith(b"data: {"):
                        continue
                    choices = json.loads(event[6:]).get("choices") or [{}]
                    _burn(burn_s)
                    word = choices[0].get("delta", {}).get("content")
                    if word:
                        texts[name] += word
                        await answer.write(line())

        await asyncio.gather(*(side(name) for name in SIDES))
        await answer.write(line(done=True, can_vote=True))
        await answer.write_eof()
        return answer

    async def open_client(app: web.Application) -> None:
        app["client"] = ClientSession(timeout=ClientTimeout(total=120),
                                      connector=TCPConnector(limit=0))  # fmt: skip

    async def close_client(app: web.Application) -> None:
        await app["client"].close()

    app = web.Application()
    app.router.add_post("/api/battles", battle)
    app.router.add_post("/api/battles/{battle}/turns", turn)
    app.on_startup.append(open_client)
    app.on_cleanup.append(close_client)
    return app


class WorkerPair:
    """Two reference workers on ports `port`+1 and `port`+2 (nginx_config's layout)."""

    def __init__(self, provider: str, burn_ms: float) -> None:
        self.provider, self.burn_ms = provider, burn_ms
        self.port = free_ports(3)
        self.worker_ports = [self.port + 1, self.port + 2]
        self.processes: list[subprocess.Popen] = []

    def worker_pid(self, number: int) -> int:
        return self.processes[number - 1].pid

    def __enter__(self) -> WorkerPair:
        for port in self.worker_ports:
            self.processes.append(subprocess.Popen(
                [PYTHON, __file__, "--port", str(port), "--provider", self.provider,
                 "--burn", str(self.burn_ms)], stdin=subprocess.DEVNULL,
            ))  # fmt: skip
        deadline = time.monotonic() + 30
        while not all(accepts(port) for port in self.worker_ports):
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                self.__exit__()
                raise RuntimeError("the reference workers did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for process in self.processes:
            stop_process(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--provider", required=True, help="the provider's base URL (…/v1)")
    parser.add_argument("--burn", type=float, default=1.0, help="ms of CPU per provider word")
    args = parser.parse_args()
    from aiohttp import web

    web.run_app(make_app(args.provider, args.burn / 1000), host=HOST, port=args.port,
                print=None, access_log=None)  # fmt: skip


if __name__ == "__main__":
    main()
