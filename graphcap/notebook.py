"""What a network and an analysis look like in Jupyter (``_repr_html_``): pure HTML text.

A short summary (counts by type, the data's date, for an analysis the index, key players and
relationships at risk) and a small SVG picture of the network, coloured by stakeholder type. Every
name and value from the data goes through :func:`html.escape`, so a stakeholder called
``<script>`` is shown as text. The picture keeps the :data:`PICTURE_MAX_NODES` best connected
stakeholders so a large network still renders at once; the caption says how many are shown.

The functions take frames, not a :class:`graphcap.model.Network`, so the model can use them
without importing anything above it.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from graphcap.palette import category_color

__all__ = ["PICTURE_MAX_NODES", "analysis_html", "network_html", "network_svg"]

#: Stakeholders drawn at most in the notebook picture (the best connected ones).
PICTURE_MAX_NODES = 120
_SIZE = 360
_STYLE = (
    "font-family:system-ui,sans-serif;font-size:13px;line-height:1.35;"
    "border-collapse:collapse;margin:2px 0"
)


def _esc(value: Any) -> str:
    if value is None or (not isinstance(value, list | tuple | dict) and pd.isna(value)):
        return "–"
    if isinstance(value, float):
        return html.escape(f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}")
    return html.escape(str(value))


def _table(rows: Sequence[Sequence[Any]], header: Sequence[str] = ()) -> str:
    head = "".join(f"<th style='text-align:left;padding:1px 8px'>{_esc(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td style='padding:1px 8px'>{_esc(c)}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table style='{_STYLE}'>" + (f"<tr>{head}</tr>" if head else "") + body + "</table>"


def network_svg(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    size: Mapping[str, float] | None = None,
    max_nodes: int = PICTURE_MAX_NODES,
    seed: int = 1,
) -> tuple[str, int]:
    """An SVG picture of the network and how many stakeholders it shows. ``size`` (id -> 0..1)
    scales the dots; node tooltips are the escaped names and types."""
    # networkx only for the picture: the model imports this module, and `graphcap metrics`
    # imports networkx while the server reads (graphcap.cli.meanwhile)
    import networkx as nx

    ids = nodes["id"].astype(str).tolist()
    G = nx.Graph()
    G.add_nodes_from(ids)
    if len(edges):
        known = set(ids)
        G.add_edges_from(
            (s, t)
            for s, t in zip(edges["source"].astype(str), edges["target"].astype(str), strict=True)
            if s in known and t in known and s != t
        )
    if G.number_of_nodes() > max_nodes:
        keep = sorted(G.degree, key=lambda item: (-item[1], item[0]))[:max_nodes]
        G = G.subgraph([n for n, _ in keep]).copy()
    if G.number_of_nodes() == 0:
        return "", 0
    pos = (
        nx.spring_layout(G, seed=seed, iterations=60)
        if G.number_of_nodes() > 1
        else {next(iter(G)): (0.0, 0.0)}
    )
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    pad = 14

    def at(n: str) -> tuple[float, float]:
        x, y = pos[n]
        scale = _SIZE - 2 * pad
        return (pad + (x - min(xs)) / span * scale, pad + (y - min(ys)) / span * scale)

    info = nodes.assign(id=nodes["id"].astype(str)).drop_duplicates("id").set_index("id")
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{_SIZE}' height='{_SIZE}' "
        f"viewBox='0 0 {_SIZE} {_SIZE}' role='img' aria-label='network picture'>"
    ]
    for s, t in G.edges:
        (x1, y1), (x2, y2) = at(s), at(t)
        parts.append(
            f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' "
            "stroke='#9ca3af' stroke-opacity='0.55' stroke-width='0.8'/>"
        )
    order = sorted(info["type"].astype(str).unique()) if "type" in info else []
    for n in G.nodes:
        x, y = at(n)
        kind = str(info.at[n, "type"]) if n in info.index else ""
        name = info.at[n, "name"] if n in info.index and "name" in info else n
        share = float((size or {}).get(n, 0.3))
        radius = 3 + 7 * math.sqrt(max(0.0, min(1.0, share if math.isfinite(share) else 0.3)))
        parts.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{radius:.1f}' "
            f"fill='{category_color(kind, order)}' stroke='white' stroke-width='0.6'>"
            f"<title>{_esc(name)} ({_esc(kind)})</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts), G.number_of_nodes()


def _legend(types: Sequence[str]) -> str:
    return " ".join(
        f"<span style='white-space:nowrap'><span style='color:{category_color(t, types)}'>●"
        f"</span> {_esc(t)}</span>"
        for t in types
    )


def _picture(nodes: pd.DataFrame, edges: pd.DataFrame, size: Mapping[str, float] | None) -> str:
    svg, shown = network_svg(nodes, edges, size=size)
    if not svg:
        return ""
    caption = (
        f"{shown} of {len(nodes)} stakeholders shown (the best connected)"
        if shown < len(nodes)
        else f"{shown} stakeholders"
    )
    types = sorted(nodes["type"].astype(str).unique())
    return (
        f"<div>{svg}<div style='font-size:11px;color:#6b7280'>{_esc(caption)}<br>"
        f"{_legend(types)}</div></div>"
    )


def _counts(frame: pd.DataFrame) -> list[tuple[str, int]]:
    if len(frame) == 0:
        return []
    return [
        (str(k), int(v)) for k, v in frame["type"].astype(str).value_counts().sort_index().items()
    ]


def network_html(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    interactions: pd.DataFrame,
    meta: Mapping[str, Any],
) -> str:
    """A network's summary and picture as one HTML fragment."""
    title = (
        f"<b>graphcap network</b>: {len(nodes)} stakeholders, {len(edges)} relationships, "
        f"{len(interactions)} interactions"
    )
    source = meta.get("source")
    as_of = meta.get("as_of")
    sub = ", ".join(f"{k} {_esc(v)}" for k, v in (("source", source), ("as of", as_of)) if v)
    counts = _table(
        [(t, n) for t, n in _counts(nodes)] + [("", "")] + [(t, n) for t, n in _counts(edges)],
        header=("type", "count"),
    )
    return (
        f"<div style='display:flex;gap:18px;align-items:flex-start;flex-wrap:wrap'>"
        f"<div>{title}<div style='color:#6b7280;font-size:12px'>{sub}</div>{counts}</div>"
        f"{_picture(nodes, edges, None)}</div>"
    )


