"""The statement check (no database): what the text alone shows must not run, line breaks
normalised first, and keywords used as names never refused. Whether a statement only reads is
the plan's decision: see test_guard_neo4j.py for the hostile corpus against the real server."""

from __future__ import annotations

import pytest

from graphcap.console.plan import ALLOWED_PROCEDURES, check_plan
from graphcap.console.policy import check_statement, normalise, tokenize
from graphcap.errors import QueryRefused
from graphcap.store.readonly import PlanStep

#: (query, words the reason must contain): refused by the text check alone.
TEXT_REFUSED = [
    ("MATCH (n) RETURN n; MATCH (m) DETACH DELETE m", "more than one statement"),
    ("MATCH (n) RETURN n; MATCH (m) RETURN m", "more than one statement"),
    ("MATCH (n) RETURN n;;", "more than one statement"),
    ("MATCH (n) RETURN n // c\r; MATCH (m) DETACH DELETE m", "more than one statement"),
    ("MATCH (n) RETURN n // c\u2028; MATCH (m) DETACH DELETE m", "more than one statement"),
    ("MATCH (n) SE\u200bT n.x = 1", "U+200B"),  # zero-width space
    ("MATCH (n) \u202eSET n.x = 1", "U+202E"),  # right-to-left override
    ("RETURN apoc.load.json('http://example.com')", "apoc.load.json"),
    ("RETURN `apoc`.`load`.json('http://example.com')", "apoc.load.json"),
    ("// c\rRETURN apoc.load.json('http://example.com')", "apoc.load.json"),
    # functions without a namespace that are not Neo4j's (a plug-in's, should a server let one
    # register there): refused however they are written or nested
    ("RETURN leak(1) AS x", "function leak is not"),
    ("RETURN `leak`(1) AS x", "function leak is not"),
    ("MATCH (n) WHERE leak(n.name) RETURN n", "function leak is not"),
    ("CALL { RETURN leak() AS v } RETURN v", "function leak is not"),
    ("RETURN [x IN [1] | toUpper(leak(x))] AS l", "function leak is not"),
    ("// c\rRETURN leak (1)", "function leak is not"),
    ("EXPLAIN MATCH (n) RETURN n", "EXPLAIN"),
    ("PROFILE MATCH (n) RETURN n", "PROFILE"),
    ("/* x */ PROFILE MATCH (n) RETURN n", "PROFILE"),
    ("CYPHER runtime=slotted MATCH (n) RETURN n", "CYPHER"),
    (":param x => 1", "Browser"),
    ("", "empty"),
    ("// only a comment", "only comments"),
]

#: Read queries whose text looks suspicious to a keyword check; the text check passes them all
#: (test_guard_neo4j.py runs them on the real server).
ALLOWED = [
    "MATCH (n) RETURN n",
    "MATCH (n) RETURN n;",
    "MATCH (n) WHERE n.name = 'DETACH DELETE; CREATE' RETURN n",
    'MATCH (n) WHERE n.name = "x\\"; DROP USER neo4j" RETURN n',
    "MATCH (n) // CREATE (m); DELETE n\nRETURN n",
    "MATCH (n) /* SET n.x = 1; */ RETURN n",
    "MATCH (n) RETURN n.set, n.delete, n.create AS created",
    "MATCH (n:`CREATE ; DELETE`) RETURN n",
    "MATCH (n) RETURN {set: 1, remove: 2} AS m",
    "WITH [1, 2] AS set RETURN set",
    "UNWIND [1, 2] AS load RETURN load",
    "WITH 1 AS create RETURN create",
    "WITH date('2025-01-01') AS d RETURN date.truncate('month', d), duration.inDays(d, d)",
    "CALL db.labels() YIELD label RETURN label",
    "SHOW INDEXES",
    "MATCH (n) RETURN n.name AS `Name; with semicolon`",
    "MATCH (n) WHERE n.name STARTS WITH 'Grüße' RETURN n",
    # keywords and call-shaped syntax before "(": not function calls
    "MATCH (a)-->(b) WHERE NOT (a)-->(:Customer) AND (a.x > 0 OR b.x > 0) RETURN a",
    "MATCH p = shortestPath((a)-[*]-(b)) RETURN p, allShortestPaths((a)-[*]-(b)) AS q",
    "MATCH p = SHORTEST 1 (a)--+(b) RETURN p",
    "CALL (x) { RETURN 1 AS y } RETURN y",
    "MATCH (n) RETURN n ORDER BY (n.a) DESC SKIP (1) LIMIT (2)",
    "UNWIND [1] AS x RETURN CASE WHEN (x > 0) THEN (1) ELSE (2) END AS c",
    "RETURN `toUpper`('x'), TOUPPER('x'), reduce(s = 0, x IN [1] | s + x), exists((:A)--())",
    "MATCH (n) RETURN count(*), collect(n)[0], any(x IN [1] WHERE x = 1), none(x IN [] WHERE true)",
]


