"""The one exception tree of graphcap.

Every error graphcap raises on purpose is a :class:`GraphcapError`; pages and the CLI catch this
class and show its message (one line, saying what to do) instead of a traceback::

    GraphcapError
    ├── ConfigError            a setting or the project config is wrong
    ├── SchemaError            a label / relationship type not on the allow-list, or hostile
    ├── LoaderError            a file cannot be read at all (format, encoding, XML tricks)
    │   └── ValidationError    the file was read, its content has problems (``.problems``)
    ├── StoreError             talking to Neo4j failed
    │   ├── ConnectionFailed   not running / unreachable / wrong database
    │   ├── AuthFailed         wrong user or password
    │   ├── ImportFailed       a batch of an import failed; the graph is as before
    │   └── EditRefused        an edit was refused (missing, retired, import running); nothing changed
    │       └── EditConflict   someone else changed the item since it was opened (``.other``)
    ├── ServerError            the local Neo4j could not be built, started or stopped
    ├── QueryError             a Cypher query failed (syntax, types) as Neo4j reports it
    │   ├── QueryRefused       the read-only check refused the query (``.reason``)
    │   ├── MetricsMissing     a library query needs ``graphcap metrics --write`` first
    │   └── QueryLimitHit      time limit or row cap hit (``.limit``)
    ├── MetricError            a metric cannot be computed for this input
    ├── ExportError            an export or snapshot could not be written or read
    └── MissingComponent       an optional part is not there (e.g. Graph Data Science on the server)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphcap.i18n import gettext as _
from graphcap.i18n import ngettext, shown

__all__ = [
    "AuthFailed",
    "ConfigError",
    "ConnectionFailed",
    "EditConflict",
    "EditRefused",
    "ExportError",
    "GraphcapError",
    "ImportFailed",
    "LoaderError",
    "MetricError",
    "MissingComponent",
    "MetricsMissing",
    "Problem",
    "QueryError",
    "QueryLimitHit",
    "QueryRefused",
    "SchemaError",
    "ServerError",
    "StoreError",
    "ValidationError",
]


class GraphcapError(Exception):
    """Base of every error graphcap raises on purpose. ``str(err)`` is meant for the user."""


class ConfigError(GraphcapError):
    """A setting or the project config file is wrong; the message names the setting."""


class SchemaError(GraphcapError):
    """A label or relationship type is not on the allow-list (or is not a safe identifier)."""


class LoaderError(GraphcapError):
    """A source file cannot be read at all. The message names the file."""

    def __init__(self, message: str, *, file: str | None = None) -> None:
        super().__init__(message)
        self.file = file

    def __str__(self) -> str:
        # the message may be a graphcap.i18n.Text: worded in the language of whoever reads it
        return shown(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Problem:
    """One problem found while validating input: where it is and why it is a problem.

    ``row`` is the 1-based line a user sees in a spreadsheet or text editor (the header is row 1
    in CSV and Excel), or the element's position/id in XML formats.
    """

    file: str
    why: str
    row: int | None = None
    column: str | None = None
    value: Any = None
    sheet: str | None = None
    severity: str = "error"  # "error" stops an import; "warning" is reported only

    def __str__(self) -> str:
        """Where and why, in the current language (the reason is worded when shown)."""
        where = [self.file]
        if self.sheet:
            where.append(_("sheet {sheet}").format(sheet=self.sheet))
        if self.row is not None:
            where.append(_("row {row}").format(row=self.row))
        if self.column:
            where.append(_("column {column}").format(column=repr(self.column)))
        text = ", ".join(where) + f": {shown(self.why)}"
        if self.value is not None and self.value != "":
            value = repr(self.value)
            if len(value) > 80:
                value = value[:77] + "..."
            text += " " + _("(value {value})").format(value=value)
        return text

    def shown_dict(self) -> dict[str, Any]:
        """:meth:`as_dict` with the reason worded in the current language (for a table a user
        reads; ``as_dict`` stays the stable English record of JSON, CSV and ``--report``)."""
        return {**self.as_dict(), "why": shown(self.why)}

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else str(self.value),
            "why": self.why,
        }


class ValidationError(LoaderError):
    """The input was read but has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem], *, file: str | None = None) -> None:
        self.problems = list(problems)
        super().__init__(self._message(), file=file)

    def _message(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        head = ngettext(
            "{n} problem(s) in the input; nothing was imported.",
            "{n} problem(s) in the input; nothing was imported.",
            len(errors),
        ).format(n=len(errors))
        shown_ = "\n".join(f"  - {p}" for p in errors[:20])
        more = ""
        if len(errors) > 20:
            more = "\n" + _("  ... and {n} more").format(n=len(errors) - 20)
        return f"{head}\n{shown_}{more}"

    def __str__(self) -> str:
        # worded when shown: the problems may be read in another language than they were found
        return self._message()


class StoreError(GraphcapError):
    """Talking to Neo4j failed. Messages name the URI, never the password."""


class ConnectionFailed(StoreError):
    """Neo4j is not running, not reachable, or the database does not exist."""


class AuthFailed(StoreError):
    """Neo4j refused the user name or password."""


class ImportFailed(StoreError):
    """An import failed part-way; the graph was left exactly as it was before the import."""

    def __init__(
        self, message: str, *, batch: int | None = None, rows: tuple[int, int] | None = None
    ):
        super().__init__(message)
        self.batch = batch
        self.rows = rows


class EditRefused(StoreError):
    """An edit (change, retire, undo, assessment, log entry) was refused; nothing was changed."""


class EditConflict(EditRefused):
    """The item was changed by someone else after it was opened (optimistic concurrency).

    ``other`` is that change (an event as :func:`graphcap.store.audit.history` returns it), or
    ``None`` when an import changed it."""

    def __init__(self, message: str, *, other: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.other = other


class ServerError(GraphcapError):
    """The local Neo4j could not be built, started or stopped (Java, Maven, port, log tail)."""


class QueryError(GraphcapError):
    """A Cypher query failed; the message is Neo4j's, with the position where it has one."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class QueryRefused(QueryError):
    """The read-only console refused the query; ``reason`` says why. ``message`` is the whole
    text in the user's language (``Query refused: <reason>`` when not given: this module
    translates nothing, the raisers do)."""

    def __init__(self, reason: str, *, message: str | None = None) -> None:
        super().__init__(f"Query refused: {reason}" if message is None else message)
        self.reason = reason


class MetricsMissing(QueryError):
    """A library query reads graphcap's written-back metrics (``// needs: metrics``), and the
    database has none, or has them for older data. The message says to run
    ``graphcap metrics --write`` first."""


class QueryLimitHit(QueryError):
    """A query hit a limit. ``limit`` names it: ``"query_timeout_s"``, ``"max_rows"`` or the
    server's ``"db.memory.transaction.max"``."""

    def __init__(self, message: str, *, limit: str) -> None:
        super().__init__(message)
        self.limit = limit


class MetricError(GraphcapError):
    """A metric cannot be computed for this input (the message says what is missing)."""


class ExportError(GraphcapError):
    """An export or snapshot could not be written or read."""


class MissingComponent(GraphcapError):
    """An optional part graphcap needs for this request is not installed or not on the server
    (Graph Data Science for ``metrics.engine = 'gds'``); the message says how to get it or what
    to use instead."""
