"""The plan of an import: every row checked, typed and laid out in batches before any query runs.

:func:`plan_import` refuses what Neo4j would refuse (missing or repeated keys, text it cannot
store or index, reserved column names) and types not on the allow-list, naming the row, so
nothing is sent for a network that cannot be imported whole. The :class:`ImportPlan` it returns
holds, per kind, the query text of every row, the keys and fingerprints the importer compares
with what the graph holds, and builders of the parameter rows (built batch by batch while the
import runs, :mod:`graphcap.store.importer`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from graphcap.errors import ImportFailed
from graphcap.i18n import gettext
from graphcap.model import Network
from graphcap.model.schema import EDGE_REQUIRED, INTERACTION_REQUIRED, STAKEHOLDER_LABEL, Schema
from graphcap.model.storable import INDEXED_COLUMNS, MAX_INDEXED_BYTES, text_problem
from graphcap.store.import_queries import (
    INTERACTION_QUERY,
    edge_create_query,
    edge_query,
    interaction_create_query,
    node_create_query,
    node_query,
    split_columns,
)
from graphcap.store.properties import (
    frame_interaction_keys,
    row_fingerprints,
    to_columns,
    to_rows,
)
from graphcap.store.replace import ExistingKeys

__all__ = ["ImportPlan", "Step", "plan_import"]


@dataclass
class Step:
    """One batch of one frame: rows ``first``..``last`` (1-based, inclusive), grouped by the
    query text of their type."""

    kind: str  # "nodes" | "edges" | "interactions"
    batch: int  # 1-based batch number within the frame
    first: int
    last: int
    groups: dict[str, list[int]]  # query text -> 0-based row positions

    @property
    def size(self) -> int:
        return sum(len(positions) for positions in self.groups.values())


@dataclass
class ImportPlan:
    """Everything an import will send, checked; parameter rows are built batch by batch.

    ``keys`` holds each row's identity in the graph (stakeholder id; (source, type, target);
    interaction key) and ``fingerprints`` each stakeholder/relationship row's
    :func:`~graphcap.store.properties.row_fingerprints` (``None`` for a frame that carries
    ``m_`` columns: metric write-back changes those, so such rows are always compared in the
    server). :meth:`skip` drops rows the graph already holds unchanged before anything is sent."""

    steps: list[Step]
    total_rows: int
    batches: dict[str, int]
    make_rows: dict[str, Callable[[list[int]], list[dict[str, Any]]]]
    #: kind -> builder of a create-only query's parameters (parallel lists) for positions
    make_columns: dict[str, Callable[[list[int]], dict[str, Any]]] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)  # per query text
    #: the keys of the import (ids, (source, TYPE, target), interaction keys): what a replace keeps
    keep: ExistingKeys = field(default_factory=lambda: (set(), set(), set()))
    queries: dict[str, list[str]] = field(default_factory=dict)  # kind -> query text per row
    #: query text -> (create-only variant, what must be absent for it: a label or a rel type)
    create_only: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: query text -> the text actually sent (the create-only variant where it applies)
    sent: dict[str, str] = field(default_factory=dict)
    keys: dict[str, list[Any]] = field(default_factory=dict)
    fingerprints: dict[str, np.ndarray | None] = field(default_factory=dict)
    batch_size: int = 10_000

    def skip(self, unchanged: dict[str, np.ndarray]) -> dict[str, int]:
        """Lay the batches out again without the rows marked in ``unchanged`` (kind -> boolean
        mask over the frame's rows); returns how many rows of each kind were left out."""
        self.steps, skipped = [], {}
        for kind, queries in self.queries.items():
            mask = unchanged.get(kind)
            keep = np.arange(len(queries)) if mask is None else np.flatnonzero(~mask)
            skipped[kind] = len(queries) - len(keep)
            self.steps += _batched(kind, queries, keep.tolist(), self.batch_size)
            self.batches[kind] = -(-len(keep) // self.batch_size)
        return skipped


def _batched(
    kind: str, queries: Sequence[str], positions: list[int], batch_size: int
) -> list[Step]:
    steps: list[Step] = []
    for b, start in enumerate(range(0, len(positions), batch_size), start=1):
        part = positions[start : start + batch_size]
        groups: dict[str, list[int]] = {}
        for i in part:
            groups.setdefault(queries[i], []).append(i)
        steps.append(Step(kind, b, part[0] + 1, part[-1] + 1, groups))
    return steps


def _check_text(frame: pd.DataFrame, what: str) -> None:
    """Refuse text Neo4j cannot store or index (NUL, lone surrogates, over-long ids and names),
    naming the row and column: the Python API gets the loaders' guarantee too."""
    for column in frame.columns:
        dtype = frame[column].dtype
        if not (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)):
            continue
        indexed = column in INDEXED_COLUMNS
        values = frame[column].tolist()
        present = frame[column].dropna().tolist()
        if (
            set(map(type, present)) <= {str}
            and "".join(present).isprintable()  # every character of every text printable
            and not (indexed and present and max(map(len, present)) * 4 > MAX_INDEXED_BYTES)
        ):
            continue  # nothing below could flag a cell of this column
        for row, value in enumerate(values, start=1):
            if isinstance(value, str) and (
                (indexed and len(value) * 4 > MAX_INDEXED_BYTES) or not value.isprintable()
            ):
                why = text_problem(value, indexed=indexed)
                if why:
                    raise ImportFailed(
                        gettext(
                            "{what} frame, row {row}, column {column!r}: the text {why}; nothing was imported"
                        ).format(what=what, row=row, column=column, why=why),
                        rows=(row, row),
                    )


def _check_rows(frame: pd.DataFrame, required: list[str], what: str) -> None:
    if not len(frame):
        return
    missing = frame[required].isna().any(axis=1).to_numpy()
    if missing.any():
        bad = missing.nonzero()[0][:10] + 1
        raise ImportFailed(
            gettext(
                "{what} frame has rows without {required} (rows {map}); nothing was imported"
            ).format(what=what, required=", ".join(required), map=", ".join(map(str, bad)))
        )
    reserved = [c for c in frame.columns if isinstance(c, str) and c.startswith("__gc_")]
    if reserved:
        raise ImportFailed(
            gettext(
                "{what} frame has column(s) {reserved}: names starting with '__gc_' are reserved for graphcap's import journal; rename them"
            ).format(what=what, reserved=reserved)
        )
    _check_text(frame, what)
    key = ["id"] if what == "nodes" else required
    if what != "interactions":
        dup = frame.duplicated(subset=key, keep=False).to_numpy()
        if dup.any():
            rows = [int(i) + 1 for i in dup.nonzero()[0][:10]]
            raise ImportFailed(
                gettext(
                    "{what} frame has {sum} rows with a repeated {key} (rows {map}{value}); keep one row each. Nothing was imported."
                ).format(
                    what=what,
                    sum=int(dup.sum()),
                    key="/".join(key),
                    map=", ".join(map(str, rows)),
                    value=" ..." if dup.sum() > 10 else "",
                ),
                rows=(rows[0], rows[-1]),
            )


def _rows_of(
    frame: pd.DataFrame,
    keys: list[str],
    props_cols: list[str],
    extra: Callable[[int], dict[str, Any]] | None = None,
    fingerprints: np.ndarray | None = None,
    tags: dict[str, list[str]] | None = None,
) -> Callable[[list[int]], list[dict[str, Any]]]:
    """A builder of parameter rows ``{<key columns>, <tags>, i: <row>, fp: <fingerprint>,
    props: {...}}`` for positions (``tags``: per-row values outside the properties, e.g. the
    label a create-only query gives the row)."""
    key_lists = {k: [str(v) for v in frame[k].tolist()] for k in keys}
    if tags:
        key_lists.update(tags)

    names = [*key_lists, "props", "i", *(["fp"] if fingerprints is not None else [])]

    def make(positions: list[int]) -> list[dict[str, Any]]:
        props = to_rows(frame.iloc[positions], props_cols)
        if extra is not None:
            for pos, p in zip(positions, props, strict=True):
                p.update(extra(pos))
        # column by column, then one dict per row from the zipped columns
        columns: list[list[Any]] = [
            [values[pos] for pos in positions] for values in key_lists.values()
        ]
        columns += [props, [pos + 1 for pos in positions]]
        if fingerprints is not None:
            columns.append(fingerprints[positions].tolist())
        return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]

    return make


