"""The first view of the two heaviest pages is light, and everything else is one choice away
(issue #14: each browser parses every cell and draws every node it is sent).

- Stakeholder list: a few telling columns at first, any other through "Columns"; the rows, the
  sort and the downloads are those of the whole table.
- Network: at first the top ``FIRST_DRAWN_NODES`` stakeholders by the size metric, more through
  "Draw at most", up to ``MAX_DRAWN_NODES``.

Expected columns and counts come from the test network's own frames, not from the pages' code.
"""

from __future__ import annotations

import pytest

from tests.ui.apphelpers import drawn_payload, metric

pytestmark = pytest.mark.usefixtures("snapshot_env")


def test_stakeholder_list_first_shows_a_few_columns_and_any_other_on_request(
    open_page, small_network
) -> None:
    at = open_page("stakeholders")
    first = at.dataframe[0].value
    own = [c for c in small_network.nodes.columns if c not in {"id", "name", "type"}][:4]
    assert list(first.columns[:2]) == ["name", "type"]
    assert set(own) <= set(first.columns)
    assert {"pagerank", "betweenness", "degree"} <= set(first.columns)
    assert "closeness" not in first.columns and "id" not in first.columns
    assert len(first) == len(small_network.nodes)  # every row, fewer columns

    at.multiselect(key="tbl_columns").select("closeness").run()
    assert not at.exception
    assert "closeness" in at.dataframe[0].value.columns

    # the sort column is shown even when not picked, and the rows follow it
    at.multiselect(key="tbl_columns").unselect("closeness").run()
    at.selectbox(key="tbl_sort").set_value("closeness").run()
    table = at.dataframe[0].value
    assert "closeness" in table.columns
    values = table["closeness"].dropna().tolist()
    assert values == sorted(values, reverse=True)

    # nothing picked: the name and the sort column remain
    at.multiselect(key="tbl_columns").set_value([]).run()
    assert list(at.dataframe[0].value.columns) == ["name", "closeness"]


def test_network_first_draws_the_top_few_and_more_on_request(
    open_page, small_network, monkeypatch
) -> None:
    import graphcap.picture.reduce as reduce

    monkeypatch.setattr(reduce, "MAX_DRAWN_NODES", 40)
    monkeypatch.setattr(reduce, "FIRST_DRAWN_NODES", 10)
    at = open_page("network")
    limit = at.select_slider(key="net_limit")
    assert limit.options == ["5", "10", "20", "40"] and limit.value == 10
    ten = {n["id"] for n in drawn_payload(at)["nodes"]}
    assert len(ten) == 10 and metric(at, "Drawn") == "10"
    assert "s00000" in ten  # the organisation always stays
    note = at.main.info[0].value
    assert note.startswith(f"Showing the top 10 of {len(small_network.nodes)} stakeholders")
    assert note.endswith("'Draw at most' shows up to 40.")

    at.select_slider(key="net_limit").set_value(20).run()
    twenty = {n["id"] for n in drawn_payload(at)["nodes"]}
    assert len(twenty) == 20 and ten < twenty  # the same ranking, further down
    at.select_slider(key="net_limit").set_value(40).run()
    forty = {n["id"] for n in drawn_payload(at)["nodes"]}
    assert len(forty) == 40 and twenty < forty
    assert "'Draw at most'" not in at.main.info[0].value  # at the cap: nothing more to offer


def test_network_draws_everything_when_the_view_is_small(open_page, small_network) -> None:
    at = open_page("network")
    assert at.select_slider(key="net_limit").value == 500
    assert len(drawn_payload(at)["nodes"]) == len(small_network.nodes)  # 60 < 500: no reduction
    assert not at.main.info


def test_the_new_controls_in_german(open_page) -> None:
    net = open_page("network", query={"lang": "de"})
    assert net.select_slider(key="net_limit").label == "Höchstens zeichnen"
    table = open_page("stakeholders", query={"lang": "de"})
    assert table.multiselect(key="tbl_columns").label == "Spalten"
