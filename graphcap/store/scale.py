"""Reads for a network too large to hold in the client: aggregations done by the server, the
stored metrics (``m_*``, written by ``graphcap metrics --write``), a capped piece of the network,
and every stakeholder and relationship in batches.

The app above ``app_full_analysis_max_relationships`` (:mod:`graphcap.ui.scale`) and
``graphcap export`` at that size (:mod:`graphcap.export.streamed`) read only through these
functions: nothing here holds more than one batch (or the capped view) in memory.

Property names are never spliced from input: a metric name is checked against
:data:`METRIC_NAME` and read as ``n[$key]``; relationship types come from the store's allow-list.
Retired items (the audit trail's soft deletes) are left out as in
:meth:`graphcap.store.Neo4jStore.read_network`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd

from graphcap.errors import StoreError
from graphcap.i18n import gettext as _
from graphcap.model.schema import STAKEHOLDER_LABEL
from graphcap.store.read_pages import _NODES, Columns, _edges_query

__all__ = [
    "BATCH",
    "METRIC_NAME",
    "capped_network",
    "count_flagged",
    "iter_relationships",
    "iter_stakeholders",
    "metric_histogram",
    "neighbourhood",
    "property_names",
    "search_stakeholders",
    "top_stakeholders",
    "type_summary",
]

#: Rows per batch of :func:`iter_stakeholders` / :func:`iter_relationships`.
BATCH = 50_000

#: What a stored metric's name may be (``m_`` is added here).
METRIC_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

_S = STAKEHOLDER_LABEL
_LIVE = "n.__gc_retired_at IS NULL"
_ACTIVE = "r.__gc_retired_at IS NULL AND a.__gc_retired_at IS NULL AND b.__gc_retired_at IS NULL"


def _key(metric: str) -> str:
    if not isinstance(metric, str) or not METRIC_NAME.match(metric):
        raise StoreError(
            _("metric name {m!r} is not allowed; use lower-case ASCII letters, digits, '_'").format(
                m=metric
            )
        )
    return f"m_{metric}"


def _props(value: Any) -> dict[str, Any]:
    """A property map without graphcap's bookkeeping, temporal values as Python ones."""
    out = {}
    for k, v in dict(value).items():
        if k.startswith("__gc_"):
            continue
        out[k] = v.to_native() if hasattr(v, "to_native") else v
    return out


def _degree(var: str, rels: Sequence[str]) -> str:
    """Cypher for the number of relationships of ``var`` (allow-listed types only, so the
    interactions' FROM/TO links do not count; a typed count is read from a dense node's
    relationship groups, not by expanding them)."""
    return f"COUNT {{ ({var})-[:{'|'.join(rels)}]-() }}"


def _rel_types(store: Any, rel_types: Sequence[str] | None) -> list[str]:
    store.load_stored_types()
    allowed = list(store.schema.rel_types)
    if rel_types is None:
        return allowed
    return [store.schema.rel_type(t) for t in rel_types]  # SchemaError before any query


def type_summary(store: Any, metric: str | None = None) -> pd.DataFrame:
    """Per stakeholder type: ``type``, ``stakeholders``, and with ``metric`` the count of
    stakeholders with a stored value (``with_metric``), its mean and maximum; one aggregation on
    the server, sorted by type."""
    params: dict[str, Any] = {}
    extra = ""
    if metric is not None:
        params["key"] = _key(metric)
        extra = (
            ", count(n[$key]) AS with_metric, avg(toFloat(n[$key])) AS mean, max(n[$key]) AS max"
        )
    query = (
        f"MATCH (n:{_S}) WHERE {_LIVE} "
        f"RETURN toString(n.type) AS type, count(n) AS stakeholders{extra} ORDER BY type"
    )
    rows = store._read(lambda tx: [r.data() for r in tx.run(query, **params)], "summing by type")
    cols = ["type", "stakeholders", *(["with_metric", "mean", "max"] if metric else [])]
    return pd.DataFrame(rows, columns=cols)


