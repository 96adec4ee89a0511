"""The console's guard against the real Neo4j: a corpus of hostile statements (comment and
line-break variants, Unicode separators, nested CALL, SHOW with list comprehensions, backticked
procedure names) is refused whatever the text looks like, and a corpus of valid reads that use
keywords as names runs.

Differential: for every hostile core statement the test first asks the server itself (EXPLAIN,
nothing runs) what it would do, and requires a dangerous operator in that plan, so the corpus
really is dangerous per Neo4j, not per graphcap's idea of it.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import neo4j
import pytest

from graphcap.config.limits import Limits
from graphcap.console import policy as console
from graphcap.console.plan import ALLOWED_FUNCTIONS, BUILTIN_ROOT_FUNCTIONS, check_plan
from graphcap.errors import QueryError, QueryLimitHit, QueryRefused
from graphcap.store import readonly
from tests.store.graphcheck import fingerprint
from tests.support import require

pytestmark = pytest.mark.integration

LIMITS = Limits(query_timeout_s=30, max_rows=1000)

#: How a comment or separator can make a keyword check and the server disagree.
PREFIXES = {
    "plain": "",
    "cr": "// c\r",
    "crlf": "// c\r\n",
    "lf": "// c\n",
    "u2028": "// c\u2028",
    "u2029": "// c\u2029",
    "nel": "// c\u0085",
    "block": "/* c */ ",
    "block-cr": "/*\r*/",
    "vt": "\x0b",
    "cr-only": "\r",
}

#: (core statement, an operator the server's own plan shows for it). ``{url}`` is an HTTP
#: server of the test that counts requests.
HOSTILE = [
    ("LOAD CSV FROM '{url}' AS r RETURN r", "LoadCSV"),
    ("LOAD CSV WITH HEADERS FROM '{url}' AS r RETURN r", "LoadCSV"),
    ("RETURN COLLECT {{ LOAD CSV FROM '{url}' AS r RETURN r }} AS x", "LoadCSV"),
    ("SHOW TRANSACTIONS", "ShowTransactions"),
    (
        "SHOW TRANSACTIONS YIELD currentQuery, parameters RETURN currentQuery, parameters",
        "ShowTransactions",
    ),
    ("SHOW TRANSACTIONS YIELD * WHERE true", "ShowTransactions"),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TerminateTransactions"),
    ("SHOW SETTINGS", "ShowSettings"),
    ("SHOW SETTINGS [x IN ['server.directories.import'] | x] YIELD name, value", "ShowSettings"),
    (
        "SHOW SETTINGS [x IN ['a', 'b'] WHERE x <> '' | x] YIELD name, value RETURN name, value",
        "ShowSettings",
    ),
    ("CALL db.info()", "ProcedureCall"),
    ("CALL db.info", "ProcedureCall"),
    ("CALL `db`.`info`()", "ProcedureCall"),
    ("CALL db . info ()", "ProcedureCall"),
    ("CALL db.stats.retrieve('GRAPH COUNTS')", "ProcedureCall"),
    ("CALL db.prepareForReplanning()", "ProcedureCall"),
    ("CALL dbms.components()", "ProcedureCall"),
    (
        "MATCH (n) CALL () {{ CALL db.info() YIELD name RETURN name }} RETURN n, name",
        "ProcedureCall",
    ),
    ("MATCH (n) CALL {{ CALL db.info() YIELD name RETURN name }} RETURN n", "ProcedureCall"),
    ("RETURN COLLECT {{ CALL db.info() YIELD name RETURN name }} AS x", "ProcedureCall"),
    ("RETURN COUNT {{ CALL db.info() YIELD name RETURN name }} AS x", "ProcedureCall"),
    (
        "MATCH (n) WHERE EXISTS {{ CALL db.info() YIELD name RETURN name }} RETURN n",
        "ProcedureCall",
    ),
    ("WITH 1 AS x CALL db.info() YIELD name RETURN name", "ProcedureCall"),
    ("SHOW USERS", "AdministrationCommand"),
    ("SHOW DATABASES", "AdministrationCommand"),
    ("SHOW CURRENT USER", "AdministrationCommand"),
    ("CREATE USER eve SET PASSWORD 'secret123'", "AdministrationCommand"),
    ("CREATE INDEX hacked FOR (n:Stakeholder) ON (n.hacked)", "CreateIndex"),
    ("CREATE (n:Hacked) RETURN n", "Create"),
    ("MERGE (n:Stakeholder {{id: 'zz'}}) RETURN n", "Merge"),
    ("MATCH (n) SET n.hacked = true", "SetProperty"),
    ("MATCH (n) DETACH DELETE n", "DetachDelete"),
    ("MATCH (n) FOREACH (x IN [1] | SET n.x = x)", "Foreach"),
    ("MATCH (n) CALL (n) {{ RETURN 1 AS one }} IN TRANSACTIONS RETURN n", "TransactionApply"),
]

#: Valid reads that use keywords as names, and other texts a keyword check gets wrong, with
#: the rows each must return on the tiny network (worked out by hand).
VALID = [
    ("WITH [1,2] AS set RETURN set", [[[1, 2]]]),
    ("WITH 1 AS create RETURN create", [[1]]),
    ("UNWIND [1,2] AS load RETURN load", [[1], [2]]),
    ("WITH 1 AS delete, 2 AS remove, 3 AS merge RETURN delete + remove + merge", [[6]]),
    ("UNWIND [7] AS show RETURN show", [[7]]),
    ("WITH 1 AS terminate, 2 AS transactions RETURN terminate, transactions", [[1, 2]]),
    ("WITH 1 AS foreach, 2 AS detach RETURN foreach + detach", [[3]]),
    ("RETURN 1 AS grant, 2 AS deny, 3 AS revoke", [[1, 2, 3]]),
    ("WITH {load: 1, set: 2} AS m RETURN m.load, m.set", [[1, 2]]),
    ("MATCH (set:Customer {id: 'c1'}) RETURN set.name", [["Alpha"]]),
    ("MATCH (load:Stakeholder)-[create:BUYS_FROM]->(:Organization) RETURN count(create)", [[4]]),
    ("MATCH (n:Customer)\r\n// note\rRETURN count(n)", [[5]]),
    ("MATCH (n:Customer)\u2028RETURN count(n)", [[5]]),
    ("MATCH (n:Customer) // comment\u2029RETURN count(n)", [[5]]),
    ("RETURN 'a' // CREATE (n)\r+ 'b' AS s", [["ab"]]),
    ("MATCH (n:Customer) WHERE n.name = 'DETACH DELETE; LOAD CSV' RETURN n", []),
    (
        "CALL db.labels() YIELD label WITH label WHERE label = 'Customer' RETURN label",
        [["Customer"]],
    ),
    (
        "CALL `db`.`labels`() YIELD label WITH label WHERE label = 'Agency' RETURN label",
        [["Agency"]],
    ),
    ("RETURN COUNT { MATCH (:Customer)-[:BUYS_FROM]->(:Organization) } AS c", [[4]]),
    (
        "MATCH (c:Customer) WHERE EXISTS { (c)-[:REFERS]->() } RETURN c.id ORDER BY c.id",
        [["c1"], ["c2"]],
    ),
    (
        "MATCH (c:Customer {id: 'c1'}) RETURN COLLECT { MATCH (c)-[:REFERS]->(x) RETURN x.id } AS r",
        [[["c2"]]],
    ),
    (
        "MATCH p = shortestPath((:Customer {id: 'c1'})-[*..5]-(:Supplier {id: 's2'})) RETURN length(p)",
        [[2]],
    ),
    (
        "MATCH (:Customer {id: 'c1'})-[:REFERS*1..3]->(x) RETURN x.id ORDER BY x.id",
        [["c2"], ["c3"]],
    ),
    (
        "MATCH (:Customer {id: 'c1'}) (()-[:REFERS]->()){1,2} (x) RETURN x.id ORDER BY x.id",
        [["c2"], ["c3"]],
    ),
    (
        "MATCH (c:Customer {id: 'c4'}) OPTIONAL MATCH (c)-[:REFERS]->(x) RETURN c.id, x",
        [["c4", None]],
    ),
    ("RETURN 1 AS x UNION RETURN 2 AS x", [[1], [2]]),
    (
        "MATCH (c:Customer) RETURN DISTINCT c.segment ORDER BY c.segment SKIP 1 LIMIT 1",
        [["retail"]],
    ),
    (
        "MATCH (c:Customer) RETURN c.segment, sum(c.revenue) ORDER BY c.segment",
        [["oem", 220.0], ["retail", 800.0]],
    ),
    ("MATCH (a:Customer), (b:Supplier) RETURN count(*)", [[15]]),
    ("SHOW INDEXES YIELD name WHERE name = 'no such index' RETURN name", []),
    ("SHOW CONSTRAINTS YIELD name WHERE name = 'no such' RETURN name", []),
    ("SHOW FUNCTIONS YIELD name WHERE name = 'date.truncate' RETURN name", [["date.truncate"]]),
    ("SHOW PROCEDURES YIELD name WHERE name = 'db.labels' RETURN name", [["db.labels"]]),
]


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).hits.append(self.path)
        body = b"secret,body\n1,2\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/x.csv"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def before(tiny_store):
    return fingerprint(tiny_store)


def _server_plan(store, text: str) -> list[str]:
    """What Neo4j itself plans for ``text`` (no graphcap check in between)."""
    with store.driver.session(database=store.settings.database) as session:
        summary = session.run("EXPLAIN " + text).consume()
    out: list[str] = []
    stack = [summary.plan]
    while stack:
        node = stack.pop()
        out.append(str(node["operatorType"]).split("@", 1)[0])
        stack.extend(node.get("children", ()))
    return out


@pytest.mark.parametrize(("core", "operator"), HOSTILE, ids=[c[:50] for c, _ in HOSTILE])
def test_the_corpus_is_dangerous_per_the_server_itself(tiny_store, url, core, operator):
    plan = _server_plan(tiny_store, core.format(url=url))
    assert operator in plan


@pytest.mark.parametrize("prefix", list(PREFIXES.values()), ids=list(PREFIXES))
@pytest.mark.parametrize(("core", "operator"), HOSTILE, ids=[c[:50] for c, _ in HOSTILE])
def test_hostile_statements_are_refused_whatever_the_text_looks_like(
    tiny_store, before, url, prefix, core, operator
):
    _Counter.hits.clear()
    with pytest.raises(QueryRefused):
        console.run_query(tiny_store, prefix + core.format(url=url), limits=LIMITS)
    assert _Counter.hits == []  # the server never fetched the URL
    assert fingerprint(tiny_store) == before


def test_the_carriage_return_bypass_reached_the_server_before(tiny_store, url):
    """The original bypass: Neo4j ends the comment at CR and fetches the URL when the text is
    sent unchecked, so the refusal above is what stops it (read transaction included)."""
    _Counter.hits.clear()
    result = readonly.run_read(tiny_store, f"// c\rLOAD CSV FROM '{url}' AS r RETURN r",
                               timeout_s=10, max_rows=10)  # fmt: skip
    assert result.rows == [[["secret", "body"]], [["1", "2"]]]
    assert _Counter.hits == ["/x.csv"]


def test_another_sessions_parameters_and_transactions_stay_hidden(tiny_store, neo4j_settings):
    """A transaction holding a secret parameter is open; SHOW/TERMINATE TRANSACTIONS in any
    disguise are refused and the transaction is still alive afterwards."""
    driver = neo4j.GraphDatabase.driver(
        neo4j_settings.uri, auth=(neo4j_settings.user, neo4j_settings.password)
    )
    try:
        with driver.session(database=neo4j_settings.database) as other:
            tx = other.begin_transaction()
            tx.run("RETURN $secret AS s", secret="hunter2-secret").consume()
            for text in ["// x\rSHOW TRANSACTIONS YIELD parameters RETURN parameters",
                         "/*\r*/SHOW TRANSACTIONS YIELD transactionId RETURN transactionId",
                         "// x\u2028TERMINATE TRANSACTIONS 'neo4j-transaction-1'"]:  # fmt: skip
                with pytest.raises(QueryRefused) as info:
                    console.run_query(tiny_store, text, limits=LIMITS)
                assert "hunter2" not in str(info.value)
            assert tx.run("RETURN 1 AS one").single()["one"] == 1  # not terminated
            tx.rollback()
    finally:
        driver.close()


@pytest.mark.parametrize(("query", "rows"), VALID, ids=[q[:50] for q, _ in VALID])
def test_valid_reads_with_keyword_names_run(tiny_store, before, query, rows):
    result = console.run_query(tiny_store, query, limits=LIMITS)
    assert result.rows == rows
    assert fingerprint(tiny_store) == before


@pytest.mark.parametrize(
    "query",
    [
        "USE system SHOW USERS",
        "USE system RETURN 1",
        "USE system SHOW DATABASES YIELD name RETURN name",
    ],
)
def test_use_of_another_database_never_runs(tiny_store, query):
    """Neo4j Community cannot even plan these (an error); a server that can is stopped by the
    plan check's database rule (unit-tested in test_statement_check.py)."""
    with pytest.raises(QueryError):  # QueryRefused is a QueryError too
        console.run_query(tiny_store, query, limits=LIMITS)


