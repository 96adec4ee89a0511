"""The shared sidebar: who is logged in, which source is connected, its counts, which metrics
engine computed what, how to get Neo4j, and "Reconnect".
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from graphcap.config import load_project_config
from graphcap.errors import GraphcapError
from graphcap.i18n import current_language, use_language
from graphcap.i18n import gettext as _
from graphcap.store import gds
from graphcap.ui import login
from graphcap.ui.datasource import SOURCE_TTL_S, Connection, neo4j_help, neo4j_problem, source_text
from graphcap.ui.labels import role_label
from graphcap.ui.lang import num
from graphcap.ui.plaintext import md_escape, show_text
from graphcap.ui.state import _NO_GDS, _version_key, at_scale, forget, get_analysis

__all__ = ["render_sidebar"]


@st.cache_resource(ttl=SOURCE_TTL_S, show_spinner=False)
def _gds_problem_in(_conn: Connection, key: str, lang: str) -> str | None:
    """Why GDS cannot be used, worded in ``lang`` (the cached analysis holds the wording of the
    session that computed it); ``None`` when GDS answers (then that wording stays)."""
    with use_language(lang):
        try:
            gds.gds_version(_conn.source)
        except GraphcapError as exc:
            return str(exc)
    return None


def _engine_caption(conn: Connection) -> None:
    """Which metrics engine computed what (``metrics.engine``), and why not GDS when asked."""
    try:
        engine = load_project_config().metrics_engine
    except GraphcapError as exc:
        st.sidebar.error(str(exc))
        return
    if engine == "local":
        st.sidebar.caption(_("Metrics engine: local"))
        return
    if at_scale(conn):  # no analysis in the app (graphcap.ui.scale shows the stored one)
        st.sidebar.caption(_("Metrics engine: {engine}").format(engine=engine))
        return
    try:
        analysis = get_analysis(conn)
    except GraphcapError as exc:
        st.sidebar.error(str(exc))
        return
    st.sidebar.caption(
        _("Metrics engine: {engine}").format(engine=md_escape(analysis.engine_summary()))
    )
    problem = analysis.params.get("engine_problem")
    if problem == _NO_GDS:
        problem = _("the embedded snapshot has no Graph Data Science")
    elif problem and analysis.params.get("engine_problem_language") != current_language():
        # worded for the session that computed the shared analysis: word it for this one
        problem = _gds_problem_in(conn, _version_key(conn), current_language()) or problem
    if problem:
        st.sidebar.warning(
            _("Metrics engine gds is not available, computed locally: {problem}").format(
                problem=md_escape(problem)
            ),
            icon=":material/info:",
        )


def render_sidebar(conn: Connection, session: Any = None) -> None:
    """The shared sidebar: who is logged in, which source is connected, its counts, and how to
    get Neo4j."""
    side = st.sidebar
    if session is not None:
        if session.open:
            side.caption(login.open_note())
        else:
            show_text(  # a user name from an identity provider is an e-mail: no mailto link
                _("Logged in as {user} ({role})").format(
                    user=session.user, role=role_label(session.role.name)
                ),
                into=side,
                caption=True,
            )
            if side.button(_("Log out"), key="gc_logout"):
                login.logout()
    if conn.has_neo4j:
        side.success(_("Connected to Neo4j"), icon=":material/database:")
    else:
        side.info(_("Embedded snapshot (no Neo4j)"), icon=":material/inventory_2:")
    side.caption(md_escape(source_text(conn)))
    try:
        counts = conn.source.counts()
        nodes, edges = sum(counts["nodes"].values()), sum(counts["edges"].values())
        side.caption(
            _("{nodes} stakeholders · {edges} relationships").format(
                nodes=num(nodes), edges=num(edges)
            )
        )
    except GraphcapError as exc:
        side.error(str(exc))
    if not conn.has_neo4j:
        side.warning(neo4j_help(), icon=":material/info:")
        if conn.neo4j_problem:
            side.caption(_("Why not Neo4j: {problem}").format(problem=neo4j_problem(conn)))
    _engine_caption(conn)
    if side.button(
        _("Reconnect"),
        key="gc_reconnect",
        help=_("Forget the cached connection and the cached data"),
    ):
        forget()
        st.rerun()
