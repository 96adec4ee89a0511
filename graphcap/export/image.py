"""The network picture as PNG or SVG, at print resolution, drawn like the app.

The picture is the app's own: :func:`graphcap.picture.render.network_payload` decides positions (the
seeded layout of :mod:`graphcap.picture.layout`), node colours by stakeholder type, node sizes by the
chosen metric, edge widths by strength and edge colours/dashes by relationship type; this module
only draws that description with matplotlib instead of vis-network, so no browser is needed
(docs/PERFORMANCE.md, "Export", compares it with a headless-Chromium screenshot of the HTML).

The sheet has a title and subtitle, the network, a legend (stakeholder types with counts,
relationship types, what the size means) and a footer line (source, date). The largest
stakeholders (and the focal organisation) are labelled where the label does not overlap a more
important one; the rest stay dots so the picture reads at a glance. Stakeholders the layout put
far outside the network (unconnected ones) are drawn at its rim so the network fills the page. ``width_px`` x ``height_px`` is the exact size of the PNG (default 3600 x 2400 at 300
dpi: 30 x 20 cm).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphcap.errors import ExportError
from graphcap.export._mpl import INK, MUTED, figure, glyph_safe, style
from graphcap.files import output_path, write_atomic
from graphcap.i18n import gettext as _
from graphcap.model import Network
from graphcap.picture.render import network_payload, type_line

__all__ = [
    "draw_legend",
    "draw_network",
    "export_image",
    "payload_edges",
    "render_image",
    "view_frames",
]

_DASH = {True: (0, (4, 3)), False: "solid"}


def view_frames(network: Network, analysis: Any = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes with their metric columns and edges with their (derived) strength.

    Metric columns of ``analysis.nodes`` that the node frame lacks are joined by ``id``; the
    derived ``strength`` of ``analysis.edges`` replaces a missing one.
    """
    nodes, edges = network.nodes, network.edges
    metrics = getattr(analysis, "nodes", None)
    if isinstance(metrics, pd.DataFrame) and len(metrics):
        metrics = metrics.reset_index() if "id" not in metrics.columns else metrics
        cols = ["id", *[c for c in metrics.columns if c not in nodes.columns]]
        m = metrics[cols].copy()
        m["id"] = m["id"].astype(str)
        nodes = nodes.assign(id=nodes["id"].astype(str)).merge(m, on="id", how="left")
    derived = getattr(analysis, "edges", None)
    if isinstance(derived, pd.DataFrame) and "strength" in derived.columns and len(edges):
        key = ["source", "type", "target"]
        d = derived[[*key, "strength"]].drop_duplicates(key)
        base = edges.drop(columns=["strength"], errors="ignore")
        merged = base.merge(d, on=key, how="left")
        if "strength" in edges.columns:
            given = pd.to_numeric(edges["strength"], errors="coerce").to_numpy()
            merged["strength"] = np.where(np.isnan(given), merged["strength"], given)
        edges = merged
    return nodes, edges


