"""The read-only policy of the analyst console: what Cypher may run, checked in layers.

Neo4j Community has no read-only roles, and the driver's access mode only routes, so the console
enforces read-only itself, three times over:

1. **Statement check** (:func:`check_statement`, no database needed). The text is tokenised the
   way Cypher reads it (strings, backtick names and comments are skipped, so a ``;`` or a keyword
   inside them is harmless, and a keyword hidden behind a comment is still seen). Refused:
   more than one statement; ``LOAD CSV`` (reads files and URLs on the server); ``USE`` (switches
   database); administration commands (``SHOW USERS`` ..., ``CREATE/DROP/ALTER USER``,
   ``GRANT/DENY/REVOKE``, ``TERMINATE TRANSACTIONS``, ``START/STOP DATABASE``); ``CALL ... IN
   TRANSACTIONS``; procedures not on :data:`ALLOWED_PROCEDURES`; functions of plug-in namespaces
   (``apoc.*``, ``gds.*``); write clauses (``CREATE``, ``MERGE``, ``SET``, ``DELETE``,
   ``REMOVE``, ``FOREACH`` ...); ``EXPLAIN``/``PROFILE``/``CYPHER`` prefixes and Browser commands
   (``:param``); invisible control or format characters outside strings.
2. **Plan check**: Neo4j plans the query (``EXPLAIN``, nothing runs); only query type ``"r"``
   (read only) is accepted.
3. **Read transaction** (:func:`graphcap.store.readonly.run_read`): the server itself refuses a
   write, stops the query at the time limit and the console reads at most ``max_rows`` rows.

A refused query raises :class:`graphcap.errors.QueryRefused` whose ``reason`` says why and what
to do instead. How results are shown and written (table, CSV, XLSX, JSON, network) is
:mod:`graphcap.console.output`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphcap.config import Limits
from graphcap.errors import QueryRefused
from graphcap.store import readonly

__all__ = [
    "ALLOWED_PROCEDURES",
    "Token",
    "check_plan",
    "check_statement",
    "run_query",
    "tokenize",
]

#: Procedures an analyst may CALL: schema introspection only.
ALLOWED_PROCEDURES: frozenset[str] = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
    }
)

#: Namespaces of built-in Cypher functions (``date.truncate``, ``point.distance`` ...); a
#: namespaced function outside these (``apoc.*``, ``gds.*``) is a plug-in and refused.
BUILTIN_FUNCTION_NAMESPACES: frozenset[str] = frozenset(
    {"date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector", "db"}
)

_WRITE_CLAUSES = {
    "CREATE": "CREATE writes to the graph",
    "MERGE": "MERGE writes to the graph",
    "SET": "SET changes properties or labels",
    "DELETE": "DELETE removes nodes or relationships",
    "DETACH": "DETACH DELETE removes nodes and their relationships",
    "NODETACH": "NODETACH DELETE removes nodes",
    "REMOVE": "REMOVE deletes properties or labels",
    "FOREACH": "FOREACH exists to write in a loop",
    "INSERT": "INSERT writes to the graph",
}
#: Administration verbs -> the words that must follow for it to be a command (None: any).
_ADMIN_WORDS: dict[str, frozenset[str] | None] = {
    "GRANT": None, "DENY": None, "REVOKE": None, "TERMINATE": None, "DRYRUN": None,
    "DEALLOCATE": None, "REALLOCATE": None,
    "START": frozenset({"DATABASE", "SERVER"}),
    "STOP": frozenset({"DATABASE", "SERVER"}),
    "ENABLE": frozenset({"SERVER"}),
    "RENAME": frozenset({"USER", "ROLE", "SERVER"}),
    "ALTER": frozenset({"USER", "ROLE", "DATABASE", "ALIAS", "SERVER", "CURRENT"}),
    "DROP": frozenset({"USER", "ROLE", "DATABASE", "ALIAS", "COMPOSITE", "SERVER", "INDEX",
                       "CONSTRAINT"}),
}  # fmt: skip
_SHOW_ALLOWED = {"INDEX", "INDEXES", "CONSTRAINT", "CONSTRAINTS", "FUNCTION", "FUNCTIONS",
                 "PROCEDURE", "PROCEDURES"}  # fmt: skip
_PLAN_TYPES = {
    "r": "read",
    "rw": "the plan reads and writes the graph",
    "w": "the plan writes to the graph",
    "s": "the plan changes the schema or administers the database",
}


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
    return f"line {line}, column {column}"


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
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
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
            raise QueryRefused(
                f"the query contains an invisible character U+{ord(ch):04X} "
                f"({unicodedata.name(ch, 'unnamed')}) at {_position(text, i)}; retype that part"
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


def _is_keyword(tokens: list[Token], k: int) -> bool:
    """Is the word at ``k`` used as a clause keyword (not a property, label, map key, alias)?"""
    prev = tokens[k - 1] if k > 0 else None
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    if prev is not None and prev.kind == "punct" and prev.text in {".", ":", "$", "|", "&", "!", "%"}:
        return False
    if prev is not None and prev.kind == "word" and prev.text == "AS":
        return False
    if nxt is not None and nxt.kind == "punct" and nxt.text in {":", ".", ")", ",", "=", "]", "}"}:
        return False
    return True


def _dotted(tokens: list[Token], k: int) -> tuple[str, int]:
    """The dotted name starting at ``k`` (as written) and the index after it."""
    parts = [tokens[k]]
    j = k + 1
    while j + 1 < len(tokens) and tokens[j].text == "." and tokens[j + 1].kind in {"word", "name"}:
        parts.append(tokens[j + 1])
        j += 2
    return ".".join(p.raw or p.text for p in parts), j


def check_statement(cypher: str) -> str:
    """Refuse what must never run in the console; return the text to run (a trailing ``;``
    removed). Raises :class:`QueryRefused` with the reason."""
    if not isinstance(cypher, str) or not cypher.strip():
        raise QueryRefused("the query is empty; write one Cypher statement")
    if cypher.lstrip().startswith(":"):
        raise QueryRefused(
            "Browser commands such as :param or :use are not Cypher; give parameter values in "
            "the form (or --param name=value) and write the query itself"
        )
    tokens = tokenize(cypher)
    if not tokens:
        raise QueryRefused("the query has only comments; write one Cypher statement")
    semis = [t for t in tokens if t.kind == "punct" and t.text == ";"]
    if semis and (len(semis) > 1 or semis[0] is not tokens[-1]):
        where = _position(cypher, semis[0].offset)
        raise QueryRefused(
            f"more than one statement (';' at {where}); the console runs exactly one statement"
        )
    if semis:
        cypher = cypher[: semis[0].offset]
        tokens = tokens[:-1]
    first = tokens[0].text if tokens[0].kind == "word" else ""
    if first in {"EXPLAIN", "PROFILE"}:
        raise QueryRefused(f"{first} is added by the console itself; remove it from the query")
    if first == "CYPHER":
        raise QueryRefused("CYPHER query options are not allowed in the console; remove them")
    for k, tok in enumerate(tokens):
        if tok.kind != "word" or not _is_keyword(tokens, k):
            continue
        word = tok.text
        nxt = tokens[k + 1].text if k + 1 < len(tokens) else ""
        where = _position(cypher, tok.offset)
        if word == "LOAD":
            raise QueryRefused(
                f"LOAD CSV reads files and URLs on the server and is not allowed ({where})"
            )
        if word == "USE":
            raise QueryRefused(
                f"USE switches the database and is not allowed ({where}); the console reads "
                "the configured database"
            )
        if word in {"TRANSACTION", "TRANSACTIONS"}:
            raise QueryRefused(
                f"transaction commands (CALL ... IN TRANSACTIONS, SHOW/TERMINATE TRANSACTIONS) "
                f"are not allowed ({where})"
            )
        objects = _ADMIN_WORDS.get(word, frozenset())
        if word in _ADMIN_WORDS and (objects is None or nxt in objects):
            raise QueryRefused(
                f"{word} is an administration command and is not allowed ({where}); the "
                "console only reads the graph"
            )
        if word == "SHOW":
            rest = {t.text for t in tokens[k + 1 : k + 4] if t.kind == "word"}
            if not rest & _SHOW_ALLOWED:
                raise QueryRefused(
                    f"SHOW {nxt} is an administration command and is not allowed ({where}); "
                    "SHOW INDEXES, CONSTRAINTS, FUNCTIONS and PROCEDURES are"
                )
            continue
        if word == "CREATE" and nxt in {"USER", "ROLE", "DATABASE", "ALIAS", "COMPOSITE", "OR",
                                        "INDEX", "CONSTRAINT", "RANGE", "TEXT", "POINT",
                                        "LOOKUP", "FULLTEXT", "VECTOR", "SERVER"}:  # fmt: skip
            raise QueryRefused(
                f"CREATE {nxt} is an administration or schema command and is not allowed "
                f"({where})"
            )
        if word in _WRITE_CLAUSES:
            raise QueryRefused(
                f"{_WRITE_CLAUSES[word]} ({where}); the console is read-only"
            )
        if word == "CALL" and k + 1 < len(tokens) and tokens[k + 1].kind in {"word", "name"}:
            name, _ = _dotted(tokens, k + 1)
            if name not in ALLOWED_PROCEDURES:
                raise QueryRefused(
                    f"procedure {name} is not on the allow-list ({where}); allowed: "
                    + ", ".join(sorted(ALLOWED_PROCEDURES))
                )
    _check_functions(cypher, tokens)
    return cypher


def _check_functions(cypher: str, tokens: list[Token]) -> None:
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        if tok.kind in {"word", "name"} and not (k > 0 and tokens[k - 1].text in {".", "$", ":"}):
            name, j = _dotted(tokens, k)
            if "." in name and j < len(tokens) and tokens[j].text == "(":
                before = tokens[k - 1].text if k > 0 else ""
                namespace = name.split(".", 1)[0].lower()
                if before != "CALL" and namespace not in BUILTIN_FUNCTION_NAMESPACES:
                    raise QueryRefused(
                        f"function {name} is not a built-in Cypher function "
                        f"({_position(cypher, tok.offset)}); plug-in functions are not allowed"
                    )
            k = j
        else:
            k += 1


def check_plan(query_type: str) -> None:
    """Accept only a plan that reads (query type ``"r"``)."""
    if query_type != "r":
        why = _PLAN_TYPES.get(query_type, f"the plan has query type {query_type!r}")
        raise QueryRefused(f"{why}; the console only runs read-only queries")


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
            raise QueryRefused(f"parameter name {name!r} is not a valid name")
    text = check_statement(cypher)
    plan = readonly.explain(store, text, params)
    check_plan(plan.query_type)
    result = readonly.run_read(
        store, text, params, timeout_s=limits.query_timeout_s, max_rows=limits.max_rows
    )
    if not result.notifications and plan.notifications:
        result.notifications = plan.notifications
    return result
