"""The admin's purge on the Maintain page (AppTest against the real Neo4j): an editor does not
see it; an admin must tick the confirmation, then the retired items are gone for good."""

from __future__ import annotations

import pytest
import streamlit as st

from graphcap.access import hash_password
from graphcap.store.edits import Editor
from tests.ui.netfactory import make_network
from tests.ui.test_edit_forms import _page, _submit

pytestmark = pytest.mark.integration

_ACCESS = {
    "users": {
        "ed": {"role": "editor", "password_hash": hash_password("editor-pass1")},
        "boss": {"role": "admin", "password_hash": hash_password("admin-pass1")},
    }
}


@pytest.fixture
def retired(store, neo4j_env):  # type: ignore[no-untyped-def]
    net = make_network(20, seed=3, hostile=False)
    store.import_network(net)
    sid = next(
        i for i, t in zip(net.nodes["id"], net.nodes["type"], strict=True) if t == "customer"
    )
    Editor(store, user="ed").retire_stakeholder(sid, version=0)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield sid
    st.cache_resource.clear()
    st.cache_data.clear()


def _ids(store) -> set[str]:  # type: ignore[no-untyped-def]
    return store._read(
        lambda tx: {r["id"] for r in tx.run("MATCH (n:Stakeholder) RETURN n.id AS id")}, "test"
    )


def test_only_an_admin_purges_and_only_when_confirmed(retired, store) -> None:  # type: ignore[no-untyped-def]
    at = _page("maintain", access=_ACCESS, login=("ed", "editor-pass1"))
    assert "Create stakeholder" in [b.label for b in at.button]  # the editor's forms are there
    assert "Purge" not in [b.label for b in at.button]
    at = _page("maintain", access=_ACCESS, login=("boss", "admin-pass1"))
    _submit(at, "Purge")
    assert any("Tick the box" in w.value for w in at.warning)
    assert retired in _ids(store)
    at.checkbox(key="mt_purge_sure").check()
    _submit(at, "Purge")
    assert retired not in _ids(store)
    events = Editor(store, user="boss").recent(limit=50)
    purged = [e for e in events if e["action"] == "purge"]
    assert purged and all(e["who"] == "boss" for e in purged)
    assert {e["key"] for e in purged if e["kind"] == "stakeholder"} == {retired}
