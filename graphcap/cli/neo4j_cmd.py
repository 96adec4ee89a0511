"""``graphcap neo4j start|stop|status``: the local Neo4j Community server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from graphcap.cli.clicktext import HelpGroup
from graphcap.cli.output import emit, fmt_of, format_option, note
from graphcap.i18n import gettext as _
from graphcap.localdb.default import default_server, remember
from graphcap.localdb.launcher import GDS_VERSION, NEO4J_VERSION

_DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the database, logs, pid and password (default: the server `start` last "
    "started, else <user data dir>/neo4j; GRAPHCAP_DATA_DIR moves the user data dir).",
)
_PORT = click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Bolt port on 127.0.0.1 (default: GRAPHCAP_NEO4J_PORT, else the port `start` last "
    "used for that folder, else 7687).",
)


@click.group(cls=HelpGroup)
def neo4j() -> None:
    """Manage the local Neo4j: Neo4j Community 5.26 (LTS) from Maven Central, on 127.0.0.1.

    The first start resolves Neo4j with Maven (about 120 MB, cached in ~/.m2) and needs Java 17+.
    To use another Neo4j (a server, Docker, Aura), set NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and
    NEO4J_DATABASE instead.

    `start --with-gds` adds Neo4j Graph Data Science Community (GPLv3, about 32 MB more from
    Maven Central, never bundled with graphcap) for `graphcap metrics --engine gds`.
    """


def _status_doc(st: dict[str, Any]) -> dict[str, Any]:
    """The documented keys of a server's status (docs/CLI.md, `graphcap neo4j status`)."""
    return {
        "running": bool(st["running"]),
        "uri": st.get("uri"),
        "pid": st.get("pid"),
        "home": str(st["home"]),
        "log": str(st["log"]),
        "gds": bool(st.get("gds")),
    }


@neo4j.command()
@_DATA_DIR
@_PORT
@click.option("--heap", default=None, help="JVM heap, e.g. 2g (default GRAPHCAP_NEO4J_HEAP or 2g).")
@click.option("--timeout", "timeout_s", default=180.0, show_default=True, help="Seconds to wait.")
@click.option(
    "--with-gds",
    "with_gds",
    is_flag=True,
    help=f"Also resolve and register Graph Data Science {GDS_VERSION} "
    "(Community, GPLv3) for `graphcap metrics --engine gds`.",
)
@format_option
def start(
    data_dir: Path | None,
    port: int | None,
    heap: str | None,
    timeout_s: float,
    with_gds: bool,
    fmt: str,
    legacy_json: bool,
) -> None:
    """Build (first time) and start the local Neo4j; wait until it accepts connections.

    JSON: the keys of `graphcap neo4j status` and `started` (false: it was already running)."""
    server = default_server(data_dir, port, heap)
    was_running = server.status()["running"]
    if not was_running:
        if with_gds:
            starting = _(
                "Starting Neo4j {version} with Graph Data Science {gds} (first start resolves "
                "it with Maven) ..."
            )
        else:
            starting = _("Starting Neo4j {version} (first start resolves it with Maven) ...")
        note(starting.format(version=NEO4J_VERSION, gds=GDS_VERSION))
    server.start(timeout_s=timeout_s, gds=with_gds)
    remember(server)  # later commands and the app find it without NEO4J_* variables
    state = _("already running") if was_running else _("started")
    doc = {**_status_doc(server.status()), "started": not was_running}
    gds = f", Graph Data Science {GDS_VERSION}" if doc["gds"] else ""
    line = _("Neo4j {state} at {uri} (pid {pid}{gds}); data in {home}").format(
        state=state, uri=server.settings.uri, pid=server.pid, gds=gds, home=server.home
    )
    emit(fmt_of(fmt, legacy_json), doc, table=lambda: click.echo(line))


@neo4j.command()
@_DATA_DIR
@_PORT
@format_option
def stop(data_dir: Path | None, port: int | None, fmt: str, legacy_json: bool) -> None:
    """Stop the local Neo4j. JSON keys: stopped (false: it was not running), home."""
    server = default_server(data_dir, port)
    stopped = bool(server.stop())
    line = (
        _("Neo4j stopped ({home}).") if stopped else _("Neo4j was not running ({home}).")
    ).format(home=server.home)
    doc = {"stopped": stopped, "home": str(server.home)}
    emit(fmt_of(fmt, legacy_json), doc, table=lambda: click.echo(line))


@neo4j.command()
@_DATA_DIR
@_PORT
@format_option
def status(data_dir: Path | None, port: int | None, fmt: str, legacy_json: bool) -> None:
    """Say whether the local Neo4j runs, where, and where its log is.

    Exit 4 (as for a connection failure) when it is not running. JSON keys: running, uri, pid,
    home, log, gds."""
    server = default_server(data_dir, port)
    st = server.status()
    doc = _status_doc(st)

    def table() -> None:
        if st["running"]:
            gds = f", Graph Data Science {GDS_VERSION}" if st.get("gds") else ""
            click.echo(
                _("running: {uri} (pid {pid}{gds}), data {home}, log {log}").format(
                    uri=st["uri"], pid=st["pid"], gds=gds, home=st["home"], log=st["log"]
                )
            )
        else:
            click.echo(_("stopped: data {home}, log {log}").format(home=st["home"], log=st["log"]))

    emit(fmt_of(fmt, legacy_json), doc, table=table)
    if not st["running"]:
        raise click.exceptions.Exit(4)
