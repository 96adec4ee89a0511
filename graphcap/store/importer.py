"""The all-or-nothing, idempotent import of a :class:`~graphcap.model.Network` into Neo4j.

What a user gets
----------------
- **All or nothing.** If any batch fails -- a value Neo4j refuses, a relationship whose end is
  missing, the server going away -- the import is undone and the graph is exactly as it was
  before (every property and type label); the error (:class:`~graphcap.errors.ImportFailed`)
  names the frame, the batch and its rows. If the process or the server is killed mid-import,
  the next import (or ``graphcap info --recover``) first undoes the interrupted one, so running
  the same import again yields exactly a clean import, nothing duplicated.
- **Idempotent.** Nodes are keyed by ``Stakeholder.id``, relationships by (source, type,
  target), interactions by a content key (:func:`graphcap.store.properties.frame_interaction_keys`).
  Each row is looked up first: a missing one is created, a different one updated, an equal one
  not written at all and counted as *unchanged*, so re-importing the same data changes nothing
  and says so. Rows the graph already holds unchanged are not even sent: every stakeholder and
  relationship written carries the fingerprint of its row (``__gc_row``,
  :func:`graphcap.store.properties.row_fingerprints`), an interaction's key is a hash of its
  values, and the importer reads them once and leaves out the rows that match (edits remove
  the fingerprint; frames with ``m_`` columns are always compared). ``compare_all=True``
  (``graphcap import --compare-all``) sends every row for Neo4j to compare, as before; it also
  repairs values changed by raw Cypher outside graphcap, which keeps the fingerprint. (Keys are unique within an import -- checked -- and two imports never run at
  once -- the import lock -- so a looked-up-missing row can be ``CREATE``-d, cheaper than
  ``MERGE``. Into a graph holding no stakeholder, resp. no relationship of a type, the rows
  cannot match anything, so a create-only variant of the query is sent: no lookup of an old
  entity, no comparison, no journal copy; :func:`create_only_queries`. The variant is one text
  per kind, the label or relationship type travelling with each row as a value, so such a batch
  is one query whatever its types.)
- **Upsert.** Stakeholders, relationships and interactions absent from the network are left
  alone; a property missing in a row (NaN/None) is removed from the stored entity; properties
  outside the frame's columns (``m_`` metrics) are kept.

Design: committed batches with an undo journal
-----------------------------------------------
One transaction for the whole import was the first design and is measured not to fit: Neo4j holds
a transaction's changes on the heap until commit, and 100k stakeholders + 500k relationships
exceed the 1.4 GB transaction limit of a 2 GB heap at commit (``dbms.memory.transaction.total.max
threshold reached``). Staging + swap has the same problem in the swap. So every batch commits on
its own (``execute_write``: transient failures retried) and records, in the same transaction, how
to undo itself (:mod:`graphcap.store.journal`): a copy of each entity it changes and the keys of
each it creates. Success ends in one small commit-point transaction; failure replays the journal
backwards. Unchanged rows write nothing, so a re-import costs reads only.

Query text
----------
Labels and relationship types enter query text only through :meth:`Schema.label_for` and
:meth:`Schema.rel_type` (allow-list + identifier check), all checked before the first query is
built; rows are grouped by type within a batch, one query text per allow-listed type. The
create-only variants take the label / relationship type from the row instead (``$($label[i])``,
a value from the same two methods), get their rows as parallel lists (one per column) and write
the properties as keys of the CREATE pattern -- stakeholders, relationships and interactions
alike; a column's name enters their text only when it is a plain identifier
(:func:`~graphcap.store.import_queries.split_columns`, in backticks), any other column's values
travel as a map per row. Everything else -- ids, names, property values, the import id -- is a
``$parameter``.

Order: stakeholders first; relationships and interactions, which need only their stakeholders,
then share the writers (:data:`_PHASES`).
"""

from __future__ import annotations

