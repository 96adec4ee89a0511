"""Cypher console page: ask the graph anything, read-only.

Pick a question from the query library and fill in its parameters, or write Cypher freely.
Every query goes through :mod:`graphcap.console` (statement check, plan check, read
transaction with a time limit and a row cap). Results show as a table (download CSV, XLSX, JSON)
and, when they hold nodes or relationships, as a network drawn with the Network page's renderer.
A refused query shows why; Neo4j's own errors show as Neo4j reports them, with the position.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import streamlit as st

from graphcap.config import load_project_config
from graphcap.config.limits import Limits
from graphcap.console import library, output, policy
from graphcap.errors import GraphcapError, MetricsMissing, QueryLimitHit, QueryRefused
from graphcap.i18n import gettext as _
from graphcap.i18n import ngettext
from graphcap.picture.render import render_network_html
from graphcap.ui import datasource, page_start, plaintext
from graphcap.ui.lang import num

st.title(_("Cypher console"))
conn = datasource.connection()
try:
    config = load_project_config()
except GraphcapError as exc:
    st.error(_("The project config is wrong: {problem}").format(problem=exc))
    st.stop()
limits = config.limits
defaults = Limits()
st.caption(
    _(
        "Read-only: queries that write, administer, load files or call unlisted procedures are "
        "refused. Time limit **{timeout} s** (default {default_timeout} s, setting "
        "`query_timeout_s` / `GRAPHCAP_QUERY_TIMEOUT_S`), row cap **{rows}** (default "
        "{default_rows}, setting `max_rows` / `GRAPHCAP_MAX_ROWS`)."
    ).format(
        timeout=num(limits.query_timeout_s),
        default_timeout=num(defaults.query_timeout_s),
        rows=num(limits.max_rows),
        default_rows=num(defaults.max_rows),
    )
)

if not conn.has_neo4j:
    st.warning(
        _(
            "The Cypher console needs Neo4j, and none is connected. Start the local one with "
            "`graphcap neo4j start` (Java 17+ and Maven), or set `NEO4J_URI` and "
            "`NEO4J_PASSWORD` for another server, then press Reconnect in the sidebar. The "
            "library's queries below can still be read and copied into cypher-shell or Neo4j "
            "Browser."
        ),
        icon=":material/info:",
    )
    if conn.neo4j_problem:
        st.caption(_("Why not Neo4j: {problem}").format(problem=datasource.neo4j_problem(conn)))


def _param_widget(query: library.Query, p: library.Param) -> Any:
    """One form field per declared parameter; returns the value in its declared type."""
    key = f"cq_{query.name}_{p.name}"
    label = f"{p.name} ({p.type})"
    helptext = p.shown()
    if p.type == "bool":
        return st.checkbox(label, value=bool(p.default), help=helptext, key=key)
    if p.type == "int" and p.default is not None:
        return int(st.number_input(label, value=int(p.default), step=1, help=helptext, key=key))
    if p.type == "float" and p.default is not None:
        return float(st.number_input(label, value=float(p.default), step=0.05, format="%.4g",
                                     help=helptext, key=key))  # fmt: skip
    if p.type == "date":
        return st.date_input(
            label,
            value=p.default,
            help=helptext + " " + _("(empty: null)"),
            format=_("YYYY-MM-DD"),
            key=key,
        )
    shown = "" if p.default is None else str(p.default)
    text = st.text_input(label, value=shown, help=helptext + " " + _("(empty: null)"), key=key)
    return library.coerce(p.type, text, name=p.name)


def _library_form() -> tuple[str, library.Query, dict[str, Any]] | None:
    queries = {q.name: q for q in library.list_queries()}
    name = st.selectbox(
        _("Question"), list(queries), format_func=lambda n: queries[n].shown("title"), key="cq_pick"
    )
    query = queries[name]
    st.markdown(query.shown("description"))
    st.caption(_("Returns: {what}").format(what=query.shown("returns")))
    with st.expander(_("Cypher of this query (runs unchanged in cypher-shell / Neo4j Browser)")):
        st.code(query.text, language="cypher")
    with st.form(f"cq_form_{name}"):
        values = {}
        try:
            for p in query.params:
                values[p.name] = _param_widget(query, p)
        except GraphcapError as exc:
            st.error(str(exc))
            values = {}
        run = st.form_submit_button(_("Run"), type="primary", disabled=not conn.has_neo4j)
    if not run:
        return None
    return query.shown("title"), query, query.resolve(values)


def _free_form() -> tuple[str, str, dict[str, Any]] | None:
    text = st.text_area(
        _("Cypher (one read-only statement)"), height=180, key="cq_text",
        placeholder="MATCH (c:Customer)-[r:BUYS_FROM]->(o:Organization)\n"
                    "RETURN c.name, r.volume ORDER BY r.volume DESC LIMIT 10",
    )  # fmt: skip
    raw = st.text_area(
        _("Parameters (JSON object, e.g. {example})").format(
            example='{"name": "Alpha", "days": 90}'), value="{}",
        height=68, key="cq_params",
    )  # fmt: skip
    if not st.button(_("Run"), type="primary", key="cq_run", disabled=not conn.has_neo4j):
        return None
    try:
        params = json.loads(raw or "{}")
    except ValueError as exc:
        st.error(_("The parameters are not valid JSON: {problem}").format(problem=exc))
        return None
    if not isinstance(params, dict):
        st.error(
            _("The parameters must be a JSON object: {example}").format(
                example='{"name": value, ...}'
            )
        )
        return None
    return _("Free Cypher"), text, params


def _show(title: str, result: Any) -> None:
    st.subheader(title)
    note = ngettext("{n} row in {seconds} s", "{n} rows in {seconds} s", len(result.rows))
    st.caption(note.format(n=num(len(result.rows)), seconds=num(result.elapsed_s, 2)))
    if result.truncated:
        st.warning(output.truncation_note(result), icon=":material/content_cut:")
    shown = output.table_frame(result.frame, compact=True)
    tab_table, tab_graph = st.tabs([_("Table"), _("Network")])
    with tab_table:
        # the query's own columns and values, as Neo4j returned them (data, not our texts)
        st.dataframe(
            shown, hide_index=True, width="stretch", height=min(38 + 35 * max(len(shown), 1), 560)
        )
        full = output.table_frame(result.frame)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        c1, c2, c3, _rest = st.columns([1, 1, 1, 3])
        c1.download_button(_("Download CSV"), lambda: output.csv_text(full).encode("utf-8-sig"), f"query-{stamp}.csv",
                           "text/csv", key="cq_csv")  # fmt: skip
        c2.download_button(
            _("Download XLSX"),
            lambda: output.xlsx_bytes(full),
            f"query-{stamp}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="cq_xlsx",
        )
        c3.download_button(_("Download JSON"), output.result_json(result).encode("utf-8"),
                           f"query-{stamp}.json", "application/json", key="cq_json")  # fmt: skip
    with tab_graph:
        if result.nodes.empty:
            st.info(_("The result holds no nodes or relationships to draw; return nodes, "
                      "relationships or paths (e.g. RETURN p) to see them as a network."))  # fmt: skip
        else:
            nodes, edges = output.result_network(
                result.nodes, result.relationships, getattr(conn.source, "schema", config.schema)
            )
            st.caption(
                _("{nodes} stakeholders · {edges} relationships in the result").format(
                    nodes=num(len(nodes)), edges=num(len(edges))
                )
            )
            st.iframe(
                render_network_html(
                    (nodes, edges), title=title, height=600, theme=page_start.theme()
                ),
                height=640,
            )


modes = {"Library question": _("Library question"), "Free Cypher": _("Free Cypher")}
mode = st.radio(
    _("Ask"), list(modes), format_func=modes.__getitem__, horizontal=True, key="cq_mode"
)
try:
    request = _library_form() if mode == "Library question" else _free_form()
except GraphcapError as exc:
    st.error(str(exc))
    request = None

if request is not None:
    title, what, params = request
    try:
        with st.spinner(_("Running …")):
            st.session_state["cq_result"] = (title, policy.run_library_query(
                conn.source, what, params, limits=limits) if isinstance(what, library.Query)
                else policy.run_query(conn.source, what, params, limits=limits))  # fmt: skip
    except MetricsMissing as exc:
        st.session_state.pop("cq_result", None)
        st.error(plaintext.md_escape(str(exc)), icon=":material/calculate:")
    except QueryRefused as exc:
        st.session_state.pop("cq_result", None)
        st.error(
            _("Refused: {reason}").format(reason=plaintext.md_escape(exc.reason)),
            icon=":material/block:",
        )
    except QueryLimitHit as exc:
        st.session_state.pop("cq_result", None)
        st.error(
            _("Limit hit ({limit}): {problem}").format(
                limit=exc.limit, problem=plaintext.md_escape(str(exc))
            ),
            icon=":material/timer:",
        )
    except GraphcapError as exc:
        st.session_state.pop("cq_result", None)
        st.error(_("Neo4j reported an error:"), icon=":material/error:")
        st.code(str(exc), language=None)

if "cq_result" in st.session_state:
    _show(*st.session_state["cq_result"])
