"""The whole graph as it was at a past time, rebuilt from the audit trail.

Every edit writes the item's whole state before and after (:mod:`graphcap.store.audit`), so the
state of an item at time ``T`` is its current state, unless an event changed it after ``T``: then
it is the ``before`` of its *first* event after ``T`` (``None``: it did not exist yet). Undoing
the events after ``T`` this way reads each changed item's events once -- the cost is the current
graph plus the events after ``T``, whatever the length of the history before.

**What is exact.** Edits (create, change, retire, restore, assess, log, undo, purge) are events
and are undone exactly. An import keeps its undo journal as its trail
(:mod:`graphcap.store.import_history`: the state before of what it changed or deleted, the keys
of what it created), so a time before an import is rebuilt the same way. Only data imported by
a graphcap that did not keep that trail cannot be rebuilt: a time before such an import is
refused (:class:`AsOfRefused`) -- its state needs a snapshot (``graphcap snapshot``). Stored
metrics (``m_*``) are not part of a state and are left out. A retired stakeholder takes its
relationships and interactions out of the view, as in
:meth:`~graphcap.store.Neo4jStore.read_network`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from graphcap.errors import StoreError
from graphcap.i18n import gettext as _
from graphcap.model.schema import STAKEHOLDER_LABEL
from graphcap.store import import_history
from graphcap.store.audit import decode, relationship_key
from graphcap.store.targets import RETIRED, state_of

__all__ = ["AsOfRefused", "last_import", "rebuild"]


class AsOfRefused(StoreError):
    """The audit trail cannot rebuild the graph at that time (it is before the last import)."""


def last_import(tx: Any) -> datetime | None:
    """The earliest time a past state can be rebuilt from (``None``: any time): the last commit
    of an import that kept no trail in the history (a graphcap before imports did; for a
    database that never recorded ``committed_at``, the end of its last import run)."""
    return import_history.history_bound(tx)


def rebuild(
    tx: Any, at: datetime, rel_types: list[str]
) -> tuple[list[dict], list[dict], list[dict]]:
    """``(nodes, edges, interactions)`` as property maps at ``at`` (time-zone aware), without
    retired items and with ``source``/``target``/``type`` on edges and interactions, in the
    shape :meth:`Neo4jStore.read_network` builds its frames from. ``rel_types`` are allow-listed
    types (they enter query text)."""
    if at.tzinfo is None:
        raise ValueError(_("a past state needs a time with a time zone (e.g. UTC)"))
    imported = last_import(tx)
    if imported is not None and at < imported:
        raise AsOfRefused(
            _(
                "the data were last imported at {imported:%Y-%m-%d %H:%M:%S} UTC by a graphcap "
                "that did not keep imports in the audit trail; the trail rebuilds the graph only "
                "from then on -- pick a later time, or open a snapshot taken before that import"
            ).format(imported=imported)
        )
    items: dict[tuple[str, str], dict[str, Any]] = {}
    ends: dict[str, tuple[str, str]] = {}
    for r in tx.run(f"MATCH (n:{STAKEHOLDER_LABEL}) RETURN properties(n) AS p"):
        p = state_of(r["p"])
        items["stakeholder", str(p["id"])] = p
    for t in rel_types:
        for r in tx.run(
            f"MATCH (a:{STAKEHOLDER_LABEL})-[x:{t}]->(b:{STAKEHOLDER_LABEL}) "
            "RETURN a.id AS s, b.id AS b, properties(x) AS p"
        ):
            items["relationship", relationship_key(r["s"], t, r["b"])] = state_of(r["p"])
    for r in tx.run(
        f"MATCH (a:{STAKEHOLDER_LABEL})<-[:FROM]-(i:Interaction)-[:TO]->(b:{STAKEHOLDER_LABEL}) "
        "RETURN a.id AS s, b.id AS b, properties(i) AS p"
    ):
        p = state_of(r["p"])
        key = str(p.get("key", ""))
        items["interaction", key] = p
        ends[key] = (r["s"], r["b"])
    # the first change after `at` of every item changed since -- an edit's event or an import's
    # trail: its `before` is the state at `at`
    first = import_history.first_after(tx, at)
    for r in tx.run(
        "MATCH (e:GraphcapEvent) WHERE e.at > $at "
        "WITH e ORDER BY e.seq WITH e.kind AS kind, e.key AS key, collect(e)[0] AS first "
        "RETURN kind, key, first.seq AS seq, first.before AS before",
        at=at,
    ):
        item = (r["kind"], r["key"])
        if item not in first or first[item][0] > r["seq"]:
            first[item] = (int(r["seq"]), decode(r["before"]))
    for item, (_seq, before) in first.items():
        if before is None:
            items.pop(item, None)
        else:
            items[item] = before
    live = {
        key: p
        for (kind, key), p in items.items()
        if kind == "stakeholder" and p.get(RETIRED) is None
    }
    nodes = list(live.values())
    edges, inter = [], []
    for (kind, key), p in items.items():
        if kind == "stakeholder" or p.get(RETIRED) is not None:
            continue
        if kind == "relationship":
            s, t, b = json.loads(key)
            if s in live and b in live and t in rel_types:
                edges.append({**p, "source": s, "target": b, "type": t})
        else:
            s, b = ends.get(key, (p.get("source"), p.get("target")))
            if s in live and b in live:
                inter.append({**p, "source": s, "target": b})
    return nodes, edges, inter
