"""Warm introductions: the strongest chain of relationships from the focal organisation to anyone.

What it means for a strategy team
---------------------------------
To reach a stakeholder you do not know well, go through people who know you and know them. The
*strongest path* is the chain whose relationships together are most solid: the product of their
strengths (two 0.9 ties, 0.81, beat one 0.7 tie and one 0.8 tie, 0.56; a direct 0.5 tie loses to
both). Alternatives are ranked the same way, so there is a plan B. ``tie_strength`` of a
stakeholder is that best product: how well the organisation can reach it at all (1 for the
organisation itself, 0 when it cannot be reached).

How it is computed
------------------
On the undirected strength graph (edge attribute ``strength`` in [0, 1]; parallel relationships
aggregated by the projection), each edge costs ``-log(strength)`` so that the shortest path
(Dijkstra) maximises the product of strengths; ties of strength 0 or below (neutral, or negative:
distrust, hostility) carry no path, so no warm introduction ever routes through a negative tie. Several focal
nodes (business units) act as one source. The ranked alternatives are the ``k`` shortest simple
paths (Yen's algorithm, ``networkx.shortest_simple_paths``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from itertools import islice
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from graphcap.errors import MetricError
from graphcap.i18n import gettext

__all__ = [
    "FOCAL",
    "carries_path",
    "contract_focal",
    "focal_counterpart",
    "no_path_reason",
    "tie_strengths",
    "usable",
    "warm_introductions",
]

#: Node key of the merged focal organisation in :func:`contract_focal` graphs.
FOCAL = "\x00focal"
_EPS = 1e-12


def _cost(data: Mapping[str, Any]) -> float:
    if float(data.get("strength", 0.0) or 0.0) <= 0:  # neutral or negative: carries no path
        return math.inf
    cost = data.get("cost")
    if cost is not None and math.isfinite(cost) and cost >= 0:
        return float(cost)
    s = float(data.get("strength", 0.0) or 0.0)
    return -math.log(s) if s > 0 else math.inf


def usable(G: nx.Graph) -> nx.Graph:
    """A read-only view of ``G`` without self-loops and without edges that carry no path
    (strength 0 or missing), with ``cost = -log(strength)`` readable on every edge.

    >>> G = nx.Graph([("a", "b", {"strength": 0.5}), ("b", "c", {"strength": 0.0}), ("c", "c", {"strength": 1.0})])
    >>> sorted(usable(G).edges())
    [('a', 'b')]
    """
    return nx.subgraph_view(G, filter_edge=lambda u, v: u != v and carries_path(G[u][v]))


def carries_path(data: Mapping[str, Any]) -> bool:
    """Whether a tie with these attributes carries a path (what :func:`usable` keeps, self-loops
    aside): strength above 0, so a finite ``cost``.

    >>> carries_path({"strength": 0.5}), carries_path({"strength": 0.0}), carries_path({})
    (True, False, False)
    """
    return math.isfinite(_cost(data))


def _focal_in(G: nx.Graph, focal_ids: Iterable[str]) -> list[str]:
    focal = [f for f in focal_ids if f in G]
    if not focal:
        raise MetricError(
            gettext(
                "no focal organisation in the network: give one stakeholder the type 'organization'"
            )
        )
    return focal


def focal_counterpart(frame: pd.DataFrame, focal_ids: Iterable[str]) -> pd.Series:
    """For each row of a frame with ``source`` and ``target`` (relationships, interactions): the
    stakeholder at the other end when exactly one end is a focal node, else missing.

    >>> f = pd.DataFrame({"source": ["c", "o", "o", "a"], "target": ["o", "s", "o", "b"]})
    >>> focal_counterpart(f, ["o"]).fillna("-").tolist()
    ['c', 's', '-', '-']
    """
    focal = set(focal_ids)
    src = frame["source"].astype(str)
    tgt = frame["target"].astype(str)
    sf, tf = src.isin(focal), tgt.isin(focal)
    return src.where(tf & ~sf, tgt.where(sf & ~tf))


def contract_focal(G: nx.Graph, focal_ids: Iterable[str]) -> nx.Graph:
    """An undirected simple graph where all focal nodes are merged into one node :data:`FOCAL`
    (the strongest of parallel edges kept), so that "connected to the organisation" means
    connected to any of its units. Self-loops are dropped. A graph that is already contracted
    (holds :data:`FOCAL`) is returned as it is, so callers can contract once and pass it on.

    >>> G = nx.Graph([("o1", "a", {"strength": 0.5}), ("o2", "a", {"strength": 0.9})])
    >>> H = contract_focal(G, ["o1", "o2"])
    >>> sorted(H.nodes(), key=str)[1:], H[FOCAL]["a"]["strength"]
    (['a'], 0.9)
    """
    if FOCAL in G:
        return G
    focal = set(_focal_in(G, focal_ids))
    H = nx.Graph()
    H.add_node(FOCAL)
    H.add_nodes_from(n for n in G.nodes if n not in focal)
    for u, v, data in G.edges(data=True):
        a = FOCAL if u in focal else u
        b = FOCAL if v in focal else v
        if a == b:
            continue
        s = float(data.get("strength", 0.0) or 0.0)
        if H.has_edge(a, b) and H[a][b]["strength"] >= s:
            continue
        H.add_edge(a, b, strength=s, cost=_cost(data))
    return H


def tie_strengths(G: nx.Graph, focal_ids: Iterable[str]) -> pd.DataFrame:
    """For every node: ``tie_strength`` (product of strengths along the strongest path from the
    focal organisation; 1 for focal nodes, 0 when unreachable), ``hops`` (relationships on that
    path, missing when unreachable) and ``via`` (first stakeholder after the organisation on it,
    missing for direct ties).

    >>> G = nx.Graph([("org", "a", {"strength": 0.9}), ("a", "b", {"strength": 0.9}),
    ...               ("org", "b", {"strength": 0.5}), ("c", "d", {"strength": 1.0})])
    >>> t = tie_strengths(G, ["org"]).set_index("id")
    >>> round(float(t.loc["b", "tie_strength"]), 2), int(t.loc["b", "hops"]), t.loc["b", "via"]
    (0.81, 2, 'a')
    >>> float(t.loc["c", "tie_strength"])
    0.0
    """
    focal = _focal_in(G, focal_ids)
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    rows, cols, costs = [], [], []
    for u, v, data in G.edges(data=True):
        cost = _cost(data)
        if u != v and math.isfinite(cost):
            rows.append(index[u])
            cols.append(index[v])
            costs.append(cost + _EPS)  # a sparse matrix drops zeros: keep strength-1 ties
    A = sp.csr_matrix((costs, (rows, cols)), shape=(len(nodes), len(nodes)))
    dist, pred, _ = csgraph.dijkstra(
        A,
        directed=False,
        indices=[index[f] for f in focal],
        min_only=True,
        return_predecessors=True,
    )
    hops = np.full(len(nodes), -1)
    via = np.full(len(nodes), -1)
    for i in np.argsort(dist, kind="stable"):  # predecessors come first (costs > 0)
        if not np.isfinite(dist[i]):
            break
        p = pred[i]
        if p < 0:  # a focal node
            hops[i] = 0
        else:
            hops[i] = hops[p] + 1
            via[i] = i if hops[p] == 0 else via[p]
    reach = np.isfinite(dist)
    frame = pd.DataFrame(
        {
            "id": pd.Series(nodes, dtype=object),
            "tie_strength": np.where(reach, np.exp(-np.where(reach, dist, 0.0)), 0.0),
            "hops": pd.array(np.where(reach, hops, 0), dtype="Int64"),
            "via": pd.Series(
                [nodes[j] if j >= 0 and h > 1 else None for j, h in zip(via, hops, strict=True)],
                dtype=object,
            ),
        }
    )
    frame.loc[~reach, "hops"] = pd.NA
    return frame


def warm_introductions(
    G: nx.Graph, focal_ids: Iterable[str], target: str, *, k: int = 5
) -> pd.DataFrame:
    """The ``k`` strongest paths from the focal organisation to ``target``, best first:
    ``rank``, ``strength`` (product), ``hops``, ``weakest`` (weakest relationship on the path),
    ``path`` (list of ids from the organisation to the target) and ``path_text`` (names joined
    by " → "). Empty when the target cannot be reached.

    >>> G = nx.Graph([("org", "a", {"strength": 0.9}), ("a", "t", {"strength": 0.9}),
    ...               ("org", "t", {"strength": 0.5}), ("org", "b", {"strength": 0.8}),
    ...               ("b", "t", {"strength": 0.7})])
    >>> w = warm_introductions(G, ["org"], "t")
    >>> [(r.path_text, round(r.strength, 2)) for r in w.itertuples()]
    [('org → a → t', 0.81), ('org → b → t', 0.56), ('org → t', 0.5)]
    """
    focal = _focal_in(G, focal_ids)
    if target not in G:
        raise MetricError(
            gettext("stakeholder {target!r} is not in the network").format(target=target)
        )
    if target in focal:
        raise MetricError(
            gettext("{target!r} is the focal organisation itself; pick another stakeholder").format(
                target=target
            )
        )
    if k < 1:
        raise MetricError(gettext("k must be at least 1, got {k}").format(k=k))
    view = usable(G)
    columns = ["rank", "strength", "hops", "weakest", "path", "path_text"]
    if len(focal) == 1:
        H, source = view, focal[0]
    else:  # one virtual source tied to every business unit at cost 0
        H = nx.Graph(view)
        source = FOCAL
        H.add_edges_from((source, f, {"strength": 1.0, "cost": 0.0}) for f in focal)
    if not nx.has_path(H, source, target):
        return pd.DataFrame(columns=columns)
    rows = []
    paths = nx.shortest_simple_paths(H, source, target, weight=lambda u, v, d: _cost(d))
    for rank, path in enumerate(islice(paths, k), start=1):
        if path[0] == FOCAL:
            path = path[1:]
        strengths = [
            float(H[u][v].get("strength", 0.0)) for u, v in zip(path, path[1:], strict=False)
        ]
        names = [str(G.nodes[n].get("name", n)) for n in path]
        rows.append(
            (
                rank,
                math.prod(strengths),
                len(path) - 1,
                min(strengths),
                list(path),
                " → ".join(names),
            )
        )
    return pd.DataFrame(rows, columns=columns)


def no_path_reason(G: nx.Graph, focal_ids: Iterable[str], target: str) -> str:
    """Why no warm introduction reaches ``target`` (for an empty :func:`warm_introductions`).

    >>> G = nx.Graph([("org", "a", {"strength": 0.5}), ("b", "c", {"strength": 0.5}),
    ...               ("org", "h", {"strength": -0.8})])
    >>> G.add_node("lone")
    >>> no_path_reason(G, ["org"], "lone")
    "'lone' has no relationships at all in the data"
    >>> no_path_reason(G, ["org"], "h")
    "'h' has only negative or zero-strength relationships: no introduction runs through distrust"
    >>> no_path_reason(G, ["org"], "b")
    "'b' is in a part of the network that no positive tie connects to the organisation (1 other stakeholder(s) there)"
    """
    if target not in G or G.degree(target) == 0:
        return f"{target!r} has no relationships at all in the data"
    view = usable(G)
    if view.degree(target) == 0:
        return (
            f"{target!r} has only negative or zero-strength relationships: no introduction "
            "runs through distrust"
        )
    part = nx.node_connected_component(view, target)
    if part & set(focal_ids):
        return f"{target!r} is reachable; there is a path"
    return (
        f"{target!r} is in a part of the network that no positive tie connects to the "
        f"organisation ({len(part) - 1} other stakeholder(s) there)"
    )
