"""The Relational Capital Index (RCI): one 0–100 score for the focal organisation.

What it means for a strategy team
---------------------------------
How much the organisation's network is worth as an asset: strong ties to the stakeholders that
matter, value spread over many of them, a position that bridges rather than depends, and little
of the value at risk. 100 would be strong, diversified, brokering and safe; 0 no relational capital
at all. The breakdown shows which dimension and which stakeholder type pull it down.

How it is computed (docs/METRICS.md has a worked example)
--------------------------------------------------------
Four dimensions, each in [0, 1]:

- ``strength`` — value-weighted tie strength: ``sum(v_i * t_i) / sum(v_i)`` over stakeholders with
  value ``v_i > 0``, ``t_i`` the strongest-path tie strength to the organisation
  (:func:`~graphcap.metrics.paths.tie_strengths`); without any value the plain mean of ``t_i``.
- ``diversification`` — ``1 - HHI`` of the value shares (0: one stakeholder brings everything).
- ``brokerage`` — ``1 - constraint`` (Burt) of the organisation, its units merged into one node,
  on the strength-weighted graph: high when its contacts are many and not tied to each other.
- ``health`` — ``1 - at-risk value share``: value of the stakeholders on the at-risk radar with
  at least ``at_risk_points`` points, over all value (by count without value).

``RCI = 100 * sum(w_d * x_d) / sum(w_d)`` over the dimensions that can be computed (weights
:class:`RCIWeights`, equal by default). A dimension without a basis (no stakeholder at all, no
value for diversification) is left out and named in ``notes``. The same formula restricted to the
stakeholders of one type (and, for brokerage, to the graph of the organisation and that type)
gives the breakdown by type.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graphcap.graph.engine import engine_for
from graphcap.metrics.paths import FOCAL, contract_focal, tie_strengths
from graphcap.metrics.risk import RiskConfig, at_risk, single_threaded
from graphcap.metrics.value import hhi, stakeholder_value
from graphcap.model import Network

__all__ = [
    "DIMENSIONS",
    "RCI",
    "RCIParts",
    "RCIWeights",
    "empty_rci",
    "focal_brokerage",
    "rci_score",
    "relational_capital_index",
]

#: Dimension name -> what it means, in the order of the breakdown.
DIMENSIONS: Mapping[str, str] = {
    "strength": "value-weighted strength of the ties to the organisation",
    "diversification": "1 - HHI of the value shares: value spread over many stakeholders",
    "brokerage": "1 - Burt's constraint of the organisation: bridging, not depending",
    "health": "1 - share of value on the at-risk radar",
}


@dataclass(frozen=True)
class RCIWeights:
    """Weights of the four RCI dimensions (renormalised over the computable ones) and the radar
    points from which a stakeholder counts as at risk for ``health``."""

    strength: float = 0.25
    diversification: float = 0.25
    brokerage: float = 0.25
    health: float = 0.25
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


def focal_brokerage(G: nx.Graph, focal_ids: Iterable[str], nodes: Iterable[str] | None = None,
                    *, weight: str = "strength") -> float:
    """``1 - constraint`` of the organisation (units merged) in ``G`` (restricted to ``nodes``
    plus the organisation when given), clipped to [0, 1]; 0 when it has no contacts. ``G`` may
    already be contracted (:func:`~graphcap.metrics.paths.contract_focal`).

    Three contacts of equal strength that do not know each other: constraint ``3 * (1/3)**2``:

    >>> G = nx.Graph([("o", x, {"strength": 0.5}) for x in "abc"])
    >>> round(focal_brokerage(G, ["o"]), 4)
    0.6667
    """
    return _brokerage(contract_focal(G, focal_ids), {"x": nodes}, weight=weight)["x"]


def _brokerage(H: nx.Graph, groups: Mapping[str, Iterable[str] | None], *, weight: str = "strength"
               ) -> dict[str, float]:
    """``1 - constraint`` of :data:`FOCAL` in the contracted graph ``H``, or in its subgraph of
    each group's nodes plus the organisation, converting ``H`` to the metrics engine once."""
    eg = engine_for(H, [weight])
    g, wname, focal = eg.ig, eg.ig_weights(weight), eg.index[FOCAL]
    out: dict[str, float] = {}
    for name, nodes in groups.items():
        if nodes is None:
            sub, pos = g, focal
        else:
            keep = sorted({eg.index[n] for n in nodes if n in eg.index} | {focal})
            sub, pos = g.induced_subgraph(keep), keep.index(focal)
        if sub.degree(pos) == 0:
            out[name] = 0.0
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            value = float(sub.constraint([pos], weights=wname)[0])
        out[name] = float(min(1.0, max(0.0, 1.0 - value))) if np.isfinite(value) else 0.0
    return out


