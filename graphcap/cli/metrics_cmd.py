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

import json
import math
import time
from pathlib import Path
from typing import Any

import click
import pandas as pd

from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.gcpause import fewer_collections
from graphcap.cli.output import csv_text, json_text, note, table_text
from graphcap.i18n import current_language, format_date, format_number, format_percent, ngettext
from graphcap.i18n import gettext as _

# The metrics (networkx, igraph, scipy) are imported where they are used: `graphcap metrics`
# imports them while the server reads the network (graphcap.cli.meanwhile).

__all__ = ["engine_line", "metrics", "render", "render_frame", "render_what_if", "sampling_lines"]

TABLES = ("summary", "nodes", "edges", "risks", "rci", "communities")
_NODE_VIEW = [
    "id",
    "name",
    "type",
    "value",
    "tie_strength",
    "pagerank",
    "betweenness",
    "constraint",
    "community",
    "quadrant",
    "risk_score",
]
_RISK_VIEW = ["name", "type", "score", "value", "strength", "reasons_text"]
_EDGE_VIEW = [
    "source",
    "target",
    "type",
    "strength",
    "strength_source",
    "strength_quality",
    "strength_interaction",
    "is_bridge",
]


def _frame(analysis: Any, table: str) -> pd.DataFrame:
    if table == "nodes":
        return analysis.nodes
    if table == "edges":
        return analysis.edges
    if table == "risks":
        return analysis.risks.drop(columns=["reasons"])
    if table == "communities":
        return analysis.communities
    if table == "rci":
        dims = analysis.rci.dimensions.assign(type="all").rename(columns={"value": "score_0_1"})
        by_type = analysis.rci.by_type.melt(
            id_vars=["type"],
            value_vars=["strength", "diversification", "brokerage", "health", "score"],
            var_name="dimension",
            value_name="score_0_1",
        )
        return pd.concat(
            [dims[["type", "dimension", "score_0_1", "weight", "points"]], by_type],
            ignore_index=True,
        )
    raise click.UsageError(
        _("unknown table {table!r}; choose one of {tables}").format(
            table=table, tables=", ".join(TABLES)
        )
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):
        return _jsonable(value.item())
    return value


def _summary(analysis: Any) -> dict[str, Any]:
    return {
        "rci": _jsonable(analysis.rci.as_dict()),
        "concentration": _jsonable(analysis.concentration),
        "modularity": analysis.modularity,
        "communities": len(analysis.communities),
        "at_risk": int(analysis.nodes["at_risk"].sum()) if len(analysis.nodes) else 0,
        "risks": json.loads(
            analysis.risks.head(10).drop(columns=["reasons"]).to_json(orient="records")
        ),
        "params": _jsonable(analysis.params),
        "timings": analysis.timings,
    }


def engine_line(analysis: Any) -> str:
    """Which engine computed which measure, in one line (:meth:`Analysis.engine_summary`).

    >>> from graphcap.analysis import analyze
    >>> from graphcap.sample import sample_small
    >>> engine_line(analyze(sample_small()))
    'Engine: local (every measure)'
    """
    return "Engine: " + analysis.engine_summary()


def sampling_lines(analysis: Any) -> list[str]:
    """What the sampled measures were estimated from (``params["sampling"]``), one line per
    engine; none when they are exact. The sketch estimate of reach2 joins its engine's line.

    >>> from graphcap.analysis import analyze
    >>> from graphcap.sample import sample_small
    >>> sampling_lines(analyze(sample_small()))
    []
    """
    lines: dict[str, str] = {}
    for s in analysis.params.get("sampling", []):
        engine = s["engine"]
        if "registers" not in s:
            lines[engine] = _(
                "Sampled ({engine}): {measures} estimated from {k} of {n} stakeholders as sources (seed {seed})"
            ).format(
                engine=engine,
                measures=", ".join(s["measures"]),
                k=format_number(s["sources"]),
                n=format_number(s["of"]),
                seed=s["seed"],
            )
            continue
        sketch = _(
            "reach in two steps estimated with HyperLogLog ({m} registers, typical error ±{error})"
        ).format(
            m=format_number(s["registers"]),
            # an error is stated rounded up (1.04/32 = 3.25 % is "3.3 %", not half-even "3.2 %")
            error=format_percent(math.ceil(round(s["typical_error"] * 1000, 6)) / 1000, decimals=1),
        )
        lines[engine] = (
            f"{lines[engine]}; {sketch}"
            if engine in lines
            else _("Sampled ({engine}): {estimates}").format(engine=engine, estimates=sketch)
        )
    return list(lines.values())


