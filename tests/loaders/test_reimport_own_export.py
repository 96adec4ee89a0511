"""Re-importing graphcap's own CSV export into the graph it came from changes nothing: the
interaction log is not doubled, nothing is reported updated, numbers stay numbers."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from graphcap.cli import cli
from graphcap.sample import sample_small
from tests.store.graphcheck import fingerprint

pytestmark = pytest.mark.integration


def _counts(output: str) -> dict[str, tuple[int, ...]]:
    out = {}
    for kind in ("nodes", "edges", "interactions"):
        found = re.search(
            rf"^\s+{kind}\s+(\d+) created\s+(\d+) updated\s+(\d+) unchanged", output, re.MULTILINE
        )
        assert found, output
        out[kind] = tuple(int(x) for x in found.groups())
    return out


def test_reimport_of_own_csv_export_changes_nothing(tmp_path, store, neo4j_env):
    net = sample_small()
    net.interactions = net.interactions.drop(columns=["sentiment"])  # the export adds it empty
    store.import_network(net)
    runner = CliRunner()
    result = runner.invoke(cli, ["metrics", "--write"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["export", "csv", "--out", str(tmp_path), "--name", "net"])
    assert result.exit_code == 0, result.output
    before = fingerprint(store)
    folder = next(p.parent for p in tmp_path.rglob("nodes.csv"))
    result = runner.invoke(cli, ["import", str(folder)])
    assert result.exit_code == 0, result.output
    counts = _counts(result.stdout)
    assert counts["interactions"][0] == 0, counts
    assert all(c[0] == 0 and c[1] == 0 for c in counts.values()), counts
    assert fingerprint(store) == before
    assert store.counts()["interactions"]["total"] == len(net.interactions)
    nodes = store.read_network(include_metrics=True).nodes
    bridges = [c for c in nodes.columns if c == "m_is_bridge"]
    for col in bridges:
        assert {type(v) for v in nodes[col].dropna()} <= {bool}, nodes[col].head()


@pytest.mark.parametrize("fmt", ["xlsx", "graphml", "gexf"])
def test_reimport_of_own_export_in_other_formats_changes_nothing(tmp_path, store, neo4j_env, fmt):
    """Issue #11 item 4: "a re-import of graphcap's own export of any format changes nothing"
    -- the workbook, GraphML and GEXF exports read back into the graph they came from. (The
    workbook of a stored graph has empty columns the graph lacks -- owner, next_contact,
    strength -- which once made every relationship's row fingerprint differ.)"""
    net = sample_small()
    net.interactions = net.interactions.drop(columns=["sentiment"])
    store.import_network(net)
    runner = CliRunner()
    result = runner.invoke(cli, ["export", fmt, "--out", str(tmp_path), "--name", "net"])
    assert result.exit_code == 0, result.output
    before = fingerprint(store)
    path = next(tmp_path.rglob(f"*.{fmt}"))
    result = runner.invoke(cli, ["import", str(path)])
    assert result.exit_code == 0, result.output
    counts = _counts(result.stdout)
    assert all(c[0] == 0 and c[1] == 0 for c in counts.values()), counts
    assert fingerprint(store) == before


def test_reimport_of_own_german_xlsx_export_changes_nothing(tmp_path, store, neo4j_env):
    """``export xlsx --lang de`` writes German sheets and headers (Stakeholder, Beziehungen;
    ID, Name, Typ, Von, An, Art, Kundenwert (CLV)); the importer reads them back as the keys:
    no stakeholder or interaction is created or changed, and the graph is then exactly what the
    English workbook of the same export gives (importing that one after it changes nothing).
    (Re-importing a workbook of either language rewrites the edges' written-back strength.)"""
    from openpyxl import load_workbook

    net = sample_small()
    net.interactions = net.interactions.drop(columns=["sentiment"])  # the export adds it empty
    store.import_network(net)
    runner = CliRunner()
    result = runner.invoke(cli, ["metrics", "--write"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "de"
    result = runner.invoke(
        cli, ["--lang", "de", "export", "xlsx", "--out", str(out), "--name", "netz"]
    )
    assert result.exit_code == 0, result.output
    workbook = next(out.rglob("*.xlsx"))
    book = load_workbook(workbook, read_only=True)
    assert book.sheetnames[:3] == ["Stakeholder", "Beziehungen", "Interaktionen"]
    headers = {
        name: [c.value for c in next(book[name].iter_rows(max_row=1))]
        for name in book.sheetnames[:3]
    }
    book.close()
    assert headers["Stakeholder"][:3] == ["ID", "Name", "Typ"]
    assert {"Von", "An", "Typ"} <= set(headers["Beziehungen"])
    assert {"Datum", "Von", "An"} <= set(headers["Interaktionen"])
    assert not {"id", "source", "target", "type", "date"} & {
        h for hs in headers.values() for h in hs
    }
    english = tmp_path / "en"
    result = runner.invoke(cli, ["export", "xlsx", "--out", str(english), "--name", "netz"])
    assert result.exit_code == 0, result.output
    before = store.counts()
    result = runner.invoke(cli, ["import", str(workbook)])
    assert result.exit_code == 0, result.output
    counts = _counts(result.stdout)
    assert counts["nodes"][:2] == (0, 0) and counts["interactions"][:2] == (0, 0), counts
    assert counts["edges"][0] == 0, counts
    assert store.counts() == before
    german = fingerprint(store)
    result = runner.invoke(cli, ["import", str(next(english.rglob("*.xlsx")))])
    assert result.exit_code == 0, result.output
    assert all(c[0] == 0 and c[1] == 0 for c in _counts(result.stdout).values())
    assert fingerprint(store) == german
