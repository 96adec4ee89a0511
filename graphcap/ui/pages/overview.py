"""Overview page: the Relational Capital Index and what drives it, at one glance.

RCI with its breakdown by dimension and by stakeholder type, money by kind (revenue, spend, flow:
never added up), the Lorenz curve of the main kind, the top at-risk relationships, and the key
players read from our side (who matters to us, who is central in the whole network, competitors
as threats, single points of failure other than ourselves), each a click away from its
neighbourhood in the network or its own page.
"""

from __future__ import annotations

import streamlit as st

from graphcap.metrics.value import describe_value
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
    f"{conc['value_basis'].capitalize()} from top 20 %",
    f"{conc['pareto_share']:.0%}",
    help=f"Share of the {conc['value_basis']} that the top fifth of stakeholders bring",
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
                       for c in ("strength", "diversification", "brokerage", "health", "score")},
    )  # fmt: skip
with right:
    st.subheader("Money by kind")
    st.caption(state.md_escape(describe_value(conc)) + " — kinds are never added together.")
    kinds = conc.get("kinds", {})
    if kinds:
        st.dataframe(
            [
                {
                    "kind": k,
                    "total": s["total"],
                    "stakeholders": s["stakeholders"],
                    "top 20 % share": s["pareto_share"],
                    "Gini": s["gini"],
                    "HHI": s["hhi"],
                    "effective number": s["effective_number"],
                }
                for k, s in kinds.items()
            ],
            hide_index=True,
            width="stretch",
            column_config={
                "total": st.column_config.NumberColumn(format="%,.0f"),
                "top 20 % share": st.column_config.NumberColumn(format="percent"),
            },
        )
    st.altair_chart(charts.lorenz_chart(ana.lorenz), width="stretch")
    st.caption(f"Lorenz curve of {conc['value_basis']} · Gini {conc['gini']:.2f}")

st.subheader("Stakeholders by type")
by_type = ana.value_by_type
t1, t2 = st.columns(2)
t1.altair_chart(charts.type_bars(by_type, "stakeholders", title="stakeholders"), width="stretch")
main_kind = conc["value_basis"] if conc["value_basis"] in by_type.columns else "revenue"
t2.altair_chart(charts.type_bars(by_type, main_kind, title=main_kind), width="stretch")

st.subheader("Top at-risk relationships")
risks = ana.risks.head(8)
if risks.empty:
    st.success("No relationship shows a warning sign.")
for k, row in enumerate(risks.itertuples()):
    with st.container(border=True):
        a, b, c = st.columns([5, 1, 1], vertical_alignment="center")
        state.show_text(row.name, into=a, strong=True)
        state.show_text(f"{row.type} · score {row.score:.0f}", into=a, caption=True)
        state.show_text(row.reasons_text, into=a, caption=True)
        if b.button("Network", key=f"ov_risk_net_{k}"):
            widgets.open_network_focused(str(row.id))
        if c.button("Detail", key=f"ov_risk_det_{k}"):
            widgets.open_stakeholder(str(row.id))

st.subheader("Key players")
p1, p2 = st.columns(2)
with p1:
    st.markdown(
        "**Matter to us** (their share of our money, and of the money we reach only through them)"
    )
    mine = ana.key_players(top=5)
    if mine.empty:
        st.caption("No stakeholder brings money or gates anyone's money.")
    widgets.stakeholder_buttons(mine["id"].astype(str).tolist(), labels, key="ov_mine")
with p2:
    st.markdown("**Central in the whole network** (PageRank: whatever it means for us)")
    central = ana.central_players(top=5)
    widgets.stakeholder_buttons(central["id"].astype(str).tolist(), labels, key="ov_central")
p3, p4 = st.columns(2)
with p3:
    st.markdown("**Competitors as threats** (our customers and suppliers they also deal with)")
    threats = ana.threats().head(5)
    if threats.empty:
        st.caption("No competitor in the data.")
    else:
        st.dataframe(
            threats[
                ["name", "shared_customers", "revenue_overlap", "shared_suppliers", "spend_overlap"]
            ],
            hide_index=True,
            width="stretch",
            column_config={
                c: st.column_config.NumberColumn(format="percent")
                for c in ("revenue_overlap", "spend_overlap")
            },
        )
with p4:
    st.markdown(
        "**Single points of failure** (articulation points: removing one splits the network)"
    )
    aps = nodes[nodes["is_articulation"].fillna(False).astype(bool)]
    aps = aps[~aps["id"].astype(str).isin(ana.focal_ids)]  # never the organisation itself
    if ana.params.get("ego_only"):
        st.caption(
            "The data records no ties among stakeholders (a star): every relationship "
            "hangs on the organisation alone. That is a property of the data, not a risk "
            "per relationship."
        )
    elif aps.empty:
        st.caption("None: no single stakeholder's loss splits the network.")
    else:
        order = "betweenness" if "betweenness" in aps.columns else "name"
        aps = aps.sort_values(order, ascending=order == "name").head(5)
        widgets.stakeholder_buttons(aps["id"].astype(str).tolist(), labels, key="ov_aps")
