"""Several exports in one go: what ``graphcap export`` and the app's Export panel both call.

:func:`export_files` writes each requested format for one network and its analysis (live or
stored), with the metric sheets (:func:`metric_sheets`) for CSV/XLSX/JSON, the app's colours,
sizes and positions for GEXF (:func:`gexf_viz`), and the report's comparison with the previous
snapshot. :func:`as_content` makes the current view one side of a snapshot diff.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graphcap.errors import ExportError
from graphcap.export import gexf, graphml, html, report, tables
from graphcap.export import image as img
from graphcap.export._report_parts import KEY_PLAYERS
from graphcap.export.image import view_frames
from graphcap.history import metric_frames
from graphcap.history.diff import SnapshotContent
from graphcap.i18n import current_language, format_date, use_language
from graphcap.i18n import gettext as _
from graphcap.picture.layout import compute_layout
from graphcap.picture.render import REL_STYLES, network_payload

__all__ = [
    "COST",
    "FORMATS",
    "as_content",
    "export_files",
    "gexf_viz",
    "heaviest_first",
    "metric_sheets",
]

#: Every export format, in the order ``all`` writes them.
FORMATS = ("html", "png", "svg", "pdf", "graphml", "gexf", "csv", "xlsx", "json")


def metric_sheets(analysis: Any) -> dict[str, Any]:
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


def gexf_viz(
    network: Any, analysis: Any, positions: Any = None, payload: Any = None
) -> dict[str, Any]:
    """GEXF drawing hints from the app's own payload (``payload`` if the caller has it, sized by
    PageRank): colours, sizes, positions."""
    if payload is None:
        payload = picture_payload(network, analysis, positions)
    return {
        "colors": {n["id"]: n["color"] for n in payload["nodes"]},
        "sizes": {n["id"]: n["size"] for n in payload["nodes"]},
        "positions": {n["id"]: (n["x"], n["y"]) for n in payload["nodes"]},
        "edge_colors": {rel: style[0] for rel, style in REL_STYLES.items()},
    }


def picture_payload(network: Any, analysis: Any, positions: Any, title: str = "") -> Any:
    """The network picture's payload as PNG, SVG, PDF and GEXF make it by default (nodes sized
    by PageRank when there is one)."""
    nodes, edges = view_frames(network, analysis)
    size_by = "pagerank" if "pagerank" in nodes.columns else None
    return network_payload((nodes, edges), positions=positions, size_by=size_by, title=title)


#: Formats that draw the network with matplotlib or hand its drawing hints on (one payload).
PICTURED = ("png", "svg", "pdf", "gexf")

#: Formats that draw the network (each would lay it out on its own).
DRAWN = ("html", "png", "svg", "pdf", "gexf")


def shared_layout(network: Any, analysis: Any) -> dict[str, tuple[float, float]]:
    """The positions every drawn format would compute on its own (same frames, same seed),
    computed once: exporting five drawn formats lays the network out once, not five times."""
    nodes, edges = view_frames(network, analysis)
    return compute_layout(nodes.drop_duplicates("id")["id"].astype(str), edges)


def export_files(
    formats: list[str],
    network: Any,
    analysis: Any,
    out: Path,
    stem: str,
    *,
    title: str,
    provenance: dict[str, Any],
    diff: Any = None,
    previous_name: str | None = None,
    image: dict[str, Any] | None = None,
    positions: dict[str, tuple[float, float]] | None = None,
    key_players: int | None = KEY_PLAYERS,
    lang: str | None = None,
    currency: str | None = None,
    workers: int = 1,
) -> list[tuple[str, list[Path], float]]:
    """Write each format; returns (format, paths, seconds) in order. Used by the CLI and the
    app's Export panel (which passes the app's ``positions`` so pictures match the screen).
    ``key_players``: rows of the PDF's most-central table (``None``: every stakeholder).

    ``lang`` (default: the current language, :mod:`graphcap.i18n`) is the language of the
    documents people read: the PDF, PNG/SVG and HTML texts and the XLSX headers; CSV, JSON,
    GraphML and GEXF keep their stable English keys. ``currency`` (ISO 4217) marks the report's
    amounts.

    ``workers=2`` writes the formats in two processes (this one and a forked one, where the
    platform forks), each taking the next format, heaviest first (:data:`COST`): the same
    files, listed in the same order. Every format is attempted; the first failing one (in
    ``formats`` order) is raised once both processes end, and every file is written whole or
    not at all (:func:`graphcap.files.write_atomic`)."""
    with use_language(lang if lang is not None else current_language()) as code:
        return _export(
            formats,
            network,
            analysis,
            out,
            stem,
            title=title,
            provenance=provenance,
            diff=diff,
            previous_name=previous_name,
            image=image,
            positions=positions,
            key_players=key_players,
            lang=code,
            currency=currency,
            workers=workers,
        )


def _export(
    formats: list[str],
    network: Any,
    analysis: Any,
    out: Path,
    stem: str,
    *,
    title: str,
    provenance: dict[str, Any],
    diff: Any,
    previous_name: str | None,
    image: dict[str, Any] | None,
    positions: dict[str, tuple[float, float]] | None,
    key_players: int | None,
    lang: str,
    currency: str | None,
    workers: int = 1,
) -> list[tuple[str, list[Path], float]]:
    if positions is None and len(set(formats) & set(DRAWN)) > 1:
        positions = shared_layout(network, analysis)
    payload = None
    if len(set(formats) & set(PICTURED)) > 1 and "size_by" not in (image or {}):
        # the same payload each of them would compute (same frames, positions, sizes, title)
        payload = picture_payload(network, analysis, positions, title)
    subtitle = " · ".join(
        str(x)
        for x in (
            provenance.get("snapshot_name"),
            provenance.get("as_of")
            and _("as of {date}").format(date=_as_of(provenance.get("as_of"))),
        )
        if x
    )

    def write(fmt: str) -> list[Path]:
        if fmt == "html":
            return [
                html.export_html(
                    network, out, stem=stem, analysis=analysis, title=title, positions=positions
                )
            ]
        if fmt in ("png", "svg"):
            return [
                img.export_image(
                    network,
                    out,
                    stem=stem,
                    fmt=fmt,
                    analysis=analysis,
                    title=title,
                    subtitle=subtitle,
                    footer=f"graphcap · {provenance.get('source', '')}",
                    positions=positions,
                    payload=payload,
                    **(image or {}),
                )
            ]
        if fmt == "pdf":
            return [
                report.export_report(
                    network,
                    analysis,
                    out,
                    stem=stem,
                    title=title,
                    provenance=provenance,
                    diff=diff,
                    previous_name=previous_name,
                    positions=positions,
                    key_players=key_players,
                    currency=currency,
                    payload=payload,
                )
            ]
        if fmt == "graphml":
            return [graphml.export_graphml(network, out, stem=stem)]
        if fmt == "gexf":
            return [
                gexf.export_gexf(
                    network,
                    out,
                    stem=stem,
                    viz=gexf_viz(network, analysis, positions, payload),
                    description=title,
                )
            ]
        if fmt == "csv":
            return tables.export_csv(network, out, stem=stem, extra=metric_sheets(analysis))
        if fmt == "xlsx":
            return [
                tables.export_xlsx(
                    network, out, stem=stem, extra=metric_sheets(analysis), lang=lang
                )
            ]
        if fmt == "json":
            return [tables.export_json(network, out, stem=stem, extra=metric_sheets(analysis))]
        raise ExportError(
            _("unknown format {fmt!r}; use {formats} or all").format(
                fmt=fmt, formats=", ".join(FORMATS)
            )
        )

    return _run(formats, write, workers)


#: Seconds each format took in ``export all`` on bench/realshape.py's network (idle machine,
#: docs/PERFORMANCE.md): with ``workers=2`` the heaviest formats are taken first.
COST = {
    "pdf": 4.6,
    "xlsx": 4.2,
    "png": 1.8,
    "svg": 1.7,
    "json": 1.4,
    "gexf": 1.1,
    "graphml": 0.6,
    "html": 0.5,
    "csv": 0.5,
}

Written = list[tuple[str, list[Path], float]]
#: what one process wrote, and the formats that failed there with their errors
Outcome = tuple[Written, list[tuple[str, BaseException]]]


def heaviest_first(formats: list[str]) -> list[str]:
    """The order in which two processes take the formats: by :data:`COST`, heaviest first
    (ties and unknown costs keep the requested order), so the last ones to be taken are short
    and both processes end at about the same time.

    >>> heaviest_first(["html", "png", "svg", "pdf", "graphml", "gexf", "csv", "xlsx", "json"])
    ['pdf', 'xlsx', 'png', 'svg', 'json', 'gexf', 'graphml', 'html', 'csv']
    """
    return sorted(formats, key=lambda f: -COST.get(f, 1.0))


def _write_each(order: list[str], write: Callable[[str], list[Path]], taken: Any) -> Outcome:
    """Write the formats of ``order`` this process takes: the next one not yet taken by either
    process (``taken``: a shared counter, or None for all of them, one after the other, up to
    the first that fails)."""
    done: Written = []
    failed: list[tuple[str, BaseException]] = []
    k = -1
    while True:
        if taken is None:
            k += 1
        else:
            with taken.get_lock():
                k = taken.value
                taken.value = k + 1
        if k >= len(order):
            return done, failed
        fmt = order[k]
        t0 = time.perf_counter()
        try:
            paths = write(fmt)
        except Exception as exc:  # noqa: BLE001 - raised by _run once both processes end
            failed.append((fmt, exc))
            if taken is None:
                return done, failed
            continue
        done.append((fmt, paths, time.perf_counter() - t0))


def _helper(order: list[str], write: Callable[[str], list[Path]], taken: Any, send: Any) -> None:
    """The forked process: write the formats it takes, send back the files (and errors)."""
    done, failed = _write_each(order, write, taken)
    try:
        send.send((done, failed))
    except Exception:  # noqa: BLE001 - an error that does not pickle goes back as its text
        failed = [
            (
                f,
                ExportError(
                    _("{fmt}: {kind}: {error}").format(fmt=f, kind=type(e).__name__, error=e)
                ),
            )
            for f, e in failed
        ]
        send.send((done, failed))
    send.close()


def _run(formats: list[str], write: Callable[[str], list[Path]], workers: int) -> Written:
    """Each format through ``write``: in this process, or (``workers`` > 1, several formats,
    each known once, the platform forks) in this one and a forked one, each taking the next
    format of :func:`heaviest_first` when it is free. Forked, the helper shares the network,
    analysis, layout and picture already made; only the list of files comes back. With two
    processes every format is attempted; the first failing one in ``formats`` order is raised
    once both have ended."""
    import multiprocessing

    known = all(f in FORMATS for f in formats) and len(set(formats)) == len(formats)
    forks = "fork" in multiprocessing.get_all_start_methods()
    if workers < 2 or len(formats) < 2 or not known or not forks:
        done, failed = _write_each(formats, write, None)
        if failed:
            raise failed[0][1]
        return done
    order = heaviest_first(formats)
    ctx = multiprocessing.get_context("fork")
    taken = ctx.Value("i", 0)
    receive, send = ctx.Pipe(duplex=False)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # or the child would write what is buffered a second time
    helper = ctx.Process(target=_helper, args=(order, write, taken, send), daemon=True)
    helper.start()
    send.close()
    try:
        outcomes = [_write_each(order, write, taken)]
        try:
            outcomes.append(receive.recv())
        except EOFError:  # the helper ended without a word: what it took is not written
            helper.join()
            seen = {row[0] for row in outcomes[0][0]} | {f for f, _e in outcomes[0][1]}
            lost = [f for f in order[: taken.value] if f not in seen]
            error = ExportError(
                _("the process writing {formats} stopped unexpectedly (exit code {code})").format(
                    formats=", ".join(lost), code=helper.exitcode
                )
            )
            outcomes.append(([], [(f, error) for f in lost]))
    except BaseException:
        # interrupted: the helper ends the file it is writing as Ctrl-C would end it
        if helper.is_alive() and helper.pid is not None:
            os.kill(helper.pid, signal.SIGINT)
        raise
    finally:
        receive.close()
        helper.join()
    failures = [f for _done, failed in outcomes for f in failed]
    if failures:
        raise min(failures, key=lambda f: formats.index(f[0]))[1]
    written = {row[0]: row for done, _failed in outcomes for row in done}
    return [written[f] for f in formats]


def _as_of(value: Any) -> str:
    try:
        return format_date(str(value)[:10])
    except ValueError:
        return str(value)


def as_content(network: Any, analysis: Any) -> Any:
    """The current view as a diff side (its live analysis in place of stored frames)."""

    frames, score = metric_frames(analysis)
    return SnapshotContent(
        name="current view",
        created="",
        network=network,
        node_metrics=frames.get("node_metrics"),
        edge_metrics=frames.get("edge_metrics"),
        rci=score,
        rci_dimensions=frames.get("rci_dimensions"),
        rci_by_type=frames.get("rci_by_type"),
        frames=frames,
    )
