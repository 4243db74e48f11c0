"""Battles and turns as store rows, for both store adapters: a Turn to its row and back, a
battles row to a Battle, and an imported pair of conversations as (prompt, answer A, answer B)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from arena.domain.battle import Answer, Battle, Mode, Side, Status, Turn


def turn_from_row(
    row: dict[str, Any], sides: tuple[Side, ...], disclosures: Sequence[str], probe: Sequence[str]
) -> Turn:
    """A Turn from a `turns` row; `disclosures` and `probe` already decoded from JSON."""
    answers = {}
    for side in sides:
        s = side.value.lower()
        text, error = row[f"answer_{s}"], row[f"error_{s}"]
        answers[side] = Answer(
            text=text or "",
            error=error,
            latency_s=row[f"latency_{s}_s"],
            prompt_tokens=row[f"prompt_tokens_{s}"],
            completion_tokens=row[f"completion_tokens_{s}"],
            cost_usd=row[f"cost_{s}_usd"],
            complete=error is None,
        )
    return Turn(
        index=row["idx"],
        prompt=row["prompt"],
        answers=answers,
        disclosures=tuple(disclosures),
        probe=tuple(probe),
    )


def turn_texts(
    conversation_a: list | None, conversation_b: list | None
) -> list[tuple[str, str, str]]:
    """(prompt, answer A, answer B) per turn from two role/content conversations."""

    def pairs(conversation):
        out, prompt = [], None
        for message in conversation or []:
            if message.get("role") == "user":
                prompt = str(message.get("content", ""))
            elif message.get("role") == "assistant" and prompt is not None:
                out.append((prompt, str(message.get("content", ""))))
                prompt = None
        return out

    a, b = pairs(conversation_a), pairs(conversation_b)
    return [(pa, aa, ab) for (pa, aa), (_, ab) in zip(a, b, strict=False)]


def turn_to_row(battle_id: str, turn: Turn) -> dict[str, Any]:
    """The `turns` row of a turn, without its JSON columns and time (each store writes those
    in its own types)."""
    a, b = turn.answers.get(Side.A, Answer()), turn.answers.get(Side.B)
    return {
        "battle_id": battle_id,
        "idx": turn.index,
        "prompt": turn.prompt,
        "answer_a": a.text,
        "error_a": a.error,
        "latency_a_s": a.latency_s,
        "prompt_tokens_a": a.prompt_tokens,
        "completion_tokens_a": a.completion_tokens,
        "cost_a_usd": a.cost_usd,
        "answer_b": b.text if b else None,
        "error_b": b.error if b else None,
        "latency_b_s": b.latency_s if b else None,
        "prompt_tokens_b": b.prompt_tokens if b else None,
        "completion_tokens_b": b.completion_tokens if b else None,
        "cost_b_usd": b.cost_usd if b else None,
    }


def battle_from_row(
    row: dict[str, Any], models: dict[Side, str], turns: tuple[Turn, ...]
) -> Battle:
    """A Battle from its `battles` row (with the model names resolved) and its turns."""
    return Battle(
        id=row["id"],
        session_id=row["session_id"],
        voter_id=row["voter_id"],
        mode=Mode(row["mode"]),
        models=models,
        status=Status(row["status"]),
        turns=turns,
        max_turns=row["max_turns"],
        pair_probability=row["pair_probability"],
        streaming=row["streaming_since"] is not None,
    )
