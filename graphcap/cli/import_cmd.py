"""``graphcap import PATH``: validate files and write them to Neo4j, all or nothing.

The file is validated completely first (every problem listed with file, sheet, row, column);
only a valid input (or, with ``--lenient``, its valid rows) reaches Neo4j, whose import is all or
nothing (:mod:`graphcap.store.importer`), so a failed import leaves the graph exactly as it was.
``--dry-run`` stops after the validation; ``--replace`` makes the import the whole graph
(:mod:`graphcap.store.replace`), after a question and a snapshot. A progress bar shows for
imports longer than half a second on a terminal; the summary counts created, updated,
unchanged and rejected rows per table (and removed ones, for a replace).

``--format json`` prints one document (docs/CLI.md): ``source format valid`` (counts)
``dry_run imported`` (per table ``created updated unchanged rejected removed``, null for a dry
run or a failed validation) ``target seconds problems`` (each ``severity file sheet row column value
why``); ``--format csv`` prints the problems, one row each. A failed validation exits 3.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import click
import pandas as pd

from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.exits import exit_code
from graphcap.cli.output import (
    csv_text,
    emit,
    fmt_of,
    format_option,
    note,
    progress_bar,
    verbosity,
)
from graphcap.errors import Problem, ValidationError
from graphcap.i18n import current_language, format_date, format_number
from graphcap.i18n import gettext as _
from graphcap.i18n import shown as shown_text
from graphcap.model import data_reference_date
from loaders.problems import group_problems

__all__ = ["import_"]


#: at most this many lines of problems (groups) are printed; --report keeps every one
MAX_SHOWN = 30


def _echo_problems(problems: list[Problem], *, title: str, report: Path | None = None) -> None:
    """The problems grouped by file, column and reason (count and first rows), capped; with
    --quiet only errors are printed."""
    if not problems or (verbosity() < 0 and all(p.severity != "error" for p in problems)):
        return
    click.echo(title, err=True)
    groups = group_problems(problems)
    for group in groups[:MAX_SHOWN]:
        click.echo(f"  - {group}", err=True)
    if len(groups) > MAX_SHOWN:
        hidden = sum(g.count for g in groups[MAX_SHOWN:])
        more = _(
            "  ... and {hidden} more problem(s) of {kinds} other kind(s); {report} lists every one"
        )
        click.echo(
            more.format(
                hidden=hidden, kinds=len(groups) - MAX_SHOWN, report=report or "--report FILE"
            ),
            err=True,
        )


_PROBLEM_COLUMNS = list(Problem(file="", why="").as_dict())


def _document(
    path: Path,
    loader: Any,
    problems: list[Problem],
    *,
    valid: dict[str, int] | None,
    dry_run: bool,
    imported: dict[str, Any] | None = None,
    target: str | None = None,
    seconds: float | None = None,
    network: Any = None,
) -> dict[str, Any]:
    meta = getattr(network, "meta", None) or {}
    ref = (meta.get("as_of") or data_reference_date(network)) if network is not None else None
    return {
        "source": str(path),
        "format": loader.format,
        "valid": valid,
        "dry_run": dry_run,
        "as_of": None if ref is None else pd.Timestamp(ref).date().isoformat(),
        "ego_only": bool(meta.get("ego_only", False)),
        "imported": imported,
        "target": target,
        "seconds": seconds,
        "problems": [p.as_dict() for p in problems],
    }


def _write_report(path: Path, problems: list[Problem]) -> None:
    """Every problem as one row of a CSV (opens in Excel: UTF-8 with BOM) or a JSON list."""
    rows = [p.as_dict() for p in problems]
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(Problem(file="", why="").as_dict()))
            writer.writeheader()
            writer.writerows(rows)
    note(_("Report of {n} problem(s) written to {path}").format(n=len(rows), path=path))


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
    from graphcap import localdb
    from graphcap.cli.bulk import bulk_load
    from graphcap.config.connection import Neo4jSettings

    if Neo4jSettings.from_env().explicit:
        raise click.UsageError(
            _(
                "--bulk loads the local server's database (graphcap neo4j start); NEO4J_URI "
                "names another server: import without --bulk"
            )
        )
    note(_("Loading with Neo4j's offline importer (the local server restarts) ..."))
    return bulk_load(localdb.default_server(), network, schema, files=files)


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


@click.command(cls=HelpCommand, name="import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Mapping file (YAML or TOML) for a CRM/ERP export; examples in loaders/mappings/.",
)
@click.option(
    "--organisation",
    "--organization",
    "organisation",
    default=None,
    metavar="NAME",
    help="The focal organisation of a recipe (overrides the recipe's organisation:); "
    "it is added as a stakeholder of type organization.",
)
@click.option(
    "--onto-graph",
    "onto_graph",
    is_flag=True,
    help="Add relationships and/or interactions to the graph in Neo4j: the file may "
    "have no stakeholders; every end must be a stakeholder in the file or in Neo4j.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Make the import the whole graph: stakeholders, relationships and interactions it "
    "does not hold are deleted. Asks first (unless --yes), takes a snapshot of the graph "
    "before, and is all or nothing like every import.",
)
@click.option(
    "--bulk",
    is_flag=True,
    help=_(
        "First load of an empty local database (graphcap neo4j start) by Neo4j's offline "
        "importer: the server is stopped for it and started again. Much faster for millions "
        "of rows; stakeholders and relationships only, checked like every import."
    ),
)
@click.option("--yes", "-y", "yes", is_flag=True, help="Do not ask before --replace.")
@click.option(
    "--lenient",
    is_flag=True,
    help="Import the valid rows and report the rejected ones (default: import nothing "
    "if any row has a problem).",
)
@click.option(
    "--encoding",
    default=None,
    help="The text files' encoding (e.g. cp1252, utf-8); default: detected. A file "
    "that is not valid in the detected encoding is refused with the byte offset.",
)
@click.option("--dry-run", is_flag=True, help="Validate and report only; Neo4j is not touched.")
@click.option(
    "--report",
    "report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write every problem (warnings and rejected rows) to this .csv or .json "
    "file, one row each: severity, file, sheet, row, column, value, why.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 1_000_000),
    default=10_000,
    show_default=True,
    help="Rows per write batch (a failed import is undone as a whole).",
)
@click.option(
    "--compare-all",
    is_flag=True,
    help=_(
        "Send every row for Neo4j to compare with the stored one, instead of leaving out the "
        "rows whose stored fingerprint shows them unchanged."
    ),
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    default=None,
    help="The data's reference date, stored with it (default: its latest interaction "
    "or contact date). Analyses use it unless given another --as-of.",
)
@click.option(
    "--ego-only",
    "ego_only",
    is_flag=True,
    help=_(
        "The data can only show relationships with the organisation (an order log, a CRM "
        "export): stored with it, so analyses say once that nothing shows ties among "
        "stakeholders instead of flagging every relationship single-threaded. Recipes: "
        "ego_only: true."
    ),
)
@format_option
@click.pass_context
def import_(
    ctx: click.Context,
    path: Path,
    mapping_file: Path | None,
    organisation: str | None,
    onto_graph: bool,
    replace: bool,
    bulk: bool,
    yes: bool,
    lenient: bool,
    encoding: str | None,
    dry_run: bool,
    report: Path | None,
    batch_size: int,
    compare_all: bool,
    as_of: str | None,
    ego_only: bool,
    fmt: str,
    legacy_json: bool,
) -> None:
    """Validate PATH and import it into Neo4j.

    PATH is a folder or zip with nodes.csv, edges.csv (and interactions.csv), one of those CSV
    files, an .xlsx workbook (sheets nodes, edges, interactions), a .graphml or a .gexf file,
    or a recipe (.yaml) that turns raw exports into those tables (docs/INPUT.md).
    Every problem is listed with file, sheet, row and column; nothing is written unless the whole
    input is valid (or --lenient leaves out the rows with problems).
    """
    from graphcap.config import load_project_config
    from loaders import loader_for

    fmt = fmt_of(fmt, legacy_json)
    if replace and onto_graph:
        raise click.UsageError(_("--replace and --onto-graph exclude each other"))
    if bulk and (replace or onto_graph):
        raise click.UsageError(
            _("--bulk loads an empty database: not with --replace or --onto-graph")
        )
    config = load_project_config()
    schema = config.schema
    existing = None
    if onto_graph:
        from graphcap.store import Neo4jStore

        with Neo4jStore.from_env(schema=schema) as store:
            store.verify()
            existing = store.stakeholder_ids()
            schema = store.load_stored_types()
        note(
            _("Onto the graph in {where}: {n} stakeholders there.").format(
                where=store.describe_text(), n=len(existing)
            )
        )
    loader = loader_for(
        path,
        mapping=mapping_file,
        lenient=lenient,
        schema=schema,
        encoding=encoding,
        limits=config.limits,
        organisation=organisation,
        existing=existing,
    )
    if mapping_file:
        note(
            _("Validating {path} ({format}, mapping {mapping}) ...").format(
                path=path, format=loader.format, mapping=mapping_file.name
            )
        )
    else:
        note(_("Validating {path} ({format}) ...").format(path=path, format=loader.format))
    streamed = bulk and _streamable(loader)
    bulk_files = counts = None
    try:
        if streamed:
            result, bulk_files, counts = _validate_streamed(ctx, loader, schema, dry_run=dry_run)
        else:
            result = loader.load()
    except ValidationError as exc:
        errors = [p for p in exc.problems if p.severity == "error"]
        warnings = [p for p in exc.problems if p.severity != "error"]
        if fmt == "json":
            emit(fmt, _document(path, loader, exc.problems, valid=None, dry_run=dry_run))
        elif fmt == "csv":
            click.echo(csv_text([p.as_dict() for p in exc.problems], _PROBLEM_COLUMNS))
        else:
            _echo_problems(
                warnings, title=_("{n} warning(s):").format(n=len(warnings)), report=report
            )
            _echo_problems(
                errors,
                title=_("{n} problem(s); nothing was imported:").format(n=len(errors)),
                report=report,
            )
            if not lenient and not any(p.row is None for p in errors):
                note(_("Fix the rows above, or use --lenient to import the valid rows only."))
        if report is not None:
            _write_report(report, exc.problems)
        ctx.exit(exit_code(exc))
    network = result.network
    if as_of is not None:
        try:
            stamp = pd.Timestamp(as_of)
        except (TypeError, ValueError):
            stamp = pd.NaT
        if pd.isna(stamp):
            raise click.BadParameter(
                _("must be a date (YYYY-MM-DD), got {value}").format(value=repr(as_of)),
                param_hint="--as-of",
            )
        network.meta["as_of"] = stamp.date()
    if ego_only:
        network.meta["ego_only"] = True
    ref = network.meta.get("as_of") or data_reference_date(network)
    if ref is None:
        note(_("Data as of: unknown (no dates in the data; analyses will use today)"))
    elif as_of:
        note(_("Data as of: {date} (given)").format(date=format_date(pd.Timestamp(ref))))
    else:
        note(
            _("Data as of: {date} (latest interaction or contact)").format(
                date=format_date(pd.Timestamp(ref))
            )
        )
    if network.meta.get("ego_only"):
        note(
            _(
                "Ego-only data: it shows only relationships with the organisation, so no "
                "relationship is flagged single-threaded one by one (stored with the data)."
            )
        )
    if fmt == "table":
        _echo_problems(
            result.warnings,
            title=_("{n} warning(s):").format(n=len(result.warnings)),
            report=report,
        )
        _echo_problems(
            result.errors,
            title=_("{n} row(s) rejected (--lenient):").format(n=result.rejected_rows),
            report=report,
        )
    if report is not None:
        _write_report(report, result.problems)
    counts = counts or network.counts
    if fmt == "table":
        click.echo(
            _(
                "Valid: {nodes} stakeholders, {edges} relationships, {interactions} interactions."
            ).format(**counts)
        )
    if dry_run:
        if fmt == "table":
            click.echo(
                _("Dry run: Neo4j was not touched. Rejected: {n}.").format(n=result.rejected_rows)
            )
        elif fmt == "json":
            emit(
                fmt,
                _document(
                    path, loader, result.problems, valid=counts, dry_run=True, network=network
                ),
            )
        else:
            click.echo(csv_text([p.as_dict() for p in result.problems], _PROBLEM_COLUMNS))
        return
    from graphcap.store import Neo4jStore

    if bulk:
        summary, where = _bulk(network, schema, bulk_files)
    else:
        summary, where = _import(
            network, schema, path, replace=replace, yes=yes, batch_size=batch_size,
            compare_all=compare_all,
        )  # fmt: skip
    imported = {}
    for kind in ("nodes", "edges", "interactions"):
        c = getattr(summary, kind)
        imported[kind] = {
            "created": c.created,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "rejected": c.rejected + result.rejected.get(kind, 0),
            "removed": c.removed,
        }
    if fmt == "json":
        emit(
            fmt,
            _document(
                path,
                loader,
                result.problems,
                valid=counts,
                dry_run=False,
                imported=imported,
                target=where,
                seconds=round(summary.seconds, 3),
                network=network,
            ),
        )
        return
    if fmt == "csv":
        click.echo(csv_text([p.as_dict() for p in result.problems], _PROBLEM_COLUMNS))
        return
    click.echo(_("Imported into {where}:").format(where=shown_text(where)))
    kinds = {
        "nodes": _("stakeholders"),
        "edges": _("relationships"),
        "interactions": _("interactions"),
    }
    for kind, c in imported.items():
        shown = kind if current_language() == "en" else kinds[kind]
        click.echo(
            f"  {shown:<13} "
            + _(
                "{created:>8} created {updated:>8} updated {unchanged:>8} unchanged "
                "{rejected:>8} rejected"
            ).format(**c)
            + (" " + _("{n:>8} removed").format(n=c["removed"]) if replace else "")
        )
    click.echo(f"  ({format_number(summary.seconds, decimals=1)} s)")
