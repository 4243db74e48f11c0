"""Proof of work before a vote: an HMAC-signed, expiring challenge that the browser solves by
finding a counter whose SHA-256 has enough leading zero bits; verification refuses replays.

Byte layout (shared by SOLVER_JS and `solve`): digest = SHA-256(UTF-8(token) ‖ UTF-8(str(counter)))
where token is the challenge token exactly as issued (ASCII) and counter is the solution written in
decimal without leading zeros or sign. The solution is valid when the digest, read as a big-endian
bit string, starts with at least `difficulty_bits` zero bits. Both solvers return the smallest
such counter, so they agree on every challenge.

Token = base64url(payload JSON) "." base64url(HMAC-SHA256(secret, payload JSON)), unpadded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from arena.domain.reasons import Reason

DEFAULT_DIFFICULTY_BITS = 16  # ≈ 65k hashes: about a second in a browser, 50 ms in CPython
DEFAULT_TTL_SECONDS = 300.0  # time to solve and vote
CLOCK_SKEW_SECONDS = 5.0  # tolerated when a challenge seems issued in the future
MAX_DIFFICULTY_BITS = 32
MIN_SECRET_BYTES = 16
_SOLUTION = re.compile(r"(?:0|[1-9][0-9]{0,19})")  # canonical decimal, below 10^20


@dataclass(frozen=True)
class Challenge:
    token: str  # what the browser receives and hashes
    challenge_id: str  # random; the caller records it to refuse replays
    voter_id: str
    issued_at: float
    expires_at: float
    difficulty_bits: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def _signature(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()


def issue_challenge(
    secret: bytes,
    voter_id: str,
    now: float,
    difficulty_bits: int = DEFAULT_DIFFICULTY_BITS,
    *,
    ttl_seconds: float = DEFAULT_TTL_SECONDS,
    challenge_id: str | None = None,
) -> Challenge:
    """A fresh challenge for `voter_id`, valid from `now` for `ttl_seconds`.

    challenge_id defaults to 16 random bytes (base64url); pass one only in tests.
    """
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the secret must have at least {MIN_SECRET_BYTES} bytes")
    if not 0 <= difficulty_bits <= MAX_DIFFICULTY_BITS:
        raise ValueError(f"difficulty_bits must be in 0..{MAX_DIFFICULTY_BITS}")
    challenge_id = challenge_id or secrets.token_urlsafe(16)
    expires_at = now + ttl_seconds
    payload = json.dumps(
        {"id": challenge_id, "voter": voter_id, "iat": now, "exp": expires_at,
         "bits": difficulty_bits},
        separators=(",", ":"), sort_keys=True,
    ).encode()  # fmt: skip
    token = f"{_b64(payload)}.{_b64(_signature(secret, payload))}"
    return Challenge(token, challenge_id, voter_id, now, expires_at, difficulty_bits)


def read_challenge(secret: bytes, challenge_token: str) -> Challenge | Reason:
    """The challenge inside a token whose signature checks, else why it does not."""
    try:
        payload_part, signature_part = challenge_token.split(".")
        payload, signature = _unb64(payload_part), _unb64(signature_part)
    except (ValueError, AttributeError, TypeError):
        return Reason.CHALLENGE_MALFORMED
    if not hmac.compare_digest(signature, _signature(secret, payload)):
        return Reason.CHALLENGE_BAD_SIGNATURE
    fields = json.loads(payload)
    return Challenge(
        challenge_token, fields["id"], fields["voter"], fields["iat"], fields["exp"], fields["bits"]
    )


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte:
            return bits + 8 - byte.bit_length()
        bits += 8
    return bits


def solution_digest(challenge_token: str, solution: int | str) -> bytes:
    """SHA-256 of the token followed by the decimal counter (the documented byte layout)."""
    return hashlib.sha256(f"{challenge_token}{solution}".encode()).digest()


def verify_solution(
    secret: bytes,
    challenge_token: str,
    solution: int | str,
    now: float,
    seen: Callable[[str], bool],
    *,
    voter_id: str | None = None,
) -> Reason | None:
    """None if `solution` solves a genuine, current, unused challenge, else why not.

    seen(challenge_id) is called last, only for an otherwise valid solution; it must record the
    id and return whether it had been recorded before (an atomic check-and-set, e.g. an INSERT
    that reports a conflict), so a second use of the same challenge is refused. Keep ids at
    least until the challenge expires. voter_id, when given, must be the one it was issued to.
    """
    challenge = read_challenge(secret, challenge_token)
    if isinstance(challenge, Reason):
        return challenge
    if now < challenge.issued_at - CLOCK_SKEW_SECONDS:
        return Reason.CHALLENGE_NOT_YET_VALID
    if now > challenge.expires_at:
        return Reason.CHALLENGE_EXPIRED
    if voter_id is not None and voter_id != challenge.voter_id:
        return Reason.CHALLENGE_WRONG_VOTER
    text = str(solution)
    if not _SOLUTION.fullmatch(text):
        return Reason.SOLUTION_WRONG
    if leading_zero_bits(solution_digest(challenge_token, text)) < challenge.difficulty_bits:
        return Reason.SOLUTION_WRONG
    if seen(challenge.challenge_id):
        return Reason.CHALLENGE_REPLAYED
    return None


def solve(challenge_token: str, difficulty_bits: int) -> int:
    """The smallest counter that solves the challenge (what SOLVER_JS computes in the browser)."""
    prefix = hashlib.sha256(challenge_token.encode())
    counter = 0
    while True:
        h = prefix.copy()
        h.update(str(counter).encode())
        if leading_zero_bits(h.digest()) >= difficulty_bits:
            return counter
        counter += 1


# The browser half. Defines `solveArenaChallenge(token, difficultyBits)` -> Promise<number>, the
# smallest counter with enough leading zero bits. Hashes in batches of 256 concurrent
# crypto.subtle.digest calls (needs a secure context: HTTPS or localhost), checked in order.
SOLVER_JS = r"""
async function solveArenaChallenge(token, difficultyBits) {
  const encoder = new TextEncoder();
  const prefix = encoder.encode(token);
  const leadingZeroBits = (bytes) => {
    let bits = 0;
    for (const byte of bytes) {
      if (byte !== 0) return bits + Math.clz32(byte) - 24;
      bits += 8;
    }
    return bits;
  };
  const digestOf = (counter) => {
    const digits = encoder.encode(String(counter));
    const message = new Uint8Array(prefix.length + digits.length);
    message.set(prefix, 0);
    message.set(digits, prefix.length);
    return crypto.subtle.digest("SHA-256", message);
  };
  const batch = 256;
  for (let start = 0; start < Number.MAX_SAFE_INTEGER; start += batch) {
    const counters = Array.from({ length: batch }, (_, i) => start + i);
    const digests = await Promise.all(counters.map(digestOf));
    for (let i = 0; i < batch; i++) {
      if (leadingZeroBits(new Uint8Array(digests[i])) >= difficultyBits) return counters[i];
    }
  }
  throw new Error("no solution found");
}
"""
