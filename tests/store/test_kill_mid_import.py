"""Neo4j killed (SIGKILL) in the middle of an import: the next run of the same import completes
and the graph equals a clean import -- nothing duplicated, nothing left of the broken run.

This test starts its own server (graphcap.localdb) so it can kill it.
"""

from __future__ import annotations

import secrets
import threading
import time

import numpy as np
import pandas as pd
import pytest

from graphcap.errors import ServerError, StoreError
from graphcap.model import Network
from graphcap.store import Neo4jStore
from tests.support import require

from .graphcheck import fingerprint

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(1200)]


def _network(n_nodes: int = 2000, n_edges: int = 10000, seed: int = 3) -> Network:
    rng = np.random.default_rng(seed)
    types = np.array(
        ["organization"] + list(rng.choice(["customer", "supplier", "partner"], n_nodes - 1))
    )
    ids = np.array([f"N{i}" for i in range(n_nodes)], dtype=object)
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": [f"Stakeholder {i} – Ünïcødé" for i in range(n_nodes)],
            "type": types,
            "revenue": rng.random(n_nodes) * 1e6,
        }
    )
    src = rng.integers(1, n_nodes, n_edges * 2)
    dst = np.where(rng.random(src.size) < 0.3, 0, rng.integers(0, n_nodes, src.size))
    edges = pd.DataFrame(
        {
            "source": ids[src],
            "target": ids[dst],
            "type": rng.choice(["BUYS_FROM", "SUPPLIES", "REFERS"], src.size),
        }
    )
    edges = edges[edges.source != edges.target].drop_duplicates(["source", "type", "target"])
    edges = edges.iloc[:n_edges].reset_index(drop=True)
    edges["trust"] = rng.random(len(edges))
    inter = pd.DataFrame(
        {
            "date": pd.to_datetime("2024-01-01")
            + pd.to_timedelta(rng.integers(0, 300, 2000), unit="D"),
            "source": ids[rng.integers(1, n_nodes, 2000)],
            "target": ids[0],
            "channel": rng.choice(["call", "mail"], 2000),
        }
    )
    return Network(nodes=nodes, edges=edges, interactions=inter)


@pytest.fixture
def own_server(tmp_path):
    from graphcap.localdb.launcher import check_java
    from graphcap.localdb.server import LocalNeo4j, free_port

    try:
        check_java()
    except ServerError as exc:
        require(False, "Java 17+ for a killable Neo4j", str(exc))
    server = LocalNeo4j(
        home=tmp_path / "neo4j",
        port=free_port(),
        password=secrets.token_urlsafe(16),
        heap="1g",
        pagecache="128m",
    )
    try:
        server.start(timeout_s=300)
    except ServerError as exc:
        require(False, "a killable local Neo4j", str(exc))
    try:
        yield server
    finally:
        server.stop()


def test_kill_mid_import_then_rerun_equals_clean_import(own_server):
    net = _network()
    total = len(net.nodes) + len(net.edges) + len(net.interactions)
    killed = threading.Event()

    def progress(done: int, _total: int) -> None:
        # once ~40% is committed, SIGKILL the server a moment later, i.e. inside a later batch
        if done >= 0.4 * total and not killed.is_set():
            killed.set()
            threading.Timer(0.05, own_server.kill).start()

    with Neo4jStore(own_server.settings, retry_s=2) as store:
        store.ensure_schema()
        with pytest.raises(StoreError):
            store.import_network(net, batch_size=500, progress=progress)
    assert killed.is_set()
    time.sleep(0.5)
    assert own_server.pid is None  # it really is dead

    # restart on the same data dir (with a fresh password: the launcher sets the password on
    # every start and Neo4j refuses to "change" it to the same value)
    own_server.password = secrets.token_urlsafe(16)
    own_server.start(timeout_s=300)
    with Neo4jStore(own_server.settings) as store:
        # the broken run left part of the data and its journal behind
        assert store.pending_import() is not None
        partial = store.counts()
        assert (
            0
            < sum(partial["nodes"].values()) + sum(partial["edges"].values())
            < len(net.nodes) + len(net.edges)
        )

        rerun = store.import_network(net, batch_size=500)
        # the interrupted run was undone first, so the rerun created everything itself
        assert (rerun.nodes.created, rerun.edges.created, rerun.interactions.created) == (
            len(net.nodes),
            len(net.edges),
            len(net.interactions),
        )
        assert store.pending_import() is None
        after_rerun = fingerprint(store)
        counts = store.counts()
        with store.driver.session(database=store.database) as s:
            dup_ids = s.run(
                "MATCH (n:Stakeholder) WITH n.id AS id, count(*) AS c WHERE c > 1 "
                "RETURN count(*) AS d"
            ).single()["d"]
            undo_left = s.run("MATCH (u:GraphcapUndo) RETURN count(u) AS c").single()["c"]
        assert dup_ids == 0 and undo_left == 0

        # a clean import of the same network into the emptied database gives the same graph
        store.clear()
        clean = store.import_network(net, batch_size=2000)
        assert clean.nodes.created == len(net.nodes)
        assert fingerprint(store) == after_rerun
        assert store.counts() == counts
        assert sum(counts["nodes"].values()) == len(net.nodes)
        assert sum(counts["edges"].values()) == len(net.edges)
        assert counts["interactions"]["total"] == len(net.interactions)
