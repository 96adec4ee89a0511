"""``graphcap survey --dry-run`` without a reachable Neo4j: every check but the stakeholder ids
runs, and the output says the ids were not checked; recording still needs Neo4j."""

from __future__ import annotations

import json

from graphcap.cli import main
from graphcap.localdb.server import free_port

GOOD = (
    "Stakeholder;Date;Assessor;Satisfaction;NPS\n"
    "c1;1.3.2026;ann;0,4;6\n"
    "nobody-knows;1.6.2026;ann;;9\n"  # not checked offline: no graph to check it against
)


def _offline(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEO4J_URI", f"neo4j://127.0.0.1:{free_port()}")
    monkeypatch.setenv("NEO4J_PASSWORD", "not-used-secret")
    monkeypatch.delenv("GRAPHCAP_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)  # no graphcap.toml: the built-in types
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path))


def test_a_dry_run_without_neo4j_checks_all_but_the_ids(monkeypatch, tmp_path, capsys):
    _offline(monkeypatch, tmp_path)
    path = tmp_path / "survey.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["survey", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Valid: 2 survey rows for 2 stakeholder(s); nothing was written." in out
    assert "The stakeholder ids were not checked against the graph" in out
    assert main(["survey", str(path), "--dry-run", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ids_checked"] is False and doc["rows"] == 2 and doc["assessments"] == 0


def test_a_bad_file_is_still_refused_offline_and_recording_needs_neo4j(
    monkeypatch, tmp_path, capsys
):
    _offline(monkeypatch, tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("Stakeholder;Date;Assessor;NPS\nc1;30.02.2026;ann;11\n", encoding="utf-8")
    assert main(["survey", str(bad), "--dry-run"]) == 3
    err = capsys.readouterr().err
    assert "bad.csv, row 2, column 'date'" in err and "column 'nps'" in err
    good = tmp_path / "survey.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["survey", str(good)]) == 4  # not reachable: nothing to record into
    assert "not checked" not in capsys.readouterr().out
