"""``graphcap query`` through click's CliRunner against the real Neo4j."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from graphcap.cli import cli
from tests.store.graphcheck import fingerprint


def _invoke(settings, *args: str):  # type: ignore[no-untyped-def]
    env = {"NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
           "NEO4J_PASSWORD": settings.password, "NEO4J_DATABASE": settings.database}  # fmt: skip
    return CliRunner().invoke(cli, ["query", *args], env=env, catch_exceptions=False)


def test_list_and_show_need_no_database():
    runner = CliRunner()
    listing = runner.invoke(cli, ["query", "--list"])
    assert listing.exit_code == 0
    assert (
        "top_customers" in listing.output
        and "Top customers by value and strength" in listing.output
    )
    doc = json.loads(runner.invoke(cli, ["query", "--list", "--format", "json"]).output)
    assert {q["name"] for q in doc} >= {"top_customers", "ego_network"}
    shown = runner.invoke(cli, ["query", "top_customers", "--show"])
    assert shown.output.startswith("// title: Top customers")
    bad = runner.invoke(cli, ["query", "top_customer"])
    assert bad.exit_code == 7 and "did you mean top_customers" in bad.output
    assert runner.invoke(cli, ["query"]).exit_code == 2
    assert runner.invoke(cli, ["query", "top_customers", "--cypher", "RETURN 1"]).exit_code == 2
    assert runner.invoke(cli, ["query", "top_customers", "-p", "limit"]).exit_code == 2


@pytest.mark.integration
def test_library_query_in_every_format(tiny_store, neo4j_settings):
    table = _invoke(neo4j_settings, "top_customers", "--param", "limit=2")
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split() == [
        "id",
        "name",
        "segment",
        "revenue",
        "clv",
        "strength",
        "weighted_value",
    ]
    assert [line.split()[1] for line in lines[1:]] == ["Alpha", "Beta"]
    assert "2 row(s)" in table.stderr
    rows = list(
        csv.DictReader(
            io.StringIO(
                _invoke(neo4j_settings, "top_customers", "-p", "limit=3", "--format", "csv").stdout
            )
        )
    )
    assert [(r["name"], float(r["weighted_value"])) for r in rows] == [
        ("Alpha", 400.0),
        ("Beta", 150.0),
        ("Gamma", 90.0),
    ]
    doc = json.loads(
        _invoke(
            neo4j_settings,
            "expiring_contracts",
            "-p",
            "days=30",
            "-p",
            "as_of=2026-06-30",
            "--format",
            "json",
        ).stdout
    )
    assert [(r["source"], r["contract_until"]) for r in doc["rows"]] == [
        ("Steel Co", "2026-07-05"),
        ("Alpha", "2026-07-20"),
    ]
    assert doc["truncated"] is False
    wrong = _invoke(neo4j_settings, "top_customers", "-p", "limit=many")
    assert wrong.exit_code == 7 and "limit must be a whole number" in wrong.stderr


@pytest.mark.integration
def test_free_cypher_refusals_errors_and_limits(tiny_store, neo4j_settings):
    before = fingerprint(tiny_store)
    ok = _invoke(
        neo4j_settings,
        "--cypher",
        "MATCH (c:Customer {name: $n}) RETURN c.revenue AS r",
        "-p",
        "n=Gamma",
        "--format",
        "json",
    )
    assert ok.exit_code == 0 and json.loads(ok.stdout)["rows"] == [{"r": 100.0}]
    for text in (
        "MATCH (n) DETACH DELETE n",
        "CREATE USER eve SET PASSWORD 'secret123'",
        "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
        "RETURN 1; RETURN 2",
    ):
        refused = _invoke(neo4j_settings, "--cypher", text)
        assert refused.exit_code == 6, (text, refused.output)
        assert refused.stderr.startswith("Refused: ")
    assert fingerprint(tiny_store) == before
    syntax = _invoke(neo4j_settings, "--cypher", "MATCH (n RETURN n")
    assert syntax.exit_code == 7 and "line 1, column 10" in syntax.stderr
    assert "Traceback" not in syntax.output
    slow = _invoke(
        neo4j_settings,
        "--cypher",
        "UNWIND range(1, 2000000000) AS i WITH i WHERE i < 0 RETURN count(i)",
        "--timeout",
        "0.5",
    )
    assert slow.exit_code == 5 and "query_timeout_s" in slow.stderr
    capped = _invoke(
        neo4j_settings,
        "--cypher",
        "UNWIND range(1, 100) AS i RETURN i",
        "--max-rows",
        "7",
        "--format",
        "csv",
    )
    assert capped.exit_code == 0
    assert capped.stdout.split() == ["i", *map(str, range(1, 8))]
    assert "Truncated" in capped.stderr
    zero = _invoke(neo4j_settings, "--cypher", "RETURN 1", "--max-rows", "0")
    assert zero.exit_code == 10 and "max_rows must be a whole number from 1" in zero.stderr
