"""What-if removal: what the organisation would lose if a stakeholder (or several) went away.

What it means for a strategy team
---------------------------------
Before a key account leaves, a supplier fails or a partner is acquired, see the damage: the value
lost directly, the stakeholders that would be cut off from the organisation (they were reachable
only through the removed ones) and their value, the change in the Relational Capital Index and the
stakeholders that would newly become single points of failure (articulation points).

How it is computed
------------------
On the undirected strength graph ``G`` (positive ties only: a hostile tie reaches nobody):
stakeholders reachable from any focal node before and after cutting every relationship of the
given ones; *cut off* = reachable before, not after (and not removed). Money is counted per kind
(revenue, spend, flow; never added): ``by_kind`` has, per kind, the value of the removed
(``direct``), of the cut off, their sum ``at_risk`` and its ``share`` of that kind's total.
``kind`` is the kind with the largest share at risk, and ``value_direct`` / ``value_cut_off`` /
``value_at_risk`` / ``value_at_risk_share`` are in that kind.

Losing a stakeholder is not forgetting it: the RCI after is computed on the network whose removed
stakeholders have lost every relationship and interaction but keep their value on the books as
*lost* (graphcap.metrics.rci), with the same parameters and the same reading of the data
(ego-only or not). So losing a stakeholder with value never raises the index — unlike deleting it,
which would make the rest look more diversified. New articulation points = articulation points of
the graph after minus before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from graphcap.config.metric_params import VALUE_KINDS, ValueConfig
from graphcap.errors import MetricError
from graphcap.i18n import gettext as _
from graphcap.metrics.brokerage import articulation_points
from graphcap.metrics.paths import usable
from graphcap.metrics.rci import RCIWeights, is_ego_only, relational_capital_index
from graphcap.metrics.risk import RiskConfig
from graphcap.metrics.value import stakeholder_value
from graphcap.model import Network

__all__ = ["WhatIf", "what_if_remove"]

_LIST_COLUMNS = ["id", "name", "type", "value_kind", "value"]


@dataclass
class WhatIf:
    """The result of :func:`what_if_remove`. Frames list ``id name type value_kind value``;
    ``by_kind`` has ``kind direct cut_off at_risk share`` per kind of money."""

    removed: pd.DataFrame
    cut_off: pd.DataFrame
    new_articulation_points: pd.DataFrame
    value_direct: float
    value_cut_off: float
    value_at_risk: float
    value_at_risk_share: float
    rci_before: float
    rci_after: float
    rci_change: float
    kind: str = "none"
    by_kind: pd.DataFrame = field(default_factory=pd.DataFrame)
    summary: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = {
            k: getattr(self, k)
            for k in (
                "value_direct",
                "value_cut_off",
                "value_at_risk",
                "value_at_risk_share",
                "rci_before",
                "rci_after",
                "rci_change",
                "kind",
            )
        }
        out["by_kind"] = self.by_kind.to_dict("records")
        for k in ("removed", "cut_off", "new_articulation_points"):
            out[k] = getattr(self, k)["id"].tolist()
        out["summary"] = list(self.summary)
        return out


def _reachable(G: nx.Graph, sources: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    for s in sources:
        if s in G and s not in seen:
            seen |= nx.node_connected_component(G, s)
    return seen


def _rows(values: pd.DataFrame, ids: Iterable[str]) -> pd.DataFrame:
    wanted = set(ids)
    frame = values.loc[values["id"].isin(wanted), _LIST_COLUMNS]
    return frame.sort_values(["value", "id"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def what_if_remove(
    network: Network,
    G: nx.Graph,
    remove: str | Iterable[str],
    *,
    as_of: Any = None,
    risk_config: RiskConfig | None = None,
    weights: RCIWeights | None = None,
    rci_before: float | None = None,
    value_config: ValueConfig | None = None,
) -> WhatIf:
    """Remove the stakeholders ``remove`` (ids) from ``network`` (with strength) and its strength
    graph ``G`` (:func:`graphcap.graph.projection.to_weighted`) and report the consequences.

    ``rci_before`` may be passed when already known (it is recomputed otherwise). Removing the
    focal organisation or an unknown id raises :class:`~graphcap.errors.MetricError`.

    >>> nodes = pd.DataFrame({"id": ["o", "d", "c"], "name": ["Org", "Dealer", "Client"],
    ...                       "type": ["organization", "partner", "customer"], "revenue": [None, 10.0, 90.0]})
    >>> edges = pd.DataFrame({"source": ["d", "c"], "target": ["o", "d"], "type": ["PARTNERS_WITH", "BUYS_FROM"],
    ...                       "strength": [0.8, 0.5]})
    >>> G = nx.Graph([("o", "d", {"strength": 0.8}), ("d", "c", {"strength": 0.5})])
    >>> w = what_if_remove(Network(nodes, edges), G, "d", as_of="2024-01-01")
    >>> w.cut_off["id"].tolist(), w.kind, w.value_direct, w.value_cut_off, w.value_at_risk_share
    (['c'], 'revenue', 10.0, 90.0, 1.0)
    >>> w.rci_after <= w.rci_before
    True
    """
    ids = [remove] if isinstance(remove, str) else [str(r) for r in remove]
    if not ids:
        raise MetricError(_("name at least one stakeholder to remove"))
    known = set(network.nodes["id"].astype(str))
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise MetricError(
            _("stakeholder(s) not in the network: {map}").format(map=", ".join(map(repr, unknown)))
        )
    focal = network.focal_ids()
    if not focal:
        raise MetricError(
            _("no focal organisation in the network: give one stakeholder the type 'organization'")
        )
    if set(ids) & set(focal):
        raise MetricError(_("the focal organisation cannot be removed; pick other stakeholders"))
    gone = set(ids)

    values = stakeholder_value(network, value_config)
    ego = is_ego_only(network)
    if rci_before is None:
        rci_before = relational_capital_index(
            network,
            G,
            as_of=as_of,
            risk_config=risk_config,
            weights=weights,
            value_config=value_config,
            ego_only=ego,
        )[0].score
    after_G = nx.Graph(G)
    after_G.remove_edges_from([(u, v) for u, v in G.edges if u in gone or v in gone])
    before_reach = _reachable(usable(G), focal)
    after_reach = _reachable(usable(after_G), focal)
    cut = (before_reach - after_reach) - gone

    edges = network.edges
    log = network.interactions
    after_net = Network(
        nodes=network.nodes,
        edges=edges[
            ~(edges["source"].astype(str).isin(gone) | edges["target"].astype(str).isin(gone))
        ].reset_index(drop=True),
        interactions=log[
            ~(log["source"].astype(str).isin(gone) | log["target"].astype(str).isin(gone))
        ].reset_index(drop=True),
        meta=dict(network.meta),
    )
    rci_after = relational_capital_index(
        after_net,
        after_G,
        as_of=as_of,
        risk_config=risk_config,
        weights=weights,
        value_config=value_config,
        lost=gone,
        ego_only=ego,
        values=values,
    )[0].score
    new_ap = {str(n) for n in set(articulation_points(after_G)) - set(articulation_points(G))}

    removed = _rows(values, gone)
    cut_off = _rows(values, cut)
    kinds = []
    for k in VALUE_KINDS:
        total = float(values[k].sum())
        direct_k = float(values.loc[values["id"].isin(gone), k].sum())
        cut_k = float(values.loc[values["id"].isin(cut), k].sum())
        if direct_k + cut_k > 0 or total > 0:
            kinds.append(
                (
                    k,
                    direct_k,
                    cut_k,
                    direct_k + cut_k,
                    (direct_k + cut_k) / total if total > 0 else 0.0,
                )
            )
    by_kind = pd.DataFrame(kinds, columns=["kind", "direct", "cut_off", "at_risk", "share"])
    by_kind["kind"] = by_kind["kind"].astype(object)
    hit = by_kind[by_kind["at_risk"] > 0]
    main = hit.sort_values("share", ascending=False, kind="stable").iloc[0] if len(hit) else None
    kind = str(main["kind"]) if main is not None else "none"
    direct = float(main["direct"]) if main is not None else 0.0
    lost = float(main["cut_off"]) if main is not None else 0.0
    share = float(main["share"]) if main is not None else 0.0
    summary = [
        f"{r.kind} at risk: {r.at_risk:,.0f} ({r.share:.1%} of all {r.kind}): "
        f"{r.direct:,.0f} directly, {r.cut_off:,.0f} cut off"
        for r in hit.itertuples()
    ] or ["no money at risk (the removed and cut-off stakeholders bring no revenue, spend or flow)"]
    summary += [
        f"{len(cut_off)} stakeholder(s) cut off from the organisation",
        f"Relational Capital Index: {rci_before:.1f} -> {rci_after:.1f} ({rci_after - rci_before:+.1f})",
    ]
    if new_ap:
        summary.append(f"{len(new_ap)} new single point(s) of failure (articulation points)")
    return WhatIf(
        removed=removed,
        cut_off=cut_off,
        new_articulation_points=_rows(values, new_ap),
        value_direct=direct,
        value_cut_off=lost,
        value_at_risk=direct + lost,
        value_at_risk_share=share,
        rci_before=float(rci_before),
        rci_after=float(rci_after),
        rci_change=float(rci_after - rci_before),
        kind=kind,
        by_kind=by_kind,
        summary=summary,
    )
