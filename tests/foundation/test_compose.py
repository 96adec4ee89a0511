"""docker-compose.yml stays in step with the local Neo4j and keeps secrets out of the file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from graphcap import localdb
from tests.support import require

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_same_neo4j_line_as_the_local_server(compose):
    image = compose["services"]["neo4j"]["image"]
    major_minor = ".".join(localdb.NEO4J_VERSION.split(".")[:2])
    assert image == f"neo4j:{major_minor}-community"
    pom = (ROOT / "graphcap" / "localdb_src" / "pom.xml").read_text()
    assert f"<neo4j.version>{localdb.NEO4J_VERSION}</neo4j.version>" in pom


def test_no_password_in_the_file(compose):
    auth = compose["services"]["neo4j"]["environment"]["NEO4J_AUTH"]
    assert re.fullmatch(r"neo4j/\$\{NEO4J_PASSWORD:\?[^}]+\}", auth), auth
    app_pw = compose["services"]["app"]["environment"]["NEO4J_PASSWORD"]
    assert app_pw.startswith("${NEO4J_PASSWORD:?")


def test_the_app_requires_login_and_an_admin_password(compose):
    env = compose["services"]["app"]["environment"]
    assert env["GRAPHCAP_LOGIN"] == "required"
    assert env["GRAPHCAP_ADMIN_PASSWORD"].startswith("${GRAPHCAP_ADMIN_PASSWORD:?")


def test_healthcheck_volume_and_loopback_ports(compose):
    neo = compose["services"]["neo4j"]
    assert "cypher-shell" in " ".join(neo["healthcheck"]["test"])
    assert "neo4j-data" in compose["volumes"]
    assert any(v.startswith("neo4j-data:") for v in neo["volumes"])
    for svc in compose["services"].values():
        for port in svc.get("ports", []):
            assert port.startswith("127.0.0.1:"), port
    assert compose["services"]["app"]["depends_on"]["neo4j"]["condition"] == "service_healthy"


def test_gds_is_an_opt_in_plugin_of_the_same_line(compose):
    neo = compose["services"]["neo4j"]["environment"]
    assert neo["NEO4J_PLUGINS"] == "${GRAPHCAP_NEO4J_PLUGINS:-[]}"  # nothing unless asked for
    assert neo["NEO4J_dbms_security_procedures_unrestricted"] == "gds.*"
    assert (
        compose["services"]["app"]["environment"]["GRAPHCAP_METRICS_ENGINE"]
        == "${GRAPHCAP_METRICS_ENGINE:-local}"
    )
    assert '["graph-data-science"]' in COMPOSE.read_text()  # the documented way to ask
    gds_pom = (ROOT / "graphcap" / "localdb_src" / "gds" / "pom.xml").read_text()
    assert f"<gds.version>{localdb.GDS_VERSION}</gds.version>" in gds_pom


def test_compose_config_accepts_the_file():
    """`docker compose config` (or docker-compose) parses and interpolates the file."""
    if shutil.which("docker-compose"):
        cmd = ["docker-compose", "config"]
    elif (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        cmd = ["docker", "compose", "config"]
    else:
        require(False, "a docker compose client", "`make test` installs Debian's docker-compose")
    env = {
        **os.environ,
        "NEO4J_PASSWORD": "check-only-password",
        "GRAPHCAP_ADMIN_PASSWORD": "check-only-admin",
    }
    ok = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "neo4j:5.26-community" in ok.stdout
    for name in ("NEO4J_PASSWORD", "GRAPHCAP_ADMIN_PASSWORD"):
        refused = subprocess.run(
            cmd,
            cwd=ROOT,
            env={k: v for k, v in env.items() if k != name},
            capture_output=True,
            text=True,
        )
        assert refused.returncode != 0
        assert name in refused.stderr + refused.stdout
