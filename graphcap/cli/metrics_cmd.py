"""``graphcap metrics``: compute the relational-capital metrics and print, save or write them back.

Reads the network from Neo4j (``NEO4J_URI`` ..., or the local server) or from a snapshot file
(``--snapshot``), runs :func:`graphcap.analysis.analyze` and shows one table of the result:

- ``summary`` (default): the Relational Capital Index with its breakdown, concentration figures,
  the top of the at-risk radar;
- ``nodes``: one row per stakeholder with every metric; ``edges``: relationships with strength
  and its components; ``risks``: the radar; ``rci``: the index by dimension and by type;
  ``communities``: the communities and their composition.

``--engine gds`` (or ``metrics.engine = "gds"``) runs PageRank, betweenness, communities, k-core,
articulation points and bridges in Neo4j Graph Data Science (:mod:`graphcap.compute`); the
summary says which engine computed what.

``--write`` stores the per-stakeholder metrics in Neo4j as ``m_<metric>`` node properties, with
the parameters and the computation time on ``(:GraphcapMeta {key: 'metrics'})``, so analysts can
use them in Cypher (``MATCH (s:Stakeholder) RETURN s.name, s.m_pagerank ORDER BY ...``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.gcpause import fewer_collections
from graphcap.cli.metrics_render import TABLES, render, render_frame, render_what_if
from graphcap.cli.output import note
from graphcap.i18n import gettext as _

# The metrics (networkx, igraph, scipy) are imported where they are used: `graphcap metrics`
# imports them while the server reads the network (graphcap.cli.meanwhile). What the command
# prints is written by graphcap.cli.metrics_render.

__all__ = ["metrics"]


@click.command(cls=HelpCommand, name="metrics")
@click.option(
    "--snapshot",
    "snapshot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read this snapshot file (.gcap) instead of Neo4j.",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Only these stakeholder types (repeatable; the focal organisation is always kept).",
)
@click.option(
    "--table",
    type=click.Choice(TABLES),
    default="summary",
    show_default=True,
    help="Which result to show.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the terminal.",
)
@click.option(
    "--write", is_flag=True, help="Write the stakeholder metrics back to Neo4j (m_* properties)."
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="Reference date (default: the data's as_of, else today).",
)
@click.option(
    "--seed", type=int, default=42, show_default=True, help="Seed of the randomised algorithms."
)
@click.option(
    "--engine",
    type=click.Choice(["local", "gds"]),
    default=None,
    help="Who computes position and community measures: local, or gds (Neo4j Graph Data "
    "Science on the server). Default: metrics.engine (GRAPHCAP_METRICS_ENGINE, "
    "[metrics] engine), else local.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Rows shown in table format.",
)
@click.option("--sort", metavar="COLUMN", help="Sort the table by this column, largest first.")
@click.option(
    "--what-if",
    "what_if",
    multiple=True,
    metavar="ID",
    help="Instead of a table: what removing these stakeholders would cost (repeatable).",
)
@click.option(
    "--intro",
    metavar="ID",
    help="Instead of a table: the strongest paths from the organisation to this stakeholder.",
)
def metrics(**options: Any) -> None:
    """Compute relational-capital metrics: the Relational Capital Index, position, communities,
    value concentration, the at-risk radar and the power/interest grid.

    \b
    Examples:
      graphcap metrics                                  # summary of the Neo4j graph
      graphcap metrics --snapshot sample.gcap --table risks
      graphcap metrics --table nodes --format csv --out metrics.csv
      graphcap metrics --write                          # m_* properties for Cypher
      graphcap metrics --engine gds                     # algorithms in Neo4j GDS
      graphcap metrics --what-if CUS-0009               # what losing a stakeholder costs
      graphcap metrics --intro CUS-0042                 # warm introduction paths
    """
    with fewer_collections():  # a burst of objects that live until the end (gcpause)
        _metrics(**options)


def _metrics(
    snapshot: Path | None,
    types: tuple[str, ...],
    table: str,
    fmt: str,
    out: Path | None,
    write: bool,
    as_of: str | None,
    seed: int,
    engine: str | None,
    top: int,
    sort: str | None,
    what_if: tuple[str, ...],
    intro: str | None,
) -> None:
    from graphcap.config import load_project_config

    if write and snapshot is not None:
        raise click.UsageError(
            _("--write stores metrics in Neo4j; it cannot be used with --snapshot")
        )
    config = load_project_config()
    engine = engine or config.metrics_engine
    if engine == "gds" and snapshot is not None:
        raise click.UsageError(
            _(
                "--engine gds runs the algorithms in Neo4j; it cannot be used "
                "with --snapshot (use --engine local)"
            )
        )
    node_types = None
    if types:
        unknown = [t for t in types if t not in config.schema.node_types]
        if unknown:
            raise click.UsageError(
                _("unknown stakeholder type(s) {types}; known: {known}").format(
                    types=", ".join(unknown), known=", ".join(sorted(config.schema.node_types))
                )
            )
        node_types = sorted({*types, "organization"})

    if snapshot is not None:
        from graphcap.analysis import analyze
        from graphcap.snapshot import SnapshotSource

        source = SnapshotSource(snapshot)
        network = source.read_network(node_types=node_types)
        where = source.describe()
        store = None
    else:
        from graphcap.cli.meanwhile import meanwhile
        from graphcap.store import Neo4jStore

        store = Neo4jStore.from_env(schema=config.schema)
        # the server reads while this thread imports the analysis (networkx, igraph, scipy)
        reading = meanwhile(lambda: store.read_network(node_types=node_types), name="graphcap-read")
        try:
            try:
                import graphcap.compute  # noqa: F401 - imported now, used below
            finally:
                reading.wait()
            network = reading.result()
        except BaseException:
            store.close()
            raise
        where = store.describe()
    try:
        started = time.perf_counter()
        from graphcap.graph.sidecar import sidecars

        # a process of its own: the analysis may fork a child for a measure (sidecar)
        with sidecars():
            if store is not None:
                from graphcap.compute import analyze_stored

                analysis = analyze_stored(
                    store,
                    network,
                    engine=engine,
                    config=config,
                    as_of=as_of,
                    seed=seed,
                    node_types=node_types,
                )
            else:
                analysis = analyze(network, config=config, as_of=as_of, seed=seed)
        seconds = time.perf_counter() - started
        if what_if and intro:
            raise click.UsageError(_("use --what-if or --intro, not both"))
        if what_if:
            text = render_what_if(analysis.what_if(list(what_if)), fmt)
        elif intro:
            paths = analysis.warm_introductions(intro, k=top)
            if paths.empty and fmt == "table":
                from graphcap.metrics.paths import no_path_reason

                text = "No warm introduction: " + no_path_reason(
                    analysis.graph, analysis.focal_ids, intro
                )
            else:
                text = render_frame(paths.drop(columns=["path"]), fmt, top)
        else:
            text = render(analysis, table, fmt, top=top, sort=sort)
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
            note(f"wrote {table} ({fmt}) to {out}")
        else:
            click.echo(text)
        if write and store is not None:
            from graphcap.compute import EDGE_METRICS, write_back

            n, cols = write_back(
                store, analysis, run={"seconds": seconds, "source": where, "types": list(types)}
            )
            note(
                f"wrote {len(cols)} metrics for {n} stakeholders and {len(EDGE_METRICS)} for "
                f"{len(analysis.edges)} relationships to {where} "
                f"(m_* properties; computed in {seconds:.2f} s)"
            )
    finally:
        if store is not None:
            store.close()
