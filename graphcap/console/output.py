"""What the console shows and writes: a query result as a table, CSV, XLSX, JSON and network.

Results come from :func:`graphcap.console.run_query` (:class:`graphcap.store.readonly.ReadResult`,
values already plain Python: nodes as ``{"_labels", ...}``, relationships as ``{"_type",
"_start", "_end", ...}``, paths as lists). Spreadsheet files are safe against formula injection
the way :mod:`graphcap.export.tables` makes them: a text cell starting with ``=``, ``+``, ``-``,
``@``, tab or CR gets a leading ``'`` in CSV and is stored as quote-prefixed text in XLSX.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from typing import Any

import pandas as pd

from graphcap.errors import SchemaError
from graphcap.export.tables import needs_neutralising, neutralise
from graphcap.i18n import format_number
from graphcap.i18n import gettext as _
from graphcap.model.schema import DEFAULT_SCHEMA, STAKEHOLDER_LABEL, Schema

__all__ = [
    "csv_text",
    "result_json",
    "result_network",
    "strict_json_value",
    "table_frame",
    "truncation_note",
    "xlsx_bytes",
]


def result_network(
    nodes: pd.DataFrame, relationships: pd.DataFrame, schema: Schema = DEFAULT_SCHEMA
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The nodes and relationships of a result as network frames the renderer draws:
    ``nodes(id, name, type)`` (id: the ``id`` property, else Neo4j's element id; type: from the
    type label) and ``edges(source, target, type, strength?)`` between returned nodes only."""
    if nodes.empty:
        return (
            pd.DataFrame(columns=["id", "name", "type"]),
            pd.DataFrame(columns=["source", "target", "type"]),
        )
    key = {}
    out_nodes = []
    for row in nodes.to_dict("records"):
        ident = row.get("id")
        ident = str(ident) if ident is not None and not pd.isna(ident) else str(row["element_id"])
        key[row["element_id"]] = ident
        name = row.get("name")
        out_nodes.append({"id": ident, "name": str(name) if isinstance(name, str) else ident,
                          "type": _node_type(row.get("labels") or [], schema)})  # fmt: skip
    out_edges = []
    for row in relationships.to_dict("records") if not relationships.empty else []:
        if row["start"] in key and row["end"] in key:
            edge = {"source": key[row["start"]], "target": key[row["end"]], "type": row["type"]}
            strength = row.get("strength")
            if isinstance(strength, int | float) and not pd.isna(strength):
                edge["strength"] = float(strength)
            out_edges.append(edge)
    node_frame = pd.DataFrame(out_nodes).drop_duplicates("id")
    edge_frame = pd.DataFrame(
        out_edges, columns=None if out_edges else ["source", "target", "type"]
    )
    return node_frame, edge_frame


def _node_type(labels: list[str], schema: Schema) -> str:
    for label in labels:
        if label == STAKEHOLDER_LABEL:
            continue
        try:
            return schema.type_for_label(label)
        except SchemaError:
            continue
    others = [lab for lab in labels if lab != STAKEHOLDER_LABEL]
    return others[0].lower() if others else "other"


def _short(value: Any) -> str:
    """A node, relationship or path (as :func:`graphcap.store.readonly.to_plain` gives them) in
    a few words: ``Alpha (Customer c1)``, ``c1 -BUYS_FROM-> o1``."""
    if isinstance(value, dict) and "_labels" in value:
        labels = [lab for lab in value["_labels"] if lab != STAKEHOLDER_LABEL]
        name = value.get("name", value.get("id", value.get("key", "")))
        ident = value.get("id")
        extra = " ".join(str(x) for x in (*labels, ident) if x not in (None, "", name))
        return f"{name} ({extra})" if extra else str(name)
    if isinstance(value, dict) and "_type" in value:
        return f"{value.get('_start')} -{value['_type']}-> {value.get('_end')}"
    if isinstance(value, list):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items()) + "}"
    return str(value)


