"""The PDF report: a few A4 landscape pages a strategy team can hand on.

1. **Summary** — the Relational Capital Index with its four dimensions (points adding up to the
   score), the network in figures (stakeholders and relationships by type), value concentration
   in figures, and where the data came from (source, hash, filters, as-of date, graphcap version).
2. **The network** — the app's picture (:mod:`graphcap.export.image`) with its legend.
3. **Key players** — the stakeholders with the most PageRank, their value, brokerage and quadrant;
   the single points of failure (articulation points).
4. **At-risk relationships** — the radar's top entries with their reasons.
5. **Backtest and risk sweep** — how often the radar was right on the data's own history
   (precision and recall at the top k, lift, the recency-only baseline, the horizon and what
   "declined" means) and the stakeholders whose loss would put the most at risk
   (:mod:`graphcap.export._report_checks`).
6. **Concentration** — Lorenz curve with Gini and Pareto share, value and RCI by type.
7. **What changed** — against the previous snapshot: RCI change and its drivers, relationships
   gained/lost, strength changes, quadrant and community moves (or "first snapshot").

Laid out with fpdf2 (:mod:`graphcap.export._pdfdoc`): every page carries the report title and
"page n of m"; tables wrap their cells and continue over pages with the header repeated, so the
whole at-risk list prints, and the first :data:`~graphcap.export._report_parts.KEY_PLAYERS`
key players (``key_players=None``: all). Charts and the network picture are matplotlib figures
embedded as images. No browser, no network access, fonts embedded. Every figure comes from the
analysis (a live :class:`graphcap.analysis.Analysis` or the one a snapshot stored), so the report
shows exactly what the app shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib

from graphcap.export._mpl import figure, glyph_safe, style
from graphcap.export._pdfdoc import ReportDocument
from graphcap.export._report_changes import changes_section
from graphcap.export._report_checks import checks_section
from graphcap.export._report_exposure import concentration_section, risks_section
from graphcap.export._report_parts import KEY_PLAYERS, key_players_section, summary_section
from graphcap.export.image import draw_legend, draw_network, view_frames
from graphcap.files import output_path, write_atomic
from graphcap.history.diff import SnapshotDiff
from graphcap.i18n import current_language, use_language
from graphcap.i18n import gettext as _
from graphcap.model import Network
from graphcap.picture.render import network_payload
from graphcap.version import __version__

__all__ = ["export_report", "render_report"]


def _network_section(
    doc: ReportDocument,
    network: Network,
    analysis: Any,
    title: str,
    positions: Mapping[str, tuple[float, float]] | None,
    payload: Mapping[str, Any] | None = None,
) -> None:
    if payload is None:
        nodes, edges = view_frames(network, analysis)
        size_by = "pagerank" if "pagerank" in nodes.columns else None
        payload = network_payload((nodes, edges), positions=positions, size_by=size_by, title=title)
    doc.section(
        _("The network"),
        _(
            "Colour: stakeholder type; size: PageRank; line width: relationship strength. "
            "Labelled: the organisation and the largest stakeholders."
        ),
    )
    fig = figure(11, 5.9)
    draw_network(fig.add_axes((0.0, 0.0, 0.76, 1.0)), payload, labels=18)
    draw_legend(fig.add_axes((0.78, 0.02, 0.22, 0.96)), payload)
    doc.figure(fig)


def render_report(
    network: Network,
    analysis: Any,
    *,
    title: str | None = None,
    provenance: Mapping[str, Any] | None = None,
    diff: SnapshotDiff | None = None,
    previous_name: str | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    key_players: int | None = KEY_PLAYERS,
    lang: str | None = None,
    currency: str | None = None,
    backtest: Mapping[str, Any] | None = None,
    payload: Mapping[str, Any] | None = None,
) -> bytes:
    """The report as PDF bytes (see the module doc).

    ``provenance`` (snapshot name, created, source, source_hash, filters, as_of,
    graphcap_version) goes on the summary page; ``diff`` against the previous snapshot makes the
    last section (without it the page says this is the first snapshot). ``lang`` (default: the
    current language, :mod:`graphcap.i18n`) is the language of every heading, table header,
    reason and number; ``currency`` (an ISO 4217 code) puts its symbol after the amounts.
    ``backtest`` sets the checks page's backtest (``as_of``, ``horizon_days``, ``baseline_days``,
    ``k``; default: the latest date the log covers, 180, 365, 20). ``payload``: the network
    picture's :func:`~graphcap.picture.render.network_payload` (size by PageRank) when the caller
    has it already.
    """
    with use_language(lang) if lang is not None else nullcontext():
        return _render(
            network,
            analysis,
            title=_("Relational capital report") if title is None else title,
            provenance=provenance,
            diff=diff,
            previous_name=previous_name,
            positions=positions,
            key_players=key_players,
            currency=currency,
            backtest=backtest,
            payload=payload,
        )


def _render(
    network: Network,
    analysis: Any,
    *,
    title: str,
    provenance: Mapping[str, Any] | None,
    diff: SnapshotDiff | None,
    previous_name: str | None,
    positions: Mapping[str, tuple[float, float]] | None,
    key_players: int | None,
    currency: str | None,
    backtest: Mapping[str, Any] | None = None,
    payload: Mapping[str, Any] | None = None,
) -> bytes:
    prov = {"graphcap_version": __version__, **dict(provenance or {})}
    doc = ReportDocument(title)
    doc.set_lang(current_language())
    doc.set_subject(_("Relational capital: network, RCI, key players, risks, changes"))
    doc.set_creator(f"graphcap {__version__}")
    doc.set_creation_date(datetime.now(UTC))
    with matplotlib.rc_context(style()):
        summary_section(doc, network=network, analysis=analysis, prov=prov, currency=currency)
        _network_section(doc, network, analysis, glyph_safe(title), positions, payload)
        key_players_section(
            doc, network=network, analysis=analysis, key_players=key_players, currency=currency
        )
        risks_section(doc, analysis=analysis, currency=currency)
        checks_section(
            doc, network=network, analysis=analysis, currency=currency, backtest_options=backtest
        )
        concentration_section(doc, analysis=analysis, currency=currency)
        changes_section(doc, diff=diff, previous_name=previous_name)
    return doc.render()


def export_report(
    network: Network, analysis: Any, folder: str | Path, *, stem: str, **options: Any
) -> Path:
    """Write ``<stem>.pdf`` into ``folder``; ``options`` as :func:`render_report`."""
    data = render_report(network, analysis, **options)
    target = output_path(folder, f"{stem}.pdf")
    return write_atomic(target, lambda tmp: tmp.write_bytes(data))
