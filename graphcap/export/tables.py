"""Tables for spreadsheets and scripts: CSV, XLSX (nodes, edges, metrics sheets) and JSON.

Spreadsheet safety (CSV injection, OWASP): a text cell that starts with ``=``, ``+``, ``-``, ``@``,
tab or carriage return could run as a formula when the file is opened in Excel, LibreOffice or
Google Sheets. Such cells are neutralised in the spreadsheet formats:

* **CSV** has no cell types, so the cell is written with a leading ``'`` (``=HYPERLINK(...)``
  becomes ``'=HYPERLINK(...)``), exactly what a user would type to force text. To keep this
  reversible, a cell that already starts with ``'`` followed by one of those characters (or by
  another ``'``) gets one more ``'``; :func:`restore_neutralised` undoes it, so a re-import gives
  back the original names.
* **XLSX** (Office Open XML) stores such a cell as a text cell with Excel's *quote prefix* flag set — the same cell
  Excel itself stores when a user types ``'=...``. It is shown and kept as text, never evaluated,
  and its value stays the real name, so it re-imports unchanged.

JSON (node-link, the layout networkx and D3 read) keeps every value raw; it is valid UTF-8 (not
ASCII-escaped) and never contains ``NaN`` or ``Infinity``: missing or non-finite numbers are
``null``. Dates are ISO 8601 text everywhere except XLSX, where they are real Excel dates.

Two things XLSX cannot hold are changed visibly rather than failing the export: characters that
XML 1.0 forbids (NUL and other C0 controls except tab and line breaks) become U+FFFD, and a
carriage return becomes a line feed (how Excel itself stores a line break in a cell).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from graphcap.errors import ExportError
from graphcap.export._records import (
    column_kinds,
    iter_records,
    plain_column,
    plain_columns,
    to_python,
)
from graphcap.export.headers import column_headers, sentences, sheet_name
from graphcap.files import output_path, write_atomic
from graphcap.i18n import gettext as _
from graphcap.i18n import normalise_language, use_language
from graphcap.model import Network
from graphcap.model.schema import DATE_COLUMNS, EDGE_REQUIRED, INTERACTION_REQUIRED, NODE_REQUIRED

__all__ = [
    "FORMULA_TRIGGERS",
    "export_csv",
    "export_json",
    "export_xlsx",
    "needs_neutralising",
    "neutralise",
    "network_sheets",
    "read_json",
    "restore_neutralised",
    "to_node_link",
    "to_records",
]

#: Excel number formats of dates and date-times per language
_DATE_FORMATS = {
    "en": ("yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"),
    "de": ("dd.mm.yyyy", "dd.mm.yyyy hh:mm:ss"),
}

#: First characters that make a spreadsheet cell a formula (or a DDE payload).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_NEXT = (*FORMULA_TRIGGERS, "'")


def needs_neutralising(text: str) -> bool:
    """True when ``text`` would start a formula in a spreadsheet (see the module doc)."""
    return text[:1] in FORMULA_TRIGGERS


def neutralise(text: str) -> str:
    """The CSV form of a text cell: a ``'`` in front of formula starts (reversible).

    >>> neutralise("=1+2"), neutralise("-5 %"), neutralise("Müller"), neutralise("'=x")
    ("'=1+2", "'-5 %", 'Müller', "''=x")
    >>> all(restore_neutralised(neutralise(s)) == s for s in ["=1", "'", "''", "'=", "a", ""])
    True
    """
    if needs_neutralising(text) or (text[:1] == "'" and text[1:2] in _ESCAPED_NEXT):
        return "'" + text
    return text


def restore_neutralised(text: str) -> str:
    """Undo :func:`neutralise` (for re-importing a graphcap CSV export)."""
    if text[:1] == "'" and text[1:2] in _ESCAPED_NEXT:
        return text[1:]
    return text


def network_sheets(
    network: Network, extra: Mapping[str, pd.DataFrame] | None = None
) -> dict[str, pd.DataFrame]:
    """The sheets an export holds: ``nodes``, ``edges``, ``interactions`` (when there are any),
    then ``extra`` (e.g. ``metrics``, ``risks``) in the given order."""
    sheets = {"nodes": network.nodes, "edges": network.edges}
    if len(network.interactions):
        sheets["interactions"] = network.interactions
    for name, frame in (extra or {}).items():
        if name in sheets:
            raise ExportError(
                _("sheet name {name!r} is taken by the network's own frames").format(name=name)
            )
        sheets[name] = frame
    return sheets


def _plain_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as a plain Python value (dates as ISO text, text neutralised, None = empty)."""
    kinds = column_kinds(frame)
    out = {}
    for col in frame.columns:
        kind = kinds[str(col)]
        values = plain_column(frame[col], kind)
        if kind == "string":
            values = [neutralise(v) if isinstance(v, str) else v for v in values]
        out[str(col)] = pd.Series(values, dtype=object)
    return pd.DataFrame(out, columns=[str(c) for c in frame.columns])