def _columns_of(
    frame: pd.DataFrame,
    keys: dict[str, list[Any]],
    props_cols: list[str],
    fingerprints: np.ndarray | None,
) -> Callable[[list[int]], dict[str, Any]]:
    """A builder of a create-only query's parameters for positions: one list per key in
    ``keys`` (ids, labels, types), ``p0``.. for the property columns whose names the query text
    holds (:func:`~graphcap.store.import_queries.split_columns`), ``rest`` (one map per row of
    the other columns, when there are any) and ``fp`` (the fingerprints, when there are any)."""
    named, rest = split_columns(props_cols)

    def make(positions: list[int]) -> dict[str, Any]:
        part = frame.iloc[positions]
        out: dict[str, Any] = {k: [values[pos] for pos in positions] for k, values in keys.items()}
        out.update({f"p{k}": values for k, values in enumerate(to_columns(part, named))})
        if rest:
            out["rest"] = to_rows(part, rest)
        if fingerprints is not None:
            out["fp"] = fingerprints[positions].tolist()
        return out

    return make


def _fingerprints(
    frame: pd.DataFrame, columns: list[str], extra: pd.Series | None = None
) -> np.ndarray | None:
    if any(str(c).startswith("m_") for c in columns):
        return None  # metric write-back changes m_ properties: compare such rows in the server
    return row_fingerprints(frame, columns, extra)


