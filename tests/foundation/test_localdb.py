"""The local Neo4j manager: real processes, real ports, real failures."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from graphcap.cli import main
from graphcap.errors import ServerError
from graphcap.localdb.launcher import (
    GDS_VERSION,
    _gds_built,
    build_gds,
    check_java,
    check_maven,
    source_dir,
)
from graphcap.localdb.server import LocalNeo4j, free_port, memory_bytes
from tests.support import require

pytestmark = pytest.mark.integration


def test_session_server_answers_bolt_on_loopback_only(neo4j_server):
    status = neo4j_server.status()
    assert status["running"] is True
    assert status["uri"].startswith("neo4j://127.0.0.1:")
    # bound to 127.0.0.1 only: the same port on another local address refuses
    port = neo4j_server.port
    other = _non_loopback_address()
    require(
        other is not None,
        "a non-loopback IPv4 address to probe the loopback-only binding",
        "give the machine a network interface (CI runners have one)",
    )
    assert other is not None
    with socket.socket() as s:
        s.settimeout(1)
        assert s.connect_ex((other, port)) != 0


def _non_loopback_address() -> str | None:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))  # no packet is sent for UDP connect
            addr = s.getsockname()[0]
    except OSError:
        return None
    return None if addr.startswith("127.") else addr


def test_port_taken_is_refused_with_a_clear_message(tmp_path):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen(1)
        port = blocker.getsockname()[1]
        server = LocalNeo4j(home=tmp_path, port=port, password="password123")
        with pytest.raises(ServerError, match=rf"port {port} on 127.0.0.1 is taken"):
            server.start(timeout_s=30)
    assert server.pid is None


def test_missing_java_names_what_to_install(monkeypatch):
    monkeypatch.setenv("JAVA_HOME", "/nonexistent/jdk")
    with pytest.raises(ServerError, match=r"Java was not found: the local Neo4j needs Java 17"):
        check_java()


def test_missing_maven_names_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ServerError, match=r"Maven was not found"):
        check_maven()


def test_too_old_java_is_refused(monkeypatch, tmp_path):
    fake_home = tmp_path / "jdk"
    (fake_home / "bin").mkdir(parents=True)
    java = fake_home / "bin" / "java"
    java.write_text("#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n")
    java.chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(fake_home))
    with pytest.raises(ServerError, match=r"is Java 11; the local Neo4j needs Java 17 or newer"):
        check_java()


def test_server_that_does_not_come_up_shows_its_log_tail(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "data").write_text("not a folder")  # Neo4j cannot create its store here
    server = LocalNeo4j(
        home=home, port=free_port(), password="password123", heap="512m", pagecache="64m"
    )
    with pytest.raises(ServerError) as info:
        server.start(timeout_s=120)
    message = str(info.value)
    assert "exited during start-up" in message or "did not come up" in message
    assert "log" in message and str(server.log_file) in message
    assert server.pid is None


def test_cli_start_status_stop_round_trip(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GRAPHCAP_NEO4J_HEAP", "512m")
    port = str(free_port())
    try:
        assert main(["neo4j", "start", "--port", port]) == 0
        out = capsys.readouterr().out
        assert f"Neo4j started at neo4j://127.0.0.1:{port}" in out
        assert main(["neo4j", "status", "--port", port]) == 0
        assert "running:" in capsys.readouterr().out
        pw_file = tmp_path / "neo4j" / "password"
        assert oct(pw_file.stat().st_mode & 0o777) == "0o600"
        password = pw_file.read_text().strip()
        assert password not in out  # never printed
    finally:
        assert main(["neo4j", "stop", "--port", port]) == 0
    assert "Neo4j stopped" in capsys.readouterr().out
    assert main(["neo4j", "status", "--port", port]) == 4  # not running
    capsys.readouterr()
    # a second start on the same data and password (the next `make run`) comes up again
    # ... and says so as JSON: the status keys plus `started` (docs/CLI.md)
    try:
        assert main(["-q", "neo4j", "start", "--port", port, "--format", "json"]) == 0
        started = capsys.readouterr()
        doc = json.loads(started.out)
        assert started.err == ""  # --quiet: no "Starting ..." note
        assert set(doc) == {"running", "uri", "pid", "home", "log", "gds", "started"}
        assert doc["running"] is doc["started"] is True
        assert doc["uri"] == f"neo4j://127.0.0.1:{port}"
        assert main(["neo4j", "start", "--port", port, "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out)["started"] is False  # already running
    finally:
        assert main(["neo4j", "stop", "--port", port, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"stopped": True, "home": doc["home"]}
    assert main(["neo4j", "stop", "--port", port, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["stopped,home", f"False,{doc['home']}"]


def test_every_command_has_help():
    from graphcap.cli import _COMMANDS

    for name in _COMMANDS:
        proc = subprocess.run(
            [sys.executable, "-m", "graphcap", name, "--help"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        assert proc.returncode == 0, (name, proc.stderr)
        assert "Usage:" in proc.stdout
        assert "not available in this build" not in proc.stdout, name


def test_session_server_runs_with_graph_data_science(neo4j_server):
    require(
        os.environ.get("GRAPHCAP_TEST_GDS") != "0",
        "Graph Data Science on the test Neo4j",
        "GRAPHCAP_TEST_GDS=0 started the test server without it",
    )
    require(
        neo4j_server.status()["gds"],
        "Graph Data Science on the test Neo4j",
        "the fixture could not resolve it (see graphcap.localdb.launcher.build_gds)",
    )
    assert neo4j_server.gds_file.read_text().strip() == GDS_VERSION
    assert "GRAPHCAP-NEO4J-GDS" in neo4j_server.log_file.read_text(errors="replace")


@pytest.mark.slow
def test_gds_is_resolved_again_when_its_pom_is_newer_than_the_jars():
    """A checkout that rewrites gds/pom.xml (a rebase) must not leave GDS 'unbuilt': Maven keeps
    an already copied jar's old time, which once made build_gds fail after a clean Maven run."""
    try:
        check_java()
        check_maven()
    except ServerError as exc:
        require(False, "Java 17+/Maven for the local Neo4j", str(exc))
    src = source_dir()
    pom = src / "gds" / "pom.xml"
    jar = src / "target" / "gds-lib" / f"proc-{GDS_VERSION}.jar"
    build_gds()
    os.utime(jar, (1_000_000_000, 1_000_000_000))  # older than the pom
    assert not _gds_built(src)
    assert build_gds() == src / "target" / "gds-lib"
    assert _gds_built(src) and jar.stat().st_mtime >= pom.stat().st_mtime


