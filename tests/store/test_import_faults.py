"""A failing batch leaves the graph exactly as it was; bad types never reach a query."""

from __future__ import annotations

import pandas as pd
import pytest

from graphcap.config.connection import Neo4jSettings
from graphcap.errors import ImportFailed, SchemaError
from graphcap.localdb.server import free_port
from graphcap.model import Network
from graphcap.store import Neo4jStore

from .graphcheck import fingerprint, hostile_network

pytestmark = pytest.mark.integration


def _changed_copy(net: Network) -> Network:
    """The same network with updates (so a rollback has changed entities to restore), new
    stakeholders and new relationships (so it has created ones to delete)."""
    nodes = net.nodes.copy()
    nodes["revenue"] = nodes["revenue"].fillna(0.0) + 1.0
    nodes.loc[3, "type"] = "customer"
    nodes.loc[4, "segment"] = None
    new = pd.DataFrame(
        {
            "id": [f"new-{i}" for i in range(6)],
            "name": [f"Neu {i} Ω" for i in range(6)],
            "type": ["customer"] * 6,
        }
    )
    nodes = pd.concat([nodes, new], ignore_index=True)
    edges = net.edges.copy()
    edges["trust"] = 1.0 - edges["trust"]
    extra = pd.DataFrame(
        {"source": new["id"], "target": [nodes.loc[0, "id"]] * 6, "type": ["BUYS_FROM"] * 6}
    )
    edges = pd.concat([edges, extra], ignore_index=True)
    return Network(nodes=nodes, edges=edges, interactions=net.interactions.copy())


def _before(store) -> tuple:
    return fingerprint(store), store.version(), store.counts(), store.read_network()


def _assert_unchanged(store, before) -> None:
    fp, version, counts, net = before
    assert fingerprint(store) == fp
    assert store.version() == version
    assert store.counts() == counts
    assert store.pending_import() is None


def test_value_neo4j_refuses_in_a_later_batch_rolls_everything_back(store):
    base = hostile_network()
    store.import_network(base)
    before = _before(store)
    bad = _changed_copy(base)
    # every row gets a new property, so every row is sent (an unchanged row would be skipped,
    # e.g. one whose trust is 0.5 or missing, and the batches would shift)
    bad.edges["extra"] = pd.Series(["new"] * len(bad.edges), dtype=object)
    bad.edges.at[len(bad.edges) - 1, "extra"] = {"nested": "map"}  # Neo4j refuses maps as values
    with pytest.raises(ImportFailed) as err:
        store.import_network(bad, batch_size=5)
    n = len(bad.edges)
    last = -(-n // 5)
    assert err.value.batch == last
    assert err.value.rows == ((last - 1) * 5 + 1, n)
    assert f"edges batch {last} of {last} (rows {(last - 1) * 5 + 1}-{n})" in str(err.value)
    assert "rolled back" in str(err.value)
    _assert_unchanged(store, before)


def test_missing_end_in_a_later_batch_rolls_everything_back(store):
    base = hostile_network()
    store.import_network(base)
    before = _before(store)
    bad = _changed_copy(base)
    inter = pd.concat(
        [
            bad.interactions,
            pd.DataFrame(
                {
                    "date": pd.to_datetime(["2025-01-01"]),
                    "source": ["nobody"],
                    "target": [bad.nodes.loc[0, "id"]],
                }
            ),
        ],
        ignore_index=True,
    )
    bad = Network(nodes=bad.nodes, edges=bad.edges, interactions=inter)
    # the three interactions already stored are not sent (graphcap.store.importer): the new
    # fourth row is the only one, so it makes up the one batch
    with pytest.raises(
        ImportFailed, match=r"interactions batch 1 of 1 \(rows 4-4\).*neither in the import"
    ):
        store.import_network(bad, batch_size=2)
    _assert_unchanged(store, before)
    # with on_missing="skip" the row is left out and counted
    summary = store.import_network(bad, batch_size=2, on_missing="skip")
    assert summary.interactions.rejected == 1
    assert store.counts()["interactions"]["total"] == len(base.interactions)


def test_failure_on_an_empty_graph_leaves_it_empty(store):
    net = hostile_network()
    nodes = net.nodes.copy()
    nodes["bad"] = pd.Series([None] * (len(nodes) - 1) + [{"a": 1}], dtype=object)
    with pytest.raises(ImportFailed, match="nodes batch 3 of 3"):
        store.import_network(Network(nodes=nodes, edges=net.edges), batch_size=5)
    c = store.counts()
    assert sum(c["nodes"].values()) == 0 and sum(c["edges"].values()) == 0
    assert fingerprint(store)[0] == {"nodes": 0, "relationships": 0}


@pytest.mark.parametrize(
    "frame, column, value",
    [
        ("nodes", "type", "investor"),
        ("nodes", "type", "Customer`) DETACH DELETE n //"),
        ("nodes", "type", "customer\u0060"),
        ("edges", "type", "BUYS_FROM` ]->() MATCH (n) DETACH DELETE n //"),
        ("edges", "type", "FUNDS"),
        ("edges", "type", "BUYS_FROM\u0060"),
        ("edges", "type", "BUYS FROM"),
    ],
)
def test_type_not_on_the_allow_list_is_refused_before_any_query(frame, column, value):
    net = hostile_network()
    df = getattr(net, frame).copy()
    df.loc[len(df) - 1, column] = value
    bad = Network(**{**{"nodes": net.nodes, "edges": net.edges}, frame: df})
    # a store whose server does not exist: a SchemaError (not ConnectionFailed) proves that the
    # check ran before anything was sent or any query text was built
    nowhere = Neo4jStore(Neo4jSettings(uri=f"neo4j://127.0.0.1:{free_port()}", password="x"))
    with pytest.raises(SchemaError, match="not allowed"):
        nowhere.import_network(bad)
    nowhere.close()


def test_repeated_keys_and_reserved_columns_are_refused_before_any_query():
    net = hostile_network()
    nowhere = Neo4jStore(Neo4jSettings(uri=f"neo4j://127.0.0.1:{free_port()}", password="x"))
    dup = Network(
        nodes=pd.concat([net.nodes, net.nodes.iloc[[2]]], ignore_index=True), edges=net.edges
    )
    with pytest.raises(ImportFailed, match=r"repeated id \(rows 3, 14\)"):
        nowhere.import_network(dup)
    reserved = net.nodes.assign(__gc_id="x")
    with pytest.raises(ImportFailed, match="reserved"):
        nowhere.import_network(Network(nodes=reserved, edges=net.edges))
    nowhere.close()
