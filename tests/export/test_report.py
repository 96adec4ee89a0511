"""The PDF report: produced without network access, opens (pdftoppm renders every page), and
says the right things (title, counts, RCI, risks, changes) — checked by text extraction."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess

import pandas as pd
import pytest
from pypdf import PdfReader

from graphcap.analysis import analyze
from graphcap.export.report import export_report
from graphcap.graph.projection import NetworkFilter, apply_filter
from graphcap.history import create_snapshot, diff_snapshots, load_content, stored_analysis
from graphcap.model import Network
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


SECTIONS = (
    "Summary",
    "The network",
    "Key players",
    "At-risk relationships (",
    "Backtest and risk sweep",
    "Concentration",
    "What changed",
)


def _section(pages: list[str], title: str) -> str:
    """The text of the pages from the one that starts ``title`` to the next section."""

    def starts(page: str) -> str:
        lines = page.splitlines()
        return lines[1] if len(lines) > 1 else ""

    first = next(i for i, p in enumerate(pages) if starts(p) == title)
    end = first + 1
    while end < len(pages) and not starts(pages[end]).startswith(SECTIONS):
        end += 1
    return "\n".join(pages[first:end])


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_report_from_live_analysis(tmp_path, no_network):
    net = sample_small()
    analysis = analyze(net)
    path = export_report(
        net, analysis, tmp_path, stem="report", title="Relational capital — Müller & Co. <Q3>"
    )
    reader = PdfReader(path)
    assert reader.metadata.title == "Relational capital — Müller & Co. <Q3>"
    pages = _text(path)
    for i, page in enumerate(pages, start=1):  # every page: the title and its number
        assert page.startswith("Relational capital — Müller & Co. <Q3>")
        assert f"page {i} of {len(pages)}" in page
    summary = _section(pages, "Summary")
    assert f"{analysis.rci.score:.1f}" in summary
    assert f"{len(net.nodes)} stakeholders" in summary
    assert f"{len(net.edges)} relationships" in summary
    for t, n in net.counts_by_type()["nodes"].items():
        assert f"{t} {n}" in summary
    others = analysis.nodes[analysis.nodes["type"] != "organization"].sort_values(
        ["pagerank", "id"], ascending=[False, True]
    )
    players = _flat(_section(pages, "Key players"))
    assert others["name"].iloc[0] in players
    assert f"Most central stakeholders ({min(100, len(others))} of {len(others)})" in players
    assert f"{min(100, len(others))} {others['name'].iloc[min(100, len(others)) - 1]}" in players
    risks = _flat(_section(pages, f"At-risk relationships ({len(analysis.risks)})"))
    for rank, name in enumerate(analysis.risks["name"], start=1):
        assert f"{rank} {name}" in risks
    assert "first snapshot" in _section(pages, "What changed")


def test_report_from_snapshot_with_changes_renders(tmp_path, no_network):
    net = sample_small()
    later = apply_filter(net, NetworkFilter(min_strength=0.4))
    folder = tmp_path / "snaps"
    a = create_snapshot(net, name="Q3", folder=folder, analysis=analyze(net))
    b = create_snapshot(later, name="Q4", folder=folder, analysis=analyze(later))
    content = load_content(b)
    diff = diff_snapshots(a, b)
    assert len(diff.lost) == len(net.edges) - len(later.edges) > 0
    path = export_report(
        content.network,
        stored_analysis(content),
        tmp_path,
        stem="q4",
        title="Board pack Q4",
        provenance=content.meta,
        diff=diff,
        previous_name="Q3",
    )
    pages = _text(path)
    summary = _flat(_section(pages, "Summary"))
    assert "Q4" in summary and "min_strength=0.4" in summary
    changes = _flat(_section(pages, "What changed"))
    assert f"Relationships gained (0) and lost ({len(diff.lost)})" in changes
    assert f"RCI {diff.rci_before:.1f} → {diff.rci_after:.1f}" in changes
    for name in diff.lost["source_name"]:  # every lost relationship is listed
        assert name in changes
    require(shutil.which("pdftoppm") is not None, "pdftoppm", "apt-get install poppler-utils")
    out = subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "pg")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert len(list(tmp_path.glob("pg-*.png"))) == len(pages)


def test_report_with_hostile_names(tmp_path, no_network):
    from tests.export.netcases import hostile_network

    net = hostile_network()
    path = export_report(
        net, analyze(net), tmp_path, stem="hostile", title="$Board$ <script>alert(1)</script>"
    )
    pages = _text(path)
    assert "$Board$ <script>alert(1)</script>" in pages[0]  # text, not math, not markup
    assert f"{len(net.nodes)} stakeholders" in pages[0]
    assert "Müller & Söhne <GmbH>" in "".join(pages)


def _many_at_risk(n: int) -> Network:
    """An organisation and ``n`` customers, each single-threaded, out of contact for a year and
    with a contract ending in 19 days: every relationship is on the radar."""
    ids = [f"C{i:04d}" for i in range(n)]
    nodes = pd.DataFrame(
        {
            "id": ["ORG", *ids],
            "name": ["Focal AG", *[f"Kunde {i:03d} Müller & Söhne <GmbH>" for i in range(n)]],
            "type": ["organization", *["customer"] * n],
            "revenue": [None, *[1e5 + i for i in range(n)]],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ids,
            "target": "ORG",
            "type": "BUYS_FROM",
            "trust": 0.2,
            "commitment": 0.2,
            "last_contact": pd.Timestamp("2025-01-01"),
            "contract_until": pd.Timestamp("2026-01-20"),
        }
    )
    return Network(nodes=nodes, edges=edges, meta={"as_of": "2026-01-01"})


def test_report_lists_all_500_at_risk_relationships_over_pages(tmp_path, no_network):
    net = _many_at_risk(500)
    analysis = analyze(net)
    assert len(analysis.risks) == 500
    path = export_report(net, analysis, tmp_path, stem="risky", title="Radar")
    pages = _text(path)
    risks = _section(pages, "At-risk relationships (500)")
    first = next(i for i, p in enumerate(pages) if "At-risk relationships (500)" in p)
    continued = [
        p
        for p in pages[first + 1 :]
        if p.splitlines()[1].startswith("# stakeholder type value strength")
    ]
    assert risks.count("# stakeholder type value strength score why") == len(continued) + 1
    assert len(continued) >= 10  # the table runs over many pages, its header repeated on each
    flat = _flat(risks)
    listed = re.findall(r"\b(\d+) Kunde (\d{3}) Müller & Söhne <GmbH>", flat)
    assert [int(rank) for rank, _ in listed] == list(range(1, 501))
    assert {name for _, name in listed} == {f"{i:03d}" for i in range(500)}
    last = analysis.risks.iloc[-1]
    assert f"500 {last['name']}" in flat and _flat(last["reasons_text"]) in flat  # wrapped, whole
    for i, page in enumerate(pages, start=1):
        assert f"page {i} of {len(pages)}" in page
    # key players: the first 100 of 500 by default, all with key_players=None
    players = _flat(_section(pages, "Key players"))
    assert "Most central stakeholders (100 of 500)" in players
    from graphcap.export.report import render_report

    everyone = tmp_path / "all.pdf"
    everyone.write_bytes(render_report(net, analysis, title="Radar", key_players=None))
    assert "Most central stakeholders (500 of 500)" in _flat("\n".join(_text(everyone)))


def test_cli_key_players_n_or_all(tmp_path, monkeypatch):
    """`graphcap export pdf --key-players N|all` sets the rows of the most-central table."""
    from click.testing import CliRunner

    from graphcap.cli import cli
    from graphcap.snapshot import write_snapshot

    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path / "data"))
    net = sample_small()
    others = int((net.nodes["type"] != "organization").sum())
    source = tmp_path / "s.gcap"
    write_snapshot(net, source)

    def central(option: str) -> str:
        out = tmp_path / option
        args = ["export", "pdf", "--from", str(source), "--out", str(out), "--name", "r"]
        result = CliRunner().invoke(cli, [*args, "--key-players", option])
        assert result.exit_code == 0, result.output
        players = _flat(_section(_text(out / "r.pdf"), "Key players"))
        return re.search(r"Most central stakeholders \((\d+ of \d+)\)", players).group(1)

    assert central("7") == f"7 of {others}"
    assert central("all") == central("ALL") == f"{others} of {others}"
    for bad in ("0", "-3", "some"):
        result = CliRunner().invoke(
            cli, ["export", "pdf", "--from", str(source), "--key-players", bad]
        )
        assert (
            result.exit_code == 2 and "neither a positive whole number nor 'all'" in result.output
        )
