"""The Python import API (``Neo4jStore.import_network`` on a hand-made Network) refuses text
Neo4j cannot store or index -- NUL, lone surrogates, ids and names longer than the index takes --
naming row and column, before any query: the graph is unchanged. The length limit is checked
against the real server's own index limit."""

from __future__ import annotations

import neo4j
import pandas as pd
import pytest

from graphcap.errors import ImportFailed
from graphcap.model import Network
from graphcap.model.storable import MAX_INDEXED_BYTES
from tests.store.graphcheck import fingerprint

pytestmark = pytest.mark.integration


def _network(name: str, *, node_id: str = "c1") -> Network:
    nodes = pd.DataFrame({"id": ["o1", node_id], "name": ["Orbit", name],
                          "type": ["organization", "customer"]}, dtype=object)  # fmt: skip
    edges = pd.DataFrame(
        {"source": [node_id], "target": ["o1"], "type": ["BUYS_FROM"]}, dtype=object
    )
    return Network(nodes=nodes, edges=edges)


@pytest.mark.parametrize(
    ("name", "node_id", "column", "why"),
    [
        ("Mü\x00ller", "c1", "name", "NUL character (U+0000) at position 3"),
        ("Broken \ud800 AG", "c1", "name", "lone surrogate"),
        ("Fine", "c\x001", "id", "NUL"),
        ("ü" * (MAX_INDEXED_BYTES // 2 + 1), "c1", "name", f"at most {MAX_INDEXED_BYTES:,} bytes"),
        ("Fine", "東" * (MAX_INDEXED_BYTES // 3 + 1), "id", "bytes long in UTF-8"),
    ],
)
def test_the_python_api_refuses_unstorable_text(store, name, node_id, column, why):
    before = fingerprint(store)
    with pytest.raises(ImportFailed) as info:
        store.import_network(_network(name, node_id=node_id))
    message = str(info.value)
    assert f"nodes frame, row 2, column '{column}'" in message and why in message
    assert fingerprint(store) == before


def test_the_length_limit_is_neo4js_own(store, neo4j_settings):
    """Exactly MAX_INDEXED_BYTES imports; one byte more fails in Neo4j itself (checked with a
    raw write that is rolled back), which is why graphcap refuses it first."""
    fits = "ü" * (MAX_INDEXED_BYTES // 2)  # 8,164 bytes
    store.import_network(_network(fits))
    assert fingerprint(store) != ""
    driver = neo4j.GraphDatabase.driver(
        neo4j_settings.uri, auth=(neo4j_settings.user, neo4j_settings.password)
    )
    try:
        with driver.session(database=neo4j_settings.database) as session:
            tx = session.begin_transaction()
            try:
                with pytest.raises(neo4j.exceptions.Neo4jError):
                    tx.run("CREATE (:Stakeholder {id: 'probe', name: $n})", n=fits + "a").consume()
            finally:
                tx.close()
    finally:
        driver.close()
