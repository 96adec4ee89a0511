"""How ``graphcap import`` writes a validated network: through the store (progress bar, and for
``--replace`` the question and the snapshot first) or, with ``--bulk``, with Neo4j's offline
importer, a CSV folder then validated part by part (:mod:`graphcap.cli.import_cmd`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from graphcap.cli.output import note, progress_bar
from graphcap.i18n import gettext as _


def _progress_bar() -> tuple[Any, Any]:
    bar = progress_bar(total=0, unit="row", desc=_("Importing"), delay=0.5, leave=False)

    def progress(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    return bar, progress


def _before_replace(store: Any, path: Path, *, yes: bool) -> None:
    """Ask (unless ``yes``), then snapshot the graph that is about to be replaced."""
    from graphcap.history import snapshot_before_replace

    counts = store.counts()
    where = store.describe_text()
    n_nodes = sum(counts.get("nodes", {}).values())
    n_edges = sum(counts.get("edges", {}).values())
    if not yes:
        click.confirm(
            _(
                "Replace the whole graph in {where} ({nodes} stakeholders, {edges} "
                "relationships) with {path}? A snapshot of it is taken first."
            ).format(where=where, nodes=n_nodes, edges=n_edges, path=path),
            abort=True,
            err=True,
        )
    info = snapshot_before_replace(store, what=path.name)
    note(_("Snapshot of the graph before the replace: {path}").format(path=info.path))


def _bulk(network: Any, schema: Any, files: Any = None) -> tuple[Any, str]:
    from graphcap.cli.bulk import bulk_load
    from graphcap.config.connection import Neo4jSettings
    from graphcap.localdb.default import default_server

    if Neo4jSettings.from_env().explicit:
        raise click.UsageError(
            _(
                "--bulk loads the local server's database (graphcap neo4j start); NEO4J_URI "
                "names another server: import without --bulk"
            )
        )
    note(_("Loading with Neo4j's offline importer (the local server restarts) ..."))
    return bulk_load(default_server(), network, schema, files=files)


def _streamable(loader: Any) -> bool:
    from loaders.stream import streamable

    return streamable(loader)


def _validate_streamed(ctx: click.Context, loader: Any, schema: Any, *, dry_run: bool) -> Any:
    """--bulk of a CSV folder: validated part by part, the offline importer's files written
    while reading (a temporary folder removed when the command ends)."""
    import tempfile

    from graphcap.cli.bulk import validate_streamed

    folder = None
    if not dry_run:
        work = tempfile.TemporaryDirectory(prefix="graphcap-bulk-")
        ctx.call_on_close(work.cleanup)
        folder = Path(work.name)
    return validate_streamed(loader, schema, folder)


def _import(
    network: Any,
    schema: Any,
    path: Path,
    *,
    replace: bool,
    yes: bool,
    batch_size: int,
    compare_all: bool,
) -> tuple[Any, str]:
    from graphcap.store import Neo4jStore

    with Neo4jStore.from_env(schema=schema) as store:
        store.verify()
        if replace:
            _before_replace(store, path, yes=yes)
        bar, progress = _progress_bar()
        try:
            store.ensure_schema()
            summary = store.import_network(
                network,
                batch_size=batch_size,
                progress=progress,
                replace=replace,
                compare_all=compare_all,
            )
            where = store.describe()
        finally:
            bar.close()
    return summary, where
