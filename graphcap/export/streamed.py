"""Exports of a network too large to analyse or hold whole (``graphcap export`` above
``app_full_analysis_max_relationships``): what is stored in Neo4j, read in batches.

- ``csv``: ``<stem>_csv/nodes.csv`` and ``edges.csv``, every stakeholder and relationship with its
  properties and the stored metrics (``m_*``, written by ``graphcap metrics --write``), the same
  RFC 4180 / UTF-8-with-BOM / formula-safe cells as :func:`graphcap.export.tables.export_csv`,
  appended batch by batch (:data:`graphcap.store.scale.BATCH` rows): memory holds one batch.
- ``json``: ``<stem>.json``, the node-link document of :func:`graphcap.export.tables.to_node_link`
  (``nodes``, ``edges`` with ``key``, ``interactions`` left empty), one record per line, written
  batch by batch.
- ``png``/``svg``/``html``: the capped view the Network page draws at this size (the top
  :data:`graphcap.picture.reduce.MAX_DRAWN_NODES` stakeholders by stored PageRank, by number of
  relationships when none is stored), with a subtitle saying so.
- ``xlsx`` holds at most :data:`XLSX_ROWS` rows a sheet: refused before anything is written when
  a sheet would need more; ``pdf``, ``graphml`` and ``gexf`` need the whole network and its
  analysis in memory: left out. :func:`left_out` says why, in words.

Each file is written to a temporary name and renamed when whole (:func:`graphcap.files.write_atomic`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from graphcap.errors import ExportError
from graphcap.export.image import export_image
from graphcap.export.tables import _plain_frame, to_records
from graphcap.files import output_path, write_atomic
from graphcap.i18n import gettext as _
from graphcap.model import Network
from graphcap.picture.reduce import MAX_DRAWN_NODES
from graphcap.picture.render import render_network_html
from graphcap.store import scale as reads

__all__ = [
    "STREAMED",
    "XLSX_ROWS",
    "capped_frames",
    "export_streamed",
    "left_out",
    "xlsx_problem",
]

#: What ``export`` writes at scale, in the order ``all`` writes them.
STREAMED = ("csv", "json", "png", "svg", "html")

#: Rows of one XLSX sheet, the header included (Excel's limit).
XLSX_ROWS = 1_048_576

_FRONT = {"nodes": ("id", "name", "type"), "edges": ("source", "target", "type")}


def xlsx_problem(stakeholders: int, relationships: int) -> str:
    """Why XLSX is not written for this many stakeholders and relationships, in words."""
    biggest = max(stakeholders, relationships)
    if biggest + 1 > XLSX_ROWS:
        return _(
            "xlsx not written: a sheet holds at most {limit} rows (1 header + {data} data rows), "
            "and this network has {stakeholders} stakeholders and {relationships} relationships; "
            "use csv or json, which hold every row"
        ).format(
            limit=f"{XLSX_ROWS:,}",
            data=f"{XLSX_ROWS - 1:,}",
            stakeholders=f"{stakeholders:,}",
            relationships=f"{relationships:,}",
        )
    return _(
        "xlsx not written: at this size it is not written in batches ({relationships} "
        "relationships, more than app_full_analysis_max_relationships); use csv or json"
    ).format(relationships=f"{relationships:,}")


def left_out(fmt: str, stakeholders: int, relationships: int) -> str:
    """Why ``fmt`` is not written at scale (``""`` for the formats that are)."""
    if fmt in STREAMED:
        return ""
    if fmt == "xlsx":
        return xlsx_problem(stakeholders, relationships)
    return _(
        "{fmt} not written: it needs the whole network and its analysis in memory, which is "
        "not done above app_full_analysis_max_relationships; use csv or json (every row) or "
        "png, svg, html (the capped view)"
    ).format(fmt=fmt)


def _ordered(names: Iterable[str], kind: str) -> list[str]:
    names = set(names)
    front = [c for c in _FRONT[kind] if c in names or kind == "edges"]
    rest = sorted(c for c in names if c not in front and not c.startswith("m_"))
    metrics = sorted(c for c in names if c.startswith("m_"))
    return [*front, *rest, *metrics]


def _batches(store: Any, kind: str) -> Iterator[pd.DataFrame]:
    if kind == "nodes":
        return reads.iter_stakeholders(store)
    return reads.iter_relationships(store)


def _write_csv(store: Any, kind: str, columns: list[str], path: Path) -> int:
    rows = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        pd.DataFrame(columns=columns).to_csv(fh, index=False, lineterminator="\r\n")
        for batch in _batches(store, kind):
            plain = _plain_frame(batch.reindex(columns=columns))
            plain.to_csv(fh, index=False, header=False, lineterminator="\r\n")
            rows += len(plain)
    return rows


def _records(store: Any, kind: str, columns: list[str]) -> Iterator[str]:
    for batch in _batches(store, kind):
        for rec in to_records(batch.reindex(columns=columns)):
            if kind == "edges":
                rec["key"] = rec.get("type")
            yield json.dumps(rec, ensure_ascii=False, allow_nan=False)


def _write_json(
    store: Any, columns: dict[str, list[str]], meta: dict[str, Any], path: Path
) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"directed": true, "multigraph": true, "graph": ')
        fh.write(json.dumps(meta, ensure_ascii=False, allow_nan=False, default=str))
        for kind in ("nodes", "edges"):
            fh.write(f', "{kind}": [')
            first = True
            for line in _records(store, kind, columns[kind]):
                fh.write(("\n" if first else ",\n") + line)
                first = False
            fh.write("\n]")
        fh.write(', "interactions": []}\n')


def capped_frames(store: Any, metrics: set[str]) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """The capped view (top stakeholders and the relationships among them) with the stored
    metrics under their own names, and the metric it is ranked by (``None``: degree)."""
    metric = "pagerank" if "pagerank" in metrics else None
    nodes, edges = reads.capped_network(store, MAX_DRAWN_NODES, metric=metric)
    rename = {c: c[2:] for c in nodes.columns if str(c).startswith("m_") and c[2:] not in nodes}
    nodes = nodes.rename(columns=rename)
    erename = {c: c[2:] for c in edges.columns if str(c).startswith("m_") and c[2:] not in edges}
    return nodes, edges.rename(columns=erename), metric


def export_streamed(
    formats: list[str],
    store: Any,
    out: Path,
    stem: str,
    *,
    title: str,
    image: dict[str, Any] | None = None,
    strict: bool = True,
) -> tuple[list[tuple[str, list[Path], float]], dict[str, str]]:
    """Write ``formats`` from ``store`` at scale (see the module doc). Returns what was written
    (format, paths, seconds) and, per format left out, why. ``strict`` (formats named one by
    one): a format that cannot be written is refused with :class:`~graphcap.errors.ExportError`
    before any file is written; otherwise (``export all``) it is left out and said so."""
    counts = store.counts()
    n_nodes, n_edges = sum(counts["nodes"].values()), sum(counts["edges"].values())
    skipped = {f: left_out(f, n_nodes, n_edges) for f in formats if f not in STREAMED}
    todo = [f for f in formats if f in STREAMED]
    if skipped and (strict or not todo):
        raise ExportError("; ".join(skipped.values()) + _("; nothing was written"))
    run = store.metrics_run()
    stored = set() if run is None else {str(m) for m in run.get("metrics") or []}
    done: list[tuple[str, list[Path], float]] = []
    columns: dict[str, list[str]] = {}
    if {"csv", "json"} & set(todo):
        node_keys, edge_keys = reads.property_names(store)
        columns = {"nodes": _ordered(node_keys, "nodes"), "edges": _ordered(edge_keys, "edges")}
    capped: tuple[pd.DataFrame, pd.DataFrame, str | None] | None = None
    for fmt in todo:
        t0 = time.perf_counter()
        if fmt == "csv":
            sub = output_path(out, f"{stem}_csv")
            paths = [
                write_atomic(
                    output_path(sub, f"{kind}.csv"),
                    partial(_write_csv, store, kind, columns[kind]),
                )
                for kind in ("nodes", "edges")
            ]
        elif fmt == "json":
            meta = {
                "source": str(store.describe()),
                "stakeholders": n_nodes,
                "relationships": n_edges,
                "metrics_computed_at": None if run is None else str(run.get("computed_at")),
            }
            target = output_path(out, f"{stem}.json")
            paths = [write_atomic(target, partial(_write_json, store, columns, meta))]
        else:
            if capped is None:
                capped = capped_frames(store, stored)
            nodes, edges, metric = capped
            note = _(
                "The top {kept} of {total} stakeholders by {measure} and the relationships "
                "among them (a capped view: the whole network is too large to draw)."
            ).format(
                kept=f"{len(nodes):,}",
                total=f"{n_nodes:,}",
                measure=_("stored PageRank") if metric else _("number of relationships"),
            )
            size_by = "pagerank" if metric else "degree"
            if fmt == "html":
                page = render_network_html(
                    (nodes, edges), title=title, height=800, size_by=size_by, note=note
                )
                target = output_path(out, f"{stem}.html")
                paths = [
                    write_atomic(target, partial(Path.write_text, data=page, encoding="utf-8"))
                ]
            else:
                paths = [
                    export_image(
                        _as_network(nodes, edges),
                        out,
                        stem=stem,
                        fmt=fmt,
                        title=title,
                        subtitle=note,
                        size_by=size_by,
                        **(image or {}),
                    )
                ]
        done.append((fmt, paths, time.perf_counter() - t0))
    return done, skipped


def _as_network(nodes: pd.DataFrame, edges: pd.DataFrame) -> Network:
    return Network(nodes=nodes, edges=edges)
