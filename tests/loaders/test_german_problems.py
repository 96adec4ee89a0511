"""Import problems and loader errors in German (issue 15): every reason a user reads when a file
does not get in is worded in the reader's language when it is shown, English stays as it was.

The German texts below are written by hand. "No English left" reuses the command line's check
(tests/test_cli_german.py): every word of the English msgids of h15a.po that the German
translations do not use is a leftover; names, paths and quoted values are data and not checked.
"""

from __future__ import annotations

import ast
import pickle
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from graphcap.cli import cli
from graphcap.errors import LoaderError, Problem, ValidationError
from graphcap.i18n import Text, lazy_gettext, use_language
from loaders import load_path
from loaders.problems import group_problems
from tests.loaders.test_hostile_files import _damaged_utf8
from tests.test_cli_german import _WORD, ALLOWED, _plain

ROOT = Path(__file__).resolve().parent.parent.parent
PO_DIR = ROOT / "graphcap" / "locale" / "de" / "LC_MESSAGES"
#: the files whose messages this part of issue 15 words (h15b: graphcap core and store)
MINE = [*sorted((ROOT / "loaders").rglob("*.py")), ROOT / "graphcap/files.py"]
MINE += [*sorted((ROOT / "graphcap/model").rglob("*.py")), ROOT / "graphcap/errors.py"]
LAZY = {"_l", "lazy_gettext", "lazy_ngettext", "_", "gettext", "ngettext"}


def _vocabulary() -> set[str]:
    english: set[str] = set()
    german: set[str] = set()
    with (PO_DIR / "h15a.po").open("rb") as fh:
        for m in read_po(fh, locale="de"):
            if not m.id:
                continue
            for text in m.id if isinstance(m.id, tuple) else (m.id,):
                english |= {w.lower() for w in _WORD.findall(_plain(text))}
            for text in m.string if isinstance(m.string, tuple) else (m.string,):
                german |= {w.lower() for w in _WORD.findall(_plain(text))}
    # German shares these with the English texts (formats, settings, technical names)
    same = {"xml", "mib", "zip", "sql", "select", "utf", "nodes", "edges", "csv", "excel"}
    return english - german - ALLOWED - same


VOCABULARY = _vocabulary()


def _leftovers(text: str) -> set[str]:
    """English words of graphcap's loader messages left in ``text`` (data taken out)."""
    text = re.sub(r"\S+\.(csv|xlsx|xls|graphml|gexf|zip)\b", " ", text)  # file names are data
    return {w.lower() for w in _WORD.findall(_plain(text))} & VOCABULARY


def _garbage(tmp_path: Path) -> Path:
    folder = tmp_path / "garbage"
    folder.mkdir()
    (folder / "nodes.csv").write_text(
        "id,name,type,revenue,loyalty\n"
        "ORG,Muster AG,organization,,\n"
        "C1,Kunde Eins,customer,1000.5,0.5\n"
        "C1,Kunde Zwei,customer,12,0.2\n"
        "C3,Kunde Drei,dragon,abc,0.1\n"
        "C4,,customer,5,70\n"
        "C5,Null\x00Byte,customer,5,0.3\n",
        encoding="utf-8",
    )
    (folder / "edges.csv").write_text(
        "source,target,type\nC1,ORG,BUYS_FROM\nC9,ORG,BUYS_FROM\nC1,ORG,LOVES\n", encoding="utf-8"
    )
    return folder


def _entity_bomb(tmp_path: Path) -> Path:
    path = tmp_path / "laughs.graphml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n'
        '<graphml><graph edgedefault="directed"><node id="&lol2;"/></graph></graphml>\n',
        encoding="utf-8",
    )
    return path


def _old_excel(tmp_path: Path) -> Path:
    path = tmp_path / "alt.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    return path


def _shown(path: Path, lang: str) -> str:
    """What a user reads when ``path`` is refused, in ``lang``."""
    with pytest.raises(LoaderError) as info:
        load_path(path)
    with use_language(lang):
        return str(info.value)


