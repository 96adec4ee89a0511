"""The analysis facade: columns, consistency with the metric modules, caching, bad input."""

from __future__ import annotations

import importlib

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graphcap.analysis import Analysis, analyze, clear_cache, network_hash
from graphcap.errors import MetricError
from graphcap.model import Network
from graphcap.sample import sample_small
from tests.metrics.test_rci import (
    worked_example,  # the network of the worked example in docs/METRICS.md
)

analysis_mod = importlib.import_module("graphcap.analysis")
AS_OF = pd.Timestamp("2025-06-30")

NODE_COLUMNS = [
    "id",
    "name",
    "type",
    "value",
    "value_share",
    "value_pct",
    "spend",
    "volume_with_focal",
    "tie_strength",
    "hops",
    "via",
    "engagement",
    "degree",
    "weighted_degree",
    "betweenness",
    "closeness",
    "harmonic",
    "eigenvector",
    "pagerank",
    "reach2",
    "core_number",
    "betweenness_pct",
    "constraint",
    "effective_size",
    "is_articulation",
    "dependents",
    "gatekeeper",
    "community",
    "power_data",
    "interest_data",
    "quadrant",
    "pagerank_pct",
    "dependence",
    "engagement_pct",
    "quadrant_manual",
    "power_gap",
    "interest_gap",
    "grid_gap",
    "grid_note",
    "risk_score",
    "risk_points",
    "at_risk",
    "single_threaded",
    "risk_reasons",
]
# documented as missing where there is nothing to say (unreachable, direct tie, no manual grid)
MAY_BE_MISSING = {"hops", "via", "gatekeeper", "quadrant_manual"}


def _metric_columns(a: Analysis) -> list[str]:
    given = set(a.network.nodes.columns)
    return [c for c in a.nodes.columns if c not in given and c not in MAY_BE_MISSING]


def _no_missing_metrics(a: Analysis) -> None:
    cols = _metric_columns(a)
    missing = a.nodes[cols].isna().sum()
    assert missing.sum() == 0, missing[missing > 0].to_dict()
    numeric = a.nodes[cols].select_dtypes("number")
    assert np.isfinite(numeric.to_numpy(dtype=float)).all()
    assert np.isfinite(a.rci.score) and 0 <= a.rci.score <= 100


def test_worked_example_through_the_facade() -> None:
    a = analyze(worked_example())
    assert a.rci.score == pytest.approx(18.056, abs=1e-3)
    assert a.params["as_of"] == "2025-06-30"
    nodes = a.nodes.set_index("id")
    assert list(a.nodes.columns[:3]) == ["id", "name", "type"]
    assert set(NODE_COLUMNS) <= set(a.nodes.columns)
    assert nodes.loc["C1", "tie_strength"] == pytest.approx(0.9)
    assert nodes.loc["S1", "value"] == 100.0
    assert bool(nodes.loc["C2", "at_risk"]) and not bool(nodes.loc["C1", "at_risk"])
    assert "contract ends in 30 days" in nodes.loc["C2", "risk_reasons"]
    assert nodes["single_threaded"].sum() == 4  # C1, C2, S1 and the rival behind C1
    assert a.edges["is_bridge"].all()  # a star: every tie is a bridge
    assert a.concentration["hhi_customers"] == pytest.approx((2 / 3) ** 2 + (1 / 3) ** 2)
    assert a.concentration["value_basis"] == "revenue" and a.concentration["total_value"] == 900.0
    assert a.concentration["kinds"]["spend"]["total"] == 100.0
    assert a.lorenz["value_share"].iloc[-1] == pytest.approx(1.0)
    _no_missing_metrics(a)


def test_columns_agree_with_networkx_on_the_projection() -> None:
    a = analyze(sample_small(), seed=3)
    G = a.graph
    nodes = a.nodes.set_index("id")
    pr = nx.pagerank(G, weight="weight", tol=1e-12)
    assert nodes["pagerank"].to_dict() == pytest.approx(pr, abs=1e-6)
    constraint = nx.constraint(G, weight="weight")
    assert nodes["constraint"].to_dict() == pytest.approx(constraint, abs=1e-6)
    bridges = {frozenset(e) for e in nx.bridges(G)}
    flagged = {
        frozenset((s, t))
        for s, t, b in a.edges[["source", "target", "is_bridge"]].itertuples(index=False)
        if b
    }
    assert flagged == bridges & flagged and flagged  # every flagged tie is a bridge of G
    assert set(nodes.index[nodes["is_articulation"]]) == set(nx.articulation_points(G))
    sizes = nodes.groupby("community").size().sort_values(ascending=False)
    assert a.communities["size"].tolist() == sizes.tolist()
    assert a.modularity == pytest.approx(
        nx.community.modularity(
            G, [set(g.index) for _, g in nodes.groupby("community")], weight="weight"
        )
    )
    _no_missing_metrics(a)


