"""The renderer outside Streamlit: offline, names as data only, stable positions, reductions."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphcap.picture.layout import compute_layout
from graphcap.picture.reduce import aggregate, top_n
from graphcap.picture.render import network_payload, render_network_html, script_json
from tests.ui.netfactory import HOSTILE_NAMES, make_network


def _data_block(html: str) -> str:
    match = re.search(r'<script type="application/json" id="gc-data">(.*?)</script>', html, re.S)
    assert match is not None
    return match.group(1)


def test_page_is_self_contained_and_offline() -> None:
    html = render_network_html(make_network(30), title="<b>Title</b>")
    # no external script, style, font or image; a CSP forbids any request at all
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", html, re.I)
    assert "@import" not in html and "url(http" not in html
    assert "default-src 'none'" in html
    assert "<title>&lt;b&gt;Title&lt;/b&gt;</title>" in html


def test_hostile_names_are_data_never_markup() -> None:
    html = render_network_html(make_network(30))
    block = _data_block(html)
    assert "<" not in block and ">" not in block and "&" not in block
    labels = [n["label"] for n in json.loads(block)["nodes"]]
    assert set(HOSTILE_NAMES) <= set(labels)
    # outside the data block the page holds no trace of any name
    rest = html.replace(block, "")
    assert "canary.invalid" not in rest and "__pwned" not in rest and "HYPERLINK" not in rest


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_script_json_round_trips_and_cannot_close_the_script(text: str) -> None:
    encoded = script_json({"name": text})
    assert json.loads(encoded) == {"name": text}
    assert "</" not in encoded and "<!--" not in encoded
    assert "\u2028" not in encoded and "\u2029" not in encoded


def test_payload_sizes_widths_and_legend() -> None:
    net = make_network(40)
    payload = network_payload(net, size_by="revenue")
    sizes = {n["id"]: n["size"] for n in payload["nodes"]}
    revenue = net.nodes.set_index("id")["revenue"]
    top, bottom = revenue.idxmax(), revenue.idxmin()
    assert sizes[top] == 40 and sizes[bottom] < sizes[top]
    assert (
        sizes[net.nodes.loc[net.nodes["revenue"].isna(), "id"].iloc[0]] == 8
    )  # no value: smallest
    styles = [e["label"] for e in payload["legend"]["edges"]]
    assert styles == sorted(net.edges["type"].unique())
    for (src, dst, style, strength, _), (_, row) in zip(
        payload["edges"], net.edges.iterrows(), strict=True
    ):
        assert (src, dst, styles[style]) == (row["source"], row["target"], row["type"])
        assert strength == pytest.approx(row["strength"], abs=5e-4)
    legend = {item["label"] for item in payload["legend"]["nodes"]}
    counts = net.nodes["type"].value_counts()
    assert legend == {f"{t} ({c})" for t, c in counts.items()}


def test_layout_is_deterministic_and_filters_keep_positions() -> None:
    net = make_network(120, seed=9, hostile=False)
    ids = net.nodes["id"]
    first = compute_layout(ids, net.edges)
    assert first == compute_layout(ids, net.edges)  # same data, same seed: same picture
    assert len({xy for xy in first.values()}) == len(ids)  # nobody on top of another
    sub = net.nodes[net.nodes["type"] == "supplier"]
    payload = network_payload((sub, net.edges), positions=first)
    assert all((n["x"], n["y"]) == first[n["id"]] for n in payload["nodes"])


def test_size_note_names_the_column_by_its_label() -> None:
    """The legend says what the node size shows as a person reads the column ("Revenue",
    German "Umsatz"), not its key; a project's own column keeps its name."""
    from graphcap.i18n import use_language

    net = make_network(12, hostile=False)
    assert network_payload(net, size_by="revenue")["legend"]["size_note"] == "Size: Revenue"
    with use_language("de"):
        assert network_payload(net, size_by="revenue")["legend"]["size_note"] == "Größe: Umsatz"
    nodes = net.nodes.assign(**{"Umsatz 2025": net.nodes["revenue"]})
    own = network_payload((nodes, net.edges), size_by="Umsatz 2025")["legend"]
    assert own["size_note"] == "Size: Umsatz 2025"
    assert network_payload(net, size_by=None)["legend"]["size_note"] is None


def test_top_n_keeps_focal_and_highest() -> None:
    net = make_network(50, hostile=False)
    nodes, edges, note = top_n(net.nodes, net.edges, by="revenue", limit=6, keep=("s00000",))
    expected = set(net.nodes.nlargest(5, "revenue")["id"]) | {"s00000"}
    assert set(nodes["id"]) == expected
    assert edges["source"].isin(expected).all() and edges["target"].isin(expected).all()
    assert "top 6 of 50" in note


def test_aggregate_by_type_counts_relationships() -> None:
    net = make_network(50, hostile=False)
    groups, links = aggregate(net.nodes, net.edges, by="type")
    assert (
        dict(zip(groups["group"], groups["stakeholders"], strict=True))
        == net.nodes["type"].value_counts().to_dict()
    )
    assert int(links["relationships"].sum()) == len(net.edges)
    kind = net.nodes.set_index("id")["type"]
    pair = net.edges.assign(a=net.edges["source"].map(kind), b=net.edges["target"].map(kind))
    want = pair.groupby(["a", "b", "type"])["strength"].mean()
    for row in links.itertuples():
        got = want[(row.source.removeprefix("group:"), row.target.removeprefix("group:"), row.type)]
        assert row.strength == pytest.approx(got)
