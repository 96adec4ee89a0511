"""``graphcap --lang de`` down to click: every ``--help``, click's own usage errors, the recipe
and merge commands, backtest, query --list, assess/log/history and next-contacts speak German;
English stays click's own; JSON and CSV keep their keys.

"No English left" uses the vocabulary check of tests/test_cli_german.py, widened to the help
texts and click's messages (h15c.po): every word of their English that the German translations
do not use themselves. Metavars (TEXT, PATH), option names, choices and paths are syntax or
data, not words, and are left out.
"""

from __future__ import annotations

import json
import re

import click
import pytest
from babel.messages.pofile import read_po

from graphcap.cli import _COMMANDS, cli, main
from graphcap.cli.clicktext import help_texts
from graphcap.cli.exits import EXIT_MEANINGS
from graphcap.console.library import list_queries
from graphcap.i18n import catalogue
from tests.test_cli_german import DATA, PO_DIR, _plain, net  # noqa: F401  (net: a fixture)

ALLOWED = {"graphcap", "neo4j", "cypher", "json", "csv", "pid", "id", "ids", "limit", "lenient"}
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{3,}")


def _vocabulary() -> set[str]:
    english: set[str] = set()
    german: set[str] = set()
    for name in ("cli.po", "h15.po", "h15c.po"):
        with (PO_DIR / name).open("rb") as fh:
            for m in read_po(fh, locale="de"):
                if not m.id:
                    continue
                for text in m.id if isinstance(m.id, tuple) else (m.id,):
                    english |= {w.lower() for w in _WORD.findall(_plain(text))}
                for text in m.string if isinstance(m.string, tuple) else (m.string,):
                    german |= {w.lower() for w in _WORD.findall(_plain(text))}
    return english - german - ALLOWED


VOCABULARY = _vocabulary()


def _syntax(text: str) -> str:
    """``text`` without what click writes as syntax: choices ``[a|b]``, ranges, metavars."""
    text = re.sub(r"\[[^\]\s]*\|[^\]]*\]", " ", text)  # [table|json|csv]
    text = re.sub(r"\b[A-Z][A-Z_]+\b", " ", text)  # TEXT, PATH, FILENAME, COMMAND
    text = re.sub(r"<[^>]*>", " ", text)  # <n>
    text = re.sub(r"\b\w+_\w+\b", " ", text)  # keys and query names: top_customers
    return _plain(text)


def _english(text: str, data: set[str] = DATA) -> set[str]:
    return ({w.lower() for w in _WORD.findall(_syntax(text))} & VOCABULARY) - data - NAMES


def _run(capsys, *args: str, code: int = 0) -> str:
    assert main(list(args)) == code, args
    out = capsys.readouterr()
    return out.out + out.err


def _commands() -> list[list[str]]:
    """Every command path: ``[]`` (graphcap itself), ``["info"]``, ``["snapshot", "diff"]``."""
    paths: list[list[str]] = [[]]
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        paths.append([name])
        cmd = cli.get_command(ctx, name)
        if isinstance(cmd, click.Group):
            paths += [[name, sub] for sub in cmd.list_commands(click.Context(cmd))]
    return paths


#: the commands' names (next-contacts, snapshot diff): names, not words
NAMES = {w for path in _commands() for name in path for w in name.split("-")}
NAMES |= {q.name for q in list_queries()}  # the library's queries (communities)


def test_every_help_text_and_click_message_has_german():
    """The texts the help formatter looks up (each paragraph, option help, the command list,
    the exit codes) and click's own messages are all in the catalogue."""
    words = catalogue("de")
    texts = set(help_texts(cli)) | {short for _m, _a, short in _COMMANDS.values()}
    texts |= set(EXIT_MEANINGS.values())
    missing = sorted(t for t in texts if words.gettext(t) == t)
    assert not missing, missing
    for message in ("No such option {name!r}.", "Missing argument", "Usage:", "Options",
                    "Commands", "Show this message and exit.", "default: {default}",
                    "Try '{command} {option}' for help.", "Invalid value for {param_hint}: "
                    "{message}", "No such command {name!r}."):  # fmt: skip
        assert words.gettext(message) != message, message
    assert words.ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 2)
    assert len(_commands()) == len(_COMMANDS) + 1 + 3 + 4  # neo4j: 3, snapshot: 4


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p) or "graphcap")
def test_every_help_is_german_and_english_stays_clicks(capsys, path):
    german = _run(capsys, "--lang", "de", *path, "--help")
    assert german.startswith("Aufruf: graphcap"), german
    assert "Optionen:" in german and "Diese Hilfe zeigen und beenden." in german
    assert "Usage:" not in german and "Show this message" not in german
    assert not _english(german), (path, _english(german), german)
    english = _run(capsys, "--lang", "en", *path, "--help")
    assert english.startswith("Usage: graphcap") and "Options:" in english
    assert "Show this message and exit." in english and "Aufruf" not in english


