"""Network page: the interactive stakeholder network with filters.

Colour by stakeholder type (or community), size by a chosen metric, edge width by strength, edge
colour and dash by relationship type. Positions come from one layout of the whole network, so a
filter change never moves a stakeholder. Views larger than "Draw at most" (at first
``FIRST_DRAWN_NODES``, at most ``MAX_DRAWN_NODES``) are reduced (top N or one node per group) and
the page says so.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graphcap.errors import GraphcapError
from graphcap.graph.projection import NetworkFilter
from graphcap.i18n import gettext as _
from graphcap.picture.reduce import (
    FIRST_DRAWN_NODES,
    MAX_DRAWN_NODES,
    LargeView,
    aggregate,
    drawing_limits,
    top_n,
)
from graphcap.picture.render import PHYSICS_MAX_NODES, network_payload, render_payload_html
from graphcap.ui import datasource, page_start, scale, state, widgets
from graphcap.ui.labels import column_label
from graphcap.ui.lang import num

if state.at_scale(datasource.connection()):  # too large to analyse here: stored metrics
    scale.network_page()
    st.stop()

conn, view = page_start.open_page(_("Network"), as_of="net_as_of")
past = state.view_time(view)  # None: the current data
nodes, edges = view.nodes, view.edges
# worked out once per data version (and past time) and language for every session
labels = state.memo(conn, f"labels|{past}", lambda: widgets.stakeholder_labels(nodes))

expand = st.query_params.get("expand")
if expand:  # a double-click on a group node of an aggregated view: show that group's members
    del st.query_params["expand"]
    group = str(expand).removeprefix("group:")
    if st.session_state.get("net_big_mode") == LargeView.BY_COMMUNITY.value:
        chosen = [c for c in view.communities() if str(c) == group]
        if chosen:
            st.session_state["net_communities"] = chosen
    elif group in set(nodes["type"].astype(str)):
        st.session_state["net_types"] = [group]
    st.session_state["net_big_mode"] = LargeView.TOP.value

focus = widgets.requested_stakeholder("focus")
if focus is not None and focus not in labels:
    st.warning(_("The stakeholder asked for is not in this network; showing everything."))
    focus = None

metric_cols, default_size = state.memo(
    conn, f"metric_columns|{past}", lambda: (view.metric_columns(), view.default_size)
)

with st.container(border=True):
    c1, c2, c3 = st.columns([2, 2, 1])
    all_types = sorted(nodes["type"].astype(str).unique())
    all_rels = sorted(edges["type"].astype(str).unique())
    types = widgets.type_filter(c1, _("Stakeholder types"), all_types, key="net_types")
    rels = widgets.type_filter(c2, _("Relationship types"), all_rels, key="net_rels")
    min_strength = c3.slider(_("Minimum strength"), 0.0, 1.0, 0.0, 0.05, key="net_min_strength")

    c4, c5, c6, c7 = st.columns([2, 2, 1, 2])
    search = c4.text_input(
        _("Search by name"), key="net_search", placeholder=_("part of a name or id")
    )
    ego = widgets.pick_stakeholder(
        _("Neighbourhood of"),
        nodes,
        key="net_ego",
        default=focus,
        allow_none=True,
        order_by=default_size,
        none_label=_("— whole network —"),
        into=c5,
    )
    radius = c6.select_slider(_("Radius"), [1, 2, 3], value=2 if focus else 1, key="net_radius")
    communities_all = view.communities()
    chosen_comms = c7.multiselect(
        _("Communities"),
        communities_all,
        placeholder=_("Choose options"),
        key="net_communities",
        help=_("Groups found by Louvain community detection; empty = all."),
    )

    window = None
    lo, hi = view.date_range()
    if lo is not None and hi is not None and lo < hi:
        c8, c9 = st.columns([1, 3])
        if c8.toggle(
            _("Time window"), key="net_window_on", help=_("Relationships active in the window")
        ):
            window = c9.slider(
                _("Active between"),
                min_value=lo,
                max_value=hi,
                value=(lo, hi),
                key="net_window",
                format=_("YYYY-MM-DD"),
            )

o1, o2, o3, o5, o4 = st.columns([2, 2, 2, 2, 1])
same_size = _("(same size)")
size_by: str | None = o1.selectbox(
    _("Size by"),
    [None, *metric_cols],
    index=(1 + metric_cols.index(default_size)) if default_size in metric_cols else 0,
    format_func=lambda c: same_size if c is None else column_label(c),
    key="net_size_by",
)
colour_options = ["type"] + (["community"] if "community" in nodes.columns else [])
color_by = o2.selectbox(
    _("Colour by"), colour_options, format_func=column_label, key="net_color_by"
)
big_labels = {
    LargeView.TOP.value: _("Top stakeholders by the size metric"),
    LargeView.BY_TYPE.value: _("One node per stakeholder type"),
    LargeView.BY_COMMUNITY.value: _("One node per community"),
}
big_mode = LargeView(
    o3.selectbox(
        _("When too large to draw"),
        [mode.value for mode in LargeView],
        format_func=lambda v: big_labels.get(v, v),
        key="net_big_mode",
        help=_("Above {n} stakeholders the browser stops being fluid.").format(
            n=num(MAX_DRAWN_NODES)
        ),
    )
)
# The first view draws the few hundred most telling stakeholders (each browser lays out and draws
# every node it is sent); more on request, up to the cap.
limits = drawing_limits(MAX_DRAWN_NODES, FIRST_DRAWN_NODES)
limit = limits[0]
if len(limits) > 1:
    limit = o5.select_slider(
        _("Draw at most"),
        limits,
        value=FIRST_DRAWN_NODES if FIRST_DRAWN_NODES in limits else limits[-1],
        format_func=num,
        key="net_limit",
        help=_(
            "Stakeholders drawn one by one; above this the view is reduced as chosen. More "
            "takes longer to draw, up to {n}."
        ).format(n=num(MAX_DRAWN_NODES)),
    )
physics = o4.toggle(
    _("Physics"),
    key="net_physics",
    help=_("Live layout; only up to {n} stakeholders").format(n=num(PHYSICS_MAX_NODES)),
)

try:
    flt = NetworkFilter(
        node_types=None if set(types) == set(all_types) else types,
        rel_types=None if set(rels) == set(all_rels) else rels,
        min_strength=min_strength or None,
        start=pd.Timestamp(window[0]) if window else None,
        end=pd.Timestamp(window[1]) if window else None,
        communities=chosen_comms or None,
        ego=ego,
        radius=radius,
        search=search or None,
    )
    filtered = state.filtered(conn, flt, past)
except GraphcapError as exc:
    state.show_message(exc)
    st.stop()

shown_nodes, shown_edges = filtered.nodes, filtered.edges
note = None
grouped = False
if len(shown_nodes) > limit:
    if big_mode.group_by is None:
        top_nodes, top_edges = shown_nodes, shown_edges
        shown_nodes, shown_edges, note = state.memo(
            conn,
            f"top|{flt!r}|{size_by}|{limit}|{past}",
            lambda: top_n(
                top_nodes,
                top_edges,
                by=size_by,
                limit=limit,
                keep=tuple(filtered.focal_ids()),
            ),
        )
        if note:  # the same note in the current language
            note = _(
                "Showing the top {kept} of {total} stakeholders by {measure} ({left} left out "
                "to keep the view fluid)."
            ).format(
                kept=num(len(shown_nodes)),
                total=num(len(filtered.nodes)),
                measure=column_label(size_by)
                if size_by in filtered.nodes.columns
                else _("number of relationships"),
                left=num(len(filtered.nodes) - len(shown_nodes)),
            )
            if limit < MAX_DRAWN_NODES:
                note += " " + _("'Draw at most' shows up to {n}.").format(n=num(MAX_DRAWN_NODES))
    else:
        by = big_mode.group_by
        if by not in shown_nodes.columns:
            by = "type"
        shown_nodes, shown_edges = aggregate(shown_nodes, shown_edges, by=by)
        note = _(
            "{n} stakeholders are too many to draw one by one: showing one node per {by} "
            "(size = number of stakeholders). Double-click a group to expand it, or narrow the "
            "filters."
        ).format(n=num(len(filtered.nodes)), by=column_label(by))
        grouped = True
        size_by, color_by = "stakeholders", ("type" if by == "type" else "group")

m1, m2, m3 = st.columns(3)
m1.metric(
    _("Stakeholders in view"),
    num(len(filtered.nodes)),
    help=_("of {n}").format(n=num(len(nodes))),
)
m2.metric(
    _("Relationships in view"),
    num(len(filtered.edges)),
    help=_("of {n}").format(n=num(len(edges))),
)
m3.metric(_("Drawn"), num(len(shown_nodes)))
if note:
    st.info(note)
if shown_nodes.empty:
    st.warning(_("No stakeholder matches these filters."))
    st.stop()


def _html() -> str:
    payload = network_payload(
        (shown_nodes, shown_edges),
        positions=None if grouped else state.layout_of(conn, view),
        color_by=color_by,
        size_by=size_by,
        height=640,
        physics=physics,
        focus=ego,
        highlight=[ego] if ego else [],
        select_hint=_("Double-click to expand the group")
        if grouped
        else _("Double-click to open its page"),
    )
    payload["select_page"] = "network" if grouped else "stakeholder"
    payload["select_param"] = "expand" if grouped else "id"
    return render_payload_html(payload, page_title=_("Stakeholder network"), theme=active_theme)


active_theme = page_start.theme()
drawing_key = (
    f"{flt!r}|{size_by}|{color_by}|{big_mode.name}|{physics}|{limit}|{active_theme}"
    f"|{_('Stakeholder network')}|{past}"
)
st.iframe(state.memo(conn, drawing_key, _html), height=700)

with st.expander(_("Open a stakeholder of this view"), expanded=bool(ego)):
    pick = widgets.pick_stakeholder(
        _("Stakeholder"),
        shown_nodes[~shown_nodes["id"].astype(str).str.startswith("group:")]
        if "group" in shown_nodes.columns
        else shown_nodes,
        key="net_open",
        default=ego,
        order_by=size_by,
    )
    if pick and st.button(_("Open its page"), key="net_open_btn"):
        widgets.open_stakeholder(pick)
