"""The fast engine behind the networkx-shaped metric functions.

The metric functions take and return what networkx takes and returns (a graph ``G``, dicts keyed
by node), and networkx stays the reference their results are tested against. The arithmetic runs
in igraph (C) and scipy on an :class:`EngineGraph`: the same graph as integer positions, edge
arrays and an ``igraph.Graph``. Plain networkx is 20-100x slower on the graphs graphcap sees
(docs/PERFORMANCE.md).

Conversion costs about as much as a fast measure, so it is done once per graph: the engine
remembers the :class:`EngineGraph` of every *frozen* graph (what :func:`graphcap.graph.projection
.to_weighted` returns, see :func:`networkx.freeze`) for as long as the graph lives. A graph that can
still change is converted on every call.

What the engine reads from ``G``: nodes in ``G``'s order, edges without self-loops (a stakeholder's
tie to itself says nothing about its position), and per edge the numeric attribute asked for
(missing means 1, as in networkx). Negative, NaN or infinite values raise
:class:`~graphcap.errors.MetricError`. Multigraphs are refused: merge parallel relationships
first (:func:`graphcap.graph.projection.to_weighted`).
"""

from __future__ import annotations

import random
import threading
import weakref
from collections.abc import Hashable, Sequence
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphcap.errors import MetricError
from graphcap.graph._igraph import ig
from graphcap.i18n import gettext

__all__ = ["EngineGraph", "check_direction", "engine_for", "register", "sample_positions"]

_CACHE: weakref.WeakKeyDictionary[nx.Graph, EngineGraph] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
# igraph draws random numbers from one process-wide generator; seeded runs take this lock.
RNG_LOCK = threading.Lock()


class EngineGraph:
    """``G`` as positions and arrays. ``nodes[i]`` is the node at position ``i``.

    ``src``/``dst`` hold each edge once (for undirected graphs in ``G.edges()`` order);
    :meth:`weights` gives an edge attribute as an array aligned with them.
    """

    def __init__(self, G: nx.Graph) -> None:
        if G.is_multigraph():
            raise MetricError(
                gettext(
                    "metrics need a simple graph; merge parallel relationships first with graphcap.graph.projection.to_weighted(network)"
                )
            )
        self.directed: bool = G.is_directed()
        self.nodes: list[Hashable] = list(G)
        self.index: dict[Hashable, int] = {v: i for i, v in enumerate(self.nodes)}
        index = self.index
        data = [(index[u], index[v], d) for u, v, d in G.edges(data=True) if u != v]
        self._data: list[Any] | None = [d for _, _, d in data]
        self.src = np.fromiter((u for u, _, _ in data), dtype=np.int64, count=len(data))
        self.dst = np.fromiter((v for _, v, _ in data), dtype=np.int64, count=len(data))
        self._weights: dict[str, np.ndarray] = {}
        self._ig: ig.Graph | None = None
        self._undirected: EngineGraph | None = None
        #: intermediate results shared between measures (e.g. pivot distance sums)
        self.memo: dict[tuple, Any] = {}

    @classmethod
    def from_arrays(
        cls,
        nodes: Sequence[Hashable],
        src: np.ndarray,
        dst: np.ndarray,
        *,
        directed: bool,
        weights: dict[str, np.ndarray] | None = None,
    ) -> EngineGraph:
        """An engine graph straight from positions (no networkx graph needed).

        ``weights`` are the edge attributes it knows; any other attribute reads as 1.0, as a
        missing attribute does in networkx. Self-loops must already be gone.
        """
        eg = cls.__new__(cls)
        eg.directed = directed
        eg.nodes = list(nodes)
        eg.index = {v: i for i, v in enumerate(eg.nodes)}
        eg.src = np.asarray(src, dtype=np.int64)
        eg.dst = np.asarray(dst, dtype=np.int64)
        eg._data = None
        eg._ig = None
        eg._undirected = None
        eg.memo = {}
        eg._weights = {
            k: eg._check(k, np.asarray(v, dtype=float)) for k, v in (weights or {}).items()
        }
        return eg

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def m(self) -> int:
        return len(self.src)

    def weights(self, key: str | None) -> np.ndarray | None:
        """Edge attribute ``key`` as floats (missing: 1.0); ``None`` for ``key=None``."""
        if key is None:
            return None
        if key not in self._weights:
            if self._data is None:  # built from arrays: an attribute it lacks reads as 1.0
                values = np.ones(self.m)
            else:
                values = np.fromiter(
                    (_number(d.get(key, 1.0), key) for d in self._data), dtype=float, count=self.m
                )
            self._weights[key] = self._check(key, values)
        return self._weights[key]

    def _check(self, key: str, values: np.ndarray) -> np.ndarray:
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise MetricError(
                gettext(
                    "edge attribute {key!r} must be a finite number >= 0; edge ({nodes!r}, {nodes2!r}) has {values!r}"
                ).format(
                    key=key,
                    nodes=self.nodes[self.src[i]],
                    nodes2=self.nodes[self.dst[i]],
                    values=values[i],
                )
            )
        return values

    def set_weights(self, key: str, values: np.ndarray) -> None:
        """Attach precomputed edge values (used when building from frames)."""
        self._weights[key] = np.asarray(values, dtype=float)

    @property
    def ig(self) -> ig.Graph:
        """The igraph twin (vertex ``i`` is ``nodes[i]``), built once."""
        if self._ig is None:
            edges = np.column_stack([self.src, self.dst]).tolist()
            self._ig = ig.Graph(n=self.n, edges=edges, directed=self.directed)
        return self._ig

    def ig_weights(self, key: str | None) -> str | None:
        """Name of the igraph edge attribute holding ``key`` (set on first use), or ``None``."""
        values = self.weights(key)
        if values is None:
            return None
        name = f"w:{key}"
        if name not in self.ig.es.attributes():
            self.ig.es[name] = values.tolist()
        return name

    def csr(self, key: str | None = None, *, symmetric: bool | None = None) -> sp.csr_matrix:
        """Adjacency matrix (row = source) with ``key`` values (1 if ``None``).

        Undirected graphs are symmetric; ``symmetric=True`` also symmetrises a directed graph
        by adding both directions (``A + A.T``).
        """
        values = self.weights(key)
        values = np.ones(self.m) if values is None else values
        both = (not self.directed) if symmetric is None else symmetric or not self.directed
        rows, cols = self.src, self.dst
        if both:
            rows, cols = np.r_[self.src, self.dst], np.r_[self.dst, self.src]
            values = np.r_[values, values]
        return sp.csr_matrix((values, (rows, cols)), shape=(self.n, self.n))

    def undirected(self) -> EngineGraph:
        """The same graph without direction; ties in both directions merged by summing values.

        Only edge attributes already read (via :meth:`weights`) are carried over.
        """
        if not self.directed:
            return self
        if self._undirected is None:
            lo, hi = np.minimum(self.src, self.dst), np.maximum(self.src, self.dst)
            pairs, inverse = np.unique(np.column_stack([lo, hi]), axis=0, return_inverse=True)
            inverse = inverse.ravel()
            twin = EngineGraph.from_arrays(
                self.nodes,
                pairs[:, 0],
                pairs[:, 1],
                directed=False,
                weights={
                    k: np.bincount(inverse, weights=v, minlength=len(pairs))
                    for k, v in self._weights.items()
                },
            )
            twin.index = self.index
            self._undirected = twin
        return self._undirected

    def id_rank(self) -> np.ndarray:
        """Each node's place among the nodes sorted by ``str(node)``: an order that does not
        depend on the order the network was read in (for results that must not either)."""
        key = ("id_rank",)
        if key not in self.memo:
            keys = np.array([str(v) for v in self.nodes], dtype=object)
            rank = np.empty(self.n, dtype=np.int64)
            rank[np.argsort(keys, kind="stable")] = np.arange(self.n)
            self.memo[key] = rank
        found: np.ndarray = self.memo[key]
        return found

    def to_dict(self, values: Sequence[float] | np.ndarray) -> dict[Hashable, float]:
        """``{node: float}`` in node order, as networkx returns centralities."""
        return {
            v: float(x) for v, x in zip(self.nodes, np.asarray(values, dtype=float), strict=True)
        }


