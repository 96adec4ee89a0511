"""Imports in the history: the undo journal of a committed import is kept as its trail.

An import already writes, batch by batch, what it takes to undo it (:mod:`graphcap.store.journal`):
a copy of every stakeholder or relationship it *changes* and of everything a replace *deletes*
(one node per item), and the keys of what it *creates* (one node per batch, a list of keys).
Until now the commit point deleted that journal. Now, when an import changed something, the
commit point draws the next number and time of the audit trail (the counter of
:func:`graphcap.store.audit.begin`: imports and edits exclude each other, so the order of the
numbers is the order of the commits) into ``(:GraphcapImportRun {id, seq, at})``, in the same
transaction as the state ``committed``, and the journal is relabelled, in batches,
``(:GraphcapImportTrail)`` instead of deleted. Nothing is written per item that the journal
did not already hold: a re-import that changes nothing keeps nothing, and the create-only
import into an empty graph keeps one list of keys per batch.

What the trail says, per item (:func:`first_after`): the state *before* that import -- the copy
for a changed or deleted item, ``None`` (did not exist) for a created one. With the events of
the edits that is enough to rebuild any item at any time (:mod:`graphcap.store.asof`): its
state at ``T`` is the ``before`` of its first change after ``T``, edit or import.

A failed or interrupted import is rolled back from the journal, which it still is: it leaves no
run and no trail. A crash between the commit point and the end of the relabelling is finished
by the next import's recovery (:func:`keep`, called for a committed import's leftover journal).

Data imported by a graphcap that did not keep the trail: the first import that keeps it records
the last such commit time as ``untracked_until`` on ``(:GraphcapMeta {key:'import'})``; a past
state before it stays refused (:func:`history_bound`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

from graphcap.store.audit import NEXT_SEQ, native, relationship_key
from graphcap.store.targets import state_of

__all__ = [
    "KEEP",
    "SCHEMA",
    "TRAIL_LABELS",
    "first_after",
    "history_bound",
    "item_changes",
    "keep",
    "record_commit",
]

Write = Callable[[Callable[[Any], Any]], Any]

#: Labels of the kept trail (cleared with the graph by ``Neo4jStore.clear``).
TRAIL_LABELS = ("GraphcapImportRun", "GraphcapImportTrail")

SCHEMA = (
    "CREATE CONSTRAINT graphcap_import_run IF NOT EXISTS FOR (r:GraphcapImportRun) "
    "REQUIRE r.id IS UNIQUE",
    "CREATE INDEX graphcap_import_run_at IF NOT EXISTS FOR (r:GraphcapImportRun) ON (r.at)",
    "CREATE INDEX graphcap_import_trail IF NOT EXISTS FOR (u:GraphcapImportTrail) "
    "ON (u.__gc_import)",
)

#: Keep the journal of a committed import as its trail (``bench/bench_import_history.py``
#: turns it off to measure both in one run; off, a past state before an import is wrong).
KEEP = True

_JOURNAL_KEYS = frozenset(
    ("__gc_import", "__gc_kind", "__gc_id", "__gc_labels", "__gc_src", "__gc_tgt", "__gc_type")
)


def record_commit(tx: Any, import_id: str, *, changed: bool) -> None:
    """In the import's commit-point transaction (before its ``committed_at`` is set): mark the
    import state as keeping the trail, remembering when data were last imported without it,
    and -- when the import changed something -- write its run with the next trail number."""
    tx.run(
        "MATCH (s:GraphcapMeta {key: 'import', id: $id}) "
        "SET s.untracked_until = CASE WHEN s.tracked THEN s.untracked_until "
        "ELSE coalesce(s.committed_at, s.finished_at) END, s.tracked = true",
        id=import_id,
    ).consume()
    if changed and KEEP:
        tx.run(
            NEXT_SEQ + "CREATE (:GraphcapImportRun {id: $id, seq: c.seq, at: c.at})",
            id=import_id,
        ).consume()


def keep(write: Write, import_id: str) -> None:
    """After the commit point: relabel the journal of ``import_id`` as its trail if the import
    has a run (it changed something), else delete it. Idempotent (batches of 10,000)."""
    has_run = write(
        lambda tx: tx.run(
            "OPTIONAL MATCH (r:GraphcapImportRun {id: $id}) RETURN r IS NOT NULL AS kept",
            id=import_id,
        ).single()["kept"]
    )
    action = "REMOVE u:GraphcapUndo SET u:GraphcapImportTrail" if has_run else "DELETE u"
    while write(
        lambda tx: tx.run(
            f"MATCH (u:GraphcapUndo {{__gc_import: $id}}) WITH u LIMIT 10000 {action} "
            "RETURN count(*) AS done",
            id=import_id,
        ).single()["done"]
    ):
        pass


def history_bound(tx: Any) -> datetime | None:
    """The earliest time from which the history rebuilds the graph: the last commit of an
    import that kept no trail (``None``: every import kept it, or none happened)."""
    rec = tx.run(
        "MATCH (s:GraphcapMeta {key: 'import'}) RETURN s.tracked AS tracked, "
        "s.untracked_until AS until, coalesce(s.committed_at, s.finished_at, s.started_at) AS at"
    ).single()
    if rec is None:
        return None
    at = rec["until"] if rec["tracked"] else rec["at"]
    return native(at) if at is not None else None


def _state(props: Mapping[str, Any]) -> dict[str, Any]:
    return state_of({k: v for k, v in props.items() if k not in _JOURNAL_KEYS})


def item_changes(props: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any] | None]]:
    """``(kind, key, before)`` of every item one trail node covers (``before`` None: the import
    created it)."""
    kind = props["__gc_kind"]
    if kind in ("node", "deleted_node"):
        yield "stakeholder", str(props["__gc_id"]), _state(props)
    elif kind in ("edge", "deleted_edge"):
        key = relationship_key(props["__gc_src"], props["__gc_type"], props["__gc_tgt"])
        yield "relationship", key, _state(props)
    elif kind == "deleted_interaction":
        state = _state(props)
        state.update(source=props.get("__gc_src"), target=props.get("__gc_tgt"))
        yield "interaction", str(props["key"]), state
    elif kind == "created_nodes":
        for sid in props.get("__gc_ids") or []:
            yield "stakeholder", str(sid), None
    elif kind == "created_edges":
        t = props["__gc_type"]
        for s, b in zip(props.get("__gc_src") or [], props.get("__gc_tgt") or [], strict=True):
            yield "relationship", relationship_key(s, t, b), None
    elif kind == "created_interactions":
        for key in props.get("__gc_ids") or []:
            yield "interaction", str(key), None


def first_after(tx: Any, at: datetime) -> dict[tuple[str, str], tuple[int, dict[str, Any] | None]]:
    """Every item an import committed after ``at`` changed, created or deleted:
    ``{(kind, key): (seq, before)}`` for its first such import."""
    out: dict[tuple[str, str], tuple[int, dict[str, Any] | None]] = {}
    for r in tx.run(
        "MATCH (r:GraphcapImportRun) WHERE r.at > $at "
        "MATCH (u:GraphcapImportTrail {__gc_import: r.id}) RETURN r.seq AS seq, properties(u) AS u",
        at=at,
    ):
        seq = int(r["seq"])
        for kind, key, before in item_changes(r["u"]):
            if (kind, key) not in out or out[kind, key][0] > seq:
                out[kind, key] = (seq, before)
    return out


def runs_of(tx: Any, kind: str, key: str) -> list[dict[str, Any]]:
    """The imports that changed one item, oldest first, as events of the action ``import``
    (``before`` as recorded; ``after`` is filled in by the caller from what followed)."""
    if kind == "relationship":
        s, t, b = json.loads(key)
        where = (
            "(u.__gc_kind IN ['edge', 'deleted_edge'] AND u.__gc_src = $s AND u.__gc_tgt = $b "
            "AND u.__gc_type = $t) OR (u.__gc_kind = 'created_edges' AND u.__gc_type = $t "
            "AND any(k IN range(0, size(u.__gc_src) - 1) WHERE u.__gc_src[k] = $s "
            "AND u.__gc_tgt[k] = $b))"
        )
        params: dict[str, Any] = {"s": s, "t": t, "b": b}
    elif kind == "stakeholder":
        where = (
            "(u.__gc_kind IN ['node', 'deleted_node'] AND u.__gc_id = $k) OR "
            "(u.__gc_kind = 'created_nodes' AND $k IN u.__gc_ids)"
        )
        params = {"k": key}
    else:
        where = (
            "(u.__gc_kind = 'deleted_interaction' AND u.key = $k) OR "
            "(u.__gc_kind = 'created_interactions' AND $k IN u.__gc_ids)"
        )
        params = {"k": key}
    events = []
    for r in tx.run(
        f"MATCH (u:GraphcapImportTrail) WHERE {where} "
        "MATCH (r:GraphcapImportRun {id: u.__gc_import}) "
        "RETURN r.id AS id, r.seq AS seq, r.at AS at, properties(u) AS u ORDER BY seq",
        params,
    ):
        for k, item, before in item_changes(r["u"]):
            if (k, item) == (kind, key):
                events.append(
                    {
                        "id": r["id"],
                        "seq": int(r["seq"]),
                        "at": native(r["at"]),
                        "who": "import",
                        "action": "import",
                        "kind": kind,
                        "key": key,
                        "before": before,
                    }
                )
    return events
