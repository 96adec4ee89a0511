"""Recipes: a YAML or TOML file that turns raw system exports into the canonical tables, without
code.

A recipe names the raw files (relative to the recipe's folder) and holds one SQL query per
canonical table; DuckDB runs the SQL (:mod:`loaders.recipe_sql`), and the result goes through
the same validation as every other input (:mod:`loaders.validate`)::

    recipe: 1
    organisation: {id: ORG-1, name: Brenner Antriebstechnik GmbH}   # or --organisation "Name"
    sources:
      customers: {file: KNA1.csv, delimiter: ";", encoding: cp1252, decimal: ",", missing: ["NULL"]}
      orders:    {file: orders.csv, key: [order_no]}
      ratings:   {file: ratings.csv, header: false, columns: [rater, ratee, score, epoch]}
      register:  {file: meetings.xlsx, sheet: Register}
    tables:
      nodes: |
        SELECT id, name, 'customer' AS type FROM customers
      edges:
        grain: orders          # at most one output row per row of orders (a join must not multiply)
        sql: |
          SELECT customer AS source, (SELECT id FROM focal) AS target, 'BUYS_FROM' AS type,
                 sum(amount) AS volume, count(*) AS interactions, max(day) AS last_contact
          FROM orders GROUP BY customer
    defaults: {node_type: customer}   # stakeholders inferred from ids when there is no nodes query
    merges: {"BEUC - The European Consumer Organisation": "BEUC"}   # accepted by a person

The same recipe as TOML (``recipe.toml``; same keys, same checks, the same messages naming the
file's line)::

    recipe = 1
    organisation = {id = "ORG-1", name = "Brenner Antriebstechnik GmbH"}
    [sources]
    customers = {file = "KNA1.csv", delimiter = ";", encoding = "cp1252", missing = ["NULL"]}
    [tables]
    nodes = '''
    SELECT id, name, 'customer' AS type FROM customers
    '''

Why SQL: joins, group-by, filters, computed columns and de-duplication are what raw exports need,
and SQL says them in a form data stewards can read; DuckDB sniffs CSV dialects, reads decimal
commas and ``NULL`` strings, and aggregates a million rows in well under a second.

Safety: only files inside the recipe's folder (no absolute paths, no ``..``, no symlink that
leads out); the files are read into tables first, then the connection is locked (no file system,
no extensions, configuration frozen) before any query of the recipe runs; each query must be a
single ``SELECT``. Types coming out of SQL meet the same allow-list as any file.

Inside the queries: one table per source (with ``_file`` and ``_line``, the file and the line a
user sees), ``focal`` (``id``, ``name`` of the focal organisation), ``merges`` (``variant``,
``keep``) and the macro ``canon(x)`` that maps an accepted variant to the name or id it was merged
into. Output columns ``_file``/``_line`` make problems point at the raw file's line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import yaml

from graphcap.errors import LoaderError
from graphcap.i18n import lazy_gettext as _l
from loaders.aliases import suggest
from loaders.raw import TABLES

__all__ = [
    "RECIPE_SUFFIXES",
    "Focal",
    "Recipe",
    "SourceSpec",
    "TableSpec",
    "load_recipe",
    "safe_source_path",
]

#: the file types a recipe is written in
RECIPE_SUFFIXES = (".yaml", ".yml", ".toml")

_TOP_KEYS = {
    "recipe",
    "name",
    "organisation",
    "organization",
    "sources",
    "tables",
    "defaults",
    "merges",
    "description",
    "ego_only",
}
_SOURCE_KEYS = {
    "file",
    "delimiter",
    "encoding",
    "decimal",
    "missing",
    "header",
    "columns",
    "types",
    "sheet",
    "skip",
    "key",
    "quote",
}
_TABLE_KEYS = {"sql", "grain", "expands"}
_DEFAULT_KEYS = {"node_type", "infer_nodes"}
_TABLE_NAMES = {
    "nodes": "nodes",
    "stakeholders": "nodes",
    "edges": "edges",
    "relationships": "edges",
    "interactions": "interactions",
}
_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_RESERVED = {"focal", "merges", "canon"}
#: files a recipe may read
SOURCE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".parquet")


@dataclass(frozen=True)
class Focal:
    """The focal organisation a recipe declares (or ``--organisation`` names)."""

    id: str
    name: str


@dataclass
class SourceSpec:
    """One raw file of a recipe and how to read it."""

    name: str
    path: Path
    line: int
    delimiter: str | None = None
    encoding: str | None = None
    decimal: str | None = None
    null: list[str] = field(default_factory=list)
    header: bool = True
    columns: list[str] | None = None
    types: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    skip: int = 0
    key: list[str] = field(default_factory=list)
    quote: str | None = None


@dataclass
class TableSpec:
    """The SQL of one canonical table; ``line`` is where the SQL starts in the recipe file."""

    kind: str
    sql: str
    line: int
    grain: str | None = None
    #: the query may give more rows than its sources (it unnests list cells)
    expands: bool = False


@dataclass
class Recipe:
    path: Path
    name: str
    sources: dict[str, SourceSpec]
    tables: dict[str, TableSpec]
    focal: Focal | None = None
    node_type: str | None = None
    infer_nodes: bool = False
    merges: dict[str, str] = field(default_factory=dict)
    #: the exports can only show relationships with the organisation (an order log, a CRM
    #: export): recorded as ``network.meta["ego_only"]`` and stored with the data
    ego_only: bool = False

    @property
    def folder(self) -> Path:
        return self.path.parent

    def where(self, line: int) -> str:
        return f"{self.path.name} line {line}"


def _err(path: Path, line: int | None, message: str) -> LoaderError:
    if line:
        text = _l(
            "recipe {file} line {line}: {message}", file=path.name, line=line, message=message
        )
    else:
        text = _l("recipe {file}: {message}", file=path.name, message=message)
    return LoaderError(text, file=str(path))


def _lines(node: yaml.Node) -> dict[tuple[str, ...], int]:
    """Line (1-based) of every key path in a composed YAML document."""
    out: dict[tuple[str, ...], int] = {}

    def walk(n: yaml.Node, prefix: tuple[str, ...]) -> None:
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                key = prefix + (str(k.value),)
                out[key] = k.start_mark.line + 1
                # a block scalar's text starts on the line after its key
                out[key + ("<value>",)] = (
                    v.start_mark.line + 1 + (1 if getattr(v, "style", None) in ("|", ">") else 0)
                )
                walk(v, key)

    walk(node, ())
    return out


def safe_source_path(folder: Path, name: Any, *, recipe: Path, line: int) -> Path:
    """``folder / name`` if it is a plain relative path that stays inside ``folder``."""
    if not isinstance(name, str) or not name.strip():
        raise _err(recipe, line, _l("'file' must be a file name relative to the recipe's folder"))
    pure = PurePath(name.replace("\\", "/"))
    if pure.is_absolute() or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise _err(
            recipe,
            line,
            _l(
                "file {name!r} is an absolute path; a recipe reads only files in its own folder "
                "(write the path relative to the recipe)",
                name=name,
            ),
        )
    if ".." in pure.parts:
        raise _err(
            recipe,
            line,
            _l(
                "file {name!r} leads out of the recipe's folder ('..'); a recipe reads only files "
                "in its own folder",
                name=name,
            ),
        )
    base = folder.resolve()
    target = (folder / pure).resolve()
    if base != target and base not in target.parents:
        raise _err(
            recipe,
            line,
            _l(
                "file {name!r} is a link that leads out of the recipe's folder; copy the file "
                "into the folder instead",
                name=name,
            ),
        )
    if target.suffix.lower() not in SOURCE_SUFFIXES:
        raise _err(
            recipe,
            line,
            _l(
                "file {name!r}: a recipe reads {suffixes} files",
                name=name,
                suffixes=", ".join(SOURCE_SUFFIXES),
            ),
        )
    if not target.is_file():
        raise _err(
            recipe, line, _l("file {name!r} not found in {folder}", name=name, folder=folder)
        )
    return target


def _check_keys(data: dict, allowed: set[str], where: str, path: Path, line: int) -> None:
    for key in data:
        if key not in allowed:
            raise _err(
                path,
                line,
                _l(
                    "unknown key {key!r} in {where}{hint}; known: {known}",
                    key=key,
                    where=where,
                    hint=suggest(str(key), sorted(allowed)),
                    known=", ".join(sorted(allowed)),
                ),
            )


def _str_list(value: Any, what: str, path: Path, line: int) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str | int | float):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v) for v in value]
    if isinstance(value, list) and None in value:
        why = _l(
            "{what} must be a text or a list of texts (write NULL in quotes: YAML reads a bare "
            "NULL as nothing)",
            what=what,
        )
    else:
        why = _l("{what} must be a text or a list of texts", what=what)
    raise _err(path, line, why)


def _focal(value: Any, path: Path, line: int) -> Focal | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return Focal(id=value.strip(), name=value.strip())
    if isinstance(value, dict) and value.get("name"):
        _check_keys(value, {"id", "name"}, "organisation", path, line)
        name = str(value["name"]).strip()
        return Focal(id=str(value.get("id") or name).strip(), name=name)
    raise _err(path, line, _l("organisation must be a name or {id: ..., name: ...}"))


_TOML_KEY = re.compile(r"""\s*((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))""")
_TOML_AT = re.compile(r"\s*\(at line (\d+), column \d+\)")


def _toml_key(text: str) -> tuple[list[str], str] | None:
    """The dotted key at the start of ``text`` and what follows it, or None."""
    parts: list[str] = []
    rest = text
    while True:
        found = _TOML_KEY.match(rest)
        if not found:
            return None
        part = found.group(1)
        parts.append(part[1:-1] if part[0] in "\"'" else part)
        rest = rest[found.end() :].lstrip()
        if not rest.startswith("."):
            return parts, rest
        rest = rest[1:]


def _toml_lines(text: str) -> dict[tuple[str, ...], int]:
    """Line (1-based) of every key path in a TOML document, like :func:`_lines` for YAML; a
    multi-line string's text starts on the line after its key (TOML drops that newline)."""
    out: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    closing: str | None = None  # the delimiter of the multi-line string we are in
    for number, line in enumerate(text.splitlines(), start=1):
        if closing is not None:
            if closing in line:
                closing = None
            continue
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            key = _toml_key(stripped[1:])
            if key is not None:
                table = tuple(key[0])
                for k in range(1, len(table) + 1):
                    out.setdefault(table[:k], number)
            continue
        key = _toml_key(stripped)
        if key is None or not key[1].startswith("="):
            continue
        path = table + tuple(key[0])
        value = key[1][1:].lstrip()
        out[path] = number
        out[path + ("<value>",)] = number
        for quote in ('"""', "'''"):
            if value.startswith(quote):
                if value[3:].strip() == "":
                    out[path + ("<value>",)] = number + 1
                if quote not in value[3:]:
                    closing = quote
    return out


