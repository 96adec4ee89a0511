"""The whole position/brokerage/community suite as one table: one row per stakeholder.

:func:`node_metrics` is what the analysis facade, the CLI and the write-back call. It takes a
:class:`~graphcap.model.Network` (projected with :func:`graphcap.graph.projection.to_weighted`) or a
ready graph, runs every measure on the same engine graph (converted once) and returns a frame:

=================  =============================================================================
column             meaning (module that computes it)
=================  =============================================================================
``id``             stakeholder id
``degree``         number of ties (``degree_in``/``degree_out`` too on directed graphs)
``weighted_degree`` summed tie strength (weighted degree; ``_in``/``_out`` on directed graphs)
``betweenness``    brokerage on shortest paths, ``distance = 1/strength`` (position)
``closeness``      Wasserman-Faust closeness over ``distance`` (position)
``harmonic``       harmonic centrality over ``distance`` (position)
``eigenvector``    tied to the well tied, ``weight`` (position)
``pagerank``       random-walk attention, ``weight`` (position)
``reach2``         stakeholders within two steps (position)
``core_number``    k-core number (position)
``constraint``     Burt's constraint, ``weight`` (brokerage)
``effective_size`` non-redundant contacts, ``weight`` (brokerage)
``is_articulation`` True for a single point of failure of the network (brokerage)
``community``      Leiden community id (communities)
``dependents``     stakeholders reachable from the focal organisation only through this one
``gatekeeper``     id of the one stakeholder every path from the organisation to this one runs
                   through ("" when there are two independent ways or it is the organisation)
=================  =============================================================================

``dependents``/``gatekeeper`` need the focal organisation (nodes of type ``organization`` of a
Network, or ``focal=``); without one they are left out and ``attrs["notes"]`` says so.
``attrs`` also holds ``params`` (what was computed how: ``pivots`` of the sampled path
measures, ``registers`` of the measures estimated with sketches, :mod:`.reach_sketch`),
``timings`` (seconds per measure, and ``engine`` for building the igraph graphs) and ``engines``
(measure -> ``"local"`` or the engine that supplied it).

Measures computed elsewhere (``metrics.engine = "gds"``: Neo4j Graph Data Science, see
:mod:`graphcap.store.gds`) come in as ``given``: a frame with ``id`` and one column per measure,
already in this module's units; they are taken instead of computed (community ids renumbered by
size like the local ones), and ``attrs["engines"]`` says who computed what.
Numbers are never NaN: see each measure for its value on isolated stakeholders.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx
import numpy as np
import pandas as pd

from graphcap.errors import MetricError
from graphcap.graph.engine import EngineGraph, engine_for
from graphcap.graph.projection import to_engine
from graphcap.i18n import gettext as _
from graphcap.metrics import brokerage, communities, position, reach_sketch
from graphcap.metrics.betweenness import betweenness_array, start_betweenness
from graphcap.metrics.closeness import closeness_array, harmonic_array, start_path_sums
from graphcap.metrics.pivots import pivots_for
from graphcap.metrics.spectral import eigenvector_array, pagerank_array
from graphcap.model import Network

__all__ = ["MEASURES", "Given", "PendingGiven", "node_metrics", "start_path_measures"]

#: Every measure :func:`node_metrics` can compute, in column order.
MEASURES: tuple[str, ...] = (
    "degree",
    "weighted_degree",
    "betweenness",
    "closeness",
    "harmonic",
    "eigenvector",
    "pagerank",
    "reach2",
    "core_number",
    "constraint",
    "effective_size",
    "is_articulation",
    "community",
    "dependents",
    "gatekeeper",
)


@dataclass(frozen=True, eq=False)
class Given:
    """Measures computed by another engine, for :func:`node_metrics` / ``analyze``.

    ``nodes``: ``id`` + measure columns in this module's units; ``bridges``: the ties whose loss
    splits the network (stakeholder id pairs), ``None`` to compute them locally; ``engine``
    names who computed them; ``info``: anything worth reporting (version, timings).
    """

    nodes: pd.DataFrame
    bridges: list[tuple[str, str]] | None = None
    engine: str = "gds"
    info: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """A hash of the given values (part of the analysis cache key)."""
        h = hashlib.sha256(self.engine.encode())
        h.update(pd.util.hash_pandas_object(self.nodes, index=False).to_numpy().tobytes())
        h.update(repr(sorted(self.bridges or [])).encode())
        return h.hexdigest()[:16]


@dataclass(frozen=True, eq=False)
class PendingGiven:
    """Measures another engine is still computing (Neo4j GDS on the server while this process
    computes the rest, :func:`graphcap.compute.analyze_stored`).

    ``measures`` names the columns it will supply, so :func:`node_metrics` leaves them for last;
    ``result`` waits for the :class:`Given` (and raises what the other engine raised).
    """

    measures: tuple[str, ...]
    result: Callable[[], Given]
    engine: str = "gds"
    #: raises what the other engine raised once it has failed, without waiting; called before
    #: each local measure, so a failure on the server stops the analysis within a measure
    #: instead of after all of them (at 1M / 5M: minutes instead of half an hour)
    check: Callable[[], None] | None = None


def _engine_of(source: nx.Graph | Network, directed: bool) -> tuple[EngineGraph, list[Hashable]]:
    if isinstance(source, Network):
        return to_engine(source, directed=directed), list(source.focal_ids())
    if isinstance(source, nx.Graph):
        focal = [v for v, t in source.nodes(data="type") if t == "organization"]
        return engine_for(source), focal
    raise MetricError(
        _("node_metrics needs a Network or a networkx graph, got {name}").format(
            name=type(source).__name__
        )
    )


#: how node_metrics runs betweenness (and start_path_measures starts it); its length
#: ``weight`` is the closeness and harmonic ``distance`` too
_BETWEENNESS: dict[str, Any] = {"weight": "distance", "normalized": True}


def start_path_measures(
    G: nx.Graph, *, k: int | Literal["auto"] | None = "auto", seed: int = 0
) -> None:
    """Start the betweenness and the pivot searches of closeness and harmonic that
    :func:`node_metrics` of ``G`` with the same ``k`` and ``seed`` will take, each in a forked
    child where :mod:`graphcap.graph.sidecar` allows it (nothing happens elsewhere): the
    analysis calls it right after the projection, so the children compute while this process
    computes the index and the radar."""
    eg = engine_for(G)
    started = set()
    if start_betweenness(eg, **_BETWEENNESS, k=k, seed=seed):
        started.add("betweenness")
    if start_path_sums(eg, distance=_BETWEENNESS["weight"], k=k, seed=seed):
        started.update(("closeness", "harmonic"))
    eg.memo[("aside", k, seed)] = started


def node_metrics(
    source: nx.Graph | Network,
    *,
    directed: bool = False,
    focal: Collection[Hashable] | None = None,
    measures: Iterable[str] | None = None,
    k: int | Literal["auto"] | None = "auto",
    seed: int = 0,
    resolution: float = 1.0,
    given: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
    given_by: str = "gds",
    given_measures: Collection[str] = (),
    given_check: Callable[[], None] | None = None,
) -> pd.DataFrame:
    """Every position, brokerage and community measure per stakeholder (see the module table).

    ``directed`` applies when ``source`` is a Network (default: the undirected view, where a
    relationship is a channel both ways). ``k``/``seed`` steer the sampling of the path measures,
    ``seed`` also Louvain, ``resolution`` Louvain's granularity. ``measures`` picks columns.
    ``given`` supplies measures computed by ``given_by`` (see the module docstring); a callable
    is called once the other measures are computed (the other engine works meanwhile),
    ``given_measures`` names the columns it will supply, and ``given_check`` (called before each
    measure) raises the other engine's error as soon as it has failed.

    Examples
    --------
    >>> G = nx.Graph([("org", "a"), ("org", "b"), ("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"org": "organization"}, "type")
    >>> t = node_metrics(G, measures=["degree", "betweenness", "gatekeeper", "dependents"])
    >>> t
        id  degree  betweenness gatekeeper  dependents
    0  org     2.0     0.000000                    0.0
    1    a     2.0     0.000000                    0.0
    2    b     3.0     0.666667                    1.0
    3    c     1.0     0.000000          b         0.0
    """
    eg, found_focal = _engine_of(source, directed)
    focal = list(found_focal if focal is None else focal)
    wanted = list(MEASURES if measures is None else measures)
    unknown = sorted(set(wanted) - set(MEASURES))
    if unknown:
        raise MetricError(
            _("unknown measure(s) {unknown}; known: {measures}").format(
                unknown=unknown, measures=", ".join(MEASURES)
            )
        )
    eg_directed = eg.directed
    columns: dict[str, Any] = {"id": list(eg.nodes)}
    timings: dict[str, float] = {}
    notes: list[str] = []

    def run(name: str, compute: Callable[[], object]) -> None:
        if given_check is not None:
            given_check()
        start = time.perf_counter()
        try:
            compute()
        except MetricError as exc:
            notes.append(f"{name}: {exc}")
        timings[name] = time.perf_counter() - start

    def put(name: str, values: np.ndarray) -> None:
        columns[name] = values

    def degree() -> None:
        put("degree", position.degree_array(eg))
        if eg_directed:
            put("degree_in", position.degree_array(eg, direction="in"))
            put("degree_out", position.degree_array(eg, direction="out"))

    def weighted_degree() -> None:
        put("weighted_degree", position.degree_array(eg, weight="weight"))
        if eg_directed:
            put("strength_in", position.degree_array(eg, weight="weight", direction="in"))
            put("strength_out", position.degree_array(eg, weight="weight", direction="out"))

    def eigenvector() -> None:
        put("eigenvector", np.zeros(eg.n))  # stays 0 when undefined (see notes)
        put("eigenvector", eigenvector_array(eg, weight="weight"))

    registers: dict[str, int] = {}  # measures estimated with sketches: their registers

    def reach2() -> None:
        sketch = reach_sketch.sketch_registers(eg.m)
        if sketch is None:
            put("reach2", position.reach2_array(eg))
            return
        put("reach2", reach_sketch.reach2_estimate(eg, registers=sketch, seed=seed))
        registers["reach2"] = sketch

    def structural() -> None:
        columns["is_articulation"] = brokerage.articulation_array(eg)

    def focal_measures(name: str) -> None:
        if not focal:
            notes.append(f"{name}: no focal organisation (type 'organization') in the graph")
            return
        if name == "dependents":
            put("dependents", brokerage.dependents_array(eg, focal))
        else:
            keeper = brokerage.gatekeepers_of(eg, focal)
            columns["gatekeeper"] = [str(keeper[v]) if v in keeper else "" for v in eg.nodes]

    jobs: dict[str, Callable[[], None]] = {
        "degree": degree,
        "weighted_degree": weighted_degree,
        "betweenness": lambda: put(
            "betweenness", betweenness_array(eg, **_BETWEENNESS, k=k, seed=seed)
        ),
        "closeness": lambda: put(
            "closeness", closeness_array(eg, distance="distance", k=k, seed=seed)
        ),
        "harmonic": lambda: put(
            "harmonic", harmonic_array(eg, distance="distance", k=k, seed=seed)
        ),
        "eigenvector": eigenvector,
        "pagerank": lambda: put("pagerank", pagerank_array(eg, weight="weight")),
        "reach2": reach2,
        "core_number": lambda: put("core_number", position.core_number_array(eg)),
        "constraint": lambda: put("constraint", brokerage.constraint_array(eg, weight="weight")),
        "effective_size": lambda: put(
            "effective_size", brokerage.effective_size_array(eg, weight="weight")
        ),
        "is_articulation": structural,
        "community": lambda: put(
            "community",
            communities.leiden_array(eg, weight="weight", resolution=resolution, seed=seed).astype(
                np.int64
            ),
        ),
        "dependents": lambda: focal_measures("dependents"),
        "gatekeeper": lambda: focal_measures("gatekeeper"),
    }
    later = given if callable(given) else None
    deferred = set(given_measures) & set(wanted) if later is not None else set()
    supplied = _given_columns(None if callable(given) else given, eg.nodes, wanted)
    run("engine", lambda: (eg.ig, eg.undirected().ig))  # the igraph twins, timed on their own
    made: dict[str, list[str]] = {}  # the columns each measure added, in column order

    def take(name: str) -> None:
        before = set(columns)
        if name in supplied:
            columns[name] = supplied[name]
        else:
            run(name, jobs[name])
        made[name] = [c for c in columns if c not in before]

    # a measure started in a child (start_path_measures) is taken last: the child has the most
    # time, and the columns keep their order (`made`)
    aside: set[str] = eg.memo.pop(("aside", k, seed), set())
    for name in [n for n in wanted if n not in deferred | aside] + [
        n for n in wanted if n in aside - deferred
    ]:
        take(name)
    if later is not None:
        supplied = _given_columns(later(), eg.nodes, wanted)
        for name in wanted:
            if name in deferred:
                take(name)
    engines = {name: (given_by if name in supplied else "local") for name in wanted}
    frame = pd.DataFrame(
        {"id": columns["id"], **{c: columns[c] for name in wanted for c in made[name]}}
    )
    if "id" in frame and len(frame):
        frame["id"] = frame["id"].astype(object)
    numeric = frame.select_dtypes(include="number").columns
    scores = [c for c in numeric if c != "community"]
    frame[scores] = frame[scores].astype(float)
    if len(numeric) and not np.isfinite(frame[numeric].to_numpy()).all():
        raise MetricError(_("a measure produced a non-finite value; please report this graph"))
    frame.attrs["params"] = {
        "directed": eg_directed,
        "k": k,
        "seed": seed,
        "resolution": resolution,
        "focal": focal,
        "nodes": eg.n,
        "ties": eg.m,
        "sampled": pivots_for(eg, k) is not None,
        "pivots": pivots_for(eg, k),
        "registers": registers,
    }
    frame.attrs["timings"] = timings
    frame.attrs["notes"] = notes
    frame.attrs["engines"] = engines
    return frame


def _given_columns(
    given: pd.DataFrame | None, nodes: list[Hashable], wanted: list[str]
) -> dict[str, np.ndarray]:
    """The measures of ``given`` that node_metrics can take, aligned to ``nodes``."""
    if given is None:
        return {}
    if "id" not in given.columns:
        raise MetricError(_("given measures need an 'id' column"))
    takeable = set(wanted) & set(given.columns) - {"dependents", "gatekeeper"}
    if not takeable:
        return {}
    index = pd.Index(given["id"].astype(str))
    if index.has_duplicates:
        raise MetricError(_("given measures list a stakeholder twice"))
    pos = index.get_indexer([str(v) for v in nodes])
    if (pos < 0).any():
        absent = [nodes[i] for i in np.flatnonzero(pos < 0)[:3]]
        raise MetricError(
            _(
                "given measures lack stakeholder(s) {absent}: the engines saw different graphs"
            ).format(absent=absent)
        )
    out: dict[str, np.ndarray] = {}
    for name in sorted(takeable):
        values = given[name].to_numpy()[pos]
        if name == "community":
            values = communities.renumber(values)
        elif name == "is_articulation":
            values = values.astype(bool)
        else:
            values = values.astype(float)
        out[name] = values
    return out
