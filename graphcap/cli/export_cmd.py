"""``graphcap export``: the network and its figures as files for reports and other tools.

From the current data (Neo4j, or ``--from FILE.gcap``; narrowed by the Network page's filters)
or from a stored snapshot (``--snapshot NAME``, read-only, with the metrics it stored). Formats:

``html`` interactive, self-contained, offline page · ``png``/``svg`` network picture with legend ·
``pdf`` report (RCI, network, key players, risks, concentration, what changed since the previous
snapshot) · ``graphml``/``gexf`` for yEd and Gephi · ``csv``/``xlsx`` nodes, edges, metrics, risks
(formula-safe) · ``json`` node-link. ``all`` writes every one.

Files go into ``--out`` (default the current folder) and are named after ``--name`` (default the
snapshot's name), sanitised; nothing is written outside ``--out``. ``--key-players N|all``
sets how many of the most central stakeholders the PDF lists (default 100; ``all``: everyone). ``--format json`` prints
``{"out": folder, "files": [{"format", "path", "seconds"}]}``; csv one row per file.

On a machine with two or more processors the formats are written by two processes at once
(:func:`graphcap.export.bundle.export_files`, ``workers=2``): the same files in the same order.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.output import emit, fmt_of, format_option
from graphcap.cli.snapshot_cmd import read_view, view_options
from graphcap.export._report_parts import KEY_PLAYERS
from graphcap.export.bundle import FORMATS, as_content, export_files
from graphcap.i18n import format_number
from graphcap.i18n import gettext as _

__all__ = ["KeyPlayers", "export"]


class KeyPlayers(click.ParamType):
    """``N`` (a positive whole number) or ``all`` (``None``: every stakeholder).

    >>> KeyPlayers().convert("all", None, None) is None, KeyPlayers().convert("25", None, None)
    (True, 25)
    """

    name = "N|all"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value is None or isinstance(value, int):
            return value
        text = str(value).strip().lower()
        if text == "all":
            return None
        if text.isdigit() and int(text) > 0:
            return int(text)
        self.fail(
            _("{value} is neither a positive whole number nor 'all'").format(value=repr(value)),
            param,
            ctx,
        )


@click.command(cls=HelpCommand, name="export")
@click.argument(
    "formats", nargs=-1, required=True, type=click.Choice([*FORMATS, "all"], case_sensitive=False)
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Output folder (created if missing).",
)
@click.option("--name", help="File name stem and report title (sanitised).")
@click.option(
    "--snapshot",
    "snapshot_ref",
    metavar="NAME|FILE",
    help="Export this stored snapshot (read-only, its stored metrics) instead of the current data.",
)
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Snapshot folder (default <data dir>/snapshots).",
)
@click.option(
    "--width",
    type=click.IntRange(200, 20000),
    default=3600,
    show_default=True,
    help="PNG width in pixels.",
)
@click.option(
    "--height",
    type=click.IntRange(200, 20000),
    default=2400,
    show_default=True,
    help="PNG height in pixels.",
)
@click.option("--dpi", type=click.IntRange(50, 1200), default=300, show_default=True)
@click.option(
    "--key-players",
    "key_players",
    type=KeyPlayers(),
    default=str(KEY_PLAYERS),
    show_default=True,
    help="PDF: how many of the most central stakeholders to list, or all.",
)
@click.option(
    "--lang",
    "doc_lang",
    type=click.Choice(["en", "de"], case_sensitive=False),
    help="Language of the PDF, PNG/SVG, HTML and XLSX headers (default: graphcap --lang, "
    "GRAPHCAP_LANG, [locale] language). CSV, JSON, GraphML and GEXF keep English keys.",
)
@click.option(
    "--currency",
    metavar="CODE",
    help="ISO 4217 code of the amounts in the report (default: GRAPHCAP_CURRENCY, [locale] "
    "currency in graphcap.toml, else EUR).",
)
@format_option
@view_options
def export(
    formats: tuple[str, ...],
    out: Path,
    name: str | None,
    snapshot_ref: str | None,
    folder: Path | None,
    width: int,
    height: int,
    dpi: int,
    key_players: int | None,
    doc_lang: str | None,
    currency: str | None,
    fmt: str,
    legacy_json: bool,
    **view: Any,
) -> None:
    """Export the network: html png svg pdf graphml gexf csv xlsx json (or all).

    \b
    Examples:
      graphcap export pdf png --out reports/ --name "Board Q4"
      graphcap export pdf --key-players all --from sample.gcap
      graphcap export all --snapshot "2025 Q4 board" --out exports/
      graphcap export gexf --type customer --type supplier --min-strength 0.3
      graphcap export pdf xlsx --lang de --currency EUR
    """
    from graphcap.config import check_currency, load_project_config
    from graphcap.files import safe_filename
    from graphcap.i18n import current_language, use_language

    project = load_project_config()
    money = check_currency(currency, "--currency") if currency else project.currency
    lang = doc_lang.lower() if doc_lang else current_language()
    from graphcap.history import (
        diff_snapshots,
        find_snapshot,
        list_snapshots,
        load_content,
        previous_snapshot,
        stored_analysis,
    )

    wanted = (
        list(FORMATS)
        if "all" in [f.lower() for f in formats]
        else list(dict.fromkeys(f.lower() for f in formats))
    )
    if not snapshot_ref and view.get("source_file") is None:
        from graphcap.store import Neo4jStore

        with Neo4jStore.from_env(schema=project.schema) as store:
            relationships = sum(store.counts()["edges"].values())
            if relationships > project.limits.app_full_analysis_max_relationships:
                _at_scale(store, wanted, formats, out, name, view, lang, fmt, legacy_json,
                          {"width_px": width, "height_px": height, "dpi": dpi})  # fmt: skip
                return
    diff = previous = None
    if snapshot_ref:
        info = find_snapshot(snapshot_ref, folder)
        content = load_content(info)
        network = content.network
        analysis: Any = stored_analysis(content)
        provenance = dict(content.meta)
        prev = previous_snapshot(info, folder)
        title = name or info.name
    else:
        from graphcap.analysis import analyze
        from graphcap.history import filter_description, network_hash

        network, flt, where = read_view(**view)
        analysis = analyze(network, config=project, as_of=view.get("as_of"))
        provenance = {
            "source": where,
            "source_hash": network_hash(network),
            "filters": filter_description(flt),
            "as_of": str(analysis.params.get("as_of", "")),
        }
        readable = [i for i in list_snapshots(folder) if i.problem is None]
        prev = readable[-1] if readable else None
        title = name or "Relational capital"
    if "pdf" in wanted and prev is not None:
        diff = diff_snapshots(prev, content if snapshot_ref else as_content(network, analysis))
        previous = prev.name
    stem = safe_filename(name or title)  # the file name stays the same in every language
    if title == "Relational capital" and not name:
        with use_language(lang):
            title = _("Relational capital")
    done = export_files(
        wanted,
        network,
        analysis,
        out,
        stem,
        title=title,
        provenance=provenance,
        diff=diff,
        previous_name=previous,
        image={"width_px": width, "height_px": height, "dpi": dpi},
        key_players=key_players,
        lang=lang,
        currency=money,
        workers=min(2, os.cpu_count() or 1),
    )
    _emit_files(done, out, fmt, legacy_json, {})


#: The view options that filter, by their option names.
_FILTERS = {"node_types": "--type", "rel_types": "--rel-type", "min_strength": "--min-strength",
            "start": "--start", "end": "--end", "ego": "--ego", "as_of": "--as-of"}  # fmt: skip


def _at_scale(
    store: Any,
    wanted: list[str],
    formats: tuple[str, ...],
    out: Path,
    name: str | None,
    view: dict[str, Any],
    lang: str,
    fmt: str,
    legacy_json: bool,
    image: dict[str, Any],
) -> None:
    """``export`` above ``app_full_analysis_max_relationships``: no analysis, the stored data
    and metrics streamed (:func:`graphcap.export.streamed.export_streamed`)."""
    from graphcap.errors import ExportError
    from graphcap.export.streamed import export_streamed
    from graphcap.files import safe_filename
    from graphcap.i18n import use_language

    given = [f for f in _FILTERS if view.get(f) not in (None, (), "", [])]
    if given:
        raise ExportError(
            _(
                "filters ({given}) are not applied to a network above "
                "app_full_analysis_max_relationships: export it whole (csv, json) and filter "
                "the files; nothing was written"
            ).format(given=", ".join(_FILTERS[f] for f in given))
        )
    with use_language(lang):
        title = name or _("Relational capital")
        done, skipped = export_streamed(
            wanted,
            store,
            out,
            safe_filename(name or "Relational capital"),
            title=title,
            image=image,
            strict="all" not in [f.lower() for f in formats],
        )
    for reason in skipped.values():
        click.echo(_("left out: {reason}").format(reason=reason), err=True)
    _emit_files(done, out, fmt, legacy_json, {"left_out": skipped})


def _emit_files(
    done: list[tuple[str, list[Path], float]],
    out: Path,
    fmt: str,
    legacy_json: bool,
    extra: dict[str, Any],
) -> None:
    """Print what was written: one line per file, or the document ``{"out", "files", ...}``."""
    files = [
        {"format": kind, "path": str(p), "seconds": round(seconds, 3)}
        for kind, paths, seconds in done
        for p in paths
    ]

    def table() -> None:
        for f in files:
            seconds = format_number(f["seconds"], decimals=1)
            click.echo(f"{f['format']:8} {f['path']}  ({seconds} s)")

    emit(
        fmt_of(fmt, legacy_json),
        {"out": str(out), "files": files, **extra},
        rows=files,
        table=table,
    )
