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
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from graphcap.errors import ExportError
from graphcap.export._records import column_kinds, iter_records, to_python
from graphcap.files import output_path, write_atomic
from graphcap.model import (
    DATE_COLUMNS,
    EDGE_REQUIRED,
    INTERACTION_REQUIRED,
    NODE_REQUIRED,
    Network,
)

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
            raise ExportError(f"sheet name {name!r} is taken by the network's own frames")
        sheets[name] = frame
    return sheets


def _plain_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as a plain Python value (dates as ISO text, text neutralised, None = empty)."""
    kinds = column_kinds(frame)
    out = {}
    for col in frame.columns:
        kind = kinds[str(col)]
        values = [to_python(v, kind) for v in frame[col].tolist()]
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


def _xlsx_cell(ws: Any, value: Any, kind: str) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    py = to_python(value, kind)
    if py is None:
        return None
    if kind == "date":
        ts = pd.Timestamp(py)
        cell = WriteOnlyCell(ws, value=ts.to_pydatetime())
        cell.number_format = "yyyy-mm-dd" if ts == ts.normalize() else "yyyy-mm-dd hh:mm:ss"
        return cell
    if not isinstance(py, str):
        return py
    # Characters XML 1.0 cannot carry (NUL, most C0 controls) cannot be stored in XLSX at all;
    # a carriage return would be read back as a line feed (XML end-of-line handling), so line
    # breaks are stored as Excel stores them: LF.
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", py).replace("\r\n", "\n").replace("\r", "\n")
    if not needs_neutralising(text):
        return text  # a plain text cell (openpyxl only turns text starting with "=" into formulas)
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def export_xlsx(
    network: Network,
    folder: str | Path,
    *,
    stem: str,
    extra: Mapping[str, pd.DataFrame] | None = None,
) -> Path:
    """Write ``<stem>.xlsx`` with one sheet per frame (bold header, frozen first row, widths)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheets = network_sheets(network, extra)
    target = output_path(folder, f"{stem}.xlsx")

    def write(tmp: Path) -> None:
        wb = Workbook(write_only=True)
        for name, frame in sheets.items():
            ws = wb.create_sheet(title=name[:31])
            ws.freeze_panes = "A2"
            kinds = column_kinds(frame)
            cols = [str(c) for c in frame.columns]
            for i, col in enumerate(cols, start=1):
                lengths = [len(str(v)) for v in frame[col].head(200).tolist()]
                width = min(max([len(col), *lengths]) + 2, 60)
                ws.column_dimensions[get_column_letter(i)].width = width
            header = []
            for col in cols:
                cell = WriteOnlyCell(ws, value=col)
                cell.font = Font(bold=True)
                cell.data_type = "s"
                header.append(cell)
            ws.append(header)
            for row in frame.itertuples(index=False, name=None):
                ws.append([_xlsx_cell(ws, v, kinds[c]) for c, v in zip(cols, row, strict=True)])
        wb.save(tmp)

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
    return [{c: to_python(v, kinds[c]) for c, v in zip(cols, row, strict=True)}
            for row in frame.itertuples(index=False, name=None)]


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


def export_json(
    network: Network,
    folder: str | Path,
    *,
    stem: str,
    extra: Mapping[str, pd.DataFrame] | None = None,
) -> Path:
    """Write ``<stem>.json`` (node-link, UTF-8, no NaN/Infinity; see :func:`to_node_link`)."""
    text = json.dumps(to_node_link(network, extra), ensure_ascii=False, allow_nan=False, indent=1)
    target = output_path(folder, f"{stem}.json")
    return write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _frame(records: list[dict], required: tuple[str, ...], drop: tuple[str, ...] = ()) -> pd.DataFrame:
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
        raise ExportError(f"{path} is not a graphcap node-link JSON file: {exc}") from exc
    return Network(nodes=nodes, edges=edges, interactions=inter, meta=doc.get("graph") or {})


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