import queue
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from graphcap.errors import ImportFailed
from graphcap.i18n import gettext
from graphcap.model import (
    EDGE_REQUIRED,
    INDEXED_COLUMNS,
    INTERACTION_REQUIRED,
    MAX_INDEXED_BYTES,
    STAKEHOLDER_LABEL,
    Network,
    Schema,
    text_problem,
)
from graphcap.store import journal
from graphcap.store.import_queries import (
    INTERACTION_QUERY,
    MISSING_ENDS,
    edge_create_query,
    edge_query,
    interaction_create_query,
    node_create_query,
    node_query,
    split_columns,
)
from graphcap.store.properties import (
    ROW_KEY,
    frame_interaction_keys,
    row_fingerprints,
    to_columns,
    to_rows,
)
from graphcap.store.replace import ExistingKeys, read_keys, remove_rest

__all__ = ["ImportPlan", "ImportSummary", "Progress", "plan_import", "run_import"]

Progress = Callable[[int, int], None]

_STATUSES = ("created", "updated", "unchanged", "rejected", "removed")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    removed: int = 0  # by a replace

    def add(self, status: str, n: int) -> None:
        setattr(self, status, getattr(self, status) + int(n))

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.removed


@dataclass
class ImportSummary:
    """What an import did: per kind, how many were created, updated, unchanged, rejected."""

    nodes: Counts = field(default_factory=Counts)
    edges: Counts = field(default_factory=Counts)
    interactions: Counts = field(default_factory=Counts)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(c.changed for c in (self.nodes, self.edges, self.interactions))

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            kind: {s: getattr(getattr(self, kind), s) for s in _STATUSES}
            for kind in ("nodes", "edges", "interactions")
        }
        out["seconds"] = round(self.seconds, 3)
        return out

    def __str__(self) -> str:
        parts = []
        for kind in ("nodes", "edges", "interactions"):
            c: Counts = getattr(self, kind)
            parts.append(
                f"{kind}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
                + (f", {c.rejected} rejected" if c.rejected else "")
            )
        return "; ".join(parts) + f" ({self.seconds:.1f} s)"


# -- the plan: validated, typed rows in batches; built before any query exists ------------------


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


def run_import(
    session: Any,
    plan: ImportPlan,
    labels: Sequence[str],
    *,
    on_missing: str,
    progress: Progress | None,
    lock_session: Any,
    rel_types: Sequence[str] = (),
    replace: bool = False,
    compare_all: bool = False,
    writers: Sequence[Any] = (),
) -> ImportSummary:
    """Run ``plan`` batch by batch, all-or-nothing through the undo journal.

    ``session`` runs the batches (each in ``execute_write``), together with the further
    sessions ``writers`` (batches of one kind run in parallel, one per session, see
    :data:`WRITERS`); ``lock_session`` holds the import lock for the whole run. An interrupted earlier import is rolled back first. Unless
    ``compare_all``, the rows the graph already holds unchanged (same stored fingerprint, see
    :func:`unchanged_rows`) are counted and not sent. Raises :class:`ImportFailed` naming the
    batch and rows after rolling this import back.
    ``replace``: then delete, journaled, whatever the plan does not hold
    (:mod:`graphcap.store.replace`); counted as *removed*.
    """
    from neo4j.exceptions import Neo4jError

    def write(work: Callable[[Any], Any]) -> Any:
        return session.execute_write(work)

    lock_tx = journal.lock(lock_session)
    try:
        started = time.perf_counter()
        journal.recover(write, labels, rel_types)
        summary = ImportSummary()
        if CREATE_WHEN_EMPTY:
            plan.sent = session.execute_read(lambda tx: create_only_queries(tx, plan))
        if not compare_all:
            # a kind sent only create-only has nothing stored to look up
            fresh = {k for k, qs in plan.queries.items() if set(qs) <= plan.sent.keys()}
            skipped = plan.skip(
                session.execute_read(lambda tx: unchanged_rows(tx, plan, leave_out=fresh))
            )
            for kind, n in skipped.items():
                getattr(summary, kind).add("unchanged", n)
        import_id = str(uuid.uuid4())
        journal.begin(write, import_id)
        try:
            _run_steps(
                [session, *writers],
                plan,
                import_id,
                summary,
                on_missing=on_missing,
                progress=progress,
            )
            if replace:
                existing = read_keys(session.execute_read, rel_types)
                removed = remove_rest(
                    write, import_id, existing, plan.keep, batch_size=plan.batch_size
                )
                for kind, n in removed.items():
                    getattr(summary, kind).add("removed", n)
        except BaseException as exc:
            try:
                journal.rollback(write, import_id, labels, rel_types)
            except Exception as undo_exc:  # the server went away: the next import recovers
                raise ImportFailed(
                    gettext(
                        "{exc}; undoing the import was interrupted too ({undo_exc}): the next import (or `graphcap info --recover`) finishes the undo"
                    ).format(exc=exc, undo_exc=undo_exc)
                ) from exc
            if isinstance(exc, Neo4jError):
                hint = (
                    gettext(
                        " (a stakeholder to remove still has relationships graphcap does not "
                        "import, e.g. assessments or audit events)"
                    )
                    if "still has relationships" in str(exc)
                    else ""
                )
                raise ImportFailed(
                    gettext(
                        "the import failed: {exc}{hint}; it was rolled back, the graph is as it was before"
                    ).format(exc=exc, hint=hint)
                ) from exc
            raise
        journal.finish(write, import_id, changed=summary.changed)
        summary.seconds = time.perf_counter() - started
        return summary
    finally:
        lock_tx.close()


