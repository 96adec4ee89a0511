"""Metrics computed where the data lives: Neo4j Graph Data Science (``metrics.engine = "gds"``).

:func:`node_measures` projects the stored stakeholder graph into GDS, runs the position and
community algorithms there and streams each result back in one record (the GDS node ids and the
values as two lists; the stakeholder ids are read once per projection), in the columns and with
the normalisation of the local engine (:mod:`graphcap.metrics.suite`), so the rest of the analysis
cannot tell the engines apart where their definitions match.

The projection is the local engine's graph, built in Cypher: one tie per pair of stakeholders,
parallel relationships merged as ``1 - prod(1 - s_i)`` over the written-back strength
``m_strength`` (see :func:`write_strength`), floored at 0.01; ``weight = strength`` and
``distance = 1/weight``; self-loops dropped; undirected unless ``directed=True``. Every call
projects under a fresh name (``graphcap_<hex>``) and drops the projection in ``finally``, also
when an algorithm fails.

What runs where (:data:`GDS_MEASURES`, the rest stays local):

==============  ============================================================================
column          GDS procedure, and how its result becomes the local engine's number
==============  ============================================================================
pagerank        ``gds.pageRank`` on ``weight``, divided by its sum (GDS lets sinks leak
                rank; with a uniform jump that leak only scales the vector, so the
                normalised result is networkx's, where sinks pass rank on uniformly)
betweenness     ``gds.betweenness`` on ``distance``, scaled like networkx's normalised
                betweenness; above the local engine's exact-work limit both sample
                ``k`` sources, but not the same ones (estimates differ)
community       ``gds.leiden`` on ``weight`` (modularity, ``gamma`` = resolution, seeded);
                ids renumbered by the caller by size. Not the same partition as igraph's
                Leiden in general (different random moves); equal on clear structure
core_number     ``gds.kcore`` (undirected)
is_articulation ``gds.articulationPoints`` (undirected)
bridges         ``gds.bridges`` (undirected): the ties whose loss splits the network
component       ``gds.wcc``: the connected part a stakeholder is in (not a column of the
                analysis; for callers that want it)
==============  ============================================================================

Stay local, because GDS 2.13 defines them differently: closeness and harmonic centrality (GDS
counts hops and takes no relationship weight; graphcap's use ``distance = 1/strength``) and
eigenvector centrality (GDS's weighted version divides each weight by the sum of its node's
weights, a random-walk matrix whose leading vector on an undirected graph is just weighted
degree; checked against the server: equal to normalised ``strength_sum`` to 1e-12, while the
unweighted versions agree to 1e-12). Constraint, effective size, dependents and gatekeepers have
no GDS counterpart.

A server without GDS gives one :class:`GdsUnavailable` message saying how to get it.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from graphcap.errors import MissingComponent, StoreError
from graphcap.i18n import gettext as _
from graphcap.model.schema import STAKEHOLDER_LABEL
from graphcap.store.import_queries import BOTH_ENDS

__all__ = [
    "DIRECTED_MEASURES",
    "GDS_MEASURES",
    "GdsResult",
    "GdsUnavailable",
    "dropped_projections",
    "gds_version",
    "node_measures",
    "projections",
    "write_strength",
]

#: Columns the GDS engine computes (on the undirected view).
GDS_MEASURES: tuple[str, ...] = (
    "pagerank",
    "betweenness",
    "community",
    "core_number",
    "is_articulation",
    "component",
)
#: The subset defined on the directed view too (the rest need ties both ways).
DIRECTED_MEASURES: tuple[str, ...] = ("pagerank", "betweenness", "component")
#: Prefix of graphcap's projection names (the rest is random per call).
PREFIX = "graphcap_"
#: graphcap.graph.projection.STRENGTH_FLOOR (the store sits below the graph layer; a test holds
#: the two equal)
STRENGTH_FLOOR = 0.01
_ITERATIONS = {"maxIterations": 1000, "tolerance": 1e-12}


class GdsUnavailable(StoreError, MissingComponent):
    """The Neo4j server has no Graph Data Science (a store error that is a missing component:
    the CLI exits with the missing-component code)."""


@dataclass
class GdsResult:
    """What :func:`node_measures` brings back."""

    nodes: pd.DataFrame  # "id" + one column per measure computed
    bridges: list[tuple[str, str]] = field(default_factory=list)
    graph: str = ""  # the projection's name (dropped by then)
    version: str = ""
    sampled: int | None = None  # betweenness sources when sampled
    timings: dict[str, float] = field(default_factory=dict)


def _how_to_get() -> str:
    return _(
        "metrics.engine = 'gds' needs Neo4j Graph Data Science on the server: start the local one "
        "with `graphcap neo4j start --with-gds`, install the GDS plugin on your server (see "
        "docker-compose.yml), or use the local engine (`--engine local`)"
    )


def gds_version(store: Any) -> str:
    """The server's GDS version, or :class:`GdsUnavailable` saying how to get GDS."""
    try:
        rows = store._auto("RETURN gds.version() AS v", "asking for Graph Data Science")
    except StoreError as exc:
        if "gds.version" in str(exc) or "Unknown function" in str(exc):
            raise GdsUnavailable(
                _("{describe} has no Graph Data Science. {how_to_get}").format(
                    describe=store.describe_text(), how_to_get=_how_to_get()
                )
            ) from None
        raise
    return str(rows[0]["v"])


