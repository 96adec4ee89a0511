"""Relational Capital Index: the worked example of docs/METRICS.md, by hand; edge cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from graphcap.errors import MetricError
from graphcap.graph.projection import to_weighted
from graphcap.metrics.rci import RCIWeights, rci_score, relational_capital_index
from graphcap.metrics.rci_dims import kind_diversification, single_sourced_share
from graphcap.metrics.strength import compute_strength
from graphcap.model import Network

AS_OF = pd.Timestamp("2025-06-30")


def worked_example() -> Network:
    """The network of the worked example in docs/METRICS.md: two customers (600 and 300 of
    revenue), one supplier (100 of spend), a competitor that Alpha also buys from, and a hostile
    regulator."""
    nodes = pd.DataFrame(
        {
            "id": ["O", "C1", "C2", "S1", "K1", "R1"],
            "name": ["Org", "Alpha", "Beta", "Steel", "Rival", "Authority"],
            "type": ["organization", "customer", "customer", "supplier", "competitor", "agency"],
            "revenue": [np.nan, 600.0, 300.0, np.nan, np.nan, np.nan],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["C1", "C2", "S1", "C1", "R1"],
            "target": ["O", "O", "O", "K1", "O"],
            "type": ["BUYS_FROM", "BUYS_FROM", "SUPPLIES", "BUYS_FROM", "REGULATES"],
            "strength": [0.9, 0.5, 0.8, 0.6, -0.6],
            "volume": [np.nan, np.nan, 100.0, np.nan, np.nan],
            "contract_until": [pd.NaT, AS_OF + pd.Timedelta(days=30), pd.NaT, pd.NaT, pd.NaT],
        }
    )
    return Network(nodes, edges, meta={"as_of": AS_OF})


def test_worked_example_by_hand() -> None:
    net = worked_example()
    rci, parts = relational_capital_index(net, to_weighted(net), as_of=AS_OF)
    # stake weights: revenue and spend each one half; Alpha 1/2 * 2/3, Beta 1/2 * 1/3, Steel 1/2
    w = {"C1": 1 / 3, "C2": 1 / 6, "S1": 1 / 2}
    strength = w["C1"] * 0.9 + w["C2"] * 0.5 + w["S1"] * 0.8  # 0.78333
    # revenue [600, 300]: top 20 % = Alpha = 2/3 -> spread (1/3) / 0.8; N = 1 / (4/9 + 1/9) = 1.8
    d_revenue = 0.5 * (1 / 3) / 0.8 + 0.5 * math.log(1.8) / math.log(25)  # 0.29964
    d_spend = 0.0  # one supplier: nothing spread, no depth
    diversification = (d_revenue + d_spend) / 2
    brokerage = w["C1"] * 0.6  # Alpha also buys from the rival we do not deal with
    base = 0.4 * strength + 0.3 * diversification + 0.3 * brokerage
    # radar: every customer and the supplier hangs on one relationship (15 points); Beta's
    # contract ends in 30 days (25 more); 50 points count as fully at risk
    health = 1 - (w["C1"] * 0.3 + w["C2"] * 0.8 + w["S1"] * 0.3)  # 0.61667
    standing = 1 - 0.5 * 0.6 * 1.0  # hostile agency (power 1) at -0.6
    expected = 100 * base * health * standing
    d = rci.dimensions.set_index("dimension")
    assert d.loc["strength", "value"] == pytest.approx(strength)
    assert d.loc["diversification", "value"] == pytest.approx(diversification)
    assert d.loc["brokerage", "value"] == pytest.approx(brokerage)
    assert d.loc["health", "value"] == pytest.approx(health)
    assert d.loc["standing", "value"] == pytest.approx(standing)
    assert rci.score == pytest.approx(expected)
    assert rci.score == pytest.approx(18.056, abs=1e-3)
    # the breakdown adds up, health and standing as deductions
    assert d["points"].sum() == pytest.approx(rci.score)
    assert d.loc["health", "points"] == pytest.approx(-100 * base * (1 - health))
    assert d.loc["standing", "points"] == pytest.approx(-100 * base * health * (1 - standing))
    assert parts.hostile == "R1"
    assert any("revenue and spend" in n for n in rci.notes)
    assert parts.single == {"C1", "C2", "S1", "K1"}

    c = rci.by_type.set_index("type").loc["customer"]
    cw = {"C1": 2 / 3, "C2": 1 / 3}
    c_base = 0.4 * (cw["C1"] * 0.9 + cw["C2"] * 0.5) + 0.3 * d_revenue + 0.3 * cw["C1"] * 0.6
    c_health = 1 - (cw["C1"] * 0.3 + cw["C2"] * 0.8)
    assert c["health"] == pytest.approx(c_health)
    assert c["score"] == pytest.approx(100 * c_base * c_health * standing)


def test_kind_diversification_by_hand() -> None:
    assert kind_diversification([]) == 0.0
    assert kind_diversification([5.0]) == 0.0
    # four equal: top 20 % is one of four = 0.25 -> spread 0.75 / 0.8; N = 4
    assert kind_diversification([1, 1, 1, 1]) == pytest.approx(
        0.5 * 0.9375 + 0.5 * math.log(4) / math.log(25)
    )
    # 100 equal: spread 1, depth capped at 1
    assert kind_diversification([1.0] * 100) == pytest.approx(1.0)
    # one customer at 60 % of revenue among 21: top 5 = 0.6 + 4 * 0.02 = 0.68
    x = [60.0] + [2.0] * 20
    hhi = 0.36 + 20 * 0.02**2
    assert kind_diversification(x) == pytest.approx(
        0.5 * 0.32 / 0.8 + 0.5 * math.log(1 / hhi) / math.log(25)
    )


def test_single_sourced_spend() -> None:
    v = pd.DataFrame(
        {
            "id": list("abcd"),
            "type": ["supplier"] * 4,
            "segment": ["steel", "steel", "chips", None],
            "spend": [10.0, 30.0, 40.0, 20.0],
        }
    )
    assert single_sourced_share(v) == pytest.approx(40 / 100)  # chips is single-sourced


def test_declared_ego_only_leaves_brokerage_out() -> None:
    net = worked_example()
    net.meta["ego_only"] = True
    rci, parts = relational_capital_index(net, to_weighted(net), as_of=AS_OF)
    assert "brokerage" not in set(rci.dimensions["dimension"])
    assert parts.single == set()  # single-threaded is a property of the data, not N risks
    assert any("ego-only" in n for n in rci.notes)
    assert rci.dimensions["points"].sum() == pytest.approx(rci.score)


def test_star_says_so_once() -> None:
    nodes = pd.DataFrame(
        {
            "id": ["o", "a", "b", "c"],
            "name": list("OABC"),
            "type": ["organization", "customer", "customer", "customer"],
            "revenue": [np.nan, 10.0, 20.0, 30.0],
        }
    )
    edges = pd.DataFrame(
        {
            "source": list("abc"),
            "target": ["o"] * 3,
            "type": ["BUYS_FROM"] * 3,
            "strength": [0.7, 0.7, 0.7],
        }
    )
    net = Network(nodes, edges)
    rci, parts = relational_capital_index(net, to_weighted(net), as_of=AS_OF)
    assert parts.ego_only and parts.single == set()
    assert parts.risks.empty  # nobody flagged single-threaded one by one
    assert sum("a star" in n for n in rci.notes) == 1
    assert rci.dimensions.set_index("dimension").loc["brokerage", "value"] == 0.0


def test_weights_are_renormalised_over_computable_dimensions() -> None:
    values = pd.DataFrame(
        {
            "id": ["o", "a", "b"],
            "type": ["organization", "partner", "partner"],
            "value_kind": ["none"] * 3,
            "value": [0.0] * 3,
            "value_share": [0.0] * 3,
            "revenue": [0.0] * 3,
            "spend": [0.0] * 3,
            "flow": [0.0] * 3,
        }
    )
    ties = pd.DataFrame({"id": ["o", "a", "b"], "tie_strength": [1.0, 0.6, 0.2]})
    risks = pd.DataFrame({"id": ["a"], "points": [30.0]})
    r = rci_score(
        values,
        ties,
        risks,
        {"a": 0.5, "b": 0.5},
        weights=RCIWeights(strength=2, diversification=1, brokerage=1),
    )
    # no money: every stakeholder weighs 1/2; diversification left out; base over 2 + 1
    base = (2 * 0.4 + 1 * 0.5) / 3
    health = 1 - 0.5 * 0.60
    assert list(r.dimensions["dimension"]) == ["strength", "brokerage", "health", "standing"]
    assert r.score == pytest.approx(100 * base * health)
    assert any("diversification" in n for n in r.notes)


def test_only_the_focal_organisation() -> None:
    net = Network(
        pd.DataFrame({"id": ["o"], "name": ["O"], "type": ["organization"]}),
        pd.DataFrame(columns=["source", "target", "type"]),
    )
    rci, parts = relational_capital_index(net, to_weighted(net), as_of=AS_OF)
    assert rci.score == 0.0
    assert rci.dimensions.empty and rci.by_type.empty
    assert rci.notes and parts.risks.empty


def test_unreachable_stakeholders_count_as_lost() -> None:
    net = worked_example()
    extra = pd.DataFrame(
        {"id": ["X"], "name": ["Island"], "type": ["customer"], "revenue": [900.0]}
    )
    net = Network(pd.concat([net.nodes, extra], ignore_index=True), net.edges, meta=net.meta)
    rci, _ = relational_capital_index(net, to_weighted(net), as_of=AS_OF)
    d = rci.dimensions.set_index("dimension")["value"]
    # revenue now 600 / 300 / 900: the island carries half of the revenue half, strength 0
    assert d["strength"] == pytest.approx(0.5 * (600 * 0.9 + 300 * 0.5) / 1800 + 0.5 * 0.8)
    assert d["health"] <= 1 - 0.5 * 0.5  # the island counts fully at risk
    assert np.isfinite(rci.score)


def test_negative_sentiment_makes_a_negative_tie_that_lowers_the_index() -> None:
    net = worked_example()
    base, _ = relational_capital_index(net, to_weighted(net), as_of=AS_OF)
    edges = net.edges.copy()
    edges.loc[edges["source"] == "C2", "strength"] = np.nan
    edges["sentiment"] = [np.nan, -0.7, np.nan, np.nan, np.nan]
    hostile = compute_strength(Network(net.nodes, edges, meta=net.meta), as_of=AS_OF)
    assert hostile.edges.loc[1, "strength"] == pytest.approx(-0.7)
    assert hostile.edges.loc[1, "strength_source"] == "negative"
    rci, parts = relational_capital_index(hostile, to_weighted(hostile), as_of=AS_OF)
    assert parts.ties.set_index("id").loc["C2", "tie_strength"] == 0.0  # no positive path
    assert rci.score < base.score


def test_no_focal_organisation_is_a_clear_error() -> None:
    net = worked_example()
    net = Network(net.nodes[net.nodes["id"] != "O"], net.edges[net.edges["target"] != "O"])
    with pytest.raises(MetricError, match="no focal organisation"):
        relational_capital_index(net, to_weighted(net), as_of=AS_OF)