def _summary_text(analysis: Any, top: int) -> str:
    from graphcap.metrics.value import describe_value

    if current_language() != "en":
        return _summary_local(analysis, top)
    rci = analysis.rci
    conc = analysis.concentration
    lines = [
        f"Relational Capital Index: {rci.score:.1f} / 100 (as of {analysis.params['as_of']}, "
        f"{analysis.params.get('as_of_source', 'given')})"
    ]
    for row in rci.dimensions.itertuples():
        lines.append(
            f"  {row.dimension:<16} {row.value:6.3f} x {row.weight:.2f} = {row.points:5.1f}  {row.meaning}"
        )
    lines += [f"  note: {n}" for n in rci.notes]
    if len(rci.by_type):
        lines += [
            "",
            "By stakeholder type:",
            rci.by_type.to_string(index=False, float_format=lambda x: f"{x:,.2f}"),
        ]
    lines += [
        "",
        "Money (kinds never added): " + describe_value(conc),
        *(
            f"  {k}: top 20% bring {s['pareto_share']:.0%}; Gini {s['gini']:.2f}; HHI {s['hhi']:.3f}; "
            f"effective number {s['effective_number']:.1f}"
            for k, s in conc.get("kinds", {}).items()
        ),
        f"Communities: {len(analysis.communities)} (modularity {analysis.modularity:.3f})",
        engine_line(analysis),
        *sampling_lines(analysis),
        "",
    ]
    risks = analysis.risks
    if len(risks):
        lines.append(
            f"At-risk radar ({len(risks)} with a warning sign, top {min(top, len(risks))}):"
        )
        view = risks.head(top)[_RISK_VIEW]
        lines.append(
            view.to_string(index=False, max_colwidth=90, float_format=lambda x: f"{x:,.2f}")
        )
    else:
        lines.append("At-risk radar: no relationship shows a warning sign.")
    return "\n".join(lines)


def _document(doc: dict[str, Any], fmt: str) -> str:
    """A nested result as JSON, or as CSV with one ``key,value`` row per top-level key (nested
    values as JSON text, as `snapshot show` does)."""
    if fmt == "json":
        return json_text(doc)
    flat = json.loads(json_text(doc))
    return csv_text([{"key": k, "value": v} for k, v in flat.items()], ["key", "value"])


def _summary_local(analysis: Any, top: int) -> str:
    """The summary in a language other than English: the same figures, its words and number
    signs (the radar's reasons and the index breakdown through graphcap.metrics.wording)."""
    from graphcap.metrics.wording import (
        dimension_label,
        dimension_meaning,
        kind_label,
        rci_note,
        reasons_text,
    )

    rci = analysis.rci
    conc = analysis.concentration
    lines = [
        _("Relational Capital Index: {score} / 100 (as of {date})").format(
            score=format_number(rci.score, decimals=1),
            date=format_date(str(analysis.params["as_of"])[:10]),
        )
    ]
    for row in rci.dimensions.itertuples():
        lines.append(
            f"  {dimension_label(row.dimension):<16} {format_number(row.value, decimals=3):>6} x {format_number(row.weight, decimals=2)} = {format_number(row.points, decimals=1):>5}  {dimension_meaning(row.dimension) or row.meaning}"
        )
    lines += ["  " + _("note: {note}").format(note=rci_note(n)) for n in rci.notes]
    if len(rci.by_type):
        lines += ["", _("By stakeholder type:"), table_text(rci.by_type)]
    lines += [
        "",
        *(
            "  "
            + _("{kind}: top 20% bring {share}; Gini {gini}; HHI {hhi}").format(
                kind=kind_label(k),
                share=format_percent(s["pareto_share"]),
                gini=format_number(s["gini"], decimals=2),
                hhi=format_number(s["hhi"], decimals=3),
            )
            for k, s in conc.get("kinds", {}).items()
        ),
        _("Communities: {n} (modularity {q})").format(
            n=len(analysis.communities), q=format_number(analysis.modularity, decimals=3)
        ),
        *sampling_lines(analysis),
        "",
    ]
    risks = analysis.risks
    if len(risks):
        lines.append(
            _("At-risk radar ({n} with a warning sign, top {top}):").format(
                n=len(risks), top=min(top, len(risks))
            )
        )
        head = risks.head(top)
        view = head.assign(reasons_text=[reasons_text(r) for r in head.to_dict("records")])
        view = view[[c for c in _RISK_VIEW if c in view.columns]]
        lines.append(table_text(view, max_colwidth=90))
    else:
        lines.append(_("At-risk radar: no relationship shows a warning sign."))
    return "\n".join(lines)


