"""``graphcap snapshot``: freeze the network and its figures, list, show and compare snapshots.

Snapshots are ``.gcap`` files in ``<data dir>/snapshots`` (``GRAPHCAP_DATA_DIR``) or the folder
given with ``--folder``; see docs/SNAPSHOTS.md. The network is read from Neo4j (``NEO4J_URI``
..., or the local server) unless ``--from FILE.gcap`` names a snapshot file to read instead, and
can be narrowed with the same filters as the app's Network page.

``list``, ``show`` and ``diff`` take ``--format table|json|csv`` (keys in docs/CLI.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pandas as pd

from graphcap.cli.clicktext import HelpGroup
from graphcap.cli.output import emit, fmt_of, format_option, table_text
from graphcap.i18n import current_language, format_number, gettext, use_language
from graphcap.i18n import gettext as _
from graphcap.metrics.wording import type_label

__all__ = ["read_view", "snapshot", "view_options"]


def view_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The source and filter options shared by ``snapshot create`` and ``export``."""
    options = [
        click.option(
            "--from",
            "source_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Read this snapshot file (.gcap) instead of Neo4j.",
        ),
        click.option(
            "--type",
            "node_types",
            multiple=True,
            metavar="TYPE",
            help="Only these stakeholder types (repeatable; the organisation is kept).",
        ),
        click.option(
            "--rel-type",
            "rel_types",
            multiple=True,
            metavar="TYPE",
            help="Only these relationship types (repeatable).",
        ),
        click.option(
            "--min-strength",
            type=click.FloatRange(0, 1),
            help="Only relationships with at least this strength (0-1).",
        ),
        click.option("--start", metavar="DATE", help="Time window start (YYYY-MM-DD)."),
        click.option("--end", metavar="DATE", help="Time window end (YYYY-MM-DD)."),
        click.option("--ego", metavar="ID", help="Only the neighbourhood of this stakeholder."),
        click.option(
            "--radius",
            type=click.IntRange(1, 3),
            default=1,
            show_default=True,
            help="Steps around --ego.",
        ),
        click.option(
            "--as-of",
            "as_of",
            metavar="DATE",
            help="Reference date of the metrics (default: the data's as_of, else today).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def read_view(
    source_file: Path | None,
    node_types: tuple[str, ...],
    rel_types: tuple[str, ...],
    min_strength: float | None,
    start: str | None,
    end: str | None,
    ego: str | None,
    radius: int,
    as_of: str | None = None,
    **_: Any,
) -> tuple[Any, Any, str]:
    """The filtered network, the filter and a description of where it came from."""
    from graphcap.config import load_project_config
    from graphcap.graph.projection import NetworkFilter, apply_filter
    from graphcap.metrics.strength import compute_strength

    config = load_project_config()
    unknown = [t for t in node_types if t not in config.schema.node_types]
    if unknown:
        raise click.UsageError(
            gettext("unknown stakeholder type(s) {types}; known: {known}").format(
                types=", ".join(unknown), known=", ".join(sorted(config.schema.node_types))
            )
        )
    flt = NetworkFilter(
        node_types=sorted({*node_types, "organization"}) if node_types else None,
        rel_types=[r.upper() for r in rel_types] or None,
        min_strength=min_strength,
        start=start,
        end=end,
        ego=ego,
        radius=radius,
    )
    if source_file is not None:
        from graphcap.snapshot import SnapshotSource

        store: Any = SnapshotSource(source_file)
        network, where = store.read_network(), store.describe()
    else:
        from graphcap.store import Neo4jStore

        with Neo4jStore.from_env(schema=config.schema) as store:
            network, where = store.read_network(), store.describe()
    if not flt.is_empty:
        if min_strength is not None:  # filter on the derived strength, as the metrics see it
            columns = list(network.edges.columns)
            network = compute_strength(network, config.strength, as_of=as_of)
            network = apply_filter(network, flt)
            network.edges = network.edges[columns]
        else:
            network = apply_filter(network, flt)
    return network, flt, where


@click.group(cls=HelpGroup, name="snapshot")
def snapshot() -> None:
    """Create, list, show and compare snapshots (network + metrics + provenance, as .gcap files
    in <data dir>/snapshots or --folder)."""


_folder = click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Snapshot folder (default <data dir>/snapshots).",
)


