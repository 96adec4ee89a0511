"""Contact cadence: the radar's "overdue" reason and the next-best-contacts ranking, each checked
against figures worked out by hand in the comments."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from graphcap.analysis import analyze
from graphcap.config import ProjectConfig
from graphcap.i18n import use_language
from graphcap.metrics.cadence import NEXT_COLUMNS, next_contacts, overdue
from graphcap.metrics.risk import RiskConfig, at_risk
from graphcap.metrics.value import stakeholder_value
from graphcap.metrics.wording import contact_reasons
from graphcap.model import Network

TODAY = date(2026, 6, 1)
NOW = pd.Timestamp(TODAY)


def _ago(days: int) -> pd.Timestamp:
    return NOW - pd.Timedelta(days=days)


def _network() -> Network:
    ids = ["o", "c1", "c2", "c3", "s1", "p1"]
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": ["Org", "C one", "C two", "C three", "S one", "P one"],
            "type": ["organization", "customer", "customer", "customer", "supplier", "partner"],
            "revenue": [np.nan, 400.0, 100.0, np.nan, np.nan, np.nan],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["c1", "c2", "c3", "s1", "p1"],
            "target": ["o"] * 5,
            "type": ["BUYS_FROM", "BUYS_FROM", "BUYS_FROM", "SUPPLIES", "PARTNERS_WITH"],
            "strength": [0.8] * 5,
            "last_contact": [_ago(70), _ago(58), _ago(10), _ago(130), pd.NaT],
            "next_contact": [pd.NaT, pd.NaT, pd.NaT, pd.NaT, _ago(5)],
            "owner": ["ann", "bob", None, None, "cem"],
        }
    )
    return Network(nodes, edges)


def test_radar_says_overdue_against_the_cadence_target_instead_of_no_contact():
    net = _network()
    values = stakeholder_value(net)
    plain = at_risk(net, values, as_of=NOW)
    # without targets: only s1 (130 > 120 days) has a contact reason
    assert plain.set_index("id").loc["s1", "reasons"] == ["no contact for 130 days (more than 120)"]
    assert "c1" not in set(plain["id"])
    cfg = RiskConfig(cadence_days={"customer": 60})
    radar = at_risk(net, values, as_of=NOW, config=cfg).set_index("id")
    # c1: 70 days > 60 -> overdue, 20 points; value rank among revenue 1.0 -> 20 * 1.0
    assert radar.loc["c1", "reasons"] == [
        "overdue for a contact: last one 70 days ago (target: every 60 days)"
    ]
    assert radar.loc["c1", "score"] == 20.0
    assert "c2" not in radar.index  # 58 days <= 60
    # suppliers have no target here: the old rule stays (and no second reason for s1)
    assert radar.loc["s1", "reasons"] == ["no contact for 130 days (more than 120)"]
    assert not any("no contact for" in r for r in radar.loc["c1", "reasons"])


def test_analyze_takes_the_targets_from_the_project_config():
    net = _network()
    config = ProjectConfig(cadence_days={"customer": 60, "supplier": 365})
    reasons = analyze(net, config=config, as_of=NOW).risks.set_index("id")["reasons_text"]
    assert reasons["c1"] == "overdue for a contact: last one 70 days ago (target: every 60 days)"
    assert "s1" not in reasons.index  # 130 days is within a 365-day target


def test_next_contacts_rank_overdue_value_and_risk_with_reasons():
    net = _network()
    values = stakeholder_value(net)
    risks = pd.DataFrame(
        {
            "id": ["c2"],
            "score": [50.0],
            "reasons_text": ["single-threaded"],
            "reason_codes": [["single_threaded"]],
        }
    )
    cadence = {"customer": 60, "supplier": 120}
    out = next_contacts(net, values, risks, cadence, today=TODAY).set_index("id")
    assert list(out.columns) == NEXT_COLUMNS[1:]
    # c1: due 10 days ago; overdue = 1 + 10/60; value rank 1.0 -> 1.0; not on the radar -> 1
    #     25 * (1 + 1/6) * 1 * 1 = 29.1667
    # c2: due in 2 days -> overdue 1; rank 0.5 -> 0.75; risk 1.5 -> 25 * 0.75 * 1.5 = 28.125
    # s1: due 10 days ago (130 - 120); 1 + 10/120; no value -> 0.5 -> 25 * 1.0833 * 0.5 = 13.5417
    # p1: partner has no target here, planned contact 5 days ago: 1 + 5/30 -> 25 * 1.1667 * 0.5
    #     = 14.5833
    # c3: last contact 10 days ago, due in 50 days: not this week
    assert out["priority"].to_dict() == {"c1": 29.17, "c2": 28.12, "p1": 14.58, "s1": 13.54}
    assert list(out.index) == ["c1", "c2", "p1", "s1"]
    assert out.loc["c2", "days_overdue"] == -2
    assert out.loc["c1", "reason"] == (
        f"overdue by 10 days; last contact {_ago(70).date()} is more than 60 days ago; "
        "revenue 400 (percentile rank 100% among its kind)"
    )
    assert out.loc["c2", "reason"] == (
        f"due in 2 days; last contact {_ago(58).date()} (target: every 60 days); "
        "revenue 100 (percentile rank 50% among its kind); at risk (score 50): single-threaded: "
        "one relationship is all that ties it to the organisation"
    )
    assert out.loc["p1", "reason"] == (
        f"overdue by 5 days; planned contact on {_ago(5).date()} has passed"
    )
    assert out.loc["p1", "owner"] == "cem"
    assert "o" not in out.index
    # the codes are language-free; worded when shown, in English exactly the reason column
    assert contact_reasons(out.loc["c2", "reason_codes"]) == out.loc["c2", "reason"]
    with use_language("de"):
        assert contact_reasons(out.loc["c1", "reason_codes"]) == (
            f"seit 10 Tagen überfällig; letzter Kontakt am {_ago(70):%d.%m.%Y} liegt mehr als "
            "60 Tage zurück; Umsatz 400 (Perzentilrang 100\xa0% innerhalb dieser Art)"
        )
        assert contact_reasons(out.loc["c2", "reason_codes"]) == (
            f"fällig in 2 Tagen; letzter Kontakt am {_ago(58):%d.%m.%Y} (Ziel: alle 60 Tage); "
            "Umsatz 100 (Perzentilrang 50\xa0% innerhalb dieser Art); gefährdet (Punktzahl 50): "
            "am seidenen Faden: eine einzige Beziehung bindet ihn an die Organisation"
        )


def test_next_contacts_of_a_network_without_due_contacts_is_empty():
    net = _network()
    out = next_contacts(net, stakeholder_value(net), pd.DataFrame(), {}, today=date(2020, 1, 1))
    assert out.empty and list(out.columns) == NEXT_COLUMNS


def test_overdue_reasons_are_codes_worded_in_both_languages():
    net = _network()
    out = overdue(net, {"customer": 60, "supplier": 120}, today=TODAY).set_index("id")
    # c1: last contact 70 days ago, target 60 -> due 10 days ago
    assert out.loc["c1", "reason_codes"] == (
        f"last_contact_over date={_ago(70).date().isoformat()} target=60"
    )
    assert out.loc["c1", "reason"] == f"last contact {_ago(70).date()} is more than 60 days ago"
    assert contact_reasons(out.loc["c1", "reason_codes"]) == out.loc["c1", "reason"]
    with use_language("de"):
        assert contact_reasons(out.loc["c1", "reason_codes"]) == (
            f"letzter Kontakt am {_ago(70):%d.%m.%Y} liegt mehr als 60 Tage zurück"
        )
        assert contact_reasons(out.loc["p1", "reason_codes"]) == (
            f"geplanter Kontakt am {_ago(5):%d.%m.%Y} ist verstrichen"
        )
