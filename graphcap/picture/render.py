"""The network picture: stakeholder frames -> one self-contained, offline, XSS-safe HTML page.

Used by the Network page (inside Streamlit) and by the HTML export (outside Streamlit), so both
look the same. What it guarantees:

- **Offline**: the vis-network bundle that ships inside the installed pyvis wheel, graphcap's own
  small script and stylesheet are inlined; nothing is fetched from a CDN, no web font is used.
- **Names are text**: the data travels as JSON in a ``<script type="application/json">`` block
  with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and the page's script puts every name,
  tooltip and legend entry into the DOM with ``textContent`` (tooltips are DOM elements, never
  HTML strings, so pyvis 0.3.2's ``href`` heuristic does not apply: we do not use its template).
- **Stable**: nodes sit at precomputed positions (:mod:`graphcap.picture.layout`); physics is only
  an option for small graphs.

Node colour follows the stakeholder type (or any categorical/numeric column), node size a chosen
metric, edge width the relationship strength, edge colour and dash the relationship type.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from graphcap.columns import COLUMN_LABELS
from graphcap.i18n import current_language, format_date, format_number
from graphcap.i18n import gettext as _
from graphcap.metrics.wording import relationship_label, type_label
from graphcap.palette import TYPE_COLORS, category_color
from graphcap.picture.layout import Positions, compute_layout
from graphcap.picture.theme import drawing_theme, readable

__all__ = [
    "PHYSICS_MAX_NODES",
    "REL_STYLES",
    "TYPE_COLORS",
    "format_value",
    "network_payload",
    "render_network_html",
    "script_json",
]

#: Above this many stakeholders live physics is refused (vis-network needs minutes to settle).
PHYSICS_MAX_NODES = 200


#: relationship type -> (colour, dash pattern or False)
REL_STYLES: Mapping[str, tuple[str, Any]] = {
    "BUYS_FROM": ("#60a5fa", False),
    "SUPPLIES": ("#fb923c", False),
    "PARTNERS_WITH": ("#4ade80", False),
    "REGULATES": ("#a855f7", [8, 5]),
    "INFLUENCES": ("#c084fc", [2, 4]),
    "SERVES": ("#94a3b8", [5, 3]),
    "COMPETES_WITH": ("#f87171", [10, 4]),
    "MEMBER_OF": ("#22c55e", [4, 4]),
    "REFERS": ("#38bdf8", [2, 3]),
}

_NUMERIC_COLORS = ("#dbeafe", "#93c5fd", "#3b82f6", "#1d4ed8", "#1e3a8a")

_TOOLTIP_DEFAULTS = (
    ("revenue", "Revenue"),
    ("pagerank", "PageRank"),
    ("betweenness", "Betweenness"),
    ("degree", "Degree"),
    ("weighted_degree", "Weighted degree"),
    ("community", "Community"),
    ("constraint", "Burt's constraint"),
)


def script_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element and inside JavaScript source.

    >>> script_json({"name": "</script><img src=x onerror=alert(1)>"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@cache
def _asset(name: str) -> str:
    if name == "vis":
        lib = resources.files("pyvis") / "lib" / "vis-9.1.2" / "vis-network.min.js"
        return lib.read_text(encoding="utf-8")
    return (resources.files("graphcap.picture") / "static" / name).read_text(encoding="utf-8")


def _frames(network: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    if isinstance(network, tuple):
        nodes, edges = network
    else:
        nodes, edges = network.nodes, network.edges
    return nodes, edges


def format_value(value: Any) -> str:
    """A value as a user reads it: thousands separators, 3 significant digits for small
    numbers, dates without a midnight time, "–" for missing."""
    if value is None or (not isinstance(value, list | tuple | dict) and pd.isna(value)):
        return "–"
    if current_language() != "en":
        return _local_value(value)
    if isinstance(value, dt.datetime):  # pandas Timestamps too
        ts = pd.Timestamp(value)
        return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 100:
            return f"{value:,.0f}"
        return f"{value:,.2f}" if abs(value) >= 100 else f"{value:.3g}"
    return str(value)


def _local_value(value: Any) -> str:
    """:func:`format_value` in a language other than English (its grouping, decimal sign and
    dates)."""
    if isinstance(value, dt.datetime):
        ts = pd.Timestamp(value)
        day = format_date(ts)
        return day if ts == ts.normalize() else f"{day} {ts.strftime('%H:%M')}"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 100:
            return format_number(value, decimals=0)
        if abs(value) >= 100:
            return format_number(value, decimals=2)
        return format_number(float(f"{value:.3g}"))
    return str(value)


def _texts() -> dict[str, str]:
    """The page script's own words in the current language (``{n}``: a number it fills in)."""
    return {
        "drawing": _("drawing {n} stakeholders …"),
        "stakeholders": _("Stakeholders"),
        "relationships": _("Relationships"),
        "edge_count": _("{n} relationships"),
        "mean_strength": _("mean strength {s}"),
        "strength": _("strength {s}"),
        "drawn": _("{nodes} stakeholders, {edges} relationships drawn"),
        "open_hint": _("Use 'Open a stakeholder of this view' below the network."),
        "decimal": format_number(0.5, decimals=1)[1],
        "locale": {"en": "en-US", "de": "de-DE"}.get(current_language(), "en-US"),
    }


