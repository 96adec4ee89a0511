"""What-if removal: hand-computed value at risk, cut-off stakeholders, RCI change, new APs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from graphcap.errors import MetricError
from graphcap.graph.projection import to_weighted
from graphcap.metrics.whatif import what_if_remove
from graphcap.model import Network

AS_OF = pd.Timestamp("2025-06-30")


def _net(
    ids: list[str], types: list[str], revenue: list[float], edges: list[tuple[str, str, str, float]]
) -> Network:
    nodes = pd.DataFrame(
        {"id": ids, "name": [i.title() for i in ids], "type": types, "revenue": revenue}
    )
    frame = pd.DataFrame(edges, columns=["source", "target", "type", "strength"])
    return Network(nodes, frame, meta={"as_of": AS_OF})


def test_star_rci_change_by_hand() -> None:
    net = _net(
        ["o", "a", "b"],
        ["organization", "customer", "customer"],
        [np.nan, 100.0, 300.0],
        [("a", "o", "BUYS_FROM", 0.5), ("b", "o", "BUYS_FROM", 0.5)],
    )
    w = what_if_remove(net, to_weighted(net), "b", as_of=AS_OF)
    # stake: a 1/4, b 3/4 of revenue. Diversification of [100, 300]: top 20 % = b = 0.75 ->
    # spread 0.25 / 0.8; N = 1 / (0.0625 + 0.5625) = 1.6. A star: brokerage 0. Nothing on the
    # radar (ego-only: nobody single-threaded one by one), health 1.
    d = 0.5 * 0.25 / 0.8 + 0.5 * math.log(1.6) / math.log(25)
    before = 100 * (0.4 * 0.5 + 0.3 * d)
    # after losing b: b keeps its 300 on the books as lost (tie 0, fully at risk)
    after = 100 * (0.4 * 0.25 * 0.5 + 0.3 * d) * (1 - 0.75)
    assert w.rci_before == pytest.approx(before)
    assert w.rci_after == pytest.approx(after)
    assert w.rci_change == pytest.approx(after - before)
    assert (w.kind, w.value_direct, w.value_cut_off, w.value_at_risk) == (
        "revenue",
        300.0,
        0.0,
        300.0,
    )
    assert w.value_at_risk_share == pytest.approx(0.75)
    assert w.cut_off.empty and w.new_articulation_points.empty


def test_cut_off_stakeholders_and_new_articulation_points() -> None:
    # o - a - c - e and o - b - c (a cycle o-a-c-b), plus e - f, and g only reachable through a.
    net = _net(
        ["o", "a", "b", "c", "e", "g"],
        ["organization", "partner", "partner", "customer", "customer", "supplier"],
        [np.nan, 10.0, 20.0, 100.0, 50.0, 40.0],
        [
            ("a", "o", "PARTNERS_WITH", 0.9),
            ("b", "o", "PARTNERS_WITH", 0.9),
            ("c", "a", "BUYS_FROM", 0.8),
            ("c", "b", "BUYS_FROM", 0.8),
            ("e", "c", "REFERS", 0.7),
            ("g", "a", "SUPPLIES", 0.6),
        ],
    )
    w = what_if_remove(net, to_weighted(net), ["a"], as_of=AS_OF)
    assert w.cut_off["id"].tolist() == ["g"]
    assert w.value_direct == 10.0 and w.value_cut_off == 40.0
    assert w.value_at_risk_share == pytest.approx(50 / 220)
    # before: a (to g) and c (to e) are articulation points; after: b and c are
    assert w.new_articulation_points["id"].tolist() == ["b"]
    assert "1 stakeholder(s) cut off" in " ".join(w.summary)
    both = what_if_remove(net, to_weighted(net), ["a", "b"], as_of=AS_OF)
    assert set(both.cut_off["id"]) == {"c", "e", "g"}
    assert both.value_at_risk == pytest.approx(220.0)
    assert both.as_dict()["removed"] == ["b", "a"]  # by value


@pytest.mark.parametrize(
    ("remove", "message"),
    [
        ("o", "focal organisation cannot be removed"),
        (["nobody"], "not in the network"),
        ([], "at least one"),
    ],
)
def test_bad_requests(remove: object, message: str) -> None:
    net = _net(
        ["o", "a"], ["organization", "customer"], [np.nan, 1.0], [("a", "o", "BUYS_FROM", 0.5)]
    )
    with pytest.raises(MetricError, match=message):
        what_if_remove(net, to_weighted(net), remove, as_of=AS_OF)


def test_without_focal_organisation() -> None:
    net = _net(["a", "b"], ["customer", "customer"], [1.0, 2.0], [("a", "b", "REFERS", 0.5)])
    with pytest.raises(MetricError, match="no focal organisation"):
        what_if_remove(net, to_weighted(net), "a", as_of=AS_OF)