def test_help_examples_and_defaults_read_german(capsys, monkeypatch):
    text = _run(capsys, "--lang", "de", "metrics", "--help")
    assert "Beispiele:" in text
    # an example's command stays as typed, its comment is German
    assert re.search(r"graphcap metrics --write +# m_\*-Eigenschaften für Cypher", text), text
    text = _run(capsys, "--lang", "de", "next-contacts", "--help")
    assert re.search(r"Wer innerhalb so vieler Tage fällig wird\.\s+\[Standard: 7;", text), text
    monkeypatch.setenv("GRAPHCAP_LANG", "de")  # the environment decides before --help is read
    text = _run(capsys, "--help")
    assert "Befehle:" in text and "Exit-Codes:" in text
    assert "  snapshot       Snapshots anlegen, auflisten und vergleichen." in text
    assert "  130  abgebrochen (Strg-C)" in text
    text = _run(capsys, "snapshot", "--help")
    assert (
        "  list    Die Snapshots auflisten, älteste zuerst" in text
    )  # shortened after translating


@pytest.mark.parametrize(
    ("args", "german", "english"),
    [
        (["sample", "--bogus"],
         "Fehler: Unbekannte Option '--bogus'. Gemeint ist vielleicht '--out'?",
         "Error: No such option"),
        (["snapshot", "diff", "a"], "Fehler: Fehlendes Argument 'AFTER'.",
         "Error: Missing argument 'AFTER'."),
        (["query", "--format", "xml"],
         "Fehler: Ungültiger Wert für '--format': 'xml' ist keines von 'table', 'csv', 'json', "
         "'markdown'.",
         "Error: Invalid value for '--format': 'xml' is not one of"),
        (["bogus"], "Fehler: Unbekannter Befehl 'bogus'.", "Error: No such command 'bogus'."),
        (["backtest", "--k", "0"], "Fehler: Ungültiger Wert für '--k': 0 liegt nicht im Bereich",
         "Error: Invalid value for '--k': 0 is not in the range"),
    ],
)  # fmt: skip
def test_usage_errors_in_german(capsys, args, german, english):
    text = _run(capsys, "--lang", "de", *args, code=2)
    lines = text.splitlines()
    assert lines[0].startswith("Aufruf: graphcap"), text
    assert re.fullmatch(r"'graphcap[\w -]*--help' zeigt die Hilfe\.", lines[1]), text
    assert german in text, text
    assert not _english(text, DATA | {"bogus", "xml", "markdown", "table"}), text
    text = _run(capsys, "--lang", "en", *args, code=2)
    assert text.startswith("Usage: graphcap") and "for help." in text
    assert english in text, text


def test_query_list_is_german_and_json_keeps_the_headers(capsys):
    text = _run(capsys, "--lang", "de", "query", "--list")
    assert "top_customers              Die wichtigsten Kunden nach Wert und Stärke" in text
    assert "stale_relationships        Beziehungen ohne Kontakt seit N Tagen" in text
    assert not _english(text), _english(text)
    docs = {lang: _run(capsys, "--lang", lang, "query", "--list", "--format", "json")
            for lang in ("de", "en")}  # fmt: skip
    assert docs["de"] == docs["en"]
    top = next(q for q in json.loads(docs["de"]) if q["name"] == "top_customers")
    assert top["title"] == "Top customers by value and strength"