@snapshot.command(name="create")
@click.option("--name", help="Name of the snapshot (default: 'Snapshot <date time>').")
@_folder
@format_option
@view_options
def create(name: str | None, folder: Path | None, fmt: str, legacy_json: bool, **view: Any) -> None:
    """Freeze the (filtered) network with its metrics and provenance.

    \b
    Examples:
      graphcap snapshot create --name "2025 Q4 board"
      graphcap snapshot create --name customers --type customer --min-strength 0.3
      graphcap snapshot create --from sample.gcap --folder ./snapshots
    """
    from graphcap.analysis import analyze
    from graphcap.config import load_project_config
    from graphcap.history import create_snapshot

    as_of = view.get("as_of")
    network, flt, where = read_view(**view)
    analysis = analyze(network, config=load_project_config(), as_of=as_of)
    info = create_snapshot(
        network, name=name, folder=folder, filters=flt, source=where, analysis=analysis, as_of=as_of
    )
    doc = {**_listed(info), "path": str(info.path)}
    table = lambda: click.echo(  # noqa: E731
        _("created {snapshot}").format(snapshot=info.label()) + f"\n  {info.path}"
    )
    emit(fmt_of(fmt, legacy_json), doc, columns=[*LIST_KEYS, "path"], table=table)


#: the JSON/CSV keys of one snapshot in `snapshot list` and `snapshot create` (docs/CLI.md)
LIST_KEYS = ["name", "created", "stakeholders", "relationships", "rci", "file", "problem"]


def _listed(info: Any) -> dict[str, Any]:
    return {
        "name": info.name,
        "created": info.created,
        "stakeholders": info.counts.get("nodes"),
        "relationships": info.counts.get("edges"),
        "rci": info.rci,
        "file": info.path.name,
        "problem": info.problem,
    }


@snapshot.command(name="list")
@_folder
@format_option
def list_(folder: Path | None, fmt: str, legacy_json: bool) -> None:
    """List the snapshots, oldest first (JSON: a list of objects with the keys name created
    stakeholders relationships rci file problem)."""
    from graphcap.history import list_snapshots, snapshots_dir

    rows = [_listed(i) for i in list_snapshots(folder)]
    fmt = fmt_of(fmt, legacy_json)
    if fmt != "table":
        emit(fmt, rows, rows=rows, columns=LIST_KEYS)
        return
    if not rows:
        click.echo(
            _("no snapshots in {folder} (create one: graphcap snapshot create --name ...)").format(
                folder=snapshots_dir(folder)
            )
        )
        return
    frame = pd.DataFrame(rows).drop(
        columns=["problem"] if not any(r["problem"] for r in rows) else []
    )
    frame["rci"] = frame["rci"].map(lambda v: format_number(v, decimals=1))
    if current_language() != "en":
        frame = frame.rename(columns={k: v() for k, v in _LIST_HEADERS.items()})
    click.echo(table_text(frame))


_SHOW_KEYS = ("created", "as_of", "source", "source_hash", "filters", "graphcap_version")
#: the headers of `snapshot list` in another language than English (English: the keys)
_LIST_HEADERS: dict[str, Callable[[], str]] = {
    "name": lambda: _("Name"),
    "created": lambda: _("created"),
    "stakeholders": lambda: _("Stakeholders"),
    "relationships": lambda: _("Relationships"),
    "rci": lambda: _("Index"),
    "file": lambda: _("file"),
    "problem": lambda: _("problem"),
}
#: the headers of `snapshot diff`'s tables that graphcap's column labels do not have
_DIFF_HEADERS: dict[str, Callable[[], str]] = {
    "before": lambda: _("Before"),
    "after": lambda: _("After"),
    "change": lambda: _("Change"),
}
#: the heading of each part of `snapshot diff` (in the current language)
_DIFF_TITLES: dict[str, Callable[[], str]] = {
    "stakeholders_added": lambda: _("stakeholders added"),
    "stakeholders_removed": lambda: _("stakeholders removed"),
    "relationships_gained": lambda: _("relationships gained"),
    "relationships_lost": lambda: _("relationships lost"),
    "strength_changes": lambda: _("strength changes"),
    "community_changes": lambda: _("community changes"),
    "quadrant_changes": lambda: _("quadrant changes"),
    "rci_drivers": lambda: _("index drivers"),
    "rci_by_type": lambda: _("index by type"),
}
#: what `snapshot show` calls each key (in the current language; JSON keeps the keys)
_SHOW_LABELS: dict[str, Callable[[], str]] = {
    "created": lambda: _("created"),
    "as_of": lambda: _("as of"),
    "source": lambda: _("source"),
    "source_hash": lambda: _("source hash"),
    "filters": lambda: _("filters"),
    "graphcap_version": lambda: _("graphcap version"),
    "nodes_by_type": lambda: _("stakeholders by type"),
    "edges_by_type": lambda: _("relationships by type"),
}


