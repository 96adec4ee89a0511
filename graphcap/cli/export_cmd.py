"""``graphcap export``: the network and its figures as files for reports and other tools.

From the current data (Neo4j, or ``--from FILE.gcap``; narrowed by the Network page's filters)
or from a stored snapshot (``--snapshot NAME``, read-only, with the metrics it stored). Formats:

``html`` interactive, self-contained, offline page · ``png``/``svg`` network picture with legend ·
``pdf`` report (RCI, network, key players, risks, concentration, what changed since the previous
snapshot) · ``graphml``/``gexf`` for yEd and Gephi · ``csv``/``xlsx`` nodes, edges, metrics, risks
(formula-safe) · ``json`` node-link. ``all`` writes every one.

Files go into ``--out`` (default the current folder) and are named after ``--name`` (default the
snapshot's name), sanitised; nothing is written outside ``--out``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from graphcap.cli.snapshot_cmd import read_view, view_options

__all__ = ["FORMATS", "export", "export_files"]

FORMATS = ("html", "png", "svg", "pdf", "graphml", "gexf", "csv", "xlsx", "json")


def _tables(analysis: Any) -> dict[str, Any]:
    """The metric sheets of CSV/XLSX/JSON exports."""
    import pandas as pd

    out = {}
    for attr, name in (("nodes", "metrics"), ("risks", "risks"), ("communities", "communities")):
        frame = getattr(analysis, attr, None)
        if isinstance(frame, pd.DataFrame):
            if "reasons" in frame.columns and "reasons_text" in frame.columns:
                frame = frame.drop(columns=["reasons"])
            out[name] = frame
    rci = getattr(analysis, "rci", None)
    for attr, name in (("dimensions", "rci"), ("by_type", "rci_by_type")):
        frame = getattr(rci, attr, None)
        if isinstance(frame, pd.DataFrame):
            out[name] = frame
    return out


def _viz(network: Any, analysis: Any, positions: Any = None) -> dict[str, Any]:
    """GEXF drawing hints from the app's own payload: colours, sizes, positions."""
    from graphcap.export.image import view_frames
    from graphcap.ui.render import REL_STYLES, network_payload

    nodes, edges = view_frames(network, analysis)
    payload = network_payload((nodes, edges), positions=positions,
                              size_by="pagerank" if "pagerank" in nodes else None)
    return {
        "colors": {n["id"]: n["color"] for n in payload["nodes"]},
        "sizes": {n["id"]: n["size"] for n in payload["nodes"]},
        "positions": {n["id"]: (n["x"], n["y"]) for n in payload["nodes"]},
        "edge_colors": {rel: style[0] for rel, style in REL_STYLES.items()},
    }


def export_files(formats: list[str], network: Any, analysis: Any, out: Path, stem: str, *,
                 title: str, provenance: dict[str, Any], diff: Any = None,
                 previous_name: str | None = None, image: dict[str, Any] | None = None,
                 positions: dict[str, tuple[float, float]] | None = None,
                 ) -> list[tuple[str, list[Path], float]]:
    """Write each format; returns (format, paths, seconds) in order. Used by the CLI and the
    app's Export panel (which passes the app's ``positions`` so pictures match the screen)."""
    from graphcap.export import gexf, graphml, html, report, tables
    from graphcap.export import image as img

    done = []
    subtitle = " · ".join(str(x) for x in (provenance.get("snapshot_name"),
                                           provenance.get("as_of") and
                                           f"as of {provenance.get('as_of')}") if x)
    for fmt in formats:
        t0 = time.perf_counter()
        if fmt == "html":
            paths = [html.export_html(network, out, stem=stem, analysis=analysis, title=title,
                                      positions=positions)]
        elif fmt in ("png", "svg"):
            paths = [img.export_image(network, out, stem=stem, fmt=fmt, analysis=analysis,
                                      title=title, subtitle=subtitle,
                                      footer=f"graphcap · {provenance.get('source', '')}",
                                      positions=positions, **(image or {}))]
        elif fmt == "pdf":
            paths = [report.export_report(network, analysis, out, stem=stem, title=title,
                                          provenance=provenance, diff=diff,
                                          previous_name=previous_name, positions=positions)]
        elif fmt == "graphml":
            paths = [graphml.export_graphml(network, out, stem=stem)]
        elif fmt == "gexf":
            paths = [gexf.export_gexf(network, out, stem=stem,
                                      viz=_viz(network, analysis, positions), description=title)]
        elif fmt == "csv":
            paths = tables.export_csv(network, out, stem=stem, extra=_tables(analysis))
        elif fmt == "xlsx":
            paths = [tables.export_xlsx(network, out, stem=stem, extra=_tables(analysis))]
        elif fmt == "json":
            paths = [tables.export_json(network, out, stem=stem, extra=_tables(analysis))]
        else:
            raise click.UsageError(f"unknown format {fmt!r}; use {', '.join(FORMATS)} or all")
        done.append((fmt, paths, time.perf_counter() - t0))
    return done


