"""Languages and locale formats (graphcap.i18n): expected texts written here by hand from German
and English conventions (DIN 5008 dates, CLDR grouping), not taken from the module."""

from __future__ import annotations

import ast
import re
import threading
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from babel.messages.pofile import read_po

from graphcap import i18n
from graphcap.i18n import (
    MISSING,
    format_date,
    format_money,
    format_number,
    format_percent,
    gettext,
    ngettext,
    resolve_language,
    use_language,
)

ROOT = Path(__file__).resolve().parent.parent
PO_DIR = ROOT / "graphcap" / "locale" / "de" / "LC_MESSAGES"
NBSP = "\xa0"


@pytest.mark.parametrize(
    ("value", "kwargs", "de", "en"),
    [
        (1234567.89, {"decimals": 2}, "1.234.567,89", "1,234,567.89"),
        (-1234.5, {}, "-1.234,5", "-1,234.5"),
        (0, {"decimals": 0}, "0", "0"),
        (112270700, {}, "112.270.700", "112,270,700"),
        (np.int64(1461000), {}, "1.461.000", "1,461,000"),
        (None, {}, MISSING, MISSING),
        (float("nan"), {}, MISSING, MISSING),
        (pd.NA, {}, MISSING, MISSING),
    ],
)
def test_numbers_follow_the_locale(value, kwargs, de, en):
    assert format_number(value, lang="de", **kwargs) == de
    assert format_number(value, lang="en", **kwargs) == en


def test_money_dates_and_percentages_follow_the_locale():
    assert format_money(1234567.89, lang="de") == f"1.234.567,89{NBSP}€"
    assert format_money(-0.5, lang="de") == f"-0,50{NBSP}€"
    assert format_money(1234567.89, currency="usd", lang="en") == "$1,234,567.89"
    assert format_money(None, lang="de") == MISSING
    assert format_date(date(2026, 12, 31), lang="de") == "31.12.2026"
    assert format_date(pd.Timestamp("2026-01-05 13:00"), lang="de") == "05.01.2026"
    assert format_date(pd.NaT, lang="de") == MISSING
    assert format_date("2026-01-05", lang="en") == "2026-01-05"
    assert format_percent(0.775, lang="de") == f"78{NBSP}%"
    assert format_percent(-0.05, decimals=1, lang="en") == "-5.0%"


@pytest.mark.parametrize("currency", ["", "EURO", "€", "1; DROP", None])
def test_a_bad_currency_is_a_clear_error(currency):
    with pytest.raises(ValueError, match="three-letter ISO 4217 code"):
        format_money(1, currency=currency, lang="de")


def test_language_choice_order():
    env = {"GRAPHCAP_LANG": "en"}
    assert resolve_language(explicit="de-AT", env=env) == "de"  # the user's choice first
    assert resolve_language(explicit="klingon", env=env, configured="de") == "en"  # then env
    assert resolve_language(env={}, configured="de_DE.UTF-8") == "de"  # then graphcap.toml
    assert resolve_language(env={}, accept_language="fr;q=0.9, de-CH;q=0.8, en;q=0.7") == "de"
    assert resolve_language(env={}, accept_language="en;q=0.2, de;q=0") == "en"  # q=0: not at all
    assert resolve_language(env={}, accept_language="garbage;q=x, ,;") == "en"
    assert resolve_language(env={}) == "en"


def test_german_catalogue_translates_and_english_is_the_source():
    with use_language("de"):
        assert gettext("Relational capital") == "Beziehungskapital"
        assert gettext("Supplier") == "Lieferant"
        assert ngettext("{n} relationship", "{n} relationships", 1).format(n=1) == "1 Beziehung"
        assert ngettext("{n} relationship", "{n} relationships", 5).format(n=5) == "5 Beziehungen"
        assert gettext("A text nobody translated") == "A text nobody translated"
    assert gettext("Supplier") == "Supplier"


