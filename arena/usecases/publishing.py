"""Publishing rankings: official snapshots (create, list, diff), battle-data release and import.

Reached as `arena.usecases.publishing` from the service; receives the same store, roster and settings.
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from arena.config import Settings
from arena.domain.battle import Side
from arena.domain.clock import from_iso
from arena.domain.roster import Roster
from arena.formats.battle_columns import read_battle_columns
from arena.formats.battle_data import (
    BattleRecord,
    pseudonymise,
    read_battle_file,
    write_clean_battles,
)
from arena.formats.progress import PROGRESS_EVERY, Progress, tell_progress
from arena.ports import ImportRejected, Store, VoteBatch
from arena.snapshot import (
    Method,
    ModelChange,
    ModelInfo,
    Snapshot,
    SnapshotVote,
    Verification,
    build_snapshot,
    diff_snapshots,
    read_vote_set,
    verify_snapshot,
)
from arena.version import code_version
from ratings import TrueSkillParams, style_features

__all__ = [
    "ImportRejected",
    "MaintainerOnly",
    "Publishing",
    "SnapshotSchedule",
    "SnapshotNotFound",
    "UnknownCategory",
    "check_category",
    "verify_release",
]


class MaintainerOnly(PermissionError):
    """A maintainer action without the right secret (or with maintainer actions disabled).
    `throttled`: the caller's IP sent too many wrong secrets lately."""

    def __init__(self, message: str, *, throttled: bool = False):
        super().__init__(message)
        self.throttled = throttled


class UnknownCategory(ValueError):
    """A category the snapshot has no board for."""


