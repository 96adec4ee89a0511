"""Purge: an admin deletes retired items for good, in bounded batches.

One transaction for every retired item needed heap in proportion to their number (Neo4j holds a
transaction's changes until commit). :func:`purge_batch` deletes at most ``limit`` items in one
transaction, each with its ``purge`` event (``before`` = its last state, no ``after``) written in
the same transaction, so every batch is complete on its own: an item is either still there
(retired, no purge event) or gone with its event. ``Editor.purge`` runs batches until one finds
nothing; an interrupted purge (the process or the server gone between or inside batches) leaves
a consistent graph and history, and running it again finishes it.

Order: interactions first (retired, or with a retired end), then relationships (retired, or with
a retired end), then retired stakeholders -- a stakeholder is taken only once nothing of the
first two kinds is left, so no batch deletes a stakeholder together with relationships that
would then vanish without their own event. Each batch takes the edit/import lock first
(:func:`graphcap.store.audit.lock`): no import and no edit runs in between its reading and its
writing. The events of a batch get consecutive numbers and strictly increasing times from the
trail's counter (:data:`graphcap.store.audit.NEXT_SEQ`'s node), drawn in one step.

Labels and relationship types reach query text only from the allow-list (``rel_types``); every
value is a parameter.
"""

from __future__ import annotations

from typing import Any

from graphcap.model.schema import STAKEHOLDER_LABEL, Schema
from graphcap.store import audit
from graphcap.store.import_queries import BUMP_VERSION
from graphcap.store.targets import VERSION, Target, state_of

__all__ = ["PURGE_BATCH", "purge_batch"]

#: Items per purge transaction.
PURGE_BATCH = 1000

_GONE = "IS NOT NULL"

_EVENTS = (
    "MERGE (c:GraphcapMeta {key: 'events'}) ON CREATE SET c.seq = 0 "
    "WITH c, c.seq AS base, datetime.truncate('microsecond', datetime.realtime('UTC')) AS now "
    "WITH c, base, CASE WHEN c.at IS NULL OR now > c.at THEN now "
    "ELSE c.at + duration({microseconds: 1}) END AS start "
    "SET c.seq = base + size($rows), c.at = start + duration({microseconds: size($rows) - 1}) "
    "WITH base, start UNWIND range(0, size($rows) - 1) AS k "
    "CREATE (e:GraphcapEvent) SET e = $rows[k], e.id = randomUUID(), e.seq = base + k + 1, "
    "e.at = start + duration({microseconds: k}) "
    "RETURN properties(e) AS e ORDER BY e.seq"
)


def _pick(tx: Any, schema: Schema, rel_types: list[str], limit: int) -> list[tuple[Target, Any]]:
    """Up to ``limit`` items to purge next, with their stored properties."""
    picked: list[tuple[Target, Any]] = [
        (Target("interaction", str(r["k"]), schema), r["p"])
        for r in tx.run(
            f"MATCH (a:{STAKEHOLDER_LABEL})<-[:FROM]-(i:Interaction)-[:TO]->(b:{STAKEHOLDER_LABEL}) "
            f"WHERE i.__gc_retired_at {_GONE} OR a.__gc_retired_at {_GONE} "
            f"OR b.__gc_retired_at {_GONE} "
            "WITH DISTINCT i ORDER BY i.key LIMIT $n RETURN i.key AS k, properties(i) AS p",
            n=limit,
        )
    ]
    for t in rel_types:
        if len(picked) >= limit:
            return picked
        picked += [
            (Target.relationship(r["s"], t, r["b"], schema), r["p"])
            for r in tx.run(
                f"MATCH (a:{STAKEHOLDER_LABEL})-[x:{t}]->(b:{STAKEHOLDER_LABEL}) "
                f"WHERE x.__gc_retired_at {_GONE} OR a.__gc_retired_at {_GONE} "
                f"OR b.__gc_retired_at {_GONE} "
                "RETURN a.id AS s, b.id AS b, properties(x) AS p ORDER BY s, b LIMIT $n",
                n=limit - len(picked),
            )
        ]
    if picked:
        return picked
    return [
        (Target.stakeholder(str(r["id"]), schema), r["p"])
        for r in tx.run(
            f"MATCH (n:{STAKEHOLDER_LABEL}) WHERE n.__gc_retired_at {_GONE} "
            "RETURN n.id AS id, properties(n) AS p ORDER BY id LIMIT $n",
            n=limit,
        )
    ]


def purge_batch(
    tx: Any, schema: Schema, rel_types: list[str], who: str, limit: int
) -> list[dict[str, Any]]:
    """Delete up to ``limit`` retired items (and what hangs on retired stakeholders) in ``tx``,
    one ``purge`` event each; returns the events (empty: nothing left to purge)."""
    audit.lock(tx)  # refuse during an import; no edit in between reading and deleting
    picked = _pick(tx, schema, rel_types, limit)
    if not picked:
        return []
    by_query: dict[str, list[dict[str, Any]]] = {}
    rows = []
    for target, props in picked:
        if target.kind == "relationship":
            s, t, b = target.ends
            query = (
                f"UNWIND $rows AS row MATCH (:{STAKEHOLDER_LABEL} {{id: row.s}})-[x:{t}]->"
                f"(:{STAKEHOLDER_LABEL} {{id: row.b}}) DELETE x"
            )
            by_query.setdefault(query, []).append({"s": s, "b": b})
        elif target.kind == "interaction":
            query = "UNWIND $rows AS row MATCH (x:Interaction {key: row.k}) DETACH DELETE x"
            by_query.setdefault(query, []).append({"k": target.key})
        else:
            query = (
                f"UNWIND $rows AS row MATCH (x:{STAKEHOLDER_LABEL} {{id: row.k}}) DETACH DELETE x"
            )
            by_query.setdefault(query, []).append({"k": target.key})
        rows.append(
            {
                "who": who,
                "action": "purge",
                "kind": target.kind,
                "key": target.key,
                "before": audit.encode(state_of(props)),
                "version": int(props.get(VERSION) or 0) + 1,
            }
        )
    for query, params in by_query.items():
        tx.run(query, rows=params).consume()
    tx.run(BUMP_VERSION).consume()
    return [audit.event_of(r["e"]) for r in tx.run(_EVENTS, rows=rows)]
