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


def test_healthcheck_volume_and_loopback_ports(compose):
    neo = compose["services"]["neo4j"]
    assert "cypher-shell" in " ".join(neo["healthcheck"]["test"])
    assert "neo4j-data" in compose["volumes"]
    assert any(v.startswith("neo4j-data:") for v in neo["volumes"])
    for svc in compose["services"].values():
        for port in svc.get("ports", []):
            assert port.startswith("127.0.0.1:"), port
    assert compose["services"]["app"]["depends_on"]["neo4j"]["condition"] == "service_healthy"


def test_compose_config_accepts_the_file():
    """`docker compose config` (or docker-compose) parses and interpolates the file."""
    if shutil.which("docker-compose"):
        cmd = ["docker-compose", "config"]
    elif shutil.which("docker") and subprocess.run(
        ["docker", "compose", "version"], capture_output=True
    ).returncode == 0:
        cmd = ["docker", "compose", "config"]
    else:
        require(False, "a docker compose client", "`make test` installs Debian's docker-compose")
    env = {**os.environ, "NEO4J_PASSWORD": "check-only-password"}
    ok = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "neo4j:5.26-community" in ok.stdout
    env.pop("NEO4J_PASSWORD")
    refused = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "NEO4J_PASSWORD" in refused.stderr + refused.stdout
