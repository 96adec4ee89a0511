"""Warm introductions and tie strength: hand-computed strongest paths, brute force, bad input."""

from __future__ import annotations

import itertools
import math
import random

import networkx as nx
import pandas as pd
import pytest

from graphcap.errors import MetricError
from graphcap.graph.projection import to_weighted
from graphcap.metrics.paths import FOCAL, contract_focal, tie_strengths, warm_introductions
from graphcap.model import Network


def _graph() -> nx.Graph:
    # org -a- t: 0.9 * 0.6 = 0.54; org -b- c- t: 0.8 * 0.9 * 0.9 = 0.648; org - t: 0.5
    return nx.Graph(
        [
            ("org", "a", {"strength": 0.9}),
            ("a", "t", {"strength": 0.6}),
            ("org", "b", {"strength": 0.8}),
            ("b", "c", {"strength": 0.9}),
            ("c", "t", {"strength": 0.9}),
            ("org", "t", {"strength": 0.5}),
            ("x", "y", {"strength": 1.0}),
        ]
    )


def test_strongest_path_and_alternatives_by_hand() -> None:
    w = warm_introductions(_graph(), ["org"], "t", k=10)
    assert w["path"].tolist() == [["org", "b", "c", "t"], ["org", "a", "t"], ["org", "t"]]
    assert w["strength"].tolist() == pytest.approx([0.648, 0.54, 0.5])
    assert w["hops"].tolist() == [3, 2, 1]
    assert w.loc[0, "weakest"] == pytest.approx(0.8)
    assert w["rank"].tolist() == list(range(1, len(w) + 1))
    assert w["strength"].is_monotonic_decreasing


def _brute_force_best(G: nx.Graph, source: str, target: str) -> float:
    best = 0.0
    for path in nx.all_simple_paths(G, source, target):
        best = max(best, math.prod(G[u][v]["strength"] for u, v in itertools.pairwise(path)))
    return best


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tie_strength_matches_brute_force(seed: int) -> None:
    G = nx.gnm_random_graph(9, 16, seed=seed)
    rng = random.Random(seed)
    for u, v in G.edges:
        G[u][v]["strength"] = rng.uniform(0.05, 1.0)
    ties = tie_strengths(G, [0]).set_index("id")
    for node in G:
        expected = (
            1.0
            if node == 0
            else (_brute_force_best(G, 0, node) if nx.has_path(G, 0, node) else 0.0)
        )
        assert ties.loc[node, "tie_strength"] == pytest.approx(expected)
        if node != 0 and expected > 0:
            best = warm_introductions(G, [0], node, k=1)
            assert best.loc[0, "strength"] == pytest.approx(expected)


def test_several_business_units_act_as_one_source() -> None:
    G = nx.Graph(
        [
            ("o1", "a", {"strength": 0.3}),
            ("o2", "a", {"strength": 0.7}),
            ("a", "t", {"strength": 0.5}),
            ("o1", "t", {"strength": 0.2}),
        ]
    )
    w = warm_introductions(G, ["o1", "o2"], "t")
    assert w.loc[0, "path"] == ["o2", "a", "t"]
    assert w.loc[0, "strength"] == pytest.approx(0.35)
    assert FOCAL not in itertools.chain.from_iterable(w["path"])
    H = contract_focal(G, ["o1", "o2"])
    assert H[FOCAL]["a"]["strength"] == 0.7


def test_on_the_projection_of_a_network() -> None:
    net = Network(
        pd.DataFrame(
            {
                "id": ["o", "a", "t"],
                "name": ["Org", "Alpha", "Target"],
                "type": ["organization", "partner", "customer"],
            }
        ),
        pd.DataFrame(
            {
                "source": ["a", "t", "t"],
                "target": ["o", "a", "o"],
                "type": ["PARTNERS_WITH", "REFERS", "BUYS_FROM"],
                "strength": [0.9, 0.8, 0.6],
            }
        ),
    )
    w = warm_introductions(to_weighted(net), net.focal_ids(), "t")
    assert w.loc[0, "path_text"] == "Org → Alpha → Target"
    assert w.loc[0, "strength"] == pytest.approx(0.72)


def test_unreachable_target_gives_no_path() -> None:
    assert warm_introductions(_graph(), ["org"], "x").empty
    ties = tie_strengths(_graph(), ["org"]).set_index("id")
    assert ties.loc["x", "tie_strength"] == 0.0
    assert pd.isna(ties.loc["x", "hops"])
    assert ties.loc["org", "tie_strength"] == 1.0


def test_zero_strength_and_self_loops_carry_no_path() -> None:
    G = nx.Graph([("o", "a", {"strength": 0.0}), ("a", "a", {"strength": 1.0})])
    assert warm_introductions(G, ["o"], "a").empty
    assert tie_strengths(G, ["o"]).set_index("id").loc["a", "tie_strength"] == 0.0


@pytest.mark.parametrize(
    ("focal", "target", "k", "message"),
    [
        ([], "t", 3, "no focal organisation"),
        (["org"], "nobody", 3, "not in the network"),
        (["org"], "org", 3, "focal organisation itself"),
        (["org"], "t", 0, "at least 1"),
    ],
)
def test_bad_requests_are_clear_errors(focal: list[str], target: str, k: int, message: str) -> None:
    with pytest.raises(MetricError, match=message):
        warm_introductions(_graph(), focal, target, k=k)
