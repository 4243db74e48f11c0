"""Proof of work: signed expiring challenges, solutions checked bit by bit, replays refused, and a
vector computed by SOLVER_JS (Node 20, crypto.subtle) that the Python solver must reproduce."""

import base64
import hashlib

import pytest

from arena.domain.reasons import Reason
from arena.integrity.proof_of_work import (
    SOLVER_JS,
    issue_challenge,
    leading_zero_bits,
    read_challenge,
    solution_digest,
    solve,
    verify_solution,
)

SECRET = b"arena-test-secret-0123456789"
NOW = 1_700_000_000.0

# issue_challenge(SECRET, "voter-abc", NOW, 14, challenge_id="fixed-challenge-id").token
KNOWN_TOKEN = (
    "eyJiaXRzIjoxNCwiZXhwIjoxNzAwMDAwMzAwLjAsImlhdCI6MTcwMDAwMDAwMC4wLCJpZCI6ImZpeGVkLWNoYWxsZW5n"
    "ZS1pZCIsInZvdGVyIjoidm90ZXItYWJjIn0.24qdqnRoS31uXzEU6tHrB6NK9xdDIzfLyEWr1Jj4MO0"
)
# Smallest counters found by `solveArenaChallenge(KNOWN_TOKEN, bits)` from SOLVER_JS under Node 20,
# with the first 8 bytes of SHA-256(token ‖ decimal counter).
JS_VECTORS = [
    (4, 25, "013a51ae682eb0ff"),
    (8, 267, "00e76bc8715e8ba2"),
    (12, 689, "000e598233c32815"),
    (20, 18615, "000008d3d692b4bd"),
]


def never_seen():
    used: set[str] = set()

    def seen(challenge_id: str) -> bool:
        was_used = challenge_id in used
        used.add(challenge_id)
        return was_used

    return seen


def test_the_token_layout_is_pinned():
    challenge = issue_challenge(SECRET, "voter-abc", NOW, 14, challenge_id="fixed-challenge-id")
    assert challenge.token == KNOWN_TOKEN
    payload = base64.urlsafe_b64decode(KNOWN_TOKEN.split(".")[0] + "==")
    assert payload == (
        b'{"bits":14,"exp":1700000300.0,"iat":1700000000.0,"id":"fixed-challenge-id",'
        b'"voter":"voter-abc"}'
    )


@pytest.mark.parametrize("bits, counter, digest_prefix", JS_VECTORS)
def test_python_and_the_browser_solver_agree_on_the_known_vector(bits, counter, digest_prefix):
    assert solve(KNOWN_TOKEN, bits) == counter
    message = KNOWN_TOKEN.encode("ascii") + str(counter).encode("ascii")
    assert hashlib.sha256(message).hexdigest().startswith(digest_prefix)
    assert solution_digest(KNOWN_TOKEN, counter).hex().startswith(digest_prefix)
    assert leading_zero_bits(bytes.fromhex(digest_prefix)) >= bits


def test_the_js_solver_uses_web_crypto_and_the_documented_layout():
    assert 'crypto.subtle.digest("SHA-256"' in SOLVER_JS
    assert "encoder.encode(token)" in SOLVER_JS and "String(counter)" in SOLVER_JS
    assert "async function solveArenaChallenge(token, difficultyBits)" in SOLVER_JS


def test_leading_zero_bits_counts_across_bytes():
    assert leading_zero_bits(b"\x80") == 0
    assert leading_zero_bits(b"\x01") == 7
    assert leading_zero_bits(b"\x00\x00\x10") == 19
    assert leading_zero_bits(b"\x00\x00") == 16


def test_a_solved_challenge_verifies_once_and_its_replay_is_refused():
    challenge = issue_challenge(SECRET, "v1", NOW, 10)
    counter = solve(challenge.token, 10)
    seen = never_seen()
    assert verify_solution(SECRET, challenge.token, counter, NOW + 5, seen) is None
    assert (
        verify_solution(SECRET, challenge.token, counter, NOW + 6, seen)
        == Reason.CHALLENGE_REPLAYED
    )


def test_a_wrong_solution_does_not_use_up_the_challenge():
    challenge = issue_challenge(SECRET, "v1", NOW, 10)
    counter = solve(challenge.token, 10)
    seen = never_seen()
    assert verify_solution(SECRET, challenge.token, counter - 1, NOW, seen) == Reason.SOLUTION_WRONG
    assert verify_solution(SECRET, challenge.token, counter, NOW, seen) is None


@pytest.mark.parametrize("solution", ["-1", "007", "1e3", "", " 5", "123456789012345678901"])
def test_non_canonical_solutions_are_wrong(solution):
    challenge = issue_challenge(SECRET, "v1", NOW, 0)
    assert verify_solution(SECRET, challenge.token, solution, NOW, never_seen()) == (
        Reason.SOLUTION_WRONG
    )


def test_expired_and_future_challenges_are_refused():
    challenge = issue_challenge(SECRET, "v1", NOW, 4, ttl_seconds=60)
    counter = solve(challenge.token, 4)
    assert verify_solution(SECRET, challenge.token, counter, NOW + 60, never_seen()) is None
    assert verify_solution(SECRET, challenge.token, counter, NOW + 60.5, never_seen()) == (
        Reason.CHALLENGE_EXPIRED
    )
    assert verify_solution(SECRET, challenge.token, counter, NOW - 30, never_seen()) == (
        Reason.CHALLENGE_NOT_YET_VALID
    )


def test_a_token_signed_with_another_secret_or_edited_is_refused():
    challenge = issue_challenge(b"some-other-secret-of-16+", "v1", NOW, 4)
    counter = solve(challenge.token, 4)
    assert verify_solution(SECRET, challenge.token, counter, NOW, never_seen()) == (
        Reason.CHALLENGE_BAD_SIGNATURE
    )
    mine = issue_challenge(SECRET, "v1", NOW, 12)
    payload, signature = mine.token.split(".")
    easier = base64.urlsafe_b64decode(payload + "==").replace(b'"bits":12', b'"bits":0')
    forged = base64.urlsafe_b64encode(easier).rstrip(b"=").decode() + "." + signature
    assert verify_solution(SECRET, forged, 0, NOW, never_seen()) == Reason.CHALLENGE_BAD_SIGNATURE


@pytest.mark.parametrize("token", ["", "no-dot", "a.b.c", "!!!.???", None])
def test_malformed_tokens_are_refused(token):
    assert verify_solution(SECRET, token, 0, NOW, never_seen()) == Reason.CHALLENGE_MALFORMED


def test_a_challenge_issued_to_one_voter_cannot_be_spent_by_another():
    challenge = issue_challenge(SECRET, "v1", NOW, 4)
    counter = solve(challenge.token, 4)
    assert verify_solution(SECRET, challenge.token, counter, NOW, never_seen(), voter_id="v2") == (
        Reason.CHALLENGE_WRONG_VOTER
    )


def test_read_challenge_returns_the_signed_fields_and_ids_are_random():
    first, second = (issue_challenge(SECRET, "v1", NOW, 8) for _ in range(2))
    assert first.challenge_id != second.challenge_id
    assert read_challenge(SECRET, first.token) == first


def test_short_secrets_and_silly_difficulties_are_rejected():
    with pytest.raises(ValueError):
        issue_challenge(b"short", "v1", NOW, 8)
    with pytest.raises(ValueError):
        issue_challenge(SECRET, "v1", NOW, 33)
