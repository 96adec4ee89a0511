"""The pages of the PDF report (:mod:`graphcap.export.report`), one function per page.

Each page has the same frame: report title and page title at the top, a one-line explanation,
the page number area left to the PDF viewer. Tables are drawn as text rows (names glyph-safe and
shortened), charts with the app's type colours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from graphcap.export._mpl import INK, MUTED, figure, glyph_safe
from graphcap.history.diff import SnapshotDiff
from graphcap.model import Network
from graphcap.picture.render import category_color

__all__ = ["changes_page", "concentration_page", "key_players_page", "page_frame",
           "risks_page", "summary_page"]

A4_LANDSCAPE = (11.69, 8.27)
ACCENT = "#2563eb"
GOOD, BAD = "#16a34a", "#dc2626"


def _type_color(name: Any) -> str:

    return category_color(name)


def page_frame(report_title: str, page_title: str, note: str = "") -> Any:
    """A new A4 landscape page with the report title, the page title and a note."""
    fig = figure(*A4_LANDSCAPE)
    fig.text(0.03, 0.965, glyph_safe(report_title, limit=110), fontsize=9, color=MUTED, va="top")
    fig.text(0.03, 0.935, page_title, fontsize=18, weight="bold", color=INK, va="top")
    if note:
        fig.text(0.03, 0.885, glyph_safe(note, limit=220), fontsize=8.5, color=MUTED, va="top")
    return fig


def _fmt(value: Any, kind: str = "") -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)) or value is pd.NA:
        return "–"
    if kind == "money":
        v = float(value)
        return f"{v / 1e6:,.1f} M" if abs(v) >= 1e6 else f"{v / 1e3:,.0f} k" if abs(v) >= 1e3 \
            else f"{v:,.0f}"
    if kind == "pct":
        return f"{100 * float(value):.0f} %"
    if kind == "num":
        return f"{float(value):.3f}"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def table(ax: Any, frame: pd.DataFrame | None, columns: Sequence[tuple[str, str, str, float]],
          *, title: str = "", empty: str = "Nothing to show.", max_rows: int = 18,
          wrap: int | None = None) -> None:
    """Draw ``frame`` as a table on ``ax``: columns are (column, header, kind, width share).

    Rows are 0.19 inch high whatever the axes' size; rows that do not fit are counted below.
    """
    from matplotlib.patches import Rectangle

    ax.set_axis_off()
    height_in = ax.get_position().height * ax.figure.get_figheight()
    width_in = ax.get_position().width * ax.figure.get_figwidth()
    step = 0.19 / height_in
    y = 1.0
    if title:
        ax.text(0, y, title, fontsize=11, weight="bold", va="top", transform=ax.transAxes)
        y -= 0.27 / height_in
    if frame is None or len(frame) == 0:
        ax.text(0, y, empty, fontsize=9, color=MUTED, va="top", transform=ax.transAxes)
        return
    xs = np.cumsum([0.0] + [w for *_, w in columns])[:-1]
    for x, (_, head, _, _) in zip(xs, columns, strict=True):
        ax.text(x, y, head, fontsize=8, weight="bold", color=MUTED, va="top",
                transform=ax.transAxes)
    y -= step * 1.1
    fit = max(int((y - step) / step), 1)
    rows = frame.head(min(max_rows, fit))
    for k, (_, row) in enumerate(rows.iterrows()):
        if k % 2 == 0:
            ax.add_patch(Rectangle((0, y - step * 0.8), 1, step, transform=ax.transAxes,
                                   color="#f3f4f6", zorder=0, lw=0))
        for x, (col, _, kind, w) in zip(xs, columns, strict=True):
            limit = wrap if (wrap and kind == "long") else max(int(w * width_in * 13), 4)
            ax.text(x + 0.004, y, glyph_safe(_fmt(row.get(col), kind), limit=limit),
                    fontsize=7.5, va="top", transform=ax.transAxes, color=INK)
        y -= step
    if len(frame) > len(rows):
        ax.text(0, y, f"… and {len(frame) - len(rows)} more", fontsize=7.5, color=MUTED,
                va="top", transform=ax.transAxes)


def _rci(analysis: Any) -> tuple[float | None, pd.DataFrame, pd.DataFrame]:
    rci = getattr(analysis, "rci", None)
    if rci is None:
        return None, pd.DataFrame(), pd.DataFrame()
    dims = rci.dimensions if isinstance(rci.dimensions, pd.DataFrame) else pd.DataFrame()
    by_type = rci.by_type if isinstance(rci.by_type, pd.DataFrame) else pd.DataFrame()
    return float(rci.score), dims, by_type


def summary_page(pdf: Any, *, title: str, network: Network, analysis: Any,
                 prov: Mapping[str, Any]) -> None:
    score, dims, _ = _rci(analysis)
    fig = page_frame(title, "Summary", "The Relational Capital Index (0-100) scores strong, "
                     "diversified relationships that open doors onward, discounted for what is at "
                     "risk and for hostile parties; the points add up to it (docs/METRICS.md).")
    ax = fig.add_axes((0.03, 0.6, 0.22, 0.24))
    ax.set_axis_off()
    ax.text(0, 0.9, "Relational Capital Index", fontsize=10, color=MUTED, transform=ax.transAxes)
    ax.text(0, 0.25, "–" if score is None else f"{score:.1f}", fontsize=46, weight="bold",
            color=ACCENT, transform=ax.transAxes)
    ax.text(0, 0.05, "of 100", fontsize=9, color=MUTED, transform=ax.transAxes)
    if not dims.empty and "points" in dims.columns:
        bx = fig.add_axes((0.33, 0.6, 0.3, 0.24))
        pts = dims["points"].astype(float).to_numpy()
        cap = (100 * dims["weight"].astype(float) / dims["weight"].astype(float).sum()).to_numpy() \
            if "weight" in dims.columns else np.full(len(dims), 25.0)
        ylab = [str(d) for d in dims["dimension"]]
        bx.barh(ylab, cap, color="#e5e7eb")
        bx.barh(ylab, pts, color=ACCENT)
        for i, (p, c) in enumerate(zip(pts, cap, strict=True)):
            bx.text(c + 0.5, i, f"{p:.1f} / {c:.0f}", va="center", fontsize=8)
        bx.invert_yaxis()
        bx.set_title("Points by dimension")
        bx.grid(False)
        bx.set_xlim(0, max(cap.max() * 1.35, 1))
    counts = network.counts_by_type()
    node_rows = pd.DataFrame({"what": list(counts["nodes"]), "n": list(counts["nodes"].values())})
    edge_rows = pd.DataFrame({"what": list(counts["edges"]), "n": list(counts["edges"].values())})
    c = network.counts
    table(fig.add_axes((0.7, 0.5, 0.27, 0.36)), node_rows,
          [("what", "type", "", 0.7), ("n", "stakeholders", "", 0.3)],
          title=f"{c['nodes']} stakeholders")
    table(fig.add_axes((0.7, 0.06, 0.27, 0.4)), edge_rows,
          [("what", "type", "", 0.7), ("n", "relationships", "", 0.3)],
          title=f"{c['edges']} relationships", max_rows=12)
    conc = dict(getattr(analysis, "concentration", None) or {})
    kinds = conc.get("kinds") or {}
    basis = str(conc.get("value_basis") or "value")
    facts = pd.DataFrame([
        *((f"Total {k} (never added to the others)", _fmt(v.get("total"), "money"))
          for k, v in kinds.items()),
        *(() if kinds else (("Money", "none recorded (no revenue, spend or flow)"),)),
        (f"Share of {basis} from the top 20 %", _fmt(conc.get("pareto_share"), "pct")),
        (f"Gini of {basis}", _fmt(conc.get("gini"), "num")),
        ("HHI customers / suppliers", f"{_fmt(conc.get('hhi_customers'), 'num')} / "
                                      f"{_fmt(conc.get('hhi_suppliers'), 'num')}"),
        ("Interactions logged", f"{c['interactions']:,}"),
    ], columns=["what", "value"])
    table(fig.add_axes((0.03, 0.33, 0.6, 0.22)), facts,
          [("what", "", "", 0.45), ("value", "", "", 0.55)], title="Value and concentration")
    filters = prov.get("filters") or {}
    origin = pd.DataFrame([
        ("Snapshot", prov.get("snapshot_name") or "current view (not a snapshot)"),
        ("Created", prov.get("created") or "–"),
        ("Data as of", prov.get("as_of") or "–"),
        ("Source", prov.get("source") or "–"),
        ("Source data hash", (prov.get("source_hash") or "–")[:24]),
        ("Filters", ", ".join(f"{k}={v}" for k, v in filters.items()) or "none (whole network)"),
        ("graphcap", prov.get("graphcap_version") or "–"),
    ], columns=["what", "value"])
    table(fig.add_axes((0.03, 0.02, 0.6, 0.28)), origin,
          [("what", "", "", 0.2), ("value", "", "", 0.8)], title="Provenance")
    pdf.savefig(fig)


def key_players_page(pdf: Any, *, title: str, network: Network, analysis: Any,
                     prov: Mapping[str, Any]) -> None:
    fig = page_frame(title, "Key players", "Read from our side: who matters to us (our money "
                     "and the money we reach only through them), apart from who is central in the "
                     "whole network; competitors as threats; the organisation is never its own "
                     "single point of failure.")
    nodes = getattr(analysis, "nodes", None)
    if not isinstance(nodes, pd.DataFrame):
        nodes = network.nodes
    mine = analysis.key_players(top=12) if hasattr(analysis, "key_players") else nodes.iloc[0:0]
    table(fig.add_axes((0.03, 0.44, 0.55, 0.41)), mine,
          [("name", "stakeholder", "", 0.42), ("type", "type", "", 0.14),
           ("value_kind", "kind", "", 0.12), ("value_share", "share", "pct", 0.12),
           ("dependents_share", "gated", "pct", 0.1), ("matters", "score", "num", 0.1)],
          title="Matter to us", max_rows=12, empty="No stakeholder brings or gates money.")
    others = nodes[nodes["type"] != "organization"]
    top = others.sort_values("pagerank", ascending=False) if "pagerank" in others else others
    table(fig.add_axes((0.62, 0.44, 0.35, 0.41)), top,
          [("name", "stakeholder", "", 0.6), ("type", "type", "", 0.22),
           ("pagerank", "PageRank", "num", 0.18)],
          title="Central in the whole network", max_rows=12)
    threats = analysis.threats() if hasattr(analysis, "threats") else pd.DataFrame()
    table(fig.add_axes((0.03, 0.03, 0.55, 0.38)), threats,
          [("name", "competitor", "", 0.4), ("shared_customers", "our customers", "", 0.15),
           ("revenue_overlap", "revenue", "pct", 0.15), ("shared_suppliers", "our suppliers", "", 0.15),
           ("spend_overlap", "spend", "pct", 0.15)],
          title="Competitors as threats (overlap with our customers and suppliers)", max_rows=10,
          empty="No competitor in the data.")
    focal = set(network.focal_ids())
    spof = nodes[nodes["is_articulation"].fillna(False).astype(bool)
                 & ~nodes["id"].astype(str).isin(focal)] \
        if "is_articulation" in nodes.columns else nodes.iloc[0:0]
    ego = bool(getattr(analysis, "params", {}).get("ego_only"))
    table(fig.add_axes((0.62, 0.03, 0.35, 0.38)), spof,
          [("name", "stakeholder", "", 0.7), ("type", "type", "", 0.3)],
          title=f"Single points of failure ({len(spof)})", max_rows=10,
          empty=("The data records no ties among stakeholders: every relationship hangs on us "
                 "alone (a property of the data)." if ego else
                 "None: every stakeholder stays reachable when any one other is removed."))
    pdf.savefig(fig)


def risks_page(pdf: Any, *, title: str, network: Network, analysis: Any,
               prov: Mapping[str, Any]) -> None:
    risks = getattr(analysis, "risks", None)
    n = 0 if risks is None else len(risks)
    fig = page_frame(title, f"At-risk relationships ({n})", "The radar adds points for high "
                     "value with weak or falling strength, no contact for long, a contract ending "
                     "soon, a single thread, a souring sentiment; highest score first.")
    frame = risks
    if risks is not None and "reasons_text" not in risks.columns and "reasons" in risks.columns:
        frame = risks.assign(reasons_text=risks["reasons"].astype(str))
    table(fig.add_axes((0.03, 0.04, 0.94, 0.8)), frame,
          [("name", "stakeholder", "", 0.22), ("type", "type", "", 0.08),
           ("value", "value", "money", 0.07), ("strength", "strength", "num", 0.07),
           ("score", "score", "", 0.06), ("reasons_text", "why", "long", 0.5)],
          max_rows=22, wrap=105, empty="No relationship is on the at-risk radar.")
    pdf.savefig(fig)


def concentration_page(pdf: Any, *, title: str, network: Network, analysis: Any,
                       prov: Mapping[str, Any]) -> None:
    conc = dict(getattr(analysis, "concentration", None) or {})
    fig = page_frame(title, "Concentration", "How evenly value is spread: the Lorenz curve (the "
                     "further below the diagonal, the more concentrated), value and RCI by type.")
    ax = fig.add_axes((0.06, 0.1, 0.36, 0.7))
    lorenz = getattr(analysis, "lorenz", None)
    ax.plot([0, 1], [0, 1], color="#9ca3af", lw=1, ls="--", label="perfect equality")
    if isinstance(lorenz, pd.DataFrame) and len(lorenz) >= 2:
        x, y = lorenz.iloc[:, 0].astype(float), lorenz.iloc[:, 1].astype(float)
        ax.plot(x, y, color=ACCENT, lw=2, label="stakeholders by value")
        ax.fill_between(x, y, x, color=ACCENT, alpha=0.08)
    ax.set_xlabel("share of stakeholders (smallest first)")
    ax.set_ylabel("share of value")
    ax.set_title(f"Lorenz curve — Gini {_fmt(conc.get('gini'), 'num')}, top 20 % bring "
                 f"{_fmt(conc.get('pareto_share'), 'pct')}")
    ax.legend(frameon=False, loc="upper left")
    vbt = getattr(analysis, "value_by_type", None)
    bx = fig.add_axes((0.55, 0.5, 0.4, 0.3))
    kind = str(conc.get("value_basis") or "value")
    col = kind if isinstance(vbt, pd.DataFrame) and kind in vbt.columns else "value"
    if isinstance(vbt, pd.DataFrame) and {"type", col} <= set(vbt.columns):
        v = vbt.sort_values(col)
        bx.barh(v["type"].astype(str), v[col].astype(float) / 1e6,
                color=[_type_color(t) for t in v["type"]])
        bx.set_xlabel(f"{col} (millions)")
    bx.set_title(f"{col.capitalize()} by stakeholder type")
    _, _, by_type = _rci(analysis)
    cx = fig.add_axes((0.55, 0.1, 0.4, 0.3))
    if not by_type.empty and "score" in by_type.columns:
        b = by_type.sort_values("score")
        cx.barh(b["type"].astype(str), b["score"].astype(float),
                color=[_type_color(t) for t in b["type"]])
        cx.set_xlim(0, 100)
    cx.set_title("RCI by stakeholder type")
    pdf.savefig(fig)


def changes_page(pdf: Any, *, title: str, diff: SnapshotDiff | None,
                 previous_name: str | None) -> None:
    if diff is None:
        fig = page_frame(title, "What changed", "")
        fig.text(0.03, 0.8, "This is the first snapshot: there is nothing earlier to compare "
                 "with. The next report made from a snapshot will show what changed.",
                 fontsize=11, color=MUTED)
        pdf.savefig(fig)
        return
    fig = page_frame(title, "What changed",
                     f"Since {glyph_safe(previous_name or diff.before, limit=60)}: "
                     + "; ".join(diff.summary()[1:4]))
    ax = fig.add_axes((0.13, 0.52, 0.25, 0.3))
    d = diff.rci_drivers
    if not d.empty:
        ch = d["change"].astype(float)
        ax.barh(d["dimension"].astype(str), ch, color=[GOOD if c >= 0 else BAD for c in ch])
        ax.axvline(0, color=INK, lw=0.8)
        ax.invert_yaxis()
    change = diff.rci_change
    ax.set_title("RCI change by dimension (points)" if change is None else
                 f"RCI {diff.rci_before:.1f} → {diff.rci_after:.1f} ({change:+.1f})")
    table(fig.add_axes((0.42, 0.5, 0.55, 0.34)), diff.strength_changes,
          [("source_name", "from", "", 0.3), ("target_name", "to", "", 0.3),
           ("type", "type", "", 0.18), ("change", "strength Δ", "", 0.12)],
          title=f"Strength changes ≥ {diff.threshold:g}", max_rows=9)
    both = pd.concat([diff.gained.assign(change="gained"), diff.lost.assign(change="lost")])
    table(fig.add_axes((0.03, 0.04, 0.5, 0.42)), both,
          [("change", "", "", 0.12), ("source_name", "from", "", 0.33),
           ("target_name", "to", "", 0.33), ("type", "type", "", 0.22)],
          title=f"Relationships gained ({len(diff.gained)}) and lost ({len(diff.lost)})",
          max_rows=12)
    table(fig.add_axes((0.57, 0.04, 0.4, 0.42)), diff.quadrant_changes,
          [("name", "stakeholder", "", 0.4), ("quadrant_before", "before", "", 0.3),
           ("quadrant_after", "after", "", 0.3)],
          title=f"Quadrant moves ({len(diff.quadrant_changes)}); community moves: "
                f"{len(diff.community_changes)}", max_rows=12)
    pdf.savefig(fig)
