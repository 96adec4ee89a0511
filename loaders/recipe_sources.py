"""Reading a recipe's raw files into DuckDB tables, before the connection is locked.

Each source becomes one table (a view) named after it, with two more columns: ``_file`` (the
file name) and ``_line`` (the line a user sees: the header is line 1). CSV files are read by
DuckDB's own reader with the options the recipe gives (delimiter, decimal comma, ``NULL``
strings, names for a headerless file), once, straight into one table; a file DuckDB refuses as
not UTF-8 (or one with another ``encoding``) is decoded by :func:`loaders.textcheck.decode_bytes`
(the given encoding, or a guess) into a temporary UTF-8 copy first. Workbooks are read with
openpyxl (through pandas), Parquet by DuckDB.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from graphcap.errors import LoaderError
from loaders.recipe import Recipe, SourceSpec
from loaders.textcheck import decode_bytes

__all__ = ["read_sources"]


def _fail(recipe: Recipe, spec: SourceSpec, why: str) -> LoaderError:
    return LoaderError(
        f"recipe {recipe.path.name} line {spec.line} (source {spec.name!r}, file "
        f"{spec.path.name}): {why}",
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


def _read_csv(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, scratch: Path, files: list[str]
) -> None:
    """One copy of the file in DuckDB (``"raw:NAME"``) and the view ``NAME`` over it with
    ``_file`` and ``_line``. A file that is UTF-8 (or says nothing, DuckDB checks every byte) is
    read in place; only one DuckDB refuses as not UTF-8, or one with another ``encoding``, is
    decoded into a UTF-8 copy first."""
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
    first = 1 + spec.skip + (1 if spec.header else 0)
    args = ", ".join(f"{k} = ${k}" for k in options)
    # spec.name is an identifier (checked by load_recipe); every option is a parameter
    read = f'CREATE TABLE "raw:{spec.name}" AS SELECT * FROM read_csv($path, {args})'  # noqa: S608
    path = spec.path
    if (spec.encoding and not _is_utf8(spec.encoding)) or (not spec.encoding and _wide(path)):
        path = _utf8_copy(spec, scratch)
    try:
        con.execute(read, {"path": str(path), **options})
    except duckdb.Error as exc:
        if spec.encoding or not _not_utf8(exc):
            raise
        con.execute(read, {"path": str(_utf8_copy(spec, scratch)), **options})
    # the insertion order is the file's (preserve_insertion_order), so the rowid is the record's
    # position and gives the line the user sees; the view adds it without a second copy
    files.append(spec.path.name)
    con.execute('INSERT INTO "graphcap:files" VALUES ($1, $2)', [len(files) - 1, spec.path.name])
    con.execute(
        f'CREATE VIEW {spec.name} AS SELECT *, (SELECT file FROM "graphcap:files" '  # noqa: S608
        f"WHERE k = {len(files) - 1}) AS _file, CAST(rowid + {first} AS BIGINT) AS _line "
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
                f"key column {col!r} is not a column of the file; it has "
                + ", ".join(repr(h) for h in have if not h.startswith("_")),
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
        shown = "; ".join(
            f"{k!r} {n} times (lines {', '.join(map(str, lines))})" for k, n, lines in dup
        )
        raise _fail(
            recipe,
            spec,
            f"key {', '.join(spec.key)} is not unique: {shown}; a join on "
            "it would multiply rows (remove the duplicates, or SELECT DISTINCT first)",
        )


def read_sources(con: duckdb.DuckDBPyConnection, recipe: Recipe) -> dict[str, int]:
    """Create one table per source; returns the row count of each."""
    counts: dict[str, int] = {}
    files: list[str] = []
    con.execute('CREATE TABLE "graphcap:files" (k INTEGER, file VARCHAR)')
    with tempfile.TemporaryDirectory(prefix="graphcap-recipe-") as scratch:
        for spec in recipe.sources.values():
            suffix = spec.path.suffix.lower()
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
                    _read_csv(con, spec, Path(scratch), files)
            except LoaderError as exc:
                raise _fail(recipe, spec, str(exc)) from exc
            except duckdb.OutOfMemoryException:
                raise  # recipe_run.run_tables names the memory setting
            except duckdb.Error as exc:
                raise _fail(recipe, spec, _first_lines(str(exc))) from exc
            except (OSError, ValueError, KeyError) as exc:
                raise _fail(recipe, spec, f"cannot be read: {exc}") from exc
            if spec.key:
                _check_key(con, recipe, spec)
            found = con.execute(f"SELECT count(*) FROM {spec.name}").fetchone()  # noqa: S608
            counts[spec.name] = int(found[0]) if found else 0
    return counts


def _first_lines(message: str, n: int = 3) -> str:
    return " ".join(line.strip() for line in message.splitlines()[:n] if line.strip())
