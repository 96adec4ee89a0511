"""Excel loader: sheets, native values, formulas (stored values), merged and hidden cells."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from graphcap.errors import LoaderError, ValidationError
from loaders import ExcelLoader, load_path
from tests.loaders.files import problem_lines


def workbook(
    path: Path,
    nodes: list[list],
    edges: list[list] | None = None,
    interactions: list[list] | None = None,
) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Nodes"
    for row in nodes:
        ws.append(row)
    if edges is not None:
        es = wb.create_sheet("edges")
        for row in edges:
            es.append(row)
    if interactions is not None:
        it = wb.create_sheet("interactions")
        for row in interactions:
            it.append(row)
    wb.save(path)
    return wb


def store_formula_values(path: Path, values: dict[str, str]) -> None:
    """Write the value Excel would have stored for formula cells (openpyxl stores none)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for ref, value in values.items():
                    text = re.sub(
                        rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/>', rf"\1<v>{value}</v>", text
                    )
                data = text.encode()
            dst.writestr(item, data)
    shutil.move(tmp, path)


NODES = [
    ["id", "name", "type", "revenue", "since"],
    ["00123", "Müller GmbH", "Kunde", 1234.5, dt.datetime(2024, 7, 4)],
    [123, "NA", "supplier", None, "04.07.2024"],
    ["ORG", "Wir AG", "organization", 10, None],
]
EDGES = [
    ["source", "target", "type", "trust"],
    ["00123", "ORG", "buys_from", 0.5],
    ["123", "ORG", "SUPPLIES", "0,75"],
]


def test_workbook_loads_with_native_values(tmp_path):
    path = tmp_path / "net.xlsx"
    workbook(
        path,
        NODES,
        EDGES,
        [
            ["date", "source", "target", "value"],
            [dt.datetime(2024, 1, 2, 10, 30), "00123", "ORG", 99],
        ],
    )
    result = load_path(path)
    nodes = result.network.nodes
    assert nodes["id"].tolist() == ["00123", "123", "ORG"]  # a number cell 123 is id "123"
    assert nodes["name"].tolist() == ["Müller GmbH", "NA", "Wir AG"]
    assert nodes["type"].tolist() == ["customer", "supplier", "organization"]
    assert nodes["revenue"].tolist()[0] == 1234.5 and pd.isna(nodes["revenue"].iloc[1])
    assert nodes["since"].tolist()[:2] == [pd.Timestamp(2024, 7, 4)] * 2
    assert result.network.edges["trust"].tolist() == [0.5, 0.75]
    assert result.network.interactions["date"].tolist() == [pd.Timestamp(2024, 1, 2, 10, 30)]
    assert ExcelLoader(path).preview(1)["nodes"].index.tolist() == [2]


def test_formulas_give_their_stored_values_and_missing_values_are_errors(tmp_path):
    path = tmp_path / "formulas.xlsx"
    rows = [list(r) for r in NODES]
    rows[1][3] = "=1000+234.5"
    rows[3][3] = "=D2*2"
    workbook(path, rows, EDGES)
    with pytest.raises(ValidationError) as info:
        load_path(path)
    assert problem_lines(info.value) == [
        f"formulas.xlsx, sheet {s}, row {r}, column 'revenue': formula without a stored value; "
        "open and save the workbook in Excel or LibreOffice so the value is calculated"
        for s, r in (("Nodes", 2), ("Nodes", 4))
    ]
    store_formula_values(path, {"D2": "1234.5", "D4": "2469"})
    nodes = load_path(path).network.nodes
    assert nodes["revenue"].tolist()[::2] == [1234.5, 2469.0]


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    path = tmp_path / "hostile.xlsx"
    wb = workbook(path, [["id", "name", "type"], ["1", "x", "customer"]])
    cell = wb["Nodes"]["B2"]
    cell.value = '=HYPERLINK("http://evil","click")'
    cell.data_type = "s"  # typed with a leading apostrophe in Excel: text, not a formula
    wb["Nodes"]["A3"], wb["Nodes"]["B3"], wb["Nodes"]["C3"] = (
        "2",
        "`) DETACH DELETE n //",
        "customer",
    )
    wb.save(path)
    names = load_path(path).network.nodes["name"].tolist()
    assert names == ['=HYPERLINK("http://evil","click")', "`) DETACH DELETE n //"]