#: Send the create-only variant of a query when the graph holds nothing its rows could match
#: (``bench/bench_import.py`` turns it off to measure both in one run).
CREATE_WHEN_EMPTY = True


_NODE_LABELS = (STAKEHOLDER_LABEL, "Interaction")


def create_only_queries(tx: Any, plan: ImportPlan) -> dict[str, str]:
    """The queries of ``plan`` that may be replaced by their create-only variant: the stakeholder
    queries when the graph holds no stakeholder, a relationship type's query when the graph
    holds no relationship of that type, the interaction query when it holds no interaction
    (Neo4j's count store: constant time). Run under the
    import lock, after recovery: no other import can add what the check found absent, and a
    stakeholder created meanwhile by an edit makes the CREATE fail on the id constraint (the
    import is then undone), never a duplicate."""
    absent: dict[str, bool] = {}
    for what in {w for _, w in plan.create_only.values()}:
        pattern = f"(n:{what})" if what in _NODE_LABELS else f"()-[n:{what}]->()"
        absent[what] = tx.run(f"MATCH {pattern} RETURN count(n) = 0 AS none").single()["none"]
    return {q: alt for q, (alt, what) in plan.create_only.items() if absent[what]}


# Looked up by the plan's keys, a batch at a time; each answer is one record of parallel lists
# (the driver's cost is per record, so 10,000 keys come back in one instead of 10,000).
_STORED = {
    "nodes": (
        f"UNWIND $keys AS k MATCH (n:{STAKEHOLDER_LABEL} {{id: k}}) WHERE n.{ROW_KEY} IS NOT NULL "
        f"RETURN collect(k) AS k, collect(n.{ROW_KEY}) AS f"
    ),
    "edges": (  # {type}: one allow-listed relationship type of the import (not FROM/TO)
        f"UNWIND $keys AS k MATCH (a:{STAKEHOLDER_LABEL} {{id: k[0]}})-[r:{{type}}]->"
        f"(b:{STAKEHOLDER_LABEL} {{id: k[2]}}) WHERE r.{ROW_KEY} IS NOT NULL "
        f"RETURN collect(k) AS k, collect(r.{ROW_KEY}) AS f"
    ),
    # an interaction is never updated: its key is a hash of its values, so a stored key with
    # both ends in place is an unchanged row
    "interactions": (
        "UNWIND $keys AS k MATCH (i:Interaction {key: k}) "
        f"WHERE EXISTS {{ (i)-[:FROM]->(:{STAKEHOLDER_LABEL}) }} "
        f"AND EXISTS {{ (i)-[:TO]->(:{STAKEHOLDER_LABEL}) }} RETURN collect(k) AS k"
    ),
}
_LOOKUP_BATCH = 10_000


