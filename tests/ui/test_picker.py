"""Stakeholder pickers above a size list a shortlist and take any other name typed in (#14).

Every option of a select box travels to each browser on every page load; a list of 10,000 names
cost a browser about 0.3 CPU seconds a load more than a bare page. Above ``PICKER_SHORTLIST`` stakeholders a picker
lists the first ones in its order and resolves a typed name or id. The expected stakeholders and
neighbourhoods are worked out here from the test network's own frames.
"""

from __future__ import annotations

import html

import pandas as pd
import pytest

from graphcap.ui import widgets
from tests.ui.apphelpers import metric

pytestmark = pytest.mark.usefixtures("snapshot_env")


def _type_in(at, key: str, text: str):  # type: ignore[no-untyped-def]
    """What a browser sends when the user types ``text`` into the picker and presses Enter
    (AppTest only sets listed options: the typed text is added as the browser adds it)."""
    box = at.selectbox(key=key)
    box.options.append(text)
    return box.set_value(text).run()


def _neighbourhood(network, sid: str) -> set[str]:  # type: ignore[no-untyped-def]
    edges = network.edges
    ends = edges[(edges["source"] == sid) | (edges["target"] == sid)]
    return {sid, *ends["source"].astype(str), *ends["target"].astype(str)}


def test_a_long_list_is_cut_to_the_shortlist_and_a_typed_name_is_found(
    open_page, small_network, monkeypatch
) -> None:
    monkeypatch.setattr(widgets, "PICKER_SHORTLIST", 10)
    at = open_page("network")
    ego = at.selectbox(key="net_ego")
    assert len(ego.options) == 11 and ego.options[0] == "— whole network —"
    assert "type any other name or id" in ego.help
    listed = {o.split(" · ")[0] for o in ego.options[1:]}
    nodes = small_network.nodes
    outsider = nodes[~nodes["name"].isin(listed)].iloc[0]

    _type_in(at, "net_ego", f"  {str(outsider['name']).upper()} ")  # case and spaces ignored
    assert not at.exception
    expected = _neighbourhood(small_network, str(outsider["id"]))
    assert metric(at, "Stakeholders in view") == str(len(expected))
    found = [el.proto.body for el in at.main.get("html") if "Found: " in el.proto.body]
    assert len(found) == 1 and html.escape(str(outsider["name"])) in found[0]

    # an id typed in works the same (case ignored)
    at = open_page("network")
    _type_in(at, "net_ego", str(outsider["id"]).upper())
    assert metric(at, "Stakeholders in view") == str(len(expected))


def test_a_short_list_is_whole_and_takes_no_typing(open_page, small_network) -> None:
    at = open_page("stakeholders")
    box = at.selectbox(key="tbl_open")
    assert len(box.options) == len(small_network.nodes)
    assert not box.help


@pytest.mark.parametrize(
    "text",
    [
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1)) http://evil.example **bold**",
        "'; MATCH (n) DETACH DELETE n //",
        "\u202e\x00\ufeff",
        "ä" * 100_000,  # long: one bounded message, no slowdown
    ],
)
def test_hostile_typed_text_is_shown_as_text_and_changes_nothing(
    open_page, small_network, monkeypatch, text: str
) -> None:
    monkeypatch.setattr(widgets, "PICKER_SHORTLIST", 10)
    at = open_page("stakeholders")
    before = at.dataframe[0].value.copy()
    _type_in(at, "tbl_open", text)
    assert not at.exception
    said = [el.proto.body for el in at.main.get("html") if "No stakeholder" in el.proto.body]
    assert len(said) == 1
    assert "<img" not in said[0] and "<a " not in said[0] and "<strong>" not in said[0]
    assert not [b for b in at.button if b.key == "tbl_open_btn"]  # nothing to open
    pd.testing.assert_frame_equal(at.dataframe[0].value, before)


def test_a_part_of_a_name_takes_the_first_in_the_pickers_order(monkeypatch) -> None:
    nodes = pd.DataFrame(
        {
            "id": ["a1", "b2", "c3", "d4"],
            "name": ["Acme Ltd", "Acme Holding", "Zeta", "acme ltd"],
            "type": ["customer"] * 4,
        }
    )
    assert widgets.find_stakeholder(nodes, "ACME LTD") == ("a1", 2)  # exact name, two such
    assert widgets.find_stakeholder(nodes, "c3") == ("c3", 1)  # exact id
    assert widgets.find_stakeholder(nodes, "C3 ") == ("c3", 1)
    assert widgets.find_stakeholder(nodes, "hold") == ("b2", 1)
    assert widgets.find_stakeholder(nodes, "acme") == ("a1", 3)  # first of three in order
    assert widgets.find_stakeholder(nodes.iloc[::-1], "acme") == ("d4", 3)
    assert widgets.find_stakeholder(nodes, "nobody") == (None, 0)
    assert widgets.find_stakeholder(nodes, "   ") == (None, 0)
    assert widgets.find_stakeholder(nodes, ".*") == (None, 0)  # text, never a pattern
    accented = pd.DataFrame(
        {"id": ["m1", "m2"], "name": ["Müller  GmbH", "Nowak"], "type": ["supplier"] * 2}
    )
    assert widgets.find_stakeholder(accented, "muller gmbh") == ("m1", 1)  # exact, folded
    assert widgets.find_stakeholder(accented, "MULLER") == ("m1", 1)
    assert widgets.find_stakeholder(accented, "M1") == ("m1", 1)


def test_a_few_rows_are_labelled_as_among_all() -> None:
    nodes = pd.DataFrame(
        {
            "id": ["a1", "b2", "c3"],
            "name": ["Acme", "Zeta", "Acme"],
            "type": ["customer", "supplier", "customer"],
        }
    )
    whole = widgets.stakeholder_labels(nodes)
    assert whole == {
        "a1": "Acme · customer · a1",
        "b2": "Zeta · supplier",
        "c3": "Acme · customer · c3",
    }
    # the first row alone still carries its id: its name is shared further down
    assert widgets.stakeholder_labels(nodes.iloc[:1], among=nodes) == {"a1": whole["a1"]}
    assert widgets.stakeholder_labels(nodes.iloc[:1]) == {"a1": "Acme · customer"}
