"""Incremental imports: relationships or interactions alone onto the graph in Neo4j; an end that
is in neither the file nor the graph is a precise error and nothing is written."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graphcap.cli import cli
from graphcap.sample import sample_small
from tests.store.graphcheck import fingerprint

pytestmark = pytest.mark.integration


def run(*args: str):
    return CliRunner().invoke(cli, ["import", *args])


def test_edges_and_interactions_onto_the_graph(tmp_path, store, neo4j_env):
    net = sample_small()
    store.import_network(net)
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "edges.csv").write_text(
        "source,target,type,trust\nCUS-0001,CUS-0002,REFERS,0.5\n", encoding="utf-8"
    )
    (folder / "interactions.csv").write_text(
        "date,source,target,channel\n2026-10-30,CUS-0001,ORG-1,call\n", encoding="utf-8"
    )
    before = fingerprint(store)
    refused = run(str(folder))
    assert refused.exit_code == 3 and "use --onto-graph" in refused.output
    result = run(str(folder), "--onto-graph")
    assert result.exit_code == 0, result.output
    assert (
        fingerprint(store)[0]["relationships"] == before[0]["relationships"] + 3
    )  # edge, FROM, TO
    got = store.read_network()
    assert len(got.interactions) == len(net.interactions) + 1
    assert (
        got.edges.set_index(["source", "type", "target"]).loc[
            ("CUS-0001", "REFERS", "CUS-0002"), "trust"
        ]
        == 0.5
    )


def test_an_end_missing_from_the_graph_is_a_precise_error(tmp_path, store, neo4j_env):
    store.import_network(sample_small())
    before = fingerprint(store)
    (tmp_path / "edges.csv").write_text(
        "source,target,type\nCUS-0001,CUS-0002,REFERS\nCUS-0001,NOPE-1,REFERS\n", encoding="utf-8"
    )
    result = run(str(tmp_path), "--onto-graph")
    assert result.exit_code == 3  # validation
    assert (
        "edges.csv, row 3, column 'target': target is not the id of any node in the graph in Neo4j"
    ) in result.stderr
    assert fingerprint(store) == before
