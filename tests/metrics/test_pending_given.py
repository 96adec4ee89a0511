"""Measures another engine is still computing (PendingGiven): the analysis computes everything
else first and waits for them only in its structure stage; the result is the one a ready
Given gives (graphcap.compute runs Neo4j GDS this way beside the local work)."""

from __future__ import annotations

import pandas as pd
import pytest

from graphcap.analysis import analyze, clear_cache
from graphcap.errors import StoreError
from graphcap.metrics.suite import Given, PendingGiven, node_metrics
from graphcap.sample import sample_small

SUPPLIED = ("pagerank", "betweenness", "community", "core_number", "is_articulation")


@pytest.fixture(scope="module")
def given() -> Given:
    # stand-in values from "another engine": the local ones, scaled so they are recognisable
    net = sample_small()
    local = node_metrics(net, measures=list(SUPPLIED), seed=3)
    nodes = local.assign(pagerank=local["pagerank"] * 0.5, betweenness=local["betweenness"] + 1)
    return Given(nodes=nodes, bridges=[], engine="other", info={"version": "1"})


def test_node_metrics_waits_last_and_matches_a_ready_frame(given):
    net = sample_small()
    calls: list[str] = []

    def later() -> pd.DataFrame:
        calls.append("asked")
        return given.nodes

    ready = node_metrics(net, given=given.nodes, given_by="other", seed=1)
    pending = node_metrics(net, given=later, given_by="other", given_measures=SUPPLIED, seed=1)
    assert calls == ["asked"]
    pd.testing.assert_frame_equal(pending, ready, check_exact=True)
    assert list(pending.columns) == list(ready.columns)
    assert pending.attrs["engines"] == ready.attrs["engines"]
    assert pending.attrs["engines"]["pagerank"] == "other"
    assert pending.attrs["engines"]["closeness"] == "local"


def test_analysis_with_pending_measures_equals_the_ready_ones(given):
    net = sample_small()
    clear_cache()
    ready = analyze(net, given=given)
    pending = analyze(net, given=PendingGiven(SUPPLIED, lambda: given, engine="other"))
    pd.testing.assert_frame_equal(pending.nodes, ready.nodes, check_exact=True)
    pd.testing.assert_frame_equal(pending.edges, ready.edges, check_exact=True)
    assert pending.rci.score == ready.rci.score
    assert pending.params["engines"] == ready.params["engines"]
    assert pending.params["engine_info"] == {"version": "1"}
    assert list(pending.timings) == list(ready.timings)


def test_the_other_engines_error_surfaces():
    def fail() -> Given:
        raise StoreError("the other engine failed")

    with pytest.raises(StoreError, match="the other engine failed"):
        analyze(sample_small(), given=PendingGiven(SUPPLIED, fail))


def test_a_failure_of_the_other_engine_stops_the_local_measures_early(monkeypatch):
    """Once the other engine has failed, the next local measure does not start: the error
    comes within one measure, not after all of them (at 1M / 5M the local measures take half
    an hour; the GDS projection had failed in its first minutes)."""
    import graphcap.metrics.position as position

    started: list[str] = []
    real_reach2 = position.reach2_array
    monkeypatch.setattr(
        position, "reach2_array", lambda *a, **k: started.append("reach2") or real_reach2(*a, **k)
    )
    failed: list[bool] = []

    def check() -> None:  # fails from the third measure on, as a server error mid-way would
        failed.append(True)
        if len(failed) >= 3:
            raise StoreError("projection failed on the server")

    def never() -> Given:
        raise AssertionError("the analysis waited for the result instead of stopping")

    clear_cache()
    with pytest.raises(StoreError, match="projection failed on the server"):
        analyze(sample_small(), given=PendingGiven(SUPPLIED, never, check=check))
    assert len(failed) == 3  # stopped at the first check that raised
    assert started == []  # reach2 comes after the first measures: never started


def test_a_check_that_passes_changes_nothing(given):
    net = sample_small()
    clear_cache()
    ready = analyze(net, given=given)
    calls: list[int] = []
    checked = analyze(
        net,
        given=PendingGiven(SUPPLIED, lambda: given, engine="other", check=lambda: calls.append(1)),
    )
    pd.testing.assert_frame_equal(checked.nodes, ready.nodes, check_exact=True)
    assert len(calls) >= 10  # once before each local measure
