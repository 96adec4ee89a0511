"""Stakeholders page: every stakeholder with its properties and metrics in one sortable table.

Filter by type and name, sort by clicking a column header, download what is shown as CSV or XLSX
(both safe against formula injection: graphcap.export.tables neutralises cells such as
``=HYPERLINK(...)``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from graphcap.export.tables import export_csv, export_xlsx
from graphcap.model import EDGE_REQUIRED, Network
from graphcap.ui import state, widgets

conn, view = state.open_page("Stakeholders")
nodes = view.nodes

c1, c2, c3 = st.columns([2, 2, 1])
all_types = sorted(nodes["type"].astype(str).unique())
types = c1.multiselect("Types", all_types, default=all_types, key="tbl_types")
needle = c2.text_input("Name contains", key="tbl_search")
metrics = view.metric_columns()
options = ["name", *metrics]
sort_by = c3.selectbox(
    "Sort by",
    options,
    index=options.index(view.default_size) if view.default_size else 0,
    key="tbl_sort",
)

table = nodes[nodes["type"].astype(str).isin(types)]
if needle.strip():
    table = table[
        table["name"]
        .astype(str)
        .str.casefold()
        .str.contains(needle.strip().casefold(), regex=False)
    ]
table = table.sort_values(sort_by, ascending=(sort_by == "name"), kind="stable", na_position="last")
front = ["name", "type", *metrics]
table = table[[*front, *[c for c in table.columns if c not in front]]].reset_index(drop=True)

st.caption(f"{len(table):,} of {len(nodes):,} stakeholders")
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * len(table), 640),
    column_config={c: st.column_config.NumberColumn(format="%.4g") for c in metrics},
)


def _download(kind: str, frame: pd.DataFrame) -> bytes:
    """The shown table as a spreadsheet, written by the export module (formula-safe)."""
    net = Network(nodes=frame, edges=pd.DataFrame(columns=list(EDGE_REQUIRED)))
    with tempfile.TemporaryDirectory() as tmp:
        if kind == "csv":
            paths = export_csv(net, tmp, stem="stakeholders")
            return Path(paths[0]).read_bytes()
        return Path(export_xlsx(net, tmp, stem="stakeholders")).read_bytes()


d1, d2, _ = st.columns([1, 1, 4])
d1.download_button(
    "Download CSV", lambda: _download("csv", table), "stakeholders.csv", "text/csv", key="tbl_csv"
)
d2.download_button(
    "Download XLSX",
    lambda: _download("xlsx", table),
    "stakeholders.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="tbl_xlsx",
)

st.divider()
pick = widgets.pick_stakeholder("Open a stakeholder", table, key="tbl_open", order_by=None)
if pick and st.button("Open its page", key="tbl_open_btn"):
    widgets.open_stakeholder(pick)
