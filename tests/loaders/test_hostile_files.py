"""Hostile input files: zip bombs (refused quickly with bounded memory, measured in a child
process), oversize cells and tables, damaged UTF-8 (refused with the byte offset, never read as
mojibake), over-long ids and names (Neo4j's index limit), header-only files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from graphcap.config.limits import Limits
from graphcap.errors import LoaderError, ValidationError
from graphcap.model.storable import MAX_INDEXED_BYTES
from loaders import load_bytes, load_path
from loaders.excel import _scan_tags
from tests.support import run_in_child

RSS_LIMIT_MB = 500
NODES = "id,name,type\nO1,Orbit,organization\n"


def _repeat_into(
    zf: zipfile.ZipFile, name: str, head: bytes, unit: bytes, total: int, tail: bytes
) -> None:
    """Write member ``name`` = head + unit * n + tail (about ``total`` bytes), streamed in
    1 MiB pieces, so the test itself never holds the bomb in memory."""
    block = unit * max(1, (1024 * 1024) // len(unit))
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as out:
        out.write(head)
        written = 0
        while written < total:
            out.write(block)
            written += len(block)
        out.write(tail)


@pytest.fixture(scope="module")
def csv_bomb(tmp_path_factory) -> Path:
    """A zip of ~1.5 MB whose nodes.csv unpacks to 1.5 GB."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        _repeat_into(zf, "nodes.csv", NODES.encode(), b"X,Y,customer\n", 1536 * 1024 * 1024, b"")
    assert path.stat().st_size < 8 * 1024 * 1024
    return path


@pytest.fixture(scope="module")
def xlsx_bomb(tmp_path_factory) -> Path:
    """A real workbook whose one cell, an inline string, is 1 GB long (the file is ~1 MB)."""
    folder = tmp_path_factory.mktemp("xbomb")
    small = folder / "small.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "nodes"
    ws.append(["id", "name", "type"])
    ws.append(["O1", "Orbit", "organization"])
    wb.save(small)
    path = folder / "bomb.xlsx"
    with (
        zipfile.ZipFile(small) as src,
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                        b'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"'
                        b' t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>name'
                        b'</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>O1</t></is>'
                        b'</c><c r="B2" t="inlineStr"><is><t>')  # fmt: skip
                tail = b"</t></is></c></row></sheetData></worksheet>"
                _repeat_into(dst, info.filename, head, b"A" * 64, 1024 * 1024 * 1024, tail)
            else:
                dst.writestr(info, src.read(info))
    assert path.stat().st_size < 8 * 1024 * 1024
    return path


def test_the_child_measure_sees_memory_the_child_uses():
    """The RSS figure is the child's own: 200 MB touched shows, the parent's size does not."""
    small = run_in_child("pass")
    big = run_in_child(
        "block = bytearray(200 * 1024 * 1024)\nblock[::4096] = b'x' * len(block[::4096])"
    )
    assert small["peak_rss_mb"] < 150
    assert big["peak_rss_mb"] > small["peak_rss_mb"] + 190


@pytest.mark.parametrize("how", ["load_path", "load_bytes", "cli"])
@pytest.mark.parametrize("bomb", ["csv_bomb", "xlsx_bomb"])
def test_a_zip_bomb_is_refused_with_bounded_memory(request, bomb, how):
    path = request.getfixturevalue(bomb)
    code = {
        "load_path": f"""
            from loaders import load_path
            from graphcap.errors import LoaderError
            try:
                load_path({str(path)!r})
                out["error"] = None
            except LoaderError as exc:
                out["error"] = str(exc)
            """,
        "load_bytes": f"""
            from pathlib import Path
            from loaders import load_bytes
            from graphcap.errors import LoaderError
            data = Path({str(path)!r}).read_bytes()
            try:
                load_bytes(data, {path.name!r})
                out["error"] = None
            except LoaderError as exc:
                out["error"] = str(exc)
            """,
        "cli": f"""
            import contextlib, io
            from graphcap.cli import main
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                out["code"] = main(["import", "--dry-run", {str(path)!r}])
            out["error"] = err.getvalue()
            """,
    }[how]
    out = run_in_child(code)
    assert out["error"], "the bomb was not refused"
    assert "zip bomb" in out["error"] and "max_compression_ratio" in out["error"]
    assert out.get("code", 3) == 3  # unreadable input (graphcap.cli.exits)
    assert out["peak_rss_mb"] < RSS_LIMIT_MB, out


def test_a_big_member_is_refused_by_size_even_when_it_packs_poorly(tmp_path):
    import os

    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("nodes.csv", NODES.encode() + os.urandom(300_000))
    with pytest.raises(LoaderError, match="max_uncompressed_bytes"):
        load_path(path, limits=Limits(max_uncompressed_bytes=200_000))