def analysis_html(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    score: float,
    params: Mapping[str, Any],
    top: int = 5,
) -> str:
    """An analysis' summary (index, key players, relationships at risk) and its picture, the
    dots sized by PageRank."""
    head = (
        f"<b>graphcap analysis</b> as of {_esc(params.get('as_of'))}: Relational Capital "
        f"Index <b>{score:.1f}</b> / 100 · {len(nodes)} stakeholders, {len(edges)} "
        "relationships"
    )
    blocks = [f"<div>{head}</div>"]
    if len(nodes):
        key = nodes.sort_values(["pagerank", "id"], ascending=[False, True]).head(top)
        blocks.append(
            "<div style='margin-top:6px'>Key players (PageRank)</div>"
            + _table(
                [(r["name"], r["type"], r["pagerank"], r["value"]) for _, r in key.iterrows()],
                header=("name", "type", "pagerank", "value"),
            )
        )
        risky = nodes[nodes["at_risk"].astype(bool)].sort_values(
            ["risk_points", "id"], ascending=[False, True]
        )
        blocks.append(f"<div style='margin-top:6px'>At risk: {len(risky)}</div>")
        if len(risky):
            blocks.append(
                _table(
                    [
                        (r["name"], r["type"], r["risk_points"], r["risk_reasons"])
                        for _, r in risky.head(top).iterrows()
                    ],
                    header=("name", "type", "points", "why"),
                )
            )
    peak = float(nodes["pagerank"].max()) if len(nodes) else 0.0
    size = (
        {str(i): float(v) / peak for i, v in zip(nodes["id"], nodes["pagerank"], strict=True)}
        if peak > 0
        else None
    )
    return (
        "<div style='display:flex;gap:18px;align-items:flex-start;flex-wrap:wrap'>"
        f"<div style='font-family:system-ui,sans-serif;font-size:13px'>{''.join(blocks)}</div>"
        f"{_picture(nodes, edges, size)}</div>"
    )
