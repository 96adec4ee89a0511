"""Read-only execution of analyst Cypher: the only Neo4j-facing part of the console.

The policy (what may run at all) lives in :mod:`graphcap.console`; this module does what the
policy needs from the server and nothing else:

- :func:`explain` asks Neo4j for the plan of a query (``EXPLAIN``, nothing is executed) and
  returns its query type (``"r"`` read, ``"rw"``/``"w"`` write, ``"s"`` schema/administration),
  the operators and the server's notifications.
- :func:`run_read` runs a query in a **read transaction** (the server refuses any write in it with
  ``Neo.ClientError.Statement.AccessMode``) with a **server-side time limit** (the transaction's
  timeout: the server terminates it, the client does not merely stop waiting) and fetches at most
  ``max_rows + 1`` records: one more than allowed tells that the result was truncated. The
  transaction is then rolled back, which also stops a query whose remaining rows were not read.

Driver errors become graphcap errors here: a syntax or type error becomes :class:`QueryError`
with Neo4j's own message (position included), a timeout :class:`QueryLimitHit` with
``limit="query_timeout_s"``, a write attempt :class:`QueryRefused`, an unreachable server
:class:`ConnectionFailed`.

Both functions take the store (:class:`graphcap.store.Neo4jStore`) and use only its driver and
database name.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import neo4j
import pandas as pd
from neo4j import READ_ACCESS
from neo4j.graph import Node, Path, Relationship

from graphcap.errors import QueryError, QueryLimitHit, QueryRefused
from graphcap.i18n import gettext
from graphcap.store.connection import translate

__all__ = ["PlanInfo", "PlanStep", "ReadResult", "explain", "run_read", "to_plain", "value_size"]

_TIMEOUT_CODE = "TransactionTimedOut"
_MEMORY_CODE = "MemoryPoolOutOfMemoryError"
_FETCH_SIZE = 200  # records per Bolt batch: the byte cap is checked at most this far behind  # ...TransactionTimedOutClientConfiguration in Neo4j 5


@dataclass(frozen=True)
class PlanStep:
    """One operator of a plan: ``name`` as Neo4j reports it without the database
    (``Expand(All)``), the ``database`` it runs on, and its ``details`` text."""

    name: str
    database: str = ""
    details: str = ""


@dataclass(frozen=True)
class PlanInfo:
    """What Neo4j plans to do with a query, without running it.

    ``query_type``: ``"r"`` (reads only), ``"rw"`` (reads and writes), ``"w"`` (writes only),
    ``"s"`` (schema or administration). ``steps``: every operator of the plan, nested
    subqueries included, root first, with the database it runs on and its details.
    ``notifications``: the server's warnings (unknown label, cartesian product, ...), as text.
    """

    query_type: str
    steps: tuple[PlanStep, ...]
    notifications: tuple[str, ...] = ()
    database: str = ""

    @property
    def operators(self) -> tuple[str, ...]:
        """The operators' names, root first (``Expand(All)``, ``ProcedureCall`` ...)."""
        return tuple(step.name for step in self.steps)


@dataclass
class ReadResult:
    """The result of one read-only query.

    ``rows`` are plain Python values (see :func:`to_plain`), ``frame`` the same as a table;
    ``nodes`` and ``relationships`` are every node and relationship found anywhere in the result
    (also inside paths and lists), ready to draw: ``nodes`` has ``element_id, labels`` and the
    properties, ``relationships`` has ``element_id, type, start, end`` and the properties.
    ``truncated`` is true when the query had more than ``max_rows`` rows or its values more
    than ``max_bytes`` bytes; ``truncated_by`` is then ``"max_rows"`` or ``"max_result_bytes"``.
    """

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    elapsed_s: float
    max_rows: int
    nodes: pd.DataFrame = field(default_factory=pd.DataFrame)
    relationships: pd.DataFrame = field(default_factory=pd.DataFrame)
    notifications: tuple[str, ...] = ()
    truncated_by: str = ""
    max_bytes: int = 0

    @property
    def frame(self) -> pd.DataFrame:
        """The rows as a table, one column per returned column (values kept as objects)."""
        return pd.DataFrame(self.rows, columns=self.columns, dtype=object)


def _session(store: Any, **config: Any) -> Any:
    return store.driver.session(
        database=store.settings.database, default_access_mode=READ_ACCESS, **config
    )


def _notes(summary: Any) -> tuple[str, ...]:
    notes = []
    for n in getattr(summary, "summary_notifications", None) or ():
        where = ""
        pos = getattr(n, "position", None)
        if pos is not None:
            where = f" (line {pos.line}, column {pos.column})"
        notes.append(f"{n.title} {n.description}{where}".strip())
    return tuple(notes)


def _steps(plan: Mapping[str, Any] | None) -> Iterator[PlanStep]:
    if not plan:
        return
    name, _, database = str(plan.get("operatorType", "")).partition("@")
    details = (plan.get("args") or {}).get("Details")
    yield PlanStep(name=name, database=database, details=str(details or ""))
    for child in plan.get("children", ()) or ():
        yield from _steps(child)


