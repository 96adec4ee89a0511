"""A snapshot of data declared ego-only (``meta["ego_only"]``, as ``graphcap import --ego-only``
stores it) in the app: the Overview and the Risks page say once that every relationship hangs
on the organisation alone, and list nobody as single-threaded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from graphcap.analysis import analyze
from graphcap.snapshot import write_snapshot
from tests.ui.apphelpers import metric, open_tab
from tests.ui.netfactory import make_network

SAID_ONCE = (
    "The data records no ties among stakeholders (a star): every relationship hangs on the "
    "organisation alone. That is a property of the data, not a risk per relationship."
)


@pytest.fixture(params=[False, True], ids=["undeclared", "ego-only"])
def declared(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:  # type: ignore[no-untyped-def]
    net = make_network(60, seed=3)
    if request.param:
        net.meta["ego_only"] = True
    path = tmp_path / "net.gcap"
    write_snapshot(net, path)
    monkeypatch.setenv("GRAPHCAP_SNAPSHOT", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield request.param
    st.cache_resource.clear()
    st.cache_data.clear()


def _captions(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.value for c in at.caption]


def test_overview_and_risks_say_it_once(open_page, declared: bool) -> None:
    net = make_network(60, seed=3)
    # the network has ties among stakeholders: undeclared, two stakeholders hang on one thread
    single = analyze(net).risks["single_threaded"].fillna(False).astype(bool).sum()
    assert single == 2
    overview = open_page("overview")
    assert (SAID_ONCE in _captions(overview)) is declared
    risks = open_tab(open_page("risks"), "rk_tab", "Single points of failure")
    assert (SAID_ONCE in _captions(risks)) is declared
    assert metric(risks, "Single-threaded relationships") == ("0" if declared else "2")
