"""``graphcap import``: validation report, dry run, and (against the real Neo4j) that a failed
validation leaves the database exactly as it was."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graphcap.cli import cli
from tests.loaders.files import EDGES, NODES, write_csv

BAD_NODES = NODES + "C1,Doppelt,customer\nX1,Unbekannt,Kundschaft\n"
BAD_EDGES = EDGES + "C1,NOPE,BUYS_FROM\n"


def run(*args: str):
    return CliRunner().invoke(cli, ["import", *args])


def test_dry_run_validates_without_neo4j(tmp_path):
    write_csv(tmp_path, NODES, EDGES)
    result = run(str(tmp_path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Valid: 3 stakeholders, 2 relationships, 0 interactions.",
        "Dry run: Neo4j was not touched. Rejected: 0.",
    ]


def test_failed_validation_prints_every_problem_with_file_row_column(tmp_path):
    write_csv(tmp_path, BAD_NODES, BAD_EDGES)
    result = run(str(tmp_path), "--dry-run")
    assert result.exit_code == 3  # validation
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[1] == "3 problem(s); nothing was imported:"
    assert lines[2] == (
        "  - nodes.csv, row 5, column 'id': duplicate id (also in row 3); ids must "
        "be unique (value 'C1')"
    )
    assert lines[3].startswith("  - nodes.csv, row 6, column 'type': unknown stakeholder type")
    assert lines[4] == (
        "  - edges.csv, row 4, column 'target': target is not the id of any node in "
        "nodes.csv (value 'NOPE')"
    )
    assert lines[-1] == "Fix the rows above, or use --lenient to import the valid rows only."


def test_lenient_dry_run_reports_the_rejected_rows(tmp_path):
    write_csv(tmp_path, BAD_NODES, BAD_EDGES)
    result = run(str(tmp_path), "--dry-run", "--lenient")
    assert result.exit_code == 0
    assert "3 row(s) rejected (--lenient):" in result.stderr
    assert result.stdout.splitlines() == [
        "Valid: 3 stakeholders, 2 relationships, 0 interactions.",
        "Dry run: Neo4j was not touched. Rejected: 3.",
    ]


def test_report_file_lists_every_problem(tmp_path):
    import csv
    import json

    write_csv(tmp_path / "in", BAD_NODES, BAD_EDGES)
    result = run(str(tmp_path / "in"), "--dry-run", "--report", str(tmp_path / "r.csv"))
    assert result.exit_code == 3  # validation
    with open(tmp_path / "r.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["file"], r["row"], r["column"], r["value"]) for r in rows] == [
        ("nodes.csv", "5", "id", "C1"),
        ("nodes.csv", "6", "type", "Kundschaft"),
        ("edges.csv", "4", "target", "NOPE"),
    ]
    assert rows[0]["why"] == "duplicate id (also in row 3); ids must be unique"
    lenient = run(
        str(tmp_path / "in"), "--dry-run", "--lenient", "--report", str(tmp_path / "r.json")
    )
    assert lenient.exit_code == 0
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [d["severity"] for d in data] == ["error"] * 3


def test_unreadable_input_is_one_clear_error(tmp_path):
    (tmp_path / "x.pdf").write_text("no")
    from graphcap.cli import main

    assert main(["import", str(tmp_path / "x.pdf"), "--dry-run"]) == 3  # cannot be read


@pytest.mark.integration
def test_failed_import_leaves_the_database_exactly_as_before(tmp_path, neo4j_env, store):
    from tests.store.graphcheck import fingerprint

    edges = (
        "source,target,type,trust\nC1,ORG,BUYS_FROM,0.5\nS1,ORG,SUPPLIES,\nP1,ORG,PARTNERS_WITH,1\n"
    )
    good = write_csv(
        tmp_path / "good",
        NODES + "P1,Ω Partner 🚀,Partner\n",
        edges,
        "date,source,target,channel\n04.07.2024,C1,ORG,Besuch\n",
    )
    first = run(str(good), "--batch-size", "2")
    assert first.exit_code == 0, first.output
    assert (
        "  nodes                4 created        0 updated        0 unchanged        0 rejected"
        in first.stdout.splitlines()
    )
    before = fingerprint(store)
    assert before[0]["nodes"] >= 4

    write_csv(tmp_path / "bad", BAD_NODES, BAD_EDGES)
    failed = run(str(tmp_path / "bad"))
    assert failed.exit_code == 3  # validation
    assert (
        "  - edges.csv, row 4, column 'target': target is not the id of any node in nodes.csv "
        "(value 'NOPE')"
    ) in failed.stderr.splitlines()
    assert fingerprint(store) == before

    again = run(str(good))
    assert again.exit_code == 0
    assert (
        "  nodes                0 created        0 updated        4 unchanged        0 rejected"
        in again.stdout.splitlines()
    )
    assert fingerprint(store) == before
    assert store.read_network().nodes.set_index("id").loc["P1", "name"] == "Ω Partner 🚀"


@pytest.mark.integration
def test_edges_file_with_only_the_required_columns_imports(tmp_path, neo4j_env, store):
    result = run(str(write_csv(tmp_path, NODES, EDGES)))
    assert result.exit_code == 0, result.output
    edges = {k: v for k, v in store.counts()["edges"].items() if v}
    assert edges == {"BUYS_FROM": 1, "SUPPLIES": 1}


@pytest.mark.integration
def test_unicode_and_hostile_names_survive_import_byte_exact(tmp_path, neo4j_env, store):
    import csv

    from tests.store.graphcheck import HOSTILE

    names = [h for h in HOSTILE if h == h.strip()] + [
        "NA",
        "None",
        "null",
        '=HYPERLINK("x")',
        "Mu\u0308ller (NFD)",
        "M\u00fcller (NFC)",
    ]
    tmp_path.mkdir(exist_ok=True)
    with open(tmp_path / "nodes.csv", "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["id", "name", "type", "note"])
        writer.writerow(["ORG", "Wir", "organization", ""])
        writer.writerows([[f"00{i}", n, "Kunde", n] for i, n in enumerate(names)])
    with open(tmp_path / "edges.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["source", "target", "type", "kind"])
        writer.writerows([[f"00{i}", "ORG", "BUYS_FROM", n] for i, n in enumerate(names)])
    result = run(str(tmp_path))
    assert result.exit_code == 0, result.output
    back = store.read_network()
    nodes = back.nodes.set_index("id")
    for i, name in enumerate(names):
        assert nodes.loc[f"00{i}", "name"] == name
        assert nodes.loc[f"00{i}", "note"] == name
    kinds = back.edges.set_index("source")["kind"]
    assert [kinds.loc[f"00{i}"] for i in range(len(names))] == names


def test_repeated_problems_are_grouped_and_capped_the_report_has_all(tmp_path):
    import csv

    rows = ["id,name,type,revenue"] + [f"C{i},N{i},customer,abc" for i in range(2000)]
    rows += [f"D{i},,customer,1" for i in range(40)]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "nodes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = tmp_path / "report.csv"
    result = run(str(tmp_path / "in"), "--dry-run", "--report", str(report))
    assert result.exit_code == 3  # validation
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("  - nodes.csv")]
    assert lines == [
        "  - nodes.csv, column 'revenue': 2000 rows: value is not a number (read with a decimal "
        "point) (rows 2, 3, 4, 5, 6, ...); e.g. 'abc'",
        "  - nodes.csv, column 'name': 40 rows: empty name; every row needs one (rows 2002, "
        "2003, 2004, 2005, 2006, ...)",
    ]
    with open(report, encoding="utf-8-sig") as fh:
        assert len([r for r in csv.DictReader(fh) if r["severity"] == "error"]) == 2040


def test_headerless_file_gets_a_hint(tmp_path):
    (tmp_path / "nodes.csv").write_text("C1,Alpha,customer\nC2,Beta,customer\n", encoding="utf-8")
    result = run(str(tmp_path), "--dry-run")
    assert result.exit_code == 3  # validation
    assert (
        "if the file has no header row, add one, or name its columns in a recipe" in result.stderr
    )


def test_the_data_date_is_said_and_a_given_one_checked(tmp_path):
    write_csv(tmp_path, NODES, EDGES)
    result = run(str(tmp_path), "--dry-run")
    assert "Data as of:" in result.stderr
    given = run(str(tmp_path), "--dry-run", "--as-of", "2024-12-31")
    assert given.exit_code == 0 and "Data as of: 2024-12-31 (given)" in given.stderr
    bad = run(str(tmp_path), "--dry-run", "--as-of", "2024-13-45'); MATCH (n) DETACH DELETE n //")
    assert bad.exit_code == 2 and "must be a date" in bad.output


@pytest.mark.integration
def test_compare_all_sends_the_rows_a_plain_reimport_leaves_out(tmp_path, neo4j_env, store):
    import json

    folder = str(write_csv(tmp_path, NODES, EDGES))
    assert run(folder).exit_code == 0
    with store.driver.session(database=store.database) as s:
        s.run("MATCH (n:Stakeholder) SET n.name = 'changed behind graphcap'").consume()
    plain = run(folder, "--format", "json")
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.stdout)["imported"]["nodes"]["updated"] == 0  # skipped by fingerprint
    full = run(folder, "--compare-all", "--format", "json")
    assert full.exit_code == 0, full.output
    nodes = len(NODES.strip().splitlines()) - 1
    assert json.loads(full.stdout)["imported"]["nodes"]["updated"] == nodes
    names = {r["id"]: r["name"] for _, r in store.read_network().nodes.iterrows()}
    assert "changed behind graphcap" not in names.values()
