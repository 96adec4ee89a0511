"""The ``graphcap`` command line. Each command group lives in its own module of this package and
is imported lazily, so ``graphcap --help`` is fast and a broken optional part names itself.

Conventions shared by every command (docs/CLI.md): ``--format table|json|csv`` where a command
prints data (:mod:`graphcap.cli.output`), ``-q/--quiet`` and ``-v/--verbose`` before the command,
one exit code per class of error (:mod:`graphcap.cli.exits`), shell completion
(``graphcap completion bash|zsh|fish``).
"""

from __future__ import annotations

import importlib
import logging
import sys
import traceback
from typing import Any

import click

from graphcap.cli.clicktext import HelpGroup, install
from graphcap.cli.exits import EXIT_INTERRUPTED, EXIT_MEANINGS, exit_code
from graphcap.cli.gcpause import freeze_at_exit
from graphcap.cli.output import set_verbosity, verbosity
from graphcap.errors import GraphcapError
from graphcap.i18n import LANGUAGES, resolve_language, set_language
from graphcap.i18n import gettext as _

# command name -> (module, attribute, one-line help)
_COMMANDS: dict[str, tuple[str, str, str]] = {
    "app": ("graphcap.cli.app_cmd", "app", "Start the Streamlit explorer on 127.0.0.1."),
    "neo4j": ("graphcap.cli.neo4j_cmd", "neo4j", "Manage the local Neo4j (start, stop, status)."),
    "info": ("graphcap.cli.info_cmd", "info", "What is connected; counts by label and type."),
    "import": ("graphcap.cli.import_cmd", "import_", "Validate and import files into Neo4j."),
    "resolve": (
        "graphcap.cli.resolve_cmd",
        "resolve",
        "Propose and keep merges of one organisation.",
    ),
    "sample": ("graphcap.cli.sample_cmd", "sample", "Generate the sample stakeholder network."),
    "metrics": ("graphcap.cli.metrics_cmd", "metrics", "Compute relational-capital metrics."),
    "backtest": (
        "graphcap.cli.backtest_cmd",
        "backtest",
        "Backtest the at-risk radar on the data's own history.",
    ),
    "query": ("graphcap.cli.query_cmd", "query", "Run a library query or read-only Cypher."),
    "snapshot": ("graphcap.cli.snapshot_cmd", "snapshot", "Create, list and diff snapshots."),
    "export": (
        "graphcap.cli.export_cmd",
        "export",
        "Export the network: HTML, PNG, PDF, GraphML, ...",
    ),
    "assess": ("graphcap.cli.edit_cmd", "assess", "Rate a relationship or a stakeholder."),
    "log": ("graphcap.cli.edit_cmd", "log", "Log an interaction between two stakeholders."),
    "history": (
        "graphcap.cli.edit_cmd",
        "history",
        "Recorded changes of a stakeholder or relationship.",
    ),
    "undo": ("graphcap.cli.edit_cmd", "undo", "Undo a recorded change."),
    "overdue": ("graphcap.cli.edit_cmd", "overdue", "Stakeholders overdue for a contact."),
    "survey": (
        "graphcap.cli.survey_cmd",
        "survey",
        "Record satisfaction/loyalty survey rows (CSV) as assessments.",
    ),
    "purge": (
        "graphcap.cli.purge_cmd",
        "purge",
        "Delete retired items for good (admins only).",
    ),
    "next-contacts": (
        "graphcap.cli.contact_cmd",
        "next_contacts",
        "Whom to contact this week, ranked, with reasons.",
    ),
    "hash-password": (
        "graphcap.cli.access_cmd",
        "hash_password",
        "A password hash for the app's users.",
    ),
    "check-login": (
        "graphcap.cli.access_cmd",
        "check_login",
        "Refuse unless the app requires a login (container start).",
    ),
    "completion": (
        "graphcap.cli.completion_cmd",
        "completion",
        "Print the shell completion script (bash, zsh, fish).",
    ),
}


