"""Every library query runs on the sample; many give hand-computed answers on the tiny network."""

from __future__ import annotations

import datetime as dt

import pytest

from graphcap.config import Limits
from graphcap.console import library, policy

from .graphs import AS_OF, day

pytestmark = pytest.mark.integration

QUERIES = library.list_queries()
LIMITS = Limits(query_timeout_s=60, max_rows=5000)


def run(store, name: str, **params):
    query = library.get_query(name)
    return policy.run_query(store, query.text, query.resolve(params), limits=LIMITS)


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
    (everyone we do not deal with directly) has no one to reach."""
    empty = [q.name for q in QUERIES if not run(sample_store, q.name).rows]
    assert set(empty) <= {"bridging_partners", "strongest_path"}, empty


def test_quality_strength_matches_an_independent_computation(sample_store):
    """Queries fall back on the weighted mean of the present quality dimensions where a
    relationship has no strength; compare with pandas on the same network."""
    from graphcap.sample import sample_small

    net = sample_small()
    e = net.edges[(net.edges["type"] == "BUYS_FROM")]
    units = set(net.focal_ids())
    e = e[e["target"].isin(units)].copy()
    weights = {"trust": 0.35, "commitment": 0.25, "responsiveness": 0.2, "mutual_interest": 0.2}
    num = sum(e[k].fillna(0) * w for k, w in weights.items())
    den = sum(e[k].notna() * w for k, w in weights.items())
    e["q"] = e["strength"].where(e["strength"].notna(), num / den) if "strength" in e else num / den
    expected = e.groupby("source")["q"].mean()  # the query rounds to 3 decimals
    got = run(sample_store, "top_customers", limit=1000).frame.set_index("id")["strength"]
    assert len(got) > 10
    for ident, value in got.items():
        assert value == pytest.approx(expected[ident], abs=5.01e-4), ident


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
    # direct COMPETES_WITH has no strength (0); via Alpha .8 x .5 = .40; via Steel Co .7 x .6 = .42
    result = run(tiny_store, "strongest_path", target="Rival")
    assert [
        tuple(r)
        for r in result.frame[
            ["target", "path_strength", "weakest_link", "hops", "route"]
        ].itertuples(index=False)
    ] == [("Rival", 0.42, 0.6, 2, ["Orbit", "Steel Co", "Rival"])]
    assert sorted(result.nodes["name"]) == ["Orbit", "Rival", "Steel Co"]
    assert len(result.relationships) == 2
    # without a target: everyone we have no relationship with (Epsilon, Regulator)
    assert rows(tiny_store, "strongest_path", "target", "path_strength", "hops") == [
        ("Epsilon", 0.35, 2),
        ("Regulator", 0.0, 2),
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


def test_communities_by_type_when_no_community_was_written(tiny_store):
    frame = run(tiny_store, "communities").frame.set_index("community")
    customers = frame.loc["type: customer"]
    assert (
        customers["members"],
        customers["customers"],
        customers["internal"],
        customers["external"],
        customers["revenue"],
    ) == (5, 5, 2, 8, 1020.0)
    assert customers["most_connected"][:2] == ["Alpha", "Beta"]
    assert frame["members"].sum() == 12


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
    assert rows(tiny_store, "value_at_risk", "name", "value", "strength", "value_at_risk") == [
        ("Delta", 50.0, 0.2, 40.0)
    ]
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
    top = rows(tiny_store, "influential_stakeholders", "name", "score", "relationships", limit="3")
    assert top == [("Alpha", None, 4), ("Beta", None, 4), ("Rival", None, 3)]
    # hand check of the frame conversion: dates come back as datetime.date
    assert isinstance(
        run(tiny_store, "expiring_contracts", days="30", as_of=AS_OF.isoformat())
        .frame["contract_until"]
        .iloc[0],
        dt.date,
    )
