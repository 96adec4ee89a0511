"""``graphcap sample``: generate the sample stakeholder network and write or import it.

Targets can be combined: a snapshot file (``--out``, the app's database-free default), canonical
CSV files (``--csv DIR``: nodes.csv, edges.csv, interactions.csv, exactly what ``graphcap import``
reads), an Excel workbook (``--xlsx``), and Neo4j (``--neo4j``, with ``--replace`` to clear
graphcap's data first). Without a target the snapshot goes to the default snapshot path.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.output import emit, fmt_of, format_option
from graphcap.errors import ExportError
from graphcap.i18n import current_language, format_date, format_number
from graphcap.i18n import gettext as _
from graphcap.model import Network

__all__ = ["sample"]

_COUNTS = ("customers", "suppliers", "partners", "agencies", "competitors")
_EXCEL_MAX_ROWS = 1_048_575  # plus the header row


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            _("{value} is not a date like 2026-11-01").format(value=repr(value))
        ) from None


def write_csv_folder(network: Network, folder: Path) -> list[Path]:
    """Write nodes.csv, edges.csv, interactions.csv into ``folder`` (graphcap's CSV export:
    UTF-8, comma, ISO dates), each file replaced atomically."""
    from graphcap.export.tables import export_csv

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(dir=folder, prefix=".sample-") as tmp:
        for path in export_csv(network, tmp, stem="sample"):
            target = folder / path.name
            os.replace(path, target)
            written.append(target)
    return written


def write_xlsx(network: Network, path: Path) -> Path:
    """Write the workbook ``path`` with sheets nodes, edges, interactions."""
    from graphcap.export.tables import export_xlsx

    if path.suffix.lower() != ".xlsx":
        raise ExportError(
            _("the Excel file must end in .xlsx, got {name}").format(name=repr(path.name))
        )
    biggest = max(network.counts.values())
    if biggest > _EXCEL_MAX_ROWS:
        raise ExportError(
            _(
                "{path}: {n} rows do not fit in an Excel sheet ({most} at most); use --csv or "
                "--out for a network this size"
            ).format(path=path, n=biggest, most=_EXCEL_MAX_ROWS)
        )
    return export_xlsx(network, path.parent, stem=path.stem)


def write_raw_folder(network: Network, shape: str, folder: Path) -> list[str]:
    """The raw export ``shape`` into ``folder``, with its recipe as ``recipe.yaml``."""
    from graphcap.sample.raw import write_raw
    from loaders import RECIPES_DIR

    if folder.exists() and not folder.is_dir():
        raise ExportError(_("{folder} is a file; --raw writes a folder").format(folder=folder))
    write_raw(network, shape, folder)
    (folder / "recipe.yaml").write_bytes((RECIPES_DIR / f"{shape}.yaml").read_bytes())
    return sorted(p.name for p in folder.iterdir())


#: the parts of the network, as `sample --neo4j` names them in German (English: the keys)
_KINDS = {
    "nodes": lambda: _("stakeholders"),
    "edges": lambda: _("relationships"),
    "interactions": lambda: _("interactions"),
}


def _import_neo4j(network: Network, *, replace: bool, if_empty: bool = False) -> str:
    from graphcap.cli.import_write import _progress_bar
    from graphcap.store import Neo4jStore

    if if_empty:
        with Neo4jStore.from_env() as store:
            store.verify()
            held = sum(store.counts()["nodes"].values())
            if held:
                return _(
                    "{where} already holds {n} stakeholders; the sample was not loaded (use "
                    "--replace to overwrite them)."
                ).format(where=store.describe_text(), n=held)
    bar, progress = _progress_bar()
    try:
        with Neo4jStore.from_env() as store:
            store.verify()
            store.ensure_schema()
            if replace:
                store.clear()
            summary = store.import_network(network, progress=progress)
            where = store.describe_text()
    finally:
        bar.close()
    parts = []
    for kind in ("nodes", "edges", "interactions"):
        c = getattr(summary, kind)
        parts.append(
            _("{kind} {created} created, {updated} updated, {unchanged} unchanged").format(
                kind=kind if current_language() == "en" else _KINDS[kind](),
                created=c.created,
                updated=c.updated,
                unchanged=c.unchanged,
            )
        )
    return _("Imported into {where}:").format(where=where) + " " + "; ".join(parts)


def _huge(
    fmt: str,
    scale: str,
    csv_dir: Path | None,
    seed: int,
    stakeholders: int | None,
    relationships: int | None,
) -> None:
    """``--scale huge``: stream chunks of the huge network into nodes.csv and edges.csv."""
    from graphcap.sample.huge import HUGE, huge_chunks

    if scale != "huge":
        raise click.UsageError(_("--stakeholders and --relationships need --scale huge"))
    if csv_dir is None:
        raise click.UsageError(
            _("--scale huge writes CSV files only: give --csv DIR (and no other target)")
        )
    started = datetime.now()
    csv_dir.mkdir(parents=True, exist_ok=True)
    n_nodes = n_edges = 0
    with tempfile.TemporaryDirectory(dir=csv_dir, prefix=".sample-") as tmp:
        parts = {name: Path(tmp) / f"{name}.csv" for name in ("nodes", "edges")}
        chunks = huge_chunks(
            stakeholders=stakeholders or HUGE["stakeholders"],
            relationships=relationships or HUGE["relationships"],
            seed=seed,
        )
        for first, (nodes, edges) in enumerate(chunks):
            for name, frame in (("nodes", nodes), ("edges", edges)):
                frame.to_csv(
                    parts[name], mode="a", header=first == 0, index=False, date_format="%Y-%m-%d"
                )
            n_nodes += len(nodes)
            n_edges += len(edges)
        written = []
        for path in parts.values():
            os.replace(path, csv_dir / path.name)
            written.append(csv_dir / path.name)
    seconds = (datetime.now() - started).total_seconds()
    doc: dict[str, Any] = {
        "seed": seed,
        "as_of": None,
        "counts": {"nodes": n_nodes, "edges": n_edges, "interactions": 0},
        "seconds": round(seconds, 3),
        "files": [{"format": "csv", "path": str(p)} for p in written],
        "neo4j": None,
    }

    def table() -> None:
        click.echo(
            _(
                "Huge network (seed {seed}): {nodes} stakeholders, {edges} relationships "
                "({seconds:.1f} s)."
            ).format(seed=seed, nodes=n_nodes, edges=n_edges, seconds=seconds)
        )
        click.echo(_("CSV: {files}").format(files=", ".join(str(p) for p in written)))

    emit(fmt, doc, rows=doc["files"], columns=["format", "path"], table=table)


@click.command(cls=HelpCommand, name="sample")
@format_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a snapshot file (.gcap). Default when no other target is given: "
    "GRAPHCAP_SNAPSHOT or <data dir>/sample.gcap.",
)
@click.option(
    "--csv",
    "csv_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write nodes.csv, edges.csv, interactions.csv into this folder.",
)
@click.option(
    "--xlsx",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write an Excel workbook (sheets nodes, edges, interactions).",
)
@click.option(
    "--neo4j",
    "to_neo4j",
    is_flag=True,
    help="Import into Neo4j (NEO4J_URI, or the local server of `graphcap neo4j start`).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="With --neo4j: delete graphcap's data in the database before the import.",
)
@click.option(
    "--if-empty",
    is_flag=True,
    help="With --neo4j: load the sample only when the database holds no stakeholders "
    "(what `make run` uses, so your own data is never touched).",
)
@click.option(
    "--raw",
    "raw_shape",
    type=click.Choice(["erp", "crm", "meetings", "ratings"]),
    default=None,
    help="Write the network as a raw system export instead (with --out DIR): erp (masters, "
    "orders, order lines), crm (accounts, contacts, activities), meetings (an Excel register), "
    "ratings (a headerless rating log). Import it with the recipe of the same name in "
    "loaders/recipes/ (copied into DIR as recipe.yaml).",
)
@click.option(
    "--scale",
    type=click.Choice(["small", "default", "bench", "huge"]),
    default="default",
    show_default=True,
    help="Preset sizes: small (~80 stakeholders), default (~360), bench (100k "
    "stakeholders, ~500k relationships), huge (1M stakeholders, 5M relationships, no "
    "interactions; streamed in chunks to --csv DIR only).",
)
@click.option(
    "--stakeholders",
    type=click.IntRange(2, 99_999_999),
    default=None,
    help="With --scale huge: number of stakeholders (default 1,000,000).",
)
@click.option(
    "--relationships",
    type=click.IntRange(1),
    default=None,
    help="With --scale huge: number of relationships (default 5,000,000).",
)
@click.option(
    "--seed",
    type=int,
    default=42,
    show_default=True,
    help="Random seed; the same seed gives the same network.",
)
@click.option("--customers", type=click.IntRange(10), default=None, help="Number of customers.")
@click.option("--suppliers", type=click.IntRange(7), default=None, help="Number of suppliers.")
@click.option("--partners", type=click.IntRange(10), default=None, help="Number of partners.")
@click.option("--agencies", type=click.IntRange(10), default=None, help="Number of agencies.")
@click.option("--competitors", type=click.IntRange(3), default=None, help="Number of competitors.")
@click.option(
    "--links",
    type=click.FloatRange(0.1, 10),
    default=None,
    help="Multiplier of links among stakeholders (shared customers, referrals).",
)
@click.option(
    "--as-of",
    "as_of",
    callback=_as_of,
    default=None,
    help="The sample's 'today' (default 2026-11-01).",
)
@click.option(
    "--years",
    type=click.IntRange(1, 20),
    default=3,
    show_default=True,
    help="Years of interaction history.",
)
@click.option(
    "--max-interactions",
    type=click.IntRange(0),
    default=250_000,
    show_default=True,
    help="Cap on the interaction log's size for big networks.",
)
def sample(
    fmt: str,
    legacy_json: bool,
    out: Path | None,
    csv_dir: Path | None,
    xlsx: Path | None,
    to_neo4j: bool,
    replace: bool,
    if_empty: bool,
    scale: str,
    seed: int,
    as_of: date | None,
    years: int,
    max_interactions: int,
    raw_shape: str | None,
    stakeholders: int | None,
    relationships: int | None,
    **sizes: Any,
) -> None:
    """Generate the sample stakeholder network of a fictional manufacturer and write it.

    \b
    Examples:
      graphcap sample                          # snapshot at the default path
      graphcap sample --neo4j --replace        # load it into Neo4j
      graphcap sample --csv sample/ --xlsx sample.xlsx
      graphcap sample --scale bench --out bench.gcap
      graphcap sample --raw erp --out erp/     # then: graphcap import erp/recipe.yaml
      graphcap sample --scale huge --csv huge/ # 1M stakeholders, 5M relationships
    """
    if scale == "huge" or stakeholders is not None or relationships is not None:
        other = out is not None or xlsx is not None or to_neo4j or raw_shape is not None
        _huge(fmt_of(fmt, legacy_json), scale, None if other else csv_dir, seed, stakeholders,
              relationships)  # fmt: skip
        return
    from graphcap.sample import SCALES, generate_sample
    from graphcap.snapshot import default_snapshot_path, write_snapshot

    if replace and not to_neo4j:
        raise click.UsageError(_("--replace only applies to --neo4j"))
    if if_empty and not to_neo4j:
        raise click.UsageError(_("--if-empty only applies to --neo4j"))
    if if_empty and replace:
        raise click.UsageError(_("--if-empty and --replace exclude each other"))
    params: dict[str, Any] = dict(SCALES[scale])
    params.update({k: v for k, v in sizes.items() if v is not None})
    if as_of is not None:
        params["as_of"] = as_of
    started = datetime.now()
    network = generate_sample(seed=seed, years=years, max_interactions=max_interactions, **params)
    c = network.counts
    seconds = (datetime.now() - started).total_seconds()
    lines = [
        _(
            "Sample network (seed {seed}, as of {as_of}): {nodes} stakeholders, {edges} "
            "relationships, {interactions} interactions ({seconds} s)."
        ).format(
            seed=seed,
            as_of=format_date(network.meta["as_of"]),
            seconds=format_number(seconds, decimals=1),
            **c,
        )
    ]
    doc: dict[str, Any] = {
        "seed": seed,
        "as_of": network.meta["as_of"],
        "counts": {k: c[k] for k in ("nodes", "edges", "interactions")},
        "seconds": round(seconds, 3),
        "files": [],
        "neo4j": None,
    }
    fmt = fmt_of(fmt, legacy_json)

    def wrote(kind: str, paths: list[Any], label: str) -> None:
        doc["files"] += [{"format": kind, "path": str(p)} for p in paths]
        lines.append(f"{label}: {', '.join(str(p) for p in paths)}")

    def done() -> None:
        table = lambda: click.echo("\n".join(lines))  # noqa: E731
        emit(fmt, doc, rows=doc["files"], columns=["format", "path"], table=table)

    if raw_shape is not None:
        if out is None:
            raise click.UsageError(_("--raw needs --out DIR, the folder for the export"))
        names = write_raw_folder(network, raw_shape, out)
        doc["files"] = [{"format": f"raw {raw_shape}", "path": str(out / n)} for n in names]
        lines.append(
            _("Raw {shape} export: {files}").format(shape=raw_shape, files=", ".join(names))
        )
        done()
        return
    if out is None and csv_dir is None and xlsx is None and not to_neo4j:
        out = default_snapshot_path()
    if out is not None:
        provenance = {
            "source": "graphcap sample",
            "scale": scale,
            **{k: params[k] for k in _COUNTS if k in params},
        }
        wrote("snapshot", [write_snapshot(network, out, meta=provenance)], _("Snapshot file"))
    if csv_dir is not None:
        wrote("csv", write_csv_folder(network, csv_dir), "CSV")
    if xlsx is not None:
        wrote("xlsx", [write_xlsx(network, xlsx)], "Excel")
    if to_neo4j:
        doc["neo4j"] = _import_neo4j(network, replace=replace, if_empty=if_empty)
        lines.append(doc["neo4j"])
    done()