def plan_import(network: Network, schema: Schema, *, batch_size: int) -> ImportPlan:
    """Check types against the allow-list and lay out every batch, before any query runs.

    Raises :class:`SchemaError` for a type not on the allow-list (hostile strings included) and
    :class:`ImportFailed` for missing or repeated keys; in both cases nothing was sent to Neo4j.
    """
    if batch_size < 1:
        raise ImportFailed(
            gettext("batch_size must be at least 1, got {batch_size}").format(batch_size=batch_size)
        )
    nodes, edges, inter = network.nodes, network.edges, network.interactions
    _check_rows(nodes, ["id", "name", "type"], "nodes")
    _check_rows(edges, list(EDGE_REQUIRED), "edges")
    _check_rows(inter, list(INTERACTION_REQUIRED), "interactions")

    labels = list(dict.fromkeys(schema.labels))
    node_q: dict[Any, str] = {}
    node_label: dict[Any, str] = {}
    label_of: dict[Any, str] = {}
    create_only: dict[str, tuple[str, str]] = {}
    for t in pd.unique(nodes["type"]):
        label = label_of[t] = schema.label_for(t)  # SchemaError for anything not allow-listed
        node_q[t] = node_query(label, [lb for lb in labels if lb != label])
        node_label[t] = f"{label}|{'|'.join(sorted(labels))}"
    rel_of = {t: schema.rel_type(t) for t in pd.unique(edges["type"])}
    edge_q = {t: edge_query(rel) for t, rel in rel_of.items()}
    params = {edge_q[t]: {"type": rel_of[t]} for t in edge_q}

    inter_keys = frame_interaction_keys(inter) if len(inter) else []
    node_types, edge_types = nodes["type"].tolist(), edges["type"].tolist()
    queries = {
        "nodes": [node_q[t] for t in node_types],
        "edges": [edge_q[t] for t in edge_types],
        "interactions": [INTERACTION_QUERY] * len(inter),
    }
    node_cols = [c for c in nodes.columns if c != "id"]
    edge_cols = [c for c in edges.columns if c not in ("source", "target", "type")]
    node_fp = _fingerprints(nodes, node_cols, nodes["type"].map(node_label))
    edge_fp = _fingerprints(edges, edge_cols)
    named, rest = split_columns(node_cols)
    node_create = node_create_query(named, rest=bool(rest), fingerprints=node_fp is not None)
    for t in node_q:
        create_only[node_q[t]] = (node_create, STAKEHOLDER_LABEL)
    named, rest = split_columns(edge_cols)
    edge_create = edge_create_query(named, rest=bool(rest), fingerprints=edge_fp is not None)
    for t, rel in rel_of.items():
        create_only[edge_q[t]] = (edge_create, rel)
    # the computed key wins over a column of that name, as in the comparing query's rows
    inter_cols = [c for c in inter.columns if c not in ("source", "target", "key")]
    named, rest = split_columns(inter_cols)
    create_only[INTERACTION_QUERY] = (
        interaction_create_query(named, rest=bool(rest)),
        "Interaction",
    )
    keys: dict[str, list[Any]] = {
        "nodes": [str(v) for v in nodes["id"].tolist()],
        "edges": [
            (str(a), rel_of[t], str(b))
            for a, t, b in zip(
                edges["source"].tolist(), edge_types, edges["target"].tolist(), strict=True
            )
        ],
        "interactions": inter_keys,
    }
    plan = ImportPlan(
        steps=[],
        total_rows=len(nodes) + len(edges) + len(inter),
        batches={},
        make_rows={
            "nodes": _rows_of(
                nodes,
                ["id"],
                node_cols,
                fingerprints=node_fp,
                tags={"label": [label_of[t] for t in node_types]},
            ),
            "edges": _rows_of(
                edges,
                ["source", "target"],
                edge_cols,
                fingerprints=edge_fp,
                tags={"type": [rel_of[t] for t in edge_types]},
            ),
            "interactions": _rows_of(
                inter,
                ["source", "target"],
                list(inter.columns.drop(["source", "target"])),
                lambda pos: {"key": inter_keys[pos]},
            ),
        },
        make_columns={
            "nodes": _columns_of(
                nodes,
                {"id": keys["nodes"], "label": [label_of[t] for t in node_types]},
                node_cols,
                node_fp,
            ),
            "edges": _columns_of(
                edges,
                {
                    "source": [a for a, _, _ in keys["edges"]],
                    "target": [b for _, _, b in keys["edges"]],
                    "type": [t for _, t, _ in keys["edges"]],
                },
                edge_cols,
                edge_fp,
            ),
            "interactions": _columns_of(
                inter,
                {
                    "source": [str(v) for v in inter["source"].tolist()],
                    "target": [str(v) for v in inter["target"].tolist()],
                    "key": inter_keys,
                },
                inter_cols,
                None,
            ),
        },
        params=params,
        queries=queries,
        create_only=create_only,
        keys=keys,
        fingerprints={"nodes": node_fp, "edges": edge_fp},
        batch_size=batch_size,
        keep=(set(keys["nodes"]), set(keys["edges"]), set(keys["interactions"])),
    )
    plan.skip({})
    return plan
