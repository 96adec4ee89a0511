"""Eigenvector centrality and PageRank: the measures igraph computes with ARPACK, on a
canonical order of the graph and from a fixed start, so the same network gives the same
numbers to the last bit whatever order it was read in.

Part of the position family (:mod:`graphcap.metrics.position` re-exports the public names).
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Hashable, Iterator
from contextlib import contextmanager

import networkx as nx
import numpy as np

from graphcap.errors import MetricError
from graphcap.graph._igraph import ig
from graphcap.graph.engine import RNG_LOCK, EngineGraph, engine_for
from graphcap.i18n import gettext

__all__ = ["eigenvector", "eigenvector_array", "pagerank", "pagerank_array"]

Scores = dict[Hashable, float]

#: Seed of the start vector igraph's ARPACK draws for PageRank and eigenvector centrality.
ARPACK_SEED = 0

#: igraph's warnings on disconnected and on acyclic graphs, which eigenvector_array handles.
#: Ignored for the whole process from import on: ``warnings.catch_warnings`` around the call
#: alone is not thread-safe (a thread leaving its own ``catch_warnings`` restores the filters
#: it saved, so the warning was printed when the analysis ran beside the network read).
_IGRAPH_NOTICES = (
    r"Some eigenvector centralities are nearly zero",
    r"Graph is directed and acyclic; returning eigenvector centralities",
)
for _message in _IGRAPH_NOTICES:
    warnings.filterwarnings("ignore", message=_message, category=RuntimeWarning)


@contextmanager
def _arpack_rng() -> Iterator[None]:
    """igraph's random numbers from a fresh ``random.Random(ARPACK_SEED)`` for one call.

    ARPACK starts its iteration from a random vector drawn from igraph's process-wide
    generator (Python's ``random`` module), so two runs on the same graph differed in the last
    bits (enough to swap near-tied percentile ranks). A fixed start makes them identical."""
    with RNG_LOCK:
        ig.set_random_number_generator(random.Random(ARPACK_SEED))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


def _canonical_ig(eg: EngineGraph, weight: str | None) -> tuple[ig.Graph, str | None, np.ndarray]:
    """``eg`` as an igraph graph in a canonical order, for the ARPACK measures.

    Vertices are sorted by ``str(node)`` and edges by their (sorted) ends, so the same network
    read in another row order gives the same matrix, visited in the same order: with
    :func:`_arpack_rng` the results are identical to the last bit. Returns the graph, the name
    of its ``weight`` attribute (``None`` unweighted) and ``rank``: the canonical position of
    each node of ``eg`` (``values[rank]`` puts canonical results back in ``eg``'s order).
    Built once per engine graph and weight (``eg.memo``).
    """
    key = ("canonical_ig", weight)
    if key not in eg.memo:
        rank = eg.id_rank()
        src, dst = rank[eg.src], rank[eg.dst]
        if not eg.directed:
            src, dst = np.minimum(src, dst), np.maximum(src, dst)
        edges = np.lexsort((dst, src))
        graph = ig.Graph(
            n=eg.n, edges=np.column_stack([src[edges], dst[edges]]).tolist(), directed=eg.directed
        )
        values = eg.weights(weight)
        wname = None
        if values is not None:
            wname = "weight"
            graph.es[wname] = values[edges].tolist()
        eg.memo[key] = (graph, wname, rank)
    graph, wname, rank = eg.memo[key]
    return graph, wname, rank


def eigenvector(G: nx.Graph, *, weight: str | None = None) -> Scores:
    """Centrality from being tied to central stakeholders (principal eigenvector, L2 norm 1).

    A stakeholder scores high when its contacts are themselves well connected: influence through
    the influential. Directed graphs count incoming ties (as networkx). Same values as
    ``nx.eigenvector_centrality`` run to convergence. On a disconnected network only the part with
    the largest eigenvalue scores above 0; use PageRank to compare across parts. A graph without
    ties gives every stakeholder ``1/sqrt(n)``; a directed graph without cycles has no such
    centrality (:class:`~graphcap.errors.MetricError`). Computed by ARPACK in igraph.

    Examples
    --------
    >>> G = nx.star_graph(3)
    >>> {v: round(x, 4) for v, x in eigenvector(G).items()}
    {0: 0.7071, 1: 0.4082, 2: 0.4082, 3: 0.4082}
    """
    eg = engine_for(G)
    return eg.to_dict(eigenvector_array(eg, weight=weight))


def eigenvector_array(eg: EngineGraph, *, weight: str | None = None) -> np.ndarray:
    """Array form of :func:`eigenvector` (positions of ``eg.nodes``)."""
    if eg.n == 0:
        return np.zeros(0)
    w = eg.weights(weight)
    if eg.m == 0 or (w is not None and not (w > 0).any()):
        return np.full(eg.n, 1.0 / np.sqrt(eg.n))
    graph, wname, rank = _canonical_ig(eg, weight)
    with _arpack_rng(), warnings.catch_warnings():
        # see _IGRAPH_NOTICES: the process-wide filters hold when threads race; this one holds
        # where a caller puts its own filters first (pytest's "error")
        warnings.simplefilter("ignore", RuntimeWarning)
        vec, value = graph.eigenvector_centrality(
            directed=True, weights=wname, return_eigenvalue=True
        )
    x = np.abs(np.asarray(vec, dtype=float))  # canonical order, also for the norm's sum
    norm = np.linalg.norm(x)
    if not value > 1e-9 or not norm > 0 or not np.isfinite(x).all():
        raise MetricError(
            gettext(
                "eigenvector centrality is undefined here (a directed network without cycles); use PageRank or the undirected view (to_weighted(network, directed=False))"
            )
        )
    return (x / norm)[rank]


def pagerank(G: nx.Graph, *, weight: str | None = None, alpha: float = 0.85) -> Scores:
    """PageRank: the share of attention a random walk along ties spends at each stakeholder.

    Like eigenvector centrality (ties from important stakeholders count more) but defined on any
    network: with probability ``1-alpha`` the walk jumps to a random stakeholder, and stakeholders
    without outgoing ties pass it on uniformly (networkx's default). Sums to 1.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "c"), ("b", "c")])
    >>> pr = pagerank(G)
    >>> ref = nx.pagerank(G, tol=1e-12)
    >>> max(abs(pr[v] - ref[v]) for v in G) < 1e-9
    True
    """
    eg = engine_for(G)
    return eg.to_dict(pagerank_array(eg, weight=weight, alpha=alpha))


def pagerank_array(
    eg: EngineGraph, *, weight: str | None = None, alpha: float = 0.85
) -> np.ndarray:
    """Array form of :func:`pagerank` (positions of ``eg.nodes``)."""
    if eg.n == 0:
        return np.zeros(0)
    if not 0 < alpha < 1:
        raise MetricError(
            gettext("alpha (damping) must be between 0 and 1, got {alpha}").format(alpha=alpha)
        )
    if eg.m == 0:
        return np.full(eg.n, 1.0 / eg.n)
    graph, wname, rank = _canonical_ig(eg, weight)
    with _arpack_rng():
        values = graph.pagerank(
            directed=True, damping=alpha, weights=wname, implementation="arpack"
        )
    x = np.asarray(values, dtype=float)  # canonical order, also for the sum
    return np.asarray(x / x.sum())[rank]
