"""The pages above ``app_full_analysis_max_relationships`` (graphcap.ui.scale), against a real
Neo4j: a small network with the limit set low stands for a large one. The pages must not read
the whole network nor analyse it (both are made to fail here), and must show what
``graphcap metrics --write`` stored, checked against the analysis that wrote it."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st

from graphcap.analysis import analyze
from graphcap.compute import write_back
from graphcap.store import Neo4jStore
from tests.ui.apphelpers import drawn_payload, metric
from tests.ui.netfactory import make_network

pytestmark = pytest.mark.integration

SCALE_PAGES = ["overview", "network", "stakeholders", "risks", "stakeholder"]


def _refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise AssertionError("the whole network was read or analysed at scale")


@pytest.fixture
def big(store, neo4j_env, monkeypatch):  # type: ignore[no-untyped-def]
    """The test network in Neo4j, the limit below its relationships, whole reads refused."""
    net = make_network(40, seed=11)
    store.import_network(net)
    monkeypatch.setenv("GRAPHCAP_APP_FULL_ANALYSIS_MAX_RELATIONSHIPS", "10")
    monkeypatch.setattr(Neo4jStore, "read_network", _refuse)
    monkeypatch.setattr("graphcap.ui.state.analyze", _refuse)
    monkeypatch.setattr("graphcap.ui.state.analyze_stored", _refuse)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield net
    st.cache_resource.clear()
    st.cache_data.clear()


def _texts(at, kind: str) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(e.value) for e in getattr(at, kind))


@pytest.mark.parametrize("page", SCALE_PAGES)
def test_without_stored_metrics_each_page_says_how_to_get_them(big, open_page, page):  # type: ignore[no-untyped-def]
    at = open_page(page, query={"id": "s00001"} if page == "stakeholder" else None)
    assert "Large network: " in _texts(at, "info")
    assert "(app_full_analysis_max_relationships)" in _texts(at, "info")
    assert "No metrics are stored yet" in _texts(at, "warning")
    assert "`graphcap metrics --write`" in _texts(at, "warning")


@pytest.fixture
def stored(big, store):  # type: ignore[no-untyped-def]
    """The metrics of the whole network written back as `graphcap metrics --write` does."""
    ana = analyze(big)  # graphcap.analysis's own: it stands for the CLI
    write_back(store, ana, run={"seconds": 1.5, "source": "test"})
    st.cache_data.clear()
    st.cache_resource.clear()
    return ana


def _top(ana, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    nodes = ana.nodes.assign(id=ana.nodes["id"].astype(str))
    return nodes.sort_values(["pagerank", "id"], ascending=[False, True])["name"].head(n).tolist()


def test_overview_shows_the_stored_metrics_and_the_counts(stored, big, open_page):  # type: ignore[no-untyped-def]
    at = open_page("overview")
    assert metric(at, "Stakeholders") == f"{len(big.nodes):,}"
    assert metric(at, "Relationships") == f"{len(big.edges):,}"
    assert "Stored metrics: computed " in _texts(at, "caption")
    assert r"by local \(every measure\)" in _texts(at, "caption")
    assert "No metrics are stored yet" not in _texts(at, "warning")
    top = at.dataframe[-1].value
    assert top["name"].tolist() == _top(stored, 10)


def test_network_draws_the_top_by_stored_pagerank_and_a_neighbourhood(stored, big, open_page):  # type: ignore[no-untyped-def]
    at = open_page("network")
    drawn = {n["id"] for n in drawn_payload(at)["nodes"]}
    assert drawn == set(big.nodes["id"].astype(str))  # fewer than the cap: all of them
    assert "Showing the top 40 of 40 stakeholders by PageRank" in _texts(at, "info")
    at = open_page("network", query={"focus": "s00001"})
    edges = big.edges.astype({"source": str, "target": str})
    contacts = set(edges.loc[edges["source"] == "s00001", "target"]) | set(
        edges.loc[edges["target"] == "s00001", "source"]
    )
    drawn = {n["id"] for n in drawn_payload(at)["nodes"]}
    assert drawn == contacts | {"s00001"}


def test_stakeholder_list_sorts_by_the_stored_metric_and_searches_in_neo4j(stored, big, open_page):  # type: ignore[no-untyped-def]
    at = open_page("stakeholders")
    shown = at.dataframe[-1].value
    assert shown["name"].tolist() == _top(stored, len(big.nodes))
    name = str(big.nodes["name"].iloc[5])
    at.text_input(key="tbl_search").set_value(name[1:6]).run()
    shown = at.dataframe[-1].value
    expected = big.nodes[
        big.nodes["name"].astype(str).str.casefold().str.contains(name[1:6].casefold(), regex=False)
        | big.nodes["id"].astype(str).str.casefold().str.contains(name[1:6].casefold(), regex=False)
    ]
    assert sorted(shown["name"].astype(str)) == sorted(expected["name"].astype(str))


HOSTILE_SEARCHES = [
    "' OR 1=1 //",
    'x"}) DETACH DELETE n //',
    "$t",
    ".*",
    "[(\\",
    "<script>alert(1)</script>",
    "**bold** [link](http://evil.example)",
]


@pytest.mark.parametrize("text", HOSTILE_SEARCHES)
def test_a_hostile_search_at_scale_is_only_text(stored, big, store, open_page, text):  # type: ignore[no-untyped-def]
    """The Stakeholder list's Neo4j search takes the text as a parameter: no error, exactly the
    stakeholders whose name or id contains it (none here), the database as before."""
    before = store.counts()
    at = open_page("stakeholders")
    at.text_input(key="tbl_search").set_value(text).run()
    assert not at.exception
    shown = at.dataframe[-1].value if len(at.dataframe) else None
    expected = big.nodes[
        big.nodes["name"].astype(str).str.casefold().str.contains(text.casefold(), regex=False)
        | big.nodes["id"].astype(str).str.casefold().str.contains(text.casefold(), regex=False)
    ]
    assert expected.empty
    assert shown is None or shown.empty
    assert store.counts() == before


def test_risks_lists_the_stored_single_points_of_failure(stored, open_page):  # type: ignore[no-untyped-def]
    at = open_page("risks")
    nodes = stored.nodes
    aps = nodes[nodes["is_articulation"].fillna(False).astype(bool)]
    assert f"{len(aps):,} stakeholders whose loss splits the network" in _texts(at, "caption")
    if len(aps):
        shown = at.dataframe[0].value
        expected = aps.sort_values(["betweenness", "id"], ascending=[False, True])["name"]
        assert shown["name"].tolist() == expected.tolist()


def test_below_the_limit_the_pages_analyse_as_before(store, neo4j_env, monkeypatch, open_page):  # type: ignore[no-untyped-def]
    net = make_network(40, seed=11)
    store.import_network(net)
    monkeypatch.setenv("GRAPHCAP_APP_FULL_ANALYSIS_MAX_RELATIONSHIPS", str(len(net.edges)))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = open_page("overview")
    assert "Large network: " not in _texts(at, "info")
    assert metric(at, "Relationships") == f"{len(net.edges):,}"
    st.cache_resource.clear()
    st.cache_data.clear()
    assert isinstance(at.dataframe[0].value, pd.DataFrame)
