"""``graphcap info``: what is connected, and how many stakeholders and relationships it holds.

Connects to ``NEO4J_URI`` (or the local server of ``graphcap neo4j start``), checks the
connection, and prints the server, the data version, counts by stakeholder label and by
relationship type, the interaction log size and the last metric write-back. When Neo4j cannot be
reached the error is one line naming the URI (exit 4; graphcap.cli.main prints it).

JSON keys: ``source server version counts`` (``nodes`` by type, ``edges`` by relationship type,
``interactions.total``) ``interrupted_import metrics``; CSV: one row per count (``kind name
count``).
"""

from __future__ import annotations

import click

from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.output import emit, fmt_of, format_option
from graphcap.i18n import format_number
from graphcap.i18n import gettext as _

__all__ = ["info"]


@click.command(cls=HelpCommand, name="info")
@format_option
@click.option(
    "--recover",
    is_flag=True,
    help="Undo an import that was interrupted (process or server killed) before reporting.",
)
def info(fmt: str, legacy_json: bool, recover: bool) -> None:
    """What is connected; counts by label and relationship type."""
    from graphcap.config import load_project_config
    from graphcap.store import Neo4jStore

    schema = load_project_config().schema
    with Neo4jStore.from_env(schema=schema) as store:
        server = store.verify()
        recovered = store.recover() if recover else None
        counts = store.counts()
        schema = store.schema  # with the project types stored with the data
        version = store.version()
        pending = store.pending_import()
        metrics = store.metrics_run()
    fmt = fmt_of(fmt, legacy_json)
    if fmt != "table":
        doc = {
            "source": store.describe(),
            "server": server,
            "version": version,
            "counts": counts,
            "interrupted_import": pending,
            "recovered": recovered,
            "metrics": None
            if metrics is None
            else {**metrics, "computed_at": str(metrics.get("computed_at"))},
        }
        rows = [{"kind": "nodes", "name": k, "count": v} for k, v in counts["nodes"].items()]
        rows += [{"kind": "edges", "name": k, "count": v} for k, v in counts["edges"].items()]
        rows.append(
            {"kind": "interactions", "name": "total", "count": counts["interactions"]["total"]}
        )
        emit(fmt, doc, rows=rows)
        return
    click.echo(_("Connected: {where}").format(where=store.describe_text()))
    click.echo(_("Data version: {version}").format(version=version))
    if recovered:
        click.echo(_("Undid the interrupted import {id}.").format(id=recovered))
    if pending:
        click.echo(
            _(
                "Warning: import {id} was interrupted; the next import undoes it first, or run "
                "`graphcap info --recover` now."
            ).format(id=pending)
        )
    width = max(
        [len(lb) for lb in schema.node_types.values()] + [len(r) for r in schema.rel_types] + [12]
    )
    nodes = counts["nodes"]
    click.echo("\n" + _("Stakeholders ({n}) by label:").format(n=sum(nodes.values())))
    for name, n in nodes.items():
        click.echo(f"  {schema.label_for(name):<{width}} {n:>9}")
    edges = counts["edges"]
    click.echo("\n" + _("Relationships ({n}) by type:").format(n=sum(edges.values())))
    for rel, n in edges.items():
        click.echo(f"  {rel:<{width}} {n:>9}")
    click.echo("\n" + _("Interactions: {n}").format(n=counts["interactions"]["total"]))
    if metrics:
        click.echo(
            _("Metrics: {names} (computed {when}, {seconds} s)").format(
                names=", ".join(metrics.get("metrics") or []),
                when=metrics.get("computed_at"),
                seconds=format_number(metrics.get("seconds", 0), decimals=1),
            )
        )
    else:
        click.echo(_("Metrics: none written back yet (`graphcap metrics`)."))
