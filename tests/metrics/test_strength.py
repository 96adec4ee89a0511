"""Relationship strength: hand-computed decay, given/default strength, explanations, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphcap.config.metric_params import StrengthConfig
from graphcap.errors import ConfigError, MetricError
from graphcap.metrics.strength import (
    COMPONENT_COLUMNS,
    DEFAULT_STRENGTH,
    compute_strength,
    explain_strength,
    resolve_as_of,
)
from graphcap.model import Network

AS_OF = pd.Timestamp("2025-06-30")


def _net(
    edges: dict, log: list[tuple[str, str, str]] | None = None, meta: dict | None = None
) -> Network:
    nodes = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "name": ["A", "B", "C"],
            "type": ["organization", "customer", "supplier"],
        }
    )
    interactions = pd.DataFrame(log or [], columns=["date", "source", "target"])
    interactions["date"] = pd.to_datetime(interactions["date"])
    return Network(nodes, pd.DataFrame(edges), interactions, meta=meta or {})


def test_decay_frequency_reciprocity_by_hand() -> None:
    # Interactions today and 360 days ago from a, 180 days ago from b; half-life 180 days.
    log = [
        (AS_OF.strftime("%Y-%m-%d"), "a", "b"),
        ((AS_OF - pd.Timedelta(days=360)).strftime("%Y-%m-%d"), "a", "b"),
        ((AS_OF - pd.Timedelta(days=180)).strftime("%Y-%m-%d"), "b", "a"),
    ]
    net = _net(
        {
            "source": ["b"],
            "target": ["a"],
            "type": ["BUYS_FROM"],
            "trust": [0.6],
            "responsiveness": [1.0],
        },
        log,
    )
    row = compute_strength(net, as_of=AS_OF).edges.iloc[0]

    quality = (0.35 * 0.6 + 0.2 * 1.0) / (0.35 + 0.2)
    decayed = 1.0 + 0.25 + 0.5
    frequency = decayed / (decayed + 4.0)
    recency = 1.0
    reciprocity = 1 - abs(2 - 1) / 3
    interaction = (recency + frequency + reciprocity) / 3
    expected = 0.7 * quality + 0.3 * interaction
    assert row["strength_quality"] == pytest.approx(quality)
    assert row["strength_frequency"] == pytest.approx(frequency)
    assert row["strength_recency"] == pytest.approx(recency)
    assert row["strength_reciprocity"] == pytest.approx(reciprocity)
    assert row["strength"] == pytest.approx(expected)
    assert row["strength"] == pytest.approx(0.718920, abs=1e-6)
    assert row["strength_source"] == "derived"


def test_half_life_and_interaction_weight_are_honoured() -> None:
    log = [((AS_OF - pd.Timedelta(days=30)).strftime("%Y-%m-%d"), "a", "b")]
    net = _net({"source": ["b"], "target": ["a"], "type": ["BUYS_FROM"], "trust": [0.5]}, log)
    cfg = StrengthConfig(weights={"trust": 1.0}, interaction_weight=0.5, half_life_days=30)
    row = compute_strength(net, cfg, as_of=AS_OF).edges.iloc[0]
    interaction = (0.5 + 0.5 / 4.5 + 0.0) / 3  # one contact one half-life ago, one-sided
    assert row["strength"] == pytest.approx(0.5 * 0.5 + 0.5 * interaction)


def test_future_interactions_are_ignored() -> None:
    log = [((AS_OF + pd.Timedelta(days=10)).strftime("%Y-%m-%d"), "a", "b")]
    net = _net({"source": ["b"], "target": ["a"], "type": ["BUYS_FROM"], "trust": [0.8]}, log)
    row = compute_strength(net, as_of=AS_OF).edges.iloc[0]
    assert row["strength"] == pytest.approx(0.8)
    assert math.isnan(row["strength_interaction"])


def test_given_strength_is_kept_and_marked() -> None:
    net = _net(
        {
            "source": ["b", "c"],
            "target": ["a", "a"],
            "type": ["BUYS_FROM", "SUPPLIES"],
            "strength": [0.33, None],
            "trust": [0.9, 0.9],
        }
    )
    edges = compute_strength(net, as_of=AS_OF).edges
    assert edges["strength"].tolist() == pytest.approx([0.33, 0.9])
    assert edges["strength_source"].tolist() == ["given", "derived"]


def test_nothing_known_gives_the_neutral_default() -> None:
    net = _net({"source": ["b"], "target": ["a"], "type": ["BUYS_FROM"]})
    row = compute_strength(net, as_of=AS_OF).edges.iloc[0]
    assert row["strength"] == DEFAULT_STRENGTH
    assert row["strength_source"] == "default"


def test_missing_dimensions_renormalise_the_weights() -> None:
    net = _net(
        {
            "source": ["b", "c"],
            "target": ["a", "a"],
            "type": ["BUYS_FROM", "SUPPLIES"],
            "trust": [1.0, np.nan],
            "commitment": [0.0, 0.5],
        }
    )
    edges = compute_strength(net, as_of=AS_OF).edges
    assert edges["strength"].tolist() == pytest.approx([0.35 / 0.6, 0.5])


def test_edge_columns_stand_in_for_a_missing_log() -> None:
    net = _net(
        {
            "source": ["b"],
            "target": ["a"],
            "type": ["BUYS_FROM"],
            "last_contact": [AS_OF - pd.Timedelta(days=90)],
            "interactions": [4],
        }
    )
    row = compute_strength(net, as_of=AS_OF).edges.iloc[0]
    recency = 0.5 ** (90 / 180)
    frequency = 4 / (4 + 4.0)
    assert row["strength"] == pytest.approx((recency + frequency) / 2)
    assert math.isnan(row["strength_reciprocity"])


def test_explanations_add_up_for_every_kind_of_edge() -> None:
    log = [("2025-06-01", "a", "b"), ("2025-05-01", "b", "a")]
    net = _net(
        {
            "source": ["b", "c", "c", "b"],
            "target": ["a", "a", "b", "c"],
            "type": ["BUYS_FROM", "SUPPLIES", "SUPPLIES", "REFERS"],
            "strength": [None, 0.2, None, None],
            "trust": [0.7, None, 0.4, None],
            "mutual_interest": [0.9, None, None, None],
        },
        log,
    )
    edges = compute_strength(net, as_of=AS_OF).edges
    for _, row in edges.iterrows():
        table = explain_strength(row)
        assert list(table.columns) == ["component", "value", "weight", "contribution"]
        assert table["contribution"].sum() == pytest.approx(row["strength"])
        assert table["weight"].sum() == pytest.approx(1.0)
    assert explain_strength(edges.iloc[1])["component"].tolist() == ["given"]
    assert explain_strength(edges.iloc[3])["component"].tolist() == ["default"]


@pytest.mark.parametrize(
    "edges",
    [
        {"source": [], "target": [], "type": []},
        {"source": ["b"], "target": ["b"], "type": ["REFERS"], "trust": [0.4]},  # self-loop
        {"source": ["b"], "target": ["a"], "type": ["BUYS_FROM"], "trust": [7.0], "strength": [-1]},
    ],
)
def test_bad_input_gives_defined_values(edges: dict) -> None:
    out = compute_strength(_net(edges), as_of=AS_OF).edges
    assert set(COMPONENT_COLUMNS) <= set(out.columns)
    assert out["strength"].between(-1, 1).all()  # signed: a given -1 is distrust
    assert not out["strength"].isna().any()


def test_as_of_comes_from_meta_or_fails_clearly() -> None:
    net = _net(
        {"source": ["b"], "target": ["a"], "type": ["BUYS_FROM"]}, meta={"as_of": "2024-02-29"}
    )
    assert resolve_as_of(net) == pd.Timestamp("2024-02-29")
    assert compute_strength(net).meta["strength_as_of"] == "2024-02-29"
    with pytest.raises(MetricError, match="as_of"):
        resolve_as_of(net, "not a date")


def test_bad_config_is_refused() -> None:
    with pytest.raises(ConfigError):
        StrengthConfig(weights={"trust": -1.0})


_unit_or_missing = st.one_of(st.none(), st.floats(min_value=-0.5, max_value=1.5, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(
    dims=st.lists(
        st.tuples(_unit_or_missing, _unit_or_missing, _unit_or_missing, _unit_or_missing),
        min_size=1,
        max_size=6,
    ),
    ages=st.lists(st.integers(min_value=-30, max_value=2000), max_size=8),
)
def test_any_input_gives_an_explained_strength_in_unit_range(dims: list, ages: list[int]) -> None:
    n = len(dims)
    edges = {
        "source": ["b"] * n,
        "target": ["a"] * n,
        "type": ["BUYS_FROM"] * n,
        **{
            d: [row[k] for row in dims]
            for k, d in enumerate(("trust", "commitment", "responsiveness", "mutual_interest"))
        },
    }
    log = [
        (
            (AS_OF - pd.Timedelta(days=a)).strftime("%Y-%m-%d"),
            "a" if a % 2 else "b",
            "b" if a % 2 else "a",
        )
        for a in ages
    ]
    out = compute_strength(_net(edges, log), as_of=AS_OF).edges
    assert out["strength"].between(-1, 1).all()  # signed: a given -1 is distrust
    for _, row in out.iterrows():
        assert explain_strength(row)["contribution"].sum() == pytest.approx(row["strength"])


# -- how the data was collected, and signed ties -----------------------------------------------


def _log_net(rows: list[tuple[int, str, str, str]], edge_type: str = "BUYS_FROM") -> Network:
    """Organisation o, customer x; rows (days before AS_OF, source, target, channel)."""
    nodes = pd.DataFrame(
        {"id": ["o", "x"], "name": ["O", "X"], "type": ["organization", "customer"]}
    )
    edges = pd.DataFrame({"source": ["x"], "target": ["o"], "type": [edge_type], "trust": [0.8]})
    log = pd.DataFrame(
        [(AS_OF - pd.Timedelta(days=d), s, t, c) for d, s, t, c in rows],
        columns=["date", "source", "target", "channel"],
    )
    return Network(nodes, edges, log)


def test_a_one_way_log_neither_helps_nor_hurts_reciprocity() -> None:
    # 28 orders logged from the customer's side only: the order log cannot show the other way
    orders = [(d, "x", "o", "order") for d in range(0, 28)]
    row = compute_strength(_log_net(orders), as_of=AS_OF).edges.iloc[0]
    assert math.isnan(row["strength_reciprocity"])
    # interaction = mean of recency and frequency only
    assert row["strength_interaction"] == pytest.approx(
        (row["strength_recency"] + row["strength_frequency"]) / 2
    )
    # a two-way channel on the same pair does count: 1 call each way -> balanced
    mixed = orders + [(3, "o", "x", "call"), (4, "x", "o", "call")]
    assert (
        compute_strength(_log_net(mixed), as_of=AS_OF).edges.iloc[0]["strength_reciprocity"] == 1.0
    )
    # a relationship type declared one-way ignores reciprocity whatever the channel
    calls = [(3, "x", "o", "call"), (4, "x", "o", "call")]
    one_way = StrengthConfig(one_way_types=("buys_from",))
    assert math.isnan(
        compute_strength(_log_net(calls), one_way, as_of=AS_OF).edges.iloc[0][
            "strength_reciprocity"
        ]
    )
    assert (
        compute_strength(_log_net(calls), as_of=AS_OF).edges.iloc[0]["strength_reciprocity"] == 0.0
    )


def test_frequency_is_relative_to_the_stakeholder_types_norm() -> None:
    # three customers with 2, 4 and 8 contacts today, one agency with 1: the customers' norm is
    # the median 4; the agency alone has no norm and falls back to FREQUENCY_SATURATION (4)
    ids = ["o", "c1", "c2", "c3", "g"]
    nodes = pd.DataFrame(
        {"id": ids, "name": ids, "type": ["organization"] + ["customer"] * 3 + ["agency"]}
    )
    edges = pd.DataFrame(
        {"source": ids[1:], "target": ["o"] * 4, "type": ["BUYS_FROM"] * 3 + ["REGULATES"]}
    )
    rows = [
        (AS_OF, c, "o") for c, n in (("c1", 2), ("c2", 4), ("c3", 8), ("g", 1)) for _ in range(n)
    ]
    log = pd.DataFrame(rows, columns=["date", "source", "target"])
    freq = compute_strength(Network(nodes, edges, log), as_of=AS_OF).edges.set_index("source")[
        "strength_frequency"
    ]
    assert freq.to_dict() == pytest.approx({"c1": 2 / 6, "c2": 0.5, "c3": 8 / 12, "g": 1 / 5})
    # six regulators each met once a year are as busy as is usual for regulators: 0.5
    reg = ["o", *[f"r{i}" for i in range(6)]]
    nodes = pd.DataFrame({"id": reg, "name": reg, "type": ["organization"] + ["agency"] * 6})
    edges = pd.DataFrame({"source": reg[1:], "target": ["o"] * 6, "type": ["REGULATES"] * 6})
    log = pd.DataFrame([(AS_OF, r, "o") for r in reg[1:]], columns=["date", "source", "target"])
    freq = compute_strength(Network(nodes, edges, log), as_of=AS_OF).edges["strength_frequency"]
    assert freq.tolist() == pytest.approx([0.5] * 6)


def test_negative_ties_are_first_class() -> None:
    nodes = pd.DataFrame(
        {"id": ["o", "a", "b"], "name": list("OAB"), "type": ["organization", "customer", "agency"]}
    )
    edges = pd.DataFrame(
        {
            "source": ["a", "b", "a"],
            "target": ["o", "o", "b"],
            "type": ["BUYS_FROM", "REGULATES", "REFERS"],
            "trust": [0.9, 0.9, 0.9],
            "sentiment": [-0.7, -0.2, np.nan],
            "strength": [np.nan, np.nan, -1.0],
        }
    )
    out = compute_strength(Network(nodes, edges), as_of=AS_OF).edges
    assert (
        out.loc[0, "strength"] == pytest.approx(-0.7)
        and out.loc[0, "strength_source"] == "negative"
    )
    assert out.loc[1, "strength"] == pytest.approx(0.9)  # mildly negative sentiment: not hostile
    assert out.loc[2, "strength"] == -1.0 and out.loc[2, "strength_source"] == "given"
    table = explain_strength(out.loc[0])
    assert table["contribution"].sum() == pytest.approx(-0.7)
    strict = compute_strength(
        Network(nodes, edges), StrengthConfig(negative_sentiment=-0.1), as_of=AS_OF
    ).edges
    assert strict.loc[1, "strength"] == pytest.approx(-0.2)
