"""Risk sweep: lose each stakeholder in turn, and rank them by what that would cost.

What it means for a strategy team
---------------------------------
The table a risk owner asks for: for every stakeholder, the money at risk if it went — its own
(``direct``) plus that of the stakeholders we reach only through it (``cut_off``) — in the kind
of money that matters for it (revenue for a customer or a dealer in front of customers, spend for
a supplier), its share of that kind, and how much the Relational Capital Index would drop.

How it is computed
------------------
One pass instead of one what-if per stakeholder: on the positive ties the stakeholders cut off by
losing ``i`` are exactly its subtree in the dominator tree seen from the organisation
(graphcap.metrics.brokerage.subtree_sums), so every kind's ``cut_off`` for all stakeholders comes
from one tree. The index after is the RCI formula (graphcap.metrics.rci) with ``i`` and its cut-off
stakeholders lost — tie strength and onward reach 0, fully at risk — and everything else as it
is. That is exact where the lost ones carried no other stakeholder's strongest path and no
radar reason changes (graphcap.metrics.whatif recomputes everything for one removal; the tests
compare both); elsewhere it is a first-order figure, never higher than the exact one's
direction: losing never raises the index here either.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from graphcap.config.metric_params import VALUE_KINDS
from graphcap.graph.engine import engine_for
from graphcap.metrics.brokerage import subtree_sums
from graphcap.metrics.paths import usable
from graphcap.metrics.rci import BASE, RCI, RCIParts
from graphcap.metrics.rci_dims import FULL_RISK_POINTS, stake_weights

__all__ = ["SWEEP_COLUMNS", "risk_sweep"]

SWEEP_COLUMNS = [
    "id",
    "name",
    "type",
    "kind",
    "direct",
    "cut_off",
    "at_risk",
    "share",
    "cut_off_count",
    "rci_after",
    "rci_change",
]


def risk_sweep(G: nx.Graph, focal: list[str], parts: RCIParts, rci: RCI) -> pd.DataFrame:
    """One row per stakeholder other than the organisation (columns :data:`SWEEP_COLUMNS`),
    the largest share at risk first, then the largest drop of the index.

    ``G`` is the undirected strength graph, ``parts`` and ``rci`` come from
    :func:`graphcap.metrics.rci.relational_capital_index` on the same network.
    """
    H = nx.Graph(usable(G))
    eg = engine_for(H)
    ids = [str(n) for n in eg.nodes]
    pos = {n: i for i, n in enumerate(ids)}
    focal_set = {str(f) for f in focal}
    values = parts.values.set_index(parts.values["id"].astype(str))
    values = values.reindex(ids)
    cut_count = subtree_sums(eg, focal, np.ones(eg.n))
    out = pd.DataFrame(
        {"id": ids, "name": values["name"].to_numpy(), "type": values["type"].to_numpy()}
    )
    amounts = {
        k: values[k].fillna(0.0).to_numpy(dtype=float) if k in values else np.zeros(eg.n)
        for k in VALUE_KINDS
    }
    shares = {}
    for k in VALUE_KINDS:
        direct = amounts[k]
        cut = subtree_sums(eg, focal, direct)
        total = float(direct.sum())
        shares[k] = ((direct + cut) / total) if total > 0 else np.zeros(eg.n)
        out[f"_{k}_direct"], out[f"_{k}_cut"] = direct, cut
    share_matrix = np.vstack([shares[k] for k in VALUE_KINDS])
    best = share_matrix.argmax(axis=0)
    has = share_matrix.max(axis=0) > 0
    kind = np.where(has, np.array(VALUE_KINDS, dtype=object)[best], "none")
    pick = np.arange(eg.n)
    direct_m = np.vstack([out[f"_{k}_direct"] for k in VALUE_KINDS])[best, pick]
    cut_m = np.vstack([out[f"_{k}_cut"] for k in VALUE_KINDS])[best, pick]
    out = out[["id", "name", "type"]].assign(
        kind=pd.Series(kind, dtype=object),
        direct=np.where(has, direct_m, 0.0),
        cut_off=np.where(has, cut_m, 0.0),
    )
    out["at_risk"] = out["direct"] + out["cut_off"]
    out["share"] = np.where(has, share_matrix.max(axis=0), 0.0)
    out["cut_off_count"] = cut_count.astype(int)

    # the index with i and its cut-off stakeholders lost, everything else as it is
    others = parts.values[parts.values["type"] != "organization"]
    stake, _ = stake_weights(others)
    w = np.zeros(eg.n)
    for sid, weight in stake.items():
        if sid in pos:
            w[pos[sid]] = weight
    tie = (
        parts.ties.set_index(parts.ties["id"].astype(str))["tie_strength"].reindex(ids).fillna(0.0)
    )
    reach = pd.Series(parts.reach, dtype=float).reindex(ids).fillna(0.0)
    points = (
        parts.risks.set_index(parts.risks["id"].astype(str))["points"].reindex(ids).fillna(0.0)
        if len(parts.risks)
        else pd.Series(0.0, index=ids)
    )
    r = np.minimum(1.0, points.to_numpy(dtype=float) / FULL_RISK_POINTS)
    r = np.where(tie.to_numpy() <= 0, 1.0, r)
    terms = {
        "strength": w * tie.to_numpy(),
        "brokerage": w * reach.to_numpy(),
        "health": w * (1.0 - r),
    }
    loss = {name: a + subtree_sums(eg, focal, a) for name, a in terms.items()}
    dims = (
        rci.dimensions.set_index("dimension")["value"].astype(float).to_dict()
        if len(rci.dimensions)
        else {}
    )
    weights = (
        rci.dimensions.set_index("dimension")["weight"].astype(float).to_dict()
        if len(rci.dimensions)
        else {}
    )
    base = np.zeros(eg.n)
    for d in BASE:
        if d in dims:
            base += weights[d] * (dims[d] - (loss[d] if d in loss else 0.0))
    after = 100.0 * base * (dims.get("health", 1.0) - loss["health"]) * dims.get("standing", 1.0)
    out["rci_after"] = np.maximum(after, 0.0) if dims else 0.0
    out["rci_change"] = out["rci_after"] - float(rci.score)
    out = out[~out["id"].isin(focal_set)]
    out = out.sort_values(
        ["share", "rci_change", "id"], ascending=[False, True, True], kind="stable"
    )
    return out[SWEEP_COLUMNS].reset_index(drop=True)
