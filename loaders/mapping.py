"""Mapping files: turn a CRM/ERP export into the canonical input without code.

A mapping file is YAML (``.yaml``/``.yml``) or TOML (``.toml``)::

    name: SAP business partners          # shown in messages
    encoding: cp1252                     # optional: force the files' encoding
    separator: ";"                       # optional: force the CSV separator
    decimal: ","                         # optional: force the decimal separator
    nodes:                               # also: edges, interactions
      file: Geschaeftspartner.csv        # CSV file name in the folder/zip (or sheet: for Excel)
      columns: {Partner: id, "Name 1": name, Rolle: type}   # source header -> canonical column
      values:                            # value maps per canonical column (case-insensitive)
        type: {FLCU01: customer, FLVN01: supplier}
      constants: {region: DACH}          # a column set to this value in every row
      defaults: {country: DE}            # fills empty cells (or adds the column)
      derive: {id: "BP-{Partner}"}       # a column built from others: {Header} is the cell

The steps run in this order: derive (templates see the file's own headers), rename, value maps,
defaults, constants; then the usual validation, whose problems name the file's own headers. Type
values need no map for the built-in German and English aliases (Kunde, Lieferant, Behörde ...).
A file column that would clash with a mapped one (the export's ``Id`` next to a derived ``id``)
is kept as ``original_id``.
A renamed or referenced column the file lacks is an error with close-match suggestions.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from graphcap.errors import LoaderError, Problem
from graphcap.i18n import lazy_gettext as _l
from loaders.aliases import suggest
from loaders.raw import TABLES, RawInput, RawTable
from loaders.validate import canonical_header

__all__ = ["Mapping", "TableMapping", "load_mapping"]

_TOP_KEYS = {"name", "description", "encoding", "separator", "decimal", *TABLES}
_TABLE_KEYS = {"file", "sheet", "columns", "values", "constants", "defaults", "derive"}
_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]+)\}")


@dataclass(frozen=True)
class TableMapping:
    """How one table of an export maps onto a canonical table."""

    file: str | None = None
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    derive: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file; :meth:`apply` maps raw tables onto the canonical columns."""

    source: str
    name: str = ""
    encoding: str | None = None
    separator: str | None = None
    decimal: str | None = None
    tables: dict[str, TableMapping] = field(default_factory=dict)

    def file_for(self, kind: str) -> str | None:
        table = self.tables.get(kind)
        return table.file if table else None

    def sheet_for(self, kind: str) -> str | None:
        table = self.tables.get(kind)
        return table.sheet if table else None

    def apply(self, raw: RawInput) -> RawInput:
        """Raw tables with the mapping applied; problems of the mapping are added as errors."""
        problems = list(raw.problems)
        tables: dict[str, RawTable] = {}
        for kind, table in raw.tables.items():
            spec = self.tables.get(kind)
            if spec is None:
                tables[kind] = table
                continue
            mapped, found = self._apply_table(table, spec)
            tables[kind] = mapped
            problems += found
        return RawInput(tables=tables, problems=problems, source=raw.source)

    def _apply_table(self, table: RawTable, spec: TableMapping) -> tuple[RawTable, list[Problem]]:
        frame = table.frame.copy()
        labels = dict(table.column_labels)
        by_label = {table.label(c): c for c in frame.columns}
        problems: list[Problem] = []

        def column_of(header: str, role: str) -> str | None:
            if header in by_label:
                return by_label[header]
            folded = {h.casefold().strip(): c for h, c in by_label.items()}
            if header.casefold().strip() in folded:
                return folded[header.casefold().strip()]
            hint = suggest(header, [h for h in by_label if h])
            if role == "renames":
                why = _l(
                    "mapping file {file} renames column {header!r}, which this file lacks{hint}",
                    file=self.source,
                    header=header,
                    hint=hint,
                )
            else:
                why = _l(
                    "mapping file {file} derives from column {header!r}, which this file "
                    "lacks{hint}",
                    file=self.source,
                    header=header,
                    hint=hint,
                )
            problems.append(
                table.problem(
                    why,
                    row=table.header_row,
                    column=None,
                )
            )
            return None

        for target, template in spec.derive.items():
            refs = [m.group(1) for m in _FIELD.finditer(template) if m.group(1)]
            cols = {ref: column_of(ref, "derives from") for ref in refs}
            if None in cols.values():
                continue
            cells = {ref: frame[col].tolist() for ref, col in cols.items()}
            frame[target] = pd.Series(
                [_fill(template, {ref: cells[ref][i] for ref in refs}) for i in range(len(frame))],
                index=frame.index,
                dtype=object,
            )
            labels[target] = f"{target} (derived: {template})"
        renames: dict[str, str] = {}
        for header, target in spec.columns.items():
            col = column_of(header, "renames")
            if col is not None:
                if (
                    target in frame.columns
                    and target not in spec.columns.values()
                    and col != target
                ):
                    frame = frame.drop(columns=[target])
                renames[col] = target
                labels[target] = table.label(col)
        frame = frame.rename(columns=renames)
        produced = set(spec.derive) | set(renames.values())
        clashing = {
            c: f"original_{canonical_header(str(c))}"
            for c in frame.columns
            if c not in produced and canonical_header(str(c)) in produced
        }
        if clashing:
            frame = frame.rename(columns=clashing)
            for old, new in clashing.items():
                labels[new] = table.label(old)
        for column, mapping in spec.values.items():
            if column not in frame.columns:
                continue
            folded = {str(k).strip().casefold(): v for k, v in mapping.items()}
            # a list, not Series.map: map turns the None of an empty Excel cell into NaN, which
            # the defaults below would not see as empty
            frame[column] = pd.Series(
                [
                    folded.get(v.strip().casefold(), v) if isinstance(v, str) else v
                    for v in frame[column].tolist()
                ],
                index=frame.index,
                dtype=object,
            )
        for column, value in spec.defaults.items():
            if column in frame.columns:
                frame[column] = pd.Series(
                    [value if _empty(v) else v for v in frame[column].tolist()],
                    index=frame.index,
                    dtype=object,
                )
            else:
                frame[column] = pd.Series([value] * len(frame), index=frame.index, dtype=object)
                labels[column] = f"{column} (mapping default)"
        for column, value in spec.constants.items():
            frame[column] = pd.Series([value] * len(frame), index=frame.index, dtype=object)
            labels[column] = f"{column} (mapping constant)"
        mapped = RawTable(
            kind=table.kind,
            frame=frame,
            rows=table.rows,
            file=table.file,
            sheet=table.sheet,
            decimal=self.decimal or table.decimal,
            decimal_hint=table.decimal_hint,
            header_row=table.header_row,
            column_labels=labels,
            row_errors=table.row_errors,
            encoding=table.encoding,
            text_clean=table.text_clean
            and not spec.derive
            and not spec.constants
            and not spec.defaults
            and not spec.values,
        )
        return mapped, problems


