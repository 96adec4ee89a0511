"""Who may use the app, and for what: built-in users, roles, login checks (no UI, no I/O but
reading the config).

Roles, each with everything of the ones before it:

========  ==============================================================
viewer    explore every page, export
analyst   + the Cypher console
editor    + edits, assessments, interactions, undo of one's own changes
admin     + import, replace, undo of other people's changes
========  ==============================================================

Configuration, in Streamlit's ``secrets.toml`` or in ``graphcap.toml`` (secrets win)::

    [access]
    session_ttl_s = 28800     # a login lasts 8 hours
    max_failures = 5          # wrong passwords in a row before the user name is locked ...
    lockout_s = 300           # ... for 5 minutes
    [access.users.alice]
    role = "admin"
    password_hash = "$argon2id$v=19$m=65536,t=3,p=4$..."   # `graphcap hash-password`

or, for a container, ``GRAPHCAP_ADMIN_PASSWORD`` (user ``admin``, hashed in memory at start).
Passwords are only ever stored as argon2id hashes (argon2-cffi: salted, memory-hard). Without any
user the app is open -- allowed only on a loopback address (``make run``); ``GRAPHCAP_LOGIN=required``
refuses to serve until users are configured.
"""

from __future__ import annotations

import functools
import os
import threading
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from graphcap.errors import ConfigError, GraphcapError

__all__ = [
    "AccessConfig",
    "Limiter",
    "LoginRefused",
    "Role",
    "User",
    "hash_password",
    "load_access",
]

_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("graphcap: a hash to compare unknown users with, so timing tells nothing")


class Role(IntEnum):
    """What a user may do; a higher role includes the lower ones."""

    viewer = 1
    analyst = 2
    editor = 3
    admin = 4


class LoginRefused(GraphcapError):
    """Wrong user name or password, or the user name is locked for a while."""


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    password_hash: str = field(repr=False)


@dataclass(frozen=True)
class AccessConfig:
    """The users and the login limits; ``users`` empty means an open app."""

    users: Mapping[str, User] = field(default_factory=dict)
    session_ttl_s: float = 8 * 3600
    max_failures: int = 5
    lockout_s: float = 300
    required: bool = False

    @property
    def open(self) -> bool:
        return not self.users

    def check(
        self, name: str, password: str, limiter: Limiter, *, now: float | None = None
    ) -> User:
        """The user for ``name``/``password``, or :class:`LoginRefused` (wrong, or locked after
        :attr:`max_failures` wrong tries in a row for :attr:`lockout_s` seconds)."""
        now = time.monotonic() if now is None else now
        key = str(name).strip()
        wait = limiter.locked_for(key, now)
        if wait > 0:
            raise LoginRefused(f"too many wrong passwords: try again in {int(wait) + 1} s")
        user = self.users.get(key)
        try:
            _HASHER.verify(user.password_hash if user else _DUMMY, str(password))
            ok = user is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            limiter.failed(key, now, self.max_failures, self.lockout_s)
            raise LoginRefused("wrong user name or password")
        limiter.succeeded(key)
        assert user is not None
        return user


class Limiter:
    """Wrong passwords per user name, shared by all sessions of one app process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._until: dict[str, float] = {}

    def locked_for(self, key: str, now: float) -> float:
        with self._lock:
            return max(0.0, self._until.get(key, 0.0) - now)

    def failed(self, key: str, now: float, max_failures: int, lockout_s: float) -> None:
        with self._lock:
            n = self._failures.get(key, 0) + 1
            if n >= max_failures:
                self._until[key] = now + lockout_s
                n = 0
            self._failures[key] = n

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` for ``[access.users.NAME] password_hash``."""
    if len(password) < 8:
        raise ConfigError("a password needs at least 8 characters")
    return _HASHER.hash(password)


@functools.lru_cache(maxsize=2)
def _env_hash(password: str) -> str:
    """The hash of GRAPHCAP_ADMIN_PASSWORD, made once per process (hashing is slow on purpose)."""
    return hash_password(password)


def _section(secrets: Mapping[str, Any], toml_path: Path | None) -> tuple[dict[str, Any], str]:
    if isinstance(secrets.get("access"), Mapping):
        return dict(secrets["access"]), "secrets.toml [access]"
    if toml_path is not None and toml_path.exists():
        try:
            data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {toml_path} is not valid TOML: {exc}") from exc
        if isinstance(data.get("access"), Mapping):
            return dict(data["access"]), f"{toml_path} [access]"
    return {}, "[access]"


def load_access(
    secrets: Mapping[str, Any] | None = None,
    *,
    toml_path: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> AccessConfig:
    """The access configuration from secrets, ``graphcap.toml`` and the environment."""
    env = os.environ if env is None else env
    if toml_path is None:
        name = env.get("GRAPHCAP_CONFIG") or "graphcap.toml"
        toml_path = Path(name)
    raw, where = _section(secrets or {}, toml_path)
    users: dict[str, User] = {}
    for name, spec in dict(raw.get("users") or {}).items():
        if not isinstance(spec, Mapping):
            raise ConfigError(f"{where}: users.{name} must be a table with role and password_hash")
        role = spec.get("role")
        if role not in Role.__members__:
            raise ConfigError(
                f"{where}: users.{name}.role {role!r} is not one of {', '.join(Role.__members__)}"
            )
        hashed = spec.get("password_hash")
        if not isinstance(hashed, str) or not hashed.startswith("$argon2"):
            raise ConfigError(
                f"{where}: users.{name}.password_hash must be an argon2 hash "
                "(make one with `graphcap hash-password`); plain passwords are refused"
            )
        users[str(name)] = User(str(name), Role[str(role)], hashed)
    admin_password = env.get("GRAPHCAP_ADMIN_PASSWORD")
    if admin_password:
        users.setdefault("admin", User("admin", Role.admin, _env_hash(admin_password)))
    try:
        config = AccessConfig(
            users=users,
            session_ttl_s=float(raw.get("session_ttl_s", 8 * 3600)),
            max_failures=int(raw.get("max_failures", 5)),
            lockout_s=float(raw.get("lockout_s", 300)),
            required=env.get("GRAPHCAP_LOGIN", "").lower() == "required"
            or bool(raw.get("required")),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from exc
    if config.session_ttl_s <= 0 or config.max_failures < 1 or config.lockout_s < 0:
        raise ConfigError(
            f"{where}: session_ttl_s and lockout_s must be positive, max_failures at least 1"
        )
    return config
