"""Backtest of the at-risk radar: hand-computed figures, the planted signal, and no signal."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import graphcap.metrics.backtest as backtest_mod
from graphcap.errors import MetricError
from graphcap.metrics.backtest import backtest, cut_at
from graphcap.model import Network
from graphcap.sample import generate_sample

AS_OF = pd.Timestamp("2025-06-30")


def test_doctests() -> None:
    assert doctest.testmod(backtest_mod).failed == 0


def _small() -> Network:
    """Four customers, contacts every 30 days for a year; c1 stops 100 days before AS_OF (the
    radar sees it: no contact, falling), c2 stops right after AS_OF (nobody could see it), c3 and c4
    go on. The log runs to AS_OF + 120 days."""
    nodes = pd.DataFrame(
        {
            "id": ["o", "c1", "c2", "c3", "c4"],
            "name": ["O", "A", "B", "C", "D"],
            "type": ["organization"] + ["customer"] * 4,
            "revenue": [np.nan, 400.0, 300.0, 200.0, 100.0],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["c1", "c2", "c3", "c4"],
            "target": ["o"] * 4,
            "type": ["BUYS_FROM"] * 4,
            "strength": [0.7] * 4,
            # the export's own summary knows the future: cut_at must rebuild it
            "last_contact": [AS_OF + pd.Timedelta(days=100)] * 4,
        }
    )
    rows = []
    for c, stop in (("c1", -100), ("c2", 1), ("c3", 121), ("c4", 121)):
        for d in range(-360, stop, 30):
            rows.append((AS_OF + pd.Timedelta(days=d), c, "o"))
    rows.append((AS_OF + pd.Timedelta(days=120), "c3", "o"))
    log = pd.DataFrame(rows, columns=["date", "source", "target"])
    return Network(nodes, edges, log, meta={"as_of": AS_OF + pd.Timedelta(days=120)})


def test_small_backtest_by_hand() -> None:
    b = backtest(_small(), AS_OF, horizon_days=120, baseline_days=360, k=1)
    t = b.table.set_index("id")
    # judged: contacts in the 360 days before: c1 (-360..-120: 9), c2, c3, c4 (12 each)
    assert b.judged == 4
    # declined: c1 no contact after; c2 none after (stopped at 0); c3, c4 go on (4 or 5 in 120 days)
    assert set(t.index[t["declined"]]) == {"c1", "c2"}
    assert b.base_rate == pytest.approx(0.5)
    # the radar puts c1 first (no contact for 120 days is not yet > 120, but activity fell: 0 in
    # the last 90 days against 9 * 90 / 360 = 2.25 usual)
    assert t.loc["c1", "radar_rank"] == 1 and bool(t.loc["c1", "flagged"])
    assert b.precision == 1.0 and b.recall == pytest.approx(0.5) and b.lift == pytest.approx(2.0)
    # recency-only: c1 has the longest silence too
    assert b.recency_precision == 1.0
    assert b.signals.set_index("signal").loc["falling activity", "hits"] == 1
    # cut_at rebuilt last_contact from the log: c1's last contact was day -120
    assert t.loc["c1", "days_since_contact"] == 120


def test_errors_say_what_to_do() -> None:
    net = _small()
    with pytest.raises(MetricError, match="pick an earlier date"):
        backtest(net, AS_OF + pd.Timedelta(days=60), horizon_days=120)
    no_log = Network(net.nodes, net.edges, meta=net.meta)
    with pytest.raises(MetricError, match="interaction log"):
        backtest(no_log, AS_OF)
    with pytest.raises(MetricError, match="at least 1"):
        backtest(net, AS_OF, k=0)


def test_a_date_before_any_logged_contact_judges_nobody() -> None:
    """Nothing logged up to the date: the log summaries of every pair are rebuilt empty (this
    used to fail inside pandas, mapping an empty date series) and nobody can be judged."""
    net = _small()
    b = backtest(net, AS_OF - pd.Timedelta(days=400), horizon_days=120, baseline_days=360)
    assert b.judged == 0 and b.declined == 0 and b.k == 0
    assert b.precision == 0.0 and b.lift == 0.0 and len(b.table) == 0
    cut = cut_at(net, AS_OF - pd.Timedelta(days=400))
    assert cut.edges["last_contact"].isna().all()
    assert len(cut.interactions) == 0


def test_radar_beats_recency_on_the_planted_cooling() -> None:
    """The sample plants 15 cooling relationships. Backtested at 2026-03-01 over 180 days the
    radar's top 20 hold 10 that declined (precision 0.50) against 6 for "longest silence first"
    (0.30), base rate 31 of 344 (0.09)."""
    b = backtest(generate_sample(), "2026-03-01", horizon_days=180, k=20)
    assert b.judged == 344 and b.declined == 31
    assert b.precision == pytest.approx(0.50) and b.recency_precision == pytest.approx(0.30)
    assert b.precision > b.recency_precision
    assert b.lift > 3
    assert b.signals.iloc[0]["signal"] == "falling activity"


def _no_signal(seed: int) -> Network:
    """300 customers with the same steady contact rate (Poisson, 1.5 a month), random strength,
    revenue and contract ends: nothing in the past says anything about the future."""
    rng = np.random.default_rng(seed)
    n = 300
    ids = [f"c{i:03d}" for i in range(n)]
    as_of = pd.Timestamp("2025-12-31")
    nodes = pd.DataFrame(
        {
            "id": ["o", *ids],
            "name": ["O", *ids],
            "type": ["organization"] + ["customer"] * n,
            "revenue": [np.nan, *rng.lognormal(10, 1.2, n)],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ids,
            "target": ["o"] * n,
            "type": ["BUYS_FROM"] * n,
            "trust": rng.uniform(0.2, 0.95, n),
            "commitment": rng.uniform(0.2, 0.95, n),
            "contract_until": as_of - pd.to_timedelta(rng.integers(-400, 400, n), unit="D"),
        }
    )
    days = 3 * 365
    counts = rng.poisson(1.5 * days / 30, n)
    rows = {"date": [], "source": [], "target": [], "sentiment": []}
    for c, m in zip(ids, counts, strict=True):
        offs = rng.integers(0, days, m)
        rows["date"] += list(as_of - pd.to_timedelta(offs, unit="D"))
        rows["source"] += [c] * m
        rows["target"] += ["o"] * m
        rows["sentiment"] += list(np.round(rng.normal(0.3, 0.3, m), 2))
    return Network(nodes, edges, pd.DataFrame(rows), meta={"as_of": as_of})


def test_without_a_signal_the_lift_is_about_one() -> None:
    """Guards against a backtest that always looks good: on steady random activity the radar's
    top quarter declines at the base rate (lift averaged over three networks within 0.65-1.35)."""
    lifts = []
    for seed in (1, 2, 3):
        b = backtest(_no_signal(seed), "2025-06-30", horizon_days=120, k=75)
        assert b.judged == 300 and 0 < b.declined < 300
        lifts.append(b.lift)
    assert 0.65 <= float(np.mean(lifts)) <= 1.35, lifts
