"""Reference graphs for the position/brokerage/community tests, built in code (networkx style).

Each graph carries ``weight`` (a strength in (0, 1]) and ``distance`` (``1/weight``) on every edge,
like :func:`graphcap.graph.projection.to_weighted` produces.
"""

from __future__ import annotations

import networkx as nx
import numpy as np


def _weigh(G: nx.Graph, seed: int) -> nx.Graph:
    rng = np.random.default_rng(seed)
    for _, _, d in G.edges(data=True):
        w = float(rng.uniform(0.05, 1.0))
        d["weight"] = w
        d["distance"] = 1.0 / w
    return G


def karate() -> nx.Graph:
    """Zachary's karate club: strength = interaction count / 7, distance = 8 - count.

    Integer distances make equal-length paths exactly equal in floating point, so networkx
    (which compares path lengths exactly) and igraph (with a tolerance) see the same ties.
    """
    G = nx.karate_club_graph()
    for _, _, d in G.edges(data=True):
        count = int(d["weight"])
        d["weight"] = count / 7.0
        d["distance"] = float(8 - count)
    return G


def florentine() -> nx.Graph:
    """Padgett's Florentine families (marriage ties), random strengths."""
    G = nx.florentine_families_graph()
    nx.set_edge_attributes(G, 1.0, "weight")
    return _weigh(G, 1)


def random_directed(n: int = 80, p: float = 0.06, seed: int = 3) -> nx.DiGraph:
    """A random weighted directed graph plus a detached pair and an isolated node."""
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    G.add_edge(n, n + 1)
    G.add_node(n + 2)
    nx.set_edge_attributes(G, 1.0, "weight")
    return _weigh(G, seed)


def disconnected() -> nx.Graph:
    """Two components of different density plus an isolated stakeholder, random strengths."""
    G = nx.disjoint_union(nx.gnm_random_graph(30, 70, seed=5), nx.cycle_graph(6))
    G.add_node("isolated")
    nx.set_edge_attributes(G, 1.0, "weight")
    return _weigh(G, 5)


def stakeholder_like(n: int = 3000, seed: int = 0, directed: bool = False) -> nx.Graph:
    """A focal organisation tied to 40% of the nodes plus preferential-attachment ties among the
    rest (about 5 ties per node), random strengths: the shape graphcap sees."""
    rng = np.random.default_rng(seed)
    ba = nx.barabasi_albert_graph(n, 2, seed=seed)
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(n))
    for u, v in ba.edges():
        if rng.random() < 0.5:
            u, v = v, u
        G.add_edge(int(u), int(v))
    for v in rng.choice(np.arange(1, n), size=int(0.4 * n), replace=False):
        G.add_edge(int(v), 0)
    nx.set_edge_attributes(G, 1.0, "weight")
    return _weigh(G, seed)


ALL = {
    "karate": karate,
    "florentine": florentine,
    "random_directed": random_directed,
    "disconnected": disconnected,
}
