"""Near-duplicate prompts: normalisation, character 3-gram shingles, a MinHash/LSH index over stored
prompts, and the two policies that use its answers (which repeats count, how much a prompt weighs).

Character n-grams work for Chinese as well as English. Candidates come from LSH buckets; every
reported similarity is the exact Jaccard index of the two shingle sets (shingles as exact integer ids).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from arena.integrity.disclosure_names import readable

SHINGLE_CHARS = 3  # n of the character n-grams
NUM_PERMUTATIONS = 63  # MinHash signature length
ROWS_PER_BAND = 3  # LSH: 21 bands of 3 rows; a pair with Jaccard 0.5 shares a band with p ≈ 0.94
DEFAULT_THRESHOLD = (
    0.6  # Jaccard of 3-gram sets; one edited character in a 20-character prompt ≈ 0.7
)
DEFAULT_PROMPT_CAP = 20  # prompt_weight: votes a prompt may carry in total before down-weighting
_SEED = 20240601  # fixed so signatures are the same in every process
_NOT_WORD = re.compile(r"[\W_]+")  # punctuation, symbols, spaces (CJK characters are word chars)
_CODE_POINT_BITS = np.uint64(21)  # every code point fits: 3 of them pack exactly into 63 bits

Shingles = np.ndarray  # uint64 [k] shingle ids, sorted and unique


@dataclass(frozen=True)
class DuplicateMatch:
    """A stored prompt similar to the query; similarity is the Jaccard index in [0, 1]."""

    prompt_id: str
    voter_id: str
    timestamp: float
    similarity: float


def normalise_prompt(text: str) -> str:
    """Invisible characters dropped, NFKC, casefold (`readable`, as the detectors read a text),
    punctuation and symbols to spaces, whitespace collapsed to single spaces."""
    text = readable(text).casefold()
    return _NOT_WORD.sub(" ", text).strip()


def shingles(text: str, n: int = SHINGLE_CHARS) -> frozenset[str]:
    """Character n-grams of the normalised text (the whole text when shorter than n)."""
    norm = normalise_prompt(text)
    if len(norm) <= n:
        return frozenset([norm]) if norm else frozenset()
    return frozenset(norm[i : i + n] for i in range(len(norm) - n + 1))


def jaccard(a: frozenset | set, b: frozenset | set) -> float:
    """|a ∩ b| / |a ∪ b|; two empty sets are identical (1.0)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _hashed_shingles(text: str, n: int) -> Shingles:
    """Shingle ids: the n code points packed base 2^21 (exact for n ≤ 3, a hash beyond)."""
    codes = np.frombuffer(normalise_prompt(text).encode("utf-32-le"), dtype=np.uint32)
    codes = codes.astype(np.uint64)
    if len(codes) <= n:
        codes = (
            np.concatenate([codes, np.zeros(n - len(codes), np.uint64)]) if len(codes) else codes
        )
    ids = np.zeros(max(len(codes) - n + 1, 0), dtype=np.uint64)
    for j in range(n):  # unsigned array arithmetic wraps silently beyond n = 3
        ids = (ids << _CODE_POINT_BITS) + codes[j : len(codes) - n + 1 + j]
    return np.unique(ids)


def _jaccard_hashed(a: Shingles, b: Shingles) -> float:
    if len(a) == 0 and len(b) == 0:
        return 1.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


