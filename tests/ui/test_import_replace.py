"""The Import page's "replace the stored network" against a real Neo4j (AppTest).

The expected graph after a replace is computed independently, as in tests/store/test_replace.py:
the same files imported into an empty database (its fingerprint), not read back through
graphcap's own reader."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from graphcap.history import list_snapshots, load_content
from loaders import load_path
from tests.store.graphcheck import fingerprint
from tests.store.test_replace import _without_versions
from tests.ui.netfactory import make_network

pytestmark = pytest.mark.integration

NODES = (
    "id,name,type\ns00000,Focal AG,organization\nnew1,Neu GmbH,customer\n"
    "new2,<b>Bold</b> http://x.example AG,supplier\n"
)
EDGES = "source,target,type,strength\nnew1,s00000,BUYS_FROM,0.7\nnew2,s00000,SUPPLIES,0.4\n"


def _checked_page(open_page):  # type: ignore[no-untyped-def]
    at = open_page("import")
    at.get("file_uploader")[0].set_value(
        [("nodes.csv", NODES.encode(), "text/csv"), ("edges.csv", EDGES.encode(), "text/csv")]
    )
    at.run()
    at.button(key="imp_check").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Ready: 3 stakeholders, 2 relationships" in s.value for s in at.main.success)
    return at


@pytest.fixture
def stored(store, neo4j_env, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The fingerprint a fresh import of the two files gives, then the store holding a
    40-stakeholder network (the one to be replaced)."""
    (tmp_path / "nodes.csv").write_text(NODES, encoding="utf-8")
    (tmp_path / "edges.csv").write_text(EDGES, encoding="utf-8")
    store.import_network(load_path(tmp_path).network)
    expected = fingerprint(store)
    store.clear()
    old = make_network(40, seed=11)
    store.import_network(old)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield expected, old
    st.cache_resource.clear()
    st.cache_data.clear()


def test_replace_without_confirmation_changes_nothing(stored, store, open_page):  # type: ignore[no-untyped-def]
    before = fingerprint(store)
    snapshots = list_snapshots()
    at = _checked_page(open_page)
    assert at.checkbox(key="imp_replace_ok").value is False
    at.button(key="imp_replace").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert [e.value for e in at.main.error] == [
        "Tick the confirmation above first; the stored network was not changed."
    ]
    assert fingerprint(store) == before
    assert list_snapshots() == snapshots


def test_replace_makes_the_files_the_whole_network_after_a_snapshot(stored, store, open_page):  # type: ignore[no-untyped-def]
    expected, old = stored
    snapshots = {s.path for s in list_snapshots()}
    at = _checked_page(open_page)
    label = at.checkbox(key="imp_replace_ok").label
    assert (
        "(40 stakeholders, " in label and "with these 3 stakeholders and 2 relationships" in label
    )
    at.checkbox(key="imp_replace_ok").check().run()
    at.button(key="imp_replace").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.main.error, [e.value for e in at.main.error]
    # the 40 old stakeholders go except the focal s00000 (kept, renamed); every old
    # relationship goes (none is among the two new ones); so does the whole interaction log
    old_edges = len(old.edges)
    message = [s.value for s in at.main.success][-1]
    assert message == (
        f"The stored network was replaced: 39 stakeholders, {old_edges:,} relationships and "
        f"{len(old.interactions):,} interactions removed."
    )
    assert _without_versions(store) == expected
    new = [s for s in list_snapshots() if s.path not in snapshots]
    assert len(new) == 1
    shown = " ".join(h.proto.body for h in at.main.get("html"))
    assert str(new[0].path) in shown
    content = load_content(new[0])
    assert sorted(content.network.nodes["id"]) == sorted(old.nodes["id"])
    assert len(content.network.edges) == old_edges
