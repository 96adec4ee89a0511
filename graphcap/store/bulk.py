"""Files for Neo4j's offline importer: a first load of an empty local database.

``neo4j-admin database import full`` writes a database's store files directly, with the server
stopped: far faster than any transaction, but it can only create a database from nothing. This
module turns a validated :class:`~graphcap.model.Network` into its input -- one ``nodes.csv`` and
one ``edges.csv`` with typed headers -- holding exactly what :meth:`Neo4jStore.import_network`
would write into an empty graph: the same labels (``Stakeholder`` plus the allow-listed type
label), relationship types, property values and types (a midnight timestamp as a ``date``,
numbers as ``long``/``double``, a missing cell as no property) and row fingerprints
(``__gc_row``). The same checks run first (:func:`~graphcap.store.importer.plan_import`), plus
what the offline importer cannot express: a column whose values mix types, a relationship end
that is not in the file, interactions. Running the importer is :mod:`graphcap.localdb`'s part;
``graphcap import --bulk`` wires both.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphcap.errors import ImportFailed
from graphcap.i18n import gettext as _
from graphcap.model import STAKEHOLDER_LABEL, Network, Schema
from graphcap.store.importer import plan_import
from graphcap.store.properties import ROW_KEY, _column

__all__ = ["BulkFiles", "write_bulk_files"]


class BulkFiles(dict[str, Any]):
    """``nodes``/``edges``: the written files; ``counts``: rows per kind."""


def _neo4j_type(values: list[Any], column: str, what: str) -> str:
    """The header type of a column from the Python values :func:`to_rows` would send."""
    kinds = {type(v) for v in values if v is not None}
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
    if kinds <= {dt.datetime} and all(v.tzinfo is None for v in values if v is not None):
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
