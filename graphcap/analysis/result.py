"""The result of one analysis: :class:`Analysis`, its frames and parameters, and the questions
it answers on its own data (warm introductions, what-if, next contacts, risk sweep, key players,
threats, the strength of one relationship). :func:`graphcap.analysis.analyze` builds it."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import networkx as nx
import pandas as pd

from graphcap.config.metric_params import StrengthConfig, ValueConfig
from graphcap.metrics.cadence import next_contacts
from graphcap.metrics.paths import warm_introductions
from graphcap.metrics.players import central_players, key_players, threats
from graphcap.metrics.rci import RCI, RCIParts, RCIWeights
from graphcap.metrics.rci_dims import brokerage_reach
from graphcap.metrics.risk import RiskConfig
from graphcap.metrics.strength import explain_strength
from graphcap.metrics.sweep import SWEEP_COLUMNS, risk_sweep
from graphcap.metrics.value import stakeholder_value
from graphcap.metrics.whatif import WhatIf, what_if_remove
from graphcap.model import Network, frame_copy
from graphcap.notebook import analysis_html

__all__ = ["Analysis"]


@dataclass(frozen=True)
class Analysis:
    """The analysis of one network as of one date. The frames are this caller's own copies;
    ``graph`` is frozen (shared by every copy of the same analysis).

    ``network``
        The input with ``strength`` filled (see :mod:`graphcap.metrics.strength`).
    ``graph``
        The undirected strength graph (:func:`graphcap.graph.projection.to_weighted`), for warm
        introductions and what-if questions.
    ``nodes`` — one row per stakeholder, in the order of ``network.nodes``:
        ``id name type`` and the key properties present (``segment region country since revenue
        clv satisfaction loyalty power interest tags``);
        value: ``value value_share value_pct spend volume_with_focal``;
        reach of the organisation: ``tie_strength`` (strongest-path product, 1 for the
        organisation, 0 when unreachable), ``hops`` (missing when unreachable), ``via``;
        position (graphcap.metrics.suite.node_metrics on the undirected strength graph, same
        column names): ``degree
        weighted_degree betweenness closeness harmonic eigenvector pagerank reach2 core_number``
        and ``betweenness_pct``; brokerage (graphcap.metrics.brokerage): ``constraint
        effective_size is_articulation dependents`` (stakeholders the organisation reaches only
        through this one) ``gatekeeper`` (the one intermediary every path to it runs through);
        ``community`` (Leiden, seeded);
        grid: ``engagement power_data interest_data quadrant pagerank_pct dependence
        engagement_pct quadrant_manual power_gap interest_gap grid_gap grid_note``;
        radar: ``risk_score risk_points at_risk`` (points >= the RCI's at-risk threshold)
        ``single_threaded risk_reasons`` ("" when none).
    ``edges``
        ``network.edges`` with ``strength strength_source`` and the components
        ``strength_quality strength_recency strength_frequency strength_reciprocity
        strength_interaction`` (missing where there is no basis), plus ``is_bridge``.
    ``communities``
        ``community size value value_share top_member`` (highest PageRank), one count column
        per type, ``dominant_type dominant_share`` (graphcap.metrics.communities.composition),
        biggest first. ``modularity`` is the partition's modularity (0 when empty).
    ``rci``
        :class:`graphcap.metrics.rci.RCI` (``score``, ``dimensions``, ``by_type``, ``notes``).
    ``risks``
        :func:`graphcap.metrics.risk.at_risk` (columns ``RISK_COLUMNS``), ranked.
    ``grid``
        :func:`graphcap.metrics.grid.power_interest` (``id`` + the grid columns).
    ``concentration`` / ``lorenz`` / ``value_by_type``
        :func:`graphcap.metrics.value.concentration`, the Lorenz curve over the stakeholders with
        value, totals per type.
    ``params`` / ``timings``
        Everything that determined the result (as_of, seed, configs, content hash) and seconds
        per stage (``total`` included).
    """

    network: Network
    graph: nx.Graph
    nodes: pd.DataFrame
    edges: pd.DataFrame
    communities: pd.DataFrame
    modularity: float
    rci: RCI
    risks: pd.DataFrame
    grid: pd.DataFrame
    concentration: dict[str, Any]
    lorenz: pd.DataFrame
    value_by_type: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    parts: RCIParts | None = None

    def engine_summary(self) -> str:
        """Which engine computed which measure, e.g. ``"local (every measure)"`` or
        ``"gds 2.13.9: betweenness, ...; local: closeness, ..."``."""
        by: dict[str, list[str]] = {}
        for measure, engine in self.params.get("engines", {}).items():
            by.setdefault(engine, []).append(measure)
        if set(by) <= {"local"}:
            return "local (every measure)"
        version = self.params.get("engine_info", {}).get("version")
        parts = [
            f"{engine}{' ' + version if engine == 'gds' and version else ''}: "
            f"{', '.join(sorted(names))}"
            for engine, names in sorted(by.items(), key=lambda kv: kv[0] != "gds")
        ]
        return "; ".join(parts)

    @property
    def focal_ids(self) -> list[str]:
        return self.network.focal_ids()

    def warm_introductions(self, target: str, *, k: int = 5) -> pd.DataFrame:
        """The ``k`` strongest paths from the organisation to ``target``
        (:func:`graphcap.metrics.paths.warm_introductions`)."""
        return warm_introductions(self.graph, self.focal_ids, target, k=k)

    def what_if(self, remove: str | Iterable[str]) -> WhatIf:
        """What removing ``remove`` would cost (:func:`graphcap.metrics.whatif.what_if_remove`),
        with this analysis' parameters."""
        p = self.params
        return what_if_remove(
            self.network,
            self.graph,
            remove,
            as_of=p["as_of"],
            risk_config=RiskConfig(**p["risk"]),
            weights=RCIWeights(**p["rci_weights"]),
            rci_before=self.rci.score,
            value_config=ValueConfig(kinds=p["value_kinds"]),
        )

    def next_contacts(
        self, cadence_days: Mapping[str, int], *, today: date, days: int = 7
    ) -> pd.DataFrame:
        """Whom to contact within ``days`` of ``today``, ranked by overdue x value x risk with
        this analysis' values and radar (:func:`graphcap.metrics.cadence.next_contacts`)."""
        values = (
            self.parts.values
            if self.parts is not None
            else stakeholder_value(self.network, ValueConfig(kinds=self.params["value_kinds"]))
        )
        return next_contacts(self.network, values, self.risks, cadence_days, today=today, days=days)

    def risk_sweep(self) -> pd.DataFrame:
        """Every stakeholder lost in turn, ranked by money at risk and index change
        (:func:`graphcap.metrics.sweep.risk_sweep`)."""
        if self.parts is None or not self.focal_ids:
            return pd.DataFrame(columns=SWEEP_COLUMNS)
        return risk_sweep(self.graph, self.focal_ids, self.parts, self.rci)

    def key_players(self, *, top: int = 10) -> pd.DataFrame:
        """Who matters to us (graphcap.metrics.players.key_players): value, dependents, onward."""
        gk = self.nodes.set_index("id")["gatekeeper"] if "gatekeeper" in self.nodes else None
        onward = brokerage_reach(self.graph, self.focal_ids) if self.focal_ids else {}
        return key_players(self.nodes, gk, onward, top=top)

    def central_players(self, *, top: int = 10) -> pd.DataFrame:
        """Who is central in the whole network (PageRank), the organisation left out."""
        return central_players(self.nodes, top=top)

    def threats(self) -> pd.DataFrame:
        """Competitors and their overlap with our customers and suppliers."""
        values = self.nodes[
            [
                "id",
                "name",
                "type",
                *[c for c in ("revenue", "spend", "flow") if c in self.nodes.columns],
            ]
        ]
        return threats(self.network, values)

    def explain(self, edge: int) -> pd.DataFrame:
        """Components of the strength of edge number ``edge`` (row position in ``edges``)."""
        return explain_strength(self.edges.iloc[edge], StrengthConfig(**self.params["strength"]))

    def copy(self) -> Analysis:
        """A copy whose frames, network and dicts can be changed without touching this one; the
        frozen graph is shared. Under pandas' copy-on-write (always on from pandas 3) the
        frames share their data until one side changes them (:func:`frame_copy`), so a copy
        costs microseconds instead of copying every column."""
        net = self.network
        return replace(
            self,
            network=Network(
                nodes=frame_copy(net.nodes),
                edges=frame_copy(net.edges),
                interactions=frame_copy(net.interactions),
                meta=copy.deepcopy(net.meta),
            ),
            nodes=frame_copy(self.nodes),
            edges=frame_copy(self.edges),
            communities=frame_copy(self.communities),
            rci=replace(
                self.rci,
                dimensions=frame_copy(self.rci.dimensions),
                by_type=frame_copy(self.rci.by_type),
                notes=list(self.rci.notes),
            ),
            risks=frame_copy(self.risks),
            grid=frame_copy(self.grid),
            concentration=copy.deepcopy(self.concentration),
            lorenz=frame_copy(self.lorenz),
            value_by_type=frame_copy(self.value_by_type),
            params=copy.deepcopy(self.params),
            timings=dict(self.timings),
        )

    def _repr_html_(self) -> str:
        """Jupyter: the index, key players, relationships at risk and a picture (names escaped)."""
        return analysis_html(self.nodes, self.edges, score=self.rci.score, params=self.params)