def unchanged_rows(
    tx: Any, plan: ImportPlan, *, leave_out: set[str] | frozenset[str] = frozenset()
) -> dict[str, np.ndarray]:
    """Which rows of ``plan`` the graph already holds unchanged: per kind a boolean mask, true
    where the stored entity with the row's key carries the row's fingerprint
    (:data:`~graphcap.store.properties.ROW_KEY`, written with every created or updated row and
    removed by every edit) -- so the server's comparison would say *unchanged* too.

    The plan's keys are looked up in batches (index seeks): the work and memory grow with the
    import, not with the graph. Kinds in ``leave_out`` (nothing of them stored) are not
    looked up: no row of them is unchanged."""
    masks: dict[str, np.ndarray] = {}
    for kind, query in _STORED.items():
        keys = plan.keys.get(kind) or []
        fps = plan.fingerprints.get(kind)
        if not keys or kind in leave_out or (kind != "interactions" and fps is None):
            continue
        groups: dict[str, list[Any]] = {}
        if kind == "edges":
            for key in keys:
                groups.setdefault(query.replace("{type}", key[1]), []).append(list(key))
        else:
            groups[query] = list(keys)
        where = {k: i for i, k in enumerate(keys)}
        mask = np.zeros(len(keys), dtype=bool)
        for q, part in groups.items():
            for start in range(0, len(part), _LOOKUP_BATCH):
                rec = tx.run(q, keys=part[start : start + _LOOKUP_BATCH]).single()
                found = [where[tuple(k) if isinstance(k, list) else k] for k in rec["k"]]
                if fps is None:
                    mask[found] = True
                else:
                    mask[found] = np.asarray(rec["f"], dtype=np.int64) == fps[found]
        masks[kind] = mask
    return masks


#: Batch transactions in flight at once (one session each). Batches of one kind are independent
#: (keys are unique within an import), so two of them can run on the server while the client
#: builds and sends the next: the import is not held up by one round trip, one commit, one
#: server thread at a time. Each still journals itself, so all-or-nothing is unchanged.
WRITERS = 2


#: What runs after what: relationships and interactions need their stakeholders committed, but
#: not each other, so their batches share the writers (a kind with fewer batches than writers, or
#: a short last batch, leaves none idle while the other kind has work).
_PHASES = (("nodes",), ("edges", "interactions"))


def _run_steps(
    sessions: Sequence[Any],
    plan: ImportPlan,
    import_id: str,
    summary: ImportSummary,
    *,
    on_missing: str,
    progress: Progress | None,
) -> None:
    """Run the plan's batches, up to ``len(sessions)`` at once within a phase (:data:`_PHASES`:
    stakeholders first, then relationships and interactions together). The first failing batch in plan
    order is raised, after every batch still running has ended (so a rollback afterwards sees
    everything that committed)."""
    done = plan.total_rows - sum(step.size for step in plan.steps)  # skipped as unchanged
    if progress:
        progress(done, plan.total_rows)

    def prepare(step: Step) -> list[tuple[str, dict[str, Any], list[int]]]:
        # the types sent create-only share one text (the type travels with the row): one query,
        # its rows as parallel lists where the kind has a builder for them (plan.make_columns)
        merged: dict[str, list[int]] = {}
        params: dict[str, dict[str, Any]] = {}
        variants: set[str] = set()
        for query, positions in step.groups.items():
            sent = plan.sent.get(query, query)
            merged.setdefault(sent, []).extend(positions)
            params[sent] = plan.params.get(query, {}) if sent == query else {}
            if sent != query:
                variants.add(sent)
        out = []
        columns = plan.make_columns.get(step.kind)
        for sent, positions in merged.items():
            if sent in variants and columns is not None:
                data = columns(positions)
            else:
                data = {"rows": plan.make_rows[step.kind](positions)}
            out.append((sent, {**data, "import": import_id, **params[sent]}, positions))
        return out

    free: queue.SimpleQueue[Any] = queue.SimpleQueue()
    for session in sessions:
        free.put(session)

    def task(step: Step) -> list[Any]:
        prepared = prepare(step)  # built in the worker: rows of at most len(sessions) batches
        session = free.get()
        try:
            return _run_step(session.execute_write, plan, step, prepared, on_missing=on_missing)
        finally:
            free.put(session)

    phases = [[step for step in plan.steps if step.kind in phase] for phase in _PHASES]
    with ThreadPoolExecutor(max_workers=max(1, len(sessions))) as pool:
        for steps in phases:
            futures = [pool.submit(task, step) for step in steps]
            try:
                for step, future in zip(steps, futures, strict=True):
                    _count(summary, step, future.result())
                    done += step.size
                    if progress:
                        progress(done, plan.total_rows)
            except BaseException:
                for future in futures:
                    future.cancel()
                wait(futures)  # what is still running ends (commits or not) before the undo
                raise


