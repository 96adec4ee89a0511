"""Real error paths in German: a wrong password against the real Neo4j, a query the console
refuses, a bad setting, a missing snapshot file. The German texts are written here by hand; the
English ones are the texts graphcap printed before its errors were translated (unchanged), and
no German message may hold a word of the English error vocabulary (the leftover-English check of
tests/test_cli_german.py, over the catalogue of the core's and the store's errors).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from graphcap.config.limits import Limits
from graphcap.console.policy import check_statement, run_query
from graphcap.errors import AuthFailed, ConfigError, ExportError, QueryRefused
from graphcap.i18n import use_language
from graphcap.snapshot.archive import read_snapshot
from graphcap.store import Neo4jStore
from tests.test_cli_german import _WORD, ALLOWED, _plain

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "graphcap" / "locale" / "de" / "LC_MESSAGES" / "h15b.po"


def _vocabulary() -> set[str]:
    """Every word of the errors' English texts that their German translations do not use."""
    english: set[str] = set()
    german: set[str] = set()
    with CATALOGUE.open("rb") as fh:
        for m in read_po(fh, locale="de"):
            if m.id:
                english |= {w.lower() for w in _WORD.findall(_plain(m.id))}
                german |= {w.lower() for w in _WORD.findall(_plain(m.string))}
    return english - german - ALLOWED


VOCABULARY = _vocabulary()


def _no_english(text: str) -> None:
    left = {w.lower() for w in _WORD.findall(_plain(text))} & VOCABULARY
    assert not left, (left, text)


def _raised(kind: type[Exception], call, lang: str) -> Exception:
    with use_language(lang), pytest.raises(kind) as info:
        call()
    return info.value


def test_the_vocabulary_is_the_errors_english():
    assert {"refused", "whole", "nothing", "changed", "exist", "database"} <= VOCABULARY


@pytest.mark.integration
def test_wrong_password_in_german(neo4j_settings):
    settings = dataclasses.replace(neo4j_settings, password="falsch-h15b-Passwort")

    def connect() -> None:
        with Neo4jStore(settings) as store:
            store.verify()

    err = _raised(AuthFailed, connect, "de")
    assert str(err) == (
        f"Neo4j unter {settings.uri} (Datenbank 'neo4j') hat den Benutzer "
        f"{settings.user!r} abgewiesen: falscher Benutzername oder falsches Passwort; "
        "NEO4J_USER / NEO4J_PASSWORD setzen (das Passwort des lokalen Servers steht in seinem "
        "Datenordner)"
    )
    assert settings.password not in str(err)
    _no_english(str(err))


@pytest.mark.integration
def test_refused_console_query_in_german_and_english(store):
    load_csv = "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row"
    de = _raised(QueryRefused, lambda: run_query(store, load_csv), "de")
    assert isinstance(de, QueryRefused)
    assert de.reason == (
        "LOAD CSV liest Dateien und URLs auf dem Server; die Konsole führt nur lesende Abfragen "
        "auf dem Graphen aus"
    )
    assert str(de) == "Abfrage abgelehnt: " + de.reason
    _no_english(str(de))
    en = _raised(QueryRefused, lambda: run_query(store, load_csv), "en")
    assert str(en) == (
        "Query refused: LOAD CSV reads files and URLs on the server; the console only runs "
        "read-only queries on the graph"
    )
    two = "MATCH (n) RETURN n; MATCH (m) RETURN m"
    de = _raised(QueryRefused, lambda: check_statement(two), "de")
    assert str(de) == (
        "Abfrage abgelehnt: mehr als eine Anweisung (';' bei Zeile 1, Spalte 19); die Konsole "
        "führt genau eine Anweisung aus"
    )
    _no_english(str(de))
    en = _raised(QueryRefused, lambda: check_statement(two), "en")
    assert str(en) == (
        "Query refused: more than one statement (';' at line 1, column 19); the console runs "
        "exactly one statement"
    )


