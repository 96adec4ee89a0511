"""How every ``graphcap`` command prints: ``--format table|json|csv``, ``--quiet``, ``--verbose``.

Data goes to stdout in the chosen format; everything said *about* the work (what is being read,
progress, where files went) goes to stderr through :func:`note`, which ``--quiet`` silences.
JSON is one document per command with the keys documented in docs/CLI.md (UTF-8, dates as ISO
text, no NaN); CSV is a header and one row per record (nested values as JSON text). Progress bars
only show when stderr is a terminal and the command is not quiet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import click

__all__ = [
    "FORMATS",
    "csv_text",
    "emit",
    "format_option",
    "json_text",
    "note",
    "progress_bar",
    "table_text",
    "fmt_of",
    "set_verbosity",
    "verbosity",
]

FORMATS = ("table", "json", "csv")
F = TypeVar("F", bound=Callable[..., Any])
_STATE = {"verbosity": 0}


def set_verbosity(level: int) -> None:
    """-1 quiet, 0 normal, 1 verbose, 2 debug (set by the command group's options)."""
    _STATE["verbosity"] = level


def verbosity() -> int:
    return _STATE["verbosity"]


def note(message: str) -> None:
    """A message about the work (stderr), unless ``--quiet``."""
    if verbosity() >= 0:
        click.echo(message, err=True)


def progress_bar(**options: Any) -> Any:
    """A tqdm bar on stderr, shown only on a terminal and without ``--quiet``."""
    from tqdm import tqdm

    shown = sys.stderr.isatty() and verbosity() >= 0
    return tqdm(file=sys.stderr, disable=not shown, **options)


def _json_default(value: Any) -> Any:
    if value != value:  # NaT, and NaN inside objects that are not floats
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def json_text(doc: Any) -> str:
    """``doc`` as indented UTF-8 JSON; NaN and infinities become null."""
    return json.dumps(
        _finite(json.loads(json.dumps(doc, default=_json_default))),
        ensure_ascii=False,
        indent=2,
        allow_nan=False,
    )


def csv_text(rows: Iterable[Mapping[str, Any]], columns: list[str] | None = None) -> str:
    """Rows as CSV (header first); nested values as JSON, missing as empty; text that a
    spreadsheet would run as a formula gets a ``'`` in front (as the CSV export does).

    >>> print(csv_text([{"name": "=HYPERLINK(1)", "n": 2, "tags": ["a"]}]))
    name,n,tags
    '=HYPERLINK(1),2,"[""a""]"
    """
    from graphcap.export.tables import neutralise  # pandas: loaded only when CSV is printed

    rows = list(rows)
    if columns is None:
        columns = list(dict.fromkeys(k for r in rows for k in r))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        cells = []
        for c in columns:
            v = r.get(c)
            if isinstance(v, Mapping | list | tuple):
                v = json.dumps(v, ensure_ascii=False, default=_json_default)
            elif v is None or (isinstance(v, float) and math.isnan(v)):
                v = ""
            cells.append(neutralise(v) if isinstance(v, str) else v)
        writer.writerow(cells)
    return buf.getvalue().rstrip("\n")


def table_text(frame: Any, *, max_colwidth: int = 120, decimals: int = 2) -> str:
    """A frame as the text table a person reads, in the current language: headers and
    graphcap's own words (types, quadrants; radar reasons where the frame has their codes)
    translated, numbers with the language's signs (:mod:`graphcap.i18n`). English prints the
    column keys as they are."""
    import pandas as pd

    from graphcap.export.headers import column_headers
    from graphcap.i18n import current_language, format_number
    from graphcap.metrics.wording import (
        dimension_label,
        quadrant_label,
        reasons_text,
        type_label,
    )

    def number(x: float) -> str:
        return format_number(x, decimals=decimals)

    if current_language() == "en":
        return str(
            frame.to_string(
                index=False,
                max_colwidth=max_colwidth,
                float_format=lambda x: f"{x:,.{decimals}f}",
            )
        )
    shown = frame.copy()
    if "reasons_text" in shown.columns and "reason_codes" in shown.columns:
        rows = frame.to_dict("records")
        shown["reasons_text"] = [reasons_text(r) for r in rows]
    words = {
        "type": type_label,
        "dominant_type": type_label,
        "quadrant": quadrant_label,
        "dimension": dimension_label,
    }
    for col, word in words.items():
        if col in shown.columns:
            shown[col] = shown[col].map(lambda v, w=word: w(v) if isinstance(v, str) else v)
    for col in shown.columns:
        if pd.api.types.is_float_dtype(shown[col]):
            values = shown[col].dropna()
            whole = len(values) > 0 and bool((values == values.round()).all())
            shown[col] = shown[col].map(
                (lambda x: format_number(x, decimals=0)) if whole else number
            )
    shown.columns = column_headers([str(c) for c in shown.columns])
    return shown.to_string(index=False, max_colwidth=max_colwidth)


def emit(
    fmt: str,
    doc: Any,
    *,
    rows: Iterable[Mapping[str, Any]] | None = None,
    table: Callable[[], None] | None = None,
    columns: list[str] | None = None,
) -> None:
    """Print ``doc`` as JSON, ``rows`` as CSV, or call ``table`` to print the human form."""
    if fmt == "json":
        click.echo(json_text(doc))
    elif fmt == "csv":
        click.echo(csv_text(rows if rows is not None else [doc], columns))
    elif table is not None:
        table()
    else:
        click.echo(json_text(doc))


def format_option(func: F) -> F:
    """``--format table|json|csv`` (and the older ``--json``, hidden, meaning ``--format json``)
    as the ``fmt`` argument."""

    func = click.option(
        "--json", "legacy_json", is_flag=True, hidden=True, help="Same as --format json."
    )(func)
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output: table, json or csv (JSON keys: docs/CLI.md).",
    )(func)
    return func


def fmt_of(fmt: str, legacy_json: bool) -> str:
    """The effective format (``--json`` wins for compatibility)."""
    return "json" if legacy_json else fmt