def projections(store: Any) -> list[str]:
    """Names of the in-memory graphs of this database (``gds.graph.list``)."""
    rows = store._auto(
        "CALL gds.graph.list() YIELD graphName RETURN graphName AS g", "listing GDS graphs"
    )
    return sorted(str(r["g"]) for r in rows)


def dropped_projections(store: Any) -> list[str]:
    """Drop every graphcap projection left behind (e.g. by a killed process); returns names."""
    names = [g for g in projections(store) if g.startswith(PREFIX)]
    for g in names:
        store._auto(
            "CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName",
            "dropping a GDS graph",
            g=g,
        )
    return names


def write_strength(store: Any, edges: pd.DataFrame) -> int:
    """Store each relationship's ``strength`` as ``m_strength`` (what the projection weighs).

    ``edges``: ``source``, ``target``, ``type``, ``strength`` (the analysis' edges). Types go
    through the schema's allow-list. Returns the number of relationships written."""
    # one transaction per 10,000 relationships: a derived value, rewritten on every run, and
    # one transaction for all of them outgrows the transaction memory limit on big graphs
    # (measured: 200k stakeholders / 1M relationships with a 1 GB heap); the parameter rows are
    # made a batch at a time (5M relationships as dicts at once: gigabytes in the client)
    rel_types = {rel: store.schema.rel_type(str(rel)) for rel in pd.unique(edges["type"])}
    done = 0  # every type checked (allow-list) before anything is written
    for rel, group in edges.groupby("type", sort=True):
        rel_type = rel_types[rel]
        sources = group["source"].astype(str).to_numpy()
        targets = group["target"].astype(str).to_numpy()
        weights = group["strength"].astype(float).to_numpy()
        for start in range(0, len(group), 10_000):
            end = start + 10_000
            batch = [
                {"s": s_, "t": t_, "w": w_}
                for s_, t_, w_ in zip(
                    sources[start:end].tolist(),
                    targets[start:end].tolist(),
                    weights[start:end].tolist(),
                    strict=True,
                )
            ]

            def work(tx: Any, rel_type: str = rel_type, part: list = batch) -> int:
                rec = tx.run(
                    f"UNWIND $rows AS row {BOTH_ENDS} CALL (row, a, b) {{ "
                    f"MATCH (a)-[e:{rel_type}]->(b) SET e.m_strength = row.w "
                    "RETURN count(e) AS c } RETURN sum(c) AS n",
                    rows=part,
                ).single()
                return int(rec["n"])

            done += int(store._write(work, "writing relationship strength"))
    return done


