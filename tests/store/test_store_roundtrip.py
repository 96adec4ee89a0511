"""Round trip, idempotence, counts, version and metric write-back against the real Neo4j."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from graphcap.model import Network
from graphcap.source import GraphSource

from .graphcheck import HOSTILE, assert_same_frame, fingerprint, hostile_network

pytestmark = pytest.mark.integration


def test_store_is_a_graph_source(store):
    assert isinstance(store, GraphSource)
    assert store.kind == "neo4j"
    assert store.settings.password not in store.describe()
    assert store.settings.uri in store.describe()


def test_round_trip_is_exact_for_unicode_and_hostile_strings(store):
    net = hostile_network()
    summary = store.import_network(net, batch_size=4)
    assert (summary.nodes.created, summary.edges.created, summary.interactions.created) == (
        len(net.nodes),
        len(net.edges),
        len(net.interactions),
    )
    back = store.read_network()
    assert_same_frame(net.nodes, back.nodes, ["id"], "nodes")
    assert_same_frame(net.edges, back.edges, ["source", "type", "target"], "edges")
    assert_same_frame(
        net.interactions, back.interactions, ["date", "source", "target", "channel"], "interactions"
    )
    # canonical dtypes of graphcap.model
    assert back.nodes["id"].dtype == object and back.nodes["since"].dtype == "datetime64[ns]"
    assert back.nodes["revenue"].dtype == "float64"
    assert back.edges["interactions"].dtype == "Int64"
    assert back.interactions["date"].dtype == "datetime64[ns]"
    # every hostile name arrived as a value, not as query text: the names are all there
    assert sorted(back.nodes["name"]) == sorted(HOSTILE)
    # a missing value is an absent property, not a stored null or NaN
    with store.driver.session(database=store.database) as s:
        absent = s.run(
            "MATCH (n:Stakeholder) WHERE n.revenue IS NULL RETURN count(n) AS c"
        ).single()["c"]
        keys = s.run("MATCH (n:Stakeholder) RETURN collect(keys(n)) AS k").single()["k"]
    assert absent == int(net.nodes["revenue"].isna().sum())
    assert sum("revenue" in k for k in keys) == int(net.nodes["revenue"].notna().sum())
    # the type label is the allow-listed one, and only one type label per node
    assert store.counts()["nodes"] == {
        t: int((net.nodes["type"] == t).sum()) for t in store.schema.node_types
    }


def test_reimport_changes_nothing_and_says_so(store):
    net = hostile_network()
    store.import_network(net, batch_size=5)
    before_version = store.version()
    before = fingerprint(store)
    again = store.import_network(net, batch_size=3)
    assert again.nodes.unchanged == len(net.nodes) and again.nodes.changed == 0
    assert again.edges.unchanged == len(net.edges) and again.edges.changed == 0
    assert again.interactions.unchanged == len(net.interactions)
    assert not again.changed
    assert fingerprint(store) == before
    assert store.version() == before_version


def test_changed_rows_are_updated_and_missing_values_removed(store):
    net = hostile_network()
    store.import_network(net)
    v1 = store.version()
    nodes = net.nodes.copy()
    nodes.loc[1, "revenue"] = np.nan  # was set: must disappear
    nodes.loc[2, "type"] = "competitor"  # type change: label must follow
    edges = net.edges.copy()
    edges.loc[0, "trust"] = 0.99
    changed = Network(nodes=nodes, edges=edges, interactions=net.interactions)
    summary = store.import_network(changed)
    assert summary.nodes.updated == 2 and summary.nodes.unchanged == len(nodes) - 2
    assert summary.edges.updated == 1 and summary.edges.created == 0
    assert store.version() != v1
    back = store.read_network()
    assert_same_frame(nodes, back.nodes, ["id"], "nodes")
    assert_same_frame(edges, back.edges, ["source", "type", "target"], "edges")
    with store.driver.session(database=store.database) as s:
        # the stakeholder (the kept import trail holds a copy of its earlier state as well)
        labels = s.run(
            "MATCH (n:Stakeholder {id: $id}) RETURN labels(n) AS l", id=nodes.loc[2, "id"]
        ).single()["l"]
    assert sorted(labels) == ["Competitor", "Stakeholder"]


def test_filtered_read_drops_edges_to_filtered_out_nodes(store):
    net = hostile_network()
    store.import_network(net)
    sub = store.read_network(
        node_types=["organization", "customer"], rel_types=["buys_from", "REFERS"]
    )
    keep = net.nodes[net.nodes["type"].isin(["organization", "customer"])]
    assert sorted(sub.nodes["id"]) == sorted(keep["id"])
    ids = set(keep["id"])
    exp = net.edges[
        net.edges["type"].isin(["BUYS_FROM", "REFERS"])
        & net.edges["source"].isin(ids)
        & net.edges["target"].isin(ids)
    ]
    assert_same_frame(exp, sub.edges, ["source", "type", "target"], "edges")


def test_progress_reports_every_batch_up_to_the_total(store):
    net = hostile_network()
    calls = []
    store.import_network(
        net, batch_size=4, progress=lambda done, total: calls.append((done, total))
    )
    total = len(net.nodes) + len(net.edges) + len(net.interactions)
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    batches = sum(math.ceil(len(f) / 4) for f in (net.nodes, net.edges, net.interactions))
    assert len(calls) == batches + 1


def test_write_metrics_sets_m_properties_and_a_run_record(store):
    net = hostile_network()
    store.import_network(net)
    version = store.version()
    ids = net.nodes["id"].tolist()
    metrics = pd.DataFrame(
        {"id": ids[:5], "pagerank": [0.1, 0.2, np.nan, 0.4, 0.5], "degree": [1, 2, 3, 4, 5]}
    )
    assert store.write_metrics(metrics, run={"parameters": {"alpha": 0.85}, "seconds": 1.5}) == 5
    back = store.read_network(include_metrics=True).nodes.set_index("id")
    assert back.loc[ids[1], "m_pagerank"] == 0.2 and back.loc[ids[4], "m_degree"] == 5
    assert pd.isna(back.loc[ids[2], "m_pagerank"])
    assert back.loc[ids[7]].filter(like="m_").isna().all()
    assert "m_pagerank" not in store.read_network().nodes.columns
    run = store.metrics_run()
    assert run["parameters"] == {"alpha": 0.85} and run["seconds"] == 1.5
    assert sorted(run["metrics"]) == ["degree", "pagerank"]
    assert store.version() == version  # derived values are not a data change
    # a later run with fewer nodes leaves no stale value behind
    store.write_metrics(metrics.iloc[:1], run={"parameters": {}, "seconds": 0.1})
    back = store.read_network(include_metrics=True).nodes.set_index("id")
    assert pd.isna(back.loc[ids[1], "m_pagerank"])
    # re-import keeps metrics (not part of the frames)
    store.import_network(net)
    assert (
        store.read_network(include_metrics=True).nodes.set_index("id").loc[ids[0], "m_pagerank"]
        == 0.1
    )
    with pytest.raises(Exception, match="metric name"):
        store.write_metrics(pd.DataFrame({"id": ids[:1], "x`) DELETE n": [1.0]}), run={})


def test_clear_empties_the_graph_and_changes_the_version(store):
    store.import_network(hostile_network())
    v = store.version()
    store.clear()
    counts = store.counts()
    assert sum(counts["nodes"].values()) == 0 and sum(counts["edges"].values()) == 0
    assert counts["interactions"]["total"] == 0
    assert store.version() != v
    assert len(store.read_network().nodes) == 0


def test_ensure_schema_is_idempotent(store):
    store.ensure_schema()
    store.ensure_schema()
    with store.driver.session(database=store.database) as s:
        names = sorted(r["name"] for r in s.run("SHOW CONSTRAINTS YIELD name"))
        idx = sorted(r["name"] for r in s.run("SHOW INDEXES YIELD name, type WHERE type = 'RANGE'"))
    assert names == [
        "graphcap_assessment_id",
        "graphcap_event_id",
        "graphcap_import_run",
        "graphcap_meta_key",
        "interaction_key",
        "stakeholder_id",
    ]
    assert {"stakeholder_name", "stakeholder_type"} <= set(idx)


def test_empty_import_changes_nothing(store):
    from graphcap.model import empty_network

    store.import_network(hostile_network())
    before = (fingerprint(store), store.version())
    summary = store.import_network(empty_network())
    assert not summary.changed and summary.nodes.unchanged == 0
    assert (fingerprint(store), store.version()) == before


def test_the_data_date_is_recorded_with_the_import(store):
    net = hostile_network()
    latest = max(
        pd.to_datetime(net.interactions["date"]).max(),
        pd.to_datetime(net.edges.get("last_contact", pd.Series(dtype="datetime64[ns]"))).max(),
    )
    store.import_network(Network(net.nodes, net.edges, net.interactions))
    assert store.data_as_of() == latest.date()
    assert pd.Timestamp(store.read_network().meta["as_of"]) == latest.normalize()
    # importing older data does not move the date back; a given date wins
    older = Network(net.nodes, net.edges.iloc[0:0], net.interactions.iloc[0:0])
    store.import_network(older)
    assert store.data_as_of() == latest.date()
    store.import_network(
        Network(
            net.nodes, net.edges.iloc[0:0], net.interactions.iloc[0:0], meta={"as_of": "2020-01-31"}
        )
    )
    assert store.data_as_of().isoformat() == "2020-01-31"
    store.clear()
    assert store.data_as_of() is None
