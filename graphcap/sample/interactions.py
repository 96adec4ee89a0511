"""The interaction log of the sample network and the relationship figures that follow from it.

Every relationship of a business unit with an interaction rate gets a history over the last
``years`` years: per month a Poisson number of contacts (rate by relationship: key accounts and
big suppliers more often, regulators rarely; August and December a quarter quieter), each with a
date (weekends moved to the nearest working day, except events), a channel (meeting, call,
email, visit, event), who initiated it, a value (the relationship's annual volume spread over
its contacts) and a sentiment.

Cooling relationships (chosen in :mod:`graphcap.sample.relations`) start to cool 13 to 18 months
before ``as_of`` (never in the first half of the history): from then on their contact rate decays (e-folding time two months) to a
twentieth, the other side initiates less and less, sentiment drifts down, and the last contact lies
100 to 240 days back.

An edge's ``interactions``, ``last_contact`` and ``sentiment`` (mean of its last six contacts)
come from its log. Relationships without a log (third parties, or beyond ``max_interactions``)
get figures drawn directly; competitor relationships get none.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CHANNELS", "build_history"]

CHANNELS = ("meeting", "call", "email", "visit", "event")
_CHANNEL_P = {
    "default": (0.15, 0.30, 0.40, 0.10, 0.05),
    "MEMBER_OF": (0.20, 0.0, 0.10, 0.0, 0.70),
    "REGULATES": (0.30, 0.10, 0.50, 0.10, 0.0),
    "INFLUENCES": (0.40, 0.10, 0.35, 0.0, 0.15),
}
_VALUED = ("BUYS_FROM", "SUPPLIES", "PARTNERS_WITH", "SERVES")


def _days(x: Any) -> np.ndarray:
    return np.asarray(x).astype("int64").astype("timedelta64[D]")


def build_history(
    rng: np.random.Generator,
    edges: pd.DataFrame,
    bu: list[str],
    as_of: np.datetime64,
    *,
    years: int,
    max_interactions: int,
) -> pd.DataFrame:
    """The interaction log; fills ``interactions``, ``last_contact``, ``sentiment`` of ``edges``."""
    months = years * 12
    start = as_of - _days(365 * years)
    width = (as_of - start).astype("int64") / months  # days per month bucket
    on_bu = edges["source"].isin(bu) | edges["target"].isin(bu)
    logged = np.flatnonzero((edges["_rate"] > 0).to_numpy() & on_bu.to_numpy())
    rel = edges.iloc[logged]
    rate = rel["_rate"].to_numpy(float)
    cool = rel["_cool"].to_numpy(bool)
    n = logged.size

    # month factors: seasonality, activity since the relationship began, cooling
    m = np.arange(months)
    mid = start + _days((m + 0.5) * width)
    cal_month = mid.astype("datetime64[M]").astype("int64") % 12 + 1
    season = np.where(np.isin(cal_month, (8, 12)), 0.75, 1.0) * (1 + 0.1 * m / months)
    since = np.maximum(rel["since"].to_numpy("datetime64[D]"), start)
    bucket_end = start + _days((m + 1) * width)
    active = bucket_end[None, :] >= since[:, None]
    # cooling starts 13 to 18 months back, not in the first half of the history
    first = max(months - 18, months // 2 - 1)
    onset = rng.integers(first, max(months - 13, first) + 1, n)
    months_cold = np.maximum(m[None, :] - onset[:, None], 0)
    fading = np.where(cool[:, None], np.maximum(0.05, np.exp(-months_cold / 2)), 1.0)
    progress = (1 - fading) / 0.95  # 0 before the onset, 1 when cold
    factor = active * season[None, :] * fading
    expected = rate[:, None] * factor

    # cap: keep the cooling and the busiest relationships whole, log no others
    per_rel = expected.sum(axis=1)
    if per_rel.sum() > max_interactions:
        order = np.lexsort((-per_rel, ~cool))
        keep = np.zeros(n, dtype=bool)
        keep[order[np.cumsum(per_rel[order]) <= max_interactions]] = True
        expected[~keep] = 0.0
    else:
        keep = np.ones(n, dtype=bool)

    counts = rng.poisson(expected)
    r_idx, m_idx = np.nonzero(counts)
    reps = counts[r_idx, m_idx]
    r = np.repeat(r_idx, reps)
    b = np.repeat(m_idx, reps)
    date = start + _days(np.floor((b + rng.random(r.size)) * width))
    types = rel["type"].to_numpy(object)[r]
    table = np.array(list(_CHANNEL_P.values()))
    row = pd.Series(types, dtype=object).map({k: i for i, k in enumerate(_CHANNEL_P)}).fillna(0)
    probs = table[row.to_numpy(int)]
    channel_i = (rng.random(r.size)[:, None] < np.cumsum(probs, axis=1)).argmax(axis=1)
    channel = np.array(CHANNELS, dtype=object)[channel_i]
    weekday = (date.astype("int64") + 3) % 7  # 0 = Monday
    shift = np.where(weekday == 5, -1, np.where(weekday == 6, 1, 0)) * (channel != "event")
    date = date + _days(shift)
    date = np.where(date > as_of, date - _days(2), date).astype("datetime64[D]")
    cutoff = as_of - _days(rng.integers(100, 241, n))
    ok = (date >= since[r]) & (date <= as_of) & (~cool[r] | (date <= cutoff[r]))
    r, b, date, channel, types = r[ok], b[ok], date[ok], channel[ok], types[ok]
    prog = progress[r, b]

    # who initiated, value, sentiment
    src = rel["source"].to_numpy(object)[r]
    tgt = rel["target"].to_numpy(object)[r]
    bu_is_src = np.isin(src, bu)
    unit_id = np.where(bu_is_src, src, tgt)
    other = np.where(bu_is_src, tgt, src)
    by_other = rng.random(r.size) < 0.45 - 0.35 * prog
    q = rel["_q"].to_numpy(float)
    base = np.clip(1.4 * q - 0.55, -0.6, 0.9)
    sentiment = np.round(np.clip(base[r] - 0.9 * prog + rng.normal(0, 0.2, r.size), -1, 1), 2)
    per_contact = rel["volume"].to_numpy(float) / (12 * np.maximum(rate, 1e-9))
    value = np.where(
        np.isin(types, _VALUED), per_contact[r] * rng.lognormal(0, 0.5, r.size), np.nan
    )
    log = pd.DataFrame(
        {
            "date": date.astype("datetime64[ns]"),
            "source": np.where(by_other, other, unit_id),
            "target": np.where(by_other, unit_id, other),
            "channel": channel,
            "value": np.round(value, 2),
            "sentiment": sentiment,
            "_edge": logged[r],
        }
    ).sort_values(["date", "source", "target"], kind="stable", ignore_index=True)

    _edge_figures(rng, edges, log, logged[keep], as_of)
    return log.drop(columns="_edge")


def _edge_figures(
    rng, edges: pd.DataFrame, log: pd.DataFrame, logged: np.ndarray, as_of: np.datetime64
) -> None:
    n = len(edges)
    q = edges["_q"].to_numpy(float)
    since = edges["since"].to_numpy("datetime64[D]")
    count = rng.poisson(2 + 6 * q)
    age = (as_of - since).astype("int64")
    last = as_of - _days(np.minimum(rng.exponential(120, n), age))
    sentiment = np.round(np.clip(1.4 * q - 0.55 + rng.normal(0, 0.15, n), -1, 1), 2)
    grouped = log.groupby("_edge")
    count[logged] = 0
    count[grouped.size().index] = grouped.size().to_numpy()
    last[logged] = np.datetime64("NaT")
    last[grouped["date"].max().index] = grouped["date"].max().to_numpy("datetime64[D]")
    recent = log.groupby("_edge").tail(6).groupby("_edge")["sentiment"].mean()
    sentiment[logged] = np.nan
    sentiment[recent.index] = np.round(recent.to_numpy(), 2)
    none = (count == 0) | (edges["type"] == "COMPETES_WITH").to_numpy()
    edges["interactions"] = pd.array(np.where(none, 0, count), dtype="Int64")
    edges.loc[(edges["type"] == "COMPETES_WITH").to_numpy(), "interactions"] = pd.NA
    edges["last_contact"] = np.where(none, np.datetime64("NaT"), last).astype("datetime64[ns]")
    edges["sentiment"] = np.where(none, np.nan, sentiment)
