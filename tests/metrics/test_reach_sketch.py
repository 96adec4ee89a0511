"""reach2 estimated with HyperLogLog sketches (graphcap.metrics.reach_sketch) against the exact
count of a boolean matrix product: within a stated bound of the typical error 1.04/sqrt(m) on
random graphs with and without hubs, directed and undirected, and the same for the same seed."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from graphcap.graph.engine import EngineGraph
from graphcap.metrics import pivots, reach_sketch
from graphcap.metrics.reach import reach2_array


def random_graph(n: int, ties: int, hubs: float, *, directed: bool, seed: int) -> EngineGraph:
    """``ties`` random ties among ``n`` stakeholders, a share ``hubs`` of them to five hubs."""
    rng = np.random.default_rng(seed)
    src = rng.integers(0, n, ties)
    dst = np.where(rng.random(ties) < hubs, rng.integers(0, 5, ties), rng.integers(0, n, ties))
    keep = src != dst
    pairs = np.unique(np.column_stack([src[keep], dst[keep]]), axis=0)
    return EngineGraph.from_arrays(list(range(n)), pairs[:, 0], pairs[:, 1], directed=directed)


def exact_reach2(eg: EngineGraph, direction: str) -> np.ndarray:
    """Stakeholders at one or two steps: non-zeros of ``A + A @ A`` off the diagonal."""
    A = sp.csr_matrix((np.ones(eg.m), (eg.src, eg.dst)), shape=(eg.n, eg.n))
    if direction == "all" or not eg.directed:
        A = A + A.T
    elif direction == "in":
        A = A.T
    A = (A > 0).astype(np.int64)
    both = ((A + A @ A) > 0).tolil()
    both.setdiag(False)
    return np.diff(both.tocsr().indptr).astype(float)


GRAPHS = [  # n, ties, share of ties to hubs, directed
    (3_000, 6_000, 0.0, False),  # sparse: small neighbourhoods (linear counting)
    (3_000, 15_000, 0.2, False),  # hubs: most neighbourhoods are most of the graph
    (4_000, 200_000, 0.0, False),  # dense: every neighbourhood in HyperLogLog's raw range
    (3_000, 30_000, 0.05, True),
    (3_000, 3_000, 0.3, True),  # star-like, many stakeholders reach nobody
]


def _cases():
    for n, ties, hubs, directed in GRAPHS:
        for direction in ("all", "in", "out") if directed else ("all",):
            yield pytest.param(
                n, ties, hubs, directed, direction, id=f"{n}-{ties}-{hubs}-{direction}"
            )


@pytest.mark.parametrize("registers", [256, reach_sketch.REGISTERS])
@pytest.mark.parametrize(("n", "ties", "hubs", "directed", "direction"), list(_cases()))
def test_estimate_is_within_the_stated_error(n, ties, hubs, directed, direction, registers):
    eg = random_graph(n, ties, hubs, directed=directed, seed=1)
    exact = exact_reach2(eg, direction)
    assert np.array_equal(reach2_array(eg, direction=direction), exact)  # the reference holds
    got = reach_sketch.reach2_estimate(eg, direction=direction, registers=registers, seed=3)
    sigma = reach_sketch.typical_error(registers)
    assert sigma == pytest.approx(1.04 / np.sqrt(registers))
    assert np.array_equal(got, np.rint(got)) and (got >= 0).all()  # whole counts
    assert (got[exact == 0] == 0).all()  # nobody reached: exactly zero
    reached = exact > 0
    relative = np.abs(got[reached] - exact[reached]) / exact[reached]
    assert np.median(relative) <= 3 * sigma
    # every stakeholder: within four typical errors, plus one for a register shared by two
    # of a handful of contacts (linear counting then counts them once)
    assert (np.abs(got - exact) <= 1 + 4 * sigma * exact).all()


def test_same_seed_same_numbers_other_seed_other_numbers():
    eg = random_graph(3_000, 15_000, 0.2, directed=False, seed=5)
    a = reach_sketch.reach2_estimate(eg, seed=42)
    assert np.array_equal(a, reach_sketch.reach2_estimate(eg, seed=42))
    assert not np.array_equal(a, reach_sketch.reach2_estimate(eg, seed=43))


def test_empty_and_tieless_graphs():
    assert (
        reach_sketch.reach2_estimate(EngineGraph.from_arrays([], [], [], directed=False)).size == 0
    )
    lonely = EngineGraph.from_arrays(["a", "b"], [], [], directed=True)
    assert reach_sketch.reach2_estimate(lonely, direction="out").tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("ties", "registers"), [(0, None), (1_000_000, None), (1_000_001, 1024), (5_000_000, 1024)]
)
def test_estimated_above_the_tie_count_the_pivots_shrink_at(ties, registers):
    assert pivots.PIVOT_SCALE_TIES == 1_000_000
    assert reach_sketch.sketch_registers(ties) == registers


def test_the_threshold_is_the_pivot_rule_s(monkeypatch):
    monkeypatch.setattr(pivots, "PIVOT_SCALE_TIES", 10)
    assert reach_sketch.sketch_registers(10) is None
    assert reach_sketch.sketch_registers(11) == reach_sketch.REGISTERS


def test_another_row_order_gives_the_same_numbers():
    eg = random_graph(2_000, 8_000, 0.1, directed=True, seed=7)
    names = [f"S{i:04d}" for i in range(eg.n)]
    order = np.random.default_rng(0).permutation(eg.n)  # the same network, read shuffled
    place = np.empty(eg.n, dtype=np.int64)
    place[order] = np.arange(eg.n)
    shuffled = EngineGraph.from_arrays(
        [names[i] for i in order], place[eg.src], place[eg.dst], directed=True
    )
    plain = EngineGraph.from_arrays(names, eg.src, eg.dst, directed=True)
    for direction in ("all", "in", "out"):
        a = reach_sketch.reach2_estimate(plain, direction=direction, seed=1)
        b = reach_sketch.reach2_estimate(shuffled, direction=direction, seed=1)
        assert dict(zip(plain.nodes, a, strict=True)) == dict(zip(shuffled.nodes, b, strict=True))
