"""Projection: filters, the typed multigraph and the weighted views, checked by hand."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from graphcap.errors import MetricError
from graphcap.graph.projection import (
    DEFAULT_STRENGTH,
    STRENGTH_FLOOR,
    NetworkFilter,
    apply_filter,
    edge_strength,
    to_multidigraph,
    to_weighted,
)
from graphcap.model import Network

T = pd.Timestamp


@pytest.fixture
def net() -> Network:
    nodes = pd.DataFrame(
        {
            "id": ["org", "c1", "c2", "s1", "p1", "a1"],
            "name": ["Acme GmbH", "Müller KG", "Schmidt AG", "Steel Ltd", "Alliance One", "Agency"],
            "type": ["organization", "customer", "customer", "supplier", "partner", "agency"],
            "since": [T("2000-01-01"), T("2019-01-01"), T("2024-06-01"), None, None, None],
            "revenue": [None, 100.0, 50.0, None, None, None],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["c1", "c1", "c2", "s1", "p1", "a1", "c1"],
            "target": ["org", "org", "org", "org", "org", "p1", "c2"],
            "type": [
                "BUYS_FROM",
                "REFERS",
                "BUYS_FROM",
                "SUPPLIES",
                "PARTNERS_WITH",
                "SERVES",
                "REFERS",
            ],
            "strength": [0.6, 0.5, 0.9, None, 0.0, 0.3, 0.2],
            "trust": [None, None, None, 0.8, None, None, None],
            "commitment": [None, None, None, 0.4, None, None, None],
            "volume": [100.0, None, 50.0, 30.0, None, None, None],
            "since": [T("2019-01-01"), None, T("2024-06-01"), T("2015-01-01"), None, None, None],
            "contract_until": [T("2022-12-31"), None, None, T("2020-12-31"), None, None, None],
            "last_contact": [None, None, None, T("2021-03-01"), None, None, None],
        }
    )
    log = pd.DataFrame({"date": [T("2023-05-01")], "source": ["org"], "target": ["s1"]})
    return Network(nodes=nodes, edges=edges, interactions=log, meta={"as_of": "2025-01-01"})


def test_edge_strength_falls_back_to_quality_then_default(net):
    s = edge_strength(net.edges)
    assert s.tolist()[:4] == [0.6, 0.5, 0.9, pytest.approx(0.6)]  # s1: mean(0.8, 0.4)
    bare = net.edges.drop(columns=["strength", "trust", "commitment"])
    assert (edge_strength(bare) == DEFAULT_STRENGTH).all()


def test_multidigraph_keeps_every_relationship_and_attribute(net):
    G = to_multidigraph(net)
    assert G.number_of_nodes() == 6 and G.number_of_edges() == len(net.edges)
    assert set(G["c1"]["org"]) == {"BUYS_FROM", "REFERS"}
    assert G["c1"]["org"]["BUYS_FROM"]["volume"] == 100.0
    assert "volume" not in G["c1"]["org"]["REFERS"]  # missing values are left out
    assert G.nodes["c1"]["name"] == "Müller KG" and G.nodes["c1"]["revenue"] == 100.0


def test_weighted_view_merges_parallel_ties(net):
    G = to_weighted(net)
    assert nx.is_frozen(G) and not G.is_directed()
    tie = G["org"]["c1"]
    assert tie["strength"] == pytest.approx(1 - (1 - 0.6) * (1 - 0.5))
    assert tie["count"] == 2 and tie["types"] == "BUYS_FROM;REFERS"
    assert tie["volume"] == 100.0  # missing volume counts 0
    assert tie["distance"] == pytest.approx(1 / tie["strength"])
    assert tie["cost"] == pytest.approx(-math.log(tie["strength"]))
    assert G.number_of_edges() == 6


def test_zero_strength_is_floored_not_infinite(net):
    tie = to_weighted(net)["org"]["p1"]
    assert tie["strength"] == 0.0
    assert tie["weight"] == STRENGTH_FLOOR
    assert tie["distance"] == 1 / STRENGTH_FLOOR and math.isfinite(tie["cost"])


def test_directed_view_keeps_direction_and_weight_can_be_volume(net):
    D = to_weighted(net, directed=True, weight="volume")
    assert D.has_edge("c1", "org") and not D.has_edge("org", "c1")
    assert D["c2"]["org"]["weight"] == 50.0
    with pytest.raises(MetricError, match="weight must be"):
        to_weighted(net, weight="trust")


def test_self_loops_stay_in_the_multigraph_only(net):
    looped = Network(
        nodes=net.nodes,
        edges=pd.concat(
            [
                net.edges,
                pd.DataFrame({"source": ["org"], "target": ["org"], "type": ["INFLUENCES"]}),
            ],
            ignore_index=True,
        ),
    )
    assert to_multidigraph(looped).has_edge("org", "org")
    assert not to_weighted(looped).has_edge("org", "org")


def test_unknown_ends_are_a_clear_error(net):
    bad = Network(
        nodes=net.nodes,
        edges=pd.DataFrame({"source": ["ghost"], "target": ["org"], "type": ["BUYS_FROM"]}),
    )
    with pytest.raises(MetricError, match="ghost"):
        to_weighted(bad)


def ids(network: Network) -> set[str]:
    return set(network.nodes["id"])


def pairs(network: Network) -> set[tuple[str, str, str]]:
    return set(
        zip(network.edges["source"], network.edges["target"], network.edges["type"], strict=True)
    )


def test_type_and_relationship_filters(net):
    only = apply_filter(net, NetworkFilter(node_types={"organization", "customer"}))
    assert ids(only) == {"org", "c1", "c2"}
    assert {t for *_, t in pairs(only)} == {"BUYS_FROM", "REFERS"}
    refers = apply_filter(net, NetworkFilter(rel_types=["refers"]))
    assert pairs(refers) == {("c1", "org", "REFERS"), ("c1", "c2", "REFERS")}
    assert ids(refers) == ids(net)  # stakeholders stay; only relationships are filtered


def test_min_strength_uses_the_same_strength_as_the_weights(net):
    strong = apply_filter(net, NetworkFilter(min_strength=0.55))
    assert pairs(strong) == {
        ("c1", "org", "BUYS_FROM"),
        ("c2", "org", "BUYS_FROM"),
        ("s1", "org", "SUPPLIES"),
    }  # s1 by its quality mean 0.6


def test_time_window(net):
    window = apply_filter(net, NetworkFilter(start="2023-01-01", end="2023-12-31"))
    kept = pairs(window)
    assert ("c1", "org", "BUYS_FROM") not in kept  # contract ended 2022
    assert ("c2", "org", "BUYS_FROM") not in kept  # starts 2024
    assert ("s1", "org", "SUPPLIES") in kept  # lifetime over, but a logged contact in 2023
    assert ("c1", "org", "REFERS") in kept  # no dates: open-ended
    assert "c2" not in ids(window)  # the stakeholder itself starts in 2024
    assert len(window.interactions) == 1
    early = apply_filter(net, NetworkFilter(end="2016-01-01"))
    assert ("s1", "org", "SUPPLIES") in pairs(early) and len(early.interactions) == 0
    with pytest.raises(MetricError, match="after it ends"):
        NetworkFilter(start="2024-01-01", end="2023-01-01")
    with pytest.raises(MetricError, match="not a date"):
        NetworkFilter(start="yesterday-ish")


def test_ego_radius(net):
    one = apply_filter(net, NetworkFilter(ego="a1", radius=1))
    assert ids(one) == {"a1", "p1"}
    two = apply_filter(net, NetworkFilter(ego="a1", radius=2))
    assert ids(two) == {"a1", "p1", "org"}
    three = apply_filter(net, NetworkFilter(ego="a1", radius=3))
    assert ids(three) == ids(net)
    with pytest.raises(MetricError, match="not in the"):
        apply_filter(net, NetworkFilter(ego="nobody"))
    with pytest.raises(MetricError, match="not in the"):  # filtered away first
        apply_filter(net, NetworkFilter(ego="a1", node_types={"customer"}))


def test_search_keeps_matches_and_their_neighbours(net):
    found = apply_filter(net, NetworkFilter(search="müller"))
    assert ids(found) == {"c1", "org", "c2"}
    assert ids(apply_filter(net, NetworkFilter(search="S1"))) == {"s1", "org"}
    assert NetworkFilter(search="  ").is_empty
    # accents, case and the spaces between words do not matter; the text is never a pattern
    assert ids(apply_filter(net, NetworkFilter(search=" MULLER "))) == {"c1", "org", "c2"}
    assert ids(apply_filter(net, NetworkFilter(search="m.ller"))) == set()


def test_community_filter_needs_an_assignment(net):
    comm = {"org": 0, "c1": 0, "c2": 0, "s1": 1, "p1": 1, "a1": 1}
    assert ids(apply_filter(net, NetworkFilter(communities=[1]), communities=comm)) == {
        "s1",
        "p1",
        "a1",
    }
    with pytest.raises(MetricError, match="community assignment"):
        apply_filter(net, NetworkFilter(communities=[1]))


def test_filters_combine_and_leave_the_input_alone(net):
    before = net.edges.copy()
    flt = NetworkFilter(
        node_types={"organization", "customer", "supplier"}, min_strength=0.5, ego="c2", radius=2
    )
    out = apply_filter(net, flt)
    assert ids(out) == {"c2", "org", "c1", "s1"}
    assert out.meta["filter"] == flt and out.meta["as_of"] == "2025-01-01"
    pd.testing.assert_frame_equal(net.edges, before)
    assert apply_filter(net, NetworkFilter()) is net


@pytest.mark.parametrize("directed", [False, True])
def test_engine_from_frames_equals_engine_from_the_networkx_graph(net, directed):
    from graphcap.graph.engine import EngineGraph, engine_for
    from graphcap.graph.projection import to_engine

    G = to_weighted(net, directed=directed)
    direct = to_engine(net, directed=directed)
    converted = EngineGraph(nx.Graph(G) if not directed else nx.DiGraph(G))  # via networkx
    assert engine_for(G).nodes == direct.nodes == converted.nodes == list(G)
    ours = {
        (direct.nodes[s], direct.nodes[t]): w
        for s, t, w in zip(direct.src, direct.dst, direct.weights("distance"), strict=True)
    }
    ref = {
        (converted.nodes[s], converted.nodes[t]): w
        for s, t, w in zip(converted.src, converted.dst, converted.weights("distance"), strict=True)
    }
    if not directed:
        ours = {frozenset(k): v for k, v in ours.items()}
        ref = {frozenset(k): v for k, v in ref.items()}
    assert ours == pytest.approx(ref)


def test_negative_relationships_never_add_to_a_tie():
    from graphcap.metrics.paths import tie_strengths, warm_introductions

    nodes = pd.DataFrame(
        {
            "id": ["o", "a", "b", "t"],
            "name": list("OABT"),
            "type": ["organization", "customer", "partner", "customer"],
        }
    )
    # o-a: two mutual -10 ratings (-1 each) -> -1; o-b: 0.6 and a distrust of -0.5 -> 0.6 - 0.5
    # a-t strong, b-t 0.5: the introduction to t may not route through a
    edges = pd.DataFrame(
        {
            "source": ["o", "a", "o", "b", "a", "b"],
            "target": ["a", "o", "b", "o", "t", "t"],
            "type": ["INFLUENCES", "INFLUENCES", "PARTNERS_WITH", "INFLUENCES", "REFERS", "REFERS"],
            "strength": [-1.0, -1.0, 0.6, -0.5, 0.95, 0.5],
        }
    )
    G = to_weighted(Network(nodes, edges))
    assert G["o"]["a"]["strength"] == pytest.approx(-1.0)
    assert G["o"]["b"]["strength"] == pytest.approx(0.6 - 0.5)
    ties = tie_strengths(G, ["o"]).set_index("id")["tie_strength"]
    assert ties["a"] == pytest.approx(0.1 * 0.5 * 0.95)  # o-b-t-a, not the hostile direct tie
    assert ties["t"] == pytest.approx(0.1 * 0.5)
    intro = warm_introductions(G, ["o"], "t", k=5)
    assert intro["path"].tolist() == [["o", "b", "t"]]  # never through the hostile a
    # positive parallel relationships still combine as 1 - prod(1 - s)
    pos = edges.assign(strength=[0.5, 0.5, 0.6, 0.5, 0.95, 0.5])
    assert to_weighted(Network(nodes, pos))["o"]["a"]["strength"] == pytest.approx(0.75)