_MISSING = (
    f"MATCH (s:{STAKEHOLDER_LABEL})-[r]->(t:{STAKEHOLDER_LABEL}) "
    "WHERE type(r) IN $rels AND r.m_strength IS NULL AND t <> s "
    "AND ($types IS NULL OR (s.type IN $types AND t.type IN $types)) RETURN count(r) AS n"
)


def _projection_query(directed: bool) -> str:
    """The Cypher projection: one tie per pair of stakeholders, weighted by the strength of its
    relationships together.

    The pairs are grouped per stakeholder in a subquery (its relationships to stakeholders with
    a greater id, or its outgoing ones when directed), not in one aggregation over the whole
    graph: that held every pair's list in one transaction's memory and failed at 1M / 5M
    ("db.memory.transaction.max threshold reached" with 1 GiB); grouped per stakeholder the
    transaction holds one stakeholder's ties at a time (docs/PERFORMANCE.md, "Scale").
    """
    ties = (
        "OPTIONAL MATCH (s)-[r]->(t:{label}) WHERE t <> s"
        if directed
        else "OPTIONAL MATCH (s)-[r]-(t:{label}) WHERE s.id < t.id"
    ).format(label=STAKEHOLDER_LABEL)
    config = "{}" if directed else "{undirectedRelationshipTypes: ['*']}"
    return (
        f"MATCH (s:{STAKEHOLDER_LABEL}) WHERE $types IS NULL OR s.type IN $types "
        f"CALL (s) {{ {ties} AND type(r) IN $rels AND ($types IS NULL OR t.type IN $types) "
        # strength of a tie: 1 - prod(1 - s_i) over its relationships, s_i clipped to [0, 1]
        "WITH t, collect(CASE WHEN r.m_strength > 1.0 THEN 1.0 WHEN r.m_strength < 0.0 "
        "THEN 0.0 ELSE toFloat(r.m_strength) END) AS ss RETURN t, ss } "
        "WITH s AS a, t AS b, CASE WHEN t IS NULL THEN null WHEN size(ss) = 1 THEN ss[0] "
        "ELSE 1.0 - exp(reduce(acc = 0.0, x IN ss | "
        "acc + log(1.0 - CASE WHEN x > 1.0 - 1e-12 THEN 1.0 - 1e-12 ELSE x END))) END AS strength "
        "WITH a, b, CASE WHEN strength < $floor THEN $floor ELSE strength END AS w "
        "WITH gds.graph.project($name, a, b, CASE WHEN b IS NULL THEN {} ELSE "
        "{relationshipProperties: {weight: w, distance: 1.0 / w}} END, "
        f"{config}) AS g "
        "RETURN g.nodeCount AS nodes, g.relationshipCount AS ties"
    )


def _stream(store: Any, call: str, value: str | None, doing: str, **params: Any) -> Any:
    """``CALL <call>`` (a ``.stream`` procedure) answered in ONE record: the GDS node ids
    (``nodes``) and, with ``value``, the values (``values``) as two lists. One record instead
    of one per stakeholder, and no ``gds.util.asNode`` lookup per row: the stakeholder ids are
    read once per projection (:func:`_node_ids`)."""
    yields = f"nodeId, {value}" if value else "nodeId"
    values = f", collect({value}) AS values" if value else ""
    rows = store._auto(
        f"CALL {call}($g, $cfg) YIELD {yields} RETURN collect(nodeId) AS nodes{values}",
        doing,
        **params,
    )
    return rows[0]


def _node_ids(store: Any, g: str) -> tuple[np.ndarray, list[str]]:
    """The projection's GDS node ids and their stakeholder ids, in one record."""
    rows = store._auto(
        "CALL gds.degree.stream($g) YIELD nodeId "
        "RETURN collect(nodeId) AS nodes, collect(gds.util.asNode(nodeId).id) AS ids",
        "listing the projected stakeholders",
        g=g,
    )
    return np.asarray(rows[0]["nodes"], dtype=np.int64), [str(i) for i in rows[0]["ids"]]


