"""The audit trail: one append-only event node per edit, and the state of an item at any time.

Every edit (:mod:`graphcap.store.edits`, :mod:`graphcap.store.assess`) writes, in the *same*
transaction as the change, one ``(:GraphcapEvent)``:

``id``          random UUID; what ``undo`` and ``graphcap history`` name
``seq``, ``at`` a gap-free sequence number and a UTC time, both strictly increasing (taken
                under the edit lock, so the order of ``at`` is the order of the commits)
``who``         the user who made the change (the logged-in user in the app, ``--user`` or
                ``$USER`` on the command line)
``action``      ``create``, ``change``, ``retire``, ``restore``, ``assess``, ``log``, ``undo``,
                ``purge`` (an admin deleted the retired item for good; ``after`` is absent)
``kind``, ``key`` what was changed: ``stakeholder`` + its id, ``relationship`` + the JSON
                text ``[source, TYPE, target]``, ``interaction`` + its key
``before``, ``after`` the item's whole state (all its properties but stored metrics ``m_*``)
                before and after, as JSON text; ``before`` is absent for a creation
``version``     the item's ``__gc_version`` after the change (optimistic concurrency)
``undoes``      for an undo: the id of the event undone

Events are never changed or deleted by graphcap (only :meth:`Neo4jStore.clear` removes them with
everything else; a purge deletes items, never their events), so :func:`state_at` can rebuild an item at any past time: the ``after`` of
the last event at or before that time, or the ``before`` of the first event after it (the state
an import left before anybody edited it).

Edits and imports: an import holds ``(:GraphcapMeta {key:'import-lock'})`` for its whole run
(:mod:`graphcap.store.journal`). An edit first refuses while an import is marked running, then
takes a write lock on the same node for its own short transaction -- so an import waits for the
edits in flight, and an edit that arrives while an import starts is refused (or waits at most
:data:`LOCK_WAIT_S`), never interleaved with the import's batches.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from graphcap.columns import COLUMN_LABELS
from graphcap.errors import EditRefused
from graphcap.i18n import DEFAULT_LANGUAGE, current_language
from graphcap.i18n import gettext as _
from graphcap.store.import_queries import BUMP_VERSION

__all__ = [
    "IMPORT_RUNNING",
    "LOCK_WAIT_S",
    "NEXT_SEQ",
    "begin",
    "decode",
    "diff",
    "encode",
    "event_of",
    "lock",
    "native",
    "record",
    "relationship_key",
    "state_at",
]

#: How long an edit waits for the edit/import lock before it is refused (seconds).
LOCK_WAIT_S = 15.0

IMPORT_RUNNING = (
    "an import into this database is running (or was interrupted: `graphcap info --recover`); "
    "nothing was changed -- save again when it has finished"
)

EVENT_SCHEMA = (
    "CREATE CONSTRAINT graphcap_event_id IF NOT EXISTS FOR (e:GraphcapEvent) REQUIRE e.id IS UNIQUE",
    "CREATE INDEX graphcap_event_target IF NOT EXISTS FOR (e:GraphcapEvent) ON (e.kind, e.key)",
    "CREATE INDEX graphcap_event_undoes IF NOT EXISTS FOR (e:GraphcapEvent) ON (e.undoes)",
    "CREATE CONSTRAINT graphcap_assessment_id IF NOT EXISTS FOR (x:Assessment) REQUIRE x.id IS UNIQUE",
    "CREATE INDEX graphcap_assessment_target IF NOT EXISTS FOR (x:Assessment) ON (x.kind, x.key)",
)


def relationship_key(source: str, rel_type: str, target: str) -> str:
    """The ``key`` of a relationship's events: ``["a", "SUPPLIES", "b"]`` as compact JSON."""
    return json.dumps([source, rel_type, target], ensure_ascii=False, separators=(",", ":"))


# -- values as JSON, both ways -------------------------------------------------------------------


def native(value: Any) -> Any:
    """A value read from Neo4j as a plain Python value (Neo4j dates and times -> ``datetime``)."""
    to_native = getattr(value, "to_native", None)
    if to_native is not None and type(value).__module__.startswith("neo4j.time"):
        return to_native()
    if isinstance(value, list):
        return [native(v) for v in value]
    return value


