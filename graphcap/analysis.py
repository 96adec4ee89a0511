"""The analysis facade: everything the pages, the CLI and the reports show, in one call.

``analyze(network)`` fills in relationship strength, projects the network to the undirected
strength graph, and computes position, brokerage, communities, value and concentration, the
at-risk radar, the power/interest grid and the Relational Capital Index. Results are cached per
network content and parameters, so calling it again on the same data is free.

``given`` (a :class:`~graphcap.metrics.suite.Given`) brings measures computed by another engine
(Neo4j Graph Data Science, :mod:`graphcap.compute`); they replace the local ones and
``params["engines"]`` says which engine computed which measure.

The result is an :class:`Analysis`; its frames are documented there and are the stable interface
of the metrics (docs/METRICS.md explains every figure). Every call hands out fresh copies of the
frames (the graph is frozen and shared), so code that changes ``a.nodes`` cannot change what the
next ``analyze()`` of the same data returns.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

import networkx as nx
import pandas as pd

from graphcap.config import ProjectConfig, StrengthConfig, ValueConfig
from graphcap.graph.projection import to_weighted
from graphcap.metrics.brokerage import bridges
from graphcap.metrics.cadence import next_contacts
from graphcap.metrics.communities import composition, modularity
from graphcap.metrics.grid import GridConfig, engagement, percentile, power_interest
from graphcap.metrics.paths import focal_counterpart, warm_introductions
from graphcap.metrics.players import central_players, key_players, threats
from graphcap.metrics.rci import RCI, RCIParts, RCIWeights, empty_rci, relational_capital_index
from graphcap.metrics.rci_dims import brokerage_reach
from graphcap.metrics.reach_sketch import typical_error
from graphcap.metrics.risk import RISK_COLUMNS, RiskConfig
from graphcap.metrics.strength import (
    as_of_source,
    compute_strength,
    explain_strength,
    resolve_as_of,
)
from graphcap.metrics.suite import (
    MEASURES,
    Given,
    PendingGiven,
    node_metrics,
    start_path_measures,
)
from graphcap.metrics.sweep import SWEEP_COLUMNS, risk_sweep
from graphcap.metrics.value import concentration, lorenz_curve, stakeholder_value, value_by_type
from graphcap.metrics.whatif import WhatIf, what_if_remove
from graphcap.model import NODE_OPTIONAL, Network, frame_copy, network_hash
from graphcap.notebook import analysis_html

__all__ = ["Analysis", "analyze", "clear_cache", "network_hash"]

#: Node properties carried into the ``nodes`` frame when present.
KEY_PROPERTIES = tuple(NODE_OPTIONAL)
#: The position measures of node_metrics (its columns up to the k-core), in its order.
_POSITION = MEASURES[: MEASURES.index("core_number") + 1]
CACHE_SIZE = 8


@dataclass(frozen=True)
class Analysis:
    """The analysis of one network as of one date. The frames are this caller's own copies;
    ``graph`` is frozen (shared by every copy of the same analysis).

    ``network``
        The input with ``strength`` filled (see :mod:`graphcap.metrics.strength`).
    ``graph``
        The undirected strength graph (:func:`graphcap.graph.projection.to_weighted`), for warm
        introductions and what-if questions.
    ``nodes`` — one row per stakeholder, in the order of ``network.nodes``:
        ``id name type`` and the key properties present (``segment region country since revenue
        clv satisfaction loyalty power interest tags``);
        value: ``value value_share value_pct spend volume_with_focal``;
        reach of the organisation: ``tie_strength`` (strongest-path product, 1 for the
        organisation, 0 when unreachable), ``hops`` (missing when unreachable), ``via``;
        position (graphcap.metrics.suite.node_metrics on the undirected strength graph, same
        column names): ``degree
        weighted_degree betweenness closeness harmonic eigenvector pagerank reach2 core_number``
        and ``betweenness_pct``; brokerage (graphcap.metrics.brokerage): ``constraint
        effective_size is_articulation dependents`` (stakeholders the organisation reaches only
        through this one) ``gatekeeper`` (the one intermediary every path to it runs through);
        ``community`` (Leiden, seeded);
        grid: ``engagement power_data interest_data quadrant pagerank_pct dependence
        engagement_pct quadrant_manual power_gap interest_gap grid_gap grid_note``;
        radar: ``risk_score risk_points at_risk`` (points >= the RCI's at-risk threshold)
        ``single_threaded risk_reasons`` ("" when none).
    ``edges``
        ``network.edges`` with ``strength strength_source`` and the components
        ``strength_quality strength_recency strength_frequency strength_reciprocity
        strength_interaction`` (missing where there is no basis), plus ``is_bridge``.
    ``communities``
        ``community size value value_share top_member`` (highest PageRank), one count column
        per type, ``dominant_type dominant_share`` (graphcap.metrics.communities.composition),
        biggest first. ``modularity`` is the partition's modularity (0 when empty).
    ``rci``
        :class:`graphcap.metrics.rci.RCI` (``score``, ``dimensions``, ``by_type``, ``notes``).
    ``risks``
        :func:`graphcap.metrics.risk.at_risk` (columns ``RISK_COLUMNS``), ranked.
    ``grid``
        :func:`graphcap.metrics.grid.power_interest` (``id`` + the grid columns).
    ``concentration`` / ``lorenz`` / ``value_by_type``
        :func:`graphcap.metrics.value.concentration`, the Lorenz curve over the stakeholders with
        value, totals per type.
    ``params`` / ``timings``
        Everything that determined the result (as_of, seed, configs, content hash) and seconds
        per stage (``total`` included).
    """

    network: Network
    graph: nx.Graph
    nodes: pd.DataFrame
    edges: pd.DataFrame
    communities: pd.DataFrame
    modularity: float
    rci: RCI
    risks: pd.DataFrame
    grid: pd.DataFrame
    concentration: dict[str, Any]
    lorenz: pd.DataFrame
    value_by_type: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    parts: RCIParts | None = None

    def engine_summary(self) -> str:
        """Which engine computed which measure, e.g. ``"local (every measure)"`` or
        ``"gds 2.13.9: betweenness, ...; local: closeness, ..."``."""
        by: dict[str, list[str]] = {}
        for measure, engine in self.params.get("engines", {}).items():
            by.setdefault(engine, []).append(measure)
        if set(by) <= {"local"}:
            return "local (every measure)"
        version = self.params.get("engine_info", {}).get("version")
        parts = [
            f"{engine}{' ' + version if engine == 'gds' and version else ''}: "
            f"{', '.join(sorted(names))}"
            for engine, names in sorted(by.items(), key=lambda kv: kv[0] != "gds")
        ]
        return "; ".join(parts)

    @property
    def focal_ids(self) -> list[str]:
        return self.network.focal_ids()

    def warm_introductions(self, target: str, *, k: int = 5) -> pd.DataFrame:
        """The ``k`` strongest paths from the organisation to ``target``
        (:func:`graphcap.metrics.paths.warm_introductions`)."""
        return warm_introductions(self.graph, self.focal_ids, target, k=k)

    def what_if(self, remove: str | Iterable[str]) -> WhatIf:
        """What removing ``remove`` would cost (:func:`graphcap.metrics.whatif.what_if_remove`),
        with this analysis' parameters."""
        p = self.params
        return what_if_remove(
            self.network,
            self.graph,
            remove,
            as_of=p["as_of"],
            risk_config=RiskConfig(**p["risk"]),
            weights=RCIWeights(**p["rci_weights"]),
            rci_before=self.rci.score,
            value_config=ValueConfig(kinds=p["value_kinds"]),
        )

    def next_contacts(
        self, cadence_days: Mapping[str, int], *, today: date, days: int = 7
    ) -> pd.DataFrame:
        """Whom to contact within ``days`` of ``today``, ranked by overdue x value x risk with
        this analysis' values and radar (:func:`graphcap.metrics.cadence.next_contacts`)."""
        values = (
            self.parts.values
            if self.parts is not None
            else stakeholder_value(self.network, ValueConfig(kinds=self.params["value_kinds"]))
        )
        return next_contacts(self.network, values, self.risks, cadence_days, today=today, days=days)

    def risk_sweep(self) -> pd.DataFrame:
        """Every stakeholder lost in turn, ranked by money at risk and index change
        (:func:`graphcap.metrics.sweep.risk_sweep`)."""
        if self.parts is None or not self.focal_ids:
            return pd.DataFrame(columns=SWEEP_COLUMNS)
        return risk_sweep(self.graph, self.focal_ids, self.parts, self.rci)

    def key_players(self, *, top: int = 10) -> pd.DataFrame:
        """Who matters to us (graphcap.metrics.players.key_players): value, dependents, onward."""
        gk = self.nodes.set_index("id")["gatekeeper"] if "gatekeeper" in self.nodes else None
        onward = brokerage_reach(self.graph, self.focal_ids) if self.focal_ids else {}
        return key_players(self.nodes, gk, onward, top=top)

    def central_players(self, *, top: int = 10) -> pd.DataFrame:
        """Who is central in the whole network (PageRank), the organisation left out."""
        return central_players(self.nodes, top=top)

    def threats(self) -> pd.DataFrame:
        """Competitors and their overlap with our customers and suppliers."""
        values = self.nodes[
            [
                "id",
                "name",
                "type",
                *[c for c in ("revenue", "spend", "flow") if c in self.nodes.columns],
            ]
        ]
        return threats(self.network, values)

    def explain(self, edge: int) -> pd.DataFrame:
        """Components of the strength of edge number ``edge`` (row position in ``edges``)."""
        return explain_strength(self.edges.iloc[edge], StrengthConfig(**self.params["strength"]))

    def copy(self) -> Analysis:
        """A copy whose frames, network and dicts can be changed without touching this one; the
        frozen graph is shared. Under pandas' copy-on-write (always on from pandas 3) the
        frames share their data until one side changes them (:func:`frame_copy`), so a copy
        costs microseconds instead of copying every column."""
        net = self.network
        return replace(
            self,
            network=Network(
                nodes=frame_copy(net.nodes),
                edges=frame_copy(net.edges),
                interactions=frame_copy(net.interactions),
                meta=copy.deepcopy(net.meta),
            ),
            nodes=frame_copy(self.nodes),
            edges=frame_copy(self.edges),
            communities=frame_copy(self.communities),
            rci=replace(
                self.rci,
                dimensions=frame_copy(self.rci.dimensions),
                by_type=frame_copy(self.rci.by_type),
                notes=list(self.rci.notes),
            ),
            risks=frame_copy(self.risks),
            grid=frame_copy(self.grid),
            concentration=copy.deepcopy(self.concentration),
            lorenz=frame_copy(self.lorenz),
            value_by_type=frame_copy(self.value_by_type),
            params=copy.deepcopy(self.params),
            timings=dict(self.timings),
        )

    def _repr_html_(self) -> str:
        """Jupyter: the index, key players, relationships at risk and a picture (names escaped)."""
        return analysis_html(self.nodes, self.edges, score=self.rci.score, params=self.params)


def _structure(
    G: nx.Graph, focal: list[str], seed: int, given: Given | PendingGiven | None = None
) -> tuple[pd.DataFrame, dict[str, int], float, set[frozenset], Given | None]:
    """Per-node position and brokerage columns (graphcap.metrics.suite.node_metrics), community
    per node, modularity, bridges, and the given measures (waited for when pending)."""

    if isinstance(given, PendingGiven):
        pending = given
        got: list[Given] = []

        def fetch() -> pd.DataFrame:
            got.append(pending.result())
            return got[0].nodes

        frame = node_metrics(
            G,
            focal=focal,
            seed=seed,
            given=fetch,
            given_by=pending.engine,
            given_measures=pending.measures,
            given_check=pending.check,
        )
        given = got[0]
    else:
        frame = node_metrics(
            G,
            focal=focal,
            seed=seed,
            given=None if given is None else given.nodes,
            given_by="local" if given is None else given.engine,
        )
    engines = dict(frame.attrs.get("engines", {}))
    for col in (*_POSITION, "constraint", "effective_size", "dependents", "community"):
        if col not in frame.columns:  # e.g. dependents without a focal organisation
            frame[col] = pd.Series(0.0, index=frame.index, dtype=float)
    if "is_articulation" not in frame.columns:
        frame["is_articulation"] = pd.Series(False, index=frame.index, dtype=bool)
    gate = (
        frame["gatekeeper"] if "gatekeeper" in frame.columns else pd.Series("", index=frame.index)
    )
    frame["gatekeeper"] = gate.where(gate.astype(str) != "", None).astype(object)
    frame["id"] = frame["id"].astype(object)
    community = {n: int(c) for n, c in zip(frame["id"], frame.pop("community"), strict=True)}
    score = float(modularity(G, community, weight="weight")) if G.number_of_edges() else 0.0
    cut: set[frozenset[Any]]
    if given is not None and given.bridges is not None:
        cut = {frozenset(e) for e in given.bridges}
        engines["bridges"] = given.engine
    else:
        cut = {frozenset(e) for e in bridges(G)}
        engines["bridges"] = "local"
    frame.attrs["engines"] = engines
    return frame, community, score, cut, given


#: The path measures that are sampled on big graphs (graphcap.metrics.position).
_SAMPLED = ("betweenness", "closeness", "harmonic")


def _sampling(
    position: pd.DataFrame, engines: dict[str, str], given: Given | None, seed: int
) -> list[dict[str, Any]]:
    """What the path measures were estimated from, per engine: ``measures``, ``sources`` (the
    pivots), ``of`` (the stakeholders), ``seed``, ``engine``; then each measure estimated with
    sketches (reach2 above a million ties, either engine): ``measures``, ``registers`` (per
    stakeholder), ``typical_error`` (relative), ``seed``, ``engine``. Empty when every one is
    exact."""
    p = position.attrs.get("params", {})
    out: list[dict[str, Any]] = []
    local = [m for m in _SAMPLED if engines.get(m) == "local"]
    if p.get("pivots") and local:
        out.append(
            {
                "engine": "local",
                "measures": local,
                "sources": int(p["pivots"]),
                "of": int(p["nodes"]),
                "seed": seed,
            }  # fmt: skip
        )
    if given is not None and given.info.get("sampled"):
        remote = [m for m in _SAMPLED if engines.get(m) == given.engine]
        if remote:
            out.append(
                {
                    "engine": given.engine,
                    "measures": remote,
                    "sources": int(given.info["sampled"]),
                    "of": int(p.get("nodes", 0)),
                    "seed": seed,
                }  # fmt: skip
            )
    for measure, registers in p.get("registers", {}).items():
        if engines.get(measure) == "local":
            out.append(
                {
                    "engine": "local",
                    "measures": [measure],
                    "registers": int(registers),
                    "typical_error": typical_error(registers),
                    "seed": seed,
                }  # fmt: skip
            )
    return out


def _hostile(network: Network, focal: list[str]) -> set[str]:
    """Stakeholders with a negative direct relationship with the organisation."""
    e = network.edges
    if not focal or not len(e):
        return set()
    other = focal_counterpart(e, focal)
    s = pd.to_numeric(e["strength"], errors="coerce")
    return set(other[other.notna() & (s < 0)].astype(str))


def _community_frame(nodes: pd.DataFrame) -> pd.DataFrame:
    """The communities' composition (graphcap.metrics.communities.composition) with their value,
    value share and most central member."""

    if len(nodes) == 0:
        return pd.DataFrame(columns=["community", "size", "value", "value_share", "top_member"])
    members = dict(zip(nodes["id"], nodes["community"], strict=True))
    frame = composition(members, dict(zip(nodes["id"], nodes["type"].astype(str), strict=True)))
    value = nodes.groupby("community")["value"].sum()
    top = (
        nodes.sort_values(["pagerank", "id"], ascending=[False, True])
        .groupby("community")["name"]
        .first()
    )
    frame["value"] = frame["community"].map(value).fillna(0.0).astype(float)
    total = float(frame["value"].sum())
    frame["value_share"] = frame["value"] / total if total > 0 else 0.0
    frame["top_member"] = frame["community"].map(top).astype(object)
    front = ["community", "size", "value", "value_share", "top_member"]
    return frame[front + [c for c in frame.columns if c not in front]].reset_index(drop=True)


def _empty_parts(values: pd.DataFrame, G: nx.Graph) -> RCIParts:
    ties = pd.DataFrame(
        {"id": pd.Series(list(G), dtype=object), "tie_strength": 0.0, "hops": pd.NA, "via": None}
    )
    return RCIParts(
        values=values,
        ties=ties.astype({"hops": "Int64"}),
        single=set(),
        risks=pd.DataFrame(columns=RISK_COLUMNS),
        reach={},
    )


def _compute(
    network: Network,
    config: ProjectConfig,
    as_of: pd.Timestamp,
    seed: int,
    risk: RiskConfig,
    grid_cfg: GridConfig,
    weights: RCIWeights,
    key: str,
    source: str,
    given: Given | PendingGiven | None = None,
) -> Analysis:
    # stages in the order they are reported (the index runs before the structure, so that
    # another engine computing given measures has the most time before they are needed)
    timings: dict[str, float] = dict.fromkeys(("strength", "projection", "structure"), 0.0)
    start = clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 6)
        clock = now

    net = compute_strength(network, config.strength, as_of=as_of)
    lap("strength")
    G = to_weighted(net)
    if given is None:  # every path measure is local: its slowest part starts now, aside
        start_path_measures(G, seed=seed)
    lap("projection")
    focal = net.focal_ids()
    if focal:
        rci, parts = relational_capital_index(
            net, G, as_of=as_of, risk_config=risk, weights=weights, value_config=config.value
        )
    else:
        parts = _empty_parts(stakeholder_value(net, config.value), G)
        rci = empty_rci(
            "no focal organisation (type 'organization') in this network: reach, "
            "risk and the index need one"
        )
    lap("value_risk_rci")
    position, community, modularity, bridges, given = _structure(G, focal, seed, given)
    engines = dict(position.attrs.get("engines", {}))
    lap("structure")

    nodes = net.nodes.copy()
    nodes["id"] = nodes["id"].astype(str)
    # revenue comes from the value frame (node revenue, else revenue relationships)
    keep = [
        "id",
        "name",
        "type",
        *[c for c in KEY_PROPERTIES if c in nodes.columns and c != "revenue"],
    ]
    frame = nodes[keep].reset_index(drop=True)
    values = parts.values.drop(
        columns=[c for c in ("name", "type", "clv", "segment") if c in parts.values.columns]
    )
    frame = frame.merge(values, on="id", how="left")
    frame["value_pct"] = percentile(frame["value"])
    frame = frame.merge(parts.ties, on="id", how="left")
    frame["tie_strength"] = frame["tie_strength"].fillna(0.0)
    frame["engagement"] = (
        engagement(net, as_of=as_of, half_life_days=config.strength.half_life_days)
        .reindex(frame["id"])
        .fillna(0.0)
        .to_numpy()
    )
    frame = frame.merge(position, on="id", how="left")
    frame["betweenness_pct"] = percentile(frame["betweenness"])
    frame["community"] = frame["id"].map(community).fillna(-1).astype(int)
    frame["negative_tie"] = frame["id"].isin(_hostile(net, focal))
    grid = power_interest(frame, grid_cfg)
    frame = frame.merge(grid, on="id", how="left")
    risks = parts.risks
    r = risks.set_index("id") if len(risks) else None
    frame["risk_score"] = (
        frame["id"].map(r["score"]).fillna(0.0).astype(float) if r is not None else 0.0
    )
    frame["risk_points"] = (
        frame["id"].map(r["points"]).fillna(0.0).astype(float) if r is not None else 0.0
    )
    frame["at_risk"] = frame["risk_points"] >= weights.at_risk_points
    frame["single_threaded"] = frame["id"].isin(parts.single)
    frame["risk_reasons"] = frame["id"].map(r["reasons_text"]).fillna("") if r is not None else ""
    frame["risk_reasons"] = frame["risk_reasons"].astype(object)
    lap("frames")

    edges = net.edges.copy()
    if len(edges):
        pairs = zip(edges["source"].astype(str), edges["target"].astype(str), strict=True)
        edges["is_bridge"] = [frozenset((s, t)) in bridges for s, t in pairs]
    else:
        edges["is_bridge"] = pd.Series(dtype=bool)
    positive = frame.loc[frame["value"] > 0, "value"]
    result = Analysis(
        network=net,
        graph=G,
        nodes=frame,
        edges=edges,
        communities=_community_frame(frame),
        modularity=modularity,
        rci=rci,
        risks=risks,
        grid=grid,
        concentration=concentration(parts.values),
        lorenz=lorenz_curve(positive),
        value_by_type=value_by_type(parts.values),
        params={
            "as_of": as_of.date().isoformat(),
            "as_of_source": source,
            "seed": seed,
            "content_hash": key.split(":")[0],
            "strength": {
                "weights": dict(config.strength.weights),
                "interaction_weight": config.strength.interaction_weight,
                "half_life_days": config.strength.half_life_days,
            },
            "risk": asdict(risk),
            "grid": asdict(grid_cfg),
            "rci_weights": asdict(weights),
            "value_kinds": dict(config.value.kinds),
            "ego_only": parts.ego_only,
            "focal": focal,
            "nodes": len(frame),
            "edges": len(edges),
            "engine": "local" if given is None else given.engine,
            "engines": engines,
            **({} if given is None else {"engine_info": dict(given.info)}),
            **(
                {"sampling": sampled}
                if (sampled := _sampling(position, engines, given, seed))
                else {}
            ),
        },
        timings=timings,
        parts=parts if focal else None,
    )
    timings["total"] = round(time.perf_counter() - start, 6)
    return result


