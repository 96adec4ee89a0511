"""What each raw export of the sample must give back, computed with pandas from the canonical
sample (independently of the recipes' SQL), restricted to what the raw shape carries."""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphcap.model import Network

NODE_COLUMNS = {
    "erp": {
        "organization": ["city"],
        "customer": ["segment", "region", "country", "city", "since", "revenue", "clv"],
        "supplier": ["segment", "country", "city", "since"],
    },
    "crm": {
        "organization": [],
        **{
            t: ["segment", "region", "country", "city", "since", "revenue", "clv"]
            for t in ("customer", "supplier", "partner", "agency", "competitor")
        },
    },
}


def expected_nodes(net: Network, shape: str) -> pd.DataFrame:
    """Nodes of the types the shape carries, the columns it does not carry left empty."""
    carried = NODE_COLUMNS[shape]
    nodes = net.nodes[net.nodes["type"].isin(list(carried))].copy()
    optional = sorted({c for cols in carried.values() for c in cols})
    for col in optional:
        keep = nodes["type"].map(lambda t, col=col: col in carried[t])
        nodes[col] = nodes[col].where(keep, None)
    return nodes[["id", "name", "type", *optional]].reset_index(drop=True)


def partner_log(net: Network, types: tuple[str, ...]) -> pd.DataFrame:
    """The log rows between a unit and a stakeholder of ``types``, with partner and unit."""
    kind = dict(zip(net.nodes["id"], net.nodes["type"], strict=True))
    log = net.interactions.copy()
    src = log["source"].map(kind)
    tgt = log["target"].map(kind)
    inbound = src.isin(types)
    log = log[inbound | tgt.isin(types)].copy()
    inbound = inbound[log.index]
    log["partner"] = np.where(inbound, log["source"], log["target"])
    log["unit"] = np.where(inbound, log["target"], log["source"])
    log["ptype"] = log["partner"].map(kind)
    return log.reset_index(drop=True)


def aggregated_edges(log: pd.DataFrame, *, sentiment: bool = False) -> pd.DataFrame:
    """Relationships added up from the log: one per (partner, unit)."""
    rows = []
    for (partner, unit), g in log.groupby(["partner", "unit"], sort=True):
        value = g["value"].sum(min_count=1)
        row = {
            "source": partner,
            "target": unit,
            "type": "BUYS_FROM" if g["ptype"].iloc[0] == "customer" else "SUPPLIES",
            "volume": round(float(value), 2) if value == value else np.nan,
            "interactions": len(g),
            "since": g["date"].min(),
            "last_contact": g["date"].max(),
        }
        if sentiment:
            row["sentiment"] = round(float(g["sentiment"].mean()), 2)
        rows.append(row)
    out = pd.DataFrame(rows)
    out["interactions"] = out["interactions"].astype("Int64")
    return out


def rating_rows(net: Network) -> pd.DataFrame:
    focal = net.nodes.loc[net.nodes["type"] == "organization", "id"].iloc[0]
    log = net.interactions
    log = log[(log["source"] == focal) | (log["target"] == focal)].copy()
    log["rating"] = np.rint(log["sentiment"].to_numpy() * 10).astype(int)
    return log.reset_index(drop=True)


def expected_ratings(net: Network) -> tuple[pd.DataFrame, pd.DataFrame]:
    log = rating_rows(net)
    inter = pd.DataFrame(
        {
            "date": log["date"],
            "source": log["source"],
            "target": log["target"],
            "channel": "rating",
            "sentiment": log["rating"] / 10,
        }
    )
    rows = []
    for (s, t), g in log.groupby(["source", "target"], sort=True):
        mean = g["rating"].mean()
        rows.append(
            {
                "source": s,
                "target": t,
                "type": "PARTNERS_WITH",
                "kind": "rating",
                "trust": (mean + 10) / 20,
                "sentiment": mean / 10,
                "interactions": len(g),
                "since": g["date"].min(),
                "last_contact": g["date"].max(),
            }
        )
    edges = pd.DataFrame(rows)
    edges["interactions"] = edges["interactions"].astype("Int64")
    return edges, inter
