"""Power/interest grid: who to manage closely, keep satisfied, keep informed or monitor.

The data-derived grid (power from network position and dependence, interest from engagement and
tie strength, both as ranks spread over [0, 1]; see graphcap.metrics.grid) beside the manually
given power/interest scores where the data has them, quadrant counts for both, stakeholders with
a negative (hostile) tie marked, and the stakeholders where the two disagree listed.
"""

from __future__ import annotations

import streamlit as st

from graphcap.ui import charts, state, widgets

conn, view = state.open_page("Power / interest grid")
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

left, right = st.columns(2)
left.altair_chart(
    charts.grid_chart(grid, power="power_data", interest="interest_data", title="From the data"),
    width="stretch",
)
if has_manual:
    manual = (
        grid[grid["quadrant_manual"].notna()]
        .drop(columns=["quadrant"])
        .rename(columns={"quadrant_manual": "quadrant"})
    )
    right.altair_chart(
        charts.grid_chart(manual, power="power", interest="interest", title="Manual scores"),
        width="stretch",
    )
else:
    right.info("No manual power/interest scores in the data: only the data-derived grid is shown.")

counts = grid["quadrant"].value_counts()
manual_counts = grid["quadrant_manual"].value_counts() if has_manual else None
cols = st.columns(4)
for col, name in zip(cols, charts.QUADRANT_COLORS, strict=True):
    col.metric(
        name.capitalize(),
        f"{int(counts.get(name, 0)):,}",
        help="from the data"
        + (
            f"; manual scores: {int(manual_counts.get(name, 0)):,}"
            if manual_counts is not None
            else ""
        ),
    )
if manual_counts is not None:
    st.caption(
        "Manual scores: "
        + " · ".join(
            f"{name} {int(manual_counts.get(name, 0)):,}" for name in charts.QUADRANT_COLORS
        )
    )
if "negative_tie" in grid.columns and grid["negative_tie"].any():
    hostile = grid.loc[grid["negative_tie"], "name"].astype(str).tolist()
    state.show_message(
        f"{len(hostile)} stakeholder(s) with a negative (hostile) tie to the organisation, "
        "drawn as crosses: " + ", ".join(hostile[:10]),
        kind="warning",
    )

st.subheader("Gaps between data and manual scores", anchor=False)
gaps = (
    grid[grid["grid_gap"].fillna(False).astype(bool)]
    if "grid_gap" in grid.columns
    else grid.iloc[0:0]
)
if gaps.empty:
    st.caption("No gaps" + ("" if has_manual else " (no manual scores to compare with)") + ".")
else:
    st.caption(f"{len(gaps):,} stakeholders where the data and the manual scores disagree")
    shown = [c for c in ("name", "type", "quadrant", "quadrant_manual", "power_gap", "interest_gap",
                         "grid_note") if c in gaps.columns]  # fmt: skip
    st.dataframe(gaps[shown], hide_index=True, width="stretch")

st.subheader("All stakeholders", anchor=False)
quadrant = st.selectbox("Quadrant", ["all", *charts.QUADRANT_COLORS], key="grid_quadrant")
table = grid if quadrant == "all" else grid[grid["quadrant"] == quadrant]
shown = [c for c in ("name", "type", "quadrant", "power_data", "interest_data", "power", "interest")
         if c in table.columns]  # fmt: skip
st.dataframe(table[shown], hide_index=True, width="stretch")
pick = widgets.pick_stakeholder("Open a stakeholder", table, key="grid_pick")
if pick and st.button("Open its page", key="grid_open"):
    widgets.open_stakeholder(pick)
