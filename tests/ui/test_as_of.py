"""The Overview and Network pages "as of" a past day, rebuilt from the audit trail (AppTest
against the real Neo4j).

Edits are stamped with the server's clock, so the test moves the recorded times back: the
import to 10 days ago, the first edit (retire A) to 5 days ago; the second edit (retire B)
stays today. At the end of 2 days ago A is retired and B is not; 7 days ago neither is; 12
days ago is before the import: empty (imports are kept in the trail), or refused when the
import was made by a graphcap that did not keep them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import streamlit as st

from graphcap.store.edits import Editor
from tests.ui.apphelpers import alerts, drawn_payload, metric
from tests.ui.netfactory import make_network

pytestmark = pytest.mark.integration


@pytest.fixture
def edited_past(store, neo4j_env):  # type: ignore[no-untyped-def]
    net = make_network(30, seed=5, hostile=False)
    store.import_network(net)
    ids = [i for i, t in zip(net.nodes["id"], net.nodes["type"], strict=True) if t == "customer"]
    a, b = ids[0], ids[1]
    ed = Editor(store, user="ed")
    ed.retire_stakeholder(a, version=0)
    store._write(
        lambda tx: tx.run(
            "MATCH (s:GraphcapMeta {key: 'import'}) SET s.committed_at = $imp "
            "WITH 1 AS one MATCH (r:GraphcapImportRun) SET r.at = $imp "
            "WITH 1 AS one MATCH (e:GraphcapEvent) SET e.at = $edit",
            imp=datetime.now(UTC) - timedelta(days=10),
            edit=datetime.now(UTC) - timedelta(days=5),
        ).consume(),
        "moving the test's times back",
    )
    ed.retire_stakeholder(b, version=0)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield net, a, b
    st.cache_resource.clear()
    st.cache_data.clear()


def _day(days_ago: int):  # type: ignore[no-untyped-def]
    return (datetime.now(UTC) - timedelta(days=days_ago)).date()


def test_overview_as_of_a_past_day(edited_past, open_page) -> None:  # type: ignore[no-untyped-def]
    net, _a, _b = edited_past
    n = len(net.nodes)
    at = open_page("overview")
    assert metric(at, "Stakeholders") == f"{n - 2:,}"  # today: both retired
    assert not [w for w in at.warning if "Past state" in w.value]
    at.date_input(key="overview_as_of").set_value(_day(2)).run()
    assert not at.exception
    assert metric(at, "Stakeholders") == f"{n - 1:,}"  # A retired 5 days ago, B only today
    assert any(f"end of {_day(2).isoformat()}" in w.value for w in at.warning)
    at.date_input(key="overview_as_of").set_value(_day(7)).run()
    assert metric(at, "Stakeholders") == f"{n:,}"
    at.date_input(key="overview_as_of").set_value(_day(12)).run()
    assert not at.exception  # before the import (kept in the trail): nobody yet
    assert any("no stakeholders at the end of" in i.value for i in at.info), at.info
    assert not at.metric


def test_a_day_before_data_imported_without_the_trail_is_refused(
    edited_past, store, open_page
) -> None:  # type: ignore[no-untyped-def]
    store._write(  # the import as a graphcap before imports were kept in the trail left it
        lambda tx: tx.run(
            "MATCH (s:GraphcapMeta {key: 'import'}) REMOVE s.tracked, s.untracked_until"
        ).consume(),
        "test",
    )
    at = open_page("overview")
    at.date_input(key="overview_as_of").set_value(_day(7)).run()
    assert metric(at, "Stakeholders") == f"{len(edited_past[0].nodes):,}"
    at.date_input(key="overview_as_of").set_value(_day(12)).run()
    assert any("last imported at" in t for t in alerts(at)), alerts(at)
    assert not at.metric


def test_network_as_of_a_past_day(edited_past, open_page) -> None:  # type: ignore[no-untyped-def]
    net, a, b = edited_past
    at = open_page("network")
    drawn = {node["id"] for node in drawn_payload(at)["nodes"]}
    assert a not in drawn and b not in drawn
    at.date_input(key="net_as_of").set_value(_day(2)).run()
    assert not at.exception
    drawn = {node["id"] for node in drawn_payload(at)["nodes"]}
    assert b in drawn and a not in drawn
    assert drawn == set(net.nodes["id"]) - {a}
    assert any("Past state" in w.value for w in at.warning)


def _overview_texts(at) -> list[str]:  # type: ignore[no-untyped-def]
    """What the Overview shows in text (key players' names, captions, tables' cells)."""
    from tests.ui.apphelpers import shown_table

    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    for el in at.dataframe:
        texts += shown_table(el).astype(str).to_numpy().ravel().tolist()
    texts += [e.proto.body for e in at.get("html")]
    return texts


def test_a_past_overview_does_not_show_what_today_cached(edited_past, open_page) -> None:  # type: ignore[no-untyped-def]
    """The Overview's rankings and tables are shared per data version: a past day has its own,
    whichever of the two was opened first."""
    at = open_page("overview")  # today first: its rankings and tables are cached
    at.date_input(key="overview_as_of").set_value(_day(7)).run()
    after_today = _overview_texts(at)
    st.cache_resource.clear()
    st.cache_data.clear()
    fresh = open_page("overview")  # the past day alone, nothing cached
    fresh.date_input(key="overview_as_of").set_value(_day(7)).run()
    assert not fresh.exception
    assert after_today == _overview_texts(fresh)