class GraphcapFailure(click.ClickException):
    """A :class:`GraphcapError` on its way out: one line on stderr, the exit code of its class."""

    def __init__(self, error: GraphcapError) -> None:
        super().__init__(str(error))
        self.error = error
        self.exit_code = exit_code(error)  # type: ignore[misc]  # click reads it per instance

    def show(self, file: Any = None) -> None:
        if verbosity() >= 2:
            traceback.print_exception(self.error, file=sys.stderr)
        click.echo(_("Error: {message}").format(message=self.message), err=True)


install()  # click's own messages in the command line's language


class _LazyGroup(HelpGroup):
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
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section(_("Exit codes")):
            formatter.write_dl([(str(code), text) for code, text in sorted(EXIT_MEANINGS.items())])

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # the language first: `--help`, a usage error and an unknown command are shown while
        # the options are read, before --lang's own turn
        set_language(choose_language(_lang_given(args)))
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GraphcapError as exc:
            raise GraphcapFailure(exc) from exc


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="graphcap")
@click.option("-q", "--quiet", is_flag=True, help="Only data and errors: no progress, no notes.")
@click.option(
    "--lang",
    type=click.Choice(sorted(LANGUAGES), case_sensitive=False),
    help="Language of messages, table headers and documents (default: GRAPHCAP_LANG, "
    "[locale] language in graphcap.toml, else en). JSON and CSV keep their English keys.",
)
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="More detail on stderr (-v: log messages; -vv: debug log and tracebacks).",
)
def cli(quiet: bool, verbose: int, lang: str | None) -> None:
    """graphcap: see and manage an organisation's relational capital.

    Environment: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE (unset: the local Neo4j of
    `graphcap neo4j start`), GRAPHCAP_DATA_DIR, GRAPHCAP_CONFIG, GRAPHCAP_LANG, GRAPHCAP_CURRENCY.
    Commands that print data take --format table|json|csv (docs/CLI.md lists the JSON keys).
    """
    set_language(choose_language(lang))
    if quiet and verbose:
        raise click.UsageError(_("--quiet and --verbose exclude each other"))
    level = -1 if quiet else min(verbose, 2)
    set_verbosity(level)
    if level >= 1:
        logging.basicConfig(
            level=logging.DEBUG if level >= 2 else logging.INFO,
            format="%(levelname)s %(name)s: %(message)s",
            stream=sys.stderr,
        )


def _lang_given(args: list[str]) -> str | None:
    """The value of ``--lang`` among the command line's own options (before the command)."""
    for k, arg in enumerate(args):
        if arg == "--lang" and k + 1 < len(args):
            return args[k + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if not arg.startswith("-") and (k == 0 or args[k - 1] != "--lang"):
            return None  # the command: its options are its own
    return None


def choose_language(explicit: str | None = None) -> str:
    """The command line's language: ``--lang``, else ``GRAPHCAP_LANG``, else the project's
    ``[locale] language``, else English. A broken project file is left to the commands that
    read it (they name the problem); the language then falls back to English."""
    import os

    if explicit or os.environ.get("GRAPHCAP_LANG"):
        return resolve_language(explicit=explicit)
    from graphcap.config import load_project_config

    try:
        configured = load_project_config().language
    except GraphcapError:
        configured = None
    return resolve_language(explicit=explicit, configured=configured)


def main(argv: list[str] | None = None) -> int:
    """Console-script entry: a :class:`GraphcapError` becomes one line on stderr and the exit
    code of its class (:mod:`graphcap.cli.exits`)."""
    freeze_at_exit()  # what the command built is freed at exit without a last full collection
    try:
        rv = cli.main(args=argv, prog_name="graphcap", standalone_mode=False)
    except GraphcapError as exc:  # raised outside a command (e.g. while completing)
        GraphcapFailure(exc).show()
        return exit_code(exc)
    except click.exceptions.Abort:
        click.echo(_("Aborted."), err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    # in non-standalone mode click returns the code of a `raise Exit(n)` instead of raising it
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
