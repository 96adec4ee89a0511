"""``Neo4jStore.clear`` on a graph whose hub holds 100k relationships, on a server whose
transaction memory is capped so that deleting them in one transaction fails (as it did on a
loaded benchmark server): the clear deletes in batches and succeeds."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphcap.errors import ServerError
from tests.support import require

pytestmark = [pytest.mark.integration, pytest.mark.slow]

HUB_TIES = 100_000
# the clear before this fix: the batch holding the hub deleted its 100k relationships at once
OLD_CLEAR = (
    "MATCH (n) WHERE n:Stakeholder CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
)


@pytest.fixture(scope="module")
def capped_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from graphcap.localdb.server import LocalNeo4j, free_port
    from graphcap.store import Neo4jStore

    server = LocalNeo4j(
        home=Path(tmp_path_factory.mktemp("neo4j-capped")),
        port=free_port(),
        password=secrets.token_urlsafe(16),
        heap="512m",
        pagecache="64m",
        tx_memory="64m",
    )
    try:
        server.start(timeout_s=300)
    except ServerError as exc:
        require(False, "a second local Neo4j for the capped-memory test", str(exc))
    try:
        with Neo4jStore(server.settings) as store:
            store.ensure_schema()
            yield store
    finally:
        server.stop()


def _run(store, cypher: str) -> list:
    with store.driver.session(database=store.database) as s:
        return list(s.run(cypher))


def _hub(store) -> None:
    _run(store, "CREATE (:Stakeholder:Organization {id: 'hub', name: 'Hub', type: 'organization'})")
    _run(
        store,
        f"UNWIND range(1, {HUB_TIES}) AS i CALL (i) {{ MATCH (h:Stakeholder {{id: 'hub'}}) "
        "CREATE (h)-[:SUPPLIES {trust: 0.5, kind: 'supply'}]->(:Stakeholder:Supplier "
        "{id: 's' + i, name: 'Supplier ' + i, type: 'supplier'}) } IN TRANSACTIONS OF 2000 ROWS",
    )


def test_clear_deletes_a_hub_with_100k_relationships_in_batches(capped_store):
    store = capped_store
    _hub(store)
    with pytest.raises(Exception, match="(?i)memory"):
        _run(store, OLD_CLEAR)
    version = store.version()
    store.clear()
    left = _run(store, "MATCH (n) WHERE NOT n:GraphcapMeta RETURN count(n) AS c")[0]["c"]
    rels = _run(store, "MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
    assert (left, rels) == (0, 0)
    assert store.version() != version
