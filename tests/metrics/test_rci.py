"""Relational Capital Index: the worked example of docs/METRICS.md, by hand; edge cases."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graphcap.errors import MetricError
from graphcap.graph.projection import to_weighted
from graphcap.metrics.rci import RCIWeights, focal_brokerage, rci_score, relational_capital_index
from graphcap.model import Network

AS_OF = pd.Timestamp("2025-06-30")


def worked_example() -> Network:
    """The network of the worked example in docs/METRICS.md."""
    nodes = pd.DataFrame({
        "id": ["O", "C1", "C2", "S1"], "name": ["Org", "Alpha", "Beta", "Steel"],
        "type": ["organization", "customer", "customer", "supplier"],
        "revenue": [np.nan, 600.0, 300.0, np.nan],
    })
    edges = pd.DataFrame({
        "source": ["C1", "C2", "S1"], "target": ["O", "O", "O"],
        "type": ["BUYS_FROM", "BUYS_FROM", "SUPPLIES"], "strength": [0.9, 0.5, 0.8],
        "volume": [np.nan, np.nan, 100.0],
        "contract_until": [pd.NaT, AS_OF + pd.Timedelta(days=30), pd.NaT],
    })
    return Network(nodes, edges, meta={"as_of": AS_OF})


def test_worked_example_by_hand() -> None:
    net = worked_example()
    rci, parts = relational_capital_index(net, to_weighted(net), as_of=AS_OF)
    strength = (600 * 0.9 + 300 * 0.5 + 100 * 0.8) / 1000  # 0.77
    diversification = 1 - (0.6**2 + 0.3**2 + 0.1**2)  # 0.54
    brokerage = 1 - (0.9**2 + 0.5**2 + 0.8**2) / 2.2**2  # 1 - 1.70 / 4.84 = 0.64876
    health = 1 - 300 / 1000  # Beta: contract ends (25) + single-threaded (15) = 40 points >= 25
    dims = rci.dimensions.set_index("dimension")["value"]
    assert dims["strength"] == pytest.approx(strength)
    assert dims["diversification"] == pytest.approx(diversification)
    assert dims["brokerage"] == pytest.approx(brokerage)
    assert dims["health"] == pytest.approx(health)
    assert rci.score == pytest.approx(25 * (strength + diversification + brokerage + health))
    assert rci.score == pytest.approx(66.469, abs=1e-3)
    assert rci.dimensions["points"].sum() == pytest.approx(rci.score)
    assert set(parts.risks.loc[parts.risks["points"] >= 25, "id"]) == {"C2"}

    by_type = rci.by_type.set_index("type")
    c = by_type.loc["customer"]
    assert c["strength"] == pytest.approx((600 * 0.9 + 300 * 0.5) / 900)
    assert c["diversification"] == pytest.approx(1 - ((2 / 3) ** 2 + (1 / 3) ** 2))
    assert c["brokerage"] == pytest.approx(1 - (0.81 + 0.25) / 1.4**2)
    assert c["health"] == pytest.approx(1 - 300 / 900)
    assert c["score"] == pytest.approx(58.424, abs=1e-3)
    s = by_type.loc["supplier"]
    assert (s["strength"], s["diversification"], s["brokerage"], s["health"]) == pytest.approx((0.8, 0, 0, 1))
    assert s["score"] == pytest.approx(45.0)
    assert by_type["value_share"].sum() == pytest.approx(1.0)


def test_brokerage_matches_networkx_constraint() -> None:
    G = nx.Graph([("o", "a", {"strength": 0.9}), ("o", "b", {"strength": 0.5}), ("o", "c", {"strength": 0.8}),
                  ("a", "b", {"strength": 0.3}), ("c", "d", {"strength": 0.7}), ("b", "d", {"strength": 0.2})])
    expected = 1 - nx.constraint(G, ["o"], weight="strength")["o"]
    assert focal_brokerage(G, ["o"]) == pytest.approx(expected)


def test_weights_are_renormalised_over_computable_dimensions() -> None:
    values = pd.DataFrame({"id": ["o", "a", "b"], "type": ["organization", "partner", "partner"],
                           "value": [0.0, 0.0, 0.0]})
    ties = pd.DataFrame({"id": ["o", "a", "b"], "tie_strength": [1.0, 0.6, 0.2]})
    risks = pd.DataFrame({"id": ["a"], "points": [30.0]})
    r = rci_score(values, ties, risks, {"all": 0.5}, weights=RCIWeights(strength=2, health=1, brokerage=1))
    # no value: strength = mean tie 0.4, health = 1 - 1/2 by count, diversification left out
    assert list(r.dimensions["dimension"]) == ["strength", "brokerage", "health"]
    assert r.score == pytest.approx(100 * (2 * 0.4 + 1 * 0.5 + 1 * 0.5) / 4)
    assert any("diversification" in n for n in r.notes)


def test_only_the_focal_organisation() -> None:
    net = Network(pd.DataFrame({"id": ["o"], "name": ["O"], "type": ["organization"]}),
                  pd.DataFrame(columns=["source", "target", "type"]))
    rci, parts = relational_capital_index(net, to_weighted(net), as_of=AS_OF)
    assert rci.score == 0.0
    assert rci.dimensions.empty and rci.by_type.empty
    assert rci.notes and parts.risks.empty


def test_disconnected_stakeholders_count_with_zero_strength() -> None:
    net = worked_example()
    extra = pd.DataFrame({"id": ["X"], "name": ["Island"], "type": ["customer"], "revenue": [1000.0]})
    net = Network(pd.concat([net.nodes, extra], ignore_index=True), net.edges, meta=net.meta)
    rci, _ = relational_capital_index(net, to_weighted(net), as_of=AS_OF)
    dims = rci.dimensions.set_index("dimension")["value"]
    assert dims["strength"] == pytest.approx(770 / 2000)
    assert np.isfinite(rci.score)


def test_no_focal_organisation_is_a_clear_error() -> None:
    net = worked_example()
    net = Network(net.nodes[net.nodes["id"] != "O"], net.edges[net.edges["target"] != "O"])
    with pytest.raises(MetricError, match="no focal organisation"):
        relational_capital_index(net, to_weighted(net), as_of=AS_OF)
