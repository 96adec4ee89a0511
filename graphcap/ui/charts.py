"""The Altair (Vega-Lite) charts the pages show. Pure functions: frames in, charts out.

Stakeholder names reach a chart only as data values (tooltips, axis labels), which Vega renders
as text. Titles, axes, legends and tooltips are in the current language
(:mod:`graphcap.i18n`), and so are the numbers and dates Vega writes (a Vega-Lite ``locale``:
``1.234,5`` and ``März 2026`` in German).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from graphcap.i18n import current_language
from graphcap.i18n import gettext as _
from graphcap.picture.render import TYPE_COLORS
from graphcap.ui.labels import column_label, quadrant_label, vocabulary_label

__all__ = ["interactions_chart", "lorenz_chart", "rci_chart", "type_bars", "grid_chart"]

QUADRANT_COLORS = {
    "manage closely": "#dc2626",
    "keep satisfied": "#ea580c",
    "keep informed": "#2563eb",
    "monitor": "#6b7280",
}


#: How Vega writes numbers and dates in German (d3-format / d3-time-format locales).
_GERMAN = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"]},
    "time": {
        "dateTime": "%A, der %e. %B %Y, %X",
        "date": "%d.%m.%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
        "shortDays": ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
        "months": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                   "September", "Oktober", "November", "Dezember"],
        "shortMonths": ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt",
                        "Nov", "Dez"],
    },
}  # fmt: skip


def localized(chart: Any) -> Any:
    """``chart`` writing its numbers and dates the current language's way."""
    if current_language() == "de":
        return chart.configure(locale=_GERMAN)
    return chart


def _type_scale(types: list[str]) -> alt.Scale:
    present = sorted(set(map(str, types)))
    return alt.Scale(domain=present, range=[TYPE_COLORS.get(t, "#0891b2") for t in present])


def lorenz_chart(lorenz: pd.DataFrame, *, title: str | None = None) -> alt.Chart:
    """Cumulative share of value held by the smallest x % of stakeholders, against equality."""
    diag = pd.DataFrame({"population_share": [0.0, 1.0], "value_share": [0.0, 1.0]})
    base = alt.Chart(lorenz).encode(
        x=alt.X(
            "population_share:Q",
            title=_("share of stakeholders (smallest first)"),
            axis=alt.Axis(format="%"),
        ),
        y=alt.Y("value_share:Q", title=_("share of value"), axis=alt.Axis(format="%")),
    )
    curve = base.mark_area(line={"color": "#2563eb"}, color="#bfdbfe", opacity=0.6).encode(
        tooltip=[
            alt.Tooltip("population_share:Q", format=".0%", title=_("share of stakeholders")),
            alt.Tooltip("value_share:Q", format=".1%", title=_("share of value")),
        ]
    )
    equal = (
        alt.Chart(diag)
        .mark_line(strokeDash=[4, 4], color="#6b7280")
        .encode(x="population_share:Q", y="value_share:Q")
    )
    title = _("Lorenz curve of value") if title is None else title
    return localized((curve + equal).properties(title=title, height=260))


def rci_chart(dimensions: pd.DataFrame) -> alt.Chart:
    """The RCI's dimensions as horizontal bars (value 0-1), with their meaning as tooltip."""
    tooltip = [
        alt.Tooltip(c, title=column_label(c))
        for c in ("dimension", "value", "weight", "points", "meaning")
        if c in dimensions
    ]
    if "dimension" in dimensions:  # the dimensions' names are graphcap's columns: labelled
        dimensions = dimensions.assign(dimension=dimensions["dimension"].map(column_label))
    return localized(
        alt.Chart(dimensions)
        .mark_bar(color="#2563eb")
        .encode(
            y=alt.Y("dimension:N", sort=None, title=None, axis=alt.Axis(labelOverlap=False)),
            x=alt.X("value:Q", scale=alt.Scale(domain=[0, 1]), title=_("score (0-1)")),
            tooltip=tooltip,
        )
        .properties(height=40 * max(len(dimensions), 1))
    )


