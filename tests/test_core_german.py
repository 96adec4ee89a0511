"""Texts made below the app and the command line -- the snapshot diff's and the backtest's
summaries, the edit history's lines, the strength's sources and parts, the overdue reasons --
are worded when shown, in the language of the moment: the same object speaks English and German
(so an analysis cached for one user serves another in their language). Expected texts by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from graphcap.history.diff import SnapshotDiff
from graphcap.i18n import use_language
from graphcap.metrics.backtest import Backtest
from graphcap.metrics.cadence import overdue
from graphcap.metrics.wording import contact_reasons
from graphcap.model import Network
from graphcap.model.schema import DEFAULT_SCHEMA
from graphcap.store.audit import describe
from graphcap.store.targets import Target
from graphcap.ui.labels import strength_label

NBSP = "\xa0"


def _rows(n: int) -> pd.DataFrame:
    return pd.DataFrame({"id": [f"s{i}" for i in range(n)]})


def test_a_snapshot_diff_summary_speaks_the_language_it_is_read_in():
    d = SnapshotDiff(
        before="Q1",
        after="Q2",
        threshold=0.1,
        stakeholders_added=_rows(3),
        stakeholders_removed=_rows(1),
        gained=_rows(2),
        lost=_rows(0),
        strength_changes=_rows(4),
        community_changes=_rows(5),
        quadrant_changes=_rows(6),
        rci_before=40.25,
        rci_after=38.0,
        rci_drivers=pd.DataFrame({"dimension": ["brokerage"], "change": [-1.5]}),
        rci_by_type=pd.DataFrame(),
    )
    english = [
        "RCI 40.2 -> 38.0 (-2.2); biggest driver: brokerage (-1.5 points)",
        "3 stakeholders added, 1 removed",
        "2 relationships gained, 0 lost",
        "4 relationships changed strength by at least 0.1",
        "5 stakeholders changed community",
        "6 stakeholders changed quadrant",
    ]
    assert d.summary() == english
    with use_language("de"):
        assert d.summary() == [
            "Index 40,2 -> 38,0 (-2,2); größter Treiber: Brückenfunktion (-1,5 Punkte)",
            "3 Stakeholder hinzugekommen, 1 weggefallen",
            "2 Beziehungen hinzugekommen, 0 verloren",
            "4 Beziehungen haben ihre Stärke um mindestens 0,1 geändert",
            "5 Stakeholder haben den Cluster gewechselt",
            "6 Stakeholder haben den Quadranten gewechselt",
        ]
    assert d.summary() == english  # the same object, English again


def test_a_backtest_summary_speaks_the_language_it_is_read_in():
    bt = Backtest(
        as_of="2026-03-31",
        horizon_days=180,
        k=10,
        judged=40,
        declined=8,
        base_rate=0.2,
        precision=0.5,
        recall=0.625,
        lift=2.5,
        recency_precision=0.3,
        recency_recall=0.375,
        recency_lift=1.5,
        signals=pd.DataFrame(),
        table=pd.DataFrame(),
    )
    assert bt.summary() == [
        "radar as of 2026-03-31, outcome over the next 180 days",
        "40 relationships could be judged; 8 declined (base rate 20%)",
        "radar top 10: precision 50%, recall 62%, lift 2.50",
        "recency-only top 10: precision 30%, recall 38%, lift 1.50",
    ]
    with use_language("de"):
        assert bt.summary() == [
            "Radar zum 31.03.2026, Ergebnis über die nächsten 180 Tage",
            f"40 Beziehungen waren beurteilbar; 8 sind zurückgegangen (Basisrate 20{NBSP}%)",
            f"Radar, die ersten 10: Präzision 50{NBSP}%, Trefferquote 62{NBSP}%, Lift 2,50",
            f"nur nach letztem Kontakt, die ersten 10: Präzision 30{NBSP}%, Trefferquote "
            f"38{NBSP}%, Lift 1,50",
        ]


def test_history_lines_and_targets_in_both_languages():
    event = {
        "at": datetime(2026, 11, 30, 14, 2, 11, tzinfo=UTC),
        "who": "alice",
        "action": "assess",
        "changes": {"trust": (0.5, 0.7), "__gc_row": (1, 2)},
    }
    assert describe(event) == "'alice' at 2026-11-30 14:02:11 UTC: assess trust 0.5 -> 0.7"
    with use_language("de"):
        assert describe(event) == (
            "'alice' am 2026-11-30 14:02:11 UTC: bewertet Vertrauen 0.5 -> 0.7"
        )
    item = Target.stakeholder("c1", DEFAULT_SCHEMA)
    assert item.label() == "stakeholder 'c1'"
    with use_language("de"):
        assert item.label() == "Stakeholder 'c1'"


def test_strength_sources_and_parts_are_codes_worded_when_shown():
    codes = ["given", "derived", "default", "negative", "recency", "trust", "my_own"]
    assert [strength_label(c) for c in codes] == [
        "given",
        "derived",
        "default",
        "negative sentiment",
        "recency",
        "trust",
        "my_own",
    ]
    with use_language("de"):
        assert [strength_label(c) for c in codes] == [
            "angegeben",
            "abgeleitet",
            "Standardwert",
            "negative Stimmung",
            "Aktualität",
            "Vertrauen",
            "my_own",
        ]


def test_overdue_reasons_in_both_languages():
    nodes = pd.DataFrame(
        {
            "id": ["o", "a", "b"],
            "name": ["Wir", "A", "B"],
            "type": ["organization", "customer", "customer"],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["a", "b"],
            "target": ["o", "o"],
            "type": ["BUYS_FROM", "BUYS_FROM"],
            "last_contact": pd.to_datetime(["2026-01-01", None]),
        }
    )
    net = Network(nodes, edges)
    today = date(2026, 6, 1)
    english = overdue(net, {"customer": 30}, today=today).set_index("id")["reason"].to_dict()
    assert english == {
        "a": "last contact 2026-01-01 is more than 30 days ago",
        "b": "no contact on record (target: every 30 days)",
    }
    # the list keeps language-free codes; they are worded when shown, in the reader's language
    codes = overdue(net, {"customer": 30}, today=today).set_index("id")["reason_codes"]
    with use_language("de"):
        german = {k: contact_reasons(v) for k, v in codes.items()}
    assert german == {
        "a": "letzter Kontakt am 01.01.2026 liegt mehr als 30 Tage zurück",
        "b": "kein Kontakt erfasst (Ziel: alle 30 Tage)",
    }
