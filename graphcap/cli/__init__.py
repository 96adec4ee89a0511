"""The ``graphcap`` command line. Each command group lives in its own module of this package and
is imported lazily, so ``graphcap --help`` is fast and a broken optional part names itself."""

from __future__ import annotations

import importlib
import sys

import click

from graphcap.errors import GraphcapError

# command name -> (module, attribute, one-line help)
_COMMANDS: dict[str, tuple[str, str, str]] = {
    "neo4j": ("graphcap.cli.neo4j_cmd", "neo4j", "Manage the local Neo4j (start, stop, status)."),
    "info": ("graphcap.cli.info_cmd", "info", "What is connected; counts by label and type."),
    "import": ("graphcap.cli.import_cmd", "import_", "Validate and import files into Neo4j."),
    "resolve": ("graphcap.cli.resolve_cmd", "resolve", "Propose and keep merges of one organisation."),
    "sample": ("graphcap.cli.sample_cmd", "sample", "Generate the sample stakeholder network."),
    "metrics": ("graphcap.cli.metrics_cmd", "metrics", "Compute relational-capital metrics."),
    "backtest": ("graphcap.cli.backtest_cmd", "backtest", "Backtest the at-risk radar on the data's own history."),
    "query": ("graphcap.cli.query_cmd", "query", "Run a library query or read-only Cypher."),
    "snapshot": ("graphcap.cli.snapshot_cmd", "snapshot", "Create, list and diff snapshots."),
    "export": ("graphcap.cli.export_cmd", "export", "Export the network: HTML, PNG, PDF, GraphML, ..."),
    "assess": ("graphcap.cli.edit_cmd", "assess", "Rate a relationship or a stakeholder."),
    "log": ("graphcap.cli.edit_cmd", "log", "Log an interaction between two stakeholders."),
    "history": ("graphcap.cli.edit_cmd", "history", "Recorded changes of a stakeholder or relationship."),
    "undo": ("graphcap.cli.edit_cmd", "undo", "Undo a recorded change."),
    "overdue": ("graphcap.cli.edit_cmd", "overdue", "Stakeholders overdue for a contact."),
    "hash-password": ("graphcap.cli.access_cmd", "hash_password", "A password hash for the app's users."),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in _COMMANDS:
            return None
        module, attr, _short = _COMMANDS[name]
        # imported on demand so that `graphcap --help` and each command start fast
        cmd: click.Command = getattr(importlib.import_module(module), attr)
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, _COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="graphcap")
def cli() -> None:
    """graphcap: see and manage an organisation's relational capital.

    Environment: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE (unset: the local Neo4j of
    `graphcap neo4j start`), GRAPHCAP_DATA_DIR, GRAPHCAP_CONFIG.
    """


def main(argv: list[str] | None = None) -> int:
    """Console-script entry: a :class:`GraphcapError` becomes one line on stderr and exit 1."""
    try:
        rv = cli.main(args=argv, prog_name="graphcap", standalone_mode=False)
    except GraphcapError as exc:
        click.echo(f"Error: {exc}", err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    # in non-standalone mode click returns the code of a `raise Exit(n)` instead of raising it
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
