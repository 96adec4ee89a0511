"""``graphcap sample --scale huge``: the chunked generator and its streamed CSV output."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphcap.cli import cli
from graphcap.errors import ConfigError
from graphcap.model.schema import NODE_TYPES, REL_TYPES
from graphcap.sample.huge import huge_chunks


def _whole(**kw: int) -> tuple[pd.DataFrame, pd.DataFrame, list[int]]:
    parts = list(huge_chunks(**kw))
    nodes = pd.concat([n for n, _ in parts], ignore_index=True)
    edges = pd.concat([e for _, e in parts], ignore_index=True)
    return nodes, edges, [len(n) + len(e) for n, e in parts]


@pytest.mark.parametrize(
    ("stakeholders", "relationships", "chunk"),
    [(30_000, 150_000, 7_000), (5_000, 40_000, 5_000), (1_000, 200, 300)],
)
def test_sizes_unique_keys_and_valid_ends(
    stakeholders: int, relationships: int, chunk: int
) -> None:
    nodes, edges, sizes = _whole(
        stakeholders=stakeholders, relationships=relationships, chunk=chunk
    )
    assert len(nodes) == stakeholders and nodes["id"].is_unique
    assert nodes["id"].tolist() == [f"S{i:07d}" for i in range(stakeholders)]
    assert len(edges) == relationships
    assert not edges.duplicated(["source", "type", "target"]).any()
    assert (edges["source"] != edges["target"]).all()
    assert edges["source"].isin(nodes["id"]).all() and edges["target"].isin(nodes["id"]).all()
    assert set(nodes["type"]) <= set(NODE_TYPES) and set(edges["type"]) <= set(REL_TYPES)
    units = nodes.loc[nodes["type"] == "organization", "id"]
    assert len(units) == max(1, stakeholders // 20_000)
    # one chunk at a time: no chunk is much bigger than its share
    per_chunk = chunk + relationships * chunk / stakeholders
    assert max(sizes) <= per_chunk + 2
    if relationships >= stakeholders:
        others = nodes.loc[nodes["type"] != "organization", "id"]
        assert others.isin(edges["source"]).all()  # every stakeholder has a relationship


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    a = _whole(stakeholders=4_000, relationships=16_000, chunk=1_500)
    b = _whole(stakeholders=4_000, relationships=16_000, chunk=1_500)
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])
    c = list(huge_chunks(stakeholders=4_000, relationships=16_000, chunk=1_500, seed=7))
    assert not c[0][1]["target"].equals(a[1]["target"].iloc[: len(c[0][1])])


@pytest.mark.parametrize(
    ("kw", "what"),
    [
        ({"stakeholders": 1}, "stakeholders"),
        ({"relationships": 0}, "relationships"),
        ({"chunk": 0}, "chunk"),
    ],
)
def test_bad_sizes(kw: dict, what: str) -> None:
    with pytest.raises(ConfigError, match=what):
        next(huge_chunks(**{"stakeholders": 100, "relationships": 100, **kw}))


def test_cli_streams_csv_that_the_loader_accepts(tmp_path: Path) -> None:
    from loaders import load_path

    out = tmp_path / "huge"
    result = CliRunner().invoke(
        cli,
        ["sample", "--scale", "huge", "--stakeholders", "2500", "--relationships", "9000",
         "--csv", str(out), "--seed", "3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2500 stakeholders, 9000 relationships" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]
    loaded = load_path(out)
    assert not [p for p in loaded.problems if p.severity == "error"]
    expected_nodes, expected_edges, _ = _whole(stakeholders=2500, relationships=9000, seed=3)
    net = loaded.network
    pd.testing.assert_series_equal(net.nodes["id"], expected_nodes["id"])
    pd.testing.assert_series_equal(net.edges["target"], expected_edges["target"])
    assert (net.nodes["since"] == expected_nodes["since"]).all()
    assert net.edges["trust"].tolist() == expected_edges["trust"].tolist()


def test_cli_huge_needs_csv_and_sizes_need_huge(tmp_path: Path) -> None:
    runner = CliRunner()
    no_csv = runner.invoke(cli, ["sample", "--scale", "huge", "--out", str(tmp_path / "a.gcap")])
    assert no_csv.exit_code == 2 and "--scale huge writes CSV files only" in no_csv.output
    not_huge = runner.invoke(cli, ["sample", "--stakeholders", "100", "--csv", str(tmp_path)])
    assert not_huge.exit_code == 2 and "need --scale huge" in not_huge.output
    assert not list(tmp_path.iterdir())
