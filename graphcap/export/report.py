"""The PDF report: a few A4 landscape pages a strategy team can hand on.

1. **Summary** — the Relational Capital Index with its four dimensions (points adding up to the
   score), the network in figures (stakeholders and relationships by type), value concentration
   in figures, and where the data came from (source, hash, filters, as-of date, graphcap version).
2. **The network** — the app's picture (:mod:`graphcap.export.image`) with its legend.
3. **Key players** — the stakeholders with the most PageRank, their value, brokerage and quadrant;
   the single points of failure (articulation points).
4. **At-risk relationships** — the radar's top entries with their reasons.
5. **Concentration** — Lorenz curve with Gini and Pareto share, value and RCI by type.
6. **What changed** — against the previous snapshot: RCI change and its drivers, relationships
   gained/lost, strength changes, quadrant and community moves (or "first snapshot").

Drawn with matplotlib's PDF back end: no browser, no network access, fonts embedded. Every
figure comes from the analysis (a live :class:`graphcap.analysis.Analysis` or the one a snapshot
stored), so the report shows exactly what the app shows.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graphcap.export._mpl import glyph_safe, style
from graphcap.export._report_parts import (
    changes_page,
    concentration_page,
    key_players_page,
    page_frame,
    risks_page,
    summary_page,
)
from graphcap.export.image import draw_legend, draw_network, view_frames
from graphcap.files import output_path, write_atomic
from graphcap.history.diff import SnapshotDiff
from graphcap.model import Network
from graphcap.picture.render import network_payload
from graphcap.version import __version__

__all__ = ["export_report", "render_report"]


def _network_page(pdf: Any, network: Network, analysis: Any, title: str,
                  positions: Mapping[str, tuple[float, float]] | None) -> None:

    nodes, edges = view_frames(network, analysis)
    size_by = "pagerank" if "pagerank" in nodes.columns else None
    payload = network_payload((nodes, edges), positions=positions, size_by=size_by, title=title)
    fig = page_frame(title, "The network", "Colour: stakeholder type; size: PageRank; "
                     "line width: relationship strength. Labelled: the organisation and the "
                     "largest stakeholders.")
    draw_network(fig.add_axes((0.03, 0.07, 0.72, 0.78)), payload, labels=18)
    draw_legend(fig.add_axes((0.78, 0.09, 0.2, 0.74)), payload)
    pdf.savefig(fig)


def render_report(
    network: Network,
    analysis: Any,
    *,
    title: str = "Relational capital report",
    provenance: Mapping[str, Any] | None = None,
    diff: SnapshotDiff | None = None,
    previous_name: str | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
) -> bytes:
    """The report as PDF bytes (see the module doc).

    ``provenance`` (snapshot name, created, source, source_hash, filters, as_of,
    graphcap_version) goes on the summary page; ``diff`` against the previous snapshot makes the
    last page (without it the page says this is the first snapshot).
    """
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    prov = {"graphcap_version": __version__, **dict(provenance or {})}
    buf = io.BytesIO()
    meta = {"Title": glyph_safe(title), "Author": "graphcap", "Creator": f"graphcap {__version__}",
            "Subject": "Relational capital: network, RCI, key players, risks, changes",
            "CreationDate": datetime.now(UTC)}
    with matplotlib.rc_context(style()), PdfPages(buf, metadata=meta) as pdf:
        ctx = {"title": title, "network": network, "analysis": analysis, "prov": prov}
        summary_page(pdf, **ctx)
        _network_page(pdf, network, analysis, title, positions)
        key_players_page(pdf, **ctx)
        risks_page(pdf, **ctx)
        concentration_page(pdf, **ctx)
        changes_page(pdf, title=title, diff=diff, previous_name=previous_name)
    return buf.getvalue()


def export_report(network: Network, analysis: Any, folder: str | Path, *, stem: str,
                  **options: Any) -> Path:
    """Write ``<stem>.pdf`` into ``folder``; ``options`` as :func:`render_report`."""
    data = render_report(network, analysis, **options)
    target = output_path(folder, f"{stem}.pdf")
    return write_atomic(target, lambda tmp: tmp.write_bytes(data))