def test_use_of_the_configured_database_runs(tiny_store):
    console.run_query(
        tiny_store, f"USE {tiny_store.settings.database} RETURN 1 AS one", limits=LIMITS
    )


def test_the_byte_cap_stops_reading_long_before_the_row_cap(tiny_store):
    query = "UNWIND range(1, 5000) AS i RETURN [x IN range(1, 4000) | x] AS big"
    result = console.run_query(
        tiny_store,
        query,
        limits=Limits(query_timeout_s=30, max_rows=5000, max_result_bytes=2_000_000),
    )
    assert result.truncated and result.truncated_by == "max_result_bytes"
    # per row (value_size's rule): the row list 8 + 8, the inner list 8 * 4000 + 8, each number
    # 8: 64,024 bytes; 31 rows are 1,984,744 <= 2,000,000 < 32 rows
    assert len(result.rows) == 31
    assert readonly.value_size(result.rows[0]) == 64_024
    small = console.run_query(tiny_store, "UNWIND range(1, 3) AS i RETURN i", limits=LIMITS)
    assert not small.truncated and small.truncated_by == ""


def test_functions_are_judged_from_the_servers_own_plan(tiny_store):
    """Differential against the server's SHOW FUNCTIONS: the allow-list is its namespaced
    built-ins less the two that name other graphs; a plug-in function (GDS on the test server)
    is refused by the plan check however the text spells it, and by the console as a whole."""
    with tiny_store.driver.session(database=tiny_store.settings.database) as session:
        rows = session.run("SHOW FUNCTIONS YIELD name, isBuiltIn").data()
    built_in = {r["name"].lower() for r in rows if r["isBuiltIn"] and "." in r["name"]}
    assert built_in - ALLOWED_FUNCTIONS == {"graph.byname", "graph.byelementid"}
    assert ALLOWED_FUNCTIONS <= built_in
    plugin = {r["name"] for r in rows if not r["isBuiltIn"]}
    require("gds.version" in plugin, "the GDS function gds.version on the test Neo4j",
            "start the test server with GDS (GRAPHCAP_TEST_GDS=1)")  # fmt: skip
    for text in ["RETURN gds.version() AS v", "RETURN `gds`.`version`() AS v",
                 "MATCH (n) WHERE gds.version() <> '' RETURN count(n) AS k",
                 "CALL { RETURN gds.version() AS v } RETURN v"]:  # fmt: skip
        plan = readonly.explain(tiny_store, text, {})
        with pytest.raises(QueryRefused, match=r"function gds\.version is not"):
            check_plan(plan.query_type, plan.steps, database=tiny_store.settings.database)
        with pytest.raises(QueryRefused):
            console.run_query(tiny_store, text, limits=LIMITS)
    ok = "RETURN date.truncate('day', date('2026-12-01')) AS d, toUpper('x') AS u"
    assert console.run_query(tiny_store, ok, limits=LIMITS).rows[0][1] == "X"


