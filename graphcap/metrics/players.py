"""Key players read from the organisation's side, and competitors read as threats.

What it means for a strategy team
---------------------------------
Two different questions, never mixed:

- **matters to us** — who the organisation depends on: its share of our money of its kind
  (revenue, spend or flow), plus the share of our stakeholders' money that we reach only through
  it (``dependents``), plus how far it opens doors onward. Competitors are not on this list.
- **central in the whole network** — who sits in the middle of everybody's relationships
  (PageRank on the strength-weighted network), whatever it means for us.

Competitors appear as **threats**: which of our customers and suppliers they also deal with, and
what share of our revenue and our spend those shared stakeholders stand for. The focal
organisation is never listed, neither as a key player nor as a single point of failure.

How it is computed
------------------
``matters = value_share + dependents_share + 0.05 * onward`` (onward reach breaks ties among
similar stakes, it never outweighs money) over the stakeholders other than
the organisation and competitors: ``value_share`` within the stakeholder's own kind of money,
``dependents_share`` = money share (same rule) of the stakeholders it alone connects us to,
``onward`` its strongest tie to a stakeholder we do not deal with (graphcap.metrics.rci_dims).
"""

from __future__ import annotations

import pandas as pd

from graphcap.model import Network

__all__ = ["PLAYER_COLUMNS", "THREAT_COLUMNS", "central_players", "key_players", "threats"]

PLAYER_COLUMNS = [
    "id",
    "name",
    "type",
    "value_kind",
    "value",
    "value_share",
    "dependents_share",
    "onward",
    "matters",
]
THREAT_COLUMNS = [
    "id",
    "name",
    "shared_customers",
    "shared_suppliers",
    "revenue_overlap",
    "spend_overlap",
    "customers",
    "suppliers",
]


def key_players(
    nodes: pd.DataFrame,
    gatekeepers: pd.Series | None = None,
    onward: dict[str, float] | None = None,
    *,
    top: int = 10,
) -> pd.DataFrame:
    """The stakeholders that matter most to the organisation (columns :data:`PLAYER_COLUMNS`).

    ``nodes`` has ``id name type value_kind value value_share`` (graphcap.analysis nodes);
    ``gatekeepers`` maps a stakeholder id to its gatekeeper (the one intermediary every path
    to it runs through), ``onward`` is graphcap.metrics.rci_dims.brokerage_reach.

    >>> nodes = pd.DataFrame({"id": ["o", "d", "c", "k"], "name": ["Org", "Dealer", "Client", "Rival"],
    ...     "type": ["organization", "partner", "customer", "competitor"],
    ...     "value_kind": ["none", "none", "revenue", "none"], "value": [0.0, 0.0, 90.0, 0.0],
    ...     "value_share": [0.0, 0.0, 1.0, 0.0]})
    >>> key_players(nodes, pd.Series({"c": "d"}))[["id", "matters"]].values.tolist()
    [['c', 1.0], ['d', 1.0]]
    """
    others = nodes[~nodes["type"].isin(["organization", "competitor"])].copy()
    share = others.set_index("id")["value_share"].astype(float)
    dep = pd.Series(0.0, index=others["id"])
    if gatekeepers is not None and len(gatekeepers):
        gk = gatekeepers.dropna().astype(str)
        gk = gk[gk.isin(dep.index)]
        dep = dep.add(
            share.reindex(gk.index).fillna(0.0).groupby(gk.to_numpy()).sum(), fill_value=0.0
        )
    others["dependents_share"] = others["id"].map(dep).fillna(0.0).astype(float)
    others["onward"] = others["id"].map(onward or {}).fillna(0.0).astype(float)
    others["matters"] = (
        others["value_share"].astype(float) + others["dependents_share"] + 0.05 * others["onward"]
    )
    out = others.sort_values(
        ["matters", "value", "id"], ascending=[False, False, True], kind="stable"
    )
    out = out[out["matters"] > 0]
    return out[PLAYER_COLUMNS].head(top).reset_index(drop=True)


