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
:class:`graphcap.config.metric_params.StrengthConfig`). Dimensions that are missing are left out and the weights
of the present ones are renormalised, so a missing value neither counts as 0 nor as 1.

*Interaction* exists where the interaction log has rows for the pair (either direction, dates up
to ``as_of``) and is the mean of

- recency ``= 0.5 ** (days since the last interaction / half_life_days)``;
- frequency ``= D / (D + norm)`` where ``D = sum(0.5 ** (age_days / half_life))`` is the
  time-decayed interaction count (one contact today counts 1, one a half-life ago 0.5) and
  ``norm`` the median ``D`` of the relationships with stakeholders of the same type (the end that
  is not the organisation; the target for relationships among stakeholders): a relationship as
  busy as is usual for a regulator scores 0.5, like one as busy as is usual for a key customer.
  With fewer than :data:`MIN_NORM_PAIRS` such relationships ``norm`` is
  :data:`FREQUENCY_SATURATION`;
- reciprocity ``= 1 - |n_ab - n_ba| / (n_ab + n_ba)`` from the counts of both directions
  (1 = balanced, 0 = one-sided) — only where both directions can be observed: rows of a one-way
  channel (``StrengthConfig.one_way_channels``: orders, ratings, registers ...) and relationships
  of a one-way type (``one_way_types``) say nothing about reciprocity, so it is left out for them
  (it neither helps nor hurts).

Without log rows for the pair, the edge's own ``last_contact`` (recency) and ``interactions``
count (frequency, undecayed, against the same kind of per-type norm) are used where present.

``strength = (1 - w) * quality + w * interaction`` with ``w = interaction_weight``; with only one of
the two, that one. A relationship with neither gets :data:`DEFAULT_STRENGTH` (neutral) and
``strength_source = "default"``.

Signed ties: strength lies in [-1, 1]. A negative tie is distrust or hostility: a ``strength``
given below 0 (e.g. a -10 rating scaled to -1), or a relationship whose ``sentiment`` is at or
below ``StrengthConfig.negative_sentiment`` (then its strength is that sentiment). A ``strength``
given in the data is kept as it is (clipped to [-1, 1]) and marked ``strength_source = "given"``;
the components are still computed for reference. Negative ties never add to strength through
paths or parallel relationships (graphcap.graph.projection, graphcap.metrics.paths).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd

from graphcap.config.metric_params import StrengthConfig
from graphcap.errors import MetricError
from graphcap.i18n import gettext
from graphcap.model import Network, data_reference_date
from graphcap.model.schema import DEFAULT_STRENGTH, QUALITY_DIMENSIONS

__all__ = [
    "COMPONENT_COLUMNS",
    "DEFAULT_STRENGTH",
    "FREQUENCY_SATURATION",
    "MIN_NORM_PAIRS",
    "as_of_source",
    "data_reference_date",
    "compute_strength",
    "explain_strength",
    "pair_key",
    "resolve_as_of",
]

#: The decayed interaction count at which frequency reaches 0.5 when a type has no norm.
FREQUENCY_SATURATION = 4.0
#: Relationships of one stakeholder type needed before their median is that type's norm.
MIN_NORM_PAIRS = 3
#: Columns :func:`compute_strength` adds to the edges frame (besides strength, strength_source).
COMPONENT_COLUMNS: tuple[str, ...] = (
    "strength_quality",
    "strength_recency",
    "strength_frequency",
    "strength_reciprocity",
    "strength_interaction",
)
_INTERACTION_PARTS = ("strength_recency", "strength_frequency", "strength_reciprocity")


def as_of_source(network: Network | None, as_of: Any = None) -> str:
    """Where :func:`resolve_as_of` takes the date from, in words.

    >>> as_of_source(None, "2024-01-01")
    'given (--as-of)'
    """
    if as_of is not None:
        return "given (--as-of)"
    if network is not None and network.meta.get("as_of") is not None:
        return "stored with the data"
    if data_reference_date(network) is not None:
        return "latest interaction or contact in the data"
    return "today (the data has no date of its own)"