@pytest.mark.parametrize(
    ("query", "why"), TEXT_REFUSED, ids=[repr(q[:40]) for q, _ in TEXT_REFUSED]
)
def test_refused_before_reaching_neo4j(query, why):
    with pytest.raises(QueryRefused) as info:
        check_statement(query)
    assert why.lower() in info.value.reason.lower()
    assert str(info.value).startswith("Query refused: ")


@pytest.mark.parametrize("query", ALLOWED)
def test_read_queries_pass(query):
    assert check_statement(query).strip() == query.rstrip(";").strip()


@pytest.mark.parametrize("brk", ["\r\n", "\r", "\u2028", "\u2029", "\u0085"])
def test_every_line_break_becomes_a_newline_before_any_check(brk):
    assert normalise(f"MATCH (n){brk}RETURN n") == "MATCH (n)\nRETURN n"
    sent = check_statement(f"MATCH (n) // note{brk}RETURN n")
    assert sent == "MATCH (n) // note\nRETURN n"  # what Neo4j receives: no CR, no U+2028 left
    assert [t.text for t in tokenize(sent)] == ["MATCH", "(", "N", ")", "RETURN", "N"]


def test_a_line_comment_ends_at_a_carriage_return_as_in_neo4j():
    """The tokenizer alone (without normalising) also ends // at CR, as Neo4j's lexer does."""
    assert [t.text for t in tokenize("// c\rLOAD CSV")] == ["LOAD", "CSV"]


def test_a_trailing_semicolon_is_dropped_not_refused():
    assert check_statement("MATCH (n) RETURN n ; // done") == "MATCH (n) RETURN n "


def test_positions_are_reported():
    with pytest.raises(QueryRefused) as info:
        check_statement("MATCH (n)\nRETURN n;\nMATCH (m) RETURN m")
    assert "line 2, column 9" in info.value.reason
    with pytest.raises(QueryRefused) as info:
        check_statement("MATCH (n)\r\nRETURN n;\rMATCH (m) RETURN m")
    assert "line 2, column 9" in info.value.reason


def test_tokens_skip_strings_comments_and_names():
    kinds = [(t.kind, t.text) for t in tokenize("RETURN 'a;b' /* c */ AS `x``y` // z")]
    assert kinds == [("word", "RETURN"), ("string", "a;b"), ("word", "AS"), ("name", "x`y")]


def _steps(*ops: str, db: str = "neo4j") -> list[PlanStep]:
    return [PlanStep(name=op.split(" ", 1)[0], database=db,
                     details=op.split(" ", 1)[1] if " " in op else "") for op in ops]  # fmt: skip


@pytest.mark.parametrize(
    ("query_type", "ok"), [("r", True), ("rw", False), ("w", False), ("s", False), ("", False)]
)
def test_plan_check_accepts_only_read_query_types(query_type, ok):
    steps = _steps("ProduceResults", "AllNodesScan")
    if ok:
        check_plan(query_type, steps, database="neo4j")
    else:
        with pytest.raises(QueryRefused):
            check_plan(query_type, steps, database="neo4j")