def _size_label(column: str | None) -> str:
    """The size column as a person reads it (``pagerank`` -> "PageRank"), in the current
    language; a project's own column as it is named."""
    label = COLUMN_LABELS.get(str(column))
    return _(label) if label else str(column)


def _scaled(series: pd.Series, low: float, high: float) -> pd.Series:
    values = pd.to_numeric(series, errors="coerce").astype(float)
    finite = values[values.notna()]
    if finite.empty or finite.max() == finite.min():
        return pd.Series((low + high) / 2, index=series.index)
    root = (values.clip(lower=0) ** 0.5) if finite.min() >= 0 else values
    lo, hi = root.min(), root.max()
    out = low + (root - lo) / ((hi - lo) or 1) * (high - low)
    return out.fillna(low)


def network_payload(
    network: Any,
    *,
    positions: Positions | None = None,
    color_by: str = "type",
    size_by: str | None = None,
    title: str = "",
    height: int = 650,
    physics: bool = False,
    tooltip_columns: Sequence[tuple[str, str]] | None = None,
    note: str | None = None,
    focus: str | None = None,
    highlight: Sequence[str] = (),
    select_hint: str | None = None,
) -> dict[str, Any]:
    """The JSON-ready description of the picture that :func:`render_network_html` draws.

    ``network`` is a :class:`graphcap.model.Network`, an analysis result with ``nodes``/``edges``
    frames, or a ``(nodes, edges)`` tuple. Node frame: ``id``, ``name``, ``type`` + any metric
    columns; edge frame: ``source``, ``target``, ``type``, optional ``strength``.
    """
    nodes, edges = _frames(network)
    nodes = nodes.drop_duplicates("id")
    ids = nodes["id"].astype(str)
    if positions is None:
        positions = compute_layout(ids, edges)
    if physics and len(nodes) > PHYSICS_MAX_NODES:
        physics = False
    names = dict(zip(ids, nodes["name"].astype(str), strict=True))
    sizes = _scaled(nodes[size_by], 8, 40) if size_by and size_by in nodes else None
    colors, legend_nodes, legend_title = _node_colors(nodes, color_by)
    tips = _node_tips(nodes, tooltip_columns, size_by, color_by)
    marked = {str(h) for h in highlight}
    size_list = sizes.round(1).tolist() if sizes is not None else [14] * len(ids)
    out_nodes = []
    for k, node_id in enumerate(ids.tolist()):
        x, y = positions.get(node_id, (0.0, 0.0))
        out_nodes.append(
            {
                "id": node_id,
                "label": names[node_id],
                "x": x,
                "y": y,
                "size": size_list[k],
                "color": colors[k],
                "border": "#f59e0b" if node_id in marked else None,
                "tip": tips[k],
            }
        )
    out_edges, legend_edges = _edges(edges, names)
    size_note = None if sizes is None else _("Size: {column}").format(column=_size_label(size_by))
    return {
        "title": title,
        "note": note,
        "height": int(height),
        "physics": bool(physics),
        "arrows": len(out_edges) <= 4000,
        "focus": str(focus) if focus is not None else None,
        "select_hint": select_hint,
        "nodes": out_nodes,
        "edges": out_edges,
        "texts": _texts(),
        "legend": {
            "nodes_title": legend_title,
            "nodes": legend_nodes,
            "edges": legend_edges,
            "size_note": size_note,
        },
    }


