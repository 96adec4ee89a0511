"""Export page: files for reports and tools, snapshots over time, what changed, trends.

Tabs:

- **Export** — the current network (whole, or narrowed to some stakeholder types and a minimum
  strength) or a stored snapshot, as HTML, PNG, SVG, PDF report, GraphML, GEXF, CSV, XLSX, JSON;
  files are prepared on the server and offered as downloads (CSV as one zip).
- **Snapshots** — create a snapshot of the current network (metrics and provenance included),
  list them, and open any one read-only: its figures and its network picture.
- **Compare** — the diff of two snapshots: RCI change and its drivers, relationships gained and
  lost, strength changes beyond a threshold, community and quadrant moves.
- **Trends** — RCI and value-weighted strength per stakeholder type over the snapshots, and
  from the interaction log (the network as it stood at each quarter end).

All logic lives in :mod:`graphcap.history` and :mod:`graphcap.export`; this page only calls them.
Entry point for ``app.py``: the file itself (``st.Page("graphcap/ui/pages/export.py")``), which
calls :func:`render`.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from graphcap.analysis import analyze
from graphcap.config import load_project_config
from graphcap.errors import GraphcapError
from graphcap.export.bundle import as_content, export_files
from graphcap.export.html import render_html
from graphcap.files import safe_filename
from graphcap.graph.projection import NetworkFilter
from graphcap.history import (
    create_snapshot,
    diff_snapshots,
    filter_description,
    list_snapshots,
    load_content,
    network_hash,
    previous_snapshot,
    snapshots_dir,
    stored_analysis,
    trend_from_interactions,
    trend_from_snapshots,
)
from graphcap.ui import state

FORMAT_HELP = {
    "pdf": "PDF report (RCI, network, key players, risks, concentration, changes)",
    "html": "interactive HTML page (offline, one file)",
    "png": "network picture, print resolution",
    "svg": "network picture, vector",
    "xlsx": "Excel workbook: nodes, edges, metrics, risks",
    "csv": "CSV files (zip): nodes, edges, metrics, risks",
    "graphml": "GraphML for yEd, Cytoscape, igraph",
    "gexf": "GEXF for Gephi (colours, sizes, positions)",
    "json": "node-link JSON",
}
MIME = {
    "pdf": "application/pdf",
    "html": "text/html",
    "png": "image/png",
    "svg": "image/svg+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "graphml": "application/xml",
    "gexf": "application/xml",
    "json": "application/json",
    "csv": "application/zip",
}


def _snapshot_options() -> list[Any]:

    return [i for i in list_snapshots() if i.problem is None]


def _prepare(
    formats: list[str],
    network: Any,
    analysis: Any,
    name: str,
    provenance: dict[str, Any],
    diff: Any,
    previous: str | None,
    positions: Any = None,
) -> list[tuple[str, str, bytes]]:
    """Write the files into a temporary folder and return (format, file name, bytes)."""

    out = []
    with tempfile.TemporaryDirectory(prefix="graphcap-export-") as tmp:
        done = export_files(
            formats,
            network,
            analysis,
            Path(tmp),
            safe_filename(name),
            title=name,
            provenance=provenance,
            diff=diff,
            previous_name=previous,
            positions=positions,
        )
        for fmt, paths, _ in done:
            if fmt == "csv":
                buf = io.BytesIO()
                with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                    for p in paths:
                        zf.write(p, f"{p.parent.name}/{p.name}")
                out.append((fmt, f"{paths[0].parent.name}.zip", buf.getvalue()))
            else:
                out.extend((fmt, p.name, p.read_bytes()) for p in paths)
    return out


def _export_tab(conn: Any, view: Any) -> None:

    snaps = _snapshot_options()
    what = st.radio(
        "Export",
        ["Current network", "A stored snapshot"],
        horizontal=True,
        key="ex_what",
        disabled=not snaps,
        help=None if snaps else "No snapshots yet: create one in the next tab.",
    )
    diff = previous = None
    if what == "A stored snapshot" and snaps:
        info = st.selectbox("Snapshot", snaps[::-1], format_func=lambda i: i.label(), key="ex_snap")
        content = load_content(info)
        network, analysis, provenance = content.network, stored_analysis(content), content.meta
        prev = previous_snapshot(info)
        default_name = info.name
        if prev is not None:
            diff, previous = diff_snapshots(prev, content), prev.name
    else:
        types = sorted(view.nodes["type"].astype(str).unique())
        c1, c2 = st.columns([2, 1])
        chosen = c1.multiselect("Stakeholder types", types, default=types, key="ex_types")
        min_s = c2.slider("Minimum strength", 0.0, 1.0, 0.0, 0.05, key="ex_min")
        flt = NetworkFilter(
            node_types=sorted({*chosen, "organization"}) if set(chosen) != set(types) else None,
            min_strength=min_s or None,
        )
        network = view.network
        if not flt.is_empty:  # the app's filter (derived strength), the original columns
            f = state.filtered(conn, flt)
            network = type(network)(
                nodes=f.nodes[list(view.network.nodes.columns)],
                edges=f.edges[list(view.network.edges.columns)],
                interactions=f.interactions,
                meta=dict(view.network.meta),
            )
        analysis = state.get_analysis(conn) if flt.is_empty else _analyze(network)
        provenance = {
            "source": conn.description,
            "source_hash": network_hash(network),
            "filters": filter_description(flt),
            "as_of": str(analysis.params.get("as_of", "")),
        }
        default_name = "Relational capital"
        if snaps:
            diff, previous = (
                diff_snapshots(snaps[-1], as_content(network, analysis)),
                snaps[-1].name,
            )
    st.caption(f"{len(network.nodes):,} stakeholders · {len(network.edges):,} relationships")
    name = st.text_input("Title and file name", default_name, key="ex_name", max_chars=120)
    formats = st.multiselect(
        "Formats",
        list(FORMAT_HELP),
        default=["pdf", "xlsx"],
        format_func=lambda f: f"{f.upper()} — {FORMAT_HELP[f]}",
        key="ex_formats",
    )
    if st.button("Prepare files", type="primary", disabled=not formats, key="ex_go"):
        try:
            with st.spinner("Preparing …"):
                st.session_state["ex_files"] = _prepare(
                    formats,
                    network,
                    analysis,
                    name,
                    dict(provenance),
                    diff,
                    previous,
                    positions=view.positions,
                )
        except GraphcapError as exc:
            state.show_message(exc)
    for k, (fmt, fname, data) in enumerate(st.session_state.get("ex_files", [])):
        st.download_button(
            f"Download {fname} ({len(data) / 1024:,.0f} KB)",
            data,
            file_name=fname,
            mime=MIME.get(fmt),
            key=f"ex_dl_{k}",
        )


@st.cache_data(max_entries=8, show_spinner="Computing metrics for the view …")
def _analyze_cached(_network: Any, key: str) -> Any:

    return analyze(_network, config=load_project_config())


def _analyze(network: Any) -> Any:

    return _analyze_cached(network, network_hash(network))


def _snapshots_tab(conn: Any, view: Any) -> None:

    with st.form("sn_create", clear_on_submit=True):
        st.markdown(
            "**New snapshot of the whole current network** (metrics and provenance included)"
        )
        name = st.text_input("Name", placeholder="e.g. 2025 Q4 board", max_chars=120)
        if st.form_submit_button("Create snapshot", type="primary"):
            try:
                info = create_snapshot(
                    view.network,
                    name=name or None,
                    analysis=state.get_analysis(conn),
                    source=conn.description,
                )
                st.success(f"Created {info.label()}")
            except GraphcapError as exc:
                state.show_message(exc)
    infos = list_snapshots()
    st.caption(f"Kept as files in {snapshots_dir()} (docs/SNAPSHOTS.md)")
    if not infos:
        st.info("No snapshots yet.")
        return
    table = pd.DataFrame(
        [
            {
                "name": i.name,
                "created": i.created,
                "stakeholders": i.counts.get("nodes"),
                "relationships": i.counts.get("edges"),
                "RCI": i.rci,
                "file": i.path.name,
                "problem": i.problem or "",
            }
            for i in infos[::-1]
        ]
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={"RCI": st.column_config.NumberColumn(format="%.1f")},
    )
    readable = [i for i in infos if i.problem is None][::-1]
    if readable:
        pick = st.selectbox(
            "Open read-only", readable, format_func=lambda i: i.label(), key="sn_open"
        )
        _show_snapshot(pick)


def _show_snapshot(info: Any) -> None:

    content = load_content(info)
    ana = stored_analysis(content)
    st.session_state["gc_open_snapshot"] = str(info.path)
    a, b, c = st.columns(3)
    a.metric("RCI", "–" if info.rci is None else f"{info.rci:.1f}")
    b.metric("Stakeholders", f"{len(content.network.nodes):,}")
    c.metric("Relationships", f"{len(content.network.edges):,}")
    meta = content.meta
    st.caption(
        " · ".join(
            str(x)
            for x in (
                f"created {meta.get('created', '?')}",
                f"as of {meta.get('as_of', '?')}",
                f"source {meta.get('source', '?')}",
                f"filters {meta.get('filters') or 'none'}",
                f"graphcap {meta.get('graphcap_version', '?')}",
            )
        )
    )
    st.iframe(render_html(content.network, analysis=ana, title=info.name, height=560), height=600)
    if ana.risks is not None and len(ana.risks):
        cols = [c for c in ("name", "type", "score", "value", "reasons_text") if c in ana.risks]
        st.markdown("**At-risk relationships (stored)**")
        st.dataframe(ana.risks[cols].head(50), hide_index=True, width="stretch")


def _compare_tab() -> None:

    snaps = _snapshot_options()
    if len(snaps) < 2:
        st.info("Comparing needs two snapshots; create them in the Snapshots tab.")
        return
    c1, c2, c3 = st.columns([2, 2, 1])
    before = c1.selectbox(
        "Before", snaps, index=len(snaps) - 2, format_func=lambda i: i.label(), key="cmp_a"
    )
    after = c2.selectbox(
        "After", snaps, index=len(snaps) - 1, format_func=lambda i: i.label(), key="cmp_b"
    )
    threshold = c3.number_input("Strength change ≥", 0.0, 1.0, 0.1, 0.05, key="cmp_t")
    d = diff_snapshots(before, after, strength_threshold=threshold)
    m = st.columns(4)
    m[0].metric(
        "RCI",
        "–" if d.rci_after is None else f"{d.rci_after:.1f}",
        None if d.rci_change is None else f"{d.rci_change:+.1f}",
    )
    m[1].metric("Relationships gained", f"{len(d.gained):,}")
    m[2].metric("Relationships lost", f"{len(d.lost):,}")
    m[3].metric("Strength changes", f"{len(d.strength_changes):,}")
    for line in d.summary():
        st.text(line)
    for title, frame in d.frames().items():
        with st.expander(f"{title.replace('_', ' ')} ({len(frame):,})", expanded=False):
            st.dataframe(frame, hide_index=True, width="stretch")


def _trends_tab(conn: Any, view: Any) -> None:

    st.markdown("**Over the snapshots**")
    trend = trend_from_snapshots(list_snapshots())
    if trend.empty:
        st.info("No snapshots yet.")
    else:
        overall = trend[trend["type"] == "all"].set_index("created")
        st.line_chart(overall[["rci"]], y_label="RCI")
        by_type = trend.pivot_table(index="created", columns="type", values="strength")
        st.line_chart(by_type, y_label="value-weighted strength")
    st.markdown("**From the interaction log** (the network at each quarter end; takes a while)")
    periods = st.slider("Quarters", 2, 12, 6, key="tr_periods")
    if st.button("Compute", key="tr_go"):
        with st.spinner("Analysing the network at each quarter end …"):
            st.session_state["tr_log"] = trend_from_interactions(view.network, periods=periods)
    log = st.session_state.get("tr_log")
    if log is not None and not log.empty:
        st.line_chart(log[log["type"] == "all"].set_index("created")[["rci"]], y_label="RCI")
        st.line_chart(
            log.pivot_table(index="created", columns="type", values="strength"),
            y_label="value-weighted strength",
        )


def render() -> None:
    """The Export page (see the module doc)."""
    conn, view = state.open_page("Export and snapshots")
    tabs = st.tabs(["Export", "Snapshots", "Compare", "Trends"])
    try:
        with tabs[0]:
            _export_tab(conn, view)
        with tabs[1]:
            _snapshots_tab(conn, view)
        with tabs[2]:
            _compare_tab()
        with tabs[3]:
            _trends_tab(conn, view)
    except GraphcapError as exc:
        state.show_message(exc)


render()
