"""``import --replace`` on a real Neo4j: the import becomes the whole graph, or nothing changes.

The expected graph after a replace is computed independently: the same network imported into
an empty database (its fingerprint), not read back through graphcap's own reader."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphcap.cli import cli
from graphcap.errors import ImportFailed
from graphcap.model import Network
from tests.store.graphcheck import fingerprint, hostile_network

pytestmark = pytest.mark.integration


def _replacement(old: Network) -> Network:
    """Keeps stakeholders 0-7 (one renamed), adds two, keeps some relationships and one
    interaction, adds one relationship."""
    nodes = old.nodes.iloc[:8].copy()
    nodes.loc[nodes.index[3], "name"] = "Renamed GmbH"
    new = pd.DataFrame({"id": ["new-1", "new-2"], "name": ["Neu AG", "Nouveau SA"],
                        "type": ["customer", "supplier"]})  # fmt: skip
    nodes = pd.concat([nodes, new], ignore_index=True)
    ids = set(nodes["id"])
    edges = old.edges[old.edges["source"].isin(ids) & old.edges["target"].isin(ids)].iloc[1:]
    org = old.nodes["id"].iloc[0]
    extra = pd.DataFrame({"source": ["new-1"], "target": [org], "type": ["BUYS_FROM"]})
    edges = pd.concat([edges, extra], ignore_index=True)
    inter = old.interactions.iloc[2:].copy()
    return Network(nodes=nodes, edges=edges, interactions=inter)


def _without_versions(store) -> tuple[dict[str, int], str]:
    """The fingerprint without the edit counter an update bumps (a fresh import has none)."""
    with store.driver.session(database=store.database) as session:
        session.run("MATCH (n) REMOVE n.__gc_version").consume()
        session.run("MATCH ()-[r]->() REMOVE r.__gc_version").consume()
    return fingerprint(store)


def test_replace_leaves_exactly_what_a_fresh_import_gives(store):
    old = hostile_network()
    new = _replacement(old)
    store.import_network(new)
    expected = fingerprint(store)
    store.clear()
    store.import_network(old)
    summary = store.import_network(new, replace=True)
    assert _without_versions(store) == expected
    # hand count: 13 stakeholders, 8 kept, 2 added; 12 relationships, those among kept ones
    # (7: sources 1-7 to the organisation) minus the first = 6 kept, 1 added; 3 interactions
    # (the two identical rows are two), the last kept
    assert summary.nodes.removed == 5 and summary.nodes.created == 2
    assert summary.edges.removed == 12 - 6 and summary.edges.created == 1
    assert summary.interactions.removed == 2 and summary.interactions.unchanged == 1
    again = store.import_network(new, replace=True)
    assert not again.changed and _without_versions(store) == expected


def test_failed_replace_leaves_the_graph_exactly_as_before(store):
    old = hostile_network()
    store.import_network(old)
    doomed = old.nodes["id"].iloc[12]  # not in the replacement
    with store.driver.session(database=store.database) as session:
        session.run(
            "MATCH (n:Stakeholder {id: $id}) CREATE (:Assessment {score: 3})-[:ABOUT]->(n)",
            id=doomed,
        ).consume()
    before = fingerprint(store)
    version = store.version()
    with pytest.raises(ImportFailed, match="still has relationships graphcap does not import"):
        store.import_network(_replacement(old), replace=True, batch_size=2)
    assert fingerprint(store) == before
    assert store.version() == version


def _csv_folder(net: Network, folder: Path) -> Path:
    folder.mkdir()
    net.nodes.to_csv(folder / "nodes.csv", index=False)
    net.edges.to_csv(folder / "edges.csv", index=False)
    return folder


def _simple() -> tuple[Network, Network]:
    nodes = pd.DataFrame({"id": ["ORG", "K1", "K2"], "name": ["Acme AG", "Kunde 1", "Kunde 2"],
                          "type": ["organization", "customer", "customer"]})  # fmt: skip
    edges = pd.DataFrame({"source": ["K1", "K2"], "target": ["ORG", "ORG"],
                          "type": ["BUYS_FROM", "BUYS_FROM"]})  # fmt: skip
    old = Network(nodes=nodes, edges=edges)
    new = Network(nodes=nodes.iloc[:2], edges=edges.iloc[:1])
    return old, new


def test_cli_replace_asks_takes_a_snapshot_and_replaces(tmp_path, store, neo4j_env, monkeypatch):
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path / "data"))
    old, new = _simple()
    store.import_network(old)
    before = fingerprint(store)
    folder = _csv_folder(new, tmp_path / "new")
    runner = CliRunner()
    no = runner.invoke(cli, ["import", str(folder), "--replace"], input="n\n")
    assert no.exit_code == 1 and "Replace the whole graph" in no.output
    assert fingerprint(store) == before and not (tmp_path / "data" / "snapshots").exists()
    yes = runner.invoke(cli, ["import", str(folder), "--replace", "--yes"])
    assert yes.exit_code == 0, yes.output
    assert store.stakeholder_ids() == {"ORG", "K1"}
    snaps = list((tmp_path / "data" / "snapshots").glob("*.gcap"))
    assert len(snaps) == 1 and str(snaps[0]) in yes.output
    from graphcap.snapshot import SnapshotSource

    kept = SnapshotSource(snaps[0]).read_network()
    assert sorted(kept.nodes["id"]) == ["K1", "K2", "ORG"]  # the graph that was replaced
    assert "1 removed" in " ".join(yes.output.split())


def test_cli_replace_and_onto_graph_exclude_each_other(tmp_path):
    folder = _csv_folder(_simple()[1], tmp_path / "x")
    result = CliRunner().invoke(cli, ["import", str(folder), "--replace", "--onto-graph"])
    assert result.exit_code == 2 and "exclude each other" in result.output
