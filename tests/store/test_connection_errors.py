"""Not running / wrong password / unknown database: the right error, naming the URI, never the
password, saying how to fix it -- also through `graphcap info` (one line, exit 4)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from graphcap.config.connection import Neo4jSettings
from graphcap.errors import AuthFailed, ConnectionFailed
from graphcap.localdb.server import free_port
from graphcap.store import Neo4jStore

pytestmark = pytest.mark.integration

SECRET = "s3cret-Pa55word-xyz"


def _error(settings: Neo4jSettings) -> Exception:
    with Neo4jStore(settings) as store, pytest.raises((ConnectionFailed, AuthFailed)) as err:
        store.verify()
    return err.value


def test_not_running_names_uri_and_how_to_start():
    settings = Neo4jSettings(uri=f"neo4j://127.0.0.1:{free_port()}", password=SECRET)
    err = _error(settings)
    assert type(err) is ConnectionFailed
    text = str(err)
    assert settings.uri in text and SECRET not in text and "\n" not in text
    assert "graphcap neo4j start" in text


def test_wrong_password_is_auth_failed(neo4j_settings):
    settings = dataclasses.replace(neo4j_settings, password=SECRET)
    err = _error(settings)
    assert type(err) is AuthFailed
    text = str(err)
    assert settings.uri in text and SECRET not in text and "NEO4J_PASSWORD" in text
    assert neo4j_settings.password not in text


def test_unknown_database_is_connection_failed(neo4j_settings):
    settings = dataclasses.replace(neo4j_settings, database="nosuchdb")
    err = _error(settings)
    assert type(err) is ConnectionFailed
    text = str(err)
    assert "nosuchdb" in text and settings.uri in text and "NEO4J_DATABASE" in text
    assert neo4j_settings.password not in text


def test_info_unreachable_is_one_line_and_exit_4(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "NEO4J_URI": f"neo4j://127.0.0.1:{port}",
        "NEO4J_PASSWORD": SECRET,
        "GRAPHCAP_DATA_DIR": str(tmp_path),
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from graphcap.cli import main; sys.exit(main(['info']))",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 4  # connection/auth
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), proc.stderr
    assert f"127.0.0.1:{port}" in lines[0] and SECRET not in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr


def test_info_shows_counts_by_label_and_type(store, neo4j_settings, monkeypatch):
    from .graphcheck import hostile_network

    net = hostile_network()
    store.import_network(net)
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password)
    result = CliRunner().invoke(__import__("graphcap.cli", fromlist=["cli"]).cli, ["info"])
    assert result.exit_code == 0, result.output
    assert neo4j_settings.uri in result.output and neo4j_settings.password not in result.output
    for t, n in net.nodes["type"].value_counts().items():
        label = store.schema.label_for(t)
        assert any(line.split() == [label, str(n)] for line in result.output.splitlines()), (
            label,
            n,
        )
    for t, n in net.edges["type"].value_counts().items():
        assert any(line.split() == [t, str(n)] for line in result.output.splitlines()), (t, n)
