"""Position metrics against networkx (the reference) and networkit (an independent implementation).

Definitions are matched explicitly: networkit's closeness is its GENERALIZED (Wasserman-Faust)
variant on the reversed graph (networkx uses incoming distances), its harmonic closeness likewise
unnormalised on the reversed graph, its raw betweenness divided by ``(n-1)(n-2)``, PageRank with
sinks distributed uniformly, eigenvector scaled to L2 norm 1.
"""

from __future__ import annotations

import math

import networkit as nk
import networkx as nx
import numpy as np
import pytest

import graphcap.graph.engine as engine_mod
import graphcap.metrics.reach as reach_mod
from graphcap.errors import MetricError
from graphcap.metrics import position as P
from tests.metrics.refgraphs import ALL, disconnected, karate, random_directed, stakeholder_like

nk.engineering.setNumberOfThreads(1)
TOL = 1e-6


def vec(scores: dict, G: nx.Graph) -> np.ndarray:
    return np.array([scores[v] for v in G], dtype=float)


def to_nk(G: nx.Graph, attr: str | None, *, reverse: bool = False) -> nk.Graph:
    H = G.reverse(copy=False) if reverse and G.is_directed() else G
    return nk.nxadapter.nx2nk(H, weightAttr=attr)


def nk_scores(algo) -> np.ndarray:
    algo.run()
    return np.asarray(algo.scores(), dtype=float)


@pytest.fixture(params=sorted(ALL))
def G(request):
    return ALL[request.param]()


@pytest.mark.parametrize("weight", [None, "weight"])
def test_degree_matches_networkx(G, weight):
    assert np.allclose(vec(P.degree(G, weight=weight), G), vec(dict(G.degree(weight=weight)), G))
    if G.is_directed():
        assert np.allclose(
            vec(P.degree(G, weight=weight, direction="in"), G),
            vec(dict(G.in_degree(weight=weight)), G),
        )
        assert np.allclose(
            vec(P.degree(G, weight=weight, direction="out"), G),
            vec(dict(G.out_degree(weight=weight)), G),
        )


@pytest.mark.parametrize("weight", [None, "distance"])
def test_exact_betweenness_matches_networkx_and_networkit(G, weight):
    ours = vec(P.betweenness(G, weight=weight, k=None), G)
    ref = vec(nx.betweenness_centrality(G, weight=weight), G)
    n = G.number_of_nodes()
    other = nk_scores(nk.centrality.Betweenness(to_nk(G, weight), normalized=False))
    assert np.abs(ours - ref).max() < TOL
    assert np.abs(ours - other / ((n - 1) * (n - 2))).max() < TOL


@pytest.mark.parametrize("k,seed", [(5, 0), (12, 7)])
def test_sampled_betweenness_equals_networkx_with_same_pivots(G, k, seed):
    ours = vec(P.betweenness(G, weight="distance", k=k, seed=seed), G)
    ref = vec(nx.betweenness_centrality(G, weight="distance", k=k, seed=seed), G)
    assert np.abs(ours - ref).max() < TOL


@pytest.mark.parametrize("distance", [None, "distance"])
def test_closeness_and_harmonic_match_networkx_and_networkit(G, distance):
    gen = nk.centrality.ClosenessVariant.GENERALIZED
    rev = to_nk(G, distance, reverse=True)
    ours = vec(P.closeness(G, distance=distance, k=None), G)
    assert np.abs(ours - vec(nx.closeness_centrality(G, distance=distance), G)).max() < TOL
    assert np.abs(ours - nk_scores(nk.centrality.Closeness(rev, True, gen))).max() < TOL
    ours = vec(P.harmonic(G, distance=distance, k=None), G)
    assert np.abs(ours - vec(nx.harmonic_centrality(G, distance=distance), G)).max() < TOL
    assert np.abs(ours - nk_scores(nk.centrality.HarmonicCloseness(rev, False))).max() < TOL


def test_sampled_closeness_with_all_nodes_as_pivots_is_exact(G):
    n = G.number_of_nodes()
    # k = n - 1 takes the sampled path yet leaves out a single node: the estimator is then close
    # to exact, and with k >= n it is the exact definition.
    exact = vec(P.closeness(G, distance="distance", k=None), G)
    assert np.abs(vec(P.closeness(G, distance="distance", k=n), G) - exact).max() < TOL
    est = vec(P.closeness(G, distance="distance", k=n - 1), G)
    assert np.abs(est - exact).max() < 0.1 * exact.max()


@pytest.mark.parametrize("weight", [None, "weight"])
def test_pagerank_matches_networkx_and_networkit(G, weight):
    ours = vec(P.pagerank(G, weight=weight), G)
    assert (
        np.abs(ours - vec(nx.pagerank(G, weight=weight, tol=1e-13, max_iter=100_000), G)).max()
        < TOL
    )
    sinks = nk.centrality.SinkHandling.DistributeSinks
    other = nk_scores(nk.centrality.PageRank(to_nk(G, weight), 0.85, 1e-14, False, sinks))
    assert np.abs(ours - other / other.sum()).max() < TOL
    assert math.isclose(ours.sum(), 1.0)


@pytest.mark.parametrize("weight", [None, "weight"])
def test_eigenvector_matches_networkx_and_networkit(G, weight):
    ours = vec(P.eigenvector(G, weight=weight), G)
    # networkx's numpy variant refuses disconnected graphs; its power iteration (from all ones)
    # is the reference there: the part with the largest eigenvalue scores, the rest gets ~0.
    ref = vec(nx.eigenvector_centrality(G, weight=weight, max_iter=100_000, tol=1e-14), G)
    assert np.abs(ours - np.abs(ref)).max() < TOL
    if not G.is_directed():  # networkit's power iteration works on undirected graphs
        other = nk_scores(nk.centrality.EigenvectorCentrality(to_nk(G, weight), 1e-13))
        # networkit stops its power iteration at about 1e-6 whatever tolerance it is given
        assert np.abs(ours - other / np.linalg.norm(other)).max() < 1e-5


