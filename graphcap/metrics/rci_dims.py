"""The five dimensions of the Relational Capital Index, each in [0, 1] (graphcap.metrics.rci).

Every dimension is built so that it *spreads* over realistic portfolios and so that losing a
stakeholder with value (its relationships gone, its value kept on the books as lost) or adding a
negative tie can only lower it, never raise it. docs/METRICS.md works an example by hand.

Stake weights
-------------
``strength``, ``brokerage`` and ``health`` are means over the stakeholders other than the
organisation, weighted by their *stake*: each kind of money (revenue, spend, flow) present gets
an equal share, spread over its stakeholders by their share of that kind (so revenue and spend
are never added up). Without any money every stakeholder weighs the same.

The dimensions
--------------
``strength``
    ``sum(w_i * t_i)``: ``t_i`` the strongest-path tie strength from the organisation (0 when no
    positive path reaches the stakeholder).
``diversification``
    Mean over the kinds present of ``0.5 * spread + 0.5 * depth``: ``spread = (1 - P20) / 0.8``
    where ``P20`` is the kind's share from its top 20 % of stakeholders (1 when all are equal, 0
    when one takes all, 0.25 at the 80/20 reference); ``depth = min(1, ln(N) / ln(DEPTH_REFERENCE))``
    with ``N = 1 / HHI`` the effective number of stakeholders (1 with one, 1 from 25 equal ones).
    Spend is further multiplied by ``1 - single-sourced spend share``: spend with suppliers alone
    in their category (the supplier's ``segment``) is not diversified at all.
``brokerage``
    Measured on the alters' ties, not as Burt's constraint of a star: ``sum(w_i * x_i)`` where
    ``x_i`` is the strongest positive tie from a direct (positive) contact ``i`` to a stakeholder
    the organisation does not deal with (no relationship, or only competition: a supplier that
    also supplies a rival brings news of the market) — how far its contacts open doors onward. A star
    whose stakeholders have no ties of their own scores 0; when the data is declared ego-only
    (``network.meta["ego_only"]``: an order log or CRM export cannot contain such ties) the
    dimension is left out instead.
``health``
    ``1 - sum(w_i * r_i)`` with ``r_i = min(1, radar points / FULL_RISK_POINTS)`` from the at-risk
    radar (50 points — two warning signs, e.g. a weak tie to a top customer whose contract ends —
    make a relationship fully at risk; one sign, about half), and ``r_i = 1`` for a stakeholder the
    organisation can no longer reach (lost).
``standing``
    ``1 - 0.5 * max(|s_j| * p_j)`` over the negative ties of the organisation with stakeholders
    that bring no money (regulators, interest groups, competitors, the press): one hostile party
    with power over us can halve what the network is worth, however many friends we have.
    ``p_j`` is 1 for agencies (they regulate and influence) and 0.5 otherwise. Hostile
    relationships that do bring money show in ``health`` (negative sentiment) and ``strength``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from graphcap.config.metric_params import VALUE_KINDS
from graphcap.metrics.value import hhi, pareto_share

__all__ = [
    "DEPTH_REFERENCE",
    "DIMENSIONS",
    "FULL_RISK_POINTS",
    "brokerage_reach",
    "diversification",
    "health",
    "kind_diversification",
    "stake_weights",
    "standing",
    "weighted_mean",
]

#: Dimension name -> what it means, in the order of the breakdown.
DIMENSIONS: Mapping[str, str] = {
    "strength": "stake-weighted strongest-path strength of the ties to the organisation",
    "diversification": "money spread over many stakeholders (top-20% share vs 80/20, effective number)",
    "brokerage": "contacts that open doors onward: their ties to stakeholders we do not deal with",
    "health": "deduction for stake on the at-risk radar or lost",
    "standing": "deduction for hostile parties without money (a hostile regulator)",
}

#: Effective number of equal stakeholders at which ``depth`` reaches 1.
DEPTH_REFERENCE = 25.0
#: Radar points at which a relationship counts as fully at risk in ``health``.
FULL_RISK_POINTS = 50.0
#: Share of a kind's value at the 80/20 reference (Pareto): the top 20 % bring 80 %.
PARETO_REFERENCE = 0.8


def stake_weights(values: pd.DataFrame) -> tuple[pd.Series, list[str]]:
    """Weights (summing to 1) of the rows of a stakeholder_value frame (without the
    organisation), indexed by id, and the kinds they use.

    >>> v = pd.DataFrame({"id": ["a", "b", "s"], "value_kind": ["revenue", "revenue", "spend"],
    ...                   "value_share": [0.75, 0.25, 1.0]})
    >>> w, kinds = stake_weights(v)
    >>> w.tolist(), kinds
    ([0.375, 0.125, 0.5], ['revenue', 'spend'])
    """
    ids = values["id"].astype(str)
    kinds = [k for k in VALUE_KINDS if (values["value_kind"] == k).any()]
    if not len(values):
        return pd.Series(dtype=float), kinds
    if not kinds:
        return pd.Series(1.0 / len(values), index=ids.to_numpy()), kinds
    share = pd.to_numeric(values["value_share"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    in_kind = values["value_kind"].isin(kinds).to_numpy()
    return pd.Series(np.where(in_kind, share / len(kinds), 0.0), index=ids.to_numpy()), kinds


def weighted_mean(weights: pd.Series, x: Mapping[str, float]) -> float:
    """``sum(w_i * x_i)`` over the weights' ids (missing ``x_i`` count 0).

    >>> weighted_mean(pd.Series([0.5, 0.5], index=["a", "b"]), {"a": 1.0})
    0.5
    """
    pairs = zip(weights.index.tolist(), weights.tolist(), strict=True)  # lists: see rci_score
    return float(sum(w * float(x.get(i, 0.0)) for i, w in pairs))


def kind_diversification(amounts: Iterable[float]) -> float:
    """``0.5 * spread + 0.5 * depth`` of one kind's amounts (see the module docstring).

    >>> kind_diversification([100.0])  # one stakeholder: nothing spread, no depth
    0.0
    >>> round(kind_diversification([1.0] * 25), 4)  # 25 equal ones: P20 = 0.2, N = 25
    1.0
    >>> round(kind_diversification([80.0, 5, 5, 5, 5]), 4)  # 80/20: spread 0.25, N = 1/0.65
    0.1919
    """
    x = np.asarray([a for a in amounts if a > 0], dtype=float)
    if len(x) == 0:
        return 0.0
    spread = min(1.0, max(0.0, (1.0 - pareto_share(x)) / PARETO_REFERENCE))
    n_eff = 1.0 / hhi(x)
    depth = min(1.0, max(0.0, math.log(n_eff) / math.log(DEPTH_REFERENCE)))
    return 0.5 * spread + 0.5 * depth


def single_sourced_share(values: pd.DataFrame) -> float:
    """Share of spend with suppliers that are alone in their category (``segment``); 0 when
    no supplier has a segment.

    >>> v = pd.DataFrame({"type": ["supplier"] * 3, "segment": ["steel", "steel", "chips"],
    ...                   "spend": [10.0, 10.0, 20.0]})
    >>> single_sourced_share(v)
    0.5
    """
    if "segment" not in values.columns or "spend" not in values.columns:
        return 0.0
    sup = values[(values["type"] == "supplier") & (values["spend"] > 0) & values["segment"].notna()]
    total = float(values.loc[values["spend"] > 0, "spend"].sum())
    if not len(sup) or total <= 0:
        return 0.0
    size = sup.groupby("segment")["id" if "id" in sup.columns else "spend"].transform("size")
    return float(sup.loc[size == 1, "spend"].sum() / total)


def diversification(values: pd.DataFrame) -> float | None:
    """Mean over the kinds with money of :func:`kind_diversification` (spend times ``1 -``
    :func:`single_sourced_share`); ``None`` without any money."""
    parts = []
    for k in VALUE_KINDS:
        if k not in values.columns:
            continue
        amounts = pd.to_numeric(values[k], errors="coerce").fillna(0.0).to_numpy(dtype=float)
        if amounts.sum() <= 0:
            continue
        d = kind_diversification(amounts)
        if k == "spend":
            d *= 1.0 - single_sourced_share(values)
        parts.append(d)
    return float(np.mean(parts)) if parts else None


def brokerage_reach(G: nx.Graph, focal: Iterable[str]) -> dict[str, float]:
    """Per direct positive contact of the organisation: its strongest positive tie to a
    stakeholder that has no relationship (of any sign) with the organisation.

    >>> G = nx.Graph([("o", "a", {"strength": 0.8}), ("o", "b", {"strength": 0.6}),
    ...               ("a", "b", {"strength": 0.9}), ("a", "x", {"strength": 0.5}),
    ...               ("o", "h", {"strength": -0.4}), ("b", "h", {"strength": 0.7})])
    >>> brokerage_reach(G, ["o"])  # a-b: both our contacts; b-h: h is ours too (hostile)
    {'a': 0.5, 'b': 0.0}
    """
    focal_set = {f for f in focal if f in G}
    contacts: set[str] = set()
    positive: set[str] = set()
    for f in focal_set:
        for n, d in G[f].items():
            if n in focal_set:
                continue
            if (
                str(d.get("types", "")) == "COMPETES_WITH"
                and float(d.get("strength", 0.0) or 0.0) >= 0
            ):
                continue  # a rival is not a contact we deal with
            contacts.add(n)
            if float(d.get("strength", 0.0) or 0.0) > 0:
                positive.add(n)
    out: dict[str, float] = {}
    for n in sorted(positive):
        best = 0.0
        for m, d in G[n].items():
            if m in focal_set or m in contacts or m == n:
                continue
            best = max(best, float(d.get("strength", 0.0) or 0.0))
        out[n] = best
    return out


def health(weights: pd.Series, risks: pd.DataFrame, lost: set[str]) -> float:
    """``1 - sum(w_i * r_i)``: ``r_i = min(1, points / 50)`` from the radar, 1 when lost.

    >>> w = pd.Series([0.5, 0.3, 0.2], index=["a", "b", "c"])
    >>> round(health(w, pd.DataFrame({"id": ["a"], "points": [20.0]}), {"c"}), 4)  # 1 - .2 - .2
    0.6
    """
    r = {
        str(i): min(1.0, float(p) / FULL_RISK_POINTS)
        for i, p in zip(risks.get("id", []), risks.get("points", []), strict=True)
    }
    r.update({i: 1.0 for i in lost})
    return 1.0 - weighted_mean(weights, r)


def standing(G: nx.Graph, focal: Iterable[str], values: pd.DataFrame) -> tuple[float, str | None]:
    """``1 - 0.5 * max(|s| * p)`` over the organisation's negative ties with stakeholders that
    bring no money, and the id of the most hostile one (``None`` when there is none).

    >>> G = nx.Graph([("o", "reg", {"strength": -0.8}), ("o", "c", {"strength": -0.9})])
    >>> v = pd.DataFrame({"id": ["reg", "c"], "type": ["agency", "customer"], "value": [0.0, 50.0]})
    >>> standing(G, ["o"], v)  # the customer brings money: it counts in health, not here
    (0.6, 'reg')
    """
    info = values.set_index(values["id"].astype(str))
    worst, who = 0.0, None
    for f in (f for f in focal if f in G):
        for n, d in G[f].items():
            s = float(d.get("strength", 0.0) or 0.0)
            if s >= 0 or n not in info.index or float(info.at[n, "value"]) > 0:
                continue
            hostility = -s * (1.0 if info.at[n, "type"] == "agency" else 0.5)
            if hostility > worst or (hostility == worst and who is not None and str(n) < who):
                worst, who = hostility, str(n)
    return 1.0 - 0.5 * worst, who
