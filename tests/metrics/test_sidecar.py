"""The betweenness computed in a forked child (graphcap.graph.sidecar): the same numbers to the
last bit as in this process, and no child left behind, whatever happens to it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graphcap.analysis import analyze, clear_cache
from graphcap.graph.engine import EngineGraph, engine_for
from graphcap.graph.sidecar import Sidecar, allowed, sidecars
from graphcap.metrics import betweenness, closeness
from graphcap.metrics.suite import node_metrics, start_path_measures
from graphcap.sample import sample_small
from tests.metrics.refgraphs import disconnected, karate, random_directed, stakeholder_like

ROOT = Path(__file__).resolve().parents[2]
CLOSENESS, HARMONIC = closeness.closeness_array, closeness.harmonic_array
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")


def _gone(pid: int) -> bool:
    """The child has been reaped (waited for), so it is neither running nor a zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


GRAPHS = {
    "karate": lambda: karate(),
    "directed": lambda: random_directed(),
    "disconnected": lambda: disconnected(),
    "stakeholder-like": lambda: stakeholder_like(400, seed=5),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
@pytest.mark.parametrize("k", [None, 7])
def test_the_child_gives_the_same_betweenness_to_the_last_bit(name: str, k: int | None) -> None:
    G = GRAPHS[name]()
    here = betweenness.betweenness_array(EngineGraph(G), weight="distance", k=k, seed=3)
    eg = EngineGraph(G)
    with sidecars(busy_too=True):
        assert allowed(), f"not a single thread: {threading.enumerate()}"
        assert betweenness.start_betweenness(eg, weight="distance", k=k, seed=3)
    started = eg.memo[("betweenness", "distance", k, 3, True)]
    assert isinstance(started, Sidecar) and started.pid is not None  # a child computes it
    pid = started.pid
    aside = betweenness.betweenness_array(eg, weight="distance", k=k, seed=3)
    assert aside.dtype == here.dtype and aside.tobytes() == here.tobytes()
    assert ("betweenness", "distance", k, 3, True) not in eg.memo  # taken once
    assert _gone(pid)
    if k is None:  # and both are networkx's betweenness
        ref = nx.betweenness_centrality(G, weight="distance")
        assert np.allclose(aside, [ref[v] for v in eg.nodes], rtol=0, atol=1e-9)


@pytest.mark.parametrize("name", sorted(GRAPHS))
@pytest.mark.parametrize("k", [None, 7])
def test_the_child_gives_the_same_closeness_and_harmonic_to_the_last_bit(
    name: str, k: int | None
) -> None:
    G = GRAPHS[name]()
    plain = EngineGraph(G)
    here = [f(plain, distance="distance", k=k, seed=3) for f in (CLOSENESS, HARMONIC)]
    eg = EngineGraph(G)
    with sidecars(busy_too=True):
        assert closeness.start_path_sums(eg, distance="distance", k=k, seed=3)
        assert not closeness.start_path_sums(eg, distance="distance", k=k, seed=3)  # once
    pid = next(v.pid for v in eg.memo.values() if isinstance(v, Sidecar))
    assert pid is not None
    aside = [f(eg, distance="distance", k=k, seed=3) for f in (CLOSENESS, HARMONIC)]
    for a, b in zip(aside, here, strict=True):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    assert _gone(pid)
    if k is None:  # and networkx's harmonic centrality
        ref = nx.harmonic_centrality(G, distance="distance")
        assert np.allclose(aside[1], [ref[v] for v in eg.nodes], rtol=0, atol=1e-9)


def test_node_metrics_takes_the_started_measures_and_keeps_its_columns() -> None:
    G = nx.freeze(stakeholder_like(300, seed=2))
    plain = node_metrics(nx.Graph(G), k=20, seed=4)
    with sidecars(busy_too=True):
        start_path_measures(G, k=20, seed=4)
    children = [v.pid for v in engine_for(G).memo.values() if isinstance(v, Sidecar)]
    assert len(children) == 2 and None not in children  # betweenness; closeness and harmonic
    aside = node_metrics(G, k=20, seed=4)
    assert all(_gone(pid) for pid in children)
    pd.testing.assert_frame_equal(aside, plain, check_exact=True)
    assert list(aside.columns) == list(plain.columns)


def test_an_analysis_with_a_child_equals_one_without() -> None:
    net = sample_small()
    clear_cache()
    plain = analyze(net, seed=5)
    clear_cache()
    with sidecars(busy_too=True):
        aside = analyze(net, seed=5)
    clear_cache()
    for frame in ("nodes", "edges", "risks", "communities", "grid"):
        pd.testing.assert_frame_equal(
            getattr(aside, frame), getattr(plain, frame), check_exact=True
        )
    assert aside.rci.score == plain.rci.score and aside.params == plain.params


def test_by_default_a_child_is_forked_only_when_a_core_is_free(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cores = os.cpu_count() or 1
    monkeypatch.setattr(os, "getloadavg", lambda: (cores + 0.5, 0.0, 0.0))
    with sidecars():
        assert not allowed()
        job = Sidecar(lambda: np.ones(2))
        assert job.pid is None and job.result().tolist() == [1.0, 1.0]
    with sidecars(busy_too=True):
        assert allowed(), f"not a single thread: {threading.enumerate()}"
    monkeypatch.setattr(os, "getloadavg", lambda: (cores - 0.5, 0.0, 0.0))
    with sidecars():
        assert allowed(), f"not a single thread: {threading.enumerate()}"


def test_nothing_forks_outside_sidecars_or_beside_another_thread() -> None:
    assert not allowed()
    assert Sidecar(lambda: np.zeros(2)).pid is None
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with sidecars(busy_too=True):
            assert not allowed()  # a child could inherit a lock the other thread holds
            job = Sidecar(lambda: np.ones(3))
            assert job.pid is None
            assert job.result().tolist() == [1.0, 1.0, 1.0]  # computed here instead
    finally:
        stop.set()
        other.join()


def test_a_failing_child_is_reaped_and_the_work_runs_here() -> None:
    parent = os.getpid()

    def work() -> np.ndarray:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return np.arange(4.0)

    with sidecars(busy_too=True):
        job = Sidecar(work)
    pid = job.pid
    assert pid is not None
    assert job.result().tolist() == [0.0, 1.0, 2.0, 3.0]
    assert _gone(pid)


def test_an_error_of_the_work_is_raised_here() -> None:
    def work() -> np.ndarray:
        raise ValueError("no such measure")

    with sidecars(busy_too=True):
        job = Sidecar(work)
    pid = job.pid
    with pytest.raises(ValueError, match="no such measure"):
        job.result()
    assert pid is not None and _gone(pid)


def test_a_child_nobody_asks_is_ended_with_its_handle() -> None:
    with sidecars(busy_too=True):
        job = Sidecar(lambda: np.zeros(200_000))  # more than a pipe holds: the child waits
    pid = job.pid
    assert pid is not None and not _gone(pid)
    del job
    assert _gone(pid)


def test_the_child_leaves_without_the_parents_output_or_exit_handlers() -> None:
    script = (
        "import atexit, sys, numpy as np\n"
        "from graphcap.graph.sidecar import Sidecar, sidecars\n"
        "atexit.register(lambda: print('exit handler'))\n"
        "sys.stdout.write('buffered ')\n"  # not flushed before the fork
        "with sidecars(busy_too=True):\n"
        "    job = Sidecar(lambda: np.full(3, 2.0))\n"
        "print(job.pid is not None, job.result().tolist())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout == "buffered True [2.0, 2.0, 2.0]\nexit handler\n"
    assert out.stderr == ""
