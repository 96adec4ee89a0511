"""Backtest of the at-risk radar on the user's own history: how often were its warnings right?

What it means for a strategy team
---------------------------------
Pick a date in the past. graphcap computes the radar from the data up to that date only, then
looks at what the interaction log says happened after it: which relationships *declined* within
the horizon. A good radar puts the declining relationships at the top. Shown:

- **precision at k** — of the top ``k`` flagged, the share that did decline;
- **recall at k** — of all that declined, the share the top ``k`` caught;
- **lift** — precision over the base rate (the share that declined among all that could be
  judged): 1 means the radar is no better than picking at random;
- **recency-only baseline** — the same figures for the plainest rule, "longest without contact
  first"; the radar is worth its complexity only where it beats it;
- which radar signals the hits carried.

Limits, said with the figures: only stakeholders with a relationship to the organisation and
some logged activity in the ``baseline_days`` before the date can be judged; "declined" means
lapsed (no contact at all in the horizon) or fell below half the activity of the baseline
period, scaled to the horizon; the horizon has to lie inside the logged history.

How it is computed
------------------
The network is cut at ``as_of``: interactions after it are dropped, and the relationship
figures that summarise the log (``last_contact``, ``interactions``, ``sentiment``) are rebuilt from
the log up to ``as_of`` for pairs the log covers (they would otherwise leak the future). The radar
(graphcap.metrics.risk) runs on that network as in graphcap.metrics.rci. Outcome per judged
stakeholder: ``before = contacts in (as_of - baseline_days, as_of] * horizon / baseline_days``,
``after = contacts in (as_of, as_of + horizon_days]``; declined when ``after == 0`` or
``after < 0.5 * before``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from graphcap.config.metric_params import StrengthConfig, ValueConfig
from graphcap.errors import MetricError
from graphcap.graph.projection import to_weighted
from graphcap.i18n import format_date, format_number, format_percent, gettext
from graphcap.i18n import gettext as _
from graphcap.metrics.paths import focal_counterpart
from graphcap.metrics.rci import relational_capital_index
from graphcap.metrics.risk import RiskConfig
from graphcap.metrics.strength import compute_strength, pair_key, resolve_as_of
from graphcap.model import Network

__all__ = ["SIGNALS", "Backtest", "backtest", "cut_at"]

#: Radar reason prefix -> signal name.
SIGNALS = {
    "high": "weak (high value)",
    "falling": "falling activity",
    "no contact": "no contact",
    "contract": "contract ending",
    "single-threaded": "single-threaded",
    "sentiment": "sentiment",
    "negative sentiment": "sentiment",
}


@dataclass
class Backtest:
    """The result of :func:`backtest`. ``table`` has one row per judged stakeholder: ``id name
    before after declined radar_rank recency_rank flagged reasons``."""

    as_of: str
    horizon_days: int
    k: int
    judged: int
    declined: int
    base_rate: float
    precision: float
    recall: float
    lift: float
    recency_precision: float
    recency_recall: float
    recency_lift: float
    signals: pd.DataFrame
    table: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """The result in four lines and the notes, in the current language."""
        pct = format_percent
        return [
            _("radar as of {date}, outcome over the next {days} days").format(
                date=format_date(self.as_of), days=self.horizon_days
            ),
            _(
                "{judged} relationships could be judged; {declined} declined (base rate {rate})"
            ).format(judged=self.judged, declined=self.declined, rate=pct(self.base_rate)),
            _("radar top {k}: precision {precision}, recall {recall}, lift {lift}").format(
                k=self.k,
                precision=pct(self.precision),
                recall=pct(self.recall),
                lift=format_number(self.lift, decimals=2),
            ),
            _("recency-only top {k}: precision {precision}, recall {recall}, lift {lift}").format(
                k=self.k,
                precision=pct(self.recency_precision),
                recall=pct(self.recency_recall),
                lift=format_number(self.recency_lift, decimals=2),
            ),
            *self.notes,
        ]

    def as_dict(self) -> dict[str, Any]:
        keys = (
            "as_of",
            "horizon_days",
            "k",
            "judged",
            "declined",
            "base_rate",
            "precision",
            "recall",
            "lift",
            "recency_precision",
            "recency_recall",
            "recency_lift",
        )
        out: dict[str, Any] = {key: getattr(self, key) for key in keys}
        out["signals"] = self.signals.to_dict("records")
        out["notes"] = list(self.notes)
        return out


def cut_at(network: Network, as_of: Any) -> Network:
    """The network as it was known at ``as_of``: later interactions dropped, log summaries on
    the relationships rebuilt from the log up to ``as_of`` for the pairs it covers.

    >>> nodes = pd.DataFrame({"id": ["o", "c"], "name": ["O", "C"], "type": ["organization", "customer"]})
    >>> edges = pd.DataFrame({"source": ["c"], "target": ["o"], "type": ["BUYS_FROM"],
    ...                       "last_contact": pd.to_datetime(["2024-06-01"]), "interactions": [3]})
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-06-01"]),
    ...                     "source": ["c", "o", "c"], "target": ["o", "c", "o"]})
    >>> cut = cut_at(Network(nodes, edges, log), "2024-04-01")
    >>> str(cut.edges.loc[0, "last_contact"].date()), int(cut.edges.loc[0, "interactions"]), len(cut.interactions)
    ('2024-03-01', 2, 2)
    """
    ts = resolve_as_of(None, as_of)
    log = network.interactions
    dates = (
        pd.to_datetime(log["date"], errors="coerce")
        if len(log)
        else pd.Series(dtype="datetime64[ns]")
    )
    past = log[dates <= ts].reset_index(drop=True) if len(log) else log
    edges = network.edges.copy()
    if len(log) and len(edges):
        full_keys = set(pair_key(log["source"], log["target"]))
        keys = pair_key(edges["source"], edges["target"])
        covered = keys.isin(full_keys).to_numpy()
        p = past.assign(
            _key=pair_key(past["source"], past["target"]).to_numpy(),
            _date=pd.to_datetime(past["date"], errors="coerce"),
        )
        p = p.sort_values("_date", kind="stable")
        last = p.groupby("_key")["_date"].max()
        count = p.groupby("_key").size()
        if "last_contact" in edges.columns:
            edges["last_contact"] = pd.to_datetime(edges["last_contact"], errors="coerce")
            # reindex, not map: map casts an empty date series to float (no contact yet)
            edges.loc[covered, "last_contact"] = last.reindex(keys[covered].to_numpy()).to_numpy()
        if "interactions" in edges.columns:
            edges["interactions"] = pd.to_numeric(edges["interactions"], errors="coerce").astype(
                "Float64"
            )
            edges.loc[covered, "interactions"] = (
                count.reindex(keys[covered].to_numpy()).fillna(0).to_numpy()
            )
        if "sentiment" in edges.columns and "sentiment" in p.columns:
            recent = p.groupby("_key").tail(6).groupby("_key")["sentiment"].mean()
            edges.loc[covered, "sentiment"] = recent.reindex(keys[covered].to_numpy()).to_numpy(
                dtype=float
            )
    meta = {**network.meta, "as_of": ts.date()}
    return Network(nodes=network.nodes, edges=edges, interactions=past, meta=meta)


def _signal(reason: str) -> str:
    for prefix, name in SIGNALS.items():
        if reason.startswith(prefix):
            return name
    return "other"


def backtest(
    network: Network,
    as_of: Any,
    *,
    horizon_days: int = 180,
    baseline_days: int = 365,
    k: int = 20,
    strength: StrengthConfig | None = None,
    risk: RiskConfig | None = None,
    value: ValueConfig | None = None,
) -> Backtest:
    """Backtest the radar at ``as_of`` over ``horizon_days`` (see the module docstring).

    Raises :class:`~graphcap.errors.MetricError` when there is no focal organisation, no
    interaction log, or the horizon reaches past the last logged interaction.
    """
    ts = resolve_as_of(None, as_of)
    if horizon_days < 1 or baseline_days < 1 or k < 1:
        raise MetricError(gettext("horizon_days, baseline_days and k must be at least 1"))
    focal = network.focal_ids()
    if not focal:
        raise MetricError(gettext("no focal organisation in the network: the radar needs one"))
    log = network.interactions
    if log is None or len(log) == 0:
        raise MetricError(
            gettext(
                "the backtest needs an interaction log (interactions.csv): without one there is no way to see what happened after the date"
            )
        )
    dates = pd.to_datetime(log["date"], errors="coerce")
    end = ts + pd.Timedelta(days=horizon_days)
    if dates.max() < end:
        raise MetricError(
            gettext(
                "the horizon ends {date} but the log ends {date2}: pick an earlier date (at most {date3}) or a shorter horizon"
            ).format(
                date=end.date(),
                date2=dates.max().date(),
                date3=(dates.max() - pd.Timedelta(days=horizon_days)).date(),
            )
        )
    other = focal_counterpart(log, focal)
    frame = pd.DataFrame({"other": other, "date": dates}).dropna()
    base = frame[(frame["date"] > ts - pd.Timedelta(days=baseline_days)) & (frame["date"] <= ts)]
    after = frame[(frame["date"] > ts) & (frame["date"] <= end)]
    n_before = base.groupby("other").size() * (horizon_days / baseline_days)
    n_after = after.groupby("other").size().reindex(n_before.index).fillna(0.0)
    declined = (n_after == 0) | (n_after < 0.5 * n_before)

    cut = cut_at(network, ts)
    net = compute_strength(cut, strength, as_of=ts)
    G = to_weighted(net)
    _, parts = relational_capital_index(net, G, as_of=ts, risk_config=risk, value_config=value)
    risks = parts.risks.set_index("id") if len(parts.risks) else pd.DataFrame(columns=["score"])

    table = pd.DataFrame(
        {
            "id": n_before.index.astype(str),
            "before": n_before.to_numpy(),
            "after": n_after.to_numpy(),
            "declined": declined.to_numpy(dtype=bool),
        }
    )
    names = network.nodes.set_index(network.nodes["id"].astype(str))["name"]
    table["name"] = table["id"].map(names).astype(object)
    table["score"] = (
        table["id"].map(risks["score"]).fillna(0.0).astype(float) if len(risks) else 0.0
    )
    table["reasons"] = table["id"].map(risks["reasons"]) if len(risks) else None
    last = frame[frame["date"] <= ts].groupby("other")["date"].max()
    since = pd.Series(last.reindex(table["id"].to_numpy()).to_numpy(), index=table.index)
    table["days_since_contact"] = (ts - pd.to_datetime(since)).dt.days.astype(float)
    # ranks: radar score (ties broken by id, a fixed order); recency: longest silence first
    order = table.sort_values(["score", "id"], ascending=[False, True], kind="stable")
    table["radar_rank"] = table["id"].map({i: r for r, i in enumerate(order["id"], start=1)})
    rec = table.sort_values(["days_since_contact", "id"], ascending=[False, True], kind="stable")
    table["recency_rank"] = table["id"].map({i: r for r, i in enumerate(rec["id"], start=1)})
    judged, n_declined = len(table), int(table["declined"].sum())
    kk = min(k, judged) if judged else 0
    flagged = table["radar_rank"].le(kk) & table["score"].gt(0)
    table["flagged"] = flagged
    top_recency = table["recency_rank"].le(kk)
    base_rate = n_declined / judged if judged else 0.0

    def stats(top: pd.Series) -> tuple[float, float, float]:
        picked = int(top.sum())
        hits = int((top & table["declined"]).sum())
        precision = hits / picked if picked else 0.0
        recall = hits / n_declined if n_declined else 0.0
        return precision, recall, precision / base_rate if base_rate > 0 else 0.0

    p, r, lift = stats(flagged)
    rp, rr, rl = stats(top_recency)
    hits = table[flagged & table["declined"]]
    counts: dict[str, int] = {}
    for reasons in hits["reasons"]:
        for name in sorted({_signal(x) for x in (reasons or [])}):
            counts[name] = counts.get(name, 0) + 1
    signals = pd.DataFrame(
        sorted(counts.items(), key=lambda x: (-x[1], x[0])), columns=["signal", "hits"]
    )
    signals["signal"] = signals["signal"].astype(object)
    notes = [
        f"judged: stakeholders with contacts in the {baseline_days} days before the date; "
        f"declined: no contact, or under half the baseline rate, in the {horizon_days} days after"
    ]
    if int(flagged.sum()) < kk:
        notes.append(f"the radar flagged only {int(flagged.sum())} of the judged relationships")
    table = table.sort_values("radar_rank").reset_index(drop=True)
    cols = [
        "id",
        "name",
        "before",
        "after",
        "declined",
        "score",
        "radar_rank",
        "recency_rank",
        "days_since_contact",
        "flagged",
        "reasons",
    ]
    return Backtest(
        as_of=ts.date().isoformat(),
        horizon_days=int(horizon_days),
        k=int(kk),
        judged=judged,
        declined=n_declined,
        base_rate=base_rate,
        precision=p,
        recall=r,
        lift=lift,
        recency_precision=rp,
        recency_recall=rr,
        recency_lift=rl,
        signals=signals,
        table=table[cols],
        notes=notes,
    )