class _Job:
    """Hashable by its key only, so functools.lru_cache keys on content + parameters."""

    def __init__(self, key: str, args: tuple[Any, ...]) -> None:
        self.key = key
        self.args = args

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Job) and other.key == self.key


@functools.lru_cache(maxsize=CACHE_SIZE)
def _cached(job: _Job) -> Analysis:
    network, config, as_of, seed, risk, grid, weights, source, given = job.args
    result = _compute(network, config, as_of, seed, risk, grid, weights, job.key, source, given)
    nx.freeze(result.graph)
    return result.copy()  # the cache keeps its own copy; the caller's network is not held


_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget every cached analysis (e.g. after changing data in place).

    >>> clear_cache()
    >>> _cached.cache_info().currsize
    0
    """
    _cached.cache_clear()


def analyze(
    network: Network,
    *,
    config: ProjectConfig | None = None,
    as_of: Any = None,
    seed: int = 42,
    risk: RiskConfig | None = None,
    grid: GridConfig | None = None,
    weights: RCIWeights | None = None,
    given: Given | PendingGiven | None = None,
) -> Analysis:
    """Analyse ``network`` as of ``as_of`` (default ``network.meta["as_of"]``, else the data's own
    latest interaction or contact, else today; ``params["as_of_source"]`` says which).

    ``given``: measures another engine computed on the same graph (see the module docstring);
    a :class:`~graphcap.metrics.suite.PendingGiven` is waited for only when the structure
    needs it, after the index and the local measures (such a result is not cached).

    Cached per network content and parameters (the last :data:`CACHE_SIZE` results), so the
    same data analysed twice costs a hash and a copy: each call returns its own frames
    (:meth:`Analysis.copy`), so changing them never changes a later result. Raises
    :class:`~graphcap.errors.MetricError` for input the metrics cannot use (e.g. relationships
    whose ends are not stakeholders).

    >>> from graphcap.sample import sample_small
    >>> a = analyze(sample_small())
    >>> 0 <= a.rci.score <= 100, len(a.nodes) == len(a.network.nodes)
    (True, True)
    >>> b = analyze(sample_small())
    >>> b is a, b.nodes.equals(a.nodes), b.graph is a.graph
    (False, True, True)
    """
    config = config or ProjectConfig()
    as_of_ts = resolve_as_of(network, as_of)
    source = as_of_source(network, as_of)
    risk = risk or RiskConfig(cadence_days=dict(config.cadence_days))
    grid = grid or GridConfig(half_life_days=config.strength.half_life_days)
    weights = weights or RCIWeights()
    params = json.dumps(
        [
            as_of_ts.isoformat(),
            source,
            seed,
            repr(config.strength),
            repr(config.value),
            repr(risk),
            repr(grid),
            repr(weights),
            # declared with the data, not in its frames: two declarations, two results
            bool(network.meta.get("ego_only", False)),
        ]
    )
    key = network_hash(network, exact=True) + ":" + hashlib.sha256(params.encode()).hexdigest()
    if isinstance(given, PendingGiven):  # its values are not known yet: computed, not cached
        result = _compute(network, config, as_of_ts, seed, risk, grid, weights, key, source, given)
        nx.freeze(result.graph)
        return result
    if given is not None:
        key += ":" + given.fingerprint()
    with _LOCK:
        cached = _cached(
            _Job(key, (network, config, as_of_ts, seed, risk, grid, weights, source, given))
        )
    return cached.copy()
