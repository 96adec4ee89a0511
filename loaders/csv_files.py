"""CSV input: ``nodes.csv`` + ``edges.csv`` (+ ``interactions.csv``) in a folder or a zip file.

``PATH`` may be the folder, a zip holding the files (also inside one sub-folder), or one of the
CSV files (its folder is read). File names are matched case-insensitively (``nodes``,
``stakeholders``, ``knoten``; ``edges``, ``relationships``, ``beziehungen``; ``interactions``,
``interaktionen``; ``.csv``, ``.tsv``, ``.txt``) unless a mapping file names them. A missing edges
file is a warning (nodes only), a missing nodes file an error that lists the files found.

Each file is decoded by :func:`loaders.textcheck.decode_bytes`; the separator (``,`` ``;`` tab
``|``) is the one that splits the header into the most columns (or the one an Excel ``sep=;``
first line names; that line is skipped, as Excel does); ``;`` files are taken to use a
decimal comma where a column's values could be read either way. Every cell is read as text
(nothing becomes NaN); row numbers are the spreadsheet's (header = row 1, one row per record even
when a quoted cell spans several lines).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path, PurePosixPath

import pandas as pd

from graphcap.config.limits import Limits
from graphcap.errors import LoaderError, Problem
from graphcap.i18n import Num
from graphcap.i18n import lazy_gettext as _l
from loaders.aliases import suggest
from loaders.base import Loader
from loaders.limits import check_file, check_zip, read_member
from loaders.raw import RawInput, RawTable, build_table
from loaders.textcheck import decode_bytes, is_clean

__all__ = ["CsvLoader", "parse_csv_text"]

_NAMES = {
    "nodes": ("nodes", "stakeholders", "stakeholder", "knoten", "akteure"),
    "edges": ("edges", "relationships", "relations", "beziehungen", "kanten"),
    "interactions": ("interactions", "interaktionen", "kontakte", "activities"),
}
_SUFFIXES = (".csv", ".tsv", ".txt")
_SEPARATORS = (",", ";", "\t", "|")
_SEP_LINE = re.compile(r"^sep=(.)\r?\n")


def _sniff_separator(text: str) -> str:
    first = text.split("\n", 1)[0]
    best, best_count = ",", 1
    for sep in _SEPARATORS:
        try:
            count = len(next(csv.reader([first], delimiter=sep)))
        except (csv.Error, StopIteration):
            continue
        if count > best_count:
            best, best_count = sep, count
    return best


def parse_csv_text(
    text: str,
    *,
    kind: str,
    file: str,
    separator: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    limits: Limits | None = None,
) -> tuple[RawTable, list[Problem]]:
    """Parse decoded CSV text into a raw table (every cell a ``str``); ``encoding`` is the one
    the text was decoded from (validation checks each cell for UTF-8 misread in it)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    hinted = _SEP_LINE.match(text)  # Excel's "sep=;" first line: Excel hides it, so do we
    if hinted:
        separator = separator or hinted.group(1)
        text = text[hinted.end() :]
    sep = separator or _sniff_separator(text)
    limits = limits or Limits()
    lines = text.count("\n")
    if lines > limits.max_table_rows + 1:
        raise LoaderError(
            _l(
                "{file}: {lines} lines, more than the limit of {limit} rows (setting "
                "max_table_rows / GRAPHCAP_MAX_TABLE_ROWS); split the file or raise the limit",
                file=file,
                lines=Num(lines),
                limit=Num(limits.max_table_rows),
            ),
            file=file,
        )
    # no cell can be longer than the whole text: skip the per-cell check for short files
    cell_limits = limits if len(text) > limits.max_cell_chars else None
    clean = is_clean(text, encoding)
    fast = _fast_records(text, sep) if clean else None
    if fast is not None:
        table, problems = build_table(
            kind,
            fast[0],
            fast[1],
            fast[2],
            file=file,
            decimal=decimal,
            decimal_hint="," if sep == ";" else ".",
            limits=cell_limits,
        )
        table.text_clean = True
        table.encoding = encoding
        return table, problems
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header: list[str] | None
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise LoaderError(
            _l("{file}: the header row cannot be read as CSV: {error}", file=file, error=exc),
            file=file,
        ) from exc
    if header is None:
        raise LoaderError(
            _l("{file}: the file is empty; it needs a header row", file=file), file=file
        )
    records: list[list[str]] = []
    rows: list[int] = []
    row_errors: dict[int, list[Problem]] = {}
    row = 1
    try:
        for record in reader:
            row += 1
            if not "".join(record).strip():
                continue
            if len(record) > len(header):
                extra = record[len(header) :]
                if any(cell.strip() for cell in extra):
                    row_errors[len(records)] = [_stray_separator(record, header, sep, file, row)]
                record = record[: len(header)]
            records.append(record)
            rows.append(row)
    except csv.Error as exc:
        raise LoaderError(
            _l(
                "{file}: row {row} cannot be read as CSV: {error}",
                file=file,
                row=row + 1,
                error=exc,
            ),
            file=file,
        ) from exc
    table, problems = build_table(
        kind,
        header,
        records,
        rows,
        file=file,
        decimal=decimal,
        decimal_hint="," if sep == ";" else ".",
        limits=cell_limits,
    )
    table.row_errors.update(row_errors)
    table.text_clean = clean
    table.encoding = encoding
    return table, problems


