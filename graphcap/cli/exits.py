"""Exit codes of the ``graphcap`` command, one per class of error, in one table.

:func:`exit_code` maps an exception to its code by walking :data:`EXIT_CODES` (most specific
classes first); the command group's help and docs/CLI.md are generated from the same table, so
what a script can rely on is written once::

    0   success
    1   any other graphcap error
    2   usage: unknown option or command, bad option value
    3   validation: the input cannot be read, or has problems (every one listed)
    4   connection/auth: Neo4j not reachable, wrong user or password, local server not running
    5   limits: a query hit its time limit or row cap
    6   refused: the read-only check refused a query
    7   query: a query is wrong (unknown library query, bad parameter, syntax or types)
    8   store: an import or another write failed; the graph is as it was
    9   server: the local Neo4j could not be built, started or stopped
    10  config: a setting or the project config is wrong
    11  metrics/export: a metric, export or snapshot could not be computed, written or read
    12  missing component: an optional part is not there (Graph Data Science on the server)
    13  needs metrics: a library query reads written-back metrics; run `graphcap metrics --write` first
    130 interrupted (Ctrl-C)
"""

from __future__ import annotations

from graphcap.errors import (
    AuthFailed,
    ConfigError,
    ConnectionFailed,
    ExportError,
    GraphcapError,
    LoaderError,
    MetricError,
    MetricsMissing,
    MissingComponent,
    QueryError,
    QueryLimitHit,
    QueryRefused,
    SchemaError,
    ServerError,
    StoreError,
)

__all__ = ["EXIT_CODES", "EXIT_MEANINGS", "EXIT_USAGE", "exit_code"]

EXIT_OK, EXIT_OTHER, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

#: exit code -> what it means (the help text and docs/CLI.md list exactly these).
EXIT_MEANINGS: dict[int, str] = {
    EXIT_OK: "success",
    EXIT_OTHER: "any other graphcap error",
    EXIT_USAGE: "usage: unknown option or command, bad option value",
    3: "validation: the input cannot be read, or has problems (every one listed)",
    4: "connection/auth: Neo4j not reachable, wrong user or password, local server not running",
    5: "limits: a query hit its time limit or row cap",
    6: "refused: the read-only check refused a query",
    7: "query: a query is wrong (unknown library query, bad parameter, syntax or types)",
    8: "store: an import or another write failed; the graph is as it was",
    9: "server: the local Neo4j could not be built, started or stopped",
    10: "config: a setting or the project config is wrong",
    11: "metrics/export: a metric, export or snapshot could not be computed, written or read",
    12: "missing component: an optional part is not there (Graph Data Science on the server)",
    13: "needs metrics: a library query reads written-back metrics; run `graphcap metrics "
    "--write` first",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
}

#: error class -> exit code, most specific classes first (graphcap.errors draws the tree).
EXIT_CODES: tuple[tuple[type[GraphcapError], int], ...] = (
    (MissingComponent, 12),  # before StoreError: GdsUnavailable is both
    (LoaderError, 3),  # ValidationError is a LoaderError
    (SchemaError, 3),
    (AuthFailed, 4),
    (ConnectionFailed, 4),
    (QueryLimitHit, 5),
    (QueryRefused, 6),
    (MetricsMissing, 13),
    (QueryError, 7),
    (StoreError, 8),  # ImportFailed and any other store error
    (ServerError, 9),
    (ConfigError, 10),
    (MetricError, 11),
    (ExportError, 11),
)


def exit_code(exc: BaseException) -> int:
    """The exit code for ``exc`` (1 for a graphcap error not in the table)."""
    for cls, code in EXIT_CODES:
        if isinstance(exc, cls):
            return code
    return EXIT_OTHER
