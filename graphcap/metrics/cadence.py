"""Contact cadence: who is overdue for a contact, and whom to contact this week (pure).

A cadence target says how often stakeholders of a type should be contacted (e.g. customers every
60 days; ``[cadence]`` in graphcap.toml, defaults in :data:`graphcap.config.DEFAULT_CADENCE_DAYS`). A stakeholder's **last contact** is the latest of its
logged interactions and the ``last_contact`` of its relationships. It is **overdue** when the
last contact is longer ago than its type's target (or there is none), or when a planned
``next_contact`` of one of its relationships has passed. The focal organisation is never listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from graphcap.model import Network

__all__ = ["overdue"]


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[column], errors="coerce")


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
    if len(inter):
        when = _dates(inter, "date")
        for end in ("source", "target"):
            for i, stamp in when.groupby(inter[end].astype(str)).max().dropna().items():
                last[i] = max(last.get(i, stamp), stamp)
    now = pd.Timestamp(today)
    rows = []
    for sid, name, kind in zip(nodes["id"].astype(str), nodes["name"], nodes["type"], strict=True):
        target = cadence_days.get(kind)
        if kind == "organization" or (target is None and sid not in planned):
            continue
        seen = last.get(sid)
        due = (
            None
            if target is None
            else (seen + pd.Timedelta(days=int(target)) if seen is not None else now)
        )
        reasons = []
        if due is not None and due <= now and seen is None:
            reasons.append(f"no contact on record (target: every {target} days)")
        elif due is not None and due < now and seen is not None:
            reasons.append(f"last contact {seen.date()} is more than {target} days ago")
        plan = planned.get(sid)
        if plan is not None and plan < now:
            reasons.append(f"planned contact on {plan.date()} has passed")
            due = plan if due is None else min(due, plan)
        if reasons:
            rows.append(
                {
                    "id": sid,
                    "name": name,
                    "type": kind,
                    "last_contact": seen,
                    "due": due,
                    "days_overdue": int((now - due).days),
                    "owner": owners.get(sid),
                    "reason": "; ".join(reasons),
                }
            )
    out = pd.DataFrame(
        rows,
        columns=["id", "name", "type", "last_contact", "due", "days_overdue", "owner", "reason"],
    )
    return out.sort_values(["days_overdue", "id"], ascending=[False, True], ignore_index=True)