@pytest.mark.parametrize(
    ("ops", "why"),
    [
        (["ProduceResults", "LoadCSV"], "LOAD CSV"),
        (["ProduceResults", "ShowTransactions"], "SHOW TRANSACTIONS"),
        (["ProduceResults", "TerminateTransactions"], "TERMINATE"),
        (["ProduceResults", "ShowSettings"], "SHOW SETTINGS"),
        (["AdministrationCommand"], "administration"),
        (["ProduceResults", "TransactionApply", "AllNodesScan"], "IN TRANSACTIONS"),
        (["ProduceResults", "ProcedureCall db.info() :: (name :: STRING)"], "db.info"),
        (["ProduceResults", "ProcedureCall `db.labels`() :: (label :: STRING)"], "allow-list"),
        (["ProduceResults", "ProcedureCall db.labelsX() :: (label :: STRING)"], "db.labelsX"),
        (["ProduceResults", "SomeFutureOperator"], "SomeFutureOperator"),
        (["ProduceResults", "SetProperty n.x = 1", "AllNodesScan"], "SetProperty"),
        (["CreateIndex RANGE INDEX x FOR (:A) ON (b)"], "schema"),
    ],
)
def test_plan_check_refuses_operators_off_the_allow_list(ops, why):
    with pytest.raises(QueryRefused) as info:
        check_plan("r", _steps(*ops), database="neo4j")  # even when the type claims "read"
    assert why.lower() in info.value.reason.lower()


def test_plan_check_refuses_another_database():
    with pytest.raises(QueryRefused, match="database 'system'"):
        check_plan("r", _steps("ProduceResults", "AllNodesScan", db="system"), database="neo4j")


@pytest.mark.parametrize("proc", sorted(ALLOWED_PROCEDURES))
def test_plan_check_allows_the_listed_procedures(proc):
    check_plan(
        "r", _steps("ProduceResults", f"ProcedureCall {proc}() :: (x :: STRING)"), database="neo4j"
    )


def test_modes_of_an_operator_share_its_allow_list_entry():
    check_plan("r", _steps("ProduceResults", "Expand(All)", "VarLengthExpand(Pruning,BFS,All)",
                           "OptionalExpand(Into)", "AllNodesScan"), database="neo4j")  # fmt: skip


@pytest.mark.parametrize(
    ("details", "name"),
    [
        ("apoc.text.join(xs, $autostring_0) AS j", "apoc.text.join"),
        ("`apoc`.`text`.join(xs, $s) AS j", "apoc.text.join"),
        ("size([x IN xs | gds.similarity.cosine(x, x)]) AS k", "gds.similarity.cosine"),
        ("db.nameFromElementId($autostring_0) AS n", "db.nameFromElementId"),
        ("graph.byName($autostring_0) AS g", "graph.byName"),
        ("toUpper(cache[n.name]) AS u, APOC.version() AS v", "APOC.version"),
    ],
)
def test_plan_check_refuses_functions_off_the_allow_list(details, name):
    with pytest.raises(QueryRefused) as info:
        check_plan("r", _steps("ProduceResults", f"Projection {details}"), database="neo4j")
    assert f"function {name} is not a built-in" in info.value.reason


def test_plan_check_refuses_a_function_in_a_procedure_calls_arguments():
    steps = _steps("ProduceResults", "ProcedureCall db.labels() :: (label :: STRING)",
                   "Filter apoc.util.validatePredicate(true, $m, []) ")  # fmt: skip
    with pytest.raises(QueryRefused, match="function apoc.util.validatePredicate"):
        check_plan("r", steps, database="neo4j")


@pytest.mark.parametrize(
    "details",
    [
        "toUpper(cache[n.name]) AS u, size(n.tags) AS k, coalesce(n.x, $autoint_0) AS c",
        "date.truncate($autostring_0, date()) AS d, DateTime.fromEpoch(n.t, 0) AS t",
        "point.distance(point({x: $autoint_1, y: $autoint_2}), p) AS km",
        "vector.similarity.cosine(n.v, $autolist_0) AS s, duration.between(a, b) AS gap",
    ],
)
def test_plan_check_allows_built_in_functions(details):
    check_plan("r", _steps("ProduceResults", f"Projection {details}"), database="neo4j")