def test_file_size_limit_applies_to_files_and_uploads(tmp_path):
    path = tmp_path / "nodes.csv"
    path.write_text(NODES + "".join(f"C{i},N{i},customer\n" for i in range(200)))
    with pytest.raises(LoaderError, match="max_file_bytes"):
        load_path(path, limits=Limits(max_file_bytes=2048))
    with pytest.raises(LoaderError, match="max_file_bytes"):
        load_bytes(path.read_bytes(), "nodes.csv", limits=Limits(max_file_bytes=2048))
    assert len(load_path(path).network.nodes) == 201


def test_too_many_rows_are_refused(tmp_path):
    path = tmp_path / "nodes.csv"
    path.write_text(NODES + "".join(f"C{i},N{i},customer\n" for i in range(20)))
    with pytest.raises(LoaderError, match="max_table_rows"):
        load_path(path, limits=Limits(max_table_rows=10))
    wb = Workbook()
    ws = wb.active
    ws.title = "nodes"
    ws.append(["id", "name", "type"])
    for i in range(20):
        ws.append([f"C{i}", f"N{i}", "customer"])
    xlsx = tmp_path / "many.xlsx"
    wb.save(xlsx)
    with pytest.raises(LoaderError, match="max_table_rows"):
        load_path(xlsx, limits=Limits(max_table_rows=10))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_oversize_cell_is_refused_with_row_and_column(tmp_path, fmt):
    long = "x" * 5_000
    rows = [["id", "name", "type", "notes"], ["O1", "Orbit", "organization", ""],
            ["C1", "Fine", "customer", "short"], ["C2", "Ok", "customer", long]]  # fmt: skip
    if fmt == "csv":
        path = tmp_path / "nodes.csv"
        path.write_text("".join(",".join(r) + "\n" for r in rows))
    else:
        wb = Workbook()
        ws = wb.active
        ws.title = "nodes"
        for row in rows:
            ws.append(row)
        path = tmp_path / "cells.xlsx"
        wb.save(path)
    with pytest.raises(ValidationError) as info:
        load_path(path, limits=Limits(max_cell_chars=1_000))
    cell_problems = [p for p in info.value.problems if "max_cell_chars" in p.why]
    assert [(p.row, p.column) for p in cell_problems] == [(4, "notes")]
    assert "5,000 characters, more than the limit of 1,000" in cell_problems[0].why
    assert len(load_path(path).network.nodes) == 3  # the default limit (32,767) lets it pass


def test_csv_cells_beyond_excels_limit_are_refused_by_default(tmp_path):
    path = tmp_path / "nodes.csv"
    path.write_text(
        NODES
        + "C1,Ok,customer\nC2,N2,customer,\n".replace(",\n", "\n")
        + f'C3,"{"y" * 40_000}",customer\n'
    )
    with pytest.raises(ValidationError) as info:
        load_path(path)
    assert any(
        "40,000 characters, more than the limit of 32,767" in p.why and p.row == 5
        for p in info.value.problems
    )


def test_the_sheet_scan_finds_every_tag_across_chunk_boundaries(monkeypatch):
    import io
    import re

    import loaders.excel as excel

    rows = b"".join(
        (b'<row r="%d" spans="1:3"%s><c r="A%d"><v>%d</v></c></row>'
         % (i, b' hidden="1"' if i % 7 == 0 else b"", i, i)) for i in range(1, 3000)
    )  # fmt: skip
    xml = (
        b'<worksheet><cols><col min="2" max="3" hidden="1"/></cols><sheetData>'
        + rows
        + b'</sheetData><mergeCells><mergeCell ref="A1:B2"/></mergeCells></worksheet>'
    )
    monkeypatch.setattr(excel, "_SCAN_CHUNK", 997)  # prime, so tags straddle every boundary
    monkeypatch.setattr(excel, "_SCAN_OVERLAP", 200)
    tags = _scan_tags(io.BytesIO(xml))
    assert tags[excel._ROW] == re.findall(excel._ROW, xml)
    assert len(tags[excel._ROW]) == 2999
    assert tags[excel._COL] == [b' min="2" max="3" hidden="1"/']
    assert tags[excel._MERGE] == [b"A1:B2"]
    assert tags[excel._FORMULA] == []
    assert _scan_tags(io.BytesIO(xml.replace(b"<v>2000</v>", b"<f>1+1</f><v>2</v>")))[
        excel._FORMULA
    ]


# -- decoding ------------------------------------------------------------------------------------


def _damaged_utf8(tmp_path: Path) -> Path:
    """The issue's file: UTF-8 with umlauts and one stray 0xFF byte."""
    path = tmp_path / "nodes.csv"
    body = (
        "id,name,type\nO1,Orbit,organization\nC1,Müller Größe,customer\nC2,Bad".encode()
        + b"\xff"
        + b",customer\n"
    )
    path.write_bytes(body)
    return path


