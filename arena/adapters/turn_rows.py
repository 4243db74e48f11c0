"""Battles and turns as store rows, for both store adapters: a Turn to its row and back, a
battles row to a Battle, imported battles (columns) as the rows both stores write."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np

from arena.domain.battle import Answer, Battle, Mode, Side, Status, Turn
from arena.domain.reasons import Reason
from arena.ports import ImportRejected

if TYPE_CHECKING:
    from arena.ports import ImportedBattles


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


def iso_times(seconds: np.ndarray, now: str) -> list[str]:
    """Unix seconds as `arena.domain.clock.to_iso` writes them (ISO 8601, UTC, milliseconds), all
    at once; NaN (no time given) as `now`. Like `datetime.fromtimestamp`, rounds to the nearest
    microsecond (half to even), then keeps the milliseconds."""
    given = ~np.isnan(seconds)
    whole = np.trunc(np.where(given, seconds, 0.0))
    micro = np.rint((np.where(given, seconds, 0.0) - whole) * 1e6)
    whole += np.where(micro >= 1e6, 1.0, 0.0) - np.where(micro < 0, 1.0, 0.0)
    micro += np.where(micro < 0, 1e6, 0.0) - np.where(micro >= 1e6, 1e6, 0.0)
    millis = whole.astype(np.int64) * 1000 + micro.astype(np.int64) // 1000
    text = np.char.add(np.datetime_as_string(millis.astype("datetime64[ms]")), "+00:00")
    return np.where(given, text, now).tolist()


# -- imported battles -------------------------------------------------------------------------

IMPORT_CHUNK = 100_000  # battles per executemany/COPY batch: progress is told after each
Progress = Callable[[int, int], None]  # (battles stored, total)
EXPORT_PROGRESS_EVERY = 10_000  # battles exported between two progress reports


def rejected_import(clashes: list[str], repeated: list[str]) -> ImportRejected:
    """The refusal of an import whose battle ids are already stored (or else repeated)."""
    shown = ", ".join((clashes or repeated)[:5])
    return ImportRejected(
        f"{len(clashes) or len(repeated)} battle id(s) already "
        f"{'stored' if clashes else 'repeated in the file'}: {shown}; nothing imported"
    )


class ImportedRows:
    """The battles, votes and turns rows of imported battles, built from their columns a batch
    at a time. `times` are the stored times (text or datetime), `flags` turn numpy booleans into
    the store's type (int for SQLite, bool for PostgreSQL)."""

    def __init__(self, battles: ImportedBattles, source: str, model_ids: np.ndarray,
                 times: list, flags: type) -> None:  # fmt: skip
        self.source = source
        self.columns = battles
        unknown = f"{source}:unknown"
        self.judges = [judge or unknown for judge in battles.judge]
        self.model_a = model_ids[battles.model_a].tolist()
        self.model_b = model_ids[battles.model_b].tolist()
        self.times = times
        self.anonymous = battles.anonymous.astype(flags).tolist()
        self.flags = [getattr(battles, name).astype(flags).tolist()
                      for name in ("is_coding", "is_long_query", "is_multi_turn")]  # fmt: skip
        self.mode = np.where(battles.anonymous, Mode.ANONYMOUS.value, Mode.NAMED.value).tolist()
        self.reason = np.where(battles.anonymous, None, Reason.NAMED_BATTLE.value).tolist()
        self.turns_ = np.maximum(battles.turns, 1).tolist()

    def battles(self, chunk: slice) -> Iterator[tuple]:
        """(id, session_id, voter_id, mode, anonymous, model_a_id, model_b_id, status,
        max_turns, created_at, ended_at)"""
        times = self.times[chunk]
        return zip(self.columns.battle_id[chunk], repeat(self.source), self.judges[chunk],
                   self.mode[chunk], self.anonymous[chunk], self.model_a[chunk],
                   self.model_b[chunk], repeat(Status.VOTED.value), self.turns_[chunk], times,
                   times)  # fmt: skip

    def votes(self, chunk: slice, to_json: Callable[[Any], Any]) -> Iterator[tuple]:
        """(battle_id, voter_id, model_a_id, model_b_id, verdict, counted, reason, anonymous,
        language, is_coding, is_long_query, is_multi_turn, style_a, style_b, source,
        created_at, turns): `turns` as the battle's `max_turns`"""
        b = self.columns
        n = len(b.battle_id[chunk])
        styles = [repeat(None, n) if s is None else map(to_json, s[chunk])
                  for s in (b.style_a, b.style_b)]  # fmt: skip
        anonymous = self.anonymous[chunk]
        return zip(b.battle_id[chunk], self.judges[chunk], self.model_a[chunk],
                   self.model_b[chunk], b.verdict[chunk], anonymous, self.reason[chunk],
                   anonymous, b.language[chunk], *(f[chunk] for f in self.flags), *styles,
                   repeat(self.source), self.times[chunk], self.turns_[chunk])  # fmt: skip

    def turns(self, chunk: slice) -> list[tuple]:
        """(battle_id, idx, prompt, answer_a, answer_b, created_at) of battles with a
        conversation; none on the common path."""
        b = self.columns
        if b.conversation_a is None:
            return []
        return [
            (battle_id, idx, prompt, answer_a, answer_b, when)
            for battle_id, talk_a, talk_b, when in zip(
                b.battle_id[chunk], b.conversation_a[chunk], b.conversation_b[chunk],
                self.times[chunk], strict=True,
            )
            for idx, (prompt, answer_a, answer_b) in enumerate(turn_texts(talk_a, talk_b))
        ]  # fmt: skip
