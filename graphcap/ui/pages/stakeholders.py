"""Stakeholders page: every stakeholder with its properties and metrics in one sortable table.

Filter by type and name, sort by clicking a column header, download the filtered stakeholders with
every column as CSV or XLSX (both safe against formula injection: graphcap.export.tables
neutralises cells such as ``=HYPERLINK(...)``).

The table shows a few telling columns at first (name, type, the network's own properties and the
headline metrics; always the name and the sort column); "Columns" adds any other property or
metric. Every shown
cell travels to each browser as text in the current language, so ~50 columns of ~10k
stakeholders were ~11 MB per page load, each parsed by the browser; the first view is about a
quarter of that.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from graphcap.export.tables import export_csv, export_xlsx
from graphcap.graph.textmatch import contains
from graphcap.i18n import gettext as _
from graphcap.model import Network
from graphcap.model.schema import EDGE_REQUIRED
from graphcap.ui import datasource, page_start, scale, state, widgets
from graphcap.ui.labels import column_label
from graphcap.ui.lang import num, show_table, table_parts

if state.at_scale(datasource.connection()):  # too large to analyse here: stored metrics
    scale.stakeholders_page()
    st.stop()

conn, view = page_start.open_page(_("Stakeholder list"))
nodes = view.nodes

c1, c2, c3 = st.columns([2, 2, 1])
all_types = sorted(nodes["type"].astype(str).unique())
types = widgets.type_filter(c1, _("Types"), all_types, key="tbl_types")
needle = c2.text_input(_("Name contains"), key="tbl_search")
metrics = view.metric_columns()
options = ["name", *metrics]
sort_by = c3.selectbox(
    _("Sort by"),
    options,
    index=options.index(view.default_size) if view.default_size else 0,
    format_func=column_label,
    key="tbl_sort",
)


#: Metrics the table shows before the user picks columns (those the network has).
HEADLINE_METRICS = (
    "degree", "weighted_degree", "betweenness", "pagerank", "community", "risk_score", "at_risk",
)  # fmt: skip
#: At most this many of the network's own properties (region, revenue ...) are shown at first.
OWN_PROPERTIES = 4

own = [c for c in view.network.nodes.columns if c not in {"id", "name", "type"}]
all_columns = ["name", "type", *metrics, *[c for c in nodes.columns if c not in metrics]]
all_columns = list(dict.fromkeys(all_columns))
first_view = ["name", "type", *own[:OWN_PROPERTIES], *HEADLINE_METRICS]
picked = st.multiselect(
    _("Columns"),
    all_columns,
    default=[c for c in dict.fromkeys(first_view) if c in all_columns],
    format_func=column_label,
    key="tbl_columns",
    help=_("Add any property or metric to the table; the downloads hold every column."),
)
columns = [c for c in all_columns if c in {"name", sort_by, *picked}]  # the sort column too


def _shown() -> pd.DataFrame:
    shown = nodes[nodes["type"].astype(str).isin(types)]
    if needle.strip():
        shown = shown[contains(shown["name"], needle)]
    shown = shown.sort_values(
        sort_by, ascending=(sort_by == "name"), kind="stable", na_position="last"
    )
    front = ["name", "type", *metrics]
    return shown[[*front, *[c for c in shown.columns if c not in front]]].reset_index(drop=True)


# The selection and its formatted cells (a Python call per cell: seconds for ~10k stakeholders)
# are made once per data version, language and filter, and shared by every session.
key = f"stakeholders|{sorted(types)!r}|{needle.strip()!r}|{sort_by}"
shown = state.memo(conn, key, _shown)
st.caption(
    _("{shown} of {total} stakeholders").format(shown=num(len(shown)), total=num(len(nodes)))
)
show_table(
    state.memo_table(conn, f"{key}|{columns!r}|table", lambda: table_parts(shown[columns])),
    height=min(38 + 35 * len(shown), 640),
)


def _download(kind: str, frame: pd.DataFrame) -> bytes:
    """The shown table as a spreadsheet, written by the export module (formula-safe)."""
    net = Network(nodes=frame, edges=pd.DataFrame(columns=list(EDGE_REQUIRED)))
    with tempfile.TemporaryDirectory() as tmp:
        if kind == "csv":
            paths = export_csv(net, tmp, stem="stakeholders")
            return Path(paths[0]).read_bytes()
        return Path(export_xlsx(net, tmp, stem="stakeholders")).read_bytes()


d1, d2, _rest = st.columns([1, 1, 4])
d1.download_button(
    _("Download CSV"),
    lambda: _download("csv", shown),
    "stakeholders.csv",
    "text/csv",
    key="tbl_csv",
)
d2.download_button(
    _("Download XLSX"),
    lambda: _download("xlsx", shown),
    "stakeholders.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="tbl_xlsx",
)

st.divider()
pick = widgets.pick_stakeholder(_("Open a stakeholder"), shown, key="tbl_open", order_by=None)
if pick and st.button(_("Open its page"), key="tbl_open_btn"):
    widgets.open_stakeholder(pick)
