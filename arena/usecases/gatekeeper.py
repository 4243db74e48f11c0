"""Gates a vote passes before it counts: rate limits and daily caps per voter and per IP hash, a
minimum time between the answers finishing and the vote, proof of work for voters without
history, and duplicate / over-frequent prompts. Reads the store, decides with the pure checks in
arena.integrity; a vote that fails a gate is stored, not counted, with the gate's reason.

Every decision reads the database, never this process's memory alone, so the gates hold across
the workers of `serve --workers`: the duplicate-prompt index is a cache brought up to date from
the stored votes (those other workers counted included) before each decision."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from arena.config import Settings
from arena.domain.battle import Battle
from arena.domain.clock import to_iso
from arena.domain.reasons import Reason
from arena.integrity import (
    DuplicateIndex,
    Limits,
    VoterActivity,
    check_battle,
    check_vote,
    issue_challenge,
    seconds_until_vote,
    verify_solution,
)
from arena.ports import GateQueries

DUPLICATE_SIMILARITY = 0.6  # Jaccard of character 3-gram shingles: "the same prompt"
DAY = 86_400.0


@dataclass(frozen=True)
class Proof:
    """A proof-of-work answer from the browser: the challenge token and the counter found."""

    challenge: str
    solution: str


class Gatekeeper:
    def __init__(
        self,
        settings: Settings,
        store: GateQueries,
        clock: Callable[[], float] = time.time,
        *,
        proof_secret: bytes,
    ):
        self.settings = settings
        self.store = store
        self.clock = clock
        self.limits = Limits(
            battles_per_minute_voter=settings.battles_per_minute_voter,
            battles_per_minute_ip=settings.battles_per_minute_ip,
            counted_votes_per_day_voter=settings.votes_per_day_voter,
            counted_votes_per_day_ip=settings.votes_per_day_ip,
            min_seconds_to_vote=settings.min_seconds_to_vote,
        )
        self._secret = proof_secret
        self._index: DuplicateIndex | None = None
        self._index_lock = threading.Lock()
        self._cursor: object = None  # where the index's last read of the store ended

    def check_start(self, voter_id: str, ip_hash: str | None) -> Reason | None:
        """None if this voter (and IP) may start another battle now."""
        since = self.clock() - 60
        voter, ip = self.store.battle_start_times(voter_id, ip_hash, to_iso(since))
        now = self.clock()  # after the read: it may have waited for another worker's battle
        return check_battle(VoterActivity(battle_starts_voter=voter, battle_starts_ip=ip),
                            self.limits, now)  # fmt: skip

    def needs_proof(self, voter_id: str) -> bool:
        """The one rule for proof of work: a voter who has never had a vote counted must solve
        one. It decides both when a challenge is issued and when a vote demands a solution."""
        return self.settings.pow_bits > 0 and not self.store.has_counted_votes(voter_id)

    def challenge(self, voter_id: str) -> str | None:
        """A proof-of-work challenge token if this voter needs one, else None."""
        if not self.needs_proof(voter_id):
            return None
        return issue_challenge(self._secret, voter_id, self.clock(), self.settings.pow_bits).token

    def seconds_until_vote(self, battle_id: str) -> float | None:
        """How long until a vote on this battle is no longer too soon (None: still streaming)."""
        activity = VoterActivity(answers_finished_at=self.store.answers_finished_at(battle_id))
        return seconds_until_vote(activity, self.limits, self.clock())

    def check_vote(
        self, battle: Battle, voter_id: str, ip_hash: str | None, proof: Proof | None
    ) -> Reason | None:
        """None if a vote on this (otherwise countable) battle counts, else the gate it fails."""
        since = self.clock() - DAY
        voter, ip = self.store.counted_vote_times(voter_id, ip_hash, to_iso(since))
        now = self.clock()  # after the read: it may have waited for another worker's vote
        activity = VoterActivity(
            counted_votes_voter=voter,
            counted_votes_ip=ip,
            answers_finished_at=self.store.answers_finished_at(battle.id),
        )
        reason = check_vote(activity, self.limits, now)
        if reason is not None:
            return reason
        if self.needs_proof(voter_id):
            reason = self._check_proof(voter_id, proof, now)
            if reason is not None:
                return reason
        return self._check_prompt(battle, voter_id, now)

    def _check_proof(self, voter_id: str, proof: Proof | None, now: float) -> Reason | None:
        if proof is None or not proof.challenge:
            return Reason.CHALLENGE_MALFORMED
        return verify_solution(self._secret, proof.challenge, proof.solution, now,
                               self.store.use_proof, voter_id=voter_id)  # fmt: skip

    def _check_prompt(self, battle: Battle, voter_id: str, now: float) -> Reason | None:
        since = now - self.settings.duplicate_window_days * DAY
        with self._index_lock:
            matches = self._duplicates().matches(
                battle.turns[0].prompt, since=since, threshold=DUPLICATE_SIMILARITY
            )
        if sum(1 for m in matches if m.voter_id == voter_id) >= self.settings.duplicate_votes:
            return Reason.DUPLICATE_PROMPT
        if len(matches) >= self.settings.prompt_cap:
            return Reason.FREQUENT_PROMPT
        return None

    def _duplicates(self) -> DuplicateIndex:
        """The index of counted anonymous votes' first prompts, up to date with the store: built
        once over the window, then fed the votes committed since the last call (by any worker).
        Call with `_index_lock` held."""
        start = to_iso(self.clock() - self.settings.duplicate_window_days * DAY)
        rows, self._cursor = self.store.voted_prompts(start, self._cursor)
        new = [(battle_id, prompt, voter, when)
               for battle_id, prompt, voter, when, counted in rows if counted]  # fmt: skip
        if self._index is None:
            self._index = DuplicateIndex(new)
        else:
            for vote in new:
                self._index.add(*vote)
        return self._index
