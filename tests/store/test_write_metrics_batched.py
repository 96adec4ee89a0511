"""``write_metrics`` of a big network in batches stores exactly what one transaction stores."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graphcap.analysis import analyze
from graphcap.compute import write_back
from graphcap.sample import sample_small
from graphcap.store import metric_writeback

pytestmark = pytest.mark.integration


def _stored(store) -> tuple[dict, dict, dict]:
    """Every m_* property of the stakeholders and relationships, and the metrics record."""
    with store.driver.session(database=store.database) as s:
        nodes = {
            r["id"]: {k: v for k, v in r["p"].items() if k.startswith("m_")}
            for r in s.run("MATCH (n:Stakeholder) RETURN n.id AS id, properties(n) AS p")
        }
        edges = {
            (r["a"], r["t"], r["b"]): {k: v for k, v in r["p"].items() if k.startswith("m_")}
            for r in s.run(
                "MATCH (a:Stakeholder)-[e]->(b:Stakeholder) "
                "RETURN a.id AS a, type(e) AS t, b.id AS b, properties(e) AS p"
            )
        }
    run = store.metrics_run()
    run.pop("computed_at")
    return nodes, edges, run


def _junk(store) -> None:
    """Wrong values on every metric property, so a write that misses one is seen."""
    with store.driver.session(database=store.database) as s:
        s.run("MATCH (n:Stakeholder) SET n.m_pagerank = -1.0, n.m_value = -1.0").consume()
        s.run("MATCH ()-[e]->() SET e.m_strength = -1.0, e.m_is_bridge = 'junk'").consume()


@pytest.mark.parametrize("part", ["all", "subset"])
def test_batched_write_equals_one_transaction(store, monkeypatch, part):
    net = sample_small()
    store.import_network(net)
    analysis = analyze(store.read_network())
    if part == "subset":  # stakeholders and relationships the analysis did not cover
        analysis = replace(analysis, nodes=analysis.nodes.iloc[::2], edges=analysis.edges.iloc[::3])
    run = {"seconds": 1.0, "source": "test"}
    _junk(store)
    n_one, cols = write_back(store, analysis, run=run)
    one = _stored(store)

    _junk(store)
    monkeypatch.setattr(metric_writeback, "ONE_TRANSACTION_ROWS", 0)
    monkeypatch.setattr(metric_writeback, "METRIC_BATCH", 20)  # several batches of some types
    n_batched, cols_batched = write_back(store, analysis, run=run)
    batched = _stored(store)

    assert (n_batched, cols_batched) == (n_one, cols)
    assert n_one == len(analysis.nodes)
    assert batched[0] == one[0]
    assert batched[1] == one[1]
    assert batched[2] == one[2]
    values = [v for m in one[0].values() for v in m.values()]
    assert -1.0 not in [m.get("m_pagerank") for m in one[0].values()] and values
    if part == "subset":  # the ones left out lost their metrics
        left_out = set(one[0]) - set(analysis.nodes["id"])
        assert left_out and all(not one[0][i] for i in left_out)
        assert any(not m for m in one[1].values())
