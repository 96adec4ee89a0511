"""Contact cadence: who is overdue for a contact, and whom to contact this week (pure).

A cadence target says how often stakeholders of a type should be contacted (e.g. customers every
60 days; ``[cadence]`` in graphcap.toml, defaults in :data:`graphcap.config.DEFAULT_CADENCE_DAYS`). A stakeholder's **last contact** is the latest of its
logged interactions and the ``last_contact`` of its relationships. It is **overdue** when the
last contact is longer ago than its type's target (or there is none), or when a planned
``next_contact`` of one of its relationships has passed. The focal organisation is never listed.

**Next best contacts** (:func:`next_contacts`) ranks whom to contact this week: everyone
overdue or due within ``days`` (default 7), by ``priority = 25 * overdue * value * risk`` in
(0, 100], where

- ``overdue = 1 + min(1, days_overdue / target)``: 1 when due this week, 2 when a whole
  cadence period late (a planned contact without a type target counts against 30 days);
- ``value = 0.5 + 0.5 * value_rank``: the stakeholder's percentile rank by value among those
  with value of the same kind (:func:`graphcap.metrics.risk.value_ranks`; 0 without value);
- ``risk = 1 + score / 100`` with the at-risk radar's score (0 when not on the radar).

Each row says why in words: how late, its value, the radar's reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from graphcap.i18n import use_language
from graphcap.metrics.risk import value_ranks
from graphcap.metrics.wording import contact_reasons, reason_code
from graphcap.model import Network

__all__ = ["NEXT_COLUMNS", "OVERDUE_COLUMNS", "next_contacts", "overdue"]

#: The overdue list's columns, in order (also the CLI's JSON/CSV keys, docs/CLI.md).
OVERDUE_COLUMNS = [
    "id",
    "name",
    "type",
    "last_contact",
    "due",
    "days_overdue",
    "owner",
    "reason",
    "reason_codes",
]


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[column], errors="coerce")


@dataclass(frozen=True)
class _Due:
    """When a stakeholder is due for a contact, and why."""

    id: str
    name: Any
    type: str
    last_contact: pd.Timestamp | None
    due: pd.Timestamp
    target: int | None
    planned: pd.Timestamp | None
    owner: str | None


def _due(network: Network, cadence_days: Mapping[str, int]) -> list[_Due]:
    """Every stakeholder with a due date: last contact + its type's target, or ``today`` when it
    has a target and no contact (``due`` is then NaT), or its earliest planned contact."""
    nodes, edges, inter = network.nodes, network.edges, network.interactions
    last: dict[str, pd.Timestamp] = {}
    planned: dict[str, pd.Timestamp] = {}
    owners: dict[str, str] = {}
    lc, nc = _dates(edges, "last_contact"), _dates(edges, "next_contact")
    for end in ("source", "target"):
        ids = edges[end].astype(str)
        for i, stamp in lc.groupby(ids).max().dropna().items():
            last[i] = max(last.get(i, stamp), stamp)
        for i, stamp in nc.groupby(ids).min().dropna().items():
            planned[i] = min(planned.get(i, stamp), stamp)
        if "owner" in edges.columns:
            for i, who in zip(ids, edges["owner"], strict=True):
                if isinstance(who, str) and who and i not in owners:
                    owners[i] = who
    if inter is not None and len(inter):
        when = _dates(inter, "date")
        for end in ("source", "target"):
            for i, stamp in when.groupby(inter[end].astype(str)).max().dropna().items():
                last[i] = max(last.get(i, stamp), stamp)
    out = []
    for sid, name, kind in zip(nodes["id"].astype(str), nodes["name"], nodes["type"], strict=True):
        target = cadence_days.get(kind) or None
        if kind == "organization" or (target is None and sid not in planned):
            continue
        seen, plan = last.get(sid), planned.get(sid)
        due = (
            pd.NaT
            if target is None
            else (pd.NaT if seen is None else seen + pd.Timedelta(days=int(target)))
        )
        out.append(_Due(sid, name, str(kind), seen, due, target, plan, owners.get(sid)))
    return out


def _reasons(
    d: _Due, now: pd.Timestamp, *, today: pd.Timestamp | None = None
) -> tuple[pd.Timestamp | None, list[str]]:
    """The due date and the reason codes it is due by ``now`` (empty: not due); a stakeholder
    without any contact is due ``today`` (default ``now``)."""
    reasons = []
    due = None
    if d.target is not None and d.last_contact is None:
        reasons.append(reason_code("no_contact_on_record", target=d.target))
        due = now if today is None else today
    elif d.target is not None and d.last_contact is not None and d.due < now:
        reasons.append(
            reason_code("last_contact_over", date=d.last_contact.date(), target=d.target)
        )
        due = d.due
    if d.planned is not None and d.planned < now:
        reasons.append(reason_code("planned_passed", date=d.planned.date()))
        due = d.planned if due is None else min(due, d.planned)
    return due, reasons


def _english(codes: list[str]) -> str:
    """The stable English ``reason`` column (other languages: :func:`contact_reasons` on the
    ``reason_codes`` column when shown)."""
    with use_language("en"):
        return contact_reasons(codes)


def overdue(network: Network, cadence_days: Mapping[str, int], *, today: date) -> pd.DataFrame:
    """One row per overdue stakeholder, most overdue first: ``id``, ``name``, ``type``,
    ``last_contact``, ``due``, ``days_overdue``, ``owner`` and a ``reason`` in words.

    >>> import pandas as pd
    >>> nodes = pd.DataFrame({"id": ["o", "a", "b", "c"], "name": ["Us", "A", "B", "C"],
    ...                       "type": ["organization", "customer", "customer", "supplier"]})
    >>> edges = pd.DataFrame({"source": ["a", "b", "c"], "target": ["o"] * 3, "type": ["BUYS_FROM"] * 3,
    ...                       "last_contact": pd.to_datetime(["2026-01-01", "2026-05-20", None]),
    ...                       "owner": ["ann", None, "bob"]})
    >>> out = overdue(Network(nodes, edges), {"customer": 30}, today=date(2026, 6, 1))
    >>> out[["id", "days_overdue", "owner"]].values.tolist()
    [['a', 121, 'ann']]
    """
    now = pd.Timestamp(today)
    rows = []
    for d in _due(network, cadence_days):
        due, reasons = _reasons(d, now)
        if reasons and due is not None:
            rows.append(
                {
                    "id": d.id,
                    "name": d.name,
                    "type": d.type,
                    "last_contact": d.last_contact,
                    "due": due,
                    "days_overdue": int((now - due).days),
                    "owner": d.owner,
                    "reason": _english(reasons),
                    "reason_codes": "; ".join(reasons),
                }
            )
    out = pd.DataFrame(rows, columns=OVERDUE_COLUMNS)
    return out.sort_values(["days_overdue", "id"], ascending=[False, True], ignore_index=True)


#: The columns of :func:`next_contacts`.
NEXT_COLUMNS = [
    "id",
    "name",
    "type",
    "owner",
    "due",
    "days_overdue",
    "value_kind",
    "value",
    "risk_score",
    "priority",
    "reason",
    "reason_codes",
]

_PLANNED_ONLY_DAYS = 30


def _radar_codes(risks: pd.DataFrame, sid: str) -> list[str]:
    """The radar's reason codes of ``sid`` (a list, or the ``"; "``-joined text a snapshot
    stores)."""
    if "reason_codes" not in risks.columns:
        return []
    codes = risks["reason_codes"].get(sid)
    if isinstance(codes, str):
        return [c.strip() for c in codes.split(";") if c.strip()]
    return [str(c) for c in codes] if isinstance(codes, (list, tuple)) else []


def next_contacts(
    network: Network,
    values: pd.DataFrame,
    risks: pd.DataFrame,
    cadence_days: Mapping[str, int],
    *,
    today: date,
    days: int = 7,
) -> pd.DataFrame:
    """Whom to contact within ``days`` from ``today``, highest ``priority`` first (columns
    :data:`NEXT_COLUMNS`; ``days_overdue`` is negative when the contact falls due later this
    week). ``values`` is :func:`~graphcap.metrics.value.stakeholder_value`, ``risks``
    :func:`~graphcap.metrics.risk.at_risk` (``id``, ``score``, ``reasons_text``).

    >>> nodes = pd.DataFrame({"id": ["o", "a", "b", "c"], "name": ["Us", "A", "B", "C"],
    ...                       "type": ["organization", "customer", "customer", "customer"]})
    >>> edges = pd.DataFrame({"source": ["a", "b", "c"], "target": ["o"] * 3,
    ...                       "type": ["BUYS_FROM"] * 3,
    ...                       "last_contact": pd.to_datetime(["2026-04-02", "2026-05-01", "2026-05-05"])})
    >>> values = pd.DataFrame({"id": ["a", "b"], "value": [100.0, 300.0],
    ...                        "value_kind": ["revenue", "revenue"]})
    >>> risks = pd.DataFrame({"id": ["b"], "score": [40.0], "reasons_text": ["falling activity"]})
    >>> out = next_contacts(Network(nodes, edges), values, risks, {"customer": 30},
    ...                     today=date(2026, 6, 1))
    >>> out[["id", "days_overdue", "priority"]].values.tolist()
    [['a', 30, 37.5], ['b', 1, 36.17], ['c', -3, 12.5]]
    >>> out.loc[2, "reason"]
    'due in 3 days; last contact 2026-05-05 (target: every 30 days)'
    """
    now = pd.Timestamp(today)
    end = now + pd.Timedelta(days=int(days))
    ranks = value_ranks(values).to_dict() if len(values) else {}
    v = values.set_index("id") if len(values) else pd.DataFrame(columns=["value", "value_kind"])
    r = risks.set_index("id") if len(risks) else pd.DataFrame(columns=["score", "reasons_text"])
    rows = []
    for d in _due(network, cadence_days):
        due, reasons = _reasons(d, end, today=now)
        if not reasons or due is None:
            continue
        late = int((now - due).days)
        if late < 0:  # due later this week: say what it will be due for, not that it is late
            reasons = [
                *([reason_code("last_contact_target", date=d.last_contact.date(), target=d.target)]
                  if d.target and d.last_contact is not None else []),
                *([reason_code("planned_on", date=d.planned.date())]
                  if d.planned is not None and d.planned < end else []),
            ]  # fmt: skip
        period = d.target or _PLANNED_ONLY_DAYS
        o = 1 + min(1.0, max(0, late) / period)
        rank = float(ranks.get(d.id, 0.0))
        value = float(v["value"].get(d.id, 0.0)) if d.id in v.index else 0.0
        kind = str(v["value_kind"].get(d.id, "")) if d.id in v.index else ""
        score = float(r["score"].get(d.id, 0.0)) if d.id in r.index else 0.0
        why = [
            reason_code("overdue_by", days=late)
            if late >= 0
            else reason_code("due_in", days=-late),
            *reasons,
        ]
        if value > 0:
            why.append(reason_code("value_rank", kind=kind, value=round(value, 2), rank=rank))
        if score > 0:
            why.append(reason_code("at_risk", score=round(score)))
            why += _radar_codes(r, d.id)
        rows.append(
            {
                "id": d.id,
                "name": d.name,
                "type": d.type,
                "owner": d.owner,
                "due": due,
                "days_overdue": late,
                "value_kind": kind or None,
                "value": value,
                "risk_score": score,
                "priority": round(25 * o * (0.5 + 0.5 * rank) * (1 + score / 100), 2),
                "reason": _english(why),
                "reason_codes": "; ".join(why),
            }
        )
    out = pd.DataFrame(rows, columns=NEXT_COLUMNS)
    return out.sort_values(
        ["priority", "days_overdue", "id"], ascending=[False, False, True], ignore_index=True
    )
