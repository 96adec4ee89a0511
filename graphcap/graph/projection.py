"""From network frames to networkx: filters, the typed multigraph and the weighted views.

Whatever the source (Neo4j, a snapshot file, a loader), a :class:`graphcap.model.Network` comes in
and networkx graphs come out. Everything here is pure: frames in, new frames or graphs out.

What a strategy team gets
-------------------------
- :class:`NetworkFilter` + :func:`apply_filter` (defined in :mod:`graphcap.graph.netfilter`,
  re-exported here): the same network narrowed to some stakeholder types, relationship types, a
  minimum strength, a time window, some communities, the neighbourhood of one stakeholder (ego
  radius 1-3) or a name search.
- :func:`to_multidigraph`: every typed relationship with all its attributes (for display, export
  and Cypher-like questions such as "who SUPPLIES whom").
- :func:`to_weighted`: the simple graph the algorithms need. Parallel relationships between two
  stakeholders (a customer who BUYS_FROM and REFERS) are merged into one tie.
- :func:`to_engine`: the same view straight to the metric engine, without a networkx graph.

How ties are weighted
---------------------
Ties are signed. ``strength`` of a merged tie is ``P - N`` with ``P = 1 - prod(1 - s_i)`` over
its positive relationships (the chance that at least one of them carries when each carries
independently with probability ``s_i``) and ``N = 1 - prod(1 - |s_j|)`` over its negative ones
(distrust, hostility). A second positive relationship can only make a tie stronger, a negative one
only weaker: negative relationships never add to strength. The result stays in [-1, 1].
``volume`` is summed, ``count`` is the number of relationships and ``types`` lists their types.

Missing strength (no ``strength`` column, or an empty cell) is the mean of the quality dimensions
present in that row (``trust``, ``commitment``, ``responsiveness``, ``mutual_interest``), else
:data:`DEFAULT_STRENGTH` (0.5, neutral). Normally :func:`graphcap.metrics.strength.compute_strength`
has filled the column before.

A recorded relationship is never weightless: strength is floored at :data:`STRENGTH_FLOOR` (0.01)
for the three attributes the algorithms use, so there is no division by zero and no NaN:

- ``weight = strength`` (for degree, PageRank, eigenvector, communities, constraint);
- ``distance = 1 / strength`` (1 for the strongest tie, at most 100) for betweenness and
  closeness, where a strong tie is a short way;
- ``cost = -log(strength)`` (0 for the strongest tie, at most 4.6) for the strongest path: the
  path of least total cost is the path with the highest product of strengths. The strongest-path
  code (graphcap.metrics.paths) ignores the cost of a tie of strength 0 or below (neutral or
  negative): no path and no warm introduction runs through it.

Self-loops (a stakeholder related to itself) say nothing about position in the network: the
multigraph keeps them, the weighted views drop them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graphcap.errors import MetricError
from graphcap.graph.engine import EngineGraph, register
from graphcap.graph.netfilter import NetworkFilter, apply_filter, edge_strength
from graphcap.i18n import gettext
from graphcap.model import Network, register_conversion
from graphcap.model.schema import DEFAULT_STRENGTH

__all__ = [
    "DEFAULT_STRENGTH",
    "STRENGTH_FLOOR",
    "NetworkFilter",
    "apply_filter",
    "edge_strength",
    "to_engine",
    "to_multidigraph",
    "to_weighted",
]

#: Lowest strength the algorithms see for a recorded relationship (see module docstring).
STRENGTH_FLOOR = 0.01


def _clean(record: Mapping[str, Any]) -> dict[str, Any]:
    """Attributes without missing values (GraphML/GEXF and the algorithms dislike NaN)."""
    out = {}
    for key, value in record.items():
        if value is None or value is pd.NaT:
            continue
        if isinstance(value, float) and math.isnan(value):
            continue
        if value is pd.NA:
            continue
        out[key] = value
    return out


def _add_nodes(G: nx.Graph, nodes: pd.DataFrame) -> None:
    """The stakeholders with their columns as attributes, missing values left out (what
    :func:`_clean` of each row gives), built column by column."""
    ids = [str(v) for v in nodes["id"].tolist()]
    attrs: list[dict[str, Any]] = [{} for _ in ids]
    for name in nodes.columns:
        values = ids if name == "id" else nodes[name].astype(object).tolist()
        kept = np.flatnonzero(~_missing(values)).tolist()
        if len(kept) == len(values):
            for attr, value in zip(attrs, values, strict=True):
                attr[name] = value
        else:
            for i in kept:
                attrs[i][name] = values[i]
    G.add_nodes_from(zip(ids, attrs, strict=True))


def _missing(values: list[Any]) -> np.ndarray:
    """Which values :func:`_clean` leaves out (None, NaT, NA, float NaN)."""
    return np.fromiter(
        (
            v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and math.isnan(v))
            for v in values
        ),
        dtype=bool,
        count=len(values),
    )


@register_conversion("to_networkx")
def to_multidigraph(network: Network) -> nx.MultiDiGraph:
    """Every relationship as a directed, typed edge with all its attributes.

    Edge keys are the relationship types, so ``G["c"]["o"]["BUYS_FROM"]`` is that relationship.
    Node attributes are the node columns (missing values left out). Relationships whose ends are
    not in the nodes frame raise :class:`~graphcap.errors.MetricError`.

    >>> from graphcap.model import Network
    >>> net = Network(
    ...     nodes=pd.DataFrame({"id": ["o", "c"], "name": ["Org", "Cust"],
    ...                         "type": ["organization", "customer"]}),
    ...     edges=pd.DataFrame({"source": ["c", "c"], "target": ["o", "o"],
    ...                         "type": ["BUYS_FROM", "REFERS"], "trust": [0.9, None]}))
    >>> G = to_multidigraph(net)
    >>> sorted(G["c"]["o"]), G["c"]["o"]["BUYS_FROM"]["trust"]
    (['BUYS_FROM', 'REFERS'], 0.9)
    """
    G = nx.MultiDiGraph()
    _add_nodes(G, network.nodes)
    edges = network.edges
    _check_ends(pd.Index(list(G.nodes)), edges)
    for r in edges.to_dict("records"):
        attrs = _clean(r)
        s, t = str(attrs.pop("source")), str(attrs.pop("target"))
        G.add_edge(s, t, key=str(attrs["type"]), **attrs)
    return G


def _check_ends(ids: pd.Index, edges: pd.DataFrame) -> None:
    ends = pd.concat([edges["source"], edges["target"]]).astype(str)
    unknown = ends[~ends.isin(ids)]
    if len(unknown):
        shown = sorted(set(unknown))
        raise MetricError(
            gettext(
                "{n_shown} relationship end(s) are not stakeholders in the nodes table, e.g. {shown}; validate the network (graphcap import) before projecting it"
            ).format(n_shown=len(shown), shown=shown[:3])
        )


def aggregate_ties(edges: pd.DataFrame, *, directed: bool) -> pd.DataFrame:
    """One row per tie: parallel relationships merged as the module docstring says.

    Columns: ``source target strength weight distance cost volume count types``, one row per
    tie in order of first appearance. Self-loops are dropped. Undirected ties have
    ``source <= target``.
    """
    frame = pd.DataFrame(
        {
            "source": edges["source"].astype(str).to_numpy(),
            "target": edges["target"].astype(str).to_numpy(),
            "type": edges["type"].astype(str).to_numpy(),
            "strength": edge_strength(edges).to_numpy(),
            "volume": (
                pd.to_numeric(edges["volume"], errors="coerce").astype(float).to_numpy()
                if "volume" in edges.columns
                else np.zeros(len(edges))
            ),
        }
    )
    frame = frame[frame["source"] != frame["target"]]
    if not directed:
        swap = frame["source"] > frame["target"]
        lo = frame["source"].where(~swap, frame["target"])
        hi = frame["target"].where(~swap, frame["source"])
        frame = frame.assign(source=lo, target=hi)
    codes, _ = pd.factorize(frame["source"] + "\x1f" + frame["target"])
    k = int(codes.max()) + 1 if len(codes) else 0
    s_all = frame["strength"].to_numpy(dtype=float)
    pos = np.log1p(-np.minimum(np.clip(s_all, 0.0, None), 1 - 1e-12))
    neg = np.log1p(-np.minimum(np.clip(-s_all, 0.0, None), 1 - 1e-12))
    count = np.bincount(codes, minlength=k)
    _, first = np.unique(codes, return_index=True)  # row of each tie's first relationship
    types = frame["type"].to_numpy(dtype=object)
    merged = types[first].copy()
    multi = count[codes] > 1
    groups: dict[int, set[str]] = {}
    for code, rel in zip(codes[multi], types[multi], strict=True):
        groups.setdefault(int(code), set()).add(rel)
    for code, rels in groups.items():
        merged[code] = ";".join(sorted(rels))
    vol_all = np.nan_to_num(frame["volume"].to_numpy(dtype=float))

    def tie_sum(values: np.ndarray) -> np.ndarray:
        # per tie, summed in the order of the values (not of the rows), so the same
        # relationships in another row order give the same sums to the last bit
        order = np.lexsort((values, codes))
        return np.bincount(codes[order], weights=values[order], minlength=k)

    p_part = np.clip(-np.expm1(tie_sum(pos)), 0.0, 1.0)
    n_part = np.clip(-np.expm1(tie_sum(neg)), 0.0, 1.0)
    strength = np.clip(p_part - n_part, -1.0, 1.0)
    strength = np.where(count == 1, s_all[first], strength)
    floored = np.maximum(strength, STRENGTH_FLOOR)
    volume = tie_sum(vol_all)
    return pd.DataFrame(
        {
            "source": frame["source"].to_numpy()[first],
            "target": frame["target"].to_numpy()[first],
            "strength": strength,
            "weight": floored,
            "distance": 1.0 / floored,
            "cost": -np.log(floored),
            "volume": volume,
            "count": count,
            "types": merged,
        }
    )


def to_weighted(
    network: Network, *, directed: bool = False, weight: str = "strength"
) -> nx.Graph | nx.DiGraph:
    """The simple weighted graph the metrics run on (frozen: a graph is a snapshot, not a draft).

    Parallel relationships are merged into one tie (see the module docstring); undirected unless
    ``directed=True``. Each tie carries ``strength weight distance cost volume count types``.
    ``weight`` names the column that becomes the ``weight`` attribute (``"strength"`` or
    ``"volume"``); node attributes are the node columns.

    >>> from graphcap.model import Network
    >>> net = Network(
    ...     nodes=pd.DataFrame({"id": ["o", "c"], "name": ["Org", "Cust"],
    ...                         "type": ["organization", "customer"]}),
    ...     edges=pd.DataFrame({"source": ["c", "o"], "target": ["o", "c"],
    ...                         "type": ["BUYS_FROM", "SERVES"], "strength": [0.5, 0.5],
    ...                         "volume": [100.0, 20.0]}))
    >>> G = to_weighted(net)
    >>> tie = G["c"]["o"]
    >>> tie["strength"], tie["distance"], tie["volume"], tie["types"]
    (0.75, 1.3333333333333333, 120.0, 'BUYS_FROM;SERVES')
    """
    ids, ties = _ties(network, directed=directed, weight=weight)
    G: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    _add_nodes(G, network.nodes)
    cols = [c for c in ties.columns if c not in ("source", "target")]
    plain = ties.astype(object)  # Python scalars, not numpy ones, in the edge attributes
    G.add_edges_from(
        (s, t, dict(zip(cols, row, strict=True)))
        for s, t, *row in plain.itertuples(index=False, name=None)
    )
    G = nx.freeze(G)
    register(G, _engine(ids, ties, directed))
    return G


def to_engine(network: Network, *, directed: bool = False, weight: str = "strength") -> EngineGraph:
    """The same view as :func:`to_weighted`, straight to the metric engine (no networkx graph).

    What :func:`graphcap.metrics.suite.node_metrics` runs on: building a networkx graph of
    500k ties costs seconds that the metrics do not need.

    >>> from graphcap.model import Network
    >>> net = Network(
    ...     nodes=pd.DataFrame({"id": ["o", "c"], "name": ["Org", "Cust"],
    ...                         "type": ["organization", "customer"]}),
    ...     edges=pd.DataFrame({"source": ["c"], "target": ["o"], "type": ["BUYS_FROM"],
    ...                         "strength": [0.5]}))
    >>> eg = to_engine(net)
    >>> eg.nodes, eg.weights("distance").tolist()
    (['o', 'c'], [2.0])
    """
    ids, ties = _ties(network, directed=directed, weight=weight)
    return _engine(ids, ties, directed)


def _ties(network: Network, *, directed: bool, weight: str) -> tuple[pd.Index, pd.DataFrame]:
    if weight not in ("strength", "volume"):
        raise MetricError(
            gettext("weight must be 'strength' or 'volume', got {weight!r}").format(weight=weight)
        )
    ids = pd.Index(network.nodes["id"].astype(str).to_numpy(dtype=object))
    if ids.has_duplicates:
        dup = ids[ids.duplicated()].unique().tolist()
        raise MetricError(
            gettext("stakeholder id(s) {dup} appear more than once in the nodes table").format(
                dup=dup[:3]
            )
        )
    _check_ends(ids, network.edges)
    ties = aggregate_ties(network.edges, directed=directed)
    if weight == "volume":
        ties = ties.assign(weight=ties["volume"].clip(lower=0.0))
    return ids, ties


def _engine(ids: pd.Index, ties: pd.DataFrame, directed: bool) -> EngineGraph:
    numeric = ("strength", "weight", "distance", "cost", "volume", "count")
    return EngineGraph.from_arrays(
        ids.tolist(),
        ids.get_indexer(ties["source"]),
        ids.get_indexer(ties["target"]),
        directed=directed,
        # the algorithms see a negative tie as the weakest positive one (sign lives in the graph)
        weights={
            c: (
                np.clip(ties[c].to_numpy(dtype=float), 0.0, None)
                if c == "strength"
                else ties[c].to_numpy(dtype=float)
            )
            for c in numeric
        },
    )
