"""Fixtures of the console tests: a store holding the tiny hand-computed network or the sample,
with graphcap's metrics written back (as `graphcap metrics --write` does), so the library's
``needs: metrics`` queries run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .graphs import tiny_network


def _loaded(neo4j_settings, network, *, metrics: bool = True) -> Iterator[object]:
    from graphcap.analysis import analyze
    from graphcap.compute import write_back
    from graphcap.store import Neo4jStore

    store = Neo4jStore(neo4j_settings)
    try:
        store.verify()
        store.clear()
        store.import_network(network)
        if metrics:
            write_back(store, analyze(network), run={"source": "tests"})
        yield store
    finally:
        store.close()


@pytest.fixture(scope="module")
def tiny_store(neo4j_settings) -> Iterator[object]:
    """The database holding only :func:`tiny_network` (module scope: tests must not write)."""
    yield from _loaded(neo4j_settings, tiny_network())


@pytest.fixture(scope="module")
def sample_store(neo4j_settings) -> Iterator[object]:
    """The database holding the small seeded sample network."""
    from graphcap.sample import sample_small

    yield from _loaded(neo4j_settings, sample_small())


@pytest.fixture(scope="module")
def tiny_bare_store(neo4j_settings) -> Iterator[object]:
    """:func:`tiny_network` imported, but no `graphcap metrics --write` run on it."""
    yield from _loaded(neo4j_settings, tiny_network(), metrics=False)
