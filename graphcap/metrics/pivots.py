"""When the path measures are exact and how many pivots they sample otherwise.

Betweenness (:mod:`graphcap.metrics.betweenness`), closeness and harmonic centrality
(:mod:`graphcap.metrics.closeness`) share this rule, and the lengths they run on
(:func:`_length`); the GDS engine (:mod:`graphcap.compute`) takes the same rule.

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

from typing import Literal

import numpy as np

from graphcap.errors import MetricError
from graphcap.graph.engine import EngineGraph
from graphcap.i18n import gettext

__all__ = [
    "DEFAULT_PIVOTS",
    "EXACT_WORK_LIMIT",
    "MIN_PIVOTS",
    "PIVOT_SCALE_TIES",
    "SAMPLING_ERROR",
    "pivot_count",
    "pivots_for",
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