@click.command(name="export")
@click.argument("formats", nargs=-1, required=True,
                type=click.Choice([*FORMATS, "all"], case_sensitive=False))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Output folder (created if missing).")
@click.option("--name", help="File name stem and report title (sanitised).")
@click.option("--snapshot", "snapshot_ref", metavar="NAME|FILE",
              help="Export this stored snapshot (read-only, its stored metrics) instead of the "
                   "current data.")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path),
              help="Snapshot folder (default <data dir>/snapshots).")
@click.option("--width", type=click.IntRange(200, 20000), default=3600, show_default=True,
              help="PNG width in pixels.")
@click.option("--height", type=click.IntRange(200, 20000), default=2400, show_default=True,
              help="PNG height in pixels.")
@click.option("--dpi", type=click.IntRange(50, 1200), default=300, show_default=True)
@view_options
def export(formats: tuple[str, ...], out: Path, name: str | None, snapshot_ref: str | None,
           folder: Path | None, width: int, height: int, dpi: int, **view: Any) -> None:
    """Export the network: html png svg pdf graphml gexf csv xlsx json (or all).

    \b
    Examples:
      graphcap export pdf png --out reports/ --name "Board Q4"
      graphcap export all --snapshot "2025 Q4 board" --out exports/
      graphcap export gexf --type customer --type supplier --min-strength 0.3
    """
    from graphcap.export.paths import safe_filename
    from graphcap.history import (
        diff_snapshots,
        find_snapshot,
        list_snapshots,
        load_content,
        previous_snapshot,
        stored_analysis,
    )

    wanted = list(FORMATS) if "all" in [f.lower() for f in formats] else \
        list(dict.fromkeys(f.lower() for f in formats))
    diff = previous = None
    if snapshot_ref:
        info = find_snapshot(snapshot_ref, folder)
        content = load_content(info)
        network, analysis = content.network, stored_analysis(content)
        provenance = dict(content.meta)
        prev = previous_snapshot(info, folder)
        title = name or info.name
    else:
        from graphcap.analysis import analyze
        from graphcap.config import load_project_config
        from graphcap.history import filter_description, network_hash

        network, flt, where = read_view(**view)
        analysis = analyze(network, config=load_project_config(), as_of=view.get("as_of"))
        provenance = {"source": where, "source_hash": network_hash(network),
                      "filters": filter_description(flt),
                      "as_of": str(analysis.params.get("as_of", ""))}
        readable = [i for i in list_snapshots(folder) if i.problem is None]
        prev = readable[-1] if readable else None
        title = name or "Relational capital"
    if "pdf" in wanted and prev is not None:
        diff = diff_snapshots(prev, content if snapshot_ref else _as_content(network, analysis))
        previous = prev.name
    stem = safe_filename(name or title)
    done = export_files(wanted, network, analysis, out, stem, title=title, provenance=provenance,
                        diff=diff, previous_name=previous,
                        image={"width_px": width, "height_px": height, "dpi": dpi})
    for fmt, paths, seconds in done:
        for p in paths:
            click.echo(f"{fmt:8} {p}  ({seconds:.1f} s)")


def _as_content(network: Any, analysis: Any) -> Any:
    """The current view as a diff side (its live analysis in place of stored frames)."""
    from graphcap.export.diff import SnapshotContent
    from graphcap.history import metric_frames

    frames, score = metric_frames(analysis)
    return SnapshotContent(
        name="current view", created="", network=network,
        node_metrics=frames.get("node_metrics"), edge_metrics=frames.get("edge_metrics"),
        rci=score, rci_dimensions=frames.get("rci_dimensions"),
        rci_by_type=frames.get("rci_by_type"), frames=frames,
    )
