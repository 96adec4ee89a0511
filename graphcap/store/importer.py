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
  entity, no comparison, no journal copy; :func:`~graphcap.store.import_lookup.create_only_queries`. The variant is one text
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
from typing import Any

from graphcap.errors import ImportFailed
from graphcap.i18n import gettext
from graphcap.store import journal
from graphcap.store.import_lookup import create_only_queries, unchanged_rows
from graphcap.store.import_plan import ImportPlan, Step
from graphcap.store.import_queries import MISSING_ENDS
from graphcap.store.import_summary import _STATUSES, Counts, ImportSummary
from graphcap.store.replace import read_keys, remove_rest

__all__ = ["Progress", "run_import"]

Progress = Callable[[int, int], None]


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
    :func:`~graphcap.store.import_lookup.unchanged_rows`) are counted and not sent. Raises :class:`ImportFailed` naming the
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
