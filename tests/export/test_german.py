"""German spreadsheets and command line (graphcap --lang de, graphcap export --lang de): German
sheet and column headers and sentences in the XLSX, German tables on the terminal, while JSON and
CSV keep their English keys. Expected German texts are written here by hand."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from graphcap.analysis import analyze
from graphcap.cli import cli
from graphcap.config import check_currency, load_project_config
from graphcap.errors import ConfigError
from graphcap.export.bundle import metric_sheets
from graphcap.export.tables import export_xlsx
from graphcap.i18n import set_language, use_language
from graphcap.sample import sample_small
from graphcap.snapshot import write_snapshot


@pytest.fixture(autouse=True)
def english_after():
    """`graphcap --lang de` sets the process's language (as a CLI run should); put it back."""
    yield
    set_language("en")


@pytest.fixture(scope="module")
def sample():
    net = sample_small()
    return net, analyze(net)


def test_german_workbook_headers_and_sentences(sample, tmp_path):
    net, analysis = sample
    path = export_xlsx(net, tmp_path, stem="de", extra=metric_sheets(analysis), lang="de")
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == [
        "Stakeholder",
        "Beziehungen",
        "Interaktionen",
        "Kennzahlen",
        "Risiko-Radar",
        "Cluster",
        "Beziehungskapital-Index",
        "Index nach Typ",
    ]
    head = [c.value for c in next(wb["Stakeholder"].iter_rows(max_row=1))]
    assert head[:3] == ["ID", "Name", "Typ"] and "Kundenwert (CLV)" in head
    edges = [c.value for c in next(wb["Beziehungen"].iter_rows(max_row=1))]
    assert edges[:3] == ["Von", "An", "Typ"] and "Vertrauen" in edges
    radar = list(wb["Risiko-Radar"].iter_rows(values_only=True))
    reasons = radar[0].index("Gründe")
    texts = [row[reasons] for row in radar[1:]]
    assert len(texts) == len(analysis.risks)
    assert any(
        t.startswith(("kein Kontakt seit", "Kontakt überfällig: letzter vor")) for t in texts
    )
    assert not any("no contact for" in t for t in texts)
    index = list(wb["Beziehungskapital-Index"].iter_rows(values_only=True))
    assert [r[0] for r in index[1:]] == [
        "Stärke",
        "Diversifikation",
        "Brückenfunktion",
        "Gesundheit",
        "Ansehen",
    ]
    wb.close()
    # dates are real dates, shown the German way
    ws = load_workbook(path)["Beziehungen"]
    column = edges.index("Vertrag bis") + 1
    cells = [ws.cell(row=r, column=column) for r in range(2, 40)]
    dated = [c for c in cells if c.value is not None]
    assert dated and all(c.number_format == "dd.mm.yyyy" for c in dated)


def test_english_workbook_keeps_the_keys(sample, tmp_path):
    net, analysis = sample
    with use_language("de"):  # the app in German still writes a re-importable workbook
        path = export_xlsx(net, tmp_path, stem="en", extra=metric_sheets(analysis))
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames[:3] == ["nodes", "edges", "interactions"]
    assert [c.value for c in next(wb["nodes"].iter_rows(max_row=1))][:3] == ["id", "name", "type"]
    wb.close()