class SnapshotNotFound(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def check_category(snapshot: Snapshot, category: str) -> None:
    """Raise UnknownCategory unless the snapshot has a board for `category`."""
    if category not in snapshot.boards:
        raise UnknownCategory(
            f"unknown category {category[:40]!r}: choose from {', '.join(snapshot.boards)}"
        )


def verify_release(
    snapshot_path: str | Path,
    battles_path: str | Path,
    *,
    tolerance: float = 0.01,
    reading: Progress | None = None,
    progress: Progress | None = None,
) -> Verification:
    """Check a published snapshot against released battle data alone (no database). `reading` is
    told (done, total) as the battle file is read, `progress` as the bootstrap resamples."""
    snapshot = Snapshot.from_json(Path(snapshot_path).read_text(encoding="utf-8"))
    votes = [
        SnapshotVote(
            battle_id=v.battle_id, model_a=v.model_a, model_b=v.model_b, verdict=v.verdict,
            judge=v.judge or "", language=v.language, is_coding=v.is_coding,
            is_long_query=v.is_long_query, is_multi_turn=v.is_multi_turn, turns=v.turns,
            voted_at=round(v.voted_at or 0.0, 3),
            style_a=_conversation_style(v.conversation_a),
            style_b=_conversation_style(v.conversation_b),
        )
        for v in read_battle_file(battles_path, progress=reading)
        if v.anonymous
    ]  # fmt: skip
    return verify_snapshot(snapshot, votes, tolerance=tolerance, progress=progress)


# However fast votes come, automatic snapshots come at most once an hour (or once every
# snapshot_every_hours, if that is shorter): each one is a full recompute and stays forever.
AUTO_SNAPSHOT_GAP_S = 3600.0


@dataclass(frozen=True)
class SnapshotSchedule:
    """When the server creates a snapshot by itself: once `every_votes` new counted votes are
    in, or `every_hours` after the latest snapshot (after the first counted vote, before any)
    if a new vote counts; never twice within the gap. 0 turns either trigger off."""

    every_votes: int
    every_hours: float

    @property
    def on(self) -> bool:
        return bool(self.every_votes or self.every_hours)

    @property
    def gap_s(self) -> float:
        return min(AUTO_SNAPSHOT_GAP_S, self.every_hours * 3600 or AUTO_SNAPSHOT_GAP_S)

    def due(
        self, *, new_votes: int, first_new_vote_at: float | None,
        last_snapshot_at: float | None, now: float,
    ) -> bool:  # fmt: skip
        if not self.on or new_votes == 0:
            return False
        if last_snapshot_at is not None and now - last_snapshot_at < self.gap_s:
            return False
        if self.every_votes and new_votes >= self.every_votes:
            return True
        since = last_snapshot_at if last_snapshot_at is not None else first_new_vote_at
        return bool(self.every_hours) and since is not None and (
            now - since >= self.every_hours * 3600
        )  # fmt: skip


class Publishing:
    def __init__(
        self,
        *,
        settings: Settings,
        store: Store,
        roster: Roster,
        trueskill: TrueSkillParams,
        release_key: bytes,
        clock: Callable[[], float] = time.time,
    ):
        self.settings = settings
        self.store = store
        self.roster = roster
        self.trueskill = trueskill
        self.clock = clock
        self.schedule = SnapshotSchedule(
            settings.snapshot_every_votes, settings.snapshot_every_hours
        )
        self._release_key_bytes = release_key  # from the secrets file, never the database
        self._snapshots: dict[str, Snapshot] = {}  # parsed snapshots by id

    def check_maintainer(self, secret: str | None) -> None:
        """Raise MaintainerOnly unless `secret` matches ARENA_MAINTAINER_SECRET; with no secret
        configured, maintainer actions are disabled (never open)."""
        expected = self.settings.maintainer_secret
        if not expected:
            raise MaintainerOnly("maintainer actions are disabled: set ARENA_MAINTAINER_SECRET")
        if not secret or not hmac.compare_digest(secret.encode(), expected.encode()):
            raise MaintainerOnly("wrong maintainer secret")

    def create(
        self,
        progress: Progress | None = None,
        reading: Progress | None = None,
        *,
        recompute_in: Callable[[Callable[[], Any]], Any] | None = None,
    ) -> Snapshot:
        """Recompute the official boards over the counted anonymous votes and store an immutable
        snapshot with its manifest. `reading` is told (votes read, total) per batch,
        `progress` (resamples done, total) if the intervals are bootstrapped. `recompute_in`
        runs the recompute (reads only) and returns its result; the write stays here (the
        automatic snapshots recompute at a low priority but must not hold the writers' lock
        at one)."""
        snapshot, vote_ids = (recompute_in or _call)(lambda: self._recompute(progress, reading))
        self.store.save_snapshot(
            snapshot.id, snapshot.manifest.created_at, snapshot.manifest.votes,
            snapshot.manifest.vote_set_sha256, snapshot.to_json(), vote_ids,
        )  # fmt: skip
        return snapshot

    def _recompute(
        self, progress: Progress | None, reading: Progress | None
    ) -> tuple[Snapshot, Any]:
        total = self.store.counting_vote_count() if reading is not None else 0
        batches = self.store.snapshot_vote_batches()
        if reading is not None:
            batches = _told(batches, total, reading)
        votes = read_vote_set(batches, judge=self._judge_of)
        digest = votes.sha256
        created = datetime.fromtimestamp(self.clock(), UTC)
        snapshot = build_snapshot(
            votes,
            snapshot_id=f"{created:%Y%m%dT%H%M%S}.{created.microsecond // 1000:03d}Z-{digest[:8]}",
            created_at=created.isoformat(timespec="milliseconds"),
            method=Method(
                anchor=self.settings.anchor_pin,
                ci=self.settings.snapshot_intervals,
                resamples=self.settings.snapshot_resamples,
                seed=0,
                min_votes=self.settings.min_votes,
                trueskill=asdict(self.trueskill),
            ),
            models=self._model_info(),
            filters={"anonymous": True, "counted": True, "quarantined": False},
            exclusions=self.store.exclusion_counts(),
            code_version=code_version(),
            voted_models=self.store.models_with_votes(),
            progress=progress,
        )
        return snapshot, votes.vote_ids

    def due(self) -> bool:
        """Whether the schedule (snapshot_every_votes, snapshot_every_hours) calls for a
        snapshot now: two small reads, cheap enough to ask every minute."""
        if not self.schedule.on:
            return False
        new_votes, first_at = self.store.votes_after_snapshot(
            limit=max(1, self.schedule.every_votes)
        )
        listed = self.store.snapshots() if new_votes else []
        return self.schedule.due(
            new_votes=new_votes,
            first_new_vote_at=from_iso(first_at) if first_at else None,
            last_snapshot_at=from_iso(listed[-1]["created_at"]) if listed else None,
            now=self.clock(),
        )

    def create_if_due(
        self, *, recompute_in: Callable[[Callable[[], Any]], Any] | None = None
    ) -> Snapshot | None:
        """A snapshot if one is due and no other process is making one (the store's snapshot
        lock, held until it is stored; due is asked again under it), else None."""
        with self.store.snapshot_lock() as held:
            if not held or not self.due():
                return None
            return self.create(recompute_in=recompute_in)

    def list(self) -> list[dict[str, Any]]:
        """id, created_at, votes and vote_set_sha256 of every snapshot, newest first."""
        return list(reversed(self.store.snapshots()))

    def get(self, snapshot_id: str | None = None) -> Snapshot:
        """A snapshot by id, or the latest one; SnapshotNotFound if there is none."""
        if snapshot_id is None:
            listed = self.store.snapshots()
            if not listed:
                raise SnapshotNotFound("no snapshot has been created yet")
            snapshot_id = listed[-1]["id"]
        if snapshot_id not in self._snapshots:  # immutable once stored: parse each one once
            body = self.store.snapshot_body(snapshot_id)
            if body is None:
                raise SnapshotNotFound(f"no snapshot {snapshot_id!r}")
            self._snapshots[snapshot_id] = Snapshot.from_json(body)
        return self._snapshots[snapshot_id]

    def changes(
        self, snapshot_id: str | None = None, category: str = "overall"
    ) -> tuple[ModelChange, ...]:
        """What changed since the snapshot before this one (every model listed)."""
        snapshot = self.get(snapshot_id)
        check_category(snapshot, category)
        ids = [s["id"] for s in self.store.snapshots()]
        position = ids.index(snapshot.id)
        previous = self.get(ids[position - 1]) if position > 0 else None
        return diff_snapshots(previous, snapshot, category)

    def release_battles(
        self,
        out: TextIO,
        *,
        snapshot_id: str | None = None,
        with_conversations: bool = False,
        progress: Progress | None = None,
    ) -> int:
        """Write the counted anonymous battles (of one snapshot, or all) in FastChat's
        clean_battle layout; voters pseudonymised, no IPs. `progress` is told (battles written,
        total); each battle is read (with its conversations) just before it is written."""
        keep = self.store.snapshot_vote_ids(snapshot_id) if snapshot_id else None
        if snapshot_id:
            self.get(snapshot_id)  # SnapshotNotFound for a wrong id
        rows = list(self.store.snapshot_vote_rows(of=keep))
        records = (self._battle_record(row, with_conversations) for row in rows)
        records = tell_progress(records, len(rows), progress)
        return write_clean_battles(
            records, out, release_key=self._release_key(), with_conversations=with_conversations
        )

    def import_battles(
        self,
        path: str | Path,
        *,
        on_bad_row: Callable[[int, str], None] | None = None,
        progress: Callable[[int, int], None] | None = None,
        reading: Progress | None = None,
    ) -> int:
        """Read a FastChat clean_battle JSON or an LMArena-style table into the store as imported
        votes, all or nothing. BattleFileError lists malformed rows by line, unless `on_bad_row`
        takes them (and they are left out). `progress` is told (battles stored, total), `reading`
        (done, total) as the file is read.

        Read as columns (tables and Parquet without conversations); battles with conversations
        are read row by row and their style features measured per battle."""
        battles = read_battle_columns(path, on_bad_row=on_bad_row, progress=reading)
        if battles.conversation_a is not None:
            styles = [
                (_conversation_style(a), _conversation_style(b))
                for a, b in zip(battles.conversation_a, battles.conversation_b, strict=True)
            ]
            battles = replace(battles, style_a=[a for a, _ in styles],
                              style_b=[b for _, b in styles])  # fmt: skip
        self.store.import_battles(battles, source=f"import:{Path(path).name}", progress=progress)
        return len(battles)

    def _snapshot_vote(self, row: dict[str, Any]) -> SnapshotVote:
        return SnapshotVote(
            battle_id=row["battle_id"],
            model_a=row["model_a"],
            model_b=row["model_b"],
            verdict=row["verdict"],
            judge=self._judge(row),
            language=row["language"] or "other",
            is_coding=bool(row["is_coding"]),
            is_long_query=bool(row["is_long_query"]),
            is_multi_turn=bool(row["is_multi_turn"]),
            turns=row["turns"],
            voted_at=round(from_iso(row["created_at"]), 3),
            style_a=tuple(json.loads(row["style_a"])) if row["style_a"] else None,
            style_b=tuple(json.loads(row["style_b"])) if row["style_b"] else None,
        )

    def _battle_record(self, row: dict[str, Any], with_conversations: bool) -> BattleRecord:
        conversations = {Side.A: None, Side.B: None}
        if with_conversations:
            battle = self.store.load_battle(row["battle_id"])
            for side in (Side.A, Side.B):
                conversations[side] = [
                    m for turn in battle.turns for m in (
                        {"role": "user", "content": turn.prompt},
                        {"role": "assistant", "content": turn.answers[side].text},
                    )
                ]  # fmt: skip
        vote = self._snapshot_vote(row)
        return BattleRecord(
            battle_id=vote.battle_id, model_a=vote.model_a, model_b=vote.model_b,
            verdict=vote.verdict, voter_id=row["voter_id"], ip_hash=None, turns=vote.turns,
            anonymous=True, language=vote.language, is_coding=vote.is_coding,
            is_long_query=vote.is_long_query, is_multi_turn=vote.is_multi_turn,
            voted_at=vote.voted_at, conversation_a=conversations[Side.A],
            conversation_b=conversations[Side.B], judge=vote.judge,
            feedback=tuple(json.loads(row["feedback"] or "[]")),
        )  # fmt: skip

    def _model_info(self) -> dict[str, ModelInfo]:
        in_roster = set(self.roster.names)
        return {
            m.name: ModelInfo(
                organisation=m.organisation or "",
                licence=m.licence or "",
                status="active" if m.name in in_roster else "retired",
            )
            for m in self.store.models()
        }

    def _judge(self, row: dict[str, Any]) -> str:
        return self._judge_of(row["voter_id"], (row["source"] or "").startswith("import:"))

    def _judge_of(self, voter_id: str, imported: bool) -> str:
        """The released voter pseudonym; imported votes already carry one (kept as is, so a
        re-published import keeps its judges and its hash)."""
        if imported:
            return voter_id
        return pseudonymise(voter_id, self._release_key(), "voter")

    def _release_key(self) -> bytes:
        """The key behind released voter pseudonyms (one per deployment, in its secrets file)."""
        return self._release_key_bytes


def _call(work: Callable[[], Any]) -> Any:
    return work()


def _told(batches: Iterator[VoteBatch], total: int, reading: Progress) -> Iterator[VoteBatch]:
    """The batches, telling `reading` (votes read, total) each time another PROGRESS_EVERY
    votes have been read, and at the end."""
    done = told = 0
    for batch in batches:
        yield batch
        done += len(batch)
        if done // PROGRESS_EVERY > told // PROGRESS_EVERY:
            reading(done, max(total, done))
            told = done
    if told != done or done == 0:
        reading(done, max(total, done))


def _conversation_style(conversation: list[dict] | None) -> tuple[int, ...] | None:
    if not conversation:
        return None
    total = [0, 0, 0, 0]
    for message in conversation:
        if message.get("role") == "assistant":
            for i, value in enumerate(style_features(str(message.get("content", ""))).as_tuple()):
                total[i] += value
    return tuple(total)