def type_bars(frame: pd.DataFrame, value: str, *, title: str, fmt: str = ",.0f") -> alt.Chart:
    """One bar per stakeholder type (``type`` column), coloured like the network; a built-in
    type is written in the current language."""
    shown = frame.assign(type_shown=frame["type"].map(vocabulary_label))
    return localized(
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y("type_shown:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False)),
            x=alt.X(f"{value}:Q", title=title),
            color=alt.Color("type:N", scale=_type_scale(frame["type"].tolist()), legend=None),
            tooltip=[
                alt.Tooltip("type_shown:N", title=column_label("type")),
                alt.Tooltip(f"{value}:Q", format=fmt, title=title),
            ],
        )
        .properties(height=32 * max(len(frame), 1))
    )


def interactions_chart(log: pd.DataFrame) -> alt.Chart:
    """Interactions per month, stacked by channel where the log has one."""
    frame = log.assign(
        month=pd.to_datetime(log["date"], errors="coerce").dt.to_period("M").dt.to_timestamp()
    )
    color = "channel" if "channel" in frame.columns else None
    group = ["month"] + ([color] if color else [])
    counts = frame.groupby(group, dropna=False).size().rename("interactions").reset_index()
    if color:
        counts[color] = counts[color].astype("string").fillna(_("unknown")).astype(str)
    enc = {
        "x": alt.X("month:T", title=None),
        "y": alt.Y("interactions:Q", title=_("interactions per month")),
        "tooltip": [
            alt.Tooltip("month:T", format="%B %Y", title=_("month")),
            alt.Tooltip("interactions:Q", title=_("interactions")),
            *([alt.Tooltip(f"{color}:N", title=column_label(color))] if color else []),
        ],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=column_label(color))
    return localized(alt.Chart(counts).mark_bar().encode(**enc).properties(height=220))


def grid_chart(grid: pd.DataFrame, *, power: str, interest: str, title: str) -> alt.Chart:
    """Power (y) against interest (x), quadrant lines at 0.5, points coloured by quadrant (the
    quadrants named in the current language)."""
    grid = grid.assign(quadrant=grid["quadrant"].map(quadrant_label))
    if "type" in grid.columns:
        grid = grid.assign(type=grid["type"].map(vocabulary_label))
    yes, no = _("yes"), _("no")
    if "negative_tie" in grid.columns:
        grid = grid.assign(
            negative_tie=grid["negative_tie"].fillna(False).astype(bool).map({True: yes, False: no})
        )
    quadrants = [quadrant_label(q) for q in QUADRANT_COLORS]
    points = (
        alt.Chart(grid)
        .mark_point(size=70, opacity=0.8, filled=True)
        .encode(
            x=alt.X(f"{interest}:Q", scale=alt.Scale(domain=[0, 1]), title=_("interest")),
            y=alt.Y(f"{power}:Q", scale=alt.Scale(domain=[0, 1]), title=_("power")),
            color=alt.Color(
                "quadrant:N",
                title=_("quadrant"),
                scale=alt.Scale(domain=quadrants, range=list(QUADRANT_COLORS.values())),
            ),
            shape=(
                alt.Shape(
                    "negative_tie:N",
                    title=_("negative tie"),
                    scale=alt.Scale(domain=[no, yes], range=["circle", "cross"]),
                )
                if "negative_tie" in grid.columns
                else alt.value("circle")
            ),
            tooltip=[
                alt.Tooltip("name:N", title=column_label("name")),
                alt.Tooltip("type:N", title=column_label("type")),
                alt.Tooltip("quadrant:N", title=_("quadrant")),
                alt.Tooltip(f"{power}:Q", format=".2f", title=_("power")),
                alt.Tooltip(f"{interest}:Q", format=".2f", title=_("interest")),
            ],
        )
    )
    rules = pd.DataFrame({"v": [0.5]})
    vline = alt.Chart(rules).mark_rule(color="#9ca3af").encode(x="v:Q")
    hline = alt.Chart(rules).mark_rule(color="#9ca3af").encode(y="v:Q")
    return localized((points + vline + hline).properties(title=title, height=380))
