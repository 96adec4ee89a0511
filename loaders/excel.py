"""Excel input: one ``.xlsx`` workbook with the sheets ``nodes``, ``edges`` and ``interactions``.

Sheet names match case-insensitively (also ``stakeholders``/``relationships``, ``Knoten``/
``Beziehungen``), or as a mapping file names them. The header is the first row. Cells keep their
native values (numbers, dates); a formula gives the value Excel last calculated and stored — a
formula without a stored value (a workbook written by a program and never opened in Excel) is an
error saying so. Merged cells are reported and their value is used for every cell of the range;
hidden rows, columns and sheets are reported and still read, so nothing is lost unseen.
Text that starts with ``=`` but is stored as text (``=HYPERLINK(...)`` typed with a leading
apostrophe) stays plain text.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from typing import Any

from graphcap.errors import LoaderError, Problem
from loaders.aliases import suggest
from loaders.base import Loader, RawInput, RawTable, build_table

__all__ = ["ExcelLoader"]

_SHEETS = {
    "nodes": ("nodes", "stakeholders", "stakeholder", "knoten", "akteure"),
    "edges": ("edges", "relationships", "relations", "beziehungen", "kanten"),
    "interactions": ("interactions", "interaktionen", "kontakte", "activities"),
}


class ExcelLoader(Loader):
    """Loads the nodes/edges/interactions sheets of an ``.xlsx``/``.xlsm`` workbook."""

    format = "Excel"
    suffixes = (".xlsx", ".xlsm")

    def _open(self, *, data_only: bool) -> Any:
        import openpyxl

        try:
            return openpyxl.load_workbook(self.path, data_only=data_only, read_only=False)
        except FileNotFoundError as exc:
            raise LoaderError(f"{self.path}: no such file", file=str(self.path)) from exc
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise LoaderError(
                f"{self.path}: not a readable .xlsx workbook ({exc}); save it as Excel Workbook "
                "(.xlsx)", file=str(self.path)) from exc

    def read_raw(self) -> RawInput:
        book = self._open(data_only=False)
        file = self.path.name
        problems: list[Problem] = []
        by_lower = {ws.title.strip().lower(): ws for ws in book.worksheets}
        chosen: dict[str, Any] = {}
        for kind, names in _SHEETS.items():
            wanted = self.mapping.sheet_for(kind) if self.mapping else None
            for name in ((wanted.lower(),) if wanted else names):
                if name in by_lower:
                    chosen[kind] = by_lower[name]
                    break
        titles = [ws.title for ws in book.worksheets]
        if "nodes" not in chosen:
            wanted = (self.mapping.sheet_for("nodes") if self.mapping else None) or "nodes"
            raise LoaderError(f"{file}: no sheet {wanted!r}{suggest(wanted, titles)}; sheets: "
                              + ", ".join(titles), file=file)
        if "edges" not in chosen:
            problems.append(Problem(file=file, severity="warning", why=(
                f"no sheet 'edges'{suggest('edges', titles)}; importing stakeholders without "
                "relationships")))
        has_formulas = any(
            cell.data_type == "f" for ws in chosen.values() for row in ws.iter_rows() for cell in row)
        values_book = self._open(data_only=True) if has_formulas else book
        tables: dict[str, RawTable] = {}
        for kind, ws in chosen.items():
            table, found = self._read_sheet(kind, ws, values_book[ws.title], file)
            tables[kind] = table
            problems += found
        return RawInput(tables=tables, problems=problems, source=str(self.path))

    def _read_sheet(self, kind: str, ws: Any, values_ws: Any, file: str
                    ) -> tuple[RawTable, list[Problem]]:
        sheet = ws.title
        problems: list[Problem] = []

        def warn(why: str, row: int | None = None, column: str | None = None) -> None:
            problems.append(Problem(file=file, sheet=sheet, row=row, column=column, why=why,
                                    severity="warning"))

        if ws.sheet_state != "visible":
            warn("the sheet is hidden; it is read all the same")
        grid = [[cell.value for cell in row] for row in values_ws.iter_rows()]
        error_cells = {(cell.row, cell.column) for row in values_ws.iter_rows() for cell in row
                       if cell.data_type == "e"}
        formulas = {(cell.row, cell.column) for row in ws.iter_rows() for cell in row
                    if cell.data_type == "f"}
        for merged in ws.merged_cells.ranges:
            top = grid[merged.min_row - 1][merged.min_col - 1] if grid else None
            warn(f"merged cells {merged.coord}; the value {top!r} is used for every cell of the "
                 "range", row=merged.min_row)
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                        grid[r - 1][c - 1] = top
        for index, dims in ws.row_dimensions.items():
            if dims.hidden and index <= len(grid):
                warn("the row is hidden; it is read all the same", row=index)
        for letter, dims in ws.column_dimensions.items():
            if dims.hidden:
                warn(f"column {letter} is hidden; it is read all the same")
        if not grid:
            raise LoaderError(f"{file}, sheet {sheet}: the sheet is empty; it needs a header row",
                              file=file)
        header = grid[0]
        while header and header[-1] in (None, ""):
            header = header[:-1]
        records, rows = [], []
        row_errors: dict[int, list[Problem]] = {}
        for r, cells in enumerate(grid[1:], start=2):
            cells = [_cell(v) for v in cells[: len(header)]]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                continue
            for c, value in enumerate(cells, start=1):
                if (r, c) in error_cells:
                    row_errors.setdefault(len(records), []).append(Problem(
                        file=file, sheet=sheet, row=r, column=str(header[c - 1]), value=value,
                        why="the cell shows an Excel error; fix the formula or the value"))
                elif value is None and (r, c) in formulas:
                    row_errors.setdefault(len(records), []).append(Problem(
                        file=file, sheet=sheet, row=r, column=str(header[c - 1]),
                        why="formula without a stored value; open and save the workbook in Excel "
                        "or LibreOffice so the value is calculated"))
            records.append(cells)
            rows.append(r)
        table, found = build_table(kind, list(header), records, rows, file=file, sheet=sheet,
                                   decimal=self.mapping.decimal if self.mapping else None,
                                   decimal_hint=".")
        for position, errs in row_errors.items():
            table.row_errors.setdefault(position, []).extend(errs)
        return table, problems + found


def _cell(value: Any) -> Any:
    """Cells as validation wants them: text, numbers, timestamps or ``None``."""
    if isinstance(value, dt.time):
        return value.isoformat()
    return value
