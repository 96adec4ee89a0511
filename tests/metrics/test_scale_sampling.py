"""The path measures' pivots shrink with the ties above a million, reach2 is estimated with
HyperLogLog sketches there, and the output says what was sampled (how many sources of how many
stakeholders, the seed) and estimated (how many registers, the typical error)."""

from __future__ import annotations

import pytest

from graphcap.analysis import analyze, clear_cache
from graphcap.cli.metrics_render import render, sampling_lines
from graphcap.graph.projection import to_engine
from graphcap.i18n import use_language
from graphcap.metrics import pivots, position, reach_sketch
from graphcap.sample import sample_small


@pytest.mark.parametrize(
    ("nodes", "ties", "expected"),
    [
        (1_000, 10_000, None),  # nodes x ties = the exact limit: exact
        (1_001, 10_000, 256),
        (200_000, 1_000_000, 256),  # up to a million ties: as before
        (200_000, 1_000_001, 255),  # 256 * 1e6 / 1_000_001, rounded down
        (1_000_000, 5_000_000, 51),
        (5_000_000, 50_000_000, 32),  # never fewer than MIN_PIVOTS
    ],
)
def test_pivot_count_shrinks_with_the_ties_above_a_million(nodes, ties, expected):
    assert pivots.pivot_count(nodes, ties) == expected


@pytest.fixture
def small_scale(monkeypatch):
    """sample_small treated as if it were big: every constant of the rule scaled down, so
    its 255 relationships give fewer pivots than stakeholders (the analysis cache does not key
    on these constants: cleared before and after)."""
    monkeypatch.setattr(pivots, "EXACT_WORK_LIMIT", 0)
    monkeypatch.setattr(pivots, "PIVOT_SCALE_TIES", 10)
    monkeypatch.setattr(pivots, "MIN_PIVOTS", 5)
    clear_cache()
    yield
    clear_cache()


def test_sampled_analysis_says_what_it_sampled(small_scale):
    net = sample_small()
    a = analyze(net, seed=7)
    ties = a.graph.number_of_edges()
    k = max(5, 256 * 10 // ties)
    assert 5 <= k < len(net.nodes)
    assert a.params["sampling"] == [
        {
            "engine": "local",
            "measures": ["betweenness", "closeness", "harmonic"],
            "sources": k,
            "of": len(net.nodes),
            "seed": 7,
        },
        {
            "engine": "local",
            "measures": ["reach2"],
            "registers": 1024,
            "typical_error": pytest.approx(1.04 / 32),
            "seed": 7,
        },
    ]
    # the numbers are the sampled ones with those k sources and that seed
    ref = position.betweenness(a.graph, weight="distance", k=k, seed=7)
    got = dict(zip(a.nodes["id"], a.nodes["betweenness"], strict=True))
    assert got == pytest.approx(ref, abs=1e-12)
    line = (
        f"Sampled (local): betweenness, closeness, harmonic estimated from {k} of "
        f"{len(net.nodes)} stakeholders as sources (seed 7); reach in two steps estimated with "
        "HyperLogLog (1,024 registers, typical error ±3.3%)"
    )
    assert sampling_lines(a) == [line]
    assert line in render(a, "summary", "table").splitlines()
    with use_language("de"):
        german = render(a, "summary", "table")
    assert (
        f"Stichprobe (local): betweenness, closeness, harmonic geschätzt aus {k} von "
        f"{len(net.nodes)} Stakeholdern als Quellen (Seed 7); Reichweite in zwei Schritten mit "
        "HyperLogLog geschätzt (1.024 Register, typischer Fehler ±3,3\xa0%)"
    ) in german.splitlines()


def test_reach2_above_the_threshold_is_the_sketch_estimate(small_scale):
    net = sample_small()
    a = analyze(net, seed=7)
    got = dict(zip(a.nodes["id"], a.nodes["reach2"], strict=True))
    eg = to_engine(net, directed=False)  # the graph the analysis measures
    sketch = reach_sketch.reach2_estimate(eg, seed=7)
    assert got == dict(zip(eg.nodes, sketch, strict=True))
    exact = position.reach2(a.graph)
    # well under 2.5 x 1,024 stakeholders in reach: linear counting, off by a shared register
    assert all(abs(got[v] - exact[v]) <= 1 + 4 * 1.04 / 32 * exact[v] for v in exact)
    assert a.params["seed"] == 7 and a.nodes["reach2"].max() > 10
    clear_cache()
    assert analyze(net, seed=7).nodes["reach2"].tolist() == a.nodes["reach2"].tolist()


def test_exact_analysis_says_nothing_about_sampling():
    clear_cache()
    a = analyze(sample_small())
    assert "sampling" not in a.params and sampling_lines(a) == []
    assert "Sampled" not in render(a, "summary", "table")
    exact = position.reach2(a.graph)  # reach2 below the threshold: exact, as before
    assert dict(zip(a.nodes["id"], a.nodes["reach2"], strict=True)) == exact