def _translate(store: Any, exc: Exception, *, timeout_s: float | None = None) -> Exception:
    """A graphcap error for a driver error (the caller raises it ``from exc``)."""
    code = getattr(exc, "code", None) or ""
    message = getattr(exc, "message", None) or str(exc)
    timed_out = _TIMEOUT_CODE in code or ("Terminated" in code and "timeout" in message.lower())
    if timed_out:
        limit = gettext(" of {seconds} s").format(seconds=f"{timeout_s:g}") if timeout_s else ""
        return QueryLimitHit(
            gettext(
                "The query was stopped by the server at the time limit{limit} (setting query_timeout_s / GRAPHCAP_QUERY_TIMEOUT_S). Narrow the query (add a LIMIT, anchor it on a stakeholder) or raise the limit."
            ).format(limit=limit),
            limit="query_timeout_s",
        )
    if _MEMORY_CODE in code:
        return QueryLimitHit(
            gettext(
                "The server stopped the query: it needed more memory than a transaction may hold ({message}). Narrow the query (add a LIMIT, collect less, anchor it on a stakeholder); the server's limit is db.memory.transaction.max (GRAPHCAP_NEO4J_TX_MEMORY for the local Neo4j)."
            ).format(message=message),
            limit="db.memory.transaction.max",
        )
    if code.endswith("Statement.AccessMode") or "read access mode" in message:
        reason = gettext("the server refused a write in the read-only transaction: {message}")
        reason = reason.format(message=message)
        return QueryRefused(
            reason, message=gettext("Query refused: {reason}").format(reason=reason)
        )
    if isinstance(exc, neo4j.exceptions.ClientError) and not code.startswith(
        ("Neo.ClientError.Security", "Neo.ClientError.Database")
    ):
        return QueryError(message, code=code or None)  # syntax, types, unknown function ...
    return translate(exc, store.settings, doing="running a console query")


_EXPLAIN = "EXPLAIN "
_POSITION_RE = re.compile(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)")


def _without_prefix(message: str, prefix: str) -> str:
    """Neo4j's error message for ``prefix + query`` as if the query had been sent alone: the
    positions and the echoed line with its caret shifted back by the prefix."""
    n = len(prefix)

    def shift(m: re.Match[str]) -> str:
        line, column, offset = (int(g) for g in m.groups())
        column = column - n if line == 1 else column
        return f"(line {line}, column {max(column, 1)} (offset: {max(offset - n, 0)}))"

    lines = _POSITION_RE.sub(shift, message).split("\n")
    for i, line in enumerate(lines):
        if line.startswith('"' + prefix):
            lines[i] = '"' + line[1 + n :]
            if i + 1 < len(lines) and lines[i + 1].strip() == "^":
                lines[i + 1] = lines[i + 1][n:]
    return "\n".join(lines)


def explain(store: Any, cypher: str, params: Mapping[str, Any] | None = None) -> PlanInfo:
    """The plan of ``cypher`` (``EXPLAIN``: nothing runs), in a read session. Errors (syntax,
    types) carry positions within ``cypher`` itself."""
    try:
        with _session(store) as session:
            summary = session.run(_EXPLAIN + cypher, dict(params or {})).consume()
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
        error = _translate(store, exc)
        if type(error) is QueryError:
            error = QueryError(_without_prefix(str(error), _EXPLAIN), code=error.code)
        raise error from exc
    return PlanInfo(
        query_type=str(summary.query_type or ""),
        steps=tuple(_steps(summary.plan)),
        notifications=_notes(summary),
        database=str(getattr(summary, "database", "") or ""),
    )


