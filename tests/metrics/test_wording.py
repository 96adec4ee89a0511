"""The measures' words (graphcap.metrics.wording): radar reasons and index breakdown made from
language-free codes at render time. The German sentences are written here by hand."""

from __future__ import annotations

from datetime import date

import pytest

from graphcap.analysis import analyze
from graphcap.i18n import catalogue, use_language
from graphcap.metrics import rci, wording
from graphcap.metrics.wording import (
    dimension_label,
    dimension_meaning,
    parse_reason,
    quadrant_label,
    rci_note,
    reason_code,
    reasons_text,
    risk_reason,
    risk_reasons,
    type_label,
)
from graphcap.sample import sample_small

NBSP = "\xa0"

CASES = [
    (
        reason_code("no_contact", days=384, limit=120),
        "no contact for 384 days (more than 120)",
        "kein Kontakt seit 384 Tagen (mehr als 120)",
    ),
    (
        reason_code("weak", kind="revenue", value=1461000.0, top=0.2, strength=0.3, limit=0.4),
        "high revenue (1,461,000, top 20%) with weak relationship (strength 0.30 < 0.40)",
        f"Umsatz in den oberen 20{NBSP}% (1.461.000), aber schwache Beziehung (Stärke 0,30 < 0,40)",
    ),
    (
        reason_code("weak_negative", kind="spend", value=2500.5, top=0.2, strength=-0.25),
        "high spend (2,500, top 20%) with negative relationship (distrust, strength -0.25)",
        f"Einkaufsvolumen in den oberen 20{NBSP}% (2.500), aber negative Beziehung "
        "(Misstrauen, Stärke -0,25)",
    ),
    (
        reason_code("weak_no_tie", kind="flow", value=100, top=0.2),
        "high flow (100, top 20%) with no direct relationship with the organisation",
        f"Zahlungsstrom in den oberen 20{NBSP}% (100), aber keine direkte Beziehung zur "
        "Organisation",
    ),
    (
        reason_code("falling", recent=1, window=90, usual=2.5, before=10, baseline=360),
        "falling activity: 1 interaction in the last 90 days vs 2.5 usual (10 in the 360 days "
        "before)",
        "nachlassende Aktivität: 1 Interaktion in den letzten 90 Tagen statt üblicher 2,5 (10 in "
        "den 360 Tagen davor)",
    ),
    (
        reason_code("falling", recent=0, window=90, usual=3, before=12, baseline=360),
        "falling activity: 0 interactions in the last 90 days vs 3.0 usual (12 in the 360 days "
        "before)",
        "nachlassende Aktivität: 0 Interaktionen in den letzten 90 Tagen statt üblicher 3,0 (12 "
        "in den 360 Tagen davor)",
    ),
    (
        reason_code("contract_ends", days=12, date=date(2026, 12, 31)),
        "contract ends in 12 days (2026-12-31)",
        "Vertrag endet in 12 Tagen (31.12.2026)",
    ),
    (
        reason_code("contract_ended", days=3, date=date(2026, 1, 5)),
        "contract ended 3 days ago (2026-01-05)",
        "Vertrag endete vor 3 Tagen (05.01.2026)",
    ),
    (
        reason_code("sentiment_falling", recent=-0.1, window=90, before=0.45, baseline=360),
        "sentiment falling: -0.10 in the last 90 days vs +0.45 in the 360 days before",
        "Stimmung sinkt: -0,10 in den letzten 90 Tagen statt +0,45 in den 360 Tagen davor",
    ),
    (
        reason_code("sentiment_negative", recent=-0.5, window=90),
        "negative sentiment: -0.50 in the last 90 days",
        "negative Stimmung: -0,50 in den letzten 90 Tagen",
    ),
    (
        reason_code("sentiment_edge", sentiment=-0.52),
        "negative sentiment on the relationship (-0.52)",
        "negative Stimmung in der Beziehung (-0,52)",
    ),
]


@pytest.mark.parametrize(("code", "en", "de"), CASES)
def test_each_reason_in_both_languages(code, en, de):
    assert risk_reason(code) == en
    with use_language("de"):
        assert risk_reason(code) == de


