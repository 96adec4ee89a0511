"""`graphcap snapshot` and `graphcap export` end to end on a snapshot file (no Neo4j needed)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from PIL import Image

from graphcap.cli import cli
from graphcap.sample import sample_small
from graphcap.snapshot import write_snapshot


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path / "data"))
    source = tmp_path / "source.gcap"
    write_snapshot(sample_small(), source)
    return tmp_path, source


def _run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_snapshot_create_list_show_diff(env):
    tmp, source = env
    net = sample_small()
    _run("snapshot", "create", "--from", str(source), "--name", "Q3 board")
    out = _run(
        "snapshot", "create", "--from", str(source), "--name", "Q4 suppliers", "--type", "supplier"
    )
    assert "Q4 suppliers" in out
    listing = json.loads(_run("snapshot", "list", "--json"))
    assert [r["name"] for r in listing] == ["Q3 board", "Q4 suppliers"]
    n_sup = int((net.nodes["type"].isin(["supplier", "organization"])).sum())
    assert listing[0]["stakeholders"] == len(net.nodes) and listing[1]["stakeholders"] == n_sup
    shown = _run("snapshot", "show", "Q4 suppliers")
    assert "node_types" in shown and "supplier" in shown
    diff = json.loads(_run("snapshot", "diff", "Q3 board", "Q4 suppliers", "--json"))
    removed = len(net.nodes) - n_sup
    assert len(diff["stakeholders_removed"]) == removed
    assert diff["summary"][1] == f"0 stakeholders added, {removed} removed"


def test_export_snapshot_all_formats(env):
    tmp, source = env
    _run("snapshot", "create", "--from", str(source), "--name", "Q3")
    _run(
        "snapshot",
        "create",
        "--from",
        str(source),
        "--name",
        "Q4/../board",
        "--min-strength",
        "0.4",
    )
    out_dir = tmp / "out"
    out = _run(
        "export",
        "all",
        "--snapshot",
        "Q4/../board",
        "--out",
        str(out_dir),
        "--width",
        "800",
        "--height",
        "600",
        "--dpi",
        "100",
    )
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == sorted(
        [
            "Q4_.._board.html",
            "Q4_.._board.png",
            "Q4_.._board.svg",
            "Q4_.._board.pdf",
            "Q4_.._board.graphml",
            "Q4_.._board.gexf",
            "Q4_.._board_csv",
            "Q4_.._board.xlsx",
            "Q4_.._board.json",
        ]
    )
    assert "pdf" in out
    with Image.open(out_dir / "Q4_.._board.png") as img:
        assert img.size == (800, 600)
    assert sorted(p.name for p in (out_dir / "Q4_.._board_csv").iterdir()) == sorted(
        [
            "nodes.csv",
            "edges.csv",
            "interactions.csv",
            "metrics.csv",
            "risks.csv",
            "communities.csv",
            "rci.csv",
            "rci_by_type.csv",
        ]
    )
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(out_dir / "Q4_.._board.pdf").pages]
    changes = next(i for i, p in enumerate(pages) if p.splitlines()[1] == "What changed")
    assert "Since Q3" in pages[changes]  # the report compares with the previous snapshot


def test_export_current_view_from_file(env):
    tmp, source = env
    out = _run(
        "export",
        "graphml",
        "json",
        "--from",
        str(source),
        "--type",
        "customer",
        "--out",
        str(tmp / "o"),
        "--name",
        "customers",
    )
    assert "customers.graphml" in out
    doc = json.loads((tmp / "o" / "customers.json").read_text("utf-8"))
    assert {n["type"] for n in doc["nodes"]} == {"customer", "organization"}


def test_drawn_formats_share_one_layout_that_each_would_have_computed() -> None:
    from graphcap.analysis import analyze
    from graphcap.export.bundle import gexf_viz, shared_layout
    from graphcap.export.image import view_frames
    from graphcap.picture.render import network_payload

    net = sample_small()
    analysis = analyze(net)
    shared = shared_layout(analysis.network, analysis)
    nodes, edges = view_frames(analysis.network, analysis)
    assert network_payload((nodes, edges)) == network_payload((nodes, edges), positions=shared)
    own = gexf_viz(analysis.network, analysis)["positions"]
    assert own == gexf_viz(analysis.network, analysis, shared)["positions"]
    assert set(own) == set(analysis.nodes["id"])
