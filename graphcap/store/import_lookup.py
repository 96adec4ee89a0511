"""What the graph already holds of an import, asked before the import sends a row.

:func:`unchanged_rows`: which rows the graph holds unchanged (their stored fingerprint matches),
so they are counted and not sent; :func:`create_only_queries`: which queries may be replaced by
their create-only variant because the graph holds nothing their rows could match. Both run
under the import lock (:func:`graphcap.store.importer.run_import`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphcap.model.schema import STAKEHOLDER_LABEL
from graphcap.store.import_plan import ImportPlan
from graphcap.store.properties import ROW_KEY

__all__ = ["create_only_queries", "unchanged_rows"]

_NODE_LABELS = (STAKEHOLDER_LABEL, "Interaction")


def create_only_queries(tx: Any, plan: ImportPlan) -> dict[str, str]:
    """The queries of ``plan`` that may be replaced by their create-only variant: the stakeholder
    queries when the graph holds no stakeholder, a relationship type's query when the graph
    holds no relationship of that type, the interaction query when it holds no interaction
    (Neo4j's count store: constant time). Run under the
    import lock, after recovery: no other import can add what the check found absent, and a
    stakeholder created meanwhile by an edit makes the CREATE fail on the id constraint (the
    import is then undone), never a duplicate."""
    absent: dict[str, bool] = {}
    for what in {w for _, w in plan.create_only.values()}:
        pattern = f"(n:{what})" if what in _NODE_LABELS else f"()-[n:{what}]->()"
        absent[what] = tx.run(f"MATCH {pattern} RETURN count(n) = 0 AS none").single()["none"]
    return {q: alt for q, (alt, what) in plan.create_only.items() if absent[what]}


# Looked up by the plan's keys, a batch at a time; each answer is one record of parallel lists
# (the driver's cost is per record, so 10,000 keys come back in one instead of 10,000).
_STORED = {
    "nodes": (
        f"UNWIND $keys AS k MATCH (n:{STAKEHOLDER_LABEL} {{id: k}}) WHERE n.{ROW_KEY} IS NOT NULL "
        f"RETURN collect(k) AS k, collect(n.{ROW_KEY}) AS f"
    ),
    "edges": (  # {type}: one allow-listed relationship type of the import (not FROM/TO)
        f"UNWIND $keys AS k MATCH (a:{STAKEHOLDER_LABEL} {{id: k[0]}})-[r:{{type}}]->"
        f"(b:{STAKEHOLDER_LABEL} {{id: k[2]}}) WHERE r.{ROW_KEY} IS NOT NULL "
        f"RETURN collect(k) AS k, collect(r.{ROW_KEY}) AS f"
    ),
    # an interaction is never updated: its key is a hash of its values, so a stored key with
    # both ends in place is an unchanged row
    "interactions": (
        "UNWIND $keys AS k MATCH (i:Interaction {key: k}) "
        f"WHERE EXISTS {{ (i)-[:FROM]->(:{STAKEHOLDER_LABEL}) }} "
        f"AND EXISTS {{ (i)-[:TO]->(:{STAKEHOLDER_LABEL}) }} RETURN collect(k) AS k"
    ),
}
_LOOKUP_BATCH = 10_000


def unchanged_rows(
    tx: Any, plan: ImportPlan, *, leave_out: set[str] | frozenset[str] = frozenset()
) -> dict[str, np.ndarray]:
    """Which rows of ``plan`` the graph already holds unchanged: per kind a boolean mask, true
    where the stored entity with the row's key carries the row's fingerprint
    (:data:`~graphcap.store.properties.ROW_KEY`, written with every created or updated row and
    removed by every edit) -- so the server's comparison would say *unchanged* too.

    The plan's keys are looked up in batches (index seeks): the work and memory grow with the
    import, not with the graph. Kinds in ``leave_out`` (nothing of them stored) are not
    looked up: no row of them is unchanged."""
    masks: dict[str, np.ndarray] = {}
    for kind, query in _STORED.items():
        keys = plan.keys.get(kind) or []
        fps = plan.fingerprints.get(kind)
        if not keys or kind in leave_out or (kind != "interactions" and fps is None):
            continue
        groups: dict[str, list[Any]] = {}
        if kind == "edges":
            for key in keys:
                groups.setdefault(query.replace("{type}", key[1]), []).append(list(key))
        else:
            groups[query] = list(keys)
        where = {k: i for i, k in enumerate(keys)}
        mask = np.zeros(len(keys), dtype=bool)
        for q, part in groups.items():
            for start in range(0, len(part), _LOOKUP_BATCH):
                rec = tx.run(q, keys=part[start : start + _LOOKUP_BATCH]).single()
                found = [where[tuple(k) if isinstance(k, list) else k] for k in rec["k"]]
                if fps is None:
                    mask[found] = True
                else:
                    mask[found] = np.asarray(rec["f"], dtype=np.int64) == fps[found]
        masks[kind] = mask
    return masks
