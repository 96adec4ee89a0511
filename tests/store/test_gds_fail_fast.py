"""A GDS failure surfaces as soon as it happens, not after the local half of the analysis.

``analyze_stored(engine="gds")`` runs GDS in a worker thread while this process computes the
measures that stay local. At 1M / 5M the projection failed in its first minutes (the server's
transaction memory) and the error came after 41 minutes of local work. Now the analysis looks
at the worker before each local measure.
"""

from __future__ import annotations

import threading

import pytest

from graphcap.analysis import clear_cache
from graphcap.compute import analyze_stored
from graphcap.errors import StoreError
from graphcap.metrics import position
from graphcap.sample import sample_small
from graphcap.store import gds

pytestmark = [pytest.mark.integration, pytest.mark.gds]


def test_a_failed_projection_stops_the_local_measures(gds_store, monkeypatch):
    gds_store.import_network(sample_small())
    network = gds_store.read_network()
    failed = threading.Event()

    def fail(*args, **kwargs):
        failed.set()
        raise StoreError("Neo4j failed while projecting the graph into GDS: memory")

    started: list[str] = []
    real_reach2 = position.reach2_array

    def reach2_after_the_failure(*args, **kwargs):
        started.append("reach2")
        return real_reach2(*args, **kwargs)

    def slow_first_measure(*args, **kwargs):
        failed.wait(30)  # the local work goes on until the server has failed
        return real_degree(*args, **kwargs)

    real_degree = position.degree_array
    monkeypatch.setattr(gds, "node_measures", fail)
    monkeypatch.setattr(position, "degree_array", slow_first_measure)
    monkeypatch.setattr(position, "reach2_array", reach2_after_the_failure)
    clear_cache()
    with pytest.raises(StoreError, match="projecting the graph into GDS"):
        analyze_stored(gds_store, network, engine="gds")
    assert started == []
    assert gds.projections(gds_store) == []