def test_codes_are_plain_text_and_read_back():
    code = reason_code("contract_ends", days=12, date=date(2026, 12, 31))
    assert code == "contract_ends days=12 date=2026-12-31"
    assert parse_reason(code) == ("contract_ends", {"days": "12", "date": "2026-12-31"})
    assert reason_code("single_threaded") == "single_threaded"
    with pytest.raises(ValueError, match="takes"):
        reason_code("no_contact", days=3)
    with pytest.raises(ValueError, match="cannot be written"):
        reason_code("weak_no_tie", kind="big money", value=1, top=0.2)
    with pytest.raises(ValueError, match="unknown radar reason"):
        parse_reason("bogus days=1")


def test_money_in_reasons_takes_the_currency():
    code = reason_code("weak_no_tie", kind="revenue", value=1234567.0, top=0.2)
    with use_language("de"):
        assert f"(1.234.567{NBSP}€)" in risk_reason(code, currency="EUR")
    assert "($1,234,567, top 20%)" in risk_reason(code, currency="USD")


def test_a_row_gives_its_reasons_from_codes_or_from_stored_text():
    codes = [CASES[0][0], "single_threaded"]
    with use_language("de"):
        assert risk_reasons({"reason_codes": codes}) == [
            CASES[0][2],
            "am seidenen Faden: eine einzige Beziehung bindet ihn an die Organisation",
        ]
        # a snapshot stores lists as "; "-joined text
        assert reasons_text({"reason_codes": "; ".join(codes)}).startswith("kein Kontakt seit")
        # a row stored before reasons had codes keeps its English text
        assert risk_reasons({"reasons_text": "a; b"}) == ["a", "b"]
        assert risk_reasons({"reason_codes": None, "reasons": ["old"]}) == ["old"]


def test_the_radar_stores_codes_and_english_whatever_the_language():
    net = sample_small()
    english = analyze(net).risks
    with use_language("de"):
        german = analyze(net).risks
    assert len(english) > 5
    assert german["reason_codes"].tolist() == english["reason_codes"].tolist()
    assert german["reasons_text"].tolist() == english["reasons_text"].tolist()
    for row in english.to_dict("records"):
        assert row["reasons"] == [risk_reason(c) for c in row["reason_codes"]]
        with use_language("de"):
            german_text = reasons_text(row)
        assert german_text != row["reasons_text"]
    assert any(
        "no contact for" in t or "overdue for a contact" in t for t in english["reasons_text"]
    )


def test_index_breakdown_words():
    with use_language("de"):
        assert [dimension_label(d) for d in rci.DIMENSIONS] == [
            "Stärke",
            "Diversifikation",
            "Brückenfunktion",
            "Gesundheit",
            "Ansehen",
        ]
        assert dimension_meaning("health") == (
            "Abzug für Anteile auf dem Risiko-Radar oder verlorene Anteile"
        )
        assert rci_note(
            "strength, brokerage and health are weighted by revenue and spend (each kind an "
            "equal share, never added)"
        ) == (
            "Stärke, Brückenfunktion und Gesundheit sind nach Umsatz und Einkaufsvolumen "
            "gewichtet (jede Art zu gleichen Teilen, nie addiert)"
        )
        assert rci_note("standing: Amt <X> has a negative tie with the organisation") == (
            "Ansehen: Amt <X> hat eine negative Beziehung zur Organisation"
        )
        assert rci_note("a note nobody wrote a pattern for") == "a note nobody wrote a pattern for"
        assert type_label("agency") == "Behörde" and type_label("investor") == "investor"
        assert quadrant_label("keep satisfied") == "zufriedenstellen"
    assert dimension_label("brokerage") == "Brokerage" and type_label("agency") == "agency"


def test_every_note_of_the_sample_index_is_translated():
    notes = analyze(sample_small()).rci.notes
    with use_language("de"):
        for note in notes:
            assert rci_note(note) != note, note


def test_every_word_the_module_looks_up_has_german():
    de = catalogue("de")
    words = [
        *wording._TYPES.values(),
        *wording._KINDS.values(),
        *wording._QUADRANTS.values(),
        *wording._RELATIONSHIPS.values(),
        *wording._DIMENSIONS.values(),
        *rci.DIMENSIONS.values(),
        *(message for _pattern, message in wording._NOTES),
    ]
    missing = [w for w in words if de.gettext(w) == w and w not in {"Partner", "Organisation"}]
    assert not missing