def _stray_separator(
    record: list[str], header: list[str], sep: str, file: str, row: int
) -> Problem:
    """A row with too many values: where the unquoted separator most likely is (the first value
    that starts with a space, as ``Acme, Inc.`` splits), or the surplus values."""
    why = _l(
        "row has {n} values but the header has {columns} columns; quote values that contain "
        "{sep!r}",
        n=len(record),
        columns=len(header),
        sep=sep,
    )
    for j in range(len(record) - 1):
        nxt = record[j + 1]
        if j < len(header) and nxt[:1].isspace() and nxt.strip() and record[j].strip():
            return Problem(
                file=file,
                row=row,
                column=str(header[j]).strip() or None,
                value=f"{record[j]}{sep}{nxt}"[:80],
                why=_l(
                    "{why}; the {sep!r} in this value is probably the stray one", why=why, sep=sep
                ),
            )
    return Problem(file=file, row=row, value=sep.join(record[len(header) :])[:80], why=why)


def _fast_records(text: str, sep: str) -> tuple[list[str], list[list[str]], list[int]] | None:
    """The records via pandas' C parser when that is safe to number: every record on one line
    (no line breaks inside quoted cells), no row longer than the header. Otherwise ``None`` and
    the csv module (slower, exact row numbers and messages) reads the file."""
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            dtype=str,
            engine="c",
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            quotechar='"',
            doublequote=True,
        )
    except (pd.errors.ParserError, ValueError, csv.Error):
        return None
    if len(frame) != lines or len(frame) == 0:
        return None
    cells = frame.to_numpy(dtype=object)
    header = [str(h) for h in cells[0].tolist()]
    records, rows = [], []
    for row, record in enumerate(cells[1:].tolist(), start=2):
        if "".join(record).strip():
            records.append(record)
            rows.append(row)
    return header, records, rows


