"""Logged-out session tokens kept in a file: refused after a "restart" (a new object, a new
process), expired entries dropped, bounded, shared by processes, unreadable file = refused."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from graphcap.revocations import RevocationFile
from graphcap.session_token import Claims, TokenRefused


def _claims(token_id: str, expires: float) -> Claims:
    return Claims("ed", "password", expires, token_id)


def _stored(path: Path) -> dict[str, float]:
    return json.loads(path.read_text(encoding="utf-8"))["revoked"]


def test_a_logout_is_refused_by_a_new_object_and_a_new_process(tmp_path: Path) -> None:
    path = tmp_path / "sessions" / "revoked.json"
    gone, kept = _claims("t-gone", 2000.0), _claims("t-kept", 2000.0)
    RevocationFile(path).revoke(gone, now=1000.0)
    restarted = RevocationFile(path)  # a new state, as after a restart
    with pytest.raises(TokenRefused, match="logged out"):
        restarted.check(gone, now=1001.0)
    restarted.check(kept, now=1001.0)  # another token: accepted
    restarted.check(gone, now=2000.0)  # expired anyway: no longer listed as refused
    script = (
        "import sys; from pathlib import Path; from graphcap.revocations import RevocationFile; "
        "from graphcap.session_token import Claims, TokenRefused\n"
        "f = RevocationFile(Path(sys.argv[1]))\n"
        "try:\n    f.check(Claims('ed', 'password', 2000.0, sys.argv[2]), 1001.0)\n"
        "except TokenRefused:\n    sys.exit(3)\n"
    )
    run = [sys.executable, "-c", script, str(path)]
    assert subprocess.run([*run, "t-gone"], check=False).returncode == 3
    assert subprocess.run([*run, "t-kept"], check=False).returncode == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_expired_entries_are_dropped_and_the_file_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "revoked.json"
    f = RevocationFile(path, max_entries=3)
    f.revoke(_claims("a", 1010.0), now=1000.0)
    f.revoke(_claims("b", 1100.0), now=1000.0)
    assert set(_stored(path)) == {"a", "b"}
    f.revoke(_claims("c", 1100.0), now=1020.0)  # a has expired by now: dropped
    assert set(_stored(path)) == {"b", "c"}
    for k, exp in [("d", 1200.0), ("e", 1300.0), ("f", 1400.0)]:
        f.revoke(_claims(k, exp), now=1020.0)
    assert _stored(path) == {"d": 1200.0, "e": 1300.0, "f": 1400.0}  # the latest to expire
    # the newest logout is always refused, also by a fresh reader
    with pytest.raises(TokenRefused):
        RevocationFile(path).check(_claims("f", 1400.0), now=1021.0)


def test_two_processes_keep_each_others_logouts(tmp_path: Path) -> None:
    path = tmp_path / "revoked.json"
    one, two = RevocationFile(path), RevocationFile(path)
    two.check(_claims("x", 2000.0), now=1000.0)  # `two` has read (and cached) the empty state
    one.revoke(_claims("x", 2000.0), now=1000.0)
    two.revoke(_claims("y", 2000.0), now=1000.0)
    assert set(_stored(path)) == {"x", "y"}
    for token_id in ("x", "y"):
        for f in (one, two):
            with pytest.raises(TokenRefused):
                f.check(_claims(token_id, 2000.0), now=1001.0)


@pytest.mark.parametrize("text", ["{", "[]", '{"revoked": 5}', '{"revoked": {"a": "x"}}', "\xff"])
def test_an_unreadable_file_refuses_every_saved_token_until_rewritten(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "revoked.json"
    path.write_bytes(text.encode("latin-1"))
    f = RevocationFile(path)
    with pytest.raises(TokenRefused, match="cannot be read"):
        f.check(_claims("any", 2000.0), now=1000.0)
    f.revoke(_claims("z", 2000.0), now=1000.0)  # the next logout writes a good file
    assert _stored(path) == {"z": 2000.0}
    f.check(_claims("any", 2000.0), now=1000.0)
