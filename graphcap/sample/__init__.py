"""The seeded sample stakeholder network: a fictional manufacturer and its ecosystem.

``generate_sample()`` builds the network the app opens on when nothing else is loaded, and the
one ``graphcap sample`` writes. It is meant to look like a real one, so every view has something
to show: Brenner Antriebstechnik GmbH (two business units) with a few hundred customers,
suppliers, partners, agencies and competitors, company names from Germany and a dozen other
European countries (umlauts, ß, Polish, Czech and Nordic letters, Cyrillic), and

- customer revenue with a Pareto shape: about 20% of customers bring about 80% of revenue;
- single-source suppliers for critical commodities, some of whom also supply competitors;
- a joint venture, an alliance, a coalition, associations and networks, research;
- regulators and interest groups that regulate or influence, agencies that serve;
- competitors that share customers and suppliers, customer referral chains;
- an interaction log over ``years`` years in which some valuable relationships cool down
  (fewer contacts, falling sentiment, last contact long ago: the at-risk ones), and contracts
  of which some expire within 90 days of ``as_of``.

The same seed and parameters give identical frames. ``meta`` records ``as_of``, ``seed``,
``generator``, ``years`` and, as ground truth for tests and demos, ``planted_cooling``: the
cooling relationships as ``"source|TYPE|target"``.

Sizes: :data:`SCALES` names three parameter sets; ``small`` (about 80 stakeholders) for fast
tests, ``default`` (about 360), ``bench`` (100 000 stakeholders, about half a million
relationships, interaction log capped at ``max_interactions``) for benchmarks:

>>> net = sample_small()
>>> sorted(net.nodes["type"].unique())
['agency', 'competitor', 'customer', 'organization', 'partner', 'supplier']
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from graphcap.errors import ConfigError
from graphcap.i18n import gettext as _
from graphcap.model import Network
from graphcap.model.schema import EDGE_OPTIONAL, EDGE_REQUIRED, NODE_OPTIONAL, NODE_REQUIRED
from graphcap.sample.interactions import build_history
from graphcap.sample.relations import build_edges
from graphcap.sample.stakeholders import MINIMUM, build_nodes

__all__ = ["SCALES", "generate_sample", "sample_small"]

#: Named parameter sets for :func:`generate_sample`.
SCALES: dict[str, dict[str, Any]] = {
    "small": {"customers": 40, "suppliers": 14, "partners": 11, "agencies": 10, "competitors": 5},
    "default": {
        "customers": 240,
        "suppliers": 80,
        "partners": 16,
        "agencies": 14,
        "competitors": 12,
    },
    "bench": {
        "customers": 86_000,
        "suppliers": 11_000,
        "partners": 1_500,
        "agencies": 500,
        "competitors": 998,
        "links": 1.75,
    },
}

_TEXT_NODE = ("id", "name", "type", "segment", "region", "country", "tags", "city")
_TEXT_EDGE = ("source", "target", "type", "kind")


def generate_sample(
    *,
    seed: int = 42,
    customers: int = 240,
    suppliers: int = 80,
    partners: int = 16,
    agencies: int = 14,
    competitors: int = 12,
    as_of: date = date(2026, 11, 1),
    years: int = 3,
    links: float = 1.0,
    max_interactions: int = 250_000,
) -> Network:
    """The sample network for ``seed``; the counts are per stakeholder type (plus two units).

    ``links`` multiplies the relationships among stakeholders (customers buying from competitors
    and dealers, referrals); ``max_interactions`` caps the log's expected size by logging only
    the cooling and the busiest relationships when the network is large.
    """
    counts = {
        "customers": customers,
        "suppliers": suppliers,
        "partners": partners,
        "agencies": agencies,
        "competitors": competitors,
    }
    for name, value in counts.items():
        if not isinstance(value, int) or value < MINIMUM[name]:
            raise ConfigError(
                _("sample: {name} must be a whole number >= {minimum}, got {value!r}").format(
                    name=name, minimum=MINIMUM[name], value=value
                )
            )
    if not isinstance(years, int) or not 1 <= years <= 20:
        raise ConfigError(
            _("sample: years must be between 1 and 20, got {years!r}").format(years=years)
        )
    if not links > 0:
        raise ConfigError(_("sample: links must be positive, got {links!r}").format(links=links))
    rng = np.random.default_rng(seed)
    day = np.datetime64(as_of, "D")
    nodes, roles = build_nodes(rng, counts, day)
    edges = build_edges(rng, nodes, roles, day, links=links, years=years)
    log = build_history(rng, edges, roles.bu, day, years=years, max_interactions=max_interactions)
    cooling = edges[edges["_cool"]]
    _cool_customers(rng, nodes, cooling)
    meta = {
        "as_of": as_of,
        "seed": seed,
        "generator": "graphcap.sample",
        "years": years,
        "planted_cooling": (
            cooling["source"] + "|" + cooling["type"] + "|" + cooling["target"]
        ).tolist(),
    }
    return Network(
        nodes=_tidy(nodes, NODE_REQUIRED, NODE_OPTIONAL, _TEXT_NODE),
        edges=_tidy(edges, EDGE_REQUIRED, EDGE_OPTIONAL, _TEXT_EDGE),
        interactions=_tidy(log, ("date", "source", "target"), {}, ("source", "target", "channel")),
        meta=meta,
    )


def sample_small(seed: int = 42) -> Network:
    """A small sample (about 80 stakeholders, a few thousand interactions) for fast tests."""
    return generate_sample(seed=seed, **SCALES["small"])


def _cool_customers(rng: np.random.Generator, nodes: pd.DataFrame, cooling: pd.DataFrame) -> None:
    """Customers whose relationship cools are less satisfied and less loyal."""
    who = nodes["id"].isin(cooling["source"]) & (nodes["type"] == "customer")
    k = int(who.sum())
    for col in ("satisfaction", "loyalty"):
        nodes.loc[who, col] = np.round(nodes.loc[who, col] * rng.uniform(0.45, 0.7, k), 3)


def _tidy(frame: pd.DataFrame, required, optional, text) -> pd.DataFrame:
    """Canonical column order, helper columns dropped, text as ``object`` holding ``str`` or
    ``None`` (as :mod:`graphcap.model` and the loaders have it), dates as ``datetime64[ns]``."""
    cols = [c for c in (*required, *optional) if c in frame.columns]
    cols += [c for c in frame.columns if c not in cols and not c.startswith("_")]
    out = frame[cols].reset_index(drop=True).copy()
    for c in text:
        if c in out.columns:
            values = out[c].to_numpy(dtype=object, copy=True)
            values[pd.isna(values)] = None
            out[c] = pd.Series(values, dtype=object)
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].astype("datetime64[ns]")
    return out
