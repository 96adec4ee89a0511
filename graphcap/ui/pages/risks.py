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
from graphcap.metrics.wording import reasons_text
from graphcap.ui import contacts, datasource, page_start, scale, state, widgets
from graphcap.ui.labels import column_label
from graphcap.ui.lang import num, pct, show_table, table, table_parts

if state.at_scale(datasource.connection()):  # too large to analyse here: stored metrics
    scale.risks_page()
    st.stop()

conn, view = page_start.open_page(_("Risks"))
ana = view.analysis
nodes = view.nodes
labels = state.memo(conn, "labels", lambda: widgets.stakeholder_labels(nodes))

# Only the open tab runs (a tab switch reruns the page): the sweep alone takes about a second
# on ~10k stakeholders, and what it computes is cached per data version for every session.
tab_radar, tab_next, tab_spof, tab_conc, tab_whatif, tab_sweep, tab_back = st.tabs(
    [
        _("At-risk radar"),
        _("Next best contacts"),
        _("Single points of failure"),
        _("Concentration"),
        _("What-if simulator"),
        _("Risk sweep"),
        _("Backtest"),
    ],
    key="rk_tab",
    on_change="rerun",
)

with tab_radar:
    if tab_radar.open:
        risks = ana.risks
        c1, c2 = st.columns([1, 2])
        min_score = c1.slider(_("Minimum score"), 0, 100, 0, 5, key="rk_min")
        kinds = sorted(risks["type"].astype(str).unique()) if len(risks) else []
        chosen = widgets.type_filter(c2, _("Types"), kinds, key="rk_types")
        shown = risks[(risks["score"] >= min_score) & risks["type"].astype(str).isin(chosen)]
        st.caption(
            _("{shown} of {total} relationships with a warning sign, highest score first").format(
                shown=num(len(shown)), total=num(len(risks))
            )
        )
        cols = [c for c in ("name", "score", "reasons_text", "type", "relationship", "value", "strength",
                            "days_since_contact", "contract_days_left") if c in shown]  # fmt: skip

        def radar_table():  # type: ignore[no-untyped-def]
            worded = shown
            if "reasons_text" in shown.columns:  # worded now: the cached analysis keeps the codes
                worded = shown.assign(
                    reasons_text=[reasons_text(r) for r in shown.to_dict("records")]
                )
            return table_parts(
                worded[cols],
                decimals={"score": 0, "value": 0, "strength": 2, "days_since_contact": 0,
                          "contract_days_left": 0},
                wide=["reasons_text"],
            )  # fmt: skip

        show_table(
            state.memo_table(conn, f"risks_radar|{min_score}|{sorted(chosen)!r}", radar_table)
        )
        if len(shown):
            pick = widgets.pick_stakeholder(_("Look closer at"), shown, key="rk_pick")
            if pick and st.button(_("Open its page"), key="rk_open"):
                widgets.open_stakeholder(pick)

with tab_next:
    if tab_next.open:
        contacts.render_next_contacts(ana, key="rk_next", conn=conn)

with tab_spof:
    if tab_spof.open:
        st.markdown(
            _(
                "**Articulation points**: stakeholders whose loss splits the network. "
                "**Single-threaded**: stakeholders tied to the organisation by one relationship only."
            )
        )
        aps = nodes[nodes["is_articulation"].fillna(False).astype(bool)]
        aps = aps[aps["type"] != "organization"]
        a, b = st.columns(2)
        with a:
            st.metric(_("Articulation points"), num(len(aps)))
            cols = [c for c in ("name", "type", "betweenness", "value") if c in aps.columns]
            table(aps[cols], decimals={"value": 0})
        with b:
            single = (
                ana.risks[ana.risks["single_threaded"].fillna(False).astype(bool)]
                if len(ana.risks)
                else ana.risks
            )
            st.metric(_("Single-threaded relationships"), num(len(single)))
            if ana.params.get("ego_only"):  # said once, as a property of the data
                st.caption(
                    _(
                        "The data records no ties among stakeholders (a star): every relationship "
                        "hangs on the organisation alone. That is a property of the data, not a risk "
                        "per relationship."
                    )
                )
            else:
                table(single[["name", "type", "relationship", "value"]], decimals={"value": 0})

with tab_conc:
    if tab_conc.open:
        conc = ana.concentration
        k1, k2, k3, k4 = st.columns(4)
        k1.metric(
            _("Customer HHI"), num(conc["hhi_customers"], 3), help=_("0 spread … 1 one customer")
        )
        k2.metric(
            _("Supplier HHI"), num(conc["hhi_suppliers"], 3), help=_("0 spread … 1 one supplier")
        )
        k3.metric(_("Value from top 20 %"), pct(conc["pareto_share"]))
        top = conc.get("top_stakeholder")
        k4.metric(_("Largest single share"), pct(conc["top_share"]))
        if top is not None:
            st.caption(_("Largest:"))
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
                heading = (
                    _("**Top customers by {measure}**")
                    if kind == "customer"
                    else _("**Top suppliers by {measure}**")
                )
                col.markdown(heading.format(measure=column_label(measure)))
                table(part, decimals={measure: 0}, progress={"share": 1}, into=col)

