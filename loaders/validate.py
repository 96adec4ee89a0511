"""Validation: raw tables in, a canonical :class:`graphcap.model.Network` out, or every problem.

Checked, for every row of every table, all at once:

* headers: a required column missing (with the closest headers the file has as suggestions), a
  column named twice; headers match case-insensitively ignoring spaces and ``-``
  (``Mutual Interest`` is ``mutual_interest``) and a few aliases (``from``/``to``, ``von``/``nach``);
* cells: control characters, NUL, lone surrogates, mojibake (:func:`loaders.textcheck.bad_text`);
* nodes: empty id, duplicate id (naming the first row), ids equal after Unicode normalisation
  (``Müller`` written NFC and NFD would silently become two stakeholders), empty name, unknown
  type (with suggestions); names equal after normalisation are a warning;
* edges: empty source/target, a source/target that is no node's id, unknown relationship type,
  the same relationship (source, type, target) twice (naming the first row);
* interactions: date, source and target known;
* values: scores in [0, 1] (``80 %`` is 0.8), sentiment in [-1, 1], counts whole and not
  negative, numbers and dates readable (:mod:`loaders.cells`).

Strict (default): any error raises :class:`graphcap.errors.ValidationError` with every problem.
Lenient: rows with errors are left out and their problems are returned with the network (an
edge to a left-out node is left out too, saying why). A missing required column is fatal in both.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
import pandas as pd

from graphcap.columns import header_keys
from graphcap.errors import Problem, ValidationError
from graphcap.i18n import Num
from graphcap.i18n import lazy_gettext as _l
from graphcap.model import Network
from graphcap.model.schema import (
    EDGE_OPTIONAL,
    EDGE_REQUIRED,
    INTERACTION_OPTIONAL,
    INTERACTION_REQUIRED,
    NODE_OPTIONAL,
    NODE_REQUIRED,
    Schema,
)
from graphcap.model.storable import INDEXED_COLUMNS, MAX_INDEXED_BYTES, text_problem
from loaders.aliases import TypeResolver, suggest
from loaders.cells import MISSING_TEXT, sniff_decimal
from loaders.columns import read_dates, read_numbers, type_extra
from loaders.lookalike import lookalike_problems
from loaders.raw import LoadResult, RawInput, RawTable
from loaders.textcheck import bad_text

__all__ = ["canonical_header", "validate"]

_SPECS: dict[str, tuple[tuple[str, ...], Mapping[str, str]]] = {
    "nodes": (NODE_REQUIRED, NODE_OPTIONAL),
    "edges": (EDGE_REQUIRED, EDGE_OPTIONAL),
    "interactions": (INTERACTION_REQUIRED, INTERACTION_OPTIONAL),
}
_HEADER_ALIASES: dict[str, dict[str, str]] = {
    "nodes": {"typ": "type", "art": "type", "stakeholder_type": "type", "node_id": "id"},
    "edges": {
        "from": "source",
        "to": "target",
        "von": "source",
        "nach": "target",
        "relationship": "type",
        "rel_type": "type",
        "typ": "type",
        "art": "type",
    },
    "interactions": {
        "from": "source",
        "to": "target",
        "von": "source",
        "nach": "target",
        "datum": "date",
        "kanal": "channel",
        "wert": "value",
    },
}
_KEY_COLUMNS = {"id", "name", "source", "target", "type"}
_SQUASH = re.compile(r"[\s\-./]+")


def canonical_header(header: str) -> str:
    """``" Mutual Interest "`` -> ``"mutual_interest"``: how headers are compared."""
    return _SQUASH.sub("_", str(header).strip().lstrip("\ufeff").casefold()).strip("_")


def validate(
    raw: RawInput, *, schema: Schema, lenient: bool = False, existing: Collection[str] | None = None
) -> LoadResult:
    """Validate raw tables into a network; see the module docstring for what is checked.

    ``existing``: ids of the stakeholders already in the graph (an incremental import of
    relationships or interactions onto it): the nodes table may be missing, and an end that is
    neither in the file nor in ``existing`` is an error of its row."""
    if "nodes" not in raw.tables:
        if existing is None:
            raise ValidationError(
                [
                    Problem(
                        file=raw.source or "input",
                        why=_l(
                            "no nodes table found (nodes.csv, sheet 'nodes', or <node> "
                            "elements); every import needs the stakeholders, unless it adds "
                            "relationships or interactions to the graph in Neo4j (graphcap "
                            "import --onto-graph)"
                        ),
                    )
                ],
                file=raw.source,
            )
        empty = RawTable(
            kind="nodes",
            frame=pd.DataFrame({c: pd.Series([], dtype=object) for c in NODE_REQUIRED}),
            rows=[],
            file="the graph in Neo4j",
            header_row=None,
        )
        raw = RawInput(
            tables={"nodes": empty, **raw.tables}, problems=raw.problems, source=raw.source
        )
    resolver = TypeResolver(schema)
    problems = list(raw.problems)
    fatal = [p for p in problems if p.severity == "error"]
    checked = {kind: _Checked(raw.tables[kind], resolver) for kind in raw.tables}
    for table in checked.values():
        table.check_headers()
        fatal += table.fatal
    nodes = checked["nodes"]
    if not nodes.fatal:
        nodes.check_rows()
        nodes.check_nodes()
    node_rows = nodes.key_rows("id") if not nodes.fatal else None
    for kind in ("edges", "interactions"):
        found = checked.get(kind)
        if found is None or found.fatal:
            continue
        table = found
        table.check_rows()
        if kind == "edges":
            table.check_duplicate_edges()
        if node_rows is not None:
            table.check_references(
                node_rows, nodes, lenient=lenient, existing=frozenset(existing or ())
            )
    for table in checked.values():
        problems += table.fatal + table.warnings
        problems += [p for _, found in sorted(table.errors.items()) for p in found]
    errors = [p for p in problems if p.severity == "error"]
    if fatal or (errors and not lenient):
        raise ValidationError(problems, file=raw.source)
    frames = {kind: table.frame() for kind, table in checked.items()}
    network = Network(
        nodes=frames["nodes"],
        edges=frames.get("edges", _empty(EDGE_REQUIRED)),
        interactions=frames.get("interactions", _empty(INTERACTION_REQUIRED)),
        meta={"source": raw.source},
    )
    if existing is None and network.edges.empty and not network.interactions.empty:
        problems.append(_log_without_relationships(raw, len(network.interactions)))
    rejected = {kind: len(table.errors) for kind, table in checked.items()}
    return LoadResult(network=network, problems=problems, source=raw.source, rejected=rejected)


def _log_without_relationships(raw: RawInput, count: int) -> Problem:
    """The warning for an interaction log that comes without relationships (a meeting register,
    an e-mail log read as interactions only): every analysis works on relationships, so each
    stakeholder would look isolated."""
    table = raw.tables["interactions"]
    return Problem(
        file=table.file,
        sheet=table.sheet,
        why=_l(
            "{count} interactions but no relationships: the analysis works on relationships, so "
            "every stakeholder would look isolated; add the interactions up into relationships "
            "(an edges table in a recipe, as loaders/recipes/meetings.yaml does, or the Import "
            "page's tab 'Raw exports (build a recipe)')",
            count=Num(count),
        ),
        severity="warning",
    )


def _own_export_headers(required: tuple[str, ...], headers: list[str]) -> dict[str, str] | None:
    """Header -> column key when ``headers`` are those of graphcap's own export in another
    language (every required column under its translated header: ``ID, Name, Typ``), else
    ``None``. Then the export's headers win over the general aliases (its ``Art`` is ``kind``,
    not ``type``), so ``graphcap export xlsx --lang de`` re-imports unchanged."""
    present = {canonical_header(h) for h in headers}
    for lang in ("de",):
        keys = {canonical_header(text): key for text, key in header_keys(lang).items()}
        wanted = {text for text, key in keys.items() if key in required}
        if len(wanted) == len(required) and wanted <= present:
            return keys
    return None


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series([], dtype="datetime64[ns]" if c == "date" else object) for c in columns}
    )


class _Checked:
    """One table under validation: converted columns and the problems of each row."""

    def __init__(self, raw: RawTable, resolver: TypeResolver) -> None:
        self.raw = raw
        self.kind = raw.kind
        self.resolver = resolver
        self.required, self.optional = _SPECS[raw.kind]
        self.rename: dict[str, str] = {}  # frame column -> canonical name
        self.values: dict[str, Any] = {}  # canonical name -> converted values (list or array)
        self.errors: dict[int, list[Problem]] = defaultdict(list)  # position -> problems
        for i, found in raw.row_errors.items():
            self.errors[i].extend(found)
        self.fatal: list[Problem] = []
        self.warnings: list[Problem] = []

    # -- problems ------------------------------------------------------------------------------

    def error(self, i: int, column: str | None, value: Any, why: str) -> None:
        self.errors[i].append(
            self.raw.problem(
                why, row=self.raw.rows[i], position=i, column=self._frame_col(column), value=value
            )
        )

    def _frame_col(self, canonical: str | None) -> str | None:
        if canonical is None:
            return None
        for col, name in self.rename.items():
            if name == canonical:
                return col
        return canonical

    # -- headers -------------------------------------------------------------------------------

    def check_headers(self) -> None:
        known = set(self.required) | set(self.optional)
        frame = self.raw.frame
        aliases = _own_export_headers(self.required, [str(c) for c in frame.columns])
        if aliases is None:
            aliases = _HEADER_ALIASES[self.kind]
        seen: dict[str, str] = {}
        for position, col in enumerate(frame.columns):
            header = str(col)
            canon = canonical_header(header)
            name = canon if canon in known else aliases.get(canon, header.strip() or None)
            if header.startswith("__unnamed_"):
                name = None
            if name is None:
                if frame[col].map(lambda v: v not in (None, "")).any():
                    name = f"column_{position + 1}"
                    self.warnings.append(
                        self.raw.problem(
                            _l(
                                "column {n} has no header; its values are kept as {name!r}",
                                n=position + 1,
                                name=name,
                            ),
                            row=self.raw.header_row,
                            severity="warning",
                        )
                    )
                else:
                    continue
            if name in seen:
                self.fatal.append(
                    self.raw.problem(
                        _l(
                            "column {name!r} appears twice (also as {other!r}); remove or rename one",
                            name=name,
                            other=self.raw.label(seen[name]),
                        ),
                        row=self.raw.header_row,
                        column=col,
                    )
                )
                continue
            seen[name] = col
            self.rename[col] = name
        headers = [self.raw.label(str(c)) for c in frame.columns]
        headerless = not any(name in known for name in seen)
        for req in self.required:
            if req not in seen:
                hint = suggest(req, [h for h in headers if h])
                if headerless and headers:
                    hint = _l(
                        "{hint}; no header of this file is a known column (the first row reads "
                        "{first}): if the file has no header row, add one, or name its columns "
                        "in a recipe (header: false, columns: [...]; docs/INPUT.md)",
                        hint=hint,
                        first=", ".join(repr(h) for h in headers[:4]),
                    )
                    headerless = False  # said once
                self.fatal.append(
                    self.raw.problem(
                        _l(
                            "required column {req!r} is missing{hint}; the {kind} table needs "
                            "{needs}",
                            req=req,
                            hint=hint,
                            kind=self.kind,
                            needs=", ".join(self.required),
                        ),
                        row=self.raw.header_row,
                        column=req,
                    )
                )

    # -- cells ---------------------------------------------------------------------------------

    def check_rows(self) -> None:
        frame = self.raw.frame
        for col, name in self.rename.items():
            cells = frame[col].tolist()
            for i, cell in enumerate([] if self.raw.text_clean else cells):
                if isinstance(cell, str):
                    why = bad_text(cell, self.raw.encoding)
                    if why:
                        self.error(i, name, cell, why)
            kind = self.optional.get(name, "key" if name in self.required else "extra")
            if name == "date":
                kind = "date"
            self.values[name] = self._convert(name, kind, cells)

    def _convert(self, name: str, kind: str, cells: list[Any]) -> list[Any] | np.ndarray:
        out: list[Any] = [None] * len(cells)
        if kind == "key":
            strip_key = name in _KEY_COLUMNS
            resolve = {
                "type": self.resolver.node_type if self.kind == "nodes" else self.resolver.rel_type
            }.get(name)
            cache: dict[str, Any] = {}
            for i, cell in enumerate(cells):
                text = cell.strip() if type(cell) is str else _text(cell, strip_key)
                if text and name in INDEXED_COLUMNS and len(text) * 4 > MAX_INDEXED_BYTES:
                    too_long = text_problem(text, indexed=True)
                    if too_long:
                        self.error(
                            i,
                            name,
                            text[:40] + "...",
                            _l("the {name} {why}", name=name, why=too_long),
                        )
                        continue
                if not text:
                    what = {
                        "id": _l("empty id; every row needs one"),
                        "name": _l("empty name; every row needs one"),
                        "type": _l("empty type; every row needs one"),
                        "source": _l("empty source id; every row needs one"),
                        "target": _l("empty target id; every row needs one"),
                    }[name]
                    self.error(i, name, None, what)
                    continue
                if resolve is not None:
                    if text not in cache:
                        try:
                            cache[text] = resolve(text)
                        except ValueError as exc:
                            cache[text] = exc
                    found = cache[text]
                    if isinstance(found, ValueError):
                        self.error(i, name, text, found.args[0])
                        continue
                    text = found
                out[i] = text
            return out
        if kind in ("text", "extra"):
            for i, cell in enumerate(cells):
                if isinstance(cell, str):
                    out[i] = None if cell.strip() in MISSING_TEXT else cell
                else:
                    out[i] = cell
            return type_extra(out, self.raw.decimal) if kind == "extra" else out

        def error(i: int, value: Any, why: str) -> None:
            self.error(i, name, value, why)

        if kind == "date":
            return read_dates(cells, required=name == "date", error=error)
        decimal = (
            self.raw.decimal
            or self.raw.column_decimal.get(name)
            or sniff_decimal(cells, self.raw.decimal_hint)
        )
        return read_numbers(cells, kind, decimal, error=error)

    # -- nodes ---------------------------------------------------------------------------------

    def check_nodes(self) -> None:
        ids, names = self.values["id"], self.values["name"]
        first: dict[str, int] = {}
        by_form: dict[str, tuple[str, int]] = {}
        for i, key in enumerate(ids):
            if key is None:
                continue
            if key in first:
                self.error(
                    i,
                    "id",
                    key,
                    _l(
                        "duplicate id (also in row {row}); ids must be unique",
                        row=self.raw.rows[first[key]],
                    ),
                )
                continue
            first[key] = i
            form = unicodedata.normalize("NFC", key)
            other = by_form.get(form)
            if other is not None:
                self.error(
                    i,
                    "id",
                    key,
                    _l(
                        "id is the same text as id {other!r} in row {row} in another Unicode "
                        "form (NFC/NFD); it would become a second stakeholder; write both the "
                        "same way",
                        other=other[0],
                        row=self.raw.rows[other[1]],
                    ),
                )
            else:
                by_form[form] = (key, i)
        seen_names: dict[str, tuple[str, int]] = {}
        for i, name in enumerate(names):
            if name is None:
                continue
            form = unicodedata.normalize("NFC", name)
            other = seen_names.setdefault(form, (name, i))
            if other[0] != name:
                self.warnings.append(
                    self.raw.problem(
                        _l(
                            "name is the same text as {other!r} in row {row} in another Unicode "
                            "form (NFC/NFD); check whether they are one stakeholder",
                            other=other[0],
                            row=self.raw.rows[other[1]],
                        ),
                        row=self.raw.rows[i],
                        column=self._frame_col("name"),
                        value=name,
                        severity="warning",
                    )
                )
        for i, other_i, why in lookalike_problems(names):
            if other_i is not None:
                why = _l("{why} (row {row})", why=why, row=self.raw.rows[other_i])
            self.warnings.append(
                self.raw.problem(
                    why,
                    row=self.raw.rows[i],
                    column=self._frame_col("name"),
                    value=names[i],
                    severity="warning",
                )
            )

    def key_rows(self, column: str) -> dict[str, int]:
        """key -> position of the row that defines it (first occurrence)."""
        out: dict[str, int] = {}
        for i, key in enumerate(self.values.get(column, [])):
            if key is not None:
                out.setdefault(key, i)
        return out

    # -- edges and interactions ---------------------------------------------------------------

    def check_duplicate_edges(self) -> None:
        first: dict[tuple[str, str, str], int] = {}
        for i, key in enumerate(
            zip(self.values["source"], self.values["type"], self.values["target"], strict=True)
        ):
            if None in key:
                continue
            if key in first:
                self.error(i, "type", key[1], duplicate_edge(key, self.raw.rows[first[key]]))
            else:
                first[key] = i

    def check_references(
        self,
        node_rows: dict[str, int],
        nodes: _Checked,
        *,
        lenient: bool,
        existing: frozenset[str] = frozenset(),
    ) -> None:
        nfc = {unicodedata.normalize("NFC", k): k for k in node_rows}
        where: str = nodes.raw.file
        if nodes.raw.sheet:
            where = _l("{file}, sheet {sheet}", file=where, sheet=nodes.raw.sheet)
        if existing and nodes.raw.file != "the graph in Neo4j":
            where = _l("{where} nor in the graph in Neo4j", where=where)
        for column in ("source", "target"):
            for i, key in enumerate(self.values[column]):
                if key is None:
                    continue
                row = node_rows.get(key)
                if row is None and key in existing:
                    continue
                if row is None:
                    near = nfc.get(unicodedata.normalize("NFC", key))
                    hint = (
                        _l("; {near!r} in another Unicode form (NFC/NFD) exists", near=near)
                        if near
                        else suggest(key, (list(node_rows) or sorted(existing))[:5000])
                    )
                    if column == "source":
                        why = _l(
                            "source is not the id of any node in {where}{hint}",
                            where=where,
                            hint=hint,
                        )
                    else:
                        why = _l(
                            "target is not the id of any node in {where}{hint}",
                            where=where,
                            hint=hint,
                        )
                    self.error(i, column, key, why)
                elif lenient and row in nodes.errors:
                    self.error(
                        i,
                        column,
                        key,
                        _l(
                            "source node was rejected ({where} row {row})",
                            where=where,
                            row=nodes.raw.rows[row],
                        )
                        if column == "source"
                        else _l(
                            "target node was rejected ({where} row {row})",
                            where=where,
                            row=nodes.raw.rows[row],
                        ),
                    )

    # -- result --------------------------------------------------------------------------------

    def frame(self) -> pd.DataFrame:
        keep = [i for i in range(len(self.raw.frame)) if i not in self.errors]
        keep_index = np.array(keep, dtype=np.int64)
        order = list(self.required) + [c for c in self.optional if c in self.values]
        order += [c for c in self.values if c not in order]
        data: dict[str, pd.Series] = {}
        for name in order:
            column = self.values[name]
            kind = self.optional.get(name, "date" if name == "date" else "text")
            if isinstance(column, np.ndarray):  # dates and numbers
                kept_values = column[keep_index]
                if kind == "count":
                    series = pd.Series(kept_values).astype("Int64")
                else:
                    series = pd.Series(kept_values, dtype=kept_values.dtype)
            else:
                series = pd.Series([column[i] for i in keep], dtype=object)
            data[name] = series
        return pd.DataFrame(data)


def duplicate_edge(key: tuple[str, str, str], row: int) -> str:
    """Why a row repeats the relationship ``key`` (source, type, target) of row ``row``."""
    return _l(
        "duplicate relationship {source!r} -{type}-> {target!r} (also in row {row}); one "
        "relationship per source, type and target",
        source=key[0],
        type=key[1],
        target=key[2],
        row=row,
    )


def _text(cell: Any, strip: bool) -> str | None:
    if cell is None or (isinstance(cell, float) and cell != cell):
        return None
    text = cell if isinstance(cell, str) else _native_text(cell)
    return text.strip() if strip else text


def _native_text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, pd.Timestamp):
        return cell.isoformat()
    return str(cell)
