"""Running a recipe: sources read, connection locked, one SELECT per table, raw tables out.

The output of each query becomes a :class:`loaders.base.RawTable` and goes through
:func:`loaders.validate.validate` like a file would; so an unknown type, an empty id or a
relationship to a stakeholder that does not exist is reported exactly as for CSV input.

What the run checks itself, each with one message naming the recipe's line:

* a query that is not exactly one ``SELECT`` (no ``;``-chained statements, no ``COPY``/``ATTACH``);
* a SQL error (DuckDB's message, its ``LINE n`` turned into the recipe's line);
* a join that multiplies rows: more output rows than the ``grain`` source has, or (without a
  grain) more rows than all sources together;
* no focal organisation: none declared (``organisation:`` or ``--organisation``) and no
  stakeholder of type organization in the output;
* a query running longer than :data:`QUERY_TIME_LIMIT_S` is interrupted.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from graphcap.config.limits import Limits
from graphcap.errors import LoaderError, Problem
from graphcap.i18n import Num
from graphcap.i18n import lazy_gettext as _l
from graphcap.model.schema import DEFAULT_SCHEMA, Schema
from loaders.aliases import TypeResolver
from loaders.base import Loader
from loaders.raw import LoadResult, RawInput, RawTable
from loaders.recipe import RECIPE_SUFFIXES, Focal, Recipe, TableSpec, load_recipe
from loaders.recipe_sources import ReadInPlaceFailed, count_upto, in_place_paths, read_sources
from loaders.resolve import several_organisations

__all__ = ["QUERY_TIME_LIMIT_S", "RecipeLoader", "run_recipe", "run_tables"]

#: a recipe query running longer is interrupted
QUERY_TIME_LIMIT_S = 300.0
_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
}
_SQL_LINE = re.compile(r"^LINE (\d+):", re.MULTILINE)


def _connect(memory_mb: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB without extensions; ``memory_mb`` caps its memory (the import's
    ``max_import_memory_mb``: a query needing more fails instead of exhausting the machine)."""
    config: dict[str, str | bool | int | float | list[str]] = dict(_CONFIG)
    if memory_mb is not None:
        config["memory_limit"] = f"{memory_mb}MB"
    return duckdb.connect(":memory:", config=config)


def _lock(con: duckdb.DuckDBPyConnection) -> None:
    """No file system (but the source files read in place), no network, no extensions, no way
    back, from here on."""
    allowed = in_place_paths(con)
    if allowed:
        con.execute("SET allowed_paths = $1", [allowed])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def _helpers(con: duckdb.DuckDBPyConnection, recipe: Recipe) -> None:
    focal = recipe.focal
    con.execute("CREATE TABLE focal (id VARCHAR, name VARCHAR)")
    if focal is not None:
        con.execute("INSERT INTO focal VALUES ($1, $2)", [focal.id, focal.name])
    con.execute("CREATE TABLE merges (variant VARCHAR, keep VARCHAR)")
    if recipe.merges:
        con.executemany("INSERT INTO merges VALUES ($1, $2)", list(recipe.merges.items()))
    con.execute("CREATE MACRO canon(x) AS coalesce((SELECT keep FROM merges WHERE variant = x), x)")


def _sql_error(recipe: Recipe, spec: TableSpec, exc: Exception) -> LoaderError:
    text = str(exc)
    found = _SQL_LINE.search(text)
    line = spec.line + int(found.group(1)) - 1 if found else spec.line
    head = text.split("\n\nLINE", 1)[0].strip().replace("\n", " ")
    return LoaderError(
        _l(
            "recipe {file} line {line} (tables.{kind}): SQL error: {error}",
            file=recipe.path.name,
            line=line,
            kind=spec.kind,
            error=head,
        ),
        file=str(recipe.path),
    )


