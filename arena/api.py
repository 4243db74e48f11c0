"""JSON endpoints mounted beside the UI. They call the service only."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from arena.service import Arena


def build_api(arena: Arena) -> APIRouter:
    router = APIRouter(prefix="/api")

    @router.get("/health")
    def health() -> dict:
        return {"status": "ok", "models": len(arena.roster.models)}

    @router.get("/leaderboard/live")
    def live_leaderboard() -> dict:
        """Live TrueSkill ratings, best conservative rating first."""
        return {"method": "trueskill", "rows": [asdict(r) for r in arena.leaderboard()]}

    return router
