"""Into a graph holding no stakeholder (resp. no relationship of a type) the import sends
create-only queries; the graph it leaves is exactly the one the comparing queries leave, a failed
import is undone the same way, and the variant is used only where nothing could match. Against
the real Neo4j of the fixtures."""

from __future__ import annotations

import pandas as pd
import pytest

from graphcap.errors import ImportFailed
from graphcap.model import Network
from graphcap.model.schema import DEFAULT_SCHEMA
from graphcap.store import importer
from graphcap.store.import_lookup import create_only_queries
from graphcap.store.import_plan import plan_import
from graphcap.store.import_queries import split_columns

from .graphcheck import fingerprint, hostile_network

pytestmark = pytest.mark.integration


def _counts(summary) -> tuple:
    return tuple(
        (c.created, c.updated, c.unchanged, c.rejected)
        for c in (summary.nodes, summary.edges, summary.interactions)
    )


def test_first_import_leaves_the_same_graph_as_the_comparing_queries(store, monkeypatch):
    net = hostile_network()
    fast = store.import_network(net, batch_size=3)
    graph_fast = fingerprint(store)
    store.clear()
    monkeypatch.setattr(importer, "CREATE_WHEN_EMPTY", False)
    slow = store.import_network(net, batch_size=3)
    assert fingerprint(store) == graph_fast  # every label, property and fingerprint alike
    assert _counts(fast) == _counts(slow)
    assert _counts(fast)[0] == (len(net.nodes), 0, 0, 0)
    # and a re-import of it (comparing path: the graph is not empty) changes nothing
    monkeypatch.setattr(importer, "CREATE_WHEN_EMPTY", True)
    again = store.import_network(net, batch_size=3, compare_all=True)
    assert _counts(again)[0] == (0, 0, len(net.nodes), 0)
    assert fingerprint(store) == graph_fast


def test_the_variant_only_where_nothing_could_match(store):
    net = hostile_network()
    plan = plan_import(net, DEFAULT_SCHEMA, batch_size=100)
    edge_types = set(net.edges["type"])
    with store.driver.session(database=store.database) as s:
        empty = s.execute_read(lambda tx: create_only_queries(tx, plan))
    assert set(empty) == set(plan.create_only)  # all: nothing stored
    one_type = sorted(edge_types)[0]
    part = Network(nodes=net.nodes, edges=net.edges[net.edges["type"] == one_type])
    store.import_network(part)
    with store.driver.session(database=store.database) as s:
        later = s.execute_read(lambda tx: create_only_queries(tx, plan))
    # stakeholders exist now, and relationships of one type: only the other types' queries
    # and the interactions' (none imported yet)
    kept = {plan.create_only[q][1] for q in later}
    assert kept == {DEFAULT_SCHEMA.rel_type(t) for t in edge_types - {one_type}} | {"Interaction"}
    # the mixed import (existing nodes compared, new types created) gives the whole network
    store.import_network(net)
    graph = fingerprint(store)
    store.clear()
    store.import_network(net)
    assert fingerprint(store) == graph


def test_a_failed_first_import_is_undone(store):
    net = hostile_network()
    bad_edges = pd.concat(
        [net.edges, net.edges.iloc[[0]].assign(target="nobody-has-this-id")], ignore_index=True
    )
    with pytest.raises(ImportFailed, match="neither in the import nor in the graph"):
        store.import_network(Network(nodes=net.nodes, edges=bad_edges), batch_size=2)
    assert fingerprint(store)[0] == {"nodes": 0, "relationships": 0}
    summary = store.import_network(net)  # the good data afterwards: a clean first import
    assert _counts(summary)[:2] == ((len(net.nodes), 0, 0, 0), (len(net.edges), 0, 0, 0))


def _created_edges_records(store) -> dict[str, list[tuple[str, str]]]:
    """The created-edges records of the kept trail: type -> (source, target) pairs."""
    with store.driver.session(database=store.database) as s:
        rows = s.run(
            "MATCH (u:GraphcapImportTrail {__gc_kind: 'created_edges'}) "
            "RETURN u.__gc_type AS t, u.__gc_src AS s, u.__gc_tgt AS g"
        ).data()
    out: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        out.setdefault(row["t"], []).extend(zip(row["s"], row["g"], strict=True))
    return {t: sorted(pairs) for t, pairs in out.items()}


