"""The maintenance forms in AppTest against the real Neo4j: valid and hostile input, a stale
save, assessments moving strength, the interaction log, timeline and undo, roles."""

from __future__ import annotations

import json

import pytest
import streamlit as st

from graphcap.access import hash_password
from graphcap.store.edits import Editor, Target
from tests.store.graphcheck import fingerprint
from tests.ui.apphelpers import alerts
from tests.ui.conftest import APP, PAGES
from tests.ui.netfactory import make_network

pytestmark = pytest.mark.integration


@pytest.fixture
def net(store, neo4j_env):  # type: ignore[no-untyped-def]
    network = make_network(30, seed=7)
    store.import_network(network)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield network
    st.cache_resource.clear()
    st.cache_data.clear()


def _page(
    page: str, query: dict | None = None, access: dict | None = None, login: tuple | None = None
):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=180)
    if access:
        at.secrets["access"] = access
    at.run()
    if login:
        at.text_input(key="gc_login_user").input(login[0])
        at.text_input(key="gc_login_password").input(login[1])
        at.button[0].click().run()
    at.switch_page(f"{PAGES}/{page}.py")
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _submit(at, label: str):  # type: ignore[no-untyped-def]
    [b for b in at.button if b.label == label][0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _stakeholder(net) -> str:  # type: ignore[no-untyped-def]
    edges = net.edges
    return str(edges.loc[0, "source"])


def test_edit_a_stakeholder_and_refuse_hostile_values(net, store):
    sid = _stakeholder(net)
    at = _page("stakeholder", {"id": sid})
    assert "Maintain" in [s.value for s in at.subheader]
    at.text_input(key="ed_segment").input("Key account <b>A</b>")
    _submit(at, "Save changes")
    assert any("Saved: segment" in s.value for s in at.success)
    row = store.read_network().nodes.set_index("id").loc[sid]
    assert row["segment"] == "Key account <b>A</b>"
    editor = Editor(store, user="x")
    assert editor.history(Target.stakeholder(sid, store.schema))[-1]["who"] == "local"

    before = fingerprint(store)
    at.text_input(key="ed_satisfaction").input("1.7")
    _submit(at, "Save changes")
    assert "must be between 0 and 1" in alerts(at)[0] and "nothing was changed" in alerts(at)[0]
    at.text_input(key="ed_satisfaction").input("")
    at.text_input(key="ed_name").input("evil\x00name")
    _submit(at, "Save changes")
    assert "control character" in alerts(at)[0]
    assert fingerprint(store) == before


def test_a_stale_save_is_refused_showing_the_other_change(net, store):
    sid = _stakeholder(net)
    at = _page("stakeholder", {"id": sid})
    _, version = Editor(store, user="bob").current(Target.stakeholder(sid, store.schema))
    Editor(store, user="bob").change_stakeholder(sid, {"region": "Nord"}, version=version)
    at.text_input(key="ed_segment").input("mine")
    _submit(at, "Save changes")
    assert "was changed by 'bob'" in alerts(at)[0] and "region" in alerts(at)[0]
    other = [d.value for d in at.dataframe if "old" in d.value.columns][0]
    assert other.set_index("property").loc["region", "new"] == "Nord"
    assert store.read_network().nodes.set_index("id").loc[sid, "segment"] != "mine"


def _edge_now(store, key: str):  # type: ignore[no-untyped-def]
    s, t, b = json.loads(key)
    return store.read_network().edges.set_index(["source", "type", "target"]).loc[(s, t, b)]


def test_assess_log_timeline_and_undo(net, store):
    sid = _stakeholder(net)
    at = _page("stakeholder", {"id": sid})
    before = store.read_network().edges
    at.selectbox(key="as_what").set_value(0).run()
    for dim in ("trust", "commitment", "responsiveness", "mutual_interest"):
        at.text_input(key=f"as_{dim}").input("0,05")
    at.text_area(key="as_comment").input("failed delivery")
    _submit(at, "Save assessment")
    assert any("Assessment saved" in s.value for s in at.success), alerts(at)
    event = Editor(store, user="x").recent(limit=1)[0]
    assert event["action"] == "assess" and event["comment"] == "failed delivery"
    assert _edge_now(store, event["key"])["trust"] == pytest.approx(0.05)
    s, t, b = json.loads(event["key"])
    old_trust = before.set_index(["source", "type", "target"]).loc[(s, t, b), "trust"]

    at.text_input(key="lg_sentiment").input("5")
    _submit(at, "Log it")
    assert "between -1 and 1" in alerts(at)[0]
    at.text_input(key="lg_sentiment").input("-0.5")
    at.text_input(key="lg_channel").input("meeting")
    _submit(at, "Log it")
    assert any("Interaction logged" in s.value for s in at.success)
    assert "meeting" in set(store.read_network().interactions["channel"])

    at.selectbox(key="tl_pick").set_value(0).run()
    frame = [d.value for d in at.dataframe if "what" in d.value.columns][-1]
    assert "assess" in set(frame["what"])
    _submit(at, "Undo")
    assert any("Undone" in s.value for s in at.success)
    trust = _edge_now(store, event["key"])["trust"]
    assert (trust == pytest.approx(old_trust)) if old_trust == old_trust else trust != trust


def test_maintain_page_creates_and_refuses(net, store):
    at = _page("maintain")
    at.text_input(key="mt_id").input("new-1")
    at.text_input(key="mt_name").input("'; MATCH (n) DETACH DELETE n //")
    _submit(at, "Create stakeholder")
    assert (
        store.read_network().nodes.set_index("id").loc["new-1", "name"]
        == "'; MATCH (n) DETACH DELETE n //"
    )
    before = fingerprint(store)
    at.text_input(key="mt_id").input("new-2")
    at.text_input(key="mt_name").input("")
    _submit(at, "Create stakeholder")
    assert "empty name" in alerts(at)[0]
    at.text_input(key="mt_src").input("new-1")
    at.text_input(key="mt_tgt").input("nobody")
    _submit(at, "Create relationship")
    assert "'nobody' is not a stakeholder" in alerts(at)[0]
    link = "http://evil.example/<b>x</b>"  # GFM would make it a link, HTML would render
    at.text_input(key="mt_tgt").input(link)
    _submit(at, "Create relationship")
    assert f"'{link}' is not a stakeholder" in alerts(at)[0]  # exactly as typed, as text
    assert not at.error and not any("evil.example" in m.value for m in at.markdown)
    assert fingerprint(store) == before
    assert "Latest changes" in [s.value for s in at.subheader]


def test_a_viewer_sees_no_forms(net):
    access = {"users": {"vera": {"role": "viewer", "password_hash": hash_password("viewer-pass")}}}
    at = _page(
        "stakeholder", {"id": _stakeholder(net)}, access=access, login=("vera", "viewer-pass")
    )
    assert "Maintain" not in [s.value for s in at.subheader]
    assert not [b for b in at.button if b.label == "Save changes"]


def test_maintain_page_checks_and_records_a_survey(net, store):
    sid = str(net.nodes.loc[net.nodes["type"] != "organization", "id"].iloc[0])
    at = _page("maintain")
    bad = f"stakeholder,date,assessor,nps\n{sid},2026-06-01,ann,12\nnobody,2026-06-01,ann,5\n"
    before = fingerprint(store)
    at.file_uploader(key="sv_file").set_value(("survey.csv", bad.encode(), "text/csv")).run()
    _submit(at, "Record the survey")
    assert "The survey has problems; nothing was written." in at.error[0].value
    problems = at.dataframe[-1].value
    assert problems[["row", "column"]].values.tolist() == [[2, "nps"], [3, "stakeholder"]]
    assert fingerprint(store) == before
    good = f"stakeholder,date,assessor,nps,servqual\n{sid},2026-06-01,ann,7,4\n"
    at.file_uploader(key="sv_file").set_value(("survey.csv", good.encode(), "text/csv")).run()
    _submit(at, "Check the survey")
    assert any("Valid: 1 survey row for 1 stakeholder(s)" in s.value for s in at.main.success)
    assert fingerprint(store) == before
    _submit(at, "Record the survey")
    assert any("Recorded 1 assessments of 1 stakeholder(s)" in s.value for s in at.success)
    node = store.read_network().nodes.set_index("id").loc[sid]
    assert node["loyalty"] == pytest.approx(0.7) and node["satisfaction"] == pytest.approx(0.5)
