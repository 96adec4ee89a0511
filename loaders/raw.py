"""What every format reader produces and every load returns: raw tables and the load result.

A format reader only *reads*: it turns a file into :class:`RawTable` objects (cells as the file
holds them, with the row number a user sees), plus warnings about the file itself (hidden cells,
guessed encoding). The mapping file (:mod:`loaders.mapping`) and the validation
(:mod:`loaders.validate`) are the same for every format, so a CSV, a workbook and a GraphML file
with the same content give the same :class:`graphcap.model.Network` and the same problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from graphcap.config.limits import Limits
from graphcap.errors import LoaderError, Problem
from graphcap.i18n import Num
from graphcap.i18n import lazy_gettext as _l
from graphcap.model import Network
from loaders.limits import too_long

__all__ = ["TABLES", "LoadResult", "RawInput", "RawTable", "build_table", "table_from_dicts"]

#: The three tables of the canonical input, in the order they are validated.
TABLES: tuple[str, ...] = ("nodes", "edges", "interactions")


@dataclass
class RawTable:
    """One table as read from a file: headers and cells unconverted.

    ``frame`` has object columns holding ``str`` (text formats), or native values (numbers,
    datetimes, booleans from Excel), or ``None`` for an empty cell. ``rows[i]`` is the row number a
    user sees for ``frame.iloc[i]`` (header = row 1 in CSV and Excel; the element's position in XML
    files). ``decimal`` is the decimal separator the file uses, ``None`` if it is sniffed per
    column, with ``decimal_hint`` deciding columns whose values can be read either way.
    """

    kind: str
    frame: pd.DataFrame
    rows: list[int]
    file: str
    sheet: str | None = None
    decimal: str | None = None
    decimal_hint: str | None = None
    header_row: int | None = 1
    #: True when the reader checked the whole text for bad characters and found none
    text_clean: bool = False
    #: the encoding a text file was decoded from (None: not a decoded text file)
    encoding: str | None = None
    #: problems of single rows found while reading (position in ``frame`` -> problems)
    row_errors: dict[int, list[Problem]] = field(default_factory=dict)
    #: column name in ``frame`` -> the header the user sees in the file (after a mapping renamed it)
    column_labels: dict[str, str] = field(default_factory=dict)
    #: the file of each row when the rows come from several files (a recipe's union of sources)
    row_files: list[str] | None = None
    #: column (canonical name) -> decimal separator decided beforehand over the whole file (a
    #: streamed read, :mod:`loaders.stream`, validates a file in parts)
    column_decimal: dict[str, str] = field(default_factory=dict)

    def file_of(self, position: int) -> str:
        """The file that row ``position`` of ``frame`` comes from."""
        return self.row_files[position] if self.row_files is not None else self.file

    def label(self, column: str) -> str:
        """The header of ``column`` as the user's file shows it."""
        return self.column_labels.get(column, column)

    def problem(
        self,
        why: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        severity: str = "error",
        position: int | None = None,
    ) -> Problem:
        """A :class:`Problem` located in this table (``position``: the row's place in ``frame``,
        which tells the file when the rows come from several)."""
        shown = None if column is None else self.label(column)
        file = self.file if position is None else self.file_of(position)
        return Problem(
            file=file,
            sheet=self.sheet,
            row=row,
            column=shown,
            value=value,
            why=why,
            severity=severity,
        )


