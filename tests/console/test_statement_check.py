"""The statement check: what never reaches Neo4j, and what must not be refused by mistake."""

from __future__ import annotations

import pytest

from graphcap.console.policy import check_plan, check_statement, tokenize
from graphcap.errors import QueryRefused

#: (query, words the reason must contain)
REFUSED = [
    ("CREATE (n:Stakeholder {id: 'x'})", "CREATE"),
    ("MERGE (n:Stakeholder {id: 'x'}) RETURN n", "MERGE"),
    ("MATCH (n) SET n.hacked = true", "SET"),
    ("MATCH (n) DELETE n", "DELETE"),
    ("MATCH (n) REMOVE n.name", "REMOVE"),
    ("MATCH (n) DETACH DELETE n", "DETACH"),
    ("MATCH (n) FOREACH (x IN [1] | SET n.x = x)", "FOREACH"),
    ("LOAD CSV FROM 'http://example.com/x.csv' AS row RETURN row", "LOAD CSV"),
    ("LOAD CSV WITH HEADERS FROM 'file:///etc/passwd' AS row RETURN row", "LOAD CSV"),
    ("CALL dbms.components()", "dbms.components"),
    ("CALL dbms.security.createUser('eve', 'pw', false)", "allow-list"),
    ("CALL db.createLabel('X')", "allow-list"),
    ("SHOW USERS", "SHOW USERS"),
    ("SHOW TRANSACTIONS", "transaction"),
    ("SHOW SETTINGS", "SHOW SETTINGS"),
    ("CREATE USER eve SET PASSWORD 'secret123'", "CREATE USER"),
    ("DROP USER neo4j", "administration"),
    ("ALTER USER neo4j SET PASSWORD 'x'", "administration"),
    ("GRANT ROLE admin TO eve", "administration"),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TERMINATE"),
    ("STOP DATABASE neo4j", "administration"),
    ("USE system SHOW USERS", "USE"),
    ("USE neo4j MATCH (n) RETURN n", "USE"),
    ("CALL { MATCH (n) DETACH DELETE n } IN TRANSACTIONS", "DETACH"),
    ("MATCH (n) CALL (n) { RETURN 1 AS one } IN TRANSACTIONS RETURN n", "transaction"),
    ("MATCH (n) RETURN n; MATCH (m) DETACH DELETE m", "more than one statement"),
    ("MATCH (n) RETURN n; MATCH (m) RETURN m", "more than one statement"),
    ("MATCH (n) RETURN n;;", "more than one statement"),
    ("MATCH (n) /* harmless */ DETACH /* really */ DELETE n", "DETACH"),
    ("MATCH (n) // comment\nDETACH DELETE n", "DETACH"),
    ("MATCH (n)\u00a0SET\u2003n.x = 1", "SET"),  # no-break and em spaces
    ("MATCH (n) ＳＥＴ n.x = 1", "SET"),  # full-width letters
    ("MATCH (n) SE\u200bT n.x = 1", "U+200B"),  # zero-width space
    ("MATCH (n) \u202eSET n.x = 1", "U+202E"),  # right-to-left override
    ("match (n) detach delete n", "DETACH"),
    ("RETURN apoc.load.json('http://example.com')", "apoc.load.json"),
    ("RETURN `apoc`.`load`.json('http://example.com')", "apoc.load.json"),
    ("CALL `dbms`.components()", "dbms.components"),
    ("MATCH (n) CALL { CALL dbms.components() YIELD name RETURN name } RETURN n", "dbms.components"),
    ("EXPLAIN MATCH (n) RETURN n", "EXPLAIN"),
    ("PROFILE MATCH (n) RETURN n", "PROFILE"),
    ("CYPHER runtime=slotted MATCH (n) RETURN n", "CYPHER"),
    (":param x => 1", "Browser"),
    ("", "empty"),
    ("// only a comment", "only comments"),
]

#: Read queries whose text looks suspicious to a naive check; all must pass unchanged.
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
    "MATCH (start:Customer) RETURN start.name",
    "WITH date('2025-01-01') AS d RETURN date.truncate('month', d), duration.inDays(d, d)",
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.schema.visualization()",
    "SHOW INDEXES",
    "MATCH (n) CALL (n) { MATCH (n)--(m) RETURN count(m) AS c } RETURN n, c",
    "MATCH (n) RETURN n.name AS `Name; with semicolon`",
    "MATCH (n) WHERE n.name STARTS WITH 'Grüße' RETURN n",
]


@pytest.mark.parametrize(("query", "why"), REFUSED, ids=[q[:40] for q, _ in REFUSED])
def test_refused_before_reaching_neo4j(query, why):
    with pytest.raises(QueryRefused) as info:
        check_statement(query)
    assert why.lower() in info.value.reason.lower()
    assert str(info.value).startswith("Query refused: ")


@pytest.mark.parametrize("query", ALLOWED)
def test_read_queries_pass(query):
    assert check_statement(query).strip() == query.rstrip(";").strip()


def test_a_trailing_semicolon_is_dropped_not_refused():
    assert check_statement("MATCH (n) RETURN n ; // done") == "MATCH (n) RETURN n "


def test_positions_are_reported():
    with pytest.raises(QueryRefused) as info:
        check_statement("MATCH (n)\nRETURN n;\nMATCH (m) RETURN m")
    assert "line 2, column 9" in info.value.reason


def test_tokens_skip_strings_comments_and_names():
    kinds = [(t.kind, t.text) for t in tokenize("RETURN 'a;b' /* c */ AS `x``y` // z")]
    assert kinds == [("word", "RETURN"), ("string", "a;b"), ("word", "AS"), ("name", "x`y")]


@pytest.mark.parametrize(("query_type", "ok"), [("r", True), ("rw", False), ("w", False), ("s", False), ("", False)])
def test_plan_check_accepts_only_reads(query_type, ok):
    if ok:
        check_plan(query_type)
    else:
        with pytest.raises(QueryRefused):
            check_plan(query_type)
