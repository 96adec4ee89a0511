"""Reading a recipe's raw files into DuckDB, before the connection is locked.

Each source becomes a view named after it, with two more columns: ``_file`` (the file name) and
``_line`` (the line a user sees: the header is line 1). CSV files are read by DuckDB's own reader
with the options the recipe gives (delimiter, decimal comma, ``NULL`` strings, names for a
headerless file).

A UTF-8 CSV file is first read *in place* (``stream=True``): the view reads the file itself when a
query runs, so an aggregation streams through the file once, as plain DuckDB would, and the
locked connection may read exactly these files (``allowed_paths``, :func:`in_place_paths`).
``_line`` is then ``row_number() OVER ()``, which DuckDB computes in file order (a streaming
window keeps the insertion order) and drops from queries that do not use it. A failure while
such a view is read (a byte that is not UTF-8, a cell that does not fit the sniffed type) raises
:class:`ReadInPlaceFailed`, and :func:`loaders.recipe_run.run_tables` runs the recipe again with
``stream=False``: every file copied into a table first (``"raw:NAME"``), a file DuckDB refuses
as not UTF-8 (or one with another ``encoding``) decoded by :func:`loaders.textcheck.decode_bytes`
into a temporary UTF-8 copy first, and every error named as before. Workbooks are read with
openpyxl (through pandas), Parquet by DuckDB, both into tables.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from graphcap.errors import LoaderError
from graphcap.i18n import lazy_gettext as _l
from graphcap.i18n import lazy_join
from loaders.recipe import Recipe, SourceSpec
from loaders.textcheck import decode_bytes

__all__ = ["ReadInPlaceFailed", "count_upto", "in_place_paths", "read_sources"]

#: the DuckDB variable naming the files read in place (for ``allowed_paths``)
_IN_PLACE = "graphcap:in_place"


class ReadInPlaceFailed(Exception):
    """A source read in place failed while a query ran: read the sources into tables and run
    the recipe again (the error is then reported as for a copied file)."""


def _fail(recipe: Recipe, spec: SourceSpec, why: str) -> LoaderError:
    return LoaderError(
        _l(
            "recipe {recipe} line {line} (source {source!r}, file {file}): {why}",
            recipe=recipe.path.name,
            line=spec.line,
            source=spec.name,
            file=spec.path.name,
            why=why,
        ),
        file=spec.path.name,
    )


def _utf8_copy(spec: SourceSpec, scratch: Path) -> Path:
    """A UTF-8 copy of a file DuckDB could not read as UTF-8, in ``scratch``."""
    data = spec.path.read_bytes()
    text = decode_bytes(data, file=spec.path.name, encoding=spec.encoding)
    copy = scratch / f"{spec.name}.csv"
    copy.write_text(text, encoding="utf-8")
    return copy


def _is_utf8(encoding: str | None) -> bool:
    return encoding is not None and encoding.lower().replace("-", "_") in {"utf_8", "utf8"}


def _not_utf8(exc: duckdb.Error) -> bool:
    return "unicode" in str(exc).lower()


def _wide(path: Path) -> bool:
    """UTF-16/32 (a BOM or NUL bytes at the start): DuckDB's sniffer fails before it could say
    the file is not UTF-8."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head


def _csv_options(spec: SourceSpec) -> dict[str, Any]:
    options: dict[str, Any] = {"header": spec.header, "skip": spec.skip}
    if spec.delimiter:
        options["delim"] = spec.delimiter
    if spec.decimal:
        options["decimal_separator"] = spec.decimal
    if spec.null:
        options["nullstr"] = spec.null
    if spec.columns:
        options["names"] = spec.columns
    if spec.types:
        options["types"] = spec.types
    if spec.quote:
        options["quote"] = spec.quote
    return options


def _first_line(spec: SourceSpec) -> int:
    return 1 + spec.skip + (1 if spec.header else 0)


def _needs_copy(spec: SourceSpec) -> bool:
    """A declared non-UTF-8 encoding, or UTF-16/32: DuckDB cannot read the file as it is."""
    if spec.encoding:
        return not _is_utf8(spec.encoding)
    return _wide(spec.path)


