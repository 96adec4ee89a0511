"""``graphcap metrics``: snapshot and Neo4j sources, formats, files, write-back, usage errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphcap.analysis import analyze
from graphcap.cli import cli, main
from graphcap.sample import sample_small
from graphcap.snapshot import read_snapshot, write_snapshot


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_snapshot(sample_small(), tmp_path_factory.mktemp("cli") / "sample.gcap")


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, ["metrics", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_summary_shows_the_index_of_the_analysis(snapshot: Path) -> None:
    expected = analyze(read_snapshot(snapshot))
    out = _run("--snapshot", str(snapshot))
    assert f"Relational Capital Index: {expected.rci.score:.1f} / 100" in out
    for dim in (
        "strength",
        "diversification",
        "brokerage",
        "health",
        "By stakeholder type",
        "At-risk radar",
    ):
        assert dim in out
    data = json.loads(_run("--snapshot", str(snapshot), "--format", "json"))
    assert data["rci"]["score"] == pytest.approx(expected.rci.score)
    assert data["concentration"]["gini"] == pytest.approx(expected.concentration["gini"])
    assert len(data["risks"]) == min(10, len(expected.risks))


def test_nodes_as_csv_file(snapshot: Path, tmp_path: Path) -> None:
    expected = analyze(read_snapshot(snapshot)).nodes.set_index("id")
    out = tmp_path / "deep" / "nodes.csv"
    _run("--snapshot", str(snapshot), "--table", "nodes", "--format", "csv", "--out", str(out))
    frame = pd.read_csv(out, dtype={"id": str}).set_index("id")
    assert len(frame) == len(expected)
    assert frame["pagerank"].to_dict() == pytest.approx(expected["pagerank"].to_dict())
    assert frame["pagerank"].is_monotonic_decreasing  # default sort


def test_risks_json_and_sort(snapshot: Path) -> None:
    expected = analyze(read_snapshot(snapshot)).risks
    rows = json.loads(_run("--snapshot", str(snapshot), "--table", "risks", "--format", "json"))
    assert [r["id"] for r in rows] == expected["id"].tolist()
    assert all(isinstance(r["reasons_text"], str) and r["reasons_text"] for r in rows)
    text = _run("--snapshot", str(snapshot), "--table", "nodes", "--sort", "value", "--top", "3")
    top = analyze(read_snapshot(snapshot)).nodes.sort_values(
        "value", ascending=False, kind="stable"
    )
    assert top["id"].iloc[0] in text.splitlines()[1]
    assert "more rows" in text


def test_rci_and_communities_and_edges_tables(snapshot: Path) -> None:
    a = analyze(read_snapshot(snapshot))
    rci = pd.read_csv(
        io.StringIO(_run("--snapshot", str(snapshot), "--table", "rci", "--format", "csv"))
    )
    overall = rci[rci["type"] == "all"].set_index("dimension")
    assert overall["points"].sum() == pytest.approx(a.rci.score)
    comm = pd.read_csv(
        io.StringIO(_run("--snapshot", str(snapshot), "--table", "communities", "--format", "csv"))
    )
    assert comm["size"].sum() == len(a.nodes)
    edges = pd.read_csv(
        io.StringIO(_run("--snapshot", str(snapshot), "--table", "edges", "--format", "csv"))
    )
    assert len(edges) == len(a.edges) and edges["strength"].between(-1, 1).all()  # signed


def test_type_filter_keeps_the_organisation(snapshot: Path) -> None:
    rows = json.loads(
        _run(
            "--snapshot",
            str(snapshot),
            "--type",
            "customer",
            "--table",
            "nodes",
            "--format",
            "json",
        )
    )
    assert {r["type"] for r in rows} == {"customer", "organization"}


def test_what_if_and_warm_introduction(snapshot: Path) -> None:
    a = analyze(read_snapshot(snapshot))
    top = a.nodes[a.nodes["type"] == "customer"].sort_values("value", ascending=False)["id"].iloc[0]
    expected = a.what_if(top)
    data = json.loads(_run("--snapshot", str(snapshot), "--what-if", top, "--format", "json"))
    assert data["removed"] == [top]
    assert data["value_direct"] == pytest.approx(expected.value_direct)
    assert data["rci_after"] == pytest.approx(expected.rci_after)
    text = _run("--snapshot", str(snapshot), "--what-if", top)
    assert f"{expected.kind} at risk: {expected.value_at_risk:,.0f}" in text
    target = a.nodes[a.nodes["hops"].fillna(0) >= 2]["id"].iloc[0]
    rows = json.loads(
        _run("--snapshot", str(snapshot), "--intro", target, "--format", "json", "--top", "3")
    )
    best = a.warm_introductions(target, k=3)
    assert [r["strength"] for r in rows] == pytest.approx(best["strength"].tolist())
    assert rows[0]["path_text"].endswith(a.nodes.set_index("id").loc[target, "name"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--write"], "cannot be used with --snapshot"),
        (["--type", "kunde"], "unknown stakeholder type"),
        (["--table", "nodes", "--sort", "nope"], "cannot sort by 'nope'"),
        (["--what-if", "CUS-0001", "--intro", "CUS-0002"], "not both"),
    ],
)
def test_usage_errors(snapshot: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["metrics", "--snapshot", str(snapshot), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_missing_snapshot_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["metrics", "--snapshot", str(tmp_path / "nope.gcap")]) == 11
    )  # ExportError: exit 11
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "nope.gcap" in err and "Traceback" not in err


def test_removing_the_organisation_is_one_line(
    snapshot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    focal = read_snapshot(snapshot).focal_ids()[0]
    assert (
        main(["metrics", "--snapshot", str(snapshot), "--what-if", focal]) == 11
    )  # MetricError: exit 11
    assert "focal organisation cannot be removed" in capsys.readouterr().err


@pytest.mark.integration
def test_write_back_to_neo4j(store, neo4j_env) -> None:
    net = sample_small()
    store.import_network(net)
    result = CliRunner().invoke(
        cli, ["metrics", "--write", "--table", "nodes", "--format", "json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stderr and "m_* properties" in result.stderr
    printed = pd.DataFrame(json.loads(result.stdout)).set_index("id")

    stored = store.read_network(include_metrics=True).nodes.set_index("id")
    assert stored["m_pagerank"].to_dict() == pytest.approx(printed["pagerank"].to_dict())
    assert stored["m_tie_strength"].to_dict() == pytest.approx(printed["tie_strength"].to_dict())
    assert (stored["m_quadrant"] == printed["quadrant"].reindex(stored.index)).all()
    run = store.metrics_run()
    # the import recorded the data's own date (its latest interaction or contact): the analysis
    # is as of that date, not today, and says where the date came from
    assert run["parameters"]["as_of"] == store.data_as_of().isoformat()
    assert run["parameters"]["as_of"] != pd.Timestamp.today().date().isoformat()
    assert run["parameters"]["as_of_source"] == "stored with the data"
    assert run["parameters"]["seed"] == 42 and run["seconds"] > 0
    # money by kind is graphcap's own reading (#12), written back for the Cypher library
    assert "pagerank" in run["metrics"] and "revenue" in run["metrics"]
    assert run["edge_metrics"] == [
        "strength",
        "strength_quality",
        "strength_interaction",
        "is_bridge",
    ]

    # relationship metrics: every relationship carries the strength the edges table prints
    shown = CliRunner().invoke(
        cli, ["metrics", "--table", "edges", "--format", "json"], catch_exceptions=False
    )
    edges = pd.DataFrame(json.loads(shown.stdout))
    expected = {(r.source, r.type, r.target): r.strength for r in edges.itertuples()}
    from graphcap.config.limits import Limits
    from graphcap.console.policy import run_query

    got = run_query(
        store,
        "MATCH (a:Stakeholder)-[e]->(b:Stakeholder) WHERE e.m_strength IS NOT NULL "
        "RETURN a.id AS s, type(e) AS t, b.id AS g, e.m_strength AS v",
        {},
        limits=Limits(max_rows=100_000),
    ).frame
    assert len(got) == len(net.edges) == len(expected)
    assert {(r.s, r.t, r.g): r.v for r in got.itertuples()} == pytest.approx(expected)


@pytest.mark.integration
def test_write_back_refuses_a_hostile_relationship_type(store) -> None:
    from graphcap.errors import SchemaError

    net = sample_small()
    store.import_network(net)
    before = store.read_network(include_metrics=True)
    hostile = pd.DataFrame(
        {
            "source": ["a"],
            "target": ["b"],
            "type": ["BUYS_FROM]->() DETACH DELETE n //"],
            "strength": [0.5],
        }
    )
    with pytest.raises(SchemaError, match="is not allowed"):
        store.write_metrics(net.nodes[["id"]].assign(x=1.0), run={}, edges=hostile)
    after = store.read_network(include_metrics=True)
    pd.testing.assert_frame_equal(after.nodes, before.nodes)
    pd.testing.assert_frame_equal(after.edges, before.edges)
    assert store.metrics_run() is None


def test_summary_and_what_if_as_csv_are_the_json_keys_one_row_each(snapshot: Path) -> None:
    import csv
    import io

    for extra in ([], ["--what-if", "CUS-0001"]):
        doc = json.loads(_run("--snapshot", str(snapshot), *extra, "--format", "json"))
        rows = list(
            csv.DictReader(
                io.StringIO(_run("--snapshot", str(snapshot), *extra, "--format", "csv"))
            )
        )
        assert [r["key"] for r in rows] == list(doc)
        for r in rows:  # nested values are JSON text, plain ones their text
            value = doc[r["key"]]
            if isinstance(value, dict | list):
                assert json.loads(r["value"]) == value
            else:
                assert r["value"] == ("" if value is None else str(value))


@pytest.mark.integration
def test_neo4j_source_prints_the_analysis_of_the_stored_network(store, neo4j_env) -> None:
    """The network is read in a thread while the command imports the analysis
    (graphcap.cli.meanwhile): what it prints is the analysis of what ``read_network`` gives."""
    from graphcap.cli.metrics_render import render
    from graphcap.config import load_project_config

    store.import_network(sample_small())
    expected = analyze(store.read_network(), config=load_project_config(), seed=42)
    for table in ("nodes", "edges", "risks"):
        shown = _run("--table", table, "--format", "json")
        assert shown == render(expected, table, "json") + "\n"
    summary = json.loads(_run("--format", "json"))
    assert summary["rci"] == json.loads(render(expected, "summary", "json"))["rci"]
    assert summary["risks"] == json.loads(render(expected, "summary", "json"))["risks"]


@pytest.mark.integration
def test_a_failing_read_is_the_same_one_line_error(
    store, neo4j_env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An error of the read (here: a database that does not exist) reaches the user from the
    reading thread as it did from a direct read: the same message and exit code."""
    from graphcap.cli.exits import exit_code
    from graphcap.config.connection import Neo4jSettings
    from graphcap.store import Neo4jStore

    monkeypatch.setenv("NEO4J_DATABASE", "nosuchdatabase")
    with Neo4jStore(Neo4jSettings.from_env()) as direct:
        with pytest.raises(Exception) as raised:
            direct.read_network()
    code = main(["metrics"])
    err = capsys.readouterr().err
    assert code == exit_code(raised.value) != 0
    assert err.startswith("Error: ") and str(raised.value) in err and "Traceback" not in err


def _python(script: str) -> str:
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_the_analysis_libraries_are_imported_after_the_read_starts() -> None:
    """What `graphcap metrics` imports before it starts reading from Neo4j (the command, the
    store, the project config) holds none of networkx, scipy and igraph: they are imported
    while the server reads (graphcap.cli.meanwhile)."""
    out = _python(
        "import sys\n"
        "import graphcap.cli.metrics_cmd, graphcap.config, graphcap.store\n"
        "print(sorted(m for m in ('networkx', 'scipy', 'igraph') if m in sys.modules))\n"
    )
    assert out == "[]\n"


def test_the_command_line_freezes_its_objects_at_exit() -> None:
    """The last full collection at exit skips what `main` left frozen (gcpause)."""
    probe = "import atexit, gc\natexit.register(lambda: print(gc.get_freeze_count() > 0))\n"
    assert _python(probe + "from graphcap.cli import main\nmain(['--version'])\n").endswith(
        "True\n"
    )
    assert _python(probe + "import graphcap.cli\n") == "False\n"  # only when main ran
