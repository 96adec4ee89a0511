"""Betweenness centrality: the share of shortest paths between others that run through a
stakeholder, exact or from sampled pivots (:mod:`graphcap.metrics.pivots`), computed by igraph;
:func:`start_betweenness` starts it in a forked child (:mod:`graphcap.graph.sidecar`).

Part of the position family (:mod:`graphcap.metrics.position` re-exports the public names).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Literal

import networkx as nx
import numpy as np

from graphcap.errors import MetricError
from graphcap.graph.engine import EngineGraph, engine_for, sample_positions
from graphcap.graph.sidecar import Sidecar
from graphcap.graph.sidecar import allowed as sidecar_allowed
from graphcap.metrics.pivots import _length, pivots_for

__all__ = ["betweenness", "betweenness_array", "start_betweenness"]

Scores = dict[Hashable, float]


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
    (see :mod:`graphcap.metrics.pivots`); ``k=None`` forces exact, an integer forces that many
    pivots.

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
