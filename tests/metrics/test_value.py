"""Value and concentration: hand-computed Pareto, Gini, HHI, Lorenz; value sources; bad input."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphcap.config.metric_params import ValueConfig
from graphcap.errors import ConfigError
from graphcap.metrics.value import (
    concentration,
    describe_value,
    gini,
    hhi,
    lorenz_curve,
    pareto_share,
    stakeholder_value,
    value_by_type,
)
from graphcap.model import Network


def _gini_pairs(x: list[float]) -> float:
    """Independent definition: mean absolute difference over twice the mean."""
    n = len(x)
    mean = sum(x) / n
    if mean == 0:
        return 0.0
    return sum(abs(a - b) for a, b in itertools.product(x, x)) / (2 * n * n * mean)


def test_pareto_gini_hhi_by_hand() -> None:
    values = [400.0, 300.0, 100.0, 100.0, 50.0, 50.0, 0.0, 0.0, 0.0, 0.0]  # total 1000, n 10
    assert pareto_share(values) == pytest.approx(0.7)  # top 2 of 10
    assert hhi(values) == pytest.approx(0.16 + 0.09 + 0.01 + 0.01 + 0.0025 + 0.0025)
    assert gini(values) == pytest.approx(_gini_pairs(values))
    assert gini(values) == pytest.approx(0.65)  # 2*8750/(10*1000) - 11/10


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=30))
def test_gini_matches_the_pairwise_definition(x: list[float]) -> None:
    assert gini(x) == pytest.approx(_gini_pairs(x), abs=1e-9)
    assert 0.0 <= hhi(x) <= 1.0


def test_lorenz_curve_by_hand() -> None:
    curve = lorenz_curve([10.0, 30.0, 60.0, 0.0])
    assert curve["population_share"].tolist() == pytest.approx([0, 0.25, 0.5, 0.75, 1.0])
    assert curve["value_share"].tolist() == pytest.approx([0, 0, 0.1, 0.4, 1.0])
    # Gini = 1 - 2 * area under the Lorenz curve (trapezoids) for this discrete curve
    area = np.trapezoid(curve["value_share"], curve["population_share"])
    assert gini([10.0, 30.0, 60.0, 0.0]) == pytest.approx(1 - 2 * area)


def _network() -> Network:
    nodes = pd.DataFrame(
        {
            "id": ["o", "c1", "c2", "c3", "s1", "s2", "g"],
            "name": ["Org", "C1", "C2", "C3", "S1", "S2", "Gov"],
            "type": [
                "organization",
                "customer",
                "customer",
                "customer",
                "supplier",
                "supplier",
                "agency",
            ],
            "revenue": [np.nan, 500.0, np.nan, -5.0, np.nan, np.nan, np.nan],
            "clv": [np.nan, 2000.0, 800.0, np.nan, np.nan, np.nan, np.nan],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["c1", "c2", "c3", "s1", "s2", "g", "s1"],
            "target": ["o", "o", "o", "o", "o", "o", "c1"],
            "type": [
                "BUYS_FROM",
                "BUYS_FROM",
                "BUYS_FROM",
                "SUPPLIES",
                "SUPPLIES",
                "REGULATES",
                "SUPPLIES",
            ],
            "volume": [999.0, 300.0, 200.0, 150.0, 50.0, np.nan, 70.0],
        }
    )
    return Network(nodes, edges)


def test_value_sources() -> None:
    v = stakeholder_value(_network()).set_index("id")
    assert v.loc["c1", "value"] == 500.0  # revenue wins over volume
    assert v.loc["c2", "value"] == 300.0  # no revenue: BUYS_FROM volume
    assert v.loc["c3", "value"] == 200.0  # negative revenue counts as none
    assert v.loc["s1", "spend"] == 150.0  # only SUPPLIES to the organisation
    assert v.loc["o", "value"] == 0.0
    assert v.loc["g", "value"] == 0.0
    assert v.loc["s1", "value_kind"] == "spend" and v.loc["c2", "value_kind"] == "revenue"
    # shares are within each kind: revenue shares add to 1, spend shares add to 1, never mixed
    for kind in ("revenue", "spend"):
        assert v.loc[v["value_kind"] == kind, "value_share"].sum() == pytest.approx(1.0)
    assert v.loc["s1", "value_share"] == pytest.approx(150 / 200)


def test_concentration_by_hand() -> None:
    c = concentration(stakeholder_value(_network()))
    assert c["total_value"] == 1000.0  # revenue only: 500 + 300 + 200; spend is never added
    assert c["kinds"]["spend"]["total"] == 200.0  # 150 + 50
    assert c["kinds"]["spend"]["hhi"] == pytest.approx(0.75**2 + 0.25**2)
    assert c["kinds"]["spend"]["pareto_share"] == pytest.approx(0.75)  # top 1 of 2
    assert c["hhi_customers"] == pytest.approx(0.5**2 + 0.3**2 + 0.2**2)
    assert c["hhi_suppliers"] == pytest.approx(0.75**2 + 0.25**2)
    assert c["pareto_share"] == pytest.approx(500 / 1000)  # top ceil(0.2 * 3) = 1 of revenue
    assert (c["customers"], c["suppliers"], c["top_stakeholder"]) == (3, 2, "c1")
    assert c["value_basis"] == "revenue"
    by_type = value_by_type(stakeholder_value(_network()))
    assert by_type.set_index("type").loc["customer", "revenue"] == 1000.0
    assert by_type.set_index("type").loc["supplier", "spend"] == 200.0
    assert (
        describe_value(c) == "revenue 1,000 from 3 stakeholder(s); spend 200 from 2 stakeholder(s)"
    )


def _two(edges: list[tuple[str, str, str, float]]) -> Network:
    nodes = pd.DataFrame(
        {
            "id": ["o", "x", "y"],
            "name": ["O", "X", "Y"],
            "type": ["organization", "customer", "supplier"],
        }
    )
    return Network(nodes, pd.DataFrame(edges, columns=["source", "target", "type", "volume"]))


def test_direction_decides_revenue_or_spend() -> None:
    # the organisation SUPPLIES x: x pays us (revenue); the organisation BUYS_FROM y: we pay (spend)
    v = stakeholder_value(
        _two(
            [("o", "x", "SUPPLIES", 70.0), ("o", "y", "BUYS_FROM", 30.0), ("y", "o", "SERVES", 5.0)]
        )
    ).set_index("id")
    assert (v.loc["x", "revenue"], v.loc["x", "spend"]) == (70.0, 0.0)
    assert (v.loc["y", "revenue"], v.loc["y", "spend"]) == (0.0, 35.0)


def test_kinds_are_configurable_per_relationship_type() -> None:
    net = _two([("x", "o", "PARTNERS_WITH", 40.0), ("y", "o", "SERVES", 10.0)])
    plain = stakeholder_value(net).set_index("id")
    assert plain.loc["x", "flow"] == 40.0 and plain.loc["y", "spend"] == 10.0
    custom = stakeholder_value(
        net, ValueConfig(kinds={"PARTNERS_WITH": "revenue", "SERVES": "flow"})
    )
    custom = custom.set_index("id")
    assert custom.loc["x", "revenue"] == 40.0 and custom.loc["y", "flow"] == 10.0
    with pytest.raises(ConfigError, match="must be one of"):
        ValueConfig(kinds={"SERVES": "profit"})


def test_a_flow_only_network_shows_its_flow() -> None:
    # bank flows among accounts, no focal organisation and no revenue: flow is throughput
    nodes = pd.DataFrame({"id": ["a", "b", "c"], "name": list("ABC"), "type": ["partner"] * 3})
    edges = pd.DataFrame(
        {
            "source": ["a", "b", "a"],
            "target": ["b", "c", "c"],
            "type": ["TRANSFERS"] * 3,
            "volume": [100.0, 50.0, 25.0],
        }
    )
    c = concentration(stakeholder_value(Network(nodes, edges)))
    assert c["value_basis"] == "flow"
    # throughput: a 125, b 150, c 75 (each transfer counted at both ends)
    assert c["total_value"] == pytest.approx(350.0)
    assert c["top_stakeholder"] == "b"
    assert "flow 350" in describe_value(c)


def test_no_value_at_all_is_a_defined_result() -> None:
    net = Network(
        pd.DataFrame({"id": ["o", "a"], "name": ["O", "A"], "type": ["organization", "partner"]}),
        pd.DataFrame({"source": ["a"], "target": ["o"], "type": ["PARTNERS_WITH"]}),
    )
    c = concentration(stakeholder_value(net))
    assert c["value_basis"] == "none"
    assert all(c[k] == 0.0 for k in ("total_value", "pareto_share", "gini", "hhi", "hhi_customers"))
    assert lorenz_curve([]).values.tolist() == [[0.0, 0.0], [1.0, 1.0]]


def test_empty_network() -> None:
    net = Network(
        pd.DataFrame(columns=["id", "name", "type"]),
        pd.DataFrame(columns=["source", "target", "type"]),
    )
    v = stakeholder_value(net)
    assert len(v) == 0
    assert concentration(v)["top_stakeholder"] is None
    assert len(value_by_type(v)) == 0