def test_each_thread_keeps_its_own_language():
    """Two app sessions in one server: one German, one English, at the same time."""
    seen: dict[str, list[str]] = {"de": [], "en": []}
    barrier = threading.Barrier(2)

    def session(lang: str) -> None:
        with use_language(lang):
            barrier.wait()
            for _ in range(200):
                seen[lang].append(gettext("Competitor"))

    threads = [threading.Thread(target=session, args=(lang,)) for lang in ("de", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(seen["de"]) == {"Wettbewerber"} and set(seen["en"]) == {"Competitor"}


def _catalogue():
    """Every German message of every catalogue file, as one list."""
    messages = []
    for po in sorted(PO_DIR.glob("*.po")):
        with po.open("rb") as fh:
            messages.extend(read_po(fh, locale="de"))
    return messages


def _po(tmp_path, name, pairs):
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for english, german in pairs:
        lines += [f'msgid "{english}"', f'msgstr "{german}"', ""]
    (tmp_path / name).write_text("\n".join(lines), encoding="utf-8")


def test_a_language_reads_all_its_catalogue_files(tmp_path, monkeypatch):
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    _po(folder, "graphcap.po", [("Supplier", "Lieferant")])
    _po(folder, "report.po", [("Key players", "Schlüsselakteure")])
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        de = i18n.catalogue("de")
        assert (de.gettext("Supplier"), de.gettext("Key players")) == (
            "Lieferant",
            "Schlüsselakteure",
        )
        assert [p.name for p in i18n.catalogue_files("de")] == ["graphcap.po", "report.po"]
        _po(folder, "zz.po", [("Supplier", "Zulieferer")])
        i18n.catalogue.cache_clear()
        with pytest.raises(
            ValueError, match="'Supplier' is translated in both graphcap.po and zz.po"
        ):
            i18n.catalogue("de")
    finally:
        i18n.catalogue.cache_clear()


def test_catalogue_is_complete_and_keeps_placeholders():
    messages = [m for m in _catalogue() if m.id]
    assert messages
    for m in messages:
        assert not m.fuzzy, m.id
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(s.strip() for s in strings), f"no German for {m.id!r}"
        for k, s in enumerate(strings):  # a plural form against the English plural
            wanted = set(re.findall(r"\{\w+\}", ids[min(k, len(ids) - 1)]))
            assert set(re.findall(r"\{\w+\}", s)) == wanted, (m.id, s)


def test_glossary_and_catalogue_agree():
    rows = [
        line
        for line in (ROOT / "docs" / "GLOSSARY.md").read_text().splitlines()
        if line.startswith("| ") and not line.startswith("| English")
    ]
    translated = {m.id: m.string for m in _catalogue() if m.id}
    assert len(rows) >= 30
    for row in rows:
        english, german = (cell.strip() for cell in row.strip("|").split("|"))
        assert translated.get(english) == german, english


def _used_messages(source: str) -> set[str]:
    """Literal texts passed to gettext()/ngettext()/_() in ``source``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in {"gettext", "_", "ngettext"} and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
    return found


def test_the_extractor_sees_every_kind_of_call():
    source = 'x = gettext("A")\ny = i18n.gettext("B")\nz = _("C")\nw = ngettext("D", "Ds", n)\n'
    assert _used_messages(source) == {"A", "B", "C", "D"}


def test_every_text_the_code_translates_has_german():
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue() if m.id}
    files = [*sorted((ROOT / "graphcap").rglob("*.py")), ROOT / "app.py"]
    missing = {}
    for path in files:
        for text in _used_messages(path.read_text(encoding="utf-8")) - translated:
            missing.setdefault(text, str(path.relative_to(ROOT)))
    assert not missing, f"texts without a German translation: {missing}"


def test_unknown_language_falls_back_to_english():
    assert i18n.set_language("xx") == "en"
    assert i18n.catalogue("xx").gettext("Supplier") == "Supplier"
