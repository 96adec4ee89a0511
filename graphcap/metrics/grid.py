"""Power/interest grid from data, beside the manual assessment.

What it means for a strategy team
---------------------------------
The classic stakeholder grid (Mendelow): *power* — how much a stakeholder can affect us; *interest*
— how engaged it is with us. Four quadrants: **manage closely** (high power, high interest),
**keep satisfied** (high power, low interest), **keep informed** (low power, high interest),
**monitor** (low, low). Here both axes come from the data, so the grid can be set beside the
power and interest the team entered by hand: where they disagree (``grid_gap``) the assessment
or the data deserves a second look.

How it is computed
------------------
Over the stakeholders other than the focal organisation, each axis is a *mid-rank* in (0, 1):
``(rank - 0.5) / n`` (ties share their average rank; a stakeholder with no basis at all scores
0), so both axes spread evenly over [0, 1] on any network and 0.5 splits them into halves. A score from values that were mostly
zero (a value share, say) would pile everyone near 0 and put nearly all in one quadrant.

- ``power_data`` = rank of ``0.5 * pagerank_pct + 0.5 * dependence`` — position (percentile rank
  of weighted PageRank) and dependence: percentile rank of its share of our money of its own kind
  (``value_share``; 0 without money);
- ``interest_data`` = rank of ``0.5 * engagement_pct + 0.5 * tie_strength`` — engagement is the
  time-decayed count of interactions with the organisation (percentile rank; 0 without any),
  ``tie_strength`` the strongest-path strength to the organisation. Without any interaction
  data the rank of the tie strength alone.

Quadrants split each axis at ``threshold`` (0.5: the median). ``negative_tie`` marks stakeholders
with a negative (hostile) direct tie to the organisation. Where manual ``power`` and ``interest``
are both given, ``quadrant_manual`` is their quadrant, ``power_gap``/``interest_gap`` the
differences (data - manual) and ``grid_gap`` is true when the quadrants differ or a gap is at
least ``gap_threshold``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from graphcap.metrics.paths import focal_counterpart
from graphcap.metrics.strength import resolve_as_of
from graphcap.model import Network

__all__ = [
    "QUADRANTS",
    "GridConfig",
    "engagement",
    "midrank",
    "percentile",
    "power_interest",
    "quadrant",
]

#: (high power, high interest) -> quadrant name.
QUADRANTS = {
    (True, True): "manage closely",
    (True, False): "keep satisfied",
    (False, True): "keep informed",
    (False, False): "monitor",
}
FOCAL_QUADRANT = "focal organisation"


@dataclass(frozen=True)
class GridConfig:
    """Parameters of the data-driven grid."""

    threshold: float = 0.5
    gap_threshold: float = 0.25
    half_life_days: float = 180.0


def percentile(values: pd.Series) -> pd.Series:
    """Percentile rank in (0, 1] (ties share their average rank); 0 for values <= 0 or missing.

    >>> percentile(pd.Series([0.0, 1.0, 2.0, 2.0])).tolist()
    [0.0, 0.5, 0.875, 0.875]
    """
    x = pd.to_numeric(values, errors="coerce").astype(float)
    ranks = x.rank(pct=True, method="average")
    return ranks.where(x > 0, 0.0).fillna(0.0)


def midrank(values: pd.Series) -> pd.Series:
    """``(rank - 0.5) / n`` over the positive values, ties at their average rank: evenly spread
    over (0, 1); 0 for values <= 0 or missing (no basis at all).

    >>> midrank(pd.Series([0.0, 1.0, 3.0, 3.0, 7.0])).tolist()
    [0.0, 0.125, 0.5, 0.5, 0.875]
    """
    x = pd.to_numeric(values, errors="coerce").astype(float).fillna(0.0)
    pos = x > 0
    out = pd.Series(0.0, index=x.index)
    if pos.any():
        out[pos] = (x[pos].rank(method="average") - 0.5) / int(pos.sum())
    return out


def quadrant(power: float, interest: float, threshold: float = 0.5) -> str:
    """The grid quadrant of a (power, interest) pair.

    >>> quadrant(0.9, 0.2), quadrant(0.5, 0.5)
    ('keep satisfied', 'manage closely')
    """
    return QUADRANTS[(bool(power >= threshold), bool(interest >= threshold))]


def engagement(network: Network, *, as_of: Any = None, half_life_days: float = 180.0) -> pd.Series:
    """Time-decayed number of interactions of each stakeholder with the focal organisation
    (``sum(0.5 ** (age_days / half_life))`` over the log up to ``as_of``); where the log has none,
    the ``interactions`` counts of its relationships with the organisation. Indexed by id.

    >>> nodes = pd.DataFrame({"id": ["o", "a"], "name": ["O", "A"], "type": ["organization", "customer"]})
    >>> edges = pd.DataFrame({"source": ["a"], "target": ["o"], "type": ["BUYS_FROM"]})
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2023-07-05"]),
    ...                     "source": ["o", "a"], "target": ["a", "o"]})
    >>> float(engagement(Network(nodes, edges, log), as_of="2024-01-01")["a"])  # 1 + 0.5
    1.5
    """
    as_of_ts = resolve_as_of(network, as_of)
    focal = set(network.focal_ids())
    ids = network.nodes["id"].astype(str)
    out = pd.Series(0.0, index=pd.Index(ids, name="id"))
    log = network.interactions
    from_log = pd.Series(dtype=float)
    if len(log) and focal:
        dates = pd.to_datetime(log["date"], errors="coerce")
        other = focal_counterpart(log, focal)
        keep = other.notna() & dates.notna() & (dates <= as_of_ts)
        age = (as_of_ts - dates[keep]).dt.days.to_numpy(dtype=float)
        from_log = pd.Series(np.power(0.5, age / half_life_days), index=other[keep].to_numpy())
        from_log = from_log.groupby(level=0).sum()
    edges = network.edges
    from_edges = pd.Series(dtype=float)
    if len(edges) and "interactions" in edges.columns and focal:
        other = focal_counterpart(edges, focal)
        keep = other.notna()
        counts = pd.to_numeric(edges.loc[keep, "interactions"], errors="coerce").astype(float)
        from_edges = pd.Series(
            counts.fillna(0.0).clip(lower=0).to_numpy(), index=other[keep].to_numpy()
        )
        from_edges = from_edges.groupby(level=0).sum()
    out.update(from_edges)
    out.update(from_log[from_log > 0])
    return out.fillna(0.0)


def _manual(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").astype(float).to_numpy(na_value=np.nan)


def power_interest(frame: pd.DataFrame, config: GridConfig | None = None) -> pd.DataFrame:
    """The grid for a per-stakeholder frame with ``id type pagerank value_share tie_strength
    engagement`` (and optionally manual ``power``/``interest``). Returns ``id power_data
    interest_data quadrant pagerank_pct dependence engagement_pct`` and, with manual values,
    ``quadrant_manual power_gap interest_gap grid_gap grid_note`` (``quadrant_manual`` missing,
    gaps 0, ``grid_gap`` False and ``grid_note`` "" where no manual values are given).

    >>> f = pd.DataFrame({"id": ["o", "a", "b"], "type": ["organization", "customer", "agency"],
    ...                   "pagerank": [0.5, 0.3, 0.2], "value_share": [0.0, 0.3, 0.0],
    ...                   "tie_strength": [1.0, 0.8, 0.2], "engagement": [0.0, 3.0, 0.0],
    ...                   "power": [None, None, 0.9], "interest": [None, None, 0.8]})
    >>> g = power_interest(f)
    >>> g[["id", "power_data", "interest_data", "quadrant"]].values.tolist()
    [['o', 0.0, 0.0, 'focal organisation'], ['a', 0.75, 0.75, 'manage closely'], ['b', 0.25, 0.25, 'monitor']]
    >>> g.loc[2, "grid_note"]
    'data says monitor (power 0.25, interest 0.25); manual says manage closely (power 0.90, interest 0.80)'
    """
    cfg = config or GridConfig()
    f = frame.reset_index(drop=True)
    others = (f["type"] != "organization").to_numpy()
    out = pd.DataFrame({"id": f["id"].astype(object)})

    def col(name: str) -> pd.Series:
        if name not in f.columns:
            return pd.Series(0.0, index=f.index)
        return pd.to_numeric(f[name], errors="coerce").astype(float).fillna(0.0)

    pr_pct = pd.Series(0.0, index=f.index)
    en_pct = pd.Series(0.0, index=f.index)
    dependence = pd.Series(0.0, index=f.index)
    pr_pct[others] = percentile(col("pagerank")[others])
    en_pct[others] = percentile(col("engagement")[others])
    dependence[others] = percentile(col("value_share")[others])
    tie = col("tie_strength").clip(0.0, 1.0)
    has_engagement = bool((col("engagement")[others] > 0).any())
    power = pd.Series(0.0, index=f.index)
    interest = pd.Series(0.0, index=f.index)
    power[others] = midrank((0.5 * pr_pct + 0.5 * dependence)[others])
    raw_interest = 0.5 * en_pct + 0.5 * tie if has_engagement else tie
    interest[others] = midrank(raw_interest[others])
    out["power_data"] = np.where(others, power, 0.0)
    out["interest_data"] = np.where(others, interest, 0.0)
    out["quadrant"] = [
        quadrant(p, i, cfg.threshold) if o else FOCAL_QUADRANT
        for p, i, o in zip(out["power_data"], out["interest_data"], others, strict=True)
    ]
    out["pagerank_pct"] = pr_pct
    out["dependence"] = np.where(others, dependence, 0.0)
    out["engagement_pct"] = en_pct
    out["negative_tie"] = (
        f["negative_tie"].fillna(False).astype(bool).to_numpy() & others
        if "negative_tie" in f.columns
        else np.zeros(len(f), dtype=bool)
    )

    manual_p = _manual(f, "power")
    manual_i = _manual(f, "interest")
    has = others & ~np.isnan(manual_p) & ~np.isnan(manual_i)
    hi_p, hi_i = manual_p >= cfg.threshold, manual_i >= cfg.threshold
    q_manual = [
        QUADRANTS[(bool(a), bool(b))] if h else None
        for a, b, h in zip(hi_p, hi_i, has, strict=True)
    ]
    p_gap = np.where(has, out["power_data"].to_numpy() - manual_p, 0.0)
    i_gap = np.where(has, out["interest_data"].to_numpy() - manual_i, 0.0)
    differs = np.array(
        [qm is not None and qm != qd for qm, qd in zip(q_manual, out["quadrant"], strict=True)],
        dtype=bool,
    )
    gap = has & (
        differs | (np.abs(p_gap) >= cfg.gap_threshold) | (np.abs(i_gap) >= cfg.gap_threshold)
    )
    notes = [
        f"data says {qd} (power {pd_:.2f}, interest {id_:.2f}); manual says {qm} "
        f"(power {mp:.2f}, interest {mi:.2f})"
        if g
        else ""
        for g, qd, pd_, id_, qm, mp, mi in zip(
            gap,
            out["quadrant"],
            out["power_data"],
            out["interest_data"],
            q_manual,
            manual_p,
            manual_i,
            strict=True,
        )
    ]
    out["quadrant"] = out["quadrant"].astype(object)
    out["quadrant_manual"] = pd.Series(q_manual, dtype=object)
    out["power_gap"] = p_gap
    out["interest_gap"] = i_gap
    out["grid_gap"] = pd.Series(gap, dtype=bool)
    out["grid_note"] = pd.Series(notes, dtype=object)
    return out