@pytest.fixture(params=["streamed", "full"])
def excel_path(request, monkeypatch):
    """Run a test through the fast read-only path and through openpyxl's full mode."""
    if request.param == "full":
        monkeypatch.setattr(ExcelLoader, "_sheets_streamed", lambda self, book, chosen: None)
    return request.param


def test_merged_and_hidden_cells_are_reported(tmp_path, excel_path):
    path = tmp_path / "merged.xlsx"
    wb = workbook(
        path,
        [["id", "name", "type"], ["1", "A", "Kunde"], ["2", "B", None], ["3", "C", "supplier"]],
        EDGES[:1],
    )
    ws = wb["Nodes"]
    ws.merge_cells("C2:C3")
    ws.row_dimensions[4].hidden = True
    ws.column_dimensions.group("D", "E", hidden=True)
    ws.column_dimensions["B"].hidden = True
    wb["edges"].sheet_state = "hidden"
    wb.save(path)
    result = load_path(path)
    assert result.network.nodes["type"].tolist() == ["customer", "customer", "supplier"]
    assert [str(p) for p in result.warnings] == [
        "merged.xlsx, sheet Nodes, row 2: merged cells C2:C3; the value 'Kunde' is used for every "
        "cell of the range",
        "merged.xlsx, sheet Nodes, row 4: the row is hidden; it is read all the same",
        "merged.xlsx, sheet Nodes: column B is hidden; it is read all the same",
        "merged.xlsx, sheet Nodes: column D is hidden; it is read all the same",
        "merged.xlsx, sheet Nodes: column E is hidden; it is read all the same",
        "merged.xlsx, sheet edges: the sheet is hidden; it is read all the same",
        "merged.xlsx, sheet edges, row 1: the table has a header row but no data rows; nothing "
        "is read from it",
    ]


def test_bad_rows_name_the_sheet_and_the_excel_error_cells(tmp_path, excel_path):
    path = tmp_path / "bad.xlsx"
    workbook(
        path,
        [
            ["id", "name", "type", "loyalty"],
            ["1", "A", "customer", 2],
            ["1", "B", "customer", "#DIV/0!"],
        ],
        [["source", "target", "type"], ["1", "9", "REFERS"]],
    )
    with pytest.raises(ValidationError) as info:
        load_path(path)
    assert problem_lines(info.value) == [
        "bad.xlsx, sheet Nodes, row 2, column 'loyalty': must be between 0 and 1 (for a "
        "percentage write 80 %) (value 2)",
        "bad.xlsx, sheet Nodes, row 3, column 'loyalty': the cell shows an Excel error; fix the "
        "formula or the value (value '#DIV/0!')",
        "bad.xlsx, sheet Nodes, row 3, column 'id': duplicate id (also in row 2); ids must be "
        "unique (value '1')",
        "bad.xlsx, sheet edges, row 2, column 'target': target is not the id of any node in "
        "bad.xlsx, sheet Nodes (value '9')",
    ]


def test_missing_sheet_and_not_a_workbook(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Noeds"
    wb.save(path)
    with pytest.raises(LoaderError) as info:
        load_path(path)
    assert str(info.value) == "other.xlsx: no sheet 'nodes' (did you mean 'Noeds'?); sheets: Noeds"
    fake = tmp_path / "fake.xlsx"
    fake.write_text("id,name,type\n")
    with pytest.raises(LoaderError, match=r"fake.xlsx: not a readable .xlsx workbook"):
        load_path(fake)
    with pytest.raises(LoaderError, match=r"old Excel format \(.xls\); save it as Excel Workbook"):
        load_path(tmp_path / "old.xls")
