"""Overview page: the Relational Capital Index and what drives it, at one glance.

RCI with its breakdown by dimension and by stakeholder type, counts and value by type, the
Lorenz curve of value, the top at-risk relationships, and the key players (brokers, single points
of failure), each a click away from its neighbourhood in the network or its own page.
"""

from __future__ import annotations

import streamlit as st

from graphcap.ui import charts, state, widgets

conn, view = state.open_page("Overview")
ana = view.analysis
nodes = view.nodes
labels = widgets.stakeholder_labels(nodes)

rci = ana.rci
conc = ana.concentration
k1, k2, k3, k4, k5 = st.columns(5)
k1.metric(
    "Relational Capital Index", f"{rci.score:.0f} / 100", help="0-100; see the breakdown below"
)
k2.metric("Stakeholders", f"{len(nodes):,}")
k3.metric("Relationships", f"{len(view.edges):,}")
k4.metric(
    "Value from top 20 %",
    f"{conc['pareto_share']:.0%}",
    help="Share of the value that the top fifth of stakeholders (by value) bring",
)
k5.metric("At-risk relationships", f"{len(ana.risks):,}")

left, right = st.columns(2)
with left:
    st.subheader("What the index is made of")
    st.altair_chart(charts.rci_chart(rci.dimensions), width="stretch")
    for note in rci.notes:
        st.caption(state.md_escape(note))
    st.dataframe(
        rci.by_type, hide_index=True, width="stretch",
        column_config={c: st.column_config.NumberColumn(format="%.2f")
                       for c in ("value_share", "strength", "diversification", "brokerage", "health", "score")},
    )  # fmt: skip
with right:
    st.subheader("Value concentration")
    st.altair_chart(charts.lorenz_chart(ana.lorenz), width="stretch")
    st.caption(
        f"Gini {conc['gini']:.2f} · HHI customers {conc['hhi_customers']:.3f} · "
        f"HHI suppliers {conc['hhi_suppliers']:.3f} · value basis: {conc['value_basis']}"
    )

st.subheader("Stakeholders by type")
by_type = ana.value_by_type
t1, t2 = st.columns(2)
t1.altair_chart(charts.type_bars(by_type, "stakeholders", title="stakeholders"), width="stretch")
t2.altair_chart(charts.type_bars(by_type, "value", title="value"), width="stretch")

st.subheader("Top at-risk relationships")
risks = ana.risks.head(8)
if risks.empty:
    st.success("No relationship shows a warning sign.")
for k, row in enumerate(risks.itertuples()):
    with st.container(border=True):
        a, b, c = st.columns([5, 1, 1], vertical_alignment="center")
        state.show_text(row.name, into=a, strong=True)
        a.caption(f"{state.md_escape(row.type)} · score {row.score:.0f}")
        a.caption(state.md_escape(row.reasons_text))
        if b.button("Network", key=f"ov_risk_net_{k}"):
            widgets.open_network_focused(str(row.id))
        if c.button("Detail", key=f"ov_risk_det_{k}"):
            widgets.open_stakeholder(str(row.id))

st.subheader("Key players")
p1, p2 = st.columns(2)
with p1:
    st.markdown("**Brokers** (highest betweenness: they connect parts of the network)")
    if "betweenness" in nodes.columns:
        top = nodes[nodes["type"] != "organization"].nlargest(5, "betweenness")
        widgets.stakeholder_buttons(top["id"].astype(str).tolist(), labels, key="ov_brokers")
with p2:
    st.markdown(
        "**Single points of failure** (articulation points: removing one splits the network)"
    )
    aps = nodes[nodes["is_articulation"].fillna(False).astype(bool)]
    aps = aps[aps["type"] != "organization"]
    if aps.empty:
        st.caption("None: no single stakeholder's loss splits the network.")
    else:
        order = "betweenness" if "betweenness" in aps.columns else "name"
        aps = aps.sort_values(order, ascending=order == "name").head(5)
        widgets.stakeholder_buttons(aps["id"].astype(str).tolist(), labels, key="ov_aps")