def export_csv(
    network: Network,
    folder: str | Path,
    *,
    stem: str,
    extra: Mapping[str, pd.DataFrame] | None = None,
) -> list[Path]:
    """Write one CSV per sheet (``nodes.csv``, ``edges.csv``, ``interactions.csv``, then the
    ``extra`` ones) into the new sub-folder ``<stem>_csv`` of ``folder``; returns the paths.

    The sub-folder is exactly what ``graphcap import`` reads back. RFC 4180: comma separated,
    CRLF line ends, fields with a comma, quote, CR or LF quoted; UTF-8 with a byte-order mark so
    Excel shows umlauts. An empty cell means "missing".
    """
    sub = output_path(folder, f"{stem}_csv")
    written = []
    for sheet, frame in network_sheets(network, extra).items():
        target = output_path(sub, f"{sheet}.csv")
        plain = _plain_frame(frame)
        written.append(write_atomic(target, partial(_write_csv, plain)))
    return written


_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_text(text: str) -> str:
    # Characters XML 1.0 cannot carry (NUL, most C0 controls) cannot be stored in XLSX at all;
    # a carriage return would be read back as a line feed (XML end-of-line handling), so line
    # breaks are stored as Excel stores them: LF.
    return _XML_ILLEGAL.sub("\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")


def _write_sheet(wb: Any, ws: Any, frame: pd.DataFrame, formats: dict[str, Any]) -> None:
    """One sheet, row by row (xlsxwriter's constant-memory mode writes rows in order); headers
    in the current language (:mod:`graphcap.export.headers`)."""
    kinds = column_kinds(frame)
    cols = [str(c) for c in frame.columns]
    headers = column_headers(cols)
    for i, col in enumerate(cols):
        lengths = [len(str(v)) for v in frame[col].head(200).tolist()]
        ws.set_column(i, i, min(max([len(headers[i]), *lengths]) + 2, 60))
    ws.freeze_panes(1, 0)
    for i, header in enumerate(headers):
        ws.write_string(0, i, header, formats["bold"])
    columns = [_python_column(frame[c], kinds[c]) for c in cols]
    col_kinds = [kinds[c] for c in cols]
    for i, col in enumerate(cols):
        dates = _excel_dates(frame[col], formats) if col_kinds[i] == "date" else None
        if dates is not None:
            columns[i], col_kinds[i] = dates, "excel_date"
    for r, row in enumerate(zip(*columns, strict=True), start=1):
        for c, value in enumerate(row):
            kind = col_kinds[c]
            if kind == "excel_date":
                if value is not None:
                    ws.write_datetime(r, c, value[0], value[1])
                continue
            if kind == "date" and not _missing_date(value):
                try:
                    ts = pd.Timestamp(value)
                except (TypeError, ValueError):
                    ts = None
                if ts is not None and ts.tzinfo is None:
                    fmt = formats["date"] if ts == ts.normalize() else formats["datetime"]
                    ws.write_datetime(r, c, ts.to_pydatetime(), fmt)
                    continue
            py = value if kind != "date" else to_python(value, kind)
            if py is None:
                continue
            if isinstance(py, bool):
                ws.write_boolean(r, c, py)
            elif isinstance(py, int | float):
                ws.write_number(r, c, py)
            else:
                text = _xlsx_text(str(py))
                if needs_neutralising(text):
                    ws.write_string(r, c, text, formats["quote"])
                else:
                    ws.write_string(r, c, text)