@pytest.fixture
def gcap(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("GRAPHCAP_LANG", raising=False)
    monkeypatch.delenv("GRAPHCAP_CURRENCY", raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "s.gcap"
    write_snapshot(sample_small(), path)
    return path


def _run(*args, code=0):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_cli_tables_in_german_json_and_csv_keep_english_keys(gcap):
    summary = _run("--lang", "de", "metrics", "--snapshot", str(gcap), "--top", "3").stdout
    assert "Beziehungskapital-Index: " in summary and "(Stand " in summary
    assert "Risiko-Radar (" in summary and "Gründe" in summary
    assert "Relational Capital Index" not in summary and "At-risk radar" not in summary
    risks = _run("--lang", "de", "metrics", "--snapshot", str(gcap), "--table", "risks")
    assert risks.stdout.splitlines()[0].split()[:2] == ["Name", "Typ"]
    english = json.loads(
        _run("metrics", "--snapshot", str(gcap), "--table", "risks", "--format", "json").stdout
    )
    german = json.loads(
        _run(
            "--lang",
            "de",
            "metrics",
            "--snapshot",
            str(gcap),
            "--table",
            "risks",
            "--format",
            "json",
        ).stdout
    )
    assert german == english  # same keys, same English sentences, same codes
    assert {"name", "score", "reasons_text", "reason_codes"} <= set(german[0])
    rows = list(
        csv.DictReader(
            io.StringIO(
                _run(
                    "--lang", "de", "metrics", "--snapshot", str(gcap), "--table", "rci",
                    "--format", "csv",
                ).stdout
            )
        )
    )  # fmt: skip
    assert list(rows[0])[:3] == ["type", "dimension", "score_0_1"]
    assert rows[0]["dimension"] == "strength"


def test_language_from_environment_and_project_file(gcap, monkeypatch):
    monkeypatch.setenv("GRAPHCAP_LANG", "de")
    assert "Beziehungskapital-Index" in _run("metrics", "--snapshot", str(gcap)).stdout
    monkeypatch.delenv("GRAPHCAP_LANG")
    (gcap.parent / "graphcap.toml").write_text('[locale]\nlanguage = "de"\ncurrency = "chf"\n')
    assert "Beziehungskapital-Index" in _run("metrics", "--snapshot", str(gcap)).stdout
    assert load_project_config().currency == "CHF"
    assert (
        "Relational Capital Index"
        in _run("--lang", "en", "metrics", "--snapshot", str(gcap)).stdout
    )


def test_export_in_german_with_a_currency(gcap, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "out"
    result = _run(
        "export", "pdf", "xlsx", "--from", str(gcap), "--out", str(out), "--lang", "de",
        "--currency", "usd", "--format", "json",
    )  # fmt: skip
    files = json.loads(result.stdout)["files"]
    assert [f["format"] for f in files] == ["pdf", "xlsx"]  # keys stay English
    pdf = next(out.glob("*.pdf"))
    assert pdf.name == "Relational capital.pdf"  # the file name does not change with the language
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Zusammenfassung" in text and "Seite 1 von" in text and "Mio. $" in text
    # where the data came from, in German (the JSON/snapshot value of it stays English)
    net = sample_small()
    edges, log = (f"{len(f):,}".replace(",", ".") for f in (net.edges, net.interactions))
    assert (
        f"Quelle Snapshot {gcap} ({len(net.nodes)} Stakeholder, {edges} Beziehungen, "
        f"{log} Interaktionen; erstellt "
    ) in text
    assert load_workbook(next(out.glob("*.xlsx")), read_only=True).sheetnames[0] == "Stakeholder"


@pytest.mark.parametrize("bad", ["EURO", "XYZ", "€", "1; DROP"])
def test_a_bad_currency_is_refused_before_anything_is_written(gcap, tmp_path, bad):
    out = tmp_path / "bad"
    result = CliRunner().invoke(
        cli, ["export", "pdf", "--from", str(gcap), "--out", str(out), "--currency", bad]
    )
    assert result.exit_code != 0
    assert "ISO 4217" in result.output and "--currency" in result.output
    assert not out.exists()
    with pytest.raises(ConfigError, match="GRAPHCAP_CURRENCY must be an ISO 4217"):
        load_project_config(env={"GRAPHCAP_CURRENCY": "EURO"})


def test_currency_and_language_settings():
    assert check_currency("eur") == "EUR" and check_currency(" chf ") == "CHF"
    with pytest.raises(ConfigError, match="ISO 4217"):
        check_currency("ABC")
    assert load_project_config(env={}).currency == "EUR"


def test_german_error_messages(gcap, capsys):
    from graphcap.cli import main

    bad = gcap.parent / "bad.gcap"
    bad.write_bytes(b"not a snapshot")
    assert main(["--lang", "de", "metrics", "--snapshot", str(bad)]) != 0
    err = capsys.readouterr().err
    assert err.startswith("Fehler: ") and str(bad) in err


def test_german_pictures_and_html_page(sample):
    """SVG keeps its text as text: the legend, axis-free picture texts and the HTML page's own
    words are German; names stay as they are."""
    from graphcap.export.html import render_html
    from graphcap.export.image import render_image

    net, analysis = sample
    counts = net.counts_by_type()["nodes"]
    with use_language("de"):
        svg = render_image(net, analysis=analysis, fmt="svg", width_px=1200, height_px=800, dpi=100)
        page = render_html(net, analysis=analysis)
    text = svg.decode("utf-8")
    assert "Stakeholder-Netzwerk" in text and "Stakeholder-Typ" in text
    assert f"Kunde ({counts['customer']})" in text and f"Lieferant ({counts['supplier']})" in text
    assert "Beziehungstyp" in text and "kauft bei" in text and "Linienstärke: Stärke" in text
    assert "Relationship type" not in text and "Stakeholder type" not in text
    assert '<html lang="de">' in page and "Typ: Kunde" in page
    assert "zeichne {n} Stakeholder" in page and "mittlere Stärke {s}" in page
    with use_language("en"):
        english = render_html(net, analysis=analysis)
    assert '<html lang="en">' in english and "Type: customer" in english