def metric_histogram(store: Any, metric: str, bins: int = 20) -> pd.DataFrame:
    """The distribution of stored ``m_<metric>`` over the stakeholders as ``bins`` equal-width
    bins: ``low``, ``high``, ``stakeholders`` (two aggregations on the server; empty when no
    stakeholder has the metric)."""
    key = _key(metric)
    bins = max(1, int(bins))

    def work(tx: Any) -> pd.DataFrame:
        rec = tx.run(
            f"MATCH (n:{_S}) WHERE {_LIVE} AND n[$key] IS NOT NULL "
            "RETURN min(toFloat(n[$key])) AS lo, max(toFloat(n[$key])) AS hi, count(n) AS n",
            key=key,
        ).single()
        if rec is None or not rec["n"]:
            return pd.DataFrame(columns=["low", "high", "stakeholders"])
        lo, hi = float(rec["lo"]), float(rec["hi"])
        width = (hi - lo) / bins if hi > lo else 1.0
        counts = dict.fromkeys(range(bins), 0)
        for r in tx.run(
            f"MATCH (n:{_S}) WHERE {_LIVE} AND n[$key] IS NOT NULL "
            "WITH toInteger(floor((toFloat(n[$key]) - $lo) / $width)) AS b "
            "RETURN CASE WHEN b >= $bins THEN $bins - 1 ELSE b END AS bin, count(*) AS n",
            key=key,
            lo=lo,
            width=width,
            bins=bins,
        ):
            counts[int(r["bin"])] += int(r["n"])
        return pd.DataFrame(
            {
                "low": [lo + i * width for i in range(bins)],
                "high": [lo + (i + 1) * width for i in range(bins)],
                "stakeholders": [counts[i] for i in range(bins)],
            }
        )

    return store._read(work, "reading a metric's distribution")


def _stakeholder_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame([{**_props(r["p"]), "degree": r["degree"]} for r in rows])
    if frame.empty:
        return pd.DataFrame(columns=["id", "name", "type", "degree"])
    front = [c for c in ("id", "name", "type", "degree") if c in frame.columns]
    return frame[[*front, *[c for c in frame.columns if c not in front]]]


def top_stakeholders(
    store: Any,
    n: int,
    *,
    metric: str | None = None,
    types: Sequence[str] | None = None,
    flag: str | None = None,
) -> pd.DataFrame:
    """The ``n`` stakeholders with the highest stored ``m_<metric>`` (ties by id), or with
    ``metric=None`` the most relationships (``degree``); ``types`` narrows them, ``flag`` to
    those whose stored ``m_<flag>`` is true. Columns: their properties (``m_*`` included) and
    ``degree``."""
    rels = _rel_types(store, None)
    params: dict[str, Any] = {"n": max(0, int(n)), "types": None if types is None else list(types)}
    where = f"{_LIVE} AND ($types IS NULL OR n.type IN $types)"
    if flag is not None:
        params["flag"] = _key(flag)
        where += " AND n[$flag] = true"
    if metric is None:
        query = (
            f"MATCH (n:{_S}) WHERE {where} WITH n, {_degree('n', rels)} AS degree "
            "ORDER BY degree DESC, n.id LIMIT $n RETURN properties(n) AS p, degree"
        )
    else:  # ordered first: no degree for the ones left out
        params["key"] = _key(metric)
        query = (
            f"MATCH (n:{_S}) WHERE {where} AND n[$key] IS NOT NULL "
            "WITH n ORDER BY n[$key] DESC, n.id LIMIT $n "
            f"RETURN properties(n) AS p, {_degree('n', rels)} AS degree"
        )
    rows = store._read(lambda tx: [r.data() for r in tx.run(query, **params)], "reading the top")
    return _stakeholder_frame(rows)


def count_flagged(store: Any, flag: str) -> int:
    """How many stakeholders have a stored ``m_<flag>`` that is true."""
    key = _key(flag)
    return int(
        store._read(
            lambda tx: tx.run(
                f"MATCH (n:{_S}) WHERE {_LIVE} AND n[$key] = true RETURN count(n) AS n", key=key
            ).single()["n"],
            "counting stakeholders",
        )
    )


