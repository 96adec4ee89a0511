"""node_metrics (the whole suite as one table)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graphcap.errors import MetricError
from graphcap.graph.projection import to_weighted
from graphcap.metrics import brokerage, communities, position
from graphcap.metrics.suite import MEASURES, node_metrics
from graphcap.model import Network, empty_network
from graphcap.model.hashing import network_hash
from tests.metrics.refgraphs import stakeholder_like


def network_from(G: nx.Graph) -> Network:
    types = ["organization"] + ["customer", "supplier", "partner"] * G.number_of_nodes()
    nodes = pd.DataFrame(
        {
            "id": [str(v) for v in G],
            "name": [f"S{v}" for v in G],
            "type": types[: G.number_of_nodes()],
        }
    )
    edges = pd.DataFrame(
        [(str(u), str(v), "REFERS", d["weight"]) for u, v, d in G.edges(data=True)],
        columns=["source", "target", "type", "strength"],
    )
    return Network(nodes=nodes, edges=edges)


@pytest.fixture(scope="module")
def net() -> Network:
    G = stakeholder_like(300, seed=8)
    G.add_node(999)  # an isolated stakeholder
    return network_from(G)


def test_table_has_every_measure_and_equals_the_single_functions(net):
    table = node_metrics(net)
    G = to_weighted(net)
    assert table["id"].tolist() == list(G)
    expected = set(MEASURES)
    assert expected <= set(table.columns)
    assert not table.drop(columns=["id", "gatekeeper"]).isna().any().any()
    assert np.isfinite(table.select_dtypes("number").to_numpy()).all()
    by_id = table.set_index("id")
    for column, scores in (
        ("betweenness", position.betweenness(G, weight="distance")),
        ("closeness", position.closeness(G, distance="distance")),
        ("pagerank", position.pagerank(G, weight="weight")),
        ("constraint", brokerage.constraint(G, weight="weight")),
        ("dependents", brokerage.dependents(G, net.focal_ids())),
        ("community", communities.leiden(G)),
    ):
        assert by_id[column].to_dict() == pytest.approx(scores), column
    keeper = brokerage.gatekeepers(G, ["0"])
    assert {k: v for k, v in by_id["gatekeeper"].items() if v} == keeper
    assert by_id.loc["999", "closeness"] == 0.0 and by_id.loc["999", "constraint"] == 1.0
    assert set(table.attrs["timings"]) == expected | {"engine"} and table.attrs["notes"] == []
    assert table.attrs["params"]["focal"] == ["0"]


def test_directed_view_adds_in_and_out_columns(net):
    table = node_metrics(net, directed=True, measures=["degree", "weighted_degree", "eigenvector"])
    assert {"degree_in", "degree_out", "strength_in", "strength_out"} <= set(table.columns)
    assert (table["degree"] == table["degree_in"] + table["degree_out"]).all()


def test_undefined_measures_are_noted_not_fatal():
    G = nx.DiGraph([("a", "b"), ("b", "c")])  # acyclic: no eigenvector centrality; no focal
    table = node_metrics(G, measures=["eigenvector", "dependents", "pagerank"])
    assert table["eigenvector"].tolist() == [0.0, 0.0, 0.0]
    assert "dependents" not in table.columns
    notes = " ".join(table.attrs["notes"])
    assert "eigenvector" in notes and "focal organisation" in notes
    with pytest.raises(MetricError, match="unknown measure"):
        node_metrics(G, measures=["fame"])


@pytest.mark.parametrize(
    "network",
    [
        empty_network(),
        Network(
            nodes=pd.DataFrame({"id": ["o"], "name": ["Org"], "type": ["organization"]}),
            edges=pd.DataFrame(columns=["source", "target", "type"]),
        ),
    ],
)
def test_empty_and_single_node_networks(network):
    table = node_metrics(network)
    assert len(table) == len(network.nodes)
    assert not table.select_dtypes("number").isna().any().any()


def test_network_hash_follows_content(net):
    same = Network(nodes=net.nodes.copy(), edges=net.edges.copy())
    assert network_hash(same) == network_hash(net)
    changed = net.edges.copy()
    changed.loc[0, "strength"] = 0.123
    assert network_hash(Network(nodes=net.nodes, edges=changed)) != network_hash(net)