def _number(value: Any, key: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def engine_for(G: nx.Graph, weight_keys: Sequence[str | None] = ()) -> EngineGraph:
    """The :class:`EngineGraph` of ``G`` (cached while ``G`` lives, if ``G`` is frozen).

    ``weight_keys`` are read (and checked) right away, so the undirected twin carries them.

    >>> G = nx.freeze(nx.Graph([("a", "b", {"weight": 0.5}), ("b", "b")]))
    >>> eg = engine_for(G, ["weight"])
    >>> eg.nodes, eg.m, eg.weights("weight").tolist(), engine_for(G) is eg
    (['a', 'b'], 1, [0.5], True)
    """
    if not isinstance(G, nx.Graph):
        raise MetricError(
            gettext("expected a networkx graph, got {name}").format(name=type(G).__name__)
        )
    eg: EngineGraph | None = None
    frozen = nx.is_frozen(G)
    if frozen:
        with _LOCK:
            eg = _CACHE.get(G)
    if eg is None:
        eg = EngineGraph(G)
        if frozen:
            with _LOCK:
                _CACHE[G] = eg
    for key in weight_keys:
        eg.weights(key)
    return eg


def register(G: nx.Graph, eg: EngineGraph) -> None:
    """Remember ``eg`` as the engine graph of the frozen graph ``G`` (the projection does this,
    so metrics on its graphs skip the conversion)."""
    if nx.is_frozen(G):
        with _LOCK:
            _CACHE[G] = eg


def check_direction(eg: EngineGraph, direction: str) -> str:
    """igraph's mode for a ``direction`` argument (``"all"`` on undirected graphs)."""
    if direction not in ("all", "in", "out"):
        raise MetricError(
            gettext("direction must be 'all', 'in' or 'out', got {direction!r}").format(
                direction=direction
            )
        )
    return direction if eg.directed else "all"


def sample_positions(n: int, k: int, seed: int | random.Random | None) -> list[int]:
    """``k`` distinct positions out of ``n``, drawn as networkx draws its pivots.

    ``random.Random(seed).sample(range(n), k)`` picks the same positions as networkx's
    ``seed.sample(list(G), k)``, so a sampled measure here and in networkx use the same sources.
    """
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    return sorted(rng.sample(range(n), min(k, n)))
