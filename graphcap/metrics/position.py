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

Where each measure lives
------------------------
This module holds degree and the k-core and re-exports the rest of the family: betweenness
(:mod:`graphcap.metrics.betweenness`), closeness and harmonic centrality
(:mod:`graphcap.metrics.closeness`), eigenvector centrality and PageRank
(:mod:`graphcap.metrics.spectral`), reach in two steps (:mod:`graphcap.metrics.reach`). When the
path measures are exact and how many pivots they sample otherwise: :mod:`graphcap.metrics.pivots`.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Literal

import networkx as nx
import numpy as np

from graphcap.graph.engine import EngineGraph, check_direction, engine_for
from graphcap.metrics.betweenness import betweenness, start_betweenness
from graphcap.metrics.closeness import closeness, harmonic, start_path_sums
from graphcap.metrics.pivots import (
    DEFAULT_PIVOTS,
    EXACT_WORK_LIMIT,
    SAMPLING_ERROR,
    pivot_count,
    pivots_for,
)
from graphcap.metrics.reach import reach2, reach2_array  # noqa: F401 - part of this family
from graphcap.metrics.spectral import eigenvector, pagerank

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

Scores = dict[Hashable, float]
Direction = Literal["all", "in", "out"]


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
