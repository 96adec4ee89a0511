"""Shared fixtures: a real, throwaway Neo4j for the session and the CI policy.

Under ``CI=true`` a missing service (Java, Maven, Neo4j) or browser is a failure; locally the
tests that need it skip with a reason that says how to enable them.

``NEO4J_TEST_URI`` / ``NEO4J_TEST_PASSWORD`` point the suite at an existing server instead
(it will be wiped by the tests: never use a database you care about).

The test Neo4j runs with Graph Data Science (resolved from Maven Central like Neo4j; it adds
about a fifth to the server's start-up). Tests marked ``gds`` use the ``gds_store`` fixture: under
``CI=true`` a server without GDS fails them, locally they skip saying why.
``GRAPHCAP_TEST_GDS=0`` starts the test server without GDS (faster when not testing GDS).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphcap.config.connection import Neo4jSettings
from graphcap.errors import ServerError
from tests.support import IN_CI, require

CHROMIUM = os.environ.get("GRAPHCAP_CHROMIUM", "/usr/bin/chromium")
__all__ = ["IN_CI", "require"]


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A local Neo4j Community started for this test session on a free loopback port."""
    from graphcap.localdb.launcher import build_gds, check_java, check_maven
    from graphcap.localdb.server import LocalNeo4j, free_port

    try:
        check_java()
        check_maven()
    except ServerError as exc:
        require(False, "Java 17+/Maven for the test Neo4j", f"{exc} (`make test` installs it)")
    home = tmp_path_factory.mktemp("neo4j")
    with_gds = os.environ.get("GRAPHCAP_TEST_GDS", "1") != "0"
    if with_gds:
        try:
            build_gds()
        except ServerError as exc:
            if IN_CI:
                pytest.fail(
                    f"Graph Data Science for the test Neo4j is missing under CI=true: {exc}"
                )
            with_gds = False
    server = LocalNeo4j(
        home=Path(home),
        port=free_port(),
        password=secrets.token_urlsafe(16),
        heap=os.environ.get("GRAPHCAP_TEST_NEO4J_HEAP", "1g"),
        pagecache="128m",
    )
    try:
        server.start(timeout_s=300, gds=with_gds)
    except ServerError as exc:
        require(False, "the test Neo4j", str(exc))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_settings(request: pytest.FixtureRequest) -> Neo4jSettings:
    """Settings of the real Neo4j the integration tests talk to."""
    uri = os.environ.get("NEO4J_TEST_URI")
    if uri:
        return Neo4jSettings(
            uri=uri,
            user=os.environ.get("NEO4J_TEST_USER", "neo4j"),
            password=os.environ.get("NEO4J_TEST_PASSWORD", ""),
            database=os.environ.get("NEO4J_TEST_DATABASE", "neo4j"),
            explicit=True,
        )
    server = request.getfixturevalue("neo4j_server")
    return server.settings  # type: ignore[attr-defined]


@pytest.fixture
def store(neo4j_settings: Neo4jSettings) -> Iterator[object]:
    """A connected :class:`graphcap.store.Neo4jStore` on an empty database."""
    from graphcap.store import Neo4jStore

    s = Neo4jStore(neo4j_settings)
    s.verify()
    s.clear()
    s.ensure_schema()
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def gds_store(store: object) -> object:
    """:func:`store` on a server with Graph Data Science (tests marked ``gds``)."""
    from graphcap.store import gds

    try:
        gds.gds_version(store)
    except gds.GdsUnavailable as exc:
        require(False, "Graph Data Science on the test Neo4j", str(exc))
    gds.dropped_projections(store)
    return store


@pytest.fixture
def neo4j_env(neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch) -> Neo4jSettings:
    """NEO4J_* set to the test Neo4j, for code that connects from the environment
    (the CLI's ``Neo4jStore.from_env()``, the app's source selection)."""
    for name, value in (
        ("NEO4J_URI", neo4j_settings.uri),
        ("NEO4J_USER", neo4j_settings.user),
        ("NEO4J_PASSWORD", neo4j_settings.password),
        ("NEO4J_DATABASE", neo4j_settings.database),
    ):
        monkeypatch.setenv(name, value)
    return neo4j_settings


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's Chromium for browser tests."""
    path = shutil.which(CHROMIUM) or (CHROMIUM if os.path.exists(CHROMIUM) else None)
    require(
        path is not None, "Debian's Chromium", "`make test` installs it (apt-get install chromium)"
    )
    return str(path)


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep tests away from the user's data dir and any NEO4J_* of the developer's shell."""
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path_factory.getbasetemp() / "graphcap-data"))
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE", "GRAPHCAP_CONFIG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _english_unless_asked() -> Iterator[None]:
    """Every test starts in English: ``graphcap --lang de`` sets the process's language (as a
    CLI run should), and that must not leak into the next test's messages."""
    from graphcap.i18n import use_language

    with use_language("en"):
        yield


def pytest_collection_modifyitems(session: pytest.Session, config: object, items: list) -> None:
    """The fork tests (tests/metrics/test_sidecar.py) run first. graphcap forks only in a
    single-threaded process (graphcap.graph.sidecar), and later tests leave threads behind
    for the session (the test Neo4j's output readers, drivers, app servers), so after them no
    child would be forked and those tests would fail. The sort is stable: every other test
    keeps its order."""
    items.sort(key=lambda item: 0 if item.path.name == "test_sidecar.py" else 1)
