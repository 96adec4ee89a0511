"""Which part of the network to look at: :class:`NetworkFilter` and :func:`apply_filter`.

A strategy team narrows the network to some stakeholder types, relationship types, a minimum
strength, a time window, some communities, the neighbourhood of one stakeholder (ego radius 1-3)
or a name search; the result is again a :class:`~graphcap.model.Network`, so every later stage
(projection, metrics, views, exports) works on it unchanged. :mod:`graphcap.graph.projection` re-exports
both names, the usual way to reach them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from graphcap.errors import MetricError
from graphcap.graph.textmatch import contains
from graphcap.i18n import gettext
from graphcap.model import Network
from graphcap.model.schema import DEFAULT_STRENGTH, QUALITY_DIMENSIONS

__all__ = ["MAX_EGO_RADIUS", "NetworkFilter", "apply_filter", "edge_strength"]

MAX_EGO_RADIUS = 3


def _frozen(values: Iterable[Any] | str | None) -> frozenset | None:
    if values is None:
        return None
    if isinstance(values, str):
        return frozenset([values])
    return frozenset(values)


def _timestamp(value: Any, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise MetricError(
            gettext("filter {name}={value!r} is not a date (use e.g. 2024-01-31)").format(
                name=name, value=value
            )
        ) from exc
    if ts is pd.NaT:
        raise MetricError(
            gettext("filter {name}={value!r} is not a date (use e.g. 2024-01-31)").format(
                name=name, value=value
            )
        )
    return ts.tz_localize(None) if ts.tzinfo is not None else ts


@dataclass(frozen=True)
class NetworkFilter:
    """Which part of the network to look at. ``None`` (the default) means "no restriction".

    - ``node_types``: stakeholder types to keep (canonical names, e.g. ``{"customer"}``).
    - ``rel_types``: relationship types to keep (e.g. ``{"SUPPLIES"}``).
    - ``min_strength``: keep relationships with strength at least this (0-1).
    - ``start`` / ``end``: the time window. A relationship is active in it if its lifetime
      (``since`` .. the later of ``contract_until`` and ``last_contact``; a missing date is open)
      overlaps the window, or if the interaction log has a contact between its two ends inside the
      window. Stakeholders with ``since`` after ``end`` are left out; interactions outside the
      window too.
    - ``communities``: community ids to keep (needs ``communities=`` in :func:`apply_filter`).
    - ``ego`` / ``radius``: keep only stakeholders within ``radius`` (1-3) steps of ``ego``,
      ignoring direction, after the other filters.
    - ``search``: keep stakeholders whose name or id contains this text (case-insensitive, plain
      text) and their direct neighbours.

    >>> NetworkFilter(node_types=["customer"], radius=2).node_types
    frozenset({'customer'})
    >>> NetworkFilter(radius=5)
    Traceback (most recent call last):
    ...
    graphcap.errors.MetricError: ego radius must be 1, 2 or 3, got 5
    """

    # Collections and dates are given in any convenient form (a list, a set, a date string) and
    # stored normalised (a frozenset, a pd.Timestamp) by __post_init__.
    node_types: Collection[str] | None = None
    rel_types: Collection[str] | None = None
    min_strength: float | None = None
    start: pd.Timestamp | str | None = None
    end: pd.Timestamp | str | None = None
    communities: Collection[Any] | None = None
    ego: str | None = None
    radius: int = 1
    search: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "node_types", _frozen(self.node_types))
        object.__setattr__(self, "rel_types", _frozen(self.rel_types))
        object.__setattr__(self, "communities", _frozen(self.communities))
        object.__setattr__(self, "start", _timestamp(self.start, "start"))
        object.__setattr__(self, "end", _timestamp(self.end, "end"))
        if self.radius not in range(1, MAX_EGO_RADIUS + 1):
            raise MetricError(
                gettext("ego radius must be 1, 2 or 3, got {radius}").format(radius=self.radius)
            )
        if self.min_strength is not None and not 0 <= float(self.min_strength) <= 1:
            raise MetricError(
                gettext("min_strength must be between 0 and 1, got {min_strength}").format(
                    min_strength=self.min_strength
                )
            )
        if self.start is not None and self.end is not None and self.start > self.end:
            raise MetricError(
                gettext(
                    "time window starts ({start:%Y-%m-%d}) after it ends ({end:%Y-%m-%d})"
                ).format(start=self.start, end=self.end)
            )
        if self.ego is not None:
            object.__setattr__(self, "ego", str(self.ego))
        if self.search is not None and not str(self.search).strip():
            object.__setattr__(self, "search", None)

    @property
    def is_empty(self) -> bool:
        """True when the filter keeps everything."""
        return self == NetworkFilter()


def edge_strength(edges: pd.DataFrame) -> pd.Series:
    """Strength per relationship as the projection uses it (before the floor).

    The ``strength`` column where present; else the mean of the quality dimensions present in the
    row; else :data:`DEFAULT_STRENGTH`. Values are clipped to [-1, 1] (negative: distrust).

    >>> e = pd.DataFrame({"strength": [0.9, None, None], "trust": [None, 0.2, None],
    ...                   "commitment": [None, 0.4, None]})
    >>> edge_strength(e).round(2).tolist()
    [0.9, 0.3, 0.5]
    """
    dims = [c for c in QUALITY_DIMENSIONS if c in edges.columns]
    quality = (
        edges[dims].apply(pd.to_numeric, errors="coerce").astype(float).mean(axis=1, skipna=True)
        if dims
        else pd.Series(np.nan, index=edges.index)
    )
    given = (
        pd.to_numeric(edges["strength"], errors="coerce").astype(float)
        if "strength" in edges.columns
        else pd.Series(np.nan, index=edges.index)
    )
    out = given.fillna(quality).fillna(DEFAULT_STRENGTH).clip(-1.0, 1.0)
    return out.astype(float).rename("strength")


def _active_in_window(network: Network, edges: pd.DataFrame, flt: NetworkFilter) -> pd.Series:
    def col(name: str) -> pd.Series:
        if name not in edges.columns:
            return pd.Series(pd.NaT, index=edges.index, dtype="datetime64[ns]")
        return pd.to_datetime(edges[name], errors="coerce")

    since = col("since")
    until = pd.concat([col("contract_until"), col("last_contact")], axis=1).max(axis=1)
    active = pd.Series(True, index=edges.index)
    if flt.end is not None:
        active &= since.isna() | (since <= flt.end)
    if flt.start is not None:
        active &= until.isna() | (until >= flt.start)
    log = _interactions_in_window(network.interactions, flt)
    if len(log) and not active.all():
        pairs = set(zip(log["source"].astype(str), log["target"].astype(str), strict=True))
        pairs |= {(b, a) for a, b in pairs}
        touched = pd.Series(
            [(s, t) in pairs for s, t in zip(edges["source"], edges["target"], strict=True)],
            index=edges.index,
            dtype=bool,
        )
        active |= touched
    return active


def _interactions_in_window(log: pd.DataFrame, flt: NetworkFilter) -> pd.DataFrame:
    if not len(log) or (flt.start is None and flt.end is None):
        return log
    dates = pd.to_datetime(log["date"], errors="coerce")
    keep = pd.Series(True, index=log.index)
    if flt.start is not None:
        keep &= dates >= flt.start
    if flt.end is not None:
        keep &= dates <= flt.end
    return log[keep]


def _ego_nodes(edges: pd.DataFrame, node_ids: set[str], ego: str, radius: int) -> set[str]:
    if ego not in node_ids:
        raise MetricError(
            gettext(
                "stakeholder {ego!r} is not in the (filtered) network; pick another ego"
            ).format(ego=ego)
        )
    adjacency: dict[str, set[str]] = {}
    for s, t in zip(edges["source"], edges["target"], strict=True):
        adjacency.setdefault(s, set()).add(t)
        adjacency.setdefault(t, set()).add(s)
    seen, frontier = {ego}, {ego}
    for _ in range(radius):
        frontier = {n for f in frontier for n in adjacency.get(f, ())} - seen
        seen |= frontier
    return seen


def apply_filter(
    network: Network, flt: NetworkFilter, *, communities: Mapping[str, Any] | None = None
) -> Network:
    """The part of ``network`` that ``flt`` keeps, as a new :class:`Network`.

    Relationships whose ends are filtered out go too; the interaction log keeps only rows between
    kept stakeholders (and inside the time window). ``communities`` maps stakeholder id to
    community id (e.g. from :func:`graphcap.metrics.communities.leiden`).

    >>> from graphcap.model import Network
    >>> net = Network(
    ...     nodes=pd.DataFrame({"id": ["o", "c", "s"], "name": ["Org", "Cust", "Sup"],
    ...                         "type": ["organization", "customer", "supplier"]}),
    ...     edges=pd.DataFrame({"source": ["c", "s"], "target": ["o", "o"],
    ...                         "type": ["BUYS_FROM", "SUPPLIES"], "strength": [0.8, 0.3]}))
    >>> apply_filter(net, NetworkFilter(min_strength=0.5)).edges["source"].tolist()
    ['c']
    >>> apply_filter(net, NetworkFilter(node_types={"organization", "supplier"})).counts
    {'nodes': 2, 'edges': 1, 'interactions': 0}
    """
    if flt.is_empty:
        return network
    nodes = network.nodes.copy()
    nodes["id"] = nodes["id"].astype(str)
    edges = network.edges.copy()
    edges["source"] = edges["source"].astype(str)
    edges["target"] = edges["target"].astype(str)

    if flt.node_types is not None:
        nodes = nodes[nodes["type"].astype(str).isin(flt.node_types)]
    if flt.end is not None and "since" in nodes.columns:
        since = pd.to_datetime(nodes["since"], errors="coerce")
        nodes = nodes[since.isna() | (since <= flt.end)]
    if flt.communities is not None:
        if communities is None:
            raise MetricError(
                gettext(
                    "filtering by community needs a community assignment; compute communities first (graphcap.metrics.communities.leiden)"
                )
            )
        comm = nodes["id"].map(lambda i: communities.get(i))
        nodes = nodes[comm.isin(flt.communities)]
    if flt.rel_types is not None:
        wanted = {str(t).upper() for t in flt.rel_types}
        edges = edges[edges["type"].astype(str).str.upper().isin(wanted)]
    if flt.min_strength is not None:
        edges = edges[edge_strength(edges) >= float(flt.min_strength)]
    if flt.start is not None or flt.end is not None:
        edges = edges[_active_in_window(network, edges, flt)]

    ids = set(nodes["id"])
    edges = edges[edges["source"].isin(ids) & edges["target"].isin(ids)]
    if flt.search is not None:
        hit = contains(nodes["id"], str(flt.search)) | contains(nodes["name"], str(flt.search))
        found = set(nodes.loc[hit, "id"])
        touching = edges["source"].isin(found) | edges["target"].isin(found)
        ids = found | set(edges.loc[touching, "source"]) | set(edges.loc[touching, "target"])
    if flt.ego is not None:
        ids = _ego_nodes(
            edges[edges["source"].isin(ids) & edges["target"].isin(ids)], ids, flt.ego, flt.radius
        )
    nodes = nodes[nodes["id"].isin(ids)]
    edges = edges[edges["source"].isin(ids) & edges["target"].isin(ids)]

    log = _interactions_in_window(network.interactions, flt)
    if len(log):
        log = log[log["source"].astype(str).isin(ids) & log["target"].astype(str).isin(ids)]
    meta = {**network.meta, "filter": flt}
    return Network(
        nodes=nodes.reset_index(drop=True),
        edges=edges.reset_index(drop=True),
        interactions=log.reset_index(drop=True),
        meta=meta,
    )
