"""The PDF report: produced without network access, opens (pdftoppm renders every page), and
says the right things (title, counts, RCI, risks, changes) — checked by text extraction."""

from __future__ import annotations

import shutil
import socket
import subprocess

import pytest
from pypdf import PdfReader

from graphcap.analysis import analyze
from graphcap.export.report import export_report
from graphcap.graph.projection import NetworkFilter, apply_filter
from graphcap.history import create_snapshot, diff_snapshots, load_content, stored_analysis
from graphcap.sample import sample_small
from tests.support import require


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _text(path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def test_report_from_live_analysis(tmp_path, no_network):
    net = sample_small()
    analysis = analyze(net)
    path = export_report(net, analysis, tmp_path, stem="report",
                         title="Relational capital — Müller & Co. <Q3>")
    reader = PdfReader(path)
    assert len(reader.pages) == 6
    assert reader.metadata.title == "Relational capital — Müller & Co. <Q3>"
    pages = _text(path)
    assert "Relational capital — Müller & Co. <Q3>" in pages[0]
    assert f"{analysis.rci.score:.1f}" in pages[0]
    assert f"{len(net.nodes)} stakeholders" in pages[0]
    assert f"{len(net.edges)} relationships" in pages[0]
    for t, n in net.counts_by_type()["nodes"].items():
        assert t in pages[0] and str(n) in pages[0]
    top = analysis.nodes[analysis.nodes["type"] != "organization"].sort_values(
        "pagerank", ascending=False)["name"].iloc[0]
    assert top[:20] in pages[2]
    assert f"At-risk relationships ({len(analysis.risks)})" in pages[3]
    assert analysis.risks["name"].iloc[0][:15] in pages[3]
    assert "first snapshot" in pages[5]


def test_report_from_snapshot_with_changes_renders(tmp_path, no_network):
    net = sample_small()
    later = apply_filter(net, NetworkFilter(min_strength=0.4))
    folder = tmp_path / "snaps"
    a = create_snapshot(net, name="Q3", folder=folder, analysis=analyze(net))
    b = create_snapshot(later, name="Q4", folder=folder, analysis=analyze(later))
    content = load_content(b)
    diff = diff_snapshots(a, b)
    assert len(diff.lost) == len(net.edges) - len(later.edges) > 0
    path = export_report(content.network, stored_analysis(content), tmp_path, stem="q4",
                         title="Board pack Q4", provenance=content.meta, diff=diff,
                         previous_name="Q3")
    pages = _text(path)
    assert "Q4" in pages[0] and "min_strength=0.4" in pages[0]
    assert f"Relationships gained (0) and lost ({len(diff.lost)})" in pages[5]
    assert f"RCI {diff.rci_before:.1f} → {diff.rci_after:.1f}" in pages[5]
    require(shutil.which("pdftoppm") is not None, "pdftoppm", "apt-get install poppler-utils")
    out = subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "pg")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert len(list(tmp_path.glob("pg-*.png"))) == 6


def test_report_with_hostile_names(tmp_path, no_network):
    from tests.export.netcases import hostile_network

    net = hostile_network()
    path = export_report(net, analyze(net), tmp_path, stem="hostile",
                         title="$Board$ <script>alert(1)</script>")
    pages = _text(path)
    assert "$Board$ <script>alert(1)</script>" in pages[0]  # text, not math, not markup
    assert f"{len(net.nodes)} stakeholders" in pages[0]
    assert "Müller & Söhne <GmbH>" in "".join(pages)
