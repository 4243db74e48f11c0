"""A client of the arena's JSON battle API: one `ArenaClient` (one httpx.Client, its cookie kept)
is one voter. Start a battle, stream a turn to its last line, vote, abandon."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

import httpx

from arena.domain.verdicts import Verdict
from arena.integrity.proof_of_work import solve


class ApiRefused(Exception):
    """The API answered with an error status; `reason` is the body's detail.reason if any."""

    def __init__(self, status: int, body: Any):
        detail = body.get("detail") if isinstance(body, dict) else None
        self.status = status
        self.reason = detail.get("reason") if isinstance(detail, dict) else None
        self.body = body
        super().__init__(f"HTTP {status}: {body}")


@dataclass(frozen=True)
class StartedBattle:
    battle_id: str
    challenge: str | None
    pow_bits: int


@dataclass(frozen=True)
class TurnResult:
    """The last NDJSON line of a streamed turn (done=true), and how many lines came."""

    final: dict[str, Any]
    lines: int

    @property
    def failed_sides(self) -> list[str]:
        return list(self.final.get("failed_sides") or [])

    @property
    def can_vote(self) -> bool:
        return bool(self.final.get("can_vote"))


VERDICTS = tuple(v.value for v in Verdict)  # a_better, b_better, tie, both_bad

# Words for prompts that do not look alike. The duplicate-prompt gate compares each prompt with
# the stored ones that share enough character 3-grams; prompts with a common stem would all be
# compared with each other, which real traffic does not do.
WORDS = (
    "river mountain poem recipe garden history python train ocean violin market winter theory "
    "bridge planet coffee desert library engine festival harbor insect jungle kettle lantern "
    "meadow novel orchard pepper quartz rocket saddle tunnel umbrella valley walnut yogurt "
    "zebra anchor bakery canyon dolphin eclipse falcon glacier hammock island jacket kayak "
    "lemon magnet nectar oyster pebble quilt raven sunset tractor unicorn volcano whistle"
).split()


def varied_prompt(n: int, words: int = 8) -> str:
    """Prompt number `n`: made-up words (a word and the start of another), the same for the same
    `n`, unique by its number."""
    rng = random.Random(n)
    made_up = (rng.choice(WORDS) + rng.choice(WORDS)[:3] for _ in range(words))
    return " ".join(made_up) + f" ({n})"


def voter_ip(n: int) -> str:
    """A distinct client address for voter `n` (sent as X-Forwarded-For from 127.0.0.1)."""
    return f"10.{n // 250 % 250}.{n % 250}.{1 + n // 62_500}"


class ArenaClient:
    """One voter of the arena at `base_url` (never anything but 127.0.0.1 in the benchmarks).

    With `ip`, requests say X-Forwarded-For: ip, which the app believes only when started with
    ARENA_TRUSTED_PROXIES=127.0.0.1: then voters have distinct addresses as in real traffic."""

    def __init__(self, base_url: str, *, timeout_s: float = 60.0, ip: str | None = None) -> None:
        headers = {"X-Forwarded-For": ip} if ip else {}
        self.http = httpx.Client(base_url=base_url, timeout=timeout_s, headers=headers)

    def start_battle(self) -> StartedBattle:
        answer = self.http.post("/api/battles", json={})
        body = _checked(answer, 201)
        return StartedBattle(body["battle_id"], body.get("challenge"), int(body.get("pow_bits", 0)))

    def ask(self, battle_id: str, prompt: str) -> TurnResult:
        """Stream a turn; returns its last line (raises ApiRefused, or httpx errors mid-stream)."""
        with self.http.stream(
            "POST", f"/api/battles/{battle_id}/turns", json={"prompt": prompt}
        ) as answer:
            if answer.status_code != 200:
                answer.read()
                _checked(answer, 200)
            last, lines = None, 0
            for line in answer.iter_lines():
                if line.strip():
                    last, lines = json.loads(line), lines + 1
        if last is None or not last.get("done"):
            raise ApiRefused(200, {"detail": {"reason": "stream_ended_early", "message": last}})
        return TurnResult(final=last, lines=lines)

    def vote(self, battle: StartedBattle | str, verdict: str) -> dict[str, Any]:
        """Vote; solves the proof of work when the battle came with a challenge."""
        if isinstance(battle, StartedBattle):
            battle_id, proof = battle.battle_id, proof_for(battle)
        else:
            battle_id, proof = battle, None
        answer = self.http.post(
            f"/api/battles/{battle_id}/vote", json={"verdict": verdict, "proof": proof}
        )
        return _checked(answer, 200)

    def abandon(self, battle_id: str) -> None:
        _checked(self.http.post(f"/api/battles/{battle_id}/abandon"), 204)

    def health(self) -> dict[str, Any]:
        return _checked(self.http.get("/api/health"), 200)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ArenaClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def proof_for(battle: StartedBattle) -> dict[str, str] | None:
    if not battle.challenge or battle.pow_bits <= 0:
        return None
    return {
        "challenge": battle.challenge,
        "solution": str(solve(battle.challenge, battle.pow_bits)),
    }


def _checked(answer: httpx.Response, expected: int) -> Any:
    if answer.status_code != expected:
        try:
            body = answer.json()
        except ValueError:
            body = answer.text
        raise ApiRefused(answer.status_code, body)
    if expected == 204 or not answer.content:
        return None
    return answer.json()
