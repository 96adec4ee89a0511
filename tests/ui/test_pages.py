"""Every page of the app under AppTest, on the embedded snapshot source (no Neo4j configured).

Expected figures come from the test network's own frames (pandas), not from the page's code.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.ui.apphelpers import drawn_payload, metric, open_tab
from tests.ui.netfactory import HOSTILE_NAMES

pytestmark = pytest.mark.usefixtures("snapshot_env")


def _edges_within(net, ids: set[str]) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    e = net.edges
    return e[e["source"].isin(ids) & e["target"].isin(ids)]


def test_sidebar_says_snapshot_and_how_to_get_neo4j(open_page, small_network) -> None:
    at = open_page("overview")
    assert [i.value for i in at.sidebar.info] == ["Embedded snapshot (no Neo4j)"]
    hint = " ".join(w.value for w in at.sidebar.warning)
    assert "graphcap neo4j start" in hint and "NEO4J_URI" in hint
    assert f"{len(small_network.nodes):,} stakeholders" in " ".join(
        c.value for c in at.sidebar.caption
    )


def test_overview_shows_counts_rci_and_risks(open_page, small_network) -> None:
    from graphcap.analysis import analyze

    at = open_page("overview")
    assert metric(at, "Stakeholders") == f"{len(small_network.nodes):,}"
    assert metric(at, "Relationships") == f"{len(small_network.edges):,}"
    expected = analyze(small_network)
    assert metric(at, "Relational Capital Index") == f"{expected.rci.score:.0f} / 100"
    assert metric(at, "At-risk relationships") == f"{len(expected.risks):,}"
    assert len(at.get("vega_lite_chart")) >= 3  # RCI bars, Lorenz, types


def test_network_draws_everything_then_one_type(open_page, small_network) -> None:
    at = open_page("network")
    assert metric(at, "Stakeholders in view") == f"{len(small_network.nodes):,}"
    payload = drawn_payload(at)
    assert len(payload["nodes"]) == len(small_network.nodes)
    assert len(payload["edges"]) == len(small_network.edges)

    at.multiselect(key="net_types").set_value(["customer"]).run()
    customers = set(small_network.nodes.loc[small_network.nodes["type"] == "customer", "id"])
    payload = drawn_payload(at)
    assert {n["id"] for n in payload["nodes"]} == customers
    assert len(payload["edges"]) == len(_edges_within(small_network, customers))
    assert metric(at, "Stakeholders in view") == f"{len(customers):,}"


def test_network_min_strength_and_positions_stay(open_page, small_network) -> None:
    at = open_page("network")
    before = {n["id"]: (n["x"], n["y"]) for n in drawn_payload(at)["nodes"]}
    at.slider(key="net_min_strength").set_value(0.5).run()
    strong = small_network.edges[small_network.edges["strength"] >= 0.5]
    payload = drawn_payload(at)
    assert len(payload["edges"]) == len(strong)
    after = {n["id"]: (n["x"], n["y"]) for n in payload["nodes"]}
    assert after and all(before[i] == xy for i, xy in after.items())  # nobody moved


def test_network_ego_radius_one(open_page, small_network) -> None:
    at = open_page("network", query={"focus": "s00002"})
    at.select_slider(key="net_radius").set_value(1).run()
    e = small_network.edges
    touching = e[(e["source"] == "s00002") | (e["target"] == "s00002")]
    expected = set(touching["source"]) | set(touching["target"]) | {"s00002"}
    assert {n["id"] for n in drawn_payload(at)["nodes"]} == expected


def test_network_search_by_name(open_page, small_network) -> None:
    at = open_page("network")
    at.text_input(key="net_search").set_value("stakeholder 17").run()
    e = small_network.edges
    hit = "s00017"
    touching = e[(e["source"] == hit) | (e["target"] == hit)]
    expected = set(touching["source"]) | set(touching["target"]) | {hit}
    assert {n["id"] for n in drawn_payload(at)["nodes"]} == expected


def test_hostile_names_are_text_on_the_network_page(open_page) -> None:
    at = open_page("network")
    html = at.get("iframe")[0].proto.srcdoc
    labels = {n["label"] for n in drawn_payload(at)["nodes"]}
    for name in HOSTILE_NAMES:
        assert name in labels  # shown exactly as typed ...
    data = html.split('id="gc-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data  # ... but never as markup in the page
    assert "canary.invalid" not in html.replace(data, "")
    assert not any(getattr(m.proto, "allow_html", False) for m in at.markdown)


def test_stakeholder_page_hostile_name_and_relationships(open_page, small_network) -> None:
    at = open_page("stakeholder", query={"id": "s00001"})
    name = small_network.nodes.set_index("id").loc["s00001", "name"]
    assert name == HOSTILE_NAMES[0]
    import html

    bodies = [h.proto.body for h in at.get("html")]
    assert f'<h2 class="gc-text">{html.escape(name)}</h2>' in bodies  # escaped text, no markdown
    assert not at.header  # the name never goes through markdown
    e = small_network.edges
    mine = e[(e["source"] == "s00001") | (e["target"] == "s00001")]
    rel_table = at.dataframe[2].value  # properties, metrics, relationships
    assert len(rel_table) == len(mine)
    assert not any(getattr(m.proto, "allow_html", False) for m in at.markdown)


def test_stakeholders_table_filters(open_page, small_network) -> None:
    at = open_page("stakeholders")
    assert at.caption[0].value.startswith(f"{len(small_network.nodes):,} of")
    at.multiselect(key="tbl_types").set_value(["supplier"]).run()
    n_sup = int((small_network.nodes["type"] == "supplier").sum())
    assert at.caption[0].value.startswith(f"{n_sup:,} of")
    assert len(at.dataframe[0].value) == n_sup
    assert {b.proto.label for b in at.get("download_button")} == {"Download CSV", "Download XLSX"}


def test_risks_what_if_for_one_customer(open_page, small_network) -> None:
    nodes = small_network.nodes
    customer = nodes[nodes["type"] == "customer"].sort_values("revenue").iloc[-1]
    at = open_page("risks")
    assert "rk_whatif" not in [w.key for w in at.multiselect]  # only the open tab runs
    open_tab(at, "rk_tab", "What-if simulator")
    at.multiselect(key="rk_whatif").set_value([customer["id"]]).run()
    at.button(key="rk_simulate").click().run()
    assert not at.exception
    # every stakeholder of the test network has its own tie to the organisation: losing one
    # customer cuts nobody else off, and the value at risk is exactly that customer's revenue
    assert metric(at, "Cut off from the organisation") == "0"
    assert metric(at, "Revenue at risk") == f"{customer['revenue']:,.0f}"


def test_grid_quadrants_cover_every_stakeholder(open_page, small_network) -> None:
    at = open_page("grid")
    total = sum(int(m.value.replace(",", "")) for m in at.metric)
    assert total == int((small_network.nodes["type"] != "organization").sum())


def test_import_checks_files_without_neo4j(open_page) -> None:
    at = open_page("import")
    assert "Importing needs Neo4j" in at.warning[0].value
    nodes = "id,name,type\nn1,Alpha,customer\nn2,Beta,dragon\nn3,<script>x</script>,supplier\n"
    edges = "source,target,type\nn1,n3,REFERS\nn1,n9,REFERS\n"
    at.get("file_uploader")[0].set_value(
        [("nodes.csv", nodes.encode(), "text/csv"), ("edges.csv", edges.encode(), "text/csv")]
    )
    at.run()
    at.button(key="imp_check").click().run()
    assert not at.exception
    report = at.dataframe[0].value
    assert set(report["row"].dropna().astype(int)) >= {3}  # the unknown type 'dragon' on row 3
    assert any("n9" in str(v) for v in report["value"].tolist() + report["why"].tolist())


@pytest.mark.parametrize(
    "mode, by",
    [("Top stakeholders by the size metric", None), ("One node per stakeholder type", "type")],
)
def test_network_too_large_is_reduced_and_says_so(
    open_page, small_network, monkeypatch, mode, by
) -> None:
    import graphcap.picture.reduce as reduce

    monkeypatch.setattr(reduce, "MAX_DRAWN_NODES", 20)
    at = open_page("network")
    at.selectbox(key="net_big_mode").set_value(mode).run()
    payload = drawn_payload(at)
    note = at.info[0].value
    if by is None:
        assert len(payload["nodes"]) == 20
        assert "s00000" in {n["id"] for n in payload["nodes"]}  # the organisation always stays
        assert note.startswith(f"Showing the top 20 of {len(small_network.nodes)} stakeholders")
    else:
        types = small_network.nodes["type"].value_counts()
        drawn = {n["label"] for n in payload["nodes"]}
        assert drawn == {f"{t} ({c})" for t, c in types.items()}
        assert "one node per type" in note
    assert metric(at, "Drawn") == str(len(payload["nodes"]))


def test_network_time_window(open_page, small_network) -> None:
    import datetime as dt

    at = open_page("network")
    at.toggle(key="net_window_on").set_value(True).run()
    lo = small_network.edges["since"].min().date()
    mid = dt.date(2022, 6, 30)
    at.slider(key="net_window").set_value((lo, mid)).run()
    # a relationship with only a start date is active from then on: active in the window
    # exactly when it started on or before the window's end
    active = small_network.edges[small_network.edges["since"] <= pd.Timestamp(mid)]
    assert 0 < len(active) < len(small_network.edges)
    assert len(drawn_payload(at)["edges"]) == len(active)
    assert metric(at, "Relationships in view") == f"{len(active):,}"


def test_expanding_a_group_shows_its_members(open_page, small_network, monkeypatch) -> None:
    import graphcap.picture.reduce as reduce

    monkeypatch.setattr(reduce, "MAX_DRAWN_NODES", 20)
    at = open_page("network")
    at.selectbox(key="net_big_mode").set_value("One node per stakeholder type").run()
    assert len(drawn_payload(at)["nodes"]) == small_network.nodes["type"].nunique()
    at.query_params["expand"] = "group:customer"  # what a double-click on the group sends
    at.run()
    customers = set(small_network.nodes.loc[small_network.nodes["type"] == "customer", "id"])
    assert len(customers) <= 20
    assert {n["id"] for n in drawn_payload(at)["nodes"]} == customers
    assert at.multiselect(key="net_types").value == ["customer"]


@pytest.mark.parametrize("raw", ["inf", "nan", "true", "-1"])
@pytest.mark.parametrize("page", ["overview", "console"])
def test_a_bad_setting_is_one_clear_message_on_every_page(
    snapshot_env, monkeypatch, page, raw
) -> None:  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import APP, PAGES

    monkeypatch.setenv("GRAPHCAP_QUERY_TIMEOUT_S", raw)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page(f"{PAGES}/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.main.error]
    assert len(errors) == 1 and "query\\_timeout\\_s must be a number from 0" in errors[0]
    assert "GRAPHCAP\\_QUERY\\_TIMEOUT\\_S" in errors[0]


def test_risks_next_best_contacts_match_the_ranking(open_page, small_network) -> None:
    from datetime import UTC, datetime

    from graphcap.analysis import analyze
    from graphcap.config import load_project_config

    at = open_tab(open_page("risks"), "rk_tab", "Next best contacts")
    shown = next(d.value for d in at.dataframe if "priority" in d.value.columns)
    config = load_project_config()
    expected = analyze(small_network, config=config).next_contacts(
        config.cadence_days, today=datetime.now(UTC).date()
    )
    assert len(expected) > 0
    assert shown["name"].tolist() == expected["name"].head(50).tolist()
    assert shown["priority"].tolist() == expected["priority"].head(50).tolist()
    assert shown["reason"].tolist() == expected["reason"].head(50).tolist()