def _tag(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [_tag(v) for v in value]
    return value


def _untag(value: Any) -> Any:
    if isinstance(value, dict):
        if "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return date.fromisoformat(value["$date"])
    if isinstance(value, list):
        return [_untag(v) for v in value]
    return value


def encode(state: Mapping[str, Any] | None) -> str | None:
    """A state (property map) as JSON text with dates tagged, keys sorted."""
    if state is None:
        return None
    return json.dumps(
        {k: _tag(native(v)) for k, v in state.items()},
        ensure_ascii=False,
        sort_keys=True,
        allow_nan=False,
    )


def decode(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    return {k: _untag(v) for k, v in json.loads(text).items()}


def diff(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> dict[str, tuple[Any, Any]]:
    """``{property: (old, new)}`` for every property that differs."""
    before, after = before or {}, after or {}
    return {
        k: (before.get(k), after.get(k))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


# -- writing: the lock, the sequence, the event ---------------------------------------------------


def lock(tx: Any) -> None:
    """Refuse while an import runs, else take the edit/import lock in ``tx``."""
    for _i in range(2):  # before the lock (refuse at once) and after it (an import began meanwhile)
        rec = tx.run(
            "OPTIONAL MATCH (s:GraphcapMeta {key: 'import'}) RETURN s.state AS state"
        ).single()
        if rec["state"] == "running":
            raise EditRefused(IMPORT_RUNNING)
        tx.run("MERGE (l:GraphcapMeta {key: 'import-lock'}) SET l.edited_at = datetime()").consume()


#: Draws the next number ``c.seq`` and time ``c.at`` of the trail (edits and imports share it).
NEXT_SEQ = (
    "MERGE (c:GraphcapMeta {key: 'events'}) ON CREATE SET c.seq = 0 "
    "WITH c, datetime.truncate('microsecond', datetime.realtime('UTC')) AS now "
    "SET c.seq = c.seq + 1, c.at = CASE WHEN c.at IS NULL OR now > c.at THEN now "
    "ELSE c.at + duration({microseconds: 1}) END "
)


def begin(tx: Any) -> tuple[int, datetime]:
    """Start an edit in ``tx``: refuse while an import runs, take the edit/import lock, draw the
    next sequence number and time. Returns ``(seq, at)``."""
    lock(tx)
    rec = tx.run(NEXT_SEQ + "RETURN c.seq AS seq, c.at AS at").single()
    return int(rec["seq"]), native(rec["at"])


def record(
    tx: Any,
    *,
    seq: int,
    at: datetime,
    who: str,
    action: str,
    kind: str,
    key: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    version: int,
    undoes: str | None = None,
    assessment: str | None = None,
    comment: str | None = None,
) -> dict[str, Any]:
    """Write one event (in the edit's transaction); returns it as :func:`event_of` would."""
    props = {
        "seq": seq,
        "at": at,
        "who": who,
        "action": action,
        "kind": kind,
        "key": key,
        "before": encode(before),
        "after": encode(after),
        "version": version,
        "undoes": undoes,
        "assessment": assessment,
        "comment": comment,
    }
    tx.run(BUMP_VERSION).consume()  # the app's caches follow the data version
    rec = tx.run(
        "CREATE (e:GraphcapEvent) SET e = $props, e.id = randomUUID() RETURN properties(e) AS e",
        props={k: v for k, v in props.items() if v is not None},
    ).single()
    return event_of(rec["e"])


def event_of(props: Mapping[str, Any]) -> dict[str, Any]:
    """An event node's properties as a plain dict with ``before``/``after`` decoded and
    ``changes`` (``{property: (old, new)}``) added."""
    e = {k: native(v) for k, v in props.items()}
    e["before"], e["after"] = decode(e.get("before")), decode(e.get("after"))
    e["changes"] = diff(e["before"], e["after"])
    return e


#: what an event's action (a code, stored as it is) is called in a sentence
_ACTIONS = {
    "create": lambda: _("create"),
    "change": lambda: _("change"),
    "assess": lambda: _("assess"),
    "log": lambda: _("log"),
    "undo": lambda: _("undo"),
    "retire": lambda: _("retire"),
    "restore": lambda: _("restore"),
    "import": lambda: _("import"),
}


def describe(event: Mapping[str, Any], limit: int = 4) -> str:
    """One line in the current language: ``alice at 2026-11-30 14:02:11 UTC: change trust 0.5
    -> 0.7``."""
    at = event["at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    changes = [(k, v) for k, v in event["changes"].items() if not k.startswith("__gc_")]
    shown = ", ".join(
        f"{_field(k)} {_short(old)} -> {_short(new)}" for k, (old, new) in changes[:limit]
    )
    more = _(" (+{n} more)").format(n=len(changes) - limit) if len(changes) > limit else ""
    word = _ACTIONS.get(event["action"])
    action = word() if word else event["action"]
    return (
        _("{who} at {at}: {action} {changes}")
        .format(who=repr(event["who"]), at=at, action=action, changes=shown + more)
        .rstrip()
    )


def _field(key: str) -> str:
    """A changed property as the reader's language names it (English: the property's key, as
    files and Cypher name it; a project's own property: as it is)."""
    label = COLUMN_LABELS.get(key)
    if label is None or current_language() == DEFAULT_LANGUAGE:
        return key
    return _(label)


def _short(value: Any) -> str:
    text = (
        _("(none)")
        if value is None
        else repr(value.isoformat() if isinstance(value, date) else value)
    )
    return text if len(text) <= 40 else text[:37] + "..."


# -- reading: history and the state at a time ----------------------------------------------------


def state_at(events: list[Mapping[str, Any]], at: datetime) -> tuple[bool, dict[str, Any] | None]:
    """The state of one item at ``at`` from its events (sorted by ``seq``).

    Returns ``(known, state)``: ``state`` is ``None`` when the item did not exist then (or the
    history does not reach back: ``known`` is False when the item predates its first event and
    that event recorded no ``before``).
    """
    if at.tzinfo is None:
        raise ValueError(_("state_at needs a time with a time zone (e.g. UTC)"))
    last = None
    for e in events:
        if e["at"] <= at:
            last = e
        else:
            break
    if last is not None:
        return True, (dict(last["after"]) if last["after"] is not None else None)
    if not events:
        return False, None
    first = events[0]
    return True, (dict(first["before"]) if first["before"] is not None else None)
