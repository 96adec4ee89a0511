"""Every library query runs on the sample; many give hand-computed answers on the tiny network."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from graphcap.config.limits import Limits
from graphcap.console import library, policy

from .graphs import AS_OF, day

pytestmark = pytest.mark.integration

QUERIES = library.list_queries()
LIMITS = Limits(query_timeout_s=60, max_rows=5000)


def run(store, name: str, **params):
    query = library.get_query(name)
    return policy.run_library_query(store, query, query.resolve(params), limits=LIMITS)


def rows(store, name: str, *columns: str, **params) -> list[tuple]:
    frame = run(store, name, **params).frame
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]


def d(offset: int) -> dt.date:
    return day(offset).date()


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_query_runs_on_the_sample_with_its_defaults(sample_store, query):
    policy.check_statement(query.text)
    result = policy.run_query(sample_store, query.text, query.resolve(), limits=LIMITS)
    assert result.columns == list(query.columns)
    assert not result.truncated


def test_the_sample_answers_most_questions(sample_store):
    """On the sample network nearly every question has an answer (a query returning nothing on
    realistic data is suspicious). In the small sample every stakeholder is a neighbour of a
    neighbour of ours, so no partner bridges to anyone alone and strongest_path without a target
    (everyone we do not deal with directly) has no one to reach; and, like the Python radar,
    value_at_risk finds no top-20 % stakeholder with a weak tie there (other thresholds below)."""
    empty = [q.name for q in QUERIES if not run(sample_store, q.name).rows]
    assert set(empty) <= {"bridging_partners", "strongest_path", "value_at_risk"}, empty


def _sample_analysis():
    from graphcap.analysis import analyze
    from graphcap.sample import sample_small

    return analyze(sample_small())


def test_top_customers_show_graphcaps_strength_and_revenue(sample_store):
    """The strength is the one `graphcap metrics --write` stored (the strongest of the
    customer's relationships with the organisation, as the radar reads it), the revenue is
    graphcap's revenue; both compared with the Python analysis of the same network."""
    a = _sample_analysis()
    focal = set(a.network.focal_ids())
    e = a.edges[a.edges["source"].isin(focal) ^ a.edges["target"].isin(focal)]
    other = e["source"].where(~e["source"].isin(focal), e["target"])
    strongest = e["strength"].groupby(other).max()
    nodes = a.nodes.set_index("id")
    customers = nodes.index[(nodes["type"] == "customer") & (nodes["revenue"] > 0)]
    got = run(sample_store, "top_customers", limit=1000, min_strength=-1.0).frame.set_index("id")
    assert sorted(got.index) == sorted(customers)
    assert got["strength"].notna().all()  # the issue saw strength None after metrics --write
    for ident, row in got.iterrows():
        assert row["strength"] == pytest.approx(strongest[ident], abs=5.01e-4), ident
        assert row["revenue"] == pytest.approx(nodes.loc[ident, "revenue"]), ident
        held = max(0.0, float(strongest[ident]))
        assert row["weighted_value"] == pytest.approx(nodes.loc[ident, "revenue"] * held, abs=0.01)
    assert got["weighted_value"].is_monotonic_decreasing


@pytest.mark.parametrize(("top", "weak"), [(0.2, 0.4), (0.5, 0.7), (1.0, 0.8)])
def test_value_at_risk_lists_the_radars_weak_relationships(sample_store, top, weak):
    """value_at_risk is the radar's "high value, weak relationship" sign in Cypher: on the
    sample it lists exactly the stakeholders the Python radar flags for it, with the same value
    and strength. With the defaults (top 20 %, strength 0.4) the small sample has none; the
    radar is then asked with the query's other thresholds."""
    from graphcap.metrics.risk import RiskConfig, at_risk
    from graphcap.metrics.value import stakeholder_value

    a = _sample_analysis()
    values = stakeholder_value(a.network)
    radar = at_risk(
        a.network,
        values,
        as_of=a.params["as_of"],
        config=RiskConfig(high_value_top=top, weak_strength=weak),
    )
    flagged = radar[radar["reasons_text"].str.contains(r"^high \w+ \(", regex=True)]
    frame = run(sample_store, "value_at_risk", top_share=top, max_strength=weak).frame
    assert sorted(frame["id"]) == sorted(flagged["id"])
    if top == 1.0:
        assert len(frame) >= 5
    expected = flagged.set_index("id")
    for row in frame.itertuples(index=False):
        assert row.value == pytest.approx(expected.loc[row.id, "value"]), row.id
        assert row.value_kind == expected.loc[row.id, "value_kind"], row.id
        strength = 0.0 if pd.isna(row.strength) else row.strength
        assert strength == pytest.approx(expected.loc[row.id, "strength"], abs=5.01e-4), row.id
        held = max(0.0, strength)
        assert row.value_at_risk == pytest.approx(row.value * (1 - held), abs=0.01 * row.value)
    assert frame["value_at_risk"].is_monotonic_decreasing


def test_value_at_risk_defaults_are_the_radars():
    from graphcap.metrics.risk import RiskConfig

    defaults = library.get_query("value_at_risk").defaults()
    assert defaults == {
        "max_strength": RiskConfig().weak_strength,
        "top_share": RiskConfig().high_value_top,
    }


def test_revenue_concentration_matches_pandas(sample_store):
    from graphcap.sample import sample_small

    net = sample_small()
    units = set(net.focal_ids())
    buys = net.edges[(net.edges["type"] == "BUYS_FROM") & net.edges["target"].isin(units)]
    volume = buys.groupby("source")["volume"].sum(min_count=1).fillna(0.0)
    revenue = net.nodes.set_index("id")["revenue"].reindex(volume.index)
    value = revenue.where(revenue.notna(), volume).astype(float)
    share = value / value.sum()
    frame = run(sample_store, "revenue_concentration", top=5).frame
    assert frame["hhi"].iloc[0] == pytest.approx(float((share**2).sum()), abs=1e-4)
    assert frame["customers"].iloc[0] == len(value)
    top = share.sort_values(ascending=False).head(5)
    assert frame["share"].tolist() == pytest.approx(top.round(4).tolist(), abs=1e-4)
    assert frame["cumulative_share"].tolist() == pytest.approx(top.cumsum().tolist(), abs=1e-4)


# --- exact answers on the tiny network (see tests/console/graphs.py) ---------------------------


def test_top_customers_rank_by_revenue_times_strength(tiny_store):
    assert rows(tiny_store, "top_customers", "name", "weighted_value") == [
        ("Alpha", 400.0),
        ("Beta", 150.0),
        ("Gamma", 90.0),
        ("Delta", 10.0),
    ]
    assert rows(tiny_store, "top_customers", "name", min_strength="0.6", limit="1") == [("Alpha",)]


def test_single_path_customers_count_indirect_routes_but_not_competitors(tiny_store):
    # Alpha: Beta is a route (Rival is a competitor, Regulator does not deal with us)
    assert rows(tiny_store, "single_path_customers", "name", "indirect_routes") == [("Delta", 0)]
    assert rows(
        tiny_store, "single_path_customers", "name", "indirect_routes", "routes_via", max_routes="1"
    ) == [("Alpha", 1, ["Beta"]), ("Gamma", 1, ["Beta"]), ("Delta", 0, [])]


def test_single_source_suppliers(tiny_store):
    assert rows(
        tiny_store,
        "single_source_suppliers",
        "category",
        "name",
        "volume",
        "strength",
        "contract_until",
        "also_supplies",
        "competitors_supplied",
    ) == [("steel", "Steel Co", 200.0, 0.7, d(5), ["Rival"], 1)]
    assert rows(tiny_store, "single_source_suppliers", "name", category="electronics") == []


def test_competitor_overlap(tiny_store):
    assert rows(
        tiny_store,
        "competitor_overlap",
        "name",
        "shared_customers",
        "shared_suppliers",
        "revenue_at_stake",
        "customer_names",
        "supplier_names",
    ) == [("Rival", 1, 1, 500.0, ["Alpha"], ["Steel Co"])]
    assert rows(tiny_store, "competitor_overlap", "name", min_shared="3") == []


def test_bridging_partner_reaches_epsilon_alone(tiny_store):
    assert rows(
        tiny_store,
        "bridging_partners",
        "name",
        "bridged",
        "bridged_types",
        "revenue_bridged",
        "examples",
    ) == [("Bridge Alliance", 1, ["customer"], 70.0, ["Epsilon"])]


def test_agencies_on_key_customers(tiny_store):
    assert rows(
        tiny_store,
        "agencies_on_key_customers",
        "name",
        "how",
        "key_customers",
        "value_exposed",
        "we_have_contact",
    ) == [("Regulator", ["REGULATES", "INFLUENCES"], 2, 800.0, False)]
    # only Alpha (and Steel Co) are key with top=1
    assert rows(tiny_store, "agencies_on_key_customers", "how", "value_exposed", top="1") == [
        (["REGULATES"], 500.0)
    ]


def test_stale_relationships_use_the_interaction_log(tiny_store):
    # Beta's property says 200 days, but the log has a contact 40 days ago
    asof = AS_OF.isoformat()
    assert rows(
        tiny_store,
        "stale_relationships",
        "source",
        "target",
        "last_contact",
        "days_since",
        as_of=asof,
    ) == [("Gamma", "Orbit", d(-400), 400)]
    everyone = rows(
        tiny_store,
        "stale_relationships",
        "source",
        "type",
        "days_since",
        as_of=asof,
        ours_only="false",
    )
    assert everyone == [("Gamma", "BUYS_FROM", 400), ("Alpha", "REFERS", 300)]
    unknown = rows(
        tiny_store,
        "stale_relationships",
        "source",
        "target",
        "days_since",
        as_of=asof,
        include_unknown="yes",
    )
    assert unknown[0] == ("Gamma", "Orbit", 400)
    assert sorted(unknown[1:]) == [
        ("Chips A", "Orbit", None),
        ("Chips B", "Orbit", None),
        ("Delta", "Orbit", None),
        ("Orbit", "Bridge Alliance", None),
        ("Orbit", "Rival", None),
    ]


def test_expiring_contracts(tiny_store):
    asof = AS_OF.isoformat()
    assert rows(
        tiny_store, "expiring_contracts", "source", "days_left", "volume", days="30", as_of=asof
    ) == [("Steel Co", 5, 200.0), ("Alpha", 20, 500.0)]
    assert [
        r[0] for r in rows(tiny_store, "expiring_contracts", "source", days="120", as_of=asof)
    ] == ["Steel Co", "Alpha", "Beta"]
    later = (AS_OF + dt.timedelta(days=30)).isoformat()
    assert rows(
        tiny_store,
        "expiring_contracts",
        "source",
        "days_left",
        days="10",
        as_of=later,
        include_expired="true",
    ) == [("Steel Co", -25), ("Alpha", -10)]


def test_strongest_path_multiplies_strengths(tiny_store):
    # graphcap's strength of the direct COMPETES_WITH (no data: the neutral 0.5) beats
    # via Steel Co .7 x .6 = .42 and via Alpha .8 x .5 = .40
    result = run(tiny_store, "strongest_path", target="Rival")
    assert [
        tuple(r)
        for r in result.frame[
            ["target", "path_strength", "weakest_link", "hops", "route"]
        ].itertuples(index=False)
    ] == [("Rival", 0.5, 0.5, 1, ["Orbit", "Rival"])]
    assert sorted(result.nodes["name"]) == ["Orbit", "Rival"]
    assert len(result.relationships) == 1
    two = run(tiny_store, "strongest_path", target="Rival", max_hops="2")
    assert two.frame["path_strength"].tolist() == [0.5]
    # without a target: everyone we have no relationship with: Regulator via Alpha
    # (.5 x .8 = .40, via Beta only .5 x .5), Epsilon via the alliance (.7 x .5 = .35)
    assert rows(tiny_store, "strongest_path", "target", "path_strength", "hops", "route") == [
        ("Regulator", 0.4, 2, ["Orbit", "Alpha", "Regulator"]),
        ("Epsilon", 0.35, 2, ["Orbit", "Bridge Alliance", "Epsilon"]),
    ]


def test_referral_chains(tiny_store):
    expected = [
        ("Alpha", "Beta", 1, ["Alpha", "Beta"]),
        ("Alpha", "Gamma", 2, ["Alpha", "Beta", "Gamma"]),
    ]
    assert (
        rows(
            tiny_store,
            "referral_chains",
            "referrer",
            "referred",
            "depth",
            "chain",
            customer="Alpha",
        )
        == expected
    )
    assert rows(tiny_store, "referral_chains", "referrer", "referred", "depth", "chain") == expected
    assert rows(tiny_store, "referral_chains", "referred", customer="c1", max_depth="1") == [
        ("Beta",)
    ]


def test_strength_decline_weighs_interactions_by_sentiment(tiny_store):
    got = rows(
        tiny_store,
        "strength_decline",
        "name",
        "interactions_before",
        "interactions_after",
        "sentiment_before",
        "sentiment_after",
        "activity_before",
        "activity_after",
        "change",
        date_to=AS_OF.isoformat(),
        date_from=d(-180).isoformat(),
    )
    # Alpha: three positive contacts in the 90 days before day -180, one hostile one in the last
    # 90 days; Beta rose (neutral + unknown sentiment = 1.0) and is not listed
    assert got == [("Alpha", 3, 1, 1.0, -1.0, 3.0, 0.0, -3.0)]


def test_ego_network_grows_with_depth(tiny_store):
    one = run(tiny_store, "ego_network", stakeholder="Epsilon", depth="1")
    assert [
        tuple(r)
        for r in one.frame[["source", "type", "target", "source_steps", "target_steps"]].itertuples(
            index=False
        )
    ] == [("Epsilon", "MEMBER_OF", "Bridge Alliance", 0, 1)]
    two = rows(tiny_store, "ego_network", "source", "target", stakeholder="x1", depth="2")
    assert sorted(two) == [("Epsilon", "Bridge Alliance"), ("Orbit", "Bridge Alliance")]
    three = run(tiny_store, "ego_network", stakeholder="Epsilon", depth="3")
    # every stakeholder except the Regulator is within three steps; all their relationships
    assert len(three.nodes) == 11
    assert len(three.rows) == 16 - 2
    whole = run(tiny_store, "ego_network", depth="4")  # from Orbit, everything
    assert len(whole.rows) == 16


def test_value_at_risk_and_power_interest(tiny_store):
    # the top 20 % of revenue is Alpha (.8), of spend Steel Co (.7): nothing weak by default
    assert rows(tiny_store, "value_at_risk", "name") == []
    # every customer and supplier: Epsilon has no direct relationship (all 70 at risk), Delta
    # .2 (50 x .8 = 40); Chips B at .4 is not below .4
    assert rows(
        tiny_store,
        "value_at_risk",
        "name",
        "value_kind",
        "value",
        "strength",
        "value_at_risk",
        top_share="1",
    ) == [("Epsilon", "revenue", 70.0, None, 70.0), ("Delta", "revenue", 50.0, 0.2, 40.0)]
    assert rows(
        tiny_store, "value_at_risk", "name", "value_at_risk", top_share="1", max_strength="0.45"
    ) == [("Chips B", 72.0), ("Epsilon", 70.0), ("Delta", 40.0)]
    assert rows(tiny_store, "power_interest_grid", "quadrant", "name") == [
        ("keep informed", "Alpha"),
        ("keep satisfied", "Rival"),
        ("manage closely", "Regulator"),
    ]


def test_profile_overview_networks_and_influence(tiny_store):
    assert rows(
        tiny_store,
        "stakeholder_profile",
        "direction",
        "type",
        "other",
        "strength",
        stakeholder="Steel Co",
    ) == [("out", "SUPPLIES", "Orbit", 0.7), ("out", "SUPPLIES", "Rival", 0.6)]
    assert rows(tiny_store, "stakeholder_profile", "stakeholder")[0] == ("Alpha",)
    overview = run(tiny_store, "graph_overview").frame
    counts = {(k, t): c for k, t, c in overview[["kind", "type", "count"]].itertuples(index=False)}
    assert counts[("stakeholder", "customer")] == 5
    assert counts[("relationship", "BUYS_FROM")] == 5
    assert counts[("interaction", "Interaction")] == 6
    assert rows(
        tiny_store,
        "shared_networks",
        "name",
        "members",
        "we_are_member",
        "customers",
        min_members="1",
    ) == [("Bridge Alliance", 1, False, 1)]
    # hand check of the frame conversion: dates come back as datetime.date
    assert isinstance(
        run(tiny_store, "expiring_contracts", days="30", as_of=AS_OF.isoformat())
        .frame["contract_until"]
        .iloc[0],
        dt.date,
    )