def resolve_as_of(network: Network | None = None, as_of: Any = None) -> pd.Timestamp:
    """The reference date of an analysis: ``as_of`` if given, else ``network.meta["as_of"]``
    (recorded at import), else the data's own date (:func:`data_reference_date`), else today
    (midnight, no time zone). :func:`as_of_source` says which.

    >>> resolve_as_of(None, "2024-03-01")
    Timestamp('2024-03-01 00:00:00')
    """
    value = as_of
    if value is None and network is not None:
        value = network.meta.get("as_of")
        if value is None:
            value = data_reference_date(network)
    if value is None:
        value = _dt.date.today()
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise MetricError(
            gettext("as_of must be a date (YYYY-MM-DD), got {value!r}").format(value=value)
        ) from exc
    if pd.isna(ts):
        raise MetricError(
            gettext("as_of must be a date (YYYY-MM-DD), got {value!r}").format(value=value)
        )
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


def _unit(frame: pd.DataFrame, column: str, low: float = 0.0) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    values = pd.to_numeric(frame[column], errors="coerce").astype(float).to_numpy(na_value=np.nan)
    return np.clip(values, low, 1.0)


def _counterpart_type(network: Network, edges: pd.DataFrame) -> np.ndarray:
    """Per edge: the type of the end that is not the focal organisation (the target's type for
    relationships among stakeholders)."""
    types = dict(
        zip(network.nodes["id"].astype(str), network.nodes["type"].astype(str), strict=True)
    )
    focal = set(network.focal_ids())
    src, tgt = edges["source"].astype(str), edges["target"].astype(str)
    end = np.where(
        tgt.isin(focal).to_numpy() & ~src.isin(focal).to_numpy(), src.to_numpy(), tgt.to_numpy()
    )
    return np.array([types.get(e, "") for e in end], dtype=object)


def _relative(count: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """``count / (count + norm)`` with ``norm`` the median positive count of the row's group
    (:data:`FREQUENCY_SATURATION` with fewer than :data:`MIN_NORM_PAIRS` rows)."""
    out = np.full(len(count), np.nan)
    has = ~np.isnan(count)
    for g in set(groups[has].tolist()):
        sel = has & (groups == g)
        pos = count[sel][count[sel] > 0]
        norm = float(np.median(pos)) if len(pos) >= MIN_NORM_PAIRS else FREQUENCY_SATURATION
        out[sel] = count[sel] / (count[sel] + norm)
    return out


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[column], errors="coerce")


def _decay(days: np.ndarray | pd.Series, half_life: float) -> np.ndarray:
    return np.power(0.5, np.asarray(days, dtype=float) / half_life)