class DuplicateIndex:
    """In-memory index of stored prompts answering "which earlier prompts look like this one?".

    Build it from (prompt_id, text, voter_id, timestamp) tuples; `add` appends one more. Prompts
    given to the constructor go into packed numpy arrays (sorted band keys, one concatenated
    shingle array): about 1 KB per prompt of 100 characters. Added ones go into small dicts.
    """

    def __init__(
        self,
        prompts: Iterable[tuple[str, str, str, float]] = (),
        *,
        n: int = SHINGLE_CHARS,
        num_permutations: int = NUM_PERMUTATIONS,
        rows_per_band: int = ROWS_PER_BAND,
    ):
        if num_permutations % rows_per_band:
            raise ValueError("num_permutations must be a multiple of rows_per_band")
        rng = np.random.default_rng(_SEED)
        # Multiply-shift hashing: h(x) = ((a·x + b) mod 2^64) >> 32 with odd a.
        self._a = rng.integers(1, 2**63, num_permutations, dtype=np.uint64) | np.uint64(1)
        self._b = rng.integers(0, 2**63, num_permutations, dtype=np.uint64)
        self._mix = rng.integers(1, 2**63, rows_per_band, dtype=np.uint64) | np.uint64(1)
        self._n = n
        self._rows = rows_per_band
        n_bands = self._n_bands = num_permutations // rows_per_band
        self._ids: list[str] = []
        self._voters: list[str] = []
        self._times: list[float] = []
        keys: list[np.ndarray] = []
        shingle_parts: list[Shingles] = []
        for prompt_id, text, voter_id, timestamp in prompts:
            hashed = _hashed_shingles(text, n)
            self._ids.append(prompt_id)
            self._voters.append(voter_id)
            self._times.append(float(timestamp))
            shingle_parts.append(hashed)
            keys.append(self._band_keys(hashed))
        # Packed part: per band, keys sorted with the prompt index beside them.
        key_matrix = np.array(keys, dtype=np.uint64).reshape(-1, n_bands).T
        order = np.argsort(key_matrix, axis=1, kind="stable")
        self._packed_keys = np.take_along_axis(key_matrix, order, axis=1)
        self._packed_index = order.astype(np.int32)
        self._packed_shingles = np.concatenate([np.zeros(0, np.uint64), *shingle_parts])
        self._offsets = np.cumsum([0, *map(len, shingle_parts)])
        self._n_packed = len(self._ids)
        # Prompts added later.
        self._added_bands: list[dict[int, list[int]]] = [defaultdict(list) for _ in range(n_bands)]
        self._added_shingles: list[Shingles] = []

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, prompt_id: str, text: str, voter_id: str, timestamp: float) -> None:
        hashed = _hashed_shingles(text, self._n)
        index = len(self._ids)
        self._ids.append(prompt_id)
        self._voters.append(voter_id)
        self._times.append(float(timestamp))
        self._added_shingles.append(hashed)
        for band, key in zip(self._added_bands, self._band_keys(hashed).tolist(), strict=True):
            band[key].append(index)

    def _shingles_of(self, i: int) -> Shingles:
        if i < self._n_packed:
            return self._packed_shingles[self._offsets[i] : self._offsets[i + 1]]
        return self._added_shingles[i - self._n_packed]

    def matches(
        self,
        text: str,
        *,
        since: float = -math.inf,
        threshold: float = DEFAULT_THRESHOLD,
        voter_id: str | None = None,
    ) -> list[DuplicateMatch]:
        """Stored prompts from `since` on (optionally of one voter) with Jaccard ≥ threshold,
        most similar first. Pairs below about 0.4 may be missed by the LSH buckets."""
        hashed = _hashed_shingles(text, self._n)
        band_keys = self._band_keys(hashed)
        candidates: set[int] = set()
        for band, key in enumerate(band_keys):
            row = self._packed_keys[band]
            lo = np.searchsorted(row, key, side="left")
            hi = np.searchsorted(row, key, side="right")
            candidates.update(self._packed_index[band, lo:hi].tolist())
            candidates.update(self._added_bands[band].get(int(key), ()))
        found = []
        for i in candidates:
            if self._times[i] < since or (voter_id is not None and self._voters[i] != voter_id):
                continue
            similarity = _jaccard_hashed(hashed, self._shingles_of(i))
            if similarity >= threshold:
                found.append(
                    DuplicateMatch(self._ids[i], self._voters[i], self._times[i], similarity)
                )
        return sorted(found, key=lambda m: (-m.similarity, m.timestamp, m.prompt_id))

    def _band_keys(self, hashed: Shingles) -> np.ndarray:
        """uint64 [bands]: each band's MinHash rows mixed into one 64-bit key."""
        if len(hashed) == 0:
            return np.zeros(self._n_bands, dtype=np.uint64)
        signature = ((self._a * hashed[:, None] + self._b) >> np.uint64(32)).min(axis=0)
        return (signature.reshape(-1, self._rows) * self._mix).sum(axis=1)


def duplicate_decision(prior_count: int, *, max_counted: int) -> bool:
    """Does a vote count, given `prior_count` earlier counted votes by the same voter on
    near-duplicates of its prompt? Only the first `max_counted` do."""
    return prior_count < max_counted


def prompt_weight(times_seen_across_voters: int, *, cap: float = DEFAULT_PROMPT_CAP) -> float:
    """Weight of one vote on a prompt that `times_seen_across_voters` votes share: min(1, cap / k).

    A prompt's votes then weigh at most `cap` in total, the expected result of LMArena's
    deduplication, which keeps a random `cap` of the votes on any prompt seen more often than
    the 99.99th percentile count (see `frequency_cap`).
    """
    if times_seen_across_voters <= cap:
        return 1.0
    return cap / times_seen_across_voters


def frequency_cap(counts_per_prompt: Sequence[int], *, percentile: float = 0.9999) -> float:
    """LMArena's cap: the `percentile` quantile of how often each distinct prompt was seen."""
    if len(counts_per_prompt) == 0:
        return float(DEFAULT_PROMPT_CAP)
    return float(np.quantile(np.asarray(counts_per_prompt, dtype=float), percentile))
