"""``graphcap survey FILE``: satisfaction and loyalty ratings from a survey CSV (SERVQUAL, NPS)
recorded as assessments of stakeholders, checked like an import (loaders.survey: every problem
with its row and column, nothing written on error) and written in one transaction with one
audit event per row (graphcap.store.assess.assess_all)."""

from __future__ import annotations

from pathlib import Path

import click

from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.edit_cmd import USER, open_editor
from graphcap.cli.output import emit, fmt_of, format_option
from graphcap.config import load_project_config
from graphcap.errors import ConnectionFailed
from graphcap.i18n import gettext as _
from graphcap.store.assess import assess_all, survey_ratings, survey_summary
from loaders.survey import read_survey

__all__ = ["survey"]


@click.command(cls=HelpCommand, name="survey")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check the file against the graph, write nothing (without Neo4j: all but the ids).",
)
@USER
@format_option
def survey(file: Path, dry_run: bool, user: str | None, fmt: str, legacy_json: bool) -> None:
    """Record the survey rows of FILE (columns stakeholder, date, assessor and satisfaction,
    loyalty, nps 0-10 or servqual 1-7; docs/TEAM.md) as assessments of the stakeholders.

    --format json prints {file, dry_run, rows, assessments, summary, ids_checked} (docs/CLI.md).
    With --dry-run and no reachable Neo4j every check but the stakeholder ids runs, and the output
    says the ids were not checked."""
    if dry_run:
        try:
            store, editor = open_editor(user)
        except ConnectionFailed as exc:  # check what can be checked without the graph
            _offline(file, fmt, legacy_json, str(exc))
            return
    else:
        store, editor = open_editor(user)
    with store:
        rows = read_survey(file, known=store.stakeholder_ids(), schema=store.schema)
        events = (
            None
            if dry_run
            else assess_all(editor, survey_ratings(rows, store.schema, file=file.name))
        )
    summary = survey_summary(rows) if events is None else survey_summary(rows, events)
    doc = {
        "file": str(file),
        "dry_run": dry_run,
        "rows": len(rows),
        "assessments": 0 if events is None else len(events),
        "summary": summary,
        "ids_checked": True,
    }
    emit(
        fmt_of(fmt, legacy_json),
        doc,
        rows=[doc],
        columns=list(doc),
        table=lambda: click.echo(summary),
    )


def _offline(file: Path, fmt: str, legacy_json: bool, why: str) -> None:
    """``--dry-run`` without a reachable Neo4j: every check but the stakeholder ids (columns,
    dates, ratings with the project's types from graphcap.toml), and say the ids were not
    checked."""
    config = load_project_config()
    rows = read_survey(file, known=None, schema=config.schema)
    note = _(
        "The stakeholder ids were not checked against the graph (Neo4j is not reachable: {why})."
    ).format(why=why)
    summary = survey_summary(rows)
    doc = {
        "file": str(file),
        "dry_run": True,
        "rows": len(rows),
        "assessments": 0,
        "summary": summary,
        "ids_checked": False,
    }

    def table() -> None:
        click.echo(summary)
        click.echo(note)

    emit(fmt_of(fmt, legacy_json), doc, rows=[doc], columns=list(doc), table=table)
