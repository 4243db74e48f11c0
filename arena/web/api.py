"""JSON endpoints mounted beside the UI. They call the service only.

Reads are public. Battles and votes act for the voter of the signed `arena_voter` cookie (set by
the edge middleware), exactly as the UI does. Maintainer endpoints need the maintainer secret as
`Authorization: Bearer <ARENA_MAINTAINER_SECRET>`; with no secret configured they are disabled,
and an IP that sends wrong secrets is throttled.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from arena.domain.battle import BattleRuleBroken
from arena.domain.reasons import Reason
from arena.domain.verdicts import Feedback, Verdict
from arena.service import (
    Arena,
    MaintainerOnly,
    Proof,
    SnapshotNotFound,
    StoreFailed,
    UnknownCategory,
    check_category,
)
from arena.views import InvalidInput, Receipt, TurnView, Voter
from arena.web.edge import VOTER_COOKIE
from arena.web.shared_page import page_path

LOG = logging.getLogger(__name__)
# What a client is told when the database cannot serve its call (Arena.in_store's StoreFailed).
STORAGE_UNAVAILABLE = {"reason": "storage_unavailable",
                       "message": "the database cannot serve this now: try again in a moment"}  # fmt: skip

# Refusals that mean "no such battle for you" (404) rather than "not now" (409).
NOT_FOUND = {Reason.BATTLE_NOT_FOUND, Reason.NOT_YOUR_BATTLE}
# The rate limits on starting battles (429: come back later).
TOO_MANY = {
    Reason.BATTLES_PER_MINUTE_VOTER, Reason.BATTLES_PER_MINUTE_IP, Reason.NEW_VOTERS_PER_MINUTE_IP
}  # fmt: skip
FORBIDDEN = {Reason.TERMS_NOT_ACCEPTED}
MAX_MESSAGE_CHARS = 200  # of an error message that names what a client sent


class PromptBody(BaseModel):
    prompt: str = Field(description="the voter's message to both models")


class ProofBody(BaseModel):
    challenge: str = Field(max_length=512, description="the challenge token the battle came with")
    solution: str = Field(max_length=32, description="the counter that solves it")


class TermsBody(BaseModel):
    sha256: str = Field(max_length=64, description="the SHA-256 GET /api/terms gave for the text")


class VoteBody(BaseModel):
    verdict: Verdict
    proof: ProofBody | None = None
    feedback: list[Feedback] | None = Field(
        default=None,
        max_length=len(Feedback),
        description="optional: what made the better answer better (a_better or b_better only)",
    )


def build_api(arena: Arena) -> APIRouter:
    router = APIRouter(prefix="/api")
    # Calls that reach the store go through `arena.in_store`: on the loop when the store takes
    # them without waiting, else on the service's store threads, `arena.concurrent_writes` at a
    # time (SQLite: one), the others waiting as coroutines. Run in the shared thread pool, 40
    # votes at once fought over the database lock and the GIL: at 200 votes/s the p99 went from
    # 20 ms to seconds. Waiting on the event loop, each stalled every stream of the worker.
    in_store = arena.in_store

    @router.get("/health")
    def health() -> dict:
        return {"status": "ok", "models": len(arena.model_names())}

    @router.get("/leaderboard/live")
    def live_leaderboard() -> dict:
        """Live TrueSkill ratings, best conservative rating first."""
        return {"method": "trueskill", "rows": [asdict(r) for r in arena.leaderboard()]}

    @router.get("/leaderboard")
    def leaderboard(category: str = Query("overall")) -> dict:
        """The official board of one category from the latest snapshot."""
        snapshot = _snapshot(None)
        try:
            check_category(snapshot, category)
        except UnknownCategory as error:
            raise HTTPException(400, str(error)) from None
        board = snapshot.boards[category]
        return {
            "snapshot_id": snapshot.id,
            "created_at": snapshot.manifest.created_at,
            "category": category,
            "votes": board.votes,
            "rows": [asdict(r) for r in board.rows],
        }

    @router.get("/snapshots")
    def snapshots() -> dict:
        """Every snapshot, newest first: id, created_at, votes, vote_set_sha256."""
        return {"snapshots": arena.snapshots()}

    @router.get("/snapshots/{snapshot_id}")
    def snapshot(snapshot_id: str) -> Response:
        """One snapshot: manifest and every board."""
        return Response(_snapshot(snapshot_id).to_json(), media_type="application/json")

    @router.get("/snapshots/{snapshot_id}/changes")
    def changes(snapshot_id: str, category: str = Query("overall")) -> dict:
        """Every model's rank and rating change since the previous snapshot."""
        try:
            found = arena.snapshot_changes(snapshot_id, category)
        except SnapshotNotFound as error:
            raise HTTPException(404, str(error)) from None
        except UnknownCategory as error:
            raise HTTPException(400, str(error)) from None
        return {"snapshot_id": snapshot_id, "category": category,
                "changes": [asdict(c) for c in found]}  # fmt: skip

    @router.post("/snapshots", status_code=201)
    async def create_snapshot(
        request: Request, authorization: str | None = Header(None)
    ) -> Response:
        """Recompute and store a new snapshot (maintainers only)."""
        await in_store(_require_maintainer, authorization, request)  # logs refusals: a write
        try:
            made = await run_in_threadpool(arena.create_snapshot)
        except ValueError as error:
            raise HTTPException(409, str(error)) from None
        body = {"id": made.id, "manifest": asdict(made.manifest)}
        return Response(json.dumps(body, ensure_ascii=False), 201, media_type="application/json")

    def _require_maintainer(authorization: str | None, request: Request) -> None:
        scheme, _, token = (authorization or "").strip().partition(" ")
        token = token.strip() if scheme.lower() == "bearer" else ""  # the scheme in any case
        token = token or None
        try:
            arena.check_maintainer(token, _ip(request))
        except MaintainerOnly as error:
            raise HTTPException(429 if error.throttled else 403, str(error)) from None

    # -- the terms a voter accepts before a first battle -------------------------------------
    @router.get("/terms")
    async def terms(request: Request, lang: str = Query("en")) -> dict:
        """The terms notice (Markdown) in `lang` (en or zh), its SHA-256, whether battles need
        it, and whether this voter has accepted it."""
        shown = arena.terms(lang)
        accepted = await in_store(arena.has_accepted_terms, _voter(request))
        return {"text": shown.text, "sha256": shown.sha256, "required": shown.required,
                "accepted": accepted}  # fmt: skip

    @router.post("/terms")
    async def accept_terms(body: TermsBody, request: Request) -> dict:
        """Accept the terms whose SHA-256 GET /api/terms gave (recorded with the voter)."""
        try:
            await in_store(arena.accept_terms, _voter(request), body.sha256)
        except (InvalidInput, BattleRuleBroken) as problem:
            raise _http_error(problem) from None
        return {"accepted": True}

    # -- battles and votes: the arena as JSON (one anonymous battle per call to /battles) --
    @router.post("/battles", status_code=201)
    async def start_battle(request: Request) -> dict:
        """Start an anonymous battle for this voter: its id, and a proof-of-work challenge to
        solve before voting if the voter has never had a vote counted."""
        try:
            started = await in_store(arena.start_battle, _voter(request))
        except (InvalidInput, BattleRuleBroken) as problem:
            raise _http_error(problem) from None
        return {
            "battle_id": started.battle_id,
            "challenge": started.challenge,
            "pow_bits": arena.settings.pow_bits if started.challenge else 0,
        }

    @router.post("/battles/{battle_id}/turns")
    async def ask(battle_id: str, body: PromptBody, request: Request) -> StreamingResponse:
        """Send a prompt to both sides; the answers stream back as JSON lines (one turn view
        per line, the last with `"done": true` and, when a vote is possible, how many seconds
        until it would count: `vote_counts_in_s`, as the page's countdown)."""
        voter = _voter(request)
        try:  # checked and claimed in the database, off the loop the streams share
            stream = await in_store(arena.ask, voter, battle_id, body.prompt)
        except (InvalidInput, BattleRuleBroken) as problem:
            raise _http_error(problem) from None

        async def vote_wait() -> float | None:
            return await in_store(arena.seconds_until_vote_counts, voter, battle_id)

        return StreamingResponse(_json_lines(stream, vote_wait), media_type="application/x-ndjson")

    @router.post("/battles/{battle_id}/vote")
    async def vote(battle_id: str, body: VoteBody, request: Request) -> dict:
        """Vote on a battle whose answers are complete; the receipt says whether it counts
        and, once stored, reveals both models."""
        proof = Proof(body.proof.challenge, body.proof.solution) if body.proof else None
        try:
            receipt = await in_store(
                arena.vote, _voter(request), battle_id, body.verdict, proof, body.feedback
            )
        except InvalidInput as problem:
            raise _http_error(problem) from None
        return _receipt_json(receipt)

    @router.post("/battles/{battle_id}/share", status_code=201)
    async def share(battle_id: str, request: Request) -> dict:
        """Share a battle you voted on: the id and path of its public page (asked again, the
        same). The page shows the prompts, both answers, the models and the verdict; nothing
        about the voter."""
        try:
            share_id = await in_store(arena.share_battle, _voter(request), battle_id)
        except (InvalidInput, BattleRuleBroken) as problem:
            raise _http_error(problem) from None
        return {"share_id": share_id, "url": page_path(share_id)}

    @router.get("/shared/{share_id}")
    async def shared(share_id: str) -> dict:
        """A shared battle as JSON: its turns (prompt, answers), models, verdict, feedback."""
        battle = await in_store(arena.shared_battle, share_id)
        if battle is None:
            raise HTTPException(404, {"reason": "not_shared", "message": "no shared battle"})
        return {
            "share_id": battle.share_id,
            "turns": [
                {"prompt": prompt, "answers": {str(side): text for side, text in answers.items()}}
                for prompt, answers in battle.turns
            ],
            "models": {str(side): asdict(card) for side, card in battle.cards.items()},
            "verdict": battle.verdict.value,
            "feedback": [word.value for word in battle.feedback],
        }

    @router.post("/battles/{battle_id}/abandon", status_code=204)
    async def abandon(battle_id: str, request: Request) -> Response:
        """Give up a battle before voting: stored as abandoned, never rated."""
        try:  # not in the writes' queue: it may wait for its stopped stream's last update
            await run_in_threadpool(arena.abandon, _voter(request), battle_id)
        except (InvalidInput, BattleRuleBroken) as problem:
            raise _http_error(problem) from None
        return Response(status_code=204)

    def _voter(request: Request) -> Voter:
        voter_id = arena.voter_from_token(request.cookies.get(VOTER_COOKIE))
        if voter_id is None:  # the edge middleware always sets one; refuse rather than guess
            raise HTTPException(401, {"reason": "voter_invalid", "message": "no voter cookie"})
        return Voter(session_id=f"api:{voter_id}", voter_id=voter_id, ip=_ip(request))

    def _snapshot(snapshot_id: str | None):
        try:
            return arena.snapshot(snapshot_id)
        except SnapshotNotFound as error:
            raise HTTPException(404, str(error)) from None

    return router


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None


