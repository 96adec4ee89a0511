"""``graphcap query``: run a library query or read-only Cypher from the command line.

Exit codes (graphcap.cli.exits): 0 the query ran (a truncated result says so on stderr), 2 wrong
usage, 4 Neo4j not reachable or refused the login, 5 a limit was hit (time limit), 6 the
read-only check refused the query, 7 the query is wrong (unknown name, bad parameter value,
syntax or types as Neo4j reports them), 10 a setting is wrong (e.g. --max-rows 0), 12 the library
query reads graphcap's written-back metrics and `graphcap metrics --write` has not been run on
the data as it is now.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.exits import exit_code
from graphcap.cli.output import note
from graphcap.errors import GraphcapError, QueryLimitHit, QueryRefused
from graphcap.i18n import format_number
from graphcap.i18n import gettext as _


def _split_params(pairs: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(_("--param {pair} must read name=value").format(pair=repr(pair)))
        values[name.strip()] = value
    return values


def _free_params(pairs: dict[str, str]) -> dict[str, object]:
    """Parameters of free Cypher: JSON where the text is JSON (10, 0.5, true, null, "x",
    [1, 2]), else the text itself."""
    import json

    out: dict[str, object] = {}
    for name, text in pairs.items():
        try:
            out[name] = json.loads(text)
        except ValueError:
            out[name] = text
    return out


def _render(result: object, fmt: str) -> str:
    from graphcap.console.output import csv_text, result_json, table_frame

    if fmt == "json":
        return result_json(result)
    frame = table_frame(result.frame, compact=fmt == "table")  # type: ignore[attr-defined]
    if fmt == "csv":
        return csv_text(frame, lineterminator="\n")
    if frame.empty:
        return _("(no rows)")
    return frame.to_string(index=False, na_rep="")


def _listing(fmt: str) -> str:
    import json

    from graphcap.console import library

    queries = library.list_queries()
    if fmt == "markdown":
        return library.library_markdown(queries).rstrip("\n")
    if fmt == "json":
        return json.dumps(
            [{"name": q.name, "title": q.title, "description": q.description,
              "params": [{"name": p.name, "type": p.type, "default": p.default_text,
                          "meaning": p.meaning} for p in q.params],
              "returns": q.returns, "columns": list(q.columns)} for q in queries],
            ensure_ascii=False, indent=2,
        )  # fmt: skip
    width = max(len(q.name) for q in queries)
    return "\n".join(f"{q.name:<{width}}  {q.shown('title')}" for q in queries)


@click.command(cls=HelpCommand, name="query")
@click.argument("name", required=False)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter value (repeatable). Library queries convert it to the declared type.",
)
@click.option(
    "--cypher", metavar="TEXT", help="Run this read-only Cypher instead of a library query."
)
@click.option(
    "--file",
    "file_",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Run the read-only Cypher in this file.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "markdown"]),
    default="table",
    show_default=True,
    help="Output format (markdown only with --list).",
)
@click.option("--list", "list_", is_flag=True, help="List the library queries.")
@click.option(
    "--show", is_flag=True, help="Print the library query's Cypher instead of running it."
)
@click.option(
    "--timeout",
    "timeout_s",
    type=float,
    metavar="SECONDS",
    help="Time limit (default: query_timeout_s from settings).",
)
@click.option(
    "--max-rows",
    "max_rows",
    type=int,
    metavar="N",
    help="Row cap (default: max_rows from settings).",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the result to this file."
)
def query(name: str | None, params: tuple[str, ...], cypher: str | None, file_: Path | None,
          fmt: str, list_: bool, show: bool, timeout_s: float | None, max_rows: int | None,
          out: Path | None) -> None:  # fmt: skip
    """Run a library query NAME, or read-only Cypher, against the connected Neo4j.

    Every query is checked first (one statement, no writes, no LOAD CSV, no administration,
    only allow-listed procedures; then Neo4j's plan must be read-only) and runs in a read
    transaction with a time limit and a row cap.

    \b
    Examples:
      graphcap query --list
      graphcap query top_customers --param limit=5
      graphcap query stale_relationships -p days=90 -p as_of=2026-06-30 --format csv
      graphcap query --cypher "MATCH (c:Customer) RETURN c.name, c.revenue LIMIT 10"
      graphcap query --cypher "MATCH (c {name: \\$name}) RETURN c" -p name=Alpha
    """
    from graphcap.config import load_project_config
    from graphcap.console import library

    sources = [x for x in (name, cypher, file_) if x]
    if list_:
        click.echo(_listing(fmt))
        return
    if fmt == "markdown":
        raise click.UsageError(_("--format markdown is only for --list"))
    if len(sources) != 1:
        raise click.UsageError(
            _("give exactly one of: a library query NAME, --cypher TEXT, --file PATH")
        )
    given = _split_params(params)
    lib = None
    try:
        if name:
            lib = library.get_query(name)
            if show:
                click.echo(lib.text.rstrip("\n"))
                return
            text, values = lib.text, lib.resolve(given)
        else:
            if show:
                raise click.UsageError(_("--show is for library queries"))
            text = cypher if cypher else file_.read_text(encoding="utf-8")  # type: ignore[union-attr]
            values = _free_params(given)
        config = load_project_config()
        changes = {k: v for k, v in (("query_timeout_s", timeout_s), ("max_rows", max_rows))
                   if v is not None}  # fmt: skip
        limits = config.with_limits(**changes).limits if changes else config.limits
    except GraphcapError as exc:
        click.echo(_("Error: {message}").format(message=exc), err=True)
        sys.exit(exit_code(exc))
    _run(text, values, limits, config.schema, fmt, out, lib)


def _run(text, values, limits, schema, fmt, out, lib=None) -> None:  # type: ignore[no-untyped-def]
    from graphcap.console.policy import run_library_query, run_query
    from graphcap.store import Neo4jStore

    logging.getLogger("neo4j").setLevel(logging.ERROR)
    try:
        with Neo4jStore.from_env(schema=schema) as store:
            if lib is not None:
                result = run_library_query(store, lib, values, limits=limits)
            else:
                result = run_query(store, text, values, limits=limits)
    except QueryRefused as exc:
        click.echo(_("Refused: {reason}").format(reason=exc.reason), err=True)
        sys.exit(exit_code(exc))
    except QueryLimitHit as exc:
        click.echo(
            _("Limit hit ({limit}): {message}").format(limit=exc.limit, message=exc), err=True
        )
        sys.exit(exit_code(exc))
    except GraphcapError as exc:
        click.echo(_("Error: {message}").format(message=exc), err=True)
        sys.exit(exit_code(exc))
    rendered = _render(result, fmt)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(rendered if rendered.endswith("\n") else rendered + "\n", encoding="utf-8")
        note(
            _("wrote {n} row(s) ({format}) to {path}").format(
                n=len(result.rows), format=fmt, path=out
            )
        )
    else:
        click.echo(rendered)
    if result.truncated:
        from graphcap.console.output import truncation_note

        click.echo(truncation_note(result), err=True)
    note(
        _("{n} row(s) in {seconds} s").format(
            n=format_number(len(result.rows)),
            seconds=format_number(result.elapsed_s, decimals=2),
        )
    )