def _empty(cell: Any) -> bool:
    """An empty cell: None, NaN, or blank text."""
    return (
        cell is None
        or (isinstance(cell, float) and cell != cell)
        or (isinstance(cell, str) and not cell.strip())
    )


def _fill(template: str, cells: dict[str, Any]) -> str | None:
    missing = False

    def sub(m: re.Match[str]) -> str:
        nonlocal missing
        if m.group(0) in ("{{", "}}"):
            return m.group(0)[0]
        value = cells[m.group(1)]
        if value is None or (isinstance(value, str) and not value.strip()):
            missing = True
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    text = _FIELD.sub(sub, template)
    return None if missing else text


def _check_keys(data: dict, allowed: set[str], where: str, file: str) -> None:
    for key in data:
        if key not in allowed:
            raise LoaderError(
                _l(
                    "mapping file {file}: unknown key {key!r} in {where}{hint}; known: {known}",
                    file=file,
                    key=key,
                    where=where,
                    hint=suggest(str(key), sorted(allowed)),
                    known=", ".join(sorted(allowed)),
                ),
                file=file,
            )


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file (YAML or TOML)."""
    path = Path(path)
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoaderError(
            _l("mapping file {file} cannot be read: {error}", file=file, error=exc), file=file
        ) from exc
    try:
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(text)
        elif path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        else:
            raise LoaderError(
                _l("mapping file {file}: use a .yaml, .yml or .toml file", file=file), file=file
            )
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise LoaderError(
            _l(
                "mapping file {file} is not valid {format}: {error}",
                file=file,
                format=path.suffix[1:].upper(),
                error=exc,
            ),
            file=file,
        ) from exc
    if not isinstance(data, dict):
        raise LoaderError(
            _l("mapping file {file}: expected a table of settings at the top", file=file),
            file=file,
        )
    _check_keys(data, _TOP_KEYS, _l("the top level"), file)
    tables: dict[str, TableMapping] = {}
    for kind in TABLES:
        spec = data.get(kind)
        if spec is None:
            continue
        if not isinstance(spec, dict):
            raise LoaderError(
                _l(
                    "mapping file {file}: '{kind}' must be a table of settings",
                    file=file,
                    kind=kind,
                ),
                file=file,
            )
        _check_keys(spec, _TABLE_KEYS, f"'{kind}'", file)
        for key in ("columns", "values", "constants", "defaults", "derive"):
            if not isinstance(spec.get(key, {}), dict):
                raise LoaderError(
                    _l(
                        "mapping file {file}: '{kind}.{key}' must be a table",
                        file=file,
                        kind=kind,
                        key=key,
                    ),
                    file=file,
                )
        tables[kind] = TableMapping(
            file=spec.get("file"),
            sheet=spec.get("sheet"),
            columns={str(k): str(v) for k, v in spec.get("columns", {}).items()},
            values={str(k): dict(v) for k, v in spec.get("values", {}).items()},
            constants=dict(spec.get("constants", {})),
            defaults=dict(spec.get("defaults", {})),
            derive={str(k): str(v) for k, v in spec.get("derive", {}).items()},
        )
    decimal = data.get("decimal")
    if decimal not in (None, ",", "."):
        raise LoaderError(
            _l(
                "mapping file {file}: decimal must be ',' or '.', got {decimal!r}",
                file=file,
                decimal=decimal,
            ),
            file=file,
        )
    return Mapping(
        source=file,
        name=str(data.get("name", path.stem)),
        encoding=data.get("encoding"),
        separator=data.get("separator"),
        decimal=decimal,
        tables=tables,
    )
