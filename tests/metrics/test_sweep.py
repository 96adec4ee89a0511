"""Risk sweep: one pass against one what-if per stakeholder; a tree by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graphcap.analysis import analyze
from graphcap.metrics.sweep import SWEEP_COLUMNS
from graphcap.model import Network
from graphcap.sample import sample_small

AS_OF = pd.Timestamp("2025-06-30")


def test_tree_by_hand_and_against_what_if() -> None:
    # o - dealer - (c1 300, c2 100); o - c3 600; o - s 50 of spend
    nodes = pd.DataFrame(
        {
            "id": ["o", "d", "c1", "c2", "c3", "s"],
            "name": list("ODABCS"),
            "type": ["organization", "partner", "customer", "customer", "customer", "supplier"],
            "revenue": [np.nan, np.nan, 300.0, 100.0, 600.0, np.nan],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["d", "c1", "c2", "c3", "s"],
            "target": ["o", "d", "d", "o", "o"],
            "type": ["PARTNERS_WITH", "BUYS_FROM", "BUYS_FROM", "BUYS_FROM", "SUPPLIES"],
            "strength": [0.9, 0.8, 0.6, 0.7, 0.8],
            "volume": [np.nan] * 4 + [50.0],
        }
    )
    a = analyze(Network(nodes, edges, meta={"as_of": AS_OF}))
    sweep = a.risk_sweep().set_index("id")
    assert list(sweep.reset_index().columns) == SWEEP_COLUMNS
    assert "o" not in sweep.index
    # the dealer brings nothing itself but gates 400 of 1,000 revenue
    d = sweep.loc["d"]
    assert (d["kind"], d["direct"], d["cut_off"], d["share"], d["cut_off_count"]) == (
        "revenue",
        0.0,
        400.0,
        0.4,
        2,
    )
    assert sweep.loc["s", "kind"] == "spend" and sweep.loc["s", "share"] == 1.0
    assert list(sweep.index[:2]) == ["s", "c3"]  # all of spend, then 60 % of revenue
    for sid in sweep.index:  # a tree: the one-pass index equals the full what-if
        w = a.what_if(sid)
        assert sweep.loc[sid, "rci_after"] == pytest.approx(w.rci_after, abs=1e-9), sid
        assert sweep.loc[sid, "share"] == pytest.approx(w.value_at_risk_share)
    assert (sweep["rci_change"] <= 1e-12).all()


def test_sample_sweep_agrees_with_what_if_on_money_and_nearly_on_the_index() -> None:
    a = analyze(sample_small())
    sweep = a.risk_sweep()
    assert len(sweep) == len(a.nodes) - len(a.focal_ids)
    assert sweep["share"].is_monotonic_decreasing
    for row in sweep.head(12).itertuples():
        w = a.what_if(row.id)
        assert row.share == pytest.approx(w.value_at_risk_share), row.id
        assert row.kind == w.kind
        assert row.rci_after == pytest.approx(w.rci_after, abs=1.0), row.id  # first-order
    assert (sweep["rci_change"] <= 1e-12).all()
