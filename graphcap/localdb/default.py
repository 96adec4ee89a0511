"""The user's own local server: the folder and port remembered by ``graphcap neo4j start``, the
password generated once and kept in its folder.

Part of :mod:`graphcap.localdb`; the server itself is :class:`graphcap.localdb.server.LocalNeo4j`.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from graphcap.config.connection import (
    REMEMBERED_SERVER,
    data_dir,
    local_port,
    remembered_server,
)
from graphcap.files import write_atomic
from graphcap.localdb.server import LocalNeo4j

__all__ = ["default_server"]


def _password_file(home: Path) -> Path:
    return home / "password"


def remember(server: LocalNeo4j) -> Path:
    """Remember ``server`` (folder and port) as the user's local server
    (:func:`graphcap.config.connection.remembered_server` reads it)."""
    target = data_dir() / REMEMBERED_SERVER
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"home": str(server.home.resolve()), "port": server.port})
    return write_atomic(
        target, lambda tmp: tmp.write_text(text, encoding="utf-8"), what="the server's address"
    )


def default_server(
    home: str | os.PathLike[str] | None = None, port: int | None = None, heap: str | None = None
) -> LocalNeo4j:
    """The user's local server: ``home`` or the remembered one (``graphcap neo4j start``) or
    ``<data dir>/neo4j``; port ``port``, ``GRAPHCAP_NEO4J_PORT``, the remembered one (for the
    remembered folder) or 7687.

    The password is ``NEO4J_PASSWORD`` if set, else generated once and kept in ``home/password``
    (mode 0600), where :meth:`graphcap.config.connection.Neo4jSettings.from_env` finds it.
    """
    remembered = remembered_server()
    if home:
        home_path = Path(home).expanduser()
    else:
        home_path = remembered[0] if remembered else data_dir() / "neo4j"
    if port is None:
        if os.environ.get("GRAPHCAP_NEO4J_PORT"):
            port = local_port()
        elif remembered and remembered[0].resolve() == home_path.resolve():
            port = remembered[1]
        else:
            port = 7687
    home_path.mkdir(parents=True, exist_ok=True)
    password = os.environ.get("NEO4J_PASSWORD")
    if not password:
        pw_file = _password_file(home_path)
        if pw_file.exists():
            password = pw_file.read_text().strip()
        else:
            password = secrets.token_urlsafe(24)
            fd = os.open(pw_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(password + "\n")
    return LocalNeo4j(
        home=home_path,
        port=port if port is not None else local_port(),
        password=password,
        heap=heap or os.environ.get("GRAPHCAP_NEO4J_HEAP", "2g"),
    )
