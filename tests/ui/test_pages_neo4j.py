"""The pages against a real Neo4j: the test network is imported through the store, then the app
is pointed at the server through the environment (as a user would with NEO4J_URI)."""

from __future__ import annotations

import pytest
import streamlit as st

from tests.ui.apphelpers import drawn_payload, metric
from tests.ui.netfactory import HOSTILE_NAMES, make_network

pytestmark = pytest.mark.integration

PAGES = ["overview", "network", "stakeholder", "stakeholders", "risks", "grid", "import"]


@pytest.fixture
def neo4j_app(store, neo4j_env):  # type: ignore[no-untyped-def]
    net = make_network(40, seed=11)
    store.import_network(net)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield net
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_reads_neo4j(neo4j_app, open_page, page: str) -> None:  # type: ignore[no-untyped-def]
    at = open_page(page, query={"id": "s00001"} if page == "stakeholder" else None)
    assert [s.value for s in at.sidebar.success] == ["Connected to Neo4j"]
    assert f"{len(neo4j_app.nodes):,} stakeholders" in " ".join(c.value for c in at.sidebar.caption)
    if page == "overview":
        assert metric(at, "Stakeholders") == f"{len(neo4j_app.nodes):,}"
        assert metric(at, "Relationships") == f"{len(neo4j_app.edges):,}"
    if page == "network":
        assert {n["label"] for n in drawn_payload(at)["nodes"]} >= set(HOSTILE_NAMES)
        at.multiselect(key="net_types").set_value(["supplier"]).run()
        suppliers = set(neo4j_app.nodes.loc[neo4j_app.nodes["type"] == "supplier", "id"])
        assert {n["id"] for n in drawn_payload(at)["nodes"]} == suppliers
    if page == "import":
        assert not at.warning or "Importing needs Neo4j" not in at.warning[0].value


def test_import_page_writes_to_neo4j(neo4j_app, store, open_page) -> None:  # type: ignore[no-untyped-def]
    before = store.counts()
    at = open_page("import")
    nodes = "id,name,type\ns00000,Focal AG,organization\nnew1,Neu GmbH,customer\nnew2,<b>Bold</b> AG,supplier\n"
    edges = "source,target,type,strength\nnew1,s00000,BUYS_FROM,0.7\nnew2,s00000,SUPPLIES,0.4\n"
    at.get("file_uploader")[0].set_value(
        [("nodes.csv", nodes.encode(), "text/csv"), ("edges.csv", edges.encode(), "text/csv")]
    )
    at.run()
    at.button(key="imp_check").click().run()
    shown = [s.value for s in at.main.success] + [e.value for e in at.main.error]
    assert any("Ready: 3 stakeholders, 2 relationships" in s for s in shown), shown
    at.button(key="imp_go").click().run()
    assert not at.exception, [e.message for e in at.exception]
    summary = at.dataframe[-1].value.set_index("kind")
    assert int(summary.loc["nodes", "created"]) == 2
    assert int(summary.loc["edges", "created"]) == 2
    after = store.counts()
    assert sum(after["nodes"].values()) == sum(before["nodes"].values()) + 2
    assert sum(after["edges"].values()) == sum(before["edges"].values()) + 2


_TEXT_KINDS = ("caption", "markdown", "success", "info", "warning", "error", "text", "code",
               "header", "subheader", "title", "html", "json", "exception")  # fmt: skip


def test_the_app_never_shows_the_uri_password(neo4j_app, neo4j_settings, monkeypatch, open_page):  # type: ignore[no-untyped-def]
    """NEO4J_URI carries the password (no NEO4J_PASSWORD): the app connects with it and no
    element of any page, sidebar included, shows it."""
    from tests.store.test_uri_secrets import secret_uri

    secret = neo4j_settings.password
    monkeypatch.setenv("NEO4J_URI", secret_uri(neo4j_settings, secret))
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_settings.database)
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        for page in ("overview", "console", "import", "network"):
            at = open_page(page)
            assert [s.value for s in at.sidebar.success] == ["Connected to Neo4j"]
            shown = []
            for kind in _TEXT_KINDS:
                for element in at.get(kind):
                    shown.append(
                        str(getattr(element, "value", "")) + str(getattr(element, "proto", ""))
                    )
            text = "\n".join(shown)
            port = neo4j_settings.uri.rsplit(":", 1)[1]
            assert "Neo4j at neo4j" in text and port in text  # the sidebar names the server ...
            assert secret not in text  # ... never the password
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


@pytest.mark.gds
def test_sidebar_says_which_engine_computed_what(
    gds_store, neo4j_env, open_page, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from graphcap.store import gds

    gds_store.import_network(make_network(40, seed=11))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = open_page("overview")
    assert "Metrics engine: local" in [c.value for c in at.sidebar.caption]
    monkeypatch.setenv("GRAPHCAP_METRICS_ENGINE", "gds")
    st.cache_resource.clear()
    st.cache_data.clear()
    at = open_page("overview")
    assert not at.exception, [e.message for e in at.exception]
    caption = next(c.value for c in at.sidebar.caption if c.value.startswith("Metrics engine"))
    assert caption.startswith("Metrics engine: gds 2\\.13\\.9\\: betweenness")  # md-escaped
    assert "local\\: closeness" in caption
    assert gds.projections(gds_store) == []
    st.cache_resource.clear()
    st.cache_data.clear()
