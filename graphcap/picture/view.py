"""The frames the pages show: the network's stakeholders with their metrics, and its relationships
with their strength, joined once per data version.

No Streamlit here: :mod:`graphcap.ui.state` caches a :class:`View` per ``source.version()``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from graphcap.model import Network, frame_copy
from graphcap.model.schema import NODE_OPTIONAL

__all__ = ["View", "build_view", "copy_network"]

#: Preferred default for "size by", first one present wins.
SIZE_PREFERENCE = ("pagerank", "betweenness", "weighted_degree", "degree", "revenue")

_NOT_METRICS = {"since", "id", "name", "type", "community", "group"}

#: The order metrics are offered in (most telling first); others follow alphabetically.
METRIC_ORDER = (
    "pagerank", "betweenness", "degree", "weighted_degree", "eigenvector", "closeness",
    "harmonic", "reach2", "core_number", "constraint", "effective_size", "tie_strength", "value",
    "value_share", "revenue", "clv", "spend", "risk_score", "engagement", "power_data",
    "interest_data",
)  # fmt: skip


@dataclass
class View:
    """Stakeholders (``nodes``: node properties + metric columns) and relationships (``edges``,
    with ``strength``), positions of every stakeholder, and the analysis they came from."""

    network: Network
    nodes: pd.DataFrame
    edges: pd.DataFrame
    positions: dict[str, tuple[float, float]]
    analysis: Any = None
    _metric_cols: list[str] = field(default_factory=list)

    def copy(self) -> View:
        """A copy whose frames and analysis can be changed without changing this one
        (:func:`graphcap.model.frame_copy`: under copy-on-write nothing is copied until a side
        writes, so the app hands every rerun its own copy of one shared view for microseconds)."""
        copy_analysis = getattr(self.analysis, "copy", None)
        return replace(
            self,
            network=copy_network(self.network),
            nodes=frame_copy(self.nodes),
            edges=frame_copy(self.edges),
            positions=dict(self.positions),
            analysis=copy_analysis() if callable(copy_analysis) else self.analysis,
            _metric_cols=list(self._metric_cols),
        )

    def network_of_view(self) -> Network:
        """The view as a network: its stakeholders (with metrics) and relationships (with
        strength), the interaction log and meta of the network it came from."""
        return Network(self.nodes, self.edges, self.network.interactions, dict(self.network.meta))

    @property
    def default_size(self) -> str | None:
        cols = self.metric_columns()
        return next((c for c in SIZE_PREFERENCE if c in cols), None)

    def metric_columns(self) -> list[str]:
        """Numeric columns a node can be sized by: metrics first, then numeric properties."""
        numeric = [
            str(c)
            for c in self.nodes.columns
            if str(c) not in _NOT_METRICS
            and pd.api.types.is_numeric_dtype(self.nodes[c])
            and not pd.api.types.is_bool_dtype(self.nodes[c])
            and self.nodes[c].notna().any()
        ]
        rank = {c: k for k, c in enumerate(METRIC_ORDER)}
        numeric.sort(
            key=lambda c: (c not in self._metric_cols and c not in rank, rank.get(c, len(rank)), c)
        )
        return numeric

    def communities(self) -> list:
        if "community" not in self.nodes.columns:
            return []
        return sorted(self.nodes["community"].dropna().unique().tolist(), key=str)

    def community_map(self) -> dict[str, Any] | None:
        if "community" not in self.nodes.columns:
            return None
        return dict(zip(self.nodes["id"].astype(str), self.nodes["community"], strict=True))

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        """First and last date the relationships and the interaction log know of."""
        stamps = []
        for frame, cols in (
            (self.edges, ("since", "contract_until", "last_contact")),
            (self.network.interactions, ("date",)),
        ):
            for c in cols:
                if c in frame.columns and len(frame):
                    s = pd.to_datetime(frame[c], errors="coerce").dropna()
                    if len(s):
                        stamps += [s.min(), s.max()]
        if not stamps:
            return None, None
        return min(stamps).date(), max(stamps).date()


def copy_network(network: Network) -> Network:
    """A copy of ``network`` that can be changed without changing it (see :meth:`View.copy`)."""
    return Network(
        frame_copy(network.nodes),
        frame_copy(network.edges),
        frame_copy(network.interactions),
        dict(network.meta),
    )


def _frame(obj: Any, name: str) -> pd.DataFrame | None:
    value = getattr(obj, name, None)
    return value if isinstance(value, pd.DataFrame) else None


def build_view(network: Network, analysis: Any, positions: dict[str, tuple[float, float]]) -> View:
    """Join the analysis's per-stakeholder metrics onto the node properties (by ``id``); take its
    relationships (with strength and its components) as they are, so row ``k`` of ``edges`` is
    the analysis' edge ``k`` (what :meth:`graphcap.analysis.Analysis.explain` takes)."""
    nodes = network.nodes.copy()
    nodes["id"] = nodes["id"].astype(str)
    metric_cols: list[str] = []
    metrics = _frame(analysis, "nodes")
    if metrics is not None and "id" in metrics.columns:
        metrics = metrics.copy()
        metrics["id"] = metrics["id"].astype(str)
        new = [c for c in metrics.columns if c == "id" or c not in nodes.columns]
        nodes = nodes.merge(metrics[new], on="id", how="left")
        metric_cols = [str(c) for c in new if c != "id" and c not in NODE_OPTIONAL]
    rel = _frame(analysis, "edges")
    if rel is not None and {"source", "target", "type", "strength"} <= set(rel.columns):
        edges = rel.reset_index(drop=True)  # row position = the analysis' edge number
    else:
        edges = network.edges.reset_index(drop=True)
    edges = edges.assign(source=edges["source"].astype(str), target=edges["target"].astype(str))
    return View(network, nodes, edges, positions, analysis, metric_cols)
