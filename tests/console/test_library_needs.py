"""Library queries that read graphcap's written-back metrics (``// needs: metrics``) on a database
where `graphcap metrics --write` has not been run, or was run on older data: a distinct error and
exit code saying what to do, in the CLI and in the app's console. Queries with an optional metric
(communities, influential stakeholders) still run there."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from click.testing import CliRunner

from graphcap.cli import cli
from graphcap.config.limits import Limits
from graphcap.console import library, policy
from graphcap.errors import MetricsMissing

from .graphs import tiny_network

pytestmark = pytest.mark.integration

LIMITS = Limits(query_timeout_s=60, max_rows=5000)
NEEDING = [q for q in library.list_queries() if "metrics" in q.needs]
HINT = "run `graphcap metrics --write` first"
APP = Path(__file__).resolve().parents[2] / "app.py"


def _run(store, name: str, **params):  # type: ignore[no-untyped-def]
    query = library.get_query(name)
    return policy.run_library_query(store, query, query.resolve(params), limits=LIMITS)


def _cli(settings, *args: str):  # type: ignore[no-untyped-def]
    env = {"NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
           "NEO4J_PASSWORD": settings.password, "NEO4J_DATABASE": settings.database}  # fmt: skip
    return CliRunner().invoke(cli, ["query", *args], env=env, catch_exceptions=False)


def test_the_queries_that_show_strength_or_money_need_metrics():
    names = {q.name for q in NEEDING}
    assert names >= {
        "top_customers",
        "value_at_risk",
        "strongest_path",
        "stakeholder_profile",
        "single_source_suppliers",
        "stale_relationships",
        "expiring_contracts",
        "ego_network",
        "power_interest_grid",
        "single_path_customers",
    }


def test_optional_metrics_fall_back_without_a_write(tiny_bare_store):
    frame = _run(tiny_bare_store, "communities").frame.set_index("community")
    customers = frame.loc["type: customer"]
    assert (
        customers["members"],
        customers["customers"],
        customers["internal"],
        customers["external"],
        customers["revenue"],
    ) == (5, 5, 2, 8, 1020.0)
    assert customers["most_connected"][:2] == ["Alpha", "Beta"]
    assert frame["members"].sum() == 12
    top = _run(tiny_bare_store, "influential_stakeholders", limit="3").frame
    assert [tuple(r) for r in top[["name", "score", "relationships"]].itertuples(index=False)] == [
        ("Alpha", None, 4),
        ("Beta", None, 4),
        ("Rival", None, 3),
    ]


@pytest.mark.parametrize("query", NEEDING, ids=[q.name for q in NEEDING])
def test_without_metrics_each_needing_query_says_what_to_do(tiny_bare_store, query):
    with pytest.raises(MetricsMissing, match="no written-back metrics") as err:
        policy.run_library_query(tiny_bare_store, query, query.resolve(), limits=LIMITS)
    assert HINT in str(err.value) and query.name in str(err.value)


def test_the_cli_exits_12_with_the_hint(tiny_bare_store, neo4j_settings):
    result = _cli(neo4j_settings, "top_customers")
    assert result.exit_code == 13, result.output
    assert HINT in result.stderr and result.stdout == ""
    # a query without needs still runs, free Cypher too
    assert _cli(neo4j_settings, "graph_overview").exit_code == 0
    assert _cli(neo4j_settings, "--cypher", "MATCH (n) RETURN count(n) AS n").exit_code == 0


def test_the_app_console_shows_the_same_text(tiny_bare_store, neo4j_env):
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.run()
        at.switch_page("graphcap/ui/pages/console.py")
        at.run()
        at.selectbox(key="cq_pick").set_value("value_at_risk").run()
        next(b for b in at.button if b.label == "Run").click().run()
        assert not at.exception, [e.message for e in at.exception]
        shown = [e.value.replace("\\", "") for e in at.error]
        assert len(shown) == 1 and HINT in shown[0] and "value_at_risk" in shown[0]
        assert not at.dataframe
    finally:
        st.cache_resource.clear()


def test_after_the_write_it_runs_and_a_data_change_asks_again(tiny_bare_store, neo4j_settings):
    """Last in this module: it writes. After `graphcap metrics --write` the query runs; an import
    that changes the data makes the stored strengths stale (a new relationship has none), so the
    query asks for the write again."""
    metrics = CliRunner().invoke(
        cli,
        ["metrics", "--write", "--as-of", "2026-06-30"],
        env={"NEO4J_URI": neo4j_settings.uri, "NEO4J_USER": neo4j_settings.user,
             "NEO4J_PASSWORD": neo4j_settings.password, "NEO4J_DATABASE": neo4j_settings.database},
        catch_exceptions=False,
    )  # fmt: skip
    assert metrics.exit_code == 0, metrics.output
    assert "wrote" in metrics.stderr
    ran = _cli(neo4j_settings, "top_customers", "--format", "csv")
    assert ran.exit_code == 0, ran.output
    assert ran.stdout.splitlines()[1].startswith("c1,Alpha,retail,500.0,,0.8,400.0")
    net = tiny_network()
    net.edges.loc[len(net.edges)] = {"source": "c4", "target": "c3", "type": "REFERS"}
    tiny_bare_store.import_network(net)
    with pytest.raises(MetricsMissing, match="the data changed after the metrics were written"):
        _run(tiny_bare_store, "top_customers")
    assert _cli(neo4j_settings, "value_at_risk").exit_code == 13