@snapshot.command(name="show")
@click.argument("ref")
@_folder
@format_option
def show(ref: str, folder: Path | None, fmt: str, legacy_json: bool) -> None:
    """Show one snapshot (by name or file): counts, RCI and provenance (JSON keys: name file
    rci created as_of source source_hash filters graphcap_version nodes_by_type
    edges_by_type)."""
    from graphcap.history import find_snapshot, load_content

    info = find_snapshot(ref, folder)
    meta = load_content(info).meta
    fmt = fmt_of(fmt, legacy_json)
    if fmt != "table":
        doc: dict[str, Any] = {"name": info.name, "file": str(info.path), "rci": info.rci}
        doc.update({key: meta.get(key) for key in _SHOW_KEYS})
        doc.update(
            {key: dict(info.counts.get(key) or {}) for key in ("nodes_by_type", "edges_by_type")}
        )
        emit(fmt, doc, rows=[{"key": k, "value": v} for k, v in doc.items()])
        return
    click.echo(info.label())
    click.echo(f"  {_('file')}: {info.path}")
    for key in _SHOW_KEYS:
        value = meta.get(key) if meta.get(key) not in (None, "", {}) else "–"
        click.echo(f"  {_SHOW_LABELS[key]()}: {value}")
    for key in ("nodes_by_type", "edges_by_type"):
        counts = info.counts.get(key) or {}
        click.echo(
            f"  {_SHOW_LABELS[key]()}: "
            + ", ".join(f"{type_label(k)} {v}" for k, v in sorted(counts.items()))
        )


@snapshot.command(name="diff")
@click.argument("before")
@click.argument("after")
@_folder
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=0.1,
    show_default=True,
    help="List strength changes of at least this much (0-1 scale).",
)
@format_option
def diff(
    before: str, after: str, folder: Path | None, threshold: float, fmt: str, legacy_json: bool
) -> None:
    """What changed from snapshot BEFORE to snapshot AFTER (names or files). JSON keys: before
    after rci_before rci_after summary and one list per kind of change; CSV: every change, one
    row each, its kind in the column ``change``."""
    from graphcap.export.tables import to_records
    from graphcap.history import diff_snapshots, find_snapshot

    d = diff_snapshots(
        find_snapshot(before, folder), find_snapshot(after, folder), strength_threshold=threshold
    )
    fmt = fmt_of(fmt, legacy_json)
    if fmt != "table":
        with use_language("en"):  # the JSON document is the same in every language
            english_summary = d.summary()
        doc = {
            "before": d.before,
            "after": d.after,
            "rci_before": d.rci_before,
            "rci_after": d.rci_after,
            "summary": english_summary,
            **{k: to_records(v) for k, v in d.frames().items()},
        }
        rows = [{"change": k, **r} for k, v in d.frames().items() for r in to_records(v)]
        emit(fmt, doc, rows=rows)
        return
    click.echo(f"{d.before} -> {d.after}")
    for line in d.summary():
        click.echo(f"  {line}")
    for title, frame in d.frames().items():
        if len(frame):
            click.echo(f"\n{_DIFF_TITLES.get(title, lambda t=title: t.replace('_', ' '))()}:")
            shown = frame.head(20)
            if current_language() != "en":
                shown = shown.rename(columns={k: v() for k, v in _DIFF_HEADERS.items()})
            click.echo(table_text(shown))
            if len(frame) > 20:
                click.echo(
                    _("  ... and {n} more (--format json for all)").format(n=len(frame) - 20)
                )
