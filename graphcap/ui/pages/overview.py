"""Overview page: the Relational Capital Index and what drives it, at one glance.

RCI with its breakdown by dimension and by stakeholder type, money by kind (revenue, spend, flow:
never added up), the Lorenz curve of the main kind, the top at-risk relationships, and the key
players read from our side (who matters to us, who is central in the whole network, competitors
as threats, single points of failure other than ourselves), each a click away from its
neighbourhood in the network or its own page.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from graphcap.i18n import gettext as _
from graphcap.i18n import ngettext
from graphcap.metrics.wording import rci_note, reasons_text
from graphcap.ui import charts, datasource, page_start, plaintext, scale, state, widgets
from graphcap.ui.labels import column_label, vocabulary_label
from graphcap.ui.lang import num, pct, show_table, table_parts

if state.at_scale(datasource.connection()):  # too large to analyse here: stored metrics
    scale.overview_page()
    st.stop()

conn, view = page_start.open_page(_("Overview"), as_of="overview_as_of")
past = state.view_time(view)  # None: the current data
ana = view.analysis
nodes = view.nodes


def _players() -> dict[str, Any]:
    """The rankings of this page: computed once per data version (and past day), shared by
    every session."""
    aps = nodes[nodes["is_articulation"].fillna(False).astype(bool)]
    aps = aps[~aps["id"].astype(str).isin(ana.focal_ids)]  # never the organisation itself
    if not aps.empty:
        order = "betweenness" if "betweenness" in aps.columns else "name"
        aps = aps.sort_values(order, ascending=order == "name").head(5)
    return {
        "labels": widgets.stakeholder_labels(nodes),
        "mine": ana.key_players(top=5)["id"].astype(str).tolist(),
        "central": ana.central_players(top=5)["id"].astype(str).tolist(),
        "threats": ana.threats().head(5),
        "aps": aps["id"].astype(str).tolist(),
    }


players = state.memo(conn, f"overview|{past}", _players)
labels = players["labels"]

rci = ana.rci
conc = ana.concentration
k1, k2, k3, k4, k5 = st.columns(5)
basis = column_label(conc["value_basis"])
k1.metric(
    _("Relational Capital Index"),
    f"{num(rci.score, 0)} / 100",
    help=_("0-100; see the breakdown below"),
)
k2.metric(_("Stakeholders"), num(len(nodes)))
k3.metric(_("Relationships"), num(len(view.edges)))
k4.metric(
    _("{kind} from top 20 %").format(kind=basis[:1].upper() + basis[1:]),
    pct(conc["pareto_share"]),
    help=_("Share of the {kind} that the top fifth of stakeholders bring").format(kind=basis),
)
k5.metric(_("At-risk relationships"), num(len(ana.risks)))

left, right = st.columns(2)
with left:
    st.subheader(_("What the index is made of"))
    st.altair_chart(
        state.memo(conn, f"ov_rci_chart|{past}", lambda: charts.rci_chart(rci.dimensions)),
        width="stretch",
    )
    for note in rci.notes:  # worded now: the cached analysis keeps the English notes
        st.caption(plaintext.md_escape(rci_note(note)))
    show_table(
        state.memo_table(
            conn,
            f"ov_rci_by_type|{past}",
            lambda: table_parts(
                rci.by_type,
                decimals={
                    c: 2 for c in ("strength", "diversification", "brokerage", "health", "score")
                },
            ),
        )
    )
with right:
    st.subheader(_("Money by kind"))
    kinds = conc.get("kinds", {})
    money = "; ".join(
        ngettext(
            "{kind} {total} from {n} stakeholder", "{kind} {total} from {n} stakeholders", k["n"]
        ).format(kind=column_label(kind), total=num(k["total"], 0), n=num(k["n"]))
        for kind, k in ((kind, {**s, "n": int(s["stakeholders"])}) for kind, s in kinds.items())
    )
    st.caption(
        _("{money} — kinds are never added together.").format(
            money=plaintext.md_escape(money or _("no money recorded (no revenue, spend or flow)"))
        )
    )
    if kinds:
        show_table(
            state.memo_table(
                conn,
                f"ov_money|{past}",
                lambda: table_parts(
                    [
                        {
                            "kind": column_label(k),
                            "total": s["total"],
                            "stakeholders": s["stakeholders"],
                            "top_share": s["pareto_share"],
                            "gini": s["gini"],
                            "hhi": s["hhi"],
                            "effective_number": s["effective_number"],
                        }
                        for k, s in kinds.items()
                    ],
                    decimals={"total": 0, "gini": 2, "hhi": 3, "effective_number": 1},
                    percent=["top_share"],
                ),
            )
        )
    st.altair_chart(
        state.memo(
            conn,
            f"ov_lorenz|{past}",
            lambda: charts.lorenz_chart(
                ana.lorenz, title=_("Lorenz curve of {kind}").format(kind=basis)
            ),
        ),
        width="stretch",
    )
    st.caption(
        _("Lorenz curve of {kind} · Gini {gini}").format(kind=basis, gini=num(conc["gini"], 2))
    )

st.subheader(_("Stakeholders by type"))
by_type = ana.value_by_type
t1, t2 = st.columns(2)
t1.altair_chart(
    state.memo(
        conn,
        f"ov_type_count|{past}",
        lambda: charts.type_bars(by_type, "stakeholders", title=column_label("stakeholders")),
    ),
    width="stretch",
)
main_kind = conc["value_basis"] if conc["value_basis"] in by_type.columns else "revenue"
t2.altair_chart(
    state.memo(
        conn,
        f"ov_type_value|{past}",
        lambda: charts.type_bars(by_type, main_kind, title=column_label(main_kind)),
    ),
    width="stretch",
)

st.subheader(_("Top at-risk relationships"))
risks = ana.risks.head(8)
if risks.empty:
    st.success(_("No relationship shows a warning sign."))
for k, row in enumerate(risks.itertuples()):
    with st.container(border=True):
        a, b, c = st.columns([5, 1, 1], vertical_alignment="center")
        state.show_text(row.name, into=a, strong=True)
        state.show_text(
            _("{type} · score {score}").format(
                type=vocabulary_label(row.type), score=num(row.score, 0)
            ),
            into=a,
            caption=True,
        )
        state.show_text(reasons_text(row._asdict()), into=a, caption=True)
        if b.button(_("Network"), key=f"ov_risk_net_{k}"):
            widgets.open_network_focused(str(row.id))
        if c.button(_("Detail"), key=f"ov_risk_det_{k}"):
            widgets.open_stakeholder(str(row.id))

st.subheader(_("Key players"))
p1, p2 = st.columns(2)
with p1:
    st.markdown(
        _(
            "**Matter to us** (their share of our money, and of the money we reach only "
            "through them)"
        )
    )
    mine = players["mine"]
    if not mine:
        st.caption(_("No stakeholder brings money or gates anyone's money."))
    widgets.stakeholder_buttons(mine, labels, key="ov_mine")
with p2:
    st.markdown(_("**Central in the whole network** (PageRank: whatever it means for us)"))
    widgets.stakeholder_buttons(players["central"], labels, key="ov_central")
p3, p4 = st.columns(2)
with p3:
    st.markdown(_("**Competitors as threats** (our customers and suppliers they also deal with)"))
    threats = players["threats"]
    if threats.empty:
        st.caption(_("No competitor in the data."))
    else:
        show_table(
            state.memo_table(
                conn,
                f"ov_threats|{past}",
                lambda: table_parts(
                    threats[
                        [
                            "name",
                            "shared_customers",
                            "revenue_overlap",
                            "shared_suppliers",
                            "spend_overlap",
                        ]
                    ],
                    percent=["revenue_overlap", "spend_overlap"],
                ),
            )
        )
with p4:
    st.markdown(
        _("**Single points of failure** (articulation points: removing one splits the network)")
    )
    aps = players["aps"]
    if ana.params.get("ego_only"):
        st.caption(
            _(
                "The data records no ties among stakeholders (a star): every relationship "
                "hangs on the organisation alone. That is a property of the data, not a risk "
                "per relationship."
            )
        )
    elif not aps:
        st.caption(_("None: no single stakeholder's loss splits the network."))
    else:
        widgets.stakeholder_buttons(aps, labels, key="ov_aps")
