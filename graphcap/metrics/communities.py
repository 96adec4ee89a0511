"""Communities: groups of stakeholders more tied to each other than to the rest.

What a strategy team reads here
-------------------------------
Communities show the clusters the organisation's network falls into (a regional dealer scene, a
supplier ecosystem, a regulatory circle) and, through :func:`composition`, what each is made of.
A community mixing customers, partners and an agency is a place where influence travels; one of
customers only is a market segment the organisation reaches directly.

How it is computed
------------------
Modularity optimisation in igraph by the Leiden algorithm (Traag et al. 2019) with the modularity
objective: Louvain's local moving and aggregation (Blondel et al. 2008) plus a refinement step
that guarantees connected communities, and faster than igraph's Louvain (``multilevel``) at the
same or higher modularity. It runs on the undirected view of the graph (tie weights in both
directions added), with edge ``weight`` (strength by default) and ``resolution`` (above 1: more,
smaller communities). It visits nodes in random order, so ``seed`` fixes the outcome: the same
graph and seed give the same communities. :func:`leiden` is the function; ``louvain`` stays as a
deprecated alias of it for code written against the first version. Community ids are
numbered by size (0 = largest), ties broken by the order of their first node in ``G``.
``modularity`` is Newman's weighted modularity of a partition (networkx's definition).
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from graphcap.errors import MetricError
from graphcap.graph._igraph import ig
from graphcap.graph.engine import RNG_LOCK, EngineGraph, engine_for
from graphcap.i18n import gettext as _

__all__ = ["composition", "leiden", "louvain", "modularity", "renumber"]


def _view(G: nx.Graph, weight: str | None) -> tuple[EngineGraph, str | None]:
    twin = engine_for(G, [weight] if weight else []).undirected()
    return twin, twin.ig_weights(weight) if weight else None


#: Leiden iterations (each one a full pass of moving, refinement and aggregation).
LEIDEN_ITERATIONS = 1


def leiden(
    G: nx.Graph, *, weight: str | None = "weight", resolution: float = 1.0, seed: int = 0
) -> dict[Hashable, int]:
    """Community id of every stakeholder (Leiden on modularity, seeded, ids numbered by size).

    Examples
    --------
    >>> G = nx.barbell_graph(4, 0)  # two cliques joined by one tie
    >>> leiden(G, weight=None)
    {0: 0, 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1, 7: 1}
    """
    eg = engine_for(G)
    labels = leiden_array(eg, weight=weight, resolution=resolution, seed=seed)
    return dict(zip(eg.nodes, labels.tolist(), strict=True))


def leiden_array(
    eg: EngineGraph, *, weight: str | None = "weight", resolution: float = 1.0, seed: int = 0
) -> np.ndarray:
    """Array form of :func:`leiden` (community ids at the positions of ``eg.nodes``)."""
    if not resolution > 0:
        raise MetricError(
            _("resolution must be positive, got {resolution}").format(resolution=resolution)
        )
    if weight:
        eg.weights(weight)
    twin = eg.undirected()
    wname = twin.ig_weights(weight) if weight else None
    if twin.m == 0:
        return np.arange(twin.n)
    with RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            # Leiden on the modularity objective: Louvain's local moving and aggregation plus a
            # refinement step that keeps every community connected. One iteration gives the
            # modularity of networkit's PLM at 100k/500k in 1.8x its time (multilevel: 5.8x);
            # see the Metrics section of docs/PERFORMANCE.md.
            membership = twin.ig.community_leiden(
                objective_function="modularity",
                weights=wname,
                resolution=resolution,
                n_iterations=LEIDEN_ITERATIONS,
            )
        finally:
            ig.set_random_number_generator(random)
    return renumber(np.asarray(membership.membership))


def renumber(labels: np.ndarray) -> np.ndarray:
    """Ids 0..k-1 by descending size, ties by first appearance."""
    uniq, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))
    new_id = np.empty(len(uniq), dtype=np.int64)
    new_id[order] = np.arange(len(uniq))
    return new_id[np.searchsorted(uniq, labels)]


def modularity(
    G: nx.Graph,
    communities: Mapping[Hashable, Hashable],
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
) -> float:
    """Newman modularity of a partition: share of tie weight inside communities minus the share
    expected by chance. Around 0.3 and above marks clear community structure; 0 for a graph
    without ties. Equals ``nx.community.modularity`` on the undirected graph.

    Examples
    --------
    >>> G = nx.barbell_graph(4, 0)
    >>> round(modularity(G, leiden(G, weight=None), weight=None), 4)
    0.4231
    """
    twin, wname = _view(G, weight)
    missing = [v for v in twin.nodes if v not in communities]
    if missing:
        raise MetricError(
            _("{n_missing} stakeholder(s) have no community, e.g. {missing!r}").format(
                n_missing=len(missing), missing=missing[:3]
            )
        )
    if twin.m == 0:
        return 0.0
    w = twin.weights(weight) if weight else None
    if w is not None and not w.sum() > 0:
        return 0.0
    codes = pd.factorize(pd.Series([communities[v] for v in twin.nodes], dtype=object))[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        q = twin.ig.modularity(codes.tolist(), weights=wname, resolution=resolution, directed=False)
    return float(q) if np.isfinite(q) else 0.0


def composition(
    communities: Mapping[Hashable, Hashable], types: Mapping[Hashable, str] | nx.Graph
) -> pd.DataFrame:
    """What each community is made of: one row per community, stakeholders counted by type.

    ``types`` maps stakeholder to type, or is a graph whose nodes carry a ``type`` attribute (as
    the projection makes them). Columns: ``community``, ``size``, one count column per type
    (sorted), ``dominant_type`` and ``dominant_share``. Stakeholders without a type count as
    ``"unknown"``. Sorted by size, largest first.

    Examples
    --------
    >>> comm = {"a": 0, "b": 0, "c": 1}
    >>> composition(comm, {"a": "customer", "b": "partner", "c": "customer"})
       community  size  customer  partner dominant_type  dominant_share
    0          0     2         1        1      customer             0.5
    1          1     1         1        0      customer             1.0
    """
    if isinstance(types, nx.Graph):
        types = {v: d.get("type") for v, d in types.nodes(data=True)}
    frame = pd.DataFrame(
        {
            "community": list(communities.values()),
            "type": [str(types.get(v) or "unknown") for v in communities],
        }
    )
    if frame.empty:
        return pd.DataFrame(columns=["community", "size", "dominant_type", "dominant_share"])
    counts = pd.crosstab(frame["community"], frame["type"])
    counts = counts.reindex(columns=sorted(counts.columns))
    counts.columns.name = None
    size = counts.sum(axis=1)
    out = counts.assign(
        size=size,
        dominant_type=counts.idxmax(axis=1).astype(object),
        dominant_share=(counts.max(axis=1) / size).astype(float),
    ).reset_index()
    out = out[["community", "size", *counts.columns, "dominant_type", "dominant_share"]]
    return out.sort_values(["size", "community"], ascending=[False, True]).reset_index(drop=True)


def louvain(
    G: nx.Graph, *, weight: str | None = "weight", resolution: float = 1.0, seed: int = 0
) -> dict[Hashable, int]:
    """Deprecated name of :func:`leiden` (it always ran Leiden); kept for old callers."""
    warnings.warn(
        "graphcap.metrics.communities.louvain is deprecated: it runs Leiden; call leiden()",
        DeprecationWarning,
        stacklevel=2,
    )
    return leiden(G, weight=weight, resolution=resolution, seed=seed)
