"""An interaction log without relationships (a meeting register or an e-mail log read as
interactions only) is let in, with one warning saying that the analysis would see isolated
stakeholders and how to add the log up into relationships."""

from __future__ import annotations

from pathlib import Path

from graphcap.i18n import shown, use_language
from loaders import load_path

NODES = (
    "id,name,type\nORG,Brenner AG,organization\nC1,Kunde Eins,customer\nC2,Kunde Zwei,customer\n"
)
LOG = "date,source,target,channel\n2026-01-05,C1,ORG,meeting\n2026-02-05,ORG,C2,email\n"
EDGES = "source,type,target\nC1,BUYS_FROM,ORG\n"


def _folder(tmp_path: Path, *, edges: bool) -> Path:
    (tmp_path / "nodes.csv").write_text(NODES, encoding="utf-8")
    (tmp_path / "interactions.csv").write_text(LOG, encoding="utf-8")
    if edges:
        (tmp_path / "edges.csv").write_text(EDGES, encoding="utf-8")
    return tmp_path


def _warnings(result) -> list[str]:
    """The warnings other than the CSV reader's own note that edges.csv is missing."""
    return [p.why for p in result.problems if p.severity == "warning" and "edges.csv" not in p.why]


def test_a_log_without_relationships_is_let_in_with_a_warning(tmp_path) -> None:
    result = load_path(_folder(tmp_path, edges=False))
    assert len(result.network.interactions) == 2 and result.network.edges.empty
    assert _warnings(result) == [
        "2 interactions but no relationships: the analysis works on relationships, so every "
        "stakeholder would look isolated; add the interactions up into relationships (an edges "
        "table in a recipe, as loaders/recipes/meetings.yaml does, or the Import page's tab "
        "'Raw exports (build a recipe)')"
    ]
    [problem] = [p for p in result.problems if p.why.startswith("2 interactions")]
    assert problem.file.endswith("interactions.csv")


def test_the_warning_reads_german_when_shown(tmp_path) -> None:
    result = load_path(_folder(tmp_path, edges=False))  # found in English, worded when shown
    with use_language("de"):
        german = [shown(why) for why in _warnings(result)]
    assert german == [
        "2 Interaktionen, aber keine Beziehungen: Die Analyse arbeitet mit Beziehungen, daher "
        "stünde jeder Stakeholder isoliert da; fassen Sie die Interaktionen zu Beziehungen "
        "zusammen (eine edges-Tabelle im Rezept wie in loaders/recipes/meetings.yaml oder auf der "
        "Import-Seite der Reiter „Rohexporte (ein Rezept erstellen)“)"
    ]


def test_no_warning_once_there_is_a_relationship(tmp_path) -> None:
    result = load_path(_folder(tmp_path, edges=True))
    assert _warnings(result) == []
