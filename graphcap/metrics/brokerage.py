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

from collections.abc import Collection, Hashable

import networkx as nx
import numpy as np

from graphcap.errors import MetricError
from graphcap.graph.engine import EngineGraph, engine_for
from graphcap.i18n import gettext as _

__all__ = [
    "articulation_points",
    "bridges",
    "constraint",
    "dependents",
    "effective_size",
    "gatekeepers",
    "subtree_sums",
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
    """Array form of :func:`constraint` (positions of ``eg.nodes``).

    Computed from the triangles: the indirect part ``sum_q p_iq p_qj`` of a tie ``i-j`` only
    has terms for the ``q`` tied to both, i.e. for the triangles ``i-q-j``. (igraph's own
    constraint walks every contact's contacts, which a hub of 90,000 ties makes slow.)
    """
    t = _triangle_ties(eg, weight)
    n, m = eg.n, len(t.w)
    if n == 0:
        return np.zeros(0)
    share_lo = t.w / t.safe_total[t.lo]  # p_ij for i = lo end, j = hi end
    share_hi = t.w / t.safe_total[t.hi]
    ind_lo, ind_hi = np.zeros(m), np.zeros(m)
    if len(t.A):
        A, B, C = t.A, t.B, t.C
        for i, j, q, e_ij, w_iq, w_qj in (
            (A, B, C, t.e_ab, t.w_ca, t.w_bc),
            (B, A, C, t.e_ab, t.w_bc, t.w_ca),
            (B, C, A, t.e_bc, t.w_ab, t.w_ca),
            (C, B, A, t.e_bc, t.w_ca, t.w_ab),
            (C, A, B, t.e_ca, t.w_bc, t.w_ab),
            (A, C, B, t.e_ca, t.w_ab, t.w_bc),
        ):
            value = (w_iq / t.safe_total[i]) * (w_qj / t.safe_total[q])
            forward = i < j  # the tie seen from its lower end
            ind_lo += np.bincount(e_ij[forward], weights=value[forward], minlength=m)
            ind_hi += np.bincount(e_ij[~forward], weights=value[~forward], minlength=m)
    c = np.bincount(t.lo, weights=(share_lo + ind_lo) ** 2, minlength=n) + np.bincount(
        t.hi, weights=(share_hi + ind_hi) ** 2, minlength=n
    )
    return np.where(t.total > 0, c, 1.0)


class _Triangles:
    """Ties sorted by (lower end, higher end) with their (mutual) weights, and the triangles
    with the positions and weights of their three sides; shared by constraint and effective
    size."""

    def __init__(self, twin: EngineGraph, key: str) -> None:
        n = twin.n
        w = twin.weights(key)
        assert w is not None  # key is a weight attribute here
        lo, hi = np.minimum(twin.src, twin.dst), np.maximum(twin.src, twin.dst)
        keys = lo * n + hi
        order = np.argsort(keys)
        self.keys, self.lo, self.hi, self.w = keys[order], lo[order], hi[order], w[order]
        self.degree = np.bincount(lo, minlength=n) + np.bincount(hi, minlength=n)
        self.total = np.bincount(lo, weights=w, minlength=n) + np.bincount(
            hi, weights=w, minlength=n
        )
        self.safe_total = np.where(self.total > 0, self.total, 1.0)
        self.strongest = np.zeros(n)
        np.maximum.at(self.strongest, lo, w)
        np.maximum.at(self.strongest, hi, w)
        self.strongest[self.strongest <= 0] = 1.0
        tri = np.asarray(twin.ig.list_triangles(), dtype=np.int64).reshape(-1, 3)
        self.A, self.B, self.C = tri[:, 0], tri[:, 1], tri[:, 2]
        self.e_ab, self.e_bc, self.e_ca = (
            self._pos(self.A, self.B),
            self._pos(self.B, self.C),
            self._pos(self.C, self.A),
        )
        self.w_ab, self.w_bc, self.w_ca = self.w[self.e_ab], self.w[self.e_bc], self.w[self.e_ca]

    def _pos(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        n = len(self.degree)
        return np.searchsorted(self.keys, np.minimum(a, b) * n + np.maximum(a, b))


def _triangle_ties(eg: EngineGraph, weight: str | None) -> _Triangles:
    key = weight or _UNIT
    eg.weights(key)
    twin = eg.undirected()
    memo_key = ("triangles", key)
    if memo_key not in twin.memo:
        twin.memo[memo_key] = _Triangles(twin, key)
    return twin.memo[memo_key]


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
    if eg.n == 0:
        return np.zeros(0)
    t = _triangle_ties(eg, weight)
    n = eg.n
    redundancy = np.zeros(n)
    A, B, C = t.A, t.B, t.C
    for U, V, X, uv, vx, xu in (
        (A, B, C, t.w_ab, t.w_bc, t.w_ca),
        (B, C, A, t.w_bc, t.w_ca, t.w_ab),
        (C, A, B, t.w_ca, t.w_ab, t.w_bc),
    ):
        # from U's view, contacts V and X are tied: each makes the other partly redundant
        contrib = (xu * vx / t.strongest[V] + uv * vx / t.strongest[X]) / t.safe_total[U]
        redundancy += np.bincount(U, weights=contrib, minlength=n)
    return np.where(t.degree > 0, t.degree - redundancy, 0.0)


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
            _(
                "focal organisation {value!r} is not in the graph; gatekeepers are measured from the organisation's own nodes (type 'organization')"
            ).format(value=missing or list(focal))
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
    return subtree_sums(eg, focal, np.ones(eg.n))


def subtree_sums(eg: EngineGraph, focal: Collection[Hashable], weights: np.ndarray) -> np.ndarray:
    """Per node: the sum of ``weights`` over the stakeholders the focal organisation reaches only
    through it (its subtree in the dominator tree, itself excluded); 0 for focal nodes.

    >>> from graphcap.graph.engine import engine_for
    >>> eg = engine_for(nx.Graph([("org", "dealer"), ("dealer", "end1"), ("end1", "end2")]))
    >>> subtree_sums(eg, ["org"], np.array([0.0, 1.0, 10.0, 100.0])).tolist()
    [0.0, 110.0, 100.0, 0.0]
    """
    idom = _dominators(eg, focal)
    n = eg.n
    parent = np.where(idom >= 0, idom, n)  # focal nodes (and the unreachable) hang off a root
    # sums level by level, deepest level of the dominator tree first
    depth = _depths(parent, n)
    w = np.asarray(weights, dtype=float)
    below = np.zeros(n + 1)
    for level in range(int(depth.max(initial=0)), 0, -1):
        nodes = np.flatnonzero(depth == level)
        below += np.bincount(parent[nodes], weights=below[nodes] + w[nodes], minlength=n + 1)
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
