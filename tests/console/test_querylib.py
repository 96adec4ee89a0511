"""The library files: headers parse, parameters are declared, typed and documented for
cypher-shell, the generated reference is current."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from graphcap.console import library
from graphcap.console.policy import check_statement
from graphcap.errors import QueryError

QUERIES = library.list_queries()
ROOT = Path(__file__).resolve().parents[2]


def test_the_library_has_at_least_fifteen_queries():
    assert len(QUERIES) >= 15
    assert len({q.title for q in QUERIES}) == len(QUERIES)


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_each_query_is_complete_and_passes_the_statement_check(query):
    assert query.title and query.description and query.returns and query.columns
    check_statement(query.text)
    # the :param lines for cypher-shell / Browser agree with the declared defaults
    browser = query.browser_params()
    assert set(browser) == {p.name for p in query.params}
    for p in query.params:
        assert browser[p.name] == p.default_text, p.name


def test_header_fields_and_parameters_are_parsed():
    q = library.get_query("stale_relationships")
    assert q.title == "Relationships with no contact for N days"
    assert [(p.name, p.type, p.default) for p in q.params] == [
        ("days", "int", 180),
        ("as_of", "date", None),
        ("ours_only", "bool", True),
        ("include_unknown", "bool", False),
    ]
    assert "latest" in q.description and "  " not in q.description  # continuation lines joined
    assert q.resolve({"days": "30", "as_of": "2026-01-31"}) == {
        "days": 30,
        "as_of": dt.date(2026, 1, 31),
        "ours_only": True,
        "include_unknown": False,
    }
    assert library.get_query("influential_stakeholders").defaults()["metric"] == "m_pagerank"


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("int", "12", 12),
        ("int", " 1_000 ", 1000),
        ("float", "0,5", 0.5),
        ("float", "1e3", 1000.0),
        ("bool", "Yes", True),
        ("bool", "nein", False),
        ("date", "2025-02-28", dt.date(2025, 2, 28)),
        ("string", "null", "null"),
        ("string", "x'}) DETACH DELETE n //", "x'}) DETACH DELETE n //"),
        ("int", "", None),
        ("date", "null", None),
        ("int", 7, 7),
        ("float", 2, 2.0),
    ],
)
def test_coerce(kind, text, value):
    assert library.coerce(kind, text) == value


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("int", "ten"),
        ("int", "1.5"),
        ("bool", "maybe"),
        ("date", "31.01.2025"),
        ("int", True),
        ("date", 5),
    ],
)
def test_coerce_refuses_with_the_expected_type(kind, text):
    with pytest.raises(QueryError, match=re.escape(library.PARAM_TYPES[kind])):
        library.coerce(kind, text, name="p")


def test_unknown_query_and_parameter_suggest_close_names():
    with pytest.raises(QueryError, match="did you mean top_customers"):
        library.get_query("top_customer")
    with pytest.raises(QueryError, match="no library query"):
        library.get_query("../secrets")
    with pytest.raises(QueryError, match="did you mean limit"):
        library.get_query("top_customers").resolve({"limt": "3"})


GOOD = """// title: T
// description: D
//   more
// param: n int 3 — how many
// returns: R
// columns: a, b
RETURN $n AS a, 1 AS b
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("// title: T\n", ""), "'// title:' is missing"),
        (("int 3", "integer 3"), "unknown type 'integer'"),
        (("int 3", "int three"), "must be a whole number"),
        (("$n", "$m"), "used but not declared"),
        (
            ("// columns: a, b\n", "// columns: a, b\n// param: k string 'x' — k\n"),
            "declared but not used",
        ),
        (("// returns: R\n", "// returns: R\n// title: again\n"), "appears twice"),
        (("// returns: R\n", "// returns: R\n// nonsense\n"), "is not a field"),
        (("— how many", "how many"), "must read 'name type default"),
    ],
)
def test_bad_headers_are_named(change, message):
    assert library.parse_query(GOOD, "good").params[0].default == 3
    with pytest.raises(QueryError, match=message) as info:
        library.parse_query(GOOD.replace(*change), "bad")
    assert "bad" in str(info.value)


def test_docs_reference_is_generated_from_the_headers():
    docs = (ROOT / "docs" / "QUERIES.md").read_text(encoding="utf-8")
    assert docs == library.library_markdown(QUERIES), (
        "docs/QUERIES.md is stale: run `graphcap query --list --format markdown > docs/QUERIES.md`"
    )


def test_every_query_header_reads_german_from_the_catalogue():
    """query --list and the console show a query's title, description and what it returns in
    the reader's language; the .cypher file stays English (cypher-shell reads it)."""
    from graphcap.i18n import use_language

    for q in library.list_queries():
        for field in ("title", "description", "returns"):
            assert q.shown(field) == getattr(q, field)
            with use_language("de"):
                german = q.shown(field)
            assert german != getattr(q, field), (q.name, field)  # translated in h15c.po
        for p in q.params:
            assert p.shown() == p.meaning
            with use_language("de"):
                assert p.shown() != p.meaning, (q.name, p.name)
    q = library.get_query("stale_relationships")
    with use_language("de"):
        assert q.shown("title") == "Beziehungen ohne Kontakt seit N Tagen"
    assert q.title == "Relationships with no contact for N days"
    assert "// title: Relationships with no contact for N days" in q.text
    with use_language("de"):
        assert q.param("days").shown() == "kein Kontakt seit mehr als so vielen Tagen"
    with pytest.raises(ValueError, match="not 'text'"):
        q.shown("text")
