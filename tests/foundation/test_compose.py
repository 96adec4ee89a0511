"""docker-compose.yml stays in step with the local Neo4j and keeps secrets out of the file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from graphcap.localdb.launcher import GDS_VERSION, NEO4J_VERSION
from tests.support import require

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENTRY = ROOT / "docker-entrypoint.sh"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_same_neo4j_line_as_the_local_server(compose):
    image = compose["services"]["neo4j"]["image"]
    major_minor = ".".join(NEO4J_VERSION.split(".")[:2])
    assert image == f"neo4j:{major_minor}-community"
    pom = (ROOT / "graphcap" / "localdb_src" / "pom.xml").read_text()
    assert f"<neo4j.version>{NEO4J_VERSION}</neo4j.version>" in pom


def test_no_password_in_the_file(compose):
    auth = compose["services"]["neo4j"]["environment"]["NEO4J_AUTH"]
    assert re.fullmatch(r"neo4j/\$\{NEO4J_PASSWORD:\?[^}]+\}", auth), auth
    app_pw = compose["services"]["app"]["environment"]["NEO4J_PASSWORD"]
    assert app_pw.startswith("${NEO4J_PASSWORD:?")


def test_the_app_requires_login_and_checks_it_before_serving(compose):
    app = compose["services"]["app"]
    env = app["environment"]
    assert env["GRAPHCAP_LOGIN"] == "required"
    assert env["GRAPHCAP_ADMIN_PASSWORD"] == "${GRAPHCAP_ADMIN_PASSWORD:-}"  # or OIDC: the check
    assert "${GRAPHCAP_SECRETS_DIR:-./secrets}:/app/.streamlit:ro" in app["volumes"]
    # logged-out sessions outlive a re-created container (graphcap.revocations)
    assert "app-data:" + app["environment"]["GRAPHCAP_DATA_DIR"] in app["volumes"]
    assert "app-data" in compose["volumes"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["sh", "docker-entrypoint.sh"]' in dockerfile
    assert "docker-entrypoint.sh" in next(
        line for line in dockerfile.splitlines() if "COPY app.py" in line
    )
    script = [
        line.strip()
        for line in ENTRY.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    # stop at the first failing command, and check the login before anything else runs
    assert script[:2] == ["set -e", "graphcap check-login --secrets .streamlit/secrets.toml"]
    assert script[-1] == "exec graphcap app --address 0.0.0.0 --port 8501"


@pytest.fixture
def entry(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run docker-entrypoint.sh without Docker: in a folder like the container's /app, with the
    real `graphcap` for everything but `graphcap app`, which a stand-in only records."""
    stubs = tmp_path / "bin"
    stubs.mkdir()
    started = tmp_path / "app-started"
    real = Path(sys.executable).parent / "graphcap"
    (stubs / "graphcap").write_text(
        f'#!/bin/sh\nif [ "$1" = app ]; then echo "$@" > {started}; exit 0; fi\nexec {real} "$@"\n'
    )
    (stubs / "graphcap").chmod(0o755)
    app = tmp_path / "app"
    (app / ".streamlit").mkdir(parents=True)
    path = os.pathsep.join([str(stubs), str(Path(sys.executable).parent), os.environ["PATH"]])

    def run(**env: str) -> tuple[subprocess.CompletedProcess, str | None]:
        full = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("GRAPHCAP_", "NEO4J_"))},
            "PATH": path,
            "NEO4J_URI": "bolt://127.0.0.1:9",  # nothing listens: the sample step fails, as meant
            "GRAPHCAP_DATA_DIR": str(tmp_path / "data"),
            "GRAPHCAP_LOGIN": "required",
            **env,
        }
        done = subprocess.run(
            ["sh", str(ENTRY)], cwd=app, env=full, capture_output=True, text=True, timeout=120
        )
        return done, started.read_text() if started.exists() else None

    run.secrets = app / ".streamlit" / "secrets.toml"  # type: ignore[attr-defined]
    return run


def test_the_entry_script_refuses_to_start_without_a_login(entry):
    done, started = entry(GRAPHCAP_ADMIN_PASSWORD="")
    assert done.returncode == 10, done.stderr  # config (graphcap.cli.exits)
    assert "no login is configured, so the app will not be served" in done.stderr
    assert "GRAPHCAP_ADMIN_PASSWORD" in done.stderr and "[access.oidc]" in done.stderr
    assert started is None  # the app never started


def test_the_entry_script_serves_with_an_admin_password(entry):
    done, started = entry(GRAPHCAP_ADMIN_PASSWORD="a long admin password")
    assert done.returncode == 0, done.stderr
    assert "Login required: 1 built-in user, OIDC: no." in done.stdout
    assert started is not None and started.split() == [
        "app",
        "--address",
        "0.0.0.0",
        "--port",
        "8501",
    ]


def test_the_entry_script_serves_with_oidc_settings_alone(entry):
    entry.secrets.write_text(
        "[auth]\n"
        'redirect_uri = "https://graphcap.example.org/oauth2callback"\n'
        'cookie_secret = "a long random cookie secret"\n'
        'client_id = "graphcap"\n'
        'client_secret = "from the provider"\n'
        'server_metadata_url = "https://id.example.org/.well-known/openid-configuration"\n'
        "[access.oidc.groups]\n"
        'graphcap-admins = "admin"\n',
        encoding="utf-8",
    )
    done, started = entry(GRAPHCAP_ADMIN_PASSWORD="")
    assert done.returncode == 0, done.stderr
    assert "Login required: 0 built-in users, OIDC: yes." in done.stdout
    assert started is not None


def test_the_entry_script_refuses_half_an_oidc_setting(entry):
    entry.secrets.write_text(
        '[auth]\nredirect_uri = "https://graphcap.example.org/oauth2callback"\n'
        '[access.oidc]\ndefault_role = "viewer"\n',
        encoding="utf-8",
    )
    done, started = entry(GRAPHCAP_ADMIN_PASSWORD="")
    assert done.returncode == 10
    assert "lacks cookie_secret, client_id, client_secret, server_metadata_url" in done.stderr
    assert started is None


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
    assert f"<gds.version>{GDS_VERSION}</gds.version>" in gds_pom


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
    without_admin = {k: v for k, v in env.items() if k != "GRAPHCAP_ADMIN_PASSWORD"}
    ok = subprocess.run(cmd, cwd=ROOT, env=without_admin, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr  # OIDC may stand in: the entry script checks the login
    for name in ("NEO4J_PASSWORD",):
        refused = subprocess.run(
            cmd,
            cwd=ROOT,
            env={k: v for k, v in env.items() if k != name},
            capture_output=True,
            text=True,
        )
        assert refused.returncode != 0
        assert name in refused.stderr + refused.stdout
