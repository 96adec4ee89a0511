"""Value and concentration: what each stakeholder is worth to us, by kind of money.

What it means for a strategy team
---------------------------------
Money has kinds, and they are never added together:

- **revenue** — what customers pay us (node ``revenue``, else the volume of revenue relationships);
- **spend** — what we pay suppliers and service partners (SUPPLIES, SERVES volume);
- **flow** — other money (bank transfers, grants, partnership flows: any other relationship type).

Which kind a relationship type carries is configurable (``[value.kinds]`` in graphcap.toml,
:class:`graphcap.config.metric_params.ValueConfig`). Each kind has its own concentration figures: the
*Pareto share* (value from the top 20 % of the stakeholders with that kind), the *Lorenz curve*,
the *Gini* coefficient (0 = all equal, near 1 = one takes all) and the *Herfindahl-Hirschman
index* (HHI, sum of squared shares: 1 = one stakeholder, 1/n = n equal ones).

How it is computed
------------------
Per stakeholder (:func:`stakeholder_value`), over its relationships with the focal
organisation: a relationship of a ``revenue`` or ``spend`` type read in its usual direction
(counterparty -> organisation: a customer BUYS_FROM us, a supplier SUPPLIES us) adds its
``volume`` to that kind; in the other direction (the organisation SUPPLIES a customer) to the
other kind; ``flow`` types add to ``flow``. A positive node ``revenue`` replaces the revenue from
relationships. In a network without any money on relationships with the organisation (a bank
flow network, or no focal organisation) ``flow`` is a stakeholder's throughput: the volume of all
its relationships of flow types, sent plus received. Negative amounts count as 0; the focal
organisation itself has no value.

``value_kind`` is the stakeholder's main kind (the largest of its amounts; revenue, then spend,
then flow on a tie), ``value`` its amount in that kind and ``value_share`` its share of that
kind's total — so a supplier's share is a share of spend, never of revenue.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from graphcap.config.metric_params import VALUE_KINDS, ValueConfig
from graphcap.metrics.paths import focal_counterpart
from graphcap.model import Network

__all__ = [
    "VALUE_KINDS",
    "concentration",
    "describe_value",
    "gini",
    "hhi",
    "kind_summary",
    "lorenz_curve",
    "pareto_share",
    "stakeholder_value",
    "value_by_type",
]

_SWAP = {"revenue": "spend", "spend": "revenue", "flow": "flow"}


def _amounts(values: Iterable[float] | pd.Series) -> np.ndarray:
    arr = (
        pd.to_numeric(
            pd.Series(list(values) if not isinstance(values, pd.Series) else values),
            errors="coerce",
        )
        .astype(float)
        .to_numpy(na_value=np.nan)
    )
    arr = np.nan_to_num(arr, nan=0.0, posinf=0.0, neginf=0.0)
    return np.where(arr < 0, 0.0, arr)


def _numeric(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(0.0, index=frame.index)
    return pd.Series(_amounts(frame[column]), index=frame.index)


def _edge_kinds(edges: pd.DataFrame, config: ValueConfig, focal_is_source: pd.Series) -> pd.Series:
    base = edges["type"].astype(str).str.upper().map(lambda t: config.kind_of(t))
    swapped = base.map(_SWAP)
    return base.where(~focal_is_source, swapped)


def stakeholder_value(network: Network, config: ValueConfig | None = None) -> pd.DataFrame:
    """One row per stakeholder: ``id``, ``name``, ``type``, ``revenue``, ``spend``, ``flow``,
    ``clv``, ``segment`` (when the nodes have one), ``volume_with_focal``, ``value_kind``, ``value`` and ``value_share`` (of the total
    of its own kind).

    >>> nodes = pd.DataFrame({"id": ["o", "c", "s"], "name": ["O", "C", "S"],
    ...                       "type": ["organization", "customer", "supplier"], "revenue": [None, 300.0, None]})
    >>> edges = pd.DataFrame({"source": ["c", "s"], "target": ["o", "o"], "type": ["BUYS_FROM", "SUPPLIES"],
    ...                       "volume": [250.0, 100.0]})
    >>> v = stakeholder_value(Network(nodes, edges))
    >>> v[["id", "revenue", "spend", "value_kind", "value", "value_share"]].values.tolist()
    [['o', 0.0, 0.0, 'none', 0.0, 0.0], ['c', 300.0, 0.0, 'revenue', 300.0, 1.0], ['s', 0.0, 100.0, 'spend', 100.0, 1.0]]
    """
    config = config or ValueConfig()
    nodes = network.nodes
    ids = nodes["id"].astype(str)
    out = pd.DataFrame(
        {
            "id": ids.to_numpy(),
            "name": nodes["name"].astype(object).to_numpy(),
            "type": nodes["type"].astype(object).to_numpy(),
        }
    )
    node_revenue = _numeric(nodes, "revenue").to_numpy()
    out["clv"] = _numeric(nodes, "clv").to_numpy()
    if "segment" in nodes.columns:  # supply categories: single-sourced spend (graphcap.metrics.rci)
        out["segment"] = nodes["segment"].astype(object).to_numpy()
    focal = set(network.focal_ids())
    edges = network.edges
    sums = {k: pd.Series(0.0, index=pd.Index(out["id"])) for k in VALUE_KINDS}
    vol_focal = pd.Series(0.0, index=pd.Index(out["id"]))
    if len(edges):
        vol = _numeric(edges, "volume")
        other = focal_counterpart(edges, focal) if focal else pd.Series(None, index=edges.index)
        with_focal = other.notna() & (vol > 0)
        if with_focal.any():
            src = edges["source"].astype(str)
            kinds = _edge_kinds(edges, config, src.isin(focal))
            vol_focal = vol_focal.add(
                vol[with_focal].groupby(other[with_focal]).sum(), fill_value=0.0
            )
            for k in VALUE_KINDS:
                sel = with_focal & (kinds == k)
                sums[k] = sums[k].add(vol[sel].groupby(other[sel]).sum(), fill_value=0.0)
        else:  # no money with the organisation: flow is each stakeholder's throughput
            flow_type = edges["type"].astype(str).str.upper().map(config.kind_of) == "flow"
            sel = flow_type & (vol > 0)
            both = pd.concat(
                [
                    vol[sel].groupby(edges.loc[sel, "source"].astype(str)).sum(),
                    vol[sel].groupby(edges.loc[sel, "target"].astype(str)).sum(),
                ]
            )
            sums["flow"] = sums["flow"].add(both.groupby(level=0).sum(), fill_value=0.0)
    for k in VALUE_KINDS:
        out[k] = sums[k].reindex(out["id"]).fillna(0.0).to_numpy()
    out["revenue"] = np.where(node_revenue > 0, node_revenue, out["revenue"])
    out["volume_with_focal"] = vol_focal.reindex(out["id"]).fillna(0.0).to_numpy()
    is_focal = out["id"].isin(focal).to_numpy()
    out.loc[is_focal, [*VALUE_KINDS, "volume_with_focal"]] = 0.0
    amounts = out[list(VALUE_KINDS)].to_numpy(dtype=float)
    best = amounts.argmax(axis=1) if len(out) else np.zeros(0, dtype=int)
    top = amounts.max(axis=1) if len(out) else np.zeros(0)
    out["value_kind"] = pd.Series(
        np.where(top > 0, np.array(VALUE_KINDS, dtype=object)[best], "none"), dtype=object
    )
    out["value"] = np.where(top > 0, top, 0.0)
    totals = {k: float(out.loc[out["value_kind"] == k, "value"].sum()) for k in VALUE_KINDS}
    denom = out["value_kind"].map(totals).fillna(0.0).to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["value_share"] = np.where(
            denom > 0, out["value"] / np.where(denom > 0, denom, 1.0), 0.0
        )
    return out


def value_by_type(values: pd.DataFrame) -> pd.DataFrame:
    """Totals per stakeholder type: ``type``, ``stakeholders``, ``revenue``, ``spend``, ``flow``,
    ``clv`` and the type's ``revenue_share`` / ``spend_share`` / ``flow_share`` of each kind's
    total; biggest revenue, then spend, then flow first.

    >>> v = pd.DataFrame({"type": ["customer", "customer", "supplier"], "revenue": [3.0, 1.0, 0.0],
    ...                   "spend": [0.0, 0.0, 4.0], "flow": [0.0, 0.0, 0.0], "clv": [0.0, 0.0, 0.0]})
    >>> value_by_type(v)[["type", "stakeholders", "revenue_share", "spend_share"]].values.tolist()
    [['customer', 2, 1.0, 0.0], ['supplier', 1, 0.0, 1.0]]
    """
    cols = ["type", "stakeholders", *VALUE_KINDS, "clv", *(f"{k}_share" for k in VALUE_KINDS)]
    if len(values) == 0:
        return pd.DataFrame(columns=cols)
    grouped = (
        values.groupby("type", sort=True)
        .agg(
            stakeholders=("type", "size"),
            **{k: (k, "sum") for k in (*VALUE_KINDS, "clv")},
        )
        .reset_index()
    )
    for k in VALUE_KINDS:
        total = float(grouped[k].sum())
        grouped[f"{k}_share"] = grouped[k] / total if total > 0 else 0.0
    grouped["type"] = grouped["type"].astype(object)
    order = grouped.sort_values(
        [*VALUE_KINDS, "type"], ascending=[False, False, False, True], kind="stable"
    )
    return order[cols].reset_index(drop=True)


def pareto_share(values: Iterable[float], top: float = 0.2) -> float:
    """Share of the total value that the top ``top`` fraction of stakeholders bring (the top
    ``ceil(top * n)`` by value). 0.0 when there is no value.

    >>> pareto_share([50, 20, 10, 10, 10])  # top 1 of 5
    0.5
    >>> pareto_share([])
    0.0
    """
    x = np.sort(_amounts(values))[::-1]
    total = float(x.sum())
    if total <= 0:
        return 0.0
    k = max(1, math.ceil(top * len(x) - 1e-9))
    return float(x[:k].sum() / total)


def lorenz_curve(values: Iterable[float]) -> pd.DataFrame:
    """The Lorenz curve: ``population_share`` (the poorest first) against the ``value_share``
    they hold, from (0, 0) to (1, 1). Equal values lie on the diagonal.

    >>> lorenz_curve([1, 3]).values.tolist()
    [[0.0, 0.0], [0.5, 0.25], [1.0, 1.0]]
    """
    x = np.sort(_amounts(values))
    n = len(x)
    total = float(x.sum())
    pop = np.arange(n + 1) / n if n else np.array([0.0, 1.0])
    if n and total > 0:
        share = np.concatenate([[0.0], np.cumsum(x) / total])
    else:
        share = pop.copy()  # no value: nothing is concentrated
    return pd.DataFrame({"population_share": pop, "value_share": share})


def gini(values: Iterable[float]) -> float:
    """Gini coefficient of the values: 0 when all are equal (or there is no value), ``1 - 1/n``
    when one stakeholder holds everything. ``G = sum_i sum_j |x_i - x_j| / (2 n^2 mean)``.

    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 10])
    0.75
    """
    x = np.sort(_amounts(values))
    n = len(x)
    total = float(x.sum())
    if n == 0 or total <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float(max(0.0, (2.0 * np.sum(ranks * x)) / (n * total) - (n + 1) / n))


def hhi(values: Iterable[float]) -> float:
    """Herfindahl-Hirschman index of the value shares, in (0, 1]: ``sum(share_i ** 2)``.
    0.0 when there is no value at all (nothing to be concentrated).

    >>> hhi([60, 20, 20])
    0.44
    >>> hhi([])
    0.0
    """
    x = _amounts(values)
    total = float(x.sum())
    if total <= 0:
        return 0.0
    return float(round(np.sum((x / total) ** 2), 12))


def kind_summary(
    amounts: Iterable[float] | pd.Series, ids: Iterable[str] | None = None, *, top: float = 0.2
) -> dict[str, Any]:
    """The concentration figures of one kind's amounts (only positive amounts count):
    ``total``, ``stakeholders``, ``pareto_share``, ``gini``, ``hhi``, ``effective_number``
    (``1 / HHI``, 0 without value), ``top_stakeholder`` and ``top_share``.

    >>> s = kind_summary([60.0, 20.0, 20.0, 0.0], ["a", "b", "c", "d"])
    >>> s["stakeholders"], s["hhi"], round(s["effective_number"], 4), s["top_stakeholder"], s["top_share"]
    (3, 0.44, 2.2727, 'a', 0.6)
    """
    x = _amounts(amounts)
    names = [str(i) for i in ids] if ids is not None else [str(i) for i in range(len(x))]
    keep = x > 0
    x = x[keep]
    names = [n for n, k in zip(names, keep, strict=True) if k]
    total = float(x.sum())
    h = hhi(x)
    at = int(np.argmax(x)) if len(x) else -1
    return {
        "total": total,
        "stakeholders": int(len(x)),
        "pareto_share": pareto_share(x, top=top),
        "gini": gini(x),
        "hhi": h,
        "effective_number": 1.0 / h if h > 0 else 0.0,
        "top_stakeholder": names[at] if at >= 0 else None,
        "top_share": float(x[at] / total) if at >= 0 and total > 0 else 0.0,
    }


def concentration(values: pd.DataFrame, *, top: float = 0.2) -> dict[str, Any]:
    """The concentration figures of a :func:`stakeholder_value` frame, per kind and for the
    network's main kind.

    ``kinds`` maps each kind with money (``revenue``, ``spend``, ``flow``) to its
    :func:`kind_summary`; ``value_basis`` is the main kind (revenue where there is revenue, else
    spend, else flow; ``"none"`` without money) and ``total_value``, ``stakeholders_with_value``,
    ``pareto_share``, ``gini``, ``hhi``, ``top_stakeholder``, ``top_share`` are that kind's
    figures. ``hhi_customers`` is the HHI of customer revenue, ``hhi_suppliers`` of supplier
    spend; ``customers`` / ``suppliers`` count those with revenue / spend.

    >>> v = pd.DataFrame({"id": ["a", "b", "c"], "type": ["customer", "customer", "supplier"],
    ...                   "revenue": [30.0, 10.0, 0.0], "spend": [0.0, 0.0, 10.0], "flow": [0.0] * 3})
    >>> c = concentration(v)
    >>> c["value_basis"], c["total_value"], c["kinds"]["spend"]["total"], c["hhi_customers"]
    ('revenue', 40.0, 10.0, 0.625)
    """
    kinds: dict[str, dict[str, Any]] = {}
    for k in VALUE_KINDS:
        if k in values.columns and len(values) and float(_amounts(values[k]).sum()) > 0:
            kinds[k] = kind_summary(values[k], values["id"], top=top)
    basis = next(iter(kinds), "none")
    main = kinds.get(basis) or kind_summary([], [], top=top)
    customers = values[values["type"] == "customer"] if len(values) else values
    suppliers = values[values["type"] == "supplier"] if len(values) else values

    def col(frame: pd.DataFrame, name: str) -> np.ndarray:
        return _amounts(frame[name]) if len(frame) and name in frame.columns else np.zeros(0)

    return {
        "kinds": kinds,
        "value_basis": basis,
        "total_value": main["total"],
        "stakeholders_with_value": main["stakeholders"],
        "pareto_share": main["pareto_share"],
        "gini": main["gini"],
        "hhi": main["hhi"],
        "top_stakeholder": main["top_stakeholder"],
        "top_share": main["top_share"],
        "hhi_customers": hhi(col(customers, "revenue")),
        "hhi_suppliers": hhi(col(suppliers, "spend")),
        "customers": int((col(customers, "revenue") > 0).sum()),
        "suppliers": int((col(suppliers, "spend") > 0).sum()),
    }


def describe_value(conc: dict[str, Any]) -> str:
    """One line naming every kind with money, never adding them up.

    >>> describe_value({"kinds": {"revenue": {"total": 1200.0, "stakeholders": 3},
    ...                           "spend": {"total": 400.0, "stakeholders": 2}}})
    'revenue 1,200 from 3 stakeholder(s); spend 400 from 2 stakeholder(s)'
    >>> describe_value({"kinds": {}})
    'no money recorded (no revenue, spend or flow)'
    """
    parts = [
        f"{k} {s['total']:,.0f} from {s['stakeholders']} stakeholder(s)"
        for k, s in conc.get("kinds", {}).items()
    ]
    return "; ".join(parts) if parts else "no money recorded (no revenue, spend or flow)"
