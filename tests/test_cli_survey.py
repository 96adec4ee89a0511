"""``graphcap survey FILE``: survey rows become assessments against the real Neo4j; a bad file
names row and column and writes nothing (fingerprint), a refused row rolls the whole file back."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from graphcap.cli import main
from graphcap.model import Network
from graphcap.store.edits import Editor

from .store.graphcheck import fingerprint

pytestmark = pytest.mark.integration


@pytest.fixture
def net(store, neo4j_env, monkeypatch):
    monkeypatch.setenv("GRAPHCAP_USER", "survey-desk")
    nodes = pd.DataFrame(
        {
            "id": ["org", "c1", "c2", "c3"],
            "name": ["Us", "Kunde 1", "Kunde 2", "Kunde 3"],
            "type": ["organization", "customer", "customer", "customer"],
        }
    )
    edges = pd.DataFrame(
        {"source": ["c1", "c2", "c3"], "target": ["org"] * 3, "type": ["BUYS_FROM"] * 3}
    )
    store.import_network(Network(nodes=nodes, edges=edges))
    return store


GOOD = (
    "Stakeholder;Date;Assessor;Satisfaction;NPS;SERVQUAL;Comment\n"
    "c1;1.3.2026;ann;0,4;6;;first wave\n"
    "c1;1.6.2026;ann;;9;;\n"  # ann's newest loyalty: 0.9 (her March 0.6 no longer counts)
    "c1;15.5.2026;bob;80 %;;;\n"
    "c2;2026-05-02;bob;;10;5,8;\n"  # servqual 5.8 -> (5.8 - 1) / 6 = 0.8
)


def test_survey_dry_run_then_record(net, tmp_path, capsys):
    path = tmp_path / "survey.csv"
    path.write_text(GOOD, encoding="utf-8")
    before = fingerprint(net)
    assert main(["survey", str(path), "--dry-run"]) == 0
    assert "Valid: 4 survey rows for 2 stakeholder(s); nothing was written." in (
        capsys.readouterr().out
    )
    assert fingerprint(net) == before
    assert main(["survey", str(path), "--dry-run", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)  # keys: docs/CLI.md
    assert doc == {
        "file": str(path),
        "dry_run": True,
        "rows": 4,
        "assessments": 0,
        "summary": "Valid: 4 survey rows for 2 stakeholder(s); nothing was written.",
        "ids_checked": True,
    }
    assert fingerprint(net) == before
    assert main(["survey", str(path)]) == 0
    assert "Recorded 4 assessments of 2 stakeholder(s)" in capsys.readouterr().out
    nodes = net.read_network().nodes.set_index("id")
    # combined = mean over assessors of each one's newest rating (graphcap.assessments):
    # c1 satisfaction: ann 0.4 (March; June rated no satisfaction), bob 0.8 -> 0.6
    # c1 loyalty: ann's newest 0.9 (June), bob none -> 0.9
    assert nodes.loc["c1", "satisfaction"] == pytest.approx(0.6)
    assert nodes.loc["c1", "loyalty"] == pytest.approx(0.9)
    assert nodes.loc["c2", "satisfaction"] == pytest.approx(0.8)
    assert nodes.loc["c2", "loyalty"] == pytest.approx(1.0)
    events = Editor(net, user="x").involving("c1")
    assert [(e["action"], e["who"]) for e in events].count(("assess", "survey-desk")) == 3


@pytest.mark.parametrize(
    "text, why",
    [
        (GOOD + "c9;1.6.2026;ann;0.5;;;\n", "survey.csv, row 6, column 'stakeholder': is not a"),
        (
            GOOD + "c1;30.02.2026;ann;0.5;;;\n",
            "row 6, column 'date': value is not a valid date (no such day)",
        ),
        (GOOD + "c1;1.6.2026;;0.5;;;\n", "row 6, column 'assessor': empty assessor"),
        (GOOD + "c1;1.6.2026;ann;1,5;;;\n", "row 6, column 'satisfaction': must be between 0"),
        (GOOD + "c1;1.6.2026;ann;;11;;\n", "row 6, column 'nps': must be a whole number from 0"),
        (GOOD + "c1;1.6.2026;ann;;7,5;;\n", "column 'nps': must be a whole number"),
        (GOOD + "c1;1.6.2026;ann;;;8;\n", "column 'servqual': must be a number from 1 to 7"),
        (GOOD + "c1;1.6.2026;ann;;;;\n", "row 6: no rating"),
        ("stakeholder;date;satisfaction\nc1;1.6.2026;0.5\n", "missing column 'assessor'"),
        ("stakeholder;date;assessor;trust\nc1;1.6.2026;ann;0.5\n", "column 'trust': unknown"),
        ("stakeholder;date;assessor;loyalty;nps\nc1;1.6.2026;a;0.5;5\n", "not both"),
        ("stakeholder;date;assessor;loyalty\nc1;1.6.2026;a`) DETACH DELETE n //;0.5\n", ""),
    ],
)
def test_a_bad_survey_names_row_and_column_and_writes_nothing(net, tmp_path, capsys, text, why):
    path = tmp_path / "survey.csv"
    path.write_text(text, encoding="utf-8")
    before = fingerprint(net)
    if not why:  # a hostile assessor name is stored as text, never run
        assert main(["survey", str(path)]) == 0
        assert net.read_network().nodes.set_index("id").loc["c1", "loyalty"] == 0.5
        assert len(net.read_network().nodes) == 4
        return
    assert main(["survey", str(path)]) == 3
    err = capsys.readouterr().err
    assert why in err and "Traceback" not in err
    assert fingerprint(net) == before


def test_a_row_the_store_refuses_rolls_back_the_whole_file(net, tmp_path, capsys):
    Editor(net, user="admin").retire_stakeholder("c2", version=0)
    path = tmp_path / "survey.csv"
    path.write_text(GOOD, encoding="utf-8")
    before = fingerprint(net)
    assert main(["survey", str(path)]) == 8
    assert "survey.csv, row 5: stakeholder 'c2' is retired" in capsys.readouterr().err
    assert fingerprint(net) == before  # rows 2-4 (c1) were not kept either