def strict_json_value(value: Any) -> Any:
    """``value`` with every float that JSON cannot hold (NaN, +-Infinity) as ``None``, so that
    the JSON written is strict (RFC 8259): no ``NaN`` or ``Infinity`` tokens."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [strict_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: strict_json_value(v) for k, v in value.items()}
    return value


def _json_cell(value: Any) -> str:
    return json.dumps(
        strict_json_value(value), ensure_ascii=False, default=_json_default, allow_nan=False
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


def table_frame(frame: pd.DataFrame, *, compact: bool = False) -> pd.DataFrame:
    """A result frame whose cells a table or spreadsheet can hold: lists, maps, nodes,
    relationships and paths become text (JSON, or a short form with ``compact``); numbers,
    text, booleans and dates stay as they are (columns get a numeric type where they can)."""
    out = {}
    for col in frame.columns:
        values = [
            (_short(v) if compact else _json_cell(v)) if isinstance(v, list | dict) else v
            for v in frame[col].tolist()
        ]
        out[col] = pd.Series(values, dtype=object).infer_objects()
    return pd.DataFrame(out, columns=list(frame.columns), index=frame.index)


def truncation_note(result: Any) -> str:
    """Why a truncated result was cut and which setting to change ("" when it was not)."""
    if not result.truncated:
        return ""
    if getattr(result, "truncated_by", "") == "max_result_bytes":
        return _(
            "Truncated: the rows read so far exceed {bytes} bytes; the first {rows} rows are "
            "shown (setting max_result_bytes / GRAPHCAP_MAX_RESULT_BYTES). Return fewer or "
            "smaller values."
        ).format(bytes=format_number(result.max_bytes), rows=format_number(len(result.rows)))
    return _(
        "Truncated: the query has more than {rows} rows; only the first {rows} are shown "
        "(setting max_rows / GRAPHCAP_MAX_ROWS). Add a LIMIT or narrow the query."
    ).format(rows=format_number(result.max_rows))


def result_json(result: Any) -> str:
    """The result as strict JSON: ``{"columns", "rows" (one object per row), "truncated",
    "truncated_by", "max_rows"}``; dates as ISO text, nodes and relationships as objects, NaN
    and infinities as ``null`` (JSON has no such numbers)."""
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    doc = {"columns": result.columns, "rows": rows, "truncated": result.truncated,
           "truncated_by": getattr(result, "truncated_by", "") or None,
           "max_rows": result.max_rows}  # fmt: skip
    return json.dumps(
        strict_json_value(doc), ensure_ascii=False, indent=2, default=_json_default,
        allow_nan=False,
    )  # fmt: skip


def csv_text(frame: pd.DataFrame, *, lineterminator: str = "\r\n") -> str:
    """The table as CSV text, formula-like text neutralised (encode it as ``utf-8-sig`` for a
    file Excel opens with umlauts intact)."""
    safe = frame.copy()
    for col in safe.columns:
        safe[col] = pd.Series(
            [neutralise(v) if isinstance(v, str) else v for v in frame[col].tolist()],
            index=frame.index, dtype=object,
        )  # fmt: skip
    return safe.to_csv(index=False, lineterminator=lineterminator)


def xlsx_bytes(frame: pd.DataFrame, *, sheet: str = "result") -> bytes:
    """The table as an XLSX workbook: dates as Excel dates, formula-like text as quoted text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet[:31])
    ws.freeze_panes = "A2"
    header = []
    for col in frame.columns:
        cell = WriteOnlyCell(ws, value=str(col))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)

    def cell_of(value: Any) -> Any:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return None
        if (
            isinstance(value, dt.datetime)
            and value.tzinfo is not None
            or isinstance(value, dt.time)
        ):
            value = value.isoformat()
        elif isinstance(value, dt.date | dt.datetime):
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = "yyyy-mm-dd" if type(value) is dt.date else "yyyy-mm-dd hh:mm:ss"
            return cell
        if not isinstance(value, str):
            return value
        cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
        if cell.data_type != "s" or needs_neutralising(value):
            cell.data_type = "s"
            cell.quotePrefix = True
        return cell

    for row in frame.itertuples(index=False, name=None):
        ws.append([cell_of(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
