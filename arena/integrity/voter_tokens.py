"""Signed voter tokens: the value of the voter cookie that makes a browser one voter.

A token is `v1.<voter id>.<signature>`: a random id chosen by the server and an HMAC-SHA256 of it
under the server's cookie key. A client can keep or drop its token but cannot choose another
voter's id or forge a new one; a missing or forged token gets a fresh voter. Pure: no I/O.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

VERSION = "v1"
_TOKEN = re.compile(r"v1\.([0-9a-f]{32})\.([A-Za-z0-9_-]{43})")


def _signature(key: bytes, voter_id: str) -> str:
    digest = hmac.new(key, f"{VERSION}.{voter_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def issue_voter_token(key: bytes) -> tuple[str, str]:
    """A new voter: (voter id, token to set as the cookie)."""
    voter_id = secrets.token_hex(16)
    return voter_id, f"{VERSION}.{voter_id}.{_signature(key, voter_id)}"


def voter_token_for_user(key: bytes, user: str) -> tuple[str, str]:
    """The voter of a signed-in user (named by a trusted SSO proxy): (voter id, token). The id is
    a keyed hash of the name, the same in every browser and every worker, and does not reveal
    the name to anyone without the key."""
    voter_id = hmac.new(key, f"user.{user}".encode(), hashlib.sha256).hexdigest()[:32]
    return voter_id, f"{VERSION}.{voter_id}.{_signature(key, voter_id)}"


def read_voter_token(key: bytes, token: object) -> str | None:
    """The voter id a token was issued for, or None if it is missing, malformed or forged."""
    if not isinstance(token, str):
        return None
    match = _TOKEN.fullmatch(token)
    if match is None:
        return None
    voter_id, signature = match.groups()
    if not hmac.compare_digest(signature, _signature(key, voter_id)):
        return None
    return voter_id
