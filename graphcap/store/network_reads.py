"""Reading the stored network back: the whole network (or some of its types) as canonical
frames, as it is now or as it was at a past time, the counts per type, and the data version.

The bodies of :meth:`Neo4jStore.read_network <graphcap.store.Neo4jStore.read_network>`,
:meth:`~graphcap.store.Neo4jStore.read_network_at` and :meth:`~graphcap.store.Neo4jStore.counts`;
retired items (graphcap.store.edits) are left out of all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from graphcap.model import Network
from graphcap.model.schema import (
    EDGE_OPTIONAL,
    EDGE_REQUIRED,
    INTERACTION_OPTIONAL,
    INTERACTION_REQUIRED,
    NODE_OPTIONAL,
    NODE_REQUIRED,
    STAKEHOLDER_LABEL,
)
from graphcap.store import asof
from graphcap.store.properties import columns_to_frame, to_frame
from graphcap.store.read_pages import Columns, read_pages

if TYPE_CHECKING:
    from graphcap.store.neo4j_store import Neo4jStore

__all__ = ["counts", "read_network", "read_network_at"]


def _version_in(tx: Any) -> str:
    """:meth:`Neo4jStore.version` inside transaction ``tx``."""
    rec = tx.run(
        "OPTIONAL MATCH (m:GraphcapMeta {key: 'version'}) "
        "RETURN m.token AS t, COUNT { MATCH (n:Stakeholder) } + COUNT { MATCH (i:Interaction) } AS n, "
        "COUNT { MATCH ()-[r]->() } AS r"
    ).single()
    return f"{rec['t'] or 'none'}-{rec['n']}-{rec['r']}"


def read_network(
    store: Neo4jStore,
    *,
    node_types: Iterable[str] | None = None,
    rel_types: Iterable[str] | None = None,
    include_metrics: bool = False,
) -> Network:
    """The body of :meth:`Neo4jStore.read_network`."""
    store.load_stored_types()
    types = list(store.schema.node_types) if node_types is None else list(node_types)
    for t in types:
        store.schema.label_for(t)
    rels = (
        list(store.schema.rel_types)
        if rel_types is None
        else [store.schema.rel_type(r) for r in rel_types]
    )

    def work(tx: Any) -> tuple[Columns, Columns, Columns, dict]:
        nodes, edges, inter = read_pages(tx, types, list(dict.fromkeys(rels)))
        meta = tx.run("MATCH (m:GraphcapMeta {key: 'version'}) RETURN m.token AS t").single()
        data = tx.run(
            "MATCH (m:GraphcapMeta {key: 'data'}) RETURN m.as_of AS d, m.ego_only AS e"
        ).single()
        as_of = data["d"] if data else None
        ego_only = bool(data["e"]) if data else False
        as_of = as_of.to_native() if as_of is not None and hasattr(as_of, "to_native") else as_of
        return (
            nodes,
            edges,
            inter,
            {
                "version": meta["t"] if meta else None,
                **({"as_of": as_of} if as_of is not None else {}),
                **({"ego_only": True} if ego_only else {}),
            },
        )

    nodes, edges, inter, meta = store._read(work, "reading the network")
    return _frames(
        store,
        columns_to_frame(
            nodes.columns,
            nodes.length,
            required=NODE_REQUIRED,
            optional=NODE_OPTIONAL,
            drop_prefix=None if include_metrics else "m_",
        ),
        columns_to_frame(
            edges.columns, edges.length, required=EDGE_REQUIRED, optional=EDGE_OPTIONAL
        ),
        columns_to_frame(
            inter.columns,
            inter.length,
            required=INTERACTION_REQUIRED,
            optional=INTERACTION_OPTIONAL,
            drop=("key",),
        ),
        meta,
    )


def read_network_at(store: Neo4jStore, at: datetime) -> Network:
    """The body of :meth:`Neo4jStore.read_network_at`."""
    store.load_stored_types()
    rels = store._rel_types()
    types = set(store.schema.node_types)
    store.ensure_audit_schema()
    nodes, edges, inter = store._read(
        lambda tx: asof.rebuild(tx, at, rels), "rebuilding the network at a past time"
    )
    nodes = [_public(p) for p in nodes if p.get("type") in types]
    kept = {p["id"] for p in nodes}
    edges = [_public(p) for p in edges if p["source"] in kept and p["target"] in kept]
    inter = [_public(p) for p in inter if p["source"] in kept and p["target"] in kept]
    return _frames_of(store, nodes, edges, inter, {"as_of_time": at}, include_metrics=False)


def _frames_of(
    store: Neo4jStore, nodes: list, edges: list, inter: list, meta: dict, *, include_metrics: bool
) -> Network:
    """:func:`_frames` of property maps (one per entity)."""
    return _frames(
        store,
        to_frame(
            nodes,
            required=NODE_REQUIRED,
            optional=NODE_OPTIONAL,
            drop_prefix=None if include_metrics else "m_",
        ),
        to_frame(edges, required=EDGE_REQUIRED, optional=EDGE_OPTIONAL),
        to_frame(
            inter, required=INTERACTION_REQUIRED, optional=INTERACTION_OPTIONAL, drop=("key",)
        ),
        meta,
    )


def _frames(
    store: Neo4jStore,
    node_frame: pd.DataFrame,
    edge_frame: pd.DataFrame,
    inter_frame: pd.DataFrame,
    meta: dict,
) -> Network:
    node_frame = node_frame.sort_values("id", kind="stable", ignore_index=True)
    edge_frame = edge_frame.sort_values(list(EDGE_REQUIRED), kind="stable", ignore_index=True)
    inter_frame = inter_frame.sort_values(
        [*INTERACTION_REQUIRED, *INTERACTION_OPTIONAL], kind="stable", ignore_index=True
    )
    meta.update(source=store.describe())
    return Network(nodes=node_frame, edges=edge_frame, interactions=inter_frame, meta=meta)


def counts(store: Neo4jStore) -> dict[str, dict[str, int]]:
    """The body of :meth:`Neo4jStore.counts`."""
    store.load_stored_types()
    labels = list(store.schema.node_types.items())
    rels = list(store.schema.rel_types)

    def work(tx: Any) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {"nodes": {}, "edges": {}, "interactions": {}}
        edited = tx.run("MATCH (e:GraphcapEvent) RETURN count(e) AS c").single()["c"] > 0
        live = "WHERE n.__gc_retired_at IS NULL " if edited else ""
        for name, label in labels:
            out["nodes"][name] = tx.run(f"MATCH (n:{label}) {live}RETURN count(n) AS c").single()[
                "c"
            ]
        ends, active = ("()", "()"), ""
        if edited:
            ends = (f"(a:{STAKEHOLDER_LABEL})", f"(b:{STAKEHOLDER_LABEL})")
            active = f"WHERE {_ACTIVE} "
        for r in rels:
            out["edges"][r] = tx.run(
                f"MATCH {ends[0]}-[r:{r}]->{ends[1]} {active}RETURN count(r) AS c"
            ).single()["c"]
        out["interactions"]["total"] = tx.run(
            f"MATCH (a:{STAKEHOLDER_LABEL})<-[:FROM]-(r:Interaction)-[:TO]->"
            f"(b:{STAKEHOLDER_LABEL}) WHERE {_ACTIVE} RETURN count(r) AS c"
            if edited
            else "MATCH (i:Interaction) RETURN count(i) AS c"
        ).single()["c"]
        return out

    return store._read(work, "counting")


#: a relationship and both its ends are not retired (graphcap.store.edits)
_ACTIVE = "r.__gc_retired_at IS NULL AND a.__gc_retired_at IS NULL AND b.__gc_retired_at IS NULL"


def _public(props: dict[str, Any]) -> dict[str, Any]:
    """Properties without graphcap's bookkeeping (``__gc_version``, ``__gc_retired_at``)."""
    return {k: v for k, v in props.items() if not k.startswith("__gc_")}
