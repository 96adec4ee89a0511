"""The assessment on the pages (AppTest): money by kind and key players read from our side on
the Overview, the risk sweep and the radar backtest on Risks, on the small sample (it has an
interaction log with planted cooling relationships)."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from graphcap.analysis import analyze
from graphcap.metrics.backtest import backtest
from graphcap.sample import sample_small
from graphcap.snapshot import write_snapshot
from graphcap.ui import widgets
from tests.ui.apphelpers import metric, open_tab


@pytest.fixture
def sample_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    write_snapshot(sample_small(), tmp_path / "s.gcap")
    monkeypatch.setenv("GRAPHCAP_SNAPSHOT", str(tmp_path / "s.gcap"))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


pytestmark = pytest.mark.usefixtures("sample_env")


def test_overview_shows_kinds_and_org_centric_players(open_page) -> None:
    at = open_page("overview")
    a = analyze(sample_small())
    assert metric(at, "Relational Capital Index") == f"{a.rci.score:.0f} / 100"
    text = " ".join(c.value for c in at.caption)
    assert "kinds are never added together" in text and "revenue" in text
    kinds = [f for f in at.dataframe if "kind" in f.value.columns]
    assert kinds and set(kinds[0].value["kind"]) == set(a.concentration["kinds"])
    threats = [f for f in at.dataframe if "revenue_overlap" in f.value.columns]
    assert threats and len(threats[0].value) == min(5, len(a.threats()))
    # names are shown as escaped text in HTML elements (never markdown: see state.show_text)
    shown = " ".join(h.proto.body for h in at.get("html"))
    labels = widgets.stakeholder_labels(a.nodes)
    for sid in a.key_players(top=5)["id"]:  # "matter to us" lists them by label
        assert f">{html.escape(labels[sid], quote=True)}<" in shown
    for sid in a.focal_ids:  # the organisation is never its own key player or SPOF
        assert f">{html.escape(labels[sid], quote=True)}<" not in shown


def test_risks_sweep_and_backtest(open_page) -> None:
    at = open_tab(open_page("risks"), "rk_tab", "Risk sweep")
    a = analyze(sample_small())
    sweep = [f for f in at.dataframe if "rci_change" in f.value.columns]
    assert sweep and len(sweep[0].value) == min(50, len(a.risk_sweep()))
    open_tab(at, "rk_tab", "Backtest")
    at.number_input(key="bt_horizon").set_value(120).run()
    at.date_input(key="bt_date").set_value("2026-03-01").run()
    at.button(key="bt_run").click().run()
    assert not at.exception
    expected = backtest(sample_small(), "2026-03-01", horizon_days=120, k=20)
    assert metric(at, "Precision at 20") == f"{expected.precision:.0%}"
    assert metric(at, "Declined / judged") == f"{expected.declined} / {expected.judged}"


def test_grid_manual_chart_shows_the_manual_points_and_the_gaps_match(open_page) -> None:
    import json

    import pyarrow as pa

    at = open_page("grid")
    a = analyze(sample_small())
    nodes = a.nodes[a.nodes["type"] != "organization"]
    manual = nodes[["power", "interest"]].notna().all(axis=1)
    assert manual.sum() > 0
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 2
    tables = [pa.ipc.open_stream(d.data.data).read_all() for d in charts[1].proto.datasets]
    points = max(tables, key=lambda t: t.num_rows).to_pandas()
    assert len(points) == int(manual.sum())  # one point per stakeholder with manual scores
    assert points["power"].notna().all() and points["interest"].notna().all()
    assert "Manual scores" in json.dumps(json.loads(charts[1].proto.spec).get("title"))
    gaps = [f for f in at.dataframe if "grid_note" in f.value.columns]
    assert gaps and len(gaps[0].value) == int(a.grid["grid_gap"].sum())
    total = sum(int(m.value.replace(",", "")) for m in at.metric)
    assert total == len(nodes)
