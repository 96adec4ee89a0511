"""Brokerage and fragility: structural holes, single points of failure, gatekeepers.

What a strategy team reads here
-------------------------------
- **Constraint** (Burt): how much a stakeholder's contacts are tied to each other. Low
  constraint = its contacts do not know one another, so it brokers between them (structural
  holes, information advantage); high = a closed circle.
- **Effective size** (Burt): the number of non-redundant contacts; 5 contacts who all know each
  other are worth less than 5 who do not.
- **Bridges** and **articulation points**: ties and stakeholders whose loss splits the network.
- **Gatekeepers**: stakeholders through which *every* path from the focal organisation to some
  other stakeholder runs (the immediate dominator). ``dependents`` counts how many stakeholders
  the focal organisation would lose contact with if a gatekeeper went away.

Directed graphs are read without direction for the structural measures (networkx's bridge and
articulation functions need undirected graphs; constraint and effective size use the mutual
weight ``w(u,v) + w(v,u)`` exactly as networkx does). Self-loops are ignored.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Hashable

import igraph as ig
import networkx as nx
import numpy as np

from graphcap.errors import MetricError
from graphcap.metrics.engine import EngineGraph, engine_for

__all__ = [
    "articulation_points",
    "bridges",
    "constraint",
    "dependents",
    "effective_size",
    "gatekeepers",
]

Scores = dict[Hashable, float]
_UNIT = "\x00unit"  # an edge attribute nobody has: reads as 1.0 on every edge


def _mutual(G: nx.Graph, weight: str | None) -> EngineGraph:
    """Undirected twin whose ``weight`` (or unit) values are mutual weights ``w(u,v)+w(v,u)``."""
    key = weight or _UNIT
    return engine_for(G, [key]).undirected()


def constraint(G: nx.Graph, *, weight: str | None = None) -> Scores:
    """Burt's constraint: ``sum_j (p_ij + sum_q p_iq p_qj)**2`` over the contacts ``j`` of ``i``.

    ``p_ij`` is the share of ``i``'s (mutual) tie weight that goes to ``j``. From ``1/k`` for a hub
    of ``k`` mutually unconnected contacts to 1 and above for a stakeholder whose few contacts are
    all tied to each other. Same as ``nx.constraint``; a stakeholder without ties, for which
    networkx gives NaN, gets 1.0 (no contacts: no structural holes to broker).

    Examples
    --------
    >>> G = nx.star_graph(4)
    >>> constraint(G)
    {0: 0.25, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0}
    """
    eg = engine_for(G, [weight] if weight else [])
    if eg.n == 0:
        return {}
    wname = eg.ig_weights(weight) if weight else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        values = np.asarray(eg.ig.constraint(weights=wname), dtype=float)
    return eg.to_dict(np.where(np.isfinite(values), values, 1.0))


def effective_size(G: nx.Graph, *, weight: str | None = None) -> Scores:
    """Burt's effective size: ``sum_j (1 - sum_q p_iq m_jq)`` over the contacts ``j`` of ``i``.

    ``p_iq`` is ``i``'s share of tie weight to ``q`` and ``m_jq`` the weight of the tie ``j-q``
    relative to ``j``'s strongest tie. Unweighted and undirected this is Borgatti's
    ``degree - 2 * ties among contacts / degree``. Same as ``nx.effective_size``; a stakeholder
    without ties gets 0 (networkx: NaN). Computed from the triangles of the graph.

    Examples
    --------
    >>> G = nx.Graph([("hub", "a"), ("hub", "b"), ("hub", "c"), ("a", "b")])
    >>> {v: round(x, 4) for v, x in effective_size(G).items()}
    {'hub': 2.3333, 'a': 1.0, 'b': 1.0, 'c': 1.0}
    """
    twin = _mutual(G, weight)
    n = twin.n
    if n == 0:
        return {}
    w = twin.weights(weight or _UNIT)
    degree = np.bincount(twin.src, minlength=n) + np.bincount(twin.dst, minlength=n)
    total = np.bincount(twin.src, weights=w, minlength=n) + np.bincount(twin.dst, weights=w,
                                                                           minlength=n)
    strongest = np.zeros(n)
    np.maximum.at(strongest, twin.src, w)
    np.maximum.at(strongest, twin.dst, w)
    redundancy = np.zeros(n)
    tri = np.asarray(twin.ig.list_triangles(), dtype=np.int64).reshape(-1, 3)
    if len(tri):
        M = twin.csr(weight or _UNIT)

        def tie(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return np.asarray(M[a, b]).ravel()

        for u, v, x in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
            U, V, X = tri[:, u], tri[:, v], tri[:, x]
            # from U's view, contacts V and X are tied: each makes the other partly redundant
            contrib = (tie(U, X) * tie(V, X) / strongest[V]
                       + tie(U, V) * tie(X, V) / strongest[X]) / total[U]
            np.add.at(redundancy, U, contrib)
    return twin.to_dict(np.where(degree > 0, degree - redundancy, 0.0))


def bridges(G: nx.Graph) -> list[tuple[Hashable, Hashable]]:
    """Ties whose loss splits the network (direction ignored), as ``(u, v)`` pairs.

    A bridge is the only connection between two parts: a relationship to protect or to double.
    Same set as ``nx.bridges`` on the undirected graph.

    Examples
    --------
    >>> bridges(nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]))
    [('c', 'd')]
    """
    twin = engine_for(G).undirected()
    ids = twin.ig.bridges()
    return [(twin.nodes[twin.src[i]], twin.nodes[twin.dst[i]]) for i in sorted(ids)]


def articulation_points(G: nx.Graph) -> list[Hashable]:
    """Stakeholders whose loss splits the network (direction ignored): single points of failure.

    Same set as ``nx.articulation_points`` on the undirected graph, in node order.

    Examples
    --------
    >>> articulation_points(nx.path_graph(["a", "b", "c"]))
    ['b']
    """
    twin = engine_for(G).undirected()
    points = set(twin.ig.articulation_points())
    return [v for i, v in enumerate(twin.nodes) if i in points]


def _dominators(G: nx.Graph, focal: Collection[Hashable]) -> tuple[EngineGraph, np.ndarray]:
    """Immediate dominator position of every node seen from the focal nodes (direction ignored).

    A virtual root stands before all focal nodes (an organisation may have several units);
    returns ``idom`` with -1 for the focal nodes and for nodes whose immediate dominator is a
    focal node (no intermediary), -2 for unreachable nodes.
    """
    twin = engine_for(G).undirected()
    key = ("dominators", tuple(focal))
    if key not in twin.memo:
        twin.memo[key] = _compute_dominators(twin, focal)
    return twin, twin.memo[key]


def _compute_dominators(twin: EngineGraph, focal: Collection[Hashable]) -> np.ndarray:
    focal_pos = [twin.index[f] for f in focal if f in twin.index]
    missing = [f for f in focal if f not in twin.index]
    if missing or not focal_pos:
        raise MetricError(
            f"focal organisation {missing or list(focal)!r} is not in the graph; gatekeepers are "
            "measured from the organisation's own nodes (type 'organization')"
        )
    n = twin.n
    root = n
    edges = np.r_[np.column_stack([twin.src, twin.dst]), np.column_stack([twin.dst, twin.src]),
                  np.column_stack([np.full(len(focal_pos), root), focal_pos])]
    g = ig.Graph(n=n + 1, edges=edges.tolist(), directed=True)
    idom = np.asarray(g.dominator(root, mode="out"), dtype=float)[:n]
    out = np.where(np.isnan(idom), -2, idom).astype(np.int64)
    out[(out == root) | np.isin(out, focal_pos)] = -1  # reached directly from the organisation
    out[focal_pos] = -1
    return out


def gatekeepers(G: nx.Graph, focal: Collection[Hashable]) -> dict[Hashable, Hashable]:
    """Stakeholders the focal organisation reaches only through one intermediary, and who that is.

    ``{stakeholder: gatekeeper}`` where every path from the focal nodes to ``stakeholder`` runs
    through ``gatekeeper`` (the nearest such stakeholder: the immediate dominator, direction
    ignored). Stakeholders with two independent ways in, and unreachable ones, are not listed.

    Examples
    --------
    >>> G = nx.Graph([("org", "dealer"), ("dealer", "end1"), ("dealer", "end2"), ("org", "c"),
    ...               ("c", "d"), ("org", "d")])
    >>> gatekeepers(G, ["org"])
    {'end1': 'dealer', 'end2': 'dealer'}
    """
    twin, idom = _dominators(G, focal)
    return {twin.nodes[i]: twin.nodes[d] for i, d in enumerate(idom) if d >= 0}


def dependents(G: nx.Graph, focal: Collection[Hashable]) -> Scores:
    """How many stakeholders the focal organisation could reach only through this one.

    If the stakeholder left, that many others would be cut off from the organisation (the size
    of its subtree in the dominator tree). 0 for most; high values are single points of failure
    for the organisation's reach. Focal nodes get 0.

    Examples
    --------
    >>> G = nx.Graph([("org", "dealer"), ("dealer", "end1"), ("end1", "end2"), ("org", "c")])
    >>> dependents(G, ["org"])
    {'org': 0.0, 'dealer': 2.0, 'end1': 1.0, 'end2': 0.0, 'c': 0.0}
    """
    twin, idom = _dominators(G, focal)
    n = twin.n
    parent = np.where(idom >= 0, idom, n)  # focal nodes (and the unreachable) hang off a root
    tree = ig.Graph(n=n + 1, edges=np.column_stack([parent, np.arange(n)]).tolist(),
                    directed=True)
    order, layers, _ = tree.bfs(n, mode="out")
    order = np.asarray(order)
    below = np.zeros(n + 1)
    for start, stop in reversed(list(zip(layers[1:-1], layers[2:], strict=True))):
        level = order[start:stop]  # one depth level of the dominator tree, deepest first
        np.add.at(below, parent[level], below[level] + 1)
    return twin.to_dict(below[:n])