def _excel_dates(series: pd.Series, formats: dict[str, Any]) -> list[Any] | None:
    """A naive datetime64 column as the cell loop writes it, worked out column-wise: per cell
    ``(datetime, date or date-time format)``, or None when missing; None for other dtypes."""
    dtype = series.dtype
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) or dtype.kind != "M":
        return None
    midnight = (series == series.dt.normalize()).to_numpy().tolist()
    day, moment = formats["date"], formats["datetime"]
    return [
        None if _missing_date(v) else (v.to_pydatetime(), day if at_midnight else moment)
        for v, at_midnight in zip(series.tolist(), midnight, strict=True)
    ]


def _python_column(series: pd.Series, kind: str) -> list[Any]:
    """The column's cells as :func:`to_python` gives them (dates are left as they are: the
    writer turns them into Excel dates)."""
    if kind == "date":
        return series.tolist()
    return plain_column(series, kind)


def _missing_date(value: Any) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and value != value)


def export_xlsx(
    network: Network,
    folder: str | Path,
    *,
    stem: str,
    extra: Mapping[str, pd.DataFrame] | None = None,
    lang: str | None = None,
) -> Path:
    """Write ``<stem>.xlsx`` with one sheet per frame (bold header, frozen first row, widths).

    ``lang`` (default English) is the language of sheet names, column headers, the radar's
    reasons and the index breakdown: English keeps the column keys, so the workbook re-imports;
    German (``"de"``) is a workbook for people, with German headers and dates as 31.12.2026.

    Written by xlsxwriter in constant-memory mode (rows streamed to disk; measured 4x faster than
    openpyxl's write-only mode on real-shaped data, see docs/PERFORMANCE.md). Text is never
    turned into formulas, numbers or links; formula-like text gets Excel's quote prefix."""
    import xlsxwriter

    sheets = network_sheets(network, extra)
    target = output_path(folder, f"{stem}.xlsx")
    code = normalise_language(lang) or "en"

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "nan_inf_to_errors": False,
            },
        )
        formats = {
            "bold": wb.add_format({"bold": True}),
            "quote": wb.add_format({"quote_prefix": True}),
            "date": wb.add_format({"num_format": _DATE_FORMATS[code][0]}),
            "datetime": wb.add_format({"num_format": _DATE_FORMATS[code][1]}),
        }
        with use_language(code):
            for name, frame in sheets.items():
                ws = wb.add_worksheet(sheet_name(name))
                _write_sheet(wb, ws, sentences(name, frame), formats)
        wb.close()

    return write_atomic(target, write)


def to_node_link(network: Network, extra: Mapping[str, pd.DataFrame] | None = None) -> dict:
    """The node-link document: ``directed``, ``multigraph``, ``graph`` (meta), ``nodes``,
    ``edges`` (``key`` = the relationship type, one per source/type/target), ``interactions``
    and any ``extra`` tables, all as plain JSON values."""
    edges = []
    for rec in iter_records(network.edges):
        rec["key"] = rec.get("type")
        edges.append(rec)
    doc: dict[str, Any] = {
        "directed": True,
        "multigraph": True,
        "graph": _json_meta(network.meta),
        "nodes": list(iter_records(network.nodes)),
        "edges": edges,
        "interactions": list(iter_records(network.interactions)),
    }
    for name, frame in (extra or {}).items():
        doc.setdefault("tables", {})[name] = list(iter_records(frame))
    return doc


