"""Excel input: one ``.xlsx`` workbook with the sheets ``nodes``, ``edges`` and ``interactions``.

Sheet names match case-insensitively (also ``stakeholders``/``relationships``, ``Knoten``/
``Beziehungen``), or as a mapping file names them. The header is the first row. Cells keep their
native values (numbers, dates); a formula gives the value Excel last calculated and stored — a
formula without a stored value (a workbook written by a program and never opened in Excel) is an
error saying so. Merged cells are reported and their value is used for every cell of the range;
hidden rows, columns and sheets are reported and still read, so nothing is lost unseen.
Text that starts with ``=`` but is stored as text (``=HYPERLINK(...)`` typed with a leading
apostrophe) stays plain text.

How: a workbook without formulas is streamed (openpyxl's read-only mode, about 3x faster; merged
ranges and hidden rows/columns are read from the sheet XML, which that mode does not report); a
workbook with formulas is read in openpyxl's full mode twice, for the formulas and for the
values Excel stored.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from graphcap.errors import LoaderError, Problem
from graphcap.i18n import Num
from graphcap.i18n import lazy_gettext as _l
from loaders.aliases import suggest
from loaders.base import Loader
from loaders.limits import check_zip
from loaders.raw import RawInput, RawTable, build_table

__all__ = ["ExcelLoader"]

_SHEETS = {
    "nodes": ("nodes", "stakeholders", "stakeholder", "knoten", "akteure"),
    "edges": ("edges", "relationships", "relations", "beziehungen", "kanten"),
    "interactions": ("interactions", "interaktionen", "kontakte", "activities"),
}


# Sheet XML, read as bytes for what openpyxl's fast read-only mode does not report. Tags may
# carry a namespace prefix (<x:row>); <f> is a formula (<formula1> of a validation is not).
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")
_HIDDEN = re.compile(rb"\bhidden=\"(?:1|true)\"")
_ROW_NUMBER = re.compile(rb"\br=\"([0-9]+)\"")
_COL_MIN = re.compile(rb"\bmin=\"([0-9]+)\"")
_COL_MAX = re.compile(rb"\bmax=\"([0-9]+)\"")


#: Workbooks with formulas are read in openpyxl's full mode (all in memory): only up to this.
FULL_MODE_BYTES = 32 * 1024 * 1024
_SCAN_CHUNK = 1024 * 1024
_SCAN_OVERLAP = 16 * 1024  # longest tag the scan is sure to see whole across two chunks


def _scan_tags(stream: Any) -> dict[re.Pattern[bytes], list[bytes]]:
    """What the tag patterns find in a sheet's XML, read in chunks (never the whole part): for
    ``_FORMULA`` whether there is one (a list of at most one match), for the others the
    attributes (or ref) each match captures, in order."""
    found: dict[re.Pattern[bytes], list[bytes]] = {p: [] for p in (_FORMULA, _ROW, _COL, _MERGE)}
    buffer = b""
    while True:
        chunk = stream.read(_SCAN_CHUNK)
        final = not chunk
        buffer += chunk
        # matches that start before ``limit`` are complete (or the part ended); later ones are
        # searched again with the next chunk
        limit = len(buffer) if final else max(len(buffer) - _SCAN_OVERLAP, 0)
        for pattern, hits in found.items():
            if pattern is _FORMULA:
                if not hits and (m := pattern.search(buffer, 0, len(buffer))) and m.start() < limit:
                    hits.append(b"f")
                continue
            for m in pattern.finditer(buffer):
                if m.start() >= limit:
                    break
                hits.append(m.group(1))
        if final:
            return found
        buffer = buffer[limit:]


@dataclass
class _Sheet:
    """One sheet as read: cells by row (row 1 first) and what the user may not see."""

    title: str
    state: str
    grid: list[list[Any]]
    errors: set[tuple[int, int]]  # (row, column) of Excel error cells (#DIV/0! ...)
    formulas: set[tuple[int, int]]  # (row, column) of formula cells
    merged: list[Any]  # openpyxl CellRange objects
    hidden_rows: list[int]
    hidden_cols: list[str]


class ExcelLoader(Loader):
    """Loads the nodes/edges/interactions sheets of an ``.xlsx``/``.xlsm`` workbook."""

    format = "Excel"
    suffixes = (".xlsx", ".xlsm")

    def _guard(self) -> int:
        """Refuse a workbook beyond the size limits (zip bombs) before openpyxl opens it (it
        reads the shared strings whole); the unpacked size of all parts."""
        try:
            with zipfile.ZipFile(self.path) as zf:
                check_zip(zf, self.limits, file=self.path.name)
                return sum(i.file_size for i in zf.infolist())
        except FileNotFoundError as exc:
            raise LoaderError(
                _l("{file}: no such file", file=self.path), file=str(self.path)
            ) from exc
        except (zipfile.BadZipFile, OSError) as exc:
            raise LoaderError(
                _l(
                    "{file}: not a readable .xlsx workbook ({error}); save it as Excel Workbook "
                    "(.xlsx)",
                    file=self.path,
                    error=exc,
                ),
                file=str(self.path),
            ) from exc

    def _open(self, *, data_only: bool, read_only: bool) -> Any:
        import openpyxl

        try:
            return openpyxl.load_workbook(self.path, data_only=data_only, read_only=read_only)
        except FileNotFoundError as exc:
            raise LoaderError(
                _l("{file}: no such file", file=self.path), file=str(self.path)
            ) from exc
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise LoaderError(
                _l(
                    "{file}: not a readable .xlsx workbook ({error}); save it as Excel Workbook "
                    "(.xlsx)",
                    file=self.path,
                    error=exc,
                ),
                file=str(self.path),
            ) from exc

    def read_raw(self) -> RawInput:
        file = self.path.name
        problems: list[Problem] = []
        unpacked = self._guard()
        self.memory.plan(unpacked, file=file, kind="xlsx")
        book = self._open(data_only=True, read_only=True)
        try:
            titles = list(book.sheetnames)
            chosen = self._choose(titles)
            if "nodes" not in chosen:
                wanted = (self.mapping.sheet_for("nodes") if self.mapping else None) or "nodes"
                raise LoaderError(
                    _l(
                        "{file}: no sheet {wanted!r}{hint}; sheets: {sheets}",
                        file=file,
                        wanted=wanted,
                        hint=suggest(wanted, titles),
                        sheets=", ".join(titles),
                    ),
                    file=file,
                )
            sheets = self._sheets_streamed(book, chosen)
        finally:
            book.close()
        if sheets is None:  # formulas: their stored values and where they lack one
            if unpacked > FULL_MODE_BYTES:
                size, cap = unpacked / 1024 / 1024, FULL_MODE_BYTES // 1024 // 1024
                raise LoaderError(
                    _l(
                        "{file}: the workbook holds formulas and unpacks to {size} MiB; formulas "
                        "are read only in workbooks up to {cap} MiB (that needs the whole "
                        "workbook in memory). Replace the formulas by their results (copy, paste "
                        "as values) or save the sheets as CSV",
                        file=file,
                        size=Num(size, ",.1f"),
                        cap=cap,
                    ),
                    file=file,
                )
            sheets = self._sheets_full(chosen)
        if "edges" not in chosen:
            problems.append(
                Problem(
                    file=file,
                    severity="warning",
                    why=_l(
                        "no sheet 'edges'{hint}; importing stakeholders without relationships",
                        hint=suggest("edges", titles),
                    ),
                )
            )
        tables: dict[str, RawTable] = {}
        for kind, sheet in sheets.items():
            table, found = self._read_sheet(kind, sheet, file)
            tables[kind] = table
            problems += found
        return RawInput(tables=tables, problems=problems, source=str(self.path))

    def _choose(self, titles: list[str]) -> dict[str, str]:
        by_lower = {title.strip().lower(): title for title in titles}
        chosen: dict[str, str] = {}
        for kind, names in _SHEETS.items():
            wanted = self.mapping.sheet_for(kind) if self.mapping else None
            for name in (wanted.lower(),) if wanted else names:
                if name in by_lower:
                    chosen[kind] = by_lower[name]
                    break
        return chosen

    def _sheets_streamed(self, book: Any, chosen: dict[str, str]) -> dict[str, _Sheet] | None:
        """The fast way (openpyxl's read-only mode, metadata from the sheet XML), or ``None``
        when a sheet holds formulas."""
        sheets: dict[str, _Sheet] = {}
        with zipfile.ZipFile(self.path) as zf:
            for kind, title in chosen.items():
                ws = book[title]
                part = getattr(ws, "_worksheet_path", None)
                if not part:
                    return None
                with zf.open(part) as stream:
                    tags = _scan_tags(stream)
                if tags[_FORMULA]:
                    return None
                grid: list[list[Any]] = []
                errors: set[tuple[int, int]] = set()
                for row in ws.iter_rows(min_row=1, min_col=1):
                    if len(grid) % 8192 == 8191:
                        self.memory.check(file=self.path.name)
                    if len(grid) > self.limits.max_table_rows:
                        raise LoaderError(
                            _l(
                                "{file}, sheet {sheet}: more than {limit} data rows (setting "
                                "max_table_rows / GRAPHCAP_MAX_TABLE_ROWS); split the workbook "
                                "or raise the limit",
                                file=self.path.name,
                                sheet=title,
                                limit=Num(self.limits.max_table_rows),
                            ),
                            file=self.path.name,
                        )
                    grid.append([cell.value for cell in row])
                    errors.update(
                        (cell.row, cell.column)
                        for cell in row
                        if getattr(cell, "data_type", None) == "e"
                    )
                hidden_rows = [
                    int(r.group(1))
                    for attrs in tags[_ROW]
                    if _HIDDEN.search(attrs) and (r := _ROW_NUMBER.search(attrs))
                ]
                hidden_cols = []
                for attrs in tags[_COL]:
                    low, high = _COL_MIN.search(attrs), _COL_MAX.search(attrs)
                    if _HIDDEN.search(attrs) and low and high:
                        hidden_cols += [
                            get_column_letter(c)
                            for c in range(int(low.group(1)), int(high.group(1)) + 1)
                        ]
                merged = [CellRange(ref.decode()) for ref in tags[_MERGE]]
                sheets[kind] = _Sheet(
                    title, ws.sheet_state, grid, errors, set(), merged, hidden_rows, hidden_cols
                )
        return sheets

    def _sheets_full(self, chosen: dict[str, str]) -> dict[str, _Sheet]:
        """The complete way (openpyxl's normal mode, twice: formulas and their stored values)."""
        book = self._open(data_only=False, read_only=False)
        values = self._open(data_only=True, read_only=False)
        sheets: dict[str, _Sheet] = {}
        for kind, title in chosen.items():
            ws, vs = book[title], values[title]
            grid = [[c.value for c in row] for row in vs.iter_rows(min_row=1, min_col=1)]
            errors = {
                (c.row, c.column) for row in vs.iter_rows() for c in row if c.data_type == "e"
            }
            formulas = {
                (c.row, c.column) for row in ws.iter_rows() for c in row if c.data_type == "f"
            }
            hidden_rows = [i for i, dims in ws.row_dimensions.items() if dims.hidden]
            hidden_cols = [
                get_column_letter(c)
                for dims in ws.column_dimensions.values()
                if dims.hidden
                for c in range(dims.min, dims.max + 1)
            ]
            sheets[kind] = _Sheet(
                title,
                ws.sheet_state,
                grid,
                errors,
                formulas,
                list(ws.merged_cells.ranges),
                hidden_rows,
                hidden_cols,
            )
        return sheets

    def _read_sheet(self, kind: str, ws: _Sheet, file: str) -> tuple[RawTable, list[Problem]]:
        sheet = ws.title
        problems: list[Problem] = []

        def warn(why: str, row: int | None = None, column: str | None = None) -> None:
            problems.append(
                Problem(file=file, sheet=sheet, row=row, column=column, why=why, severity="warning")
            )

        if ws.state != "visible":
            warn(_l("the sheet is hidden; it is read all the same"))
        grid = ws.grid
        for merged in ws.merged:
            top = grid[merged.min_row - 1][merged.min_col - 1] if grid else None
            warn(
                _l(
                    "merged cells {range}; the value {top!r} is used for every cell of the range",
                    range=merged.coord,
                    top=top,
                ),
                row=merged.min_row,
            )
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                        grid[r - 1][c - 1] = top
        for index in sorted(ws.hidden_rows):
            if index <= len(grid):
                warn(_l("the row is hidden; it is read all the same"), row=index)
        for letter in ws.hidden_cols:
            warn(_l("column {letter} is hidden; it is read all the same", letter=letter))
        if not grid:
            raise LoaderError(
                _l(
                    "{file}, sheet {sheet}: the sheet is empty; it needs a header row",
                    file=file,
                    sheet=sheet,
                ),
                file=file,
            )
        header = grid[0]
        while header and header[-1] in (None, ""):
            header = header[:-1]
        records: list[list[Any]] = []
        rows: list[int] = []
        row_errors: dict[int, list[Problem]] = {}
        for r, cells in enumerate(grid[1:], start=2):
            cells = [_cell(v) for v in cells[: len(header)]]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                continue
            for c, value in enumerate(cells, start=1):
                if (r, c) in ws.errors:
                    row_errors.setdefault(len(records), []).append(
                        Problem(
                            file=file,
                            sheet=sheet,
                            row=r,
                            column=str(header[c - 1]),
                            value=value,
                            why=_l("the cell shows an Excel error; fix the formula or the value"),
                        )
                    )
                    cells[c - 1] = None  # reported once, not again as "not a number"
                elif value is None and (r, c) in ws.formulas:
                    row_errors.setdefault(len(records), []).append(
                        Problem(
                            file=file,
                            sheet=sheet,
                            row=r,
                            column=str(header[c - 1]),
                            why=_l(
                                "formula without a stored value; open and save the workbook in "
                                "Excel or LibreOffice so the value is calculated"
                            ),
                        )
                    )
            records.append(cells)
            rows.append(r)
        table, found = build_table(
            kind,
            list(header),
            records,
            rows,
            file=file,
            sheet=sheet,
            decimal=self.mapping.decimal if self.mapping else None,
            decimal_hint=".",
            limits=self.limits,
        )
        for position, errs in row_errors.items():
            table.row_errors.setdefault(position, []).extend(errs)
        return table, problems + found


def _cell(value: Any) -> Any:
    """Cells as validation wants them: text, numbers, timestamps or ``None``."""
    if isinstance(value, dt.time):
        return value.isoformat()
    return value
