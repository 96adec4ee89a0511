"""Power/interest grid: hand-computed axes and quadrants, gaps against manual values, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graphcap.metrics.grid import GridConfig, engagement, power_interest, quadrant
from graphcap.model import Network


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["o", "big", "reg", "fan", "tiny"],
            "type": ["organization", "customer", "agency", "customer", "supplier"],
            "pagerank": [0.4, 0.3, 0.15, 0.1, 0.05],
            "value_share": [0.0, 0.5, 0.0, 0.05, 0.45 / 9],
            "tie_strength": [1.0, 0.4, 0.9, 0.8, 0.1],
            "engagement": [0.0, 1.0, 0.0, 5.0, 2.0],
            "power": [np.nan, 0.9, 0.2, np.nan, 0.1],
            "interest": [np.nan, 0.8, 0.3, 0.7, 0.2],
        }
    )


def test_axes_and_quadrants_by_hand() -> None:
    g = power_interest(_frame()).set_index("id")
    # pagerank percentiles over the four stakeholders: big 1, reg 0.75, fan 0.5, tiny 0.25;
    # value-share percentiles: big 1, fan and tiny 0.625 (tied at 0.05), reg 0.
    # raw power: big 1.0, reg 0.375, fan 0.5625, tiny 0.4375 -> mid-ranks (r - 0.5) / 4
    # engagement percentiles (0 stays 0): fan 1, tiny 0.75, big 0.5, reg 0
    # raw interest: big 0.45, reg 0.45, fan 0.9, tiny 0.425 -> mid-ranks, big and reg tied at 2.5
    expected = {
        "big": (0.875, 0.5, "manage closely"),
        "reg": (0.125, 0.5, "keep informed"),
        "fan": (0.625, 0.875, "manage closely"),
        "tiny": (0.375, 0.125, "monitor"),
    }
    for sid, (power, interest, quad) in expected.items():
        assert g.loc[sid, "power_data"] == pytest.approx(power), sid
        assert g.loc[sid, "interest_data"] == pytest.approx(interest), sid
        assert g.loc[sid, "quadrant"] == quad, sid
    assert g.loc["o", "quadrant"] == "focal organisation"


def test_axes_spread_over_the_unit_interval() -> None:
    """On the sample both data axes cover [0, 1] evenly and no quadrant swallows the rest
    (the old value-share power piled 262 of 362 stakeholders into one quadrant)."""
    from graphcap.analysis import analyze
    from graphcap.sample import generate_sample

    g = analyze(generate_sample()).grid
    g = g[g["quadrant"] != "focal organisation"]
    for axis in ("power_data", "interest_data"):
        assert g[axis].min() < 0.05 and g[axis].max() > 0.95
        assert g[axis].median() == pytest.approx(0.5, abs=0.02)
    counts = g["quadrant"].value_counts()
    assert counts.max() < 0.45 * len(g) and counts.min() > 0.05 * len(g)


def test_gaps_against_manual_values() -> None:
    g = power_interest(_frame()).set_index("id")
    # big: data 0.875 / 0.5 and manual 0.9 / 0.8, both manage closely; interest gap -0.3
    assert g.loc["big", "quadrant_manual"] == "manage closely"
    assert g.loc["big", "power_gap"] == pytest.approx(0.875 - 0.9)
    assert g.loc["big", "interest_gap"] == pytest.approx(0.5 - 0.8)
    assert bool(g.loc["big", "grid_gap"])
    assert g.loc["big", "grid_note"] == (
        "data says manage closely (power 0.88, interest 0.50); manual says manage closely "
        "(power 0.90, interest 0.80)"
    )
    # reg: data keep informed, manual 0.2 / 0.3 monitor: the quadrants differ
    assert g.loc["reg", "quadrant_manual"] == "monitor" and bool(g.loc["reg", "grid_gap"])


def test_gap_threshold_flags_large_differences() -> None:
    # tiny: data 0.375 / 0.125 and manual 0.1 / 0.2, both monitor; power gap 0.275
    assert bool(power_interest(_frame()).set_index("id").loc["tiny", "grid_gap"])
    g = power_interest(_frame(), GridConfig(gap_threshold=0.3)).set_index("id")
    assert not g.loc["tiny", "grid_gap"]
    assert not g.loc["fan", "grid_gap"] and g.loc["fan", "quadrant_manual"] is None  # power missing


def test_quadrant_threshold() -> None:
    assert quadrant(0.49, 0.51) == "keep informed"
    assert quadrant(0.6, 0.6, threshold=0.7) == "monitor"


def test_without_interaction_data_interest_is_tie_strength() -> None:
    f = _frame().assign(engagement=0.0)
    g = power_interest(f).set_index("id")
    assert g.loc["reg", "interest_data"] == pytest.approx(0.875)  # the strongest tie of four
    assert g["engagement_pct"].eq(0).all()


def test_missing_columns_and_empty_frames_are_defined() -> None:
    g = power_interest(pd.DataFrame({"id": ["o", "a"], "type": ["organization", "partner"]}))
    assert g["power_data"].tolist() == [0.0, 0.0] and g.loc[1, "quadrant"] == "monitor"
    empty = power_interest(pd.DataFrame(columns=["id", "type"]))
    assert empty.empty and "quadrant" in empty.columns
    assert not g.select_dtypes("number").isna().any().any()


def test_engagement_decay_and_edge_fallback() -> None:
    nodes = pd.DataFrame(
        {
            "id": ["o", "a", "b", "c"],
            "name": list("OABC"),
            "type": ["organization", "customer", "customer", "customer"],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["a", "b", "c"],
            "target": ["o", "o", "a"],
            "type": ["BUYS_FROM"] * 2 + ["REFERS"],
            "interactions": [99, 3, 7],
        }
    )
    log = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-01-01", "2024-07-05", "2025-02-01"]),
            "source": ["a", "o", "c"],
            "target": ["o", "a", "a"],
        }
    )
    e = engagement(Network(nodes, edges, log), as_of="2025-01-01")
    assert e["a"] == pytest.approx(1.0 + 0.5)  # log wins over the edge count; future row ignored
    assert e["b"] == 3.0  # no log rows: the relationship's interactions count
    assert e["c"] == 0.0 and e["o"] == 0.0  # c has no tie to the organisation
