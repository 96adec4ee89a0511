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

from pathlib import Path

import click
import pandas as pd

from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.exits import exit_code
from graphcap.cli.import_report import (
    _PROBLEM_COLUMNS,
    _document,
    _echo_problems,
    _write_report,
)
from graphcap.cli.import_write import _bulk, _import, _streamable, _validate_streamed
from graphcap.cli.output import (
    csv_text,
    emit,
    fmt_of,
    format_option,
    note,
)
from graphcap.errors import ValidationError
from graphcap.i18n import current_language, format_date, format_number
from graphcap.i18n import gettext as _
from graphcap.i18n import shown as shown_text
from graphcap.model import data_reference_date

__all__ = ["import_"]


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
