"""The read-only layers against the real Neo4j: refused queries leave the graph exactly as it
was, the server refuses writes that get past the checks, limits stop queries server-side."""

from __future__ import annotations

import time

import pytest

from graphcap.config.limits import Limits
from graphcap.console import library, output, policy
from graphcap.errors import QueryError, QueryLimitHit, QueryRefused
from graphcap.store import readonly
from tests.store.graphcheck import fingerprint

from .test_statement_check import TEXT_REFUSED as REFUSED

pytestmark = pytest.mark.integration

LIMITS = Limits(query_timeout_s=30, max_rows=1000)
SLOW = (
    "UNWIND range(1, 2000000000) AS i WITH i WHERE i % 7919 = 7920 RETURN count(i) AS slow_marker"
)


@pytest.fixture(scope="module")
def before(tiny_store):
    return fingerprint(tiny_store)


@pytest.mark.parametrize(("query", "why"), REFUSED, ids=[q[:40] for q, _ in REFUSED])
def test_refused_queries_change_nothing(tiny_store, before, query, why):
    with pytest.raises(QueryRefused) as info:
        policy.run_query(tiny_store, query, limits=LIMITS)
    assert why.lower() in info.value.reason.lower()
    assert fingerprint(tiny_store) == before


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (n:Hacked) RETURN n",
        "MERGE (n:Stakeholder {id: 'c1'}) SET n.name = 'x'",
        "MATCH (n) DETACH DELETE n",
        "MATCH (n:Stakeholder) REMOVE n.name",
        "CREATE INDEX hacked FOR (n:Stakeholder) ON (n.hacked)",
        "CREATE USER eve SET PASSWORD 'secret123'",
    ],
)
def test_the_plan_check_refuses_writes_on_its_own(tiny_store, before, query):
    plan = readonly.explain(tiny_store, query)  # EXPLAIN runs nothing
    with pytest.raises(QueryRefused, match="read-only"):
        policy.check_plan(plan.query_type, plan.steps, database=tiny_store.settings.database)
    with pytest.raises(QueryRefused, match="read-only"):  # the query type alone refuses too
        policy.check_plan(plan.query_type)
    assert fingerprint(tiny_store) == before


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (n:Hacked) RETURN n",
        "MATCH (n:Stakeholder {id: 'c1'}) SET n.name = 'hacked'",
        "MATCH (n) DETACH DELETE n",
        "MERGE (x:Stakeholder {id: 'zz'})",
        "MATCH (n:Stakeholder) CALL (n) { SET n.x = 1 } RETURN count(*)",
    ],
)
def test_a_write_past_the_checks_is_refused_by_the_server(tiny_store, before, query):
    """Bypass statement and plan checks: the read transaction itself refuses the write."""
    with pytest.raises(QueryRefused, match="read access mode|read-only"):
        readonly.run_read(tiny_store, query, timeout_s=10, max_rows=10)
    assert fingerprint(tiny_store) == before


def _running(store, marker: str) -> list[str]:
    with store.driver.session(database="system") as admin:
        rows = admin.run("SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery").data()
    return [r["currentQuery"] for r in rows if marker in (r["currentQuery"] or "")]


def test_a_slow_query_hits_the_time_limit_and_leaves_no_transaction(tiny_store):
    with pytest.raises(QueryLimitHit) as info:
        policy.run_query(tiny_store, SLOW, limits=Limits(query_timeout_s=0.5, max_rows=10))
    assert info.value.limit == "query_timeout_s"
    assert "query_timeout_s" in str(info.value)
    deadline = time.monotonic() + 10
    while _running(tiny_store, "slow_marker") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _running(tiny_store, "slow_marker") == []


def test_a_huge_result_is_capped_and_flagged(tiny_store):
    result = policy.run_query(
        tiny_store,
        "UNWIND range(1, 2000000000) AS huge_marker RETURN huge_marker",
        limits=Limits(query_timeout_s=30, max_rows=1000),
    )
    assert result.truncated and result.max_rows == 1000
    assert [r[0] for r in result.rows] == list(range(1, 1001))
    assert _running(tiny_store, "huge_marker") == []  # rolled back, not left streaming
    exact = policy.run_query(
        tiny_store,
        "UNWIND range(1, 10) AS i RETURN i",
        limits=Limits(query_timeout_s=30, max_rows=10),
    )
    assert not exact.truncated and len(exact.rows) == 10
    over = policy.run_query(
        tiny_store,
        "UNWIND range(1, 11) AS i RETURN i",
        limits=Limits(query_timeout_s=30, max_rows=10),
    )
    assert over.truncated and len(over.rows) == 10


HOSTILE = [
    "x' OR 1=1 //",
    "Alpha'}) DETACH DELETE n //",
    "`]) MATCH (n) DETACH DELETE n //",
    "$name; CREATE (h:Hacked)",
    "\u202eRTL\u200b\x00nul",
    "Robert'); DROP TABLE Students;--",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameter_values_are_only_values(tiny_store, before, value):
    echo = policy.run_query(tiny_store, "RETURN $v AS v", {"v": value}, limits=LIMITS)
    assert echo.rows == [[value]]
    profile = library.get_query("stakeholder_profile")
    assert (
        policy.run_query(
            tiny_store, profile.text, profile.resolve({"stakeholder": value}), limits=LIMITS
        ).rows
        == []
    )
    ranked = library.get_query("influential_stakeholders")
    result = policy.run_query(
        tiny_store, ranked.text, ranked.resolve({"metric": value}), limits=LIMITS
    )
    assert {row[3] for row in result.rows} == {None}  # no such property: every score null
    assert fingerprint(tiny_store) == before


def test_parameter_names_must_be_names(tiny_store):
    with pytest.raises(QueryRefused, match="parameter name"):
        policy.run_query(tiny_store, "RETURN 1", {"x) DETACH DELETE n //": 1}, limits=LIMITS)


def test_neo4j_errors_come_back_with_their_position(tiny_store):
    with pytest.raises(QueryError) as info:
        policy.run_query(tiny_store, "MATCH (n:Customer)\nRETURN m.name", limits=LIMITS)
    assert "Variable `m` not defined" in str(info.value)
    assert "line 2, column 8" in str(info.value)
    assert not isinstance(info.value, QueryRefused | QueryLimitHit)
    with pytest.raises(QueryError, match="line 1, column 10"):
        policy.run_query(tiny_store, "MATCH (n RETURN n", limits=LIMITS)
    with pytest.raises(QueryError, match="Type mismatch|Invalid input|type"):
        policy.run_query(tiny_store, "RETURN 1 + date('x')", limits=LIMITS)


def test_introspection_and_reads_are_allowed(tiny_store):
    labels = policy.run_query(
        tiny_store, "CALL db.labels() YIELD label RETURN label ORDER BY label", limits=LIMITS
    )
    assert {"Customer", "Stakeholder"} <= {r[0] for r in labels.rows}
    policy.run_query(tiny_store, "SHOW INDEXES", limits=LIMITS)
    result = policy.run_query(
        tiny_store,
        "MATCH p = (:Customer {id: 'c1'})-[:BUYS_FROM]->(o:Organization) RETURN p, o",
        limits=LIMITS,
    )
    nodes, edges = output.result_network(result.nodes, result.relationships)
    assert sorted(nodes["id"]) == ["c1", "o1"] and sorted(nodes["type"]) == [
        "customer",
        "organization",
    ]
    assert edges[["source", "target", "type"]].values.tolist() == [["c1", "o1", "BUYS_FROM"]]
    assert edges["strength"].tolist() == [0.8]
