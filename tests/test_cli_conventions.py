"""CLI conventions: --format table|json|csv with the documented keys, one exit code per error
class (listed in --help and docs/CLI.md), shell completion, --quiet/--verbose."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import graphcap.errors as errors
from graphcap.cli import cli, main
from graphcap.cli.exits import EXIT_CODES, EXIT_MEANINGS, exit_code
from graphcap.sample import sample_small
from graphcap.snapshot import write_snapshot

ROOT = Path(__file__).resolve().parents[1]
CLI_DOC = ROOT / "docs" / "CLI.md"

#: command path -> the JSON keys docs/CLI.md promises
DOCUMENTED_KEYS = {
    "import": {
        "source",
        "format",
        "valid",
        "dry_run",
        "as_of",
        "ego_only",
        "imported",
        "target",
        "seconds",
        "problems",
    },
    "info": {"source", "server", "version", "counts", "interrupted_import", "recovered", "metrics"},
    "neo4j status": {"running", "uri", "pid", "home", "log", "gds"},
    "snapshot list": {"name", "created", "stakeholders", "relationships", "rci", "file", "problem"},
    "snapshot show": {
        "name",
        "file",
        "rci",
        "created",
        "as_of",
        "source",
        "source_hash",
        "filters",
        "graphcap_version",
        "nodes_by_type",
        "edges_by_type",
    },
    "snapshot diff": {"before", "after", "rci_before", "rci_after", "summary"},
    "export": {"out", "files"},
    "snapshot create": {
        "name",
        "created",
        "stakeholders",
        "relationships",
        "rci",
        "file",
        "problem",
        "path",
    },
    "metrics": {
        "rci",
        "concentration",
        "modularity",
        "communities",
        "at_risk",
        "risks",
        "params",
        "timings",
    },
    "query": {"columns", "rows", "truncated", "truncated_by", "max_rows"},
    "history": {
        "id",
        "seq",
        "at",
        "who",
        "action",
        "kind",
        "key",
        "version",
        "before",
        "after",
        "changes",
        "undoes",
        "assessment",
        "comment",
    },
    "overdue": {
        "id",
        "name",
        "type",
        "last_contact",
        "due",
        "days_overdue",
        "owner",
        "reason",
        "reason_codes",
    },
    "sample": {"seed", "as_of", "counts", "seconds", "files", "neo4j"},
    "resolve": {"recipe", "review", "candidates", "accepted", "kept"},
    "backtest": {
        "as_of",
        "horizon_days",
        "k",
        "judged",
        "declined",
        "base_rate",
        "precision",
        "recall",
        "lift",
        "recency_precision",
        "recency_recall",
        "recency_lift",
        "signals",
        "notes",
    },
    "next-contacts": {"today", "days", "cadence", "contacts"},
    "survey": {"file", "dry_run", "rows", "assessments", "summary", "ids_checked"},
    "purge": {"purged", "events"},
}
#: commands that print data with the same changes' keys as `history`, or no section of their own
SAME_AS = {"assess": "history", "log": "history", "undo": "history"}
#: every command that prints data (docs/CLI.md); the others only start something or print a script
PRINTS_DATA = {*DOCUMENTED_KEYS, *SAME_AS, "neo4j start", "neo4j stop"}
NO_DATA = {"app", "completion", "hash-password", "check-login"}
PROBLEM_KEYS = {"severity", "file", "sheet", "row", "column", "value", "why"}


def run(*args: str, code: int = 0) -> tuple[str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, (result.exit_code, result.output)
    return result.stdout, result.stderr


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _doc_keys(command: str) -> set[str]:
    """The keys docs/CLI.md lists for ``command`` (its section's ``keys:`` line)."""
    text = CLI_DOC.read_text(encoding="utf-8")
    section = text.split(f"### `graphcap {command}`", 1)[1].split("\n### ", 1)[0]
    line = next(x for x in section.splitlines() if x.startswith("JSON keys:"))
    return set(re.findall(r"`(\w+)`", line))


@pytest.mark.parametrize("command", sorted(DOCUMENTED_KEYS))
def test_docs_list_the_json_keys(command: str) -> None:
    assert _doc_keys(command) == DOCUMENTED_KEYS[command]


@pytest.mark.parametrize("command", sorted(PRINTS_DATA))
def test_every_command_that_prints_data_takes_format(command: str) -> None:
    out, _ = run(*command.split(), "--help")
    choices = re.search(r"--format \[([a-z|]+)\]", out)
    assert choices and {"table", "json", "csv"} <= set(choices.group(1).split("|")), out


def test_every_command_is_classified() -> None:
    from graphcap.cli import _COMMANDS

    top = {c.split()[0] for c in PRINTS_DATA}
    assert set(_COMMANDS) == top | NO_DATA
    for group in ("snapshot", "neo4j"):
        subs = set(cli.get_command(None, group).commands)  # type: ignore[arg-type, union-attr]
        assert {f"{group} {s}" for s in subs} <= PRINTS_DATA


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path / "data"))
    for name in ("NEO4J_URI", "NEO4J_PASSWORD", "NEO4J_USER", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    source = tmp_path / "source.gcap"
    write_snapshot(sample_small(), source)
    return tmp_path, source


def test_import_dry_run_json_and_csv(env, tmp_path) -> None:
    net = sample_small()
    folder = tmp_path / "in"
    folder.mkdir()
    net.nodes.to_csv(folder / "nodes.csv", index=False)
    net.edges.to_csv(folder / "edges.csv", index=False)
    out, _ = run("import", str(folder), "--dry-run", "--format", "json")
    doc = json.loads(out)
    assert set(doc) == DOCUMENTED_KEYS["import"]
    assert doc["valid"] == {"nodes": len(net.nodes), "edges": len(net.edges), "interactions": 0}
    assert doc["dry_run"] is True and doc["imported"] is None
    (folder / "edges.csv").write_text("source,target,type,trust\nghost,ORG-1,BUYS_FROM,2\n")
    out, _ = run("import", str(folder), "--dry-run", "--format", "json", code=3)
    doc = json.loads(out)
    assert doc["valid"] is None and len(doc["problems"]) == 2
    assert all(set(p) == PROBLEM_KEYS for p in doc["problems"])
    out, _ = run("import", str(folder), "--dry-run", "--format", "csv", code=3)
    rows = _csv(out)
    assert {r["column"] for r in rows} == {"source", "trust"}
    assert set(rows[0]) == PROBLEM_KEYS


def test_snapshot_list_show_diff_and_export_json_csv(env) -> None:
    tmp, source = env
    run("snapshot", "create", "--from", str(source), "--name", "A")
    run("snapshot", "create", "--from", str(source), "--name", "B", "--type", "supplier")
    listing = json.loads(run("snapshot", "list", "--format", "json")[0])
    assert [set(r) for r in listing] == [DOCUMENTED_KEYS["snapshot list"]] * 2
    rows = _csv(run("snapshot", "list", "--format", "csv")[0])
    assert [r["name"] for r in rows] == ["A", "B"]
    shown = json.loads(run("snapshot", "show", "B", "--format", "json")[0])
    assert set(shown) == DOCUMENTED_KEYS["snapshot show"]
    assert "supplier" in shown["nodes_by_type"]
    diff = json.loads(run("snapshot", "diff", "A", "B", "--format", "json")[0])
    assert DOCUMENTED_KEYS["snapshot diff"] <= set(diff)
    removed = len(diff["stakeholders_removed"])
    changes = _csv(run("snapshot", "diff", "A", "B", "--format", "csv")[0])
    assert sum(r["change"] == "stakeholders_removed" for r in changes) == removed > 0
    out = tmp / "out"
    doc = json.loads(
        run("export", "csv", "json", "--from", str(source), "--out", str(out), "--format", "json")[
            0
        ]
    )
    assert set(doc) == DOCUMENTED_KEYS["export"]
    assert {f["format"] for f in doc["files"]} == {"csv", "json"}
    assert all(Path(f["path"]).exists() for f in doc["files"])
    rows = _csv(
        run("export", "json", "--from", str(source), "--out", str(out), "--format", "csv")[0]
    )
    assert [r["format"] for r in rows] == ["json"] and set(rows[0]) == {"format", "path", "seconds"}


def test_neo4j_status_json_csv_and_exit_4_when_stopped(env) -> None:
    out, _ = run("neo4j", "status", "--port", "1", "--format", "json", code=4)
    doc = json.loads(out)
    assert set(doc) == DOCUMENTED_KEYS["neo4j status"] and doc["running"] is False
    rows = _csv(run("neo4j", "status", "--port", "1", "--format", "csv", code=4)[0])
    assert rows[0]["running"] == "False"


@pytest.mark.integration
def test_info_json_and_csv_against_neo4j(store, neo4j_env) -> None:
    store.import_network(sample_small())
    doc = json.loads(run("info", "--format", "json")[0])
    assert set(doc) == DOCUMENTED_KEYS["info"]
    assert sum(doc["counts"]["nodes"].values()) == len(sample_small().nodes)
    rows = _csv(run("info", "--format", "csv")[0])
    assert {r["kind"] for r in rows} == {"nodes", "edges", "interactions"}
    assert sum(int(r["count"]) for r in rows if r["kind"] == "edges") == len(sample_small().edges)


@pytest.mark.integration
def test_wrong_password_exits_4_and_says_so(store, neo4j_env, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-password")
    assert main(["info", "--format", "json"]) == 4
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "not-the-password" not in err


@pytest.mark.integration
def test_import_into_neo4j_json_summary_and_quiet(store, neo4j_env, tmp_path) -> None:
    net = sample_small()
    folder = tmp_path / "in"
    folder.mkdir()
    net.nodes.to_csv(folder / "nodes.csv", index=False)
    net.edges.to_csv(folder / "edges.csv", index=False)
    out, err = run("-q", "import", str(folder), "--format", "json")
    doc = json.loads(out)
    assert doc["imported"]["nodes"]["created"] == len(net.nodes)
    assert doc["imported"]["edges"]["created"] == len(net.edges)
    assert err == ""  # quiet: no notes, and no progress bar off a terminal


# -- exit codes -------------------------------------------------------------------------------


def test_every_error_class_has_its_code() -> None:
    expected = {
        errors.ValidationError([errors.Problem(file="f", why="w")]): 3,
        errors.LoaderError("x"): 3,
        errors.SchemaError("x"): 3,
        errors.AuthFailed("x"): 4,
        errors.ConnectionFailed("x"): 4,
        errors.QueryLimitHit("x", limit="max_rows"): 5,
        errors.QueryRefused("x"): 6,
        errors.MetricsMissing("x"): 13,
        errors.QueryError("x"): 7,
        errors.ImportFailed("x"): 8,
        errors.StoreError("x"): 8,
        errors.ServerError("x"): 9,
        errors.ConfigError("x"): 10,
        errors.MetricError("x"): 11,
        errors.ExportError("x"): 11,
        errors.MissingComponent("x"): 12,
        errors.GraphcapError("x"): 1,
    }
    for exc, code in expected.items():
        assert exit_code(exc) == code, type(exc).__name__
    leaves = {cls for cls, _ in EXIT_CODES}
    every = {getattr(errors, n) for n in errors.__all__ if n != "Problem"} - {errors.GraphcapError}
    mapped = {c for c in every if any(issubclass(c, leaf) for leaf in leaves)}
    assert mapped == every  # every class of the tree has a code (its own or its parent's)
    assert {code for _, code in EXIT_CODES} <= set(EXIT_MEANINGS)


def test_help_and_docs_list_the_same_exit_codes() -> None:
    out, _ = run("--help")
    listed = dict(re.findall(r"^  (\d+)\s+(\S.*)$", out.split("Exit codes:")[1], re.M))
    assert {int(c) for c in listed} == set(EXIT_MEANINGS)
    doc = CLI_DOC.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", doc, re.M))
    assert {int(c): m for c, m in rows.items()} == EXIT_MEANINGS


def test_usage_errors_exit_2() -> None:
    assert main(["no-such-command"]) == 2
    assert main(["snapshot", "list", "--format", "yaml"]) == 2
    assert main(["-q", "-v", "info"]) == 2


def test_errors_raised_in_commands_map_to_their_class(env) -> None:
    tmp, _ = env
    assert main(["snapshot", "show", "nothing-here"]) == 11  # ExportError
    (tmp / "bad.gcap").write_bytes(b"not a zip")
    assert main(["metrics", "--snapshot", str(tmp / "bad.gcap")]) == 11


# -- completion, quiet/verbose -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o"),
        ("zsh", "compdef"),
        ("fish", "complete --no-files --command graphcap"),
    ],
)
def test_completion_scripts(shell: str, marker: str) -> None:
    out, _ = run("completion", shell)
    assert "_GRAPHCAP_COMPLETE" in out and marker in out


