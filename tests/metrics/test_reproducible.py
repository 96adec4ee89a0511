"""PageRank and eigenvector centrality are bit-reproducible: two analyses of the same network,
and of the same network with its rows in another order, give identical values and ranks.

igraph's ARPACK starts from a random vector drawn from the process-wide generator; graphcap
fixes that start and runs on a canonical order (graphcap.metrics.spectral._canonical_ig), so
near-tied percentile ranks can no longer swap between runs.
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graphcap.analysis import analyze, clear_cache
from graphcap.graph.engine import engine_for
from graphcap.metrics import position
from graphcap.model import Network
from graphcap.sample import generate_sample

ARPACK_COLUMNS = ["pagerank", "eigenvector", "pagerank_pct"]


def _shuffled(net: Network, seed: int) -> Network:
    """The same network with every table's rows in another order."""
    return Network(
        nodes=net.nodes.sample(frac=1.0, random_state=seed).reset_index(drop=True),
        edges=net.edges.sample(frac=1.0, random_state=seed + 1).reset_index(drop=True),
        interactions=net.interactions.sample(frac=1.0, random_state=seed + 2).reset_index(
            drop=True
        ),
        meta=dict(net.meta),
    )


def _by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("id")[ARPACK_COLUMNS].sort_index()


@pytest.fixture(scope="module")
def sample() -> Network:
    return generate_sample(seed=7, customers=240, suppliers=80)


def test_two_analyses_are_identical(sample):
    clear_cache()
    first = _by_id(analyze(sample).nodes)
    random.random()  # the process-wide generator moves on between the runs
    clear_cache()
    second = _by_id(analyze(sample).nodes)
    pd.testing.assert_frame_equal(first, second, check_exact=True)


def test_row_order_does_not_change_values_or_ranks(sample):
    clear_cache()
    base = _by_id(analyze(sample).nodes)
    for seed in (1, 2):
        shuffled = _shuffled(sample, seed)
        assert shuffled.nodes["id"].tolist() != sample.nodes["id"].tolist()
        clear_cache()
        other = _by_id(analyze(shuffled).nodes)
        pd.testing.assert_frame_equal(base, other, check_exact=True)


@pytest.mark.parametrize("directed", [False, True])
def test_random_graph_in_any_node_order(directed):
    rng = np.random.default_rng(3)
    G = nx.gnm_random_graph(300, 900, seed=3, directed=directed)
    for u, v in G.edges:
        G[u][v]["weight"] = float(rng.choice([0.25, 0.5, 1.0]))  # few distinct weights: ties
    names = {v: f"s{v:03d}" for v in G}
    G = nx.relabel_nodes(G, names)
    order = list(G)
    random.Random(5).shuffle(order)
    H = G.__class__()
    H.add_nodes_from(order)
    edges = list(G.edges(data=True))
    random.Random(6).shuffle(edges)
    H.add_edges_from(
        (v, u, d) if not directed and i % 2 else (u, v, d) for i, (u, v, d) in enumerate(edges)
    )
    for measure in (position.pagerank, position.eigenvector):
        if directed and measure is position.eigenvector and not nx.is_strongly_connected(G):
            continue
        a, b = measure(G, weight="weight"), measure(H, weight="weight")
        assert a == b  # equal to the last bit, node by node
        ref = (
            nx.pagerank(G, weight="weight", tol=1e-13)
            if measure is position.pagerank
            else nx.eigenvector_centrality(G, weight="weight", max_iter=10_000, tol=1e-13)
        )
        assert max(abs(a[v] - ref[v]) for v in G) < 1e-6


def test_canonical_graph_is_built_once_per_weight():
    G = nx.freeze(nx.Graph([("b", "a", {"weight": 2.0}), ("a", "c", {"weight": 1.0})]))
    eg = engine_for(G)
    first = position.pagerank(G, weight="weight")
    assert ("canonical_ig", "weight") in eg.memo
    graph = eg.memo[("canonical_ig", "weight")][0]
    assert position.pagerank(G, weight="weight") == first
    assert eg.memo[("canonical_ig", "weight")][0] is graph
