"""Files for Neo4j's offline importer: a first load of an empty local database.

``neo4j-admin database import full`` writes a database's store files directly, with the server
stopped: far faster than any transaction, but it can only create a database from nothing. This
module turns a validated :class:`~graphcap.model.Network` into its input -- one ``nodes.csv`` and
one ``edges.csv`` with typed headers -- holding exactly what :meth:`Neo4jStore.import_network`
would write into an empty graph: the same labels (``Stakeholder`` plus the allow-listed type
label), relationship types, property values and types (a midnight timestamp as a ``date``,
numbers as ``long``/``double``, a missing cell as no property) and row fingerprints
(``__gc_row``). The same checks run first (:func:`~graphcap.store.import_plan.plan_import`), plus
what the offline importer cannot express: a column whose values mix types, a relationship end
that is not in the file, interactions. Running the importer is :mod:`graphcap.localdb`'s part;
``graphcap import --bulk`` wires both.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphcap.errors import ImportFailed
from graphcap.i18n import gettext as _
from graphcap.model import Network
from graphcap.model.schema import STAKEHOLDER_LABEL, Schema
from graphcap.store.import_plan import plan_import
from graphcap.store.properties import ROW_KEY, _column

__all__ = ["BulkFiles", "BulkWriter", "write_bulk_files"]


class BulkFiles(dict[str, Any]):
    """``nodes``/``edges``: the written files; ``counts``: rows per kind."""


def _neo4j_type(values: list[Any], column: str, what: str) -> str:
    """The header type of a column from the Python values :func:`to_rows` would send."""
    kinds = {type(v) for v in values if v is not None}
    aware = any(getattr(v, "tzinfo", None) is not None for v in values if v is not None)
    return _type_of(kinds, aware, column, what)


def _type_of(kinds: set[type], aware: bool, column: str, what: str) -> str:
    """The header type of a column whose values are of ``kinds`` (``aware``: a datetime with a
    time zone among them)."""
    if not kinds:
        return "string"
    if kinds <= {bool}:
        return "boolean"
    if kinds <= {int}:
        return "long"
    if kinds <= {float}:
        return "double"
    if kinds <= {str}:
        return "string"
    if kinds <= {dt.date}:
        return "date"
    if kinds <= {dt.datetime} and not aware:
        return "localdatetime"
    names = ", ".join(sorted(k.__name__ for k in kinds))
    raise ImportFailed(
        _(
            "{what} column {column!r} holds values of several types ({names}); the offline "
            "importer needs one type per column: use the normal import (without --bulk)"
        ).format(what=what, column=column, names=names)
    )


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""  # unquoted empty field: no property
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(float(value))
    if kind == "long":
        return str(int(value))
    if kind in ("date", "localdatetime"):
        return value.isoformat()
    return '"' + str(value).replace('"', '""') + '"'


def _header_name(column: str) -> str:
    if any(c in column for c in ',:"\n\r'):
        raise ImportFailed(
            _(
                "column {column!r}: the offline importer's header cannot hold ',', ':', '\"' or "
                "a line break in a column name; rename it or use the normal import (without "
                "--bulk)"
            ).format(column=column)
        )
    return column


def _write(
    path: Path,
    keys: list[tuple[str, list[str]]],
    frame: pd.DataFrame,
    columns: Sequence[str],
    fingerprints: np.ndarray | None,
    what: str,
) -> None:
    props = [(str(c), _column(frame[c])) for c in columns]
    types = [_neo4j_type(values, c, what) for c, values in props]
    header = [k for k, _ in keys] + [
        f"{_header_name(c)}:{t}" for (c, _), t in zip(props, types, strict=True)
    ]
    cols: list[list[str]] = [[_cell(v, "string") for v in vals] for _, vals in keys]
    cols += [[_cell(v, t) for v in vals] for (_, vals), t in zip(props, types, strict=True)]
    if fingerprints is not None:
        header.append(f"{ROW_KEY}:long")
        cols.append([str(v) for v in fingerprints.tolist()])
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(header) + "\n")
        for row in zip(*cols, strict=True):
            fh.write(",".join(row) + "\n")


def write_bulk_files(network: Network, schema: Schema, folder: Path) -> BulkFiles:
    """Check ``network`` like an import and write the offline importer's files into ``folder``.

    Raises :class:`~graphcap.errors.ImportFailed` (or ``SchemaError``) before anything is
    written when the normal import would refuse the network, or when the offline importer
    cannot load it as the normal import would."""
    plan = plan_import(network, schema, batch_size=10_000)  # the same checks, same fingerprints
    nodes, edges = network.nodes, network.edges
    if len(network.interactions):
        raise ImportFailed(
            _(
                "--bulk loads stakeholders and relationships only; import the interactions "
                "afterwards with `graphcap import --onto-graph` (nothing was imported)"
            )
        )
    ids = set(plan.keys["nodes"])
    ends = pd.concat([edges["source"], edges["target"]]).astype(str)
    missing = ~ends.isin(ids).to_numpy()
    if missing.any():
        rows = sorted({int(i) % len(edges) + 1 for i in np.flatnonzero(missing)[:10]})
        raise ImportFailed(
            _(
                "edges frame has rows whose source or target is not a stakeholder of the import "
                "(rows {rows}); --bulk loads an empty database, so every end must be in it. "
                "Nothing was imported."
            ).format(rows=", ".join(map(str, rows)))
        )
    folder.mkdir(parents=True, exist_ok=True)
    labels = [
        f"{STAKEHOLDER_LABEL};{schema.label_for(t)}" for t in nodes["type"].tolist()
    ]  # allow-listed (checked by plan_import)
    node_cols = [c for c in nodes.columns if c != "id"]
    _write(
        folder / "nodes.csv",
        [("id:ID", plan.keys["nodes"]), (":LABEL", labels)],
        nodes,
        node_cols,
        plan.fingerprints["nodes"],
        "nodes",
    )
    edge_cols = [c for c in edges.columns if c not in ("source", "target", "type")]
    src = [a for a, _, _ in plan.keys["edges"]]
    rel = [t for _, t, _ in plan.keys["edges"]]
    tgt = [b for _, _, b in plan.keys["edges"]]
    _write(
        folder / "edges.csv",
        [(":START_ID", src), (":END_ID", tgt), (":TYPE", rel)],
        edges,
        edge_cols,
        plan.fingerprints["edges"],
        "edges",
    )
    return BulkFiles(
        nodes=folder / "nodes.csv",
        edges=folder / "edges.csv",
        counts={"nodes": len(nodes), "edges": len(edges)},
    )


class BulkWriter:
    """:func:`write_bulk_files` in parts, for an input validated part by part
    (:mod:`loaders.stream`): the stakeholders at once (:meth:`nodes`), the relationships a part
    at a time (:meth:`edges`), the header last (:meth:`finish`: a column's type is known only
    when every part is in). Each part gets the normal import's checks, labels, values and row
    fingerprints (:func:`~graphcap.store.import_plan.plan_import` of that part). A part that would
    be written other than the whole file (a column's values of one type in one part and another
    in the next, which the whole file would have read as one type) is refused by :meth:`finish`
    with the first such reason; the caller writes nothing to Neo4j then."""

    def __init__(self, schema: Schema, folder: Path) -> None:
        self.schema = schema
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.body = folder / "edges.body"
        self._out = self.body.open("w", encoding="utf-8", newline="")
        self.columns: list[str] | None = None
        self.kinds: dict[str, set[type]] = {}
        self.aware: dict[str, bool] = {}
        self.dtypes: dict[str, tuple[str, bool]] = {}  # column -> (dtype, a part had a gap)
        self.failed: ImportFailed | None = None
        self.counts = {"nodes": 0, "edges": 0}
        self.fingerprinted = True  # False when a part has no row fingerprints (m_ columns)

    def nodes(self, network: Network) -> None:
        """Check and write the stakeholders (``network.edges`` is not written)."""
        plan = plan_import(
            Network(nodes=network.nodes, edges=_no_edges(), meta=network.meta),
            self.schema,
            batch_size=10_000,
        )
        nodes = network.nodes
        labels = [f"{STAKEHOLDER_LABEL};{self.schema.label_for(t)}" for t in nodes["type"].tolist()]
        node_cols = [c for c in nodes.columns if c != "id"]
        _write(
            self.folder / "nodes.csv",
            [("id:ID", plan.keys["nodes"]), (":LABEL", labels)],
            nodes,
            node_cols,
            plan.fingerprints["nodes"],
            "nodes",
        )
        self.counts["nodes"] = len(nodes)

    def edges(self, edges: pd.DataFrame) -> None:
        """Check and write one part of the relationships (validated, canonical columns)."""
        if self.failed is not None:
            return
        try:
            self._edges(edges)
        except ImportFailed as exc:
            self.failed = exc

    def _edges(self, edges: pd.DataFrame) -> None:
        part = Network(nodes=_no_nodes(), edges=edges)
        plan = plan_import(part, self.schema, batch_size=10_000)
        cols = [str(c) for c in edges.columns if c not in ("source", "target", "type")]
        if self.columns is None:
            self.columns = cols
        if cols != self.columns:
            raise ImportFailed(
                _("edges columns differ between parts: {a} and {b}").format(
                    a=", ".join(self.columns), b=", ".join(cols)
                )
            )
        types = []
        for c in cols:
            values = _column(edges[c])
            kinds = {type(v) for v in values if v is not None}
            self.kinds[c] = self.kinds.get(c, set()) | kinds
            self.aware[c] = self.aware.get(c, False) or any(
                getattr(v, "tzinfo", None) is not None for v in values if v is not None
            )
            _type_of(self.kinds[c], self.aware[c], c, "edges")  # mixed types: refused
            self._same_dtype(c, edges[c])
            types.append(_type_of(kinds, False, c, "edges") if kinds else "string")
            del values
        keys = plan.keys["edges"]
        cols_out: list[list[str]] = [
            [_cell(a, "string") for a, _, _ in keys],
            [_cell(b, "string") for _, _, b in keys],
            [_cell(t, "string") for _, t, _ in keys],
        ]
        cols_out += [
            [_cell(v, t) for v in _column(edges[c])] for c, t in zip(cols, types, strict=True)
        ]
        fingerprints = plan.fingerprints["edges"]
        if fingerprints is not None:
            cols_out.append([str(v) for v in fingerprints.tolist()])
        self.fingerprinted = fingerprints is not None
        for row in zip(*cols_out, strict=True):
            self._out.write(",".join(row) + "\n")
        self.counts["edges"] += len(edges)

    def _same_dtype(self, column: str, series: pd.Series) -> None:
        """Refuse a column whose parts were typed apart where the whole file is typed at once
        (an extra column: whole numbers in one part, decimals or gaps in another)."""
        present = bool(series.notna().any())
        gap = bool(series.isna().any())
        dtype = str(series.dtype)
        seen = self.dtypes.get(column)
        if present:
            if seen is not None and seen[0] != "" and seen[0] != dtype:
                self._apart(column, seen[0], dtype)
            gap = gap or (seen is not None and seen[1])
            self.dtypes[column] = (dtype, gap)
        else:
            self.dtypes[column] = (seen[0] if seen else "", True)
        found = self.dtypes[column]
        if found[0] == "int64" and found[1]:
            self._apart(column, "int64", "float64")

    def _apart(self, column: str, a: str, b: str) -> None:
        raise ImportFailed(
            _(
                "edges column {column!r} reads as {a} in one part of the file and as {b} in "
                "another; a streamed --bulk load types each part of 100,000 rows by itself: "
                "give the column one kind of value throughout, or use the normal import "
                "(without --bulk)"
            ).format(column=column, a=a, b=b)
        )

    def close(self) -> None:
        """Close the relationships written so far (without writing ``edges.csv``)."""
        self._out.close()

    def finish(self) -> BulkFiles:
        """Write ``edges.csv`` (header, then the parts); raises the first refusal of a part."""
        self._out.close()
        if self.failed is not None:
            raise self.failed
        cols = self.columns or []
        header = [":START_ID", ":END_ID", ":TYPE"] + [
            f"{_header_name(c)}:{_type_of(self.kinds.get(c, set()), self.aware.get(c, False), c, 'edges')}"
            for c in cols
        ]
        if self.fingerprinted:
            header.append(f"{ROW_KEY}:long")
        edges = self.folder / "edges.csv"
        with (
            edges.open("w", encoding="utf-8", newline="") as out,
            self.body.open("r", encoding="utf-8", newline="") as body,
        ):
            out.write(",".join(header) + "\n")
            shutil.copyfileobj(body, out, 1 << 24)
        self.body.unlink()
        return BulkFiles(nodes=self.folder / "nodes.csv", edges=edges, counts=dict(self.counts))


def _no_edges() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in ("source", "target", "type")})


def _no_nodes() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in ("id", "name", "type")})