def run_read(
    store: Any,
    cypher: str,
    params: Mapping[str, Any] | None = None,
    *,
    timeout_s: float,
    max_rows: int,
    max_bytes: int = 64 * 1024 * 1024,
) -> ReadResult:
    """Run ``cypher`` in a read transaction with a server-side time limit, a row cap and a byte
    cap.

    Records are fetched in small batches; reading stops at ``max_rows + 1`` records or when the
    values read so far exceed ``max_bytes`` (:func:`value_size`), and the result is flagged
    ``truncated`` (``truncated_by`` says which cap). This layer does **no** policy check:
    :func:`graphcap.console.run_query` does those first. It still cannot write: the server
    refuses writes in a read transaction.
    """
    if not (timeout_s > 0 and max_rows > 0 and max_bytes > 0):
        raise QueryError(gettext("timeout_s, max_rows and max_bytes must be positive"))
    started = time.perf_counter()
    records: list[Any] = []
    keys: list[str] = []
    notes: tuple[str, ...] = ()
    size = 0
    truncated_by = ""
    try:
        with _session(store, fetch_size=min(max_rows + 1, _FETCH_SIZE)) as session:
            tx = session.begin_transaction(timeout=timeout_s)
            try:
                result = tx.run(cypher, dict(params or {}))
                keys = list(result.keys())
                for record in result:
                    if len(records) == max_rows:
                        truncated_by = "max_rows"
                        break
                    size += value_size(list(record.values()))
                    if size > max_bytes:
                        truncated_by = "max_result_bytes"
                        break
                    records.append(record)
                if not truncated_by:
                    notes = _notes(result.consume())
            finally:
                # Roll back: nothing was written, and a query with unread rows stops here.
                tx.close()
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
        raise _translate(store, exc, timeout_s=timeout_s) from exc
    found_nodes: dict[str, Node] = {}
    found_rels: dict[str, Relationship] = {}
    rows = []
    for record in records:
        values = list(record.values())
        _collect(values, found_nodes, found_rels)
        rows.append([to_plain(v) for v in values])
    return ReadResult(
        columns=keys,
        rows=rows,
        truncated=bool(truncated_by),
        elapsed_s=time.perf_counter() - started,
        max_rows=max_rows,
        truncated_by=truncated_by,
        max_bytes=max_bytes,
        nodes=_node_frame(found_nodes.values()),
        relationships=_rel_frame(found_rels.values()),
        notifications=notes,
    )


def value_size(value: Any) -> int:
    """An estimate of the bytes ``value`` takes in a result (text by its UTF-8 length, numbers
    8, containers their items plus 8 each; nodes and relationships their properties plus 64).
    Used for the result's byte cap, so it errs towards counting more, never less, per item."""
    total = 0
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            total += len(v.encode("utf-8", "surrogatepass")) + 8
        elif isinstance(v, bytes | bytearray):
            total += len(v) + 8
        elif isinstance(v, list | tuple):
            total += 8 * len(v) + 8
            stack.extend(v)
        elif isinstance(v, dict):
            total += 16 * len(v) + 8
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, Node | Relationship):
            total += 64
            stack.extend(v.keys())
            stack.extend(v.values())
            if isinstance(v, Node):
                stack.extend(v.labels)
        elif isinstance(v, Path):
            stack.extend(v.nodes)
            stack.extend(v.relationships)
        else:
            total += 8
    return total


def to_plain(value: Any) -> Any:
    """A Neo4j value as plain Python: temporal values as ``datetime``/``date``; a node as
    ``{"_labels": [...], **properties}``; a relationship as ``{"_type", "_start", "_end",
    **properties}`` (ends by their ``id`` property, else element id); a path as the list of its
    nodes and relationships in order."""
    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **{k: to_plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {
            "_type": value.type,
            "_start": _key(value.start_node),
            "_end": _key(value.end_node),
            **{k: to_plain(v) for k, v in value.items()},
        }
    if isinstance(value, Path):
        out: list[Any] = [to_plain(value.start_node)]
        for rel, node in zip(value.relationships, value.nodes[1:], strict=True):
            out += [to_plain(rel), to_plain(node)]
        return out
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    to_native = getattr(value, "to_native", None)
    if callable(to_native):
        try:
            return to_native()
        except ValueError:  # e.g. a Neo4j date beyond Python's range
            return str(value)
    return value


def _key(node: Node | None) -> str | None:
    if node is None:
        return None
    ident = node.get("id")
    return str(ident) if ident is not None else node.element_id


def _collect(values: Iterable[Any], nodes: dict[str, Node], rels: dict[str, Relationship]) -> None:
    for v in values:
        if isinstance(v, Node):
            nodes.setdefault(v.element_id, v)
        elif isinstance(v, Relationship):
            rels.setdefault(v.element_id, v)
            for end in (v.start_node, v.end_node):
                if end is not None and end.labels:  # ends known only by id are not drawn
                    nodes.setdefault(end.element_id, end)
        elif isinstance(v, Path):
            _collect(v.nodes, nodes, rels)
            _collect(v.relationships, nodes, rels)
        elif isinstance(v, list | tuple):
            _collect(v, nodes, rels)
        elif isinstance(v, dict):
            _collect(v.values(), nodes, rels)


def _node_frame(nodes: Iterable[Node]) -> pd.DataFrame:
    rows = [
        {
            "element_id": n.element_id,
            "labels": sorted(n.labels),
            **{k: to_plain(v) for k, v in n.items()},
        }
        for n in nodes
    ]
    return pd.DataFrame(rows, columns=None if rows else ["element_id", "labels"])


def _rel_frame(rels: Iterable[Relationship]) -> pd.DataFrame:
    rows = []
    for r in rels:
        rows.append(
            {
                "element_id": r.element_id,
                "type": r.type,
                "start": r.start_node.element_id if r.start_node is not None else None,
                "end": r.end_node.element_id if r.end_node is not None else None,
                **{k: to_plain(v) for k, v in r.items()},
            }
        )
    return pd.DataFrame(rows, columns=None if rows else ["element_id", "type", "start", "end"])