class _Positions:
    """Where each GDS node id's stakeholder sits in the sorted id list of the result."""

    def __init__(self, gds_ids: np.ndarray, ids: list[str], order: list[str]) -> None:
        at = {i: n for n, i in enumerate(order)}
        self.gds = pd.Index(gds_ids)
        self.pos = np.array([at[i] for i in ids], dtype=np.int64)
        self.n = len(order)

    def of(self, nodes: list[int]) -> np.ndarray:
        """Positions (in the sorted ids) of the GDS node ids ``nodes``."""
        return self.pos[self.gds.get_indexer(np.asarray(nodes, dtype=np.int64))]


def _scores(record: Any, where: _Positions, default: float = 0.0) -> np.ndarray:
    out = np.full(where.n, default, dtype=float)
    out[where.of(record["nodes"])] = np.asarray(record["values"], dtype=float)
    return out


def node_measures(
    store: Any,
    *,
    measures: Iterable[str] | None = None,
    directed: bool = False,
    node_types: Collection[str] | None = None,
    k: int | None = None,
    sample_above: tuple[int, int] | Callable[[int, int], int | None] | None = None,
    seed: int = 0,
    resolution: float = 1.0,
) -> GdsResult:
    """Run ``measures`` (default :data:`GDS_MEASURES`) in GDS on the stored graph.

    ``k`` samples betweenness from ``k`` sources (``None``: exact), or ``sample_above = (limit,
    pivots)`` samples from ``pivots`` sources when nodes x ties exceed ``limit`` (the local
    engine's rule, :mod:`graphcap.metrics.pivots`), or ``sample_above`` is that rule itself: a
    function of (nodes, ties) giving the sources, ``None`` for exact. ``seed`` seeds Leiden and the
    sampling, ``resolution`` is Leiden's ``gamma``. ``node_types`` narrows the graph like
    ``read_network(node_types=...)``. Raises :class:`GdsUnavailable` without GDS and
    :class:`~graphcap.errors.StoreError` when a relationship has no ``m_strength`` yet.
    """
    version = gds_version(store)
    allowed = DIRECTED_MEASURES if directed else GDS_MEASURES
    wanted = list(allowed if measures is None else measures)
    bad = sorted(set(wanted) - set(allowed))
    if bad:
        view = _("directed") if directed else _("undirected")
        raise StoreError(
            _("GDS cannot compute {bad} on the {view} view; it computes {allowed}").format(
                bad=bad, view=view, allowed=", ".join(allowed)
            )
        )
    if not resolution > 0:
        raise StoreError(
            _("resolution must be positive, got {resolution}").format(resolution=resolution)
        )
    if k is not None and (not isinstance(k, int) or k < 1):
        raise StoreError(
            _("k (betweenness sources) must be a positive whole number, got {k!r}").format(k=k)
        )
    types = None if node_types is None else sorted(node_types)
    for t in types or []:
        store.schema.label_for(t)  # SchemaError for a type outside the allow-list
    rels = sorted(dict.fromkeys(store.schema.rel_types))
    missing = store._auto(_MISSING, "checking relationship strength", types=types, rels=rels)
    if missing and int(missing[0]["n"]):
        raise StoreError(
            _(
                "{n} relationship(s) have no written-back strength (m_strength), which the GDS projection weighs ties by; `graphcap metrics --engine gds` writes it before projecting"
            ).format(n=int(missing[0]["n"]))
        )
    name = PREFIX + secrets.token_hex(8)
    timings: dict[str, float] = {}
    result = GdsResult(nodes=pd.DataFrame(), graph=name, version=version, timings=timings)
    clock = time.perf_counter()
    failed = True
    try:
        shape = store._auto(
            _projection_query(directed),
            "projecting the graph into GDS",
            name=name,
            types=types,
            rels=rels,
            floor=STRENGTH_FLOOR,
        )
        n = int(shape[0]["nodes"]) if shape else 0
        ties = int(shape[0]["ties"]) if shape else 0
        ties = ties if directed else ties // 2  # an undirected tie is stored both ways
        if k is None and callable(sample_above):
            k = sample_above(n, ties)
        elif k is None and isinstance(sample_above, tuple) and n * max(ties, 1) > sample_above[0]:
            k = sample_above[1]
        timings["project"] = time.perf_counter() - clock
        gds_ids, found = _node_ids(store, name)
        ids = sorted(found)
        where = _Positions(gds_ids, found, ids)
        columns: dict[str, Any] = {"id": ids}
        sampled = k if isinstance(k, int) and k < n else None
        result.sampled = sampled
        for m in wanted:
            clock = time.perf_counter()
            columns[m] = _run(store, name, m, where, n, directed, sampled, seed, resolution)
            timings[m] = time.perf_counter() - clock
        if "is_articulation" in wanted and not directed:
            clock = time.perf_counter()
            rec = store._auto(
                "CALL gds.bridges.stream($g) YIELD from, to "
                "RETURN collect(from) AS s, collect(to) AS t",
                "finding bridges in GDS",
                g=name,
            )[0]
            ends = zip(where.of(rec["s"]).tolist(), where.of(rec["t"]).tolist(), strict=True)
            result.bridges = sorted((ids[min(a, b)], ids[max(a, b)]) for a, b in ends)
            timings["bridges"] = time.perf_counter() - clock
        result.nodes = pd.DataFrame(columns)
        failed = False
    finally:
        try:
            store._auto(
                "CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName",
                "dropping the GDS projection",
                g=name,
            )
        except StoreError:
            if not failed:
                raise
    return result


