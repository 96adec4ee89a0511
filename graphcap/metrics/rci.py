"""The Relational Capital Index (RCI): one 0–100 score for the focal organisation.

What it means for a strategy team
---------------------------------
How much the organisation's network is worth as an asset: strong ties to the stakeholders that
bring money, that money spread over many of them, contacts that open doors onward, little of it
at risk, and no hostile party with power over us. 100 would be all of that; a portfolio that
hangs on one customer, or whose contracts all run out, or that a regulator is hostile to, scores
far lower — the index is meant to tell portfolios apart (tests/metrics/test_rci_scenarios.py ranks
eight of them by hand and the index reproduces the order over more than 50 points).

How it is computed (docs/METRICS.md has a worked example)
--------------------------------------------------------
Five dimensions in [0, 1] (graphcap.metrics.rci_dims): ``strength``, ``diversification`` and
``brokerage`` make the *base*, their weighted mean (weights :class:`RCIWeights`, renormalised
over those that can be computed); ``health`` and ``standing`` multiply it, because capital at risk
or under a hostile regulator is worth less whatever its base::

    RCI = 100 * base * health * standing

The breakdown (:attr:`RCI.dimensions`) adds up to the score: the base dimensions carry
``100 * w_d * x_d / sum(w)`` points each, ``health`` deducts ``100 * base * (1 - health)`` and
``standing`` ``100 * base * health * (1 - standing)``. The value-weighted parts say which kinds of
money they use (``notes``). Losing a stakeholder with value (see graphcap.metrics.whatif) or adding a
negative tie never raises any dimension, so never the index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import networkx as nx
import pandas as pd

from graphcap.config.metric_params import ValueConfig
from graphcap.metrics.paths import FOCAL, contract_focal, tie_strengths
from graphcap.metrics.rci_dims import (
    DIMENSIONS,
    brokerage_reach,
    diversification,
    health,
    stake_weights,
    standing,
    weighted_mean,
)
from graphcap.metrics.risk import RiskConfig, at_risk, single_threaded
from graphcap.metrics.value import stakeholder_value
from graphcap.model import Network

__all__ = [
    "BASE",
    "DIMENSIONS",
    "RCI",
    "RCIParts",
    "RCIWeights",
    "empty_rci",
    "is_ego_only",
    "rci_score",
    "relational_capital_index",
]

#: The dimensions whose weighted mean is the base; the others multiply it.
BASE = ("strength", "diversification", "brokerage")


@dataclass(frozen=True)
class RCIWeights:
    """Weights of the three base dimensions (renormalised over the computable ones) and the radar
    points from which a stakeholder counts as at risk (``at_risk`` in the analysis frames)."""

    strength: float = 0.4
    diversification: float = 0.3
    brokerage: float = 0.3
    at_risk_points: float = 25.0

    def as_dict(self) -> dict[str, float]:
        return {f.name: float(getattr(self, f.name)) for f in fields(self) if f.name in DIMENSIONS}


@dataclass
class RCI:
    """The index: ``score`` (0-100), ``dimensions`` (``dimension value weight points meaning``;
    points add up to the score), ``by_type`` (``type stakeholders value value_share strength
    diversification brokerage health score``) and ``notes`` (dimensions left out and why)."""

    score: float
    dimensions: pd.DataFrame
    by_type: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "dimensions": self.dimensions.to_dict("records"),
            "by_type": self.by_type.to_dict("records"),
            "notes": list(self.notes),
        }


def is_ego_only(network: Network) -> bool:
    """True when the data cannot contain ties among stakeholders: declared so
    (``network.meta["ego_only"]``), or no relationship joins two stakeholders other than the
    organisation. Then "single-threaded" is a property of the data, said once, not a risk per
    relationship.

    >>> nodes = pd.DataFrame({"id": ["o", "a", "b"], "name": list("OAB"),
    ...                       "type": ["organization", "customer", "customer"]})
    >>> is_ego_only(Network(nodes, pd.DataFrame({"source": ["a", "b"], "target": ["o", "o"],
    ...                                          "type": ["BUYS_FROM"] * 2})))
    True
    """
    if bool(network.meta.get("ego_only", False)):
        return True
    focal = set(network.focal_ids())
    e = network.edges
    if not len(e):
        return True
    src, tgt = e["source"].astype(str), e["target"].astype(str)
    return not bool((~src.isin(focal) & ~tgt.isin(focal) & (src != tgt)).any())


def _points(
    base: Mapping[str, float], w: Mapping[str, float], h: float, t: float
) -> tuple[float, list[tuple[str, float, float, float, str]]]:
    total_w = sum(w[d] for d in base)
    rows = []
    b = sum(w[d] * base[d] for d in base) / total_w if total_w > 0 else 0.0
    for d in base:
        weight = w[d] / total_w if total_w > 0 else 0.0
        rows.append((d, base[d], weight, 100.0 * weight * base[d], DIMENSIONS[d]))
    rows.append(("health", h, 0.0, -100.0 * b * (1.0 - h), DIMENSIONS["health"]))
    rows.append(("standing", t, 0.0, -100.0 * b * h * (1.0 - t), DIMENSIONS["standing"]))
    return 100.0 * b * h * t, rows


def rci_score(
    values: pd.DataFrame,
    ties: pd.DataFrame,
    risks: pd.DataFrame,
    reach: Mapping[str, float] | None,
    *,
    standing_value: float = 1.0,
    lost: Iterable[str] = (),
    weights: RCIWeights | None = None,
) -> RCI:
    """Combine the parts into the index.

    ``values``: :func:`~graphcap.metrics.value.stakeholder_value`; ``ties``:
    :func:`~graphcap.metrics.paths.tie_strengths` (``id tie_strength``); ``risks``: the radar
    (``id points``); ``reach``: :func:`~graphcap.metrics.rci_dims.brokerage_reach` (``None``:
    ego-only data, brokerage left out); ``standing_value`` from
    :func:`~graphcap.metrics.rci_dims.standing`; ``lost``: ids lost (what-if).

    >>> values = pd.DataFrame({"id": ["o", "a", "b"], "type": ["organization", "customer", "customer"],
    ...                        "revenue": [0.0, 75.0, 25.0], "value_kind": ["none", "revenue", "revenue"],
    ...                        "value": [0.0, 75.0, 25.0], "value_share": [0.0, 0.75, 0.25]})
    >>> ties = pd.DataFrame({"id": ["o", "a", "b"], "tie_strength": [1.0, 0.8, 0.4]})
    >>> risks = pd.DataFrame({"id": ["b"], "points": [20.0]})
    >>> r = rci_score(values, ties, risks, {"a": 0.5, "b": 0.0})
    >>> r.dimensions[["dimension", "value"]].round(4).values.tolist()
    [['strength', 0.7], ['diversification', 0.2293], ['brokerage', 0.375], ['health', 0.9], ['standing', 1.0]]
    >>> round(r.score, 3)  # 100 * (0.4 * 0.7 + 0.3 * 0.22930 + 0.3 * 0.375) * 0.9
    41.515
    >>> round(float(r.dimensions["points"].sum()), 3)
    41.515
    """
    weights = weights or RCIWeights()
    w = weights.as_dict()
    others = values[values["type"] != "organization"].reset_index(drop=True)
    if not len(others):
        return empty_rci("no stakeholders besides the focal organisation: the index is 0")
    # lists, not Series: iterating a pandas 3 string column costs a conversion per element
    tie = dict(
        zip(
            ties["id"].astype(str).tolist(),
            ties["tie_strength"].astype(float).tolist(),
            strict=True,
        )
    )
    stake, kinds = stake_weights(others)
    lost_set = {str(i) for i in lost} | {i for i in stake.index.tolist() if tie.get(i, 0.0) <= 0}
    notes = []
    base: dict[str, float] = {"strength": weighted_mean(stake, tie)}
    div = diversification(others)
    if div is not None:
        base["diversification"] = div
    else:
        notes.append(
            "diversification left out: no stakeholder brings money (revenue, spend or flow)"
        )
    if reach is not None:
        base["brokerage"] = weighted_mean(stake, reach)
    else:
        notes.append(
            "brokerage left out: the data is ego-only (declared), it cannot show ties "
            "among stakeholders"
        )
    notes.append(
        "strength, brokerage and health are weighted by "
        + (
            " and ".join(kinds) + " (each kind an equal share, never added)"
            if kinds
            else "stakeholder count (no money recorded)"
        )
    )
    h = health(stake, risks, lost_set)
    score, rows = _points(base, w, h, standing_value)
    dimensions = pd.DataFrame(rows, columns=["dimension", "value", "weight", "points", "meaning"])
    dimensions[["dimension", "meaning"]] = dimensions[["dimension", "meaning"]].astype(object)

    type_rows = []
    for typ, rows_t in others.groupby("type", sort=True):
        st, _ = stake_weights(rows_t)
        tb = {"strength": weighted_mean(st, tie)}
        td = diversification(rows_t)
        if td is not None:
            tb["diversification"] = td
        if reach is not None:
            tb["brokerage"] = weighted_mean(st, reach)
        th = health(st, risks, lost_set & set(st.index))
        tscore, _ = _points(tb, w, th, standing_value)
        type_rows.append(
            {
                "type": str(typ),
                "stakeholders": int(len(rows_t)),
                **{d: float(tb.get(d, float("nan"))) for d in BASE},
                "health": th,
                "score": tscore,
            }
        )
    by_type = pd.DataFrame(type_rows, columns=["type", "stakeholders", *BASE, "health", "score"])
    by_type["type"] = by_type["type"].astype(object)
    return RCI(score=float(score), dimensions=dimensions, by_type=by_type, notes=notes)


def empty_rci(note: str) -> RCI:
    """The index of a network that has no basis for one: score 0, empty breakdowns, ``note``.

    >>> empty_rci("no focal organisation").score
    0.0
    """
    return RCI(
        score=0.0,
        dimensions=pd.DataFrame(columns=["dimension", "value", "weight", "points", "meaning"]),
        by_type=pd.DataFrame(columns=["type", "stakeholders", *BASE, "health", "score"]),
        notes=[note],
    )


@dataclass
class RCIParts:
    """What the index is made of, for reuse: ``values`` (stakeholder_value), ``ties``
    (tie_strengths), ``single`` (single-threaded ids; empty for ego-only data), ``risks``
    (at_risk), ``reach`` (brokerage_reach), ``ego_only``, ``hostile`` (most hostile party)."""

    values: pd.DataFrame
    ties: pd.DataFrame
    single: set[str]
    risks: pd.DataFrame
    reach: dict[str, float]
    ego_only: bool = False
    hostile: str | None = None


def relational_capital_index(
    network: Network,
    G: nx.Graph,
    *,
    as_of: Any = None,
    risk_config: RiskConfig | None = None,
    weights: RCIWeights | None = None,
    value_config: ValueConfig | None = None,
    lost: Iterable[str] = (),
    ego_only: bool | None = None,
    values: pd.DataFrame | None = None,
) -> tuple[RCI, RCIParts]:
    """The whole pipeline from a network with strength (``network``) and its undirected strength
    graph ``G`` (:func:`graphcap.graph.projection.to_weighted`) to the index and its parts.

    ``lost`` names stakeholders that are gone but whose value stays on the books (what-if:
    ``values`` then passes the value frame from before, since their money on relationships left
    with the relationships); ``ego_only`` overrides :func:`is_ego_only`. Raises
    :class:`~graphcap.errors.MetricError` when the network has no focal organisation.

    >>> nodes = pd.DataFrame({"id": ["o", "a", "b", "c"], "name": list("OABC"),
    ...                       "type": ["organization", "customer", "customer", "supplier"],
    ...                       "revenue": [None, 50.0, 50.0, None]})
    >>> G = nx.Graph([("o", x, {"strength": 0.5}) for x in "abc"])
    >>> edges = pd.DataFrame({"source": list("abc"), "target": ["o"] * 3,
    ...                       "type": ["BUYS_FROM", "BUYS_FROM", "SUPPLIES"], "strength": [0.5] * 3})
    >>> rci, parts = relational_capital_index(Network(nodes, edges), G, as_of="2024-01-01")
    >>> round(rci.score, 2)  # a star: base 0.4 * 0.5 + 0.3 * 0.4202 + 0.3 * 0 (no onward ties)
    32.61
    """
    focal = network.focal_ids()
    ego = is_ego_only(network) if ego_only is None else bool(ego_only)
    values = stakeholder_value(network, value_config) if values is None else values
    ties = tie_strengths(G, focal)
    H = contract_focal(G, focal)
    single = set() if ego else single_threaded(H, [FOCAL], usable_only=True)
    risks = at_risk(network, values, as_of=as_of, config=risk_config, single=single)
    declared = bool(network.meta.get("ego_only", False))
    reach = brokerage_reach(G, focal)
    stand, hostile = standing(G, focal, values)
    rci = rci_score(
        values,
        ties,
        risks,
        None if declared else reach,
        standing_value=stand,
        lost=lost,
        weights=weights,
    )
    if ego and not declared:
        rci.notes.append(
            "no relationship among stakeholders is recorded (a star): brokerage is 0 "
            "and nobody is flagged single-threaded one by one; if the data cannot "
            "contain such ties, declare it ego-only"
        )
    if hostile is not None:
        rci.notes.append(f"standing: {hostile} has a negative tie with the organisation")
    return rci, RCIParts(
        values=values,
        ties=ties,
        single=single,
        risks=risks,
        reach=reach,
        ego_only=ego,
        hostile=hostile,
    )
