"""Power/interest grid: hand-computed axes and quadrants, gaps against manual values, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graphcap.metrics.grid import GridConfig, engagement, power_interest, quadrant
from graphcap.model import Network


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["o", "big", "reg", "fan", "tiny"],
        "type": ["organization", "customer", "agency", "customer", "supplier"],
        "pagerank": [0.4, 0.3, 0.15, 0.1, 0.05],
        "value_share": [0.0, 0.5, 0.0, 0.05, 0.45 / 9],
        "tie_strength": [1.0, 0.4, 0.9, 0.8, 0.1],
        "engagement": [0.0, 1.0, 0.0, 5.0, 2.0],
        "power": [np.nan, 0.9, 0.2, np.nan, 0.1],
        "interest": [np.nan, 0.8, 0.3, 0.7, 0.2],
    })


def test_axes_and_quadrants_by_hand() -> None:
    g = power_interest(_frame()).set_index("id")
    # pagerank percentiles over the four stakeholders: big 1, reg 0.75, fan 0.5, tiny 0.25
    # engagement percentiles (0 stays 0): fan 1, tiny 0.75, big 0.5, reg 0
    expected = {
        "big": (0.5 * 1.0 + 0.5 * 1.0, 0.5 * 0.5 + 0.5 * 0.4, "keep satisfied"),
        "reg": (0.5 * 0.75 + 0.0, 0.0 + 0.5 * 0.9, "monitor"),
        "fan": (0.5 * 0.5 + 0.5 * 0.25, 0.5 * 1.0 + 0.5 * 0.8, "keep informed"),
        "tiny": (0.5 * 0.25 + 0.5 * 0.25, 0.5 * 0.75 + 0.5 * 0.1, "monitor"),
    }
    for sid, (power, interest, quad) in expected.items():
        assert g.loc[sid, "power_data"] == pytest.approx(power), sid
        assert g.loc[sid, "interest_data"] == pytest.approx(interest), sid
        assert g.loc[sid, "quadrant"] == quad, sid
    assert g.loc["o", "quadrant"] == "focal organisation"


def test_gaps_against_manual_values() -> None:
    g = power_interest(_frame()).set_index("id")
    # big: data power 1.0 / interest 0.45 (keep satisfied), manual 0.9 / 0.8 (manage closely)
    assert g.loc["big", "quadrant_manual"] == "manage closely"
    assert g.loc["big", "power_gap"] == pytest.approx(1.0 - 0.9)
    assert g.loc["big", "interest_gap"] == pytest.approx(0.45 - 0.8)
    assert bool(g.loc["big", "grid_gap"])
    assert g.loc["big", "grid_note"] == (
        "data says keep satisfied (power 1.00, interest 0.45); manual says manage closely "
        "(power 0.90, interest 0.80)"
    )
    # reg: data 0.375 / 0.45 (monitor), manual 0.2 / 0.3 (monitor); gaps 0.175 and 0.15 < 0.25
    assert g.loc["reg", "quadrant_manual"] == "monitor"
    assert not g.loc["reg", "grid_gap"] and g.loc["reg", "grid_note"] == ""


def test_gap_threshold_flags_large_differences() -> None:
    g = power_interest(_frame(), GridConfig(gap_threshold=0.15)).set_index("id")
    assert bool(g.loc["reg", "grid_gap"])  # same quadrant, power gap 0.175 >= 0.15
    assert not g.loc["fan", "grid_gap"] and g.loc["fan", "quadrant_manual"] is None  # power missing


def test_quadrant_threshold() -> None:
    assert quadrant(0.49, 0.51) == "keep informed"
    assert quadrant(0.6, 0.6, threshold=0.7) == "monitor"


def test_without_interaction_data_interest_is_tie_strength() -> None:
    f = _frame().assign(engagement=0.0)
    g = power_interest(f).set_index("id")
    assert g.loc["reg", "interest_data"] == pytest.approx(0.9)
    assert g["engagement_pct"].eq(0).all()


def test_missing_columns_and_empty_frames_are_defined() -> None:
    g = power_interest(pd.DataFrame({"id": ["o", "a"], "type": ["organization", "partner"]}))
    assert g["power_data"].tolist() == [0.0, 0.0] and g.loc[1, "quadrant"] == "monitor"
    empty = power_interest(pd.DataFrame(columns=["id", "type"]))
    assert empty.empty and "quadrant" in empty.columns
    assert not g.select_dtypes("number").isna().any().any()


def test_engagement_decay_and_edge_fallback() -> None:
    nodes = pd.DataFrame({"id": ["o", "a", "b", "c"], "name": list("OABC"),
                          "type": ["organization", "customer", "customer", "customer"]})
    edges = pd.DataFrame({"source": ["a", "b", "c"], "target": ["o", "o", "a"], "type": ["BUYS_FROM"] * 2 + ["REFERS"],
                          "interactions": [99, 3, 7]})
    log = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2024-07-05", "2025-02-01"]),
                        "source": ["a", "o", "c"], "target": ["o", "a", "a"]})
    e = engagement(Network(nodes, edges, log), as_of="2025-01-01")
    assert e["a"] == pytest.approx(1.0 + 0.5)  # log wins over the edge count; future row ignored
    assert e["b"] == 3.0  # no log rows: the relationship's interactions count
    assert e["c"] == 0.0 and e["o"] == 0.0  # c has no tie to the organisation
