"""``import --replace``: the import becomes the whole graph, all or nothing.

A replace is an ordinary import (:mod:`graphcap.store.importer`: upsert, journaled batches)
followed, before its commit point, by the removal of every stakeholder, relationship and
interaction the import does not hold. The removal is journaled like the rest: each batch copies
what it deletes into ``(:GraphcapUndo {__gc_kind: 'deleted_node'|'deleted_edge'|
'deleted_interaction'})`` in the same transaction, so a failure anywhere -- in the import or the
removal, or a crash -- is undone by :func:`graphcap.store.journal.rollback`, which recreates what
was deleted (all properties, type labels, ends), and the graph is exactly as before.

What is removed is decided in Python: the keys in Neo4j (read first) minus the keys of the
import, sent in batches as parameters. A stakeholder that still has a relationship graphcap does
not import (an assessment, an audit event pointing at it) is not deleted silently: its ``DELETE``
fails, and the whole replace is rolled back with a message saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from graphcap.model.schema import STAKEHOLDER_LABEL

__all__ = ["ExistingKeys", "read_keys", "remove_rest"]

Write = Callable[[Callable[[Any], Any]], Any]
ExistingKeys = tuple[set[str], set[tuple[str, str, str]], set[str]]

_READ_IDS = f"MATCH (n:{STAKEHOLDER_LABEL}) RETURN n.id AS k"
_READ_EDGES = (
    f"MATCH (a:{STAKEHOLDER_LABEL})-[r]->(b:{STAKEHOLDER_LABEL}) WHERE type(r) IN $types "
    "RETURN a.id AS s, type(r) AS t, b.id AS g"
)
_READ_INTERACTIONS = "MATCH (i:Interaction) RETURN i.key AS k"

_DELETE_INTERACTIONS = (
    "UNWIND $keys AS k MATCH (i:Interaction {key: k}) "
    f"OPTIONAL MATCH (i)-[:FROM]->(a:{STAKEHOLDER_LABEL}) "
    f"OPTIONAL MATCH (i)-[:TO]->(b:{STAKEHOLDER_LABEL}) "
    "CREATE (u:GraphcapUndo) SET u = properties(i) SET u.__gc_import = $import, "
    "u.__gc_kind = 'deleted_interaction', u.__gc_src = a.id, u.__gc_tgt = b.id "
    "DETACH DELETE i RETURN count(*) AS n"
)
_DELETE_EDGES = (
    f"UNWIND $rows AS row MATCH (a:{STAKEHOLDER_LABEL} {{id: row.s}}) "
    f"MATCH (b:{STAKEHOLDER_LABEL} {{id: row.g}}) CALL (row, a, b) {{ "
    "MATCH (a)-[r]->(b) WHERE type(r) = row.t "
    "CREATE (u:GraphcapUndo) SET u = properties(r) SET u.__gc_import = $import, "
    "u.__gc_kind = 'deleted_edge', u.__gc_src = row.s, u.__gc_tgt = row.g, u.__gc_type = row.t "
    "DELETE r RETURN count(*) AS c } RETURN sum(c) AS n"
)
_DELETE_NODES = (
    f"UNWIND $keys AS k MATCH (n:{STAKEHOLDER_LABEL} {{id: k}}) "
    "CREATE (u:GraphcapUndo) SET u = properties(n) SET u.__gc_import = $import, "
    "u.__gc_kind = 'deleted_node', u.__gc_id = k, u.__gc_labels = labels(n) "
    "DELETE n RETURN count(*) AS n"
)


def read_keys(read: Write, rel_types: Sequence[str]) -> ExistingKeys:
    """The ids of the stakeholders, the (source, TYPE, target) of the relationships of the
    allow-listed types and the keys of the interactions now in Neo4j."""

    def work(tx: Any) -> ExistingKeys:
        ids = {str(r["k"]) for r in tx.run(_READ_IDS)}
        edges = {
            (str(r["s"]), str(r["t"]), str(r["g"]))
            for r in tx.run(_READ_EDGES, types=list(rel_types))
        }
        keys = {str(r["k"]) for r in tx.run(_READ_INTERACTIONS)}
        return ids, edges, keys

    result: ExistingKeys = read(work)
    return result


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def remove_rest(
    write: Write,
    import_id: str,
    existing: ExistingKeys,
    keep: ExistingKeys,
    *,
    batch_size: int,
) -> dict[str, int]:
    """Delete (journaled) what is in ``existing`` but not in ``keep``: interactions first, then
    relationships, then stakeholders. Returns how many of each were removed."""
    ids = sorted(existing[0] - keep[0])
    edges = sorted(existing[1] - keep[1])
    keys = sorted(existing[2] - keep[2])
    removed = {"nodes": 0, "edges": 0, "interactions": 0}

    def run(query: str, params: dict[str, Any]) -> int:
        return int(write(lambda tx: tx.run(query, params, **{"import": import_id}).single()["n"]))

    for part in _chunks(keys, batch_size):
        removed["interactions"] += run(_DELETE_INTERACTIONS, {"keys": part})
    for part in _chunks(edges, batch_size):
        rows = [{"s": s, "t": t, "g": g} for s, t, g in part]
        removed["edges"] += run(_DELETE_EDGES, {"rows": rows})
    for part in _chunks(ids, batch_size):
        removed["nodes"] += run(_DELETE_NODES, {"keys": part})
    return removed
