"""The report's page "Backtest and risk sweep", read back from the PDF with pypdf.

Hand-checked on the four customers of tests/metrics/test_backtest.py (``_small``): backtested at
AS_OF over 120 days with a 360-day baseline and k = 1, all four are judged, c1 ("A") and c2 ("B")
declined (base rate 2 of 4 = 50 %); the radar's top 1 is A, which declined: precision 100 %,
recall 1 of 2 = 50 %, lift 1.00 / 0.50 = 2.00; recency-only puts A first too (longest silence).
The sweep: every customer is tied to the organisation directly, so losing one puts exactly its
own revenue at risk: A 400 of 1,000 = 40 %, nobody cut off.
"""

from __future__ import annotations

import pandas as pd
from pypdf import PdfReader

from graphcap.analysis import analyze
from graphcap.export._report_checks import HORIZON_DAYS, report_backtest
from graphcap.export.report import export_report
from graphcap.history import create_snapshot, load_content, stored_analysis
from graphcap.metrics.backtest import backtest
from graphcap.sample import sample_small
from tests.metrics.test_backtest import AS_OF, _small

HAND = {"as_of": AS_OF, "horizon_days": 120, "baseline_days": 360, "k": 1}


def _page(path, title: str) -> str:  # type: ignore[no-untyped-def]
    """The text of the section starting ``title`` (the page after it too: tables continue)."""
    pages = [p.extract_text() or "" for p in PdfReader(path).pages]
    first = next(i for i, p in enumerate(pages) if p.splitlines()[1:2] == [title])
    return " ".join(" ".join(pages[first : first + 2]).split())


def test_the_checks_page_shows_the_hand_checked_figures(tmp_path) -> None:
    net = _small()
    path = export_report(net, analyze(net), tmp_path, stem="r", backtest=HAND)
    text = _page(path, "Backtest and risk sweep")
    assert "How often the at-risk radar was right" in text
    assert "set against what the interaction log shows in the 120 days after" in text
    assert "Declined: no contact, or under half the usual rate, within the horizon" in text
    assert "Radar as of 2025-06-30 Horizon 120 days" in text
    assert "Relationships judged 4 Declined (base rate) 2 (50%)" in text
    assert "Precision at 1 Recall at 1 Lift over base rate" in text
    assert "at-risk radar 100% 50% 2.00" in text
    assert "recency only (longest silence first) 100% 50% 2.00" in text
    assert "falling activity 1" in text
    assert "Risk sweep: every stakeholder lost in turn" in text
    assert "The 4 stakeholders with the most at risk (of 4)" in text
    assert "1 A customer revenue 400 0 400 40%" in text


def test_the_checks_page_in_german(tmp_path) -> None:
    net = _small()
    path = export_report(net, analyze(net), tmp_path, stem="r", lang="de", backtest=HAND)
    text = _page(path, "Rückvergleich und Risikodurchlauf")
    assert "Wie oft das Risiko-Radar richtig lag" in text
    assert "Radar zum Stichtag 30.06.2025 Horizont 120 Tage" in text
    assert "Beurteilte Beziehungen 4 Nachgelassen (Basisrate) 2 (50 %)" in text
    assert "Risiko-Radar 100 % 50 % 2,00" in text
    assert "Risikodurchlauf: jeder Stakeholder der Reihe nach verloren" in text
    assert "1 A Kunde Umsatz 400 0 400 40 %" in text


def test_by_default_the_backtest_ends_where_the_log_does(tmp_path) -> None:
    """The sample's data date is its log's end: the radar as of that date minus 180 days, the
    same figures as ``backtest`` called with that date."""
    net = sample_small()
    analysis = analyze(net)
    end = pd.to_datetime(net.interactions["date"]).max()
    as_of = min(pd.Timestamp(analysis.params["as_of"]), end)
    date = as_of - pd.Timedelta(days=HORIZON_DAYS)
    expected = backtest(net, date, horizon_days=180, k=20)
    assert report_backtest(net, analysis).as_dict() == expected.as_dict()
    path = export_report(net, analysis, tmp_path, stem="r")
    text = _page(path, "Backtest and risk sweep")
    assert f"Radar as of {date.date().isoformat()}" in text
    assert f"Relationships judged {expected.judged} " in text
    assert (
        f"at-risk radar {expected.precision:.0%} {expected.recall:.0%} {expected.lift:.2f}" in text
    )
    top = analysis.risk_sweep().iloc[0]
    assert f"1 {top['name']} " in text


def test_a_report_from_a_stored_snapshot_has_the_page_too(tmp_path) -> None:
    net = sample_small()
    analysis = analyze(net)
    info = create_snapshot(net, name="Q4", folder=tmp_path / "s", analysis=analysis)
    content = load_content(info)
    path = export_report(content.network, stored_analysis(content), tmp_path, stem="r")
    text = _page(path, "Backtest and risk sweep")
    top = analysis.risk_sweep().iloc[0]
    assert f"1 {top['name']} " in text
    assert "at-risk radar" in text


def test_without_a_log_the_page_says_why(tmp_path) -> None:
    net = _small()
    net.interactions = net.interactions.iloc[0:0]
    path = export_report(net, analyze(net), tmp_path, stem="r")
    text = _page(path, "Backtest and risk sweep")
    assert "The backtest needs an interaction log: this data has none." in text
    assert "1 A customer revenue 400 0 400 40%" in text


def test_when_nobody_can_be_judged_the_page_says_so(tmp_path) -> None:
    net = _small()
    early = {**HAND, "as_of": AS_OF - pd.Timedelta(days=400)}
    path = export_report(net, analyze(net), tmp_path, stem="r", backtest=early)
    text = _page(path, "Backtest and risk sweep")
    assert "No relationship can be judged: none had contacts in the 360 days before" in text
    assert "recency only (longest silence first)" not in text
