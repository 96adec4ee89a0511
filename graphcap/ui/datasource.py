"""Which source the app reads, and why: Neo4j when it is configured and reachable (settings from
the environment or ``st.secrets``, see :meth:`graphcap.config.connection.Neo4jSettings.from_env`),
otherwise the embedded snapshot store on the sample network
(:func:`graphcap.snapshot.ensure_sample_snapshot`).

The choice is cached for :data:`SOURCE_TTL_S` seconds, so an unreachable Neo4j does not cost a
connection timeout on every click; the sidebar's "Reconnect" forgets it at once. The connection
(a driver is shared, never copied) lives in ``st.cache_resource``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from graphcap.config.connection import Neo4jSettings
from graphcap.errors import GraphcapError
from graphcap.i18n import current_language, use_language
from graphcap.i18n import gettext as _
from graphcap.snapshot import SnapshotSource, ensure_sample_snapshot
from graphcap.source import GraphSource
from graphcap.store import Neo4jStore
from graphcap.ui.plaintext import md_escape

__all__ = ["SOURCE_TTL_S", "Connection", "connection", "neo4j_help", "neo4j_problem", "source_text"]

#: How long the choice of source is kept before Neo4j is tried again (seconds).
SOURCE_TTL_S = 60


def neo4j_help() -> str:
    """How to get Neo4j (for the pages that need it), in the current language."""
    return _(
        "Cypher console and Import need Neo4j: run `graphcap neo4j start` (Java 17+, Maven) or "
        "set NEO4J_URI / NEO4J_PASSWORD, then Reconnect."
    )


@dataclass(frozen=True)
class Connection:
    """The source the app reads and why: ``neo4j_problem`` says why Neo4j is not used, in
    ``problem_language`` (the language of the session that connected first: the connection is
    shared, so :func:`neo4j_problem` words it again for a session in another language)."""

    source: GraphSource
    kind: str
    description: str
    neo4j_problem: str | None = None
    problem_language: str | None = None
    settings: Neo4jSettings | None = field(default=None, repr=False)
    key: str = ""

    @property
    def has_neo4j(self) -> bool:
        return self.kind == "neo4j"


#: Why Neo4j is not used when none is configured (cached in English, shown translated).
_NO_NEO4J = "no Neo4j is configured (NEO4J_URI unset and no local server set up)"


def source_text(conn: Connection) -> str:
    """What the app reads, in the current language (``conn.description`` is English: it is
    cached for every session and is the ``source`` value of exports)."""
    describe_text = getattr(conn.source, "describe_text", None)
    return describe_text() if callable(describe_text) else conn.description


def neo4j_problem(conn: Connection) -> str | None:
    """Why Neo4j is not used (markdown-escaped), in the current language where it is our text."""
    if conn.neo4j_problem == _NO_NEO4J:
        return _("no Neo4j is configured (NEO4J_URI unset and no local server set up)")
    if conn.neo4j_problem is None:
        return None
    text = conn.neo4j_problem
    if conn.settings is not None and conn.problem_language not in (None, current_language()):
        text = _problem_in(conn.settings, conn.key, current_language()) or text
    return md_escape(text)


@st.cache_resource(ttl=SOURCE_TTL_S, show_spinner=False)
def _problem_in(_settings: Neo4jSettings, key: str, lang: str) -> str | None:
    """Why Neo4j cannot be used, worded in ``lang``: the cached connection's reason is in the
    language of the session that tried first, so a session in another language tries once more
    (at most once per :data:`SOURCE_TTL_S` and language) and words the failure itself. ``None``
    when Neo4j answers now (the cached connection is then out of date until "Reconnect")."""
    with use_language(lang):
        try:
            store = Neo4jStore(_settings)
            try:
                store.verify()
            finally:
                store.close()
        except GraphcapError as exc:
            return str(exc)
    return None


def _secrets() -> dict[str, Any]:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:  # no secrets.toml anywhere: that is fine
        return {}


def _release(conn: Connection) -> None:
    """Close a Neo4j driver when its cache entry goes (TTL, Reconnect, cache clear)."""
    close = getattr(conn.source, "close", None)
    if callable(close):
        close()


@st.cache_resource(ttl=SOURCE_TTL_S, show_spinner=False, on_release=_release)
def _connect(_settings: Neo4jSettings, key: str) -> Connection:
    problem = None
    if not _settings.explicit and not _settings.password:
        problem = _NO_NEO4J
    else:
        try:
            store = Neo4jStore(_settings)
            store.verify()
            return Connection(store, "neo4j", store.describe())
        except GraphcapError as exc:
            problem = str(exc)

    snap = SnapshotSource(ensure_sample_snapshot())
    return Connection(
        snap, "snapshot", snap.describe(), problem, current_language(), _settings, key
    )


def _settings() -> tuple[Neo4jSettings, str]:
    settings = Neo4jSettings.from_env(secrets=_secrets())
    key = hashlib.sha256(
        "\0".join((settings.uri, settings.user, settings.database, settings.password)).encode()
    ).hexdigest()
    return settings, key


def connection() -> Connection:
    """The current source (cached; see the module doc)."""
    settings, key = _settings()
    with st.spinner(_("Connecting …")):
        return _connect(settings, key)
