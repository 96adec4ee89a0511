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

OIDC (Streamlit's ``st.login``) where an identity provider exists: the provider goes into the
``[auth]`` section of ``secrets.toml`` exactly as Streamlit documents it (``redirect_uri``,
``cookie_secret``, ``client_id``, ``client_secret``, ``server_metadata_url``; or one
``[auth.NAME]`` table per provider), and ``[access.oidc]`` maps identities to roles::

    [access.oidc]
    provider = "company"        # the [auth.company] table; leave out for [auth] itself
    claim = "email"             # the claim that names the user (audit trail, users table)
    groups_claim = "groups"     # a claim listing the user's groups
    default_role = ""           # "" = nobody else gets in; "viewer" = every signed-in user
    [access.oidc.users]
    "alice@example.com" = "admin"
    [access.oidc.groups]
    "graphcap-editors" = "editor"

A user gets the highest role any entry gives them; one without an entry gets ``default_role``
or no access.
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
from graphcap.i18n import gettext as _

__all__ = [
    "AccessConfig",
    "OidcAccess",
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
class OidcAccess:
    """Who of those an identity provider signs in gets which role (``[access.oidc]``)."""

    provider: str | None = None
    claim: str = "email"
    groups_claim: str = "groups"
    users: Mapping[str, Role] = field(default_factory=dict)  # keys in lower case
    groups: Mapping[str, Role] = field(default_factory=dict)
    default_role: Role | None = None

    def identify(self, claims: Mapping[str, Any]) -> tuple[str, Role | None]:
        """The user name (the configured claim) and role for the claims of a signed-in user;
        the role is None when nothing maps them and there is no default role.

        >>> oidc = OidcAccess(users={"al@x.org": Role.viewer}, groups={"eds": Role.editor})
        >>> oidc.identify({"email": "Al@X.org", "groups": ["eds", "other"]})
        ('Al@X.org', <Role.editor: 3>)
        >>> oidc.identify({"email": "bo@x.org"})
        ('bo@x.org', None)
        """
        who = claims.get(self.claim)
        if not isinstance(who, str) or not who.strip():
            return "", None
        if self.claim == "email" and claims.get("email_verified") is False:
            return who, None  # an address the provider has not verified names nobody
        roles = [self.users[who.strip().lower()]] if who.strip().lower() in self.users else []
        groups = claims.get(self.groups_claim) or []
        if isinstance(groups, str):
            groups = [groups]
        if isinstance(groups, list):
            roles += [self.groups[g] for g in groups if isinstance(g, str) and g in self.groups]
        if roles:
            return who, max(roles)
        return who, self.default_role


@dataclass(frozen=True)
class AccessConfig:
    """The users, OIDC, and the login limits; no users and no OIDC means an open app."""

    users: Mapping[str, User] = field(default_factory=dict)
    session_ttl_s: float = 8 * 3600
    max_failures: int = 5
    lockout_s: float = 300
    required: bool = False
    oidc: OidcAccess | None = None
    session_secret: str | None = field(default=None, repr=False)

    @property
    def open(self) -> bool:
        return not self.users and self.oidc is None

    def oidc_expires(self, claims: Mapping[str, Any], now: float) -> float:
        """When a provider's sign-in ends: ``session_ttl_s`` after it issued the identity (its
        ``iat`` claim), whatever Streamlit's 30-day cookie says; without ``iat``, from ``now``."""
        issued = claims.get("iat")
        start = float(issued) if isinstance(issued, int | float) else now
        return start + self.session_ttl_s

    def check(
        self, name: str, password: str, limiter: Limiter, *, now: float | None = None
    ) -> User:
        """The user for ``name``/``password``, or :class:`LoginRefused` (wrong, or locked after
        :attr:`max_failures` wrong tries in a row for :attr:`lockout_s` seconds)."""
        now = time.monotonic() if now is None else now
        key = str(name).strip()
        wait = limiter.locked_for(key, now)
        if wait > 0:
            raise LoginRefused(
                _("too many wrong passwords: try again in {wait} s").format(wait=int(wait) + 1)
            )
        user = self.users.get(key)
        try:
            _HASHER.verify(user.password_hash if user else _DUMMY, str(password))
            ok = user is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            limiter.failed(key, now, self.max_failures, self.lockout_s)
            raise LoginRefused(_("wrong user name or password"))
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
        raise ConfigError(_("a password needs at least 8 characters"))
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
            raise ConfigError(
                _("config file {toml_path} is not valid TOML: {exc}").format(
                    toml_path=toml_path, exc=exc
                )
            ) from exc
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
            raise ConfigError(
                _("{where}: users.{name} must be a table with role and password_hash").format(
                    where=where, name=name
                )
            )
        role = spec.get("role")
        if role not in Role.__members__:
            raise ConfigError(
                _("{where}: users.{name}.role {role!r} is not one of {members}").format(
                    where=where, name=name, role=role, members=", ".join(Role.__members__)
                )
            )
        hashed = spec.get("password_hash")
        if not isinstance(hashed, str) or not hashed.startswith("$argon2"):
            raise ConfigError(
                _(
                    "{where}: users.{name}.password_hash must be an argon2 hash (make one with `graphcap hash-password`); plain passwords are refused"
                ).format(where=where, name=name)
            )
        users[str(name)] = User(str(name), Role[str(role)], hashed)
    oidc = _oidc(raw.get("oidc"), secrets or {}, where)
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
            oidc=oidc,
            session_secret=_session_secret(raw, secrets or {}, env),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(_("{where}: {exc}").format(where=where, exc=exc)) from exc
    if config.session_ttl_s <= 0 or config.max_failures < 1 or config.lockout_s < 0:
        raise ConfigError(
            _(
                "{where}: session_ttl_s and lockout_s must be positive, max_failures at least 1"
            ).format(where=where)
        )
    return config


_AUTH_SHARED = ("redirect_uri", "cookie_secret")
_AUTH_PROVIDER = ("client_id", "client_secret", "server_metadata_url")


def _role(value: Any, where: str) -> Role:
    if value not in Role.__members__:
        raise ConfigError(
            _("{where} {value!r} is not one of {members}").format(
                where=where, value=value, members=", ".join(Role.__members__)
            )
        )
    return Role[str(value)]


def _oidc(spec: Any, secrets: Mapping[str, Any], where: str) -> OidcAccess | None:
    """``[access.oidc]`` checked against Streamlit's ``[auth]`` section of the secrets."""
    auth = secrets.get("auth")
    if spec is None and not isinstance(auth, Mapping):
        return None
    if spec is None:
        raise ConfigError(
            _(
                "secrets.toml [auth] configures an identity provider but [access.oidc] maps nobody to a role: add [access.oidc.users] / [access.oidc.groups] or default_role (docs/TEAM.md)"
            )
        )
    if not isinstance(spec, Mapping):
        raise ConfigError(_("{where}: oidc must be a table").format(where=where))
    if not isinstance(auth, Mapping):
        raise ConfigError(
            _(
                "{where}: oidc needs the identity provider in secrets.toml [auth] (redirect_uri, cookie_secret, client_id, client_secret, server_metadata_url)"
            ).format(where=where)
        )
    provider = spec.get("provider") or None
    section: Any = auth if provider is None else auth.get(str(provider))
    if not isinstance(section, Mapping):
        raise ConfigError(
            _("{where}: oidc.provider {provider!r} has no [auth.{provider}] table").format(
                where=where, provider=provider
            )
        )
    missing = [k for k in _AUTH_SHARED if not auth.get(k)]
    missing += [k for k in _AUTH_PROVIDER if not section.get(k)]
    if missing:
        table = "[auth]" if provider is None else f"[auth.{provider}]"
        raise ConfigError(
            _("secrets.toml {table} lacks {missing} (docs/TEAM.md)").format(
                table=table, missing=", ".join(missing)
            )
        )
    if not str(auth["redirect_uri"]).endswith("/oauth2callback"):
        raise ConfigError(_("secrets.toml [auth] redirect_uri must end in /oauth2callback"))
    users = {
        str(k).strip().lower(): _role(v, f"{where}: oidc.users.{k}")
        for k, v in dict(spec.get("users") or {}).items()
    }
    groups = {
        str(k): _role(v, f"{where}: oidc.groups.{k}")
        for k, v in dict(spec.get("groups") or {}).items()
    }
    default = spec.get("default_role") or None
    oidc = OidcAccess(
        provider=None if provider is None else str(provider),
        claim=str(spec.get("claim") or "email"),
        groups_claim=str(spec.get("groups_claim") or "groups"),
        users=users,
        groups=groups,
        default_role=None if default is None else _role(default, f"{where}: oidc.default_role"),
    )
    if not users and not groups and oidc.default_role is None:
        raise ConfigError(
            _(
                "{where}: oidc maps nobody to a role: add oidc.users, oidc.groups or default_role"
            ).format(where=where)
        )
    return oidc


def _session_secret(
    raw: Mapping[str, Any], secrets: Mapping[str, Any], env: Mapping[str, str]
) -> str | None:
    """The secret that signs session tokens: ``[access] session_secret``,
    ``GRAPHCAP_SESSION_SECRET`` or Streamlit's ``[auth] cookie_secret``; None = a random one
    per process (a restart then logs everybody out)."""
    auth = secrets.get("auth")
    for value in (
        raw.get("session_secret"),
        env.get("GRAPHCAP_SESSION_SECRET"),
        auth.get("cookie_secret") if isinstance(auth, Mapping) else None,
    ):
        if value:
            if len(str(value)) < 16:
                raise ConfigError(_("the session secret needs at least 16 characters"))
            return str(value)
    return None
