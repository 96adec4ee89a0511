"""Communities: reproducible Louvain, modularity equal to networkx's, quality like networkx's and
networkit's Louvain, composition counted by hand."""

from __future__ import annotations

import networkit as nk
import networkx as nx
import pandas as pd
import pytest

from graphcap.errors import MetricError
from graphcap.metrics import communities as C
from tests.metrics.refgraphs import ALL, stakeholder_like

nk.engineering.setNumberOfThreads(1)

GRAPHS = {**ALL, "stakeholder_like": lambda: stakeholder_like(1500, seed=2)}


def as_sets(membership: dict) -> list[set]:
    groups: dict = {}
    for v, c in membership.items():
        groups.setdefault(c, set()).add(v)
    return list(groups.values())


@pytest.fixture(params=sorted(GRAPHS))
def G(request):
    return GRAPHS[request.param]()


@pytest.mark.parametrize("weight", [None, "weight"])
def test_leiden_is_reproducible_and_a_partition(G, weight):
    first = C.leiden(G, weight=weight, seed=7)
    assert first == C.leiden(G, weight=weight, seed=7)
    assert set(first) == set(G)
    sizes = pd.Series(first).value_counts().sort_index()
    assert sizes.is_monotonic_decreasing  # ids numbered by size


@pytest.mark.parametrize("weight", [None, "weight"])
def test_modularity_equals_networkx_and_quality_matches_other_louvains(G, weight):
    U = G.to_undirected() if G.is_directed() else G
    if G.is_directed() and weight:  # the undirected view adds both directions' weights
        U = nx.Graph()
        U.add_nodes_from(G)
        for u, v, w in G.edges(data="weight"):
            old = U.edges[u, v]["weight"] if U.has_edge(u, v) else 0.0
            U.add_edge(u, v, weight=old + w)
    ours = C.leiden(G, weight=weight, seed=1)
    q = C.modularity(G, ours, weight=weight)
    assert q == pytest.approx(nx.community.modularity(U, as_sets(ours), weight=weight), abs=1e-9)
    q_nx = nx.community.modularity(
        U, nx.community.louvain_communities(U, weight=weight, seed=1), weight=weight
    )
    plm = nk.community.PLM(nk.nxadapter.nx2nk(U, weightAttr=weight), refine=False, gamma=1.0)
    plm.run()
    q_nk = nk.community.Modularity().getQuality(
        plm.getPartition(), nk.nxadapter.nx2nk(U, weightAttr=weight)
    )
    assert q >= max(q_nx, q_nk) - 0.03


def test_resolution_changes_the_number_of_communities():
    G = stakeholder_like(800, seed=4)
    coarse = set(C.leiden(G, resolution=0.5).values())
    fine = set(C.leiden(G, resolution=3.0).values())
    assert len(fine) > len(coarse)


def test_composition_counts_types_per_community():
    G = nx.barbell_graph(3, 0)
    types = ["customer", "customer", "partner", "supplier", "supplier", "agency"]
    nx.set_node_attributes(G, dict(enumerate(types)), "type")
    comm = C.leiden(G, weight=None)
    table = C.composition(comm, G)
    assert table["size"].tolist() == [3, 3]
    left = table.loc[table["community"] == comm[0]].iloc[0]
    assert (left["customer"], left["partner"], left["supplier"]) == (2, 1, 0)
    assert left["dominant_type"] == "customer"
    assert left["dominant_share"] == pytest.approx(2 / 3)
    assert table[["customer", "partner", "supplier", "agency"]].to_numpy().sum() == 6


def test_bad_input():
    assert C.leiden(nx.Graph()) == {}
    assert C.composition({}, {}).empty
    edgeless = nx.empty_graph(3)
    comm = C.leiden(edgeless)
    assert sorted(comm.values()) == [0, 1, 2]
    assert C.modularity(edgeless, comm) == 0.0
    looped = nx.Graph([(0, 1), (1, 1), (2, 3)])
    assert C.leiden(looped, weight=None) == {0: 0, 1: 0, 2: 1, 3: 1}
    with pytest.raises(MetricError, match="no community"):
        C.modularity(looped, {0: 0})
    with pytest.raises(MetricError, match="resolution"):
        C.leiden(looped, resolution=0)


def test_louvain_is_a_deprecated_alias_of_leiden():
    G = nx.barbell_graph(4, 0)
    with pytest.warns(DeprecationWarning, match="runs Leiden"):
        assert C.louvain(G, weight=None) == C.leiden(G, weight=None)
