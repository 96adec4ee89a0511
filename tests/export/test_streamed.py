"""`graphcap export` above ``app_full_analysis_max_relationships`` against a real Neo4j: a small
network with the limit set low stands for a large one. The files hold every stakeholder and
relationship with the stored metrics, read in batches of a few rows; checked against the
network imported and the analysis written back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphcap.analysis import analyze
from graphcap.cli import cli
from graphcap.compute import write_back
from graphcap.export import streamed
from graphcap.export.tables import read_json
from graphcap.store import Neo4jStore
from graphcap.store import scale as reads
from tests.ui.netfactory import make_network

pytestmark = pytest.mark.integration


def _refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise AssertionError("the whole network was read at scale")


@pytest.fixture
def big(store, neo4j_env, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    net = make_network(40, seed=11)
    store.import_network(net)
    ana = analyze(net)
    write_back(store, ana, run={"seconds": 1.0, "source": "test"})
    monkeypatch.setenv("GRAPHCAP_APP_FULL_ANALYSIS_MAX_RELATIONSHIPS", "10")
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(reads, "BATCH", 7)  # many batches, a few rows each
    monkeypatch.setattr(Neo4jStore, "read_network", _refuse)
    return net, ana


def _export(out: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["export", *args, "--out", str(out)], catch_exceptions=False)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_holds_every_row_with_the_stored_metrics(big, tmp_path):  # type: ignore[no-untyped-def]
    net, ana = big
    result = _export(tmp_path / "out", "csv")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "Relational capital_csv"
    nodes = _rows(folder / "nodes.csv")
    assert sorted(r["id"] for r in nodes) == sorted(net.nodes["id"].astype(str))
    pagerank = dict(zip(ana.nodes["id"].astype(str), ana.nodes["pagerank"], strict=True))
    for r in nodes:
        assert float(r["m_pagerank"]) == pytest.approx(pagerank[r["id"]], rel=1e-12)
    names = dict(zip(net.nodes["id"].astype(str), net.nodes["name"].astype(str), strict=True))
    for r in nodes:  # formula-looking names are neutralised as in the normal CSV export
        name = names[r["id"]]
        assert r["name"] in (name, "'" + name)
    edges = _rows(folder / "edges.csv")
    key = lambda f: sorted(zip(f["source"], f["target"], f["type"], strict=True))  # noqa: E731
    want = net.edges.astype({"source": str, "target": str, "type": str})
    assert sorted((r["source"], r["target"], r["type"]) for r in edges) == key(want)
    strength = {
        (str(a), str(b), str(t)): s
        for a, b, t, s in ana.edges[["source", "target", "type", "strength"]].itertuples(
            index=False
        )
    }
    for r in edges:
        assert float(r["m_strength"]) == pytest.approx(
            strength[r["source"], r["target"], r["type"]]
        )
    assert (folder / "nodes.csv").read_bytes().startswith(b"\xef\xbb\xbfid,name,type,")


def test_json_is_a_node_link_document_of_every_row(big, tmp_path):  # type: ignore[no-untyped-def]
    net, _ana = big
    result = _export(tmp_path / "out", "json")
    assert result.exit_code == 0, result.output
    path = tmp_path / "out" / "Relational capital.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["graph"]["stakeholders"] == len(net.nodes)
    assert all(e["key"] == e["type"] for e in doc["edges"])
    back = read_json(path)
    assert sorted(back.nodes["id"].astype(str)) == sorted(net.nodes["id"].astype(str))
    assert len(back.edges) == len(net.edges)
    assert "m_pagerank" in back.nodes.columns


def test_xlsx_alone_is_refused_before_anything_is_written(big, tmp_path):  # type: ignore[no-untyped-def]
    result = _export(tmp_path / "out", "csv", "xlsx")
    assert result.exit_code != 0
    assert "xlsx not written" in result.output and "nothing was written" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_xlsx_row_limit_is_said_precisely() -> None:
    text = streamed.xlsx_problem(1_000_000, 5_000_000)
    assert "at most 1,048,576 rows (1 header + 1,048,575 data rows)" in text
    assert "1,000,000 stakeholders and 5,000,000 relationships" in text
    assert "row" not in streamed.xlsx_problem(1_000, 300_000).split(";")[0].split("(")[0]


def test_all_writes_the_sensible_formats_and_says_what_it_left_out(big, tmp_path):  # type: ignore[no-untyped-def]
    result = _export(tmp_path / "out", "all", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [f["format"] for f in doc["files"]] == ["html", "png", "svg", "csv", "csv", "json"]
    assert sorted(doc["left_out"]) == ["gexf", "graphml", "pdf", "xlsx"]
    for fmt in ("pdf", "graphml", "gexf", "xlsx"):
        assert f"left out: {fmt} not written" in result.stderr
    for f in doc["files"]:
        assert Path(f["path"]).stat().st_size > 0


def test_a_filter_is_refused_at_scale(big, tmp_path):  # type: ignore[no-untyped-def]
    result = _export(tmp_path / "out", "csv", "--type", "supplier")
    assert result.exit_code != 0
    assert "filters (--type) are not applied" in result.output
    assert not (tmp_path / "out" / "Relational capital_csv").exists()


def test_the_pictures_draw_the_top_by_stored_pagerank(big, store, monkeypatch):  # type: ignore[no-untyped-def]
    net, ana = big
    monkeypatch.setattr(reads, "BATCH", 50_000)
    from graphcap.export import streamed as mod

    monkeypatch.setattr(mod, "MAX_DRAWN_NODES", 5)
    nodes, edges, metric = mod.capped_frames(store, {"pagerank"})
    assert metric == "pagerank"
    ranked = ana.nodes.assign(id=ana.nodes["id"].astype(str)).sort_values(
        ["pagerank", "id"], ascending=[False, True]
    )
    top = ranked["id"].head(5).tolist()
    assert nodes["id"].astype(str).tolist() == top
    among = net.edges[
        net.edges["source"].astype(str).isin(top) & net.edges["target"].astype(str).isin(top)
    ]
    assert len(edges) == len(among)
