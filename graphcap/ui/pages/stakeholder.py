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
from graphcap.picture.render import format_value
from graphcap.ui import charts, editing, state, widgets

conn, view = state.open_page("Stakeholder")
nodes, edges = view.nodes, view.edges
labels = widgets.stakeholder_labels(nodes)

sid = widgets.pick_stakeholder(
    "Stakeholder",
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
state.show_text(f"{me['type']} · id {sid}", caption=True)
if st.button("Show its neighbourhood in the network", key="sh_net"):
    widgets.open_network_focused(sid)

left, right = st.columns(2)
with left:
    st.subheader("Properties", anchor=False)
    props = {
        k: v for k, v in me.items() if k in view.network.nodes.columns and k != "id" and pd.notna(v)
    }
    st.dataframe(
        pd.DataFrame({"property": list(props), "value": [format_value(v) for v in props.values()]}),
        hide_index=True, width="stretch",
    )  # fmt: skip
with right:
    st.subheader("Metrics", anchor=False)
    rows = []
    for col in view.metric_columns():
        values = pd.to_numeric(nodes[col], errors="coerce")
        value = values[nodes["id"] == sid].iloc[0]
        if pd.isna(value):
            continue
        pct = float((values.dropna() <= value).mean())
        rows.append({"metric": col, "value": float(value), "percentile": pct})
    st.dataframe(
        pd.DataFrame(rows, columns=["metric", "value", "percentile"]),
        hide_index=True, width="stretch",
        column_config={
            "value": st.column_config.NumberColumn(format="%.4g"),
            "percentile": st.column_config.ProgressColumn(
                min_value=0.0, max_value=1.0, format="percent",
                help="Share of stakeholders with this value or lower"),
        },
    )  # fmt: skip

st.subheader("Relationships", anchor=False)
mine = edges[(edges["source"] == sid) | (edges["target"] == sid)].copy()
if mine.empty:
    st.info("No relationships recorded.")
else:
    mine["direction"] = ["outgoing" if s == sid else "incoming" for s in mine["source"]]
    mine["other"] = [
        t if s == sid else s for s, t in zip(mine["source"], mine["target"], strict=True)
    ]
    mine["with"] = mine["other"].map(labels)
    shown = ["with", "type", "direction"] + [
        c for c in ("strength", "strength_source", "trust", "commitment", "responsiveness",
                    "mutual_interest", "volume", "last_contact", "contract_until") if c in mine.columns
    ]  # fmt: skip
    mine = mine.sort_values("strength", ascending=False) if "strength" in mine else mine
    st.dataframe(mine[shown], hide_index=True, width="stretch")
    choice = st.selectbox(
        "Why this strength?",
        list(range(len(mine))),
        format_func=lambda i: f"{mine.iloc[i]['with']} · {mine.iloc[i]['type']}",
        key="sh_explain",
    )
    row = mine.iloc[int(choice)]
    try:
        parts = view.analysis.explain(int(mine.index[int(choice)]))
        st.dataframe(parts, hide_index=True, width="stretch")
        st.caption(
            f"strength {float(row.get('strength', float('nan'))):.2f} = sum of contributions "
            "(value × weight of each component)"
        )
    except GraphcapError as exc:
        state.show_message(exc, kind="warning")

st.subheader("Interaction history", anchor=False)
log = view.network.interactions
log = (
    log[(log["source"].astype(str) == sid) | (log["target"].astype(str) == sid)]
    if len(log)
    else log
)
if len(log):
    st.altair_chart(charts.interactions_chart(log), width="stretch")
    st.caption(f"{len(log):,} interactions, last on {pd.to_datetime(log['date']).max():%Y-%m-%d}")
else:
    st.caption("No interactions logged.")

if not mine.empty:
    tools = mine.assign(label=mine["with"])[["source", "type", "target", "other", "label"]]
else:
    tools = pd.DataFrame(columns=["source", "type", "target", "other", "label"])
editing.render_stakeholder_tools(conn, sid, tools)

w1, w2 = st.columns(2)
with w1:
    st.subheader("What if we lose it?", anchor=False)
    if me["type"] == "organization":
        st.caption("This is the focal organisation.")
    elif st.button("Compute the impact", key="sh_whatif"):
        try:
            result = view.analysis.what_if([sid])
            a, b, c = st.columns(3)
            a.metric(
                "Value at risk",
                f"{result.value_at_risk:,.0f}",
                f"{result.value_at_risk_share:.1%} of value",
                delta_color="off",
            )
            b.metric("Cut off", f"{len(result.cut_off):,}")
            c.metric("RCI", f"{result.rci_after:.1f}", f"{result.rci_change:+.1f}")
            for line in result.summary:
                st.text(line)
        except GraphcapError as exc:
            state.show_message(exc)
with w2:
    st.subheader("Warm introduction", anchor=False)
    if me["type"] == "organization":
        st.caption("This is the focal organisation.")
    else:
        try:
            intro = view.analysis.warm_introductions(sid, k=5)
            if intro.empty:
                st.warning("No path from the organisation reaches this stakeholder.")
            else:
                st.dataframe(
                    intro[["rank", "strength", "hops", "weakest", "path_text"]],
                    hide_index=True, width="stretch",
                    column_config={"strength": st.column_config.NumberColumn(format="%.3f"),
                                   "weakest": st.column_config.NumberColumn(format="%.2f")},
                )  # fmt: skip
                st.caption("Strength of a path = product of the strengths along it; best first.")
        except GraphcapError as exc:
            state.show_message(exc)