def _fit(ax: Any, xs: np.ndarray, ys: np.ndarray, pad: float = 60.0) -> float:
    """Set equal-aspect limits that fill ``ax``; return points per layout pixel, so dots and
    line widths keep the app's proportions."""
    fig = ax.figure
    bbox = ax.get_position()
    width_pt = bbox.width * fig.get_figwidth() * 72
    height_pt = bbox.height * fig.get_figheight() * 72
    span_x = float(np.ptp(xs)) + 2 * pad
    span_y = float(np.ptp(ys)) + 2 * pad
    scale = min(width_pt / span_x, height_pt / span_y)
    cx, cy = (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2
    half_x, half_y = width_pt / scale / 2, height_pt / scale / 2
    ax.set_xlim(cx - half_x, cx + half_x)
    ax.set_ylim(cy - half_y, cy + half_y)
    return scale


def payload_edges(payload: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The payload's relationships as ``from to color width dashes`` dicts.

    The renderer sends compact rows ``[from, to, style, strength, n]`` (style indexes the
    legend's relationship types) and its page script computes the width as
    ``0.6 + 5 * strength`` (1.2 without strength); the same rule is applied here. Dict rows (an
    older payload) are passed through.
    """
    styles = payload.get("legend", {}).get("edges", [])
    out = []
    for e in payload.get("edges", []):
        if isinstance(e, Mapping):
            out.append(dict(e))
            continue
        src, dst, style, strength = e[0], e[1], e[2], e[3]
        st = styles[style] if isinstance(style, int) and style < len(styles) else {}
        out.append(
            {
                "from": src,
                "to": dst,
                "color": st.get("color", "#94a3b8"),
                "dashes": bool(st.get("dashes")),
                "width": 1.2 if strength is None else 0.6 + 5 * float(strength),
            }
        )
    return out


def _pull_in(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stakeholders far outside the main picture (typically unconnected ones the layout pushed
    away) are drawn at its rim, in the same direction, so the network fills the page."""
    if len(xs) < 20:
        return xs, ys
    cx, cy = np.median(xs), np.median(ys)
    r = np.hypot(xs - cx, ys - cy)
    limit = float(np.quantile(r, 0.97)) * 1.1
    if limit <= 0 or r.max() <= limit:
        return xs, ys
    k = np.where(r > limit, limit / np.maximum(r, 1e-9), 1.0)
    return cx + (xs - cx) * k, cy + (ys - cy) * k


def draw_network(
    ax: Any, payload: Mapping[str, Any], *, labels: int = 25, focus: set[str] | None = None
) -> None:
    """Draw a :func:`~graphcap.picture.render.network_payload` on ``ax`` (no title, no legend)."""
    from matplotlib.collections import LineCollection

    ax.set_axis_off()
    nodes = payload["nodes"]
    if not nodes:
        ax.text(
            0.5,
            0.5,
            _("No stakeholders in this view"),
            ha="center",
            va="center",
            color=MUTED,
            transform=ax.transAxes,
        )
        return
    xs = np.array([n["x"] for n in nodes], dtype=float)
    ys = -np.array([n["y"] for n in nodes], dtype=float)  # vis-network's y axis points down
    xs, ys = _pull_in(xs, ys)
    pos = {n["id"]: (x, y) for n, x, y in zip(nodes, xs, ys, strict=True)}
    # points per layout pixel; capped so a small network zoomed to the page keeps modest dots
    scale = min(_fit(ax, xs, ys), 0.4)
    edges = payload_edges(payload)
    if edges:
        segs = [(pos[e["from"]], pos[e["to"]]) for e in edges]
        ax.add_collection(
            LineCollection(
                segs,
                colors=[e["color"] for e in edges],
                linewidths=[max(e["width"] * scale * 0.55, 0.25) for e in edges],
                linestyles=[_DASH[bool(e["dashes"])] for e in edges],
                alpha=0.5,
                zorder=1,
                capstyle="round",
            )
        )
    sizes = np.array([n["size"] for n in nodes], dtype=float)
    diam_pt = np.maximum(sizes * 2 * scale, 2.0)
    ax.scatter(
        xs,
        ys,
        s=diam_pt**2,
        c=[n["color"] for n in nodes],
        edgecolors=[n.get("border") or "white" for n in nodes],
        linewidths=np.clip(diam_pt * 0.08, 0.3, 1.5),
        zorder=2,
    )
    index = {n["id"]: i for i, n in enumerate(nodes)}
    degree = np.zeros(len(nodes))
    for e in edges:
        degree[index[e["from"]]] += 1
        degree[index[e["to"]]] += 1
    focal_line = type_line("organization")  # in the language the payload was made in
    focal = np.array([focal_line in n.get("tip", ()) for n in nodes])
    # the organisation first, then the biggest, then the most connected
    order = np.lexsort((-degree, -sizes, ~focal))
    chosen = set(order[: labels + int(focal.sum())].tolist())
    chosen |= {i for i, n in enumerate(nodes) if focus and n["id"] in focus}
    # Most important first; a label that would overlap one already placed is left out.
    renderer = ax.figure.canvas.get_renderer()
    placed: list[Any] = []
    for i in [k for k in order.tolist() if k in chosen]:
        text = ax.annotate(
            glyph_safe(nodes[i]["label"], limit=28),
            (xs[i], ys[i]),
            xytext=(0, diam_pt[i] / 2 + 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=7,
            color=INK,
            zorder=3,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
        box = text.get_window_extent(renderer).expanded(1.04, 1.1)
        if any(box.overlaps(other) for other in placed):
            text.remove()
        else:
            placed.append(box)


def draw_legend(ax: Any, payload: Mapping[str, Any]) -> None:
    """The legend panel: stakeholder types (with counts), relationship types, size meaning."""
    from matplotlib.lines import Line2D

    ax.set_axis_off()
    legend = payload["legend"]
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            ms=8,
            mfc=i["color"],
            mec="white",
            label=glyph_safe(i["label"], limit=32),
        )
        for i in legend["nodes"]
    ]
    first = ax.legend(
        handles=handles,
        title=legend["nodes_title"],
        loc="upper left",
        frameon=False,
        alignment="left",
        fontsize=8,
        title_fontsize=9,
    )
    ax.add_artist(first)
    if legend["edges"]:
        rel = [
            Line2D(
                [],
                [],
                color=i["color"],
                lw=2,
                ls="--" if i["dashes"] else "-",
                label=glyph_safe(i["label"], limit=32),
            )
            for i in legend["edges"]
        ]
        ax.legend(
            handles=rel,
            title=_("Relationship type"),
            loc="lower left",
            frameon=False,
            alignment="left",
            fontsize=8,
            title_fontsize=9,
            bbox_to_anchor=(0, 0.04),
        )
    if legend.get("size_note"):
        ax.text(
            0,
            0,
            _("{size}; line width: strength").format(size=legend["size_note"]),
            fontsize=7,
            color=MUTED,
            transform=ax.transAxes,
        )


def render_image(
    network: Network,
    *,
    analysis: Any = None,
    title: str | None = None,
    subtitle: str = "",
    footer: str = "",
    size_by: str | None = "pagerank",
    positions: Mapping[str, tuple[float, float]] | None = None,
    fmt: str = "png",
    width_px: int = 3600,
    height_px: int = 2400,
    dpi: int = 300,
    labels: int = 25,
    payload: Mapping[str, Any] | None = None,
) -> bytes:
    """The picture as PNG or SVG bytes (see the module doc). ``payload``: the
    :func:`~graphcap.picture.render.network_payload` of these frames, positions, sizes and title
    when the caller has it already (several formats of one export share it)."""
    import matplotlib

    if fmt not in ("png", "svg"):
        raise ExportError(
            _("picture format {fmt!r} is not supported; use png or svg").format(fmt=fmt)
        )
    if not (200 <= width_px <= 20000 and 200 <= height_px <= 20000 and 50 <= dpi <= 1200):
        raise ExportError(_("picture size must be 200-20000 px per side at 50-1200 dpi"))
    title = _("Stakeholder network") if title is None else title
    if payload is None:
        nodes, edges = view_frames(network, analysis)
        size_col = size_by if size_by in nodes.columns else None
        payload = network_payload(
            (nodes, edges), positions=positions, size_by=size_col, title=title
        )
    with matplotlib.rc_context(style()):
        fig = figure(width_px / dpi, height_px / dpi, dpi=dpi)
        fig.text(
            0.03,
            0.965,
            glyph_safe(title, limit=90),
            fontsize=16,
            weight="bold",
            va="top",
            color=INK,
        )
        if subtitle:
            fig.text(
                0.03, 0.915, glyph_safe(subtitle, limit=160), fontsize=9, va="top", color=MUTED
            )
        if footer:
            fig.text(0.03, 0.02, glyph_safe(footer, limit=200), fontsize=7, color=MUTED)
        draw_network(fig.add_axes((0.02, 0.06, 0.76, 0.82)), payload, labels=labels)
        draw_legend(fig.add_axes((0.80, 0.08, 0.19, 0.80)), payload)
        buf = io.BytesIO()
        fig.savefig(
            buf,
            format=fmt,
            dpi=dpi,
            metadata={"Software": None} if fmt == "png" else {"Date": None},
        )
    return buf.getvalue()


def export_image(
    network: Network, folder: str | Path, *, stem: str, fmt: str = "png", **options: Any
) -> Path:
    """Write ``<stem>.png`` (or ``.svg``) into ``folder``; ``options`` as :func:`render_image`."""
    data = render_image(network, fmt=fmt, **options)
    target = output_path(folder, f"{stem}.{fmt}")
    return write_atomic(target, lambda tmp: tmp.write_bytes(data))