def test_the_garbage_file_reads_german_and_english_stays(tmp_path) -> None:
    folder = _garbage(tmp_path)
    with pytest.raises(ValidationError) as info:
        load_path(folder)
    with use_language("de"):
        german = str(info.value)
        lines = [str(p) for p in info.value.problems if p.severity == "error"]
    english = str(info.value)
    assert german.splitlines()[0] == "8 Probleme in der Eingabe; nichts wurde importiert."
    assert english.splitlines()[0] == "8 problem(s) in the input; nothing was imported."
    assert lines[0] == (
        "nodes.csv, Zeile 4, Spalte 'id': doppelte ID (auch in Zeile 3); IDs müssen eindeutig "
        "sein (Wert 'C1')"
    )
    assert (
        "nodes.csv, Zeile 5, Spalte 'revenue': Wert ist keine Zahl (mit Dezimalpunkt gelesen) "
        "(Wert 'abc')" in lines
    )
    assert "nodes.csv, Zeile 6, Spalte 'name': leerer Name; jede Zeile braucht einen" in lines
    assert (
        "nodes.csv, Zeile 6, Spalte 'loyalty': muss zwischen 0 und 1 liegen (einen Prozentwert "
        "als 80 % schreiben) (Wert '70')" in lines
    )
    assert (
        "nodes.csv, Zeile 7, Spalte 'name': enthält das Steuerzeichen U+0000 (NUL); bitte "
        "entfernen (Wert 'Null\\x00Byte')" in lines
    )
    assert (
        "edges.csv, Zeile 3, Spalte 'source': die Quelle ist keine ID eines Stakeholders in "
        "nodes.csv (Wert 'C9')" in lines
    )
    assert any(line.startswith("nodes.csv, Zeile 5, Spalte 'type': unbekannter Stakeholder-Typ; "
                               "erlaubt: agency, ") for line in lines)  # fmt: skip
    assert any(line.startswith("edges.csv, Zeile 4, Spalte 'type': unbekannter Beziehungstyp")
               for line in lines)  # fmt: skip
    assert not _leftovers(german), _leftovers(german)
    assert "duplicate id (also in row 3); ids must be unique" in english  # English as before
    assert _leftovers(english)  # the check does see English


@pytest.mark.parametrize(
    ("make", "german"),
    [
        (
            _damaged_utf8,
            "nodes.csv: die Datei ist UTF-8 (3 Nicht-ASCII-Zeichen richtig gelesen), aber 1 "
            "Byte(s) nicht: das erste an Byte-Position 69 (Zeile 4, Spalte 7, bei "
            "b'r\\nC2,Bad\\xff,cu'). In einer anderen Kodierung gelesen würde jeder Umlaut "
            "verstümmelt",
        ),
        (
            _entity_bomb,
            "laughs.graphml: abgelehnt: das XML deklariert eine Entität ('lol'); über "
            "Entitäts-Deklarationen laufen Angriffe",
        ),
        (
            _old_excel,
            "alt.xls: altes Excel-Format (.xls); als Excel-Arbeitsmappe (.xlsx) speichern",
        ),
    ],
)
def test_hostile_files_are_refused_in_german(tmp_path, make, german) -> None:
    path = make(tmp_path)
    shown = _shown(path, "de")
    assert shown.split(str(tmp_path) + "/")[-1].startswith(german), shown
    assert not _leftovers(shown), _leftovers(shown)
    assert _shown(path, "en") != shown


def test_limits_are_refused_in_german(tmp_path, monkeypatch) -> None:
    folder = _garbage(tmp_path)
    big = tmp_path / "big.csv"
    big.write_text("id,name,type\n" + "C1,Kunde Eins,customer\n" * 1000, encoding="utf-8")
    monkeypatch.setenv("GRAPHCAP_MAX_FILE_BYTES", "1024")
    shown = _shown(big, "de")
    assert shown == (  # 13 + 1000 * 23 = 23.013 bytes, German grouping
        "big.csv: die Datei hat 23.013 Bytes, mehr als die Grenze von 1.024 Bytes (Einstellung "
        "max_file_bytes / GRAPHCAP_MAX_FILE_BYTES); sie aufteilen oder die Grenze erhöhen"
    )
    monkeypatch.setenv("GRAPHCAP_MAX_FILE_BYTES", "100000000")
    monkeypatch.setenv("GRAPHCAP_MAX_TABLE_ROWS", "2")
    shown = _shown(folder, "de")
    assert shown == (
        "nodes.csv: 7 Zeilen, mehr als die Grenze von 2 Zeilen (Einstellung max_table_rows / "
        "GRAPHCAP_MAX_TABLE_ROWS); die Datei aufteilen oder die Grenze erhöhen"
    )


