"""The sections of the PDF report (:mod:`graphcap.export.report`), one function per section.

Each section starts a page with a title and a one-line explanation; its tables continue over as
many pages as they need (:class:`graphcap.export._pdfdoc.ReportDocument`), charts are matplotlib
figures in the app's type colours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from graphcap.export._mpl import INK, figure
from graphcap.export._pdfdoc import Column, ReportDocument
from graphcap.history.diff import SnapshotDiff
from graphcap.model import Network
from graphcap.palette import category_color

__all__ = [
    "KEY_PLAYERS",
    "changes_section",
    "concentration_section",
    "key_players_section",
    "risks_section",
    "summary_section",
]

ACCENT = "#2563eb"
GOOD, BAD = "#16a34a", "#dc2626"
#: Stakeholders listed under "Most central stakeholders" (the rest are in the CSV/XLSX export).
KEY_PLAYERS = 100
#: rows of the "Matter to us" table (read from our side)
KEY_PLAYERS_MINE = 12
#: rows of the "Matter to us" table (read from our side)
KEY_PLAYERS_MINE = 12


def fmt(value: Any, kind: str = "") -> str:
    """A cell as text: money in k/M, shares in %, scores with 3 decimals, "–" for missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    if isinstance(value, float) and not np.isfinite(value):
        return "–"
    if kind == "money":
        v = float(value)
        return (
            f"{v / 1e6:,.1f} M"
            if abs(v) >= 1e6
            else f"{v / 1e3:,.0f} k"
            if abs(v) >= 1e3
            else f"{v:,.0f}"
        )
    if kind == "pct":
        return f"{100 * float(value):.0f} %"
    if kind == "num":
        return f"{float(value):.3f}"
    if kind == "signed":
        return f"{float(value):+.2f}"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _rows(frame: pd.DataFrame | None, spec: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Formatted rows of ``frame`` for (column, kind) pairs; a missing column prints "–"."""
    if frame is None or len(frame) == 0:
        return []
    cols = [frame[c].tolist() if c in frame.columns else [None] * len(frame) for c, _ in spec]
    return [
        [fmt(v, kind) for v, (_, kind) in zip(values, spec, strict=True)]
        for values in zip(*cols, strict=True)
    ]


def _rci(analysis: Any) -> tuple[float | None, pd.DataFrame, pd.DataFrame]:
    rci = getattr(analysis, "rci", None)
    if rci is None:
        return None, pd.DataFrame(), pd.DataFrame()
    dims = rci.dimensions if isinstance(rci.dimensions, pd.DataFrame) else pd.DataFrame()
    by_type = rci.by_type if isinstance(rci.by_type, pd.DataFrame) else pd.DataFrame()
    return float(rci.score), dims, by_type


def summary_section(
    doc: ReportDocument, *, network: Network, analysis: Any, prov: Mapping[str, Any]
) -> None:
    score, dims, _ = _rci(analysis)
    doc.section(
        "Summary",
        "The Relational Capital Index (0-100) scores strong, diversified "
        "relationships that open doors onward, discounted for what is at risk and for "
        "hostile parties; the points add up to it (docs/METRICS.md).",
    )
    doc.big_number("Relational Capital Index", "–" if score is None else f"{score:.1f}", "of 100")
    if not dims.empty and "points" in dims.columns:
        total = float(dims["weight"].astype(float).sum()) if "weight" in dims.columns else 0.0
        caps = (
            (100 * dims["weight"].astype(float) / total)
            if total > 0
            else pd.Series(25.0, index=dims.index)
        )
        rows = [
            [
                str(d),
                fmt(v, "num") if "value" in dims.columns else "–",
                f"{float(p):.1f}",
                f"{float(c):.0f}",
            ]
            for d, v, p, c in zip(
                dims["dimension"],
                dims.get("value", dims["points"]),
                dims["points"],
                caps,
                strict=True,
            )
        ]
        doc.table(
            rows,
            [
                Column("dimension", "dimension", 3),
                Column("value", "value", 1, "RIGHT"),
                Column("points", "points", 1, "RIGHT"),
                Column("of", "of", 1, "RIGHT"),
            ],
            title="Points by dimension",
            width=doc.epw * 0.5,
        )
    counts = network.counts_by_type()
    c = network.counts
    doc.table(
        [[t, str(n)] for t, n in counts["nodes"].items()],
        [Column("type", "type", 3), Column("n", "stakeholders", 1, "RIGHT")],
        title=f"{c['nodes']} stakeholders",
        width=doc.epw * 0.5,
    )
    doc.table(
        [[t, str(n)] for t, n in counts["edges"].items()],
        [Column("type", "type", 3), Column("n", "relationships", 1, "RIGHT")],
        title=f"{c['edges']} relationships",
        width=doc.epw * 0.5,
    )
    conc = dict(getattr(analysis, "concentration", None) or {})
    kinds = conc.get("kinds") or {}
    basis = str(conc.get("value_basis") or "value")
    facts = [
        *(
            [f"Total {k} (never added to the others)", fmt(v.get("total"), "money")]
            for k, v in kinds.items()
        ),
        *(() if kinds else (["Money", "none recorded (no revenue, spend or flow)"],)),
        [f"Share of {basis} from the top 20 %", fmt(conc.get("pareto_share"), "pct")],
        [f"Gini of {basis}", fmt(conc.get("gini"), "num")],
        [
            "HHI customers / suppliers",
            f"{fmt(conc.get('hhi_customers'), 'num')} / {fmt(conc.get('hhi_suppliers'), 'num')}",
        ],
        ["Interactions logged", f"{c['interactions']:,}"],
    ]
    doc.table(
        facts,
        [Column("what", "figure", 2), Column("value", "value", 1)],
        title="Value and concentration",
        width=doc.epw * 0.6,
    )
    filters = prov.get("filters") or {}
    origin = [
        ["Snapshot", str(prov.get("snapshot_name") or "current view (not a snapshot)")],
        ["Created", str(prov.get("created") or "–")],
        ["Data as of", str(prov.get("as_of") or "–")],
        ["Source", str(prov.get("source") or "–")],
        ["Source data hash", str(prov.get("source_hash") or "–")[:24]],
        ["Filters", ", ".join(f"{k}={v}" for k, v in filters.items()) or "none (whole network)"],
        ["graphcap", str(prov.get("graphcap_version") or "–")],
    ]
    doc.table(origin, [Column("what", "", 1), Column("value", "", 4)], title="Provenance")


def key_players_section(
    doc: ReportDocument, *, network: Network, analysis: Any, key_players: int | None = KEY_PLAYERS
) -> None:
    doc.section(
        "Key players",
        "Read from our side: who matters to us (our money and the money "
        "we reach only through them), apart from who is central in the whole network "
        "(ranked by PageRank on the strength-weighted network; betweenness: who brokers "
        "between others); competitors as threats; single points of failure: removing them "
        "cuts stakeholders off (the organisation is never its own).",
    )
    nodes = getattr(analysis, "nodes", None)
    if not isinstance(nodes, pd.DataFrame):
        nodes = network.nodes
    mine = (
        analysis.key_players(top=KEY_PLAYERS_MINE)
        if hasattr(analysis, "key_players")
        else nodes.iloc[0:0]
    )
    doc.table(
        _rows(
            mine,
            [
                ("name", ""),
                ("type", ""),
                ("value_kind", ""),
                ("value_share", "pct"),
                ("dependents_share", "pct"),
                ("matters", "num"),
            ],
        ),
        [
            Column("name", "stakeholder", 4),
            Column("type", "type", 1.4),
            Column("value_kind", "kind", 1.2),
            Column("value_share", "share", 1, "RIGHT"),
            Column("dependents_share", "gated", 1, "RIGHT"),
            Column("matters", "score", 1, "RIGHT"),
        ],
        title="Matter to us",
        empty="No stakeholder brings or gates money.",
    )
    others = nodes[nodes["type"] != "organization"]
    top = (
        others.sort_values(["pagerank", "id"], ascending=[False, True])
        if "pagerank" in others
        else others
    )
    shown = top if key_players is None else top.head(key_players)
    spec = [
        ("name", ""),
        ("type", ""),
        ("value", "money"),
        ("pagerank", "num"),
        ("betweenness", "num"),
        ("community", ""),
        ("quadrant", ""),
    ]
    rows = [[str(i + 1), *r] for i, r in enumerate(_rows(shown, spec))]
    more = len(top) - len(shown)
    doc.table(
        rows,
        [
            Column("rank", "#", 0.5, "RIGHT"),
            Column("name", "stakeholder", 4),
            Column("type", "type", 1.4),
            Column("value", "value", 1.1, "RIGHT"),
            Column("pagerank", "PageRank", 1.1, "RIGHT"),
            Column("betweenness", "betweenness", 1.2, "RIGHT"),
            Column("community", "community", 1.1, "RIGHT"),
            Column("quadrant", "quadrant", 2.2),
        ],
        title=f"Most central stakeholders ({len(shown)} of {len(top)})",
    )
    if more > 0:
        doc.paragraph(
            f"{more} more stakeholders are ranked in the CSV and XLSX exports.", muted=True
        )
    threats = analysis.threats() if hasattr(analysis, "threats") else pd.DataFrame()
    doc.table(
        _rows(
            threats,
            [
                ("name", ""),
                ("shared_customers", ""),
                ("revenue_overlap", "pct"),
                ("shared_suppliers", ""),
                ("spend_overlap", "pct"),
            ],
        ),
        [
            Column("name", "competitor", 3),
            Column("shared_customers", "our customers", 1.3, "RIGHT"),
            Column("revenue_overlap", "revenue", 1, "RIGHT"),
            Column("shared_suppliers", "our suppliers", 1.3, "RIGHT"),
            Column("spend_overlap", "spend", 1, "RIGHT"),
        ],
        title="Competitors as threats (overlap with our customers and suppliers)",
        empty="No competitor in the data.",
    )
    focal = set(network.focal_ids())
    spof = (
        nodes[
            nodes["is_articulation"].fillna(False).astype(bool)
            & ~nodes["id"].astype(str).isin(focal)
        ]
        if "is_articulation" in nodes.columns
        else nodes.iloc[0:0]
    )
    ego = bool(getattr(analysis, "params", {}).get("ego_only"))
    doc.table(
        _rows(spof, [("name", ""), ("type", ""), ("dependents", "")]),
        [
            Column("name", "stakeholder", 4),
            Column("type", "type", 1.5),
            Column("dependents", "cut off without it", 1.5, "RIGHT"),
        ],
        title=f"Single points of failure ({len(spof)})",
        empty=(
            "The data records no ties among stakeholders: every relationship hangs on us "
            "alone (a property of the data)."
            if ego
            else "None: every stakeholder stays reachable when any one other is removed."
        ),
    )


def risks_section(doc: ReportDocument, *, analysis: Any) -> None:
    risks = getattr(analysis, "risks", None)
    n = 0 if risks is None else len(risks)
    doc.section(
        f"At-risk relationships ({n})",
        "The radar adds points for high value with weak "
        "or falling strength, no contact for long, a contract ending soon, a single thread, "
        "a souring sentiment; highest score first. Every relationship on the radar is "
        "listed.",
    )
    frame = risks
    if risks is not None and "reasons_text" not in risks.columns and "reasons" in risks.columns:
        frame = risks.assign(reasons_text=risks["reasons"].astype(str))
    spec = [
        ("name", ""),
        ("type", ""),
        ("value", "money"),
        ("strength", "num"),
        ("score", ""),
        ("reasons_text", ""),
    ]
    rows = [[str(i + 1), *r] for i, r in enumerate(_rows(frame, spec))]
    doc.table(
        rows,
        [
            Column("rank", "#", 0.5, "RIGHT"),
            Column("name", "stakeholder", 3),
            Column("type", "type", 1.1),
            Column("value", "value", 1, "RIGHT"),
            Column("strength", "strength", 1, "RIGHT"),
            Column("score", "score", 0.8, "RIGHT"),
            Column("why", "why", 7),
        ],
        empty="No relationship is on the at-risk radar.",
    )


def concentration_section(doc: ReportDocument, *, analysis: Any) -> None:
    conc = dict(getattr(analysis, "concentration", None) or {})
    doc.section(
        "Concentration",
        "How evenly value is spread: the Lorenz curve (the further below "
        "the diagonal, the more concentrated), value and RCI by type.",
    )
    fig = figure(11, 4.6)
    ax = fig.add_axes((0.06, 0.12, 0.38, 0.78))
    lorenz = getattr(analysis, "lorenz", None)
    ax.plot([0, 1], [0, 1], color="#9ca3af", lw=1, ls="--", label="perfect equality")
    if isinstance(lorenz, pd.DataFrame) and len(lorenz) >= 2:
        x, y = lorenz.iloc[:, 0].astype(float), lorenz.iloc[:, 1].astype(float)
        ax.plot(x, y, color=ACCENT, lw=2, label="stakeholders by value")
        ax.fill_between(x, y, x, color=ACCENT, alpha=0.08)
    ax.set_xlabel("share of stakeholders (smallest first)")
    ax.set_ylabel("share of value")
    ax.set_title(
        f"Lorenz curve — Gini {fmt(conc.get('gini'), 'num')}, top 20 % bring "
        f"{fmt(conc.get('pareto_share'), 'pct')}"
    )
    ax.legend(frameon=False, loc="upper left")
    vbt = getattr(analysis, "value_by_type", None)
    types = (
        sorted(vbt["type"].astype(str).unique())
        if isinstance(vbt, pd.DataFrame) and "type" in vbt.columns
        else []
    )
    bx = fig.add_axes((0.58, 0.58, 0.38, 0.32))
    kind = str(conc.get("value_basis") or "value")
    col = kind if isinstance(vbt, pd.DataFrame) and kind in vbt.columns else "value"
    if isinstance(vbt, pd.DataFrame) and {"type", col} <= set(vbt.columns):
        v = vbt.sort_values(col)
        bx.barh(
            v["type"].astype(str),
            v[col].astype(float) / 1e6,
            color=[category_color(t, types) for t in v["type"]],
        )
        bx.set_xlabel(f"{col} (millions)")
    bx.set_title(f"{col.capitalize()} by stakeholder type")
    _, _, by_type = _rci(analysis)
    cx = fig.add_axes((0.58, 0.1, 0.38, 0.32))
    if not by_type.empty and "score" in by_type.columns:
        b = by_type.sort_values("score")
        cx.barh(
            b["type"].astype(str),
            b["score"].astype(float),
            color=[category_color(t, types) for t in b["type"]],
        )
        cx.set_xlim(0, 100)
    cx.set_title("RCI by stakeholder type")
    doc.figure(fig)
    if isinstance(vbt, pd.DataFrame) and len(vbt):
        spec = [
            (c, "money" if c in ("value", "revenue", "spend") else "pct" if "share" in c else "")
            for c in vbt.columns
        ]
        doc.table(
            _rows(vbt, spec),
            [Column(c, c.replace("_", " "), 1) for c in vbt.columns],
            title="Value by stakeholder type",
        )


def changes_section(
    doc: ReportDocument, *, diff: SnapshotDiff | None, previous_name: str | None
) -> None:
    if diff is None:
        doc.section("What changed")
        doc.paragraph(
            "This is the first snapshot: there is nothing earlier to compare with. The "
            "next report made from a snapshot will show what changed.",
            muted=True,
        )
        return
    doc.section(
        "What changed", f"Since {previous_name or diff.before}: " + "; ".join(diff.summary()[1:4])
    )
    change = diff.rci_change
    doc.heading(
        "RCI change by dimension (points)"
        if change is None
        else f"RCI {diff.rci_before:.1f} → {diff.rci_after:.1f} ({change:+.1f})"
    )
    d = diff.rci_drivers
    if not d.empty:
        fig = figure(7, 2.2)
        ax = fig.add_axes((0.25, 0.12, 0.7, 0.8))
        ch = d["change"].astype(float)
        ax.barh(d["dimension"].astype(str), ch, color=[GOOD if c >= 0 else BAD for c in ch])
        ax.axvline(0, color=INK, lw=0.8)
        ax.invert_yaxis()
        doc.figure(fig, width=doc.epw * 0.6)
    doc.table(
        _rows(
            diff.strength_changes,
            [("source_name", ""), ("target_name", ""), ("type", ""), ("change", "signed")],
        ),
        [
            Column("from", "from", 3),
            Column("to", "to", 3),
            Column("type", "type", 1.5),
            Column("change", "strength Δ", 1, "RIGHT"),
        ],
        title=f"Strength changes ≥ {diff.threshold:g} ({len(diff.strength_changes)})",
    )
    both = pd.concat([diff.gained.assign(change="gained"), diff.lost.assign(change="lost")])
    doc.table(
        _rows(both, [("change", ""), ("source_name", ""), ("target_name", ""), ("type", "")]),
        [
            Column("change", "", 0.8),
            Column("from", "from", 3),
            Column("to", "to", 3),
            Column("type", "type", 1.5),
        ],
        title=f"Relationships gained ({len(diff.gained)}) and lost ({len(diff.lost)})",
    )
    doc.table(
        _rows(
            diff.quadrant_changes, [("name", ""), ("quadrant_before", ""), ("quadrant_after", "")]
        ),
        [
            Column("name", "stakeholder", 3),
            Column("before", "before", 2),
            Column("after", "after", 2),
        ],
        title=f"Quadrant moves ({len(diff.quadrant_changes)}); community moves: "
        f"{len(diff.community_changes)}",
    )