def test_recipe_merge_and_backtest_speak_german(capsys, tmp_path, monkeypatch):
    """No Neo4j: a raw register's recipe checked (dry run), its merge proposals, and the
    backtest of a sample snapshot."""
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path / "data"))
    raw = tmp_path / "raw"
    text = _run(capsys, "--lang", "de", "sample", "--scale", "small", "--raw", "meetings",
                "--out", str(raw))  # fmt: skip
    assert "Rohexport meetings:" in text and not _english(text), text
    text = _run(capsys, "--lang", "de", "import", str(raw / "recipe.yaml"), "--dry-run")
    assert (
        "(recipe) ..." in text
        and "Gültig: 92 Stakeholder, 103 Beziehungen, 612 Interaktionen." in text
    )
    assert "Probelauf: Neo4j wurde nicht verändert. Abgelehnt: 0." in text
    # an import problem's own reason is the loaders' (still English, issue 15's h15a part)
    chrome = "\n".join(line for line in text.splitlines() if not line.startswith("  - "))
    assert not _english(chrome), _english(chrome)
    review = tmp_path / "review.csv"
    text = _run(capsys, "--lang", "de", "resolve", str(raw / "recipe.yaml"), "--review",
                str(review))  # fmt: skip
    assert re.search(r"\d+ Zusammenführungskandidaten geschrieben nach", text), text
    assert "mit accept oder reject markieren" in text and not _english(text), text
    found = {lang: json.loads(_run(capsys, "--lang", lang, "resolve", str(raw / "recipe.yaml"),
                                   "--review", str(review), "--format", "json"))
             for lang in ("de", "en")}  # fmt: skip
    assert found["de"] == found["en"]
    assert set(found["de"]) == {"recipe", "review", "candidates", "accepted", "kept"}
    snap = tmp_path / "s.gcap"
    _run(capsys, "sample", "--scale", "small", "--out", str(snap))
    args = ["backtest", "--as-of", "2026-03-01", "--snapshot", str(snap), "--top", "3"]
    text = _run(capsys, "--lang", "de", *args)
    lines = text.splitlines()
    assert lines[0] == "Radar zum 01.03.2026, Ergebnis über die nächsten 180 Tage"
    assert lines[4] == (
        "beurteilt: Stakeholder mit Kontakten in den 365 Tagen vor dem Stichtag; "
        "zurückgegangen: kein Kontakt oder weniger als die Hälfte der üblichen Rate in den 180 "
        "Tagen danach"
    )
    assert "Signale der Treffer:" in text and "sinkende Aktivität" in text
    header = lines[lines.index("Rangfolge des Radars (die ersten 3):") + 1].split()
    assert header[:4] == ["ID", "Name", "vorher", "nachher"] and "gewarnt" in header
    names = set()  # the stakeholders' names are data
    for line in lines[lines.index("Rangfolge des Radars (die ersten 3):") + 2 :]:
        names |= {w.lower() for w in _WORD.findall(line)}
    assert not _english(text, DATA | names), _english(text, DATA | names)
    english = _run(capsys, "--lang", "en", *args)
    assert "judged: stakeholders with contacts in the 365 days" in english
    assert "signal  hits" in english and "radar_rank" in english  # keys as before
    for fmt in ("json", "csv"):
        same = {lang: _run(capsys, "--lang", lang, *args, "--format", fmt) for lang in ("de", "en")}
        assert same["de"] == same["en"], fmt


@pytest.mark.integration
def test_assess_log_history_and_next_contacts_in_german(net, capsys):  # noqa: F811
    text = _run(capsys, "--lang", "de", "assess", "c1", "--satisfaction", "0.6")
    assert "Bewertet: Stakeholder 'c1':" in text and not _english(text), text
    text = _run(capsys, "--lang", "de", "log", "org", "c1", "--date", "2026-05-10",
                "--channel", "meeting")  # fmt: skip
    assert "Erfasst: 2026-05-10" in text and not _english(text), text
    text = _run(capsys, "--lang", "de", "history", "c1")
    assert "'cli-user' am " in text and "bewertet" in text and not _english(text), text
    history = {lang: json.loads(_run(capsys, "--lang", lang, "history", "c1", "--format", "json"))
               for lang in ("de", "en")}  # fmt: skip
    assert history["de"] == history["en"]
    assert [e["action"] for e in history["de"]] == ["import", "assess"]
    # next-contacts: the reasons are worded from their codes, in German
    _run(capsys, "--lang", "en", "metrics", "--write")
    args = ["next-contacts", "--today", "2026-07-10", "--days", "7"]
    text = _run(capsys, "--lang", "de", *args)
    # by hand: a customer's target is every 60 days; c1's last contact is the interaction
    # logged above (10.05.2026), due 09.07., one day late on 10.07.; c2's is 01.05.2026 (its
    # relationship's last contact), due 30.06., ten days late
    lines = text.splitlines()
    assert lines[0].endswith(
        "c1  'Kunde Eins' (Kunde), Verantwortlich: -: seit 1 Tag überfällig; letzter Kontakt am "
        "10.05.2026 liegt mehr als 60 Tage zurück; Umsatz 1.234.568 (Perzentilrang 100\xa0% "
        "innerhalb dieser Art); gefährdet (Punktzahl 20): Kontakt überfällig: letzter vor 61 "
        "Tagen (Ziel: alle 60 Tage)"
    ), text
    assert "c2  'Kunde Zwei' (Kunde), Verantwortlich: -: seit 10 Tagen überfällig;" in lines[1]
    assert len(lines) == 2 and not _english(text), text
    english = _run(capsys, "--lang", "en", *args)
    assert "c1  'Kunde Eins' (customer), owner -: overdue by 1 day; last contact 2026-05-10" in (
        english
    ), english
    docs = {lang: json.loads(_run(capsys, "--lang", lang, *args, "--format", "json"))
            for lang in ("de", "en")}  # fmt: skip
    assert docs["de"] == docs["en"]
    first = docs["de"]["contacts"][0]
    assert first["reason_codes"].startswith("overdue_by days=1; last_contact_over ")
    assert first["reason"].startswith("overdue by 1 day; last contact 2026-05-10")  # English