async def storage_failed(request: Request, error: StoreFailed) -> JSONResponse:
    """A call the database could not serve (a full disk, a dropped server): one 503 in the
    API's own shape, one log line, and the connection kept. Unhandled, it was a plain-text 500
    whose connection the worker then reset, and nginx took every worker out."""
    LOG.warning("storage failed on %s %s: %s", request.method, request.url.path, error)
    return JSONResponse({"detail": STORAGE_UNAVAILABLE}, status_code=503)


async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
    """A request the API's models refuse: 422, its first problem's place and message, in the
    API's own shape and never with the input (FastAPI's echoed it: 10 MB values came back
    whole, and a lone surrogate in one made the echo a 500)."""
    problems = error.errors()
    first = problems[0] if problems else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    message = f"{where}: {first.get('msg', 'invalid')}" if where else first.get("msg", "invalid")
    message = message.encode("utf-8", "replace").decode("utf-8")[:MAX_MESSAGE_CHARS]
    return JSONResponse({"detail": {"reason": "invalid_request", "message": message}}, 422)


def _http_error(problem: InvalidInput | BattleRuleBroken) -> HTTPException:
    if isinstance(problem, InvalidInput):
        return HTTPException(400, {"reason": problem.code, "message": problem.message})
    reason = str(problem.reason)
    status = (
        404 if reason in NOT_FOUND else 429 if reason in TOO_MANY
        else 403 if reason in FORBIDDEN else 409
    )  # fmt: skip
    return HTTPException(status, {"reason": reason, "message": problem.message})


