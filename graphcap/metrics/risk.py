"""At-risk radar: the organisation's relationships that need attention, ranked, with reasons.

What it means for a strategy team
---------------------------------
One row per stakeholder whose relationship with the organisation shows a warning sign, best
candidates for a call first. Every row says in plain words why it is there:

- **weak** — a high-value stakeholder (in the top 20 % of its kind of money: revenue, spend or
  flow, see graphcap.metrics.value) whose relationship is weak (strength below ``weak_strength``,
  or negative: distrust) or who has no direct relationship with the organisation at all;
- **falling** — a stakeholder with value whose activity is falling: fewer interactions in the last
  ``window_days`` than ``1 - falling_drop`` times its usual rate, measured over the
  ``baseline_days`` before that window (at least ``min_interactions`` there) — a relationship that
  cooled a year ago shows against its own past, not only against the last quarter;
- **overdue** — where the stakeholder's type has a contact target (``cadence_days``, from
  ``[cadence]`` in graphcap.toml through :func:`graphcap.analysis.analyze`): the last contact is
  longer ago than the target; **no contact** — for types without a target: nothing logged for
  more than ``no_contact_days``. (A stakeholder with no contact on record at all gets neither:
  the overdue list of graphcap.metrics.cadence names those.)
- **contract ending** — a contract ends within ``contract_days`` (or ended that recently);
- **single-threaded** — the stakeholder hangs on the organisation by one thread: a single
  relationship whose loss cuts it off (a bridge between it and the organisation);
- **sentiment** — recent sentiment fell by ``sentiment_drop`` or more against the baseline
  period, or is negative (below ``negative_sentiment``).

How it is computed
------------------
Each reason adds its points (:class:`RiskConfig`); ``score = min(100, points) * (0.5 + 0.5 *
value_rank)`` where ``value_rank`` is the stakeholder's percentile rank by value among those with
value of the same kind (0 without value), so the same warning weighs more on a bigger
relationship. Sorted by score, then value. A negative tie (distrust, see
graphcap.metrics.strength) is a weak relationship with its signed strength shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graphcap.graph._igraph import ig
from graphcap.i18n import use_language
from graphcap.metrics.paths import FOCAL, carries_path, contract_focal, focal_counterpart
from graphcap.metrics.strength import resolve_as_of
from graphcap.metrics.wording import reason_code, risk_reason
from graphcap.model import Network

__all__ = ["RISK_COLUMNS", "RiskConfig", "at_risk", "single_threaded", "value_ranks"]

RISK_COLUMNS = [
    "id",
    "name",
    "type",
    "relationship",
    "value_kind",
    "value",
    "value_share",
    "strength",
    "days_since_contact",
    "contract_days_left",
    "activity_recent",
    "activity_before",
    "single_threaded",
    "points",
    "score",
    "reasons",
    "reasons_text",
    "reason_codes",
]


@dataclass(frozen=True)
class RiskConfig:
    """Thresholds and points of the at-risk radar (days, unit scores, points out of 100)."""

    high_value_top: float = 0.2
    weak_strength: float = 0.4
    falling_drop: float = 0.5
    min_interactions: int = 4
    window_days: int = 90
    baseline_days: int = 360
    no_contact_days: int = 120
    contract_days: int = 90
    sentiment_drop: float = 0.3
    negative_sentiment: float = -0.2
    points_weak: float = 30
    points_falling: float = 25
    points_no_contact: float = 20
    points_contract: float = 25
    points_single_threaded: float = 15
    points_sentiment: float = 20
    #: contact targets in days per stakeholder type; an empty mapping keeps ``no_contact_days``
    cadence_days: Mapping[str, int] = field(default_factory=dict)


def value_ranks(values: pd.DataFrame) -> pd.Series:
    """Each stakeholder's percentile rank by value among those with value of the same kind
    (``id`` -> (0, 1]); stakeholders without value are left out. ``values`` is
    :func:`~graphcap.metrics.value.stakeholder_value`.

    >>> v = pd.DataFrame({"id": ["a", "b", "c", "d"], "value": [10.0, 30.0, 0.0, 5.0],
    ...                   "value_kind": ["revenue", "revenue", "revenue", "spend"]})
    >>> value_ranks(v).to_dict()
    {'a': 0.5, 'b': 1.0, 'd': 1.0}
    """
    v = values.set_index("id")
    kind_of = v["value_kind"] if "value_kind" in v.columns else pd.Series("value", index=v.index)
    positive = v.loc[v["value"] > 0, "value"]
    if not len(positive):
        return pd.Series(dtype=float)
    return positive.groupby(kind_of[positive.index]).rank(pct=True, method="average")


def single_threaded(
    G: nx.Graph, focal_ids: Iterable[str], *, usable_only: bool = False
) -> set[str]:
    """Stakeholders connected to the organisation, but only through a bridge: losing one
    relationship cuts them off (local edge connectivity 1 to the merged focal node). ``G`` may
    already be contracted (:func:`~graphcap.metrics.paths.contract_focal`) or a view of such a
    graph, which is read as it is, not copied. ``usable_only``: count only the ties that carry
    a path (what :func:`~graphcap.metrics.paths.usable` keeps), as the index does.

    Computed in igraph: the stakeholders in the organisation's component that are not in it
    once every bridge is gone (the networkx reading of that definition is the reference in
    tests/metrics/test_risk.py).

    >>> G = nx.Graph([("org", "a"), ("a", "b"), ("org", "c"), ("c", "d"), ("d", "org")])
    >>> sorted(single_threaded(G, ["org"]))
    ['a', 'b']
    """
    H = contract_focal(G, focal_ids)
    nodes = list(H)
    index = {v: i for i, v in enumerate(nodes)}
    ties = [
        (index[u], index[v])
        for u, v, data in H.edges(data=True)
        if u != v and (not usable_only or carries_path(data))
    ]
    g = ig.Graph(n=len(nodes), edges=ties)
    focal = index[FOCAL]
    reachable = set(g.subcomponent(focal))
    g.delete_edges(g.bridges())
    safe = set(g.subcomponent(focal))
    return {nodes[i] for i in reachable - safe}


def _pair_frame(network: Network, focal: set[str]) -> pd.DataFrame:
    """Edges between a focal node and another stakeholder, with that stakeholder as ``other``."""
    e = network.edges
    if len(e) == 0 or not focal:
        return e.iloc[0:0].assign(other=pd.Series(dtype=object))
    other = focal_counterpart(e, focal)
    return e[other.notna()].assign(other=other[other.notna()])


def _log_with_focal(network: Network, focal: set[str], as_of: pd.Timestamp) -> pd.DataFrame:
    log = network.interactions
    if log is None or len(log) == 0:
        return pd.DataFrame(columns=["other", "date", "sentiment"])
    dates = pd.to_datetime(log["date"], errors="coerce")
    other = focal_counterpart(log, focal)
    keep = other.notna() & dates.notna() & (dates <= as_of)
    sentiment = (
        pd.to_numeric(log["sentiment"], errors="coerce").astype(float)
        if "sentiment" in log.columns
        else pd.Series(np.nan, index=log.index)
    )
    return pd.DataFrame(
        {
            "other": other[keep].to_numpy(),
            "date": dates[keep].to_numpy(),
            "sentiment": sentiment[keep].to_numpy(dtype=float),
        }
    )


def _rows_by_id(frame: pd.DataFrame, columns: list[str]) -> dict[Any, dict[str, Any]]:
    """``frame[columns].to_dict("index")`` (the same Python values), built column by column:
    pandas boxes every cell on its own, which made it a third of :func:`at_risk`'s time.

    >>> f = pd.DataFrame({"name": ["A", None], "value": [1.5, 2.0]}, index=["a", "b"])
    >>> _rows_by_id(f, ["name", "value"]) == f.to_dict("index")
    True
    """
    if not frame.index.is_unique:
        return frame[columns].to_dict("index")  # raises pandas' own error
    values = [frame[c].tolist() for c in columns]
    return {
        key: dict(zip(columns, row, strict=True))
        for key, row in zip(frame.index.tolist(), zip(*values, strict=True), strict=True)
    }


def at_risk(
    network: Network,
    values: pd.DataFrame,
    *,
    as_of: Any = None,
    config: RiskConfig | None = None,
    single: set[str] | None = None,
) -> pd.DataFrame:
    """The radar: one row per stakeholder with at least one reason (columns
    :data:`RISK_COLUMNS`; ``reasons`` is a list of plain English sentences, ``reason_codes``
    the same reasons as language-free codes that :mod:`graphcap.metrics.wording` turns into
    any language), ranked by ``score``.

    ``network`` carries ``strength`` on its edges (:func:`~graphcap.metrics.strength.compute_strength`),
    ``values`` is :func:`~graphcap.metrics.value.stakeholder_value`, ``single`` the ids
    :func:`single_threaded` found (not checked when ``None``). Without a focal organisation
    the radar is empty.

    >>> from graphcap.metrics.value import stakeholder_value
    >>> nodes = pd.DataFrame({"id": ["o", "c"], "name": ["Org", "Acme"], "type": ["organization", "customer"],
    ...                       "revenue": [None, 100.0]})
    >>> edges = pd.DataFrame({"source": ["c"], "target": ["o"], "type": ["BUYS_FROM"], "strength": [0.3],
    ...                       "contract_until": pd.to_datetime(["2024-02-15"])})
    >>> net = Network(nodes, edges)
    >>> r = at_risk(net, stakeholder_value(net), as_of="2024-01-31", single={"c"})
    >>> float(r.loc[0, "score"]), r.loc[0, "reasons"][0]
    (70.0, 'high revenue (100, top 20%) with weak relationship (strength 0.30 < 0.40)')
    """
    cfg = config or RiskConfig()
    as_of_ts = resolve_as_of(network, as_of)
    focal = set(network.focal_ids())
    if not focal:  # nothing to be at risk with
        return pd.DataFrame(columns=RISK_COLUMNS)
    single = single or set()
    pairs = _pair_frame(network, focal)
    v = values.set_index("id")
    kind_of = v["value_kind"] if "value_kind" in v.columns else pd.Series("value", index=v.index)
    positive = v.loc[v["value"] > 0, "value"]
    high_cut: dict[str, float] = {}
    for kind, amounts in positive.groupby(kind_of[positive.index]):
        k = max(1, math.ceil(cfg.high_value_top * len(amounts) - 1e-9))
        high_cut[str(kind)] = float(amounts.sort_values(ascending=False).iloc[k - 1])
    value_rank = value_ranks(values)
    kind_of = kind_of.to_dict()

    strength = (
        pd.to_numeric(pairs.get("strength"), errors="coerce").groupby(pairs["other"]).max()
        if len(pairs) and "strength" in pairs
        else pd.Series(dtype=float)
    )
    kinds: dict[str, list[str]] = {}
    others, types = pairs["other"].astype(str).tolist(), pairs["type"].astype(str).tolist()
    for other, kind in sorted(set(zip(others, types, strict=True))):
        kinds.setdefault(other, []).append(kind)
    rel = pd.Series({other: ", ".join(k) for other, k in kinds.items()}, dtype=object)
    last = pd.Series(dtype="datetime64[ns]")
    if len(pairs) and "last_contact" in pairs:
        last = pd.to_datetime(pairs["last_contact"], errors="coerce").groupby(pairs["other"]).max()
    contract = pd.Series(dtype="datetime64[ns]")
    if len(pairs) and "contract_until" in pairs:
        ends = pd.to_datetime(pairs["contract_until"], errors="coerce")
        contract = ends.groupby(pairs["other"]).min()
    edge_sent = pd.Series(dtype=float)
    if len(pairs) and "sentiment" in pairs:
        edge_sent = (
            pd.to_numeric(pairs["sentiment"], errors="coerce").groupby(pairs["other"]).mean()
        )

    log = _log_with_focal(network, focal, as_of_ts)
    w = pd.Timedelta(days=cfg.window_days)
    recent = log[log["date"] > as_of_ts - w]
    before = log[
        (log["date"] <= as_of_ts - w)
        & (log["date"] > as_of_ts - w - pd.Timedelta(days=cfg.baseline_days))
    ]
    n_recent = recent.groupby("other").size()
    n_before = before.groupby("other").size()
    s_recent = recent.groupby("other")["sentiment"].mean()
    s_before = before.groupby("other")["sentiment"].mean()
    log_last = log.groupby("other")["date"].max()

    candidates = set(others) | set(positive.index.tolist())
    candidates -= focal
    # plain dicts: the loop below looks up a few values per stakeholder
    strength, rel, last, contract, edge_sent = (
        x.to_dict() for x in (strength, rel, last, contract, edge_sent)
    )
    n_recent, n_before, s_recent, s_before, log_last, value_rank = (
        x.to_dict() for x in (n_recent, n_before, s_recent, s_before, log_last, value_rank)
    )
    info = _rows_by_id(v, ["name", "type", "value", "value_share"])
    rows = []
    for sid in sorted(candidates & set(info)):
        row = info[sid]
        value = float(row["value"])
        kind = str(kind_of.get(sid, "value"))
        high = value > 0 and value >= high_cut.get(kind, math.inf)
        s = float(strength.get(sid, np.nan))
        codes: list[str] = []
        points = 0.0
        direct = not math.isnan(s)
        s = s if direct else 0.0
        if high and s < cfg.weak_strength:
            money = {"kind": kind, "value": round(value, 2), "top": cfg.high_value_top}
            codes.append(
                reason_code("weak_no_tie", **money)
                if not direct
                else reason_code("weak_negative", **money, strength=round(s, 4))
                if s < 0
                else reason_code("weak", **money, strength=round(s, 4), limit=cfg.weak_strength)
            )
            points += cfg.points_weak
        nr, nb = int(n_recent.get(sid, 0)), int(n_before.get(sid, 0))
        usual = nb * cfg.window_days / cfg.baseline_days
        if value > 0 and nb >= cfg.min_interactions and nr < (1 - cfg.falling_drop) * usual:
            codes.append(
                reason_code(
                    "falling",
                    recent=nr,
                    window=cfg.window_days,
                    usual=round(usual, 4),
                    before=nb,
                    baseline=cfg.baseline_days,
                )
            )
            points += cfg.points_falling
        dates = [d for d in (log_last.get(sid), last.get(sid)) if d is not None and not pd.isna(d)]
        days = int((as_of_ts - max(dates)).days) if dates else None
        target = int(cfg.cadence_days.get(str(row["type"]), 0) or 0)
        if days is not None and target > 0:
            if days > target:
                codes.append(reason_code("overdue", days=days, target=target))
                points += cfg.points_no_contact
        elif days is not None and days > cfg.no_contact_days:
            codes.append(reason_code("no_contact", days=days, limit=cfg.no_contact_days))
            points += cfg.points_no_contact
        end = contract.get(sid)
        left = None if end is None or pd.isna(end) else int((end - as_of_ts).days)
        if left is not None and -cfg.contract_days <= left <= cfg.contract_days:
            codes.append(
                reason_code("contract_ends", days=left, date=end.date())
                if left >= 0
                else reason_code("contract_ended", days=-left, date=end.date())
            )
            points += cfg.points_contract
        if sid in single:
            codes.append(reason_code("single_threaded"))
            points += cfg.points_single_threaded
        sr, sb = float(s_recent.get(sid, np.nan)), float(s_before.get(sid, np.nan))
        es = float(edge_sent.get(sid, np.nan))
        window = cfg.window_days
        if not math.isnan(sr) and not math.isnan(sb) and sr <= sb - cfg.sentiment_drop:
            codes.append(
                reason_code(
                    "sentiment_falling",
                    recent=round(sr, 4),
                    window=window,
                    before=round(sb, 4),
                    baseline=cfg.baseline_days,
                )
            )
            points += cfg.points_sentiment
        elif not math.isnan(sr) and sr < cfg.negative_sentiment:
            codes.append(reason_code("sentiment_negative", recent=round(sr, 4), window=window))
            points += cfg.points_sentiment
        elif math.isnan(sr) and not math.isnan(es) and es < cfg.negative_sentiment:
            codes.append(reason_code("sentiment_edge", sentiment=round(es, 4)))
            points += cfg.points_sentiment
        if not codes:
            continue
        with use_language("en"):  # the stable English columns; other languages: wording
            reasons = [risk_reason(c) for c in codes]
        factor = 0.5 + 0.5 * float(value_rank.get(sid, 0.0))
        rows.append(
            {
                "id": sid,
                "name": row["name"],
                "type": row["type"],
                "relationship": rel.get(sid, ""),
                "value_kind": kind,
                "value": value,
                "value_share": float(row["value_share"]),
                "strength": s,
                "days_since_contact": days,
                "contract_days_left": left,
                "activity_recent": nr,
                "activity_before": nb,
                "single_threaded": sid in single,
                "points": points,
                "score": round(min(100.0, points) * factor, 2),
                "reasons": reasons,
                "reasons_text": "; ".join(reasons),
                "reason_codes": codes,
            }
        )
    frame = pd.DataFrame(rows, columns=RISK_COLUMNS)
    frame = frame.astype({"days_since_contact": "Int64", "contract_days_left": "Int64"})
    for col in ("id", "name", "type", "relationship", "value_kind", "reasons_text"):
        frame[col] = frame[col].astype(object)
    frame = frame.sort_values(
        ["score", "value", "id"], ascending=[False, False, True], kind="stable"
    )
    return frame.reset_index(drop=True)