def _node_colors(nodes: pd.DataFrame, color_by: str) -> tuple[list[str], list[dict], str]:
    column = color_by if color_by in nodes.columns else "type"
    values = nodes[column]
    numeric = pd.api.types.is_numeric_dtype(values) and values.nunique(dropna=True) > 12
    if numeric:
        scaled = _scaled(values, 0, len(_NUMERIC_COLORS) - 1).round().astype(int)
        colors = [_NUMERIC_COLORS[i] for i in scaled]
        legend = [
            {"label": _("low {column}").format(column=column), "color": _NUMERIC_COLORS[0]},
            {"label": _("high {column}").format(column=column), "color": _NUMERIC_COLORS[-1]},
        ]
        return colors, legend, _("Colour: {column}").format(column=column)
    keys = values.astype("string").fillna("unknown").astype(str)
    order = sorted(keys.unique(), key=lambda v: (v not in TYPE_COLORS, v))
    colors = [category_color(v, order) for v in keys]
    counts = keys.value_counts()
    word = type_label if column == "type" else str
    legend = [
        {"label": f"{word(v)} ({format_number(counts[v])})", "color": category_color(v, order)}
        for v in order
    ]
    title = (
        _("Stakeholder type") if column == "type" else _("Colour: {column}").format(column=column)
    )
    return colors, legend[:30], title


def type_line(node_type: Any) -> str:
    """The tooltip line naming a stakeholder's type ("Type: customer", "Typ: Kunde")."""
    return _("Type: {type}").format(type=type_label(node_type))


def _node_tips(
    nodes: pd.DataFrame,
    tooltip_columns: Sequence[tuple[str, str]] | None,
    size_by: str | None,
    color_by: str,
) -> list[list[str]]:
    if tooltip_columns is None:
        wanted = [(c, c.replace("_", " ")) for c in (size_by, color_by) if c and c != "type"]
        wanted += [pair for pair in _TOOLTIP_DEFAULTS if pair[0] not in {size_by, color_by}]
        tooltip_columns = [(c, _(label)) for c, label in wanted if c in nodes.columns]
    columns = ["name", "type", *dict.fromkeys(col for col, _ in tooltip_columns)]
    records = nodes[columns].to_dict("records")
    tips = []
    for row in records:
        lines = [str(row["name"]), type_line(row["type"])]
        lines += [f"{label}: {format_value(row.get(col))}" for col, label in tooltip_columns]
        tips.append(lines)
    return tips


def _edges(edges: pd.DataFrame, names: Mapping[str, str]) -> tuple[list[list], list[dict]]:
    """Edges as compact rows ``[from, to, style, strength or None, relationships]`` (style = index
    into the legend's relationship types); the page builds widths, colours and hover texts."""
    if edges.empty:
        return [], []
    src = edges["source"].astype(str)
    dst = edges["target"].astype(str)
    keep = (src.isin(names.keys()) & dst.isin(names.keys())).to_numpy()
    rel = edges["type"].astype(str)[keep]
    present = sorted(set(rel))
    style = {r: k for k, r in enumerate(present)}
    strength = (
        pd.to_numeric(edges["strength"], errors="coerce")[keep].round(3)
        if "strength" in edges.columns
        else pd.Series(float("nan"), index=rel.index)
    )
    counts = (
        pd.to_numeric(edges["relationships"], errors="coerce").fillna(0).astype(int)[keep]
        if "relationships" in edges.columns
        else pd.Series(0, index=rel.index)
    )
    out = [
        [s, t, style[r], None if w != w else w, n]
        for s, t, r, w, n in zip(
            src[keep].tolist(),
            dst[keep].tolist(),
            rel.tolist(),
            strength.tolist(),
            counts.tolist(),
            strict=True,
        )
    ]
    legend = []
    for r in present:
        color, dashes = REL_STYLES.get(r, (category_color(r), False))
        legend.append({"label": relationship_label(r), "color": color, "dashes": dashes})
    return out, legend