def test_the_cli_prints_the_problems_in_german_and_keeps_json(tmp_path) -> None:
    folder = _garbage(tmp_path)
    runner = CliRunner()
    de = runner.invoke(cli, ["--lang", "de", "import", "--dry-run", str(folder)])
    en = runner.invoke(cli, ["import", "--dry-run", str(folder)])
    assert de.exit_code == en.exit_code == 3
    assert (
        "  - nodes.csv, Zeile 6, Spalte 'name': leerer Name; jede Zeile braucht einen" in de.output
    )
    assert "  - nodes.csv, row 6, column 'name': empty name; every row needs one" in en.output
    problems = de.output.split("nichts wurde importiert:", 1)[1]
    assert not _leftovers(problems), _leftovers(problems)
    damaged = runner.invoke(
        cli, ["--lang", "de", "import", "--dry-run", str(_damaged_utf8(tmp_path))]
    )
    assert damaged.exit_code == 3 and "Byte-Position 69" in damaged.output
    # machine output: the same document in both languages
    js = [
        runner.invoke(cli, ["--lang", lang, "import", "--dry-run", "--format", "json", str(folder)])
        for lang in ("de", "en")
    ]
    assert (
        js[0].stdout == js[1].stdout and '"why": "empty name; every row needs one"' in js[0].stdout
    )


def test_grouped_problems_read_german() -> None:
    why = lazy_gettext("empty name; every row needs one")
    problems = [Problem(file="n.csv", row=r, column="name", why=why) for r in (2, 3, 4, 5, 6, 7)]
    problems.append(Problem(file="n.csv", row=9, column="type", why="x", value="abc"))
    groups = group_problems(problems)
    with use_language("de"):
        assert str(groups[0]) == (
            "n.csv, Spalte 'name': 6 Zeilen: leerer Name; jede Zeile braucht einen "
            "(Zeilen 2, 3, 4, 5, 6, ...)"
        )
        assert str(groups[1]) == "n.csv, Zeile 9, Spalte 'type': x (Wert 'abc')"
    assert str(groups[0]) == (
        "n.csv, column 'name': 6 rows: empty name; every row needs one (rows 2, 3, 4, 5, 6, ...)"
    )


def test_a_reason_keeps_its_words_across_pickling_and_languages() -> None:
    """A checked import may outlive its language (the session switches to Deutsch): the reason
    is worded when shown, never when found."""
    why = lazy_gettext("duplicate id (also in row {row}); ids must be unique", row=12)
    problem = pickle.loads(pickle.dumps(Problem(file="a.csv", row=14, why=why)))
    assert isinstance(problem.why, Text) and problem.why == why
    with use_language("de"):
        assert (
            str(problem)
            == "a.csv, Zeile 14: doppelte ID (auch in Zeile 12); IDs müssen eindeutig sein"
        )
        assert problem.as_dict()["why"] == "duplicate id (also in row 12); ids must be unique"
        assert (
            problem.shown_dict()["why"]
            == "doppelte ID (auch in Zeile 12); IDs müssen eindeutig sein"
        )


def _plain_text(node: ast.expr) -> bool:
    """A message written as a bare literal or f-string (not through gettext)."""
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value != ""


def _messages(path: Path) -> tuple[set[str], list[str]]:
    """The literal msgids ``path`` words, and every raise of an error or Problem reason given
    as a plain literal or f-string (not worded in the reader's language)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    bare: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None) or ""
        if name in LAZY and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
        if name.endswith("Error") and node.args and _plain_text(node.args[0]):
            bare.append(f"{path.name}:{node.lineno}")
        if name == "Problem":
            if any(kw.arg == "why" and _plain_text(kw.value) for kw in node.keywords):
                bare.append(f"{path.name}:{node.lineno}")
    return found, bare


def test_every_loader_message_is_worded_and_has_german() -> None:
    translated = set()
    for po in sorted(PO_DIR.glob("*.po")):
        with po.open("rb") as fh:
            translated |= {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    missing, bare = [], []
    for path in MINE:
        found, raw = _messages(path)
        missing += [f"{path.name}: {m!r}" for m in sorted(found - translated)]
        bare += raw
    assert not missing, missing
    assert not bare, f"messages not worded through gettext/lazy_gettext: {bare}"