def test_bad_setting_in_german_with_german_numbers():
    def bad_rows() -> None:
        Limits.from_env(env={"GRAPHCAP_MAX_ROWS": "0"})

    de = _raised(ConfigError, bad_rows, "de")
    assert str(de) == (
        "max_rows muss eine ganze Zahl von 1 bis 10.000.000 sein, erhalten: 0 "
        "(aus GRAPHCAP_MAX_ROWS); GRAPHCAP_MAX_ROWS oder [limits] max_rows setzen "
        "(Standard 5.000)"
    )
    _no_english(str(de))
    assert str(_raised(ConfigError, bad_rows, "en")) == (
        "max_rows must be a whole number from 1 to 10,000,000, got 0 (from GRAPHCAP_MAX_ROWS); "
        "set GRAPHCAP_MAX_ROWS or [limits] max_rows (default 5,000)"
    )

    def bad_timeout() -> None:
        Limits.from_env(env={"GRAPHCAP_QUERY_TIMEOUT_S": "bald"})

    de = _raised(ConfigError, bad_timeout, "de")
    assert str(de) == (
        "query_timeout_s muss eine Zahl von 0,001 bis 86.400 sein, erhalten: 'bald' "
        "(aus GRAPHCAP_QUERY_TIMEOUT_S); Standard 10,0"
    )
    _no_english(str(de))
    assert str(_raised(ConfigError, bad_timeout, "en")) == (
        "query_timeout_s must be a number from 0.001 to 86,400, got 'bald' "
        "(from GRAPHCAP_QUERY_TIMEOUT_S); default 10.0"
    )


def test_missing_snapshot_in_german(tmp_path):
    path = tmp_path / "weg.gcap"
    de = _raised(ExportError, lambda: read_snapshot(path), "de")
    assert str(de) == f"Snapshot {path} gibt es nicht"
    _no_english(str(de))
    assert str(_raised(ExportError, lambda: read_snapshot(path), "en")) == (
        f"snapshot {path} does not exist"
    )


@pytest.mark.integration
def test_store_line_for_people_in_german_machine_value_english(store):
    where = f"{store.settings.uri} (database {store.settings.database!r})"
    with use_language("de"):
        assert store.describe().startswith(f"Neo4j at {where}")  # JSON source: never translated
        text = store.describe_text()
    assert text.startswith(
        f"Neo4j unter {store.settings.uri} (Datenbank {store.settings.database!r})"
    )
    assert text.removeprefix("Neo4j unter ") == store.describe().removeprefix("Neo4j at ").replace(
        "(database ", "(Datenbank "
    )


@pytest.mark.integration
def test_the_apps_shared_connection_problem_is_worded_per_session(neo4j_settings):
    """The app caches its connection for every session; the reason Neo4j is not used was
    worded in the language of the session that connected first. A German session sees it in
    German (worded again, once), an English one in English."""
    from graphcap.ui import datasource, plaintext

    settings = dataclasses.replace(neo4j_settings, user="niemand-h15b")  # not the test user

    def connect() -> None:
        with Neo4jStore(settings) as store:
            store.verify()

    english = str(_raised(AuthFailed, connect, "en"))
    conn = datasource.Connection(
        None, "snapshot", "snapshot x", english, "en", settings, "key-h15b"
    )
    german = (
        f"Neo4j unter {settings.uri} (Datenbank 'neo4j') hat den Benutzer 'niemand-h15b' "
        "abgewiesen: falscher Benutzername oder falsches Passwort; NEO4J_USER / NEO4J_PASSWORD "
        "setzen (das Passwort des lokalen Servers steht in seinem Datenordner)"
    )
    with use_language("de"):
        assert datasource.neo4j_problem(conn) == plaintext.md_escape(german)
    with use_language("en"):
        assert datasource.neo4j_problem(conn) == plaintext.md_escape(english)
    assert english.startswith(f"Neo4j at {settings.uri} (database 'neo4j') refused user ")


@pytest.mark.integration
def test_info_names_the_store_in_german_and_json_keeps_the_english_source(
    store, neo4j_env, capsys, monkeypatch
):
    from graphcap.cli import main

    monkeypatch.delenv("GRAPHCAP_LANG", raising=False)
    assert main(["--lang", "de", "info"]) == 0
    out = capsys.readouterr().out
    assert f"Verbunden: Neo4j unter {neo4j_env.uri} (Datenbank {neo4j_env.database!r}) -- " in out
    assert main(["--lang", "de", "info", "--format", "json"]) == 0
    source = json.loads(capsys.readouterr().out)["source"]
    assert source.startswith(f"Neo4j at {neo4j_env.uri} (database {neo4j_env.database!r}) -- ")