def _dims(values: pd.DataFrame, risky: set[str]) -> tuple[dict[str, float], list[str]]:
    """strength, diversification, health of a set of stakeholders (rows of the merged frame)."""
    out: dict[str, float] = {}
    notes: list[str] = []
    if len(values) == 0:
        return out, ["no stakeholders"]
    v = values["value"].to_numpy(dtype=float)
    t = values["tie_strength"].to_numpy(dtype=float)
    total = float(v.sum())
    at_risk = values["id"].isin(risky).to_numpy()
    if total > 0:
        out["strength"] = float((v * t).sum() / total)
        out["diversification"] = 1.0 - hhi(v)
        out["health"] = 1.0 - float(v[at_risk].sum() / total)
    else:
        out["strength"] = float(t.mean())
        out["health"] = 1.0 - float(at_risk.mean())
        notes.append("diversification left out: no stakeholder has a value (revenue or volume)")
    return out, notes


def _combine(dims: Mapping[str, float], weights: Mapping[str, float]) -> float:
    total_w = sum(weights[d] for d in dims)
    if total_w <= 0:
        return 0.0
    return float(100.0 * sum(weights[d] * dims[d] for d in dims) / total_w)


def rci_score(
    values: pd.DataFrame,
    ties: pd.DataFrame,
    risks: pd.DataFrame,
    brokerage: Mapping[str, float],
    *,
    weights: RCIWeights | None = None,
) -> RCI:
    """Combine the parts into the index.

    ``values``: :func:`~graphcap.metrics.value.stakeholder_value` (``id type value``);
    ``ties``: :func:`~graphcap.metrics.paths.tie_strengths` (``id tie_strength``);
    ``risks``: :func:`~graphcap.metrics.risk.at_risk` (``id points``); ``brokerage``:
    ``{"all": b, <type>: b_type, ...}`` from :func:`focal_brokerage`.

    >>> values = pd.DataFrame({"id": ["o", "a", "b"], "type": ["organization", "customer", "customer"],
    ...                        "value": [0.0, 75.0, 25.0]})
    >>> ties = pd.DataFrame({"id": ["o", "a", "b"], "tie_strength": [1.0, 0.8, 0.4]})
    >>> risks = pd.DataFrame({"id": ["b"], "points": [40.0]})
    >>> r = rci_score(values, ties, risks, {"all": 0.5, "customer": 0.5})
    >>> r.dimensions[["dimension", "value"]].round(4).values.tolist()
    [['strength', 0.7], ['diversification', 0.375], ['brokerage', 0.5], ['health', 0.75]]
    >>> round(r.score, 4)  # 25 * (0.7 + 0.375 + 0.5 + 0.75)
    58.125
    """
    weights = weights or RCIWeights()
    w = weights.as_dict()
    merged = values[values["type"] != "organization"].merge(
        ties[["id", "tie_strength"]], on="id", how="left"
    )
    merged["tie_strength"] = merged["tie_strength"].fillna(0.0)
    risky = set(risks.loc[risks["points"] >= weights.at_risk_points, "id"]) if len(risks) else set()

    def assemble(rows: pd.DataFrame, b: float | None) -> tuple[dict[str, float], list[str]]:
        dims, notes = _dims(rows, risky)
        if dims and b is not None:
            dims["brokerage"] = float(b)
        return {d: dims[d] for d in DIMENSIONS if d in dims}, notes

    dims, notes = assemble(merged, brokerage.get("all"))
    score = _combine(dims, w)
    total_w = sum(w[d] for d in dims)
    dim_rows = [
        (d, dims[d], w[d] / total_w if total_w else 0.0,
         100.0 * w[d] * dims[d] / total_w if total_w else 0.0, DIMENSIONS[d])
        for d in dims
    ]
    dimensions = pd.DataFrame(dim_rows, columns=["dimension", "value", "weight", "points", "meaning"])
    dimensions[["dimension", "meaning"]] = dimensions[["dimension", "meaning"]].astype(object)

    total_value = float(merged["value"].sum())
    type_rows = []
    for typ, rows in merged.groupby("type", sort=True):
        tdims, _ = assemble(rows, brokerage.get(str(typ)))
        tv = float(rows["value"].sum())
        type_rows.append(
            {"type": str(typ), "stakeholders": int(len(rows)), "value": tv,
             "value_share": tv / total_value if total_value > 0 else 0.0,
             **{d: float(tdims.get(d, 0.0)) for d in DIMENSIONS},
             "score": _combine(tdims, w)}
        )
    by_type = pd.DataFrame(
        type_rows,
        columns=["type", "stakeholders", "value", "value_share", *DIMENSIONS, "score"],
    )
    by_type["type"] = by_type["type"].astype(object)
    if not dims:
        return empty_rci("no stakeholders besides the focal organisation: the index is 0")
    return RCI(score=score, dimensions=dimensions, by_type=by_type, notes=notes)


