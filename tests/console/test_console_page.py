"""The Cypher console page under Streamlit's AppTest, against the real Neo4j."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from tests.store.graphcheck import fingerprint

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGE = "graphcap/ui/pages/console.py"


def _open():  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _run_button(at):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == "Run")


@pytest.fixture
def console_app(tiny_store, neo4j_env):  # type: ignore[no-untyped-def]
    st.cache_resource.clear()
    yield _open()
    st.cache_resource.clear()


@pytest.mark.integration
def test_a_library_query_runs_with_form_parameters(console_app):
    at = console_app
    assert "Time limit **10 s**" in at.caption[0].value and "5,000" in at.caption[0].value
    at.selectbox(key="cq_pick").set_value("top_customers").run()
    at.number_input(key="cq_top_customers_limit").set_value(2)  # form: sent with the submit
    _run_button(at).click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    table = at.dataframe[0].value
    assert table[["name", "weighted_value"]].values.tolist() == [["Alpha", 400.0], ["Beta", 150.0]]
    assert "2 rows in" in " ".join(c.value for c in at.caption)


@pytest.mark.integration
def test_paths_are_drawn_as_a_network(console_app):
    from tests.ui.apphelpers import drawn_payload

    at = console_app
    at.selectbox(key="cq_pick").set_value("strongest_path").run()
    at.text_input(key="cq_strongest_path_target").set_value("Rival")
    _run_button(at).click().run()
    assert not at.error, [e.value for e in at.error]
    payload = drawn_payload(at)
    # by hand (tiny network, written-back strengths): the direct tie Orbit-Rival (0.5) is
    # stronger than the two-step path through Steel Co, and no path runs through distrust
    assert sorted(n["label"] for n in payload["nodes"]) == ["Orbit", "Rival"]
    assert len(payload["edges"]) == 1


@pytest.mark.integration
def test_free_cypher_refused_and_errors_shown_plainly(console_app, tiny_store):
    before = fingerprint(tiny_store)
    at = console_app
    at.radio(key="cq_mode").set_value("Free Cypher").run()
    at.text_area(key="cq_text").set_value("MATCH (n) /* x */ DETACH DELETE n").run()
    at.button(key="cq_run").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Refused: DETACH DELETE")
    assert fingerprint(tiny_store) == before
    at.text_area(key="cq_text").set_value("MATCH (n:Customer)\nRETURN m").run()
    at.button(key="cq_run").click().run()
    assert not at.exception
    assert at.error[0].value == "Neo4j reported an error:"
    assert "line 2, column 8" in at.code[-1].value
    at.text_area(key="cq_text").set_value(
        "MATCH (c:Customer {name: $name}) RETURN c.revenue AS r"
    ).run()
    at.text_area(key="cq_params").set_value('{"name": "Gamma"}').run()
    at.button(key="cq_run").click().run()
    assert not at.error, [e.value for e in at.error]
    assert at.dataframe[0].value["r"].tolist() == [100.0]


def test_without_neo4j_the_page_says_how_to_start_it(monkeypatch, tmp_path):
    from graphcap.sample import sample_small
    from graphcap.snapshot import write_snapshot

    path = tmp_path / "s.gcap"
    write_snapshot(sample_small(), path)
    monkeypatch.setenv("GRAPHCAP_SNAPSHOT", str(path))
    monkeypatch.setenv("GRAPHCAP_NEO4J_PORT", "1")  # nothing listens there
    st.cache_resource.clear()
    try:
        at = _open()
        warning = " ".join(w.value for w in at.warning)
        assert "needs Neo4j" in warning and "graphcap neo4j start" in warning
        assert _run_button(at).disabled
        assert "MATCH" in at.code[0].value  # the library stays readable
    finally:
        st.cache_resource.clear()