def _parse(path: Path, text: str) -> tuple[Any, dict[tuple[str, ...], int]]:
    """The recipe's settings and the line of every key, from YAML or TOML."""
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            at = _TOML_AT.search(str(exc))
            line = int(at.group(1)) if at else None
            raise _err(
                path, line, _l("not valid TOML: {error}", error=_TOML_AT.sub("", str(exc)))
            ) from exc
        return data, _toml_lines(text)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc)
        raise _err(path, line, _l("not valid YAML: {error}", error=what)) from exc
    return (data if node is not None else None), ({} if node is None else _lines(node))


def load_recipe(path: str | Path) -> Recipe:
    """Read and check a recipe file (YAML or TOML); every mistake names the recipe's line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoaderError(
            _l("recipe {file} cannot be read: {error}", file=path, error=exc), file=str(path)
        ) from exc
    data, lines = _parse(path, text)
    if not isinstance(data, dict):
        raise _err(path, 1, _l("expected settings (sources:, tables:, ...) at the top"))
    _check_keys(data, _TOP_KEYS, _l("the top level"), path, 1)
    if data.get("recipe", 1) != 1:
        raise _err(path, lines.get(("recipe",)), _l("this graphcap reads recipe version 1"))
    sources_data = data.get("sources") or {}
    if not isinstance(sources_data, dict) or not sources_data:
        raise _err(
            path,
            lines.get(("sources",), 1),
            _l("'sources' must name at least one file (sources: {orders: {file: orders.csv}})"),
        )
    sources: dict[str, SourceSpec] = {}
    for name, spec in sources_data.items():
        line = lines.get(("sources", str(name)), 1)
        if not _IDENT.match(str(name)) or name in _RESERVED:
            raise _err(
                path,
                line,
                _l(
                    "source name {name!r} must be lower case letters, digits and '_' (it becomes "
                    "a table name in the SQL) and not focal/merges/canon",
                    name=name,
                ),
            )
        if isinstance(spec, str):
            spec = {"file": spec}
        if not isinstance(spec, dict):
            raise _err(path, line, _l("source {name!r} must be a file name or settings", name=name))
        _check_keys(spec, _SOURCE_KEYS, _l("source {name!r}", name=name), path, line)
        file = safe_source_path(path.parent, spec.get("file"), recipe=path, line=line)
        columns = spec.get("columns")
        if spec.get("header") is False and not columns:
            raise _err(
                path,
                line,
                _l(
                    "source {name!r} has no header: name its columns (columns: [a, b, c])",
                    name=name,
                ),
            )
        decimal = spec.get("decimal")
        if decimal not in (None, ",", "."):
            raise _err(
                path, line, _l("decimal must be ',' or '.', got {decimal!r}", decimal=decimal)
            )
        types = spec.get("types") or {}
        if not isinstance(types, dict):
            raise _err(path, line, _l("types must map column names to SQL types (id: VARCHAR)"))
        sources[str(name)] = SourceSpec(
            name=str(name),
            path=file,
            line=line,
            delimiter=spec.get("delimiter"),
            encoding=spec.get("encoding"),
            decimal=decimal,
            null=_str_list(spec.get("missing"), "missing", path, line),
            header=spec.get("header", True) is not False,
            columns=_str_list(columns, "columns", path, line) or None,
            types={str(k): str(v) for k, v in types.items()},
            sheet=None if spec.get("sheet") is None else str(spec["sheet"]),
            skip=int(spec.get("skip", 0) or 0),
            key=_str_list(spec.get("key"), "key", path, line),
            quote=spec.get("quote"),
        )
    tables: dict[str, TableSpec] = {}
    tables_data = data.get("tables") or {}
    if not isinstance(tables_data, dict):
        raise _err(
            path, lines.get(("tables",)), _l("'tables' must hold nodes:, edges:, interactions:")
        )
    for name, spec in tables_data.items():
        line = lines.get(("tables", str(name)), 1)
        kind = _TABLE_NAMES.get(str(name))
        if kind is None:
            raise _err(
                path,
                line,
                _l(
                    "unknown table {name!r}{hint}; a recipe fills nodes, edges and interactions",
                    name=name,
                    hint=suggest(str(name), list(TABLES)),
                ),
            )
        sql_line = lines.get(("tables", str(name), "<value>"), line)
        if isinstance(spec, dict):
            _check_keys(spec, _TABLE_KEYS, _l("table {name!r}", name=name), path, line)
            sql_line = lines.get(("tables", str(name), "sql", "<value>"), line)
            grain, sql = spec.get("grain"), spec.get("sql")
            expands = spec.get("expands") is True
        else:
            grain, sql, expands = None, spec, False
        if not isinstance(sql, str) or not sql.strip():
            raise _err(path, line, _l("table {name!r} needs its SQL (a SELECT)", name=name))
        if grain is not None and str(grain) not in sources:
            raise _err(
                path,
                line,
                _l(
                    "grain {grain!r} is not a source of this recipe{hint}",
                    grain=grain,
                    hint=suggest(str(grain), list(sources)),
                ),
            )
        tables[kind] = TableSpec(
            kind=kind,
            sql=sql,
            line=sql_line,
            grain=None if grain is None else str(grain),
            expands=expands,
        )
    if "edges" not in tables and "interactions" not in tables:
        raise _err(
            path,
            lines.get(("tables",), 1),
            _l("a recipe needs an edges or interactions query (and usually nodes)"),
        )
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise _err(path, lines.get(("defaults",)), _l("defaults must be settings (node_type: ...)"))
    _check_keys(defaults, _DEFAULT_KEYS, "defaults", path, lines.get(("defaults",), 1))
    merges = data.get("merges") or {}
    if not isinstance(merges, dict) or not all(isinstance(v, str) for v in merges.values()):
        raise _err(
            path,
            lines.get(("merges",)),
            _l("merges must map a variant to the name or id it is merged into"),
        )
    focal_key = "organisation" if "organisation" in data else "organization"
    ego_only = data.get("ego_only", False)
    if not isinstance(ego_only, bool):
        raise _err(
            path,
            lines.get(("ego_only",)),
            _l("ego_only must be true or false, got {value!r}", value=ego_only),
        )
    return Recipe(
        path=path,
        name=str(data.get("name", path.stem)),
        sources=sources,
        tables=tables,
        focal=_focal(data.get(focal_key), path, lines.get((focal_key,), 1)),
        node_type=defaults.get("node_type"),
        infer_nodes=bool(defaults.get("infer_nodes", False)),
        merges={str(k): str(v) for k, v in merges.items()},
        ego_only=ego_only,
    )