def _run_one(
    con: duckdb.DuckDBPyConnection,
    recipe: Recipe,
    spec: TableSpec,
    limit_s: float,
    *,
    stream: bool = False,
) -> pd.DataFrame:
    try:
        statements = con.extract_statements(spec.sql)
    except duckdb.Error as exc:
        raise _sql_error(recipe, spec, exc) from exc
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        raise LoaderError(
            _l(
                "recipe {file} line {line} (tables.{kind}): the query must be exactly one "
                "SELECT (no ';' between statements, no COPY, ATTACH, CREATE, SET)",
                file=recipe.path.name,
                line=spec.line,
                kind=spec.kind,
            ),
            file=str(recipe.path),
        )
    timer = threading.Timer(limit_s, con.interrupt)
    timer.start()
    try:
        return con.execute(spec.sql).df()
    except duckdb.OutOfMemoryException:
        raise  # run_tables names the setting
    except duckdb.InterruptException as exc:
        raise LoaderError(
            _l(
                "recipe {file} line {line} (tables.{kind}): the query ran longer than {limit} s "
                "and was stopped",
                file=recipe.path.name,
                line=spec.line,
                kind=spec.kind,
                limit=Num(limit_s, "g"),
            ),
            file=str(recipe.path),
        ) from exc
    except duckdb.Error as exc:
        if stream:  # maybe a file read in place; run again with copies, for the right message
            raise ReadInPlaceFailed(spec.kind) from exc
        raise _sql_error(recipe, spec, exc) from exc
    finally:
        timer.cancel()


def run_tables(
    recipe: Recipe, *, limit_s: float = QUERY_TIME_LIMIT_S, memory_mb: int | None = None
) -> dict[str, pd.DataFrame]:
    """The output frame of each table query (before validation); DuckDB may use at most
    ``memory_mb`` MiB. UTF-8 CSV files are read in place first; if that fails anywhere, the
    recipe runs again with every file copied in (:mod:`loaders.recipe_sources`)."""
    try:
        return _run_tables(recipe, limit_s, memory_mb, stream=True)
    except ReadInPlaceFailed:
        return _run_tables(recipe, limit_s, memory_mb, stream=False)


def _run_tables(
    recipe: Recipe, limit_s: float, memory_mb: int | None, *, stream: bool
) -> dict[str, pd.DataFrame]:
    con = _connect(memory_mb)
    try:
        read_sources(con, recipe, stream=stream)
        _helpers(con, recipe)
        _lock(con)
        out: dict[str, pd.DataFrame] = {}
        for kind, spec in recipe.tables.items():
            frame = _run_one(con, recipe, spec, limit_s, stream=stream)
            try:
                _check_grain(con, recipe, spec, len(frame))
            except duckdb.OutOfMemoryException:
                raise
            except duckdb.Error as exc:
                if stream:
                    raise ReadInPlaceFailed(spec.kind) from exc
                raise
            out[kind] = frame
        return out
    except duckdb.OutOfMemoryException as exc:
        raise LoaderError(
            _l(
                "recipe {file}: the recipe needs more than {limit} MiB of memory (setting "
                "max_import_memory_mb / GRAPHCAP_MAX_IMPORT_MEMORY_MB); narrow the queries or "
                "raise the limit",
                file=recipe.path.name,
                limit=memory_mb,
            ),
            file=str(recipe.path),
        ) from exc
    finally:
        con.close()


def _check_grain(
    con: duckdb.DuckDBPyConnection, recipe: Recipe, spec: TableSpec, rows: int
) -> None:
    """More output rows than the grain source (or all sources) has: a join multiplied rows.
    Sources are counted only up to ``rows`` (enough to show there is no excess)."""
    if spec.expands:
        return
    if spec.grain is not None:
        limit = count_upto(con, spec.grain, rows)
        what = _l("source {source!r} has", source=spec.grain)
    else:
        limit, what = 0, _l("all sources together have")
        for name in recipe.sources:
            limit += count_upto(con, name, rows - limit)
            if limit >= rows:
                break
    if rows > limit:  # then every count above was exact (each ended below its cap)
        raise LoaderError(
            _l(
                "recipe {file} line {line} (tables.{kind}): the query gives {rows} rows but "
                "{what} {limit}: a join multiplies rows; join on a key that is unique on one "
                "side (declare it with key: [...] on the source to have it checked)",
                file=recipe.path.name,
                line=spec.line,
                kind=spec.kind,
                rows=rows,
                what=what,
                limit=limit,
            ),
            file=str(recipe.path),
        )