def test_reach2_and_core_number_match_networkx(G, monkeypatch):
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    ref = {v: len(nx.single_source_shortest_path_length(U, v, cutoff=2)) - 1 for v in G}
    assert P.reach2(G) == pytest.approx(ref)
    eg = engine_mod.engine_for(G)
    monkeypatch.setattr(reach_mod, "DIRECT_WORK_LIMIT", 0)  # the hub algorithm, not igraph's walk
    for hub_degree in (0, 3, 6):  # many, some and few stakeholders counted as hubs
        assert np.array_equal(P.reach2_array(eg, hub_degree=hub_degree), vec(ref, G))
    if G.is_directed():
        for direction, H in (("out", G), ("in", G.reverse())):
            ref = {v: len(nx.single_source_shortest_path_length(H, v, cutoff=2)) - 1 for v in G}
            assert P.reach2(G, direction=direction) == pytest.approx(ref)
            got = P.reach2_array(eg, direction=direction, hub_degree=2)
            assert np.array_equal(got, vec(ref, G))
    assert P.core_number(G) == pytest.approx(nx.core_number(G))
    if not G.is_directed():
        cd = nk_scores(nk.centrality.CoreDecomposition(to_nk(G, None)))
        assert np.allclose(vec(P.core_number(G), G), cd)


def test_reach2_with_a_dominant_hub_matches_networkx(monkeypatch):
    G = stakeholder_like(400, seed=9)  # node 0 is tied to 40% of all stakeholders
    ref = {v: len(nx.single_source_shortest_path_length(G, v, cutoff=2)) - 1 for v in G}
    assert P.reach2(G) == pytest.approx(ref)
    monkeypatch.setattr(reach_mod, "DIRECT_WORK_LIMIT", 0)
    assert P.reach2(G) == pytest.approx(ref)
    eg = engine_mod.engine_for(G)
    whole = P.reach2_array(eg, hub_degree=3)
    for block in (1, 97, 5_000):  # the two-step product row block by row block
        monkeypatch.setattr(reach_mod, "BLOCK_WORK", block)
        assert np.array_equal(P.reach2_array(eg, hub_degree=3), whole)
        assert P.reach2(G) == pytest.approx(ref)


@pytest.mark.slow
@pytest.mark.parametrize("directed", [False, True])
def test_sampling_error_within_stated_bound(directed):
    """The default pivots on a 3,000-node graph (above the exact limit) stay within the bound."""
    G = stakeholder_like(3000, seed=11, directed=directed)
    assert G.number_of_nodes() * G.number_of_edges() > P.EXACT_WORK_LIMIT
    bound = P.SAMPLING_ERROR["directed" if directed else "undirected"]
    for f, kw in ((P.betweenness, "weight"), (P.closeness, "distance"), (P.harmonic, "distance")):
        exact = vec(f(G, **{kw: "distance"}, k=None), G)
        auto = vec(f(G, **{kw: "distance"}, seed=3), G)  # "auto" samples at this size
        assert not np.allclose(auto, exact)  # it really sampled
        assert np.abs(auto - exact).max() <= bound * exact.max(), f.__name__


ALL_MEASURES = [
    lambda G: P.degree(G, weight="weight"),
    lambda G: P.betweenness(G, weight="distance"),
    lambda G: P.closeness(G, distance="distance"),
    lambda G: P.harmonic(G, distance="distance"),
    lambda G: P.pagerank(G, weight="weight"),
    lambda G: P.eigenvector(G, weight="weight"),
    P.reach2,
    P.core_number,
]


@pytest.mark.parametrize("measure", ALL_MEASURES)
def test_bad_input_gives_defined_results(measure):
    assert measure(nx.Graph()) == {}
    one = measure(nx.empty_graph(["solo"]))
    assert list(one) == ["solo"] and all(math.isfinite(x) for x in one.values())
    G = disconnected()
    looped = G.copy()
    looped.add_edge(0, 0, weight=0.7, distance=1 / 0.7)
    assert measure(looped) == pytest.approx(measure(G))
    assert all(math.isfinite(x) for x in measure(G).values())
    zero = karate()
    nx.set_edge_attributes(zero, 0.0, "weight")
    assert all(math.isfinite(x) for x in measure(zero).values())


@pytest.mark.parametrize("bad", [float("nan"), -1.0, "heavy"])
def test_invalid_weights_are_refused(bad):
    G = karate()
    G.edges[0, 1]["distance"] = bad
    with pytest.raises(MetricError, match="distance"):
        P.betweenness(G, weight="distance")


def test_zero_length_and_multigraph_are_refused():
    G = karate()
    G.edges[0, 1]["distance"] = 0.0
    with pytest.raises(MetricError, match="lengths > 0"):
        P.closeness(G, distance="distance")
    with pytest.raises(MetricError, match="to_weighted"):
        P.pagerank(nx.MultiGraph([(1, 2), (1, 2)]))


def test_directed_acyclic_eigenvector_is_a_clear_error():
    with pytest.raises(MetricError, match="PageRank"):
        P.eigenvector(nx.DiGraph([("a", "b"), ("b", "c")]))


def test_frozen_graphs_are_converted_once_and_mutable_ones_every_time():
    G = nx.freeze(random_directed())
    assert engine_mod.engine_for(G) is engine_mod.engine_for(G)
    H = random_directed()
    first = P.degree(H)
    H.add_edge(0, 999)
    assert P.degree(H)[999] == 1.0 and 999 not in first