async def _json_lines(
    stream: AsyncIterator[TurnView], vote_wait: Callable[[], Awaitable[float | None]]
) -> AsyncIterator[bytes]:
    try:
        async for view in stream:
            line = _view_json(view)
            if view.done and view.can_vote:
                try:
                    wait = await vote_wait()
                except (InvalidInput, BattleRuleBroken):  # the battle was cleared meanwhile
                    wait = None  # the answers still reach the client
                # rounded up, as the page's countdown: a script that waits this long counts
                line["vote_counts_in_s"] = None if wait is None else math.ceil(wait * 10) / 10
            yield (json.dumps(line, ensure_ascii=False) + "\n").encode()
    except BattleRuleBroken as problem:
        error = {"error": {"reason": str(problem.reason), "message": problem.message}}
        yield (json.dumps(error) + "\n").encode()
    except StoreFailed as problem:  # the stream's last line says so, as a refusal's does
        LOG.warning("storage failed in a stream: %s", problem)
        error = {"error": STORAGE_UNAVAILABLE}
        yield (json.dumps(error) + "\n").encode()


def _view_json(view: TurnView) -> dict[str, Any]:
    return {
        "battle_id": view.battle_id,
        "done": view.done,
        "sides": {str(side): asdict(shown) for side, shown in view.sides.items()},
        "failed_sides": [str(side) for side in view.failed_sides],
        "warnings": [str(reason) for reason in view.warnings],
        "can_vote": view.can_vote,
    }


def _receipt_json(receipt: Receipt) -> dict[str, Any]:
    return {
        "battle_id": receipt.battle_id,
        "verdict": receipt.verdict.value if receipt.verdict else None,
        "stored": receipt.stored,
        "counted": receipt.counted,
        "reason": str(receipt.reason) if receipt.reason else None,
        "models": {str(side): asdict(card) for side, card in receipt.cards.items()}
        if receipt.cards
        else None,
        "feedback": [word.value for word in receipt.feedback],
    }