def search_stakeholders(store: Any, needle: str, *, limit: int = 50) -> pd.DataFrame:
    """Stakeholders whose name or id contains ``needle`` (case-insensitive), at most ``limit``,
    by name; columns as :func:`top_stakeholders`."""
    text = needle.strip().casefold()
    if not text:
        return _stakeholder_frame([])
    rels = _rel_types(store, None)
    rows = store._read(
        lambda tx: [
            r.data()
            for r in tx.run(
                f"MATCH (n:{_S}) WHERE {_LIVE} AND (toLower(toString(n.name)) CONTAINS $t "
                "OR toLower(toString(n.id)) CONTAINS $t) "
                "WITH n ORDER BY toString(n.name), n.id LIMIT $limit "
                f"RETURN properties(n) AS p, {_degree('n', rels)} AS degree",
                t=text,
                limit=max(0, int(limit)),
            )
        ],
        "searching stakeholders",
    )
    return _stakeholder_frame(rows)


def _edges_among(tx: Any, ids: list[str], rel_types: list[str]) -> pd.DataFrame:
    rows = [
        {"source": r["s"], "target": r["t"], "type": r["type"], **_props(r["p"])}
        for r in tx.run(  # the ends found by id once, then matched as a set of nodes
            f"MATCH (x:{_S}) WHERE x.id IN $ids WITH collect(x) AS ns "
            f"UNWIND ns AS a MATCH (a)-[r]->(b:{_S}) WHERE b IN ns "
            f"AND type(r) IN $rels AND {_ACTIVE} "
            "RETURN a.id AS s, b.id AS t, type(r) AS type, properties(r) AS p",
            ids=ids,
            rels=rel_types,
        )
    ]
    if not rows:
        return pd.DataFrame(columns=["source", "target", "type"])
    return pd.DataFrame(rows)


