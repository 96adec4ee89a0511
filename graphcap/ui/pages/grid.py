"""Power/interest grid: who to manage closely, keep satisfied, keep informed or monitor.

The data-derived grid (power from network position and dependence, interest from engagement and
tie strength, both as ranks spread over [0, 1]; see graphcap.metrics.grid) beside the manually
given power/interest scores where the data has them, quadrant counts for both, stakeholders with
a negative (hostile) tie marked, and the stakeholders where the two disagree listed.
"""

from __future__ import annotations

import streamlit as st

from graphcap.i18n import gettext as _
from graphcap.i18n import ngettext
from graphcap.ui import charts, page_start, state, widgets
from graphcap.ui.labels import quadrant_label
from graphcap.ui.lang import num, table

conn, view = page_start.open_page(_("Power / interest grid"))
nodes = view.nodes
manual_cols = [c for c in ("power", "interest") if c in nodes.columns]
grid = view.analysis.grid.merge(
    nodes[["id", "name", "type", *manual_cols]], on="id", how="left", suffixes=("_g", "")
)
grid = grid[grid["type"] != "organization"]
has_manual = (
    len(manual_cols) == 2
    and "quadrant_manual" in grid.columns
    and grid["quadrant_manual"].notna().any()
)


def _quadrants(frame):  # type: ignore[no-untyped-def]
    """``frame`` with its quadrant columns named in the current language."""
    cols = [c for c in ("quadrant", "quadrant_manual") if c in frame.columns]
    return frame.assign(**{c: frame[c].map(quadrant_label) for c in cols})


left, right = st.columns(2)
left.altair_chart(
    charts.grid_chart(grid, power="power_data", interest="interest_data", title=_("From the data")),
    width="stretch",
)
if has_manual:
    manual = (
        grid[grid["quadrant_manual"].notna()]
        .drop(columns=["quadrant"])
        .rename(columns={"quadrant_manual": "quadrant"})
    )
    right.altair_chart(
        charts.grid_chart(manual, power="power", interest="interest", title=_("Manual scores")),
        width="stretch",
    )
else:
    right.info(
        _("No manual power/interest scores in the data: only the data-derived grid is shown.")
    )

counts = grid["quadrant"].value_counts()
manual_counts = grid["quadrant_manual"].value_counts() if has_manual else None
cols = st.columns(4)
for col, name in zip(cols, charts.QUADRANT_COLORS, strict=True):
    label = quadrant_label(name)
    col.metric(
        label[:1].upper() + label[1:],
        num(int(counts.get(name, 0))),
        help=_("from the data")
        if manual_counts is None
        else _("from the data; manual scores: {n}").format(n=num(int(manual_counts.get(name, 0)))),
    )
if manual_counts is not None:
    st.caption(
        _("Manual scores: {counts}").format(
            counts=" · ".join(
                f"{quadrant_label(name)} {num(int(manual_counts.get(name, 0)))}"
                for name in charts.QUADRANT_COLORS
            )
        )
    )
if "negative_tie" in grid.columns and grid["negative_tie"].any():
    hostile = grid.loc[grid["negative_tie"], "name"].astype(str).tolist()
    state.show_message(
        ngettext(
            "{n} stakeholder with a negative (hostile) tie to the organisation, drawn as a "
            "cross: {names}",
            "{n} stakeholders with a negative (hostile) tie to the organisation, drawn as "
            "crosses: {names}",
            len(hostile),
        ).format(n=num(len(hostile)), names=", ".join(hostile[:10])),
        kind="warning",
    )

st.subheader(_("Gaps between data and manual scores"), anchor=False)
gaps = (
    grid[grid["grid_gap"].fillna(False).astype(bool)]
    if "grid_gap" in grid.columns
    else grid.iloc[0:0]
)
if gaps.empty:
    st.caption(_("No gaps.") if has_manual else _("No gaps (no manual scores to compare with)."))
else:
    st.caption(
        _("{n} stakeholders where the data and the manual scores disagree").format(n=num(len(gaps)))
    )
    shown = [c for c in ("name", "type", "quadrant", "quadrant_manual", "power_gap", "interest_gap",
                         "grid_note") if c in gaps.columns]  # fmt: skip
    table(_quadrants(gaps[shown]), decimals={"power_gap": 2, "interest_gap": 2}, wide=["grid_note"])

st.subheader(_("All stakeholders"), anchor=False)
quadrant = st.selectbox(
    _("Quadrant"), ["all", *charts.QUADRANT_COLORS], format_func=quadrant_label, key="grid_quadrant"
)
part = grid if quadrant == "all" else grid[grid["quadrant"] == quadrant]
shown = [c for c in ("name", "type", "quadrant", "power_data", "interest_data", "power", "interest")
         if c in part.columns]  # fmt: skip
table(_quadrants(part[shown]), decimals={c: 2 for c in shown[3:]})
pick = widgets.pick_stakeholder(_("Open a stakeholder"), part, key="grid_pick")
if pick and st.button(_("Open its page"), key="grid_open"):
    widgets.open_stakeholder(pick)
