"""The PDF report in German (graphcap export --lang de): it renders (pdftoppm), carries the German
headings (pypdf) and no English word of the report's chrome — checked against the words of the
English report of the same network, less names and an allow-list of words both languages use."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from graphcap.analysis import analyze
from graphcap.export.report import export_report
from graphcap.graph.projection import NetworkFilter, apply_filter
from graphcap.history import create_snapshot, diff_snapshots, load_content, stored_analysis
from graphcap.sample import sample_small
from tests.support import require

#: words German writes like English here (terms of art, names of measures, shared nouns)
SHARED = {
    "betweenness", "cluster", "commitment", "dimension", "filter", "gini", "graphcap", "hhi",
    "pagerank", "partner", "quadrant", "stakeholder", "docs", "metrics", "md", "of", "points",
    "single", "failure", "in", "index", "organisation", "radar",
    "lift", "signal", "rate", "was",  # the backtest: "Lift", "Signal", "Rate"; German "was" (what)
}  # fmt: skip
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The same snapshot report (with a previous snapshot to compare) in English and German."""
    tmp = tmp_path_factory.mktemp("de")
    net = sample_small()
    later = apply_filter(net, NetworkFilter(min_strength=0.4))
    a = create_snapshot(net, name="Q3", folder=tmp / "s", analysis=analyze(net))
    b = create_snapshot(later, name="Q4", folder=tmp / "s", analysis=analyze(later))
    content = load_content(b)
    options = {
        "provenance": content.meta,
        "diff": diff_snapshots(a, b),
        "previous_name": "Q3",
        "title": "Vorstandsbericht Q4",
    }
    analysis = stored_analysis(content)
    paths = {
        lang: export_report(
            content.network, analysis, tmp, stem=lang, lang=lang, currency="EUR", **options
        )
        for lang in ("en", "de")
    }
    return content, paths


def _pages(path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(path).pages]


def test_german_report_has_german_headings_and_formats(reports):
    content, paths = reports
    pages = _pages(paths["de"])
    text = " ".join(" ".join(pages).split())
    for heading in (
        "Zusammenfassung",
        "Beziehungskapital-Index",
        "Punkte nach Dimension",
        "Das Netzwerk",
        "Schlüsselakteure",
        "Gefährdete Beziehungen (",
        "Konzentration",
        "Was sich geändert hat",
        "Herkunft",
    ):
        assert heading in text, heading
    for i, page in enumerate(pages, start=1):
        assert page.startswith("Vorstandsbericht Q4") and f"Seite {i} von {len(pages)}" in page
    score = f"{content.rci:.1f}".replace(".", ",")
    assert score in text  # 35,4: the German decimal sign
    assert re.search(r"\d+,\d Mio\. €", text)  # money in millions with the currency
    assert re.search(r"\b\d{2}\.\d{2}\.20\d\d\b", text)  # dates as 31.12.2026
    # a type with a contact target (graphcap.toml [cadence]) is "overdue", the rest "no contact"
    assert ("kein Kontakt seit" in text and "Tagen (mehr als 120)" in text) or (
        "Kontakt überfällig: letzter vor" in text and "Tagen (Ziel: alle" in text
    )
    assert "Neue (0) und verlorene (" in text
    assert PdfReader(paths["de"]).metadata.title == "Vorstandsbericht Q4"


def test_german_report_has_no_english_chrome(reports):
    content, paths = reports
    names = set()
    for value in [
        *content.network.nodes["name"].astype(str),
        *(str(v) for v in content.meta.values()),
        "Vorstandsbericht Q4",
    ]:
        names |= _words(value)
    english = _words(" ".join(_pages(paths["en"]))) - names - SHARED
    german = _words(" ".join(_pages(paths["de"]))) - names
    leftover = sorted(german & english)
    assert "summary" in english and "relationships" in english  # the check sees English
    assert not leftover, f"English words in the German report: {leftover}"


def test_german_report_renders(reports, tmp_path):
    _content, paths = reports
    require(shutil.which("pdftoppm") is not None, "pdftoppm", "apt-get install poppler-utils")
    out = subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(paths["de"]), str(tmp_path / "pg")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert len(list(tmp_path.glob("pg-*.png"))) == len(PdfReader(paths["de"]).pages)
