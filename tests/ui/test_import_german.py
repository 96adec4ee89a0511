"""The Import page in German (issue 15): a refused file's problems are listed with German
reasons, and a checked import kept in the session reads German after the user switches the
language (the reasons are worded when shown, not when found). Expected texts by hand."""

from __future__ import annotations

import pytest

from tests.loaders.test_german_problems import _leftovers

pytestmark = pytest.mark.usefixtures("snapshot_env")

NODES = (
    "id,name,type,revenue\nORG,Muster AG,organization,\nC1,Kunde Eins,customer,1000.5\n"
    "C1,Kunde Zwei,customer,12\nC3,Kunde Drei,customer,abc\n"
)
EDGES = "source,target,type\nC1,ORG,BUYS_FROM\nC9,ORG,BUYS_FROM\n"


def _check(at, *, lenient: bool = False):  # type: ignore[no-untyped-def]
    at.get("file_uploader")[0].set_value(
        [("nodes.csv", NODES.encode(), "text/csv"), ("edges.csv", EDGES.encode(), "text/csv")]
    )
    if lenient:
        at.checkbox(key="imp_lenient").check()
    at.run()
    at.button(key="imp_check").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_refused_files_list_german_reasons(open_page) -> None:
    at = _check(open_page("import", query={"lang": "de"}))
    assert at.error[0].value == (
        "3 Probleme gefunden; nichts kann importiert werden, bis sie behoben sind."
    )
    report = at.dataframe[0].value
    rows = {(r["row"], r["column"]): r["why"] for _, r in report.iterrows()}
    assert rows[(4, "id")] == "doppelte ID (auch in Zeile 3); IDs müssen eindeutig sein"
    assert rows[(5, "revenue")] == "Wert ist keine Zahl (mit Dezimalpunkt gelesen)"
    assert rows[(3, "source")] == "die Quelle ist keine ID eines Stakeholders in nodes.csv"
    assert set(report["severity"]) == {"Fehler"}
    for why in report["why"]:
        assert not _leftovers(why), why


def test_a_checked_import_reads_german_after_switching_the_language(open_page) -> None:
    at = _check(open_page("import", query={"lang": "en"}), lenient=True)
    english = at.dataframe[0].value
    assert "duplicate id (also in row 3); ids must be unique" in set(english["why"])
    at.selectbox(key="gc_lang_pick").set_value("de").run()
    assert not at.exception, [e.message for e in at.exception]
    german = at.dataframe[0].value
    assert "doppelte ID (auch in Zeile 3); IDs müssen eindeutig sein" in set(german["why"])
    assert list(german["row"]) == list(english["row"])
    for why in german["why"]:
        assert not _leftovers(why), why
