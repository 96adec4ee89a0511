"""Snapshots and exports from the real Neo4j (the default source of the CLI), and the trend of
the interaction log against an independent recomputation."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from graphcap.analysis import analyze
from graphcap.cli import cli
from graphcap.graph.projection import NetworkFilter, apply_filter
from graphcap.history import list_snapshots, network_hash, trend_from_interactions
from graphcap.sample import sample_small
from graphcap.snapshot import read_snapshot


@pytest.mark.integration
def test_snapshot_and_export_from_neo4j(store, neo4j_env, tmp_path, monkeypatch):
    net = sample_small()
    store.import_network(net)
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    res = runner.invoke(cli, ["snapshot", "create", "--name", "from neo4j"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    (info,) = list_snapshots()
    stored = read_snapshot(info.path)
    assert info.counts["nodes"] == len(net.nodes) and info.counts["edges"] == len(net.edges)
    assert neo4j_env.uri.split("//")[1] in stored.meta["source"]
    assert stored.meta["source_hash"] == network_hash(store.read_network())
    res = runner.invoke(
        cli,
        ["export", "json", "--out", str(tmp_path / "o"), "--name", "live"],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "o" / "live.json").read_text("utf-8"))
    assert len(doc["nodes"]) == len(net.nodes) and len(doc["edges"]) == len(net.edges)


def test_trend_from_interactions_matches_a_recomputation():
    net = sample_small()
    trend = trend_from_interactions(net, periods=2)
    overall = trend[trend["type"] == "all"]
    assert len(overall) == 2 and overall["created"].is_monotonic_increasing
    end = overall["created"].iloc[0]
    then = analyze(apply_filter(net, NetworkFilter(end=end)), as_of=end)
    assert overall["rci"].iloc[0] == pytest.approx(then.rci.score)
    dims = then.rci.dimensions.set_index("dimension")["value"]
    assert overall["strength"].iloc[0] == pytest.approx(dims["strength"])
    by_type = trend[(trend["created"] == end) & (trend["type"] != "all")]
    expected = then.rci.by_type.dropna(subset=["strength"])
    assert sorted(by_type["type"]) == sorted(expected["type"].astype(str))
    assert isinstance(end, pd.Timestamp)