def _cells(series: pd.Series) -> pd.Series:
    """A column as Python values (``None`` for missing), vectorised: ``astype(object)`` boxes
    numbers as ``int``/``float``/``bool`` and datetimes as :class:`pandas.Timestamp`."""
    values = series.astype(object)
    missing = series.isna().to_numpy()
    if missing.any():
        values = values.where(~missing, None)
    return values.reset_index(drop=True)


def _raw_table(kind: str, frame: pd.DataFrame, recipe: Recipe) -> RawTable:
    """An output frame as a raw table: cells as Python values, ``None`` for missing."""
    files = frame["_file"] if "_file" in frame.columns else None
    lines = frame["_line"] if "_line" in frame.columns else None
    out = pd.DataFrame(
        {str(c): _cells(frame[c]) for c in frame.columns if c not in ("_file", "_line")}
    )
    if not len(out.columns):
        out = pd.DataFrame(index=range(len(frame)))
    where = f"{recipe.path.name} (tables.{kind})"
    position = np.arange(1, len(frame) + 1)
    if lines is None:
        rows = position.tolist()
    else:
        numbers = pd.to_numeric(lines, errors="coerce").to_numpy(dtype=float)
        rows = np.where(np.isnan(numbers), position, numbers).astype(np.int64).tolist()
    row_files = None
    if files is not None:
        row_files = files.astype(object).where(files.notna(), where).astype(str).tolist()
    return RawTable(
        kind=kind,
        frame=out,
        rows=rows,
        file=where,
        decimal=".",
        header_row=None,
        row_files=row_files,
    )


def _focal_nodes(recipe: Recipe, nodes: pd.DataFrame | None, schema: Schema) -> pd.DataFrame | None:
    """The nodes output with the focal organisation added; error if there is none at all."""
    resolver = TypeResolver(schema)
    focal = recipe.focal
    if focal is None:
        types = [] if nodes is None or "type" not in nodes.columns else nodes["type"].dropna()
        if not any(_is_org(resolver, t) for t in types):
            raise LoaderError(
                _l(
                    "recipe {file}: no focal organisation: declare it in the recipe "
                    '(organisation: {{id: ..., name: ...}}) or give --organisation "Name"; or '
                    "let the nodes query return a stakeholder of type organization",
                    file=recipe.path.name,
                ),
                file=str(recipe.path),
            )
        return nodes
    row = {"id": focal.id, "name": focal.name, "type": "organization"}
    if nodes is None:
        return pd.DataFrame([row])
    if "id" in nodes.columns:
        same = nodes["id"].astype(str) == focal.id
        if same.any():
            kept = nodes.loc[same, "type"].iloc[0] if "type" in nodes.columns else None
            if kept is not None and not _is_org(resolver, kept):
                raise LoaderError(
                    _l(
                        "recipe {file}: the focal organisation {id!r} is also a stakeholder of "
                        "type {type!r} in the nodes query; give it another id",
                        file=recipe.path.name,
                        id=focal.id,
                        type=kept,
                    ),
                    file=str(recipe.path),
                )
            return nodes
    return pd.concat([nodes, pd.DataFrame([row])], ignore_index=True)


def _is_org(resolver: TypeResolver, value: Any) -> bool:
    try:
        return resolver.node_type(str(value)) == "organization"
    except ValueError:
        return False