def _file_number(con: duckdb.DuckDBPyConnection, spec: SourceSpec, files: list[str]) -> int:
    files.append(spec.path.name)
    con.execute('INSERT INTO "graphcap:files" VALUES ($1, $2)', [len(files) - 1, spec.path.name])
    return len(files) - 1


#: what ``sniff_csv`` found, as ``read_csv`` options (``auto_detect = false`` with them reads
#: the file as the sniffer would, without sniffing again at every query)
_SNIFFED = {
    "Delimiter": "delim",
    "Quote": "quote",
    "Escape": "escape",
    "NewLineDelimiter": "new_line",
    "Comment": "comment",
    "SkipRows": "skip",
    "HasHeader": "header",
    "DateFormat": "dateformat",
    "TimestampFormat": "timestampformat",
}
#: a file read in place is counted with this buffer (bytes), so counting up to a few thousand
#: rows does not read a whole default buffer (16 x 2 MB)
_COUNT_BUFFER = 4 * 1024 * 1024


def _pinned_options(con: duckdb.DuckDBPyConnection, spec: SourceSpec) -> dict[str, Any]:
    """The recipe's options plus what DuckDB's sniffer finds in the file, sniffed once."""
    options = _csv_options(spec)
    args = ", ".join(f"{k} = ${k}" for k in options)
    cols = ", ".join(['"Columns"', *(f'"{k}"' for k in _SNIFFED)])
    found = con.execute(
        f"SELECT {cols} FROM sniff_csv($path, {args})",  # noqa: S608 (our names only)
        {"path": str(spec.path), **options},
    ).fetchone()
    if found is None:
        raise duckdb.InvalidInputException("sniff_csv found nothing")
    pinned: dict[str, Any] = {"auto_detect": False}
    for option, value in zip(_SNIFFED.values(), found[1:], strict=True):
        if value is not None:
            pinned[option] = "" if value == "(empty)" else value
    pinned["columns"] = {c["name"]: c["type"] for c in found[0]}
    if len(pinned["columns"]) != len(found[0]):  # two columns of one name: let DuckDB name them
        raise duckdb.InvalidInputException("duplicate column names")
    pinned.update({k: v for k, v in options.items() if k not in ("names", "types")})
    pinned["header"], pinned["skip"] = found[7], found[6]
    return pinned


def _stream_csv(con: duckdb.DuckDBPyConnection, spec: SourceSpec, files: list[str]) -> bool:
    """The view ``NAME`` reading the file in place when a query runs; False (nothing created)
    if the file needs a decoded copy or DuckDB cannot even sniff it."""
    if _needs_copy(spec):
        return False
    var = f"source:{spec.name}"
    try:
        options = _pinned_options(con, spec)
        # spec.name is an identifier (checked by load_recipe) and the option names are ours;
        # the path and every option value travel in a variable set from a parameter
        args = ", ".join(f"{k} = getvariable('{var}').{k}" for k in options)
        con.execute(f'SET VARIABLE "{var}" = $1', [{"path": str(spec.path), **options}])
        k = _file_number(con, spec, files)
        read = f"read_csv(getvariable('{var}').path, {args}"
        con.execute(
            f"CREATE VIEW {spec.name} AS SELECT *, "  # noqa: S608
            f'(SELECT file FROM "graphcap:files" WHERE k = {k}) AS _file, '
            f"CAST(row_number() OVER () + {_first_line(spec) - 1} AS BIGINT) AS _line "
            f"FROM {read})"
        )
        con.execute(
            f'CREATE VIEW "count:{spec.name}" AS SELECT 1 AS one '  # noqa: S608
            f"FROM {read}, buffer_size = {_COUNT_BUFFER})"
        )
    except duckdb.OutOfMemoryException:
        raise
    except duckdb.Error:
        if files and files[-1] == spec.path.name:
            files.pop()
            con.execute('DELETE FROM "graphcap:files" WHERE k = $1', [len(files)])
        con.execute(f'DROP VIEW IF EXISTS "count:{spec.name}"')
        con.execute(f"DROP VIEW IF EXISTS {spec.name}")
        return False
    paths = con.execute(f"SELECT getvariable('{_IN_PLACE}')").fetchone()
    known = list(paths[0]) if paths and paths[0] else []
    con.execute(f'SET VARIABLE "{_IN_PLACE}" = $1', [[*known, str(spec.path)]])
    return True


