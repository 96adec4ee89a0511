"""Reading the network page by page, column by column (the queries of ``read_network``).

The Python driver's cost is per record and per map key: one record per stakeholder,
relationship and interaction, each a property map, made reading the real-shaped network (46k
records) about 40 % of a `graphcap metrics` run. Here the stakeholders are read in pages of
:data:`READ_PAGE` by id (the unique index gives them in order, so the server holds one page at a
time), and each query answers with ONE record: the property names seen in the page and one list
of values per name (``None`` where an entity lacks the property). Relationships and interactions
are read per page of their source stakeholder, so a page holds those stakeholders' ties and
meetings. graphcap's bookkeeping properties (``__gc_*``) stay on the server.

All pages are read in the caller's one read transaction, so they show one state of the graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphcap.model.schema import STAKEHOLDER_LABEL

__all__ = ["READ_PAGE", "Columns", "read_pages"]

#: Stakeholders per page (with their outgoing relationships and interactions).
READ_PAGE = 5000

_PUBLIC_KEYS = "UNWIND keys(x) AS k WITH k WHERE NOT k STARTS WITH '__gc_' RETURN DISTINCT k"
_ACTIVE = "r.__gc_retired_at IS NULL AND a.__gc_retired_at IS NULL AND b.__gc_retired_at IS NULL"

#: ``{after}`` is ``>=`` on the first page (so an empty id is read too), ``>`` on the others
_NODES = (
    f"MATCH (n:{STAKEHOLDER_LABEL}) WHERE n.id {{after}} $after "
    "WITH n ORDER BY n.id LIMIT $limit "
    "WITH collect(n) AS page "
    "WITH page, [x IN page WHERE x.type IN $types AND x.__gc_retired_at IS NULL] AS xs "
    f"WITH page, xs, COLLECT {{ UNWIND xs AS x {_PUBLIC_KEYS} }} AS ks "
    "RETURN size(page) AS seen, page[-1].id AS last, size(xs) AS n, ks AS keys, "
    "[k IN ks | [x IN xs | x[k]]] AS columns"
)


def _edges_query(rel_types: Sequence[str]) -> str:
    return (
        f"MATCH (a:{STAKEHOLDER_LABEL})-[r:{'|'.join(rel_types)}]->(b:{STAKEHOLDER_LABEL}) "
        "WHERE a.id {after} $after AND a.id <= $last AND a.type IN $types AND b.type IN $types "
        f"AND {_ACTIVE} "
        "WITH collect(a.id) AS source, collect(b.id) AS target, collect(type(r)) AS type, "
        "collect(r) AS xs "
        f"WITH source, target, type, xs, COLLECT {{ UNWIND xs AS x {_PUBLIC_KEYS} }} AS ks "
        "RETURN source, target, type, size(xs) AS n, ks AS keys, "
        "[k IN ks | [x IN xs | x[k]]] AS columns"
    )


_INTERACTIONS = (
    f"MATCH (a:{STAKEHOLDER_LABEL})<-[:FROM]-(i:Interaction)-[:TO]->(b:{STAKEHOLDER_LABEL}) "
    "WHERE a.id {after} $after AND a.id <= $last AND a.type IN $types AND b.type IN $types "
    "AND i.__gc_retired_at IS NULL AND a.__gc_retired_at IS NULL "
    "AND b.__gc_retired_at IS NULL "
    "WITH collect(a.id) AS source, collect(b.id) AS target, collect(i) AS xs "
    f"WITH source, target, xs, COLLECT {{ UNWIND xs AS x {_PUBLIC_KEYS} }} AS ks "
    "RETURN source, target, size(xs) AS n, ks AS keys, [k IN ks | [x IN xs | x[k]]] AS columns"
)


class Columns:
    """Properties of ``length`` entities as one list per property (``None`` where missing)."""

    def __init__(self) -> None:
        self.length = 0
        self.columns: dict[str, list[Any]] = {}

    def add(self, record: Any, ends: Sequence[str] = ()) -> None:
        """Append a page: ``record`` has ``n``, ``keys``, ``columns`` and the ``ends`` columns
        (which win over properties of the same name, as the query's values did before)."""
        n = int(record["n"])
        if not n:
            return
        page = dict(zip(record["keys"], record["columns"], strict=True))
        page.update({name: record[name] for name in ends})
        for name, values in page.items():
            column = self.columns.get(name)
            if column is None:
                self.columns[name] = [None] * self.length + list(values)
            else:
                column.extend(values)
        self.length += n
        for column in self.columns.values():
            if len(column) < self.length:
                column.extend([None] * (self.length - len(column)))


def read_pages(
    tx: Any, types: list[str], rel_types: Sequence[str], *, page: int | None = None
) -> tuple[Columns, Columns, Columns]:
    """Stakeholders of ``types``, relationships of ``rel_types`` and interactions among them,
    none retired, as :class:`Columns` (in ``tx``, one read transaction), ``page``
    (default :data:`READ_PAGE`) stakeholders at a time."""
    page = page or READ_PAGE
    nodes, edges, inter = Columns(), Columns(), Columns()
    edges_query = _edges_query(rel_types) if rel_types else None
    after, op = "", ">="  # every id from the smallest string on
    while True:
        rec = tx.run(_NODES.replace("{after}", op), after=after, limit=page, types=types).single()
        if rec is None or not rec["seen"]:
            break
        nodes.add(rec)
        last = rec["last"]
        if edges_query is not None:
            edges.add(
                tx.run(
                    edges_query.replace("{after}", op), after=after, last=last, types=types
                ).single(),
                ("source", "target", "type"),
            )
        inter.add(
            tx.run(
                _INTERACTIONS.replace("{after}", op), after=after, last=last, types=types
            ).single(),
            ("source", "target"),
        )
        if rec["seen"] < page:
            break
        after, op = last, ">"
    return nodes, edges, inter