def render(analysis: Any, table: str, fmt: str, *, top: int = 20, sort: str | None = None) -> str:
    """The text ``graphcap metrics`` prints or writes for ``table`` in format ``fmt``.

    >>> from graphcap.analysis import analyze
    >>> from graphcap.sample import sample_small
    >>> render(analyze(sample_small()), "rci", "csv").splitlines()[0]
    'type,dimension,score_0_1,weight,points'
    """
    if table == "summary":
        if fmt in ("json", "csv"):
            return _document(_summary(analysis), fmt)
        return _summary_text(analysis, top)
    frame = _frame(analysis, table)
    if sort:
        if sort not in frame.columns:
            raise click.UsageError(
                _("cannot sort by {sort!r}; columns: {columns}").format(
                    sort=sort, columns=", ".join(map(str, frame.columns))
                )
            )
        frame = frame.sort_values(sort, ascending=False, kind="stable")
    elif table == "nodes" and "pagerank" in frame.columns:
        frame = frame.sort_values("pagerank", ascending=False, kind="stable")
    view = {"nodes": _NODE_VIEW, "risks": _RISK_VIEW, "edges": _EDGE_VIEW}.get(table)
    return render_frame(frame, fmt, top, view=view)


def render_frame(frame: pd.DataFrame, fmt: str, top: int, *, view: list[str] | None = None) -> str:
    """A frame as CSV, JSON records or a text table (``view`` columns, first ``top`` rows).

    >>> print(render_frame(pd.DataFrame({"a": [1.5, 2.25]}), "table", 1))
      a
    1.5
    ... 1 more row (use --top, --format csv or --out)
    """
    if fmt == "csv":
        return frame.to_csv(index=False)
    if fmt == "json":
        return frame.to_json(orient="records", date_format="iso", force_ascii=False, indent=2)
    if current_language() != "en" and {"reasons_text", "reason_codes"} <= set(frame.columns):
        from graphcap.metrics.wording import reasons_text

        frame = frame.assign(reasons_text=[reasons_text(r) for r in frame.to_dict("records")])
    shown = frame[[c for c in view if c in frame.columns]] if view else frame
    if shown.empty:
        return _("(no rows)")
    more = (
        "\n"
        + ngettext(
            "... {n} more row (use --top, --format csv or --out)",
            "... {n} more rows (use --top, --format csv or --out)",
            len(frame) - top,
        ).format(n=len(frame) - top)
        if len(frame) > top
        else ""
    )
    if current_language() != "en":
        return table_text(shown.head(top), decimals=3) + more
    return (
        shown.head(top).to_string(index=False, max_colwidth=120, float_format=lambda x: f"{x:,.4g}")
        + more
    )


def render_what_if(result: Any, fmt: str) -> str:
    """A what-if result (:class:`graphcap.metrics.whatif.WhatIf`) as text lines or JSON."""
    if fmt in ("json", "csv"):
        return _document(_jsonable(result.as_dict()), fmt)
    lines = list(result.summary)
    for title, frame in (
        ("cut off", result.cut_off),
        ("new single points of failure", result.new_articulation_points),
    ):
        if len(frame):
            lines += [
                "",
                f"{title}:",
                frame.to_string(index=False, float_format=lambda x: f"{x:,.0f}"),
            ]
    return "\n".join(lines)


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
