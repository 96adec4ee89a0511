"""The engine switch from the outside: setting, CLI flag, and a server without GDS."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphcap.cli import cli, main
from graphcap.compute import analyze_stored
from graphcap.config import SETTINGS_HELP, load_project_config
from graphcap.errors import ConfigError
from graphcap.sample import sample_small
from graphcap.store import Neo4jStore, gds

from .graphcheck import fingerprint


def test_setting_comes_from_file_then_environment(tmp_path: Path) -> None:
    toml = tmp_path / "graphcap.toml"
    toml.write_text('[metrics]\nengine = "gds"\n', encoding="utf-8")
    assert load_project_config(toml, env={}).metrics_engine == "gds"
    assert (
        load_project_config(toml, env={"GRAPHCAP_METRICS_ENGINE": "local"}).metrics_engine
        == "local"
    )
    assert load_project_config(None, env={}).metrics_engine == "local"
    assert "gds" in SETTINGS_HELP["GRAPHCAP_METRICS_ENGINE"]


@pytest.mark.parametrize("bad", ["GDS; DROP", "spark", "", "local "])
def test_unknown_engines_are_refused(tmp_path: Path, bad: str) -> None:
    if bad.strip().lower() in ("local", "gds", ""):
        # "" means unset (default); surrounding spaces and case are forgiven
        assert (
            load_project_config(None, env={"GRAPHCAP_METRICS_ENGINE": bad}).metrics_engine
            == "local"
        )
        return
    with pytest.raises(ConfigError, match="metrics engine must be one of local, gds"):
        load_project_config(None, env={"GRAPHCAP_METRICS_ENGINE": bad})
    toml = tmp_path / "graphcap.toml"
    toml.write_text('[metrics]\nengine = 3\nspeed = "max"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown \[metrics\] key"):
        load_project_config(toml, env={})


def test_gds_with_a_snapshot_is_a_usage_error(tmp_path: Path) -> None:
    from graphcap.snapshot import write_snapshot

    snap = write_snapshot(sample_small(), tmp_path / "s.gcap")
    result = CliRunner().invoke(cli, ["metrics", "--snapshot", str(snap), "--engine", "gds"])
    assert result.exit_code == 2
    assert "cannot be used with --snapshot" in result.output


@pytest.mark.integration
@pytest.mark.gds
def test_cli_engine_gds_says_which_engine_computed_what(gds_store, neo4j_env) -> None:
    gds_store.import_network(sample_small())
    result = CliRunner().invoke(cli, ["metrics", "--engine", "gds"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("Engine:"))
    assert line.startswith(
        "Engine: gds 2.13.9: betweenness, bridges, community, core_number, "
        "is_articulation, pagerank; local: closeness, constraint"
    )
    data = json.loads(
        CliRunner()
        .invoke(cli, ["metrics", "--engine", "gds", "--format", "json"], catch_exceptions=False)
        .stdout
    )
    assert data["params"]["engines"]["pagerank"] == "gds"
    local = CliRunner().invoke(cli, ["metrics"], catch_exceptions=False).stdout
    assert "Engine: local (every measure)" in local
    assert gds.projections(gds_store) == []


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A second local Neo4j, started without GDS (as a user's plain server)."""
    from graphcap.localdb.launcher import check_java, check_maven
    from graphcap.localdb.server import LocalNeo4j, free_port
    from tests.support import require

    try:
        check_java()
        check_maven()
    except Exception as exc:  # noqa: BLE001 - reported by require
        require(False, "Java 17+/Maven for a second test Neo4j", str(exc))
    server = LocalNeo4j(
        home=tmp_path_factory.mktemp("plain-neo4j"),
        port=free_port(),
        password=secrets.token_urlsafe(16),
        heap="512m",
        pagecache="64m",
    )
    server.start(timeout_s=300)
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.integration
@pytest.mark.slow
def test_server_without_gds_gives_one_clear_message(plain_server, monkeypatch, capsys) -> None:
    settings = plain_server.settings
    assert plain_server.status()["gds"] is False
    with Neo4jStore(settings) as store:
        store.ensure_schema()
        store.import_network(sample_small())
        before = fingerprint(store)
        with pytest.raises(gds.GdsUnavailable, match="has no Graph Data Science.*--with-gds"):
            analyze_stored(store, store.read_network(), engine="gds")
        assert fingerprint(store) == before  # no strength written before the check
    for name, value in (("NEO4J_URI", settings.uri), ("NEO4J_PASSWORD", settings.password)):
        monkeypatch.setenv(name, value)
    assert main(["metrics", "--engine", "gds"]) == 12  # missing component (graphcap.cli.exits)
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        len(err) == 1
        and err[0].startswith("Error: ")
        and "graphcap neo4j start --with-gds" in err[0]
    )
