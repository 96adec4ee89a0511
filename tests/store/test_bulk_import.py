"""``graphcap import --bulk``: Neo4j's offline importer loads an empty local database with
exactly what the normal import writes (labels, every property value and type, row
fingerprints), and refuses -- changing nothing -- a database that holds data, a network it
cannot express, and a remote server. Against real local Neo4j servers (one of the fixtures',
one of its own that the load stops and starts)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphcap.cli import cli
from graphcap.cli.bulk import bulk_load
from graphcap.errors import ImportFailed
from graphcap.localdb.server import LocalNeo4j, free_port
from graphcap.model import Network
from graphcap.model.schema import DEFAULT_SCHEMA
from graphcap.store import Neo4jStore
from graphcap.store.bulk import write_bulk_files

from .graphcheck import fingerprint, hostile_network

pytestmark = pytest.mark.integration


def _network() -> Network:
    net = hostile_network()
    return Network(nodes=net.nodes, edges=net.edges)  # --bulk: no interactions


@pytest.mark.timeout(1200)  # three server starts and the offline importer's JVM
def test_bulk_load_writes_what_the_normal_import_writes(store, tmp_path):
    net = _network()
    normal = store.import_network(net)
    expected = fingerprint(store)
    server = LocalNeo4j(
        home=tmp_path / "neo4j",
        port=free_port(),
        password=secrets.token_urlsafe(16),
        heap="512m",
        pagecache="64m",
    )
    try:
        summary, _where = bulk_load(server, net, DEFAULT_SCHEMA, work=tmp_path)
        assert (summary.nodes.created, summary.edges.created) == (len(net.nodes), len(net.edges))
        assert (normal.nodes.created, normal.edges.created) == (len(net.nodes), len(net.edges))
        with Neo4jStore(server.settings) as bulk:
            # every node and relationship with all labels, properties and fingerprints alike
            assert fingerprint(bulk) == expected
            # the fingerprints match: a normal re-import finds everything unchanged
            again = bulk.import_network(net)
            assert (again.nodes.unchanged, again.edges.unchanged) == (
                len(net.nodes),
                len(net.edges),
            )
            assert again.nodes.created + again.nodes.updated == 0
            assert fingerprint(bulk) == expected
            # a second bulk load is refused: the database holds data; nothing changes
            with pytest.raises(ImportFailed, match="empty database only"):
                bulk_load(server, net, DEFAULT_SCHEMA, work=tmp_path)
        with Neo4jStore(server.settings) as bulk:
            assert fingerprint(bulk) == expected
    finally:
        server.stop()


def test_what_the_offline_importer_cannot_load_is_refused_before_any_server(tmp_path):
    net = hostile_network()
    with pytest.raises(ImportFailed, match="interactions"):
        write_bulk_files(net, DEFAULT_SCHEMA, tmp_path / "a")
    mixed = _network()
    mixed.nodes["code"] = [1 if i % 2 else "x" for i in range(len(mixed.nodes))]
    with pytest.raises(ImportFailed, match="'code' holds values of several types"):
        write_bulk_files(mixed, DEFAULT_SCHEMA, tmp_path / "b")
    dangling = _network()
    dangling.edges.loc[3, "target"] = "nobody"
    with pytest.raises(ImportFailed, match=r"rows 4\)"):
        write_bulk_files(dangling, DEFAULT_SCHEMA, tmp_path / "c")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b" / "nodes.csv").exists()


def test_bulk_names_a_remote_server_as_a_usage_error(tmp_path, monkeypatch):
    pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "type": ["customer"] * 2}).to_csv(
        tmp_path / "nodes.csv", index=False
    )
    monkeypatch.setenv("NEO4J_URI", "neo4j://127.0.0.1:1")
    result = CliRunner().invoke(cli, ["import", "--bulk", str(tmp_path / "nodes.csv")])
    assert result.exit_code == 2, result.output
    assert "NEO4J_URI" in result.output
    assert not Path(tmp_path / "neo4j").exists()
