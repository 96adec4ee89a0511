"""Value and concentration: how much each stakeholder is worth to us and how concentrated that is.

What it means for a strategy team
---------------------------------
``value`` is what a stakeholder brings in a year; the concentration figures say how exposed the
organisation is to a few of them: the *Pareto share* (value from the top 20 % of stakeholders),
the *Lorenz curve* and *Gini* coefficient (0 = all equal, near 1 = one takes all) and the
*Herfindahl-Hirschman index* (HHI, sum of squared shares: 1 = one customer, 1/n = n equal ones)
separately for customers (revenue) and suppliers (what we buy, SUPPLIES volume).

How it is computed
------------------
Per stakeholder (:func:`stakeholder_value`): ``revenue`` and ``clv`` from the node columns (0
where missing); ``volume_with_focal`` = sum of ``volume`` of its relationships with the focal
organisation (either direction); ``spend`` = ``volume`` of its SUPPLIES relationships to the focal
organisation; ``value`` = ``revenue`` where given and positive, otherwise ``volume_with_focal``.
Negative amounts count as 0. The focal organisation itself has value 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from graphcap.metrics.paths import focal_counterpart
from graphcap.model import Network

__all__ = [
    "concentration",
    "gini",
    "hhi",
    "lorenz_curve",
    "pareto_share",
    "stakeholder_value",
    "value_by_type",
]

_VALUE_COLUMNS = ("revenue", "clv", "volume_with_focal", "spend", "value")


def _amounts(values: Iterable[float] | pd.Series) -> np.ndarray:
    arr = pd.to_numeric(pd.Series(list(values) if not isinstance(values, pd.Series) else values),
                        errors="coerce").astype(float).to_numpy(na_value=np.nan)
    arr = np.nan_to_num(arr, nan=0.0, posinf=0.0, neginf=0.0)
    return np.where(arr < 0, 0.0, arr)


def _numeric(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(0.0, index=frame.index)
    return pd.Series(_amounts(frame[column]), index=frame.index)


def stakeholder_value(network: Network) -> pd.DataFrame:
    """One row per stakeholder: ``id``, ``name``, ``type``, ``revenue``, ``clv``,
    ``volume_with_focal``, ``spend``, ``value`` and ``value_share`` (of the total value).

    >>> nodes = pd.DataFrame({"id": ["o", "c", "s"], "name": ["O", "C", "S"],
    ...                       "type": ["organization", "customer", "supplier"], "revenue": [None, 300.0, None]})
    >>> edges = pd.DataFrame({"source": ["c", "s"], "target": ["o", "o"], "type": ["BUYS_FROM", "SUPPLIES"],
    ...                       "volume": [250.0, 100.0]})
    >>> stakeholder_value(Network(nodes, edges))[["id", "value", "spend", "value_share"]].values.tolist()
    [['o', 0.0, 0.0, 0.0], ['c', 300.0, 0.0, 0.75], ['s', 100.0, 100.0, 0.25]]
    """
    nodes = network.nodes
    out = pd.DataFrame(
        {
            "id": nodes["id"].astype(str).to_numpy(),
            "name": nodes["name"].astype(object).to_numpy(),
            "type": nodes["type"].astype(object).to_numpy(),
        }
    )
    out["revenue"] = _numeric(nodes, "revenue").to_numpy()
    out["clv"] = _numeric(nodes, "clv").to_numpy()
    focal = set(network.focal_ids())
    edges = network.edges
    vol_focal = pd.Series(0.0, index=out["id"])
    spend = pd.Series(0.0, index=out["id"])
    if len(edges) and focal:
        src = edges["source"].astype(str).astype(object)
        vol = _numeric(edges, "volume")
        other = focal_counterpart(edges, focal)
        with_focal = other.notna()
        vol_focal = vol_focal.add(vol[with_focal].groupby(other[with_focal]).sum(), fill_value=0.0)
        sup = with_focal & (other == src) & (edges["type"].astype(str) == "SUPPLIES")
        spend = spend.add(vol[sup].groupby(src[sup]).sum(), fill_value=0.0)
    out["volume_with_focal"] = vol_focal.reindex(out["id"]).fillna(0.0).to_numpy()
    out["spend"] = spend.reindex(out["id"]).fillna(0.0).to_numpy()
    out["value"] = np.where(out["revenue"] > 0, out["revenue"], out["volume_with_focal"])
    is_focal = out["id"].isin(focal)
    out.loc[is_focal, ["value", "volume_with_focal", "spend"]] = 0.0
    total = float(out["value"].sum())
    out["value_share"] = out["value"] / total if total > 0 else 0.0
    return out


def value_by_type(values: pd.DataFrame) -> pd.DataFrame:
    """Totals per stakeholder type: ``type``, ``stakeholders``, ``revenue``, ``clv``, ``spend``,
    ``value``, ``value_share``; biggest value first.

    >>> v = pd.DataFrame({"type": ["customer", "customer", "supplier"], "revenue": [3.0, 1.0, 0.0],
    ...                   "clv": [0.0, 0.0, 0.0], "spend": [0.0, 0.0, 4.0], "value": [3.0, 1.0, 4.0]})
    >>> value_by_type(v)[["type", "stakeholders", "value_share"]].values.tolist()
    [['customer', 2, 0.5], ['supplier', 1, 0.5]]
    """
    if len(values) == 0:
        return pd.DataFrame(columns=["type", "stakeholders", "revenue", "clv", "spend", "value",
                                     "value_share"])
    grouped = values.groupby("type", sort=True).agg(
        stakeholders=("value", "size"), revenue=("revenue", "sum"), clv=("clv", "sum"),
        spend=("spend", "sum"), value=("value", "sum"),
    ).reset_index()
    total = float(grouped["value"].sum())
    grouped["value_share"] = grouped["value"] / total if total > 0 else 0.0
    grouped["type"] = grouped["type"].astype(object)
    return grouped.sort_values(["value", "type"], ascending=[False, True], kind="stable").reset_index(drop=True)


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


def concentration(values: pd.DataFrame, *, top: float = 0.2) -> dict[str, Any]:
    """The concentration figures of a :func:`stakeholder_value` frame (over the stakeholders with
    a positive value) as a dict:
    ``total_value``, ``stakeholders_with_value``, ``pareto_share`` (value from the top 20 %),
    ``gini``, ``hhi`` (all stakeholders), ``hhi_customers`` (customer ``value``),
    ``hhi_suppliers`` (supplier ``spend``), ``customers``, ``suppliers``, ``top_stakeholder``,
    ``top_share`` and ``value_basis`` (``"revenue"``, ``"volume"`` or ``"none"``).

    >>> v = pd.DataFrame({"id": ["a", "b", "c"], "type": ["customer", "customer", "supplier"],
    ...                   "revenue": [30.0, 10.0, 0.0], "value": [30.0, 10.0, 10.0], "spend": [0.0, 0.0, 10.0]})
    >>> c = concentration(v)
    >>> c["hhi_customers"], c["hhi_suppliers"], c["top_stakeholder"], c["top_share"]
    (0.625, 1.0, 'a', 0.6)
    """
    v = values[values["value"] > 0] if len(values) else values
    total = float(v["value"].sum()) if len(v) else 0.0
    customers = values[values["type"] == "customer"] if len(values) else values
    suppliers = values[(values["type"] == "supplier")] if len(values) else values
    top_row = v.sort_values("value", ascending=False, kind="stable").head(1)
    if total <= 0:
        basis = "none"
    elif "revenue" in values.columns and float(values["revenue"].sum()) > 0:
        basis = "revenue"
    else:
        basis = "volume"
    return {
        "total_value": total,
        "stakeholders_with_value": int(len(v)),
        "pareto_share": pareto_share(v["value"] if len(v) else [], top=top),
        "gini": gini(v["value"] if len(v) else []),
        "hhi": hhi(v["value"] if len(v) else []),
        "hhi_customers": hhi(customers["value"] if len(customers) else []),
        "hhi_suppliers": hhi(suppliers["spend"] if len(suppliers) and "spend" in suppliers else []),
        "customers": int((customers["value"] > 0).sum()) if len(customers) else 0,
        "suppliers": int((suppliers["spend"] > 0).sum()) if len(suppliers) and "spend" in suppliers else 0,
        "top_stakeholder": str(top_row["id"].iloc[0]) if len(top_row) else None,
        "top_share": float(top_row["value"].iloc[0] / total) if len(top_row) and total > 0 else 0.0,
        "value_basis": basis,
    }