class CsvLoader(Loader):
    """Loads ``nodes.csv``/``edges.csv``/``interactions.csv`` from a folder, a zip or a file."""

    format = "CSV"
    suffixes = (".csv", ".tsv", ".txt", ".zip")

    def _listing(self) -> tuple[str, dict[str, str], zipfile.ZipFile | None]:
        """(display base, {file name -> member/path}, open zip or None)."""
        path = self.path
        if not path.exists():
            raise LoaderError(_l("{file}: no such file or folder", file=path), file=str(path))
        if path.is_dir():
            files = {p.name: str(p) for p in sorted(path.iterdir()) if p.is_file()}
            return str(path), files, None
        if path.suffix.lower() == ".zip":
            try:
                zf = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise LoaderError(
                    _l("{file}: not a readable zip file ({error})", file=path, error=exc),
                    file=str(path),
                ) from exc
            members = [
                i
                for i in zf.infolist()
                if not i.is_dir() and not i.filename.startswith("__MACOSX/")
            ]
            try:
                check_zip(zf, self.limits, file=path.name)
            except LoaderError:
                zf.close()
                raise
            by_name: dict[str, str] = {}
            for info in members:
                name = PurePosixPath(info.filename).name
                if name.lower().endswith(_SUFFIXES) and name in by_name:
                    zf.close()
                    raise LoaderError(
                        _l(
                            "{file}: the zip holds {name} twice ({a} and {b}); keep one set of "
                            "files per zip",
                            file=path,
                            name=name,
                            a=by_name[name],
                            b=info.filename,
                        ),
                        file=str(path),
                    )
                by_name[name] = info.filename
            return path.name, by_name, zf
        files = {p.name: str(p) for p in sorted(path.parent.iterdir()) if p.is_file()}
        return path.name, files, None

    def _wanted(self, kind: str) -> tuple[str, ...]:
        named = self.mapping.file_for(kind) if self.mapping is not None else None
        if named:
            return (named.lower(),)
        return tuple(stem + suffix for stem in _NAMES[kind] for suffix in _SUFFIXES)

    def read_raw(self) -> RawInput:
        base, files, zf, found, problems = self.locate()
        tables: dict[str, RawTable] = {}
        try:
            for kind, name in found.items():
                tables[kind], found_problems = self.read_table(kind, name, files, zf)
                problems += found_problems
        finally:
            if zf is not None:
                zf.close()
        return RawInput(tables=tables, problems=problems, source=str(self.path))

    def locate(
        self,
    ) -> tuple[str, dict[str, str], zipfile.ZipFile | None, dict[str, str], list[Problem]]:
        """(display base, {file name -> member/path}, open zip or None, {kind -> file name},
        problems of the listing); raises :class:`LoaderError` without a nodes file."""
        base, files, zf = self._listing()
        by_lower = {name.lower(): name for name in files}
        found: dict[str, str] = {}
        for kind in _NAMES:
            for wanted in self._wanted(kind):
                if wanted in by_lower:
                    found[kind] = by_lower[wanted]
                    break
        if (
            self.path.is_file()
            and self.path.suffix.lower() != ".zip"
            and self.path.name not in found.values()
        ):
            found["nodes"] = self.path.name
        problems: list[Problem] = []
        csv_names = [n for n in files if n.lower().endswith(_SUFFIXES) and n not in found.values()]
        if "nodes" not in found and self.existing is None:
            if zf is not None:
                zf.close()
            wanted = self._wanted("nodes")[0]
            raise LoaderError(
                _l(
                    "{base}: no nodes file ({wanted}); CSV files there: {names}; to add "
                    "relationships or interactions to the stakeholders already in Neo4j, use "
                    "--onto-graph",
                    base=base,
                    wanted=wanted,
                    names=", ".join(csv_names) or _l("none"),
                ),
                file=base,
            )
        if "edges" not in found and "nodes" in found:
            wanted = self._wanted("edges")[0]
            problems.append(
                Problem(
                    file=base,
                    severity="warning",
                    why=_l(
                        "no edges file ({wanted}){hint}; importing stakeholders without "
                        "relationships",
                        wanted=wanted,
                        hint=suggest(wanted, csv_names),
                    ),
                )
            )
        return base, files, zf, found, problems

    def display(self, name: str, zf: zipfile.ZipFile | None) -> str:
        """How file ``name`` is named in problems."""
        return f"{PurePosixPath(self.path.name) / name}" if zf else name

    def encoding_problem(self, display: str, encoding: str) -> Problem | None:
        """The warning for a file read in an encoding not named and not UTF-8."""
        forced = self.encoding or (self.mapping.encoding if self.mapping else None)
        if forced or encoding.startswith("utf"):
            return None
        return Problem(
            file=display,
            severity="warning",
            why=_l("not UTF-8; read as {encoding}", encoding=encoding),
        )

    def parse_text(
        self, text: str, *, kind: str, display: str, encoding: str
    ) -> tuple[RawTable, list[Problem]]:
        """:func:`parse_csv_text` with this loader's limits, separator and decimal."""
        return parse_csv_text(
            text,
            kind=kind,
            file=display,
            limits=self.limits,
            separator=self.mapping.separator if self.mapping else None,
            decimal=self.mapping.decimal if self.mapping else None,
            encoding=encoding,
        )

    def read_table(
        self, kind: str, name: str, files: dict[str, str], zf: zipfile.ZipFile | None
    ) -> tuple[RawTable, list[Problem]]:
        """One table read whole, and the problems of reading it."""
        display = self.display(name, zf)
        data = self._read(files[name], zf, display)
        forced = self.encoding or (self.mapping.encoding if self.mapping else None)
        text = decode_bytes(data, file=display, encoding=forced)
        problems: list[Problem] = []
        warning = self.encoding_problem(display, text.encoding)
        if warning is not None:
            problems.append(warning)
        del data  # the text is all that is needed from here
        table, found_problems = self.parse_text(
            str(text), kind=kind, display=display, encoding=text.encoding
        )
        return table, problems + found_problems

    def _read(self, location: str, zf: zipfile.ZipFile | None, display: str) -> bytes:
        limits = self.limits
        try:
            if zf is not None:
                self.memory.plan(zf.getinfo(location).file_size, file=display)
                return read_member(zf, location, limits, file=display)
            check_file(Path(location), limits)
            self.memory.plan(Path(location).stat().st_size, file=display)
            return Path(location).read_bytes()
        except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
            raise LoaderError(
                _l("{file}: cannot be read ({error})", file=display, error=exc), file=display
            ) from exc
