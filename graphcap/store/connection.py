"""Connecting to Neo4j and turning driver errors into graphcap errors.

This is where a driver exception becomes a one-line message a user can act on. Every message
names the URI and the database, never the password, and says how to fix it:

- not running / unreachable / unknown database -> :class:`~graphcap.errors.ConnectionFailed`
- wrong user or password -> :class:`~graphcap.errors.AuthFailed`
- anything else the server reports -> :class:`~graphcap.errors.StoreError`

Only graphcap.store imports ``neo4j``; the read-only console (``store.readonly``) uses
:func:`open_driver` and :func:`translate` too.
"""

from __future__ import annotations

import logging
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors

from graphcap.config.connection import Neo4jSettings, redact_uri
from graphcap.errors import AuthFailed, ConnectionFailed, StoreError
from graphcap.i18n import Text, lazy_gettext, shown
from graphcap.i18n import gettext as _

__all__ = ["open_driver", "translate", "where", "where_text"]

# The driver logs connection failures itself ("Unable to retrieve routing information"); with no
# logging configured Python would print them to stderr next to our one-line error. Applications
# that configure logging still see them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

#: Seconds to wait for a TCP connection before calling a server unreachable.
CONNECTION_TIMEOUT_S = 10.0


def where(settings: Neo4jSettings) -> Text:
    """``neo4j://host:port (database 'neo4j')`` -- what a message names. Never the password.
    As a string it is English (the machine value ``source`` of JSON documents and snapshots);
    :func:`graphcap.i18n.shown` words it in the reader's language."""
    return lazy_gettext(
        "{uri} (database {database!r})", uri=redact_uri(settings.uri), database=settings.database
    )


def where_text(settings: Neo4jSettings) -> str:
    """:func:`where` in the current language, for messages and human output."""
    return shown(where(settings))


def _how_to_start(settings: Neo4jSettings) -> str:
    if settings.explicit:
        return _("check that the server runs and that NEO4J_URI is right")
    return _("start it with `graphcap neo4j start` or set NEO4J_URI to another Neo4j")


def open_driver(
    settings: Neo4jSettings, *, retry_s: float = 30.0, notifications: bool = False
) -> neo4j.Driver:
    """A driver for ``settings`` (no connection is made until the first query).

    ``retry_s`` is how long transaction functions retry transient failures (the driver's
    ``max_transaction_retry_time``). Server notifications (e.g. "label not in the database"
    for an allow-listed type nobody uses yet) are off unless ``notifications``.
    """
    try:
        return neo4j.GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password),
            connection_timeout=CONNECTION_TIMEOUT_S,
            max_transaction_retry_time=retry_s,
            user_agent="graphcap",
            **_notification_options(notifications),
        )
    except (ValueError, neo4j_errors.ConfigurationError) as exc:
        raise ConnectionFailed(
            _(
                "NEO4J_URI {redact_uri!r} is not a Neo4j address ({redact_uri2}); use e.g. neo4j://127.0.0.1:7687 or neo4j+s://<id>.databases.neo4j.io"
            ).format(redact_uri=redact_uri(settings.uri), redact_uri2=redact_uri(str(exc)))
        ) from exc


def translate(
    exc: Exception, settings: Neo4jSettings, *, doing: str = "talking to Neo4j"
) -> StoreError:
    """The graphcap error for a driver exception raised while ``doing`` something.

    The caller raises it ``from exc``. The message is one line and never holds the password.
    """
    at = where_text(settings)
    doing = _(doing)  # the callers' activities ("reading the network", ...) are in the catalogue
    if isinstance(exc, neo4j_errors.AuthError):
        return AuthFailed(
            _(
                "Neo4j at {at} refused user {user!r}: wrong user name or password; set NEO4J_USER / NEO4J_PASSWORD (the local server's password is in its data dir)"
            ).format(at=at, user=settings.user)
        )
    code = getattr(exc, "code", None) or ""
    if code == "Neo.ClientError.Database.DatabaseNotFound" or (
        isinstance(exc, neo4j_errors.ClientError) and "database does not exist" in str(exc).lower()
    ):
        return ConnectionFailed(
            _(
                "Neo4j at {redact_uri} has no database {database!r}; set NEO4J_DATABASE to an existing one (Neo4j Community has only 'neo4j')"
            ).format(redact_uri=redact_uri(settings.uri), database=settings.database)
        )
    if isinstance(exc, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired) or isinstance(
        exc, OSError
    ):
        return ConnectionFailed(
            _("Neo4j is not reachable at {at} while {doing}: {short}; {how_to_start}").format(
                at=at, doing=doing, short=_short(exc), how_to_start=_how_to_start(settings)
            )
        )
    if isinstance(exc, neo4j_errors.Neo4jError):
        return StoreError(
            _("Neo4j at {at} failed while {doing}: {short}").format(
                at=at, doing=doing, short=_short(exc)
            )
        )
    if isinstance(exc, neo4j_errors.DriverError):
        return ConnectionFailed(
            _("Neo4j at {at} failed while {doing}: {short}").format(
                at=at, doing=doing, short=_short(exc)
            )
        )
    return StoreError(
        _("{doing} at {at} failed: {short}").format(doing=doing, at=at, short=_short(exc))
    )


def _short(exc: Exception, limit: int = 300) -> str:
    """The first line of the exception's message, without the password should a server echo it."""
    message: Any = (exc.message if isinstance(exc, neo4j_errors.Neo4jError) else None) or str(exc)
    message = message or type(exc).__name__
    text = redact_uri(" ".join(str(message).split()))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _notification_options(notifications: bool) -> dict[str, Any]:
    """Driver options that silence the server's notifications unless asked for."""
    return {} if notifications else {"notifications_min_severity": "OFF"}
