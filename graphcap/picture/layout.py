"""Node positions for the network view: computed once per data version, reused by every filter.

A strategy team keeps its mental map of the network only if a stakeholder stays where it was when
a filter changes. So positions are computed for the *whole* network once (igraph's
Fruchterman-Reingold, which lays out 20k stakeholders in about 1.5 s on a 2-core machine where
networkx's spring layout needs minutes; docs/PERFORMANCE.md, Rendering) from a seeded start, and every filtered view draws the
subset of nodes at their global positions. Same data + same seed = same picture.

Coordinates are scaled so that the bulk of the drawing (95 % of the stakeholders) is about
``spacing`` pixels per stakeholder along each side, the scale vis-network draws comfortably with
dots of 8-40 px; stakeholders far outside (isolated ones) are pulled in to the rim.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["Positions", "compute_layout"]

#: stakeholder id -> (x, y) in vis-network pixels.
Positions = Mapping[str, tuple[float, float]]


def compute_layout(
    node_ids: Iterable[str],
    edges: pd.DataFrame | Sequence[tuple[str, str]] = (),
    *,
    weight: str | None = "strength",
    seed: int = 7,
    spacing: float = 90.0,
) -> dict[str, tuple[float, float]]:
    """Positions for ``node_ids`` from the ``edges`` between them (source/target columns).

    Stronger relationships pull their ends closer when ``weight`` is a column of ``edges``.
    Deterministic: the start positions come from ``numpy.random.default_rng(seed)`` and igraph's
    random generator is seeded for the call.

    >>> pos = compute_layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
    >>> sorted(pos) == ["a", "b", "c"] and pos == compute_layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
    True
    """
    import igraph as ig

    ids = [str(i) for i in dict.fromkeys(str(i) for i in node_ids)]
    n = len(ids)
    if n == 0:
        return {}
    if n == 1:
        return {ids[0]: (0.0, 0.0)}
    index = {node: k for k, node in enumerate(ids)}
    pairs, weights = _edge_pairs(edges, index, weight)
    graph = ig.Graph(n=n, edges=pairs, directed=False)
    rng = np.random.default_rng(seed)
    # Centred on the origin: igraph's grid (for large graphs) covers the area around 0, and
    # a start in [0, sqrt(n)) put most stakeholders in its border cells, which made the layout
    # of ~10k stakeholders 7x slower (14 s instead of 1.8 s, same quality: docs/PERFORMANCE.md).
    start = ((rng.random((n, 2)) - 0.5) * math.sqrt(n)).tolist()
    previous = random.getstate()
    ig.set_random_number_generator(random.Random(seed))
    try:
        layout = graph.layout_fruchterman_reingold(
            weights=weights if weights and len(weights) == len(pairs) else None,
            seed=start,
            niter=500 if n <= 2000 else 300 if n <= 10_000 else 150,
            grid="auto",
        )
    finally:
        ig.set_random_number_generator(random)
        random.setstate(previous)
    coords = np.asarray(layout.coords, dtype=float)
    coords -= np.median(coords, axis=0)
    # Scale by the bulk of the network, not by its farthest outlier (an isolated stakeholder or
    # a small disconnected group would otherwise shrink everything else), and pull outliers in.
    radius = np.hypot(coords[:, 0], coords[:, 1])
    bulk = float(np.quantile(radius, 0.95)) or float(radius.max()) or 1.0
    far = radius > 1.25 * bulk
    coords[far] *= (1.25 * bulk / radius[far])[:, None]
    coords *= (math.sqrt(n) * spacing / 2.0) / bulk
    return {
        node: (round(float(x), 1), round(float(y), 1))
        for node, (x, y) in zip(ids, coords, strict=True)
    }


def _edge_pairs(
    edges: pd.DataFrame | Sequence[tuple[str, str]],
    index: dict[str, int],
    weight: str | None,
) -> tuple[list[tuple[int, int]], list[float] | None]:
    if isinstance(edges, pd.DataFrame):
        if edges.empty:
            return [], None
        src = edges["source"].astype(str).map(index)
        dst = edges["target"].astype(str).map(index)
        keep = src.notna() & dst.notna() & (src != dst)
        pairs = list(zip(src[keep].astype(int), dst[keep].astype(int), strict=True))
        weights = None
        if weight and weight in edges.columns:
            w = pd.to_numeric(edges.loc[keep, weight], errors="coerce").fillna(0.5)
            weights = (0.2 + w.clip(0, 1)).astype(float).tolist()
        return pairs, weights
    pairs = [
        (index[str(a)], index[str(b)])
        for a, b in edges
        if str(a) in index and str(b) in index and str(a) != str(b)
    ]
    return pairs, None