def build_table(
    kind: str,
    headers: list[Any],
    records: list[list[Any]],
    rows: list[int],
    *,
    file: str,
    sheet: str | None = None,
    **options: Any,
) -> tuple[RawTable, list[Problem]]:
    """A :class:`RawTable` from a header and records, and the problems of its header.

    Headers are stripped; a header that appears twice is an error (the frame gets the second one
    as ``"name (2)"`` so nothing is lost). Records shorter than the header are padded with empty
    cells.
    """
    problems: list[Problem] = []
    names: list[str] = []
    labels: dict[str, str] = {}
    seen: dict[str, int] = {}
    header_row = options.get("header_row", 1)
    limits: Limits | None = options.pop("limits", None)
    if limits is not None and len(records) > limits.max_table_rows:
        where: str = _l("{file}, sheet {sheet}", file=file, sheet=sheet) if sheet else file
        raise LoaderError(
            _l(
                "{where}: {rows} data rows, more than the limit of {limit} (setting "
                "max_table_rows / GRAPHCAP_MAX_TABLE_ROWS); split the file or raise the limit",
                where=where,
                rows=Num(len(records)),
                limit=Num(limits.max_table_rows),
            ),
            file=file,
        )
    for position, head in enumerate(headers):
        text = "" if head is None else str(head).strip().lstrip("\ufeff")
        name = text
        if text and text in seen:
            name = f"{text} ({seen[text] + 1})"
            problems.append(
                Problem(
                    file=file,
                    sheet=sheet,
                    row=header_row,
                    column=text,
                    why=_l(
                        "column {name!r} appears twice (columns {a} and {b}); remove or rename one",
                        name=text,
                        a=names.index(text) + 1,
                        b=position + 1,
                    ),
                )
            )
        elif not text:
            name = f"__unnamed_{position + 1}"
            labels[name] = ""
        seen[text] = seen.get(text, 0) + 1
        labels.setdefault(name, text)
        names.append(name)
    width = len(names)
    padded = [
        list(r[:width]) + [None] * (width - len(r)) if len(r) != width else r for r in records
    ]
    frame = (
        pd.DataFrame(padded, columns=names, dtype=object)
        if padded
        else pd.DataFrame({n: pd.Series([], dtype=object) for n in names})
    )
    table = RawTable(
        kind=kind,
        frame=frame,
        rows=list(rows),
        file=file,
        sheet=sheet,
        column_labels=labels,
        **options,
    )
    if limits is not None:
        for name in names:
            try:
                lengths = frame[name].str.len()  # NaN for cells that are not text
            except AttributeError:  # no text in the column at all
                continue
            for hit in np.flatnonzero((lengths > limits.max_cell_chars).to_numpy()):
                position = int(hit)
                value = frame[name].iat[position]
                table.row_errors.setdefault(position, []).append(
                    Problem(
                        file=file,
                        sheet=sheet,
                        row=table.rows[position],
                        column=labels[name],
                        value=value[:40] + "...",
                        why=too_long(value, limits) or "",
                    )
                )
    if not records and names:
        problems.append(
            Problem(
                file=file,
                sheet=sheet,
                row=header_row,
                severity="warning",
                why=_l("the table has a header row but no data rows; nothing is read from it"),
            )
        )
    return table, problems


def table_from_dicts(
    kind: str, items: list[dict[str, Any]], *, file: str, first: tuple[str, ...] = ()
) -> RawTable:
    """A raw table from one dict per element (XML formats): columns in order of first appearance
    (``first`` ones leading), rows numbered by the element's position (1 = the first element)."""
    headers: list[str] = list(first)
    for item in items:
        headers += [k for k in item if k not in headers]
    records = [[item.get(h) for h in headers] for item in items]
    table, _ = build_table(
        kind,
        headers,
        records,
        list(range(1, len(items) + 1)),
        file=file,
        decimal=".",
        header_row=None,
    )
    return table


@dataclass
class RawInput:
    """Everything a format reader found: the tables (by kind) and problems about the files."""

    tables: dict[str, RawTable]
    problems: list[Problem] = field(default_factory=list)
    source: str = ""


@dataclass
class LoadResult:
    """The outcome of a load: the validated network, every warning and every rejected row.

    ``problems`` holds warnings (``severity="warning"``) and, with ``lenient=True``, the problems
    of the rows that were left out (``severity="error"``). Without ``lenient`` a load with errors
    raises :class:`graphcap.errors.ValidationError` instead of returning.
    """

    network: Network
    problems: list[Problem]
    source: str
    #: rows left out per table (``nodes``, ``edges``, ``interactions``); only with ``lenient``
    rejected: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def rejected_rows(self) -> int:
        """How many input rows were left out (all tables)."""
        return sum(self.rejected.values())
