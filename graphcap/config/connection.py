"""How to reach Neo4j: :class:`Neo4jSettings` (password never shown), the local server graphcap
started (:func:`remembered_server`, :func:`local_port`), the data dir, and :func:`redact_uri`, the
one way a URI is shown.

Credentials come only from the environment, Streamlit secrets (passed in by the UI) or the local
server's generated password file, never from code, and are never printed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from graphcap.errors import ConfigError
from graphcap.i18n import gettext

__all__ = [
    "REMEMBERED_SERVER",
    "Neo4jSettings",
    "data_dir",
    "local_port",
    "redact_uri",
    "remembered_server",
]


def data_dir() -> Path:
    """The user's graphcap data dir (``GRAPHCAP_DATA_DIR`` or the platform's user data dir)."""
    explicit = os.environ.get("GRAPHCAP_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("graphcap", appauthor=False))


_SECRET_QUERY_KEYS = {"password", "pass", "pwd", "passwd", "token", "secret", "key", "auth",
                      "credentials", "apikey", "api_key"}  # fmt: skip
_USERINFO_RE = re.compile(r"(?<=//)[^/@\s]*@")


def redact_uri(uri: str) -> str:
    """``uri`` safe to show: user name and password inside it (``neo4j://u:pw@host``) and
    query values that look like secrets (``?password=...``) replaced by ``***``. The one
    function every message, log line and page uses to show a URI.

    >>> redact_uri("neo4j://neo4j:s3cret@db.example:7687")
    'neo4j://***@db.example:7687'
    >>> redact_uri("neo4j+s://db.example?policy=eu&password=x")
    'neo4j+s://db.example?policy=eu&password=***'
    """
    text = _USERINFO_RE.sub("***@", str(uri))
    head, sep, query = text.partition("?")
    if sep:
        parts = []
        for item in query.split("&"):
            key, eq, _ = item.partition("=")
            secret = eq and key.strip().lower() in _SECRET_QUERY_KEYS
            parts.append(f"{key}=***" if secret else item)
        text = head + "?" + "&".join(parts)
    return text


def _split_userinfo(uri: str) -> tuple[str, str | None, str | None]:
    """(``uri`` without user info, the user, the password) -- None where the URI has none."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return _USERINFO_RE.sub("", uri), None, None
    if "@" not in parts.netloc:
        return uri, None, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    clean = urlunsplit((parts.scheme, hostport, parts.path, parts.query, parts.fragment))
    return clean, unquote(user) or None, unquote(password) if colon else None


@dataclass(frozen=True)
class Neo4jSettings:
    """How to reach Neo4j. ``password`` is never shown in ``repr`` or messages.

    Credentials written into the URI (``neo4j://user:pw@host``) are taken out of it when the
    settings are made: they become ``user``/``password`` (unless those were given separately)
    and ``uri`` never holds them, so no message, log or page can show them.
    """

    uri: str = "neo4j://127.0.0.1:7687"
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str = "neo4j"
    explicit: bool = False  # True when NEO4J_URI was given (no local server management)

    def __post_init__(self) -> None:
        clean, user, password = _split_userinfo(self.uri)
        if clean != self.uri:
            object.__setattr__(self, "uri", clean)
            if user and self.user in ("", "neo4j"):
                object.__setattr__(self, "user", user)
            if password is not None and not self.password:
                object.__setattr__(self, "password", password)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None
    ) -> Neo4jSettings:
        """Settings from the environment, then Streamlit secrets (``[neo4j]`` table or flat keys),
        then the local server (its port and generated password)."""
        env = os.environ if env is None else env
        sec: Mapping[str, Any] = {}
        if secrets:
            sec = (
                secrets.get("neo4j", secrets)
                if isinstance(secrets.get("neo4j"), Mapping)
                else secrets
            )

        def pick(name: str, short: str) -> str | None:
            if env.get(name):
                return env[name]
            for key in (name, short, name.lower(), short.lower()):
                if key in sec and sec[key] not in (None, ""):
                    return str(sec[key])
            return None

        uri = pick("NEO4J_URI", "uri")
        user = pick("NEO4J_USER", "user") or "neo4j"
        password = pick("NEO4J_PASSWORD", "password")
        database = pick("NEO4J_DATABASE", "database") or "neo4j"
        if uri:
            return cls(
                uri=uri, user=user, password=password or "", database=database, explicit=True
            )
        port = local_port(env)
        if password is None:
            remembered = remembered_server()
            home = remembered[0] if remembered else data_dir() / "neo4j"
            pw_file = home / "password"
            password = pw_file.read_text().strip() if pw_file.exists() else ""
        return cls(uri=f"neo4j://127.0.0.1:{port}", user=user, password=password, database=database)


#: where ``graphcap neo4j start`` remembers the local server it started (its folder and port)
REMEMBERED_SERVER = "neo4j-server.json"


def remembered_server() -> tuple[Path, int] | None:
    """``(home, port)`` of the local server ``graphcap neo4j start`` last started, if any: later
    commands and the app find it (and its password) without environment variables."""
    try:
        data = json.loads((data_dir() / REMEMBERED_SERVER).read_text(encoding="utf-8"))
        home, port = Path(str(data["home"])), int(data["port"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (home, port) if 1 <= port <= 65535 else None


def local_port(env: Mapping[str, str] | None = None) -> int:
    """``GRAPHCAP_NEO4J_PORT``, else the remembered local server's port, else 7687."""
    env = os.environ if env is None else env
    remembered = remembered_server()
    raw = env.get("GRAPHCAP_NEO4J_PORT") or str(remembered[1] if remembered else 7687)
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(
            gettext("GRAPHCAP_NEO4J_PORT must be a port number, got {raw!r}").format(raw=raw)
        ) from None
    if not 1 <= port <= 65535:
        raise ConfigError(
            gettext("GRAPHCAP_NEO4J_PORT must be between 1 and 65535, got {port}").format(port=port)
        )
    return port
