"""Brokerage and fragility against networkx and against brute force (remove and recount)."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from graphcap.errors import MetricError
from graphcap.metrics import brokerage as B
from tests.metrics.refgraphs import ALL, stakeholder_like

TOL = 1e-6


@pytest.fixture(params=sorted(ALL))
def G(request):
    return ALL[request.param]()


@pytest.mark.parametrize("weight", [None, "weight"])
def test_constraint_and_effective_size_match_networkx(G, weight):
    ref_c = {v: (1.0 if math.isnan(x) else x) for v, x in nx.constraint(G, weight=weight).items()}
    # networkx 3.6 has two code paths for effective size that disagree on weighted and directed
    # graphs; the per-node one (nodes=...) follows Burt's formula as documented and as computed
    # by hand in test_effective_size_by_hand_with_weights, so it is the reference.
    # That path also returns NaN for a directed node with incoming ties only (it looks at G[v],
    # the successors); those nodes are left out of the comparison, isolated ones get 0.
    ref_e = {
        v: x
        for v, x in nx.effective_size(G, nodes=list(G), weight=weight).items()
        if not math.isnan(x) or nx.is_isolate(G, v)
    }
    ref_e = {v: 0.0 if math.isnan(x) else x for v, x in ref_e.items()}
    ours_c, ours_e = B.constraint(G, weight=weight), B.effective_size(G, weight=weight)
    assert max(abs(ours_c[v] - ref_c[v]) for v in G) < TOL
    assert len(ref_e) >= len(G) - 3
    assert max(abs(ours_e[v] - ref_e[v]) for v in ref_e) < TOL


def test_effective_size_by_hand_with_weights():
    # hub tied to a (3), b (1), c (1); a-b tied (2). p_hub = 3/5, 1/5, 1/5.
    # a's strongest tie is hub (3): m_ab = 2/3; b's strongest is a (2): m_ba = 1.
    # redundancy of a: p_hub,b * m_ab = 1/5 * 2/3; of b: p_hub,a * m_ba = 3/5 * 1
    G = nx.Graph()
    G.add_weighted_edges_from(
        [("hub", "a", 3.0), ("hub", "b", 1.0), ("hub", "c", 1.0), ("a", "b", 2.0)]
    )
    expected = 3 - (1 / 5) * (2 / 3) - (3 / 5) * 1
    assert B.effective_size(G, weight="weight")["hub"] == pytest.approx(expected)


def test_bridges_and_articulation_points_match_networkx(G):
    U = G.to_undirected() if G.is_directed() else G
    assert {frozenset(e) for e in B.bridges(G)} == {frozenset(e) for e in nx.bridges(U)}
    assert set(B.articulation_points(G)) == set(nx.articulation_points(U))


def _tree_heavy(seed: int) -> nx.Graph:
    """A stakeholder-like core with dealer trees hanging off it: many gatekeepers."""
    G = stakeholder_like(200, seed=seed)
    rng = np.random.default_rng(seed)
    nxt = 1000
    for _ in range(40):
        parent = int(rng.integers(0, nxt if nxt > 1000 else 200))
        parent = parent if parent in G else 5
        G.add_edge(parent, nxt)
        nxt += 1
    G.add_edge(5000, 5001)  # a pair the organisation cannot reach
    return G


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gatekeepers_match_networkx_dominators(seed):
    G = _tree_heavy(seed)
    focal = [0, 1]
    D = nx.DiGraph(G.to_directed())
    D.add_edges_from(("root", f) for f in focal)
    idom = nx.immediate_dominators(D, "root")
    expected = {
        v: d
        for v, d in idom.items()
        if v not in focal and v != "root" and d not in focal and d != "root"
    }
    assert B.gatekeepers(G, focal) == expected


@pytest.mark.parametrize("seed", [0, 1])
def test_dependents_equal_brute_force_removal(seed):
    G = _tree_heavy(seed)
    focal = [0]
    reach = set(nx.node_connected_component(G, 0))
    deps = B.dependents(G, focal)
    for v in G:
        if v in focal:
            assert deps[v] == 0
            continue
        H = G.subgraph(n for n in G if n != v)
        lost = reach - {v} - set(nx.node_connected_component(H, 0))
        assert deps[v] == len(lost), v


def test_directed_graph_is_read_without_direction():
    D = nx.DiGraph([("cust", "org"), ("dealer", "org"), ("end", "dealer")])
    assert B.gatekeepers(D, ["org"]) == {"end": "dealer"}
    assert B.articulation_points(D) == ["org", "dealer"]


def test_bad_input():
    assert B.constraint(nx.Graph()) == {} and B.effective_size(nx.Graph()) == {}
    solo = nx.empty_graph(["solo"])
    assert B.constraint(solo) == {"solo": 1.0} and B.effective_size(solo) == {"solo": 0.0}
    assert B.bridges(solo) == [] and B.articulation_points(solo) == []
    weightless = nx.Graph(
        [("a", "b", {"weight": 0.0}), ("b", "c", {"weight": 0.0}), ("a", "c", {"weight": 0.0})]
    )
    assert B.constraint(weightless, weight="weight") == {"a": 1.0, "b": 1.0, "c": 1.0}
    assert B.effective_size(weightless, weight="weight") == {"a": 2.0, "b": 2.0, "c": 2.0}
    looped = nx.Graph([("a", "b"), ("b", "b")])
    assert B.constraint(looped) == {"a": 1.0, "b": 1.0}
    with pytest.raises(MetricError, match="focal organisation"):
        B.gatekeepers(looped, ["nobody"])
    with pytest.raises(MetricError, match="focal organisation"):
        B.dependents(looped, [])
