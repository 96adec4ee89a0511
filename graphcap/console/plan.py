"""The console's decisive check: what Neo4j's own plan says a query will do.

The text of a query can hide what it does (a comment ended by a carriage return, keywords used
as names, list comprehensions inside ``SHOW``); the plan cannot. Neo4j plans the query with
``EXPLAIN`` (nothing runs) and :func:`check_plan` accepts it only when

- every operator of the plan, nested subqueries included, is on :data:`READ_OPERATORS`
  (an **allow-list**: an operator graphcap does not know is refused, never guessed);
- every ``ProcedureCall`` calls a procedure on :data:`ALLOWED_PROCEDURES`;
- every function with a namespace that an operator's details call is on
  :data:`ALLOWED_FUNCTIONS` (plug-in functions such as ``apoc.*`` or ``gds.*``, and
  ``graph.byName`` that reaches other graphs, are refused: the plan shows them however the text
  spelt them, backticks or not; literals are parameters there, so a string never looks like a
  call);
- every operator runs on the configured database (no ``USE`` of another graph);
- the plan's query type is ``"r"`` (read only).

``LoadCSV`` (fetches files and URLs from the server), ``ShowTransactions`` (shows other
sessions' queries and parameters), ``TerminateTransactions``, ``ShowSettings``,
``AdministrationCommand``, schema commands and every write operator are therefore refused, and
Neo4j plans them all as "read" except the writes: the query type alone is not enough.

Why operators rather than keywords: the operators are Neo4j's interpretation of the text after
its own lexer and parser, so there is no second parser in graphcap that could disagree with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from graphcap.errors import QueryRefused
from graphcap.i18n import gettext as _

__all__ = [
    "ALLOWED_FUNCTIONS",
    "BUILTIN_ROOT_FUNCTIONS",
    "PATH_SYNTAX",
    "ALLOWED_PROCEDURES",
    "READ_OPERATORS",
    "PlanStep",
    "check_plan",
    "functions_called",
    "operator_base",
    "refused",
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

#: Functions with a namespace an analyst may call: the built-in ones of Neo4j 5.26 (``SHOW
#: FUNCTIONS``, measured) except ``graph.byName``/``graph.byElementId``, which name other graphs.
#: Compared without case, as Cypher does. Functions without a namespace:
#: :data:`BUILTIN_ROOT_FUNCTIONS`.
ALLOWED_FUNCTIONS: frozenset[str] = frozenset(
    f"{ns}.{name}".lower()
    for ns, names in {
        "date": "realtime statement transaction truncate",
        "datetime": "fromepoch fromepochmillis realtime statement transaction truncate",
        "localdatetime": "realtime statement transaction truncate",
        "localtime": "realtime statement transaction truncate",
        "time": "realtime statement transaction truncate",
        "duration": "between inDays inMonths inSeconds",
        "point": "distance withinBBox",
        "vector.similarity": "cosine euclidean",
    }.items()
    for name in names.split()
)

#: Functions without a namespace an analyst may call: the built-in ones of Neo4j 5.26, exactly
#: what its ``SHOW FUNCTIONS`` lists as built in (lower-cased; the suite compares this list with
#: the server's, so a Neo4j that adds or drops one fails the test rather than the user), plus
#: the path functions that are syntax rather than functions (``shortestPath``,
#: ``allShortestPaths``). Neo4j 5.26 refuses to register a plug-in function in the root
#: namespace ("It is not allowed to define functions in the root namespace"); this list keeps
#: the console safe should a server allow it. Judged on the text
#: (:func:`graphcap.console.policy.check_statement`): the plan's details also show internal
#: functions the planner writes (``getDegree(...)`` for ``COUNT {(n)--()}``), so they cannot.
BUILTIN_ROOT_FUNCTIONS: frozenset[str] = frozenset(
    name.lower()
    for name in """
    abs acos all any asin atan atan2 avg btrim ceil char_length character_length
    coalesce collect cos cot count date datetime degrees duration e elementId endNode
    exists exp file floor haversin head id isEmpty isNaN keys labels last left length
    linenumber localdatetime localtime log log10 lower ltrim max min nodes none
    normalize nullIf percentileCont percentileDisc pi point properties radians rand
    randomUUID range reduce relationships replace reverse right round rtrim sign sin
    single size split sqrt startNode stdev stdevp substring sum tail tan time timestamp
    toBoolean toBooleanList toBooleanOrNull toFloat toFloatList toFloatOrNull toInteger
    toIntegerList toIntegerOrNull toLower toString toStringList toStringOrNull toUpper
    trim type upper valueType
    """.split()
)

#: Call-shaped syntax that is not a function (``SHOW FUNCTIONS`` does not list it).
PATH_SYNTAX: frozenset[str] = frozenset({"shortestpath", "allshortestpaths"})

#: Plan operators (name before any ``(...)`` mode) that only read the graph, from Neo4j 5's
#: operator reference and its plan-description code. ``ProcedureCall`` is allowed here and its
#: procedure checked against :data:`ALLOWED_PROCEDURES`.
READ_OPERATORS: frozenset[str] = frozenset(
    """
    ProduceResults EmptyResult EmptyRow Argument ArgumentTracker
    AllNodesScan NodeByLabelScan NodeByIdSeek NodeByElementIdSeek
    NodeIndexSeek NodeUniqueIndexSeek NodeIndexSeekByRange NodeUniqueIndexSeekByRange
    NodeIndexScan NodeIndexContainsScan NodeIndexEndsWithScan
    MultiNodeIndexSeek AssertingMultiNodeIndexSeek AssertingMultiRelationshipIndexSeek
    IntersectionNodeByLabelsScan UnionNodeByLabelsScan SubtractionNodeByLabelsScan
    DirectedAllRelationshipsScan UndirectedAllRelationshipsScan
    DirectedRelationshipTypeScan UndirectedRelationshipTypeScan
    DirectedUnionRelationshipTypesScan UndirectedUnionRelationshipTypesScan
    DirectedRelationshipByIdSeek UndirectedRelationshipByIdSeek
    DirectedRelationshipByElementIdSeek UndirectedRelationshipByElementIdSeek
    DirectedRelationshipIndexScan UndirectedRelationshipIndexScan
    DirectedRelationshipIndexSeek UndirectedRelationshipIndexSeek
    DirectedRelationshipUniqueIndexSeek UndirectedRelationshipUniqueIndexSeek
    DirectedRelationshipIndexSeekByRange UndirectedRelationshipIndexSeekByRange
    DirectedRelationshipUniqueIndexSeekByRange UndirectedRelationshipUniqueIndexSeekByRange
    DirectedRelationshipIndexContainsScan UndirectedRelationshipIndexContainsScan
    DirectedRelationshipIndexEndsWithScan UndirectedRelationshipIndexEndsWithScan
    NodeCountFromCountStore RelationshipCountFromCountStore
    Expand OptionalExpand VarLengthExpand ShortestPath StatefulShortestPath
    Repeat BidirectionalRepeat PathPropagatingBFS ProjectEndpoints NullifyMetadata
    Apply SemiApply AntiSemiApply LetSemiApply LetAntiSemiApply SelectOrSemiApply
    SelectOrAntiSemiApply LetSelectOrSemiApply LetSelectOrAntiSemiApply ConditionalApply
    AntiConditionalApply RollUpApply Optional Anti CartesianProduct
    NodeHashJoin ValueHashJoin NodeLeftOuterHashJoin NodeRightOuterHashJoin
    TriadicSelection TriadicBuild TriadicFilter AssertSameNode AssertSameRelationship
    Filter Projection CacheProperties Distinct OrderedDistinct EagerAggregation
    OrderedAggregation Eager Limit ExhaustiveLimit Skip Sort PartialSort Top Top1WithTies
    PartialTop Union OrderedUnion Unwind
    ShowIndexes ShowConstraints ShowFunctions ShowProcedures
    ProcedureCall
    """.split()
)

#: Why well-known operators are refused (any other operator off the allow-list is refused with
#: a generic reason).
_REFUSED_BECAUSE: dict[str, str] = {
    "LoadCSV": "LOAD CSV reads files and URLs on the server",
    "ShowTransactions": "SHOW TRANSACTIONS shows other sessions' queries and parameters",
    "TerminateTransactions": "TERMINATE TRANSACTIONS stops other sessions' work",
    "ShowSettings": "SHOW SETTINGS reveals the server's configuration",
    "AdministrationCommand": "administration commands (users, roles, databases) are not allowed",
    "TransactionApply": "CALL ... IN TRANSACTIONS commits in batches",
    "TransactionForeach": "CALL ... IN TRANSACTIONS commits in batches",
    "RunQueryAt": "queries on other graphs of a composite database are not allowed",
    "Foreach": "FOREACH exists to write in a loop",
    "Create": "CREATE writes to the graph",
    "Merge": "MERGE writes to the graph",
    "LockingMerge": "MERGE writes to the graph",
    "Delete": "DELETE removes nodes or relationships",
    "DetachDelete": "DETACH DELETE removes nodes and their relationships",
}

_PLAN_TYPES = {
    "r": "read",
    "rw": "the plan reads and writes the graph",
    "w": "the plan writes to the graph",
    "s": "the plan changes the schema or administers the database",
}
_PROCEDURE_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\(")
_PART = r"(?:[A-Za-z_][A-Za-z0-9_]*|`(?:[^`]|``)+`)"
#: A call of a function with a namespace in an operator's details: ``ns.name(`` (parts plain or
#: in backticks), not preceded by a name character (``n.prop`` is never followed by ``(``).
_FUNCTION_RE = re.compile(rf"(?<![\w.$`])({_PART}(?:\s*\.\s*{_PART})+)\s*\(")


def refused(reason: str) -> QueryRefused:
    """The refusal of a query for ``reason`` (already in the user's language), its message
    ``Query refused: <reason>`` in the current language."""
    return QueryRefused(reason, message=_("Query refused: {reason}").format(reason=reason))


class PlanStep(Protocol):
    """One operator of a plan (:class:`graphcap.store.readonly.PlanStep`): ``name`` as Neo4j
    reports it without the database (``Expand(All)``), the ``database`` it runs on, and its
    ``details`` text."""

    @property
    def name(self) -> str: ...
    @property
    def database(self) -> str: ...
    @property
    def details(self) -> str: ...


def operator_base(name: str) -> str:
    """The operator's name without its mode: ``Expand(All)`` -> ``Expand``."""
    return name.split("(", 1)[0]


def _procedure(details: str) -> str | None:
    """The procedure a ``ProcedureCall`` step calls, from its details (``db.labels() :: ...``);
    None when the details do not start with a plain dotted name."""
    m = _PROCEDURE_RE.match(details)
    return m.group(1) if m else None


def functions_called(details: str) -> list[str]:
    """The namespaced functions an operator's ``details`` call, as written there.

    >>> functions_called("toUpper(n.name) AS u, apoc.text.join(xs, $s) AS j, `gds`.version()")
    ['apoc.text.join', 'gds.version']
    """
    names = []
    for m in _FUNCTION_RE.finditer(details):
        parts = re.findall(_PART, m.group(1))
        names.append(".".join(p[1:-1].replace("``", "`") if p[0] == "`" else p for p in parts))
    return names


def _function_reason(step: PlanStep, base: str) -> str | None:
    details = step.details
    if base == "ProcedureCall":  # the procedure's own name is judged by the procedure rule
        m = _PROCEDURE_RE.match(details)
        details = details[m.end() :] if m else details
    for name in functions_called(details):
        if name.lower() not in ALLOWED_FUNCTIONS:
            return _(
                "function {name} is not a built-in Cypher function the console allows "
                "(plug-in functions and functions that reach other graphs are not allowed)"
            ).format(name=name)
    return None


def _reason(step: PlanStep) -> str | None:
    base = operator_base(step.name)
    called = _function_reason(step, base)
    if called is not None:
        return called
    if base == "ProcedureCall":
        proc = _procedure(step.details)
        if proc is None or proc not in ALLOWED_PROCEDURES:
            shown = proc or step.details[:60]
            return _("procedure {name} is not on the allow-list; allowed: {allowed}").format(
                name=shown, allowed=", ".join(sorted(ALLOWED_PROCEDURES))
            )
        return None
    if base in READ_OPERATORS:
        return None
    if base in _REFUSED_BECAUSE:
        return _(_REFUSED_BECAUSE[base])  # the table's texts are in the catalogue
    if base.startswith(("Set", "Remove")):
        return _("{operator} changes properties or labels").format(operator=base)
    if base.startswith(("Create", "Drop", "DoNothingIfExists", "Alter")):
        return _("{operator} changes the schema").format(operator=base)
    return _(
        "the plan uses {operator}, which is not on the console's list of read-only operators"
    ).format(operator=base)


def check_plan(
    query_type: str, steps: Iterable[PlanStep] = (), *, database: str | None = None
) -> None:
    """Refuse a plan unless all of its ``steps`` are allowed reads on ``database`` and its
    ``query_type`` is ``"r"``. Raises :class:`QueryRefused` naming the first offending step."""
    for step in steps:
        why = _reason(step)
        if why is not None:
            raise refused(
                _("{why}; the console only runs read-only queries on the graph").format(why=why)
            )
        if database is not None and step.database and step.database != database:
            raise refused(
                _(
                    "the query runs on database {database!r}, not {database2!r}; USE of another database is not allowed"
                ).format(database=step.database, database2=database)
            )
    if query_type != "r":
        why = (
            _(_PLAN_TYPES[query_type])  # the table's texts are in the catalogue
            if query_type in _PLAN_TYPES
            else _("the plan has query type {query_type!r}").format(query_type=query_type)
        )
        raise refused(_("{why}; the console only runs read-only queries").format(why=why))
