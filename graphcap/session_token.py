"""Signed, expiring session tokens: what lets a login survive a reload of the browser tab (no UI,
no I/O).

A token names the user, how they logged in, when it expires and a random id, and carries an
HMAC-SHA256 over all of that with the app's session secret::

    v1.<base64url JSON payload>.<base64url signature>

:func:`read_token` refuses a token whose signature does not match (changed by hand, made with
another secret), that is not of this form, or whose time is up -- each with its own
:class:`TokenRefused` reason. Logging out revokes the token's id, so a copy of the cookie is
refused too, until it would have expired anyway: the app keeps revoked ids in a file
(:mod:`graphcap.revocations`, survives a restart); :class:`Revoked` is the in-memory list.

>>> token = issue_token("alice", "password", secret="s" * 32, ttl_s=60, now=1000.0, token_id="t1")
>>> read_token(token, secret="s" * 32, now=1030.0)
Claims(user='alice', method='password', expires=1060.0, token_id='t1')
>>> read_token(token, secret="s" * 32, now=1061.0)
Traceback (most recent call last):
...
graphcap.session_token.TokenRefused: the session has expired
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import threading
from dataclasses import dataclass

from graphcap.errors import GraphcapError
from graphcap.i18n import gettext as _

__all__ = ["Claims", "Revoked", "TokenRefused", "issue_token", "new_secret", "read_token"]

_VERSION = "v1"
_MAX_LEN = 2048  # a cookie value longer than this is not one of ours: refused before parsing


class TokenRefused(GraphcapError):
    """A session token that is expired, changed, revoked or not a token at all; ``expired``
    says which (the message is in the user's language, so callers must not read it)."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


@dataclass(frozen=True)
class Claims:
    user: str
    method: str  # "password" (built-in user); OIDC sessions live in Streamlit's own cookie
    expires: float  # seconds since the epoch
    token_id: str


def new_secret() -> str:
    """A random secret for signing tokens (used when none is configured: tokens then last only
    as long as the process)."""
    return secrets.token_urlsafe(32)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, message: str) -> str:
    key = hashlib.sha256(b"graphcap session token\0" + secret.encode("utf-8")).digest()
    return _b64(hmac.new(key, message.encode("ascii"), hashlib.sha256).digest())


def issue_token(
    user: str,
    method: str,
    *,
    secret: str,
    ttl_s: float,
    now: float,
    token_id: str | None = None,
) -> str:
    """A token for ``user`` valid for ``ttl_s`` seconds from ``now``."""
    payload = {
        "u": user,
        "m": method,
        "exp": round(now + ttl_s, 3),
        "id": token_id or secrets.token_hex(16),
    }
    body = _b64(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    message = f"{_VERSION}.{body}"
    return f"{message}.{_sign(secret, message)}"


def read_token(token: str, *, secret: str, now: float) -> Claims:
    """The claims of a valid token; :class:`TokenRefused` says why one is not."""
    if not isinstance(token, str) or len(token) > _MAX_LEN or token.count(".") != 2:
        raise TokenRefused(_("the session token is not valid"))
    version, body, signature = token.split(".")
    if version != _VERSION:
        raise TokenRefused(_("the session token is not valid"))
    if not hmac.compare_digest(_sign(secret, f"{version}.{body}"), signature):
        raise TokenRefused(_("the session token is not valid"))
    try:
        payload = json.loads(_unb64(body).decode("utf-8"))
        claims = Claims(
            str(payload["u"]), str(payload["m"]), float(payload["exp"]), str(payload["id"])
        )
    except (binascii.Error, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise TokenRefused(_("the session token is not valid")) from exc
    if now >= claims.expires:
        raise TokenRefused(_("the session has expired"), expired=True)
    return claims


class Revoked:
    """Ids of tokens logged out of, each kept until it would have expired anyway (memory bounded
    by the logins within one session lifetime)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: dict[str, float] = {}

    def revoke(self, claims: Claims) -> None:
        with self._lock:
            self._until[claims.token_id] = claims.expires

    def check(self, claims: Claims, now: float) -> None:
        with self._lock:
            for token_id in [t for t, until in self._until.items() if until <= now]:
                del self._until[token_id]
            if claims.token_id in self._until:
                raise TokenRefused(_("the session was logged out"))