def _log_stats(
    interactions: pd.DataFrame,
    as_of: pd.Timestamp,
    half_life: float,
    one_way_channels: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Per unordered pair: last date, decayed count, counts in each direction over the rows of
    two-way channels (``n_lo``, ``n_hi``)."""
    cols = ["last", "decayed", "n_lo", "n_hi"]
    log = interactions
    if log is None or len(log) == 0:
        return pd.DataFrame(columns=cols)
    dates = pd.to_datetime(log["date"], errors="coerce")
    keep = dates.notna() & (dates <= as_of) & log["source"].notna() & log["target"].notna()
    if not keep.any():
        return pd.DataFrame(columns=cols)
    src = log.loc[keep, "source"].astype(str)
    tgt = log.loc[keep, "target"].astype(str)
    d = dates[keep]
    age = (as_of - d).dt.days.to_numpy(dtype=float)
    if "channel" in log.columns and one_way_channels:
        channel = log.loc[keep, "channel"].astype(str).str.strip().str.lower()
        two_way = (~channel.isin(one_way_channels)).to_numpy(dtype=float)
    else:
        two_way = np.ones(len(src))
    lo = (src <= tgt).to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "key": pair_key(src, tgt).to_numpy(),
            "date": d.to_numpy(),
            "decayed": _decay(age, half_life),
            "lo": lo * two_way,
            "hi": (1.0 - lo) * two_way,
        }
    )
    # summed in a canonical order (by pair, then value), so the same log in another row order
    # gives the same sums to the last bit (and PageRank the same ranks, tests/metrics/
    # test_reproducible.py)
    frame = frame.sort_values(["key", "decayed", "lo"], kind="stable")
    return frame.groupby("key").agg(
        last=("date", "max"), decayed=("decayed", "sum"), n_lo=("lo", "sum"), n_hi=("hi", "sum")
    )


def compute_strength(
    network: Network, config: StrengthConfig | None = None, *, as_of: Any = None
) -> Network:
    """A copy of ``network`` whose edges carry ``strength`` (never missing), ``strength_source``
    (``given`` / ``derived`` / ``negative`` / ``default``) and the component columns
    :data:`COMPONENT_COLUMNS` (missing where the data has no basis for that component).

    Examples
    --------
    Trust 0.8 and commitment 0.4 with the default weights 0.35 and 0.25 give
    ``(0.35*0.8 + 0.25*0.4) / 0.6 = 0.6333``; one interaction 180 days (one half-life) before
    ``as_of`` from the supplier only gives recency 0.5, frequency 0.5/4.5 (no norm for suppliers
    from one relationship), reciprocity 0:

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
        stats = _log_stats(network.interactions, as_of_ts, half_life, config.one_way_channels)
        keys = pair_key(edges["source"], edges["target"])
        groups = _counterpart_type(network, edges)
        one_way = edges["type"].astype(str).str.upper().isin(config.one_way_types).to_numpy()
        if len(stats):
            joined = stats.reindex(keys.to_numpy())
            has = joined["decayed"].notna().to_numpy()
            days = (as_of_ts - pd.to_datetime(joined["last"])).dt.days.to_numpy(dtype=float)
            recency = np.where(has, _decay(np.nan_to_num(days), half_life), np.nan)
            dec = joined["decayed"].to_numpy(dtype=float)
            frequency = _relative(np.where(has, dec, np.nan), groups)
            lo = joined["n_lo"].to_numpy(dtype=float)
            hi = joined["n_hi"].to_numpy(dtype=float)
            observable = has & ~one_way & (np.nan_to_num(lo + hi) > 0)
            with np.errstate(invalid="ignore", divide="ignore"):
                reciprocity = np.where(observable, 1.0 - np.abs(lo - hi) / (lo + hi), np.nan)
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
            frequency = np.where(use, _relative(np.where(use, count, np.nan), groups), frequency)

    parts = np.vstack([recency, frequency, reciprocity]) if n else np.zeros((3, 0))
    n_parts = (~np.isnan(parts)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        interaction = np.where(
            n_parts > 0, np.nansum(parts, axis=0) / np.maximum(n_parts, 1), np.nan
        )

    w = float(config.interaction_weight)
    has_q = ~np.isnan(quality)
    has_i = ~np.isnan(interaction)
    derived = np.where(
        has_q & has_i,
        (1 - w) * np.nan_to_num(quality) + w * np.nan_to_num(interaction),
        np.where(has_q, quality, np.where(has_i, interaction, DEFAULT_STRENGTH)),
    )
    sentiment = _unit(edges, "sentiment", low=-1.0)
    hostile = ~np.isnan(sentiment) & (sentiment <= float(config.negative_sentiment))
    derived = np.where(hostile, sentiment, np.clip(derived, 0.0, 1.0))
    given = _unit(edges, "strength", low=-1.0)
    is_given = ~np.isnan(given)
    source = np.where(
        is_given,
        "given",
        np.where(hostile, "negative", np.where(has_q | has_i, "derived", "default")),
    )

    edges["strength"] = np.where(is_given, given, derived).astype(float)
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


def explain_strength(
    edge_row: pd.Series | dict, config: StrengthConfig | None = None
) -> pd.DataFrame:
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
    if source in ("given", "default", "negative"):
        value = DEFAULT_STRENGTH if source == "default" else num("strength")
        rows.append(("negative sentiment" if source == "negative" else str(source), value, 1.0))
    else:
        dims = [
            (d, min(max(num(d), 0.0), 1.0), float(config.weights.get(d, 0.0)))
            for d in QUALITY_DIMENSIONS
            if not np.isnan(num(d)) and config.weights.get(d, 0.0) > 0
        ]
        inter = [
            (c.removeprefix("strength_"), num(c))
            for c in _INTERACTION_PARTS
            if not np.isnan(num(c))
        ]
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
