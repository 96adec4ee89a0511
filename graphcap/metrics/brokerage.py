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
    eg = engine_for(G)
    return eg.to_dict(constraint_array(eg, weight=weight))


def constraint_array(eg: EngineGraph, *, weight: str | None = None) -> np.ndarray:
    """Array form of :func:`constraint` (positions of ``eg.nodes``)."""
    if eg.n == 0:
        return np.zeros(0)
    wname = eg.ig_weights(weight) if weight else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        values = np.asarray(eg.ig.constraint(weights=wname), dtype=float)
    return np.where(np.isfinite(values), values, 1.0)


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
    eg = engine_for(G)
    return eg.to_dict(effective_size_array(eg, weight=weight))


def effective_size_array(eg: EngineGraph, *, weight: str | None = None) -> np.ndarray:
    """Array form of :func:`effective_size` (positions of ``eg.nodes``)."""
    key = weight or _UNIT
    eg.weights(key)
    twin = eg.undirected()
    n = twin.n
    if n == 0:
        return np.zeros(0)
    w = twin.weights(key)
    degree = np.bincount(twin.src, minlength=n) + np.bincount(twin.dst, minlength=n)
    total = np.bincount(twin.src, weights=w, minlength=n) + np.bincount(twin.dst, weights=w,
                                                                           minlength=n)
    strongest = np.zeros(n)
    np.maximum.at(strongest, twin.src, w)
    np.maximum.at(strongest, twin.dst, w)
    redundancy = np.zeros(n)
    tri = np.asarray(twin.ig.list_triangles(), dtype=np.int64).reshape(-1, 3)
    if len(tri):
        pair_keys = np.minimum(twin.src, twin.dst) * n + np.maximum(twin.src, twin.dst)
        order = np.argsort(pair_keys)
        sorted_keys, sorted_w = pair_keys[order], w[order]

        def tie(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return sorted_w[np.searchsorted(sorted_keys, np.minimum(a, b) * n + np.maximum(a, b))]

        A, B, C = tri[:, 0], tri[:, 1], tri[:, 2]
        ab, bc, ca = tie(A, B), tie(B, C), tie(C, A)
        for U, V, X, uv, vx, xu in ((A, B, C, ab, bc, ca), (B, C, A, bc, ca, ab),
                                     (C, A, B, ca, ab, bc)):
            # from U's view, contacts V and X are tied: each makes the other partly redundant
            contrib = (xu * vx / strongest[V] + uv * vx / strongest[X]) / total[U]
            redundancy += np.bincount(U, weights=contrib, minlength=n)
    return np.where(degree > 0, degree - redundancy, 0.0)


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
    eg = engine_for(G)
    return [eg.nodes[i] for i in np.flatnonzero(articulation_array(eg))]


def articulation_array(eg: EngineGraph) -> np.ndarray:
    """Array form of :func:`articulation_points`: True at the positions of cut stakeholders."""
    out = np.zeros(eg.n, dtype=bool)
    out[eg.undirected().ig.articulation_points()] = True
    return out


def _dominators(eg: EngineGraph, focal: Collection[Hashable]) -> np.ndarray:
    """Immediate dominator position of every node seen from the focal nodes (direction ignored).

    A virtual root stands before all focal nodes (an organisation may have several units);
    returns ``idom`` with -1 for the focal nodes and for nodes whose immediate dominator is a
    focal node (no intermediary), -2 for unreachable nodes.
    """
    twin = eg.undirected()
    key = ("dominators", tuple(focal))
    if key not in twin.memo:
        twin.memo[key] = _compute_dominators(twin, focal)
    return twin.memo[key]


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
    g = twin.ig.as_directed(mode="mutual")  # every tie both ways
    g.add_vertices(1)
    g.add_edges([(root, f) for f in focal_pos])
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
    return gatekeepers_of(engine_for(G), focal)


def gatekeepers_of(eg: EngineGraph, focal: Collection[Hashable]) -> dict[Hashable, Hashable]:
    """:func:`gatekeepers` on an engine graph."""
    idom = _dominators(eg, focal)
    return {eg.nodes[i]: eg.nodes[d] for i in np.flatnonzero(idom >= 0) for d in [idom[i]]}


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
    eg = engine_for(G)
    return eg.to_dict(dependents_array(eg, focal))


def dependents_array(eg: EngineGraph, focal: Collection[Hashable]) -> np.ndarray:
    """Array form of :func:`dependents` (positions of ``eg.nodes``)."""
    idom = _dominators(eg, focal)
    n = eg.n
    parent = np.where(idom >= 0, idom, n)  # focal nodes (and the unreachable) hang off a root
    # sizes summed level by level, deepest level of the dominator tree first
    depth = _depths(parent, n)
    below = np.zeros(n + 1)
    for level in range(int(depth.max(initial=0)), 0, -1):
        nodes = np.flatnonzero(depth == level)
        below += np.bincount(parent[nodes], weights=below[nodes] + 1, minlength=n + 1)
    return below[:n]


def _depths(parent: np.ndarray, root: int) -> np.ndarray:
    """Depth of every node in a tree given by ``parent`` (``root`` for top-level nodes)."""
    depth = np.zeros(len(parent), dtype=np.int64)
    todo = np.arange(len(parent))
    up = parent.copy()
    while len(todo):
        inner = up[todo] < root
        todo = todo[inner]
        depth[todo] += 1
        up[todo] = parent[up[todo]]
    return depth
