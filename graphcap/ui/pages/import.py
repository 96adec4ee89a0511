"""Import page: bring a CRM/ERP export into the graph.

Two ways in. *Graph files*: upload CSV files (nodes.csv, edges.csv, interactions.csv, or a zip of
them), an Excel workbook, GraphML or GEXF, optionally with a mapping file. *Raw exports*: upload
the raw files (masters, orders, activities, ...), say which is which and how transactions become
relationships (:mod:`graphcap.ui.recipe_wizard`); the page builds a recipe, shows the resulting
network's counts and problems, and offers the recipe for download (the same file
``graphcap import recipe.yaml`` runs). Either way: every problem row by row; confirm; watch the
progress; read the summary. Instead of adding to the stored network, the checked files can
replace it (:mod:`graphcap.ui.replace`: confirmation, snapshot first, as ``import --replace``). Validation works without a database; importing needs Neo4j and is
all-or-nothing (see graphcap.store.importer).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from graphcap.errors import GraphcapError, ValidationError
from graphcap.i18n import gettext as _
from graphcap.i18n import ngettext
from graphcap.ui import datasource, state
from graphcap.ui.lang import num, table
from graphcap.ui.recipe_wizard import render_wizard
from graphcap.ui.replace import render_replace
from loaders import load_path, supported_suffixes
from loaders.uploads import save_upload

st.title(_("Import"))
conn = datasource.connection()
if not conn.has_neo4j:
    st.warning(
        _("Importing needs Neo4j; you can still check a file here.")
        + " "
        + datasource.neo4j_help(),
        icon=":material/database:",
    )

suffixes = [s.lstrip(".") for s in supported_suffixes()]

graph_tab, raw_tab = st.tabs([_("Graph files"), _("Raw exports (build a recipe)")])
graph_tab.markdown(_("nodes, edges and interactions as graphcap reads them (docs/INPUT.md)"))
files = graph_tab.file_uploader(
    _(
        "Data files: nodes.csv + edges.csv (+ interactions.csv), a .zip of them, .xlsx, "
        ".graphml or .gexf"
    ),
    type=suffixes,
    accept_multiple_files=True,
    key="imp_files",
)
mapping_file = graph_tab.file_uploader(
    _("Mapping file (optional, YAML or TOML) for CRM/ERP column names and type values"),
    type=["yaml", "yml", "toml"],
    key="imp_mapping",
)
lenient = graph_tab.checkbox(
    _("Lenient: import the valid rows and report the others"),
    key="imp_lenient",
    help=_("Without it, any problem stops the import and nothing is written."),
)


def _save(upload, folder: Path, k: int) -> Path:  # type: ignore[no-untyped-def]
    """Write an upload under a safe file name (its own name when harmless)."""
    return save_upload(upload.getvalue(), upload.name, folder, fallback=f"upload{k}")


def _problems_frame(problems) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """One row per problem, its reason and severity worded in the session's language now (a
    checked import stays in the session while the user may switch the language)."""
    severity = {"error": _("error"), "warning": _("warning")}
    rows = [{**p.shown_dict(), "severity": severity.get(p.severity, p.severity)} for p in problems]
    return pd.DataFrame(rows, columns=["severity", "file", "sheet", "row", "column", "value", "why"])  # fmt: skip


def show_problems(problems) -> None:  # type: ignore[no-untyped-def]
    """Every problem of a check, one row each (row numbers as written in the file)."""
    table(_problems_frame(problems), decimals={"row": 0}, wide=["why"])


if files and graph_tab.button(_("Check the files"), type="primary", key="imp_check"):
    st.session_state.pop("imp_result", None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = [_save(f, folder, k) for k, f in enumerate(files)]
        mapping = None
        if mapping_file is not None:
            mdir = folder / "_mapping"
            mdir.mkdir()
            mapping = _save(mapping_file, mdir, 0)
        target = folder if len(paths) > 1 else paths[0]
        try:
            st.session_state["imp_result"] = load_path(target, mapping=mapping, lenient=lenient)
            st.session_state["imp_what"] = ", ".join(f.name for f in files)
        except ValidationError as exc:
            st.error(
                ngettext(
                    "{n} problem found; nothing can be imported until it is fixed.",
                    "{n} problems found; nothing can be imported until they are fixed.",
                    len(exc.problems),
                ).format(n=num(len(exc.problems)))
            )
            show_problems(exc.problems)
        except GraphcapError as exc:
            state.show_message(exc)

with raw_tab:
    render_wizard()

result = st.session_state.get("imp_result")
if result is not None:
    net = result.network
    st.success(
        _("Ready: {nodes} stakeholders, {edges} relationships, {log} interactions.").format(
            nodes=num(len(net.nodes)), edges=num(len(net.edges)), log=num(len(net.interactions))
        )
    )
    if result.rejected_rows:
        st.warning(
            ngettext(
                "{n} row left out (lenient mode); see the report below.",
                "{n} rows left out (lenient mode); see the report below.",
                result.rejected_rows,
            ).format(n=num(result.rejected_rows))
        )
    if result.problems:
        st.markdown(_("**Validation report**"))
        show_problems(result.problems)
    with st.expander(_("Preview")):
        table(net.nodes.head(50))
        table(net.edges.head(50))
    if st.button(_("Import into Neo4j"), type="primary", disabled=not conn.has_neo4j, key="imp_go"):
        bar = st.progress(0.0, text=_("Importing …"))

        def progress(done: int, total: int) -> None:
            bar.progress(
                min(done / total, 1.0) if total else 1.0,
                text=_("Importing … {done} / {total}").format(done=num(done), total=num(total)),
            )

        try:
            summary = conn.source.import_network(net, progress=progress)  # type: ignore[attr-defined]
        except GraphcapError as exc:
            bar.empty()
            state.show_message(exc)
        else:
            bar.progress(1.0, text=_("Done"))
            rows = [
                {"kind": kind, **counts}
                for kind, counts in summary.as_dict().items()
                if kind != "seconds"
            ]
            st.success(
                _("Imported in {seconds} s.").format(seconds=num(summary.as_dict()["seconds"], 1))
            )
            table(pd.DataFrame(rows))
            st.session_state.pop("imp_result", None)
            st.caption(_("The other pages now show the new data (the data version changed)."))
    if st.session_state.get("imp_result") is not None:
        render_replace(conn, net, what=st.session_state.get("imp_what") or "recipe.yaml")