def _theme_css(theme: Mapping[str, str]) -> str:
    """CSS overriding the drawing's light colours with ``theme``'s (graphcap.picture.theme)."""
    bg, panel, text, muted, border = (
        theme[k] for k in ("background", "panel", "text", "muted", "border")
    )
    return (
        f"html, body, #gc-net {{ background: {bg}; }} #gc-net {{ border-color: {border}; }}"
        f" #gc-title, #gc-info, div.vis-tooltip {{ color: {text}; }}"
        f" #gc-legend {{ color: {text}; background: {panel}; border-color: {border}; }}"
        f" #gc-info, div.vis-tooltip {{ background: {panel}; border-color: {border}; }}"
        f" #gc-status {{ color: {muted}; }}"
    )


def _readable_on(payload: dict[str, Any], colours: dict[str, str]) -> dict[str, Any]:
    """``payload`` with node, edge and legend colours lifted to 3:1 on the theme's background
    (graphcap.picture.theme.readable); the drawing and its legend change together."""
    legend = dict(payload.get("legend") or {})
    for part in ("nodes", "edges"):
        legend[part] = [
            {**e, "color": readable(e["color"], colours)} for e in legend.get(part) or []
        ]
    return {
        **payload,
        "nodes": [{**n, "color": readable(n["color"], colours)} for n in payload["nodes"]],
        "edges": [
            {**e, "color": readable(e["color"], colours)} if "color" in e else e
            for e in payload["edges"]
        ],
        "legend": legend,
    }


def render_payload_html(
    payload: Mapping[str, Any], *, page_title: str | None = None, theme: str | None = "light"
) -> str:
    """A complete HTML document drawing ``payload`` (see :func:`network_payload`) in the light
    or dark variant of the app's theme."""
    heading = html.escape(
        page_title if page_title is not None else payload.get("title") or _("Network")
    )
    colours = drawing_theme(theme)
    payload = {**payload, "theme": colours}
    if colours["name"] == "dark":  # the palette is made for white; lift what the dark hides
        payload = _readable_on(payload, colours)
    return (
        f'<!DOCTYPE html>\n<html lang="{current_language()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{heading}</title>"
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">"
        f"<style>{_asset('network.css')}{_theme_css(colours)}</style></head>"
        f'<body class="gc-theme-{colours["name"]}">'
        '<div id="gc-root"></div>'
        f'<script type="application/json" id="gc-data">{script_json(dict(payload))}</script>'
        f"<script>{_asset('vis')}</script>"
        f"<script>{_asset('network.js')}</script>"
        "<script>graphcapDraw(document.getElementById('gc-root'),"
        " JSON.parse(document.getElementById('gc-data').textContent));</script>"
        "</body></html>"
    )


def render_network_html(
    network: Any,
    *,
    positions: Positions | None = None,
    color_by: str = "type",
    size_by: str | None = None,
    title: str = "Stakeholder network",
    height: int = 650,
    theme: str | None = "light",
    **options: Any,
) -> str:
    """A self-contained, offline HTML page drawing ``network`` (see :func:`network_payload`).

    Works outside Streamlit (the HTML export uses it). Names may contain anything; they are only
    ever shown as text.
    """
    payload = network_payload(
        network,
        positions=positions,
        color_by=color_by,
        size_by=size_by,
        title=title,
        height=height,
        **options,
    )
    return render_payload_html(payload, theme=theme)
