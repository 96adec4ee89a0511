"""Session tokens: issued and read back, refused when expired, changed, foreign or revoked."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphcap.session_token import Claims, Revoked, TokenRefused, issue_token, read_token

SECRET = "s" * 32


def test_a_token_reads_back_until_it_expires() -> None:
    token = issue_token("zoë", "password", secret=SECRET, ttl_s=100, now=1000.0, token_id="x")
    assert read_token(token, secret=SECRET, now=1099.9) == Claims("zoë", "password", 1100.0, "x")
    with pytest.raises(TokenRefused, match="expired"):
        read_token(token, secret=SECRET, now=1100.0)


def _payload(token: str) -> dict:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _with_payload(token: str, payload: dict) -> str:
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    version, _, signature = token.split(".")
    return f"{version}.{body}.{signature}"


@pytest.mark.parametrize(
    "change",
    [
        lambda p: {**p, "u": "admin"},  # another user
        lambda p: {**p, "exp": p["exp"] + 10_000},  # a longer life
        lambda p: {**p, "id": "other"},
    ],
)
def test_a_changed_payload_is_refused(change) -> None:  # type: ignore[no-untyped-def]
    token = issue_token("vera", "password", secret=SECRET, ttl_s=100, now=1000.0)
    tampered = _with_payload(token, change(_payload(token)))
    with pytest.raises(TokenRefused, match="not valid"):
        read_token(tampered, secret=SECRET, now=1001.0)


@pytest.mark.parametrize(
    "token",
    ["", "v1", "v1.a.b.c", "v2.e30.x", "v1.e30." + "A" * 43, "x" * 5000, "v1.%%%.%%%"],
)
def test_garbage_is_refused(token: str) -> None:
    with pytest.raises(TokenRefused, match="not valid"):
        read_token(token, secret=SECRET, now=0.0)


def test_another_secret_is_refused() -> None:
    token = issue_token("vera", "password", secret=SECRET, ttl_s=100, now=1000.0)
    with pytest.raises(TokenRefused, match="not valid"):
        read_token(token, secret="t" * 32, now=1001.0)


def test_a_revoked_token_is_refused_until_it_would_have_expired() -> None:
    token = issue_token("vera", "password", secret=SECRET, ttl_s=100, now=1000.0)
    claims = read_token(token, secret=SECRET, now=1000.0)
    revoked = Revoked()
    revoked.check(claims, 1001.0)  # not revoked yet: no error
    revoked.revoke(claims)
    with pytest.raises(TokenRefused, match="logged out"):
        revoked.check(claims, 1002.0)
    revoked.check(claims, 1100.0)  # expired now: forgotten (read_token refuses it anyway)
    assert not revoked._until


@given(user=st.text(min_size=1, max_size=40))
def test_any_user_name_survives_the_trip(user: str) -> None:
    token = issue_token(user, "password", secret=SECRET, ttl_s=10, now=0.0)
    assert read_token(token, secret=SECRET, now=1.0).user == user