def _run(
    store: Any,
    g: str,
    measure: str,
    where: _Positions,
    n: int,
    directed: bool,
    sampled: int | None,
    seed: int,
    resolution: float,
) -> np.ndarray:
    doing = f"computing {measure} in GDS"
    if measure == "pagerank":
        rec = _stream(
            store,
            "gds.pageRank.stream",
            "score",
            doing,
            g=g,
            cfg={"relationshipWeightProperty": "weight", "dampingFactor": 0.85, **_ITERATIONS},
        )
        x = _scores(rec, where)
        return x / x.sum() if x.sum() > 0 else x
    if measure == "betweenness":
        cfg: dict[str, Any] = {"relationshipWeightProperty": "distance"}
        if sampled is not None:
            cfg.update(samplingSize=sampled, samplingSeed=seed)
        rec = _stream(store, "gds.betweenness.stream", "score", doing, g=g, cfg=cfg)
        raw = _scores(rec, where)
        if n <= 2:
            return np.zeros(where.n)
        # GDS halves the counts on undirected graphs; networkx's normalisation divides ordered
        # source-target pairs by (n-1)(n-2), or by k(n-2) when k sources are sampled
        pairs = (sampled if sampled is not None else n - 1) * (n - 2)
        return raw * (1.0 if directed else 2.0) / pairs
    if measure == "community":
        rec = _stream(
            store,
            "gds.leiden.stream",
            "communityId",
            doing,
            g=g,
            cfg={
                "relationshipWeightProperty": "weight",
                "gamma": float(resolution),
                "randomSeed": int(seed),
                "concurrency": 1,
            },
        )
        return _scores(rec, where, -1.0).astype(np.int64)
    if measure == "core_number":
        rec = _stream(store, "gds.kcore.stream", "coreValue", doing, g=g, cfg={})
        return _scores(rec, where)
    if measure == "component":
        rec = _stream(store, "gds.wcc.stream", "componentId", doing, g=g, cfg={})
        return _scores(rec, where, -1.0).astype(np.int64)
    if measure == "is_articulation":
        rec = _stream(store, "gds.articulationPoints.stream", None, doing, g=g, cfg={})
        cut = np.zeros(where.n, dtype=bool)
        cut[where.of(rec["nodes"])] = True
        return cut
    raise StoreError(
        _("unknown GDS measure {measure!r}").format(measure=measure)
    )  # pragma: no cover - checked above
