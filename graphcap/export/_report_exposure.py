"""The PDF report's sections on where value is exposed (:mod:`graphcap.export.report`): the
at-risk relationships (the whole radar, with its reasons) and the concentration of value (Lorenz
curve, value and RCI by stakeholder type)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from graphcap.export._mpl import figure
from graphcap.export._pdfdoc import Column, ReportDocument
from graphcap.export._report_cells import (
    column_header,
    decimal_axes,
    fmt,
    kind_title,
    table_rows,
)
from graphcap.export._report_parts import _rci
from graphcap.i18n import format_number, gettext
from graphcap.metrics.wording import (
    kind_label,
    reasons_text,
    type_label,
)
from graphcap.palette import category_color

_ = gettext

__all__ = ["concentration_section", "risks_section"]

ACCENT = "#2563eb"


def risks_section(doc: ReportDocument, *, analysis: Any, currency: str | None = None) -> None:
    risks = getattr(analysis, "risks", None)
    n = 0 if risks is None else len(risks)
    doc.section(
        _("At-risk relationships ({n})").format(n=format_number(n)),
        _(
            "The radar adds points for high value with weak or falling strength, no contact for "
            "long, a contract ending soon, a single thread, a souring sentiment; highest score "
            "first. Every relationship on the radar is listed."
        ),
    )
    frame = risks
    if risks is not None and len(risks):
        # the reasons in the report's language, made from the language-free reason codes
        frame = risks.assign(
            why=[reasons_text(r, currency=currency) for r in risks.to_dict("records")]
        )
    spec = [
        ("name", ""),
        ("type", "type"),
        ("value", "money"),
        ("strength", "num"),
        ("score", "float"),
        ("why", ""),
    ]
    rows = [[str(i + 1), *r] for i, r in enumerate(table_rows(frame, spec, currency))]
    doc.table(
        rows,
        [
            Column("rank", "#", 0.5, "RIGHT"),
            Column("name", _("stakeholder"), 3),
            Column("type", _("type"), 1.1),
            Column("value", _("value"), 1, "RIGHT"),
            Column("strength", _("strength"), 1, "RIGHT"),
            Column("score", _("score"), 1.1, "RIGHT"),
            Column("why", _("why"), 6.7),
        ],
        empty=_("No relationship is on the at-risk radar."),
    )


def concentration_section(
    doc: ReportDocument, *, analysis: Any, currency: str | None = None
) -> None:
    conc = dict(getattr(analysis, "concentration", None) or {})
    doc.section(
        _("Concentration"),
        _(
            "How evenly value is spread: the Lorenz curve (the further below the diagonal, the "
            "more concentrated), value and RCI by type."
        ),
    )
    fig = figure(11, 4.6)
    ax = fig.add_axes((0.06, 0.12, 0.38, 0.78))
    lorenz = getattr(analysis, "lorenz", None)
    ax.plot([0, 1], [0, 1], color="#9ca3af", lw=1, ls="--", label=_("perfect equality"))
    if isinstance(lorenz, pd.DataFrame) and len(lorenz) >= 2:
        x, y = lorenz.iloc[:, 0].astype(float), lorenz.iloc[:, 1].astype(float)
        ax.plot(x, y, color=ACCENT, lw=2, label=_("stakeholders by value"))
        ax.fill_between(x, y, x, color=ACCENT, alpha=0.08)
    ax.set_xlabel(_("share of stakeholders (smallest first)"))
    ax.set_ylabel(_("share of value"))
    ax.set_title(
        _("Lorenz curve — Gini {gini}, top 20 % bring {share}").format(
            gini=fmt(conc.get("gini"), "num"), share=fmt(conc.get("pareto_share"), "pct")
        )
    )
    ax.legend(frameon=False, loc="upper left")
    decimal_axes(ax, y=True)
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
            [type_label(t) for t in v["type"]],
            v[col].astype(float) / 1e6,
            color=[category_color(t, types) for t in v["type"]],
        )
        unit = _("millions")
        if currency:
            unit = _("{currency} millions").format(currency=currency)
        bx.set_xlabel(f"{kind_label(col)} ({unit})")
        decimal_axes(bx)
    bx.set_title(_("{kind} by stakeholder type").format(kind=kind_title(col)))
    by_type = _rci(analysis)[2]
    cx = fig.add_axes((0.58, 0.1, 0.38, 0.32))
    if not by_type.empty and "score" in by_type.columns:
        b = by_type.sort_values("score")
        cx.barh(
            [type_label(t) for t in b["type"]],
            b["score"].astype(float),
            color=[category_color(t, types) for t in b["type"]],
        )
        cx.set_xlim(0, 100)
        decimal_axes(cx)
    cx.set_title(_("RCI by stakeholder type"))
    doc.figure(fig)
    if isinstance(vbt, pd.DataFrame) and len(vbt):
        spec = [
            (
                c,
                "money"
                if c in ("value", "revenue", "spend", "flow", "clv")
                else "pct"
                if "share" in c
                else "type"
                if c == "type"
                else "int"
                if c in ("stakeholders", "count", "n")
                else "",
            )
            for c in vbt.columns
        ]
        doc.table(
            table_rows(vbt, spec, currency),
            [Column(c, column_header(c), 1) for c in vbt.columns],
            title=_("Value by stakeholder type"),
        )
