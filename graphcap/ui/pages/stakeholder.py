"""Stakeholder page: everything about one stakeholder.

Its properties; its metrics with the percentile among all stakeholders; its relationships with
their strength and how that strength is made up; the history of interactions; what the
organisation would lose without it (what-if removal); and the warm-introduction path from the
organisation to it (the strongest chain of relationships).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graphcap.errors import GraphcapError
from graphcap.i18n import gettext as _
from graphcap.i18n import ngettext
from graphcap.ui import charts, datasource, editing, page_start, scale, state, widgets
from graphcap.ui.labels import column_label, direction_label, strength_label, vocabulary_label
from graphcap.ui.lang import num, pct, stamp, table

if state.at_scale(datasource.connection()):  # too large to analyse here: stored metrics
    scale.stakeholder_page()
    st.stop()

conn, view = page_start.open_page(_("Stakeholder"))
nodes, edges = view.nodes, view.edges
labels = widgets.stakeholder_labels(nodes)

sid = widgets.pick_stakeholder(
    _("Stakeholder"),
    nodes,
    key="sh_pick",
    default=widgets.requested_stakeholder("id"),
    order_by="value",
)
if sid is None:
    st.stop()
st.query_params["id"] = sid
me = nodes[nodes["id"] == sid].iloc[0]
state.show_text(me["name"], tag="h2")
state.show_text(
    _("{type} · id {id}").format(type=vocabulary_label(me["type"]), id=sid), caption=True
)
if st.button(_("Show its neighbourhood in the network"), key="sh_net"):
    widgets.open_network_focused(sid)


left, right = st.columns(2)
with left:
    st.subheader(_("Properties"), anchor=False)
    props = {
        k: v for k, v in me.items() if k in view.network.nodes.columns and k != "id" and pd.notna(v)
    }
    table(
        pd.DataFrame(
            {
                "property": [column_label(k) for k in props],
                "value": [vocabulary_label(v) if k == "type" else v for k, v in props.items()],
            }
        )
    )
with right:
    st.subheader(_("Metrics"), anchor=False)
    rows = []
    for col in view.metric_columns():
        values = pd.to_numeric(nodes[col], errors="coerce")
        value = values[nodes["id"] == sid].iloc[0]
        if pd.isna(value):
            continue
        share = float((values.dropna() <= value).mean())
        rows.append({"metric": column_label(col), "value": float(value), "percentile": share})
    table(pd.DataFrame(rows, columns=["metric", "value", "percentile"]), progress={"percentile": 1})
    st.caption(_("percentile: share of stakeholders with this value or lower"))

st.subheader(_("Relationships"), anchor=False)
mine = edges[(edges["source"] == sid) | (edges["target"] == sid)].copy()
if mine.empty:
    st.info(_("No relationships recorded."))
else:
    mine["direction"] = [
        direction_label("outgoing" if s == sid else "incoming") for s in mine["source"]
    ]
    mine["other"] = [
        t if s == sid else s for s, t in zip(mine["source"], mine["target"], strict=True)
    ]
    mine["with"] = mine["other"].map(labels)
    shown = ["with", "type", "direction"] + [
        c for c in ("strength", "strength_source", "trust", "commitment", "responsiveness",
                    "mutual_interest", "volume", "last_contact", "contract_until") if c in mine.columns
    ]  # fmt: skip
    mine = mine.sort_values("strength", ascending=False) if "strength" in mine else mine
    if "strength_source" in mine.columns:
        mine["strength_source"] = mine["strength_source"].map(strength_label)
    table(mine[shown], decimals={c: 2 for c in shown if c not in ("volume",)})
    choice = st.selectbox(
        _("Why this strength?"),
        list(range(len(mine))),
        format_func=lambda i: f"{mine.iloc[i]['with']} · {vocabulary_label(mine.iloc[i]['type'])}",
        key="sh_explain",
    )
    row = mine.iloc[int(choice)]
    try:
        parts = view.analysis.explain(int(mine.index[int(choice)]))
        parts["component"] = parts["component"].map(strength_label)
        table(parts, decimals={"value": 2, "weight": 2, "contribution": 3})
        st.caption(
            _(
                "strength {strength} = sum of contributions (value × weight of each component)"
            ).format(strength=num(row.get("strength", float("nan")), 2))
        )
    except GraphcapError as exc:
        state.show_message(exc, kind="warning")

st.subheader(_("Interaction history"), anchor=False)
log = view.network.interactions
log = (
    log[(log["source"].astype(str) == sid) | (log["target"].astype(str) == sid)]
    if len(log)
    else log
)
if len(log):
    st.altair_chart(charts.interactions_chart(log), width="stretch")
    st.caption(
        ngettext(
            "{n} interaction, last on {date}", "{n} interactions, last on {date}", len(log)
        ).format(n=num(len(log)), date=stamp(pd.to_datetime(log["date"]).max().date()))
    )
else:
    st.caption(_("No interactions logged."))

if not mine.empty:
    tools = mine.assign(label=mine["with"])[["source", "type", "target", "other", "label"]]
else:
    tools = pd.DataFrame(columns=["source", "type", "target", "other", "label"])
editing.render_stakeholder_tools(conn, sid, tools)

w1, w2 = st.columns(2)
with w1:
    st.subheader(_("What if we lose it?"), anchor=False)
    if me["type"] == "organization":
        st.caption(_("This is the focal organisation."))
    elif st.button(_("Compute the impact"), key="sh_whatif"):
        try:
            result = view.analysis.what_if([sid])
            a, b, c = st.columns(3)
            a.metric(
                _("Value at risk"),
                num(result.value_at_risk, 0),
                _("{share} of value").format(share=pct(result.value_at_risk_share, 1)),
                delta_color="off",
            )
            b.metric(_("Cut off"), num(len(result.cut_off)))
            c.metric(
                _("RCI"),
                num(result.rci_after, 1),
                ("+" if result.rci_change > 0 else "") + num(result.rci_change, 1),
            )
            for line in result.summary:
                st.text(line)
        except GraphcapError as exc:
            state.show_message(exc)
with w2:
    st.subheader(_("Warm introduction"), anchor=False)
    if me["type"] == "organization":
        st.caption(_("This is the focal organisation."))
    else:
        try:
            intro = view.analysis.warm_introductions(sid, k=5)
            if intro.empty:
                st.warning(_("No path from the organisation reaches this stakeholder."))
            else:
                table(
                    intro[["rank", "strength", "hops", "weakest", "path_text"]],
                    decimals={"rank": 0, "strength": 3, "hops": 0, "weakest": 2},
                    wide=["path_text"],
                )
                st.caption(_("Strength of a path = product of the strengths along it; best first."))
        except GraphcapError as exc:
            state.show_message(exc)
