"""Closeness and harmonic centrality: how near a stakeholder is to those who can reach it,
both from one pass of shortest-path searches (scipy) from the pivots
(:mod:`graphcap.metrics.pivots`), shared by the two and startable in a forked child
(:func:`start_path_sums`, :mod:`graphcap.graph.sidecar`).

Part of the position family (:mod:`graphcap.metrics.position` re-exports the public names).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Literal

import networkx as nx
import numpy as np
import scipy.sparse.csgraph as csgraph

from graphcap.errors import MetricError
from graphcap.graph.engine import EngineGraph, engine_for, sample_positions
from graphcap.graph.sidecar import Sidecar
from graphcap.graph.sidecar import allowed as sidecar_allowed
from graphcap.metrics.pivots import _length, pivots_for

__all__ = [
    "closeness",
    "closeness_array",
    "harmonic",
    "harmonic_array",
    "start_path_sums",
]

Scores = dict[Hashable, float]


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
