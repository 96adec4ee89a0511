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
from graphcap.i18n import gettext as _
from graphcap.ui import page_start, state, widgets
from graphcap.ui.lang import num, table


def format_help() -> dict[str, str]:
    """What each export format holds, in the current language."""
    return {
        "pdf": _("PDF report (RCI, network, key players, risks, concentration, changes)"),
        "html": _("interactive HTML page (offline, one file)"),
        "png": _("network picture, print resolution"),
        "svg": _("network picture, vector"),
        "xlsx": _("Excel workbook: nodes, edges, metrics, risks"),
        "csv": _("CSV files (zip): nodes, edges, metrics, risks"),
        "graphml": _("GraphML for yEd, Cytoscape, igraph"),
        "gexf": _("GEXF for Gephi (colours, sizes, positions)"),
        "json": _("node-link JSON"),
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
        for fmt, paths, _info in done:
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
    sources = {"Current network": _("Current network"), "A stored snapshot": _("A stored snapshot")}
    what = st.radio(
        _("Export"),
        list(sources),
        format_func=sources.__getitem__,
        horizontal=True,
        key="ex_what",
        disabled=not snaps,
        help=None if snaps else _("No snapshots yet: create one in the next tab."),
    )
    diff = previous = None
    if what == "A stored snapshot" and snaps:
        info = st.selectbox(
            _("Snapshot"), snaps[::-1], format_func=lambda i: i.label(), key="ex_snap"
        )
        content = load_content(info)
        network, analysis, provenance = content.network, stored_analysis(content), content.meta
        prev = previous_snapshot(info)
        default_name = info.name
        if prev is not None:
            diff, previous = diff_snapshots(prev, content), prev.name
    else:
        types = sorted(view.nodes["type"].astype(str).unique())
        c1, c2 = st.columns([2, 1])
        chosen = widgets.type_filter(c1, _("Stakeholder types"), types, key="ex_types")
        min_s = c2.slider(_("Minimum strength"), 0.0, 1.0, 0.0, 0.05, key="ex_min")
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
        default_name = _("Relational capital")
        if snaps:
            diff, previous = (
                diff_snapshots(snaps[-1], as_content(network, analysis)),
                snaps[-1].name,
            )
    st.caption(
        _("{nodes} stakeholders · {edges} relationships").format(
            nodes=num(len(network.nodes)), edges=num(len(network.edges))
        )
    )
    name = st.text_input(_("Title and file name"), default_name, key="ex_name", max_chars=120)
    helps = format_help()
    formats = st.multiselect(
        _("Formats"),
        list(helps),
        default=["pdf", "xlsx"],
        format_func=lambda f: f"{f.upper()} — {helps[f]}",
        placeholder=_("Choose options"),
        key="ex_formats",
    )
    if st.button(_("Prepare files"), type="primary", disabled=not formats, key="ex_go"):
        try:
            with st.spinner(_("Preparing …")):
                st.session_state["ex_files"] = _prepare(
                    formats,
                    network,
                    analysis,
                    name,
                    dict(provenance),
                    diff,
                    previous,
                    positions=state.get_layout(conn),
                )
        except GraphcapError as exc:
            state.show_message(exc)
    for k, (fmt, fname, data) in enumerate(st.session_state.get("ex_files", [])):
        st.download_button(
            _("Download {file} ({size} KB)").format(file=fname, size=num(len(data) / 1024, 0)),
            data,
            file_name=fname,
            mime=MIME.get(fmt),
            key=f"ex_dl_{k}",
        )


@st.cache_data(max_entries=8, show_spinner=False)
def _analyze_cached(_network: Any, key: str) -> Any:

    return analyze(_network, config=load_project_config())


def _analyze(network: Any) -> Any:

    with st.spinner(_("Computing metrics for the view …")):
        return _analyze_cached(network, network_hash(network))


def _snapshots_tab(conn: Any, view: Any) -> None:

    with st.form("sn_create", clear_on_submit=True):
        st.markdown(
            _("**New snapshot of the whole current network** (metrics and provenance included)")
        )
        name = st.text_input(_("Name"), placeholder=_("e.g. 2025 Q4 board"), max_chars=120)
        if st.form_submit_button(_("Create snapshot"), type="primary"):
            try:
                info = create_snapshot(
                    view.network,
                    name=name or None,
                    analysis=state.get_analysis(conn),
                    source=conn.description,
                )
                st.success(_("Created {snapshot}").format(snapshot=info.label()))
            except GraphcapError as exc:
                state.show_message(exc)
    infos = list_snapshots()
    st.caption(_("Kept as files in {folder} (docs/SNAPSHOTS.md)").format(folder=snapshots_dir()))
    if not infos:
        st.info(_("No snapshots yet."))
        return
    listing = pd.DataFrame(
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
    table(listing, decimals={"RCI": 1, "stakeholders": 0, "relationships": 0})
    readable = [i for i in infos if i.problem is None][::-1]
    if readable:
        pick = st.selectbox(
            _("Open read-only"), readable, format_func=lambda i: i.label(), key="sn_open"
        )
        _show_snapshot(pick)


def _show_snapshot(info: Any) -> None:

    content = load_content(info)
    ana = stored_analysis(content)
    st.session_state["gc_open_snapshot"] = str(info.path)
    a, b, c = st.columns(3)
    a.metric(_("RCI"), num(info.rci, 1))
    b.metric(_("Stakeholders"), num(len(content.network.nodes)))
    c.metric(_("Relationships"), num(len(content.network.edges)))
    meta = content.meta
    st.caption(
        _(
            "created {created} · as of {as_of} · source {source} · filters {filters} · "
            "graphcap {version}"
        ).format(
            created=meta.get("created", "?"),
            as_of=meta.get("as_of", "?"),
            source=meta.get("source", "?"),
            filters=meta.get("filters") or _("none"),
            version=meta.get("graphcap_version", "?"),
        )
    )
    st.iframe(render_html(content.network, analysis=ana, title=info.name, height=560), height=600)
    if ana.risks is not None and len(ana.risks):
        cols = [c for c in ("name", "type", "score", "value", "reasons_text") if c in ana.risks]
        st.markdown(_("**At-risk relationships (stored)**"))
        table(ana.risks[cols].head(50), decimals={"score": 0, "value": 0}, wide=["reasons_text"])


def _compare_tab() -> None:

    snaps = _snapshot_options()
    if len(snaps) < 2:
        st.info(_("Comparing needs two snapshots; create them in the Snapshots tab."))
        return
    c1, c2, c3 = st.columns([2, 2, 1])
    before = c1.selectbox(
        _("Before"), snaps, index=len(snaps) - 2, format_func=lambda i: i.label(), key="cmp_a"
    )
    after = c2.selectbox(
        _("After"), snaps, index=len(snaps) - 1, format_func=lambda i: i.label(), key="cmp_b"
    )
    threshold = c3.number_input(_("Strength change ≥"), 0.0, 1.0, 0.1, 0.05, key="cmp_t")
    d = diff_snapshots(before, after, strength_threshold=threshold)
    m = st.columns(4)
    m[0].metric(
        _("RCI"),
        num(d.rci_after, 1),
        None if d.rci_change is None else ("+" if d.rci_change > 0 else "") + num(d.rci_change, 1),
    )
    m[1].metric(_("Relationships gained"), num(len(d.gained)))
    m[2].metric(_("Relationships lost"), num(len(d.lost)))
    m[3].metric(_("Strength changes"), num(len(d.strength_changes)))
    for line in d.summary():
        st.text(line)
    titles = {
        "stakeholders_added": _("stakeholders added"),
        "stakeholders_removed": _("stakeholders removed"),
        "relationships_gained": _("relationships gained"),
        "relationships_lost": _("relationships lost"),
        "strength_changes": _("strength changes"),
        "community_changes": _("community changes"),
        "quadrant_changes": _("quadrant changes"),
        "rci_drivers": _("RCI drivers"),
        "rci_by_type": _("RCI by stakeholder type"),
    }
    for title, frame in d.frames().items():
        label = titles.get(title, title.replace("_", " "))
        with st.expander(f"{label} ({num(len(frame))})", expanded=False):
            table(frame)


def _trends_tab(conn: Any, view: Any) -> None:

    st.markdown(_("**Over the snapshots**"))
    trend = trend_from_snapshots(list_snapshots())
    if trend.empty:
        st.info(_("No snapshots yet."))
    else:
        overall = trend[trend["type"] == "all"].set_index("created")
        st.line_chart(overall[["rci"]], x_label=_("created"), y_label=_("RCI"))
        by_type = trend.pivot_table(index="created", columns="type", values="strength")
        st.line_chart(by_type, x_label=_("created"), y_label=_("value-weighted strength"))
    st.markdown(_("**From the interaction log** (the network at each quarter end; takes a while)"))
    periods = st.slider(_("Quarters"), 2, 12, 6, key="tr_periods")
    if st.button(_("Compute"), key="tr_go"):
        with st.spinner(_("Analysing the network at each quarter end …")):
            st.session_state["tr_log"] = trend_from_interactions(view.network, periods=periods)
    log = st.session_state.get("tr_log")
    if log is not None and not log.empty:
        st.line_chart(
            log[log["type"] == "all"].set_index("created")[["rci"]],
            x_label=_("created"),
            y_label=_("RCI"),
        )
        st.line_chart(
            log.pivot_table(index="created", columns="type", values="strength"),
            x_label=_("created"),
            y_label=_("value-weighted strength"),
        )


def render() -> None:
    """The Export page (see the module doc)."""
    conn, view = page_start.open_page(_("Export and snapshots"))
    tabs = st.tabs([_("Export"), _("Snapshots"), _("Compare"), _("Trends")])
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