def to_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (every column present; missing / non-finite as ``None``)."""
    kinds = column_kinds(frame)
    cols = [str(c) for c in frame.columns]
    if not cols:
        return [{} for _ in range(len(frame))]
    rows = zip(*plain_columns(frame, kinds), strict=True)
    return [dict(zip(cols, row, strict=True)) for row in rows]


def _json_meta(meta: Mapping) -> Any:
    def plain(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple | set):
            return [plain(v) for v in value]
        if isinstance(value, bool | int | str) or value is None:
            return value
        if isinstance(value, float):
            return to_python(value, "double")
        return to_python(value, "string")

    return plain(dict(meta))


_SCALARS = (str, int, float, bool, type(None))


class _NotPlain(Exception):
    """A value :func:`json_text` leaves to the json module."""


def json_text(doc: Any) -> str:
    """``json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=1)``, the same text, fast.

    With ``indent`` the json module encodes in Python, a call per value; here every dict or list
    of plain values (one record) is encoded by the C encoder, whose item separator carries the
    line break and indentation, and only the nesting above is joined in Python. Anything but
    str keys and str/int/float/bool/None values goes to ``json.dumps`` as a whole."""
    try:
        return _indented(doc, 0, {})
    except _NotPlain:
        return json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=1)


def _indented(obj: Any, level: int, encoders: dict[int, json.JSONEncoder]) -> str:
    inner = " " * (level + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        if any(type(k) is not str for k in obj):
            raise _NotPlain
        values: Any = obj.values()
        opening, closing = "{", "}"
    elif isinstance(obj, list):
        if not obj:
            return "[]"
        values = obj
        opening, closing = "[", "]"
    elif type(obj) in _SCALARS:
        return json.dumps(obj, ensure_ascii=False, allow_nan=False)
    else:
        raise _NotPlain
    if all(type(v) in _SCALARS for v in values):
        enc = encoders.get(level)
        if enc is None:
            enc = encoders[level] = json.JSONEncoder(
                ensure_ascii=False, allow_nan=False, separators=(",\n" + inner, ": ")
            )
        body = enc.encode(obj)[1:-1]
    elif opening == "{":
        body = (",\n" + inner).join(
            json.dumps(k, ensure_ascii=False) + ": " + _indented(v, level + 1, encoders)
            for k, v in obj.items()
        )
    else:
        body = (",\n" + inner).join(_indented(v, level + 1, encoders) for v in obj)
    return opening + "\n" + inner + body + "\n" + " " * level + closing


def export_json(
    network: Network,
    folder: str | Path,
    *,
    stem: str,
    extra: Mapping[str, pd.DataFrame] | None = None,
) -> Path:
    """Write ``<stem>.json`` (node-link, UTF-8, no NaN/Infinity; see :func:`to_node_link`)."""
    text = json_text(to_node_link(network, extra))
    target = output_path(folder, f"{stem}.json")
    return write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _frame(
    records: list[dict], required: tuple[str, ...], drop: tuple[str, ...] = ()
) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame(columns=list(required))
    frame = frame.drop(columns=[c for c in drop if c in frame.columns])
    for col in required:
        if col not in frame.columns:
            frame[col] = pd.Series(dtype=object)
    for col in DATE_COLUMNS & set(frame.columns):
        frame[col] = pd.to_datetime(frame[col], format="ISO8601")
    for col in (*required, "name"):
        if col in frame.columns and col != "date":
            frame[col] = frame[col].astype(object)
    return frame


def read_json(path: str | Path) -> Network:
    """Read a graphcap node-link JSON export back into a :class:`Network`."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        nodes = _frame(doc["nodes"], NODE_REQUIRED)
        edges = _frame(doc["edges"], EDGE_REQUIRED, drop=("key",))
        inter = _frame(doc.get("interactions", []), INTERACTION_REQUIRED)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ExportError(
            _("{path} is not a graphcap node-link JSON file: {exc}").format(path=path, exc=exc)
        ) from exc
    return Network(nodes=nodes, edges=edges, interactions=inter, meta=doc.get("graph") or {})


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
