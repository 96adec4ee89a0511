"""Relationship strength: one transparent number in [0, 1] per relationship, and its explanation.

What it means for a strategy team
---------------------------------
``strength`` says how solid a relationship is: 1 is a trusted, committed, responsive, mutually
valuable and actively maintained relationship, 0 one that exists on paper only. Every figure can
be taken apart into its components with :func:`explain_strength`, so a score never has to be
taken on faith.

How it is computed
------------------
*Quality* is the weighted mean of the quality dimensions the relationship has
(``trust``, ``commitment``, ``responsiveness``, ``mutual_interest``; weights from
:class:`graphcap.config.StrengthConfig`). Dimensions that are missing are left out and the weights
of the present ones are renormalised, so a missing value neither counts as 0 nor as 1.

*Interaction* exists where the interaction log has rows for the pair (either direction, dates up
to ``as_of``) and is the mean of

- recency ``= 0.5 ** (days since the last interaction / half_life_days)``;
- frequency ``= D / (D + FREQUENCY_SATURATION)`` where ``D = sum(0.5 ** (age_days / half_life))``
  is the time-decayed interaction count (one contact today counts 1, one a half-life ago 0.5);
- reciprocity ``= 1 - |n_ab - n_ba| / (n_ab + n_ba)`` from the counts of both directions
  (1 = balanced, 0 = one-sided).

Without log rows for the pair, the edge's own ``last_contact`` (recency) and ``interactions``
count (frequency, undecayed) are used where present.

``strength = (1 - w) * quality + w * interaction`` with ``w = interaction_weight``; with only one of
the two, that one. A relationship with neither gets :data:`DEFAULT_STRENGTH` (neutral) and
``strength_source = "default"``. A ``strength`` given in the data is kept as it is (clipped to
[0, 1]) and marked ``strength_source = "given"``; the components are still computed for reference.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd

from graphcap.config import StrengthConfig
from graphcap.errors import MetricError
from graphcap.model import DEFAULT_STRENGTH, QUALITY_DIMENSIONS, Network

__all__ = [
    "COMPONENT_COLUMNS",
    "DEFAULT_STRENGTH",
    "FREQUENCY_SATURATION",
    "compute_strength",
    "explain_strength",
    "pair_key",
    "resolve_as_of",
]

#: The decayed interaction count at which frequency reaches 0.5.
FREQUENCY_SATURATION = 4.0
#: Columns :func:`compute_strength` adds to the edges frame (besides strength, strength_source).
COMPONENT_COLUMNS: tuple[str, ...] = (
    "strength_quality",
    "strength_recency",
    "strength_frequency",
    "strength_reciprocity",
    "strength_interaction",
)
_INTERACTION_PARTS = ("strength_recency", "strength_frequency", "strength_reciprocity")


def resolve_as_of(network: Network | None = None, as_of: Any = None) -> pd.Timestamp:
    """The reference date of an analysis: ``as_of`` if given, else ``network.meta["as_of"]``,
    else today (midnight, no time zone).

    >>> resolve_as_of(None, "2024-03-01")
    Timestamp('2024-03-01 00:00:00')
    """
    value = as_of
    if value is None and network is not None:
        value = network.meta.get("as_of")
    if value is None:
        value = _dt.date.today()
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise MetricError(f"as_of must be a date (YYYY-MM-DD), got {value!r}") from exc
    if pd.isna(ts):
        raise MetricError(f"as_of must be a date (YYYY-MM-DD), got {value!r}")
    if ts.tzinfo is not None:
        ts = ts.tz_convert(None)
    return ts.normalize()


def pair_key(a: pd.Series, b: pd.Series) -> pd.Series:
    """An order-free key of two id columns (``"a\\x1fb"`` with the smaller id first).

    >>> pair_key(pd.Series(["b", "a"]), pd.Series(["a", "b"])).tolist() == ["a\\x1fb"] * 2
    True
    """
    a = a.astype(str)
    b = b.astype(str)
    lo = a.where(a <= b, b)
    hi = b.where(a <= b, a)
    return lo + "\x1f" + hi


def _unit(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    values = pd.to_numeric(frame[column], errors="coerce").astype(float).to_numpy(na_value=np.nan)
    return np.clip(values, 0.0, 1.0)


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[column], errors="coerce")


def _decay(days: np.ndarray | pd.Series, half_life: float) -> np.ndarray:
    return np.power(0.5, np.asarray(days, dtype=float) / half_life)


def _log_stats(interactions: pd.DataFrame, as_of: pd.Timestamp, half_life: float) -> pd.DataFrame:
    """Per unordered pair: last date, decayed count, counts in each direction."""
    log = interactions
    if log is None or len(log) == 0:
        return pd.DataFrame(columns=["last", "decayed", "n_lo", "n_hi"])
    dates = pd.to_datetime(log["date"], errors="coerce")
    keep = dates.notna() & (dates <= as_of) & log["source"].notna() & log["target"].notna()
    if not keep.any():
        return pd.DataFrame(columns=["last", "decayed", "n_lo", "n_hi"])
    src = log.loc[keep, "source"].astype(str)
    tgt = log.loc[keep, "target"].astype(str)
    d = dates[keep]
    age = (as_of - d).dt.days.to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "key": pair_key(src, tgt).to_numpy(),
            "date": d.to_numpy(),
            "decayed": _decay(age, half_life),
            "lo": (src <= tgt).to_numpy(dtype=float),
        }
    )
    frame["hi"] = 1.0 - frame["lo"]
    return frame.groupby("key").agg(
        last=("date", "max"), decayed=("decayed", "sum"), n_lo=("lo", "sum"), n_hi=("hi", "sum")
    )


def compute_strength(
    network: Network, config: StrengthConfig | None = None, *, as_of: Any = None
) -> Network:
    """A copy of ``network`` whose edges carry ``strength`` (never missing), ``strength_source``
    (``given`` / ``derived`` / ``default``) and the component columns
    :data:`COMPONENT_COLUMNS` (missing where the data has no basis for that component).

    Examples
    --------
    Trust 0.8 and commitment 0.4 with the default weights 0.35 and 0.25 give
    ``(0.35*0.8 + 0.25*0.4) / 0.6 = 0.6333``; one interaction 180 days (one half-life) before
    ``as_of`` from the supplier only gives recency 0.5, frequency 0.5/4.5, reciprocity 0:

    >>> nodes = pd.DataFrame({"id": ["org", "s"], "name": ["Org", "S"], "type": ["organization", "supplier"]})
    >>> edges = pd.DataFrame({"source": ["s"], "target": ["org"], "type": ["SUPPLIES"],
    ...                       "trust": [0.8], "commitment": [0.4]})
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2024-01-01"]), "source": ["s"], "target": ["org"]})
    >>> net = compute_strength(Network(nodes, edges, log), as_of="2024-06-29")
    >>> row = net.edges.iloc[0]
    >>> round(float(row.strength_quality), 4), round(float(row.strength_interaction), 4)
    (0.6333, 0.2037)
    >>> round(float(row.strength), 4)  # 0.7 * 0.6333 + 0.3 * 0.2037
    0.5044
    """
    config = config or StrengthConfig()
    as_of_ts = resolve_as_of(network, as_of)
    half_life = float(config.half_life_days)
    edges = network.edges.copy()
    n = len(edges)

    num = np.zeros(n)
    den = np.zeros(n)
    for dim in QUALITY_DIMENSIONS:
        weight = float(config.weights.get(dim, 0.0))
        if weight <= 0 or dim not in edges.columns:
            continue
        x = _unit(edges, dim)
        present = ~np.isnan(x)
        num += np.where(present, weight * np.nan_to_num(x), 0.0)
        den += np.where(present, weight, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        quality = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)

    recency = np.full(n, np.nan)
    frequency = np.full(n, np.nan)
    reciprocity = np.full(n, np.nan)
    if n:
        stats = _log_stats(network.interactions, as_of_ts, half_life)
        keys = pair_key(edges["source"], edges["target"])
        if len(stats):
            joined = stats.reindex(keys.to_numpy())
            has = joined["decayed"].notna().to_numpy()
            days = (as_of_ts - pd.to_datetime(joined["last"])).dt.days.to_numpy(dtype=float)
            recency = np.where(has, _decay(np.nan_to_num(days), half_life), np.nan)
            dec = joined["decayed"].to_numpy(dtype=float)
            frequency = np.where(has, dec / (dec + FREQUENCY_SATURATION), np.nan)
            lo = joined["n_lo"].to_numpy(dtype=float)
            hi = joined["n_hi"].to_numpy(dtype=float)
            with np.errstate(invalid="ignore", divide="ignore"):
                reciprocity = np.where(has, 1.0 - np.abs(lo - hi) / (lo + hi), np.nan)
        else:
            has = np.zeros(n, dtype=bool)
        # Fallback on the edge's own columns where the log has nothing for the pair.
        last = _dates(edges, "last_contact")
        days_edge = (as_of_ts - last).dt.days.to_numpy(dtype=float)
        days_edge = np.where(days_edge < 0, 0.0, days_edge)
        use = ~has & ~np.isnan(days_edge)
        recency = np.where(use, _decay(np.nan_to_num(days_edge), half_life), recency)
        if "interactions" in edges.columns:
            count = pd.to_numeric(edges["interactions"], errors="coerce").astype(float)
            count = count.to_numpy(na_value=np.nan)
            count = np.where(count < 0, 0.0, count)
            use = ~has & ~np.isnan(count)
            frequency = np.where(use, count / (np.nan_to_num(count) + FREQUENCY_SATURATION), frequency)

    parts = np.vstack([recency, frequency, reciprocity]) if n else np.zeros((3, 0))
    n_parts = (~np.isnan(parts)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        interaction = np.where(n_parts > 0, np.nansum(parts, axis=0) / np.maximum(n_parts, 1), np.nan)

    w = float(config.interaction_weight)
    has_q = ~np.isnan(quality)
    has_i = ~np.isnan(interaction)
    derived = np.where(
        has_q & has_i,
        (1 - w) * np.nan_to_num(quality) + w * np.nan_to_num(interaction),
        np.where(has_q, quality, np.where(has_i, interaction, DEFAULT_STRENGTH)),
    )
    given = _unit(edges, "strength")
    is_given = ~np.isnan(given)
    source = np.where(is_given, "given", np.where(has_q | has_i, "derived", "default"))

    edges["strength"] = np.where(is_given, given, np.clip(derived, 0.0, 1.0)).astype(float)
    edges["strength_source"] = pd.Series(source, index=edges.index, dtype=object)
    for column, values in zip(
        COMPONENT_COLUMNS, (quality, recency, frequency, reciprocity, interaction), strict=True
    ):
        edges[column] = np.asarray(values, dtype=float)
    return Network(
        nodes=network.nodes,
        edges=edges,
        interactions=network.interactions,
        meta={**network.meta, "strength_as_of": as_of_ts.date().isoformat()},
    )


def explain_strength(edge_row: pd.Series | dict, config: StrengthConfig | None = None) -> pd.DataFrame:
    """Take one edge's strength apart: one row per component with ``component``, ``value``,
    ``weight`` and ``contribution`` (= value × weight); the contributions add up to ``strength``.

    ``edge_row`` is a row of the edges frame returned by :func:`compute_strength`.

    >>> row = {"strength": 0.5933, "strength_source": "derived", "trust": 0.8, "commitment": 0.4,
    ...        "strength_quality": 0.6333, "strength_recency": 0.5, "strength_frequency": 0.5,
    ...        "strength_reciprocity": float("nan"), "strength_interaction": 0.5}
    >>> table = explain_strength(row)
    >>> table[["component", "weight"]].round(4).values.tolist()
    [['trust', 0.4083], ['commitment', 0.2917], ['recency', 0.15], ['frequency', 0.15]]
    >>> round(float(table["contribution"].sum()), 4)
    0.5933
    """
    config = config or StrengthConfig()
    row = dict(edge_row)

    def num(key: str) -> float:
        try:
            value = float(row.get(key, np.nan))
        except (TypeError, ValueError):
            return float("nan")
        return value

    source = row.get("strength_source", "derived")
    rows: list[tuple[str, float, float]] = []
    if source in ("given", "default"):
        value = num("strength") if source == "given" else DEFAULT_STRENGTH
        rows.append((str(source), value, 1.0))
    else:
        dims = [
            (d, min(max(num(d), 0.0), 1.0), float(config.weights.get(d, 0.0)))
            for d in QUALITY_DIMENSIONS
            if not np.isnan(num(d)) and config.weights.get(d, 0.0) > 0
        ]
        inter = [(c.removeprefix("strength_"), num(c)) for c in _INTERACTION_PARTS if not np.isnan(num(c))]
        w = float(config.interaction_weight)
        q_share = (1 - w) if dims and inter else (1.0 if dims else 0.0)
        i_share = w if dims and inter else (1.0 if inter else 0.0)
        total = sum(weight for _, _, weight in dims)
        rows += [(d, v, q_share * weight / total) for d, v, weight in dims]
        rows += [(name, v, i_share / len(inter)) for name, v in inter]
        if not rows:
            rows.append(("default", DEFAULT_STRENGTH, 1.0))
    table = pd.DataFrame(rows, columns=["component", "value", "weight"])
    table["component"] = table["component"].astype(object)
    table["contribution"] = table["value"] * table["weight"]
    return table
