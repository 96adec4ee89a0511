"""Interactive HTML: one self-contained, offline file with the app's network picture.

A thin wrapper over :func:`graphcap.picture.render.render_network_html` (the renderer the Network page
uses), so the file looks exactly like the app: same layout, colours, sizes, legend and tooltips.
It inlines vis-network and its script, fetches nothing, and shows every name as text only — a
report author can mail it or put it on an intranet page.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graphcap.export.image import view_frames
from graphcap.files import output_path, write_atomic
from graphcap.i18n import gettext as _
from graphcap.model import Network
from graphcap.picture.render import render_network_html

__all__ = ["export_html", "render_html"]


def render_html(
    network: Network,
    *,
    analysis: Any = None,
    title: str | None = None,
    size_by: str | None = "pagerank",
    positions: Mapping[str, tuple[float, float]] | None = None,
    height: int = 800,
) -> str:
    """The HTML page as text; node metrics of ``analysis`` feed sizes and tooltips."""

    nodes, edges = view_frames(network, analysis)
    return render_network_html(
        (nodes, edges),
        positions=positions,
        title=_("Stakeholder network") if title is None else title,
        height=height,
        size_by=size_by if size_by in nodes.columns else None,
    )


def export_html(network: Network, folder: str | Path, *, stem: str, **options: Any) -> Path:
    """Write ``<stem>.html`` into ``folder``; ``options`` as :func:`render_html`."""
    page = render_html(network, **options)
    target = output_path(folder, f"{stem}.html")
    return write_atomic(target, lambda tmp: tmp.write_text(page, encoding="utf-8"))