def test_one_batch_of_many_types_journals_each_type_and_is_undone(store):
    """All relationship types in one create-only batch (one query): the journal keeps one record
    of created relationships per type, exactly the frame's pairs of that type; when a later
    batch fails the whole import is undone."""
    net = hostile_network()
    edge_types = set(net.edges["type"])
    assert len(edge_types) > 1
    summary = store.import_network(net, batch_size=1000)  # every kind in one batch
    assert _counts(summary)[1] == (len(net.edges), 0, 0, 0)
    expected = {
        DEFAULT_SCHEMA.rel_type(t): sorted(zip(part["source"], part["target"], strict=True))
        for t, part in net.edges.groupby("type")
    }
    assert _created_edges_records(store) == expected
    graph = fingerprint(store)

    store.clear()
    dangling = net.interactions.iloc[[0]].assign(source="nobody-has-this-id")
    bad = Network(
        nodes=net.nodes,
        edges=net.edges,
        interactions=pd.concat([net.interactions, dangling], ignore_index=True),
    )
    with pytest.raises(ImportFailed, match="neither in the import nor in the graph"):
        store.import_network(bad, batch_size=1000)
    assert fingerprint(store)[0] == {"nodes": 0, "relationships": 0}
    store.import_network(net, batch_size=1000)
    assert fingerprint(store) == graph  # a clean import after the undone one: the same graph


def test_only_plain_column_names_enter_the_query_text():
    """Property names are written into the create-only texts only when they are plain
    identifiers; the values of any other column travel as a map per row."""
    hostile = ["note`x", "a b", "Ünï", "x}) RETURN 1 //", "_x", "9a", "n.name"]
    named, rest = split_columns(["name", *hostile, "m_score", "since2"])
    assert named == ["name", "m_score", "since2"]
    assert rest == hostile
    net = hostile_network()
    plan = plan_import(net, DEFAULT_SCHEMA, batch_size=10)
    texts = {text for text, _ in plan.create_only.values()}
    node_text = next(t for t in texts if "created_nodes" in t and "$label[i]" in t)
    assert "`name`: $p0[i]" in node_text and "SET n += $rest[i]" in node_text
    assert all("note" not in t for t in texts)


def test_create_only_names_the_rows_with_a_missing_end_or_skips_them(store, monkeypatch):
    """A create-only relationship batch with rows whose end is missing: the error names exactly
    those rows (frame rows, 1-based), nothing is left; with on_missing="skip" they are counted
    as rejected, like the comparing queries do, and the rest is the graph of the good rows."""
    net = hostile_network()
    store.import_network(net)
    good = fingerprint(store)
    store.clear()
    e = net.edges
    bad = pd.concat(
        [e.iloc[:5], e.iloc[[0]].assign(source="nobody-1"), e.iloc[5:]]
        + [e.iloc[[3]].assign(target="nobody-2")],
        ignore_index=True,
    )
    rows = sorted([6, len(bad)])  # the two rows with a missing end, 1-based
    broken = Network(nodes=net.nodes, edges=bad, interactions=net.interactions)
    with pytest.raises(ImportFailed, match=rf"e\.g\. row\(s\) {rows[0]}, {rows[1]}\)"):
        store.import_network(broken, batch_size=1000)
    assert fingerprint(store)[0] == {"nodes": 0, "relationships": 0}
    fast = store.import_network(broken, batch_size=4, on_missing="skip")
    assert _counts(fast)[1] == (len(e), 0, 0, 2)
    assert fingerprint(store) == good
    store.clear()
    monkeypatch.setattr(importer, "CREATE_WHEN_EMPTY", False)
    slow = store.import_network(broken, batch_size=4, on_missing="skip")
    assert _counts(slow) == _counts(fast)


def _hostile_interactions(net: Network) -> Network:
    """The hostile network's interactions with extra columns of every kind: a hostile name, a
    column called ``key`` (the computed key wins, as in the comparing query), an Int64 count
    with gaps, a mixed-type column, a boolean; plus one row more so batches of 2 split."""
    inter = pd.concat([net.interactions, net.interactions.iloc[[2]]], ignore_index=True)
    n = len(inter)
    inter["note`) DETACH DELETE x //"] = ["Ünï", None, "x", "y"][:n]
    inter["key"] = ["k1", "k1", None, "k3"][:n]
    inter["count"] = pd.array([1, None, 3, 4][:n], dtype="Int64")
    inter["mixed"] = [1, "1", 1.5, None][:n]
    inter["flag"] = [True, False, True, False][:n]
    inter.loc[3, "date"] = pd.Timestamp("2025-01-01")
    return Network(nodes=net.nodes, edges=net.edges, interactions=inter)


