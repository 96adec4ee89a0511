"""Risks page: where relational capital could be lost, and what losing it would cost.

The at-risk radar (ranked, with plain-text reasons), the next best contacts, single points of failure, supplier and
customer concentration, the what-if simulator for one or several stakeholders, the risk sweep
(every stakeholder lost in turn) and the backtest of the radar on the data's own history.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graphcap.errors import GraphcapError
from graphcap.i18n import gettext as _
from graphcap.metrics.backtest import backtest
from graphcap.ui import contacts, state, widgets

conn, view = state.open_page("Risks")
ana = view.analysis
nodes = view.nodes
labels = widgets.stakeholder_labels(nodes)

tab_radar, tab_next, tab_spof, tab_conc, tab_whatif, tab_sweep, tab_back = st.tabs(
    [
        "At-risk radar",
        _("Next best contacts"),
        "Single points of failure",
        "Concentration",
        "What-if simulator",
        "Risk sweep",
        "Backtest",
    ]
)

with tab_radar:
    risks = ana.risks
    c1, c2 = st.columns([1, 2])
    min_score = c1.slider("Minimum score", 0, 100, 0, 5, key="rk_min")
    kinds = sorted(risks["type"].astype(str).unique()) if len(risks) else []
    chosen = c2.multiselect("Types", kinds, default=kinds, key="rk_types")
    shown = risks[(risks["score"] >= min_score) & risks["type"].astype(str).isin(chosen)]
    st.caption(
        f"{len(shown):,} of {len(risks):,} relationships with a warning sign, highest score first"
    )
    cols = [c for c in ("name", "score", "reasons_text", "type", "relationship", "value", "strength",
                        "days_since_contact", "contract_days_left") if c in shown]  # fmt: skip
    st.dataframe(
        shown[cols], hide_index=True, width="stretch",
        column_config={
            "score": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f"),
            "value": st.column_config.NumberColumn(format="%,.0f"),
            "strength": st.column_config.NumberColumn(format="%.2f"),
            "reasons_text": st.column_config.TextColumn("reasons", width="large"),
        },
    )  # fmt: skip
    if len(shown):
        pick = widgets.pick_stakeholder("Look closer at", shown, key="rk_pick")
        if pick and st.button("Open its page", key="rk_open"):
            widgets.open_stakeholder(pick)

with tab_next:
    contacts.render_next_contacts(ana, key="rk_next")

with tab_spof:
    st.markdown(
        "**Articulation points**: stakeholders whose loss splits the network. "
        "**Single-threaded**: stakeholders tied to the organisation by one relationship only."
    )
    aps = nodes[nodes["is_articulation"].fillna(False).astype(bool)]
    aps = aps[aps["type"] != "organization"]
    a, b = st.columns(2)
    with a:
        st.metric("Articulation points", f"{len(aps):,}")
        cols = [c for c in ("name", "type", "betweenness", "value") if c in aps.columns]
        st.dataframe(aps[cols], hide_index=True, width="stretch")
    with b:
        single = (
            ana.risks[ana.risks["single_threaded"].fillna(False).astype(bool)]
            if len(ana.risks)
            else ana.risks
        )
        st.metric("Single-threaded relationships", f"{len(single):,}")
        st.dataframe(
            single[["name", "type", "relationship", "value"]], hide_index=True, width="stretch"
        )

with tab_conc:
    conc = ana.concentration
    k1, k2, k3, k4 = st.columns(4)
    k1.metric("Customer HHI", f"{conc['hhi_customers']:.3f}", help="0 spread … 1 one customer")
    k2.metric("Supplier HHI", f"{conc['hhi_suppliers']:.3f}", help="0 spread … 1 one supplier")
    k3.metric("Value from top 20 %", f"{conc['pareto_share']:.0%}")
    top = conc.get("top_stakeholder")
    k4.metric("Largest single share", f"{conc['top_share']:.0%}")
    if top is not None:
        st.caption("Largest:")
        state.show_text(labels.get(str(top), str(top)))
    if "value" in nodes.columns:
        left_col, right_col = st.columns(2)
        for col, kind, measure in (
            (left_col, "customer", "value"),
            (right_col, "supplier", "spend"),
        ):
            if measure not in nodes.columns:
                continue
            part = nodes[nodes["type"] == kind][["name", measure]].dropna()
            part = part[part[measure] > 0].nlargest(10, measure)
            total = nodes.loc[nodes["type"] == kind, measure].sum()
            part = part.assign(share=part[measure] / total if total else 0.0)
            col.markdown(f"**Top {kind}s by {measure}**")
            col.dataframe(part, hide_index=True, width="stretch",
                          column_config={"share": st.column_config.ProgressColumn(
                              min_value=0.0, max_value=1.0, format="percent")})  # fmt: skip

with tab_whatif:
    st.markdown("Remove one or several stakeholders and see what the organisation would lose.")
    candidates = nodes[nodes["type"] != "organization"]
    order = "value" if "value" in candidates.columns else "name"
    candidates = candidates.sort_values(order, ascending=order == "name", kind="stable")
    chosen_ids = st.multiselect(
        "Stakeholders to remove",
        candidates["id"].tolist(),
        format_func=lambda i: labels[i],
        key="rk_whatif",
    )
    if chosen_ids and st.button("Simulate", key="rk_simulate", type="primary"):
        try:
            result = ana.what_if(chosen_ids)
        except GraphcapError as exc:
            st.error(str(exc))
        else:
            m1, m2, m3, m4 = st.columns(4)
            m1.metric(f"{result.kind.capitalize()} at risk", f"{result.value_at_risk:,.0f}")
            m2.metric(f"Share of {result.kind}", f"{result.value_at_risk_share:.1%}")
            m3.metric("Cut off from the organisation", f"{len(result.cut_off):,}")
            m4.metric("RCI after", f"{result.rci_after:.1f}", f"{result.rci_change:+.1f}")
            for line in result.summary:
                st.text(line)
            if len(result.cut_off):
                st.markdown("**Cut off**")
                st.dataframe(result.cut_off, hide_index=True, width="stretch")
            if len(result.new_articulation_points):
                st.markdown("**New single points of failure**")
                st.dataframe(result.new_articulation_points, hide_index=True, width="stretch")
    elif not chosen_ids:
        st.caption("Pick at least one stakeholder.")

with tab_sweep:
    st.markdown(
        "Every stakeholder lost in turn: the money at risk (its own and that of the "
        "stakeholders reached only through it) in the kind that matters for it, and the "
        "index after. Losing a stakeholder keeps its money on the books as lost."
    )
    sweep = ana.risk_sweep()
    st.dataframe(
        sweep.drop(columns=["id"]).head(50), hide_index=True, width="stretch",
        column_config={
            "share": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent"),
            **{c: st.column_config.NumberColumn(format="%,.0f") for c in ("direct", "cut_off", "at_risk")},
            **{c: st.column_config.NumberColumn(format="%.1f") for c in ("rci_after", "rci_change")},
        },
    )  # fmt: skip

with tab_back:
    st.markdown(
        "**How often was the radar right?** Pick a date in the past: the radar is computed from "
        "the data up to it and set against what the interaction log shows afterwards. "
        "*Declined* = no contact, or under half the usual rate, within the horizon."
    )
    log = ana.network.interactions
    if log is None or len(log) == 0:
        st.info("The backtest needs an interaction log: this data has none.")
    else:
        last = pd.to_datetime(log["date"], errors="coerce").max()
        b1, b2, b3 = st.columns(3)
        horizon = int(b2.number_input("Horizon (days)", 30, 720, 180, 30, key="bt_horizon"))
        k = int(b3.number_input("Top k", 5, 200, 20, 5, key="bt_k"))
        default = (last - pd.Timedelta(days=horizon + 60)).date()
        date = b1.date_input("Radar as of", value=default, key="bt_date")
        if st.button("Run backtest", key="bt_run", type="primary"):
            try:
                bt = backtest(ana.network, date, horizon_days=horizon, k=k)
            except GraphcapError as exc:
                st.error(str(exc))
            else:
                m1, m2, m3, m4 = st.columns(4)
                m1.metric(
                    f"Precision at {bt.k}",
                    f"{bt.precision:.0%}",
                    f"{bt.precision - bt.recency_precision:+.0%} vs recency only",
                )
                m2.metric(f"Recall at {bt.k}", f"{bt.recall:.0%}")
                m3.metric("Lift over base rate", f"{bt.lift:.2f}")
                m4.metric("Declined / judged", f"{bt.declined} / {bt.judged}")
                for line in bt.summary():
                    st.text(line)
                st.markdown("**Signals the hits carried**")
                st.dataframe(bt.signals, hide_index=True)
                st.dataframe(
                    bt.table.drop(columns=["reasons", "id"]).head(50),
                    hide_index=True,
                    width="stretch",
                )