def test_bash_completion_completes_commands_and_options() -> None:
    def complete(words: str, cword: int) -> str:
        env = {
            **os.environ,
            "_GRAPHCAP_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(cword),
        }
        code = "import sys; from graphcap.cli import main; sys.exit(main())"
        return subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
        ).stdout

    assert "plain,snapshot" in complete("graphcap sn", 1)
    assert "plain,--format" in complete("graphcap info --for", 2)


def test_quiet_silences_notes_and_verbose_logs(env, tmp_path) -> None:
    net = sample_small()
    folder = tmp_path / "q"
    folder.mkdir()
    net.nodes.to_csv(folder / "nodes.csv", index=False)
    _, err = run("import", str(folder), "--dry-run")
    assert "Validating" in err
    assert "no edges file" in err  # a warning
    _, err = run("-q", "import", str(folder), "--dry-run")
    assert err == ""  # quiet: warnings are in --report / --format json, not on stderr
    _, err = run("-v", "import", str(folder), "--dry-run")
    assert "Validating" in err


# -- the commands that write something and say what they wrote ---------------------------------


def test_sample_snapshot_create_and_resolve_print_their_documented_keys(env, tmp_path) -> None:
    doc = json.loads(
        run("-q", "sample", "--scale", "small", "--out", str(tmp_path / "s.gcap"),
            "--csv", str(tmp_path / "csv"), "--format", "json")[0]
    )  # fmt: skip
    assert set(doc) == DOCUMENTED_KEYS["sample"]
    net = sample_small()
    assert doc["counts"] == net.counts and doc["neo4j"] is None
    assert [f["format"] for f in doc["files"]] == ["snapshot", "csv", "csv", "csv"]
    assert all(Path(f["path"]).is_file() for f in doc["files"])
    made = json.loads(
        run("snapshot", "create", "--from", str(tmp_path / "s.gcap"), "--name", "Q1",
            "--format", "json")[0]
    )  # fmt: skip
    assert set(made) == DOCUMENTED_KEYS["snapshot create"]
    assert (made["name"], made["stakeholders"]) == ("Q1", len(net.nodes))
    assert Path(made["path"]).is_file()
    listed = json.loads(run("snapshot", "list", "--format", "json")[0])
    assert listed == [{k: made[k] for k in DOCUMENTED_KEYS["snapshot list"]}]
    # resolve: candidates into a review file, then the accepted ones into the recipe
    raw = tmp_path / "meetings"
    sample_doc = json.loads(
        run("sample", "--scale", "small", "--raw", "meetings", "--out", str(raw), "--format",
            "json")[0]
    )  # fmt: skip
    assert str(raw / "recipe.yaml") in [f["path"] for f in sample_doc["files"]]
    review = tmp_path / "review.csv"
    found = json.loads(
        run("resolve", str(raw / "recipe.yaml"), "--review", str(review), "--format", "json")[0]
    )
    assert set(found) == DOCUMENTED_KEYS["resolve"]
    rows = _csv(review.read_text(encoding="utf-8-sig"))
    assert found["candidates"] == len(rows) > 0 and found["accepted"] is None
    rows[0]["decision"] = "accept"
    with review.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    kept = _csv(
        run("resolve", str(raw / "recipe.yaml"), "--accept", str(review), "--format", "csv")[0]
    )
    assert [(r["accepted"], r["kept"], r["candidates"]) for r in kept] == [("1", "1", "")]


def test_quiet_leaves_only_data_for_metrics_and_snapshot(env, tmp_path) -> None:
    _, source = env
    out_file = tmp_path / "risks.csv"
    _, err = run("metrics", "--snapshot", str(source), "--table", "risks", "--out", str(out_file))
    assert "wrote risks (table) to" in err
    out, err = run(
        "-q", "metrics", "--snapshot", str(source), "--table", "risks", "--out", str(out_file)
    )
    assert out == err == ""
    out, err = run("-q", "snapshot", "create", "--from", str(source), "--format", "json")
    assert err == "" and json.loads(out)["stakeholders"] == len(sample_small().nodes)


@pytest.mark.integration
def test_query_json_keys_and_quiet(store, neo4j_env) -> None:
    store.import_network(sample_small())
    out, err = run("query", "--cypher", "MATCH (s:Stakeholder) RETURN count(s) AS n")
    assert "row(s) in" in err
    out, err = run(
        "-q", "query", "--cypher", "MATCH (s:Stakeholder) RETURN count(s) AS n", "--format", "json"
    )
    doc = json.loads(out)
    assert set(doc) == DOCUMENTED_KEYS["query"] and err == ""
    assert doc["rows"] == [{"n": len(sample_small().nodes)}]
