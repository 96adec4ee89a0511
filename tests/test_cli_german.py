"""``graphcap --lang de``: every command speaks German against the real Neo4j -- messages,
notes, table headers and errors -- while ``--format json`` and ``csv`` keep their English keys
(the documents are the same as in English).

"No English left" is checked against graphcap's own English vocabulary: every word of the
command line's English messages (cli.po, h15.po msgids) that the German translations do not use
themselves. A German output may hold no such word; names, ids, paths and quoted values are data
and are left out of the check, and so are the few words both languages share (allow-list).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.pofile import read_po

from graphcap.cli import main
from graphcap.model import Network

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent
PO_DIR = ROOT / "graphcap" / "locale" / "de" / "LC_MESSAGES"
#: words German uses too, or names: never a sign of a missing translation
ALLOWED = {"graphcap", "neo4j", "cypher", "json", "csv", "pid", "id", "ids", "limit", "lenient"}
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{3,}")


def _vocabulary() -> set[str]:
    english: set[str] = set()
    german: set[str] = set()
    for name in ("cli.po", "h15.po"):
        with (PO_DIR / name).open("rb") as fh:
            for m in read_po(fh, locale="de"):
                if not m.id:
                    continue
                ids = m.id if isinstance(m.id, tuple) else (m.id,)
                strings = m.string if isinstance(m.string, tuple) else (m.string,)
                for text in ids:
                    english |= {w.lower() for w in _WORD.findall(_plain(text))}
                for text in strings:
                    german |= {w.lower() for w in _WORD.findall(_plain(text))}
    return english - german - ALLOWED


def _plain(text: str) -> str:
    """``text`` without data: paths, URLs, quoted values, placeholders, options and commands."""
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"graphcap [a-z][\w-]*", " ", text)  # a command's name: a name, not a word
    text = re.sub(r"'[^']*'|`[^`]*`", " ", text)
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # paths and URLs
    text = re.sub(r"--?[\w-]+", " ", text)  # options
    text = re.sub(r"\b[A-Z][A-Z0-9_]{2,}\b", " ", text)  # REL_TYPES, NAME, FILE
    return text


VOCABULARY = _vocabulary()


def _english_words(text: str, data: set[str]) -> set[str]:
    words = {w.lower() for w in _WORD.findall(_plain(text))}
    return (words & VOCABULARY) - data


@pytest.fixture
def net(store, neo4j_env, monkeypatch, tmp_path):
    monkeypatch.setenv("GRAPHCAP_USER", "cli-user")
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("GRAPHCAP_LANG", raising=False)
    nodes = pd.DataFrame(
        {
            "id": ["org", "c1", "c2"],
            "name": ["Wir", "Kunde Eins", "Kunde Zwei"],
            "type": ["organization", "customer", "customer"],
            "revenue": [None, 1234567.5, 20000.0],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["c1", "c2"],
            "target": ["org", "org"],
            "type": ["BUYS_FROM", "BUYS_FROM"],
            "trust": [0.5, 0.8],
            "last_contact": pd.to_datetime(["2026-01-01", "2026-05-01"]),
        }
    )
    interactions = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-04-01", "2026-05-01"]),
            "source": ["org", "org"],
            "target": ["c1", "c2"],
            "channel": ["meeting", "call"],
        }
    )
    store.import_network(Network(nodes=nodes, edges=edges, interactions=interactions))
    return store


#: ids, names, types and values of the test network: data, never translated
DATA = {"org", "wir", "kunde", "eins", "zwei", "meeting", "call", "customer", "organization"}
DATA |= {"community", "enterprise"}  # the Neo4j server's edition, as the server names it


def _run(capsys, *args: str, lang: str = "de", code: int = 0) -> str:
    assert main(["--lang", lang, *args]) == code, args
    out = capsys.readouterr()
    return out.out + out.err


def _json(capsys, *args: str, lang: str = "de"):
    assert main(["--lang", lang, *args]) == 0, args
    return json.loads(capsys.readouterr().out)


def _german(capsys, *args: str, expect: list[str], code: int = 0) -> str:
    text = _run(capsys, *args, code=code)
    for wanted in expect:
        assert wanted in text, (args, wanted, text)
    # an import problem's own reason ("  - file, column 'id' ...: ids must be unique") is still
    # English (docs: what is left); the lines around it are checked
    chrome = "\n".join(line for line in text.splitlines() if not line.startswith("  - "))
    assert not _english_words(chrome, DATA), (args, _english_words(chrome, DATA), text)
    return text


def test_every_command_speaks_german_and_machine_formats_keep_their_keys(
    net, capsys, tmp_path, monkeypatch
):
    # info: counts and what is connected
    _german(
        capsys,
        "info",
        expect=["Verbunden:", "Datenversion:", "Stakeholder (3) nach Label:", "Interaktionen: 2"],
    )
    info = {lang: _json(capsys, "info", "--format", "json", lang=lang) for lang in "de en".split()}
    assert info["de"] == info["en"] and set(info["de"]) >= {"source", "counts", "version"}

    # import: a dry run and a real re-import of graphcap's own CSV export
    _run(capsys, "export", "csv", "--out", str(tmp_path / "csv"), "--name", "netz", lang="en")
    folder = next(p.parent for p in (tmp_path / "csv").rglob("nodes.csv"))
    _german(
        capsys,
        "import",
        str(folder),
        "--dry-run",
        expect=[
            "Prüfe",
            "Datenstand: 01.05.2026",
            "Gültig: 3 Stakeholder, 2 Beziehungen",
            "Probelauf",
        ],
    )
    text = _german(
        capsys, "import", str(folder), expect=["Importiert in", "unverändert", "abgelehnt"]
    )
    assert "Stakeholder" in text and "Beziehungen" in text
    dry = {
        lang: _json(capsys, "import", str(folder), "--dry-run", "--format", "json", lang=lang)
        for lang in ("de", "en")
    }
    assert dry["de"] == dry["en"]
    assert set(dry["de"]) == {
        "source",
        "format",
        "valid",
        "dry_run",
        "imported",
        "target",
        "seconds",
        "problems",
        "as_of",
        "ego_only",
    }
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "nodes.csv").write_text("id,name,type\nx1,Einer,customer\nx1,Doppelt,customer\n")
    _german(
        capsys,
        "import",
        str(bad),
        expect=["1 Problem(e); nichts wurde importiert:", "Die Zeilen oben korrigieren"],
        code=3,
    )

    # snapshot create / list / show / diff
    snaps = str(tmp_path / "snaps")
    _german(
        capsys, "snapshot", "create", "--name", "vorher", "--folder", snaps, expect=["angelegt: "]
    )
    _german(capsys, "snapshot", "list", "--folder", snaps, expect=["Name", "Beziehungen"])
    _german(
        capsys,
        "snapshot",
        "show",
        "vorher",
        "--folder",
        snaps,
        expect=["Stand:", "Stakeholder nach Typ:"],
    )
    listed = {
        lang: _json(capsys, "snapshot", "list", "--folder", snaps, "--format", "json", lang=lang)
        for lang in ("de", "en")
    }
    assert listed["de"] == listed["en"]
    assert set(listed["de"][0]) == {
        "name",
        "created",
        "stakeholders",
        "relationships",
        "rci",
        "file",
        "problem",
    }
    csv_de = _run(capsys, "snapshot", "list", "--folder", snaps, "--format", "csv")
    assert csv_de.splitlines()[0] == "name,created,stakeholders,relationships,rci,file,problem"

    # query: the result's own columns are data; the note is German
    _run(capsys, "metrics", "--write", lang="en")  # the library queries read written-back metrics
    text = _run(capsys, "query", "top_customers", "--param", "limit=2")
    assert "Kunde Eins" in text and re.search(r"2 Zeile\(n\) in \d+,\d\d s", text), text
    _german(capsys, "query", expect=["Fehler:", "genau eines angeben"], code=2)
    queried = {  # the same document but for its timing
        lang: _json(capsys, "query", "top_customers", "--format", "json", lang=lang)
        for lang in ("de", "en")
    }
    assert set(queried["de"]) == set(queried["en"])
    assert queried["de"]["rows"] == queried["en"]["rows"]

    # assess, log, history, undo
    _german(
        capsys,
        "assess",
        "c1",
        "--satisfaction",
        "0,7",
        expect=["Bewertet: Stakeholder 'c1':", "(Ereignis "],
    )
    _german(
        capsys,
        "log",
        "org",
        "c2",
        "--date",
        "2026-05-20",
        "--channel",
        "call",
        expect=["Erfasst: 2026-05-20"],
    )
    text = _german(
        capsys, "history", "c1", expect=["'cli-user' am ", "bewertet", "[Stakeholder c1]"]
    )
    events = _json(capsys, "history", "c1", "--format", "json")
    assert [(e["action"], e["kind"]) for e in events] == [  # codes: the import, then the edit
        ("import", "stakeholder"),
        ("assess", "stakeholder"),
    ]
    _german(capsys, "undo", events[-1]["id"], expect=["Rückgängig gemacht: Stakeholder c1"])
    _german(
        capsys,
        "history",
        "c9",
        "--type",
        "BUYS_FROM",
        expect=["--type und --target gehören zusammen"],
        code=2,
    )

    # survey: a dry run
    survey = tmp_path / "umfrage.csv"
    survey.write_text(
        "Stakeholder;Date;Assessor;Satisfaction\nc1;1.3.2026;ann;0,4\n", encoding="utf-8"
    )
    _german(capsys, "survey", str(survey), "--dry-run", expect=["Gültig: 1 Umfragezeile"])

    # sample (a snapshot file), neo4j status (no local server here), overdue
    _german(
        capsys,
        "sample",
        "--out",
        str(tmp_path / "beispiel.gcap"),
        "--scale",
        "small",
        expect=["Beispielnetzwerk (Startwert", "Stakeholder", "Snapshot"],
    )
    _german(
        capsys,
        "neo4j",
        "status",
        "--data-dir",
        str(tmp_path / "keins"),
        expect=["beendet: Daten"],
        code=4,
    )
    _german(capsys, "sample", "--replace", expect=["--replace gilt nur mit --neo4j"], code=2)
    monkeypatch.setenv("GRAPHCAP_LANG", "de")  # the environment chooses the language too
    assert main(["overdue", "--today", "2026-06-01"]) == 0
    text = capsys.readouterr().out
    # the last contact is the interaction of 01.04.2026 (written back by `metrics --write`):
    # 61 days before 01.06.2026, one day past the customers' 60-day target
    assert text.splitlines() == [
        "    1 d  c1  'Kunde Eins' (Kunde), zuständig -: letzter Kontakt am 01.04.2026 liegt "
        "mehr als 60 Tage zurück"
    ], text