def empty_rci(note: str) -> RCI:
    """The index of a network that has no basis for one: score 0, empty breakdowns, ``note``.

    >>> empty_rci("no focal organisation").score
    0.0
    """
    return RCI(
        score=0.0,
        dimensions=pd.DataFrame(columns=["dimension", "value", "weight", "points", "meaning"]),
        by_type=pd.DataFrame(columns=["type", "stakeholders", "value", "value_share", *DIMENSIONS, "score"]),
        notes=[note],
    )


@dataclass
class RCIParts:
    """What the index is made of, for reuse: ``values`` (stakeholder_value), ``ties``
    (tie_strengths), ``single`` (single-threaded ids), ``risks`` (at_risk), ``brokerage``."""

    values: pd.DataFrame
    ties: pd.DataFrame
    single: set[str]
    risks: pd.DataFrame
    brokerage: dict[str, float]


def relational_capital_index(
    network: Network,
    G: nx.Graph,
    *,
    as_of: Any = None,
    risk_config: RiskConfig | None = None,
    weights: RCIWeights | None = None,
) -> tuple[RCI, RCIParts]:
    """The whole pipeline from a network with strength (``network``) and its undirected strength
    graph ``G`` (:func:`graphcap.graph.projection.to_weighted`) to the index and its parts.

    Raises :class:`~graphcap.errors.MetricError` when the network has no focal organisation.

    >>> nodes = pd.DataFrame({"id": ["o", "a", "b", "c"], "name": list("OABC"),
    ...                       "type": ["organization", "customer", "customer", "supplier"],
    ...                       "revenue": [None, 50.0, 50.0, None]})
    >>> G = nx.Graph([("o", x, {"strength": 0.5}) for x in "abc"])
    >>> edges = pd.DataFrame({"source": list("abc"), "target": ["o"] * 3,
    ...                       "type": ["BUYS_FROM", "BUYS_FROM", "SUPPLIES"], "strength": [0.5] * 3})
    >>> rci, parts = relational_capital_index(Network(nodes, edges), G, as_of="2024-01-01")
    >>> round(rci.score, 2)  # 25 * (0.5 + 0.5 + 2/3 + 1)
    66.67
    """
    focal = network.focal_ids()
    values = stakeholder_value(network)
    ties = tie_strengths(G, focal)
    H = contract_focal(G, focal)
    single = single_threaded(H, focal)
    risks = at_risk(network, values, as_of=as_of, config=risk_config, single=single)
    types = values.loc[values["type"] != "organization", ["id", "type"]]
    groups: dict[str, Iterable[str] | None] = {"all": None}
    groups.update({str(typ): ids for typ, ids in types.groupby("type")["id"]})
    brokerage = _brokerage(H, groups)
    rci = rci_score(values, ties, risks, brokerage, weights=weights)
    return rci, RCIParts(values=values, ties=ties, single=single, risks=risks, brokerage=brokerage)
