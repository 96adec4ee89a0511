"""The undo journal that makes a batched import all-or-nothing, and crash recovery.

A large import cannot be one transaction: Neo4j keeps a transaction's changes on the heap until
commit, and 100k stakeholders with 500k relationships need more than the 1.4 GB a 2 GB heap
allows (measured: ``dbms.memory.transaction.total.max threshold reached`` at commit). So every
batch commits on its own, and records in the *same* transaction what it takes to undo it:

- ``(:GraphcapUndo {__gc_import, __gc_kind:'node'|'edge', ...old properties})`` -- a copy of
  every stakeholder or relationship the batch *changed*, taken before the change (with the old
  labels in ``__gc_labels``, the ends and type of a relationship in ``__gc_src/__gc_tgt/__gc_type``);
- ``(:GraphcapUndo {__gc_kind:'created_nodes'|'created_edges'|'created_interactions'})`` --
  the keys of everything the batch *created*;
- ``(:GraphcapUndo {__gc_kind:'deleted_node'|'deleted_edge'|'deleted_interaction'})`` -- a copy
  of everything a replace (:mod:`graphcap.store.replace`) *deleted*, with labels, type and ends.

``(:GraphcapMeta {key:'import'})`` holds the state of the last import (``running``,
``committed``, ``rolled_back``), its id and the data version token before it. Outcomes:

- every batch succeeded: the state becomes ``committed`` in one transaction (the point of no
  return), then the journal becomes the import's trail in the history, or is deleted when the
  import changed nothing (:mod:`graphcap.store.import_history`);
- a batch failed: :func:`rollback` deletes what was created, restores what was changed (all
  properties and type labels, from the copies), deletes the journal and puts the old version
  token back -- the graph is exactly as before;
- the process or the server died: the state is still ``running``; the next import (or
  :func:`recover`) rolls it back first, so running the same import again yields a clean import.

Two imports never run at once: an import holds a write lock on ``(:GraphcapMeta
{key:'import-lock'})`` in an open transaction for its whole duration; the lock dies with the
importing process or the server, so a crashed import never blocks the next one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from graphcap.errors import ImportFailed
from graphcap.i18n import gettext as _
from graphcap.store import import_history

__all__ = ["UNDO_KEYS", "begin", "finish", "lock", "recover", "rollback"]

#: Property keys the journal uses on undo records; import columns may not use them.
UNDO_KEYS = (
    "__gc_import",
    "__gc_kind",
    "__gc_id",
    "__gc_labels",
    "__gc_src",
    "__gc_tgt",
    "__gc_type",
)
_REMOVE_NODE_KEYS = ", ".join(f"n.{k}" for k in UNDO_KEYS)
_REMOVE_REL_KEYS = ", ".join(f"r.{k}" for k in UNDO_KEYS)

Write = Callable[[Callable[[Any], Any]], Any]  # runs a transaction function in execute_write


def lock(session: Any) -> Any:
    """Take the import lock in an open transaction on ``session``; returns the transaction
    (close it to release). :class:`ImportFailed` when another import holds it (seen as an open
    transaction tagged ``graphcap: import-lock``; a second import arriving in the same instant
    waits for the first instead)."""
    from neo4j.exceptions import Neo4jError

    try:
        running = session.run(
            "SHOW TRANSACTIONS YIELD metaData WHERE metaData.graphcap = 'import-lock' "
            "RETURN count(*) AS c"
        ).single()["c"]
    except Neo4jError:  # no right to list transactions: rely on the lock alone
        running = 0
    if running:
        raise ImportFailed(
            _("another import into this database is running; try again when it has finished")
        )
    tx = session.begin_transaction(metadata={"graphcap": "import-lock"})
    tx.run("MERGE (l:GraphcapMeta {key: 'import-lock'}) SET l.locked_at = datetime()").consume()
    return tx


def begin(write: Write, import_id: str) -> None:
    """Mark import ``import_id`` as running and remember the version token before it."""
    write(
        lambda tx: tx.run(
            "OPTIONAL MATCH (v:GraphcapMeta {key: 'version'}) "
            "MERGE (s:GraphcapMeta {key: 'import'}) "
            "SET s.id = $id, s.state = 'running', s.started_at = datetime(), "
            "s.prev_token = v.token, s.prev_changed_at = v.changed_at",
            id=import_id,
        ).consume()
    )


def finish(write: Write, import_id: str, *, changed: bool) -> None:
    """Commit point: state ``committed`` (and a new version token when data changed), then
    the journal is deleted."""
    bump = (
        "MERGE (v:GraphcapMeta {key: 'version'}) SET v.token = randomUUID(), "
        "v.changed_at = datetime(), v.writes = coalesce(v.writes, 0) + 1 "
        if changed
        else ""
    )

    def commit(tx: Any) -> None:
        import_history.record_commit(tx, import_id, changed=changed)  # the import's trail
        tx.run(
            "MATCH (s:GraphcapMeta {key: 'import', id: $id}) SET s.state = 'committed', "
            f"s.finished_at = datetime(), s.committed_at = datetime() WITH s {bump}RETURN 1",
            id=import_id,
        ).consume()

    write(commit)
    import_history.keep(write, import_id)  # the journal becomes the import's trail


def _loop(write: Write, query: str, import_id: str, **params: Any) -> None:
    """Run ``query`` (which handles a chunk and returns ``done``) until nothing is left."""
    while True:
        done = write(lambda tx: tx.run(query, id=import_id, **params).single()["done"])
        if not done:
            return


def _restore_labels(labels: Sequence[str]) -> str:
    """Put back exactly the old type labels (all allow-listed: static text per label)."""
    if not labels:
        return ""
    text = f"REMOVE n:{':'.join(labels)} "
    for lb in labels:
        text += (
            f"FOREACH (_ IN CASE WHEN '{lb}' IN u.__gc_labels THEN [1] ELSE [] END | SET n:{lb}) "
        )
    return text


def _restore_deleted(
    write: Write, import_id: str, labels: Sequence[str], rel_types: Sequence[str]
) -> None:
    """Recreate what a replace deleted: stakeholders (with their type labels), then the
    relationships (one query text per allow-listed type) and interactions between them."""
    chunk = "MATCH (u:GraphcapUndo {__gc_import: $id, __gc_kind: '%s'}) WITH u LIMIT 5000 "
    _loop(
        write,
        chunk % "deleted_node" + "CALL (u) { CREATE (n:Stakeholder) SET n = properties(u) "
        f"REMOVE {_REMOVE_NODE_KEYS} {_restore_labels(labels)}}} "
        "DELETE u RETURN count(*) AS done",
        import_id,
    )
    for rel_type in rel_types:
        query = (
            "MATCH (u:GraphcapUndo {__gc_import: $id, __gc_kind: 'deleted_edge', "
            "__gc_type: $type}) WITH u LIMIT 5000 "
            "CALL (u) { MATCH (a:Stakeholder {id: u.__gc_src}), (b:Stakeholder {id: u.__gc_tgt}) "
            f"CREATE (a)-[r:{rel_type}]->(b) SET r = properties(u) REMOVE {_REMOVE_REL_KEYS} }} "
            "DELETE u RETURN count(*) AS done"
        )
        _loop(write, query, import_id, type=rel_type)
    _loop(
        write,
        chunk % "deleted_interaction" + "CALL (u) { CREATE (i:Interaction) SET i = properties(u) "
        "REMOVE i.__gc_import, i.__gc_kind, i.__gc_src, i.__gc_tgt WITH u, i "
        "OPTIONAL MATCH (a:Stakeholder {id: u.__gc_src}) "
        "OPTIONAL MATCH (b:Stakeholder {id: u.__gc_tgt}) "
        "FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | CREATE (i)-[:FROM]->(a)) "
        "FOREACH (_ IN CASE WHEN b IS NULL THEN [] ELSE [1] END | CREATE (i)-[:TO]->(b)) } "
        "DELETE u RETURN count(*) AS done",
        import_id,
    )


def rollback(
    write: Write, import_id: str, labels: Sequence[str], rel_types: Sequence[str] = ()
) -> None:
    """Undo import ``import_id`` from its journal (idempotent: safe to run again after a crash).
    ``rel_types``: the allow-listed relationship types, to recreate what a replace deleted."""
    one = "MATCH (j:GraphcapUndo {__gc_import: $id, __gc_kind: '%s'}) WITH j LIMIT 1 "
    chunk = "MATCH (u:GraphcapUndo {__gc_import: $id, __gc_kind: '%s'}) WITH u LIMIT 5000 "
    steps = [
        one
        % "created_interactions"
        + "CALL (j) { UNWIND j.__gc_ids AS k MATCH (i:Interaction {key: k}) DETACH DELETE i } "
        "DELETE j RETURN count(*) AS done",
        one % "created_edges" + "CALL (j) { UNWIND range(0, size(j.__gc_src) - 1) AS k "
        "MATCH (:Stakeholder {id: j.__gc_src[k]})-[r]->(:Stakeholder {id: j.__gc_tgt[k]}) "
        "WHERE type(r) = j.__gc_type DELETE r } DELETE j RETURN count(*) AS done",
        chunk
        % "edge"
        + "CALL (u) { MATCH (:Stakeholder {id: u.__gc_src})-[r]->(:Stakeholder {id: u.__gc_tgt}) "
        f"WHERE type(r) = u.__gc_type SET r = properties(u) REMOVE {_REMOVE_REL_KEYS} }} "
        "DELETE u RETURN count(*) AS done",
        one
        % "created_nodes"
        + "CALL (j) { UNWIND j.__gc_ids AS k MATCH (n:Stakeholder {id: k}) DETACH DELETE n } "
        "DELETE j RETURN count(*) AS done",
        chunk % "node" + "CALL (u) { MATCH (n:Stakeholder {id: u.__gc_id}) SET n = properties(u) "
        f"REMOVE {_REMOVE_NODE_KEYS} {_restore_labels(labels)}}} "
        "DELETE u RETURN count(*) AS done",
    ]
    for query in steps:
        _loop(write, query, import_id)
    _restore_deleted(write, import_id, labels, rel_types)
    _drop_journal(write, import_id)
    write(
        lambda tx: tx.run(
            "MATCH (s:GraphcapMeta {key: 'import', id: $id}) SET s.state = 'rolled_back', "
            "s.finished_at = datetime() WITH s "
            "MERGE (v:GraphcapMeta {key: 'version'}) "
            "SET v.token = s.prev_token, v.changed_at = s.prev_changed_at",
            id=import_id,
        ).consume()
    )


def _drop_journal(write: Write, import_id: str) -> None:
    _loop(
        write,
        "MATCH (u:GraphcapUndo {__gc_import: $id}) WITH u LIMIT 10000 DELETE u "
        "RETURN count(*) AS done",
        import_id,
    )


def recover(write: Write, labels: Sequence[str], rel_types: Sequence[str] = ()) -> str | None:
    """Finish what an interrupted import left: roll back one that was ``running``, drop the
    journal of one that ``committed``. Call only while holding the import lock. Returns the
    id of the import rolled back, if any."""
    rec = write(
        lambda tx: tx.run(
            "MATCH (s:GraphcapMeta {key: 'import'}) RETURN s.id AS id, s.state AS state"
        ).single()
    )
    if rec is None:
        return None
    if rec["state"] == "running":
        rollback(write, rec["id"], labels, rel_types)
        return str(rec["id"])
    import_history.keep(write, rec["id"])  # a committed import's journal is its trail
    return None
