"""read_network page by page and column by column (graphcap.store.read_pages) returns exactly
what the record-per-entity reading returned: compared against that reading, kept here as the
reference, on the hostile network in pages of 3 stakeholders, with filters and retired items."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from graphcap.model import Network
from graphcap.model.schema import (
    EDGE_OPTIONAL,
    EDGE_REQUIRED,
    INTERACTION_OPTIONAL,
    INTERACTION_REQUIRED,
    NODE_OPTIONAL,
    NODE_REQUIRED,
)
from graphcap.store import read_pages
from graphcap.store.properties import to_frame
from graphcap.store.read_pages import Columns

from .graphcheck import hostile_network

pytestmark = pytest.mark.integration

_ACTIVE = "r.__gc_retired_at IS NULL AND a.__gc_retired_at IS NULL AND b.__gc_retired_at IS NULL"


def _public(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if not k.startswith("__gc_")}


def reference_read(
    store: Any,
    node_types: list[str] | None = None,
    rel_types: list[str] | None = None,
    include_metrics: bool = False,
) -> Network:
    """The reading before the pages: one record (a property map) per entity."""
    types = list(store.schema.node_types) if node_types is None else node_types
    rels = list(store.schema.rel_types) if rel_types is None else rel_types

    def work(tx: Any) -> tuple[list, list, list]:
        nodes = [
            _public(r["p"])
            for r in tx.run(
                "MATCH (n:Stakeholder) WHERE n.type IN $types "
                "AND n.__gc_retired_at IS NULL RETURN properties(n) AS p",
                types=types,
            )
        ]
        edges = []
        for rel in rels:
            edges += [
                {**_public(r["p"]), "source": r["source"], "target": r["target"], "type": rel}
                for r in tx.run(
                    f"MATCH (a:Stakeholder)-[r:{rel}]->(b:Stakeholder) "
                    f"WHERE a.type IN $types AND b.type IN $types AND {_ACTIVE} "
                    "RETURN a.id AS source, b.id AS target, properties(r) AS p",
                    types=types,
                )
            ]
        inter = [
            {**_public(r["p"]), "source": r["source"], "target": r["target"]}
            for r in tx.run(
                "MATCH (a:Stakeholder)<-[:FROM]-(i:Interaction)-[:TO]->(b:Stakeholder) "
                "WHERE a.type IN $types AND b.type IN $types "
                "AND i.__gc_retired_at IS NULL AND a.__gc_retired_at IS NULL "
                "AND b.__gc_retired_at IS NULL "
                "RETURN a.id AS source, b.id AS target, properties(i) AS p",
                types=types,
            )
        ]
        return nodes, edges, inter

    with store.driver.session(database=store.database) as session:
        nodes, edges, inter = session.execute_read(work)
    n = to_frame(
        nodes,
        required=NODE_REQUIRED,
        optional=NODE_OPTIONAL,
        drop_prefix=None if include_metrics else "m_",
    ).sort_values("id", kind="stable", ignore_index=True)
    e = to_frame(edges, required=EDGE_REQUIRED, optional=EDGE_OPTIONAL).sort_values(
        list(EDGE_REQUIRED), kind="stable", ignore_index=True
    )
    i = to_frame(
        inter, required=INTERACTION_REQUIRED, optional=INTERACTION_OPTIONAL, drop=("key",)
    ).sort_values([*INTERACTION_REQUIRED, *INTERACTION_OPTIONAL], kind="stable", ignore_index=True)
    return Network(nodes=n, edges=e, interactions=i)


def _assert_same(expected: Network, got: Network) -> None:
    pd.testing.assert_frame_equal(got.nodes, expected.nodes)
    pd.testing.assert_frame_equal(got.edges, expected.edges)
    pd.testing.assert_frame_equal(got.interactions, expected.interactions)


def _network() -> Network:
    """The hostile network plus properties that only some pages have and a stakeholder whose
    id is the empty string (the smallest of all), with a relationship."""
    net = hostile_network()
    nodes = net.nodes.copy()
    nodes["late_only"] = [None] * (len(nodes) - 2) + ["x", "y"]  # only in the last page
    empty = pd.DataFrame({"id": [""], "name": ["no id"], "type": ["customer"]})
    nodes = pd.concat([nodes, empty], ignore_index=True)
    edges = net.edges.copy()
    edges["first_only"] = [1.5] + [None] * (len(edges) - 1)
    tie = pd.DataFrame({"source": [""], "target": [nodes.loc[0, "id"]], "type": ["BUYS_FROM"]})
    edges = pd.concat([edges, tie], ignore_index=True)
    return Network(nodes=nodes, edges=edges, interactions=net.interactions)


@pytest.mark.parametrize("page", [3, 1, 10_000])
def test_pages_equal_the_record_reading(store, monkeypatch, page):
    monkeypatch.setattr(read_pages, "READ_PAGE", page)
    store.import_network(_network())
    got = store.read_network()
    _assert_same(reference_read(store), got)
    assert "" in set(got.nodes["id"]) and "" in set(got.edges["source"])
    types = ["organization", "customer", "partner"]
    _assert_same(reference_read(store, node_types=types), store.read_network(node_types=types))
    rels = ["BUYS_FROM", "REFERS"]
    _assert_same(reference_read(store, rel_types=rels), store.read_network(rel_types=rels))
    _assert_same(reference_read(store, rel_types=[]), store.read_network(rel_types=[]))


def test_pages_leave_out_retired_items_and_keep_stored_metrics(store, monkeypatch):
    monkeypatch.setattr(read_pages, "READ_PAGE", 2)
    net = _network()
    store.import_network(net)
    ids = net.nodes["id"].tolist()
    with store.driver.session(database=store.database) as session:
        # retire one stakeholder (its ties and meetings go with it) and one relationship,
        # and store a metric (m_*) on every stakeholder
        session.run(
            "MATCH (n:Stakeholder {id: $id}) SET n.__gc_retired_at = datetime()", id=ids[2]
        ).consume()
        session.run(
            "MATCH (:Stakeholder {id: $id})-[r]->() SET r.__gc_retired_at = datetime()",
            id=ids[3],
        ).consume()
        session.run("MATCH (n:Stakeholder) SET n.m_pagerank = 0.25").consume()
    got = store.read_network()
    _assert_same(reference_read(store), got)
    assert ids[2] not in set(got.nodes["id"]) and len(got.nodes) == len(ids) - 1
    assert ids[3] not in set(got.edges["source"])
    assert ids[2] not in set(got.interactions["source"])  # its meetings went with it
    assert "m_pagerank" not in got.nodes.columns
    with_metrics = store.read_network(include_metrics=True)
    _assert_same(reference_read(store, include_metrics=True), with_metrics)
    assert with_metrics.nodes["m_pagerank"].tolist() == [0.25] * (len(ids) - 1)


def test_columns_pad_properties_a_page_lacks():
    cols = Columns()
    cols.add({"n": 2, "keys": ["a"], "columns": [[1, 2]]})
    cols.add({"n": 0, "keys": [], "columns": []})
    cols.add(
        {"n": 1, "keys": ["b", "source"], "columns": [["x"], ["prop"]], "source": ["s"]},
        ("source",),
    )
    cols.add({"n": 2, "keys": ["a"], "columns": [[3, None]], "source": ["t", "u"]}, ("source",))
    assert cols.length == 5
    assert cols.columns == {
        "a": [1, 2, None, 3, None],
        "b": [None, None, "x", None, None],
        "source": [None, None, "s", "t", "u"],  # the end wins over a property of that name
    }