def central_players(nodes: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """The most central stakeholders of the whole network by PageRank (``id name type
    pagerank betweenness``), the organisation left out.

    >>> nodes = pd.DataFrame({"id": ["o", "a"], "name": ["O", "A"], "type": ["organization", "partner"],
    ...                       "pagerank": [0.6, 0.4], "betweenness": [0.0, 0.0]})
    >>> central_players(nodes)["id"].tolist()
    ['a']
    """
    others = nodes[nodes["type"] != "organization"]
    out = others.sort_values(["pagerank", "id"], ascending=[False, True], kind="stable")
    cols = [c for c in ("id", "name", "type", "pagerank", "betweenness") if c in out.columns]
    return out[cols].head(top).reset_index(drop=True)


def threats(network: Network, values: pd.DataFrame) -> pd.DataFrame:
    """Competitors and the overlap with our customers and suppliers (columns
    :data:`THREAT_COLUMNS`), the biggest overlap first.

    ``shared_customers`` / ``shared_suppliers`` count our customers (with revenue) and suppliers
    (with spend) that have any relationship with the competitor; ``revenue_overlap`` /
    ``spend_overlap`` are their share of our revenue / spend; ``customers`` / ``suppliers`` name
    the first five.

    >>> nodes = pd.DataFrame({"id": ["o", "c1", "c2", "s", "k"], "name": ["O", "A", "B", "S", "K"],
    ...     "type": ["organization", "customer", "customer", "supplier", "competitor"]})
    >>> edges = pd.DataFrame({"source": ["c1", "c2", "s", "c1", "s"], "target": ["o", "o", "o", "k", "k"],
    ...     "type": ["BUYS_FROM", "BUYS_FROM", "SUPPLIES", "BUYS_FROM", "SUPPLIES"],
    ...     "volume": [30.0, 70.0, 10.0, 5.0, 5.0]})
    >>> from graphcap.metrics.value import stakeholder_value
    >>> net = Network(nodes, edges)
    >>> t = threats(net, stakeholder_value(net))
    >>> t[["id", "shared_customers", "revenue_overlap", "spend_overlap"]].values.tolist()
    [['k', 1, 0.3, 1.0]]
    """
    nodes = network.nodes
    rivals = nodes.loc[nodes["type"] == "competitor", ["id", "name"]].astype({"id": str})
    if not len(rivals):
        return pd.DataFrame(columns=THREAT_COLUMNS)
    v = values.set_index(values["id"].astype(str))
    revenue = v["revenue"].astype(float) if "revenue" in v else pd.Series(dtype=float)
    spend = v["spend"].astype(float) if "spend" in v else pd.Series(dtype=float)
    ours_c = set(revenue[revenue > 0].index) & set(v.index[v["type"] == "customer"])
    ours_s = set(spend[spend > 0].index) & set(v.index[v["type"] == "supplier"])
    total_r, total_s = float(revenue[revenue > 0].sum()), float(spend[spend > 0].sum())
    e = network.edges
    src, tgt = e["source"].astype(str), e["target"].astype(str)
    names = v["name"].astype(str).to_dict()
    rows = []
    for rid, rname in rivals.itertuples(index=False):
        touching = set(tgt[src == rid]) | set(src[tgt == rid])
        sc, ss = sorted(touching & ours_c), sorted(touching & ours_s)
        rows.append(
            {
                "id": rid,
                "name": rname,
                "shared_customers": len(sc),
                "shared_suppliers": len(ss),
                "revenue_overlap": float(revenue.reindex(sc).sum()) / total_r
                if total_r > 0
                else 0.0,
                "spend_overlap": float(spend.reindex(ss).sum()) / total_s if total_s > 0 else 0.0,
                "customers": ", ".join(names.get(i, i) for i in sc[:5]),
                "suppliers": ", ".join(names.get(i, i) for i in ss[:5]),
            }
        )
    out = pd.DataFrame(rows, columns=THREAT_COLUMNS)
    out["weight"] = out["revenue_overlap"] + out["spend_overlap"]
    out = out.sort_values(["weight", "id"], ascending=[False, True], kind="stable").drop(
        columns="weight"
    )
    return out.reset_index(drop=True)
