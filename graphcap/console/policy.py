"""The read-only policy of the analyst console: what Cypher may run, checked in layers.

Neo4j Community has no read-only roles, and the driver's access mode only routes, so the console
enforces read-only itself, three times over:

0. **Line endings normalised** (:func:`normalise`): ``\\r\\n``, ``\\r``, U+2028, U+2029 and
   U+0085 become ``\\n`` before anything else looks at the text, and the normalised text is what
   Neo4j receives. Neo4j ends a ``//`` comment at ``\\r`` as well as ``\\n``; after this step a
   check and the server cannot disagree about where a comment ends.
1. **Statement check** (:func:`check_statement`, no database needed): exactly one statement; no
   ``EXPLAIN``/``PROFILE``/``CYPHER`` prefix or Browser command (``:param``); no invisible
   control or format character outside strings; no function of a plug-in namespace
   (``apoc.*``, ``gds.*``). It does **not** judge clauses by their keywords: keywords are valid
   names in Cypher (``WITH [1, 2] AS set RETURN set``), so that judgement belongs to the plan.
2. **Plan check** (:mod:`graphcap.console.plan`): Neo4j plans the query (``EXPLAIN``, nothing
   runs); every operator must be on an allow-list of read operators, every procedure call on
   :data:`ALLOWED_PROCEDURES`, every operator on the configured database, and the query type
   ``"r"``. This is what refuses ``LOAD CSV``, ``SHOW TRANSACTIONS``, ``SHOW SETTINGS``,
   ``TERMINATE TRANSACTIONS``, administration and schema commands and writes, however the text
   is written.
3. **Read transaction** (:func:`graphcap.store.readonly.run_read`): the server itself refuses a
   write, stops the query at the time limit, and the console reads at most ``max_rows`` rows
   and ``max_result_bytes`` bytes.

A refused query raises :class:`graphcap.errors.QueryRefused` whose ``reason`` says why and what
to do instead. A library query that reads graphcap's written-back metrics (``// needs: metrics``)
runs only where ``graphcap metrics --write`` stored them for the data as it is now
(:func:`check_needs`, :class:`graphcap.errors.MetricsMissing` otherwise). How results are shown and written (table, CSV, XLSX, JSON, network) is
:mod:`graphcap.console.output`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphcap.config.limits import Limits
from graphcap.console.plan import (
    ALLOWED_PROCEDURES,
    BUILTIN_ROOT_FUNCTIONS,
    PATH_SYNTAX,
    check_plan,
    refused,
)
from graphcap.errors import MetricsMissing
from graphcap.i18n import gettext as _
from graphcap.store import readonly

__all__ = [
    "ALLOWED_PROCEDURES",
    "LINE_BREAKS",
    "Token",
    "check_needs",
    "check_plan",
    "check_statement",
    "normalise",
    "run_library_query",
    "run_query",
    "tokenize",
]

#: Namespaces of built-in Cypher functions (``date.truncate``, ``point.distance`` ...); a
#: namespaced function outside these (``apoc.*``, ``gds.*``) is a plug-in and refused.
BUILTIN_FUNCTION_NAMESPACES: frozenset[str] = frozenset(
    {"date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector", "db"}
)

#: Every character sequence that ends a line (longest first): each becomes ``\\n``.
LINE_BREAKS: tuple[str, ...] = ("\r\n", "\r", "\u2028", "\u2029", "\u0085")


def normalise(text: str) -> str:
    """``text`` with every line break (:data:`LINE_BREAKS`) written as ``\\n``.

    >>> normalise("// c\\rLOAD CSV")
    '// c\\nLOAD CSV'
    """
    for brk in LINE_BREAKS:
        text = text.replace(brk, "\n")
    return text


@dataclass(frozen=True)
class Token:
    """One lexical unit of a Cypher text: ``kind`` is ``word`` (keywords, names; ``text`` upper-
    cased and NFKC-normalised), ``name`` (a backtick name), ``string``, ``number`` or ``punct``;
    ``offset`` is where it starts in the text."""

    kind: str
    text: str
    offset: int
    raw: str = ""


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return _("line {line}, column {column}").format(line=line, column=column)


def _invisible(ch: str) -> bool:
    return ch not in "\t\n\r" and unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cs", "Cn"}


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens as Cypher reads it; comments and whitespace are dropped.

    Raises :class:`QueryRefused` for an invisible control/format character outside a string
    (a keyword could hide behind it). An unterminated string or comment runs to the end of the
    text; Neo4j then reports the syntax error itself.
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif text.startswith("//", i):
            j = i + 2
            while j < n and text[j] not in "\r\n":  # Neo4j ends a line comment at either
                j += 1
            i = j
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif ch in "'\"":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            tokens.append(Token("string", text[i + 1 : j], i))
            i = j + 1
        elif ch == "`":
            j = i + 1
            while j < n:
                if text[j] == "`":
                    if text.startswith("``", j):
                        j += 2
                        continue
                    break
                j += 1
            name = text[i + 1 : j].replace("``", "`")
            tokens.append(Token("name", name, i, name))
            i = j + 1
        elif _invisible(ch):
            raise refused(
                _(
                    "the query contains an invisible character U+{ord:04X} ({name}) at {position}; retype that part"
                ).format(
                    ord=ord(ch), name=unicodedata.name(ch, "unnamed"), position=_position(text, i)
                )
            )
        elif ch.isalnum() or ch == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = unicodedata.normalize("NFKC", text[i:j])
            kind = "number" if word[0].isdigit() else "word"
            tokens.append(Token(kind, word.upper() if kind == "word" else word, i, text[i:j]))
            i = j
        else:
            tokens.append(Token("punct", unicodedata.normalize("NFKC", ch), i))
            i += 1
    return tokens


def _dotted(tokens: list[Token], k: int) -> tuple[str, int]:
    """The dotted name starting at ``k`` (as written) and the index after it."""
    parts = [tokens[k]]
    j = k + 1
    while j + 1 < len(tokens) and tokens[j].text == "." and tokens[j + 1].kind in {"word", "name"}:
        parts.append(tokens[j + 1])
        j += 2
    return ".".join(p.raw or p.text for p in parts), j


def check_statement(cypher: str) -> str:
    """Refuse what the text alone shows must not run; return the text to send to Neo4j: line
    breaks normalised (:func:`normalise`), a trailing ``;`` removed. Raises
    :class:`QueryRefused` with the reason. Whether the statement only reads is decided by the
    plan (:func:`graphcap.console.plan.check_plan`), not here."""
    if not isinstance(cypher, str) or not cypher.strip():
        raise refused(_("the query is empty; write one Cypher statement"))
    cypher = normalise(cypher)
    if cypher.lstrip().startswith(":"):
        raise refused(
            _(
                "Browser commands such as :param or :use are not Cypher; give parameter values in the form (or --param name=value) and write the query itself"
            )
        )
    tokens = tokenize(cypher)
    if not tokens:
        raise refused(_("the query has only comments; write one Cypher statement"))
    semis = [t for t in tokens if t.kind == "punct" and t.text == ";"]
    if semis and (len(semis) > 1 or semis[0] is not tokens[-1]):
        where = _position(cypher, semis[0].offset)
        raise refused(
            _(
                "more than one statement (';' at {where}); the console runs exactly one statement"
            ).format(where=where)
        )
    if semis:
        cypher = cypher[: semis[0].offset]
        tokens = tokens[:-1]
    first = tokens[0].text if tokens[0].kind == "word" else ""
    if first in {"EXPLAIN", "PROFILE"}:
        raise refused(
            _("{first} is added by the console itself; remove it from the query").format(
                first=first
            )
        )
    if first == "CYPHER":
        raise refused(_("CYPHER query options are not allowed in the console; remove them"))
    _check_functions(cypher, tokens)
    return cypher


#: Keywords that may stand right before ``(`` without calling anything (``MATCH (n)``,
#: ``WHERE (a OR b)``, ``CALL (x) {...}``, ``SHORTEST 1 (a)--+(b)``): a word before ``(`` that is
#: neither one of these nor a built-in function (:data:`BUILTIN_ROOT_FUNCTIONS`) is refused.
_BEFORE_PARENTHESIS: frozenset[str] = frozenset(
    """
    MATCH OPTIONAL WHERE AND OR XOR NOT RETURN WITH IN UNWIND CREATE MERGE DELETE DETACH
    NODETACH SET REMOVE CALL UNION DISTINCT CASE WHEN THEN ELSE END ON ORDER BY ASC ASCENDING
    DESC DESCENDING SKIP OFFSET LIMIT AS IS STARTS ENDS CONTAINS YIELD FOREACH USE FROM
    LOAD CSV HEADERS SHORTEST GROUPS GROUP PATHS PATH ANY ALL EXISTS COUNT COLLECT FINISH
    FILTER LET NEXT TRAIL WALK ACYCLIC REPEATABLE ELEMENTS DIFFERENT OF TRANSACTIONS ROWS
    CONCURRENT SHOW TERMINATE NULL TRUE FALSE
    """.split()
)


def _check_functions(cypher: str, tokens: list[Token]) -> None:
    """Refuse calls of functions that are not built in: namespaced ones outside the built-in
    namespaces (the plan then checks the full name), and names without a namespace that are
    not Neo4j's built-ins (a plug-in's, should a server let one register there)."""
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        if tok.kind in {"word", "name"} and not (k > 0 and tokens[k - 1].text in {".", "$", ":"}):
            name, j = _dotted(tokens, k)
            if j < len(tokens) and tokens[j].text == "(":
                before = tokens[k - 1].text if k > 0 else ""
                if "." in name:
                    namespace = name.split(".", 1)[0].lower()
                    if before != "CALL" and namespace not in BUILTIN_FUNCTION_NAMESPACES:
                        raise refused(
                            _(
                                "function {name} is not a built-in Cypher function ({position}); plug-in functions are not allowed"
                            ).format(name=name, position=_position(cypher, tok.offset))
                        )
                elif not _builtin_or_keyword(tok, before):
                    raise refused(
                        _(
                            "function {name} is not a built-in Cypher function ({position}); only Neo4j's own functions are allowed"
                        ).format(name=name, position=_position(cypher, tok.offset))
                    )
            k = j
        else:
            k += 1


def _builtin_or_keyword(tok: Token, before: str) -> bool:
    """Whether a name without a namespace right before ``(`` is a built-in function, call-shaped
    path syntax or a keyword (a backticked name is always a name, never a keyword)."""
    name = (tok.raw or tok.text).lower()
    if name in BUILTIN_ROOT_FUNCTIONS or name in PATH_SYNTAX:
        return True
    return tok.kind == "word" and (tok.text in _BEFORE_PARENTHESIS or before == "CALL")


def run_query(
    store: Any,
    cypher: str,
    params: Mapping[str, Any] | None = None,
    *,
    limits: Limits | None = None,
) -> Any:
    """Check ``cypher`` (statement, then plan) and run it read-only within ``limits``.

    Returns :class:`graphcap.store.readonly.ReadResult`; raises :class:`QueryRefused`,
    :class:`QueryLimitHit` or :class:`QueryError` (Neo4j's message with its position).
    """
    limits = limits or Limits()
    params = dict(params or {})
    for name in params:
        if not (isinstance(name, str) and name.isidentifier()):
            raise refused(_("parameter name {name!r} is not a valid name").format(name=name))
    text = check_statement(cypher)
    plan = readonly.explain(store, text, params)
    check_plan(plan.query_type, plan.steps, database=store.settings.database)
    result = readonly.run_read(
        store,
        text,
        params,
        timeout_s=limits.query_timeout_s,
        max_rows=limits.max_rows,
        max_bytes=limits.max_result_bytes,
    )
    if not result.notifications and plan.notifications:
        result.notifications = plan.notifications
    return result


#: what ``graphcap metrics --write`` must have stored for a ``needs: metrics`` query: node and
#: relationship metrics
NEEDED_METRICS: tuple[frozenset[str], frozenset[str]] = (
    frozenset({"revenue", "spend", "flow", "value_kind", "value"}),
    frozenset({"strength"}),
)


def check_needs(store: Any, query: Any) -> None:
    """Raise :class:`MetricsMissing` when ``query`` (a library query) needs written-back metrics
    and ``store`` has none, lacks some, or has them for other data (an import or edit since).
    """
    if "metrics" not in getattr(query, "needs", ()):
        return
    run = store.metrics_run()
    have = (set(run.get("metrics") or ()), set(run.get("edge_metrics") or ())) if run else None
    if run is None or not (NEEDED_METRICS[0] <= have[0] and NEEDED_METRICS[1] <= have[1]):  # type: ignore[index]
        why = _("this database has no written-back metrics (relationship strength, money by kind)")
    elif run.get("data_version") != store.version():
        why = _("the data changed after the metrics were written")
    else:
        return
    raise MetricsMissing(
        _("The query {name} reads graphcap's metrics, but {why}: run `graphcap metrics --write` "
          "first.").format(name=query.name, why=why)
    )  # fmt: skip


def run_library_query(
    store: Any, query: Any, params: Mapping[str, Any] | None = None, *, limits: Limits | None = None
) -> Any:
    """A library query (:class:`graphcap.console.library.Query`): :func:`check_needs`, then
    :func:`run_query` with ``params`` (already resolved)."""
    check_needs(store, query)
    return run_query(store, query.text, params, limits=limits)