def test_functions_without_a_namespace_are_the_servers_built_ins(tiny_store):
    """Differential against the server's SHOW FUNCTIONS: the shipped allow-list of functions
    without a namespace is exactly the server's built-in ones, so a Neo4j that adds or drops
    one fails here, not for the user; each of them passes the console's text check; a name the
    server does not list is refused by the console with its own reason before Neo4j plans it
    (a plug-in in the root namespace, should a server allow one: Neo4j 5.26 refuses to
    register it). Every valid read above still runs through the same check."""
    with tiny_store.driver.session(database=tiny_store.settings.database) as session:
        rows = session.run("SHOW FUNCTIONS YIELD name, isBuiltIn").data()
    root = {r["name"].lower(): r["isBuiltIn"] for r in rows if "." not in r["name"]}
    assert BUILTIN_ROOT_FUNCTIONS == {name for name, built_in in root.items() if built_in}
    for name in sorted(BUILTIN_ROOT_FUNCTIONS):
        console.check_statement(f"UNWIND [] AS x RETURN {name}(x) AS y")
    ok = "RETURN toUpper('x') AS u, size([1, 2]) AS s, TOLOWER('Y') AS l, `toString`(1) AS t"
    assert console.run_query(tiny_store, ok, limits=LIMITS).rows == [["X", 2, "y", "1"]]
    before = fingerprint(tiny_store)
    for text in ["RETURN leak(1) AS x", "RETURN `leak`(1) AS x",
                 "MATCH (n) WHERE leak(n.name) RETURN count(n) AS k",
                 "CALL { RETURN leak() AS v } RETURN v", "// c\rRETURN leak (1) AS x"]:  # fmt: skip
        assert "leak" not in root
        with pytest.raises(QueryRefused, match="function leak is not a built-in"):
            console.run_query(tiny_store, text, limits=LIMITS)
    assert fingerprint(tiny_store) == before


def test_a_query_that_would_exhaust_the_servers_memory_is_stopped(tiny_store, before):
    """The local Neo4j caps one transaction's memory (db.memory.transaction.max, a quarter of
    the heap): collecting ~750 MB of strings stops at the cap with the setting's name; the
    server and the graph are unharmed."""
    query = "UNWIND range(1, 3000000) AS x RETURN size(collect(toString(x) + $pad)) AS n"
    with pytest.raises(QueryLimitHit) as info:
        console.run_query(tiny_store, query, {"pad": "y" * 200},
                          limits=Limits(query_timeout_s=120, max_rows=10))  # fmt: skip
    assert info.value.limit == "db.memory.transaction.max"
    assert "db.memory.transaction.max threshold reached" in str(info.value)
    assert console.run_query(tiny_store, "RETURN 1 AS one", limits=LIMITS).rows == [[1]]
    assert fingerprint(tiny_store) == before