def _count(summary: ImportSummary, step: Step, records: list[Any]) -> None:
    """The one place where a committed batch's created/updated/unchanged/rejected rows are known."""
    counts: Counts = getattr(summary, step.kind)
    for rec in records:
        for status in _STATUSES[:4]:
            counts.add(status, rec[status])


def _run_step(
    write: Callable[[Callable[[Any], Any]], Any],
    plan: ImportPlan,
    step: Step,
    prepared: list[tuple[str, dict[str, Any], list[int]]],
    *,
    on_missing: str,
) -> list[Any]:
    """One batch = one transaction (one query per type in it) = one commit."""
    from neo4j.exceptions import Neo4jError

    def work(tx: Any) -> list[Any]:
        records = []
        for query, params, positions in prepared:
            rec = tx.run(query, params).single()
            if rec["rejected"] and on_missing == "fail":
                bad = rec["bad"]
                if not bad and "source" in params:  # a create-only batch: which rows, asked now
                    found = tx.run(MISSING_ENDS, params).single()["bad"]
                    bad = [positions[i] + 1 for i in found]
                raise ImportFailed(
                    gettext(
                        "{kind} batch {batch} of {batches} (rows {first}-{last}): {rejected} row(s) refer to a stakeholder id that is neither in the import nor in the graph (e.g. row(s) {map}); the import was rolled back, the graph is as it was before"
                    ).format(
                        **_where(step, plan),
                        rejected=rec["rejected"],
                        map=", ".join(map(str, sorted(bad)[:5])),
                    ),
                    batch=step.batch,
                    rows=(step.first, step.last),
                )
            records.append(rec)
        return records

    try:
        records = write(work)
    except Neo4jError as exc:
        raise _failed(step, plan, exc) from exc
    return records


def _where(step: Step, plan: ImportPlan) -> dict[str, Any]:
    """Which batch of which kind, and its rows: the words every batch failure names."""
    return {
        "kind": step.kind,
        "batch": step.batch,
        "batches": plan.batches[step.kind],
        "first": step.first,
        "last": step.last,
    }


def _failed(step: Step, plan: ImportPlan, exc: Exception) -> ImportFailed:
    message = " ".join((getattr(exc, "message", None) or str(exc)).split())[:300]
    hint = ""
    code = getattr(exc, "code", "") or ""
    if "Memory" in code or "memory" in message.lower():
        hint = gettext(
            " (a batch ran out of memory: give Neo4j more heap, e.g. GRAPHCAP_NEO4J_HEAP=4g)"
        )
    return ImportFailed(
        gettext(
            "{kind} batch {batch} of {batches} (rows {first}-{last}) failed: {message}{hint}; the import was rolled back, the graph is as it was before"
        ).format(**_where(step, plan), message=message, hint=hint),
        batch=step.batch,
        rows=(step.first, step.last),
    )
