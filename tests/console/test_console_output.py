"""Result presentation: table cells, CSV/XLSX safety, JSON, network frames (no database)."""

from __future__ import annotations

import datetime as dt
import io
import json
from types import SimpleNamespace

import pandas as pd
from openpyxl import load_workbook

from graphcap.console.output import csv_text, result_json, result_network, table_frame, xlsx_bytes

NODE = {"_labels": ["Customer", "Stakeholder"], "id": "c1", "name": "Alpha"}
REL = {"_type": "BUYS_FROM", "_start": "c1", "_end": "o1", "strength": 0.8}
ROWS = [[NODE, REL, [NODE, REL], dt.date(2026, 1, 2), 3, '=HYPERLINK("http://x")']]
COLUMNS = ["n", "r", "p", "d", "k", "name"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame(ROWS, columns=COLUMNS, dtype=object)


def test_table_cells_compact_and_full():
    compact = table_frame(_frame(), compact=True).iloc[0].tolist()
    assert compact[:3] == [
        "Alpha (Customer c1)",
        "c1 -BUYS_FROM-> o1",
        "[Alpha (Customer c1), c1 -BUYS_FROM-> o1]",
    ]
    full = table_frame(_frame())
    assert json.loads(full["n"].iloc[0]) == NODE
    assert full["d"].iloc[0] == dt.date(2026, 1, 2) and full["k"].dtype == "int64"


def test_csv_and_xlsx_neutralise_formulas_and_keep_values():
    text = csv_text(table_frame(_frame()), lineterminator="\n")
    assert "'=HYPERLINK" in text and "2026-01-02" in text
    wb = load_workbook(io.BytesIO(xlsx_bytes(table_frame(_frame()))))
    ws = wb.active
    header = [c.value for c in ws[1]]
    values = dict(zip(header, [c for c in ws[2]], strict=True))
    assert values["name"].value == '=HYPERLINK("http://x")' and values["name"].data_type == "s"
    assert values["name"].quotePrefix
    assert values["d"].value == dt.datetime(2026, 1, 2) and values["k"].value == 3


def test_result_json_is_plain_json():
    result = SimpleNamespace(columns=COLUMNS, rows=ROWS, truncated=True, max_rows=1)
    doc = json.loads(result_json(result))
    assert doc["truncated"] is True and doc["rows"][0]["d"] == "2026-01-02"
    assert doc["rows"][0]["n"] == NODE


def test_result_network_maps_element_ids_to_stakeholder_ids():
    nodes = pd.DataFrame(
        [
            {
                "element_id": "4:x:1",
                "labels": ["Customer", "Stakeholder"],
                "id": "c1",
                "name": "Alpha",
            },
            {
                "element_id": "4:x:2",
                "labels": ["Organization", "Stakeholder"],
                "id": "o1",
                "name": "Orbit",
            },
            {"element_id": "4:x:3", "labels": ["Interaction"], "key": "k"},
        ]
    )
    rels = pd.DataFrame(
        [
            {
                "element_id": "5:x:1",
                "type": "BUYS_FROM",
                "start": "4:x:1",
                "end": "4:x:2",
                "strength": 0.8,
            },
            {
                "element_id": "5:x:2",
                "type": "FROM",
                "start": "4:x:3",
                "end": "4:x:1",
                "strength": None,
            },
            {
                "element_id": "5:x:3",
                "type": "REFERS",
                "start": "4:x:1",
                "end": "4:x:9",
                "strength": None,
            },
        ]
    )
    n, e = result_network(nodes, rels)
    assert n.values.tolist() == [
        ["c1", "Alpha", "customer"],
        ["o1", "Orbit", "organization"],
        ["4:x:3", "4:x:3", "interaction"],
    ]
    assert e[["source", "target", "type"]].values.tolist() == [
        ["c1", "o1", "BUYS_FROM"],
        ["4:x:3", "c1", "FROM"],
    ]


def test_result_json_is_strict_without_nan_or_infinity():
    rows = [[float("nan"), float("inf"), [1.5, float("-inf")], {"x": float("nan")}, 2.0]]
    result = SimpleNamespace(
        columns=["a", "b", "c", "d", "e"], rows=rows, truncated=False, max_rows=5
    )

    def refuse(constant):
        raise AssertionError(f"not JSON: {constant}")

    doc = json.loads(result_json(result), parse_constant=refuse)
    assert doc["rows"] == [{"a": None, "b": None, "c": [1.5, None], "d": {"x": None}, "e": 2.0}]
    cells = table_frame(pd.DataFrame(rows, columns=["a", "b", "c", "d", "e"], dtype=object))
    assert json.loads(cells["c"].iloc[0], parse_constant=refuse) == [1.5, None]