def test_one_bad_byte_in_a_utf8_file_is_refused_with_offset_and_fix(tmp_path):
    path = _damaged_utf8(tmp_path)
    offset = path.read_bytes().index(b"\xff")
    with pytest.raises(LoaderError) as info:
        load_path(path)
    message = str(info.value)
    assert f"byte offset {offset} (line 4, column 7" in message
    assert "--encoding" in message and "UTF-8" in message
    assert "Mﾃｼller" not in message


@pytest.mark.parametrize("encoding", ["cp1252", "cp932", "latin-1"])
def test_a_named_encoding_still_never_stores_mojibake(tmp_path, encoding):
    """Naming the wrong encoding reads the file, and the mojibake check on every text column
    refuses the garbled cell with the likely intended text."""
    path = _damaged_utf8(tmp_path)
    with pytest.raises(ValidationError) as info:
        load_path(path, encoding=encoding)
    problems = [p for p in info.value.problems if "mojibake" in p.why]
    assert [(p.row, p.column) for p in problems] == [(3, "name")]
    assert "'Müller Größe'" in problems[0].why


def test_a_named_encoding_that_fits_reads_the_file(tmp_path):
    path = tmp_path / "nodes.csv"
    path.write_bytes("id,name,type\nO1,Orbit,organization\nC1,Müller,customer\n".encode("cp1252"))
    assert load_path(path, encoding="cp1252").network.nodes["name"].tolist() == ["Orbit", "Müller"]


def test_the_cli_names_an_encoding(tmp_path):
    from click.testing import CliRunner

    from graphcap.cli import cli

    path = _damaged_utf8(tmp_path)
    refused = CliRunner().invoke(cli, ["import", "--dry-run", str(path)])
    assert refused.exit_code == 3 and "byte offset" in refused.output
    garbled = CliRunner().invoke(cli, ["import", "--dry-run", "--encoding", "cp932", str(path)])
    assert garbled.exit_code == 3 and "mojibake" in garbled.output


# -- what Neo4j would refuse later -----------------------------------------------------------------


@pytest.mark.parametrize(("char", "fits"), [("a", 8164), ("ü", 4082), ("東", 2721), ("🚀", 2041)])
def test_ids_and_names_longer_than_the_index_takes_are_refused(tmp_path, char, fits):
    """Limits measured on Neo4j 5.26 (store tests check the same lengths against the server)."""
    path = tmp_path / "nodes.csv"
    ok, over = char * fits, char * (fits + 1)
    path.write_text(
        NODES + f"C1,{ok},customer\nC2,{over},customer\n{over},N3,customer\n", encoding="utf-8"
    )
    with pytest.raises(ValidationError) as info:
        load_path(path)
    bad = [
        (p.row, p.column) for p in info.value.problems if f"{MAX_INDEXED_BYTES:,} bytes" in p.why
    ]
    assert bad == [(4, "name"), (5, "id")]


def test_a_header_only_file_warns(tmp_path):
    path = tmp_path / "nodes.csv"
    path.write_text("id,name,type\n")
    result = load_path(path)
    assert len(result.network.nodes) == 0
    assert any("header row but no data rows" in p.why for p in result.warnings)


def test_a_zip_directory_that_understates_a_member_is_never_read_past_it(tmp_path):
    """The directory says 1,000 bytes, the stream holds 2 MB: reading stops at the declared
    size and the member is refused (its checksum cannot match), nothing more is unpacked."""
    from loaders.limits import read_member

    path = tmp_path / "lying.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("nodes.csv", NODES + "C1,N,customer\n" * 150_000)
    with zipfile.ZipFile(path) as zf:
        zf.getinfo("nodes.csv").file_size = 1000
        with pytest.raises((LoaderError, zipfile.BadZipFile)):
            data = read_member(zf, "nodes.csv", Limits(), file="lying.zip")
            assert len(data) <= 1000  # (not reached: the CRC check refuses the cut member)


def test_formulas_are_read_only_in_small_workbooks(tmp_path, monkeypatch):
    import loaders.excel as excel

    wb = Workbook()
    ws = wb.active
    ws.title = "nodes"
    for row in (
        ["id", "name", "type"],
        ["O1", "Orbit", "organization"],
        ["C1", '="A"&"B"', "customer"],
    ):
        ws.append(row)
    path = tmp_path / "formulas.xlsx"
    wb.save(path)
    monkeypatch.setattr(excel, "FULL_MODE_BYTES", 1000)
    with pytest.raises(LoaderError, match="holds formulas .* paste as values"):
        load_path(path)
