"""Network position: who is central, who is well placed, who can reach whom.

Every function takes a networkx graph ``G`` (normally :func:`graphcap.graph.projection.to_weighted`)
and returns ``{node: float}`` like the networkx function of the same definition, which is the
reference the tests hold it to. The work runs in igraph/scipy (:mod:`graphcap.graph.engine`).
Self-loops are ignored everywhere (networkx counts them in degree and core number).

Which edge attribute to pass
----------------------------
Volume-like measures (degree, eigenvector, PageRank) take ``weight="weight"`` (strength: more is
stronger). Path measures (betweenness, closeness, harmonic) take a *length*: ``"distance"``
(``1/strength``), so a path over strong ties is short.

Exact or sampled
----------------
Betweenness, closeness and harmonic centrality need a shortest-path search from every node,
``O(n*m)``. Up to :data:`EXACT_WORK_LIMIT` (nodes x edges = 10 million, about 1,500 stakeholders
with 6,000 relationships) they are exact. Above it (or with an explicit ``k``) they use ``k``
random source nodes (pivots, :data:`DEFAULT_PIVOTS`), drawn from ``seed`` exactly as networkx
draws them, so sampled betweenness equals ``nx.betweenness_centrality(G, k=k, seed=seed)``.
Closeness and harmonic centrality come from one pass of shortest-path searches (scipy) from the
pivots, shared by both: exact when every node is a pivot, otherwise each node's sums are
estimated from the pivots' distances (Eppstein-Wang). Error of the default 256 pivots, measured on 3,000-node stakeholder-like graphs
(4 graphs x 4-5 seeds, weighted): the largest error of any node's score was 5.3% of the top score
on undirected graphs and 14.6% on directed ones (a node reached by few others is estimated from
few pivots); :data:`SAMPLING_ERROR` states 6% and 20%, and the tests assert it. Above
:data:`PIVOT_SCALE_TIES` ties (a million) the pivots shrink with the ties
(:func:`pivot_count`: 51 at five million, at least :data:`MIN_PIVOTS`), so the error there is
larger than stated (roughly with ``1/sqrt(pivots)``); the analysis reports how many pivots of
how many stakeholders it used, and the seed.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import Literal

import networkx as nx
import numpy as np
import scipy.sparse.csgraph as csgraph

from graphcap.errors import MetricError
from graphcap.graph._igraph import ig
from graphcap.graph.engine import (
    RNG_LOCK,
    EngineGraph,
    check_direction,
    engine_for,
    sample_positions,
)
from graphcap.graph.sidecar import Sidecar
from graphcap.graph.sidecar import allowed as sidecar_allowed
from graphcap.i18n import gettext
from graphcap.metrics.reach import reach2, reach2_array  # noqa: F401 - part of this family

__all__ = [
    "DEFAULT_PIVOTS",
    "EXACT_WORK_LIMIT",
    "SAMPLING_ERROR",
    "betweenness",
    "closeness",
    "core_number",
    "degree",
    "eigenvector",
    "harmonic",
    "pagerank",
    "pivot_count",
    "pivots_for",
    "reach2",
    "start_betweenness",
    "start_path_sums",
]

#: nodes x edges up to which path measures are exact.
EXACT_WORK_LIMIT = 10_000_000
#: Pivots (source nodes) of the sampled path measures.
DEFAULT_PIVOTS = 256
#: Ties up to which the sampled path measures use DEFAULT_PIVOTS; above, fewer pivots
#: (:func:`pivot_count`): a pivot costs one shortest-path search over every tie, so the work
#: stays at about DEFAULT_PIVOTS searches of PIVOT_SCALE_TIES ties (minutes, not hours, at
#: five million ties), never below MIN_PIVOTS.
PIVOT_SCALE_TIES = 1_000_000
MIN_PIVOTS = 32
#: Stated error of sampled betweenness, closeness and harmonic centrality with DEFAULT_PIVOTS:
#: the largest |estimate - exact| over all nodes, as a share of the largest exact score.
SAMPLING_ERROR = {"undirected": 0.06, "directed": 0.20}

Scores = dict[Hashable, float]
Direction = Literal["all", "in", "out"]


def pivot_count(nodes: int, ties: int) -> int | None:
    """The pivots of the sampled path measures for a graph of this size, or ``None`` for exact:
    exact up to :data:`EXACT_WORK_LIMIT` (nodes x ties), :data:`DEFAULT_PIVOTS` up to
    :data:`PIVOT_SCALE_TIES` ties, above that ``DEFAULT_PIVOTS * PIVOT_SCALE_TIES / ties``
    (at least :data:`MIN_PIVOTS`). Both engines take this rule.

    >>> pivot_count(1_000, 5_000), pivot_count(10_000, 16_000), pivot_count(1_000_000, 5_000_000)
    (None, 256, 51)
    """
    if nodes * max(ties, 1) <= EXACT_WORK_LIMIT:
        return None
    if ties <= PIVOT_SCALE_TIES:
        return DEFAULT_PIVOTS
    return max(MIN_PIVOTS, DEFAULT_PIVOTS * PIVOT_SCALE_TIES // ties)


def pivots_for(eg: EngineGraph, k: int | Literal["auto"] | None) -> int | None:
    """The number of pivots to use, or ``None`` for exact."""
    if k is None:
        return None
    if k == "auto":
        return pivot_count(eg.n, eg.m)
    if not isinstance(k, int) or k < 1:
        raise MetricError(
            gettext("k (number of pivots) must be a positive whole number, got {k!r}").format(k=k)
        )
    return None if k >= eg.n else k


def _length(eg: EngineGraph, distance: str | None) -> np.ndarray | None:
    values = eg.weights(distance)
    if values is not None and (values == 0).any():
        i = int(np.flatnonzero(values == 0)[0])
        raise MetricError(
            gettext(
                "edge ({nodes!r}, {nodes2!r}) has {distance!r} 0: a path measure needs lengths > 0; use the projection's 'distance' (1/strength, >= 1)"
            ).format(nodes=eg.nodes[eg.src[i]], nodes2=eg.nodes[eg.dst[i]], distance=distance)
        )
    return values


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


def degree(G: nx.Graph, *, weight: str | None = None, direction: Direction = "all") -> Scores:
    """Number of ties (or their summed ``weight``): how many stakeholders one deals with directly.

    ``direction`` counts incoming (``"in"``), outgoing (``"out"``) or all ties of a directed
    graph. With ``weight="weight"`` (strength) a stakeholder with few strong ties can outweigh
    one with many weak ones. Same as ``G.degree(weight=...)`` without self-loops.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b", {"weight": 0.5}), ("c", "b", {"weight": 0.25})])
    >>> degree(G, direction="in")
    {'a': 0.0, 'b': 2.0, 'c': 0.0}
    >>> degree(G, weight="weight")
    {'a': 0.5, 'b': 0.75, 'c': 0.25}
    """
    eg = engine_for(G)
    return eg.to_dict(degree_array(eg, weight=weight, direction=direction))


def degree_array(
    eg: EngineGraph, *, weight: str | None = None, direction: Direction = "all"
) -> np.ndarray:
    """Array form of :func:`degree` (positions of ``eg.nodes``)."""
    mode = check_direction(eg, direction)
    w = eg.weights(weight)
    out = np.zeros(eg.n)
    if mode in ("all", "out"):
        out += np.bincount(eg.src, weights=w, minlength=eg.n)
    if mode in ("all", "in"):
        out += np.bincount(eg.dst, weights=w, minlength=eg.n)
    return np.asarray(out)


def betweenness(
    G: nx.Graph,
    *,
    weight: str | None = None,
    k: int | Literal["auto"] | None = "auto",
    seed: int | None = 0,
    normalized: bool = True,
) -> Scores:
    """Share of shortest paths between other stakeholders that run through a stakeholder.

    High betweenness marks brokers and gatekeepers: information, introductions and deals between
    otherwise distant parts of the network pass through them; losing them lengthens many paths.
    ``weight`` is a length (``"distance"``). Normalised as networkx does (by ``(n-1)(n-2)`` ordered
    pairs), so values lie in [0, 1]. Exact up to :data:`EXACT_WORK_LIMIT`, else ``k`` pivots
    (see the module docstring); ``k=None`` forces exact, an integer forces that many pivots.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> betweenness(G)
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    >>> Gk = nx.karate_club_graph()
    >>> b = betweenness(Gk, k=10, seed=1)
    >>> ref = nx.betweenness_centrality(Gk, k=10, seed=1)
    >>> max(abs(b[v] - ref[v]) for v in Gk) < 1e-9
    True
    """
    eg = engine_for(G)
    return eg.to_dict(betweenness_array(eg, weight=weight, k=k, seed=seed, normalized=normalized))


def betweenness_array(
    eg: EngineGraph,
    *,
    weight: str | None = None,
    k: int | Literal["auto"] | None = "auto",
    seed: int | None = 0,
    normalized: bool = True,
) -> np.ndarray:
    """Array form of :func:`betweenness` (positions of ``eg.nodes``); the result of
    :func:`start_betweenness` with the same arguments when one was started."""
    started = eg.memo.pop(("betweenness", weight, k, seed, normalized), None)
    if isinstance(started, Sidecar):
        return started.result()
    return _betweenness_array(eg, weight=weight, k=k, seed=seed, normalized=normalized)


def start_betweenness(
    eg: EngineGraph,
    *,
    weight: str | None = None,
    k: int | Literal["auto"] | None = "auto",
    seed: int | None = 0,
    normalized: bool = True,
) -> bool:
    """Start :func:`betweenness_array` in a forked child where :mod:`graphcap.graph.sidecar`
    allows it (nothing happens elsewhere); the next call of :func:`betweenness_array` with the
    same arguments takes the child's array, the same numbers to the last bit. True when a
    child was started.

    >>> from graphcap.graph.sidecar import sidecars
    >>> eg = engine_for(nx.path_graph(5))
    >>> with sidecars(busy_too=True):  # True where a child was forked: a single thread
    ...     _ = start_betweenness(eg, k=None)
    >>> betweenness_array(eg, k=None).tolist()
    [0.0, 0.5, 0.6666666666666666, 0.5, 0.0]
    """
    if not sidecar_allowed():
        return False
    try:  # the igraph graph and its weights, built here once for both processes
        if _length(eg, weight) is not None:
            eg.ig_weights(weight)
        _ = eg.ig
    except MetricError:
        return False  # raised where the measure runs, as without a child

    def work() -> np.ndarray:
        return _betweenness_array(eg, weight=weight, k=k, seed=seed, normalized=normalized)

    eg.memo[("betweenness", weight, k, seed, normalized)] = Sidecar(work)
    return True


def _betweenness_array(
    eg: EngineGraph,
    *,
    weight: str | None,
    k: int | Literal["auto"] | None,
    seed: int | None,
    normalized: bool,
) -> np.ndarray:
    length = _length(eg, weight)
    n = eg.n
    if n <= 2 or eg.m == 0:
        return np.zeros(n)
    wname = eg.ig_weights(weight) if length is not None else None
    k_used = pivots_for(eg, k)
    if k_used is None:
        raw = np.asarray(eg.ig.betweenness(directed=True, weights=wname), dtype=float)
        if not eg.directed:
            raw *= 2.0  # igraph counts unordered pairs, networkx ordered ones
        scale_src = scale_other = (
            1.0 / ((n - 1) * (n - 2)) if normalized else (1.0 if eg.directed else 0.5)
        )
    else:
        sources = sample_positions(n, k_used, seed)
        raw = np.asarray(
            eg.ig.betweenness(directed=True, weights=wname, sources=sources), dtype=float
        )
        if not eg.directed:
            raw *= 2.0
        is_src = np.zeros(n, dtype=bool)
        is_src[sources] = True
        corr = 1.0 if eg.directed else 2.0
        if k_used == 1:
            scale_src = 0.0  # a lone pivot says nothing about itself (networkx: NaN)
        else:
            scale_src = (
                1.0 / ((k_used - 1) * (n - 2)) if normalized else ((n - 1) / ((k_used - 1) * corr))
            )
        scale_other = 1.0 / (k_used * (n - 2)) if normalized else (n - 1) / (k_used * corr)
        return np.asarray(np.where(is_src, raw * scale_src, raw * scale_other))
    return np.asarray(raw * scale_src)


def _pivot_distances(eg: EngineGraph, distance: str | None, sources: list[int]):
    """Distances from each pivot to every node, yielded in blocks of pivots (rows)."""
    length = _length(eg, distance)
    A = eg.csr(distance)
    block = max(1, 4_000_000 // max(eg.n, 1))
    for start in range(0, len(sources), block):
        idx = sources[start : start + block]
        yield (
            np.asarray(idx),
            csgraph.dijkstra(A, directed=eg.directed, indices=idx, unweighted=length is None),
        )


def _path_sums(eg: EngineGraph, distance: str | None, k_used: int, seed: int | None):
    """For each node v: (count of pivots reaching v, sum of their distances, sum of 1/d, k_v).

    Kept on the engine graph, so closeness and harmonic share one pass over the pivots.
    """
    key = ("path_sums", distance, k_used, seed)
    got = eg.memo.get(key)
    if isinstance(got, Sidecar):  # started by start_path_sums: the child's four arrays
        got = tuple(np.split(got.result(), 4))
    elif got is None:
        got = _compute_path_sums(eg, distance, k_used, seed)
    eg.memo[key] = got
    return got


def start_path_sums(
    eg: EngineGraph,
    *,
    distance: str | None = None,
    k: int | Literal["auto"] | None = "auto",
    seed: int | None = 0,
) -> bool:
    """Start the pivot searches that closeness and harmonic centrality share, in a forked child
    where :mod:`graphcap.graph.sidecar` allows it (like :func:`start_betweenness`); True when
    a child was started.

    >>> from graphcap.graph.sidecar import sidecars
    >>> eg = engine_for(nx.path_graph(4))
    >>> with sidecars(busy_too=True):  # True where a child was forked: a single thread
    ...     _ = start_path_sums(eg, k=None)
    >>> harmonic_array(eg, k=None).tolist()
    [1.8333333333333333, 2.5, 2.5, 1.8333333333333333]
    """
    if not sidecar_allowed() or eg.n <= 1:
        return False
    try:
        k_used = pivots_for(eg, k) or eg.n
    except MetricError:
        return False  # raised where the measure runs, as without a child
    key = ("path_sums", distance, k_used, seed)
    if key in eg.memo:
        return False

    def work() -> np.ndarray:
        return np.concatenate(_compute_path_sums(eg, distance, k_used, seed))

    eg.memo[key] = Sidecar(work)
    return True


def _compute_path_sums(eg: EngineGraph, distance: str | None, k_used: int, seed: int | None):
    sources = sample_positions(eg.n, k_used, seed)
    count = np.zeros(eg.n)
    total = np.zeros(eg.n)
    inverse = np.zeros(eg.n)
    for idx, dist in _pivot_distances(eg, distance, sources):
        dist[np.arange(len(idx)), idx] = np.inf  # a pivot's distance to itself does not count
        finite = np.isfinite(dist)
        count += finite.sum(axis=0)
        total += np.where(finite, dist, 0.0).sum(axis=0)
        with np.errstate(divide="ignore"):
            inverse += np.where(finite, 1.0 / dist, 0.0).sum(axis=0)
    k_v = np.full(eg.n, float(len(sources)))
    k_v[sources] -= 1
    return count, total, inverse, np.maximum(k_v, 1.0)


def closeness(
    G: nx.Graph,
    *,
    distance: str | None = None,
    k: int | Literal["auto"] | None = "auto",
    seed: int | None = 0,
) -> Scores:
    """How close a stakeholder is to all others it can be reached from (Wasserman-Faust).

    High closeness: the stakeholder hears things early and can be reached quickly through the
    network. ``(r-1)/(n-1) * (r-1)/sum(d)`` with ``r`` the number of stakeholders that can reach it
    (itself included) and ``d`` their distances: the networkx definition with ``wf_improved``,
    incoming distances on directed graphs, 0 for a stakeholder nobody reaches. Sampled above the
    size limit: ``c**2 / (k_v * D)`` from the ``c`` pivots that reach it at total distance ``D``.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> G.add_node("lonely")
    >>> {v: round(x, 4) for v, x in closeness(G).items()}
    {'a': 0.4444, 'b': 0.6667, 'c': 0.4444, 'lonely': 0.0}
    """
    eg = engine_for(G)
    return eg.to_dict(closeness_array(eg, distance=distance, k=k, seed=seed))


def closeness_array(
    eg: EngineGraph,
    *,
    distance: str | None = None,
    k: int | Literal["auto"] | None = "auto",
    seed: int | None = 0,
) -> np.ndarray:
    """Array form of :func:`closeness` (positions of ``eg.nodes``)."""
    if eg.n <= 1:
        return np.zeros(eg.n)
    k_used = pivots_for(eg, k) or eg.n  # exact: every node is a pivot
    count, total, _, k_v = _path_sums(eg, distance, k_used, seed)
    with np.errstate(divide="ignore", invalid="ignore"):
        est = np.where(total > 0, count * count / (k_v * total), 0.0)
    return np.asarray(est)


def harmonic(
    G: nx.Graph,
    *,
    distance: str | None = None,
    k: int | Literal["auto"] | None = "auto",
    seed: int | None = 0,
) -> Scores:
    """Sum of ``1/d`` over the stakeholders that can reach this one (networkx definition).

    Like closeness but well defined when the network falls apart: an unreachable stakeholder
    adds 0 instead of an infinite distance. Not normalised (divide by ``n-1`` for [0, 1]).
    Sampled above the size limit: ``(n-1)/k_v`` times the sum over pivots.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> harmonic(G)
    {'a': 1.5, 'b': 2.0, 'c': 1.5}
    """
    eg = engine_for(G)
    return eg.to_dict(harmonic_array(eg, distance=distance, k=k, seed=seed))


def harmonic_array(
    eg: EngineGraph,
    *,
    distance: str | None = None,
    k: int | Literal["auto"] | None = "auto",
    seed: int | None = 0,
) -> np.ndarray:
    """Array form of :func:`harmonic` (positions of ``eg.nodes``)."""
    if eg.n <= 1:
        return np.zeros(eg.n)
    k_used = pivots_for(eg, k) or eg.n  # exact: every node is a pivot
    _, _, inverse, k_v = _path_sums(eg, distance, k_used, seed)
    return np.asarray(inverse * (eg.n - 1) / k_v)


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


def core_number(G: nx.Graph) -> Scores:
    """k-core number: the largest ``k`` such that the stakeholder sits in a group where everyone
    has at least ``k`` ties inside the group. High values mark the densely knit core of the
    network, low values its periphery. Directed graphs count ties in both directions (networkx).

    Examples
    --------
    >>> G = nx.complete_graph(4)
    >>> G.add_edge(3, 4)
    >>> core_number(G)
    {0: 3.0, 1: 3.0, 2: 3.0, 3: 3.0, 4: 1.0}
    """
    eg = engine_for(G)
    return eg.to_dict(core_number_array(eg))


def core_number_array(eg: EngineGraph) -> np.ndarray:
    """Array form of :func:`core_number` (positions of ``eg.nodes``)."""
    return np.asarray(eg.ig.coreness(mode="all"), dtype=float)
