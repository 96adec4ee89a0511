"""``graphcap neo4j start|stop|status``: the local Neo4j Community server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from graphcap import localdb
from graphcap.cli.output import emit, fmt_of, format_option, note

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


@click.group()
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
    help=f"Also resolve and register Graph Data Science {localdb.GDS_VERSION} "
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
    server = localdb.default_server(data_dir, port, heap)
    was_running = server.status()["running"]
    if not was_running:
        extra = f" with Graph Data Science {localdb.GDS_VERSION}" if with_gds else ""
        note(
            f"Starting Neo4j {localdb.NEO4J_VERSION}{extra} (first start resolves it "
            "with Maven) ..."
        )
    server.start(timeout_s=timeout_s, gds=with_gds)
    localdb.remember(server)  # later commands and the app find it without NEO4J_* variables
    state = "already running" if was_running else "started"
    doc = {**_status_doc(server.status()), "started": not was_running}
    gds = f", Graph Data Science {localdb.GDS_VERSION}" if doc["gds"] else ""
    line = f"Neo4j {state} at {server.settings.uri} (pid {server.pid}{gds}); data in {server.home}"
    emit(fmt_of(fmt, legacy_json), doc, table=lambda: click.echo(line))


@neo4j.command()
@_DATA_DIR
@_PORT
@format_option
def stop(data_dir: Path | None, port: int | None, fmt: str, legacy_json: bool) -> None:
    """Stop the local Neo4j. JSON keys: stopped (false: it was not running), home."""
    server = localdb.default_server(data_dir, port)
    stopped = bool(server.stop())
    line = (
        f"Neo4j stopped ({server.home})." if stopped else f"Neo4j was not running ({server.home})."
    )
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
    server = localdb.default_server(data_dir, port)
    st = server.status()
    doc = _status_doc(st)

    def table() -> None:
        if st["running"]:
            gds = f", Graph Data Science {localdb.GDS_VERSION}" if st.get("gds") else ""
            click.echo(
                f"running: {st['uri']} (pid {st['pid']}{gds}), data {st['home']}, log {st['log']}"
            )
        else:
            click.echo(f"stopped: data {st['home']}, log {st['log']}")

    emit(fmt_of(fmt, legacy_json), doc, table=table)
    if not st["running"]:
        raise click.exceptions.Exit(4)
