"""On the GDS engine too, reach2 (always computed locally) is estimated with sketches above
the tie threshold, and the summary says so on a line of its own when nothing else is sampled."""

from __future__ import annotations

import pytest

from graphcap.analysis import clear_cache
from graphcap.cli.metrics_render import render, sampling_lines
from graphcap.compute import analyze_stored
from graphcap.graph.projection import to_engine
from graphcap.i18n import use_language
from graphcap.metrics import pivots, reach_sketch
from graphcap.sample import sample_small

pytestmark = [pytest.mark.integration, pytest.mark.gds]


@pytest.fixture
def reach_threshold_low(monkeypatch):
    """sample_small's 255 relationships above the tie threshold; the path measures stay exact
    (nodes x ties is far below EXACT_WORK_LIMIT), so only reach2 is estimated."""
    monkeypatch.setattr(pivots, "PIVOT_SCALE_TIES", 10)
    clear_cache()
    yield
    clear_cache()


def test_gds_analysis_estimates_reach2_and_says_so(gds_store, reach_threshold_low):
    gds_store.import_network(sample_small())
    net = gds_store.read_network()
    a = analyze_stored(gds_store, net, engine="gds", seed=11)
    assert a.params["engines"]["reach2"] == "local"
    assert a.params["sampling"] == [
        {
            "engine": "local",
            "measures": ["reach2"],
            "registers": reach_sketch.REGISTERS,
            "typical_error": pytest.approx(1.04 / 32),
            "seed": 11,
        }
    ]
    eg = to_engine(net, directed=False)
    expected = dict(zip(eg.nodes, reach_sketch.reach2_estimate(eg, seed=11), strict=True))
    assert dict(zip(a.nodes["id"], a.nodes["reach2"], strict=True)) == expected
    line = (
        "Sampled (local): reach in two steps estimated with HyperLogLog "
        "(1,024 registers, typical error ±3.3%)"
    )
    assert sampling_lines(a) == [line]
    assert line in render(a, "summary", "table").splitlines()
    with use_language("de"):
        german = render(a, "summary", "table").splitlines()
    assert (
        "Stichprobe (local): Reichweite in zwei Schritten mit HyperLogLog geschätzt "
        "(1.024 Register, typischer Fehler ±3,3\xa0%)"
    ) in german