def test_cached_per_content_and_parameters() -> None:
    clear_cache()
    net = worked_example()
    first = analyze(net)
    copy = Network(net.nodes.copy(), net.edges.copy(), net.interactions.copy(), dict(net.meta))
    again = analyze(copy)  # same content, same parameters: the cached result, copied
    assert again.graph is first.graph and again is not first
    assert again.nodes.equals(first.nodes)
    assert analyze(net, as_of="2025-07-01").graph is not first.graph
    assert analyze(net, seed=1).graph is not first.graph
    changed = Network(
        net.nodes, net.edges.assign(strength=[0.9, 0.6, 0.8, 0.6, -0.6]), meta=net.meta
    )
    assert network_hash(changed) != network_hash(net)
    assert analyze(changed).rci.score != first.rci.score


def test_as_of_defaults_to_today_without_meta() -> None:
    net = worked_example()
    net = Network(net.nodes, net.edges)
    assert analyze(net).params["as_of"] == pd.Timestamp.today().date().isoformat()


def test_methods_for_pages() -> None:
    net = worked_example()
    extra = Network(
        pd.concat(
            [net.nodes, pd.DataFrame({"id": ["P"], "name": ["Pal"], "type": ["partner"]})],
            ignore_index=True,
        ),
        pd.concat(
            [
                net.edges,
                pd.DataFrame(
                    {
                        "source": ["P", "P"],
                        "target": ["C1", "O"],
                        "type": ["REFERS", "PARTNERS_WITH"],
                        "strength": [0.9, 0.2],
                    }
                ),
            ],
            ignore_index=True,
        ),
        meta=net.meta,
    )
    a = analyze(extra)
    intro = a.warm_introductions("P")
    assert intro.loc[0, "path"] == ["O", "C1", "P"]
    assert intro.loc[0, "strength"] == pytest.approx(0.81)
    w = a.what_if("C1")
    assert w.rci_before == pytest.approx(a.rci.score)
    assert w.value_direct == 600.0 and w.cut_off["id"].tolist() == ["K1"]  # the rival behind C1
    assert w.rci_after <= w.rci_before
    table = a.explain(0)
    assert table["contribution"].sum() == pytest.approx(a.edges.loc[0, "strength"])


def _net(nodes: list[tuple[str, str]], edges: list[tuple], **cols) -> Network:
    n = pd.DataFrame(nodes, columns=["id", "type"]).assign(name=lambda f: f["id"].str.upper())
    for key, values in cols.items():
        n[key] = values
    e = pd.DataFrame(
        edges,
        columns=["source", "target", "type", "strength"][: len(edges[0])]
        if edges
        else ["source", "target", "type"],
    )
    return Network(n, e, meta={"as_of": AS_OF})


@pytest.mark.parametrize(
    "case",
    ["empty", "one_node", "no_focal", "disconnected", "zero_missing", "self_loop", "no_revenue"],
)
def test_bad_input_gives_a_defined_result(case: str) -> None:
    if case == "empty":
        net = Network(
            pd.DataFrame(columns=["id", "name", "type"]),
            pd.DataFrame(columns=["source", "target", "type"]),
        )
    elif case == "one_node":
        net = _net([("o", "organization")], [])
    elif case == "no_focal":
        net = _net(
            [("a", "customer"), ("b", "customer")], [("a", "b", "REFERS", 0.5)], revenue=[1.0, 2.0]
        )
    elif case == "disconnected":
        net = _net(
            [("o", "organization"), ("a", "customer"), ("b", "customer"), ("c", "partner")],
            [("a", "o", "BUYS_FROM", 0.7), ("b", "c", "REFERS", 0.4)],
            revenue=[np.nan, 5.0, 7.0, np.nan],
        )
    elif case == "zero_missing":
        net = _net(
            [("o", "organization"), ("a", "customer"), ("b", "supplier")],
            [("a", "o", "BUYS_FROM", 0.0), ("b", "o", "SUPPLIES", np.nan)],
            revenue=[np.nan, 5.0, 0.0],
        )
    elif case == "self_loop":
        net = _net(
            [("o", "organization"), ("a", "customer")],
            [("a", "a", "REFERS", 0.9), ("a", "o", "BUYS_FROM", 0.6), ("o", "o", "SERVES", 0.5)],
        )
    else:
        net = _net(
            [("o", "organization"), ("a", "customer"), ("b", "partner")],
            [("a", "o", "BUYS_FROM", 0.6), ("b", "a", "REFERS", 0.3)],
        )
    a = analyze(net)
    assert len(a.nodes) == len(net.nodes)
    _no_missing_metrics(a)
    assert a.edges["strength"].notna().all()
    if case in ("empty", "one_node"):
        assert a.rci.score == 0.0 and a.rci.notes
    if case == "no_focal":
        assert a.rci.score == 0.0 and "no focal organisation" in a.rci.notes[0]
        assert a.risks.empty and (a.nodes["tie_strength"] == 0).all()
    if case == "disconnected":
        nodes = a.nodes.set_index("id")
        assert nodes.loc["b", "tie_strength"] == 0.0 and pd.isna(nodes.loc["b", "hops"])
    if case == "no_revenue":
        assert a.concentration["value_basis"] == "none"
        assert "diversification" not in set(a.rci.dimensions["dimension"])


def test_relationship_to_an_unknown_stakeholder_is_a_clear_error() -> None:
    net = _net([("o", "organization")], [("ghost", "o", "BUYS_FROM", 0.5)])
    with pytest.raises(MetricError, match="not stakeholders"):
        analyze(net)
