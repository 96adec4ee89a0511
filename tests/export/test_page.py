"""The Export page under Streamlit's AppTest on the embedded snapshot source: snapshots are
created, listed, opened and compared; files are prepared for download."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from graphcap.sample import sample_small
from graphcap.snapshot import write_snapshot

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    path = tmp_path / "small.gcap"
    write_snapshot(sample_small(), path)
    monkeypatch.setenv("GRAPHCAP_SNAPSHOT", str(path))
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path / "data"))
    for name in ("NEO4J_URI", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    st.cache_resource.clear()
    yield tmp_path
    st.cache_resource.clear()


def _page():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    at.switch_page("graphcap/ui/pages/export.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_create_open_compare_and_export(app_env):
    from graphcap.history import list_snapshots

    at = _page()
    for name in ("Q3 <board>", "Q4 board"):
        at.text_input[1].set_value(name)  # [0] is the export title, [1] the snapshot name
        at.button(key="FormSubmitter:sn_create-Create snapshot").click()
        at.run()
        assert not at.exception, [e.message for e in at.exception]
    infos = list_snapshots()
    assert [i.name for i in infos] == ["Q3 <board>", "Q4 board"]
    assert any("Created Q4 board" in s.value for s in at.success)
    # opened read-only: the network picture of the snapshot is on the page
    assert at.get("iframe"), "the opened snapshot draws its network"
    # compare: the two identical snapshots differ in nothing
    texts = [t.value for t in at.text]
    assert "0 relationships gained, 0 lost" in texts
    # export the current network as PDF + GraphML
    at.multiselect(key="ex_formats").set_value(["pdf", "graphml"])
    at.button(key="ex_go").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    files = at.session_state["ex_files"]
    assert [(f, n) for f, n, _ in files] == [
        ("pdf", "Relational capital.pdf"),
        ("graphml", "Relational capital.graphml"),
    ]
    assert files[0][2].startswith(b"%PDF") and b"<graphml" in files[1][2]