def test_the_server_caps_the_memory_of_transactions(neo4j_server):
    """One transaction may hold a quarter of the heap, all together 70 % (as Neo4j reports its
    settings back)."""
    import neo4j

    heap = memory_bytes(neo4j_server.heap)
    expected = os.environ.get("GRAPHCAP_NEO4J_TX_MEMORY") or f"{heap // 4 >> 20}m"
    assert neo4j_server.tx_memory == expected
    settings = neo4j_server.settings
    with neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password)) as d:
        rows = d.execute_query("CALL dbms.listConfig('memory.transaction') YIELD name, value "
                               "RETURN name, value").records  # fmt: skip
    found = {r["name"]: r["value"] for r in rows}
    mib = memory_bytes(expected) / 2**20
    assert found["db.memory.transaction.max"] == f"{mib:.2f}MiB"
    assert found["dbms.memory.transaction.total.max"] == f"{heap * 7 // 10 >> 20:.2f}MiB"


@pytest.mark.parametrize(
    ("tx", "why"),
    [
        ("4m", "must be from 8m to 70 % of the heap"),
        ("800m", "must be from 8m to 70 % of the heap"),
        ("lots", "must be a size such as 512m"),
    ],  # fmt: skip
)
def test_a_transaction_memory_cap_is_checked(tmp_path, tx, why):
    with pytest.raises(ServerError, match=why):
        LocalNeo4j(home=tmp_path, port=7687, password="x" * 8, heap="1g", tx_memory=tx)


def test_a_started_server_is_remembered_by_later_commands(tmp_path, monkeypatch, capsys):
    """`neo4j start --data-dir D --port P` once; status, stop and every connection (CLI, app)
    then find that server and its password without options or NEO4J_* variables."""
    from graphcap.config.connection import Neo4jSettings
    from graphcap.store import Neo4jStore

    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GRAPHCAP_NEO4J_HEAP", "512m")
    for name in ("NEO4J_URI", "NEO4J_PASSWORD", "GRAPHCAP_NEO4J_PORT"):
        monkeypatch.delenv(name, raising=False)
    folder, port = tmp_path / "elsewhere", free_port()
    assert main(["neo4j", "status"]) == 4  # nothing started yet: the default, stopped
    capsys.readouterr()
    try:
        assert main(["neo4j", "start", "--data-dir", str(folder), "--port", str(port)]) == 0
        capsys.readouterr()
        assert main(["neo4j", "status"]) == 0
        assert f"running: neo4j://127.0.0.1:{port}" in capsys.readouterr().out
        settings = Neo4jSettings.from_env()
        assert settings.uri == f"neo4j://127.0.0.1:{port}"
        assert settings.password == (folder / "password").read_text().strip()
        with Neo4jStore(settings) as store:
            store.verify()  # the password found is the server's
    finally:
        assert main(["neo4j", "stop"]) == 0
    assert str(folder) in capsys.readouterr().out
    assert main(["neo4j", "status"]) == 4