def test_interactions_as_column_lists_store_what_the_comparing_query_stores(store, monkeypatch):
    """Interactions into a graph holding none travel as parallel lists with their properties as
    CREATE pattern keys; the graph (every property with its type, both relationships, the
    content key) equals the comparing query's, hostile column names stay out of the text, and a
    re-import finds every interaction unchanged."""
    net = _hostile_interactions(hostile_network())
    plan = plan_import(net, DEFAULT_SCHEMA, batch_size=2)
    text = next(t for t, what in plan.create_only.values() if what == "Interaction")
    assert "`channel`: $p" in text and "SET x += $rest[i]" in text
    assert "note" not in text and "`key`" not in text
    fast = store.import_network(net, batch_size=2)
    graph = fingerprint(store)
    assert _counts(fast)[2] == (len(net.interactions), 0, 0, 0)
    with store.driver.session(database=store.database) as s:
        stored = s.run(
            "MATCH (a)<-[:FROM]-(i:Interaction)-[:TO]->(b) "
            "RETURN i.key AS key, i[$note] AS note, i.count AS count, i.mixed AS mixed",
            note="note`) DETACH DELETE x //",
        ).data()
    assert len(stored) == len(net.interactions)
    assert {r["key"] for r in stored} == set(plan.keys["interactions"])  # not the `key` column
    assert sorted(r["note"] for r in stored if r["note"]) == ["x", "y", "Ünï"]
    assert sorted(r["count"] for r in stored if r["count"] is not None) == [1, 3, 4]
    assert all(type(r["count"]) is int for r in stored if r["count"] is not None)
    assert sorted(map(repr, (r["mixed"] for r in stored))) == sorted(["1", "'1'", "1.5", "None"])
    store.clear()
    monkeypatch.setattr(importer, "CREATE_WHEN_EMPTY", False)
    slow = store.import_network(net, batch_size=2)
    assert fingerprint(store) == graph
    assert _counts(slow) == _counts(fast)
    again = store.import_network(net, batch_size=2, compare_all=True)
    assert _counts(again)[2] == (0, 0, len(net.interactions), 0)
    assert fingerprint(store) == graph


def test_create_only_interactions_with_a_missing_end_are_named_or_skipped(store, monkeypatch):
    """A create-only interaction batch whose rows miss an end: the error names exactly those
    rows and nothing is left; with on_missing="skip" they are counted as rejected, as the
    comparing query counts them, and the graph holds the good rows."""
    net = hostile_network()
    store.import_network(net)
    good = fingerprint(store)
    store.clear()
    i = net.interactions
    bad = pd.concat(
        [i.iloc[:1], i.iloc[[2]].assign(target="nobody-1"), i.iloc[1:]], ignore_index=True
    )
    broken = Network(nodes=net.nodes, edges=net.edges, interactions=bad)
    with pytest.raises(ImportFailed, match=r"interactions batch 1 of 1 .*e\.g\. row\(s\) 2\)"):
        store.import_network(broken, batch_size=1000)
    assert fingerprint(store)[0] == {"nodes": 0, "relationships": 0}
    fast = store.import_network(broken, batch_size=2, on_missing="skip")
    assert _counts(fast)[2] == (len(i), 0, 0, 1)
    assert fingerprint(store) == good
    store.clear()
    # batches of one: the bad row's batch creates nothing and journals nothing
    alone = store.import_network(broken, batch_size=1, on_missing="skip")
    assert _counts(alone) == _counts(fast)
    assert fingerprint(store) == good
    with store.driver.session(database=store.database) as s:
        ids = s.run(
            "MATCH (u:GraphcapImportTrail {__gc_kind: 'created_interactions'}) "
            "RETURN u.__gc_ids AS ids"
        ).value()
    assert sorted(len(x) for x in ids) == [1] * len(i)  # one record per good row's batch
    store.clear()
    monkeypatch.setattr(importer, "CREATE_WHEN_EMPTY", False)
    slow = store.import_network(broken, batch_size=2, on_missing="skip")
    assert _counts(slow) == _counts(fast)
    assert fingerprint(store) == good


def test_relationships_and_interactions_share_a_phase_and_fail_together(store):
    """Relationship and interaction batches run side by side once the stakeholders are in; a
    failing relationship batch is the one named (plan order) while interaction batches may have
    committed, and the undo leaves nothing of any kind."""
    net = hostile_network()
    assert importer._PHASES == (("nodes",), ("edges", "interactions"))
    bad_edges = pd.concat(
        [net.edges, net.edges.iloc[[0]].assign(target="nobody-has-this-id")], ignore_index=True
    )
    broken = Network(nodes=net.nodes, edges=bad_edges, interactions=net.interactions)
    with pytest.raises(ImportFailed, match=r"edges batch \d+ of \d+ .*neither in the import"):
        store.import_network(broken, batch_size=2)
    assert fingerprint(store)[0] == {"nodes": 0, "relationships": 0}
    summary = store.import_network(net, batch_size=2)
    assert _counts(summary)[1:] == ((len(net.edges), 0, 0, 0), (len(net.interactions), 0, 0, 0))
