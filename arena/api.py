"""JSON endpoints mounted beside the UI. They call the service only.

Reads are public. Every endpoint that changes state needs the maintainer secret as
`Authorization: Bearer <ARENA_MAINTAINER_SECRET>`; with no secret configured they are disabled.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from fastapi import APIRouter, Header, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from arena.publishing import MaintainerOnly, SnapshotNotFound
from arena.service import Arena


def build_api(arena: Arena) -> APIRouter:
    router = APIRouter(prefix="/api")
    publishing = arena.publishing

    @router.get("/health")
    def health() -> dict:
        return {"status": "ok", "models": len(arena.roster.models)}

    @router.get("/leaderboard/live")
    def live_leaderboard() -> dict:
        """Live TrueSkill ratings, best conservative rating first."""
        return {"method": "trueskill", "rows": [asdict(r) for r in arena.leaderboard()]}

    @router.get("/leaderboard")
    def leaderboard(category: str = Query("overall")) -> dict:
        """The official board of one category from the latest snapshot."""
        snapshot = _snapshot(None)
        board = snapshot.boards.get(category)
        if board is None:
            raise HTTPException(
                400, f"unknown category {category!r}: choose from {', '.join(snapshot.boards)}"
            )
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
        return {"snapshots": publishing.list()}

    @router.get("/snapshots/{snapshot_id}")
    def snapshot(snapshot_id: str) -> Response:
        """One snapshot: manifest and every board."""
        return Response(_snapshot(snapshot_id).to_json(), media_type="application/json")

    @router.get("/snapshots/{snapshot_id}/changes")
    def changes(snapshot_id: str, category: str = Query("overall")) -> dict:
        """Every model's rank and rating change since the previous snapshot."""
        try:
            found = publishing.changes(snapshot_id, category)
        except SnapshotNotFound as error:
            raise HTTPException(404, str(error)) from None
        return {"snapshot_id": snapshot_id, "category": category,
                "changes": [asdict(c) for c in found]}  # fmt: skip

    @router.post("/snapshots", status_code=201)
    async def create_snapshot(authorization: str | None = Header(None)) -> Response:
        """Recompute and store a new snapshot (maintainers only)."""
        _require_maintainer(authorization)
        try:
            made = await run_in_threadpool(publishing.create)
        except ValueError as error:
            raise HTTPException(409, str(error)) from None
        body = {"id": made.id, "manifest": asdict(made.manifest)}
        return Response(json.dumps(body, ensure_ascii=False), 201, media_type="application/json")

    def _require_maintainer(authorization: str | None) -> None:
        token = (authorization or "").removeprefix("Bearer ").strip() or None
        try:
            publishing.check_maintainer(token)
        except MaintainerOnly as error:
            raise HTTPException(403, str(error)) from None

    def _snapshot(snapshot_id: str | None):
        try:
            return publishing.get(snapshot_id)
        except SnapshotNotFound as error:
            raise HTTPException(404, str(error)) from None

    return router
