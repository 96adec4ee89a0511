"""Snapshot catalogue and diff: two snapshots built here, exactly the expected changes."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from graphcap.errors import ExportError
from graphcap.history import (
    create_snapshot,
    diff_snapshots,
    find_snapshot,
    list_snapshots,
    load_content,
    network_hash,
    previous_snapshot,
    trend_from_snapshots,
)
from graphcap.history.diff import match_communities
from graphcap.model import Network
from graphcap.snapshot import SnapshotSource, read_snapshot


def _network(nodes, edges) -> Network:
    n = pd.DataFrame(nodes, columns=["id", "name", "type"])
    e = pd.DataFrame(edges, columns=["source", "target", "type", "strength"])
    return Network(nodes=n, edges=e)


def _analysis(net: Network, communities, quadrants, rci, dims, by_type):
    nodes = net.nodes[["id"]].assign(
        community=net.nodes["id"].map(communities), quadrant=net.nodes["id"].map(quadrants)
    )
    dimensions = pd.DataFrame(
        [(d, v, 0.25, p) for d, (v, p) in dims.items()],
        columns=["dimension", "value", "weight", "points"],
    )
    types = pd.DataFrame(
        [(t, sc, st) for t, (sc, st) in by_type.items()], columns=["type", "score", "strength"]
    )
    return SimpleNamespace(
        nodes=nodes,
        edges=net.edges[["source", "target", "type", "strength"]],
        rci=SimpleNamespace(score=rci, dimensions=dimensions, by_type=types),
    )


@pytest.fixture
def two_snapshots(tmp_path):
    before = _network(
        [
            ("o", "Focal AG", "organization"),
            ("c1", "Kunde Eins", "customer"),
            ("c2", "=Kunde Zwei", "customer"),
            ("c3", "Kunde Drei", "customer"),
            ("s1", "Lieferant", "supplier"),
        ],
        [
            ("c1", "o", "BUYS_FROM", 0.8),
            ("c2", "o", "BUYS_FROM", 0.5),
            ("s1", "o", "SUPPLIES", 0.6),
            ("c3", "o", "BUYS_FROM", 0.3),
        ],
    )
    after = _network(
        [
            ("o", "Focal AG", "organization"),
            ("c1", "Kunde Eins", "customer"),
            ("c2", "=Kunde Zwei", "customer"),
            ("s1", "Lieferant", "supplier"),
            ("p1", "Partner 🚀", "partner"),
        ],
        [
            ("c1", "o", "BUYS_FROM", 0.55),
            ("c2", "o", "BUYS_FROM", 0.55),
            ("s1", "o", "SUPPLIES", 0.6),
            ("o", "p1", "PARTNERS_WITH", 0.7),
            ("c1", "c2", "REFERS", 0.4),
        ],
    )
    a_an = _analysis(
        before,
        {"o": 0, "c1": 0, "c2": 0, "s1": 1, "c3": 1},
        {"c1": "manage closely", "c2": "keep informed", "s1": "monitor"},
        60.0,
        {
            "strength": (0.8, 20.0),
            "diversification": (0.6, 15.0),
            "brokerage": (0.6, 15.0),
            "health": (0.4, 10.0),
        },
        {"customer": (50.0, 0.55), "supplier": (70.0, 0.6)},
    )
    b_an = _analysis(  # community labels renumbered, as Louvain does from run to run
        after,
        {"o": 7, "c1": 7, "p1": 7, "c2": 9, "s1": 9},
        {"c1": "keep satisfied", "c2": "keep informed", "s1": "monitor", "p1": "monitor"},
        55.0,
        {
            "strength": (0.56, 14.0),
            "diversification": (0.64, 16.0),
            "brokerage": (0.6, 15.0),
            "health": (0.4, 10.0),
        },
        {"customer": (40.0, 0.55), "supplier": (70.0, 0.6), "partner": (60.0, 0.7)},
    )
    folder = tmp_path / "snaps"
    a = create_snapshot(
        before,
        name="2025 Q1",
        folder=folder,
        analysis=a_an,
        filters={"node_types": ["customer", "supplier"]},
        source="test",
    )
    b = create_snapshot(after, name="2025 Q2", folder=folder, analysis=b_an, source="test")
    return folder, a, b, before, after


def test_diff_gives_exactly_the_expected_changes(two_snapshots):
    folder, a, b, *_ = two_snapshots
    d = diff_snapshots(a, b, strength_threshold=0.1)
    assert d.stakeholders_added["id"].tolist() == ["p1"]
    assert d.stakeholders_removed["id"].tolist() == ["c3"]
    assert set(map(tuple, d.gained[["source", "type", "target"]].to_numpy())) == {
        ("o", "PARTNERS_WITH", "p1"),
        ("c1", "REFERS", "c2"),
    }
    assert d.lost[["source", "type", "target"]].to_numpy().tolist() == [["c3", "BUYS_FROM", "o"]]
    # c1 weakened by 0.25 (listed); c2 +0.05 and s1 0 stay below the threshold
    assert d.strength_changes[["source", "change"]].to_numpy().tolist() == [
        ["c1", pytest.approx(-0.25)]
    ]
    assert d.strength_changes["source_name"].tolist() == ["Kunde Eins"]
    # B's community 9 continues A's community 1 (s1 stays), so only c2 moved
    assert d.community_changes["id"].tolist() == ["c2"]
    assert d.quadrant_changes.to_dict("records") == [
        {
            "id": "c1",
            "name": "Kunde Eins",
            "quadrant_before": "manage closely",
            "quadrant_after": "keep satisfied",
        }
    ]
    assert d.rci_change == pytest.approx(-5.0)
    drivers = d.rci_drivers.set_index("dimension")["change"]
    assert drivers.to_dict() == pytest.approx(
        {"strength": -6.0, "diversification": 1.0, "brokerage": 0.0, "health": 0.0}
    )
    assert d.rci_drivers["dimension"].iloc[0] == "strength"
    assert drivers.sum() == pytest.approx(d.rci_change)  # points add up to the score
    by_type = d.rci_by_type.set_index("type")["change"].to_dict()
    assert by_type == pytest.approx({"customer": -10.0, "supplier": 0.0, "partner": 60.0})
    assert d.summary()[0].startswith("RCI 60.0 -> 55.0 (-5.0); biggest driver: strength")
    assert d.notes == []


def test_diff_threshold_is_inclusive_and_lower_threshold_lists_more(two_snapshots):
    _, a, b, *_ = two_snapshots
    assert len(diff_snapshots(a, b, strength_threshold=0.25).strength_changes) == 1
    assert set(diff_snapshots(a, b, strength_threshold=0.05).strength_changes["source"]) == {
        "c1",
        "c2",
    }
    assert diff_snapshots(a, a).summary()[1:] == [
        "0 stakeholders added, 0 removed",
        "0 relationships gained, 0 lost",
        "0 relationships changed strength by at least 0.1",
        "0 stakeholders changed community",
        "0 stakeholders changed quadrant",
    ]


def test_catalogue_lists_finds_and_keeps_provenance(two_snapshots):
    folder, a, b, before, after = two_snapshots
    infos = list_snapshots(folder)
    assert [i.name for i in infos] == ["2025 Q1", "2025 Q2"]
    assert infos[0].rci == 60.0 and infos[0].counts["nodes"] == 5
    assert find_snapshot("2025 Q2", folder).path == b.path
    assert find_snapshot(str(a.path)).name == "2025 Q1"
    assert previous_snapshot(b).path == a.path and previous_snapshot(a) is None
    with pytest.raises(ExportError, match="did you mean '2025 Q2', '2025 Q1'"):
        find_snapshot("2025 Q3", folder)
    meta = read_snapshot(a.path).meta
    assert meta["source_hash"] == network_hash(before) != network_hash(after)
    assert meta["filters"] == {"node_types": ["customer", "supplier"]}
    assert meta["graphcap_version"] and meta["created"] and meta["rci"] == 60.0
    # the embedded default source opens the same file read-only
    store = SnapshotSource(b.path)
    assert store.counts()["nodes"] == {
        "customer": 2,
        "organization": 1,
        "partner": 1,
        "supplier": 1,
    }
    assert set(store.frames(["node_metrics"])["node_metrics"].columns) >= {"id", "community"}
    content = load_content(b)
    assert content.rci == 55.0 and content.node_metrics is not None


def test_broken_file_is_listed_with_its_problem(two_snapshots):
    folder, *_ = two_snapshots
    (folder / "zz_broken.gcap").write_bytes(b"not a zip")
    infos = list_snapshots(folder)
    broken = [i for i in infos if i.problem]
    assert len(infos) == 3 and len(broken) == 1 and "not a zip" in broken[0].problem


def test_trend_from_snapshots_has_rci_and_strength_per_type(two_snapshots):
    folder, *_ = two_snapshots
    trend = trend_from_snapshots(list_snapshots(folder))
    overall = trend[trend["type"] == "all"]
    assert overall["rci"].tolist() == [60.0, 55.0]
    assert overall["strength"].tolist() == pytest.approx([0.8, 0.56])
    partner = trend[trend["type"] == "partner"]
    assert partner["name"].tolist() == ["2025 Q2"] and partner["strength"].tolist() == [0.7]


def test_network_hash_ignores_row_order():
    net = _network(
        [("o", "O", "organization"), ("c", "C", "customer")], [("c", "o", "BUYS_FROM", 0.5)]
    )
    shuffled = Network(nodes=net.nodes.iloc[::-1].reset_index(drop=True), edges=net.edges)
    assert network_hash(net) == network_hash(shuffled)


def test_match_communities_prefers_largest_overlap():
    before = pd.Series({"a": 1, "b": 1, "c": 1, "d": 2, "e": 2})
    after = pd.Series({"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"})
    assert match_communities(before, after) == {"x": 1, "y": 2}