def _inferred_nodes(
    recipe: Recipe, frames: dict[str, pd.DataFrame], existing: frozenset[str] = frozenset()
) -> pd.DataFrame | None:
    """Stakeholders from the ids of a bare edge list (type from ``defaults.node_type``)."""
    nodes = frames.get("nodes")
    if nodes is not None and not recipe.infer_nodes:
        return nodes
    ids: list[Any] = []
    for kind in ("edges", "interactions"):
        frame = frames.get(kind)
        for col in ("source", "target"):
            if frame is not None and col in frame.columns:
                ids += frame[col].dropna().astype(str).tolist()
    known = set(existing)
    if nodes is not None and "id" in nodes.columns:
        known |= set(nodes["id"].astype(str))
    if recipe.focal is not None:
        known.add(recipe.focal.id)
    new = [i for i in dict.fromkeys(ids) if i not in known]
    if not new:
        return nodes
    if not recipe.node_type:
        raise LoaderError(
            _l(
                "recipe {file}: {n} stakeholder(s) appear only as ids (e.g. {first!r}); add a "
                "nodes query, or defaults: {{node_type: customer}} to create them with that type",
                file=recipe.path.name,
                n=len(new),
                first=new[0],
            ),
            file=str(recipe.path),
        )
    inferred = pd.DataFrame({"id": new, "name": new, "type": recipe.node_type})
    return inferred if nodes is None else pd.concat([nodes, inferred], ignore_index=True)


def run_recipe(
    recipe: Recipe,
    *,
    schema: Schema = DEFAULT_SCHEMA,
    limit_s: float = QUERY_TIME_LIMIT_S,
    existing: Collection[str] | None = None,
    memory_mb: int | None = None,
) -> RawInput:
    """Run ``recipe``; the raw tables for :func:`loaders.validate.validate`. ``existing``: ids
    already in the graph (an import onto it): they are not inferred again, and the recipe
    needs no focal organisation of its own."""
    frames = run_tables(recipe, limit_s=limit_s, memory_mb=memory_mb)
    nodes = _inferred_nodes(recipe, frames, frozenset(existing or ()))
    if existing is None or recipe.focal is not None:
        nodes = _focal_nodes(recipe, nodes, schema)
    if nodes is not None:
        frames["nodes"] = nodes
    tables = {kind: _raw_table(kind, frame, recipe) for kind, frame in frames.items()}
    problems: list[Problem] = []
    node_table = tables.get("nodes")
    if node_table is not None and "name" in node_table.frame.columns:
        for i, name in enumerate(node_table.frame["name"].tolist()):
            if isinstance(name, str) and several_organisations(name):
                problems.append(
                    Problem(
                        file=node_table.file_of(i),
                        row=node_table.rows[i],
                        column="name",
                        value=name,
                        why=_l(
                            "this cell seems to hold several organisations; check it (split it "
                            "in the recipe's SQL if it does)"
                        ),
                        severity="warning",
                    )
                )
    return RawInput(tables=tables, problems=problems, source=recipe.path.name)


class RecipeLoader(Loader):
    """``graphcap import recipe.yaml``: run a recipe and validate what it produces."""

    format = "recipe"
    suffixes = RECIPE_SUFFIXES

    def __init__(
        self,
        path: str | Path,
        *,
        mapping: Any = None,
        lenient: bool = False,
        schema: Schema = DEFAULT_SCHEMA,
        organisation: str | None = None,
        encoding: str | None = None,
        limits: Limits | None = None,
        existing: Collection[str] | None = None,
    ) -> None:
        if mapping is not None:
            raise LoaderError(
                _l(
                    "{file}: a recipe does not take a mapping file; put renames into its SQL",
                    file=path,
                ),
                file=str(path),
            )
        super().__init__(
            path,
            lenient=lenient,
            schema=schema,
            encoding=encoding,
            limits=limits,
            existing=existing,
        )
        self.organisation = organisation

    def recipe(self) -> Recipe:
        recipe = load_recipe(self.path)
        if self.organisation and self.organisation.strip():
            name = self.organisation.strip()
            recipe.focal = Focal(id=name, name=name)
        return recipe

    def read_raw(self) -> RawInput:
        return run_recipe(
            self.recipe(),
            schema=self.schema,
            existing=self.existing,
            memory_mb=self.limits.max_import_memory_mb,
        )

    def load(self) -> LoadResult:
        result = super().load()
        result.network.meta["recipe"] = self.path.name
        if load_recipe(self.path).ego_only:
            result.network.meta["ego_only"] = True
        return result

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "organisation": self.organisation}
