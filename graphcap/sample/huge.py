"""A very large synthetic network, generated in chunks so memory stays bounded.

:func:`huge_chunks` yields ``(nodes, edges)`` frames for consecutive blocks of stakeholders;
``graphcap sample --scale huge --csv DIR`` appends them to ``nodes.csv`` and ``edges.csv``, so a
network of a million stakeholders and five million relationships never has to be in memory at
once (one chunk is; the default chunk of 100 000 stakeholders is about 100 MB of frames).

The shape is the benchmark shape of ``bench/bench_import.py``, not the sample's story: one
business unit per 20 000 stakeholders (``S0000000`` ...), typed stakeholders (customers,
suppliers, partners, agencies, competitors) with segment, region, since, revenue and
satisfaction, and relationships whose sources are the chunk's stakeholders and whose targets
are a business unit (a fifth of them) or a stakeholder drawn from a heavy-tailed distribution
over the whole id range (a few stakeholders are tied to many). Because every chunk holds the
relationships *from* its own stakeholders, dropping duplicates of (source, type, target) inside
a chunk makes them unique in the whole network. Every stakeholder has at least one
relationship when ``relationships >= stakeholders``, so the network is one connected whole
around the business units.

The same seed, sizes and chunk size give the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from graphcap.errors import ConfigError
from graphcap.i18n import gettext

__all__ = ["HUGE", "huge_chunks"]

#: Default size of ``--scale huge``.
HUGE = {"stakeholders": 1_000_000, "relationships": 5_000_000}

_TYPES = np.array(["customer", "supplier", "partner", "agency", "competitor"], dtype=object)
_P_TYPES = [0.55, 0.25, 0.08, 0.05, 0.07]
_REL_BY_TYPE = {
    "customer": "BUYS_FROM",
    "supplier": "SUPPLIES",
    "partner": "PARTNERS_WITH",
    "agency": "REGULATES",
    "competitor": "COMPETES_WITH",
}
_SEGMENTS = np.array(["A", "B", "C"], dtype=object)
_REGIONS = np.array(["DACH", "Nordics", "Benelux", "Iberia"], dtype=object)
_UNITS_PER = 20_000


def _text(frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    """Text columns as ``object`` holding ``str`` (graphcap.model), whatever pandas infers."""
    for c in columns:
        frame[c] = frame[c].astype(object)


def _ids(numbers: np.ndarray) -> np.ndarray:
    return np.char.add("S", np.char.zfill(numbers.astype(str), 7)).astype(object)


def huge_chunks(
    *,
    stakeholders: int = HUGE["stakeholders"],
    relationships: int = HUGE["relationships"],
    seed: int = 42,
    chunk: int = 100_000,
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Yield ``(nodes, edges)`` for stakeholders ``[k * chunk, (k + 1) * chunk)``, k = 0, 1, ...

    Each chunk gets ``relationships * len(chunk) / stakeholders`` relationships (rounded; the
    last chunk takes the remainder, fewer if duplicates were dropped).
    """
    if not isinstance(stakeholders, int) or not 2 <= stakeholders <= 99_999_999:
        raise ConfigError(
            gettext(
                "sample: stakeholders must be between 2 and 99999999, got {stakeholders!r}"
            ).format(stakeholders=stakeholders)
        )
    if not isinstance(relationships, int) or relationships < 1:
        raise ConfigError(
            gettext("sample: relationships must be positive, got {relationships!r}").format(
                relationships=relationships
            )
        )
    if not isinstance(chunk, int) or chunk < 1:
        raise ConfigError(
            gettext("sample: chunk must be positive, got {chunk!r}").format(chunk=chunk)
        )
    n_units = max(1, stakeholders // _UNITS_PER)
    base = pd.Timestamp("2010-01-01")
    done_edges = 0
    for k, start in enumerate(range(0, stakeholders, chunk)):
        stop = min(stakeholders, start + chunk)
        rng = np.random.default_rng([seed, k])
        n = stop - start
        numbers = np.arange(start, stop)
        types = rng.choice(_TYPES, size=n, p=_P_TYPES)
        types[numbers < n_units] = "organization"
        nodes = pd.DataFrame(
            {
                "id": _ids(numbers),
                "name": np.char.add(
                    np.char.add("Stakeholder ", numbers.astype(str)), " GmbH"
                ).astype(object),
                "type": types,
                "segment": rng.choice(_SEGMENTS, size=n),
                "region": rng.choice(_REGIONS, size=n),
                "since": base + pd.to_timedelta(rng.integers(0, 5000, n), unit="D"),
                "revenue": rng.lognormal(11, 1.5, n).round(2),
                "satisfaction": rng.random(n).round(3),
            }
        )
        last = stop == stakeholders
        want = (
            relationships - done_edges
            if last
            else round(relationships * stop / stakeholders) - done_edges
        )
        _text(nodes, ("id", "name", "type", "segment", "region"))
        edges = _chunk_edges(rng, numbers, types, want, stakeholders, n_units)
        _text(edges, ("source", "target", "type"))
        done_edges += len(edges)
        yield nodes, edges


def _draw(
    rng: np.random.Generator,
    numbers: np.ndarray,
    types: np.ndarray,
    pos: np.ndarray,
    n_first: int,
    stakeholders: int,
    n_units: int,
) -> pd.DataFrame:
    """Relationships from ``numbers[pos]``: the first ``n_first`` to a business unit, the rest
    to a unit (a fifth) or a heavy-tailed draw over all stakeholders; unique, no self-ties."""
    src = numbers[pos]
    to_unit = rng.random(pos.size) < 0.2
    to_unit[:n_first] = True
    dst = np.where(
        to_unit,
        rng.integers(0, n_units, size=pos.size),
        (rng.pareto(1.2, size=pos.size) * 50).astype(np.int64) % stakeholders,
    )
    kind = types[pos]
    rel = pd.Series(kind).map(_REL_BY_TYPE).fillna("INFLUENCES").to_numpy(dtype=object)
    rel = np.where(rng.random(pos.size) < 0.15, "INFLUENCES", rel).astype(object)
    frame = pd.DataFrame({"s": src, "t": dst, "type": rel})
    return frame[frame["s"] != frame["t"]].drop_duplicates(["s", "type", "t"])


def _chunk_edges(
    rng: np.random.Generator,
    numbers: np.ndarray,
    types: np.ndarray,
    want: int,
    stakeholders: int,
    n_units: int,
) -> pd.DataFrame:
    if want <= 0:
        return pd.DataFrame(columns=["source", "target", "type"])
    n = numbers.size
    # every stakeholder first (so each has a tie when there are enough), then random sources;
    # more are drawn while duplicates and self-ties leave fewer than wanted
    first = np.arange(min(n, want))
    extra = rng.integers(0, n, size=int((want - first.size) * 1.1) + 16)
    frame = _draw(rng, numbers, types, np.concatenate([first, extra]), first.size, stakeholders,
                  n_units)  # fmt: skip
    for _ in range(20):
        if len(frame) >= want:
            break
        more = rng.integers(0, n, size=int((want - len(frame)) * 1.5) + 16)
        frame = pd.concat([frame, _draw(rng, numbers, types, more, 0, stakeholders, n_units)])
        frame = frame.drop_duplicates(["s", "type", "t"])
    frame = frame.iloc[:want]
    m = len(frame)
    edges = pd.DataFrame(
        {
            "source": _ids(frame["s"].to_numpy()),
            "target": _ids(frame["t"].to_numpy()),
            "type": frame["type"].to_numpy(),
            "trust": rng.random(m).round(3),
            "commitment": rng.random(m).round(3),
            "volume": rng.lognormal(9, 1.2, m).round(2),
            "since": pd.Timestamp("2012-01-01")
            + pd.to_timedelta(rng.integers(0, 4000, m), unit="D"),
            "interactions": pd.array(rng.integers(0, 60, m), dtype="Int64"),
        }
    )
    return edges