def capped_network(
    store: Any, n: int, *, metric: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` top stakeholders (:func:`top_stakeholders`) and the relationships among them:
    the capped view that a picture or the Network page draws at scale."""
    nodes = top_stakeholders(store, n, metric=metric)
    rels = _rel_types(store, None)
    ids = nodes["id"].astype(str).tolist() if len(nodes) else []
    edges = store._read(lambda tx: _edges_among(tx, ids, rels), "reading the capped view")
    return nodes, edges


def neighbourhood(
    store: Any, center: str, *, limit: int = 500, metric: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``center`` and up to ``limit`` of its direct contacts (highest stored ``m_<metric>``
    first, else most relationships), with the relationships among them. Empty frames when no
    such stakeholder exists."""
    params: dict[str, Any] = {"c": str(center), "limit": max(0, int(limit))}
    order = "degree DESC, m.id"
    if metric is not None:
        params["key"] = _key(metric)
        order = "coalesce(toFloat(m[$key]), -1e308) DESC, m.id"
    rels = _rel_types(store, None)

    def work(tx: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
        rows = [
            r.data()
            for r in tx.run(
                f"MATCH (n:{_S} {{id: $c}}) WHERE {_LIVE} "
                f"RETURN properties(n) AS p, {_degree('n', rels)} AS degree",
                **params,
            )
        ]
        if not rows:
            return _stakeholder_frame([]), pd.DataFrame(columns=["source", "target", "type"])
        rows += [
            r.data()
            for r in tx.run(
                f"MATCH (n:{_S} {{id: $c}})-[r]-(m:{_S}) WHERE type(r) IN $rels "
                "AND r.__gc_retired_at IS NULL AND m.__gc_retired_at IS NULL AND m.id <> $c "
                + (
                    f"WITH DISTINCT m WITH m, {_degree('m', rels)} AS degree "
                    f"ORDER BY {order} LIMIT $limit RETURN properties(m) AS p, degree"
                    if metric is None
                    else f"WITH DISTINCT m ORDER BY {order} LIMIT $limit "
                    f"RETURN properties(m) AS p, {_degree('m', rels)} AS degree"
                ),
                rels=rels,
                **params,
            )
        ]
        nodes = _stakeholder_frame(rows)
        return nodes, _edges_among(tx, nodes["id"].astype(str).tolist(), rels)

    return store._read(work, "reading a neighbourhood")


def property_names(store: Any) -> tuple[list[str], list[str]]:
    """The property names of the stakeholders and of the relationships (``m_*`` included,
    graphcap's bookkeeping ``__gc_*`` not): the columns of a streamed export, known before
    its first batch. Two scans on the server; only the distinct names come back."""
    rels = _rel_types(store, None)

    def work(tx: Any) -> tuple[list[str], list[str]]:
        nodes = [
            r["k"]
            for r in tx.run(
                f"MATCH (n:{_S}) UNWIND keys(n) AS k WITH DISTINCT k "
                "WHERE NOT k STARTS WITH '__gc_' RETURN k ORDER BY k"
            )
        ]
        edges = [
            r["k"]
            for r in tx.run(
                f"MATCH (:{_S})-[r]->(:{_S}) WHERE type(r) IN $rels UNWIND keys(r) AS k "
                "WITH DISTINCT k WHERE NOT k STARTS WITH '__gc_' RETURN k ORDER BY k",
                rels=rels,
            )
        ]
        return nodes, edges

    return store._read(work, "reading property names")


def _column(values: list[Any]) -> list[Any]:
    """Driver temporal values as Python ones (the column's first value decides)."""
    first = next((v for v in values if v is not None), None)
    if first is not None and hasattr(first, "to_native"):
        return [None if v is None else v.to_native() for v in values]
    return values


def _pages(store: Any, kind: str, page: int) -> Iterator[pd.DataFrame]:
    """The stakeholders (``kind`` "nodes") or their outgoing relationships ("edges"), ``page``
    stakeholders at a time in id order, each page ONE record of columns (the queries of
    :func:`graphcap.store.read_pages.read_pages`: the driver's cost is per record, not per
    value), retired items left out as ``read_network`` does."""
    store.load_stored_types()
    types = list(store.schema.node_types)
    rels = list(store.schema.rel_types)
    edges_query = _edges_query(rels) if rels else None
    after, op = "", ">="
    while True:

        def work(tx: Any, after: str = after, op: str = op) -> tuple[Columns | None, Any, int]:
            rec = tx.run(
                _NODES.replace("{after}", op), after=after, limit=page, types=types
            ).single()
            if rec is None or not rec["seen"]:
                return None, None, 0
            cols = Columns()
            if kind == "nodes":
                cols.add(rec)
            elif edges_query is not None:
                cols.add(
                    tx.run(
                        edges_query.replace("{after}", op), after=after, last=rec["last"],
                        types=types,
                    ).single(),
                    ("source", "target", "type"),
                )  # fmt: skip
            return cols, rec["last"], int(rec["seen"])

        cols, last, seen = store._read(
            work, "reading stakeholders" if kind == "nodes" else "reading relationships"
        )
        if cols is None:
            return
        if cols.length:
            yield pd.DataFrame({k: _column(v) for k, v in cols.columns.items()})
        if seen < page:
            return
        after, op = last, ">"


def iter_stakeholders(store: Any, *, batch: int | None = None) -> Iterator[pd.DataFrame]:
    """Every stakeholder not retired, with its stored ``m_*`` metrics, ``batch`` (default
    :data:`BATCH`) at a time in id order (each batch its own read: memory holds one batch)."""
    return _pages(store, "nodes", batch or BATCH)


def iter_relationships(store: Any, *, batch: int | None = None) -> Iterator[pd.DataFrame]:
    """Every relationship not retired (``source``, ``target``, ``type``, its properties with the
    stored ``m_*`` metrics), about ``batch`` (default :data:`BATCH`) at a time: the outgoing
    relationships of the next ``batch / 5`` stakeholders in id order (about five each), so a
    hub's relationships arrive in one batch."""
    return _pages(store, "edges", max(1, (batch or BATCH) // 5))