with tab_whatif:
    if tab_whatif.open:
        st.markdown(
            _("Remove one or several stakeholders and see what the organisation would lose.")
        )
        candidates = nodes[nodes["type"] != "organization"]
        order = "value" if "value" in candidates.columns else "name"
        candidates = candidates.sort_values(order, ascending=order == "name", kind="stable")
        chosen_ids = st.multiselect(
            _("Stakeholders to remove"),
            candidates["id"].tolist(),
            format_func=lambda i: labels[i],
            placeholder=_("Choose options"),
            key="rk_whatif",
        )
        if chosen_ids and st.button(_("Simulate"), key="rk_simulate", type="primary"):
            try:
                result = ana.what_if(chosen_ids)
            except GraphcapError as exc:
                state.show_message(exc)
            else:
                m1, m2, m3, m4 = st.columns(4)
                kind = column_label(result.kind)
                m1.metric(
                    _("{kind} at risk").format(kind=kind[:1].upper() + kind[1:]),
                    num(result.value_at_risk, 0),
                )
                m2.metric(
                    _("Share of {kind}").format(kind=kind), pct(result.value_at_risk_share, 1)
                )
                m3.metric(_("Cut off from the organisation"), num(len(result.cut_off)))
                m4.metric(
                    _("RCI after"),
                    num(result.rci_after, 1),
                    ("+" if result.rci_change > 0 else "") + num(result.rci_change, 1),
                )
                for line in result.summary:
                    st.text(line)
                if len(result.cut_off):
                    st.markdown(_("**Cut off**"))
                    table(result.cut_off)
                if len(result.new_articulation_points):
                    st.markdown(_("**New single points of failure**"))
                    table(result.new_articulation_points)
        elif not chosen_ids:
            st.caption(_("Pick at least one stakeholder."))

with tab_sweep:
    if tab_sweep.open:
        st.markdown(
            _(
                "Every stakeholder lost in turn: the money at risk (its own and that of the "
                "stakeholders reached only through it) in the kind that matters for it, and the "
                "index after. Losing a stakeholder keeps its money on the books as lost."
            )
        )
        show_table(
            state.memo_table(
                conn,
                "risk_sweep",
                lambda: table_parts(
                    ana.risk_sweep().drop(columns=["id"]).head(50),
                    progress={"share": 1},
                    decimals={
                        "direct": 0,
                        "cut_off": 0,
                        "at_risk": 0,
                        "rci_after": 1,
                        "rci_change": 1,
                    },
                ),
            )
        )

with tab_back:
    if tab_back.open:
        st.markdown(
            _(
                "**How often was the radar right?** Pick a date in the past: the radar is computed "
                "from the data up to it and set against what the interaction log shows afterwards. "
                "*Declined* = no contact, or under half the usual rate, within the horizon."
            )
        )
        log = ana.network.interactions
        if log is None or len(log) == 0:
            st.info(_("The backtest needs an interaction log: this data has none."))
        else:
            last = pd.to_datetime(log["date"], errors="coerce").max()
            b1, b2, b3 = st.columns(3)
            horizon = int(b2.number_input(_("Horizon (days)"), 30, 720, 180, 30, key="bt_horizon"))
            k = int(b3.number_input(_("Top k"), 5, 200, 20, 5, key="bt_k"))
            default = (last - pd.Timedelta(days=horizon + 60)).date()
            date = b1.date_input(
                _("Radar as of"), value=default, key="bt_date", format=_("YYYY-MM-DD")
            )
            if st.button(_("Run backtest"), key="bt_run", type="primary"):
                try:
                    bt = backtest(ana.network, date, horizon_days=horizon, k=k)
                except GraphcapError as exc:
                    state.show_message(exc)
                else:
                    m1, m2, m3, m4 = st.columns(4)
                    gain = bt.precision - bt.recency_precision
                    m1.metric(
                        _("Precision at {k}").format(k=bt.k),
                        pct(bt.precision),
                        _("{change} vs recency only").format(
                            change=("+" if gain > 0 else "") + pct(gain)
                        ),
                    )
                    m2.metric(_("Recall at {k}").format(k=bt.k), pct(bt.recall))
                    m3.metric(_("Lift over base rate"), num(bt.lift, 2))
                    m4.metric(_("Declined / judged"), f"{num(bt.declined)} / {num(bt.judged)}")
                    for line in bt.summary():
                        st.text(line)
                    st.markdown(_("**Signals the hits carried**"))
                    table(bt.signals, width="content")
                    table(bt.table.drop(columns=["reasons", "id"]).head(50))