def in_place_paths(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The files the views read in place (the only ones the locked connection may read)."""
    found = con.execute(f"SELECT getvariable('{_IN_PLACE}')").fetchone()
    return list(found[0]) if found and found[0] else []


def _read_csv(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, scratch: Path, files: list[str]
) -> None:
    """One copy of the file in DuckDB (``"raw:NAME"``) and the view ``NAME`` over it with
    ``_file`` and ``_line``. A file that is UTF-8 (or says nothing, DuckDB checks every byte) is
    read as it is; only one DuckDB refuses as not UTF-8, or one with another ``encoding``, is
    decoded into a UTF-8 copy first."""
    options = _csv_options(spec)
    args = ", ".join(f"{k} = ${k}" for k in options)
    # spec.name is an identifier (checked by load_recipe); every option is a parameter
    read = f'CREATE TABLE "raw:{spec.name}" AS SELECT * FROM read_csv($path, {args})'  # noqa: S608
    path = spec.path
    if _needs_copy(spec):
        path = _utf8_copy(spec, scratch)
    try:
        con.execute(read, {"path": str(path), **options})
    except duckdb.Error as exc:
        if spec.encoding or not _not_utf8(exc):
            raise
        con.execute(read, {"path": str(_utf8_copy(spec, scratch)), **options})
    # the insertion order is the file's (preserve_insertion_order), so the rowid is the record's
    # position and gives the line the user sees; the view adds it without a second copy
    k = _file_number(con, spec, files)
    con.execute(
        f'CREATE VIEW {spec.name} AS SELECT *, (SELECT file FROM "graphcap:files" '  # noqa: S608
        f"WHERE k = {k}) AS _file, CAST(rowid + {_first_line(spec)} AS BIGINT) AS _line "
        f'FROM "raw:{spec.name}"'
    )


def _read_xlsx(con: duckdb.DuckDBPyConnection, spec: SourceSpec) -> None:
    frame = pd.read_excel(
        spec.path,
        sheet_name=spec.sheet if spec.sheet is not None else 0,
        header=0 if spec.header else None,
        skiprows=spec.skip,
        names=spec.columns,
        engine="openpyxl",
    )
    frame.columns = [str(c).strip() for c in frame.columns]
    nulls = set(spec.null)
    for col in frame.columns:
        if frame[col].dtype == object:
            values = frame[col].to_numpy(dtype=object)
            out = np.array(
                [
                    None
                    if (
                        v is None
                        or (isinstance(v, float) and v != v)
                        or (isinstance(v, str) and v.strip() in nulls)
                    )
                    else (
                        v
                        if isinstance(v, str)
                        else str(v)
                        if not isinstance(v, int | float | pd.Timestamp)
                        else v
                    )
                    for v in values
                ],
                dtype=object,
            )
            kinds = {type(v) for v in out if v is not None}
            if len(kinds) > 1:  # a column of mixed cells is read as text
                out = np.array([None if v is None else str(v) for v in out], dtype=object)
            frame[col] = out
    first = 1 + spec.skip + (1 if spec.header else 0)
    frame["_file"] = spec.path.name
    frame["_line"] = np.arange(first, first + len(frame), dtype=np.int64)
    con.register("_sheet", frame)
    try:
        con.execute(f"CREATE TABLE {spec.name} AS SELECT * FROM _sheet")  # noqa: S608
    finally:
        con.unregister("_sheet")


def _check_key(con: duckdb.DuckDBPyConnection, recipe: Recipe, spec: SourceSpec) -> None:
    have = [r[0] for r in con.execute(f"DESCRIBE {spec.name}").fetchall()]  # noqa: S608
    for col in spec.key:
        if col not in have:
            raise _fail(
                recipe,
                spec,
                _l(
                    "key column {column!r} is not a column of the file; it has {columns}",
                    column=col,
                    columns=", ".join(repr(h) for h in have if not h.startswith("_")),
                ),
            )
    cols = ", ".join('"' + c.replace('"', '""') + '"' for c in spec.key)
    try:
        # name checked (identifier), columns checked against the table and quoted
        sql = (
            f"SELECT concat_ws(' | ', {cols}) AS k, count(*) AS n, "  # noqa: S608
            f"list(_line ORDER BY _line)[1:3] FROM {spec.name} GROUP BY ALL "
            "HAVING count(*) > 1 ORDER BY min(_line) LIMIT 3"
        )
        dup = con.execute(sql).fetchall()
    except duckdb.Error as exc:
        raise _fail(recipe, spec, f"key {spec.key}: {str(exc).splitlines()[0]}") from exc
    if dup:
        shown = lazy_join(
            "; ",
            (
                _l(
                    "{key!r} {n} times (lines {lines})",
                    key=k,
                    n=n,
                    lines=", ".join(map(str, lines)),
                )
                for k, n, lines in dup
            ),
        )
        raise _fail(
            recipe,
            spec,
            _l(
                "key {key} is not unique: {shown}; a join on it would multiply rows (remove the "
                "duplicates, or SELECT DISTINCT first)",
                key=", ".join(spec.key),
                shown=shown,
            ),
        )


def read_sources(con: duckdb.DuckDBPyConnection, recipe: Recipe, *, stream: bool = False) -> None:
    """Create one view (or table) per source. ``stream``: UTF-8 CSV files are read in place (a
    failure later raises :class:`ReadInPlaceFailed`); else every source is copied in."""
    files: list[str] = []
    con.execute('CREATE TABLE "graphcap:files" (k INTEGER, file VARCHAR)')
    with tempfile.TemporaryDirectory(prefix="graphcap-recipe-") as scratch:
        for spec in recipe.sources.values():
            suffix = spec.path.suffix.lower()
            in_place = False
            try:
                if suffix == ".xlsx":
                    _read_xlsx(con, spec)
                elif suffix == ".parquet":
                    con.execute(
                        f"CREATE TABLE {spec.name} AS SELECT *, $file AS _file, "  # noqa: S608
                        "CAST(row_number() OVER () AS BIGINT) AS _line "
                        "FROM read_parquet($path)",
                        {"file": spec.path.name, "path": str(spec.path)},
                    )
                else:
                    in_place = stream and _stream_csv(con, spec, files)
                    if not in_place:
                        _read_csv(con, spec, Path(scratch), files)
            except LoaderError as exc:
                raise _fail(recipe, spec, str(exc)) from exc
            except duckdb.OutOfMemoryException:
                raise  # recipe_run.run_tables names the memory setting
            except duckdb.Error as exc:
                raise _fail(recipe, spec, _first_lines(str(exc))) from exc
            except (OSError, ValueError, KeyError) as exc:
                raise _fail(recipe, spec, _l("cannot be read: {error}", error=exc)) from exc
            if spec.key:
                try:
                    _check_key(con, recipe, spec)
                except (LoaderError, duckdb.Error) as exc:
                    cause = exc if isinstance(exc, duckdb.Error) else exc.__cause__
                    if in_place and isinstance(cause, duckdb.Error):
                        raise ReadInPlaceFailed(spec.name) from exc
                    raise


def count_upto(con: duckdb.DuckDBPyConnection, name: str, n: int) -> int:
    """``min(rows of source name, n)``: a file read in place is read only as far as needed to
    show it has at least ``n`` rows."""
    # name is a source name (an identifier checked by load_recipe); "count:NAME" exists for a
    # file read in place
    have = con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name = $v", {"v": f"count:{name}"}
    ).fetchone()
    table = f'"count:{name}"' if have and have[0] else name
    found = con.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT $n)",  # noqa: S608
        {"n": max(n, 0)},
    ).fetchone()
    return int(found[0]) if found else 0


def _first_lines(message: str, n: int = 3) -> str:
    return " ".join(line.strip() for line in message.splitlines()[:n] if line.strip())
