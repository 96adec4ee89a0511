"""An unchanged re-import leaves out the rows the graph already holds (stored row fingerprint,
compared client-side); changed, edited and never-fingerprinted rows are still compared by Neo4j,
and ``compare_all`` sends every row. Against the real Neo4j of the fixtures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graphcap.errors import ImportFailed
from graphcap.model import Network
from graphcap.store.edits import Editor
from graphcap.store.targets import Target

from .graphcheck import assert_same_frame, fingerprint, hostile_network

pytestmark = pytest.mark.integration


def _run(store, cypher: str, **params) -> list:
    with store.driver.session(database=store.database) as s:
        return list(s.run(cypher, **params))


def _counts(summary) -> tuple:
    return tuple(
        (c.created, c.updated, c.unchanged)
        for c in (summary.nodes, summary.edges, summary.interactions)
    )


def _sizes(net: Network) -> tuple[int, int, int]:
    return len(net.nodes), len(net.edges), len(net.interactions)


def test_an_unchanged_reimport_sends_no_row_and_changes_nothing(store):
    net = hostile_network()
    store.import_network(net, batch_size=4)
    before, version = fingerprint(store), store.version()
    calls = []
    summary = store.import_network(
        net, batch_size=4, progress=lambda done, total: calls.append((done, total))
    )
    n, e, i = _sizes(net)
    assert _counts(summary) == ((0, 0, n), (0, 0, e), (0, 0, i))
    total = n + e + i
    assert calls == [(total, total)]  # no batch was sent
    assert fingerprint(store) == before and store.version() == version


def test_a_value_changed_behind_graphcap_s_back_shows_what_is_skipped(store):
    # a write outside graphcap (raw Cypher) keeps the stored fingerprint: the default re-import
    # trusts it and leaves the row out; --compare-all has Neo4j compare it and repairs it
    net = hostile_network()
    store.import_network(net)
    sid = net.nodes["id"].iloc[3]
    _run(store, "MATCH (n:Stakeholder {id: $id}) SET n.name = 'tampered'", id=sid)
    store.import_network(net)
    assert _run(store, "MATCH (n:Stakeholder {id: $id}) RETURN n.name AS v", id=sid)[0]["v"] == (
        "tampered"
    )
    summary = store.import_network(net, compare_all=True)
    assert (summary.nodes.updated, summary.nodes.unchanged) == (1, len(net.nodes) - 1)
    assert_same_frame(net.nodes, store.read_network().nodes, ["id"], "nodes")


def test_changed_rows_are_sent_and_updated_the_rest_left_out(store):
    net = hostile_network()
    store.import_network(net, batch_size=4)
    nodes, edges = net.nodes.copy(), net.edges.copy()
    nodes.loc[2, "revenue"] = 99.5
    nodes.loc[5, "segment"] = None  # a value removed
    edges.loc[1, "trust"] = 0.999
    inter = pd.concat([net.interactions, net.interactions.iloc[[2]]], ignore_index=True)
    inter.loc[3, "channel"] = "mail"  # one new interaction
    changed = Network(nodes=nodes, edges=edges, interactions=inter)
    calls = []
    summary = store.import_network(
        changed, batch_size=4, progress=lambda done, total: calls.append((done, total))
    )
    n, e, i = _sizes(net)
    assert _counts(summary) == ((0, 2, n - 2), (0, 1, e - 1), (1, 0, i))
    total = n + e + i + 1
    assert calls == [(total - 4, total), (total - 2, total), (total - 1, total), (total, total)]
    back = store.read_network()
    assert_same_frame(nodes, back.nodes, ["id"], "nodes")
    assert_same_frame(edges, back.edges, ["source", "type", "target"], "edges")
    assert len(back.interactions) == len(inter)
    # and once more: nothing left to send
    assert _counts(store.import_network(changed)) == ((0, 0, n), (0, 0, e), (0, 0, i + 1))


def test_an_edit_is_undone_by_reimporting_the_file_as_before(store):
    net = hostile_network()
    store.import_network(net)
    sid = net.nodes["id"].iloc[4]
    editor = Editor(store, user="ann")
    _, version = editor.current(Target.stakeholder(sid, store.schema))
    editor.change_stakeholder(sid, {"segment": "edited", "revenue": None}, version=version)
    summary = store.import_network(net)
    assert (summary.nodes.updated, summary.nodes.unchanged) == (1, len(net.nodes) - 1)
    assert_same_frame(net.nodes, store.read_network().nodes, ["id"], "nodes")


def test_a_graph_without_fingerprints_is_compared_once_then_fingerprinted(store):
    # a graph imported before fingerprints existed: compared by Neo4j (all unchanged), which
    # stores the fingerprints without changing the data's version
    net = hostile_network()
    store.import_network(net)
    _run(store, "MATCH (n:Stakeholder) REMOVE n.__gc_row")
    _run(store, "MATCH ()-[r]->() REMOVE r.__gc_row")
    version = store.version()
    n, e, i = _sizes(net)
    assert _counts(store.import_network(net)) == ((0, 0, n), (0, 0, e), (0, 0, i))
    assert store.version() == version
    stored = _run(
        store,
        "MATCH (n:Stakeholder) WHERE n.__gc_row IS NOT NULL WITH count(n) AS n "
        "MATCH (:Stakeholder)-[r]->(:Stakeholder) WHERE r.__gc_row IS NOT NULL "
        "RETURN n, count(r) AS r",
    )[0]
    assert (stored["n"], stored["r"]) == (n, e)
    calls = []
    store.import_network(net, progress=lambda done, total: calls.append(done))
    assert calls == [n + e + i]


def test_a_deleted_interaction_is_imported_again(store):
    net = hostile_network()
    store.import_network(net)
    _run(store, "MATCH (i:Interaction) WITH i LIMIT 1 DETACH DELETE i")
    summary = store.import_network(net)
    assert (summary.interactions.created, summary.interactions.unchanged) == (1, 2)


def test_metric_columns_in_the_file_are_always_compared(store):
    # write_metrics changes m_ properties without touching fingerprints, so a frame carrying m_
    # columns is compared by Neo4j: re-importing it restores the file's values
    net = hostile_network()
    nodes = net.nodes.assign(m_score=np.arange(len(net.nodes), dtype=float))
    store.import_network(Network(nodes=nodes, edges=net.edges))
    store.write_metrics(pd.DataFrame({"id": nodes["id"], "score": -1.0}), run={"parameters": {}})
    summary = store.import_network(Network(nodes=nodes, edges=net.edges))
    assert (summary.nodes.updated, summary.edges.unchanged) == (len(nodes), len(net.edges))
    back = store.read_network(include_metrics=True).nodes.set_index("id")
    assert back.loc[nodes["id"], "m_score"].tolist() == nodes["m_score"].tolist()


def test_fingerprints_roll_back_with_a_failed_import(store):
    net = hostile_network()
    store.import_network(net, batch_size=4)
    before = fingerprint(store)
    nodes = net.nodes.copy()
    nodes.loc[1, "name"] = "renamed"
    bad = pd.concat([net.edges, net.edges.iloc[[0]].assign(target="nobody")], ignore_index=True)
    with pytest.raises(ImportFailed):
        store.import_network(Network(nodes=nodes, edges=bad), batch_size=4)
    assert fingerprint(store) == before
    n, e, _ = _sizes(net)
    assert _counts(store.import_network(Network(nodes=net.nodes, edges=net.edges)))[:2] == (
        (0, 0, n),
        (0, 0, e),
    )
    summary = store.import_network(Network(nodes=nodes, edges=net.edges))
    assert (summary.nodes.updated, summary.nodes.unchanged) == (1, n - 1)
