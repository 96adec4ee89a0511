"""Project types live with the data: an import with a project type stores it in Neo4j, and a
reader without the project config (another folder, the app) still sees those stakeholders."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from graphcap.cli import cli
from graphcap.errors import SchemaError
from graphcap.model import Network
from graphcap.model.schema import DEFAULT_SCHEMA
from graphcap.store import Neo4jStore

pytestmark = pytest.mark.integration


def _network() -> Network:
    nodes = pd.DataFrame(
        {
            "id": ["ORG", "INV"],
            "name": ["Acme AG", "Kapital Fonds"],
            "type": ["organization", "investor"],
        }
    )
    edges = pd.DataFrame({"source": ["INV"], "target": ["ORG"], "type": ["FUNDS"]})
    inter = pd.DataFrame({"date": pd.to_datetime([]), "source": [], "target": []})
    return Network(nodes=nodes, edges=edges, interactions=inter)


def test_project_types_are_stored_with_the_import(
    store, neo4j_settings, neo4j_env, tmp_path, monkeypatch
):
    schema = DEFAULT_SCHEMA.extend(
        node_types={"investor": "Investor"}, rel_types={"FUNDS": "funds"}
    )
    with Neo4jStore(neo4j_settings, schema=schema) as writer:
        writer.import_network(_network())
    with Neo4jStore(neo4j_settings) as reader:  # no project config
        net = reader.read_network()
        assert sorted(net.nodes["type"]) == ["investor", "organization"]
        assert net.edges["type"].tolist() == ["FUNDS"]
        assert reader.counts()["nodes"]["investor"] == 1
    monkeypatch.chdir(tmp_path)  # no graphcap.toml here
    monkeypatch.delenv("GRAPHCAP_CONFIG", raising=False)
    result = CliRunner().invoke(cli, ["info"])
    assert result.exit_code == 0, result.output
    assert "Investor" in result.stdout and "FUNDS" in result.stdout


def test_a_hostile_stored_label_is_refused(store, neo4j_settings):
    with store.driver.session(database=store.database) as session:
        session.run(
            "CREATE (:GraphcapMeta {key: 'types', node_types: ['x=X` DETACH DELETE n //'],"
            " rel_types: []})"
        ).consume()
    try:
        with Neo4jStore(neo4j_settings) as reader, pytest.raises(SchemaError):
            reader.read_network()
    finally:
        store.clear()  # the planted record would break every later reader of this server
