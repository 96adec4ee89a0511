"""How one analysis is computed: strength, projection, index, structure (position, brokerage,
communities, bridges, given measures), then the frames of an
:class:`~graphcap.analysis.result.Analysis` with the parameters and timings that determined it.
Uncached: :func:`graphcap.analysis.analyze` caches what :func:`_compute` returns."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

import networkx as nx
import pandas as pd

from graphcap.analysis.result import Analysis
from graphcap.config import ProjectConfig
from graphcap.graph.projection import to_weighted
from graphcap.metrics.brokerage import bridges
from graphcap.metrics.communities import composition, modularity
from graphcap.metrics.grid import GridConfig, engagement, percentile, power_interest
from graphcap.metrics.paths import focal_counterpart
from graphcap.metrics.rci import RCIParts, RCIWeights, empty_rci, relational_capital_index
from graphcap.metrics.reach_sketch import typical_error
from graphcap.metrics.risk import RISK_COLUMNS, RiskConfig
from graphcap.metrics.strength import compute_strength
from graphcap.metrics.suite import (
    MEASURES,
    Given,
    PendingGiven,
    node_metrics,
    start_path_measures,
)
from graphcap.metrics.value import concentration, lorenz_curve, stakeholder_value, value_by_type
from graphcap.model import Network
from graphcap.model.schema import NODE_OPTIONAL

#: Node properties carried into the ``nodes`` frame when present.
KEY_PROPERTIES = tuple(NODE_OPTIONAL)
#: The position measures of node_metrics (its columns up to the k-core), in its order.
_POSITION = MEASURES[: MEASURES.index("core_number") + 1]


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
